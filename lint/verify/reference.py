"""numpy copies of each catalog API's arithmetic, used when the library itself is not installed.

Each mirrors its library's own code, quirks included; the tests prove them equal to the real
functions (bit for bit where the library computes in numpy itself).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def keras_utils_normalize(x: np.ndarray, axis, order) -> np.ndarray:
    """keras.utils.normalize on numpy input (Keras 3): note `axis or -1` after the norm,
    which makes `axis=0` divide by norms taken along 0 but broadcast along -1."""
    norm = np.atleast_1d(np.linalg.norm(x, order, axis))
    norm[norm == 0] = 1
    axis = axis or -1
    return x / np.expand_dims(norm, axis)


def keras_ops_normalize(x: np.ndarray, axis, order, epsilon: float = 1e-7) -> np.ndarray:
    x = x.astype(np.float32) if x.dtype != np.float64 else x
    if order == 2:
        square_sum = np.sum(np.square(x), axis=axis, keepdims=True)
        with np.errstate(divide="ignore"):
            inverse = 1.0 / np.sqrt(square_sum)
        return x * np.minimum(inverse, 1.0 / epsilon).astype(x.dtype)
    norm = np.linalg.norm(x, ord=order, axis=axis, keepdims=True)
    return x / np.maximum(norm, epsilon)


def tf_l2_normalize(x: np.ndarray, axis, epsilon: float = 1e-12) -> np.ndarray:
    x = x.astype(np.float32) if x.dtype not in (np.float32, np.float64) else x
    square_sum = np.sum(np.square(x), axis=axis, keepdims=True)
    return x * (1.0 / np.sqrt(np.maximum(square_sum, epsilon))).astype(x.dtype)


def torch_normalize(x: np.ndarray, dim, p, eps: float = 1e-12) -> np.ndarray:
    x = x.astype(np.float32) if x.dtype not in (np.float32, np.float64) else x
    if p == np.inf:
        norm = np.max(np.abs(x), axis=dim, keepdims=True)
    else:
        norm = np.sum(np.abs(x) ** p, axis=dim, keepdims=True) ** (1.0 / p)
    return x / np.maximum(norm, eps)


def sklearn_normalize(x: np.ndarray, norm: str, axis: int) -> np.ndarray:
    x = x.astype(np.float64)
    work = x.T if axis == 0 else x
    if norm == "l1":
        norms = np.abs(work).sum(axis=1)
    elif norm == "max":
        norms = np.max(np.abs(work), axis=1)
    else:
        norms = np.sqrt(np.einsum("ij,ij->i", work, work))
    norms[norms < 10 * np.finfo(norms.dtype).eps] = 1.0  # as sklearn's _handle_zeros_in_scale
    out = work / norms[:, np.newaxis]
    return out.T if axis == 0 else out


def keras_normalization_layer(x: np.ndarray, axis) -> np.ndarray:
    """keras.layers.Normalization adapted on `x`, then applied to it: one mean and variance
    per index of the kept `axis`, taken over every other axis."""
    x = x.astype(np.float32)
    kept = () if axis is None else (axis,) if isinstance(axis, int) else tuple(axis)
    kept = tuple(a % x.ndim for a in kept)
    reduce = tuple(a for a in range(x.ndim) if a not in kept)
    mean = x.mean(axis=reduce, keepdims=True, dtype=np.float64).astype(np.float32)
    variance = x.var(axis=reduce, keepdims=True, dtype=np.float64).astype(np.float32)
    return (x - mean) / np.maximum(np.sqrt(variance), np.float32(1e-7))


Reference = Callable[..., np.ndarray]


def sklearn_scaler(x: np.ndarray, name: str, feature_range=(0, 1)) -> np.ndarray:
    """`fit_transform` of scikit-learn's per-column scalers: statistics per column, a column
    whose spread is zero divided by 1 (as `_handle_zeros_in_scale`)."""
    x = x.astype(np.float64)

    def safe(scale: np.ndarray) -> np.ndarray:
        return np.where(scale < 10 * np.finfo(np.float64).eps, 1.0, scale)

    if name == "MinMaxScaler":
        low, high = feature_range
        lowest = x.min(axis=0)
        scale = (high - low) / safe(x.max(axis=0) - lowest)
        return x * scale + (low - lowest * scale)
    if name == "RobustScaler":
        q1, median, q3 = np.percentile(x, (25, 50, 75), axis=0)
        return (x - median) / safe(q3 - q1)
    if name == "MaxAbsScaler":
        return x / safe(np.abs(x).max(axis=0))
    return (x - x.mean(axis=0)) / safe(x.std(axis=0))


_MEANS_BGR = np.array([103.939, 116.779, 123.68])
_TORCH_MEAN, _TORCH_STD = np.array([0.485, 0.456, 0.406]), np.array([0.229, 0.224, 0.225])


def keras_preprocess_input(x: np.ndarray, mode: str) -> np.ndarray:
    """`keras.applications.imagenet_utils.preprocess_input` on channels-last RGB arrays."""
    x = x.astype(np.float32)
    if mode == "tf":
        return x / 127.5 - 1.0
    if mode == "torch":
        return ((x / 255.0 - _TORCH_MEAN) / _TORCH_STD).astype(np.float32)
    return (x[..., ::-1] - _MEANS_BGR).astype(np.float32)
