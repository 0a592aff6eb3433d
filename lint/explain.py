"""Plain words for what a normalization call does to its array: the verb, the evidence, the fix."""

from __future__ import annotations

import math

from .inference.axes import describe_slice, format_shape, image_size
from .inference.knowledge import PIPELINE_INPUT
from .precedence import PRIMARY, PRODUCT, fit
from .types import (
    UNKNOWN, ArrayFact, Confidence, EstimatorCall, StepCall, Finding, Fix, FixSafety, NormCall, Operation, Rule, SliceKind, Slicing,
)


def verb(call: NormCall) -> str:
    """`L2-normalizes`, `L1-normalizes`, `max-normalizes`, `Lp-normalizes`."""
    order = call.order
    if order is UNKNOWN or order is None or isinstance(order, (str, tuple)):
        return "Lp-normalizes"
    if order == math.inf:
        return "max-normalizes"
    return f"L{order:g}-normalizes"


def what_it_does(call: NormCall, slicing: Slicing) -> str:
    """The first words of every message: the call, and the slices it works on."""
    if call.api.operation is Operation.STANDARDIZE_LAYER:
        position = "column" if slicing.kind is SliceKind.COLUMN else "row"
        size = image_size(slicing.layout, slicing.shape)
        return (f"`{call.text}` keeps a separate mean and variance for each {position} position "
                f"of the {size + ' ' if size else ''}images")
    return f"`{call.text}` {verb(call)} {describe_slice(slicing.kind, slicing.layout, slicing.shape)}"


def fact_evidence(name: str, fact: ArrayFact) -> list[str]:
    """Why we believe an input is what we say: its shape, dtype and where it came from."""
    described = " ".join(p for p in (format_shape(fact.shape), fact.dtype or "") if p) or "images"
    where = f" ({fact.origin_place})" if fact.origin_place else ""
    if fact.confidence is Confidence.HIGH:
        return [f"{name} is {described} from {fact.origin}{where}"]
    if fact.confidence is Confidence.MEDIUM:
        return [f"{name} is taken for {described} by {fact.origin}{where}"]
    return [f"{name} is taken for images by its name alone"]


def step_evidence(call: StepCall) -> tuple[str, ...]:
    """What a scaling step is given and why we think so; in a pipeline, the step before."""
    fact = call.array
    if fact is None:
        return ()
    if fact.origin == PIPELINE_INPUT:
        before = f"`{fact.scaled_by}`" if fact.scaled_by else "an earlier step"
        return (f"{before} comes before it in the same pipeline",)
    return tuple(fact_evidence(call.input_text or "its input", fact))


def evidence(call: NormCall) -> tuple[str, ...]:
    """Why we believe the input is what we say, and what else bears on the call."""
    fact = call.array
    if fact is None:
        return ()
    name = call.input_text or "the input"
    lines = fact_evidence(name, fact)
    if fact.scaled:
        lines.append(f"{name} is already scaled to [0, 1]")
    if call.input_site:
        lines.append(f"the layer's input comes from {call.input_site}")
    if not call.axis_given and call.api.operation is Operation.LP_NORMALIZE:
        default = call.api.param(call.api.axis_param).default
        lines.append(f"`{call.api.axis_param}` defaults to {default} for {call.api.key}")
    return tuple(lines)


def per_pixel_fix(call: NormCall) -> tuple[str, Fix | None]:
    """The intended per-pixel map, as help text and as an (unsafe) replacement for the call.

    A fix is offered only when the input's value range is known: dividing data that is
    already in [0, 1] (or whose range nobody knows) by 255 would be a second bug."""
    fact = call.array
    if call.api.operation is Operation.STANDARDIZE_LAYER:
        return ("to scale pixels to [0, 1], use `keras.layers.Rescaling(1 / 255)`; to standardize, "
                "keep one mean and variance with `Normalization(axis=None)`", None)
    if not call.input_text or fact is None:
        return ("to scale pixels to [0, 1], divide by their maximum (255 for 8-bit images)", None)
    name = call.input_text
    if fact.scaled:
        replacement = fit(name, call.context)
        help_text = f"`{name}` is already in [0, 1]: drop the call and use `{name}`"
    elif fact.value_range is None:
        return (f"if `{name}` holds 8-bit pixels, use `{fit(name, PRODUCT)} / 255.0`; if it is "
                f"already in [0, 1], drop the call and use `{name}`", None)
    else:
        peak = f"{fact.peak:g}" + (".0" if float(fact.peak).is_integer() and not fact.torch else "")
        is_float = fact.dtype is not None and fact.dtype.startswith("float")
        if fact.torch and not is_float:
            scaled = f"{fit(name, PRIMARY)}.float() / {peak}"
        else:
            scaled = f"{fit(name, PRODUCT)} / {peak}"
        replacement = fit(scaled, call.context)
        help_text = f"to scale pixels to [0, 1], use `{scaled}`"
    fix = Fix(replacement, FixSafety.UNSAFE, f"Replace with `{replacement}`")
    return help_text, fix


def record_finding(rule: Rule, call: EstimatorCall | StepCall, *, message: str,
                   confidence: Confidence, evidence: tuple[str, ...], help: str,
                   fix: Fix | None = None) -> Finding:
    """A finding on a record of the rules beyond the axis: at the call, quoting it."""
    return Finding(code=rule.code, name=rule.name, message=message, span=call.span,
                   confidence=confidence, subject=call.text, evidence=evidence, help=help,
                   fix=fix, call=call)


def transform_fix(call: EstimatorCall) -> Fix | None:
    """`fit_transform` -> `transform`, when the very estimator was fitted before on other data
    (the record then carries the rewritten call; otherwise `transform` would fail unfitted)."""
    if not call.as_transform:
        return None
    return Fix(call.as_transform, FixSafety.UNSAFE, "Replace `fit_transform` with `transform`")


def finding(rule: Rule, call: NormCall, slicing: Slicing, consequence: str) -> Finding:
    """One finding for `call`, in the words every normalization rule shares."""
    help_text, fix = per_pixel_fix(call)
    return Finding(
        code=rule.code,
        name=rule.name,
        message=f"{what_it_does(call, slicing)}{consequence}",
        span=call.span,
        confidence=slicing.fact.confidence,
        subject=call.text,
        evidence=evidence(call),
        help=help_text,
        fix=fix,
        call=call,
    )
