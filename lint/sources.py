"""What known data-set loaders and image readers return: the sources of every ArrayFact."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from .types import Layout
from .values import Array, CallArguments as Args, Items, Obj, PilImage, Ref, Value, images, not_images

Source = Callable[[Args, str, int], "Value | None"]

NHW, NHWC, HW, HWC, CHW, NF = (Layout.NHW, Layout.NHWC, Layout.HW, Layout.HWC, Layout.CHW,
                               Layout.NF)
GRAY_OR_COLOUR: Final = (HW, HWC)


def _labels(origin: str, line: int, count: int | None) -> Array:
    return not_images(f"{origin} (labels)", line, (count,))


def _keras_images(train: tuple, test: tuple, layout: Layout) -> Source:
    def load(args: Args, origin: str, line: int) -> Value:
        return Items((
            Items((images((layout,), train, "uint8", origin, line), _labels(origin, line, train[0]))),
            Items((images((layout,), test, "uint8", origin, line), _labels(origin, line, test[0]))),
        ))
    return load


def _keras_not_images(args: Args, origin: str, line: int) -> Value:
    data = not_images(origin, line)
    return Items((Items((data, data)), Items((data, data))))


def _torchvision(size: tuple[int, ...], layout: Layout, *, torch: bool, counts=(None, None)) -> Source:
    def load(args: Args, origin: str, line: int) -> Value:
        train = args.literal("train", 1, default=True)
        count = counts[0] if train is True else counts[1] if train is False else None
        data = images((layout,), (count, *size), "uint8", f"{origin}.data", line, torch=torch)
        return Obj((("data", data), ("targets", _labels(origin, line, count))))
    return load


def _sklearn_bunch(images_shape: tuple | None, data_shape: tuple, dtype: str,
                   value_range: tuple[float, float] | None = None) -> Source:
    def load(args: Args, origin: str, line: int) -> Value:
        count = data_shape[0]
        data: Array
        if images_shape is None:
            data = not_images(origin, line, data_shape)
        else:
            data = images((NF,), data_shape, dtype, f"{origin}.data", line, value_range=value_range)
        target = _labels(origin, line, count)
        if args.literal("return_X_y", None, default=False) is True:
            return Items((data, target))
        attrs: list[tuple[str, Value]] = [("data", data), ("target", target)]
        if images_shape is not None:
            attrs.append(("images", images((NHW,), images_shape, dtype, f"{origin}.images", line,
                                           value_range=value_range)))
        return Obj(tuple(attrs))
    return load


def _emnist(args: Args, origin: str, line: int) -> Value:
    return Items((images((NHW,), (None, 28, 28), "uint8", origin, line), _labels(origin, line, None)))


def _cv2_imread(args: Args, origin: str, line: int) -> Value:
    flag = args.value("flags", 1)
    literal = args.literal("flags", 1, default=1)
    if literal == 0 or flag == Ref("cv2.IMREAD_GRAYSCALE"):
        return images((HW,), (None, None), "uint8", origin, line)
    if literal == -1 or flag == Ref("cv2.IMREAD_UNCHANGED"):
        return images(GRAY_OR_COLOUR, None, "uint8", origin, line)
    return images((HWC,), (None, None, 3), "uint8", origin, line)


def _gray_or_colour(gray_keyword: str | None) -> Source:
    def read(args: Args, origin: str, line: int) -> Value:
        if gray_keyword and args.literal(gray_keyword, None, default=False) is True:
            return images((HW,), (None, None), "float64", origin, line)
        return images(GRAY_OR_COLOUR, None, None, origin, line)
    return read


def _pil_open(args: Args, origin: str, line: int) -> Value:
    return PilImage(images(GRAY_OR_COLOUR, None, "uint8", origin, line).fact)


def _keras_load_img(args: Args, origin: str, line: int) -> Value:
    size = args.literal("target_size", 2, default=None)
    height, width = size if isinstance(size, tuple) and len(size) == 2 else (None, None)
    if args.literal("color_mode", 1, default="rgb") == "grayscale":
        return PilImage(images((HW,), (height, width), "uint8", origin, line).fact)
    return PilImage(images((HWC,), (height, width, 3), "uint8", origin, line).fact)


def _img_to_array(args: Args, origin: str, line: int) -> Value | None:
    source = args.value("img", 0)
    if not isinstance(source, PilImage):
        return images((HWC,), None, "float32", origin, line)
    fact = source.fact
    if fact.layouts == (HW,) and fact.shape:
        return images((HWC,), (*fact.shape, 1), "float32", fact.origin, fact.origin_line)
    return images((HWC,), fact.shape if fact.layouts == (HWC,) else None, "float32",
                  fact.origin, fact.origin_line)


def _tf_decode(args: Args, origin: str, line: int) -> Value:
    channels = args.literal("channels", 1, default=0)
    count = channels if isinstance(channels, int) and channels > 0 else None
    return images((HWC,), (None, None, count), "uint8", origin, line)


def _read_image(args: Args, origin: str, line: int) -> Value:
    return images((CHW,), None, "uint8", origin, line, torch=True)


def _tabular(args: Args, origin: str, line: int) -> Value:
    return not_images(origin, line)


_MNIST_LIKE = _keras_images((60000, 28, 28), (10000, 28, 28), NHW)
_CIFAR = _keras_images((50000, 32, 32, 3), (10000, 32, 32, 3), NHWC)
_TV_MNIST = _torchvision((28, 28), NHW, torch=True, counts=(60000, 10000))

SOURCES: Final[dict[str, Source]] = {
    "keras.datasets.mnist.load_data": _MNIST_LIKE,
    "keras.datasets.fashion_mnist.load_data": _MNIST_LIKE,
    "keras.datasets.cifar10.load_data": _CIFAR,
    "keras.datasets.cifar100.load_data": _CIFAR,
    "keras.datasets.imdb.load_data": _keras_not_images,
    "keras.datasets.reuters.load_data": _keras_not_images,
    "keras.datasets.boston_housing.load_data": _keras_not_images,
    "keras.datasets.california_housing.load_data": _keras_not_images,
    "torchvision.datasets.MNIST": _TV_MNIST,
    "torchvision.datasets.FashionMNIST": _TV_MNIST,
    "torchvision.datasets.KMNIST": _TV_MNIST,
    "torchvision.datasets.QMNIST": _torchvision((28, 28), NHW, torch=True),
    "torchvision.datasets.EMNIST": _torchvision((28, 28), NHW, torch=True),
    "torchvision.datasets.CIFAR10": _torchvision((32, 32, 3), NHWC, torch=False,
                                                 counts=(50000, 10000)),
    "torchvision.datasets.CIFAR100": _torchvision((32, 32, 3), NHWC, torch=False,
                                                  counts=(50000, 10000)),
    "sklearn.datasets.load_digits": _sklearn_bunch((1797, 8, 8), (1797, 64), "float64", (0, 16)),
    "sklearn.datasets.fetch_olivetti_faces": _sklearn_bunch((400, 64, 64), (400, 4096), "float32", (0, 1)),
    "sklearn.datasets.fetch_lfw_people": _sklearn_bunch((None, 62, 47), (None, 2914), "float32"),
    "sklearn.datasets.load_iris": _sklearn_bunch(None, (150, 4), "float64"),
    "sklearn.datasets.load_wine": _sklearn_bunch(None, (178, 13), "float64"),
    "sklearn.datasets.load_breast_cancer": _sklearn_bunch(None, (569, 30), "float64"),
    "sklearn.datasets.load_diabetes": _sklearn_bunch(None, (442, 10), "float64"),
    "sklearn.datasets.fetch_california_housing": _sklearn_bunch(None, (20640, 8), "float64"),
    "emnist.extract_training_samples": _emnist,
    "emnist.extract_test_samples": _emnist,
    "cv2.imread": _cv2_imread,
    "PIL.Image.open": _pil_open,
    "imageio.imread": _gray_or_colour(None),
    "imageio.v2.imread": _gray_or_colour(None),
    "imageio.v3.imread": _gray_or_colour(None),
    "skimage.io.imread": _gray_or_colour("as_gray"),
    "pyplot.imread": _gray_or_colour(None),
    "keras.utils.load_img": _keras_load_img,
    "keras.preprocessing.image.load_img": _keras_load_img,
    "keras.utils.img_to_array": _img_to_array,
    "keras.preprocessing.image.img_to_array": _img_to_array,
    "tensorflow.io.decode_png": _tf_decode,
    "tensorflow.io.decode_jpeg": _tf_decode,
    "tensorflow.io.decode_image": _tf_decode,
    "tensorflow.image.decode_png": _tf_decode,
    "tensorflow.image.decode_jpeg": _tf_decode,
    "tensorflow.image.decode_image": _tf_decode,
    "torchvision.io.read_image": _read_image,
    "pandas.read_csv": _tabular,
    "pandas.read_parquet": _tabular,
    "pandas.DataFrame": _tabular,
    "numpy.loadtxt": _tabular,
    "numpy.genfromtxt": _tabular,
}

# Words without which no array in a file can be known as images: the loaders and readers
# above, reshapes to image shapes, and the sinks (a model's input shape, imshow).
EVIDENCE_WORDS: Final = frozenset(
    {name.rpartition(".")[2] for name in SOURCES}
    | {"reshape", "view", "input_shape", "Input", "InputLayer", "imshow"}
)
