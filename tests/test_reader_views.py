"""Notes readable at a glance (#13 §2): the folded note's first line, folding only long notes, the claim summary,
outlet pages, the front page's title once, one search box, the favicon."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import Markup

from marginalia.pipeline import Project, build
from marginalia.content.records import Source
from marginalia.render.views import FOLD_CHARS, note_is_cut, short_text, unique_sources
from tests.conftest import MINIMAL, write_project

LONG_BODY = "The figure counts only one agency's releases, and the article gives no source for it. " * 4
LONG_NOTE = ("---\nquote: Noem agreed.\nkind: context\nspeaker: leavitt\n---\n" + LONG_BODY + "\n")
VOID = {"br", "img", "input", "link", "meta", "hr", "wbr", "source"}


class Elements(HTMLParser):
    """The text and attributes of every element with a given class (nested ones included)."""

    def __init__(self, cls: str) -> None:
        super().__init__(convert_charrefs=True)
        self.cls = cls
        self.found: list[tuple[dict[str, str], list[str]]] = []
        self.open: list[tuple[int, list[str]]] = []  # (depth where it opened, its text parts)
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in VOID:
            return
        self.depth += 1
        if self.cls in a.get("class", "").split():
            parts: list[str] = []
            self.found.append((a, parts))
            self.open.append((self.depth, parts))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self.open and self.open[-1][0] == self.depth:
            self.open.pop()
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        for _, parts in self.open:
            parts.append(data)


def elements(html: str, cls: str) -> list[tuple[dict[str, str], str]]:
    """(attributes, visible text with white space folded) of each element of class `cls`."""
    parser = Elements(cls)
    parser.feed(html)
    return [(attrs, " ".join("".join(parts).split())) for attrs, parts in parser.found]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal project, with one long note beside its short one."""
    root = write_project(tmp_path_factory.mktemp("reader") / "p",
                         {**MINIMAL, "content/annotations/story/long.md": LONG_NOTE})
    build(Project(root), root / "site")
    return root / "site"


def page(site: Path, relative: str) -> str:
    return (site / relative / "index.html").read_text(encoding="utf-8")


def test_short_text_cuts_at_a_word_with_an_ellipsis() -> None:
    assert short_text("Zero releases.", 48) == "Zero releases."
    cut = short_text("No illegal immigrants who crossed the border have been released into the interior.", 40)
    assert cut == "No illegal immigrants who crossed the…"
    assert len(cut) <= 41 and "No illegal immigrants who crossed the border".startswith(cut.removesuffix("…"))


def test_a_note_is_cut_only_when_its_text_is_longer_than_the_fold() -> None:
    assert not note_is_cut(Markup("<p>" + "x" * FOLD_CHARS + "</p>"), (), [])
    assert note_is_cut(Markup("<p>" + "x" * (FOLD_CHARS + 1) + "</p>"), (), [])
    # Markup is not counted, entities count as one character; sources and topics are text the fold hides too.
    assert not note_is_cut(Markup("<p><a href='https://example.org/a-very-long-address'>" + "&amp;" * FOLD_CHARS + "</a></p>"), (), [])
    assert note_is_cut(Markup("<p>" + "x" * (FOLD_CHARS - 10) + "</p>"), (Source("A source title"),), [])
    # A correction is folded away too: a short note with a long correction has "Read the whole note".
    assert note_is_cut(Markup("<p>Short.</p>"), (), ["The figure was 4,000, not 40,000, as first written here." * 5])


def test_unique_sources_keep_the_first_citation_in_order() -> None:
    a, b = Source("A", "https://example.org/a"), Source("B", None, "story")
    assert unique_sources([a, b, Source("A", "https://example.org/a"), b]) == [a, b]


def test_folded_note_names_speaker_and_claim_with_its_status(site: Path) -> None:
    html = page(site, "articles/story")
    [(_, gist)] = [e for e in elements(html, "note-gist") if "claim:" in e[1]]
    assert gist == "Karoline Leavitt · claim: Nobody was released. — Disputed"
    notes = {attrs["id"]: text for attrs, text in elements(html, "note")}
    assert notes["note-long"].startswith("2 Context Karoline Leavitt The figure counts")


def test_read_the_whole_note_only_on_a_note_that_is_cut(site: Path) -> None:
    html = page(site, "articles/story")
    notes = {attrs["id"]: (attrs["class"].split(), text) for attrs, text in elements(html, "note")}
    short_classes, short_text_ = notes["note-zero"]
    long_classes, long_text = notes["note-long"]
    assert "is-cut" not in short_classes and "Read the whole note" not in short_text_
    assert "is-cut" in long_classes and long_text.endswith("Read the whole note 2")


def test_claim_page_opens_with_a_summary_from_the_data(site: Path) -> None:
    html = page(site, "claims/zero")
    [(_, summary)] = elements(html, "claim-summary")
    assert summary == ("In short Status: Disputed · made or repeated by Karoline Leavitt. "
                       "Disputed in 1 note, citing Another report.")
    assert html.index('class="claim-summary"') < html.index('id="assessment"')
    assert '<a href="https://example.org/report">Another report</a>' in html


def test_claim_summary_counts_support_and_context_and_says_when_nothing_disputes(tmp_path: Path) -> None:
    files = {**MINIMAL,
             "content/annotations/story/zero.md": MINIMAL["content/annotations/story/zero.md"].replace("kind: dispute", "kind: support"),
             "content/annotations/story/noem.md": "---\nquote: Noem agreed.\nkind: context\nclaim: zero\n---\nContext.\n"}
    root = write_project(tmp_path / "p", files)
    build(Project(root), root / "site")
    [(_, summary)] = elements(page(root / "site", "claims/zero"), "claim-summary")
    assert summary.endswith("No note in the digest disputes it. 1 note supports it. 1 note adds context.")


def test_outlet_page_lists_articles_claims_with_status_and_notes_by_kind(site: Path) -> None:
    html = page(site, "outlets/example-times")
    assert [t for _, t in elements(html, "article-title")] == ["A story"]
    assert [t for _, t in elements(html, "claim-item")] == ["Disputed Nobody was released."]
    assert [t for _, t in elements(html, "legend-item")] == ["Context 1", "Dispute 1"]


def test_front_page_shows_title_and_tagline_once(site: Path) -> None:
    html = page(site, "")
    body = html[html.index("<body"):]
    assert body.count("Test digest") == 1
    assert [t for _, t in elements(html, "site-name")] == ["Test digest"]
    assert "<h1 class=\"site-name\">Test digest</h1>" in body
    # Elsewhere the name is a link home, and the page's own heading is the h1.
    assert '<p class="site-name"><a href=' in page(site, "articles/story")


def test_search_page_has_one_search_box_and_every_page_a_favicon(site: Path) -> None:
    assert 'id="site-search"' not in page(site, "search") and 'id="site-search"' in page(site, "articles/story")
    for relative in ("", "search", "articles/story", "claims/zero"):
        assert '<link rel="icon" href="/digest/static/favicon.svg" type="image/svg+xml">' in page(site, relative)
    assert (site / "static" / "favicon.svg").read_bytes().startswith(b"<svg")


def test_article_headline_has_no_id_so_search_does_not_repeat_it(site: Path) -> None:
    html = page(site, "articles/story")
    [h1] = [line for line in html.splitlines() if "<h1" in line]
    assert "id=" not in h1 and 'data-pagefind-meta="title"' in h1
