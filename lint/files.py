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


def is_excluded(path: str, patterns: Iterable[str]) -> bool:
    """True if any part of `path`, or the path itself, matches an exclude pattern."""
    pure = PurePath(path)
    for pattern in patterns:
        if fnmatch.fnmatch(path, pattern) or pure.match(pattern):
            return True
        if any(fnmatch.fnmatch(part, pattern) for part in pure.parts):
            return True
    return False


def discover(paths: Iterable[str], excludes: tuple[str, ...], force_exclude: bool = False) -> Iterator[str]:
    """Every file to check under `paths`, in a stable order.

    Directories are walked; files named explicitly are checked whatever their suffix, unless
    `force_exclude` applies the excludes to them too (pre-commit passes file names).
    """
    seen: set[str] = set()
    for path in paths:
        if os.path.isdir(path):
            found = _walk(path, excludes)
        elif force_exclude and is_excluded(path, excludes):
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


def _walk(root: str, excludes: tuple[str, ...]) -> Iterator[str]:
    by_name = _name_matcher(excludes)
    by_path = tuple(p for p in excludes if "/" in p)
    visited: set[tuple[int, int]] = set()
    for directory, dirnames, filenames in os.walk(root, followlinks=True):
        try:
            stat = os.stat(directory)
        except OSError:
            continue
        if (stat.st_dev, stat.st_ino) in visited:  # a symlink loop
            dirnames[:] = []
            continue
        visited.add((stat.st_dev, stat.st_ino))
        dirnames[:] = sorted(d for d in dirnames if not by_name(d)
                             and not (by_path and is_excluded(os.path.join(directory, d), by_path)))
        for name in sorted(filenames):
            if not name.endswith(SUFFIXES) or by_name(name):
                continue
            path = os.path.join(directory, name)
            if not (by_path and is_excluded(path, by_path)):
                yield path


def read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def has_trigger(data: bytes, triggers: Iterable[bytes]) -> bool:
    """The cheapest test of all: can any enabled rule fire on this text?"""
    return any(data.find(trigger) >= 0 for trigger in triggers)
