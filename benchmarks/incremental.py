"""The edit loop on the benchmark corpus, with and without search: nothing changed, one annotation edited.

Usage: python3 benchmarks/incremental.py [--sizes 1000 10000] [--edits 3] [--search off on]
                                         [--markdown-share 0.5] [--work DIR] [--python PATH]

For each size and each search setting it copies the Marginalia project of run.py's mixed
corpus (`work/corpus-<N>-seed1-md50/`, generated when missing; `--markdown-share 0` for the
plain-text one) to `work/incremental-<N>-search-<off|on>/`, makes one cold build (timed,
reported as a single run), then times, each as its own `build.py` process (with
`--no-search` when search is off; search on is the default `python3 build.py`):

- `nothing changed`: a build right after the previous one (the median of `--edits` runs);
- `one annotation edited`: a sentence appended to one annotation (a different one each
  time), then a build (median of `--edits` runs); its pages rendered again are counted.

Three times per row: the build's own seconds as `build.py` reports them ("in X s", from the
start of the build to the end of the swap, the search index included), the whole
process's wall time (interpreter start-up and imports included), and its CPU time (user +
system, Pagefind's processes included: the figure that stays comparable when the machine is
busy); then the largest sum of PSS over the build's process tree (measure.py's sampler: the
parent and its forked workers together, each shared page once). After the last edit the
site is compared with a clean `--full` build of the same files with the same search
setting: the `identical` column says whether every byte of every file matches (the search
index included), and otherwise names the first files that differ.
Standard library only.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import measure  # noqa: E402  (measure.py: the process tree's PSS)
import run  # noqa: E402  (run.py: corpus generation, default interpreter)

REPORTED = re.compile(r" in ([0-9.]+) s → ")
RENDERED = re.compile(r", ([0-9]+) rendered again\)")


def build(python: Path, project: Path, out: Path, *extra: str) -> tuple[float, float, int, str, float, int]:
    """One build.py run: (reported seconds, process wall seconds, pages rendered again, last line, CPU seconds,
    peak PSS of its process tree in KiB).

    The CPU seconds are user + system time of the process and every process it waited for (Pagefind's),
    the figure to compare on a loaded machine. The PSS is measure.py's sampler's: the build and its
    forked workers summed, each shared page counted once.
    """
    started, before = time.perf_counter(), children_cpu()
    process = subprocess.Popen([str(python), str(run.BUILD_PY), "--root", str(project), "--out", str(out), *extra],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "MARGINALIA_NO_BOOTSTRAP": "1"})
    sampler = measure.TreeSampler(process.pid)
    sampler.start()
    output, _ = process.communicate()
    sampler.stop()
    wall, cpu = time.perf_counter() - started, children_cpu() - before
    line = output.strip().splitlines()[-1] if output.strip() else ""
    if process.returncode != 0:
        raise SystemExit(f"build failed ({process.returncode}): {line}")
    reported = REPORTED.search(line)
    rendered = RENDERED.search(line)
    count = 0 if line.startswith("nothing changed") else int(rendered.group(1)) if rendered else -1
    return float(reported.group(1)) if reported else float("nan"), wall, count, line, cpu, sampler.pss_peak_kb


def children_cpu() -> float:
    """User + system seconds of every child process waited for so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def compare_sites(site: Path, clean: Path) -> str:
    """`yes` when both folders hold the same files with the same bytes, else `NO` and the first differences."""
    ours, theirs = tree(site), tree(clean)
    differ = sorted(name for name in ours.keys() | theirs.keys() if ours.get(name) != theirs.get(name))
    if not differ:
        return "yes"
    shown = ", ".join(differ[:3]) + (f" and {len(differ) - 3} more" if len(differ) > 3 else "")
    return f"NO ({len(differ)} files: {shown})"


def edit_annotation(project: Path, index: int) -> str:
    """Append a sentence to the index-th article's first annotation; returns its path."""
    folders = sorted(p for p in (project / "content" / "annotations").iterdir() if p.is_dir())
    note = sorted(folders[index * 7 % len(folders)].glob("*.md"))[0]
    note.write_text(note.read_text(encoding="utf-8") + f"\nEdited in run {index}.\n", encoding="utf-8")
    return note.relative_to(project).as_posix()


def measure_size(size: int, search: str, args: argparse.Namespace) -> list[tuple[str, ...]]:
    """The rows for one corpus size and one search setting (`on` or `off`)."""
    source = run.ensure_corpus(args.work, size, 1, args.markdown_share) / "marginalia"
    folder = args.work / f"incremental-{size}-search-{search}"
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(source, folder / "project", ignore=shutil.ignore_patterns(".cache", "site"))
    project, out = folder / "project", folder / "site"
    flags = () if search == "on" else ("--no-search",)
    run.say(f"{size}, search {search}: cold build")
    cold = [build(args.python, project, out, *flags)]
    unchanged = [build(args.python, project, out, *flags) for _ in range(args.edits)]
    edited = []
    for index in range(args.edits):
        name = edit_annotation(project, index)
        edited.append(build(args.python, project, out, *flags))
        run.say(f"{size}, search {search}: edited {name}: {edited[-1][3]}")
    clean = folder / "clean"
    shutil.copytree(project, clean / "project", ignore=shutil.ignore_patterns(".cache", "site"))
    build(args.python, clean / "project", clean / "site", "--full", *flags)
    identical = compare_sites(out, clean / "site")
    rows = []
    for what, runs in (("cold", cold), ("nothing changed", unchanged), ("one annotation edited", edited)):
        rendered = "all" if what == "cold" else str(max(r[2] for r in runs))
        rows.append((str(size), search, what, str(len(runs)), f"{statistics.median(r[0] for r in runs):.2f}",
                     f"{statistics.median(r[1] for r in runs):.2f}",
                     f"{min(r[1] for r in runs):.2f}–{max(r[1] for r in runs):.2f}",
                     f"{statistics.median(r[4] for r in runs):.2f}", f"{max(r[5] for r in runs) / 1024:.0f}", rendered,
                     identical if what != "cold" else "-"))
    return rows


def main(argv: list[str] | None = None) -> int:
    """Measure and print one Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--search", nargs="+", choices=("off", "on"), default=["off", "on"],
                        help="search index settings to measure (default both)")
    parser.add_argument("--markdown-share", type=float, default=run.corpus_module.DEFAULT_MARKDOWN_SHARE,
                        help="share of Markdown seeds in the corpus (default 0.5; 0 = plain text only)")
    parser.add_argument("--work", type=Path, default=HERE / "work")
    parser.add_argument("--python", type=Path, default=run.default_python())
    args = parser.parse_args(argv)
    if args.edits < 1 or not 0 <= args.markdown_share <= 1:
        parser.error("--edits must be positive and --markdown-share between 0 and 1")
    args.work = args.work.resolve()
    header = ("N", "search", "build", "runs", "build s (reported, median)", "process s (wall, median)",
              "process s (min–max)", "CPU s (user+sys, median)", "peak PSS MB (tree)", "pages rendered", "identical to clean")
    rows = [row for size in args.sizes for search in args.search for row in measure_size(size, search, args)]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    load = " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    print(f"\n{args.markdown_share:.0%} Markdown seeds; {os.cpu_count()} CPUs; load average at the end: {load}")
    return 0 if all("NO" not in row[-1] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
