"""Units' figures in and out as Excel/WPS forms (报送表), one module per stage of the weekly cycle:

- `period`   the reporting period (a week or a month), its cut-off and the day returns are due;
- `form`     what one unit's form for one period holds (rows, locked content, its checksum);
- `write`    the form as an xlsx workbook (locked cells, validation, instructions) or as CSV;
- `read`     a returned file read back and verified cell by cell (xlsx or CSV), nothing trusted;
- `intake`   returned rows as progress records, checked with `record`'s rules, archived, appended;
- `receipt`  the 回执 per unit (Markdown and docx): what was taken, what was refused and why;
- `reported` who has reported for a period (报送情况), on time, late or not at all;
- `remind`   the reminder to each unit, in text and robot Markdown, and posting it to a webhook.

Pure like the rest of the core: no clock (the period comes from the CLI's as-of date), no printing.
openpyxl is imported only inside the functions that read or write xlsx.
"""
