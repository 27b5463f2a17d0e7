"""A process that builds again and again (`serve`) keeps in memory what unchanged inputs made, never for a changed one.

Two things are kept between builds of one process: the cache parts a build wrote, as the objects it
wrote (state.remember_part), and the fingerprints of facts made from one note list, while the list holds
the very same notes (planner.NoteListMemo). Every rebuild must still give the bytes of a clean build.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from marginalia.incremental import planner, state
from marginalia.link.library import Placed
from marginalia.pipeline import Project, build
from marginalia.render.reads import NOTE_LIST_FACTS, fact_fingerprint

from .conftest import fixture_project
from .test_incremental import annotation_dir, clean_build, tree


def flip_kind(path: Path) -> None:
    """An annotation's kind from context to support or back: other bytes, the same size."""
    text = path.read_text(encoding="utf-8")
    flipped = text.replace("kind: context", "kind: support") if "kind: context" in text else text.replace("kind: support", "kind: context")
    assert flipped != text
    path.write_text(flipped, encoding="utf-8")


def rebuild_equals_clean(root: Path, scratch: Path, what: str) -> None:
    """A fast build in this process, then the same bytes as a from-scratch build."""
    build(Project(root), root / "site", search=False)
    expected, got = clean_build(root, scratch, search=False), tree(root / "site")
    assert sorted(got) == sorted(expected), what
    assert [name for name in expected if got[name] != expected[name]] == [], what


def test_same_notes_compares_every_field_of_a_placed_note(tmp_path: Path) -> None:
    assert tuple(f.name for f in dataclasses.fields(Placed)) == planner.PLACED_FIELDS
    root = fixture_project(tmp_path / "project")
    placed = build(Project(root), root / "site", search=False).checked.library.placed()
    note = placed[0]
    assert planner.same_notes((note,), (dataclasses.replace(note),))  # a new Placed of the same objects
    for changed in (dataclasses.replace(note, annotation=dataclasses.replace(note.annotation)),  # equal, not the same
                    dataclasses.replace(note, anchor=dataclasses.replace(note.anchor)),
                    dataclasses.replace(note, number=note.number + 1), dataclasses.replace(note, block=note.block + 1)):
        assert not planner.same_notes((note,), (changed,))
    assert not planner.same_notes((note,), (note, note)) and not planner.same_notes(None, (note,))


def test_note_list_facts_kept_in_memory_equal_those_made_afresh(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "project")
    build(Project(root), root / "site", search=False)
    flip_kind(sorted(annotation_dir(root).glob("*.md"))[0])
    library = build(Project(root), root / "site", search=False).checked.library
    memo = planner._last_memo[0]
    assert memo is not None and {key[1:].partition(":")[0] for key in memo.facts} <= set(NOTE_LIST_FACTS)
    assert all(memo.facts[key] == fact_fingerprint(library, key) for key in memo.facts)
    assert True in memo.same.values()  # the unchanged articles' lists were compared equal and their facts kept
    assert memo.same[("notes", annotation_dir(root).name)] is False  # the edited one's were made again


def test_rebuilds_in_one_process_give_the_bytes_of_clean_builds(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "project")
    build(Project(root), root / "site", search=False)
    note = sorted(annotation_dir(root).glob("*.md"))[0]
    text = note.read_text(encoding="utf-8")
    note.write_text(text + "\nA sentence only this edit adds.\n", encoding="utf-8")
    rebuild_equals_clean(root, tmp_path / "clean", "an edit")
    assert b"A sentence only this edit adds." in (root / "site" / "articles" / annotation_dir(root).name / "index.html").read_bytes()
    note.unlink()
    rebuild_equals_clean(root, tmp_path / "clean", "the file deleted")
    note.write_text(text, encoding="utf-8")
    rebuild_equals_clean(root, tmp_path / "clean", "the file made again")
    # The same size and mtime (and inode): only the bytes tell, within the clock's tick after the build (racy.py).
    before = note.stat()
    flip_kind(note)
    os.utime(note, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (note.stat().st_size, note.stat().st_mtime_ns, note.stat().st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
    rebuild_equals_clean(root, tmp_path / "clean", "an edit within the same mtime")


def test_a_part_just_written_is_read_back_as_the_object_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = fixture_project(tmp_path / "project")
    build(Project(root), root / "site", search=False)
    part = root / ".cache" / "marginalia" / "files-00.pickle"
    with monkeypatch.context() as patched:
        patched.setattr(state, "read_pickle", lambda path: pytest.fail(f"{path} unpickled again"))
        written = state.read_part(part)
        assert isinstance(written, tuple) and state.read_part(part) is written
    state.write_pickle(part, ("another writer", {}))  # renamed into place: a new inode
    assert state.read_part(part) == ("another writer", {})
