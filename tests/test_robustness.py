"""Anything a real repository holds: bad bytes, odd line endings, huge and deeply nested files.

normlint must never crash: every file is checked, reported as an error, or skipped with a notice.
"""

from __future__ import annotations

import json

import pytest

from conftest import check_text, run_cli
from normlint import api
from normlint.types import Confidence
from test_cli import TUTORIAL

HEAD = "import tensorflow as tf\n(x, _), _ = tf.keras.datasets.mnist.load_data()\n"
CALL = "y = tf.keras.utils.normalize(x, axis=1)\n"


# Named by `ids`: a test id holding a 400 kB body would be an environment variable
# (PYTEST_CURRENT_TEST) too long for any subprocess.
_DEEP = [
    ("parentheses", "z = " + "(" * 5000 + "x" + ")" * 5000 + "\n"),
    ("long chain", "z = " + " + ".join(["x"] * 100_000) + "\n"),
    ("deep chain", "z = " + " + ".join(["x"] * 1_000) + "\n"),
    ("nested lists", "z = " + "[" * 3000 + "]" * 3000 + "\n"),
    ("indentation", "".join("    " * i + "if x:\n" for i in range(120)) + "    " * 120 + "pass\n"),
]


@pytest.mark.parametrize(("name", "body"), _DEEP, ids=[name for name, _ in _DEEP])
def test_deep_nesting_is_skipped_with_a_notice_not_a_crash(tmp_tree, name, body):
    root = tmp_tree({"deep.py": HEAD + CALL + body, "ok.py": TUTORIAL})
    done = run_cli("check", "--no-cache", cwd=root)
    assert done.returncode == 1  # the other file's findings; the deep one is not an error
    assert done.stderr.startswith("deep.py: skipped: ") and "nested" in done.stderr
    assert "ok.py:4:11: NRM001" in done.stdout and "1 file skipped." in done.stdout


def test_size_limit(tmp_tree):
    big = HEAD + CALL + "# filler\n" * 250_000  # about 2.3 MB
    root = tmp_tree({"big.py": big})
    done = run_cli("check", "--no-cache", "--max-file-size", "1000000", cwd=root)
    assert done.returncode == 0
    assert "big.py: skipped: 2.3 MB of code is over max-file-size (1 MB)" in done.stderr
    done = run_cli("check", "--no-cache", "--max-file-size", "5000000", cwd=root)
    assert done.returncode == 1 and "big.py:3:5: NRM001" in done.stdout


def test_a_50_mb_file_is_skipped_quickly(tmp_tree):
    root = tmp_tree({"huge.py": HEAD + CALL + ("x = 1  # " + "y" * 90 + "\n") * 500_000})
    done = run_cli("check", "--no-cache", cwd=root)
    assert done.returncode == 0 and "huge.py: skipped: 50 MB of code" in done.stderr


def test_a_notebook_with_huge_outputs_is_still_checked(tmp_tree):
    cell = {"cell_type": "code", "metadata": {}, "execution_count": 1, "source": HEAD + CALL,
            "outputs": [{"output_type": "stream", "name": "stdout", "text": "z" * 30_000_000}]}
    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [cell]}
    root = tmp_tree({"big.ipynb": json.dumps(notebook)})
    done = run_cli("check", "--no-cache", cwd=root)
    assert done.returncode == 1 and "big.ipynb:cell 1:3:5: NRM001" in done.stdout


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings_and_mixtures(newline):
    text = (HEAD + CALL).replace("\n", newline)
    assert [(f.span.line, f.span.column) for f in check_text(text).findings] == [(3, 5)]
    mixed = HEAD.replace("\n", "\r\n") + "\n" + CALL.replace("\n", newline)
    assert [f.span.line for f in check_text(mixed).findings] == [4]


def test_utf8_bom_and_non_ascii_source(tmp_tree):
    source = "\ufeff# café ☕\n" + HEAD + "ü = 1; y = tf.keras.utils.normalize(x, axis=1)\n"
    root = tmp_tree({"bom.py": source.encode("utf-8")})
    done = run_cli("check", "--no-cache", "--output-format", "concise", "-q", cwd=root)
    assert done.stdout.startswith("bom.py:4:12: NRM001")


@pytest.mark.parametrize("mutation", ["truncate", "drop-cells", "string-cells", "null-source",
                                      "list-of-numbers", "no-cell-type", "deep-json"])
def test_mutated_notebooks_never_crash(tmp_tree, mutation):
    cell = {"cell_type": "code", "metadata": {}, "outputs": [], "source": [HEAD, CALL]}
    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [cell]}
    if mutation == "drop-cells":
        del notebook["cells"]
    elif mutation == "string-cells":
        notebook["cells"] = "normalize"
    elif mutation == "null-source":
        cell["source"] = None
    elif mutation == "list-of-numbers":
        cell["source"] = [1, 2, "normalize"]
    elif mutation == "no-cell-type":
        del cell["cell_type"]
    text = json.dumps(notebook)
    if mutation == "truncate":
        text = text[: len(text) // 2]
    if mutation == "deep-json":
        text = '{"normalize": ' + "[" * 100_000 + "]" * 100_000 + "}"
    root = tmp_tree({"nb.ipynb": text})
    done = run_cli("check", "--no-cache", cwd=root)
    assert done.returncode in (0, 2), done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    if done.returncode == 2:
        assert done.stderr.startswith("nb.ipynb: error: invalid notebook")


def test_an_internal_error_in_one_file_is_reported_and_the_scan_goes_on(tmp_tree, monkeypatch):
    from normlint.inference import builder as facts

    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(facts, "build", broken)
    root = tmp_tree({"a.py": TUTORIAL, "b.py": "x = 1\n"})
    from conftest import settings

    results = list(api.check_paths([str(root)], settings(min_confidence=Confidence.MEDIUM)))
    [bad] = [r for r in results if r.error]
    assert bad.path.endswith("a.py") and bad.error.internal
    assert bad.error.reason == "internal error: ZeroDivisionError: boom"
    assert len(results) == 2


def test_python_warnings_about_user_code_are_not_printed(tmp_tree):
    source = HEAD + CALL + 'import re\npattern = re.compile("\\d+")\nz = 1()\nassert (x, "msg")\n'
    root = tmp_tree({"warn.py": source})
    done = run_cli("check", "--no-cache", cwd=root)
    assert done.returncode == 1 and done.stderr == ""
