"""Claims: content/claims/<slug>.md, a statement that recurs across articles and speakers; one page and feed each."""

from __future__ import annotations

from typing import Any

from ..content import schemas
from ..content.placeholders import BODIES
from ..content.load import make_claim
from ..content.records import Claim
from ..content.validate import check_claim
from ..render import featureviews
from ..render.feeds import claim_feed
from ..render.jsonld import claim_review
from ..render.views import Link
from .kind import Files, Kind


def claim_page(maker: Any, slug: str) -> Files:
    """A claim page and its feed."""
    views, claim = maker.views, maker.reads.claim(slug)
    # The claim tracker's row and timeline (featureviews.py) read its notes and their articles.
    for placed in maker.reads.notes_by("by_claim", slug):
        maker.reads.article(placed.annotation.article)
    feed = Link(f"Claim: {claim.statement}", views.href("claims", slug) + "feed.xml")
    html = maker.page(maker.urls.page("claims", slug), "claim.html", {
        **views.claim(slug), **featureviews.claim_extras(views, slug),
        "jsonld": claim_review(maker.reads, slug, maker.urls, maker.config.title), "feeds": [feed]})
    page, feed_file = KIND.outputs(slug)
    return {page: html, feed_file: claim_feed(maker.reads, maker.config, maker.urls, slug)}


def claims_index(maker: Any) -> dict[str, Any]:
    """The claims index, with the claim tracker: every claim against every article that carries one."""
    return {"claims": [maker.views.claim_link(c) for c in maker.reads.slugs("claims")],
            "matrix": featureviews.matrix_view(maker.views)}


KIND = Kind("claim", "claims", "a claim", Claim, schemas.CLAIM, make_claim, check=check_claim,
            scaffold_body=BODIES["claim"],
            section="claims", searched=True, nav_label="Claims", nav_order=2, extras=("feed.xml",),
            slugs=lambda library: library.claims, page=claim_page, index=claims_index)
