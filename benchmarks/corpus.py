"""Deterministic benchmark corpus: the same articles for Marginalia, Pelican and Hugo.

Usage: python3 benchmarks/corpus.py --articles 100 --seed 1 --markdown-share 0.5 --out DIR

Writes DIR/marginalia (a Marginalia project: site.toml, seeds/, content/),
DIR/pelican (content/ + pelicanconf.py) and DIR/hugo (content/ + layouts/ + hugo.toml).
`--markdown-share` (default 0.5) is the fraction of seeds written as Markdown with YAML
front matter (hard-wrapped lines, **bold**, [links](https://...), `-   ` lists), the shape of a
page saved from the web; the rest are plain text. The articles themselves (text, quotes,
annotations) do not depend on the share: only how their seeds, and the peers' copies, are written.
Everything follows from random.Random(seed): the same arguments give the same bytes.
Standard library only.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import textwrap
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

WORDS_PER_ARTICLE = 900
ANNOTATIONS_PER_ARTICLE = 5
SENTENCES_PER_PARAGRAPH = (5, 8)
KINDS = ("context", "dispute", "correction", "support")
STATUSES = ("disputed", "misleading", "needs-context", "unsupported", "supported", "unverified")
SITE_TITLE = "Marginalia benchmark"
SITE_DESCRIPTION = "A generated corpus for timing static site generators."
BASE_URL = "http://localhost:8000/"

SUBJECTS = (
    "the city council", "state officials", "local residents", "the transport agency", "hospital managers",
    "a group of economists", "the regional parliament", "several union leaders", "the finance ministry",
    "independent auditors", "school administrators", "the housing board", "farm associations",
    "the energy regulator", "opposition lawmakers", "small business owners", "the water utility",
    "federal inspectors", "a panel of scientists", "the police department", "university researchers",
    "the port authority", "election observers", "the central bank", "community organizers",
)
VERBS = (
    "approved", "questioned", "rejected", "delayed", "announced", "reviewed", "criticized", "expanded",
    "defended", "postponed", "funded", "investigated", "proposed", "welcomed", "challenged", "revised",
    "published", "extended", "cancelled", "supported", "debated", "audited", "modernized", "restructured",
)
OBJECTS = (
    "a new budget plan", "the proposed tax credit", "a revised zoning map", "the emergency housing fund",
    "plans for a light rail line", "the annual spending report", "a pilot program for clinics",
    "the contract with the bus operator", "new rules for rental deposits", "the reservoir expansion",
    "a study of air quality", "the school meal program", "the harbor dredging project",
    "an inquiry into procurement", "the regional jobs strategy", "new limits on water use",
    "the hospital merger", "a plan to repair bridges", "the broadband subsidy", "the wildfire response plan",
    "the pension reform package", "a review of police overtime", "the farm drought relief",
)
MODIFIERS = (
    "after a long debate on Tuesday", "despite objections from neighbors", "ahead of the winter season",
    "following a series of public hearings", "without a recorded vote", "under pressure from donors",
    "in a closed session last week", "as costs continued to rise", "before the end of the fiscal year",
    "amid concerns about transparency", "with support from both parties", "after months of negotiation",
    "in response to a court ruling", "while waiting for federal money", "as the deadline approached",
    "despite a shortfall in revenue", "following complaints from commuters", "according to meeting minutes",
)
CONNECTIVES = (
    "Meanwhile,", "In addition,", "At the same time,", "According to the records,", "Later,",
    "By contrast,", "As a result,", "In a statement,", "Separately,", "On the other hand,",
)
CLAUSES = (
    "costs have doubled since the program began", "the number of applicants fell by a third",
    "the agency hired more staff than it reported", "crime rates dropped sharply over the summer",
    "the new line will carry forty thousand riders a day", "the reserve fund is nearly empty",
    "waiting times at clinics have been cut in half", "most residents support the proposal",
    "the audit found no evidence of fraud", "the contract was awarded without competition",
    "prices for renters rose faster than wages", "the river is cleaner than at any time in decades",
    "the plan will create thousands of jobs", "the shortfall was caused by lower tax receipts",
    "emergency calls are answered faster than last year", "the subsidy mostly benefits large firms",
)
TITLE_WORDS = (
    "Council", "Budget", "Housing", "Transit", "Water", "Schools", "Hospital", "Harbor", "Energy", "Pension",
    "Drought", "Bridges", "Audit", "Election", "Police", "Jobs", "Rents", "Clinics", "Taxes", "Broadband",
)
TITLE_VERBS = ("Faces", "Backs", "Rejects", "Weighs", "Delays", "Expands", "Questions", "Revises", "Defends")
TITLE_TAILS = (
    "After Heated Debate", "Amid Rising Costs", "Before Key Vote", "Despite Objections", "As Deadline Nears",
    "Following Audit", "In Closed Session", "Under Public Pressure", "With Broad Support", "After Court Ruling",
)
FIRST_NAMES = ("Dana", "Marcus", "Priya", "Tomas", "Elena", "Samuel", "Aisha", "Victor", "Hannah", "Jonah")
LAST_NAMES = ("Whitfield", "Okafor", "Lindqvist", "Moreau", "Castillo", "Brennan", "Nakamura", "Haddad", "Petrov")
ROLES = ("Mayor", "Finance Minister", "Council Member", "Agency Director", "Spokesperson", "Union President",
         "Chief Economist", "Senator", "Police Chief", "Health Commissioner")
ORGANIZATIONS = ("City of Riverton", "Ministry of Finance", "Riverton City Council", "Regional Transit Agency",
                 "Workers United", "Civic Budget Institute", "State Senate", "Riverton Police Department")
TOPIC_NAMES = ("Housing", "Transit", "Public Health", "Education", "Energy", "Water", "Public Safety",
               "Taxes", "Jobs", "Environment", "Elections", "Infrastructure")
OUTLETS = ("Riverton Ledger", "The Daily Courier", "Harbor Times", "Valley Tribune", "Metro Dispatch",
           "The Civic Observer")
SOURCE_SITES = ("https://example.org/reports", "https://example.com/data", "https://stats.example.net/tables")
# Markdown seeds: how often a paragraph becomes a `-   ` list, and how often a sentence gets a link or bold.
LIST_SHARE = 0.3
LINK_SHARE = 0.25
BOLD_SHARE = 0.1
WRAP_WIDTH = 72
LEAD_WORDS = ("Update", "Figures", "Timeline", "Review", "Outlook", "Background")
DEFAULT_MARKDOWN_SHARE = 0.5


@dataclass(frozen=True)
class Speaker:
    """A person or organization quoted in the articles."""

    slug: str
    name: str
    role: str
    organization: str
    description: str


@dataclass(frozen=True)
class Topic:
    """A subject area; a Marginalia topic page, a Pelican/Hugo tag."""

    slug: str
    title: str
    description: str


@dataclass(frozen=True)
class Claim:
    """A statement recurring across articles and speakers."""

    slug: str
    statement: str
    status: str
    speakers: tuple[str, ...]
    topics: tuple[str, ...]
    assessment: str


@dataclass(frozen=True)
class Source:
    """A cited source of an annotation."""

    title: str
    url: str


@dataclass(frozen=True)
class Annotation:
    """A note on an exact passage of an article."""

    ident: str
    quote: str
    kind: str
    speaker: str
    claim: str | None
    topics: tuple[str, ...]
    sources: tuple[Source, ...]
    body: str


@dataclass(frozen=True)
class Article:
    """One seed article with its record and its annotations."""

    slug: str
    title: str
    outlet: str
    published: date
    topics: tuple[str, ...]
    paragraphs: tuple[str, ...]
    annotations: tuple[Annotation, ...] = field(default=())
    markdown: str = ""  # the Markdown seed's body (no front matter); "" when the seed is plain text

    @property
    def is_markdown(self) -> bool:
        """Whether the seed is written as Markdown with front matter."""
        return bool(self.markdown)

    @property
    def seed_name(self) -> str:
        """The seed's file name inside seeds/."""
        return f"{self.slug}.md" if self.is_markdown else f"{self.slug}.txt"

    @property
    def source_url(self) -> str:
        """Where a Markdown seed says it was saved from (a reserved example.org address)."""
        return f"https://news.example.org/{slugify(self.outlet)}/{self.published:%Y/%m}/{self.slug}/"

    @property
    def seed_text(self) -> str:
        """The seed file: plain text (title line, blank line, paragraphs) or Markdown with front matter."""
        if not self.is_markdown:
            return self.title + "\n\n" + "\n\n".join(self.paragraphs) + "\n"
        return "\n".join([
            "---", f"date: '{self.published.isoformat()}'",
            f"published_time: {self.published.isoformat()} 09:30:00-05:00",
            f"source_url: {self.source_url}", "tags: articles", f"title: {q(self.title)}", "---", "",
        ]) + "\n" + self.markdown + "\n"

    @property
    def body_markdown(self) -> str:
        """The article as Markdown for the peers: the seed's own Markdown, or the plain paragraphs."""
        return self.markdown if self.is_markdown else "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class Corpus:
    """Everything one benchmark size needs, independent of the output format."""

    seed: int
    speakers: tuple[Speaker, ...]
    topics: tuple[Topic, ...]
    claims: tuple[Claim, ...]
    articles: tuple[Article, ...]

    def speaker(self, slug: str) -> Speaker:
        """The speaker with this slug."""
        return next(s for s in self.speakers if s.slug == slug)

    def topic(self, slug: str) -> Topic:
        """The topic with this slug."""
        return next(t for t in self.topics if t.slug == slug)


