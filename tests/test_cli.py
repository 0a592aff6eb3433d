"""The command line as users run it: output lines, exit codes, options and bad input."""

from __future__ import annotations

import os
import sys

import pytest

from conftest import FIXTURES, run_cli

TUTORIAL = """import tensorflow as tf
mnist = tf.keras.datasets.mnist
(x_train, y_train), (x_test, y_test) = mnist.load_data()
x_train = tf.keras.utils.normalize(x_train, axis=1)
x_test = tf.keras.utils.normalize(x_test, axis=1)
"""


def test_tutorial_is_reported_as_the_issue_shows(tmp_tree):
    root = tmp_tree({"tutorial.py": TUTORIAL})
    done = run_cli("check", "tutorial.py", cwd=root)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0].startswith(
        "tutorial.py:4:11: NRM001 `tf.keras.utils.normalize(x_train, axis=1)` "
        "L2-normalizes each column of every 28×28 image on its own")
    assert lines[1:6] == [
        "  |",
        "4 | x_train = tf.keras.utils.normalize(x_train, axis=1)",
        "  |           " + "^" * len("tf.keras.utils.normalize(x_train, axis=1)"),
        "  = x_train is (60000, 28, 28) uint8 from mnist.load_data() (line 3)",
        "  = fix: to scale pixels to [0, 1], use `x_train / 255.0`",
    ]
    assert any(line.startswith("tutorial.py:5:10: NRM001") for line in lines)
    assert lines[-2:] == ["Found 2 findings in 1 file.", "2 fixable with `--fix --unsafe-fixes` "
                          "(they change what the program computes)."]


def test_correct_scaling_is_clean(tmp_tree):
    root = tmp_tree({"good.py": TUTORIAL.replace("tf.keras.utils.normalize(x_train, axis=1)",
                                                 "x_train / 255.0")
                                        .replace("tf.keras.utils.normalize(x_test, axis=1)",
                                                 "x_test / 255.0")})
    done = run_cli("check", "good.py", cwd=root)
    assert done.returncode == 0, done.stdout
    assert "All checks passed" in done.stdout


def test_directories_are_walked_and_default_is_dot(tmp_tree):
    root = tmp_tree({"pkg/a.py": TUTORIAL, "pkg/b.py": "x = 1\n", "venv/lib/c.py": TUTORIAL})
    done = run_cli("check", cwd=root)
    assert done.returncode == 1
    assert "pkg/a.py:4:11: NRM001" in done.stdout
    assert "venv" not in done.stdout


def test_select_and_ignore_take_codes_and_prefixes(tmp_tree):
    root = tmp_tree({"t.py": TUTORIAL})
    assert run_cli("check", "t.py", "--ignore", "NRM001", cwd=root).returncode == 0
    assert run_cli("check", "t.py", "--select", "NRM002,NRM003", cwd=root).returncode == 0
    assert run_cli("check", "t.py", "--select", "NRM", "--ignore", "NRM00", cwd=root).returncode == 0
    assert run_cli("check", "t.py", "--select", "NRM001", cwd=root).returncode == 1


def test_low_confidence_is_hidden_unless_asked():
    path = str(FIXTURES / "cases" / "names_only.py")
    assert run_cli("check", path).returncode == 0
    done = run_cli("check", path, "--min-confidence", "low")
    assert done.returncode == 1
    assert "by its name alone" in done.stdout


def test_version():
    done = run_cli("--version")
    assert done.returncode == 0
    assert done.stdout.startswith("normlint 0.")


def test_missing_path_is_a_usage_error(tmp_path):
    done = run_cli("check", "nope.py", cwd=tmp_path)
    assert done.returncode == 2
    assert "nope.py" in done.stderr


def test_bad_option_is_a_usage_error():
    done = run_cli("check", "--min-confidence", "sure")
    assert done.returncode == 2
    assert "invalid choice" in done.stderr


# Each bad file would reach the parser: it calls a catalog API on a loaded data set.
LOADS = b"(x, _), _ = tf.keras.datasets.mnist.load_data()\n"


@pytest.mark.parametrize(("content", "reason"), [
    (b"import tensorflow as tf\n" + LOADS + b"x = tf.keras.utils.normalize(x, axis=1\n",
     "a_bad.py:3:29: error: SyntaxError: '(' was never closed"),
    (b"# -*- coding: latin-1 -*-\nimport tensorflow as tf  # \xe9\n" + LOADS +
     b"x = tf.keras.utils.normalize(\n", "a_bad.py:4:29: error: SyntaxError: '(' was never closed"),
    (b"import tensorflow as tf\n" + LOADS + b"s = '\xff\xfe'\ny = tf.keras.utils.normalize(s)\n",
     "cannot decode"),
    (b"# -*- coding: klingon -*-\nimport tensorflow as tf\n" + LOADS +
     b"tf.keras.utils.normalize\n", "cannot decode"),
    (b"import tensorflow as tf\n" + LOADS + b"\x00tf.keras.utils.normalize(x)\n", "NUL byte"),
])
def test_bad_file_is_one_line_and_the_scan_goes_on(tmp_tree, content, reason):
    root = tmp_tree({"a_bad.py": content, "b_good.py": TUTORIAL})
    done = run_cli("check", ".", cwd=root)
    assert done.returncode == 2
    errors = done.stderr.strip().splitlines()
    assert len(errors) == 1
    assert errors[0].startswith("a_bad.py:") and reason in errors[0]
    assert "b_good.py:4:11: NRM001" in done.stdout


def test_unreadable_file_is_reported_and_the_scan_goes_on(tmp_tree):
    # A dangling symlink cannot be read by anyone, root included.
    root = tmp_tree({"src/ok.py": TUTORIAL})
    os.symlink("missing.py", root / "src" / "broken.py")
    done = run_cli("check", "src", cwd=root)
    assert done.returncode == 2
    assert done.stderr.strip() == "src/broken.py: error: cannot read: No such file or directory"
    assert "src/ok.py:4:11: NRM001" in done.stdout


def test_python_dash_m_and_console_script_agree(tmp_tree):
    import shutil
    import subprocess

    root = tmp_tree({"t.py": TUTORIAL})
    script = shutil.which("normlint", path=os.path.dirname(sys.executable))
    assert script is not None
    done = subprocess.run([script, "check", "t.py"], capture_output=True, text=True, cwd=root)
    assert done.stdout == run_cli("check", "t.py", cwd=root).stdout
