"""Incremental builds give the same bytes as a clean build, and a build with nothing changed touches nothing."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from marginalia.diagnostics import ContentError, MarginaliaError
from marginalia.pipeline import TOOL_ROOT, Project, build

from .conftest import fixture_project

Edit = Callable[[Path], None]


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, by relative path; folders (an empty one included) as `name/`, with no bytes."""
    return {p.relative_to(folder).as_posix() + ("/" if p.is_dir() else ""): p.read_bytes() if p.is_file() else b""
            for p in sorted(folder.rglob("*"))}


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    """Inode and modification time of every file and folder (the folder itself included)."""
    found = {".": (folder.stat().st_ino, folder.stat().st_mtime_ns)}
    for path in folder.rglob("*"):
        found[path.relative_to(folder).as_posix()] = (path.stat().st_ino, path.stat().st_mtime_ns)
    return found


def clean_build(root: Path, scratch: Path, search: bool = True) -> dict[str, bytes]:
    """A from-scratch build of a copy of the project (no cache, no earlier site)."""
    if scratch.exists():
        shutil.rmtree(scratch)
    shutil.copytree(root, scratch, ignore=shutil.ignore_patterns(".cache", "site"))
    build(Project(scratch), scratch / "site", incremental=False, search=search)
    return tree(scratch / "site")


def annotation_dir(root: Path) -> Path:
    """The first article's annotation folder."""
    return sorted(p for p in (root / "content" / "annotations").iterdir() if p.is_dir())[0]


def add_annotation(root: Path) -> None:
    folder = annotation_dir(root)
    source = sorted(folder.glob("*.md"))[0].read_text(encoding="utf-8")
    (folder / "added-note.md").write_text(source.replace("\n---\n", "\n---\nA newly added note.\n\n", 1), encoding="utf-8")


def change_annotation(root: Path) -> None:
    path = annotation_dir(root) / "added-note.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more sentence, changed.\n", encoding="utf-8")


def delete_annotation(root: Path) -> None:
    (annotation_dir(root) / "added-note.md").unlink()


def rename_speaker(root: Path) -> None:
    path = sorted((root / "content" / "speakers").glob("*.md"))[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("name:", "name: Renamed", 1).replace("Renamed ", "Renamed-", 1), encoding="utf-8")


def first_article(root: Path) -> Path:
    return sorted((root / "content" / "articles").glob("*.md"))[0]


def retitle_article(root: Path) -> None:
    path = first_article(root)
    path.write_text(path.read_text(encoding="utf-8").replace('title: "', 'title: "Retitled: ', 1), encoding="utf-8")


def change_outlet(root: Path) -> None:
    path = first_article(root)
    path.write_text(path.read_text(encoding="utf-8").replace('outlet: "', 'outlet: "Other ', 1), encoding="utf-8")


def untag_article(root: Path) -> None:
    path = first_article(root)
    path.write_text(path.read_text(encoding="utf-8").replace('  - "media-coverage"\n', "", 1), encoding="utf-8")


def change_claim_status(root: Path) -> None:
    path = sorted((root / "content" / "claims").glob("*.md"))[0]
    path.write_text(path.read_text(encoding="utf-8").replace("status: disputed", "status: misleading", 1), encoding="utf-8")


