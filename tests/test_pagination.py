"""Long lists split into pages (render/paginate.py): addresses, links between pages, their navigation, and that
every entry is on exactly one page. The fixture project is built with a page size of 1 so that its lists split."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest

from marginalia.diagnostics import ContentError
from marginalia.pipeline import Project, build, check

from .conftest import fixture_project

SIZE = 1
BASE = "https://example.org/digest/"


@pytest.fixture(scope="module")
def paged(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The fixture project with `page_size = 1`, built; (project root, site)."""
    root = fixture_project(tmp_path_factory.mktemp("paged"))
    with (root / "site.toml").open("a", encoding="utf-8") as settings:
        settings.write(f"page_size = {SIZE}\n")
    build(Project(root), root / "site", search=False)
    return root, root / "site"


def pages_of(site: Path, address: str) -> list[Path]:
    """The files of a paged page, page 1 first, following each page's rel=next link."""
    found = [site / address / "index.html"]
    while True:
        tree = lxml.html.fromstring(found[-1].read_bytes())
        nexts = tree.xpath('//head/link[@rel="next"]/@href')
        if not nexts:
            return found
        assert len(nexts) == 1 and nexts[0].startswith("/digest/")
        found.append(site / nexts[0].removeprefix("/digest/") / "index.html")


def expected_pages(count: int) -> int:
    return max(1, -(-count // SIZE))


def quoted(page: Path) -> list[str]:
    """The notes a speaker, topic or claim page quotes: the highlight each links to."""
    tree = lxml.html.fromstring(page.read_bytes())
    return tree.xpath('//ol[contains(@class, "quoted-notes")]/li/blockquote//a/@href')


def test_each_note_is_on_exactly_one_page(paged: tuple[Path, Path]) -> None:
    root, site = paged
    library = check(Project(root)).library
    for section, index in (("speakers", library.by_speaker), ("topics", library.by_topic), ("claims", library.by_claim)):
        for slug, notes in index.items():
            pages = pages_of(site, f"{section}/{slug}")
            # A topic page splits its articles beside its notes: the longer list decides.
            articles = {s for s, e in library.articles.items() if slug in e.article.topics} | {p.annotation.article for p in notes}
            longest = max(len(notes), len(articles)) if section == "topics" else len(notes)
            assert len(pages) == expected_pages(longest), (section, slug)
            shown = [href for page in pages for href in quoted(page)]
            assert all(len(quoted(page)) <= SIZE for page in pages)
            assert sorted(shown) == sorted(f"/digest/articles/{p.annotation.article}/#hl-{p.annotation.id}" for p in notes)
    assert any(len(notes) > SIZE for notes in library.by_speaker.values())  # the fixture's lists do split


def test_the_first_page_keeps_its_address_and_later_pages_are_numbered(paged: tuple[Path, Path]) -> None:
    root, site = paged
    library = check(Project(root)).library
    speaker = max(library.by_speaker, key=lambda s: len(library.by_speaker[s]))
    pages = pages_of(site, f"speakers/{speaker}")
    assert [p.relative_to(site).as_posix() for p in pages] == (
        [f"speakers/{speaker}/index.html"] + [f"speakers/{speaker}/page/{n}/index.html" for n in range(2, len(pages) + 1)])
    assert not (site / "speakers" / speaker / "page" / "1").exists()
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert all(f"<loc>{BASE}{p.parent.relative_to(site).as_posix()}/</loc>" in sitemap for p in pages)


def test_prev_next_canonical_titles_and_navigation(paged: tuple[Path, Path]) -> None:
    root, site = paged
    library = check(Project(root)).library
    speaker = max(library.by_speaker, key=lambda s: len(library.by_speaker[s]))
    pages = pages_of(site, f"speakers/{speaker}")
    addresses = [f"/digest/speakers/{speaker}/"] + [f"/digest/speakers/{speaker}/page/{n}/" for n in range(2, len(pages) + 1)]
    titles = set()
    for number, page in enumerate(pages, start=1):
        tree = lxml.html.fromstring(page.read_bytes())
        prev = tree.xpath('//head/link[@rel="prev"]/@href')
        assert prev == ([addresses[number - 2]] if number > 1 else [])
        assert tree.xpath('//head/link[@rel="canonical"]/@href') == [BASE + addresses[number - 1].removeprefix("/digest/")]
        title = tree.findtext(".//title")
        assert (f"page {number} of {len(pages)}" in title) == (number > 1)
        titles.add(title)
        navs = tree.xpath('//nav[@aria-label="Pages"]')
        assert len(navs) == 1
        links = navs[0].xpath(".//a")
        current = [a for a in links if a.get("aria-current") == "page"]
        assert [a.text for a in current] == [str(number)] and current[0].get("href") == addresses[number - 1]
        numbered = [a.get("href") for a in links if (a.text or "").isdigit()]
        assert numbered == addresses
        assert bool(navs[0].xpath('.//a[@rel="prev"]')) == (number > 1)
        assert bool(navs[0].xpath('.//a[@rel="next"]')) == (number < len(pages))
        assert tree.xpath("//h1")[0].text_content().strip() == library.speakers[speaker].name
    assert len(titles) == len(pages)


def test_indexes_and_outlets_split_into_pages(paged: tuple[Path, Path]) -> None:
    root, site = paged
    library = check(Project(root)).library
    pages = pages_of(site, "articles")
    assert len(pages) == expected_pages(len(library.articles)) > 1
    listed = [href for page in pages for href in lxml.html.fromstring(page.read_bytes()).xpath('//a[@class="article-title"]/@href')]
    assert listed == [f"/digest/articles/{slug}/" for slug in library.articles]  # newest first, each once
    home = lxml.html.fromstring((site / "index.html").read_bytes())
    assert len(home.xpath('//a[@class="article-title"]')) == SIZE and home.xpath('//a[@href="/digest/articles/page/2/"]')
    for slug, outlet in library.outlets.items():
        shown = [href for page in pages_of(site, f"outlets/{slug}")
                 for href in lxml.html.fromstring(page.read_bytes()).xpath('//ul[@class="article-list"]//a[@class="article-title"]/@href')]
        assert shown == [f"/digest/articles/{a}/" for a in outlet.articles]
    claims = pages_of(site, "claims")
    columns = [td for page in claims for td in lxml.html.fromstring(page.read_bytes()).xpath('//table[@id="claim-matrix"]//th[@class="matrix-article"]')]
    assert len(claims) == expected_pages(len(library.articles)) and len(columns) == len(library.articles)


def test_a_later_page_records_only_its_own_notes(paged: tuple[Path, Path]) -> None:
    from marginalia.kinds import REGISTRY, sections
    from marginalia.render.pages import Renderer, page_specs
    root, _ = paged
    checked = check(Project(root))
    specs = page_specs(checked.library, sections(REGISTRY), SIZE)
    renderer = Renderer(checked.library, checked.config, Project(root).templates, specs, sections(REGISTRY))
    later = next(s for s in specs if s.kind == "speaker" and s.number == 2)
    _, inputs = renderer.files(later)
    notes = checked.library.by_speaker[later.slug]
    assert f"@page:speaker|{later.slug}|2|{SIZE}" in inputs and f"@by_speaker:{later.slug}" not in inputs
    shown = {re.sub(r".*#hl-", "", href) for href in quoted(root / "site" / later.outputs[0])}
    files = {p.annotation.lines.ref.path for p in notes if p.annotation.id in shown}
    others = {p.annotation.lines.ref.path for p in notes} - files
    assert files <= inputs and not others & inputs


@pytest.mark.parametrize("value", ["0", "-1", '"many"', "true"])
def test_page_size_must_be_a_positive_whole_number(tmp_path: Path, value: str) -> None:
    root = fixture_project(tmp_path / "project")
    with (root / "site.toml").open("a", encoding="utf-8") as settings:
        settings.write(f"page_size = {value}\n")
    with pytest.raises(ContentError) as raised:
        check(Project(root))
    [problem] = raised.value.diagnostics
    assert "page_size" in problem.message and problem.ref.line == 3
