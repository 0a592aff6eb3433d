"""Steps that scale pixel values: which Keras applications rescale inside the model or expect
0-255 from `preprocess_input`, the transforms that make a step, and what a pipeline's steps
are given (`trace`), for the records of the scaling rules."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Final

from ..screen import mentions
from ..types import ArrayFact, StepKind
from .effects import GRAY_OR_COLOUR, Call
from .knowledge import PIPELINE_INPUT
from .values import Step, Transform, Value, images

# The application classes of the modules that rescale inside, by module.
_APPLICATIONS: Final = {
    "efficientnet": [f"EfficientNetB{i}" for i in range(8)],
    "efficientnet_v2": [f"EfficientNetV2{s}" for s in ("B0", "B1", "B2", "B3", "S", "M", "L")],
    "convnext": [f"ConvNeXt{s}" for s in ("Tiny", "Small", "Base", "Large", "XLarge")],
    "mobilenet_v3": ["MobileNetV3Small", "MobileNetV3Large"],
    "regnet": [f"RegNet{k}{n}" for k in "XY" for n in (
        "002", "004", "006", "008", "016", "032", "040", "064", "080", "120", "160", "320")],
    "resnet_rs": [f"ResNetRS{n}" for n in (50, 101, 152, 200, 270, 350, 420)],
}
APPLICATION_NAMES: Final = tuple(
    name for module, classes in _APPLICATIONS.items() for cls in classes
    for name in (f"keras.applications.{cls}", f"keras.applications.{module}.{cls}"))


def preprocess_module(name: str) -> str | None:
    """`keras.applications.vgg16.preprocess_input` -> "vgg16"; None for other names."""
    head, _, last = name.rpartition(".")
    if last != "preprocess_input" or not head.startswith("keras.applications."):
        return None
    return head.rpartition(".")[2]


def peak_of_scale(value: object) -> float | None:
    """`1/255` -> 255.0 and `1/127.5` -> 127.5: the peak a factor maps to 1; else None."""
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
        return None
    peak = 1 / value
    return peak if 127 <= peak <= 128 or 254 <= peak <= 256 else None


def step(kind: StepKind, call: Call, **values) -> Step:
    return Step(kind, call.text or call.origin, call.span, **values)


def _floats(value: object) -> tuple[float, ...] | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (float(value),)
    if isinstance(value, tuple) and value and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
        return tuple(float(v) for v in value)
    return None


def normalize(call: Call) -> Value:
    """`Normalize(mean, std)`: the same layout, values no longer in a known range."""
    mean = _floats(call.args.literal("mean", 0))
    std = _floats(call.args.literal("std", 1))
    return Transform("Normalize", lambda fact: replace(fact, value_range=None, scaled=False,
                                                       scaled_by=""),
                     step(StepKind.STANDARDIZE, call, mean=mean, std=std))


def grayscale(call: Call) -> Value:
    """`Grayscale(num_output_channels=1)`: one channel (or three equal ones)."""
    count = call.args.literal("num_output_channels", 0, default=1)

    def result(fact: ArrayFact) -> ArrayFact:
        if count == 1:
            return replace(fact, layouts=(GRAY_OR_COLOUR[0],), shape=None)
        if count == 3:
            return replace(fact, layouts=(GRAY_OR_COLOUR[1],), shape=(None, None, 3))
        return replace(fact, layouts=GRAY_OR_COLOUR, shape=None)
    return Transform("Grayscale", result)


def lambda_transform(call: Call) -> Value:
    """`transforms.Lambda(f)`: what `f` is, when we could read it (`lambda x: x / 255`); a
    step we do not know otherwise."""
    given = call.image
    if isinstance(given, Transform) and given.step is not None:
        return replace(given, step=replace(given.step, text=call.text or call.origin,
                                           span=call.span))
    return Transform("Lambda")


def trace(transform: Transform, start: ArrayFact | None) -> list[tuple[Step, ArrayFact]]:
    """Each scaling step of `transform` (a `Compose` walked step by step) with what it is
    given, for the steps whose input is known."""
    found: list[tuple[Step, ArrayFact]] = []
    fact = start
    for part in transform.parts or (transform,):
        if fact is None:
            break
        if isinstance(part, Transform) and part.step is not None:
            found.append((part.step, fact))
        fact = next_fact(part, fact)
    return found


def next_fact(part: Value | None, fact: ArrayFact) -> ArrayFact | None:
    """What a pipeline step makes of `fact`. A step we do not know (a lambda, a class of the
    project) keeps the layout but makes the range, and the sides and channels, unknown."""
    if isinstance(part, Transform) and part.result is not None:
        return part.result(fact)
    return replace(fact, value_range=None, scaled=False, scaled_by="", shape=None)


def pipeline_input() -> ArrayFact:
    """What a pipeline is given when nothing says: an image, gray or colour, range unknown.
    Only its own steps can then make a range known (`ToImage()`, `ToTensor()`)."""
    return images(GRAY_OR_COLOUR, None, None, PIPELINE_INPUT, None).fact


# What is divided by 255, as written: `x` in `x / 255.` and `x /= 255`, `)` in `f(x) / 255`,
# `1.` in `1./255` (read backwards from each "255": a regex tried at every position of a
# large file costs seconds); and the name the line assigns to.
_DIVIDEND: Final = re.compile(r"([\w.)\]]+)\s*/=?\s*$")
_TARGET: Final = re.compile(r"[ \t]*([\w.]+)[ \t]*=[^=]")
_NUMBER: Final = re.compile(r"[\d.]+")
_NAME: Final = re.compile(r"[A-Za-z_][\w.]*")


def _dividends(text: str):
    """(what is divided, where) for each division by 255 as written; a number divided by 255
    (`1./255`) is a factor, not data, and is left out."""
    start = text.find("255")
    while start >= 0:
        end = start + 3
        if end >= len(text) or not text[end].isdigit():
            match = _DIVIDEND.search(text, max(0, start - 60), start)
            if match and not _NUMBER.fullmatch(match.group(1)):
                yield match.group(1), start
        start = text.find("255", end)


def divided_again(text: str) -> bool:
    """Whether a name holding a division by 255 (or divided by 255 already) is divided by 255
    again: `x = x / 255` twice, `img = f(img) / 255` then `img /= 255`."""
    seen: set[str] = set()
    for dividend, at in _dividends(text):
        if dividend in seen:
            return True
        target = _TARGET.match(text, text.rfind("\n", 0, at) + 1, at)
        seen.update(n for n in (dividend, target and target.group(1)) if n and _NAME.fullmatch(n))
    return False


# Steps that put pixels in [0, 1], after which another division by 255 is one too many.
_SCALING_SOURCES: Final = frozenset(
    {"ToTensor", "to_tensor", "ConvertImageDtype", "ToDtype", "img_as_float", "rgb2gray"})
WORDS: Final = frozenset({"Normalize", "Rescaling", "preprocess_input", "ImageDataGenerator"}
                         | {name.rpartition(".")[2] for name in APPLICATION_NAMES})
_KERAS_WORDS: Final = frozenset({"Rescaling", "preprocess_input", "ImageDataGenerator"})
# The application classes' common beginnings: one search each instead of one per class.
_APPLICATIONS_PREFIXES: Final = ("EfficientNet", "ConvNeXt", "MobileNetV3", "RegNet", "ResNetRS")
_TORCHVISION_TRANSFORMS: Final = re.compile(
    r"torchvision\.transforms|from[ \t]+torchvision[ \t]+import[^\n]*\btransforms\b")
_RESCALE: Final = frozenset({"rescale"})


def may_hold_steps(text: str) -> bool:
    """Whether the text can hold a finding on a scaling step: torchvision's `Normalize`; a
    division by 255 (or a generator's `rescale`) with a second one, a step that scales, or a
    model, application or `preprocess_input` that expects 0-255."""
    if "Normalize(" in text and _TORCHVISION_TRANSFORMS.search(text):
        return True
    if divided_again(text):
        return True
    divides = next(_dividends(text), None) is not None
    if divides and mentions(text, _SCALING_SOURCES):  # `ToTensor()(img) / 255`
        return True
    keras = "keras" in text and (divides or mentions(text, _RESCALE))
    return keras and (mentions(text, _KERAS_WORDS) or any(p in text for p in _APPLICATIONS_PREFIXES))
