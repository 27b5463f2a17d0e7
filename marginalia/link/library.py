"""The link stage: anchor every quote in its article and build the cross-reference index."""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from slugify import slugify

from .anchoring import Anchor, Miss, anchor_quote, normalize
from ..diagnostics import Diagnostic, error
from ..incremental.loadcache import LoadCache, combined
from ..incremental.parallel import ordered_map
from .reanchor import miss_explanation
from ..content.records import Annotation, Article, Claim, Content, Figure, Speaker, Topic
from ..content.seedload import SeedSource
from ..content.seeds import SeedText


@dataclass(frozen=True, slots=True)
class Placed:
    """An annotation anchored in its article: where its highlight is, and its number there."""

    annotation: Annotation
    anchor: Anchor
    number: int
    block: int  # index of the block where the highlight ends: the note is shown after it


@dataclass(frozen=True, slots=True)
class ArticleEntry:
    """An article with its text, where each block starts in that text, and its anchored notes."""

    article: Article
    source: SeedSource
    block_starts: tuple[int, ...]
    notes: tuple[Placed, ...]

    @property
    def seed(self) -> SeedText:
        """The seed read into blocks (parsed on first use when it came from the cache: see SeedSource)."""
        return self.source.text()

    @property
    def text(self) -> str:
        """The article's plain text, made when asked: a second copy of every article, kept, is a tenth of the memory."""
        return article_text(self.seed)[0]


@dataclass(frozen=True, slots=True)
class Outlet:
    """A publisher, grouping its articles."""

    slug: str
    name: str
    articles: tuple[str, ...]


@dataclass(frozen=True)
class Library:
    """Everything the render stage reads: records by slug and who refers to whom."""

    articles: dict[str, ArticleEntry]  # newest first
    speakers: dict[str, Speaker]
    topics: dict[str, Topic]
    claims: dict[str, Claim]
    outlets: dict[str, Outlet]
    by_speaker: dict[str, tuple[Placed, ...]] = field(default_factory=dict)
    by_claim: dict[str, tuple[Placed, ...]] = field(default_factory=dict)
    by_topic: dict[str, tuple[Placed, ...]] = field(default_factory=dict)
    figures: dict[str, Figure] = field(default_factory=dict)

    def placed(self) -> list[Placed]:
        """Every anchored annotation, article by article."""
        return [p for entry in self.articles.values() for p in entry.notes]


def article_text(seed: SeedText) -> tuple[str, tuple[int, ...]]:
    """The article's plain text (blocks joined by newlines) and each block's start offset."""
    texts = [block.text for block in seed.blocks]  # `text` joins the block's spans: once per block, not twice
    starts, offset = [], 0
    for text in texts:
        starts.append(offset)
        offset += len(text) + 1
    return "\n".join(texts), tuple(starts)


def block_of(offset: int, starts: tuple[int, ...]) -> int:
    """The index of the block holding a text offset."""
    return max(bisect.bisect_right(starts, offset) - 1, 0)  # starts ascend: binary search


def miss_diagnostic(note: Annotation, text: str, miss: Miss) -> Diagnostic:
    """An error for a quote that cannot be anchored, showing what would fix it."""
    message, hint = miss_explanation(note.quote, text, miss)
    return error(note.lines.of("quote"), message, hint)


def anchor_notes(seed: SeedText, notes: list[Annotation]) -> tuple[list[tuple[int, Anchor]], list[Diagnostic]]:
    """Where each note's quote stands (by the note's index), and a diagnostic for each that cannot be placed.

    Small and picklable on purpose: a worker process returns it, the parent keeps its own records.
    """
    text, _ = article_text(seed)
    normal = normalize(text)
    anchors: list[tuple[int, Anchor]] = []
    problems: list[Diagnostic] = []
    for index, note in enumerate(notes):
        result = anchor_quote(text, note.quote, note.prefix, note.suffix, normal)
        if isinstance(result, Miss):
            problems.append(miss_diagnostic(note, text, result))
        else:
            anchors.append((index, result))
    return anchors, problems


def assemble_entry(article: Article, source: SeedSource, notes: list[Annotation],
                   anchors: list[tuple[int, Anchor]]) -> ArticleEntry:
    """The article's entry: its notes placed at their anchors and numbered in reading order."""
    starts = source.facts.block_starts
    found = sorted(((anchor, notes[index]) for index, anchor in anchors),
                   key=lambda pair: (pair[0].start, pair[0].end, pair[1].id))
    placed = tuple(Placed(note, anchor, number, block_of(anchor.end - 1, starts))
                   for number, (anchor, note) in enumerate(found, start=1))
    return ArticleEntry(article, source, starts, placed)


