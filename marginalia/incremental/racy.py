"""Racily clean files: an edit that keeps a file's size and mtime is still seen (git's racy-git rule).

A stamp (size, mtime, inode) proves a file unchanged only if the file could not have been written
again within the same tick of the clock after it was stamped, or had its mtime set back (`touch
-r`). So a build keeps, besides the stamps, the content digest of every input modified within
RACY_SECONDS of the moment it stamped them; the next build compares those files by digest, not
by stamp. Older files are trusted by stamp, as git and make trust them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .loadcache import LoadCache, Stamp, file_digest

RACY_SECONDS = 2


def recent(inputs: Mapping[str, Stamp], started_ns: int) -> list[str]:
    """The inputs modified within RACY_SECONDS of `started_ns` (or after it)."""
    return [name for name, stamp in inputs.items() if stamp[1] >= started_ns - RACY_SECONDS * 1_000_000_000]


def early_digests(root: Path, inputs: Mapping[str, Stamp], started_ns: int) -> dict[str, str]:
    """Digests, taken as the build starts, of the recent inputs the load stage does not read (settings, templates, static).

    Taken before they are used, so a later edit can only make the next build compare unequal and look again.
    """
    return {name: file_digest(Path(name) if name.startswith("/") else root / name)
            for name in recent(inputs, started_ns) if not name.startswith(LOADED)}


LOADED = ("content/", "seeds/")


def racy_digests(inputs: Mapping[str, Stamp], cache: LoadCache, started_ns: int, early: Mapping[str, str]) -> dict[str, str]:
    """Digests of the recent inputs: of the bytes the load stage read, else the early ones ("" when neither)."""
    names = recent(inputs, started_ns)
    if not names:
        return {}
    read = {key.partition("\0")[0]: result.digest for key, result in cache.files.items()}
    return {name: read.get(name) or early.get(name, "") for name in names}


def racy_changed(root: Path, state: Any, inputs: Mapping[str, Stamp]) -> set[str]:
    """The inputs whose stamps the last build could not trust and whose bytes differ now (or were never digested)."""
    changed = set()
    for name, digest in getattr(state, "racy", {}).items():  # getattr: a state saved by an older version has none
        if inputs.get(name) is not None and inputs.get(name) == state.inputs.get(name):
            path = Path(name) if name.startswith("/") else root / name
            if not digest or file_digest(path) != digest:
                changed.add(name)
    return changed
