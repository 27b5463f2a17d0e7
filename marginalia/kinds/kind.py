"""What one kind of content is, declared once: the registry entry that load, validate, the page list,
the nav, the sitemap and `new` all read (see kinds/__init__.py for the registry itself)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..content.fields import Field
from ..content.frontmatter import Document
from ..content.validate import Check
from ..link.library import Library
from ..render.urls import Urls

Files = dict[str, bytes]  # a page's files by site path


@dataclass(frozen=True)
class Kind:
    """One kind of content (or of page made from content, like outlets), and everything the build does with it."""

    name: str                                   # `new <name>`, and the singular in messages
    folder: str | None = None                   # content/<folder>/, and the field of `Content`; None: made, not read
    what: str = ""                              # "a speaker": how messages name one file
    record: type | None = None                  # the frozen record a file becomes
    schema: tuple[Field, ...] = ()              # its front-matter fields
    make: Callable[[str, dict[str, Any], Document], Any] | None = None  # the record from checked values
    nested: bool = False                        # one sub-folder per article (annotations)
    make_in: Callable[[str], Callable[[str, dict[str, Any], Document], Any]] | None = None  # nested: maker per folder
    check: Check | None = None                  # the validate stage's reference checks of one record
    scaffold_body: str = ""                     # what `new` writes below the front matter; "" : no `new`
    section: str | None = None                  # the site section of its pages (`speakers/<slug>/`)
    nav_label: str | None = None                # its entry in the site's navigation
    nav_order: int = 0
    extras: tuple[str, ...] = ()                # files beside each page's index.html
    searched: bool = False                      # its pages are in the search index (output/search.py)
    slugs: Callable[[Library], Iterable[str]] | None = None  # the records that get a page
    page: Callable[[Any, str], Files] | None = None          # (the Renderer, slug) → the page's files
    index: Callable[[Any], dict[str, Any]] | None = None     # (the Renderer) → the context of the section's index

    def outputs(self, slug: str) -> tuple[str, ...]:
        """The files of one page of this kind, relative to the site folder (its address is `Urls.page(section, slug)`)."""
        folder = Urls.page(self.section or "", slug)
        return (folder + "index.html", *(folder + name for name in self.extras))
