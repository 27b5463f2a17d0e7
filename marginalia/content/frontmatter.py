"""Reading a content file: text decoding, YAML front matter with line numbers, Markdown body."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yaml.error import YAMLError
from yaml.nodes import MappingNode

from ..diagnostics import Diagnostic, SourceRef, error
from .safetext import CHARACTER_HINT, describe_character, first_bad_character, nfc
from .yamlguard import explain_duplicate_key, explain_yaml_error, guard_yaml
from .yamlnodes import CParser as CParser  # re-exported: whether libyaml is there (tests/test_load.py)
from .yamlnodes import DuplicateKey, FastComposer, compose, plain_tree

MAX_FILE_BYTES = 1_000_000


@dataclass(frozen=True)
class Document:
    """A content file split into front matter (plain values) and body, with the line of every key."""

    ref: SourceRef
    meta: dict[str, Any]
    lines: dict[str, int] = field(compare=False)
    body: str = ""
    body_line: int = 1

    def line_of(self, key: str) -> SourceRef:
        """Where a key (dotted for nested: `sources.0.url`) stands; the file's first line if unknown."""
        while key and key not in self.lines:
            key = key.rpartition(".")[0]
        return self.ref.at(self.lines.get(key, 1))


class DocumentError(Exception):
    """A file that cannot be read as a content document."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def decode_text(raw: bytes, ref: SourceRef) -> str:
    """UTF-8 text with any BOM dropped and line endings made `\\n`; a clear error otherwise."""
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise DocumentError(error(ref.at(line), "this is not a text file (it contains a NUL byte)",
                                  "save it as plain UTF-8 text, or remove it from the folder"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DocumentError(error(ref.at(line), f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                                  "save the file with UTF-8 encoding (in most editors: Save with Encoding → UTF-8)")) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = first_bad_character(text)
    if bad >= 0:
        raise DocumentError(error(ref.at(text.count("\n", 0, bad) + 1), f"this line contains {describe_character(text[bad])}",
                                  CHARACTER_HINT))
    return nfc(text)  # so a quote typed in another normal form still matches the article (`café`)


def read_file(path: Path | str, limit: int = MAX_FILE_BYTES + 1) -> bytes:
    """At most `limit` bytes of a file, with three system calls for a small one (open, read, close).

    Python's file objects add four more per file (fstat, ioctl, lseek, a second read), and a
    build reads tens of thousands of files. A short read is the end of a regular file.
    """
    descriptor = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        parts: list[bytes] = []
        total = 0
        while total < limit:
            wanted = min(limit - total, 1 << 16)
            chunk = os.read(descriptor, wanted)
            parts.append(chunk)
            total += len(chunk)
            if len(chunk) < wanted:
                break
    finally:
        os.close(descriptor)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def read_text(path: Path | str, ref: SourceRef, read: Callable[[], bytes] | None = None) -> str:
    """Read a file as content text, refusing huge and non-text files with a diagnostic.

    `read` (from LoadCache.parse, which keeps the digest of the same bytes) replaces reading `path` directly.
    """
    raw = read() if read is not None else read_file(path)
    if len(raw) > MAX_FILE_BYTES:
        size = os.stat(path).st_size
        raise DocumentError(error(ref, f"the file is too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})",
                                  "split it, or remove what does not belong in it"))
    return decode_text(raw, ref)


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front matter text, or None when the file has none; body; body's first line, 1-based).

    Raises ValueError when the front matter is opened but never closed.
    """
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return None, text, 1
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    raise ValueError("front matter not closed")


def parse_document(text: str, ref: SourceRef, require_front_matter: bool = True) -> Document:
    """Parse a content file's text; raises DocumentError with file and line for malformed input."""
    try:
        raw, body, body_line = split_front_matter(text)
    except ValueError:
        raise DocumentError(error(ref.at(1), "the front matter is not closed",
                                  "did you forget the closing `---` line after the fields?")) from None
    if raw is None:
        if require_front_matter:
            raise DocumentError(error(ref.at(1), "the file has no front matter",
                                      "start the file with a line `---`, the fields, then another line `---`"))
        return Document(ref, {}, {}, body, body_line)
    meta, lines = load_yaml_mapping(raw, ref, first_line=2)
    return Document(ref, meta, lines, body, body_line)


