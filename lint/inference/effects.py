"""What an API call does to the values it is given: the result rules that contract rows name.

Each effect is a pure function of one `Call` (its arguments, and the value of the argument that
is the image) to the value the call returns, or None when nothing can be said. They know
nothing of syntax trees: `evaluate` hands them evaluated values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Final

from ..types import UNKNOWN, Argument, ArrayFact, ArrayKind, Layout, Span, Split
from . import layouts
from .values import (
    Array, CallArguments, Items, ListOf, Obj, PilImage, Ref, Transform, Value, with_fact,
)

HW, HWC, CHW, NHW, NHWC, NCHW, NF = (Layout.HW, Layout.HWC, Layout.CHW, Layout.NHW, Layout.NHWC,
                                     Layout.NCHW, Layout.NF)
GRAY_OR_COLOUR: Final = (HW, HWC)
UNIT: Final = (0.0, 1.0)


@dataclass(frozen=True, slots=True)
class Call:
    """One call of a contract's API, as its effect sees it."""

    args: CallArguments
    name: str  # the API's canonical qualified name
    origin: str  # how messages name what it returned: "cv2.imread(...)"
    line: int
    image: Value | None = None  # the value of the contract's image argument
    image_code: str = ""  # that argument as written
    span: Span | None = None  # where the call is written, for the records of its steps
    quote: Callable[[], str] | None = None  # the call on one line, made when asked for
    receiver: Value | None = None  # for a method: the object it is called on

    @property
    def text(self) -> str:
        """The call on one line (made on demand: most calls never need it)."""
        return self.quote() if self.quote is not None else ""


Effect = Callable[[Call], "Value | None"]


# --- helpers -----------------------------------------------------------------------------------

def as_array(value: Value | None, *, torch: bool = False) -> Array | None:
    """What `np.array(value)` holds: a PIL image's pixels, a list of images stacked."""
    if isinstance(value, PilImage):
        value = Array(value.fact)
    elif isinstance(value, (ListOf, Items)):
        element = _element(value)
        value = Array(layouts.stacked(element.fact)) if element else None
    if isinstance(value, Array) and torch:
        return with_fact(value, torch=True)
    return value if isinstance(value, Array) else None


def _element(value: ListOf | Items) -> Array | None:
    items = [value.item] if isinstance(value, ListOf) else list(value.items)
    return next((item for item in items if isinstance(item, Array)), None)


def size_of(value: Argument) -> tuple[int | None, int | None]:
    if isinstance(value, tuple) and len(value) == 2:
        return tuple(v if isinstance(v, int) else None for v in value)  # type: ignore[return-value]
    return (None, None)


def ints_of(value: Argument) -> tuple[int, ...] | None:
    if isinstance(value, tuple) and all(isinstance(v, int) for v in value):
        return value  # type: ignore[return-value]
    return None


def unknown_layout(fact: ArrayFact) -> Array:
    """An operation we cannot follow: still the same data, but no longer a known layout."""
    if fact.kind is not ArrayKind.IMAGES:
        return Array(fact)
    return Array(replace(fact, layouts=(), shape=None))


# --- effects that keep the image -----------------------------------------------------------------

def same(call: Call) -> Value | None:
    """Same shape, dtype and range: a blur, a flip, a morphology step, a copy."""
    return as_array(call.image)


def same_torch(call: Call) -> Value | None:
    return as_array(call.image, torch=True)


def arithmetic(call: Call) -> Value | None:
    """Same shape; the values are no longer in a known range."""
    array = as_array(call.image)
    if array is None:
        return None
    dtype = "float64" if array.fact.dtype and "int" in array.fact.dtype else array.fact.dtype
    return with_fact(array, dtype=dtype, value_range=None, scaled=False)


def cast(dtype: str) -> Effect:
    def effect(call: Call) -> Value | None:
        array = as_array(call.image)
        return with_fact(array, dtype=dtype) if array else None
    return effect


def to_unit_float(call: Call) -> Value | None:
    """Floats in [0, 1]: `img_as_float`, `convert_image_dtype(x, tf.float32)`."""
    array = as_array(call.image)
    return with_fact(array, dtype="float32", value_range=UNIT, scaled=True) if array else None


