"""`check --fix`: apply the re-anchoring proposals that are close and unambiguous.

Only the `quote` field's line(s) of an annotation file change; every other byte (BOM, line
endings, comments, key order, the body) stays as it was. The new value is written as a YAML
double-quoted string, and the file is re-read before it is replaced: if the edited front matter
does not give back exactly the proposed quote and the same other fields, nothing is written.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from pathlib import Path

from .anchoring import Miss, anchor_quote, normalize
from ..diagnostics import SourceRef, has_errors
from ..content.frontmatter import DocumentError, decode_text, parse_document
from .library import article_text
from ..content.load import load_content
from ..content.records import Annotation
from .reanchor import FIX_THRESHOLD, MARGIN, Proposal, propose
from ..content.safepaths import scan_inputs
from ..content.seedload import load_seeds


@dataclass(frozen=True)
class QuoteFix:
    """One quote rewritten: where, and from what to what."""

    ref: SourceRef
    old: str
    new: str
    score: float


@dataclass(frozen=True)
class QuoteLeft:
    """A quote that does not match and that `--fix` left as it is: where, and why."""

    ref: SourceRef
    quote: str
    reason: str


@dataclass(frozen=True)
class FixOutcome:
    """What `check --fix` did: the quotes rewritten, and those it left with the reason."""

    fixed: list[QuoteFix]
    left: list[QuoteLeft]


def percent(score: float) -> str:
    """A similarity as a whole percentage, rounded down: 89.6 is not "90%" (the threshold), 99.6 not "100%"."""
    return f"{math.floor(score)}%"


def why_not_fixable(proposal: Proposal | None) -> str:
    """Why a proposal (or the lack of one) is not applied by --fix; "" when it is."""
    if proposal is None:
        return "no passage of the article is like it; copy the passage from the article page"
    if proposal.score < FIX_THRESHOLD:
        return (f"the closest passage is only {percent(proposal.score)} alike and --fix needs at least "
                f"{FIX_THRESHOLD:.0f}%: “{proposal.passage}”; correct the quote by hand")
    if not proposal.unique:
        return (f"the closest passage is {percent(proposal.score)} alike, but another comes within {MARGIN:.0f} points "
                "of it; correct the quote by hand to the one you meant")
    return ""


def proposals(root: Path) -> tuple[list[tuple[Annotation, str, float]], list[QuoteLeft]]:
    """(annotation, re-anchored quote, score) for every quote that is missing and has a fixable proposal,
    and the missing quotes that have none, with the reason."""
    if has_errors(scan_inputs(root)):
        return [], []  # a link leads outside the project: `check` reports it, and nothing is read through it
    loaded = load_content(root)
    articles, seeds, _problems = load_seeds(root, loaded.content.articles)
    found, left = [], []
    for note in loaded.content.annotations:
        source = seeds.get(note.article)
        if source is None:
            continue
        text, _starts = article_text(source.text())
        normal = normalize(text)
        result = anchor_quote(text, note.quote, note.prefix, note.suffix, normal)
        if not isinstance(result, Miss):
            continue
        if result.occurrences:  # ambiguous: a prefix/suffix decides that, not a rewrite
            left.append(QuoteLeft(note.lines.of("quote"), note.quote, f"the quote occurs {len(result.occurrences)} "
                                  "times; add a `prefix:` or `suffix:` (`check` shows which) instead of a rewrite"))
            continue
        proposal = propose(text, note.quote, normal)
        reason = why_not_fixable(proposal)
        if reason:
            left.append(QuoteLeft(note.lines.of("quote"), note.quote, reason))
        elif proposal is not None:
            found.append((note, proposal.passage, proposal.score))
    return found, left


def value_extent(lines: list[str], first: int) -> int:
    """The index just after the last line of the value that starts on line `first` (0-based)."""
    end = first + 1
    while end < len(lines) and (lines[end][:1] in (" ", "\t") or not lines[end].strip()):
        end += 1
    while end > first + 1 and not lines[end - 1].strip():
        end -= 1  # trailing blank lines belong to the layout, not to the value
    return end


def replace_quote(raw: bytes, line: int, new: str) -> bytes | None:
    """The file's bytes with the `quote:` value on `line` (1-based) replaced, or None when that line is not `quote:`."""
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    text = raw[len(bom):].decode("utf-8")
    lines = text.splitlines(keepends=True)
    index = line - 1
    if not (0 <= index < len(lines)) or not lines[index].startswith("quote:"):
        return None
    newline = "\r\n" if lines[index].endswith("\r\n") else "\n"
    end = value_extent(lines, index)
    last_newline = lines[end - 1][len(lines[end - 1].rstrip("\r\n")):] or newline
    lines[index:end] = [f"quote: {json.dumps(new, ensure_ascii=False)}{last_newline}"]
    return bom + "".join(lines).encode("utf-8")


def same_except_quote(before: bytes, after: bytes, new: str, ref: SourceRef) -> bool:
    """Whether the edited file reads back with the new quote and every other field unchanged."""
    try:
        old_doc = parse_document(decode_text(before, ref), ref)
        new_doc = parse_document(decode_text(after, ref), ref)
    except DocumentError:
        return False
    expected = {**old_doc.meta, "quote": new}
    return new_doc.meta == expected and new_doc.body == old_doc.body


def write_atomically(path: Path, data: bytes) -> None:
    """Replace a file's bytes in one step, keeping its permissions."""
    temporary = path.with_name(f".{path.name}.fix-{os.getpid()}")
    temporary.write_bytes(data)
    os.chmod(temporary, path.stat().st_mode)
    os.replace(temporary, path)


def fix_quotes(root: Path) -> FixOutcome:
    """Rewrite every fixable quote in place; returns what was changed, and what was not and why."""
    done = []
    found, left = proposals(root)
    for note, new, score in found:
        ref = note.lines.of("quote")
        path = root / ref.path
        before = path.read_bytes()
        after = replace_quote(before, ref.line, new)
        if after is None or not same_except_quote(before, after, new, ref):
            left.append(QuoteLeft(ref, note.quote, f"the closest passage is {percent(score)} alike, but the `quote:` line "
                                  f"could not be rewritten safely; replace the quote by hand with “{new}”"))
            continue
        write_atomically(path, after)
        done.append(QuoteFix(ref, note.quote, new, score))
    return FixOutcome(done, sorted(left, key=lambda item: item.ref))

