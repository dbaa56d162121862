"""Coverage heat maps and indicator charts, drawn by typst from small templates.

One drawing (`HEAT_MAP`, a typst function) serves every format. The PDF calls it
in the document itself, so its text is text (selectable, read aloud, its size
what the drawing says); the same function drawn on a page of its own gives the
SVG for HTML (inline, self-contained: glyphs are outlines) and the PNG for DOCX.
typst shapes Arabic and lays the grid out right to left for RTL reports, with
the same pinned fonts as the PDF, so the figure is byte-identical on every
machine. No plotting library needed. Indicator charts (`CHART`) are drawn the same
way: the PDF calls the drawing, HTML and DOCX get its SVG and PNG.

The figure is placed at its own size in every format (a wide page scales
nothing; a phone's screen scales the SVG down): its sizes (`SIZES`) are the
sizes a reader gets, never under 8.5 pt (11.3 CSS pixels), and the drawing is
never wider than the text (`MAX_WIDTH`: long names wrap, the legend wraps).
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import hmac
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from html import escape as html_escape
from pathlib import Path

from gcmreview.convert.fonts import font_families
from gcmreview.core.errors import ConversionError, InputError
from gcmreview.core.files import seal, write_atomic
from gcmreview.core.i18n import _
from gcmreview.core.status import BY_CODE, PARTNER_MARK
from gcmreview.model.figures import CHART_COLOURS, Chart, HeatMap

MAX_WIDTH = 480.0
"""Points: the widest picture of a drawing, its margins included (the text width of A4
with 2 cm margins is 481.9 pt)."""
PICTURE_MARGIN = 4.0
"""Points: the white around a drawing made a picture (`_STANDALONE`), for the SVG and PNG."""
SIZES = {
    "label": 8.5,  # the States' names, the legend
    "column": 8.5,  # the objectives' numbers, the principles' letters
    "mark": 10.0,  # the status symbol in a cell (DejaVu's shapes draw small)
    "cell_width": 15.0,
    "cell_height": 14.0,
    "names": 90.0,  # at least, for the names' column (more if the columns leave room)
    "widest": MAX_WIDTH - 2 * PICTURE_MARGIN,  # the drawing's widest, without its margins
}
"""Points. The text sizes are the smallest text of the report's figures: at least 7 pt
in the PDF and the DOCX, and 11 CSS pixels (8.25 pt) in the HTML at a computer's width."""
MIN_TEXT_PT = min(SIZES["label"], SIZES["column"], SIZES["mark"])
MODULE = "heat-map.typ"
"""The drawing's file name in the PDF's compile folder."""

HEAT_MAP = """
#let heat-map(data) = {
  let s = data.sizes
  let pt = 1pt
  set text(font: data.fonts, size: s.label * pt, lang: data.lang,
           dir: if data.rtl { rtl } else { ltr })
  set par(leading: 0.35em, justify: false)
  // A partner's statement (code "partner", or a cell's flag with no status of its own): a
  // dotted ring drawn as large as a status symbol (a character was a few faint dots);
  // beside a status, the small character.
  let ring = circle(radius: s.mark * 0.3 * pt,
                    stroke: (paint: luma(40), thickness: 1pt, dash: "densely-dotted"))
  let cell(code, partner: false) = box(width: s.cell_width * pt, height: s.cell_height * pt,
    fill: rgb(data.fills.at(code)), stroke: 0.5pt + luma(115), align(center + horizon,
      if code == "partner" or (partner and data.symbols.at(code) == "") { ring } else {
        text(size: s.mark * pt, fill: rgb(data.inks.at(code)), data.symbols.at(code)
          + if partner { super(typographic: false, size: s.mark * 0.8 * pt, data.partner_mark) })
      }))
  context {
    let widest = data.rows.fold(0pt, (w, r) => calc.max(w, measure([#r.at(0)]).width))
    // The names take what the columns leave of the widest drawing, at least `s.names`:
    // with 23 objectives, "République arabe syrienne" on one line.
    let room = s.widest * pt - data.columns.len() * (s.cell_width * pt + 1pt)
    let names = calc.min(widest + 6pt, calc.max(s.names * pt, room))
    // A name that still wraps makes its row taller, its cells in the middle: the room
    // above and below keeps its lines off the rows around (they touched them). A name on
    // one line is shorter than a cell, room included.
    let name(n) = block(width: names, inset: (x: 3pt, y: 2.5pt), n)
    let table = grid(
      columns: (names,) + (s.cell_width * pt,) * data.columns.len(),
      column-gutter: 1pt, row-gutter: 1pt, align: horizon,
      // The columns' names a little above the cells (they touched the grid).
      [], ..data.columns.map(c => align(center + bottom, pad(bottom: 1.5pt,
        text(size: s.column * pt, weight: "bold", c)))),
      ..data.rows.map(r => (align(start + horizon, name(r.at(0))),
                            ..r.at(1).map(c => cell(c.at(0), partner: c.at(1))))).flatten())
    let width = names + data.columns.len() * (s.cell_width * pt + 1pt)  // no second layout
    table
    v(6pt, weak: false)
    block(width: width, spacing: 0pt, {
      set par(leading: 0.6em)
      data.legend.map(l => box(cell(l.at(0)) + h(3pt)
                               + box(height: s.cell_height * pt, align(horizon, l.at(1)))))
        .join(h(10pt, weak: true) + " ")
    })
  }
}
"""
"""The drawing: a grid of cells under the columns' names, a row per State, and the
legend below it, wrapping within the grid's width."""

