"""View objects made for the templates, so templates never see the internal records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markupsafe import Markup

from ..link.library import ArticleEntry, Library, Placed
from .markup import Highlight, render_block, render_markdown, text_digest
from ..content.records import Annotation, Claim, Correction, Source, Speaker
from .reads import Reads
from .urls import Urls

KIND_LABELS = {"context": "Context", "dispute": "Dispute", "correction": "Correction", "support": "Support"}
STATUS_LABELS = {"disputed": "Disputed", "misleading": "Misleading", "needs-context": "Needs context",
                 "unsupported": "Unsupported", "supported": "Supported", "unverified": "Unverified"}
# A note whose text (body, sources, topics, corrections) is longer than this is folded on screen behind "Read the whole note";
# a shorter one is about as tall as a folded one (three lines of body, the links and sources), so it is shown whole.
FOLD_CHARS = 240
# The claim named in a folded note's first line, cut at a word to about this many characters.
SHORT_CLAIM_CHARS = 48
# A claim's summary names this many speakers and sources, then says how many more there are.
SUMMARY_NAMES = 3
SUMMARY_SOURCES = 2  # source titles are long: two keep the summary to three lines
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def date_label(day: dt.date | None) -> str:
    """A date as readers write it (6 February 2026), independent of the machine's locale."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}" if day else "date not stated"


@dataclass(frozen=True, slots=True)
class Link:
    """Text and where it leads."""

    text: str
    href: str


@dataclass(frozen=True, slots=True)
class SpeakerView:
    """A speaker as their page and the index show them."""

    slug: str
    name: str
    role: str | None
    organization: str | None
    aliases: tuple[str, ...]
    kind: str | None


@dataclass(frozen=True, slots=True)
class TopicView:
    """A topic as its page and the index show it."""

    slug: str
    title: str


@dataclass(frozen=True, slots=True)
class ClaimView:
    """A claim as its page shows it."""

    slug: str
    statement: str
    status: str


@dataclass(frozen=True, slots=True)
class OutletView:
    """A publisher and its articles' slugs, newest first."""

    slug: str
    name: str
    articles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ClaimLink:
    """A claim as other pages mention it: statement, status in words, address."""

    slug: str
    statement: str
    status: str
    status_label: str
    href: str


@dataclass(frozen=True, slots=True)
class CorrectionView:
    """One correction as the page of the note or claim shows it: "Corrected on 26 February 2026: …"."""

    id: str
    date: dt.date
    date_label: str
    note: str


@dataclass(frozen=True, slots=True)
class NoteView:
    """One annotation as a page shows it."""

    id: str
    number: int
    kind: str
    kind_label: str
    quote: str
    body: Markup
    speaker: Link | None
    claim: ClaimLink | None
    topics: tuple[Link, ...]
    sources: tuple[Link, ...]
    author: str | None
    updated: str | None
    article: Link
    article_date: str
    highlight_href: str
    cut: bool = False  # folded on screen: longer than the folded height holds (FOLD_CHARS)
    claim_short: str = ""  # the claim's statement, short enough for the note's first line
    corrections: tuple[CorrectionView, ...] = ()
    figures: tuple[Link, ...] = ()


@dataclass(frozen=True, slots=True)
class BlockView:
    """A block of the article with its highlighted HTML and the notes shown after it."""

    kind: str
    html: Markup
    notes: tuple[NoteView, ...]


@dataclass(frozen=True, slots=True)
class Part:
    """A run of blocks rendered together: a list of bullets, or a single block."""

    kind: str
    blocks: tuple[BlockView, ...]


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """An article as lists show it."""

    slug: str
    title: str
    href: str
    outlet: Link | None
    published: dt.date | None
    date_label: str
    note_count: int
    summary: Markup


@dataclass(frozen=True, slots=True)
class ArticleView:
    """An article page."""

    summary: ArticleSummary
    original_url: str | None
    parts: tuple[Part, ...]
    notes: tuple[NoteView, ...]
    topics: tuple[Link, ...]
    claims: tuple[ClaimLink, ...]
    speakers: tuple[Link, ...]
    kinds: tuple[tuple[str, str, int], ...]


