"""Rule pages carry ruff's sections, and codes and names follow the table's conventions."""

from __future__ import annotations

import re

import pytest

from conftest import run_cli
from normlint.rules import BY_CODE, RULES

SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## Use instead",
            "## Fix safety", "## What the verifier shows", "## Known problems", "## References")


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_doc_has_every_section_in_order(rule):
    positions = [rule.doc.find(section) for section in SECTIONS]
    assert -1 not in positions, [s for s, p in zip(SECTIONS, positions, strict=True) if p == -1]
    assert positions == sorted(positions)


def test_codes_and_names_are_unique_and_well_formed():
    assert len({r.code for r in RULES}) == len(RULES)
    assert len({r.name for r in RULES}) == len(RULES)
    for rule in RULES:
        assert re.fullmatch(r"NRM\d{3}", rule.code)
        assert re.fullmatch(r"[a-z]+(-[a-z]+)+", rule.name)
        assert BY_CODE[rule.code] is rule


def test_rule_command_prints_the_page():
    done = run_cli("rule", "nrm001")
    assert done.returncode == 0
    assert "# image-slice-normalization (NRM001)" in done.stdout
    assert "## Why is this bad?" in done.stdout


def test_rules_command_lists_every_code():
    done = run_cli("rules")
    assert done.returncode == 0
    for rule in RULES:
        assert rule.code in done.stdout and rule.name in done.stdout


def test_unknown_rule_is_a_usage_error():
    done = run_cli("rule", "NRM999")
    assert done.returncode == 2
    assert "unknown rule" in done.stderr


def test_rule_page_ends_with_the_measurement_definitions():
    done = run_cli("rule", "NRM002")
    assert "## Verification" in done.stdout
    for term in ("spread", "reversed pairs", "unit-norm slices", "white", "affine residual",
                 "artifact class"):
        assert term in done.stdout
