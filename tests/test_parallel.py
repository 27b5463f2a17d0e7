"""Rendering on several processes gives the same bytes as rendering in one."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from marginalia.incremental import parallel
from marginalia.pipeline import Project, build
from marginalia.render.pages import shared_inputs

from .conftest import fixture_project
from .test_incremental import tree


def test_ordered_map_keeps_order_across_workers() -> None:
    items = list(range(500))
    assert parallel.ordered_map(lambda n: n * n, items, workers=2) == [n * n for n in items]


def test_received_makes_what_the_parent_keeps_of_each_result() -> None:
    # Unpickled chunk by chunk, equal strings from different chunks are different objects until `received` shares them.
    items = list(range(500))
    apart = parallel.ordered_map(lambda n: f"input-{n % 3}", items, workers=2)
    shared = parallel.ordered_map(lambda n: f"input-{n % 3}", items, workers=2, received=sys.intern)
    assert shared == apart == [f"input-{n % 3}" for n in items]
    assert len({id(s) for s in apart}) > 3
    assert len({id(s) for s in shared}) == 3


def test_shared_inputs_keeps_one_copy_of_each_input_name() -> None:
    names = ["content/annotations/a/" + "x" * n for n in range(3)]
    first = shared_inputs(([("a.html", "d1")], frozenset("".join(list(n)) for n in names)))
    second = shared_inputs(([("b.html", "d2")], frozenset("".join(list(n)) for n in names)))
    assert first[1] == frozenset(names) and first[0] == [("a.html", "d1")]
    assert {id(n) for n in first[1]} == {id(n) for n in second[1]}


def test_parallel_and_serial_builds_are_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_PARALLEL_ITEMS", 1)  # the fixture site is small: force the workers
    root = fixture_project(tmp_path / "project")
    monkeypatch.setenv("MARGINALIA_WORKERS", "1")
    build(Project(root), tmp_path / "serial", incremental=False, search=False)
    monkeypatch.setenv("MARGINALIA_WORKERS", "3")
    build(Project(root), tmp_path / "parallel", incremental=False, search=False)
    assert tree(tmp_path / "serial") == tree(tmp_path / "parallel")
