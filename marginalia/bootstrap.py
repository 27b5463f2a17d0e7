"""First-use set-up, standard library only: a virtual environment for `build.py`, and the tools tests use.

`python build.py` re-runs itself inside `.venv`, creating it and installing the project on first
use (and again whenever pyproject.toml changes). `python build.py test` also installs what the
browser tests need: Debian's chromium (with apt-get, as root), and axe-core, the Nu HTML
checker and the annotation clients (with esbuild to bundle them) from npm into `.cache/npm`;
`python build.py test --quick` runs the tests that need none of them.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".marginalia-installed"
NPM_PREFIX = ROOT / ".cache" / "npm"
# Two W3C annotation clients (Apache Annotator; dom-anchor-text-quote, Hypothesis's matcher) and esbuild to bundle them.
NPM_PACKAGES = ("axe-core@4.14.1", "vnu-jar@26.9.27", "@apache-annotator/dom@0.2.0", "@apache-annotator/selector@0.2.0",
                "dom-anchor-text-quote@4.0.2", "dom-anchor-text-position@4.0.0", "esbuild@0.28.2")
# `build.py test --quick` selects tests with this pytest -m expression (markers declared in pyproject.toml).
QUICK_TESTS = "not browser and not slow"
# Debian package → what shows it is already there. MARGINALIA_CHROMIUM names another browser
# binary (e.g. Google Chrome on a GitHub runner); the tests use the same variable.
APT_PACKAGES = {"chromium": os.environ.get("MARGINALIA_CHROMIUM", "/usr/bin/chromium"),
                "default-jre-headless": "java", "npm": "npm"}


def venv_python() -> Path:
    """The virtual environment's interpreter."""
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def wanted_stamp(extras: str) -> str:
    """What the stamp says when the environment matches pyproject.toml and the extras."""
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    return f"{digest}:{extras}"


def installed_stamp() -> str:
    """What the last install recorded."""
    return STAMP.read_text(encoding="utf-8").strip() if STAMP.exists() else ""


def say(text: str) -> None:
    """Set-up progress, on standard error so output stays clean."""
    print(f"[setup] {text}", file=sys.stderr, flush=True)


def install(extras: str) -> None:
    """Create .venv if needed and install the project (with extras) into it."""
    if not venv_python().exists():
        say(f"creating a virtual environment in {VENV.name}/ (first use only)")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    say("installing dependencies (first use, or pyproject.toml changed)")
    target = f".[{extras}]" if extras else "."
    subprocess.run([str(venv_python()), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "--editable", target], cwd=ROOT, check=True)
    STAMP.write_text(wanted_stamp(extras) + "\n", encoding="utf-8")


def ensure_environment(argv: list[str]) -> None:
    """Make sure we run inside an up-to-date .venv; re-executes `build.py` there if not."""
    if os.environ.get("MARGINALIA_NO_BOOTSTRAP"):
        return
    testing = bool(argv) and argv[0] == "test"
    extras = "test" if testing else ""
    stamp = installed_stamp()
    current = stamp == wanted_stamp(extras) or (not testing and stamp == wanted_stamp("test"))
    if not current:
        install(extras)
    inside = Path(sys.prefix).resolve() == VENV.resolve()
    if not inside:
        script = str(ROOT / "build.py")
        os.execv(str(venv_python()), [str(venv_python()), script, *argv])
    if testing:
        run_tests(argv[1:])


def apt_install(packages: list[str]) -> None:
    """Install Debian packages when we may (root); otherwise say what is missing."""
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        say(f"missing {', '.join(packages)}: install them with apt-get (browser and validator tests need them)")
        return
    say(f"installing {', '.join(packages)} with apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages], check=True, env=env)


def ensure_test_tools() -> None:
    """Chromium, Java and npm from Debian; axe-core, vnu-jar and the annotation clients from npm."""
    missing = [pkg for pkg, probe in APT_PACKAGES.items() if not (Path(probe).exists() or shutil.which(probe))]
    if missing:
        apt_install(missing)
    if shutil.which("npm") and not all((NPM_PREFIX / "node_modules" / p.rsplit("@", 1)[0]).exists() for p in NPM_PACKAGES):
        say("installing axe-core, the Nu HTML checker and two annotation clients from npm into .cache/npm")
        NPM_PREFIX.mkdir(parents=True, exist_ok=True)
        # vnu-jar's install script would download a Java runtime; Debian's is used instead.
        subprocess.run(["npm", "install", "--prefix", str(NPM_PREFIX), "--no-save", "--no-audit", "--no-fund",
                        "--ignore-scripts", "--loglevel=error", *NPM_PACKAGES], check=True)


def in_parallel(pytest_args: list[str]) -> list[str]:
    """pytest-xdist's options for one worker per core, unless the arguments choose otherwise (`-n 0`, `-p no:xdist`).

    `loadscope` keeps each test module on one worker, so a module's fixtures (a built site) are made
    once, as in a serial run; each worker starts its own Chromium for the browser tests.
    """
    chosen = any(arg in ("-n", "--numprocesses", "--dist", "no:xdist") or arg.startswith(("-n", "--numprocesses=", "--dist="))
                 for arg in pytest_args)
    try:
        import xdist  # noqa: F401 - only whether it is installed
    except ImportError:
        return []
    return [] if chosen else ["-n", "auto", "--dist", "loadscope"]


def run_tests(pytest_args: list[str]) -> None:
    """Install the test tools, then hand over to pytest (its exit status is ours).

    `--quick` runs only the tests marked neither `browser` nor `slow` (see pyproject.toml), which
    need no browser or validator, so nothing is installed for them.
    """
    quick = "--quick" in pytest_args
    if quick:
        pytest_args = ["-m", QUICK_TESTS, *[arg for arg in pytest_args if arg != "--quick"]]
    else:
        ensure_test_tools()
    os.chdir(ROOT)
    os.execv(sys.executable, [sys.executable, "-m", "pytest", *in_parallel(pytest_args), *pytest_args])
