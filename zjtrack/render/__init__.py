"""Renderers, one module per output format, for views and reports alike: each takes a
`table.Table` (or a report of them) and returns text or bytes. Only here is rich used, and only
here is user text escaped for its destination."""

# zjtrack's mark in the files it writes, by which `-o` knows a file it may replace
# (store/outputs.py): Markdown ends with MD_MARK, HTML carries HTML_MARK in its head, and docx and
# xlsx name zjtrack in their core properties (render/docx.py, render/xlsx.py).
MD_MARK = "<!-- zjtrack -->"
HTML_MARK = '<meta name="generator" content="zjtrack">'

# zlib level of docx and xlsx members. Level 2 is deflate's fast strategy (levels 1-3): at a
# province (a 38 MB document.xml, a 12 MB sheet) it compresses 2.4x and 3.2x faster than the
# default 6 (52 against 127 ms, 37 against 118 ms) for files 46% and 30% larger (1.05 against
# 0.72 MB, 1.43 against 1.10 MB); a city's reports stay a few tens of KB either way.
ZIP_LEVEL = 2
