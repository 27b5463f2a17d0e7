"""The write stage: put the site in place all at once, or not at all."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

from .diagnostics import UsageError
from .incremental import same_bytes

MARKER = ".marginalia-site"


def check_output_folder(out: Path, root: Path) -> None:
    """Refuse an output folder whose replacement would destroy something that is not a built site."""
    out, root = out.resolve(), root.resolve()
    if out == root or out in root.parents or any(out == root / name for name in ("content", "seeds", "templates", "static")):
        raise UsageError(f"refusing to write the site into {out}: it would replace the project's own files; choose another --out")
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise UsageError(f"refusing to replace {out}: it exists and was not made by Marginalia; remove it or choose another --out")


def safe_target(base: Path, relative: str) -> Path:
    """The path for a site file, refusing any that would land outside the output folder."""
    target = (base / relative).resolve()
    if base.resolve() not in target.parents:
        raise UsageError(f"refusing to write {relative!r}: outside the output folder")
    return target


def write_tree(base: Path, files: Mapping[str, bytes], static: Path | None, previous: Path | None = None) -> None:
    """Write the files (and a copy of `static`) into an empty folder.

    With `previous` (the current site), a file whose bytes are unchanged is hard-linked from
    it instead of written: unchanged pages keep their inode and modification time.
    """
    for relative in sorted(files):
        target = safe_target(base, relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not (previous is not None and link_if_same(previous / relative, files[relative], target)):
            target.write_bytes(files[relative])
    if static is not None and static.is_dir():
        def copy_static(source: str, target: str) -> None:
            old = None if previous is None else previous / "static" / Path(target).relative_to(base / "static")
            if not (old is not None and link_if_same(old, Path(source).read_bytes(), Path(target))):
                shutil.copyfile(source, target)
        shutil.copytree(static, base / "static", copy_function=copy_static)
    (base / MARKER).write_text("This folder is written by Marginalia and replaced on every build.\n", encoding="utf-8")


def link_if_same(old: Path, data: bytes, target: Path) -> bool:
    """Hard-link `old` to `target` when it holds exactly `data`; False when it does not (or cannot)."""
    try:
        if old.is_symlink() or not same_bytes(old, data):
            return False
        os.link(old, target)
    except OSError:
        return False
    return True


def write_site(out: Path, files: Mapping[str, bytes], static: Path | None,
               finish: Callable[[Path], None] | None = None, incremental: bool = False,
               fill: Callable[[Path], None] | None = None) -> None:
    """Write into a sibling temporary folder, run `finish` on it (the search index), then swap it in.

    `fill(staging)` puts the pages there first (rendered straight into it, or linked from `out`).

    A failure at any point leaves `out` as it was.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.new-{os.getpid()}"
    retired = out.parent / f".{out.name}.old-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        staging.mkdir()
        if fill is not None:
            fill(staging)
        write_tree(staging, files, static, out if incremental and out.is_dir() else None)
        if finish is not None:
            finish(staging)
        if out.exists():
            out.rename(retired)
        staging.rename(out)
    except BaseException:
        if retired.exists() and not out.exists():
            retired.rename(out)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(retired, ignore_errors=True)
