"""The `check` command and the CLI's promises: fast, nothing written, GitHub annotations, exit statuses, safe writes."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import marginalia.output.write as write
from marginalia.commands.cli import main
from marginalia.diagnostics import Diagnostic, Level, SourceRef
from marginalia.commands.reporting import GithubReporter, TextReporter
from tests.conftest import MINIMAL, REPO, fixture_project, write_project

ZERO = "content/annotations/story/zero.md"


def tree(folder: Path) -> dict[str, str]:
    """Every file under a folder, hashed."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_check_is_fast_and_writes_nothing(tmp_path: Path) -> None:
    """`check` on the real seeds takes well under a second and creates no site/; seeds and content untouched."""
    root = fixture_project(tmp_path / "fixture")
    before = tree(root)
    started = time.perf_counter()
    assert main(["check", "--root", str(root)]) == 0
    assert time.perf_counter() - started < 1.0
    assert not (root / "site").exists()
    assert tree(root) == before


def test_build_never_modifies_seeds_or_content(tmp_path: Path) -> None:
    """A build reads seeds/ and content/ only."""
    root = write_project(tmp_path / "p", MINIMAL)
    before = {k: v for k, v in tree(root).items() if k.startswith(("content/", "seeds/"))}
    assert main(["build", "--root", str(root)]) == 0
    assert {k: v for k, v in tree(root).items() if k.startswith(("content/", "seeds/"))} == before


