"""The typed records the load stage produces: one frozen dataclass per kind of content file."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field
from ..frozen import pickled_by_fields

from ..diagnostics import SourceRef

KINDS = ("context", "dispute", "correction", "support")
STATUSES = ("disputed", "misleading", "needs-context", "unsupported", "supported", "unverified")
SPEAKER_KINDS = ("person", "organization")


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Lines:
    """The line each front-matter key stands on, so later stages can point at it.

    Names and numbers in two flat tuples, the names interned: a record's lines were a tenth of the
    memory of a big build as a tuple of pairs with a string of its own in each.
    """

    ref: SourceRef
    names: tuple[str, ...] = ()
    numbers: tuple[int, ...] = ()

    @classmethod
    def of_keys(cls, ref: SourceRef, lines: dict[str, int]) -> Lines:
        """Lines from a {dotted key: line} table."""
        names = sorted(lines)
        return cls(ref, tuple(sys.intern(name) for name in names), tuple(lines[name] for name in names))

    def of(self, key: str) -> SourceRef:
        """Where `key` (dotted for nested values) was written; the file's first line if absent."""
        while key and key not in self.names:
            key = key.rpartition(".")[0]
        return self.ref.at(self.numbers[self.names.index(key)] if key in self.names else 1)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Source:
    """A cited source: an outside address or another article of the digest."""

    title: str
    url: str | None = None
    article: str | None = None


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Correction:
    """One entry of a `corrections:` list: when a note or claim was corrected, and what changed."""

    date: dt.date
    note: str


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Article:
    """content/articles/<slug>.md: how to show one seed."""

    slug: str
    seed: str
    title: str | None
    outlet: str | None
    published: dt.date | None
    url: str | None
    topics: tuple[str, ...]
    strip: tuple[str, ...]
    summary: str
    lines: Lines = field(compare=False)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Annotation:
    """content/annotations/<article>/<id>.md: one note anchored to a passage."""

    id: str
    article: str
    quote: str
    prefix: str | None
    suffix: str | None
    kind: str
    speaker: str | None
    claim: str | None
    topics: tuple[str, ...]
    sources: tuple[Source, ...]
    author: str | None
    updated: dt.date | None
    body: str
    lines: Lines = field(compare=False)
    figures: tuple[str, ...] = ()  # figure slugs the passage states (`figure:`)
    corrections: tuple[Correction, ...] = ()
    stated: dt.date | None = None  # when the quoted words were said, where the article records it


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Speaker:
    """content/speakers/<slug>.md: a person or organisation quoted in the articles."""

    slug: str
    name: str
    role: str | None
    organization: str | None
    aliases: tuple[str, ...]
    kind: str | None
    body: str
    lines: Lines = field(compare=False)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Topic:
    """content/topics/<slug>.md."""

    slug: str
    title: str
    body: str
    lines: Lines = field(compare=False)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Claim:
    """content/claims/<slug>.md: a statement that recurs across articles and speakers."""

    slug: str
    statement: str
    status: str
    speakers: tuple[str, ...]
    topics: tuple[str, ...]
    first_seen: dt.date | None
    body: str
    lines: Lines = field(compare=False)
    reviewed: dt.date | None = None  # when the status was last assessed
    corrections: tuple[Correction, ...] = ()


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Figure:
    """content/figures/<slug>.md: a number the articles cite, and the spellings to find it by."""

    slug: str
    value: str
    counts: str
    matches: tuple[str, ...]
    topics: tuple[str, ...]
    claims: tuple[str, ...]
    body: str
    lines: Lines = field(compare=False)


@dataclass(frozen=True, slots=True)
class Content:
    """Everything under content/, loaded."""

    articles: tuple[Article, ...] = ()
    annotations: tuple[Annotation, ...] = ()
    speakers: tuple[Speaker, ...] = ()
    topics: tuple[Topic, ...] = ()
    claims: tuple[Claim, ...] = ()
    figures: tuple[Figure, ...] = ()
