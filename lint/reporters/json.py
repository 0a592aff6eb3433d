"""A JSON list of findings, with ruff's field names where ruff has the field."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from ..summary import Summary
from ..types import FileResult, Finding, FixSafety, Verification


def _point(unit, line: int, column: int) -> tuple[dict[str, int], int | None]:
    where = unit.locate(line, column) if unit is not None else None
    if where is None:
        return {"row": line, "column": column}, None
    return {"row": where.line, "column": where.column}, where.cell


def verification_object(verification: Verification | None) -> dict[str, Any] | None:
    if verification is None:
        return None
    return {
        "artifact": verification.artifact.value,
        "backend": verification.backend,
        "real_library": verification.real_library,
        "sample": verification.sample,
        "measurements": dict(verification.measurements),
        "error": verification.error,
        "lines": list(verification.lines),
    }


def finding_object(result: FileResult, finding: Finding) -> dict[str, Any]:
    span = finding.span
    location, cell = _point(result.unit, span.line, span.column)
    end_location, _ = _point(result.unit, span.end_line, span.end_column)
    fix = None
    if finding.fix is not None:
        fix = {
            "applicability": "safe" if finding.fix.safety is FixSafety.SAFE else "unsafe",
            "message": finding.fix.title,
            "edits": [{"content": finding.fix.replacement, "location": location,
                       "end_location": end_location}],
        }
    return {
        "code": finding.code,
        "name": finding.name,
        "message": finding.message,
        "filename": result.path,
        "cell": cell,
        "location": location,
        "end_location": end_location,
        "noqa_row": location["row"],
        "fix": fix,
        "url": None,
        "help": finding.help,
        "confidence": finding.confidence.name.lower(),
        "evidence": {"notes": list(finding.evidence),
                     "verification": verification_object(finding.verification)},
    }


def render(results: Iterable[FileResult], summary: Summary) -> str:
    objects = [finding_object(r, f) for r in results for f in r.findings]
    return json.dumps(objects, indent=2, ensure_ascii=False) + "\n"
