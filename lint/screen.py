"""Decide from text alone whether a file can reach a catalog API, so that libcst parses only those.

Parsing with libcst costs about a quarter of a second for a large file; this screen costs a few
regular expressions. It reads the file's import statements into the same kind of table the CST
pass builds (simple module aliases such as `K = tf.keras` are looked up when a name needs them),
and resolves every dotted name that ends in a catalog name (`normalize`, `l2_normalize`,
`Normalization`) through it, with the same `resolve_dotted` and catalog lookup. It errs towards
parsing: imports anywhere in the file count, whatever their scope.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from collections.abc import Callable, Iterator
from typing import Final

from . import catalog
from .names import canonical, import_bindings, resolve_dotted

_IMPORT: Final = re.compile(r"^[ \t]*import[ \t]+([^\n#;]+)", re.MULTILINE)
_FROM_IMPORT: Final = re.compile(
    r"^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(\((?:[^)#]|#[^\n]*(?![^\n]))*\)|[^\n#;]+)",
    re.MULTILINE
)
_AS: Final = re.compile(r"^([\w.]+)(?:\s+as\s+(\w+))?$")
_NAMES: Final = re.compile(r"\(\s*[\w\s,.]*\)")  # `(a, b as c,\n d)`, comments taken out
_COMMENT: Final = re.compile(r"#[^\n]*")


_IDENTIFIER_TAIL: Final = re.compile(r"[A-Za-z_]\w*$")
_RETURN: Final = re.compile(r"\breturn\b")


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _occurrences(text: str, words: frozenset[str]) -> Iterator[tuple[int, str]]:
    """(offset, word) for each of `words` standing in `text` as a whole word, as `\b` reads
    one. `str.find` per word is several times faster than one alternation regex over a large
    file, and most files hold none of the words."""
    for word in words:
        start = text.find(word)
        while start >= 0:
            end = start + len(word)
            if (start == 0 or not _is_word_char(text[start - 1])) and (
                    end == len(text) or not _is_word_char(text[end])):
                yield start, word
            start = text.find(word, start + 1)


def _dotted_prefix(text: str, end: int) -> str:
    """The `a.b.` that ends at `end`, read backwards: `tf.keras.utils.` before `normalize`."""
    parts: list[str] = []
    position = end
    while True:
        before = text[max(0, position - 80) : position].rstrip(" \t")
        if not before.endswith("."):
            break
        name = _IDENTIFIER_TAIL.search(before[:-1].rstrip(" \t"))
        if name is None:
            break
        parts.append(name.group(0))
        position = max(0, position - 80) + name.start()
    return "".join(f"{part}." for part in reversed(parts))


def _newlines(text: str) -> str:
    """The expressions here read lines as `re` does, ended by "\n" alone."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _split_names(clause: str) -> list[tuple[str, str | None]]:
    """`a.b as c, d` -> [("a.b", "c"), ("d", None)]; malformed parts are dropped."""
    pairs = []
    for part in _COMMENT.sub("", clause).strip().strip("()").replace("\\\n", " ").split(","):
        found = _AS.match(" ".join(part.split()))
        if found:
            pairs.append((found.group(1), found.group(2)))
    return pairs


def import_table(text: str) -> tuple[dict[str, str], list[str]]:
    """Local name -> qualified name for every import in `text`, and the star-imported modules."""
    table: dict[str, str] = {}
    stars: list[str] = []
    starts = lines_with(text, "import")
    for match in filter(None, (_IMPORT.match(text, start) for start in starts)):
        table.update(import_bindings(None, _split_names(match.group(1)), relative=False))
    for match in filter(None, (_FROM_IMPORT.match(text, start) for start in starts)):
        dots, module, clause = match.groups()
        if dots:
            continue
        if clause.strip() == "*":
            stars.append(module)
        table.update(import_bindings(module, _split_names(clause), relative=False))
    return table, stars


def lines_with(text: str, word: str) -> list[int]:
    """Where each line that holds `word` starts: the only places a statement that needs the
    word can start (matching there is cheaper than a multi-line pattern tried everywhere)."""
    starts: list[int] = []
    at = text.find(word)
    while at >= 0:
        start = text.rfind("\n", 0, at) + 1
        if not starts or starts[-1] != start:
            starts.append(start)
        at = text.find(word, at + len(word))
    return starts


@lru_cache(maxsize=256)
def _alias_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"^[ \t]*{re.escape(name)}[ \t]*=[ \t]*([A-Za-z_][\w.]*)[ \t]*(?:#.*)?$",
                      re.MULTILINE)


def _resolver(text: str, table: dict[str, str]):
    """`table.get`, falling back to simple module aliases (`K = tf.keras`) found on demand;
    each name is looked for once per file (a generated file names the same module thousands
    of times)."""
    known: dict[tuple[str, int], str | None] = {}

    def lookup(name: str, depth: int = 0) -> str | None:
        if name in table:
            return table[name]
        if depth > 2 or name not in text:
            return None
        if (name, depth) not in known:
            known[(name, depth)] = next(
                (resolved for start in lines_with(text, name)
                 if (match := _alias_pattern(name).match(text, start))
                 and (resolved := resolve_dotted(match.group(1),
                                                lambda head: lookup(head, depth + 1)))),
                None)
        return known[(name, depth)]
    return lookup


