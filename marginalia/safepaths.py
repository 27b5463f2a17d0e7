"""Nothing outside the project is read: symbolic links among the inputs are checked before any input is.

A pull request can add `seeds/leak.txt -> /etc/passwd` (or `-> ../.git/config`, where
actions/checkout keeps its token); the build would then quote the target in a hint or
publish it. So before a build or check reads anything, every input (content/, seeds/,
templates/, static/, site.toml) is walked without following links, and a link is accepted
only when it resolves to an existing file or folder among the project's own inputs, outside
any hidden folder, and is no loop. A refused link is named, never its target or the target's
content. Hidden files under content/ are reported too, since nothing in them is read.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from .diagnostics import ContentError, Diagnostic, SourceRef, error, has_errors, sorted_diagnostics, warning

INPUTS = ("content", "seeds", "templates", "static", "site.toml")
LINK_HINT = ("replace the link with a copy of the file itself: inputs are read only from inside the project's "
             "content/, seeds/, templates/ and static/ folders and site.toml")


def link_problem(link: Path, root: Path) -> str:
    """Why the symbolic link `link` may not be followed, or "" when its target is one of the project's inputs."""
    try:
        os.stat(link)  # follows the link: says whether it leads anywhere, without reading what it leads to
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "is a symbolic link that loops back on itself"
        return "is a symbolic link to nothing (its target does not exist)"
    target = link.resolve()
    try:
        inside = target.relative_to(root)
    except ValueError:
        return "is a symbolic link to a file outside the project"
    if not inside.parts or inside.parts[0] not in INPUTS or any(part.startswith(".") for part in inside.parts):
        return "is a symbolic link to a part of the project that is not an input (e.g. .git/ or site/)"
    if target.is_dir() and link.absolute().is_relative_to(target):
        return "is a symbolic link to a folder that contains it (a loop)"
    return ""


def link_error(where: str, name: str, problem: str) -> Diagnostic:
    """The error for a refused link, naming the link only."""
    hint = ("remove the link, or replace it with the file itself" if "nothing" in problem or "loop" in problem
            else LINK_HINT)
    return error(SourceRef(where), f"`{name}` {problem}", hint)


def scan_inputs(root: Path) -> list[Diagnostic]:
    """Errors for the input links that may not be followed; warnings for hidden files under content/.

    Links are not followed by the walk: a link to an accepted folder is checked where the folder really is.
    """
    root = root.resolve()
    found: list[Diagnostic] = []
    pending: list[Path] = []
    for name in INPUTS:
        path = root / name
        if path.is_symlink():
            problem = link_problem(path, root)
            if problem:
                found.append(link_error(name, name, problem))
        elif path.is_dir():
            pending.append(path)
    while pending:
        folder = pending.pop()
        found.extend(scan_folder(folder, root, pending))
    return found


def scan_folder(folder: Path, root: Path, pending: list[Path]) -> list[Diagnostic]:
    """The problems of one folder's entries; its sub-folders are added to `pending`.

    Strings, not Paths, per entry: a link or hidden file is rare, and a project has tens of thousands of files.
    """
    found: list[Diagnostic] = []
    where = relative(folder, root)
    try:
        with os.scandir(folder) as listing:
            entries = [(entry.name, entry.is_symlink(), entry.is_dir(follow_symlinks=False)) for entry in listing]
    except OSError as exc:
        return [error(SourceRef(where), f"the folder cannot be read: {exc.strerror}", "check its permissions")]
    hidden_matters = where.split("/")[0] == "content"
    for name, is_link, is_dir in entries:
        if is_link:
            problem = link_problem(folder / name, root)
            if problem:
                found.append(link_error(f"{where}/{name}", name, problem))
                continue
        if hidden_matters and name.startswith("."):
            found.append(warning(SourceRef(f"{where}/{name}"), f"`{name}` is hidden (its name starts with a dot), so it is not read",
                                 "rename it without the leading dot if it is content, or remove it"))
        elif is_dir:
            pending.append(folder / name)
    return found


def safe_inputs(root: Path) -> list[Diagnostic]:
    """scan_inputs' warnings; raises ContentError when a link may not be followed, before any input is read."""
    found = scan_inputs(root)
    if has_errors(found):
        raise ContentError(sorted_diagnostics(found))
    return found


def relative(path: Path, root: Path) -> str:
    """A project-relative POSIX path."""
    return path.relative_to(root).as_posix()
