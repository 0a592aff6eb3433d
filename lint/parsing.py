"""Turn a file's bytes into a SourceUnit, and a SourceUnit into a libcst module, or a FileError."""

from __future__ import annotations

import ast
import re
import io
import tokenize
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, NamedTuple

from .lines import python_lines
from .notebooks import NotebookError, notebook_unit
from .screen import Relevance, mentions
from .types import FileError, Skip, SourceUnit

if TYPE_CHECKING:
    import libcst as cst


def decode(data: bytes) -> str:
    """Python source text, honouring a BOM and a PEP 263 coding cookie (UTF-8 otherwise)."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding)


def load_unit(path: str, data: bytes, place_cells: bool = False) -> SourceUnit | FileError:
    """The analysable text of a `.py` file or a notebook, or why there is none; with
    `place_cells`, a notebook's cells know their lines in the .ipynb file (for reports)."""
    try:
        if path.endswith(".ipynb"):
            return notebook_unit(path, data, place_cells)
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
    """`text` with every function and class whose body cannot matter replaced by a stub whose
    body is one string spanning the block's lines, so that every other line keeps its number
    and column (a string is one token for libcst, where blank lines would each be a node).
    A module's function or class whose name the kept code never mentions is left out, its
    lines one string with its neighbours'. Classes that matter are entered, so one relevant
    method does not keep all the others.

    A function matters if it can hold a catalog call, or if it can hand an image fact to code
    that matters and is used there (see `_kept_functions`). libcst costs ten times what `ast`
    does; large library files are mostly such blocks.
    """
    return sliced(text, tree, relevance).text


@dataclass(frozen=True, slots=True)
class Slice:
    """What libcst is given of a file, and what was taken out."""

    text: str
    stubbed: list[tuple[int, int]]  # the (first, last) lines of each block taken out
    dropped: frozenset[int]  # the first lines of those left out without a stub


class _Stub(NamedTuple):
    first: int
    last: int
    code: str  # the stub's first line, indented, up to its string
    name: str
    in_module: bool  # a statement of the module itself, not of a class


def sliced(text: str, tree: ast.Module, relevance: Relevance) -> Slice:
    """`without_irrelevant_blocks`, and where the blocks it took out were."""
    lines = python_lines(text, keepends=True)
    keep = _kept_functions(tree.body, lines, relevance)
    stubs: list[_Stub] = []
    _collect_stubs(tree.body, lines, relevance, keep, stubs, in_module=True)
    dropped = _unnamed(stubs, lines)
    replacements = [(s.first, s.last, s.code) for s in stubs if s.first not in dropped]
    replacements += [(first, last, _STUB_START) for first, last
                     in _runs(sorted(s for s in stubs if s.first in dropped), lines)]
    for first, last, code in sorted(replacements, reverse=True):  # later lines first
        lines[first - 1 : last] = [code + "\n" * (last - first) + _STUB_END]
    return Slice("".join(lines), [(s.first, s.last) for s in stubs], frozenset(dropped))


def _unnamed(stubs: list[_Stub], lines: list[str]) -> set[int]:
    """The module's stubbed blocks whose name no kept line mentions: a stub binds its name
    (a local `normalize` shadows an import), which matters only where the name is read."""
    inside = {line for s in stubs for line in range(s.first, s.last + 1)}
    kept = "".join(line for number, line in enumerate(lines, start=1) if number not in inside)
    words = set(_WORD.findall(kept))
    return {s.first for s in stubs if s.in_module and s.name not in words}


def _runs(stubs: list[_Stub], lines: list[str]) -> list[tuple[int, int]]:
    """Blocks left out, as runs of lines: neighbours with only blank lines and comments
    between them make one run (one string for libcst)."""
    runs: list[tuple[int, int]] = []
    for stub in stubs:
        if runs and all(not line.strip() or line.lstrip().startswith("#")
                        for line in lines[runs[-1][1] : stub.first - 1]):
            runs[-1] = (runs[-1][0], stub.last)
        else:
            runs.append((stub.first, stub.last))
    return runs


