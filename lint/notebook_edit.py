"""Rewrite code cells of a notebook's JSON in place, keeping every other byte as it was.

Outputs, metadata, key order, indentation and escapes are the notebook's own; re-serializing
the whole document would rewrite them in json's style. Only the `source` strings of a changed
cell are written anew, and of those only the lines that changed.
"""

from __future__ import annotations

import json
import json.decoder
from collections.abc import Mapping

from .notebooks import Located, located_decoder


class NotebookEditError(ValueError):
    pass


def cell_sources(text: str) -> dict[int, str]:
    """Every cell's source (1-based among all cells), as Jupyter joins it."""
    document = json.loads(text)
    return {number: _joined(cell.get("source", ""))
            for number, cell in enumerate(document["cells"], start=1)}


def _joined(source: object) -> str:
    return source if isinstance(source, str) else "".join(source)  # type: ignore[arg-type]


def rewrite(text: str, sources: Mapping[int, str]) -> str:
    """`text` (a notebook's JSON) with the source of each cell in `sources` replaced."""
    document = located_decoder().decode(text)
    ascii_only = text.isascii()  # written with json's ensure_ascii: keep writing it so
    edits: list[tuple[int, int, str]] = []
    for number, new in sources.items():
        source = document["cells"][number - 1].get("source")
        pieces = [source] if isinstance(source, Located) else list(source or ())
        if not pieces or not all(isinstance(p, Located) for p in pieces):
            raise NotebookEditError(f"cell {number} has no source to rewrite")
        spans = [(p.offset, json.decoder.scanstring(text, p.offset + 1)[1]) for p in pieces]
        if isinstance(source, str):
            edits.append((*spans[0], json.dumps(new, ensure_ascii=ascii_only)))
            continue
        old_lines = [str(p) for p in pieces]
        new_lines = new.splitlines(keepends=True)
        start = 0  # lines equal at the start and at the end keep their bytes
        while start < min(len(old_lines), len(new_lines)) and old_lines[start] == new_lines[start]:
            start += 1
        end_old, end_new = len(old_lines), len(new_lines)
        while end_old > start and end_new > start and \
                old_lines[end_old - 1] == new_lines[end_new - 1]:
            end_old, end_new = end_old - 1, end_new - 1
        separator = text[spans[0][1]:spans[1][0]] if len(spans) > 1 else ",\n"
        encoded = separator.join(json.dumps(line, ensure_ascii=ascii_only)
                                 for line in new_lines[start:end_new])
        if start < end_old:  # replace old lines start..end_old-1 (with their separators)
            first, last = spans[start][0], spans[end_old - 1][1]
            if not encoded:  # lines removed: drop a separator too
                first = spans[start - 1][1] if start > 0 else first
                last = spans[end_old][0] if start == 0 and end_old < len(spans) else last
            edits.append((first, last, encoded))
        elif encoded:  # lines inserted before old line `start`
            at = spans[start][0] if start < len(spans) else spans[-1][1]
            edits.append((at, at, encoded + separator if start < len(spans) else
                          separator + encoded))
    for first, last, replacement in sorted(edits, reverse=True):
        text = text[:first] + replacement + text[last:]
    return text
