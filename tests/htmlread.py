"""Reading built pages as a reader (or a crawler) would: text, links, ids, headings, marks."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "div", "aside", "section", "header", "footer", "blockquote", "dt", "dd",
          "ul", "ol", "title", "main", "nav", "article", "br", "td", "th", "tr"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class PageInfo:
    """What a page holds."""

    text: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    h1: list[str] = field(default_factory=list)
    marks: list[dict[str, str]] = field(default_factory=list)
    notes: list[dict[str, str]] = field(default_factory=list)
    scripts: list[tuple[dict[str, str], str]] = field(default_factory=list)
    unbalanced: list[str] = field(default_factory=list)

    @property
    def plain(self) -> str:
        """All visible text, white space folded."""
        return " ".join("".join(self.text).split())


class PageParser(HTMLParser):
    """Collects PageInfo and checks that tags nest properly."""

    def __init__(self, skip_classes: frozenset[str] = frozenset()) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_classes = skip_classes
        self.skipping: list[str] = []  # the stack of tags inside a skipped element
        self.info = PageInfo()
        self.stack: list[str] = []
        self.in_h1 = False
        self.script: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag not in VOID and (self.skipping or self.skip_classes & set(a.get("class", "").split())):
            self.skipping.append(tag)
        if tag in BLOCKS:
            self.info.text.append(" ")
        if tag not in VOID:
            self.stack.append(tag)
        if "id" in a:
            self.info.ids.add(a["id"])
        if tag == "a" and "href" in a:
            self.info.links.append(a["href"])
        if tag == "link" and "href" in a:
            self.info.links.append(a["href"])
        if tag == "h1":
            self.in_h1 = True
            self.info.h1.append("")
        if tag == "mark":
            self.info.marks.append(a)
        if "data-kind" in a and a.get("id", "").startswith("note-"):
            self.info.notes.append(a)
        if tag == "script":
            self.script = a

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS:
            self.info.text.append(" ")
        if tag in VOID:
            return
        if self.skipping:
            self.skipping.pop()
        if not self.stack or self.stack[-1] != tag:
            self.info.unbalanced.append(f"</{tag}> while open: {self.stack[-3:]}")
        else:
            self.stack.pop()
        if tag == "h1":
            self.in_h1 = False
        if tag == "script":
            self.script = None

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.info.scripts.append((self.script, data))
            return
        if "head" in self.stack and "title" not in self.stack or self.skipping:
            return
        self.info.text.append(data)
        if self.in_h1:
            self.info.h1[-1] += data


def read_page(path: Path, skip_classes: frozenset[str] = frozenset()) -> PageInfo:
    """Parse one built page; text inside elements of the given classes is left out."""
    parser = PageParser(skip_classes)
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    if parser.stack:
        parser.info.unbalanced.append(f"never closed: {parser.stack}")
    return parser.info
