"""The front-matter fields of each kind of content file, as the content format declares them."""

from __future__ import annotations

from typing import Any

from slugify import slugify

from .fields import Field, FieldError, read_choice, read_date, read_list, read_slug, read_text, read_url
from .records import KINDS, SPEAKER_KINDS, STATUSES, Correction, Source


def read_source(value: Any) -> Source:
    """`{title, url}` or `{title, article}`."""
    if not isinstance(value, dict):
        raise FieldError("must be a mapping with `title` and `url` (or `article`)",
                         "write it as `- title: \"…\"` with `url: https://…` on the next line")
    unknown = sorted(set(value) - {"title", "url", "article"})
    if unknown:
        raise FieldError(f"has an unknown key `{unknown[0]}`", "a source has only `title` and `url` or `article`", key=unknown[0])
    if "title" not in value:
        raise FieldError("has no `title`", "add `title: \"…\"`: the name of the source as a reader should see it")
    if ("url" in value) == ("article" in value):
        raise FieldError("needs exactly one of `url` and `article`",
                         "use `url:` for an outside address, `article:` for an article slug of this digest")
    title = read_nested(read_text, value, "title")
    if "url" in value:
        return Source(title=title, url=read_nested(read_url, value, "url"))
    return Source(title=title, article=read_nested(read_slug, value, "article"))


def read_nested(reader: Any, mapping: dict[str, Any], key: str) -> Any:
    """Read one key of a nested mapping, naming the key in any error."""
    try:
        return reader(mapping[key])
    except FieldError as exc:
        raise FieldError(f"`{key}` {exc}", exc.hint, key=key) from None


# A quote is a passage, not the article: past a few hundred words it is no longer a quote, and finding
# the closest passage to a miss costs time in proportion to its length times the article's.
MAX_QUOTE_WORDS = 300
MAX_QUOTE_CHARS = 3_000
# An outlet's name becomes a file name (outlets/<slug>/): file systems allow 255 bytes.
MAX_OUTLET_CHARS = 120
# A figure is a number as articles write it ("400,000", "nine straight months"): every spelling becomes one
# branch of the pattern searched through every article, so many or long spellings make every build slow.
MAX_SPELLING_CHARS = 80
MAX_MATCHES = 20


def read_quote(value: Any) -> str:
    """A quote (or prefix, suffix) of at most MAX_QUOTE_WORDS words."""
    text = read_text(value)
    words = len(text.split())
    if words > MAX_QUOTE_WORDS or len(text) > MAX_QUOTE_CHARS:
        raise FieldError(f"is too long ({words:,} words, {len(text):,} characters; the limit is {MAX_QUOTE_WORDS} words "
                         f"and {MAX_QUOTE_CHARS:,} characters)",
                         "quote the passage the note is about, not the article: a sentence or two is best")
    return text


def read_outlet(value: Any) -> str:
    """An outlet's name, short enough that its slug makes a file name."""
    text = read_text(value)
    if len(text) > MAX_OUTLET_CHARS or len(slugify(text)) > MAX_OUTLET_CHARS:
        raise FieldError(f"is too long ({len(text):,} characters; the limit is {MAX_OUTLET_CHARS})",
                         "write the publisher's name only, e.g. \"Washington Examiner\"")
    return text
def read_spelling(value: Any) -> str:
    """A figure's `value` or one of its `matches`: a short phrase, as the articles write it."""
    text = read_text(value)
    if len(text) > MAX_SPELLING_CHARS:
        raise FieldError(f"is too long ({len(text):,} characters; the limit is {MAX_SPELLING_CHARS})",
                         "write the figure as the articles write it, e.g. \"400,000\" or \"nine months\"")
    return text


def read_matches(value: Any) -> tuple[str, ...]:
    """A figure's other spellings: at most MAX_MATCHES of them."""
    spellings = read_list(read_spelling)(value)
    if len(spellings) > MAX_MATCHES:
        raise FieldError(f"has {len(spellings):,} spellings; the limit is {MAX_MATCHES}",
                         "keep only the spellings the articles use; a figure with other meanings needs its own record")
    return spellings


def read_correction(value: Any) -> Correction:
    """`{date, note}`: one entry of a `corrections:` list."""
    if not isinstance(value, dict):
        raise FieldError("must be a mapping with `date` and `note`",
                         "write it as `- date: 2026-02-26` with `note: \"what was corrected and why\"` on the next line")
    unknown = sorted(set(value) - {"date", "note"})
    if unknown:
        raise FieldError(f"has an unknown key `{unknown[0]}`", "a correction has only `date` and `note`", key=unknown[0])
    for key in ("date", "note"):
        if key not in value:
            raise FieldError(f"has no `{key}`", "each correction needs `date: YYYY-MM-DD` and `note: \"…\"`")
    return Correction(read_nested(read_date, value, "date"), read_nested(read_text, value, "note"))


def read_slug_or_list(value: Any) -> tuple[str, ...]:
    """One slug, or a list of them (`figure: 400000` or `figure: [400000, nine-months]`)."""
    return (read_slug(value),) if isinstance(value, str) else SLUGS(value)


SLUGS = read_list(read_slug)
CORRECTIONS = read_list(read_correction)
TEXTS = read_list(read_text)

ARTICLE = (
    Field("seed", read_text, required=True, help="the file name inside seeds/"),
    Field("title", read_text),
    Field("outlet", read_outlet),
    Field("published", read_date),
    Field("url", read_url),
    Field("topics", SLUGS),
    Field("strip", TEXTS),
)

ANNOTATION = (
    Field("quote", read_quote, required=True, help="the exact passage of the article"),
    Field("prefix", read_quote),
    Field("suffix", read_quote),
    Field("kind", read_choice(*KINDS), required=True, help="one of " + ", ".join(KINDS)),
    Field("speaker", read_slug),
    Field("claim", read_slug),
    Field("topics", SLUGS),
    Field("sources", read_list(read_source)),
    Field("author", read_text),
    Field("updated", read_date),
    Field("figure", read_slug_or_list),
    Field("corrections", CORRECTIONS),
    Field("stated", read_date),
)

SPEAKER = (
    Field("name", read_text, required=True, help="the name as the articles give it"),
    Field("role", read_text),
    Field("organization", read_text),
    Field("aliases", TEXTS),
    Field("kind", read_choice(*SPEAKER_KINDS)),
)

TOPIC = (Field("title", read_text, required=True),)

CLAIM = (
    Field("statement", read_text, required=True, help="the claim in one sentence"),
    Field("status", read_choice(*STATUSES), required=True, help="one of " + ", ".join(STATUSES)),
    Field("speakers", SLUGS),
    Field("topics", SLUGS),
    Field("first_seen", read_date),
    Field("reviewed", read_date),
    Field("corrections", CORRECTIONS),
)

FIGURE = (
    Field("value", read_spelling, required=True, help="the figure as the articles write it, e.g. \"400,000\""),
    Field("counts", read_text, required=True, help="what it counts, in one neutral sentence"),
    Field("matches", read_matches),
    Field("topics", SLUGS),
    Field("claims", SLUGS),
)
