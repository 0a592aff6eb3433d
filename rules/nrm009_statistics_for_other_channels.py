"""Flags `Normalize` statistics for three channels applied to one-channel images.

## What it does
Checks for torchvision's `Normalize(mean, std)` with three values each (ImageNet's statistics)
given images with one channel: MNIST, Fashion-MNIST and KMNIST items, images after
`Grayscale()` (one output channel by default), tensors of gray images.

## Why is this bad?
torchvision normalizes in place, `tensor.sub_(mean).div_(std)`, and a `(1, H, W)` tensor cannot
take the `(3, 1, 1)` result: the first batch fails with `RuntimeError: output with shape [1, 28,
28] doesn't match the broadcast shape [3, 28, 28]`, after the data set and the model are built
and, in a notebook, after everything above has run. The reverse (one value on RGB images)
broadcasts and is fine.

## Example
```python
from torchvision import datasets, transforms

transform = transforms.Compose([
    transforms.ToTensor(),
    transforms.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225)),
])
train = datasets.MNIST("data", train=True, transform=transform)
```

## Use instead
One value each, the data set's own (`transforms.Normalize((0.1307,), (0.3081,))` for MNIST),
or three channels first (`transforms.Grayscale(num_output_channels=3)`) for a network
pretrained on colour images.

## Fix safety
No fix is offered: one statistic per channel, or three channels, is the author's choice.

## What the verifier shows
The verifier runs the normalization on a one-channel sample as torchvision does and reports
the error it raises.

## Known problems
The channel count is known from the data set (MNIST and its kin), `Grayscale`, or a gray
image's shape; an unknown step in between (a `Lambda`) makes it unknown, and nothing is
reported.

## References
- [torchvision: `Normalize`](https://pytorch.org/vision/stable/generated/torchvision.transforms.Normalize.html)
"""

from __future__ import annotations

from collections.abc import Iterator

from normlint.inference.axes import channel_count, format_shape
from normlint.inference.knowledge import channel_counts
from normlint.explain import record_finding
from normlint.types import Finding, Invalid, Rule, StepCall, StepKind, Valid


def check(call: StepCall) -> Iterator[Finding]:
    fact = call.array
    if call.kind is not StepKind.STANDARDIZE or fact is None or not fact.is_images \
            or len(fact.layouts) != 1:
        return
    wanted = channel_counts(call.mean, call.std)
    given = channel_count(fact.layouts[0], fact.shape)
    if wanted is None or wanted <= 1 or given != 1:
        return
    yield record_finding(
        RULE, call,
        message=(f"`{call.text}` has statistics for {wanted} channels, but the images it is "
                 f"given have 1 channel ({format_shape(fact.shape)} from {fact.origin}): the "
                 f"first batch fails with a RuntimeError"),
        confidence=fact.confidence,
        evidence=(f"the images are {format_shape(fact.shape)} {fact.layouts[0].value} from "
                  f"{fact.origin}",),
        help=("use one value each (`Normalize((0.1307,), (0.3081,))` for MNIST), or make three "
              "channels first with `Grayscale(num_output_channels=3)`"),
    )


RULE = Rule(
    code="NRM009",
    name="statistics-for-other-channels",
    doc=__doc__,
    check=check,
    reads=StepCall,
    triggers=frozenset({"Normalize"}),
    valid=(
        Valid("""
from torchvision import datasets, transforms
transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
train = datasets.MNIST("data", train=True, transform=transform)
"""),
        Valid("""
from torchvision import datasets, transforms
transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])
train = datasets.CIFAR10("data", train=True, transform=transform)
"""),
    ),
    invalid=(
        Invalid("""
from torchvision import datasets, transforms
transform = transforms.Compose([
    transforms.ToTensor(),
    transforms.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225)),
])
train = datasets.MNIST("data", train=True, transform=transform)
""", message="statistics for 3 channels"),
        Invalid("""
from torchvision import transforms
transform = transforms.Compose([
    transforms.Grayscale(),
    transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])
""", message="have 1 channel"),
    ),
)
