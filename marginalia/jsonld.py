"""Structured data: schema.org NewsArticle and ClaimReview, and W3C Web Annotations."""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from .anchoring import context_around
from .library import ArticleEntry, Library
from .urls import Urls
from .views import STATUS_LABELS

MOTIVATIONS = {"context": "commenting", "dispute": "assessing", "correction": "editing", "support": "assessing"}


def script_json(data: Any) -> Markup:
    """JSON safe inside <script>: `<`, `>` and `&` are escaped so no text can end the block."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def news_article(entry: ArticleEntry, urls: Urls, site_title: str) -> dict[str, Any]:
    """schema.org NewsArticle for an article page."""
    a = entry.article
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": a.title,
        "url": urls.absolute(urls.page("articles", a.slug)),
        "mainEntityOfPage": urls.absolute(urls.page("articles", a.slug)),
        "isPartOf": {"@type": "WebSite", "name": site_title, "url": urls.base_url},
    }
    if a.published:
        data["datePublished"] = a.published.isoformat()
    if a.outlet:
        data["publisher"] = {"@type": "Organization", "name": a.outlet}
    if a.url:
        data["isBasedOn"] = a.url
    if a.summary:
        data["description"] = " ".join(a.summary.split())
    return data


def claim_review(library: Library, slug: str, urls: Urls, site_title: str) -> dict[str, Any]:
    """schema.org ClaimReview for a claim page."""
    claim = library.claims[slug]
    placed = library.by_claim.get(slug, ())
    authors = [library.speakers[s].name for s in claim.speakers if s in library.speakers]
    appearances = []
    for p in placed:
        a = library.articles[p.annotation.article].article
        appearances.append({"@type": "CreativeWork", "url": urls.absolute(urls.page("articles", a.slug)) + f"#hl-{p.annotation.id}",
                            "headline": a.title, **({"datePublished": a.published.isoformat()} if a.published else {})})
    item: dict[str, Any] = {"@type": "Claim", "appearance": appearances}
    if authors:
        item["author"] = [{"@type": "Person" if library.speakers[s].kind != "organization" else "Organization",
                           "name": library.speakers[s].name} for s in claim.speakers if s in library.speakers]
    if claim.first_seen:
        item["datePublished"] = claim.first_seen.isoformat()
    return {
        "@context": "https://schema.org", "@type": "ClaimReview",
        "url": urls.absolute(urls.page("claims", slug)), "claimReviewed": claim.statement,
        "author": {"@type": "Organization", "name": site_title, "url": urls.base_url},
        "reviewRating": {"@type": "Rating", "alternateName": STATUS_LABELS[claim.status]},
        "itemReviewed": item,
    }


def web_annotations(entry: ArticleEntry, urls: Urls) -> dict[str, Any]:
    """The article's annotations as a W3C Web Annotation collection (JSON-LD)."""
    page = urls.absolute(urls.page("articles", entry.article.slug))
    items = []
    for placed in entry.notes:
        note = placed.annotation
        prefix, suffix = context_around(entry.text, placed.anchor)
        exact = entry.text[placed.anchor.start:placed.anchor.end]
        item: dict[str, Any] = {
            "id": f"{page}#note-{note.id}", "type": "Annotation", "motivation": MOTIVATIONS[note.kind],
            "body": [{"type": "TextualBody", "value": note.body, "format": "text/markdown", "purpose": MOTIVATIONS[note.kind]},
                     {"type": "TextualBody", "value": note.kind, "purpose": "classifying"}],
            "target": {"source": page, "selector": {"type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": suffix}},
        }
        if note.author:
            item["creator"] = {"type": "Person", "nickname": note.author}
        if note.updated:
            item["modified"] = note.updated.isoformat() + "T00:00:00Z"
        items.append(item)
    return {"@context": "http://www.w3.org/ns/anno.jsonld", "id": page + "annotations.jsonld", "type": "AnnotationCollection",
            "label": f"Annotations on “{entry.article.title}”", "total": len(items),
            "first": {"id": page + "annotations.jsonld#page1", "type": "AnnotationPage", "items": items}}
