"""Outlets: the publishers the article records name, made from them (no files of their own); one page each."""

from __future__ import annotations

from typing import Any

from ..render import featureviews
from .kind import Files, Kind


def outlet_page(maker: Any, slug: str) -> Files:
    """An outlet page: its articles, newest first."""
    # Its claim tracker's rows are ordered by every article's notes on each claim: matrix_view notes those.
    context = maker.views.outlet(slug)  # reads each of its articles with its notes
    context["matrix"] = featureviews.matrix_view(maker.views, list(maker.reads.outlet(slug).articles), carried_only=True)
    return {KIND.outputs(slug)[0]: maker.page(maker.urls.page("outlets", slug), "outlet.html", context)}


def outlets_index(maker: Any) -> dict[str, Any]:
    """The outlets index."""
    return {"outlets": maker.views.outlets()}


KIND = Kind("outlet", section="outlets", nav_label="Outlets", nav_order=6,
            slugs=lambda library: library.outlets, page=outlet_page, index=outlets_index)
