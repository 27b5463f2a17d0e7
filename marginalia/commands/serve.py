"""`python build.py serve`: build, serve the site on 127.0.0.1, rebuild on every change, reload the page.

The reload script is added to HTML responses by this server only, so the published site
never contains it. It is a same-origin script file polling a same-origin address, which the
site's Content-Security-Policy (`script-src 'self'`, `default-src 'self'`) already allows.
A content error is printed in the terminal and shown over the page; the server keeps running.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from ..diagnostics import ContentError, MarginaliaError
from ..pipeline import Project, build
from .reporting import TextReporter

PREFIX = "/__marginalia__/"
RELOAD_TAG = b'<script src="/__marginalia__/reload.js" defer></script>'
WATCHED = ("content", "seeds", "templates", "static", "site.toml")

RELOAD_JS = """// Added by `build.py serve` only: reload when a rebuild finishes, show build errors over the page.
(function () {
  var seen = null;
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
  function poll() {
    fetch("/__marginalia__/version", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (state) {
      if (seen !== null && state.version !== seen && !state.error) { location.reload(); return; }
      seen = state.version;
      overlay(state.error);
    }).catch(function () {}).then(function () { setTimeout(poll, 400); });
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

    def as_json(self) -> bytes:
        """The state as the reload script reads it."""
        with self.lock:
            return json.dumps({"version": self.version, "error": self.error}).encode("utf-8")

    def update(self, error: str | None) -> None:
        """Record a finished rebuild (error None) or a failed one."""
        with self.lock:
            if error is None:
                self.version += 1
            self.error = error


class PreviewHandler(SimpleHTTPRequestHandler):
    """Serves the site folder, the reload endpoints, and HTML with the reload script added."""

    state: ServeState

    def __init__(self, *args: Any, state: ServeState, **kwargs: Any) -> None:
        self.state = state
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:  # noqa: N802 - the http.server naming
        """Answer the reload endpoints, inject into HTML, and serve everything else as files."""
        path = self.path.split("?", 1)[0]
        if path == PREFIX + "version":
            return self.send_bytes(self.state.as_json(), "application/json")
        if path == PREFIX + "reload.js":
            return self.send_bytes(RELOAD_JS.encode("utf-8"), "text/javascript; charset=utf-8")
        target = Path(self.translate_path(path))
        if target.is_dir() and path.endswith("/"):
            target = target / "index.html"
        if target.suffix == ".html" and target.is_file():
            html = target.read_bytes()
            html = html.replace(b"</body>", RELOAD_TAG + b"</body>", 1) if b"</body>" in html else html + RELOAD_TAG
            return self.send_bytes(html, "text/html; charset=utf-8")
        return super().do_GET()

    def send_bytes(self, data: bytes, content_type: str) -> None:
        """A 200 response that the browser must not cache."""
        self.send_response(200)
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


def rebuild(project: Project, out: Path, base_url: str, reporter: TextReporter, state: ServeState,
            strict: bool, verbose: bool) -> None:
    """One incremental build; errors go to the terminal and the browser overlay, never up."""
    try:
        result = build(project, out, base_url, strict, search=False)
    except ContentError as exc:
        reporter.diagnostics(exc.diagnostics)
        reporter.message("not rebuilt: fix the errors above (the browser shows them too)")
        state.update("\n\n".join(f"{d.ref}: {d.level.value}: {d.message}\n  {d.hint}" for d in exc.diagnostics)
                     or "content errors")
        return
    except MarginaliaError as exc:
        reporter.message(f"error: {exc}")
        state.update(str(exc))
        return
    reporter.diagnostics(result.checked.diagnostics)
    if verbose:
        for stage, seconds in result.timings:
            reporter.message(f"  {stage:<22} {seconds:7.3f} s")
    reporter.message(f"rebuilt: {max(result.rendered, 0)} of {result.pages} pages rendered in {result.seconds:.2f} s")
    state.update(None)


def watch_paths(root: Path) -> list[Path]:
    """The inputs that exist: content, seeds, templates, static, site.toml."""
    return [root / name for name in WATCHED if (root / name).exists()]


def watch_loop(project: Project, out: Path, base_url: str, reporter: TextReporter, state: ServeState,
               stop: threading.Event, strict: bool, verbose: bool) -> None:
    """Rebuild whenever a watched file changes, until `stop` is set."""
    from watchfiles import watch

    for _changes in watch(*watch_paths(project.root), stop_event=stop, debounce=150, step=50, yield_on_timeout=False):
        rebuild(project, out, base_url, reporter, state, strict, verbose)


def serve(project: Project, out: Path, port: int, reporter: TextReporter, strict: bool = False,
          verbose: bool = False) -> int:
    """Build, then serve `out` on 127.0.0.1:`port` with live reload until Ctrl-C."""
    out.mkdir(parents=True, exist_ok=True)
    state = ServeState()
    handler = partial(PreviewHandler, state=state, directory=str(out))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    base_url = f"http://127.0.0.1:{server.server_address[1]}/"
    rebuild(project, out, base_url, reporter, state, strict, verbose)
    stop = threading.Event()
    watcher = threading.Thread(target=watch_loop, name="watch", daemon=True,
                               args=(project, out, base_url, reporter, state, stop, strict, verbose))
    watcher.start()
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
