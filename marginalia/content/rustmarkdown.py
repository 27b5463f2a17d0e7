"""Seed Markdown read by markdown-it-pyrs (markdown-it.rs, in Rust): the same blocks as markdown-it-py's, several times faster.

markdown-it-py stays the reference (seeds.reference_blocks). This module walks the Rust parser's
tree into the same inline tokens that seeds.inline_spans reads, and gives up on a document
(returns None, so the reference reads it) wherever the two could differ: a node it does not know,
and the constructs screened by MAY_DIFFER. tests/test_rust_markdown.py holds both to the same
blocks on every seed, every Markdown fixture and a generated benchmark corpus.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
WRAPPERS = {"strong": "strong", "em": "em"}
INLINE_LEAVES = {"text": "text", "text_special": "text", "softbreak": "softbreak", "hardbreak": "hardbreak"}


class Unsure(Exception):
    """A node this walk does not translate: the document is read by the reference parser."""


@dataclass(frozen=True, slots=True)
class InlineToken:
    """The part of a markdown-it-py inline token that seeds.inline_spans reads."""

    type: str
    content: str = ""
    attrs: dict[str, Any] = field(default_factory=dict)


def make_parser() -> Any:
    """The Rust parser with the reference's rules, or None when markdown-it-pyrs is not installed."""
    return RustMarkdownIt("zero").enable_many(RULES) if RustMarkdownIt is not None else None


PARSER = make_parser()


@dataclass
class Walk:
    """One document's walk: its bytes (the tree's offsets are in UTF-8 bytes) and the blocks found."""

    source: bytes
    first_line: int
    found: list[tuple[str, list[InlineToken], int]] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)

    def line(self, offset: int) -> int:
        """The file line of a byte offset."""
        return self.first_line + self.source.count(b"\n", 0, offset)  # in C: cheaper than a table of line starts

    def kind(self) -> str:
        """The kind a paragraph gets from its innermost list or quote."""
        return self.kinds[-1] if self.kinds else "paragraph"


def rust_blocks(source: str, first_line: int) -> list[tuple[str, list[InlineToken], int]] | None:
    """(kind, inline tokens, line) for each block with inline content, or ("pre", [text], line); None to use the reference."""
    if PARSER is None or any(mark in source for mark in MAY_DIFFER) or all(mark in source for mark in PANICS_ON):
        return None
    return walk_tree(source, first_line)


def walk_tree(source: str, first_line: int) -> list[tuple[str, list[InlineToken], int]] | None:
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


def walk_blocks(nodes: list[Any], walk: Walk) -> None:
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
            walk.found.append((kind, inline_tokens(child.children, walk), walk.line(child.srcmap[0])))
        elif name in ("code_block", "fence"):
            walk.found.append(("pre", [InlineToken("text", child.meta["content"])], walk.line(child.srcmap[0])))
        elif name not in ("hr", "definition"):  # a rule, a link reference definition: no text of their own
            raise Unsure(name)


def walk_item(item: Any, walk: Walk) -> None:
    """A list item: a tight one's first text has no paragraph node around it; it starts on the item's line."""
    children = list(item.children)
    count = 0
    while count < len(children) and is_inline(children[count].name):
        count += 1
    if any(is_inline(child.name) for child in children[count:]):
        raise Unsure("text after a block in a tight list item")
    if count:
        start = item.srcmap[0]
        end = walk.source.find(b"\n", start)
        if not walk.source[start:end if end >= 0 else None].lstrip(b" ").lstrip(b"-+*0123456789.)").strip():
            raise Unsure("list item whose text starts on a later line")
        walk.found.append((walk.kind(), inline_tokens(children[:count], walk), walk.line(start)))
    walk_blocks(children[count:], walk)


def is_inline(name: str) -> bool:
    """Whether a node is inline content (text, emphasis, a link …) rather than a block."""
    return name in INLINE_LEAVES or name in WRAPPERS or name in ("link", "autolink", "image", "code_inline")


def inline_tokens(nodes: list[Any], walk: Walk, out: list[InlineToken] | None = None) -> list[InlineToken]:
    """markdown-it-py's inline token stream for these nodes (its text_join already applied: entities are text)."""
    out = [] if out is None else out
    for node in nodes:
        name = node.name
        if name in INLINE_LEAVES:
            out.append(InlineToken(INLINE_LEAVES[name], node.meta.get("content", "")))
        elif name in WRAPPERS:
            out.append(InlineToken(f"{WRAPPERS[name]}_open"))
            inline_tokens(node.children, walk, out)
            out.append(InlineToken(f"{WRAPPERS[name]}_close"))
        elif name in ("link", "autolink"):
            url = node.meta.get("url", "")
            if "%" in url.partition("//")[2].split("/")[0]:  # a host with other than ASCII: markdown-it-py writes it in punycode
                raise Unsure("host name")
            out.append(InlineToken("link_open", attrs={"href": url}))
            inline_tokens(node.children, walk, out)
            out.append(InlineToken("link_close"))
        elif name == "code_inline":
            out.append(InlineToken("code_inline", "".join(child.meta.get("content", "") for child in node.children)))
        elif name == "image":  # markdown-it-py keeps the label's source as the image's content
            start, end = (node.children[0].srcmap[0], node.children[-1].srcmap[1]) if node.children else (0, 0)
            label = walk.source[start:end].decode("utf-8")
            if "\n" in label:  # markdown-it-py's label has the line's indent taken off; the source still has it
                raise Unsure("image label over several lines")
            out.append(InlineToken("image", label))
        else:
            raise Unsure(name)
    return out
