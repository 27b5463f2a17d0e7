"""Invariants of the editorial content in content/ (issue 4), checked against the real seeds.

These tests read the project's own content through the package's loader and linker, so a
quote that does not anchor, a slug that does not exist or a missing article record fails here
before it reaches the site.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from marginalia.diagnostics import ContentError
from marginalia.link.library import ArticleEntry, Library
from marginalia.pipeline import Project, check
from marginalia.content.records import Content

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
MIN_ANNOTATIONS_PER_ARTICLE = 6
NEEDS_SOURCES = ("dispute", "correction")

# “…” or "…" spans; what counts as a direct quotation of a full sentence or more is decided below.
QUOTED = re.compile(r"“([^“”]+)”|\"([^\"\n]+)\"")
CLOSING_INNER = "’'"
HANDLE = re.compile(r"(?<!\w)@\w+")


# ---------------------------------------------------------------- loading


@pytest.fixture(scope="module")
def library() -> Library:
    """The linked content of this repository; every diagnostic (even a warning) fails the module."""
    try:
        checked = check(Project(REPO))
    except ContentError as exc:
        pytest.fail("the content does not check:\n" + "\n".join(str(d) for d in exc.diagnostics))
    assert not checked.diagnostics, "\n".join(f"{d.ref}: {d.message}" for d in checked.diagnostics)
    return checked.library


@pytest.fixture(scope="module")
def content() -> Content:
    """The content records as loaded (before linking)."""
    from marginalia.content.load import load_content

    loaded = load_content(REPO)
    assert not loaded.diagnostics, "\n".join(f"{d.ref}: {d.message}" for d in loaded.diagnostics)
    return loaded.content


# ---------------------------------------------------------------- quotation detection


def is_sentence_quote(inner: str) -> bool:
    """A quoted span is a direct quotation of a full sentence or more when it ends like a sentence.

    Sentence punctuation ends it (also before a closing inner quote, as in ‘…Trump.’), or it is
    a capitalised run of several words cut by a comma before the attribution (“This …,” she said).
    """
    text = inner.strip().rstrip(CLOSING_INNER).rstrip()
    if not text:
        return False
    if text[-1] in ".!?…":
        return True
    return text.endswith(",") and text[0].isupper() and len(text.split()) >= 5


def sentence_quotations(text: str) -> list[tuple[int, int, str]]:
    """[start, end) of the inner text of every direct quotation in an article's text."""
    found = []
    for match in QUOTED.finditer(text):
        group = 1 if match.group(1) is not None else 2
        if is_sentence_quote(match.group(group)):
            found.append((match.start(group), match.end(group), match.group(group)))
    return found


def block_quotations(entry: ArticleEntry) -> list[tuple[int, int, str]]:
    """Block-quoted statements of a plain-text seed: lines that carry someone else's words unmarked.

    A block that follows a block ending in “:” (with the bullet blocks right after it), a block
    that opens with an ellipsis (an excerpt), and a block with @handles (a post) are quotations.
    """
    if not entry.article.seed.endswith(".txt"):
        return []
    found = []
    blocks = entry.seed.blocks
    in_quote = False
    for index, (block, start) in enumerate(zip(blocks, entry.block_starts)):
        text = block.text
        opened = index > 0 and blocks[index - 1].text.rstrip().endswith(":")
        continued = in_quote and block.kind == "bullet"  # the bullet list of a quoted report
        in_quote = opened or continued
        if not (in_quote or text.lstrip().startswith("…") or HANDLE.search(text)):
            continue
        core = text.strip().strip("…").strip()
        if len(core.split()) >= 4:
            offset = start + text.index(core)
            found.append((offset, offset + len(core), core))
    return found


def uncovered(entry: ArticleEntry, spans: list[tuple[int, int, str]]) -> list[str]:
    """The spans that no single annotation with a speaker contains."""
    speakers = [p.anchor for p in entry.notes if p.annotation.speaker]
    return [quote for start, end, quote in spans
            if not any(a.start <= start and end <= a.end for a in speakers)]


