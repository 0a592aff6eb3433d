"""Drop the findings a user silenced (`# noqa`, `# noqa: NRM001`, `# normlint: noqa[: CODES]`),
and say which of normlint's own directives silence nothing or name no rule (NRM100).

Directives count only in comments: `"# normlint: noqa"` inside a string is text, not a switch.
Codes of other tools (`# noqa: E501`) are theirs and left alone.
"""

from __future__ import annotations

import fnmatch
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from .lines import python_lines
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


def directives(text: str) -> list[Directive]:
    """Every noqa directive in the comments of `text` that can touch a finding of normlint's:
    a bare `# noqa`, a file-level one, or one naming a code of ours (`# noqa: E501` cannot).
    The comments are read only when the text holds such a directive at all (tokenizing a
    large file costs more than the rest of its check)."""
    if _MENTION.search(text) is None or not (
            _FILE_NOQA.search(text) or any(_ours(m.group("codes")) for m in _NOQA.finditer(text))):
        return []
    found = []
    for line, (offset, comment) in comments(text).items():
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
