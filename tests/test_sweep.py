"""No internal error on any real file: the installed TensorFlow, Keras, scikit-learn and PyTorch.

The full sweep runs every file through the screens, as a user's scan does; the deep sweep takes
a seeded sample and forces each file through libcst and the fact builder, screens or not.
"""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest

from conftest import settings
from normlint import api
from normlint.parsing import load_unit
from normlint.runner import analyse
from normlint.types import Confidence, FileError

PACKAGES = ("tensorflow", "keras", "sklearn", "torch")
DEEP_SAMPLE = 150
SEED = 11


def package_roots() -> list[Path]:
    roots = []
    for name in PACKAGES:
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.submodule_search_locations, f"{name} is a test dependency"
        roots.append(Path(list(spec.submodule_search_locations)[0]))
    return roots


@pytest.fixture(scope="module")
def python_files() -> list[Path]:
    return sorted(p for root in package_roots() for p in root.rglob("*.py"))


def test_every_file_is_checked_or_reported(python_files):
    results = list(api.check_paths([str(r) for r in package_roots()],
                                   settings(min_confidence=Confidence.LOW)))
    assert len(results) >= 0.9 * len(python_files)
    internal = [(r.path, r.error.reason) for r in results if r.error and r.error.internal]
    assert internal == []


def test_a_seeded_sample_survives_the_whole_pipeline(python_files):
    sample = random.Random(SEED).sample(python_files, DEEP_SAMPLE)
    config = settings(min_confidence=Confidence.LOW)
    for path in sample:
        unit = load_unit(str(path), path.read_bytes())
        if isinstance(unit, FileError):
            continue
        result = analyse(unit, config)  # no screens: libcst and the fact builder on everything
        assert result.error is None or not result.error.internal, (path, result.error)
