"""Prove the scaling rules on sample images: run the step the way the code does and the way it
is meant, and report both output ranges; reproduce the crash of statistics for three channels
on one; run a scaler fitted on one image and measure its column-wise artifact.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

import numpy as np

from ..inference.knowledge import channel_counts, preprocess_mode
from ..types import (
    ArrayFact, ArrayKind, ArtifactClass, EstimatorCall, Layout, StepCall, StepKind, Verification,
)
from .backends import library, version
from .measure import measure, to_nhwc
from .reference import keras_preprocess_input, sklearn_scaler
from .samples import Sample, sample_for

_PHOTOS = ArrayFact(ArrayKind.IMAGES, (Layout.NHWC,), (None, 96, 96, 3), "uint8", (0, 255))


@dataclass(frozen=True)
class ImageRun:
    """What the model should be given and what the code gives it, both (N, H, W, C)."""

    sample: Sample
    intended: np.ndarray
    output: np.ndarray | None
    verification: Verification


def _sample(fact: ArrayFact | None) -> tuple[Sample, np.ndarray]:
    """Sample images shaped as the step's input, and the same as (N, H, W, C) values."""
    fact = fact if fact is not None and fact.is_images else _PHOTOS
    layout, shape = fact.layouts[0], fact.shape
    shape = shape if shape and len(shape) == layout.rank else None
    if "N" not in layout.value:  # a batch of such images: the pictures choose the clearest
        layout, shape = Layout("N" + layout.value), shape and (None, *shape)
    sample = sample_for(fact, layout, shape)
    _, h, w, c = sample.gray.shape
    return sample, to_nhwc(sample.array, layout, c, h, w)


def _range(values: np.ndarray) -> str:
    return f"[{float(np.min(values)):.3g}, {float(np.max(values)):.3g}]"


def _compared(output: np.ndarray, intended: np.ndarray, what: str) -> tuple[tuple, tuple[str, ...]]:
    span = float(np.ptp(output)) / (float(np.ptp(intended)) or 1.0)
    numbers = (("output_min", float(np.min(output))), ("output_max", float(np.max(output))),
               ("intended_min", float(np.min(intended))), ("intended_max", float(np.max(intended))),
               ("span_ratio", span))
    lines = (f"wrong range: {what} gives {_range(output)} where {_range(intended)} is intended",
             f"the output spans {span:.4g} times the intended span"
             + (f" (1/{1 / span:.0f})" if 0 < span < 0.5 else ""))
    return numbers, lines


def _keras_preprocess(module: str) -> tuple[object, str]:
    """The application's real `preprocess_input` when Keras is installed, else the numpy copy."""
    keras = library("keras")
    if keras is not None:
        function = importlib.import_module(f"keras.applications.{module}").preprocess_input
        return (lambda x: np.asarray(function(x.astype(np.float32).copy())),
                f"keras {version('keras')}")
    mode = preprocess_mode(module)
    return (lambda x: keras_preprocess_input(x, mode),
            f"numpy {np.__version__} reference of keras.applications.{module}.preprocess_input")


def _rescaling(divisor: float) -> tuple[object, str]:
    keras = library("keras")
    if keras is not None:
        layer = keras.layers.Rescaling(1.0 / divisor)
        return (lambda x: np.asarray(keras.ops.convert_to_numpy(layer(x.astype(np.float32)))),
                f"keras {version('keras')} Rescaling(1/{divisor:g})")
    return (lambda x: x.astype(np.float32) / np.float32(divisor),
            f"numpy {np.__version__} reference of Rescaling(1/{divisor:g})")


def verify_step(call: StepCall) -> ImageRun:
    if call.kind is StepKind.STANDARDIZE:
        wanted = channel_counts(call.mean, call.std) or 1
        fact = call.array
        if wanted > 1 and fact is not None and _channels(fact) == 1:
            return _channel_crash(call, wanted)
        return _standardized(call)
    sample, x = _sample(call.array)
    divisor = call.divisor or 255.0
    if call.kind is StepKind.DIVIDE:
        run, backend, what = (lambda v: v / divisor), f"numpy {np.__version__}", \
            f"dividing by {divisor:g} again"
        output, intended = run(x), x
    elif call.kind is StepKind.MODEL_RESCALES:
        run, backend = _rescaling(divisor)
        what = f"the model's own division by {divisor:g}"
        output, intended = run(x), run(x * 255.0)
    elif call.kind is StepKind.PREPROCESS:
        run, backend = _keras_preprocess(call.function)
        what = f"{call.function} preprocess_input on pixels in [0, 1]"
        output, intended = run(x), run(x * 255.0)
    else:  # GENERATOR: preprocess_input on 0-255, then rescale
        run, backend = _keras_preprocess(call.function)
        what = f"{call.function} preprocess_input, then rescale 1/{divisor:g}"
        intended = run(x)
        output = intended / divisor
    numbers, lines = _compared(output, intended, what)
    verification = Verification(
        ArtifactClass.WRONG_RANGE, backend, not backend.startswith("numpy ") or
        call.kind is StepKind.DIVIDE, sample.description, numbers,
        (f"verified with {backend} on {sample.description}:", *(f"    {l}" for l in lines)))
    return ImageRun(sample, intended, output, verification)


def _channels(fact: ArrayFact) -> int | None:
    from ..inference.axes import channel_count

    return channel_count(fact.layouts[0], fact.shape) if len(fact.layouts) == 1 else None


