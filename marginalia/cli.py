"""The command line: `python build.py [build|check] …`. Errors are caught here and only here."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import NoReturn

from . import scaffold
from .corrections import unexplained_status_changes
from .coverage import coverage_notices
from .diagnostics import ContentError, MarginaliaError, UsageError, sorted_diagnostics
from .fix import QuoteFix, fix_quotes
from .pipeline import BuildResult, Project, build, check
from .progress import progress_bar
from .reporting import GithubReporter, TextReporter

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


class Parser(argparse.ArgumentParser):
    """argparse that exits with the usage status (2) and our wording."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"usage error: {message}\n")


def common_options(parser: argparse.ArgumentParser) -> None:
    """Options every command shares."""
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the project folder (default: the current folder)")
    parser.add_argument("--base-url", help="the address the site is served from (overrides site.toml)")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--format", choices=("text", "github"), default="text", help="how to print problems")


def make_parser() -> argparse.ArgumentParser:
    """The command-line grammar."""
    parser = Parser(prog="marginalia", description="Build the annotated news digest into a static site.")
    commands = parser.add_subparsers(dest="command", parser_class=Parser)
    build_cmd = commands.add_parser("build", help="build the site (the default)")
    common_options(build_cmd)
    build_cmd.add_argument("--out", type=Path, help="output folder (default: site/ in the project)")
    speed_options(build_cmd)
    serve_cmd = commands.add_parser("serve", help="build, serve on 127.0.0.1, rebuild and reload the page on every change")
    common_options(serve_cmd)
    serve_cmd.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000; 0: any free port)")
    serve_cmd.add_argument("--out", type=Path, help="output folder (default: site/ in the project)")
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
    return parser


def speed_options(parser: argparse.ArgumentParser) -> None:
    """Options of `build` about speed and what is reported."""
    parser.add_argument("--verbose", action="store_true", help="print the time of each build stage")
    parser.add_argument("--full", action="store_true", help="ignore the build cache in .cache/ and render every page")
    parser.add_argument("--no-search", action="store_true", help="skip the Pagefind search index (faster; the search page says it is unavailable)")


def parse(argv: list[str]) -> argparse.Namespace:
    """Parse arguments; a bare `build.py [options]` means `build`."""
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv = ["build", *argv]
    return make_parser().parse_args(argv)


def reporter_for(args: argparse.Namespace) -> TextReporter:
    """The reporter the user asked for."""
    if args.format == "github":
        return GithubReporter(sys.stdout)
    return TextReporter(sys.stderr, color=sys.stderr.isatty())


def run(args: argparse.Namespace, reporter: TextReporter, keep: list[object] | None = None) -> int:
    """Carry out one command."""
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
    out = (args.out or project.root / "site").resolve()
    if args.command == "serve":
        from .serve import serve  # only `serve` needs the web server and file watcher
        return serve(project, out, args.port, reporter, args.strict, args.verbose)
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
                     "(the comments say what each one is), then run `python build.py check`")
    return EXIT_OK


def report_fixes(fixes: list[QuoteFix], reporter: TextReporter) -> None:
    """Say which quotes `check --fix` rewrote."""
    for fix in fixes:
        reporter.message(f"fixed {fix.ref}: quote “{fix.old[:80]}” → “{fix.new[:80]}” ({fix.score:.0f}% alike)")
    reporter.message(f"check --fix: {len(fixes)} quote(s) rewritten")


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
        reporter.message("nothing was written: fix the errors above and run again")
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
    except Exception as exc:  # a bug, not bad content: one line instead of a traceback, the site untouched
        reporter.message(f"internal error: {type(exc).__name__}: {exc}. Nothing was written; "
                         "please report this with the command you ran")
        return EXIT_CONTENT
