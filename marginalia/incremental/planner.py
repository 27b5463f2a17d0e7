"""The fast Planner: render only the pages whose recorded inputs changed.

While a page is made, every accessor it reads through notes an input (render/reads.py): a file
of the project, or a fact of the linked library. The last build kept, for each page, the keys
it noted, and one table of every key's fingerprint then. This build computes each key of that
table once from this build's file digests and library, which gives the set of keys that changed:
a page is kept (hard-linked or left in place) only when none of its keys is among them, all of
them were known when it was recorded, the settings are the same, and its files in the site are as
the last build left them. A page the last build did not record (new, or its inputs unknown) is rendered.

One fingerprint per key, not one per page: at 10,000 articles the pages note about two million
keys in all (the home and index pages note every article), but only about 100,000 distinct ones.

A process that builds again and again (`serve`) also keeps the fingerprints of the facts made from one
note list alone (reads.NOTE_LIST_FACTS, most of the facts) with the lists they were made from: while a
list holds the very same notes, its facts are not made again (NoteListMemo).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from ..link.library import Library, Placed
from ..render.reads import NOTE_LIST_FACTS, fact_fingerprint, placed_list
from ..seams import Plan
from .loadcache import Stamp, combined

Recorded = tuple[tuple[str, ...], str]  # the keys a page noted, sorted, and their fingerprint


SALT = "\0salt"  # the table's entry for the settings it was made under (no input key starts with NUL)
PLACED_FIELDS = ("annotation", "anchor", "number", "block")  # what same_notes compares (a test holds it to Placed's)


def same_notes(then: tuple[Placed, ...] | None, now: tuple[Placed, ...]) -> bool:
    """Whether two note lists hold the very same notes: the same annotation and anchor objects, numbered and placed alike.

    Identity, not equality: records are frozen, and the load cache gives an unchanged file's record as the object it
    gave last time; equal records may still differ in what a fingerprint shows (an Annotation compares without its file).
    """
    if then is now:
        return True
    return then is not None and len(then) == len(now) and all(
        a.annotation is b.annotation and a.anchor is b.anchor and a.number == b.number and a.block == b.block
        for a, b in zip(then, now))


class NoteListMemo:
    """The fingerprints of note-list facts made in one build, and the lists they were made from, for the next build.

    Such a fingerprint is made from its list and its key alone (reads.NOTE_LIST_FACTS), so one made from
    the same notes is the same, whichever library or project the list came from. The objects are held, so
    none of them can be freed and its id reused while compared by identity.
    """

    def __init__(self, last: NoteListMemo | None = None) -> None:
        self.lists_then = last.lists if last is not None else {}
        self.facts_then = last.facts if last is not None else {}
        self.lists: dict[tuple[str, str], tuple[Placed, ...]] = {}
        self.facts: dict[str, str] = {}
        self.same: dict[tuple[str, str], bool] = {}  # this build's comparison of each list with the last build's

    def fingerprint(self, library: Library, key: str) -> str | None:
        """A note-list fact's fingerprint ('' when it cannot be made), None when `key` is no note-list fact."""
        name, _, arg = key[1:].partition(":")
        fact = NOTE_LIST_FACTS.get(name)
        if fact is None:
            return None
        try:  # as fact_fingerprint: a fact that cannot be made has no fingerprint, and its page renders
            where = fact[0](arg)
            placed = placed_list(library, *where)
            same = self.same.get(where)
            if same is None:
                same = self.same[where] = same_notes(self.lists_then.get(where), placed)
                self.lists[where] = placed
            found = self.facts_then.get(key) if same else None
            if found is None:
                found = fact[1](placed, arg)
        except (KeyError, AttributeError):
            return ""
        self.facts[key] = found
        return found


_last_memo: list[NoteListMemo | None] = [None]  # the last build's, in this process


