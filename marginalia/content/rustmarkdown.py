"""Seed Markdown read by markdown-it-pyrs (markdown-it.rs, in Rust): the same blocks as markdown-it-py's, several times faster.

markdown-it-py stays the reference (seeds.reference_blocks). This module walks the Rust parser's
tree into the same blocks that seeds.blocks_of makes of the reference's tokens, and gives up on a document
(returns None, so the reference reads it) wherever the two could differ: a node it does not know,
and the constructs screened by MAY_DIFFER. tests/test_rust_markdown.py holds both to the same
blocks on every seed, every Markdown fixture and a generated benchmark corpus.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .blocks import CODE, Block, Runs, Span, Wrapper

RustMarkdownIt: Any = None
try:
    from markdown_it_pyrs import MarkdownIt as RustMarkdownIt
except ImportError:  # pragma: no cover - an accelerator only: markdown-it-py reads every seed then
    pass

# CommonMark's rules as markdown-it-py's "commonmark" preset has them, raw HTML left out (`html: False`).
RULES: list[Any] = ["blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph", "reference", "autolink",
         "backticks", "emphasis", "entity", "escape", "image", "link", "newline"]
# Where the two parsers were seen to disagree, or could: raw HTML and tabs, which each treats in its own way.
MAY_DIFFER = ("<", "\t")
# markdown-it-pyrs 0.4 panics on some `[` followed by a backtick (`see [`code`): the panic is caught, but its
# message would still reach the console, so such text is left to the reference. No seed of ours has both.
PANICS_ON = ("[", "`")
CONTAINERS = {"bullet_list": "bullet", "ordered_list": "bullet", "blockquote": "quote"}
WRAPPERS: dict[str, Wrapper] = {"strong": ("strong",), "em": ("em",)}
# Inline leaves, by whether their text is their content (a line break reads as one space).
TEXT = {"text": True, "text_special": True, "softbreak": False, "hardbreak": False}
INLINE = frozenset([*TEXT, *WRAPPERS, "link", "autolink", "image", "code_inline"])  # what is inline content, not a block


class Unsure(Exception):
    """A node this walk does not translate: the document is read by the reference parser."""


def make_parser() -> Any:
    """The Rust parser with the reference's rules, or None when markdown-it-pyrs is not installed."""
    return RustMarkdownIt("zero").enable_many(RULES) if RustMarkdownIt is not None else None


PARSER = make_parser()


@dataclass
class Walk:
    """One document's walk: its bytes (the tree's offsets are in UTF-8 bytes) and the blocks found."""

    source: bytes
    first_line: int
    found: list[Block] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    counted: tuple[int, int] = (0, 0)  # (offset, newlines before it): blocks come in order, so each count goes on from the last

    def line(self, offset: int) -> int:
        """The file line of a byte offset."""
        start, before = self.counted if offset >= self.counted[0] else (0, 0)
        before += self.source.count(b"\n", start, offset)  # in C: cheaper than a table of line starts
        self.counted = (offset, before)
        return self.first_line + before

    def kind(self) -> str:
        """The kind a paragraph gets from its innermost list or quote."""
        return self.kinds[-1] if self.kinds else "paragraph"

    def add(self, kind: str, runs: Runs, offset: int) -> None:
        """A block of inline content starting at byte `offset`, unless it has no text."""
        spans = runs.spans()
        if spans:
            self.found.append(Block(kind, spans, self.line(offset)))


def rust_blocks(source: str, first_line: int) -> list[Block] | None:
    """The blocks of a Markdown text as seeds.blocks_of makes them from markdown-it-py's tokens; None to use the reference."""
    if PARSER is None or any(mark in source for mark in MAY_DIFFER) or all(mark in source for mark in PANICS_ON):
        return None
    return walk_tree(source, first_line)


