"""HTML for article text with highlights, and for the Markdown that contributors write.

A highlight may cross inline markup (a link, bold text) and may overlap another highlight;
it is then split into several <mark> elements carrying the same data-annotation, so the
HTML stays well formed. Raw HTML in Markdown is shown as text, never as markup.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import unescape
from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from ..content.rustmarkdown import MAY_DIFFER, PANICS_ON, RULES, RustMarkdownIt
from ..content.seeds import Block, Span, Wrapper

SAFE_SCHEMES = ("http:", "https:", "mailto:")


def validate_link(url: str) -> bool:
    """Whether a link may be made: http(s), mailto, or an address on the site (not `//`, which leaves it)."""
    lowered = url.strip().lower()
    return lowered.startswith(SAFE_SCHEMES) or lowered.startswith(("#", "/")) and not lowered.startswith("//")


def make_markdown() -> MarkdownIt:
    """The Markdown parser for contributor text: CommonMark, raw HTML off, only http(s)/mailto links."""
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.validateLink = validate_link  # type: ignore[method-assign]
    return md


def text_digest(text: str) -> str:
    """The key of a Markdown text in the cache of rendered Markdown kept between builds."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def markdown_html(md: MarkdownIt, text: str) -> str:
    """Contributor Markdown's HTML: markdown-it-pyrs's where it gives markdown-it-py's (`md`, the reference), else `md`'s."""
    fast = rust_html(text)
    return md.render(text) if fast is None else fast


def render_markdown(md: MarkdownIt, text: str) -> Markup:
    """Contributor Markdown as safe HTML."""
    return Markup(markdown_html(md, text)) if text else Markup("")


# markdown-it-pyrs with the reference's rules (content/rustmarkdown.py): about twenty times faster on a note.
RUST = RustMarkdownIt("zero").enable_many(RULES) if RustMarkdownIt is not None else None
HREF = re.compile(r'<a href="([^"]*)"')


def rust_html(text: str) -> str | None:
    """markdown-it-pyrs's HTML for `text`, or None where it could differ from markdown-it-py's.

    The Rust renderer has no link check of ours (it makes `ftp:` and relative links; markdown-it-py leaves them
    as text), writes a host name other than ASCII percent-encoded (markdown-it-py in punycode) and keeps an
    image's label as it is: HTML with an image, or a link the check refuses or to such a host, is the
    reference's to make. So are texts with raw HTML or tabs, the text that makes it panic, and link reference
    definitions (each folds a label's case its own way). tests/test_rust_markdown.py holds the rest to the
    reference's HTML on every seed, fixture and note of the project and of a generated corpus.
    """
    if (RUST is None or "]:" in text or any(mark in text for mark in MAY_DIFFER)
            or all(mark in text for mark in PANICS_ON)):
        return None
    try:
        html: str = RUST.render(text)
    except BaseException as exc:  # a panic in the Rust parser (pyo3's PanicException is a BaseException)
        if type(exc).__name__ != "PanicException":
            raise
        return None
    if "<img" in html or not all(sure_link(unescape(url)) for url in HREF.findall(html)):
        return None
    return html


def sure_link(url: str) -> bool:
    """Whether markdown-it-py makes the same link: its check allows it and its host is ASCII (no punycode)."""
    return validate_link(url) and "%" not in url.partition("//")[2].split("/")[0]


@dataclass(frozen=True)
class Highlight:
    """A highlighted range inside one block, block-local offsets."""

    id: str
    start: int
    end: int
    number: int
    first: bool  # this block holds the highlight's first character
    last: bool   # this block holds its last character
    kind: str = "context"  # the annotation's kind, so nested marks keep their own colour


@dataclass(frozen=True)
class FigureMark:
    """A figure stated in a block (block-local offsets): its words are wrapped, and a link to its ledger entry follows.

    The seed's words stay as they are; only a span around them and a small link after them are added.
    """

    id: str
    start: int
    end: int
    href: str
    label: str  # what the link says to a screen reader, e.g. "400,000 in the figures ledger"
    first: bool = True
    last: bool = True


def open_tag(wrapper: Wrapper) -> str:
    """The start tag for an inline wrapper."""
    if wrapper[0] == "a":
        return f'<a href="{escape(wrapper[1])}" rel="nofollow noopener">'
    return f"<{wrapper[0]}>"


def close_tag(wrapper: Wrapper) -> str:
    """The end tag for an inline wrapper."""
    return f"</{wrapper[0]}>"


def noteref(item: Highlight) -> str:
    """The link from a highlight to its note."""
    return (f'<a class="noteref" href="#note-{item.id}" id="ref-{item.id}" role="doc-noteref" '
            f'aria-label="Note {item.number}, {item.kind}">{item.number}</a>')


