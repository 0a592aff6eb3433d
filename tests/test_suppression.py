"""`# noqa`, `# noqa: CODES` and file-level `# normlint: noqa`, as users write them."""

from __future__ import annotations

import pytest

from conftest import check_text

HEAD = "import tensorflow as tf\n(x, _), _ = tf.keras.datasets.mnist.load_data()\n"
CALL = "y = tf.keras.utils.normalize(x, axis=1)"


@pytest.mark.parametrize(("comment", "reported"), [
    ("", True),
    ("  # noqa", False),
    ("  # noqa: NRM001", False),
    ("  # NOQA:NRM001", False),
    ("  # noqa: E501, NRM001", False),
    ("  # noqa: E501,W291", True),
    ("  # noqa: NRM002", True),
    ("  # noqa: E501  # noqa: NRM001", False),
    ("  # type: ignore", True),
])
def test_line_comments(comment, reported):
    result = check_text(HEAD + CALL + comment + "\n")
    assert ("NRM001" in codes(result)) is reported


def codes(result) -> list[str]:
    return [f.code for f in result.findings]


def test_a_multiline_call_is_silenced_on_its_first_line():
    source = HEAD + "y = tf.keras.utils.normalize(  # noqa: NRM001\n    x,\n    axis=1,\n)\n"
    assert check_text(source).findings == ()
    source = HEAD + "y = tf.keras.utils.normalize(\n    x,  # noqa: NRM001\n    axis=1,\n)\n"
    assert codes(check_text(source)) == ["NRM001", "NRM100"]  # and the comment is unused


def test_file_level_noqa():
    assert check_text("# normlint: noqa\n" + HEAD + CALL + "\n").findings == ()
    assert len(check_text("# normlint: check\n" + HEAD + CALL + "\n").findings) == 1


def test_file_level_noqa_with_codes_silences_only_those():
    head = HEAD + "x4 = x.reshape(-1, 28, 28, 1)\n"
    calls = CALL + "\nz = tf.keras.utils.normalize(x4, axis=-1)\n"  # NRM001, then NRM002
    assert codes(check_text(head + calls)) == ["NRM001", "NRM002"]
    assert codes(check_text("# normlint: noqa: NRM001\n" + head + calls)) == ["NRM002"]
    assert codes(check_text("# normlint: noqa: NRM001, NRM002\n" + head + calls)) == []


def test_directives_count_only_in_comments():
    in_string = 'doc = """\n# normlint: noqa\n"""\n'
    assert codes(check_text(in_string + HEAD + CALL + "\n")) == ["NRM001"]
    assert codes(check_text(HEAD + CALL.replace("axis=1", "axis=1, name='# noqa'") + "\n")) \
        == ["NRM001"]


def test_unknown_and_unused_codes_are_reported_as_nrm100():
    result = check_text(HEAD + CALL + "  # noqa: NRM01\n")
    assert codes(result) == ["NRM001", "NRM100"]
    [unknown] = [f for f in result.findings if f.code == "NRM100"]
    assert "`NRM01` in a noqa comment names no rule" in unknown.message
    assert (unknown.span.line, unknown.span.column) == (3, len(CALL) + 3)
    # A file no rule can fire on is never parsed, and its typos are still found.
    assert codes(check_text("x = 1  # noqa: NRM9\n")) == ["NRM100"]
    assert codes(check_text("x = 1  # noqa: E501, NRM001\n")) == ["NRM100"]
    # Unused only where the rule ran: --ignore NRM001 makes its noqa neither used nor unused.
    from normlint.rules import select

    only_100 = check_text("x = 1  # noqa: NRM001\n", rules=select(("NRM",), ("NRM001",)))
    assert codes(only_100) == []
    # A silenced low-confidence finding uses its comment even when it is not shown.
    assert codes(check_text("import tensorflow as tf\n"
                            "x_train = tf.keras.utils.normalize(x_train, axis=1)  # noqa: NRM001\n"
                            )) == []
    assert codes(check_text("x = 1  # noqa: NRM100\n", rules=select(("NRM001",)))) == []


def test_other_tools_codes_are_not_read_at_all(monkeypatch):
    from normlint import suppression

    text = "x = 1  # noqa: E501\ny = 2  # noqa: F401, W291\n" * 500
    monkeypatch.setattr(suppression, "comments", lambda text: pytest.fail("tokenized"))
    assert suppression.directives(text) == []


def test_a_directive_that_names_one_of_ours_among_others_counts():
    from normlint.suppression import directives

    found = directives("x = 1  # noqa: E501, NRM001\ny = 2  # noqa: E501\nz = 3  # noqa\n")
    assert [(d.line, d.codes) for d in found] == [(1, frozenset({"E501", "NRM001"})), (3, None)]


TRICKY_COMMENTS = '''\
"""A docstring with # noqa in it."""
import os  # noqa
s = "# noqa: NRM001"  # noqa: NRM002
t = 'a # b' + "c"  # NOQA:NRM001,E501
u = f"{s!r:>{10}} # noqa"  # noqa: NRM003
café = "é"  # noqa: NRM001
e = "éééé" # noqa: NRM002
@decorate("# noqa: NRM001")
def f():  # noqa
    return b"# noqa"  # normlint: noqa: NRM002
x = 1  # a comment # noqa: NRM001
'''
# Strings on several lines that hold `# noqa` (the tokenizer decides there).
SPREAD_STRINGS = '''\
v = ("a"  # noqa: NRM001
     "b")
w = """
# noqa
"""  # noqa: NRM002
'''


def _texts_with_noqa() -> list[tuple[str, str]]:
    import random

    from test_sweep import package_roots

    library = sorted(p for root in package_roots() for p in root.rglob("*.py"))
    sample = random.Random(5).sample(library, 1500)
    found = [(str(p), p.read_text(encoding="utf-8", errors="replace")) for p in sample]
    found = [(name, text) for name, text in found if "noqa" in text.lower()][:60]
    crlf = [(f"{name} (CRLF)", text.replace("\n", "\r\n")) for name, text in found[:10]]
    tricky = [TRICKY_COMMENTS, TRICKY_COMMENTS + SPREAD_STRINGS]
    return [*((f"tricky {i}", text) for i, text in enumerate(tricky)),
            *((f"tricky {i} (CRLF)", text.replace("\n", "\r\n")) for i, text in enumerate(tricky)),
            *found, *crlf]


def test_directives_read_with_the_tree_are_those_tokenizing_finds():
    """The lines CPython's tree says are comments hold the directives the tokenizer finds:
    on tricky lines (strings holding `# noqa`, decorators, wide characters, `\\r\\n`) and on
    library files that use noqa."""
    import ast

    from normlint import suppression
    from normlint.suppression import directives

    texts = _texts_with_noqa()
    assert len(texts) > 30
    assert suppression._noqa_comments(TRICKY_COMMENTS, ast.parse(TRICKY_COMMENTS))  # no tokenizing
    for name, text in texts:
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        assert directives(text, tree) == directives(text), name


def test_a_comment_between_parts_of_a_string_is_left_to_the_tokenizer(monkeypatch):
    import ast

    from normlint import suppression

    text = SPREAD_STRINGS
    assert suppression._noqa_comments(text, ast.parse(text)) is None
    tokenized = []
    monkeypatch.setattr(suppression, "comments", lambda t: tokenized.append(t) or {})
    suppression.directives(text, ast.parse(text))
    assert tokenized == [text]
