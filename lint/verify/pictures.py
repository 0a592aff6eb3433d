"""Before, after, intended and difference, side by side, as one PNG per verified finding."""

from __future__ import annotations

import io
import os

import numpy as np

from ..files import write_atomically
from ..types import Finding
from . import Run

_ZOOM = 6
_TITLE = 16  # pixels of title above each panel


def _panel(image: np.ndarray) -> np.ndarray:
    """(H, W, C) floats in [0, 1] -> zoomed (H*z, W*z, 3) uint8."""
    rgb = np.repeat(image, 3, axis=2) if image.shape[2] == 1 else image[..., :3]
    zoomed = np.kron(rgb, np.ones((_ZOOM, _ZOOM, 1)))
    return np.clip(np.rint(zoomed * 255), 0, 255).astype(np.uint8)


def _display(values: np.ndarray) -> np.ndarray:
    """Outputs shown on the intended [0, 1] scale; outputs outside it (a standardization) are
    stretched to fit, so that the picture still shows their structure."""
    if values.min() < 0 or values.max() > 1:
        low, high = values.min(), values.max()
        return (values - low) / (high - low) if high > low else np.zeros_like(values)
    return values


def write_picture(run: Run, finding: Finding, folder: str, name: str) -> str | None:
    """Write `folder/name.png` for the sample image with the most structure (the largest spread
    of pixel values); None when the call raised."""
    from PIL import Image, ImageDraw

    if run.output is None:
        return None
    from .measure import to_nhwc

    sample = run.sample
    n, h, w, c = sample.gray.shape
    chosen = int(np.argmax(sample.gray.reshape(n, -1).std(axis=1)))
    before = sample.gray[chosen]
    after = to_nhwc(run.output, sample.layout, c, h, w)[chosen]
    intended = before
    difference = np.abs(_display(after) - intended)
    titles = ("before", "after the call", f"x / {sample.peak:g}", "difference")
    panels = [_panel(before), _panel(_display(after)), _panel(intended),
              _panel(difference / max(float(difference.max()), 1e-12))]
    gap = 8
    width = sum(p.shape[1] for p in panels) + gap * (len(panels) + 1)
    height = panels[0].shape[0] + _TITLE + 2 * gap
    canvas = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(canvas)
    left = gap
    for title, panel in zip(titles, panels, strict=True):
        draw.text((left, gap // 2), title, fill="black")
        canvas.paste(Image.fromarray(panel), (left, gap + _TITLE))
        left += panel.shape[1] + gap
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"{name}.png")
    encoded = io.BytesIO()
    canvas.save(encoded, format="PNG")
    write_atomically(path, encoded.getvalue())
    return path
