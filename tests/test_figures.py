"""The heat maps as drawn: their colours apart for every reader, their text large enough.

The drawing is typst's (gcmreview/convert/figures.py), the same in the three formats;
here it is drawn as the DOCX gets it (PNG) and looked at as a reader would: printed in
black and white (the PNG in greyscale), and seen by colour-blind readers (the fills
through the usual simulations of protanopia, deuteranopia and tritanopia). Where each
format places it, at what size, is checked with each format's reader (test_html.py,
test_docx_layout.py, test_pdf_layout.py).
"""

from __future__ import annotations

import io
import itertools
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pypandoc
import pytest
from PIL import Image

from gcmreview.convert import docx
from gcmreview.convert.figures import (
    FIGURE_CACHE,
    MAX_WIDTH,
    MIN_TEXT_PT,
    SIZES,
    cached_drawing,
    render_heat_map,
)
from gcmreview.convert.narratives import NarrativeCache
from gcmreview.convert.pdf import TypstWorker
from gcmreview.core.errors import ConversionError
from gcmreview.core.status import BY_CODE, NOT_REPORTED, NOT_STATED, OBJECTIVE_STATUSES, REPORTED
from gcmreview.model.figures import PROGRESS_PALETTE, HeatMap
from gcmreview.render.templates import FigureNumbers, builtin_templates_dir, environment

from .conftest import ROOT

STATUS_CODES = [s.code for s in (*OBJECTIVE_STATUSES, NOT_STATED, NOT_REPORTED)]
PALETTES = {
    "statuses": {code: BY_CODE[code].fill for code in STATUS_CODES},
    "principles": {code: BY_CODE[code].fill for code in (REPORTED.code, NOT_REPORTED.code)},
    "changes": {code: fill for code, (fill, _ink, _symbol) in PROGRESS_PALETTE.items()},
}
GREY_APART = 22
"""Grey levels (of 255) between any two fills in black and white: tells them apart side
by side, where the old "not started" (#deebf7, 232) was 23 from white and 14 from the
warm "not stated" (#fdd49e, 218)."""
DELTA_E_APART = 10.0
"""CIE76 colour difference between any two fills as a colour-blind reader sees them."""


