"""The build as a short script of named stages: load → validate → link → render → write."""

from __future__ import annotations

import dataclasses
import gc
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .config import SiteConfig, load_config
from .diagnostics import ContentError, Diagnostic, has_errors, sorted_diagnostics
from .library import Library, link
from .load import load_content
from .depends import page_digests
from .incremental import (BuildState, Stamp, build_key, cache_folder, forget_state, generated_names, link_tree,
                          load_caches, load_state, nothing_changed, save_state, stamp_of, static_unchanged, tree_stamps, tool_digest)
from .loadcache import LoadCache
from .racy import early_digests, racy_changed, racy_digests
from .safepaths import safe_input_stamps, safe_inputs
from .render import PageSpec, page_specs, render_site
from .search import UNAVAILABLE, index_search, pagefind_available
from .seedload import load_seeds
from .validate import validate_references
from .write import MARKER, check_output_folder, update_site, write_site

TOOL_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Project:
    """Where a project's files are: its root, templates and static folders, and where its build state is kept.

    `state`: the folder of the last build's state (default: the project's cache folder). `serve`
    keeps its own, so its preview builds never make the next plain build start over.
    """

    root: Path
    state: Path | None = None

    @property
    def state_folder(self) -> Path:
        """Where the last build's state and per-file caches are kept."""
        return self.state if self.state is not None else cache_folder(self.root)

    @property
    def templates(self) -> Path:
        """The project's templates/, or the tool's own when the project has none."""
        own = self.root / "templates"
        return own if own.is_dir() else TOOL_ROOT / "templates"

    @property
    def static(self) -> Path:
        """The project's static/, or the tool's own when the project has none."""
        own = self.root / "static"
        return own if own.is_dir() else TOOL_ROOT / "static"


