"""Indicators in a report: a State's values as a table and a chart, the region's latest.

Plain data from the checked data files (gcmreview.validate.data) and the catalogue,
in one report language: every number formatted here, every label translated here,
every chart specified here (gcmreview.model.figures.Chart) and drawn alike for HTML,
DOCX and PDF by the convert step. Also what `progress` says of the values since an
earlier cycle, and the values a site publishes for download (`published_values`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from gcmreview.core.i18n import Formatter
from gcmreview.core.indicators import LABELS, UNIT_LABELS, file_stem, sort_key
from gcmreview.core.languages import direction
from gcmreview.load.catalogue import Catalogue, Indicator, Link
from gcmreview.model.figures import Chart
from gcmreview.model.text import Phrase, Text
from gcmreview.validate.data import DataResult, DataSet, Value

MAX_SERIES_IN_CHART = 8
"""More lines than this are no longer told apart: the table then stands alone."""
MAX_BARS = 40
"""A bar per State fits a page up to about this many; a larger region has the table."""
MAX_WIDE_COLUMNS = 5
"""A year per row and a column per series while it fits a page; else a row per value."""

Key = tuple[str, tuple[tuple[str, str], ...]]
"""A series of a data file: its Series code and its breakdown, () for the total."""


def decimals(text: str) -> int:
    """How many decimals a value is written with: "12.50" keeps two."""
    exponent = Decimal(text).as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def show(fmt: Formatter, value: Value) -> str:
    """A value as the report's language writes it, with the file's decimals: 12,50."""
    return _shown(fmt.lang, value.text, value.value)


@lru_cache(maxsize=1 << 16)
def _shown(lang: str, text: str, number: Decimal) -> str:
    """Each value is shown in several places (its State's table and chart, the region's,
    the site): formatted once per language, as babel's pattern "#,##0.00" (with the
    file's decimals) writes it, from the language's symbols: 1.8 µs a value against
    5.5 µs for babel's (13,500 values in a 193-State build with five indicators over ten
    years); tests/test_indicators.py holds the two to the same text."""
    decimal_symbol, group_symbol = _symbols(lang)
    whole, _point, fraction = f"{abs(number):.{decimals(text)}f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", group_symbol)
    return ("-" if number.is_signed() else "") + grouped + (
        decimal_symbol + fraction if fraction else "")


@lru_cache(maxsize=8)
def _symbols(lang: str) -> tuple[str, str]:
    """The language's decimal and group symbols (CLDR, through babel)."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    return get_decimal_symbol(lang), get_group_symbol(lang)


def years_text(years: Sequence[int]) -> str:
    """2021, or 2021–2023: the years a source covers."""
    if not years:
        return ""
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]}"


@dataclass(frozen=True)
class Table:
    header: Sequence[str]
    rows: Sequence[Sequence[str | Text]]
    """Plain text in the report's language, or text in the language of the data."""
    numeric: Sequence[bool]
    """Which columns hold numbers (aligned right)."""


@dataclass(frozen=True)
class IndicatorView:
    """One indicator of one State, under an objective or among the other indicators."""

    code: str
    title: Text
    link: Text | Phrase | None = None
    """Who links it to the objective it is shown under (None among the others)."""
    by_workspace: bool = False
    table: Table | None = None
    unit: Text | None = None
    """The unit of every value, when they share one (else a column of the table)."""
    sources: list[Text] = field(default_factory=list)
    figure: str | None = None
    """The name of its chart among the report's figures."""
    alt: str = ""
    latest: str = ""
    """The latest value and year, in words: “12.5 (2023)”."""
    note: str = ""
    """Why there is no table: no data, or a data file with errors."""
    objectives: list[int] = field(default_factory=list)
    """The objectives it is linked to (for the other indicators)."""
    chart: Chart | None = None
    """The chart of its values, placed as `figure`."""
    caption: str = ""
    """The title of its table, and of its chart: “Indicator 10.7.1, Morocco”."""


