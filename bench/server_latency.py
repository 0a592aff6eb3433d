"""How long `normlint server` takes to answer an edit with diagnostics, as an editor sees it.

    python bench/server_latency.py            # the largest fixture notebook and a large one
    python bench/server_latency.py --runs 20

A real LSP client (pygls) starts the server over stdio, opens a notebook, then changes one cell
`--runs` times; each time, the clock runs from sending the change to receiving the cell's new
diagnostics. After a change the server waits for a pause in typing (the debounce) before it
analyses; the figures are given with that wait and without it (measured on save, which is
analysed at once). The large notebook is made here: 300 code cells, each a few lines of an MNIST
tutorial with padding code, the flagged call in the last cell.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures" / "notebooks"


def largest_fixture() -> Path:
    return max(FIXTURES.glob("*.ipynb"), key=lambda p: p.stat().st_size)


def large_notebook(cells: int = 300) -> list[str]:
    """Code cells of a long tutorial notebook: load, many cells of ordinary code, then the
    call to flag in the last cell."""
    body = [
        "import numpy as np\nimport tensorflow as tf\n"
        "(x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()",
    ]
    for i in range(cells - 2):
        body.append(f"def step_{i}(values, rate={i / 1000}):\n"
                    f"    total = sum(v * rate for v in values)\n"
                    f"    return total / max(len(values), 1)\n"
                    f"print(step_{i}(list(range({i % 50 + 1}))))")
    body.append("x_train = tf.keras.utils.normalize(x_train, axis=1)")
    return body


def fixture_cells(path: Path) -> list[str]:
    document = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in document["cells"] if c["cell_type"] == "code"]


async def measure(sources: list[str], runs: int, folder: Path) -> tuple[list[float], list[float]]:
    client = LanguageClient("normlint-bench", "1")
    arrived: asyncio.Queue[tuple[str, float]] = asyncio.Queue()

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def diagnostics(params: lsp.PublishDiagnosticsParams) -> None:
        arrived.put_nowait((params.uri, time.perf_counter()))

    await client.start_io(sys.executable, "-m", "normlint", "server")
    await client.initialize_async(lsp.InitializeParams(
        capabilities=lsp.ClientCapabilities(), root_uri=folder.as_uri()))
    client.initialized(lsp.InitializedParams())
    uri = (folder / "nb.ipynb").as_uri()
    cells = [f"{uri}#cell{i}" for i in range(len(sources))]
    flagged = max(i for i, text in enumerate(sources) if "normalize(" in text)
    last = cells[flagged]  # the cell that is edited, and whose diagnostics are awaited
    client.notebook_document_did_open(lsp.DidOpenNotebookDocumentParams(
        lsp.NotebookDocument(uri=uri, notebook_type="jupyter-notebook", version=1,
                             cells=[lsp.NotebookCell(kind=lsp.NotebookCellKind.Code, document=c)
                                    for c in cells]),
        [lsp.TextDocumentItem(uri=c, language_id="python", version=1, text=text)
         for c, text in zip(cells, sources, strict=True)]))

    async def until_last() -> float:
        while True:
            got, when = await asyncio.wait_for(arrived.get(), 60)
            if got == last:
                return when

    await until_last()  # the first analysis (imports libcst): not what an edit costs
    await asyncio.sleep(0.5)  # and the other cells' first diagnostics
    after_change, after_save = [], []

    def edit(version: int) -> None:
        """Change the flagged call's axis, so that its diagnostic changes and is sent."""
        text = sources[flagged].replace("axis=1", f"axis={2 - version % 2}", 1)
        client.notebook_document_did_change(lsp.DidChangeNotebookDocumentParams(
            lsp.VersionedNotebookDocumentIdentifier(version=version, uri=uri),
            lsp.NotebookDocumentChangeEvent(cells=lsp.NotebookDocumentCellChanges(
                text_content=[lsp.NotebookDocumentCellContentChanges(
                    lsp.VersionedTextDocumentIdentifier(version=version, uri=last),
                    [lsp.TextDocumentContentChangeWholeDocument(text)])]))))

    version = 1
    for _ in range(runs):
        version += 1
        start = time.perf_counter()
        edit(version)  # analysed after the debounce
        after_change.append(await until_last() - start)
        version += 1
        start = time.perf_counter()
        edit(version)
        client.notebook_document_did_save(lsp.DidSaveNotebookDocumentParams(
            lsp.NotebookDocumentIdentifier(uri=uri)))  # analysed at once
        after_save.append(await until_last() - start)
        await asyncio.sleep(0.4)  # let the debounced analysis of that edit pass
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return after_change, after_save


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    fixture = largest_fixture()
    cases = [(f"{fixture.name} ({len(fixture_cells(fixture))} code cells)", fixture_cells(fixture)),
             ("a 300-cell tutorial notebook", large_notebook())]
    with tempfile.TemporaryDirectory() as folder:
        for name, sources in cases:
            change, save = asyncio.run(measure(sources, args.runs, Path(folder)))
            print(f"{name}: after a change {statistics.median(change) * 1000:.0f} ms median "
                  f"(max {max(change) * 1000:.0f}), of which the debounce is 250 ms; "
                  f"after a save {statistics.median(save) * 1000:.0f} ms median "
                  f"(max {max(save) * 1000:.0f}); {args.runs} runs")


if __name__ == "__main__":
    main()
