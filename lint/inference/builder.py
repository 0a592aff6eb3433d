"""Build the NormCalls of one parsed unit in a single forward pass over its syntax tree."""

from __future__ import annotations

import ast
from collections.abc import Callable

import libcst as cst

from .. import catalog, precedence
from ..lines import python_lines
from ..names import canonical, import_bindings
from ..node_code import code_for_node
from ..parsing import Slice
from ..positions import AstPositions, Positions, positions
from ..screen import Relevance, relevance as screen_relevance
from ..types import Api, Argument, ArrayFact, Location, Operation, Record, Span
from ..walk import walk
from . import estimators, models, scaling
from .axes import format_shape
from .contexts import Contexts
from .contracts import CONTRACTS, EVIDENCE_WORDS
from .definitions import Definition
from .evaluate import Evaluator, divides_by_peak
from .imports import Resolve
from .literals import Args, literal
from .records import Records, record_relevance, records_fact
from .sinks import MODEL_FEEDS, Sinks
from .sites import Finisher, Site
from .values import (
    Array, Function, Instance, Items, Layer, ListOf, Model, Obj, Ref, Transform, Value,
)

_UNSET = object()
SPLIT_OPTIONS = frozenset({"test_size", "train_size", "random_state", "shuffle"})
PIPELINES = frozenset({"torchvision.transforms.Compose", "torchvision.transforms.v2.Compose"})
DATA_SETS_WITH_TRANSFORMS = frozenset(
    name for row in CONTRACTS if row.family == "Data sets" for name in row.names
    if name.startswith("torchvision.datasets."))
GENERATOR = "keras.preprocessing.image.ImageDataGenerator"


