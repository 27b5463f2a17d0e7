"""A build that runs out of disk says so plainly and leaves the previous site as it was.

Root mounts a small tmpfs for the site (skipped where mounting is not allowed), fills it, and builds again
with search on: whatever step meets the full disk (the pages, the Pagefind index), nothing is swapped in.
"""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from marginalia.commands.cli import main

from .conftest import fixture_project


def digests(folder: Path) -> dict[str, str]:
    """Every file under `folder` by relative path, with the digest of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MB tmpfs, unmounted afterwards."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fill(disk: Path, leave_kb: int) -> None:
    """Fill the file system of `disk` up to `leave_kb` kilobytes of free space."""
    free_kb = int(subprocess.run(["df", "-k", "--output=avail", str(disk)], capture_output=True, text=True,
                                 check=True).stdout.split()[-1])
    (disk / "filler").write_bytes(b"\0" * max(0, free_kb - leave_kb) * 1024)


def test_a_full_disk_is_an_error_and_the_previous_site_stays(small_disk: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    root = fixture_project(tmp_path / "project")
    out = small_disk / "site"
    assert main(["build", "--root", str(root), "--out", str(out)]) == 0
    before = digests(out)
    for path in (root / "content" / "speakers").glob("*.md"):  # every page that names a speaker changes
        path.write_text(path.read_text(encoding="utf-8").replace("name: ", "name: Renamed ", 1), encoding="utf-8")
    fill(small_disk, leave_kb=64)
    capsys.readouterr()
    assert main(["build", "--root", str(root), "--out", str(out)]) == 1
    said = capsys.readouterr()
    text = said.out + said.err
    assert "the disk is full" in text and "internal error" not in text and "Traceback" not in text
    assert digests(out) == before
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler", "site"]  # no staging folder left behind
