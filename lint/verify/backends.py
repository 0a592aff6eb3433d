"""Run a catalog call for real, with the library that provides it, or with its numpy reference.

Heavy libraries are imported here and only here, on first use. Importing Keras writes
`~/.keras/keras.json`, matplotlib (which they pull in) writes its font cache under `~/.cache`
and `~/.config`, and TensorFlow prints to stderr while it loads: none of it may reach the user,
so each gets a private folder and the import runs with stderr pointed at /dev/null.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from ..catalog import (
    KERAS_NORMALIZATION_LAYER, KERAS_NORMALIZE, KERAS_OPS_NORMALIZE, SKLEARN_NORMALIZE,
    TF_L2_NORMALIZE, TORCH_NORMALIZE,
)
from ..types import Api
from . import reference


@dataclass(frozen=True, slots=True)
class Backend:
    """What ran a call: `tensorflow 2.21.0 (keras 3.15.1)`, or `numpy 2.4.6 reference`."""

    name: str
    description: str
    real: bool


@contextlib.contextmanager
def _quiet_import() -> Iterator[None]:
    private = os.path.join(tempfile.gettempdir(), "normlint-verifier")
    os.environ.setdefault("KERAS_HOME", os.path.join(private, "keras"))
    os.environ.setdefault("MPLCONFIGDIR", os.path.join(private, "matplotlib"))
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


@cache
def _module(name: str) -> Any | None:
    try:
        with _quiet_import():
            return importlib.import_module(name)
    except Exception:  # not installed, or broken: the reference runs instead
        return None


def _version(name: str) -> str:
    module = _module(name)
    return getattr(module, "__version__", "?") if module is not None else ""


def _library(api: Api) -> str:
    return {"keras": "keras", "tensorflow": "tensorflow", "torch": "torch",
            "sklearn": "sklearn"}[api.library]


def backend_for(api: Api, prefer_reference: bool = False) -> Backend:
    library = _library(api)
    if not prefer_reference and _module(library) is not None:
        if library == "keras":
            tf = _version("tensorflow") if _module("tensorflow") is not None else ""
            description = f"keras {_version('keras')}" + (f" (tensorflow {tf})" if tf else "")
        elif library == "tensorflow":
            description = f"tensorflow {_version('tensorflow')} (keras {_version('keras')})"
        elif library == "sklearn":
            description = f"scikit-learn {_version('sklearn')}"
        else:
            description = f"{library} {_version(library)}"
        return Backend(library, description, real=True)
    return Backend("numpy", f"numpy {np.__version__} reference of {api.key}", real=False)


def sklearn_backend() -> Backend | None:
    """scikit-learn, when installed: the estimator rules run nothing else."""
    if _module("sklearn") is None:
        return None
    return Backend("sklearn", f"scikit-learn {_version('sklearn')}", real=True)


def library(name: str) -> Any | None:
    """An installed library, imported quietly on first use; None when it is not there."""
    return _module(name)


def version(name: str) -> str:
    return _version(name)


def run(api: Api, x: np.ndarray, axis: Any, order: Any, backend: Backend) -> np.ndarray:
    """The call's output on `x`, as a numpy array; raises whatever the library raises."""
    if not backend.real:
        return _run_reference(api, x, axis, order)
    if api is KERAS_NORMALIZE:
        return np.asarray(_module("keras").utils.normalize(x, axis=axis, order=order))
    if api is KERAS_OPS_NORMALIZE:
        keras = _module("keras")
        return np.asarray(keras.ops.convert_to_numpy(
            keras.ops.normalize(x.astype(np.float32), axis=axis, order=order)))
    if api is TF_L2_NORMALIZE:
        tf = _module("tensorflow")
        return tf.math.l2_normalize(tf.constant(x.astype(np.float32)), axis=axis).numpy()
    if api is TORCH_NORMALIZE:
        torch = _module("torch")
        tensor = torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32))
        return torch.nn.functional.normalize(tensor, p=float(order), dim=axis).numpy()
    if api is SKLEARN_NORMALIZE:
        preprocessing = importlib.import_module("sklearn.preprocessing")
        return preprocessing.normalize(x, norm=_sklearn_norm(order), axis=axis)
    if api is KERAS_NORMALIZATION_LAYER:
        keras = _module("keras")
        layer = keras.layers.Normalization(axis=axis)
        data = x.astype(np.float32)
        layer.adapt(data)
        return np.asarray(keras.ops.convert_to_numpy(layer(data)))
    raise ValueError(f"no backend for {api.key}")


def _sklearn_norm(order: Any) -> str:
    return {1.0: "l1", 2.0: "l2", float("inf"): "max"}.get(float(order), "l2")


def _run_reference(api: Api, x: np.ndarray, axis: Any, order: Any) -> np.ndarray:
    if api is KERAS_NORMALIZE:
        return reference.keras_utils_normalize(x, axis, order)
    if api is KERAS_OPS_NORMALIZE:
        return reference.keras_ops_normalize(x, axis, order)
    if api is TF_L2_NORMALIZE:
        return reference.tf_l2_normalize(x, axis)
    if api is TORCH_NORMALIZE:
        return reference.torch_normalize(x, axis, float(order))
    if api is SKLEARN_NORMALIZE:
        return reference.sklearn_normalize(x, _sklearn_norm(order), axis)
    if api is KERAS_NORMALIZATION_LAYER:
        return reference.keras_normalization_layer(x, axis)
    raise ValueError(f"no reference for {api.key}")
