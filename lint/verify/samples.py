"""Sample images shipped with normlint, shaped like the array a finding is about."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from ..types import ArrayFact, Layout, Role

BATCH = 64  # images in a sample batch
_SEED = 20261126


@dataclass(frozen=True)
class Sample:
    array: np.ndarray  # in the finding's layout, dtype and value range
    layout: Layout
    peak: float  # the value of white: dividing by it is the intended per-pixel map
    description: str  # "64 MNIST digits, shape (64, 28, 28)"
    gray: np.ndarray  # the same images as (N, H, W, C) floats in [0, 1], for pictures


@lru_cache(maxsize=1)
def _digits() -> np.ndarray:
    with resources.files("normlint").joinpath("data/mnist_256.npz").open("rb") as handle:
        return np.load(handle)["images"]


@lru_cache(maxsize=1)
def _photos() -> tuple[np.ndarray, ...]:
    with resources.files("normlint").joinpath("data/photos.npz").open("rb") as handle:
        data = np.load(handle)
        return data["china"], data["flower"]


def _resize(images: np.ndarray, height: int, width: int) -> np.ndarray:
    """Bilinear resampling of (N, H, W, C) uint8 images, in numpy alone."""
    _, h, w, _ = images.shape
    if (h, w) == (height, width):
        return images
    rows = np.clip((np.arange(height) + 0.5) * h / height - 0.5, 0, h - 1)
    cols = np.clip((np.arange(width) + 0.5) * w / width - 0.5, 0, w - 1)
    r0, c0 = np.floor(rows).astype(int), np.floor(cols).astype(int)
    r1, c1 = np.minimum(r0 + 1, h - 1), np.minimum(c0 + 1, w - 1)
    fr, fc = (rows - r0)[None, :, None, None], (cols - c0)[None, None, :, None]
    x = images.astype(np.float64)
    top = x[:, r0][:, :, c0] * (1 - fc) + x[:, r0][:, :, c1] * fc
    bottom = x[:, r1][:, :, c0] * (1 - fc) + x[:, r1][:, :, c1] * fc
    return np.clip(np.rint(top * (1 - fr) + bottom * fr), 0, 255).astype(np.uint8)


def _digit_batch(count: int, height: int, width: int) -> np.ndarray:
    return _resize(_digits()[:count, :, :, None], height, width)


def _photo_batch(count: int, height: int, width: int, channels: int) -> np.ndarray:
    rng = np.random.default_rng(_SEED)
    crops = []
    photos = _photos()
    for index in range(count):
        photo = photos[index % len(photos)]
        scale = max(height / photo.shape[0], width / photo.shape[1], 1.0)
        if scale > 1.0:
            photo = _resize(photo[None], math.ceil(photo.shape[0] * scale),
                            math.ceil(photo.shape[1] * scale))[0]
        top = rng.integers(0, photo.shape[0] - height + 1)
        left = rng.integers(0, photo.shape[1] - width + 1)
        crops.append(photo[top : top + height, left : left + width])
    batch = np.stack(crops)
    if channels == 4:
        batch = np.concatenate([batch, np.full(batch.shape[:3] + (1,), 255, np.uint8)], axis=3)
    return batch[..., :channels]


def _dimensions(layout: Layout, shape) -> tuple[int, int, int]:
    """Height, width and channels to sample, from the known shape or sensible defaults."""
    known = dict(zip(layout.roles, shape, strict=True)) if shape and len(shape) == layout.rank else {}
    channels = known.get(Role.CHANNEL) or (3 if Role.CHANNEL in layout.roles else 1)
    if Role.CHANNEL in layout.roles and Role.CHANNEL not in known:
        channels = 3
    if Role.PIXELS in layout.roles:
        pixels = known.get(Role.PIXELS) or 784
        side = math.isqrt(pixels)
        if side * side == pixels:
            return side, side, 1
        side = math.isqrt(pixels // 3)
        return (side, side, 3) if side * side * 3 == pixels else (28, 28, 1)
    default = 28 if channels == 1 else 32
    return known.get(Role.HEIGHT) or default, known.get(Role.WIDTH) or default, channels


def sample_for(fact: ArrayFact, layout: Layout, shape) -> Sample:
    height, width, channels = _dimensions(layout, shape)
    batched = Role.SAMPLE in layout.roles
    count = BATCH if batched else 1
    if channels == 1:
        images = _digit_batch(count, height, width)
        what = "MNIST digit"
    else:
        images = _photo_batch(count, height, width, channels)
        what = "crop of 2 photographs" if count == 1 else "crops of 2 photographs"
    unit = images.astype(np.float64) / 255.0
    arranged = _arrange(images, layout)
    peak = 255.0
    array: np.ndarray = arranged
    if fact.scaled:
        array, peak = arranged.astype(np.float64) / 255.0, 1.0
    elif fact.peak != 255:
        array, peak = np.rint(arranged.astype(np.float64) * fact.peak / 255.0), float(fact.peak)
    elif fact.dtype and fact.dtype.startswith("float"):
        array = arranged.astype(np.dtype(fact.dtype))
    noun = f"{count} {what}{'s' if count > 1 and channels == 1 else ''}"
    description = f"{noun}, shape {tuple(array.shape)}"
    return Sample(array, layout, peak, description, unit)


def _arrange(images: np.ndarray, layout: Layout) -> np.ndarray:
    """(N, H, W, C) images in `layout`'s axis order."""
    letters = layout.value
    if "F" in letters:
        return images.reshape(images.shape[0], -1)
    x = images if "C" in letters else images[..., 0]
    source = "NHWC" if "C" in letters else "NHW"
    if "N" not in letters:
        x, source = x[0], source[1:]
    return np.transpose(x, [source.index(letter) for letter in letters])
