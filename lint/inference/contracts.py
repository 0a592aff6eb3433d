"""What each API returns, as data: one row per API, read by `evaluate` and by the docs.

A row names the API (every qualified spelling that reaches it), the parameter that is the image
(when there is one), a line for the docs saying what comes out, and the effect that computes it.
Adding an API is adding a row (and a fixture); `docs/supported-apis.md` is generated from this
table (`python -m normlint.inference.contracts > docs/supported-apis.md`).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Final

from . import effects, estimators, models, scaling, sources
from .effects import Effect


@dataclass(frozen=True, slots=True)
class Contract:
    """What one API returns."""

    names: tuple[str, ...]  # canonical qualified names (`tensorflow.`, not `tf.`)
    family: str  # the docs' section: "OpenCV", "NumPy", ...
    returns: str  # for the docs: what comes out
    effect: Effect
    image: tuple[str, int] | None = None  # the image parameter: name, position
    # The argument is an image whatever we knew of it (every OpenCV image function's is):
    # `cv2.resize(roi, (100, 50))` gives a (50, 100) image even when `roi` is a parameter.
    implies_image: bool = False


def _rows(family: str, names: str, returns: str, effect: Effect,
          image: tuple[str, int] | None = None) -> list[Contract]:
    """Several APIs that behave alike: `names` is space-separated, each becomes a row."""
    implies_image = family == "OpenCV" and image is not None
    return [Contract((name,), family, returns, effect, image, implies_image)
            for name in names.split()]


SRC = ("src", 0)
IMG = ("img", 0)
ARR = ("a", 0)
X = ("x", 0)
IMAGE = ("image", 0)
IMAGES = ("images", 0)


CONTRACTS: Final[tuple[Contract, ...]] = (
    # Keras and TensorFlow data sets
    *_rows("Data sets", "keras.datasets.mnist.load_data keras.datasets.fashion_mnist.load_data",
           "((x_train (60000, 28, 28) uint8, labels), (x_test (10000, 28, 28), labels))",
           sources.MNIST_LIKE),
    *_rows("Data sets", "keras.datasets.cifar10.load_data keras.datasets.cifar100.load_data",
           "((x_train (50000, 32, 32, 3) uint8, labels), (x_test, labels))", sources.CIFAR),
    *_rows("Data sets", "keras.datasets.imdb.load_data keras.datasets.reuters.load_data "
           "keras.datasets.boston_housing.load_data keras.datasets.california_housing.load_data",
           "not images", sources.keras_not_images),
    *_rows("Data sets", "torchvision.datasets.MNIST torchvision.datasets.FashionMNIST "
           "torchvision.datasets.KMNIST", "`.data` (N, 28, 28) uint8 tensor; items after "
           "`transform`", sources.TV_MNIST),
    *_rows("Data sets", "torchvision.datasets.QMNIST torchvision.datasets.EMNIST",
           "`.data` (N, 28, 28) uint8 tensor; items after `transform`",
           sources.torchvision((28, 28), effects.NHW, torch=True)),
    *_rows("Data sets", "torchvision.datasets.CIFAR10 torchvision.datasets.CIFAR100",
           "`.data` (N, 32, 32, 3) uint8 array; items after `transform`", sources.TV_CIFAR),
    *_rows("Data sets", "torchvision.datasets.ImageFolder", "items: an image after `transform`",
           sources.image_folder),
    *_rows("Data sets", "sklearn.datasets.load_digits", "`.images` (1797, 8, 8), `.data` "
           "(1797, 64), values 0-16", sources.sklearn_bunch((1797, 8, 8), (1797, 64), "float64", (0, 16))),
    *_rows("Data sets", "sklearn.datasets.fetch_olivetti_faces", "`.images` (400, 64, 64) in "
           "[0, 1]", sources.sklearn_bunch((400, 64, 64), (400, 4096), "float32", (0, 1))),
    *_rows("Data sets", "sklearn.datasets.fetch_lfw_people", "`.images` (N, 62, 47)",
           sources.sklearn_bunch((None, 62, 47), (None, 2914), "float32")),
    *_rows("Data sets", "sklearn.datasets.fetch_openml", "mnist_784, Fashion-MNIST, "
           "Kuzushiji-MNIST, CIFAR_10: flattened images (N, H*W) in [0, 255]; others: not "
           "images", sources.fetch_openml),
    *_rows("Data sets", "sklearn.datasets.load_iris sklearn.datasets.load_wine "
           "sklearn.datasets.load_breast_cancer sklearn.datasets.load_diabetes "
           "sklearn.datasets.fetch_california_housing", "not images",
           sources.sklearn_bunch(None, (None, None), "float64")),
    *_rows("Data sets", "numpy.load", "for `mnist.npz`: x_train (60000, 28, 28), x_test "
           "(10000, 28, 28) uint8 by key; other files: unknown", sources.np_load),
    *_rows("Data sets", "emnist.extract_training_samples emnist.extract_test_samples",
           "(images (N, 28, 28) uint8, labels)", sources.emnist),
    *_rows("Data sets", "tensorflow_datasets.load", "with `as_supervised=True`: (image "
           "(H, W, C) uint8, label) pairs", sources.tfds_load),
    *_rows("Data sets", "keras.utils.image_dataset_from_directory "
           "keras.preprocessing.image_dataset_from_directory", "batches of (N, H, W, C) "
           "float32 in [0, 255]", sources.keras_directory),
    *_rows("Data sets", "pandas.read_csv pandas.read_parquet numpy.loadtxt "
           "numpy.genfromtxt", "not images", sources.tabular),
    *_rows("Data sets", "pandas.DataFrame", "not images; one row when written so "
           "(`DataFrame([row])`, `index=[0]`)", estimators.frame, ("data", 0)),
    # Loaders
    *_rows("Loaders", "torch.utils.data.DataLoader", "iterating: batches of the data set's "
           "items (a batch axis in front)", effects.data_loader, ("dataset", 0)),
    *_rows("Loaders", "tensorflow.data.Dataset.from_tensor_slices", "one element per entry "
           "along the first axis", effects.tensor_slices, ("tensors", 0)),
    # Readers
    *_rows("Readers", "cv2.imread cv2.imdecode", "(H, W, 3) uint8 BGR; (H, W) with "
           "IMREAD_GRAYSCALE", sources.cv2_imread),
    *_rows("Readers", "PIL.Image.open", "a PIL image, gray or colour", sources.pil_open),
    *_rows("Readers", "imageio.imread imageio.v2.imread imageio.v3.imread pyplot.imread",
           "(H, W) or (H, W, C)", sources.gray_or_colour(None)),
    *_rows("Readers", "skimage.io.imread", "(H, W) or (H, W, C); floats in [0, 1] with "
           "as_gray=True", sources.gray_or_colour("as_gray")),
    *_rows("Readers", "keras.utils.load_img keras.preprocessing.image.load_img",
           "a PIL image of `target_size`", sources.keras_load_img),
    *_rows("Readers", "keras.utils.img_to_array keras.preprocessing.image.img_to_array",
           "(H, W, C) float32 in [0, 255]", sources.img_to_array, IMG),
    *_rows("Readers", "tensorflow.io.decode_png tensorflow.io.decode_jpeg "
           "tensorflow.io.decode_image tensorflow.image.decode_png tensorflow.image.decode_jpeg "
           "tensorflow.image.decode_image", "(H, W, channels) uint8", sources.tf_decode),
    *_rows("Readers", "torchvision.io.read_image torchvision.io.decode_image",
           "(C, H, W) uint8 tensor", sources.read_image),
    *_rows("Loaders", "keras.preprocessing.image.ImageDataGenerator", "a generator whose "
           "methods below have rows", sources.instance),
    *_rows("Loaders", "keras.preprocessing.image.ImageDataGenerator.flow_from_directory",
           "batches of (N, H, W, C) float32 (in [0, 1] with `rescale=1/255`)",
           sources.flow_from_directory),
    *_rows("Loaders", "keras.preprocessing.image.ImageDataGenerator.flow_from_dataframe",
           "batches of (N, H, W, C) float32 (in [0, 1] with `rescale=1/255`)",
           sources.flow_from_dataframe),
    *_rows("Loaders", "keras.preprocessing.image.ImageDataGenerator.flow", "batches of x",
           sources.flow, X),
    # OpenCV
    *_rows("OpenCV", "cv2.resize", "the image at `dsize` (width, height)",
           effects.resize("dsize", 1, width_first=True), SRC),
    *_rows("OpenCV", "cv2.warpAffine cv2.warpPerspective", "the image at `dsize` (width, "
           "height)", effects.resize("dsize", 2, width_first=True), SRC),
    *_rows("OpenCV", "cv2.cvtColor", "*2GRAY: (H, W); GRAY2*: (H, W, 3); else the same shape",
           effects.cv2_colour, SRC),
    *_rows("OpenCV", "cv2.GaussianBlur cv2.medianBlur cv2.blur cv2.bilateralFilter "
           "cv2.boxFilter cv2.filter2D cv2.erode cv2.dilate cv2.morphologyEx cv2.equalizeHist "
           "cv2.flip cv2.bitwise_not cv2.bitwise_and cv2.bitwise_or cv2.bitwise_xor cv2.add "
           "cv2.subtract cv2.absdiff cv2.addWeighted cv2.convertScaleAbs cv2.adaptiveThreshold "
           "cv2.fastNlMeansDenoising cv2.fastNlMeansDenoisingColored cv2.normalize cv2.LUT",
           "the same shape and dtype", effects.same, SRC),
    *_rows("OpenCV", "cv2.threshold", "(threshold, the image)", effects.threshold, SRC),
    *_rows("OpenCV", "cv2.Canny cv2.inRange", "(H, W) uint8", effects.one_channel, ("image", 0)),
    *_rows("OpenCV", "cv2.rotate cv2.copyMakeBorder cv2.pyrDown cv2.pyrUp", "the same layout, "
           "new sides", effects.changes_sides, SRC),
    *_rows("OpenCV", "cv2.split", "one (H, W) image per channel", effects.split_channels,
           ("m", 0)),
    *_rows("OpenCV", "cv2.merge", "(H, W, C): the channels stacked last",
           effects.merge_channels, ("mv", 0)),
    # PIL
    *_rows("PIL", "PIL.Image.fromarray", "a PIL image of the array", effects.pil_from_array,
           ("obj", 0)),
    *_rows("PIL", "PIL.ImageOps.grayscale", "a gray PIL image", sources.pil_gray, IMAGE),
    # scikit-image
    *_rows("scikit-image", "skimage.transform.resize", "(h, w[, C]) floats in [0, 1]",
           effects.resize("output_shape", 1, width_first=False, unit=True), IMAGE),
    *_rows("scikit-image", "skimage.transform.rotate skimage.transform.rescale "
           "skimage.util.img_as_float skimage.img_as_float", "floats in [0, 1]",
           effects.to_unit_float, IMAGE),
    *_rows("scikit-image", "skimage.color.rgb2gray", "(H, W) floats in [0, 1]",
           effects.to_gray(unit=True), IMAGE),
    *_rows("scikit-image", "skimage.color.gray2rgb", "(H, W, 3)", effects.gray_to_colour,
           IMAGE),
    # NumPy
    *_rows("NumPy", "numpy.array numpy.asarray numpy.asanyarray numpy.ascontiguousarray "
           "numpy.copy", "the array; a list of images is a batch; `[[...]]` one row",
           estimators.array_or_table, ARR),
    *_rows("NumPy", "numpy.float32 numpy.float64", "the array, floats", effects.cast("float32"), X),
    *_rows("NumPy", "numpy.uint8", "the array, uint8", effects.cast("uint8"), X),
    *_rows("NumPy", "numpy.invert numpy.bitwise_not numpy.flip numpy.fliplr numpy.flipud "
           "numpy.clip numpy.nan_to_num numpy.round numpy.around", "the same shape and range",
           effects.same, X),
    *_rows("NumPy", "numpy.abs numpy.absolute numpy.sqrt numpy.exp numpy.log numpy.log1p "
           "numpy.square numpy.negative numpy.subtract numpy.add numpy.multiply numpy.maximum "
           "numpy.minimum numpy.power", "the same shape; the range is no longer known",
           effects.arithmetic, X),
    *_rows("NumPy", "numpy.divide numpy.true_divide", "by 255: scaled to [0, 1]",
           effects.divide, X),
    *_rows("NumPy", "numpy.rot90", "the same layout, sides swapped", effects.changes_sides,
           ("m", 0)),
    *_rows("NumPy", "numpy.pad", "the same layout, new sides", effects.changes_sides,
           ("array", 0)),
    *_rows("NumPy", "numpy.stack tensorflow.stack torch.stack", "a batch: a new first axis",
           effects.stack, ("arrays", 0)),
    *_rows("NumPy", "numpy.concatenate numpy.vstack numpy.row_stack tensorflow.concat "
           "torch.cat torch.concatenate", "the parts' layout, count unknown",
           effects.concatenate, ("arrays", 0)),
    *_rows("NumPy", "numpy.reshape tensorflow.reshape torch.reshape", "the literal shape",
           effects.reshape, ARR),
    *_rows("NumPy", "numpy.expand_dims tensorflow.expand_dims torch.unsqueeze",
           "a new axis of size 1", effects.expand_dims, ARR),
    *_rows("NumPy", "numpy.transpose tensorflow.transpose torch.permute", "the axes reordered",
           effects.transpose, ARR),
    *_rows("NumPy", "numpy.moveaxis numpy.rollaxis numpy.swapaxes torch.movedim torch.swapaxes "
           "torch.transpose", "the axes reordered", effects.move_axis, ARR),
    *_rows("NumPy", "numpy.squeeze", "a size-1 channel axis dropped", effects.squeeze, ARR),
    *_rows("NumPy", "sklearn.model_selection.train_test_split", "each input twice (train, "
           "test), in its own layout", effects.split_data),
    # PyTorch and torchvision
    *_rows("PyTorch", "torch.from_numpy torch.tensor torch.as_tensor torch.Tensor "
           "torch.FloatTensor torch.clamp", "the same array, a tensor", effects.same_torch, ARR),
    *_rows("PyTorch", "torchvision.transforms.ToTensor torchvision.transforms.v2.ToTensor",
           "a transform to (C, H, W) float32 in [0, 1]", sources.to_tensor),
    *_rows("PyTorch", "torchvision.transforms.ConvertImageDtype", "a transform to floats in "
           "[0, 1]", sources.to_dtype(scales=True)),
    *_rows("PyTorch", "torchvision.transforms.v2.ToDtype", "a transform to `dtype`; to [0, 1] "
           "with `scale=True`", sources.to_dtype(scales=False)),
    *_rows("PyTorch", "torchvision.transforms.Normalize torchvision.transforms.v2.Normalize",
           "a transform to mean/std-normalized values (range unknown)", scaling.normalize),
    *_rows("PyTorch", "torchvision.transforms.Grayscale torchvision.transforms.v2.Grayscale",
           "a transform to `num_output_channels` channels", scaling.grayscale),
    *_rows("PyTorch", "torchvision.transforms.Lambda torchvision.transforms.v2.Lambda",
           "the function's transform (a division by 255 is read)", scaling.lambda_transform,
           ("lambd", 0)),
    *_rows("PyTorch", "torchvision.transforms.PILToTensor torchvision.transforms.v2.PILToTensor "
           "torchvision.transforms.v2.ToImage",
           "a transform to (C, H, W) uint8", sources.pil_to_tensor),
    *_rows("PyTorch", "torchvision.transforms.Compose torchvision.transforms.v2.Compose",
           "the steps in order", sources.compose, ("transforms", 0)),
    *_rows("PyTorch", "torchvision.transforms.Resize torchvision.transforms.CenterCrop "
           "torchvision.transforms.RandomCrop torchvision.transforms.RandomResizedCrop "
           "torchvision.transforms.RandomHorizontalFlip torchvision.transforms.RandomRotation",
           "a transform that keeps layout and range "
           "(sides may change)", sources.keeps("resize or crop")),
    *_rows("PyTorch", "torchvision.transforms.functional.to_tensor", "(C, H, W) float32 in "
           "[0, 1]", sources.tensor_now, ("pic", 0)),
    *_rows("PyTorch", "torch.nn.Conv2d", "a network taking (N, in_channels, H, W)",
           models.torch_conv2d),
    *_rows("PyTorch", "torch.nn.Sequential", "a network taking what its first layer takes",
           models.sequential, ("layers", 0)),
    # TensorFlow
    *_rows("TensorFlow", "tensorflow.convert_to_tensor tensorflow.constant tensorflow.cast "
           "tensorflow.Variable tensorflow.clip_by_value tensorflow.identity",
           "the same array, a tensor", effects.same, ("value", 0)),
    *_rows("TensorFlow", "tensorflow.image.resize", "(..., h, w, C) float32",
           effects.tf_resize, IMAGES),
    *_rows("TensorFlow", "tensorflow.image.rgb_to_grayscale", "one channel",
           effects.to_gray(), IMAGES),
    *_rows("TensorFlow", "tensorflow.image.grayscale_to_rgb", "three channels",
           effects.gray_to_colour, IMAGES),
    *_rows("TensorFlow", "tensorflow.image.convert_image_dtype", "floats in [0, 1]",
           effects.to_unit_float, IMAGE),
    *_rows("TensorFlow", "tensorflow.image.flip_left_right tensorflow.image.flip_up_down "
           "tensorflow.image.random_flip_left_right tensorflow.image.adjust_brightness "
           "tensorflow.image.adjust_contrast", "the same shape", effects.same, IMAGE),
    # Keras models
    *_rows("Keras models", "keras.Sequential keras.models.Sequential", "a model taking what "
           "its first layer takes", models.sequential, ("layers", 0)),
    *_rows("Keras models", "keras.Model keras.models.Model", "a model taking its `inputs`",
           models.functional, ("inputs", 0)),
    *_rows("Keras models", "keras.Input keras.layers.Input keras.layers.InputLayer",
           "the model input of `shape`", models.keras_input),
    *_rows("Keras models", "keras.layers.Conv2D keras.layers.Convolution2D "
           "keras.layers.SeparableConv2D keras.layers.DepthwiseConv2D", "as a first layer: "
           "(N, H, W, C) batches (`input_shape` when given)", models.keras_conv),
    *_rows("Keras models", "keras.layers.Flatten keras.layers.Dense keras.layers.Reshape "
           "keras.layers.MaxPooling2D", "as a first layer: its `input_shape`", models.keras_layer),
    *_rows("Keras models", "keras.layers.Rescaling keras.layers.experimental.preprocessing."
           "Rescaling", "a layer that divides by 255 inside the model (for `scale=1/255`)",
           models.rescaling),
    *_rows("Keras models", " ".join(scaling.APPLICATION_NAMES), "a model taking (N, H, W, 3) "
           "pixels in [0, 255]: it rescales inside", models.rescaling_application),
    # scikit-learn estimators
    *_rows("scikit-learn", " ".join(estimators.CLASSES), "an estimator: its fits are followed",
           estimators.construct),
)

BY_NAME: Final[dict[str, Contract]] = {name: row for row in CONTRACTS for name in row.names}

# A word that must stand in a file for a row to make images there, where the API's own name is
# too common to screen with: `np.load` makes images only from Keras's "mnist.npz", `tfds.load`
# needs its import, and OpenCV's image functions (`resize`, `split`, `normalize`) need `cv2`.
_EVIDENCE_OF: Final = {"numpy.load": "mnist", "tensorflow_datasets.load": "tensorflow_datasets"}


def _evidence(row: Contract) -> set[str]:
    if row.implies_image:
        return {row.names[0].partition(".")[0]}
    if row.family not in ("Data sets", "Readers"):
        return set()
    return {_EVIDENCE_OF.get(name, name.rpartition(".")[2]) for name in row.names}


# Words without which no array in a file can be known as images: the data sets and readers
# above, reshapes to image shapes, and the sinks (a model's input shape or convolutional first
# layer, imshow).
EVIDENCE_WORDS: Final = frozenset(
    {word for row in CONTRACTS for word in _evidence(row)}
    | {"reshape", "view", "input_shape", "Input", "InputLayer", "imshow", "Conv2D", "Conv2d",
       "SeparableConv2D", "DepthwiseConv2D", "Convolution2D", "flow_from_directory",
       "flow_from_dataframe"}
)


def supported_apis() -> str:
    """The docs' list of supported APIs, generated from the table."""
    lines = ["# APIs normlint follows", "",
             "Generated from `lint/inference/contracts.py`: what each call returns, as the "
             "inference sees it. Adding an API is adding a row there.", ""]
    family = None
    for row in CONTRACTS:
        if row.family != family:
            family = row.family
            lines += ["", f"## {family}", "", "| API | image argument | returns |",
                      "|---|---|---|"]
        image = f"`{row.image[0]}`" if row.image else ""
        lines.append(f"| `{row.names[0]}` | {image} | {row.returns} |")
    return "\n".join(lines).replace("\n\n\n", "\n\n") + "\n"


if __name__ == "__main__":
    sys.stdout.write(supported_apis())
