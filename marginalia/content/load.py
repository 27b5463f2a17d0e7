"""The load stage: content files → typed records, every one knowing its file and lines."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from . import schemas
from ..diagnostics import Diagnostic, SourceRef, error, warning
from .fields import Field, read_fields, slug_problem, suggest_slug
from .frontmatter import Document, DocumentError, impossible_date_line, parse_document, read_text
from .linkcheck import unsafe_links
from ..incremental.loadcache import LoadCache
from .placeholders import placeholder_problems
from .records import Annotation, Article, Claim, Content, Figure, Lines, Speaker, Topic
from ..suggest import did_you_mean

T = TypeVar("T")



@dataclass(frozen=True)
class Loaded:
    """The load stage's result: the records, and what was wrong with the files."""

    content: Content
    diagnostics: tuple[Diagnostic, ...]


def relative(path: Path, root: Path) -> str:
    """A project-relative POSIX path, as diagnostics show it."""
    text, prefix = str(path), str(root) + os.sep
    if os.sep == "/" and text.startswith(prefix):  # the common case, by string: 130,000 calls at 10,000 articles
        return text[len(prefix):]
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def entries(folder: Path) -> list[tuple[str, bool, bool]]:
    """What a folder holds, sorted by name: (name, is a folder, is a file); nothing when it cannot be listed.

    os.scandir, not pathlib: the file type comes with the listing (10,000 annotation folders are listed several times).
    """
    try:
        with os.scandir(folder) as found:
            listed = [(entry.name, entry.is_dir(), entry.is_file()) for entry in found]
    except OSError:
        return []
    return sorted(listed)


def content_names(folder: Path, cache: LoadCache | None = None) -> list[str]:
    """The names of the `.md` files directly in a folder, sorted; none when it does not exist."""
    return [name for name, _, _ in listed(folder, cache) if name.endswith(".md") and not name.startswith(".")]


def listed(folder: Path, cache: LoadCache | None) -> list[tuple[str, bool, bool]]:
    """`entries(folder)`, listed once per build when there is a cache."""
    return cache.entries(folder, entries) if cache is not None else entries(folder)


def read_document(path: Path, root: Path, problems: list[Diagnostic],
                  read: Callable[[], bytes] | None = None) -> Document | None:
    """Parse one file (its bytes from `read` when given), turning failures into diagnostics."""
    ref = SourceRef(relative(path, root))
    text = ""
    try:
        text = read_text(path, ref, read)
        return parse_document(text, ref)
    except DocumentError as exc:
        problems.append(exc.diagnostic)
    except OSError as exc:
        problems.append(error(ref, f"the file cannot be read: {exc.strerror}", "check its permissions"))
    except ValueError as exc:  # the YAML library raises a bare ValueError for dates like 2026-02-31
        problems.append(error(ref.at(impossible_date_line(text)), f"a date in the front matter does not exist ({exc})",
                              "write it as YYYY-MM-DD with a real day of that month, e.g. 2026-02-06"))
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
    return Lines.of_keys(doc.ref, doc.lines)


def load_kind(folder: Path, root: Path, fields: tuple[Field, ...], what: str,
              make: Callable[[str, dict[str, Any], Document], T], problems: list[Diagnostic],
              cache: LoadCache | None = None) -> list[T]:
    """Records of one kind from one folder; files with errors in required fields give no record.

    With a `cache`, a file unchanged since the last build is not parsed again.
    """
    cache = cache if cache is not None else LoadCache()
    records = []
    # Names and paths as strings: a Path is made only for a file parsed again (60,000 files at 10,000 articles).
    prefix, location = relative(folder, root) + "/", str(folder) + os.sep
    for name in content_names(folder, cache):
        record = cache.parse(prefix + name, location + name, "",
                             lambda read, found, name=name: load_or_report(folder / name, root, fields, what, make, found, read),  # type: ignore[misc]
                             problems)
        if record is not None:
            records.append(record)
    return records


def load_or_report(path: Path, root: Path, fields: tuple[Field, ...], what: str,
                   make: Callable[[str, dict[str, Any], Document], T], problems: list[Diagnostic],
                   read: Callable[[], bytes] | None = None) -> T | None:
    """load_record, with a failure nobody foresaw reported against the file instead of stopping the run."""
    try:
        return load_record(path, root, fields, what, make, problems, read)
    except Exception as exc:  # one unreadable file must not stop the run: report it and go on
        problems.append(unexpected(path, root, exc))
        return None


def load_record(path: Path, root: Path, fields: tuple[Field, ...], what: str,
                make: Callable[[str, dict[str, Any], Document], T], problems: list[Diagnostic],
                read: Callable[[], bytes] | None = None) -> T | None:
    """One file's record, or None when its name or a required field is wrong (diagnostics say why)."""
    doc = read_document(path, root, problems, read)
    if doc is None:
        return None
    slug = slug_of(path, doc.ref, problems)
    values, found = read_fields(doc, fields, what)
    problems.extend(found)
    problems.extend(unsafe_links(doc.body, doc.body_line, doc.ref))
    problems.extend(placeholder_problems(doc))
    if slug is None or any(f.required and f.name not in values for f in fields):
        return None
    return make(slug, values, doc)


