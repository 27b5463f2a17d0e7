"""Outlets: the publishers the article records name, made from them (no files of their own); one page each."""

from __future__ import annotations

from typing import Any

from ..render import featureviews
from ..render.views import OutletView
from .kind import Files, Kind


def outlet_page(maker: Any, slug: str, number: int) -> Files:
    """One page of an outlet's articles, newest first, with their columns of the claim tracker."""
    (articles,), pager = maker.paged("outlet", "outlets", slug, number)
    context = {**maker.views.outlet(slug, articles, number == 1), "pager": pager}
    # Its tracker's rows are ordered as the tracker's, its cells are these articles' notes: matrix_view notes those.
    context["matrix"] = featureviews.matrix_view(maker.views, list(articles), carried_only=True, sliced=True)
    return {KIND.outputs(slug, number)[0]: maker.page(maker.urls.numbered("outlets", slug, number), "outlet.html", context)}


def outlets_index(maker: Any, number: int) -> dict[str, Any]:
    """The outlets index."""
    (slugs,), pager = maker.paged("index_outlets", "outlets", "", number)
    outlets = [maker.reads.outlet(s) for s in slugs]
    return {"outlets": [OutletView(o.slug, o.name, o.articles) for o in outlets], "pager": pager}


KIND = Kind("outlet", section="outlets", nav_label="Outlets", nav_order=6,
            slugs=lambda library: library.outlets, page=outlet_page, index=outlets_index)
