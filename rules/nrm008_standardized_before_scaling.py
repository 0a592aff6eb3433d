"""Flags mean/std normalization with [0, 1] statistics applied to pixels still in 0-255.

## What it does
Checks for torchvision's `Normalize(mean, std)` whose statistics are on the [0, 1] scale
(ImageNet's `(0.485, 0.456, 0.406)`, MNIST's `(0.1307,)`, `(0.5,)`) given float tensors whose
values are still in [0, 255]: after `v2.ToDtype(torch.float32)` without `scale=True`, after
`read_image(path).float()`, after `torch.from_numpy(cv2_image).float()`.

## Why is this bad?
`(x - 0.485) / 0.229` on values up to 255 gives values up to about 1,100 instead of about 2.6:
the inputs are some 255 times too large. A network trained from scratch copes slowly; with
pretrained weights, which expect standardized inputs, it sees noise.

## Example
```python
from torchvision.transforms import v2

transform = v2.Compose([
    v2.ToImage(),
    v2.ToDtype(torch.float32),
    v2.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
])
```

## Use instead
```python
    v2.ToDtype(torch.float32, scale=True),
```
or `x.float() / 255` before `Normalize`.

## Fix safety
No fix is offered: the scaling belongs before `Normalize`, in a step the fix would have
to find (`ToDtype(..., scale=True)`, `ToTensor()`, `/ 255`).

## What the verifier shows
The verifier runs the normalization on sample images in [0, 255] and in [0, 1] and reports the
output range of each and their ratio.

## Known problems
The range is known only where a step the inference follows sets it (`ToImage()`,
`PILToTensor()`, `read_image`, `ToDtype` without `scale`); statistics on the 0-255 scale
(`mean=(123.7, ...)`) are correct and not reported.

## References
- [torchvision: `v2.ToDtype`](https://pytorch.org/vision/stable/generated/torchvision.transforms.v2.ToDtype.html)
- [torchvision: `Normalize`](https://pytorch.org/vision/stable/generated/torchvision.transforms.Normalize.html)
"""

from __future__ import annotations

from collections.abc import Iterator

from normlint.explain import record_finding, step_evidence
from normlint.inference.knowledge import PIPELINE_INPUT, unit_scale_statistics
from normlint.types import Finding, Invalid, Rule, StepCall, StepKind, Valid


def _source(fact) -> str:
    return "from the pipeline's earlier steps" if fact.origin == PIPELINE_INPUT else \
        f"from {fact.origin}"


def _each(values, count: int) -> tuple[float, ...]:
    """One value per channel (a single value broadcasts)."""
    return tuple(values) * count if len(values) == 1 else tuple(values)


def check(call: StepCall) -> Iterator[Finding]:
    fact = call.array
    if call.kind is not StepKind.STANDARDIZE or fact is None or fact.value_range != (0, 255) \
            or not (fact.dtype or "").startswith("float") \
            or not unit_scale_statistics(call.mean, call.std):
        return
    count = max(len(call.mean), len(call.std))  # type: ignore[arg-type]
    pairs = list(zip(_each(call.mean, count), _each(call.std, count)))
    largest = max((255 - m) / s for m, s in pairs)
    intended = max((1 - m) / s for m, s in pairs)
    yield record_finding(
        RULE, call,
        message=(f"`{call.text}` uses statistics of pixels in [0, 1], but is given values in "
                 f"[0, 255] ({_source(fact)}): inputs come out about 255 times too large "
                 f"(up to {largest:,.0f} instead of {intended:.2f})"),
        confidence=fact.confidence,
        evidence=step_evidence(call) + ("the values are floats in [0, 255]: nothing divided "
                                        "them by 255",),
        help=("scale to [0, 1] before `Normalize`: `v2.ToDtype(torch.float32, scale=True)`, "
              "`transforms.ToTensor()`, or `x.float() / 255`"),
    )


RULE = Rule(
    code="NRM008",
    name="standardized-before-scaling",
    doc=__doc__,
    check=check,
    reads=StepCall,
    triggers=frozenset({"Normalize"}),
    valid=(
        Valid("""
import torch
from torchvision.transforms import v2
transform = v2.Compose([v2.ToImage(), v2.ToDtype(torch.float32, scale=True),
                        v2.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])])
"""),
        Valid("""
from torchvision import transforms
transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])
"""),
    ),
    invalid=(
        Invalid("""
import torch
from torchvision.transforms import v2
transform = v2.Compose([v2.ToImage(), v2.ToDtype(torch.float32),
                        v2.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])])
""", message="255 times too large"),
        Invalid("""
from torchvision import transforms
from torchvision.io import read_image
normalize = transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])
image = normalize(read_image("cat.jpg").float())
""", message="given values in [0, 255]"),
    ),
)
