"""`build.py serve` end to end: a real browser sees an edit without reloading by hand, and errors as an overlay."""

from __future__ import annotations

import hashlib
import io
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import marginalia.commands.serve as serve_module
from marginalia.pipeline import Project, build
from marginalia.commands.reporting import TextReporter
from marginalia.commands.serve import ServeState, rebuild, serve_folder
from .conftest import MINIMAL, REPO, fixture_project, write_project

TIMEOUT_S = 60


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[bytes]) -> None:
    """Until the server answers (or it died, or the time is up)."""
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"serve did not answer at {url} within {TIMEOUT_S} s")


def wait_for_text(page: object, text: str) -> None:
    """Until the page shows `text` (polled from here: the site's CSP forbids evaluated strings)."""
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            if text in page.inner_text("body"):  # type: ignore[attr-defined]
                return
        except Exception:  # noqa: BLE001 - the page is reloading
            pass
        time.sleep(0.2)
    pytest.fail(f"the page did not show {text!r} within {TIMEOUT_S} s")


@contextmanager
def serving(root: Path, log_path: Path) -> Iterator[str]:
    """`build.py serve` on `root` in a subprocess (output to `log_path`), stopped at the end; yields its address."""
    port = free_port()
    env = {**os.environ, "MARGINALIA_NO_BOOTSTRAP": "1"}
    log = log_path.open("wb")
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--root", str(root), "--port", str(port)],
                               stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        wait_for(f"http://127.0.0.1:{port}/__marginalia__/version", process)
        yield f"http://127.0.0.1:{port}/"
    except BaseException:
        log.flush()
        print("serve's output:\n" + log_path.read_text(encoding="utf-8", errors="replace"))  # shown with the failure
        raise
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`build.py serve` on a copy of the fixture project."""
    root = fixture_project(tmp_path / "project")
    with serving(root, tmp_path / "serve.log") as base:
        yield base, root


def serve_state(base: str) -> dict:
    """What the reload script polls: the build counter and the last build's error."""
    with urllib.request.urlopen(f"{base}__marginalia__/version", timeout=5) as response:
        return json.loads(response.read())


def wait_for_state(base: str, done: object, what: str) -> dict:
    """Poll the server's state until `done(state)` holds; fail after TIMEOUT_S."""
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        state = serve_state(base)
        if done(state):  # type: ignore[operator]
            return state
        time.sleep(0.2)
    pytest.fail(f"serve never reached: {what} (last state {serve_state(base)})")


def tree(folder: Path) -> dict[str, str]:
    """Every file under a folder, hashed."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


ZERO = "content/annotations/story/zero.md"


def test_the_published_build_has_no_reload_script(served: tuple[str, Path]) -> None:
    base, root = served
    with urllib.request.urlopen(base, timeout=10) as response:
        assert b"/__marginalia__/reload.js" in response.read()
    preview = serve_folder(root) / "site" / "index.html"
    assert b"http://127.0.0.1:" in preview.read_bytes() and b"__marginalia__" not in preview.read_bytes()
    assert not (root / "site").exists()


@pytest.mark.slow
def test_serve_leaves_site_and_the_next_build_alone(tmp_path: Path) -> None:
    """A preview session with an edit leaves site/ byte for byte as it was, and the plain build after it renders nothing."""
    root = write_project(tmp_path / "p", MINIMAL)
    first_build = build(Project(root), root / "site", search=False)
    assert first_build.rendered == first_build.pages > 0
    before = tree(root / "site")
    note = root / ZERO
    with serving(root, tmp_path / "serve.log") as base:
        first = wait_for_state(base, lambda s: s["version"] >= 1, "the first build")["version"]
        note.write_text(MINIMAL[ZERO] + "\nA live edit.\n", encoding="utf-8")
        wait_for_state(base, lambda s: s["version"] > first, "the rebuild after the edit")
        with urllib.request.urlopen(f"{base}articles/story/", timeout=10) as response:
            assert b"A live edit." in response.read()
        assert tree(root / "site") == before
        edited = serve_state(base)["version"]
        note.write_text(MINIMAL[ZERO], encoding="utf-8")
        wait_for_state(base, lambda s: s["version"] > edited, "the rebuild after undoing the edit")
    assert tree(root / "site") == before
    assert b"127.0.0.1" not in b"".join(p.read_bytes() for p in (root / "site").rglob("*.html"))
    assert build(Project(root), root / "site", search=False).rendered == 0


@pytest.mark.slow
def test_a_failing_rebuild_is_shown_and_the_watch_goes_on(tmp_path: Path) -> None:
    """A note that makes the build fail (an ANSI escape in a note with a claim) shows in the terminal and the
    overlay's state; fixing the file rebuilds. No traceback, no raw escape in the terminal."""
    root = write_project(tmp_path / "p", MINIMAL)
    log = tmp_path / "serve.log"
    note = root / ZERO
    with serving(root, log) as base:
        good = wait_for_state(base, lambda s: s["version"] >= 1 and s["error"] is None, "the first build")["version"]
        note.write_text(MINIMAL[ZERO].replace("Others say", "Others \x1b[31m say"), encoding="utf-8")
        failed = wait_for_state(base, lambda s: s["error"], "an error after the bad edit")
        assert failed["version"] == good
        note.write_text(MINIMAL[ZERO].replace("Others say", "Others now say"), encoding="utf-8")
        wait_for_state(base, lambda s: s["error"] is None and s["version"] > good, "a rebuild after the fix")
        with urllib.request.urlopen(f"{base}articles/story/", timeout=10) as response:
            assert b"Others now say" in response.read()
    output = log.read_bytes()
    assert b"Traceback" not in output and b"\x1b" not in output
    assert b"not rebuilt" in output.lower() or b"error" in output
    assert output.count(b"rebuilt:") >= 2  # the first build and the one after the fix


