"""Generated programs, with normalize calls spliced in, never make normlint raise.

hypothesmith writes syntactically valid Python from the grammar; the runs are derandomized
(seeded) and bounded, so CI sees the same examples every time.
"""

from __future__ import annotations

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from conftest import settings
from normlint.runner import analyse, check_file
from normlint.types import Confidence, SourceUnit

SPLICES = [
    "",
    "import tensorflow as tf\n(x, _), _ = tf.keras.datasets.mnist.load_data()\n"
    "y = tf.keras.utils.normalize(x, axis=1)\n",
    "from torch.nn.functional import normalize as n\nimport torch\nn(torch.zeros(1), dim=0)\n",
    "import keras\nlayer = keras.layers.Normalization(axis=-1)\nlayer.adapt(images)\n",
]
BOUNDED = hypothesis_settings(max_examples=60, deadline=None, derandomize=True,
                              suppress_health_check=list(HealthCheck))
CONFIG = settings(min_confidence=Confidence.LOW)


# hypothesmith compiles each program it generates (filename "<string>"), and Python warns about
# some of them; normlint's own parse silences such warnings (see test_robustness).
@pytest.mark.filterwarnings("ignore::SyntaxWarning")
@BOUNDED
@given(program=hypothesmith.from_grammar(), splice=st.sampled_from(SPLICES),
       before=st.booleans())
def test_generated_programs_never_raise(program, splice, before):
    source = splice + program if before else program + "\n" + splice
    result = check_file("generated.py", source.encode("utf-8", "surrogatepass"), CONFIG)
    assert result.error is None or not result.error.internal, result.error
    forced = analyse(SourceUnit("generated.py", source), CONFIG)  # past every screen
    assert forced.error is None or not forced.error.internal, forced.error


@BOUNDED
@given(data=st.binary(max_size=400), splice=st.sampled_from(SPLICES))
def test_arbitrary_bytes_never_raise(data, splice):
    for path in ("bytes.py", "bytes.ipynb"):
        result = check_file(path, splice.encode() + data, CONFIG)
        assert result.error is None or not result.error.internal, result.error
