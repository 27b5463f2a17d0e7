"""Reading raw articles from seeds/ into blocks of styled text, faithfully and for both shapes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt

from ..diagnostics import SourceRef
from .blocks import CODE, Block, Runs, Span, Wrapper
from .frontmatter import load_yaml_mapping, split_front_matter
from .rustmarkdown import rust_blocks

__all__ = ["Block", "SeedText", "Span", "Wrapper", "read_seed"]  # Block, Span and Wrapper live in blocks.py

BULLET_RE = re.compile(r"^(?:[•●▪◦‣∙]|[-*+](?=\s))\s*")
ATTRIBUTION_RE = re.compile(r"^[—–―]\s*\S")
DATELINE_RE = re.compile(r"^(Published|Updated|Posted)( on)?\b", re.IGNORECASE)
SENTENCE_END = tuple('.!?:;,…"”’)]')
HEADING_MAX_WORDS = 12


@dataclass(frozen=True, slots=True)
class SeedText:
    """A seed article read into blocks, with its front-matter defaults and unmatched strip lines."""

    ref: SourceRef
    blocks: tuple[Block, ...]
    meta: tuple[tuple[str, Any], ...] = ()
    unmatched_strip: tuple[str, ...] = ()

    @property
    def defaults(self) -> dict[str, Any]:
        """The seed's own front matter (title, date, source_url …)."""
        return dict(self.meta)


def read_seed(text: str, ref: SourceRef, strip: tuple[str, ...] = ()) -> SeedText:
    """Read a seed's text (already decoded) in whichever of the two shapes it has."""
    raw_meta, body, body_line = split_front_matter(text) if text.startswith("---") else (None, text, 1)
    meta: dict[str, Any] = {}
    if raw_meta is not None:
        meta, _lines = load_yaml_mapping(raw_meta, ref, first_line=2)
    lines, unmatched = strip_lines(body.split("\n"), strip)
    if raw_meta is not None or ref.path.endswith(".md"):
        blocks = markdown_blocks(lines, body_line)
    else:
        blocks = plain_blocks(lines, body_line)
    return SeedText(ref, tuple(blocks), tuple(sorted(meta.items())), unmatched)


def strip_lines(lines: list[str], strip: tuple[str, ...]) -> tuple[list[str | None], tuple[str, ...]]:
    """Lines with the stripped ones replaced by None (so line numbers stay), and strip entries that matched nothing."""
    wanted = {s.strip() for s in strip}
    kept: list[str | None] = [None if line.strip() in wanted and line.strip() else line for line in lines]
    present = {line.strip() for line in lines}
    return kept, tuple(s for s in strip if s.strip() not in present)


def plain_blocks(lines: list[str | None], first_line: int) -> list[Block]:
    """Blocks of a plain-text seed: each non-blank line is a block, classified by its shape."""
    blocks = []
    position = 0
    previous_kind = ""
    for number, line in enumerate(lines, start=first_line):
        if line is None or not line.strip():
            if line is None:
                position += 1
            continue
        kind, text = classify_line(line.strip(), position, previous_kind)
        position += 1
        previous_kind = kind
        blocks.append(Block(kind, (Span(text),), number))
    return blocks


def classify_line(line: str, position: int, previous_kind: str) -> tuple[str, str]:
    """(kind, visible text) of one plain-text line; `position` counts non-blank lines before it."""
    bullet = BULLET_RE.match(line)
    if bullet and line[bullet.end():]:
        return "bullet", line[bullet.end():]
    if ATTRIBUTION_RE.match(line):
        return "attribution", line
    if DATELINE_RE.match(line) and len(line.split()) <= HEADING_MAX_WORDS:
        return "dateline", line
    short = not line.endswith(SENTENCE_END)
    if position == 0 and short:
        return "title", line
    if previous_kind == "title" and short:
        return "standfirst", line
    if short and len(line.split()) <= HEADING_MAX_WORDS:
        return "heading", line
    return "paragraph", line


# One parser for every seed: making one costs about as much as parsing a short article.
SEED_MARKDOWN = MarkdownIt("commonmark", {"html": False})
OPENS: dict[str, Wrapper] = {"strong_open": ("strong",), "em_open": ("em",)}


def markdown_blocks(lines: list[str | None], first_line: int) -> list[Block]:
    """Blocks of a Markdown seed, keeping bold, italics and links; hard-wrapped lines join with a space.

    markdown-it-pyrs reads the seed where it gives the reference's blocks (rustmarkdown), markdown-it-py otherwise.
    """
    # Stripped lines become blank so the parser's line map still matches the file.
    source = "\n".join(["" if line is None else line for line in lines])
    found = rust_blocks(source, first_line)
    return found if found is not None else blocks_of(reference_blocks(source, first_line))


def blocks_of(found: list[tuple[str, list[Any], int]]) -> list[Block]:
    """Blocks from (kind, inline tokens, line) as markdown-it-py gives them."""
    blocks: list[Block] = []
    for kind, children, line in found:
        if kind == "pre":
            if children[0].content.strip():
                blocks.append(Block("pre", (Span(children[0].content.rstrip("\n")),), line))
            continue
        spans = inline_spans(children)
        if spans:
            blocks.append(Block(kind, spans, line))
    return blocks


def reference_blocks(source: str, first_line: int) -> list[tuple[str, list[Any], int]]:
    """(kind, inline tokens, line) of each block as markdown-it-py reads them; ("pre", [the code token], line) for code."""
    tokens = SEED_MARKDOWN.parse(source)
    found: list[tuple[str, list[Any], int]] = []
    kind_stack: list[str] = []
    for index, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open", "blockquote_open"):
            kind_stack.append("bullet" if token.type != "blockquote_open" else "quote")
        elif token.type in ("bullet_list_close", "ordered_list_close", "blockquote_close"):
            kind_stack.pop()
        elif token.type == "inline":
            parent = tokens[index - 1]
            kind = "heading" if parent.type == "heading_open" else (kind_stack[-1] if kind_stack else "paragraph")
            found.append((kind, token.children or [], first_line + (parent.map[0] if parent.map else 0)))
        elif token.type in ("code_block", "fence"):
            found.append(("pre", [token], first_line + (token.map[0] if token.map else 0)))
    return found


def inline_spans(children: list[Any]) -> tuple[Span, ...]:
    """Spans from markdown-it-py inline tokens, adjacent runs with the same wrappers merged."""
    runs = Runs()
    for token in children:
        kind = token.type
        if kind in ("text", "html_inline", "image"):
            runs.add(token.content, runs.current)
        elif kind in ("softbreak", "hardbreak"):
            runs.add(" ", runs.current)
        elif kind in OPENS:
            runs.push(OPENS[kind])
        elif kind == "link_open":
            runs.push(("a", str(token.attrs.get("href", ""))))
        elif kind in ("strong_close", "em_close", "link_close"):
            runs.pop()
        elif kind == "code_inline":
            runs.add(token.content, runs.current + (CODE,))
    return runs.spans()
