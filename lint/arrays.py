"""Evaluate expressions to what they hold: which arrays are images, in which layout, from where."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Final

import libcst as cst

from . import catalog, layouts
from .names import canonical
from .literals import Args, literal
from .sources import SOURCES
from .types import UNKNOWN, Argument, ArrayFact, ArrayKind, Layout, Operation
from .values import (
    Array, Const, Function, Items, Layer, ListOf, Obj, PilImage, Ref, Value, not_images,
    with_fact,
)

Lookup = Callable[[str], "Value | None"]

# Methods that keep an array's layout (and most of its facts).
_SAME_LAYOUT: Final = frozenset(
    {"copy", "numpy", "detach", "clone", "contiguous", "cpu", "cuda", "to", "clip", "clamp",
     "type", "to_numpy", "drop", "fillna", "values",
     "squeeze_", "requires_grad_"}
)
_CASTS: Final = {"float": "float32", "double": "float64", "half": "float16"}


def _dtype_name(node: cst.BaseExpression | None) -> str | None:
    """`"float32"`, `np.float32`, `torch.float32` -> "float32"."""
    value = literal(node)
    if isinstance(value, str):
        return value
    if isinstance(node, cst.Attribute):
        return node.attr.value
    return node.value if isinstance(node, cst.Name) else None


# Functions that keep their first argument's layout.
_SAME_LAYOUT_FUNCTIONS: Final = frozenset(
    {"numpy.array", "numpy.asarray", "numpy.asanyarray", "numpy.ascontiguousarray", "numpy.copy",
     "numpy.float32", "numpy.float64", "numpy.uint8", "numpy.clip", "numpy.nan_to_num",
     "tensorflow.convert_to_tensor", "tensorflow.constant", "tensorflow.cast",
     "tensorflow.Variable", "tensorflow.clip_by_value", "tensorflow.identity",
     "torch.from_numpy", "torch.tensor", "torch.as_tensor", "torch.Tensor", "torch.FloatTensor",
     "torch.clamp"}
)
_CONCATENATE: Final = frozenset(
    {"numpy.concatenate", "numpy.vstack", "numpy.row_stack", "tensorflow.concat", "torch.cat",
     "torch.concatenate"}
)
_STACK: Final = frozenset({"numpy.stack", "tensorflow.stack", "torch.stack"})
_RESHAPE: Final = frozenset({"numpy.reshape", "tensorflow.reshape", "torch.reshape"})
_EXPAND: Final = frozenset({"numpy.expand_dims", "tensorflow.expand_dims", "torch.unsqueeze"})
_TRANSPOSE: Final = frozenset({"numpy.transpose", "tensorflow.transpose", "torch.permute"})
_RESIZE: Final = frozenset({"cv2.resize", "tensorflow.image.resize"})
# What models return: never images, whatever the input was.
_MODEL_OUTPUTS: Final = frozenset(
    {"predict", "encode", "encode_image", "encode_text", "embed", "embed_documents",
     "embed_query", "get_image_features", "get_text_features", "transform", "fit_transform"}
)


def _is_peak(value: Argument, fact: ArrayFact) -> bool:
    """Dividing by this maps the pixel range onto [0, 1] (255 for 8-bit images)."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    return 254 <= value <= 256 or abs(value - fact.peak) < 1e-9


