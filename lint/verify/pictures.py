"""One PNG per verified finding that someone who has never heard of the bug understands.

For images: the input, what the model should be given, what it is given (on the same scale,
so that "scaled twice" looks black and "standardized on 0-255" looks burnt out), and the
ratio of the two per pixel on a colour scale: column-wise damage shows as vertical stripes,
row-wise as horizontal ones, a uniform panel as no damage. For tables: the inputs the model
should see and the ones it sees, sample by sample. A title names the file, line and call.
"""

from __future__ import annotations

import io
import os

import numpy as np

from ..files import write_atomically
from ..types import Finding, NormCall

_SIDE = 168  # pixels a panel's image aims at: readable, never a 5000-pixel-wide strip
_GAP = 10
_LINE = 12  # pixels per line of text (Pillow's default font)
_NO_DATA = np.array([0.82, 0.82, 0.82])
_LOW, _HIGH = np.array([0.23, 0.30, 0.75]), np.array([0.71, 0.02, 0.15])


def _diverging(t: np.ndarray) -> np.ndarray:
    """[-1, 1] -> blue, white, red (RGB floats)."""
    t = np.clip(t, -1, 1)[..., None]
    white = np.ones(3)
    return np.where(t < 0, white + (_LOW - white) * -t, white + (_HIGH - white) * t)


def _zoom(image: np.ndarray, height: int, width: int) -> np.ndarray:
    """(H, W, 3) floats in [0, 1] -> uint8, each pixel a square block."""
    zoom = max(1, round(_SIDE / max(height, width)))
    zoomed = np.kron(image, np.ones((zoom, zoom, 1)))
    return np.clip(np.rint(zoomed * 255), 0, 255).astype(np.uint8)


def _rgb(image: np.ndarray) -> np.ndarray:
    return np.repeat(image, 3, axis=2) if image.shape[2] == 1 else image[..., :3]


def _on_scale(values: np.ndarray, low: float, high: float) -> np.ndarray:
    return np.clip((values - low) / ((high - low) or 1.0), 0, 1)


def _ratio_panel(after: np.ndarray, intended: np.ndarray) -> tuple[np.ndarray, float]:
    """after / intended per pixel (channels averaged), relative to its median, on a log2
    scale from x0.5 (blue) to x2 (red); pixels with nearly nothing intended are grey."""
    a, b = after.mean(axis=2), intended.mean(axis=2)
    span = float(np.ptp(intended)) or 1.0
    inked = np.abs(b) > 0.05 * span
    ratio = np.where(inked, a / np.where(inked, b, 1), np.nan)
    median = float(np.nanmedian(ratio)) if inked.any() else 1.0
    relative = np.log2(np.abs(ratio / (median or 1.0)))
    colours = _diverging(np.nan_to_num(relative))
    colours[~inked] = _NO_DATA
    return colours, median


