"""Every fact that passes between normlint's stages: frozen dataclasses and closed enums."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Union

from .lines import line_list


class Confidence(enum.IntEnum):
    """How sure we are of what an array is; ordered so that `min-confidence` is a comparison."""

    LOW = 1  # names only ("x_train", "images")
    MEDIUM = 2  # backward evidence from a sink (a model's input shape, plt.imshow)
    HIGH = 3  # provenance known: a data set loader or an image reader, through known transforms

    @classmethod
    def parse(cls, text: str) -> Confidence:
        return cls[text.upper()]


class Role(enum.Enum):
    """What one axis of an array indexes."""

    SAMPLE = "N"
    HEIGHT = "H"
    WIDTH = "W"
    CHANNEL = "C"
    PIXELS = "F"  # one image flattened to H*W*C values


class Layout(enum.Enum):
    """The axis order of an image array; the value spells its roles, one letter per axis."""

    NHW = "NHW"
    NHWC = "NHWC"
    NCHW = "NCHW"
    HW = "HW"
    HWC = "HWC"
    CHW = "CHW"
    NF = "NF"  # a batch of flattened images, (N, H*W*C)

    @property
    def roles(self) -> tuple[Role, ...]:
        return tuple(Role(letter) for letter in self.value)

    @property
    def rank(self) -> int:
        return len(self.value)


class ArrayKind(enum.Enum):
    IMAGES = "images"
    NOT_IMAGES = "not images"  # text, tabular data, embeddings: what keeps F.normalize(emb) silent
    UNKNOWN = "unknown"  # an array from somewhere we do not know; later evidence may tell


class Operation(enum.Enum):
    """What a catalog API computes."""

    LP_NORMALIZE = "Lp-normalize"  # divide each 1-D slice along `axis` by its own Lp norm
    STANDARDIZE_LAYER = "standardize"  # (x - mean) / std with statistics kept per index of `axis`


class SliceKind(enum.Enum):
    """What one slice of an Lp-normalization is, in image terms: the artifact it causes."""

    COLUMN = "column"
    ROW = "row"
    CHANNEL = "channel"
    ACROSS_BATCH = "across batch"
    WHOLE_IMAGE = "whole image"
    WHOLE_ARRAY = "whole array"


class ArtifactClass(enum.Enum):
    """What a call measurably did to sample images (see normlint.verify.measure)."""

    NONE = "none"
    PER_IMAGE_SCALE = "per-image scale"
    COLUMN_WISE = "column-wise"
    ROW_WISE = "row-wise"
    CHANNEL_WISE = "channel-wise"
    BINARIZED = "channel-wise (binarized)"
    ACROSS_BATCH = "across-batch"
    ERROR = "the call raised"
    UNCLEAR = "unclear"
    SAME_INPUT = "one input for all samples"  # a scaler fitted on each sample alone
    SHIFTED = "shifted features"  # refitted on the evaluation data
    WRONG_RANGE = "wrong range"  # scaled twice, or standardized on the wrong scale
    NOT_RUN = "not run"  # nothing to run it on here (a library or a sample is missing)


class Split(enum.Enum):
    """Which part of the data an array is: what a scaler may be fitted on."""

    TRAIN = "training"
    TEST = "evaluation"


class FixSafety(enum.Enum):
    SAFE = "safe"
    UNSAFE = "unsafe"  # changes what the program computes, as every normalization fix does


class OutputFormat(enum.Enum):
    TEXT = "text"
    CONCISE = "concise"
    JSON = "json"
    SARIF = "sarif"
    GITHUB = "github"


class _Unknown:
    """The value of an argument that is not a literal."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __reduce__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()

Literal = Union[int, float, str, bool, None, tuple["Literal", ...]]
Argument = Union[Literal, _Unknown]


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    position: int | None  # None: keyword-only
    default: Literal = None


@dataclass(frozen=True, slots=True)
class Api:
    """One row of the catalog: a normalization API, every name that reaches it, its parameters."""

    key: str  # the canonical name, e.g. "keras.utils.normalize"
    library: str  # the distribution that provides it: "keras", "tensorflow", "torch", "sklearn"
    operation: Operation
    names: frozenset[str]  # canonical qualified names that reach it
    params: tuple[Param, ...]
    axis_param: str
    order_param: str | None = None  # None: fixed order 2
    order_words: tuple[tuple[Literal, float], ...] = ()  # e.g. sklearn's ("l1", 1.0)
    # layouts an array has when nothing but a name says it holds images
    conventional_layouts: tuple[Layout, ...] = (Layout.NHW, Layout.NHWC)
    rank: int | None = None  # an API that takes only arrays of this rank (sklearn: 2)

    def param(self, name: str) -> Param:
        return next(p for p in self.params if p.name == name)


