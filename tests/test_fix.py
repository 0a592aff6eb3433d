"""`normlint fix`: each case file is input, a `# output` line, and the expected result."""

from __future__ import annotations

import json

import pytest

from conftest import FIXTURES, run_cli
from test_cli import TUTORIAL

CASES = sorted((FIXTURES / "fix").glob("*.py"))


def split(path):
    before, after = path.read_text(encoding="utf-8").split("# output\n")
    return before, after


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_fix_cases(tmp_path, case):
    before, expected = split(case)
    target = tmp_path / "module.py"
    target.write_text(before, encoding="utf-8")
    done = run_cli("fix", "--no-cache", "--unsafe-fixes", "module.py", cwd=tmp_path)
    assert target.read_text(encoding="utf-8") == expected
    assert done.returncode == 0, done.stdout + done.stderr
    assert run_cli("check", "--no-cache", "module.py", cwd=tmp_path).returncode == 0


def test_unsafe_fixes_need_asking_and_diff_writes_nothing(tmp_tree):
    root = tmp_tree({"t.py": TUTORIAL})
    done = run_cli("fix", "--no-cache", "t.py", cwd=root)
    assert done.returncode == 1 and "2 unsafe fixes are available" in done.stdout
    assert (root / "t.py").read_text() == TUTORIAL
    done = run_cli("fix", "--no-cache", "--unsafe-fixes", "--diff", "t.py", cwd=root)
    assert "+x_train = x_train / 255.0" in done.stdout and done.returncode == 1
    assert (root / "t.py").read_text() == TUTORIAL


def test_encoding_bom_line_endings_and_mode_are_kept(tmp_tree):
    import os

    latin = ("# -*- coding: latin-1 -*-\n# café\n" + TUTORIAL).replace("\n", "\r\n")
    root = tmp_tree({"latin.py": latin.encode("latin-1"),
                     "bom.py": ("\ufeff" + TUTORIAL).encode("utf-8")})
    os.chmod(root / "latin.py", 0o751)
    run_cli("fix", "--no-cache", "--unsafe-fixes", ".", cwd=root)
    data = (root / "latin.py").read_bytes()
    assert b"caf\xe9" in data and b"x_train = x_train / 255.0\r\n" in data
    assert (root / "latin.py").stat().st_mode & 0o777 == 0o751
    bom = (root / "bom.py").read_bytes()
    assert bom.startswith(b"\xef\xbb\xbf") and b"x_test = x_test / 255.0" in bom
    assert not list(root.glob("*.tmp"))


def test_notebooks_are_fixed_keeping_every_other_byte(tmp_tree):
    notebook = (FIXTURES / "notebooks" / "mnist_tutorial.ipynb").read_text()
    root = tmp_tree({"nb.ipynb": notebook})
    [finding] = json.loads(run_cli("check", "--output-format", "json", "nb.ipynb",
                                   cwd=root).stdout)
    assert finding["cell"] == 6 and finding["fix"]["edits"][0]["content"] == "x_train / 255.0"
    done = run_cli("fix", "--no-cache", "--unsafe-fixes", "nb.ipynb", cwd=root)
    assert done.returncode == 0 and done.stdout == "Fixed 1 of 1 findings.\n"
    after = (root / "nb.ipynb").read_text()
    assert after == notebook.replace('"x_train = tf.keras.utils.normalize(x_train, axis=1)\\n"',
                                     '"x_train = x_train / 255.0\\n"')
    assert run_cli("check", "--no-cache", "nb.ipynb", cwd=root).returncode == 0


def _notebook(cells: list, **dump) -> str:
    return json.dumps({"cells": cells, "metadata": {"kernelspec": {"language": "python"}},
                       "nbformat": 4, "nbformat_minor": 5}, **dump)


def _cell(source, outputs=()) -> dict:
    return {"cell_type": "code", "execution_count": 1, "metadata": {"tags": ["é"]},
            "outputs": list(outputs), "source": source}


@pytest.mark.parametrize("dump", [{"indent": 1}, {"indent": 2, "ensure_ascii": False}, {}],
                         ids=["indent1-ascii", "indent2-utf8", "compact"])