def drop_claim_from_note(root: Path) -> None:
    for path in sorted((root / "content" / "annotations").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if "claim: zero-releases\n" in text:
            path.write_text(text.replace("claim: zero-releases\n", "", 1), encoding="utf-8")
            return


def change_figure(root: Path) -> None:
    path = root / "content" / "figures" / "nine-months.md"
    path.write_text(path.read_text(encoding="utf-8").replace('"9 months", ', "", 1), encoding="utf-8")


def add_figure(root: Path) -> None:
    (root / "content" / "figures" / "ninety-nine.md").write_text('---\nvalue: "99.9%"\ncounts: "A share."\n---\n', encoding="utf-8")


def add_correction(root: Path) -> None:
    path = root / "content" / "claims" / "zero-releases.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "corrections:\n", "corrections:\n  - date: 2026-03-02\n    note: Another correction.\n", 1), encoding="utf-8")


def state_figure_in_note(root: Path) -> None:
    path = root / "content" / "annotations" / "securing" / "crossing.md"
    path.write_text(path.read_text(encoding="utf-8").replace("kind: context\n", "kind: context\nfigure: ninety-nine\n", 1),
                    encoding="utf-8")


def own_templates(root: Path) -> None:
    shutil.copytree(TOOL_ROOT / "templates", root / "templates")


def change_template(root: Path) -> None:
    path = root / "templates" / "base.html"
    path.write_text(path.read_text(encoding="utf-8").replace("</body>", "<!-- changed --></body>", 1), encoding="utf-8")


def change_static(root: Path) -> None:
    shutil.copytree(TOOL_ROOT / "static", root / "static")
    css = sorted((root / "static").glob("*.css"))[0]
    css.write_text(css.read_text(encoding="utf-8") + "\n/* changed */\n", encoding="utf-8")


def touch_only(root: Path) -> None:
    path = sorted((root / "content" / "topics").glob("*.md"))[0]
    path.write_bytes(path.read_bytes())


def delete_article(root: Path) -> None:
    path = first_article(root)
    slug = path.stem
    path.unlink()
    shutil.rmtree(root / "content" / "annotations" / slug, ignore_errors=True)
    for note in (root / "content").rglob("*.md"):  # sources that cite the deleted article
        text = note.read_text(encoding="utf-8")
        if f"article: {slug}" in text:
            note.write_text(text.replace(f"article: {slug}", "url: https://example.org/cited", 1), encoding="utf-8")


def add_static_file(root: Path) -> None:
    (root / "static" / "img").write_bytes(b"a file named like a folder")


def static_file_becomes_folder(root: Path) -> None:
    (root / "static" / "img").unlink()
    (root / "static" / "img").mkdir()
    (root / "static" / "img" / "logo.txt").write_text("logo", encoding="utf-8")
    retitle_article(root)  # pages change in the same build


def empty_static_folder(root: Path) -> None:
    (root / "static" / "img" / "logo.txt").unlink()


def change_seed(root: Path) -> None:
    seed = sorted((root / "seeds").iterdir())[0]
    seed.write_bytes(seed.read_bytes() + b"\n\nA paragraph added to the seed.\n")


def drop_static_file(root: Path) -> None:
    sorted((root / "static").glob("*.js"))[0].unlink()


EDITS: list[tuple[str, Edit]] = [
    ("add an annotation", add_annotation), ("change it", change_annotation), ("delete it", delete_annotation),
    ("rename a speaker", rename_speaker), ("retitle an article", retitle_article), ("change its outlet", change_outlet),
    ("untag it", untag_article), ("change a claim's status", change_claim_status),
    ("drop a claim from a note", drop_claim_from_note), ("change a figure", change_figure), ("add a figure", add_figure),
    ("add a correction", add_correction), ("name a figure in a note", state_figure_in_note),
    ("copy the templates", own_templates), ("change a template", change_template),
    ("change the CSS", change_static), ("add a static file", add_static_file),
    ("turn it into a folder", static_file_becomes_folder), ("empty that folder", empty_static_folder),
    ("rewrite a file unchanged", touch_only), ("delete an article", delete_article),
    ("drop a static file", drop_static_file), ("change a seed", change_seed),
]


# With search the site is rebuilt in a staging folder and swapped in; without, it is updated in place.
@pytest.mark.slow
@pytest.mark.parametrize("search", [True, False], ids=["staged", "in-place"])
def test_a_series_of_edits_builds_the_same_bytes_as_clean_builds(tmp_path: Path, search: bool) -> None:
    root = fixture_project(tmp_path / "project")
    build(Project(root), root / "site", search=search)
    for what, edit in EDITS:
        edit(root)
        build(Project(root), root / "site", search=search)
        before = stamps(root / "site")
        again = build(Project(root), root / "site", search=search)  # the state saved matches the site left
        assert (again.rendered, stamps(root / "site")) == (0, before), what
        assert not [p.name for p in root.iterdir() if p.name.startswith(".site.")], what  # no staging folder left
        expected = clean_build(root, tmp_path / "clean", search)
        got = tree(root / "site")
        assert sorted(got) == sorted(expected), what
        different = [name for name in expected if got[name] != expected[name]]
        assert not different, f"after '{what}': {different[:5]}"


def test_an_edit_renders_only_the_pages_that_show_it(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "project")
    first = build(Project(root), root / "site")
    path = sorted(annotation_dir(root).glob("*.md"))[0]
    path.write_text(path.read_text(encoding="utf-8") + "\nAn added sentence.\n", encoding="utf-8")
    second = build(Project(root), root / "site")
    assert 0 < second.rendered < first.pages


@pytest.mark.parametrize("search", [True, False], ids=["staged", "in-place"])
def test_a_build_with_nothing_changed_touches_no_file(tmp_path: Path, search: bool) -> None:
    root = fixture_project(tmp_path / "project")
    build(Project(root), root / "site", search=search)
    before = stamps(root / "site")
    result = build(Project(root), root / "site", search=search)
    assert result.rendered == 0
    assert stamps(root / "site") == before


@pytest.mark.parametrize("search", [True, False], ids=["staged", "in-place"])
def test_unchanged_pages_keep_their_inode_after_an_edit(tmp_path: Path, search: bool) -> None:
    root = fixture_project(tmp_path / "project")
    build(Project(root), root / "site", search=search)
    before = stamps(root / "site")
    rename_speaker(root)
    result = build(Project(root), root / "site", search=search)
    after = stamps(root / "site")
    kept = [name for name in before if name.endswith(".html") and after.get(name) == before[name]]
    assert "404.html" in kept
    changed = [name for name in before if name.endswith(".html") and after.get(name) != before[name]]
    assert 0 < len(changed) == result.rendered


@pytest.mark.parametrize("search", [True, False], ids=["staged", "in-place"])
def test_a_template_error_while_rendering_leaves_the_site(tmp_path: Path, search: bool) -> None:
    root = fixture_project(tmp_path / "project")
    own_templates(root)
    build(Project(root), root / "site", search=search)
    before = tree(root / "site")
    rename_speaker(root)  # some pages render again, and the speaker page's template now fails
    speaker = root / "templates" / "speaker.html"
    speaker.write_text(speaker.read_text(encoding="utf-8").replace("{% block main %}", "{% block main %}{{ no_such_value }}", 1),
                       encoding="utf-8")
    with pytest.raises(Exception, match="no_such_value"):
        build(Project(root), root / "site", search=search)
    assert tree(root / "site") == before
    assert not [p for p in root.iterdir() if p.name.startswith(".site.")]  # no staging folder left behind


def test_turning_search_off_drops_the_index(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "project")
    build(Project(root), root / "site", search=True)
    build(Project(root), root / "site", search=False)
    assert tree(root / "site") == clean_build(root, tmp_path / "clean", search=False)


def test_a_failed_build_leaves_the_site_and_the_next_build_is_right(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "project")
    build(Project(root), root / "site")
    before = tree(root / "site")
    path = sorted(annotation_dir(root).glob("*.md"))[0]
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("kind:", "kind: nonsense\nold_kind:", 1), encoding="utf-8")
    with pytest.raises(ContentError):
        build(Project(root), root / "site")
    assert tree(root / "site") == before
    path.write_text(good + "\nFixed.\n", encoding="utf-8")
    build(Project(root), root / "site")
    assert tree(root / "site") == clean_build(root, tmp_path / "clean")


