"""How tightly Python binds an expression, so that a replacement keeps its meaning where it lands.

`normalize(x).reshape(-1)` must become `(x / 255.0).reshape(-1)`, and `2 ** normalize(x)` must
become `2 ** (x / 255.0)`. The fact builder records, for each catalog call, the binding its
place needs (`needed_by_*`); a fix's text is parenthesized exactly when it binds more loosely.
"""

from __future__ import annotations

import ast
from typing import Final

# CPython's grammar levels, loosest first (the Python reference, "Operator precedence").
(LAMBDA, IF_ELSE, OR, AND, NOT, COMPARE, BIT_OR, BIT_XOR, BIT_AND, SHIFT, SUM, PRODUCT, UNARY,
 POWER, AWAIT, PRIMARY) = range(16)
ANY: Final = LAMBDA  # an argument, an assignment's value, a list element: anything goes

# Binary operators by libcst's (and ast's) class name.
_BINARY: Final = {
    "BitOr": BIT_OR, "BitXor": BIT_XOR, "BitAnd": BIT_AND, "LeftShift": SHIFT, "RightShift": SHIFT,
    "LShift": SHIFT, "RShift": SHIFT, "Add": SUM, "Subtract": SUM, "Sub": SUM,
    "Multiply": PRODUCT, "Mult": PRODUCT, "Divide": PRODUCT, "Div": PRODUCT,
    "FloorDivide": PRODUCT, "FloorDiv": PRODUCT, "Modulo": PRODUCT, "Mod": PRODUCT,
    "MatrixMultiply": PRODUCT, "MatMult": PRODUCT, "Power": POWER, "Pow": POWER,
}


def binary_operands(operator: str) -> tuple[int, int]:
    """The binding the left and right operands of a binary operator need. All are
    left-associative but `**`, whose left side must be an await or primary expression."""
    level = _BINARY[operator]
    if level == POWER:
        return AWAIT, UNARY
    return level, level + 1


def boolean_operands(operator: str) -> tuple[int, int]:
    level = AND if operator == "And" else OR
    return level, level + 1


def of_text(text: str) -> int:
    """How loosely the expression in `text` binds; the loosest level if it does not parse."""
    try:
        node = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        return LAMBDA
    if node.col_offset > 0:  # the whole text is in parentheses already
        return PRIMARY
    match node:
        case ast.BinOp(op=op):
            return _BINARY[type(op).__name__]
        case ast.UnaryOp(op=ast.Not()):
            return NOT
        case ast.UnaryOp():
            return UNARY
        case ast.BoolOp(op=ast.And()):
            return AND
        case ast.BoolOp():
            return OR
        case ast.Compare():
            return COMPARE
        case ast.IfExp():
            return IF_ELSE
        case ast.Lambda() | ast.NamedExpr() | ast.Starred() | ast.Yield() | ast.YieldFrom():
            return LAMBDA
        case ast.Await():
            return AWAIT
    return PRIMARY


def fit(text: str, needed: int) -> str:
    """`text`, parenthesized if it binds more loosely than its place needs."""
    return text if of_text(text) >= needed else f"({text})"
