"""normlint: finds normalization misuse in machine-learning code."""

__version__ = "0.2.0"