def changes_sides(call: Call) -> Value | None:
    """Same layout, sides no longer known: a rotation by 90°, a border, a pyramid step."""
    array = as_array(call.image)
    return Array(layouts.apply(array.fact, layouts.resize(None, None))) if array else None


def threshold(call: Call) -> Value | None:
    """`cv2.threshold` returns (the threshold used, the image)."""
    array = as_array(call.image)
    return Items((None, array)) if array else None


def one_channel(call: Call) -> Value | None:
    """A mask or an edge map: one channel, whatever came in (`cv2.Canny`, `cv2.inRange`)."""
    gray = to_gray()(call)
    return with_fact(gray, dtype="uint8", value_range=(0, 255), scaled=False) \
        if isinstance(gray, Array) else None


def to_gray(*, unit: bool = False) -> Effect:
    """Colour to gray drops the channel axis (skimage's `rgb2gray` also gives floats in [0, 1])."""
    def effect(call: Call) -> Value | None:
        array = as_array(call.image)
        if array is None or not array.fact.layouts:
            return None
        fact = array.fact
        colour = [layout for layout in fact.layouts if layout in (HWC, NHWC)]
        if colour:
            fact = layouts.apply(replace(fact, layouts=tuple(colour[:1])), layouts.drop_axis(-1))
        if unit:
            fact = replace(fact, dtype="float64", value_range=UNIT, scaled=True)
        return Array(fact)
    return effect


def gray_to_colour(call: Call) -> Value | None:
    array = as_array(call.image)
    if array is None or not array.fact.layouts:
        return None
    fact = array.fact
    if fact.layouts[0] in (HW, NHW):
        fact = layouts.apply(replace(fact, layouts=fact.layouts[:1]), layouts.insert_axis(-1))
        shape = fact.shape and (*fact.shape[:-1], 3)
        fact = replace(fact, shape=shape)
    return Array(fact)


def cv2_colour(call: Call) -> Value | None:
    """`cv2.cvtColor(src, code)`: to gray drops the channels, from gray adds three."""
    code = call.args.value("code", 1)
    name = code.name.rpartition(".")[2] if isinstance(code, Ref) else ""
    if name.endswith("2GRAY"):
        return to_gray()(call)
    if "GRAY2" in name:
        return gray_to_colour(call)
    array = as_array(call.image)
    if name.startswith("COLOR_") and "2" in name and array is not None:
        # colour to colour (BGR2RGB, BGR2YUV, RGB2HSV...): a colour image in and out
        colour = tuple(layout for layout in array.fact.layouts if layout in (HWC, NHWC))
        channels = 4 if name.endswith("A") else 3
        fact = replace(array.fact, layouts=colour[:1], shape=None) if colour else array.fact
        if colour and array.fact.layouts[0] in colour and array.fact.shape:
            fact = replace(fact, shape=(*array.fact.shape[:-1], channels))
        return Array(fact)
    return array


# --- effects that change the shape -------------------------------------------------------------

def resize(param: str, position: int, *, width_first: bool, unit: bool = False) -> Effect:
    """New sides from a size argument: OpenCV and PIL write (width, height), the rest (height,
    width); scikit-image's resize also maps to floats in [0, 1]."""
    def effect(call: Call) -> Value | None:
        array = as_array(call.image)
        if array is None:
            return None
        height, width = size_of(call.args.literal(param, position))
        if width_first:
            height, width = width, height
        fact = layouts.apply(array.fact, layouts.resize(height, width))
        if unit:
            fact = replace(fact, dtype="float64", value_range=UNIT, scaled=True)
        return Array(fact)
    return effect


def tf_resize(call: Call) -> Value | None:
    """`tf.image.resize`: floats, values in the input's range."""
    array = resize("size", 1, width_first=False)(call)
    return with_fact(array, dtype="float32") if isinstance(array, Array) else None


def split_channels(call: Call) -> Value | None:
    """`cv2.split(img)`: one gray image per channel."""
    gray = to_gray()(call)
    return ListOf(gray) if gray is not None else None


