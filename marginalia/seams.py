"""The three seams where speed plugs into the build, and their plain implementations.

- a **Source** reads and parses input files: `PlainSource` parses every file every time;
  `incremental.loadcache.LoadCache` reuses what the last build made of a file whose stamp is unchanged;
- a **Planner** decides which pages to render: `AllPages`, or `incremental.planner.ChangedPages`,
  which renders only the pages whose recorded inputs changed;
- a **Writer** puts the site in place, all or nothing: `output.write.StageAndSwap` (a sibling
  folder swapped in), or `output.write.InPlace` (each changed file renamed over its old one).

The plain ones together (with one worker) are the whole truth of what a build makes: the fast
ones must give the same bytes (tests/test_seams.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from .diagnostics import Diagnostic
from .incremental.loadcache import Reader

T = TypeVar("T")
Listing = list[tuple[str, bool, bool]]  # (name, is a folder, is a file), sorted by name


class Source(Protocol):
    """Reads and parses the input files for the load and link stages."""

    markdown: dict[str, str]  # rendered Markdown by text digest, kept for the next build
    compiled: Path | None  # where Jinja may keep compiled templates

    def entries(self, folder: Path | str, lister: Callable[[Any], Listing]) -> Listing:
        """What a folder holds."""

    def prefetch(self, jobs: Sequence[tuple[str, Any, Any]],
                 parse: Callable[[Any, Callable[[], bytes], list[Diagnostic]], Any]) -> None:
        """A chance to parse, ahead of the walk, the files the walk will ask for."""

    def parse(self, name: str, path: Path | str, salt: str, make: Callable[[Callable[[], bytes], list[Diagnostic]], T],
              problems: list[Diagnostic], keep: bool = True) -> T:
        """`make(read, problems)` for one file (`read()` gives its bytes)."""

    def digest(self, name: str, salt: str = "") -> str:
        """The content digest of a file read this build ('' when unknown)."""

    def has_anchors(self, key: str) -> bool:
        """Whether an article's anchoring with this key is known already."""

    def anchored(self, key: str, make: Callable[[], T]) -> T:
        """An article's anchoring (`make()`), or a known one for the same key."""


@dataclass
class PlainSource:
    """Reads and parses every file, every build; remembers only each file's digest, for this build."""

    markdown: dict[str, str] = field(default_factory=dict)
    compiled: Path | None = None
    digests: dict[str, str] = field(default_factory=dict)

    def entries(self, folder: Path | str, lister: Callable[[Any], Listing]) -> Listing:
        """What a folder holds, listed now."""
        return lister(folder)

    def prefetch(self, jobs: Sequence[tuple[str, Any, Any]],
                 parse: Callable[[Any, Callable[[], bytes], list[Diagnostic]], Any]) -> None:
        """Nothing: each file is parsed when the walk reaches it."""

    def parse(self, name: str, path: Path | str, salt: str, make: Callable[[Callable[[], bytes], list[Diagnostic]], T],
              problems: list[Diagnostic], keep: bool = True) -> T:
        """`make(read, problems)`, noting the digest of the bytes read."""
        reader = Reader(path)
        value = make(reader, problems)
        self.digests[f"{name}\0{salt}"] = reader.digest
        return value

    def digest(self, name: str, salt: str = "") -> str:
        """The digest of a file parsed this build ('' when it was not)."""
        return self.digests.get(f"{name}\0{salt}", "")

    def has_anchors(self, key: str) -> bool:
        """Never: every article is anchored."""
        return False

    def anchored(self, key: str, make: Callable[[], T]) -> T:
        """`make()`."""
        return make()


@dataclass(frozen=True)
class Plan:
    """The planner's decision: every unit of output, those to render, and those kept from the current site."""

    specs: Sequence[Any]  # render.pages.PageSpec
    render: Sequence[Any]
    keep: Sequence[Any]


class Planner(Protocol):
    """Decides which pages to render."""

    def plan(self, library: Any, specs: Sequence[Any], settings: str) -> Plan:
        """The plan for these specs of this library under these settings (site.toml's, as a string)."""


class AllPages:
    """Renders every page."""

    def plan(self, library: Any, specs: Sequence[Any], settings: str) -> Plan:
        """All of them."""
        return Plan(specs, list(specs), [])


@dataclass(frozen=True)
class Written:
    """The write stage's result: every file's digest, the search index's warnings, the site's stamps after."""

    outputs: dict[str, str]
    warnings: tuple[str, ...]
    site: dict[str, tuple[int, int, int]]


class Writer(Protocol):
    """Puts the rendered site in place, all or nothing."""

    def staging(self) -> AbstractContextManager[Path]:
        """A folder for the render stage to write into; removed on leaving, whatever happened."""

    def write(self, plan: Plan, rendered: Any) -> Written:
        """Put the plan's pages (rendered ones from `rendered.staging`) in place as the site."""
