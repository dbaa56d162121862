"""Data tables (indicator values) written for HTML and DOCX here, not by pandoc.

A report with indicator data has a table per indicator: a 193-State build with
five indicators has about a thousand of them and 35,000 cells. Pandoc reading
them as Markdown and writing them again was a third of what the data cost a
build (issue 22). Their cells are plain text, numbers or text in another
language, so the markup pandoc would write for them is written here instead,
the same markup, and the converter places it once pandoc has written the file,
where pandoc left a marker for it (batch.lua `data_table`); PDF and Markdown
still get the pipe table, which the placeholder holds when the document is made
in those formats too. tests/test_tables.py holds both ways to
the same output on random cells.

The values are untrusted: every text is escaped for the format it lands in,
and a table with a cell pandoc treats in ways of its own (control characters, an
empty cell or span, spaces in a row) is left to pandoc.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape as html_escape
from typing import NamedTuple, Protocol

from gcmreview.core.i18n import typeset
from gcmreview.core.languages import direction
from gcmreview.core.markdown import escape as md
from gcmreview.core.markdown import one_line
from gcmreview.model.text import Citation, Phrase, Text

Cell = str | Text | Phrase
"""A cell: plain text in the report's language (str) or text marked with its own."""

RAW_FORMATS = ("html", "docx")
"""The formats whose tables are written here."""

_ODD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
"""Characters pandoc drops or splits runs at in a way of its own: left to pandoc."""
PLACEHOLDER = re.compile(r"\{(\w+)\}")
"""Where a Phrase's part goes in its text: `{name}`."""
ISOLATES = {"ltr": ("\u2066", "\u2069"), "rtl": ("\u2067", "\u2069")}
"""Unicode's left-to-right and right-to-left isolates (LRI, RLI … PDI): a French
title inside Arabic text keeps its own order, brackets and all, in every format
(HTML has `dir` too; typst and Word follow the characters)."""


class Table(Protocol):
    """What a data table gives (model/indicators.py `Table`)."""

    @property
    def header(self) -> Sequence[Cell]: ...
    @property
    def rows(self) -> Sequence[Sequence[Cell]]: ...
    @property
    def numeric(self) -> Sequence[bool]: ...


class Piece(NamedTuple):
    """A run of a cell's text: in the report's language (lang None), or in a span."""

    text: str
    lang: str | None = None
    dir: str | None = None


def pieces(value: Cell | Citation, lang: str) -> list[Piece]:
    """A cell as the runs the `span` filter marks it with (render/templates.py `_span`)."""
    if isinstance(value, str):
        return [Piece(value)]
    if isinstance(value, Citation):  # beside the list of sources: "[1], para. 6"
        return pieces(value.short, lang)
    if isinstance(value, Phrase):
        parts = PLACEHOLDER.split(value.text)  # text, name, text, name, ..., text
        out: list[Piece] = []
        for i, part in enumerate(parts):
            out += pieces(value.parts[part], lang) if i % 2 else [Piece(part)]
        return out
    # Set by the typography of its own language, as the report's words are.
    if value.lang == lang and not value.fallback:
        return [Piece(typeset(value.text, value.lang))]
    text = typeset(value.text, value.lang) + (f" ({value.lang.upper()})" if value.fallback
                                               else "")
    if value.dir != direction(lang):
        start, end = ISOLATES[value.dir]
        text = f"{start}{text}{end}"
    return [Piece(text, value.lang, value.dir)]


def _cell_text(value: Cell, lang: str) -> list[Piece]:
    """The runs as pandoc reads them from the pipe table: the text between spans as one
    run, white space one space, none at the cell's ends outside a span."""
    runs: list[Piece] = []
    for piece in pieces(value, lang):
        if piece.lang is None and runs and runs[-1].lang is None:
            runs[-1] = Piece(runs[-1].text + piece.text)
        else:
            runs.append(piece)
    runs = [Piece(one_line(r.text), r.lang, r.dir) for r in runs]
    if runs and runs[0].lang is None:
        runs[0] = Piece(runs[0].text.lstrip(" "))
    if runs and runs[-1].lang is None:
        runs[-1] = Piece(runs[-1].text.rstrip(" "))
    return [r for r in runs if r.text or r.lang is not None]


def marked(value: Cell | Citation, lang: str) -> str:
    """Text as Markdown, marked with its own language when it differs, and isolated
    when its direction differs (the templates' `span` filter)."""
    try:
        return _cached_marked(value, lang)
    except TypeError:  # a Phrase, or a citation holding one: its parts are a dict
        return _marked(value, lang)