def merge_channels(call: Call) -> Value | None:
    """`cv2.merge([b, g, r])`: the channels stacked last."""
    parts = call.image
    element = _element(parts) if isinstance(parts, (ListOf, Items)) else None
    if element is None or not element.fact.layouts or element.fact.layouts[0] is not HW:
        return None
    count = len(parts.items) if isinstance(parts, Items) else None
    fact = layouts.apply(replace(element.fact, layouts=(HW,)), layouts.insert_axis(-1))
    return Array(replace(fact, shape=fact.shape and (*fact.shape[:-1], count)))


def stack(call: Call) -> Value | None:
    return as_array(call.image) if isinstance(call.image, (ListOf, Items)) else None


def concatenate(call: Call) -> Value | None:
    """Along the first axis: the layout of the parts, the count no longer known."""
    parts = call.image
    element = _element(parts) if isinstance(parts, (ListOf, Items)) else None
    if element is None:
        return None
    fact = element.fact
    if not (fact.shape and fact.layouts and fact.layouts[0].value.startswith("N")):
        return Array(fact)
    counts = [item.fact.shape[0] if isinstance(item, Array) and item.fact.shape else None
              for item in (parts.items if isinstance(parts, Items) else (None,))]
    total = sum(counts) if None not in counts else None  # type: ignore[arg-type]
    return Array(replace(fact, shape=(total, *fact.shape[1:])))


def reshape(call: Call) -> Value | None:
    dims = ints_of(call.args.literal("shape", 1)) or ints_of(call.args.literal("newshape", 1))
    return reshaped(_known_or_opaque(call), dims)


def reshaped(array: Array, dims: tuple[int | None, ...] | None) -> Array:
    """`dims` may hold None for sizes written as names we cannot read (`pixels`): a 4-D
    target whose channel count is a literal still spells a layout."""
    if dims is None or (None in dims and not _channels_spelled(dims)):
        return unknown_layout(array.fact)
    spelled = ", ".join("?" if d is None else str(d) for d in dims)
    return Array(layouts.reshape(array.fact, dims, f"({spelled})"))  # type: ignore[arg-type]


def _channels_spelled(dims: tuple[int | None, ...]) -> bool:
    channels = layouts.CHANNEL_COUNTS
    return len(dims) == 4 and dims[0] in (-1, None) and (dims[3] in channels or dims[1] in channels)


def _known_or_opaque(call: Call) -> Array:
    """An array we know nothing about yet, named by its code: a reshape may still tell."""
    array = as_array(call.image)
    if array is not None:
        return array
    return Array(ArrayFact(ArrayKind.UNKNOWN, origin=call.image_code or "an array",
                           origin_line=call.line))


def expand_dims(call: Call) -> Value | None:
    array = as_array(call.image)
    if array is None:
        return None
    position = call.args.literal("axis", 1)
    position = call.args.literal("dim", 1) if not isinstance(position, int) else position
    return inserted(array, position)


def inserted(array: Array, position: Argument) -> Array:
    if not isinstance(position, int):
        return unknown_layout(array.fact)
    return Array(layouts.apply(array.fact, layouts.insert_axis(position)))


def transpose(call: Call) -> Value | None:
    array = as_array(call.image)
    if array is None:
        return None
    order = call.args.literal("axes", 1, default=None)
    for name in ("perm", "dims"):
        order = call.args.literal(name, 1, default=None) if order is UNKNOWN else order
    return transposed(array, order)


def transposed(array: Array, order: Argument) -> Array:
    if order is not None and ints_of(order) is None:
        return unknown_layout(array.fact)
    return Array(layouts.apply(array.fact, layouts.transpose(order)))  # type: ignore[arg-type]


def move_axis(call: Call) -> Value | None:
    """`np.moveaxis(a, source, destination)`, `np.swapaxes(a, i, j)`, `torch.movedim`."""
    array = as_array(call.image)
    if array is None:
        return None
    source, target = call.args.literal("source", 1), call.args.literal("destination", 2)
    if call.name == "numpy.rollaxis":  # np.rollaxis(a, axis, start=0)
        source, target = call.args.literal("axis", 1), call.args.literal("start", 2, default=0)
    elif source is UNKNOWN:
        source, target = call.args.literal("axis1", 1), call.args.literal("axis2", 2)
    if not isinstance(source, int) or not isinstance(target, int):
        return unknown_layout(array.fact)
    swap = call.name.endswith(("swapaxes", "transpose"))
    return Array(layouts.apply(array.fact, layouts.move(source, target, swap=swap)))


