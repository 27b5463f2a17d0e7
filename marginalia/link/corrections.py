"""Corrections: the `corrections:` entries of notes and claims, newest first, and the check that a claim's
status never changes without one.

The status check compares each claim file with its version in git's HEAD (one `git cat-file --batch`
for all of them, with a timeout). Outside a git checkout, or without git, it says nothing.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic, SourceRef, warning
from ..content.frontmatter import DocumentError, parse_document
from .library import Library, Placed
from ..content.records import STATUSES, Claim, Correction

GIT_TIMEOUT = 10  # seconds: a hung git must not hang the check
# A claim file in HEAD larger than any content file may be (the loader's limit) is not read into memory:
# a commit can hold a blob of gigabytes.
MAX_HEAD_BYTES = 1_000_000


@dataclass(frozen=True, slots=True)
class Entry:
    """One correction, with what it corrects: a note (`placed`) or a claim (`claim`)."""

    correction: Correction
    index: int  # 1-based place in its record's list
    placed: Placed | None = None
    claim: Claim | None = None

    @property
    def anchor_id(self) -> str:
        """The id of the correction where it is shown (the article page for a note, the claim page for a claim)."""
        if self.placed is not None:
            return f"correction-{self.placed.annotation.id}-{self.index}"
        return f"correction-{self.index}"

    @property
    def target(self) -> str:
        """What is corrected, as a sortable name: `note/<article>/<id>` or `claim/<slug>`."""
        if self.placed is not None:
            return f"note/{self.placed.annotation.article}/{self.placed.annotation.id}"
        return f"claim/{self.claim.slug if self.claim else ''}"

    def sort_key(self) -> tuple[int, str, int]:
        """Newest first; ties by what is corrected, so the order never depends on the file system."""
        return (-self.correction.date.toordinal(), self.target, -self.index)


def entries(library: Library) -> list[Entry]:
    """Every correction of a note or a claim, newest first."""
    found = [Entry(c, i, placed=p) for p in library.placed() for i, c in enumerate(p.annotation.corrections, start=1)]
    found += [Entry(c, i, claim=claim) for claim in library.claims.values() for i, c in enumerate(claim.corrections, start=1)]
    return sorted(found, key=Entry.sort_key)


def newest(library: Library) -> dt.date | None:
    """The date of the newest correction, if any."""
    found = entries(library)
    return found[0].correction.date if found else None


def head_versions(root: Path, paths: list[str]) -> dict[str, str] | None:
    """Each project-relative path's text in git's HEAD (absent when it is not there); None when git cannot tell."""
    if not paths or shutil.which("git") is None:
        return None
    try:
        inside = subprocess.run(["git", "rev-parse", "--is-inside-work-tree"], cwd=root, capture_output=True,
                                text=True, timeout=GIT_TIMEOUT)
        if inside.returncode != 0 or inside.stdout.strip() != "true":
            return None
        request = "".join(f"HEAD:./{path}\n" for path in paths).encode("utf-8")
        sizes = subprocess.run(["git", "cat-file", "--batch-check"], cwd=root, input=request, capture_output=True,
                               timeout=GIT_TIMEOUT)
        small = small_blobs(sizes.stdout, paths) if sizes.returncode == 0 else []
        if not small:
            return {} if sizes.returncode == 0 else None
        request = "".join(f"HEAD:./{path}\n" for path in small).encode("utf-8")
        done = subprocess.run(["git", "cat-file", "--batch"], cwd=root, input=request, capture_output=True,
                              timeout=GIT_TIMEOUT)
    except (OSError, subprocess.SubprocessError):
        return None
    return parse_batch(done.stdout, small) if done.returncode == 0 else None


def small_blobs(output: bytes, paths: list[str]) -> list[str]:
    """The paths that `git cat-file --batch-check` says are files of at most MAX_HEAD_BYTES in HEAD."""
    lines = output.split(b"\n")
    found = []
    for path, line in zip(paths, lines):
        header = line.split()
        if len(header) == 3 and header[1] == b"blob" and header[2].isdigit() and int(header[2]) <= MAX_HEAD_BYTES:
            found.append(path)
    return found


def parse_batch(output: bytes, paths: list[str]) -> dict[str, str]:
    """The texts in `git cat-file --batch` output, by the path asked for (in the order asked)."""
    found: dict[str, str] = {}
    position = 0
    for path in paths:
        end = output.find(b"\n", position)
        if end < 0:
            break
        header = output[position:end].split()
        position = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            found[path] = output[position:position + size].decode("utf-8", "replace")
            position += size + 1
    return found


def old_status(text: str, path: str) -> tuple[str | None, int]:
    """A claim file's `status` and number of `corrections` in an older version (None when unreadable)."""
    try:
        doc = parse_document(text, SourceRef(path))
    except (DocumentError, ValueError):
        return None, 0
    status, corrections = doc.meta.get("status"), doc.meta.get("corrections")
    known = status.strip() if isinstance(status, str) and status.strip() in STATUSES else None  # never echo junk from HEAD
    return known, (len(corrections) if isinstance(corrections, list) else 0)


def unexplained_status_changes(root: Path, claims: list[Claim]) -> list[Diagnostic]:
    """A warning for each claim whose status differs from git HEAD's with no `corrections:` entry added."""
    paths = [claim.lines.ref.path for claim in claims]
    versions = head_versions(root, paths)
    if not versions:
        return []
    found = []
    for claim in claims:
        text = versions.get(claim.lines.ref.path)
        if text is None:
            continue  # a new claim: nothing to compare with
        status, count = old_status(text, claim.lines.ref.path)
        if status is not None and status != claim.status and len(claim.corrections) <= count:
            found.append(warning(
                claim.lines.of("status"),
                f"the status changed from `{status}` (in git HEAD) to `{claim.status}` with no new correction",
                "add an entry to `corrections:` (`- date: YYYY-MM-DD` and `note: \"…\"`) saying what changed and why"))
    return found