class IndicatorBuilder:
    """Views and charts of indicators in one report language."""

    def __init__(self, catalogue: Catalogue, fmt: Formatter) -> None:
        self.catalogue = catalogue
        self.fmt = fmt
        self.lang = fmt.lang
        self.t = fmt.gettext

    def ui(self, text: str) -> Text:
        return Text(text, self.lang, direction(self.lang))

    def title(self, indicator: Indicator) -> Text:
        label = indicator.title(self.lang)
        return Text(label.text, label.lang, direction(label.lang), label.fallback)

    def link_note(self, link: Link) -> Text | Phrase:
        if link.by_workspace:
            return self.ui(self.t("Linked to this objective for this review, not by a public "
                                  "source."))
        text, lang = link.source_in(self.lang)
        return Phrase(self.t("Linked to this objective by: {source}."),
                      {"source": Text(text, lang, direction(lang))})


    def unit(self, unit: str, lang: str) -> Text:
        """A unit in words: a known code in the report's language, else as written (in the
        language of the review the data go with)."""
        if unit in UNIT_LABELS:
            return self.ui(self.t(UNIT_LABELS[unit]))
        return Text(unit, lang, direction(lang))

    def unit_words(self, unit: str) -> str:
        return self.unit(unit, self.lang).text if unit else ""

    def label(self, key: Key) -> str:
        """A series in words: “Female”, “Female, 15-24”, “Total”."""
        series, breakdown = key
        words = [self.t(LABELS[v]) if v in LABELS else v for _name, v in breakdown]
        if series:
            words.insert(0, series)
        return self.fmt.join(words) if words else self.t("Total")

    def series(self, result: DataResult) -> dict[Key, list[Value]]:
        """The file's values by series, the total first, each by year."""
        out: dict[Key, list[Value]] = {}
        for value in sorted(result.values, key=lambda v: (v.series, len(v.breakdown),
                                                         v.breakdown, v.year)):
            out.setdefault((value.series, value.breakdown), []).append(value)
        return out

    def view(self, code: str, result: DataResult | None, *, link: Link | None = None,
             invalid: DataResult | None = None, figure: str | None = None,
             source_lang: str = "en", state: str = "") -> IndicatorView:
        indicator = self.catalogue.indicator(code)
        base = IndicatorView(code, self.title(indicator),
                             self.link_note(link) if link is not None else None,
                             link.by_workspace if link is not None else False,
                             objectives=list(indicator.objectives))
        if invalid is not None:
            return _with(base, note=self.t("The data file {file} has errors, so its values "
                                           "are left out: `gcmreview validate` lists them.")
                         .format(file=invalid.shown_as))
        if result is None or not result.values:
            return _with(base, note=self.t("No data reported for this indicator."))
        series = self.series(result)
        units = {v.units for v in result.values}
        one_unit = len(units) == 1
        years = sorted({v.year for v in result.values})
        if one_unit and len(series) <= MAX_WIDE_COLUMNS:
            by_year = {key: {v.year: v for v in values} for key, values in series.items()}
            header = [self.t("Year"), *(self.label(key) for key in series)] \
                if len(series) > 1 or first_key(series)[1] or first_key(series)[0] \
                else [self.t("Year"), self.t("Value")]
            rows = [[str(year), *(show(self.fmt, by_year[key][year]) if year in by_year[key]
                                  else "–" for key in series)] for year in years]
            table = Table(header, rows, [False, *([True] * len(series))])
        else:
            header = [self.t("Year"), self.t("Series"), self.t("Value"), self.t("Unit")]
            rows = [[str(v.year), self.label(key), show(self.fmt, v),
                     self.unit(v.units, source_lang).text if v.units else "–"]
                    for key, values in series.items() for v in values]
            table = Table(header, rows, [False, False, True, False])
        unit_text = next(iter(units)) if one_unit else ""
        last = series[first_key(series)][-1]
        latest = self.t("{value} in {year}").format(value=show(self.fmt, last), year=last.year)
        chart = self.chart(code, result, state) if figure else None
        return _with(base, table=table, caption=self.caption(code, state),
                     unit=self.unit(unit_text, source_lang) if unit_text else None,
                     sources=self.sources(result.values, source_lang),
                     figure=figure if chart is not None else None,
                     alt=chart.alt if chart is not None else "", latest=latest, chart=chart)

    def sources(self, values: Iterable[Value], lang: str) -> list[Text]:
        """Each source named in the file, with the years it covers."""
        years: dict[str, list[int]] = {}
        for v in values:
            years.setdefault(v.source, []).append(v.year)
        out = []
        for source, covered in years.items():
            span = years_text(sorted(set(covered)))
            if source:
                out.append(Text(f"{source}, {span}", lang, direction(lang)))
            else:
                out.append(self.ui(self.t("not named in the data file ({years})").format(
                    years=span)))
        return out

    def caption(self, code: str, state: str) -> str:
        shown = isolated(code, self.lang)
        return self.t("Indicator {code}, {state}").format(code=shown, state=state) if state \
            else self.t("Indicator {code}").format(code=shown)

    def chart(self, code: str, result: DataResult, state: str) -> Chart | None:
        """A State's values: a line per series over the years, or bars for one year."""
        series = self.series(result)
        first_unit = next(iter(series.values()))[0].units
        series = {k: v for k, v in series.items() if v[0].units == first_unit}
        if len(series) > MAX_SERIES_IN_CHART:
            return None
        t, fmt = self.t, self.fmt
        years = sorted({v.year for values in series.values() for v in values})
        shown = isolated(code, self.lang)
        title = self.caption(code, state)
        note = self.chart_note(result.values, first_unit)
        if len(years) == 1:
            keys = list(series)
            cats = [self.label(k) for k in keys]
            numbers: list[float | None] = [float(series[k][0].value) for k in keys]
            labels = [show(fmt, series[k][0]) for k in keys]
            alt = t("Bar chart of indicator {code} in {year}: {values}.").format(
                code=shown, year=years[0], values=fmt.semicolons(
                    [f"{c}{_colon(self.lang)} {v}" for c, v in zip(cats, labels, strict=True)]))
            return Chart(title, "bars", cats, [("", numbers)], [labels],
                         first_unit, note, self.lang, direction(self.lang) == "rtl",
                         alt + _unit_sentence(t, self.unit_words(first_unit)))
        lines: list[tuple[str, list[float | None]]] = []
        texts: list[list[str]] = []
        described = []
        for key, values in series.items():
            at = {v.year: v for v in values}
            lines.append((self.label(key), [float(at[y].value) if y in at else None
                                            for y in years]))
            texts.append([show(fmt, at[y]) if y in at else "" for y in years])
            described.append(f"{self.label(key)}{_colon(self.lang)} " + fmt.join(
                [f"{y} {show(fmt, at[y])}" for y in years if y in at]))
        alt = t("Line chart of indicator {code}, {first} to {last}: {values}.").format(
            code=shown, first=years[0], last=years[-1], values=fmt.semicolons(described))
        return Chart(title, "line", [str(y) for y in years], lines, texts, first_unit, note,
                     self.lang, direction(self.lang) == "rtl",
                     alt + _unit_sentence(t, self.unit_words(first_unit)))

    def chart_note(self, values: Iterable[Value], unit: str) -> str:
        """The unit; the sources are said under the chart, in the text."""
        return self.t("Unit: {unit}").format(unit=self.unit_words(unit)) if unit else ""