# The shared entities an article draws on: (speakers, topics, claims).
Parts = tuple[tuple[Speaker, ...], tuple[Topic, ...], tuple[Claim, ...]]

# ---------------------------------------------------------------- generation


def slugify(text: str) -> str:
    """Lowercase ASCII letters and digits joined by single hyphens."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


def sentence(rng: random.Random) -> str:
    """One plain news sentence of about 15-25 words."""
    phrases = [rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(MODIFIERS)]
    if rng.random() < 0.35:
        phrases.insert(0, rng.choice(CONNECTIVES))
        text = " ".join(phrases)
    else:
        text = " ".join(phrases)
        text = text[0].upper() + text[1:]
    if rng.random() < 0.4:
        text += ", and " + rng.choice(SUBJECTS) + " " + rng.choice(VERBS) + " " + rng.choice(OBJECTS)
    return text + "."


def quoted_sentence(rng: random.Random, speaker: Speaker, token: str) -> tuple[str, str]:
    """(sentence, quote): a sentence reporting what a speaker said; the quote carries a unique token."""
    quote = f"{rng.choice(CLAUSES)} {rng.choice(MODIFIERS)}, as shown in filing {token}"
    return f"{speaker.role} {speaker.name} said that {quote}.", quote


def make_speakers(rng: random.Random, count: int = 8) -> tuple[Speaker, ...]:
    """`count` speakers with distinct names."""
    names: list[str] = []
    while len(names) < count:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if name not in names:
            names.append(name)
    speakers = []
    for name in names:
        role, org = rng.choice(ROLES), rng.choice(ORGANIZATIONS)
        description = f"{name} is {role.lower()} at {org}. " + sentence(rng)
        speakers.append(Speaker(slugify(name), name, role, org, description))
    return tuple(speakers)


def make_topics(rng: random.Random) -> tuple[Topic, ...]:
    """The twelve topics."""
    return tuple(Topic(slugify(name), name, f"Coverage of {name.lower()}. " + sentence(rng)) for name in TOPIC_NAMES)


def make_claims(rng: random.Random, speakers: tuple[Speaker, ...], topics: tuple[Topic, ...],
                count: int = 6) -> tuple[Claim, ...]:
    """`count` claims, each with one or two speakers and topics."""
    clauses = rng.sample(CLAUSES, count)
    claims = []
    for index, clause in enumerate(clauses):
        statement = clause[0].upper() + clause[1:] + "."
        who = tuple(s.slug for s in rng.sample(speakers, rng.randint(1, 2)))
        about = tuple(t.slug for t in rng.sample(topics, rng.randint(1, 2)))
        link = f"{rng.choice(SOURCE_SITES)}/claim-{index + 1}"
        assessment = " ".join(sentence(rng) for _ in range(3)) + f" See [the data]({link})."
        status = STATUSES[index % len(STATUSES)]
        claims.append(Claim(slugify(clause)[:60].strip("-"), statement, status, who, about, assessment))
    return tuple(claims)


def make_sources(rng: random.Random, token: str) -> tuple[Source, ...]:
    """One or two http(s) sources."""
    return tuple(Source(f"Public record {token}-{i + 1}", f"{rng.choice(SOURCE_SITES)}/{token}-{i + 1}")
                 for i in range(rng.randint(1, 2)))


def make_annotation(rng: random.Random, parts: Parts, ident: str, quote: str, speaker: Speaker,
                    token: str) -> Annotation:
    """An annotation on `quote`; dispute and correction always cite sources."""
    _speakers, topics, claims = parts
    kind = rng.choice(KINDS)
    needs_sources = kind in ("dispute", "correction") or rng.random() < 0.3
    sources = make_sources(rng, token) if needs_sources else ()
    claim = rng.choice(claims).slug if rng.random() < 0.4 else None
    body = " ".join(sentence(rng) for _ in range(2)) + " **Why it matters:** " + sentence(rng)
    return Annotation(ident, quote, kind, speaker.slug, claim, (rng.choice(topics).slug,), sources, body)


def make_title(rng: random.Random) -> str:
    """A headline without a full stop (so the seed reader takes it for a title line)."""
    first, verb, second, tail = (rng.choice(TITLE_WORDS), rng.choice(TITLE_VERBS), rng.choice(TITLE_WORDS),
                                 rng.choice(TITLE_TAILS))
    return f"{first} {verb} {second} Plan {tail}"


def make_paragraphs(rng: random.Random, words: int) -> list[list[str]]:
    """Paragraphs (lists of sentences) totalling at least `words` words."""
    paragraphs: list[list[str]] = []
    total = 0
    while total < words:
        sentences = [sentence(rng) for _ in range(rng.randint(*SENTENCES_PER_PARAGRAPH))]
        total += sum(len(s.split()) for s in sentences)
        paragraphs.append(sentences)
    return paragraphs


def wrap(text: str, first: str = "", rest: str = "") -> str:
    """Hard-wrap at WRAP_WIDTH columns, never inside a word (a URL or a token such as 17-3 stays whole)."""
    return textwrap.fill(text, WRAP_WIDTH, initial_indent=first, subsequent_indent=rest,
                         break_long_words=False, break_on_hyphens=False)


def decorate(rng: random.Random, text: str, url: str) -> str:
    """A sentence with perhaps one phrase linked and one in bold; the words a reader sees are unchanged."""
    objects = [o for o in OBJECTS if o in text]
    if objects and rng.random() < LINK_SHARE:
        text = text.replace(objects[0], f"[{objects[0]}]({url})", 1)
    subjects = [s for s in SUBJECTS if s in text and f"[{s}" not in text]
    if subjects and rng.random() < BOLD_SHARE:
        text = text.replace(subjects[0], f"**{subjects[0]}**", 1)
    return text


def markdown_paragraph(rng: random.Random, sentences: list[str], quotes: set[str], url: str) -> str:
    """One paragraph as hard-wrapped Markdown, or as a `-   ` list of two-sentence items with a bold lead."""
    decorated = [s if s in quotes else decorate(rng, s, f"{url}-{i + 1}") for i, s in enumerate(sentences)]
    if len(decorated) < 2 or rng.random() >= LIST_SHARE:
        return wrap(" ".join(decorated))
    items = []
    for start in range(0, len(decorated), 2):
        lead = f"**{rng.choice(TITLE_WORDS)} {rng.choice(LEAD_WORDS).lower()}:** "
        items.append(wrap(lead + " ".join(decorated[start:start + 2]), "-   ", "    "))
    return "\n".join(items)


def markdown_seed(seed: int, index: int, paragraphs: list[list[str]], quotes: set[str]) -> str:
    """The Markdown seed body of article `index`. Its own generator, so the articles' text is the same at any share."""
    rng = random.Random(f"{seed}-markdown-{index}")
    url = f"{rng.choice(SOURCE_SITES)}/source-{index}"
    return "\n\n".join(markdown_paragraph(rng, p, quotes, url) for p in paragraphs)


