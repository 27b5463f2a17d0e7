"""The text of a rendered page as an annotation client sees it, and W3C text selectors computed from it.

Annotation clients (Hypothesis, Apache Annotator) anchor a TextQuoteSelector or a
TextPositionSelector in `document.body.textContent`: every text node of the body in document
order, note numbers, notes between paragraphs, navigation and all. Selectors computed from the
seed's text miss in that text, so they are computed here from the page itself, right after it
is rendered.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from lxml import etree

# Context on each side of a quote: the most `dom-anchor-text-quote` (Hypothesis's matcher) can search
# for, since diff-match-patch's bitap matcher takes at most 32 characters; longer context makes it throw.
CONTEXT_WIDTH = 32
# Elements whose first newline the HTML parser drops (HTML standard, "in body" insertion mode).
LEADING_NEWLINE_DROPPED = frozenset({"pre", "listing", "textarea"})


@dataclass(frozen=True, slots=True)
class PageText:
    """The body text of a page, and the extent of each highlight in it, by annotation id."""

    text: str
    # From the first mark's start to the last mark's end, text between split marks (a note number) included:
    # a quote is one run of the text a client sees, never marks' texts glued together.
    highlights: dict[str, tuple[int, int]]


# libxml2's HTML parser (through lxml, which feedgen already brings): about three times faster than
# html.parser on these pages, and article pages are most of what a build renders.
# collect_ids off: the table of id attributes libxml2 would keep is never read here.
HTML_PARSER = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True,
                             collect_ids=False)


def page_text(html: bytes) -> PageText:
    """The text a browser gives as `document.body.textContent` for this page, with each highlight's extent.

    Every text node under <body> in document order (an element's text, then its children, each followed
    by its tail). Line breaks are normalised first, as a browser's input stream does (CR LF and lone CR
    become LF); the first newline inside <pre> is dropped, as the HTML parser does. White space after
    `</body>` is left out (a browser appends it to the body): it comes after every highlight's context.
    """
    html = html.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    body = parsed_body(html)
    if body is None:
        return PageText("", {})
    # marked_text changes the tree it reads: when it gives up, the walk reads a tree parsed afresh.
    return marked_text(body) or walked_text(parsed_body(html))


def parsed_body(html: bytes) -> etree._Element | None:
    """The <body> element of a page, if it has one."""
    root = etree.fromstring(html, HTML_PARSER)
    return root.find("body") if root is not None else None


# Put around each highlight's marks in the parsed tree, so libxml2 gathers the body's text in one call
# instead of a Python step per element (about half the time of this module on an article page).
OPENS, CLOSES = "\ue000", "\ue001"


def marked_text(body: etree._Element) -> PageText | None:
    """`walked_text`'s result, the text gathered in C with a private-use character at each mark's start and end;
    None when the page's own text holds one of them (then the walk reads it).

    A mark's start is where its text begins and its end where its tail begins, as the walk's events are.
    """
    marks = [(mark, mark.get("data-annotation")) for mark in body.iter("mark")]
    marks = [(mark, mark_id) for mark, mark_id in marks if mark_id]
    for element in body.iter(*LEADING_NEWLINE_DROPPED):
        if element.text and element.text.startswith("\n"):
            element.text = element.text[1:]
    for mark, _ in marks:
        mark.text = OPENS + (mark.text or "")
        mark.tail = CLOSES + (mark.tail or "")
    text = etree.tostring(body, method="text", encoding="unicode", with_tail=False)
    if text.count(OPENS) != len(marks) or text.count(CLOSES) != len(marks):
        return None
    highlights: dict[str, tuple[int, int]] = {}
    open_ids: list[str] = []
    taken, pending = 0, iter(mark_id for _, mark_id in marks)
    for found in SENTINELS.finditer(text):
        at = found.start() - taken
        taken += 1
        if found.group() == OPENS:
            mark_id = next(pending)
            open_ids.append(mark_id)
            highlights.setdefault(mark_id, (at, at))
        else:
            mark_id = open_ids.pop()
            highlights[mark_id] = (highlights[mark_id][0], at)
    return PageText(text.replace(OPENS, "").replace(CLOSES, ""), highlights)


SENTINELS = re.compile(f"[{OPENS}{CLOSES}]")


def walked_text(body: etree._Element) -> PageText:
    """The body's text and highlights, walking its tree event by event."""
    parts: list[str] = []
    length = 0
    highlights: dict[str, tuple[int, int]] = {}
    for event, element in etree.iterwalk(body, events=("start", "end")):
        mark_id = element.get("data-annotation") if element.tag == "mark" else None
        if event == "start":
            if mark_id and mark_id not in highlights:
                highlights[mark_id] = (length, length)
            text = element.text
            if text and element.tag in LEADING_NEWLINE_DROPPED and text.startswith("\n"):
                text = text[1:]
        else:
            if mark_id:
                highlights[mark_id] = (highlights[mark_id][0], length)
            text = element.tail if element is not body else None
        if text:
            parts.append(text)
            length += len(text)
    return PageText("".join(parts), highlights)


