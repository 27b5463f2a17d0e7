"""Full-text search: Pagefind indexes the rendered pages, in bundles, before the site is swapped into place.

Only what a reader searches for is indexed: the pages of the kinds declared `searched`
(articles, speakers, topics, claims, figures; their long lists that repeat other pages' text
are marked `data-pagefind-ignore` in the templates), never indexes or lists. They are split
into bundles (shards), each indexed on its own into `pagefind/<bundle>/`: `main` holds every
searched page that is not an article, and the articles are spread over `articles-NN` by a
stable hash of their path. `pagefind/bundles.json` names them; the search page loads the
first (the primary, the only one that keeps Pagefind's scripts) and joins the others with
Pagefind's `mergeIndex`.

Pagefind is given each page other than an article without the elements it is told to ignore
(`search_input`: the long lists of a speaker's or topic's page are most of its bytes), in a
folder of the bundle's own, so a bundle is a function of those inputs only. An incremental build indexes again only
the bundles whose inputs changed (an edited note changes its speaker's page, but only in the
list Pagefind ignores) and keeps the others' files: the same bytes as a full build.

Pagefind is optional. Without it the build still succeeds, with a warning, and the site works:
the search page then says that search is not available.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

from lxml import html as lxml_html

from ..diagnostics import MarginaliaError
from ..incremental.state import link_tree
from ..kinds import REGISTRY

UNAVAILABLE = "search index not built: Pagefind is not installed (pip install 'pagefind[bin]'); the site works without search"
MANIFEST = "bundles.json"
MAIN = "main"
ARTICLES_PER_BUNDLE = 32  # an edit re-indexes about this many articles: more bundles, more requests per search
MOST_BUNDLES = 64
# What a merged (not primary) bundle needs: its entry, metadata, word index, filters and page fragments.
MERGED_KEEPS = ("pagefind-entry.json", "index", "fragment", "filter")


def pagefind_available() -> bool:
    """Whether the `pagefind` Python package (with its binary) can be run."""
    return importlib.util.find_spec("pagefind") is not None


def searched_sections() -> tuple[str, ...]:
    """The site sections whose pages are searched, articles first."""
    return tuple(kind.section for kind in REGISTRY if kind.searched and kind.section is not None)


def searched(name: str, sections: tuple[str, ...]) -> bool:
    """Whether the site file `name` is a searched page: `<section>/<slug>/index.html` of a searched kind."""
    parts = name.split("/")
    return len(parts) == 3 and parts[2] == "index.html" and parts[0] in sections


def bundles_of(names: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """The search bundles of a site's files: bundle name → its pages, sorted; the primary bundle first.

    The article bundles' count is a power of two, so it changes (and every article bundle is
    indexed again) only when the number of articles doubles or halves.
    """
    sections = searched_sections()
    pages = sorted(name for name in names if searched(name, sections))
    articles = [name for name in pages if name.startswith("articles/")]
    count = 1
    while count < MOST_BUNDLES and count * ARTICLES_PER_BUNDLE < len(articles):
        count *= 2
    bundles: dict[str, list[str]] = {MAIN: [name for name in pages if not name.startswith("articles/")]}
    for name in articles:
        bundles.setdefault(f"articles-{zlib.crc32(name.encode('utf-8')) % count:02d}", []).append(name)
    return {name: tuple(bundles[name]) for name in sorted(bundles, key=lambda b: (b != MAIN, b)) if bundles[name]}


def search_input(page: bytes) -> bytes:
    """What Pagefind is given of a page: the page without the elements marked `data-pagefind-ignore`.

    An ignored element is kept (for Pagefind to skip itself) when it holds metadata, filters or
    sort keys that Pagefind still reads, which `data-pagefind-ignore="all"` alone excludes.
    """
    root = lxml_html.document_fromstring(page)
    for element in root.xpath("//*[@data-pagefind-ignore]"):
        if element.getparent() is None:
            continue
        if element.get("data-pagefind-ignore") != "all" and element.xpath(
                ".//*[@data-pagefind-meta or @data-pagefind-filter or @data-pagefind-sort]"):
            continue
        element.drop_tree()
    return bytes(lxml_html.tostring(root, doctype="<!DOCTYPE html>", encoding="utf-8"))


def pagefind_input(name: str, page: bytes) -> bytes:
    """What Pagefind is given of the site file `name`: an article as it is (what it ignores is a few lines), any other page cut."""
    return page if name.startswith("articles/") else search_input(page)


def same_input(name: str, old: Path, new: Path) -> bool:
    """Whether two versions of a page give Pagefind the same input (False when the old one cannot be read)."""
    try:
        before = old.read_bytes()
    except OSError:
        return False
    return pagefind_input(name, before) == pagefind_input(name, new.read_bytes())


def index_search(folder: Path, bundles: dict[str, tuple[str, ...]], page: Callable[[str], Path],
                 keep: frozenset[str] = frozenset(), kept: Path | None = None) -> list[str]:
    """Index the bundles into `folder/pagefind/<bundle>/`, each page read from `page(name)`; returns warnings.

    The bundles named in `keep` are not indexed: they are hard-linked from `kept` (the last
    build's `pagefind/`), or, with no `kept`, left where they are (a site updated in place).
    """
    if not pagefind_available():
        return [UNAVAILABLE]
    index = folder / "pagefind"
    index.mkdir(exist_ok=True)
    primary = next(iter(bundles), None)
    fresh = {name: pages for name, pages in bundles.items() if name not in keep}
    for name in bundles.keys() - fresh.keys():
        if kept is not None:
            link_tree(kept / name, index / name)
    run_pagefind(folder / ".search-pages", fresh, page, index)
    for name in fresh:
        if name != primary:
            trim_merged(index / name)
        verify_index(index / name)
    manifest = {"primary": primary, "merge": [name for name in bundles if name != primary]}
    (index / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return []


def reused_bundles(bundles: dict[str, tuple[str, ...]], before: dict[str, tuple[str, ...]], kept: Path,
                   unchanged: Callable[[str], bool]) -> frozenset[str]:
    """The bundles the last build left in `kept` that are still right: the same pages, role and inputs (`unchanged`)."""
    primary, primary_before = next(iter(bundles), None), next(iter(before), None)
    return frozenset(name for name, pages in bundles.items()
                     if before.get(name) == pages and (name == primary) == (name == primary_before)
                     and (kept / name).is_dir() and all(unchanged(page) for page in pages))


def run_pagefind(pages: Path, bundles: dict[str, tuple[str, ...]], page: Callable[[str], Path], index: Path) -> None:
    """Index each bundle's pages (their `search_input`, in a folder of their own) with the Pagefind CLI, two at a time."""
    from pagefind.service import get_executable  # imported here: it loads asyncio, needed only with search on

    binary = get_executable()
    if binary is None:
        raise MarginaliaError("Pagefind could not index the site: its binary was not found (pip install 'pagefind[bin]')")
    running: list[tuple[str, subprocess.Popen[bytes]]] = []
    try:
        for name, names in bundles.items():
            for one in names:
                (pages / name / one).parent.mkdir(parents=True, exist_ok=True)
                (pages / name / one).write_bytes(pagefind_input(one, page(one).read_bytes()))
            command = [str(binary), "--site", str(pages / name), "--output-path", str(index / name), "--silent"]
            running.append((name, subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)))
            if len(running) >= max(2, os.cpu_count() or 1):
                finish_pagefind(*running.pop(0))
        while running:
            finish_pagefind(*running.pop(0))
    finally:
        for _, process in running:
            process.kill()
            process.wait()
        shutil.rmtree(pages, ignore_errors=True)


