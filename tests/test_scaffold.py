"""`python build.py new …`: correctly shaped files with every field explained, never overwriting."""

from __future__ import annotations

from pathlib import Path

import pytest

from marginalia.content import schemas
from marginalia.commands.cli import main
from marginalia.content.placeholders import BODIES
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
    """A fresh scaffold fails check at its empty quote, then at its placeholder note; filled in, it passes."""
    main(["new", "annotation", "story", "--root", str(root)])
    assert main(["check", "--root", str(root)]) == 1
    assert "content/annotations/story/001.md:3: error: `quote` is empty" in capsys.readouterr().err
    target = root / "content/annotations/story/001.md"
    target.write_text(target.read_text().replace('quote: ""', "quote: Noem agreed"))
    assert main(["check", "--root", str(root)]) == 1
    line = target.read_text().splitlines().index(BODIES["annotation"].strip()) + 1
    err = capsys.readouterr().err
    assert f"content/annotations/story/001.md:{line}: error: the body still holds the placeholder text of `new annotation`" in err
    assert "fix: replace it with the note itself" in err and "1 error(s)" in err
    target.write_text(target.read_text().replace(BODIES["annotation"], "Noem is quoted agreeing.\n"))
    assert main(["check", "--root", str(root)]) == 0


# What a contributor fills in (the required fields), leaving the scaffold's body as it is.
FILLED = {
    "speaker": ("content/speakers/kristi-noem.md", {'name: ""': "name: Kristi Noem"}),
    "topic": ("content/topics/economy.md", {'title: ""': "title: The economy"}),
    "claim": ("content/claims/crime-fell.md", {'statement: ""': "statement: Crime fell.", 'status: ""': "status: disputed"}),
}


@pytest.mark.parametrize("what,slug", [("speaker", "kristi-noem"), ("topic", "economy"), ("claim", "crime-fell")])
def test_placeholder_body_left_in_is_an_error(root: Path, what: str, slug: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Every kind's placeholder body is refused, on its line, with the fix; a real body (or none) passes."""
    assert main(["new", what, slug, "--root", str(root)]) == 0
    path, edits = FILLED[what]
    target = root / path
    text = target.read_text()
    for old, new in edits.items():
        text = text.replace(old, new)
    target.write_text(text.replace(BODIES[what], "  " + BODIES[what].replace(" ", "\n", 1)))  # re-wrapped, indented
    capsys.readouterr()
    assert main(["check", "--root", str(root)]) == 1
    line = len(text[:text.index(BODIES[what])].splitlines()) + 1
    err = capsys.readouterr().err
    assert f"{path}:{line}: error: the body still holds the placeholder text of `new {what}`" in err
    assert "fix: replace it with " in err and "1 error(s), 0 warning(s)" in err
    target.write_text(text.replace(BODIES[what], ""))
    assert main(["check", "--root", str(root)]) == 0


def test_placeholder_text_in_a_field_is_an_error(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A placeholder pasted into a value (here a nested one) is refused on that value's line."""
    target = root / "content/annotations/story/zero.md"
    text = target.read_text()
    target.write_text(text.replace("title: Another report", f'title: "{BODIES["speaker"].strip()}"'))
    assert main(["check", "--root", str(root)]) == 1
    line = text.splitlines().index("  - title: Another report") + 1
    assert (f"content/annotations/story/zero.md:{line}: error: `sources.0.title` still holds the placeholder text "
            "of `new speaker`") in capsys.readouterr().err


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
