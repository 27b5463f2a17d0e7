"""Presenting diagnostics and results: one small reporter per audience (terminal, GitHub Actions)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TextIO

from ..diagnostics import Diagnostic, Level
from ..content.safetext import printable

COLORS = {Level.ERROR: "\033[1;31m", Level.WARNING: "\033[1;33m", Level.NOTICE: "\033[1;36m"}
RESET = "\033[0m"


def one_line(text: str) -> str:
    """`text` printable (safetext.printable), with line breaks escaped too: one diagnostic, one line."""
    return printable(text).replace("\n", "\\n")


def internal_error(exc: BaseException, outcome: str) -> str:
    """One line for a failure that is a bug in Marginalia, not in the content: what failed, and what to do."""
    message = " ".join(printable(str(exc)).split())[:300]
    return (f"internal error: {type(exc).__name__}: {message}. {outcome}; "
            "please report this with the command you ran and the change you made")


def content_error_summary(diagnostics: list[Diagnostic], strict: bool, outcome: str) -> str:
    """The last line after content errors (`outcome`: what did not happen); with --strict and only warnings,
    says that they are why."""
    if strict and not any(d.level is Level.ERROR for d in diagnostics):
        return (f"{outcome}: --strict treats the {len(diagnostics)} warning(s) above as errors; "
                "fix them and run again (without --strict, warnings do not stop the build)")
    return f"{outcome}: fix the errors above and run again"


@dataclass
class TextReporter:
    """Numbered diagnostics for a terminal (coloured when it is one), then a summary."""

    stream: TextIO = sys.stderr
    color: bool = False

    def diagnostics(self, found: list[Diagnostic] | tuple[Diagnostic, ...]) -> None:
        """Print every diagnostic with its place, what is wrong and how to fix it."""
        for number, d in enumerate(found, start=1):
            level = f"{COLORS[d.level]}{d.level.value}{RESET}" if self.color else d.level.value
            # printable: a file name or quoted value must not move the cursor or recolour the terminal
            self.stream.write(f"{number}. {one_line(str(d.ref))}: {level}: {one_line(d.message)}\n")
            if d.hint:
                self.stream.write(f"   fix: {one_line(d.hint)}\n")
        if found:
            errors = sum(1 for d in found if d.level is Level.ERROR)
            notices = sum(1 for d in found if d.level is Level.NOTICE)
            tail = f", {notices} notice(s)" if notices else ""
            self.stream.write(f"{errors} error(s), {len(found) - errors - notices} warning(s){tail}\n")

    def message(self, text: str) -> None:
        """A line of its own (summaries, usage errors)."""
        self.stream.write(printable(text) + "\n")


@dataclass
class GithubReporter(TextReporter):
    """Diagnostics as GitHub Actions workflow commands, so they show on the pull request's diff."""

    def diagnostics(self, found: list[Diagnostic] | tuple[Diagnostic, ...]) -> None:
        """One `::error file=…,line=…::message` line per diagnostic."""
        for d in found:
            text = printable(f"{d.message}. Fix: {d.hint}" if d.hint else d.message)
            text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            path = printable(d.ref.path).replace("%", "%25").replace(",", "%2C").replace(":", "%3A")
            self.stream.write(f"::{d.level.value} file={path},line={max(d.ref.line, 1)}::{text}\n")
