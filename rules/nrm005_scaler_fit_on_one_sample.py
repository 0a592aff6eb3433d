"""Flags a scaler fitted on a single sample, which maps every input to the same values.

## What it does
Checks for `fit` or `fit_transform` of a scaler on one row: `scaler.fit_transform([[age, fare]])`,
`fit_transform(x.reshape(1, -1))`, `fit_transform(pd.DataFrame([form_values]))`, the usual
shape of a prediction handler in a Flask or Streamlit app.

## Why is this bad?
Fitted on one row, a scaler learns that row's own statistics: `StandardScaler` maps every
feature to 0.0, `MinMaxScaler` to the low end of its range, `MaxAbsScaler` to ±1. Whatever the
user types in, the model receives the same input and returns the same prediction. Nothing
fails: the app just stops listening to its inputs.

## Example
```python
from sklearn.preprocessing import StandardScaler

def predict(age, fare):
    features = StandardScaler().fit_transform([[age, fare]])
    return model.predict(features)
```

## Use instead
Load the scaler that was fitted on the training data, and only transform:
```python
scaler = joblib.load("scaler.joblib")

def predict(age, fare):
    return model.predict(scaler.transform([[age, fare]]))
```

## Fix safety
When the same scaler was fitted before on other data, the fix replaces `fit_transform` by
`transform`. It is unsafe: it changes the values the program computes.

## What the verifier shows
The verifier fits the scaler on one row at a time of a real data set that scikit-learn ships
(the wine recognition data) and counts the distinct inputs the model would see: one, for all
the samples.

## Known problems
A receiver whose class is not known (a scaler loaded with `joblib`) is reported when it is
named like a scaler (`scaler`, `sc_X`, `mms`), at medium confidence.

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

_OUTCOME = {
    "StandardScaler": "every feature becomes 0.0", "scale": "every feature becomes 0.0",
    "RobustScaler": "every feature becomes 0.0", "robust_scale": "every feature becomes 0.0",
    "MinMaxScaler": "every feature becomes the low end of the range (0.0)",
    "minmax_scale": "every feature becomes 0.0",
    "MaxAbsScaler": "every feature becomes -1.0, 0.0 or 1.0",
    "maxabs_scale": "every feature becomes -1.0, 0.0 or 1.0",
}


def check(call: EstimatorCall) -> Iterator[Finding]:
    if call.family != "scaler" or call.rows != 1 or call.method in ("transform", "partial_fit"):
        return
    short = call.estimator.rpartition(".")[2] if call.estimator else ""
    outcome = _OUTCOME.get(short, "every feature becomes the same constant")
    known = "`" + short + "`" if short else "the scaler"
    yield record_finding(
        RULE, call,
        message=(f"`{call.text}` fits {known} on a single sample ({call.rows_evidence}): "
                 f"{outcome}, so the model sees the same input whatever the values are"),
        confidence=Confidence.HIGH if short else Confidence.MEDIUM,
        evidence=(f"{call.input_text} is one row: {call.rows_evidence}",),
        help=("load the scaler fitted on the training data and call `transform` "
              "(`scaler.transform(...)`), never `fit` at prediction time"),
        fix=transform_fix(call),
    )


RULE = Rule(
    code="NRM005",
    name="scaler-fit-on-one-sample",
    doc=__doc__,
    check=check,
    reads=EstimatorCall,
    triggers=TRIGGERS,
    fix_safety=FixSafety.UNSAFE,
    valid=(
        Valid("""
import joblib
scaler = joblib.load("scaler.joblib")
features = scaler.transform([[age, fare]])
"""),
        Valid("""
import numpy as np
from sklearn.preprocessing import MinMaxScaler
prices = np.array(closing).reshape(-1, 1)
prices = MinMaxScaler().fit_transform(prices)
"""),
    ),
    invalid=(
        Invalid("""
from sklearn.preprocessing import StandardScaler
def predict(age, fare):
    features = StandardScaler().fit_transform([[age, fare]])
    return model.predict(features)
""", message="every feature becomes 0.0"),
        Invalid("""
import numpy as np
import joblib
scaler = joblib.load("scaler.joblib")
x = np.array(values).reshape(1, -1)
x = scaler.fit_transform(x)
""", message="single sample"),
        Invalid("""
from sklearn.preprocessing import MinMaxScaler
scaler = MinMaxScaler()
X_train = scaler.fit_transform(X_train)
row = scaler.fit_transform([[5.1, 3.5, 1.4, 0.2]])
""", message="low end of the range", replacement="""
from sklearn.preprocessing import MinMaxScaler
scaler = MinMaxScaler()
X_train = scaler.fit_transform(X_train)
row = scaler.transform([[5.1, 3.5, 1.4, 0.2]])
"""),
    ),
)