def test_an_unexpected_failure_is_one_line_and_the_next_rebuild_works(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug in the build (any exception) is reported in one line, in the terminal and the overlay, never raised."""
    root = write_project(tmp_path / "p", MINIMAL)
    project = Project(root, state=serve_folder(root))
    out, state, stream = serve_folder(root) / "site", ServeState(), io.StringIO()
    reporter = TextReporter(stream)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom\x1b[2J")

    monkeypatch.setattr(serve_module, "build", broken)
    rebuild(project, out, "http://127.0.0.1:1/", reporter, state, False, False)
    assert state.version == 0 and state.error is not None and state.error.startswith("internal error: RuntimeError: boom")
    assert stream.getvalue().count("\n") == 1 and "\x1b" not in stream.getvalue() and "\\x1b[2J" in stream.getvalue()
    monkeypatch.setattr(serve_module, "build", build)
    rebuild(project, out, "http://127.0.0.1:1/", reporter, state, False, False)
    assert state.version == 1 and state.error is None and (out / "index.html").is_file()


def test_the_browser_shows_an_edit_and_an_error(served: tuple[str, Path], browser: object) -> None:
    base, root = served
    article = sorted((root / "content" / "annotations").iterdir())[0].name
    note = sorted((root / "content" / "annotations" / article).glob("*.md"))[0]
    context = browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{base}articles/{article}/", timeout=TIMEOUT_S * 1000)
        page.wait_for_timeout(800)  # the reload script has read the first version
        note.write_text(note.read_text(encoding="utf-8") + "\nAn unmistakable live edit.\n", encoding="utf-8")
        wait_for_text(page, "An unmistakable live edit.")
        good = note.read_text(encoding="utf-8")
        note.write_text(good.replace("kind:", "kind: nonsense\nold_kind:", 1), encoding="utf-8")
        page.wait_for_selector("#marginalia-error", timeout=TIMEOUT_S * 1000)
        assert "nonsense" in page.inner_text("#marginalia-error")
        note.write_text(good, encoding="utf-8")
        page.wait_for_selector("#marginalia-error", state="detached", timeout=TIMEOUT_S * 1000)
        assert not [e for e in errors if "Content Security Policy" in e]
    finally:
        context.close()


@pytest.mark.slow
def test_a_first_build_that_fails_still_serves_a_page_with_the_error(tmp_path: Path) -> None:
    """With no good build yet, a page still loads (with the reload script) and the state carries the error."""
    root = write_project(tmp_path / "p", {**MINIMAL, ZERO: MINIMAL[ZERO].replace("speaker: leavitt", "speaker: nobody")})
    with serving(root, tmp_path / "serve.log") as base:
        state = wait_for_state(base, lambda s: s["error"], "the first build's error")
        assert state["version"] == 0 and f"{ZERO}:4: error: unknown speaker `nobody`" in state["error"]
        with pytest.raises(urllib.error.HTTPError) as failed:
            urllib.request.urlopen(f"{base}articles/story/", timeout=10)
        assert failed.value.code == 503 and b"/__marginalia__/reload.js" in failed.value.read()
        (root / ZERO).write_text(MINIMAL[ZERO], encoding="utf-8")
        wait_for_state(base, lambda s: s["version"] == 1 and s["error"] is None, "a build after the fix")
        with urllib.request.urlopen(f"{base}articles/story/", timeout=10) as response:
            assert response.status == 200 and b"Others say otherwise." in response.read()
    assert "1 error(s)" in (tmp_path / "serve.log").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_watcher_survives_its_own_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure of the file watcher itself is reported and the watch started again; changes after it rebuild."""
    import watchfiles

    calls: list[str] = []
    stop, ready = serve_module.threading.Event(), serve_module.threading.Event()

    def flaky_watch(*paths: object, **options: object) -> Iterator[set]:
        calls.append("watch")
        if len(calls) == 1:
            raise OSError("watched folder vanished")
        yield {("modified", "content/x.md")}
        stop.set()

    rebuilt: list[int] = []
    monkeypatch.setattr(watchfiles, "watch", flaky_watch)
    monkeypatch.setattr(serve_module, "rebuild", lambda *args: rebuilt.append(1))
    stream = io.StringIO()
    root = write_project(tmp_path / "p", MINIMAL)
    serve_module.watch_loop(Project(root), tmp_path / "out", "http://127.0.0.1:1/", TextReporter(stream),
                            ServeState(), stop, ready, False, False)
    assert calls == ["watch", "watch"] and rebuilt == [1] and ready.is_set()
    assert "watching stopped (OSError: watched folder vanished); starting again" in stream.getvalue()


def test_a_browser_that_goes_away_is_no_error(tmp_path: Path) -> None:
    """A client that closes the connection before the answer (a reload) prints nothing; a failing request prints
    one line, not socketserver's traceback."""
    stream = io.StringIO()
    server = serve_module.PreviewServer(("127.0.0.1", 0), serve_module.SimpleHTTPRequestHandler, bind_and_activate=False)
    server.reporter = TextReporter(stream)
    for failure in (BrokenPipeError(32, "Broken pipe"), ConnectionResetError(104, "reset"), KeyError("bug")):
        try:
            raise failure
        except Exception:
            server.handle_error(None, ("127.0.0.1", 1))
    server.server_close()
    assert stream.getvalue() == ("internal error: KeyError: 'bug'. That request failed; the preview goes on; "
                                 "please report this with the command you ran and the change you made\n")


def test_a_waiting_page_hears_of_a_rebuild_at_once() -> None:
    """The reload script's long poll returns when a rebuild finishes, not at the end of a polling interval."""
    state = ServeState()
    answers: list[tuple[float, bytes]] = []
    waiter = threading.Thread(target=lambda: answers.append((time.monotonic(), state.wait_json("0:", timeout=10))))
    waiter.start()
    time.sleep(0.3)
    assert answers == [], "the poll answered before anything changed"
    rebuilt = time.monotonic()
    state.update(None)
    waiter.join(timeout=5)
    assert json.loads(answers[0][1]) == {"version": 1, "error": None}
    assert answers[0][0] - rebuilt < 0.2
    # A page that has seen this state waits out its timeout and gets the same state back; an error is news too.
    assert json.loads(state.wait_json("1:", timeout=0.1)) == {"version": 1, "error": None}
    state.update("content errors")
    assert json.loads(state.wait_json("1:", timeout=5)) == {"version": 1, "error": "content errors"}


def test_a_rebuild_is_announced_before_the_state_for_the_next_is_saved(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The page reloads once the site is written; saving what the next build reuses is not on its way."""
    import marginalia.incremental.fast as fast

    root = write_project(tmp_path / "p", MINIMAL)
    state, seen, saving = ServeState(), [], fast.save_state
    monkeypatch.setattr(fast, "save_state", lambda *args: (seen.append(state.version), saving(*args)))
    rebuild(Project(root, state=serve_folder(root)), serve_folder(root) / "site", "http://127.0.0.1:1/",
            TextReporter(io.StringIO()), state, False, False)
    assert seen == [1] and state.version == 1  # announced once, before the save
    rebuild(Project(root, state=serve_folder(root)), serve_folder(root) / "site", "http://127.0.0.1:1/",
            TextReporter(io.StringIO()), state, False, False)
    assert seen == [1] and state.version == 2  # nothing changed: announced when the build returns


def test_the_cycles_of_rebuilds_are_collected_when_idle() -> None:
    """A rebuild's objects are frozen after it (no collection walks them on the way to the reload); their cycles
    are collected once nothing has changed for IDLE_SECONDS."""
    import gc
    import weakref

    class Node:
        pass

    collector = serve_module.IdleCollector()
    try:
        with collector.paused():
            assert not gc.isenabled()
            cycle = Node()
            cycle.me = cycle  # type: ignore[attr-defined]
            gone = weakref.ref(cycle)
            del cycle
        assert gc.isenabled() and gc.get_freeze_count() > 0 and collector.pending is not None
        gc.collect()
        assert gone() is not None, "a frozen cycle was collected"
        assert not collector.idle(collector.pending + serve_module.IDLE_SECONDS / 2) and gone() is not None
        assert collector.idle(collector.pending + serve_module.IDLE_SECONDS) and gone() is None
        assert not collector.idle()  # nothing left to collect until the next rebuild
    finally:
        gc.unfreeze()
        gc.enable()
