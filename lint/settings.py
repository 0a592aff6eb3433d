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
    triggers: frozenset[bytes] = field(init=False)

    def __post_init__(self) -> None:
        words = {word.encode() for rule in self.rules for word in rule.triggers}
        object.__setattr__(self, "triggers", frozenset(words))