@lru_cache(maxsize=1 << 16, typed=True)  # typed: a Text is not the tuple of its fields
def _cached_marked(value: Cell | Citation, lang: str) -> str:
    """Cached: 90,000 spans in a 193-State build, 23,000 different."""
    return _marked(value, lang)


def _marked(value: Cell | Citation, lang: str) -> str:
    out = []
    for piece in pieces(value, lang):
        if piece.lang is None:
            out.append(md(piece.text))
        else:
            out.append(f'[{md(piece.text)}]{{lang="{piece.lang}" dir="{piece.dir}"}}')
    return "".join(out)


def markdown(header: Sequence[Cell], rows: Sequence[Sequence[Cell]],
             numeric: Sequence[bool], lang: str) -> str:
    """The table as a pipe table, for the formats pandoc writes (PDF, Markdown)."""
    lines = ["|" + "".join(f" {marked(h, lang)} |" for h in header),
             "|" + "".join("-------:|" if n else "-------|" for n in numeric)]
    lines += ["|" + "".join(f" {marked(c, lang)} |" for c in row) for row in rows]
    return "\n".join(lines) + "\n"


def _html_cell(tag: str, runs: Sequence[Piece], right: bool) -> str:
    inner = []
    for piece in runs:
        text = html_escape(piece.text, quote=False)
        if piece.lang is None:
            inner.append(text)
        else:
            inner.append(f'<span lang="{html_escape(piece.lang)}" '
                         f'dir="{html_escape(piece.dir or "")}">{text}</span>')
    style = ' style="text-align: right;"' if right else ""
    return f"<{tag}{style}>{''.join(inner)}</{tag}>"


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") \
        .replace('"', "&quot;").replace("'", "&#39;")


_TABLE_START = ('<w:tbl><w:tblPr><w:tblStyle w:val="Table" /><w:tblW w:type="auto" w:w="0" />'
                '<w:tblLook w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
                'w:noHBand="0" w:noVBand="0" w:val="0020" /></w:tblPr>')
_TEXT_WIDTH = 7920
"""Twips: what pandoc divides among the columns (5.5 in); the finishing step lays the
table out again (convert/docx.py)."""


def _docx_runs(runs: Sequence[Piece]) -> list[Piece]:
    """The cell's runs as pandoc's DOCX writer cuts them: a space next to a span is a run
    of its own."""
    out: list[Piece] = []
    for piece in runs:
        if piece.lang is not None or piece.text == " ":
            out.append(piece)
            continue
        text = piece.text
        if out and text.startswith(" "):
            out.append(Piece(" "))
            text = text[1:]
        trail = text.endswith(" ")
        out.append(Piece(text[:-1] if trail else text))
        if trail:
            out.append(Piece(" "))
    return out


def _docx_cell(runs: Sequence[Piece], right: bool, rtl: bool) -> str:
    xml = []
    for piece in _docx_runs(runs):
        if piece.lang is None:
            props = "<w:rtl />" if rtl else ""
        else:
            props = ("<w:rtl />" if piece.dir == "rtl" or (rtl and piece.dir != "ltr")
                     else "") + f'<w:lang w:val="{_xml(piece.lang)}" />'
        props = f"<w:rPr>{props}</w:rPr>" if props else ""
        xml.append(f'<w:r>{props}<w:t xml:space="preserve">{_xml(piece.text)}</w:t></w:r>')
    paragraph = ('<w:pPr><w:pStyle w:val="Compact" />' + ("<w:bidi />" if rtl else "")
                 + ('<w:jc w:val="right" />' if right else "") + "</w:pPr>")
    return f"<w:tc><w:tcPr /><w:p>{paragraph}{''.join(xml)}</w:p></w:tc>"


def _texts(value: Cell) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Phrase):
        return [value.text, *(t.text for t in value.parts.values())]
    return [value.text]


class Written(NamedTuple):
    html: str
    docx: str


def _written(value: Cell, right: bool, header: bool, lang: str) -> Written | None:
    """The cell in HTML and DOCX, or None where pandoc writes it otherwise than these do:
    no text, an empty span or one with a space at its ends, two spaces in a row across
    runs, characters pandoc treats in ways of its own (`_ODD`)."""
    if any(_ODD.search(text) for text in _texts(value)):
        return None
    runs = _cell_text(value, lang)
    if not runs or "  " in "".join(r.text for r in runs) or any(
            r.lang is not None and (not r.text or r.text.strip(" ") != r.text) for r in runs):
        return None
    return Written(_html_cell("th" if header else "td", runs, right),
                   _docx_cell(runs, right, direction(lang) == "rtl"))


