"""`[tool.normlint]` in a real pyproject.toml: every key, precedence, and clear errors."""

from __future__ import annotations

import pytest

from conftest import run_cli
from test_cli import TUTORIAL

CHANNELS = """import numpy as np
import tensorflow as tf
crops = np.load("c.npy").reshape(-1, 50, 50, 1)
crops = tf.keras.utils.normalize(crops, axis=-1)
"""


def codes(stdout: str) -> list[str]:
    return [line.split(": ")[1].split()[0] for line in stdout.splitlines() if ": NRM" in line]


def test_select_and_ignore_from_pyproject(tmp_tree):
    root = tmp_tree({"pyproject.toml": "[tool.normlint]\nignore = [\"NRM001\"]\n",
                     "a.py": TUTORIAL, "b.py": CHANNELS})
    done = run_cli("check", "--output-format", "concise", "-q", cwd=root)
    assert codes(done.stdout) == ["NRM002"]


def test_command_line_select_replaces_the_file_and_extend_select_adds(tmp_tree):
    root = tmp_tree({"pyproject.toml": "[tool.normlint]\nselect = [\"NRM002\"]\n",
                     "a.py": TUTORIAL, "b.py": CHANNELS})
    assert codes(run_cli("check", "--output-format", "concise", "-q", cwd=root).stdout) == ["NRM002"]
    done = run_cli("check", "--output-format", "concise", "-q", "--select", "NRM001", cwd=root)
    assert codes(done.stdout) == ["NRM001", "NRM001"]
    done = run_cli("check", "--output-format", "concise", "-q", "--extend-select", "NRM001", cwd=root)
    assert sorted(codes(done.stdout)) == ["NRM001", "NRM001", "NRM002"]


def test_per_file_ignores_match_globs_from_the_project_root(tmp_tree):
    root = tmp_tree({
        "pyproject.toml": "[tool.normlint.per-file-ignores]\n\"notebooks/*\" = [\"NRM001\"]\n",
        "notebooks/demo.py": TUTORIAL, "src/train.py": TUTORIAL})
    done = run_cli("check", "--output-format", "concise", "-q", cwd=root)
    assert "src/train.py" in done.stdout and "notebooks/demo.py" not in done.stdout
    # The same from another working directory: globs start at the pyproject's folder.
    done = run_cli("check", "--output-format", "concise", "-q", str(root), cwd=root.parent)
    assert "src/train.py" in done.stdout and "demo.py" not in done.stdout


def test_exclude_and_extend_exclude(tmp_tree):
    root = tmp_tree({"pyproject.toml": "[tool.normlint]\nextend-exclude = [\"legacy\"]\n",
                     "legacy/old.py": TUTORIAL, "new.py": TUTORIAL})
    done = run_cli("check", "--output-format", "concise", "-q", cwd=root)
    assert "new.py" in done.stdout and "legacy" not in done.stdout
    done = run_cli("check", "--output-format", "concise", "-q", "--exclude", "new.py", cwd=root)
    assert "legacy/old.py" in done.stdout and "new.py" not in done.stdout


def test_min_confidence_from_file_and_override(tmp_tree):
    names_only = "import tensorflow as tf\nx_train = tf.keras.utils.normalize(x_train, axis=1)\n"
    root = tmp_tree({"pyproject.toml": "[tool.normlint]\nmin-confidence = \"low\"\n",
                     "a.py": names_only})
    assert run_cli("check", cwd=root).returncode == 1
    assert run_cli("check", "--min-confidence", "medium", cwd=root).returncode == 0


def test_nearest_pyproject_upwards_wins(tmp_tree):
    root = tmp_tree({
        "pyproject.toml": "[tool.normlint]\nignore = [\"NRM001\"]\n",
        "sub/pyproject.toml": "[tool.normlint]\nselect = [\"NRM\"]\n",
        "sub/pkg/a.py": TUTORIAL,
        "other/b.py": TUTORIAL,
    })
    done = run_cli("check", "--output-format", "concise", "-q", "sub/pkg/a.py", "other/b.py", cwd=root)
    assert "sub/pkg/a.py" in done.stdout and "other/b.py" not in done.stdout


@pytest.mark.parametrize(("table", "words"), [
    ("selekt = [\"NRM001\"]", ["unknown key `selekt`", "allowed:", "select"]),
    ("select = \"NRM001\"", ["`select` must be a list"]),
    ("ignore = [\"E501\"]", ["`ignore` has 'E501'"]),
    ("min-confidence = \"sure\"", ["`min-confidence` must be one of"]),
    ("verify = \"yes\"", ["`verify` must be true or false"]),
    ("per-file-ignores = [\"x\"]", ["`per-file-ignores` must be a table"]),
])
def test_bad_configuration_is_one_clear_error(tmp_tree, table, words):
    root = tmp_tree({"pyproject.toml": f"[tool.normlint]\n{table}\n", "a.py": TUTORIAL})
    done = run_cli("check", cwd=root)
    assert done.returncode == 2
    assert done.stdout == ""
    message = done.stderr.strip()
    assert message.count("\n") == 0 and "pyproject.toml" in message
    for word in words:
        assert word in message


def test_invalid_toml_names_the_file(tmp_tree):
    root = tmp_tree({"pyproject.toml": "[tool.normlint\nselect = 1\n", "a.py": TUTORIAL})
    done = run_cli("check", cwd=root)
    assert done.returncode == 2 and "pyproject.toml: invalid TOML" in done.stderr
