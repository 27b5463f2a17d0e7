"""Topics: content/topics/<slug>.md; one page and one feed each."""

from __future__ import annotations

from typing import Any

from ..content import schemas
from ..content.placeholders import BODIES
from ..content.load import make_topic
from ..content.records import Topic
from ..render.feeds import topic_feed
from ..render.views import Link
from .kind import Files, Kind


def topic_page(maker: Any, slug: str) -> Files:
    """A topic page and its feed."""
    views = maker.views
    context = views.topic(slug)
    feed = Link(f"{context['topic'].title}: articles", views.href("topics", slug) + "feed.xml")
    html = maker.page(maker.urls.page("topics", slug), "topic.html", {**context, "feeds": [feed]})
    atom = topic_feed(maker.reads, maker.config, maker.urls, slug, [a.slug for a in context["articles"]])
    page, feed_file = KIND.outputs(slug)
    return {page: html, feed_file: atom}


def topics_index(maker: Any) -> dict[str, Any]:
    """The topics index, with how many notes each has."""
    topics = maker.views.topics()
    return {"topics": topics, "counts": {t.slug: maker.reads.count_by("by_topic", t.slug) for t in topics}}


KIND = Kind("topic", "topics", "a topic", Topic, schemas.TOPIC, make_topic,
            scaffold_body=BODIES["topic"],
            section="topics", searched=True, nav_label="Topics", nav_order=5, extras=("feed.xml",),
            slugs=lambda library: library.topics, page=topic_page, index=topics_index)