class FactBuilder(Contexts, Records):
    def __init__(self, module: cst.Module, text: str, relevance: Relevance,
                 locate: Callable[[int, int], Location] | None = None,
                 found: Positions | None = None,
                 parameters: dict[int, dict[str, Value]] | None = None,
                 imports: Resolve | None = None, placed: AstPositions | None = None) -> None:
        super().__init__()
        Records.__init__(self)
        self.imports = imports  # what the project's own modules give (`from .data import f`)
        self.module = module
        self.locate = locate or Location
        # Where calls and blocks are: from CPython's tree as the walk meets them (`placed`),
        # or from a codegen pass (`found`, or made here).
        self.placed = placed if found is None else None
        if self.placed is not None:
            found = Positions({}, self.placed.module_blocks(module))
        self.found = found = found or positions(module)
        self.parameters = parameters or {}  # id(function) -> values its call sites pass
        self.definitions: dict[int, Definition] = {}
        self.spans = found.calls
        self.blocks = found.blocks
        self.extents: dict[int, tuple[int, int, int, int]] = {}  # id(block) -> its ast extent
        self.lines = python_lines(text)
        self.relevance = relevance.with_callers(frozenset(
            statement.name.value for statement in module.body
            if type(statement) is cst.FunctionDef and id(statement) in self.blocks
            and relevance.holds_calls(self.block_text(statement))))
        self.statement_line = 1
        self.skipped: set[int] = set()
        self.scopes: list[dict[str, Value | None]] = [{}]
        self.stars: list[str] = []
        self.returns: list[list[Value | None]] = []
        self.sites: list[Site] = []
        self.layers: dict[Span, Site] = {}
        self.sinks = Sinks()
        self.opened: list[int] = []  # for each function being visited, its first site
        self.first_layers: list[ArrayFact | None] = []  # per class being visited
        self.instances: list[Instance] = []  # per class being visited: its `self`
        self.methods: set[int] = set()  # the functions defined directly in a class
        self.lambdas: dict[int, Value | None] = {}  # id(lambda) -> what its parameters take
        self.branches: list[tuple[cst.If, dict[str, Value | None], dict[str, Value | None]]] = []
        self.evaluate = Evaluator(self.lookup, self.line_of, self.code_of, self.layer_at,
                                  self.place, self.one_line)

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
        """A node's code: a call on one line read from the text at its span (libcst gives
        back its text exactly, so that is what generating it would give), others generated
        (a call's later lines would keep the block's indentation, which generating drops)."""
        if type(node) is cst.Call and not node.lpar:
            span = self.spans.get(id(node))
            if span is not None and span.line == span.end_line:
                return self.lines[span.line - 1][span.column - 1 : span.end_column - 1]
        return code_for_node(self.module, node)

    def place(self, call: cst.Call) -> Span | None:
        return self.spans.get(id(call))

    def layer_at(self, call: cst.Call) -> Layer | None:
        span = self.spans.get(id(call))
        return Layer(span) if span in self.layers else None

    def bind(self, target: cst.BaseExpression, value: Value | None) -> None:
        match target:
            case cst.Name(value=name):
                self.scopes[-1][name] = value
            case cst.Attribute(value=cst.Name(value=owner), attr=cst.Name(value=name)):
                instance = self.lookup(owner)
                if isinstance(instance, Instance):  # `self.train = ...`
                    instance.attrs[name] = value
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
        project = self.imports(module, len(node.relative), [name for name, _ in names]) \
            if self.imports is not None else {}
        if node.relative or project:  # a module of this project: what its summary says
            for name, alias in names:
                self.scopes[-1][alias or name] = project.get(name)

    def leave_Assign(self, node: cst.Assign) -> None:
        value = self.evaluate(node.value)
        if isinstance(value, Model) and value.input and self.first_layers \
                and self.first_layers[-1] is None:
            self.first_layers[-1] = value.input  # `self.conv1 = nn.Conv2d(1, 16, 3)`
        targets = [t.target for t in node.targets]
        for site in self.sites:
            if site.call is node.value:
                site.targets = [t.value for t in targets if isinstance(t, cst.Name)]
        for target in targets:
            self.bind(target, value)
            self._record_split(target, node.value)

    def _record_split(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        """`X_train, X_test, y_train, y_test = train_test_split(X, y)`: the parts of X are one
        array cut in two, so what a sink says of one part holds for the other (and for X)."""
        if not (isinstance(target, cst.Tuple) and isinstance(value, cst.Call) and value.args):
            return
        callee = self.evaluate(value.func)
        if not (isinstance(callee, Ref) and canonical(callee.name) ==
                "sklearn.model_selection.train_test_split"):
            return
        names = [e.value.value if isinstance(e.value, cst.Name) else "" for e in target.elements]
        first = value.args[0].value
        self.sinks.split(names[:2], first.value if isinstance(first, cst.Name) else None)
        options = tuple((a.keyword.value, literal(a.value)) for a in value.args
                        if a.keyword is not None and a.keyword.value in SPLIT_OPTIONS)
        for name in names:
            self.split_options[name] = options

    def leave_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self.bind(node.target, self.evaluate(node.value))

    def leave_AugAssign(self, node: cst.AugAssign) -> None:
        if not isinstance(node.target, cst.Name):
            return
        operator = {cst.DivideAssign: cst.Divide(), cst.MultiplyAssign: cst.Multiply()}.get(
            type(node.operator), cst.Add())
        combined = cst.BinaryOperation(left=node.target, operator=operator, right=node.value)
        if divides_by_peak(combined, True, None):
            self.divided_again(node, node.target)
        self.bind(node.target, self.evaluate(combined))

    def leave_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        if type(node.operator) in (cst.Divide, cst.Multiply) and divides_by_peak(node, True, None):
            self.divided_again(node, node.left)

    # --- branches: each starts from what held before the `if` ---------------------------------

    def visit_If(self, node: cst.If) -> None:
        if self.branches and self.branches[-1][0].orelse is node:  # an `elif`
            self._next_branch()
        self.branches.append((node, dict(self.scopes[-1]), {}))

    def visit_Else(self, node: cst.Else) -> None:
        if self.branches:
            self._next_branch()

    def _next_branch(self) -> None:
        """Leaving one branch for the next: keep what it bound, start again from before."""
        _, before, bound = self.branches[-1]
        scope = self.scopes[-1]
        bound.update({k: v for k, v in scope.items() if before.get(k, _UNSET) is not v})
        scope.clear()
        scope.update(before)

    def leave_If(self, node: cst.If) -> None:
        """After the `if`: what the last branch bound, else what an earlier one did; a value
        a branch made unknown (`img = imutils.rotate(img)`) does not hide what another branch,
        or the code before, knew."""
        if not self.branches or self.branches[-1][0] is not node:
            return
        _, before, bound = self.branches.pop()
        scope = self.scopes[-1]
        for name, value in bound.items():
            if before.get(name, _UNSET) is scope.get(name, _UNSET) or scope.get(name) is None:
                scope[name] = value
        for name, value in before.items():
            if scope.get(name, _UNSET) is None and value is not None:
                scope[name] = value

    def visit_For(self, node: cst.For) -> None:
        iterable = self.evaluate(node.iter)
        self.bind(node.target, iterable.item if isinstance(iterable, (ListOf, Obj)) else None)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:  # `with np.load("mnist.npz") as data:`
            self.bind(node.asname.name, self.evaluate(node.item))

    # --- functions -----------------------------------------------------------------------------

    def block_text(self, node: cst.FunctionDef | cst.ClassDef) -> str:
        first, last = self.blocks[id(node)]
        return "\n".join(self.lines[first - 1 : last])

    def is_irrelevant(self, node: cst.FunctionDef | cst.ClassDef) -> bool:
        """A body that can add no call and no fact (screen.Relevance) is not visited."""
        text = self.block_text(node)
        if node.name.value == "__init__" and self.first_layers:
            return not self.relevance.may_set_facts(text)
        return not self.relevance.is_needed(text)

    def visit_Module(self, node: cst.Module) -> None:
        """Module functions are known by name from the start: a call above the definition
        (`main()` calling `helper` defined below it) still tells the function its arguments."""
        for statement in node.body:
            if type(statement) is cst.FunctionDef and id(statement) not in self.definitions:
                self.definitions[id(statement)] = Definition.of(statement)
                self.scopes[0][statement.name.value] = Function(None, id(statement))

    def place_block(self, node: cst.FunctionDef | cst.ClassDef) -> None:
        if self.placed is not None:
            lines, extent = self.placed.block()
            self.blocks.setdefault(id(node), lines)
            self.extents[id(node)] = extent

    def skip(self, node: cst.FunctionDef | cst.ClassDef) -> bool:
        """Not entered: what it holds is dropped from the positions still to hand out."""
        self.skipped.add(id(node))
        if self.placed is not None:
            self.placed.skip(self.extents[id(node)])
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.place_block(node)
        if self.is_irrelevant(node):
            self.scopes[-1][node.name.value] = Function(None)
            return self.skip(node)
        params = node.params
        every = [*params.posonly_params, *params.params, *params.kwonly_params]
        every += [p for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)]
        passed = self.parameters.get(id(node), {})
        scope = {p.name.value: passed.get(p.name.value) for p in every}
        if self.instances and id(node) in self.methods and every and not node.decorators:
            scope[every[0].name.value] = self.instances[-1]  # `self`
        self.scopes.append(scope)
        self.returns.append([])
        self.opened.append(len(self.sites))
        return True

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        if id(node) in self.skipped:
            return
        self.scopes.pop()
        returned = self.returns.pop()
        start = self.opened.pop()
        if not self.parameters:  # first walk: its call sites may tell what it is given
            definition = self.definitions.setdefault(id(node), Definition.of(node))
            definition.sites = (start, len(self.sites))
        self.scopes[-1][node.name.value] = Function(
            returned[0] if len(returned) == 1 else None, id(node))

    def leave_Return(self, node: cst.Return) -> None:
        if self.returns and node.value is not None:
            self.returns[-1].append(self.evaluate(node.value))

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.place_block(node)
        if self.is_irrelevant(node):
            self.scopes[-1][node.name.value] = None
            return self.skip(node)
        self.scopes.append({})
        self.first_layers.append(None)
        self.instances.append(Instance({}))
        self.methods.update(id(s) for s in node.body.body if type(s) is cst.FunctionDef)
        return True

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        if id(node) in self.skipped:
            return
        members = self.scopes.pop()
        self.instances.pop()
        first_layer = self.first_layers.pop()
        item = members.get("__getitem__")
        made: Value | None = None
        if first_layer is not None:  # a network: it takes what its first layer takes
            made = Model(first_layer)
        elif isinstance(item, Function) and item.returns is not None:
            made = Obj((), item.returns)  # a data set: a loader over it yields batches of these
        self.scopes[-1][node.name.value] = Function(made) if made is not None else None

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        """Only a lambda mapped over a data set is entered, its parameters bound to one element."""
        extent = self.placed.lambda_extent() if self.placed is not None else None
        if id(node) not in self.lambdas:
            if extent is not None:
                self.placed.skip(extent)  # type: ignore[union-attr]
            return False
        element = self.lambdas[id(node)]
        names = [p.name.value for p in node.params.params]
        if isinstance(element, Items) and len(element.items) == len(names):
            self.scopes.append(dict(zip(names, element.items)))
        else:
            self.scopes.append({name: element if len(names) == 1 else None for name in names})
        return True

    def leave_Lambda(self, node: cst.Lambda) -> None:
        if id(node) in self.lambdas:
            self.scopes.pop()

    # --- calls ---------------------------------------------------------------------------------

    def visit_Call(self, node: cst.Call) -> None:
        self.needs(node.func, precedence.PRIMARY)
        if self.placed is not None and id(node) not in self.spans:
            self.spans[id(node)] = self.placed.call(node)
        self.statement_line = self.spans[id(node)].line
        callee = self.evaluate(node.func)
        api = catalog.lookup(callee.name) if isinstance(callee, Ref) else None
        if api is not None:
            self._record(api, node)
        elif isinstance(callee, Ref) and canonical(callee.name) in estimators.FUNCTIONS:
            self.scaler_function(node, canonical(callee.name))
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "map" and node.args \
                and isinstance(node.args[0].value, cst.Lambda):
            data_set = self.evaluate(func.value)
            if isinstance(data_set, ListOf):
                self.lambdas[id(node.args[0].value)] = data_set.item

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
        elif method in MODEL_FEEDS and isinstance(receiver, Model):
            self._feed(receiver, first, node)
        elif method == "add" and isinstance(receiver, Model) and receiver.input is None \
                and isinstance(func.value, cst.Name) and first is not None:
            layer = self.evaluate(first)  # model.add(Conv2D(...)): the first layer says
            if isinstance(layer, Model) and layer.input is not None:
                self.bind(func.value, layer)
        elif method == "imshow" and isinstance(first, cst.Subscript) and isinstance(first.value, cst.Name):
            self.sinks.show(first.value.value, self.line_of(node))
        elif method in estimators.FIT_METHODS:
            self.estimator_method(node, receiver, method)
        callee = self.evaluate(func)
        if isinstance(callee, Ref):
            self._scaling_call(node, canonical(callee.name), first)
        elif isinstance(callee, Transform) and first is not None:  # `transform(image)`
            self.traced(callee, records_fact(self.evaluate(first)), self.code_of(first), node)
        if isinstance(callee, Model):
            self._feed(callee, first)
        if isinstance(callee, Function) and callee.key in self.definitions:
            definition = self.definitions[callee.key]
            definition.passed[id(node)] = definition.bind(args)
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
        site = Site(api, node, self.span_of(node), axis, axis_given, order,
                     context=self.contexts.get(id(node), precedence.ANY))
        if api.operation is Operation.STANDARDIZE_LAYER:
            self.layers[site.span] = site
            shape = args.literal("input_shape", None)
            if isinstance(shape, tuple):
                fact = models.model_input(shape, f"input_shape={shape}", self.line_of(node))
                site.input_value = Array(fact) if fact else None
                site.input_site = f"input_shape={format_shape(shape)}"
        else:
            first = api.params[0]
            site.input_node = args.node(first.name, first.position)
            if site.input_node is not None:
                site.input_value = self.evaluate(site.input_node)
        self.sites.append(site)

    def _scaling_call(self, node: cst.Call, name: str, first: cst.BaseExpression | None) -> None:
        """A pipeline, a data set with a transform, a generator, or `preprocess_input`."""
        if name in PIPELINES:
            made = self.evaluate(node)
            if isinstance(made, Transform):
                self.traced(made, scaling.pipeline_input())
        elif name in DATA_SETS_WITH_TRANSFORMS:
            self.data_set(self.evaluate(node), self.one_line(node))
        elif name == GENERATOR:
            self.generator(node)
        elif (module := scaling.preprocess_module(name)) is not None:
            self.preprocess_input(node, module)

    def _attach(self, site: Site, node: cst.BaseExpression, description: str, call: cst.Call) -> None:
        if site.input_node is None:
            site.input_node = node
            site.input_value = self.evaluate(node)
            where = self.locate(self.line_of(call), 1)
            cell = f"cell {where.cell}, " if where.cell is not None else ""
            site.input_site = f"{description} at {cell}line {where.line}"

    def _feed(self, model: Model, argument: cst.BaseExpression | None,
              call: cst.Call | None = None) -> None:
        """`model.fit(x, ..., validation_data=(x_val, y_val))`: x and x_val are batches of what
        the model takes."""
        if model.rescales is not None and call is not None and argument is not None:
            self.fed(model, self.evaluate(argument), call, self.code_of(argument))
        if model.input is None:
            return
        arguments = [argument]
        for arg in call.args if call is not None else ():
            if arg.keyword is not None and arg.keyword.value == "validation_data" \
                    and isinstance(arg.value, cst.Tuple) and arg.value.elements:
                arguments.append(arg.value.elements[0].value)
        self.sinks.feed([a.value for a in arguments if isinstance(a, cst.Name)], model.input)

    # --- the end -------------------------------------------------------------------------------

    def release(self) -> None:
        """The walk is over: break the cycles through the evaluator (it holds this builder's
        methods), which would keep both trees alive until the collector traversed them,
        several milliseconds a file; without them they go as soon as the records do."""
        self.evaluate.release()

    def calls(self) -> list[Record]:
        """Every record of the unit: the normalization calls, then the others."""
        self._revisit_called_functions()
        finish = Finisher(self.code_of, self.locate, self.sinks)
        return [*(finish(site) for site in self.sites), *self.finished_records()]

    def _revisit_called_functions(self) -> None:
        """Walk each function once more, its parameters bound to what its call sites pass
        (`preprocess(x_train)` tells `preprocess(images)` what `images` is), and take the
        sites found so. A walk again may tell the functions it calls more (`predict(image)`
        passing its own parameter on to `preprocess(image)`): up to three rounds. Module
        names are as they are at the end of the module."""
        walked: dict[int, dict[str, Value]] = {}
        for _ in range(3):
            changed = False
            for key, definition in list(self.definitions.items()):
                passed = definition.joined()
                if not passed or walked.get(key) == passed:
                    continue
                walked[key] = passed
                changed = True
                self._walk_again(definition, {key: passed})
            if not changed:
                return

    def _walk_again(self, definition: Definition, parameters: dict[int, dict[str, Value]]) -> None:
        again = FactBuilder(self.module, "\n".join(self.lines), self.relevance, self.locate,
                            self.found, parameters, self.imports)
        again.scopes = [dict(self.scopes[0])]
        again.stars = self.stars
        again.sinks = self.sinks
        again.definitions = self.definitions  # what its calls pass is recorded for the callees
        try:
            walk(definition.node, again)
            start, end = definition.sites
            if len(again.sites) != end - start:
                return  # not the same calls: keep what the first walk found
            self.sites[start:end] = again.sites
            self.layers.update(again.layers)
            known = {(type(r), r.span, r.text): i for i, r in enumerate(self.records)}
            for record in again.finished_records():  # what the function's arguments now tell
                index = known.get((type(record), record.span, record.text))
                if index is not None:
                    self.records[index] = record
        finally:
            again.release()


def build(module: cst.Module, text: str, relevance: Relevance | None = None,
          locate: Callable[[int, int], Location] | None = None,
          imports: Resolve | None = None, tree: ast.Module | None = None,
          taken_out: Slice | None = None) -> list[Record]:
    """Every record in `module` (parsed from `text`): the catalog calls with their arguments
    and input facts, the estimators' fits, the scaling steps.

    `relevance` says which function bodies to skip (computed from `text` when not given);
    `locate` turns lines of `text` into the lines a user sees (a notebook's cells).
    """
    relevance = relevance or screen_relevance(text, EVIDENCE_WORDS, *record_relevance(text))
    placed = AstPositions(tree, text, taken_out.stubbed if taken_out else [],
                          taken_out.dropped if taken_out else frozenset()) \
        if tree is not None else None
    builder = FactBuilder(module, text, relevance, locate, imports=imports, placed=placed)
    walk(module, builder)
    if placed is not None and (placed.misaligned or placed.calls):
        # A call met the wrong twin, or some were never met: place them by codegen instead.
        builder.release()
        builder = FactBuilder(module, text, relevance, locate, imports=imports)
        walk(module, builder)
    try:
        return builder.calls()
    finally:
        builder.release()
