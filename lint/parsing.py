"""Turn a file's bytes into a SourceUnit, and a SourceUnit into a libcst module, or a FileError."""

from __future__ import annotations

import ast
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


def without_irrelevant_blocks(text: str, words: frozenset[str]) -> str:
    """`text` with each top-level function and class that mentions none of `words` replaced by
    a one-line stub and blank lines, so that every other line keeps its number and column.

    libcst costs ten times what `ast` does; large library files are mostly such blocks.
    """
    from .screen import mentions

    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return text  # libcst will say what is wrong
    lines = text.splitlines(keepends=True)
    previous_end = 0
    blocks = []
    for node in tree.body:
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", ()))])
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            blocks.append((node, first, node.end_lineno or node.lineno, previous_end))
        previous_end = node.end_lineno or node.lineno
    for node, first, last, before in reversed(blocks):
        shares_a_line = first == before or any(
            n.lineno == last for n in tree.body if n is not node and n.lineno >= first)
        if shares_a_line or mentions("".join(lines[first - 1 : last]), words):
            continue
        keyword = "class" if isinstance(node, ast.ClassDef) else "def"
        stub = f"{keyword} {node.name}{'()' if keyword == 'def' else ''}: pass\n"
        lines[first - 1 : last] = [stub] + ["\n"] * (last - first)
    return "".join(lines)


def parse(unit: SourceUnit, words: frozenset[str] | None = None) -> cst.Module | FileError:
    """Parse `unit` with libcst; with `words`, blocks that mention none of them are stubbed."""
    import libcst as cst  # 0.2 s: only for files that survived the screen

    if "\0" in unit.text:
        return FileError("syntax error: source contains a NUL byte")
    text = unit.text if words is None else without_irrelevant_blocks(unit.text, words)
    try:
        return cst.parse_module(text)
    except cst.ParserSyntaxError as error:
        where = unit.locate(error.raw_line, error.raw_column + 1)
        cell = f"cell {where.cell}, " if where.cell else ""
        return FileError(f"syntax error at {cell}line {where.line}, column {where.column}: "
                         f"{_first_line(error.message)}")


def _first_line(error: object) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
