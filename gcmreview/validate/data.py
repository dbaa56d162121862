"""Checking a State's indicator data: every problem of a data file, positioned, in one run.

A data file (gcmreview.load.data) is valid when its folder is a State, its name
an indicator of the catalogue, its header has Year and Value and only known
columns, and every row a year of the cycle's range, a number, breakdown values
from the indicator's lists, no row twice and one unit per series. The valid
values become `Observation`s, the plain data every report, the form and
`progress` read.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import NamedTuple

from gcmreview.core import countries
from gcmreview.core.diagnostics import (
    Diagnostic,
    DiagnosticSink,
    Position,
    Severity,
    display_path,
    sort_diagnostics,
)
from gcmreview.core.errors import InputError, cannot_read
from gcmreview.core.i18n import _, join
from gcmreview.core.indicators import (
    AGE_BAND,
    AGE_PATTERN,
    ATTRIBUTES,
    FIRST_YEAR,
    REQUIRED,
    SERIES,
    SOURCE,
    STEM,
    UNITS,
    VALUE,
    YEAR,
    code_of,
)
from gcmreview.load.catalogue import Catalogue
from gcmreview.load.data import Cell, DataTable, data_files_in, read_data, unread_data_files_in

NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A text starting with one of these is run as a formula by spreadsheet programs when
the file is opened (CSV injection): never in a data file gcmreview reads or writes."""


class Value(NamedTuple):
    """One value of an indicator for a State: a year, a breakdown, the number."""

    year: int
    value: Decimal
    text: str
    """The number as the file writes it (12.50 keeps its two decimals)."""
    breakdown: tuple[tuple[str, str], ...] = ()
    """(breakdown, value) pairs, in the catalogue's order; () for the total."""
    units: str = ""
    series: str = ""
    source: str = ""
    line: int = 0


@dataclass
class DataResult:
    """A data file checked: its State, indicator and values, and every problem found."""

    path: Path
    shown_as: str
    country: str | None
    indicator: str | None
    values: tuple[Value, ...] = ()
    breakdowns: tuple[str, ...] = ()
    """The breakdown columns the file has, in the catalogue's order."""
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted({v.year for v in self.values}))


@dataclass(frozen=True)
class StateData:
    """A State's data files, checked: what reports show of it."""

    values: dict[str, DataResult] = field(default_factory=dict)
    """Valid files, by indicator."""
    invalid: dict[str, DataResult] = field(default_factory=dict)
    """Files with errors, by indicator: left out, with a note."""


@dataclass
class DataSet:
    """Every data file of a workspace, checked."""

    results: list[DataResult] = field(default_factory=list)
    unread: list[Diagnostic] = field(default_factory=list)
    _sorted_out: tuple[int, dict[str, StateData]] | None = field(
        default=None, init=False, repr=False, compare=False)

    def of(self, country: str) -> StateData:
        return self._states().get(country) or StateData()

    def _states(self) -> dict[str, StateData]:
        """Each State's files, sorted out once (every report asks, the regional one for
        every State); made again if files were added since."""
        if self._sorted_out is None or self._sorted_out[0] != len(self.results):
            states: dict[str, StateData] = {}
            for r in self.results:
                if r.country and r.indicator:
                    state = states.setdefault(r.country, StateData({}, {}))
                    (state.values if r.valid else state.invalid)[r.indicator] = r
            self._sorted_out = (len(self.results), states)
        return self._sorted_out[1]

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return sort_diagnostics([*(d for r in self.results for d in r.diagnostics),
                                 *self.unread])

    @property
    def countries(self) -> list[str]:
        return sorted({r.country for r in self.results if r.country})


@dataclass(frozen=True)
class DataOptions:
    cycle: int
    """Years from FIRST_YEAR to the cycle's own are the cycle's range."""
    participants: tuple[str, ...] | None = None


def shown_path(path: Path, folders: dict[Path, str] | None = None) -> str:
    """A data file as messages name it: the link itself, not what a link points to.
    `folders`: the folders already shown, by path (a State's files share one, and
    resolving it is most of the time this takes)."""
    folder = folders.get(path.parent) if folders is not None else None
    if folder is None:
        folder = display_path(path.parent)
        if folders is not None:
            folders[path.parent] = folder
    return path.name if folder == "." else f"{folder}/{path.name}"


