"""What data enters a program as: data sets, readers, and the transforms a data set applies
to its items. Each function is an effect (see `effects`) that a contracts row names."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Final

from ..types import Layout
from . import effects
from .effects import (
    CHW, GRAY_OR_COLOUR, HW, HWC, NF, NHW, NHWC, UNIT, Call, Effect, as_array, tensor_of,
    transformed_item,
)
from .scaling import next_fact
from .values import (
    Array, Items, ListOf, Obj, PilImage, Ref, Transform, Value, images, not_images, with_fact,
)


def _labels(call: Call, count: int | None) -> Array:
    return not_images(f"{call.origin} (labels)", call.line, (count,))


def keras_images(train: tuple, test: tuple, layout: Layout) -> Effect:
    def load(call: Call) -> Value:
        return Items((
            Items((images((layout,), train, "uint8", call.origin, call.line),
                   _labels(call, train[0]))),
            Items((images((layout,), test, "uint8", call.origin, call.line),
                   _labels(call, test[0]))),
        ))
    return load


def keras_not_images(call: Call) -> Value:
    data = not_images(call.origin, call.line)
    return Items((Items((data, data)), Items((data, data))))


def torchvision(size: tuple[int, ...], layout: Layout, *, torch: bool, counts=(None, None)) -> Effect:
    """A torchvision data set: `.data` holds every image; an item is the image after the set's
    `transform` (a PIL image without one) and its label."""
    def load(call: Call) -> Value:
        train = call.args.literal("train", 1, default=True)
        count = counts[0] if train is True else counts[1] if train is False else None
        data = images((layout,), (count, *size), "uint8", f"{call.origin}.data", call.line,
                      torch=torch)
        one = images((Layout(layout.value[1:]),), size, "uint8", call.origin, call.line).fact
        label = not_images(f"{call.origin} (label)", call.line, ())
        # MNIST(root, train=True, transform=None, ...): the transform is the third argument
        transform = call.args.value("transform", 2)
        item = transformed_item(transform, one, label)
        return Obj((("data", data), ("targets", _labels(call, count))), item, one,
                   transform if isinstance(transform, Transform) else None)
    return load


def image_folder(call: Call) -> Value:
    one = images(GRAY_OR_COLOUR, None, "uint8", call.origin, call.line).fact
    label = not_images(f"{call.origin} (label)", call.line, ())
    transform = call.args.value("transform", 1)
    return Obj((), transformed_item(transform, one, label), one,
               transform if isinstance(transform, Transform) else None)


def sklearn_bunch(images_shape: tuple | None, data_shape: tuple, dtype: str,
                   value_range: tuple[float, float] | None = None) -> Effect:
    def load(call: Call) -> Value:
        count = data_shape[0]
        data: Array
        if images_shape is None:
            data = not_images(call.origin, call.line, data_shape)
        else:
            data = images((NF,), data_shape, dtype, f"{call.origin}.data", call.line,
                          value_range=value_range)
        target = _labels(call, count)
        if call.args.literal("return_X_y", None, default=False) is True:
            return Items((data, target))
        attrs: list[tuple[str, Value]] = [("data", data), ("target", target)]
        if images_shape is not None:
            attrs.append(("images", images((NHW,), images_shape, dtype, f"{call.origin}.images",
                                           call.line, value_range=value_range)))
        return Obj(tuple(attrs))
    return load


# OpenML data sets of flattened images, by name: (pixels per image, count).
_OPENML_IMAGES: Final = {"mnist_784": (784, 70000), "fashion-mnist": (784, 70000),
                         "kuzushiji-mnist": (784, 70000), "cifar_10": (3072, 60000)}


def fetch_openml(call: Call) -> Value | None:
    name = call.args.literal("name", 0)
    found = _OPENML_IMAGES.get(name.lower()) if isinstance(name, str) else None
    if found is None:
        return sklearn_bunch(None, (None, None), "float64")(call)
    pixels, count = found
    return sklearn_bunch((count, None, None), (count, pixels), "float64", (0, 255))(call)


def np_load(call: Call) -> Value | None:
    """`np.load("mnist.npz")`: Keras's own MNIST archive holds x_train, y_train, x_test, y_test.
    Any other file tells nothing by itself."""
    path = call.args.literal("file", 0)
    if not isinstance(path, str) or not re.search(r"(?:^|[/_\\-])mnist\.npz$", path, re.I):
        return None
    train, test = MNIST_LIKE(call).items  # type: ignore[union-attr]
    return Obj((("x_train", train.items[0]), ("y_train", train.items[1]),
                ("x_test", test.items[0]), ("y_test", test.items[1])))


def emnist(call: Call) -> Value:
    return Items((images((NHW,), (None, 28, 28), "uint8", call.origin, call.line),
                  _labels(call, None)))


def tfds_load(call: Call) -> Value | None:
    """`tfds.load("mnist", split=..., as_supervised=True)`: (image, label) pairs, or a list
    of such data sets for a list of splits."""
    name = call.args.literal("name", 0)
    if call.args.literal("as_supervised", None, default=False) is not True or \
            not isinstance(name, str):
        return None
    sides = {"mnist": (28, 28, 1), "fashion_mnist": (28, 28, 1), "kmnist": (28, 28, 1),
             "emnist": (28, 28, 1), "cifar10": (32, 32, 3), "cifar100": (32, 32, 3)}
    shape = sides.get(name.partition("/")[0], (None, None, None))
    label = not_images(f"{call.origin} (label)", call.line, ())
    data = ListOf(Items((images((HWC,), shape, "uint8", call.origin, call.line), label)))
    split = call.args.literal("split", 1)
    return Items(tuple(data for _ in split)) if isinstance(split, tuple) else data


def cv2_imread(call: Call) -> Value:
    flag = call.args.value("flags", 1)
    literal = call.args.literal("flags", 1, default=1)
    if literal == 0 or flag == Ref("cv2.IMREAD_GRAYSCALE"):
        return images((HW,), (None, None), "uint8", call.origin, call.line)
    if literal == -1 or flag == Ref("cv2.IMREAD_UNCHANGED"):
        return images(GRAY_OR_COLOUR, None, "uint8", call.origin, call.line)
    return images((HWC,), (None, None, 3), "uint8", call.origin, call.line)


def gray_or_colour(gray_keyword: str | None) -> Effect:
    def read(call: Call) -> Value:
        if gray_keyword and call.args.literal(gray_keyword, None, default=False) is True:
            return images((HW,), (None, None), "float64", call.origin, call.line,
                          value_range=UNIT)
        return images(GRAY_OR_COLOUR, None, None, call.origin, call.line)
    return read


def pil_open(call: Call) -> Value:
    return PilImage(images(GRAY_OR_COLOUR, None, "uint8", call.origin, call.line).fact)


def keras_load_img(call: Call) -> Value:
    size = call.args.literal("target_size", 2, default=None)
    height, width = size if isinstance(size, tuple) and len(size) == 2 else (None, None)
    if call.args.literal("color_mode", 1, default="rgb") == "grayscale":
        return PilImage(images((HW,), (height, width), "uint8", call.origin, call.line).fact)
    return PilImage(images((HWC,), (height, width, 3), "uint8", call.origin, call.line).fact)


def img_to_array(call: Call) -> Value | None:
    source = call.image
    if not isinstance(source, PilImage):
        return images((HWC,), None, "float32", call.origin, call.line)
    fact = source.fact
    if fact.layouts == (HW,) and fact.shape:
        return images((HWC,), (*fact.shape, 1), "float32", fact.origin, fact.origin_line,
                      value_range=(0, 255))
    return images((HWC,), fact.shape if fact.layouts == (HWC,) else None, "float32",
                  fact.origin, fact.origin_line, value_range=(0, 255))


def directory_batches(size: tuple[str, int | None], mode: tuple[str, int | None],
                       value_range: tuple[float, float] | None) -> Effect:
    """Batches of (N, H, W, C) float32 images read from a folder, with their labels."""
    def read(call: Call) -> Value:
        height, width = effects.size_of(call.args.literal(*size, default=(256, 256)))
        colour = call.args.literal(*mode, default="rgb")
        channels = {"grayscale": 1, "rgb": 3, "rgba": 4}.get(colour) \
            if isinstance(colour, str) else None
        batch = images((NHWC,), (None, height, width, channels), "float32", call.origin,
                       call.line, value_range=value_range)
        return ListOf(Items((_rescaled(batch, call), not_images(f"{call.origin} (labels)",
                                                                 call.line))))
    return read


# `image_dataset_from_directory` keeps pixel values; a generator's depend on its `rescale`.
keras_directory = directory_batches(("image_size", None), ("color_mode", None), (0, 255))
flow_from_directory = directory_batches(("target_size", 1), ("color_mode", 2), None)
flow_from_dataframe = directory_batches(("target_size", 5), ("color_mode", 6), None)


def flow(call: Call) -> Value | None:
    """`generator.flow(x, y, batch_size=...)`: batches of x (the range depends on `rescale`)."""
    array = as_array(call.image)
    if array is None:
        return None
    batch = with_fact(array, shape=array.fact.shape and (None, *array.fact.shape[1:]),
                      dtype="float32", value_range=None, scaled=False, scaled_by="")
    return ListOf(Items((_rescaled(batch, call), None)))


def tf_decode(call: Call) -> Value:
    channels = call.args.literal("channels", 1, default=0)
    count = channels if isinstance(channels, int) and channels > 0 else None
    return images((HWC,), (None, None, count), "uint8", call.origin, call.line)


def read_image(call: Call) -> Value:
    return images((CHW,), None, "uint8", call.origin, call.line, torch=True)


def tabular(call: Call) -> Value:
    return not_images(call.origin, call.line)


def to_tensor(call: Call) -> Value:
    def result(fact):
        tensor = tensor_of(fact)
        return tensor and replace(tensor, scaled_by=call.text or "ToTensor()")
    return Transform("ToTensor", result)


def pil_to_tensor(call: Call) -> Value:
    def result(fact):
        tensor = tensor_of(fact)
        return tensor and with_fact(Array(tensor), dtype="uint8", value_range=(0, 255),
                                    scaled=False).fact
    return Transform("PILToTensor", result)


def compose(call: Call) -> Value | None:
    """`Compose([...])`: the steps one after the other. A step we do not know (a lambda, a
    class of the project) keeps the layout but makes the range unknown."""
    steps = call.image
    if not isinstance(steps, Items) or not any(isinstance(s, Transform) for s in steps.items):
        return None

    def result(fact):
        for step in steps.items:
            if fact is None:
                return None
            fact = next_fact(step, fact)
        return fact
    return Transform("Compose", result, parts=steps.items)


def to_dtype(*, scales: bool) -> Effect:
    """`v2.ToDtype(torch.float32, scale=True)` and `ConvertImageDtype(torch.float)` map 8-bit
    pixels to [0, 1]; `ToDtype` without `scale` only casts (the values stay in [0, 255])."""
    def effect(call: Call) -> Value:
        scale = scales or call.args.literal("scale", 1, default=False) is True
        if scale:
            return Transform("ToDtype", lambda fact: replace(
                fact, dtype="float32", value_range=UNIT, scaled=True,
                scaled_by=call.text or call.origin))
        return Transform("ToDtype", lambda fact: replace(fact, dtype="float32"))
    return effect


def tensor_now(call: Call) -> Value | None:
    array = as_array(call.image)
    fact = tensor_of(array.fact) if array else None
    return Array(fact) if fact else None


def pil_gray(call: Call) -> Value | None:
    image = call.image
    return PilImage(replace(image.fact, layouts=(HW,), shape=None)) \
        if isinstance(image, PilImage) else None


def instance(call: Call) -> Value:
    """An object whose methods have rows of their own (`ImageDataGenerator(...)`), named by
    its class so that `generator.flow_from_directory` finds its row; a generator that
    rescales by 1/255 makes batches in [0, 1]."""
    rescale = call.args.literal("rescale", None)
    scales = isinstance(rescale, float) and 0.0039 <= rescale <= 0.004
    return Ref(call.name, call.text or call.origin if scales else "")


def _rescaled(batch: Array, call: Call) -> Array:
    """Batches of a generator that rescales (`call.receiver`): in [0, 1]."""
    by = call.receiver.scaled_by if isinstance(call.receiver, Ref) else ""
    return with_fact(batch, value_range=UNIT, scaled=True, scaled_by=by) if by else batch


def keeps(name: str) -> Effect:
    return lambda call: Transform(name, lambda fact: fact)



MNIST_LIKE = keras_images((60000, 28, 28), (10000, 28, 28), NHW)
CIFAR = keras_images((50000, 32, 32, 3), (10000, 32, 32, 3), NHWC)
TV_MNIST = torchvision((28, 28), NHW, torch=True, counts=(60000, 10000))
TV_CIFAR = torchvision((32, 32, 3), NHWC, torch=False, counts=(50000, 10000))
