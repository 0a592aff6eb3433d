"""Count a run's results and decide its exit code, in exactly one place."""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .types import FileResult


class ExitCode(enum.IntEnum):
    CLEAN = 0
    FINDINGS = 1
    ERROR = 2  # a usage error, or a file that could not be checked


@dataclass(frozen=True, slots=True)
class Summary:
    checked: int
    findings: int
    files_with_findings: int
    errors: int
    by_code: tuple[tuple[str, int], ...]
    skipped: int = 0
    verified: int = 0
    verify_seconds: float | None = None  # None: the verifier did not run
    backends: tuple[str, ...] = ()
    baselined: int = 0  # findings hidden because the baseline knows them

    @property
    def analysed(self) -> int:
        """Files really checked: neither broken nor skipped."""
        return self.checked - self.errors - self.skipped

    @classmethod
    def of(cls, results: Iterable[FileResult], verify_seconds: float | None = None,
           baselined: int = 0) -> Summary:
        results = list(results)
        verifications = [f.verification for r in results for f in r.findings if f.verification]
        codes = Counter(f.code for r in results for f in r.findings)
        return cls(
            checked=len(results),
            findings=sum(len(r.findings) for r in results),
            files_with_findings=sum(bool(r.findings) for r in results),
            errors=sum(r.error is not None for r in results),
            skipped=sum(r.skipped is not None for r in results),
            by_code=tuple(sorted(codes.items())),
            verified=len(verifications),
            verify_seconds=verify_seconds,
            backends=tuple(sorted({v.backend for v in verifications})),
            baselined=baselined,
        )

    def exit_code(self, exit_zero: bool = False) -> ExitCode:
        if self.errors:
            return ExitCode.ERROR
        if self.findings and not exit_zero:
            return ExitCode.FINDINGS
        return ExitCode.CLEAN
