"""The command line: parse arguments, call the api, print, return the exit code."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import replace

from . import __version__, api
from .config import ConfigError, Options, settings_for
from .files import write_atomically
from .summary import ExitCode, Summary
from .types import Confidence, FileResult, OutputFormat

_PROGRESS_FROM = 200  # files; below this a scan is too quick for a progress line to help


class UsageError(Exception):
    pass


def _codes(value: str) -> tuple[str, ...]:
    return tuple(code.strip().upper() for code in value.split(",") if code.strip())


def _patterns(value: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in value.split(",") if p.strip())


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="normlint", description="Find normalization misuse in machine-learning code.")
    parser.add_argument("--version", action="version", version=f"normlint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("check", help="check files and directories (default: .)")
    _add_selection(check)
    output = check.add_argument_group("output")
    output.add_argument("--output-format", choices=[f.value for f in OutputFormat],
                        default=OutputFormat.TEXT.value)
    output.add_argument("-o", "--output-file", metavar="FILE", help="write the report to FILE")
    output.add_argument("--statistics", action="store_true", help="count findings per rule")
    output.add_argument("--exit-zero", action="store_true", help="exit 0 even with findings")
    baseline = check.add_argument_group("baseline")
    baseline.add_argument("--baseline", metavar="FILE", help="report only findings not in FILE")
    baseline.add_argument("--write-baseline", metavar="FILE",
                          help="record today's findings in FILE")
    check.add_argument("--verify", action="store_true", default=None,
                       help="run each flagged call on sample images and report what it did")

    verify = commands.add_parser(
        "verify", help="run the flagged calls of a file (or one line) on sample images")
    verify.add_argument("target", metavar="PATH[:LINE]")
    verify.add_argument("--pictures", metavar="DIR",
                        help="write before/after/intended/difference PNGs into DIR")
    verify.add_argument("--reference", action="store_true",
                        help="use the numpy references even where the library is installed")
    verify.add_argument("--output-format", choices=[OutputFormat.TEXT.value, OutputFormat.JSON.value],
                        default=OutputFormat.TEXT.value)

    fix = commands.add_parser(
        "fix", help="replace flagged calls with the per-pixel map, in place (Python files)")
    _add_selection(fix)
    fix.add_argument("--unsafe-fixes", action="store_true",
                     help="apply fixes that change what the program computes (all of normlint's)")
    fix.add_argument("--diff", action="store_true", help="print the changes, write nothing")
    fix.set_defaults(verify=None)

    rule = commands.add_parser("rule", help="explain one rule")
    rule.add_argument("code")
    commands.add_parser("rules", help="list every rule")
    return parser


def _add_selection(parser: argparse.ArgumentParser) -> None:
    """The options `check` and `fix` share: which files, which rules, how sure."""
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="files or folders (default: .); `-` reads source from stdin")
    rules = parser.add_argument_group("rules")
    rules.add_argument("--select", type=_codes, help="codes or prefixes to enable (default: NRM)")
    rules.add_argument("--extend-select", type=_codes, help="codes or prefixes to add")
    rules.add_argument("--ignore", type=_codes, help="codes or prefixes to disable")
    rules.add_argument("--min-confidence", choices=[c.name.lower() for c in Confidence],
                       help="hide findings less sure than this (default: medium)")
    files = parser.add_argument_group("files")
    files.add_argument("--exclude", type=_patterns, help="globs to skip, replacing the defaults")
    files.add_argument("--extend-exclude", type=_patterns, help="globs to skip as well")
    files.add_argument("--force-exclude", action="store_true",
                       help="apply excludes to paths named on the command line too")
    files.add_argument("--files-from", metavar="FILE",
                       help="read paths to check from FILE, one per line (`-`: stdin)")
    files.add_argument("--stdin-filename", metavar="PATH",
                       help="the name to report (and configure) source read from stdin")
    parser.add_argument("--max-file-size", type=int, metavar="BYTES",
                        help="skip (with a notice) files with more code than this (default: 10 MB)")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: cores)")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="no summary line and no progress, only what was found or changed")
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    parser.add_argument("--cache-dir", metavar="DIR",
                        help="where to keep the cache (default: .normlint_cache beside pyproject.toml)")


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
            return _verify(args)
        if args.command == "fix":
            return _fix(args)
        parser.print_help()
        return ExitCode.ERROR
    except (UsageError, ConfigError) as error:
        print(f"normlint: error: {error}", file=sys.stderr)
        return ExitCode.ERROR


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
    return Options(select=args.select, ignore=args.ignore, extend_select=args.extend_select,
                   exclude=args.exclude, extend_exclude=args.extend_exclude,
                   min_confidence=confidence, verify=args.verify,
                   max_file_size=args.max_file_size)


def _paths(args: argparse.Namespace) -> list[str]:
    paths = list(args.paths)
    if args.files_from:
        try:
            handle = sys.stdin if args.files_from == "-" else open(args.files_from, encoding="utf-8")
            with handle:
                paths += [line.rstrip("\r\n") for line in handle if line.strip()]
        except OSError as error:
            raise UsageError(f"{args.files_from}: cannot read: {error.strerror}") from None
    return paths or ["."]


def _results(args: argparse.Namespace, options: Options) -> tuple[list[FileResult], bool]:
    """Every file's result, and whether the command line or a pyproject.toml asks to verify."""
    extra = {"force_exclude": args.force_exclude, "jobs": args.jobs,
             "cache": not args.no_cache, "cache_dir": args.cache_dir}
    paths = _paths(args)
    if "-" in paths:
        if len(paths) > 1:
            raise UsageError("`-` (stdin) cannot be combined with other paths")
        name = args.stdin_filename or "-"
        settings = settings_for(name if args.stdin_filename else ".", options, **extra)
        return [api.check_source(sys.stdin.read(), settings, path=name)], settings.verify
    missing = [p for p in paths if not os.path.lexists(p)]
    if missing:
        raise UsageError(f"no such file or directory: {missing[0]}")
    targets = [(path, settings_for(path, options, **extra)) for path in paths]
    progress = _progress if sys.stderr.isatty() and not args.quiet else None
    results = list(api.check_targets(targets, progress))
    if progress is not None:
        sys.stderr.write("\r\033[K")
    return results, any(settings.verify for _, settings in targets)