class Evaluator:
    """Evaluates expressions against the bindings a forward pass has made so far."""

    def __init__(self, lookup: Lookup, line_of: Callable[[cst.CSTNode], int],
                 code_of: Callable[[cst.CSTNode], str],
                 layer_at: Callable[[cst.Call], Layer | None]):
        self.lookup = lookup
        self.line_of = line_of
        self.code_of = code_of
        self.layer_at = layer_at

    def __call__(self, node: cst.BaseExpression) -> Value | None:
        match node:
            case cst.Name(value=name):
                return self.lookup(name)
            case cst.Attribute(value=base, attr=cst.Name(value=attr)):
                return self._attribute(self(base), attr)
            case cst.Call():
                return self._call(node)
            case cst.BinaryOperation():
                return self._binary(node)
            case cst.Subscript(value=base, slice=elements):
                return self._subscript(self(base), elements)
            case cst.Tuple(elements=elements) | cst.List(elements=elements):
                return Items(tuple(None if isinstance(e, cst.StarredElement) else self(e.value)
                                   for e in elements))
            case cst.ListComp(elt=element) | cst.GeneratorExp(elt=element):
                return ListOf(self(element))
            case cst.Integer() | cst.Float() | cst.SimpleString() | cst.UnaryOperation():
                value = literal(node)
                return None if value is UNKNOWN else Const(value)
        return None

    def _attribute(self, base: Value | None, attr: str) -> Value | None:
        match base:
            case Ref():
                return base.attr(attr)
            case Obj():
                return base.get(attr)
            case Array() if attr in ("values", "data"):
                return base
            case Array() if attr == "T":
                return Array(layouts.apply(base.fact, layouts.transpose(None)))
        return None

    def _call(self, call: cst.Call) -> Value | None:
        layer = self.layer_at(call)
        if layer is not None:
            return layer
        args = Args(call, self, self.lookup)
        func = call.func
        if isinstance(func, cst.Attribute):
            receiver = self(func.value)
            method = func.attr.value
            if isinstance(receiver, Array):
                return self._array_method(receiver, method, args)
            if isinstance(receiver, PilImage):
                return self._pil_method(receiver, method, args)
            if receiver is None and method in _MODEL_OUTPUTS:
                return not_images(f"the output of {self.code_of(func)}(...)", self.line_of(call))
            if receiver is None and method in ("reshape", "view"):
                receiver = self._known_or_opaque(None, func.value)
                return self._array_method(receiver, method, args)
            callee = self._attribute(receiver, method)
        else:
            callee = self(func)
        match callee:
            case Ref(name=name):
                return self._call_ref(canonical(name), args, call)
            case Function(returns=returns):
                return returns
        return None

    def _call_ref(self, name: str, args: Args, call: cst.Call) -> Value | None:
        api = catalog.lookup(name)
        if api is not None and api.operation is Operation.LP_NORMALIZE:
            # Same shape; the values of non-negative pixels now lie in [0, 1]. A later
            # normalization (or its fix) must not divide them by 255 again.
            normalized = args.value(api.params[0].name, 0)
            return with_fact(normalized, dtype="float32", scaled=True) \
                if isinstance(normalized, Array) else None
        source = SOURCES.get(name)
        if source is not None:
            origin = f"{self.code_of(call.func)}({'...' if call.args else ''})"
            return source(args, origin, self.line_of(call))
        first = args.value("x", 0)
        if name == "sklearn.model_selection.train_test_split":
            return _split(args)
        if name == "PIL.Image.fromarray" and isinstance(first, Array):
            return PilImage(first.fact)
        if name in _STACK and isinstance(first, (ListOf, Items)):
            element = _element(first)
            return Array(layouts.stacked(element.fact)) if element else None
        if isinstance(first, (ListOf, Items)) and name in _CONCATENATE:
            return _element(first)
        if name in _SAME_LAYOUT_FUNCTIONS:
            return self._as_array(first, torch=name.startswith("torch."))
        if name in _RESHAPE:
            return self._reshape(self._known_or_opaque(first, args.node("x", 0)).fact,
                                 args.literal("shape", 1), call)
        if not isinstance(first, Array):
            return None
        fact = first.fact
        if name in _EXPAND:
            position = args.literal("axis", 1)
            if not isinstance(position, int):
                position = args.literal("dim", 1)
            return Array(layouts.apply(fact, layouts.insert_axis(position))) \
                if isinstance(position, int) else _unknown_layout(fact)
        if name in _TRANSPOSE:
            order = args.literal("axes", 1)
            order = args.literal("perm", 1) if order is UNKNOWN else order
            order = args.literal("dims", 1) if order is UNKNOWN else order
            return self._transpose(fact, order)
        if name == "numpy.squeeze":
            return Array(layouts.apply(fact, layouts.squeeze_channel))
        if name in _RESIZE:
            size = args.literal("size", 1)
            if not isinstance(size, tuple):
                size = args.literal("dsize", 1)
            h, w = (size[::-1] if name == "cv2.resize" else size) if isinstance(size, tuple) \
                and len(size) == 2 else (None, None)
            return Array(layouts.apply(fact, layouts.resize(h, w)))
        if name == "cv2.cvtColor":
            code = args.value("code", 1)
            if isinstance(code, Ref) and code.name.endswith("2GRAY"):
                return Array(layouts.apply(replace(fact, layouts=fact.layouts[:1]),
                                           layouts.drop_axis(-1)))
            return first
        if name == "numpy.divide" and _is_peak(args.literal("x2", 1), fact):
            return with_fact(first, scaled=True, dtype="float64")
        return None

    def _known_or_opaque(self, value: Value | None, node: cst.BaseExpression | None) -> Array:
        """An array we know nothing about yet, named by its code: a reshape may still tell."""
        if isinstance(value, Array):
            return value
        origin = self.code_of(node) if node is not None else "an array"
        line = self.line_of(node) if node is not None else None
        return Array(ArrayFact(ArrayKind.UNKNOWN, origin=origin, origin_line=line))

    def _as_array(self, value: Value | None, *, torch: bool) -> Value | None:
        if isinstance(value, PilImage):
            return Array(value.fact)
        if isinstance(value, (ListOf, Items)):
            element = _element(value)
            return Array(layouts.stacked(element.fact)) if element else None
        if isinstance(value, Array) and torch:
            return with_fact(value, torch=True)
        return value if isinstance(value, Array) else None

    def _array_method(self, array: Array, method: str, args: Args) -> Value | None:
        fact = array.fact
        if method in _CASTS:
            return with_fact(array, dtype=_CASTS[method])
        if method == "astype":
            return with_fact(array, dtype=_dtype_name(args.node("dtype", 0)) or fact.dtype)
        if method in _SAME_LAYOUT:
            return array
        if method in ("reshape", "view"):
            shape = tuple(literal(n, self.lookup) for n in args.positional) \
                if len(args.positional) > 1 \
                else args.literal("shape", 0)
            return self._reshape(fact, shape, None)
        if method == "unsqueeze":
            position = args.literal("dim", 0)
            return Array(layouts.apply(fact, layouts.insert_axis(position))) \
                if isinstance(position, int) else _unknown_layout(fact)
        if method in ("transpose", "permute"):
            order = tuple(literal(n, self.lookup) for n in args.positional) \
                if len(args.positional) > 1 \
                else args.literal("axes", 0, default=None)
            return self._transpose(fact, order)
        if method == "squeeze":
            return Array(layouts.apply(fact, layouts.squeeze_channel))
        if method in ("div", "divide", "true_divide") and _is_peak(args.literal("other", 0), fact):
            return with_fact(array, scaled=True, dtype="float32")
        if method == "flatten" and args.literal("start_dim", 0) == 1:
            return self._reshape(fact, (-1, -1), None)
        return None

    def _pil_method(self, image: PilImage, method: str, args: Args) -> Value | None:
        fact = image.fact
        if method == "convert":
            mode = args.literal("mode", 0)
            if mode in ("L", "1", "I", "F"):
                return PilImage(replace(fact, layouts=(Layout.HW,), shape=None))
            if mode in ("RGB", "RGBA"):
                return PilImage(replace(fact, layouts=(Layout.HWC,),
                                        shape=(None, None, len(mode))))
        if method == "resize":
            size = args.literal("size", 0)
            w, h = size if isinstance(size, tuple) and len(size) == 2 else (None, None)
            return PilImage(layouts.apply(fact, layouts.resize(h, w)))
        return image if method in ("copy", "rotate", "crop", "transpose") else None

    def _reshape(self, fact: ArrayFact, shape: Argument, call: cst.Call | None) -> Array:
        if not isinstance(shape, tuple) or not all(isinstance(d, int) for d in shape):
            return _unknown_layout(fact)
        return Array(layouts.reshape(fact, shape, f"({', '.join(map(str, shape))})"))

    def _transpose(self, fact: ArrayFact, order: Argument) -> Array:
        if order is not None and not (isinstance(order, tuple) and
                                      all(isinstance(d, int) for d in order)):
            return _unknown_layout(fact)
        return Array(layouts.apply(fact, layouts.transpose(order)))  # type: ignore[arg-type]

    def _binary(self, node: cst.BinaryOperation) -> Value | None:
        left, right = self(node.left), self(node.right)
        array = left if isinstance(left, Array) else right if isinstance(right, Array) else None
        if array is None:
            return None
        other = literal(node.right if array is left else node.left)
        match node.operator:
            case cst.Divide() if array is left and _is_peak(other, array.fact):
                return with_fact(array, scaled=True, dtype="float64")
            case cst.Multiply() if isinstance(other, float) and _is_peak(1 / other if other else 0,
                                                                         array.fact):
                return with_fact(array, scaled=True, dtype="float64")
            case cst.Divide() | cst.Multiply() | cst.Subtract() | cst.Add():
                # Same shape; the range is no longer known (x - mean is not in [0, 255]).
                dtype = "float64" if array.fact.dtype and "int" in array.fact.dtype else array.fact.dtype
                return with_fact(array, dtype=dtype, value_range=None)
        return None

    def _subscript(self, base: Value | None, elements) -> Value | None:
        if isinstance(base, (Items, ListOf)):
            if isinstance(base, ListOf):
                return base.item
            index = literal(elements[0].slice.value) if len(elements) == 1 and \
                isinstance(elements[0].slice, cst.Index) else UNKNOWN
            return base.items[index] if isinstance(index, int) and -len(base.items) <= index \
                < len(base.items) else None
        if not isinstance(base, Array):
            return None
        fact = base.fact
        position = 0
        for index, element in enumerate(elements):
            part = element.slice
            if isinstance(part, cst.Slice):
                if position == 0 and (part.lower or part.upper) and fact.shape:
                    fact = replace(fact, shape=(None, *fact.shape[1:]))
                position += 1
            elif isinstance(part.value, cst.Ellipsis):
                rest = sum(1 for e in elements[index + 1:]
                           if not _is_new_axis(e.slice))
                rank = fact.layouts[0].rank if fact.layouts else None
                if rank is None:
                    return _unknown_layout(fact)
                position = rank - rest
            elif _is_new_axis(part):
                fact = layouts.apply(fact, layouts.insert_axis(position))
                position += 1
            elif isinstance(literal(part.value), int):
                fact = layouts.apply(fact, layouts.drop_axis(position))
            else:
                return _unknown_layout(fact)
        return Array(fact)


