"""The read-only walk meets the nodes libcst's own traversal meets, in the same order."""

from __future__ import annotations

import random
import sysconfig
from pathlib import Path

import libcst as cst
import pytest

from normlint import walk as walk_module
from normlint.walk import TOKENS, walk

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


class _LibcstOrder(cst.CSTVisitor):
    """libcst's traversal, written down (layout nodes left out, as the walk leaves them)."""

    def __init__(self, skip: frozenset[str]) -> None:
        super().__init__()
        self.seen: list[tuple[str, int]] = []
        self.skip = skip

    def on_visit(self, node: cst.CSTNode) -> bool:
        if type(node) in TOKENS:
            return True
        self.seen.append(("visit", id(node)))
        return type(node).__name__ not in self.skip

    def on_leave(self, original_node: cst.CSTNode) -> None:
        if type(original_node) not in TOKENS:
            self.seen.append(("leave", id(original_node)))


def _walk_order(module: cst.Module, skip: frozenset[str]) -> list[tuple[str, int]]:
    """The walk's order, through a visitor with a `visit_` and a `leave_` for every class."""
    seen: list[tuple[str, int]] = []

    def visit(self: object, node: cst.CSTNode) -> bool:
        seen.append(("visit", id(node)))
        return type(node).__name__ not in skip

    def leave(self: object, node: cst.CSTNode) -> None:
        seen.append(("leave", id(node)))

    methods = {}
    for kind in walk_module.subclasses(cst.CSTNode):
        methods[f"visit_{kind.__name__}"] = visit
        methods[f"leave_{kind.__name__}"] = leave
    walk(module, type("Everything", (cst.CSTVisitor,), methods)())
    return seen


def _sources() -> list[Path]:
    """Every fixture, and a seeded sample of the standard library (all of Python's syntax)."""
    library = sorted(Path(sysconfig.get_paths()["stdlib"]).glob("*.py"))
    return sorted(FIXTURES.rglob("*.py")) + random.Random(2026).sample(library, 25)


@pytest.fixture(autouse=True)
def _fresh_orders(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test learns the field orders afresh, whatever ran before it."""
    monkeypatch.setattr(walk_module, "_FIELDS", {})
    monkeypatch.setattr(walk_module, "_PARTIAL", {})


@pytest.mark.parametrize("skip", [frozenset(), frozenset({"FunctionDef", "Lambda"})],
                         ids=["everything", "skipping-functions"])
def test_walk_meets_nodes_in_libcst_order(skip: frozenset[str]) -> None:
    for path in _sources():
        try:
            module = cst.parse_module(path.read_text(encoding="utf-8"))
        except (cst.ParserSyntaxError, UnicodeDecodeError):
            continue
        expected = _LibcstOrder(skip)
        module.visit(expected)
        assert _walk_order(module, skip) == expected.seen, path


def test_a_field_announced_only_when_set_is_learnt_when_it_is() -> None:
    # The first f-string part has no format spec (libcst then does not announce the field);
    # the second has one, with a call in it that the walk must meet.
    module = cst.parse_module('a = f"{x}"\nb = f"{y:>{width(3)}}"\n')
    calls: list[str] = []

    class Calls(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            calls.append(cst.Module([]).code_for_node(node))

    walk(module, Calls())
    assert calls == ["width(3)"]


def test_walk_leaves_the_tree_alone() -> None:
    module = cst.parse_module("x = normalize(images, axis=1)  # a comment\n")
    before = [id(n) for n in (module, module.body[0], module.body[0].body[0])]
    walk(module, cst.CSTVisitor())
    assert [id(n) for n in (module, module.body[0], module.body[0].body[0])] == before
    assert module.code == "x = normalize(images, axis=1)  # a comment\n"


def test_the_leaves_not_entered_hold_nothing_but_brackets():
    module = cst.parse_module("x = ((a), (1), (1.5), (2j), ('s'), (...))\n")
    found: set[type] = set()
    brackets = 0

    class Leaves(cst.CSTVisitor):
        def on_visit(self, node: cst.CSTNode) -> bool:
            nonlocal brackets
            if type(node) in walk_module._LEAVES:
                found.add(type(node))
                assert all(type(c) in TOKENS for c in node.children)
                brackets += len(node.children)
            return True

    module.visit(Leaves())
    assert found == walk_module._LEAVES and brackets >= 12


def test_a_visitor_with_a_method_for_a_leaf_meets_it():
    names: list[str] = []

    class Names(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            names.append(node.value)

    walk(cst.parse_module("y = f(x, (z))\n"), Names())
    assert names == ["y", "f", "x", "z"]
