"""Each rule's own VALID and INVALID examples, run through the real engine (Fixit's contract)."""

from __future__ import annotations

import libcst as cst
import pytest

from conftest import check_text
from normlint.rules import RULES
from normlint.types import Confidence

VALID = [pytest.param(rule, case, id=f"{rule.code}-VALID-{i}")
         for rule in RULES for i, case in enumerate(rule.valid)]
INVALID = [pytest.param(rule, case, id=f"{rule.code}-INVALID-{i}")
           for rule in RULES for i, case in enumerate(rule.invalid)]


def apply_fix(source: str, finding) -> str:
    lines = source.splitlines(keepends=True)
    span = finding.span
    start = sum(len(line) for line in lines[: span.line - 1]) + span.column - 1
    end = sum(len(line) for line in lines[: span.end_line - 1]) + span.end_column - 1
    return source[:start] + finding.fix.replacement + source[end:]


@pytest.mark.parametrize(("rule", "case"), VALID)
def test_valid_reports_nothing(rule, case):
    result = check_text(case.code, min_confidence=Confidence.LOW)
    assert result.error is None
    assert [f for f in result.findings if f.code == rule.code] == []


@pytest.mark.parametrize(("rule", "case"), INVALID)
def test_invalid_reports_once(rule, case):
    result = check_text(case.code)
    assert result.error is None
    mine = [f for f in result.findings if f.code == rule.code]
    assert len(mine) == 1
    assert case.message in mine[0].message
    if case.replacement is not None:
        fixed = apply_fix(case.code, mine[0])
        assert fixed == case.replacement
        cst.parse_module(fixed)
        assert mine[0].fix.safety is rule.fix_safety


def test_every_rule_has_examples_of_both_kinds():
    for rule in RULES:
        assert rule.valid and rule.invalid, rule.code
