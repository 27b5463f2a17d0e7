"""Front matter is untrusted YAML: bound it before any parser recurses, and explain its errors in plain words.

Front matter needs nothing beyond plain keys, values and lists, so anchors and aliases (an
alias bomb of 548 bytes grows past a gigabyte), tags (`!!python/object`), merge keys (`<<`)
and nesting deeper than MAX_DEPTH (a `[` 30,000 deep overflows libyaml's recursive composer)
are refused with their line, by a scan of the tokens that stops at the first refusal. The scan
runs only when the text could hold one of them, so plain files cost one pass of `str.count`.
"""

from __future__ import annotations

import re
from typing import Any

from yaml.error import MarkedYAMLError, YAMLError
from yaml.tokens import (AliasToken, AnchorToken, BlockEndToken, BlockMappingStartToken, BlockSequenceStartToken,
                                FlowMappingEndToken, FlowMappingStartToken, FlowSequenceEndToken, FlowSequenceStartToken,
                                KeyToken, ScalarToken, TagToken)

from ..diagnostics import Diagnostic, SourceRef, error
from .yamlnodes import FastComposer, PureComposer

MAX_DEPTH = 16  # front matter uses three levels (sources → item → url); this leaves room and no stack to exhaust
MAX_FRONT_MATTER = 100_000  # characters: a capped quote and a few sources fit many times over
OPENS = (FlowSequenceStartToken, FlowMappingStartToken, BlockMappingStartToken, BlockSequenceStartToken)
CLOSES = (FlowSequenceEndToken, FlowMappingEndToken, BlockEndToken)
FEATURE_MARKS = ("&", "*", "!", "<<")
SIMPLE_YAML_HINT = "front matter needs only `key: value` lines and lists; write the value out in full where it is used"


def might_need_scan(raw: str) -> bool:
    """Whether the text could hold a refused feature or deep nesting; False for nearly every real file.

    Nesting needs a `[`/`{` per flow level, or one more column of indent (or `- `/`? `) per block level,
    so few brackets and shallow lines bound the depth without a scan.
    """
    if any(mark in raw for mark in FEATURE_MARKS):
        return True
    if raw.count("[") + raw.count("{") > MAX_DEPTH:
        return True
    return any(len(line) - len(line.lstrip(" -?:")) > MAX_DEPTH for line in raw.split("\n"))


def guard_yaml(raw: str, ref: SourceRef, first_line: int) -> Diagnostic | None:
    """An error for front matter that is too large, too deep, or uses a YAML feature it has no need of; None if fine."""
    if len(raw) > MAX_FRONT_MATTER:
        return error(ref.at(first_line), f"the front matter is too long ({len(raw):,} characters; the limit is "
                     f"{MAX_FRONT_MATTER:,})", "keep long text in the body below the closing `---`")
    if not might_need_scan(raw):
        return None
    for scanner in (FastComposer, PureComposer):  # PyYAML's own scanner only where libyaml's refuses the text
        if scanner is None:
            continue
        try:
            return first_refusal(scanner(raw), ref, first_line)
        except YAMLError:
            continue  # malformed: the parser reports it, in plain words (explain_yaml_error)
    return None


def first_refusal(scanner: Any, ref: SourceRef, first_line: int) -> Diagnostic | None:
    """The error for the first token front matter may not use; the scanner keeps its own stack: it does not recurse."""
    depth, after_key = 0, False
    while scanner.check_token():
        token = scanner.get_token()
        found = refused_token(token, depth, after_key)
        if found:
            message, hint = found
            return error(ref.at(first_line + token.start_mark.line), message, hint)
        depth += 1 if isinstance(token, OPENS) else -1 if isinstance(token, CLOSES) else 0
        after_key = isinstance(token, KeyToken)
    return None


def refused_token(token: Any, depth: int, after_key: bool) -> tuple[str, str] | None:
    """(message, hint) when this token is one front matter may not use."""
    if isinstance(token, OPENS) and depth + 1 > MAX_DEPTH:
        return (f"the front matter nests lists or fields more than {MAX_DEPTH} levels deep",
                "front matter needs at most three levels (e.g. sources → item → url); flatten it")
    if isinstance(token, (AnchorToken, AliasToken)):
        sign = "&" if isinstance(token, AnchorToken) else "*"
        return (f"YAML anchors and aliases (`{sign}{token.value}`) are not allowed in front matter", SIMPLE_YAML_HINT
                + "; a value that starts with `&` or `*` must be in double quotes")
    if isinstance(token, TagToken):
        handle, suffix = token.value
        return (f"YAML tags (`{(handle or '') + (suffix or '')}`) are not allowed in front matter",
                "remove the tag; a value that starts with `!` must be in double quotes")
    if after_key and isinstance(token, ScalarToken) and token.plain and token.value == "<<":
        return ("YAML merge keys (`<<`) are not allowed in front matter", SIMPLE_YAML_HINT)
    return None


