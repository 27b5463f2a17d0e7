"""Declared front-matter fields, and reading a document's values against them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..diagnostics import Diagnostic, error, warning
from .frontmatter import Document
from ..suggest import did_you_mean

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SLUG_MAX = 80
EMPTY_HINT = "write a value, or remove the field"


class FieldError(ValueError):
    """A value of the wrong shape; the message says what was expected, the hint how to fix it."""

    def __init__(self, message: str, hint: str = "", key: str = "") -> None:
        super().__init__(message)
        self.hint = hint
        self.key = key


Reader = Callable[[Any], Any]


@dataclass(frozen=True)
class Field:
    """One front-matter field: its name, how to read it, and whether it must be there."""

    name: str
    read: Reader
    required: bool = False
    help: str = ""


def slug_problem(value: str) -> str:
    """Why `value` is not a slug, or "" when it is one."""
    if len(value) > SLUG_MAX:
        return f"is longer than {SLUG_MAX} characters"
    if not SLUG_RE.match(value):
        return "may use only lowercase a–z, digits and single hyphens"
    return ""


def suggest_slug(value: str) -> str:
    """A slug close to what the author wrote."""
    return "-".join(re.findall(r"[a-z0-9]+", value.lower()))[:SLUG_MAX].strip("-")


def read_text(value: Any) -> str:
    """A single-line or multi-line string; numbers and dates are refused so nothing is silently converted."""
    if isinstance(value, str):
        if not value.strip():
            raise FieldError("is empty", EMPTY_HINT)
        return value.strip()
    raise FieldError(f"must be text, not {describe(value)}", 'put the value in double quotes, e.g. "…"')


def read_slug(value: Any) -> str:
    """A slug: lowercase letters, digits, single hyphens."""
    text = read_text(value)
    problem = slug_problem(text)
    if problem:
        raise FieldError(f"`{text}` is not a valid slug: it {problem}", f"write it as `{suggest_slug(text)}`")
    return text


def read_list(item: Reader) -> Reader:
    """A list of items, each read by `item`; a single value is refused with a hint to make it a list."""
    def reader(value: Any) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise FieldError(f"must be a list, not {describe(value)}", "write it as a list: `[a, b]`, or one `- item` per line")
        items = []
        for index, element in enumerate(value):
            try:
                items.append(item(element))
            except FieldError as exc:
                raise FieldError(f"item {index + 1} {exc}", exc.hint,
                                 key=f"{index}.{exc.key}" if exc.key else f"{index}") from None
        return tuple(items)
    return reader


def read_date(value: Any) -> dt.date:
    """An ISO date, YYYY-MM-DD."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise FieldError(f"must be a date written YYYY-MM-DD, not {describe(value)}", "for example 2026-02-06")


# One search, not a test per character: every build reads every seed's address. In a str pattern `\s` is
# exactly str.isspace's white space (checked over every code point).
UNSAFE_IN_URL = re.compile(r'[\s"<>`]')


def read_url(value: Any) -> str:
    """An absolute http or https address."""
    text = read_text(value)
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise FieldError(f"`{text[:80]}` is not an http(s) address",
                         "only links starting with https:// or http:// are allowed")
    if UNSAFE_IN_URL.search(text):
        raise FieldError("contains spaces, quotes or angle brackets", "percent-encode them (space → %20)")
    return text


def read_choice(*choices: str) -> Reader:
    """One of a fixed set of words."""
    def reader(value: Any) -> str:
        text = read_text(value)
        if text not in choices:
            raise FieldError(f"`{text}` is not one of {', '.join(choices)}", did_you_mean(text, choices))
        return text
    return reader


def describe(value: Any) -> str:
    """A value's YAML kind, as an author would say it."""
    kinds = {bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "a mapping",
             dt.date: "a date", dt.datetime: "a date and time", type(None): "empty"}
    for kind, name in kinds.items():
        if type(value) is kind:
            return name
    return f"`{value}`" if isinstance(value, str) else "something else"


def read_fields(doc: Document, fields: tuple[Field, ...], what: str) -> tuple[dict[str, Any], list[Diagnostic]]:
    """Values for the declared fields, with a diagnostic for each missing, unknown or malformed one."""
    values: dict[str, Any] = {}
    problems: list[Diagnostic] = []
    known = {f.name: f for f in fields}
    for key in doc.meta:
        if key not in known:
            problems.append(warning(doc.line_of(key), f"unknown field `{key}` in {what}",
                                    did_you_mean(key, known) + " (unknown fields are ignored)"))
    for spec in fields:
        if spec.name not in doc.meta or doc.meta[spec.name] is None:
            if spec.required:
                problems.append(error(doc.ref.at(1), f"{what} is missing the required field `{spec.name}`",
                                      f"add a line `{spec.name}: …`" + (f" ({spec.help})" if spec.help else "")))
            continue
        try:
            values[spec.name] = spec.read(doc.meta[spec.name])
        except FieldError as exc:
            key = f"{spec.name}.{exc.key}" if exc.key else spec.name
            hint = exc.hint
            if spec.required and hint == EMPTY_HINT:
                hint = "write a value: this field is required" + (f" ({spec.help})" if spec.help else "")
            problems.append(error(doc.line_of(key), f"`{spec.name}` {exc}", hint))
    return values, problems