def is_markdown(index: int, share: float) -> bool:
    """Whether article `index` (1-based) gets a Markdown seed: spread evenly, floor(N × share) in all."""
    return int(index * share) != int((index - 1) * share)


def make_article(rng: random.Random, index: int, parts: Parts, markdown_of: int | None = None) -> Article:
    """Article number `index` (1-based) with its annotations, quotes placed in distinct paragraphs.

    `markdown_of` is the corpus seed when this article's seed is Markdown (None: plain text).
    """
    speakers, topics, _claims = parts
    title = make_title(rng)
    slug = f"{slugify(title)}-{index}"
    paragraphs = make_paragraphs(rng, WORDS_PER_ARTICLE - ANNOTATIONS_PER_ARTICLE * 20)
    annotations = []
    quotes: set[str] = set()
    for number, where in enumerate(sorted(rng.sample(range(len(paragraphs)), ANNOTATIONS_PER_ARTICLE)), start=1):
        token = f"{index}-{number}"
        speaker = rng.choice(speakers)
        text, quote = quoted_sentence(rng, speaker, token)
        paragraphs[where].insert(rng.randint(0, len(paragraphs[where])), text)
        quotes.add(text)
        annotations.append(make_annotation(rng, parts, f"note-{number}", quote, speaker, token))
    published = date(2024, 1, 1) + timedelta(days=rng.randrange(730))
    article_topics = tuple(t.slug for t in rng.sample(topics, rng.randint(1, 3)))
    markdown = markdown_seed(markdown_of, index, paragraphs, quotes) if markdown_of is not None else ""
    return Article(slug, title, rng.choice(OUTLETS), published, article_topics,
                   tuple(" ".join(p) for p in paragraphs), tuple(annotations), markdown)


