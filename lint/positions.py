"""Where calls, functions and classes sit in the source.

libcst's PositionProvider records a range for every node, which here costs twice the parse.
normlint needs the positions of calls alone (the findings, the loaders, the sinks). Two ways:
`AstPositions` reads them from CPython's tree of the same text (which the gate made anyway),
handing each out as the fact builder's walk meets the libcst node; `positions` is a codegen
pass that tracks line and column and keeps just those, for text CPython could not parse and
as the fallback when a call meets a twin of another name.
"""

from __future__ import annotations

import ast
import re
from collections import deque
from dataclasses import dataclass, field
from typing import Final

import libcst as cst
from libcst._nodes.internal import CodegenState

from .lines import python_lines
from .node_code import NOTHING, Nothing
from .types import Span

_NEWLINE: Final = re.compile(r"\r\n?|\n")
# Exact types, compared with `type(node) in`: libcst's node classes are ABCs, and isinstance
# against an ABC, on every node of a large file, costs more than the rest of this pass.
_BLOCKS: Final = frozenset({cst.FunctionDef, cst.ClassDef})


@dataclass
class _CallPositions(CodegenState):
    line: int = 1
    column: int = 0  # zero-based while generating
    found: dict[int, Span] = field(default_factory=dict)  # id(call) -> span
    wanted: frozenset[int] = frozenset()  # other nodes whose spans are asked for
    blocks: dict[int, tuple[int, int]] = field(default_factory=dict)  # id(def) -> (first, last)
    _open: list[int] = field(default_factory=list)
    _starts: dict[int, tuple[int, int]] = field(default_factory=dict)

    def before_codegen(self, node: cst.CSTNode) -> None:
        if type(node) in _BLOCKS:
            self._open.append(self.line)
        if self.wanted and id(node) in self.wanted:
            self._starts[id(node)] = (self.line, self.column)

    def after_codegen(self, node: cst.CSTNode) -> None:
        if type(node) in _BLOCKS:
            self.blocks[id(node)] = (self._open.pop(), self.line)
        if self.wanted and id(node) in self._starts:
            line, column = self._starts.pop(id(node))
            self.found[id(node)] = Span(line, column + 1, self.line, self.column + 1)

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.add_token(token)

    def add_token(self, value: str) -> None:
        # Only the position moves: the code itself is never read, so it is not kept.
        if "\n" in value or "\r" in value:
            parts = _NEWLINE.split(value)
            self.line += len(parts) - 1
            self.column = len(parts[-1])
        else:
            self.column += len(value)

    def record_syntactic_position(self, node: cst.CSTNode, *, start_node=None,
                                  end_node=None) -> _CallSpan | Nothing:
        """libcst asks this of nearly every node; a shared do-nothing context for all but
        calls costs a fraction of a generator-based context manager each time."""
        return _CallSpan(self, node) if type(node) is cst.Call else NOTHING


class _CallSpan:
    """Records where a call's code starts (on entering) and ends (on leaving)."""

    __slots__ = ("state", "node", "line", "column")

    def __init__(self, state: _CallPositions, node: cst.CSTNode) -> None:
        self.state, self.node = state, node
        self.line, self.column = state.line, state.column

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exception: object) -> None:
        state = self.state
        state.found[id(self.node)] = Span(self.line, self.column + 1, state.line,
                                          state.column + 1)


@dataclass(frozen=True, slots=True)
class Positions:
    calls: dict[int, Span]  # id(call) -> its span
    blocks: dict[int, tuple[int, int]]  # id(function or class) -> (first line, last line)


def positions(module: cst.Module, wanted: frozenset[int] = frozenset()) -> Positions:
    """The span of every call (and of the `wanted` nodes) and the lines of every function and
    class, keyed by `id()`."""
    state = _CallPositions(default_indent=module.default_indent,
                           default_newline=module.default_newline, wanted=wanted)
    module._codegen(state)
    return Positions(state.found, state.blocks)


def _start(node: ast.AST) -> tuple[int, int]:
    decorators = getattr(node, "decorator_list", ())
    return min([(node.lineno, node.col_offset), *((d.lineno, d.col_offset - 1)
                                                  for d in decorators)])


