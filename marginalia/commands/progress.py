"""A progress bar for long builds on a terminal; silent when output is not a TTY or in CI."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

# Builds with fewer pages to render finish before a bar would be worth drawing.
MIN_PAGES_FOR_BAR = 200


def wants_bar() -> bool:
    """A bar only for a person watching a terminal: not in CI, not when standard error is redirected."""
    return sys.stderr.isatty() and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"


@contextmanager
def progress_bar() -> Iterator[Callable[[int, int], None] | None]:
    """A `progress(done, total)` callback drawing a tqdm bar on standard error, or None when unwanted."""
    if not wants_bar():
        yield None
        return
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency; a build without a bar still works
        yield None
        return
    bar: Any = None

    def advance(count: int, total: int) -> None:
        nonlocal bar
        if total < MIN_PAGES_FOR_BAR:
            return
        if bar is None:
            bar = tqdm(total=total, unit="page", desc="render", file=sys.stderr, leave=False)
        bar.update(count)

    try:
        yield advance
    finally:
        if bar is not None:
            bar.close()
