"""Apply findings' fixes to a file's text, and write the result only if it still parses."""

from __future__ import annotations

import ast
import difflib
import io
import json
import os
import tokenize
import warnings
from dataclasses import dataclass

from .files import read, write_atomically
from .notebook_edit import cell_sources, rewrite
from .notebooks import NotebookError, notebook_unit
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


def _replaced(text: str, edits: list[tuple[int, int, int, int, Finding]]) -> str:
    """`text` with each (line, column, end line, end column) span replaced by its fix."""
    starts = _offsets(text)
    for line, column, end_line, end_column, finding in sorted(edits, key=lambda e: e[:2],
                                                               reverse=True):
        start = starts[line - 1] + column - 1
        end = starts[end_line - 1] + end_column - 1
        text = text[:start] + finding.fix.replacement + text[end:]  # type: ignore[union-attr]
    return text


def apply(result: FileResult, unsafe: bool) -> Fixed | None:
    """The file's text with every applicable fix applied, bottom up; None when it has none.
    A notebook's text is its JSON, changed only in the `source` of the cells fixed."""
    unit = result.unit
    if unit is None or not any(f.fix for f in result.findings):
        return None
    starts = _offsets(unit.text)
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
    applied = tuple(f for _, _, f in sorted(chosen, key=lambda item: item[0]))
    if not unit.is_notebook:
        spans = [(f.span.line, f.span.column, f.span.end_line, f.span.end_column, f)
                 for f in applied]
        return Fixed(result.path, unit.text, _replaced(unit.text, spans), applied, tuple(left))
    before = _notebook_json(result.path)
    by_cell: dict[int, list[tuple[int, int, int, int, Finding]]] = {}
    for finding in applied:  # a cell's lines are the notebook unit's lines, magics masked
        start = unit.locate(finding.span.line, finding.span.column)
        end = unit.locate(finding.span.end_line, finding.span.end_column)
        by_cell.setdefault(start.cell or 0, []).append(
            (start.line, start.column, end.line, end.column, finding))
    sources = cell_sources(before)
    after = rewrite(before, {cell: _replaced(sources[cell], edits)
                             for cell, edits in by_cell.items()})
    return Fixed(result.path, before, after, applied, tuple(left))


def _notebook_json(path: str) -> str:
    data = read(path)
    return data.decode(json.detect_encoding(data))


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
        try:
            fixed = apply(result, unsafe)
        except (OSError, ValueError, KeyError, IndexError) as error:  # a notebook changed since
            problems.append(f"{result.path}: not fixed: {error}")
            left += [(result, f) for f in result.findings]
            continue
        if fixed is None or not fixed.applied:
            left += [(result, f) for f in result.findings]
            continue
        if not is_valid(fixed):
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


def is_valid(fixed: Fixed) -> bool:
    """The fixed file parses: as Python, or as a notebook whose code cells are Python."""
    if not fixed.path.endswith(".ipynb"):
        return still_parses(fixed.after)
    try:
        unit = notebook_unit(fixed.path, fixed.after.encode("utf-8"))
    except NotebookError:
        return False
    return still_parses(unit.text)


def diff(fixed: Fixed) -> str:
    """A unified diff; for a notebook, one per changed cell, of its code rather than its JSON."""
    if not fixed.path.endswith(".ipynb"):
        return _unified(fixed.before, fixed.after, fixed.path)
    before, after = cell_sources(fixed.before), cell_sources(fixed.after)
    return "".join(_unified(before[n], after[n], f"{fixed.path}:cell {n}")
                   for n in sorted(before) if before[n] != after[n])


def _unified(before: str, after: str, name: str) -> str:
    lines = list(difflib.unified_diff(before.splitlines(keepends=True),
                                      after.splitlines(keepends=True),
                                      fromfile=f"a/{name}", tofile=f"b/{name}"))
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def write(fixed: Fixed) -> None:
    """Replace the file with the fixed text, in its own encoding and mode, all at once."""
    with open(fixed.path, "rb") as handle:
        original = handle.read()
    encoding, _ = tokenize.detect_encoding(io.BytesIO(original).readline)
    write_atomically(fixed.path, fixed.after.encode(encoding), mode=os.stat(fixed.path).st_mode)
