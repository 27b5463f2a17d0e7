"""The figures ledger, `figure:` on annotations, `new figure`, and `check --coverage`."""

from __future__ import annotations

import io
import re
from contextlib import redirect_stdout
from html.parser import HTMLParser
from pathlib import Path

import pytest

from marginalia.link import figures
from marginalia.commands.cli import main
from marginalia.commands.coverage import coverage_notices
from marginalia.diagnostics import ContentError, Level
from marginalia.pipeline import Project, check
from marginalia.content.records import Figure, Lines
from marginalia.diagnostics import SourceRef
from marginalia.commands.scaffold import write_new
from tests.conftest import MINIMAL, write_project
from tests.htmlread import read_page
from tests.test_tracker import real_project  # noqa: F401 - the shared fixture

FIGURE_ID = re.compile(r"^fig-(?P<figure>[a-z0-9-]+)-(?P<n>\d+)$")


def figure(value: str, *matches: str) -> Figure:
    return Figure("f", value, "what it counts", matches, (), (), "", Lines(SourceRef("content/figures/f.md")))


def test_figures_are_found_as_whole_words_white_space_and_case_ignored() -> None:
    pattern = figures.figure_pattern(figure("400,000", "nine  months", "99.9%"))
    text = "more than 400,000 of whom; not 1,400,000 nor 400,0001; Nine\n months; 99.9% and 199.9%."
    assert [text[s:e] for s, e in figures.find_spans(text, pattern)] == ["400,000", "Nine\n months", "99.9%"]


def test_the_qualifier_before_a_figure_names_its_version() -> None:
    assert figures.version_of("a document said roughly ", "400,000") == "roughly 400,000"
    assert figures.version_of("of whom more than\n", "400,000") == "more than 400,000"
    assert figures.version_of("exactly ", "400,000") == "400,000"


class PassageParser(HTMLParser):
    """Every `data-figure-passage` link of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "data-figure-passage" in a:
            self.links.append(a.get("href", ""))


class IdText(HTMLParser):
    """The text inside the element with a given id."""

    def __init__(self, wanted: str) -> None:
        super().__init__(convert_charrefs=True)
        self.wanted, self.depth, self.text = wanted, 0, ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            self.depth += 1
        elif dict(attrs).get("id") == self.wanted:
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        self.depth = max(self.depth - 1, 0)

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text += data


def text_of(page: Path, element_id: str) -> str:
    parser = IdText(element_id)
    parser.feed(page.read_text(encoding="utf-8"))
    return " ".join(parser.text.split())


@pytest.mark.parametrize("which", ["fixture", "real"])
def test_every_figure_passage_link_lands_on_the_passage(which: str, fixture_site: Path, real_project: Path) -> None:  # noqa: F811
    """Each passage links into its article: to the figure's own words there, or to the note that covers them."""
    root = fixture_site.parent if which == "fixture" else real_project
    library = check(Project(root)).library
    site = root / "site"
    prefix = "/digest/" if which == "fixture" else "/"
    assert library.figures
    for slug, record in library.figures.items():
        parser = PassageParser()
        parser.feed((site / "figures" / slug / "index.html").read_text(encoding="utf-8"))
        assert parser.links, slug
        spellings = {" ".join(s.split()).lower() for s in (record.value, *record.matches)}
        for href in parser.links:
            path, fragment = href.removeprefix(prefix).split("#")
            page = site / path / "index.html"
            assert fragment in read_page(page).ids, href
            if FIGURE_ID.match(fragment):
                assert text_of(page, fragment).lower() in spellings, href


def test_the_figure_in_the_text_links_to_the_ledger_and_keeps_the_seed_words(real_project: Path) -> None:  # noqa: F811
    page = real_project / "site" / "articles" / "white-house-securing-our-homeland" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert 'id="fig-400000-1"' in html and 'href="/figures/400000/"' in html
    words = read_page(page, frozenset({"figure-ref", "noteref"})).plain
    assert "more than 400,000 of whom were illegal aliens charged with or convicted of crimes" in words


def test_versions_stand_side_by_side_and_the_index_is_most_cited_first(real_project: Path) -> None:  # noqa: F811
    site = real_project / "site"
    plain = read_page(site / "figures" / "400000" / "index.html").plain
    for version in ("“more than 400,000”", "“roughly 400,000”", "“nearly 400,000”"):
        assert version in plain
    index = read_page(site / "figures" / "index.html").plain
    counts = [int(n) for n in re.findall(r"(\d+) passages? in", index)]
    assert counts == sorted(counts, reverse=True) and len(counts) == len(list((real_project / "content" / "figures").glob("*.md")))


