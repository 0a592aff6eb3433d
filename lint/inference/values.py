"""What an expression evaluates to during array inference: arrays, references, containers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Protocol, Union

from ..types import Argument, ArrayFact, ArrayKind, Confidence, Fit, Layout, Span, StepKind


@dataclass(frozen=True, slots=True)
class Ref:
    """A module, function or class, by canonical qualified name (`keras.datasets.mnist`); or
    an instance whose methods have rows of their own (`ImageDataGenerator(...)`), which may
    say what it does to pixels (`rescale=1/255`: `scaled_by`)."""

    name: str
    scaled_by: str = field(default="", compare=False)

    def attr(self, name: str) -> Ref:
        return Ref(f"{self.name}.{name}")


@dataclass(frozen=True, slots=True)
class Const:
    """A name bound to a literal (`INPUT_SIZE = 64`), so that `(INPUT_SIZE, INPUT_SIZE, 3)`
    still reads as a shape."""

    value: object


@dataclass(frozen=True, slots=True)
class Array:
    fact: ArrayFact


@dataclass(frozen=True, slots=True)
class Items:
    """A tuple or list of known length: what `load_data()` returns."""

    items: tuple[Value | None, ...]


@dataclass(frozen=True, slots=True)
class ListOf:
    """A list whose elements are all alike: images appended in a loop."""

    item: Value | None


@dataclass(frozen=True, slots=True)
class Obj:
    """An object whose attributes we know: a torchvision data set's `.data`, a Bunch's `.images`;
    for a data set, `item` is what indexing or iterating it gives."""

    attrs: tuple[tuple[str, Value], ...]
    item: Value | None = None
    # a data set: one image as read, before its `transform` (what that transform is given)
    source: ArrayFact | None = None
    transform: Transform | None = None

    def get(self, name: str) -> Value | None:
        return dict(self.attrs).get(name)


@dataclass(frozen=True, slots=True)
class PilImage:
    """A PIL image: `np.array()` of it is an array of these layouts."""

    fact: ArrayFact


@dataclass(frozen=True, slots=True)
class Function:
    """A same-module function: calling it gives what it returns; `key` names its definition,
    so that its call sites can tell its parameters what they hold."""

    returns: Value | None
    key: int | None = None


@dataclass(frozen=True, slots=True)
class Layer:
    """A catalog layer instance, known by the span of the call that made it."""

    site: Span


@dataclass(frozen=True, slots=True, eq=False)
class Instance:
    """`self` inside a class's methods: what its methods assign to `self.x` is what `self.x`
    reads in the others (in the order the methods are written)."""

    attrs: dict[str, Value | None]


@dataclass(frozen=True, slots=True)
class Step:
    """A step that scales pixel values, where it is written: what its record will say."""

    kind: StepKind
    text: str
    span: Span | None
    divisor: float | None = None
    mean: tuple[float, ...] | None = None
    std: tuple[float, ...] | None = None
    function: str = ""


@dataclass(frozen=True, slots=True)
class Model:
    """A network, known by what its first layer takes: an array fed to it (`model.fit(x)`,
    `net(batch)`) is such a batch. `input` is None while no layer says. `rescales`: a layer
    that divides by 255 inside (`Rescaling(1/255)`, an EfficientNet's own preprocessing).
    A Keras symbolic tensor is a Model too: what the graph up to it takes and does."""

    input: ArrayFact | None
    rescales: Step | None = None


@dataclass(frozen=True, slots=True)
class Transform:
    """An image transform (`ToTensor()`, `Compose([...])`): what it makes of one image."""

    name: str
    result: Callable[[ArrayFact], ArrayFact | None] | None = None
    step: Step | None = None  # when it scales pixel values (`Normalize`, `Lambda(x / 255)`)
    parts: tuple[Value | None, ...] = ()  # a `Compose`'s steps, in order


@dataclass(frozen=True, slots=True, eq=False)
class Estimator:
    """A scikit-learn estimator made in the file; `fits` grows as the walk meets its fits."""

    name: str  # canonical class
    family: str
    options: tuple[tuple[str, object], ...]
    fits: list[Fit]


Value = Union[Ref, Const, Array, Items, ListOf, Obj, PilImage, Function, Layer, Model, Transform,
              Instance, Estimator]


def images(
    layouts: tuple[Layout, ...],
    shape: tuple[int | None, ...] | None,
    dtype: str | None,
    origin: str,
    line: int | None,
    *,
    torch: bool = False,
    value_range: tuple[float, float] | None = None,
) -> Array:
    if value_range is None and dtype == "uint8":
        value_range = (0, 255)
    return Array(
        ArrayFact(ArrayKind.IMAGES, layouts, shape, dtype, value_range, origin=origin,
                  origin_line=line, confidence=Confidence.HIGH, torch=torch)
    )


def not_images(origin: str, line: int | None, shape: tuple[int | None, ...] | None = None) -> Array:
    return Array(ArrayFact(ArrayKind.NOT_IMAGES, shape=shape, origin=origin, origin_line=line))


def with_fact(value: Array, **changes) -> Array:
    return Array(replace(value.fact, **changes))


class CallArguments(Protocol):
    """What a source needs of a call's arguments: literals, and evaluated values."""

    def literal(self, name: str, position: int | None, default: Argument = ...) -> Argument: ...

    def value(self, name: str, position: int | None) -> Value | None: ...

    def values(self) -> list[Value | None]: ...
