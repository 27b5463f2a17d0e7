"""The command line: `python build.py [build|check] …`. Errors are caught here and only here."""

from __future__ import annotations

import argparse
import errno
import os
import sys
from pathlib import Path
from typing import NoReturn

from . import scaffold
from ..link.corrections import unexplained_status_changes
from .coverage import coverage_notices
from ..diagnostics import ContentError, MarginaliaError, UsageError, sorted_diagnostics
from ..link.fix import FixOutcome, fix_quotes, percent
from ..pipeline import BuildResult, Project, build, check
from .progress import progress_bar
from .reporting import GithubReporter, TextReporter, content_error_summary, internal_error, printable

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
# Failures of the machine, not of Marginalia or the content: said plainly, with what to do, not reported as a bug.
ENVIRONMENT_ERRORS = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
                      errno.EROFS: "the file system is read-only", errno.EACCES: "permission was denied",
                      errno.EPERM: "the operation was not permitted"}


def environment_error(exc: OSError) -> str:
    """One line for a failure of the machine (disk full, read-only, no permission): what, where, and what to do."""
    where = f" ({printable(str(exc.filename))})" if exc.filename else ""
    what = ENVIRONMENT_ERRORS.get(exc.errno or 0, "the machine refused a write")
    return (f"error: {what}{where}. Nothing was written: the previous site is as it was; "
            "free space or fix the permissions, then build again")


