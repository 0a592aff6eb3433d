"""Measure what a call did to sample images, against the intended per-pixel map `x / peak`.

The measurements and the artifact classes are defined in words in `normlint.measurements`,
which every rule page shows; this module computes exactly those.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..types import ArtifactClass, Layout

_PAIRS = 2000  # random pixel pairs per image for the reversal count
_SEED = 7
_FIT = 1e-6  # relative residual below which a grouping counts as an exact affine map


@dataclass(frozen=True)
class Measured:
    artifact: ArtifactClass
    spread: float
    reversals: float
    unit_norms: float | None
    white_min: float | None
    white_median: float | None
    white_max: float | None
    white_reach: float | None
    residual: float
    levels_in: float
    levels_out: float
    slopes_vary: bool


def to_nhwc(array: np.ndarray, layout: Layout, channels: int, height: int, width: int) -> np.ndarray:
    """Any supported layout as (N, H, W, C) floats."""
    letters = layout.value
    x = np.asarray(array, dtype=np.float64)
    if "F" in letters:
        return x.reshape(x.shape[0], height, width, channels)
    if "N" not in letters:
        x, letters = x[None], "N" + letters
    if "C" not in letters:
        x, letters = x[..., None], letters + "C"
    return np.transpose(x, [letters.index(letter) for letter in "NHWC"])


# Groupings, coarsest first: the roles held fixed within one group, and the class they mean.
_GROUPINGS: tuple[tuple[str, str], ...] = (
    ("", "global"),
    ("C", "per-channel"),
    ("N", "per-image"),
    ("WC", "column-position"),
    ("HC", "row-position"),
    ("HWC", "pixel-position"),
    ("NWC", "column"),
    ("NHC", "row"),
    ("NHW", "pixel"),
)
_CLASS = {
    "column-position": ArtifactClass.COLUMN_WISE, "row-position": ArtifactClass.ROW_WISE,
    "pixel-position": ArtifactClass.ACROSS_BATCH, "column": ArtifactClass.COLUMN_WISE,
    "row": ArtifactClass.ROW_WISE, "pixel": ArtifactClass.CHANNEL_WISE,
}


def _groups(x: np.ndarray, fixed: str) -> np.ndarray:
    """(groups, members): `x` (N, H, W, C) with the `fixed` roles leading."""
    order = ["NHWC".index(r) for r in fixed] + ["NHWC".index(r) for r in "NHWC" if r not in fixed]
    moved = np.transpose(x, order)
    count = int(np.prod([x.shape["NHWC".index(r)] for r in fixed])) if fixed else 1
    return moved.reshape(count, -1)


def _affine_fit(x: np.ndarray, y: np.ndarray) -> tuple[bool, bool, np.ndarray, np.ndarray]:
    """Whether y is an exact affine map of x within every row, whether enough rows show it,
    and the slopes and intercepts."""
    mx, my = x.mean(axis=1, keepdims=True), y.mean(axis=1, keepdims=True)
    dx = x - mx
    var = (dx * dx).sum(axis=1, keepdims=True)
    informative = var[:, 0] > 0
    slope = np.where(var > 0, (dx * (y - my)).sum(axis=1, keepdims=True) / np.where(var > 0, var, 1), 0)
    intercept = my - slope * mx
    residual = y - (slope * x + intercept)
    total = ((y - y.mean()) ** 2).sum()
    fits = (residual ** 2).sum() <= _FIT * max(total, 1e-300)
    return bool(fits), bool(informative.mean() >= 0.5), slope[:, 0], intercept[:, 0]


def classify(x: np.ndarray, y: np.ndarray, peak: float) -> tuple[ArtifactClass, bool]:
    """The artifact class, and whether slopes differ between images (a per-image scale)."""
    for fixed, name in _GROUPINGS:
        if name == "pixel" and x.shape[3] == 1:
            continue  # one channel: each group is one value, which proves nothing
        gx, gy = _groups(x, fixed), _groups(y, fixed)
        fits, informative, slopes, intercepts = _affine_fit(gx, gy)
        if not (fits and informative):
            continue
        if name in ("global", "per-channel"):
            return ArtifactClass.NONE, False
        if name == "per-image":
            scale = float(np.abs(slopes).max()) or 1.0
            centred = np.abs(intercepts).max() > 1e-6 * scale
            varies = np.ptp(slopes) > 1e-6 * scale
            if varies and not centred:
                return ArtifactClass.PER_IMAGE_SCALE, True
            return ArtifactClass.NONE, bool(varies)
        return _CLASS[name], False
    if _is_binarized(x, y):
        return ArtifactClass.BINARIZED, False
    return ArtifactClass.UNCLEAR, False


def _is_binarized(x: np.ndarray, y: np.ndarray) -> bool:
    inked = x > 0
    if inked.sum() == 0:
        return False
    return len(np.unique(np.round(y[inked], 6))) <= 2 and len(np.unique(x[inked])) > 2


def measure(x: np.ndarray, y: np.ndarray, peak: float, norms: np.ndarray | None) -> Measured:
    """Every measurement of output `y` for input `x`, both (N, H, W, C)."""
    artifact, varies = classify(x, y, peak)
    spreads, levels_in, levels_out, residuals = [], [], [], []
    flips = pairs = 0
    rng = np.random.default_rng(_SEED)
    white_values, reach = [], []
    for xi, yi in zip(x.reshape(len(x), -1), y.reshape(len(y), -1), strict=True):
        scale = np.abs(yi).max() or 1.0
        values, inverse, counts = np.unique(xi, return_inverse=True, return_counts=True)
        lows = np.full(len(values), np.inf)
        highs = np.full(len(values), -np.inf)
        tops = np.zeros(len(values))
        np.minimum.at(lows, inverse, yi)
        np.maximum.at(highs, inverse, yi)
        np.maximum.at(tops, inverse, np.abs(yi))
        keep = (counts > 1) & (values > 0) & (tops > 0)
        spreads.extend(((highs - lows)[keep] / tops[keep]).tolist())
        inked = np.flatnonzero(xi > 0)
        levels_in.append(len(values[values > 0]))
        levels_out.append(len(np.unique(np.round(yi[inked], 6))))
        if len(inked) > 1:
            i, j = rng.choice(inked, _PAIRS), rng.choice(inked, _PAIRS)
            ordered = xi[i] < xi[j]
            pairs += int(ordered.sum())
            flips += int((ordered & (yi[i] > yi[j] + 1e-9 * scale)).sum())
        intended = xi / peak
        if np.ptp(intended) > 0:
            a, b = np.polyfit(intended, yi, 1)
            fitted = a * intended + b
            residuals.append(float(np.sqrt(np.mean((yi - fitted) ** 2)) / (np.std(yi) or 1.0)))
        white = yi[xi == peak]
        if white.size:
            white_values.append(white)
            reach.append(bool(yi.max() >= 0.99))
    whites = np.concatenate(white_values) if white_values else None
    return Measured(
        artifact=artifact,
        spread=float(np.median(spreads)) if spreads else 0.0,
        reversals=flips / pairs if pairs else 0.0,
        unit_norms=None if norms is None else float(np.mean(np.abs(norms - 1) < 1e-3)),
        white_min=None if whites is None else float(whites.min()),
        white_median=None if whites is None else float(np.median(whites)),
        white_max=None if whites is None else float(whites.max()),
        white_reach=None if not reach else float(np.mean(reach)),
        residual=float(np.median(residuals)) if residuals else 0.0,
        levels_in=float(np.median(levels_in)),
        levels_out=float(np.median(levels_out)),
        slopes_vary=varies,
    )


def slice_norms(x: np.ndarray, y: np.ndarray, axes: tuple[int, ...], order: float) -> np.ndarray:
    """Lp norms of the output's slices along `axes` (layout order), for non-empty input slices."""
    if order == np.inf:
        norms = np.max(np.abs(y), axis=axes)
    else:
        norms = np.sum(np.abs(y) ** order, axis=axes) ** (1.0 / order)
    non_empty = np.any(x != 0, axis=axes)
    return norms[non_empty]
