"""`build.py serve` end to end: a real browser sees an edit without reloading by hand, and errors as an overlay."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import REPO, fixture_project

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


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`build.py serve` on a copy of the fixture project, in a subprocess killed at the end."""
    root = fixture_project(tmp_path / "project")
    port = free_port()
    env = {**os.environ, "MARGINALIA_NO_BOOTSTRAP": "1"}
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--root", str(root), "--port", str(port)],
                               stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        wait_for(f"http://127.0.0.1:{port}/__marginalia__/version", process)
        yield f"http://127.0.0.1:{port}/", root
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


def test_the_published_build_has_no_reload_script(served: tuple[str, Path]) -> None:
    base, root = served
    with urllib.request.urlopen(base, timeout=10) as response:
        assert b"/__marginalia__/reload.js" in response.read()
    assert b"__marginalia__" not in (root / "site" / "index.html").read_bytes()


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
