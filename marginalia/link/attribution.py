"""Who the text says is speaking near a passage: the nearest speaker name or alias in the same block.

A heuristic, and shown as one: pages say "named nearby in the text", coverage says "the nearby
attribution suggests". Names come from the speaker records (name, aliases, and a person's
surname when no other speaker's name uses that word), so "Leavitt said" suggests `karoline-leavitt`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..content.records import Speaker

WINDOW = 400  # characters either side of the passage that count as "nearby"
VERBS = (r"said|says|say|stated|states|told|tells|claimed|claims|wrote|writes|added|adds|cited|cites|noted|notes|argued|"
         r"argues|announced|insisted|declared|posted|touted|touts|presented|asserted|responded|replied|called")
# A name counts as an attribution only next to a verb of saying: "Leavitt said", "said Leavitt", "according to DHS".
AFTER_NAME = re.compile(rf"[\s,’'s]*(?:[\w-]+[\s,]+){{0,4}}?(?:{VERBS})\b", re.IGNORECASE)
BEFORE_NAME = re.compile(rf"(?:\b(?:{VERBS})|according to|from)[\s,]+(?:[\w-]+\s+){{0,4}}$", re.IGNORECASE)


@dataclass(frozen=True)
class Names:
    """Every way the speakers are named, as one pattern, and the speaker each spelling means."""

    pattern: re.Pattern[str] | None
    speaker_of: dict[str, str]  # lower-cased spelling, white space folded → speaker slug

    def nearest(self, text: str, start: int, end: int) -> str | None:
        """The speaker named closest to text[start:end] within WINDOW characters, or None."""
        if self.pattern is None:
            return None
        best: tuple[int, int, str] | None = None
        for found in self.pattern.finditer(text, max(0, start - WINDOW), min(len(text), end + WINDOW)):
            if found.start() < end and found.end() > start:
                continue  # a name inside the passage itself is what is said, not who says it
            if not attributes(text, found.start(), found.end()):
                continue  # a name as a subject ("Trump's first year"), not as the one speaking
            speaker = self.speaker_of.get(" ".join(found.group(0).lower().split()))
            if speaker is None:
                continue  # matched only by case folding (the pattern's "Yildiz" for the name "Yıldız"): not a spelling
            distance = start - found.end() if found.end() <= start else found.start() - end
            key = (distance, found.start(), speaker)
            best = key if best is None or key < best else best
        return best[2] if best else None


def attributes(text: str, start: int, end: int) -> bool:
    """Whether the name at text[start:end] stands next to a verb of saying."""
    return bool(AFTER_NAME.match(text, end, min(len(text), end + 60)) or BEFORE_NAME.search(text, max(0, start - 60), start))


def spellings(speakers: Iterable[Speaker]) -> dict[str, str]:
    """Lower-cased name, aliases and unambiguous surnames → speaker slug (the first speaker by slug wins a tie)."""
    records = sorted(speakers, key=lambda s: s.slug)
    found: dict[str, str] = {}
    for speaker in records:
        for name in (speaker.name, *speaker.aliases):
            found.setdefault(" ".join(name.split()).lower(), speaker.slug)
    words: dict[str, set[str]] = {}
    for speaker in records:
        for word in speaker.name.lower().split():
            words.setdefault(word, set()).add(speaker.slug)
    for speaker in records:
        parts = speaker.name.split()
        surname = parts[-1].lower() if speaker.kind == "person" and len(parts) > 1 else ""
        if len(surname) > 3 and words.get(surname) == {speaker.slug}:
            found.setdefault(surname, speaker.slug)
    return found


def speaker_names(speakers: Iterable[Speaker]) -> Names:
    """The pattern that finds any speaker's name in text, whole words, longest spelling first."""
    table = spellings(speakers)
    if not table:
        return Names(None, {})
    alternatives = sorted(table, key=lambda name: (-len(name), name))
    body = "|".join(r"\s+".join(re.escape(word) for word in name.split()) for name in alternatives)
    return Names(re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE), table)
