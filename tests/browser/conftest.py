"""The real project (seeds + content/) built once, served under /digest/, and a headless Chromium to read it.

Everything runs on 127.0.0.1: the site is built with --base-url http://127.0.0.1:<port>/digest/ so every
sub-path link is exercised. The browser is the session's (tests/conftest.py): tests skip when Debian's
chromium is missing, unless CI is set (then they fail).
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from marginalia.pipeline import Project, build

REPO = Path(__file__).resolve().parents[2]
NPM_MODULES = REPO / ".cache" / "npm" / "node_modules"
AXE = NPM_MODULES / "axe-core" / "axe.min.js"
VNU = NPM_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
PREFIX = "/digest/"


@dataclass(frozen=True)
class Served:
    """The built site: its folder, and the address it is served at (ending in /digest/)."""

    folder: Path
    base: str

    def url(self, relative: str = "") -> str:
        """The address of a site-relative path."""
        return self.base + relative

    def pages(self) -> list[str]:
        """Every HTML page, as a site-relative address ('' for home, 'articles/x/' …, '404.html')."""
        found = []
        for path in sorted(self.folder.rglob("*.html")):
            relative = path.relative_to(self.folder).as_posix()
            if relative.startswith("pagefind/"):
                continue
            found.append(relative.removesuffix("index.html"))
        return found


class SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the folder under /digest/ only; anything else is a 404, like a host with the site in a sub-path."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm",
                      ".pf_meta": "application/octet-stream", ".jsonld": "application/ld+json", ".xml": "application/xml"}

    def translate_path(self, path: str) -> str:
        if not path.startswith(PREFIX):
            return str(Path(self.directory) / "__outside_the_sub_path__")
        return super().translate_path("/" + path[len(PREFIX):])

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """Build the real project into a temporary folder and serve it on 127.0.0.1 under /digest/."""
    out = tmp_path_factory.mktemp("browser") / "site"
    out.mkdir()
    handler = functools.partial(SubPathHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    result = build(Project(REPO), out, base_url=base)
    assert not result.warnings, result.warnings
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Served(out, base)
    server.shutdown()
    server.server_close()
    shutil.rmtree(out, ignore_errors=True)


@pytest.fixture()
def page(browser: object) -> Iterator[object]:
    """A fresh desktop page (1280 × 900, light theme)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    yield context.new_page()
    context.close()


@pytest.fixture(scope="session")
def article_slugs(served: Served) -> list[str]:
    """Article slugs, in the order the articles index lists them."""
    return sorted(p.split("/")[1] for p in served.pages() if p.startswith("articles/") and p != "articles/")


@pytest.fixture(scope="session")
def annotated_article(served: Served, article_slugs: list[str]) -> str:
    """The article with the most notes (the richest page to test reading on)."""
    def notes(slug: str) -> int:
        return (served.folder / "articles" / slug / "index.html").read_text(encoding="utf-8").count('role="doc-footnote"')
    best = max(article_slugs, key=notes)
    assert notes(best) > 0, "no article has notes yet"
    return best
