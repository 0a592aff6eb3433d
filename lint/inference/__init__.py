"""The semantic model: what each name holds, and the catalog calls made on it.

One forward walk over a unit's libcst tree (`builder`) evaluates expressions (`evaluate`) to
values (`values`): arrays with layout, shape, dtype and range (`layouts`), models, loaders. What
an API returns is data (`contracts`); literal arguments are read by `literals`; a same-file
function's parameters are joined from its call sites (`definitions`); `axes` says what a slice
along an axis of a layout is. Data flows one way: contracts and values know nothing of the walk.

Importing this package imports nothing: libcst is loaded only by the modules that need it.
"""
