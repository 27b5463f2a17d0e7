"""Caches never poison a build (issue #12, item 6): unreadable entries are rebuilt, a read-only cache is only read,
and an edit that keeps a file's size and mtime is still seen."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from marginalia.commands.cli import main
from marginalia.incremental import safecache
from tests.conftest import MINIMAL, write_project

TOPIC = "content/topics/border.md"


def build(root: Path, *args: str) -> int:
    """`build --no-search` in-process."""
    return main(["build", "--root", str(root), "--no-search", *args])


def page(root: Path) -> str:
    """The topic page as built."""
    return (root / "site" / "topics" / "border" / "index.html").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """No compiled templates kept in memory, as in a new process, so the builds here read and write the cache files."""
    monkeypatch.setattr(safecache, "_COMPILED", {})


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """MINIMAL, built once (so there is a cache)."""
    root = write_project(tmp_path / "project", MINIMAL)
    assert build(root) == 0
    return root


def test_truncated_compiled_templates_are_rebuilt(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Truncated Jinja bytecode (a killed build, a full disk) is dropped and compiled again, not an UnpicklingError."""
    compiled = sorted((project / ".cache" / "marginalia" / "templates").rglob("*.cache"))
    assert compiled
    for path in compiled:
        path.write_bytes(path.read_bytes()[:20])
    safecache._COMPILED.clear()  # the next build is a new process's
    write_project(project, {TOPIC: MINIMAL[TOPIC].replace("The border", "The frontier")})
    assert build(project) == 0, capsys.readouterr().err
    assert "The frontier" in page(project)
    # The templates this build used were compiled again (the others are dropped when next used).
    assert any(path.exists() and path.stat().st_size > 20 for path in compiled)


def test_truncated_cache_parts_are_rebuilt(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every cache file cut short: the next build is a full one with the same bytes, and says nothing alarming."""
    full = {p.relative_to(project / "site"): p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    for path in (project / ".cache" / "marginalia").glob("*.pickle"):
        path.write_bytes(path.read_bytes()[: max(1, path.stat().st_size // 2)])
    os.utime(project / TOPIC)  # something changed, so the build cannot stop at "nothing changed"
    assert build(project) == 0, capsys.readouterr().err
    again = {p.relative_to(project / "site"): p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    assert again == full


def test_edit_keeping_size_and_mtime_is_seen(project: Path) -> None:
    """An edit within seconds of a build, its mtime set back (`touch -r`), is caught by content digest."""
    path = project / TOPIC
    before = path.stat()
    path.write_text(MINIMAL[TOPIC].replace("The border", "The bordeR"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert build(project) == 0
    assert "The bordeR" in page(project)


def test_unchanged_project_still_takes_the_fast_path(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Comparing recent files by digest does not cost the "nothing changed" answer when nothing did."""
    capsys.readouterr()
    assert build(project) == 0
    assert "nothing changed" in capsys.readouterr().err


@pytest.fixture()
def read_only(project: Path, tmp_path: Path) -> Iterator[Path]:
    """The built project seen through a read-only bind mount (root only; skipped where mounting is not allowed)."""
    shutil.rmtree(project / ".cache" / "marginalia" / "templates")  # so Jinja tries to write compiled templates
    safecache._COMPILED.clear()
    (project / ".cache" / "marginalia" / "templates").mkdir()
    view = tmp_path / "read-only"
    view.mkdir()
    mounted = subprocess.run(["mount", "--bind", str(project), str(view)], capture_output=True).returncode == 0
    if not mounted:
        pytest.skip("cannot bind-mount here (needs root)")
    try:
        if subprocess.run(["mount", "-o", "remount,bind,ro", str(view)], capture_output=True).returncode != 0:
            pytest.skip("cannot make a read-only mount here")
        yield view
    finally:
        subprocess.run(["umount", str(view)], capture_output=True)


def test_read_only_project_with_a_cache_builds(read_only: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A read-only checkout with an existing .cache/ builds (into a writable --out), without EROFS."""
    with pytest.raises(OSError):
        (read_only / "probe").write_text("x")
    out = tmp_path / "out"
    assert build(read_only, "--out", str(out)) == 0, capsys.readouterr().err
    assert (out / "topics" / "border" / "index.html").is_file()


def test_a_part_read_again_is_the_same_object_until_its_file_is_replaced(tmp_path: Path) -> None:
    """In a process that builds again (serve), an unchanged cache part is not unpickled again; a replaced one is."""
    from marginalia.incremental import state

    part = tmp_path / "cache" / "records-00.pickle"
    part.parent.mkdir()
    state.write_pickle(part, ("token", {"a": 1}))
    first = state.read_part(part)
    assert first == ("token", {"a": 1}) and state.read_part(part) is first
    state.write_pickle(part, ("token", {"a": 2}))  # renamed into place, as every build writes parts
    assert state.read_part(part) == ("token", {"a": 2})
    part.write_bytes(b"not a pickle")
    assert state.read_part(part) is None
    other = tmp_path / "other" / "records-00.pickle"
    other.parent.mkdir()
    state.write_pickle(other, ("token", {"b": 1}))
    assert state.read_part(other) == ("token", {"b": 1})
    assert all(name.startswith(str(other.parent)) for name in state._parts_read)


def test_a_save_after_an_edit_rewrites_only_the_parts_that_changed(tmp_path: Path) -> None:
    """The state read back equals what was saved, key for key; parts no entry of which changed keep their files."""
    from marginalia.incremental import state

    def saved(files: dict[str, object], previous: state.BuildState | None) -> state.BuildState:
        state.save_state(tmp_path, state.BuildState("key", {}, {}, {}, files=files), previous)
        light = state.load_state(tmp_path)
        assert light is not None
        loaded = state.load_caches(tmp_path, light)
        assert loaded is not None
        return loaded

    files: dict[str, object] = {f"content/file-{n}.md": ("result", n) for n in range(2000)}
    first = saved(files, None)
    assert first.files == files
    inodes = {path.name: path.stat().st_ino for path in tmp_path.glob("files-*.pickle")}
    edited = dict(first.files)  # the last build's objects, as a build reuses them
    edited["content/file-7.md"] = ("result", "edited")
    edited["content/new.md"] = ("result", "new")
    del edited["content/file-9.md"]
    edited["content/file-11.md"] = ("result", 11)  # equal to the last build's value, not the same object
    second = saved(edited, first)
    assert second.files == edited
    touched = {f"files-{state.shard_of(key):02d}.pickle" for key in ("content/file-7.md", "content/new.md", "content/file-9.md")}
    rewritten = {path.name for path in tmp_path.glob("files-*.pickle") if path.stat().st_ino != inodes[path.name]}
    assert rewritten == touched
    assert saved(edited, second).files == edited  # nothing changed: nothing rewritten, still the same entries
