"""The edges where a linter loses trust: bad paths, bad options, hostile input, the gate."""

from __future__ import annotations

import json
import os

import pytest

from conftest import FIXTURES, run_cli
from test_cli import TUTORIAL

CLEAN = "import tensorflow as tf\nx = 1\n"


def one_error_line(done, exit_code: int = 2) -> str:
    """The run ended with `exit_code`, no traceback, and said what went wrong in one line."""
    assert done.returncode == exit_code, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    return lines[0]


# --- the gate fails loudly ---------------------------------------------------------------------

@pytest.mark.parametrize("option", [["--select", "NRM02"], ["--select", "NRM099"],
                                    ["--ignore", "NRM9"], ["--extend-select", "XYZ1"]])
def test_a_selector_that_names_no_rule_is_a_usage_error(tmp_tree, option):
    root = tmp_tree({"t.py": TUTORIAL})
    line = one_error_line(run_cli("check", "t.py", *option, cwd=root))
    assert f"'{option[1]}' names no rule" in line


def test_select_all_and_a_bad_selector_in_the_config(tmp_tree):
    root = tmp_tree({"t.py": TUTORIAL})
    assert run_cli("check", "t.py", "--select", "ALL", cwd=root).returncode == 1
    (root / "pyproject.toml").write_text('[tool.normlint]\nselect = ["NRM9"]\n')
    line = one_error_line(run_cli("check", "t.py", cwd=root))
    assert "pyproject.toml" in line and "'NRM9'" in line and "names no rule" in line


def test_repeated_flags_accumulate(tmp_tree):
    source = TUTORIAL + "x4 = x_train.reshape(-1, 28, 28, 1)\ny = tf.keras.utils.normalize(x4)\n"
    root = tmp_tree({"t.py": source})
    done = run_cli("check", "t.py", "-q", "--output-format", "concise", cwd=root)
    assert {line.split()[1] for line in done.stdout.splitlines()} == {"NRM001", "NRM002"}
    done = run_cli("check", "t.py", "--ignore", "NRM001", "--ignore", "NRM002", cwd=root)
    assert done.returncode == 0, done.stdout
    done = run_cli("check", "t.py", "--select", "NRM001", "--select", "NRM002", "-q",
                   "--output-format", "concise", cwd=root)
    assert {line.split()[1] for line in done.stdout.splitlines()} == {"NRM001", "NRM002"}


@pytest.mark.parametrize("form", ["json", "sarif"])
def test_statistics_keep_machine_formats_valid(tmp_tree, form):
    root = tmp_tree({"t.py": TUTORIAL})
    done = run_cli("check", "t.py", "--statistics", "--output-format", form, cwd=root)
    json.loads(done.stdout)
    assert "NRM001  image-slice-normalization" in done.stderr


# --- bad input is one line, and the run goes on --------------------------------------------------

def test_missing_files_are_reported_and_the_rest_is_checked(tmp_tree):
    root = tmp_tree({"a.py": TUTORIAL, "list.txt": "a.py\n\n# a comment\ndeleted.py\n"})
    for args in (["--files-from", "list.txt"], ["deleted.py", "a.py"]):
        done = run_cli("check", *args, cwd=root)
        assert one_error_line(done) == "deleted.py: error: no such file or directory"
        assert "a.py:4:11: NRM001" in done.stdout
        assert "1 file could not be checked" in done.stdout
    done = run_cli("check", "--files-from", "-", cwd=root, stdin="deleted.py\n")
    assert one_error_line(done) == "deleted.py: error: no such file or directory"


def test_a_syntax_error_is_cpythons_message_at_its_place(tmp_tree):
    root = tmp_tree({"bad.py": "import tensorflow as tf\n(x, _), _ = tf.keras.datasets.mnist"
                               ".load_data()\n\ndef f(:\n    pass\ny = tf.keras.utils.normalize(x)\n"})
    done = run_cli("check", "bad.py", cwd=root)
    assert one_error_line(done) == "bad.py:4:7: error: SyntaxError: invalid syntax"
    assert done.stdout.strip() == (
        "No findings in the 0 files checked. 1 file could not be checked (see the errors above).")


def test_a_fifo_named_like_python_is_skipped_not_waited_on(tmp_tree):
    root = tmp_tree({"a.py": TUTORIAL})
    os.mkfifo(root / "pipe.py")
    # A writer that never writes: reading the FIFO would block for ever.
    done = run_cli("check", ".", "--no-cache", cwd=root)
    assert one_error_line(done, exit_code=1) == "pipe.py: skipped: not a regular file"
    assert "a.py:4:11: NRM001" in done.stdout


def test_the_cache_knows_max_file_size(tmp_tree):
    root = tmp_tree({"t.py": TUTORIAL})
    assert run_cli("check", "t.py", cwd=root).returncode == 1
    done = run_cli("check", "t.py", "--max-file-size", "100", cwd=root)
    size = len(TUTORIAL.encode())
    assert done.returncode == 0
    assert f"t.py: skipped: {size} bytes of code is over max-file-size (100 bytes)" in done.stderr


def test_stdin_bytes_keep_their_coding_cookie(tmp_tree):
    source = "# -*- coding: latin-1 -*-\n# caf\xe9\n" + TUTORIAL
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "normlint", "check", "-"],
                          input=source.encode("latin-1"), capture_output=True, timeout=120)
    assert done.returncode == 1 and b"-:6:11: NRM001" in done.stdout, done.stderr


