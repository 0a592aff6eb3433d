"""Turn a Jupyter notebook into one program: its code cells in order, IPython syntax masked."""

from __future__ import annotations

import json
import json.decoder
import json.scanner
import re
from dataclasses import replace
from typing import Any, Final

from .types import Cell, SourceUnit

# Lines IPython understands and Python does not: magics, shell escapes, and help, which is a
# line of its own (`x?`, `??np.load`), never a `?` at the end of a longer line or a string.
_MAGIC: Final = re.compile(
    r"^\s*(?:%|!)|^\s*[\w.]+\s*=\s*[!%]|^\s*(?:\?{1,2}\s*[\w.*]+|[\w.*\[\]()]+\s*\?{1,2})\s*$")
# The same, tried on every line of a cell at once: no match means no line is IPython's.
_MAGIC_LINE: Final = re.compile(_MAGIC.pattern, re.MULTILINE)
_CELL_MAGIC: Final = re.compile(r"^\s*%%(?P<name>\w+)")
# Cell magics whose body IPython runs as Python in the kernel: only their first line is masked.
_PYTHON_CELL_MAGICS: Final = frozenset({"time", "timeit", "capture", "prun", "debug", "memit"})


class NotebookError(ValueError):
    pass


def _source(cell: dict, number: int) -> str:
    source = cell.get("source", "")
    if isinstance(source, list) and all(isinstance(part, str) for part in source):
        return "".join(source)
    if isinstance(source, str):
        return source
    raise NotebookError(f"cell {number} has a source that is not text")


def masked_lines(lines: list[str]) -> list[str]:
    """A cell's lines with IPython-only lines blanked out, keeping line numbers; a `%%` cell
    is masked whole."""
    magic = _CELL_MAGIC.match(lines[0]) if lines else None
    if magic is not None:
        if magic["name"] not in _PYTHON_CELL_MAGICS:  # %%bash, %%writefile, %%html, ...
            return ["" for _ in lines]
        return ["", *masked_lines(lines[1:])]
    joined = "\n".join(lines)
    if not _may_hold_magic(joined) or _MAGIC_LINE.search(joined) is None:
        return lines  # most cells: no line can be IPython's
    masked = []
    continued = False
    for line in lines:
        masked.append("pass" if (continued or _MAGIC.match(line)) and line.strip() else line)
        continued = masked[-1] == "pass" and line.rstrip().endswith("\\")
    return [_indent_pass(line, nxt) for line, nxt in zip(masked, lines, strict=True)]


def _may_hold_magic(text: str) -> bool:
    """Whether a line of `text` could be IPython's, for less than `_MAGIC_LINE` costs: every
    such line holds a `?`, or a `%` or `!` with only spaces or a `... =` before it on its line
    (`index % 2` and `a != b` do not)."""
    if "?" in text:
        return True
    for mark in "%!":
        at = text.find(mark)
        while at >= 0:
            before = text[text.rfind("\n", 0, at) + 1 : at].rstrip()
            if not before or before.endswith("="):
                return True
            at = text.find(mark, at + 1)
    return False


def _indent_pass(masked: str, original: str) -> str:
    if masked != "pass":
        return masked
    indent = original[: len(original) - len(original.lstrip())]
    return indent + "pass"


def notebook_unit(path: str, data: bytes, place_cells: bool = False) -> SourceUnit:
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
    sources = []
    for number, cell in enumerate(document["cells"], start=1):
        if not isinstance(cell, dict):
            raise NotebookError(f"cell {number} is not an object")
        if cell.get("cell_type") == "code":
            sources.append((number, _source(cell, number)))
    unit = unit_of_cells(path, sources)
    return placed(unit, data) if place_cells else unit


def placed(unit: SourceUnit, data: bytes) -> SourceUnit:
    """`unit` with the .ipynb line of each of its cells' lines. It reads the JSON again, in
    Python, so only notebooks that are analysed or reported pay for it."""
    if not unit.cells:
        return unit
    return replace(unit, cells=tuple(_with_file_lines(list(unit.cells), data)))


def unit_of_cells(path: str, sources: list[tuple[int, str]]) -> SourceUnit:
    """One program from code cells, each given as (its number among all cells, its source):
    a notebook file's, or the cells an editor sends."""
    parts: list[str] = []
    cells: list[Cell] = []
    line = 1
    for number, source in sources:
        lines = masked_lines(source.splitlines())
        count = len(lines) or 1
        parts.append("\n".join(lines))
        cells.append(Cell(number, line, count))
        line += count
    return SourceUnit(path, "\n".join(parts) + "\n", tuple(cells))