def unexpected(path: Path, root: Path, exc: Exception) -> Diagnostic:
    """An error for a failure nobody foresaw, so the run reports it with its file instead of crashing."""
    return error(SourceRef(relative(path, root)), f"this file could not be processed ({type(exc).__name__}: {exc})",
                 "check the file for unusual characters or structure; if it looks right, please report this as a bug")


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
                 v.get("first_seen"), doc.body.strip(), lines_of(doc), v.get("reviewed"), v.get("corrections", ()))


def make_figure(slug: str, v: dict[str, Any], doc: Document) -> Figure:
    """A Figure record from checked values."""
    return Figure(slug, v["value"], v["counts"], v.get("matches", ()), v.get("topics", ()), v.get("claims", ()),
                  doc.body.strip(), lines_of(doc))


def annotation_maker(article: str) -> Callable[[str, dict[str, Any], Document], Annotation]:
    """A maker of Annotation records for one article's folder."""
    def make(slug: str, v: dict[str, Any], doc: Document) -> Annotation:
        return Annotation(slug, article, v["quote"], v.get("prefix"), v.get("suffix"), v["kind"],
                          v.get("speaker"), v.get("claim"), v.get("topics", ()), v.get("sources", ()),
                          v.get("author"), v.get("updated"), doc.body.strip(), lines_of(doc),
                          v.get("figure", ()), v.get("corrections", ()), v.get("stated"))
    return make


def load_annotations(folder: Path, root: Path, problems: list[Diagnostic],
                     cache: LoadCache | None = None, kind: Any = None) -> list[Annotation]:
    """All annotations, one sub-folder per article; stray files are reported."""
    found: list[Annotation] = []
    if not folder.is_dir():
        return found
    for name, is_dir, _ in listed(folder, cache):
        entry = folder / name
        ref = SourceRef(relative(entry, root))
        if is_dir:
            article = slug_of(entry, ref, problems)
            if article:
                found += load_annotations_of(entry, article, root, problems, cache, kind)
        elif not name.startswith("."):
            problems.append(error(ref, "an annotation file must sit in its article's folder",
                                  f"move it to content/annotations/<article-slug>/{name}"))
    return found


def load_annotations_of(folder: Path, article: str, root: Path, problems: list[Diagnostic],
                        cache: LoadCache | None = None, kind: Any = None) -> list[Annotation]:
    """The annotations of one article (`kind`: their registry entry), with their body required."""
    schema, what, make = (kind.schema, kind.what, kind.make_in(article)) if kind is not None else (
        schemas.ANNOTATION, "an annotation", annotation_maker(article))
    records = load_kind(folder, root, schema, what, make, problems, cache)
    for record in records:
        if not record.body:
            problems.append(error(record.lines.ref.at(1), "the annotation has no note",
                                  "write the note in Markdown below the closing `---` line"))
    problems.extend(stray_entries(folder, root, cache))
    problems.extend(duplicate_ids(folder, root, cache))
    return records


def duplicate_ids(folder: Path, root: Path, cache: LoadCache | None = None) -> list[Diagnostic]:
    """Errors for annotation ids of one article that would collide on its page.

    An annotation's id is its file name, and ids need only be unique within their article.
    Two files collide when their names differ only in case or spelling of the same slug
    (`Zero.md`, `zero.md`), or when one id is another's plus `-label` (the page gives the
    note `foo` a label element `note-foo-label`, which is also the note id of `foo-label`).
    """
    names = sorted(name[:-3] for name, _, _ in listed(folder, cache) if name.lower().endswith(".md") and not name.startswith("."))
    found: list[Diagnostic] = []
    seen: dict[str, str] = {}
    for name in names:
        key = name if not slug_problem(name) else suggest_slug(name)  # a valid slug is its own suggestion
        if key in seen:
            found.append(error(SourceRef(relative(folder / f"{name}.md", root)),
                               f"duplicate annotation id: `{name}` and `{seen[key]}` are the same id written two ways",
                               "give each annotation of an article its own file name, e.g. add `-2`"))
        else:
            seen[key] = name
    for name in names:
        if name.endswith("-label") and name.removesuffix("-label") in names:
            found.append(error(SourceRef(relative(folder / f"{name}.md", root)),
                               f"the annotation id `{name}` collides with the label of annotation `{name.removesuffix('-label')}`",
                               "rename this file so its name does not end in `-label`"))
    return found


CONTENT_LIKE = (".md", ".markdown", ".mdown", ".txt", ".yaml", ".yml")