def _torch_normalize(tensor: np.ndarray, mean, std) -> tuple[np.ndarray, str]:
    """torchvision's arithmetic, `tensor.sub_(mean).div_(std)` on (C, H, W) or (N, C, H, W)
    tensors, run by torch when installed (it raises as torchvision does), else by numpy
    in place (which raises alike)."""
    torch = library("torch")
    m = np.asarray(mean, np.float32)[:, None, None]
    s = np.asarray(std, np.float32)[:, None, None]
    if torch is not None:
        t = torch.from_numpy(np.ascontiguousarray(tensor, dtype=np.float32))
        t.sub_(torch.from_numpy(m)).div_(torch.from_numpy(s))
        return t.numpy(), f"torch {version('torch')} (torchvision's in-place sub_/div_)"
    out = np.array(tensor, dtype=np.float32)
    np.subtract(out, m, out=out)
    np.divide(out, s, out=out)
    return out, f"numpy {np.__version__} reference of torchvision's normalize"


def _chw(x: np.ndarray) -> np.ndarray:
    """(N, H, W, C) -> (N, C, H, W)."""
    return np.transpose(x, (0, 3, 1, 2))


def _standardized(call: StepCall) -> ImageRun:
    sample, x = _sample(call.array)
    mean, std = call.mean or (0.0,), call.std or (1.0,)
    peak = 255.0 if sample.peak == 1.0 else 1.0  # the sample as given, and as meant
    given = _chw(x)
    output, backend = _torch_normalize(given, mean, std)
    intended, _ = _torch_normalize(given / (255.0 / peak) if peak == 1.0 else given / 255.0,
                                   mean, std)
    numbers, lines = _compared(output, intended, "Normalize on the values as given")
    back = lambda v: np.transpose(v, (0, 2, 3, 1))  # noqa: E731
    verification = Verification(ArtifactClass.WRONG_RANGE, backend, "torch" in backend,
                                sample.description, numbers,
                                (f"verified with {backend} on {sample.description}:",
                                 *(f"    {l}" for l in lines)))
    return ImageRun(sample, back(intended), back(output), verification)


def _channel_crash(call: StepCall, wanted: int) -> ImageRun:
    one = ArrayFact(ArrayKind.IMAGES, (Layout.CHW,), (1, 28, 28), "float32", (0, 1), scaled=True)
    sample = sample_for(one, Layout.CHW, (1, 28, 28))
    tensor = np.asarray(sample.array, np.float32)
    try:
        _, backend = _torch_normalize(tensor, call.mean, call.std)
        lines: tuple[str, ...] = ("no error: the statistics broadcast",)
        error = None
    except Exception as raised:  # the crash is the evidence
        backend = f"torch {version('torch')}" if library("torch") is not None else \
            f"numpy {np.__version__} reference of torchvision's normalize"
        error = f"{type(raised).__name__}: {' '.join(str(raised).split())}"[:200]
        lines = (f"the call raised {error}",
                 f"({wanted} means and standard deviations for a (1, 28, 28) tensor)")
    verification = Verification(ArtifactClass.ERROR if error else ArtifactClass.NONE, backend,
                                "torch" in backend, sample.description, (),
                                (f"verified with {backend} on {sample.description}:",
                                 *(f"    {l}" for l in lines)), error)
    return ImageRun(sample, sample.gray, None, verification)


def verify_scaler_on_image(call: EstimatorCall) -> ImageRun:
    """Each sample image fitted on its own, as the code fits its one image."""
    sides = call.array.shape if call.array and call.array.shape else (None, None)
    fact = ArrayFact(ArrayKind.IMAGES, (Layout.NHW,), (None, *sides), "uint8", (0, 255))
    sample = sample_for(fact, Layout.NHW, fact.shape)
    x = np.asarray(sample.array, np.float64)
    short = call.estimator.rpartition(".")[2]
    short = {"scale": "StandardScaler", "minmax_scale": "MinMaxScaler",
             "robust_scale": "RobustScaler", "maxabs_scale": "MaxAbsScaler"}.get(short, short)
    rows = dict(call.options).get("axis") == 1
    preprocessing = library("sklearn.preprocessing")
    if preprocessing is not None:
        make = getattr(preprocessing, short)
        fit = lambda image: make().fit_transform(image)  # noqa: E731
        backend = f"scikit-learn {version('sklearn')} {short}"
    else:
        fit = lambda image: sklearn_scaler(image, short)  # noqa: E731
        backend = f"numpy {np.__version__} reference of {short}"
    output = np.stack([fit(image.T).T if rows else fit(image) for image in x])
    measured = measure(x[..., None], output[..., None], 255.0, None)
    gray = sample.gray
    lines = (f"verified with {backend} on {sample.description}, each image fitted on its own:",
             f"    {measured.artifact.value} artifact: the output is an exact affine map per "
             f"{'row' if rows else 'column'}, not per image",
             f"    equal input pixels -> different outputs: median spread {measured.spread:.2f} "
             f"(0 for x / 255)",
             f"    left after the best per-image affine fit to x / 255: "
             f"{measured.residual:.0%} of the variation")
    numbers = (("spread_median", measured.spread), ("affine_residual", measured.residual))
    verification = Verification(measured.artifact, backend, "numpy" not in backend,
                                sample.description, numbers, lines)
    return ImageRun(sample, gray, output[..., None], verification)
