"""Remember what each unchanged file gave, so an unchanged tree is not analysed twice.

One JSON file per (normlint version, settings) under `.normlint_cache/`, mapping each checked
file to its size, modification time, content hash and findings (see `serialize`), and the
project modules those findings rest on (`from .data import load_images`) with their size and
time. A file whose size and time still match, and whose modules are unchanged, is not analysed
again; one whose content hash still matches neither.
Files that could not be checked, or were skipped, are always checked again. Writes go to a
temporary file renamed into place, so two runs never corrupt it; a cache that cannot be read,
or an entry that cannot be rebuilt, is ignored and written anew.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field

from . import __version__, serialize
from .files import write_atomically
from .settings import Settings
from .types import FileResult, Finding

CACHE_DIR = ".normlint_cache"
_FORMAT = 5


def fingerprint(settings: Settings) -> str:
    """What a result depends on besides the file: version, rules, confidence, ignores and the
    size limit (a file under a new limit must be checked, not served from the cache)."""
    key = json.dumps([_FORMAT, __version__, sorted(r.code for r in settings.rules),
                      settings.min_confidence.name, sorted(settings.per_file_ignores),
                      settings.max_file_size])
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass
class Cache:
    """The clean files of one (version, settings) pair, loaded once and saved once per run."""

    path: str
    # abspath -> [size, mtime_ns, hash, findings as serialize.dump made them,
    #             [[module path, size, mtime_ns], ...]]
    entries: dict[str, list] = field(default_factory=dict)
    changed: bool = False

    @classmethod
    def open(cls, folder: str, settings: Settings) -> Cache:
        path = os.path.join(folder, f"v{__version__}", f"{fingerprint(settings)}.json")
        try:
            with open(path, encoding="utf-8") as handle:
                document = json.load(handle)
            entries = document["files"] if document.get("format") == _FORMAT else {}
            if not isinstance(entries, dict):
                entries = {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            entries = {}  # missing or corrupt: start afresh, and rewrite it at the end
        return cls(path, entries)

    def by_stat(self, path: str, stat: os.stat_result) -> tuple[Finding, ...] | None:
        """The remembered findings (() when clean) if the file's size and time still match."""
        entry = self.entries.get(os.path.abspath(path))
        if entry is None or entry[0] != stat.st_size or entry[1] != stat.st_mtime_ns \
                or not _unchanged(entry):
            return None
        return self._findings(path, entry)

    def digest(self, path: str) -> str | None:
        entry = self.entries.get(os.path.abspath(path))
        return entry[2] if entry is not None else None

    def by_digest(self, path: str, stat: os.stat_result, digest: str) -> tuple[Finding, ...] | None:
        """The remembered findings if the content is unchanged (the time is updated)."""
        key = os.path.abspath(path)
        entry = self.entries.get(key)
        if entry is None or entry[2] != digest or not _unchanged(entry):
            return None
        findings = self._findings(path, entry)
        if findings is not None:
            self.entries[key] = [stat.st_size, stat.st_mtime_ns, digest, entry[3], entry[4]]
            self.changed = True
        return findings

    def _findings(self, path: str, entry: list) -> tuple[Finding, ...] | None:
        try:
            return tuple(serialize.load(item) for item in entry[3])
        except (KeyError, TypeError, ValueError, IndexError):
            del self.entries[os.path.abspath(path)]  # from a damaged cache: check the file
            self.changed = True
            return None

    def remember(self, path: str, stat: os.stat_result, digest: str, result: FileResult) -> None:
        key = os.path.abspath(path)
        if result.error is not None or result.skipped is not None:
            if self.entries.pop(key, None) is not None:
                self.changed = True
            return
        entry = [stat.st_size, stat.st_mtime_ns, digest,
                 [serialize.dump(f) for f in result.findings],
                 [[d.path, d.size, d.mtime_ns] for d in result.dependencies]]
        if self.entries.get(key) != entry:
            self.entries[key] = entry
            self.changed = True

    def save(self) -> None:
        if not self.changed:
            return
        folder = os.path.dirname(self.path)
        try:
            os.makedirs(folder, exist_ok=True)
            ignore = os.path.join(os.path.dirname(folder), ".gitignore")
            if not os.path.exists(ignore):
                with open(ignore, "w", encoding="utf-8") as handle:
                    handle.write("# Created by normlint.\n*\n")
            document = json.dumps({"format": _FORMAT, "files": self.entries})
            write_atomically(self.path, document.encode("utf-8"))
        except OSError:
            pass  # a cache that cannot be written only costs time next run


def _unchanged(entry: list) -> bool:
    """Whether every project module the remembered findings rest on is as it was then."""
    try:
        for path, size, mtime_ns in entry[4]:
            stat = os.stat(path)
            if stat.st_size != size or stat.st_mtime_ns != mtime_ns:
                return False
    except (OSError, ValueError, TypeError, IndexError):
        return False
    return True


def folder_for(settings: Settings, explicit: str | None) -> str:
    """`--cache-dir`, else `.normlint_cache` beside the project's pyproject.toml, else here."""
    if explicit:
        return explicit
    return os.path.join(settings.root or os.getcwd(), CACHE_DIR)