def first_key(series: dict[Key, list[Value]]) -> Key:
    return next(iter(series))


def _colon(lang: str) -> str:
    return "\u00a0:" if lang == "fr" else ":"


def _unit_sentence(t: Callable[[str], str], unit: str) -> str:
    return " " + t("Unit: {unit}").format(unit=unit) + "." if unit else ""


def _with(view: IndicatorView, **changes: object) -> IndicatorView:
    from dataclasses import replace

    return replace(view, **changes)  # type: ignore[arg-type]


def isolated(code: str, lang: str) -> str:
    """A code read left to right (10.c.1) in a right-to-left text: isolated, or the
    bidirectional algorithm shows “c.1.10”."""
    return f"\u2066{code}\u2069" if direction(lang) == "rtl" else code


def figure_name(code: str) -> str:
    return f"indicator-{file_stem(code)}"


# --- the region: per indicator, the latest value of each State ---------------------------

@dataclass(frozen=True)
class Latest:
    state: str
    year: int
    value: str
    series: str
    """The breakdown in words when the State gives no total ("" for a total)."""
    unit: Text
    source: Text
    number: float
    code: str = ""
    """The State's code (the site links its page)."""


@dataclass(frozen=True)
class IndicatorDigest:
    code: str
    title: Text
    objectives: list[tuple[int, Text, bool]]
    """(objective, its short title, linked by the workspace rather than a public source)."""
    rows: list[Latest]
    without: list[str]
    """States of the report with no value for it."""
    left_out: list[str] = field(default_factory=list)
    """States whose data file for it has errors."""
    figure: str | None = None
    alt: str = ""
    note: str = ""
    """Why there is no chart."""
    caption: str = ""
    """The title of its table, and of its chart (`latest_caption`)."""
    unit: str = ""
    """The chart's unit, in words (“Unit: …”), said under it."""
    table: Table | None = None
    """The rows as a table (`latest_table`)."""


