"""The text of a rendered page as an annotation client sees it, and W3C text selectors computed from it.

Annotation clients (Hypothesis, Apache Annotator) anchor a TextQuoteSelector or a
TextPositionSelector in `document.body.textContent`: every text node of the body in document
order, note numbers, notes between paragraphs, navigation and all. Selectors computed from the
seed's text miss in that text, so they are computed here from the page itself, right after it
is rendered.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

# Context on each side of a quote: the most `dom-anchor-text-quote` (Hypothesis's matcher) can search
# for, since diff-match-patch's bitap matcher takes at most 32 characters; longer context makes it throw.
CONTEXT_WIDTH = 32
# Elements whose first newline the HTML parser drops (HTML standard, "in body" insertion mode).
LEADING_NEWLINE_DROPPED = frozenset({"pre", "listing", "textarea"})


@dataclass(frozen=True, slots=True)
class PageText:
    """The body text of a page, and the extent of each highlight in it, by annotation id."""

    text: str
    highlights: dict[str, tuple[int, int]]  # from the first mark's start to the last mark's end


class BodyTextParser(HTMLParser):
    """Collects the body's text nodes in document order, as `textContent` does, and where each mark starts and ends."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.length = 0
        self.in_body = False
        self.drop_newline = False
        self.open_marks: list[str | None] = []
        self.highlights: dict[str, tuple[int, int]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.drop_newline = tag in LEADING_NEWLINE_DROPPED
        if tag == "body":
            self.in_body = True
        elif tag == "mark":
            mark_id = dict(attrs).get("data-annotation")
            self.open_marks.append(mark_id)
            if mark_id and mark_id not in self.highlights:
                self.highlights[mark_id] = (self.length, self.length)

    def handle_endtag(self, tag: str) -> None:
        self.drop_newline = False
        if tag == "mark" and self.open_marks:
            mark_id = self.open_marks.pop()  # `</mark>` closes the innermost open mark
            if mark_id:
                self.highlights[mark_id] = (self.highlights[mark_id][0], self.length)

    def handle_data(self, data: str) -> None:
        if self.drop_newline and data.startswith("\n"):
            data = data[1:]
        self.drop_newline = False
        if self.in_body and data:
            self.parts.append(data)
            self.length += len(data)


def page_text(html: str) -> PageText:
    """The text a browser gives as `document.body.textContent` for this page, with each highlight's extent.

    Line breaks are normalised first, as a browser's input stream does (CR LF and lone CR become LF).
    Comments and the head are not body text; white space after `</body>` is (the parser appends it to the body).
    """
    parser = BodyTextParser()
    parser.feed(html.replace("\r\n", "\n").replace("\r", "\n"))
    parser.close()
    return PageText("".join(parser.parts), parser.highlights)


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
    clients need that; fuzzy ones then fall back on the TextPositionSelector.
    """
    width = CONTEXT_WIDTH
    while True:
        prefix, suffix = text[max(0, start - width):start], text[end:end + width]
        whole = start - width <= 0 and end + width >= len(text)
        if whole or occurrences(text, prefix + text[start:end] + suffix) == 1:
            return {"type": "TextQuoteSelector", "exact": text[start:end], "prefix": prefix, "suffix": suffix}
        width *= 2


def position_selector(start: int, end: int) -> dict[str, object]:
    """A TextPositionSelector: offsets into the body text in code points, as the Web Annotation model counts.

    (JavaScript clients count UTF-16 code units: the two agree unless the text before the passage
    holds a character outside the Basic Multilingual Plane, such as an emoji.)
    """
    return {"type": "TextPositionSelector", "start": start, "end": end}
