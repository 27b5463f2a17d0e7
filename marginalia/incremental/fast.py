"""The fast seams of one build, made from what the last build kept in `.cache/marginalia/`.

`fast_seams` reads the last build's state and gives the build its memoised Source (LoadCache),
its ChangedPages planner and its Writer (in place when there is a site of the last build,
stage-and-swap otherwise), or tells it that nothing changed at all. `FastSeams.keep`
saves what the next build reuses. The cache is only ever an accelerator: any mismatch means a
full build, with the same bytes.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..content.safepaths import safe_input_stamps
from ..output.search import pagefind_available
from ..output.write import MARKER, InPlace, Previous, StageAndSwap
from ..seams import Plan, Written
from .loadcache import LoadCache, Stamp
from .planner import ChangedPages
from .racy import early_digests, racy_changed, racy_digests
from .state import (BuildState, build_key, cache_folder, forget_state, load_caches, load_listings, load_state,
                    nothing_changed, save_listings, save_state, tool_digest, tree_stamps)


@dataclass
class FastSeams:
    """A build's fast Source, Planner and Writer, and what it needs to keep for the next build."""

    folder: Path  # where the state is kept (Project.state_folder)
    key: str
    inputs: dict[str, Stamp]
    usable: BuildState | None  # the last build's state with its caches, when it is of the same key
    source: LoadCache
    planner: ChangedPages | Any
    writer: StageAndSwap | InPlace
    parallel: bool = True
    up_to_date: BuildState | None = None  # set when nothing changed: the build has nothing to do
    scanned: list[Any] | None = None  # what the inputs' scan for links out of the project found (safepaths.py)
    started: int = 0  # when the build started (ns): files changed after it cannot be trusted by stamp (racy.py)
    early: dict[str, str] = field(default_factory=dict)
    kept: list[object] = field(default_factory=list)

    def keep(self, plan: Plan, inputs: dict[str, frozenset[str]], written: Written, summary: dict[str, Any]) -> None:
        """Save what the next build reuses: stamps, parsed files, anchorings, page records, Markdown."""
        records = self.planner.keep_records(plan, inputs)
        racy = racy_digests(self.inputs, self.source, self.started, self.early)
        table = self.planner.keep_table()
        save_state(self.folder, BuildState(self.key, self.inputs, written.site, records, summary, self.source.files,
                                           self.source.anchors, written.outputs, self.source.markdown, racy, table),
                   self.usable)
        self.kept.extend((self.usable, self.source, plan, written))


def project_key(project: Any, out: Path, base_url: str | None, strict: bool, search: bool, tool: str) -> str:
    """What besides the input files decides the output: the tool, the templates, the settings of this build."""
    return build_key(tool, project.templates, (base_url, strict, str(out), search and pagefind_available(),
                                               str(project.static), str(project.templates)))


def fast_seams(project: Any, out: Path, base_url: str | None, strict: bool, search: bool, incremental: bool) -> FastSeams:
    """The seams of a fast build of `project` into `out` (`incremental=False`: as if there were no last build)."""
    started = time.time_ns()
    listings = load_listings(project.state_folder, started)
    # Before anything reads an input (the templates, for the key): no link may lead outside the project.
    inputs, scanned = safe_input_stamps(project.root, [project.static] if project.static != project.root / "static" else [],
                                        listings)
    key = project_key(project, out, base_url, strict, search, tool_digest())
    state = load_state(project.state_folder) if incremental else None
    current = tree_stamps(out, listings=listings) if state is not None else {}
    save_listings(project.state_folder, listings)
    changed = racy_changed(project.root, state, inputs) if state is not None else set()
    early = early_digests(project.root, inputs, started)
    if state is not None and not changed and nothing_changed(state, key, inputs, current):
        return FastSeams(project.state_folder, key, inputs, None, LoadCache(), None, StageAndSwap(out, None), up_to_date=state)
    return changed_seams(project, out, search, incremental, key, inputs, state, current, changed,
                         Timing(started, early, scanned, listings.contents))


@dataclass(frozen=True)
class Timing:
    """When the build started, the digests of inputs changed too close to it, the inputs' scan and what it listed."""

    started: int
    early: dict[str, str]
    scanned: list[Any]
    contents: dict[str, list[tuple[str, bool, bool]]]  # what each folder under content/ holds (listings.py)


def changed_seams(project: Any, out: Path, search: bool, incremental: bool, key: str, inputs: dict[str, Stamp],
                  state: BuildState | None, current: dict[str, Stamp], changed: set[str], timing: Timing) -> FastSeams:
    """The seams of a build that has something to do."""
    forget_state(project.state_folder)  # the site is about to change: a crash must not leave a state that says otherwise
    usable = load_caches(project.state_folder, state) if state is not None and state.key == key else None
    source = LoadCache(inputs, usable.files if usable else {}, usable.anchors if usable else {}, changed=changed,
                       listings=timing.contents)
    source.markdown = dict(usable.markdown) if usable is not None else {}
    source.compiled = compiled_templates(project.root, key.partition("|")[0]) if incremental else None
    planner = ChangedPages(usable.page_inputs if usable else {}, key, usable.key if usable else "",
                           usable.outputs if usable else {}, usable.site if usable else {}, current, path_digests(source),
                           usable.fingerprints if usable else {})
    return FastSeams(project.state_folder, key, inputs, usable, source, planner, writer_for(project, out, usable, current, search),
                     scanned=timing.scanned, started=timing.started, early=timing.early)


def writer_for(project: Any, out: Path, usable: BuildState | None, current: dict[str, Stamp],
               search: bool) -> StageAndSwap | InPlace:
    """In place when there is a site of the last build (its search index updated bundle by bundle); stage-and-swap otherwise."""
    static = project.static if project.static.is_dir() else None
    previous = None if usable is None else Previous(dict(usable.outputs), tuple(usable.summary.get("warnings", ())),
                                                      current)
    if previous is not None and (out / MARKER).is_file():
        return InPlace(out, static, previous, search=search)
    return StageAndSwap(out, static, search, previous)


def path_digests(source: LoadCache) -> Any:
    """A look-up of this build's digest of a file by its project path (a seed is kept under a salt: ignored here)."""
    table: dict[str, str] = {}

    def digest_of(path: str) -> str:
        if not table:
            table.update((key.partition("\0")[0], found.digest) for key, found in source.files.items())
        return table.get(path, "")
    return digest_of


def compiled_templates(root: Path, tool: str) -> Path | None:
    """Where Jinja keeps compiled templates between builds, or None when it cannot be made.

    Jinja keys its files by template name and source only, so each version of the tool (`tool`:
    its digest) has a folder of its own, and the folders of other versions are deleted.
    """
    base = cache_folder(root) / "templates"
    folder = base / tool[:16]
    try:
        if base.is_dir():
            for other in base.iterdir():
                if other != folder:
                    shutil.rmtree(other, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder
