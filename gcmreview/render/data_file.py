"""Data files written by `gcmreview import`: an indicator's values as a tidy CSV file.

The columns Open SDG's files have, in a fixed order (Year, Series, each breakdown,
Units, Value, Source), only those used; the rows in the order the form gave them.
Every text was checked not to start as a spreadsheet formula before it got here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from gcmreview.core.indicators import SERIES, SOURCE, UNITS, VALUE, YEAR
from gcmreview.model.document import ImportedValue


def canonical_csv(values: Sequence[ImportedValue], breakdowns: Sequence[str]) -> str:
    """The values as a data file: `breakdowns` are the indicator's, in the catalogue's
    order."""
    names = [b for b in breakdowns if any(dict(v.breakdown).get(b) for v in values)]
    series = any(v.series for v in values)
    units = any(v.units for v in values)
    source = any(v.source for v in values)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([YEAR, *([SERIES] if series else []), *names, *([UNITS] if units else []),
                     VALUE, *([SOURCE] if source else [])])
    for v in values:
        given = dict(v.breakdown)
        writer.writerow([v.year, *([v.series] if series else []),
                         *(given.get(n, "") for n in names), *([v.units] if units else []),
                         v.text, *([v.source] if source else [])])
    return out.getvalue()
