"""The write stage: put the site in place all at once, or not at all."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

from ..diagnostics import UsageError
from ..incremental.state import same_bytes

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


def update_site(out: Path, fill: Callable[[Path], None], keep: set[str], static: Path | None,
                present: set[str]) -> tuple[set[str], set[str]] | None:
    """Bring an existing site up to date in place: render the changed files beside it, then move each in.

    `fill(staging)` renders the changed files into a small sibling folder; `keep` names every file the
    new site has (the changed ones included). Only then is `out` touched: each new file replaces its old
    one with one atomic rename, and files the site no longer has are deleted (`present`: the site's files
    before, as the caller has already listed them). A failure while rendering
    leaves `out` as it was, and a reader never sees a half-written page. Unchanged files keep their inode
    and modification time, so nothing else (a sync to the host, the next build) sees them change.
    Returns the names of the files moved in and of those deleted; or None, with `out` untouched, when a
    new file's place is an old folder or lies under an old file (a file became a folder, or the other
    way round): the caller then writes the site in full.
    """
    out = out.resolve()
    staging = out.parent / f".{out.name}.new-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        staging.mkdir()
        fill(staging)
        if static is not None and static.is_dir():
            fresh_static(out, static, staging)
        staged = files_under(staging)
        if any(blocked(out, name) for name in staged):
            return None
        moved = move_files(staging, out, staged)
        removed = present - keep - moved
        for name in sorted(removed):
            remove_file(out, name)
        match_static_folders(out / "static", static)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return moved, removed


def files_under(folder: Path) -> list[str]:
    """Every file under a folder, by POSIX path relative to it, sorted."""
    found = []
    for parent, _, files in os.walk(folder):
        relative_folder = os.path.relpath(parent, folder)
        prefix = "" if relative_folder == "." else relative_folder.replace(os.sep, "/") + "/"
        found += [prefix + name for name in files]
    return sorted(found)


def blocked(out: Path, name: str) -> bool:
    """Whether a new file cannot simply be renamed to `out/name`: a folder is there, or a file where a folder must be."""
    if os.path.isdir(out / name):
        return True
    parts = name.split("/")[:-1]
    return any(os.path.isfile(out.joinpath(*parts[:depth])) for depth in range(1, len(parts) + 1))


def fresh_static(out: Path, static: Path, staging: Path) -> None:
    """Copy into `staging/static/` each static file whose bytes differ from the site's."""
    for source in sorted(p for p in static.rglob("*") if p.is_file()):
        name = source.relative_to(static).as_posix()
        data = source.read_bytes()
        if not same_bytes(out / "static" / name, data):
            target = staging / "static" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)


def move_files(staging: Path, out: Path, names: list[str]) -> set[str]:
    """Rename each of the files `names` of `staging` to the same place under `out`; the names moved."""
    for name in names:
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / name, target)
    return set(names)


def remove_file(out: Path, name: str) -> None:
    """Delete a file the site no longer has, and the folders it leaves empty."""
    target = safe_target(out, name)
    target.unlink(missing_ok=True)
    folder = target.parent
    while folder != out and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def match_static_folders(site_static: Path, static: Path | None) -> None:
    """Give the site's static/ exactly the folders of the project's, empty ones included, as a full build copies them."""
    wanted = {p.relative_to(static) for p in static.rglob("*") if p.is_dir()} if static is not None and static.is_dir() else set()
    for folder in sorted(wanted):
        (site_static / folder).mkdir(parents=True, exist_ok=True)
    if site_static.is_dir():
        for parent, folders, files in os.walk(site_static, topdown=False):
            here = Path(parent)
            if here != site_static and here.relative_to(site_static) not in wanted and not any(here.iterdir()):
                here.rmdir()