def test_notebook_fixes_in_magic_cells_multiline_calls_and_string_sources(tmp_tree, dump):
    output = {"output_type": "stream", "name": "stdout", "text": ["naïve normalize(x)\n"]}
    cells = [
        _cell(["import tensorflow as tf\n",
               "(x_train, _), (x_test, _) = tf.keras.datasets.mnist.load_data()"], [output]),
        _cell(["%%time\n", "x_train = tf.keras.utils.normalize(\n", "    x_train,\n",
               "    axis=1)\n", "print('é')"]),
        _cell("x_test = tf.keras.utils.normalize(x_test, axis=1)\nprint(x_test.shape)"),
    ]
    text = _notebook(cells, **dump)
    root = tmp_tree({"nb.ipynb": text})
    done = run_cli("fix", "--no-cache", "--unsafe-fixes", "nb.ipynb", cwd=root)
    assert done.returncode == 0, done.stdout + done.stderr
    after = json.loads((root / "nb.ipynb").read_text(encoding="utf-8"))
    assert "".join(after["cells"][1]["source"]) == "%%time\nx_train = x_train / 255.0\nprint('é')"
    assert after["cells"][2]["source"] == "x_test = x_test / 255.0\nprint(x_test.shape)"
    expected = json.loads(text)
    for cell in (1, 2):
        expected["cells"][cell]["source"] = after["cells"][cell]["source"]
    assert after == expected  # outputs, metadata and the other cells as they were
    assert run_cli("check", "--no-cache", "nb.ipynb", cwd=root).returncode == 0


def test_a_fix_that_would_not_parse_is_not_written(tmp_tree, monkeypatch):
    from normlint import fixing

    root = tmp_tree({"t.py": TUTORIAL})
    monkeypatch.setattr(fixing, "still_parses", lambda text: False)
    from normlint.cli import main

    monkeypatch.chdir(root)
    assert main(["fix", "--no-cache", "--unsafe-fixes", "t.py"]) == 1
    assert (root / "t.py").read_text() == TUTORIAL


# Every expression position a call can stand in, with `{}` for the call. Each is evaluated with
# the call replaced by its fix and, separately, with the intended value (x / 255.0) in its place.
POSITIONS = [
    "{}", "({})", "{}.reshape(-1, 784)", "{}[0]", "{}[:, ::2]", "{}.T", "2 ** {}", "{} ** 2",
    "1 / {}", "{} / 2", "-{}", "+{}", "abs({})", "3 - {}", "{} - 3", "{} * 2 - 1", "2 * {}",
    "1 // {}", "{} % 0.5", "{} @ m", "m2 @ {}", "{} < 0.5", "({} > 0.2) & ({} < 0.5)",
    "({} > 0.2) | flag", "{} if flag else 0",
    "0 if not flag else {}", "[{}, 1]", "({},)", "f({})", "f(a={})", "{}.sum(axis=1)",
    "np.max({})", "({} + {})", "{} * {}", "lambda_free({})[1:]",
]


def _evaluate(statement: str, x) -> object:
    import numpy as np

    namespace = {"np": np, "x": x, "m": np.ones((28, 3)), "m2": np.ones((28, 28)),
                 "flag": True, "f": lambda v=None, a=None: v if a is None else a,
                 "lambda_free": lambda v: v}
    with np.errstate(divide="ignore", invalid="ignore"):  # 1 / 0.0 is inf on both sides
        exec(statement, namespace)  # the test's own expressions, on the test's own arrays
    return namespace["y"]


