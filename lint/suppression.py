"""Drop the findings a user silenced (`# noqa`, `# noqa: NRM001`, `# normlint: noqa[: CODES]`),
and say which of normlint's own directives silence nothing or name no rule (NRM100).

Directives count only in comments: `"# normlint: noqa"` inside a string is text, not a switch.
Codes of other tools (`# noqa: E501`) are theirs and left alone.
"""

from __future__ import annotations

import ast
import fnmatch
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from .lines import line_breaks, python_lines
from .types import Confidence, Finding, SourceUnit, Span

UNUSED_NOQA: Final = "NRM100"

_NOQA: Final = re.compile(
    r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)
_FILE_NOQA: Final = re.compile(
    r"#\s*normlint\s*:\s*noqa\b(?:\s*:\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?",
    re.IGNORECASE)
_OURS: Final = "NRM"
_MENTION: Final = re.compile("noqa", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Directive:
    """One noqa comment: where it is, and the codes it names (None: every code)."""

    line: int
    column: int  # 1-based, where the `#` of the directive is
    end_column: int
    codes: frozenset[str] | None
    whole_file: bool

    def silences(self, finding: Finding) -> bool:
        on_line = self.whole_file or finding.span.line == self.line
        return on_line and (self.codes is None or finding.code in self.codes)


def comments(text: str) -> dict[int, tuple[int, str]]:
    """line -> (column, comment text) for every comment; by line when the text does not
    tokenize (it did parse, so that is rare)."""
    import tokenize  # only for files that mention noqa

    found: dict[int, tuple[int, str]] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                found[token.start[0]] = (token.start[1], token.string)
    except (tokenize.TokenError, SyntaxError):
        for number, line in enumerate(python_lines(text), start=1):
            if "#" in line:
                found[number] = (line.index("#"), line[line.index("#"):])
    return found


def directives(text: str, tree: ast.Module | None = None) -> list[Directive]:
    """Every noqa directive in the comments of `text` that can touch a finding of normlint's:
    a bare `# noqa`, a file-level one, or one naming a code of ours (`# noqa: E501` cannot).
    The comments are read only when the text holds such a directive at all (tokenizing a
    large file costs more than the rest of its check), and with CPython's `tree` of the text,
    only on the lines that mention noqa."""
    if _MENTION.search(text) is None or not (
            _FILE_NOQA.search(text) or any(_ours(m.group("codes")) for m in _NOQA.finditer(text))):
        return []
    read = _noqa_comments(text, tree) if tree is not None else None
    found = []
    for line, (offset, comment) in (comments(text) if read is None else read).items():
        whole = _FILE_NOQA.search(comment)
        for match in [whole] if whole else _NOQA.finditer(comment):
            codes = match.group("codes")
            if not (whole or _ours(codes)):
                continue
            named = frozenset(c.upper() for c in re.split(r"[\s,]+", codes) if c) \
                if codes else None
            found.append(Directive(line, offset + match.start() + 1, offset + match.end() + 1,
                                   named, whole_file=whole is not None))
    return found


def _noqa_comments(text: str, tree: ast.Module) -> dict[int, tuple[int, str]] | None:
    """`comments(text)` for the lines that mention noqa (no other comment holds a directive),
    without tokenizing: outside a string, a `#` starts a comment, and CPython's tree tells
    where the strings are. None (tokenize, then) when a `#` lies in a string that spans lines:
    that may be a comment between the parts of a string written on several lines."""
    lines = python_lines(text)
    found: dict[int, tuple[int, str]] = {}
    number, at = 1, 0
    for mention in _MENTION.finditer(text):
        number += line_breaks(text, at, mention.start())
        at = mention.start()
        if number in found or "#" not in lines[number - 1]:
            continue
        line = lines[number - 1]
        spans = _string_spans(tree.body, number)
        for column, character in enumerate(line):
            if character != "#":
                continue
            offset = len(line[:column].encode("utf-8", "surrogatepass"))  # as CPython counts
            inside = [s for s in spans if s.covers(number, offset)]
            if any(s.lines > 1 for s in inside):
                return None
            if not inside:
                found[number] = (column, line[column:])
                break
    return found


@dataclass(frozen=True, slots=True)
class _StringSpan:
    """Where a string (or f-string) stands, in CPython's terms: columns in UTF-8 bytes."""

    start: tuple[int, int]
    end: tuple[int, int]

    @property
    def lines(self) -> int:
        return self.end[0] - self.start[0] + 1

    def covers(self, line: int, column: int) -> bool:
        return self.start <= (line, column) < self.end


def _string_spans(nodes: Iterable[ast.AST], line: int) -> list[_StringSpan]:
    """The strings of `nodes` (and of the nodes in them) that stand on `line`: only the
    nodes whose lines hold `line` are entered."""
    spans = []
    for node in nodes:
        first = getattr(node, "lineno", None)
        for decorator in getattr(node, "decorator_list", ()):  # above the `def` line
            first = min(first, decorator.lineno)
        if first is not None and not first <= line <= (node.end_lineno or first):
            continue
        if isinstance(node, ast.JoinedStr) or (
                isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes))):
            end = (node.end_lineno or first, node.end_col_offset or 0)
            spans.append(_StringSpan((first, node.col_offset), end))
        else:
            spans += _string_spans(ast.iter_child_nodes(node), line)
    return spans


def _ours(codes: str | None) -> bool:
    """Whether a noqa comment's codes (None: a bare `# noqa`) can silence one of ours."""
    return codes is None or _OURS in codes.upper()


def unsuppressed(unit: SourceUnit, findings: Iterable[Finding],
                 found: list[Directive] | None = None) -> list[Finding]:
    """The findings no directive silences."""
    found = directives(unit.text) if found is None else found
    return [f for f in findings if not any(d.silences(f) for d in found)]


def unused_directives(found: list[Directive], findings: Iterable[Finding],
                      enabled: Iterable[str], known: Iterable[str]) -> list[Finding]:
    """NRM100 findings: normlint codes in directives that name no rule, or that silence
    nothing although their rule ran. Other tools' codes and bare `# noqa` are left alone."""
    findings = list(findings)
    enabled, known = set(enabled), set(known)
    reported = []
    for directive in found:
        for code in sorted(c for c in directive.codes or () if c.startswith(_OURS)):
            if code not in known:
                message = f"`{code}` in a noqa comment names no rule (`normlint rules` lists them)"
            elif code in enabled and not any(
                    f.code == code and directive.silences(f) for f in findings):
                where = "in this file" if directive.whole_file else "on this line"
                message = f"`# noqa: {code}` silences nothing {where}: remove {code}"
            else:
                continue
            span = Span(directive.line, directive.column, directive.line, directive.end_column)
            reported.append(Finding(UNUSED_NOQA, "unused-noqa", message, span, Confidence.HIGH,
                                    subject=f"noqa {code}"))
    return reported


def ignored_codes(path: str, per_file_ignores: Iterable[tuple[str, tuple[str, ...]]]) -> set[str]:
    """Codes (or prefixes) that `per-file-ignores` switches off for `path`."""
    found: set[str] = set()
    for pattern, codes in per_file_ignores:
        if fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(path, f"*/{pattern}"):
            found.update(codes)
    return found
