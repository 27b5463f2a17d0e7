"""`python build.py serve`: build, serve the site on 127.0.0.1, rebuild on every change, reload the page.

The reload script is added to HTML responses by this server only, so the published site
never contains it. It is a same-origin script file polling a same-origin address, which the
site's Content-Security-Policy (`script-src 'self'`, `default-src 'self'`) already allows.
A failed rebuild (a content error, or an unexpected failure of the build) is printed in the
terminal and shown over the page; the server keeps serving the last good build and watching.

The preview is built into its own folder, `.cache/marginalia/serve/site/`, with its own build
state beside it: its `http://127.0.0.1:PORT/` addresses never reach `site/`, and the next
plain build does not start over because a preview ran in between.
"""

from __future__ import annotations

import gc
import json
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from ..diagnostics import ContentError, MarginaliaError
from ..incremental.state import cache_folder
from ..pipeline import BuildResult, Project, build
from .reporting import TextReporter, content_error_summary, internal_error, printable

PREFIX = "/__marginalia__/"
RELOAD_TAG = b'<script src="/__marginalia__/reload.js" defer></script>'
WAIT_SECONDS = 20.0  # how long a page's long poll is held open with no rebuild (then it asks again)
WATCHED = ("content", "seeds", "templates", "static", "site.toml")
# The watcher looks for new events every STEP_MS and yields once a look finds no more: a save is seen 10-20 ms
# after it (at 30 ms, 30-60 ms); an editor's save (write, or write and rename) is over well within a step.
STEP_MS = 10
IDLE_SECONDS = 2.0  # how long after a rebuild, with no change, the cycle collector runs (IdleCollector)
NO_BUILD_PAGE = (b'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>No preview yet</title></head>'
                 b"<body><p>There is no successful build to show yet: the error is shown over this page.</p></body></html>")

RELOAD_JS = """// Added by `build.py serve` only: reload when a rebuild finishes, show build errors over the page.
(function () {
  var seen = null, shown = null;
  function overlay(text) {
    var box = document.getElementById("marginalia-error");
    if (!text) { if (box) { box.remove(); } return; }
    if (!box) {
      box = document.createElement("pre");
      box.id = "marginalia-error";
      box.style.cssText = "position:fixed;inset:0;margin:0;padding:2em;z-index:2147483647;overflow:auto;" +
        "background:rgba(20,0,0,.93);color:#fdd;font:14px/1.5 monospace;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "The site could not be rebuilt; the page shows the last good build.\\n\\n" + text;
  }
  // A long poll: the server answers as soon as a rebuild finishes (or after WAIT_SECONDS with no change),
  // so the page reloads without a polling delay; a failed request waits a second before it tries again.
  function poll() {
    var address = "/__marginalia__/version" + (seen === null ? "" : "?seen=" + encodeURIComponent(seen + ":" + (shown || "")));
    fetch(address, {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (state) {
      if (seen !== null && state.version !== seen && !state.error) { location.reload(); return; }
      seen = state.version;
      shown = state.error;
      overlay(state.error);
      poll();
    }).catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
"""


@dataclass
class ServeState:
    """What the browser polls: a counter bumped on every rebuild, and the last build's error."""

    version: int = 0
    error: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    building: threading.Lock = field(default_factory=threading.Lock)  # one build at a time into the preview folder

    changed: threading.Condition = field(init=False)

    def __post_init__(self) -> None:
        self.changed = threading.Condition(self.lock)

    def as_json(self) -> bytes:
        """The state as the reload script reads it."""
        with self.lock:
            return self.locked_json()

    def locked_json(self) -> bytes:
        """The state as JSON, for a caller holding the lock."""
        return json.dumps({"version": self.version, "error": self.error}).encode("utf-8")

    def wait_json(self, seen: str, timeout: float = WAIT_SECONDS) -> bytes:
        """The state once it differs from `seen` (`version:error` as the page last saw it), or after `timeout`."""
        with self.changed:
            self.changed.wait_for(lambda: f"{self.version}:{self.error or ''}" != seen, timeout)
            return self.locked_json()

    def update(self, error: str | None) -> None:
        """Record a finished rebuild (error None) or a failed one, and answer the pages waiting for it."""
        with self.changed:
            if error is None:
                self.version += 1
            self.error = error
            self.changed.notify_all()


