"""What a project module's functions return, summarized once per run for the files that
import them (see `imports`): read once, each name summarized when first asked for, and libcst
given only the module's imports, assignments and the functions that may return a fact."""

from __future__ import annotations

import ast
import os
import re

import libcst as cst

from .. import screen
from ..walk import walk
from .builder import FactBuilder
from .values import Array, Function, Value

_MAX_BYTES = 1_000_000  # a module this large is data, not a helper worth summarizing
_NEXT_TOP_LEVEL = re.compile(r"\n(?=[^\s#])")  # a line that starts at column 0


def module_values(path: str, stat: os.stat_result, evidence: frozenset[str],
                  names: list[str]) -> dict[str, Value | None]:
    key = (path, stat.st_size, stat.st_mtime_ns)
    if key not in _modules:
        _modules[key] = _Module(path, stat.st_size, evidence)
    return _modules[key].values(names)


class _Module:
    """One project module, read once; its names summarized on demand."""

    def __init__(self, path: str, size: int, evidence: frozenset[str]) -> None:
        self.text = _read(path) if size <= _MAX_BYTES else ""
        self.evidence = evidence
        self.known: dict[str, Value | None] = {}

    def values(self, names: list[str]) -> dict[str, Value | None]:
        wanted = [name for name in names if name not in self.known]
        if wanted:
            self.known.update(self._summarize(wanted))
        return {name: self.known.get(name) for name in names}

    def _summarize(self, names: list[str]) -> dict[str, Value | None]:
        text = self.text
        nothing: dict[str, Value | None] = dict.fromkeys(names)
        # A cheap look first: only a function whose text may return a fact is worth parsing.
        if not text or not any(_may_give(_function_text(text, name), self.evidence)
                               for name in names):
            return nothing
        try:
            outline = _outline(text, ast.parse(text), set(names))
            module = cst.parse_module(outline)
            builder = FactBuilder(module, outline, screen.relevance(outline, self.evidence))
            walk(module, builder)
        except Exception:  # a helper module we cannot read says nothing; never fail the importer
            return nothing
        found = nothing
        for name in names:
            value = builder.scopes[0].get(name)
            if isinstance(value, Function) and value.returns is not None:
                found[name] = Function(value.returns)  # its node is in another tree: no key
            elif isinstance(value, Array) and value.fact.is_images:
                found[name] = value
        builder.release()
        return found


def _read(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            return handle.read().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _function_text(text: str, name: str) -> str:
    """The text of a module-level `def name(` up to the next line at column 0 (or, for a name
    bound at module level, that line): enough for a word screen, found without parsing."""
    for prefix in (f"def {name}(", f"async def {name}("):
        start = 0 if text.startswith(prefix) else text.find("\n" + prefix)
        if start >= 0:
            end = _NEXT_TOP_LEVEL.search(text, start + 1)
            return text[start : end.start() if end else len(text)]
    match = re.search(rf"^{re.escape(name)}\s*=.*$", text, re.M)
    return match.group(0) + "\nreturn" if match else ""


def _may_give(text: str, evidence: frozenset[str]) -> bool:
    return "return" in text and screen.mentions(text, evidence)


def _outline(text: str, tree: ast.Module, names: set[str]) -> str:
    """The module's imports, its module-level assignments and the functions in `names`, in
    order: what a summary of those functions needs, at a fraction of the module's size."""
    lines = text.splitlines(keepends=True)
    kept = []
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom, ast.Assign, ast.AnnAssign)) or (
                isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in names):
            first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", ()))])
            kept.append("".join(lines[first - 1 : node.end_lineno]).rstrip("\n") + "\n")
    return "".join(kept)


_modules: dict[tuple[str, int, int], _Module] = {}  # (path, size, mtime) -> its summaries