def occurrences(text: str, needle: str, limit: int = 2) -> int:
    """How many times `needle` occurs in `text` (overlaps counted), stopping at `limit`."""
    count, at = 0, text.find(needle)
    while at != -1 and count < limit:
        count += 1
        at = text.find(needle, at + 1)
    return count


def quote_selector(text: str, start: int, end: int) -> dict[str, str]:
    """A TextQuoteSelector for text[start:end], unique in `text`.

    The context is CONTEXT_WIDTH characters each side, taken literally (strict matchers compare
    character for character). Only when prefix + exact + suffix would still occur twice (a note
    quoting the passage with its surroundings) does the context grow until it is unique: strict
    clients need that; fuzzy ones then fall back on the TextPositionSelector. For a passage whose
    opening the page repeats, a prefix that is page furniture is left out when the suffix alone is
    unique and distinctive (see `leads_astray`).
    """
    width = CONTEXT_WIDTH
    while True:
        prefix, suffix = text[max(0, start - width):start], text[end:end + width]
        whole = start - width <= 0 and end + width >= len(text)
        if whole or occurrences(text, prefix + text[start:end] + suffix) == 1:
            break
        width *= 2
    exact = text[start:end]
    selector = {"type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": suffix}
    if (width == CONTEXT_WIDTH and prefix and occurrences(text, exact[:CONTEXT_WIDTH]) > 1
            and leads_astray(text, prefix) and not leads_astray(text, suffix) and occurrences(text, exact + suffix) == 1):
        del selector["prefix"]
    return selector


DIGITS, SPACES = re.compile(r"\d+"), re.compile(r"\s+")


def shape(text: str) -> str:
    """`text` with each digit run as `#` and each white-space run as one space: how the template's repeated text
    around notes differs from note to note."""
    return SPACES.sub(" ", DIGITS.sub("#", text))


# A page's text is shaped once for all its highlights' contexts.
page_shape = functools.lru_cache(maxsize=2)(shape)


def leads_astray(text: str, context: str) -> bool:
    """Whether a fuzzy matcher searching for `context` may settle elsewhere in `text`: it occurs twice there, digits and spacing aside.

    Hypothesis's matcher (`dom-anchor-text-quote`) finds the prefix first, without a position hint nearest the
    page's middle, scoring a place by its differing characters against its distance, then looks for the passage's
    first 32 characters from there. Between paragraphs the page text is the notes' furniture: "Read the whole note 2"
    before one paragraph is one digit from "Read the whole note 5" before another, so a prefix made of it can be
    found at another note; a passage whose opening the page prints twice is then anchored at its other copy (one
    printed once is still found at its one place). For such a passage the suffix leads instead.
    """
    shaped = shape(context)
    words = max(LITERAL.finditer(shaped), key=lambda found: len(found.group()), default=None)
    if words is None:  # nothing but digits and spaces: no word to look for
        return occurrences(page_shape(text), shaped) > 1
    return shaped_occurrences(text, shaped, words.start(), words.group()) > 1


# Runs of a shaped text that shaping left as they were: they occur literally in the text it was made from.
LITERAL = re.compile(r"[^# ]+")


def shaped_occurrences(text: str, shaped: str, at: int, word: str, limit: int = 2) -> int:
    """`occurrences(shape(text), shaped, limit)` without shaping all of `text`: `word` is the part of `shaped` at `at`
    that shaping keeps as it is, so each occurrence is around one of `word`'s in `text`, shaped there alone.

    A digit or space run never crosses either end of `word`, so the text before it shapes to what the page's
    shape has before it, and any stretch of that text ending there to an end of it (a run cut short still
    shapes to one `#` or space); the same holds after it.
    """
    before, after = shaped[:at], shaped[at + len(word):]
    count, found = 0, text.find(word)
    while found != -1 and count < limit:
        if shaped_before(text, found, before) and shaped_after(text, found + len(word), after):
            count += 1
        found = text.find(word, found + 1)
    return count


def shaped_before(text: str, end: int, wanted: str) -> bool:
    """Whether shape(text[:end]) ends with `wanted`, shaping only as much of the text before `end` as it takes."""
    width = len(wanted) + 8
    while True:
        start = max(0, end - width)
        got = shape(text[start:end])
        if len(got) >= len(wanted) or start == 0:
            return got.endswith(wanted)
        width *= 2


def shaped_after(text: str, start: int, wanted: str) -> bool:
    """Whether shape(text[start:]) starts with `wanted`, shaping only as much of the text after `start` as it takes."""
    width = len(wanted) + 8
    while True:
        end = min(len(text), start + width)
        got = shape(text[start:end])
        if len(got) >= len(wanted) or end == len(text):
            return got.startswith(wanted)
        width *= 2


def position_selector(start: int, end: int) -> dict[str, object]:
    """A TextPositionSelector: offsets into the body text in code points, as the Web Annotation model counts.

    (JavaScript clients count UTF-16 code units: the two agree unless the text before the passage
    holds a character outside the Basic Multilingual Plane, such as an emoji.)
    """
    return {"type": "TextPositionSelector", "start": start, "end": end}
