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
            line, column = (where.line, where.column) if where else (span.line, span.column)
            cell = f" (cell {where.cell})" if where and where.cell else ""
            title = _property(f"{finding.code} {finding.name}{cell}")
            lines.append(
                f"::error file={_property(result.path)},line={line},col={column},"
                f"title={title}::{_data(finding.message)}"
            )
        if result.error is not None:
            where = result.error.location
            place = f",line={where.line},col={where.column}" if where and where.cell is None else ""
            lines.append(f"::error file={_property(result.path)}{place},title=normlint::"
                         f"{_data(result.error.reason)}")
    return "".join(f"{line}\n" for line in lines)