# ---------------------------------------------------------------- tests


def test_every_seed_has_an_article_record(content: Content) -> None:
    seeds = {p.name for p in SEEDS.iterdir() if p.suffix in (".txt", ".md")}
    assert seeds, "no seeds found"
    recorded = Counter(a.seed for a in content.articles)
    assert sorted(seeds - set(recorded)) == [], "seeds without an article record"
    assert [s for s, n in recorded.items() if n > 1] == [], "seeds with more than one article record"


def test_every_article_has_enough_annotations(library: Library) -> None:
    counts = {slug: len(entry.notes) for slug, entry in library.articles.items()}
    assert len(counts) == len(list(SEEDS.glob("*.*"))), counts
    short = {slug: n for slug, n in counts.items() if n < MIN_ANNOTATIONS_PER_ARTICLE}
    assert short == {}, f"articles with fewer than {MIN_ANNOTATIONS_PER_ARTICLE} annotations"


def test_quotation_detection_finds_the_known_quotes(library: Library) -> None:
    """The detector itself must see the quotations it is meant to guard (so the next test can fail)."""
    inline = {slug: sentence_quotations(e.text) for slug, e in library.articles.items()}
    blocks = {slug: block_quotations(e) for slug, e in library.articles.items()}
    everything = " ".join(q for spans in list(inline.values()) + list(blocks.values()) for _, _, q in spans)
    for expected in ("Zero illegals were released into our homeland",  # 000, closing a line
                     "zero illegal aliens have been admitted",  # 002, Trump
                     "Dirty little secret",  # 002, quote cut by an attribution
                     "Crime went down under Trump.",  # 003, nested quote
                     "EXACTLY what’s driving the massive drop in crime",  # 003, block after “adding:”
                     "125-year low",  # 003, block with @handles
                     "14% of nearly 400,000 immigrants",  # 003, excerpt opening with …
                     "Aggravated assaults were down nearly 10%"):  # 003, bullet of a quoted report
        assert expected in everything, f"the detector misses “{expected}”"
    assert sum(map(len, inline.values())) >= 20


def test_every_direct_quotation_is_annotated_with_its_speaker(library: Library) -> None:
    missing = {}
    for slug, entry in library.articles.items():
        spans = sentence_quotations(entry.text) + block_quotations(entry)
        gaps = uncovered(entry, spans)
        if gaps:
            missing[slug] = gaps
    assert missing == {}, "direct quotations with no annotation that names the speaker"


def test_disputes_and_corrections_cite_sources(content: Content) -> None:
    bare = [f"{n.article}/{n.id}" for n in content.annotations if n.kind in NEEDS_SOURCES and not n.sources]
    assert bare == []
    assert any(n.kind == "dispute" for n in content.annotations), "no disputes at all"


def test_every_claim_is_referenced_by_an_annotation(content: Content) -> None:
    used = {n.claim for n in content.annotations if n.claim}
    assert content.claims, "no claims"
    assert sorted(c.slug for c in content.claims if c.slug not in used) == []


def test_every_referenced_slug_exists(content: Content) -> None:
    articles = {a.slug for a in content.articles}
    speakers = {s.slug for s in content.speakers}
    topics = {t.slug for t in content.topics}
    claims = {c.slug for c in content.claims}
    unknown: list[str] = []

    def need(kind: str, known: set[str], slug: str | None, where: str) -> None:
        if slug is not None and slug not in known:
            unknown.append(f"{where}: {kind} `{slug}`")

    for a in content.articles:
        for t in a.topics:
            need("topic", topics, t, f"articles/{a.slug}")
    for n in content.annotations:
        where = f"annotations/{n.article}/{n.id}"
        need("article", articles, n.article, where)
        need("speaker", speakers, n.speaker, where)
        need("claim", claims, n.claim, where)
        for t in n.topics:
            need("topic", topics, t, where)
        for s in n.sources:
            need("article", articles, s.article, where)
    for c in content.claims:
        for s in c.speakers:
            need("speaker", speakers, s, f"claims/{c.slug}")
        for t in c.topics:
            need("topic", topics, t, f"claims/{c.slug}")
    assert unknown == []


