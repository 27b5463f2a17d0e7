"""The render stage: the library → every file of the site, as bytes by path."""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ..config import SiteConfig
from . import featureviews, paginate
from .feeds import atom_feed, corrections_feed
from .fragments import Fragments
from ..diagnostics import UsageError
from .jsonld import script_json
from ..link.library import Library
from .markup import make_markdown, rust_html, text_digest
from ..incremental.parallel import MIN_PARALLEL_ITEMS, ordered_map
from ..incremental.safecache import MemoryBytecodeCache, TolerantBytecodeCache
from .urls import SECTIONS, Urls
from .reads import Reads
from .views import STATUS_LABELS, Link, Views, date_label

# Self-only; 'wasm-unsafe-eval' lets Pagefind's search compile its WebAssembly (it allows no eval of scripts).
CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'")


@dataclass(frozen=True, slots=True)
class PageSpec:
    """One unit of output, named without building anything: its kind, the record it shows, the files it makes."""

    kind: str  # article, speaker, topic, claim, outlet, home, index_*, 404, search, feed, sitemap, robots
    slug: str
    outputs: tuple[str, ...]  # files it writes, relative to the site folder
    number: int = 1  # which page of a long list (paginate.py)


def make_environment(templates: Path, compiled: Path | None = None) -> Environment:
    """Jinja2 with autoescaping on for HTML and XML, and errors for undefined names.

    `compiled`: a folder where Jinja keeps compiled templates between builds (keyed by each template's
    source), so a build that renders three pages does not spend most of its render time compiling;
    either way they are kept in memory for the next build of the same process (safecache.py).
    """
    # auto_reload off: a build never sees a template change mid-run, and the check costs a stat per page and template.
    env = Environment(loader=FileSystemLoader(str(templates)), autoescape=select_autoescape(("html", "xml")),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      auto_reload=False, cache_size=-1,
                      bytecode_cache=TolerantBytecodeCache(str(compiled)) if compiled is not None else MemoryBytecodeCache())
    env.filters["jsonld"] = script_json
    env.filters["date_label"] = date_label
    return env


def home_context(maker: Renderer) -> dict[str, Any]:
    """The front page: the newest articles (the articles index's first page), topics, claims that are not supported."""
    views, reads = maker.views, maker.reads
    found = reads.page("index_articles", "", 1)
    return {"articles": [views.article_summary(s) for s in found.lists[0]],
            "more_articles": views.href("articles", "page/2") if found.count > 1 else None,
            "topics": [views.topic_link(t) for t in reads.slugs("topics")],
            "claims": [views.claim_link(c) for c in reads.slugs("claims") if reads.field("claims", c, "status") != "supported"]}


def page_specs(library: Library, kinds: Sequence[Any], page_size: int = paginate.DEFAULT_SIZE) -> list[PageSpec]:
    """Every unit of output of the site, cheaply (no views): pages, their feeds and JSON-LD, sitemap, robots.

    `kinds`: the registry's kinds with a section (kinds/): a page per record, and the section's index;
    the long lists among them take as many pages of `page_size` entries as they need (paginate.py).
    """
    specs = [PageSpec("home", "", ("index.html",)), PageSpec("404", "", ("404.html",))]
    for kind in kinds:
        specs += [PageSpec(kind.name, s, kind.outputs(s, n), n) for s in kind.slugs(library)
                  for n in range(1, paginate.pages_of(library, kind.name, s, page_size) + 1)]
    for kind in kinds:
        name = f"index_{kind.section}"
        specs += [PageSpec(name, "", (Urls.numbered(kind.section, "", n) + "index.html",), n)
                  for n in range(1, paginate.pages_of(library, name, "", page_size) + 1)]
    specs += [PageSpec("corrections", "", ("corrections/index.html", "corrections/feed.xml"))]
    specs += [PageSpec("search", "", ("search/index.html",)), PageSpec("feed", "", ("feed.xml",)),
              PageSpec("sitemap", "", ("sitemap.xml",)), PageSpec("robots", "", ("robots.txt",))]
    return specs


