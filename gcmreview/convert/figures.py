"""Coverage heat maps, drawn by typst from a small template.

One drawing (`HEAT_MAP`, a typst function) serves every format. The PDF calls it
in the document itself, so its text is text (selectable, read aloud, its size
what the drawing says); the same function drawn on a page of its own gives the
SVG for HTML (inline, self-contained: glyphs are outlines) and the PNG for DOCX.
typst shapes Arabic and lays the grid out right to left for RTL reports, with
the same pinned fonts as the PDF, so the figure is byte-identical on every
machine. No plotting library needed.

The figure is placed at its own size in every format (a wide page scales
nothing; a phone's screen scales the SVG down): its sizes (`SIZES`) are the
sizes a reader gets, never under 8.5 pt (11.3 CSS pixels), and the drawing is
never wider than the text (`MAX_WIDTH`: long names wrap, the legend wraps).
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, cast

import typst

from gcmreview.convert.fonts import font_dirs, font_families
from gcmreview.core.errors import ConversionError
from gcmreview.core.i18n import _
from gcmreview.core.status import BY_CODE, PARTNER_MARK
from gcmreview.model.figures import HeatMap

SIZES = {
    "label": 8.5,  # the States' names, the legend
    "column": 8.5,  # the objectives' numbers, the principles' letters
    "mark": 10.0,  # the status symbol in a cell (DejaVu's shapes draw small)
    "cell_width": 15.5,
    "cell_height": 14.0,
    "names": 90.0,  # at most, for the names' column: longer names wrap
}
"""Points. The text sizes are the smallest text of the report's figures: at least 7 pt
in the PDF and the DOCX, and 11 CSS pixels (8.25 pt) in the HTML at a computer's width."""
MIN_TEXT_PT = min(SIZES["label"], SIZES["column"], SIZES["mark"])
MAX_WIDTH = 480.0
"""Points: the drawing's widest (the text width of A4 with 2 cm margins is 481.9 pt)."""
MODULE = "heat-map.typ"
"""The drawing's file name in the PDF's compile folder."""

HEAT_MAP = """
#let heat-map(data) = {
  let s = data.sizes
  let pt = 1pt
  set text(font: data.fonts, size: s.label * pt, lang: data.lang,
           dir: if data.rtl { rtl } else { ltr })
  set par(leading: 0.35em, justify: false)
  let cell(code, partner: false) = box(width: s.cell_width * pt, height: s.cell_height * pt,
    fill: rgb(data.fills.at(code)), stroke: 0.5pt + luma(115), align(center + horizon,
      text(size: s.mark * pt, fill: rgb(data.inks.at(code)), data.symbols.at(code)
        + if partner { super(typographic: false, size: s.mark * 0.8 * pt, data.partner_mark) })))
  let legend-cell(code) = if code == "partner" {
    box(width: s.cell_width * pt, height: s.cell_height * pt,
        align(center + horizon, text(size: s.mark * pt, data.partner_mark)))
  } else { cell(code) }
  context {
    let widest = data.rows.fold(0pt, (w, r) => calc.max(w, measure([#r.at(0)]).width))
    let names = calc.min(widest + 6pt, s.names * pt)
    let table = grid(
      columns: (names,) + (s.cell_width * pt,) * data.columns.len(),
      column-gutter: 1pt, row-gutter: 1pt,
      [], ..data.columns.map(c => align(center + bottom,
        text(size: s.column * pt, weight: "bold", c))),
      ..data.rows.map(r => (align(start + horizon, block(width: names, inset: (x: 3pt),
                                                           r.at(0))),
                            ..r.at(1).map(c => cell(c.at(0), partner: c.at(1))))).flatten())
    let width = measure(table).width
    table
    v(6pt, weak: false)
    block(width: width, spacing: 0pt, {
      set par(leading: 0.6em)
      data.legend.map(l => box(legend-cell(l.at(0)) + h(3pt)
                               + box(height: s.cell_height * pt, align(horizon, l.at(1)))))
        .join(h(10pt, weak: true) + " ")
    })
  }
}
"""
"""The drawing: a grid of cells under the columns' names, a row per State, and the
legend below it, wrapping within the grid's width."""

_STANDALONE = """
#import "heat-map.typ": heat-map
#set page(width: auto, height: auto, margin: 4pt, fill: white)
#heat-map(json(bytes(sys.inputs.data)))
"""


@dataclass(frozen=True)
class RenderedFigure:
    """What each format needs of a figure: the SVG (HTML), the PNG (DOCX), the drawing's
    size in points, and the data the PDF's own call of the drawing reads."""

    data: bytes
    svg: bytes = b""
    png: bytes = b""
    width: float = 0.0
    height: float = 0.0