def test_stdin_filename_reads_stdin_and_honours_force_exclude(tmp_tree):
    root = tmp_tree({"pyproject.toml": '[tool.normlint]\nextend-exclude = ["legacy"]\n'})
    done = run_cli("check", "--stdin-filename", "src/t.py", cwd=root, stdin=TUTORIAL)
    assert done.returncode == 1 and "src/t.py:4:11: NRM001" in done.stdout
    done = run_cli("check", "--stdin-filename", "legacy/t.py", "--force-exclude", cwd=root,
                   stdin=TUTORIAL)
    assert done.returncode == 0 and "NRM001" not in done.stdout


# --- every subcommand with hostile paths and options: one line, exit 2, no traceback -----------

HOSTILE = [
    ["check", "-o", "/nonexistent/dir/out.txt", "t.py"],
    ["check", "-o", ".", "t.py"],
    ["check", "--write-baseline", "/nonexistent/dir/b.json", "t.py"],
    ["check", "--baseline", "/nonexistent/b.json", "t.py"],
    ["check", "--files-from", "/nonexistent/list.txt"],
    ["check", "--config", "/nonexistent/pyproject.toml", "t.py"],
    ["check", "--output-format", "xml", "t.py"],
    ["check", "--min-confidence", "sure", "t.py"],
    ["check", "--jobs", "many", "t.py"],
    ["check", "-", "t.py"],
    ["fix", "--select", "NRM0X", "t.py"],
    ["fix", "--files-from", "/nonexistent/list.txt"],
    ["verify", "/nonexistent.py"],
    ["verify", "t.py:notaline"],
    ["verify", "t.py", "--pictures", "t.py/sub"],
    ["verify", "t.py", "--output-format", "sarif"],
    ["rule", "NRM999"],
    ["nonsense"],
]


@pytest.mark.parametrize("args", HOSTILE, ids=lambda a: " ".join(a))
def test_hostile_paths_and_options(tmp_tree, args):
    root = tmp_tree({"t.py": TUTORIAL})
    done = run_cli(*args, cwd=root)
    assert "Traceback" not in done.stderr + done.stdout
    one_error_line(done)


# --- verify addresses what check prints -----------------------------------------------------------

def test_verify_takes_the_place_check_prints(tmp_tree):
    root = tmp_tree({"t.py": TUTORIAL, "pyproject.toml": '[tool.normlint]\nignore = ["NRM001"]\n'})
    done = run_cli("verify", "t.py:4", cwd=root)
    assert done.returncode == 0
    assert one_error_line(done, 0) == ("normlint: t.py: no finding at line 4; NRM001 is not "
                                       "selected by " + str(root / "pyproject.toml"))
    (root / "pyproject.toml").unlink()
    done = run_cli("verify", "t.py:4:11", cwd=root)
    assert done.returncode == 1 and "t.py:4:11: NRM001" in done.stdout
    assert "t.py:5:10" not in done.stdout and "verified with" in done.stdout
    notebook = FIXTURES / "notebooks" / "mnist_tutorial.ipynb"
    done = run_cli("verify", f"{notebook}:cell 6:1", "--pictures", str(root / "out"))
    assert done.returncode == 1 and "cell 6:1:11: NRM001" in done.stdout
    assert [p.name for p in (root / "out").iterdir()] == ["mnist_tutorial_cell6_line1_NRM001.png"]
    done = run_cli("verify", f"{notebook}:cell 2:1")
    assert "no finding at cell 2, line 1" in done.stderr


# --- what a ruff user reaches for --------------------------------------------------------------

def test_carets_line_up_under_tabs(tmp_tree):
    root = tmp_tree({"t.py": TUTORIAL.replace("x_train = tf", "if True:\n\tx_train = tf")})
    lines = run_cli("check", "t.py", cwd=root).stdout.splitlines()
    source, caret = lines[2], lines[3]
    assert "\t" not in source and source.index("tf.keras") == caret.index("^")


def test_color_only_when_asked_or_on_a_terminal(tmp_tree):
    root = tmp_tree({"t.py": TUTORIAL})
    assert "\033[" not in run_cli("check", "t.py", cwd=root).stdout
    assert "\033[31m" in run_cli("check", "t.py", "--color", "always", cwd=root).stdout
    assert "\033[" not in run_cli("check", "t.py", "--color", "never", cwd=root).stdout


def test_show_settings_show_files_and_config(tmp_tree):
    root = tmp_tree({"t.py": TUTORIAL, "sub/u.py": TUTORIAL, "other.toml":
                     'ignore = ["NRM001"]\nmin-confidence = "high"\n'})
    done = run_cli("check", "--show-files", cwd=root)
    assert done.returncode == 0 and sorted(done.stdout.split()) == ["sub/u.py", "t.py"]
    done = run_cli("check", "--show-settings", "--config", "other.toml", cwd=root)
    assert done.returncode == 0
    settings = dict(line.split(" = ", 1) for line in done.stdout.splitlines())
    settings = {key.strip(): value for key, value in settings.items()}
    from normlint.rules import RULES

    assert settings["select"] == ", ".join(r.code for r in RULES if r.code != "NRM001")
    assert settings["min-confidence"] == "high"
    assert settings["config-file"] == str(root / "other.toml")
    assert run_cli("check", "t.py", "--config", "other.toml", cwd=root).returncode == 0


def test_no_color_on_a_terminal(monkeypatch):
    import io

    from normlint.output import wants_color

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert wants_color("auto", Terminal()) is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert wants_color("auto", Terminal()) is False
    assert wants_color("always", Terminal()) is True
    assert wants_color("auto", io.StringIO()) is False
