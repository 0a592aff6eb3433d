"""Which files a scan reads: .gitignore, default excludes, explicit paths, lists and stdin."""

from __future__ import annotations

import subprocess

from conftest import run_cli
from test_cli import TUTORIAL


def git(root, *args):
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def test_gitignore_is_respected_inside_a_repository(tmp_tree):
    root = tmp_tree({".gitignore": "generated/\nscratch_*.py\n", "src/a.py": TUTORIAL,
                     "generated/b.py": TUTORIAL, "scratch_1.py": TUTORIAL, "untracked.py": TUTORIAL})
    git(root, "init", "-q")
    git(root, "add", "src/a.py", ".gitignore")
    done = run_cli("check", "--output-format", "concise", "-q", cwd=root)
    files = {line.split(":")[0] for line in done.stdout.splitlines()}
    assert files == {"src/a.py", "untracked.py"}


def test_default_excludes_outside_git(tmp_tree):
    root = tmp_tree({"a.py": TUTORIAL, ".venv/lib/b.py": TUTORIAL, "node_modules/c.py": TUTORIAL,
                     "build/d.py": TUTORIAL, "pkg.egg-info/e.py": TUTORIAL})
    done = run_cli("check", "--output-format", "concise", "-q", cwd=root)
    assert {line.split(":")[0] for line in done.stdout.splitlines()} == {"a.py"}


def test_explicit_paths_are_checked_unless_force_exclude(tmp_tree):
    root = tmp_tree({"pyproject.toml": "[tool.normlint]\nextend-exclude = [\"legacy\"]\n",
                     "legacy/old.py": TUTORIAL})
    assert run_cli("check", "legacy/old.py", cwd=root).returncode == 1
    done = run_cli("check", "--force-exclude", "legacy/old.py", cwd=root)
    assert done.returncode == 0 and "0 files checked" in done.stdout


def test_files_from_a_list_and_from_stdin(tmp_tree):
    root = tmp_tree({"a.py": TUTORIAL, "b.py": TUTORIAL, "c.py": TUTORIAL,
                     "list.txt": "a.py\nc.py\n"})
    done = run_cli("check", "--files-from", "list.txt", "--output-format", "concise", "-q", cwd=root)
    assert {line.split(":")[0] for line in done.stdout.splitlines()} == {"a.py", "c.py"}
    done = run_cli("check", "--files-from", "-", "--output-format", "concise", "-q", cwd=root,
                   stdin="b.py\n")
    assert {line.split(":")[0] for line in done.stdout.splitlines()} == {"b.py"}


def test_source_from_stdin_with_a_filename(tmp_tree):
    root = tmp_tree({"pyproject.toml": "[tool.normlint]\nignore = [\"NRM002\"]\n"})
    done = run_cli("check", "-", "--stdin-filename", "src/train.py", cwd=root, stdin=TUTORIAL)
    assert done.returncode == 1
    assert done.stdout.startswith("src/train.py:4:11: NRM001")
    done = run_cli("check", "-", cwd=root, stdin="x = 1\n")
    assert done.returncode == 0


def test_paths_with_spaces_and_non_ascii(tmp_tree):
    root = tmp_tree({"my notebooks/données ü.py": TUTORIAL})
    done = run_cli("check", "--output-format", "concise", "-q", cwd=root)
    assert done.stdout.startswith("my notebooks/données ü.py:4:11: NRM001")


def test_symlink_loop_does_not_hang(tmp_tree):
    root = tmp_tree({"pkg/a.py": TUTORIAL})
    (root / "pkg" / "loop").symlink_to(root / "pkg", target_is_directory=True)
    done = run_cli("check", "--output-format", "concise", "-q", cwd=root)
    assert done.stdout.count("NRM001") == 2


def _stderr_on_a_terminal(root, *args: str, command: str = "check") -> str:
    import os
    import pty
    import sys

    leader, follower = pty.openpty()
    done = subprocess.run([sys.executable, "-m", "normlint", command, *args], cwd=root,
                          stdout=subprocess.PIPE, stderr=follower, timeout=300)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert done.returncode in (0, 1)
    return b"".join(chunks).decode()


def test_progress_only_on_a_terminal_and_a_long_scan(tmp_tree):
    root = tmp_tree({f"m{i:03}.py": "x = 1\n" for i in range(250)})
    assert "normlint: 250/250 files" in _stderr_on_a_terminal(root)
    assert run_cli("check", cwd=root).stderr == ""  # stderr is a pipe here
    small = tmp_tree({"sub/a.py": "x = 1\n"})
    assert "files" not in _stderr_on_a_terminal(small / "sub")


def test_an_ignored_folder_named_explicitly_is_still_checked(tmp_tree):
    # As in CI: a virtual environment inside the work tree, ignored, named on the command line.
    root = tmp_tree({".gitignore": ".venv/\n", "app.py": "x = 1\n",
                     ".venv/lib/site-packages/pkg/mod.py": TUTORIAL})
    git(root, "init", "-q")
    done = run_cli("check", "--output-format", "concise", "-q", ".venv/lib/site-packages", cwd=root)
    assert done.stdout.startswith(".venv/lib/site-packages/pkg/mod.py:4:11: NRM001")
    assert "mod.py" not in run_cli("check", "--output-format", "concise", "-q", cwd=root).stdout


def test_fix_on_a_terminal(tmp_tree):
    root = tmp_tree({"t.py": TUTORIAL, **{f"m{i:03}.py": "x = 1\n" for i in range(210)}})
    stderr = _stderr_on_a_terminal(root, "--no-cache", command="fix")
    assert "Traceback" not in stderr and "normlint: 211/211 files" in stderr
