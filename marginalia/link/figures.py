"""The figures ledger: where each figure record's value (or one of its `matches`) is stated in the articles.

Pure functions over the library: the build finds the figures in the text itself, white space and
case ignored, whole words only (`400,000` is not found inside `1,400,000`). An annotation that names
a figure (`figure:`) adds its passage when the words there are not one of the spellings.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .attribution import Names
from .library import ArticleEntry, Library, Placed
from ..content.records import Figure

CONTEXT = 110  # characters of wording shown either side of a figure
QUALIFIERS = ("more than", "less than", "fewer than", "at least", "up to", "nearly", "roughly", "about", "almost",
              "approximately", "around", "over", "under", "some", "just over", "just under")
QUALIFIER_RE = re.compile(r"(?<!\w)(" + "|".join(sorted((q.replace(" ", r"\s+") for q in QUALIFIERS), key=len, reverse=True))
                          + r")\s+$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One place a figure is stated: its block and block-local offsets, and its number among the figure's in the article."""

    figure: str
    article: str
    block: int
    start: int
    end: int
    number: int

    @property
    def anchor_id(self) -> str:
        """The id of the figure's words on the article page."""
        return f"fig-{self.figure}-{self.number}"


@dataclass(frozen=True, slots=True)
class Passage:
    """A passage that states a figure, as its ledger entry shows it."""

    figure: str
    article: str
    occurrence: Occurrence | None  # None: only an annotation names the figure here
    note: Placed | None  # the annotation covering the passage, if any
    speaker: str | None
    speaker_from: str  # "note" (the annotation says who), "text" (named nearby), "" (nobody named)
    before: str
    words: str
    after: str
    version: str  # the figure with the qualifier the text puts before it: "more than 400,000"


def figure_pattern(figure: Figure) -> re.Pattern[str]:
    """Every spelling of a figure, white space and case ignored, as whole words (no digit run continues it)."""
    spellings = sorted({" ".join(s.split()) for s in (figure.value, *figure.matches) if s.strip()}, key=lambda s: (-len(s), s))
    body = "|".join(r"\s+".join(re.escape(word) for word in spelling.split()) for spelling in spellings)
    return re.compile(rf"(?<!\w)(?<!\d[.,])(?:{body})(?!\w)(?![.,]\d)", re.IGNORECASE)


def find_spans(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """Non-overlapping matches, leftmost and longest first."""
    return [(m.start(), m.end()) for m in pattern.finditer(text) if m.end() > m.start()]


def occurrences(entry: ArticleEntry, figures: Iterable[Figure]) -> list[Occurrence]:
    """Every figure stated in an article's text, block by block, numbered per figure in reading order."""
    found: list[Occurrence] = []
    patterns = [(figure.slug, figure_pattern(figure)) for figure in figures]
    counts: dict[str, int] = {}
    for index, block in enumerate(entry.seed.blocks):
        text = block.text
        for slug, pattern in patterns:
            for start, end in find_spans(text, pattern):
                counts[slug] = counts.get(slug, 0) + 1
                found.append(Occurrence(slug, entry.article.slug, index, start, end, counts[slug]))
    return sorted(found, key=lambda o: (o.block, o.start, o.figure))


def covering_note(entry: ArticleEntry, start: int, end: int, figure: str) -> Placed | None:
    """The annotation over text[start:end] (article offsets): one naming the figure first, else one with a speaker, else any."""
    over = [p for p in entry.notes if p.anchor.start <= start and end <= p.anchor.end]
    ranked = sorted(over, key=lambda p: (figure not in p.annotation.figures, p.annotation.speaker is None, p.number))
    return ranked[0] if ranked else None


def folded(text: str) -> str:
    """White space runs as one space."""
    return " ".join(text.split())


def context(text: str, start: int, end: int) -> tuple[str, str, str]:
    """The wording before, the figure's words, and the wording after, cut at word boundaries."""
    left = text[max(0, start - CONTEXT):start]
    if start > CONTEXT and " " in left:
        left = "… " + left.split(" ", 1)[1]
    right = text[end:end + CONTEXT]
    if end + CONTEXT < len(text) and " " in right:
        right = right.rsplit(" ", 1)[0] + " …"
    lead = " " if left[-1:].isspace() else ""
    trail = " " if right[:1].isspace() else ""
    return folded(left) + lead, folded(text[start:end]), trail + folded(right)


def version_of(before: str, words: str) -> str:
    """The figure as stated, with a qualifier right before it ("nearly 400,000"), when there is one."""
    found = QUALIFIER_RE.search(before)
    return f"{folded(found.group(1)).lower()} {words}" if found else words


def passage_at(entry: ArticleEntry, occurrence: Occurrence, names: Names) -> Passage:
    """The ledger's view of one occurrence: who states it and the words around it."""
    block = entry.seed.blocks[occurrence.block]
    offset = entry.block_starts[occurrence.block]
    note = covering_note(entry, offset + occurrence.start, offset + occurrence.end, occurrence.figure)
    speaker, source = (note.annotation.speaker, "note") if note and note.annotation.speaker else (None, "")
    if speaker is None:
        speaker = names.nearest(block.text, occurrence.start, occurrence.end)
        source = "text" if speaker else ""
    before, words, after = context(block.text, occurrence.start, occurrence.end)
    return Passage(occurrence.figure, entry.article.slug, occurrence, note, speaker, source, before, words, after,
                   version_of(before, words))


def named_passages(entry: ArticleEntry, figure: str, found: list[Occurrence]) -> list[Passage]:
    """Passages whose annotation names the figure (`figure:`) but where none of its spellings is found."""
    passages = []
    text = entry.text if any(figure in p.annotation.figures for p in entry.notes) else ""
    for placed in entry.notes:
        if figure not in placed.annotation.figures:
            continue
        inside = [o for o in found if o.figure == figure and
                  placed.anchor.start <= entry.block_starts[o.block] + o.start < placed.anchor.end]
        if inside:
            continue
        before, words, after = context(text, placed.anchor.start, placed.anchor.end)
        speaker = placed.annotation.speaker
        passages.append(Passage(figure, entry.article.slug, None, placed, speaker, "note" if speaker else "",
                                before, words, after, words))
    return passages


def passages_of(library: Library, figure: str, names: Names, found: dict[str, list[Occurrence]]) -> list[Passage]:
    """Every passage stating a figure, oldest article first (undated last), then in reading order.

    `found`: each article's occurrences (see `occurrences`), by article slug.
    """
    entries = sorted(library.articles.values(),
                     key=lambda e: ((e.article.published or dt.date.max).toordinal(), e.article.slug))
    passages: list[Passage] = []
    for entry in entries:
        mine = [o for o in found.get(entry.article.slug, []) if o.figure == figure]
        passages += [passage_at(entry, o, names) for o in mine]
        passages += named_passages(entry, figure, mine)
    return passages


def versions(passages: list[Passage]) -> list[tuple[str, int]]:
    """Each way the figure is stated, with how many passages state it so, most frequent first."""
    counts: dict[str, int] = {}
    for passage in passages:
        counts[passage.version] = counts.get(passage.version, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def most_cited_first(counts: dict[str, int]) -> list[str]:
    """Figure slugs by number of passages, most first, then by slug."""
    return sorted(counts, key=lambda slug: (-counts[slug], slug))
