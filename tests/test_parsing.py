"""libcst builds its parser's trees without validating them, and validates every other node."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from normlint.parsing import _unvalidated

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_a_tree_built_without_validation_is_the_validated_tree():
    for path in sorted(FIXTURES.rglob("*.py"))[::4]:
        text = path.read_text(encoding="utf-8")
        with _unvalidated(cst.CSTNode):
            trusted = cst.parse_module(text)
        checked = cst.parse_module(text)
        assert trusted.deep_equals(checked) and trusted.code == text, path


def test_validation_is_off_only_inside_and_on_again_after_an_error():
    with pytest.raises(cst.CSTValidationError):
        cst.Name("not a name")
    with _unvalidated(cst.CSTNode):
        assert cst.Name("not a name").value == "not a name"
        with _unvalidated(cst.CSTNode):
            pass
        cst.Name("still off after a nested use")
    with pytest.raises(ValueError):
        with _unvalidated(cst.CSTNode):
            raise ValueError
    with pytest.raises(cst.CSTValidationError):
        cst.Name("not a name")