def check_data_files(paths: list[Path], catalogue: Catalogue, options: DataOptions) -> DataSet:
    """Check data files named one by one."""
    found = DataSet()
    folders: dict[Path, str] = {}
    for path in paths:
        shown = shown_path(path, folders)
        if not path.exists() and not path.is_symlink():
            raise InputError(_("{path}: there is no such file or folder").format(path=shown))
        try:
            table = read_data(path, shown)
        except OSError as exc:
            raise cannot_read(shown, exc) from exc
        found.results.append(check_table(table, catalogue, options))
    return found


def check_data_folder(folder: Path, catalogue: Catalogue, options: DataOptions,
                      state: str | None = None) -> DataSet:
    """Check every data file of the workspace's data folder, or (`state`) of one State's
    folder in it."""
    if state is not None:
        files = sorted(p for p in folder.iterdir() if p.suffix == ".csv"
                       and STEM.fullmatch(p.stem)) if folder.is_dir() and \
            not folder.is_symlink() else []
        return check_data_files(files, catalogue, options)
    return DataChecker(folder, catalogue, options).everything()


def _unread(folder: Path) -> list[Diagnostic]:
    return [Diagnostic(
        shown_path(path), Position(), Severity.WARNING, "file-not-read",
        _("{file} is not read: data files are named after the indicator's code, with "
          "dashes, and end in .csv, in the State's folder").format(file=path.name),
        _("rename it to {name}").format(name=name))
        for path, name in unread_data_files_in(folder)]


class DataChecker:
    """The data folder's files, each checked once, when first needed: a State's report
    needs its own only, so a build's first report does not wait for every State's."""

    def __init__(self, folder: Path, catalogue: Catalogue, options: DataOptions) -> None:
        self.folder = folder
        self.catalogue = catalogue
        self.options = options
        self.files = data_files_in(folder)
        self._by_state: dict[str, list[Path]] = {}
        for path in self.files:
            self._by_state.setdefault(path.parent.name, []).append(path)
        self._results: dict[Path, DataResult] = {}
        self._everything: DataSet | None = None

    def _checked(self, paths: list[Path]) -> list[DataResult]:
        todo = [p for p in paths if p not in self._results]
        if todo:
            found = check_data_files(todo, self.catalogue, self.options)
            self._results.update(zip(todo, found.results, strict=True))
        return [self._results[p] for p in paths]

    def state(self, code: str) -> StateData:
        """The files of one State's folder."""
        return DataSet(self._checked(self._by_state.get(code, []))).of(code)

    def everything(self) -> DataSet:
        """Every file, and those of the folder that are not read."""
        if self._everything is None:
            self._everything = DataSet(self._checked(self.files), _unread(self.folder))
        return self._everything


def check_table(table: DataTable, catalogue: Catalogue, options: DataOptions) -> DataResult:
    sink = DiagnosticSink(table.shown_as)
    sink.items.extend(table.diagnostics)
    if any(d.code == "not-a-regular-file" for d in table.diagnostics):
        return DataResult(table.path, table.shown_as, None, None, diagnostics=sink.items)
    code = code_of(table.stem)
    country = table.country if countries.is_country_code(table.country) else None
    result = DataResult(table.path, table.shown_as, country, code if code in
                        catalogue.indicators else None)
    if country is None:
        sink.error(Position(), "unknown-country",
                   _("the folder “{name}” is not a State's ISO 3166-1 alpha-2 code").format(
                       name=table.country),
                   _("put each State's data files in a folder named after its code, in "
                     "capitals: data/MA/10-7-1.csv"))
    elif options.participants is not None and country not in options.participants:
        sink.warning(Position(), "not-a-participant",
                     _("{code} is not among the participants in gcmreview.yaml").format(
                         code=country),
                     _("ask the secretariat to add it to `participants`, or check the "
                       "folder's name"))
    if result.indicator is None:
        shown = code or table.stem
        sink.error(Position(), "unknown-indicator",
                   _("“{name}” is not an indicator of the catalogue").format(name=shown)
                   + _did_you_mean(shown, catalogue.indicators),
                   _("name the file after the indicator's code, dots written as dashes "
                     "(10-7-1.csv for 10.7.1); a national indicator is added to the "
                     "workspace's catalogue file first"))
    if table.readable and result.indicator is not None:
        _check_rows(table, result, catalogue, options, sink)
    result.diagnostics = sink.items
    if not result.valid:
        result.values = ()
    return result


