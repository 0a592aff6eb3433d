"""Check one file: cheap screens first, then parse once, build facts, run the rules, suppress."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace

from . import screen
from .notebooks import placed
from .parsing import load_unit, parse_unit
from .settings import Settings
from .suppression import (
    UNUSED_NOQA, Directive, directives, ignored_codes, unsuppressed, unused_directives,
)
from .types import (
    Confidence, EstimatorCall, FileError, FileResult, Finding, NormCall, Skip, SourceUnit, StepCall,
)


def triage(path: str, data: bytes, settings: Settings) -> FileResult | SourceUnit:
    """A finished result for the many files no rule can fire on, or the unit to analyse."""
    kinds = settings.kinds_in(data)
    if not kinds:
        return _without_findings(path, data, settings)
    notebook = path.endswith(".ipynb")
    if not notebook and len(data) > settings.max_file_size:
        return FileResult(path, skipped=_too_large(len(data), settings))
    unit = load_unit(path, data)
    if isinstance(unit, FileError):
        return FileResult(path, error=unit)
    if notebook and len(unit.text) > settings.max_file_size:  # its code, not its outputs
        return FileResult(path, skipped=_too_large(len(unit.text), settings))
    screened = _screen(unit, data, settings, kinds)
    if not (notebook and settings.place_cells):
        return screened
    if isinstance(screened, SourceUnit):  # to be analysed: its findings will be reported
        return placed(screened, data)
    return replace(screened, unit=placed(unit, data)) if screened.findings else screened


def _may_know_images(unit: SourceUnit) -> bool:
    """Whether anything in the unit could tell an array is images: an evidence word, or an
    import from a module of the same project (its helpers may tell). The table of APIs is
    loaded only for files that reach this point."""
    from .inference.contracts import EVIDENCE_WORDS
    from .inference.imports import imports_project_module

    return screen.mentions(unit.text, EVIDENCE_WORDS) or imports_project_module(unit.path,
                                                                                unit.text)


def _screen(unit: SourceUnit, data: bytes, settings: Settings,
            kinds: frozenset[type]) -> FileResult | SourceUnit:
    """The text screens: a unit in which no enabled rule can find a record it reads (a catalog
    call with something that could tell an array is an image, an estimator's fit, a scaling
    step) is finished without parsing."""
    from .inference import estimators, scaling

    text = unit.text
    if EstimatorCall in kinds and estimators.may_hold_fits(text):
        return unit
    if StepCall in kinds and scaling.may_hold_steps(text):
        return unit
    if NormCall not in kinds or not screen.may_reach_catalog(text):
        return _without_findings(unit.path, data, settings, unit)
    # Without a loader, reader, reshape or model input shape, nothing can tell an array is an
    # image: no finding could be more than a guess from a name.
    if settings.min_confidence > Confidence.LOW and not _may_know_images(unit):
        return _without_findings(unit.path, data, settings, unit, hidden_ones=True)
    return unit


def check_unit(unit: SourceUnit, settings: Settings) -> FileResult:
    """A unit that is already in memory (an editor's document): the same screens, then the
    analysis."""
    data = unit.text.encode("utf-8", "surrogatepass")
    kinds = settings.kinds_in(data)
    if not kinds:
        return _without_findings(unit.path, data, settings, unit)
    screened = _screen(unit, data, settings, kinds)
    return screened if isinstance(screened, FileResult) else analyse(screened, settings)


def _without_findings(path: str, data: bytes, settings: Settings, unit: SourceUnit | None = None,
                      hidden_ones: bool = False) -> FileResult:
    """The result of a file the screens proved to have no finding (or, with `hidden_ones`,
    none at the run's confidence): clean, but for NRM100 on its normlint noqa comments, which
    silence nothing here, or (with `hidden_ones`) only those that name no rule at all."""
    if not (data.find(b"NRM") >= 0 and any(r.code == UNUSED_NOQA for r in settings.rules)):
        return FileResult(path)  # no unit: nothing to show, and nothing to send between processes
    if unit is None:
        loaded = load_unit(path, data)
        if isinstance(loaded, FileError):
            return FileResult(path)
        unit = loaded
    enabled = () if hidden_ones else [r.code for r in settings.rules]
    findings = tuple(_noqa_findings(directives(unit.text), [], enabled))
    return FileResult(path, findings, unit=unit if findings else None)


def _noqa_findings(found: list[Directive], findings: list[Finding],
                   enabled: Iterable[str]) -> list[Finding]:
    from .rules import BY_CODE

    return unused_directives(found, findings, enabled, BY_CODE)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while libcst builds a tree: its hundreds of thousands of
    young objects trigger many collections that find nothing (their cycles die with the
    tree, and a collection runs when the pause ends)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def analyse(unit: SourceUnit, settings: Settings) -> FileResult:
    """Parse a unit that passed the screen and report what the enabled rules find in it."""
    with _collector_paused():
        return _analyse(unit, settings)


def _analyse(unit: SourceUnit, settings: Settings) -> FileResult:
    from .inference import builder  # libcst is imported only for files that survive the screen
    from .inference.contracts import EVIDENCE_WORDS
    from .inference.imports import ProjectImports
    from .inference.records import record_relevance

    try:
        relevance = screen.relevance(unit.text, EVIDENCE_WORDS, *record_relevance(unit.text))
        parsed = parse_unit(unit, relevance)
        if isinstance(parsed, FileError):
            return FileResult(unit.path, error=parsed, unit=unit)
        if isinstance(parsed, Skip):
            return FileResult(unit.path, skipped=parsed, unit=unit)
        imports = ProjectImports(unit.path, EVIDENCE_WORDS)
        calls = builder.build(parsed.module, unit.text, relevance, unit.locate, imports,
                              parsed.tree, parsed.taken_out)
        ignored = ignored_codes(unit.path, settings.per_file_ignores)
        rules = [r for r in settings.rules if not any(r.code.startswith(i) for i in ignored)]
        findings = [finding for call in calls for rule in rules if isinstance(call, rule.reads)
                    for finding in rule.check(call)]
        found = directives(unit.text, parsed.tree)
        kept = unsuppressed(unit, findings, found)
        if any(r.code == UNUSED_NOQA for r in rules):
            # A silenced finding below min-confidence still uses its noqa comment.
            kept += _noqa_findings(found, findings, (r.code for r in rules))
        kept = [f for f in kept if f.confidence >= settings.min_confidence]
        kept.sort(key=lambda f: (f.span.line, f.span.column, f.code))
        return FileResult(unit.path, tuple(kept), unit=unit,
                          dependencies=tuple(imports.dependencies))
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