class Renderer:
    """Makes the files of one PageSpec: builds its views, renders its template. One per process.

    Every record is read through `reads`, which notes each page's inputs (its dependencies).
    """

    def __init__(self, library: Library, config: SiteConfig, templates: Path, specs: list[PageSpec],
                 kinds: Sequence[Any], compiled: Path | None = None) -> None:
        self.config, self.specs = config, specs
        self.kinds = {kind.name: kind for kind in kinds}
        self.sections = {f"index_{kind.section}": kind for kind in kinds}
        self.env = make_environment(templates, compiled)
        self.env.globals["once"] = Fragments().once  # note cards and article items rendered once (fragments.py)
        self.urls = Urls(config.base_url)
        self.reads = Reads(library, config.page_size)
        self.views = Views(self.reads, self.urls, make_markdown())
        urls = self.urls
        nav = [Link(k.nav_label, self.views.href(k.section)) for k in sorted(kinds, key=lambda k: k.nav_order) if k.nav_label]
        self.site = {"config": config, "urls": urls, "csp": CSP, "sections": SECTIONS, "status_labels": STATUS_LABELS,
                     "nav": nav, "href": self.views.href, "static": lambda name: urls.href(f"static/{name}")}

    def compile(self) -> None:
        """Compile every template once, before workers fork (they then share the compiled code)."""
        for name in self.env.list_templates():
            self.env.get_template(name)

    def page(self, path: str, template: str, context: dict[str, Any]) -> bytes:
        """One HTML page (`pager` in the context: one page of a long list, with its links to the others)."""
        html = self.env.get_template(template).render(site=self.site, page_path=path, canonical=self.urls.absolute(path),
                                                      **{"pager": None, **context})
        return html.encode("utf-8")

    def paged(self, kind: str, section: str, slug: str, number: int) -> tuple[paginate.Lists, paginate.Pager]:
        """Page `number`'s slice of a paged page's lists (noted as that slice), and its pager."""
        found = self.reads.page(kind, slug, number)
        href = lambda n: self.urls.href(Urls.numbered(section, slug, n))  # noqa: E731
        return found.lists, paginate.pager(href, number, found, self.config.page_size)

    def files(self, spec: PageSpec) -> tuple[dict[str, bytes], frozenset[str]]:
        """The files of one spec, by site path, and the inputs read to make them (its dependencies)."""
        with self.reads.recording() as noted:
            files = self.make(spec)
        return files, frozenset(noted)

    def make(self, spec: PageSpec) -> dict[str, bytes]:
        """The files of one spec."""
        if spec.kind in self.kinds:
            return self.kinds[spec.kind].page(self, spec.slug, spec.number)
        if spec.kind in self.sections:
            kind = self.sections[spec.kind]
            context = kind.index(self, spec.number)
            return {spec.outputs[0]: self.page(Urls.numbered(kind.section, "", spec.number), f"{spec.kind}.html", context)}
        return SITE_FILES[spec.kind](self)

    def sitemap(self) -> dict[str, bytes]:
        """The sitemap: every page but the 404 page."""
        self.reads.note("@pages:")
        pages = sorted(name.removesuffix("index.html") for spec in self.specs for name in spec.outputs
                       if name.endswith(".html") and name != "404.html")
        xml = self.env.get_template("sitemap.xml").render(urls=[self.urls.absolute(p) for p in pages])
        return {"sitemap.xml": xml.encode("utf-8")}

    def robots(self) -> dict[str, bytes]:
        """robots.txt, pointing at the sitemap."""
        return {"robots.txt": f"User-agent: *\nAllow: /\n\nSitemap: {self.urls.absolute('sitemap.xml')}\n".encode()}


def corrections_files(maker: Renderer) -> dict[str, bytes]:
    """Every correction of a note or claim, newest first, and its feed."""
    maker.reads.corrected()  # which corrections there are, with the quotes and statements they are listed under
    found = featureviews.correction_entries(maker.views)
    feed = Link(f"{maker.config.title}: corrections", maker.views.href("corrections") + "feed.xml")
    html = maker.page("corrections/", "corrections.html", {"corrections": found, "feeds": [feed]})
    return {"corrections/index.html": html, "corrections/feed.xml": corrections_feed(maker.config, maker.urls, found)}


SITE_FILES: dict[str, Callable[[Renderer], dict[str, bytes]]] = {
    "home": lambda r: {"index.html": r.page("", "home.html", home_context(r))},
    "404": lambda r: {"404.html": r.page("404.html", "404.html", {})},
    "search": lambda r: {"search/index.html": r.page("search/", "search.html", {})},
    "feed": lambda r: {"feed.xml": atom_feed(r.reads, r.config, r.urls)},
    "corrections": lambda r: corrections_files(r),
    "sitemap": Renderer.sitemap,
    "robots": Renderer.robots,
}


def write_spec(renderer: Renderer, staging: str, spec: PageSpec) -> tuple[list[tuple[str, str]], frozenset[str]]:
    """In a worker (or the parent): make one spec's files, write them into the staging folder; (path, digest) each,
    and the inputs the spec read (its dependencies).

    The spec's own folder is made here, its parents already were (make_folders). Plain os calls: a Python file object costs four more system
    calls per file, and system calls are a large share of a cold build on a virtual machine.
    """
    done = []
    made: set[str] = {""}
    files, inputs = renderer.files(spec)
    for name, data in files.items():
        if ".." in name.split("/") or name.startswith("/"):
            raise UsageError(f"refusing to write {name!r}: outside the output folder")
        folder = name.rpartition("/")[0]
        if folder not in made:  # its parents exist (make_folders)
            try:
                os.mkdir(f"{staging}/{folder}")
            except FileExistsError:
                pass
            made.add(folder)
        descriptor = os.open(f"{staging}/{name}", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)  # the umask decides
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(descriptor, view):]
        finally:
            os.close(descriptor)
        done.append((name, hashlib.blake2b(data, digest_size=16).hexdigest()))
    return done, inputs


