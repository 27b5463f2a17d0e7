"""Rendering on several processes gives the same bytes as rendering in one."""

from __future__ import annotations

from pathlib import Path

import pytest

from marginalia.incremental import parallel
from marginalia.pipeline import Project, build

from .conftest import fixture_project
from .test_incremental import tree


def test_ordered_map_keeps_order_across_workers() -> None:
    items = list(range(500))
    assert parallel.ordered_map(lambda n: n * n, items, workers=2) == [n * n for n in items]


def test_parallel_and_serial_builds_are_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_PARALLEL_ITEMS", 1)  # the fixture site is small: force the workers
    root = fixture_project(tmp_path / "project")
    monkeypatch.setenv("MARGINALIA_WORKERS", "1")
    build(Project(root), tmp_path / "serial", incremental=False, search=False)
    monkeypatch.setenv("MARGINALIA_WORKERS", "3")
    build(Project(root), tmp_path / "parallel", incremental=False, search=False)
    assert tree(tmp_path / "serial") == tree(tmp_path / "parallel")