def latest_values(builder: IndicatorBuilder, result: DataResult, state: str,
                  lang: str, code: str = "") -> list[Latest]:
    """The State's latest total; without a total, the latest of each series. `state`: its
    name, `code`: its code, `lang`: the language its data's words (units, sources) are in."""
    series = builder.series(result)
    totals = {k: v for k, v in series.items() if not k[1]}
    chosen = totals or series
    out = []
    for key, values in chosen.items():
        last = values[-1]
        out.append(Latest(state, last.year, show(builder.fmt, last),
                          "" if not key[1] and not key[0] else builder.label(key),
                          builder.unit(last.units, lang) if last.units else Text("", lang, "ltr"),
                          Text(last.source, lang, direction(lang)), float(last.value), code))
    return out


def latest_table(t: Callable[[str], str], rows: list[Latest]) -> Table | None:
    """Each State's latest value in a table: a column of series when a State gives no
    total."""
    if not rows:
        return None
    by_series = any(r.series for r in rows)
    header = [t("State"), *([t("Series")] if by_series else []), t("Year"), t("Value"),
              t("Unit"), t("Source")]
    body: list[list[str | Text]] = [
        [r.state, *([r.series or t("Total")] if by_series else []), str(r.year), r.value,
         r.unit if r.unit.text else "–", r.source if r.source.text else "–"] for r in rows]
    return Table(header, body, [False, *([False] if by_series else []), False, True, False,
                                False])


def latest_caption(builder: IndicatorBuilder, code: str) -> str:
    return builder.t("Indicator {code}: latest value by State").format(
        code=isolated(code, builder.lang))


def regional_chart(builder: IndicatorBuilder, code: str, rows: list[Latest]) -> Chart | None:
    """Bars of the States' latest values, each labelled with its year: one unit only."""
    units = {r.unit.text for r in rows}
    if not rows or len(units) > 1 or any(r.series for r in rows) or len(rows) > MAX_BARS:
        return None
    t, fmt = builder.t, builder.fmt
    cats = [f"{r.state} ({r.year})" for r in rows]
    unit = next(iter(units))
    shown = isolated(code, builder.lang)
    alt = t("Bar chart of indicator {code}, the latest value of each State: {values}.").format(
        code=shown, values=fmt.semicolons([f"{r.state}, {r.year}{_colon(builder.lang)} {r.value}"
                                          for r in rows]))
    note = t("Unit: {unit}").format(unit=builder.unit_words(unit)) if unit else ""
    return Chart(latest_caption(builder, code), "bars", cats,
                 [("", [r.number for r in rows])], [[r.value for r in rows]], unit, note,
                 builder.lang, direction(builder.lang) == "rtl",
                 alt + _unit_sentence(t, builder.unit_words(unit)))


