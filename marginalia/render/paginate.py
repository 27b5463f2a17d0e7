"""Long lists split into pages: which lists each kind of page splits, declared once here.

A speaker, topic, claim or outlet page, and a section index, shows at most `page_size` entries
(site.toml, 50 unless set) of each list it splits; page 1 keeps the plain address, page n is at
`<address>page/<n>/`. The lists are computed from the linked library alone, in the order the
page shows them, so the Planner can tell whether one page's slice changed (the `@page:` fact in
reads.py) without rendering it: a page records its slice and the number of pages, not the whole list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..incremental.loadcache import combined
from ..link.library import Library, Placed
from . import matrix

DEFAULT_SIZE = 50  # site.toml's page_size unless set (config.py)
Lists = tuple[Sequence[Any], ...]  # the lists one page splits, each sliced at the same page number


def date_order(library: Library, placed: Sequence[Placed]) -> list[Placed]:
    """Notes ordered by their article's date (undated last), then by article and position."""
    def key(p: Placed) -> tuple[int, str, int]:
        published = library.articles[p.annotation.article].article.published
        return ((published or dt.date.max).toordinal(), p.annotation.article, p.number)
    return sorted(placed, key=key)


def newest_first(library: Library, slugs: Sequence[str]) -> list[str]:
    """Articles in the library's order (newest first), without repeats."""
    found = set(slugs)
    return [slug for slug in library.articles if slug in found]


def speaker_lists(library: Library, slug: str) -> Lists:
    """A speaker page splits the passages attributed to them."""
    return (date_order(library, library.by_speaker.get(slug, ())),)


def topic_lists(library: Library, slug: str) -> Lists:
    """A topic page splits its articles (tagged, or with a note on it) and its notes, side by side."""
    placed = library.by_topic.get(slug, ())
    tagged = [s for s, e in library.articles.items() if slug in e.article.topics]
    return (newest_first(library, tagged + [p.annotation.article for p in placed]), date_order(library, placed))


def claim_lists(library: Library, slug: str) -> Lists:
    """A claim page splits its appearances."""
    return (date_order(library, library.by_claim.get(slug, ())),)


def outlet_lists(library: Library, slug: str) -> Lists:
    """An outlet page splits its articles (newest first), and its columns of the claim tracker with them."""
    return (library.outlets[slug].articles,)


# Each paged kind of page (a PageSpec's kind) and the lists it splits, from the library and the page's slug.
LISTS: dict[str, Callable[[Library, str], Lists]] = {
    "speaker": speaker_lists, "topic": topic_lists, "claim": claim_lists, "outlet": outlet_lists,
    "index_articles": lambda library, _: (tuple(library.articles),),
    "index_speakers": lambda library, _: (tuple(library.speakers),),
    "index_topics": lambda library, _: (tuple(library.topics),),
    "index_outlets": lambda library, _: (tuple(library.outlets),),
    # The claim tracker's columns, in the order it shows them (grouped by outlet): a page is 50 articles of it.
    "index_claims": lambda library, _: (tuple(c.article for c in matrix.columns(library)),),
}

_memo: list[Any] = [None, {}]  # the library the lists below were made from, and the lists by (kind, slug)


def lists_of(library: Library, kind: str, slug: str) -> Lists:
    """The lists a page of this kind splits (memoised for the last library: the Planner asks once per page)."""
    if _memo[0] is not library:
        _memo[0], _memo[1] = library, {}
    known: dict[tuple[str, str], Lists] = _memo[1]
    if (kind, slug) not in known:
        known[kind, slug] = LISTS[kind](library, slug)
    return known[kind, slug]


def page_count(lists: Lists, size: int) -> int:
    """How many pages the lists take: the longest decides; an empty list still has its page 1."""
    return max([1, *((len(items) + size - 1) // size for items in lists)])


def pages_of(library: Library, kind: str, slug: str, size: int) -> int:
    """How many pages a page of this kind and slug takes (1 for a kind that is not paged)."""
    return page_count(lists_of(library, kind, slug), size) if kind in LISTS else 1


@dataclass(frozen=True, slots=True)
class Slice:
    """One page of a paged page's lists: its part of each, how many pages, and (page 1 only) each list's length."""

    lists: Lists
    count: int
    totals: tuple[int, ...] | None  # page 1 says how many there are in all; later pages do not depend on it


def slices(library: Library, kind: str, slug: str, number: int, size: int) -> Slice:
    """Page `number`'s slice of each list, and how many pages there are."""
    lists = lists_of(library, kind, slug)
    start = (number - 1) * size
    return Slice(tuple(items[start:start + size] for items in lists), page_count(lists, size),
                 tuple(map(len, lists)) if number == 1 else None)


def entry_key(item: Any) -> str:
    """What an entry of a list is, for a fingerprint: a note's file and number, or a slug."""
    return f"{item.annotation.lines.ref.path}#{item.number}" if isinstance(item, Placed) else str(item)


def page_fingerprint(library: Library, arg: str) -> str:
    """The `@page:<kind>|<slug>|<number>|<size>` fact: one page's slices and the number of pages."""
    kind, slug, number, size = arg.split("|")
    found = slices(library, kind, slug, int(number), int(size))
    return combined(str(found.count), repr(found.totals), *(combined(*map(entry_key, items)) for items in found.lists))


@dataclass(frozen=True, slots=True)
class PageLink:
    """One page of a list as its navigation shows it."""

    number: int
    href: str
    current: bool


@dataclass(frozen=True, slots=True)
class Pager:
    """Where a page is in its list of pages: the templates' `pager` (None on pages that are never split)."""

    number: int
    count: int
    first: int  # the number of its first entry (1 on page 1), for <ol start>
    totals: tuple[int, ...] | None  # on page 1, how many entries each list has in all
    prev: str | None  # addresses, path-absolute
    next: str | None
    pages: tuple[PageLink, ...]


def pager(href: Callable[[int], str], number: int, found: Slice, size: int) -> Pager:
    """Page `number` of `found.count`; `href(n)` is page n's address."""
    count = found.count
    pages = tuple(PageLink(n, href(n), n == number) for n in range(1, count + 1))
    return Pager(number, count, (number - 1) * size + 1, found.totals, href(number - 1) if number > 1 else None,
                 href(number + 1) if number < count else None, pages)
