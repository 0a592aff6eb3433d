"""Flags noqa comments with normlint codes that name no rule or silence nothing.

## What it does
Checks `# noqa: NRM...` comments and file-level `# normlint: noqa: NRM...` directives for
normlint codes that no rule has (`NRM01`, `NRM004`), and for codes of rules that ran but
reported nothing there. Other tools' codes (`# noqa: E501`) and a bare `# noqa` are left alone.

## Why is this bad?
A mistyped code silences nothing, so the finding it was meant for still fails the build, or,
worse, the comment stays after the call it silenced was fixed or moved and hides the next
real finding on that line. A suppression that does nothing should go, as ruff's RUF100 says.

## Example
```python
import tensorflow as tf

(x_train, _), _ = tf.keras.datasets.mnist.load_data()
x_train = x_train / 255.0  # noqa: NRM001
```

## Use instead
```python
import tensorflow as tf

(x_train, _), _ = tf.keras.datasets.mnist.load_data()
x_train = x_train / 255.0
```

## Fix safety
No fix is offered: remove the code, or the comment, by hand.

## What the verifier shows
Nothing: there is no call to run.

## Known problems
A code is "unused" only when its rule was selected for the run, so `--select NRM001` never
calls a `# noqa: NRM002` unused. A finding below `--min-confidence` still counts as silenced.

## References
- [ruff: unused-noqa (RUF100)](https://docs.astral.sh/ruff/rules/unused-noqa/)
"""

from __future__ import annotations

from collections.abc import Iterator

from normlint.types import Finding, Invalid, NormCall, Rule, Valid

_HEAD = "import tensorflow as tf\n(x_train, _), _ = tf.keras.datasets.mnist.load_data()\n"


def check(call: NormCall) -> Iterator[Finding]:
    """Nothing per call: the engine's suppression stage reports this rule, for it needs every
    other rule's findings and the file's comments."""
    return iter(())


RULE = Rule(
    code="NRM100",
    name="unused-noqa",
    doc=__doc__,
    check=check,
    valid=(
        Valid(_HEAD + "x_train = tf.keras.utils.normalize(x_train, axis=1)  # noqa: NRM001\n"),
        Valid(_HEAD + "x_train = x_train / 255.0  # noqa: E501\n"),
        Valid(_HEAD + "x_train = x_train / 255.0  # noqa\n"),
        Valid("# normlint: noqa: NRM001\n" + _HEAD +
              "x_train = tf.keras.utils.normalize(x_train, axis=1)\n"),
    ),
    invalid=(
        Invalid(_HEAD + "x_train = x_train / 255.0  # noqa: NRM001\n",
                message="`# noqa: NRM001` silences nothing on this line"),
        Invalid(_HEAD + "x_train = tf.keras.utils.normalize(x_train, axis=1)  # noqa: NRM01\n",
                message="`NRM01` in a noqa comment names no rule"),
        Invalid("# normlint: noqa: NRM003\n" + _HEAD + "x_train = x_train / 255.0\n",
                message="silences nothing in this file"),
    ),
)
