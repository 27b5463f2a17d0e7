"""The search index in bundles: which pages go where, what Pagefind is given, and what an edit indexes again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from marginalia.output import search
from marginalia.output.search import MAIN, bundles_of, search_input
from marginalia.pipeline import Project, build

from .conftest import fixture_project
from .test_incremental import annotation_dir, clean_build, tree

needs_pagefind = pytest.mark.skipif(not search.pagefind_available(), reason="Pagefind is not installed")


def article_pages(count: int) -> list[str]:
    return [f"articles/story-{n}/index.html" for n in range(count)]


def test_only_searched_pages_are_in_bundles_and_the_main_one_comes_first() -> None:
    names = [*article_pages(3), "speakers/ana/index.html", "claims/c/index.html", "figures/f/index.html",
             "topics/t/index.html", "outlets/o/index.html", "speakers/index.html", "index.html",
             "speakers/ana/page/2/index.html", "articles/story-0/annotations.jsonld", "search/index.html"]
    bundles = bundles_of(names)
    assert list(bundles)[0] == MAIN
    assert bundles[MAIN] == ("claims/c/index.html", "figures/f/index.html", "speakers/ana/index.html", "topics/t/index.html")
    assert sorted(page for name, pages in bundles.items() if name != MAIN for page in pages) == article_pages(3)


def test_articles_spread_over_a_power_of_two_of_bundles_that_keep_their_pages_as_articles_are_added() -> None:
    many = article_pages(10 * search.ARTICLES_PER_BUNDLE)
    bundles = bundles_of(many)
    assert len(bundles) == 16 and MAIN not in bundles  # 10 bundles' worth, rounded up to a power of two
    assert max(len(pages) for pages in bundles.values()) < 3 * search.ARTICLES_PER_BUNDLE  # a stable hash spreads them
    more = bundles_of([*many, "articles/one-more/index.html"])
    changed = [name for name in more if more[name] != bundles.get(name)]
    assert len(changed) == 1 and "articles/one-more/index.html" in more[changed[0]]


def test_pagefind_is_given_a_page_without_what_it_ignores() -> None:
    page = b"""<!DOCTYPE html><html lang="en"><head><title>T</title></head><body><article data-pagefind-body>
    <h1>Ana Ruiz</h1><p>Speaker <a data-pagefind-ignore href="/x">#</a> of record.</p>
    <section data-pagefind-ignore><h2>Passages</h2><p>a long quoted passage</p></section>
    <div data-pagefind-ignore><span data-pagefind-meta="kept">meta</span></div>
    <div data-pagefind-ignore="all"><span data-pagefind-meta="dropped">meta</span></div></article></body></html>"""
    cut = search_input(page).decode("utf-8")
    assert "a long quoted passage" not in cut and "dropped" not in cut
    assert "Speaker  of record." in cut and 'data-pagefind-meta="kept"' in cut and "data-pagefind-body" in cut
    assert cut.startswith("<!DOCTYPE html>") and search_input(cut.encode("utf-8")) == cut.encode("utf-8")


def bundle_stamps(site: Path) -> dict[str, set[tuple[str, int]]]:
    """Each bundle's files with their inodes: a bundle indexed again gets new files."""
    index = site / "pagefind"
    return {folder.name: {(p.relative_to(folder).as_posix(), p.stat().st_ino) for p in folder.rglob("*") if p.is_file()}
            for folder in index.iterdir() if folder.is_dir()}


@needs_pagefind
def test_an_edited_note_indexes_again_only_its_article_bundle(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "project")
    build(Project(root), root / "site")
    manifest = json.loads((root / "site" / "pagefind" / "bundles.json").read_text(encoding="utf-8"))
    assert manifest["primary"] == MAIN and manifest["merge"]
    before = bundle_stamps(root / "site")
    note = sorted(annotation_dir(root).glob("*.md"))[0]
    note.write_text(note.read_text(encoding="utf-8") + "\nA sentence only this edit adds.\n", encoding="utf-8")
    result = build(Project(root), root / "site")  # its speaker's, topics' and claims' pages change, in ignored lists
    after = bundle_stamps(root / "site")
    assert result.rendered > 1 and after[MAIN] == before[MAIN]
    assert [name for name in after if after[name] != before[name]] == manifest["merge"][:1]
    assert tree(root / "site") == clean_build(root, tmp_path / "clean")


@needs_pagefind
def test_a_speaker_biography_edited_indexes_the_main_bundle_again(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "project")
    build(Project(root), root / "site")
    before = bundle_stamps(root / "site")
    speaker = sorted((root / "content" / "speakers").glob("*.md"))[0]
    speaker.write_text(speaker.read_text(encoding="utf-8") + "\nQuarterbackish biography words.\n", encoding="utf-8")
    build(Project(root), root / "site")
    after = bundle_stamps(root / "site")
    assert after[MAIN] != before[MAIN]
    assert all(after[name] == before[name] for name in after if name != MAIN)
    assert tree(root / "site") == clean_build(root, tmp_path / "clean")