def test_github_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--format github` prints one workflow command per problem, with file and line, on stdout."""
    root = write_project(tmp_path / "p", {**MINIMAL, ZERO: MINIMAL[ZERO].replace("leavitt", "leavit")})
    assert main(["check", "--format", "github", "--root", str(root)]) == 1
    out = capsys.readouterr().out
    assert f"::error file={ZERO},line=4::unknown speaker `leavit`. Fix: did you mean `leavitt`?" in out


def test_github_reporter_escapes() -> None:
    """Newlines, percent signs, commas and colons cannot break the workflow command."""
    stream = io.StringIO()
    GithubReporter(stream).diagnostics([Diagnostic(SourceRef("a,b:c.md", 0), Level.WARNING, "50%\nsecond line")])
    assert stream.getvalue() == "::warning file=a%2Cb%3Ac.md,line=1::50%25%0Asecond line\n"


def test_colour_only_on_a_terminal() -> None:
    """The text reporter colours the level on a terminal and nowhere else."""
    problem = [Diagnostic(SourceRef("a.md", 3), Level.ERROR, "bad", "fix it")]
    plain, coloured = io.StringIO(), io.StringIO()
    TextReporter(plain).diagnostics(problem)
    TextReporter(coloured, color=True).diagnostics(problem)
    assert "\033[" not in plain.getvalue() and "1. a.md:3: error: bad\n   fix: fix it\n" in plain.getvalue()
    assert "\033[1;31merror\033[0m" in coloured.getvalue()


@pytest.mark.parametrize("args", [["check", "--no-such-option"], ["frobnicate"], ["check", "--format", "xml"],
                                  ["serve", "--out", "site"], ["serve", "--base-url", "https://example.org/"]])
def test_usage_errors_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """A wrong command line is a usage error (2), not a content error (1)."""
    assert main(args) == 2
    assert "usage error" in capsys.readouterr().err


def test_not_a_project_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A folder without content/ is a usage error."""
    assert main(["check", "--root", str(tmp_path)]) == 2
    assert "has no content/ folder" in capsys.readouterr().err


@pytest.mark.parametrize("out", ["content", "seeds", "."])
def test_refuses_to_write_over_the_project(tmp_path: Path, out: str, capsys: pytest.CaptureFixture[str]) -> None:
    """--out may not replace the project or its sources."""
    root = write_project(tmp_path / "p", MINIMAL)
    before = tree(root)
    assert main(["build", "--root", str(root), "--out", str(root / out)]) == 2
    assert tree(root) == before


def test_refuses_files_outside_the_output_folder(tmp_path: Path) -> None:
    """A site path that climbs out of the output folder is refused before anything is written."""
    with pytest.raises(Exception, match="outside the output folder"):
        write.write_site(tmp_path / "site", {"../escape.html": b"x"}, None)
    assert not (tmp_path / "escape.html").exists()
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("failure", [OSError("disk full"), KeyboardInterrupt()])
def test_failure_during_write_keeps_the_old_site(tmp_path: Path, failure: BaseException,
                                                 monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """An error or Ctrl-C halfway through writing leaves the previous site exactly, and no staging folder."""
    root = write_project(tmp_path / "p", MINIMAL)
    assert main(["build", "--root", str(root)]) == 0
    before = tree(root / "site")
    real = write.write_tree

    def half_then_fail(base: Path, files: dict, static: Path | None) -> None:
        real(base, dict(list(files.items())[:3]), None)
        raise failure

    replaced: list[Path] = []
    real_replace = write.InPlace.replace

    def replace_then_fail(self: write.InPlace, source: Path, target: Path) -> None:
        real_replace(self, source, target)
        replaced.append(target)
        raise failure

    # A second build updates the site in place (InPlace) when it can, and stages a whole site otherwise: fail both.
    monkeypatch.setattr(write, "write_tree", half_then_fail)
    monkeypatch.setattr(write.InPlace, "replace", replace_then_fail)
    write_project(root, {ZERO: MINIMAL[ZERO].replace("Others say otherwise.", "A changed note.")})
    status = main(["build", "--root", str(root)])
    assert status in (1, 130)
    assert "Traceback" not in capsys.readouterr().err
    assert tree(root / "site") == before
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".site")) == []
    assert replaced, "the in-place writer was not reached: the failure was injected where no build writes"


def run_script(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python build.py …` in a subprocess, without bootstrapping."""
    env = {**os.environ, "MARGINALIA_NO_BOOTSTRAP": "1"}
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_subprocess_check_reports_and_exits_1(tmp_path: Path) -> None:
    """The real script: errors on stderr, status 1, no traceback; a usage error is 2."""
    root = write_project(tmp_path / "p", {**MINIMAL, ZERO: MINIMAL[ZERO] + "\n[x](javascript:alert(1))\n"})
    result = run_script("check", cwd=root)
    assert result.returncode == 1
    assert f"{ZERO}:13: error: the link `javascript:alert(1)` is not allowed" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert run_script("check", "--bogus", cwd=root).returncode == 2


def test_subprocess_github_format(tmp_path: Path) -> None:
    """`build.py check --format github` prints annotations on stdout."""
    root = write_project(tmp_path / "p", {**MINIMAL, "content/topics/border.md": "---\ntitel: x\n---\n"})
    result = run_script("check", "--format", "github", cwd=root)
    assert result.returncode == 1
    assert "::error file=content/topics/border.md,line=1::a topic is missing the required field `title`" in result.stdout
    assert "::warning file=content/topics/border.md,line=2::unknown field `titel`" in result.stdout


def test_help_lists_the_build_options_and_every_command(tmp_path: Path) -> None:
    """`build.py --help` shows what a bare `build.py [options]` accepts, and each command with what it does."""
    result = run_script("--help", cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0].startswith("usage: python3 build.py")
    for option in ("--out", "--base-url", "--strict", "--full", "--no-search", "--verbose"):
        assert any(line.lstrip().startswith(option) for line in lines), option
    for command in ("build", "check", "new", "serve", "test"):
        listed = next((line for line in lines if line.split()[:1] == [command]), "")
        assert len(listed.split()) > 2, f"{command} has no description: {listed!r}"


def test_test_passes_every_argument_to_pytest() -> None:
    """`build.py test -k x -q` hands `-k x -q` to pytest untouched (without the bootstrap, too)."""
    from marginalia.commands.cli import parse
    args = parse(["test", "-k", "anchoring", "-x", "--strict"])
    assert (args.command, args.pytest_args) == ("test", ["-k", "anchoring", "-x", "--strict"])


@pytest.mark.parametrize("command", ["check", "build"])
def test_strict_with_only_warnings_says_they_count_as_errors(tmp_path: Path, command: str,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """--strict stopping on warnings alone says so, instead of asking to fix errors that are not there."""
    root = write_project(tmp_path / "p", {**MINIMAL, "content/topics/border.md": "---\ntitle: The border\ntitel: x\n---\n"})
    assert main([command, "--root", str(root)]) == 0
    before = tree(root)
    capsys.readouterr()
    assert main([command, "--strict", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "1. content/topics/border.md:3: warning: unknown field `titel`" in err
    assert "--strict treats the 1 warning(s) above as errors" in err and "fix the errors above" not in err
    assert {k: v for k, v in tree(root).items() if not k.startswith(".cache/")} == \
        {k: v for k, v in before.items() if not k.startswith(".cache/")}


@pytest.mark.parametrize("sources,line,says", [
    ("sources:\n  - title: Another report\n", 8, "`sources` item 1 needs exactly one of `url` and `article`"),
    ("sources:\n  - title: Another report\n    link: https://example.org/r\n", 9, "`sources` item 1 has an unknown key `link`"),
    ("sources: []\n", 3, "a dispute must cite its sources"),
    ("", 3, "a dispute must cite its sources"),
])
def test_a_dispute_with_a_broken_source_gets_only_the_real_error(tmp_path: Path, sources: str, line: int, says: str,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """A source without `url`/`article` is reported on its line, not also as "must cite its sources"; a dispute
    that lists no source at all still gets that error, on its `kind:` line."""
    zero = MINIMAL[ZERO].split("sources:")[0] + sources + "---\nNote.\n"
    root = write_project(tmp_path / "p", {**MINIMAL, ZERO: zero})
    assert main(["check", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert f"1. {ZERO}:{line}: error: {says}" in err
    assert "1 error(s), 0 warning(s)" in err
