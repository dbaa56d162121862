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
