"""Every page passes the Nu HTML Checker (one JVM for the whole folder)."""

from __future__ import annotations

import json
import shutil
import subprocess

from tests.browsers import require

from .conftest import VNU, Served

# One short run: the quick compiler only and the simple collector take under half the CPU time
# of the JVM's defaults (which tune for long-running servers), with the same checks.
QUICK_JVM = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]


def test_nu_html_checker_finds_no_errors(served: Served) -> None:
    """vnu.jar --errors-only over the built site: zero errors on every page."""
    require(VNU.exists(), str(VNU))
    require(shutil.which("java") is not None, "java")
    done = subprocess.run(["java", "-Xss8m", *QUICK_JVM, "-jar", str(VNU), "--errors-only", "--skip-non-html", "--format",
                           "json", str(served.folder)], capture_output=True, text=True, timeout=300, check=False)
    messages = json.loads(done.stderr or done.stdout or '{"messages": []}')["messages"]
    errors = [f"{m.get('url', '').rsplit(str(served.folder), 1)[-1]}:{m.get('lastLine')}: {m.get('message')}"
              for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]
    assert not errors, "\n".join(errors[:40])
