"""Prove the estimator rules on a real table that scikit-learn ships: the wine recognition data
(178 samples, 13 features; UCI, shipped with scikit-learn, read offline), split as the code
splits it. A fit on one row (NRM005) and a refit on the evaluation part (NRM006) are run for
real, and what the model would be given is compared with what it should be given.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..types import ArtifactClass, EstimatorCall, Verification
from .backends import Backend, sklearn_backend

# A scaler function fits the same statistics as its class.
_FUNCTION_CLASS = {"scale": "StandardScaler", "minmax_scale": "MinMaxScaler",
                   "robust_scale": "RobustScaler", "maxabs_scale": "MaxAbsScaler"}
_GAPS = 0.1  # share of values an imputer's sample table is missing
_SEED = 20261201


@dataclass(frozen=True)
class Table:
    train: np.ndarray
    test: np.ndarray
    description: str


class NotRunnable(Exception):
    """The record names nothing the verifier can build, or a library it needs is missing."""


def _estimator(call: EstimatorCall) -> tuple[Any, str]:
    """A fresh estimator of the record's class and literal options, and its name."""
    name = call.estimator or "sklearn.preprocessing.StandardScaler"
    module, _, short = name.rpartition(".")
    short = _FUNCTION_CLASS.get(short, short)
    if short in ("TfidfVectorizer", "CountVectorizer", "TfidfTransformer"):
        raise NotRunnable("no text sample ships with normlint to run a vectorizer on")
    if short == "LabelEncoder":
        raise NotRunnable("a label encoder's codes are not features to measure on a table")
    cls = getattr(importlib.import_module(module), short)
    options = {key: value for key, value in call.options if key != "axis"}
    if short in ("PCA", "TruncatedSVD"):
        options.setdefault("n_components", 2)
    if short == "OneHotEncoder":
        raise NotRunnable("the sample table has no categories to encode")
    try:
        made = cls(**options)
    except TypeError:
        made = cls()
    label = short if call.estimator else "StandardScaler (assumed: the scaler's class is not known)"
    return made, label


def _table(call: EstimatorCall, with_gaps: bool) -> Table:
    from sklearn.datasets import load_wine
    from sklearn.model_selection import train_test_split

    x, _ = load_wine(return_X_y=True)
    given = dict(call.split_options)
    size = given.get("test_size")
    size = size if isinstance(size, (int, float)) and not isinstance(size, bool) else 0.25
    seed = given.get("random_state")
    seed = seed if isinstance(seed, int) and not isinstance(seed, bool) else 0
    train, test = train_test_split(x, test_size=size, random_state=seed)
    how = "split as the code splits it" if given else "split 75/25"
    if with_gaps:
        rng = np.random.default_rng(_SEED)
        train, test = (np.where(rng.random(part.shape) < _GAPS, np.nan, part) for part in (train, test))
        how += f", {_GAPS:.0%} of the values removed"
    return Table(train, test, f"the wine recognition data ({len(train)} training and "
                              f"{len(test)} evaluation samples, 13 features; {how})")


@dataclass(frozen=True)
class TableRun:
    """What the model should be given, and what the code gives it."""

    intended: np.ndarray
    output: np.ndarray
    verification: Verification


def verify_estimator(call: EstimatorCall, rule: str) -> TableRun | Verification:
    """Run the record's estimator the way the code does; a Verification alone when it cannot."""
    backend = sklearn_backend()
    if backend is None:
        return _not_run("scikit-learn is not installed (pip install scikit-learn)")
    try:
        make, label = _estimator(call)
        table = _table(call, with_gaps=call.family == "imputer")
    except NotRunnable as why:
        return _not_run(str(why))
    import sklearn.base

    fresh = lambda: sklearn.base.clone(make)  # noqa: E731
    intended = fresh().fit(table.train).transform(table.test)
    if rule == "NRM005":
        return _one_row(call, label, table, intended, fresh, backend)
    return _refit(call, label, table, intended, fresh, backend)


def _one_row(call, label, table, intended, fresh, backend: Backend) -> TableRun:
    rows = np.vstack([fresh().fit_transform(row[None]) for row in table.test])
    distinct = len(np.unique(np.round(rows, 9), axis=0))
    values = np.unique(np.round(rows, 6))
    shown = ", ".join(f"{v:g}" for v in values[:4]) + (", ..." if len(values) > 4 else "")
    lines = (f"verified with {backend.description} on {table.description}:",
             f"    one input for all samples: {label} fitted on each evaluation sample alone "
             f"gives {distinct} distinct input{'s' if distinct != 1 else ''} for "
             f"{len(table.test)} samples (every value is one of: {shown})",
             f"    fitted on the training data, the same samples give "
             f"{len(np.unique(np.round(intended, 9), axis=0))} distinct inputs")
    verification = Verification(
        ArtifactClass.SAME_INPUT, backend.description, True, table.description,
        (("distinct_inputs", float(distinct)), ("samples", float(len(table.test)))), lines)
    return TableRun(intended, rows, verification)


def _refit(call, label, table, intended, fresh, backend: Backend) -> TableRun:
    refitted = fresh().fit(table.test).transform(table.test)
    scale = np.nanstd(fresh().fit(table.train).transform(table.train), axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    moved = np.abs(np.asarray(refitted, float) - np.asarray(intended, float)) / scale
    median, largest = float(np.nanmedian(moved)), float(np.nanmax(moved))
    per_feature = np.nanmedian(moved, axis=0)
    lines = (f"verified with {backend.description} on {table.description}:",
             f"    shifted features: refitting {label} on the evaluation part moves its "
             f"features by {median:.2f} training standard deviations (median), up to "
             f"{largest:.2f}",
             f"    the feature that moves most: median shift {per_feature.max():.2f} standard "
             f"deviations; the same raw value no longer maps to the same input")
    verification = Verification(
        ArtifactClass.SHIFTED, backend.description, True, table.description,
        (("median_shift_std", median), ("max_shift_std", largest)), lines)
    return TableRun(np.asarray(intended, float), np.asarray(refitted, float), verification)


def _not_run(reason: str) -> Verification:
    return Verification(ArtifactClass.NOT_RUN, "", False, "", (),
                        (f"not verified: {reason}",), None)
