"""The claim tracker (matrix), claim timelines and corrections, on the fixture site and the real digest."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest

from marginalia.render import matrix

from marginalia.render import timeline
from marginalia.link.corrections import unexplained_status_changes
from marginalia.pipeline import Project, build, check
from marginalia.render.urls import Urls
from tests.conftest import MINIMAL, REPO, write_project
from tests.htmlread import read_page


class MatrixParser(HTMLParser):
    """The cells of every `table[data-matrix=claims]`: {claim: {article: (kinds, first link)}}, and the header cells."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: dict[str, dict[str, tuple[str, str]]] = {}
        self.row_claims: list[str] = []
        self.headers: list[str] = []  # the scope of every th
        self.tables = 0
        self.claim = ""
        self.cell: tuple[str, str] | None = None
        self.link = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "table" and a.get("data-matrix") == "claims":
            self.tables += 1
        elif tag == "tr" and "data-claim" in a:
            self.claim = a["data-claim"]
            self.row_claims.append(self.claim)
            self.cells.setdefault(self.claim, {})
        elif tag == "th":
            self.headers.append(a.get("scope", ""))
        elif tag == "td" and "data-article" in a:
            self.cell = (a["data-article"], a.get("data-kinds", ""))
            self.link = ""
        elif tag == "a" and self.cell is not None and not self.link:
            self.link = a.get("href", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self.cell is not None:
            self.cells[self.claim][self.cell[0]] = (self.cell[1], self.link)
            self.cell = None


def parse_matrix(path: Path) -> MatrixParser:
    """The matrix of one page."""
    parser = MatrixParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def real_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the real digest (seeds, content, settings), built once without search."""
    root = tmp_path_factory.mktemp("real")
    for name in ("seeds", "content"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "site.toml", root / "site.toml")
    build(Project(root), root / "site", search=False)
    return root


def expected_cells(root: Path) -> dict[str, dict[str, tuple[str, str]]]:
    """From the notes: for each claim, each article carrying it → (kinds in reading order, first highlight)."""
    checked = check(Project(root))
    library, path = checked.library, Urls(checked.config.base_url).base_path
    found: dict[str, dict[str, tuple[str, str]]] = {slug: {} for slug in library.claims}
    for slug, placed in library.by_claim.items():
        for article in {p.annotation.article for p in placed}:
            mine = sorted((p for p in placed if p.annotation.article == article), key=lambda p: p.number)
            kinds = " ".join(dict.fromkeys(p.annotation.kind for p in mine))
            found[slug][article] = (kinds, f"{path}articles/{article}/#hl-{mine[0].annotation.id}")
    return found


@pytest.mark.parametrize("which", ["fixture", "real"])
def test_matrix_cells_match_the_notes(which: str, fixture_site: Path, real_project: Path) -> None:
    """Every claim has a row; a cell exactly where an article's note carries the claim, with its kinds and first highlight."""
    root = fixture_site.parent if which == "fixture" else real_project
    parsed = parse_matrix(root / "site" / "claims" / "index.html")
    assert parsed.tables == 1
    assert parsed.cells == expected_cells(root)
    # One row header per claim, one column header per article, outlet groups over them.
    library = check(Project(root)).library
    assert parsed.headers.count("row") == len(library.claims)
    assert parsed.headers.count("col") == len(library.articles) + 1  # and the claims column's own header
    assert parsed.headers.count("colgroup") >= 1


def test_matrix_rows_most_contested_first(real_project: Path) -> None:
    """Rows follow the status order (disputed before misleading … before supported), then notes against them."""
    library = check(Project(real_project)).library
    rows = parse_matrix(real_project / "site" / "claims" / "index.html").row_claims
    ranks = [matrix.STATUS_ORDER.index(library.claims[slug].status) for slug in rows]
    assert ranks == sorted(ranks)
    assert rows == sorted(library.claims, key=lambda slug: matrix.contested_key(library, slug))
    against = [matrix.contested_key(library, slug)[1] for slug in rows]
    for first, second, a, b in zip(rows, rows[1:], against, against[1:]):
        if library.claims[first].status == library.claims[second].status:
            assert a <= b  # negated counts: more notes against first


def test_claim_page_has_its_row_and_outlet_page_its_column(fixture_site: Path) -> None:
    """The claim page's matrix is that claim's row only; an outlet page's columns are its articles only."""
    whole = parse_matrix(fixture_site / "claims" / "index.html").cells
    row = parse_matrix(fixture_site / "claims" / "zero-releases" / "index.html")
    assert row.row_claims == ["zero-releases"] and row.cells["zero-releases"] == whole["zero-releases"]
    library = check(Project(fixture_site.parent)).library
    for outlet in library.outlets.values():
        column = parse_matrix(fixture_site / "outlets" / outlet.slug / "index.html")
        for claim, cells in column.cells.items():
            assert cells == {a: c for a, c in whole[claim].items() if a in outlet.articles}
        carried = {c for c, cells in whole.items() if set(cells) & set(outlet.articles)}
        assert set(column.row_claims) == carried


def test_matrix_cells_say_in_words_how_the_notes_treat_the_claim(fixture_site: Path) -> None:
    """Each kind is named in words in its cell, and the table scrolls in a focusable labelled region."""
    html = (fixture_site / "claims" / "index.html").read_text(encoding="utf-8")
    assert 'class="matrix-scroll" role="region"' in html and 'tabindex="0"' in html
    page = read_page(fixture_site / "claims" / "index.html").plain
    for kind in parse_matrix(fixture_site / "claims" / "index.html").cells["zero-releases"].values():
        words = matrix.treatment(tuple(kind[0].split()))
        assert words[:1].upper() + words[1:] in page


def test_treatment_words() -> None:
    assert matrix.treatment(("dispute", "context")) == "disputed, context given"
    assert matrix.treatment(("support",)) == "supported"


class SvgParser(HTMLParser):
    """The timeline's svg attributes, its title, and the dated list items' datetime values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.svg: dict[str, str] = {}
        self.title = ""
        self.in_title = False
        self.in_list = False
        self.dates: list[str] = []
        self.circles = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "svg":
            self.svg = a
        self.in_title = tag == "title" and bool(self.svg)
        self.circles += tag == "circle"
        if tag == "ol" and "timeline-list" in a.get("class", ""):
            self.in_list = True
        if tag == "time" and self.in_list:
            self.dates.append(a["datetime"])

    def handle_endtag(self, tag: str) -> None:
        self.in_title = False if tag == "title" else self.in_title
        self.in_list = False if tag == "ol" else self.in_list

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data


def test_timeline_svg_has_its_text_alternative(fixture_site: Path) -> None:
    """An inline svg role=img named by its title, and the same dated appearances as a list; undated ones apart."""
    library = check(Project(fixture_site.parent)).library
    found = timeline.appearances(library, "zero-releases")
    parsed = SvgParser()
    parsed.feed((fixture_site / "claims" / "zero-releases" / "index.html").read_text(encoding="utf-8"))
    assert parsed.svg.get("role") == "img" and parsed.svg.get("aria-labelledby") == "timeline-title"
    assert "dated appearance" in parsed.title
    assert parsed.dates == [a.date.isoformat() for a in found if a.date]
    assert "2026-02-05" in parsed.dates  # the note's `stated` date, as well as the articles' dates
    assert parsed.circles == len({a.date for a in found if a.date})
    plain = read_page(fixture_site / "claims" / "zero-releases" / "index.html").plain
    assert plain.count("Undated:") == len([a for a in found if a.date is None])


def test_undated_appearances_are_never_placed() -> None:
    """Points come only from dates; one date is centred; labels that would collide move down a row."""
    day = dt.date(2026, 2, 6)
    appearances = [timeline.Appearance(None, "published", "a", None), timeline.Appearance(day, "published", "b", None)]  # type: ignore[arg-type]
    assert [p.date for p in timeline.points(appearances)] == [day]
    assert timeline.points(appearances)[0].x == timeline.WIDTH // 2
    close = [timeline.Appearance(day + dt.timedelta(days=n), "published", "a", None) for n in (0, 1, 100)]  # type: ignore[arg-type]
    drawn = timeline.points(close)
    assert drawn[0].label_y != drawn[1].label_y and drawn[2].label_y == drawn[0].label_y


def test_corrections_show_where_they_apply_in_the_list_and_the_feed(fixture_site: Path) -> None:
    """The note's and the claim's corrections on their pages, on /corrections/ newest first, and in an Atom feed."""
    claim = read_page(fixture_site / "claims" / "zero-releases" / "index.html")
    assert "Corrected on 26 February 2026: Fixture: the status was corrected" in claim.plain
    article = read_page(fixture_site / "articles" / "touts" / "index.html")
    assert "Corrected on 27 February 2026: Fixture: the source’s title was corrected." in article.plain.replace("'", "’")
    listing = read_page(fixture_site / "corrections" / "index.html").plain
    assert listing.index("27 February 2026") < listing.index("26 February 2026")
    parsed = feedparser.parse((fixture_site / "corrections" / "feed.xml").read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert [e.published[:10] for e in parsed.entries] == ["2026-02-27", "2026-02-26"]
    for entry in parsed.entries:  # each entry's address is the correction, on its page
        path, fragment = entry.link.removeprefix("https://example.org/digest/").split("#")
        assert fragment in read_page(fixture_site / path / "index.html").ids, entry.link


def test_claim_review_date_published_is_the_review_date(fixture_site: Path) -> None:
    page = read_page(fixture_site / "claims" / "zero-releases" / "index.html")
    data = [json.loads(text) for attrs, text in page.scripts if attrs.get("type") == "application/ld+json"][0]
    assert data["datePublished"] == "2026-02-25"
    assert "Status last reviewed 25 February 2026" in page.plain


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=root, check=True,
                   capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_status_change_without_a_correction_warns(tmp_path: Path) -> None:
    """Against git HEAD: a changed status warns at its line until a correction entry is added; outside git, silence."""
    root = write_project(tmp_path / "repo", MINIMAL)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "start")
    path = root / "content/claims/zero.md"
    path.write_text(path.read_text(encoding="utf-8").replace("status: disputed", "status: misleading"), encoding="utf-8")
    claims = list(check(Project(root)).library.claims.values())
    found = unexplained_status_changes(root, claims)
    assert [(d.ref.path, d.ref.line) for d in found] == [("content/claims/zero.md", 3)]
    assert "`disputed`" in found[0].message and "`misleading`" in found[0].message
    path.write_text(path.read_text(encoding="utf-8").replace(
        "speakers: [leavitt]", "speakers: [leavitt]\ncorrections:\n  - date: 2026-02-26\n    note: Reassessed.", 1), encoding="utf-8")
    assert unexplained_status_changes(root, list(check(Project(root)).library.claims.values())) == []
    outside = write_project(tmp_path / "plain", MINIMAL)
    assert unexplained_status_changes(outside, list(check(Project(outside)).library.claims.values())) == []


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_hostile_head_version_is_neither_read_whole_nor_echoed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A claim blob in HEAD over the size limit is skipped (never read into memory), and a HEAD status that is not
    a status (markup, a bidi override, a paragraph) is not compared, so it never reaches the terminal."""
    from marginalia.link import corrections

    root = write_project(tmp_path / "repo with spaces", MINIMAL)
    path = root / "content/claims/zero.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("status: disputed", 'status: "dis\u202eputed <b>' + "y" * 3000 + '"'), encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "hostile status")
    path.write_text(text, encoding="utf-8")
    claims = list(check(Project(root)).library.claims.values())
    assert unexplained_status_changes(root, claims) == []
    path.write_text(text + "x" * 2000, encoding="utf-8")
    git(root, "commit", "-qam", "big")
    path.write_text(text.replace("status: disputed", "status: misleading"), encoding="utf-8")
    claims = list(check(Project(root)).library.claims.values())
    assert len(unexplained_status_changes(root, claims)) == 1  # under the limit: compared
    monkeypatch.setattr(corrections, "MAX_HEAD_BYTES", 1000)
    assert corrections.head_versions(root, ["content/claims/zero.md"]) == {}
    assert unexplained_status_changes(root, claims) == []


def test_bad_corrections_are_errors_with_file_and_line(tmp_path: Path) -> None:
    from marginalia.diagnostics import ContentError

    files = dict(MINIMAL)
    files["content/claims/zero.md"] = files["content/claims/zero.md"].replace(
        "speakers: [leavitt]", "speakers: [leavitt]\nreviewed: soon\ncorrections:\n  - date: 2026-02-26\n    text: oops", 1)
    root = write_project(tmp_path / "p", files)
    with pytest.raises(ContentError) as caught:
        check(Project(root))
    found = {(d.ref.path, d.ref.line, d.message.split(" ")[0]) for d in caught.value.diagnostics}
    assert ("content/claims/zero.md", 5, "`reviewed`") in found
    assert any(d.ref.line == 8 and "unknown key `text`" in d.message for d in caught.value.diagnostics)
