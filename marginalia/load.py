"""The load stage: content files → typed records, every one knowing its file and lines."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from . import schemas
from .diagnostics import Diagnostic, SourceRef, error, warning
from .fields import Field, read_fields, slug_problem, suggest_slug
from .frontmatter import Document, DocumentError, parse_document, read_text
from .records import Annotation, Article, Claim, Content, Lines, Speaker, Topic

T = TypeVar("T")

FOLDERS = ("articles", "annotations", "speakers", "topics", "claims")


@dataclass(frozen=True)
class Loaded:
    """The load stage's result: the records, and what was wrong with the files."""

    content: Content
    diagnostics: tuple[Diagnostic, ...]


def relative(path: Path, root: Path) -> str:
    """A project-relative POSIX path, as diagnostics show it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def content_files(folder: Path) -> list[Path]:
    """The `.md` files directly in a folder, sorted; none when it does not exist."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix == ".md" and not p.name.startswith("."))


def read_document(path: Path, root: Path, problems: list[Diagnostic]) -> Document | None:
    """Parse one file, turning failures into diagnostics."""
    ref = SourceRef(relative(path, root))
    try:
        return parse_document(read_text(path, ref), ref)
    except DocumentError as exc:
        problems.append(exc.diagnostic)
    except OSError as exc:
        problems.append(error(ref, f"the file cannot be read: {exc.strerror}", "check its permissions"))
    return None


def slug_of(path: Path, ref: SourceRef, problems: list[Diagnostic]) -> str | None:
    """The slug a file name gives, or None (with a diagnostic) when the name is not a slug."""
    problem = slug_problem(path.stem)
    if problem:
        problems.append(error(ref, f"the file name `{path.name}` is not a valid slug: it {problem}",
                              f"rename the file to `{suggest_slug(path.stem) or 'some-name'}.md`"))
        return None
    return path.stem


def lines_of(doc: Document) -> Lines:
    """The document's key lines, frozen for a record."""
    return Lines(doc.ref, tuple(sorted(doc.lines.items())))


def load_kind(folder: Path, root: Path, fields: tuple[Field, ...], what: str,
              make: Callable[[str, dict[str, Any], Document], T], problems: list[Diagnostic]) -> list[T]:
    """Records of one kind from one folder; files with errors in required fields give no record."""
    records = []
    for path in content_files(folder):
        doc = read_document(path, root, problems)
        if doc is None:
            continue
        slug = slug_of(path, doc.ref, problems)
        values, found = read_fields(doc, fields, what)
        problems.extend(found)
        if slug is None or any(f.required and f.name not in values for f in fields):
            continue
        records.append(make(slug, values, doc))
    return records


def make_article(slug: str, v: dict[str, Any], doc: Document) -> Article:
    """An Article record from checked values."""
    return Article(slug, v["seed"], v.get("title"), v.get("outlet"), v.get("published"), v.get("url"),
                   v.get("topics", ()), v.get("strip", ()), doc.body.strip(), lines_of(doc))


def make_speaker(slug: str, v: dict[str, Any], doc: Document) -> Speaker:
    """A Speaker record from checked values."""
    return Speaker(slug, v["name"], v.get("role"), v.get("organization"), v.get("aliases", ()),
                   v.get("kind"), doc.body.strip(), lines_of(doc))


def make_topic(slug: str, v: dict[str, Any], doc: Document) -> Topic:
    """A Topic record from checked values."""
    return Topic(slug, v["title"], doc.body.strip(), lines_of(doc))


def make_claim(slug: str, v: dict[str, Any], doc: Document) -> Claim:
    """A Claim record from checked values."""
    return Claim(slug, v["statement"], v["status"], v.get("speakers", ()), v.get("topics", ()),
                 v.get("first_seen"), doc.body.strip(), lines_of(doc))


def annotation_maker(article: str) -> Callable[[str, dict[str, Any], Document], Annotation]:
    """A maker of Annotation records for one article's folder."""
    def make(slug: str, v: dict[str, Any], doc: Document) -> Annotation:
        return Annotation(slug, article, v["quote"], v.get("prefix"), v.get("suffix"), v["kind"],
                          v.get("speaker"), v.get("claim"), v.get("topics", ()), v.get("sources", ()),
                          v.get("author"), v.get("updated"), doc.body.strip(), lines_of(doc))
    return make


def load_annotations(folder: Path, root: Path, problems: list[Diagnostic]) -> list[Annotation]:
    """All annotations, one sub-folder per article; stray files are reported."""
    found: list[Annotation] = []
    if not folder.is_dir():
        return found
    for entry in sorted(folder.iterdir()):
        ref = SourceRef(relative(entry, root))
        if entry.is_dir():
            article = slug_of(entry, ref, problems)
            if article:
                found += load_annotations_of(entry, article, root, problems)
        elif not entry.name.startswith("."):
            problems.append(error(ref, "an annotation file must sit in its article's folder",
                                  f"move it to content/annotations/<article-slug>/{entry.name}"))
    return found


def load_annotations_of(folder: Path, article: str, root: Path, problems: list[Diagnostic]) -> list[Annotation]:
    """The annotations of one article, with their body required."""
    records = load_kind(folder, root, schemas.ANNOTATION, "an annotation", annotation_maker(article), problems)
    for record in records:
        if not record.body:
            problems.append(error(record.lines.ref.at(1), "the annotation has no note",
                                  "write the note in Markdown below the closing `---` line"))
    for stray in sorted(p for p in folder.iterdir() if p.suffix != ".md" and not p.name.startswith(".")):
        problems.append(warning(SourceRef(relative(stray, root)), "only `.md` files are read here; this one is ignored",
                                "rename it to end in `.md`, or remove it"))
    return records


def load_content(root: Path) -> Loaded:
    """Read every content file under `root/content`, collecting all problems."""
    problems: list[Diagnostic] = []
    base = root / "content"
    content = Content(
        articles=tuple(load_kind(base / "articles", root, schemas.ARTICLE, "an article record", make_article, problems)),
        annotations=tuple(load_annotations(base / "annotations", root, problems)),
        speakers=tuple(load_kind(base / "speakers", root, schemas.SPEAKER, "a speaker", make_speaker, problems)),
        topics=tuple(load_kind(base / "topics", root, schemas.TOPIC, "a topic", make_topic, problems)),
        claims=tuple(load_kind(base / "claims", root, schemas.CLAIM, "a claim", make_claim, problems)),
    )
    return Loaded(content, tuple(problems))
