"""A catalog call as the walk sees it (`Site`), and how it becomes the `NormCall` rules read.

The walk records a site when it meets a catalog call; what the code does later (the sinks)
is known only at the end, when `Finisher` completes each site's input fact and quotes the call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import libcst as cst

from .. import precedence
from ..types import Api, Argument, ArrayFact, ArrayKind, Location, NormCall, Span
from .sinks import Sinks
from .values import Array, Model, Value


@dataclass(slots=True)
class Site:
    """A catalog call seen during the pass, finished into a NormCall at the end."""

    api: Api
    call: cst.Call
    span: Span
    axis: Argument
    axis_given: bool
    order: Argument
    input_node: cst.BaseExpression | None = None
    input_value: Value | None = None
    input_site: str = ""
    targets: list[str] = field(default_factory=list)
    context: int = precedence.ANY


@dataclass(frozen=True, slots=True)
class Finisher:
    code_of: Callable[[cst.CSTNode], str]
    locate: Callable[[int, int], Location]
    sinks: Sinks

    def __call__(self, site: Site) -> NormCall:
        node = site.input_node
        value = site.input_value
        fact = value.fact if isinstance(value, Array) else None
        if isinstance(value, Model):  # a Keras layer's output inside a model: features
            fact = ArrayFact(ArrayKind.NOT_IMAGES, origin="a layer's output")
        if fact is None or fact.kind is ArrayKind.UNKNOWN or (
                fact.kind is ArrayKind.IMAGES and not fact.layouts):
            fact = self.backward_evidence(site, fact)
        if fact is not None and fact.origin_line is not None:
            where = self.locate(fact.origin_line, 1)
            fact = replace(fact, origin_line=where.line, origin_cell=where.cell)
        return NormCall(
            api=site.api,
            callee=self.code_of(site.call.func),
            text=self.compact(site.call),
            input_text=self.code_of(node) if node is not None else "",
            axis=site.axis,
            axis_given=site.axis_given,
            order=site.order,
            array=fact,
            span=site.span,
            input_site=site.input_site,
            context=site.context,
        )

    def compact(self, call: cst.Call) -> str:
        """The call on one line, without comments: how a message quotes it."""
        args = ", ".join(
            (f"{a.keyword.value}=" if a.keyword else a.star) + self.code_of(a.value)
            for a in call.args
        )
        text = " ".join(f"{self.code_of(call.func)}({args})".split())
        return text if len(text) <= 100 else f"{self.code_of(call.func)}(...)"

    def backward_evidence(self, site: Site, fact: ArrayFact | None) -> ArrayFact | None:
        """What the code does later with the input (or with the call's result) says."""
        root = site.input_node
        while isinstance(root, (cst.Call, cst.Attribute, cst.Subscript, cst.BinaryOperation)):
            root = root.func if isinstance(root, cst.Call) else (
                root.left if isinstance(root, cst.BinaryOperation) else root.value)
        inputs = [root.value] if isinstance(root, cst.Name) else []
        evidence = self.sinks.evidence(inputs, site.targets)
        if evidence is None and (fact is None or fact.kind is ArrayKind.UNKNOWN):
            evidence = self.sinks.by_name(inputs, site.api.conventional_layouts)
        return evidence or fact
