"""The render stage: the library → every file of the site, as bytes by path."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .config import SiteConfig
from .feeds import atom_feed, claim_feed, topic_feed
from .incremental import PageMemo
from .jsonld import claim_review, news_article, script_json, web_annotations
from .library import Library
from .markup import make_markdown
from .parallel import ordered_map
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


def make_environment(templates: Path) -> Environment:
    """Jinja2 with autoescaping on for HTML and XML, and errors for undefined names."""
    env = Environment(loader=FileSystemLoader(str(templates)), autoescape=select_autoescape(("html", "xml")),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["jsonld"] = script_json
    env.filters["date_label"] = date_label
    return env


def pages(library: Library, views: Views, config: SiteConfig) -> list[Page]:
    """Every HTML page of the site contract."""
    found = [Page("", "home.html", home_context(library, views)), Page("404.html", "404.html", {})]
    for slug, entry in library.articles.items():
        found.append(Page(f"articles/{slug}/", "article.html", {
            "view": views.article(slug), "jsonld": news_article(entry, views.urls, config.title),
            "annotations_href": views.href("articles", slug) + "annotations.jsonld"}))
    for speaker in library.speakers.values():
        found.append(Page(f"speakers/{speaker.slug}/", "speaker.html", views.speaker(speaker)))
    for topic in library.topics.values():
        feed = Link(f"{topic.title}: articles", views.href("topics", topic.slug) + "feed.xml")
        found.append(Page(f"topics/{topic.slug}/", "topic.html", {**views.topic(topic), "feeds": [feed]}))
    for claim in library.claims.values():
        feed = Link(f"Claim: {claim.statement}", views.href("claims", claim.slug) + "feed.xml")
        found.append(Page(f"claims/{claim.slug}/", "claim.html",
                          {**views.claim(claim), "jsonld": claim_review(library, claim.slug, views.urls, config.title),
                           "feeds": [feed]}))
    for outlet in library.outlets.values():
        found.append(Page(f"outlets/{outlet.slug}/", "outlet.html",
                          {"outlet": outlet, "articles": [views.article_summary(a) for a in outlet.articles]}))
    found += index_pages(library, views)
    found.append(Page("search/", "search.html", {}))
    return found


def home_context(library: Library, views: Views) -> dict[str, Any]:
    """The front page: newest articles, topics, claims that are not supported."""
    return {"articles": [views.article_summary(s) for s in library.articles],
            "topics": [views.topic_link(t) for t in library.topics],
            "claims": [views.claim_link(c) for c, claim in library.claims.items() if claim.status != "supported"]}


def index_pages(library: Library, views: Views) -> list[Page]:
    """The index of each kind."""
    counts = {s: len(library.by_speaker.get(s, ())) for s in library.speakers}
    return [
        Page("articles/", "index_articles.html", {"articles": [views.article_summary(s) for s in library.articles]}),
        Page("speakers/", "index_speakers.html", {"speakers": list(library.speakers.values()), "counts": counts}),
        Page("topics/", "index_topics.html", {"topics": list(library.topics.values()),
                                               "counts": {t: len(library.by_topic.get(t, ())) for t in library.topics}}),
        Page("claims/", "index_claims.html", {"claims": [views.claim_link(c) for c in library.claims]}),
        Page("outlets/", "index_outlets.html", {"outlets": list(library.outlets.values())}),
    ]


def render_site(library: Library, config: SiteConfig, templates: Path, memo: PageMemo | None = None,
                progress: Callable[[int, int], None] | None = None) -> dict[str, bytes]:
    """All files of the site (HTML pages, feed, sitemap, annotation JSON-LD), by relative path.

    With a `memo`, pages whose context is unchanged since the last build are taken from the
    current site instead of being rendered; the others are rendered on every core.
    """
    env = make_environment(templates)
    urls = Urls(config.base_url)
    views = Views(library, urls, make_markdown())
    site = {"config": config, "urls": urls, "csp": CSP, "sections": SECTIONS, "status_labels": STATUS_LABELS,
            "href": views.href, "static": lambda name: urls.href(f"static/{name}")}
    files: dict[str, bytes] = {}
    todo: list[tuple[str, Page]] = []
    for page in pages(library, views, config):
        name = urls.file_for(page.path)
        reused = memo.reuse(name, page.template, page.context) if memo is not None else None
        files[name] = reused if reused is not None else b""  # keeps the page order; filled in below
        if reused is None:
            todo.append((name, page))
    for template in sorted({page.template for _, page in todo}):
        env.get_template(template)  # compiled once here, before the workers fork

    def render_page(item: tuple[str, Page]) -> bytes:
        page = item[1]
        html = env.get_template(page.template).render(site=site, page_path=page.path,
                                                      canonical=urls.absolute(page.path), **page.context)
        return html.encode("utf-8")

    def advance(count: int) -> None:
        if progress is not None:
            progress(count, len(todo))

    for (name, _), html in zip(todo, ordered_map(render_page, todo, progress=advance)):
        files[name] = html
    for slug, entry in library.articles.items():
        files[f"articles/{slug}/annotations.jsonld"] = json.dumps(
            web_annotations(entry, urls), ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8") + b"\n"
    files["feed.xml"] = atom_feed(library, config, urls)
    for slug, topic in library.topics.items():
        files[f"topics/{slug}/feed.xml"] = topic_feed(library, config, urls, slug, [a.slug for a in views.topic(topic)["articles"]])
    for slug in library.claims:
        files[f"claims/{slug}/feed.xml"] = claim_feed(library, config, urls, slug)
    files["sitemap.xml"] = env.get_template("sitemap.xml").render(
        urls=[urls.absolute(p) for p in sorted(k.removesuffix("index.html") for k in files if k.endswith(".html") and k != "404.html")]
    ).encode("utf-8")
    files["robots.txt"] = f"User-agent: *\nAllow: /\n\nSitemap: {urls.absolute('sitemap.xml')}\n".encode("utf-8")
    return files
