"""Coverage heat maps, drawn by typst from a small template.

One source gives the SVG for HTML (inline, self-contained: glyphs are outlines)
and the PNG for DOCX; the PDF embeds the SVG. typst shapes Arabic and lays the
grid out right to left for RTL reports, with the same pinned fonts as the PDF,
so the figure is byte-identical on every machine. No plotting library needed.
"""

from __future__ import annotations

import base64
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import typst

from gcmreview.convert.fonts import font_dirs, font_families
from gcmreview.core.errors import ConversionError
from gcmreview.core.i18n import _
from gcmreview.core.status import BY_CODE, PARTNER_MARK
from gcmreview.model.figures import HeatMap


@dataclass(frozen=True)
class RenderedFigure:
    svg: bytes
    png: bytes
    width: str
    """Share of the text width the figure takes in the document."""


_SOURCE = """
#let data = json(bytes(sys.inputs.data))
#set page(width: auto, height: auto, margin: 6pt, fill: white)
#set text(font: data.fonts, size: 8pt, lang: data.lang, dir: if data.rtl { rtl } else { ltr })
#let cell(code, partner: false) = box(width: 13pt, height: 11pt,
  fill: rgb(data.fills.at(code)), stroke: 0.4pt + luma(170), align(center + horizon,
    text(size: 7pt, fill: rgb(data.inks.at(code)),
      data.symbols.at(code) + if partner { data.partner_mark } else { "" })))
#let legend_cell(code) = if code == "partner" {
  box(width: 13pt, height: 11pt, align(center + horizon, text(size: 7pt, data.partner_mark)))
} else { cell(code) }
#text(size: 10pt, weight: "bold", data.title)
#v(4pt)
#grid(
  columns: (auto,) + (13pt,) * data.columns.len(),
  column-gutter: 1pt, row-gutter: 1pt,
  [], ..data.columns.map(c => align(center, text(size: 6.5pt, c))),
  ..data.rows.map(r => (align(horizon, box(inset: (right: 4pt, left: 4pt), r.at(0))),
                        ..r.at(1).map(c => cell(c.at(0), partner: c.at(1))))).flatten()
)
#v(6pt)
#grid(columns: data.legend.len() * 2, column-gutter: 4pt, row-gutter: 3pt,
  ..data.legend.map(l => (legend_cell(l.at(0)),
                          align(horizon, text(size: 7pt, l.at(1))))).flatten())
"""


def render_heat_map(figure: HeatMap, *, png: bool = True) -> RenderedFigure:
    """SVG always (HTML, PDF); the PNG only when a DOCX needs it."""
    data = {
        "title": figure.title,
        "columns": figure.columns,
        "rows": [[name, [[code, partner] for code, partner in cells]]
                 for name, cells in figure.rows],
        "partner_mark": PARTNER_MARK,
        "legend": [[code, label] for code, label in figure.legend],
        "lang": figure.lang,
        "rtl": figure.rtl,
        "fills": {code: s.fill for code, s in BY_CODE.items()}
        if figure.palette is None else {c: p[0] for c, p in figure.palette.items()},
        "inks": {code: s.ink for code, s in BY_CODE.items()}
        if figure.palette is None else {c: p[1] for c, p in figure.palette.items()},
        "symbols": {code: s.symbol for code, s in BY_CODE.items()}
        if figure.palette is None else {c: p[2] for c, p in figure.palette.items()},
        "fonts": font_families(figure.rtl),
    }
    inputs = {"data": json.dumps(data, ensure_ascii=False, sort_keys=True)}
    outputs = []
    with tempfile.TemporaryDirectory() as root:
        for fmt in ("svg", "png") if png else ("svg",):
            try:
                # typst's stubs want every path of the input's type (bytes); the binding
                # takes paths as str only.
                out, warnings = typst.compile_with_warnings(  # type: ignore[call-overload]
                    _SOURCE.encode(), root=root, font_paths=list(font_dirs()),
                    ignore_system_fonts=True, format=fmt, ppi=150.0, sys_inputs=inputs)
            except typst.TypstError as exc:
                raise ConversionError(_("drawing the figure “{title}” failed: {reason}").format(
                    title=figure.title, reason=exc)) \
                    from exc
            if warnings:
                raise ConversionError(_("drawing the figure “{title}”: ").format(
                    title=figure.title)
                                      + "; ".join(w.message for w in warnings))
            outputs.append(out if isinstance(out, bytes) else out[0])
    # A wide matrix fills the line; a narrow one keeps its cells at a similar size.
    width = f"{min(100, 25 + 3 * len(figure.columns))}%"
    return RenderedFigure(svg=outputs[0], png=outputs[1] if png else b"", width=width)


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
