"""A libcst node's code, exactly as `Module.code_for_node` gives it, for less.

libcst's code generation enters a generator-based context manager on nearly every node, to
let a position provider record where it lands; normlint asks for code (call text, names in
messages) without positions, so a do-nothing context serves all nodes, and a bare name is
its own code.
"""

from __future__ import annotations

from typing import Final

import libcst as cst
from libcst._nodes.internal import CodegenState


class Nothing:
    """A context that does nothing, shared by every node that asks for one."""

    __slots__ = ()

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exception: object) -> None:
        return None


NOTHING: Final = Nothing()


class _Code(CodegenState):
    def record_syntactic_position(self, node: cst.CSTNode, *, start_node: object = None,
                                  end_node: object = None) -> Nothing:
        return NOTHING


def code_for_node(module: cst.Module, node: cst.CSTNode) -> str:
    """`module.code_for_node(node)`."""
    if type(node) is cst.Name and not node.lpar:
        return node.value
    state = _Code(default_indent=module.default_indent, default_newline=module.default_newline)
    node._codegen(state)
    return "".join(state.tokens)
