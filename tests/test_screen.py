"""The text screen lets through every file the CST pass can flag, and little else."""

from __future__ import annotations

import pytest

from conftest import FIXTURES
from normlint import screen
from normlint.inference import builder as facts
from normlint.parsing import parse
from normlint.inference import estimators, scaling
from normlint.types import EstimatorCall, NormCall, SourceUnit, StepCall

PROGRAMS = sorted(FIXTURES.rglob("*.py"))


SCREENS = {NormCall: screen.may_reach_catalog, EstimatorCall: estimators.may_hold_fits,
           StepCall: scaling.may_hold_steps}


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: p.name)
def test_screen_passes_every_file_with_a_finding(path):
    """The screen of each record kind lets through every file where a rule reading that
    kind finds something (at any confidence)."""
    from normlint.rules import RULES

    text = path.read_text(encoding="utf-8")
    calls = facts.build(parse(SourceUnit(str(path), text)), text)
    found = {type(call) for call in calls for rule in RULES
             if isinstance(call, rule.reads) and any(rule.check(call))}
    for kind in found:
        assert SCREENS[kind](text), kind.__name__


@pytest.mark.parametrize("text", [
    "import tensorflow as tf\ny = tf.keras.utils.normalize(x)\n",
    "from tensorflow.keras.utils import normalize as n\n",
    "from tensorflow import keras\nkeras.utils.normalize(x)\n",
    "import tensorflow.keras as K\nK.utils.normalize(x)\n",
    "import tensorflow as tf\nK = tf.keras\nK.utils.normalize(x)\n",
    "from tensorflow.keras.utils import *\nnormalize(x)\n",
    "from sklearn.preprocessing import (\n    StandardScaler,\n    normalize,\n)\n",
    "import torch.nn.functional as F\nF.normalize(x, dim=1)\n",
    "import tensorflow as tf\ntf.math.l2_normalize(x)\n",
    "from keras import layers\nlayers.Normalization(axis=-1)\n",
    "import tf_keras\ntf_keras.utils.normalize(x)\n",
])
def test_catalog_spellings_pass(text):
    assert screen.may_reach_catalog(text)


@pytest.mark.parametrize("text", [
    "def normalize(x):\n    return x\nnormalize(y)\n",
    "from .utils import normalize\nnormalize(x)\n",
    "import mylib as tf\ntf.keras.utils.normalize(x)\n",
    "import torchvision.transforms as T\nT.Normalize((0.5,), (0.5,))\n",
    "from torchvision.transforms.functional import normalize\nnormalize(x, [0.5], [0.5])\n",
    "import unicodedata\nunicodedata.normalize('NFC', s)\n",
    "import tensorflow as tf\nx = tf.keras.layers.BatchNormalization()\n",
])
def test_other_normalizes_are_screened_out(text):
    assert not screen.may_reach_catalog(text)