class Parser(argparse.ArgumentParser):
    """argparse that exits with the usage status (2) and our wording."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"usage error: {message}\n")


def common_options(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """Options every command shares."""
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the project folder (default: the current folder)")
    parser.add_argument("--base-url", help="the address the site is served from (overrides site.toml)")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--format", choices=("text", "github"), default="text", help="how to print problems")


def program_name() -> str:
    """How the user started us, for usage lines: `python3 build.py`, or the `marginalia` console script."""
    return "python3 build.py" if Path(sys.argv[0]).name == "build.py" else "marginalia"


def build_options(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """The options of `build`: also listed by the bare `--help`, since a bare `build.py [options]` builds."""
    common_options(parser)
    parser.add_argument("--out", type=Path, help="output folder (default: site/ in the project)")
    speed_options(parser)


def make_parser() -> argparse.ArgumentParser:
    """The command-line grammar."""
    prog = program_name()
    parser = Parser(prog=prog, usage=f"{prog} [build options]\n       {prog} COMMAND [options]",
                    description="Build the annotated news digest into a static site. "
                    "Without a command, builds the site with the build options below.",
                    epilog="`COMMAND --help` shows a command's own options, e.g. `check --help`.")
    build_options(parser.add_argument_group(f"build options ({prog} [options] is {prog} build [options])"))
    commands = parser.add_subparsers(dest="command", parser_class=Parser, title="commands", metavar="COMMAND", prog=prog)
    build_options(commands.add_parser("build", help="build the site into site/ (the default)"))
    serve_cmd = commands.add_parser("serve", help="preview on 127.0.0.1: build into .cache/ (never site/), "
                                    "rebuild and reload the page on every change")
    # No --base-url: the preview's address is its own (http://127.0.0.1:PORT/).
    serve_cmd.add_argument("--root", type=Path, default=Path.cwd(), help="the project folder (default: the current folder)")
    serve_cmd.add_argument("--strict", action="store_true", help="treat warnings as errors")
    serve_cmd.set_defaults(format="text")
    serve_cmd.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000; 0: any free port)")
    serve_cmd.add_argument("--verbose", action="store_true", help="print the time of each build stage")
    check_cmd = commands.add_parser("check", help="validate everything without writing the site")
    common_options(check_cmd)
    check_cmd.add_argument("--fix", action="store_true",
                           help="rewrite quotes that changed slightly to the passage they meant (≥ 90%% alike, one candidate)")
    check_cmd.add_argument("--coverage", action="store_true",
                           help="also list what is not annotated yet (quotations, figures, claims, thin articles) as notices")
    new_cmd = commands.add_parser("new", help="start a content file: new annotation <article-slug> | new speaker|topic|claim|figure <slug>")
    new_cmd.add_argument("what", choices=scaffold.KINDS, help="what to create")
    new_cmd.add_argument("slug", help="the article's slug (for an annotation), or the new file's slug")
    new_cmd.add_argument("--root", type=Path, default=Path.cwd(), help="the project folder (default: the current folder)")
    new_cmd.set_defaults(format="text")
    test_cmd = commands.add_parser("test", add_help=False,
                                   help="run the test suite with pytest (arguments go to pytest: test -q, test -k anchoring -x)")
    test_cmd.add_argument("pytest_args", nargs="*", help="passed to pytest as they are")
    return parser


def speed_options(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """Options of `build` about speed and what is reported."""
    parser.add_argument("--verbose", action="store_true", help="print the time of each build stage")
    parser.add_argument("--full", action="store_true", help="ignore the build cache in .cache/ and render every page")
    parser.add_argument("--no-search", action="store_true", help="skip the Pagefind search index (faster; the search page says it is unavailable)")


def parse(argv: list[str]) -> argparse.Namespace:
    """Parse arguments; a bare `build.py [options]` means `build`."""
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv = ["build", *argv]
    if argv[0] == "test":  # everything after `test` is pytest's, options included (argparse would claim them)
        return argparse.Namespace(command="test", pytest_args=argv[1:], format="text")
    return make_parser().parse_args(argv)


def reporter_for(args: argparse.Namespace) -> TextReporter:
    """The reporter the user asked for."""
    if args.format == "github":
        return GithubReporter(sys.stdout)
    return TextReporter(sys.stderr, color=sys.stderr.isatty())


def run(args: argparse.Namespace, reporter: TextReporter, keep: list[object] | None = None) -> int:
    """Carry out one command."""
    if args.command == "test":  # normally started by bootstrap before the command line is read; here without it
        from ..bootstrap import run_tests
        run_tests(args.pytest_args)
    project = Project(args.root.resolve())
    if not (project.root / "content").is_dir():
        raise UsageError(f"{project.root} has no content/ folder: run this in a Marginalia project or pass --root")
    if args.command == "new":
        return run_new(project, args.what, args.slug, reporter)
    if args.command == "check":
        if args.fix:
            report_fixes(fix_quotes(project.root), reporter)
        checked = check(project, args.base_url, args.strict)
        changes = unexplained_status_changes(project.root, list(checked.library.claims.values()))
        notices = coverage_notices(checked.library) if args.coverage else []
        reporter.diagnostics(sorted_diagnostics([*checked.diagnostics, *changes]) + notices)
        if changes and args.strict:
            return EXIT_CONTENT
        reporter.message(f"check: {len(checked.library.articles)} articles, {len(checked.library.placed())} annotations: no errors"
                         + (f"; coverage: {len(notices)} notice(s)" if args.coverage else ""))
        return EXIT_OK
    if args.command == "serve":
        from .serve import serve  # only `serve` needs the web server and file watcher
        return serve(project, args.port, reporter, args.strict, args.verbose)
    out = (args.out or project.root / "site").resolve()
    with progress_bar() as progress:
        result = build(project, out, args.base_url, args.strict, incremental=not args.full,
                       search=not args.no_search, progress=progress, keep=keep)
    report_build(result, out, reporter, args.verbose)
    return EXIT_OK


def report_build(result: BuildResult, out: Path, reporter: TextReporter, verbose: bool) -> None:
    """Problems, warnings, what was built and (verbose) the time of each stage."""
    reporter.diagnostics(result.checked.diagnostics)
    for warning in result.warnings:
        reporter.message(f"warning: {warning}")
    if verbose:
        for stage, seconds in result.timings:
            reporter.message(f"  {stage:<22} {seconds:7.3f} s")
    if result.rendered == 0:
        reporter.message(f"nothing changed: {result.pages} pages up to date in {result.seconds:.2f} s → {out}")
        return
    changed = "" if result.rendered in (-1, result.pages) else f", {result.rendered} rendered again"
    reporter.message(f"built {result.pages} pages ({result.files} files{changed}) in {result.seconds:.2f} s → {out}")


def run_new(project: Project, what: str, slug: str, reporter: TextReporter) -> int:
    """`new`: write a scaffolded content file and say what to do next."""
    path = scaffold.write_new(project.root, what, slug)
    reporter.message(f"wrote {path.relative_to(project.root).as_posix()}: fill in the fields "
                     "(the comments say what each one is), then run `python3 build.py check`")
    return EXIT_OK


def report_fixes(outcome: FixOutcome, reporter: TextReporter) -> None:
    """Say which quotes `check --fix` rewrote (in full: the author compares them), and why it left the others."""
    for fix in outcome.fixed:
        reporter.message(printable(f"fixed {fix.ref}: quote “{fix.old}” → “{fix.new}” ({percent(fix.score)} alike)"))
    for left in outcome.left:
        reporter.message(printable(f"not fixed {left.ref}: {left.reason}"))
    others = f", {len(outcome.left)} left as they are (the reasons are above)" if outcome.left else ""
    reporter.message(f"check --fix: {len(outcome.fixed)} quote(s) rewritten{others}")


def main_then_exit() -> NoReturn:
    """`python build.py`: main(), then the end of the process without tearing down its heap object by object.

    After a big build the interpreter would free millions of objects one at a time before exiting (over
    a second at 10,000 articles), for memory the system takes back at once anyway. The build hands what
    it made on the way to `keep` instead of freeing it, and everything it wrote is closed by then; only
    the console is flushed.
    """
    keep: list[object] = []
    code = main(keep=keep)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`build.py | head`) or stream: nothing left to tell
            pass
    os._exit(code)


def main(argv: list[str] | None = None, keep: list[object] | None = None) -> int:
    """Entry point of the `marginalia` console script (and, by main_then_exit, of `python build.py`).

    `keep`: where a build leaves its working data instead of freeing it (see main_then_exit).
    """
    try:
        args = parse(sys.argv[1:] if argv is None else argv)
    except SystemExit as exc:  # argparse exits on --help and on usage errors
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    reporter = reporter_for(args)
    try:
        return run(args, reporter, keep)
    except ContentError as exc:
        reporter.diagnostics(exc.diagnostics)
        reporter.message(content_error_summary(exc.diagnostics, getattr(args, "strict", False), "nothing was written"))
        return EXIT_CONTENT
    except UsageError as exc:
        reporter.message(f"usage error: {exc}")
        return EXIT_USAGE
    except MarginaliaError as exc:
        reporter.message(f"error: {exc}")
        return EXIT_CONTENT
    except KeyboardInterrupt:
        reporter.message("interrupted: the previous site was left as it was")
        return 130
    except OSError as exc:
        if exc.errno not in ENVIRONMENT_ERRORS:
            reporter.message(internal_error(exc, "Nothing was written"))
            return EXIT_CONTENT
        reporter.message(environment_error(exc))
        return EXIT_CONTENT
    except Exception as exc:  # a bug, not bad content: one line instead of a traceback, the site untouched
        reporter.message(internal_error(exc, "Nothing was written"))
        return EXIT_CONTENT
