"""Feeds, structured data and Web Annotations of the real project: they parse and hold what the contract says."""

from __future__ import annotations

import json
import re
from dataclasses import replace
import shutil
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
from pyld import jsonld

from marginalia.render.jsonld import news_article
from marginalia.render.paginate import topic_lists
from marginalia.render.pagetext import page_text
from marginalia.pipeline import Project, build, check
from marginalia.render.urls import Urls
from marginalia.render.reads import Reads
from marginalia.render.views import STATUS_LABELS, Views
from marginalia.render.markup import make_markdown

REPO = Path(__file__).resolve().parent.parent
BASE = "https://example.org/digest/"
LOCAL_CONTEXTS = {"https://schema.org": {"@context": {"@vocab": "https://schema.org/"}}}


class Scripts(HTMLParser):
    """The JSON-LD blocks, <link rel=alternate> feeds, <h1> text and meta tags of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.jsonld: list[object] = []
        self.feeds: list[str] = []
        self.meta: dict[str, str] = {}
        self.h1 = ""
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script" and a.get("type") == "application/ld+json":
            self._in = "script"
        elif tag == "h1":
            self._in = "h1"
        elif tag == "link" and a.get("rel") == "alternate" and a.get("type") == "application/atom+xml":
            self.feeds.append(a.get("href") or "")
        elif tag == "meta" and (a.get("property") or a.get("name")):
            self.meta[a.get("property") or a.get("name") or ""] = a.get("content") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "h1"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.jsonld.append(json.loads(data))
        elif self._in == "h1":
            self.h1 += data


def read_page(site: Path, relative: str) -> Scripts:
    """Parse one built page."""
    parser = Scripts()
    parser.feed((site / relative / "index.html").read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project built once for this module."""
    out = tmp_path_factory.mktemp("real") / "site"
    build(Project(REPO), out, base_url=BASE)
    return out


@pytest.fixture(scope="module")
def views() -> Views:
    """View objects for the real project, to know how many entries each feed should have."""
    checked = check(Project(REPO), base_url=BASE)
    return Views(Reads(checked.library), Urls(BASE), make_markdown())


def parse_feed(site: Path, relative: str) -> feedparser.FeedParserDict:
    """A feed parsed strictly: bozo must be 0."""
    parsed = feedparser.parse((site / relative).read_bytes())
    assert parsed.bozo == 0, (relative, parsed.get("bozo_exception"))
    return parsed


def test_site_feed_has_every_article(real_site: Path, views: Views) -> None:
    """/feed.xml: one entry per article, newest first, with ids and links under the base address."""
    parsed = parse_feed(real_site, "feed.xml")
    assert len(parsed.entries) == len(views.reads.library.articles)
    assert all(e.link.startswith(BASE + "articles/") for e in parsed.entries)
    assert parsed.feed.links[0].href == BASE + "feed.xml"


@pytest.mark.slow
def test_feeds_keep_the_newest_feed_limit_entries(tmp_path: Path, views: Views) -> None:
    """site.toml's feed_limit caps every feed at the newest entries; 0 keeps them all."""
    project = tmp_path / "project"
    shutil.copytree(REPO, project, ignore=shutil.ignore_patterns(".*", "site", "tests", "benchmarks", "docs", "*.egg-info"))
    config = project / "site.toml"
    settings = [line for line in config.read_text(encoding="utf-8").splitlines() if not line.startswith("feed_limit")]
    config.write_text("\n".join(settings + ["feed_limit = 2"]) + "\n", encoding="utf-8")
    build(Project(project), tmp_path / "two", base_url=BASE, search=False)
    newest = parse_feed(tmp_path / "two", "feed.xml").entries
    claim = max(views.reads.library.by_claim, key=lambda slug: len(views.reads.library.by_claim[slug]))
    assert len(views.reads.library.articles) > 2 and len(views.reads.library.by_claim[claim]) > 2
    assert len(newest) == 2
    assert len(parse_feed(tmp_path / "two", f"claims/{claim}/feed.xml").entries) == 2
    config.write_text(config.read_text(encoding="utf-8").replace("feed_limit = 2", "feed_limit = 0"), encoding="utf-8")
    build(Project(project), tmp_path / "all", base_url=BASE, search=False)
    every = parse_feed(tmp_path / "all", "feed.xml").entries
    assert len(every) == len(views.reads.library.articles)
    assert [e.link for e in newest] == [e.link for e in every[:2]]  # the newest two, in the same order


