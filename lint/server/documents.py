"""Editor documents as normlint sees them: a `.py` text or a notebook's cells, as one unit.

No protocol library here: the server turns LSP documents into `Document`s, asks the api, and
maps each finding back to the document (or notebook cell) and the 0-based line it is on.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlparse

from ..notebooks import unit_of_cells
from ..types import Finding, SourceUnit


def path_of(uri: str) -> str:
    """The file system path of a `file:` URI; for other schemes (`untitled:`), its path part."""
    return unquote(urlparse(uri).path or uri)


@dataclass(frozen=True, slots=True)
class Place:
    """Where a finding is in an editor: the document (a cell's own URI in a notebook), its
    0-based line, the code point columns, and the text of that line."""

    uri: str
    line: int
    column: int  # 0-based, in code points
    end_line: int
    end_column: int
    line_text: str


@dataclass(frozen=True, slots=True)
class Document:
    """One checkable document: its URI, the unit normlint analyses, and for a notebook the
    URI and source of each code cell, by cell number."""

    uri: str
    unit: SourceUnit
    cell_uris: dict[int, str]
    cell_texts: dict[int, str]

    @classmethod
    def python(cls, uri: str, text: str) -> Document:
        return cls(uri, SourceUnit(path_of(uri), text), {}, {})

    @classmethod
    def notebook(cls, uri: str, cells: list[tuple[str, str, bool]]) -> Document:
        """`cells` in order: (cell URI, source, is code)."""
        numbered = [(n, cell_uri, text) for n, (cell_uri, text, code) in
                    enumerate(cells, start=1) if code]
        path = path_of(uri)
        unit = unit_of_cells(path if path.endswith(".ipynb") else path + ".ipynb",
                             [(n, text) for n, _, text in numbered])
        return cls(uri, unit, {n: u for n, u, _ in numbered}, {n: t for n, _, t in numbered})

    @property
    def uris(self) -> list[str]:
        """Every URI that diagnostics are published to (every code cell, or the file)."""
        return list(self.cell_uris.values()) if self.cell_uris else [self.uri]

    def lines_of(self, uri: str) -> list[str]:
        if not self.cell_uris:
            return self.unit.text.splitlines()
        number = next(n for n, u in self.cell_uris.items() if u == uri)
        return self.cell_texts[number].splitlines()

    def place(self, finding: Finding) -> Place:
        span = finding.span
        start = self.unit.locate(span.line, span.column)
        end = self.unit.locate(span.end_line, span.end_column)
        uri = self.cell_uris.get(start.cell, self.uri) if start.cell is not None else self.uri
        lines = self.lines_of(uri)
        text = lines[start.line - 1] if 0 < start.line <= len(lines) else ""
        return Place(uri, start.line - 1, start.column - 1, end.line - 1, end.column - 1, text)
