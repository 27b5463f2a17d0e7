"""Golden output: a few pages of a small fixture site, compared byte for byte with tests/golden/.

After an intended change of the output, regenerate with
`UPDATE_GOLDEN=1 python3 build.py test tests/test_golden.py` and review the diff of tests/golden/.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from marginalia.pipeline import Project, build

from .conftest import MINIMAL, write_project

GOLDEN = Path(__file__).resolve().parent / "golden"
PAGES = ("index.html", "articles/story/index.html", "articles/story/annotations.jsonld", "claims/zero/index.html",
         "claims/zero/feed.xml", "speakers/leavitt/index.html", "topics/border/index.html", "sitemap.xml")
UPDATE = bool(os.environ.get("UPDATE_GOLDEN"))


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The one-article project of conftest.py, built by the plain pipeline."""
    root = write_project(tmp_path_factory.mktemp("golden") / "project", MINIMAL)
    build(Project(root), root / "site", search=False, plain=True)
    return root / "site"


@pytest.mark.parametrize("page", PAGES)
def test_page_matches_its_golden_copy(small_site: Path, page: str) -> None:
    made, golden = (small_site / page).read_bytes(), GOLDEN / page
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(made)
    assert golden.is_file(), f"no golden copy of {page}: run UPDATE_GOLDEN=1 pytest tests/test_golden.py"
    assert made == golden.read_bytes(), f"{page} differs from tests/golden/{page} (UPDATE_GOLDEN=1 regenerates it)"