_STANDALONE = f"""
#import "heat-map.typ": heat-map
#set page(width: auto, height: auto, margin: {PICTURE_MARGIN:g}pt, fill: white)
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
    drawing: str = "heat-map"
    """The typst function that draws it, from the module of the same name (`heat-map.typ`,
    `chart.typ`)."""


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


Draw = Callable[[dict[str, str], str, str, list[str]], dict[str, list[bytes]]]
"""Draws pages with typst: (modules by file name, the main file, the data it reads as
`sys.inputs.data`, the formats) -> each format's pages. TypstWorker.draw: typst draws in
the build worker's typst process, which keeps what a drawing costs (a 193-State map, 120
MB that typst never gives back) out of the build's own."""


FIGURE_CACHE = "figures-3"
"""The drawings kept in the build's cache folder (gcmreview.convert.narratives.CACHE_FOLDER);
a new name when what is kept changes."""
FIGURE_CACHE_ENTRIES = 2000
"""At most this many drawings are kept; the oldest go first."""


def cached_drawing(draw: Draw, folder: Path, sealing: bytes | None = None) -> Draw:
    """`draw`, remembering what it drew in `folder`, by the hash of all it was given (the
    drawing's typst code, its data, the formats, typst's version): a build after the first
    draws only the figures whose data changed (a 193-State heat map: 2 s; a State's
    charts: 0.1 s each). typst draws the same bytes from the same input, so a kept drawing
    is the one typst would draw. Anything unusable (a link, a damaged file) is drawn
    again; a cache that cannot be written only costs time. With the user's key
    (`sealing`: gcmreview.convert.narratives.seal_key), each drawing is sealed, and one whose seal
    does not match (written elsewhere, or edited) is drawn again."""

    def drawing(modules: dict[str, str], main: str, data: str, formats: list[str]
                ) -> dict[str, list[bytes]]:
        key = hashlib.sha256(json.dumps([typst_version(), modules, main, data, formats],
                                        sort_keys=True).encode()).hexdigest()[:40]
        entry = folder / f"{key}{FIGURE_SUFFIX}"
        try:
            if not folder.is_symlink() and not entry.is_symlink() and entry.is_file():
                kept = _unpacked(_unsealed(entry.read_bytes(), entry.name, sealing), formats)
                if kept is not None:
                    return kept
        except OSError:
            pass
        pages = draw(modules, main, data, formats)
        with contextlib.suppress(OSError, InputError):
            if folder.parent.is_symlink() or folder.is_symlink():
                return pages
            folder.mkdir(parents=True, exist_ok=True)
            packed = _packed(pages, formats)
            write_atomic(entry, packed + _seal(packed, entry.name, sealing))
            _prune(folder)
        return pages

    return drawing


FIGURE_SUFFIX = ".pages"
SEAL_BYTES = 32
_PAGES_MAGIC = b"gcmreview pages 1\n"


def _packed(pages: dict[str, list[bytes]], formats: list[str]) -> bytes:
    """A drawing's pages as kept: a line naming the format, a JSON line of each page's
    length by format, then the pages' bytes as typst wrote them (base64 in JSON took a
    build with 965 charts 0.2 s to read back)."""
    sizes = {fmt: [len(page) for page in pages[fmt]] for fmt in formats}
    return b"".join([_PAGES_MAGIC, json.dumps(sizes, sort_keys=True).encode(), b"\n",
                     *(page for fmt in formats for page in pages[fmt])])


