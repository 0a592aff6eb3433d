"""Turn a file's bytes into a SourceUnit, and a SourceUnit into a libcst module, or a FileError."""

from __future__ import annotations

import io
import tokenize
from typing import TYPE_CHECKING

from .notebooks import NotebookError, notebook_unit
from .types import FileError, SourceUnit

if TYPE_CHECKING:
    import libcst as cst


def decode(data: bytes) -> str:
    """Python source text, honouring a BOM and a PEP 263 coding cookie (UTF-8 otherwise)."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding)


def load_unit(path: str, data: bytes) -> SourceUnit | FileError:
    """The analysable text of a `.py` file or a notebook, or why there is none."""
    try:
        if path.endswith(".ipynb"):
            return notebook_unit(path, data)
        return SourceUnit(path, decode(data))
    except NotebookError as error:
        return FileError(f"invalid notebook: {error}")
    except (SyntaxError, UnicodeDecodeError, LookupError) as error:
        return FileError(f"cannot decode: {_first_line(error)}")


def parse(unit: SourceUnit) -> cst.Module | FileError:
    import libcst as cst  # 0.2 s: only for files that survived the screen

    if "\0" in unit.text:
        return FileError("syntax error: source contains a NUL byte")
    try:
        return cst.parse_module(unit.text)
    except cst.ParserSyntaxError as error:
        where = unit.locate(error.raw_line, error.raw_column + 1)
        cell = f"cell {where.cell}, " if where.cell else ""
        return FileError(f"syntax error at {cell}line {where.line}, column {where.column}: "
                         f"{_first_line(error.message)}")


def _first_line(error: object) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
