"""`python build.py new <kind> <slug>`: start a content file with every field, each explained.

Required fields get an empty value, so `check` points at each one until it is filled in, and
the body a placeholder (content/placeholders.py, named by each kind's registry entry), which `check` refuses until it is replaced;
optional fields are written commented out (`# speaker:`), ready to be switched on. The list
of fields comes from each kind's schema in the registry (kinds/), so a scaffold can never fall behind the format.

Annotation ids: a new annotation is numbered with the next free three-digit id in its
article's folder (`001.md`, `002.md`, …). Any slug is a valid id, so the file may be
renamed to something descriptive (`zero-releases.md`) before it is committed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import UsageError
from ..content.fields import Field, slug_problem, suggest_slug
from ..kinds import REGISTRY, Kind, by_name
from ..suggest import did_you_mean

NOTES: dict[str, str] = {
    "seed": "the file name inside seeds/ that holds the original article",
    "title": "the headline as the original states it (may be left out when the seed's front matter has one)",
    "outlet": "the publisher's name, e.g. \"Washington Examiner\"; leave out when the original names none: never guess",
    "published": "the date the original states, YYYY-MM-DD; leave out when it states none: never guess",
    "url": "the original's address (https:// or http:// only)",
    "topics": "topic slugs from content/topics/, e.g. [border-security, deportations]",
    "strip": "exact lines of the seed not to show (title line, boilerplate), one `- \"…\"` per line",
    "quote": "the exact passage of the article, copied from the article page (spaces and quote marks may differ)",
    "prefix": "words just before the quote: only needed when the quote occurs more than once",
    "suffix": "words just after the quote: only needed when the quote occurs more than once",
    "kind": "one of: context, dispute, correction, support",
    "speaker": "who said the quoted words: a slug from content/speakers/",
    "claim": "the claim this passage makes or repeats: a slug from content/claims/",
    "sources": "required for dispute and correction: one `- title: \"…\"` with `url: https://…` (or `article: <slug>`) each",
    "author": "your handle",
    "updated": "the date of your last change, YYYY-MM-DD",
    "name": "the name as the articles give it",
    "role": "their role, e.g. \"White House Press Secretary\"",
    "organization": "the organisation they speak for",
    "aliases": "other names the articles use, e.g. [Leavitt, the press secretary]",
    "statement": "the claim in one neutral sentence, attributed in the body",
    "status": "one of: disputed, misleading, needs-context, unsupported, supported, unverified",
    "speakers": "slugs of the speakers who make this claim, from content/speakers/",
    "first_seen": "the date the claim first appears in the digest's articles, YYYY-MM-DD",
    "reviewed": "the date the status was last assessed, YYYY-MM-DD (shown on the page, and the ClaimReview's date)",
    "corrections": "each correction: `- date: YYYY-MM-DD` with `note: \"what was corrected and why\"` (newest last)",
    "figure": "the figure this passage states: a slug from content/figures/ (or a list of them)",
    "stated": "the date the quoted words were said, when the article states it, YYYY-MM-DD; never guess",
    "value": "the figure as the articles write it, e.g. \"400,000\"",
    "counts": "what it counts, in one neutral sentence, as the articles say it",
    "matches": "other spellings to find in the text, e.g. [\"400k\", \"four hundred thousand\"]",
    "claims": "slugs of the claims that rest on this figure, from content/claims/",
}

KIND_NOTES = {"speaker": "person or organization"}



@dataclass(frozen=True)
class Scaffold:
    """What `new` writes: the path, relative to the project, and the text."""

    path: str
    text: str


def field_lines(field: Field, note: str) -> list[str]:
    """A field's comment and line: required ones empty, optional ones commented out."""
    if field.required:
        return [f"# {note} (required)", f'{field.name}: ""' if field.name != "kind" else "kind: context"]
    return [f"# {note}", f"# {field.name}:"]


def file_text(what: str, fields: tuple[Field, ...], body: str) -> str:
    """The complete file for one kind: front matter with a comment on every field, then the body."""
    lines = ["---"]
    for field in fields:
        note = KIND_NOTES.get(what) if field.name == "kind" and what in KIND_NOTES else NOTES.get(field.name, field.help)
        lines += field_lines(field, note or field.help)
    lines += ["---", body]
    return "\n".join(lines)


def checked_slug(slug: str, what: str) -> str:
    """The slug if valid; a UsageError naming a valid spelling otherwise (also refuses `../` and the like)."""
    problem = slug_problem(slug)
    if problem:
        raise UsageError(f"`{slug}` is not a valid {what} slug: it {problem}; try `{suggest_slug(slug) or 'some-name'}`")
    return slug


def next_id(folder: Path) -> str:
    """The next free three-digit annotation id in an article's folder."""
    taken = {p.stem for p in folder.glob("*.md")} if folder.is_dir() else set()
    number = 1
    while f"{number:03d}" in taken:
        number += 1
    return f"{number:03d}"


def nested(root: Path, kind: Kind, article: str) -> Scaffold:
    """A new file of a kind kept per article (an annotation) for an existing article."""
    checked_slug(article, "article")
    articles = sorted(p.stem for p in (root / "content" / "articles").glob("*.md"))
    if article not in articles:
        raise UsageError(f"there is no article `{article}` in content/articles/: {did_you_mean(article, articles)}")
    folder = f"content/{kind.folder}/{article}"
    return Scaffold(f"{folder}/{next_id(root / folder)}.md", file_text(kind.name, kind.schema, kind.scaffold_body))


def simple(root: Path, kind: Kind, slug: str) -> Scaffold:
    """A new file of a kind with one folder (a speaker, topic or claim)."""
    return Scaffold(f"content/{kind.folder}/{checked_slug(slug, kind.name)}.md",
                    file_text(kind.name, kind.schema, kind.scaffold_body))


# What `new` can start: the registry's kinds with a scaffold body.
KINDS = tuple(kind.name for kind in REGISTRY if kind.scaffold_body)


def scaffold(root: Path, what: str, slug: str) -> Scaffold:
    """The file `new <what> <slug>` would write."""
    kind = by_name(what)
    if kind is None or not kind.scaffold_body:
        raise UsageError(f"`new` makes {', '.join(KINDS)}, not `{what}`")
    return nested(root, kind, slug) if kind.nested else simple(root, kind, slug)


def write_new(root: Path, what: str, slug: str) -> Path:
    """Write the new file; refuses to overwrite anything. Returns its path."""
    made = scaffold(root, what, slug)
    target = root / made.path
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(target, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(made.text)
    except FileExistsError:
        raise UsageError(f"{made.path} already exists; it was left as it is (edit it, or pick another slug)") from None
    return target
