"""Incremental builds: what the last build saw and made, kept in `<root>/.cache/marginalia/`.

The cache is only ever an accelerator, never a source of truth: deleting it (or any
mismatch: another tool version, other templates or settings) gives a full build with the
same bytes. Savings, from the cheapest check to the finest:

1. nothing changed: every input file has the size and mtime it had after the last build,
   the settings and tool are the same, and the site is as that build left it → no work;
2. a file whose stamp is unchanged is not parsed again, an article whose files are
   unchanged is not anchored again (loadcache.py);
3. a page whose recorded inputs (planner.py: the files and facts it read while it was made,
   render/reads.py) have the fingerprint they had is not rendered: it is kept in the site (in
   place) or hard-linked from it into the staging folder, and nothing is written when nothing changed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import os
import pickle
import shutil
import time
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .listings import FORMAT as LISTINGS_FORMAT, TRUSTED as TRUSTED_LISTINGS, Listings, valid_listings, walk_folder
from .loadcache import Stamp
from .racy import RACY_SECONDS

CACHE_FORMAT = 8
PACKAGE = Path(__file__).resolve().parent.parent  # marginalia/, every subpackage included
INPUT_FOLDERS = ("content", "seeds", "templates", "static")
INPUT_FILES = ("site.toml",)



def cache_folder(root: Path) -> Path:
    """Where the build cache lives (git-ignored; safe to delete)."""
    return root / ".cache" / "marginalia"


RENDERING_LIBRARIES = ("markdown-it-py", "markdown-it-pyrs", "mdit-py-plugins", "Jinja2", "MarkupSafe", "feedgen", "python-slugify",
                       "lxml")


def library_version(name: str) -> str:
    """The installed version of a distribution, or "" when it is not installed."""
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return ""


def tool_digest(package: Path = PACKAGE) -> str:
    """Identifies this version of the tool: the source files of `package` and all its subpackages (a code change drops the cache)."""
    digest = hashlib.blake2b(f"format {CACHE_FORMAT}".encode(), digest_size=16)
    # The libraries that turn text into HTML change output too: an upgrade drops the cache.
    for name in RENDERING_LIBRARIES:
        digest.update(f"{name}={library_version(name)}\0".encode())
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def folder_digest(folder: Path) -> str:
    """The bytes and names of every file under a folder (the templates in use)."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def stamp_of(path: Path) -> Stamp | None:
    """A file's size, modification time and inode, or None when it is missing."""
    try:
        found = path.stat()
    except OSError:
        return None
    return (found.st_size, found.st_mtime_ns, found.st_ino)


def tree_stamps(base: Path | str, notable: list[tuple[str, bool]] | None = None, prefix: str = "",
                listings: Listings | None = None) -> dict[str, Stamp]:
    """Stamps of every file under `base`, by POSIX path relative to it (`prefix` before each), from os.scandir.

    `notable` collects (path, is a link) of every symbolic link and hidden entry on the way, for safepaths; a
    link that leads nowhere has no stamp (safepaths reports it). Plain strings, no Path per folder: this walk
    is most of a build that finds nothing changed (90,000 entries at 10,000 articles). With `listings`, a
    folder unchanged since it was last listed is not listed again (listings.py).
    """
    if listings is None:
        return walk_tree(base, notable, prefix, None)
    mark = len(notable) if notable is not None else 0
    try:
        return walk_tree(base, notable, prefix, listings)
    except (TypeError, ValueError, IndexError):  # a listings file of another shape: walk as if there were none
        listings.known, listings.found = {}, {}
        if notable is not None:
            del notable[mark:]
        return walk_tree(base, notable, prefix, listings)


def walk_tree(base: Path | str, notable: list[tuple[str, bool]] | None, prefix: str,
              listings: Listings | None) -> dict[str, Stamp]:
    """tree_stamps' walk."""
    stamps: dict[str, Stamp] = {}
    pending = [(prefix, str(base))]
    while pending:
        prefix, folder = pending.pop()
        walk_folder(folder, prefix, stamps, pending, notable, listings)
    return stamps


