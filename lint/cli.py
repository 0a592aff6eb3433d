"""The command line: parse arguments, call the api, print, return the exit code."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NoReturn

from . import __version__, api
from .config import ConfigError, Options, settings_for
from .files import is_excluded
from .output import (
    CommandError, Printer, check_writable, print_applied_fixes, print_problems, with_statistics,
    write_report,
)
from .summary import ExitCode, Summary
from .types import Confidence, FileError, FileResult, OutputFormat

if TYPE_CHECKING:
    from .fixing import Plan

_PROGRESS_FROM = 200  # files; below this a scan is too quick for a progress line to help
# Reports that point into a notebook's JSON, not at its cells: they need the .ipynb lines.
_POINT_INTO_NOTEBOOKS = frozenset({OutputFormat.SARIF, OutputFormat.GITHUB})


class UsageError(CommandError):
    """A wrong option, path or combination on the command line."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a wrong option is one error line and exit 2, not a usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(ExitCode.ERROR, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def _codes(value: str) -> list[str]:
    from .rules import unknown_selectors

    codes = [code.strip().upper() for code in value.split(",") if code.strip()]
    unknown = unknown_selectors(tuple(codes))
    if unknown:
        raise argparse.ArgumentTypeError(
            f"{unknown[0]!r} names no rule; use ALL, NRM, a prefix like NRM00 or a code that "
            "`normlint rules` lists")
    return codes


