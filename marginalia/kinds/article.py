"""Articles: content/articles/<slug>.md names a seed and says how to show it; one page per article."""

from __future__ import annotations

from typing import Any

from ..content import schemas
from ..content.load import make_article
from ..content.records import Article
from ..content.validate import check_article
from ..render import featureviews
from ..render.jsonld import compact_json, news_article, web_annotations
from ..render.pagetext import page_text
from .kind import Files, Kind


def article_page(maker: Any, slug: str) -> Files:
    """An article page and its annotations as JSON-LD."""
    views, entry = maker.views, maker.reads.entry(slug)
    featureviews.note_spellings(views)  # the figures marked in its text (featureviews.figure_marks)
    page, annotations = KIND.outputs(slug)
    html = maker.page(maker.urls.page("articles", slug), "article.html", {
        "view": views.article(slug), "jsonld": news_article(entry, maker.urls, maker.config.title),
        "figures": featureviews.article_figures(views, slug),
        "annotations_href": views.href("articles", slug) + "annotations.jsonld"})
    # From the page just rendered: its selectors are computed in the text a client loading it sees.
    jsonld = compact_json(web_annotations(entry, maker.urls, page_text(html)))
    return {page: html, annotations: jsonld.encode("utf-8") + b"\n"}


def articles_index(maker: Any) -> dict[str, Any]:
    """The articles index: every article, newest first."""
    return {"articles": [maker.views.article_summary(s) for s in maker.reads.article_slugs()]}


KIND = Kind("article", "articles", "an article record", Article, schemas.ARTICLE, make_article, check=check_article,
            section="articles", searched=True, nav_label="Articles", nav_order=1, extras=("annotations.jsonld",),
            slugs=lambda library: library.articles, page=article_page, index=articles_index)
