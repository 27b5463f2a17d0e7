"""The site's addresses: one place that knows where every page lives."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

SECTIONS = ("articles", "speakers", "topics", "claims", "outlets")


@dataclass(frozen=True)
class Urls:
    """Addresses under a base URL that may have a sub-path (https://example.org/digest/)."""

    base_url: str

    @property
    def base_path(self) -> str:
        """The path part of the base address, always ending in a slash."""
        return urlsplit(self.base_url).path.rstrip("/") + "/"

    @staticmethod
    def page(section: str = "", slug: str = "") -> str:
        """Site-relative path of a page: '' (home), 'articles/', 'articles/<slug>/'."""
        return "/".join(part for part in (section, slug) if part) + ("/" if section else "")

    @staticmethod
    def numbered(section: str = "", slug: str = "", number: int = 1) -> str:
        """Site-relative path of one page of a long list: page 1 at the plain address, then '<page>/page/<n>/'."""
        return Urls.page(section, slug) + (f"page/{number}/" if number > 1 else "")

    def href(self, relative: str) -> str:
        """The link to use inside the site (path-absolute, under the base path)."""
        return self.base_path + relative

    def absolute(self, relative: str) -> str:
        """The full address, for feeds, canonical links and JSON-LD."""
        return self.base_url + relative