def test_who_states_a_figure_comes_from_the_note_or_a_nearby_attribution(real_project: Path) -> None:  # noqa: F811
    plain = read_page(real_project / "site" / "figures" / "nine-months" / "index.html").plain
    assert "Said by Donald Trump" in plain  # the note over “In the past nine months…” names him
    assert "Named nearby in the text: Rodney Scott" in plain  # “a statement from its commissioner, Rodney Scott, that stated…”


def test_an_unknown_figure_in_an_annotation_is_an_error(tmp_path: Path) -> None:
    files = dict(MINIMAL)
    files["content/figures/zero-count.md"] = "---\nvalue: zero\ncounts: Releases, as the statement counts them.\n---\n"
    files["content/annotations/story/zero.md"] = files["content/annotations/story/zero.md"].replace(
        "claim: zero\n", "claim: zero\nfigure: [zero-count, zero-cont]\n", 1)
    root = write_project(tmp_path / "p", files)
    with pytest.raises(ContentError) as caught:
        check(Project(root))
    [problem] = caught.value.diagnostics
    assert (problem.ref.path, problem.ref.line) == ("content/annotations/story/zero.md", 6)
    assert "unknown figure `zero-cont`" in problem.message and "zero-count" in problem.hint


def test_new_figure_scaffold_lists_every_field(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", MINIMAL)
    path = write_new(root, "figure", "zero-count")
    text = path.read_text(encoding="utf-8")
    assert path == root / "content/figures/zero-count.md"
    assert 'value: ""' in text and 'counts: ""' in text and "# matches:" in text and "# claims:" in text
    with pytest.raises(ContentError):  # the required fields are empty until filled in
        check(Project(root))


QUOTED = MINIMAL | {"seeds/story.txt": MINIMAL["seeds/story.txt"] + "\nLater, Leavitt said “nobody got in at all” and left.\n"}


def test_coverage_finds_an_unannotated_quotation_with_its_speaker(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", QUOTED)
    notices = coverage_notices(check(Project(root)).library)
    quotes = [n for n in notices if "quotation" in n.message]
    assert len(quotes) == 1 and "“nobody got in at all”" in quotes[0].message
    assert "`speaker: leavitt`" in quotes[0].message  # "Leavitt said": the speaker's surname
    assert quotes[0].ref.path == "seeds/story.txt" and quotes[0].ref.line == 9
    assert "content/articles/story.md" in quotes[0].message
    assert all(n.level is Level.NOTICE for n in notices)
    assert any("fewer than 3" in n.message and n.ref.path == "content/articles/story.md" for n in notices)
    # Annotated, it is covered.
    (root / "content/annotations/story/nobody.md").write_text(
        "---\nquote: “nobody got in at all”\nkind: context\nspeaker: leavitt\n---\nA note.\n", encoding="utf-8")
    assert not [n for n in coverage_notices(check(Project(root)).library) if "quotation" in n.message]


def test_coverage_lists_figures_without_records_and_claims_nobody_assessed(tmp_path: Path) -> None:
    files = QUOTED | {"seeds/story.txt": QUOTED["seeds/story.txt"] + "\nSome 12,500 people, or 4%, on February 6, 2026.\n",
                      "content/claims/lonely.md": "---\nstatement: A claim no note names.\nstatus: unverified\n---\n"}
    root = write_project(tmp_path / "p", files)
    messages = [n.message for n in coverage_notices(check(Project(root)).library)]
    assert any("figure `12,500`" in m for m in messages) and any("figure `4%`" in m for m in messages)
    assert not any("figure `6`" in m or "figure `2026`" in m for m in messages)  # dates are not figures
    assert any("claim `lonely`" in m for m in messages) and not any("claim `zero`" in m for m in messages)
    (root / "content/figures").mkdir()
    (root / "content/figures/f.md").write_text("---\nvalue: \"12,500\"\ncounts: People.\n---\n", encoding="utf-8")
    assert not any("figure `12,500`" in n.message for n in coverage_notices(check(Project(root)).library))


def test_check_coverage_prints_github_notices_and_never_fails(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", QUOTED)
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["check", "--coverage", "--strict", "--format", "github", "--root", str(root)])
    assert code == 0
    lines = [line for line in out.getvalue().splitlines() if line.startswith("::")]
    assert lines and all(line.startswith("::notice file=") for line in lines)
    assert any(line.startswith("::notice file=seeds/story.txt,line=9::quotation not annotated") for line in lines)
    plain = io.StringIO()
    with redirect_stdout(plain):
        assert main(["check", "--format", "github", "--root", str(root)]) == 0
    assert "::notice" not in plain.getvalue()  # only with --coverage


def test_coverage_does_not_count_names_with_numbers_as_figures() -> None:
    """"MS-13" is a gang's name, not a figure; "13 people" and "56%" are figures."""
    from marginalia.commands.coverage import NUMBER_RE

    found = [m.group() for m in NUMBER_RE.finditer("members of MS-13 and Tren de Aragua, 13 people, 56% fewer")]
    assert found == ["13", "56%"]


@pytest.mark.slow
def test_a_figure_stated_thousands_of_times_builds_and_checks_in_time(tmp_path: Path) -> None:
    """A hostile seed stating one figure 20,000 times: scanning every mark per piece (and every span per number in
    `check --coverage`) was quadratic and ran past a minute; now both finish, and every statement is marked."""
    import resource
    import subprocess
    import sys

    from tests.conftest import REPO, SEED

    files = {**MINIMAL, "seeds/story.txt": SEED + "\n" + "1 2 " * 20_000 + "\n",
             "content/figures/one.md": '---\nvalue: "1"\ncounts: A hostile count.\n---\nBody.\n'}
    root = write_project(tmp_path / "project", files)
    code = "import sys; from marginalia.commands.cli import main; sys.exit(main(sys.argv[1:]))"
    said = []
    for args in (["check", "--coverage"], ["build", "--no-search"]):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        run = subprocess.run([sys.executable, "-c", code, *args, "--root", str(root)], cwd=REPO, capture_output=True,
                             text=True, timeout=300)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        assert run.returncode == 0, run.stdout + run.stderr
        # Processor time, not wall time, which a busy machine stretches: the quadratic code took over 25 s here.
        assert after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime < 20, args
        said.append(run.stdout + run.stderr)
    assert "figure `2` in content/articles/story.md has no figure record (20000 times)" in said[0]
    assert "figure `1`" not in said[0]  # every `1` is the record's
    page = (root / "site" / "articles" / "story" / "index.html").read_text(encoding="utf-8")
    assert page.count('class="figure-mention"') == 20_000
    assert page.count('id="fig-one-') == 20_000


def test_sweep_and_covered_spans_agree_with_a_full_scan() -> None:
    """The sweep helpers give what scanning every item gives, with overlapping and nested spans."""
    import random
    from types import SimpleNamespace

    from marginalia.commands.coverage import CoveredSpans
    from marginalia.link.figures import Occurrence
    from marginalia.render.markup import Sweep

    pick = random.Random(12)
    spans = sorted(((s, s + pick.randint(1, 9)) for s in (pick.randint(0, 60) for _ in range(40))), key=lambda t: (t[0], -t[1]))
    covered = CoveredSpans([Occurrence("f", "a", 0, s, e, 1) for s, e in spans])
    assert [covered.covers(0, p) for p in range(75)] == [any(s <= p < e for s, e in spans) for p in range(75)]
    assert not covered.covers(1, 3)
    items = [SimpleNamespace(start=s, end=e) for s, e in spans]
    sweep = Sweep(items)
    points = sorted({p for s, e in spans for p in (s, e)})
    for left, right in zip(points, points[1:]):
        assert sweep.at(left) == [i for i in items if i.start <= left and right <= i.end]


def test_a_name_matched_only_by_case_folding_is_no_attribution() -> None:
    """"Yildiz said" matches the speaker "Ali Yıldız" only under case folding: no speaker, and no KeyError."""
    from marginalia.content.records import Speaker
    from marginalia.link.attribution import speaker_names

    lines = Lines.__new__(Lines)
    names = speaker_names([Speaker("ali-yildiz", "Ali Yıldız", None, None, (), "person", "", lines)])
    text = "Yildiz said about 1,100 had been released."
    assert names.nearest(text, text.index("1,100"), text.index("1,100") + 5) is None
    said = "Yıldız said about 1,100 had been released."
    assert names.nearest(said, said.index("1,100"), said.index("1,100") + 5) == "ali-yildiz"