def _print_problems(results: list[FileResult]) -> None:
    """One line on stderr for each file that could not be checked, or was skipped."""
    for result in results:
        if result.error is not None:
            print(f"{result.path}: error: {result.error.reason}", file=sys.stderr)
        elif result.skipped is not None:
            print(f"{result.path}: skipped: {result.skipped.reason}", file=sys.stderr)


def _progress(done: int, total: int) -> None:
    if total >= _PROGRESS_FROM and (done % 50 == 0 or done == total):
        sys.stderr.write(f"\rnormlint: {done}/{total} files")
        sys.stderr.flush()


def _check(args: argparse.Namespace) -> int:
    from . import baseline
    from .reporters import concise, github, json, sarif, text

    results, verify = _results(args, _command_line_options(args))
    if args.write_baseline:
        count = baseline.write(args.write_baseline, results)
        print(f"normlint: recorded {count} findings in {args.write_baseline}", file=sys.stderr)
    if args.baseline:
        try:
            known = baseline.load(args.baseline)
        except baseline.BaselineError as error:
            raise UsageError(str(error)) from None
        results = baseline.new_only(results, known, args.baseline)
    seconds = None
    if verify:
        results, seconds = _verifier().attach(results)
    summary = Summary.of(results, verify_seconds=seconds)
    _print_problems(results)
    form = OutputFormat(args.output_format)
    if form is OutputFormat.TEXT:
        report = text.render(results, summary, quiet=args.quiet)
    else:
        report = {OutputFormat.CONCISE: concise.render, OutputFormat.JSON: json.render,
                  OutputFormat.SARIF: sarif.render, OutputFormat.GITHUB: github.render}[form](
            results, summary)
    if args.statistics:
        report += text.statistics(summary)
    if args.output_file:
        write_atomically(args.output_file, report.encode("utf-8"))
    else:
        sys.stdout.write(report)
    return summary.exit_code(exit_zero=args.exit_zero)


