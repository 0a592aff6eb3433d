"""Flags a scaler, vectorizer, imputer or encoder fitted again on the evaluation data.

## What it does
Checks for `fit` or `fit_transform` on test or validation data after the same estimator (or
one of its class) was fitted on the training data: `x_test = sc.fit_transform(x_test)`, a new
`StandardScaler()` fitted on the test part of a `train_test_split`, a `TfidfVectorizer`
refitted on the test texts.

## Why is this bad?
The model learned on training features scaled with the training statistics. Refitted on the
test data, the scaler uses the test data's own statistics, so the same raw value maps to a
different input: every test feature is shifted and stretched by however much the two parts
differ. For a vectorizer or an encoder it is worse: the columns no longer mean the same words
or categories. Scores on such a test set say little about the model, and the bug survives
into production code that fits on each new batch.

## Example
```python
from sklearn.preprocessing import StandardScaler

sc = StandardScaler()
x_train = sc.fit_transform(x_train)
x_test = sc.fit_transform(x_test)
```

## Use instead
```python
x_train = sc.fit_transform(x_train)
x_test = sc.transform(x_test)
```

## Fix safety
When the very estimator was fitted before on the training data, the fix replaces
`fit_transform` by `transform`. It is unsafe: it changes the values the program computes.

## What the verifier shows
The verifier splits a real data set that scikit-learn ships (the wine recognition data) as the
code splits it (`test_size`, `random_state` when they are literals), fits on the training part,
and reports how far refitting moves the test features, in training standard deviations.

## Known problems
The evaluation data is known from `train_test_split` (high confidence) or from its name
(`X_test`, `x_val`, `test_df`: medium with an earlier fit on other data, low without).

## References
- [scikit-learn: common pitfalls, inconsistent preprocessing](https://scikit-learn.org/stable/common_pitfalls.html#inconsistent-preprocessing)
"""

from __future__ import annotations

from collections.abc import Iterator

from normlint.explain import record_finding, transform_fix
from normlint.inference.knowledge import TRIGGERS
from normlint.types import (
    Confidence, EstimatorCall, Finding, FixSafety, Invalid, Rule, Valid,
)

# What a refit does, by family; "transformer": a receiver of unknown class fitted before on
# other data under the same name.
_CHANGE = {
    "scaler": "it is scaled with its own statistics instead of the training data's, so the "
              "model sees shifted inputs",
    "vectorizer": "its columns are built from its own vocabulary, so they no longer mean the "
                  "words the model learned",
    "imputer": "its gaps are filled with its own statistics instead of the training data's",
    "encoder": "its categories are numbered afresh, so the codes no longer mean what the model "
               "learned",
    "decomposition": "it is projected on its own components, so the features no longer mean "
                     "what the model learned",
    "transformer": "it is transformed with its own statistics instead of the training data's, "
                   "so the model sees shifted inputs",
}


def _confidence(call: EstimatorCall) -> Confidence:
    sure = call.split_confidence is Confidence.HIGH
    if call.earlier:
        return Confidence.HIGH if sure else Confidence.MEDIUM
    return Confidence.MEDIUM if sure else Confidence.LOW


def check(call: EstimatorCall) -> Iterator[Finding]:
    if call.split_confidence is None or call.method not in ("fit", "fit_transform"):
        return
    family = call.family or ("transformer" if call.same_estimator else "")
    if family not in _CHANGE:
        return
    short = call.estimator.rpartition(".")[2] if call.estimator else family
    before = call.earlier[-1] if call.earlier else None
    evidence = [f"{call.input_text} is the evaluation data: {call.split_evidence}"]
    if before is not None:
        whose = "this" if call.same_estimator else f"another {short}"
        evidence.append(f"{whose} was fitted on {before.input_text} at line {before.line}")
    yield record_finding(
        RULE, call,
        message=(f"`{call.text}` fits the {short} again on the evaluation data "
                 f"`{call.input_text}`: {_CHANGE[family]}"),
        confidence=_confidence(call),
        evidence=tuple(evidence),
        help=(f"fit on the training data only, then use `transform` on `{call.input_text}`"),
        fix=transform_fix(call),
    )


RULE = Rule(
    code="NRM006",
    name="refit-on-evaluation-data",
    doc=__doc__,
    check=check,
    reads=EstimatorCall,
    triggers=TRIGGERS,
    fix_safety=FixSafety.UNSAFE,
    valid=(
        Valid("""
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)
sc = StandardScaler()
X_train = sc.fit_transform(X_train)
X_test = sc.transform(X_test)
"""),
        Valid("""
from sklearn.preprocessing import MinMaxScaler
scaler = MinMaxScaler()
scaler.fit(X_train)
X_train = scaler.transform(X_train)
X_val = scaler.transform(X_val)
"""),
    ),
    invalid=(
        Invalid("""
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)
sc = StandardScaler()
X_train = sc.fit_transform(X_train)
X_test = sc.fit_transform(X_test)
""", message="scaled with its own statistics", replacement="""
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)
sc = StandardScaler()
X_train = sc.fit_transform(X_train)
X_test = sc.transform(X_test)
"""),
        Invalid("""
from sklearn.feature_extraction.text import TfidfVectorizer
vectorizer = TfidfVectorizer()
train_features = vectorizer.fit_transform(train_texts)
vectorizer2 = TfidfVectorizer()
test_features = vectorizer2.fit_transform(test_texts)
""", message="no longer mean the words"),
    ),
)