def test_topic_feeds(real_site: Path, views: Views) -> None:
    """/topics/<slug>/feed.xml: the topic's articles, linked from the topic page."""
    for slug in views.reads.library.topics:
        parsed = parse_feed(real_site, f"topics/{slug}/feed.xml")
        assert len(parsed.entries) == len(topic_lists(views.reads.library, slug)[0]), slug
        assert f"/digest/topics/{slug}/feed.xml" in read_page(real_site, f"topics/{slug}").feeds


def test_claim_feeds(real_site: Path, views: Views) -> None:
    """/claims/<slug>/feed.xml: every passage carrying the claim, linked from the claim page."""
    for slug in views.reads.library.claims:
        parsed = parse_feed(real_site, f"claims/{slug}/feed.xml")
        assert len(parsed.entries) == len(views.reads.library.by_claim.get(slug, ())), slug
        assert all("#hl-" in e.link for e in parsed.entries)
        assert f"/digest/claims/{slug}/feed.xml" in read_page(real_site, f"claims/{slug}").feeds


def test_feeds_are_reproducible(real_site: Path, tmp_path: Path) -> None:
    """A second build writes byte-identical feeds: no build timestamps."""
    again = tmp_path / "again"
    build(Project(REPO), again, base_url=BASE)
    for feed in real_site.rglob("feed.xml"):
        assert feed.read_bytes() == (again / feed.relative_to(real_site)).read_bytes(), feed


def expand(data: object) -> list[dict[str, object]]:
    """JSON-LD expanded with a local schema.org context (the real one cannot be downloaded here)."""
    def loader(url: str, options: dict[str, object] | None = None) -> dict[str, object]:
        key = url.rstrip("/")
        return {"contextUrl": None, "documentUrl": url, "document": LOCAL_CONTEXTS[key]}
    return jsonld.expand(data, {"documentLoader": loader})


def test_article_pages_carry_news_article(real_site: Path, views: Views) -> None:
    """Each article page: NewsArticle JSON-LD whose headline is the page's <h1>; Open Graph and canonical."""
    for slug, entry in views.reads.library.articles.items():
        page = read_page(real_site, f"articles/{slug}")
        [data] = page.jsonld
        assert data["@type"] == "NewsArticle"
        assert data["headline"] == page.h1.strip() == entry.article.title
        assert data["url"] == BASE + f"articles/{slug}/"
        if entry.article.published:
            assert data["datePublished"] == entry.article.published.isoformat()
        assert "author" not in data  # articles name no author: none is made up
        expanded = expand(data)[0]
        assert expanded["@type"] == ["https://schema.org/NewsArticle"]
        if entry.article.outlet:
            assert data["publisher"] == {"@type": "Organization", "name": entry.article.outlet}
            assert expanded["https://schema.org/publisher"][0]["https://schema.org/name"] == [{"@value": entry.article.outlet}]
        else:
            assert "publisher" not in data
        assert page.meta["og:type"] == "article" and page.meta["og:url"] == data["url"]
        assert page.meta["twitter:card"] == "summary"


