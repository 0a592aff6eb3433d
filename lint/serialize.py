"""Findings to JSON and back, for the cache: only normlint's own fact types, never pickle.

A cache file sits in the user's tree; reading it must not be able to run anything. Each value
is a JSON list, dict, string or number, and only the classes named here can be rebuilt.
"""

from __future__ import annotations

import dataclasses
import enum
from typing import Any

from . import catalog
from .types import (
    UNKNOWN, Api, ArrayFact, ArrayKind, Confidence, EstimatorCall, Finding, Fit, Fix, FixSafety,
    Layout, NormCall, Span, Split, StepCall, StepKind,
)

_CLASSES = {cls.__name__: cls for cls in (ArrayFact, EstimatorCall, Finding, Fit, Fix, NormCall,
                                          Span, StepCall)}
_ENUMS = {cls.__name__: cls for cls in (ArrayKind, Confidence, FixSafety, Layout, Split, StepKind)}
_APIS = {api.key: api for api in catalog.CATALOG}


def dump(value: Any) -> Any:
    if value is UNKNOWN:
        return {"unknown": True}
    if isinstance(value, Api):
        return {"api": value.key}
    if isinstance(value, enum.Enum):
        return {"enum": type(value).__name__, "value": value.value}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if name not in _CLASSES:
            raise TypeError(f"{name} is not cached")
        fields = {f.name: dump(getattr(value, f.name)) for f in dataclasses.fields(value)
                  if f.name != "verification"}  # a verification is not remembered: it is re-run
        return {"class": name, "fields": fields}
    if isinstance(value, (tuple, list)):
        return {"tuple": [dump(item) for item in value]}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"{type(value).__name__} is not cached")


def load(value: Any) -> Any:
    """The value `dump` made; KeyError or TypeError on anything it could not have made."""
    if isinstance(value, dict):
        if "unknown" in value:
            return UNKNOWN
        if "api" in value:
            return _APIS[value["api"]]
        if "enum" in value:
            return _ENUMS[value["enum"]](value["value"])
        if "tuple" in value:
            return tuple(load(item) for item in value["tuple"])
        cls = _CLASSES[value["class"]]
        return cls(**{name: load(item) for name, item in value["fields"].items()})
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"unexpected {type(value).__name__} in the cache")