KEY_LINE = re.compile(r"^(\s*)(- +)?[A-Za-z_][\w-]*\s*:(\s|$)")


def indent_of(line: str) -> int:
    """The column where a line's text (after any `- `) starts."""
    stripped = line.lstrip(" ")
    return len(line) - len(stripped) + (len(stripped) - len(stripped.lstrip("- ")) if stripped.startswith("- ") else 0)


def previous_line(lines: list[str], index: int) -> str:
    """The nearest non-blank line before `index` ("" at the top)."""
    for line in reversed(lines[:index]):
        if line.strip() and not line.lstrip().startswith("#"):
            return line
    return ""


def explain_yaml_error(exc: YAMLError, raw: str, ref: SourceRef, first_line: int) -> Diagnostic:
    """A YAML syntax error as the author should read it: which line, what is wrong there in plain words, the fix."""
    if not isinstance(exc, MarkedYAMLError):
        return error(ref.at(first_line), f"the front matter is not valid YAML: {exc}", yaml_hint(str(exc)))
    problem = (exc.problem or exc.context or "malformed YAML").strip()
    context = (exc.context or "").strip()
    mark, start = exc.problem_mark or exc.context_mark, exc.context_mark or exc.problem_mark
    line = mark.line if mark else 0
    lines = raw.split("\n")
    text = lines[line] if line < len(lines) else ""
    if "quoted scalar" in context and "end of stream" in problem and start is not None:
        quote = (lines[start.line][start.column:start.column + 1] if start.line < len(lines) else "") or '"'
        return error(ref.at(first_line + start.line), f"a {quote} opened on this line is never closed",
                     f"end the value with a matching {quote} on the same line (a quote inside the value is written "
                     "\\\" in double quotes, '' in single quotes)")
    if "simple key" in context and "expected ':'" in problem and start is not None:
        return error(ref.at(first_line + start.line), "this line has no `:` after its field name",
                     "write the field as `name: value`, with a colon and a space after the name")
    if "flow" in context and start is not None and ("expected ','" in problem or "end of stream" in problem):
        bracket = lines[start.line][start.column:start.column + 1] if start.line < len(lines) else "["
        closing = "]" if bracket == "[" else "}"
        return error(ref.at(first_line + start.line), f"the list opened with `{bracket}` on this line is not closed",
                     f"end it with `{closing}` on the same line, e.g. topics: [border, courts]")
    if "expected <block end>" in problem and "<scalar>" in problem and ('"' in text or "'" in text):
        return error(ref.at(first_line + line), "there is text after the closing quote of a value",
                     "put the whole value inside the quotes, or remove what follows the closing quote")
    if "mapping values" in problem and KEY_LINE.match(text) and line > 0:
        before = previous_line(lines, line)
        if indent_of(text) > indent_of(before) and not before.rstrip().endswith(":"):
            return indented_differently(ref.at(first_line + line))
    if "expected <block end>" in problem and (KEY_LINE.match(text) or text.lstrip().startswith("- ")):
        return indented_differently(ref.at(first_line + line))
    return error(ref.at(first_line + line), f"the front matter is not valid YAML: {plain_problem(problem)}",
                 yaml_hint(problem))


def plain_problem(problem: str) -> str:
    """The parser's wording of a problem, in an author's words where it is a common one."""
    if "mapping values" in problem:
        return "a value on this line contains `: `, which YAML reads as the start of another field"
    if "'\\t'" in problem or "tab" in problem.lower():
        return "this line is indented with a tab"
    repeated = re.search(r'duplicate key "([^"]*)"', problem)
    if repeated:
        return f"the field `{repeated.group(1)}` appears twice"
    return problem


def explain_duplicate_key(key: Any, where: SourceRef) -> Diagnostic:
    """The error for a field given twice in one mapping, at the second one."""
    return error(where, f"the front matter is not valid YAML: the field `{key}` appears twice",
                 "each field may appear once; remove the repeated one")


def indented_differently(where: SourceRef) -> Diagnostic:
    """The error for a field whose indent does not match its neighbours'."""
    return error(where, "this field is indented differently from the fields around it",
                 "give fields at the same level the same indent: top-level fields start in the first column, "
                 "and the keys of one list item line up under each other (e.g. `  - title:` then `    url:`)")


def yaml_hint(problem: str) -> str:
    """A fix for the commonest YAML mistakes."""
    if "mapping values" in problem:
        return 'a value contains `: `; put the whole value in double quotes, e.g. quote: "Leavitt said: zero"'
    if "tab" in problem.lower() or "\t" in problem or "'\\t'" in problem:
        return "YAML does not allow tabs for indentation; use spaces"
    if "duplicate key" in problem:
        return "each field may appear once; remove the repeated one"
    return "check the quotes and indentation on this line; values with `:`, `#` or quotes are safest in double quotes"
