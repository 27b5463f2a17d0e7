"""Front matter's YAML as plain values with the line of every key: PyYAML composes the nodes, this module types them.

PyYAML's loaders type plain scalars by YAML 1.1 (`yes` is True, `012` is 10, `1_000` an int
only there), while the content format has always read them by YAML 1.2 as ruamel.yaml does:
`true`/`false` (three spellings) are booleans, `yes`/`no`/`on`/`off` text; `012` is 12, `0o17`
15, `0x1F` 31, `1_000` 1000; `.inf` and `.nan` floats; `~`, `null` and nothing are None;
`2026-03-01` a date and `2026-03-01T10:00:00Z` a datetime. So only the node tree (with each
node's start line) comes from PyYAML, from libyaml's C composer (most of what a build spends on
front matter was ruamel's pure-Python constructor), or PyYAML's pure composer when the C
extension is missing or refuses the text; the tables below are ruamel.yaml's for YAML 1.2.

Front matter reaches this module screened (yamlguard): no anchors, aliases, tags or merge keys,
and shallow, so a node is never shared and the walk never goes deep.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from typing import Any

from yaml.composer import Composer
from yaml.error import YAMLError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.scanner import Scanner

try:  # libyaml, built into PyYAML's wheels; about 40× faster than its pure-Python parser
    from yaml.cyaml import CParser
except ImportError:  # pragma: no cover - the pure composer gives the same nodes
    CParser = None

STR, BOOL, INT, FLOAT, NULL, TIMESTAMP = ("str", "bool", "int", "float", "null", "timestamp")
DIGITS = "0123456789"
# ruamel.yaml's implicit resolvers for YAML 1.2, by first character, in the order it tries them.
BOOL_RE = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
FLOAT_RE = re.compile(r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
    |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""", re.X)
INT_RE = re.compile(r"""^(?:[-+]?0b[0-1_]+
    |[-+]?0o?[0-7_]+
    |[-+]?[0-9_]+
    |[-+]?0x[0-9a-fA-F_]+)$""", re.X)
