"""Turn a file's bytes into a SourceUnit, and a SourceUnit into a libcst module, or a FileError."""

from __future__ import annotations

import ast
import io
import tokenize
import warnings
from typing import TYPE_CHECKING

from .notebooks import NotebookError, notebook_unit
from .screen import Relevance
from .types import FileError, Skip, SourceUnit

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


# CPython refuses these before its own recursion runs out; past them a file is a limit case,
# skipped with a notice. (What CPython accepts, libcst parses; the fact builder's own
# RecursionError on such depths is caught by the runner, and the file is skipped too.)
_NESTING_LIMITS = ("too many nested parentheses", "too many levels of indentation",
                   "too many statically nested blocks")


def gate(text: str) -> ast.Module | Skip | SyntaxError:
    """CPython's own parse of `text`, before libcst may see it, for libcst's native parser
    can crash on nesting CPython refuses: a Skip then; CPython's SyntaxError when it calls the
    text invalid, which may only be syntax newer than this Python, so libcst decides."""
    try:
        with warnings.catch_warnings():  # the compiler's warnings about the user's code
            warnings.simplefilter("ignore")  # (`"\d"`, `1()`) are not normlint's to print
            tree = ast.parse(text)
    except SyntaxError as error:
        if any(limit in str(error.msg) for limit in _NESTING_LIMITS):
            return Skip(f"nested deeper than Python allows ({error.msg})")
        return error
    except (RecursionError, MemoryError):
        return Skip("nested too deeply for Python's own parser")
    return tree


def syntax_error(unit: SourceUnit, error: SyntaxError) -> FileError:
    """CPython's message at CPython's position, in the user's terms (a notebook's cell)."""
    name = type(error).__name__  # SyntaxError, IndentationError, TabError
    line = error.lineno or 1
    column = error.offset or 1
    return FileError(f"{name}: {error.msg}", location=unit.locate(line, max(column, 1)))


def without_irrelevant_blocks(text: str, tree: ast.Module, relevance: Relevance) -> str:
    """`text` with every function and class whose body cannot matter (see Relevance) replaced
    by a one-line stub and blank lines, so that every other line keeps its number and column.
    Classes that matter are entered, so one relevant method does not keep all the others.

    libcst costs ten times what `ast` does; large library files are mostly such blocks.
    """
    lines = text.splitlines(keepends=True)
    replacements: list[tuple[int, int, str]] = []
    _collect_stubs(tree.body, lines, relevance, replacements)
    for first, last, stub in sorted(replacements, reverse=True):
        lines[first - 1 : last] = [stub] + ["\n"] * (last - first)
    return "".join(lines)


def _collect_stubs(body: list[ast.stmt], lines: list[str], relevance: Relevance,
                   found: list[tuple[int, int, str]]) -> None:
    for node in body:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        last = node.end_lineno or node.lineno
        if last == first or _shares_lines(node, first, last, body):
            continue  # nothing to gain, or a stub would swallow a neighbour
        if relevance.is_needed("".join(lines[first - 1 : last])):
            if isinstance(node, ast.ClassDef):
                _collect_stubs(node.body, lines, relevance, found)
            continue
        line = lines[first - 1]
        indent = line[: len(line) - len(line.lstrip())]
        stub = f"class {node.name}: pass\n" if isinstance(node, ast.ClassDef) \
            else f"def {node.name}(): pass\n"
        found.append((first, last, indent + stub))


def _shares_lines(node: ast.stmt, first: int, last: int, body: list[ast.stmt]) -> bool:
    return any(other is not node and other.lineno <= last and (other.end_lineno or 0) >= first
               for other in body)


def parse(unit: SourceUnit, relevance: Relevance | None = None) -> cst.Module | FileError | Skip:
    """Parse `unit` with libcst, once CPython's parser has let it through; with `relevance`,
    blocks that cannot matter are stubbed out first."""
    import libcst as cst  # 0.2 s: only for files that survived the screen

    if "\0" in unit.text:
        return FileError("SyntaxError: source code contains a NUL byte")
    tree = gate(unit.text)
    if isinstance(tree, Skip):
        return tree
    text = unit.text if relevance is None or isinstance(tree, SyntaxError) else \
        without_irrelevant_blocks(unit.text, tree, relevance)
    try:
        return cst.parse_module(text)
    except cst.ParserSyntaxError as error:
        if isinstance(tree, SyntaxError):
            return syntax_error(unit, tree)
        where = unit.locate(error.raw_line, error.raw_column + 1)
        return FileError(f"SyntaxError: {_first_line(error.message)}", location=where)


def _first_line(error: object) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
