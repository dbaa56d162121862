"""Indicator values as tidy CSV: the data files `gcmreview import` writes, and the values
the review site offers for download.

The columns Open SDG's files have, in a fixed order (Year, Series, each breakdown,
Units, Value, Source); a data file has only those used, the rows in the order the form
gave them. Every text was checked not to start as a spreadsheet formula before it got
here (gcmreview.validate.data, rule data-formula); the site's downloads check again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from gcmreview.core.indicators import SERIES, SOURCE, UNITS, VALUE, YEAR
from gcmreview.model.document import ImportedValue
from gcmreview.model.indicators import PublishedValue
from gcmreview.validate.data import FORMULA_START

INDICATOR, COUNTRY = "Indicator", "Country"
"""The columns a download adds before a data file's: which indicator, which State (its
ISO 3166-1 alpha-2 code, as the data folder names it)."""


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


def values_csv(values: Sequence[PublishedValue], breakdowns: Sequence[str]) -> str:
    """Values for download: a row per value, in the order given, and every column always
    there (Indicator, Country, then a data file's: Year, Series, each of `breakdowns`,
    Units, Value, Source), so that a file keeps its shape when values are added. UTF-8,
    a line feed after each row: the same values give the same bytes. The number is the
    data file's own text; a text cell that a spreadsheet would run as a formula gets a
    leading apostrophe, as spreadsheets mark text (the data files hold none: they are
    checked)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([INDICATOR, COUNTRY, YEAR, SERIES, *breakdowns, UNITS, VALUE, SOURCE])
    for v in values:
        given = dict(v.breakdown)
        writer.writerow([v.indicator, spreadsheet_text(v.country), v.year,
                         spreadsheet_text(v.series),
                         *(spreadsheet_text(given.get(name, "")) for name in breakdowns),
                         spreadsheet_text(v.units), v.value, spreadsheet_text(v.source)])
    return out.getvalue()


def spreadsheet_text(text: str) -> str:
    """A text cell as spreadsheets keep it text: an apostrophe before one that would run
    as a formula (= + - @)."""
    return "'" + text if text.startswith(FORMULA_START) else text

