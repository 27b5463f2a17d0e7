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
