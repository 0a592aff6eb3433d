"""How tightly each call's place binds: a fix that replaces a call must parenthesize its
replacement as the place needs (`normalize(x)[0]` becomes `(x / 255.0)[0]`)."""

from __future__ import annotations

import libcst as cst

from .. import precedence


class Contexts(cst.CSTVisitor):
    """Records, for each call that is an operand, the binding its place needs (in the same
    walk as the facts: the fact builder is one of these)."""

    def __init__(self) -> None:
        super().__init__()
        self.contexts: dict[int, int] = {}  # id(call) -> the binding its place needs

    def needs(self, child: cst.BaseExpression, level: int) -> None:
        if type(child) is cst.Call and not child.lpar:
            self.contexts[id(child)] = level

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.needs(node.value, precedence.PRIMARY)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self.needs(node.value, precedence.PRIMARY)

    def visit_Await(self, node: cst.Await) -> None:
        self.needs(node.expression, precedence.PRIMARY)

    def visit_UnaryOperation(self, node: cst.UnaryOperation) -> None:
        not_ = type(node.operator) is cst.Not
        self.needs(node.expression, precedence.NOT if not_ else precedence.UNARY)

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        left, right = precedence.binary_operands(type(node.operator).__name__)
        self.needs(node.left, left)
        self.needs(node.right, right)

    def visit_BooleanOperation(self, node: cst.BooleanOperation) -> None:
        left, right = precedence.boolean_operands(type(node.operator).__name__)
        self.needs(node.left, left)
        self.needs(node.right, right)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        self.needs(node.left, precedence.BIT_OR)
        for target in node.comparisons:
            self.needs(target.comparator, precedence.BIT_OR)

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self.needs(node.body, precedence.OR)
        self.needs(node.test, precedence.OR)
