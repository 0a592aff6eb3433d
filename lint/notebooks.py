"""Turn a Jupyter notebook into one program: its code cells in order, IPython syntax masked."""

from __future__ import annotations

import json
import re
from typing import Final

from .types import Cell, SourceUnit

# Lines IPython understands and Python does not: magics, shell escapes, help.
_MAGIC: Final = re.compile(r"^\s*(?:%|!|\?)|^\s*[\w.]+\s*=\s*[!%]|^[^#\n]*\?\s*$")
_CELL_MAGIC: Final = re.compile(r"^\s*%%")


class NotebookError(ValueError):
    pass


def _source(cell: dict, number: int) -> str:
    source = cell.get("source", "")
    if isinstance(source, list) and all(isinstance(part, str) for part in source):
        return "".join(source)
    if isinstance(source, str):
        return source
    raise NotebookError(f"cell {number} has a source that is not text")


def mask(source: str) -> str:
    """Blank out IPython-only lines, keeping line numbers; a `%%` cell is masked whole."""
    lines = source.splitlines()
    if lines and _CELL_MAGIC.match(lines[0]):
        return "\n".join("" for _ in lines)
    masked = []
    continued = False
    for line in lines:
        masked.append("pass" if (continued or _MAGIC.match(line)) and line.strip() else line)
        continued = masked[-1] == "pass" and line.rstrip().endswith("\\")
    return "\n".join(_indent_pass(line, nxt) for line, nxt in zip(masked, lines, strict=True))


def _indent_pass(masked: str, original: str) -> str:
    if masked != "pass":
        return masked
    indent = original[: len(original) - len(original.lstrip())]
    return indent + "pass"


def notebook_unit(path: str, data: bytes) -> SourceUnit:
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise NotebookError(f"not valid JSON ({error})") from None
    except RecursionError:
        raise NotebookError("JSON nested too deeply to read") from None
    if not isinstance(document, dict) or not isinstance(document.get("cells"), list):
        raise NotebookError("no list of cells")
    if document.get("nbformat") != 4:
        raise NotebookError(f"nbformat {document.get('nbformat')!r} is not supported (only 4)")
    language = document.get("metadata", {}).get("kernelspec", {}).get("language", "python")
    if isinstance(language, str) and language.lower() not in ("python", "python3"):
        return SourceUnit(path, "", ())
    parts: list[str] = []
    cells: list[Cell] = []
    line = 1
    for number, cell in enumerate(document["cells"], start=1):
        if not isinstance(cell, dict):
            raise NotebookError(f"cell {number} is not an object")
        if cell.get("cell_type") != "code":
            continue
        text = mask(_source(cell, number))
        count = len(text.splitlines()) or 1
        parts.append("\n".join(text.splitlines() or [""]))
        cells.append(Cell(number, line, count))
        line += count
    return SourceUnit(path, "\n".join(parts) + "\n", tuple(cells))
