"""End to end: build the real seeds with the fixture annotations and read the site as a reader would."""

from __future__ import annotations

import filecmp
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from marginalia.commands.cli import main
from marginalia.content.frontmatter import decode_text
from marginalia.diagnostics import SourceRef
from marginalia.pipeline import Project, build
from marginalia.content.seeds import read_seed
from tests.conftest import REPO, fixture_project, write_project, MINIMAL
from tests.htmlread import read_page

BASE_PATH = "/digest/"


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_contract_address_exists(fixture_site: Path) -> None:
    expected = ["index.html", "404.html", "feed.xml", "sitemap.xml", "articles/index.html", "speakers/index.html",
                "topics/index.html", "claims/index.html", "outlets/index.html", "articles/touts/index.html",
                "articles/touts/annotations.jsonld", "speakers/leavitt/index.html", "topics/releases/index.html",
                "claims/zero-releases/index.html", "outlets/washington-examiner/index.html"]
    missing = [p for p in expected if not (fixture_site / p).is_file()]
    assert missing == []


def test_pages_are_well_formed_and_every_internal_link_resolves(fixture_site: Path) -> None:
    broken = []
    for page in html_pages(fixture_site):
        info = read_page(page)
        assert info.unbalanced == [], page
        for href in info.links:
            parts = urlsplit(href)
            if parts.scheme or href.startswith("mailto:"):
                continue
            if not href.startswith("#"):
                assert parts.path.startswith(BASE_PATH), (page, href)
                target = fixture_site / parts.path[len(BASE_PATH):]
                target = target / "index.html" if parts.path.endswith("/") else target
                if not target.is_file():
                    broken.append((page.relative_to(fixture_site), href))
                    continue
            else:
                target = page
            if parts.fragment and parts.fragment not in read_page(target).ids:
                broken.append((page.relative_to(fixture_site), href))
    assert broken == []


def test_h1_is_the_entity_name(fixture_site: Path) -> None:
    assert read_page(fixture_site / "speakers/leavitt/index.html").h1 == ["Karoline Leavitt"]
    assert read_page(fixture_site / "topics/releases/index.html").h1 == ["Releases at the border"]
    claim = read_page(fixture_site / "claims/zero-releases/index.html")
    assert claim.h1 == ["No illegal immigrants have been released into the United States in nine months."]
    article = read_page(fixture_site / "articles/securing/index.html")
    assert article.h1 == ["President Trump Is Securing Our Homeland: Ending the Invasion, Deporting Criminals, and Protecting Our Communities"]


def test_article_markers_highlight_and_note_link_both_ways(fixture_site: Path) -> None:
    info = read_page(fixture_site / "articles/securing/index.html")
    crossing = [m for m in info.marks if m["data-annotation"] == "crossing"]
    assert len(crossing) >= 4  # split by bold, link and the overlapping note
    notes = {n["id"]: n["data-kind"] for n in info.notes}
    assert notes == {"note-crossing": "context", "note-inside-link": "context"}
    assert "#note-crossing" in info.links and "#hl-crossing" in info.links
    assert {"hl-crossing", "note-crossing"} <= info.ids


def test_every_seed_sentence_appears_on_its_article_page(fixture_site: Path) -> None:
    """No word of the original is lost, added or changed (stripped lines aside)."""
    records = {p.stem: p.read_text(encoding="utf-8") for p in (REPO / "tests/fixtures/content/articles").glob("*.md")}
    for slug, record in records.items():
        seed_name = re.search(r"^seed: (.+)$", record, re.M).group(1).strip()
        strip = set(re.findall(r"^  - (.+)$", record, re.M)) | set(re.findall(r"strip: \[\"?(.+?)\"?\]", record))
        path = REPO / "seeds" / seed_name
        seed = read_seed(decode_text(path.read_bytes(), SourceRef(seed_name)), SourceRef(seed_name), tuple(strip))
        # Note numbers, the notes and the links to the figures ledger are ours, not the original's.
        page = read_page(fixture_site / f"articles/{slug}/index.html", frozenset({"noteref", "note", "figure-ref"})).plain
        for block in seed.blocks:
            for sentence in re.split(r"(?<=[.!?])\s+", block.text):
                assert " ".join(sentence.split()) in page, (slug, sentence)


