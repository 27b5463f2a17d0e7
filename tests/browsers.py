"""One way to find and start the browser the end-to-end tests use.

Debian's chromium by default (Playwright cannot download its own browsers on these machines);
`MARGINALIA_CHROMIUM` points elsewhere, e.g. at Google Chrome on a GitHub runner.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("MARGINALIA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def require(present: bool, what: str) -> None:
    """Skip when a tool is missing on a developer's machine; fail under CI, where it must be there."""
    if present:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing (CI is set, so this is a failure): run `python build.py test` to install it")
    pytest.skip(f"{what} is missing: run `python build.py test` to install it")


def require_chromium() -> None:
    """Skip or fail (under CI) when the browser is not there."""
    require(CHROMIUM.exists(), str(CHROMIUM))


def launch(playwright: Any) -> Any:
    """Start headless Chromium with the flags these machines need."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
