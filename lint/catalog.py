"""The normalization APIs normlint knows: every name that reaches each, its parameters, defaults."""

from __future__ import annotations

from typing import Final

from .names import canonical
from .types import Api, Layout, Operation, Param

CHANNELS_LAST: Final = (Layout.NHW, Layout.NHWC)

KERAS_NORMALIZE: Final = Api(
    key="keras.utils.normalize",
    library="keras",
    operation=Operation.LP_NORMALIZE,
    names=frozenset(
        {
            "keras.utils.normalize",
            "keras.utils.np_utils.normalize",
            "keras.utils.numerical_utils.normalize",
        }
    ),
    params=(Param("x", 0), Param("axis", 1, -1), Param("order", 2, 2)),
    axis_param="axis",
    order_param="order",
)

KERAS_OPS_NORMALIZE: Final = Api(
    key="keras.ops.normalize",
    library="keras",
    operation=Operation.LP_NORMALIZE,
    names=frozenset({"keras.ops.normalize", "keras.ops.nn.normalize"}),
    params=(Param("x", 0), Param("axis", 1, -1), Param("order", 2, 2), Param("epsilon", 3)),
    axis_param="axis",
    order_param="order",
)

TF_L2_NORMALIZE: Final = Api(
    key="tf.math.l2_normalize",
    library="tensorflow",
    operation=Operation.LP_NORMALIZE,
    names=frozenset(
        {"tensorflow.math.l2_normalize", "tensorflow.nn.l2_normalize", "tensorflow.linalg.l2_normalize"}
    ),
    # `dim` is TF 1's name for `axis`, still accepted by tf.compat.v1.nn.l2_normalize
    params=(Param("x", 0), Param("axis", 1, None), Param("epsilon", 2, 1e-12), Param("name", 3),
            Param("dim", 4)),
    axis_param="axis",
)

TORCH_NORMALIZE: Final = Api(
    key="torch.nn.functional.normalize",
    library="torch",
    operation=Operation.LP_NORMALIZE,
    names=frozenset({"torch.nn.functional.normalize"}),
    params=(Param("input", 0), Param("p", 1, 2.0), Param("dim", 2, 1), Param("eps", 3, 1e-12),
            Param("out", 4)),
    axis_param="dim",
    order_param="p",
    conventional_layouts=(Layout.NCHW,),
)

SKLEARN_NORMALIZE: Final = Api(
    key="sklearn.preprocessing.normalize",
    library="sklearn",
    operation=Operation.LP_NORMALIZE,
    names=frozenset({"sklearn.preprocessing.normalize"}),
    params=(Param("X", 0), Param("norm", 1, "l2"), Param("axis", None, 1), Param("copy", None),
            Param("return_norm", None)),
    axis_param="axis",
    order_param="norm",
    order_words=(("l1", 1.0), ("l2", 2.0), ("max", float("inf"))),
    conventional_layouts=(Layout.NF,),
    rank=2,
)

KERAS_NORMALIZATION_LAYER: Final = Api(
    key="keras.layers.Normalization",
    library="keras",
    operation=Operation.STANDARDIZE_LAYER,
    names=frozenset(
        {
            "keras.layers.Normalization",
            "keras.layers.experimental.preprocessing.Normalization",
            "keras.layers.preprocessing.normalization.Normalization",
        }
    ),
    params=(Param("axis", 0, -1), Param("mean", 1), Param("variance", 2), Param("invert", 3)),
    axis_param="axis",
)

CATALOG: Final[tuple[Api, ...]] = (
    KERAS_NORMALIZE,
    KERAS_OPS_NORMALIZE,
    TF_L2_NORMALIZE,
    TORCH_NORMALIZE,
    SKLEARN_NORMALIZE,
    KERAS_NORMALIZATION_LAYER,
)

_BY_NAME: Final = {name: api for api in CATALOG for name in api.names}

# The last part of every catalog name: what the text screen looks for.
TERMINALS: Final = frozenset(name.rpartition(".")[2] for name in _BY_NAME)


def lookup(qualified: str) -> Api | None:
    """The catalog row a (possibly uncanonical) qualified name reaches, if any."""
    return _BY_NAME.get(canonical(qualified))
