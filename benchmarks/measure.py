"""Run one command in a fresh child process and report its wall time and memory as JSON.

Usage: python3 benchmarks/measure.py [--cwd DIR] [--log FILE] -- COMMAND [ARGS...]

Prints one JSON line: returncode, wall_s, cpu_s, tree_peak_kb, single_peak_kb, samples.

- wall_s: time.perf_counter() from just before the command starts to its exit.
- cpu_s: user + system CPU seconds of the command and every descendant it waited for
  (getrusage(RUSAGE_CHILDREN)); above wall_s means several cores were used.
- tree_peak_kb: the largest SUM of resident set sizes of the whole process tree (the command
  and all its descendants, e.g. the workers of a process pool), sampled from /proc every
  SAMPLE_INTERVAL seconds. Pages shared between forked workers are counted once per
  process, so this is an upper bound of the real footprint; a spike shorter than the
  interval can be missed.
- single_peak_kb: getrusage(RUSAGE_CHILDREN).ru_maxrss, i.e. the peak RSS of the largest
  single descendant process (exact, kernel-accounted, but blind to the sum over workers).

Run it as its own process for every measurement so that RUSAGE_CHILDREN starts from zero.
Standard library only; the tree sampling needs Linux /proc and degrades to 0 elsewhere.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

SAMPLE_INTERVAL = 0.02
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024 if hasattr(os, "sysconf") else 4


def children_of(pid: int) -> list[int]:
    """Direct children of a process, from /proc/<pid>/task/*/children (empty when unknown)."""
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as handle:
                found.extend(int(p) for p in handle.read().split())
        except OSError:
            continue
    return found


def rss_kb(pid: int) -> int:
    """Resident set size of one process in KiB (0 when it has gone)."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * PAGE_KB
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss_kb(root: int) -> int:
    """Sum of RSS over a process and all its descendants."""
    total, stack, seen = 0, [root], set()
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += rss_kb(pid)
        stack.extend(children_of(pid))
    return total


class TreeSampler(threading.Thread):
    """Background thread keeping the peak of tree_rss_kb(pid) until stopped."""

    def __init__(self, pid: int, interval: float = SAMPLE_INTERVAL) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_kb, self.samples = 0, 0
        self.stopped = threading.Event()

    def run(self) -> None:
        """Sample until stop() is called."""
        while not self.stopped.is_set():
            self.peak_kb = max(self.peak_kb, tree_rss_kb(self.pid))
            self.samples += 1
            self.stopped.wait(self.interval)

    def stop(self) -> None:
        """Stop sampling and wait for the thread."""
        self.stopped.set()
        self.join()


def measure(command: list[str], cwd: Path | None, log: Path | None) -> dict[str, float | int]:
    """Run `command` to completion and return its measurements."""
    sink = open(log, "wb") if log else subprocess.DEVNULL
    try:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        sampler = TreeSampler(process.pid)
        sampler.start()
        returncode = process.wait()
        wall = time.perf_counter() - start
        sampler.stop()
    finally:
        if log:
            sink.close()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"returncode": returncode, "wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime,
            "tree_peak_kb": max(sampler.peak_kb, usage.ru_maxrss), "single_peak_kb": usage.ru_maxrss,
            "samples": sampler.samples}


def main(argv: list[str] | None = None) -> int:
    """Command line: measure one command, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cwd", type=Path, help="working directory for the command")
    parser.add_argument("--log", type=Path, help="file for the command's stdout and stderr (default: discard)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then the command")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")
    print(json.dumps(measure(command, args.cwd, args.log)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
