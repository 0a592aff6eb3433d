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

from ..types import Dependency
from .values import Value

Resolve = Callable[[str, int, list[str]], "dict[str, Value | None]"]

_FROM_IMPORT: Final = re.compile(r"^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import\b", re.M)


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
        path = self.path_of(module, level)
        if path is None:
            return {}
        try:
            stat = os.stat(path)
        except OSError:
            return {}
        self.dependencies.append(Dependency(path, stat.st_size, stat.st_mtime_ns))
        from .summaries import module_values  # libcst: only once a project module is named

        return module_values(path, stat, self.evidence, names)

    def path_of(self, module: str, level: int) -> str | None:
        """The file of project module `module` (`level` dots before it), if there is one."""
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
    return any(imports.path_of(module, len(dots)) is not None
               for dots, module in _FROM_IMPORT.findall(text))
