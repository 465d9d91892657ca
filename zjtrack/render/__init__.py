"""Renderers: each takes a view (plain data from the core) and returns text. Only here are
rich and tabulate used, and only here is user text escaped for its destination."""