def _patterns(value: str) -> list[str]:
    return [p.strip() for p in value.split(",") if p.strip()]


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="normlint", description="Find normalization misuse in machine-learning code.")
    parser.add_argument("--version", action="version", version=f"normlint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("check", help="check files and directories (default: .)")
    _add_selection(check)
    output = check.add_argument_group("output")
    output.add_argument("--output-format", choices=[f.value for f in OutputFormat],
                        default=OutputFormat.TEXT.value)
    output.add_argument("-o", "--output-file", metavar="FILE", help="write the report to FILE")
    output.add_argument("--statistics", action="store_true",
                        help="count findings per rule (on stderr for machine formats)")
    output.add_argument("--exit-zero", action="store_true", help="exit 0 even with findings")
    output.add_argument("--show-files", action="store_true",
                        help="list the files that would be checked, and stop")
    output.add_argument("--show-settings", action="store_true",
                        help="print the settings that apply to the first path, and stop")
    fixes = check.add_argument_group("fixes")
    fixes.add_argument("--fix", action="store_true", help="apply fixes, then report what is left")
    _add_fix_options(fixes)
    fixes.add_argument("--show-fixes", action="store_true", help="list every fix applied")
    baseline = check.add_argument_group("baseline")
    baseline.add_argument("--baseline", metavar="FILE", help="report only findings not in FILE")
    baseline.add_argument("--write-baseline", metavar="FILE",
                          help="record today's findings in FILE, and exit 0")
    check.add_argument("--verify", action="store_true", default=None,
                       help="run each flagged call on sample images and report what it did")

    verify = commands.add_parser(
        "verify", help="run the flagged calls of a file (or one line) on sample images")
    verify.add_argument("target", metavar="PATH[:LINE[:COL]]",
                        help="a file, a line in it, or a notebook cell (`nb.ipynb:cell 3:2`)")
    verify.add_argument("--pictures", metavar="DIR",
                        help="write before/after/intended/difference PNGs into DIR")
    verify.add_argument("--reference", action="store_true",
                        help="use the numpy references even where the library is installed")
    verify.add_argument("--output-format", choices=[OutputFormat.TEXT.value, OutputFormat.JSON.value],
                        default=OutputFormat.TEXT.value)
    verify.add_argument("--config", metavar="FILE", help="use this configuration file")
    _add_color(verify)

    fix = commands.add_parser(
        "fix", help="replace flagged calls with the per-pixel map, in place (`-`: stdin to stdout)")
    _add_selection(fix)
    _add_fix_options(fix)
    fix.set_defaults(verify=None, fix=True, show_fixes=False)

    commands.add_parser("server", help="run the language server on stdio (for editors)")

    rule = commands.add_parser("rule", help="explain one rule")
    rule.add_argument("code")
    commands.add_parser("rules", help="list every rule")
    return parser


def _add_fix_options(parser) -> None:
    parser.add_argument("--unsafe-fixes", action="store_true",
                        help="apply fixes that change what the program computes (all of normlint's)")
    parser.add_argument("--diff", action="store_true", help="print the changes, write nothing")


def _add_color(parser) -> None:
    parser.add_argument("--color", choices=["auto", "always", "never"], default="auto",
                        help="colour the text report (auto: on a terminal, unless NO_COLOR is set)")


def _add_selection(parser: argparse.ArgumentParser) -> None:
    """The options `check` and `fix` share: which files, which rules, how sure."""
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="files or folders (default: .); `-` reads source from stdin")
    rules = parser.add_argument_group("rules (repeatable; values accumulate)")
    rules.add_argument("--select", type=_codes, action="extend", metavar="CODES",
                       help="codes or prefixes to enable, or ALL (default: NRM)")
    rules.add_argument("--extend-select", type=_codes, action="extend", metavar="CODES",
                       help="codes or prefixes to add")
    rules.add_argument("--ignore", type=_codes, action="extend", metavar="CODES",
                       help="codes or prefixes to disable")
    rules.add_argument("--min-confidence", choices=[c.name.lower() for c in Confidence],
                       help="hide findings less sure than this (default: medium)")
    files = parser.add_argument_group("files")
    files.add_argument("--exclude", type=_patterns, action="extend", metavar="GLOBS",
                       help="globs to skip, replacing the defaults")
    files.add_argument("--extend-exclude", type=_patterns, action="extend", metavar="GLOBS",
                       help="globs to skip as well")
    files.add_argument("--force-exclude", action="store_true",
                       help="apply excludes to paths named on the command line (and "
                            "--stdin-filename) too")
    files.add_argument("--files-from", metavar="FILE",
                       help="read paths to check from FILE, one per line (`-`: stdin); blank "
                            "and `#` lines are ignored")
    files.add_argument("--stdin-filename", metavar="PATH",
                       help="the name to report (and configure) source read from stdin; with "
                            "no PATH, stdin is read")
    parser.add_argument("--config", metavar="FILE",
                        help="use this pyproject.toml or normlint.toml instead of the nearest one")
    parser.add_argument("--max-file-size", type=int, metavar="BYTES",
                        help="skip (with a notice) files with more code than this (default: 10 MB)")
    parser.add_argument("--jobs", type=int, default=None, metavar="N",
                        help="worker processes (default: cores)")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="no summary line and no progress, only what was found or changed")
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    parser.add_argument("--cache-dir", metavar="DIR",
                        help="where to keep the cache (default: .normlint_cache beside pyproject.toml)")
    _add_color(parser)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "rule":
            return _rule(args.code)
        if args.command == "rules":
            return _rules()
        if args.command == "check":
            return _check(args)
        if args.command == "verify":
            from .verify_command import verify_command

            return verify_command(args)
        if args.command == "fix":
            return _fix(args)
        if args.command == "server":
            return _server()
        parser.print_help()
        return ExitCode.ERROR
    except (CommandError, ConfigError) as error:
        print(f"normlint: error: {error}", file=sys.stderr)
        return ExitCode.ERROR
    except KeyboardInterrupt:
        print("normlint: interrupted", file=sys.stderr)
        return ExitCode.ERROR


def _server() -> int:
    try:
        from .server import serve
    except ImportError as error:
        raise UsageError(f"the language server needs pygls ({error.name} is missing): "
                         "pip install 'normlint[server]'") from None
    serve()
    return ExitCode.CLEAN


def _rules() -> int:
    from .rules import RULES

    width = max(len(rule.name) for rule in RULES)
    for rule in RULES:
        print(f"{rule.code}  {rule.name:<{width}}  {rule.summary}")
    return ExitCode.CLEAN


def _rule(code: str) -> int:
    from .rules import BY_CODE

    rule = BY_CODE.get(code.upper())
    if rule is None:
        raise UsageError(f"unknown rule {code!r}; `normlint rules` lists them")
    from .measurements import MEASUREMENTS

    print(f"# {rule.name} ({rule.code})\n\n{rule.doc.strip()}\n\n{MEASUREMENTS}", end="")
    return ExitCode.CLEAN