# A stub's body: a string of the block's line breaks (it holds nothing else, so no quote in it).
_STUB_START: Final = "'" * 3
_STUB_END: Final = "'" * 3 + "\n"
_FUNCTIONS: Final = (ast.FunctionDef, ast.AsyncFunctionDef)
_WORD: Final = re.compile(r"\w+")
_SELF_ATTRIBUTE: Final = re.compile(r"\bself\.(\w+)")


def _extent(node: ast.stmt) -> tuple[int, int]:
    decorators = getattr(node, "decorator_list", ())
    return min([node.lineno, *(d.lineno for d in decorators)]), node.end_lineno or node.lineno


def _functions(body: list[ast.stmt]) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """The functions of a module or class body, and of the classes in it (not of functions)."""
    found: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
    for node in body:
        if isinstance(node, _FUNCTIONS):
            found.append(node)
        elif isinstance(node, ast.ClassDef):
            found += _functions(node.body)
    return found


def _kept_functions(body: list[ast.stmt], lines: list[str], relevance: Relevance) -> set[int]:
    """The functions (by id) whose bodies are parsed: those that can hold a catalog call, those
    that call a module function that does (their call sites say what its parameters hold),
    and, found by demand, module functions that return a fact (a source or a reshape) and
    constructors that make a layer (a network's first layer says what it takes), each kept when
    kept code names the function or the class. A method's return value reaches no caller in the
    fact builder, so a method is otherwise kept only for the calls it holds."""
    functions = _functions(body)
    text_of = {}
    for function in functions:
        first, last = _extent(function)
        text_of[id(function)] = "".join(lines[first - 1 : last])
    keep = {id(f) for f in functions if relevance.holds_calls(text_of[id(f)])}
    module_level = {id(node) for node in body}
    callers = relevance.with_callers(frozenset(
        f.name for f in functions if id(f) in keep and id(f) in module_level))
    keep |= {id(f) for f in functions if callers.calls_one(text_of[id(f)])}
    inside = set()
    for function in functions:
        first, last = _extent(function)
        inside.update(range(first, last + 1))
    outside = "".join(line for number, line in enumerate(lines, start=1) if number not in inside)
    pool = [outside, *(text_of[i] for i in keep)]
    # Constructors that may make a layer or load data, and a data set's `__getitem__`, kept when
    # kept code makes the class (`Net(`: what its first layer takes is what arrays passed to it
    # are) or a kept method reads an attribute the constructor sets (`self.train`). Not
    # followed further.
    for node in body:
        if not isinstance(node, ast.ClassDef):
            continue
        methods = [m for m in node.body if isinstance(m, _FUNCTIONS)]
        for init in methods:
            if init.name not in ("__init__", "__getitem__") or id(init) in keep \
                    or not relevance.may_set_facts(text_of[id(init)]):
                continue
            read = {m.group(1) for method in methods if id(method) in keep
                    for m in _SELF_ATTRIBUTE.finditer(text_of[id(method)])}
            set_here = {m.group(1) for m in _SELF_ATTRIBUTE.finditer(text_of[id(init)])}
            if read & set_here or any(_makes(part, node.name) for part in pool):
                keep.add(id(init))
                pool.append(text_of[id(init)])
    # Module functions that return a fact, kept when kept code names them (and then what they
    # name). Whether one may return a fact is asked only once kept code names it.
    waiting = [f for f in functions if id(f) not in keep and id(f) in module_level]
    while waiting:
        named = [f for f in waiting if any(_names(part, f.name) for part in pool)]
        returning = [f for f in named if relevance.may_return_facts(text_of[id(f)])]
        if not returning:
            break
        keep |= {id(f) for f in returning}
        pool += [text_of[id(f)] for f in returning]
        asked = {id(f) for f in named}
        waiting = [f for f in waiting if id(f) not in asked]
    return keep


def _names(text: str, name: str) -> bool:
    return name in text and mentions(text, frozenset({name}))


def _makes(text: str, name: str) -> bool:
    """Whether `text` calls `name` (`Net(`): the word, then a parenthesis, not in the class
    statement itself (`class Net(nn.Module):`)."""
    call = name + "("
    at = text.find(call)
    while at >= 0:
        if mentions(text[max(at - 1, 0) : at + len(name)], frozenset({name})) \
                and not text[max(at - 6, 0) : at].endswith("class "):
            return True
        at = text.find(call, at + 1)
    return False


