"""What one slice along an axis of an image layout is: a column, a row, a pixel's channels, ..."""

from __future__ import annotations

from collections.abc import Iterable

from ..types import UNKNOWN, Argument, Layout, NormCall, Operation, Role, SliceKind, Slicing


def axes_of(axis: Argument, rank: int) -> tuple[int, ...] | None:
    """The non-negative axes an `axis` argument names on an array of `rank`; None if unknowable.

    `axis=None` names every axis (the whole array), as tf.math.l2_normalize does.
    """
    if axis is UNKNOWN or isinstance(axis, (bool, float, str)):
        return None
    items = axis if isinstance(axis, tuple) else (tuple(range(rank)) if axis is None else (axis,))
    result = []
    for item in items:
        if not isinstance(item, int) or isinstance(item, bool) or not -rank <= item < rank:
            return None
        result.append(item % rank)
    return tuple(sorted(set(result)))


def roles_along(layout: Layout, axes: Iterable[int]) -> frozenset[Role]:
    roles = layout.roles
    return frozenset(roles[axis] for axis in axes)


def slice_kind(layout: Layout, axes: tuple[int, ...]) -> SliceKind:
    """The slice an Lp-normalization over `axes` divides by its own norm.

    A slice varies exactly the indices in `axes`: along H alone it is one column of one image,
    along W one row, along C one pixel's channels, along N one pixel position across the batch.
    """
    roles = roles_along(layout, axes)
    if len(axes) == layout.rank:
        return SliceKind.WHOLE_ARRAY
    if Role.SAMPLE in roles:
        return SliceKind.ACROSS_BATCH
    if roles == {Role.CHANNEL}:
        return SliceKind.CHANNEL
    if Role.PIXELS in roles or {Role.HEIGHT, Role.WIDTH} <= roles:
        return SliceKind.WHOLE_IMAGE
    return SliceKind.COLUMN if Role.HEIGHT in roles else SliceKind.ROW


def image_size(layout: Layout, shape: tuple[int | None, ...] | None) -> str:
    """`28×28`, `50×50×1`, or "" when the shape is not known."""
    if shape is None or len(shape) != layout.rank:
        return ""
    by_role = dict(zip(layout.roles, shape, strict=True))
    dims = [by_role.get(role) for role in (Role.HEIGHT, Role.WIDTH)]
    if Role.CHANNEL in by_role:
        dims = (
            [by_role[Role.CHANNEL], *dims] if layout.value.index("C") < layout.value.index("H")
            else [*dims, by_role[Role.CHANNEL]]
        )
    if Role.PIXELS in by_role:
        dims = [by_role[Role.PIXELS]]
    if any(d is None for d in dims):
        return ""
    return "×".join(str(d) for d in dims)


def channel_count(layout: Layout, shape: tuple[int | None, ...] | None) -> int | None:
    if shape is None or Role.CHANNEL not in layout.roles or len(shape) != layout.rank:
        return None
    return shape[layout.roles.index(Role.CHANNEL)]


def describe_slice(kind: SliceKind, layout: Layout, shape: tuple[int | None, ...] | None) -> str:
    """Plain words for the slices: "each column of every 28×28 image"."""
    size = image_size(layout, shape)
    image = f"{size} image" if size else "image"
    batch = Role.SAMPLE in layout.roles
    every = f"every {image}" if batch else f"the {image}"
    if kind is SliceKind.COLUMN:
        return f"each column of {every}"
    if kind is SliceKind.ROW:
        return f"each row of {every}"
    if kind is SliceKind.CHANNEL:
        channels = channel_count(layout, shape)
        count = f" ({channels})" if channels else ""
        return f"the channel values{count} of each pixel of {every}"
    if kind is SliceKind.ACROSS_BATCH:
        return "each pixel position across all images of the batch"
    if kind is SliceKind.WHOLE_IMAGE:
        return f"each {image} as a whole" if batch else f"the {image} as a whole"
    return "the whole array"


def format_shape(shape: tuple[int | None, ...] | None) -> str:
    if shape is None:
        return ""
    inner = ", ".join("?" if d is None else str(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def _layer_kind(layout: Layout, axes: tuple[int, ...]) -> SliceKind | None:
    """A Normalization layer keeps statistics per index of `axes`: per column, row or channel."""
    kept = roles_along(layout, axes)
    return {
        frozenset({Role.WIDTH}): SliceKind.COLUMN,
        frozenset({Role.HEIGHT}): SliceKind.ROW,
        frozenset({Role.CHANNEL}): SliceKind.CHANNEL,
    }.get(kept)


def classify(call: NormCall) -> Slicing | None:
    """The slice kind of `call` on its input, when every candidate layout of the input agrees."""
    fact = call.array
    if fact is None or not fact.is_images:
        return None
    is_layer = call.api.operation is Operation.STANDARDIZE_LAYER
    if is_layer and call.axis is None:
        return None  # one mean and variance for everything
    found: list[tuple[SliceKind, Layout]] = []
    for layout in fact.layouts:
        if call.api.rank is not None and layout.rank != call.api.rank:
            continue
        axes = axes_of(call.axis, layout.rank)
        if axes is None:
            return None
        kind = _layer_kind(layout, axes) if is_layer else slice_kind(layout, axes)
        if kind is None:
            return None
        found.append((kind, layout))
    if not found or len({kind for kind, _ in found}) != 1:
        return None
    kind, layout = found[0]
    return Slicing(kind, layout, fact.shape if layout is fact.layouts[0] else None, fact)


def classify_as(call: NormCall, kinds: frozenset[SliceKind],
                operation: Operation | None = None) -> Slicing | None:
    """`classify(call)` when its kind is one of `kinds` (and the API does `operation`)."""
    if operation is not None and call.api.operation is not operation:
        return None
    slicing = classify(call)
    return slicing if slicing is not None and slicing.kind in kinds else None
