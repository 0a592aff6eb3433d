"""The code table: every rule normlint has, by code. A code is never reused."""

from __future__ import annotations

from typing import Final

from normlint.types import Rule

from . import (
    nrm001_image_slice_normalization,
    nrm002_image_channel_normalization,
    nrm003_batch_axis_normalization,
    nrm004_scaler_on_one_image,
    nrm005_scaler_fit_on_one_sample,
    nrm006_refit_on_evaluation_data,
    nrm007_scaled_twice,
    nrm008_standardized_before_scaling,
    nrm009_statistics_for_other_channels,
    nrm100_unused_noqa,
)

RULES: Final[tuple[Rule, ...]] = (
    nrm001_image_slice_normalization.RULE,
    nrm002_image_channel_normalization.RULE,
    nrm003_batch_axis_normalization.RULE,
    nrm004_scaler_on_one_image.RULE,
    nrm005_scaler_fit_on_one_sample.RULE,
    nrm006_refit_on_evaluation_data.RULE,
    nrm007_scaled_twice.RULE,
    nrm008_standardized_before_scaling.RULE,
    nrm009_statistics_for_other_channels.RULE,
    nrm100_unused_noqa.RULE,
)

BY_CODE: Final = {rule.code: rule for rule in RULES}


ALL: Final = "ALL"


def is_selector(text: str) -> bool:
    """`ALL`, or a code or prefix that names at least one rule (`NRM`, `NRM00`, `NRM001`).

    A selector that names no rule is a typo that would silently switch a CI gate off, so
    callers reject it, as ruff does."""
    return text == ALL or any(rule.code.startswith(text) for rule in RULES)


def unknown_selectors(texts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(text for text in texts if not is_selector(text))


def _matches(code: str, selectors: tuple[str, ...]) -> bool:
    return any(s == ALL or code.startswith(s) for s in selectors)


def select(select: tuple[str, ...] = ("NRM",), ignore: tuple[str, ...] = ()) -> tuple[Rule, ...]:
    """The rules whose code starts with a selected prefix and with no ignored one."""
    return tuple(
        rule for rule in RULES if _matches(rule.code, select) and not _matches(rule.code, ignore)
    )
