"""Findings in the editor's terms: LSP diagnostics, quick fixes, noqa actions and hover text."""

from __future__ import annotations

import re
from typing import Final

from lsprotocol import types as lsp
from pygls.workspace.position_codec import PositionCodec

from ..types import Finding
from .documents import Document, Place

SOURCE: Final = "normlint"
VERIFY_COMMAND: Final = "normlint.verify"
_NOQA: Final = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?",
                          re.IGNORECASE)


def span_range(place: Place, document: Document, codec: PositionCodec) -> lsp.Range:
    """The finding's range in the client's position encoding (UTF-16 unless agreed otherwise)."""
    lines = document.lines_of(place.uri)
    code_points = lsp.Range(lsp.Position(place.line, place.column),
                            lsp.Position(place.end_line, place.end_column))
    return codec.range_to_client_units(lines, code_points)


def rule_pages() -> dict[str, str]:
    """`file:` URIs of each rule's page (as `normlint rule CODE` prints it), written once per
    server into a temporary folder: normlint has no web site, and an editor opens a file."""
    import atexit
    import shutil
    import tempfile
    from pathlib import Path

    from ..measurements import MEASUREMENTS
    from ..rules import RULES

    folder = Path(tempfile.mkdtemp(prefix="normlint-rules-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    pages = {}
    for rule in RULES:
        page = folder / f"{rule.code}.md"
        page.write_text(f"# {rule.name} ({rule.code})\n\n{rule.doc.strip()}\n\n{MEASUREMENTS}",
                        encoding="utf-8")
        pages[rule.code] = page.as_uri()
    return pages


def diagnostic(finding: Finding, document: Document, codec: PositionCodec,
               pages: dict[str, str] | None = None) -> lsp.Diagnostic:
    place = document.place(finding)
    where = span_range(place, document, codec)
    location = lsp.Location(place.uri, where)
    related = [lsp.DiagnosticRelatedInformation(_origin(finding, document, codec) or location,
                                                finding.evidence[0])] if finding.evidence else []
    related += [lsp.DiagnosticRelatedInformation(location, note) for note in finding.evidence[1:]]
    message = finding.message + (f"\nfix: {finding.help}" if finding.help else "")
    page = (pages or {}).get(finding.code)
    return lsp.Diagnostic(
        range=where, message=message, severity=lsp.DiagnosticSeverity.Warning,
        code=finding.code, source=SOURCE, related_information=related or None,
        code_description=lsp.CodeDescription(href=page) if page else None,
        data={"code": finding.code, "name": finding.name})


def _origin(finding: Finding, document: Document, codec: PositionCodec) -> lsp.Location | None:
    """The line the input array came from, when the evidence names one."""
    fact = finding.call.array if finding.call is not None else None
    if fact is None or fact.origin_line is None:
        return None
    uri = document.cell_uris.get(fact.origin_cell, document.uri) \
        if fact.origin_cell is not None else document.uri
    lines = document.lines_of(uri)
    line = fact.origin_line - 1
    if not 0 <= line < len(lines):
        return None
    whole = lsp.Range(lsp.Position(line, 0), lsp.Position(line, len(lines[line])))
    return lsp.Location(uri, codec.range_to_client_units(lines, whole))


def quick_fix(finding: Finding, document: Document, codec: PositionCodec,
              diagnostics: list[lsp.Diagnostic]) -> lsp.CodeAction | None:
    if finding.fix is None:
        return None
    place = document.place(finding)
    edit = lsp.TextEdit(span_range(place, document, codec), finding.fix.replacement)
    return lsp.CodeAction(
        title=f"{finding.fix.title} (changes what the program computes)",
        kind=lsp.CodeActionKind.QuickFix, diagnostics=diagnostics, is_preferred=False,
        edit=lsp.WorkspaceEdit(changes={place.uri: [edit]}))


def noqa_action(finding: Finding, document: Document, codec: PositionCodec,
                diagnostics: list[lsp.Diagnostic]) -> lsp.CodeAction:
    """`# noqa: CODE` at the end of the finding's first line, or the code added to the noqa
    comment already there."""
    place = document.place(finding)
    text = place.line_text
    existing = _NOQA.search(text)
    if existing is not None and existing.group("codes"):
        at, new = existing.end(), f", {finding.code}"
    else:
        at, new = len(text.rstrip()), f"  # noqa: {finding.code}"
    lines = document.lines_of(place.uri)
    point = lsp.Range(lsp.Position(place.line, at), lsp.Position(place.line, at))
    edit = lsp.TextEdit(codec.range_to_client_units(lines, point), new)
    return lsp.CodeAction(title=f"Disable {finding.code} for this line",
                          kind=lsp.CodeActionKind.QuickFix, diagnostics=diagnostics,
                          edit=lsp.WorkspaceEdit(changes={place.uri: [edit]}))


def verify_action(finding: Finding, document: Document,
                  diagnostics: list[lsp.Diagnostic]) -> lsp.CodeAction:
    place = document.place(finding)
    return lsp.CodeAction(
        title=f"Verify {finding.code}: run this call on sample images",
        kind=lsp.CodeActionKind.Empty, diagnostics=diagnostics,
        command=lsp.Command(title=f"Verify {finding.code}", command=VERIFY_COMMAND,
                            arguments=[place.uri, place.line, place.column]))


def hover_text(finding: Finding, summary: str) -> str:
    evidence = "".join(f"- {note}\n" for note in finding.evidence)
    fix = f"\n**Fix:** {finding.help}\n" if finding.help else ""
    return (f"**{finding.code}** {finding.name}: {summary}\n\n{finding.message}\n\n"
            f"{evidence}{fix}\n`normlint rule {finding.code}` explains the rule.")
