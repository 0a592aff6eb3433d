"""Evaluate expressions to what they hold: which arrays are images, in which layout, from where."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Final

import libcst as cst

from .. import catalog
from ..names import canonical
from ..types import (
    UNKNOWN, Argument, ArrayFact, ArrayKind, Confidence, Layout, Operation, Span, StepKind,
)
from . import effects, estimators, layouts, models
from .contracts import BY_NAME
from .effects import Call, as_array, inserted, is_peak, reshaped, transposed, unknown_layout
from .literals import Args, literal
from .sinks import MODEL_FEEDS
from .values import (
    Array, Const, Estimator, Function, Instance, Items, Layer, ListOf, Model, Obj, PilImage, Ref,
    Step, Transform, Value, not_images, with_fact,
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


# What models return: never images, whatever the input was.
_MODEL_OUTPUTS: Final = frozenset(
    {"predict", "encode", "encode_image", "encode_text", "embed", "embed_documents",
     "embed_query", "get_image_features", "get_text_features", "transform", "fit_transform"}
)


class Evaluator:
    """Evaluates expressions against the bindings a forward pass has made so far."""

    def __init__(self, lookup: Lookup, line_of: Callable[[cst.CSTNode], int],
                 code_of: Callable[[cst.CSTNode], str],
                 layer_at: Callable[[cst.Call], Layer | None],
                 place: Callable[[cst.Call], Span | None] | None = None,
                 quote: Callable[[cst.CSTNode], str] | None = None):
        self.lookup = lookup
        self.line_of = line_of
        self.code_of = code_of
        self.layer_at = layer_at
        self.place = place or (lambda call: None)  # a call's span
        self.quote = quote or self.code_of  # a call on one line

    def release(self) -> None:
        """Let go of the builder's methods once its walk is over: values keep thunks that
        hold this evaluator (a call's text, made when asked for), and through these methods
        it held the builder, its scopes and both trees, in cycles only the collector frees."""
        del self.lookup, self.line_of, self.code_of, self.layer_at, self.place, self.quote

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
            case cst.Dict(elements=elements):
                return _mapping(elements, self)
            case cst.Lambda():
                return self._lambda(node)
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
            case Instance():
                return base.attrs.get(attr)
            case Array() if attr in ("values", "data"):
                return base
            case Array() if attr == "T":
                return Array(layouts.apply(base.fact, layouts.transpose(None)))
            case Model() if attr in ("input", "inputs"):  # a Keras model's symbolic input
                return Model(base.input)
            case Model() if attr in ("output", "outputs"):
                return base
        return None

    def _call(self, call: cst.Call) -> Value | None:
        layer = self.layer_at(call)
        if layer is not None:
            return layer
        args = Args(call, self, self.lookup)
        func = call.func
        receiver: Value | None = None
        if isinstance(func, cst.Attribute):
            receiver = self(func.value)
            method = func.attr.value
            if isinstance(receiver, Array):
                return self._array_method(receiver, method, args)
            if isinstance(receiver, PilImage):
                return self._pil_method(receiver, method, args)
            if isinstance(receiver, Estimator):
                return estimators.result(receiver, method, args.value("X", 0))
            if receiver is None and method in _MODEL_OUTPUTS:
                return not_images(f"the output of {self.code_of(func)}(...)", self.line_of(call))
            if isinstance(receiver, (ListOf, Obj)) and method in _DATA_SET_METHODS:
                return _data_set_method(receiver, method)
            if isinstance(receiver, Model) and method in _MODEL_OUTPUTS | MODEL_FEEDS:
                return not_images(f"the output of {self.code_of(func)}(...)", self.line_of(call))
            if receiver is None and method in ("reshape", "view"):
                opaque = ArrayFact(ArrayKind.UNKNOWN, origin=self.code_of(func.value),
                                   origin_line=self.line_of(call))
                return self._array_method(Array(opaque), method, args)
            callee = self._attribute(receiver, method)
        else:
            callee = self(func)
            if callee is None and isinstance(func, cst.Name) and func.value in _ITERATION:
                return _iteration(func.value, args.value("", 0))
        match callee:
            case Ref(name=name):
                return self._call_ref(canonical(name), args, call, receiver)
            case Function(returns=returns):
                return returns
            case Model():
                symbolic = models.applied(callee, args.value("", 0))
                return symbolic or not_images(f"the output of {self.code_of(func)}(...)",
                                              self.line_of(call))
            case Transform(result=result) if result is not None:
                given = as_array(args.value("", 0))
                fact = result(given.fact) if given is not None else None
                return Array(fact) if fact is not None else None
            case None if args.positional:  # a layer we do not know, on a symbolic tensor
                given = args.value("", 0)
                return given if isinstance(given, Model) else None
        return None

    def _call_ref(self, name: str, args: Args, call: cst.Call,
                  receiver: Value | None = None) -> Value | None:
        api = catalog.lookup(name)
        if api is not None and api.operation is Operation.LP_NORMALIZE:
            # Same shape; the values of non-negative pixels now lie in [0, 1]. A later
            # normalization (or its fix) must not divide them by 255 again.
            normalized = args.value(api.params[0].name, 0)
            return with_fact(normalized, dtype="float32", scaled=True) \
                if isinstance(normalized, Array) else None
        contract = BY_NAME.get(name)
        if contract is None:
            return None
        origin = f"{_dotted(call.func) or self.code_of(call.func)}({'...' if call.args else ''})"
        image, code = None, ""
        if contract.image is not None:
            node = args.node(*contract.image)
            image = self(node) if node is not None else None
            code = (_dotted(node) or self.code_of(node)) if node is not None and (
                image is None or not isinstance(image, Array)) else ""
            if image is None and node is not None and contract.implies_image:
                image = _some_image(code, self.line_of(call))
        return contract.effect(Call(args, name, origin, self.line_of(call), image, code,
                                    self.place(call), lambda: self.quote(call), receiver))

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
            return reshaped(array, _sizes(shape))
        if method in ("unsqueeze", "expand_dims"):
            return inserted(array, args.literal("dim", 0))
        if method in ("transpose", "permute"):
            order = tuple(literal(n, self.lookup) for n in args.positional) \
                if len(args.positional) > 1 \
                else args.literal("axes", 0, default=None)
            if method == "transpose" and fact.torch and isinstance(order, tuple) \
                    and len(order) == 2 and fact.layouts:  # torch's transpose swaps two axes
                return effects.move_axis(Call(args, "torch.swapaxes", "", 0, array))
            return transposed(array, order)
        if method == "squeeze":
            return Array(layouts.apply(fact, layouts.squeeze_channel))
        if method in ("div", "divide", "true_divide") and is_peak(args.literal("other", 0), fact):
            return with_fact(array, scaled=True, dtype="float32", value_range=effects.UNIT)
        if method == "flatten" and args.literal("start_dim", 0) == 1:
            return reshaped(array, (-1, -1))
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

    def _binary(self, node: cst.BinaryOperation) -> Value | None:
        left, right = self(node.left), self(node.right)
        array = left if isinstance(left, Array) else right if isinstance(right, Array) else None
        if array is None:
            return None
        if divides_by_peak(node, array is left, array.fact):
            first = array.fact.scaled_by if array.fact.scaled else ""  # the first scaling
            return with_fact(array, scaled=True, dtype="float64", value_range=effects.UNIT,
                             scaled_by=first or " ".join(self.code_of(node).split()))
        if isinstance(node.operator, (cst.Divide, cst.Multiply, cst.Subtract, cst.Add)):
            # Same shape; the range is no longer known (x - mean is not in [0, 255]).
            dtype = "float64" if array.fact.dtype and "int" in array.fact.dtype else array.fact.dtype
            return with_fact(array, dtype=dtype, value_range=None, scaled=False, scaled_by="")
        return None

    def _lambda(self, node: cst.Lambda) -> Value | None:
        """`lambda x: x / 255` (or `x.div(255)`) is a transform that divides by the peak."""
        params = node.params.params
        body = node.body
        if len(params) != 1:
            return None
        name = params[0].name.value
        divides = isinstance(body, cst.BinaryOperation) and isinstance(body.left, cst.Name) \
            and body.left.value == name and divides_by_peak(body, True, None)
        if not divides:
            return None
        step = Step(StepKind.DIVIDE, " ".join(self.code_of(node).split()), None, 255.0)
        return Transform("Lambda", lambda fact: replace(
            fact, scaled=True, value_range=effects.UNIT, scaled_by=step.text), step)

    def _sliced(self, size: int | None, part: cst.Slice) -> int | None:
        """How long an axis of `size` is after `[lower:upper:step]` (`x[:, ::2]` halves it)."""
        bounds = [_bound(part.lower, self.lookup), _bound(part.upper, self.lookup),
                  _bound(part.step, self.lookup)]
        if UNKNOWN in bounds or bounds[2] == 0:
            return None
        lower, upper, step = bounds
        if size is None:  # only `[a:b]` with both ends known says how many
            known = isinstance(lower, int) and isinstance(upper, int) and lower >= 0 \
                and upper >= lower and (step is None or step > 0)
            return len(range(lower, upper, step or 1)) if known else None  # type: ignore[arg-type]
        return len(range(size)[slice(lower, upper, step)])  # type: ignore[arg-type]

    def _subscript(self, base: Value | None, elements) -> Value | None:
        if isinstance(base, Obj):
            key = literal(elements[0].slice.value) if len(elements) == 1 and \
                isinstance(elements[0].slice, cst.Index) else UNKNOWN
            return base.get(key) if isinstance(key, str) else base.item  # a key, or one item
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
                if fact.shape and position < len(fact.shape):
                    size = self._sliced(fact.shape[position], part)
                    fact = replace(fact, shape=(*fact.shape[:position], size,
                                                *fact.shape[position + 1:]))
                position += 1
            elif isinstance(part.value, cst.Ellipsis):
                rest = sum(1 for e in elements[index + 1:]
                           if not _is_new_axis(e.slice))
                rank = fact.layouts[0].rank if fact.layouts else None
                if rank is None:
                    return unknown_layout(fact)
                position = rank - rest
            elif _is_new_axis(part):
                fact = layouts.apply(fact, layouts.insert_axis(position))
                position += 1
            elif isinstance(literal(part.value, self.lookup), int):
                fact = layouts.apply(fact, layouts.drop_axis(position))
            else:
                return unknown_layout(fact)
        return Array(fact)


def _dotted(node: cst.BaseExpression) -> str | None:
    """`cv2.imread` as written, for a name or a dotted name (cheaper than generating code)."""
    parts = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if not isinstance(node, cst.Name):
        return None
    parts.append(node.value)
    return ".".join(reversed(parts))


def divides_by_peak(node: cst.BinaryOperation, array_left: bool, fact: ArrayFact | None) -> bool:
    """`x / 255`, `x * (1 / 255)`, `x * 1./255`: a map of 8-bit pixels onto [0, 1]."""
    peak_of = (lambda v: is_peak(v, fact)) if fact is not None else (
        lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and 254 <= v <= 256)
    other = literal(node.right if array_left else node.left)
    if isinstance(node.operator, cst.Divide):
        return array_left and peak_of(other)
    if isinstance(node.operator, cst.Multiply):
        return isinstance(other, float) and other > 0 and peak_of(1 / other)
    return False


def _mapping(elements, evaluate: Evaluator) -> Obj | None:
    """A dict literal with string keys: indexing it by a key gives that key's value."""
    pairs = []
    for element in elements:
        if not isinstance(element, cst.DictElement):
            return None
        key = literal(element.key)
        if not isinstance(key, str):
            return None
        pairs.append((key, evaluate(element.value)))
    return Obj(tuple(pairs))


def _is_new_axis(part: cst.BaseSlice) -> bool:
    if not isinstance(part, cst.Index):
        return False
    return cst.ensure_type(part, cst.Index).value.deep_equals(cst.Name("None")) or (
        isinstance(part.value, cst.Attribute) and part.value.attr.value == "newaxis"
    )


# A data set's or loader's methods that keep what one element is; `batch` adds a batch axis.
_DATA_SET_METHODS: Final = frozenset(
    {"batch", "shuffle", "prefetch", "cache", "repeat", "take", "skip", "as_numpy_iterator"})
_ITERATION: Final = frozenset({"iter", "next", "enumerate", "range"})


def _bound(node: cst.BaseExpression | None, lookup: Lookup) -> int | None | object:
    """A slice bound: None when absent, an int when literal, UNKNOWN otherwise."""
    if node is None:
        return None
    value = literal(node, lookup)
    return value if isinstance(value, int) and not isinstance(value, bool) else UNKNOWN


def _data_set_method(data_set: ListOf | Obj, method: str) -> Value | None:
    item = data_set.item
    return ListOf(effects.batched(item) if method == "batch" else item)


def _iteration(function: str, value: Value | None) -> Value | None:
    """`iter(loader)` is the loader; `next(...)` one element; `enumerate` pairs it with a count;
    `range` counts (so `x[i]` in `for i in range(n)` is one element of x)."""
    if function == "iter":
        return value
    if function == "range":
        return ListOf(Const(0))
    item = value.item if isinstance(value, (ListOf, Obj)) else None
    return item if function == "next" else ListOf(Items((Const(0), item)))


def _some_image(code: str, line: int) -> Array:
    """An image known only by what was done to it: gray or colour, sides unknown."""
    return Array(ArrayFact(ArrayKind.IMAGES, (Layout.HW, Layout.HWC), origin=code,
                           origin_line=line, confidence=Confidence.MEDIUM))


def _sizes(value: Argument) -> tuple[int | None, ...] | None:
    """A shape's sizes: literal ints, None for the ones we cannot read."""
    if not isinstance(value, tuple):
        return None
    return tuple(v if isinstance(v, int) and not isinstance(v, bool) else None for v in value)