def _colour_bar(width: int, scale) -> tuple[np.ndarray, list[tuple[int, str]]]:
    """The colour scale under the last panel: ratios (x0.5 to x2 of the median) for images,
    values for tables."""
    bar = _diverging(np.linspace(-1, 1, width))[None].repeat(8, axis=0)
    if isinstance(scale, tuple):
        low, high = scale
        texts = (f"{low:.2g}", "0", f"{high:.2g}")
    else:
        texts = (f"x{scale / 2:.3g}", f"x{scale:.3g}", f"x{scale * 2:.3g}")
    labels = [(0, texts[0]), (width // 2 - 12, texts[1]), (width - 36, texts[2])]
    return np.clip(np.rint(bar * 255), 0, 255).astype(np.uint8), labels


def _most_telling(after: np.ndarray, intended: np.ndarray, images: np.ndarray) -> int:
    """The image whose damage varies most within it (what the ratio panel shows); among
    equally damaged ones, the one with the most structure."""
    scores = []
    for a, b, image in zip(after, intended, images, strict=True):
        inked = np.abs(b) > 0.05 * (float(np.ptp(b)) or 1.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.log2(np.abs(a[inked] / b[inked]))
        ratio = ratio[np.isfinite(ratio)]
        scores.append((float(ratio.std()) if ratio.size else 0.0) + 1e-3 * float(image.std()))
    return int(np.argmax(scores))


def _image_panels(run, finding: Finding):
    """The panels of an image run: titles, images, and the ratio panel's colour bar."""
    sample = run.sample
    n, h, w, c = sample.gray.shape
    if isinstance(finding.call, NormCall):
        from .measure import to_nhwc

        after_all = to_nhwc(run.output, sample.layout, c, h, w)
        intended_all, intended_title = sample.gray, f"intended: x / {sample.peak:g}"
    else:
        after_all, intended_all = run.output, run.intended
        intended_title = "what the model should get"
    chosen = _most_telling(after_all, intended_all, sample.gray)
    before, after, intended = sample.gray[chosen], after_all[chosen], intended_all[chosen]
    low, high = float(np.min(intended)), float(np.max(intended))
    ratio, median = _ratio_panel(after, intended)
    panels = [("the input", _zoom(_rgb(before), h, w)),
              (intended_title, _zoom(_rgb(_on_scale(intended, low, high)), h, w)),
              ("what it gets (same scale)", _zoom(_rgb(_on_scale(after, low, high)), h, w)),
              ("what it gets / intended", _zoom(ratio, h, w))]
    return panels, median


def _table_panels(run):
    """What the model should be given and what it is given: samples down, features across,
    on one colour scale (white is 0)."""
    low, high = np.nanpercentile(run.intended, (1, 99))
    bound = float(max(abs(low), abs(high))) or 1.0
    rows, columns = run.intended.shape
    tall, wide = max(2, min(12, _SIDE // rows)), max(4, min(16, _SIDE // columns))

    def heat(values: np.ndarray) -> np.ndarray:
        colours = _diverging(np.nan_to_num(values / bound))
        zoomed = np.kron(colours, np.ones((tall, wide, 1)))
        return np.clip(np.rint(zoomed * 255), 0, 255).astype(np.uint8)

    panels = [("should get (fitted on training data)", heat(run.intended)),
              ("what it gets", heat(run.output)),
              ("what it gets - should get", heat(run.output - run.intended))]
    return panels, (-bound, bound)


def write_picture(run, finding: Finding, folder: str, name: str, where: str = "") -> str | None:
    """Write `folder/name.png`; None when there is nothing to draw (the call raised)."""
    from PIL import Image, ImageDraw

    if getattr(run, "output", None) is None:
        return None
    if getattr(run, "sample", None) is not None:
        panels, median = _image_panels(run, finding)
    else:
        panels, median = _table_panels(run)
    verification = run.verification
    summary = verification.lines[1].strip() if len(verification.lines) > 1 else ""
    titles = [f"{finding.code} {finding.name}" + (f" at {where}" if where else ""),
              finding.subject, summary]
    slots = [max(p.shape[1], 6 * len(title)) for title, p in panels]
    width = sum(slots) + _GAP * (len(panels) + 1)
    chars = max(160, width // 6)
    titles = [t if len(t) <= chars else t[: chars - 3] + "..." for t in titles if t]
    width = max(width, 6 * max(len(t) for t in titles) + 2 * _GAP)
    top = _GAP + _LINE * len(titles) + _GAP
    tallest = max(p.shape[0] for _, p in panels)
    height = top + _LINE + tallest + (_GAP + 8 + _LINE if median is not None else 0) + _GAP
    canvas = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(canvas)
    for index, text in enumerate(titles):
        draw.text((_GAP, _GAP + index * _LINE), text, fill="black")
    left = _GAP
    for (title, panel), slot in zip(panels, slots, strict=True):
        draw.text((left, top), title, fill="black")
        canvas.paste(Image.fromarray(panel), (left, top + _LINE))
        last_left, last_width = left, panel.shape[1]
        left += slot + _GAP
    if median is not None:  # the ratio panel's scale, under it
        bar, labels = _colour_bar(last_width, median)
        y = top + _LINE + tallest + _GAP
        canvas.paste(Image.fromarray(bar), (last_left, y))
        for x, label in labels:
            draw.text((last_left + max(0, x), y + 9), label, fill="black")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"{name}.png")
    encoded = io.BytesIO()
    canvas.save(encoded, format="PNG")
    write_atomically(path, encoded.getvalue())
    return path
