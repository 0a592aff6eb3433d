"""The hook as users get it: the real pre-commit, installing this checkout, on real commits."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from test_cli import TUTORIAL

PRE_COMMIT = shutil.which("pre-commit", path=os.path.dirname(sys.executable)) or shutil.which(
    "pre-commit")


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory):
    """A throwaway repository holding one bad and one good file, staged."""
    root = tmp_path_factory.mktemp("user-project")
    env = {**os.environ, "PRE_COMMIT_HOME": str(root.parent / "pre-commit-home"),
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    (root / "bad.py").write_text(TUTORIAL)
    (root / "good.py").write_text(TUTORIAL.replace(
        "tf.keras.utils.normalize(x_train, axis=1)", "x_train / 255.0").replace(
        "tf.keras.utils.normalize(x_test, axis=1)", "x_test / 255.0"))
    run(["git", "init", "-q"], root, env)
    run(["git", "add", "."], root, env)
    return root, env


@pytest.fixture(scope="module")
def hook_source(tmp_path_factory, hook_repo) -> Path:
    """This working tree as a repository of its own with everything committed: try-repo reads
    commits, and the test must check the code as it is now, committed or not."""
    _, env = hook_repo
    copy = tmp_path_factory.mktemp("normlint-source")
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    for command in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "snapshot"]):
        run(command, copy, env)
    return copy


def try_repo(source: Path, root: Path, env: dict[str, str], *files: str):
    assert PRE_COMMIT is not None, "pre-commit is a test dependency"
    return run([PRE_COMMIT, "try-repo", str(source), "normlint", "--files", *files], root, env)


def test_hook_fails_on_the_tutorial_bug(hook_repo, hook_source):
    root, env = hook_repo
    done = try_repo(hook_source, root, env, "bad.py")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "normlint" in done.stdout and "Failed" in done.stdout
    assert "bad.py:4:11: NRM001" in done.stdout


def test_hook_passes_on_good_code(hook_repo, hook_source):
    root, env = hook_repo
    done = try_repo(hook_source, root, env, "good.py")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout


def readme_snippet() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    after = text.split("<!-- pre-commit-snippet -->", 1)[1]
    return after.split("```yaml\n", 1)[1].split("```", 1)[0]


def test_readme_local_hook_snippet_works(hook_repo):
    root, env = hook_repo
    (root / ".pre-commit-config.yaml").write_text(readme_snippet())
    env = {**env, "PATH": os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")}
    assert PRE_COMMIT is not None
    done = run([PRE_COMMIT, "run", "--files", "bad.py", "good.py"], root, env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "bad.py:4:11: NRM001" in done.stdout and "good.py" not in done.stdout
    done = run([PRE_COMMIT, "run", "--files", "good.py"], root, env)
    assert done.returncode == 0, done.stdout + done.stderr
