"""Run one command in a fresh child process and report its wall time and memory as JSON.

Usage: python3 benchmarks/measure.py [--cwd DIR] [--log FILE] -- COMMAND [ARGS...]

Prints one JSON line: returncode, wall_s, cpu_s, tree_pss_peak_kb, tree_peak_kb, single_peak_kb,
samples.

- wall_s: time.perf_counter() from just before the command starts to its exit.
- cpu_s: user + system CPU seconds of the command and every descendant it waited for
  (getrusage(RUSAGE_CHILDREN)); above wall_s means several cores were used.
- tree_pss_peak_kb: the largest SUM of proportional set sizes (the `Pss:` line of
  /proc/<pid>/smaps_rollup) over the whole process tree. PSS charges each page 1/n to each of
  the n processes mapping it, so pages that forked pool workers share copy-on-write with the
  parent are counted once in total instead of once per process: the sum is the tree's real
  footprint, and the fair figure to compare with a single-process tool such as Pelican or Hugo
  (for one process it is its RSS minus its share of libraries mapped by other programs too).
  smaps_rollup makes the kernel walk every mapping, much dearer than statm, so it is read only
  every PSS_EVERY-th tick of the sampler (every 3rd, i.e. every 60 ms) and, like the RSS sum,
  a spike shorter than that interval can be missed. 0 when smaps_rollup is not readable
  (not Linux, kernel before 4.14, or no permission).
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
# PSS is read on every PSS_EVERY-th sample (smaps_rollup costs far more than statm).
PSS_EVERY = 3
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


def pss_kb(pid: int) -> int:
    """Proportional set size of one process in KiB, from smaps_rollup (0 when gone or unreadable)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, IndexError, ValueError):
        pass
    return 0


def tree_pids(root: int) -> list[int]:
    """A process and all its descendants (listed once, so RSS and PSS sum over the same set)."""
    found, stack, seen = [], [root], set()
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        found.append(pid)
        stack.extend(children_of(pid))
    return found


class TreeSampler(threading.Thread):
    """Background thread keeping the peaks of the tree's RSS sum and PSS sum until stopped."""

    def __init__(self, pid: int, interval: float = SAMPLE_INTERVAL, pss_every: int = PSS_EVERY) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.pss_every = pid, interval, pss_every
        self.peak_kb, self.pss_peak_kb, self.samples = 0, 0, 0
        self.stopped = threading.Event()

    def run(self) -> None:
        """Sample until stop() is called; PSS on the first tick and every pss_every-th after it."""
        while not self.stopped.is_set():
            pids = tree_pids(self.pid)
            self.peak_kb = max(self.peak_kb, sum(rss_kb(pid) for pid in pids))
            if self.samples % self.pss_every == 0:
                self.pss_peak_kb = max(self.pss_peak_kb, sum(pss_kb(pid) for pid in pids))
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
            "tree_pss_peak_kb": sampler.pss_peak_kb,
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