def squeeze(call: Call) -> Value | None:
    array = as_array(call.image)
    return Array(layouts.apply(array.fact, layouts.squeeze_channel)) if array else None


def divide(call: Call) -> Value | None:
    """`np.divide(x, 255)` scales 8-bit pixels to [0, 1]; other divisors clear the range."""
    array = as_array(call.image)
    if array is None:
        return None
    if is_peak(call.args.literal("x2", 1), array.fact):
        return with_fact(array, scaled=True, dtype="float64", value_range=UNIT)
    return arithmetic(call)


def is_peak(value: Argument, fact: ArrayFact) -> bool:
    """Dividing by this maps the pixel range onto [0, 1] (255 for 8-bit images)."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    return 254 <= value <= 256 or abs(value - fact.peak) < 1e-9


def pil_from_array(call: Call) -> Value | None:
    array = as_array(call.image)
    return PilImage(array.fact) if array else None


def split_data(call: Call) -> Value | None:
    """`train_test_split(a, b, ...)` returns (a_train, a_test, b_train, b_test, ...): each
    input twice, in its own layout, with a new length, each part knowing which it is."""
    parts: list[Value | None] = []
    for value in call.args.values():
        array = value if isinstance(value, Array) else Array(ArrayFact(
            ArrayKind.UNKNOWN, origin=call.origin, origin_line=call.line))
        fact = array.fact
        if fact.shape:
            fact = replace(fact, shape=(None, *fact.shape[1:]))
        parts += [Array(replace(fact, split=Split.TRAIN)), Array(replace(fact, split=Split.TEST))]
    return Items(tuple(parts))


# --- data sets, loaders and what iterating them yields -----------------------------------------

def batched(item: Value | None) -> Value | None:
    """What a loader yields for this item: every array gets a batch axis in front."""
    if isinstance(item, Array):
        return Array(layouts.stacked(item.fact))
    if isinstance(item, Items):
        return Items(tuple(batched(part) for part in item.items))
    return None


def data_loader(call: Call) -> Value | None:
    """`DataLoader(data_set, batch_size=...)`: iterating yields batches of the set's items."""
    data_set = call.image
    item = data_set.item if isinstance(data_set, (Obj, ListOf)) else None
    if call.args.literal("batch_size", 1, default=1) is None:
        return ListOf(item)
    return ListOf(batched(item))


def tensor_slices(call: Call) -> Value | None:
    """`tf.data.Dataset.from_tensor_slices((x, y))`: one element per first-axis entry."""
    def one(value: Value | None) -> Value | None:
        if isinstance(value, Array) and value.fact.layouts and \
                value.fact.layouts[0].value.startswith("N") and value.fact.layouts[0] is not NF:
            return Array(layouts.apply(value.fact, layouts.drop_axis(0)))
        return None
    value = call.image
    if isinstance(value, Items):
        return ListOf(Items(tuple(one(part) for part in value.items)))
    return ListOf(one(value))


def transformed_item(transform: Value | None, image: ArrayFact, label: Value) -> Items:
    """A torchvision data set's item: the image after its `transform`, and the label."""
    if isinstance(transform, Transform) and transform.result is not None:
        fact = transform.result(image)
        return Items((Array(fact) if fact else None, label))
    return Items((PilImage(image), label))


def tensor_of(fact: ArrayFact) -> ArrayFact | None:
    """`ToTensor()`: a (C, H, W) float tensor in [0, 1]."""
    if len(fact.layouts) > 1 and set(fact.layouts) <= {HW, HWC}:  # gray or colour: C unknown
        fact = replace(fact, layouts=(CHW,), shape=None)
    elif fact.layouts and fact.layouts[0] is HW:
        height, width = fact.shape or (None, None)
        fact = replace(fact, layouts=(CHW,), shape=(1, height, width))
    elif fact.layouts and fact.layouts[0] is HWC:
        fact = layouts.apply(replace(fact, layouts=(HWC,)), layouts.transpose((2, 0, 1)))
    elif not fact.layouts or fact.layouts[0] is not CHW:
        return None
    return replace(fact, dtype="float32", value_range=UNIT, scaled=True, torch=True)
