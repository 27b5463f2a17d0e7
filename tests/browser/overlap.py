"""Several pages of one browser at work at once, with Playwright's sync API.

Every sync call blocks, but a page goes on loading and running its scripts while Python waits on
another one. So a test starts the slow part in each page of a small window (a navigation that
returns at `commit`, a promise left running in the page) and collects the results in order:
the browser's work on one page overlaps the round trips and the work on the others.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable
from typing import TypeVar

Item = TypeVar("Item")
Started = TypeVar("Started")
Result = TypeVar("Result")

# Pages in flight at once: enough to keep every core busy while Python waits on one page,
# few enough that they do not just queue for the same cores. Overridable for slow machines.
WINDOW = int(os.environ.get("MARGINALIA_BROWSER_WINDOW", "0")) or max(2, min(4, (os.cpu_count() or 1) + 1))


def overlapped(items: Iterable[Item], start: Callable[[Item], Started], finish: Callable[[Item, Started], Result],
               window: int = WINDOW) -> list[Result]:
    """`finish(item, start(item))` for every item, in order, with up to `window` items started and not finished."""
    in_flight: deque[tuple[Item, Started]] = deque()
    results: list[Result] = []
    for item in items:
        in_flight.append((item, start(item)))
        if len(in_flight) >= window:
            results.append(finish(*in_flight.popleft()))
    while in_flight:
        results.append(finish(*in_flight.popleft()))
    return results
