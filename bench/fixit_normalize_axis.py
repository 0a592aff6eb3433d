"""The Fixit rule the benchmark times: `$M.normalize($X, axis=$A)`, as the semgrep rule."""

import fixit
import libcst.matchers as m

_CALL = m.Call(
    func=m.Attribute(attr=m.Name("normalize")),
    args=[m.Arg(keyword=None), m.Arg(keyword=m.Name("axis"))],
)


class NormalizeAxis(fixit.LintRule):
    MESSAGE = "normalize called with an axis"

    def visit_Call(self, node):
        if m.matches(node, _CALL):
            self.report(node)
