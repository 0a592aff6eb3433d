"""Prove a finding by running its very call on sample images and measuring what it did.

The verifier never imports or runs the user's code: it calls catalog functions on its own data.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np

from ..inference.axes import axes_of, classify as classify_call
from ..types import (
    UNKNOWN, ArtifactClass, EstimatorCall, FileResult, Finding, Layout, NormCall, Operation, Record,
    StepCall, Verification,
)
from .backends import backend_for, run
from .measure import Measured, measure, slice_norms, to_nhwc
from .samples import Sample, sample_for
from .steps import ImageRun, verify_scaler_on_image, verify_step
from .tabular import TableRun, verify_estimator

_CACHE: dict[tuple, object] = {}


@dataclass(frozen=True)
class Run:
    """One execution: the sample, the output (None if the call raised) and the verdict."""

    sample: Sample
    output: np.ndarray | None
    verification: Verification


def _key(call: NormCall, layout: Layout, shape, prefer_reference: bool) -> tuple:
    fact = call.array
    return (call.api.key, repr(call.axis), repr(call.order), layout, shape, fact.dtype,
            fact.scaled, fact.peak, prefer_reference)


def verify_call(call: Record, prefer_reference: bool = False,
                rule: str = "") -> Run | ImageRun | TableRun | Verification | None:
    """Run a record's call on samples: a normalization on sample images of its input's layout,
    a scaling step on sample images, an estimator on a sample table (or image). None if it
    cannot be run; a Verification alone when it says why not."""
    if isinstance(call, StepCall):
        return _cached(("step", call), lambda: verify_step(call))
    if isinstance(call, EstimatorCall):
        if rule == "NRM004":
            return _cached(("image", call), lambda: verify_scaler_on_image(call))
        return _cached(("table", rule, call), lambda: verify_estimator(call, rule))
    return _verify_normalization(call, prefer_reference)


def _cached(key, run):
    if key not in _CACHE:
        _CACHE[key] = run()
    return _CACHE[key]


def verification_of(outcome) -> Verification | None:
    """The Verification of any outcome `verify_call` returns."""
    return outcome if isinstance(outcome, Verification) or outcome is None else \
        outcome.verification


def _verify_normalization(call: NormCall, prefer_reference: bool) -> Run | None:
    slicing = classify_call(call)
    if slicing is None or call.order is UNKNOWN or call.axis is UNKNOWN:
        return None
    key = _key(call, slicing.layout, slicing.shape, prefer_reference)
    if key not in _CACHE:
        _CACHE[key] = _run(call, slicing.layout, slicing.shape, prefer_reference)
    return _CACHE[key]


def _run(call: NormCall, layout: Layout, shape, prefer_reference: bool) -> Run:
    sample = sample_for(call.array, layout, shape)
    backend = backend_for(call.api, prefer_reference)
    order = 2 if call.order is None else call.order
    try:
        output = run(call.api, sample.array, call.axis, order, backend)
    except Exception as error:  # the library's own failure is evidence, not a crash
        reason = f"{type(error).__name__}: {' '.join(str(error).split())}"[:200]
        lines = (f"verified with {backend.description} on {sample.description}:",
                 f"    the call raised {reason}")
        return Run(sample, None, Verification(ArtifactClass.ERROR, backend.description,
                                              backend.real, sample.description, (), lines, reason))
    _, h, w, c = sample.gray.shape
    x4 = to_nhwc(sample.array, layout, c, h, w)
    y4 = to_nhwc(output, layout, c, h, w)
    norms = None
    if call.api.operation is Operation.LP_NORMALIZE:
        axes = axes_of(call.axis, layout.rank)
        norms = slice_norms(np.asarray(sample.array, np.float64), np.asarray(output, np.float64),
                            axes, float(order)) if axes else None
    measured = measure(x4, y4, sample.peak, norms)
    lines = (f"verified with {backend.description} on {sample.description}:",
             *(f"    {line}" for line in describe(measured, call, sample, float(order), y4)))
    numbers = (
        ("spread_median", measured.spread), ("reversed_pairs", measured.reversals),
        ("unit_norm_slices", measured.unit_norms), ("white_min", measured.white_min),
        ("white_median", measured.white_median), ("white_max", measured.white_max),
        ("images_reaching_1", measured.white_reach), ("affine_residual", measured.residual),
        ("levels_in", measured.levels_in), ("levels_out", measured.levels_out),
    )
    verification = Verification(measured.artifact, backend.description, backend.real,
                                sample.description, numbers, lines)
    return Run(sample, output, verification)


_SLICE_NOUN = {
    ArtifactClass.COLUMN_WISE: "column", ArtifactClass.ROW_WISE: "row",
    ArtifactClass.CHANNEL_WISE: "pixel's channel vector",
    ArtifactClass.ACROSS_BATCH: "pixel position across the batch",
}


def describe(m: Measured, call: NormCall, sample: Sample, order: float, y: np.ndarray) -> list[str]:
    """The measurements in words, the artifact first."""
    name = "L∞" if order == np.inf else f"L{order:g}"
    artifact = m.artifact
    if call.api.operation is Operation.STANDARDIZE_LAYER and artifact in _SLICE_NOUN:
        noun = _SLICE_NOUN[artifact]
        first = (f"{artifact.value} artifact: each {noun} position gets its own mean and variance "
                 f"(the output is an exact affine map per {noun} position, not per image)")
    elif artifact in _SLICE_NOUN and m.unit_norms is not None:
        noun = _SLICE_NOUN[artifact]
        share = ("every non-empty " + noun if m.unit_norms == 1.0
                 else f"{m.unit_norms:.0%} of non-empty {noun}s")
        first = f"{artifact.value} artifact: {share} has {name} norm 1.000"
    elif artifact is ArtifactClass.BINARIZED:
        top = float(np.max(y))
        first = (f"{artifact.value} artifact: {m.levels_in:.0f} grey levels in (median), "
                 f"{m.levels_out:.0f} out; every non-zero pixel becomes {top:.3f}")
    elif artifact is ArtifactClass.PER_IMAGE_SCALE:
        first = ("per-image scale: each image is divided by its own factor; equal pixels and "
                 "pixel order are kept, but brightness now depends on the rest of the image")
    elif artifact is ArtifactClass.NONE:
        first = "no artifact: the output is a per-pixel map of the input"
    else:
        first = "no single artifact class: the output is no per-group affine map of the input"
    lines = [first,
             f"equal input pixels -> different outputs: median spread {m.spread:.2f} "
             f"(0 for x / {sample.peak:g})",
             f"pixel order reversed within an image: {m.reversals:.0%} of pairs"]
    if m.white_median is not None:
        reach = _share_reaching_white(m.white_reach)
        lines.append(f"white ({sample.peak:g}) becomes {m.white_min:.2f}-{m.white_max:.2f}, "
                     f"median {m.white_median:.2f}; {reach}")
    lines.append(f"left after the best per-image affine fit to x / {sample.peak:g}: "
                 f"{m.residual:.0%} of the variation")
    return lines


def _share_reaching_white(share: float) -> str:
    """As a person says it: "every image", "no image", "only 12% of images"."""
    if share >= 1.0:
        return "every image still reaches 1.0"
    if share <= 0.0:
        return "no image reaches 1.0 any more"
    if share < 0.005:
        return "fewer than 1% of images still reach 1.0"
    if share > 0.995:
        return f"all but a few images ({share:.1%}) still reach 1.0"
    return f"only {share:.0%} of images still reach 1.0"


def attach(results: Iterable[FileResult], prefer_reference: bool = False) -> tuple[list[FileResult], float]:
    """`results` with a Verification on every finding that has a runnable call; seconds spent."""
    start = time.perf_counter()
    verified = [
        replace(result, findings=tuple(_with_verification(f, prefer_reference)
                                       for f in result.findings))
        for result in results
    ]
    return verified, time.perf_counter() - start


def _with_verification(finding: Finding, prefer_reference: bool) -> Finding:
    if finding.call is None:
        return finding
    verification = verification_of(verify_call(finding.call, prefer_reference, finding.code))
    return replace(finding, verification=verification) if verification else finding

