"""Parsing less must not find less: libcst sees only the blocks that can matter (see
`parsing.sliced`), and every finding is the one a whole-file parse gives.

Compared on the fixtures, on the benchmark's synthetic ML tree (seeded) and on a seeded sample
of the installed TensorFlow, Keras, scikit-learn and PyTorch files that call a catalog API, at
low confidence so that the weakest evidence counts too.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, settings
from normlint import parsing
from normlint.lines import python_lines
from normlint.parsing import load_unit
from normlint.runner import analyse
from normlint.types import Confidence, FileError
from test_sweep import package_roots

SAMPLE = 80
SEED = 5


def findings(unit, config) -> list[tuple]:
    result = analyse(unit, config)
    assert result.error is None or not result.error.internal, result.error
    return [(f.span, f.code, f.message, f.confidence, f.fix) for f in result.findings]


def _nothing_taken_out(text, tree, relevance):
    return parsing.Slice(text, [], frozenset())


def assert_same_as_whole_file(paths: list[Path], monkeypatch) -> int:
    config = settings(min_confidence=Confidence.LOW)
    units = [u for p in paths if not isinstance(u := load_unit(str(p), p.read_bytes()), FileError)]
    sliced = [findings(unit, config) for unit in units]
    with monkeypatch.context() as patch:
        patch.setattr(parsing, "sliced", _nothing_taken_out)
        whole = [findings(unit, config) for unit in units]
    for unit, got, want in zip(units, sliced, whole, strict=True):
        assert got == want, unit.path
    return sum(len(w) for w in whole)


def test_fixtures(monkeypatch):
    paths = sorted([*FIXTURES.rglob("*.py"), *FIXTURES.rglob("*.ipynb")])
    assert assert_same_as_whole_file(paths, monkeypatch) > 50  # the fixtures are full of them


def test_synthetic_ml_tree(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from bench import make_ml_tree
    finally:
        sys.path.remove(str(ROOT / "bench"))
    make_ml_tree(tmp_path, count=120)
    paths = sorted([*tmp_path.rglob("*.py"), *tmp_path.rglob("*.ipynb")])
    assert assert_same_as_whole_file(paths, monkeypatch) > 50


def test_library_files_that_call_a_catalog_api(monkeypatch):
    words = (b"normalize(", b"Normalization(")
    calling = [p for root in package_roots() for p in sorted(root.rglob("*.py"))
               if any(w in p.read_bytes() for w in words)]
    assert len(calling) > SAMPLE
    sample = random.Random(SEED).sample(calling, SAMPLE)
    assert_same_as_whole_file(sample, monkeypatch)


@pytest.mark.parametrize("source", [
    # A module function that returns a fact is parsed when it is used, wherever that is.
    "import numpy as np\nimport tensorflow as tf\n\ndef load(p):\n    x = np.load(p)\n"
    "    return x.reshape(-1, 28, 28)\n\nclass A:\n    def f(self):\n"
    "        return tf.keras.utils.normalize(load('a.npy'), axis=1)\n",
    # One that no kept code names is not.
    "import numpy as np\n\ndef load(p):\n    x = np.load(p)\n    return x.reshape(-1, 28, 28)\n",
])
def test_demand(source):
    from normlint.screen import relevance
    from normlint.inference.contracts import EVIDENCE_WORDS

    tree = parsing.gate(source)
    sliced = parsing.without_irrelevant_blocks(source, tree, relevance(source, EVIDENCE_WORDS))
    assert ("x = np.load(p)" in sliced) is ("normalize" in source)
    assert len(sliced.splitlines()) == len(source.splitlines())


def test_a_form_feed_does_not_shift_the_blocks_taken_out():
    from normlint.inference.contracts import EVIDENCE_WORDS
    from normlint.screen import relevance

    source = ("import tensorflow as tf\n\x0c\ndef helper(values):\n    total = 0\n"
              "    return total\n\nx = tf.keras.utils.normalize(images, axis=1)\n")
    tree = parsing.gate(source)
    sliced = parsing.without_irrelevant_blocks(source, tree, relevance(source, EVIDENCE_WORDS))
    assert python_lines(sliced)[6] == "x = tf.keras.utils.normalize(images, axis=1)"
    assert "total" not in sliced
