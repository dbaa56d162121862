"""Indicators and their data files: codes, file names, the columns of a data file.

A State's values for an indicator are a tidy CSV file, as Open SDG keeps them:
`data/<CC>/10-7-1.csv`, one row per year (and breakdown), with the columns
Year and Value, optionally Units, Series and Source, and a column per breakdown
(Sex, Age, Migratory status). Every step reads these names from here.
"""

from __future__ import annotations

import re

from gcmreview.core.i18n import N_

CODE = re.compile(r"[0-9A-Za-z]{1,12}(?:\.[0-9A-Za-z]{1,12}){1,4}")
"""An indicator's code: `10.7.1`, `10.c.1`, or a workspace's own (`MA.2.1`)."""
STEM = re.compile(r"[0-9A-Za-z]{1,12}(?:-[0-9A-Za-z]{1,12}){1,4}")
"""The code as a file name has it: `10-7-1` (Open SDG writes dots as dashes)."""
LOOKALIKE = re.compile(r"[0-9A-Za-z]{1,12}(?:[._ ][0-9A-Za-z]{1,12}){1,4}\.csv|"
                       r"[0-9A-Za-z]{1,12}(?:-[0-9A-Za-z]{1,12}){1,4}\.(?:CSV|txt|csv\.txt)",
                       re.IGNORECASE)
"""A file meant as a data file but named otherwise: `10.7.1.csv`, `10-7-1.CSV`,
`10-7-1.csv.txt` (Windows hides the last ending)."""

YEAR, VALUE, UNITS, SERIES, SOURCE = "Year", "Value", "Units", "Series", "Source"
REQUIRED = (YEAR, VALUE)
ATTRIBUTES = (UNITS, SERIES, SOURCE)
"""Columns that describe a value rather than break it down."""
AGE_BAND = "age-band"
"""The value list of a breakdown whose values are age bands (15-24, 65+, <5)."""
AGE_PATTERN = re.compile(r"<\d{1,3}|\d{1,3}-\d{1,3}|\d{1,3}\+")

FIRST_YEAR = 2015
"""Data years start with the 2030 Agenda (A/RES/70/1, September 2015), whose global
indicators the catalogue holds; the last is the review cycle's own year."""

LABELS: dict[str, str] = {
    "Sex": N_("Sex"),
    "Female": N_("Female"),
    "Male": N_("Male"),
    "Age": N_("Age"),
    "Migratory status": N_("Migratory status"),
    "Migrant": N_("Migrants"),
    "Non-migrant": N_("Non-migrants"),
}
"""The built-in breakdowns and their values in words (message ids); a workspace's own
are shown as written."""

UNIT_LABELS: dict[str, str] = {
    "Percent": N_("Per cent"),
    "Number": N_("Number"),
    "Per 100,000 population": N_("Per 100,000 population"),
    "Per 100,000 workers": N_("Per 100,000 workers"),
    "Index": N_("Index"),
    "United States dollars": N_("United States dollars"),
}
"""Units written as these codes in a data file's Units column are shown in the report's
language, and compare equal across States; any other unit is shown as written."""


def file_stem(code: str) -> str:
    """`10.7.1` -> `10-7-1`: the name of its data file, without `.csv`."""
    return code.replace(".", "-")


def code_of(stem: str) -> str | None:
    """`10-7-1` -> `10.7.1`; None for a name that is no indicator's."""
    return stem.replace("-", ".") if STEM.fullmatch(stem) else None


def sort_key(code: str) -> tuple[tuple[int, int | str], ...]:
    """Indicators in the framework's order: 8.8.1 before 10.7.1, 10.7.1 before 10.c.1."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in code.split("."))