def _collect_stubs(body: list[ast.stmt], lines: list[str], relevance: Relevance, keep: set[int],
                   found: list[_Stub], in_module: bool = False) -> None:
    for index, node in enumerate(body):
        if not isinstance(node, (*_FUNCTIONS, ast.ClassDef)):
            continue
        first, last = _extent(node)
        if last == first or _shares_lines(body, index, first, last):
            continue  # nothing to gain, or a stub would swallow a neighbour
        if id(node) in keep:
            continue
        if isinstance(node, ast.ClassDef) and (
                any(id(f) in keep for f in _functions(node.body))
                or relevance.holds_calls("".join(lines[first - 1 : last]))):
            _collect_stubs(node.body, lines, relevance, keep, found)
            continue
        line = lines[first - 1]
        indent = line[: len(line) - len(line.lstrip())]
        stub = f"class {node.name}: {_STUB_START}" if isinstance(node, ast.ClassDef) \
            else f"def {node.name}(): {_STUB_START}"
        found.append(_Stub(first, last, indent + stub, node.name, in_module))


def _shares_lines(body: list[ast.stmt], index: int, first: int, last: int) -> bool:
    """Whether the statement at `index`, on lines `first` to `last`, shares one with another
    (`x = 1; def f(): ...`): statements follow each other, so only its neighbours can."""
    return (index > 0 and (body[index - 1].end_lineno or 0) >= first) or (
        index + 1 < len(body) and body[index + 1].lineno <= last)


@dataclass(frozen=True, slots=True)
class Parsed:
    """libcst's tree of a unit (sliced), with CPython's tree of the same text when it had
    one and what the slice took out: enough to place calls without a codegen pass."""

    module: cst.Module
    tree: ast.Module | None
    taken_out: Slice | None


def parse(unit: SourceUnit, relevance: Relevance | None = None) -> cst.Module | FileError | Skip:
    """Parse `unit` with libcst, once CPython's parser has let it through; with `relevance`,
    blocks that cannot matter are stubbed out first."""
    parsed = parse_unit(unit, relevance)
    return parsed.module if isinstance(parsed, Parsed) else parsed


def parse_unit(unit: SourceUnit, relevance: Relevance | None = None) -> Parsed | FileError | Skip:
    import libcst as cst  # 0.2 s: only for files that survived the screen

    if "\0" in unit.text:
        return FileError("SyntaxError: source code contains a NUL byte")
    tree = gate(unit.text)
    if isinstance(tree, Skip):
        return tree
    text, taken_out = unit.text, None
    if relevance is not None and not isinstance(tree, SyntaxError):
        taken_out = sliced(unit.text, tree, relevance)
        text = taken_out.text
    try:
        with _unvalidated(cst.CSTNode):
            module = cst.parse_module(text)
    except cst.ParserSyntaxError as error:
        if isinstance(tree, SyntaxError):
            return syntax_error(unit, tree)
        where = unit.locate(error.raw_line, error.raw_column + 1)
        return FileError(f"SyntaxError: {_first_line(error.message)}", location=where)
    return Parsed(module, None if isinstance(tree, SyntaxError) else tree, taken_out)


@contextmanager
def _unvalidated(node: type[cst.CSTNode]) -> Iterator[None]:
    """libcst checks every node it constructs (`CSTNode.__post_init__` calls `_validate`):
    half the time of a parse, spent proving its own parser's output well formed. Its source
    says as much ("It might make more sense to move validation work into the visitor, which
    would allow us to avoid validating the tree when parsing a file"). Off while the parser
    builds a tree, on again for every node built after (a fix's replacement).

    The switch is a flag that a check, put in place of `__post_init__` once, reads: replacing
    the method at every parse made Python forget what it knew of every node class's
    attributes (a sixth of a parse)."""
    if node.__dict__["__post_init__"] is not _validated_when_on:
        node.__post_init__ = _validated_when_on  # type: ignore[method-assign]
    before, _Validation.on = _Validation.on, False
    try:
        yield
    finally:
        _Validation.on = before


class _Validation:
    """Whether the nodes being built are validated: not while libcst's parser builds them."""

    on = True


def _validated_when_on(self: cst.CSTNode) -> None:
    if _Validation.on:
        self._validate()


def _first_line(error: object) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
