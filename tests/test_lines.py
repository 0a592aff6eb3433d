"""Lines as Python numbers them: the fast split at `\\n` agrees with the general one."""

from __future__ import annotations

import random
import re

import pytest

from normlint.lines import line_list, python_lines

# The definition: only \n, \r\n and \r end a line (not a form feed, as str.splitlines has it).
_BREAK = re.compile(r"\r\n|\r|\n")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def _texts() -> list[str]:
    rng = random.Random(11)
    pieces = ["a", "bc", " ", "\n", "\r", "\r\n", "\x0c", "\x0b", "\u2028", "\x85", "#"]
    fixed = ["", "\n", "a", "a\n", "a\n\nb", "\n\n", "x\x0cy\n", "x\u2028y"]
    return fixed + ["".join(rng.choices(pieces, k=rng.randint(0, 30))) for _ in range(400)]


@pytest.mark.parametrize("keepends", [False, True])
def test_python_lines_match_the_definition(keepends: bool) -> None:
    for text in _texts():
        expected = _LINE.findall(text) if keepends else _BREAK.split(text)
        assert python_lines(text, keepends) == expected, repr(text)


def test_kept_ends_give_the_text_back_and_a_form_feed_ends_no_line() -> None:
    for text in _texts():
        assert "".join(python_lines(text, keepends=True)) == text
    assert python_lines("a\x0cb\nc") == ["a\x0cb", "c"]


def test_line_list_is_python_lines() -> None:
    for text in _texts()[:50]:
        assert list(line_list(text)) == python_lines(text)


def test_line_breaks_between_offsets_count_as_python_lines_do():
    from normlint.lines import line_breaks

    rng = random.Random(12)
    for text in _texts():
        cuts = [i for i in range(len(text) + 1) if text[i - 1 : i + 1] != "\r\n"]
        start, end = sorted(rng.choices(cuts, k=2))
        expected = len(python_lines(text[:end])) - len(python_lines(text[:start]))
        assert line_breaks(text, start, end) == expected, repr(text)
