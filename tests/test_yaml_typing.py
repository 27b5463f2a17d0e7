"""Front matter's scalars are typed by YAML 1.2 (as the content format has always read them), on libyaml and without it."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from marginalia.content import frontmatter, yamlguard, yamlnodes
from marginalia.content.frontmatter import DocumentError, load_yaml_mapping
from marginalia.diagnostics import SourceRef

UTC = dt.timezone(dt.timedelta(0))
# (plain scalar, its value): PyYAML's own loaders would make `yes` True, `012` 10 and `1:20` 80.
TYPED = [
    ("yes", "yes"), ("no", "no"), ("on", "on"), ("Off", "Off"), ("y", "y"),
    ("true", True), ("False", False), ("TRUE", True), ("tRUE", "tRUE"),
    ("~", None), ("null", None), ("NULL", None), ("", None), ("nULL", "nULL"),
    ("012", 12), ("0o17", 15), ("0x1F", 31), ("0b101", 5), ("1_000", 1000), ("-7", -7), ("+0", 0), ("0O17", "0O17"),
    ("-_", "-_"), ("0x_", "0x_"),  # no digits: text (ruamel.yaml crashed on these)
    ("1.5", 1.5), ("1e3", 1000.0), ("5.", 5.0), (".5", 0.5), ("685_230.15", 685230.15), ("-.inf", -math.inf), ("inf", "inf"),
    ("2026-03-01", dt.date(2026, 3, 1)), ("2026-3-1", "2026-3-1"),
    ("2026-03-01T10:00:00Z", dt.datetime(2026, 3, 1, 10, tzinfo=UTC)),
    ("2026-03-01 10:00:00 +5", dt.datetime(2026, 3, 1, 10, tzinfo=dt.timezone(dt.timedelta(hours=5)))),
    ("2026-03-01t10:00:00", dt.datetime(2026, 3, 1, 10)), ("2026-03-01T10:00", "2026-03-01T10:00"),
    ("12:30", "12:30"), ("1:20:30", "1:20:30"), ("1.2.3", "1.2.3"), ("<<", "<<"), ("=", "="),
]


@pytest.fixture(params=["libyaml", "pure"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with libyaml, and as on a PyYAML built without its C extension."""
    if request.param == "libyaml" and yamlnodes.FastComposer is None:
        pytest.skip("PyYAML has no libyaml here")
    if request.param == "pure":
        for module in (yamlnodes, frontmatter, yamlguard):
            monkeypatch.setattr(module, "FastComposer", None)
    return str(request.param)


def load(raw: str) -> tuple[dict, dict[str, int]]:
    return load_yaml_mapping(raw, SourceRef("content/x.md"), first_line=2)


def problem(raw: str) -> tuple[int, str]:
    with pytest.raises(DocumentError) as caught:
        load(raw)
    return caught.value.diagnostic.ref.line, caught.value.diagnostic.message


@pytest.mark.parametrize(("text", "value"), TYPED)
def test_plain_scalars_are_typed_by_yaml_1_2(parser: str, text: str, value: object) -> None:
    found = load(f"v: {text}\nw: [{text}]\n")[0]
    assert found["v"] == value and type(found["v"]) is type(value)
    assert found["w"] == ([value] if text else [])  # `[]` is an empty list


@pytest.mark.parametrize("text", ["yes", "012", "2026-03-01", "true", "~", "1e3"])
def test_quoted_scalars_stay_text(parser: str, text: str) -> None:
    assert load(f"v: '{text}'\nw: \"{text}\"\n")[0] == {"v": text, "w": text}


def test_keys_are_text_and_lines_name_every_key_and_item(parser: str) -> None:
    raw = "title: T\n2: two\ntrue: yes\nsources:\n  - title: A\n    url: https://a.org\n  - |\n    block\n"
    values, lines = load(raw)
    assert values == {"title": "T", "2": "two", "True": "yes", "sources": [{"title": "A", "url": "https://a.org"}, "block\n"]}
    assert lines == {"title": 2, "2": 3, "True": 4, "sources": 5, "sources.0": 6, "sources.0.title": 6,
                     "sources.0.url": 7, "sources.1": 8}


def test_nan_is_a_float(parser: str) -> None:
    assert math.isnan(load("v: .NaN\n")[0]["v"])


@pytest.mark.parametrize(("raw", "line", "words"), [
    ("a: 1\nb: 2\na: 3\n", 4, "the field `a` appears twice"),
    ("a: {x: 1, x: 2}\nb: 1\n", 2, "the field `x` appears twice"),
    ("a: {x: 1, x: 2}\na: 1\n", 3, "the field `a` appears twice"),  # the outer mapping is checked first, as ruamel.yaml did
    ("a: 1\nd: 2026-02-30\n", 3, "a date in the front matter does not exist (day is out of range for month)"),
    ("a: 1\nb: 'x\n", 3, "a ' opened on this line is never closed"),
    ("a: b: c\n", 2, "contains `: `"),
    ("a: 1\n\tb: 2\n", 3, "indented with a tab"),
    ("- a\n- b\n", 2, "must be a list of `key: value` fields"),
    ("a: &x 1\nb: *x\n", 2, "anchors and aliases (`&x`)"),
    ("a: 1\nb: !!python/object:os.system x\n", 3, "YAML tags (`!!python/object:os.system`)"),
])
def test_problems_name_their_line(parser: str, raw: str, line: int, words: str) -> None:
    found_line, message = problem(raw)
    assert found_line == line and words in message, message


def test_empty_front_matter_is_no_fields(parser: str) -> None:
    assert load("") == ({}, {}) and load("# only a comment\n") == ({}, {})


def test_edge_scalars_are_values_or_text_never_a_crash() -> None:
    """A float-shaped text with no digit stays text; the last instant of 9999 rounded up is a date error (ValueError)."""
    from marginalia.content import yamlnodes

    assert yamlnodes.yaml_float("._") is None and yamlnodes.yaml_float("-._") is None
    assert yamlnodes.yaml_float("1_0.5") == 10.5
    with pytest.raises(ValueError):
        yamlnodes.yaml_timestamp("9999-12-31T23:59:59.9999995")


def test_deeply_nested_seed_markdown_falls_back_to_the_reference_reader() -> None:
    """The markdown-it-pyrs walk recurses per nesting level: too deep, and the seed is read by markdown-it-py instead."""
    from marginalia.content import rustmarkdown

    for text in ("> " * 5000 + "x\n", "- " * 5000 + "x\n"):
        assert rustmarkdown.walk_tree(text, 1) is None
