"""The GitHub workflows pass actionlint and zizmor (offline), and keep their pinned, commented actions.

Both checkers are test dependencies (pyproject.toml); a missing one skips here and fails under CI.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from ruamel.yaml import YAML

from tests.browsers import require

REPO = Path(__file__).resolve().parent.parent
WORKFLOWS = REPO / ".github" / "workflows"
# `uses: owner/name@<40 hex>  # v1.2.3`: a commit cannot move, the comment says which release it is.
PINNED = re.compile(r"^\s*(?:-\s+)?uses:\s+[\w.-]+/[\w./-]+@[0-9a-f]{40}\s+#\s+v\d+\.\d+\.\d+\s*$")


def tool(name: str) -> str:
    """The checker's executable: next to this interpreter (the .venv) first, then on PATH."""
    search = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    found = shutil.which(name, path=search)
    require(found is not None, f"{name} (a test dependency: pip install -e '.[test]')")
    return str(found)


def workflow_files() -> list[Path]:
    """Every workflow file."""
    files = sorted(WORKFLOWS.glob("*.yml")) + sorted(WORKFLOWS.glob("*.yaml"))
    assert files, f"no workflows in {WORKFLOWS}"
    return files


def test_actionlint_finds_nothing() -> None:
    """actionlint: syntax, expressions, action inputs and retired runtimes (e.g. node20)."""
    done = subprocess.run([tool("actionlint"), "-no-color", *map(str, workflow_files())], capture_output=True,
                          text=True, timeout=120, check=False, cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr


def test_zizmor_finds_nothing() -> None:
    """zizmor --offline: unpinned actions, broad permissions, persisted credentials, template injection."""
    done = subprocess.run([tool("zizmor"), "--offline", "--format", "json", str(WORKFLOWS)], capture_output=True,
                          text=True, timeout=120, check=False, cwd=REPO)
    assert done.stdout.strip(), done.stderr
    findings = json.loads(done.stdout)
    assert findings == [] and done.returncode == 0, json.dumps(findings, indent=1)[:4000] + done.stderr


def test_every_action_is_pinned_to_a_commit_with_its_version() -> None:
    """Each `uses:` names a full commit hash followed by `# vX.Y.Z`, so an update is a readable diff."""
    uses = [(path.name, number, line) for path in workflow_files()
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "uses:" in line]
    assert uses
    loose = [f"{name}:{number}: {line.strip()}" for name, number, line in uses if not PINNED.match(line)]
    assert not loose, "\n".join(loose)


def steps_running(workflow: dict[str, object]) -> list[str]:
    """The `run:` commands of every step of every job, in order."""
    return [step["run"].strip() for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]


def test_pull_request_check_annotates_content_and_runs_the_readme_test_command() -> None:
    """The pull-request workflow reports content problems as annotations on the diff, and runs the full suite."""
    checks = YAML(typ="safe").load((WORKFLOWS / "checks.yml").read_text(encoding="utf-8"))
    assert "pull_request" in checks["on"]
    commands = steps_running(checks)
    assert "python3 build.py check --format github" in commands
    ci_run = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert "python3 build.py test" in commands and ci_run[-1] == "python3 build.py test"
