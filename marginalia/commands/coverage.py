"""`check --coverage`: what the editors have not covered yet, as notices that never fail the check.

Four kinds: direct quotations no annotation covers (with the speaker the nearby attribution
suggests), number-like figures no figure record covers, claims no note disputes, supports or
contextualises, and articles with fewer than MIN_NOTES notes. A notice about the text points at
the seed's line and names the article's content file.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..link.attribution import Names, speaker_names
from ..diagnostics import Diagnostic, Level, SourceRef
from ..link.figures import Occurrence, occurrences
from ..link.library import ArticleEntry, Library

MIN_NOTES = 3
QUOTE_RE = re.compile(r"“([^“”]+)”|\"([^\"]+)\"")
NUMBER_RE = re.compile(r"(?<![\w.,])(?<![A-Za-z]-)\d[\d,]*(?:\.\d+)?%?(?!\w)(?![.,]\d)")
YEAR_RE = re.compile(r"^(1[89]|20)\d\d$")
MONTH_BEFORE = re.compile(r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+$")  # "February 6": a date
MIN_QUOTE_WORDS = 2  # "zero" alone is a term in quotation marks, not a quotation


@dataclass(frozen=True, slots=True)
class Spot:
    """A place in an article's text: block and block-local offsets."""

    block: int
    start: int
    end: int


def notice(ref: SourceRef, message: str, hint: str = "") -> Diagnostic:
    """A coverage notice: reported, never failing the check (not even with --strict)."""
    return Diagnostic(ref, Level.NOTICE, message, hint)


def seed_ref(entry: ArticleEntry, block: int) -> SourceRef:
    """The seed file's line where a block starts."""
    return SourceRef(f"seeds/{entry.article.seed}", entry.seed.blocks[block].line)


def covered(entry: ArticleEntry, spot: Spot) -> bool:
    """Whether any annotation's highlight overlaps the spot."""
    start = entry.block_starts[spot.block] + spot.start
    end = entry.block_starts[spot.block] + spot.end
    return any(p.anchor.start < end and start < p.anchor.end for p in entry.notes)


def quotations(entry: ArticleEntry) -> list[tuple[Spot, str]]:
    """Direct quotations of MIN_QUOTE_WORDS words or more, block by block."""
    found = []
    for index, block in enumerate(entry.seed.blocks):
        for match in QUOTE_RE.finditer(block.text):
            words = (match.group(1) or match.group(2) or "").strip()
            if len(words.split()) >= MIN_QUOTE_WORDS:
                found.append((Spot(index, match.start(), match.end()), " ".join(words.split())))
    return found


def suggested_speaker(entry: ArticleEntry, spot: Spot, names: Names) -> str | None:
    """The speaker named nearest the quotation in its block, or else at the end of the block before."""
    speaker = names.nearest(entry.seed.blocks[spot.block].text, spot.start, spot.end)
    if speaker is None and spot.block > 0:
        before = entry.seed.blocks[spot.block - 1].text
        speaker = names.nearest(before, len(before), len(before))
    return speaker


def quotation_notices(entry: ArticleEntry, names: Names) -> list[Diagnostic]:
    """A notice for each direct quotation no annotation covers."""
    found = []
    record = entry.article.lines.ref.path
    for spot, words in quotations(entry):
        if covered(entry, spot):
            continue
        speaker = suggested_speaker(entry, spot, names)
        said = f"; the nearby attribution suggests `speaker: {speaker}`" if speaker else "; no speaker is named nearby"
        short = words if len(words) <= 90 else words[:87] + "…"
        found.append(notice(seed_ref(entry, spot.block), f"quotation not annotated in {record}: “{short}”{said}",
                            f"add a note: python3 build.py new annotation {entry.article.slug}"))
    return found


class CoveredSpans:
    """The figure records' spans in an article, to ask whether an offset falls inside one in log time.

    Why not a scan of every span for every number: a seed of 50,000 numbers that one record matches
    took that scan past a minute.
    """

    def __init__(self, found: list[Occurrence]) -> None:
        self.starts: dict[int, list[int]] = {}
        self.reach: dict[int, list[int]] = {}  # the furthest end of any span starting at or before starts[i]
        for o in sorted(found, key=lambda o: (o.block, o.start)):
            reach = self.reach.setdefault(o.block, [])
            self.starts.setdefault(o.block, []).append(o.start)
            reach.append(max(o.end, reach[-1]) if reach else o.end)

    def covers(self, block: int, offset: int) -> bool:
        """Whether a span in the block has start <= offset < end."""
        index = bisect.bisect_right(self.starts.get(block, []), offset) - 1
        return index >= 0 and self.reach[block][index] > offset


def figure_notices(entry: ArticleEntry, library: Library) -> list[Diagnostic]:
    """A notice for each number-like token (years aside) that no figure record's spelling covers, once per article."""
    known = CoveredSpans(occurrences(entry, library.figures.values()))
    first: dict[str, tuple[int, int]] = {}
    for index, block in enumerate(entry.seed.blocks):
        for match in NUMBER_RE.finditer(block.text):
            token = match.group(0).rstrip(",")
            if YEAR_RE.match(token) or MONTH_BEFORE.search(block.text, max(0, match.start() - 12), match.start()):
                continue
            if known.covers(index, match.start()):
                continue
            seen = first.get(token, (index, 0))
            first[token] = (seen[0], seen[1] + 1)
    record = entry.article.lines.ref.path
    return [notice(seed_ref(entry, block), f"figure `{token}` in {record} has no figure record"
                   + (f" ({count} times)" if count > 1 else ""),
                   "record it in content/figures/: python3 build.py new figure <slug>")
            for token, (block, count) in sorted(first.items(), key=lambda item: (item[1][0], item[0]))]


def claim_notices(library: Library) -> list[Diagnostic]:
    """A notice for each claim that no note disputes, supports or contextualises."""
    found = []
    for slug, claim in library.claims.items():
        kinds = {p.annotation.kind for p in library.by_claim.get(slug, ())}
        if not kinds & {"dispute", "support", "context"}:
            found.append(notice(claim.lines.ref.at(1), f"no note disputes, supports or gives context to the claim `{slug}`",
                                f"add `claim: {slug}` to the note on a passage that carries it"))
    return found


def coverage_notices(library: Library) -> list[Diagnostic]:
    """Every coverage notice, in file and line order."""
    names = speaker_names(library.speakers.values())
    found: list[Diagnostic] = []
    for entry in library.articles.values():
        found += quotation_notices(entry, names)
        found += figure_notices(entry, library)
        if len(entry.notes) < MIN_NOTES:
            found.append(notice(entry.article.lines.ref.at(1),
                                f"the article has {len(entry.notes)} note(s), fewer than {MIN_NOTES}",
                                f"annotate more of it: python3 build.py new annotation {entry.article.slug}"))
    found += claim_notices(library)
    return sorted(set(found), key=Diagnostic.sort_key)
