"""The render stage: the library → every file of the site, as bytes by path."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .config import SiteConfig
from . import featureviews
from .feeds import atom_feed, claim_feed, corrections_feed, topic_feed
from .diagnostics import UsageError
from .jsonld import claim_review, compact_json, news_article, script_json, web_annotations
from .library import Library
from .markup import make_markdown, text_digest
from .pagetext import page_text
from .parallel import MIN_PARALLEL_ITEMS, ordered_map
from .safecache import TolerantBytecodeCache
from .urls import SECTIONS, Urls
from .views import STATUS_LABELS, Link, Views, date_label

# Self-only; 'wasm-unsafe-eval' lets Pagefind's search compile its WebAssembly (it allows no eval of scripts).
CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'")


@dataclass(frozen=True)
class Page:
    """One HTML page to render: where it goes, with which template and values."""

    path: str
    template: str
    context: dict[str, Any]


@dataclass(frozen=True, slots=True)
class PageSpec:
    """One unit of output, named without building anything: its kind, the record it shows, the files it makes."""

    kind: str  # article, speaker, topic, claim, outlet, home, index_*, 404, search, feed, sitemap, robots
    slug: str
    outputs: tuple[str, ...]  # files it writes, relative to the site folder


def make_environment(templates: Path, compiled: Path | None = None) -> Environment:
    """Jinja2 with autoescaping on for HTML and XML, and errors for undefined names.

    `compiled`: a folder where Jinja keeps compiled templates between builds (keyed by each template's
    source), so a build that renders three pages does not spend most of its render time compiling.
    """
    # auto_reload off: a build never sees a template change mid-run, and the check costs a stat per page and template.
    env = Environment(loader=FileSystemLoader(str(templates)), autoescape=select_autoescape(("html", "xml")),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      auto_reload=False, cache_size=-1,
                      bytecode_cache=TolerantBytecodeCache(str(compiled)) if compiled is not None else None)
    env.filters["jsonld"] = script_json
    env.filters["date_label"] = date_label
    return env


def home_context(library: Library, views: Views) -> dict[str, Any]:
    """The front page: newest articles, topics, claims that are not supported."""
    return {"articles": [views.article_summary(s) for s in library.articles],
            "topics": [views.topic_link(t) for t in library.topics],
            "claims": [views.claim_link(c) for c, claim in library.claims.items() if claim.status != "supported"]}


def index_page(library: Library, views: Views, section: str) -> Page:
    """The index page of one section."""
    if section == "articles":
        context: dict[str, Any] = {"articles": [views.article_summary(s) for s in library.articles]}
    elif section == "speakers":
        context = {"speakers": list(library.speakers.values()),
                   "counts": {s: len(library.by_speaker.get(s, ())) for s in library.speakers}}
    elif section == "topics":
        context = {"topics": list(library.topics.values()),
                   "counts": {t: len(library.by_topic.get(t, ())) for t in library.topics}}
    elif section == "claims":
        context = {"claims": [views.claim_link(c) for c in library.claims], "matrix": featureviews.matrix_view(views)}
    else:
        context = {"outlets": list(library.outlets.values())}
    return Page(f"{section}/", f"index_{section}.html", context)


def page_specs(library: Library) -> list[PageSpec]:
    """Every unit of output of the site, cheaply (no views): pages, their feeds and JSON-LD, sitemap, robots."""
    specs = [PageSpec("home", "", ("index.html",)), PageSpec("404", "", ("404.html",))]
    specs += [PageSpec("article", s, (f"articles/{s}/index.html", f"articles/{s}/annotations.jsonld")) for s in library.articles]
    specs += [PageSpec("speaker", s, (f"speakers/{s}/index.html",)) for s in library.speakers]
    specs += [PageSpec("topic", s, (f"topics/{s}/index.html", f"topics/{s}/feed.xml")) for s in library.topics]
    specs += [PageSpec("claim", s, (f"claims/{s}/index.html", f"claims/{s}/feed.xml")) for s in library.claims]
    specs += [PageSpec("outlet", s, (f"outlets/{s}/index.html",)) for s in library.outlets]
    specs += [PageSpec(f"index_{section}", "", (f"{section}/index.html",)) for section in SECTIONS]
    specs += [PageSpec("figure", s, (f"figures/{s}/index.html",)) for s in library.figures]
    specs += [PageSpec("index_figures", "", ("figures/index.html",)),
              PageSpec("corrections", "", ("corrections/index.html", "corrections/feed.xml"))]
    specs += [PageSpec("search", "", ("search/index.html",)), PageSpec("feed", "", ("feed.xml",)),
              PageSpec("sitemap", "", ("sitemap.xml",)), PageSpec("robots", "", ("robots.txt",))]
    return specs


class Renderer:
    """Makes the files of one PageSpec: builds its views, renders its template. One per process."""

    def __init__(self, library: Library, config: SiteConfig, templates: Path, specs: list[PageSpec],
                 compiled: Path | None = None) -> None:
        self.library, self.config, self.specs = library, config, specs
        self.env = make_environment(templates, compiled)
        self.urls = Urls(config.base_url)
        self.views = Views(library, self.urls, make_markdown())
        urls = self.urls
        self.site = {"config": config, "urls": urls, "csp": CSP, "sections": SECTIONS, "status_labels": STATUS_LABELS,
                     "href": self.views.href, "static": lambda name: urls.href(f"static/{name}")}

    def compile(self) -> None:
        """Compile every template once, before workers fork (they then share the compiled code)."""
        for name in self.env.list_templates():
            self.env.get_template(name)

    def page(self, page: Page) -> bytes:
        """One HTML page."""
        html = self.env.get_template(page.template).render(site=self.site, page_path=page.path,
                                                           canonical=self.urls.absolute(page.path), **page.context)
        return html.encode("utf-8")

    def files(self, spec: PageSpec) -> dict[str, bytes]:
        """The files of one spec, by site path."""
        made = getattr(self, f"make_{spec.kind}", None)
        if made is not None:
            return made(spec.slug)
        section = spec.kind.removeprefix("index_")
        return {spec.outputs[0]: self.page(index_page(self.library, self.views, section))}

    def make_home(self, _: str) -> dict[str, bytes]:
        """The front page."""
        return {"index.html": self.page(Page("", "home.html", home_context(self.library, self.views)))}

    def make_404(self, _: str) -> dict[str, bytes]:
        """The not-found page."""
        return {"404.html": self.page(Page("404.html", "404.html", {}))}

    def make_search(self, _: str) -> dict[str, bytes]:
        """The search page."""
        return {"search/index.html": self.page(Page("search/", "search.html", {}))}

    def make_article(self, slug: str) -> dict[str, bytes]:
        """An article page and its annotations as JSON-LD."""
        views, entry = self.views, self.library.articles[slug]
        html = self.page(Page(f"articles/{slug}/", "article.html", {
            "view": views.article(slug), "jsonld": news_article(entry, self.urls, self.config.title),
            "figures": featureviews.article_figures(views, slug),
            "annotations_href": views.href("articles", slug) + "annotations.jsonld"}))
        # From the page just rendered: its selectors are computed in the text a client loading it sees.
        jsonld = compact_json(web_annotations(entry, self.urls, page_text(html)))
        return {f"articles/{slug}/index.html": html, f"articles/{slug}/annotations.jsonld": jsonld.encode("utf-8") + b"\n"}

    def make_speaker(self, slug: str) -> dict[str, bytes]:
        """A speaker page."""
        speaker = self.library.speakers[slug]
        return {f"speakers/{slug}/index.html": self.page(Page(f"speakers/{slug}/", "speaker.html", self.views.speaker(speaker)))}

    def make_topic(self, slug: str) -> dict[str, bytes]:
        """A topic page and its feed."""
        views, topic = self.views, self.library.topics[slug]
        context = views.topic(topic)
        feed = Link(f"{topic.title}: articles", views.href("topics", slug) + "feed.xml")
        html = self.page(Page(f"topics/{slug}/", "topic.html", {**context, "feeds": [feed]}))
        atom = topic_feed(self.library, self.config, self.urls, slug, [a.slug for a in context["articles"]])
        return {f"topics/{slug}/index.html": html, f"topics/{slug}/feed.xml": atom}

    def make_claim(self, slug: str) -> dict[str, bytes]:
        """A claim page and its feed."""
        views, claim = self.views, self.library.claims[slug]
        feed = Link(f"Claim: {claim.statement}", views.href("claims", slug) + "feed.xml")
        html = self.page(Page(f"claims/{slug}/", "claim.html", {
            **views.claim(claim), **featureviews.claim_extras(views, slug),
            "jsonld": claim_review(self.library, slug, self.urls, self.config.title), "feeds": [feed]}))
        return {f"claims/{slug}/index.html": html, f"claims/{slug}/feed.xml": claim_feed(self.library, self.config, self.urls, slug)}

    def make_outlet(self, slug: str) -> dict[str, bytes]:
        """An outlet page."""
        context = {**self.views.outlet(slug),
                   "matrix": featureviews.matrix_view(self.views, list(self.library.outlets[slug].articles),
                                                      carried_only=True)}
        return {f"outlets/{slug}/index.html": self.page(Page(f"outlets/{slug}/", "outlet.html", context))}

    def make_figure(self, slug: str) -> dict[str, bytes]:
        """A figure's page in the ledger."""
        context = featureviews.figure_page(self.views, slug)
        return {f"figures/{slug}/index.html": self.page(Page(f"figures/{slug}/", "figure.html", context))}

    def make_index_figures(self, _: str) -> dict[str, bytes]:
        """The figures ledger: every figure, most-cited first."""
        return {"figures/index.html": self.page(Page("figures/", "index_figures.html", featureviews.figure_index(self.views)))}

    def make_corrections(self, _: str) -> dict[str, bytes]:
        """Every correction, newest first, and its feed."""
        found = featureviews.correction_entries(self.views)
        feed = Link(f"{self.config.title}: corrections", self.views.href("corrections") + "feed.xml")
        html = self.page(Page("corrections/", "corrections.html", {"corrections": found, "feeds": [feed]}))
        return {"corrections/index.html": html,
                "corrections/feed.xml": corrections_feed(self.config, self.urls, found)}

    def make_feed(self, _: str) -> dict[str, bytes]:
        """The feed of every article."""
        return {"feed.xml": atom_feed(self.library, self.config, self.urls)}

    def make_sitemap(self, _: str) -> dict[str, bytes]:
        """The sitemap: every page but the 404 page."""
        pages = sorted(name.removesuffix("index.html") for spec in self.specs for name in spec.outputs
                       if name.endswith(".html") and name != "404.html")
        xml = self.env.get_template("sitemap.xml").render(urls=[self.urls.absolute(p) for p in pages])
        return {"sitemap.xml": xml.encode("utf-8")}

    def make_robots(self, _: str) -> dict[str, bytes]:
        """robots.txt, pointing at the sitemap."""
        return {"robots.txt": f"User-agent: *\nAllow: /\n\nSitemap: {self.urls.absolute('sitemap.xml')}\n".encode("utf-8")}


