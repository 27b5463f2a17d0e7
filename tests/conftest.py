"""Shared test helpers: small projects written from a dict of files, the fixture site, and one browser."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from marginalia.pipeline import Project, build
from tests.browsers import launch, require_chromium

REPO = Path(__file__).resolve().parent.parent
BROWSER_TESTS = Path(__file__).resolve().parent / "browser"
FIXTURE_CONTENT = Path(__file__).resolve().parent / "fixtures" / "content"

# No per-example deadline: the suite runs on a worker per core of machines that are often busy, where a
# 0.5 ms example took 350 ms once and Hypothesis called the test flaky. A hang still fails pytest's run.
settings.register_profile("marginalia", deadline=None)
settings.load_profile("marginalia")

SEED = "First line of the story.\n\nLeavitt said “zero releases” happened. Noem agreed.\n\n• A bullet line\n\n— Karoline Leavitt, Press Secretary\n"

MINIMAL: dict[str, str] = {
    "site.toml": 'title = "Test digest"\nbase_url = "https://example.org/digest/"\n',
    "seeds/story.txt": SEED,
    "content/articles/story.md": "---\nseed: story.txt\ntitle: A story\noutlet: Example Times\npublished: 2026-02-06\ntopics: [border]\n---\nSummary.\n",
    "content/annotations/story/zero.md": "---\nquote: \"“zero releases” happened\"\nkind: dispute\nspeaker: leavitt\nclaim: zero\ntopics: [border]\nsources:\n  - title: Another report\n    url: https://example.org/report\n---\nOthers say otherwise.\n",
    "content/speakers/leavitt.md": "---\nname: Karoline Leavitt\nrole: Press Secretary\nkind: person\n---\nA spokesperson.\n",
    "content/topics/border.md": "---\ntitle: The border\n---\n",
    "content/claims/zero.md": "---\nstatement: Nobody was released.\nstatus: disputed\nspeakers: [leavitt]\n---\nAssessment.\n",
}


def write_project(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write a project from {relative path: text or bytes}; returns its root."""
    for relative, data in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")
    return root


def fixture_project(root: Path) -> Path:
    """The real seeds with the test suite's own small annotation set."""
    shutil.copytree(REPO / "seeds", root / "seeds")
    shutil.copytree(FIXTURE_CONTENT, root / "content")
    (root / "site.toml").write_text('title = "Fixture digest"\nbase_url = "https://example.org/digest/"\n', encoding="utf-8")
    return root


@pytest.fixture()
def minimal_project(tmp_path: Path) -> Path:
    """A valid one-article project."""
    return write_project(tmp_path / "project", MINIMAL)


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project built once per session; returns the output folder."""
    root = fixture_project(tmp_path_factory.mktemp("fixture"))
    out = root / "site"
    build(Project(root), out)
    return out


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark `browser` every test that drives Chromium or a validator, so `-m "not browser"` is the quick subset."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()) or BROWSER_TESTS in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the whole run (started on first use), shared by every browser test.

    Playwright's sync API keeps one event loop per thread, so every test that drives a browser
    takes this fixture instead of starting its own `sync_playwright()`; each opens its own
    contexts and closes them.
    """
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        chromium = launch(driver)
        yield chromium
        chromium.close()
