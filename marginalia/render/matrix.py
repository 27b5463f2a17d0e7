"""The claim tracker: a claim × article matrix, from the notes that tie passages to claims.

Pure functions over the library. A cell exists where an article carries a claim (one of its
annotated passages names the claim); its kinds are the kinds of the notes on those passages,
in reading order, and it leads to the first of them. Columns are articles grouped by outlet;
rows are claims, the most contested first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from ..link.library import Library, Placed

T = TypeVar("T")

NO_OUTLET = "Outlet not stated"
# Most contested first: the status, then how many notes dispute or correct the claim, then how widely it travels.
STATUS_ORDER = ("disputed", "misleading", "unsupported", "needs-context", "unverified", "supported")
TREATMENTS = {"dispute": "disputed", "correction": "corrected", "context": "context given", "support": "supported"}


@dataclass(frozen=True, slots=True)
class Column:
    """One article of the matrix, under its outlet."""

    article: str
    outlet: str  # the outlet's name, or NO_OUTLET
    outlet_slug: str | None


@dataclass(frozen=True, slots=True)
class Cell:
    """Where an article carries a claim: the kinds of its notes on it, and the first such note."""

    article: str
    kinds: tuple[str, ...]
    first: Placed
    notes: int


@dataclass(frozen=True, slots=True)
class Row:
    """One claim across the columns; None where the article does not carry it."""

    claim: str
    cells: tuple[Cell | None, ...]


def columns(library: Library, articles: list[str] | None = None) -> list[Column]:
    """Articles grouped by outlet (outlets by name, the unnamed last), newest first inside each."""
    slugs = list(library.articles) if articles is None else articles
    outlet_of = {a: o.slug for o in library.outlets.values() for a in o.articles}
    found = []
    for slug in slugs:
        name = library.articles[slug].article.outlet
        found.append(Column(slug, name or NO_OUTLET, outlet_of.get(slug)))
    order = {slug: index for index, slug in enumerate(library.articles)}
    return sorted(found, key=lambda c: (c.outlet_slug is None, c.outlet.lower(), order[c.article]))


def cells_of(placed: tuple[Placed, ...]) -> dict[str, Cell]:
    """One claim's cells, by article: the kinds of its notes there in reading order, and the first of them."""
    by_article: dict[str, list[Placed]] = {}
    for item in placed:
        by_article.setdefault(item.annotation.article, []).append(item)
    cells = {}
    for article, mine in by_article.items():
        mine.sort(key=lambda p: p.number)
        cells[article] = Cell(article, tuple(dict.fromkeys(p.annotation.kind for p in mine)), mine[0], len(mine))
    return cells


def carrying(library: Library, claim: str) -> list[str]:
    """The articles that carry a claim, in the library's order (newest first)."""
    def make() -> list[str]:
        found = {p.annotation.article for p in library.by_claim.get(claim, ())}
        return [slug for slug in library.articles if slug in found]
    return memo(library, f"carrying/{claim}", make)


def contested_key(library: Library, claim: str) -> tuple[int, int, int, str]:
    """Sort key, most contested first: status, notes disputing or correcting it, articles carrying it."""
    placed = library.by_claim.get(claim, ())
    against = sum(1 for p in placed if p.annotation.kind in ("dispute", "correction"))
    articles = len({p.annotation.article for p in placed})
    return (STATUS_ORDER.index(library.claims[claim].status), -against, -articles, claim)


_memo: list[Any] = [None, {}]  # the library the values below were computed from, and the values by key


def memo(library: Library, key: str, make: Callable[[], T]) -> T:
    """`make()` once per library: a page of the tracker shows 50 of its columns, and there are hundreds of pages."""
    if _memo[0] is not library:
        _memo[0], _memo[1] = library, {}
    known: dict[str, Any] = _memo[1]
    if key not in known:
        known[key] = make()
    return known[key]  # type: ignore[no-any-return]


def rows(library: Library, cols: list[Column], claims: list[str] | None = None, carried_only: bool = False) -> list[Row]:
    """One row per claim (all of them, or `claims`), most contested first; `carried_only` drops rows with no cell."""
    keys = {c: memo(library, f"contested/{c}", lambda c=c: contested_key(library, c))  # type: ignore[misc]
            for c in (library.claims if claims is None else claims)}
    found = []
    for slug in sorted(keys, key=keys.__getitem__):
        mine = memo(library, f"cells/{slug}", lambda slug=slug: cells_of(library.by_claim.get(slug, ())))  # type: ignore[misc]
        cells = tuple(mine.get(c.article) for c in cols)
        if not carried_only or any(cells):
            found.append(Row(slug, cells))
    return found


def treatment(kinds: tuple[str, ...]) -> str:
    """How the digest's notes treat the article's passage, in words: "disputed, context given"."""
    return ", ".join(TREATMENTS[k] for k in kinds)


def outlet_groups(cols: list[Column]) -> list[tuple[str, str | None, int]]:
    """(outlet name, outlet slug, number of columns) for each run of columns under one outlet."""
    groups: list[tuple[str, str | None, int]] = []
    for col in cols:
        if groups and groups[-1][0] == col.outlet:
            name, slug, count = groups[-1]
            groups[-1] = (name, slug, count + 1)
        else:
            groups.append((col.outlet, col.outlet_slug, 1))
    return groups


def published(library: Library, article: str) -> dt.date | None:
    """An article's date, for the column header."""
    return library.articles[article].article.published
