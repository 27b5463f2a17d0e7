"""A randomized series of edits: after each, the incremental build equals a clean build, byte for byte.

A seeded generator (MARGINALIA_EDIT_SEED picks another series; the seed is in the failure
message) edits fields and bodies of every kind, adds, deletes and renames files and folders,
and changes a template, a static file, a seed and site.toml. After every edit the fast build
(cache, recorded dependencies, in-place writer) must leave exactly the files and folders that
the plain pipeline makes from scratch.
"""

from __future__ import annotations

import os
import random
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from marginalia.pipeline import TOOL_ROOT, Project, build

from .conftest import fixture_project

Edit = Callable[[Path, random.Random], str]
EDITS_PER_SERIES = 14
SEED = int(os.environ.get("MARGINALIA_EDIT_SEED", "11"))


def tree(folder: Path) -> dict[str, bytes]:
    """Every file and folder (empty ones included) under a folder, by relative path; folders as `name/`."""
    return {p.relative_to(folder).as_posix() + ("/" if p.is_dir() else ""): p.read_bytes() if p.is_file() else b""
            for p in sorted(folder.rglob("*"))}


def files(root: Path, folder: str) -> list[Path]:
    """The .md files of a content folder, at any depth, sorted."""
    return sorted((root / "content" / folder).rglob("*.md"))


def slugs(root: Path, folder: str) -> list[str]:
    """The slugs of a small kind's files."""
    return [p.stem for p in files(root, folder)]


def set_field(path: Path, key: str, value: str | None) -> None:
    """Set (or with None remove) one top-level front-matter key, block lists under it included."""
    head, _, rest = path.read_text(encoding="utf-8").partition("---\n")[2].partition("\n---\n")
    lines, kept, skipping = head.split("\n"), [], False
    for line in lines:
        if skipping and line.startswith(" "):
            continue
        skipping = line.startswith(f"{key}:")
        if not skipping:
            kept.append(line)
    if value is not None:
        kept.append(f"{key}: {value}")
    path.write_text("---\n" + "\n".join(kept) + "\n---\n" + rest, encoding="utf-8")


def set_body(path: Path, body: str) -> None:
    """Replace the Markdown below the front matter."""
    text = path.read_text(encoding="utf-8")
    head = text[: text.index("\n---\n", 4) + 5]
    path.write_text(head + body, encoding="utf-8")


def note_body(root: Path, rng: random.Random) -> str:
    path = rng.choice(files(root, "annotations"))
    set_body(path, path.read_text(encoding="utf-8").split("\n---\n", 1)[1] + f"\nAdded sentence {rng.randint(1, 999)}.\n")
    return f"body of {path.name}"


def note_field(root: Path, rng: random.Random) -> str:
    path = rng.choice(files(root, "annotations"))
    key = rng.choice(["kind", "speaker", "claim", "topics", "author", "updated"])
    value = {"kind": rng.choice(["context", "support"]), "speaker": rng.choice([*slugs(root, "speakers"), None]),
             "claim": rng.choice([*slugs(root, "claims"), None]), "topics": f"[{rng.choice(slugs(root, 'topics'))}]",
             "author": rng.choice(["ed", "kim", None]), "updated": f"2026-03-{rng.randint(10, 28)}"}[key]
    set_field(path, key, value)
    return f"{key} of {path.name} = {value}"


def note_new(root: Path, rng: random.Random) -> str:
    source = rng.choice(files(root, "annotations"))
    target = source.with_name(f"added-{rng.randint(1, 9999)}.md")
    shutil.copyfile(source, target)
    return f"new {target.name} beside {source.name}"


def note_delete(root: Path, rng: random.Random) -> str:
    path = rng.choice(files(root, "annotations"))
    path.unlink()
    return f"deleted {path.name}"


def note_rename(root: Path, rng: random.Random) -> str:
    path = rng.choice(files(root, "annotations"))
    target = path.with_name(f"renamed-{rng.randint(1, 9999)}.md")
    path.rename(target)
    return f"renamed {path.name} to {target.name}"


def article_field(root: Path, rng: random.Random) -> str:
    path = rng.choice(files(root, "articles"))
    key = rng.choice(["title", "outlet", "published", "topics"])
    value = {"title": f'"Headline {rng.randint(1, 999)}"', "outlet": rng.choice(["Washington Examiner", "Other Paper", None]),
             "published": f"2026-02-{rng.randint(1, 28):02d}", "topics": f"[{rng.choice(slugs(root, 'topics'))}]"}[key]
    set_field(path, key, value)
    return f"{key} of {path.name} = {value}"


def article_summary(root: Path, rng: random.Random) -> str:
    path = rng.choice(files(root, "articles"))
    set_body(path, f"A summary, version {rng.randint(1, 999)}.\n")
    return f"summary of {path.name}"


def article_rename(root: Path, rng: random.Random) -> str:
    """A new slug for an article: its record, its annotation folder and the sources that cite it."""
    path = rng.choice(files(root, "articles"))
    old, new = path.stem, f"{path.stem}-{rng.randint(2, 99)}"
    path.rename(path.with_name(f"{new}.md"))
    folder = root / "content" / "annotations" / old
    if folder.is_dir():
        folder.rename(folder.with_name(new))
    for note in files(root, "annotations"):
        text = note.read_text(encoding="utf-8")
        note.write_text(re.sub(rf"article: {old}\b", f"article: {new}", text), encoding="utf-8")
    return f"article {old} renamed to {new} (and its folder)"