def test_every_speaker_topic_and_claim_is_used(content: Content) -> None:
    """No orphan pages: each speaker is quoted, each topic and claim is on some article or note."""
    quoted = {n.speaker for n in content.annotations} | {s for c in content.claims for s in c.speakers}
    tagged = {t for n in content.annotations for t in n.topics} | {t for a in content.articles for t in a.topics}
    assert sorted(s.slug for s in content.speakers if s.slug not in quoted) == []
    assert sorted(t.slug for t in content.topics if t.slug not in tagged) == []
    assert len(content.topics) >= 6


def test_source_urls_come_from_the_seeds(content: Content) -> None:
    """Never an invented address: every URL cited appears literally in some seed."""
    seeds = "\n".join(p.read_text(encoding="utf-8") for p in SEEDS.iterdir() if p.is_file())
    urls = [(f"annotations/{n.article}/{n.id}", s.url) for n in content.annotations for s in n.sources if s.url]
    urls += [(f"articles/{a.slug}", a.url) for a in content.articles if a.url]
    assert urls, "no URLs cited at all"
    assert [f"{where}: {url}" for where, url in urls if url not in seeds] == []


def test_claim_bodies_link_only_seed_urls(content: Content) -> None:
    seeds = "\n".join(p.read_text(encoding="utf-8") for p in SEEDS.iterdir() if p.is_file())
    bodies = [(f"claims/{c.slug}", c.body) for c in content.claims]
    bodies += [(f"annotations/{n.article}/{n.id}", n.body) for n in content.annotations]
    links = [(where, url) for where, body in bodies for url in re.findall(r"\]\((https?://[^)\s]+)\)", body)]
    assert links, "no body links found: the pattern or the content changed, so this check would check nothing"
    assert [f"{where}: {url}" for where, url in links if url not in seeds] == []


def test_dates_are_not_guessed(content: Content) -> None:
    """Only articles whose original states a date carry one (000 in its text, 004 in its front matter)."""
    dated = {a.seed for a in content.articles if a.published}
    for article in content.articles:
        raw = (SEEDS / article.seed).read_text(encoding="utf-8")
        states_date = bool(re.search(r"^Published on ", raw, re.M) or re.search(r"^date:", raw, re.M))
        assert (article.seed in dated) == states_date, article.slug


# ---------------------------------------------------------------- editorial pass (issue 15)

# A title in square brackets is the editors' description of an original that has no headline.
DESCRIPTION = re.compile(r"^\[[^\[\]]+\]$")
# Curly-quoted spans in notes, claims, summaries and source titles (one level of nesting).
CURLY_QUOTED = re.compile(r"“([^“”]*(?:“[^“”]*”[^“”]*)*)”")


def folded(text: str) -> str:
    """Text compared as the quote matcher compares it: straight quotes, single spaces, no case."""
    text = text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'}))
    return re.sub(r"\s+", " ", text).casefold()


def headline(entry: ArticleEntry) -> str | None:
    """The original's own headline: the seed's front-matter title, or its first line when stripped as the title line."""
    title = entry.seed.defaults.get("title")
    if title:
        return " ".join(str(title).split())
    raw = (SEEDS / entry.article.seed).read_text(encoding="utf-8-sig")
    first = next((line.strip() for line in raw.splitlines() if line.strip()), "")
    return first if first in entry.article.strip else None


def shown_title(entry: ArticleEntry) -> str:
    """The title the site shows: the record's, else the seed's front-matter title."""
    return " ".join((entry.article.title or str(entry.seed.defaults.get("title", ""))).split())


