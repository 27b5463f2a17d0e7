"""Contributor Markdown (notes, summaries, bodies) rendered by markdown-it-pyrs gives markdown-it-py's HTML, or is handed back."""

from __future__ import annotations

from pathlib import Path

import pytest

from marginalia.content import rustmarkdown
from marginalia.content.frontmatter import split_front_matter
from marginalia.render.markup import make_markdown, markdown_html, rust_html
from tests.conftest import REPO
from tests.test_benchmarks_corpus import corpus

pytestmark = pytest.mark.skipif(rustmarkdown.PARSER is None, reason="markdown-it-pyrs is not installed")

REFERENCE = make_markdown()


def body(text: str) -> str:
    """A file's Markdown body, after any front matter."""
    if text.startswith("---"):
        try:
            return split_front_matter(text)[1]
        except ValueError:
            pass
    return text


def texts_of(files: list[Path]) -> list[str]:
    """Each file's Markdown body, and its first paragraph (what an article summary shows in lists)."""
    texts = []
    for path in files:
        text = body(path.read_text(encoding="utf-8")).strip()
        texts += [text, text.split("\n\n")[0]]
    return [text for text in texts if text]


def assert_same_html(texts: list[str]) -> int:
    """Every text the Rust renderer takes gives the reference's HTML; how many it took."""
    taken = 0
    for text in texts:
        fast = rust_html(text)
        if fast is not None:
            taken += 1
            assert fast == REFERENCE.render(text), text
    return taken


def test_every_content_file_seed_and_fixture_renders_the_same() -> None:
    files = [p for folder in ("content", "seeds", "tests/fixtures") for p in sorted((REPO / folder).rglob("*.md"))]
    texts = texts_of(files)
    assert len(texts) > 50
    assert assert_same_html(texts) > len(texts) // 2


def test_the_benchmark_corpus_renders_the_same(tmp_path: Path) -> None:
    corpus.generate(30, 1, tmp_path, formats=("marginalia",))
    texts = texts_of(sorted((tmp_path / "marginalia" / "content").rglob("*.md")))
    assert len(texts) > 300
    assert assert_same_html(texts) > len(texts) * 9 // 10


@pytest.mark.parametrize("text", [
    "a  \nb", "---", "1. x\n2. y", "3. x\n4. y", "- a\n\n- b", "# H\n\nSetext\n===", "    code <x>\n", "> quote\n> more",
    "a\\*b", "\"quoted\" 'x' & y", "a *b* _c_ **d** __e__ ***f***", "x\ny\n\n\nz", "* * *", "1) a", "~~~ py\ncode\n~~~",
    "~~no~~", "a | b\n--|--\n1 | 2", "www.x.com http://x.com", "&nbsp;&ThickSpace;&bogus; &#35; &#x0;", "é*x* *x*é foo*bar*",
    "*€x* _„x“_ **x**€ a*—*b", "snake_case_word 2 * 3 * 4", "#5 not a heading", "`code` and ``a ` b``", "\\[x\\] [x] [x]()",
    "[a](https://x.org/a \"title & more\")", "[a](HTTPS://X.ORG/%20a?b=c&d=e#f)", "[a](/on/the/site) [b](#here)",
    "[a](mailto:x@y.org) <mailto:x@y.org> <x@y.org> <https://x.org/a_b>", "[a](https://x.org/ä)", "[a *b* `c`](https://x.org)",
    "[a](javascript:alert(1)) [b](vbscript:x) [c](data:text/html,x)", "1. a\n   1. b\n> - c\n> - d", "a\u00a0*b*\u00a0c",
])
def test_constructs_render_as_the_reference_renders_them(text: str) -> None:
    fast = rust_html(text)
    assert fast is None or fast == REFERENCE.render(text)
    assert markdown_html(REFERENCE, text) == REFERENCE.render(text)


@pytest.mark.parametrize("text", [
    "[a](ftp://x.org) is refused by our link check", "[a](rel/path) too", "[a](//elsewhere.org) too",
    "[a](https://exämple.org/a): the reference writes the host in punycode", "![an image](i.png)",
    "[a]\n\n[a]: https://x.org", "raw <b>HTML</b>", "a\ttab", "See [`code",
])
def test_what_may_differ_is_left_to_the_reference(text: str) -> None:
    assert rust_html(text) is None
    assert markdown_html(REFERENCE, text) == REFERENCE.render(text)
