"""What each unit of output shows, as one digest made from the digests of the files it reads.

Computed from the library and the input files' digests alone, without building any view,
so an incremental build knows which pages to render in a few milliseconds. A digest that
cannot be made (a file digest unknown) is '' and its page is always rendered. Coarse on
purpose where it is cheap: every page that names a speaker, topic or claim depends on all
of those small records together (`taxonomy`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from .library import Library, Placed
from .loadcache import combined
from .render import PageSpec


Digests = Callable[..., str]  # (project path, salt='') -> the file's content digest, as LoadCache.digest


def article_digests(library: Library, digest_of: Digests) -> dict[str, str]:
    """Per article: its record, its seed and its annotation files ('' when one is unknown)."""
    found = {}
    for slug, entry in library.articles.items():
        record = digest_of(entry.article.lines.ref.path)
        parts = [record, digest_of(f"seeds/{entry.article.seed}", record)]
        parts += [digest_of(p.annotation.lines.ref.path) for p in entry.notes]
        found[slug] = combined(slug, *parts) if all(parts) else ""
    return found


def summary_digests(library: Library, digest_of: Digests) -> dict[str, str]:
    """Per article, what lists show of it: its record, its seed, its number of notes (not the notes themselves)."""
    found = {}
    for slug, entry in library.articles.items():
        record = digest_of(entry.article.lines.ref.path)
        seed = digest_of(f"seeds/{entry.article.seed}", record)
        found[slug] = combined(slug, record, seed, len(entry.notes)) if record and seed else ""
    return found


def page_digests(library: Library, specs: list[PageSpec], digest_of: Digests, salt: str) -> dict[str, str]:
    """Each spec's dependency digest, by its first output path ('' when it must be rendered anyway)."""
    articles = article_digests(library, digest_of)
    small = [r.lines.ref.path for kind in (library.speakers, library.topics, library.claims, library.figures)
             for r in kind.values()]
    small_digests = [digest_of(path) for path in small]
    taxonomy = combined(*small, *small_digests) if all(small_digests) else ""
    summaries = summary_digests(library, digest_of)
    tagged: dict[str, list[str]] = defaultdict(list)
    for slug, entry in library.articles.items():
        for topic in entry.article.topics:
            tagged[topic].append(slug)

    notes: dict[str, str] = {}  # a note is on its speaker's, claim's and topics' pages: one digest for all of them

    def of_note(p: Placed) -> str:
        """A note's file, its number and what lists show of its article (not the article's other notes)."""
        path = p.annotation.lines.ref.path
        found = notes.get(path)
        if found is None:
            note, summary = digest_of(path), summaries[p.annotation.article]
            found = notes[path] = combined(note, p.number, summary) if note and summary else ""
        return found

    def of_notes(placed: tuple[Placed, ...]) -> list[str]:
        """Per note, of_note."""
        return [of_note(p) for p in placed]

    everything = [summaries[s] for s in library.articles]
    every_article = [articles[s] for s in library.articles]  # the figures ledger and corrections read every text and note
    all_claimed = [p for items in library.by_claim.values() for p in items]
    claimed: dict[str, list[Placed]] = defaultdict(list)  # per article, its notes that carry a claim
    for p in all_claimed:
        claimed[p.annotation.article].append(p)
    counts = [(kind, slug, len(items)) for kind, index in (("s", library.by_speaker), ("t", library.by_topic))
              for slug, items in index.items()]
    parts: dict[str, Callable[[str], list[object]]] = {
        "article": lambda s: [articles[s], taxonomy],
        "speaker": lambda s: [taxonomy, *of_notes(library.by_speaker.get(s, ()))],
        "topic": lambda s: [taxonomy, *(summaries[a] for a in tagged.get(s, ())), *of_notes(library.by_topic.get(s, ()))],
        # A claim page's matrix row and timeline show only its notes and their articles (in of_note).
        "claim": lambda s: [taxonomy, *of_notes(library.by_claim.get(s, ()))],
        # The outlet page counts its articles' notes by kind, lists their claims with each claim's status, and
        # shows its articles' columns of the claim matrix.
        "outlet": lambda s: [repr(library.outlets[s]), taxonomy, *(articles[a] for a in library.outlets[s].articles),
                             *(of_note(p) for a in library.outlets[s].articles for p in claimed[a])],
        "home": lambda _: [taxonomy, *everything],
        "index_articles": lambda _: everything,
        "index_speakers": lambda _: [taxonomy, *counts],
        "index_topics": lambda _: [taxonomy, *counts],
        "index_claims": lambda _: [taxonomy, *everything, *of_notes(tuple(all_claimed))],
        "figure": lambda _: [taxonomy, *every_article],
        "index_figures": lambda _: [taxonomy, *every_article],
        "corrections": lambda _: [taxonomy, *every_article],
        "index_outlets": lambda _: [repr(list(library.outlets.values()))],
        "feed": lambda _: everything,
        "sitemap": lambda _: [name for spec in specs for name in spec.outputs],
    }
    found = {}
    for spec in specs:
        values = parts[spec.kind](spec.slug) if spec.kind in parts else []
        known = all(v != "" for v in values)
        found[spec.outputs[0]] = combined(salt, spec.kind, spec.slug, *values) if known else ""
    return found
