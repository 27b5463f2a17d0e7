"""Highlights: split across inline markup and overlaps, well formed, linked to notes."""

from __future__ import annotations

from markupsafe import Markup

from marginalia.render.markup import Highlight, make_markdown, render_block, render_markdown
from marginalia.content.seeds import Block, Span
from tests.htmlread import PageParser

BLOCK = Block("paragraph", (Span("Hello "), Span("bold text", (("strong",),)), Span(" and "),
                            Span("a link", (("a", "https://x.org/?a=1&b=2"),)), Span(" end <b>")), 1)


def parse(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    parser.close()
    return parser


def test_crossing_and_overlapping_highlights_split_into_marks_with_the_same_id() -> None:
    marks = [Highlight("one", 3, 12, 1, True, True), Highlight("two", 8, 25, 2, True, True)]
    html = render_block(BLOCK, marks)
    parser = parse(html)
    assert parser.info.unbalanced == [] and parser.stack == []
    ids = [m["data-annotation"] for m in parser.info.marks]
    # one: "lo " | "bo" | "ld t" (nested with two); two: "ld t" | "ext" | " and " | "a lin" (inside the link)
    assert ids.count("one") == 3 and ids.count("two") == 4
    assert [m.get("id") for m in parser.info.marks if m.get("id")] == ["hl-one", "hl-two"]
    assert "&lt;b&gt;" in html


def test_all_text_survives_highlighting() -> None:
    html = render_block(BLOCK, [Highlight("one", 0, 34, 1, True, True)])
    parser = parse(html)
    visible = "".join(parser.info.text)
    assert visible.replace("1", "") == "Hello bold text and a link end <b>"


def test_note_link_never_nests_inside_the_article_link() -> None:
    html = render_block(BLOCK, [Highlight("inside", 22, 24, 1, True, True)])
    assert html.index('href="#note-inside"') > html.index("</a>")


def test_note_link_only_in_the_block_where_the_highlight_ends() -> None:
    html = render_block(BLOCK, [Highlight("spans", 0, 34, 1, True, False)])
    assert "#note-spans" not in html and 'id="hl-spans"' in html
    html = render_block(BLOCK, [Highlight("spans", 0, 5, 1, False, True)])
    assert "#note-spans" in html and 'id="hl-spans"' not in html


def test_markdown_from_contributors_shows_raw_html_as_text_and_drops_script_links() -> None:
    md = make_markdown()
    html = render_markdown(md, 'Hi <script>alert(1)</script> [x](javascript:alert(1)) [y](https://ok.org)')
    assert isinstance(html, Markup)
    assert "<script" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html and 'href="https://ok.org"' in html


def test_spans_without_highlights_keep_their_wrappers_and_escaped_text() -> None:
    """Spans no highlight or figure touches are written as they are (the fast path), next to one that is cut."""
    html = render_block(BLOCK, [Highlight("mid", 16, 19, 1, True, True)])
    assert html.startswith('Hello <strong>bold text</strong> <mark data-annotation="mid"')
    assert html.endswith('<a href="https://x.org/?a=1&amp;b=2" rel="nofollow noopener">a link</a> end &lt;b&gt;')
    assert render_block(BLOCK, []) == ('Hello <strong>bold text</strong> and <a href="https://x.org/?a=1&amp;b=2" '
                                       'rel="nofollow noopener">a link</a> end &lt;b&gt;')