def finish_pagefind(name: str, process: subprocess.Popen[bytes]) -> None:
    """Wait for one Pagefind run; a failure is said with what Pagefind printed."""
    output, _ = process.communicate()
    if process.returncode != 0:
        said = output.decode("utf-8", "replace").strip()
        raise MarginaliaError(f"Pagefind could not index the site (bundle {name}): {said}")


def trim_merged(bundle: Path) -> None:
    """Delete from a merged bundle Pagefind's scripts and styles: the search page loads only the primary's."""
    for entry in sorted(bundle.iterdir()):
        if entry.name in MERGED_KEEPS or entry.name.endswith(".pf_meta"):
            continue
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def verify_index(index: Path) -> None:
    """Refuse to swap in a search index that is not whole: a missing entry file, an empty file, an entry that does not load."""
    entry = index / "pagefind-entry.json"
    try:
        languages = json.loads(entry.read_text(encoding="utf-8"))["languages"]
        empty = [p.relative_to(index).as_posix() for p in sorted(index.rglob("*")) if p.is_file() and p.stat().st_size == 0]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise MarginaliaError(f"the search index Pagefind wrote is unusable ({exc}); the site was left as it was") from None
    if empty or not languages:
        raise MarginaliaError(f"the search index Pagefind wrote is incomplete (empty: {', '.join(empty[:3]) or 'no language'}); "
                              "the site was left as it was")
