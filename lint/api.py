"""Public entry points: check paths or source text and get one FileResult per file."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
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
    """Results for every file under `paths`, in discovery order, all with the same settings."""
    return check_targets([(path, settings) for path in paths])


def discover(targets: Iterable[tuple[str, Settings]]) -> list[tuple[str, Settings]]:
    """Every file to check, each with the settings of the path it was found under."""
    found: dict[str, Settings] = {}
    for path, settings in targets:
        for item in files.discover([path], settings.excludes, settings.force_exclude,
                                   settings.root):
            found.setdefault(item, settings)
    return list(found.items())


def check_targets(targets: Iterable[tuple[str, Settings]],
                  progress: Callable[[int, int], None] | None = None) -> Iterator[FileResult]:
    """Results for every file under each (path, settings) target, in discovery order."""
    pending: list[tuple[SourceUnit, Settings]] = []
    order: list[str] = []
    done: dict[str, FileResult] = {}
    every = discover(targets)
    for index, (path, settings) in enumerate(every, start=1):
        if progress is not None:
            progress(index, len(every))
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
            pending.append((triaged, settings))
    for result in _analyse_all(pending):
        done[result.path] = result
    for path in order:
        yield done[path]


def _analyse_all(work: list[tuple[SourceUnit, Settings]]) -> Iterator[FileResult]:
    jobs = min((s.jobs or os.cpu_count() or 1) for _, s in work) if work else 1
    if len(work) < _PARALLEL_THRESHOLD or jobs == 1:
        yield from (analyse(unit, settings) for unit, settings in work)
        return
    # Big files first, so that one large file does not finish last on its own.
    work = sorted(work, key=lambda item: -len(item[0].text))
    with ProcessPoolExecutor(max_workers=min(jobs, len(work))) as pool:
        yield from pool.map(analyse, [u for u, _ in work], [s for _, s in work])