def make_corpus(articles: int, seed: int, markdown_share: float = DEFAULT_MARKDOWN_SHARE) -> Corpus:
    """The whole corpus: 8 speakers, 12 topics, 6 claims and `articles` articles, a share of them Markdown seeds."""
    if not 0 <= markdown_share <= 1:
        raise ValueError(f"markdown_share must be between 0 and 1, not {markdown_share}")
    rng = random.Random(seed)
    speakers = make_speakers(rng)
    topics = make_topics(rng)
    claims = make_claims(rng, speakers, topics)
    parts: Parts = (speakers, topics, claims)
    made = tuple(make_article(rng, i, parts, seed if is_markdown(i, markdown_share) else None)
                 for i in range(1, articles + 1))
    return Corpus(seed, speakers, topics, claims, made)


# ---------------------------------------------------------------- writing helpers


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def flow_list(items: tuple[str, ...] | list[str]) -> str:
    """A YAML flow sequence of quoted strings."""
    return "[" + ", ".join(q(i) for i in items) + "]"


def write(path: Path, text: str) -> None:
    """Write UTF-8 text, creating parent folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def front_matter(lines: list[str], body: str) -> str:
    """A Markdown file with a YAML front-matter block."""
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body.strip() + "\n"


# ---------------------------------------------------------------- Marginalia


def marginalia_article(article: Article) -> str:
    """content/articles/<slug>.md; a Markdown seed's front matter gives title, published and url."""
    summary = f"Editor's summary: {article.paragraphs[0].split('. ')[0]}."
    if article.is_markdown:
        return front_matter([f"seed: {q(article.seed_name)}", f"outlet: {q(article.outlet)}",
                             f"topics: {flow_list(article.topics)}"], summary)
    return front_matter([
        f"seed: {q(article.slug + '.txt')}",
        f"title: {q(article.title)}",
        f"outlet: {q(article.outlet)}",
        f"published: {article.published.isoformat()}",
        f"topics: {flow_list(article.topics)}",
        f"strip: {flow_list([article.title])}",
    ], summary)


