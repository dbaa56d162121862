"""Coverage heat maps, drawn by typst from a small template.

One source gives the SVG for HTML (inline, self-contained: glyphs are outlines)
and the PNG for DOCX; the PDF embeds the SVG. typst shapes Arabic and lays the
grid out right to left for RTL reports, with the same pinned fonts as the PDF,
so the figure is byte-identical on every machine. No plotting library needed.
"""

from __future__ import annotations

import base64
import json
import math
import tempfile
from dataclasses import dataclass
from pathlib import Path

import typst

from gcmreview.convert.fonts import font_dirs, font_families
from gcmreview.core.errors import ConversionError
from gcmreview.core.i18n import _
from gcmreview.core.status import BY_CODE, PARTNER_MARK
from gcmreview.model.figures import CHART_COLOURS, Chart, HeatMap


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


# --- indicator charts ----------------------------------------------------------------------

_CHART_SOURCE = """
#let all = json(bytes(sys.inputs.data))
#set page(width: auto, height: auto, margin: 6pt, fill: white)
#let W = 11.5cm
#let H = 3.6cm
#let mark(kind, colour) = {
  if kind == "circle" { circle(radius: 2.2pt, fill: colour) }
  else if kind == "square" { square(size: 4.2pt, fill: colour) }
  else if kind == "triangle" { polygon(fill: colour, (2.4pt, 0pt), (4.8pt, 4.4pt), (0pt, 4.4pt)) }
  else { rotate(45deg, square(size: 3.6pt, fill: colour)) }
}
#let swatch(s) = box(width: 16pt, height: 6pt, {
  place(top + left, dy: 3pt, line(length: 16pt, stroke: 1.4pt + rgb(s.colour)))
  place(top + left, dx: 5.8pt, dy: 0.8pt, mark(s.mark, rgb(s.colour)))
})
#let line_chart(c) = {
  let plot = box(width: W, height: H, {
    for t in c.yticks {
      place(top + left, dy: H * (1 - t.pos), line(length: W, stroke: 0.4pt + luma(215)))
    }
    place(top + left, dy: H * (1 - c.zero), line(length: W, stroke: 0.7pt + luma(110)))
    for s in c.series {
      for seg in s.segments {
        if seg.len() > 1 {
          let at(p) = (W * p.at(0), H * (1 - p.at(1)))
          place(top + left, curve(stroke: 1.4pt + rgb(s.colour), curve.move(at(seg.at(0))),
            ..seg.slice(1).map(p => curve.line(at(p)))))
        }
      }
      for p in s.points {
        place(top + left, dx: W * p.at(0) - 2.4pt, dy: H * (1 - p.at(1)) - 2.3pt,
              mark(s.mark, rgb(s.colour)))
      }
    }
  })
  let ylabels = box(width: c.label_width * 1pt, height: H, {
    for t in c.yticks {
      place(top + left, dy: H * (1 - t.pos) - 5pt,
            box(width: c.label_width * 1pt, height: 10pt,
                align(if all.rtl { left } else { right } + horizon, text(size: 7pt, t.label))))
    }
  })
  let xlabels = box(width: W, height: 10pt, {
    for t in c.xticks {
      place(top + left, dx: W * t.pos - 1cm, dy: 2pt,
            box(width: 2cm, align(center, text(size: 7pt, t.label))))
    }
  })
  grid(columns: (auto, W), column-gutter: 4pt, row-gutter: 2pt,
       ylabels, plot, [], xlabels)
  if c.series.len() > 1 {
    v(4pt)
    for s in c.series [#box(swatch(s)) #h(2pt) #text(size: 7.5pt, s.label) #h(10pt) ]
  }
}
#let bar_chart(c) = {
  grid(columns: (auto, W, auto), column-gutter: 5pt, row-gutter: 3pt,
    ..c.rows.map(r => (
      align(end + horizon, text(size: 7.5pt, r.label)),
      box(width: W, height: 9pt, {
        place(top + left, dx: W * c.zero - 0.35pt, dy: -1.5pt,
              line(angle: 90deg, length: 12pt, stroke: 0.7pt + luma(110)))
        place(top + left, dx: W * r.start, rect(width: W * (r.end - r.start), height: 9pt,
                                                 fill: rgb(r.colour)))
      }),
      align(start + horizon, text(size: 7pt, r.value)),
    )).flatten())
}
#for (i, c) in all.charts.enumerate() {
  set text(font: all.fonts, size: 8pt, lang: all.lang, dir: if all.rtl { rtl } else { ltr })
  if i > 0 { pagebreak() }
  text(size: 9pt, weight: "bold", c.title)
  v(5pt)
  if c.kind == "line" { line_chart(c) } else { bar_chart(c) }
  if c.note != "" {
    v(4pt)
    block(width: W + 1.5cm, text(size: 6.5pt, fill: luma(80), c.note))
  }
}
"""

_MARKS = ("circle", "square", "triangle", "diamond")


