"""The write stage: put the site in place all at once, or not at all."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..diagnostics import UsageError
from ..incremental.state import generated_names, same_bytes, stamp_of, static_unchanged, tree_stamps
from ..render.pages import Rendered
from ..seams import Plan, Written
from .search import bundles_of, index_search, pagefind_available, reused_bundles, same_input

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
        for parent, _folders, _files in os.walk(site_static, topdown=False):
            here = Path(parent)
            if here != site_static and here.relative_to(site_static) not in wanted and not any(here.iterdir()):
                here.rmdir()


# --- The Writer seam (seams.py): two strategies, both all or nothing. ---------------------------------------------

Stamp = tuple[int, int, int]


@dataclass(frozen=True)
class Previous:
    """What the last build left in the site: each generated file's digest, its warnings, and the site's stamps now."""

    outputs: dict[str, str]
    warnings: tuple[str, ...]
    site: dict[str, Stamp]


class StageAndSwap:
    """Writes the whole site into a sibling folder and swaps it in with two renames.

    Kept pages (the plan's `keep`) are hard-linked from the current site, so they keep their
    inode and time; with `search`, the bundles of the search index whose inputs changed are
    indexed before the swap, and the others linked from the current site (output/search.py). A
    failure before the swap leaves the site as it was; a failure in the swap puts the old one back.
    """

    def __init__(self, out: Path, static: Path | None, search: bool = True, previous: Previous | None = None) -> None:
        self.out, self.static, self.search, self.previous = out.resolve(), static, search, previous
        self.folder = self.out.parent / f".{self.out.name}.new-{os.getpid()}"

    @contextmanager
    def staging(self) -> Iterator[Path]:
        """A fresh sibling folder of the site (on its file system, so it can be renamed into place)."""
        self.out.parent.mkdir(parents=True, exist_ok=True)
        recover(self.out)
        remove_stale_staging(self.out)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir()
        try:
            yield self.folder
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def write(self, plan: Plan, rendered: Rendered) -> Written:
        """Link the kept pages, copy static/, index, swap; or nothing at all when nothing changed."""
        if unchanged_site(self.out, self.static, plan, self.previous, self.search and pagefind_available()):
            assert self.previous is not None
            return Written(dict(self.previous.outputs), self.previous.warnings, self.previous.site)
        outputs = self.fill(plan, rendered)
        warnings = self.index(outputs) if self.search else ()
        self.swap()
        return Written(outputs, tuple(warnings), tree_stamps(self.out))

    def fill(self, plan: Plan, rendered: Rendered) -> dict[str, str]:
        """The staging folder made whole: the kept pages linked from the site, static/, the marker; every file's digest."""
        outputs = dict(rendered.outputs)
        known = self.previous.outputs if self.previous is not None else {}
        made: set[str] = set()
        source, target = f"{self.out}/", f"{self.folder}/"  # strings, not Paths: 20,000 links at 10,000 articles
        for spec in plan.keep:
            for name in spec.outputs:
                folder = name.rpartition("/")[0]
                if folder not in made:  # one mkdir per folder, not per file: 10,000 folders at 10,000 articles
                    os.makedirs(target + folder, exist_ok=True)
                    made.add(folder)
                self.link(source + name, target + name)
                outputs[name] = known.get(name, "")
        write_tree(self.folder, {}, self.static, self.out if self.previous is not None and self.out.is_dir() else None)
        return outputs

    def index(self, outputs: dict[str, str]) -> list[str]:
        """The search index of the staged site: each bundle whose inputs are the last build's, linked; the others indexed."""
        bundles = bundles_of(outputs)
        staged = self.folder.joinpath
        if self.previous is None or not (self.out / "pagefind").is_dir():
            return index_search(self.folder, bundles, staged)
        keep = reused_bundles(bundles, bundles_of(self.previous.outputs), self.out / "pagefind",
                              unchanged_input(outputs, self.previous, self.out, staged))
        return index_search(self.folder, bundles, staged, keep, self.out / "pagefind")

    def link(self, source: str, target: str) -> None:
        """Hard-link one kept file into the staging folder."""
        os.link(source, target)

    def rename(self, source: Path, target: Path) -> None:
        """One rename of the swap."""
        source.rename(target)

    def swap(self) -> None:
        """Put the staged site in place: the old one aside, the new one in, the old one deleted; undone on failure."""
        retired = self.out.parent / f".{self.out.name}.old-{os.getpid()}"
        shutil.rmtree(retired, ignore_errors=True)
        try:
            if self.out.exists():
                self.rename(self.out, retired)
            self.rename(self.folder, self.out)
        except BaseException:
            if retired.exists() and not self.out.exists():
                retired.rename(self.out)
            raise
        shutil.rmtree(retired, ignore_errors=True)


class InPlace:
    """Updates an existing site in place: each changed file renamed over its old one, files no longer made deleted.

    Every file replaced or deleted is first hard-linked into an undo folder beside the site, with a
    journal of the files added, so a failure half-way puts every file back (`undo`), and a build
    killed half-way is undone by the next one before it starts (`recover`). When a new file's place is
    an old folder (or lies under an old file), or more than `limit` files change, the site is written
    whole by stage-and-swap instead, from the same rendered files. With search, the bundles of the
    index whose inputs changed are made again in the staging folder and moved in like pages, and the
    files of the old ones deleted; the other bundles are left as they are.
    """

    def __init__(self, out: Path, static: Path | None, previous: Previous, search: bool = False,
                 limit: int = 2000) -> None:
        self.out, self.static, self.previous, self.search, self.limit = out.resolve(), static, previous, search, limit
        self.whole = StageAndSwap(out, static, search=search, previous=previous)
        self.undo_folder = self.out.parent / f".{self.out.name}.undo-{os.getpid()}"

    def staging(self) -> AbstractContextManager[Path]:
        """The same sibling folder stage-and-swap would use (so it can fall back to it)."""
        return self.whole.staging()

    def write(self, plan: Plan, rendered: Rendered) -> Written:
        """Move the rendered files (and the search bundles made again) in, or write the site whole when they cannot be."""
        if unchanged_site(self.out, self.static, plan, self.previous, self.search and pagefind_available()):
            return Written(dict(self.previous.outputs), self.previous.warnings, self.previous.site)
        staging = rendered.staging
        outputs = {name: self.previous.outputs.get(name, "") for spec in plan.keep for name in spec.outputs}
        outputs.update(rendered.outputs)
        if self.static is not None and self.static.is_dir():
            fresh_static(self.out, self.static, staging)
        staged = files_under(staging)
        if len(staged) > self.limit or any(blocked(self.out, name) for name in staged):
            return self.write_whole(plan, rendered)
        warnings, index_kept = self.index(outputs, staging) if self.search else ([], frozenset[str]())
        staged = files_under(staging)
        present = {n for n in self.previous.site if n != MARKER}
        keep = ({name for spec in plan.specs for name in spec.outputs} | static_names(self.static)
                | {n for n in present if n.startswith("pagefind/") and n.split("/")[1] in index_kept})
        removed = present - keep - set(staged)
        self.apply(staging, staged, sorted(removed))
        site = {name: stamp for name, stamp in self.previous.site.items() if name not in removed}
        site.update((name, stamp) for name in staged if (stamp := stamp_of(self.out / name)) is not None)
        return Written(outputs, tuple(warnings), site)

    def index(self, outputs: dict[str, str], staging: Path) -> tuple[list[str], frozenset[str]]:
        """The bundles whose inputs changed, indexed into `staging/pagefind/`; the warnings, and the bundles left as they are."""
        def page(name: str) -> Path:
            return staging / name if (staging / name).is_file() else self.out / name
        bundles = bundles_of(outputs)
        keep = frozenset[str]()
        if (self.out / "pagefind").is_dir() and pagefind_available():
            keep = reused_bundles(bundles, bundles_of(self.previous.outputs), self.out / "pagefind",
                                  unchanged_input(outputs, self.previous, self.out, page))
        return index_search(staging, bundles, page, keep), keep

    def write_whole(self, plan: Plan, rendered: Rendered) -> Written:
        """Stage-and-swap from the files rendered already (static/ is copied again in full)."""
        shutil.rmtree(rendered.staging / "static", ignore_errors=True)
        fresh = {name for name in files_under(rendered.staging)}
        outputs = {name: digest for name, digest in rendered.outputs.items() if name in fresh}
        return self.whole.write(plan, Rendered(rendered.staging, outputs, rendered.inputs))

    def apply(self, staging: Path, staged: list[str], removed: list[str]) -> None:
        """Move each staged file in and delete the removed ones, keeping what undoes it; undo it all on failure."""
        undo = self.undo_folder
        shutil.rmtree(undo, ignore_errors=True)
        (undo / "old").mkdir(parents=True)
        journal = (undo / "journal").open("w", encoding="utf-8")
        try:
            for name in staged:
                self.keep_old(name, journal)
                target = self.out / name
                target.parent.mkdir(parents=True, exist_ok=True)
                self.replace(staging / name, target)
            for name in removed:
                self.keep_old(name, journal)
                remove_file(self.out, name)
            match_static_folders(self.out / "static", self.static)
        except BaseException:
            journal.close()
            undo_changes(self.out, undo)
            raise
        journal.close()
        shutil.rmtree(undo, ignore_errors=True)

    def keep_old(self, name: str, journal: Any) -> None:
        """Before a file is replaced or deleted: a hard link to it in the undo folder, or a journal line if it is new."""
        old = self.out / name
        if old.is_file():
            backup = self.undo_folder / "old" / name
            backup.parent.mkdir(parents=True, exist_ok=True)
            os.link(old, backup)
        else:
            journal.write(name + "\n")
            journal.flush()

    def replace(self, source: Path, target: Path) -> None:
        """One atomic rename of a new file over its old one."""
        os.replace(source, target)


def unchanged_input(outputs: dict[str, str], previous: Previous, out: Path, page: Callable[[str], Path]) -> Callable[[str], bool]:
    """Whether a page gives Pagefind the last build's input: the same bytes, or the same once its ignored parts are cut.

    The last build's page is still in `out`; this build's is `page(name)`.
    """
    def unchanged(name: str) -> bool:
        if outputs[name] and outputs[name] == previous.outputs.get(name):
            return True
        return same_input(name, out / name, page(name))
    return unchanged


def undo_changes(out: Path, undo: Path) -> None:
    """Put back every file an interrupted in-place update replaced or deleted, and delete the files it added."""
    try:
        added = (undo / "journal").read_text(encoding="utf-8").splitlines()
    except OSError:
        added = []
    for name in added:
        if name and (out / name).is_file():
            remove_file(out, name)
    old = undo / "old"
    for name in files_under(old) if old.is_dir() else []:
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(old / name, target)
    shutil.rmtree(undo, ignore_errors=True)


def recover(out: Path) -> None:
    """Undo any in-place update of `out` that a killed build left half done (its undo folder is still there)."""
    for undo in sorted(out.parent.glob(f".{out.name}.undo-*")):
        if undo.is_dir():
            undo_changes(out, undo)


def remove_stale_staging(out: Path) -> None:
    """Delete the staging and retired folders of builds of `out` that were killed (no live process owns them)."""
    for folder in out.parent.glob(f".{out.name}.*-*"):
        kind, _, pid = folder.name.rpartition("-")
        if kind.endswith((".new", ".old")) and pid.isdigit() and not process_alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def process_alive(pid: int) -> bool:
    """Whether a process of this id exists (this one included)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def unchanged_site(out: Path, static: Path | None, plan: Plan, previous: Previous | None, indexed: bool) -> bool:
    """Whether the site already holds exactly what the plan makes: nothing to render, the same files, static/ and index."""
    if previous is None or plan.render:
        return False
    names = {name for spec in plan.specs for name in spec.outputs}
    return ((out / "pagefind").is_dir() == indexed and generated_names(previous.site) == names
            and static_unchanged(out, static, previous.site))


def static_names(static: Path | None) -> set[str]:
    """The site paths of the static files."""
    return {f"static/{name}" for name in tree_stamps(static)} if static is not None and static.is_dir() else set()
