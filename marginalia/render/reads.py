"""The library as the render stage reads it: every accessor notes what it read.

Lektor's `Context.record_dependency`, here: a page's view is built only through `Reads`, and
each accessor notes the inputs behind what it returns, either a file (`content/speakers/x.md`,
`seeds/y.txt`) or a fact of the linked library (`@count:<article>`: how many notes an article
has; `@by_speaker:<slug>`: which notes, numbered, quote a speaker; `@fields:speakers/<slug>/name`: a
speaker's name and nothing else of the file; `@note_fields:by_claim/<slug>/kind,article`: which notes
carry a claim, with those fields of each). A page notes only what it shows: a link to a speaker
notes the name, not the file, so an edit of the speaker's description renders only the page that shows it. The keys noted while a page
is made are its dependencies; the Planner (incremental/planner.py) renders the page again when
the fingerprint of any of them differs: a file changed or is gone, a fact came out otherwise
(a note was added where the page looks, or removed). Nothing is declared by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from operator import attrgetter
from typing import Any, TypeVar

from ..content.records import Annotation, Article, Claim, Speaker, Topic
from ..link.library import ArticleEntry, Library, Outlet, Placed
from ..incremental.loadcache import combined
from . import matrix, paginate

T = TypeVar("T")


def note_keys(placed: tuple[Placed, ...]) -> str:
    """What a list of placed notes is: their files and numbers, in order."""
    return combined(*(f"{p.annotation.lines.ref.path}#{p.number}" for p in placed))


def _article_order(library: Library, _: str) -> str:
    return combined(*library.articles)


def _all(library: Library, kind: str) -> str:
    return combined(*getattr(library, kind))


def _tagged(library: Library, topic: str) -> str:
    return combined(*(s for s, e in library.articles.items() if topic in e.article.topics))


def _outlets(library: Library, _: str) -> str:
    return combined(*(repr(o) for o in library.outlets.values()))


def claim_order(library: Library, claims: list[str] | None) -> list[str]:
    """Claims (every one: None), most contested first, as the claim tracker orders its rows."""
    return sorted(library.claims if claims is None else claims, key=lambda c: matrix.contested_key(library, c))


def _claim_order(library: Library, arg: str) -> str:
    return combined(*claim_order(library, arg.split(",") if arg else None))


SMALL_KINDS = ("speakers", "topics", "claims", "figures")
NOTE_LISTS = ("notes", "by_speaker", "by_topic", "by_claim")  # an article's notes, or an index's


def _fields(library: Library, arg: str) -> str:
    """`<kind>/<slug>/<field,field>`: some fields of a speaker, topic, claim or figure (not its whole file)."""
    kind, slug, names = arg.split("/")
    if kind not in SMALL_KINDS:
        raise KeyError(kind)
    record = getattr(library, kind)[slug]
    return repr(tuple(getattr(record, name) for name in names.split(",")))


def placed_list(library: Library, where: str, slug: str) -> tuple[Placed, ...]:
    """The notes of an article (`notes`) or of an index (`by_claim`, …), in their order."""
    if where == "notes":
        return library.articles[slug].notes
    if where not in NOTE_LISTS:
        raise KeyError(where)
    return getattr(library, where).get(slug, ())  # type: ignore[no-any-return]


def note_field(name: str) -> Callable[[Placed], object]:
    """A getter of one field of a placed note: the annotation's (`kind`, `claim`, …) or the placing's (`anchor`, `block`)."""
    return attrgetter(name if name in ("anchor", "block") else f"annotation.{name}")


def _note_fields(placed: tuple[Placed, ...], arg: str) -> str:
    """`<list>/<slug>/<field,field>`: which notes a list holds and some fields of each (not their files)."""
    getters = [note_field(name) for name in arg.split("/")[2].split(",")]  # made once a list: 30,000 lists at 10,000 articles
    return combined(*(f"{p.annotation.lines.ref.path}#{p.number}:{[get(p) for get in getters]!r}" for p in placed))


def _claims_of(placed: tuple[Placed, ...], _: str) -> str:
    return combined(*dict.fromkeys(p.annotation.claim or "" for p in placed))


def _list_of(arg: str) -> tuple[str, str]:
    """The list a `<list>/<slug>/…` argument names."""
    where, slug, _ = arg.split("/")
    return where, slug


def _index_of(index: str) -> Callable[[str], tuple[str, str]]:
    return lambda slug: (index, slug)


def _claims_list(arg: str) -> tuple[str, str]:
    index, _, slug = arg.partition("|")
    return index, slug


# The facts made from one note list alone (placed_list(library, *where(arg))): each name's `where`, and its
# fingerprint from that list and the argument. Given the list and not the library, such a fingerprint can read
# nothing else: the Planner keeps it while the list holds the same notes (planner.py, in a process that builds again).
NoteListFact = tuple[Callable[[str], tuple[str, str]], Callable[[tuple[Placed, ...], str], str]]
NOTE_LIST_FACTS: dict[str, NoteListFact] = {
    "notes": (_index_of("notes"), lambda placed, _: note_keys(placed)),
    "count": (_index_of("notes"), lambda placed, _: str(len(placed))),
    **{index: (_index_of(index), lambda placed, _: note_keys(placed)) for index in ("by_speaker", "by_topic", "by_claim")},
    "claims_of": (_claims_list, _claims_of),
    "note_fields": (_list_of, _note_fields),
}


def _note_list_fact(name: str) -> Callable[[Library, str], str]:
    where, fingerprint = NOTE_LIST_FACTS[name]
    return lambda library, arg: fingerprint(placed_list(library, *where(arg)), arg)


def _corrected(library: Library, _: str) -> str:
    """Every correction, with what the corrections page says of the note or claim it corrects."""
    from ..link.corrections import entries  # the corrections module imports the library, as this module does

    return combined(*(repr((e.target, e.index, e.correction, e.placed.annotation.quote if e.placed else None,
                            e.placed.annotation.lines.ref.path if e.placed else None,
                            e.claim.statement if e.claim else None)) for e in entries(library)))


# Each fact's fingerprint from a linked library: the Planner evaluates the ones a page noted.
FACTS: dict[str, Callable[[Library, str], str]] = {
    "articles": _article_order, "all": _all, "tagged": _tagged, "outlets": _outlets, "page": paginate.page_fingerprint,
    "claim_order": _claim_order, "fields": _fields, "corrected": _corrected,
    **{name: _note_list_fact(name) for name in NOTE_LIST_FACTS},
}


def fact_fingerprint(library: Library, key: str) -> str:
    """The fingerprint of a fact key (`@name:arg`) in this library; '' when it cannot be made (then the page renders)."""
    name, _, arg = key[1:].partition(":")
    try:
        return FACTS[name](library, arg)
    except (KeyError, AttributeError):
        return ""


class Reads:
    """Accessors over the library that note the inputs behind each value they return."""

    def __init__(self, library: Library, page_size: int = paginate.DEFAULT_SIZE) -> None:
        self.library, self.page_size = library, page_size
        self._stack: list[set[str]] = []
        self._memo: dict[str, tuple[object, frozenset[str]]] = {}

    def note(self, *keys: str) -> None:
        """Note inputs of what is being made (nothing when no page is being recorded)."""
        if self._stack:
            self._stack[-1].update(keys)

    @contextmanager
    def recording(self) -> Iterator[set[str]]:
        """Collect the keys noted inside the block; they are also noted for any recording around it."""
        found: set[str] = set()
        self._stack.append(found)
        try:
            yield found
        finally:
            self._stack.pop()
            self.note(*found)

    def memo(self, key: str, make: Callable[[], T]) -> T:
        """`make()` once per build; each later use notes the same inputs the first one noted."""
        known = self._memo.get(key)
        if known is not None:
            self.note(*known[1])
            return known[0]  # type: ignore[return-value]
        with self.recording() as noted:
            value = make()
        self._memo[key] = (value, frozenset(noted))
        return value

    def article(self, slug: str) -> Article:
        """An article's record, its defaults filled from its seed."""
        article = self.library.articles[slug].article
        self.note(article.lines.ref.path, f"seeds/{article.seed}")
        return article

    def entry(self, slug: str) -> ArticleEntry:
        """An article with its text and every note anchored in it (its page reads all of that)."""
        entry = self.library.articles[slug]
        self.note(entry.article.lines.ref.path, f"seeds/{entry.article.seed}", f"@notes:{slug}",
                  *(p.annotation.lines.ref.path for p in entry.notes))
        return entry

    def note_count(self, slug: str) -> int:
        """How many notes an article has."""
        self.note(f"@count:{slug}")
        return len(self.library.articles[slug].notes)

    def article_slugs(self) -> list[str]:
        """Every article, newest first."""
        self.note("@articles:")
        return list(self.library.articles)

    def tagged(self, topic: str) -> list[str]:
        """The articles whose records list a topic, newest first."""
        self.note(f"@tagged:{topic}")
        return [s for s, e in self.library.articles.items() if topic in e.article.topics]

    def speaker(self, slug: str) -> Speaker:
        """A speaker's record."""
        return self._small(self.library.speakers[slug])

    def topic(self, slug: str) -> Topic:
        """A topic's record."""
        return self._small(self.library.topics[slug])

    def claim(self, slug: str) -> Claim:
        """A claim's record."""
        return self._small(self.library.claims[slug])

    def _small(self, record: T) -> T:
        self.note(record.lines.ref.path)  # type: ignore[attr-defined]
        return record

    def has_speaker(self, slug: str) -> bool:
        """Whether a speaker of this slug exists."""
        self.note("@all:speakers")
        return slug in self.library.speakers

    def slugs(self, kind: str) -> list[str]:
        """Every slug of a small kind (speakers, topics, claims), sorted."""
        self.note(f"@all:{kind}")
        return list(getattr(self.library, kind))

    def notes_by(self, index: str, slug: str) -> tuple[Placed, ...]:
        """The notes that name a speaker, claim or topic (`index`: by_speaker, by_claim, by_topic), and their files."""
        placed: tuple[Placed, ...] = getattr(self.library, index).get(slug, ())
        self.note(f"@{index}:{slug}", *(p.annotation.lines.ref.path for p in placed))
        return placed

    def count_by(self, index: str, slug: str) -> int:
        """How many notes name a speaker, claim or topic."""
        self.note(f"@{index}:{slug}")
        return len(getattr(self.library, index).get(slug, ()))

    def page(self, kind: str, slug: str, number: int) -> paginate.Slice:
        """Page `number` of a paged page's lists (paginate.py), and how many pages there are: noted as that slice
        only, so a note added on page 3 leaves pages 1 and 2 as they were. What each entry shows is noted as it is read."""
        self.note(f"@page:{kind}|{slug}|{number}|{self.page_size}")
        return paginate.slices(self.library, kind, slug, number, self.page_size)

    def claims_of(self, index: str, slug: str) -> list[str]:
        """The claims the notes on a speaker or topic carry, in the notes' order (not the notes themselves)."""
        self.note(f"@claims_of:{index}|{slug}")
        return list(dict.fromkeys(p.annotation.claim for p in getattr(self.library, index).get(slug, ()) if p.annotation.claim))

    def claim_order(self, claims: list[str] | None = None) -> list[str]:
        """Claims (every one: None), most contested first (the claim tracker's rows): noted as that order of them,
        not their notes, so a claim's new note renders only the pages where it moves a row."""
        self.note(f"@claim_order:{','.join(sorted(claims)) if claims is not None else ''}")
        return claim_order(self.library, None if claims is None else sorted(claims))

    def fields(self, kind: str, slug: str, *names: str) -> tuple[Any, ...]:
        """Some fields of a speaker, topic, claim or figure (`kind`: speakers, …): the page depends on those alone."""
        record = getattr(self.library, kind)[slug]
        self.note(f"@fields:{kind}/{slug}/{','.join(names)}")
        return tuple(getattr(record, name) for name in names)

    def field(self, kind: str, slug: str, name: str) -> Any:
        """One field of a speaker, topic, claim or figure (see `fields`)."""
        return self.fields(kind, slug, name)[0]

    def note_fields(self, where: str, slug: str, *names: str) -> tuple[Placed, ...]:
        """The notes of an article (`where`: notes) or an index (by_claim, …), for a view that reads only the
        fields `names` of each (annotation fields, or `anchor` and `block`): their other fields are not its inputs."""
        self.note(f"@note_fields:{where}/{slug}/{','.join(names)}")
        return placed_list(self.library, where, slug)

    def corrected(self) -> None:
        """Note every correction and what the corrections page says of what it corrects (`@corrected:`)."""
        self.note("@corrected:")

    def annotation(self, placed: Placed) -> Annotation:
        """A placed note's record."""
        self.note(placed.annotation.lines.ref.path)
        return placed.annotation

    def figure(self, slug: str) -> Any:
        """A figure's record."""
        return self._small(self.library.figures[slug])

    def has_figure(self, slug: str) -> bool:
        """Whether a figure of this slug exists."""
        self.note("@all:figures")
        return slug in self.library.figures

    def whole_library(self) -> Library:
        """The library itself, for a view that reads it without accessors: its inputs cannot be known, so its page
        (`@unknown:` has no fingerprint) is rendered by every build."""
        self.note("@unknown:")
        return self.library

    def outlets(self) -> dict[str, Outlet]:
        """Every outlet, by slug."""
        self.note("@outlets:")
        return self.library.outlets

    def outlet(self, slug: str) -> Outlet:
        """One outlet."""
        self.note("@outlets:")
        return self.library.outlets[slug]
