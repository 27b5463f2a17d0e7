"""Full-text search: Pagefind indexes the rendered site before it is swapped into place.

Pagefind is optional. Without it the build still succeeds, with a warning, and the site works:
the search page then says that search is not available.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from ..diagnostics import MarginaliaError

UNAVAILABLE = "search index not built: Pagefind is not installed (pip install 'pagefind[bin]'); the site works without search"


def pagefind_available() -> bool:
    """Whether the `pagefind` Python package (with its binary) can be run."""
    return importlib.util.find_spec("pagefind") is not None


def index_search(folder: Path) -> list[str]:
    """Index the HTML in `folder` into `folder/pagefind/`; returns warnings (empty when indexed)."""
    if not pagefind_available():
        return [UNAVAILABLE]
    command = [sys.executable, "-m", "pagefind", "--site", str(folder), "--silent"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise MarginaliaError(f"Pagefind could not index the site: {(done.stderr or done.stdout).strip()}")
    return []
