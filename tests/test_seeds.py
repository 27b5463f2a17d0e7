"""Seed readers: both shapes, faithful text, strip, line numbers."""

from __future__ import annotations

from marginalia.diagnostics import SourceRef
from marginalia.content.seeds import classify_line, read_seed

REF = SourceRef("seeds/x.txt")


def test_plain_text_lines_become_classified_blocks() -> None:
    text = "\nTitle line\nA standfirst without a full stop\nPublished on Feb. 6, 2026\n\nWhy it matters\n  • A bullet\n— Jane Doe, Role\nA sentence ends here.\n"
    seed = read_seed(text, REF)
    assert [(b.kind, b.text, b.line) for b in seed.blocks] == [
        ("title", "Title line", 2),
        ("standfirst", "A standfirst without a full stop", 3),
        ("dateline", "Published on Feb. 6, 2026", 4),
        ("heading", "Why it matters", 6),
        ("bullet", "A bullet", 7),
        ("attribution", "— Jane Doe, Role", 8),
        ("paragraph", "A sentence ends here.", 9),
    ]


def test_long_line_without_full_stop_is_a_paragraph_not_a_heading() -> None:
    kind, _ = classify_line(" ".join(["word"] * 20), position=3, previous_kind="paragraph")
    assert kind == "paragraph"


def test_strip_removes_exact_lines_and_reports_unmatched_ones() -> None:
    seed = read_seed("Keep me.\nRelated Content\n{Outlet.com}\n", REF, ("Related Content", "Not there"))
    assert [b.text for b in seed.blocks] == ["Keep me.", "{Outlet.com}"]
    assert seed.unmatched_strip == ("Not there",)


def test_markdown_seed_keeps_bold_links_and_joins_hard_wrapped_lines() -> None:
    text = "---\ntitle: 'A: title'\ndate: '2026-02-24'\n---\n \nFirst\nline.\n\n-   **Bold:** text with a [link\n    here](https://example.org/a) end.\n"
    seed = read_seed(text, SourceRef("seeds/x.md"))
    assert seed.defaults["title"] == "A: title"
    first, bullet = seed.blocks
    assert (first.kind, first.text, first.line) == ("paragraph", "First line.", 6)
    assert bullet.kind == "bullet" and bullet.line == 9
    assert bullet.text == "Bold: text with a link here end."
    assert [s.wrappers for s in bullet.spans] == [(("strong",),), (), (("a", "https://example.org/a"),), ()]


def test_raw_html_in_a_markdown_seed_stays_text() -> None:
    seed = read_seed("---\ntitle: t\n---\nHello <script>alert(1)</script> world.\n", SourceRef("seeds/x.md"))
    assert seed.blocks[0].text == "Hello <script>alert(1)</script> world."


def test_crlf_and_bom_are_accepted(tmp_path) -> None:
    from marginalia.content.frontmatter import decode_text
    text = decode_text("\ufeffLine one.\r\nLine two.\r\n".encode("utf-8"), REF)
    assert [b.text for b in read_seed(text, REF).blocks] == ["Line one.", "Line two."]


def test_runs_merge_same_wrappers_but_an_empty_piece_keeps_them_apart() -> None:
    from marginalia.content.blocks import Runs, Span
    runs = Runs()
    runs.add("  one", ())
    runs.add(" two", ())
    runs.push(("em",))
    runs.add("", runs.current)
    runs.pop()
    runs.add(" three ", ())
    assert runs.spans() == (Span("one two"), Span(" three"))
