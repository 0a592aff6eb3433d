"""What a model or layer constructor says about what the model takes: a Keras model's first
layer (`input_shape`, or a convolution's channels-last default), a torch `nn.Conv2d`'s channels.
Each function is an effect (see `effects`) that a contracts row names."""

from __future__ import annotations

from ..types import Argument, ArrayFact, ArrayKind, Confidence, Layout, StepKind
from . import layouts, scaling
from .effects import NF, NHWC, Call, ints_of
from .values import Items, Model, Value


def keras_layer(call: Call) -> Value:
    """A Keras layer; as a model's first layer, its `input_shape` (or a convolution's channels-
    last default) is what the model takes."""
    fact = model_input(call.args.literal("input_shape", None),
                               "the model's input shape", call.line)
    return Model(fact)


def keras_conv(call: Call) -> Value:
    model = keras_layer(call)
    if model.input is not None:
        return model
    channels_first = call.args.literal("data_format", None) == "channels_first"
    layout = Layout.NCHW if channels_first else NHWC
    return Model(ArrayFact(ArrayKind.IMAGES, (layout,), origin="the model's convolutional input",
                           origin_line=call.line, confidence=Confidence.MEDIUM))


def keras_input(call: Call) -> Value:
    fact = model_input(call.args.literal("shape", 0), "the model's input shape",
                               call.line)
    return Model(fact)


def sequential(call: Call) -> Value:
    """Keras takes a list of layers, PyTorch the layers themselves."""
    layers = call.image
    every = layers.items if isinstance(layers, Items) else (layers,)
    first = every[0] if every else None
    rescales = next((layer.rescales for layer in every
                     if isinstance(layer, Model) and layer.rescales), None)
    return Model(first.input if isinstance(first, Model) else None, rescales)


def functional(call: Call) -> Value:
    """`keras.Model(inputs, outputs)`: it takes its inputs, and rescales when the graph
    from them to its outputs does."""
    inputs, outputs = call.image, call.args.value("outputs", 1)
    rescales = outputs.rescales if isinstance(outputs, Model) else None
    return Model(inputs.input if isinstance(inputs, Model) else None, rescales)


def rescaling(call: Call) -> Value:
    """`Rescaling(1/255)`: a first layer that divides pixels by 255 inside the model."""
    layer = keras_layer(call)
    peak = scaling.peak_of_scale(call.args.literal("scale", 0))
    if peak is None:
        return layer
    return Model(layer.input, scaling.step(StepKind.MODEL_RESCALES, call, divisor=peak))


def rescaling_application(call: Call) -> Value:
    """`EfficientNetB0(...)` and the other applications that rescale inside: (N, H, W, 3)
    pixels in [0, 255], unless built with `include_preprocessing=False`."""
    shape = call.args.literal("input_shape", None)
    fact = model_input(shape, "the model's input shape", call.line) or ArrayFact(
        ArrayKind.IMAGES, (NHWC,), (None, None, None, 3), origin="the application's input",
        origin_line=call.line, confidence=Confidence.MEDIUM)
    if call.args.literal("include_preprocessing", None, default=True) is False:
        return Model(fact)
    name = call.name.rpartition(".")[2]
    return Model(fact, scaling.step(StepKind.MODEL_RESCALES, call, divisor=255.0,
                                    function=name))


def applied(model: Model, given: Value | None) -> Value | None:
    """A Keras layer or model called on a symbolic tensor (`base(inputs)`): the graph so far
    takes what the tensor's input takes, and rescales if either part does."""
    if not isinstance(given, Model):
        return None
    return Model(given.input, given.rescales or model.rescales)


def torch_conv2d(call: Call) -> Value:
    """`nn.Conv2d(in_channels, ...)`: (N, in_channels, H, W) batches."""
    channels = call.args.literal("in_channels", 0)
    count = channels if isinstance(channels, int) else None
    return Model(ArrayFact(ArrayKind.IMAGES, (Layout.NCHW,), (None, count, None, None),
                           origin=f"the network's first layer {call.origin}",
                           origin_line=call.line, confidence=Confidence.MEDIUM, torch=True))


def model_input(shape: Argument, origin: str, line: int) -> ArrayFact | None:
    """A model's input from its declared per-sample shape, when that shape is an image's."""
    if ints_of(shape) is None:
        return None
    layout = layouts.image_layout((-1, *shape), batched=True)  # type: ignore[misc]
    if layout is None or layout is NF:
        return None
    return ArrayFact(ArrayKind.IMAGES, (layout,), (None, *shape), origin=origin,  # type: ignore[misc]
                     origin_line=line, confidence=Confidence.MEDIUM)
