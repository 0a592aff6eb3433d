"""Notebooks: cells in order as one program, magics masked, cell locations, broken files."""

from __future__ import annotations

import json

import pytest

from conftest import FIXTURES, run_cli
from normlint.notebooks import masked_lines

NOTEBOOKS = FIXTURES / "notebooks"


def test_array_from_an_earlier_cell_is_known_in_a_later_one():
    done = run_cli("check", str(NOTEBOOKS / "mnist_tutorial.ipynb"))
    assert done.returncode == 1
    assert done.stdout.startswith(f"{NOTEBOOKS / 'mnist_tutorial.ipynb'}:cell 6:1:11: NRM001")
    assert "(cell 3, line 2)" in done.stdout
    assert done.stdout.count("NRM001") == 1  # the second call in cell 6 has a noqa


def test_scaled_notebook_is_clean():
    assert run_cli("check", str(NOTEBOOKS / "mnist_scaled.ipynb")).returncode == 0


def test_directories_include_notebooks(tmp_tree):
    root = tmp_tree({"nb/a.ipynb": (NOTEBOOKS / "mnist_tutorial.ipynb").read_text()})
    assert "nb/a.ipynb:cell 6:1:11" in run_cli("check", cwd=root).stdout


@pytest.mark.parametrize(("source", "masked"), [
    ("%matplotlib inline\nimport os", "pass\nimport os"),
    ("!pip install x\nx = 1", "pass\nx = 1"),
    ("files = !ls\nx = 1", "pass\nx = 1"),
    ("x.shape?\ny = 2", "pass\ny = 2"),
    ("?x", "pass"),
    ("for i in range(3):\n    %time f(i)", "for i in range(3):\n    pass"),
    ("%%time\nx = 1\ny = 2", "\nx = 1\ny = 2"),  # the body of %%time runs as Python
    ("%%capture out\n%matplotlib inline\nx = 1", "\npass\nx = 1"),
    ("%%bash\nls -l\necho hi", "\n\n"),  # not Python: masked whole
    ("%%writefile a.py\nimport os", "\n"),
    ('"""Why normalize?\nBecause."""', '"""Why normalize?\nBecause."""'),  # not help
    ("np.load??", "pass"),
    ("s = 'why?'  # what?\n", "s = 'why?'  # what?"),
])
def test_ipython_lines_are_masked_keeping_line_numbers(source, masked):
    lines = masked_lines(source.splitlines())
    assert "\n".join(lines) == masked
    assert len(lines) == len(source.splitlines())


def notebook(**changes) -> bytes:
    # The metadata carries a trigger word, so that the file is not passed over unread.
    document = {"nbformat": 4, "nbformat_minor": 5, "metadata": {"title": "normalize"},
                "cells": [{"cell_type": "code", "source": "import tensorflow as tf\n",
                           "metadata": {}, "outputs": []}]}
    document.update(changes)
    return json.dumps(document).encode()


@pytest.mark.parametrize(("content", "reason"), [
    (b'{"nbformat": 4, "normalize": [', "invalid notebook: not valid JSON"),
    (notebook(nbformat=3), "nbformat 3 is not supported"),
    (notebook(cells={"a": 1}), "no list of cells"),
    (notebook(cells=[{"cell_type": "code", "source": 7}]), "cell 1 has a source that is not text"),
    (notebook(cells=["x"]), "cell 1 is not an object"),
    (b"\xff\xfe normalize", "invalid notebook: not valid JSON"),
])
def test_broken_notebook_is_one_error_line(tmp_tree, content, reason):
    root = tmp_tree({"bad.ipynb": content, "good.py": "x = 1\n"})
    done = run_cli("check", ".", cwd=root)
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("bad.ipynb: error: ") and reason in line


def test_non_python_notebook_is_skipped(tmp_tree):
    content = notebook(metadata={"kernelspec": {"language": "R"}},
                       cells=[{"cell_type": "code", "source": "normalize <- function(x) x",
                               "metadata": {}, "outputs": []}])
    root = tmp_tree({"r.ipynb": content})
    assert run_cli("check", ".", cwd=root).returncode == 0


TUTORIAL_CELLS = [
    "import tensorflow as tf\n(x_train, y_train), _ = tf.keras.datasets.mnist.load_data()",
    "%%time\nx_train = tf.keras.utils.normalize(x_train, axis=1)",
]


def code_cell(source: str) -> dict:
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
            "source": source.splitlines(keepends=True)}


def test_the_body_of_a_python_cell_magic_is_checked(tmp_tree):
    root = tmp_tree({"nb.ipynb": notebook(cells=[code_cell(c) for c in TUTORIAL_CELLS])})
    done = run_cli("check", "nb.ipynb", cwd=root)
    assert done.returncode == 1 and "nb.ipynb:cell 2:2:11: NRM001" in done.stdout


