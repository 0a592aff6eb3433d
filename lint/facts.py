"""Build the NormCalls of one parsed unit in a single forward pass over its syntax tree."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Final

import libcst as cst

from . import catalog, layouts, precedence
from .axes import format_shape
from .arrays import Evaluator
from .definitions import Definition
from .literals import Args
from .names import canonical, import_bindings
from .positions import Positions, positions
from .screen import Relevance, relevance as screen_relevance
from .sources import EVIDENCE_WORDS
from .types import (
    Api, Argument, ArrayFact, ArrayKind, Confidence, Layout, Location, NormCall, Operation, Span,
)
from .values import Array, Function, Items, Layer, ListOf, Ref, Value

# Names that suggest images: weak evidence, never more than Confidence.LOW.
_IMAGE_NAME: Final = re.compile(
    r"^(?:x|X)_?(?:train|test|val|valid|dev|tr|te|all)$"
    r"|^(?:train|test|val|valid)_?(?:x|X|images?|imgs?|data)$"
    r"|(?:^|_)(?:images?|imgs?|pictures?|photos?|frames?|pixels|digits)$"
)
_MODEL_FEEDS: Final = frozenset({"fit", "predict", "evaluate", "train_on_batch", "fit_generator"})


@dataclass(slots=True)
class _Site:
    """A catalog call seen during the pass, finished into a NormCall at the end."""

    api: Api
    call: cst.Call
    span: Span
    axis: Argument
    axis_given: bool
    order: Argument
    input_node: cst.BaseExpression | None = None
    input_value: Value | None = None
    input_site: str = ""
    targets: list[str] = field(default_factory=list)
    context: int = precedence.ANY


@dataclass(slots=True)
class _Sinks:
    """Backward evidence: what the code later does with a name."""

    model_input: ArrayFact | None = None
    fed: set[str] = field(default_factory=set)  # passed to model.fit/predict/evaluate
    shown: dict[str, int] = field(default_factory=dict)  # plt.imshow(name[i]) -> line


class FactBuilder(cst.CSTVisitor):
    def __init__(self, module: cst.Module, text: str, relevance: Relevance,
                 locate: Callable[[int, int], Location] | None = None,
                 found: Positions | None = None,
                 parameters: dict[int, dict[str, Value]] | None = None) -> None:
        super().__init__()
        self.module = module
        self.locate = locate or Location
        found = found or positions(module)
        self.found = found
        self.parameters = parameters or {}  # id(function) -> values its call sites pass
        self.definitions: dict[int, Definition] = {}
        self.spans = found.calls
        self.blocks = found.blocks
        self.lines = text.splitlines()
        self.relevance = relevance.with_callers(frozenset(
            statement.name.value for statement in module.body
            if type(statement) is cst.FunctionDef and id(statement) in self.blocks
            and relevance.holds_calls(self.block_text(statement))))
        self.statement_line = 1
        self.skipped: set[int] = set()
        self.scopes: list[dict[str, Value | None]] = [{}]
        self.stars: list[str] = []
        self.returns: list[list[Value | None]] = []
        self.sites: list[_Site] = []
        self.layers: dict[Span, _Site] = {}
        self.sinks = _Sinks()
        self.contexts: dict[int, int] = {}  # id(call) -> the binding its place needs
        self.opened: list[int] = []  # for each function being visited, its first site
        self.evaluate = Evaluator(self.lookup, self.line_of, self.code_of, self.layer_at)

    # libcst asks, for every field of every node, for a `visit_<Node>_<field>` method: half a
    # million lookups on a large module. normlint defines none, so it answers without looking.
    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        return None

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        return None

    # --- helpers -------------------------------------------------------------------------------

    def lookup(self, name: str) -> Value | None:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        # An unbound name may come from a star import; with several, the first is our guess.
        return Ref(f"{self.stars[0]}.{name}") if self.stars else None

    def span_of(self, call: cst.Call) -> Span:
        return self.spans[id(call)]

    def line_of(self, node: cst.CSTNode) -> int:
        """The line of a call, or of the innermost call being visited for any other node."""
        span = self.spans.get(id(node))
        return span.line if span else self.statement_line

    def code_of(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)

    def compact(self, call: cst.Call) -> str:
        """The call on one line, without comments: how a message quotes it."""
        args = ", ".join(
            (f"{a.keyword.value}=" if a.keyword else a.star) + self.code_of(a.value)
            for a in call.args
        )
        text = " ".join(f"{self.code_of(call.func)}({args})".split())
        return text if len(text) <= 100 else f"{self.code_of(call.func)}(...)"

    def layer_at(self, call: cst.Call) -> Layer | None:
        span = self.spans.get(id(call))
        return Layer(span) if span in self.layers else None

    def bind(self, target: cst.BaseExpression, value: Value | None) -> None:
        match target:
            case cst.Name(value=name):
                self.scopes[-1][name] = value
            case cst.Tuple(elements=elements) | cst.List(elements=elements):
                for index, element in enumerate(elements):
                    if isinstance(value, Items) and len(value.items) == len(elements):
                        item = value.items[index]
                    else:
                        item = value.item if isinstance(value, ListOf) else None
                    self.bind(element.value, None if isinstance(element, cst.StarredElement) else item)

    # --- imports and bindings ------------------------------------------------------------------

    def visit_Import(self, node: cst.Import) -> None:
        names = [(self.code_of(a.name), a.asname and self.code_of(a.asname.name)) for a in node.names]
        for local, qualified in import_bindings(None, names, relative=False):
            self.scopes[-1][local] = Ref(canonical(qualified))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        module = self.code_of(node.module) if node.module else ""
        if isinstance(node.names, cst.ImportStar):
            if not node.relative:
                self.stars.append(module)
            return
        names = [(self.code_of(a.name), a.asname and self.code_of(a.asname.name)) for a in node.names]
        for local, qualified in import_bindings(module, names, relative=bool(node.relative)):
            self.scopes[-1][local] = Ref(canonical(qualified))
        if node.relative:
            for name, alias in names:
                self.scopes[-1][alias or name] = None

    def leave_Assign(self, node: cst.Assign) -> None:
        value = self.evaluate(node.value)
        targets = [t.target for t in node.targets]
        for site in self.sites:
            if site.call is node.value:
                site.targets = [t.value for t in targets if isinstance(t, cst.Name)]
        for target in targets:
            self.bind(target, value)

    def leave_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self.bind(node.target, self.evaluate(node.value))

    def leave_AugAssign(self, node: cst.AugAssign) -> None:
        if not isinstance(node.target, cst.Name):
            return
        operator = {cst.DivideAssign: cst.Divide(), cst.MultiplyAssign: cst.Multiply()}.get(
            type(node.operator), cst.Add())
        combined = cst.BinaryOperation(left=node.target, operator=operator, right=node.value)
        self.bind(node.target, self.evaluate(combined))

    def visit_For(self, node: cst.For) -> None:
        iterable = self.evaluate(node.iter)
        self.bind(node.target, iterable.item if isinstance(iterable, ListOf) else None)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self.bind(node.asname.name, None)

    # --- functions -----------------------------------------------------------------------------

    def block_text(self, node: cst.FunctionDef | cst.ClassDef) -> str:
        first, last = self.blocks[id(node)]
        return "\n".join(self.lines[first - 1 : last])

    def is_irrelevant(self, node: cst.FunctionDef | cst.ClassDef) -> bool:
        """A body that can add no call and no fact (screen.Relevance) is not visited."""
        return not self.relevance.is_needed(self.block_text(node))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        if self.is_irrelevant(node):
            self.scopes[-1][node.name.value] = Function(None)
            self.skipped.add(id(node))
            return False
        params = node.params
        every = [*params.posonly_params, *params.params, *params.kwonly_params]
        every += [p for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)]
        passed = self.parameters.get(id(node), {})
        self.scopes.append({p.name.value: passed.get(p.name.value) for p in every})
        self.returns.append([])
        self.opened.append(len(self.sites))
        return True

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        if id(node) in self.skipped:
            return
        self.scopes.pop()
        returned = self.returns.pop()
        start = self.opened.pop()
        if start < len(self.sites):  # it holds catalog calls: its call sites may tell more
            params = node.params
            self.definitions[id(node)] = Definition(
                node, [p.name.value for p in (*params.posonly_params, *params.params)],
                [p.name.value for p in params.kwonly_params], (start, len(self.sites)))
        self.scopes[-1][node.name.value] = Function(
            returned[0] if len(returned) == 1 else None, id(node))

    def leave_Return(self, node: cst.Return) -> None:
        if self.returns and node.value is not None:
            self.returns[-1].append(self.evaluate(node.value))

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        if self.is_irrelevant(node):
            self.scopes[-1][node.name.value] = None
            self.skipped.add(id(node))
            return False
        self.scopes.append({})
        return True

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        if id(node) in self.skipped:
            return
        self.scopes.pop()
        self.scopes[-1][node.name.value] = None

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    # --- how tightly each call's place binds (for fixes that replace the call) -----------------

    def needs(self, child: cst.BaseExpression, level: int) -> None:
        if type(child) is cst.Call and not child.lpar:
            self.contexts[id(child)] = level

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.needs(node.value, precedence.PRIMARY)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self.needs(node.value, precedence.PRIMARY)

    def visit_Await(self, node: cst.Await) -> None:
        self.needs(node.expression, precedence.PRIMARY)

    def visit_UnaryOperation(self, node: cst.UnaryOperation) -> None:
        not_ = type(node.operator) is cst.Not
        self.needs(node.expression, precedence.NOT if not_ else precedence.UNARY)

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        left, right = precedence.binary_operands(type(node.operator).__name__)
        self.needs(node.left, left)
        self.needs(node.right, right)

    def visit_BooleanOperation(self, node: cst.BooleanOperation) -> None:
        left, right = precedence.boolean_operands(type(node.operator).__name__)
        self.needs(node.left, left)
        self.needs(node.right, right)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        self.needs(node.left, precedence.BIT_OR)
        for target in node.comparisons:
            self.needs(target.comparator, precedence.BIT_OR)

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self.needs(node.body, precedence.OR)
        self.needs(node.test, precedence.OR)

    # --- calls ---------------------------------------------------------------------------------

    def visit_Call(self, node: cst.Call) -> None:
        self.needs(node.func, precedence.PRIMARY)
        self.statement_line = self.spans[id(node)].line
        callee = self.evaluate(node.func)
        api = catalog.lookup(callee.name) if isinstance(callee, Ref) else None
        if api is not None:
            self._record(api, node)
        elif isinstance(callee, Ref):
            self._record_model_input(canonical(callee.name), node)

    def leave_Call(self, node: cst.Call) -> None:
        func = node.func
        method = func.attr.value if isinstance(func, cst.Attribute) else None
        receiver = self.evaluate(func.value) if isinstance(func, cst.Attribute) else None
        args = Args(node, self.evaluate, self.lookup)
        first = args.node("", 0)
        if method == "append" and isinstance(func.value, cst.Name) and first is not None:
            if isinstance(receiver, (ListOf, Items)) and (isinstance(receiver, ListOf) or not receiver.items):
                self.bind(func.value, ListOf(self.evaluate(first)))
        elif method == "adapt" and isinstance(receiver, Layer) and first is not None:
            self._attach(self.layers[receiver.site], first, f"adapt({self.code_of(first)})", node)
        elif method in _MODEL_FEEDS and isinstance(first, cst.Name):
            self.sinks.fed.add(first.value)
        elif method == "imshow" and isinstance(first, cst.Subscript) and isinstance(first.value, cst.Name):
            self.sinks.shown.setdefault(first.value.value, self.line_of(node))
        callee = self.evaluate(func)
        if isinstance(callee, Function) and callee.key in self.definitions:
            self.definitions[callee.key].passed.append(self.definitions[callee.key].bind(args))
        if isinstance(callee, Layer) and first is not None:
            self._attach(self.layers[callee.site], first, f"{self.code_of(func)}({self.code_of(first)})", node)

    def _record(self, api: Api, node: cst.Call) -> None:
        args = Args(node, self.evaluate, self.lookup)
        axis_param = api.param(api.axis_param)
        axis = args.literal(axis_param.name, axis_param.position, default=axis_param.default)
        axis_given = args.node(axis_param.name, axis_param.position) is not None or args.has_star
        if not axis_given and "dim" in args.keywords and api.operation is Operation.LP_NORMALIZE:
            axis, axis_given = args.literal("dim", None), True  # TF 1's spelling
        order: Argument = 2
        if api.order_param:
            order_param = api.param(api.order_param)
            order = args.literal(order_param.name, order_param.position, default=order_param.default)
            order = dict(api.order_words).get(order, order) if isinstance(order, str) else order
        site = _Site(api, node, self.span_of(node), axis, axis_given, order,
                     context=self.contexts.get(id(node), precedence.ANY))
        if api.operation is Operation.STANDARDIZE_LAYER:
            self.layers[site.span] = site
            shape = args.literal("input_shape", None)
            if isinstance(shape, tuple):
                site.input_value = _model_input(shape, f"input_shape={shape}", self.line_of(node))
                site.input_site = f"input_shape={format_shape(shape)}"
        else:
            first = api.params[0]
            site.input_node = args.node(first.name, first.position)
            if site.input_node is not None:
                site.input_value = self.evaluate(site.input_node)
        self.sites.append(site)

    def _attach(self, site: _Site, node: cst.BaseExpression, description: str, call: cst.Call) -> None:
        if site.input_node is None:
            site.input_node = node
            site.input_value = self.evaluate(node)
            where = self.locate(self.line_of(call), 1)
            cell = f"cell {where.cell}, " if where.cell is not None else ""
            site.input_site = f"{description} at {cell}line {where.line}"

    def _record_model_input(self, name: str, node: cst.Call) -> None:
        if not name.startswith("keras.") or self.sinks.model_input is not None:
            return
        args = Args(node, self.evaluate, self.lookup)
        shape = args.literal("input_shape", None)
        if name in ("keras.Input", "keras.layers.Input", "keras.layers.InputLayer"):
            shape = args.literal("shape", 0)
        if isinstance(shape, tuple) and all(isinstance(d, int) for d in shape):
            fact = _model_input(shape, f"the model's input shape {format_shape(shape)}",
                                self.line_of(node))
            self.sinks.model_input = fact.fact if isinstance(fact, Array) else None

    # --- the end -------------------------------------------------------------------------------

    def norm_calls(self) -> list[NormCall]:
        self._revisit_called_functions()
        return [self._finish(site) for site in self.sites]

    def _revisit_called_functions(self) -> None:
        """Walk each function that holds catalog calls once more, its parameters bound to what
        its call sites pass (`preprocess(x_train)` tells `preprocess(images)` what `images`
        is), and take the sites found so. One level: calls made in that walk are not
        followed again. Module names are as they are at the end of the module."""
        for key, definition in self.definitions.items():
            passed = definition.joined()
            if not passed:
                continue
            again = FactBuilder(self.module, "\n".join(self.lines), self.relevance, self.locate,
                                self.found, {key: passed})
            again.scopes = [dict(self.scopes[0])]
            again.stars = self.stars
            again.sinks = self.sinks
            definition.node.visit(again)
            start, end = definition.sites
            if len(again.sites) != end - start:
                continue  # not the same calls: keep what the first walk found
            self.sites[start:end] = again.sites
            self.layers.update(again.layers)

    def _finish(self, site: _Site) -> NormCall:
        node = site.input_node
        value = site.input_value
        fact = value.fact if isinstance(value, Array) else None
        if fact is None or fact.kind is ArrayKind.UNKNOWN or (
                fact.kind is ArrayKind.IMAGES and not fact.layouts):
            fact = self._backward_evidence(site, fact)
        if fact is not None and fact.origin_line is not None:
            where = self.locate(fact.origin_line, 1)
            fact = replace(fact, origin_line=where.line, origin_cell=where.cell)
        return NormCall(
            api=site.api,
            callee=self.code_of(site.call.func),
            text=self.compact(site.call),
            input_text=self.code_of(node) if node is not None else "",
            axis=site.axis,
            axis_given=site.axis_given,
            order=site.order,
            array=fact,
            span=site.span,
            input_site=site.input_site,
            context=site.context,
        )

    def _backward_evidence(self, site: _Site, fact: ArrayFact | None) -> ArrayFact | None:
        node = site.input_node
        root = node
        while isinstance(root, (cst.Call, cst.Attribute, cst.Subscript, cst.BinaryOperation)):
            root = root.func if isinstance(root, cst.Call) else (
                root.left if isinstance(root, cst.BinaryOperation) else root.value)
        inputs = [root.value] if isinstance(root, cst.Name) else []
        # The result has the input's shape, so what a sink says of it holds for the input;
        # but its name (`img = F.normalize(img_embed)`) says nothing about the input's content.
        names = inputs + site.targets
        sinks = self.sinks
        if sinks.model_input is not None and any(n in sinks.fed for n in names):
            return sinks.model_input
        shown = next((n for n in names if n in sinks.shown), None)
        if shown is not None:
            return ArrayFact(ArrayKind.IMAGES, (Layout.NHW, Layout.NHWC),
                             origin=f"imshow({shown}[...])", origin_line=sinks.shown[shown],
                             confidence=Confidence.MEDIUM)
        if (fact is None or fact.kind is ArrayKind.UNKNOWN) and any(
                _IMAGE_NAME.search(n) for n in inputs):
            return ArrayFact(ArrayKind.IMAGES, site.api.conventional_layouts,
                             origin="its name", confidence=Confidence.LOW)
        return fact


def _model_input(shape: tuple, origin: str, line: int) -> Value | None:
    layout = layouts.image_layout((-1, *shape), batched=True)
    if layout is None or layout is Layout.NF:
        return None
    return Array(ArrayFact(ArrayKind.IMAGES, (layout,), (None, *shape), origin=origin,
                           origin_line=line, confidence=Confidence.MEDIUM))


def build(module: cst.Module, text: str, relevance: Relevance | None = None,
          locate: Callable[[int, int], Location] | None = None) -> list[NormCall]:
    """Every catalog call in `module` (parsed from `text`), with its arguments and input fact.

    `relevance` says which function bodies to skip (computed from `text` when not given);
    `locate` turns lines of `text` into the lines a user sees (a notebook's cells).
    """
    relevance = relevance or screen_relevance(text, EVIDENCE_WORDS)
    builder = FactBuilder(module, text, relevance, locate)
    module.visit(builder)
    return builder.norm_calls()
