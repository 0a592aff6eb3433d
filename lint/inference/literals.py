"""Read a call's arguments: literal values (`axis=1`, `1/255`, `(28, 28)`) and evaluated ones."""

from __future__ import annotations

import math
from collections.abc import Callable

import libcst as cst

from ..types import UNKNOWN, Argument
from .values import Value


def literal(node: cst.BaseExpression | None,
            lookup: Callable[[str], Value | None] | None = None) -> Argument:
    """The value of a literal expression (numbers, strings, None, tuples, `1/255`), else UNKNOWN.

    With `lookup`, a name bound to a literal (`INPUT_SIZE = 64`) counts as that literal.
    """
    match node:
        case cst.Integer() | cst.Float():
            return _number(node.value)
        case cst.SimpleString(value=text):
            # libcst's evaluated_value compiles the literal; a plain string needs no compiler.
            if text[:1] in ("'", '"') and "\\" not in text and text[:3] not in ("'''", '"""'):
                return text[1:-1]
            return node.evaluated_value  # type: ignore[return-value]
        case cst.Name(value="None"):
            return None
        case cst.Name(value="True"):
            return True
        case cst.Name(value="False"):
            return False
        case cst.Name(value=name) if lookup is not None:
            return _bound_literal(lookup(name))
        case cst.UnaryOperation(operator=cst.Minus(), expression=inner):
            value = literal(inner, lookup)
            return -value if isinstance(value, (int, float)) and not isinstance(value, bool) else UNKNOWN
        case cst.Tuple(elements=elements) | cst.List(elements=elements):
            items = tuple(literal(e.value, lookup) for e in elements)
            return UNKNOWN if UNKNOWN in items or any(isinstance(e, cst.StarredElement) for e in elements) else items
        case cst.BinaryOperation(left=left, operator=operator, right=right):
            return _arithmetic(literal(left, lookup), operator, literal(right, lookup))
        case cst.Attribute(value=cst.Name(value="math" | "np" | "numpy"), attr=cst.Name(value="inf")):
            return math.inf
    return UNKNOWN


def _bound_literal(value: Value | None) -> Argument:
    from .values import Const, Items

    if isinstance(value, Const):
        return value.value  # type: ignore[return-value]
    if isinstance(value, Items) and all(isinstance(item, Const) for item in value.items):
        return tuple(item.value for item in value.items)  # type: ignore[union-attr]
    return UNKNOWN


def _number(text: str) -> Argument:
    digits = text.replace("_", "")
    try:
        return int(digits, 0)
    except ValueError:
        pass
    try:
        return float(digits)
    except ValueError:
        return UNKNOWN  # an imaginary literal


def _arithmetic(left: Argument, operator: cst.BaseBinaryOp, right: Argument) -> Argument:
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (left, right)):
        return UNKNOWN
    a, b = left, right  # type: ignore[assignment]
    match operator:
        case cst.Add():
            return a + b
        case cst.Subtract():
            return a - b
        case cst.Multiply():
            return a * b
        case cst.Divide() if b:
            return a / b
        case cst.FloorDivide() if b:
            return a // b
    return UNKNOWN


class Args:
    """A call's arguments, found by name or position, as literals or as evaluated values."""

    def __init__(self, call: cst.Call, evaluate: Callable[[cst.BaseExpression], Value | None],
                 lookup: Callable[[str], Value | None] | None = None):
        self.positional = [a.value for a in call.args if a.keyword is None and not a.star]
        self.keywords = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
        self.has_star = any(a.star for a in call.args)
        self._evaluate = evaluate
        self._lookup = lookup

    def node(self, name: str, position: int | None) -> cst.BaseExpression | None:
        if name in self.keywords:
            return self.keywords[name]
        if position is not None and position < len(self.positional):
            return self.positional[position]
        return None

    def literal(self, name: str, position: int | None, default: Argument = UNKNOWN) -> Argument:
        node = self.node(name, position)
        if node is None:
            return UNKNOWN if self.has_star else default
        return literal(node, self._lookup)

    def value(self, name: str, position: int | None) -> Value | None:
        node = self.node(name, position)
        return None if node is None else self._evaluate(node)

    def values(self) -> list[Value | None]:
        """The positional arguments, evaluated."""
        return [self._evaluate(node) for node in self.positional]

    def value_of(self, node: cst.BaseExpression) -> Value | None:
        return self._evaluate(node)