@dataclass(frozen=True, slots=True)
class Span:
    """1-based lines and columns, end exclusive, in the analysed text (see SourceUnit.locate)."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True, slots=True)
class ArrayFact:
    """What an array is, with the evidence for it and how sure we are."""

    kind: ArrayKind
    layouts: tuple[Layout, ...] = ()  # candidates; a finding needs them all to agree
    shape: tuple[int | None, ...] | None = None  # for layouts[0], None where not known
    dtype: str | None = None
    value_range: tuple[float, float] | None = None  # (0, 255) for 8-bit pixels
    scaled: bool = False  # already divided by its peak (or otherwise mapped per pixel)
    origin: str = ""  # "mnist.load_data()", "cv2.imread(...)", "its name"
    origin_line: int | None = None  # within the cell, in a notebook
    origin_cell: int | None = None
    confidence: Confidence = Confidence.HIGH
    torch: bool = False  # a torch tensor (the fix is spelled `.float() / 255`)
    scaled_by: str = ""  # what mapped it to [0, 1]: "x_train / 255.0 (line 4)", "ToTensor()"
    split: Split | None = None  # which part of the data it is, when known

    @property
    def is_images(self) -> bool:
        return self.kind is ArrayKind.IMAGES and bool(self.layouts)

    @property
    def origin_place(self) -> str:
        """`line 3`, or `cell 2, line 1` in a notebook; "" when not known."""
        if self.origin_line is None:
            return ""
        cell = f"cell {self.origin_cell}, " if self.origin_cell is not None else ""
        return f"{cell}line {self.origin_line}"

    @property
    def peak(self) -> float:
        """The brightest pixel value: what to divide by to scale to [0, 1]."""
        return self.value_range[1] if self.value_range else 255


@dataclass(frozen=True, slots=True)
class NormCall:
    """A call site of a catalog API, with its arguments resolved and its input described."""

    api: Api
    callee: str  # as written: "tf.keras.utils.normalize"
    text: str  # the whole call as written (first line only when it spans several)
    input_text: str  # the input argument as written, "" when not found
    axis: Argument
    axis_given: bool  # False: the API's default applies
    order: Argument
    array: ArrayFact | None
    span: Span
    # layers: where the input came from ("adapt(x_train) at line 7")
    input_site: str = ""
    context: int = 0  # how tightly its place binds (normlint.precedence): a fix must match


@dataclass(frozen=True, slots=True)
class Fit:
    """An earlier fit of the same estimator: what it was fitted on, and where."""

    input_text: str
    line: int
    split: Split | None


@dataclass(frozen=True, slots=True)
class EstimatorCall:
    """A scikit-learn estimator's `fit`, `fit_transform` or `transform` (or a function such as
    `minmax_scale`, whose `method` is ""), with what it is given and what it was fitted on."""

    estimator: str  # canonical class or function name: "sklearn.preprocessing.MinMaxScaler"
    family: str  # "scaler", "vectorizer", "imputer", "encoder", "decomposition"
    method: str
    text: str  # the call on one line
    input_text: str
    array: ArrayFact | None
    span: Span
    rows: int | None = None  # rows of the input, when known (1: one sample)
    rows_evidence: str = ""  # "a list of one row", "`.reshape(1, -1)`"
    split_evidence: str = ""  # why the input is the evaluation data
    split_confidence: Confidence | None = None
    earlier: tuple[Fit, ...] = ()  # what this estimator (or one of its class) was fitted on
    same_estimator: bool = False  # `earlier` are fits of this very object (it can `transform`)
    # the call as written with `transform`, when a fix is right: a `fit_transform` of an
    # estimator fitted before on other data
    as_transform: str = ""
    options: tuple[tuple[str, Literal], ...] = ()  # the constructor's literal arguments
    split_options: tuple[tuple[str, Literal], ...] = ()  # the train_test_split's, if known
    context: int = 0


class StepKind(enum.Enum):
    """What a scaling step does to pixel values."""

    DIVIDE = "divide"  # x / 255, Rescaling(1/255), rescale=1/255, ToTensor after scaling
    PREPROCESS = "preprocess_input"  # a Keras application's preprocess_input (expects 0-255)
    MODEL_RESCALES = "model rescales"  # fed to a model that divides by 255 inside
    GENERATOR = "generator"  # ImageDataGenerator(rescale=..., preprocessing_function=...)
    STANDARDIZE = "standardize"  # torchvision Normalize(mean, std)


@dataclass(frozen=True, slots=True)
class StepCall:
    """A step that scales pixel values, met with the values it is given: a division by 255 of
    data already in [0, 1], `Normalize(mean, std)` on a tensor, a model that rescales inside."""

    kind: StepKind
    text: str  # the step's call or expression, on one line
    span: Span
    array: ArrayFact | None  # what the step is given
    input_text: str = ""
    divisor: float | None = None  # 255.0 for `/ 255`, 1/scale for `Rescaling(scale)`
    mean: tuple[float, ...] | None = None
    std: tuple[float, ...] | None = None
    function: str = ""  # `preprocess_input`'s module, the application's name
    without_step: str = ""  # the expression as written without the step (`x` for `x / 255`)


@dataclass(frozen=True, slots=True)
class Fix:
    replacement: str  # replaces the call's span
    safety: FixSafety
    title: str


@dataclass(frozen=True, slots=True)
class Verification:
    """A finding's runtime proof: the same call run on sample images, and what it measured."""

    artifact: ArtifactClass
    backend: str  # "keras 3.15.1 (tensorflow 2.21.0)" or "numpy 2.4.6 reference of ..."
    real_library: bool
    sample: str  # "64 MNIST digits, shape (64, 28, 28)"
    measurements: tuple[tuple[str, float | None], ...]
    lines: tuple[str, ...]  # the same, in words, for the text report
    error: str | None = None  # what the library raised, when it did


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    name: str
    message: str
    span: Span
    confidence: Confidence
    subject: str = ""  # the call, on one line: what a baseline fingerprint remembers
    evidence: tuple[str, ...] = ()
    help: str = ""  # what to write instead
    fix: Fix | None = None
    verification: Verification | None = None
    call: Record | None = field(default=None, compare=False)  # what the verifier runs


