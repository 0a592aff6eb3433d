"""A node's code, made without position bookkeeping, is libcst's `code_for_node` exactly."""

from __future__ import annotations

import random
import sysconfig
from pathlib import Path

import libcst as cst
import pytest

from normlint.node_code import code_for_node

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

SPELLINGS = """\
a = tf.keras.utils.normalize
b = tf . keras
c = (tf).keras.utils
d = (tf.keras).utils
e = tf.\\
    keras
f = (tf.
     keras)
g = x[0].shape.count
h = (1), 1_000, 0x1F, 1.5e3, 2j, 'é', (\"s\"), f(x).y
"""


class _Expressions(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.BaseExpression):
            self.found.append(node)
        return True


def _expressions(text: str) -> tuple[cst.Module, list[cst.CSTNode]]:
    module = cst.parse_module(text)
    visitor = _Expressions()
    module.visit(visitor)
    return module, visitor.found


def _sources() -> list[Path]:
    library = sorted(Path(sysconfig.get_paths()["stdlib"]).glob("*.py"))
    return sorted(FIXTURES.rglob("*.py"))[::3] + random.Random(7).sample(library, 8)


def test_names_attributes_and_numbers_in_every_spelling():
    module, nodes = _expressions(SPELLINGS)
    assert sum(isinstance(n, cst.Attribute) for n in nodes) >= 12
    for node in nodes:
        assert code_for_node(module, node) == module.code_for_node(node)


@pytest.mark.parametrize("path", _sources(), ids=lambda p: p.name)
def test_every_expression_of_real_code(path: Path):
    module, nodes = _expressions(path.read_text(encoding="utf-8"))
    for node in nodes:
        assert code_for_node(module, node) == module.code_for_node(node), path