def _seal(packed: bytes, name: str, key: bytes | None) -> bytes:
    """What ends an entry: an HMAC of its name and bytes, or zeros without a key."""
    if key is None:
        return bytes(SEAL_BYTES)
    return seal(key, name, packed)


def _unsealed(kept: bytes, name: str, key: bytes | None) -> bytes:
    """The entry without its seal; b"" (unusable) if the seal is not this user's. Without
    a key nothing can be told: the entry is used as it is."""
    packed, seal = kept[:-SEAL_BYTES], kept[-SEAL_BYTES:]
    if len(kept) < SEAL_BYTES or (key is not None and not hmac.compare_digest(
            seal, _seal(packed, name, key))):
        return b""
    return packed


def _unpacked(kept: bytes, formats: list[str]) -> dict[str, list[bytes]] | None:
    """`_packed`'s pages, or None if the entry is not one whole (a damaged file)."""
    if not kept.startswith(_PAGES_MAGIC):
        return None
    start = len(_PAGES_MAGIC)
    end = kept.find(b"\n", start)
    try:
        sizes = json.loads(kept[start:end]) if end > 0 else None
    except (ValueError, RecursionError):  # not JSON, or nested past Python's limit
        return None
    if not isinstance(sizes, dict) or sorted(sizes) != sorted(formats) or not all(
            isinstance(v, list) and all(type(n) is int and n >= 0 for n in v)
            for v in sizes.values()):
        return None
    at, pages = end + 1, dict[str, list[bytes]]()
    for fmt in formats:
        pages[fmt] = []
        for size in sizes[fmt]:
            pages[fmt].append(kept[at:at + size])
            at += size
    return pages if at == len(kept) else None


