"""Calls placed from CPython's tree as the walk meets them: the same spans as a codegen pass."""

from __future__ import annotations

import ast
import random
import site
from pathlib import Path

import libcst as cst
import pytest

from conftest import FIXTURES, check_text
from normlint import parsing, screen
from normlint.inference.builder import FactBuilder
from normlint.inference.contracts import EVIDENCE_WORDS
from normlint.positions import AstPositions, positions
from normlint.walk import walk

TRICKY = '''\
import tensorflow as tf
from tensorflow.keras.utils import normalize
(x, _), _ = tf.keras.datasets.mnist.load_data()

@decorate(tf.constant(1))
def helper(a=tf.zeros(3), *, b=(lambda q: normalize(q))(x)):
    return [normalize(v, axis=1) for v in a] if b else {k: f(k)(k) for k in a}

label = f"{normalize(x, axis=1).shape} and {len(x)!r:>{width(3)}}"
café = normalize(x, axis=1) + normalize(x, axis=2)  # é before the call, on the same line
y = (normalize(
    x,
    axis=1,
))[0]
z = g(lambda: normalize(x))(normalize(x, axis=1))
class Model(tf.keras.Model):
    def call(self, inputs):
        return normalize(inputs, axis=1)
'''


def placed_and_reference(text: str):
    tree = ast.parse(text)
    relevance = screen.relevance(text, EVIDENCE_WORDS)
    taken_out = parsing.sliced(text, tree, relevance)
    module = cst.parse_module(taken_out.text)
    placed = AstPositions(tree, text, taken_out.stubbed, taken_out.dropped)
    builder = FactBuilder(module, text, relevance, placed=placed)
    walk(module, builder)
    return placed, builder.spans, positions(module).calls


def builder_and_calls(text: str) -> tuple[FactBuilder, list[cst.Call]]:
    tree, relevance = ast.parse(text), screen.relevance(text, EVIDENCE_WORDS)
    taken_out = parsing.sliced(text, tree, relevance)
    module = cst.parse_module(taken_out.text)
    builder = FactBuilder(module, text, relevance, placed=AstPositions(
        tree, text, taken_out.stubbed, taken_out.dropped))
    walk(module, builder)
    calls: list[cst.Call] = []

    class Calls(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            calls.append(node)

    module.visit(Calls())
    return builder, [call for call in calls if id(call) in builder.spans]


def library_sample(count: int = 120, seed: int = 2026) -> list[Path]:
    files = sorted(path for root in site.getsitepackages() for name in ("keras", "sklearn")
                   for path in (Path(root) / name).rglob("*.py"))
    return random.Random(seed).sample(files, min(count, len(files)))


SOURCES = [*sorted(FIXTURES.rglob("*.py")), *library_sample()]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_every_call_the_walk_meets_is_where_codegen_puts_it(path):
    placed, spans, reference = placed_and_reference(path.read_text(encoding="utf-8"))
    assert not placed.misaligned and not placed.calls
    assert {key: span for key, span in spans.items()} == {key: reference[key] for key in spans}


def test_decorators_defaults_lambdas_fstrings_and_wide_characters():
    placed, spans, reference = placed_and_reference(TRICKY)
    assert not placed.misaligned and not placed.calls
    assert spans == {key: reference[key] for key in spans} and len(spans) > 10


def test_findings_keep_their_columns_after_wide_characters():
    result = check_text(TRICKY, path="tricky.py")
    columns = {(f.span.line, f.span.column) for f in result.findings}
    assert (10, 8) in columns and (10, 31) in columns  # after "café = " and "... + "


@pytest.mark.parametrize("path", SOURCES[::4], ids=lambda p: p.name)
def test_a_call_read_at_its_span_is_the_code_libcst_generates(path):
    builder, calls = builder_and_calls(path.read_text(encoding="utf-8"))
    for call in calls:
        assert builder.code_of(call) == builder.module.code_for_node(call)


def test_code_read_at_spans_across_lines_and_wide_characters():
    crlf_call = "f(\r\n  'é', # a comment\r\n  g(1)\r\n)"
    form_feed = "\x0c# a form feed is no line break for Python\nz = h(2)\n"
    text = TRICKY + form_feed + "y = " + crlf_call + "\r\n"
    builder, calls = builder_and_calls(text)
    assert len(calls) > 10
    assert {builder.code_of(c) for c in calls} >= {crlf_call, "g(1)", "h(2)"}
    for call in calls:
        assert builder.code_of(call) == builder.module.code_for_node(call)


def test_a_reported_line_is_counted_as_python_counts_lines():
    from normlint.types import SourceUnit

    unit = SourceUnit("x.py", "a = 1\n\x0c\nb = normalize(x, axis=1)\r\nc = 3")
    assert [unit.line_text(n) for n in (1, 3, 4)] == ["a = 1", "b = normalize(x, axis=1)", "c = 3"]
