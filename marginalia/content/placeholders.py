"""The placeholder text `new` writes, in one place: scaffold.py writes it, load.py refuses it.

A contributor who fills in only `quote:` must not publish "Write the note here …" as the
note, so any placeholder left in a body or in a front-matter value is an error on its line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..diagnostics import Diagnostic, error
from .frontmatter import Document

# What `new <kind>` writes as the body, and what the contributor should write there instead.
BODIES: dict[str, str] = {
    "annotation": "Write the note here in Markdown: neutral, attributed (“X says …”), every fact sourced.\n",
    "speaker": "A short, neutral description of who this is.\n",
    "topic": "A short description of the topic.\n",
    "claim": "The assessment: who makes the claim, what the sources say, each source cited.\n",
    "figure": "What the versions say: who states the figure, what each version counts, each source cited.\n",
}
INSTEAD: dict[str, str] = {
    "annotation": "the note itself: neutral, attributed (“X says …”), every fact sourced",
    "speaker": "a short, neutral description of who this is (or nothing)",
    "topic": "a short description of the topic (or nothing)",
    "claim": "the assessment: who makes the claim, what the sources say, each source cited",
    "figure": "what the versions say: who states the figure, what each version counts, each source cited",
}


def folded(text: str) -> str:
    """Text compared without regard to spacing, line breaks or case (an edited scaffold re-wraps lines)."""
    return " ".join(text.split()).casefold()


FOLDED = {kind: folded(text) for kind, text in BODIES.items()}


def placeholder_in(text: str) -> str | None:
    """The kind whose placeholder `text` still contains, or None."""
    here = folded(text)
    return next((kind for kind, placeholder in FOLDED.items() if placeholder in here), None)


def strings_of(value: Any, key: str) -> Iterator[tuple[str, str]]:
    """Every string in a front-matter value, with its dotted key (`sources.0.title`)."""
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from strings_of(item, f"{key}.{name}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings_of(item, f"{key}.{index}")


def body_line_of(doc: Document, kind: str) -> int:
    """The line of the body where the placeholder starts, for the diagnostic.

    That is the last line from which the rest of the body still holds it: found by bisection,
    since a later start holds it only if every earlier one does (a body can be long).
    """
    lines = doc.body.split("\n")
    low, high = 0, len(lines) - 1  # lines[low:] holds the placeholder; find the largest such low
    while low < high:
        middle = (low + high + 1) // 2
        if FOLDED[kind] in folded("\n".join(lines[middle:])):
            low = middle
        else:
            high = middle - 1
    return doc.body_line + low


def placeholder_problems(doc: Document) -> list[Diagnostic]:
    """An error for each field and for the body that still holds text `new` wrote as a placeholder."""
    found = []
    for name, value in doc.meta.items():
        for key, text in strings_of(value, str(name)):
            kind = placeholder_in(text)
            if kind is not None:
                found.append(error(doc.line_of(key), f"`{key}` still holds the placeholder text of `new {kind}`",
                                   f"replace it with {INSTEAD[kind]}"))
    kind = placeholder_in(doc.body)
    if kind is not None:
        found.append(error(doc.ref.at(body_line_of(doc, kind)),
                           f"the body still holds the placeholder text of `new {kind}`: “{BODIES[kind].strip()}”",
                           f"replace it with {INSTEAD[kind]}"))
    return found
