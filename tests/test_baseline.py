"""Baselines: today's findings are remembered; moved or untouched ones stay quiet, new ones show."""

from __future__ import annotations

import json

from conftest import run_cli
from test_cli import TUTORIAL


def test_baseline_survives_edits_and_reports_only_new_findings(tmp_tree):
    root = tmp_tree({"t.py": TUTORIAL})
    done = run_cli("check", "--write-baseline", "normlint-baseline.json", cwd=root)
    assert done.returncode == 0 and done.stdout == ""  # writing it is the success
    assert done.stderr == "normlint: recorded 2 findings in normlint-baseline.json\n"
    assert len(json.loads((root / "normlint-baseline.json").read_text())["findings"]) == 2
    done = run_cli("check", "--baseline", "normlint-baseline.json", cwd=root)
    assert done.returncode == 0
    assert done.stdout.strip() == ("All checks passed (1 file checked). "
                                   "2 findings hidden by the baseline.")

    # Unrelated edits move every line down; the findings are the same ones.
    (root / "t.py").write_text("# A tutorial.\n\n" + TUTORIAL.replace("mnist = ", "mnist  =  "))
    assert run_cli("check", "--baseline", "normlint-baseline.json", cwd=root).returncode == 0

    # A third, identical call is new: it is the second occurrence of that text.
    (root / "t.py").write_text(TUTORIAL + "x_train = tf.keras.utils.normalize(x_train, axis=1)\n")
    done = run_cli("check", "t.py", "--baseline", "normlint-baseline.json",
                   "--output-format", "concise", "-q", cwd=root)
    assert done.returncode == 1
    assert done.stdout.splitlines() == [line for line in done.stdout.splitlines()
                                        if line.startswith("t.py:6:")]


def test_a_missing_or_broken_baseline_is_a_usage_error(tmp_tree):
    root = tmp_tree({"t.py": TUTORIAL, "bad.json": "[1, 2]"})
    done = run_cli("check", "--baseline", "nope.json", cwd=root)
    assert done.returncode == 2 and "nope.json: cannot read baseline" in done.stderr
    done = run_cli("check", "--baseline", "bad.json", cwd=root)
    assert done.returncode == 2 and "bad.json: not a normlint baseline" in done.stderr
