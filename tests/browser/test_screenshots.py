"""Screenshots of an article page for the README: desktop, phone and dark.

Written only with UPDATE_SCREENSHOTS=1 (`UPDATE_SCREENSHOTS=1 python -m pytest tests/browser/test_screenshots.py`);
otherwise the test only checks that the committed set exists.
"""

from __future__ import annotations

import os

import pytest

from .conftest import REPO, Served

SHOTS = REPO / "docs" / "screenshots"
VIEWS = {  # name: (viewport, colour scheme, whole page)
    "article-desktop.png": ({"width": 1280, "height": 1400}, "light", False),
    "article-phone.png": ({"width": 375, "height": 812}, "light", False),
    "article-dark.png": ({"width": 1280, "height": 1400}, "dark", False),
}


@pytest.mark.skipif(not os.environ.get("UPDATE_SCREENSHOTS"), reason="set UPDATE_SCREENSHOTS=1 to rewrite docs/screenshots/")
def test_write_screenshots(browser: object, served: Served, annotated_article: str) -> None:
    """Rewrite docs/screenshots/ from the richest article."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, (viewport, scheme, whole) in VIEWS.items():
        context = browser.new_context(viewport=viewport, color_scheme=scheme, device_scale_factor=1,
                                      is_mobile=viewport["width"] < 500, has_touch=viewport["width"] < 500)
        page = context.new_page()
        page.goto(served.url(f"articles/{annotated_article}/"), wait_until="load")
        page.evaluate("document.fonts.ready")
        if viewport["width"] < 500:  # on a phone, show the text with a folded note under it
            page.evaluate("window.scrollTo(0, document.querySelector('.block .notes').parentElement.offsetTop - 16)")
        page.screenshot(path=str(SHOTS / name), full_page=whole)
        context.close()


def test_screenshots_are_committed() -> None:
    """The README shows these three pictures."""
    missing = [name for name in VIEWS if not (SHOTS / name).exists()]
    assert not missing, f"missing {missing}: run UPDATE_SCREENSHOTS=1 pytest tests/browser/test_screenshots.py"
