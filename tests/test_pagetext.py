"""The body text of a rendered page as clients see it, and the W3C selectors computed from it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from marginalia.render.pagetext import (CLOSES, CONTEXT_WIDTH, HTML_PARSER, OPENS, PageText, leads_astray, marked_text,
                                        occurrences, page_shape, page_text, position_selector, quote_selector, shape,
                                        walked_text)


def page(body: str, head: str = "<title>Head text</title>") -> bytes:
    """A whole HTML page around `body`, laid out as the templates lay pages out, as the bytes a build writes."""
    return f"<!doctype html>\n<html lang=en>\n<head>{head}</head>\n<body>\n{body}\n</body>\n</html>\n".encode()


def test_body_text_is_text_content_of_the_body_only() -> None:
    """Head, tags and comments are not text; character references are decoded; white space is kept as written."""
    shown = page_text(page("<nav>Home</nav><!-- a comment --><p>Fish &amp; chips&#8212;\n  <b>hot</b>&nbsp;</p>"))
    assert shown.text == "\nHomeFish & chips—\n  hot\xa0\n"


def test_a_mark_split_across_inline_markup_spans_first_start_to_last_end() -> None:
    """Several marks with one id: the highlight runs from the first mark's start to the last one's end, text between included."""
    html = page('<p>Before <mark data-annotation="a">one </mark><a href="#x"><mark data-annotation="a">two</mark></a>'
                '<sup>1</sup><mark data-annotation="a"> three</mark> after</p>')
    shown = page_text(html)
    start, end = shown.highlights["a"]
    assert shown.text[start:end] == "one two1 three"


def test_nested_marks_each_close_at_their_own_end_tag() -> None:
    """An annotation inside another: `</mark>` closes the innermost, so each keeps its own extent."""
    shown = page_text(page('<p><mark data-annotation="outer">big <mark data-annotation="inner">small</mark>'
                           '<a>2</a> rest</mark></p>'))
    assert shown.text[slice(*shown.highlights["outer"])] == "big small2 rest"
    assert shown.text[slice(*shown.highlights["inner"])] == "small"


def test_a_browser_drops_the_newline_after_pre_and_normalises_line_breaks() -> None:
    """As the HTML parser does: the first newline in <pre> is not text (only the first), CR LF and lone CR become LF."""
    assert "[code\nline\nend]" in page_text(page("<p>[</p><pre>\ncode\r\nline\rend</pre><p>]</p>")).text
    assert "[\ncode]" in page_text(page("<p>[</p><pre>\n\ncode</pre><p>]</p>")).text


def test_a_passage_repeated_in_a_note_before_it_gets_context_that_picks_the_highlight() -> None:
    """The words of the passage appear first in a note; prefix + exact + suffix occurs once, at the mark."""
    passage = "Zero illegals were released"
    note = f'<aside><p>The note repeats: “{passage}” and comments.</p></aside>'
    html = page(f'{note}<p>Leavitt said: “<mark data-annotation="z">{passage}</mark><a>1</a>” at the briefing.</p>')
    shown = page_text(html)
    start, end = shown.highlights["z"]
    assert shown.text.find(passage) < start  # the copy in the note comes first
    selector = quote_selector(shown.text, start, end)
    assert selector["exact"] == passage
    whole = selector["prefix"] + selector["exact"] + selector["suffix"]
    assert shown.text.count(whole) == 1
    assert shown.text.index(whole) + len(selector["prefix"]) == start
    assert selector["suffix"].startswith("1” at the briefing")  # the note number a client sees after the highlight
    assert position_selector(start, end) == {"type": "TextPositionSelector", "start": start, "end": end}


def test_context_is_at_most_the_width_fuzzy_clients_can_search() -> None:
    """Prefix and suffix are CONTEXT_WIDTH characters when that is enough to be unique."""
    text = "".join(f"word{i} " for i in range(200))
    start = text.index("word100")
    selector = quote_selector(text, start, start + len("word100"))
    assert len(selector["prefix"]) == len(selector["suffix"]) == CONTEXT_WIDTH


def test_context_grows_when_the_passage_and_its_surroundings_repeat() -> None:
    """A passage quoted elsewhere with more than CONTEXT_WIDTH characters around it: the context widens until unique."""
    block = "x" * 40 + " the same passage " + "y" * 40
    text = f"start {block} middle {block} end"
    start = text.rindex("the same passage")
    selector = quote_selector(text, start, start + len("the same passage"))
    whole = selector["prefix"] + selector["exact"] + selector["suffix"]
    assert len(selector["prefix"]) > CONTEXT_WIDTH
    assert text.count(whole) == 1 and text.index(whole) + len(selector["prefix"]) == start


@given(st.text(alphabet="ab ", min_size=1, max_size=80), st.data())
def test_any_passage_gets_a_unique_selector_at_its_own_place(text: str, data: st.DataObject) -> None:
    """Whatever the text, prefix + exact + suffix is found once, right at the passage (or is the whole text)."""
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    selector = quote_selector(text, start, end)
    prefix = selector.get("prefix", "")  # left out when it is furniture and the suffix suffices
    whole = prefix + selector["exact"] + selector["suffix"]
    assert selector["exact"] == text[start:end]
    assert text.index(whole) + len(prefix) == start
    assert whole == text or text.count(whole) == 1


def test_a_page_without_a_body_has_no_text() -> None:
    """Nothing to parse, or no <body>: empty text and no highlights, not an error."""
    assert page_text(b"") == page_text(b"<!-- only a comment -->") == PageText("", {})


def notes_then(passage: str, number: int, after: str) -> str:
    """A paragraph that is only `passage`, after a note's furniture that every note repeats with its own number."""
    return f"\nBack to the text (highlight {number})\nRead the whole note {number}    \n    \n{passage}{number + 1}{after}"


