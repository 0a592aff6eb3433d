"""Shared helpers: run normlint the way users do, on fixtures and on snippets."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from normlint import api
from normlint.rules import RULES
from normlint.settings import Settings
from normlint.types import Confidence, FileResult

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
EXPECT = re.compile(r"#\s*expect(?P<low>-low)?:\s*(?P<codes>NRM\d{3}(?:\s*,\s*NRM\d{3})*)")


def settings(min_confidence: Confidence = Confidence.MEDIUM, **changes) -> Settings:
    return Settings(**{"rules": RULES, "min_confidence": min_confidence, **changes})


def check_text(text: str, path: str = "snippet.py", **changes) -> FileResult:
    return api.check_source(text, settings(**changes), path=path)


def expected(text: str, min_confidence: Confidence) -> set[tuple[int, str]]:
    """(line, code) pairs marked `# expect: CODE` (and `# expect-low:` when low is shown)."""
    found = set()
    for number, line in enumerate(text.splitlines(), start=1):
        for match in EXPECT.finditer(line):
            if match.group("low") and min_confidence > Confidence.LOW:
                continue
            found.update((number, code.strip()) for code in match.group("codes").split(","))
    return found


def run_cli(*args: str, cwd: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "normlint", *args], capture_output=True, text=True,
        cwd=cwd or ROOT, input=stdin, timeout=300,
    )


@pytest.fixture
def tmp_tree(tmp_path: Path):
    """Write {relative path: text or bytes} into a temporary folder and return it."""
    def make(files: dict[str, str | bytes]) -> Path:
        for name, content in files.items():
            target = tmp_path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        return tmp_path
    return make
