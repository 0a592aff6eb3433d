"""Remember which files came out clean, so an unchanged tree is not read twice.

One JSON file per (normlint version, settings) under `.normlint_cache/`, mapping each clean
file to its size, modification time and content hash. A file whose size and time still match is
skipped unread; one whose content hash still matches is skipped after reading. Only clean
results are remembered: a file with findings or an error is checked again, so the cache never
has to reproduce a finding. Writes go to a temporary file and are renamed into place, so two
runs never corrupt it; a cache that cannot be read is ignored and written anew.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field

from . import __version__
from .settings import Settings

CACHE_DIR = ".normlint_cache"
_FORMAT = 1


def fingerprint(settings: Settings) -> str:
    """What a clean result depends on besides the file: version, rules, confidence, ignores."""
    key = json.dumps([_FORMAT, __version__, sorted(r.code for r in settings.rules),
                      settings.min_confidence.name, sorted(settings.per_file_ignores)])
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass
class Cache:
    """The clean files of one (version, settings) pair, loaded once and saved once per run."""

    path: str
    entries: dict[str, list] = field(default_factory=dict)  # abspath -> [size, mtime_ns, hash]
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

    def is_clean_by_stat(self, path: str, stat: os.stat_result) -> bool:
        entry = self.entries.get(os.path.abspath(path))
        return entry is not None and entry[0] == stat.st_size and entry[1] == stat.st_mtime_ns

    def clean_digest(self, path: str) -> str | None:
        """The content hash the file had when it was last clean, if ever."""
        entry = self.entries.get(os.path.abspath(path))
        return entry[2] if entry is not None else None

    def remember(self, path: str, stat: os.stat_result, digest: str, clean: bool) -> None:
        key = os.path.abspath(path)
        if clean:
            entry = [stat.st_size, stat.st_mtime_ns, digest]
            if self.entries.get(key) != entry:
                self.entries[key] = entry
                self.changed = True
        elif self.entries.pop(key, None) is not None:
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
            temporary = f"{self.path}.{os.getpid()}.tmp"
            with open(temporary, "w", encoding="utf-8") as handle:
                json.dump({"format": _FORMAT, "files": self.entries}, handle)
            os.replace(temporary, self.path)
        except OSError:
            pass  # a cache that cannot be written only costs time next run


def folder_for(settings: Settings, explicit: str | None) -> str:
    """`--cache-dir`, else `.normlint_cache` beside the project's pyproject.toml, else here."""
    if explicit:
        return explicit
    return os.path.join(settings.root or os.getcwd(), CACHE_DIR)