@dataclass(frozen=True, slots=True)
class ClaimSummary:
    """A claim page's opening lines: its status, who makes it, and how the digest's notes treat it, citing what."""

    status_label: str
    makers: tuple[Link, ...]  # the first few who make or repeat it
    more_makers: int  # how many more there are
    disputes: int  # notes of kind dispute on the claim
    evidence: tuple[Link, ...]  # the first few sources those notes cite
    more_evidence: int
    supports: int
    context: int


@dataclass(frozen=True)
class Views:
    """Builds view objects from the library, read through `reads` (which notes each page's inputs)."""

    reads: Reads
    urls: Urls
    md: MarkdownIt
    # Rendered Markdown by source text, as plain strings: one copy of it all, shared with the cache kept between builds.
    _html: dict[str, str] = field(default_factory=dict, compare=False)
    _by_digest: dict[str, str] = field(default_factory=dict, compare=False)  # the last build's, by text digest
    # Memos: a summary appears on many pages; positions and outlet slugs replace linear scans.
    _positions: dict[str, int] = field(default_factory=dict, compare=False)
    _outlet_slugs: dict[str, str] = field(default_factory=dict, compare=False)
    memo: dict[str, object] = field(default_factory=dict, compare=False)  # the feature views' memos (featureviews.py)

    @property
    def library(self) -> Library:
        """The library unrecorded, for the feature views (featureviews.py): the page builders that call them note
        those pages' inputs themselves (kinds/)."""
        return self.reads.library

    def href(self, section: str = "", slug: str = "") -> str:
        """Link to a page."""
        return self.urls.href(self.urls.page(section, slug))

    def markdown(self, text: str) -> Markup:
        """Contributor Markdown as safe HTML (memoised: a note shows on up to four pages)."""
        html = self._html.get(text)
        if html is None:
            key = text_digest(text)
            html = self._by_digest.get(key)
            if html is None:
                html = self._by_digest[key] = str(render_markdown(self.md, text))
            self._html[text] = html
        return Markup(html)

    def use_markdown_cache(self, cache: dict[str, str]) -> None:
        """Look Markdown up in `cache` (rendered HTML by text digest, from the last build) before rendering it."""
        self._by_digest.update(cache)

    def markdown_by_digest(self) -> dict[str, str]:
        """The last build's rendered Markdown (see use_markdown_cache) with what this process rendered added, by digest."""
        return self._by_digest

    def markdown_texts(self) -> list[str]:
        """Every Markdown text the pages show: notes, article summaries, speaker, topic and claim bodies."""
        library = self.reads.library  # not a page's read: this fills a cache before any page is made
        texts = [p.annotation.body for entry in library.articles.values() for p in entry.notes]
        texts += [e.article.summary.split("\n\n")[0] for e in library.articles.values() if e.article.summary]
        texts += [r.body for kind in (library.speakers, library.topics, library.claims) for r in kind.values()]
        return list(dict.fromkeys(t for t in texts if t))

    def remember_markdown(self, texts: list[str], html: list[str]) -> None:
        """Take Markdown rendered elsewhere (by workers before the page workers fork, or by the last build)."""
        self._html.update(zip(texts, html))

    def rendered_markdown(self) -> dict[str, str]:
        """The Markdown rendered so far in this process, by source text."""
        return self._html

    def speaker_link(self, slug: str) -> Link:
        """Link to a speaker page (it shows the name alone: the rest of the speaker's file is not its input)."""
        return Link(self.reads.field("speakers", slug, "name"), self.href("speakers", slug))

    def topic_link(self, slug: str) -> Link:
        """Link to a topic page."""
        return Link(self.reads.field("topics", slug, "title"), self.href("topics", slug))

    def claim_link(self, slug: str) -> ClaimLink:
        """A claim's statement, status and address."""
        statement, status = self.reads.fields("claims", slug, "statement", "status")
        return ClaimLink(slug, statement, status, STATUS_LABELS[status], self.href("claims", slug))

    def position(self, slug: str) -> int:
        """An article's place in the newest-first order (the index of `library.articles`)."""
        self.reads.note("@articles:")
        if not self._positions:
            self._positions.update((s, i) for i, s in enumerate(self.reads.library.articles))
        return self._positions[slug]

    def outlet_slug(self, name: str) -> str:
        """The slug of the outlet with this name (memoised `outlet_slug`)."""
        self.reads.note("@outlets:")
        if name not in self._outlet_slugs:
            self._outlet_slugs[name] = outlet_slug(self.reads, name)
        return self._outlet_slugs[name]

    def article_summary(self, slug: str) -> ArticleSummary:
        """An article as lists show it (memoised: home, indexes and topic pages repeat them)."""
        return self.reads.memo(f"summary:{slug}", lambda: self._article_summary(slug))

    def _article_summary(self, slug: str) -> ArticleSummary:
        """An article as lists show it."""
        a = self.reads.article(slug)
        outlet = Link(a.outlet, self.href("outlets", self.outlet_slug(a.outlet))) if a.outlet else None
        first_paragraph = a.summary.split("\n\n")[0] if a.summary else ""
        return ArticleSummary(a.slug, a.title or a.slug, self.href("articles", a.slug), outlet, a.published,
                              date_label(a.published), self.reads.note_count(slug), self.markdown(first_paragraph))

    def note(self, placed: Placed) -> NoteView:
        """One annotation's view (memoised: the same note appears on several pages)."""
        return self.reads.memo(f"note:{placed.annotation.article}/{placed.annotation.id}", lambda: self._note(placed))

    def _note(self, placed: Placed) -> NoteView:
        """One annotation's view."""
        note = self.reads.annotation(placed)
        article = self.reads.article(note.article)
        href = self.href("articles", note.article)
        return NoteView(
            note.id, placed.number, note.kind, KIND_LABELS[note.kind], note.quote, self.markdown(note.body),
            self.speaker_link(note.speaker) if note.speaker else None,
            self.claim_link(note.claim) if note.claim else None,
            tuple(self.topic_link(t) for t in note.topics),
            tuple(self.source_link(s.title, s.url, s.article) for s in note.sources),
            note.author, date_label(note.updated) if note.updated else None,
            Link(article.title or article.slug, href), date_label(article.published), f"{href}#hl-{note.id}",
            note_is_cut(self.markdown(note.body), note.sources,
                        [self.reads.field("topics", t, "title") for t in note.topics] + [c.note for c in note.corrections]),
            short_text(self.reads.field("claims", note.claim, "statement"), SHORT_CLAIM_CHARS) if note.claim else "",
            corrections_of(note.corrections, f"correction-{note.id}-"),
            tuple(Link(self.reads.field("figures", f, "value"), self.href("figures", f))
                  for f in note.figures if self.reads.has_figure(f)))

    def source_link(self, title: str, url: str | None, article: str | None) -> Link:
        """A cited source: an outside address, or an article of the digest."""
        return Link(title, url if url else self.href("articles", article or ""))

    def article(self, slug: str) -> ArticleView:
        """An article page: its text in parts, notes after the block where each highlight ends."""
        entry = self.reads.entry(slug)
        notes = tuple(self.note(p) for p in entry.notes)
        blocks = tuple(self.block(entry, index) for index in range(len(entry.seed.blocks)))
        uses = [p.annotation for p in entry.notes]
        return ArticleView(
            self.article_summary(slug), entry.article.url, group_parts(blocks), notes,
            tuple(self.topic_link(t) for t in unique(list(entry.article.topics) + [t for a in uses for t in a.topics])),
            tuple(self.claim_link(c) for c in unique([a.claim for a in uses if a.claim])),
            tuple(self.speaker_link(s) for s in unique([a.speaker for a in uses if a.speaker])),
            kind_counts(uses))

    def block(self, entry: ArticleEntry, index: int) -> BlockView:
        """One block with its highlights and the notes that end in it."""
        block = entry.seed.blocks[index]
        start = entry.block_starts[index]
        end = start + len(block.text)
        highlights = [Highlight(p.annotation.id, max(p.anchor.start, start) - start, min(p.anchor.end, end) - start,
                                p.number, p.anchor.start >= start, p.anchor.end <= end, p.annotation.kind)
                      for p in entry.notes if p.anchor.start < end and p.anchor.end > start]
        notes = tuple(self.note(p) for p in entry.notes if p.block == index)
        from .featureviews import figure_marks  # the figures ledger's marks in the text (a module of its own)
        return BlockView(block.kind, render_block(block, highlights, figure_marks(self, entry, index)), notes)

    def in_date_order(self, placed: tuple[Placed, ...]) -> list[NoteView]:
        """Notes ordered by their article's date (undated last), then by article and position."""
        def key(p: Placed) -> tuple[int, str, int]:
            published = self.reads.article(p.annotation.article).published
            return ((published or dt.date.max).toordinal(), p.annotation.article, p.number)
        return [self.note(p) for p in sorted(placed, key=key)]

    def articles_of(self, placed: tuple[Placed, ...]) -> list[ArticleSummary]:
        """The articles these notes belong to, newest first."""
        slugs = sorted({p.annotation.article for p in placed}, key=self.position)
        return [self.article_summary(s) for s in slugs]

    def speaker(self, slug: str) -> dict[str, object]:
        """A speaker page's context."""
        speaker = self.reads.speaker(slug)
        placed = self.reads.notes_by("by_speaker", slug)
        claims = unique([p.annotation.claim for p in placed if p.annotation.claim] +
                        [c for c in self.reads.slugs("claims") if slug in self.reads.field("claims", c, "speakers")])
        return {"speaker": speaker_view(speaker), "body": self.markdown(speaker.body), "quotes": self.in_date_order(placed),
                "claims": [self.claim_link(c) for c in claims], "articles": self.articles_of(placed)}

    def topic(self, slug: str) -> dict[str, object]:
        """A topic page's context."""
        topic = self.reads.topic(slug)
        placed = self.reads.notes_by("by_topic", slug)
        slugs = unique(self.reads.tagged(slug) + [a.slug for a in self.articles_of(placed)])
        claims = [c for c in self.reads.slugs("claims") if slug in self.reads.field("claims", c, "topics")]
        return {"topic": TopicView(topic.slug, topic.title), "body": self.markdown(topic.body),
                "articles": [self.article_summary(s) for s in sorted(slugs, key=self.position)],
                "notes": self.in_date_order(placed), "claims": [self.claim_link(c) for c in claims]}

    def claim(self, slug: str) -> dict[str, object]:
        """A claim page's context: appearances in date order, speakers, articles."""
        claim = self.reads.claim(slug)
        placed = self.reads.notes_by("by_claim", slug)
        speakers = unique(list(claim.speakers) + [p.annotation.speaker for p in placed if p.annotation.speaker])
        return {"claim": ClaimView(claim.slug, claim.statement, claim.status), "link": self.claim_link(claim.slug),
                "body": self.markdown(claim.body),
                "appearances": self.in_date_order(placed), "articles": self.articles_of(placed),
                "speakers": [self.speaker_link(s) for s in speakers],
                "topics": [self.topic_link(t) for t in claim.topics],
                "first_seen": date_label(claim.first_seen) if claim.first_seen else None,
                "summary": self.claim_summary(claim, speakers, placed)}

    def claim_summary(self, claim: Claim, speakers: list[str], placed: tuple[Placed, ...]) -> ClaimSummary:
        """The claim page's summary, from the data: its speakers, and its notes' kinds and sources."""
        shown, sources = SUMMARY_NAMES, SUMMARY_SOURCES
        disputes = [p.annotation for p in placed if p.annotation.kind == "dispute"]
        cited = unique_sources([s for a in disputes for s in a.sources])
        return ClaimSummary(
            STATUS_LABELS[claim.status], tuple(self.speaker_link(s) for s in speakers[:shown]), max(0, len(speakers) - shown),
            len(disputes), tuple(self.source_link(s.title, s.url, s.article) for s in cited[:sources]),
            max(0, len(cited) - sources), sum(1 for p in placed if p.annotation.kind == "support"),
            sum(1 for p in placed if p.annotation.kind == "context"))

    def outlet(self, slug: str) -> dict[str, object]:
        """An outlet page's context: its articles, the claims they carry with their status, its notes by kind."""
        found = self.reads.outlet(slug)
        outlet = OutletView(found.slug, found.name, found.articles)
        uses = [p.annotation for a in outlet.articles for p in self.reads.note_fields("notes", a, "kind", "claim")]
        return {"outlet": outlet, "articles": [self.article_summary(a) for a in outlet.articles],
                "claims": [self.claim_link(c) for c in unique([a.claim for a in uses if a.claim])],
                "kinds": kind_counts(uses), "note_count": len(uses)}

    def speakers(self) -> list[SpeakerView]:
        """Every speaker, for the index."""
        return [SpeakerView(s, *self.reads.fields("speakers", s, "name", "role", "organization", "aliases", "kind"))
                for s in self.reads.slugs("speakers")]

    def topics(self) -> list[TopicView]:
        """Every topic, for the index."""
        return [TopicView(t, self.reads.field("topics", t, "title")) for t in self.reads.slugs("topics")]

    def outlets(self) -> list[OutletView]:
        """Every outlet, for the index."""
        return [OutletView(o.slug, o.name, o.articles) for o in self.reads.outlets().values()]


