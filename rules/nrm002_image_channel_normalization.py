"""Flags normalization of each pixel's channel values, which binarizes one-channel images.

## What it does
Checks for Lp-normalization along the channel axis of images: `axis=-1` on channels-last
`(N, H, W, C)` arrays, `dim=1` (PyTorch's default) on channels-first `(N, C, H, W)` tensors.

## Why is this bad?
Each pixel's channel vector is divided by its own norm. On a single channel the "vector" is one
number, so every non-zero pixel becomes exactly 1.0 and the image is binarized: all the grey
levels are gone. On RGB images every pixel is pushed to unit length, so brightness is thrown
away: a dark grey pixel and a white one come out the same. The intended operation is a
per-pixel map such as `x / 255.0`.

## Example
```python
import numpy as np
import tensorflow as tf

crops = np.load("crops.npy").reshape(-1, 50, 50, 1)
crops = tf.keras.utils.normalize(crops, axis=-1)
```

## Use instead
```python
crops = crops / 255.0
```

## Fix safety
The fix replaces the call with `x / 255.0` (`x.float() / 255` for PyTorch tensors). It is unsafe:
it changes the values the program computes.

## What the verifier shows
The verifier measures this as a channel-wise artifact: every pixel's channel vector has norm
1. On one channel it reports the image as binarized: every inked pixel comes out 1.0.

## Known problems
Unit-normalizing feature vectors (embeddings, descriptors) along their feature axis is correct
and is not reported; only arrays known to hold images are.

## References
- [`torch.nn.functional.normalize`](https://pytorch.org/docs/stable/generated/torch.nn.functional.normalize.html)
"""

from __future__ import annotations

from collections.abc import Iterator

from normlint.inference.axes import channel_count, classify_as
from normlint.explain import finding
from normlint.types import (
    FixSafety, Finding, Invalid, NormCall, Operation, Rule, SliceKind, Valid,
)


def check(call: NormCall) -> Iterator[Finding]:
    slicing = classify_as(call, frozenset({SliceKind.CHANNEL}), Operation.LP_NORMALIZE)
    if slicing is None:
        return
    if channel_count(slicing.layout, slicing.shape) == 1:
        harm = ": with one channel, every non-zero pixel becomes 1.0 and the image is binarized"
    else:
        harm = ": every pixel is pushed to unit length, so brightness is thrown away"
    yield finding(RULE, call, slicing, harm)


RULE = Rule(
    code="NRM002",
    name="image-channel-normalization",
    doc=__doc__,
    check=check,
    triggers=frozenset({"normalize"}),
    fix_safety=FixSafety.UNSAFE,
    valid=(
        Valid("""
import tensorflow as tf
(x_train, _), _ = tf.keras.datasets.cifar10.load_data()
x_train = x_train.astype("float32") / 255.0
"""),
        Valid("""
import torch
import torch.nn.functional as F
features = model.encode(batch)
features = F.normalize(features, dim=-1)
"""),
    ),
    invalid=(
        Invalid("""
import numpy as np
import tensorflow as tf
crops = np.load("crops.npy").reshape(-1, 50, 50, 1)
crops = tf.keras.utils.normalize(crops, axis=-1)
""", message="every non-zero pixel becomes 1.0"),
        Invalid("""
import torch
import torch.nn.functional as F
from torchvision.io import read_image
image = read_image("cat.png")
batch = image.unsqueeze(0).float()
batch = F.normalize(batch)
""", message="channel values of each pixel"),
    ),
)
