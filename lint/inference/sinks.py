"""Backward evidence: what the code does later with a name says what the name held.

A name fed to a model is a batch of what that very model takes; the parts of one
`train_test_split` are one array cut in pieces; `plt.imshow(x[i])` shows images. A name alone
(`x_train`) is weak evidence: never more than low confidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from ..types import ArrayFact, ArrayKind, Confidence, Layout

# A model's methods that take a batch of what the model takes (`model.fit(x)`).
MODEL_FEEDS: Final = frozenset({"fit", "predict", "evaluate", "train_on_batch", "fit_generator",
                                "predict_classes", "predict_on_batch", "test_on_batch"})

# Names that suggest images: weak evidence, never more than Confidence.LOW.
_IMAGE_NAME: Final = re.compile(
    r"^(?:x|X)_?(?:train|test|val|valid|dev|tr|te|all)$"
    r"|^(?:train|test|val|valid)_?(?:x|X|images?|imgs?|data)$"
    r"|(?:^|_)(?:images?|imgs?|pictures?|photos?|frames?|pixels|digits)$"
)


@dataclass(slots=True)
class Sinks:
    """What the code does with each name, gathered during the walk, read at its end."""

    # name -> the input of the very model it is fed to (model.fit(name), net(name))
    fed: dict[str, ArrayFact] = field(default_factory=dict)
    # name -> the names holding the other parts of the same train_test_split
    splits: dict[str, frozenset[str]] = field(default_factory=dict)
    shown: dict[str, int] = field(default_factory=dict)  # plt.imshow(name[i]) -> line

    def feed(self, names: list[str], model_input: ArrayFact) -> None:
        for name in names:
            self.fed.setdefault(name, model_input)

    def split(self, parts: list[str], whole: str | None) -> None:
        """`a_train, a_test, ... = train_test_split(a, ...)`: `parts` are a's pieces."""
        group = set(parts) - {""}
        if whole is not None:
            group |= {whole} | self.splits.get(whole, frozenset())
        for name in group:
            self.splits[name] = frozenset(group)

    def show(self, name: str, line: int) -> None:
        self.shown.setdefault(name, line)

    def evidence(self, inputs: list[str], targets: list[str]) -> ArrayFact | None:
        """What the sinks say of a call's input, known by the names it is read from and the
        names its result is bound to (same shape; a result's name says nothing of content)."""
        names = inputs + targets
        names += [part for name in names for part in sorted(self.splits.get(name, ()))]
        fed = next((n for n in names if n in self.fed), None)
        if fed is not None:
            return self.fed[fed]
        shown = next((n for n in names if n in self.shown), None)
        if shown is not None:
            return ArrayFact(ArrayKind.IMAGES, (Layout.NHW, Layout.NHWC),
                             origin=f"imshow({shown}[...])", origin_line=self.shown[shown],
                             confidence=Confidence.MEDIUM)
        return None

    @staticmethod
    def by_name(inputs: list[str], conventional: tuple[Layout, ...]) -> ArrayFact | None:
        if any(_IMAGE_NAME.search(name) for name in inputs):
            return ArrayFact(ArrayKind.IMAGES, conventional, origin="its name",
                             confidence=Confidence.LOW)
        return None
