"""Note cards and article items rendered once per build, however many pages show them.

A note is shown on its article, its speaker's page, each of its topics' pages and its claim's
page; an article's list item on the home page, the indexes and every page that lists it. The
templates call the card's macro through `once` (`{{ once(quoted_note, note, show_speaker=false) }}`):
the macro stays plain Jinja in `_macros.html`, and `once` renders it the first time a view is
shown with those options and hands the same Markup to every later page.

That is safe because a macro imported without context (`{% from "_macros.html" import … %}`)
sees only its arguments and the environment's globals, all fixed for the build, and every view
object passed is memoised for the build (Views.note, Views.article_summary), so the same note is the
same object. Its HTML was escaped by the macro's own autoescaping when it was first rendered: no
text reaches a page without it. Nothing is noted here: the page that got the view from `Views` has
noted its inputs already (reads.py), and a template change drops every build cache.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup

# A bound on what one process keeps (about a kilobyte a card): a card is used again within a few pages of
# its first use or on pages much later; past this many the memo starts over rather than grow with the site.
MEMO_LIMIT = 40_000


class Fragments:
    """The `once` global of a Renderer's environment: each (macro, view, options) rendered once per process."""

    def __init__(self) -> None:
        self._made: dict[tuple[Any, int, tuple[tuple[str, Any], ...]], tuple[object, Markup]] = {}

    def once(self, macro: Callable[..., Markup], view: object, **options: Any) -> Markup:
        """`macro(view, **options)`, rendered the first time and reused after (the view kept, so its id stays its)."""
        # The macro's compiled body: the same macro whichever page's import made the Macro object.
        func = getattr(macro, "_func", macro)
        key = (getattr(func, "__code__", func), id(view), tuple(sorted(options.items())))
        found = self._made.get(key)
        if found is None or found[0] is not view:
            if len(self._made) >= MEMO_LIMIT:
                self._made.clear()
            found = self._made[key] = (view, macro(view, **options))
        return found[1]
