"""The contracts table: well-formed rows, generated docs in sync, and effects that are right."""

from __future__ import annotations

import pytest

import libcst as cst

from conftest import ROOT
from normlint.inference import builder
from normlint.inference.contracts import BY_NAME, CONTRACTS, Contract, supported_apis
from normlint.inference.values import images
from normlint.names import canonical
from normlint.types import Layout, NormCall


def test_every_row_is_spelled_canonically_and_once():
    names = [name for row in CONTRACTS for name in row.names]
    assert len(names) == len(set(names))
    assert [n for n in names if canonical(n) != n] == []


def test_the_docs_list_is_generated_from_the_table():
    committed = (ROOT / "docs" / "supported-apis.md").read_text(encoding="utf-8")
    assert committed == supported_apis(), \
        "run: python -m normlint.inference.contracts > docs/supported-apis.md"


def fact_of(code: str, name: str = "result"):
    """The fact the inference holds for `name` after `code`, read from a normalize call."""
    text = f"import tensorflow as tf\n{code}\ny = tf.math.l2_normalize({name}, axis=0)\n"
    calls = builder.build(cst.parse_module(text), text)
    return [call for call in calls if isinstance(call, NormCall)][-1].array


@pytest.mark.parametrize(("code", "layouts", "shape"), [
    ("import cv2\nresult = cv2.resize(cv2.imread('a.png', 0), (100, 50))", (Layout.HW,), (50, 100)),
    ("import cv2\nresult = cv2.cvtColor(cv2.imread('a.png'), cv2.COLOR_BGR2GRAY)", (Layout.HW,), (None, None)),
    ("import cv2\nresult = cv2.merge(cv2.split(cv2.imread('a.png')))", (Layout.HWC,),
     (None, None, None)),
    ("import cv2\n_, result = cv2.threshold(cv2.imread('a.png', 0), 127, 255, 0)", (Layout.HW,), (None, None)),
    ("import numpy as np\nimport cv2\nresult = np.moveaxis(np.stack([cv2.imread('a.png')]), -1, 1)",
     (Layout.NCHW,), (1, 3, None, None)),
    ("from skimage import transform, io\nresult = transform.resize(io.imread('a.png', as_gray=True), (64, 32))",
     (Layout.HW,), (64, 32)),
    ("from tensorflow.keras.datasets import mnist\n(x, _), _ = mnist.load_data()\n"
     "result = tf.image.resize(x[..., None], (32, 32))", (Layout.NHWC,), (60000, 32, 32, 1)),
])
def test_effects(code, layouts, shape):
    fact = fact_of(code)
    assert fact.layouts == layouts and fact.shape == shape


def test_value_ranges_follow_the_calls():
    assert fact_of("from skimage import io, color\nresult = color.rgb2gray(io.imread('a.png'))").value_range == (0, 1)
    assert fact_of("import cv2\nresult = cv2.imread('a.png')").value_range == (0, 255)
    assert fact_of("import cv2\nresult = cv2.imread('a.png') / 255.0").value_range == (0, 1)
    tensor = ("from torchvision import datasets, transforms\n"
              "ds = datasets.MNIST('d', transform=transforms.Compose([transforms.ToTensor()]))\n"
              "result, label = ds[0]")
    fact = fact_of(tensor)
    assert fact.layouts == (Layout.CHW,) and fact.shape == (1, 28, 28) and fact.value_range == (0, 1)
    standardized = tensor.replace("transforms.ToTensor()]", "transforms.ToTensor(), "
                                  "transforms.Normalize((0.5,), (0.5,))]")
    assert fact_of(standardized).value_range is None  # mean/std: no longer in [0, 1]
    unknown_step = tensor.replace("transforms.ToTensor()]", "transforms.ToTensor(), lambda t: t]")
    assert fact_of(unknown_step).value_range is None


@pytest.mark.parametrize(("transform", "value_range"), [
    ("transforms.PILToTensor(), transforms.ConvertImageDtype(torch.float)", (0, 1)),
    ("transforms.PILToTensor(), transforms.v2.ToDtype(torch.float32, scale=True)", (0, 1)),
    ("transforms.PILToTensor(), transforms.v2.ToDtype(torch.float32)", (0, 255)),
])
def test_dtype_transforms(transform, value_range):
    code = ("import torch\nfrom torchvision import datasets, transforms\n"
            f"ds = datasets.MNIST('d', transform=transforms.Compose([{transform}]))\n"
            "result, label = ds[0]")
    assert fact_of(code).value_range == value_range


def test_a_new_row_is_all_it_takes(monkeypatch):
    """Adding an API is one row: the inference reads it with nothing else changed."""
    row = Contract(("mylib.load_faces",), "Data sets", "faces", lambda call: images(
        (Layout.NHW,), (None, 48, 48), "uint8", call.origin, call.line))
    monkeypatch.setitem(BY_NAME, "mylib.load_faces", row)
    fact = fact_of("import mylib\nresult = mylib.load_faces()")
    assert fact.layouts == (Layout.NHW,) and fact.shape == (None, 48, 48)


@pytest.mark.parametrize(("code", "shape"), [
    ("(x, _), _ = tf.keras.datasets.mnist.load_data()\nresult = x[:, ::2, ::2]", (60000, 14, 14)),
    ("(x, _), _ = tf.keras.datasets.mnist.load_data()\nresult = x[:100, 4:24, 4:24]", (100, 20, 20)),
    ("import numpy as np\n(x, _), (t, _) = tf.keras.datasets.mnist.load_data()\n"
     "result = np.concatenate([x, t])", (70000, 28, 28)),
    ("import numpy as np\n(x, _), _ = tf.keras.datasets.mnist.load_data()\n"
     "result = np.concatenate([x, np.load('more.npy')])", (None, 28, 28)),
])
def test_exact_shapes(code, shape):
    assert fact_of(code).shape == shape


def test_a_torchvision_transform_passed_by_position():
    code = ("from torchvision import datasets, transforms\n"
            "ds = datasets.MNIST('d', True, transforms.ToTensor())\nresult, label = ds[0]")
    fact = fact_of(code)
    assert fact.layouts == (Layout.CHW,) and fact.value_range == (0, 1)