class PreviewHandler(SimpleHTTPRequestHandler):
    """Serves the site folder, the reload endpoints, and HTML with the reload script added."""

    state: ServeState

    def __init__(self, *args: Any, state: ServeState, **kwargs: Any) -> None:
        self.state = state
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:  # noqa: N802 - the http.server naming
        """Answer the reload endpoints, inject into HTML, and serve everything else as files."""
        path, _, query = self.path.partition("?")
        if path == PREFIX + "version":
            seen = parse_qs(query).get("seen")
            return self.send_bytes(self.state.wait_json(seen[0]) if seen else self.state.as_json(), "application/json")
        if path == PREFIX + "reload.js":
            return self.send_bytes(RELOAD_JS.encode("utf-8"), "text/javascript; charset=utf-8")
        target = Path(self.translate_path(path))
        if target.is_dir() and path.endswith("/"):
            target = target / "index.html"
        if target.suffix == ".html" and target.is_file():
            return self.send_html(target.read_bytes())
        if self.state.error is not None and path.endswith(("/", ".html")) and not target.exists():
            return self.send_html(NO_BUILD_PAGE, 503)  # no good build of this page yet: a page to show the error over
        return super().do_GET()

    def send_html(self, html: bytes, status: int = 200) -> None:
        """An HTML page with the reload script added."""
        html = html.replace(b"</body>", RELOAD_TAG + b"</body>", 1) if b"</body>" in html else html + RELOAD_TAG
        self.send_bytes(html, "text/html; charset=utf-8", status)

    def send_bytes(self, data: bytes, content_type: str, status: int = 200) -> None:
        """A response that the browser must not cache."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def end_headers(self) -> None:
        """Every response uncached: a preview must always show the latest build."""
        if not any(h.startswith(b"Cache-Control") for h in getattr(self, "_headers_buffer", [])):
            self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the http.server signature
        """Quiet: the terminal is for build messages."""


class PreviewServer(ThreadingHTTPServer):
    """The HTTP server, reporting a failed request in one line instead of socketserver's traceback."""

    daemon_threads = True
    reporter: TextReporter | None = None

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that went away (a reload, a closed tab) is no error; anything else is one line."""
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError) or exc is None:
            return
        if self.reporter is not None:
            self.reporter.message(internal_error(exc, "That request failed; the preview goes on"))


class IdleCollector:
    """Python's cycle collector kept off the edit loop: a rebuild runs with it off, and what exists after the
    rebuild is frozen (out of the collector's sight), so no collection of the rebuild's objects delays the
    reload; the cycles rebuilds left are collected once nothing has changed for IDLE_SECONDS.

    With the collector on, the first collection after a rebuild walks every object it made (at 1,000 articles
    a tenth of a second, on the way to the reloaded page): the build pauses the collector, but does not freeze.
    """

    def __init__(self) -> None:
        self.pending: float | None = None  # when the last rebuild ended, while its cycles are not collected

    @contextmanager
    def paused(self) -> Iterator[None]:
        """The collector off for a rebuild; what exists after it frozen."""
        enabled = gc.isenabled()
        gc.disable()
        try:
            yield
        finally:
            gc.freeze()
            self.pending = time.monotonic()
            if enabled:
                gc.enable()

    def idle(self, now: float | None = None) -> bool:
        """Collect what the rebuilds left, once IDLE_SECONDS have passed with no rebuild; whether it collected."""
        now = time.monotonic() if now is None else now
        if self.pending is None or now - self.pending < IDLE_SECONDS:
            return False
        gc.unfreeze()
        gc.collect()
        gc.freeze()  # the survivors too: the next automatic collection walks only what is new
        self.pending = None
        return True


COLLECTOR = IdleCollector()


def serve_folder(root: Path) -> Path:
    """Where `serve` keeps its preview build (`site/` inside it) and that build's state."""
    return cache_folder(root) / "serve"


def rebuild(project: Project, out: Path, base_url: str, reporter: TextReporter, state: ServeState,
            strict: bool, verbose: bool) -> None:
    """One incremental build; every failure goes to the terminal and the browser overlay, never up."""
    with state.building, COLLECTOR.paused():
        report_rebuild(project, out, base_url, reporter, state, strict, verbose)


def report_rebuild(project: Project, out: Path, base_url: str, reporter: TextReporter, state: ServeState,
                   strict: bool, verbose: bool) -> None:
    """The body of rebuild, run while no other build is.

    The pages waiting for a rebuild hear of it as soon as the site is written, while the build still
    saves what the next one reuses (a build that finds nothing changed tells them when it returns).
    """
    announced: list[BuildResult] = []

    def site_written(result: BuildResult) -> None:
        state.update(None)
        announced.append(result)

    try:
        result = build(project, out, base_url, strict, search=False, written=site_written)
    except ContentError as exc:
        reporter.diagnostics(exc.diagnostics)
        reporter.message(content_error_summary(exc.diagnostics, strict, "not rebuilt") + " (the browser shows them too)")
        state.update(printable("\n\n".join(f"{d.ref}: {d.level.value}: {d.message}\n  {d.hint}" for d in exc.diagnostics))
                     or "content errors")
        return
    except MarginaliaError as exc:
        reporter.message(printable(f"not rebuilt: {exc}"))
        state.update(printable(str(exc)))
        return
    except Exception as exc:  # a bug in the build, not bad content: report it in one line and keep watching
        line = internal_error(exc, "Not rebuilt: the preview shows the last good build")
        reporter.message(line)
        state.update(line)
        return
    reporter.diagnostics(result.checked.diagnostics)
    if verbose:
        for stage, seconds in result.timings:
            reporter.message(f"  {stage:<22} {seconds:7.3f} s")
    reporter.message(f"rebuilt: {max(result.rendered, 0)} of {result.pages} pages rendered in {result.seconds:.2f} s")
    if not announced:
        state.update(None)


def watch_paths(root: Path) -> list[Path]:
    """The inputs that exist: content, seeds, templates, static, site.toml."""
    return [root / name for name in WATCHED if (root / name).exists()]


def watch_loop(project: Project, out: Path, base_url: str, reporter: TextReporter, state: ServeState,
               stop: threading.Event, ready: threading.Event, strict: bool, verbose: bool) -> None:
    """Rebuild whenever a watched file changes, until `stop` is set; `ready` is set once the files are watched.

    A failure of the watcher itself is reported and the watch started again, so the preview never
    silently stops following the files.
    """
    from watchfiles import watch

    while not stop.is_set():
        try:
            # The watch is in place by the first yield: a timeout (no changes, every 300 ms) or a change.
            for changes in watch(*watch_paths(project.root), stop_event=stop, debounce=100, step=STEP_MS,
                                 rust_timeout=300, yield_on_timeout=True):
                ready.set()
                if changes:
                    rebuild(project, out, base_url, reporter, state, strict, verbose)
                else:
                    COLLECTOR.idle()
        except Exception as exc:  # e.g. a watched folder removed: say so, then watch what exists again
            reporter.message(printable(f"watching stopped ({type(exc).__name__}: {exc}); starting again"))
            stop.wait(1.0)


def serve(project: Project, port: int, reporter: TextReporter, strict: bool = False, verbose: bool = False) -> int:
    """Build into serve's own folder, then serve it on 127.0.0.1:`port` with live reload until Ctrl-C."""
    folder = serve_folder(project.root)
    project = Project(project.root, state=folder)
    out = folder / "site"
    out.mkdir(parents=True, exist_ok=True)
    state = ServeState()
    handler = partial(PreviewHandler, state=state, directory=str(out))
    server = PreviewServer(("127.0.0.1", port), handler)
    server.reporter = reporter
    base_url = f"http://127.0.0.1:{server.server_address[1]}/"
    stop, ready = threading.Event(), threading.Event()
    watcher = threading.Thread(target=watch_loop, name="watch", daemon=True,
                               args=(project, out, base_url, reporter, state, stop, ready, strict, verbose))
    watcher.start()
    ready.wait(timeout=10)  # watching before the first build: an edit made while it runs is not missed
    rebuild(project, out, base_url, reporter, state, strict, verbose)
    reporter.message(f"serving {out} at {base_url} (Ctrl-C to stop)")
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        reporter.message("stopped")
    finally:
        stop.set()
        server.server_close()
        watcher.join(timeout=2)
    return 0
