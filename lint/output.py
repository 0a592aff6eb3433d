"""Where a run's words go: the report to stdout or a file, problems and statistics to stderr."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from .files import write_atomically
from .summary import Summary
from .types import FileResult, FixSafety, OutputFormat

if TYPE_CHECKING:
    from .fixing import Plan


class CommandError(Exception):
    """Something the user asked for that cannot be done: one line, exit 2, no traceback."""


class OutputError(CommandError):
    """A report, baseline or picture that cannot be written where the user asked."""


def check_writable(path: str | None, what: str) -> None:
    """Refuse an output path before the scan, not after it: a folder, a missing folder, no
    permission."""
    if path is None:
        return
    if os.path.isdir(path):
        raise OutputError(f"{path}: cannot write the {what}: it is a folder")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise OutputError(f"{path}: cannot write the {what}: no such folder {folder}")
    if not os.access(folder, os.W_OK):
        raise OutputError(f"{path}: cannot write the {what}: permission denied")


def wants_color(choice: str, stream: TextIO) -> bool:
    """`always`, `never`, or on a terminal unless NO_COLOR is set (https://no-color.org)."""
    if choice != "auto":
        return choice == "always"
    return stream.isatty() and not os.environ.get("NO_COLOR")


def problem_line(result: FileResult) -> str | None:
    """`path:line:col: error: reason` (or `path: error: ...`, `path: skipped: ...`)."""
    if result.error is not None:
        where = f":{result.error.location}" if result.error.location else ""
        return f"{result.path}{where}: error: {result.error.reason}"
    if result.skipped is not None:
        return f"{result.path}: skipped: {result.skipped.reason}"
    return None


def print_problems(results: Iterable[FileResult]) -> None:
    """One line on stderr for each file that could not be checked, or was skipped."""
    for result in results:
        line = problem_line(result)
        if line is not None:
            print(line, file=sys.stderr)


@dataclass(frozen=True, slots=True)
class Printer:
    color: bool = False
    quiet: bool = False

    @classmethod
    def for_args(cls, args: Any) -> Printer:
        to_file = getattr(args, "output_file", None) is not None
        return cls(color=not to_file and wants_color(args.color, sys.stdout), quiet=args.quiet)

    def report(self, results: list[FileResult], summary: Summary, form: OutputFormat) -> str:
        from .reporters import concise, github, json, sarif, text

        if form is OutputFormat.TEXT:
            return text.render(results, summary, quiet=self.quiet, color=self.color,
                               hint=fix_hint(results))
        if form is OutputFormat.CONCISE:
            lines = concise.render(results, summary)
            return lines if self.quiet else lines + text.closing_line(summary) + "\n"
        render = {OutputFormat.JSON: json.render, OutputFormat.SARIF: sarif.render,
                  OutputFormat.GITHUB: github.render}[form]
        return render(results, summary)


def with_statistics(report: str, summary: Summary, form: OutputFormat) -> str:
    """The per-rule counts after a report for people; beside a machine format, which must stay
    valid for the machine that reads it, they go to stderr."""
    from .reporters import text

    table = text.statistics(summary)
    if form in (OutputFormat.TEXT, OutputFormat.CONCISE):
        return report + table
    sys.stderr.write(table)
    return report


def print_applied_fixes(plan: Plan) -> None:
    """`--show-fixes`: one line on stderr for each fix applied."""
    from .reporters.text import location

    for fixed in plan.files:
        for finding in fixed.applied:
            replacement = finding.fix.replacement if finding.fix else ""
            print(f"fixed {location(fixed.path, None, finding)}: {finding.code} "
                  f"-> `{replacement}`", file=sys.stderr)


def write_report(path: str, report: str) -> None:
    try:
        write_atomically(path, report.encode("utf-8"))
    except OSError as error:
        raise OutputError(f"{path}: cannot write the report: {error.strerror}") from None


def fix_hint(results: Iterable[FileResult]) -> str:
    """What ruff says after a check: how many fixes there are, and the flag that applies them."""
    fixes = [f.fix for r in results for f in r.findings if f.fix is not None]
    if not fixes:
        return ""
    safe = sum(1 for fix in fixes if fix.safety is FixSafety.SAFE)
    unsafe = len(fixes) - safe
    parts = []
    if safe:
        parts.append(f"{safe} fixable with `--fix`")
    if unsafe:
        parts.append(f"{unsafe} fixable with `--fix --unsafe-fixes` (they change what the "
                     "program computes)")
    return "; ".join(parts) + "."
