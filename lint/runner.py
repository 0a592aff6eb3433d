"""Check one file: cheap screens first, then parse once, build facts, run the rules, suppress."""

from __future__ import annotations

from dataclasses import replace

from . import screen
from .parsing import load_unit, parse
from .settings import Settings
from .suppression import ignored_codes, unsuppressed
from .sources import EVIDENCE_WORDS
from .types import Confidence, FileError, FileResult, Skip, SourceUnit


def triage(path: str, data: bytes, settings: Settings) -> FileResult | SourceUnit:
    """A finished result for the many files no rule can fire on, or the unit to analyse."""
    if not any(data.find(trigger) >= 0 for trigger in settings.triggers):
        return FileResult(path)
    notebook = path.endswith(".ipynb")
    if not notebook and len(data) > settings.max_file_size:
        return FileResult(path, skipped=_too_large(len(data), settings))
    unit = load_unit(path, data)
    if isinstance(unit, FileError):
        return FileResult(path, error=unit)
    if notebook and len(unit.text) > settings.max_file_size:  # its code, not its outputs
        return FileResult(path, skipped=_too_large(len(unit.text), settings))
    if not screen.may_reach_catalog(unit.text):
        return FileResult(path, unit=unit)
    # Without a loader, reader, reshape or model input shape, nothing can tell an array is an
    # image: no finding could be more than a guess from a name.
    if settings.min_confidence > Confidence.LOW and not screen.mentions(unit.text, EVIDENCE_WORDS):
        return FileResult(path, unit=unit)
    return unit


def analyse(unit: SourceUnit, settings: Settings) -> FileResult:
    """Parse a unit that passed the screen and report what the enabled rules find in it."""
    from . import facts  # libcst is imported only for files that survive the screen

    try:
        relevance = screen.relevance(unit.text, EVIDENCE_WORDS)
        module = parse(unit, relevance)
        if isinstance(module, FileError):
            return FileResult(unit.path, error=module, unit=unit)
        if isinstance(module, Skip):
            return FileResult(unit.path, skipped=module, unit=unit)
        calls = facts.build(module, unit.text, relevance, unit.locate)
        ignored = ignored_codes(unit.path, settings.per_file_ignores)
        rules = [r for r in settings.rules if not any(r.code.startswith(i) for i in ignored)]
        findings = [
            finding
            for call in calls
            for rule in rules
            for finding in rule.check(call)
            if finding.confidence >= settings.min_confidence
        ]
        kept = unsuppressed(unit, findings)
        if unit.is_notebook:  # `fix` does not rewrite notebooks: offer only what it applies
            kept = [replace(f, fix=None) if f.fix else f for f in kept]
        kept.sort(key=lambda f: (f.span.line, f.span.column, f.code))
        return FileResult(unit.path, tuple(kept), unit=unit)
    except RecursionError:  # a backstop: parse() skips what it knows to be too deep
        return FileResult(unit.path, skipped=Skip("too deeply nested to analyse"), unit=unit)
    except Exception as error:  # one file's bug must never stop the scan
        reason = f"internal error: {type(error).__name__}: {error}".splitlines()[0]
        return FileResult(unit.path, error=FileError(reason, internal=True), unit=unit)


def _too_large(size: int, settings: Settings) -> Skip:
    return Skip(f"{readable_size(size)} of code is over max-file-size "
                f"({readable_size(settings.max_file_size)})")


def readable_size(size: int) -> str:
    """`812 bytes`, `3.4 kB`, `10 MB`: as a person writes a size."""
    if size < 1000:
        return f"{size} byte{'' if size == 1 else 's'}"
    for unit, scale in (("kB", 1e3), ("MB", 1e6)):
        if size < scale * 1000:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size / 1e9:.1f}".removesuffix(".0") + " GB"


def check_file(path: str, data: bytes, settings: Settings) -> FileResult:
    triaged = triage(path, data, settings)
    return triaged if isinstance(triaged, FileResult) else analyse(triaged, settings)