class Located(str):
    """A JSON string that remembers where its opening quote is in the document."""

    offset: int


def located_decoder() -> json.JSONDecoder:
    decoder = json.JSONDecoder()

    def parse_string(text: str, end: int, strict: bool) -> tuple[Located, int]:
        value, after = json.decoder.scanstring(text, end, strict)
        located = Located(value)
        located.offset = end - 1
        return located, after

    decoder.parse_string = parse_string  # type: ignore[attr-defined]
    decoder.scan_once = json.scanner.py_make_scanner(decoder)  # the C scanner ignores hooks
    return decoder


def _with_file_lines(cells: list[Cell], data: bytes) -> list[Cell]:
    """`cells` with the line of the .ipynb file where each of their source lines is, so that
    GitHub annotations and SARIF regions land on the code, not on line 1 of the JSON."""
    try:
        text = data.decode("utf-8-sig")
        document: Any = json.loads(text)
    except (ValueError, RecursionError):
        return cells
    offsets = _source_offsets(text, document)
    if offsets is None:
        offsets = _located_source_offsets(text)
    if offsets is None:
        return cells
    placed = []
    line, at = 1, 0  # the JSON's line at offset `at`: the strings come in the text's order
    for cell in cells:
        source = document["cells"][cell.number - 1].get("source", "")
        pieces = [source] if isinstance(source, str) else source
        lines: list[int] = []
        starts_a_line = True
        for piece, offset in zip(pieces, offsets[cell.number], strict=True):
            # nbformat keeps one line a string, but need not
            line, at = (line, at) if offset >= at else (1, 0)
            line, at = line + text.count("\n", at, offset), offset
            lines += [line] * (starts_a_line + piece.count("\n", 0, max(len(piece) - 1, 0)))
            starts_a_line = piece.endswith("\n")
        placed.append(Cell(cell.number, cell.first_line, cell.line_count, tuple(lines)))
    return placed


# A JSON string token, from its opening quote to its closing one: outside strings, a JSON text
# holds no quote, so the matches are the document's strings, in order.
_JSON_STRING: Final = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)


def _source_offsets(text: str, document: Any) -> dict[int, list[int]] | None:
    """Cell number -> where the opening quote of each piece of its source stands in `text`
    (a notebook's JSON, decoded as `document`). A JSON text's strings, keys included, stand in
    the order of the decoded document's keys and values, one for one, unless a key is
    repeated (then there are fewer in the document: None, as for a source that is not text)."""
    if not isinstance(document, dict):
        return None
    starts = [match.start() for match in _JSON_STRING.finditer(text)]
    found: dict[int, list[int]] = {}
    index = 0
    for key, value in document.items():
        index += 1
        if key != "cells" or not isinstance(value, list):
            index += _strings_in(value)
            continue
        for number, cell in enumerate(value, start=1):
            if not isinstance(cell, dict):
                index += _strings_in(cell)
                continue
            for field, content in cell.items():
                index += 1
                count = _strings_in(content)
                if field == "source":
                    if not (isinstance(content, str) or (isinstance(content, list) and all(
                            isinstance(piece, str) for piece in content))):
                        return None
                    found[number] = starts[index : index + count]
                index += count
    return found if index == len(starts) else None


def _located_source_offsets(text: str) -> dict[int, list[int]] | None:
    """`_source_offsets` the slow way, for the rare document with a repeated key: decoded
    again, in Python, each string remembering where it stands."""
    found: dict[int, list[int]] = {}
    try:
        document = located_decoder().decode(text)
    except (ValueError, RecursionError):
        return None
    for number, cell in enumerate(document["cells"], start=1):
        source = cell.get("source", "") if isinstance(cell, dict) else ""
        pieces = [source] if isinstance(source, str) else source
        if not all(isinstance(piece, Located) for piece in pieces):
            return None
        found[number] = [piece.offset for piece in pieces]
    return found


def _strings_in(value: Any) -> int:
    """How many strings a decoded JSON value holds, the keys of its objects included."""
    if isinstance(value, str):
        return 1
    if isinstance(value, dict):
        return len(value) + sum(_strings_in(item) for item in value.values())
    if isinstance(value, list):
        return sum(_strings_in(item) for item in value)
    return 0