def marginalia_annotation(note: Annotation) -> str:
    """content/annotations/<article-slug>/<id>.md"""
    lines = [f"quote: {q(note.quote)}", f"kind: {note.kind}", f"speaker: {note.speaker}"]
    if note.claim:
        lines.append(f"claim: {note.claim}")
    lines.append(f"topics: {flow_list(note.topics)}")
    if note.sources:
        lines.append("sources:")
        for source in note.sources:
            lines += [f"  - title: {q(source.title)}", f"    url: {q(source.url)}"]
    lines.append("author: benchmark")
    return front_matter(lines, note.body)


def write_marginalia(corpus: Corpus, root: Path) -> None:
    """A complete Marginalia project folder: site.toml, seeds/, content/."""
    write(root / "site.toml", f'title = {q(SITE_TITLE)}\ndescription = {q(SITE_DESCRIPTION)}\n'
                              f'base_url = {q(BASE_URL)}\nlanguage = "en"\n')
    content = root / "content"
    for s in corpus.speakers:
        write(content / "speakers" / f"{s.slug}.md", front_matter(
            [f"name: {q(s.name)}", f"role: {q(s.role)}", f"organization: {q(s.organization)}", "kind: person"],
            s.description))
    for t in corpus.topics:
        write(content / "topics" / f"{t.slug}.md", front_matter([f"title: {q(t.title)}"], t.description))
    for c in corpus.claims:
        write(content / "claims" / f"{c.slug}.md", front_matter(
            [f"statement: {q(c.statement)}", f"status: {c.status}", f"speakers: {flow_list(c.speakers)}",
             f"topics: {flow_list(c.topics)}"], c.assessment))
    for a in corpus.articles:
        write(root / "seeds" / a.seed_name, a.seed_text)
        write(content / "articles" / f"{a.slug}.md", marginalia_article(a))
        for note in a.annotations:
            write(content / "annotations" / a.slug / f"{note.ident}.md", marginalia_annotation(note))


