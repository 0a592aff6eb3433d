"""The human format: `path:line:col: CODE message`, the source line with a caret, evidence, fix."""

from __future__ import annotations

from collections.abc import Iterable

from ..summary import Summary
from ..types import FileResult, Finding, SourceUnit


def location(path: str, unit: SourceUnit | None, finding: Finding) -> str:
    """`path:line:col`, or `path:cell N:line:col` in a notebook."""
    if unit is None:
        return f"{path}:{finding.span.line}:{finding.span.column}"
    return f"{path}:{unit.locate(finding.span.line, finding.span.column)}"


_BOLD, _RED, _CYAN, _RESET = "\033[1m", "\033[31m", "\033[36m", "\033[0m"


def _paint(text: str, *styles: str, color: bool) -> str:
    return f"{''.join(styles)}{text}{_RESET}" if color else text


def headline(result: FileResult, finding: Finding, color: bool = False) -> str:
    where = _paint(location(result.path, result.unit, finding), _BOLD, color=color)
    return f"{where}: {_paint(finding.code, _BOLD, _RED, color=color)} {finding.message}"


def snippet(unit: SourceUnit, finding: Finding, color: bool = False) -> list[str]:
    """The line with carets under the call; tabs are expanded in both, so the carets line up
    whatever the terminal's tab width."""
    span = finding.span
    source = unit.line_text(span.line)
    shown = unit.locate(span.line, span.column).line
    gutter = " " * len(str(shown))
    end = span.end_column if span.end_line == span.line else len(source) + 1
    start_at = len(source[: span.column - 1].expandtabs())
    end_at = len(source[: end - 1].expandtabs())
    caret = " " * start_at + _paint("^" * max(1, end_at - start_at), _RED, color=color)
    return [f"{gutter} |", f"{shown} | {source.expandtabs()}", f"{gutter} | {caret}"]


def render_finding(result: FileResult, finding: Finding, color: bool = False) -> str:
    lines = [headline(result, finding, color)]
    gutter = " "
    if result.unit is not None:
        lines += snippet(result.unit, finding, color)
        gutter = " " * len(str(result.unit.locate(finding.span.line, 1).line))
    notes = [*finding.evidence, *([f"fix: {finding.help}"] if finding.help else [])]
    if finding.verification is not None:
        notes += finding.verification.lines
    equals = _paint("=", _CYAN, color=color)
    # Measurement lines (indented in the verification) sit under the text of their header.
    lines += [f"{gutter} {equals} {note}" if not note.startswith(" ")
              else f"{gutter}     {note.lstrip()}" for note in notes]
    return "\n".join(lines)


def render(results: Iterable[FileResult], summary: Summary, quiet: bool = False,
           color: bool = False, hint: str = "") -> str:
    blocks = [render_finding(r, f, color) for r in results for f in r.findings]
    if not quiet:
        blocks.append(closing_line(summary) + (f"\n{hint}" if hint else ""))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def statistics(summary: Summary) -> str:
    """`--statistics`: how many findings each rule has, most first."""
    from ..rules import BY_CODE

    rows = sorted(summary.by_code, key=lambda item: (-item[1], item[0]))
    return "".join(f"{count:5d}  {code}  {BY_CODE[code].name}\n" for code, count in rows)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def closing_line(summary: Summary) -> str:
    """One sentence that says how the run went, and never "passed" when a file went unchecked."""
    if summary.findings:
        line = (f"Found {_count(summary.findings, 'finding')} in "
                f"{_count(summary.files_with_findings, 'file')}.")
    elif summary.errors:
        line = f"No findings in the {_count(summary.analysed, 'file')} checked."
    else:
        line = f"All checks passed ({_count(summary.analysed, 'file')} checked)."
    if summary.errors:
        line += f" {_count(summary.errors, 'file')} could not be checked (see the errors above)."
    if summary.skipped:
        line += f" {_count(summary.skipped, 'file')} skipped."
    if summary.baselined:
        line += f" {_count(summary.baselined, 'finding')} hidden by the baseline."
    if summary.verify_seconds is not None:
        with_what = f" with {', '.join(summary.backends)}" if summary.backends else ""
        line += (f" Verified {summary.verified} of them in {summary.verify_seconds:.1f} s"
                 f"{with_what}.")
    return line
