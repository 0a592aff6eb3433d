"""SARIF 2.1.0 for code-scanning dashboards: rule metadata from the rule pages, one result each."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import PurePath
from typing import Any

from .. import __version__
from ..summary import Summary
from ..types import FileResult, Finding, Rule
from .json import verification_object

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _rule_object(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.doc.strip()},
        "help": {"text": rule.doc.strip(), "markdown": rule.doc.strip()},
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["normalization", "machine-learning"]},
    }


def _uri(path: str) -> str:
    relative = os.path.relpath(path) if os.path.isabs(path) else path
    return PurePath(relative).as_posix()


def _result(result: FileResult, finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    span = finding.span
    start = result.unit.locate(span.line, span.column) if result.unit else None
    end = result.unit.locate(span.end_line, span.end_column) if result.unit else None
    if start is not None and start.cell is not None:
        # A region is in the artifact itself: the lines of the .ipynb's JSON that hold the
        # call's source (columns there are not the code's columns, so they are left out).
        region = {"startLine": start.file_line or 1,
                  "endLine": (end.file_line if end else None) or start.file_line or 1}
    else:
        region = {
            "startLine": start.line if start else span.line,
            "startColumn": start.column if start else span.column,
            "endLine": end.line if end else span.end_line,
            "endColumn": end.column if end else span.end_column,
        }
    message = finding.message
    properties: dict[str, Any] = {"confidence": finding.confidence.name.lower(),
                                  "evidence": list(finding.evidence)}
    if finding.verification is not None:
        properties["verification"] = verification_object(finding.verification)
    if start is not None and start.cell is not None:
        properties["cell"] = start.cell
        properties["cellLine"] = start.line
        properties["cellColumn"] = start.column
        message = f"(cell {start.cell}) {message}"
    if finding.help:
        message += f". Fix: {finding.help}"
    return {
        "ruleId": finding.code,
        "ruleIndex": index[finding.code],
        "level": "error",
        "message": {"text": message},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": _uri(result.path), "uriBaseId": "%SRCROOT%"},
            "region": region,
        }}],
        "partialFingerprints": {"normlint/v1": f"{finding.code}:{finding.subject}"},
        "properties": properties,
    }


def render(results: Iterable[FileResult], summary: Summary, rules: Iterable[Rule] = ()) -> str:
    from ..rules import RULES

    results = list(results)
    rule_list = list(rules) or list(RULES)
    index = {rule.code: i for i, rule in enumerate(rule_list)}
    notifications = [
        {"level": level, "message": {"text": problem.reason},
         "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(r.path)}}}]}
        for r in results
        for level, problem in (("error", r.error), ("note", r.skipped)) if problem is not None
    ]
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "normlint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": "https://pypi.org/project/normlint/",
                "rules": [_rule_object(rule) for rule in rule_list],
            }},
            "results": [_result(r, f, index) for r in results for f in r.findings],
            "invocations": [{
                "executionSuccessful": not any(r.error for r in results),
                "toolExecutionNotifications": notifications,
            }],
            "columnKind": "unicodeCodePoints",
        }],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
