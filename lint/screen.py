"""Decide from text alone whether a file can reach a catalog API, so that libcst parses only those.

Parsing with libcst costs about a quarter of a second for a large file; this screen costs a few
regular expressions. It reads the file's import statements and simple module aliases
(`K = tf.keras`) into the same kind of table the CST pass builds, and resolves every dotted name
that ends in a catalog name (`normalize`, `l2_normalize`, `Normalization`) through it, with the
same `resolve_dotted` and catalog lookup. It errs towards parsing: imports anywhere in the file
count, whatever their scope.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from . import catalog
from .names import canonical, import_bindings, resolve_dotted

_IMPORT: Final = re.compile(r"^[ \t]*import[ \t]+([^\n#;]+)", re.MULTILINE)
_FROM_IMPORT: Final = re.compile(
    r"^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]+)", re.MULTILINE
)
_ALIAS: Final = re.compile(r"^[ \t]*(\w+)[ \t]*=[ \t]*([A-Za-z_][\w.]*)[ \t]*(?:#.*)?$", re.MULTILINE)
_AS: Final = re.compile(r"^([\w.]+)(?:\s+as\s+(\w+))?$")


_DOTTED_BEFORE: Final = re.compile(r"(?:[A-Za-z_]\w*[ \t]*\.[ \t]*)*$")


@lru_cache(maxsize=8)
def _word_pattern(words: frozenset[str]) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{'|'.join(sorted(words))})\b")


def _references(text: str, terminals: frozenset[str]) -> list[tuple[str, str]]:
    """(dotted prefix, terminal) for each use of a catalog name: `("tf.keras.utils.", "normalize")`.

    A plain word search, then a short look backwards for the prefix: far cheaper than one
    expression that tries a dotted name at every position of the file.
    """
    found = []
    for match in _word_pattern(terminals).finditer(text):
        start = match.start()
        if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
            continue
        window = text[max(0, start - 200) : start]
        prefix = _DOTTED_BEFORE.search(window)
        dotted = prefix.group(0) if prefix else ""
        if dotted and not dotted[0].isalpha() and dotted[0] != "_":
            dotted = ""
        found.append((dotted, match.group(0)))
    return found


def _split_names(clause: str) -> list[tuple[str, str | None]]:
    """`a.b as c, d` -> [("a.b", "c"), ("d", None)]; malformed parts are dropped."""
    pairs = []
    for part in clause.strip().strip("()").replace("\\\n", " ").split(","):
        found = _AS.match(" ".join(part.split()))
        if found:
            pairs.append((found.group(1), found.group(2)))
    return pairs


def import_table(text: str) -> tuple[dict[str, str], list[str]]:
    """Local name -> qualified name for every import in `text`, and the star-imported modules."""
    table: dict[str, str] = {}
    stars: list[str] = []
    for match in _IMPORT.finditer(text):
        table.update(import_bindings(None, _split_names(match.group(1)), relative=False))
    for match in _FROM_IMPORT.finditer(text):
        dots, module, clause = match.groups()
        names = _split_names(clause)
        if dots:
            continue
        if clause.strip() == "*":
            stars.append(module)
        table.update(import_bindings(module, names, relative=False))
    # `K = tf.keras`, `mnist = tf.keras.datasets.mnist`: twice, for aliases of aliases.
    for _ in range(2):
        for match in _ALIAS.finditer(text):
            name, value = match.groups()
            resolved = resolve_dotted(value, table.get)
            if resolved is not None:
                table[name] = resolved
    return table, stars


def may_reach_catalog(text: str, terminals: frozenset[str] = catalog.TERMINALS) -> bool:
    """True unless no name in `text` can resolve to a catalog API."""
    references = _references(text, terminals)
    if not references:
        return False
    table, stars = import_table(text)
    if any(catalog.lookup(qualified) for qualified in table.values()):
        return True  # imported under an alias of its own: `import ... normalize as norm`
    for prefix, terminal in references:
        dotted = "".join(prefix.split()) + terminal
        if catalog.lookup(resolve_dotted(dotted, table.get) or "") is not None:
            return True
        if not prefix and any(catalog.lookup(canonical(f"{m}.{terminal}")) for m in stars):
            return True
    return False


def has_evidence(text: str, words: frozenset[str]) -> bool:
    """Whether `text` holds anything that can tell an array is an image: a loader or reader,
    a reshape, a model's input shape, `imshow`. Without one, no finding can be more than a guess
    from a name, so files without any are not parsed unless low confidence is asked for."""
    return _word_pattern(words).search(text) is not None
