"""The cache: a warm run skips unchanged clean files, and nothing stale is ever trusted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, run_cli
from test_cli import TUTORIAL

CLEAN = TUTORIAL.replace("tf.keras.utils.normalize(x_train, axis=1)", "x_train / 255.0").replace(
    "tf.keras.utils.normalize(x_test, axis=1)", "x_test / 255.0")
NAMES_ONLY = "import tensorflow as tf\nx_train = tf.keras.utils.normalize(x_train, axis=1)\n"


def cache_files(root: Path) -> list[Path]:
    return sorted((root / ".normlint_cache").rglob("*.json"))


def cached(root: Path) -> dict[str, int]:
    """File name -> number of findings remembered."""
    [path] = cache_files(root)
    return {Path(p).name: len(entry[3]) for p, entry in json.loads(path.read_text())["files"].items()}


def project(tmp_tree) -> Path:
    return tmp_tree({"pyproject.toml": "[tool.normlint]\n", "clean.py": CLEAN,
                     "names.py": NAMES_ONLY, "bad.py": TUTORIAL})


def test_results_are_remembered_and_a_warm_run_reports_the_same(tmp_tree):
    root = project(tmp_tree)
    cold = run_cli("check", cwd=root)
    assert cached(root) == {"clean.py": 0, "names.py": 0, "bad.py": 2}
    assert (root / ".normlint_cache" / ".gitignore").read_text().endswith("*\n")
    warm = run_cli("check", cwd=root)
    assert warm.stdout == cold.stdout and warm.returncode == cold.returncode == 1


def test_an_edited_file_is_checked_again(tmp_tree):
    root = project(tmp_tree)
    run_cli("check", cwd=root)
    (root / "clean.py").write_text(TUTORIAL)  # same file, now with the bug
    done = run_cli("check", "--output-format", "concise", "-q", cwd=root)
    assert {line.split(":")[0] for line in done.stdout.splitlines()} == {"bad.py", "clean.py"}
    assert cached(root)["clean.py"] == 2
    (root / "bad.py").write_text(CLEAN)  # and the bug fixed in the other
    done = run_cli("check", "--output-format", "concise", "-q", cwd=root)
    assert {line.split(":")[0] for line in done.stdout.splitlines()} == {"clean.py"}


def test_a_touched_but_unchanged_file_keeps_its_findings(tmp_tree):
    import os

    root = project(tmp_tree)
    cold = run_cli("check", cwd=root).stdout
    os.utime(root / "bad.py", ns=(1, 1))
    assert run_cli("check", cwd=root).stdout == cold


def test_a_damaged_entry_is_checked_afresh(tmp_tree):
    root = project(tmp_tree)
    cold = run_cli("check", cwd=root).stdout
    [path] = cache_files(root)
    document = json.loads(path.read_text())
    for name, entry in document["files"].items():
        if name.endswith("bad.py"):
            entry[3] = [{"class": "Exploit", "fields": {}}]
    path.write_text(json.dumps(document))
    done = run_cli("check", cwd=root)
    assert done.stdout == cold and done.stderr == ""


def test_a_configuration_change_does_not_reuse_clean_results(tmp_tree):
    root = project(tmp_tree)
    run_cli("check", cwd=root)
    (root / "pyproject.toml").write_text("[tool.normlint]\nmin-confidence = \"low\"\n")
    done = run_cli("check", "--output-format", "concise", "-q", cwd=root)
    assert "names.py" in done.stdout
    assert len(cache_files(root)) == 2  # one cache per configuration


def forge_clean(root: Path, name: str) -> None:
    """Claim in the cache that `name` is clean, as a stale cache of some other version might."""
    [path] = cache_files(root)
    document = json.loads(path.read_text())
    stat = (root / name).stat()
    document["files"][str((root / name).resolve())] = [stat.st_size, stat.st_mtime_ns, "0" * 32, [], []]
    path.write_text(json.dumps(document))


def test_the_cache_is_trusted_only_by_the_version_that_wrote_it(tmp_tree):
    root = project(tmp_tree)
    run_cli("check", cwd=root)
    forge_clean(root, "bad.py")
    assert run_cli("check", cwd=root).returncode == 0  # same version: the entry is believed
    code = ("import sys, normlint, normlint.cache as c\n"
            "normlint.__version__ = c.__version__ = '99.0.0'\n"
            "from normlint.cli import main\nsys.exit(main(['check']))\n")
    upgraded = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                              text=True, timeout=120)
    assert upgraded.returncode == 1 and "bad.py:4:11: NRM001" in upgraded.stdout
    assert (root / ".normlint_cache" / "v99.0.0").is_dir()


def test_a_corrupt_cache_is_ignored_and_rewritten(tmp_tree):
    root = project(tmp_tree)
    run_cli("check", cwd=root)
    [path] = cache_files(root)
    path.write_text("{\"format\": 1, \"files\": [truncated")
    done = run_cli("check", cwd=root)
    assert done.returncode == 1 and done.stderr == ""
    assert cached(root) == {"clean.py": 0, "names.py": 0, "bad.py": 2}


def test_no_cache_and_cache_dir(tmp_tree, tmp_path):
    root = project(tmp_tree)
    run_cli("check", "--no-cache", cwd=root)
    assert not (root / ".normlint_cache").exists()
    elsewhere = tmp_path / "elsewhere"
    run_cli("check", "--cache-dir", str(elsewhere), cwd=root)
    assert list(elsewhere.rglob("*.json")) and not (root / ".normlint_cache").exists()


def test_concurrent_runs_never_corrupt_the_cache(tmp_tree):
    root = tmp_tree({"pyproject.toml": "[tool.normlint]\n",
                     **{f"m{i}.py": CLEAN for i in range(40)}, "bad.py": TUTORIAL})
    command = [sys.executable, "-m", "normlint", "check", "--output-format", "concise", "-q"]
    runs = [subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(4)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert all(run.returncode == 1 for run in runs)
    assert len({out for out, _ in outputs}) == 1 and all(err == "" for _, err in outputs)
    assert len(cached(root)) == 41
    assert not list((root / ".normlint_cache").rglob("*.tmp"))


def test_the_repository_checks_itself_clean():
    done = run_cli("check", "--no-cache", cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_notebook_from_the_cache_keeps_its_cells(tmp_tree):
    from conftest import FIXTURES

    root = tmp_tree({"nb.ipynb": (FIXTURES / "notebooks" / "mnist_tutorial.ipynb").read_text()})
    cold = run_cli("check", cwd=root)
    warm = run_cli("check", cwd=root)
    assert "nb.ipynb:cell 6:1:11: NRM001" in warm.stdout and warm.stdout == cold.stdout
