"""Figures as plain data: what a heat map shows, not how it is drawn.

The model says which cells hold which status and what the legend reads; the
convert layer (gcmreview.convert.figures) draws it for each output format.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HeatMap:
    """Rows of cells (status codes) under numbered or named columns."""

    title: str
    columns: list[str]
    rows: list[tuple[str, list[tuple[str, bool]]]]
    """(row name, cells): a cell is (status code, stated by a partner rather than the State)."""
    legend: list[tuple[str, str]]
    """(status code, label in the report language); the code "partner" explains the
    mark of cells stated by a partner."""
    lang: str
    rtl: bool
    alt: str = ""
    """Text alternative: what the figure shows, for screen readers and Markdown."""
    palette: dict[str, tuple[str, str, str]] | None = None
    """Cell code -> (fill, ink, symbol); None: the status colours (gcmreview.core.status)."""


PROGRESS_PALETTE: dict[str, tuple[str, str, str]] = {
    # Blue for better, orange for worse (colour-blind safe), purple for a change that is
    # neither (not to be read as worse), each fill of its own lightness (apart in black
    # and white too), a symbol in each cell.
    "forward": ("#08519c", "#ffffff", "▲"),
    "back": ("#b35806", "#ffffff", "▼"),
    "changed": ("#ab97d1", "#000000", "~"),
    "new": ("#a6cee3", "#000000", "+"),
    "dropped": ("#8c8c8c", "#000000", "−"),
    "unchanged": ("#dddddd", "#000000", "="),
    "none": ("#ffffff", "#000000", ""),
}
"""The cells of a heat map of changes between cycles (gcmreview.model.progress)."""


CHART_COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00",
                 "#000000", "#f0e442")
"""Okabe and Ito's colours, which readers with any colour-vision deficiency tell apart;
each series also has its own mark (circle, square, triangle…), and the table beside the
chart holds the same values."""


@dataclass(frozen=True)
class Chart:
    """An indicator's values: one specification, drawn alike in HTML, DOCX and PDF.

    `line`: a line per series over the years (a time series); `bars`: one horizontal bar
    per category (the series of a single year, or the States of a region, each with
    its latest year)."""

    title: str
    kind: str
    """"line" or "bars"."""
    categories: list[str]
    """The x axis's years (line), or the bars' labels (bars), in the report's language."""
    series: list[tuple[str, list[float | None]]]
    """(label, a value per category or None); a bar chart has one series."""
    labels: list[list[str]]
    """Each value as the report writes it (12,5 in French), per series and category."""
    unit: str
    note: str
    """What is under the chart: the source, the years."""
    lang: str
    rtl: bool
    alt: str = ""
    """Text alternative naming the values, for screen readers and Markdown."""
