"""Figures: content/figures/<slug>.md, a number the articles cite; the figures ledger shows where each is stated."""

from __future__ import annotations

from typing import Any

from ..content import schemas
from ..content.load import make_figure
from ..content.placeholders import BODIES
from ..content.records import Figure
from ..content.validate import check_figure
from ..render import featureviews
from .kind import Files, Kind


def figure_page(maker: Any, slug: str) -> Files:
    """A figure's page in the ledger: every passage that states it."""
    context = featureviews.figure_page(maker.views, slug)
    return {KIND.outputs(slug)[0]: maker.page(maker.urls.page("figures", slug), "figure.html", context)}


def figures_index(maker: Any) -> dict[str, Any]:
    """The figures ledger: every figure, most-cited first."""
    return featureviews.figure_index(maker.views)


KIND = Kind("figure", "figures", "a figure", Figure, schemas.FIGURE, make_figure, check=check_figure,
            scaffold_body=BODIES["figure"], section="figures", searched=True, nav_label="Figures", nav_order=3,
            slugs=lambda library: library.figures, page=figure_page, index=figures_index)