def test_seed_without_markdown_syntax_is_shown_and_stripped_lines_are_not(fixture_site: Path) -> None:
    page = read_page(fixture_site / "articles/touts/index.html").plain
    assert "Got photos?" not in page
    assert page.count("White House Touts Zero Illegal Immigrants Released in Past 9 Months") == 2  # <title> and <h1>


def test_claim_page_status_in_words_and_appearances_in_date_order(fixture_site: Path) -> None:
    html = (fixture_site / "claims/zero-releases/index.html").read_text(encoding="utf-8")
    assert "Disputed" in read_page(fixture_site / "claims/zero-releases/index.html").plain
    main_part = html[html.index("<main"):]
    dated = main_part.index("/articles/securing/#hl-crossing")  # 24 February
    earlier = main_part.index("/articles/touts/#hl-zero")  # 6 February
    assert earlier < dated
    [data] = [json.loads(text) for attrs, text in read_page(fixture_site / "claims/zero-releases/index.html").scripts
              if attrs.get("type") == "application/ld+json"]
    assert data["@type"] == "ClaimReview" and data["reviewRating"]["alternateName"] == "Disputed"
    assert data["itemReviewed"]["author"][0]["name"] == "Karoline Leavitt"


def test_cross_links_go_both_ways(fixture_site: Path) -> None:
    speaker = read_page(fixture_site / "speakers/leavitt/index.html")
    assert f"{BASE_PATH}articles/touts/#hl-zero" in speaker.links
    assert f"{BASE_PATH}claims/zero-releases/" in speaker.links
    topic = read_page(fixture_site / "topics/releases/index.html")
    assert f"{BASE_PATH}articles/touts/" in topic.links
    article = read_page(fixture_site / "articles/touts/index.html")
    assert {f"{BASE_PATH}speakers/leavitt/", f"{BASE_PATH}claims/zero-releases/", f"{BASE_PATH}topics/releases/"} <= set(article.links)
    outlet = read_page(fixture_site / "outlets/washington-examiner/index.html")
    assert f"{BASE_PATH}articles/examiner/" in outlet.links


def test_undated_article_says_date_not_stated(fixture_site: Path) -> None:
    assert "date not stated" in read_page(fixture_site / "articles/says/index.html").plain


def test_builds_are_byte_identical(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p")
    build(Project(root), tmp_path / "one")
    build(Project(root), tmp_path / "two")
    compared = filecmp.dircmp(tmp_path / "one", tmp_path / "two")
    assert compared.left_only == compared.right_only == compared.diff_files == []
    for path in (tmp_path / "one").rglob("*"):
        if path.is_file():
            assert path.read_bytes() == (tmp_path / "two" / path.relative_to(tmp_path / "one")).read_bytes(), path


def test_cli_summary_exit_codes_and_failed_build_leaves_site_untouched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_project(tmp_path / "p", MINIMAL)
    assert main(["--root", str(root)]) == 0
    assert re.search(r"built \d+ pages \(\d+ files\) in \d+\.\d+ s", capsys.readouterr().err)
    before = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    (root / "content/annotations/story/zero.md").write_text("---\nquote: [unclosed\n---\n", encoding="utf-8")
    assert main(["--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "content/annotations/story/zero.md:2" in err and "Traceback" not in err
    after = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    assert after == before
    assert main(["--root", str(root), "--no-such-option"]) == 2


def test_base_url_with_sub_path_is_followed_everywhere(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", MINIMAL)
    build(Project(root), tmp_path / "out", base_url="https://news.example.com/a/b")
    for page in html_pages(tmp_path / "out"):
        for href in read_page(page).links:
            assert href.startswith(("/a/b/", "#", "https://")), (page, href)
    assert "https://news.example.com/a/b/articles/story/" in (tmp_path / "out/feed.xml").read_text(encoding="utf-8")