def fast_yaml_mapping(raw: str, first_line: int) -> tuple[dict[str, Any], dict[str, int]] | None:
    """The values and key lines of front matter that libyaml reads as a mapping, without a problem; None otherwise.

    Nearly every file takes this path. Anything else (an error, an empty or non-mapping document)
    goes through parse_yaml_mapping's careful path, which explains it.
    """
    if FastComposer is None:
        return None
    try:
        root = FastComposer(raw).get_single_node()
        if not isinstance(root, MappingNode):
            return None
        lines: dict[str, int] = {}
        return plain_tree(root, first_line, lines), lines
    except (YAMLError, DuplicateKey, ValueError):
        return None


def load_yaml_mapping(raw: str, ref: SourceRef, first_line: int) -> tuple[dict[str, Any], dict[str, int]]:
    """Plain values and key lines from YAML text that must hold a mapping.

    The text is bounded and screened first (yamlguard), so no parser sees an alias bomb or deep nesting.
    """
    refused = guard_yaml(raw, ref, first_line)
    if refused is not None:
        raise DocumentError(refused)
    meta, lines = parse_yaml_mapping(raw, ref, first_line)
    if "\\" in raw:  # only a `\` escape in double quotes can make a character the file's text did not have
        check_characters(meta, "", lines, ref, first_line)
    return meta, lines


def parse_yaml_mapping(raw: str, ref: SourceRef, first_line: int) -> tuple[dict[str, Any], dict[str, int]]:
    """load_yaml_mapping's parse, after the screening."""
    fast = fast_yaml_mapping(raw, first_line)
    if fast is not None:
        return fast
    lines: dict[str, int] = {}
    try:
        root = compose(raw)
        data = None if root is None else plain_tree(root, first_line, lines)
    except YAMLError as exc:
        raise DocumentError(explain_yaml_error(exc, raw, ref, first_line)) from None
    except DuplicateKey as exc:
        raise DocumentError(explain_duplicate_key(exc.key, ref.at(first_line + exc.line))) from None
    except ValueError as exc:  # dt.date refuses a date like 2026-13-45
        raise DocumentError(error(ref.at(first_line - 1 + impossible_date_line(raw)),
                                  f"a date in the front matter does not exist ({exc})",
                                  "write it as YYYY-MM-DD with a real day of that month, e.g. 2026-02-06")) from None
    if root is None:
        return {}, {}
    if not isinstance(root, MappingNode):
        raise DocumentError(error(ref.at(first_line), "the front matter must be a list of `key: value` fields",
                                  "write one field per line, like `kind: context`"))
    assert isinstance(data, dict)
    return data, lines


DATE_RE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")


def impossible_date_line(text: str) -> int:
    """The first line (1-based) holding a YYYY-MM-DD that is no real date (1 when none is found)."""
    for number, line in enumerate(text.split("\n"), start=1):
        for match in DATE_RE.finditer(line):
            try:
                dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                return number
    return 1


def check_characters(value: Any, path: str, lines: dict[str, int], ref: SourceRef, first_line: int) -> None:
    """Raise DocumentError at the key's line for the first string (key or value) holding a refused character."""
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            check_characters(key, name, lines, ref, first_line)
            check_characters(item, name, lines, ref, first_line)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_characters(item, f"{path}.{index}", lines, ref, first_line)
    elif isinstance(value, str) and first_bad_character(value) >= 0:
        line = lines.get(path, first_line)
        raise DocumentError(error(ref.at(line), f"the value of `{path.partition('.')[0]}` contains "
                                  f"{describe_character(value[first_bad_character(value)])}", CHARACTER_HINT))
