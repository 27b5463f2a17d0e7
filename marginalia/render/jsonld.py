"""Structured data: schema.org NewsArticle and ClaimReview, and W3C Web Annotations."""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from ..link.library import ArticleEntry
from .reads import Reads
from .pagetext import PageText, position_selector, quote_selector
from .urls import Urls
from .views import STATUS_LABELS

MOTIVATIONS = {"context": "commenting", "dispute": "assessing", "correction": "editing", "support": "assessing"}


def compact_json(data: Any) -> str:
    """Deterministic JSON without indentation: the C encoder (indenting falls back to the slow pure-Python one)."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def script_json(data: Any) -> Markup:
    """JSON safe inside <script>: `<`, `>` and `&` are escaped so no text can end the block."""
    text = compact_json(data)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def news_article(entry: ArticleEntry, urls: Urls, site_title: str) -> dict[str, Any]:
    """schema.org NewsArticle for an article page."""
    a = entry.article
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": a.title,
        "url": urls.absolute(urls.page("articles", a.slug)),
        "mainEntityOfPage": urls.absolute(urls.page("articles", a.slug)),
        "isPartOf": {"@type": "WebSite", "name": site_title, "url": urls.base_url},
        "comment": [{"@type": "Comment", "url": urls.absolute(urls.page("articles", a.slug)) + f"#note-{p.annotation.id}",
                     "text": " ".join(p.annotation.body.split())} for p in entry.notes],
    }
    if a.published:
        data["datePublished"] = a.published.isoformat()
    if a.outlet:
        # The outlet published the article; who wrote it the record does not say, so no author is given.
        data["publisher"] = {"@type": "Organization", "name": a.outlet}
    if a.url:
        data["isBasedOn"] = a.url
    if a.summary:
        data["description"] = " ".join(a.summary.split())
    return data


def claim_review(reads: Reads, slug: str, urls: Urls, site_title: str) -> dict[str, Any]:
    """schema.org ClaimReview for a claim page."""
    claim = reads.claim(slug)
    placed = reads.notes_by("by_claim", slug)
    # Who makes the claim: the claim's own speakers, then anyone quoted making it.
    speakers = list(dict.fromkeys([*claim.speakers, *(p.annotation.speaker for p in placed if p.annotation.speaker)]))
    speakers = [s for s in speakers if reads.has_speaker(s)]
    appearances = []
    for p in placed:
        a = reads.article(p.annotation.article)
        appearances.append({"@type": "CreativeWork", "url": urls.absolute(urls.page("articles", a.slug)) + f"#hl-{p.annotation.id}",
                            "headline": a.title, **({"datePublished": a.published.isoformat()} if a.published else {})})
    item: dict[str, Any] = {"@type": "Claim", "appearance": appearances}
    if speakers:
        item["author"] = [{"@type": "Person" if reads.field("speakers", s, "kind") != "organization" else "Organization",
                           "name": reads.field("speakers", s, "name"),
                           "url": urls.absolute(urls.page("speakers", s))} for s in speakers]
    if claim.first_seen:
        item["datePublished"] = claim.first_seen.isoformat()
    return {
        "@context": "https://schema.org", "@type": "ClaimReview",
        "url": urls.absolute(urls.page("claims", slug)), "claimReviewed": claim.statement,
        "author": {"@type": "Organization", "name": site_title, "url": urls.base_url},
        "reviewRating": {"@type": "Rating", "alternateName": STATUS_LABELS[claim.status]},
        "itemReviewed": item,
        **({"datePublished": claim.reviewed.isoformat()} if claim.reviewed else {}),
    }


def annotation_target(page: str, shown: PageText, note_id: str) -> dict[str, Any]:
    """Where a note points: its highlight on the article page, by quote and by position in the page's body text."""
    extent = shown.highlights.get(note_id)
    if extent is None:  # not highlighted on the page: the note is about the page as a whole
        return {"source": page}
    start, end = extent
    return {"source": page, "selector": [quote_selector(shown.text, start, end), position_selector(start, end)]}


def web_annotations(entry: ArticleEntry, urls: Urls, shown: PageText) -> dict[str, Any]:
    """The article's annotations as a W3C Web Annotation collection (JSON-LD).

    `shown` is the text of the rendered article page: clients anchor selectors in what they load, not in the seed.
    """
    page = urls.absolute(urls.page("articles", entry.article.slug))
    items = []
    for placed in entry.notes:
        note = placed.annotation
        item: dict[str, Any] = {
            "id": f"{page}#note-{note.id}", "type": "Annotation", "motivation": MOTIVATIONS[note.kind],
            "body": [{"type": "TextualBody", "value": note.body, "format": "text/markdown", "purpose": MOTIVATIONS[note.kind]},
                     {"type": "TextualBody", "value": note.kind, "purpose": "classifying"}],
            "target": annotation_target(page, shown, note.id),
        }
        if note.author:
            item["creator"] = {"type": "Person", "nickname": note.author}
        if note.updated:
            item["modified"] = note.updated.isoformat() + "T00:00:00Z"
        items.append(item)
    return {"@context": "http://www.w3.org/ns/anno.jsonld", "id": page + "annotations.jsonld", "type": "AnnotationCollection",
            "label": f"Annotations on “{entry.article.title}”", "total": len(items),
            "first": {"id": page + "annotations.jsonld#page1", "type": "AnnotationPage", "items": items}}
