"""site.toml: the site-wide settings."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .diagnostics import ContentError, SourceRef, error
from .content.frontmatter import DocumentError, read_text

KNOWN = ("title", "description", "base_url", "language")
DEFAULT_FEED_LIMIT = 50


@dataclass(frozen=True)
class SiteConfig:
    """Title, description, the address the site is served from, its language, and how many entries a feed keeps."""

    title: str = "Marginalia"
    description: str = ""
    base_url: str = "http://localhost:8000/"
    language: str = "en"
    # Feed readers want the newest items, not the archive: a 10,000-entry feed is megabytes fetched on every poll.
    feed_limit: int = DEFAULT_FEED_LIMIT


def normalize_base_url(url: str) -> str:
    """The base address with exactly one trailing slash."""
    return url.rstrip("/") + "/"


def base_url_problem(url: str) -> str:
    """Why `url` cannot be a base address, or ""."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "must be an absolute http(s) address, like https://example.org/digest/"
    if parts.query or parts.fragment:
        return "must not have a query or fragment"
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
    problems = [error(ref.at(key_line(text, key)), f"`{key}` in site.toml must be text", f'write it as {key} = "…"')
                for key in KNOWN if key in data and not isinstance(data[key], str)]
    limit = data.get("feed_limit", DEFAULT_FEED_LIMIT)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        problems.append(error(ref.at(key_line(text, "feed_limit")), "`feed_limit` in site.toml must be a whole number, 0 or more",
                              "write e.g. feed_limit = 50 (the newest 50 entries per feed), or 0 for every entry"))
    url = base_url or str(data.get("base_url", SiteConfig.base_url))
    if base_url_problem(url):
        problems.append(error(ref.at(key_line(text, "base_url") if not base_url else 1), f"the base_url `{url}` {base_url_problem(url)}",
                              "set base_url in site.toml or pass --base-url https://…/"))
    if problems:
        raise ContentError(problems)
    values = {key: data[key] for key in KNOWN if key in data}
    values["base_url"] = normalize_base_url(url)
    values["feed_limit"] = limit
    return SiteConfig(**values)  # type: ignore[arg-type]


def key_line(text: str, key: str) -> int:
    """The line where a top-level key of site.toml is set (1 when it is not found)."""
    table = re.search(r"^[ \t]*\[", text, re.MULTILINE)  # top-level keys come before the first [table]
    top = text[:table.start()] if table else text
    found = re.search(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=", top, re.MULTILINE)
    return text.count("\n", 0, found.start()) + 1 if found else 1
