"""The validate stage: every slug a record names must exist; disputes and corrections cite sources."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ..diagnostics import Diagnostic, error
from .records import Annotation, Article, Claim, Content, Figure, Lines
from ..suggest import did_you_mean

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


Known = dict[str, set[str]]  # the slugs of each kind, by its content folder


def check_article(article: Article, known: Known) -> list[Diagnostic]:
    """An article record names only topics that exist."""
    return check_slugs(article.lines, "topics", article.topics, known["topics"], "topic")


def check_figure(figure: Figure, known: Known) -> list[Diagnostic]:
    """A figure names only topics and claims that exist."""
    return (check_slugs(figure.lines, "topics", figure.topics, known["topics"], "topic")
            + check_slugs(figure.lines, "claims", figure.claims, known["claims"], "claim"))


def check_claim(claim: Claim, known: Known) -> list[Diagnostic]:
    """A claim names only speakers and topics that exist."""
    return (check_slugs(claim.lines, "speakers", claim.speakers, known["speakers"], "speaker")
            + check_slugs(claim.lines, "topics", claim.topics, known["topics"], "topic"))


def check_annotation(note: Annotation, known: Known) -> list[Diagnostic]:
    """An annotation sits in an article's folder, names what exists, and cites sources when it disputes or corrects."""
    articles = known["articles"]
    found: list[Diagnostic] = []
    if note.article not in articles:
        found.append(error(note.lines.ref.at(1), f"the folder `{note.article}` names no article",
                           f"annotations live in content/annotations/<article-slug>/; {did_you_mean(note.article, articles)}"))
    found += check_slug(note.lines, "speaker", note.speaker, known["speakers"], "speaker")
    found += check_slug(note.lines, "claim", note.claim, known["claims"], "claim")
    found += check_slugs(note.lines, "topics", note.topics, known["topics"], "topic")
    found += check_slugs(note.lines, "figure", note.figures, known.get("figures", set()), "figure")
    for index, source in enumerate(note.sources):
        found += check_slug(note.lines, f"sources.{index}.article", source.article, articles, "article")
    if note.kind in NEEDS_SOURCES and not note.sources and not wrote_sources(note.lines):
        found.append(error(note.lines.of("kind"), f"a {note.kind} must cite its sources",
                           "add `sources:` with `- title: \"…\"` and `url: https://…` (or `article: <slug>`)"))
    return found


Check = Callable[[Any, Known], list[Diagnostic]]


def validate_references(content: Content, article_slugs: Iterable[str],
                        checks: Iterable[tuple[str, Check]] | None = None) -> list[Diagnostic]:
    """All reference problems in the content, in no particular order.

    `checks`: (content folder, check of one record) for each kind (the registry's); the built-in kinds' by default.
    """
    checks = DEFAULT_CHECKS if checks is None else checks
    known: Known = {name: {getattr(r, "slug", "") for r in getattr(content, name)} for name in content.__dataclass_fields__}
    known["articles"] = set(article_slugs) | known["articles"]
    return [problem for folder, check in checks for record in getattr(content, folder) for problem in check(record, known)]


DEFAULT_CHECKS: tuple[tuple[str, Check], ...] = (("figures", check_figure), ("articles", check_article), ("claims", check_claim),
                                                 ("annotations", check_annotation))
