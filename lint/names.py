"""Resolve dotted names through what a module imported, and fold library aliases to one spelling."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Final

# Import paths that reach the same objects. Longest prefix first; each maps to the spelling the
# catalog and the source table use.
_SYNONYMS: Final = (
    ("tensorflow.compat.v1.keras", "keras"),
    ("tensorflow.compat.v2.keras", "keras"),
    ("tensorflow.python.keras", "keras"),
    ("tensorflow.keras", "keras"),
    ("keras.api._v2.keras", "keras"),
    ("keras._tf_keras.keras", "keras"),
    ("keras.src", "keras"),
    # Keras 2 spelled layers by their module: keras.layers.convolutional.Conv2D
    ("keras.layers.convolutional", "keras.layers"),
    ("keras.layers.core", "keras.layers"),
    ("keras.layers.pooling", "keras.layers"),
    ("keras.layers.normalization", "keras.layers"),
    ("tf_keras", "keras"),
    ("tensorflow.compat.v1", "tensorflow"),
    ("tensorflow.compat.v2", "tensorflow"),
    ("tensorflow.python.ops.nn_impl", "tensorflow.nn"),
    ("sklearn.preprocessing._data", "sklearn.preprocessing"),
    ("matplotlib.pyplot", "pyplot"),
)


@lru_cache(maxsize=4096)  # asked for every callee of every call, mostly the same few names
def canonical(qualified: str) -> str:
    """`tensorflow.keras.utils.normalize` -> `keras.utils.normalize`."""
    for prefix, replacement in _SYNONYMS:
        if qualified == prefix or qualified.startswith(prefix + "."):
            return replacement + qualified[len(prefix) :]
    return qualified


def resolve_dotted(dotted: str, lookup: Callable[[str], str | None]) -> str | None:
    """The canonical qualified name of `dotted`, given what its first part is bound to.

    `lookup("tf")` is `"tensorflow"` after `import tensorflow as tf`; a first part that is not
    bound to an import resolves to nothing, so a local module imported as `tf` never matches.
    """
    head, _, tail = dotted.partition(".")
    bound = lookup(head)
    if bound is None:
        return None
    return canonical(f"{bound}.{tail}" if tail else bound)


def import_bindings(module: str | None, names: list[tuple[str, str | None]], relative: bool):
    """What an import statement binds: (local name, qualified name) pairs.

    `import a.b` binds `a` to `a`; `import a.b as c` binds `c` to `a.b`;
    `from a import b as c` binds `c` to `a.b`. Relative imports bind to nothing we know.
    """
    if relative:
        return []
    if module is None:  # import ...
        return [
            (alias, name) if alias else (name.split(".")[0], name.split(".")[0])
            for name, alias in names
        ]
    return [(alias or name, f"{module}.{name}") for name, alias in names if name != "*"]
