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

from ..incremental.state import input_stamps
from ..incremental.listings import Listings
from ..incremental.loadcache import Stamp
from ..diagnostics import ContentError, Diagnostic, SourceRef, error, has_errors, sorted_diagnostics, warning

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
        return "is a symbolic link that leads outside the project"
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


def top_level_problems(root: Path) -> list[Diagnostic]:
    """Errors for the input folders and site.toml that are links which may not be followed (checked before any walk)."""
    found = []
    for name in INPUTS:
        if (root / name).is_symlink():
            problem = link_problem(root / name, root)
            if problem:
                found.append(link_error(name, name, problem))
    return found


def notable_problems(root: Path, notable: list[tuple[str, bool]]) -> list[Diagnostic]:
    """Errors for the links, warnings for the hidden entries under content/, among what a walk of the inputs met."""
    found: list[Diagnostic] = []
    prefix = str(root) + os.sep
    for path, is_link in notable:
        name = path[len(prefix):].replace(os.sep, "/") if path.startswith(prefix) else path
        leaf = name.rpartition("/")[2]
        if is_link:
            problem = link_problem(Path(path), root)
            if problem:
                found.append(link_error(name, leaf, problem))
                continue
        parts = name.split("/")
        if parts[0] == "content" and leaf.startswith(".") and not any(p.startswith(".") for p in parts[1:-1]):
            found.append(warning(SourceRef(name), f"`{leaf}` is hidden (its name starts with a dot), so it is not read",
                                 "rename it without the leading dot if it is content, or remove it"))
    return found


def scan_inputs(root: Path) -> list[Diagnostic]:
    """Errors for the input links that may not be followed; warnings for hidden files under content/.

    The same walk as the build's (safe_input_stamps), so `check` and `build` find the same problems.
    """
    root = root.resolve()
    found = top_level_problems(root)
    if has_errors(found):
        return found
    notable: list[tuple[str, bool]] = []
    input_stamps(root, (), notable)
    return found + notable_problems(root, notable)


def safe_inputs(root: Path) -> list[Diagnostic]:
    """scan_inputs' warnings; raises ContentError when a link may not be followed, before any input is read."""
    return refuse_errors(scan_inputs(root))


def safe_input_stamps(root: Path, extra: list[Path], listings: Listings | None = None
                      ) -> tuple[dict[str, Stamp], list[Diagnostic]]:
    """input_stamps and scan_inputs' warnings from one walk of the inputs; raises ContentError as safe_inputs does.

    `listings`: the folder listings kept by the last walks (incremental/listings.py). A folder they
    skip listing held no link and no hidden entry then, and has had no entry added, removed or renamed since.
    """
    resolved = root.resolve()
    refuse_errors(top_level_problems(resolved))  # before the walk: a linked folder would lead it outside
    notable: list[tuple[str, bool]] = []
    stamps = input_stamps(root, extra, notable, listings)
    if resolved != root:
        notable = [(str(resolved / Path(path).relative_to(root)), is_link) for path, is_link in notable]
    return stamps, refuse_errors(notable_problems(resolved, notable))


def refuse_errors(found: list[Diagnostic]) -> list[Diagnostic]:
    """`found`, or ContentError when it holds an error."""
    if has_errors(found):
        raise ContentError(sorted_diagnostics(found))
    return found
