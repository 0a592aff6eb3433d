"""The records of the calls that are not normalizations: a scikit-learn estimator's fits and
transforms (`EstimatorCall`) and the steps that scale pixel values (`StepCall`).

A mixin of the fact builder: the walk calls these hooks as it meets the calls, with the values
it has evaluated; the records are made on the spot (what they need is known by then), except
the spans of expressions that are not calls (`x / 255`), placed in one pass at the end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Final

import libcst as cst

from ..names import canonical
from ..positions import positions
from ..types import ArrayFact, EstimatorCall, Fit, Location, Span, Split, StepCall, StepKind
from . import estimators, scaling
from .knowledge import EXPECTS_255
from .literals import literal
from .values import Array, Estimator, Items, ListOf, Model, Obj, PilImage, Ref, Step, Transform, Value


# Words of the calls that make the scaling records: a function or class body without any of
# them (and without a catalog call, or an estimator's fit worth a record) is not entered.
_STEP_WORDS: Final = scaling.WORDS | frozenset({"255", "Compose", "fit", "rescale"})


def record_relevance(text: str) -> tuple[frozenset[str], Callable[[str], bool] | None]:
    """What makes a block of `text` worth entering for the record kinds its screens let
    through: the scaling steps' words, and for estimators a finer test (a fit on one row, on
    evaluation data, or near images), since `fit` stands in nearly every block of ML code."""
    words = _STEP_WORDS if scaling.may_hold_steps(text) else frozenset()
    if not estimators.may_hold_fits(text):
        return words, None
    return words, partial(estimators.may_fit_in, scalers=estimators.scalers_in(text))


def records_fact(value: Value | None) -> ArrayFact | None:
    if isinstance(value, (Array, PilImage)):
        return value.fact
    if isinstance(value, (ListOf, Items)):  # a data set of (image, label): its images
        first = value.item if isinstance(value, ListOf) else (value.items[0] if value.items else None)
        if isinstance(first, Items) and first.items:
            first = first.items[0]
        return first.fact if isinstance(first, Array) else None
    return None


def _root(node: cst.BaseExpression | None) -> str:
    """The name an expression is read from: `X_test` in `X_test.values`, `sc` in `self.sc`."""
    while True:
        if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) \
                and node.value.value == "self":
            return node.attr.value
        if isinstance(node, cst.Call):
            node = node.func
        elif isinstance(node, (cst.Attribute, cst.Subscript)):
            node = node.value
        else:
            return node.value if isinstance(node, cst.Name) else ""


class Records:
    """What the walk has recorded of estimators and scaling steps (see the module's text)."""

    code_of: Callable[[cst.CSTNode], str]
    span_of: Callable[[cst.Call], Span]
    locate: Callable[[int, int], Location]
    evaluate: Callable[[cst.BaseExpression], Value | None]
    module: cst.Module
    contexts: dict[int, int]  # how tightly each call's place binds (see `contexts`)

    def __init__(self) -> None:
        self.records: list[EstimatorCall | StepCall] = []
        self.unplaced: dict[int, int] = {}  # a record's index -> id of the node to place it at
        self.class_fits: dict[str, list[Fit]] = {}  # estimator class -> its fits so far
        self.name_fits: dict[str, list[Fit]] = {}  # unknown receiver -> its fits so far
        self.split_options: dict[str, tuple] = {}  # a train_test_split part -> its options
        self._seen: dict[tuple, int] = {}  # a step's key -> the index of its record

    def one_line(self, node: cst.CSTNode) -> str:
        text = " ".join(self.code_of(node).split())
        return text if len(text) <= 100 else text[:97] + "..."

    # --- estimators ----------------------------------------------------------------------------

    def estimator_method(self, node: cst.Call, receiver: Value | None, method: str) -> None:
        """A fit (`scaler.fit_transform(x)`) of an estimator made here, or of one named like a
        scaler or fitted and transformed at once; it joins the estimator's (and its class's)
        fits."""
        func = node.func
        assert isinstance(func, cst.Attribute)
        given = node.args[0].value if node.args and node.args[0].keyword is None else None
        if isinstance(receiver, Estimator):
            name, family, options, fits = receiver.name, receiver.family, receiver.options, receiver.fits
        elif receiver is None and (
                method == "fit_transform" or estimators.named_like_scaler(_root(func.value))):
            key = self.code_of(func.value)
            fits = self.name_fits.setdefault(key, [])
            name, options = "", ()
            family = "scaler" if estimators.named_like_scaler(_root(func.value)) else ""
        else:
            return
        record = self._estimator_record(node, name, family, method, given, options,
                                        tuple(fits) or tuple(self.class_fits.get(name, ())),
                                        same=bool(fits))
        if record is not None:
            fit = Fit(record.input_text, record.span.line,
                      Split.TEST if record.split_confidence else None)
            fits.append(fit)
            if name:
                self.class_fits.setdefault(name, []).append(fit)

    def scaler_function(self, node: cst.Call, name: str) -> None:
        """`minmax_scale(x)`: fitted on what it is given, per column (per row with axis=1)."""
        given = node.args[0].value if node.args and node.args[0].keyword is None else None
        axis = next((literal(a.value) for a in node.args
                     if a.keyword is not None and a.keyword.value == "axis"), 0)
        self._estimator_record(node, name, "scaler", "", given, (("axis", axis),), ())

    def _estimator_record(self, node: cst.Call, name: str, family: str, method: str,
                          given: cst.BaseExpression | None, options: tuple,
                          earlier: tuple[Fit, ...], same: bool = False) -> EstimatorCall | None:
        if given is None:
            return None
        value = self.evaluate(given)
        fact = records_fact(value)
        input_text = self.code_of(given)
        root = _root(given)
        why_one = estimators.one_row(value)
        split, split_why, split_confidence = estimators.split_of(fact, root)
        is_test = split is Split.TEST
        # the fits on other, non-evaluation data: what a refit is measured against
        earlier = tuple(f for f in earlier if f.input_text != input_text and f.split is None)
        record = EstimatorCall(
            estimator=name, family=family, method=method, text=self.one_line(node),
            input_text=input_text, array=fact, span=self.span_of(node),
            rows=1 if why_one else (fact.shape[0] if fact and fact.shape else None),
            rows_evidence=why_one or "",
            split_evidence=split_why if is_test else "",
            split_confidence=split_confidence if is_test else None,
            earlier=earlier,
            same_estimator=same,
            options=options, split_options=self.split_options.get(root, ()),
            as_transform=self._as_transform(node) if method == "fit_transform" and same
            and earlier else "",
            context=self.contexts.get(id(node), 0))
        self.records.append(record)
        return record

    def _as_transform(self, node: cst.Call) -> str:
        func = cst.ensure_type(node.func, cst.Attribute)
        return self.code_of(node.with_changes(func=func.with_changes(attr=cst.Name("transform"))))

    # --- scaling steps -------------------------------------------------------------------------

    def _step(self, kind: StepKind, step_text: str, span: Span | None, fact: ArrayFact | None,
              node: cst.CSTNode | None = None, **values) -> None:
        """One record per step: a pipeline applied to known data (`input_text` given) says
        more than the pipeline alone, and replaces its record."""
        if span is None and node is None:
            return
        key = (kind, step_text, span, node and id(node))
        record = StepCall(kind, step_text, span or Span(1, 1, 1, 1), fact, **values)
        if key in self._seen:
            if values.get("input_text"):
                self.records[self._seen[key]] = record
            return
        self._seen[key] = len(self.records)
        if span is None and node is not None:
            self.unplaced[len(self.records)] = id(node)
        self.records.append(record)

    def divided_again(self, node: cst.CSTNode, operand: cst.BaseExpression) -> None:
        """`x / 255` (or `x /= 255`) where x is already in [0, 1]."""
        value = self.evaluate(operand)
        if isinstance(value, Array) and value.fact.scaled and value.fact.scaled_by:
            self._step(StepKind.DIVIDE, self.one_line(node), None, value.fact, node,
                       input_text=self.code_of(operand), divisor=255.0,
                       without_step=self.code_of(operand) if isinstance(node, cst.BinaryOperation)
                       else "")

    def preprocess_input(self, node: cst.Call, module: str) -> None:
        """`preprocess_input(x)` of an application that expects 0-255, given x in [0, 1]."""
        given = node.args[0].value if node.args else None
        fact = records_fact(self.evaluate(given)) if given is not None else None
        if module in EXPECTS_255 and fact is not None and fact.scaled and fact.scaled_by:
            self._step(StepKind.PREPROCESS, self.one_line(node), self.span_of(node), fact,
                       input_text=self.code_of(given), function=module)

    def generator(self, node: cst.Call) -> None:
        """`ImageDataGenerator(rescale=1/255, preprocessing_function=preprocess_input)`."""
        rescale = preprocess = None
        for arg in node.args:
            keyword = arg.keyword.value if arg.keyword else ""
            if keyword == "rescale":
                rescale = scaling.peak_of_scale(literal(arg.value))
            elif keyword == "preprocessing_function":
                function = self.evaluate(arg.value)
                preprocess = scaling.preprocess_module(canonical(function.name)) \
                    if isinstance(function, Ref) else None
        if rescale is not None and preprocess in EXPECTS_255:
            self._step(StepKind.GENERATOR, self.one_line(node), self.span_of(node), None,
                       divisor=rescale, function=preprocess)

    def traced(self, transform: Transform, start: ArrayFact | None, applied_to: str = "",
               at: cst.Call | None = None) -> None:
        """The Normalize and division steps of a pipeline, with what each is given. A single
        step applied by a call (`normalize(x)`) is recorded at that call, each application on
        its own; the steps of a `Compose` stay where they are written (once each)."""
        span = self.span_of(at) if at is not None and not transform.parts else None
        for step, fact in scaling.trace(transform, start):
            self._from_step(replace(step, span=span) if span else step, fact, applied_to)

    def _from_step(self, step: Step, fact: ArrayFact, input_text: str = "") -> None:
        if step.kind is StepKind.STANDARDIZE:
            self._step(step.kind, step.text, step.span, fact, mean=step.mean, std=step.std,
                       input_text=input_text)
        elif step.kind is StepKind.DIVIDE and fact.scaled and fact.scaled_by:
            self._step(step.kind, step.text, step.span, fact, divisor=step.divisor,
                       input_text=input_text)

    def fed(self, model: Model, value: Value | None, node: cst.Call, input_text: str) -> None:
        """Data already in [0, 1] fed to a model that divides by 255 inside."""
        fact = records_fact(value)
        if model.rescales is not None and fact is not None and fact.scaled and fact.scaled_by:
            self._step(StepKind.MODEL_RESCALES, self.one_line(node), self.span_of(node), fact,
                       input_text=input_text, divisor=model.rescales.divisor,
                       function=model.rescales.text)

    def data_set(self, value: Value | None, input_text: str) -> None:
        if isinstance(value, Obj) and value.transform is not None and value.source is not None:
            self.traced(value.transform, value.source, input_text)

    def finished_records(self) -> list[EstimatorCall | StepCall]:
        """The records, with the spans of the expressions that are not calls found now."""
        if self.unplaced:
            found = positions(self.module, frozenset(self.unplaced.values())).calls
            for index, node in self.unplaced.items():
                if node in found:
                    self.records[index] = replace(self.records[index], span=found[node])
            self.unplaced = {}
        return [self._located(r) for r in self.records]

    def _located(self, record: EstimatorCall | StepCall) -> EstimatorCall | StepCall:
        """A fact's origin line as a user finds it (within its cell, in a notebook)."""
        fact = record.array
        if fact is None or fact.origin_line is None:
            return record
        where = self.locate(fact.origin_line, 1)
        return replace(record, array=replace(fact, origin_line=where.line, origin_cell=where.cell))
