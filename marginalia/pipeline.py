"""The build as a short script of named stages: load → validate → link → render → write."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .config import SiteConfig, load_config
from .diagnostics import ContentError, Diagnostic, has_errors, sorted_diagnostics
from .library import Library, link
from .load import load_content
from .render import render_site
from .incremental import (BuildState, PageMemo, Stamp, build_key, forget_state, html_changed, input_stamps, link_tree,
                          load_state, nothing_changed, save_state, site_unchanged, tree_stamps, tool_digest)
from .search import index_search, pagefind_available
from .seedload import load_seeds
from .validate import validate_references
from .write import check_output_folder, write_site

TOOL_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Project:
    """Where a project's files are: its root, templates and static folders."""

    root: Path

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


def check(project: Project, base_url: str | None = None, strict: bool = False) -> Checked:
    """Load, validate and link everything; raises ContentError with every problem at once."""
    config = load_config(project.root, base_url)
    loaded = load_content(project.root)
    articles, seeds, seed_problems = load_seeds(project.root, loaded.content.articles)
    content = dataclasses.replace(loaded.content, articles=articles)
    problems = list(loaded.diagnostics) + seed_problems
    problems += validate_references(content, [a.slug for a in loaded.content.articles])
    library, anchoring_problems = link(content, seeds)
    diagnostics = sorted_diagnostics(problems + anchoring_problems)
    if has_errors(diagnostics, strict):
        raise ContentError(diagnostics)
    return Checked(config, library, tuple(diagnostics))


def build(project: Project, out: Path, base_url: str | None = None, strict: bool = False,
          incremental: bool = True, search: bool = True,
          progress: Callable[[int, int], None] | None = None) -> BuildResult:
    """Check, render and write the site into `out`; nothing is written unless everything succeeds.

    Incremental (the default) reuses what the last build left in `.cache/` and `out`; the
    bytes written are the same as a full build's (see incremental.py).
    """
    clock = StageClock()
    check_output_folder(out, project.root)
    out = out.resolve()
    key = build_key(tool_digest(), project.templates, (base_url, strict, str(out), search and pagefind_available(),
                                                        str(project.static), str(project.templates)))
    inputs = input_stamps(project.root, [project.static] if project.static != project.root / "static" else [])
    state = load_state(project.root) if incremental else None
    if incremental and state is not None and nothing_changed(state, key, inputs, out):
        return unchanged_result(project, base_url, state, clock)
    forget_state(project.root)
    clock.lap("look for changes")
    checked = check(project, base_url, strict)
    clock.lap("load, validate, link")
    current = tree_stamps(out) if incremental else {}
    memo = PageMemo(key, state, out, current) if incremental else None
    files = render_site(checked.library, checked.config, project.templates, memo, progress)
    clock.lap("render")
    warnings = write_stage(project, out, files, state if incremental else None, current, search)
    clock.lap("write")
    pages = sum(1 for name in files if name.endswith(".html"))
    summary = {"pages": pages, "files": len(files), "warnings": warnings, "diagnostics": checked.diagnostics}
    save_state(project.root, BuildState(key, inputs, tree_stamps(out), memo.digests if memo else {}, summary))
    rendered = pages - memo.reused if memo else pages
    return BuildResult(checked, pages, len(files), clock.total(), tuple(warnings), clock.laps(), rendered)


def write_stage(project: Project, out: Path, files: dict[str, bytes], state: BuildState | None,
                current: dict[str, Stamp], search: bool = True) -> list[str]:
    """Write the site; skip the swap when nothing changed, and the search index when no page changed."""
    indexed = search and pagefind_available()
    if state is not None and (out / "pagefind").is_dir() == indexed and site_unchanged(out, files, project.static, current):
        return list(state.summary.get("warnings", []))
    reuse_index = state is not None and (out / "pagefind").is_dir() and not html_changed(out, files, current)
    warnings: list[str] = []

    def finish(staging: Path) -> None:
        if not search:
            return
        if reuse_index and state is not None:
            link_tree(out / "pagefind", staging / "pagefind")
            warnings.extend(state.summary.get("warnings", []))
        else:
            warnings.extend(index_search(staging))

    write_site(out, files, project.static, finish=finish, incremental=state is not None)
    return warnings


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
