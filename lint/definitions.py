"""What a same-file function's call sites pass it: the values, bound to its parameters, joined.

The fact builder walks a function before the code that calls it; what the calls pass is
gathered here, and the function is walked again with the joined values (see
`FactBuilder._revisit_called_functions`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import libcst as cst

from .literals import Args
from .values import Array, Value


@dataclass(slots=True)
class Definition:
    """A same-file function that holds catalog calls: its parameters, where its sites are in
    the list, and what its call sites pass."""

    node: cst.FunctionDef = field(repr=False)
    positional: list[str]
    keyword_only: list[str]
    sites: tuple[int, int]  # [start, end) in FactBuilder.sites
    passed: list[dict[str, Value | None]] = field(default_factory=list)

    def bind(self, args: Args) -> dict[str, Value | None]:
        values = {name: args.value_of(node)
                  for name, node in zip(self.positional, args.positional, strict=False)}
        values |= {name: args.value_of(node) for name, node in args.keywords.items()
                   if name in self.positional or name in self.keyword_only}
        return values

    def joined(self) -> dict[str, Value]:
        """Each parameter's value where every call site passes images of one layout: their
        shapes joined (a size the sites disagree on is unknown); a parameter that any site
        passes something else, or nothing, says nothing."""
        names = {name for values in self.passed for name in values}
        joined: dict[str, Value] = {}
        for name in names:
            values = [values.get(name) for values in self.passed]
            facts = [v.fact for v in values if isinstance(v, Array) and v.fact.is_images]
            if len(facts) != len(values) or len({f.layouts for f in facts}) != 1:
                continue
            shapes = {f.shape for f in facts}
            shape = facts[0].shape if len(shapes) == 1 else _joined_shape(shapes)
            joined[name] = Array(replace(min(facts, key=lambda f: f.confidence), shape=shape))
        return joined


def _joined_shape(shapes: set[tuple[int | None, ...] | None]) -> tuple[int | None, ...] | None:
    if None in shapes or len({len(s) for s in shapes if s is not None}) != 1:
        return None
    return tuple(sizes[0] if len(set(sizes)) == 1 else None
                 for sizes in zip(*[s for s in shapes if s is not None], strict=True))
