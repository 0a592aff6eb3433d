"""What a model or layer constructor says about what the model takes: a Keras model's first
layer (`input_shape`, or a convolution's channels-last default), a torch `nn.Conv2d`'s channels.
Each function is an effect (see `effects`) that a contracts row names."""

from __future__ import annotations

from ..types import Argument, ArrayFact, ArrayKind, Confidence, Layout
from . import layouts
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
    first = layers.items[0] if isinstance(layers, Items) and layers.items else layers
    return Model(first.input if isinstance(first, Model) else None)


def functional(call: Call) -> Value:
    inputs = call.image
    return Model(inputs.input if isinstance(inputs, Model) else None)


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