def _did_you_mean(code: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(code, list(known), n=1, cutoff=0.6)
    return _(" (did you mean {code}?)").format(code=close[0]) if close else ""


def _check_rows(table: DataTable, result: DataResult, catalogue: Catalogue,
                options: DataOptions, sink: DiagnosticSink) -> None:
    assert result.indicator is not None
    allowed = catalogue.breakdowns_of(result.indicator)
    columns: dict[str, int] = {}
    for i, cell in enumerate(table.header):
        name = cell.text.strip()
        if not name:
            if any(row[i].text.strip() for row in table.rows):
                sink.error(cell.position, "data-column",
                           _("this column has values but no name"),
                           _("name it in the header line, or remove it"))
            continue
        if name in columns:
            sink.error(cell.position, "data-column",
                       _("the column “{name}” appears twice").format(name=name),
                       _("keep one column of each name"))
            continue
        if name not in REQUIRED and name not in ATTRIBUTES and name not in allowed:
            known = [*REQUIRED, *ATTRIBUTES, *allowed]
            sink.error(cell.position, "data-disaggregation",
                       _("“{name}” is not a breakdown of indicator {code}").format(
                           name=name, code=result.indicator) + _did_you_mean(name, known),
                       _("the columns of a data file are {columns}; a catalogue file may add "
                         "breakdowns to an indicator").format(columns=join(known)))
            continue
        columns[name] = i
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        sink.error(table.header[0].position, "data-column",
                   _("the header has no column {names}").format(names=join(missing)),
                   _("a data file's header names at least Year and Value: Year,Value"))
        return
    breakdowns = tuple(name for name in allowed if name in columns)
    result.breakdowns = breakdowns
    first_row: dict[tuple[object, ...], int] = {}
    units_of: dict[tuple[object, ...], tuple[str, int]] = {}
    values: list[Value] = []
    for row in table.rows:
        year_cell, value_cell = row[columns[YEAR]], row[columns[VALUE]]
        problems = len(sink.items)
        year = _year(year_cell, options, sink)
        number = _number(value_cell, sink)
        picked: list[tuple[str, str]] = []
        for name in breakdowns:
            cell = row[columns[name]]
            text = cell.text.strip()
            if not text:
                continue
            if _formula(cell, sink):
                continue
            if not _in_list(text, allowed[name]):
                listed = allowed[name]
                sink.error(cell.position, "data-disaggregation",
                           _("“{value}” is not a value of the breakdown “{name}”").format(
                               value=text, name=name)
                           + (_did_you_mean(text, listed) if isinstance(listed, tuple) else ""),
                           _("write one of {values}, or leave it empty for the total").format(
                               values=join(list(listed))) if isinstance(listed, tuple) else
                           _("write an age band: 15-24, 65+ or <5, or leave it empty for "
                             "the total"))
                continue
            picked.append((name, text))
        attributes = {}
        for name in ATTRIBUTES:
            if name in columns:
                cell = row[columns[name]]
                attributes[name] = "" if _formula(cell, sink) else " ".join(cell.text.split())
        if len(sink.items) > problems or year is None or number is None:
            continue
        key = (year, attributes.get(SERIES, ""), tuple(picked))
        if key in first_row:
            sink.error(year_cell.position, "data-duplicate-row",
                       _("this row repeats the year and breakdown of line {line}").format(
                           line=first_row[key]),
                       _("keep one row per year and breakdown: delete one of the two, or "
                         "correct its year"))
            continue
        first_row[key] = year_cell.line
        series_key = (attributes.get(SERIES, ""), tuple(picked))
        units = attributes.get(UNITS, "")
        if series_key in units_of and units_of[series_key][0] != units:
            before, line = units_of[series_key]
            sink.error(row[columns[UNITS]].position, "data-unit-changed",
                       _("the unit changes from “{before}” (line {line}) to “{after}”: a series "
                         "keeps one unit across its years").format(
                           before=before, line=line, after=units),
                       _("convert the values to one unit, or give the other unit a series of "
                         "its own (a Series column)"))
            continue
        units_of.setdefault(series_key, (units, value_cell.line))
        values.append(Value(year, number, value_cell.text.strip(), tuple(picked), units,
                            attributes.get(SERIES, ""), attributes.get(SOURCE, ""),
                            year_cell.line))
    if not table.rows:
        sink.warning(table.header[0].position, "data-empty",
                     _("the file has a header but no values"),
                     _("add a line per year, or delete the file"))
    result.values = tuple(sorted(values, key=lambda v: (v.series, v.breakdown, v.year)))


def _in_list(text: str, listed: tuple[str, ...] | str) -> bool:
    if listed == AGE_BAND:
        return bool(AGE_PATTERN.fullmatch(text))
    return text in listed


def _formula(cell: Cell, sink: DiagnosticSink) -> bool:
    text = cell.text
    if text.startswith(FORMULA_START):
        sink.error(cell.position, "data-formula",
                   _("“{text}” starts with “{sign}”, which spreadsheet programs run as a "
                     "formula when the file is opened").format(text=text.strip()[:40],
                                                                sign=text[:1].strip() or
                                                                _("a tab")),
                   _("remove the sign, or write the text otherwise (“minus 5” for -5 in a "
                     "text column)"))
        return True
    return False


def _year(cell: Cell, options: DataOptions, sink: DiagnosticSink) -> int | None:
    text = cell.text.strip()
    if not re.fullmatch(r"\d{4}", text):
        sink.error(cell.position, "data-not-a-number",
                   _("“{text}” is not a year").format(text=text[:40]) if text else
                   _("the year is missing"),
                   _("write one year in four digits, such as 2021; a period (2020-2021) is "
                     "written as the year it ends"))
        return None
    year = int(text)
    if not FIRST_YEAR <= year <= options.cycle:
        sink.error(cell.position, "data-year-out-of-range",
                   _("{year} is outside this cycle's range, {first} to {last}").format(
                       year=year, first=FIRST_YEAR, last=options.cycle),
                   _("data years run from {first} (the 2030 Agenda) to the review cycle's "
                     "year; check the year").format(first=FIRST_YEAR))
        return None
    return year


MAX_DIGITS = 15
"""Significant digits, and powers of ten, a value may have: a double holds 15, and
formatting more (1.0000000000000000000000000001, 1e28) failed in the reports."""


def _number(cell: Cell, sink: DiagnosticSink) -> Decimal | None:
    text = cell.text.strip()
    if NUMBER.fullmatch(text):
        try:
            value = Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern is Decimal's syntax
            value = None
        if value is not None and value.is_finite():
            if len(value.as_tuple().digits) > MAX_DIGITS or abs(value.adjusted()) > MAX_DIGITS:
                sink.error(cell.position, "data-not-a-number",
                           _("“{text}” has more digits than a report can show (at most "
                             "{most})").format(text=text[:40], most=MAX_DIGITS),
                           _("round it: a statistic needs no more"))
                return None
            return value
    if _formula(cell, sink):
        return None
    if not text:
        message, hint = _("the value is missing"), _("write the number, or leave the row "
                                                     "out: a year without a value has no row")
    elif re.fullmatch(r"[+-]?\d+,\d+", text):
        message = _("“{text}” is not a number as data files write them").format(text=text)
        hint = _("write the decimals after a point: {number}").format(
            number=text.replace(",", "."))
    elif re.fullmatch(r"[+-]?\d{1,3}([ ,\u00a0\u202f]\d{3})+(\.\d+)?", text):
        message = _("“{text}” is not a number as data files write them").format(text=text)
        hint = _("write it without separators between thousands: {number}").format(
            number=re.sub(r"[ ,\u00a0\u202f]", "", text))
    else:
        message = _("“{text}” is not a number").format(text=text[:40])
        hint = _("write the number alone (12.5); a unit goes in the Units column, a note "
                 "in the review")
    sink.error(cell.position, "data-not-a-number", message, hint)
    return None
