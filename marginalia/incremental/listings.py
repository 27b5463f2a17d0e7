"""Folder listings kept between builds: a folder whose stamp is unchanged is not listed again.

Creating, deleting or renaming an entry of a folder sets the folder's ctime (and mtime), and
nothing sets a ctime back, so a folder whose (ctime, mtime, inode) are those it had when it was
listed holds the same names. The walk of the inputs and of the site (state.tree_stamps) then
stats the files it knew instead of listing the folder: about half the system calls, and no
directory entry objects (90,000 files in 23,000 folders at 10,000 articles). A file edited in
place keeps its folder's stamp but not its own, so it is still seen.

A listing is kept only for a plain folder (no symbolic link, no hidden entry: those are looked at
by safepaths.py on every walk) whose ctime is older than RACY_SECONDS before the build started:
a change in the same tick of the clock as the listing could leave the stamp as it was (racy.py).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from stat import S_ISREG

from .loadcache import Stamp

FolderStamp = tuple[int, int, int]  # ctime, mtime (ns), inode
Listing = tuple[FolderStamp, tuple[str, ...], tuple[str, ...]]  # a folder's stamp, its files, its sub-folders
Pending = list[tuple[str, str]]  # (prefix of the names under a folder, the folder's path)

# Only POSIX gives a ctime that every change of a folder's entries sets (Windows' st_ctime is its creation time).
TRUSTED = os.name == "posix"


@dataclass
class Listings:
    """The listings of the last walks (`known`, by folder path) and those of this one (`found`), kept for the next."""

    known: Mapping[str, Listing]
    trusted_before: int  # ns: a folder changed at or after this is listed again next time
    found: dict[str, Listing] = field(default_factory=dict)
    # What each plain folder under content/ holds, as the load stage lists it (load.entries: sorted (name, is a
    # folder, is a file)), so the load stage need not list the 10,000 annotation folders again.
    contents: dict[str, list[tuple[str, bool, bool]]] = field(default_factory=dict)
    described: str = "content/"  # the folders (by prefix) whose contents are kept


def folder_stamp(path: str) -> FolderStamp | None:
    """A folder's ctime, mtime and inode (not following a link), or None when it cannot be read."""
    try:
        found = os.lstat(path)
    except OSError:
        return None
    return (found.st_ctime_ns, found.st_mtime_ns, found.st_ino)


def walk_folder(folder: str, prefix: str, stamps: dict[str, Stamp], pending: Pending,
                notable: list[tuple[str, bool]] | None, listings: Listings | None) -> None:
    """Stamp the files of one folder and queue its sub-folders: from its known listing if it is unchanged, else listed."""
    if listings is not None:
        stamp = folder_stamp(folder)  # before the listing: a change during it shows as a new stamp next time
        known = listings.known.get(folder)
        contents: list[tuple[str, bool, bool]] | None = [] if prefix.startswith(listings.described) else None
        if stamp is not None and known is not None and known[0] == stamp:
            stamp_listed(folder, prefix, known, stamps, pending, contents)
            listings.found[folder] = known
        else:
            listing = scan_folder(folder, prefix, stamps, pending, notable, contents)
            if listing is None:
                return
            if stamp is not None and stamp[0] < listings.trusted_before:
                listings.found[folder] = (stamp, *listing)
        if contents is not None:
            contents.sort()
            listings.contents[folder] = contents
        return
    scan_folder(folder, prefix, stamps, pending, notable)


def stamp_listed(folder: str, prefix: str, known: Listing, stamps: dict[str, Stamp], pending: Pending,
                 contents: list[tuple[str, bool, bool]] | None = None) -> None:
    """Stamp the files of an unchanged folder by name, and queue its sub-folders (`contents`: see Listings)."""
    stat = os.stat
    for name in known[1]:
        try:
            found = stat(f"{folder}/{name}")
        except OSError:  # removed since the folder was stamped: its new stamp lists it next time
            continue
        stamps[prefix + name] = (found.st_size, found.st_mtime_ns, found.st_ino)
        if contents is not None:
            contents.append((name, False, S_ISREG(found.st_mode)))
    pending.extend((f"{prefix}{name}/", f"{folder}/{name}") for name in known[2])
    if contents is not None:
        contents.extend((name, True, False) for name in known[2])


def scan_folder(folder: str, prefix: str, stamps: dict[str, Stamp], pending: Pending,
                notable: list[tuple[str, bool]] | None, contents: list[tuple[str, bool, bool]] | None = None
                ) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """List a folder (os.scandir): stamp its files, queue its sub-folders, note its links and hidden entries.

    Returns its files and sub-folders, or None when it cannot be kept as a listing (a link, a hidden
    entry, an entry that cannot be stamped, or a folder that cannot be listed).
    """
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError:
        return None
    files: list[str] = []
    folders: list[str] = []
    plain = True
    for entry in entries:
        if entry.name[:1] == "." or entry.is_symlink():
            plain = False
            if notable is not None:
                notable.append((entry.path, entry.is_symlink()))
        if entry.is_dir(follow_symlinks=False):
            pending.append((f"{prefix}{entry.name}/", entry.path))
            folders.append(entry.name)
            if contents is not None:
                contents.append((entry.name, True, False))
            continue
        try:
            found = entry.stat()
        except OSError:  # a dangling or looping link
            plain = False
            continue
        stamps[prefix + entry.name] = (found.st_size, found.st_mtime_ns, found.st_ino)
        files.append(entry.name)
        if contents is not None:
            contents.append((entry.name, False, S_ISREG(found.st_mode)))
    return (tuple(files), tuple(folders)) if plain else None


def valid_listings(found: object) -> dict[str, Listing]:
    """What a listings file held, when it has the shape this module writes; nothing otherwise."""
    if not (isinstance(found, tuple) and len(found) == 2 and found[0] == FORMAT and isinstance(found[1], dict)):
        return {}
    return found[1]


FORMAT = "listings 1"
