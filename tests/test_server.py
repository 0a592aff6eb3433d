"""`normlint server` end to end: the real server over stdio, driven by a real LSP client."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import numpy as np
import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient

from test_cli import TUTORIAL

pytestmark = pytest.mark.asyncio(loop_scope="function")

SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "normlint", "server"])


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient, tmp_path: Path):
    capabilities = pytest_lsp.client_capabilities("visual-studio-code")
    await lsp_client.initialize_session(lsp.InitializeParams(
        capabilities=capabilities, root_uri=tmp_path.as_uri(),
        workspace_folders=[lsp.WorkspaceFolder(tmp_path.as_uri(), "project")]))
    yield
    await lsp_client.shutdown_session()


async def diagnostics_for(client: LanguageClient, uri: str, seconds: float = 20.0):
    """Wait for the next diagnostics published for `uri`."""
    client.diagnostics.pop(uri, None)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while uri not in client.diagnostics:
        remaining = deadline - loop.time()
        assert remaining > 0, f"no diagnostics for {uri}"
        await asyncio.wait_for(
            client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), remaining)
    return list(client.diagnostics[uri])


def open_python(client: LanguageClient, path: Path, text: str, version: int = 1) -> str:
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(
        lsp.TextDocumentItem(uri=uri, language_id="python", version=version, text=text)))
    return uri


def change(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
        [lsp.TextDocumentContentChangeWholeDocument(text=text)]))


def apply_edits(text: str, edits: list[lsp.TextEdit]) -> str:
    """The text with `edits` applied (positions are UTF-16, as the client asked; the test
    texts are ASCII, where they are code points)."""
    lines = text.splitlines(keepends=True)

    def offset(position: lsp.Position) -> int:
        return sum(len(line) for line in lines[: position.line]) + position.character

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end):]
    return text


async def test_diagnostics_on_open_change_and_save(client: LanguageClient, tmp_path: Path):
    uri = open_python(client, tmp_path / "t.py", TUTORIAL)
    found = await diagnostics_for(client, uri)
    assert [(d.code, d.range.start.line, d.range.start.character, d.range.end.character)
            for d in found] == [("NRM001", 3, 10, 51), ("NRM001", 4, 9, 49)]
    first = found[0]
    assert first.source == "normlint" and first.severity == lsp.DiagnosticSeverity.Warning
    assert "L2-normalizes each column of every 28×28 image" in first.message
    assert "fix: to scale pixels to [0, 1], use `x_train / 255.0`" in first.message
    [origin] = first.related_information
    assert origin.location.range.start.line == 2  # the mnist.load_data() line
    assert "from mnist.load_data()" in origin.message
    page = Path(first.code_description.href.removeprefix("file://"))
    assert page.read_text().startswith("# image-slice-normalization (NRM001)")

    fixed = TUTORIAL.replace("tf.keras.utils.normalize(x_test, axis=1)", "x_test / 255.0")
    change(client, uri, fixed, 2)
    assert [d.range.start.line for d in await diagnostics_for(client, uri)] == [3]

    # A save is analysed at once, without waiting for a pause in typing.
    change(client, uri, TUTORIAL, 3)
    client.text_document_did_save(lsp.DidSaveTextDocumentParams(
        lsp.TextDocumentIdentifier(uri=uri)))
    assert len(await diagnostics_for(client, uri, seconds=0.2)) == 2


async def test_quick_fix_noqa_and_hover(client: LanguageClient, tmp_path: Path):
    uri = open_python(client, tmp_path / "t.py", TUTORIAL)
    [first, _] = await diagnostics_for(client, uri)
    actions = await client.text_document_code_action_async(lsp.CodeActionParams(
        lsp.TextDocumentIdentifier(uri=uri), first.range, lsp.CodeActionContext([first])))
    titles = [a.title for a in actions]
    assert titles == ["Replace with `x_train / 255.0` (changes what the program computes)",
                      "Disable NRM001 for this line", "Verify NRM001: run this call on sample images"]
    fix, noqa, _ = actions
    assert fix.kind == lsp.CodeActionKind.QuickFix and not fix.is_preferred

    # The fix, applied, computes the intended value on sample images.
    fixed = apply_edits(TUTORIAL, fix.edit.changes[uri])
    fixed_line = fixed.splitlines()[3]
    x_train = np.random.default_rng(3).integers(0, 256, (4, 28, 28)).astype(np.uint8)
    namespace = {"x_train": x_train}
    exec(fixed_line, namespace)  # the test's own line, on the test's own array
    np.testing.assert_array_equal(namespace["x_train"], x_train / 255.0)

    silenced = apply_edits(TUTORIAL, noqa.edit.changes[uri])
    assert silenced.splitlines()[3].endswith("axis=1)  # noqa: NRM001")
    change(client, uri, silenced, 2)
    assert [d.range.start.line for d in await diagnostics_for(client, uri)] == [4]

    hover = await client.text_document_hover_async(lsp.HoverParams(
        lsp.TextDocumentIdentifier(uri=uri), lsp.Position(4, 20)))
    assert "**NRM001** image-slice-normalization" in hover.contents.value
    assert "x_test is (10000, 28, 28) uint8" in hover.contents.value
    nothing = await client.text_document_hover_async(lsp.HoverParams(
        lsp.TextDocumentIdentifier(uri=uri), lsp.Position(0, 3)))
    assert nothing is None


async def test_notebook_document(client: LanguageClient, tmp_path: Path):
    notebook_uri = (tmp_path / "nb.ipynb").as_uri()
    sources = [("# Scale the digits", lsp.NotebookCellKind.Markup),
               ("import tensorflow as tf\n(x, _), _ = tf.keras.datasets.mnist.load_data()",
                lsp.NotebookCellKind.Code),
               ("%%time\nx = tf.keras.utils.normalize(x, axis=1)", lsp.NotebookCellKind.Code)]
    cell_uris = [f"vscode-notebook-cell:{tmp_path}/nb.ipynb#cell{i}" for i in range(3)]
    client.notebook_document_did_open(lsp.DidOpenNotebookDocumentParams(
        lsp.NotebookDocument(uri=notebook_uri, notebook_type="jupyter-notebook", version=1,
                             cells=[lsp.NotebookCell(kind=kind, document=cell)
                                    for (_, kind), cell in zip(sources, cell_uris, strict=True)]),
        [lsp.TextDocumentItem(uri=cell, language_id="python" if kind == 2 else "markdown",
                              version=1, text=text)
         for (text, kind), cell in zip(sources, cell_uris, strict=True)]))
    found = await diagnostics_for(client, cell_uris[2])
    assert [(d.code, d.range.start.line, d.range.start.character) for d in found] == [
        ("NRM001", 1, 4)]
    [origin] = found[0].related_information
    assert origin.location.uri == cell_uris[1] and origin.location.range.start.line == 1
    assert list(client.diagnostics[cell_uris[1]]) == []

    def edit_cell(version: int, text: str) -> None:
        client.notebook_document_did_change(lsp.DidChangeNotebookDocumentParams(
            lsp.VersionedNotebookDocumentIdentifier(version=version, uri=notebook_uri),
            lsp.NotebookDocumentChangeEvent(cells=lsp.NotebookDocumentCellChanges(
                text_content=[lsp.NotebookDocumentCellContentChanges(
                    lsp.VersionedTextDocumentIdentifier(version=version, uri=cell_uris[2]),
                    [lsp.TextDocumentContentChangeWholeDocument(text)])]))))

    edit_cell(2, "x = x / 255.0")  # a change: fixed by hand
    assert await diagnostics_for(client, cell_uris[2]) == []
    edit_cell(3, "x = tf.keras.utils.normalize(x, axis=2)")  # and a save: analysed at once
    client.notebook_document_did_save(lsp.DidSaveNotebookDocumentParams(
        lsp.NotebookDocumentIdentifier(uri=notebook_uri)))
    [row_wise] = await diagnostics_for(client, cell_uris[2], seconds=0.2)
    assert "each row of every 28×28 image" in row_wise.message
    assert row_wise.range.start.line == 0


async def test_configuration_from_pyproject(client: LanguageClient, tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text('[tool.normlint]\nignore = ["NRM001"]\n')
    uri = open_python(client, tmp_path / "t.py", TUTORIAL)
    assert await diagnostics_for(client, uri) == []
    (tmp_path / "pyproject.toml").write_text("[tool.normlint]\n")
    client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams([lsp.FileEvent(
        (tmp_path / "pyproject.toml").as_uri(), lsp.FileChangeType.Changed)]))
    assert len(await diagnostics_for(client, uri)) == 2


async def test_verify_command(client: LanguageClient, tmp_path: Path):
    uri = open_python(client, tmp_path / "t.py", TUTORIAL)
    await diagnostics_for(client, uri)
    result = await client.workspace_execute_command_async(lsp.ExecuteCommandParams(
        "normlint.verify", [uri, 3, 10]))
    assert result["verified"] is True and result["artifact"] == "column-wise"
    assert result["backend"].startswith("keras 3.")
    assert Path(result["picture"]).is_file()
    [shown] = [m.message for m in client.messages if "column-wise artifact" in m.message]
    assert shown.endswith(f"picture: {result['picture']}")


async def test_a_malformed_document_does_not_crash_the_server(client: LanguageClient,
                                                              tmp_path: Path):
    uri = open_python(client, tmp_path / "t.py", TUTORIAL)
    await diagnostics_for(client, uri)
    for version, text in enumerate(["def f(:\n", "\0\x00 normalize(", "x" * 3 + "(" * 300], 2):
        change(client, uri, text, version)
    await asyncio.sleep(1.0)
    bad = open_python(client, tmp_path / "u.py", "import tensorflow as tf\n"
                      "(x, _), _ = tf.keras.datasets.mnist.load_data()\ndef f(:\n")
    change(client, bad, "import tensorflow as tf\ntf.keras.utils.normalize(((", 2)
    await asyncio.sleep(1.0)
    # Still answering, and still right.
    change(client, uri, TUTORIAL, 10)
    assert len(await diagnostics_for(client, uri)) == 2
