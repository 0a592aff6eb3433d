"""The command line: parse arguments, call the api, print, return the exit code."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from . import __version__, api
from .reporters import text
from .settings import Settings
from .summary import ExitCode, Summary
from .types import Confidence


class UsageError(Exception):
    pass


def _codes(value: str) -> tuple[str, ...]:
    return tuple(code.strip().upper() for code in value.split(",") if code.strip())


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="normlint",
        description="Find normalization misuse in machine-learning code.",
    )
    parser.add_argument("--version", action="version", version=f"normlint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("check", help="check files and directories (default: .)")
    check.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    check.add_argument("--select", type=_codes, default=("NRM",),
                       help="comma-separated codes or prefixes to enable (default: all)")
    check.add_argument("--ignore", type=_codes, default=(),
                       help="comma-separated codes or prefixes to disable")
    check.add_argument("--min-confidence", choices=[c.name.lower() for c in Confidence],
                       default="medium",
                       help="hide findings less sure than this (default: medium)")
    check.add_argument("--jobs", type=int, default=None, help="worker processes (default: cores)")

    rule = commands.add_parser("rule", help="explain one rule")
    rule.add_argument("code")
    commands.add_parser("rules", help="list every rule")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "rule":
            return _rule(args.code)
        if args.command == "rules":
            return _rules()
        if args.command == "check":
            return _check(args)
        parser.print_help()
        return ExitCode.ERROR
    except UsageError as error:
        print(f"normlint: error: {error}", file=sys.stderr)
        return ExitCode.ERROR


def _rules() -> int:
    from .rules import RULES

    width = max(len(rule.name) for rule in RULES)
    for rule in RULES:
        print(f"{rule.code}  {rule.name:<{width}}  {rule.summary}")
    return ExitCode.CLEAN


def _rule(code: str) -> int:
    from .rules import BY_CODE

    rule = BY_CODE.get(code.upper())
    if rule is None:
        raise UsageError(f"unknown rule {code!r}; `normlint rules` lists them")
    print(f"# {rule.name} ({rule.code})\n\n{rule.doc.strip()}")
    return ExitCode.CLEAN


def _check(args: argparse.Namespace) -> int:
    from .rules import select

    missing = [p for p in args.paths if not os.path.exists(p)]
    if missing:
        raise UsageError(f"no such file or directory: {missing[0]}")
    rules = select(args.select, args.ignore)
    settings = Settings(rules=rules, min_confidence=Confidence.parse(args.min_confidence),
                        jobs=args.jobs)
    results = list(api.check_paths(args.paths, settings))
    summary = Summary.of(results)
    for result in results:
        if result.error is not None:
            print(f"{result.path}: error: {result.error.reason}", file=sys.stderr)
    sys.stdout.write(text.render(results, summary))
    return summary.exit_code()
