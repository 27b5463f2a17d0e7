"""Speakers: content/speakers/<slug>.md, a person or organisation quoted in the articles; one page each."""

from __future__ import annotations

from typing import Any

from ..content import schemas
from ..content.placeholders import BODIES
from ..content.load import make_speaker
from ..content.records import Speaker
from .kind import Files, Kind


def speaker_page(maker: Any, slug: str) -> Files:
    """A speaker page."""
    return {KIND.outputs(slug)[0]: maker.page(maker.urls.page("speakers", slug), "speaker.html", maker.views.speaker(slug))}


def speakers_index(maker: Any) -> dict[str, Any]:
    """The speakers index, with how many quotes each has."""
    speakers = maker.views.speakers()
    return {"speakers": speakers, "counts": {s.slug: maker.reads.count_by("by_speaker", s.slug) for s in speakers}}


KIND = Kind("speaker", "speakers", "a speaker", Speaker, schemas.SPEAKER, make_speaker,
            scaffold_body=BODIES["speaker"],
            section="speakers", searched=True, nav_label="Speakers", nav_order=4,
            slugs=lambda library: library.speakers, page=speaker_page, index=speakers_index)
