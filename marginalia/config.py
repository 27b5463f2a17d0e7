"""site.toml: the site-wide settings."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .diagnostics import ContentError, Diagnostic, SourceRef, error
from .content.frontmatter import DocumentError, read_text
from .content.safetext import character_problem

KNOWN = ("title", "description", "base_url", "language")
TEXT_HINTS = {"title": 'write it as title = "…", the name of the digest', "description": 'write it as description = "…"',
              "base_url": 'write it as base_url = "https://example.org/digest/"',
              "language": 'write it as language = "en" (the language of the articles, as a BCP 47 tag)'}
DEFAULT_FEED_LIMIT = 50
DEFAULT_PAGE_SIZE = 50  # render/paginate.py DEFAULT_SIZE


@dataclass(frozen=True)
class SiteConfig:
    """Title, description, the address the site is served from, its language, and how many entries a feed keeps."""

    title: str = "Marginalia"
    description: str = ""
    base_url: str = "http://localhost:8000/"
    language: str = "en"
    # Feed readers want the newest items, not the archive: a 10,000-entry feed is megabytes fetched on every poll.
    feed_limit: int = DEFAULT_FEED_LIMIT
    # Entries per page of a long list (a speaker's quotes, an index): at 10,000 articles a speaker page would
    # otherwise hold thousands of notes, megabytes a phone must load and a search index must read.
    page_size: int = DEFAULT_PAGE_SIZE


def normalize_base_url(url: str) -> str:
    """The base address with exactly one trailing slash."""
    return url.rstrip("/") + "/"


# One absolute http(s) address with a plain path: a host (letters, digits, dots, hyphens; IPv6 in brackets),
# an optional port, and a path of unreserved characters and percent escapes. No user info, query, fragment,
# white space or quotes: the address is written into robots.txt, the sitemap, feeds and every page's links.
BASE_URL_RE = re.compile(r"https?://(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?"
                         r"(?:/(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})*)*")
# A well-formed BCP 47 language tag (RFC 5646: language, script, region, variants, extensions, private use).
LANGUAGE_RE = re.compile(r"(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"
                         r"(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*"
                         r"(?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?")


def base_url_problem(url: str) -> str:
    """Why `url` cannot be a base address, or ""."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "must be an absolute http(s) address, like https://example.org/digest/"
    if parts.query or parts.fragment or "?" in url or "#" in url:
        return "must not have a query or fragment"
    if "@" in parts.netloc:
        return "must not hold a user name or password"
    if parts.path.startswith("//"):
        return "must not have a path starting with `//` (every link would then lead to another site)"
    if not BASE_URL_RE.fullmatch(url):
        return ("must be one address: a host (punycode for non-ASCII names), an optional port and a path of "
                "letters, digits, `-._~` and %-escapes, with no spaces, quotes or line breaks")
    return ""


def text_problem(key: str, value: object) -> str:
    """Why a text setting cannot be used, or ""."""
    if not isinstance(value, str):
        return "must be text"
    bad = character_problem(value)
    if bad:
        return bad
    if key == "title" and not value.strip():
        return "must not be empty (it heads every page and feed)"
    if key == "language" and not LANGUAGE_RE.fullmatch(value):
        return "must be a language tag (BCP 47), like en, en-GB or pt-BR"
    return ""


def load_config(root: Path, base_url: str | None = None) -> SiteConfig:
    """Read site.toml (all keys optional); `base_url` overrides the file's. Raises ContentError."""
    path = root / "site.toml"
    ref = SourceRef("site.toml")
    data: dict[str, object] = {}
    text = ""
    if path.exists():
        try:
            text = read_text(path, ref)
            data = tomllib.loads(text)
        except DocumentError as exc:
            raise ContentError([exc.diagnostic]) from None
        except tomllib.TOMLDecodeError as exc:
            found = re.search(r"line (\d+)", str(exc))
            raise ContentError([error(ref.at(int(found.group(1)) if found else 1), f"site.toml is not valid TOML: {exc}",
                                      'values are written `key = "text"`')]) from None
    problems = [error(ref.at(key_line(text, key)), f"`{key}` in site.toml {text_problem(key, data[key])}", TEXT_HINTS[key])
                for key in KNOWN if key in data and text_problem(key, data[key])]
    problems += number_problems(data, text, ref)
    url = base_url or str(data.get("base_url", SiteConfig.base_url))
    if base_url_problem(url) and (base_url or not text_problem("base_url", data.get("base_url", ""))):
        problems.append(error(ref.at(key_line(text, "base_url") if not base_url else 1), f"the base_url `{url[:200]}` {base_url_problem(url)}",
                              "set base_url in site.toml or pass --base-url https://…/"))
    if problems:
        raise ContentError(problems)
    values = {key: data[key] for key in KNOWN if key in data}
    values["base_url"] = normalize_base_url(url)
    values.update((key, data.get(key, default)) for key, (default, _, _) in NUMBERS.items())
    return SiteConfig(**values)  # type: ignore[arg-type]


# Whole-number settings: default, least value, and the fix a message suggests.
NUMBERS = {"feed_limit": (DEFAULT_FEED_LIMIT, 0, "write e.g. feed_limit = 50 (the newest 50 entries per feed), or 0 for every entry"),
           "page_size": (DEFAULT_PAGE_SIZE, 1, "write e.g. page_size = 50 (at most 50 entries on each page of a long list)")}


def number_problems(data: dict[str, object], text: str, ref: SourceRef) -> list[Diagnostic]:
    """The whole-number settings that are not whole numbers at least their least value."""
    problems = []
    for key, (default, least, fix) in NUMBERS.items():
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            problems.append(error(ref.at(key_line(text, key)),
                                  f"`{key}` in site.toml must be a whole number, {least} or more", fix))
    return problems


def key_line(text: str, key: str) -> int:
    """The line where a top-level key of site.toml is set (1 when it is not found)."""
    table = re.search(r"^[ \t]*\[", text, re.MULTILINE)  # top-level keys come before the first [table]
    top = text[:table.start()] if table else text
    found = re.search(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=", top, re.MULTILINE)
    return text.count("\n", 0, found.start()) + 1 if found else 1