# ---------------------------------------------------------------- Pelican and Hugo: same text, generic SSG shape


def annotation_list(corpus: Corpus, article: Article) -> str:
    """The annotations as a Markdown list, so peers render as much text as Marginalia."""
    items = []
    for note in article.annotations:
        speaker = corpus.speaker(note.speaker)
        sources = "; ".join(f"[{s.title}]({s.url})" for s in note.sources)
        item = f"- **{note.kind.capitalize()}** on “{note.quote}” ({speaker.name}): {note.body}"
        items.append(item + (f" Sources: {sources}." if sources else ""))
    return "## Annotations\n\n" + "\n".join(items) + "\n"


def article_body(corpus: Corpus, article: Article) -> str:
    """The article (as Markdown when its seed is) followed by the annotation list."""
    return article.body_markdown + "\n\n" + annotation_list(corpus, article)


PELICAN_CONF = '''"""Pelican settings for the benchmark corpus (generated)."""
AUTHOR = "Benchmark"
SITENAME = {title}
SITEURL = ""
PATH = "content"
PAGE_PATHS = ["pages"]
ARTICLE_PATHS = ["articles"]
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
RELATIVE_URLS = True
DEFAULT_PAGINATION = False
LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False
DELETE_OUTPUT_DIRECTORY = False
'''


def write_pelican(corpus: Corpus, root: Path) -> None:
    """A Pelican project: pelicanconf.py, content/articles (+ pages for speakers and claims)."""
    write(root / "pelicanconf.py", PELICAN_CONF.format(title=q(SITE_TITLE)))
    for a in corpus.articles:
        tags = ", ".join(corpus.topic(t).title for t in a.topics)
        meta = (f"Title: {a.title}\nDate: {a.published.isoformat()}\nCategory: {a.outlet}\n"
                f"Tags: {tags}\nSlug: {a.slug}\n\n")
        write(root / "content" / "articles" / f"{a.slug}.md", meta + article_body(corpus, a))
    for s in corpus.speakers:
        write(root / "content" / "pages" / f"speaker-{s.slug}.md",
              f"Title: {s.name}\nSlug: speaker-{s.slug}\n\n{s.role}, {s.organization}.\n\n{s.description}\n")
    for c in corpus.claims:
        write(root / "content" / "pages" / f"claim-{c.slug}.md",
              f"Title: {c.statement}\nSlug: claim-{c.slug}\n\nStatus: {c.status}.\n\n{c.assessment}\n")