@lru_cache(maxsize=1 << 14)
def _written_cached(value: str | Text, right: bool, header: bool, lang: str
                    ) -> Written | None:
    """`_written`, once per build for a year, a unit, a State's name... in many tables."""
    return _written(value, right, header, lang)


def _cells(header: Sequence[Cell], rows: Sequence[Sequence[Cell]], numeric: Sequence[bool],
           lang: str) -> list[list[Written]] | None:
    """Every cell written (`_written`), the header first; None if one cannot be."""
    out = []
    for index, row in enumerate((header, *rows)):
        cells = []
        for value, right in zip(row, numeric, strict=True):
            cell = _written(value, right, index == 0, lang) if isinstance(value, Phrase) \
                else _written_cached(value, right, index == 0, lang)
            if cell is None:
                return None
            cells.append(cell)
        out.append(cells)
    return out


def _html(cells: list[list[Written]]) -> str:
    out = ["<table>", "<thead>", "<tr>", *(c.html for c in cells[0]), "</tr>", "</thead>",
           "<tbody>"]
    for row in cells[1:]:
        out += ["<tr>", *(c.html for c in row), "</tr>"]
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def _openxml(cells: list[list[Written]]) -> str:
    columns = len(cells[0])
    out = [_TABLE_START, "<w:tblGrid>", f'<w:gridCol w:w="{_TEXT_WIDTH // columns}" />' * columns,
           "</w:tblGrid>", '<w:tr><w:trPr><w:tblHeader w:val="on" /></w:trPr>',
           *(c.docx for c in cells[0]), "</w:tr>"]
    for row in cells[1:]:
        out += ["<w:tr>", *(c.docx for c in row), "</w:tr>"]
    out.append("</w:tbl>")
    return "".join(out)


def written(header: Sequence[Cell], rows: Sequence[Sequence[Cell]], numeric: Sequence[bool],
            lang: str, formats: Sequence[str] = RAW_FORMATS) -> dict[str, str] | None:
    """The table in each of `formats` as pandoc writes it (HTML: line breaks apart), or None
    when a cell is one pandoc writes otherwise (`_written`): pandoc then writes the table,
    from the pipe table."""
    cells = _cells(header, rows, numeric, lang)
    if cells is None:
        return None
    writers = {"html": _html, "docx": _openxml}
    return {fmt: writers[fmt](cells) for fmt in formats}


@dataclass
class DataTables:
    """The raw tables of one skeleton, by name, for the formats in `formats`; the others
    read the pipe table in the placeholder (`pipe`)."""

    formats: frozenset[str] = frozenset()
    pipe: bool = True
    """The document is made in a format that reads the pipe table too (PDF, Markdown)."""
    items: dict[str, dict[str, str]] = field(default_factory=dict)

    def place(self, header: Sequence[Cell], rows: Sequence[Sequence[Cell]],
              numeric: Sequence[bool], lang: str) -> str:
        """The table's Markdown in the skeleton: a pipe table, or a placeholder the
        converter replaces with the table written here."""
        if not header or len(numeric) != len(header) \
                or any(len(row) != len(header) for row in rows):
            raise ValueError("a data table's rows and its header differ in length")
        found = written(header, rows, numeric, lang, sorted(self.formats)) \
            if self.formats else None
        if found is None:
            return f"\n{markdown(header, rows, numeric, lang)}\n"
        name = f"table-{len(self.items) + 1}"
        self.items[name] = found
        table = markdown(header, rows, numeric, lang) if self.pipe else ""
        return f'\n::: {{.data-table name="{name}"}}\n{table}:::\n\n'


def written_for(fmt: str, items: dict[str, dict[str, str]]) -> dict[str, str]:
    """Each table written for `fmt`, by name (`DataTables.items`)."""
    return {name: written[fmt] for name, written in items.items() if fmt in written}


def raw_formats(formats: Sequence[str]) -> DataTables:
    """The tables of a document made in `formats` (none: every table a pipe table)."""
    chosen = frozenset(f for f in formats if f in RAW_FORMATS)
    return DataTables(chosen, pipe=any(f not in RAW_FORMATS for f in formats))