def input_stamps(root: Path, extra: Iterable[Path] = (), notable: list[tuple[str, bool]] | None = None,
                 listings: Listings | None = None) -> dict[str, Stamp]:
    """Stamps of every file the build reads: content, seeds, templates, static, settings (`notable`, `listings`: see tree_stamps)."""
    stamps: dict[str, Stamp] = {}
    for name in INPUT_FOLDERS:
        stamps.update(tree_stamps(root / name, notable, f"{name}/", listings))
    for path in [*(root / name for name in INPUT_FILES), *extra]:
        found = stamp_of(path)
        if found is not None:
            stamps[path.as_posix()] = found
    return stamps


LISTINGS = "listings.pickle"


def load_listings(folder: Path, started_ns: int) -> Listings:
    """The folder listings the last walks kept (none on other systems than POSIX: see listings.py), for a build started now."""
    known = valid_listings(read_pickle(folder / LISTINGS)) if TRUSTED_LISTINGS else {}
    return Listings(known, started_ns - RACY_SECONDS * 1_000_000_000)


def save_listings(folder: Path, listings: Listings) -> None:
    """Keep this build's listings for the next, when they are not those read (a folder listed again, or gone)."""
    if not TRUSTED_LISTINGS or listings.found == listings.known:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_pickle(folder / LISTINGS, (LISTINGS_FORMAT, listings.found))
    except OSError:
        pass  # a read-only project: its folders are listed every time


@dataclass
class BuildState:
    """What the last successful build saw (inputs, settings) and made (site files, page digests)."""

    key: str
    inputs: dict[str, Stamp]
    site: dict[str, Stamp]
    page_inputs: dict[str, Any]  # the inputs each unit of output read and their fingerprint (planner.py), by its first file
    summary: dict[str, Any] = field(default_factory=dict)
    files: dict[str, Any] = field(default_factory=dict)  # loadcache.FileResult by project path and salt
    anchors: dict[str, Any] = field(default_factory=dict)  # anchored articles by the digest of what they read
    outputs: dict[str, str] = field(default_factory=dict)  # content digest of every generated file
    markdown: dict[str, str] = field(default_factory=dict)  # rendered Markdown by the digest of its source text
    racy: dict[str, str] = field(default_factory=dict)  # digests of inputs whose stamps cannot be trusted (racy.py)
    fingerprints: dict[str, str] = field(default_factory=dict)  # every input key's fingerprint (planner.py)
    # The heavy fields as read, part by part (load_caches), so saving need not split them again; never saved.
    parts: dict[str, list[dict[str, Any]]] = field(default_factory=dict, compare=False, repr=False)


# What the next build needs only when something changed: kept apart from the state, read only then.
HEAVY_FIELDS = ("page_inputs", "files", "anchors", "outputs", "markdown", "fingerprints")
# Each heavy field is kept in this many files by a hash of its keys: after a small edit only the files
# whose part changed are written again (a part is about 500 entries at 10,000 articles), and no one
# pickle of the whole cache is ever held in memory.
SHARDS = 128


def shard_of(key: str) -> int:
    """Which of the SHARDS files keeps a key (a stable hash: Python's own changes from run to run)."""
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % SHARDS


