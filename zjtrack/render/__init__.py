"""Renderers, one module per output format, for views and reports alike: each takes a
`table.Table` (or a report of them) and returns text or bytes. Only here is rich used, and only
here is user text escaped for its destination."""
