"""Screenshots of an article page for the README: desktop, phone and dark.

Every run takes the three pictures and checks them; they replace docs/screenshots/ only with
UPDATE_SCREENSHOTS=1 (`UPDATE_SCREENSHOTS=1 python -m pytest tests/browser/test_screenshots.py`).
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

from .conftest import REPO, Served

SHOTS = REPO / "docs" / "screenshots"
VIEWS = {  # name: (viewport, colour scheme, whole page)
    "article-desktop.png": ({"width": 1280, "height": 1400}, "light", False),
    "article-phone.png": ({"width": 375, "height": 812}, "light", False),
    "article-dark.png": ({"width": 1280, "height": 1400}, "dark", False),
}


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's header."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", data[16:24])


def test_screenshots_of_the_richest_article(browser: object, served: Served, annotated_article: str,
                                            tmp_path: Path) -> None:
    """Take desktop, phone and dark pictures; with UPDATE_SCREENSHOTS=1 they replace docs/screenshots/."""
    target = SHOTS if os.environ.get("UPDATE_SCREENSHOTS") else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    for name, (viewport, scheme, whole) in VIEWS.items():
        context = browser.new_context(viewport=viewport, color_scheme=scheme, device_scale_factor=1,
                                      is_mobile=viewport["width"] < 500, has_touch=viewport["width"] < 500)
        page = context.new_page()
        page.goto(served.url(f"articles/{annotated_article}/"), wait_until="load")
        page.evaluate("document.fonts.ready")
        if viewport["width"] < 500:  # on a phone, show the text with a folded note under it
            page.evaluate("window.scrollTo(0, document.querySelector('.block .notes').parentElement.offsetTop - 16)")
        page.screenshot(path=str(target / name), full_page=whole)
        context.close()
        assert png_size(target / name) == (viewport["width"], viewport["height"]), name


PAGES = {  # name: (page, viewport): the claim tracker and a figure's page
    "claim-tracker.png": ("claims/", {"width": 1280, "height": 1000}),
    "figure-page.png": ("figures/400000/", {"width": 1280, "height": 1200}),
}


def test_screenshots_of_the_claim_tracker_and_a_figure(browser: object, served: Served, tmp_path: Path) -> None:
    """The claim tracker and the 400,000 figure's page; with UPDATE_SCREENSHOTS=1 they replace docs/screenshots/."""
    target = SHOTS if os.environ.get("UPDATE_SCREENSHOTS") else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    for name, (address, viewport) in PAGES.items():
        context = browser.new_context(viewport=viewport, color_scheme="light", device_scale_factor=1)
        page = context.new_page()
        page.goto(served.url(address), wait_until="load")
        page.evaluate("document.fonts.ready")
        page.evaluate("window.scrollTo(0, document.querySelector('h1').getBoundingClientRect().top + window.scrollY - 56)")
        page.screenshot(path=str(target / name))
        context.close()
        assert png_size(target / name) == (viewport["width"], viewport["height"]), name


def test_screenshots_are_committed() -> None:
    """The README shows these pictures."""
    missing = [name for name in [*VIEWS, *PAGES] if not (SHOTS / name).exists()]
    assert not missing, f"missing {missing}: run UPDATE_SCREENSHOTS=1 pytest tests/browser/test_screenshots.py"
