"""Public entry points: check paths or source text and get one FileResult per file."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import files
from .cache import Cache, content_hash, folder_for, fingerprint
from .parsing import load_unit
from .runner import analyse, check_file, triage
from .settings import Settings
from .types import FileError, FileResult, Skip, SourceUnit

if TYPE_CHECKING:
    from concurrent.futures import Executor

# Below this many files to read, or to parse, worker processes cost more than they save.
_PARALLEL_READS = 512
_PARALLEL_PARSES = 4
_CHUNK = 16  # files per task: small enough that the workers finish together


def check_source(text: str, settings: Settings, path: str = "<stdin>") -> FileResult:
    return check_file(path, text.encode("utf-8"), settings)


def check_bytes(data: bytes, settings: Settings, path: str = "<stdin>") -> FileResult:
    """A file's bytes as read from stdin: its coding cookie or BOM decides the encoding."""
    return check_file(path, data, settings)


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


@dataclass(frozen=True, slots=True)
class _Triaged:
    """What reading one file gave: a finished result or a unit to parse, and its hash."""

    path: str
    outcome: FileResult | SourceUnit | FileError
    digest: str | None  # None when the file could not be read
    as_cached: bool = False  # the content is what the cache remembers: its findings stand


def _triage_one(path: str, settings: Settings, known: str | None = None) -> _Triaged:
    """Read and screen one file. When its content hash is `known`, the cache's findings
    stand; only the unit is rebuilt, for the report's snippets."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO or device would block or never end
            return _Triaged(path, FileResult(path, skipped=Skip("not a regular file")), None)
        data = files.read(path)
    except OSError as error:
        reason = f"cannot read: {error.strerror or error}"
        return _Triaged(path, FileResult(path, error=FileError(reason)), None)
    digest = content_hash(data) if settings.cache else None  # no cache: nothing to compare
    if digest is not None and digest == known:
        unit = load_unit(path, data, place_cells=settings.place_cells)
        return _Triaged(path, unit, digest, as_cached=True)
    try:
        outcome = triage(path, data, settings)
    except Exception as error:  # the screen is simple, but one file must never stop a scan
        outcome = FileResult(path, error=FileError(f"internal error: {error}", internal=True))
    return _Triaged(path, outcome, digest)


def _check_one(path: str, settings: Settings, known: str | None = None) -> _Triaged:
    """Read, screen and (when a rule may fire) analyse one file, in one go: a worker sends
    back only the result, never a unit to parse elsewhere."""
    item = _triage_one(path, settings, known)
    if isinstance(item.outcome, SourceUnit) and not item.as_cached:
        return _Triaged(path, analyse(item.outcome, settings), item.digest)
    return item


def _check_chunk(chunk: list[tuple[str, Settings, str | None]]) -> list[_Triaged]:
    return [_check_one(*item) for item in chunk]


def check_targets(targets: Iterable[tuple[str, Settings]],
                  progress: Callable[[int, int], None] | None = None) -> Iterator[FileResult]:
    """Results for every file under each (path, settings) target, in discovery order.

    Files the cache knows to be clean are not read. The rest are read, screened and, the few
    that survive the screens, parsed: in worker processes when there are many files (each
    worker checks a file from start to end, the largest files first, so that the last to
    finish are small), or when several files survive.
    """
    every = discover(targets)
    caches: dict[str, Cache] = {}
    stats: dict[str, os.stat_result] = {}
    done: dict[str, FileResult] = {}
    to_read: list[tuple[str, Settings, str | None]] = []
    for path, settings in every:
        cache = _cache(caches, settings)
        try:
            stats[path] = os.stat(path)
        except OSError:
            pass
        cached = cache.by_stat(path, stats[path]) if cache is not None and path in stats else None
        if cached == ():
            done[path] = FileResult(path)
        elif cached:
            done[path] = _from_cache(path, cached, settings)
        else:
            to_read.append((path, settings, cache.digest(path) if cache else None))

    by_path = dict(every)
    pool: Executor | None = None
    jobs = min((s.jobs or os.cpu_count() or 1) for _, s in every) if every else 1
    try:
        if jobs > 1 and len(to_read) >= _PARALLEL_READS:
            pool = _pool(jobs)
            to_read.sort(key=lambda item: -stats[item[0]].st_size if item[0] in stats else 0)
            chunks = [to_read[i : i + _CHUNK] for i in range(0, len(to_read), _CHUNK)]
            checked = (t for chunk in pool.map(_check_chunk, chunks) for t in chunk)
        else:
            checked = (_triage_one(*item) for item in to_read)
        pending: list[tuple[SourceUnit, Settings]] = []
        digests: dict[str, str | None] = {}
        already = len(done)  # clean by the cache, never read
        for index, item in enumerate(checked, start=1):
            if progress is not None:
                progress(already + index, len(every))
            digests[item.path] = item.digest
            cache = _cache(caches, by_path[item.path])
            remembered = cache.by_digest(item.path, stats[item.path], item.digest) \
                if item.as_cached and cache is not None and item.path in stats else None
            if remembered is not None:
                unit = item.outcome if isinstance(item.outcome, SourceUnit) else None
                done[item.path] = FileResult(item.path, remembered, unit=unit)
            elif item.as_cached:  # the entry could not be rebuilt: check the file afresh
                done[item.path] = check_file_at(item.path, by_path[item.path])
            elif isinstance(item.outcome, FileResult):
                done[item.path] = item.outcome
            else:
                pending.append((item.outcome, by_path[item.path]))
        if jobs > 1 and len(pending) >= _PARALLEL_PARSES:
            pool = pool or _pool(min(jobs, len(pending)))
            pending.sort(key=lambda item: -len(item[0].text))  # big files first
            results = pool.map(analyse, [u for u, _ in pending], [s for _, s in pending])
        else:
            results = (analyse(unit, settings) for unit, settings in pending)
        for result in results:
            done[result.path] = result
    finally:
        if pool is not None:
            pool.shutdown()

    for path, digest in digests.items():
        cache = _cache(caches, by_path[path])
        if cache is not None and digest is not None and path in stats:
            cache.remember(path, stats[path], digest, done[path])
    for cache in caches.values():
        cache.save()
    for path, _ in every:
        yield done[path]


def _pool(workers: int) -> Executor:
    """Worker processes, for large inputs only: importing multiprocessing alone costs more
    than checking the three files of a typical commit."""
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=workers)


def _from_cache(path: str, findings: tuple, settings: Settings) -> FileResult:
    """A remembered result, with its unit rebuilt (for snippets and notebook cells)."""
    try:
        unit = load_unit(path, files.read(path), place_cells=settings.place_cells)
    except OSError:
        unit = None
    return FileResult(path, findings, unit=unit if isinstance(unit, SourceUnit) else None)


def check_file_at(path: str, settings: Settings) -> FileResult:
    item = _triage_one(path, settings)
    if isinstance(item.outcome, SourceUnit):
        return analyse(item.outcome, settings)
    return item.outcome if isinstance(item.outcome, FileResult) else FileResult(path)


def _cache(caches: dict[str, Cache], settings: Settings) -> Cache | None:
    if not settings.cache:
        return None
    folder = folder_for(settings, settings.cache_dir)
    key = f"{folder}\0{fingerprint(settings)}"
    if key not in caches:
        caches[key] = Cache.open(folder, settings)
    return caches[key]
