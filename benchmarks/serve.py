"""The preview's edit loop: from saving an annotation to `serve` answering with the rebuilt page.

Usage: python3 benchmarks/serve.py [--sizes 1000] [--edits 5] [--markdown-share 0.5] [--work DIR] [--python PATH]

For each size it copies the Marginalia project of run.py's mixed corpus to `work/serve-<N>/`,
starts `build.py serve --port 0` on it and waits for the first build. Then, `--edits` times, it
holds the reload script's long poll open (`/__marginalia__/version?seen=…`, as a page does),
appends a sentence to one annotation (a different one each time) and measures:

- `rebuilt`: from the file's write to the long poll's answer (the moment a page starts reloading);
- `page served`: to the end of the GET of the edited article page that a reload makes.

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


def start_serve(python: Path, project: Path) -> tuple[subprocess.Popen[str], str]:
    """`build.py serve` on a free port, once its first build is served: the process and its address."""
    process = subprocess.Popen([str(python), str(run.BUILD_PY), "serve", "--root", str(project), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "MARGINALIA_NO_BOOTSTRAP": "1"})
    assert process.stdout is not None
    for line in process.stdout:
        found = SERVING.search(line)
        if found:
            threading.Thread(target=lambda: [None for _ in process.stdout or ()], daemon=True).start()  # keep the pipe drained
            return process, found.group(1)
    raise SystemExit(f"serve stopped before serving (exit {process.wait()})")


def state(base: str, seen: str | None = None) -> dict[str, object]:
    """The reload endpoint's answer; with `seen`, once the state differs from it (the long poll)."""
    query = "" if seen is None else f"?seen={seen}"
    with urllib.request.urlopen(f"{base}__marginalia__/version{query}", timeout=60) as response:
        return json.loads(response.read())  # type: ignore[no-any-return]


def one_edit(base: str, project: Path, index: int) -> tuple[float, float]:
    """(seconds to the rebuild's announcement, seconds to the edited article page served again)."""
    now = state(base)
    answered: list[float] = []

    def wait() -> None:
        state(base, f"{now['version']}:{now['error'] or ''}")
        answered.append(time.perf_counter())

    poll = threading.Thread(target=wait)
    poll.start()
    time.sleep(0.2)  # the long poll is open, as a page's is
    started = time.perf_counter()
    note = edit_annotation(project, index)
    poll.join(timeout=120)
    if not answered:
        raise SystemExit("no rebuild was announced within 120 s")
    article = note.split("/")[2]
    with urllib.request.urlopen(f"{base}articles/{article}/", timeout=60) as response:
        body = response.read()
    served = time.perf_counter()
    if f"Edited in run {index}.".encode() not in body:
        raise SystemExit(f"the page served after the rebuild does not show the edit to {note}")
    return answered[0] - started, served - started


def measure(size: int, args: argparse.Namespace) -> tuple[str, ...]:
    """One row: the medians and ranges of `--edits` edits at this size."""
    source = run.ensure_corpus(args.work, size, 1, args.markdown_share) / "marginalia"
    folder = args.work / f"serve-{size}"
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns(".cache", "site"))
    run.say(f"{size}: serve's first build")
    process, base = start_serve(args.python, folder)
    try:
        times = [one_edit(base, folder, index) for index in range(args.edits)]
    finally:
        process.terminate()
        process.wait(timeout=30)
    rebuilt, served = [t[0] for t in times], [t[1] for t in times]
    return (str(size), str(args.edits), f"{statistics.median(rebuilt):.2f}", f"{min(rebuilt):.2f}–{max(rebuilt):.2f}",
            f"{statistics.median(served):.2f}", f"{min(served):.2f}–{max(served):.2f}")


def main(argv: list[str] | None = None) -> int:
    """Measure and print one Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--markdown-share", type=float, default=run.corpus_module.DEFAULT_MARKDOWN_SHARE)
    parser.add_argument("--work", type=Path, default=HERE / "work")
    parser.add_argument("--python", type=Path, default=run.default_python())
    args = parser.parse_args(argv)
    if args.edits < 1:
        parser.error("--edits must be positive")
    args.work = args.work.resolve()
    header = ("N", "edits", "rebuilt s (median)", "rebuilt s (min–max)", "page served s (median)", "page served s (min–max)")
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
