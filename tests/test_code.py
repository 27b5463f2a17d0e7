"""Habits that keep the code as it is meant to be: linted, typed, small functions, one digest for all of it."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from marginalia.incremental.state import tool_digest

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "marginalia"
LONGEST = 40


def run_tool(*command: str) -> subprocess.CompletedProcess[str]:
    """A Python tool of the test extras, run from the repository with its settings from pyproject.toml."""
    return subprocess.run([sys.executable, "-m", *command], cwd=REPO, capture_output=True, text=True, check=False)


def test_ruff_finds_nothing() -> None:
    done = run_tool("ruff", "check", "--no-cache", "marginalia", "tests", "benchmarks", "build.py")
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
def test_mypy_finds_nothing() -> None:
    done = run_tool("mypy")
    assert done.returncode == 0, done.stdout + done.stderr


def long_functions(root: Path, longest: int) -> list[str]:
    """Every function under `root` longer than `longest` lines, as `path:line name (lines)`."""
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > longest:
                    found.append(f"{path.relative_to(root.parent)}:{node.lineno} {node.name} ({length})")
    return found


def test_no_function_is_longer_than_40_lines() -> None:
    assert long_functions(PACKAGE, LONGEST) == []


def test_the_length_check_sees_a_long_function(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    body = "\n".join(f"    x{i} = {i}" for i in range(LONGEST))
    (tmp_path / "pkg" / "long.py").write_text(f"def long() -> None:\n{body}\n", encoding="utf-8")
    assert long_functions(tmp_path / "pkg", LONGEST) == ["pkg/long.py:1 long (41)"]


@pytest.mark.slow
def test_the_tool_digest_covers_every_module(tmp_path: Path) -> None:
    """A change in any module of any subpackage drops the build cache."""
    copy = tmp_path / "marginalia"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    modules = sorted(p.relative_to(copy).as_posix() for p in copy.rglob("*.py"))
    assert {m.partition("/")[0] for m in modules if "/" in m} >= {"content", "link", "render", "output", "incremental", "commands"}
    seen = {tool_digest(copy)}
    for module in modules:
        with (copy / module).open("a", encoding="utf-8") as handle:
            handle.write("\n# changed\n")
        seen.add(tool_digest(copy))
    assert len(seen) == len(modules) + 1  # every change gave a digest of its own
