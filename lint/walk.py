"""Walk a libcst tree read-only: a visitor's `visit_`/`leave_` methods, in libcst's own order,
without rebuilding a node.

`node.visit(visitor)` rebuilds and revalidates every node on the way back up, even for a
`CSTVisitor` that changes nothing: on ML code that is most of the time normlint spends in
libcst. This walk reads the same fields in the same order and calls the same methods (a
`visit_` that returns False skips the children), but leaves the tree alone and does not enter
whitespace and punctuation, which hold no code.

The order of a node's fields is libcst's: it is read once per node class from the class's own
`_visit_and_replace_children`, which announces every field, present or not, as it goes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import libcst as cst

_Hook = Callable[[cst.CSTVisitor, cst.CSTNode], object] | None

# Nodes that hold no code (layout, brackets, operators, keywords): never entered, never
# visited. A visitor that wants one of these must be walked by libcst's `node.visit`.
_TOKEN_BASES: Final = (
    cst.BaseParenthesizableWhitespace, cst.EmptyLine, cst.TrailingWhitespace, cst.Newline,
    cst.Comment, cst.Comma, cst.Semicolon, cst.Colon, cst.Dot, cst.AssignEqual,
    cst.LeftParen, cst.RightParen, cst.LeftSquareBracket, cst.RightSquareBracket,
    cst.LeftCurlyBrace, cst.RightCurlyBrace, cst.BaseUnaryOp, cst.BaseBooleanOp,
    cst.BaseBinaryOp, cst.BaseCompOp, cst.BaseAugOp, cst.Asynchronous,
)


def subclasses(base: type) -> set[type]:
    """`base` and every class below it."""
    found = {base}
    for sub in base.__subclasses__():
        found |= subclasses(sub)
    return found


TOKENS: Final = frozenset(t for base in _TOKEN_BASES for t in subclasses(base))

# Nodes whose fields hold nothing but brackets: with no method for them, nothing to do inside.
_LEAVES: Final = frozenset({cst.Name, cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString,
                            cst.Ellipsis})
_SKIPPED: dict[type, frozenset[type]] = {}  # visitor class -> the node classes not entered
_FIELDS: dict[type, tuple[str, ...]] = {}  # node class -> its fields, in libcst's visiting order
# Classes some of whose fields libcst announces only when they hold something (a format spec):
# the order so far, and the fields not yet seen holding anything.
_PARTIAL: dict[type, tuple[tuple[str, ...], frozenset[str]]] = {}
_HOOKS: dict[tuple[type, type], tuple[_Hook, _Hook]] = {}  # (visitor, node class) -> methods


class _FieldOrder(cst.CSTVisitor):
    """Hears a node's fields announced by its `_visit_and_replace_children`, entering none."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[str] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        return False

    def on_leave(self, original_node: cst.CSTNode) -> None:
        return None

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        self.fields.append(attribute)

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        return None


def _holds(value: object) -> bool:
    return value is not None and value is not cst.MaybeSentinel.DEFAULT and value != ()


def _merged(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    """Two orders that are both parts of one (libcst's), as one."""
    merged: list[str] = []
    i = j = 0
    while i < len(first) or j < len(second):
        if i < len(first) and j < len(second) and first[i] == second[j]:
            merged.append(first[i])
            i, j = i + 1, j + 1
        elif i < len(first) and first[i] not in second[j:]:
            merged.append(first[i])
            i += 1
        else:
            merged.append(second[j])
            j += 1
    return tuple(merged)


def fields_of(node: cst.CSTNode) -> tuple[str, ...]:
    """The fields of `node`'s class that libcst visits, in its order: learnt from the first
    node of each class (rebuilt once for it), and again from a node that holds a field no
    earlier node of its class had (libcst announces a few fields only when they are set)."""
    kind = type(node)
    partial = _PARTIAL.get(kind)
    if partial is not None and not any(_holds(getattr(node, name)) for name in partial[1]):
        return partial[0]
    order = _FieldOrder()
    node._visit_and_replace_children(order)
    fields = tuple(dict.fromkeys(order.fields))
    unseen = {name for name in kind.__dataclass_fields__
              if name not in fields and not _holds(getattr(node, name))}
    if partial is not None:
        fields = _merged(partial[0], fields)
        unseen &= partial[1]
    if unseen:
        _PARTIAL[kind] = (fields, frozenset(unseen))
    else:
        _PARTIAL.pop(kind, None)
        _FIELDS[kind] = fields
    return fields


def _hooks(visitor: type, kind: type) -> tuple[_Hook, _Hook]:
    hooks = _HOOKS.get((visitor, kind))
    if hooks is None:
        name = kind.__name__
        hooks = _HOOKS[visitor, kind] = (getattr(visitor, f"visit_{name}", None),
                                         getattr(visitor, f"leave_{name}", None))
    return hooks


def walk(node: cst.CSTNode, visitor: cst.CSTVisitor) -> None:
    """What `node.visit(visitor)` does for a read-only visitor, less the rebuilding and the
    layout nodes; `visit_<Node>_<field>` methods are not called."""
    _walk(node, visitor, _not_entered(type(visitor)))


def _not_entered(visitor: type) -> frozenset[type]:
    """The layout nodes, and the leaves (a name, a number, a string: nothing inside but
    brackets) that `visitor` has no method for: a third of a tree, entered for nothing."""
    skipped = _SKIPPED.get(visitor)
    if skipped is None:
        skipped = _SKIPPED[visitor] = TOKENS | {
            leaf for leaf in _LEAVES if _hooks(visitor, leaf) == (None, None)}
    return skipped


def _walk(node: cst.CSTNode, visitor: cst.CSTVisitor, skipped: frozenset[type]) -> None:
    kind = type(node)
    visit, leave = _HOOKS.get((type(visitor), kind)) or _hooks(type(visitor), kind)
    if visit is None or visit(visitor, node) is not False:
        fields = _FIELDS.get(kind)
        for name in fields if fields is not None else fields_of(node):
            value = getattr(node, name)
            if type(value) is tuple or type(value) is list:
                for child in value:
                    if type(child) not in skipped:
                        _walk(child, visitor, skipped)
            elif value is not None and type(value) not in skipped \
                    and type(value) is not cst.MaybeSentinel and type(value) is not str:
                _walk(value, visitor, skipped)
    if leave is not None:
        leave(visitor, node)
