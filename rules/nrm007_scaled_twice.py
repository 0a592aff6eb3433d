"""Flags pixels scaled to [0, 1] twice: divided by 255 again, or fed where 0-255 is expected.

## What it does
Checks for a second scaling of pixels that are already in [0, 1]:
- `x / 255` (or `x /= 255`) where `x` was divided by 255 before, or comes from `ToTensor()`;
- `transforms.Lambda(lambda x: x / 255)` after `ToTensor()` in a `Compose`;
- `preprocess_input(x)` of a Keras application that expects 0-255 (VGG, ResNet, MobileNet,
  Inception, DenseNet...) given `x / 255`;
- `ImageDataGenerator(rescale=1/255, preprocessing_function=preprocess_input)`: Keras applies
  `preprocessing_function` first, then `rescale`;
- data divided by 255 fed to a model that divides by 255 inside (a `Rescaling(1/255)` layer,
  or EfficientNet, EfficientNetV2, ConvNeXt, MobileNetV3, RegNet, ResNet-RS, whose
  `preprocess_input` passes values through).

## Why is this bad?
The second scaling squeezes every input into [0, 0.0039] (or ±0.004 after
`preprocess_input`). Training still runs: the first layer's weights grow to make up for it,
slowly, and a pretrained network sees near-black images, so fine-tuning starts from features
that mean nothing. Nothing fails and the accuracy is merely worse than it should be.

## Example
```python
(x_train, y_train), _ = keras.datasets.cifar10.load_data()
x_train = x_train / 255.0
base = keras.applications.EfficientNetB0(include_top=False)
model = keras.Sequential([base, keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(10)])
model.fit(x_train, y_train)
```

## Use instead
Scale once: leave the pixels in [0, 255] for a model that rescales inside (or for
`preprocess_input`), or drop the second division.

## Fix safety
For a second `x / 255`, the fix drops the division. It is unsafe: it changes the values the
program computes.

## What the verifier shows
The verifier runs both scalings on sample images (the real Keras `preprocess_input` or
`Rescaling` when installed) and reports the output range and its ratio to the intended one.

## Known problems
Pixels are known to be in [0, 1] only from a division by 255 (or a step that scales,
such as `ToTensor()`) that the inference follows; a division in another project module or
in a branch the walk did not take is not seen.

## References
- [Keras: `ImageDataGenerator`](https://keras.io/api/data_loading/image/)
- [Keras: EfficientNet `preprocess_input`](https://keras.io/api/applications/efficientnet/)
"""

from __future__ import annotations

from collections.abc import Iterator

from normlint.explain import record_finding, step_evidence
from normlint.inference.knowledge import preprocess_range
from normlint.types import (
    Confidence, Finding, Fix, FixSafety, Invalid, Rule, StepCall, StepKind, Valid,
)


def _already(call: StepCall) -> str:
    fact = call.array
    return f"already in [0, 1] (scaled by `{fact.scaled_by}`)" if fact and fact.scaled_by else \
        "already in [0, 1]"


def _message(call: StepCall) -> str | None:
    name = call.input_text or "its input"
    if call.kind is StepKind.DIVIDE:
        subject = f"`{name}`" if call.input_text else name
        return (f"`{call.text}` divides by 255 again: {subject} is {_already(call)}, so pixels "
                f"end up in [0, 0.0039]")
    if call.kind is StepKind.PREPROCESS:
        low, high = preprocess_range(call.function, 0, 1)
        want_low, want_high = preprocess_range(call.function, 0, 255)
        return (f"`{call.text}` expects pixels in [0, 255], but `{name}` is {_already(call)}: "
                f"the {call.function} preprocessing gives [{low:.3g}, {high:.3g}] instead of "
                f"[{want_low:.3g}, {want_high:.3g}]")
    if call.kind is StepKind.MODEL_RESCALES:
        return (f"`{call.text}` feeds pixels {_already(call)} to a model that divides by "
                f"{call.divisor:g} inside (`{call.function}`): it sees values in [0, 0.0039]")
    if call.kind is StepKind.GENERATOR:
        low, high = preprocess_range(call.function, 0, 255)
        divisor = call.divisor or 255.0
        return (f"`{call.text}` scales twice: Keras applies `preprocessing_function` first, so "
                f"the {call.function} `preprocess_input` output ([{low:.3g}, {high:.3g}]) is "
                f"divided by {divisor:g} again: inputs end up in [{low / divisor:.2g}, "
                f"{high / divisor:.2g}]")
    return None


_HELP = {
    StepKind.DIVIDE: "scale once: drop the second division by 255",
    StepKind.PREPROCESS: "give `preprocess_input` the pixels in [0, 255]: drop the division by 255",
    StepKind.MODEL_RESCALES: "the model rescales inside: feed it pixels in [0, 255]",
    StepKind.GENERATOR: "drop `rescale=...`: `preprocess_input` already scales the pixels",
}


def check(call: StepCall) -> Iterator[Finding]:
    message = _message(call)
    if message is None:  # a standardization: NRM008 and NRM009 read those
        return
    fact = call.array
    evidence = step_evidence(call)
    fix = Fix(call.without_step, FixSafety.UNSAFE, f"Replace with `{call.without_step}`") \
        if call.without_step else None
    yield record_finding(
        RULE, call,
        message=message,
        confidence=fact.confidence if fact else Confidence.HIGH,
        evidence=evidence,
        help=_HELP[call.kind],
        fix=fix,
    )


RULE = Rule(
    code="NRM007",
    name="scaled-twice",
    doc=__doc__,
    check=check,
    reads=StepCall,
    triggers=frozenset({"255", "escal", "preprocess_input"}),
    fix_safety=FixSafety.UNSAFE,
    valid=(
        Valid("""
from tensorflow import keras
(x_train, y_train), _ = keras.datasets.mnist.load_data()
x_train = x_train / 255.0
"""),
        Valid("""
from tensorflow import keras
(x_train, y_train), _ = keras.datasets.cifar10.load_data()
model = keras.Sequential([keras.layers.Rescaling(1.0 / 255), keras.layers.Conv2D(8, 3)])
model.fit(x_train, y_train)
"""),
        Valid("""
from tensorflow.keras.preprocessing.image import ImageDataGenerator
from tensorflow.keras.applications.vgg16 import preprocess_input
gen = ImageDataGenerator(preprocessing_function=preprocess_input)
"""),
    ),
    invalid=(
        Invalid("""
from tensorflow import keras
(x_train, y_train), _ = keras.datasets.mnist.load_data()
x_train = x_train / 255.0
x_train = x_train / 255.0
""", message="divides by 255 again", replacement="""
from tensorflow import keras
(x_train, y_train), _ = keras.datasets.mnist.load_data()
x_train = x_train / 255.0
x_train = x_train
"""),
        Invalid("""
from tensorflow.keras.preprocessing.image import ImageDataGenerator
from tensorflow.keras.applications.mobilenet_v2 import preprocess_input
gen = ImageDataGenerator(rescale=1.0 / 255, preprocessing_function=preprocess_input)
""", message="applies `preprocessing_function` first"),
        Invalid("""
from tensorflow import keras
(x_train, y_train), _ = keras.datasets.cifar10.load_data()
x_train = x_train.astype("float32") / 255
base = keras.applications.EfficientNetB0(include_top=False, input_shape=(32, 32, 3))
model = keras.Sequential([base, keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(10)])
model.fit(x_train, y_train, epochs=5)
""", message="divides by 255 inside"),
    ),
)