def walk_tree(source: str, first_line: int) -> list[Block] | None:
    """rust_blocks without the screening."""
    data = source.encode("utf-8")
    walk = Walk(data, first_line)
    try:
        walk_blocks(PARSER.tree(source).children, walk)
    except (Unsure, RecursionError):  # deep nesting: the walk recurses per level, markdown-it-py's reader does not
        return None
    except BaseException as exc:  # a panic in the Rust parser (pyo3's PanicException is a BaseException)
        if type(exc).__name__ != "PanicException":
            raise
        return None
    return walk.found


def walk_blocks(nodes: Sequence[Any], walk: Walk) -> None:
    """The blocks among these nodes (a container's children), in document order."""
    for child in nodes:
        name = child.name
        if name in CONTAINERS:
            walk.kinds.append(CONTAINERS[name])
            walk_blocks(child.children, walk)
            walk.kinds.pop()
        elif name == "list_item":
            walk_item(child, walk)
        elif name in ("paragraph", "heading", "lheading"):
            kind = walk.kind() if name == "paragraph" else "heading"
            walk.add(kind, inline_runs(child.children, walk, Runs()), child.srcmap[0])
        elif name in ("code_block", "fence"):
            content = child.meta["content"]
            if content.strip():  # as seeds.blocks_of: a code block of only white space shows nothing
                walk.found.append(Block("pre", (Span(content.rstrip("\n")),), walk.line(child.srcmap[0])))
        elif name not in ("hr", "definition"):  # a rule, a link reference definition: no text of their own
            raise Unsure(name)


def walk_item(item: Any, walk: Walk) -> None:
    """A list item: a tight one's first text has no paragraph node around it; it starts on the item's line."""
    children = item.children
    names = [child.name for child in children]
    count = 0
    while count < len(names) and names[count] in INLINE:
        count += 1
    if not INLINE.isdisjoint(names[count:]):
        raise Unsure("text after a block in a tight list item")
    if count:
        start = item.srcmap[0]
        end = walk.source.find(b"\n", start)
        if not walk.source[start:end if end >= 0 else None].lstrip(b" ").lstrip(b"-+*0123456789.)").strip():
            raise Unsure("list item whose text starts on a later line")
        walk.add(walk.kind(), inline_runs(children[:count], walk, Runs()), start)
    walk_blocks(children[count:], walk)


def inline_runs(nodes: Sequence[Any], walk: Walk, runs: Runs) -> Runs:
    """These inline nodes into `runs`, as seeds.inline_spans reads markdown-it-py's tokens (its text_join applied: entities are text)."""
    tail: list[str] | None = None  # the run that text goes on joining, until another kind of node
    for node in nodes:
        name = node.name
        if name in TEXT:
            if tail is None:
                tail = runs.tail(runs.current)
            tail.append(node.meta.get("content", "") if TEXT[name] else " ")
            continue
        tail = None
        if name in WRAPPERS:
            runs.push(WRAPPERS[name])
            inline_runs(node.children, walk, runs)
            runs.pop()
        elif name == "link" or name == "autolink":
            url = node.meta.get("url", "")
            if "%" in url.partition("//")[2].split("/")[0]:  # a host with other than ASCII: markdown-it-py writes it in punycode
                raise Unsure("host name")
            runs.push(("a", str(url)))
            inline_runs(node.children, walk, runs)
            runs.pop()
        elif name == "code_inline":
            runs.add("".join(child.meta.get("content", "") for child in node.children), runs.current + (CODE,))
        elif name == "image":
            runs.add(image_label(node, walk), runs.current)
        else:
            raise Unsure(name)
    return runs


def image_label(node: Any, walk: Walk) -> str:
    """An image's label as markdown-it-py keeps it: the label's source."""
    children = node.children
    start, end = (children[0].srcmap[0], children[-1].srcmap[1]) if children else (0, 0)
    label = walk.source[start:end].decode("utf-8")
    if "\n" in label:  # markdown-it-py's label has the line's indent taken off; the source still has it
        raise Unsure("image label over several lines")
    return label
