"""Where calls, functions and classes sit in the source: one codegen pass that records only those.

libcst's PositionProvider records a range for every node, which here costs twice the parse.
normlint needs the positions of calls alone (the findings, the loaders, the sinks), so this
pass tracks the line and column as code is generated and keeps just those.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

import libcst as cst
from libcst._nodes.internal import CodegenState

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
    blocks: dict[int, tuple[int, int]] = field(default_factory=dict)  # id(def) -> (first, last)
    _open: list[int] = field(default_factory=list)

    def before_codegen(self, node: cst.CSTNode) -> None:
        if type(node) in _BLOCKS:
            self._open.append(self.line)

    def after_codegen(self, node: cst.CSTNode) -> None:
        if type(node) in _BLOCKS:
            self.blocks[id(node)] = (self._open.pop(), self.line)

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
                                  end_node=None) -> _CallSpan | _Nothing:
        """libcst asks this of nearly every node; a shared do-nothing context for all but
        calls costs a fraction of a generator-based context manager each time."""
        return _CallSpan(self, node) if type(node) is cst.Call else _NOTHING


class _Nothing:
    __slots__ = ()

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exception: object) -> None:
        return None


_NOTHING: Final = _Nothing()


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


def positions(module: cst.Module) -> Positions:
    """The span of every call and the lines of every function and class, keyed by `id()`."""
    state = _CallPositions(default_indent=module.default_indent,
                           default_newline=module.default_newline)
    module._codegen(state)
    return Positions(state.found, state.blocks)
