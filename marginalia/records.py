"""The typed records the load stage produces: one frozen dataclass per kind of content file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .diagnostics import SourceRef

KINDS = ("context", "dispute", "correction", "support")
STATUSES = ("disputed", "misleading", "needs-context", "unsupported", "supported", "unverified")
SPEAKER_KINDS = ("person", "organization")


@dataclass(frozen=True)
class Lines:
    """The line each front-matter key stands on, so later stages can point at it."""

    ref: SourceRef
    keys: tuple[tuple[str, int], ...] = ()

    def of(self, key: str) -> SourceRef:
        """Where `key` (dotted for nested values) was written; the file's first line if absent."""
        table = dict(self.keys)
        while key and key not in table:
            key = key.rpartition(".")[0]
        return self.ref.at(table.get(key, 1))


@dataclass(frozen=True)
class Source:
    """A cited source: an outside address or another article of the digest."""

    title: str
    url: str | None = None
    article: str | None = None


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Topic:
    """content/topics/<slug>.md."""

    slug: str
    title: str
    body: str
    lines: Lines = field(compare=False)


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Content:
    """Everything under content/, loaded."""

    articles: tuple[Article, ...] = ()
    annotations: tuple[Annotation, ...] = ()
    speakers: tuple[Speaker, ...] = ()
    topics: tuple[Topic, ...] = ()
    claims: tuple[Claim, ...] = ()
