"""The Atom feed of articles and the sitemap."""

from __future__ import annotations

import datetime as dt

from feedgen.feed import FeedGenerator

from .config import SiteConfig
from .library import Library
from .urls import Urls

EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)


def as_datetime(day: dt.date | None) -> dt.datetime:
    """Midnight UTC of a date; undated articles get a fixed time so builds stay reproducible."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc) if day else EPOCH


def atom_feed(library: Library, config: SiteConfig, urls: Urls) -> bytes:
    """Atom feed of the articles, newest first; its `updated` is the newest article's date."""
    feed = FeedGenerator()
    feed.id(urls.base_url)
    feed.title(config.title)
    feed.subtitle(config.description or config.title)
    feed.link(href=urls.absolute("feed.xml"), rel="self")
    feed.link(href=urls.base_url, rel="alternate")
    feed.language(config.language)
    feed.generator("Marginalia")
    dates = [e.article.published for e in library.articles.values() if e.article.published]
    feed.updated(as_datetime(max(dates) if dates else None))
    for entry in reversed(list(library.articles.values())):
        a = entry.article
        item = feed.add_entry()
        item.id(urls.absolute(urls.page("articles", a.slug)))
        item.title(a.title)
        item.link(href=urls.absolute(urls.page("articles", a.slug)))
        item.updated(as_datetime(a.published))
        if a.published:
            item.published(as_datetime(a.published))
        item.summary(" ".join(a.summary.split()) or f"{len(entry.notes)} annotations")
        if a.outlet:
            item.author({"name": a.outlet})
    return feed.atom_str(pretty=True)
