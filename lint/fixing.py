"""Apply findings' fixes to a file's text, and write the result only if it still parses."""

from __future__ import annotations

import ast
import difflib
import io
import os
import tokenize
import warnings
from dataclasses import dataclass

from .files import write_atomically
from .types import FileResult, Finding, FixSafety


@dataclass(frozen=True, slots=True)
class Fixed:
    """What fixing one file gave: the new text, what was applied, and what was left."""

    path: str
    before: str
    after: str
    applied: tuple[Finding, ...]
    left: tuple[Finding, ...]  # no fix, an unsafe fix not asked for, or overlapping another


def _offsets(text: str) -> list[int]:
    """The offset in `text` where each line starts (1-based lines: index 0 is line 1)."""
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


def apply(result: FileResult, unsafe: bool) -> Fixed | None:
    """The file's text with every applicable fix applied, bottom up; None when it has none."""
    unit = result.unit
    if unit is None or not any(f.fix for f in result.findings):
        return None
    text = unit.text
    starts = _offsets(text)
    chosen: list[tuple[int, int, Finding]] = []
    left: list[Finding] = []
    for finding in result.findings:
        fix = finding.fix
        if fix is None or (fix.safety is FixSafety.UNSAFE and not unsafe):
            left.append(finding)
            continue
        span = finding.span
        start = starts[span.line - 1] + span.column - 1
        end = starts[span.end_line - 1] + span.end_column - 1
        if any(start < other_end and other_start < end for other_start, other_end, _ in chosen):
            left.append(finding)  # nested in a call already being replaced
            continue
        chosen.append((start, end, finding))
    after = text
    for start, end, finding in sorted(chosen, key=lambda item: item[0], reverse=True):
        after = after[:start] + finding.fix.replacement + after[end:]  # type: ignore[union-attr]
    applied = tuple(f for _, _, f in sorted(chosen, key=lambda item: item[0]))
    return Fixed(result.path, text, after, applied, tuple(left))


@dataclass(frozen=True, slots=True)
class Plan:
    """What fixing a whole run gives: the files to write, and what stays as it was."""

    files: tuple[Fixed, ...]  # each with at least one fix applied, and parsing
    problems: tuple[str, ...]  # one line each: a file that could not be fixed, and why
    left: tuple[tuple[FileResult, Finding], ...]  # findings still there afterwards
    unsafe_waiting: int  # fixes not applied because they are unsafe and not asked for

    @property
    def applied(self) -> int:
        return sum(len(f.applied) for f in self.files)


def plan(results: list[FileResult], unsafe: bool) -> Plan:
    files: list[Fixed] = []
    problems: list[str] = []
    left: list[tuple[FileResult, Finding]] = []
    for result in results:
        fixed = apply(result, unsafe)
        if fixed is None or not fixed.applied:
            left += [(result, f) for f in result.findings]
            continue
        if not still_parses(fixed.after):
            problems.append(f"{result.path}: not fixed: the fixed file would not parse")
            left += [(result, f) for f in result.findings]
            continue
        files.append(fixed)
        left += [(result, f) for f in fixed.left]
    waiting = 0 if unsafe else sum(
        1 for _, f in left if f.fix is not None and f.fix.safety is FixSafety.UNSAFE)
    return Plan(tuple(files), tuple(problems), tuple(left), waiting)


def still_parses(text: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def diff(fixed: Fixed) -> str:
    return "".join(difflib.unified_diff(
        fixed.before.splitlines(keepends=True), fixed.after.splitlines(keepends=True),
        fromfile=f"a/{fixed.path}", tofile=f"b/{fixed.path}"))


def write(fixed: Fixed) -> None:
    """Replace the file with the fixed text, in its own encoding and mode, all at once."""
    with open(fixed.path, "rb") as handle:
        original = handle.read()
    encoding, _ = tokenize.detect_encoding(io.BytesIO(original).readline)
    write_atomically(fixed.path, fixed.after.encode(encoding), mode=os.stat(fixed.path).st_mode)
