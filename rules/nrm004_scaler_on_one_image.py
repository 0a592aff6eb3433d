"""Flags a scikit-learn scaler fitted on one image, which stretches every column on its own.

## What it does
Checks for `StandardScaler`, `MinMaxScaler`, `RobustScaler` and `MaxAbsScaler` (and the
functions `scale`, `minmax_scale`, `robust_scale`, `maxabs_scale`) fitted on a single 2-D
grayscale image, such as one read with `cv2.imread(path, 0)`.

## Why is this bad?
A scaler treats rows as samples and columns as features: it keeps one set of statistics per
*column*. On an image, each column of pixels is stretched or standardized on its own, the same
axis confusion as NRM001 in another API: pixels of equal brightness come out different, the
image gets vertical stripes, and a dark column is stretched as bright as a light one.

## Example
```python
import cv2
from sklearn.preprocessing import MinMaxScaler

img = cv2.imread("scan.png", cv2.IMREAD_GRAYSCALE)
img = MinMaxScaler().fit_transform(img)
```

## Use instead
```python
img = img / 255.0
```
or, to stretch the image's own range, one scaler over all its pixels:
```python
img = MinMaxScaler().fit_transform(img.reshape(-1, 1)).reshape(img.shape)
```

## Fix safety
No fix is offered: whether the image should be divided by 255 or stretched to its own
range is the author's choice (see above).

## What the verifier shows
The verifier runs the scaler on sample images and measures a column-wise artifact: the output
is an exact affine map per column, equal input pixels spread apart, and the picture of output
over intended shows vertical stripes.

## Known problems
Only single 2-D images are reported. A stack of flattened images `(N, H*W)` gets per-pixel
statistics over a data set, which is fine, and is not reported.

## References
- [scikit-learn: `MinMaxScaler`](https://scikit-learn.org/stable/modules/generated/sklearn.preprocessing.MinMaxScaler.html)
- [scikit-learn: preprocessing data](https://scikit-learn.org/stable/modules/preprocessing.html)
"""

from __future__ import annotations

from collections.abc import Iterator

from normlint.explain import fact_evidence, record_finding
from normlint.inference.axes import format_shape
from normlint.inference.knowledge import STATISTICS, TRIGGERS
from normlint.types import EstimatorCall, Finding, Invalid, Layout, Rule, Valid


def check(call: EstimatorCall) -> Iterator[Finding]:
    fact = call.array
    if call.family != "scaler" or not call.estimator or call.method == "transform" \
            or fact is None or not fact.is_images or fact.layouts != (Layout.HW,):
        return
    short = call.estimator.rpartition(".")[2]
    statistics = STATISTICS.get(short, "statistics")
    along = "row" if dict(call.options).get("axis") == 1 else "column"
    stripes = "horizontal" if along == "row" else "vertical"
    size = format_shape(fact.shape) if fact.shape and any(fact.shape) else ""
    name = call.input_text
    yield record_finding(
        RULE, call,
        message=(f"`{call.text}` keeps a separate {statistics} for each {along} of the image "
                 f"`{name}`{' ' + size if size else ''}: every {along} is stretched on its "
                 f"own, so pixels of equal brightness come out different ({stripes} stripes)"),
        confidence=fact.confidence,
        evidence=tuple(fact_evidence(name, fact)),
        help=(f"to scale pixels to [0, 1], use `{name} / {fact.peak:g}`; to stretch the image's "
              f"own range, fit on all its pixels: `{name}.reshape(-1, 1)`"),
    )


RULE = Rule(
    code="NRM004",
    name="scaler-on-one-image",
    doc=__doc__,
    check=check,
    reads=EstimatorCall,
    triggers=TRIGGERS,
    valid=(
        Valid("""
import cv2
from sklearn.preprocessing import MinMaxScaler
img = cv2.imread("scan.png", 0)
img = MinMaxScaler().fit_transform(img.reshape(-1, 1)).reshape(img.shape)
"""),
        Valid("""
from sklearn.datasets import load_digits
from sklearn.preprocessing import StandardScaler
digits = load_digits()
X = StandardScaler().fit_transform(digits.data)
"""),
    ),
    invalid=(
        Invalid("""
import cv2
from sklearn.preprocessing import MinMaxScaler
img = cv2.imread("scan.png", cv2.IMREAD_GRAYSCALE)
img = MinMaxScaler().fit_transform(img)
""", message="minimum and maximum for each column"),
        Invalid("""
import cv2
from sklearn import preprocessing
gray = cv2.cvtColor(cv2.imread("photo.jpg"), cv2.COLOR_BGR2GRAY)
gray = preprocessing.scale(gray)
""", message="mean and standard deviation for each column"),
    ),
)
