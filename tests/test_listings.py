"""Folder listings kept between builds (incremental/listings.py): a walk that reuses them finds what a full walk finds."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from marginalia.diagnostics import ContentError
from marginalia.incremental import state
from marginalia.incremental.listings import FORMAT, Listings, folder_stamp, valid_listings
from marginalia.pipeline import Project, build

from .conftest import fixture_project

Change = Callable[[Path], None]


def walk(base: Path, known: dict | None = None) -> tuple[dict, list, Listings]:  # type: ignore[type-arg]
    """A walk of `base` with the listings `known` (every folder old enough to be kept), its links, and the listings."""
    listings = Listings(known or {}, time.time_ns() + 10**12)
    notable: list[tuple[str, bool]] = []
    return state.tree_stamps(base, notable, "in/", listings), notable, listings


def full(base: Path) -> tuple[dict, list]:  # type: ignore[type-arg]
    """A walk of `base` that lists every folder."""
    notable: list[tuple[str, bool]] = []
    return state.tree_stamps(base, notable, "in/"), notable


def added(base: Path) -> None:
    (base / "a" / "new.md").write_text("new")


def removed(base: Path) -> None:
    (base / "a" / "one.md").unlink()


def renamed(base: Path) -> None:
    (base / "a" / "one.md").rename(base / "a" / "uno.md")


def edited_in_place(base: Path) -> None:
    with open(base / "a" / "b" / "two.md", "a", encoding="utf-8") as stream:
        stream.write(" and more")


def folder_added(base: Path) -> None:
    (base / "a" / "c").mkdir()
    (base / "a" / "c" / "three.md").write_text("three")


def link_out(base: Path) -> None:
    (base / "a" / "b" / "leak.md").symlink_to("/etc/hostname")


def hidden(base: Path) -> None:
    (base / "a" / ".hidden.md").write_text("x")


@pytest.mark.parametrize("change", [added, removed, renamed, edited_in_place, folder_added, link_out, hidden])
def test_a_walk_with_listings_sees_every_change(tmp_path: Path, change: Change) -> None:
    """After any change, the walk that reuses the listings of unchanged folders gives the stamps and links of a full one."""
    base = tmp_path / "inputs"
    (base / "a" / "b").mkdir(parents=True)
    (base / "a" / "one.md").write_text("one")
    (base / "a" / "b" / "two.md").write_text("two")
    stamps, notable, first = walk(base)
    assert (stamps, notable) == full(base) and len(first.found) == 3  # every folder plain: all kept
    again, _, second = walk(base, first.found)
    assert again == stamps and second.found == first.found
    time.sleep(0.05)  # past the clock tick of the folders' last change (a later one must show in their stamps)
    change(base)
    assert walk(base, first.found)[:2] == full(base)
    assert full(base) != (stamps, notable)


def test_a_folder_with_a_link_or_a_hidden_entry_is_always_listed(tmp_path: Path) -> None:
    """safepaths looks at every link and hidden entry on every walk: their folders' listings are not kept."""
    base = tmp_path / "inputs"
    (base / "a").mkdir(parents=True)
    (base / "b").mkdir()
    (base / "a" / "one.md").write_text("one")
    (base / "b" / ".hidden").write_text("x")
    (base / "b" / "link.md").symlink_to(base / "a" / "one.md")
    _, notable, listings = walk(base)
    assert sorted(listings.found) == [str(base), str(base / "a")]
    assert walk(base, listings.found)[1] == notable == full(base)[1]


def test_a_recent_folder_is_not_kept(tmp_path: Path) -> None:
    """A folder changed less than RACY_SECONDS before the walk may change again within its stamp's tick: listed next time."""
    (tmp_path / "a").mkdir()
    listings = Listings({}, time.time_ns() - 10**9)
    state.tree_stamps(tmp_path / "a", None, "", listings)
    assert listings.found == {}


def test_listings_of_another_shape_are_ignored(tmp_path: Path) -> None:
    """A listings file with entries of another shape is a walk without listings, with the same stamps and links."""
    base = tmp_path / "inputs"
    (base / "a").mkdir(parents=True)
    (base / "a" / "one.md").write_text("one")
    stamp = folder_stamp(str(base))
    assert walk(base, {str(base): (stamp, 5, None)})[:2] == full(base)  # type: ignore[dict-item]
    for found in [("listings 0", {}), [FORMAT, {}], "not a pickle", (FORMAT, {"a": 1}, 2)]:
        assert valid_listings(found) == {}


def build_project(root: Path) -> str:
    """A build without search; its last line of report."""
    result = build(Project(root), root / "site", search=False)
    return "nothing changed" if result.rendered == 0 else f"{result.rendered} rendered"


def test_a_link_out_added_to_a_kept_folder_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The listings never hide a new link out of the project: the build refuses it, before reading anything."""
    monkeypatch.setattr(state, "RACY_SECONDS", 0)  # every folder is old enough to be kept
    root = fixture_project(tmp_path / "project")
    build_project(root)
    time.sleep(0.05)
    assert build_project(root) == "nothing changed"  # its walk lists the folders, once, and keeps the listings
    assert (root / ".cache" / "marginalia" / state.LISTINGS).is_file()
    folder = next(p for p in (root / "content" / "annotations").iterdir() if p.is_dir())
    os.symlink("/etc/hostname", folder / "leak.md")
    with pytest.raises(ContentError) as refused:
        build_project(root)
    assert [d.message for d in refused.value.diagnostics] == ["`leak.md` is a symbolic link that leads outside the project"]


def test_an_annotation_added_to_a_kept_folder_is_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file added to a folder whose listing was kept is read, and a damaged listings file is only a slower walk."""
    monkeypatch.setattr(state, "RACY_SECONDS", 0)
    root = fixture_project(tmp_path / "project")
    build_project(root)
    time.sleep(0.05)
    assert build_project(root) == "nothing changed"
    folder = next(p for p in (root / "content" / "annotations").iterdir() if p.is_dir())
    note = sorted(folder.glob("*.md"))[0]
    (folder / "added-again.md").write_text(note.read_text(encoding="utf-8"), encoding="utf-8")
    assert build_project(root) != "nothing changed"
    assert (root / "site" / "articles" / folder.name / "index.html").read_text(encoding="utf-8").count("added-again") > 0
    (root / ".cache" / "marginalia" / state.LISTINGS).write_bytes(b"\x80\x05truncated")
    assert build_project(root) == "nothing changed"


def test_the_walk_gives_the_load_stage_its_listings(tmp_path: Path) -> None:
    """What the walk keeps of each folder under content/ is what the load stage would list there (load.entries)."""
    from marginalia.content.load import entries

    root = fixture_project(tmp_path / "project")
    (root / "content" / "annotations" / "stray-folder").mkdir()
    os.mkfifo(root / "content" / "speakers" / "not-a-file.md")
    found: dict = {}  # type: ignore[type-arg]
    for _ in ("listed", "known"):  # the folders listed, then reused from the listings of the first walk
        listings = Listings(found, time.time_ns() + 10**12)
        state.input_stamps(root, (), [], listings)
        found = listings.found
        folders = [str(p) for p in (root / "content").rglob("*") if p.is_dir()] + [str(root / "content")]
        assert sorted(listings.contents) == sorted(folders)
        assert all(listings.contents[folder] == entries(Path(folder)) for folder in folders)
