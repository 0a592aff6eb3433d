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
    if type(node) in _LEAVES and not node.lpar:  # type: ignore[attr-defined]
        return node.value  # type: ignore[attr-defined]
    dotted = _dotted(node) if type(node) is cst.Attribute else None
    if dotted is not None:
        return dotted
    state = _Code(default_indent=module.default_indent, default_newline=module.default_newline)
    node._codegen(state)
    return "".join(state.tokens)


# Nodes whose code, without parentheses, is their `value` as the parser read it.
_LEAVES: Final = frozenset({cst.Name, cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString})


def _dotted(node: cst.BaseExpression) -> str | None:
    """The code of `a.b.c` written without spaces or parentheses (most attributes in
    messages: `tf.keras.utils.normalize`), or None."""
    parts = []
    while type(node) is cst.Attribute and not node.lpar and _tight(node.dot):
        parts.append(node.attr.value)
        node = node.value
    if type(node) is not cst.Name or node.lpar:
        return None
    parts.append(node.value)
    return ".".join(reversed(parts))


def _tight(dot: cst.Dot) -> bool:
    before, after = dot.whitespace_before, dot.whitespace_after
    return type(before) is cst.SimpleWhitespace and type(after) is cst.SimpleWhitespace \
        and not before.value and not after.value