@dataclass(frozen=True, slots=True)
class Cell:
    """A notebook code cell's place in the analysed text."""

    number: int  # 1-based among all cells of the notebook
    first_line: int  # 1-based line of the analysed text where the cell starts
    line_count: int
    file_lines: tuple[int, ...] = ()  # the .ipynb file's line of each of its lines, if known


@dataclass(frozen=True, slots=True)
class Location:
    """Where a user finds a line: `line` is within the cell for notebooks."""

    line: int
    column: int
    cell: int | None = None
    file_line: int | None = None  # in a notebook: the line of the .ipynb file (JSON) it is on

    def __str__(self) -> str:
        """`line:col`, or `cell N:line:col` in a notebook: what follows `path:` in a report."""
        cell = f"cell {self.cell}:" if self.cell is not None else ""
        return f"{cell}{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class SourceUnit:
    """A file ready to analyse: its program text, and for notebooks the map back to cells."""

    path: str
    text: str
    cells: tuple[Cell, ...] = ()

    @property
    def is_notebook(self) -> bool:
        return bool(self.cells) or self.path.endswith(".ipynb")

    def locate(self, line: int, column: int) -> Location:
        for cell in self.cells:
            if cell.first_line <= line < cell.first_line + cell.line_count:
                within = line - cell.first_line + 1
                file_line = cell.file_lines[within - 1] if within <= len(cell.file_lines) else None
                return Location(within, column, cell.number, file_line)
        return Location(line, column)

    def line_text(self, line: int) -> str:
        lines = line_list(self.text)
        return lines[line - 1] if 0 < line <= len(lines) else ""


@dataclass(frozen=True, slots=True)
class FileError:
    """A file that could not be checked, and why, in one line."""

    reason: str
    internal: bool = False  # a bug in normlint rather than in the file
    location: Location | None = None  # where in the file, when the error has a place


@dataclass(frozen=True, slots=True)
class Skip:
    """A file normlint chose not to analyse: over a limit, not broken. Said, not an error."""

    reason: str


@dataclass(frozen=True, slots=True)
class Dependency:
    """A file a result was computed from, as it was then."""

    path: str
    size: int
    mtime_ns: int


@dataclass(frozen=True, slots=True)
class FileResult:
    path: str
    findings: tuple[Finding, ...] = ()
    error: FileError | None = None
    skipped: Skip | None = None
    unit: SourceUnit | None = field(default=None, compare=False)
    # the project modules whose functions the findings rest on (`from .data import load`)
    dependencies: tuple[Dependency, ...] = ()


# --- rules ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Valid:
    """Code the rule must not report."""

    code: str


@dataclass(frozen=True, slots=True)
class Invalid:
    """Code the rule must report once, with a message containing `message`."""

    code: str
    message: str = ""
    replacement: str | None = None  # the fixed source, when the rule offers a fix


# The events rules read: each kind of call the semantic model records.
Record = Union[NormCall, EstimatorCall, StepCall]
Check = Callable[[Any], Iterator[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    doc: str  # the rule's page; its first line is the summary
    check: Check = field(compare=False)
    triggers: frozenset[str] = frozenset()
    valid: tuple[Valid, ...] = ()
    invalid: tuple[Invalid, ...] = ()
    fix_safety: FixSafety | None = None
    reads: type = NormCall  # the kind of record its check takes

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0]


@dataclass(frozen=True, slots=True)
class Slicing:
    """What a call does to its input: the slice kind, in the layout that decided it."""

    kind: SliceKind
    layout: Layout
    shape: tuple[int | None, ...] | None
    fact: ArrayFact
