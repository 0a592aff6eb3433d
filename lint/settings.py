"""The settings of one run: which rules, which files, how sure a finding must be."""

from __future__ import annotations

from dataclasses import dataclass, field

from .files import DEFAULT_EXCLUDES
from .types import Confidence, Rule


@dataclass(frozen=True, slots=True)
class Settings:
    rules: tuple[Rule, ...]
    min_confidence: Confidence = Confidence.MEDIUM
    excludes: tuple[str, ...] = DEFAULT_EXCLUDES
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    force_exclude: bool = False
    jobs: int | None = None  # None: one per core, for large inputs
    root: str | None = None  # the project folder: exclude and per-file-ignore globs start here
    verify: bool = False
    cache: bool = False  # remember clean files between runs (the CLI turns it on)
    max_file_size: int = 10_000_000  # bytes of code; larger files are skipped with a notice
    cache_dir: str | None = None  # default: .normlint_cache beside the project's pyproject.toml
    config_file: str | None = None  # the pyproject.toml (or --config file) these came from
    # give a notebook's cells the lines of the .ipynb file they stand on: only reports that
    # point into the JSON (SARIF, GitHub annotations) need them, and they cost a second read
    place_cells: bool = False
    # for each kind of record the rules read, the words one of which a file must hold
    triggers_by_kind: tuple[tuple[type, frozenset[bytes]], ...] = field(init=False)

    def __post_init__(self) -> None:
        by_kind: dict[type, set[bytes]] = {}
        for rule in self.rules:
            by_kind.setdefault(rule.reads, set()).update(w.encode() for w in rule.triggers)
        object.__setattr__(self, "triggers_by_kind",
                           tuple((kind, frozenset(found)) for kind, found in by_kind.items()))

    def kinds_in(self, data: bytes) -> frozenset[type]:
        """The kinds of record a file's bytes may hold a finding on: those whose rules'
        trigger words occur in it. Each word is looked for once, however many kinds share it
        (a search reads the whole file)."""
        seen: dict[bytes, bool] = {}

        def occurs(word: bytes) -> bool:
            if word not in seen:
                seen[word] = data.find(word) >= 0
            return seen[word]
        return frozenset(kind for kind, words in self.triggers_by_kind
                         if any(occurs(word) for word in words))


def describe(settings: Settings) -> str:
    """`--show-settings`: what a run with these settings does, one `key = value` a line."""
    rows = [
        ("config-file", settings.config_file or "(none: defaults and the command line)"),
        ("select", ", ".join(rule.code for rule in settings.rules) or "(no rule)"),
        ("min-confidence", settings.min_confidence.name.lower()),
        ("per-file-ignores", "; ".join(f"{glob} = {', '.join(codes)}"
                                       for glob, codes in settings.per_file_ignores) or "(none)"),
        ("exclude", ", ".join(settings.excludes)),
        ("force-exclude", str(settings.force_exclude).lower()),
        ("verify", str(settings.verify).lower()),
        ("max-file-size", f"{settings.max_file_size} bytes"),
        ("cache", "off" if not settings.cache else (settings.cache_dir or "default")),
        ("root", settings.root or "(current folder)"),
    ]
    width = max(len(key) for key, _ in rows)
    return "".join(f"{key:<{width}} = {value}\n" for key, value in rows)
