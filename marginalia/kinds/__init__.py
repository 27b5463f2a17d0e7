"""The registry: one entry per kind of content, each declared in its own module.

Load reads the folders and schemas listed here, validate runs their checks, the render stage
makes their pages and section indexes, the nav and the sitemap list their sections, and `new`
scaffolds the kinds that have a scaffold body. Adding a kind: its module here (record, schema,
page builder), one line below, its templates and its tests.
"""

from __future__ import annotations

from collections.abc import Sequence

from . import annotation, article, claim, figure, outlet, speaker, topic
from .kind import Files, Kind

REGISTRY: tuple[Kind, ...] = (article.KIND, annotation.KIND, speaker.KIND, topic.KIND, claim.KIND, figure.KIND,
                             outlet.KIND)


def content_kinds(registry: Sequence[Kind] = REGISTRY) -> tuple[Kind, ...]:
    """The kinds read from files under content/."""
    return tuple(kind for kind in registry if kind.folder is not None)


def sections(registry: Sequence[Kind] = REGISTRY) -> tuple[Kind, ...]:
    """The kinds with pages of their own, in the registry's order."""
    return tuple(kind for kind in registry if kind.section is not None)


def by_name(name: str, registry: Sequence[Kind] = REGISTRY) -> Kind | None:
    """The kind of this name, if any."""
    return next((kind for kind in registry if kind.name == name), None)


__all__ = ["REGISTRY", "Files", "Kind", "by_name", "content_kinds", "sections"]
