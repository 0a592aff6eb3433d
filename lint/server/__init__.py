"""`normlint server`: a language server over stdio, from documents in memory to diagnostics.

Each open `.py` file or notebook is analysed from its text in the editor, with the same
screens, rules and `[tool.normlint]` settings as `normlint check`; findings become
diagnostics, fixes and `# noqa` become code actions, and the verifier runs in a thread on
request, so the editor never waits for TensorFlow to import.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any, Final

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from .. import __version__, config
from ..config import Options
from ..runner import check_unit
from ..types import FileResult, Finding
from . import convert
from .documents import Document

DEBOUNCE_SECONDS: Final = 0.25  # after the last keystroke, before analysing


@dataclass(frozen=True, slots=True)
class Checked:
    document: Document
    result: FileResult


class NormlintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "normlint", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental,
            notebook_document_sync=lsp.NotebookDocumentSyncOptions(notebook_selector=[
                lsp.NotebookDocumentFilterWithCells(
                    cells=[lsp.NotebookCellLanguage(language="python")],
                    notebook="jupyter-notebook")], save=True))
        self.checked: dict[str, Checked] = {}  # by document (notebook) URI
        self.waiting: dict[str, asyncio.Task[None]] = {}
        self.published: dict[str, list[lsp.Diagnostic]] = {}  # by document or cell URI
        self.pages: dict[str, str] | None = None  # each rule's page, written on first use

    # --- analysis ------------------------------------------------------------------------------

    def document(self, uri: str) -> Document | None:
        """The document at `uri` (a `.py` file or a notebook) as it is in the editor now."""
        notebook = self.workspace.get_notebook_document(notebook_uri=uri)
        if notebook is not None:
            cells = [(cell.document, self.workspace.get_text_document(cell.document).source,
                      cell.kind == lsp.NotebookCellKind.Code) for cell in notebook.cells]
            return Document.notebook(uri, cells)
        text_document = self.workspace.text_documents.get(uri)
        if text_document is None or text_document.language_id not in ("python", None, ""):
            return None
        return Document.python(uri, text_document.source)

    def analyse(self, uri: str) -> None:
        """Check the document and publish its diagnostics; a document that does not parse
        keeps its last diagnostics (it is being typed), and nothing here may stop the server."""
        try:
            document = self.document(uri)
            if document is None:
                return
            config.find_pyproject.cache_clear()  # an edited pyproject.toml counts at once
            config.load.cache_clear()
            settings = config.settings_for(document.unit.path, Options())
            result = check_unit(document.unit, settings)
            if result.error is not None and uri in self.checked:
                return
            self.checked[uri] = Checked(document, result)
            self.publish(document, result.findings)
        except Exception as error:  # noqa: BLE001 - the editor session must survive any bug
            self.log(lsp.MessageType.Error, f"normlint: internal error on {uri}: "
                                            f"{type(error).__name__}: {error}")

    def publish(self, document: Document, findings: tuple[Finding, ...]) -> None:
        """Send each document (or cell) its diagnostics, when they differ from what it has: a
        notebook of 300 cells gets one message for the cell that changed, not 300."""
        by_uri: dict[str, list[lsp.Diagnostic]] = {uri: [] for uri in document.uris}
        codec = self.workspace.position_codec
        if findings and self.pages is None:
            self.pages = convert.rule_pages()
        for finding in findings:
            place = document.place(finding)
            by_uri.setdefault(place.uri, []).append(
                convert.diagnostic(finding, document, codec, self.pages))
        for uri, diagnostics in by_uri.items():
            if self.published.get(uri, []) == diagnostics and uri in self.published:
                continue
            self.published[uri] = diagnostics
            self.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics))

    def analyse_soon(self, uri: str) -> None:
        """Analyse after a pause in typing: each change restarts the wait."""
        pending = self.waiting.pop(uri, None)
        if pending is not None:
            pending.cancel()

        async def later() -> None:
            await asyncio.sleep(DEBOUNCE_SECONDS)
            self.waiting.pop(uri, None)
            self.analyse(uri)

        self.waiting[uri] = asyncio.ensure_future(later())

    def analyse_all(self) -> None:
        for uri in list(self.checked):
            self.analyse(uri)

    def forget(self, uri: str) -> None:
        checked = self.checked.pop(uri, None)
        for target in checked.document.uris if checked else [uri]:
            self.published.pop(target, None)
            self.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(uri=target, diagnostics=[]))

    def log(self, kind: lsp.MessageType, message: str) -> None:
        self.window_log_message(lsp.LogMessageParams(type=kind, message=message))

    def report_server_error(self, error: Exception, source: Any) -> None:
        """A bug in a handler goes to the log, not into the user's face; the session goes on."""
        self.log(lsp.MessageType.Error,
                 f"normlint: internal error: {type(error).__name__}: {error}")

    # --- lookups for actions, hover and verify -------------------------------------------------

    def findings_at(self, uri: str, first: int, last: int) -> list[tuple[Checked, Finding]]:
        """Findings on `uri` (a file or a cell) whose lines meet `first`..`last` (0-based)."""
        found = []
        for checked in self.checked.values():
            if uri != checked.document.uri and uri not in checked.document.cell_uris.values():
                continue
            for finding in checked.result.findings:
                place = checked.document.place(finding)
                if place.uri == uri and place.line <= last and place.end_line >= first:
                    found.append((checked, finding))
        return found


