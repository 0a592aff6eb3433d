"""Flags normalization of each row or column of images on its own.

## What it does
Checks for Lp-normalization (`tf.keras.utils.normalize`, `tf.math.l2_normalize`,
`torch.nn.functional.normalize`, `sklearn.preprocessing.normalize`, `keras.ops.normalize`) along a
spatial axis of an image array, whether the axis is written out or the API's default picks it,
and for `keras.layers.Normalization` layers that keep a separate mean and variance for each row
or column position of grayscale images.

## Why is this bad?
`normalize(x, axis=1)` does not scale pixels to [0, 1]. It divides every 1-D slice along `axis`
by that slice's own norm. On MNIST's `(N, 28, 28)` images, `axis=1` turns each *column* of each
image into a unit vector: a lone ink pixel in a column becomes 1.0, a column full of ink turns
light grey, white is no longer white, and two pixels of equal brightness come out different.
`axis=2` (or the default `-1`) does the same to each row. The model still trains, so nobody
notices; it just learns from distorted images, and any image scaled differently at inference
time looks different to it.

A `Normalization(axis=-1)` layer adapted on `(N, 28, 28)` images keeps one mean and variance per
column position, so equal pixels in different columns are mapped to different values.

## Example
```python
import tensorflow as tf

(x_train, y_train), _ = tf.keras.datasets.mnist.load_data()
x_train = tf.keras.utils.normalize(x_train, axis=1)
```

## Use instead
```python
import tensorflow as tf

(x_train, y_train), _ = tf.keras.datasets.mnist.load_data()
x_train = x_train / 255.0
```
or `keras.layers.Rescaling(1 / 255)` as the model's first layer.

## Fix safety
The fix replaces the call with `x / 255.0` (or `x` when the input is already scaled). It is
unsafe: it changes the values the program computes, which is the point, but a model trained on
the old values must be retrained.

## What the verifier shows
The verifier measures this as a column-wise or row-wise artifact: every non-empty column
(or row) of every sample image comes out with norm 1, equal pixels spread apart, pixel order
reverses and white falls well below 1.0. For layers, each column (or row) position gets its own
affine map.

## Known problems
The input's layout comes from its provenance (data sets, image readers, OpenCV and NumPy calls,
reshapes, loaders; see docs/supported-apis.md) in the same file or notebook, through call
sites of its functions and functions imported from the project's own modules, or from the
very model the array is fed to. An array known only by its name (`x_train` from a pickle
nobody inspects) is judged by that name, and such findings are hidden unless
`--min-confidence low` is given.

## References
- [`keras.utils.normalize`](https://keras.io/api/utils/python_utils/#normalize-function)
- [`tf.math.l2_normalize`](https://www.tensorflow.org/api_docs/python/tf/math/l2_normalize)
"""

from __future__ import annotations

from collections.abc import Iterator

from normlint.inference.axes import classify_as
from normlint.explain import finding
from normlint.types import (
    FixSafety, Finding, Invalid, NormCall, Operation, Rule, SliceKind, Valid,
)

_LP_HARM = " on its own: pixels of equal brightness come out different and white is no longer 1.0"
_LAYER_HARM = ": pixels of equal brightness come out different from one position to the next"


def check(call: NormCall) -> Iterator[Finding]:
    slicing = classify_as(call, frozenset({SliceKind.COLUMN, SliceKind.ROW}))
    if slicing is None:
        return
    harm = _LAYER_HARM if call.api.operation is Operation.STANDARDIZE_LAYER else _LP_HARM
    yield finding(RULE, call, slicing, harm)


RULE = Rule(
    code="NRM001",
    name="image-slice-normalization",
    doc=__doc__,
    check=check,
    triggers=frozenset({"normalize", "Normalization"}),
    fix_safety=FixSafety.UNSAFE,
    valid=(
        Valid("""
import tensorflow as tf
(x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
x_train = x_train / 255.0
"""),
        Valid("""
import torch.nn.functional as F
embeddings = backbone(images)
embeddings = F.normalize(embeddings, dim=1)
"""),
        Valid("""
from mylib import normalize
(x_train, y_train), _ = load()
x_train = normalize(x_train, axis=1)
"""),
        Valid("""
import tensorflow as tf
(x_train, _), _ = tf.keras.datasets.cifar10.load_data()
norm = tf.keras.layers.Normalization(axis=-1)
norm.adapt(x_train)
"""),
    ),
    invalid=(
        Invalid("""
import tensorflow as tf
(x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
x_train = tf.keras.utils.normalize(x_train, axis=1)
""", message="L2-normalizes each column of every 28×28 image",
            replacement="""
import tensorflow as tf
(x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
x_train = x_train / 255.0
"""),
        Invalid("""
from tensorflow.keras.utils import normalize
from tensorflow.keras.datasets import fashion_mnist
(x_train, y_train), _ = fashion_mnist.load_data()
x_train = normalize(x_train)
""", message="each row of every 28×28 image"),
        Invalid("""
import keras
(x_train, y_train), _ = keras.datasets.mnist.load_data()
x_train = x_train / 255.0
x_train = keras.utils.normalize(x_train, axis=1, order=1)
""", message="L1-normalizes each column", replacement="""
import keras
(x_train, y_train), _ = keras.datasets.mnist.load_data()
x_train = x_train / 255.0
x_train = x_train
"""),
        Invalid("""
import tensorflow as tf
(x_train, _), _ = tf.keras.datasets.mnist.load_data()
norm = tf.keras.layers.Normalization(axis=-1)
norm.adapt(x_train)
""", message="separate mean and variance for each column position"),
    ),
)
