"""Drop the findings a user silenced: `# noqa`, `# noqa: NRM001`, file-level `# normlint: noqa`."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from typing import Final

from .types import Finding, SourceUnit

_NOQA: Final = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?",
                          re.IGNORECASE)
_FILE_NOQA: Final = re.compile(r"#\s*normlint\s*:\s*noqa\b", re.IGNORECASE)


def is_file_suppressed(text: str) -> bool:
    return _FILE_NOQA.search(text) is not None


def _silences(line: str, code: str) -> bool:
    for match in _NOQA.finditer(line):
        codes = match.group("codes")
        if codes is None:
            return True  # a bare noqa comment silences everything on the line
        if code in {c.upper() for c in re.split(r"[\s,]+", codes) if c}:
            return True
    return False


def unsuppressed(unit: SourceUnit, findings: Iterable[Finding]) -> list[Finding]:
    """The findings not silenced by a comment on their first line."""
    if is_file_suppressed(unit.text):
        return []
    lines = unit.text.splitlines()
    return [
        f for f in findings
        if not (0 < f.span.line <= len(lines) and _silences(lines[f.span.line - 1], f.code))
    ]


def ignored_codes(path: str, per_file_ignores: Iterable[tuple[str, tuple[str, ...]]]) -> set[str]:
    """Codes (or prefixes) that `per-file-ignores` switches off for `path`."""
    found: set[str] = set()
    for pattern, codes in per_file_ignores:
        if fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(path, f"*/{pattern}"):
            found.update(codes)
    return found
