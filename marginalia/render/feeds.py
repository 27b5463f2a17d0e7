"""Atom feeds: every article (/feed.xml), the articles on each topic, and each claim's appearances.

Feeds are reproducible: every date comes from the content (articles' `published`), never from the clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from feedgen.feed import FeedGenerator

from ..config import SiteConfig
from ..link.library import Placed
from .reads import Reads
from .urls import Urls

EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class FeedEntry:
    """One entry of a feed: its address (also its id), title, date and summary."""

    url: str
    title: str
    published: dt.date | None
    summary: str
    author: str | None = None


def as_datetime(day: dt.date | None) -> dt.datetime:
    """Midnight UTC of a date; undated articles get a fixed time so builds stay reproducible."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC) if day else EPOCH


def atom(config: SiteConfig, urls: Urls, path: str, title: str, subtitle: str, alternate: str,
         entries: list[FeedEntry]) -> bytes:
    """An Atom document at `path` (site-relative) with the first `config.feed_limit` entries (0: all), in the order given."""
    if config.feed_limit:
        entries = entries[:config.feed_limit]
    feed = FeedGenerator()
    feed.id(urls.absolute(path))
    feed.title(title)
    feed.subtitle(subtitle or title)
    feed.link(href=urls.absolute(path), rel="self", type="application/atom+xml")
    feed.link(href=urls.absolute(alternate), rel="alternate", type="text/html")
    feed.language(config.language)
    feed.generator("Marginalia")
    dates = [e.published for e in entries if e.published]
    feed.updated(as_datetime(max(dates) if dates else None))
    # feedgen prepends each new entry: add the last first so the document keeps the order given.
    for entry in reversed(entries):
        item = feed.add_entry()
        item.id(entry.url)
        item.title(entry.title)
        item.link(href=entry.url, rel="alternate", type="text/html")
        item.updated(as_datetime(entry.published))
        if entry.published:
            item.published(as_datetime(entry.published))
        item.summary(entry.summary)
        item.author({"name": entry.author or config.title})
    return feed.atom_str(pretty=True)


def article_entries(reads: Reads, urls: Urls, slugs: list[str]) -> list[FeedEntry]:
    """Feed entries for these articles."""
    entries = []
    for slug in slugs:
        a = reads.article(slug)
        count = reads.note_count(slug)
        summary = " ".join(a.summary.split()) or f"{count} annotation{'' if count == 1 else 's'}"
        entries.append(FeedEntry(urls.absolute(urls.page("articles", slug)), a.title or slug, a.published, summary, a.outlet))
    return entries


def newest_first(reads: Reads, slugs: list[str]) -> list[str]:
    """Article slugs, newest first (undated last), ties in the library's order."""
    order = {slug: index for index, slug in enumerate(reads.article_slugs())}  # list.index here was O(n²)
    return sorted(slugs, key=lambda s: (-(reads.article(s).published or dt.date.min).toordinal(), order[s]))


def atom_feed(reads: Reads, config: SiteConfig, urls: Urls) -> bytes:
    """/feed.xml: the newest articles; its `updated` is the newest article's date."""
    entries = article_entries(reads, urls, newest_first(reads, reads.article_slugs()))
    return atom(config, urls, "feed.xml", config.title, config.description, "", entries)


def topic_feed(reads: Reads, config: SiteConfig, urls: Urls, slug: str, articles: list[str]) -> bytes:
    """/topics/<slug>/feed.xml: the articles on a topic, newest first."""
    title = f"{reads.topic(slug).title} · {config.title}"
    page = urls.page("topics", slug)
    return atom(config, urls, page + "feed.xml", title, f"Articles on {reads.topic(slug).title}", page,
                article_entries(reads, urls, newest_first(reads, articles)))


def claim_feed(reads: Reads, config: SiteConfig, urls: Urls, slug: str) -> bytes:
    """/claims/<slug>/feed.xml: the passages that carry the claim, newest article first."""
    claim = reads.claim(slug)
    page = urls.page("claims", slug)
    placed = sorted(reads.notes_by("by_claim", slug), key=lambda p: appearance_key(reads, p))
    return atom(config, urls, page + "feed.xml", f"Claim: {claim.statement}", f"Where “{claim.statement}” appears",
                page, [appearance_entry(reads, urls, p) for p in placed])


def appearance_key(reads: Reads, placed: Placed) -> tuple[int, str, int]:
    """Newest article first, then by article and position in it."""
    published = reads.article(placed.annotation.article).published
    return (-(published or dt.date.min).toordinal(), placed.annotation.article, placed.number)


def appearance_entry(reads: Reads, urls: Urls, placed: Placed) -> FeedEntry:
    """A feed entry for one annotated passage carrying a claim."""
    note = reads.annotation(placed)
    article = reads.article(note.article)
    speaker = reads.field("speakers", note.speaker, "name") if note.speaker and reads.has_speaker(note.speaker) else None
    url = urls.absolute(urls.page("articles", note.article)) + f"#hl-{note.id}"
    said = f"{speaker}: " if speaker else ""
    return FeedEntry(url, f"{said}“{note.quote}” ({article.title or article.slug})", article.published,
                     " ".join(note.body.split()), article.outlet)


def corrections_feed(config: SiteConfig, urls: Urls, corrections: list[Any]) -> bytes:
    """/corrections/feed.xml: every correction, newest first; each entry's address is the correction where it is shown.

    `corrections`: featureviews.CorrectionEntryView items (date, note, what, title, href), already newest first.
    """
    entries = [FeedEntry(urls.absolute(c.href.removeprefix(urls.base_path)),
                         f"Correction to the {c.what}: {c.title}", c.date, c.note) for c in corrections]
    return atom(config, urls, "corrections/feed.xml", f"{config.title}: corrections",
                "Every correction to a note or a claim, newest first", "corrections/", entries)
