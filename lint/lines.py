"""A text's lines as Python numbers them, for every place that maps a line number to its text."""

from __future__ import annotations

import re
from typing import Final

_LINE_BREAK: Final = re.compile(r"\r\n|\r|\n")
_LINE: Final = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def python_lines(text: str, keepends: bool = False) -> list[str]:
    """`text`'s lines as Python numbers them (and `ast` places nodes): only `\\n`, `\\r\\n` and
    `\\r` end a line, where `str.splitlines` also splits at a form feed and shifts every line
    after it."""
    return _LINE.findall(text) if keepends else _LINE_BREAK.split(text)