def may_reach_catalog(text: str, terminals: frozenset[str] = catalog.TERMINALS) -> bool:
    """True unless no name in `text` can resolve to a catalog API. A name read in an import
    statement only is imported, not called (a package's `__init__.py` that re-exports
    `normalize` holds no call of it)."""
    text = _newlines(text)
    occurrences = list(_occurrences(text, terminals))
    if not occurrences:
        return False
    imports = _import_spans(text)
    table, stars = import_table(text)
    if any(catalog.lookup(qualified) and _read_outside(text, name, imports)
           for name, qualified in table.items()):
        return True  # imported under a name of its own: `import ... normalize as norm`
    lookup = _resolver(text, table)
    for start, terminal in occurrences:
        if _inside(start, imports):
            continue
        # A plain word search, then a short look backwards for the prefix: far cheaper than
        # one expression that tries a dotted name at every position of the file.
        dotted = "".join(_dotted_prefix(text, start).split()) + terminal
        if catalog.lookup(resolve_dotted(dotted, lookup) or "") is not None:
            return True
        if dotted == terminal and any(catalog.lookup(canonical(f"{m}.{terminal}"))
                                      for m in stars):
            return True
    return False


def _import_spans(text: str) -> list[tuple[int, int]]:
    """Where the import statements of `text` stand, as (start, end) offsets in order. A
    parenthesized list counts only when it holds names alone: text in a docstring that looks
    like an import must not hide the code after it."""
    spans = []
    for start in lines_with(text, "import"):
        match = _IMPORT.match(text, start) or _FROM_IMPORT.match(text, start)
        if match is None:
            continue
        clause = match.group(match.lastindex or 0)
        if clause.startswith("(") and not _NAMES.fullmatch(_COMMENT.sub("", clause)):
            continue
        spans.append(match.span())
    return spans


def _inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    at = bisect.bisect_left(spans, (offset + 1,)) - 1  # the last span that starts by `offset`
    return at >= 0 and offset < spans[at][1]


def _read_outside(text: str, name: str, spans: list[tuple[int, int]]) -> bool:
    """Whether `name` stands as a word in `text` outside the import statements."""
    return any(not _inside(at, spans) for at, _ in _occurrences(text, frozenset({name})))


@dataclass(frozen=True, slots=True)
class Relevance:
    """Which function and class bodies of a file can matter to a finding.

    A body can hold a catalog call if it names a catalog API, an alias of one, or a layer's
    `adapt`; it can hand an image fact to its caller if it names a source or a reshape and
    returns something. Any other body is skipped: its sinks (`fit`, `imshow`) speak of its own
    local names, which no finding outside it uses.
    """

    calls: frozenset[str]
    facts: frozenset[str]
    callers: frozenset[str] = frozenset()  # module functions that hold catalog calls
    # whether a block may hold a record other than a catalog call (an estimator's fit on one
    # row or on evaluation data): finer than a word, for words such as `fit` are everywhere
    records: Callable[[str], bool] | None = None

    def is_needed(self, block: str) -> bool:
        return self.holds_calls(block) or self.may_return_facts(block) or self.calls_one(block)

    def calls_one(self, block: str) -> bool:
        """Whether the block names a module function that holds catalog calls: its call
        sites tell that function what its parameters hold."""
        return bool(self.callers) and mentions(block, self.callers)

    def with_callers(self, names: frozenset[str]) -> Relevance:
        return replace(self, callers=names)

    def holds_calls(self, block: str) -> bool:
        return mentions(block, self.calls) or (self.records is not None and self.records(block))

    def may_return_facts(self, block: str) -> bool:
        return mentions(block, self.facts) and _RETURN.search(block) is not None

    def may_set_facts(self, block: str) -> bool:
        """For a constructor (`__init__`): whether it may make a layer or load data that the
        class keeps in `self.`, telling what a model built from the class takes."""
        return mentions(block, self.facts)


def relevance(text: str, evidence: frozenset[str], records: frozenset[str] = frozenset(),
              record_blocks: Callable[[str], bool] | None = None) -> Relevance:
    """`records`: the words of calls other than the catalog's that make records (a
    `Normalize`, a division by 255); `record_blocks`: a finer test of a block for the
    others."""
    table, _ = import_table(_newlines(text))
    aliases = {name for name, qualified in table.items() if catalog.lookup(qualified)}
    # A block of `text` can hold only the words `text` holds: the many blocks of a file are
    # looked through for those alone (often none).
    calls = catalog.TERMINALS | {"adapt"} | records | frozenset(aliases)
    return Relevance(_held(calls, text), _held(evidence, text),
                     records=record_blocks)


def _held(words: frozenset[str], text: str) -> frozenset[str]:
    return frozenset(word for word in words if word in text)


def mentions(text: str, words: frozenset[str]) -> bool:
    """Whether any of `words` stands in `text` as a whole word."""
    return next(_occurrences(text, words), None) is not None