HUGO_CONF = '''baseURL = {base_url}
title = {title}
defaultContentLanguage = "en"
relativeURLs = true
# cacheDir must be absolute: benchmarks/run.py passes --cacheDir <project>/.cache/hugo
enableRobotsTXT = false

[taxonomies]
  tag = "tags"
  category = "categories"
'''

HUGO_LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="{{ site.Language.Lang }}">
<head>
<meta charset="utf-8">
<title>{{ .Title }} | {{ site.Title }}</title>
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "_default/single.html": """{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ with .Date }}<p><time datetime="{{ .Format "2006-01-02" }}">{{ .Format "January 2, 2006" }}</time></p>{{ end }}
{{ with .GetTerms "categories" }}<p>Outlet: {{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>{{ end }}
{{ with .GetTerms "tags" }}<p>Topics: {{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>{{ end }}
{{ .Content }}
</article>
{{ end }}
""",
    "_default/list.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ with .Date }} <time>{{ .Format "2006-01-02" }}</time>{{ end }}</li>
{{ end }}
</ul>
{{ end }}
""",
}


def write_hugo(corpus: Corpus, root: Path) -> None:
    """A Hugo project: hugo.toml, layouts/, content/posts (+ speakers and claims sections)."""
    write(root / "hugo.toml", HUGO_CONF.format(base_url=q(BASE_URL), title=q(SITE_TITLE)))
    for name, text in HUGO_LAYOUTS.items():
        write(root / "layouts" / name, text)
    content = root / "content"
    for a in corpus.articles:
        tags = [corpus.topic(t).title for t in a.topics]
        write(content / "posts" / f"{a.slug}.md", front_matter(
            [f"title: {q(a.title)}", f"date: {a.published.isoformat()}", f"slug: {q(a.slug)}",
             f"tags: {flow_list(tags)}", f"categories: {flow_list([a.outlet])}"], article_body(corpus, a)))
    for s in corpus.speakers:
        write(content / "speakers" / f"{s.slug}.md", front_matter(
            [f"title: {q(s.name)}"], f"{s.role}, {s.organization}.\n\n{s.description}"))
    for c in corpus.claims:
        write(content / "claims" / f"{c.slug}.md", front_matter(
            [f"title: {q(c.statement)}"], f"Status: {c.status}.\n\n{c.assessment}"))


WRITERS = {"marginalia": write_marginalia, "pelican": write_pelican, "hugo": write_hugo}


def generate(articles: int, seed: int, out: Path, formats: tuple[str, ...] = tuple(WRITERS),
             markdown_share: float = DEFAULT_MARKDOWN_SHARE) -> Corpus:
    """Write the corpus in each format to out/<format>/, replacing what was there."""
    corpus = make_corpus(articles, seed, markdown_share)
    for name in formats:
        target = out / name
        if target.exists():
            shutil.rmtree(target)
        WRITERS[name](corpus, target)
    return corpus


def main(argv: list[str] | None = None) -> int:
    """Command line: generate a corpus."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", "-n", type=int, default=100, help="number of articles (default 100)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write marginalia/, pelican/, hugo/ into")
    parser.add_argument("--formats", nargs="+", choices=tuple(WRITERS), default=list(WRITERS))
    parser.add_argument("--markdown-share", type=float, default=DEFAULT_MARKDOWN_SHARE,
                        help="fraction of seeds written as Markdown with front matter, 0 to 1 "
                             f"(default {DEFAULT_MARKDOWN_SHARE})")
    args = parser.parse_args(argv)
    if not 0 <= args.markdown_share <= 1:
        parser.error("--markdown-share must be between 0 and 1")
    corpus = generate(args.articles, args.seed, args.out, tuple(args.formats), args.markdown_share)
    words = sum(len(p.split()) for a in corpus.articles for p in a.paragraphs)
    markdown = sum(a.is_markdown for a in corpus.articles)
    print(f"wrote {len(corpus.articles)} articles ({words} words; {markdown} Markdown seeds) to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
