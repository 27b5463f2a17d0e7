"""The build as a short script of named stages: config → load → validate → link → render → write.

Each stage is a function that takes and returns a frozen record. Speed plugs in at three seams
(seams.py): the Source the load and link stages read through, the Planner that picks the pages
to render, the Writer that puts them in place. `check` is the same path without render and write.
"""

from __future__ import annotations

import dataclasses
import gc
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import SiteConfig, load_config
from .content.load import load_content
from .content.seedload import SeedSource, load_seeds
from .content.records import Content
from .content.validate import validate_references
from .diagnostics import ContentError, Diagnostic, has_errors, sorted_diagnostics
from .incremental import parallel
from .incremental.state import cache_folder, forget_state
from .kinds import REGISTRY, Kind, content_kinds, sections
from .link.library import Library, link as link_library
from .output.write import StageAndSwap, check_output_folder
from .render.pages import Rendered, page_specs, render_site
from .content.safepaths import safe_inputs
from .seams import AllPages, Plan, PlainSource, Planner, Source, Writer, Written

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: builds are not serialised there
    fcntl = None  # type: ignore[assignment]

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
class Loaded:
    """The load stage's result: the records, each article's seed, and what was wrong with the files."""

    config: SiteConfig
    content: Content  # the articles among it are those paired with their seed
    seeds: dict[str, SeedSource]
    article_records: tuple[str, ...]  # the slug of every article record, paired or not (annotations may name any)
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class Validated:
    """The validate stage's result: the same records, their references checked."""

    config: SiteConfig
    content: Content
    seeds: dict[str, SeedSource]
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class Checked:
    """The link stage's result, all `check` gives: the settings, the library, and every diagnostic, sorted."""

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


@dataclass
class Seams:
    """The three seams of one build (seams.py), and whether its stages may use every core."""

    source: Source
    planner: Planner
    writer: Writer
    parallel: bool = True
    fast: Any = None  # incremental.fast.FastSeams: what a fast build keeps for the next one
    scanned: list[Diagnostic] | None = None  # the inputs' scan for links out of the project, when made already


# --- The stages -----------------------------------------------------------------------------------------------------

def configure(project: Project, base_url: str | None) -> SiteConfig:
    """Config: site.toml, with the base address given on the command line, if any."""
    return load_config(project.root, base_url)


def load(config: SiteConfig, project: Project, source: Source, scanned: Sequence[Diagnostic] = (),
         kinds: Sequence[Kind] = REGISTRY) -> Loaded:
    """Load: every content file into its record (the registry's kinds), every article paired with its seed.

    `scanned`: what the scan of the inputs for links out of the project found (content/safepaths.py).
    """
    loaded = load_content(project.root, source, content_kinds(kinds))  # type: ignore[arg-type]
    articles, seeds, seed_problems = load_seeds(project.root, loaded.content.articles, source)  # type: ignore[arg-type]
    content = dataclasses.replace(loaded.content, articles=articles)
    records = tuple(a.slug for a in loaded.content.articles)
    return Loaded(config, content, seeds, records, (*loaded.diagnostics, *seed_problems, *scanned))


def validate(loaded: Loaded, kinds: Sequence[Kind] = REGISTRY) -> Validated:
    """Validate: every reference a record makes must name a record that exists (each kind's check)."""
    checks = [(kind.folder, kind.check) for kind in content_kinds(kinds) if kind.check is not None]
    problems = validate_references(loaded.content, loaded.article_records, checks)  # type: ignore[arg-type]
    return Validated(loaded.config, loaded.content, loaded.seeds, (*loaded.diagnostics, *problems))


def link(validated: Validated, source: Source, strict: bool) -> Checked:
    """Link: anchor every quote and index who refers to whom; raises ContentError if anything is wrong."""
    library, problems = link_library(validated.content, validated.seeds, source)  # type: ignore[arg-type]
    diagnostics = sorted_diagnostics([*validated.diagnostics, *problems])
    if has_errors(diagnostics, strict):
        raise ContentError(diagnostics)
    return Checked(validated.config, library, tuple(diagnostics))


def plan(checked: Checked, planner: Planner, kinds: Sequence[Kind] = REGISTRY) -> Plan:
    """Plan: every unit of output of the site (the registry's sections), and which of them to render."""
    return planner.plan(checked.library, page_specs(checked.library, sections(kinds), checked.config.page_size), repr(checked.config))


def render(checked: Checked, planned: Plan, project: Project, staging: Path, source: Source,
           progress: Callable[[int, int], None] | None = None, kinds: Sequence[Kind] = REGISTRY) -> Rendered:
    """Render: the planned pages, written into the writer's staging folder, with what each page read."""
    return render_site(checked.library, checked.config, project.templates, staging, list(planned.render),
                       list(planned.specs), sections(kinds), progress, source.markdown, source.compiled)


def write(planned: Plan, rendered: Rendered, writer: Writer) -> Written:
    """Write: put the site in place, all or nothing."""
    return writer.write(planned, rendered)


# --- The commands ---------------------------------------------------------------------------------------------------

