"""The text reporter's output for each per-code fixture matches its reviewed golden file.

After a deliberate change to wording, regenerate with NORMLINT_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import os

import pytest

from conftest import FIXTURES, run_cli

FIXTURE_FILES = sorted((FIXTURES / "rules").glob("NRM*.py"))


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.stem)
def test_text_output_matches_golden(path):
    relative = path.relative_to(FIXTURES.parent)
    done = run_cli("check", "--no-cache", str(relative))  # a cache from an older build could answer
    golden = path.with_suffix(".txt")
    if os.environ.get("NORMLINT_UPDATE_GOLDEN"):
        golden.write_text(done.stdout, encoding="utf-8")
    assert done.stdout == golden.read_text(encoding="utf-8")