def _command_line_options(args: argparse.Namespace) -> Options:
    confidence = Confidence.parse(args.min_confidence) if args.min_confidence else None

    def given(values: list[str] | None) -> tuple[str, ...] | None:
        return tuple(values) if values is not None else None

    return Options(select=given(args.select), ignore=given(args.ignore),
                   extend_select=given(args.extend_select), exclude=given(args.exclude),
                   extend_exclude=given(args.extend_exclude), min_confidence=confidence,
                   verify=args.verify, max_file_size=args.max_file_size)


def _paths(args: argparse.Namespace) -> list[str]:
    paths = list(args.paths)
    if args.files_from:
        try:
            handle = sys.stdin if args.files_from == "-" else open(args.files_from, encoding="utf-8")
            with handle:
                listed = [line.strip() for line in handle]
        except OSError as error:
            raise UsageError(f"{args.files_from}: cannot read: {error.strerror}") from None
        except UnicodeDecodeError:
            raise UsageError(f"{args.files_from}: cannot read: not UTF-8 text") from None
        paths += [line for line in listed if line and not line.startswith("#")]
        if not paths:
            return []  # an empty list (a commit that touched no Python file) checks nothing
    if not paths and args.stdin_filename and not sys.stdin.isatty():
        return ["-"]
    return paths or ["."]


@dataclass(frozen=True, slots=True)
class _Run:
    results: list[FileResult]
    verify: bool  # the command line or a pyproject.toml asks to verify
    from_stdin: bool


def _results(args: argparse.Namespace, options: Options) -> _Run:
    """Every file's result, and whether the command line or a pyproject.toml asks to verify."""
    extra = {"force_exclude": args.force_exclude, "jobs": args.jobs,
             "cache": not args.no_cache, "cache_dir": args.cache_dir,
             "place_cells": OutputFormat(getattr(args, "output_format", "text"))
             in _POINT_INTO_NOTEBOOKS}
    paths = _paths(args)
    if "-" in paths:
        if len(paths) > 1:
            raise UsageError("`-` (stdin) cannot be combined with other paths")
        name = args.stdin_filename or "-"
        settings = settings_for(name if args.stdin_filename else ".", options, args.config,
                                **extra)
        data = sys.stdin.buffer.read()
        if args.stdin_filename and args.force_exclude and is_excluded(
                name, settings.excludes, settings.root):
            return _Run([], False, True)
        return _Run([api.check_bytes(data, settings, path=name)], settings.verify, True)
    missing = [FileResult(p, error=FileError("no such file or directory"))
               for p in paths if not os.path.lexists(p)]
    present = [p for p in paths if os.path.lexists(p)]
    targets = [(path, settings_for(path, options, args.config, **extra)) for path in present]
    progress = _progress if sys.stderr.isatty() and not args.quiet else None
    results = list(api.check_targets(targets, progress))
    if progress is not None:
        sys.stderr.write("\r\033[K")
    return _Run(missing + results, any(settings.verify for _, settings in targets), False)


def _progress(done: int, total: int) -> None:
    if total >= _PROGRESS_FROM and (done % 50 == 0 or done == total):
        sys.stderr.write(f"\rnormlint: {done}/{total} files")
        sys.stderr.flush()


def _check(args: argparse.Namespace) -> int:
    if args.show_settings or args.show_files:
        return _show(args)
    printer = Printer.for_args(args)
    check_writable(args.output_file, "report")
    check_writable(args.write_baseline, "baseline")
    run = _results(args, _command_line_options(args))
    results = run.results
    if args.write_baseline:
        return _write_baseline(args.write_baseline, results)
    hidden = 0
    if args.baseline:
        results, hidden = _apply_baseline(results, args.baseline)
    if args.diff:  # as in ruff: the diff is the whole output, and 1 says there is one
        print_problems(results)
        applied = _fix_files(args, results)[1]
        return ExitCode.FINDINGS if applied else ExitCode.CLEAN
    if args.fix:
        results = _fix_files(args, results)[0]
    seconds = None
    if run.verify:
        results, seconds = _verify_if_possible(results)
    summary = Summary.of(results, verify_seconds=seconds, baselined=hidden)
    print_problems(results)
    report = printer.report(results, summary, OutputFormat(args.output_format))
    if args.statistics:
        report = with_statistics(report, summary, OutputFormat(args.output_format))
    if args.output_file:
        write_report(args.output_file, report)
    else:
        sys.stdout.write(report)
    return summary.exit_code(exit_zero=args.exit_zero)