def check(project: Project, base_url: str | None = None, strict: bool = False, source: Source | None = None,
          scanned: list[Diagnostic] | None = None) -> Checked:
    """Config, load, validate and link; raises ContentError with every problem at once.

    `scanned`: what safe_inputs found, when the caller has run it already (it must run before any input is read).
    """
    scanned = safe_inputs(project.root) if scanned is None else scanned
    source = source if source is not None else PlainSource()
    config = configure(project, base_url)
    loaded = load(config, project, source, scanned)
    validated = validate(loaded)
    return link(validated, source, strict)


def build(project: Project, out: Path, base_url: str | None = None, strict: bool = False,
          incremental: bool = True, search: bool = True,
          progress: Callable[[int, int], None] | None = None, keep: list[object] | None = None,
          plain: bool = False, written: Callable[[BuildResult], None] | None = None) -> BuildResult:
    """Check, render and write the site into `out`; nothing is written unless everything succeeds.

    `plain`: the plain seams (every file parsed, every page rendered, one process, stage-and-swap);
    otherwise the fast ones, which reuse what the last build left in `.cache/` and `out`
    (`incremental=False`: as if there were none) and give the same bytes. With `keep`, the build's
    working data is appended to it rather than freed on return (cli.main_then_exit). `written(result)`
    is called once the site is in place, before what the next build reuses is saved (`serve` reloads
    the page then); not when nothing had changed.
    """
    check_output_folder(out, project.root)  # before anything is made, the lock included
    with collector_paused(freeze=keep is not None), build_lock(project.root):
        out = out.resolve()
        clock = StageClock()
        seams = plain_seams(project, out, search) if plain else fast_build_seams(project, out, base_url, strict, search,
                                                                                    incremental)
        if seams.fast is not None and seams.fast.up_to_date is not None:
            return unchanged_result(project, base_url, seams.fast.up_to_date.summary, clock)
        with parallel.limited(None if seams.parallel else 1):
            result = run_stages(project, base_url, strict, seams, clock, progress, written)
        if keep is not None and seams.fast is not None:
            keep.extend(seams.fast.kept)
        return result


def run_stages(project: Project, base_url: str | None, strict: bool, seams: Seams, clock: StageClock,
               progress: Callable[[int, int], None] | None,
               site_written: Callable[[BuildResult], None] | None = None) -> BuildResult:
    """The stages of a build, in order, through its seams."""
    clock.lap("look for changes")
    checked = check(project, base_url, strict, seams.source, seams.scanned)
    clock.lap("load, validate, link")
    planned = plan(checked, seams.planner)
    clock.lap("plan")
    with seams.writer.staging() as staging:
        rendered = render(checked, planned, project, staging, seams.source, progress)
        clock.lap("render")
        written = write(planned, rendered, seams.writer)
    clock.lap("write")
    result = build_result(checked, planned, written, clock)
    if site_written is not None:
        site_written(result)
    if seams.fast is not None:
        seams.fast.keep(planned, rendered.inputs, written, summary_of(result))
    return result


def plain_seams(project: Project, out: Path, search: bool) -> Seams:
    """The plain seams: nothing kept between builds, every page rendered, one process."""
    forget_state(project.state_folder)  # the site is about to change: a fast build's state would no longer describe it
    static = project.static if project.static.is_dir() else None
    return Seams(PlainSource(), AllPages(), StageAndSwap(out, static, search), parallel=False)


def fast_build_seams(project: Project, out: Path, base_url: str | None, strict: bool, search: bool,
                     incremental: bool) -> Seams:
    """The fast seams (incremental/fast.py)."""
    from .incremental.fast import fast_seams  # only fast builds load the cache machinery

    fast = fast_seams(project, out, base_url, strict, search, incremental)
    return Seams(fast.source, fast.planner, fast.writer, fast.parallel, fast, fast.scanned)


def build_result(checked: Checked, planned: Plan, written: Written, clock: StageClock) -> BuildResult:
    """What a build made, counted."""
    pages = sum(1 for spec in planned.specs for name in spec.outputs if name.endswith(".html"))
    files = sum(len(spec.outputs) for spec in planned.specs)
    rendered = sum(1 for spec in planned.render for name in spec.outputs if name.endswith(".html"))
    return BuildResult(checked, pages, files, clock.total(), written.warnings, clock.laps(), rendered)


def summary_of(result: BuildResult) -> dict[str, Any]:
    """What a build that finds nothing changed reports again."""
    return {"pages": result.pages, "files": result.files, "warnings": list(result.warnings),
            "diagnostics": result.checked.diagnostics}


def unchanged_result(project: Project, base_url: str | None, summary: dict[str, Any], clock: StageClock) -> BuildResult:
    """The result of a build that found nothing to do."""
    clock.lap("look for changes")
    checked = Checked(load_config(project.root, base_url), Library({}, {}, {}, {}, {}), tuple(summary["diagnostics"]))
    return BuildResult(checked, summary["pages"], summary["files"], clock.total(), tuple(summary["warnings"]),
                       clock.laps(), 0)


@contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """One build of a project at a time: a second one (a `serve` rebuild and a manual build) waits for the first.

    An advisory lock on `.cache/marginalia/build.lock`, released by the kernel if the process dies;
    a project where it cannot be made (read-only) builds without it.
    """
    if fcntl is None:
        yield
        return
    try:
        folder = root / ".cache" / "marginalia"
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(folder / "build.lock", "a+b")  # held open for the length of the block
    except OSError:
        yield
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        handle.close()  # closing releases the lock


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