def test_titles_are_headlines_or_marked_descriptions(library: Library) -> None:
    """A title is the original's headline word for word, or, when it has none, a description in [brackets]."""
    wrong = []
    for slug, entry in library.articles.items():
        own, title = headline(entry), shown_title(entry)
        if own is not None and title != own:
            wrong.append(f"{slug}: title {title!r} is not the headline {own!r}")
        if own is None and not DESCRIPTION.match(title):
            wrong.append(f"{slug}: the original has no headline, so the title must be a [description]")
    assert wrong == []
    assert any(headline(e) is None for e in library.articles.values()), "the convention is no longer exercised"


def test_no_source_presents_a_description_as_a_headline(library: Library, content: Content) -> None:
    """A description is cited in its brackets, after “(no headline given)”; a headline is cited as written."""
    entries = library.articles
    wrong = []
    for note in content.annotations:
        for source in note.sources:
            if source.article is None:
                continue
            entry = entries[source.article]
            title, outlet = shown_title(entry), entry.article.outlet
            where = f"{note.article}/{note.id}: {source.title!r}"
            if headline(entry) is None:
                bare = source.title.replace(title, "")
                if folded(title.strip("[]")) in folded(bare) or (outlet and source.title.startswith(f"{outlet}:")):
                    wrong.append(where)
            elif outlet and source.title.startswith(f"{outlet}:"):
                cited = source.title[len(outlet) + 1:].strip()
                if not title.startswith(re.split(r" \(|, for |, which ", cited)[0]):
                    wrong.append(f"{where} does not quote the headline {title!r}")
    assert wrong == []


def test_outlets_are_the_ones_the_seeds_identify(library: Library) -> None:
    """An outlet is named in its seed's text, or is the site of the address the seed itself gives."""
    wrong = []
    for slug, entry in library.articles.items():
        outlet = entry.article.outlet
        address = str(entry.seed.defaults.get("source_url") or "")
        host = re.sub(r"^www\.", "", re.sub(r"^https?://([^/]+).*$", r"\1", address)).split(".")[0]
        if outlet is None:
            if address:
                wrong.append(f"{slug}: the seed gives its address ({address}) but no outlet is recorded")
            continue
        named = folded(outlet) in folded(entry.text + (SEEDS / entry.article.seed).read_text(encoding="utf-8"))
        site = host and re.sub(r"[^a-z]", "", outlet.lower().removeprefix("the ")) == host
        if not (named or site):
            wrong.append(f"{slug}: outlet {outlet!r} is neither named in the seed nor its address")
    assert wrong == []
    assert library.articles["white-house-securing-our-homeland"].article.outlet == "The White House"


def test_first_seen_follows_the_rule(content: Content) -> None:
    """first_seen only when every appearance is dated, and then no later than the earliest; else the note says why."""
    published = {a.slug: a.published for a in content.articles}
    wrong = []
    for claim in content.claims:
        dates = [published[n.article] for n in content.annotations if n.claim == claim.slug]
        assert dates, claim.slug
        if None in dates and claim.first_seen is not None:
            wrong.append(f"{claim.slug}: an appearance is undated, so first_seen must be left out")
        if None not in dates and (claim.first_seen is None or claim.first_seen > min(dates)):
            wrong.append(f"{claim.slug}: every appearance is dated, so first_seen is {min(dates)} or earlier")
        if claim.first_seen is None and "first-seen date" not in claim.body:
            wrong.append(f"{claim.slug}: the assessment must say why no first-seen date is set")
    assert wrong == []
    assert any(c.first_seen for c in content.claims) and any(not c.first_seen for c in content.claims)


def test_statuses_agree_with_the_notes(content: Content) -> None:
    """A claim some note disputes is not `supported`; a `disputed` claim has a dispute note."""
    kinds = {c.slug: {n.kind for n in content.annotations if n.claim == c.slug} for c in content.claims}
    wrong = [f"{c.slug}: {c.status} but notes are {sorted(kinds[c.slug])}" for c in content.claims
             if (c.status == "supported" and "dispute" in kinds[c.slug])
             or (c.status == "disputed" and "dispute" not in kinds[c.slug])]
    assert wrong == []


