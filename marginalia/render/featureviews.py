"""View objects for the claim tracker, the figures ledger, claim timelines and corrections.

Each builder takes the page's `Views` (addresses, links, memos) and returns plain frozen objects
for the templates; what is computed lives in matrix.py, figures.py, timeline.py and corrections.py.
Those read the library whole; the builders here note, through `views.reads` (reads.py), the few
fields of each record and note that the result depends on (a matrix: which notes carry each claim,
with their kinds; not their text), so an edit renders again only the pages whose output can change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..link import corrections, figures
from . import matrix, timeline
from ..link.attribution import Names, speaker_names
from ..link.figures import Occurrence, Passage
from ..link.library import ArticleEntry
from .markup import FigureMark
from .views import KIND_LABELS, ClaimLink, Link, NoteView, Views, corrections_of, date_label


@dataclass(frozen=True, slots=True)
class ColumnView:
    """An article's column header."""

    slug: str
    title: str
    href: str
    date_label: str


@dataclass(frozen=True, slots=True)
class CellView:
    """A matrix cell: empty (`kinds` empty), or how the article's passages on the claim are annotated."""

    article: str
    kinds: str  # space-separated, for data-kinds
    words: str  # in words, e.g. "Disputed, context given"
    href: str
    notes: int


@dataclass(frozen=True, slots=True)
class RowView:
    """A claim's row: its link (statement and status) and one cell per column."""

    claim: ClaimLink
    cells: tuple[CellView | None, ...]


@dataclass(frozen=True, slots=True)
class MatrixView:
    """The claim × article table: outlet groups over article columns, and the rows."""

    groups: tuple[tuple[str, str | None, int], ...]  # outlet name, outlet address (or None), columns
    columns: tuple[ColumnView, ...]
    rows: tuple[RowView, ...]


def note_matrix_inputs(views: Views, articles: list[str] | None, claims: list[str] | None) -> None:
    """What a matrix shows: its columns' articles (title, date, outlet) in the library's order, the outlets, and
    which notes carry each claim with their article and kind (rows' order and cells; the shown rows' status is
    noted by their links)."""
    reads = views.reads
    for slug in reads.article_slugs() if articles is None else articles:
        reads.article(slug)
    reads.note("@articles:")  # the columns' order inside an outlet
    reads.outlets()
    for claim in reads.slugs("claims") if claims is None else claims:
        reads.note_fields("by_claim", claim, "article", "kind", "id")


def matrix_view(views: Views, articles: list[str] | None = None, claims: list[str] | None = None,
                carried_only: bool = False) -> MatrixView:
    """The matrix over some articles (all by default) and claims (all by default)."""
    note_matrix_inputs(views, articles, claims)
    library = views.library
    cols = matrix.columns(library, articles)
    titles = {c.article: library.articles[c.article].article for c in cols}
    headers = tuple(ColumnView(c.article, titles[c.article].title or c.article, views.href("articles", c.article),
                               date_label(matrix.published(library, c.article))) for c in cols)
    rows = tuple(RowView(views.claim_link(r.claim), tuple(cell_view(views, cell) for cell in r.cells))
                 for r in matrix.rows(library, cols, claims, carried_only))
    groups = tuple((name, views.href("outlets", slug) if slug else None, count)
                   for name, slug, count in matrix.outlet_groups(cols))
    return MatrixView(groups, headers, rows)


def cell_view(views: Views, cell: matrix.Cell | None) -> CellView | None:
    """A cell's words and link to its first highlight."""
    if cell is None:
        return None
    words = matrix.treatment(cell.kinds)
    href = f"{views.href('articles', cell.article)}#hl-{cell.first.annotation.id}"  # no note view: its Markdown is not needed
    return CellView(cell.article, " ".join(cell.kinds), words[:1].upper() + words[1:], href, cell.notes)


@dataclass(frozen=True, slots=True)
class AppearanceView:
    """One entry of a claim's timeline list."""

    date: dt.date | None
    date_label: str
    what: str  # "published" or "stated"
    article: Link
    note: NoteView


@dataclass(frozen=True, slots=True)
class TimelineView:
    """A claim's timeline: the points drawn, the dated list (the drawing's text alternative), the undated list."""

    points: tuple[timeline.Point, ...]
    labels: tuple[str, ...]  # each point's date, short
    width: int
    height: int
    dated: tuple[AppearanceView, ...]
    undated: tuple[AppearanceView, ...]
    summary: str


def short_date(day: dt.date) -> str:
    """A date short enough to label a point: "6 Feb 2026"."""
    return f"{day.day} {date_label(day).split()[1][:3]} {day.year}"