# --- progress: the values since an earlier cycle -----------------------------------------

@dataclass(frozen=True)
class ValueChange:
    """A series of a State's indicator: its value up to the earlier cycle, and its latest."""

    country: str
    indicator: str
    series: str
    """The breakdown, as the data file writes it (`Sex=Female`), "" for the total."""
    before_year: int | None
    before: Decimal | None
    after_year: int
    after: Decimal

    @property
    def change(self) -> Decimal | None:
        return None if self.before is None else self.after - self.before


def changes_since(data: DataSet, since: int) -> list[ValueChange]:
    """Per State, indicator and series: the value in the latest year up to `since` (the
    earlier cycle), and the latest value; the data files hold both."""
    out = []
    for result in sorted((r for r in data.results if r.valid and r.values and r.country
                          and r.indicator),
                         key=lambda r: (r.country or "", sort_key(r.indicator or ""))):
        assert result.country is not None and result.indicator is not None
        by_key: dict[Key, list[Value]] = {}
        for v in sorted(result.values, key=lambda v: v.year):
            by_key.setdefault((v.series, v.breakdown), []).append(v)
        for (series, breakdown), values in sorted(by_key.items()):
            then = [v for v in values if v.year <= since]
            last = values[-1]
            name = ", ".join([*([f"Series={series}"] if series else []),
                              *(f"{b}={v}" for b, v in breakdown)])
            out.append(ValueChange(result.country, result.indicator, name,
                                   then[-1].year if then else None,
                                   then[-1].value if then else None, last.year, last.value))
    return out


# --- what a site publishes: every value, to download ---------------------------------------

@dataclass(frozen=True)
class PublishedValue:
    """One value of a valid data file as the site's downloads give it: the file's own words
    and number (12.50 keeps its decimals), nothing translated or formatted."""

    indicator: str
    country: str
    year: int
    breakdown: tuple[tuple[str, str], ...]
    """(breakdown, value) pairs in the catalogue's order; () for the total."""
    value: str
    units: str
    series: str
    source: str


def published_values(data: DataSet) -> list[PublishedValue]:
    """Every value of the valid data files, in one order whatever the files' own: indicator
    (the framework's order), State, series, breakdown (the total first), year. The same
    files give the same downloads, byte for byte."""
    values = [PublishedValue(r.indicator, r.country, v.year, v.breakdown, v.text, v.units,
                             v.series, v.source)
              for r in data.results if r.valid and r.indicator and r.country
              for v in r.values]
    return sorted(values, key=lambda v: (sort_key(v.indicator), v.country, v.series,
                                         v.breakdown, v.year))


def breakdown_columns(catalogue: Catalogue, values: Iterable[PublishedValue]) -> list[str]:
    """The breakdowns the values use, in the catalogue's order (Sex, Age, Migratory
    status), then those an indicator of a workspace's catalogue adds, by name."""
    used = {name for v in values for name, _value in v.breakdown}
    ordered = [name for name in catalogue.breakdowns if name in used]
    return ordered + sorted(used - set(ordered))


def shown_indicators(catalogue: Catalogue, data: Iterable[DataResult]) -> list[str]:
    """The indicators a report speaks of: those linked to an objective, and those with
    values, in the framework's order."""
    codes = {code for code, i in catalogue.indicators.items() if i.links}
    codes |= {r.indicator for r in data if r.indicator and r.values}
    return sorted(codes, key=sort_key)