def stray_entries(folder: Path, root: Path, cache: LoadCache | None = None) -> list[Diagnostic]:
    """Files and folders in a content folder that the build would not read.

    A file that looks like content in the wrong spelling (`note.markdown`, `note.MD`) is an
    error, so no contributor's work is silently left out; anything else is a warning.
    """
    found: list[Diagnostic] = []
    for name, is_dir, is_file in listed(folder, cache):
        if name.startswith(".") or (is_file and name.endswith(".md")):
            continue
        entry = folder / name
        ref = SourceRef(relative(entry, root))
        if is_dir:
            found.append(warning(ref, "folders are not read here; this one is ignored",
                                 f"move its files up into {relative(folder, root)}/, or remove it"))
        elif entry.suffix.lower() in CONTENT_LIKE:
            found.append(error(ref, f"`{entry.name}` is not read: only files ending in `.md` (lowercase) are",
                               f"rename it to `{entry.stem}.md`"))
        else:
            found.append(warning(ref, "only `.md` files are read here; this one is ignored",
                                 "rename it to end in `.md`, or remove it"))
    return found


def content_layout(base: Path, root: Path, cache: LoadCache | None = None, kinds: Sequence[Any] | None = None
                   ) -> list[Diagnostic]:
    """Errors for what sits directly in content/ or in an unknown folder there, which the build would never read."""
    found: list[Diagnostic] = []
    kinds = registry_kinds(kinds)
    folders = tuple(kind.folder for kind in kinds)
    if not base.is_dir():
        return found
    for entry in sorted(base.iterdir()):
        if entry.name.startswith("."):
            continue
        ref = SourceRef(relative(entry, root))
        if entry.is_dir() and entry.name not in folders:
            found.append(error(ref, f"unknown folder `{entry.name}` in content/: nothing in it is read",
                               did_you_mean(entry.name, folders) + f" content/ holds only {', '.join(folders)}"))
        elif entry.is_file():
            places = [f"content/{k.folder}/<article-slug>/" if k.nested else f"content/{k.folder}/" for k in kinds]
            found.append(error(ref, f"`{entry.name}` sits directly in content/, where nothing is read",
                               f"move it into its kind's folder: {', '.join(places[:-1])} or {places[-1]}"))
    for kind in kinds:
        if not kind.nested and (base / kind.folder).is_dir():
            found.extend(stray_entries(base / kind.folder, root, cache))
    return found


def registry_kinds(kinds: Sequence[Any] | None) -> Sequence[Any]:
    """The content kinds to load: those given, or the registry's (kinds/: imported here, as it imports this module)."""
    if kinds is not None:
        return kinds
    from ..kinds import content_kinds
    return content_kinds()


def kind_folders(base: Path, kinds: Sequence[Any], cache: LoadCache | None = None) -> list[tuple[Path, Any, Callable[..., Any]]]:
    """Each folder the load stage reads, with its kind and the maker of its records (a nested kind: one per sub-folder)."""
    found: list[tuple[Path, Any, Callable[..., Any]]] = []
    for kind in kinds:
        folder = base / kind.folder
        if not kind.nested:
            found.append((folder, kind, kind.make))
        elif folder.is_dir():
            found += [(folder / name, kind, kind.make_in(name))
                      for name, is_dir, _ in listed(folder, cache) if is_dir and not slug_problem(name)]
    return found


def content_jobs(base: Path, root: Path, cache: LoadCache | None = None,
                 kinds: Sequence[Any] | None = None) -> list[tuple[str, str, tuple[Any, ...]]]:
    """Every content file the walk in load_content will read, with the arguments of its load_or_report."""
    jobs = []
    for folder, kind, make in kind_folders(base, registry_kinds(kinds), cache):
        prefix, location = relative(folder, root) + "/", f"{folder}{os.sep}"  # once per folder, not per file
        jobs += [(prefix + name, location + name, (folder, name, root, kind.schema, kind.what, make))
                 for name in content_names(folder, cache)]
    return jobs


def load_content(root: Path, cache: LoadCache | None = None, kinds: Sequence[Any] | None = None) -> Loaded:
    """Read every content file under `root/content`, collecting all problems (unchanged files from `cache`).

    `kinds`: the registry's content kinds (kinds/), each read from its folder with its schema.
    """
    problems: list[Diagnostic] = []
    base = root / "content"
    kinds = registry_kinds(kinds)
    if cache is not None:
        cache.prefetch(content_jobs(base, root, cache, kinds),
                       lambda job, read, found: load_or_report(job[0] / job[1], *job[2:], found, read))  # type: ignore[call-arg]
    records: dict[str, tuple[Any, ...]] = {}
    for kind in kinds:
        if kind.nested:
            records[kind.folder] = tuple(load_annotations(base / kind.folder, root, problems, cache, kind))
        else:
            records[kind.folder] = tuple(load_kind(base / kind.folder, root, kind.schema, kind.what, kind.make,
                                                   problems, cache))
    content = Content(**records)
    problems.extend(content_layout(base, root, cache, kinds))
    return Loaded(content, tuple(problems))