class Fingerprints:
    """The fingerprint of each input key in this build (memoised: many pages share their inputs)."""

    def __init__(self, library: Library, digest_of: Callable[[str], str], specs: Sequence[Any]) -> None:
        self.library, self.digest_of = library, digest_of
        self.pages = combined(*(name for spec in specs for name in spec.outputs))
        self.known: dict[str, str] = {}
        self.notes = _last_memo[0] = NoteListMemo(_last_memo[0])

    def of(self, key: str) -> str:
        """One key's fingerprint ('' when unknown: a file not read this build, a fact that cannot be made)."""
        found = self.known.get(key)
        if found is None:
            if key == "@pages:":
                found = self.pages
            elif key.startswith("@"):
                listed = self.notes.fingerprint(self.library, key)
                found = listed if listed is not None else fact_fingerprint(self.library, key)
            else:
                found = self.digest_of(key)
            self.known[key] = found
        return found

    def record(self, keys: Iterable[str], salt: str) -> Recorded:
        """What to keep of a page's inputs: its keys (sorted), and "known" ('' if the fingerprint of one is unknown).

        `salt` is kept in the table (see `table`), not in each record.
        """
        ordered = tuple(sorted(keys))
        of = self.of
        return ordered, "known" if all([of(key) for key in ordered]) else ""

    def changed_since(self, table: Mapping[str, str]) -> set[str]:
        """The keys of a last build's table whose fingerprint is not the same now (or is unknown now)."""
        of = self.of
        return {key for key, then in table.items() if key != SALT and of(key) != then}

    def table(self, salt: str) -> dict[str, str]:
        """Every known key's fingerprint in this build, and the settings, for the next build."""
        found = {key: value for key, value in self.known.items() if value}
        found[SALT] = salt
        return found


class ChangedPages:
    """Plans a build from the last one: the pages whose inputs or files changed are rendered, the rest kept."""

    def __init__(self, recorded: Mapping[str, Recorded], salt: str, previous_salt: str, outputs: Mapping[str, str],
                 site_then: Mapping[str, Stamp], site_now: Mapping[str, Stamp], digest_of: Callable[[str], str],
                 table: Mapping[str, str] | None = None) -> None:
        self.recorded = recorded if salt == previous_salt else {}
        self.key = self.salt = salt
        self.outputs, self.site_then, self.site_now = outputs, site_then, site_now
        self.digest_of = digest_of
        self.table: Mapping[str, str] = table or {}
        self.fingerprints: Fingerprints | None = None
        self.changed: set[str] = set()

    def plan(self, library: Library, specs: Sequence[Any], settings: str) -> Plan:
        """Which specs to render: those not recorded, whose inputs changed, or whose site files were touched.

        The table was made under the settings (site.toml) of its build: a change of them renders every page.
        """
        self.salt = f"{self.key}|{settings}"
        self.fingerprints = Fingerprints(library, self.digest_of, specs)
        if self.table.get(SALT) != self.salt:
            self.recorded = {}
        self.changed = self.fingerprints.changed_since(self.table) if self.recorded else set()
        render: list[Any] = []
        keep: list[Any] = []
        for spec in specs:
            (keep if self.unchanged(spec) else render).append(spec)
        return Plan(specs, render, keep)

    def unchanged(self, spec: Any) -> bool:
        """Whether a spec's recorded inputs all were known and none changed, and its files are in the site as left."""
        found = self.recorded.get(spec.outputs[0])
        if found is None or found[1] == "" or self.fingerprints is None:
            return False
        if not all(name in self.outputs and self.site_now.get(name) is not None
                   and self.site_now.get(name) == self.site_then.get(name) for name in spec.outputs):
            return False
        return self.changed.isdisjoint(found[0])

    def keep_records(self, plan: Plan, inputs: Mapping[str, frozenset[str]]) -> dict[str, Recorded]:
        """The records for the next build: the kept pages' as they were, the rendered pages' as just noted."""
        assert self.fingerprints is not None
        records = {spec.outputs[0]: self.recorded[spec.outputs[0]] for spec in plan.keep}
        records.update((name, self.fingerprints.record(keys, self.salt)) for name, keys in inputs.items())
        return records

    def keep_table(self) -> dict[str, str]:
        """The fingerprint table for the next build (call after keep_records, which evaluates the new keys)."""
        assert self.fingerprints is not None
        return self.fingerprints.table(self.salt)
