"""`python build.py new …`: correctly shaped files with every field explained, never overwriting."""

from __future__ import annotations

from pathlib import Path

import pytest

from marginalia.content import schemas
from marginalia.commands.cli import main
from tests.conftest import MINIMAL, write_project


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    """A valid project."""
    return write_project(tmp_path / "p", MINIMAL)


@pytest.mark.parametrize("what,slug,path,fields", [
    ("annotation", "story", "content/annotations/story/001.md", schemas.ANNOTATION),
    ("speaker", "kristi-noem", "content/speakers/kristi-noem.md", schemas.SPEAKER),
    ("topic", "economy", "content/topics/economy.md", schemas.TOPIC),
    ("claim", "crime-fell", "content/claims/crime-fell.md", schemas.CLAIM),
])
def test_new_writes_every_field_with_a_comment(root: Path, what: str, slug: str, path: str, fields: tuple) -> None:
    """Each declared field appears, after a comment; required ones are left empty so `check` asks for them."""
    assert main(["new", what, slug, "--root", str(root)]) == 0
    lines = (root / path).read_text().splitlines()
    for field in fields:
        line = next(i for i, text in enumerate(lines) if text.lstrip("# ").startswith(f"{field.name}:"))
        assert lines[line - 1].startswith("# "), field.name


def test_annotation_ids_count_up(root: Path) -> None:
    """The next free three-digit id is used."""
    for _ in range(2):
        assert main(["new", "annotation", "story", "--root", str(root)]) == 0
    assert sorted(p.name for p in (root / "content/annotations/story").iterdir()) == ["001.md", "002.md", "zero.md"]


def test_new_annotation_is_checked_until_filled_in(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A fresh scaffold fails check at its empty quote; filled in, it passes."""
    main(["new", "annotation", "story", "--root", str(root)])
    assert main(["check", "--root", str(root)]) == 1
    assert "content/annotations/story/001.md:3: error: `quote` is empty" in capsys.readouterr().err
    target = root / "content/annotations/story/001.md"
    target.write_text(target.read_text().replace('quote: ""', "quote: Noem agreed"))
    assert main(["check", "--root", str(root)]) == 0


@pytest.mark.parametrize("args,says", [
    (["new", "annotation", "stroy"], "did you mean `story`?"),
    (["new", "speaker", "leavitt"], "already exists"),
    (["new", "topic", "../../etc"], "not a valid topic slug"),
    (["new", "claim", "Crime Fell"], "try `crime-fell`"),
    (["new", "article", "x"], "invalid choice"),
    (["new", "speaker"], "required"),
])
def test_usage_errors_exit_2(root: Path, args: list[str], says: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Unknown article, existing file, bad slug or bad kind: exit 2, nothing written or overwritten."""
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    assert main([*args, "--root", str(root)]) == 2
    assert says in capsys.readouterr().err
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before