def test_a_question_mark_in_a_string_is_not_help(tmp_tree):
    cells = [code_cell('"""Why normalize?\nSee below."""\n' + TUTORIAL_CELLS[0]),
             code_cell(TUTORIAL_CELLS[1].removeprefix("%%time\n"))]
    root = tmp_tree({"nb.ipynb": notebook(cells=cells)})
    done = run_cli("check", "nb.ipynb", cwd=root)
    assert done.returncode == 1 and "nb.ipynb:cell 2:1:11: NRM001" in done.stdout, done.stderr


def test_machine_formats_point_at_the_line_of_the_ipynb_file(tmp_tree):
    markdown = {"cell_type": "markdown", "metadata": {}, "source": ["# A title\n", "text"]}
    cells = [code_cell(TUTORIAL_CELLS[0]), markdown, code_cell(TUTORIAL_CELLS[1])]
    content = json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells},
                         indent=1)
    root = tmp_tree({"nb.ipynb": content})
    file_line = 1 + next(i for i, line in enumerate(content.splitlines())
                         if "utils.normalize" in line)
    run_cli("check", "nb.ipynb", cwd=root)  # the cache now knows the file, from a text report
    for _ in range(2):  # from the cache, and again
        github = run_cli("check", "nb.ipynb", "--output-format", "github", cwd=root).stdout
        assert github.startswith(f"::error file=nb.ipynb,line={file_line},title=NRM001 "
                                 "image-slice-normalization (cell 3%2C line 2)::")
    fresh = run_cli("check", "--no-cache", "nb.ipynb", "--output-format", "github", cwd=root)
    assert fresh.stdout == github
    sarif = json.loads(run_cli("check", "nb.ipynb", "--output-format", "sarif", cwd=root).stdout)
    [result] = sarif["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]
    assert location["region"] == {"startLine": file_line, "endLine": file_line}
    assert (result["properties"]["cell"], result["properties"]["cellLine"]) == (3, 2)


def _placed_lines(content: str) -> list[tuple[int, ...]]:
    from normlint.notebooks import notebook_unit

    unit = notebook_unit("nb.ipynb", content.encode(), place_cells=True)
    return [cell.file_lines for cell in unit.cells]


@pytest.mark.parametrize("indent", [None, 1, 2])
def test_each_source_line_is_placed_on_its_line_of_the_json(indent):
    """Strings with escaped quotes and backslashes, keys that look like `source`, outputs and
    markdown between code cells: every code line is found on the JSON line that holds it."""
    tricky = ['x = "a \\" \\"source\\": [" + \'\\\\\'\n', "y = {'source': 1}  # é ✓\n", "z = 2"]
    output = {"output_type": "stream", "name": "stdout", "text": ['"source": ["\n', "x\n"]}
    cells = [
        {**code_cell("a = 1\nb = 2\n"), "outputs": [output]},
        {"cell_type": "markdown", "metadata": {"source": "no"}, "source": ["# x = 1\n", "t"]},
        code_cell("".join(tricky)),
        {**code_cell(""), "source": "w = 3\nv = 4"},  # one string, not a list
    ]
    content = json.dumps({"cells": cells, "metadata": {"k": ["source"]}, "nbformat": 4,
                          "nbformat_minor": 5}, indent=indent, ensure_ascii=indent == 2)
    json_lines = content.split("\n")
    placed = _placed_lines(content)
    sources = [c["source"] for c in cells if c["cell_type"] == "code"]
    assert len(placed) == len(sources)
    for lines, source in zip(placed, sources):
        pieces = [source] if isinstance(source, str) else source
        expected = []
        for piece in pieces:  # where json.dumps wrote the piece, and its lines after that
            encoded = json.dumps(piece, ensure_ascii=indent == 2)
            first = next(i for i, line in enumerate(json_lines, start=1) if encoded in line)
            expected += [first] * max(1, piece.count("\n", 0, len(piece) - 1) + 1)
        assert lines == tuple(expected)


def test_a_repeated_key_still_places_the_source_that_counts():
    """JSON keeps the last of two `source` keys: its lines are the ones placed."""
    cell = '{"cell_type": "code", "metadata": {},\n"source": ["a = 1\\n"],\n' \
           '"outputs": [],\n"source": ["b = 2\\n", "c = 3"]}'
    content = '{"cells": [' + cell + '], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
    assert _placed_lines(content) == [(4, 4)]


def test_the_cheap_magic_check_passes_every_line_ipython_would_take():
    """`_may_hold_magic` may say yes too often, never no to a line `_MAGIC_LINE` takes."""
    import random

    from normlint.notebooks import _MAGIC_LINE, _may_hold_magic

    rng = random.Random(3)
    pieces = ["%", "!", "?", "??", "=", " ", "\t", "\n", "x", "a.b", "\x0c", "\u3000", "(", ")",
              "*", "[", "]", "!=", "%=", "%%time"]
    texts = ["".join(rng.choices(pieces, k=rng.randint(0, 12))) for _ in range(50_000)]
    taken = [text for text in texts if _MAGIC_LINE.search(text)]
    assert len(taken) > 5_000
    assert all(_may_hold_magic(text) for text in taken)
    assert not _may_hold_magic("for i in range(9):\n    if i % 2 and i != 3:\n        x %= 2")
