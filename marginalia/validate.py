"""The validate stage: every slug a record names must exist; disputes and corrections cite sources."""

from __future__ import annotations

from collections.abc import Iterable

from .diagnostics import Diagnostic, error
from .records import Content, Lines
from .suggest import did_you_mean

NEEDS_SOURCES = ("dispute", "correction")


def check_slug(lines: Lines, key: str, slug: str | None, known: Iterable[str], what: str) -> list[Diagnostic]:
    """An error when `slug` is set and names no existing record of its kind."""
    if slug is None:
        return []
    choices = known if isinstance(known, (set, frozenset)) else set(known)  # no copy per call: O(n²) at 10,000
    if slug in choices:
        return []
    return [error(lines.of(key), f"unknown {what} `{slug}`", did_you_mean(slug, choices))]


def check_slugs(lines: Lines, key: str, slugs: tuple[str, ...], known: Iterable[str], what: str) -> list[Diagnostic]:
    """check_slug for each item of a list field."""
    choices = known if isinstance(known, (set, frozenset)) else set(known)
    found = []
    for index, slug in enumerate(slugs):
        found += check_slug(lines, f"{key}.{index}", slug, choices, what)
    return found


def wrote_sources(lines: Lines) -> bool:
    """Whether the file lists at least one source: if none was read, its own error says why, and "must cite its
    sources" would mislead the author who did cite one."""
    return any(name.startswith("sources.") for name in lines.names)


def validate_references(content: Content, article_slugs: Iterable[str]) -> list[Diagnostic]:
    """All reference problems in the content, in no particular order."""
    articles = set(article_slugs) | {a.slug for a in content.articles}
    speakers = {s.slug for s in content.speakers}
    topics = {t.slug for t in content.topics}
    claims = {c.slug for c in content.claims}
    figures = {f.slug for f in content.figures}
    found: list[Diagnostic] = []
    for figure in content.figures:
        found += check_slugs(figure.lines, "topics", figure.topics, topics, "topic")
        found += check_slugs(figure.lines, "claims", figure.claims, claims, "claim")
    for article in content.articles:
        found += check_slugs(article.lines, "topics", article.topics, topics, "topic")
    for claim in content.claims:
        found += check_slugs(claim.lines, "speakers", claim.speakers, speakers, "speaker")
        found += check_slugs(claim.lines, "topics", claim.topics, topics, "topic")
    for note in content.annotations:
        if note.article not in articles:
            found.append(error(note.lines.ref.at(1), f"the folder `{note.article}` names no article",
                               f"annotations live in content/annotations/<article-slug>/; {did_you_mean(note.article, articles)}"))
        found += check_slug(note.lines, "speaker", note.speaker, speakers, "speaker")
        found += check_slug(note.lines, "claim", note.claim, claims, "claim")
        found += check_slugs(note.lines, "topics", note.topics, topics, "topic")
        found += check_slugs(note.lines, "figure", note.figures, figures, "figure")
        for index, source in enumerate(note.sources):
            found += check_slug(note.lines, f"sources.{index}.article", source.article, articles, "article")
        if note.kind in NEEDS_SOURCES and not note.sources and not wrote_sources(note.lines):
            found.append(error(note.lines.of("kind"), f"a {note.kind} must cite its sources",
                               "add `sources:` with `- title: \"…\"` and `url: https://…` (or `article: <slug>`)"))
    return found
