"""`normlint verify TARGET`: find the findings a target names and run their calls on samples."""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass, replace
from typing import Final

from . import api
from .config import Options, settings_for
from .output import CommandError, OutputError, print_problems, wants_color
from .summary import ExitCode, Summary
from .types import Confidence, FileResult, Finding, OutputFormat

_ADDRESS: Final = re.compile(
    r"^(?P<path>.+?)(?::cell (?P<cell>\d+))?(?::(?P<line>\d+)(?::(?P<column>\d+))?)?$")


class VerifyError(CommandError):
    """A target, file or extra that `verify` cannot work with; one line for the user."""


@dataclass(frozen=True, slots=True)
class Target:
    """What `verify` was pointed at, as `check` prints places: `path`, `path:line[:col]`,
    `nb.ipynb:cell N[:line[:col]]`."""

    path: str
    cell: int | None = None
    line: int | None = None
    column: int | None = None

    @classmethod
    def parse(cls, text: str) -> Target:
        if os.path.isfile(text):  # a file whose name looks like an address is that file
            return cls(text)
        match = _ADDRESS.match(text)
        if match is None:
            raise VerifyError(f"{text}: not a file, nor FILE:LINE[:COL] or FILE:cell N:LINE")
        number = lambda key: int(match[key]) if match[key] else None  # noqa: E731
        return cls(match["path"], number("cell"), number("line"), number("column"))

    @property
    def place(self) -> str:
        parts = [f"cell {self.cell}"] if self.cell is not None else []
        parts += [f"line {self.line}"] if self.line is not None else []
        parts += [f"column {self.column}"] if self.column is not None else []
        return ", ".join(parts)

    def names(self, result: FileResult, finding: Finding) -> bool:
        span = finding.span
        where = result.unit.locate(span.line, span.column) if result.unit else None
        cell, line, column = (where.cell, where.line, where.column) if where else (
            None, span.line, span.column)
        return ((self.cell is None or self.cell == cell)
                and (self.line is None or self.line == line)
                and (self.column is None or self.column == column))


def verify_command(args: argparse.Namespace) -> int:
    target = Target.parse(args.target)
    if not os.path.isfile(target.path):
        raise VerifyError(f"{target.path}: no such file")
    verifier = verifier_module()
    settings = settings_for(target.path, Options(min_confidence=Confidence.LOW), args.config)
    [result] = api.check_targets([(target.path, settings)])
    print_problems([result])
    if target.place:
        chosen = tuple(f for f in result.findings if target.names(result, f))
        if not chosen and result.error is None:
            print(f"normlint: {target.path}: no finding at {target.place}"
                  f"{_why_not(target, settings)}", file=sys.stderr)
            return ExitCode.CLEAN
        result = replace(result, findings=chosen)
    [result], seconds = verifier.attach([result], prefer_reference=args.reference)
    if args.pictures:
        _pictures(verifier, result, args.pictures, args.reference)
    summary = Summary.of([result], verify_seconds=seconds)
    from .reporters import json, text

    if args.output_format == OutputFormat.JSON.value:
        sys.stdout.write(json.render([result], summary))
    else:
        sys.stdout.write(text.render([result], summary,
                                     color=wants_color(args.color, sys.stdout)))
    return summary.exit_code()


def _why_not(target: Target, settings) -> str:
    """`; NRM003 is not selected by pyproject.toml` when another rule would report there."""
    from .rules import RULES

    every = replace(settings, rules=RULES, per_file_ignores=())
    [result] = api.check_targets([(target.path, every)])
    hidden = sorted({f.code for f in result.findings if target.names(result, f)}
                    - {rule.code for rule in settings.rules})
    if not hidden:
        return ""
    source = settings.config_file or "the configuration"
    return f"; {', '.join(hidden)} {'is' if len(hidden) == 1 else 'are'} not selected by {source}"


def verifier_module():
    """The verifier, or a clear error when its extra is not installed."""
    try:
        from . import verify
    except ImportError as error:
        raise VerifyError(f"verifying needs numpy ({error.name} is missing): "
                          "pip install 'normlint[verify]'") from None
    return verify


def _pictures(verifier, result: FileResult, folder: str, reference: bool) -> None:
    try:
        from .verify.pictures import write_picture
        import PIL  # noqa: F401
    except ImportError:
        raise VerifyError("--pictures needs Pillow: pip install 'normlint[verify]'") from None
    stem = os.path.splitext(os.path.basename(result.path))[0]
    for finding in result.findings:
        run = verifier.verify_call(finding.call, reference, finding.code) if finding.call else None
        if run is None:
            continue
        where = result.unit.locate(finding.span.line, 1) if result.unit else None
        cell = f"cell{where.cell}_" if where and where.cell is not None else ""
        line = where.line if where else finding.span.line
        place = f"{result.path}:{'cell ' + str(where.cell) + ':' if where and where.cell else ''}{line}"
        try:
            written = write_picture(run, finding, folder, f"{stem}_{cell}line{line}_{finding.code}",
                                    place)
        except OSError as error:
            raise OutputError(f"{folder}: cannot write pictures: {error.strerror}") from None
        if written:
            print(f"normlint: wrote {written}", file=sys.stderr)
