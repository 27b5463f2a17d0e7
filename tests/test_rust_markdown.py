"""markdown-it-pyrs reads seed Markdown into the same blocks as markdown-it-py (the reference), or hands the seed back."""

from __future__ import annotations

from pathlib import Path

import pytest

from marginalia.content import rustmarkdown
from marginalia.content.frontmatter import split_front_matter
from marginalia.content.seeds import blocks_of, markdown_blocks, reference_blocks
from tests.conftest import REPO
from tests.test_benchmarks_corpus import corpus

pytestmark = pytest.mark.skipif(rustmarkdown.PARSER is None, reason="markdown-it-pyrs is not installed")


def body(text: str) -> tuple[str, int]:
    """A file's Markdown body and its first line, after any front matter."""
    if text.startswith("---"):
        try:
            _meta, rest, line = split_front_matter(text)
            return rest, line
        except ValueError:
            pass
    return text, 1


def assert_same_blocks(text: str, first_line: int, where: str) -> None:
    fast = rustmarkdown.rust_blocks(text, first_line)
    assert fast is not None, f"{where}: the Rust parser handed it back"
    assert fast == blocks_of(reference_blocks(text, first_line)), where


def test_every_seed_and_markdown_fixture_reads_the_same() -> None:
    files = sorted((REPO / "seeds").iterdir()) + sorted((REPO / "tests" / "fixtures").rglob("*.md"))
    assert len(files) > 10
    for path in files:
        assert_same_blocks(*body(path.read_text(encoding="utf-8")), str(path.relative_to(REPO)))


def test_the_benchmark_corpus_reads_the_same(tmp_path: Path) -> None:
    corpus.generate(30, 1, tmp_path, formats=("marginalia",))
    seeds = sorted((tmp_path / "marginalia" / "seeds").glob("*.md"))
    assert len(seeds) == 15
    for path in seeds:
        assert_same_blocks(*body(path.read_text(encoding="utf-8")), path.name)


@pytest.mark.parametrize("text", [
    "Some <b>raw</b> HTML and a\ttab.\n",  # screened: each parser treats raw HTML and tabs in its own way
    "See [the site](https://exämple.org/a) now.\n",  # markdown-it-py writes the host in punycode
    "-\n  text on the item's second line\n",  # its line comes from the paragraph, which the Rust tree lacks
    "-   an ![image\n    label](i.png) over two lines\n",  # markdown-it-py's label loses the indent; the source has it
    "See [`code",  # markdown-it-pyrs 0.4 panics on this (index out of bounds)
])
def test_what_may_differ_is_read_by_the_reference(text: str) -> None:
    assert rustmarkdown.rust_blocks(text, 1) is None
    assert markdown_blocks(text.split("\n"), 1) == blocks_of(reference_blocks(text, 1))


def test_a_panic_in_the_rust_parser_hands_the_text_back() -> None:
    assert rustmarkdown.walk_tree("See [`code", 1) is None


def test_the_fallback_keeps_the_reference_address_and_line() -> None:
    [link] = [span for block in markdown_blocks(["See [the site](https://exämple.org/a) now."], 3) for span in block.spans
              if span.wrappers]
    assert link.wrappers == (("a", "https://xn--exmple-cua.org/a"),)
    [block] = markdown_blocks(["-", "  text on the item's second line"], 1)
    assert block.line == 2 and block.kind == "bullet"


def test_tight_list_items_headings_and_code_keep_their_lines() -> None:
    text = "Title\n=====\n\n-   **Lead:** one\n    two\n-   three\n\n        code\n\n> quoted *text*\n"
    found = rustmarkdown.rust_blocks(text, 5)
    assert found is not None
    assert [(block.kind, block.line) for block in found] == [
        ("heading", 5), ("bullet", 8), ("bullet", 10), ("pre", 12), ("quote", 14)]
