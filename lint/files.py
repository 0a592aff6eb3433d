"""Find the files to check: walk directories, skip what no one wants linted, read bytes once."""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import PurePath
from typing import Final

SUFFIXES: Final = (".py", ".pyi", ".ipynb")
DEFAULT_EXCLUDES: Final = (
    ".git", ".hg", ".svn", ".venv", "venv", ".env", "env", "node_modules", "build", "dist",
    "__pycache__", "site-packages", ".tox", ".nox", ".mypy_cache", ".pytest_cache",
    ".ruff_cache", ".normlint_cache", ".ipynb_checkpoints", "*.egg-info",
)


def relative(path: str, root: str | None) -> str:
    """`path` as seen from the project root, in forward slashes, for glob matching."""
    if root is None:
        return PurePath(path).as_posix()
    try:
        return PurePath(os.path.relpath(os.path.abspath(path), root)).as_posix()
    except ValueError:  # another drive on Windows
        return PurePath(path).as_posix()


def is_excluded(path: str, patterns: Iterable[str], root: str | None = None) -> bool:
    """True if `path` (from the root), or any folder or file name in it, matches a pattern."""
    seen = relative(path, root)
    pure = PurePath(seen)
    for written in patterns:
        pattern = written.rstrip("/")
        if fnmatch.fnmatch(seen, pattern) or fnmatch.fnmatch(seen, pattern + "/*"):
            return True
        if "/" not in pattern and any(fnmatch.fnmatch(part, pattern) for part in pure.parts):
            return True
    return False


def discover(paths: Iterable[str], excludes: tuple[str, ...], force_exclude: bool = False,
             root: str | None = None) -> Iterator[str]:
    """Every file to check under `paths`, in a stable order.

    Directories are walked, honouring .gitignore inside a git work tree; files named explicitly
    are checked whatever their suffix, unless `force_exclude` applies the excludes to them too
    (pre-commit passes file names).
    """
    seen: set[str] = set()
    for path in paths:
        if os.path.isdir(path):
            listed = _git_files(path)
            found = _walk(path, excludes, root) if listed is None else (
                p for p in listed if p.endswith(SUFFIXES) and not is_excluded(p, excludes, root))
        elif force_exclude and is_excluded(path, excludes, root):
            continue
        else:
            found = iter([path])
        for item in found:
            if item not in seen:
                seen.add(item)
                yield item


@lru_cache(maxsize=16)
def _name_matcher(excludes: tuple[str, ...]) -> Callable[[str], re.Match | None]:
    """One compiled regular expression for every exclude pattern that names a file or folder."""
    names = [p for p in excludes if "/" not in p] or ["(?!)"]
    return re.compile("|".join(fnmatch.translate(p) for p in names)).match


def _git_files(directory: str) -> list[str] | None:
    """Files under `directory` that git tracks or would track (not ignored), or None outside a
    work tree, without git, or when `directory` itself is ignored: a folder named on the
    command line is checked even so, as ruff does. git is the one matcher that agrees with git
    on .gitignore."""
    import subprocess  # only for folders: files named on the command line (pre-commit) skip it

    try:
        ignored = subprocess.run(["git", "check-ignore", "-q", "."], cwd=directory,
                                 capture_output=True, timeout=60, check=False)
        if ignored.returncode == 0:
            return None
        done = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z", "--", "."],
            cwd=directory, capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    names = sorted({n for n in done.stdout.decode("utf-8", "surrogateescape").split("\0") if n})
    return [os.path.normpath(os.path.join(directory, n)) for n in names
            if os.path.isfile(os.path.join(directory, n)) or os.path.islink(os.path.join(directory, n))]


def _walk(top: str, excludes: tuple[str, ...], root: str | None) -> Iterator[str]:
    by_name = _name_matcher(excludes)
    by_path = tuple(p for p in excludes if "/" in p)
    visited: set[tuple[int, int]] = set()
    for directory, dirnames, filenames in os.walk(top, followlinks=True):
        try:
            stat = os.stat(directory)
        except OSError:
            continue
        if (stat.st_dev, stat.st_ino) in visited:  # a symlink loop
            dirnames[:] = []
            continue
        visited.add((stat.st_dev, stat.st_ino))
        dirnames[:] = sorted(d for d in dirnames if not by_name(d) and not (
            by_path and is_excluded(os.path.join(directory, d), by_path, root)))
        for name in sorted(filenames):
            if not name.endswith(SUFFIXES) or by_name(name):
                continue
            path = os.path.normpath(os.path.join(directory, name))
            if not (by_path and is_excluded(path, by_path, root)):
                yield path


def read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def write_atomically(path: str, data: bytes, mode: int | None = None) -> None:
    """Write all of `data` to `path` or nothing: a temporary file beside it, then a rename, so
    that a reader, a second run or a crash never sees half a file."""
    temporary = f"{path}.normlint-{os.getpid()}.tmp"
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)

