"""The code table: every rule normlint has, by code. A code is never reused."""

from __future__ import annotations

from typing import Final

from normlint.types import Rule

from . import (
    nrm001_image_slice_normalization,
    nrm002_image_channel_normalization,
    nrm003_batch_axis_normalization,
)

RULES: Final[tuple[Rule, ...]] = (
    nrm001_image_slice_normalization.RULE,
    nrm002_image_channel_normalization.RULE,
    nrm003_batch_axis_normalization.RULE,
)

BY_CODE: Final = {rule.code: rule for rule in RULES}


def select(select: tuple[str, ...] = ("NRM",), ignore: tuple[str, ...] = ()) -> tuple[Rule, ...]:
    """The rules whose code starts with a selected prefix and with no ignored one."""
    return tuple(
        rule for rule in RULES
        if any(rule.code.startswith(s) for s in select)
        and not any(rule.code.startswith(i) for i in ignore)
    )
