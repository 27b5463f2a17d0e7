"""A claim's timeline: its dated appearances, placed on a line, and the ones with no date listed apart.

Dates come only from the content: an article's `published`, and an annotation's `stated` (when
the article records the day the quoted words were said). Nothing is ever given a guessed date.
The geometry is computed here; the template draws it as an inline SVG next to a text list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..link.library import Library, Placed

WIDTH, PAD, ROW = 640, 48, 18
LABEL_GAP = 96  # labels closer than this on one row move to the next row


@dataclass(frozen=True, slots=True)
class Appearance:
    """One appearance of a claim: an article carrying it, or a dated statement in a note."""

    date: dt.date | None
    what: str  # "published" (the article's date) or "stated" (the note's `stated`)
    article: str
    note: Placed


@dataclass(frozen=True, slots=True)
class Point:
    """An appearance's place on the drawn line."""

    x: int
    label_y: int
    date: dt.date
    count: int  # appearances on that date


def appearances(library: Library, claim: str) -> list[Appearance]:
    """Each article carrying the claim (at its first passage), and each note with a `stated` date; date order."""
    seen: set[str] = set()
    found: list[Appearance] = []
    for placed in sorted(library.by_claim.get(claim, ()), key=lambda p: (p.annotation.article, p.number)):
        note = placed.annotation
        if note.article not in seen:
            seen.add(note.article)
            found.append(Appearance(library.articles[note.article].article.published, "published", note.article, placed))
        if note.stated:
            found.append(Appearance(note.stated, "stated", note.article, placed))
    return sorted(found, key=lambda a: ((a.date or dt.date.max).toordinal(), a.article, a.what, a.note.number))


def dated(found: list[Appearance]) -> list[Appearance]:
    """The appearances that have a date."""
    return [a for a in found if a.date is not None]


def undated(found: list[Appearance]) -> list[Appearance]:
    """The appearances with no date: listed as such, never placed on the line."""
    return [a for a in found if a.date is None]


def points(found: list[Appearance]) -> list[Point]:
    """One point per distinct date, spread over the width by date; labels staggered so none overlap."""
    days = sorted({a.date for a in found if a.date is not None})
    if not days:
        return []
    first, span = days[0].toordinal(), max(days[-1].toordinal() - days[0].toordinal(), 1)
    placed: list[Point] = []
    last_x: dict[int, int] = {}
    for day in days:
        x = WIDTH // 2 if len(days) == 1 else PAD + round((day.toordinal() - first) * (WIDTH - 2 * PAD) / span)
        row = next(r for r in range(len(days) + 1) if x - last_x.get(r, -LABEL_GAP) >= LABEL_GAP)
        last_x[row] = x
        placed.append(Point(x, 58 + row * ROW, day, sum(1 for a in found if a.date == day)))
    return placed


def height(drawn: list[Point]) -> int:
    """The drawing's height: the axis and every row of labels."""
    return max((p.label_y for p in drawn), default=58) + 14
