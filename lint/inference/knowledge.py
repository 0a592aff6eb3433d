"""What the rules and the screens know of the estimator and scaling APIs, as plain data and
pure functions: nothing of the walk's values, so that the rules can import it at start-up for
the price of a few constants."""

from __future__ import annotations

from typing import Final

# The origin of what a pipeline is given when nothing says (see `scaling.pipeline_input`).
PIPELINE_INPUT: Final = "the pipeline's input"

# The bytes a file must hold for a rule on estimators to look further: scikit-learn by name,
# or a receiver named like a scaler (one loaded with joblib or pickle).
TRIGGERS: Final = frozenset({"sklearn", "caler"})

# What each scaler keeps per column: how a message names its statistics.
STATISTICS: Final = {
    "StandardScaler": "mean and standard deviation", "MinMaxScaler": "minimum and maximum",
    "RobustScaler": "median and interquartile range", "MaxAbsScaler": "largest absolute value",
    "PowerTransformer": "power transform", "QuantileTransformer": "quantiles",
    "scale": "mean and standard deviation", "minmax_scale": "minimum and maximum",
    "robust_scale": "median and interquartile range", "maxabs_scale": "largest absolute value",
}

# Modules whose `preprocess_input` expects pixels in [0, 255] and maps them itself, by the
# mode of `imagenet_utils.preprocess_input` they use.
_MODES: Final = {
    **dict.fromkeys(("mobilenet", "mobilenet_v2", "inception_v3", "inception_resnet_v2",
                     "xception", "nasnet", "resnet_v2"), "tf"),
    **dict.fromkeys(("vgg16", "vgg19", "resnet", "resnet50"), "caffe"),
    "densenet": "torch",
    "imagenet_utils": "caffe",  # its own default mode
}
EXPECTS_255: Final = frozenset(_MODES)


def preprocess_mode(module: str) -> str:
    """"tf", "caffe" or "torch": how `preprocess_input` of `module` maps pixels."""
    return _MODES[module]


def preprocess_range(module: str, low: float, high: float) -> tuple[float, float]:
    """What `preprocess_input` of `module` makes of pixels in [low, high] (over all channels):
    "tf" maps to [-1, 1], "caffe" subtracts the BGR means, "torch" standardizes."""
    mode = _MODES[module]
    if mode == "tf":
        return low / 127.5 - 1, high / 127.5 - 1
    if mode == "caffe":
        return low - 123.68, high - 103.939
    return (low / 255 - 0.485) / 0.229, (high / 255 - 0.406) / 0.225


def channel_counts(mean: tuple[float, ...] | None, std: tuple[float, ...] | None) -> int | None:
    """How many channels a Normalize's statistics are for (1 broadcasts to any)."""
    counts = {len(v) for v in (mean, std) if v is not None}
    return max(counts) if counts else None


def unit_scale_statistics(mean: tuple[float, ...] | None, std: tuple[float, ...] | None) -> bool:
    """Statistics of pixels in [0, 1] (ImageNet's 0.485..., MNIST's 0.1307, 0.5): every mean in
    [0, 1] and every std in (0, 1], not the identity (0, 1)."""
    if mean is None or std is None:
        return False
    if all(m == 0 for m in mean) and all(s == 1 for s in std):
        return False
    return all(0 <= m <= 1 for m in mean) and all(0 < s <= 1 for s in std)