def split(values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A heavy field's entries, in SHARDS parts."""
    parts: list[dict[str, Any]] = [{} for _ in range(SHARDS)]
    for key, value in values.items():
        parts[shard_of(key)][key] = value
    return parts


def load_state(folder: Path) -> BuildState | None:
    """The last build's state without its per-file caches (see load_caches), or None when there is none.

    `folder`: the state's cache folder (Project.state_folder: cache_folder(root), or serve's own).
    """
    found = read_pickle(folder / "state.pickle")
    return found if isinstance(found, BuildState) else None


def load_caches(folder: Path, state: BuildState) -> BuildState | None:
    """The state with the per-file caches of the same build filled in; None when one is missing or another build's."""
    written = state.summary.get("shards", {})
    heavy: dict[str, dict[str, Any]] = {field: {} for field in HEAVY_FIELDS}
    parts: dict[str, list[dict[str, Any]]] = {field: [] for field in HEAVY_FIELDS}
    for heavy_field in HEAVY_FIELDS:
        for index in range(SHARDS):
            name = f"{heavy_field}-{index:02d}"
            found = read_part(folder / f"{name}.pickle")
            if not (isinstance(found, tuple) and len(found) == 2 and name in written and found[0] == written[name]):
                return None
            heavy[heavy_field].update(found[1])
            parts[heavy_field].append(found[1])
    return dataclasses.replace(state, parts=parts, **heavy)  # type: ignore[arg-type]


# The heavy parts last read, by file and its stat, for a process that builds again and again (`serve`): a part
# that was not rewritten since is the same object, not unpickled again (at 1,000 articles about half of an
# edit's rebuild). Files are renamed into place, so a rewritten part has a new inode and is read afresh.
_parts_read: dict[str, tuple[tuple[int, int, int], Any]] = {}


def read_part(path: Path) -> Any:
    """What a heavy part's cache file holds (see read_pickle), the object read last time if the file is unchanged."""
    try:
        stat = path.stat()
    except OSError:
        return None
    key, seen = (stat.st_ino, stat.st_size, stat.st_mtime_ns), _remembered(path)
    if seen is not None and seen[0] == key:
        return seen[1]
    found = read_pickle(path)
    _parts_read[str(path)] = (key, found)
    return found


def _remembered(path: Path) -> tuple[tuple[int, int, int], Any] | None:
    """The part remembered for `path` (see read_part), after forgetting those of another folder."""
    first = next(iter(_parts_read), None)
    if first is not None and not first.startswith(str(path.parent) + os.sep):
        _parts_read.clear()  # another project's cache (the tests build many): keep one folder's parts only
    return _parts_read.get(str(path))


def remember_part(path: Path, value: Any) -> None:
    """Remember the part just written to `path` as read_part would have read it: the next build in this process
    takes the very objects this one made (an edit's rebuild then unpickles nothing, and a fingerprint kept
    for the same objects in memory, planner.py, is used again)."""
    try:
        stat = path.stat()
    except OSError:
        return
    _remembered(path)
    _parts_read[str(path)] = ((stat.st_ino, stat.st_size, stat.st_mtime_ns), value)


def read_pickle(path: Path) -> Any:
    """What a cache file holds, or None when it is missing or unreadable."""
    try:
        with path.open("rb") as stream:
            return pickle.load(stream)
    except Exception:  # noqa: BLE001 - truncated, foreign or from another version: any unreadable entry is rebuilt
        return None


def save_state(folder: Path, state: BuildState, previous: BuildState | None = None) -> None:
    """Keep the state for the next build: the heavy parts that differ from `previous` (what is on disk), then the state.

    Each file is renamed into place; the state, written last, names the build that wrote each part,
    so a crash in between leaves parts that load_caches refuses (and the next build is a full one).
    """
    token = f"{os.getpid()}-{time.time_ns()}"
    written = dict(previous.summary.get("shards", {})) if previous is not None else {}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for field in HEAVY_FIELDS:
            for index, part in parts_to_write(field, state, previous, written):
                name = f"{field}-{index:02d}"
                write_pickle(folder / f"{name}.pickle", (token, part))
                remember_part(folder / f"{name}.pickle", (token, part))
                written[name] = token
        light = dataclasses.replace(state, summary={**state.summary, "shards": written}, parts={},
                                    **{f: {} for f in HEAVY_FIELDS})  # type: ignore[arg-type]
        write_pickle(folder / "state.pickle", light)
        (folder / "caches.pickle").unlink(missing_ok=True)  # the single cache file of earlier versions
    except OSError:
        pass  # a read-only project still builds; it just builds in full next time


def parts_to_write(field: str, state: BuildState, previous: BuildState | None, written: Mapping[str, str]
                   ) -> list[tuple[int, dict[str, Any]]]:
    """The parts of a heavy field that differ from those on disk (all of them without a last build), by index."""
    new = getattr(state, field)
    old_parts = previous.parts.get(field) if previous is not None else None
    if previous is not None and old_parts and len(old_parts) == SHARDS and getattr(previous, field) is not new:
        return sorted(changed_parts(old_parts, getattr(previous, field), new).items())
    old = (old_parts or split(getattr(previous, field))) if previous is not None else None
    return [(index, part) for index, part in enumerate(split(new))
            if old is None or f"{field}-{index:02d}" not in written or not same_part(old[index], part)]


def changed_parts(old_parts: list[dict[str, Any]], old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[int, dict[str, Any]]:
    """The parts that change from the last build's (`old`, as read in `old_parts`) to `new`, each as it is now.

    Only the changed keys are hashed to their part: at 10,000 articles a heavy field has up to 150,000 keys,
    of which an edit changes a few, and most values are the very objects of the last build (see same_part).
    """
    missing = object()
    changed = [key for key, value in new.items()
               if (before := old.get(key, missing)) is not value and (before is missing or before != value)]
    added = sum(1 for key in changed if key not in old)
    removed = list(old.keys() - new.keys()) if len(new) - added != len(old) else []  # only then can a key be gone
    parts: dict[int, dict[str, Any]] = {}
    for key in changed:
        index = shard_of(key)
        parts.setdefault(index, dict(old_parts[index]))[key] = new[key]
    for key in removed:
        index = shard_of(key)
        parts.setdefault(index, dict(old_parts[index])).pop(key)
    return parts


def same_part(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """Whether a part is unchanged: the same keys, each value the same object as before or equal to it.

    Values reused from the last build (a file's parse, a kept page's record) are the same objects, so
    most of a part is compared by identity, not field by field.
    """
    if len(old) != len(new):
        return False
    missing = object()
    for key, value in new.items():
        before = old.get(key, missing)
        if before is not value and before != value:
            return False
    return True


def write_pickle(path: Path, value: Any) -> None:
    """Pickle straight to a file beside `path` (no copy of it all in memory), then rename it into place."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}")
    with temporary.open("wb") as stream:
        pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
    temporary.replace(path)


def forget_state(folder: Path) -> None:
    """Drop the state (before a build that may change the site), so a crash cannot leave it stale."""
    try:
        (folder / "state.pickle").unlink()
    except OSError:
        pass


def nothing_changed(state: BuildState | None, key: str, inputs: Mapping[str, Stamp], site: Mapping[str, Stamp]) -> bool:
    """True when the inputs, settings and tool match the last build and its site (`site`: stamps now) is untouched."""
    return state is not None and state.key == key and state.inputs == inputs and site == state.site


def same_bytes(path: Path, data: bytes) -> bool:
    """Whether the file at `path` holds exactly `data`."""
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def build_key(tool: str, templates: Path, settings: Iterable[object]) -> str:
    """Everything besides the input files that decides the output: tool, templates, settings."""
    return "|".join([tool, folder_digest(templates), *(repr(s) for s in settings)])


def generated_names(site: Mapping[str, Stamp]) -> set[str]:
    """The rendered files of a site listing (not static/, the search index or the marker)."""
    return {n for n in site if not n.startswith(("static/", "pagefind/")) and not n.startswith(".")}


def static_unchanged(out: Path, static: Path | None, site: Mapping[str, Stamp]) -> bool:
    """Whether the site's static/ holds exactly the files and bytes of the project's (or the tool's) static folder."""
    static_files = tree_stamps(static) if static is not None and static.is_dir() else {}
    if {n for n in site if n.startswith("static/")} != {f"static/{n}" for n in static_files}:
        return False
    return all(same_bytes(out / "static" / n, (static / n).read_bytes()) for n in static_files if static is not None)


def link_tree(source: Path, target: Path) -> None:
    """Hard-link every file of `source` into `target` (an unchanged bundle of the search index)."""
    shutil.copytree(source, target, copy_function=os.link)
