"""What a same-file function's call sites pass it: the values, bound to its parameters, joined.

The fact builder walks a function before the code that calls it; what the calls pass is
gathered here, and the function is walked again with the joined values (see
`FactBuilder._revisit_called_functions`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import libcst as cst

from .literals import Args
from ..types import ArrayFact
from .values import Array, Items, ListOf, Model, Obj, PilImage, Value


@dataclass(slots=True)
class Definition:
    """A same-file function: its parameters, where its catalog calls are in the list of
    sites, and what its call sites pass."""

    node: cst.FunctionDef = field(repr=False)
    positional: list[str]
    keyword_only: list[str]
    sites: tuple[int, int] = (0, 0)  # [start, end) in FactBuilder.sites
    # id(call) -> what that call passes; a later walk of the calling function replaces it
    passed: dict[int, dict[str, Value | None]] = field(default_factory=dict)

    @classmethod
    def of(cls, node: cst.FunctionDef) -> Definition:
        params = node.params
        return cls(node, [p.name.value for p in (*params.posonly_params, *params.params)],
                   [p.name.value for p in params.kwonly_params])

    def bind(self, args: Args) -> dict[str, Value | None]:
        values = {name: args.value_of(node)
                  for name, node in zip(self.positional, args.positional, strict=False)}
        values |= {name: args.value_of(node) for name, node in args.keywords.items()
                   if name in self.positional or name in self.keyword_only}
        return values

    def joined(self) -> dict[str, Value]:
        """Each parameter's value where every call site passes the same value, or images of
        one layout (arrays, or PIL images): their shapes joined (a size the sites disagree on
        is unknown); a parameter that any site passes something else, or nothing, says
        nothing."""
        sites = list(self.passed.values())
        names = {name for values in sites for name in values}
        joined: dict[str, Value] = {}
        for name in names:
            values = [values.get(name) for values in sites]
            if _tells(values[0]) and all(v == values[0] for v in values):
                joined[name] = values[0]  # type: ignore[assignment]
                continue
            kinds = {type(v) for v in values}
            facts = [v.fact for v in values if isinstance(v, (Array, PilImage)) and
                     (v.fact.is_images or isinstance(v, PilImage))]
            if len(facts) != len(values) or len(kinds) != 1 or len({f.layouts for f in facts}) != 1:
                continue
            shapes = {f.shape for f in facts}
            shape = facts[0].shape if len(shapes) == 1 else _joined_shape(shapes)
            fact = replace(min(facts, key=lambda f: f.confidence), shape=shape)
            joined[name] = PilImage(fact) if PilImage in kinds else Array(fact)
        return joined


def _tells(value: Value | None) -> bool:
    """Whether a value says something about images (a walk again could find more): images, a
    model that takes them, or a container of such."""
    match value:
        case Array(fact=fact):
            return fact.is_images
        case PilImage() | Model(input=ArrayFact()):
            return True
        case Items(items=items):
            return any(_tells(item) for item in items)
        case ListOf(item=item):
            return _tells(item)
        case Obj(attrs=attrs, item=item):
            return _tells(item) or any(_tells(v) for _, v in attrs)
    return False


def _joined_shape(shapes: set[tuple[int | None, ...] | None]) -> tuple[int | None, ...] | None:
    if None in shapes or len({len(s) for s in shapes if s is not None}) != 1:
        return None
    return tuple(sizes[0] if len(set(sizes)) == 1 else None
                 for sizes in zip(*[s for s in shapes if s is not None], strict=True))
