"""Speakers: content/speakers/<slug>.md, a person or organisation quoted in the articles; one page each."""

from __future__ import annotations

from typing import Any

from ..content import schemas
from ..content.placeholders import BODIES
from ..content.load import make_speaker
from ..content.records import Speaker
from .kind import Files, Kind


def speaker_page(maker: Any, slug: str, number: int) -> Files:
    """One page of a speaker's passages (page 1 also has who they are and their claims)."""
    (quotes,), pager = maker.paged("speaker", "speakers", slug, number)
    context = {**maker.views.speaker(slug, quotes, number == 1), "pager": pager}
    return {KIND.outputs(slug, number)[0]: maker.page(maker.urls.numbered("speakers", slug, number), "speaker.html", context)}


def speakers_index(maker: Any, number: int) -> dict[str, Any]:
    """The speakers index, with how many quotes each has."""
    (slugs,), pager = maker.paged("index_speakers", "speakers", "", number)
    speakers = maker.views.speakers(slugs)
    return {"speakers": speakers, "counts": {s.slug: maker.reads.count_by("by_speaker", s.slug) for s in speakers},
            "pager": pager}


KIND = Kind("speaker", "speakers", "a speaker", Speaker, schemas.SPEAKER, make_speaker,
            scaffold_body=BODIES["speaker"],
            section="speakers", searched=True, nav_label="Speakers", nav_order=4,
            slugs=lambda library: library.speakers, page=speaker_page, index=speakers_index)
