"""Read `[tool.normlint]` from the nearest pyproject.toml, check every key, merge the command line."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

from .files import DEFAULT_EXCLUDES
from .settings import Settings
from .types import Confidence

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib


class ConfigError(Exception):
    """A configuration file or option that cannot be used; the message names file and key."""


@dataclass(frozen=True, slots=True)
class Options:
    """What the command line or a `[tool.normlint]` table says; None where it says nothing."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] | None = None
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] | None = None
    exclude: tuple[str, ...] | None = None
    extend_exclude: tuple[str, ...] | None = None
    min_confidence: Confidence | None = None
    verify: bool | None = None
    max_file_size: int | None = None
    source: str = "command line"  # the file it came from, for messages
    root: str | None = None  # the folder of that file: relative patterns start there


KEYS: Final = {
    "select": "a list of rule codes or prefixes, e.g. [\"NRM\"]",
    "ignore": "a list of rule codes or prefixes",
    "extend-select": "a list of rule codes or prefixes",
    "per-file-ignores": "a table of glob = list of codes",
    "exclude": "a list of glob patterns",
    "extend-exclude": "a list of glob patterns",
    "min-confidence": "one of \"low\", \"medium\", \"high\"",
    "verify": "true or false",
    "max-file-size": "a whole number of bytes, e.g. 10000000",
}


def _codes(value: Any, where: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: `{key}` must be {KEYS[key]}, not {value!r}")
    from .rules import unknown_selectors

    codes = tuple(v.strip().upper() for v in value)
    for code in unknown_selectors(codes):
        raise ConfigError(f"{where}: `{key}` has {code!r}, which names no rule; use ALL, NRM, "
                          "a prefix like NRM00 or a code that `normlint rules` lists")
    return codes


def _patterns(value: Any, where: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: `{key}` must be {KEYS[key]}, not {value!r}")
    return tuple(value)


def parse_table(table: dict[str, Any], source: str, root: str | None) -> Options:
    """Check a `[tool.normlint]` table key by key; an unknown key or bad value is an error."""
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in KEYS:
            allowed = ", ".join(sorted(KEYS))
            raise ConfigError(f"{source}: unknown key `{key}` in [tool.normlint]; allowed: {allowed}")
        name = key.replace("-", "_")
        if key in ("select", "ignore", "extend-select"):
            values[name] = _codes(value, source, key)
        elif key in ("exclude", "extend-exclude"):
            values[name] = _patterns(value, source, key)
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise ConfigError(f"{source}: `{key}` must be {KEYS[key]}, not {value!r}")
            values[name] = tuple((glob, _codes(codes, source, key)) for glob, codes in value.items())
        elif key == "min-confidence":
            if value not in ("low", "medium", "high"):
                raise ConfigError(f"{source}: `{key}` must be {KEYS[key]}, not {value!r}")
            values[name] = Confidence.parse(value)
        elif key == "verify":
            if not isinstance(value, bool):
                raise ConfigError(f"{source}: `{key}` must be {KEYS[key]}, not {value!r}")
            values[name] = value
        elif key == "max-file-size":
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ConfigError(f"{source}: `{key}` must be {KEYS[key]}, not {value!r}")
            values[name] = value
    return Options(**values, source=source, root=root)


@lru_cache(maxsize=64)
def find_pyproject(directory: str) -> str | None:
    """The nearest pyproject.toml at or above `directory` that has a [tool.normlint] table.

    A pyproject.toml without one does not stop the search, as in ruff; the first that has one,
    or failing that the nearest pyproject.toml at all, is the project root.
    """
    nearest = None
    current = Path(directory).resolve()
    for folder in (current, *current.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            nearest = nearest or str(candidate)
            try:
                if b"[tool.normlint" in candidate.read_bytes():
                    return str(candidate)
            except OSError:
                continue
    return nearest


@lru_cache(maxsize=64)
def load(pyproject: str) -> Options:
    try:
        with open(pyproject, "rb") as handle:
            document = tomllib.load(handle)
    except OSError as error:
        raise ConfigError(f"{pyproject}: cannot read: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{pyproject}: invalid TOML: {error}") from None
    # A pyproject.toml keeps its options under [tool.normlint]; a file named with --config
    # that is not one (normlint.toml) holds them at its top level.
    if os.path.basename(pyproject) == "pyproject.toml":
        table = document.get("tool", {}).get("normlint", {})
    else:
        table = document
    if not isinstance(table, dict):
        raise ConfigError(f"{pyproject}: [tool.normlint] must be a table")
    return parse_table(table, pyproject, os.path.dirname(pyproject))


def options_for(path: str, config: str | None = None) -> Options:
    """The file options that apply to `path` (a file or a folder): those of `config` when it
    is given, else of the nearest pyproject.toml, else empty ones."""
    if config is not None:
        return load(os.path.abspath(config))
    start = path if os.path.isdir(path) else os.path.dirname(os.path.abspath(path)) or "."
    pyproject = find_pyproject(os.path.abspath(start))
    return load(pyproject) if pyproject else Options()


@dataclass(frozen=True, slots=True)
class Resolved:
    """File options under command-line ones: the values a run uses."""

    select: tuple[str, ...] = ("NRM",)
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    excludes: tuple[str, ...] = DEFAULT_EXCLUDES
    min_confidence: Confidence = Confidence.MEDIUM
    verify: bool = False
    max_file_size: int = 10_000_000
    root: str | None = None


def resolve(file_options: Options, command_line: Options) -> Resolved:
    """The command line wins: `select`, `exclude`, `min-confidence` replace; the `extend-*`
    options and `ignore` add to what the file says."""
    result = Resolved(root=file_options.root)
    for options in (file_options, command_line):
        changes: dict[str, Any] = {}
        if options.select is not None:
            changes["select"] = options.select
        if options.extend_select:
            changes["select"] = changes.get("select", result.select) + options.extend_select
        if options.ignore:
            changes["ignore"] = result.ignore + options.ignore
        if options.per_file_ignores:
            changes["per_file_ignores"] = result.per_file_ignores + options.per_file_ignores
        if options.exclude is not None:  # replaces the defaults, as in ruff
            changes["excludes"] = options.exclude
        if options.extend_exclude:
            changes["excludes"] = changes.get("excludes", result.excludes) + options.extend_exclude
        if options.min_confidence is not None:
            changes["min_confidence"] = options.min_confidence
        if options.verify is not None:
            changes["verify"] = options.verify
        if options.max_file_size is not None:
            changes["max_file_size"] = options.max_file_size
        result = replace(result, **changes)
    return result


def settings_for(path: str, command_line: Options, config: str | None = None,
                 **extra: Any) -> Settings:
    """The Settings for checking `path`: its pyproject.toml (or `config`) under the command
    line."""
    from .rules import select

    file_options = options_for(path, config)
    resolved = resolve(file_options, command_line)
    return Settings(
        config_file=file_options.source if file_options.root else None,
        rules=select(resolved.select, resolved.ignore),
        min_confidence=resolved.min_confidence,
        excludes=resolved.excludes,
        per_file_ignores=resolved.per_file_ignores,
        root=resolved.root,
        verify=resolved.verify,
        max_file_size=resolved.max_file_size,
        **extra,
    )