def timeline_view(views: Views, claim: str) -> TimelineView:
    """A claim's appearances on a line, with the same ones as a list."""
    found = timeline.appearances(views.library, claim)
    dated = [appearance_view(views, a) for a in timeline.dated(found)]
    drawn = timeline.points(timeline.dated(found))
    summary = (f"{len(dated)} dated appearance{'s' if len(dated) != 1 else ''}"
               + (f", from {date_label(drawn[0].date)} to {date_label(drawn[-1].date)}" if len(drawn) > 1 else
                  f", on {date_label(drawn[0].date)}" if drawn else ""))
    return TimelineView(tuple(drawn), tuple(short_date(p.date) for p in drawn), timeline.WIDTH, timeline.height(drawn),
                        tuple(dated), tuple(appearance_view(views, a) for a in timeline.undated(found)), summary)


def appearance_view(views: Views, appearance: timeline.Appearance) -> AppearanceView:
    """One appearance, with its article and note."""
    summary = views.article_summary(appearance.article)
    return AppearanceView(appearance.date, date_label(appearance.date) if appearance.date else "undated", appearance.what,
                          Link(summary.title, summary.href), views.note(appearance.note))


@dataclass(frozen=True, slots=True)
class FigureLink:
    """A figure as lists show it."""

    slug: str
    value: str
    counts: str
    href: str
    passages: int
    articles: int


@dataclass(frozen=True, slots=True)
class NoteRef:
    """The note over a passage as a figure's page links to it: its id and kind (not its text)."""

    id: str
    kind_label: str


@dataclass(frozen=True, slots=True)
class PassageView:
    """A passage stating a figure, on the figure's page."""

    href: str  # the passage in its article, or its note when annotated
    article: Link
    article_date: str
    outlet: str | None
    speaker: Link | None
    speaker_from: str
    before: str
    words: str
    after: str
    version: str
    note: NoteRef | None


def names(views: Views) -> Names:
    """The speaker-name pattern, made once per process (each use notes the speakers' names: attribution.py)."""
    for slug in views.reads.slugs("speakers"):
        views.reads.fields("speakers", slug, "name", "aliases", "kind")
    if "names" not in views.memo:
        views.memo["names"] = speaker_names(views.library.speakers.values())
    return views.memo["names"]  # type: ignore[return-value]


def found_in(views: Views, slug: str) -> list[Occurrence]:
    """The figures stated in one article (memoised: its page and every figure page use them)."""
    key = f"occurrences/{slug}"
    if key not in views.memo:
        views.memo[key] = figures.occurrences(views.library.articles[slug], views.library.figures.values())
    return views.memo[key]  # type: ignore[return-value]


def figure_marks(views: Views, entry: ArticleEntry, block: int) -> tuple[FigureMark, ...]:
    """The figures of one block of an article page, each linking to its ledger entry."""
    if not views.library.figures:
        return ()
    figures_here = views.library.figures
    return tuple(FigureMark(o.anchor_id, o.start, o.end, views.href("figures", o.figure),
                            f"{figures_here[o.figure].value} in the figures ledger")
                 for o in found_in(views, entry.article.slug) if o.block == block)


def note_passage_inputs(views: Views) -> None:
    """What the passages of a figure are found from: every article's text, and where its notes stand with who
    they name and which figures (attribution, the covering note); not the notes' text."""
    reads = views.reads
    for article in reads.article_slugs():
        reads.article(article)
        reads.note_fields("notes", article, "anchor", "speaker", "figures", "kind", "id")
    names(views)


def passages(views: Views, slug: str) -> list[Passage]:
    """Every passage stating one figure (memoised; the page notes the inputs: note_passage_inputs)."""
    views.reads.fields("figures", slug, "value", "matches")
    key = f"passages/{slug}"
    if key not in views.memo:
        found = {a: found_in(views, a) for a in views.library.articles}
        views.memo[key] = figures.passages_of(views.library, slug, names(views), found)
    return views.memo[key]  # type: ignore[return-value]


def passage_view(views: Views, passage: Passage) -> PassageView:
    """A passage with its links: to the note when one covers it, else to the figure's words in the article."""
    summary = views.article_summary(passage.article)
    note = NoteRef(passage.note.annotation.id, KIND_LABELS[passage.note.annotation.kind]) if passage.note else None
    if note is not None:
        href = f"{summary.href}#note-{note.id}"
    else:
        href = f"{summary.href}#{passage.occurrence.anchor_id}" if passage.occurrence else summary.href
    speaker = views.speaker_link(passage.speaker) if passage.speaker and views.reads.has_speaker(passage.speaker) else None
    return PassageView(href, Link(summary.title, summary.href), summary.date_label,
                       summary.outlet.text if summary.outlet else None, speaker, passage.speaker_from if speaker else "",
                       passage.before, passage.words, passage.after, passage.version, note)


