"""Remember the findings a project has today, and report only new ones after that.

A fingerprint is the rule, the file (relative to the baseline's folder), the call's text and
its occurrence among identical calls in that file: it survives unrelated edits and moved lines.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import PurePath

from .files import write_atomically
from .types import FileResult, Finding

VERSION = 1


class BaselineError(Exception):
    pass


def _fingerprints(result: FileResult, folder: str) -> Iterator[tuple[str, Finding]]:
    path = PurePath(os.path.relpath(os.path.abspath(result.path), folder)).as_posix()
    seen: Counter[tuple[str, str]] = Counter()
    for finding in result.findings:
        key = (finding.code, " ".join(finding.subject.split()))
        occurrence = seen[key]
        seen[key] += 1
        text = "\0".join((finding.code, path, key[1], str(occurrence)))
        yield hashlib.sha256(text.encode()).hexdigest()[:20], finding


def write(path: str, results: Iterable[FileResult]) -> int:
    """Record every finding of `results` in the baseline file at `path`; return how many."""
    folder = os.path.dirname(os.path.abspath(path))
    entries = [
        {"fingerprint": fingerprint, "code": finding.code, "file": result.path,
         "call": finding.subject}
        for result in results for fingerprint, finding in _fingerprints(result, folder)
    ]
    document = json.dumps({"version": VERSION, "findings": entries}, indent=2) + "\n"
    write_atomically(path, document.encode("utf-8"))
    return len(entries)


def load(path: str) -> frozenset[str]:
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
        if document.get("version") != VERSION:
            raise BaselineError(f"{path}: baseline version {document.get('version')!r} is not "
                                f"{VERSION}; write it again with --write-baseline")
        return frozenset(entry["fingerprint"] for entry in document["findings"])
    except OSError as error:
        raise BaselineError(f"{path}: cannot read baseline: {error.strerror}") from None
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise BaselineError(f"{path}: not a normlint baseline ({error})") from None


def new_only(results: Iterable[FileResult], known: frozenset[str], path: str) -> list[FileResult]:
    """`results` without the findings the baseline at `path` already has."""
    folder = os.path.dirname(os.path.abspath(path))
    return [
        replace(result, findings=tuple(
            finding for fingerprint, finding in _fingerprints(result, folder)
            if fingerprint not in known))
        for result in results
    ]
