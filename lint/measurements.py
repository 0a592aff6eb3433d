"""What the verifier measures, in words: the definitions every rule page ends with."""

from __future__ import annotations

from typing import Final

MEASUREMENTS: Final = """\
## Verification

`normlint check --verify` (or `normlint verify PATH[:LINE]`) runs the flagged call itself, with
the same API, axis and order, on sample images of the inferred layout: 64 real MNIST digits for
grayscale, crops of two real photographs for colour, resampled to the inferred size. It uses the
real library when it is installed (TensorFlow/Keras, PyTorch, scikit-learn) and otherwise a
numpy copy of the library's arithmetic that the test suite proves equal to it; the report says
which ran. Every number is measured against the intended per-pixel map `x / 255` (or the
input's own peak):

- **spread**: within one image, inked pixels of equal value should come out equal; the spread
  of such a group is (max - min) / max of its outputs; the median over groups is reported.
- **reversed pairs**: the share of random pairs of inked pixels within an image whose output
  order is the reverse of their input order.
- **unit-norm slices**: the share of non-empty slices along the call's axis whose Lp norm is 1.
- **white**: what pixels of value 255 become (least, median, most), and the share of images
  whose brightest pixel still reaches 1.0 (within 1%).
- **affine residual**: per image, what is left of the output after the best fit
  `a * x / 255 + b`; the median over images.

The **artifact class** is the coarsest grouping of pixels within which the output is an exact
affine map of the input: the whole array or each image (none: a per-pixel map or a per-image
standardization; or a per-image scale, when each image is only divided by its own factor),
each column or row position across the batch (column-wise or row-wise statistics of a layer),
each pixel position across the batch (across-batch), each column or row of each image
(column-wise, row-wise) or each pixel's channels (channel-wise). One-channel images whose
every inked pixel comes out the same are binarized. When the library raises, that is reported.

The rules beyond the axis measure what their own damage is:

- **wrong range** (scaling twice, standardizing 0-255 values): both scalings are run on the
  samples; the report gives the output range, the intended range and the ratio of their spans.
- **one input for all samples** (a scaler fitted on one row): the scaler is fitted on each
  evaluation sample of the wine recognition data (shipped with scikit-learn) alone; the
  report counts the distinct inputs the model would see.
- **shifted features** (a refit on evaluation data): the same table, split as the code splits
  it, is fitted on the training part and refitted on the evaluation part; the report gives
  how far the evaluation features move, in training standard deviations (median and largest).
"""