def figure_link(views: Views, slug: str) -> FigureLink:
    """A figure with its number of passages and articles."""
    (value, counts), found = views.reads.fields("figures", slug, "value", "counts"), passages(views, slug)
    return FigureLink(slug, value, counts, views.href("figures", slug), len(found),
                      len({p.article for p in found}))


def figure_index(views: Views) -> dict[str, object]:
    """/figures/: every figure, most-cited first."""
    note_passage_inputs(views)
    links = {slug: figure_link(views, slug) for slug in views.reads.slugs("figures")}
    order = figures.most_cited_first({slug: link.passages for slug, link in links.items()})
    return {"figures": [links[slug] for slug in order]}


def figure_page(views: Views, slug: str) -> dict[str, object]:
    """/figures/<slug>/: the figure, what it counts, its versions and every passage."""
    note_passage_inputs(views)
    figure, found = views.reads.figure(slug), passages(views, slug)
    claims, topics = views.reads.slugs("claims"), views.reads.slugs("topics")
    return {"figure": figure_link(views, slug), "body": views.markdown(figure.body),
            "versions": figures.versions(found), "passages": [passage_view(views, p) for p in found],
            "claims": [views.claim_link(c) for c in figure.claims if c in claims],
            "topics": [views.topic_link(t) for t in figure.topics if t in topics]}


@dataclass(frozen=True, slots=True)
class FigureRef:
    """A figure as a claim or article page names it: value, what it counts, address (no counts of other articles)."""

    value: str
    counts: str
    href: str


def figure_ref(views: Views, slug: str) -> FigureRef:
    """A figure's value, what it counts, and its page."""
    value, counts = views.reads.fields("figures", slug, "value", "counts")
    return FigureRef(value, counts, views.href("figures", slug))


def claim_figures(views: Views, claim: str) -> list[FigureRef]:
    """The figures a claim rests on (those naming it in `claims:`)."""
    return [figure_ref(views, f) for f in views.reads.slugs("figures") if claim in views.reads.field("figures", f, "claims")]


def note_spellings(views: Views) -> None:
    """What finds the figures in an article's text: which figures there are, and each one's spellings."""
    for slug in views.reads.slugs("figures"):
        views.reads.fields("figures", slug, "value", "matches")


def article_figures(views: Views, slug: str) -> list[FigureRef]:
    """The figures an article states, for its page's footer."""
    note_spellings(views)
    seen = list(dict.fromkeys(o.figure for o in found_in(views, slug)))
    known = views.reads.slugs("figures")
    named = [f for p in views.reads.entry(slug).notes for f in p.annotation.figures if f in known]
    return [figure_ref(views, f) for f in dict.fromkeys(seen + named)]


def claim_extras(views: Views, slug: str) -> dict[str, object]:
    """What a claim page shows beyond views.claim: its matrix row, timeline, figures, review date, corrections."""
    claim = views.reads.claim(slug)
    # The claim's row, with the columns of the articles that carry it (the others would be empty).
    return {"matrix": matrix_view(views, matrix.carrying(views.library, slug), [slug]),
            "timeline": timeline_view(views, slug),
            "figures": claim_figures(views, slug), "reviewed": date_label(claim.reviewed) if claim.reviewed else None,
            "reviewed_iso": claim.reviewed.isoformat() if claim.reviewed else None,
            "corrections": corrections_of(claim.corrections, "correction-")}


@dataclass(frozen=True, slots=True)
class CorrectionEntryView:
    """A correction on /corrections/: what it corrects, where that is, and the note."""

    date: dt.date
    date_label: str
    note: str
    what: str  # "note" or "claim"
    title: str  # the note's quote or the claim's statement
    href: str  # the correction where it is shown
    context: Link  # the article (for a note) or the claim


def correction_entries(views: Views) -> list[CorrectionEntryView]:
    """Every correction, newest first."""
    views.reads.corrected()  # which there are, each note's quote and each claim's statement: what is listed
    found = []
    for entry in corrections.entries(views.library):
        when, said = entry.correction.date, entry.correction.note
        if entry.placed is not None:
            note = entry.placed.annotation
            article = views.reads.article(note.article)
            link = Link(article.title or article.slug, views.href("articles", article.slug))
            found.append(CorrectionEntryView(when, date_label(when), said, "note", note.quote,
                                             f"{link.href}#{entry.anchor_id}", link))
        elif entry.claim is not None:
            link = Link(entry.claim.statement, views.href("claims", entry.claim.slug))
            found.append(CorrectionEntryView(when, date_label(when), said, "claim", link.text,
                                             f"{link.href}#{entry.anchor_id}", link))
    return found
