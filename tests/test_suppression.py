"""`# noqa`, `# noqa: CODES` and file-level `# normlint: noqa`, as users write them."""

from __future__ import annotations

import pytest

from conftest import check_text

HEAD = "import tensorflow as tf\n(x, _), _ = tf.keras.datasets.mnist.load_data()\n"
CALL = "y = tf.keras.utils.normalize(x, axis=1)"


@pytest.mark.parametrize(("comment", "reported"), [
    ("", True),
    ("  # noqa", False),
    ("  # noqa: NRM001", False),
    ("  # NOQA:NRM001", False),
    ("  # noqa: E501, NRM001", False),
    ("  # noqa: E501,W291", True),
    ("  # noqa: NRM002", True),
    ("  # noqa: E501  # noqa: NRM001", False),
    ("  # type: ignore", True),
])
def test_line_comments(comment, reported):
    result = check_text(HEAD + CALL + comment + "\n")
    assert bool(result.findings) is reported


def test_a_multiline_call_is_silenced_on_its_first_line():
    source = HEAD + "y = tf.keras.utils.normalize(  # noqa: NRM001\n    x,\n    axis=1,\n)\n"
    assert check_text(source).findings == ()
    source = HEAD + "y = tf.keras.utils.normalize(\n    x,  # noqa: NRM001\n    axis=1,\n)\n"
    assert len(check_text(source).findings) == 1


def test_file_level_noqa():
    assert check_text("# normlint: noqa\n" + HEAD + CALL + "\n").findings == ()
    assert len(check_text("# normlint: check\n" + HEAD + CALL + "\n").findings) == 1
