"""scikit-learn estimators that learn statistics from what they are fitted on: which classes,
what their construction and their `fit`/`transform` calls give, and the evidence their records
need (how many rows an input has; whether it is the evaluation data)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Final

from ..screen import lines_with, mentions
from ..types import UNKNOWN, ArrayFact, ArrayKind, Confidence, Split
from .effects import Call, as_array
from .values import Array, Estimator, Items, Obj, Value

_PRE = "sklearn.preprocessing."

# canonical class -> family; a family is what a message calls it
CLASSES: Final[dict[str, str]] = {
    **{_PRE + name: "scaler" for name in (
        "StandardScaler", "MinMaxScaler", "RobustScaler", "MaxAbsScaler", "PowerTransformer",
        "QuantileTransformer")},
    **{f"sklearn.feature_extraction.text.{name}": "vectorizer" for name in (
        "TfidfVectorizer", "CountVectorizer", "TfidfTransformer")},
    **{f"sklearn.impute.{name}": "imputer" for name in (
        "SimpleImputer", "KNNImputer", "IterativeImputer")},
    **{_PRE + name: "encoder" for name in ("LabelEncoder", "OneHotEncoder", "OrdinalEncoder")},
    **{f"sklearn.decomposition.{name}": "decomposition" for name in ("PCA", "TruncatedSVD")},
}

# Scalers as functions: statistics per column (`axis=0`), fitted on what they are given.
FUNCTIONS: Final = frozenset(_PRE + name for name in (
    "scale", "minmax_scale", "robust_scale", "maxabs_scale"))

FIT_METHODS: Final = frozenset({"fit", "fit_transform", "partial_fit"})

# Constructor options the verifier reproduces.
_OPTIONS: Final = ("feature_range", "with_mean", "with_std", "with_centering", "with_scaling",
                   "quantile_range", "n_components")

# The words a file must hold for any record of this module to be made there (`scale` alone is
# too common a word: it counts only as sklearn's, see `may_hold_fits`).
WORDS: Final = frozenset({name.rpartition(".")[2] for name in (*CLASSES, *FUNCTIONS)}
                         | {"fit_transform"}) - {"scale"}
_SCALE_IMPORT: Final = re.compile(r"[ \t]*from[ \t]+sklearn[\w.]*[ \t]+import[^\n]*\bscale\b")

# A receiver that is not known to be an estimator but is named like a scaler (one loaded
# with joblib or pickle): `scaler`, `sc_X`, `min_max_scaler`, `mms`.
_SCALER_NAME: Final = re.compile(r"(?i)scal|^sc_?[xy]?$|^s?mms$|^std_?sc")

# Names of evaluation data: weak evidence alone. `X_test`, `x_val`, `test_df`, `testX`, `test`.
_PREFIX: Final = r"(?i)^(?:[xy]|df|data|features?|inputs?)?_?"
_SUFFIX: Final = (r"(?:_?(?:[xy]|df|data|set|features?|inputs?|images?|imgs?|texts?|docs?|"
                  r"sentences|samples|labels?|targets?|\d+))?$")
_TEST_NAME: Final = re.compile(_PREFIX + r"(?:test|val|valid|validation|holdout|te)" + _SUFFIX)
_TRAIN_NAME: Final = re.compile(_PREFIX + r"(?:train|tr|training)" + _SUFFIX)
# The same words as parts of a longer snake_case name: `df_board_test`, `val_features_raw`.
_TEST_WORDS: Final = frozenset({"test", "val", "valid", "validation", "holdout"})
_TRAIN_WORDS: Final = frozenset({"train", "training"})


def construct(call: Call) -> Value:
    """`StandardScaler(...)`: an estimator not fitted yet, with its literal options."""
    options = tuple((name, value) for name in _OPTIONS
                    if (value := call.args.literal(name, None, default=_ABSENT)) is not _ABSENT
                    and value is not UNKNOWN)
    return Estimator(call.name, CLASSES[call.name], options, [])


_ABSENT: Final = ("absent",)


def result(receiver: Estimator, method: str, given: Value | None) -> Value | None:
    """What a method of an estimator returns: `fit` the estimator itself; a transform the
    same rows, no longer pixels (and still the same part of the data)."""
    if method in ("fit", "partial_fit"):
        return receiver
    if method not in ("fit_transform", "transform", "inverse_transform"):
        return None
    array = as_array(given)
    fact = array.fact if array else ArrayFact(ArrayKind.NOT_IMAGES)
    rows = fact.shape[0] if fact.shape else None
    return Array(replace(fact, kind=ArrayKind.NOT_IMAGES, layouts=(),
                         shape=(rows, None) if rows is not None else None,
                         value_range=None, scaled=False, scaled_by=""))


def named_like_scaler(name: str) -> bool:
    return bool(_SCALER_NAME.search(name))


def one_row(value: Value | None) -> str | None:
    """Why `value` holds a single sample, or None: `[[age, fare]]`, `x.reshape(1, -1)`,
    `pd.DataFrame([form])`."""
    if isinstance(value, Items) and len(value.items) == 1:
        return "a list of one row"
    if isinstance(value, Array) and value.fact.shape and len(value.fact.shape) == 2 \
            and value.fact.shape[0] == 1:
        return value.fact.origin or "one row"
    return None


def table(call: Call) -> Value | None:
    """`np.array([[...]])`, `pd.DataFrame([values])`, `pd.DataFrame({"a": [a], ...})`,
    `pd.DataFrame(data, index=[0])`: a table of one row when it is written so."""
    given = call.image
    index = call.args.literal("index", 1)
    single = one_row(given) is not None or (isinstance(index, tuple) and len(index) == 1) or (
        isinstance(given, Obj) and given.attrs and all(
            isinstance(v, Items) and len(v.items) == 1 for _, v in given.attrs))
    if not single or (isinstance(given, Items) and isinstance(given.items[0], Array)
                      and given.items[0].fact.is_images):
        return None
    return Array(ArrayFact(ArrayKind.UNKNOWN, shape=(1, None), origin=f"{call.origin}: one row",
                           origin_line=call.line))


def split_of(fact: ArrayFact | None, name: str) -> tuple[Split | None, str, Confidence | None]:
    """Which part of the data an input is, why, and how sure: a part of `train_test_split` is
    known; a name such as `X_test` is a guess."""
    if fact is not None and fact.split is not None:
        return fact.split, "a part of `train_test_split`", Confidence.HIGH
    words = set(re.split(r"[_\W\d]+", name.lower()))
    if _TEST_NAME.match(name) or (words & _TEST_WORDS and not words & _TRAIN_WORDS):
        return Split.TEST, "its name", Confidence.LOW
    if _TRAIN_NAME.match(name) or words & _TRAIN_WORDS:
        return Split.TRAIN, "its name", Confidence.LOW
    return None, "", None


def array_or_table(call: Call) -> Value | None:
    """`np.array(x)`: the array (a list of images stacked), or a table of one row."""
    return as_array(call.image) or table(call)


def frame(call: Call) -> Value | None:
    return table(call) or Array(ArrayFact(ArrayKind.NOT_IMAGES, origin=call.origin,
                                          origin_line=call.line))


# What a finding on an estimator needs beside an estimator: one row written out (`[[`,
# `reshape(1, ...)`, `DataFrame([...])`, `index=[0]`), a fit on data named as evaluation data,
# or a reader of images.
_ONE_ROW_LITERAL: Final = re.compile(
    r"fit(?:_transform)?\((?:\s*[\w.]+\()?\s*(?:\[\s*\[[^\[\]]*\]\s*\]|\[\s*[\w.]+\s*\])")
# A one-row table made by a reshape or a frame: on the line of a fit, or under a name a fit
# is later given (`row = x.reshape(1, -1)` ... `scaler.fit_transform(row)`).
_ONE_ROW_MADE: Final = tuple(re.compile(pattern) for pattern in (
    r"reshape\(\s*1\s*,", r"DataFrame\(\s*\[", r"index\s*=\s*\[\s*0\s*\]"))
_ASSIGNED: Final = re.compile(r"[ \t]*([A-Za-z_]\w*)[ \t]*=[^=]")


def _one_row(text: str, scalers: frozenset[str] | None = None) -> bool:
    """Whether `text` fits a scaler (by its receiver: a name bound to a scaler, by default in
    `text` itself, a name like `scaler`, or `StandardScaler()` itself) on one row written
    out."""
    matches = [m.start() for m in _ONE_ROW_LITERAL.finditer(text)]
    made = [m for pattern in _ONE_ROW_MADE for m in pattern.finditer(text)]
    if not matches and not made:
        return False
    scalers = scalers_in(text) if scalers is None else scalers
    if any(_fits_a_scaler(text, at, scalers) for at in matches):
        return True
    for match in made:
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        line = text[start:end if end >= 0 else len(text)]
        fit = line.find("fit")
        if fit >= 0 and _fits_a_scaler(text, start + fit, scalers):
            return True
        name = _ASSIGNED.match(line)
        fitted = name and re.search(rf"fit(?:_transform)?\(\s*{re.escape(name.group(1))}\b", text)
        if fitted and _fits_a_scaler(text, fitted.start(), scalers):
            return True
    return False


_RECEIVER: Final = re.compile(r"([\w.]+|\))\.$")
_SCALER_CLASS: Final = r"(?:Standard|MinMax|Robust|MaxAbs)Scaler|PowerTransformer|QuantileTransformer"
_SCALER_CLASS_CALL: Final = re.compile(rf"(?:{_SCALER_CLASS})\(")
_BOUND_BEFORE: Final = re.compile(r"([A-Za-z_][\w.]*)[ \t]*=[ \t]*[\w.]*$")
_SCALER_CALLED: Final = re.compile(rf"(?:{_SCALER_CLASS})\([^()]*\)\.$")


def scalers_in(text: str) -> frozenset[str]:
    """The names bound to a scaler in `text` (`sx = StandardScaler()`): found from each
    scaler class called, looking back on its line (a pattern tried at every position of a
    large file would cost more than the rest of the screen)."""
    names = set()
    for match in _SCALER_CLASS_CALL.finditer(text):
        line = text.rfind("\n", 0, match.start()) + 1
        bound = _BOUND_BEFORE.search(text, line, match.start())
        if bound:
            names.add(bound.group(1))
    return frozenset(names)


def _fits_a_scaler(text: str, at: int, scalers: frozenset[str]) -> bool:
    """Whether the fit at `at` (`...fit(`) is called on a scaler."""
    receiver = _RECEIVER.search(text, max(0, at - 80), at)
    if receiver is None:
        return False
    name = receiver.group(1)
    if name == ")":  # `StandardScaler().fit(...)`
        return _SCALER_CALLED.search(text, max(0, at - 120), at) is not None
    last = name.rpartition(".")[2]
    return name in scalers or last in scalers or named_like_scaler(last)


# Each starts with a literal, which `re` finds fast; a case-insensitive flag for the whole
# pattern would lose that.
_EVALUATION_FIT: Final = re.compile(
    r"fit(?:_transform)?\(\s*[\w.]*?(?<![a-zA-Z])(?i:test|val|valid|validation|holdout|te)"
    r"(?![a-zA-Z])")
_PIXELS: Final = frozenset({"cv2", "imread", "rgb2gray", "load_img"})
# A scaler: its class, a scaler function, or a receiver named so (one loaded with joblib).
_SCALER_WORDS: Final = frozenset(
    {name.rpartition(".")[2] for name, family in CLASSES.items() if family == "scaler"}
    | {name.rpartition(".")[2] for name in FUNCTIONS} | {"scaler", "scaler_x", "scaler_X"}) - {"scale"}
_GRAY: Final = re.compile(r"convert\(\s*['\"]L['\"]")


def may_hold_fits(text: str) -> bool:
    """Whether the text can hold a finding on an estimator: a scaler with one row written out
    or images about (NRM005, NRM004), or any estimator fitted on evaluation data by name
    (NRM006)."""
    scaler = mentions(text, _SCALER_WORDS) or (
        "scale" in text and _names_scale_function(text))
    if not scaler and "sklearn" not in text:
        return False  # no estimator of scikit-learn's, nor a scaler loaded from a file
    if scaler and (_one_row(text) or mentions(text, _PIXELS)
                   or _GRAY.search(text)):
        return True
    return _EVALUATION_FIT.search(text) is not None and (scaler or mentions(text, WORDS))


def _names_scale_function(text: str) -> bool:
    """`preprocessing.scale(`, or `scale` imported from scikit-learn: such an import starts a
    line that holds `sklearn`, so only those lines are tried (a pattern anchored at every
    line of a large file costs more than the rest of the screen)."""
    return "preprocessing.scale(" in text or any(
        _SCALE_IMPORT.match(text, start) for start in lines_with(text, "sklearn"))


def may_fit_in(block: str, scalers: frozenset[str] = frozenset()) -> bool:
    """Whether a function or class body may hold an estimator's record worth having (the file
    as a whole passed `may_hold_fits`; `scalers`: its names bound to scalers): a fit on one row
    or on evaluation data by name, or images about."""
    return bool(_one_row(block, scalers) or _EVALUATION_FIT.search(block)
                or mentions(block, _PIXELS) or _GRAY.search(block))
