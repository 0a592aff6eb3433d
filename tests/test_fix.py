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


def test_notebooks_are_not_rewritten_and_no_fix_is_offered_for_them(tmp_tree):
    notebook = (FIXTURES / "notebooks" / "mnist_tutorial.ipynb").read_text()
    root = tmp_tree({"nb.ipynb": notebook})
    done = run_cli("fix", "--no-cache", "--unsafe-fixes", "nb.ipynb", cwd=root)
    assert done.returncode == 1 and done.stdout == "Fixed 0 of 1 findings.\n"
    assert (root / "nb.ipynb").read_text() == notebook
    # What `fix` does not apply, JSON does not offer, nor does the hint after a check.
    [finding] = json.loads(run_cli("check", "--output-format", "json", "nb.ipynb",
                                   cwd=root).stdout)
    assert finding["fix"] is None and "x_train / 255.0" in finding["help"]
    assert "fixable" not in run_cli("check", "nb.ipynb", cwd=root).stdout


def test_a_fix_that_would_not_parse_is_not_written(tmp_tree, monkeypatch):
    from normlint import fixing

    root = tmp_tree({"t.py": TUTORIAL})
    monkeypatch.setattr(fixing, "still_parses", lambda text: False)
    from normlint.cli import main

    monkeypatch.chdir(root)
    assert main(["fix", "--no-cache", "--unsafe-fixes", "t.py"]) == 1
    assert (root / "t.py").read_text() == TUTORIAL
