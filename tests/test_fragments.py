"""Note cards and article items rendered once per build (render/fragments.py), with the bytes a direct call gives."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from markupsafe import Markup

from marginalia.kinds import REGISTRY, sections
from marginalia.pipeline import Project, check
from marginalia.render.fragments import Fragments
from marginalia.render.pages import Renderer, page_specs

from .conftest import fixture_project


def renderer_for(root: Path) -> Renderer:
    """A renderer of a project."""
    checked = check(Project(root))
    kinds = sections(REGISTRY)
    return Renderer(checked.library, checked.config, Project(root).templates, page_specs(checked.library, kinds), kinds)


def test_once_renders_a_view_once_and_gives_the_macro_s_bytes(tmp_path: Path) -> None:
    renderer = renderer_for(fixture_project(tmp_path / "project"))
    placed = renderer.reads.library.placed()[0]
    note = renderer.views.note(placed)
    macro = renderer.env.get_template("_macros.html").module.quoted_note  # type: ignore[attr-defined]
    calls: list[object] = []

    def counted(view: object, **options: object) -> Markup:
        calls.append(view)
        return macro(view, **options)  # type: ignore[no-any-return]

    counted._func = macro._func  # type: ignore[attr-defined]  # the same macro, seen as `once` keys it
    fragments = Fragments()
    first = fragments.once(counted, note, show_speaker=False)
    assert fragments.once(counted, note, show_speaker=False) is first and len(calls) == 1
    assert fragments.once(counted, note) == macro(note) and len(calls) == 2  # other options: another card
    assert first == macro(note, show_speaker=False) and isinstance(first, Markup)
    other = dataclasses.replace(note, quote="another quote")  # an equal-looking view is not taken for it
    assert "another quote" in fragments.once(counted, other, show_speaker=False)


def test_contributor_text_in_a_card_is_escaped_once(tmp_path: Path) -> None:
    renderer = renderer_for(fixture_project(tmp_path / "project"))
    note = dataclasses.replace(renderer.views.note(renderer.reads.library.placed()[0]), quote='<script>alert("x")</script>')
    macro = renderer.env.get_template("_macros.html").module.quoted_note  # type: ignore[attr-defined]
    card = Fragments().once(macro, note)
    page = renderer.env.from_string("{{ card }}").render(card=card)
    assert "<script>" not in page and "&lt;script&gt;" in page and "&amp;lt;" not in page