def _nice_step(span: float) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about four intervals."""
    if span <= 0:
        return 1.0
    raw = span / 4
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power  # pragma: no cover


def _axis(values: list[float]) -> tuple[float, float, float]:
    """(low, high, step) of an axis holding `values` and zero."""
    low, high = min(0.0, *values), max(0.0, *values)
    if low == high:
        high = low + 1
    step = _nice_step(high - low)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def _tick_label(value: float, step: float, lang: str) -> str:
    from babel.numbers import format_decimal

    places = max(0, -math.floor(math.log10(step))) if step < 1 else 0
    pattern = "#,##0." + "0" * places if places else "#,##0"
    return str(format_decimal(round(value, places), format=pattern, locale=lang))


def chart_data(chart: Chart) -> dict[str, object]:
    """The chart laid out in proportions of its plot (0 to 1, mirrored right to left):
    typst only draws."""
    def x_of(pos: float) -> float:
        return 1 - pos if chart.rtl else pos

    values = [v for _label, series in chart.series for v in series if v is not None]
    low, high, step = _axis(values or [0.0])

    def y_of(value: float) -> float:
        return (value - low) / (high - low)

    if chart.kind == "line":
        count = len(chart.categories)
        years = [float(c) for c in chart.categories]
        first, last = years[0], years[-1]
        span = last - first or 1.0
        pad = 0.04

        def pos(i: int) -> float:
            return x_of(pad + (1 - 2 * pad) * (years[i] - first) / span)

        series = []
        for k, (label, points) in enumerate(chart.series):
            segments: list[list[list[float]]] = [[]]
            dots = []
            for i, value in enumerate(points):
                if value is None:
                    segments.append([])
                    continue
                point = [round(pos(i), 5), round(y_of(value), 5)]
                segments[-1].append(point)
                dots.append(point)
            series.append({"label": label, "colour": CHART_COLOURS[k % len(CHART_COLOURS)],
                           "mark": _MARKS[k % len(_MARKS)],
                           "segments": [s for s in segments if s], "points": dots})
        ticks: list[dict[str, object]] = []
        labels: list[str] = []
        for i in range(round((high - low) / step) + 1):
            value = low + i * step
            labels.append(_tick_label(value, step, chart.lang))
            ticks.append({"pos": round(y_of(value), 5), "label": labels[-1]})
        label_width = max(len(label) for label in labels) * 4.2 + 4
        return {"kind": "line", "title": chart.title, "note": chart.note,
                "series": series, "yticks": ticks, "zero": round(y_of(0.0), 5),
                "xticks": [{"pos": round(pos(i), 5), "label": chart.categories[i]}
                           for i in range(count)],
                "label_width": round(label_width, 1)}
    zero = x_of(y_of(0.0))
    rows = []
    for i, category in enumerate(chart.categories):
        value = chart.series[0][1][i]
        if value is None:
            continue
        end = x_of(y_of(value))
        rows.append({"label": category, "start": round(min(zero, end), 5),
                     "end": round(max(zero, end), 5), "value": chart.labels[0][i],
                     "colour": CHART_COLOURS[0]})
    return {"kind": "bars", "title": chart.title, "note": chart.note, "rows": rows,
            "zero": round(zero, 5)}


def render_charts(charts: dict[str, Chart], *, png: bool = True) -> dict[str, RenderedFigure]:
    """Every chart of a document in one typst run, a page each: SVG for HTML and PDF, PNG
    for DOCX. typst shapes Arabic, and the charts of a right-to-left report read from the
    right (the years too), as its heat maps do."""
    if not charts:
        return {}
    first = next(iter(charts.values()))
    data = {"charts": [chart_data(c) for c in charts.values()], "lang": first.lang,
            "rtl": first.rtl, "fonts": font_families(first.rtl)}
    inputs = {"data": json.dumps(data, ensure_ascii=False, sort_keys=True)}
    pages: dict[str, list[bytes]] = {}
    with tempfile.TemporaryDirectory() as root:
        for fmt in ("svg", "png") if png else ("svg",):
            try:
                out, warnings = typst.compile_with_warnings(  # type: ignore[call-overload]
                    _CHART_SOURCE.encode(), root=root, font_paths=list(font_dirs()),
                    ignore_system_fonts=True, format=fmt, ppi=150.0, sys_inputs=inputs)
            except typst.TypstError as exc:
                raise ConversionError(_("drawing the figure “{title}” failed: {reason}").format(
                    title=first.title, reason=exc)) from exc
            if warnings:
                raise ConversionError(_("drawing the figure “{title}”: ").format(
                    title=first.title) + "; ".join(w.message for w in warnings))
            pages[fmt] = [out] if isinstance(out, bytes) else list(out)
    return {name: RenderedFigure(svg=pages["svg"][i], png=pages["png"][i] if png else b"",
                                 width="85%")
            for i, name in enumerate(charts)}


def render_figures(figures: dict[str, HeatMap | Chart], *, png: bool = True
                   ) -> dict[str, RenderedFigure]:
    """A document's figures: each heat map on its own, its charts together."""
    charts = {n: f for n, f in figures.items() if isinstance(f, Chart)}
    drawn = render_charts(charts, png=png)
    for name, figure in figures.items():
        if isinstance(figure, HeatMap):
            drawn[name] = render_heat_map(figure, png=png)
    return {name: drawn[name] for name in figures}
