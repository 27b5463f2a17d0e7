"""`build.py test` and `build.py test --quick`: what is installed and what pytest is asked to run."""

from __future__ import annotations

import pytest

from marginalia import bootstrap


def run_tests_with(args: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], int]:
    """Call bootstrap.run_tests without installing or exec-ing; return pytest's arguments and tool installs."""
    installs: list[int] = []
    handed_over: list[list[str]] = []
    monkeypatch.setattr(bootstrap, "ensure_test_tools", lambda: installs.append(1))
    monkeypatch.setattr(bootstrap.os, "execv", lambda _path, argv: handed_over.append(list(argv)))
    monkeypatch.setattr(bootstrap.os, "chdir", lambda _path: None)
    bootstrap.run_tests(args)
    assert len(handed_over) == 1
    argv = handed_over[0]
    assert argv[1:3] == ["-m", "pytest"]
    return argv[3:], len(installs)


PARALLEL = ["-n", "auto", "--dist", "loadscope"]


def test_the_full_suite_installs_the_tools_and_passes_arguments_on(monkeypatch: pytest.MonkeyPatch) -> None:
    assert run_tests_with(["-k", "anchoring", "-x"], monkeypatch) == ([*PARALLEL, "-k", "anchoring", "-x"], 1)


def test_quick_leaves_out_browser_and_slow_tests_and_installs_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    args, installs = run_tests_with(["--quick", "-x"], monkeypatch)
    assert installs == 0
    assert args == [*PARALLEL, "-m", "not browser and not slow", "-x"]
    assert "--quick" not in args


@pytest.mark.parametrize("chosen", [["-n", "0"], ["-n0"], ["--numprocesses=3"], ["-p", "no:xdist"], ["--dist", "load"]])
def test_a_choice_of_workers_is_left_to_the_arguments(chosen: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    args, _installs = run_tests_with(["--quick", *chosen], monkeypatch)
    assert args == ["-m", "not browser and not slow", *chosen]


def test_without_xdist_the_tests_run_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    monkeypatch.setitem(sys.modules, "xdist", None)  # what an environment without pytest-xdist imports
    assert run_tests_with(["-x"], monkeypatch)[0] == ["-x"]