NULL_RE = re.compile(r"^(?:~|null|Null|NULL|)$")
TIMESTAMP_RE = re.compile(r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
    |[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?
    (?:[Tt]|[\ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?
    (?:[\ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""", re.X)
TIMESTAMP_PARTS = re.compile(r"""^(?P<year>[0-9][0-9][0-9][0-9])-(?P<month>[0-9][0-9]?)-(?P<day>[0-9][0-9]?)
    (?:(?:[Tt]|[\ \t]+)(?P<hour>[0-9][0-9]?):(?P<minute>[0-9][0-9]):(?P<second>[0-9][0-9])(?:\.(?P<fraction>[0-9]*))?
    (?:[\ \t]*(?P<tz>Z|(?P<tz_sign>[-+])(?P<tz_hour>[0-9][0-9]?)(?::(?P<tz_minute>[0-9][0-9]))?))?)?$""", re.X)


def resolver_table() -> dict[str, tuple[tuple[str, re.Pattern[str]], ...]]:
    """Which patterns a plain scalar starting with a character is tried against, in order."""
    table: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for tag, pattern, first in ((BOOL, BOOL_RE, "tTfF"), (FLOAT, FLOAT_RE, "-+." + DIGITS), (INT, INT_RE, "-+" + DIGITS),
                                (NULL, NULL_RE, "~nN"), (TIMESTAMP, TIMESTAMP_RE, DIGITS)):
        for char in first:
            table.setdefault(char, []).append((tag, pattern))
    table[""] = [(NULL, NULL_RE)]
    return {char: tuple(items) for char, items in table.items()}


RESOLVERS = resolver_table()


def resolve_plain(value: str) -> str:
    """The type of a plain (unquoted) scalar by YAML 1.2."""
    for tag, pattern in RESOLVERS.get(value[:1], ()):
        if pattern.match(value):
            return tag
    return STR


class TagScalars:
    """What the composers need of a resolver: the type of each plain scalar; everything else is text or a container."""

    def resolve(self, kind: type, value: str | None, implicit: Any) -> str:
        """A node's tag: plain scalars by YAML 1.2; quoted and block scalars are text."""
        if kind is ScalarNode:
            return resolve_plain(value or "") if implicit[0] else STR
        return "seq" if kind is SequenceNode else "map"

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """No path-dependent resolvers."""

    def ascend_resolver(self) -> None:
        """No path-dependent resolvers."""


FastComposer: Any = None
if CParser is not None:
    class LibyamlComposer(TagScalars, CParser):  # type: ignore[misc, valid-type]
        """libyaml's scanner, parser and composer, with YAML 1.2 tags."""

    FastComposer = LibyamlComposer


class PureComposer(TagScalars, Reader, Scanner, Parser, Composer):
    """PyYAML's pure-Python composer: the same nodes, and the wording of errors the explanations are written for."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)


def compose(raw: str, fast: bool = True) -> Node | None:
    """The document's node tree (None when it holds nothing); YAMLError when it is not valid YAML.

    When libyaml refuses the text, PyYAML's pure parser is asked too: its messages are the ones
    yamlguard.explain_yaml_error knows, and the two disagree on a few rare inputs.
    """
    if fast and FastComposer is not None:
        try:
            return FastComposer(raw).get_single_node()
        except YAMLError:
            pass
    return PureComposer(raw).get_single_node()


class DuplicateKey(Exception):
    """A mapping holds the same key twice; `line` is the second one's (0-based in the text)."""

    def __init__(self, key: Any, line: int) -> None:
        super().__init__(f"duplicate key {key}")
        self.key, self.line = key, line


def yaml_int(text: str) -> int | None:
    """A YAML 1.2 integer as ruamel.yaml reads it (underscores ignored, 0b/0o/0x); None when it has no digits (`-_`)."""
    digits = text.replace("_", "")
    sign = -1 if digits.startswith("-") else 1
    digits = digits[1:] if digits.startswith(("-", "+")) else digits
    for prefix, base in (("0b", 2), ("0x", 16), ("0o", 8)):
        if digits.startswith(prefix):
            return sign * int(digits[2:], base) if digits[2:] else None
    return sign * int(digits) if digits else None


def yaml_float(text: str) -> float | None:
    """A YAML 1.2 float as ruamel.yaml reads it; None for a float-shaped text with no digit (`._`), which stays text."""
    digits = text.replace("_", "").lower()
    sign = -1 if digits.startswith("-") else 1
    digits = digits[1:] if digits.startswith(("-", "+")) else digits
    if digits == ".inf":
        return sign * float("inf")
    if digits == ".nan":
        return float("nan")
    return sign * float(digits) if any(c.isdigit() for c in digits) else None


def yaml_timestamp(text: str) -> dt.date:
    """A date, or a datetime with its offset, as ruamel.yaml makes them; ValueError for a day that does not exist."""
    found = TIMESTAMP_PARTS.match(text)
    assert found is not None  # TIMESTAMP_RE matched
    part = found.groupdict()
    year, month, day = int(part["year"]), int(part["month"]), int(part["day"])
    if part["hour"] is None:
        return dt.date(year, month, day)
    fraction, carry = 0, False
    if part["fraction"]:
        fraction = int(part["fraction"][:6].ljust(6, "0")) + (len(part["fraction"]) > 6 and int(part["fraction"][6]) > 4)
        fraction, carry = (0, True) if fraction > 999_999 else (fraction, False)
    zone = None
    if part["tz_sign"]:
        offset = dt.timedelta(hours=int(part["tz_hour"]), minutes=int(part["tz_minute"] or 0))
        zone = dt.timezone(-offset if part["tz_sign"] == "-" else offset, name=part["tz"])
    elif part["tz"] == "Z":
        zone = dt.timezone(dt.timedelta(0), name="Z")
    stamp = dt.datetime(year, month, day, int(part["hour"]), int(part["minute"]), int(part["second"]), fraction, zone)
    try:
        return stamp + dt.timedelta(seconds=1) if carry else stamp
    except OverflowError:  # the last instant of 9999 rounded up: no such date, said as for 2026-02-30
        raise ValueError("year 10000 is out of range") from None


def scalar(node: ScalarNode) -> Any:
    """A scalar node's value by its YAML 1.2 tag."""
    tag, text = node.tag, node.value
    if tag == STR:
        return text
    if tag == INT:
        number = yaml_int(text)
        return text if number is None else number
    if tag == FLOAT:
        value = yaml_float(text)
        return text if value is None else value
    if tag == BOOL:
        return text[0] in "tT"
    if tag == NULL:
        return None
    if tag == TIMESTAMP:
        return yaml_timestamp(text)
    raise ValueError(f"unexpected YAML tag {tag}")  # pragma: no cover - yamlguard refuses explicit tags


def key_value(node: Node) -> Any:
    """A mapping key's value; a list or mapping used as a key becomes a tuple of its plain values (it is hashable)."""
    if isinstance(node, ScalarNode):
        return scalar(node)
    if isinstance(node, SequenceNode):
        return tuple(key_value(item) for item in node.value)
    return tuple((key_value(key), key_value(value)) for key, value in node.value)


def empty(node: Node) -> Any:
    """The container a node becomes, filled later; a scalar's value at once."""
    if isinstance(node, MappingNode):
        return {}
    if isinstance(node, SequenceNode):
        return []
    return scalar(node)


def plain_tree(root: Node, first_line: int, lines: dict[str, int]) -> Any:
    """The node tree as dicts, lists and scalars; each key's (and list item's) line into `lines`, named `a.0.b`.

    Containers are filled level by level, each mapping's keys checked for repeats in order as it is
    filled, so that of several problems the one reported is the one ruamel.yaml reported first.
    Keys become text (`1:` is `"1"`), as the content format reads them.
    """
    top = empty(root)
    if isinstance(root, ScalarNode):
        return top
    queue: deque[tuple[Node, Any, str]] = deque([(root, top, "")])
    while queue:
        node, into, path = queue.popleft()
        if isinstance(node, SequenceNode):
            for index, item in enumerate(node.value):
                name = f"{path}.{index}"
                lines[name] = first_line + item.start_mark.line
                into.append(empty(item))
                if not isinstance(item, ScalarNode):
                    queue.append((item, into[-1], name))
            continue
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = key_value(key_node)
            name = f"{path}.{key}" if path else str(key)
            lines[name] = first_line + key_node.start_mark.line
            into[str(key)] = empty(value_node)
            if key in seen:
                raise DuplicateKey(key, key_node.start_mark.line)
            seen.add(key)
            if not isinstance(value_node, ScalarNode):
                queue.append((value_node, into[str(key)], name))
    return top
