"""Flags normalization along the sample axis: each pixel position across the whole batch.

## What it does
Checks for Lp-normalization along axis 0 (the sample axis) of an image batch, such as
`normalize(x_train, axis=0)` or `sklearn.preprocessing.normalize(flat_images, axis=0)`.

## Why is this bad?
Each pixel position is divided by its norm over every image in the array. A pixel's new value
then depends on which other images are in the batch: the same image normalized with the training
set and with the test set (or alone, at inference time) comes out different. Pixel positions
that are rarely inked (the border of MNIST) are blown up to full brightness. The intended
operation is a per-pixel map such as `x / 255.0`.

## Example
```python
from sklearn.preprocessing import normalize
from sklearn.datasets import load_digits

X = load_digits().data
X = normalize(X, axis=0)
```

## Use instead
```python
X = load_digits().data / 16.0
```
(`load_digits` pixels run from 0 to 16; for 8-bit images divide by 255.)

## Fix safety
The fix replaces the call with `x / 255.0`. It is unsafe: it changes the values the program
computes, and for data whose maximum is not 255 the divisor must be adjusted by hand.

## What the verifier shows
The verifier measures this as an across-batch artifact: every pixel position has norm 1 over
the sample batch. Where Keras 3 raises instead, the verifier reports the error.

## Known problems
Keras 3's `keras.utils.normalize` raises for `axis=0` on most batch sizes, and silently
computes something else when the batch has as many images as rows; either way it is wrong.

## References
- [`sklearn.preprocessing.normalize`](https://scikit-learn.org/stable/modules/generated/sklearn.preprocessing.normalize.html)
"""

from __future__ import annotations

from collections.abc import Iterator

from normlint.inference.axes import classify_as
from normlint.explain import finding
from normlint.types import (
    FixSafety, Finding, Invalid, NormCall, Operation, Rule, SliceKind, Valid,
)


_HARM = (": a pixel's value then depends on which other images are in the batch, "
         "so training, test and inference data are scaled differently")


def check(call: NormCall) -> Iterator[Finding]:
    slicing = classify_as(call, frozenset({SliceKind.ACROSS_BATCH}), Operation.LP_NORMALIZE)
    if slicing is not None:
        yield finding(RULE, call, slicing, _HARM)


RULE = Rule(
    code="NRM003",
    name="batch-axis-normalization",
    doc=__doc__,
    check=check,
    triggers=frozenset({"normalize"}),
    fix_safety=FixSafety.UNSAFE,
    valid=(
        Valid("""
from sklearn.preprocessing import normalize
from sklearn.feature_extraction.text import TfidfVectorizer
X = TfidfVectorizer().fit_transform(docs)
X = normalize(X, axis=0)
"""),
        Valid("""
from sklearn.preprocessing import normalize
from sklearn.datasets import load_digits
X = load_digits().data
X = normalize(X)
"""),
    ),
    invalid=(
        Invalid("""
from sklearn.preprocessing import normalize
from sklearn.datasets import load_digits
X = load_digits().data
X = normalize(X, axis=0)
""", message="each pixel position across all images"),
        Invalid("""
import tensorflow as tf
(x_train, _), _ = tf.keras.datasets.mnist.load_data()
x_train = tf.keras.utils.normalize(x_train, axis=0)
""", message="depends on which other images are in the batch"),
    ),
)
