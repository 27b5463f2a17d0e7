"""Dependencies recorded while each page is made (render/reads.py), and the planner that reads them."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from marginalia.incremental.planner import ChangedPages, Fingerprints
from marginalia.kinds import REGISTRY, sections
from marginalia.pipeline import Project, build, check
from marginalia.render.pages import PageSpec, Renderer, page_specs

from .conftest import REPO, fixture_project


def renderer_for(root: Path) -> tuple[Renderer, list[PageSpec]]:
    """A renderer of the fixture site, and its page list."""
    checked = check(Project(root))
    specs = page_specs(checked.library, sections(REGISTRY))
    return Renderer(checked.library, checked.config, Project(root).templates, specs, sections(REGISTRY)), specs


def test_a_page_records_the_files_it_reads_and_no_others(tmp_path: Path) -> None:
    renderer, specs = renderer_for(fixture_project(tmp_path / "project"))
    speaker = next(s for s in specs if s.kind == "speaker")
    _, inputs = renderer.files(speaker)
    quoted = {p.annotation.lines.ref.path for p in renderer.reads.library.by_speaker[speaker.slug]}
    assert f"content/speakers/{speaker.slug}.md" in inputs
    assert quoted and quoted <= inputs  # every note that quotes the speaker
    assert f"@page:speaker|{speaker.slug}|1|50" in inputs  # which notes those are on its page: a new one is seen
    every_note = {p.annotation.lines.ref.path for p in renderer.reads.library.placed()}
    assert every_note - quoted and not (every_note - quoted) & inputs  # the other notes are not inputs


def test_a_memoised_view_records_its_inputs_on_every_page(tmp_path: Path) -> None:
    renderer, specs = renderer_for(fixture_project(tmp_path / "project"))
    home = next(s for s in specs if s.kind == "home")
    index = next(s for s in specs if s.kind == "index_articles")
    _, first = renderer.files(home)  # makes every article summary
    _, second = renderer.files(index)  # takes them from the memo
    records = {e.article.lines.ref.path for e in renderer.reads.library.articles.values()}
    assert records <= first and records <= second


def test_a_page_whose_inputs_cannot_be_known_is_rendered(tmp_path: Path) -> None:
    renderer, specs = renderer_for(fixture_project(tmp_path / "project"))
    fingerprints = Fingerprints(renderer.reads.library, lambda path: "digest", specs)
    assert fingerprints.record(["content/topics/releases.md"], "salt")[1] != ""
    assert fingerprints.record(["content/topics/releases.md", "@unknown:"], "salt")[1] == ""
    spec = specs[0]
    site = {name: (1, 1, 1) for name in spec.outputs}
    planner = ChangedPages({spec.outputs[0]: (("@unknown:",), "")}, "k", "k", dict.fromkeys(spec.outputs, "d"), site, site,
                           lambda path: "digest")
    assert planner.plan(renderer.reads.library, [spec], "settings").render == [spec]


def test_renaming_a_note_renders_its_article_its_claim_and_their_files(tmp_path: Path) -> None:
    """The rename of an annotation file (its id) reaches the article page, its JSON-LD, the claim page and feed."""
    root = fixture_project(tmp_path / "project")
    build(Project(root), root / "site", search=False)
    note = next(p for p in sorted((root / "content" / "annotations").rglob("*.md")) if "claim:" in p.read_text(encoding="utf-8"))
    claim = next(line.split(":", 1)[1].strip() for line in note.read_text(encoding="utf-8").splitlines() if line.startswith("claim:"))
    before = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    note.rename(note.with_name("renamed-note.md"))
    build(Project(root), root / "site", search=False)
    changed = {p.relative_to(root / "site").as_posix() for p, data in before.items() if p.read_bytes() != data}
    article = note.parent.name
    assert {f"articles/{article}/index.html", f"articles/{article}/annotations.jsonld",
            f"claims/{claim}/index.html", f"claims/{claim}/feed.xml"} <= changed
    clean = tmp_path / "clean"
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns(".cache", "site"))
    build(Project(clean), clean / "site", search=False, plain=True)
    assert all((clean / "site" / name).read_bytes() == (root / "site" / name).read_bytes() for name in changed)


@pytest.mark.slow
def test_an_outlet_page_follows_every_note_that_orders_its_claim_rows(tmp_path: Path) -> None:
    """The outlet page's claim rows are ordered by how contested each claim is across all articles: a note of
    another outlet's article that becomes a dispute reorders them, and the incremental build must see it."""
    root = tmp_path / "project"
    for name in ("seeds", "content", "site.toml"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
    build(Project(root), root / "site", search=False)
    note = root / "content" / "annotations" / "white-house-securing-our-homeland" / "fentanyl-cut-56.md"
    text = note.read_text(encoding="utf-8")
    assert "kind: context" in text
    note.write_text(text.replace("kind: context", "kind: dispute", 1), encoding="utf-8")  # it already cites sources
    build(Project(root), root / "site", search=False)
    build(Project(root), tmp_path / "clean", search=False, incremental=False)
    for page in ("outlets/matzav-com/index.html", "claims/index.html"):
        assert (root / "site" / page).read_bytes() == (tmp_path / "clean" / page).read_bytes(), page


def project_copy(root: Path) -> Path:
    """The project's own content, copied: the real shape of notes, claims, speakers and figures."""
    for name in ("seeds", "content", "site.toml"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
    return root


def rebuilt(root: Path, monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """Build again; the pages the Planner rendered (by their first file)."""
    import marginalia.pipeline as pipeline

    seen: list[str] = []
    real = pipeline.render

    def spy(checked: Any, planned: Any, *args: Any, **kwargs: Any) -> Any:
        seen.extend(spec.outputs[0] for spec in planned.render)
        return real(checked, planned, *args, **kwargs)

    monkeypatch.setattr(pipeline, "render", spy)
    build(Project(root), root / "site", search=False)
    monkeypatch.setattr(pipeline, "render", real)
    return set(seen)


def showing(root: Path, text: str) -> set[str]:
    """The pages (by their first file) any of whose files show `text`: what an edit of it can change."""
    specs = page_specs(check(Project(root)).library, sections(REGISTRY))
    return {spec.outputs[0] for spec in specs
            if any(text in (root / "site" / name).read_text(encoding="utf-8") for name in spec.outputs)}


def same_as_clean(root: Path, clean: Path) -> None:
    """The incremental site equals a clean build of the same files, byte for byte."""
    build(Project(root), clean, search=False, incremental=False)
    ours = {p.relative_to(root / "site"): p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    assert ours == {p.relative_to(clean): p.read_bytes() for p in clean.rglob("*") if p.is_file()}


def append_to_body(path: Path, words: str) -> None:
    """Add a sentence at the end of a file's Markdown body."""
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + f" {words}\n", encoding="utf-8")


@pytest.mark.slow
def test_an_annotation_body_edit_renders_exactly_the_pages_that_show_the_note(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    root = project_copy(tmp_path / "project")
    build(Project(root), root / "site", search=False)
    note = next(p for p in sorted((root / "content" / "annotations").rglob("*.md"))
                if all(f"\n{key}:" in p.read_text(encoding="utf-8") for key in ("speaker", "claim", "topics")))
    append_to_body(note, "Zqxwv was added here.")
    rendered = rebuilt(root, monkeypatch)
    shown = showing(root, "Zqxwv was added here.")
    kinds = {name.split("/")[0] for name in shown}
    assert {"articles", "speakers", "topics", "claims"} <= kinds  # the note is on each kind of page that lists notes
    assert rendered == shown
    same_as_clean(root, tmp_path / "clean")


@pytest.mark.slow
def test_a_speaker_description_edit_renders_only_the_pages_that_show_it(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    root = project_copy(tmp_path / "project")
    build(Project(root), root / "site", search=False)
    speaker = next(p for p in sorted((root / "content" / "speakers").glob("*.md"))
                   if p.stem in check(Project(root)).library.by_speaker)  # quoted in an article: linked from many pages
    append_to_body(speaker, "Qzxvw works here now.")
    rendered = rebuilt(root, monkeypatch)
    assert rendered == showing(root, "Qzxvw works here now.") == {f"speakers/{speaker.stem}/index.html"}
    same_as_clean(root, tmp_path / "clean")


@pytest.mark.slow
def test_a_claim_status_edit_renders_only_pages_that_name_the_claim(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project_copy(tmp_path / "project")
    build(Project(root), root / "site", search=False)
    before = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    claim = sorted((root / "content" / "claims").glob("*.md"))[0]
    text = claim.read_text(encoding="utf-8")
    status = next(line for line in text.splitlines() if line.startswith("status:"))
    claim.write_text(text.replace(status, "status: misleading" if "unverified" not in status else "status: disputed", 1),
                     encoding="utf-8")
    rendered = rebuilt(root, monkeypatch)
    changed = {p.relative_to(root / "site").as_posix() for p, data in before.items() if p.read_bytes() != data}
    linking = showing(root, f'href="/claims/{claim.stem}/"') | showing(root, f"/claims/{claim.stem}/")
    assert {name for name in changed if name.endswith(".html")} <= rendered <= linking
    assert len(rendered) < len(linking | showing(root, "<html")) / 2  # most pages do not show it
    same_as_clean(root, tmp_path / "clean")
