"""Characters no input may carry: control characters, lone surrogates, bidi overrides, non-characters.

They break the Atom feeds (XML refuses them), can make a terminal run escape sequences (ANSI
`\\x1b[…`), or reorder what a reader or reviewer sees (Trojan Source bidi overrides). They are
refused where each value is read, so `check` and `build` agree; diagnostics that quote a bad
value or file name show them escaped (`printable`), never raw.
"""

from __future__ import annotations

import re
import unicodedata

# C0 controls but tab and newline (\r is made \n on reading), DEL and C1 controls, lone surrogates,
# bidi embeddings/overrides/isolates (U+200E/U+200F marks stay: right-to-left text needs them),
# and the two non-characters XML refuses.
BAD_CHARACTER = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069\ufffe\uffff]")

NAMES = {"\x1b": "escape", "\x7f": "delete", "\u202a": "left-to-right embedding", "\u202b": "right-to-left embedding",
         "\u202c": "pop directional formatting", "\u202d": "left-to-right override", "\u202e": "right-to-left override",
         "\u2066": "left-to-right isolate", "\u2067": "right-to-left isolate", "\u2068": "first strong isolate",
         "\u2069": "pop directional isolate"}


def describe_character(char: str) -> str:
    """`U+001B (escape, a control character)`, as an author can look it up."""
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        kind = "a lone surrogate, which is not a character: often a broken `\\u` escape"
    elif char in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        kind = f"{NAMES[char]}, a bidi control that can make text display in another order than it is stored"
    elif code in (0xFFFE, 0xFFFF):
        kind = "a non-character"
    else:
        kind = f"{NAMES[char] + ', ' if char in NAMES else ''}a control character"
    return f"U+{code:04X} ({kind})"


def first_bad_character(text: str) -> int:
    """The offset of the first refused character in `text`, or -1."""
    found = BAD_CHARACTER.search(text)
    return found.start() if found else -1


def character_problem(text: str) -> str:
    """Why `text` cannot be published (`contains U+001B (…)`), or ""."""
    index = first_bad_character(text)
    return f"contains {describe_character(text[index])}" if index >= 0 else ""


CHARACTER_HINT = ("remove it (it was probably pasted from a terminal, a PDF or a word processor); "
                  "pages and feeds cannot carry it")


def printable(text: str) -> str:
    """`text` with every refused character written as an escape (`\\x1b`, `\\u202e`), for terminals and CI logs."""
    if BAD_CHARACTER.search(text) is None:
        return text
    return BAD_CHARACTER.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                             else f"\\u{ord(m.group()):04x}", text)


def nfc(text: str) -> str:
    """`text` in Unicode normal form C, so `café` typed as e + combining accent matches `café` typed as one é."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)
