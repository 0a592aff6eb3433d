"""The human format: `path:line:col: CODE message`, the source line with a caret, evidence, fix."""

from __future__ import annotations

from collections.abc import Iterable

from ..summary import Summary
from ..types import FileResult, Finding, SourceUnit


def location(path: str, unit: SourceUnit | None, finding: Finding) -> str:
    """`path:line:col`, or `path:cell N:line:col` in a notebook."""
    if unit is None:
        return f"{path}:{finding.span.line}:{finding.span.column}"
    where = unit.locate(finding.span.line, finding.span.column)
    cell = f"cell {where.cell}:" if where.cell is not None else ""
    return f"{path}:{cell}{where.line}:{where.column}"


def headline(result: FileResult, finding: Finding) -> str:
    return f"{location(result.path, result.unit, finding)}: {finding.code} {finding.message}"


def snippet(unit: SourceUnit, finding: Finding) -> list[str]:
    span = finding.span
    source = unit.line_text(span.line)
    shown = unit.locate(span.line, span.column).line
    gutter = " " * len(str(shown))
    end = span.end_column if span.end_line == span.line else len(source) + 1
    caret = " " * (span.column - 1) + "^" * max(1, end - span.column)
    return [f"{gutter} |", f"{shown} | {source}", f"{gutter} | {caret}"]


def render_finding(result: FileResult, finding: Finding) -> str:
    lines = [headline(result, finding)]
    gutter = " "
    if result.unit is not None:
        lines += snippet(result.unit, finding)
        gutter = " " * len(str(result.unit.locate(finding.span.line, 1).line))
    notes = [*finding.evidence, *([f"fix: {finding.help}"] if finding.help else [])]
    if finding.verification is not None:
        notes += finding.verification.lines
    # Measurement lines (indented in the verification) sit under the text of their header.
    lines += [f"{gutter} = {note}" if not note.startswith(" ") else f"{gutter}     {note.lstrip()}"
              for note in notes]
    return "\n".join(lines)


def render(results: Iterable[FileResult], summary: Summary, quiet: bool = False) -> str:
    blocks = [render_finding(r, f) for r in results for f in r.findings]
    if not quiet:
        blocks.append(closing_line(summary))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def statistics(summary: Summary) -> str:
    """`--statistics`: how many findings each rule has, most first."""
    from ..rules import BY_CODE

    rows = sorted(summary.by_code, key=lambda item: (-item[1], item[0]))
    return "".join(f"{count:5d}  {code}  {BY_CODE[code].name}\n" for code, count in rows)


def closing_line(summary: Summary) -> str:
    noun = "finding" if summary.findings == 1 else "findings"
    files = "file" if summary.files_with_findings == 1 else "files"
    if summary.findings:
        line = f"Found {summary.findings} {noun} in {summary.files_with_findings} {files}."
    else:
        checked = "file" if summary.checked == 1 else "files"
        line = f"All checks passed ({summary.checked} {checked} checked)."
    if summary.errors:
        line += f" {summary.errors} could not be checked."
    if summary.skipped:
        line += f" {summary.skipped} skipped."
    if summary.verify_seconds is not None:
        with_what = f" with {', '.join(summary.backends)}" if summary.backends else ""
        line += (f" Verified {summary.verified} of them in {summary.verify_seconds:.1f} s"
                 f"{with_what}.")
    return line
