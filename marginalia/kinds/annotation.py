"""Annotations: content/annotations/<article>/<id>.md, one note anchored to a passage; shown on other kinds' pages."""

from __future__ import annotations

from ..content import schemas
from ..content.placeholders import BODIES
from ..content.load import annotation_maker
from ..content.records import Annotation
from ..content.validate import check_annotation
from .kind import Kind

KIND = Kind("annotation", "annotations", "an annotation", Annotation, schemas.ANNOTATION, nested=True, make_in=annotation_maker,
            check=check_annotation,
            scaffold_body=BODIES["annotation"],
)
