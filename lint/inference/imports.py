"""What the project's own modules give a file that imports from them: function summaries.

`from .data import load_images` (or `from data import load_images` beside a script) names a
function of another file of the same project. That file is analysed once per process, on its
own (one level: its own project imports are not followed), and what its module-level functions
return is what calling them gives the importing file. The importing file's result then depends
on that file too: the cache keeps its size and time with the result (see `cache`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Final

from .. import screen
from ..types import Dependency
from .values import Array, Function, Value

Summary = dict[str, Value]
Resolve = Callable[[str, int, list[str]], "dict[str, Value | None]"]

_FROM_IMPORT: Final = re.compile(r"^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import\b", re.M)
_MAX_BYTES = 1_000_000  # a module this large is data, not a helper worth summarizing
_summaries: dict[tuple[str, int, int], Summary] = {}  # (path, size, mtime) -> summary


class ProjectImports:
    """Resolves one file's imports of project modules, and records the files it read."""

    def __init__(self, importer: str, evidence: frozenset[str]) -> None:
        real = importer and not importer.startswith("<")  # not "<stdin>"
        self.folder = os.path.dirname(os.path.abspath(importer)) if real else ""
        self.evidence = evidence
        self.dependencies: list[Dependency] = []

    def __call__(self, module: str, level: int, names: list[str]) -> dict[str, Value | None]:
        """The values of `names` in the project module `module` (`level` dots before it), or
        nothing when it is not a file of this project."""
        path = self._path(module, level)
        if path is None:
            return {}
        try:
            stat = os.stat(path)
        except OSError:
            return {}
        self.dependencies.append(Dependency(path, stat.st_size, stat.st_mtime_ns))
        summary = _summary(path, stat, self.evidence)
        return {name: summary.get(name) for name in names}

    def _path(self, module: str, level: int) -> str | None:
        if not self.folder:
            return None
        base = self.folder
        for _ in range(max(level - 1, 0)):
            base = os.path.dirname(base)
        parts = [part for part in module.split(".") if part]
        if not parts:
            return None
        stem = os.path.join(base, *parts)
        for candidate in (stem + ".py", os.path.join(stem, "__init__.py")):
            if os.path.isfile(candidate):
                return candidate
        return None


def imports_project_module(importer: str, text: str) -> bool:
    """Whether `text` imports from a module of its own project (a relative import, or a file
    beside it): such a file is analysed even without evidence words of its own."""
    imports = ProjectImports(importer, frozenset())
    return any(imports._path(module, len(dots)) is not None
               for dots, module in _FROM_IMPORT.findall(text))


def _summary(path: str, stat: os.stat_result, evidence: frozenset[str]) -> Summary:
    key = (path, stat.st_size, stat.st_mtime_ns)
    if key not in _summaries:
        _summaries[key] = _summarize(path, stat, evidence)
    return _summaries[key]


def _summarize(path: str, stat: os.stat_result, evidence: frozenset[str]) -> Summary:
    """The module-level functions of `path` that return something known, and its module-level
    arrays; empty for a file that cannot be read or parsed, or that holds no evidence word."""
    if stat.st_size > _MAX_BYTES:
        return {}
    try:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    if not screen.mentions(text, evidence):
        return {}
    import libcst as cst

    from .builder import FactBuilder

    try:
        module = cst.parse_module(text)
        builder = FactBuilder(module, text, screen.relevance(text, evidence))
        module.visit(builder)
    except Exception:  # a helper module we cannot read says nothing; never fail the importer
        return {}
    summary: Summary = {}
    for name, value in builder.scopes[0].items():
        if isinstance(value, Function) and value.returns is not None:
            summary[name] = Function(value.returns)  # its node is in another tree: no key
        elif isinstance(value, Array) and value.fact.is_images:
            summary[name] = value
    return summary