@dataclass(frozen=True)
class Checked:
    """The result of every stage before writing: the library, the settings, and all diagnostics."""

    config: SiteConfig
    library: Library
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote and how long it took."""

    checked: Checked
    pages: int
    files: int
    seconds: float
    warnings: tuple[str, ...] = ()  # from the steps after rendering (the search index)
    timings: tuple[tuple[str, float], ...] = ()  # seconds per stage, for --verbose
    rendered: int = -1  # pages rendered this time (the others were unchanged); -1: all


def check(project: Project, base_url: str | None = None, strict: bool = False,
          cache: LoadCache | None = None, scanned: list[Diagnostic] | None = None) -> Checked:
    """Load, validate and link everything; raises ContentError with every problem at once.

    With a `cache` (from the last build), unchanged files are not parsed and unchanged articles not anchored again.
    `scanned`: what safe_inputs found, when the caller has run it already (it must run before any input is read).
    """
    scanned = safe_inputs(project.root) if scanned is None else scanned
    cache = cache if cache is not None else LoadCache()
    config = load_config(project.root, base_url)
    loaded = load_content(project.root, cache)
    articles, seeds, seed_problems = load_seeds(project.root, loaded.content.articles, cache)
    content = dataclasses.replace(loaded.content, articles=articles)
    problems = list(loaded.diagnostics) + seed_problems + scanned
    problems += validate_references(content, [a.slug for a in loaded.content.articles])
    library, anchoring_problems = link(content, seeds, cache)
    diagnostics = sorted_diagnostics(problems + anchoring_problems)
    if has_errors(diagnostics, strict):
        raise ContentError(diagnostics)
    return Checked(config, library, tuple(diagnostics))


@dataclass(frozen=True)
class Plan:
    """What the write stage does with each unit of output: render it, or link it unchanged from the current site."""

    specs: list[PageSpec]
    digests: dict[str, str]  # dependency digest by first output path
    render: list[PageSpec]
    keep: list[PageSpec]


def build(project: Project, out: Path, base_url: str | None = None, strict: bool = False,
          incremental: bool = True, search: bool = True,
          progress: Callable[[int, int], None] | None = None, keep: list[object] | None = None) -> BuildResult:
    """Check, render and write the site into `out`; nothing is written unless everything succeeds.

    Incremental (the default) reuses what the last build left in `.cache/` and `out`; the
    bytes written are the same as a full build's (see incremental.py). With `keep`, the build's working
    data (caches, last build's state) is appended to it rather than freed on return (cli.main_then_exit).
    """
    with collector_paused(freeze=keep is not None):
        return build_site(project, out, base_url, strict, incremental, search, progress, keep)


@contextmanager
def collector_paused(freeze: bool = False) -> Iterator[None]:
    """Python's cycle collector off for the length of a build.

    A build makes hundreds of thousands of objects and keeps nearly all of them to the end, so the
    collector's passes find nothing to free yet cost about a tenth of a cold build; forked workers
    also stop touching (and so copying) the parent's memory. Whatever cycles a build leaves are
    collected after it, when the collector is on again. With `freeze` (the process ends after the
    build), what exists then is moved out of the collector's sight instead: the first pass after it
    is switched on would otherwise walk every object of the build (half a second at 10,000 articles).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


def build_site(project: Project, out: Path, base_url: str | None, strict: bool, incremental: bool, search: bool,
               progress: Callable[[int, int], None] | None, keep: list[object] | None = None) -> BuildResult:
    """The body of `build`, run with the cycle collector paused."""
    clock = StageClock()
    check_output_folder(out, project.root)
    out = out.resolve()
    started = time.time_ns()
    # Before anything reads an input (the templates, for the key): no link may lead outside the project.
    inputs, scanned = safe_input_stamps(project.root, [project.static] if project.static != project.root / "static" else [])
    tool = tool_digest()
    key = build_key(tool, project.templates, (base_url, strict, str(out), search and pagefind_available(),
                                                        str(project.static), str(project.templates)))
    state = load_state(project.state_folder) if incremental else None
    current = tree_stamps(out) if state is not None else {}
    changed = racy_changed(project.root, state, inputs) if state is not None else set()
    early = early_digests(project.root, inputs, started)
    if state is not None and not changed and nothing_changed(state, key, inputs, current):
        return unchanged_result(project, base_url, state, clock)
    forget_state(project.state_folder)
    usable = load_caches(project.state_folder, state) if state is not None and state.key == key else None
    cache = LoadCache(inputs, usable.files if usable else {}, usable.anchors if usable else {}, changed=changed)
    clock.lap("look for changes")
    checked = check(project, base_url, strict, cache, scanned)
    clock.lap("load, validate, link")
    plan = plan_pages(checked.library, key + repr(checked.config), cache, usable, current)
    clock.lap("plan")
    markdown = dict(usable.markdown) if usable is not None else {}
    compiled = compiled_templates(project.root, tool) if incremental else None
    outputs, warnings, site = write_stage(project, out, checked, plan, usable, current, search, progress, markdown,
                                          compiled)
    clock.lap("render and write")
    pages = sum(1 for spec in plan.specs for name in spec.outputs if name.endswith(".html"))
    files = sum(len(spec.outputs) for spec in plan.specs)
    summary = {"pages": pages, "files": files, "warnings": warnings, "diagnostics": checked.diagnostics}
    save_state(project.state_folder, BuildState(key, inputs, site, plan.digests, summary,
                                                cache.files, cache.anchors, outputs, markdown,
                                                racy_digests(inputs, cache, started, early)), usable)
    rendered = sum(1 for spec in plan.render for name in spec.outputs if name.endswith(".html"))
    if keep is not None:
        keep.extend((usable, cache, plan, markdown, inputs, current, site, outputs))
    return BuildResult(checked, pages, files, clock.total(), tuple(warnings), clock.laps(),
                       rendered)


def plan_pages(library: Library, salt: str, cache: LoadCache, state: BuildState | None,
               current: dict[str, Stamp]) -> Plan:
    """Which units to render: those whose dependency digest changed, or whose files in the site were touched."""
    specs = page_specs(library)
    digests = page_digests(library, specs, cache.digest, salt)
    render: list[PageSpec] = []
    keep: list[PageSpec] = []
    for spec in specs:
        digest = digests[spec.outputs[0]]
        same = (state is not None and digest != "" and state.page_digests.get(spec.outputs[0]) == digest
                and all(name in state.outputs and current.get(name) is not None and current.get(name) == state.site.get(name)
                        for name in spec.outputs))
        (keep if same else render).append(spec)
    return Plan(specs, digests, render, keep)


def write_stage(project: Project, out: Path, checked: Checked, plan: Plan, state: BuildState | None,
                current: dict[str, Stamp], search: bool = True,
                progress: Callable[[int, int], None] | None = None,
                markdown: dict[str, str] | None = None, compiled: Path | None = None
                ) -> tuple[dict[str, str], list[str], dict[str, Stamp]]:
    """Render what changed into a staging folder, link the rest, swap it in; the digest of every file, warnings,
    and the stamps of the site's files now.

    The swap is skipped when nothing changed, and the search index reused when no page did.
    `markdown`: rendered Markdown by text digest, from the last build; refilled for the next (see render_site).
    """
    indexed = search and pagefind_available()
    names = {name for spec in plan.specs for name in spec.outputs}
    if (state is not None and not plan.render and (out / "pagefind").is_dir() == indexed
            and generated_names(current) == names and static_unchanged(out, project.static, current)):
        return dict(state.outputs), list(state.summary.get("warnings", [])), current
    outputs: dict[str, str] = {}
    warnings: list[str] = []
    if state is not None and not indexed and (out / MARKER).is_file():
        # No search index to rebuild: update only what changed, in place.
        outputs.update((name, state.outputs.get(name, "")) for spec in plan.keep for name in spec.outputs)
        static = project.static if project.static.is_dir() else None
        updated = update_site(out, lambda staging: outputs.update(render_site(
            checked.library, checked.config, project.templates, staging, plan.render, plan.specs, progress, markdown,
            compiled)),
            names | static_names(static), static,
            {name for name in current if not name.startswith("pagefind/") and name != MARKER})
        if updated is not None:
            moved, removed = updated
            shutil.rmtree(out / "pagefind", ignore_errors=True)  # an index of an earlier build with search
            if search:
                warnings.append(UNAVAILABLE)
            # The site's stamps now, from the last ones: a stat of each file moved in, not of the whole site.
            site = {name: stamp for name, stamp in current.items()
                    if name not in removed and not name.startswith("pagefind/")}
            site.update((name, stamp) for name in moved if (stamp := stamp_of(out / name)) is not None)
            return outputs, warnings, site
        outputs.clear()  # a file became a folder or the other way round: write the whole site instead

    def fill(staging: Path) -> None:
        made: set[str] = set()
        source, target = f"{out}/", f"{staging}/"  # strings, not Paths: 20,000 links at 10,000 articles
        for spec in plan.keep:
            for name in spec.outputs:
                folder = name.rpartition("/")[0]
                if folder not in made:  # one mkdir per folder, not per file: 10,000 folders at 10,000 articles
                    os.makedirs(target + folder, exist_ok=True)
                    made.add(folder)
                os.link(source + name, target + name)
                outputs[name] = state.outputs[name] if state is not None else ""
        outputs.update(render_site(checked.library, checked.config, project.templates, staging, plan.render,
                                   plan.specs, progress, markdown, compiled))

    def finish(staging: Path) -> None:
        if not search:
            return
        pages = {name for name in outputs if name.endswith(".html")}
        same_pages = state is not None and pages == {n for n in state.outputs if n.endswith(".html")} and all(
            outputs[n] == state.outputs[n] for n in pages)
        if same_pages and state is not None and (out / "pagefind").is_dir():
            link_tree(out / "pagefind", staging / "pagefind")
            warnings.extend(state.summary.get("warnings", []))
        else:
            warnings.extend(index_search(staging))

    write_site(out, {}, project.static, finish=finish, incremental=state is not None, fill=fill)
    return outputs, warnings, tree_stamps(out)


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


def static_names(static: Path | None) -> set[str]:
    """The site paths of the static files."""
    return {f"static/{name}" for name in tree_stamps(static)} if static is not None else set()


def unchanged_result(project: Project, base_url: str | None, state: BuildState, clock: StageClock) -> BuildResult:
    """The result of a build that found nothing to do."""
    clock.lap("look for changes")
    summary = state.summary
    checked = Checked(load_config(project.root, base_url), Library({}, {}, {}, {}, {}), tuple(summary["diagnostics"]))
    return BuildResult(checked, summary["pages"], summary["files"], clock.total(), tuple(summary["warnings"]),
                       clock.laps(), 0)


class StageClock:
    """Times the stages of a build, for `--verbose`."""

    def __init__(self) -> None:
        self.started = self.last = time.perf_counter()
        self._laps: list[tuple[str, float]] = []

    def lap(self, stage: str) -> None:
        """Record the time since the previous lap under `stage`."""
        now = time.perf_counter()
        self._laps.append((stage, now - self.last))
        self.last = now

    def laps(self) -> tuple[tuple[str, float], ...]:
        """Every stage's seconds, in order."""
        return tuple(self._laps)

    def total(self) -> float:
        """Seconds since the clock started."""
        return time.perf_counter() - self.started