def write_spec(renderer: Renderer, staging: str, spec: PageSpec) -> list[tuple[str, str]]:
    """In a worker (or the parent): make one spec's files, write them into the staging folder; (path, digest) each.

    The spec's own folder is made here, its parents already were (make_folders). Plain os calls: a Python file object costs four more system
    calls per file, and system calls are a large share of a cold build on a virtual machine.
    """
    done = []
    made: set[str] = {""}
    for name, data in renderer.files(spec).items():
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
    return done


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
    """Before a big render, every text's HTML: from the last build's `cache`, the rest rendered once on every core.

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
    views.remember_markdown(missing, ordered_map(views.md.render, missing))
    cache.clear()


def render_site(library: Library, config: SiteConfig, templates: Path, staging: Path, todo: list[PageSpec],
                specs: list[PageSpec], progress: Callable[[int, int], None] | None = None,
                markdown: dict[str, str] | None = None, compiled: Path | None = None) -> dict[str, str]:
    """Render the `todo` specs straight into `staging`, on every core; the digest of each file written, by path.

    Workers build the views, render and write; the parent gets back only paths and digests,
    so no process ever holds the whole site. Each page depends only on the library, so the
    bytes are the same whatever worker makes them. `markdown` (rendered Markdown by text digest,
    from the last build) is read, then refilled with what this process rendered, for the next build.
    """
    markdown = {} if markdown is None else markdown
    renderer = Renderer(library, config, templates, specs, compiled)
    if len(todo) >= MIN_PARALLEL_ITEMS:
        renderer.compile()  # once, before the workers fork, rather than once in each
    all_of_it = len(todo) * 2 > len(specs)
    prerender_markdown(renderer.views, markdown, all_of_it)

    def advance(count: int) -> None:
        if progress is not None:
            progress(count, len(todo))

    # Workers inherit the renderer and staging folder by fork (ordered_map keeps the function for them): no global here.
    make_folders(str(staging), todo)
    done = ordered_map(lambda spec: write_spec(renderer, str(staging), spec), todo, progress=advance)
    if all_of_it:
        markdown.update((text_digest(text), html) for text, html in renderer.views.rendered_markdown().items())
    else:
        markdown.update(renderer.views.markdown_by_digest())
    return {name: digest for part in done for name, digest in part}