def test_a_prefix_of_note_furniture_is_left_out_when_the_suffix_tells_the_passage_apart() -> None:
    """Before a paragraph lies the notes' furniture, one digit from another note's: a fuzzy matcher searching it first
    may settle at the other, so the suffix leads; prefix + exact + suffix stays unique for strict matchers."""
    passage = "“The bottom line: experts are not sure,” the article stated."
    text = ("Opening words." + notes_then(passage, 2, "\nThis is the conclusion a speaker disputes.")
            + " Filler." * 50 + notes_then(passage.replace(" the article stated.", " wrote the reporter."), 15, "\nOther words."))
    start = text.index(passage)
    selector = quote_selector(text, start, start + len(passage))
    assert "prefix" not in selector
    assert selector["suffix"].startswith("3\nThis is the conclusion")
    assert text.count(selector["exact"] + selector["suffix"]) == 1


def test_a_distinctive_prefix_or_furniture_on_both_sides_keeps_both() -> None:
    """The prefix is kept when it is the article's own words, and when the suffix is furniture too (nothing to gain)."""
    text = "".join(f"Read the whole note {i}\nPassage {i} here.{i}\n{i} Context note {i}\n" for i in range(1, 30))
    start = text.index("Passage 7 here.")
    assert "prefix" in quote_selector(text, start, start + len("Passage 7 here."))
    words = "Leavitt said at the briefing that “zero” were released, and later repeated it."
    start = words.index("“zero”")
    assert quote_selector(words, start, start + len("“zero”"))["prefix"] == words[:start][-CONTEXT_WIDTH:]


def walked(html: bytes) -> PageText:
    """The body's text as the event-by-event walk gathers it (the reference `page_text`'s fast path must agree with)."""
    body = etree.fromstring(html, HTML_PARSER).find("body")
    return walked_text(body)


TRICKY_BODIES = [
    '<p>a <mark data-annotation="x">b<em>c</em>d</mark> e</p><p><mark data-annotation="x">f</mark>g</p>',
    '<mark data-annotation="o">1<mark data-annotation="i">2<mark data-annotation="j">3</mark>4</mark></mark>5',
    '<mark data-annotation="">no id</mark><mark>none</mark><mark data-annotation="e"></mark>',
    '<pre>\nkept\n</pre><textarea>\n\nt</textarea><listing>\nl</listing><pre><b>x</b>\ny</pre>',
    '<p>Fish &amp; chips&#8212; &nbsp;<br>x</p><script>var a = "<b>";</script><style>p{}</style>',
    '<table><tr><td>cell <mark data-annotation="t">in</mark></td></tr>stray</table><p>unclosed <b>bold <i>it</p>',
]


@pytest.mark.parametrize("body", TRICKY_BODIES)
def test_text_gathered_in_c_is_what_the_walk_gathers(body: str) -> None:
    """The fast path (marks bracketed, the text taken in one call) gives the walk's text and extents, nesting included."""
    html = page(body)
    assert page_text(html) == walked(html)


def test_a_page_holding_the_bracketing_characters_is_walked() -> None:
    """A private-use character of the fast path's in the page's own text: the walk reads it, so nothing is lost."""
    html = page(f'<p>odd {OPENS} and {CLOSES}<mark data-annotation="m">here</mark></p>')
    assert marked_text(etree.fromstring(html, HTML_PARSER).find("body")) is None
    shown = page_text(html)
    assert shown == walked(html) and shown.text[slice(*shown.highlights["m"])] == "here" and OPENS in shown.text


@given(st.text(alphabet="ab# 1\n2\xa0\u0663x", max_size=60), st.text(alphabet="ab# 1\n2\xa0x", max_size=20), st.data())
def test_looking_for_a_context_near_its_words_agrees_with_shaping_the_whole_page(text: str, context: str,
                                                                                 data: st.DataObject) -> None:
    """leads_astray shapes the text around each occurrence of the context's longest word only: the same answer as
    counting the shaped context in the whole shaped page, digit runs, Unicode digits and spaces and literal # included."""
    if text and data.draw(st.booleans()):
        start = data.draw(st.integers(0, len(text) - 1))
        context = text[start:data.draw(st.integers(start, len(text)))]
    page_shape.cache_clear()
    assert leads_astray(text, context) == (occurrences(shape(text), shape(context)) > 1)
