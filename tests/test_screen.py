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
    "from tensorflow.keras.utils import normalize as n\nn(x)\n",
    "from tensorflow import keras\nkeras.utils.normalize(x)\n",
    "import tensorflow.keras as K\nK.utils.normalize(x)\n",
    "import tensorflow as tf\nK = tf.keras\nK.utils.normalize(x)\n",
    "from tensorflow.keras.utils import *\nnormalize(x)\n",
    "from sklearn.preprocessing import (\n    StandardScaler,\n    normalize,\n)\nnormalize(X)\n",
    "from keras.ops import (  # a comment (with brackets)\n    normalize,\n)\nnormalize(X)\n",
    # A docstring that looks like an import does not hide the call after it.
    '"""\nfrom keras.ops import (a,\n"""\nimport keras\nkeras.ops.normalize(y)\n',
    "from keras.ops import normalize as normalize; normalize(x)\n",
    "import torch.nn.functional as F\nF.normalize(x, dim=1)\n",
    "import tensorflow as tf\ntf.math.l2_normalize(x)\n",
    "from keras import layers\nlayers.Normalization(axis=-1)\n",
    "import tf_keras\ntf_keras.utils.normalize(x)\n",
])
def test_catalog_spellings_pass(text):
    assert screen.may_reach_catalog(text)


@pytest.mark.parametrize("text", [
    "from keras.src.ops.nn import normalize as normalize\n",  # a package re-exporting it
    "from sklearn.preprocessing import (\n    StandardScaler,  # scalers\n    normalize,\n)\n",
    "import tensorflow as tf\nfrom tensorflow.keras.utils import normalize\nx = tf.constant(1)\n",
])
def test_a_catalog_name_only_imported_is_not_called(text):
    assert not screen.may_reach_catalog(text)


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


def test_a_files_relevance_keeps_only_its_words_and_answers_as_with_all():
    """Narrowed to the words a file holds, the relevance gives every block of the file the
    answers the whole vocabulary gives."""
    import ast

    from normlint import catalog, parsing
    from normlint.inference.contracts import EVIDENCE_WORDS
    from normlint.lines import python_lines

    import random

    from test_sweep import package_roots

    library = sorted(p for root in package_roots() for p in root.rglob("*.py"))
    checked = 0
    for path in sorted(FIXTURES.rglob("*.py")) + random.Random(13).sample(library, 30):
        text = path.read_text(encoding="utf-8", errors="replace")
        tree = parsing.gate(text)
        if not isinstance(tree, ast.Module):
            continue
        narrow = screen.relevance(text, EVIDENCE_WORDS)
        assert all(word in text for word in narrow.calls | narrow.facts)
        everything = screen.Relevance(catalog.TERMINALS | {"adapt"} | narrow.calls, EVIDENCE_WORDS)
        lines = python_lines(text, keepends=True)
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                block = "".join(lines[node.lineno - 1 : node.end_lineno])
                for ask in ("holds_calls", "may_return_facts", "may_set_facts"):
                    assert getattr(narrow, ask)(block) == getattr(everything, ask)(block), path
                checked += 1
    assert checked > 100


def test_the_scale_function_is_found_as_the_whole_file_pattern_finds_it():
    """Trying the import pattern only at lines that hold `sklearn` finds what the pattern
    anchored at every line finds: on crafted lines and a seeded sample of library files."""
    import random
    import re

    from normlint.inference.estimators import _names_scale_function
    from test_sweep import package_roots

    everywhere = re.compile(r"preprocessing\.scale\(|^[ \t]*from[ \t]+sklearn[\w.]*[ \t]+"
                            r"import[^\n]*\bscale\b", re.MULTILINE)
    crafted = ["from sklearn.preprocessing import scale\n", "x = 1\n  from sklearn import scale",
               "from sklearn.preprocessing import (scale,\n minmax_scale)\n",
               "y = preprocessing.scale(X)\n", "from sklearn import scaled\n",
               "# from sklearn import scale\n", "from  sklearn.x  import  a, scale  # b\r\n"]
    library = sorted(p for root in package_roots() for p in root.rglob("*.py"))
    texts = crafted + [p.read_text(encoding="utf-8", errors="replace")
                       for p in random.Random(17).sample(library, 400)]
    found = [bool(everywhere.search(text)) for text in texts]
    assert [_names_scale_function(text) for text in texts] == found
    assert sum(found) >= 4
