"""How array operations change an image layout: reshape, new axes, indexing, transposes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from math import prod

from ..types import ArrayFact, ArrayKind, Confidence, Layout

Shape = tuple[int | None, ...] | None
Step = Callable[[Layout, Shape], "tuple[Layout, Shape] | None"]

_LAYOUTS = {layout.value: layout for layout in Layout}
CHANNEL_COUNTS = (1, 2, 3, 4)  # gray, two bands (radar, flow), colour, colour + alpha
_MIN_SIDE = 5  # a dimension this small is a channel count, never an image side


def _layout(letters: str) -> Layout | None:
    # A transposed image (`NWH`) has the same slices as the upright one, with rows and columns
    # swapped; name it as upright so that its axes still mean "row" and "column".
    if "W" in letters and "H" in letters and letters.index("W") < letters.index("H"):
        letters = letters.replace("W", "h").replace("H", "W").replace("h", "H")
    return _LAYOUTS.get(letters)


def apply(fact: ArrayFact, step: Step) -> ArrayFact:
    """Apply `step` to every candidate layout; candidates it cannot follow are dropped."""
    results = []
    for index, layout in enumerate(fact.layouts):
        outcome = step(layout, fact.shape if index == 0 else None)
        if outcome is not None:
            results.append(outcome)
    if not results:
        return replace(fact, layouts=(), shape=None)
    return replace(fact, layouts=tuple(r[0] for r in results), shape=results[0][1])


def drop_axis(position: int) -> Step:
    def step(layout: Layout, shape: Shape):
        letters = layout.value
        if not -len(letters) <= position < len(letters):
            return None
        index = position % len(letters)
        new = _layout(letters[:index] + letters[index + 1 :])
        return (new, shape and shape[:index] + shape[index + 1 :]) if new else None
    return step


def insert_axis(position: int) -> Step:
    """A new axis of size 1 (`expand_dims`, `[..., None]`, `unsqueeze`) at `position`."""
    def step(layout: Layout, shape: Shape):
        letters = layout.value
        rank = len(letters) + 1
        if not -rank <= position < rank:
            return None
        index = position % rank
        if index == 0 and "N" not in letters:
            letter = "N"
        elif "C" not in letters and (index == len(letters) or (index == 1 and letters[0] == "N")):
            letter = "C"
        else:
            return None
        new = _layout(letters[:index] + letter + letters[index:])
        return (new, shape and shape[:index] + (1,) + shape[index:]) if new else None
    return step


def squeeze_channel(layout: Layout, shape: Shape):
    """`np.squeeze` on a one-channel image drops the channel axis."""
    if "C" not in layout.value or (shape and shape[layout.value.index("C")] not in (1, None)):
        return (layout, shape)
    return drop_axis(layout.value.index("C"))(layout, shape)


def transpose(order: Sequence[int] | None) -> Step:
    def step(layout: Layout, shape: Shape):
        letters = layout.value
        perm = list(order) if order else list(reversed(range(len(letters))))
        if sorted(p % len(letters) for p in perm) != list(range(len(letters))):
            return None
        new = _layout("".join(letters[p] for p in perm))
        return (new, shape and tuple(shape[p] for p in perm)) if new else None
    return step


def move(source: int, target: int, *, swap: bool) -> Step:
    """`np.moveaxis(a, source, target)`, or `np.swapaxes(a, source, target)` with `swap`:
    the permutation depends on each candidate layout's rank."""
    def step(layout: Layout, shape: Shape):
        rank = layout.rank
        if not (-rank <= source < rank and -rank <= target < rank):
            return None
        order = list(range(rank))
        if swap:
            order[source], order[target] = order[target], order[source]
        else:
            order.insert(target % rank, order.pop(source % rank))
        return transpose(order)(layout, shape)
    return step


def resize(height: int | None, width: int | None) -> Step:
    def step(layout: Layout, shape: Shape):
        if shape is None or "H" not in layout.value:
            return (layout, None)
        dims = list(shape)
        dims[layout.value.index("H")], dims[layout.value.index("W")] = height, width
        return (layout, tuple(dims))
    return step


def image_layout(dims: tuple[int, ...], batched: bool) -> Layout | None:
    """The layout a literal reshape target spells, judged by which dimensions could be sides."""
    side = [d is None or d == -1 or d >= _MIN_SIDE for d in dims]  # None: a size not known
    channel = [d in CHANNEL_COUNTS for d in dims]
    if len(dims) == 4 and side[1] and side[2] and channel[3]:
        return Layout.NHWC
    if len(dims) == 4 and channel[1] and side[2] and side[3]:
        return Layout.NCHW
    if len(dims) == 3 and batched and side[1] and side[2] and dims[1] not in (-1, None) \
            and dims[2] not in (-1, None):
        return Layout.NHW
    if len(dims) == 3 and not batched and side[0] and side[1] and channel[2]:
        return Layout.HWC
    if len(dims) == 3 and not batched and channel[0] and side[1] and side[2]:
        return Layout.CHW
    if len(dims) == 2 and batched:
        return Layout.NF
    if len(dims) == 2 and not batched and side[0] and side[1] and None not in dims:
        return Layout.HW
    return None


def reshape(fact: ArrayFact, dims: tuple[int, ...], origin: str) -> ArrayFact:
    """The array after `.reshape(dims)` with literal dims.

    An array not yet known as images becomes images only when the target is unmistakably an
    image batch: 4-D with a channel count of 1, 3 or 4, or 3-D with two equal sides.
    """
    batched = not fact.layouts or "N" in fact.layouts[0].value
    layout = image_layout(dims, batched)
    shape = _fill(dims, fact.shape)
    if fact.is_images:
        return replace(fact, layouts=(layout,) if layout else (), shape=shape if layout else None)
    square = len(dims) == 3 and dims[1] == dims[2] and dims[1] >= 8
    if layout in (Layout.NHWC, Layout.NCHW) or (layout is Layout.NHW and square):
        confidence = min(fact.confidence, Confidence.MEDIUM)
        return replace(fact, kind=ArrayKind.IMAGES, layouts=(layout,), shape=shape,
                       origin=f"{fact.origin}, reshaped to {origin}" if fact.origin else origin,
                       confidence=confidence)
    # not images: a table keeps its rows (`x.reshape(1, -1)` is one sample)
    return replace(fact, layouts=(), shape=shape if len(dims) == 2 else None)


def _fill(dims: tuple[int, ...], before: Shape) -> tuple[int | None, ...]:
    """Replace a -1 by the size it stands for, when the size of the array is known."""
    known = [d for d in dims if d != -1]
    if -1 not in dims:
        return dims
    if before is None or None in before or None in dims or dims.count(-1) != 1 or not known \
            or 0 in known:
        return tuple(None if d == -1 else d for d in dims)
    total = prod(before)  # type: ignore[arg-type]
    return tuple(total // prod(known) if d == -1 else d for d in dims)


def stacked(fact: ArrayFact) -> ArrayFact:
    """`np.stack(list_of_images)`: one more axis in front, the batch."""
    return apply(fact, insert_axis(0))
