"""Where things come from, and what is wrong with them."""

from __future__ import annotations

from dataclasses import dataclass
from .frozen import pickled_by_fields
from enum import Enum


@pickled_by_fields
@dataclass(frozen=True, slots=True, order=True)
class SourceRef:
    """A place in the project: a path relative to the project root, and a 1-based line (0: whole file)."""

    path: str
    line: int = 0

    def at(self, line: int) -> SourceRef:
        """The same file at another line."""
        return SourceRef(self.path, line)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


class Level(str, Enum):
    """How bad a diagnostic is."""

    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"  # coverage: what is not annotated yet; never fails a check


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in the content, written for the person who must fix it."""

    ref: SourceRef
    level: Level
    message: str
    hint: str = ""

    def sort_key(self) -> tuple[str, int, str]:
        """Order by file, then line, then message."""
        return (self.ref.path, self.ref.line, self.message)


def error(ref: SourceRef, message: str, hint: str = "") -> Diagnostic:
    """An error: the build stops and nothing is written."""
    return Diagnostic(ref, Level.ERROR, message, hint)


def warning(ref: SourceRef, message: str, hint: str = "") -> Diagnostic:
    """A warning: the build goes on unless --strict."""
    return Diagnostic(ref, Level.WARNING, message, hint)


def sorted_diagnostics(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics in file and line order, without repeats."""
    return sorted(set(diagnostics), key=Diagnostic.sort_key)


def has_errors(diagnostics: list[Diagnostic], strict: bool = False) -> bool:
    """Whether these diagnostics stop the build (warnings too when strict)."""
    return any(d.level is Level.ERROR or strict and d.level is Level.WARNING for d in diagnostics)


class MarginaliaError(Exception):
    """Base of the errors the library raises for the CLI to report."""


class ContentError(MarginaliaError):
    """The content has errors; the diagnostics say which."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__(f"{len(diagnostics)} problem(s) in the content")
        self.diagnostics = diagnostics


class UsageError(MarginaliaError):
    """The command line or the project layout is wrong."""
