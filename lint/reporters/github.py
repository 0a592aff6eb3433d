"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request."""

from __future__ import annotations

from collections.abc import Iterable

from ..summary import Summary
from ..types import FileResult


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(results: Iterable[FileResult], summary: Summary) -> str:
    lines = []
    for result in results:
        for finding in result.findings:
            span = finding.span
            where = result.unit.locate(span.line, span.column) if result.unit else None
            if where is not None and where.cell is not None:
                # The annotation goes on the .ipynb's own line; the cell and its line go in
                # the title, where a reader of the notebook looks for them.
                place = f"line={where.file_line}," if where.file_line else ""
                title = _property(f"{finding.code} {finding.name} (cell {where.cell}, "
                                  f"line {where.line})")
            else:
                line, column = (where.line, where.column) if where else (span.line, span.column)
                place = f"line={line},col={column},"
                title = _property(f"{finding.code} {finding.name}")
            lines.append(f"::error file={_property(result.path)},{place}"
                         f"title={title}::{_data(finding.message)}")
        if result.error is not None:
            where = result.error.location
            place = f",line={where.line},col={where.column}" if where and where.cell is None else ""
            lines.append(f"::error file={_property(result.path)}{place},title=normlint::"
                         f"{_data(result.error.reason)}")
    return "".join(f"{line}\n" for line in lines)
