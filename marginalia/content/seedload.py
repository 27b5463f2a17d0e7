"""Pairing article records with their seeds: read each seed, apply `strip`, fill defaults."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from dataclasses import dataclass
from ..frozen import pickled_by_fields
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, MarginaliaError, SourceRef, error, warning
from .fields import FieldError, read_date, read_url
from .frontmatter import DocumentError, read_text
from ..incremental.loadcache import LoadCache, Reader
from .records import Article
from .seeds import SeedText, read_seed
from ..suggest import closest, did_you_mean

SEED_SUFFIXES = (".txt", ".md")


def seed_names(root: Path) -> list[str]:
    """The seed files present, sorted."""
    try:
        with os.scandir(root / "seeds") as found:  # the file type comes with the listing: no stat per seed
            return sorted(e.name for e in found if e.name.endswith(SEED_SUFFIXES) and e.is_file())
    except OSError:
        return []


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class SeedFacts:
    """What the build needs of a seed whose article page is not rendered again: kept in the cache between builds."""

    ref: SourceRef
    defaults: dict[str, Any]
    block_starts: tuple[int, ...]  # where each block starts in the article's plain text

    @classmethod
    def of(cls, seed: SeedText) -> SeedFacts:
        """The facts of a seed read in full."""
        starts, offset = [], 0
        for block in seed.blocks:
            starts.append(offset)
            offset += len(block.text) + 1
        return cls(seed.ref, seed.defaults, tuple(starts))


class SeedSource:
    """An article's seed: its facts at once, its full text when a page needs it.

    Only the pages rendered again read a seed's blocks, so after a small edit the other seeds
    are not parsed (10,000 seeds take 0.7 s); the text is then read and parsed on first use.
    """

    def __init__(self, root: Path, article: Article, facts: SeedFacts, text: SeedText | None = None,
                 digest: str = "") -> None:
        self.root, self.article, self.facts, self.digest = root, article, facts, digest
        self._text = text

    def text(self) -> SeedText:
        """The seed read into blocks (once); an error if its bytes are not those the build started with (`digest`)."""
        if self._text is None:
            ref = SourceRef(f"seeds/{self.article.seed}")
            reader = Reader(self.root / "seeds" / self.article.seed)
            seed = read_seed(read_text(reader.path, ref, reader), ref, self.article.strip)
            if reader.digest != self.digest or SeedFacts.of(seed) != self.facts:
                raise MarginaliaError(f"{ref.path} changed while the site was being built; run the build again")
            self._text = seed
        return self._text


def load_seeds(root: Path, articles: tuple[Article, ...], cache: LoadCache | None = None
               ) -> tuple[tuple[Article, ...], dict[str, SeedSource], list[Diagnostic]]:
    """Each article with its seed read and its defaults filled; seeds by article slug; problems.

    A seed unchanged since the last build is not read: its facts come from the `cache`.
    """
    cache = cache if cache is not None else LoadCache()
    problems: list[Diagnostic] = []
    names = seed_names(root)
    present = set(names)  # `in` on the list was quadratic: 10,000 seeds, 10,000 look-ups
    done: list[Article] = []
    sources: dict[str, SeedSource] = {}
    for article in articles:
        parsed: list[SeedText] = []

        def make(read: Callable[[], bytes], found: list[Diagnostic], article: Article = article,
                 parsed: list[SeedText] = parsed) -> SeedFacts | None:
            seed = read_article_seed(root, article, names, found, read, present)
            if seed is None:
                return None
            parsed.append(seed)
            return SeedFacts.of(seed)

        name, salt = f"seeds/{article.seed}", seed_salt(cache, article)
        facts = cache.parse(name, root / "seeds" / article.seed, salt, make, problems)
        if facts is None:
            continue
        filled = with_defaults(article, facts, problems)
        if filled is not None:
            done.append(filled)
            sources[article.slug] = SeedSource(root, article, facts, parsed[0] if parsed else None, cache.digest(name, salt))
    used = {a.seed for a in articles}
    problems += [warning(SourceRef(f"seeds/{name}"), "this seed has no article record, so it is not published",
                         f"add content/articles/<slug>.md with `seed: {name}`") for name in names if name not in used]
    return tuple(done), sources, problems


def seed_salt(cache: LoadCache, article: Article) -> str:
    """What a seed's reading depends on besides its own bytes: the record that names it (its `strip`, its lines)."""
    return cache.digest(article.lines.ref.path)


def read_article_seed(root: Path, article: Article, names: list[str], problems: list[Diagnostic],
                      read: Callable[[], bytes] | None = None, present: set[str] | None = None) -> SeedText | None:
    """The article's seed read into blocks (its bytes from `read` when given), or None with a diagnostic."""
    where = article.lines.of("seed")
    if "/" in article.seed or "\\" in article.seed or article.seed.startswith("."):
        problems.append(error(where, f"`seed: {article.seed}` must be a file name inside seeds/, not a path",
                              "write only the file name, e.g. `seed: 000_2c5601f76085a0fa.txt`"))
        return None
    if article.seed not in (present if present is not None else names):
        problems.append(error(where, f"there is no seed `{article.seed}` in seeds/", did_you_mean(article.seed, names)))
        return None
    ref = SourceRef(f"seeds/{article.seed}")
    try:
        seed = read_seed(read_text(root / "seeds" / article.seed, ref, read), ref, article.strip)
    except DocumentError as exc:
        problems.append(exc.diagnostic)
        return None
    except Exception as exc:  # one odd seed must not stop the run: report it with its file
        problems.append(error(ref, f"this seed could not be read ({type(exc).__name__}: {exc})",
                              "check the seed for unusual structure; if it looks right, please report this as a bug"))
        return None
    for line in seed.unmatched_strip:
        index = article.strip.index(line)
        lines = [b.text for b in seed.blocks]
        problems.append(error(article.lines.of(f"strip.{index}"), f"the strip line “{line[:80]}” is not a line of {ref.path}",
                              closest_line_hint(line, lines)))
    return seed


def closest_line_hint(line: str, lines: list[str]) -> str:
    """Suggest the seed line most like a mistyped strip entry."""
    best = closest(line, lines, limit=1)
    return f"copy the line exactly; the closest line is “{best[0][:100]}”" if best else "copy the line exactly from the seed"


def with_defaults(article: Article, seed: SeedFacts, problems: list[Diagnostic]) -> Article | None:
    """Fill title, published and url from the seed's front matter where the record leaves them out."""
    meta = seed.defaults
    title = article.title or text_or_none(meta.get("title"))
    if not title:
        problems.append(error(article.lines.ref.at(1), "the article has no title and its seed's front matter gives none",
                              "add `title: \"…\"` with the headline as the original states it"))
        return None
    published = article.published or seed_value(read_date, meta.get("date"), seed.ref, problems)
    url = article.url or seed_value(read_url, meta.get("source_url"), seed.ref, problems)
    return dataclasses.replace(article, title=" ".join(title.split()), published=published, url=url)


def text_or_none(value: Any) -> str | None:
    """A string value, or None."""
    return value.strip() if isinstance(value, str) and value.strip() else None


def seed_value(reader: Any, value: Any, ref: SourceRef, problems: list[Diagnostic]) -> Any:
    """A default from seed front matter; a malformed one is a warning (seeds are never edited)."""
    if value is None:
        return None
    try:
        return reader(value)
    except FieldError as exc:
        problems.append(warning(ref.at(1), f"the seed's front matter value is ignored: {exc}",
                                "set the field in the article record instead"))
        return None