class AstPositions:
    """Positions read from CPython's `ast` of the same text, handed out as libcst's walk meets
    the nodes: a call, a function or class and a lambda each meet their next `ast` twin in
    source order (libcst visits in source order; `ast` nodes are sorted so). What the walk
    skips is dropped from the queues by its extent. Cheaper than a codegen pass; where a
    twin's name does not match, `misaligned` tells the caller to fall back to `positions`."""

    def __init__(self, tree: ast.Module, text: str, stubbed: list[tuple[int, int]],
                 dropped: frozenset[int] = frozenset()) -> None:
        self.tree = tree
        self.lines = python_lines(text)
        self.dropped = dropped
        calls, blocks, lambdas = [], [], []
        inside = _Ranges(stubbed)
        stack: list[object] = list(reversed(tree.body))
        while stack:
            node = stack.pop()
            kind = type(node)
            if kind in _AST_LEAVES or not isinstance(node, ast.AST):
                continue  # a name, a constant, a context, an operator (or a list's string)
            if kind in _AST_BLOCKS:
                first = _start(node)[0]
                if first in dropped:
                    continue  # left out: libcst sees no statement there
                blocks.append(node)
                if inside.starts(first):
                    continue  # stubbed out: libcst sees only `def name(): ...`
            elif kind is ast.Call:
                calls.append(node)
            elif kind is ast.Lambda:
                lambdas.append(node)
            for name in node._fields:  # what ast.iter_child_nodes gives, without its generators
                value = getattr(node, name, None)
                if type(value) is list:
                    stack.extend(value)
                elif isinstance(value, ast.AST):
                    stack.append(value)
        calls.sort(key=lambda n: (n.lineno, n.col_offset, -n.end_lineno, -n.end_col_offset))
        blocks.sort(key=_start)
        lambdas.sort(key=lambda n: (n.lineno, n.col_offset))
        self.calls = deque(calls)
        self.blocks = deque(blocks)
        self.lambdas = deque(lambdas)
        self.misaligned = False

    def module_blocks(self, module: cst.Module) -> dict[int, tuple[int, int]]:
        """The lines of the module's own functions and classes: the two bodies list them in
        the same order."""
        ours = [s for s in module.body if type(s) in _BLOCKS]
        theirs = [s for s in self.tree.body
                  if type(s) in _AST_BLOCKS and _start(s)[0] not in self.dropped]
        if len(ours) != len(theirs):
            self.misaligned = True
            return {}
        return {id(a): (_start(b)[0], b.end_lineno or b.lineno) for a, b in zip(ours, theirs)}

    def call(self, node: cst.Call) -> Span:
        if not self.calls:
            self.misaligned = True
            return Span(1, 1, 1, 1)
        twin = self.calls.popleft()
        if _terminal(node.func) != _ast_terminal(twin.func):
            self.misaligned = True
        return Span(twin.lineno, self._column(twin.lineno, twin.col_offset) + 1,
                    twin.end_lineno or twin.lineno,
                    self._column(twin.end_lineno or twin.lineno, twin.end_col_offset or 0) + 1)

    def block(self) -> tuple[tuple[int, int], tuple[int, int, int, int]]:
        """The next function's or class's (first, last) lines, and its extent."""
        if not self.blocks:
            self.misaligned = True
            return (1, 1), (0, 0, 0, 0)
        twin = self.blocks.popleft()
        line, column = _start(twin)
        extent = (line, column, twin.end_lineno or line, twin.end_col_offset or 0)
        return (line, twin.end_lineno or line), extent

    def lambda_extent(self) -> tuple[int, int, int, int]:
        if not self.lambdas:
            self.misaligned = True
            return (0, 0, 0, 0)
        twin = self.lambdas.popleft()
        return (twin.lineno, twin.col_offset, twin.end_lineno or twin.lineno,
                twin.end_col_offset or 0)

    def skip(self, extent: tuple[int, int, int, int]) -> None:
        """The walk does not enter what lies in `extent`: drop its nodes from every queue."""
        first, column, last, end = extent
        for queue in (self.calls, self.blocks, self.lambdas):
            while queue:
                node = queue[0]
                where = _start(node) if type(node) in _AST_BLOCKS else (node.lineno, node.col_offset)
                if (first, column) <= where < (last, end):
                    queue.popleft()
                else:
                    break

    def _column(self, line: int, offset: int) -> int:
        """`ast` counts UTF-8 bytes; a Span counts characters."""
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        if text.isascii():
            return offset
        return len(text.encode("utf-8")[:offset].decode("utf-8", "replace"))


class _Ranges:
    """The line ranges of stubbed blocks."""

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        self.ranges = sorted(ranges)
        self.firsts = {first for first, _ in ranges}

    def __call__(self, line: int) -> bool:
        return any(first <= line <= last for first, last in self.ranges)

    def starts(self, line: int) -> bool:
        return line in self.firsts


_AST_BLOCKS: Final = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef})
# Nodes that hold no call, lambda or block: not entered.
_AST_LEAVES: Final = frozenset({ast.Name, ast.Constant, ast.Load, ast.Store, ast.Del,
                                *ast.operator.__subclasses__(), *ast.unaryop.__subclasses__(),
                                *ast.cmpop.__subclasses__(), *ast.boolop.__subclasses__()})


def _terminal(func: cst.BaseExpression) -> str:
    """What a call's callee is called, for the twin check; "" when it has no name."""
    if type(func) is cst.Name:
        return func.value
    if type(func) is cst.Attribute:
        return func.attr.value
    return ""


def _ast_terminal(func: ast.expr) -> str:
    if type(func) is ast.Name:
        return func.id
    if type(func) is ast.Attribute:
        return func.attr
    return ""
