"""The fast Planner: render only the pages whose recorded inputs changed.

While a page is made, every accessor it reads through notes an input (render/reads.py): a file
of the project, or a fact of the linked library. The last build kept, for each page, the keys
it noted and one fingerprint of them all. This build computes the same fingerprint from this
build's file digests and library: a page is kept (hard-linked or left in place) only when the
fingerprint is the same, known, under the same settings, and its files in the site are as the
last build left them. A page the last build did not record (new, or its inputs unknown) is rendered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from ..link.library import Library
from ..render.reads import fact_fingerprint
from ..seams import Plan
from .loadcache import Stamp, combined

Recorded = tuple[tuple[str, ...], str]  # the keys a page noted, sorted, and their fingerprint


class Fingerprints:
    """The fingerprint of each input key in this build (memoised: many pages share their inputs)."""

    def __init__(self, library: Library, digest_of: Callable[[str], str], specs: Sequence[Any]) -> None:
        self.library, self.digest_of = library, digest_of
        self.pages = combined(*(name for spec in specs for name in spec.outputs))
        self.known: dict[str, str] = {}

    def of(self, key: str) -> str:
        """One key's fingerprint ('' when unknown: a file not read this build, a fact that cannot be made)."""
        found = self.known.get(key)
        if found is None:
            if key == "@pages:":
                found = self.pages
            elif key.startswith("@"):
                found = fact_fingerprint(self.library, key)
            else:
                found = self.digest_of(key)
            self.known[key] = found
        return found

    def record(self, keys: Iterable[str], salt: str) -> Recorded:
        """What to keep of a page's inputs: its keys (sorted) and their fingerprint now ('' if one is unknown)."""
        ordered = tuple(sorted(keys))
        return ordered, self.fingerprint(ordered, salt)

    def fingerprint(self, ordered: tuple[str, ...], salt: str) -> str:
        """One digest of the keys' fingerprints, in the keys' order ('' as soon as one is unknown).

        The keys themselves are not hashed: a page's keys are kept with its fingerprint, and a
        different set of keys is a different page's record.
        """
        known, of = self.known, self.of
        values = [known.get(key) or of(key) for key in ordered]
        return combined(salt, len(ordered), *values) if all(values) else ""


class ChangedPages:
    """Plans a build from the last one: the pages whose inputs or files changed are rendered, the rest kept."""

    def __init__(self, recorded: Mapping[str, Recorded], salt: str, previous_salt: str, outputs: Mapping[str, str],
                 site_then: Mapping[str, Stamp], site_now: Mapping[str, Stamp], digest_of: Callable[[str], str]) -> None:
        self.recorded = recorded if salt == previous_salt else {}
        self.key = self.salt = salt
        self.outputs, self.site_then, self.site_now = outputs, site_then, site_now
        self.digest_of = digest_of
        self.fingerprints: Fingerprints | None = None

    def plan(self, library: Library, specs: Sequence[Any], settings: str) -> Plan:
        """Which specs to render: those not recorded, whose inputs changed, or whose site files were touched.

        Every fingerprint includes the settings (site.toml): a change of them renders every page.
        """
        self.salt = f"{self.key}|{settings}"
        self.fingerprints = Fingerprints(library, self.digest_of, specs)
        render: list[Any] = []
        keep: list[Any] = []
        for spec in specs:
            (keep if self.unchanged(spec) else render).append(spec)
        return Plan(specs, render, keep)

    def unchanged(self, spec: Any) -> bool:
        """Whether a spec's recorded inputs have the fingerprint they had, and its files are in the site as left."""
        found = self.recorded.get(spec.outputs[0])
        if found is None or found[1] == "" or self.fingerprints is None:
            return False
        if not all(name in self.outputs and self.site_now.get(name) is not None
                   and self.site_now.get(name) == self.site_then.get(name) for name in spec.outputs):
            return False
        return self.fingerprints.fingerprint(found[0], self.salt) == found[1]  # the keys were kept sorted

    def keep_records(self, plan: Plan, inputs: Mapping[str, frozenset[str]]) -> dict[str, Recorded]:
        """The records for the next build: the kept pages' as they were, the rendered pages' as just noted."""
        assert self.fingerprints is not None
        records = {spec.outputs[0]: self.recorded[spec.outputs[0]] for spec in plan.keep}
        records.update((name, self.fingerprints.record(keys, self.salt)) for name, keys in inputs.items())
        return records