def test_a_deleted_cache_gives_a_full_build_with_the_same_bytes(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "project")
    build(Project(root), root / "site")
    before = tree(root / "site")
    shutil.rmtree(root / ".cache")
    result = build(Project(root), root / "site")
    assert result.rendered == result.pages
    assert tree(root / "site") == before


def test_an_upgrade_of_a_rendering_library_drops_the_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    from marginalia.incremental import state as incremental

    before = incremental.tool_digest()
    monkeypatch.setattr(incremental, "library_version", lambda name: "99.0" if name == "markdown-it-py" else "1.0")
    assert incremental.tool_digest() != before


def test_a_seed_from_the_cache_is_read_only_when_a_page_needs_it(tmp_path: Path) -> None:
    from marginalia.incremental.loadcache import LoadCache
    from marginalia.incremental.state import input_stamps
    from marginalia.content.seedload import load_seeds
    from marginalia.content.load import load_content

    root = fixture_project(tmp_path / "project")
    articles = load_content(root).content.articles
    cache = LoadCache(input_stamps(root))
    _, first, _ = load_seeds(root, articles, cache)
    again = LoadCache(input_stamps(root), cache.files)
    _, second, _ = load_seeds(root, articles, again)
    slug = sorted(second)[0]
    assert second[slug]._text is None  # from the cache: facts only
    assert second[slug].text() == first[slug].text()  # parsed on first use, the same blocks
    source = next(s for s in second.values() if s._text is None)
    seed = root / "seeds" / source.article.seed
    seed.write_bytes(seed.read_bytes() + b"\n\nChanged mid-build.\n")
    with pytest.raises(MarginaliaError, match="changed while the site was being built"):
        source.text()


def test_compiled_templates_are_kept_per_tool_version(tmp_path: Path) -> None:
    from marginalia.incremental.fast import compiled_templates

    first = compiled_templates(tmp_path, "a" * 32)
    assert first is not None and first.is_dir()
    (first / "compiled.cache").write_bytes(b"bytecode of an older version")
    second = compiled_templates(tmp_path, "b" * 32)
    assert second is not None and second != first
    assert second.is_dir() and not first.exists()  # another version's compiled templates are never read


def test_annotation_positions_follow_the_page_text_after_an_incremental_build(tmp_path: Path) -> None:
    """annotations.jsonld is computed from the rendered page: words added to the layout shift every position, incrementally too."""
    root = fixture_project(tmp_path / "project")
    build(Project(root), root / "site")
    slug = annotation_dir(root).name
    jsonld = root / "site" / "articles" / slug / "annotations.jsonld"

    def starts() -> list[int]:
        items = json.loads(jsonld.read_text(encoding="utf-8"))["first"]["items"]
        return [item["target"]["selector"][1]["start"] for item in items]

    before = starts()
    assert before
    own_templates(root)
    base = root / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("<body>", "<body><p>Added words.</p>", 1), encoding="utf-8")
    build(Project(root), root / "site")
    assert starts() == [start + len("Added words.") for start in before]
    assert tree(root / "site") == clean_build(root, tmp_path / "clean")