def _split(args: Args) -> Items:
    """`train_test_split(a, b, ...)` returns (a_train, a_test, b_train, b_test, ...): each
    input twice, in its own layout, with a new length."""
    parts: list[Value | None] = []
    for node in args.positional:
        value = args.value_of(node)
        if isinstance(value, Array) and value.fact.shape and value.fact.layouts \
                and value.fact.layouts[0].value.startswith("N"):
            value = with_fact(value, shape=(None, *value.fact.shape[1:]))
        parts += [value, value]
    return Items(tuple(parts))


def _is_new_axis(part: cst.BaseSlice) -> bool:
    if not isinstance(part, cst.Index):
        return False
    return cst.ensure_type(part, cst.Index).value.deep_equals(cst.Name("None")) or (
        isinstance(part.value, cst.Attribute) and part.value.attr.value == "newaxis"
    )


def _element(value: ListOf | Items) -> Array | None:
    items = [value.item] if isinstance(value, ListOf) else list(value.items)
    return next((item for item in items if isinstance(item, Array)), None)


def _unknown_layout(fact: ArrayFact) -> Array:
    """An operation we cannot follow: still the same data, but no longer a known layout."""
    if fact.kind is not ArrayKind.IMAGES:
        return Array(fact)
    return Array(replace(fact, layouts=(), shape=None))
