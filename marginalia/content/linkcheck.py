"""Refusing unsafe links in contributor Markdown, with the file and line of each.

markdown-it drops a link it does not trust and shows its text instead, silently. A
contributor who wrote `[see](javascript:…)` or `[data](data:text/html,…)` deserves to be
told, so this module parses every body with a parser that trusts every link, then walks the
tokens (inline links, autolinks, reference links, images) and reports each address the
site's renderer (markup.make_markdown) would refuse.
"""

from __future__ import annotations

from collections.abc import Iterator

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..diagnostics import Diagnostic, SourceRef, error
from ..render.markup import SAFE_SCHEMES


def trusting_parser() -> MarkdownIt:
    """CommonMark that keeps every link, so none can hide from the check."""
    md = MarkdownIt("commonmark", {"html": False})
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


PARSER = trusting_parser()


def link_is_safe(url: str) -> bool:
    """Whether the renderer keeps this address: http(s), mailto, a same-page `#…` or a site path `/…`."""
    lowered = "".join(url.split()).lower()
    if lowered.startswith(SAFE_SCHEMES):
        return True
    return lowered.startswith(("#", "/")) and not lowered.startswith("//")


def links_in(tokens: list[Token]) -> Iterator[tuple[int, str]]:
    """(line offset in the text, address) for every link and image in the token stream."""
    for token in tokens:
        line = token.map[0] if token.map else 0
        for child in token.children or []:
            if child.type in ("softbreak", "hardbreak"):
                line += 1  # a paragraph spans lines: count them so the error names the link's own line
            elif child.type == "link_open":
                yield line, str(child.attrs.get("href", ""))
            elif child.type == "image":
                yield line, str(child.attrs.get("src", ""))


def unsafe_links(body: str, body_line: int, ref: SourceRef) -> list[Diagnostic]:
    """An error for each link in a Markdown body that the site would refuse to show as a link."""
    if not body.strip() or ("[" not in body and "<" not in body):
        return []  # every link, image and autolink needs a `[` or a `<`: no need to parse
    found = []
    for offset, url in links_in(PARSER.parse(body)):
        if not link_is_safe(url):
            shown = url if len(url) <= 60 else url[:57] + "…"
            found.append(error(ref.at(body_line + offset), f"the link `{shown}` is not allowed",
                               "link only to https:// or http:// addresses (or mailto:); "
                               "javascript:, data: and other schemes are refused for readers' safety"))
    return found