def test_quotations_in_the_editors_text_come_from_the_seeds(library: Library, content: Content) -> None:
    """Every “…” in a note, an assessment, a summary, a figure record or a source title is in a seed.

    A seed's text as shown or its raw file (addresses included). Parts of a quotation cut by “…”
    are looked up one by one. Correction notes are left out: they quote the digest's own earlier
    wording, which is what they correct.
    """
    seeds = folded(" ".join([p.read_text(encoding="utf-8") for p in SEEDS.iterdir() if p.is_file()]
                            + [e.text for e in library.articles.values()]))
    texts = [(f"claims/{c.slug}", c.body) for c in content.claims]
    texts += [(f"articles/{a.slug}", a.summary) for a in content.articles]
    texts += [(f"annotations/{n.article}/{n.id}", " ".join([n.body, *(s.title for s in n.sources)]))
              for n in content.annotations]
    texts += [(f"figures/{f.slug}", " ".join([f.counts, f.body])) for f in content.figures]
    found, invented = 0, []
    for where, text in texts:
        for match in CURLY_QUOTED.finditer(text):
            for part in re.split(r"\s*…\s*", match.group(1)):
                part = part.strip(" ,.")
                found += 1
                if part and folded(part) not in seeds:
                    invented.append(f"{where}: “{part}”")
    assert found > 100, "the quotation finder no longer sees the notes' quotations"
    assert invented == []


# ---------------------------------------------------------------- figures, reviews, corrections


def spelling_pattern(spelling: str) -> re.Pattern[str]:
    """A figure's spelling as the content format defines the search: whole words, white space and case ignored."""
    words = r"\s+".join(re.escape(word) for word in spelling.split())
    return re.compile(rf"(?<!\w)(?<!\d[.,]){words}(?!\w)(?![.,]\d)", re.IGNORECASE)


def test_every_figure_record_has_a_passage(library: Library, content: Content) -> None:
    """The value, and each other spelling in `matches`, is stated in at least one article's text."""
    texts = [entry.text for entry in library.articles.values()]
    assert len(content.figures) >= 10, "the figures the claims rest on are not recorded"
    missing = [f"figures/{figure.slug}: {spelling!r}" for figure in content.figures
               for spelling in (figure.value, *figure.matches)
               if not any(spelling_pattern(spelling).search(text) for text in texts)]
    assert missing == []


def test_figures_in_a_claim_statement_name_the_claim(content: Content) -> None:
    """A figure whose spelling is in a claim's statement lists that claim among those resting on it."""
    wrong = [f"figures/{figure.slug} does not list claim `{claim.slug}`"
             for figure in content.figures for claim in content.claims
             if any(spelling_pattern(s).search(claim.statement) for s in (figure.value, *figure.matches))
             and claim.slug not in figure.claims]
    assert wrong == []
    assert any(figure.claims for figure in content.figures)


def test_every_figure_a_note_names_exists_and_every_figure_is_annotated(content: Content) -> None:
    """`figure:` on a note names a record; each record the claims rest on is named by some note."""
    known = {figure.slug for figure in content.figures}
    named = {slug for note in content.annotations for slug in note.figures}
    assert sorted(named - known) == []
    assert sorted(f.slug for f in content.figures if f.claims and f.slug not in named) == []


def test_every_claim_is_reviewed_and_corrections_precede_the_review(content: Content) -> None:
    """`reviewed:` on every claim; no correction dated after the claim's last review or in the future."""
    import datetime as dt

    unreviewed = [c.slug for c in content.claims if c.reviewed is None]
    assert unreviewed == []
    late = [f"claims/{c.slug}: {fix.date}" for c in content.claims for fix in c.corrections if fix.date > c.reviewed]
    assert late == []
    dated = [fix.date for c in content.claims for fix in c.corrections]
    dated += [fix.date for n in content.annotations for fix in n.corrections]
    assert dated, "no corrections recorded"
    assert max(dated) <= max(c.reviewed for c in content.claims) <= dt.date.today() + dt.timedelta(days=1)