@pytest.mark.parametrize("position", POSITIONS)
def test_a_fixed_call_computes_the_intended_value_in_every_position(tmp_path, position):
    import numpy as np

    head = "import tensorflow as tf\n(x, _), _ = tf.keras.datasets.mnist.load_data()\n"
    line = "y = " + position.replace("{}", "tf.keras.utils.normalize(x, axis=1)")
    target = tmp_path / "module.py"
    target.write_text(head + line + "\n", encoding="utf-8")
    done = run_cli("fix", "--no-cache", "--unsafe-fixes", "module.py", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    fixed = target.read_text(encoding="utf-8").splitlines()[-1]
    x = np.random.default_rng(7).integers(0, 256, size=(4, 28, 28)).astype(np.uint8)
    got = _evaluate(fixed, x)
    want = _evaluate("intended = x / 255.0\ny = " + position.replace("{}", "intended"), x)
    assert type(got) is type(want)
    if isinstance(got, tuple | list):
        for a, b in zip(got, want, strict=True):
            np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    else:
        np.testing.assert_array_equal(np.asarray(got), np.asarray(want))


def test_data_scaled_once_is_not_scaled_again(tmp_tree):
    source = ("import tensorflow as tf\n(x, _), _ = tf.keras.datasets.mnist.load_data()\n"
              "x = tf.keras.utils.normalize(x, axis=1)\nx = x.reshape(-1, 28, 28)\n"
              "x = tf.keras.utils.normalize(x, axis=1)\n")
    root = tmp_tree({"twice.py": source})
    run_cli("fix", "--no-cache", "--unsafe-fixes", "twice.py", cwd=root)
    assert (root / "twice.py").read_text().splitlines()[2:] == [
        "x = x / 255.0", "x = x.reshape(-1, 28, 28)", "x = x"]


def test_no_fix_when_the_range_is_unknown(tmp_tree):
    source = ("import tensorflow as tf\n(x, _), _ = tf.keras.datasets.mnist.load_data()\n"
              "y = tf.keras.utils.normalize(x - x.mean(), axis=1)\n")
    root = tmp_tree({"centred.py": source})
    done = run_cli("check", "--no-cache", "--output-format", "json", "centred.py", cwd=root)
    [finding] = json.loads(done.stdout)
    assert finding["fix"] is None
    assert "if `x - x.mean()` holds 8-bit pixels, use `(x - x.mean()) / 255.0`" in finding["help"]
    done = run_cli("fix", "--no-cache", "--unsafe-fixes", "centred.py", cwd=root)
    assert done.returncode == 1 and (root / "centred.py").read_text() == source


def test_check_fix_flags_and_the_hint(tmp_tree):
    root = tmp_tree({"t.py": TUTORIAL})
    done = run_cli("check", "--no-cache", "t.py", cwd=root)
    assert done.stdout.splitlines()[-1] == (
        "2 fixable with `--fix --unsafe-fixes` (they change what the program computes).")
    done = run_cli("check", "--no-cache", "--diff", "--unsafe-fixes", "t.py", cwd=root)
    assert done.returncode == 1 and done.stdout.startswith("--- a/t.py\n+++ b/t.py\n")
    assert (root / "t.py").read_text() == TUTORIAL
    done = run_cli("check", "--no-cache", "--fix", "t.py", cwd=root)  # unsafe not asked for
    assert done.returncode == 1 and (root / "t.py").read_text() == TUTORIAL
    done = run_cli("check", "--no-cache", "--fix", "--unsafe-fixes", "--show-fixes", "t.py",
                   cwd=root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "fixed t.py:4:11: NRM001 -> `x_train / 255.0`" in done.stderr
    assert "All checks passed (1 file checked)." in done.stdout
    assert "x_test = x_test / 255.0" in (root / "t.py").read_text()


def test_fix_reads_stdin_and_prints_the_fixed_source(tmp_path):
    done = run_cli("fix", "--no-cache", "--unsafe-fixes", "-", cwd=tmp_path, stdin=TUTORIAL)
    assert done.returncode == 0, done.stderr
    assert done.stdout == TUTORIAL.replace("tf.keras.utils.normalize(x_train, axis=1)",
                                           "x_train / 255.0").replace(
        "tf.keras.utils.normalize(x_test, axis=1)", "x_test / 255.0")


# The estimator and scaling fixes, proved the same way: the fixed program, run on real data,
# computes what the intended program computes.
FITTED_BEFORE = """\
import numpy as np
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler
X, y = load_wine(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=1)
sc = MinMaxScaler()
X_train = sc.fit_transform(X_train)
X_test = sc.fit_transform(X_test)
row = sc.fit_transform([X[0]])
"""


def _run_program(text: str) -> dict:
    namespace: dict = {}
    exec(compile(text, "fixed.py", "exec"), namespace)  # the test's own program, fixed by normlint
    return namespace


def test_estimator_fixes_compute_what_the_training_fit_gives(tmp_path):
    import numpy as np
    from sklearn.datasets import load_wine
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import MinMaxScaler

    target = tmp_path / "module.py"
    target.write_text(FITTED_BEFORE, encoding="utf-8")
    done = run_cli("fix", "--no-cache", "--unsafe-fixes", "module.py", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    fixed = target.read_text(encoding="utf-8")
    assert fixed.count("sc.transform(") == 2
    got = _run_program(fixed)
    X, _ = load_wine(return_X_y=True)
    train, test = train_test_split(X, test_size=0.3, random_state=1)
    fitted = MinMaxScaler().fit(train)
    np.testing.assert_allclose(got["X_test"], fitted.transform(test))
    np.testing.assert_allclose(got["row"], fitted.transform([X[0]]))
    assert len(np.unique(np.round(got["row"], 9))) > 1  # no longer every feature at 0.0


def test_a_second_division_fix_leaves_the_pixels_scaled_once(tmp_path):
    import numpy as np

    source = ("import numpy as np\nx = np.arange(256, dtype=np.uint8).reshape(16, 16)\n"
              "import cv2\nimg = cv2.resize(x, (16, 16)) / 255.0\nimg = img / 255.0\n")
    target = tmp_path / "module.py"
    target.write_text(source, encoding="utf-8")
    done = run_cli("fix", "--no-cache", "--unsafe-fixes", "module.py", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    fixed = target.read_text(encoding="utf-8")
    assert fixed.splitlines()[-1] == "img = img"
    got = _run_program(fixed.replace("import cv2\n", "").replace("cv2.resize(x, (16, 16))", "x"))
    np.testing.assert_array_equal(got["img"], np.arange(256).reshape(16, 16) / 255.0)
