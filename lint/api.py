"""Public entry points: check paths or source text and get one FileResult per file."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

from . import files
from .runner import analyse, check_file, triage
from .settings import Settings
from .types import FileError, FileResult, SourceUnit

# Below this many files to parse, starting worker processes costs more than it saves.
_PARALLEL_THRESHOLD = 4


def check_source(text: str, settings: Settings, path: str = "<stdin>") -> FileResult:
    return check_file(path, text.encode("utf-8"), settings)


def check_paths(paths: Iterable[str], settings: Settings) -> Iterator[FileResult]:
    """Results for every file under `paths`, in discovery order."""
    pending: list[SourceUnit] = []
    order: list[str] = []
    done: dict[str, FileResult] = {}
    for path in files.discover(paths, settings.excludes, settings.force_exclude):
        order.append(path)
        try:
            data = files.read(path)
        except OSError as error:
            done[path] = FileResult(path, error=FileError(f"cannot read: {error.strerror or error}"))
            continue
        try:
            triaged = triage(path, data, settings)
        except Exception as error:  # the screen is simple, but one file must never stop a scan
            triaged = FileResult(path, error=FileError(f"internal error: {error}", internal=True))
        if isinstance(triaged, FileResult):
            done[path] = triaged
        else:
            pending.append(triaged)
    for result in _analyse_all(pending, settings):
        done[result.path] = result
    for path in order:
        yield done[path]


def _analyse_all(units: list[SourceUnit], settings: Settings) -> Iterator[FileResult]:
    jobs = settings.jobs or os.cpu_count() or 1
    if len(units) < _PARALLEL_THRESHOLD or jobs == 1:
        yield from (analyse(unit, settings) for unit in units)
        return
    # Big files first, so that one large file does not finish last on its own.
    units = sorted(units, key=lambda u: -len(u.text))
    with ProcessPoolExecutor(max_workers=min(jobs, len(units))) as pool:
        yield from pool.map(analyse, units, [settings] * len(units))
