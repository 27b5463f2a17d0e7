"""The three seams: the plain pipeline is the truth, and both writers keep the all-or-nothing promise.

Each failure here is injected into a real writer (a subclass whose one step raises) and the test
checks that the step was reached, that the error is the injected one, and that the site is as it was.
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from pathlib import Path

import pytest

from marginalia.incremental.state import tree_stamps
from marginalia.output.search import verify_index
from marginalia.output.write import InPlace, Previous, StageAndSwap, recover
from marginalia.pipeline import Project, build, check, plan, render, write
from marginalia.seams import AllPages, PlainSource
from marginalia.diagnostics import MarginaliaError

from .conftest import REPO, fixture_project

sys.path.insert(0, str(REPO / "benchmarks"))
import corpus  # noqa: E402 - the benchmark's generator, a plain module beside the tests' repository


def tree(folder: Path) -> dict[str, bytes]:
    """Every file and folder under a folder, by relative path (folders as `name/`)."""
    return {p.relative_to(folder).as_posix() + ("/" if p.is_dir() else ""): p.read_bytes() if p.is_file() else b""
            for p in sorted(folder.rglob("*"))}


def siblings(out: Path) -> list[str]:
    """What a build left beside the site: staging, retired and undo folders."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


class Injected(OSError):
    """The failure a test puts into a writer."""