def _prune(folder: Path) -> None:
    entries = [e for e in folder.iterdir() if e.suffix == FIGURE_SUFFIX]
    if len(entries) <= FIGURE_CACHE_ENTRIES:
        return
    entries.sort(key=lambda e: (e.stat().st_mtime, e.name))
    for old in entries[:len(entries) - FIGURE_CACHE_ENTRIES // 2]:
        with contextlib.suppress(OSError):
            old.unlink()


@functools.cache
def typst_version() -> str:
    """What draws: typst and the fonts installed with gcmreview (fonts.py)."""
    from importlib.metadata import version

    return f"typst {version('typst')}, fontpkg-amiri {version('fontpkg-amiri')}"


def _svg_size(svg: bytes) -> tuple[float, float]:
    size = re.search(rb'<svg [^>]*?width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    assert size is not None, "typst's SVG gives its size in points"
    return float(size.group(1)), float(size.group(2))


def _drawn(draw: Draw, modules: dict[str, str], main: str, data: str, title: str, *,
           svg: bool, png: bool) -> dict[str, list[bytes]]:
    wanted = [fmt for fmt, want in (("svg", svg or png), ("png", png)) if want]
    try:
        return draw(modules, main, data, wanted) if wanted else {}
    except ConversionError as exc:
        raise ConversionError(_("drawing the figure “{title}” failed: {reason}").format(
            title=title, reason=exc.message)) from exc


def render_heat_map(figure: HeatMap, draw: Draw, *, svg: bool = True, png: bool = True
                    ) -> RenderedFigure:
    """The figure's data, and its SVG and PNG when a format needs them (HTML, DOCX); the
    PDF draws it itself from the data."""
    data = json.dumps(figure_data(figure), ensure_ascii=False, sort_keys=True)
    pages = _drawn(draw, {MODULE: HEAT_MAP}, _STANDALONE, data, figure.title, svg=svg, png=png)
    width, height = _svg_size(pages["svg"][0]) if "svg" in pages else (0.0, 0.0)
    return RenderedFigure(data.encode(), svg=pages["svg"][0] if svg else b"",
                          png=pages["png"][0] if png else b"", width=width, height=height)


def place_in_html(path: Path, figures: dict[str, RenderedFigure],
                  tables: dict[str, str] | None = None) -> None:
    """Put each figure's SVG in place of its marker, as a data URI (self-contained HTML),
    and each data table written by gcmreview (render/tables.py) in place of its own
    (batch.lua `data_table`), labelled by its title if the marker names one.

    Done after pandoc wrote the page: a megabyte-long URI costs pandoc's HTML
    writer hundreds of megabytes, and a table it would only pass through costs it
    time. Only the document's own figures and tables are put in: a marker with
    another name stays as it is.
    """
    uris = {name.encode(): b'src="data:image/svg+xml;base64,' + base64.b64encode(figure.svg)
            + b'"' for name, figure in figures.items()}
    written = {name.encode(): table.encode() for name, table in (tables or {}).items()}

    def placed(match: re.Match[bytes]) -> bytes:
        if match.group(1) is not None:
            return uris.get(match.group(1), match.group(0))
        table = written.get(match.group(2))
        if table is None:
            return match.group(0)
        label = match.group(3)
        if label is None or not table.startswith(b"<table>"):
            return table
        return b'<table aria-labelledby="' + html_escape(label.decode()).encode() + b'">' \
            + table[len(b"<table>"):]

    html = _HTML_MARKER.sub(placed, path.read_bytes())
    path.write_bytes(html)


_HTML_MARKER = re.compile(rb'src="gcmreview-figure:([^"]*)"|'
                          rb"<!--gcmreview-table:([\w-]+)(?: ([\w-]+))?-->")


# --- indicator charts ----------------------------------------------------------------------

CHART_MODULE = "chart.typ"
"""The charts' drawing file name in the PDF's compile folder."""

CHART = """
#let W = 11.5cm
#let H = 3.6cm
#let small = 8.5pt
#let mark(kind, colour) = {
  if kind == "circle" { circle(radius: 2.4pt, fill: colour) }
  else if kind == "square" { square(size: 4.6pt, fill: colour) }
  else if kind == "triangle" { polygon(fill: colour, (2.6pt, 0pt), (5.2pt, 4.8pt), (0pt, 4.8pt)) }
  else { rotate(45deg, square(size: 3.8pt, fill: colour)) }
}
#let swatch(s) = box(width: 16pt, height: 6pt, {
  place(top + left, dy: 3pt, line(length: 16pt, stroke: 1.4pt + rgb(s.colour)))
  place(top + left, dx: 5.6pt, dy: 0.6pt, mark(s.mark, rgb(s.colour)))
})
#let line-chart(c, rtl) = {
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
        place(top + left, dx: W * p.at(0) - 2.6pt, dy: H * (1 - p.at(1)) - 2.5pt,
              mark(s.mark, rgb(s.colour)))
      }
    }
  })
  let ylabels = box(width: c.label_width * 1pt, height: H, {
    for t in c.yticks {
      place(top + left, dy: H * (1 - t.pos) - 6pt,
            box(width: c.label_width * 1pt, height: 12pt,
                align(if rtl { left } else { right } + horizon, text(size: small, t.label))))
    }
  })
  let xlabels = box(width: W, height: 12pt, {
    for t in c.xticks {
      place(top + left, dx: W * t.pos - 1cm, dy: 2pt,
            box(width: 2cm, align(center, text(size: small, t.label))))
    }
  })
  grid(columns: (auto, W), column-gutter: 4pt, row-gutter: 2pt,
       ylabels, plot, [], xlabels)
  if c.series.len() > 1 {
    v(4pt)
    block(width: W + c.label_width * 1pt + 4pt,
      c.series.map(s => box[#box(swatch(s)) #h(2pt) #text(size: small, s.label)])
        .join(h(10pt, weak: true) + " "))
  }
}
// Each value stands beside its bar's tip, on the side text reads towards (a negative
// bar's beside the zero line): the last column keeps the room the longest bar's needs.
#let bar-chart(c) = {
  grid(columns: (auto, W, auto), column-gutter: 5pt, row-gutter: 3pt,
    ..c.rows.map(r => (
      align(end + horizon, text(size: small, r.label)),
      box(width: W, height: 10pt, {
        place(top + left, dx: W * c.zero - 0.35pt, dy: -1.5pt,
              line(angle: 90deg, length: 13pt, stroke: 0.7pt + luma(110)))
        place(top + left, dx: W * r.start, rect(width: W * (r.end - r.start), height: 10pt,
                                                 fill: rgb(r.colour)))
        if c.rtl {
          place(horizon + right, dx: -W * (1 - r.tip) - 3pt, text(size: small, r.value))
        } else {
          place(horizon + left, dx: W * r.tip + 3pt, text(size: small, r.value))
        }
      }),
      hide(text(size: small, r.value)),
    )).flatten())
}
#let chart(c) = {
  set text(font: c.fonts, size: small, lang: c.lang, dir: if c.rtl { rtl } else { ltr })
  set par(justify: false)
  // The unit, over the plot: a chart copied on its own still says what it counts.
  if c.note != "" { block(below: 8pt, text(fill: luma(80), c.note)) }
  // the top tick's label stands half a line above the plot
  if c.kind == "line" { pad(top: 6pt, line-chart(c, c.rtl)) } else { bar-chart(c) }
}
"""
"""The drawing of an indicator's chart: a line per series over the years, or a bar per
category, its unit over it. Its title and source are the figure's caption and source,
in the text around it."""

_CHART_PAGES = """
#import "chart.typ": chart
#set page(width: auto, height: auto, margin: 6pt, fill: white)
#for (i, c) in json(bytes(sys.inputs.data)).enumerate() {
  if i > 0 { pagebreak() }
  chart(c)
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


@functools.lru_cache(maxsize=1024)
def _tick_label(value: float, step: float, lang: str) -> str:
    """An axis label (cached: the charts of a build share most of theirs)."""
    from babel.numbers import format_decimal

    # As many decimals as the step has: 2.5 labels 0, 2.5, 5, 7.5; 0.25 labels 0.25, 0.5...
    places = max(0, -int(Decimal(repr(round(step, 12))).normalize().as_tuple().exponent))
    pattern = "#,##0." + "0" * places if places else "#,##0"
    return str(format_decimal(round(value, places), format=pattern, locale=lang))


def chart_data(chart: Chart) -> dict[str, object]:
    """The chart laid out in proportions of its plot (0 to 1, mirrored right to left):
    typst only draws."""
    def x_of(pos: float) -> float:
        return 1 - pos if chart.rtl else pos

    common = {"lang": chart.lang, "rtl": chart.rtl, "fonts": font_families(chart.rtl),
              "note": chart.note}
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
        label_width = max(len(label) for label in labels) * 5.2 + 4
        return {**common, "kind": "line", "series": series, "yticks": ticks,
                "zero": round(y_of(0.0), 5),
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
                     "tip": round(end if value >= 0 else zero, 5),
                     "colour": CHART_COLOURS[0]})
    return {**common, "kind": "bars", "rows": rows, "zero": round(zero, 5)}


def render_charts(charts: dict[str, Chart], draw: Draw, *, svg: bool = True,
                  png: bool = True) -> dict[str, RenderedFigure]:
    """Every chart of a document: its data, for the PDF's own call of the drawing, and,
    when a format needs them, its SVG (HTML) and PNG (DOCX), drawn in one typst run, a page
    each. typst shapes Arabic, and the charts of a right-to-left report read from the right
    (the years too), as its heat maps do."""
    if not charts:
        return {}
    data = {name: chart_data(c) for name, c in charts.items()}
    encoded = {name: json.dumps(d, ensure_ascii=False, sort_keys=True).encode()
               for name, d in data.items()}
    pages = _drawn(draw, {CHART_MODULE: CHART}, _CHART_PAGES,
                   json.dumps(list(data.values()), ensure_ascii=False, sort_keys=True),
                   next(iter(charts.values())).title, svg=svg, png=png)
    drawn = {}
    for i, name in enumerate(charts):
        width, height = _svg_size(pages["svg"][i]) if "svg" in pages else (0.0, 0.0)
        drawn[name] = RenderedFigure(encoded[name], svg=pages["svg"][i] if svg else b"",
                                     png=pages["png"][i] if png else b"",
                                     width=width, height=height, drawing="chart")
    return drawn


def render_figures(figures: dict[str, HeatMap | Chart], draw: Draw, *, svg: bool = True,
                   png: bool = True) -> dict[str, RenderedFigure]:
    """A document's figures: each heat map on its own, its charts together."""
    charts = {n: f for n, f in figures.items() if isinstance(f, Chart)}
    drawn = render_charts(charts, draw, svg=svg, png=png)
    for name, figure in figures.items():
        if isinstance(figure, HeatMap):
            drawn[name] = render_heat_map(figure, draw, svg=svg, png=png)
    return {name: drawn[name] for name in figures}


def pdf_files(figures: dict[str, RenderedFigure]) -> dict[str, bytes]:
    """The files the PDF's compile folder needs for its figures: the drawings they call,
    and each figure's data (`<name>.json`)."""
    drawings = {"heat-map": (MODULE, HEAT_MAP), "chart": (CHART_MODULE, CHART)}
    used = dict(drawings[f.drawing] for f in figures.values())
    return {**{module: text.encode() for module, text in sorted(used.items())},
            **{f"{name}.json": f.data for name, f in figures.items()}}