def kind_counts(notes: list[Annotation]) -> tuple[tuple[str, str, int], ...]:
    """(kind, label, how many) for each kind these notes have, in the order of KIND_LABELS."""
    counts = ((k, label, sum(1 for a in notes if a.kind == k)) for k, label in KIND_LABELS.items())
    return tuple(c for c in counts if c[2])


def unique_sources(sources: list[Source]) -> list[Source]:
    """Sources without repeats (the same title and address cited by several notes), first citation kept."""
    seen: dict[tuple[str, str | None, str | None], Source] = {}
    for source in sources:
        seen.setdefault((source.title, source.url, source.article), source)
    return list(seen.values())


def note_is_cut(body: Markup, sources: tuple[Source, ...], extras: list[str]) -> bool:
    """Whether a note is longer, as a reader sees its text, than its folded form shows (FOLD_CHARS).

    `extras`: the other words the whole note shows (its topics' titles, its corrections), folded away with its sources.
    """
    text = body.striptags() + "".join(s.title for s in sources) + "".join(extras)
    return len(text) > FOLD_CHARS


def short_text(text: str, limit: int) -> str:
    """`text` as it is when it fits in `limit` characters; else cut at the last whole word before it, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit + 1].rsplit(" ", 1)[0] if " " in text[:limit + 1] else text[:limit]
    return cut.rstrip(" ,;:.—–-") + "…"


def corrections_of(found: tuple[Correction, ...], prefix: str) -> tuple[CorrectionView, ...]:
    """A record's corrections as shown where it appears, in the order written (newest last); ids `prefix<n>`."""
    return tuple(CorrectionView(f"{prefix}{i}", c.date, date_label(c.date), c.note) for i, c in enumerate(found, start=1))

