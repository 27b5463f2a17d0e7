"""What the contributor-facing documents tell people to run: commands that work as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from marginalia.commands.cli import main
from tests.conftest import MINIMAL, REPO, write_project


@pytest.mark.parametrize("name", ["CONTRIBUTING.md", "README.md"])
def test_docs_say_python3_and_preview_with_serve(name: str) -> None:
    """`python3` throughout (a bare `python` is missing or Python 2 on many systems); the preview is `serve`,
    never `site/index.html` opened from disk, where styles and links break."""
    text = (REPO / name).read_text(encoding="utf-8")
    assert re.findall(r"(?<![\w/])python (?:build\.py|-m)", text) == []
    assert "python3 build.py serve" in text
    assert not re.search(r"open\s+`?site/index\.html", text)


def test_new_says_to_run_python3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The hint `new` prints names the command as the docs do."""
    root = write_project(tmp_path / "p", MINIMAL)
    assert main(["new", "topic", "economy", "--root", str(root)]) == 0
    assert "then run `python3 build.py check`" in capsys.readouterr().err


@pytest.mark.slow  # collecting the whole suite again costs seconds
def test_readme_test_counts_are_not_stale() -> None:
    """The README's counts of tests (the whole suite, and `test --quick`'s subset) are within 10% of what pytest collects."""
    import subprocess
    import sys

    from marginalia.bootstrap import QUICK_TESTS

    run = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "-m", QUICK_TESTS],
                         cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
    counted = re.search(r"^(\d+)/(\d+) tests collected", run.stdout, flags=re.M)
    assert counted, run.stdout[-2000:] + run.stderr
    quick, whole = int(counted.group(1)), int(counted.group(2))
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    said_whole = re.search(r"The\s+whole\s+suite\s+\((\d+)\s+tests\)", readme)
    said_quick = re.search(r"`python3 build.py test --quick`\s+runs\s+the\s+(\d+)\s+tests", readme)
    assert said_whole and said_quick, "README.md no longer gives the counts in the words this test reads"
    for said, real in ((int(said_whole.group(1)), whole), (int(said_quick.group(1)), quick)):
        assert abs(said - real) <= real // 10, f"README.md says {said} tests, pytest collects {real}: update its test section"