def grey(colour: str) -> int:
    """A colour's grey level as PIL converts it (ITU-R 601-2 luma)."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return (r * 299 + g * 587 + b * 114 + 500) // 1000


def heat_map(palette: str, rtl: bool = False) -> HeatMap:
    """A row of cells per code, so that each fill covers a known share of the picture."""
    codes = list(PALETTES[palette])
    return HeatMap("test", [str(n) for n in range(1, 24)],
                   [(f"State {code}", [(code, False)] * 23) for code in codes],
                   [(code, code.replace("_", " ")) for code in codes], "ar" if rtl else "en",
                   rtl, palette=PROGRESS_PALETTE if palette == "changes" else None)


@pytest.mark.parametrize("palette", PALETTES)
def test_fills_stay_apart_in_black_and_white(palette: str, typst_process: TypstWorker
                                                ) -> None:
    """Printed in greyscale, every status keeps a grey of its own: the PNG converted to
    greyscale has each fill's grey over the area of its row of cells, and no two fills'
    greys are closer than GREY_APART."""
    figure = render_heat_map(heat_map(palette), typst_process.draw, svg=False, png=True)
    pixels = Image.open(io.BytesIO(figure.png)).convert("L").histogram()
    cells = {code: grey(fill) for code, fill in PALETTES[palette].items()}
    for code, level in cells.items():
        # 23 cells of at least 16 × 14 pt, at 150 pixels per inch, mostly fill.
        assert pixels[level] >= 23 * 16 * 14 * (150 / 72) ** 2 * 0.5, (code, level)
    for (a, ga), (b, gb) in itertools.combinations(cells.items(), 2):
        assert abs(ga - gb) >= GREY_APART, (a, ga, b, gb)


# Machado, Oliveira and Fernandes (2009), severity 1, in linear RGB.
SIMULATIONS = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602),
                   (0.004733, 0.691367, 0.303900)),
}


def linear(colour: str) -> tuple[float, float, float]:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(int(colour[i:i + 2], 16)) for i in (1, 3, 5))
    return r, g, b


def lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b = (min(max(v, 0.0), 1.0) for v in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116
    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


@pytest.mark.parametrize("vision", SIMULATIONS)
@pytest.mark.parametrize("palette", PALETTES)
def test_fills_stay_apart_for_colour_blind_readers(palette: str, vision: str) -> None:
    matrix = SIMULATIONS[vision]
    seen = {}
    for code, fill in PALETTES[palette].items():
        rgb = linear(fill)
        simulated = tuple(sum(m * v for m, v in zip(row, rgb, strict=True)) for row in matrix)
        seen[code] = lab(simulated)  # type: ignore[arg-type]
    for (a, la), (b, lb) in itertools.combinations(seen.items(), 2):
        distance = sum((p - q) ** 2 for p, q in zip(la, lb, strict=True)) ** 0.5
        assert distance >= DELTA_E_APART, (vision, a, b, round(distance, 1))


def test_text_is_legible_at_its_own_size() -> None:
    """The drawing is placed at its own size (scale 1) in every format: its smallest text
    is its size, at least 7 pt on paper and 11 CSS pixels (8.25 pt) on a screen."""
    assert MIN_TEXT_PT >= 8.25
    assert SIZES["cell_width"] >= SIZES["mark"] and SIZES["cell_height"] >= SIZES["mark"]


def test_a_partners_statement_is_marked_visibly(typst_process: TypstWorker) -> None:
    """A cell only a partner spoke to holds a dotted ring drawn dark and as large as a
    status symbol: the ◌ character it held drew not one dark pixel (a UN editor's reading
    of the regional report missed the marks)."""
    def dark_pixels(code: str) -> int:
        figure = HeatMap("test", [str(n) for n in range(1, 24)], [("State", [(code, False)] * 23)],
                         [(code, "label")], "en", False)
        png = render_heat_map(figure, typst_process.draw, svg=False, png=True).png
        return sum(Image.open(io.BytesIO(png)).convert("L").histogram()[:100])

    # 24 rings (23 cells and the legend's), each some 28 pixels darker than the grid's
    # lines (luma 115) at 150 pixels per inch; the same figure without them as the base.
    assert dark_pixels("partner") - dark_pixels("not_reported") >= 24 * 20


@pytest.mark.parametrize("rtl", [False, True])
def test_never_wider_than_the_text(rtl: bool, typst_process: TypstWorker) -> None:
    """Long names wrap and the legend wraps: 23 columns, the longest names and a legend
    of nine entries still fit the A4 text width, so that no format scales the drawing
    (and its text) down."""
    names = ["Saint-Vincent-et-les Grenadines", "République démocratique populaire lao",
             "جمهورية الكونغو الديمقراطية"]
    figure = HeatMap("test", [str(n) for n in range(1, 24)],
                     [(name, [("in_progress", True)] * 23) for name in names],
                     [(code, f"a rather long label for {code}") for code in STATUS_CODES]
                     + [("partner", "status stated by a partner, not by the State")],
                     "ar" if rtl else "fr", rtl)
    drawn = render_heat_map(figure, typst_process.draw, svg=True, png=False)
    assert 0 < drawn.width <= MAX_WIDTH, drawn.width


def _name_lines(names: list[str], columns: int, typst_process: TypstWorker
                ) -> list[tuple[str, float, float]]:
    """(word, top, bottom) of the States' names of a heat map with `columns` columns, as
    pdftotext reads the drawing made a PDF page (the report's PDF calls the same drawing)."""
    from gcmreview.convert import figures

    figure = HeatMap("test", [str(n) for n in range(1, columns + 1)],
                     [(name, [("in_progress", False)] * columns) for name in names],
                     [("in_progress", "In progress")], "fr", False)
    pdf = typst_process.draw({figures.MODULE: figures.HEAT_MAP}, figures._STANDALONE,
                             json.dumps(figures.figure_data(figure)), ["pdf"])["pdf"][0]
    done = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True,
                          check=True, timeout=60)
    words = set(" ".join(names).split())
    return [(word, float(top), float(bottom)) for top, bottom, word in re.findall(
        r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', done.stdout.decode())
        if word in words]


def test_names_use_the_room_the_columns_leave(typst_process: TypstWorker) -> None:
    """Ten columns (the principles) leave room for "République arabe syrienne" on one
    line, and 23 (the objectives) too (it wrapped in the French report's Figure 1 with
    cells 15.5 pt wide); a longer name wraps, and its row grows: its lines keep 3 pt from
    the names above and below (they were 1 pt apart, the row a cell's height)."""
    names = ["Maroc", "République arabe syrienne", "Tunisie"]
    for columns in (10, 23):
        tops = {top for word, top, _ in _name_lines(names, columns, typst_process)
                if word in names[1].split()}
        assert len(tops) == 1, columns
    names = ["Maroc", "République démocratique populaire lao", "Tunisie"]
    lines = _name_lines(names, 23, typst_process)
    syria = [(top, bottom) for word, top, bottom in lines if word in names[1].split()]
    assert len({top for top, _ in syria}) == 2  # two lines
    above = next(bottom for word, _, bottom in lines if word == "Maroc")
    below = next(top for word, top, _ in lines if word == "Tunisie")
    assert min(top for top, _ in syria) - above >= 3
    assert below - max(bottom for _, bottom in syria) >= 3


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_figures_are_numbered_in_order_with_their_texts(lang: str) -> None:
    """Each figure's texts: "Figure 1." and the title, the text alternative, the source;
    all but the source (Markdown) beside the skeleton as plain text. A template written
    for the older figure(alt) still builds, its figure numbered."""
    env = environment((builtin_templates_dir().resolve(),), lang)
    numbers = FigureNumbers()
    text = env.from_string('{{ "a"|figure("Title A", "Alt  A\n") }}{{ "b"|figure("Alt B") }}'
                           ).render(lang=lang, figure_numbers=numbers)
    label = {"fr": "Figure", "ar": "الشكل"}[lang]
    assert '{.figure name="a" number="1"}' in text and '{.figure name="b" number="2"}' in text
    first, second = numbers.texts["1"], numbers.texts["2"]
    assert (first["before"].strip(), first["after"]) == (label, ". Title A")
    assert (second["before"].strip(), second["after"]) == (label, ".")
    assert (first["alt"], second["alt"]) == ("Alt A", "Alt B")
    assert "Alt" not in text and "Title" not in text
    assert first["table"] == {"fr": "Figure 1 sous forme de tableau",
                              "ar": first["table"]}[lang] and "1" in first["table"]
    assert {"fr": "examens volontaires des États", "ar": "الاستعراضات الطوعية"}[lang] in text


def test_a_drawing_that_fails_names_the_figure(typst_process: TypstWorker) -> None:
    """typst refusing a drawing (here a colour it cannot read) fails the figure with its
    title and typst's reason, not the build's process; the typst process draws on."""
    broken = HeatMap("Carte cassée", ["1"], [("State", [("done", False)])], [("done", "done")],
                     "fr", False, palette={"done": ("not-a-colour", "#000000", "x")})
    with pytest.raises(ConversionError, match="Carte cassée") as failure:
        render_heat_map(broken, typst_process.draw, svg=True, png=True)
    assert "color" in failure.value.message  # typst's reason, in its words
    assert render_heat_map(heat_map("principles"), typst_process.draw).png.startswith(b"\x89PNG")


def test_drawings_are_kept_for_the_next_build(tmp_path: Path, typst_process: TypstWorker
                                               ) -> None:
    """A build after the first draws only what changed: a drawing given the same input
    comes from the build's cache, the same bytes typst draws. A damaged entry, or a link
    in place of one, is drawn again (a link is never followed out of the build folder)."""
    drawn: list[int] = []

    def draw(*request: Any) -> dict[str, list[bytes]]:
        drawn.append(1)
        return typst_process.draw(*request)

    folder = tmp_path / FIGURE_CACHE
    kept = cached_drawing(draw, folder)
    first = render_heat_map(heat_map("principles"), kept)
    assert render_heat_map(heat_map("principles"), kept) == first and len(drawn) == 1
    assert render_heat_map(heat_map("statuses"), kept) != first and len(drawn) == 2
    entry = min(folder.glob("*.pages"), key=lambda e: e.stat().st_mtime)
    whole = entry.read_bytes()
    assert whole.startswith(b"gcmreview pages 1\n") and first.svg in whole
    for damaged in (b"{damaged", whole[:-1], whole + b"!", whole.replace(b'"png"', b'"pdf"'),
                    whole.replace(b"[", b'["', 1), b"gcmreview pages 1\n" + b"[" * 100_000):
        entry.write_bytes(damaged)
        before = len(drawn)
        assert render_heat_map(heat_map("principles"), kept) == first and len(drawn) == before + 1
    elsewhere = tmp_path / "elsewhere.pages"
    elsewhere.write_bytes(whole.replace(b"\x89PNG", b"\x89XXX"))
    entry.unlink()
    entry.symlink_to(elsewhere)
    before = len(drawn)
    assert render_heat_map(heat_map("principles"), kept) == first and len(drawn) == before + 1


def test_kept_drawings_are_sealed_with_the_users_key(tmp_path: Path,
                                                     typst_process: TypstWorker) -> None:
    """A drawing is used again only if this user's key sealed it: one from a build folder
    made elsewhere (another key, no key) or edited in place, even keeping its layout, is
    drawn again."""
    drawn: list[int] = []

    def draw(*request: Any) -> dict[str, list[bytes]]:
        drawn.append(1)
        return typst_process.draw(*request)

    folder = tmp_path / FIGURE_CACHE
    mine, theirs = b"k" * 32, b"t" * 32
    first = render_heat_map(heat_map("principles"), cached_drawing(draw, folder, mine))
    assert render_heat_map(heat_map("principles"), cached_drawing(draw, folder, mine)) == first
    assert len(drawn) == 1
    [entry] = folder.glob("*.pages")
    whole = entry.read_bytes()
    edited = whole.replace(b"<svg", b"<SVG", 1)
    assert len(edited) == len(whole) and edited != whole
    for other, key in ((whole, theirs), (edited, mine)):
        entry.write_bytes(other)
        before = len(drawn)
        assert render_heat_map(heat_map("principles"), cached_drawing(draw, folder, key)) \
            == first and len(drawn) == before + 1
    entry.unlink()  # a build without a key (no home folder) writes zeros, and uses
    render_heat_map(heat_map("principles"), cached_drawing(draw, folder))  # what it finds
    assert entry.read_bytes().endswith(bytes(32))
    assert render_heat_map(heat_map("principles"), cached_drawing(draw, folder)) == first
    before = len(drawn)
    assert render_heat_map(heat_map("principles"), cached_drawing(draw, folder, mine)) == first
    assert len(drawn) == before + 1


def test_an_older_figure_cache_goes_when_the_build_saves(tmp_path: Path) -> None:
    cache = NarrativeCache(tmp_path, "test")
    cache.folder.mkdir(parents=True)
    older = cache.root / "figures-1"
    older.mkdir()
    (older / "a.json").write_text("{}", encoding="utf-8")
    (cache.root / FIGURE_CACHE).mkdir()
    cache.save(complete=True)
    assert not older.exists() and (cache.root / FIGURE_CACHE).is_dir()


# --- charts in the DOCX: pandoc leaves a marker, the finishing step places the picture ------


@pytest.mark.parametrize("points", [356.384251969, 480.0, 123.456, 72.0])
def test_a_picture_is_placed_as_pandoc_places_one(points: float, tmp_path: Path) -> None:
    """The drawing put in place of a figure's marker (convert/docx.py `placed_pictures`) is
    the one pandoc writes for the picture at the width batch.lua gave it before (to the
    hundredth of an inch): same size, same markup, only its ids its own."""
    png = io.BytesIO()
    Image.new("RGB", (742, 279), "white").save(png, format="PNG", dpi=(144, 144))
    (tmp_path / "chart.png").write_bytes(png.getvalue())
    target = tmp_path / "chart.docx"
    pypandoc.convert_text(f'![A "chart" & its values](chart.png){{width={points / 72:.2f}in}}',
                          "docx", format="markdown-smart", outputfile=str(target),
                          cworkdir=tmp_path)
    with zipfile.ZipFile(target) as archive:
        document = archive.read("word/document.xml").decode()
    by_pandoc = re.search(r"<w:r><w:drawing>.*?</w:drawing></w:r>", document, re.DOTALL)
    assert by_pandoc is not None
    ours = docx._drawing(docx.Picture(png.getvalue(), points), "chart",
                         'A "chart" & its values', "rIdFigure1", 7,
                         docx._text_points(document))  # 480 pt is wider: made narrower

    def anonymous(xml: str) -> str:
        return re.sub(r'\b(id|r:embed)="[^"]*"', r'\1=""', re.sub(r">\s+<", "><", xml))

    assert anonymous(ours) == anonymous(by_pandoc.group(0))


def test_charts_reach_the_docx_whole_at_the_size_pandoc_gave_them(run_cli, tmp_path: Path
                                                                  ) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(ROOT / "docs" / "examples" / "indicators", ws)
    result = run_cli("build", "-c", "AQ", "--format", "docx", "--out", "out", cwd=ws)
    assert result.code == 0, result.err
    path = ws / "out" / "AQ.en.docx"
    with zipfile.ZipFile(path) as archive:
        document = archive.read("word/document.xml").decode()
        rels = dict(re.findall(r'Id="([^"]+)"[^>]*Target="(media/[^"]+)"',
                               archive.read("word/_rels/document.xml.rels").decode()))
        pictures = {name: archive.read(f"word/{name}") for name in rels.values()}
        stored = {name: archive.getinfo(f"word/{name}").compress_type for name in rels.values()}
    assert len(pictures) >= 2
    for name, png in pictures.items():
        assert len(png) > 1000, name
        assert stored[name] == zipfile.ZIP_STORED  # a PNG is deflated already
        with Image.open(io.BytesIO(png)) as image:
            image.load()  # the whole picture, not a header
            width, height = image.size
        ident = next(i for i, target in rels.items() if target == name)
        extent = re.search(r'<wp:extent cx="(\d+)" cy="(\d+)" />(?:(?!</w:drawing>).)*'
                           rf'r:embed="{ident}"', document, re.DOTALL)
        assert extent is not None, name
        cx, cy = map(int, extent.groups())
        assert abs(cx / cy - width / height) < 0.01, name
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice is not installed: apt-get install libreoffice-writer-nogui")
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=300)
    listed = subprocess.run(["pdfimages", "-list", str(tmp_path / "AQ.en.pdf")], check=True,
                            capture_output=True, text=True).stdout.splitlines()[2:]
    assert len(listed) >= len(pictures)


@pytest.mark.parametrize(("step", "lang", "labels"), [
    (2.5, "fr", ["0,0", "2,5", "5,0", "7,5", "10,0"]),
    (0.25, "en", ["0.00", "0.25", "0.50", "0.75", "1.00"]),
    (25, "en", ["0", "25", "50", "75", "100"]),
    (250, "fr", ["0", "250", "500", "750", "1\u202f000"]),
    (0.1, "en", ["0.0", "0.1", "0.2", "0.3", "0.4"]),
    (2.5e-5, "en", ["0.000000", "0.000025", "0.000050", "0.000075", "0.000100"]),
])
def test_axis_labels_show_every_step(step: float, lang: str, labels: list[str]) -> None:
    """As many decimals as the step has, the same on every label of the axis (a step of
    2.5 was labelled 0, 2, 5, 8, 10: decimals were kept only for steps under 1)."""
    from gcmreview.convert.figures import _tick_label

    assert [_tick_label(i * step, step, lang) for i in range(5)] == labels