@pytest.mark.slow
def test_the_plain_pipeline_builds_the_same_bytes_as_the_fast_one(tmp_path: Path) -> None:
    """Plain seams (no cache, one process, stage-and-swap) against fast ones (forked workers, cache, in place)."""
    corpus.generate(80, 3, tmp_path / "corpus", ("marginalia",))  # 80 articles: over the forked workers' threshold
    root = tmp_path / "corpus" / "marginalia"
    build(Project(root), tmp_path / "plain", search=False, plain=True)
    build(Project(root), tmp_path / "fast", search=False, incremental=False)
    assert tree(tmp_path / "plain") == tree(tmp_path / "fast")
    note = sorted((root / "content" / "annotations").rglob("*.md"))[0]
    note.write_text(note.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    again = build(Project(root), tmp_path / "fast", search=False)
    build(Project(root), tmp_path / "plain", search=False, plain=True)
    assert 0 < again.rendered < again.pages
    assert tree(tmp_path / "plain") == tree(tmp_path / "fast")


class FailingSwap(StageAndSwap):
    """Stage-and-swap whose second rename (the staged site into place, the old one already aside) fails."""

    renames = 0

    def rename(self, source: Path, target: Path) -> None:
        self.renames += 1
        if self.renames == 2:
            raise Injected("disk full")
        super().rename(source, target)


def test_a_failed_swap_puts_the_old_site_back(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "project")
    out = root / "site"
    build(Project(root), out, search=False, plain=True)
    before = tree(out)
    (root / "site.toml").write_text('title = "Another title"\nbase_url = "https://example.org/digest/"\n', encoding="utf-8")
    project = Project(root)
    checked = check(project)
    planned = plan(checked, AllPages())
    writer = FailingSwap(out, project.static, search=False)
    with pytest.raises(Injected), writer.staging() as staging:
        write(planned, render(checked, planned, project, staging, PlainSource()), writer)
    assert writer.renames == 2  # the failure was reached: the old site had been moved aside
    assert tree(out) == before
    assert siblings(out) == []


class FailingMove(InPlace):
    """An in-place update whose fifth rename of a new file over its old one fails."""

    replaced = 0

    def replace(self, source: Path, target: Path) -> None:
        self.replaced += 1
        if self.replaced == 5:
            raise Injected("disk full")
        super().replace(source, target)


def in_place_after_edit(root: Path, writer_class: type[InPlace]) -> tuple[InPlace, Path]:
    """Build the fixture site, retitle its speakers (many pages change), and make an in-place writer for it."""
    out = root / "site"
    build(Project(root), out, search=False, plain=True)
    for path in (root / "content" / "speakers").glob("*.md"):
        path.write_text(path.read_text(encoding="utf-8").replace("name: ", "name: Changed ", 1), encoding="utf-8")
    previous = Previous({}, (), tree_stamps(out))
    return writer_class(out, Project(root).static, previous), out


def test_a_failed_in_place_update_puts_every_file_back(tmp_path: Path) -> None:
    writer, out = in_place_after_edit(fixture_project(tmp_path / "project"), FailingMove)
    before, inodes = tree(out), {name: stamp[2] for name, stamp in tree_stamps(out).items()}
    project = Project(out.parent)
    checked = check(project)
    planned = plan(checked, AllPages())
    with pytest.raises(Injected), writer.staging() as staging:
        write(planned, render(checked, planned, project, staging, PlainSource()), writer)
    assert isinstance(writer, FailingMove) and writer.replaced == 5  # four files had been replaced already
    assert tree(out) == before
    assert {name: stamp[2] for name, stamp in tree_stamps(out).items()} == inodes  # the very same files
    assert siblings(out) == []


class KilledMove(InPlace):
    """An in-place update whose process dies (no clean-up at all) at its `kill_at`-th rename."""

    replaced = 0
    kill_at = 20

    def replace(self, source: Path, target: Path) -> None:
        self.replaced += 1
        if self.replaced == self.kill_at:
            os._exit(3)
        super().replace(source, target)


@pytest.mark.parametrize("kill_at", [1, 7, 20])
def test_an_in_place_update_killed_half_way_is_undone_by_the_next_build(tmp_path: Path, kill_at: int) -> None:
    root = fixture_project(tmp_path / "project")
    writer, out = in_place_after_edit(root, KilledMove)
    writer.kill_at = kill_at  # type: ignore[attr-defined]
    before = tree(out)
    project = Project(root)
    checked = check(project)
    planned = plan(checked, AllPages())
    child = os.fork()
    if child == 0:  # pragma: no cover - the child dies in the writer
        with writer.staging() as staging:
            write(planned, render(checked, planned, project, staging, PlainSource()), writer)
        os._exit(0)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 3
    assert any(".undo-" in name for name in siblings(out))  # the dead build's undo folder is there
    if kill_at == 20:
        assert tree(out) != before  # half done: some pages were already replaced
    recover(out)
    assert tree(out) == before
    build(project, out, search=False)  # the next build also clears the dead build's staging folder
    assert siblings(out) == []


def test_a_search_index_with_an_empty_file_is_refused(tmp_path: Path) -> None:
    index = tmp_path / "pagefind"
    (index / "index").mkdir(parents=True)
    (index / "pagefind-entry.json").write_text('{"languages": {"en": {"page_count": 3}}}', encoding="utf-8")
    (index / "index" / "en_1.pf_index").write_bytes(b"index")
    verify_index(index)
    (index / "index" / "en_2.pf_index").write_bytes(b"")
    with pytest.raises(MarginaliaError, match="incomplete"):
        verify_index(index)
    (index / "pagefind-entry.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(MarginaliaError, match="unusable"):
        verify_index(index)


def test_two_builds_of_one_project_do_not_interleave(tmp_path: Path) -> None:
    import fcntl

    root = fixture_project(tmp_path / "project")
    (root / ".cache" / "marginalia").mkdir(parents=True)
    finished = threading.Event()
    with open(root / ".cache" / "marginalia" / "build.lock", "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another build holds the project
        worker = threading.Thread(target=lambda: (build(Project(root), root / "site", search=False), finished.set()))
        worker.start()
        time.sleep(1.0)
        assert not finished.is_set() and not (root / "site").exists()
    worker.join(timeout=120)
    assert finished.is_set() and (root / "site" / "index.html").is_file()


def test_stale_staging_folders_of_dead_builds_are_removed(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "project")
    out = root / "site"
    dead = os.fork()
    if dead == 0:  # pragma: no cover
        os._exit(0)
    os.waitpid(dead, 0)
    (root / f".site.new-{dead}" / "articles").mkdir(parents=True)
    (root / f".site.old-{dead}").mkdir()
    build(Project(root), out, search=False)
    assert siblings(out) == []
    shutil.rmtree(out)