def small_field(root: Path, rng: random.Random) -> str:
    folder = rng.choice(["speakers", "topics", "claims"])
    path = rng.choice(files(root, folder))
    key, value = {"speakers": ("role", f'"Role {rng.randint(1, 99)}"'), "topics": ("title", f'"Topic {rng.randint(1, 99)}"'),
                  "claims": rng.choice([("status", rng.choice(["misleading", "supported", "disputed"])),
                                        ("statement", f'"Statement {rng.randint(1, 99)}."')])}[folder]
    set_field(path, key, value)
    return f"{key} of {folder}/{path.name} = {value}"


def small_body(root: Path, rng: random.Random) -> str:
    path = rng.choice(files(root, rng.choice(["speakers", "topics", "claims"])))
    set_body(path, f"Body version {rng.randint(1, 999)}.\n")
    return f"body of {path.parent.name}/{path.name}"


def small_new(root: Path, rng: random.Random) -> str:
    number = rng.randint(1, 999)
    folder, text = rng.choice([("speakers", f"---\nname: Person {number}\n---\n"), ("topics", f"---\ntitle: Topic {number}\n---\n"),
                               ("claims", f"---\nstatement: Claim {number}.\nstatus: unverified\n---\n")])
    (root / "content" / folder / f"new-{number}.md").write_text(text, encoding="utf-8")
    return f"new {folder}/new-{number}.md"


def template(root: Path, rng: random.Random) -> str:
    if not (root / "templates").is_dir():
        shutil.copytree(TOOL_ROOT / "templates", root / "templates")
    path = root / "templates" / rng.choice(["base.html", "speaker.html", "claim.html"])
    path.write_text(path.read_text(encoding="utf-8") + f"{{# edit {rng.randint(1, 999)} #}}\n<!-- e -->\n", encoding="utf-8")
    return f"template {path.name}"


def static(root: Path, rng: random.Random) -> str:
    if not (root / "static").is_dir():
        shutil.copytree(TOOL_ROOT / "static", root / "static")
    choice = rng.choice(["css", "add", "remove"])
    if choice == "css":
        css = sorted((root / "static").glob("*.css"))[0]
        css.write_text(css.read_text(encoding="utf-8") + f"\n/* {rng.randint(1, 999)} */\n", encoding="utf-8")
    elif choice == "add":
        (root / "static" / "extra" / f"f{rng.randint(1, 9)}.txt").parent.mkdir(exist_ok=True)
        (root / "static" / "extra" / f"f{rng.randint(1, 9)}.txt").write_text("extra", encoding="utf-8")
    else:
        shutil.rmtree(root / "static" / "extra", ignore_errors=True)
    return f"static: {choice}"


def seed(root: Path, rng: random.Random) -> str:
    path = rng.choice(sorted((root / "seeds").iterdir()))
    path.write_bytes(path.read_bytes() + f"\n\nA paragraph added to the seed, number {rng.randint(1, 999)}.\n".encode())
    return f"seed {path.name}"


def site_toml(root: Path, rng: random.Random) -> str:
    limit = rng.choice(["", "feed_limit = 2\n"])
    paged = "".join(line for line in (root / "site.toml").read_text(encoding="utf-8").splitlines(True) if line.startswith("page_size"))
    (root / "site.toml").write_text(f'title = "Digest {rng.randint(1, 99)}"\nbase_url = "https://example.org/digest/"\n{limit}{paged}',
                                    encoding="utf-8")
    return "site.toml"


EDITS: tuple[Edit, ...] = (note_body, note_field, note_new, note_delete, note_rename, article_field, article_summary,
                           article_rename, small_field, small_body, small_new, template, static, seed, site_toml)


def clean_build(root: Path, scratch: Path) -> dict[str, bytes]:
    """The plain pipeline on a copy of the project: no cache, no earlier site."""
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(root, scratch, ignore=shutil.ignore_patterns(".cache", "site"))
    build(Project(scratch), scratch / "site", search=False, plain=True)
    return tree(scratch / "site")


@pytest.mark.slow
@pytest.mark.parametrize("page_size", [None, 1])
def test_random_edits_build_the_same_bytes_as_clean_builds(tmp_path: Path, page_size: int | None) -> None:
    """With the default page size every list of the fixture fits on one page; with 1, every list of two or more
    splits, and an added, deleted or re-dated note shifts the boundaries of the pages after it."""
    rng = random.Random(SEED)
    root = fixture_project(tmp_path / "project")
    if page_size is not None:
        with (root / "site.toml").open("a", encoding="utf-8") as settings:
            settings.write(f"page_size = {page_size}\n")
    for extra in ("speakers/other.md", "topics/other.md", "claims/other.md"):
        text = {"speakers": "---\nname: Someone Else\n---\n", "topics": "---\ntitle: Other\n---\n",
                "claims": "---\nstatement: Another claim.\nstatus: unverified\n---\n"}[extra.split("/")[0]]
        (root / "content" / extra).write_text(text, encoding="utf-8")
    build(Project(root), root / "site", search=False)
    # Every kind of edit once, in a seeded order, then seeded picks: each series covers them all.
    series = rng.sample(EDITS, len(EDITS)) + [rng.choice(EDITS) for _ in range(EDITS_PER_SERIES - len(EDITS))]
    done = []
    for edit in series:
        done.append(edit(root, rng))
        build(Project(root), root / "site", search=False)
        assert tree(root / "site") == clean_build(root, tmp_path / "clean"), f"seed {SEED}, after: {'; '.join(done)}"
    assert build(Project(root), root / "site", search=False).rendered == 0
