"""The verifier on the cases the issue names, through the real libraries and the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from conftest import FIXTURES, check_text, run_cli
from normlint import verify
from normlint.types import ArtifactClass, Confidence
from normlint.verify.backends import _quiet_import
from normlint.verify.measure import classify
from test_cli import TUTORIAL


def verified(source: str, reference: bool = False):
    result = check_text(source, min_confidence=Confidence.LOW)
    [result], _ = verify.attach([result], prefer_reference=reference)
    return {f.span.line: f.verification for f in result.findings}


MNIST = "import tensorflow as tf\n(x, _), _ = tf.keras.datasets.mnist.load_data()\n"


@pytest.mark.parametrize(("call", "artifact"), [
    ("y = tf.keras.utils.normalize(x, axis=1)", ArtifactClass.COLUMN_WISE),
    ("y = tf.keras.utils.normalize(x, axis=2)", ArtifactClass.ROW_WISE),
    ("y = tf.keras.utils.normalize(x.reshape(-1, 28, 28, 1), axis=-1)", ArtifactClass.BINARIZED),
    ("y = tf.math.l2_normalize(x.reshape(-1, 784), axis=0)", ArtifactClass.ACROSS_BATCH),
    ("y = tf.keras.utils.normalize(x, axis=0)", ArtifactClass.ERROR),
])
@pytest.mark.parametrize("reference", [False, True], ids=["real", "reference"])
def test_artifact_classes_on_mnist(call, artifact, reference):
    [verification] = verified(MNIST + call + "\n", reference).values()
    assert verification.artifact is artifact
    assert verification.real_library is not reference
    assert "64 MNIST digits" in verification.sample


def test_tutorial_numbers_are_what_column_wise_means():
    [first, _] = verified(TUTORIAL).values()
    numbers = dict(first.measurements)
    assert numbers["unit_norm_slices"] == 1.0
    assert 0.05 < numbers["spread_median"] < 0.6
    assert 0.1 < numbers["reversed_pairs"] < 0.3
    assert 0.15 < numbers["white_min"] < numbers["white_median"] < 0.6
    assert numbers["images_reaching_1"] < 0.3
    assert first.lines[1] == "    column-wise artifact: every non-empty column has L2 norm 1.000"


def test_channels_first_colour_batches_are_channel_wise():
    source = ("import torch\nimport torch.nn.functional as F\nimport tensorflow as tf\n"
              "(c, _), _ = tf.keras.datasets.cifar10.load_data()\n"
              "b = torch.from_numpy(c).permute(0, 3, 1, 2).float()\n"
              "b = F.normalize(b, dim=1)\n")
    [verification] = verified(source).values()
    assert verification.artifact is ArtifactClass.CHANNEL_WISE
    assert verification.backend.startswith("torch 2.")


def test_normalization_layer_is_column_wise():
    [verification] = verified(MNIST + "n = tf.keras.layers.Normalization(axis=-1)\n"
                              "n.adapt(x)\n").values()
    assert verification.artifact is ArtifactClass.COLUMN_WISE
    assert "own mean and variance" in verification.lines[1]


def nhwc(images: np.ndarray) -> np.ndarray:
    return images.astype(np.float64)[..., None] if images.ndim == 3 else images.astype(np.float64)


@pytest.fixture(scope="module")
def sample():
    from normlint.verify.samples import _digits

    return _digits()[:64]


def test_the_intended_operations_measure_as_none(sample):
    with _quiet_import():
        import keras
        import tensorflow as tf
    x = nhwc(sample)
    rescaled = keras.ops.convert_to_numpy(keras.layers.Rescaling(1 / 255)(x.astype("float32")))
    standardized = tf.image.per_image_standardization(x.astype("float32")).numpy()
    for output in (x / 255.0, rescaled, standardized):
        artifact, _ = classify(x, np.asarray(output, np.float64), 255.0)
        assert artifact is ArtifactClass.NONE


def test_a_per_image_scaling_is_its_own_class(sample):
    x = nhwc(sample)
    flat = x.reshape(len(x), -1)
    scaled = flat / np.linalg.norm(flat, axis=1, keepdims=True)
    artifact, varies = classify(x, scaled.reshape(x.shape), 255.0)
    assert artifact is ArtifactClass.PER_IMAGE_SCALE and varies


def test_the_same_call_runs_once(monkeypatch):
    from normlint.verify import backends

    calls = []
    real_run = backends.run
    monkeypatch.setattr("normlint.verify.run", lambda *a: calls.append(a) or real_run(*a))
    verify._CACHE.clear()
    source = MNIST + "".join(f"y{i} = tf.keras.utils.normalize(x, axis=1)\n" for i in range(20))
    found = verified(source)
    assert len(found) == 20 and len(calls) == 1


def test_check_verify_json_and_sarif_carry_the_evidence(tmp_tree):
    root = tmp_tree({"t.py": TUTORIAL})
    done = run_cli("check", "t.py", "--verify", "--output-format", "json", cwd=root)
    first = json.loads(done.stdout)[0]["evidence"]["verification"]
    assert first["artifact"] == "column-wise" and first["real_library"] is True
    assert first["measurements"]["unit_norm_slices"] == 1.0
    assert first["backend"].startswith("keras 3.")
    done = run_cli("check", "t.py", "--verify", cwd=root)
    assert any(line.startswith("Found 2 findings in 1 file. Verified 2 of them")
               for line in done.stdout.splitlines())


def test_verify_command_one_line_and_pictures(tmp_tree):
    from PIL import Image

    root = tmp_tree({"t.py": TUTORIAL})
    done = run_cli("verify", "t.py:5", "--pictures", "out", cwd=root)
    assert done.returncode == 1
    assert "t.py:5:10: NRM001" in done.stdout and "t.py:4:" not in done.stdout
    picture = root / "out" / "t_line5_NRM001.png"
    with Image.open(picture) as image:
        assert image.format == "PNG" and image.width > 2 * image.height > 0 and image.width <= 1200


def test_the_verifier_leaves_home_and_stderr_alone(tmp_path):
    (tmp_path / "t.py").write_text(TUTORIAL)
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home)}
    env.pop("KERAS_HOME", None)
    env.pop("MPLCONFIGDIR", None)
    done = subprocess.run([sys.executable, "-m", "normlint", "check", "--verify", "t.py"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and "verified with keras" in done.stdout
    assert done.stderr == ""
    assert list(home.iterdir()) == []


def test_without_numpy_verify_says_what_to_install(tmp_path):
    (tmp_path / "t.py").write_text(TUTORIAL)

    def without_numpy(*args: str) -> subprocess.CompletedProcess:
        code = ("import sys; sys.modules['numpy'] = None\n"
                "from normlint.cli import main\n"
                f"sys.exit(main({list(args)!r}))\n")
        return subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                              text=True, timeout=120)

    # `verify` asked for nothing else: it cannot work, and says what to install.
    done = without_numpy("verify", "t.py")
    assert done.returncode == 2
    assert done.stderr.strip().endswith("pip install 'normlint[verify]'")
    # A check (pre-commit installs normlint without numpy): the findings still show and keep
    # their exit code; one line says they were not verified.
    for args in (["check", "--verify", "t.py"], ["check", "t.py"]):
        (tmp_path / "pyproject.toml").write_text("[tool.normlint]\nverify = true\n")
        done = without_numpy(*args)
        assert done.returncode == 1, done.stderr
        assert "t.py:4:11: NRM001" in done.stdout
        assert done.stderr.count("not verified") == 1 and "Traceback" not in done.stderr


def test_verify_uses_the_fixture_notebook_cells():
    done = run_cli("verify", str(FIXTURES / "notebooks" / "mnist_tutorial.ipynb"))
    assert "cell 6:1:11: NRM001" in done.stdout and "column-wise artifact" in done.stdout


def test_verify_from_pyproject(tmp_tree):
    root = tmp_tree({"pyproject.toml": "[tool.normlint]\nverify = true\n", "t.py": TUTORIAL})
    done = run_cli("check", "--output-format", "concise", "-q", cwd=root)
    assert done.returncode == 1
    done = run_cli("check", cwd=root)
    assert "verified with keras" in done.stdout


@pytest.mark.parametrize(("share", "words"), [
    (1.0, "every image still reaches 1.0"), (0.0, "no image reaches 1.0 any more"),
    (0.001, "fewer than 1% of images still reach 1.0"), (0.117, "only 12% of images still reach 1.0"),
    (0.998, "all but a few images (99.8%) still reach 1.0"),
])
def test_the_share_of_white_images_reads_as_a_person_writes_it(share, words):
    from normlint.verify import _share_reaching_white

    assert _share_reaching_white(share) == words
