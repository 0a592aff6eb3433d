"""Every fixture's findings are exactly the lines its `# expect:` comments mark."""

from __future__ import annotations

import pytest

from conftest import FIXTURES, check_text, expected
from normlint.types import Confidence

PROGRAMS = sorted([*FIXTURES.glob("cases/*.py"), *FIXTURES.glob("rules/*.py")])


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: str(p.relative_to(FIXTURES)))
@pytest.mark.parametrize("confidence", [Confidence.MEDIUM, Confidence.LOW], ids=lambda c: c.name.lower())
def test_findings_match_expect_comments(path, confidence):
    text = path.read_text(encoding="utf-8")
    result = check_text(text, path=str(path), min_confidence=confidence)
    assert result.error is None
    found = {(f.span.line, f.code) for f in result.findings}
    assert found == expected(text, confidence)


def test_fixtures_exist_for_every_rule():
    from normlint.rules import RULES

    for rule in RULES:
        assert (FIXTURES / "rules" / f"{rule.code}.py").is_file(), rule.code
