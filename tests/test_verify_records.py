"""The verifier on the estimator and scaling rules: each rule's fixture, run for real, measures
the damage its page describes; the pictures show it."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from conftest import FIXTURES, check_text, run_cli
from normlint import verify
from normlint.types import ArtifactClass, Confidence
from normlint.verify import reference
from normlint.verify.pictures import _ratio_panel


def verified(code: str) -> dict[int, object]:
    path = FIXTURES / "rules" / f"{code}.py"
    result = check_text(path.read_text(encoding="utf-8"), path=str(path),
                        min_confidence=Confidence.LOW)
    [result], _ = verify.attach([result])
    return {f.span.line: f.verification for f in result.findings if f.code == code}


def numbers(verification) -> dict[str, float]:
    return dict(verification.measurements)


def test_a_scaler_on_one_image_is_column_wise_and_rows_are_row_wise():
    found = verified("NRM004")
    assert {v.artifact for line, v in found.items() if line != 15} == {ArtifactClass.COLUMN_WISE}
    assert found[15].artifact is ArtifactClass.ROW_WISE  # minmax_scale(img, axis=1)
    assert all("scikit-learn" in v.backend for v in found.values())


def test_a_fit_on_one_sample_gives_one_input_for_every_sample():
    for verification in verified("NRM005").values():
        assert verification.artifact is ArtifactClass.SAME_INPUT
        assert numbers(verification)["distinct_inputs"] == 1
        assert numbers(verification)["samples"] > 10
        assert "wine recognition data" in verification.sample


def test_a_refit_on_the_evaluation_part_moves_its_features():
    found = verified("NRM006")
    scalers = [v for v in found.values() if v.artifact is ArtifactClass.SHIFTED]
    assert len(scalers) >= 3
    assert all(numbers(v)["max_shift_std"] > 0.1 for v in scalers)
    # a vectorizer has no sample to run on here: said, not hidden
    assert any(v.artifact is ArtifactClass.NOT_RUN and "text" in v.lines[0]
               for v in found.values())


def test_scaling_twice_squeezes_the_range_by_255():
    found = verified("NRM007")
    assert len(found) == 8
    for verification in found.values():
        assert verification.artifact is ArtifactClass.WRONG_RANGE
        assert numbers(verification)["span_ratio"] == pytest.approx(1 / 255, rel=0.02)
    assert any(v.backend.startswith("keras") for v in found.values())


def test_standardizing_0_255_values_gives_values_about_255_times_too_large():
    for verification in verified("NRM008").values():
        assert verification.artifact is ArtifactClass.WRONG_RANGE
        assert numbers(verification)["output_max"] > 100 * numbers(verification)["intended_max"]
        assert verification.backend.startswith("torch")


def test_three_channel_statistics_on_one_channel_reproduce_the_crash():
    for verification in verified("NRM009").values():
        assert verification.artifact is ArtifactClass.ERROR
        assert "doesn't match the broadcast shape [3, 28, 28]" in verification.error


def test_the_numpy_copy_of_the_crash_raises_too():
    tensor = np.zeros((1, 28, 28), np.float32)
    with pytest.raises(ValueError, match="non-broadcastable output"):
        np.subtract(tensor, np.zeros((3, 1, 1), np.float32), out=tensor)


@pytest.mark.parametrize("name", ["StandardScaler", "MinMaxScaler", "RobustScaler", "MaxAbsScaler"])
def test_scaler_references_equal_scikit_learn(name):
    from sklearn import preprocessing

    image = np.load(FIXTURES.parent / "lint" / "data" / "mnist_256.npz")["images"][3].astype(float)
    real = getattr(preprocessing, name)().fit_transform(image)
    np.testing.assert_allclose(reference.sklearn_scaler(image, name), real, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(("module", "mode"), [("mobilenet_v2", "tf"), ("vgg16", "caffe"),
                                              ("densenet", "torch")])
def test_preprocess_input_references_equal_keras(module, mode):
    import importlib

    keras_module = importlib.import_module(f"keras.applications.{module}")
    x = np.random.default_rng(3).uniform(0, 255, (2, 8, 8, 3)).astype(np.float32)
    real = np.asarray(keras_module.preprocess_input(x.copy()))
    np.testing.assert_allclose(reference.keras_preprocess_input(x, mode), real, rtol=1e-5, atol=1e-4)


def test_column_wise_damage_shows_as_vertical_stripes():
    image = np.load(FIXTURES.parent / "lint" / "data" / "mnist_256.npz")["images"][0] / 255.0
    norms = np.linalg.norm(image, axis=0, keepdims=True)
    after = image / np.where(norms > 0, norms, 1)
    colours, _ = _ratio_panel(after[..., None], image[..., None])
    red = colours[..., 0]
    inked = image > 0.05
    columns = [red[inked[:, j], j] for j in range(28) if inked[:, j].sum() > 2]
    within = np.mean([c.std() for c in columns])
    across = np.std([c.mean() for c in columns])
    assert within < 1e-9 < across  # one colour per column, different between columns


def test_verify_pictures_for_every_new_rule(tmp_path):
    folder = tmp_path / "pictures"
    for code in ("NRM004", "NRM005", "NRM006", "NRM007", "NRM008"):
        done = run_cli("verify", f"fixtures/rules/{code}.py", "--pictures", str(folder))
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr
    written = sorted(folder.glob("*.png"))
    assert {p.stem.rsplit("_", 1)[1] for p in written} == {
        "NRM004", "NRM005", "NRM006", "NRM007", "NRM008"}
    for path in written:
        with Image.open(path) as picture:
            assert picture.width <= 1200 and picture.height <= 600, path.name
