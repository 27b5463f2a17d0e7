"""Closest-match suggestions for misspelt slugs and field names."""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process


def closest(word: str, choices: Iterable[str], limit: int = 3, cutoff: float = 60.0) -> list[str]:
    """The choices most like `word`, best first, ties broken alphabetically."""
    found = process.extract(word, sorted(set(choices)), scorer=fuzz.WRatio, limit=None, score_cutoff=cutoff)
    ranked = sorted(found, key=lambda item: (-item[1], item[0]))
    return [choice for choice, _score, _index in ranked[:limit]]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest choices, or listing what exists when nothing is close."""
    options = sorted(set(choices))
    best = closest(word, options)
    if best:
        return "did you mean " + " or ".join(f"`{b}`" for b in best) + "?"
    if not options:
        return "none exist yet: create one first"
    shown = ", ".join(f"`{o}`" for o in options[:8])
    return f"known ones: {shown}" + (", …" if len(options) > 8 else "")