def newest_first(entry: ArticleEntry) -> tuple[int, str, str]:
    """Sort key: dated articles newest first, then undated ones, by title."""
    published = entry.article.published
    return (-(published or dt.date.min).toordinal(), entry.article.title or "", entry.article.slug)


def group(placed: list[Placed], keys: Callable[[Annotation], Iterable[str]]) -> dict[str, tuple[Placed, ...]]:
    """Annotations grouped under each key `keys(annotation)` yields."""
    groups: dict[str, list[Placed]] = defaultdict(list)
    for item in placed:
        for key in keys(item.annotation):
            groups[key].append(item)
    return {key: tuple(items) for key, items in sorted(groups.items())}


def outlets_of(entries: list[ArticleEntry]) -> dict[str, Outlet]:
    """Publishers by slug, each with its articles (newest first)."""
    names: dict[str, str] = {}
    members: dict[str, list[str]] = defaultdict(list)
    for entry in entries:
        if entry.article.outlet:
            slug = slugify(entry.article.outlet) or "outlet"
            names.setdefault(slug, entry.article.outlet)
            members[slug].append(entry.article.slug)
    return {slug: Outlet(slug, names[slug], tuple(members[slug])) for slug in sorted(names)}


def anchoring_key(cache: LoadCache, article: Article, notes: list[Annotation]) -> str:
    """The digests of every file an article's anchoring reads ('' when one is unknown: then it is not reused)."""
    parts = [cache.digest(article.lines.ref.path), cache.digest(f"seeds/{article.seed}", cache.digest(article.lines.ref.path))]
    parts += [cache.digest(note.lines.ref.path) for note in notes]
    return "" if not all(parts) else combined(article.slug, *parts)


def anchor_all(articles: list[tuple[Article, SeedSource, list[Annotation]]], problems: list[Diagnostic],
               cache: LoadCache) -> list[ArticleEntry]:
    """Each article's entry: anchorings unchanged since the last build are reused, the others made on every core."""
    keys = [anchoring_key(cache, article, notes) for article, _, notes in articles]
    todo = [i for i, key in enumerate(keys) if not cache.has_anchors(key)]
    fresh = dict(zip(todo, ordered_map(lambda i: anchor_notes(articles[i][1].text(), articles[i][2]), todo)))
    entries = []
    for index, (article, source, notes) in enumerate(articles):
        anchors, found = cache.anchored(keys[index],
                                        lambda index=index, source=source, notes=notes:  # type: ignore[misc]
                                        fresh[index] if index in fresh else anchor_notes(source.text(), notes))
        problems.extend(found)
        entries.append(assemble_entry(article, source, notes, anchors))
    return entries


def link(content: Content, seeds: dict[str, SeedSource], cache: LoadCache | None = None) -> tuple[Library, list[Diagnostic]]:
    """Anchor all quotes and index the content; returns the library and anchoring problems."""
    cache = cache if cache is not None else LoadCache()
    problems: list[Diagnostic] = []
    notes_of: dict[str, list[Annotation]] = defaultdict(list)
    for note in content.annotations:
        notes_of[note.article].append(note)
    entries = anchor_all([(a, seeds[a.slug], notes_of[a.slug]) for a in content.articles if a.slug in seeds],
                         problems, cache)
    entries.sort(key=newest_first)
    placed = [p for e in entries for p in e.notes]
    library = Library(
        articles={e.article.slug: e for e in entries},
        speakers={s.slug: s for s in sorted(content.speakers, key=lambda s: s.slug)},
        topics={t.slug: t for t in sorted(content.topics, key=lambda t: t.slug)},
        claims={c.slug: c for c in sorted(content.claims, key=lambda c: c.slug)},
        outlets=outlets_of(entries),
        by_speaker=group(placed, lambda a: [a.speaker] if a.speaker else []),
        by_claim=group(placed, lambda a: [a.claim] if a.claim else []),
        by_topic=group(placed, lambda a: a.topics),
        figures={f.slug: f for f in sorted(content.figures, key=lambda f: f.slug)},
    )
    return library, problems