def figure_data(figure: HeatMap) -> dict[str, object]:
    """What the drawing is given: the cells, the legend, the colours, the sizes."""
    palette = figure.palette
    return {
        "columns": figure.columns,
        "rows": [[name, [[code, partner] for code, partner in cells]]
                 for name, cells in figure.rows],
        "partner_mark": PARTNER_MARK,
        "legend": [[code, label] for code, label in figure.legend],
        "lang": figure.lang,
        "rtl": figure.rtl,
        "fills": {code: s.fill for code, s in BY_CODE.items()}
        if palette is None else {c: p[0] for c, p in palette.items()},
        "inks": {code: s.ink for code, s in BY_CODE.items()}
        if palette is None else {c: p[1] for c, p in palette.items()},
        "symbols": {code: s.symbol for code, s in BY_CODE.items()}
        if palette is None else {c: p[2] for c, p in palette.items()},
        "fonts": font_families(figure.rtl),
        "sizes": SIZES,
    }


Draw = Callable[[bytes, list[str]], dict[str, bytes]]
"""Draws a figure's data as each format named (TypstWorker.draw, in the typst process)."""


def render_heat_map(figure: HeatMap, draw: Draw, *, svg: bool = True, png: bool = True
                    ) -> RenderedFigure:
    """The figure's data, and its SVG and PNG when a format needs them (HTML, DOCX); the
    PDF draws it itself from the data. typst draws in the build worker's typst process,
    which keeps what a drawing costs (a 193-State map, 120 MB) out of the build's own."""
    data = json.dumps(figure_data(figure), ensure_ascii=False, sort_keys=True).encode()
    wanted = [fmt for fmt, want in (("svg", svg or png), ("png", png)) if want]
    try:
        outputs = draw(data, wanted) if wanted else {}
    except ConversionError as exc:
        raise ConversionError(_("drawing the figure “{title}” failed: {reason}").format(
            title=figure.title, reason=exc.message)) from exc
    width = height = 0.0
    if "svg" in outputs:
        size = re.search(rb'<svg [^>]*?width="([\d.]+)pt" height="([\d.]+)pt"', outputs["svg"])
        assert size is not None, "typst's SVG gives its size in points"
        width, height = float(size.group(1)), float(size.group(2))
    return RenderedFigure(data, svg=outputs["svg"] if svg else b"", png=outputs.get("png", b""),
                          width=width, height=height)


def draw_figure(data: bytes, formats: list[str], folder: Path) -> str | None:
    """In the typst process: draw the figure `data`, writing `folder`/figure.<format> for
    each format ("svg", "png"). One compiler lays the drawing out once for every format
    (the PNG after the SVG: 0.6 s, not 1.8 s, and no more memory). Returns typst's error
    or warnings, or None."""
    (folder / MODULE).write_text(HEAT_MAP, encoding="utf-8")
    main = folder / "figure.typ"
    main.write_text(_STANDALONE, encoding="utf-8")
    compiler = typst.Compiler(str(main), root=str(folder), font_paths=list(font_dirs()),
                              ignore_system_fonts=True, sys_inputs={"data": data.decode()})
    for fmt in formats:
        try:
            out, warnings = compiler.compile_with_warnings(
                format=cast(Literal["svg", "png"], fmt), ppi=150.0)
        except typst.TypstError as exc:
            return str(exc.message if hasattr(exc, "message") else exc)
        if warnings:
            return "; ".join(w.message for w in warnings)
        # One page: bytes (a list of pages only for a document of several).
        assert out is not None
        (folder / f"figure.{fmt}").write_bytes(out if isinstance(out, bytes) else out[0])
    return None


def embed_in_html(path: Path, figures: dict[str, RenderedFigure]) -> None:
    """Put each figure's SVG in place of its marker, as a data URI: self-contained HTML.

    Done after pandoc wrote the page: a megabyte-long URI costs pandoc's HTML
    writer hundreds of megabytes.
    """
    html = path.read_text(encoding="utf-8")
    for name, figure in figures.items():
        uri = "data:image/svg+xml;base64," + base64.b64encode(figure.svg).decode("ascii")
        html = html.replace(f'src="gcmreview-figure:{name}"', f'src="{uri}"')
    path.write_text(html, encoding="utf-8")


def pdf_files(figures: dict[str, RenderedFigure]) -> dict[str, bytes]:
    """The files the PDF's compile folder needs for its figures: the drawing, and each
    figure's data (`<name>.json`)."""
    if not figures:
        return {}
    return {MODULE: HEAT_MAP.encode(), **{f"{name}.json": f.data for name, f in figures.items()}}
