"""Each numpy reference equals the real library function, run here for real.

These are the references the verifier falls back on when a library is not installed, so they
must compute what the library computes: bit for bit where the library itself computes in numpy.
"""

from __future__ import annotations


import numpy as np
import pytest

from normlint.verify import reference
from normlint.verify.backends import _quiet_import


with _quiet_import():
    import keras
    import tensorflow as tf
import torch
from sklearn import preprocessing


@pytest.fixture(scope="module")
def digits() -> np.ndarray:
    from normlint.verify.samples import _digits

    return _digits()[:40]  # N = 40: unequal to 28, as Keras' axis=0 quirk needs


@pytest.fixture(scope="module")
def photos() -> np.ndarray:
    from normlint.verify.samples import _photo_batch

    return _photo_batch(12, 16, 20, 3)


@pytest.mark.parametrize("axis", [1, 2, -1, (1, 2)])
@pytest.mark.parametrize("order", [1, 2])
def test_keras_utils_normalize_is_bit_identical(digits, axis, order):
    real = keras.utils.normalize(digits, axis=axis, order=order)
    assert np.array_equal(reference.keras_utils_normalize(digits, axis, order), real)
    floats = digits.astype(np.float32)
    real32 = keras.utils.normalize(floats, axis=axis, order=order)
    mine32 = reference.keras_utils_normalize(floats, axis, order)
    assert mine32.dtype == real32.dtype == np.float32 and np.array_equal(mine32, real32)


def test_keras_utils_normalize_axis_zero_fails_alike(digits):
    with pytest.raises(ValueError):
        keras.utils.normalize(digits, axis=0)
    with pytest.raises(ValueError):
        reference.keras_utils_normalize(digits, 0, 2)


@pytest.mark.parametrize("axis", [1, 2, -1])
@pytest.mark.parametrize("order", [1, 2])
def test_keras_ops_normalize(digits, axis, order):
    real = keras.ops.convert_to_numpy(keras.ops.normalize(digits.astype("float32"), axis=axis,
                                                          order=order))
    mine = reference.keras_ops_normalize(digits, axis, order)
    np.testing.assert_allclose(mine, real, rtol=2e-6, atol=1e-7)


@pytest.mark.parametrize("axis", [None, 0, 1, 2, -1, (1, 2)])
def test_tf_l2_normalize(photos, axis):
    real = tf.math.l2_normalize(tf.constant(photos.astype(np.float32)), axis=axis).numpy()
    np.testing.assert_allclose(reference.tf_l2_normalize(photos, axis), real, rtol=2e-6, atol=1e-7)


@pytest.mark.parametrize("dim", [0, 1, 2, 3, -1])
@pytest.mark.parametrize("p", [1.0, 2.0, float("inf")])
def test_torch_normalize(photos, dim, p):
    tensor = torch.from_numpy(photos.astype(np.float32))
    real = torch.nn.functional.normalize(tensor, p=p, dim=dim).numpy()
    np.testing.assert_allclose(reference.torch_normalize(photos, dim, p), real, rtol=2e-6,
                               atol=1e-7)


@pytest.mark.parametrize("norm", ["l1", "l2", "max"])
@pytest.mark.parametrize("axis", [0, 1])
def test_sklearn_normalize(digits, norm, axis):
    flat = digits.reshape(len(digits), -1)
    real = preprocessing.normalize(flat, norm=norm, axis=axis)
    np.testing.assert_allclose(reference.sklearn_normalize(flat, norm, axis), real, rtol=1e-12)


@pytest.mark.parametrize("axis", [-1, 1, (1, 2), None])
def test_keras_normalization_layer(digits, axis):
    data = digits.astype(np.float32)
    layer = keras.layers.Normalization(axis=axis)
    layer.adapt(data)
    real = keras.ops.convert_to_numpy(layer(data))
    np.testing.assert_allclose(reference.keras_normalization_layer(data, axis), real,
                               rtol=1e-4, atol=1e-4)
