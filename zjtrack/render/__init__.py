"""Renderers, one module per output format, for views and reports alike: each takes a
`table.Table` (or a report of them) and returns text or bytes. Only here is rich used, and only
here is user text escaped for its destination."""

# zjtrack's mark in the files it writes, by which `-o` knows a file it may replace
# (store/outputs.py): Markdown ends with MD_MARK, HTML carries HTML_MARK in its head, and docx and
# xlsx name zjtrack in their core properties (render/docx.py, render/xlsx.py).
MD_MARK = "<!-- zjtrack -->"
HTML_MARK = '<meta name="generator" content="zjtrack">'
