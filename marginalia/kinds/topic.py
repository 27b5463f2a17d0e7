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


def topic_page(maker: Any, slug: str, number: int) -> Files:
    """One page of a topic's articles and notes, side by side; page 1 also has its claims and its feed."""
    views = maker.views
    (articles, notes), pager = maker.paged("topic", "topics", slug, number)
    context = {**views.topic(slug, articles, notes, number == 1), "pager": pager}
    path = maker.urls.numbered("topics", slug, number)
    if number > 1:
        return {KIND.outputs(slug, number)[0]: maker.page(path, "topic.html", context)}
    feed = Link(f"{context['topic'].title}: articles", views.href("topics", slug) + "feed.xml")
    html = maker.page(path, "topic.html", {**context, "feeds": [feed]})
    every = maker.reads.tagged(slug) + [p.annotation.article for p in maker.reads.notes_by("by_topic", slug)]
    atom = topic_feed(maker.reads, maker.config, maker.urls, slug, sorted(dict.fromkeys(every), key=views.position))
    page, feed_file = KIND.outputs(slug)
    return {page: html, feed_file: atom}


def topics_index(maker: Any, number: int) -> dict[str, Any]:
    """The topics index, with how many notes each has."""
    (slugs,), pager = maker.paged("index_topics", "topics", "", number)
    topics = maker.views.topics(slugs)
    return {"topics": topics, "counts": {t.slug: maker.reads.count_by("by_topic", t.slug) for t in topics}, "pager": pager}


KIND = Kind("topic", "topics", "a topic", Topic, schemas.TOPIC, make_topic,
            scaffold_body=BODIES["topic"],
            section="topics", searched=True, nav_label="Topics", nav_order=5, extras=("feed.xml",),
            slugs=lambda library: library.topics, page=topic_page, index=topics_index)