def shared_inputs(done: tuple[list[tuple[str, str]], frozenset[str]]) -> tuple[list[tuple[str, str]], frozenset[str]]:
    """A page's result from a worker, its inputs' names made the one copy of each (sys.intern).

    At 10,000 articles the pages note 1.3 million inputs, about 125,000 of them different: unshared,
    the copies came to over 100 MB of the parent's memory by the end of the render.
    """
    return done[0], frozenset(map(sys.intern, done[1]))


def make_folders(staging: str, specs: list[PageSpec]) -> None:
    """The folders that hold the specs' own folders (`articles/`, `topics/`), each made once, parents first.

    Each spec's own folder (`articles/<slug>/`) is made by the worker that writes it: making
    10,000 folders is a second of the kernel's time, spread over the cores that way.
    """
    made: set[str] = {""}
    for spec in specs:
        for name in spec.outputs:
            parts = name.split("/")[:-2]
            for depth in range(1, len(parts) + 1):
                folder = "/".join(parts[:depth])
                if folder not in made:
                    try:
                        os.mkdir(f"{staging}/{folder}")
                    except FileExistsError:
                        pass
                    made.add(folder)


def prerender_markdown(views: Views, cache: dict[str, str], all_of_it: bool) -> None:
    """Before a big render, every text's HTML: from the last build's `cache`, the rest rendered once, by
    markdown-it-pyrs where it agrees with markdown-it-py (markup.rust_html), else by markdown-it-py on every core.

    The page workers inherit the results by fork, and the cache is refilled with this build's texts
    only (render_site), so a big render drops texts that are gone. For a few pages, the views look
    texts up in the cache as they need them instead, and what they render is added to it (an edited
    note's old text stays until the next big render; Markdown rendered by forked workers is not kept).
    """
    if not all_of_it:
        views.use_markdown_cache(cache)
        return
    texts = views.markdown_texts()
    keys = [text_digest(text) for text in texts]
    known = [(text, cache[key]) for text, key in zip(texts, keys) if key in cache]
    views.remember_markdown([text for text, _ in known], [html for _, html in known])
    missing = [text for text, key in zip(texts, keys) if key not in cache]
    fast = [rust_html(text) for text in missing]  # most texts, in this process (markup.rust_html)
    slow = iter(ordered_map(views.md.render, [text for text, html in zip(missing, fast) if html is None]))
    views.remember_markdown(missing, [next(slow) if html is None else html for html in fast])
    cache.clear()


@dataclass(frozen=True)
class Rendered:
    """The render stage's result: the pages it made, written into `staging`, with each file's digest and each page's inputs."""

    staging: Path
    outputs: dict[str, str]  # content digest of each file rendered, by site path
    inputs: dict[str, frozenset[str]]  # what each page read (reads.py), by its first file


def render_site(library: Library, config: SiteConfig, templates: Path, staging: Path, todo: list[PageSpec],
                specs: list[PageSpec], kinds: Sequence[Any], progress: Callable[[int, int], None] | None = None,
                markdown: dict[str, str] | None = None, compiled: Path | None = None) -> Rendered:
    """Render the `todo` specs straight into `staging`, on every core.

    Workers build the views, render and write; the parent gets back only paths, digests and the
    inputs each page read, so no process ever holds the whole site. Each page depends only on the
    library, so the bytes are the same whatever worker makes them. `markdown` (rendered Markdown by
    text digest, from the last build) is read, then refilled with what this process rendered, for the next build.
    """
    markdown = {} if markdown is None else markdown
    renderer = Renderer(library, config, templates, specs, kinds, compiled)
    if len(todo) >= MIN_PARALLEL_ITEMS:
        renderer.compile()  # once, before the workers fork, rather than once in each
    all_of_it = len(todo) * 2 > len(specs)
    prerender_markdown(renderer.views, markdown, all_of_it)

    def advance(count: int) -> None:
        if progress is not None:
            progress(count, len(todo))

    # Workers inherit the renderer and staging folder by fork (ordered_map keeps the function for them): no global here.
    make_folders(str(staging), todo)
    done = ordered_map(lambda spec: write_spec(renderer, str(staging), spec), todo, progress=advance, received=shared_inputs)
    if all_of_it:
        markdown.update((text_digest(text), html) for text, html in renderer.views.rendered_markdown().items())
    else:
        markdown.update(renderer.views.markdown_by_digest())
    outputs = {name: digest for files, _ in done for name, digest in files}
    return Rendered(staging, outputs, {spec.outputs[0]: inputs for spec, (_, inputs) in zip(todo, done)})
