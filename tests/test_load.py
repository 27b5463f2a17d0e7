"""Loading and validation: records keep their file and line; all problems are collected at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from marginalia.diagnostics import ContentError, Level
from marginalia.content.frontmatter import DocumentError, parse_document
from marginalia.diagnostics import SourceRef
from marginalia.content.load import load_content
from marginalia.pipeline import Project, check
from tests.conftest import MINIMAL, write_project


def test_front_matter_keys_keep_their_file_lines() -> None:
    doc = parse_document("---\nquote: a\nsources:\n  - title: x\n    url: https://a.org\n---\nBody\n", SourceRef("a.md"))
    assert doc.line_of("quote").line == 2
    assert doc.line_of("sources.0.url").line == 5
    assert doc.body == "Body\n" and doc.body_line == 7


def test_malformed_yaml_names_the_line() -> None:
    with pytest.raises(DocumentError) as caught:
        parse_document("---\nkind: context\nquote: he said: no\n---\n", SourceRef("a.md"))
    assert caught.value.diagnostic.ref.line == 3
    assert "double quotes" in caught.value.diagnostic.hint


def test_records_carry_their_source(minimal_project: Path) -> None:
    loaded = load_content(minimal_project)
    assert loaded.diagnostics == ()
    note = loaded.content.annotations[0]
    assert (note.id, note.article, note.kind, note.speaker) == ("zero", "story", "dispute", "leavitt")
    assert note.lines.of("speaker") == SourceRef("content/annotations/story/zero.md", 4)
    assert note.sources[0].url == "https://example.org/report"


def problems_for(tmp_path: Path, changes: dict[str, str]) -> list:
    root = write_project(tmp_path / "p", {**MINIMAL, **changes})
    with pytest.raises(ContentError) as caught:
        check(Project(root))
    return [d for d in caught.value.diagnostics if d.level is Level.ERROR]


def test_unknown_slug_names_file_line_and_closest_slug(tmp_path: Path) -> None:
    broken = MINIMAL["content/annotations/story/zero.md"].replace("speaker: leavitt", "speaker: leavit")
    [problem] = problems_for(tmp_path, {"content/annotations/story/zero.md": broken})
    assert problem.ref == SourceRef("content/annotations/story/zero.md", 4)
    assert "unknown speaker `leavit`" in problem.message and "`leavitt`" in problem.hint


def test_all_errors_are_reported_together_sorted_by_file_and_line(tmp_path: Path) -> None:
    note = MINIMAL["content/annotations/story/zero.md"]
    found = problems_for(tmp_path, {
        "content/annotations/story/zero.md": note.replace("claim: zero", "claim: nope").replace("kind: dispute", "kind: opinion"),
        "content/claims/zero.md": "---\nstatement: x\nstatus: maybe\n---\n",
        "content/articles/story.md": MINIMAL["content/articles/story.md"].replace("published: 2026-02-06", "published: 6 Feb 2026"),
    })
    places = [(d.ref.path, d.ref.line) for d in found if d.level is Level.ERROR]
    assert places == sorted(places)
    # One error per broken value, each at its line. The note's record is refused for its bad kind, so
    # its unknown claim (line 5) is not looked up as well: one fix at a time, no error that follows from another.
    assert places == [("content/annotations/story/zero.md", 3), ("content/articles/story.md", 5), ("content/claims/zero.md", 3)]


def test_quote_not_in_article_shows_closest_passage(tmp_path: Path) -> None:
    broken = MINIMAL["content/annotations/story/zero.md"].replace("happened", "hapened")
    [problem] = problems_for(tmp_path, {"content/annotations/story/zero.md": broken})
    assert problem.ref.line == 2 and "not in the article" in problem.message
    assert "happened" in problem.hint


def test_dispute_without_sources_is_an_error(tmp_path: Path) -> None:
    note = "---\nquote: Noem agreed.\nkind: correction\n---\nA note.\n"
    [problem] = problems_for(tmp_path, {"content/annotations/story/other.md": note})
    assert problem.ref.line == 3 and "cite its sources" in problem.message


def test_missing_seed_and_unmatched_strip_line(tmp_path: Path) -> None:
    article = MINIMAL["content/articles/story.md"].replace("seed: story.txt", "seed: stroy.txt")
    [problem] = problems_for(tmp_path, {"content/articles/story.md": article})
    assert problem.ref.line == 2 and "story.txt" in problem.hint
    article = MINIMAL["content/articles/story.md"].replace("topics: [border]", "strip: [First line of the stroy.]")
    [problem] = problems_for(tmp_path, {"content/articles/story.md": article})
    assert problem.ref.line == 6 and "First line of the story." in problem.hint


def test_plain_front_matter_takes_the_libyaml_fast_path() -> None:
    """A silent fall-back to the pure-Python parser would make every build several times slower."""
    from marginalia.content.frontmatter import CParser, fast_yaml_mapping
    if CParser is None:
        pytest.skip("PyYAML has no libyaml here")
    raw = 'kind: dispute\ntopics: [a, b]\nupdated: 2026-03-01\nflag: true\nsources:\n  - title: "T"\n    url: https://x.org\n'
    found = fast_yaml_mapping(raw, 2)
    assert found is not None
    values, lines = found
    assert values["topics"] == ["a", "b"] and lines["sources.0.url"] == 8
