"""Finding a quote in an article's visible text (a W3C TextQuoteSelector with lenient matching).

Matching ignores differences in white space and in straight vs curly quotes and apostrophes;
nothing else. Offsets are into the article's plain text (blocks joined by a newline).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from ..frozen import pickled_by_fields

from rapidfuzz import fuzz

from ..content.safetext import nfc

QUOTE_FOLD = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'",
                            "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"'})

# Every white-space character (str.isspace(), which is also what \s matches) but the space itself.
OTHER_SPACES = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
                "\u2028\u2029\u202f\u205f\u3000")
# Quotes folded and each white-space character made a space: one character for one, so offsets are kept.
FOLD: dict[int, str | int | None] = {**QUOTE_FOLD, **str.maketrans(OTHER_SPACES, " " * len(OTHER_SPACES))}
# What is left to change after FOLD: runs of spaces, made one.
SPACE_RUN = re.compile(r"  +")


@dataclass(frozen=True, slots=True)
class Origins:
    """The original offset of each character of a normalised text, as `origins[i]`.

    Kept as the stretches over which both offsets grow together (one per run of white space made
    one space), not one number per character: making a tuple of 6,500 numbers per article was
    most of the cost of normalising it.
    """

    starts: tuple[int, ...]  # the normalised offset where each stretch starts, ascending from 0
    origins: tuple[int, ...]  # the original offset of each stretch's first character
    length: int

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index: int) -> int:
        if index < 0:
            index += self.length
        if not 0 <= index < self.length:
            raise IndexError("offset out of range")
        stretch = bisect_right(self.starts, index) - 1
        return self.origins[stretch] + index - self.starts[stretch]


@dataclass(frozen=True)
class NormalText:
    """Text with quotes folded and white-space runs made one space, and where each character came from."""

    text: str
    origin: Origins


def normalize(text: str) -> NormalText:
    """Fold quotes and collapse white space, keeping a map back to the original offsets."""
    folded = text.translate(FOLD)
    parts: list[str] = []
    starts, origins = [0], [0]
    last = removed = 0
    for run in SPACE_RUN.finditer(folded):  # a regex pass over what changes, not a loop per character
        start, end = run.span()
        parts.append(folded[last:start + 1])  # the run's first space stands for it
        removed += end - start - 1
        starts.append(end - removed)
        origins.append(end)
        last = end
    parts.append(folded[last:])
    return NormalText("".join(parts), Origins(tuple(starts), tuple(origins), len(folded) - removed))


def fold(text: str) -> str:
    """The normalised form of a short string (quote, prefix or suffix), trimmed; NFC like every text read (safetext.nfc)."""
    return normalize(nfc(text)).text.strip()


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a quote stands: [start, end) in the article text."""

    start: int
    end: int


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Miss:
    """Why a quote could not be anchored, with what would help the author."""

    reason: str  # "not-found" or "ambiguous"
    occurrences: tuple[Anchor, ...] = ()
    closest: Anchor | None = None
    score: float = 0.0


def occurrences(haystack: NormalText, needle: str) -> list[int]:
    """Start offsets (in normalised text) of every occurrence, overlapping ones included."""
    found = []
    start = haystack.text.find(needle)
    while start != -1:
        found.append(start)
        start = haystack.text.find(needle, start + 1)
    return found


def to_original(haystack: NormalText, start: int, length: int) -> Anchor:
    """Map a normalised [start, start+length) back to original offsets (ending just after its last character)."""
    return Anchor(haystack.origin[start], haystack.origin[start + length - 1] + 1)


def anchor_quote(text: str, quote: str, prefix: str | None = None, suffix: str | None = None,
                 normal: NormalText | None = None) -> Anchor | Miss:
    """Anchor `quote` in `text`; prefix/suffix pick among repeats. Returns an Anchor or a Miss."""
    haystack = normal or normalize(text)
    needle = fold(quote)
    if not needle:
        return Miss("not-found")
    starts = occurrences(haystack, needle)
    # Only the few characters next to each occurrence are looked at (normalised text has single spaces):
    # slicing to the start or end of the text each time was quadratic for a short quote in a long article.
    if prefix:
        before = fold(prefix)
        starts = [s for s in starts if haystack.text[max(0, s - len(before) - 2):s].rstrip().endswith(before)]
    if suffix:
        after = fold(suffix)
        starts = [s for s in starts if haystack.text[s + len(needle):s + len(needle) + len(after) + 2].lstrip().startswith(after)]
    anchors = tuple(to_original(haystack, s, len(needle)) for s in starts)
    if len(anchors) == 1:
        return anchors[0]
    if anchors:
        return Miss("ambiguous", anchors)
    every = tuple(to_original(haystack, s, len(needle)) for s in occurrences(haystack, needle))
    if every:
        return Miss("not-found", every)
    return closest_passage(haystack, needle)


# The fuzzy search costs the quote's length times the text's: past this many characters of text it looks
# only near the stretch sharing the most words with the quote (so a 1 MB seed takes well under a second).
SEARCH_WHOLE = 40_000
WORD = re.compile(r"\S+")


def search_region(text: str, needle: str) -> tuple[int, int]:
    """[start, end) of `text` worth a fuzzy search for `needle`: all of a short text, else the best stretch by shared words."""
    if len(text) <= max(SEARCH_WHOLE, 4 * len(needle)):
        return 0, len(text)
    wanted = set(needle.split())
    spans = [(m.start(), m.group() in wanted) for m in WORD.finditer(text)]
    width = max(1, len(needle.split()))
    best, best_at, count = -1, 0, 0
    for index, (_, hit) in enumerate(spans):
        count += hit
        if index >= width:
            count -= spans[index - width][1]
        if count > best:
            best, best_at = count, max(0, index - width + 1)
    start = spans[best_at][0] if spans else 0
    margin = len(needle) // 4 + 20  # room for words the quote added or dropped
    return max(0, start - margin), min(len(text), start + len(needle) + margin)


def aligned(text: str, needle: str) -> tuple[int, int, float] | None:
    """(start, end, score) of the passage of `text` most like `needle` (within search_region); None when none aligns."""
    low, high = search_region(text, needle)
    found = fuzz.partial_ratio_alignment(needle, text[low:high])
    if found is None or found.dest_end <= found.dest_start:
        return None
    return low + found.dest_start, low + found.dest_end, found.score


def closest_passage(haystack: NormalText, needle: str) -> Miss:
    """The passage of the text most like the quote (fuzzy), for the author to compare."""
    found = aligned(haystack.text, needle)
    if found is None:
        return Miss("not-found")
    start, end = widen_to_words(haystack.text, found[0], found[1])
    closest = to_original(haystack, start, end - start)
    return Miss("not-found", (), closest, round(found[2], 1))


def widen_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow [start, end) so it neither starts nor ends inside a word."""
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end
