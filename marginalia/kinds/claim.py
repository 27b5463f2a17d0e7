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


def claim_page(maker: Any, slug: str, number: int) -> Files:
    """One page of a claim's appearances, with their timeline and tracker row; page 1 also has its summary,
    assessment, JSON-LD and feed."""
    views, claim = maker.views, maker.reads.claim(slug)
    (shown,), pager = maker.paged("claim", "claims", slug, number)
    # The claim tracker's row and timeline (featureviews.py) read these notes and their articles.
    for placed in shown:
        maker.reads.article(placed.annotation.article)
    context = {**views.claim(slug, shown, number == 1), **featureviews.claim_extras(views, slug, shown), "pager": pager}
    path = maker.urls.numbered("claims", slug, number)
    if number > 1:
        return {KIND.outputs(slug, number)[0]: maker.page(path, "claim.html", {**context, "jsonld": None})}
    feed = Link(f"Claim: {claim.statement}", views.href("claims", slug) + "feed.xml")
    html = maker.page(path, "claim.html", {
        **context, "jsonld": claim_review(maker.reads, slug, maker.urls, maker.config.title, shown), "feeds": [feed]})
    page, feed_file = KIND.outputs(slug)
    return {page: html, feed_file: claim_feed(maker.reads, maker.config, maker.urls, slug)}


def claims_index(maker: Any, number: int) -> dict[str, Any]:
    """The claims index, with the claim tracker: every claim against every article, a page of articles at a time."""
    (articles,), pager = maker.paged("index_claims", "claims", "", number)
    claims = [maker.views.claim_link(c) for c in maker.reads.slugs("claims")] if number == 1 else []
    # Its rows are every claim, most contested first; its columns and cells these articles' (matrix_view notes those).
    return {"claims": claims, "matrix": featureviews.matrix_view(maker.views, list(articles), sliced=True), "pager": pager}


KIND = Kind("claim", "claims", "a claim", Claim, schemas.CLAIM, make_claim, check=check_claim,
            scaffold_body=BODIES["claim"],
            section="claims", searched=True, nav_label="Claims", nav_order=2, extras=("feed.xml",),
            slugs=lambda library: library.claims, page=claim_page, index=claims_index)
