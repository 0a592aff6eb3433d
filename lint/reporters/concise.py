"""One line per finding, nothing else: for grep, editors and pre-commit logs."""

from __future__ import annotations

from collections.abc import Iterable

from ..summary import Summary
from ..types import FileResult
from .text import headline


def render(results: Iterable[FileResult], summary: Summary) -> str:
    return "".join(f"{headline(r, f)}\n" for r in results for f in r.findings)
