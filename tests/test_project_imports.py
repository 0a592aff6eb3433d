"""Functions imported from the project's own modules: summaries, and the cache that follows them."""

from __future__ import annotations

from conftest import run_cli

HELPER = """\
import glob

import cv2
import numpy as np


def load_images(folder):
    images = [cv2.imread(p, cv2.IMREAD_GRAYSCALE) for p in glob.glob(folder + "/*.png")]
    return np.array(images)
"""
TABLE_HELPER = """\
import pandas as pd


def load_images(path):
    return pd.read_csv(path).values
"""
PACKAGE_USER = """\
from tensorflow.keras.utils import normalize

from .data import load_images

x = normalize(load_images("digits"), axis=1)
"""
SCRIPT = """\
from tensorflow.keras.utils import normalize
from helpers import load_images

x = normalize(load_images("digits"), axis=1)
"""


def test_a_relative_import_and_a_module_beside_a_script(tmp_tree):
    root = tmp_tree({"pkg/__init__.py": "", "pkg/data.py": HELPER, "pkg/train.py": PACKAGE_USER,
                     "helpers.py": HELPER, "script.py": SCRIPT})
    done = run_cli("check", "--no-cache", "--output-format", "concise", cwd=root)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "pkg/train.py:5:5: NRM001" in done.stdout and "script.py:4:5: NRM001" in done.stdout


def test_a_helper_that_returns_rows_tells_nothing(tmp_tree):
    root = tmp_tree({"helpers.py": TABLE_HELPER, "script.py": SCRIPT})
    done = run_cli("check", "--no-cache", cwd=root)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_cache_sees_a_changed_helper(tmp_tree):
    root = tmp_tree({"helpers.py": HELPER, "script.py": SCRIPT})
    assert run_cli("check", cwd=root).returncode == 1
    assert run_cli("check", cwd=root).returncode == 1  # served from the cache
    (root / "helpers.py").write_text(TABLE_HELPER + "\n# now a table\n")
    done = run_cli("check", cwd=root)
    assert done.returncode == 0, done.stdout  # script.py itself did not change


def test_a_broken_helper_is_no_error_of_its_importer(tmp_tree):
    root = tmp_tree({"helpers.py": "def load_images(:\n", "script.py": SCRIPT})
    done = run_cli("check", "--no-cache", "script.py", cwd=root)
    assert done.returncode == 0 and done.stderr == "", done.stdout + done.stderr


def test_one_level_only(tmp_tree):
    """A helper's own project imports are not followed: the summary is of that file alone."""
    middle = "from helpers import load_images\n\n\ndef again(folder):\n    return load_images(folder)\n"
    script = SCRIPT.replace("from helpers import load_images", "from middle import again as load_images")
    root = tmp_tree({"helpers.py": HELPER, "middle.py": middle, "script.py": script})
    done = run_cli("check", "--no-cache", "script.py", cwd=root)
    assert done.returncode == 0, done.stdout