def _uri_of(params: Any) -> str:
    return params.text_document.uri


def build() -> NormlintServer:
    server = NormlintServer()

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: NormlintServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls.analyse(_uri_of(params))

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: NormlintServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.analyse_soon(_uri_of(params))

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: NormlintServer, params: lsp.DidSaveTextDocumentParams) -> None:
        if _uri_of(params).endswith("pyproject.toml"):
            ls.analyse_all()
        else:
            ls.analyse(_uri_of(params))

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: NormlintServer, params: lsp.DidCloseTextDocumentParams) -> None:
        ls.forget(_uri_of(params))

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_OPEN)
    def notebook_open(ls: NormlintServer, params: lsp.DidOpenNotebookDocumentParams) -> None:
        ls.analyse(params.notebook_document.uri)

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_CHANGE)
    def notebook_change(ls: NormlintServer, params: lsp.DidChangeNotebookDocumentParams) -> None:
        ls.analyse_soon(params.notebook_document.uri)

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_SAVE)
    def notebook_save(ls: NormlintServer, params: lsp.DidSaveNotebookDocumentParams) -> None:
        ls.analyse(params.notebook_document.uri)

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def notebook_close(ls: NormlintServer, params: lsp.DidCloseNotebookDocumentParams) -> None:
        ls.forget(params.notebook_document.uri)

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: NormlintServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        if any(change.uri.endswith("pyproject.toml") for change in params.changes):
            ls.analyse_all()

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(
        code_action_kinds=[lsp.CodeActionKind.QuickFix]))
    def code_action(ls: NormlintServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        actions: list[lsp.CodeAction] = []
        codec = ls.workspace.position_codec
        for checked, finding in ls.findings_at(_uri_of(params), params.range.start.line,
                                               params.range.end.line):
            diagnostics = [convert.diagnostic(finding, checked.document, codec, ls.pages)]
            fix = convert.quick_fix(finding, checked.document, codec, diagnostics)
            actions += [fix] if fix else []
            actions.append(convert.noqa_action(finding, checked.document, codec, diagnostics))
            if finding.call is not None:
                actions.append(convert.verify_action(finding, checked.document, diagnostics))
        return actions

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: NormlintServer, params: lsp.HoverParams) -> lsp.Hover | None:
        from ..rules import BY_CODE

        line = params.position.line
        for checked, finding in ls.findings_at(_uri_of(params), line, line):
            place = checked.document.place(finding)
            where = convert.span_range(place, checked.document, ls.workspace.position_codec)
            if _contains(where, params.position):
                summary = BY_CODE[finding.code].summary if finding.code in BY_CODE else ""
                return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown,
                                                   convert.hover_text(finding, summary)), where)
        return None

    @server.command(convert.VERIFY_COMMAND)
    async def verify(ls: NormlintServer, uri: str, line: int, column: int) -> dict[str, Any]:
        found = [f for _, f in ls.findings_at(uri, line, line) if f.call is not None]
        if not found:
            ls.window_show_message(lsp.ShowMessageParams(
                lsp.MessageType.Info, f"normlint: no finding to verify on line {line + 1}"))
            return {"verified": False}
        finding = found[0]
        try:
            outcome = await asyncio.to_thread(_verify, finding)
        except Exception as error:  # noqa: BLE001 - e.g. numpy missing: say so, go on
            message = f"normlint: cannot verify: {error}"
            ls.window_show_message(lsp.ShowMessageParams(lsp.MessageType.Warning, message))
            return {"verified": False, "error": str(error)}
        picture = [f"picture: {outcome['picture']}"] if outcome.get("picture") else []
        ls.window_show_message(lsp.ShowMessageParams(
            lsp.MessageType.Info, "\n".join([*outcome["lines"], *picture])))
        return outcome

    return server


def _contains(where: lsp.Range, position: lsp.Position) -> bool:
    after_start = (position.line, position.character) >= (where.start.line, where.start.character)
    before_end = (position.line, position.character) <= (where.end.line, where.end.character)
    return after_start and before_end


def _verify(finding: Finding) -> dict[str, Any]:
    """Run the finding's call on sample images (in a worker thread: TensorFlow imports slowly),
    and draw the picture when Pillow is there."""
    import tempfile

    from ..verify_command import verifier_module

    verifier = verifier_module()
    run = verifier.verify_call(finding.call, rule=finding.code)
    verification = verifier.verification_of(run)
    if verification is None:
        return {"verified": False, "lines": ["normlint: this call cannot be run on samples"]}
    outcome: dict[str, Any] = {
        "verified": True, "artifact": verification.artifact.value,
        "backend": verification.backend, "lines": list(verification.lines), "picture": None}
    try:
        from ..verify.pictures import write_picture

        folder = tempfile.mkdtemp(prefix="normlint-verify-")
        outcome["picture"] = write_picture(run, finding, folder, f"{finding.code}")
    except ImportError:
        pass
    return outcome


def serve() -> None:
    """Run the server on stdin and stdout until the client says exit."""
    logging.getLogger("pygls").setLevel(logging.WARNING)
    build().start_io()

