"""Rendering pages on every core: forked workers share the built library and compiled templates.

Output stays deterministic: each page is rendered on its own from the same inputs, and the
results are put back in the order of the page list, whatever worker made them.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items the cost of starting workers outweighs the gain (the project's own 86 pages
# took 1.43 s of wall time on two workers, 1.08 s on one).
MIN_PARALLEL_ITEMS = 200

# Each worker makes one chunk (an eighth of its share of the items), then exits and the pool forks a
# fresh one from the parent. A worker's memory grows with everything it touches: reading the shared
# library writes its reference counts, which copies each page of it the worker reads, and the views it
# memoises stay. At 10,000 articles two long-lived render workers grew to over 450 MB of PSS each; a
# fresh fork per chunk keeps each to what one chunk reads, for about 16 forks of the parent in all.
TASKS_PER_WORKER = 1

# Chunks per worker. A worker's private memory grows with the pages its chunk renders: at 10,000
# articles (cold, --no-search) 8 chunks each (820 pages) peaked at 1,180 MB PSS for all processes,
# 32 (205 pages) at 1,031 MB, for about the same CPU time (more forks, less memory touched).
CHUNKS_PER_WORKER = 32

# What the forked workers render: set in the parent just before the fork, read by the children.
_job: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


# At most this many workers while `limited` is in force (the plain pipeline: one, no fork).
_limit: int | None = None


@contextmanager
def limited(workers: int | None) -> Iterator[None]:
    """At most `workers` processes for every ordered_map inside the block (None: no limit)."""
    global _limit
    before, _limit = _limit, workers
    try:
        yield
    finally:
        _limit = before


def worker_count() -> int:
    """How many processes to render with: MARGINALIA_WORKERS, else the usable cores (at most the `limited` count)."""
    if _limit is not None:
        return _limit
    wanted = os.environ.get("MARGINALIA_WORKERS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _run_chunk(bounds: tuple[int, int]) -> list[Any]:
    """In a worker: apply the job's function to one slice of its items."""
    assert _job is not None
    function, items = _job
    return [function(item) for item in items[bounds[0]:bounds[1]]]


def ordered_map(function: Callable[[T], R], items: Sequence[T], workers: int | None = None,
                progress: Callable[[int], None] | None = None, received: Callable[[R], R] | None = None) -> list[R]:
    """`[function(x) for x in items]`, spread over forked workers when it pays; same order, same results.

    `progress(n)` is called as each run of n items is done. `received(result)`, if given, is what the
    parent keeps of each result a worker sent back (an equal value): each chunk's results are unpickled
    apart, so the same string read by pages of different chunks arrives as that many copies.
    """
    global _job
    workers = worker_count() if workers is None else workers
    # Several chunks per worker even out uneven pages and bound each worker's growth; each costs a fork, so not too small.
    size = max(32, len(items) // (max(workers, 1) * CHUNKS_PER_WORKER))
    chunks = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    _job = (function, items)
    parts: list[list[Any]] = []
    try:
        if workers <= 1 or len(items) < MIN_PARALLEL_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
            for chunk in chunks:
                parts.append(_run_chunk(chunk))
                if progress is not None:
                    progress(chunk[1] - chunk[0])
        else:
            with multiprocessing.get_context("fork").Pool(workers, maxtasksperchild=TASKS_PER_WORKER) as pool:
                for chunk, part in zip(chunks, pool.imap(_run_chunk, chunks, chunksize=1)):
                    parts.append(part if received is None else [received(result) for result in part])
                    if progress is not None:
                        progress(chunk[1] - chunk[0])
    finally:
        _job = None
    return [result for part in parts for result in part]
