"""The semantic model: what each name holds, and the catalog calls made on it.

One forward walk over a unit's libcst tree (`builder`) evaluates expressions (`evaluate`) to
values (`values`): arrays with layout, shape, dtype and range (`layouts`), models, loaders. What
an API returns is data (`contracts`, whose rows name effects in `effects`, `sources` and
`models`); literal arguments are read by `literals`; a same-file function's parameters are
joined from its call sites (`definitions`); functions of the project's other modules are
summarized (`imports`, `summaries`); what the code does later with a name is backward evidence
(`sinks`); each catalog call met is a `Site` finished into a NormCall (`sites`); the other
records (an estimator's fits, the steps that scale pixels) are made by `records`, from what
`estimators` and `scaling` know of those APIs (their plain data, which the rules read too, is
in `knowledge`); `contexts` records how tightly each call's place binds (for fixes); `axes`
says what a slice along an axis of a layout is. Data flows one way: contracts and values know
nothing of the walk.

Importing this package imports nothing: libcst is loaded only by the modules that need it.
"""
