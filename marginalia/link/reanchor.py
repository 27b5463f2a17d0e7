"""Fuzzy re-anchoring: when a quote no longer matches its article exactly, propose the passage it meant.

Web annotation tools (Hypothesis, the W3C TextQuoteSelector model) re-anchor a quote when the
article's text or the quote has changed slightly. We do the same, but only to *propose*: the
build never guesses. `check` shows the proposal with the difference; `check --fix` applies it
when it is close (at least FIX_THRESHOLD % alike) and unambiguous (no second passage nearly as
close), rewriting only the `quote` field.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from rapidfuzz import fuzz

from .anchoring import Anchor, Miss, NormalText, aligned, fold, normalize

FIX_THRESHOLD = 90.0
MARGIN = 5.0  # a second passage within this many points of the best makes the choice ambiguous
SLACK = 12  # how far (in characters) a passage's ends may move to land on word boundaries


@dataclass(frozen=True)
class Proposal:
    """The passage a quote most likely meant: its text as the article has it, how alike, and whether it is the only one."""

    passage: str
    score: float
    unique: bool

    @property
    def fixable(self) -> bool:
        """Close enough and unambiguous enough to apply without asking."""
        return self.unique and self.score >= FIX_THRESHOLD


def word_starts(text: str, low: int, high: int) -> list[int]:
    """Offsets in [low, high] where a word (or an opening quote before one) begins."""
    return [i for i in range(max(0, low), min(len(text), high) + 1)
            if i < len(text) and not text[i].isspace() and (i == 0 or text[i - 1] == " " or
                                                             (text[i].isalnum() and not text[i - 1].isalnum()))]


def word_ends(text: str, low: int, high: int) -> list[int]:
    """Offsets in [low, high] just after a word or its closing punctuation."""
    return [i for i in range(max(1, low), min(len(text), high) + 1)
            if not text[i - 1].isspace() and (i == len(text) or text[i] == " " or
                                              (text[i - 1].isalnum() and not text[i].isalnum()))]


def snap(text: str, needle: str, start: int, end: int) -> tuple[int, int, float]:
    """The window near [start, end) on word boundaries most like the needle: (start, end, score)."""
    best = (start, end, fuzz.ratio(needle, text[start:end]))
    for s in word_starts(text, start - SLACK, start + SLACK):
        for e in word_ends(text, end - SLACK, end + SLACK):
            if e > s:
                score = fuzz.ratio(needle, text[s:e])
                if score > best[2] or (score == best[2] and e - s > best[1] - best[0]):
                    best = (s, e, score)
    return best


def best_window(text: str, needle: str) -> tuple[int, int, float] | None:
    """The passage of normalised text most like the needle, snapped to words; None when nothing aligns."""
    found = aligned(text, needle)
    if found is None:
        return None
    return snap(text, needle, found[0], found[1])


def propose(text: str, quote: str, normal: NormalText | None = None) -> Proposal | None:
    """The re-anchored quote for `quote` in `text`, or None when no passage is at all like it."""
    haystack = normal or normalize(text)
    needle = fold(quote)
    if not needle or not haystack.text:
        return None
    best = best_window(haystack.text, needle)
    if best is None:
        return None
    start, end, score = best
    masked = haystack.text[:start] + "\x00" * (end - start) + haystack.text[end:]
    second = best_window(masked, needle)
    unique = second is None or second[2] < score - MARGIN
    passage = " ".join(text[haystack.origin[start]:haystack.origin[end - 1] + 1].split())
    return Proposal(passage, round(score, 1), unique)


def describe_difference(quote: str, passage: str, limit: int = 4) -> str:
    """The words that differ, as `quote's words → article's words`, joined by `; `."""
    # Compare folded words (so quote styles do not count) but show the words as written.
    old, new = quote.split(), passage.split()
    matcher = difflib.SequenceMatcher(a=fold(quote).split(), b=fold(passage).split(), autojunk=False)
    changes = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "replace":
            changes.append(f"“{' '.join(old[a1:a2])}” → “{' '.join(new[b1:b2])}”")
        elif op == "delete":
            changes.append(f"remove “{' '.join(old[a1:a2])}”")
        elif op == "insert":
            changes.append(f"add “{' '.join(new[b1:b2])}”")
    shown = "; ".join(changes[:limit])
    return shown + (f"; and {len(changes) - limit} more" if len(changes) > limit else "")


def distinguishing_words(contexts: list[str], index: int, from_end: bool) -> str:
    """The fewest whole words of contexts[index] (its end for a prefix, its start for a suffix) that no other context shares."""
    words = contexts[index].split()
    for count in range(1, len(words) + 1):
        piece = " ".join(words[-count:] if from_end else words[:count])
        if not any(c.isalnum() for c in piece):
            continue  # punctuation alone would pick the occurrence but tell the author nothing
        others = [c for i, c in enumerate(contexts) if i != index]
        if not any((fold(o).endswith(fold(piece)) if from_end else fold(o).startswith(fold(piece))) for o in others):
            return piece
    return ""


def occurrence_options(text: str, anchors: tuple[Anchor, ...], limit: int = 4) -> str:
    """For each occurrence, the shortest prefix (or suffix) that picks it, as the author would write it."""
    befores = [" ".join(text[max(0, a.start - 80):a.start].split()) for a in anchors]
    afters = [" ".join(text[a.end:a.end + 80].split()) for a in anchors]
    options = []
    for index in range(min(limit, len(anchors))):
        prefix = distinguishing_words(befores, index, from_end=True)
        suffix = distinguishing_words(afters, index, from_end=False)
        if prefix:
            options.append(f'{index + 1}) prefix: "{prefix}"')
        elif suffix:
            options.append(f'{index + 1}) suffix: "{suffix}"')
        else:
            options.append(f"{index + 1}) (…{befores[index][-30:]} ⟨quote⟩ {afters[index][:30]}…: lengthen the quote)")
    return "; ".join(options) + ("; …" if len(anchors) > limit else "")


def miss_explanation(quote: str, text: str, miss: Miss, normal: NormalText | None = None) -> tuple[str, str]:
    """(message, hint) for a quote that could not be anchored: the occurrences, or the closest passage and the difference."""
    if miss.occurrences:
        count = len(miss.occurrences)
        if miss.reason == "ambiguous":
            message = f"the quote occurs {count} times in the article, so it is not clear which one is meant"
        else:
            message = f"the quote occurs {count} times in the article, but the prefix/suffix match none of them"
        return message, "add a `prefix:` (words just before) or `suffix:` (words just after) that picks one: " + \
            occurrence_options(text, miss.occurrences)
    proposal = propose(text, quote, normal)
    if proposal is None or proposal.score < 60:
        return "the quote is not in the article's text", \
            "copy the passage exactly from the article (differences in spaces and quote marks do not matter)"
    changes = describe_difference(quote, proposal.passage)
    fix = " `check --fix` can apply it." if proposal.fixable else ""
    return "the quote is not in the article's text", \
        f"the closest passage ({proposal.score:.0f}% alike) is “{proposal.passage[:300]}”; differences: {changes}.{fix}"