def _show(args: argparse.Namespace) -> int:
    from .settings import describe

    paths = [p for p in _paths(args) if p != "-"] or ["."]
    options = _command_line_options(args)
    if args.show_settings:
        print(describe(settings_for(paths[0], options, args.config)), end="")
        return ExitCode.CLEAN
    targets = [(p, settings_for(p, options, args.config, force_exclude=args.force_exclude))
               for p in paths]
    for path, _ in api.discover(targets):
        print(path)
    return ExitCode.CLEAN


def _write_baseline(path: str, results: list[FileResult]) -> int:
    """Record the findings; a baseline written is the run's success, so exit 0 (or 2)."""
    from . import baseline

    count = baseline.write(path, results)
    print_problems(results)
    print(f"normlint: recorded {count} finding{'' if count == 1 else 's'} in {path}",
          file=sys.stderr)
    return ExitCode.ERROR if any(r.error for r in results) else ExitCode.CLEAN


def _apply_baseline(results: list[FileResult], path: str) -> tuple[list[FileResult], int]:
    from . import baseline

    try:
        known = baseline.load(path)
    except baseline.BaselineError as error:
        raise UsageError(str(error)) from None
    kept = baseline.new_only(results, known, path)
    hidden = sum(len(r.findings) for r in results) - sum(len(r.findings) for r in kept)
    return kept, hidden


def _verify_if_possible(results: list[FileResult]) -> tuple[list[FileResult], float | None]:
    """Findings with their proof; without numpy, the findings alone and one line that says so
    (a pre-commit hook installs normlint without its extras)."""
    try:
        from . import verify
    except ImportError as error:
        print(f"normlint: not verified: the verifier needs numpy ({error.name} is missing; "
              "pip install 'normlint[verify]')", file=sys.stderr)
        return results, None
    return verify.attach(results)


def _apply_fixes(args: argparse.Namespace, results: list[FileResult],
                 to_stdout: bool = False) -> Plan:
    """Apply the fixes of `results`: write the files, or print their diffs (--diff), or with
    `to_stdout` print the fixed source of the one file read from stdin."""
    from . import fixing

    plan = fixing.plan(results, unsafe=args.unsafe_fixes)
    for problem in plan.problems:
        print(problem, file=sys.stderr)
    fixed = {f.path: f for f in plan.files}
    for result in results:
        if args.diff and result.path in fixed:
            sys.stdout.write(fixing.diff(fixed[result.path]))
        elif to_stdout and result.unit is not None:
            sys.stdout.write(fixed[result.path].after if result.path in fixed else result.unit.text)
        elif result.path in fixed:
            fixing.write(fixed[result.path])
    if getattr(args, "show_fixes", False):
        print_applied_fixes(plan)
    return plan


def _fix_files(args: argparse.Namespace, results: list[FileResult]) -> tuple[list[FileResult], int]:
    """`check --fix`: the results of what is left to report, and how many fixes were applied."""
    from dataclasses import replace

    plan = _apply_fixes(args, results)
    if plan.applied and not args.quiet:
        verb = "Would fix" if args.diff else "Fixed"
        print(f"{verb} {plan.applied} finding{'' if plan.applied == 1 else 's'}.",
              file=sys.stderr)
    remaining = {id(f) for _, f in plan.left}
    return [replace(r, findings=tuple(f for f in r.findings if id(f) in remaining))
            for r in results], plan.applied


def _fix(args: argparse.Namespace) -> int:
    """`normlint fix`: fix in place and say how many; `fix -` prints the fixed source."""
    run = _results(args, _command_line_options(args))
    print_problems(run.results)
    plan = _apply_fixes(args, run.results, to_stdout=run.from_stdin)
    applied, left = plan.applied, len(plan.left)
    line = f"{'Would fix' if args.diff else 'Fixed'} {applied} of {applied + left} findings."
    if plan.unsafe_waiting:
        line += (f" {plan.unsafe_waiting} unsafe fixes are available with --unsafe-fixes"
                 " (they change what the program computes).")
    if not args.quiet:
        print(line, file=sys.stderr if args.diff or run.from_stdin else sys.stdout)
    if any(r.error for r in run.results):
        return ExitCode.ERROR
    return ExitCode.FINDINGS if left or (args.diff and applied) else ExitCode.CLEAN