def _verifier():
    """The verifier module, or a clear usage error when its extra is not installed."""
    try:
        from . import verify
    except ImportError as error:
        raise UsageError(f"verifying needs numpy ({error.name} is missing): "
                         "pip install 'normlint[verify]'") from None
    return verify


def _verify(args: argparse.Namespace) -> int:
    from .reporters import json, text

    path, _, line = args.target.rpartition(":") if args.target.rpartition(":")[2].isdigit() \
        else (args.target, "", "")
    if not os.path.isfile(path):
        raise UsageError(f"no such file: {path}")
    settings = settings_for(path, Options(min_confidence=Confidence.LOW))
    [result] = api.check_targets([(path, settings)])
    if line:
        wanted = int(line)
        shown = (lambda f: result.unit.locate(f.span.line, 1).line) if result.unit else (
            lambda f: f.span.line)
        result = replace(result, findings=tuple(f for f in result.findings if shown(f) == wanted))
    verifier = _verifier()
    [result], seconds = verifier.attach([result], prefer_reference=args.reference)
    if args.pictures:
        _pictures(verifier, result, args.pictures, args.reference)
    summary = Summary.of([result], verify_seconds=seconds)
    _print_problems([result])
    render = json.render if args.output_format == OutputFormat.JSON.value else text.render
    sys.stdout.write(render([result], summary))
    return summary.exit_code()


def _pictures(verifier, result: FileResult, folder: str, reference: bool) -> None:
    try:
        from .verify.pictures import write_picture
        import PIL  # noqa: F401
    except ImportError:
        raise UsageError("--pictures needs Pillow: pip install 'normlint[verify]'") from None
    stem = os.path.splitext(os.path.basename(result.path))[0]
    for finding in result.findings:
        run = verifier.verify_call(finding.call, reference) if finding.call else None
        if run is None:
            continue
        written = write_picture(run, finding, folder, f"{stem}_{finding.span.line}_{finding.code}")
        if written:
            print(f"normlint: wrote {written}", file=sys.stderr)


def _fix(args: argparse.Namespace) -> int:
    from . import fixing

    if "-" in args.paths:
        raise UsageError("`fix` changes files in place; it cannot read stdin")
    results, _ = _results(args, _command_line_options(args))
    _print_problems(results)
    applied = left = 0
    unsafe_waiting = 0
    for result in results:
        if result.findings and result.unit is not None and result.unit.is_notebook:
            print(f"{result.path}: not fixed: notebooks are not fixed yet", file=sys.stderr)
            left += len(result.findings)
            continue
        fixed = fixing.apply(result, unsafe=args.unsafe_fixes)
        if fixed is None:
            continue
        unsafe_waiting += sum(1 for f in fixed.left if f.fix is not None)
        if not fixed.applied:
            left += len(fixed.left)
            continue
        if not fixing.still_parses(fixed.after):
            print(f"{result.path}: not fixed: the fixed file would not parse", file=sys.stderr)
            left += len(result.findings)
            continue
        if args.diff:
            sys.stdout.write(fixing.diff(fixed))
        else:
            fixing.write(fixed)
        applied += len(fixed.applied)
        left += len(fixed.left)
    verb = "Would fix" if args.diff else "Fixed"
    line = f"{verb} {applied} of {applied + left} findings."
    if unsafe_waiting:
        line += (f" {unsafe_waiting} unsafe fixes are available with --unsafe-fixes"
                 " (they change what the program computes).")
    if not args.quiet:
        print(line, file=sys.stderr if args.diff else sys.stdout)
    if any(r.error for r in results):
        return ExitCode.ERROR
    return ExitCode.FINDINGS if left or (args.diff and applied) else ExitCode.CLEAN
