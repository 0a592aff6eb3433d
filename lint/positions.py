"""Where calls, functions and classes sit in the source: one codegen pass that records only those.

libcst's PositionProvider records a range for every node, which here costs twice the parse.
normlint needs the positions of calls alone (the findings, the loaders, the sinks), so this
pass tracks the line and column as code is generated and keeps just those.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
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
        self.tokens.append(value)
        if "\n" in value or "\r" in value:
            parts = _NEWLINE.split(value)
            self.line += len(parts) - 1
            self.column = len(parts[-1])
        else:
            self.column += len(value)

    @contextmanager
    def record_syntactic_position(self, node: cst.CSTNode, *, start_node=None,
                                  end_node=None) -> Iterator[None]:
        if type(node) is not cst.Call:
            yield
            return
        line, column = self.line, self.column
        yield
        self.found[id(node)] = Span(line, column + 1, self.line, self.column + 1)


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
