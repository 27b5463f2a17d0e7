"""The build as a short script of named stages: load → validate → link → render → write."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path

from .config import SiteConfig, load_config
from .diagnostics import ContentError, Diagnostic, has_errors, sorted_diagnostics
from .library import Library, link
from .load import load_content
from .render import render_site
from .search import index_search
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


def build(project: Project, out: Path, base_url: str | None = None, strict: bool = False) -> BuildResult:
    """Check, render and write the site into `out`; nothing is written unless everything succeeds."""
    started = time.perf_counter()
    check_output_folder(out, project.root)
    checked = check(project, base_url, strict)
    files = render_site(checked.library, checked.config, project.templates)
    warnings: list[str] = []
    write_site(out, files, project.static, finish=lambda staging: warnings.extend(index_search(staging)))
    pages = sum(1 for name in files if name.endswith(".html"))
    return BuildResult(checked, pages, len(files), time.perf_counter() - started, tuple(warnings))
