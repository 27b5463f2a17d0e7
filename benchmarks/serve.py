"""The preview's edit loop: from saving an annotation to `serve` answering with the rebuilt page.

Usage: python3 benchmarks/serve.py [--sizes 1000] [--edits 5] [--markdown-share 0.5] [--work DIR] [--python PATH]
       [--pause 3]

For each size it copies the Marginalia project of run.py's mixed corpus to `work/serve-<N>/`,
starts `build.py serve --port 0` on it and waits for the first build. Then, `--edits` times, it
holds the reload script's long poll open (`/__marginalia__/version?seen=…`, as a page does),
appends a sentence to one annotation (a different one each time) and measures:

- `rebuilt`: from the file's write to the long poll's answer (the moment a page starts reloading);
- `page served`: to the end of the GET of the edited article page that a reload makes;
- `build`: the rebuild's own time as serve reports it (`rebuilt: … in X s`: the stages, not the watcher's
  delay nor the saving of the state after the page is announced);
- `CPU`: the serve process's CPU time (user + system, all its threads) from the write to the page served,
  less noisy than wall time on a shared machine (Linux only: read from /proc).

The browser's own reload (parsing, styles) comes on top and is not measured. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run  # noqa: E402  (run.py: corpus generation, default interpreter)
from incremental import edit_annotation  # noqa: E402

SERVING = re.compile(r"at (http://127\.0\.0\.1:[0-9]+/)")
REBUILT = re.compile(r"rebuilt: .* in ([0-9.]+) s")


def start_serve(python: Path, project: Path, lines: list[str]) -> tuple[subprocess.Popen[str], str]:
    """`build.py serve` on a free port, once its first build is served: the process and its address.

    Its later output is appended to `lines` as it comes."""
    process = subprocess.Popen([str(python), str(run.BUILD_PY), "serve", "--root", str(project), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "MARGINALIA_NO_BOOTSTRAP": "1"})
    assert process.stdout is not None
    for line in process.stdout:
        found = SERVING.search(line)
        if found:
            threading.Thread(target=lambda: lines.extend(process.stdout or ()), daemon=True).start()  # keep the pipe drained
            return process, found.group(1)
    raise SystemExit(f"serve stopped before serving (exit {process.wait()})")


def cpu_seconds(pid: int) -> float:
    """A process's CPU time so far, user and system, all threads (0 where /proc cannot tell)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def build_seconds(lines: list[str], start: int) -> float:
    """The time of the first rebuild serve reported after `lines[start]`, waiting a little for its line."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for line in lines[start:]:
            found = REBUILT.search(line)
            if found:
                return float(found.group(1))
        time.sleep(0.01)
    return float("nan")


def state(base: str, seen: str | None = None) -> dict[str, object]:
    """The reload endpoint's answer; with `seen`, once the state differs from it (the long poll)."""
    query = "" if seen is None else f"?seen={seen}"
    with urllib.request.urlopen(f"{base}__marginalia__/version{query}", timeout=60) as response:
        return json.loads(response.read())  # type: ignore[no-any-return]


def one_edit(base: str, project: Path, index: int, pid: int, lines: list[str]) -> tuple[float, float, float, float]:
    """Seconds to the rebuild's announcement, to the edited article page served again, of the build as serve
    reports it, and of the serve process's CPU from the edit to the page served."""
    now = state(base)
    seen = len(lines)
    answered: list[float] = []

    def wait() -> None:
        state(base, f"{now['version']}:{now['error'] or ''}")
        answered.append(time.perf_counter())

    poll = threading.Thread(target=wait)
    poll.start()
    time.sleep(0.2)  # the long poll is open, as a page's is
    cpu = cpu_seconds(pid)
    started = time.perf_counter()
    note = edit_annotation(project, index)
    poll.join(timeout=120)
    if not answered:
        raise SystemExit("no rebuild was announced within 120 s")
    article = note.split("/")[2]
    with urllib.request.urlopen(f"{base}articles/{article}/", timeout=60) as response:
        body = response.read()
    served, cpu = time.perf_counter(), cpu_seconds(pid) - cpu
    if f"Edited in run {index}.".encode() not in body:
        raise SystemExit(f"the page served after the rebuild does not show the edit to {note}")
    return answered[0] - started, served - started, build_seconds(lines, seen), cpu


def measure(size: int, args: argparse.Namespace) -> tuple[str, ...]:
    """One row: the medians and ranges of `--edits` edits at this size."""
    source = run.ensure_corpus(args.work, size, 1, args.markdown_share) / "marginalia"
    folder = args.work / f"serve-{size}"
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns(".cache", "site"))
    run.say(f"{size}: serve's first build")
    lines: list[str] = []
    process, base = start_serve(args.python, folder, lines)
    try:
        times = []
        for index in range(args.edits):
            times.append(one_edit(base, folder, index, process.pid, lines))
            time.sleep(args.pause)
    finally:
        process.terminate()
        process.wait(timeout=30)
    row = [str(size), str(args.edits)]
    for column in zip(*times):
        row += [f"{statistics.median(column):.2f}", f"{min(column):.2f}–{max(column):.2f}"]
    return tuple(row)


def main(argv: list[str] | None = None) -> int:
    """Measure and print one Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--markdown-share", type=float, default=run.corpus_module.DEFAULT_MARKDOWN_SHARE)
    parser.add_argument("--work", type=Path, default=HERE / "work")
    parser.add_argument("--python", type=Path, default=run.default_python())
    parser.add_argument("--pause", type=float, default=3.0,
                        help="seconds between edits (as a writer reads the page; serve collects its garbage then)")
    args = parser.parse_args(argv)
    if args.edits < 1:
        parser.error("--edits must be positive")
    args.work = args.work.resolve()
    header = ("N", "edits", "rebuilt s (median)", "(min–max)", "page served s (median)", "(min–max)",
              "build s (median)", "(min–max)", "CPU s to the page (median)", "(min–max)")
    rows = [measure(size, args) for size in args.sizes]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\n{os.cpu_count()} CPUs; load average at the end: {load}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
