"""`check --fix`: close, unambiguous quotes are re-anchored in place; nothing else in the file changes."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from marginalia.commands.cli import main
from marginalia.link.fix import replace_quote
from marginalia.link.reanchor import describe_difference, propose
from tests.conftest import MINIMAL, SEED, write_project

ZERO = "content/annotations/story/zero.md"
SEED_TEXT = " ".join(SEED.split())


def project(tmp_path: Path, zero: str | bytes) -> Path:
    """MINIMAL with its annotation replaced."""
    return write_project(tmp_path / "p", {**MINIMAL, ZERO: zero})


def test_fix_rewrites_only_the_quote_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A one-letter typo is fixed; the rest of the file, BOM and CRLF included, is byte for byte the same."""
    text = MINIMAL[ZERO].replace("happened", "happend").replace("\n", "\r\n")
    root = project(tmp_path, b"\xef\xbb\xbf" + text.encode())
    assert main(["check", "--root", str(root)]) == 1
    assert main(["check", "--fix", "--root", str(root)]) == 0
    after = (root / ZERO).read_bytes()
    expected = b"\xef\xbb\xbf" + MINIMAL[ZERO].replace("\n", "\r\n").encode()
    assert after.replace(b'quote: "\xe2\x80\x9czero releases\xe2\x80\x9d happened"', b"Q") == \
        expected.replace('quote: "“zero releases” happened"'.encode(), b"Q")
    assert "fixed content/annotations/story/zero.md:2" in capsys.readouterr().err
    assert main(["check", "--root", str(root)]) == 0


def test_fix_rewrites_a_multi_line_quote(tmp_path: Path) -> None:
    """A folded block-scalar quote becomes one double-quoted line; the other fields stay."""
    zero = "---\nkind: context\nquote: >-\n  Leavitt said zero\n  release happened.\n# a comment\nspeaker: leavitt\n---\nNote.\n"
    root = project(tmp_path, zero)
    assert main(["check", "--fix", "--root", str(root)]) == 0
    assert (root / ZERO).read_text() == ('---\nkind: context\nquote: "Leavitt said “zero releases” happened."\n'
                                         "# a comment\nspeaker: leavitt\n---\nNote.\n")


def test_fix_leaves_distant_and_ambiguous_quotes(tmp_path: Path) -> None:
    """Nothing is rewritten when the closest passage is not close, or when the quote occurs twice."""
    for quote in ("Something nobody ever said at all", "Leavitt"):
        root = project(tmp_path / quote[:4], f"---\nquote: {quote}\nkind: context\n---\nNote.\n")
        before = (root / ZERO).read_bytes()
        assert main(["check", "--fix", "--root", str(root)]) == 1
        assert (root / ZERO).read_bytes() == before


def test_two_equally_close_passages_are_not_fixable() -> None:
    """A single best candidate is required."""
    text = "The agency said the numbers rose. Later, the agency said the numbers rose!"
    proposal = propose(text, "the agency said the number rose")
    assert proposal is not None and not proposal.fixable
    unique = propose("Only once: the agency said the numbers rose.", "the agency said the number rose")
    assert unique is not None and unique.fixable and unique.passage == "the agency said the numbers rose"


def test_difference_is_described_word_by_word() -> None:
    """The hint names the words that differ."""
    assert describe_difference("zero release happend", "zero releases happened") == \
        "“release happend” → “releases happened”"
    assert describe_difference("a b c", "a c") == "remove “b”"


def test_replace_quote_refuses_other_lines() -> None:
    """The line must be the `quote:` key; otherwise nothing changes."""
    assert replace_quote(b"---\nkind: x\n---\n", 2, "new") is None


LONG_SEED = ("Opening line.\n\nThe department said on Tuesday that the number of people released at the southern border "
             "had fallen to zero for the ninth month in a row, a figure that four officials disputed.\n")


def test_fix_reports_long_quotes_in_full(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The report shows the whole old and new quote, not the first 80 characters of each."""
    quote = ("The department said on Tuesday that the number of people releassed at the southern border "
             "had fallen to zero for the ninth month in a row")
    root = write_project(tmp_path / "p", {**MINIMAL, "seeds/story.txt": LONG_SEED,
                                          ZERO: f"---\nquote: {quote}\nkind: context\n---\nNote.\n"})
    assert main(["check", "--fix", "--root", str(root)]) == 0
    err = capsys.readouterr().err
    fixed = quote.replace("releassed", "released")
    assert f"fixed {ZERO}:2: quote “{quote}” → “{fixed}” (99% alike)" in err
    assert "check --fix: 1 quote(s) rewritten\n" in err


@pytest.mark.parametrize("quote,says", [
    ("Leavitt said nobody was let go", "the closest passage is only {score}% alike and --fix needs at least 90%"),
    ("Leavitt", "the quote occurs 2 times; add a `prefix:` or `suffix:`"),
])
def test_fix_says_why_it_left_a_quote(tmp_path: Path, quote: str, says: str, capsys: pytest.CaptureFixture[str]) -> None:
    """"0 quote(s) rewritten" comes with the reason for each quote left: how alike the closest passage is, or that it repeats."""
    root = project(tmp_path, f"---\nkind: context\nquote: {quote}\n---\nNote.\n")
    assert main(["check", "--fix", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    proposal = propose(SEED_TEXT, quote)
    assert proposal is not None
    assert f"not fixed {ZERO}:3: " + says.format(score=math.floor(proposal.score)) in err
    assert "check --fix: 0 quote(s) rewritten, 1 left as they are (the reasons are above)" in err
