"""Property-based tests: anchoring finds what it should; no text in any field can become markup."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from marginalia.link.anchoring import Anchor, anchor_quote, fold
from marginalia.diagnostics import ContentError
from marginalia.render.jsonld import script_json
from marginalia.pipeline import Project, build
from tests.conftest import MINIMAL, write_project

WORDS = st.text(alphabet=st.characters(whitelist_categories=("Ll", "Lu", "Nd"), max_codepoint=0x24F), min_size=1, max_size=8)
TEXTS = st.lists(WORDS, min_size=3, max_size=40).map(" ".join)


@given(TEXTS, st.data())
def test_a_unique_substring_anchors_to_its_span(text: str, data: st.DataObject) -> None:
    """Any substring that occurs once (after folding) anchors back to exactly its own span."""
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    assume(quote.strip() and overlapping_count(fold(text), fold(quote)) == 1)
    result = anchor_quote(text, quote)
    assert isinstance(result, Anchor)
    leading = len(quote) - len(quote.lstrip())
    assert (result.start, result.end) == (start + leading, start + leading + len(quote.strip()))


def overlapping_count(haystack: str, needle: str) -> int:
    """How many times needle occurs, overlapping occurrences included (as anchoring counts them)."""
    return sum(1 for i in range(len(haystack)) if haystack.startswith(needle, i))


@given(st.lists(WORDS, min_size=4, max_size=20), st.data())
def test_white_space_and_quote_marks_do_not_matter(words: list[str], data: st.DataObject) -> None:
    """A quote still anchors when its spaces become newlines/tabs and its quote marks change style."""
    text = " ".join(f"“{w}”" if i % 3 == 0 else w for i, w in enumerate(words))
    first = data.draw(st.integers(0, len(words) - 2))
    last = data.draw(st.integers(first + 1, len(words) - 1))
    original = " ".join(f"“{w}”" if i % 3 == 0 else w for i, w in enumerate(words) if first <= i <= last)
    assume(overlapping_count(fold(text), fold(original)) == 1)
    spaces = data.draw(st.sampled_from(["\n", "  ", "\t", " \n "]))
    variant = original.replace(" ", spaces).replace("“", '"').replace("”", '"')
    result = anchor_quote(text, variant)
    assert isinstance(result, Anchor)
    assert text[result.start:result.end] == original


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(), lambda inner:
                    st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12))
def test_script_json_never_closes_its_script(data: object) -> None:
    """No value can put `</` (or `<!--`) inside a JSON-LD block."""
    out = str(script_json(data))
    assert "</" not in out and "<!--" not in out and "<" not in out


class Tags(HTMLParser):
    """Every start tag and attribute name in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: set[tuple[str, str]] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.add((tag, ""))
        self.found.update((tag, name) for name, _value in attrs)


def tags_of(folder: Path) -> set[tuple[str, str]]:
    """All (tag, attribute) pairs in a built site's HTML pages."""
    parser = Tags()
    for page in sorted(folder.rglob("*.html")):
        parser.feed(page.read_text(encoding="utf-8"))
    return parser.found


PIECES = list("<>\"'&=/ ascriptonloadimg:`\\") + ["</script>", "<img src=x onerror=", "\">", "javascript:", "<!--", "]]>",
                                                 "{{", "{%", "<b>", "&lt;"]
HOSTILE = st.lists(st.sampled_from(PIECES), min_size=1, max_size=15).map("".join).filter(
    lambda s: s.strip() and not s.strip().startswith(("-", "#", "[", "{", "!", "=", "`", ">")))


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str]]:
    """The tags and attributes the templates themselves produce."""
    root = write_project(tmp_path_factory.mktemp("base"), MINIMAL)
    build(Project(root), root / "site")
    return tags_of(root / "site")


def quoted(value: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(HOSTILE)
def test_no_field_can_add_a_tag_or_attribute(tmp_path_factory: pytest.TempPathFactory,
                                             baseline: set[tuple[str, str]], value: str) -> None:
    """Arbitrary strings in titles, names, roles, statements and notes never yield a tag or attribute the templates lack."""
    files = dict(MINIMAL)
    files["content/articles/story.md"] = files["content/articles/story.md"].replace("A story", quoted(value)).replace(
        "Example Times", quoted(value)).replace("Summary.", value)
    files["content/speakers/leavitt.md"] = f"---\nname: {quoted(value)}\nrole: {quoted(value)}\nkind: person\n---\n{value}\n"
    files["content/topics/border.md"] = f"---\ntitle: {quoted(value)}\n---\n{value}\n"
    files["content/claims/zero.md"] = f"---\nstatement: {quoted(value)}\nstatus: disputed\n---\n{value}\n"
    root = write_project(tmp_path_factory.mktemp("hostile"), files)
    try:
        build(Project(root), root / "site")
    except ContentError as exc:  # a refused link (e.g. `<javascript:>`) stops the build: safe, nothing written
        assert all("is not allowed" in d.message for d in exc.diagnostics), exc.diagnostics
        assert not (root / "site").exists()
        return
    extra = {pair for pair in tags_of(root / "site") - baseline
             if pair[0] not in ("p", "code", "em", "strong", "hr", "br", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
                                "blockquote", "pre", "a") or pair[1] not in ("", "href", "start")}
    assert not extra
    assert not any(name.startswith("on") for _tag, name in tags_of(root / "site"))
    for page in (root / "site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for block in re.findall(r"<script[^>]*>(.*?)</script>", html, flags=re.S):
            assert "<" not in block