def figure_ref(item: FigureMark) -> str:
    """The link from a figure in the text to its entry in the figures ledger."""
    return (f'<a class="figure-ref" href="{escape(item.href)}" data-pagefind-ignore>'
            f'<span aria-hidden="true">#</span><span class="visually-hidden">{escape(item.label)}</span></a>')


def wrap_figures(html: str, active: list[FigureMark], opened: set[str]) -> str:
    """A piece of text inside one span per figure stated there; the first piece of each gets the figure's id."""
    for item in reversed(active):
        anchor_id = ""
        if item.first and item.id not in opened:
            anchor_id = f' id="{item.id}"'
            opened.add(item.id)
        html = f'<span class="figure-mention"{anchor_id}>{html}</span>'
    return html


def render_segment(text: str, active: list[Highlight], opened: set[str]) -> str:
    """Text inside nested <mark>s, one per active highlight; the first piece of each gets the id."""
    html = str(escape(text))
    for item in reversed(active):
        anchor_id = ""
        if item.first and item.id not in opened:
            anchor_id = f' id="hl-{item.id}"'
            opened.add(item.id)
        html = f'<mark data-annotation="{item.id}" class="kind-{item.kind}"{anchor_id}>{html}</mark>'
    return html


def cut_points(start: int, end: int, highlights: Sequence[Highlight | FigureMark]) -> list[int]:
    """Offsets where a span must be cut so each piece has one set of active highlights."""
    points = {start, end}
    for item in highlights:
        points.update(p for p in (item.start, item.end) if start < p < end)
    return sorted(points)


class Sweep:
    """Highlights (or figure marks) sorted by start, asked for the ones active at offsets given in increasing order."""

    def __init__(self, items: Sequence[Any]) -> None:
        self.items = items
        self.next = 0
        self.active: list[Any] = []

    def at(self, left: int) -> list[Any]:
        """The items with start <= left < end, in their sorted order (every cut point is given in turn)."""
        while self.next < len(self.items) and self.items[self.next].start <= left:
            self.active.append(self.items[self.next])
            self.next += 1
        self.active = [item for item in self.active if item.end > left]
        return list(self.active)  # a copy: the next call extends self.active


def render_span(span: Span, offset: int, highlights: list[Highlight], opened: set[str],
                figures: tuple[FigureMark, ...] = ()) -> str:
    """One span's HTML: its wrappers, its text cut into marked pieces, and note (and figure) links at their ends."""
    end = offset + len(span.text)
    parts = [open_tag(w) for w in span.wrappers]
    if not any(h.start < end and h.end > offset for h in highlights) and not any(
            f.start < end and f.end > offset for f in figures):  # most spans: nothing to cut, their text as it is
        return "".join([*parts, escape(span.text), *[close_tag(w) for w in reversed(span.wrappers)]])
    deferred: list[str] = []
    in_link = any(w[0] == "a" for w in span.wrappers)
    # Only what overlaps the span, swept left to right: a scan of every figure for every piece was quadratic
    # (an article stating one figure 20,000 times never finished building).
    marks = Sweep([h for h in highlights if h.start < end and h.end > offset])
    shown = Sweep([f for f in figures if f.start < end and f.end > offset])
    points = cut_points(offset, end, [*marks.items, *shown.items])
    for left, right in zip(points, points[1:]):
        active, stated = marks.at(left), shown.at(left)
        piece = render_segment(span.text[left - offset:right - offset], active, opened)
        parts.append(wrap_figures(piece, stated, opened))
        ends = [noteref(h) for h in active if h.end == right and h.last]
        ends += [figure_ref(f) for f in stated if f.end == right and f.last]
        # A note link cannot sit inside the article's own link: it waits until the link closes.
        (deferred if in_link else parts).extend(ends)
    parts += [close_tag(w) for w in reversed(span.wrappers)]
    parts += deferred
    return "".join(parts)


def render_block(block: Block, highlights: list[Highlight], figures: tuple[FigureMark, ...] = ()) -> Markup:
    """A block's inline HTML with its highlights (sorted by start, then id, so nesting is stable) and figures."""
    ordered = sorted(highlights, key=lambda h: (h.start, -h.end, h.id))
    marks = tuple(sorted(figures, key=lambda f: (f.start, -f.end, f.id)))
    opened: set[str] = set()
    offset, parts = 0, []
    for span in block.spans:
        parts.append(render_span(span, offset, ordered, opened, marks))
        offset += len(span.text)
    return Markup("".join(parts))