def test_claim_pages_carry_claim_review(real_site: Path, views: Views) -> None:
    """ClaimReview: claimReviewed, reviewRating.alternateName = the status, itemReviewed → Claim with author and appearance."""
    for slug, claim in views.reads.library.claims.items():
        page = read_page(real_site, f"claims/{slug}")
        [data] = page.jsonld
        assert data["@type"] == "ClaimReview"
        assert data["claimReviewed"] == claim.statement == page.h1.strip()
        assert data["reviewRating"]["alternateName"] == STATUS_LABELS[claim.status]
        item = data["itemReviewed"]
        assert item["@type"] == "Claim"
        assert len(item["appearance"]) == len(views.reads.library.by_claim.get(slug, ()))
        if claim.speakers or any(p.annotation.speaker for p in views.reads.library.by_claim.get(slug, ())):
            assert item["author"] and all(a["name"] for a in item["author"])
        expanded = expand(data)[0]
        assert "https://schema.org/itemReviewed" in expanded


def normalise(text: str) -> str:
    """White space collapsed, curly quotes straightened: how quotes are matched."""
    text = text.translate(str.maketrans("‘’“”", "''\"\""))
    return " ".join(text.split())


def test_web_annotations(real_site: Path, views: Views) -> None:
    """annotations.jsonld: one Annotation per note, quote and position selectors on its highlight in the page's text."""
    for slug, entry in views.reads.library.articles.items():
        data = json.loads((real_site / "articles" / slug / "annotations.jsonld").read_text(encoding="utf-8"))
        assert data["type"] == "AnnotationCollection" and data["total"] == len(entry.notes)
        html = (real_site / "articles" / slug / "index.html").read_text(encoding="utf-8")
        text = normalise(unescape(re.sub(r"<[^>]+>", "", html)))
        shown = page_text(html.encode("utf-8"))
        for item in data["first"]["items"]:
            assert item["type"] == "Annotation"
            assert item["motivation"] in ("commenting", "assessing", "editing", "classifying")
            assert item["body"][0]["type"] == "TextualBody" and item["body"][0]["value"]
            quote, position = item["target"]["selector"]
            assert quote["type"] == "TextQuoteSelector" and item["target"]["source"] == BASE + f"articles/{slug}/"
            assert position["type"] == "TextPositionSelector"
            assert normalise(quote["exact"]) in text
            # Both selectors pick the same passage of the page's body text, and the quote picks only that one.
            assert shown.text[position["start"]:position["end"]] == quote["exact"]
            prefix = quote.get("prefix", "")  # left out when it is note furniture (render/pagetext.py)
            assert shown.text.count(prefix + quote["exact"] + quote["suffix"]) == 1
            assert shown.text[:position["start"]].endswith(prefix)
            assert shown.text[position["end"]:].startswith(quote["suffix"])
            note_id = item["id"].rsplit("#note-", 1)[1]
            assert (position["start"], position["end"]) == shown.highlights[note_id]
            assert f'id="note-{note_id}"' in html
            author = next(p.annotation.author for p in entry.notes if p.annotation.id == note_id)
            if author:
                assert item["creator"]["nickname"] == author


def test_robots_txt_points_at_the_sitemap(real_site: Path) -> None:
    """robots.txt names the sitemap by its full address; the sitemap lists every article."""
    assert f"Sitemap: {BASE}sitemap.xml" in (real_site / "robots.txt").read_text(encoding="utf-8")
    sitemap = (real_site / "sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count(f"<loc>{BASE}articles/") >= len(list((real_site / "articles").glob("*/index.html")))


def test_news_article_names_a_publisher_only_where_the_article_names_its_outlet(views: Views) -> None:
    """No outlet in the record: no publisher and no author, rather than a guess."""
    entry = next(e for e in views.reads.library.articles.values() if e.article.outlet)
    urls = Urls(BASE)
    named = news_article(entry, urls, "Digest")
    assert named["publisher"] == {"@type": "Organization", "name": entry.article.outlet} and entry.article.outlet
    unnamed = news_article(replace(entry, article=replace(entry.article, outlet=None)), urls, "Digest")
    assert "publisher" not in unnamed and "author" not in unnamed