def speaker_view(speaker: Speaker) -> SpeakerView:
    """A speaker as pages show it."""
    return SpeakerView(speaker.slug, speaker.name, speaker.role, speaker.organization, speaker.aliases, speaker.kind)


def outlet_slug(reads: Reads, name: str) -> str:
    """The slug of the outlet with this name."""
    library = reads.library
    return next(o.slug for o in library.outlets.values() if o.name == name or name in _names(reads, o.slug))


def _names(reads: Reads, slug: str) -> set[str]:
    """Every spelling of an outlet's name that its articles use."""
    library = reads.library  # noted as `@outlets:` by the caller: the outlets are made from these names
    return {library.articles[a].article.outlet or "" for a in library.outlets[slug].articles}


def unique(items: list[str]) -> list[str]:
    """Items without repeats, first occurrence kept."""
    return list(dict.fromkeys(items))


def group_parts(blocks: tuple[BlockView, ...]) -> tuple[Part, ...]:
    """Consecutive bullets become one list part; every other block is a part of its own."""
    parts: list[Part] = []
    for block in blocks:
        if block.kind == "bullet" and parts and parts[-1].kind == "list":
            parts[-1] = Part("list", parts[-1].blocks + (block,))
        else:
            parts.append(Part("list" if block.kind == "bullet" else block.kind, (block,)))
    return tuple(parts)
