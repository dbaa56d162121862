"""The page layout of the PDF reports (templates/report.typ), on real builds.

The shipped example is built once per module (MA and the regional report, in
French and in Arabic) and every page is read back: text runs and fonts with
pypdf, word boxes with `pdftotext -bbox`, and, to see a heat map that has no
text, the ink of a page rendered by `pdftoppm` (both from poppler-utils).
Positions are PDF points, y from the bottom of the page.
"""

from __future__ import annotations

import contextlib
import html
import io
import itertools
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pypdf
import pytest

from gcmreview import __version__
from gcmreview.cli import main
from gcmreview.convert.figures import MIN_TEXT_PT

from .conftest import copy_workspace

DOCUMENTS = ("MA.fr", "MA.ar", "regional.fr", "regional.ar")
MARGIN_X = 2 * 72 / 2.54
"""The page margins of report.typ (2 cm, 2.2 cm): the header and footer lie outside."""
MARGIN_Y = 2.2 * 72 / 2.54
MIN_LINES = 8
"""Lines of text on every page but the cover and the last one."""
INK_DPI = 36
LINES_UNDER_A_HEADING = 30
"""Points of text or drawing under a heading: more than one line."""

pytestmark = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdftoppm")),
    reason="poppler-utils (pdftotext, pdftoppm) is not installed")


def build(ws: Path, out: str, *args: str) -> None:
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.chdir(ws), contextlib.redirect_stdout(stdout), \
            contextlib.redirect_stderr(stderr):
        code = main(["build", "--country", "MA", "--region", "--format", "pdf", "--out", out,
                     *args])
    assert code == 0, stderr.getvalue()


def built_ma_pdf(tmp_path: Path, lang: str, objectives: str) -> Path:
    """MA's report as PDF, its review holding only `objectives` (the YAML under
    `objectives:`, indented), in a workspace of its own."""
    ws = copy_workspace(tmp_path / "ws", ())
    (ws / "countries" / "MA.yaml").write_text(
        f"country: MA\nreview: {{cycle: 2020, language: {lang}, status: draft}}\n"
        f"objectives:\n{objectives}", encoding="utf-8")
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.chdir(ws), contextlib.redirect_stdout(stdout), \
            contextlib.redirect_stderr(stderr):
        code = main(["build", "--country", "MA", "--format", "pdf", "--out", "out"])
    assert code == 0, stderr.getvalue()
    return ws / "out" / f"MA.{lang}.pdf"


@dataclass
class Builds:
    out: Path
    first: dict[str, bytes]
    """The PDFs of the first build; `out` holds those of a second one, with --force."""


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    ws = copy_workspace(tmp_path_factory.mktemp("layout") / "ws")
    for run in ((), ("--force",)):
        if run:
            first = {name: (ws / "out" / f"{name}.pdf").read_bytes() for name in DOCUMENTS}
        build(ws, "out", *run)
        build(ws, "out", "--lang", "ar", *run)
    return Builds(ws / "out", first)


@dataclass
class Run:
    text: str
    x: float
    y: float
    """The baseline."""
    font: str
    size: float


@dataclass
class Word:
    text: str
    x_min: float
    x_max: float
    y: float
    """The middle of the word's box."""


@dataclass
class Heading:
    title: str
    top: float


@dataclass
class Page:
    pdf: Path
    number: int
    height: float
    width: float
    runs: list[Run]
    words: list[Word] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)

    def body(self) -> list[Run]:
        return [r for r in self.runs if MARGIN_Y < r.y < self.height - MARGIN_Y]

    def lines(self) -> list[list[Run]]:
        """The body's runs grouped by baseline, top line first."""
        rows: dict[float, list[Run]] = {}
        for run in self.body():
            rows.setdefault(round(run.y), []).append(run)
        return [rows[y] for y in sorted(rows, reverse=True)]

    def footer(self) -> list[Word]:
        return [w for w in self.words if w.y < MARGIN_Y]

    def header(self) -> list[Word]:
        return [w for w in self.words if w.y > self.height - MARGIN_Y]

    @cached_property
    def ink_rows(self) -> list[bool]:
        """Per row of pixels (top first) of the page rendered in grey: is anything drawn?"""
        with tempfile.TemporaryDirectory() as tmp:
            prefix = Path(tmp) / "page"
            subprocess.run(["pdftoppm", "-gray", "-r", str(INK_DPI), "-f", str(self.number),
                            "-l", str(self.number), "-singlefile", str(self.pdf), str(prefix)],
                           check=True, capture_output=True)
            data = Path(f"{prefix}.pgm").read_bytes()
        fields = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
        assert fields, "not a binary PGM"
        width, height = int(fields[1]), int(fields[2])
        pixels = data[fields.end():]
        return [min(pixels[row * width:(row + 1) * width]) < 160 for row in range(height)]

    def lowest_ink(self, top: float, bottom: float) -> float | None:
        """The lowest height between `top` and `bottom` where anything is drawn (text, lines,
        a heat map), or None."""
        scale = INK_DPI / 72
        first, last = int((self.height - top) * scale), int((self.height - bottom) * scale)
        rows = [r for r in range(max(first, 0), last + 1) if self.ink_rows[r]]
        return self.height - (rows[-1] + 1) / scale if rows else None


def outline(reader: pypdf.PdfReader) -> list[tuple[int, Heading]]:
    found = []

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.append((reader.get_destination_page_number(item),
                              Heading(item.title, float(item["/Top"]))))

    walk(reader.outline)
    return found


def bbox_words(pdf: Path) -> list[list[Word]]:
    """`pdftotext -bbox`: the words of each page and their boxes (y from the top there)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True,
                         capture_output=True, text=True).stdout
    pages = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        height = float(page[2])
        pages.append([
            Word(html.unescape(m[5]), float(m[1]), float(m[3]),
                 height - (float(m[2]) + float(m[4])) / 2)
            for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                                 r'yMax="([\d.]+)">(.*?)</word>', page[3])])
    return pages


def read_pages(pdf: Path) -> list[Page]:
    reader = pypdf.PdfReader(pdf)
    words = bbox_words(pdf)
    pages = []
    for i, page in enumerate(reader.pages):
        runs: list[Run] = []

        def visit(text: str, cm: list[float], tm: list[float], font: dict | None,
                  size: float, runs: list[Run] = runs) -> None:
            if text.strip():
                runs.append(Run(text, cm[4] + tm[4], cm[5] + tm[5],
                                str((font or {}).get("/BaseFont", "")), size))

        page.extract_text(visitor_text=visit)
        pages.append(Page(pdf, i + 1, float(page.mediabox.height), float(page.mediabox.width),
                          runs, words[i]))
    for number, heading in outline(reader):
        pages[number].headings.append(heading)
    return pages


@pytest.fixture(scope="module")
def documents(builds: Builds) -> dict[str, list[Page]]:
    return {name: read_pages(builds.out / f"{name}.pdf") for name in DOCUMENTS}


def heading_bottom(page: Page, heading: Heading) -> float:
    """Where a heading's last line ends: its lines share its first line's font and size."""
    lines = [line for line in page.lines() if heading.top - 90 < line[0].y < heading.top]
    assert lines, f"p. {page.number}: no text under the heading {heading.title!r}"
    style = max((r.size, r.font) for r in lines[0])
    last = lines[0]
    for line in lines[1:]:
        if max((r.size, r.font) for r in line) != style:
            break
        last = line
    return last[0].y - 0.45 * style[0]  # below the descenders (Amiri's are deep)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_no_page_is_nearly_empty(documents: dict[str, list[Page]], name: str) -> None:
    # Sections follow each other: no page holds a heading and two lines any more.
    # The cover is a title page, and the last page ends where the report ends.
    pages = documents[name]
    assert len(pages) >= 4
    short = {p.number: len(p.lines()) for p in pages[1:-1] if len(p.lines()) < MIN_LINES}
    assert not short, f"{name}: pages with fewer than {MIN_LINES} lines: {short}"


@pytest.mark.parametrize("name", DOCUMENTS)
def test_no_heading_is_left_at_the_foot_of_a_page(documents: dict[str, list[Page]],
                                                   name: str) -> None:
    # The last heading of a page has something under it on that page (text, or a
    # drawing: the heat maps have no text), and more than a line of it, unless its
    # section ends there (the next page starts with a heading): not "Libye" and the
    # one-line summary above its table, the table on the next page.
    pages = documents[name]
    for page, following in itertools.pairwise(pages):
        if not page.headings:
            continue
        heading = min(page.headings, key=lambda h: h.top)
        bottom = heading_bottom(page, heading)
        ink = page.lowest_ink(bottom - 2, MARGIN_Y + 1)
        where = f"{name} p. {page.number}, heading {heading.title!r}"
        assert ink is not None, f"{where}: the page ends with it"
        section_ends = bool(following.headings) and (
            following.lines()[0][0].y <= max(h.top for h in following.headings))
        assert bottom - ink > LINES_UNDER_A_HEADING or section_ends, (
            f"{where}: one line under it, the rest of its section on the next page")


def footnote_pages(pdf: Path) -> list[tuple[int, int]]:
    """(page of the call, page of the note) of each footnote. typst links a call to its
    note and the note back to its call: two links, each pointing at the other's line
    (an explicit destination: the contents and headings have named ones)."""
    reader = pypdf.PdfReader(pdf)
    links = []
    for number, page in enumerate(reader.pages, 1):
        for annotation in page.get("/Annots") or []:
            link = annotation.get_object()
            target = link.get("/Dest") or (link.get("/A") or {}).get("/D")
            if link.get("/Subtype") != "/Link" or target is None or isinstance(target, str):
                continue
            rect = [float(x) for x in link["/Rect"]]
            links.append((number, rect, reader.get_page_number(target[0].get_object()) + 1,
                          float(target[3])))

    def points_at(link: tuple, other: tuple) -> bool:  # the target's top, on that line
        return link[2] == other[0] and other[1][1] - 2 <= link[3] <= other[1][3] + 12

    found = []
    for call, note in itertools.combinations(links, 2):
        if points_at(call, note) and points_at(note, call):
            if call[3] > note[3]:  # the note's line is at the foot: a call points lower
                call, note = note, call
            found.append((call[0], note[0]))
    return found


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_footnote_is_on_the_page_of_its_call(builds: Builds, name: str) -> None:
    # typst 0.15 leaves a note on the page before its call when orphan prevention moves
    # the paragraph and its heading to the next page (typst/typst#5314): MA's note 12
    # in every language, the French regional report's note 23, before report.typ and
    # convert/pdf.py laid such a document out again.
    pages = footnote_pages(builds.out / f"{name}.pdf")
    assert len(pages) >= 5, f"{name}: {len(pages)} footnotes found"
    apart = [f"call p. {call}, note p. {note}" for call, note in pages if call != note]
    assert not apart, f"{name}: " + "; ".join(apart)


KEYS = {"regional.fr": (r"Figure 2\.", "Priorité à la dimension humaine",
                        "Approche mobilisant l’ensemble de la société"),
        "regional.ar": (r"الشكل\W*2", "People-centred", "Whole-of-society approach")}
"""The caption (a pattern: poppler reads "الشكل 2." as "الشكل .2") and the key's first and
last names."""
BIDI_MARKS = str.maketrans("", "", "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@pytest.mark.parametrize("name", sorted(KEYS))
def test_a_figures_key_is_on_its_page_whole(builds: Builds, name: str) -> None:
    # The principles' names under Figure 2's letters: once split over two pages (the
    # Arabic report's (a)-(f) and (g)-(j)), once alone on the page after the figure.
    caption, first, last = KEYS[name]
    pages = [" ".join(page.translate(BIDI_MARKS).split())
             for page in pdftotext_pages(builds.out / f"{name}.pdf")]
    at = next(i for i, text in enumerate(pages) if first in text)
    assert last in pages[at], f"{name}: the key goes on after p. {at + 1}"
    assert re.search(caption, pages[at]), f"{name}: the key is on p. {at + 1}, not with its figure"


TABLES = {"MA.fr": ("Tableau", ["#", "Principe"]),
          "regional.fr": ("Tableau", ["État", "#", "Principe", "#"]),
          "regional.ar": ("الجدول", ["الدولة", "#", "المبدأ", "#"])}
"""Each document's table label, and the first word of each titled table's header row."""


@pytest.mark.parametrize("name", sorted(TABLES))
def test_a_tables_title_stands_over_its_start(builds: Builds, name: str) -> None:
    """"Tableau 1. …" on the page of its table, never left at the foot of the one before,
    and where the table starts: at its left (at its right in Arabic), not over a table
    pandoc centred. (poppler's boxes give an Arabic line's words from the left, each
    word's letters reversed.)"""
    label, headers = TABLES[name]
    rtl = name.endswith(".ar")
    if rtl:
        label, headers = label[::-1], [h[::-1] for h in headers]
    pages = bbox_words(builds.out / f"{name}.pdf")
    found = [(page, i) for page, words in enumerate(pages) for i, word in enumerate(words)
             if word.text.translate(BIDI_MARKS) == label]
    assert len(found) == len(headers)
    for number, ((page, at), header) in enumerate(zip(found, headers, strict=True), start=1):
        words = pages[page]
        assert words[at - 1 if rtl else at + 1].text.translate(BIDI_MARKS).strip(".") \
            == str(number)
        title = words[at]
        cell = next((w for w in words[at + 1:] if w.y < title.y - 3
                     and w.text.translate(BIDI_MARKS) == header), None)
        assert cell is not None, f"{name}: table {number}'s title on p. {page + 1}, alone"
        inset = title.x_max - cell.x_max if rtl else cell.x_min - title.x_min
        assert 0 <= inset <= 8, (number, inset)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_no_attribution_starts_a_page(builds: Builds, name: str) -> None:
    # "— Tunisie (déclaration d'un partenaire…)" alone at the top of a page, its
    # quotation ending on the one before: typst moves the line when its note does not fit
    # there, whatever the quotation's stickiness (the Arabic regional report's p. 13).
    pages = pdftotext_pages(builds.out / f"{name}.pdf")
    for number, page in enumerate(pages[1:], 2):
        lines = [line.translate(BIDI_MARKS).strip() for line in page.splitlines()
                 if line.strip() and not line.strip().isdigit()]  # a note's raised number
        first = lines[1] if len(lines) > 1 else ""  # under the running header
        assert not ("— " in first and len(first) < 160), f"{name} p. {number}: {first}"


def pdftotext_pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return text.split("\f")


@pytest.mark.parametrize("name", DOCUMENTS)
def test_running_footer_and_header(documents: dict[str, list[Page]], name: str) -> None:
    # The footer: the document's subtitle at the start of the line, the page number
    # at its end: in Arabic the text on the right and the number on the left.
    rtl = name.endswith(".ar")
    left, right = MARGIN_X, documents[name][0].width - MARGIN_X
    for page in documents[name][1:]:
        footer = page.footer()
        number = [w for w in footer if w.text == str(page.number)]
        text = [w for w in footer if w not in number]
        assert len(number) == 1 and text, f"{name} p. {page.number}: footer {footer}"
        if rtl:
            assert abs(number[0].x_min - left) < 1
            assert abs(max(w.x_max for w in text) - right) < 1
            assert number[0].x_max < min(w.x_min for w in text)
        else:
            assert abs(min(w.x_min for w in text) - left) < 1
            assert abs(number[0].x_max - right) < 1
            assert max(w.x_max for w in text) < number[0].x_min
        # The header starts on the same side as the footer's text.
        header = page.header()
        assert header, f"{name} p. {page.number}: no header"
        if rtl:
            assert abs(max(w.x_max for w in header) - right) < 1
        else:
            assert abs(min(w.x_min for w in header) - left) < 1


def test_a_states_pdf_footer_says_what_its_docx_footer_says(
        documents: dict[str, list[Page]]) -> None:
    # The editor's review: "Draft · 13 August 2020" in the DOCX, the subtitle in the PDF.
    page = documents["MA.fr"][2]
    words = [w.text for w in sorted(page.footer(), key=lambda w: w.x_min)]
    assert " ".join(words) == f"Projet · 13 août 2020 {page.number}"


@pytest.mark.parametrize("name", DOCUMENTS)
def test_provenance_is_not_on_the_pages(documents: dict[str, list[Page]], name: str) -> None:
    # "Generated by gcmreview <version> from <file>" is the document's subject (its
    # properties), not a line of a UN document's pages (tests/test_apparatus.py).
    pages = [p.number for p in documents[name]
             if any(__version__ in w.text for w in p.words)]
    assert pages == [], f"{name}: the version appears on pages {pages}"


def test_builds_are_byte_identical(builds: Builds) -> None:
    for name in DOCUMENTS:
        assert (builds.out / f"{name}.pdf").read_bytes() == builds.first[name], name


_SEGMENT = re.compile(rb"(-?[\d.]+) (-?[\d.]+) m\s+(-?[\d.]+) (-?[\d.]+) l\s+S\b")
"""A line on its own, stroked (not a piece of a glyph drawn as a path)."""


@pytest.mark.parametrize("name", DOCUMENTS)
def test_no_stray_dot_beside_the_tables(builds: Builds, name: str) -> None:
    """A line shorter than its own width prints as a dot: the header line of a table used
    to cross the zero-width column that keeps rows together, leaving one at its edge."""
    reader = pypdf.PdfReader(builds.out / f"{name}.pdf")
    dots = []
    for number, page in enumerate(reader.pages, start=1):
        for match in _SEGMENT.finditer(page.get_contents().get_data()):
            x1, y1, x2, y2 = (float(v) for v in match.groups())
            if abs(x2 - x1) + abs(y2 - y1) < 2:
                dots.append(number)
    assert not dots, f"{name}: dots on pages {sorted(set(dots))}"


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_a_narrative_that_starts_with_a_list_is_a_list(tmp_path: Path, lang: str) -> None:
    """pandoc set the narrative's language on the line of its first block, where the first
    `- ` of a list was printed as a hyphen instead of a bullet."""
    items = {"fr": ["Mettre à jour la stratégie.", "Lancer la plateforme.", "Préparer 2024."],
             "ar": ["تحديث الاستراتيجية الوطنية.", "إطلاق المنصة.", "إعداد الاستعراض المقبل."]}
    lines = "\n".join(f"      - {item}" for item in items[lang])
    pdf = built_ma_pdf(tmp_path, lang, f"  1:\n    status: planned\n    summary: |\n{lines}\n")
    text = subprocess.run(["pdftotext", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    for item in items[lang]:
        words = item.rstrip(".").split()[0]
        (line,) = [line for line in text.splitlines() if words in line]
        assert "•" in line and "-" not in line, line


POPPLER_FALSE_ALARM = "Syntax Error: Suspects object is wrong type (boolean)"
"""What poppler before 25.12 prints for every tagged PDF typst writes: the catalog's
/MarkInfo << /Marked true /Suspects false >> is as the PDF specification has it (ISO
32000, MarkInfo: Suspects, a boolean, false by default), but poppler's
Catalog::getMarkInfo tested `isBool() && getBool()` and took a false value for one of
the wrong type (fixed in poppler 25.12.0, commit 2a4edaea, \"Do not report pdf syntax
error when Suspects or UserProperties have false value\"). It reads the value right all
the same (not suspect); only pdfinfo prints it, and viewers only log it."""


def qpdf() -> str:
    found = shutil.which("qpdf")
    if found is None:
        message = "qpdf is not installed: apt-get install qpdf"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.mark.parametrize("name", DOCUMENTS)
def test_qpdf_finds_nothing_wrong(builds: Builds, name: str) -> None:
    """qpdf reads every object and stream of the file: no error, no warning (exit code 3,
    and "WARNING:" lines, for what it had to repair)."""
    result = subprocess.run([qpdf(), "--check", str(builds.out / f"{name}.pdf")],
                            capture_output=True, text=True, timeout=120)
    said = result.stdout + result.stderr
    assert result.returncode == 0, said
    clean = "No syntax or stream encoding errors found; the file may still contain\n" \
        "errors that qpdf cannot detect"
    assert clean in said
    rest = said.replace(clean, "")
    assert "warning" not in rest.lower() and "error" not in rest.lower(), said


@pytest.mark.parametrize("name", DOCUMENTS)
def test_poppler_reads_it_tagged_without_complaint(builds: Builds, name: str) -> None:
    """pdfinfo: a tagged A4 document, and nothing on its error output but poppler's own
    false alarm on /Suspects (see POPPLER_FALSE_ALARM)."""
    result = subprocess.run(["pdfinfo", str(builds.out / f"{name}.pdf")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    complaints = [line for line in result.stderr.splitlines()
                  if line.strip() and line.strip() != POPPLER_FALSE_ALARM]
    assert complaints == []
    assert re.search(r"^Tagged:\s+yes$", result.stdout, re.M), result.stdout
    assert re.search(r"^Suspects:\s+no$", result.stdout, re.M), result.stdout
    assert "(A4)" in result.stdout


SMALLEST_TEXT_PT = 7.0


@pytest.mark.parametrize("name", DOCUMENTS)
def test_no_text_under_seven_points(documents: dict[str, list[Page]], name: str) -> None:
    """Every run of text, the heat maps' included (typst draws them in the document: their
    names, numbers and marks are text), is at least 7 pt."""
    sizes = Counter(round(run.size, 1) for page in documents[name] for run in page.runs)
    assert min(sizes) >= SMALLEST_TEXT_PT, sizes


@pytest.mark.parametrize("name", ["regional.fr", "regional.ar"])
def test_figures_numbered_with_title_and_source(documents: dict[str, list[Page]],
                                                name: str) -> None:
    """"Figure 1." and its title above the heat map, the map's own text (the objectives'
    numbers 1 to 23, at the figures' size) below them, "Source:" under the map; the
    figures' data are tables in the annex, the document's last section."""
    pages = documents[name]
    lang = name.split(".")[1]
    label, source = {"fr": ("Figure", "Source"), "ar": ("الشكل", "المصدر")}[lang]

    def said(word: Word, text: str) -> bool:
        """pdftotext gives Arabic words in the order of their letters on the page."""
        return word.text.strip(":") in (text, text[::-1])

    captions = [(p, w) for p in pages for w in sorted(p.words, key=lambda w: -w.y)
                if said(w, label)]
    assert len(captions) >= 2, "two figures"
    page, first = captions[0]
    numbers = [w for w in page.words if w.text in {str(n) for n in range(1, 24)}
               and first.y - 40 < w.y < first.y]
    assert {w.text for w in numbers} >= {str(n) for n in range(1, 24)}
    sources = [w for w in page.words if said(w, source)]
    assert sources and max(w.y for w in sources) < min(w.y for w in numbers)
    figure_sizes = {round(r.size, 1) for r in page.runs if r.text.strip() == "23"}
    assert figure_sizes and min(figure_sizes) >= MIN_TEXT_PT, figure_sizes
    # The annex: the last heading of the outline, its tables after it.
    reader = pypdf.PdfReader(pages[0].pdf)
    last_page, last = outline(reader)[-1]
    assert {"fr": "Annexe", "ar": "المرفق"}[lang] in last.title
    annex_words = [w.text for p in pages[last_page:] for w in p.words]
    assert annex_words.count("23") >= 1 and len(annex_words) > 100


ENGLISH_ITEMS = ("Legal identity and documentation (EN)", "Skills development and recognition (EN)",
                 "Migrant and diaspora contributions (EN)", "Inclusion and social cohesion (EN)")
"""Objectives the example's Arabic regional report lists (least covered) by their English
titles: each used to break across two lines, its halves at opposite ends of the lines."""


def same_line(page: Page, first: str, last: str) -> list[bool]:
    """For each `first` word of the page: is a `last` word on its line?"""
    return [any(w.text == last and abs(w.y - word.y) < 2 for w in page.words)
            for word in page.words if word.text == first]


def test_english_items_of_an_arabic_list_stay_whole(documents: dict[str, list[Page]]) -> None:
    """In an Arabic sentence listing English titles ("A وB وC"), each title is isolated
    (LRI … PDI) and kept on one line, and no line ends with the conjunction alone."""
    pages = documents["regional.ar"]
    for item in ENGLISH_ITEMS:
        words = item.split()
        found = [ok for page in pages for ok in same_line(page, words[0], words[-2])]
        assert found and all(found), item
    # A conjunction alone at a line's end: a و with nothing right after it (to its left) on
    # its line. Before a digit it is glued ("الفقرتان 10 و11"), before an English title a
    # no-break space holds it to the title; pdftotext gives it as a word either way.
    assert not [w.text for page in pages for w in page.words if w.text == "و" and not any(
        -0.5 < w.x_min - o.x_max < 6 and abs(o.y - w.y) < 2 for o in page.words if o is not w)]


def test_arabic_dates_are_not_split_at_the_slash(documents: dict[str, list[Page]]) -> None:
    """"13 آب/أغسطس 2020" in the participation table: the month's two names stay
    together; pdftotext gives no word that starts or ends with the slash. They are kept
    together by a box, not by the word joiner the text holds (U+2060): printed into the
    text layer, it made a search for "أغسطس" find nothing."""
    words = [w.text for page in documents["regional.ar"] for w in page.words
             if "/" in w.text and not re.fullmatch(r"[\d/]+", w.text)]
    assert words, "no Arabic date"
    assert [w for w in words if w.startswith("/") or w.endswith("/")] == []
    assert not [w for w in words if "\u2060" in w]
    text = subprocess.run(["pdftotext", str(documents["regional.ar"][0].pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert text.count("أغسطس") >= 8  # a date in each row of a State that took part


def narrative_table_pdf(tmp_path: Path, lang: str, rows: list[tuple[str, str]]) -> list[list[Word]]:
    """The words of each page of MA's report whose objective 1 summary is a table of
    `rows` (two cells each), built as PDF."""
    lines = ["| Clé | Texte |", "|---|---|", *(f"| {key} | {text} |" for key, text in rows)]
    body = "\n".join(f"      {line}" for line in lines)
    return bbox_words(built_ma_pdf(tmp_path, lang,
                                   f"  1:\n    status: planned\n    summary: |\n{body}\n"))


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_a_table_row_taller_than_a_page_is_printed_whole(tmp_path: Path, lang: str) -> None:
    """The first and last rows of a table are kept on one page, but typst cuts off what it
    cannot break: a State's table whose first row is longer than a page lost the rest of
    that row and every row after it."""
    long = " ".join(f"t{i:04}" for i in range(1, 1201))
    pages = narrative_table_pdf(tmp_path, lang, [("a", long), ("b", "t9001"), ("c", "t9002")])
    printed = [w.text for page in pages for w in page if re.fullmatch(r"t\d{4}", w.text)]
    assert sorted(printed) == [*long.split(), "t9001", "t9002"]
    assert len({i for i, page in enumerate(pages) for w in page if w.text == "t0600"}) == 1


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_table_rows_are_not_split_between_pages(tmp_path: Path, lang: str) -> None:
    """A row of a few lines goes to the next page whole (a State's row in the regional
    participation table used to leave its last words alone on the next page); and cells
    start where the line starts (the left in French, the right in Arabic), as in HTML and
    DOCX."""
    rows = [(f"k{i:02}" + "x" * (i % 4), " ".join(f"r{i:02}w{j:02}" for j in range(45)))
            for i in range(40)]
    pages = narrative_table_pdf(tmp_path, lang, rows)
    split = [i for i in range(40)
             if len({n for n, page in enumerate(pages) for w in page
                     if w.text.startswith(f"r{i:02}w")}) != 1]
    assert split == []
    keys = [w for page in pages for w in page if re.fullmatch(r"k\d\dx*", w.text)]
    assert len(keys) == 40
    assert len({n for n, page in enumerate(pages) for w in page if w.text in {
        k.text for k in keys}}) > 1, "the table fits on one page: nothing is tested"
    edges = [round(k.x_min if lang == "fr" else k.x_max) for k in keys]
    assert max(edges) - min(edges) <= 1, edges


@pytest.mark.parametrize("name", DOCUMENTS)
def test_no_text_is_printed_over_other_text(documents: dict[str, list[Page]], name: str
                                            ) -> None:
    """Words of one line never overlap: a date ("13 آب/أغسطس 2020", no-break spaces) ran
    over the next cell of the Arabic participation table, where pandoc's typst gives every
    column the same width. Only words with a letter or digit of the Latin script are
    compared: pdftotext boxes an Arabic word's pieces (a letter, its marks) apart, over
    one another."""
    latin = re.compile(r"[0-9A-Za-z]")
    found = []
    for page in documents[name]:
        words = [w for w in page.words if latin.search(w.text)]
        for i, a in enumerate(words):
            for b in words[i + 1:]:
                if abs(a.y - b.y) < 2 and min(a.x_max, b.x_max) - max(a.x_min, b.x_min) > 1:
                    found.append((page.number, a.text, b.text))
    assert found == []


def stranded_labels(pages: list[Page]) -> list[tuple[int, str]]:
    """Lines of bold text alone at the foot of a page (the cover and the last page apart)."""
    stranded = []
    for page in pages[1:-1]:
        lines = [line for line in page.lines() if "".join(r.text for r in line).strip()]
        if lines and all("Bold" in run.font for run in lines[-1]):
            stranded.append((page.number, "".join(r.text for r in lines[-1])))
    return stranded


@pytest.mark.parametrize("name", DOCUMENTS)
def test_no_page_ends_with_a_label(documents: dict[str, list[Page]], name: str) -> None:
    assert stranded_labels(documents[name]) == []


@pytest.mark.parametrize(("lang", "first", "step"), [("fr", 3, 1), ("ar", 0, 2)])
def test_a_label_goes_to_the_next_page_with_what_it_labels(tmp_path: Path, lang: str,
                                                           first: int, step: int) -> None:
    """A line of bold text alone ("Défis", "التحديات", a narrative's heading made bold)
    labels what follows: it never ends a page, away from it (MA's report left "Mesures"
    at the foot of a page, its list on the next). 23 objectives whose summaries grow by
    a sentence or two each put their labels at many heights on the pages: these two left
    two or three labels at the foot of a page."""
    sentence = {"fr": "Le gouvernement a adopté une stratégie nationale. ",
                "ar": "اعتمدت الحكومة استراتيجية وطنية. "}[lang]
    objectives = "".join(
        f"  {n}:\n    status: in_progress\n"
        f"    summary: {(sentence * (first + step * n)).strip()}\n"
        f"    challenges: [Un défi, Un autre défi]\n"
        f"    measures:\n      - title: Une mesure\n      - title: Une autre mesure\n"
        for n in range(1, 24))
    pages = read_pages(built_ma_pdf(tmp_path, lang, objectives))
    assert len(pages) > 6
    assert stranded_labels(pages) == []


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_a_small_table_stays_on_one_page(tmp_path: Path, lang: str) -> None:
    """A table of up to 15 rows, its header included, is not split between two pages,
    as in the DOCX (the guiding principles of MA's report were split four and six), and
    the short paragraph that introduces it goes with it. Eight tables of ten rows after
    text growing a few sentences each: two or three were split before."""
    sentence = {"fr": "Le gouvernement a adopté une stratégie nationale. ",
                "ar": "اعتمدت الحكومة استراتيجية وطنية. "}[lang]
    parts = []
    for k in range(1, 9):
        parts.append((sentence * (4 * k)).strip())
        parts.append(f"lead{k} :")
        parts.append("| Clé | Texte |\n|---|---|\n"
                     + "\n".join(f"| t{k}r{r:02} | ligne {r} |" for r in range(10)))
    body = "\n".join(f"      {line}" if line else "" for line in "\n\n".join(parts).split("\n"))
    pages = bbox_words(built_ma_pdf(
        tmp_path, lang, f"  1:\n    status: planned\n    summary: |\n{body}\n"))
    split = [k for k in range(1, 9)
             if len({n for n, page in enumerate(pages) for w in page
                     if w.text.startswith(f"t{k}r") or w.text == f"lead{k}"}) != 1]
    assert split == []



def stranded_attributions(pages: list[Page]) -> list[tuple[int, str]]:
    """Pages whose first line is a quotation's attribution ("— Maroc"; in Arabic the dash
    comes out of the PDF at either end), cut from its quotation."""
    found = []
    for page in pages[1:]:
        lines = [line for line in page.lines() if "".join(r.text for r in line).strip()]
        first = "".join(r.text for r in lines[0]).strip() if lines else ""
        if "\u2014" in first and len(first) < 60:
            found.append((page.number, first))
    return found


@pytest.mark.parametrize(("lang", "base"), [("fr", 2), ("fr", 5), ("ar", 5), ("ar", 7)])
def test_an_attribution_never_starts_a_page(tmp_path: Path, lang: str, base: int) -> None:
    """In the regional report each State's words end with "— State": that line goes to the
    next page with the end of the quotation, never alone at the top of a page. Six States
    whose summaries grow by a sentence each put the quotations' ends at many heights: each
    of these four left one attribution at the top of a page."""
    ws = copy_workspace(tmp_path / "ws", ())
    sentence = {"fr": "Le gouvernement a adopté une stratégie nationale. ",
                "ar": "اعتمدت الحكومة استراتيجية وطنية. "}[lang]
    for k, code in enumerate(("DZ", "IQ", "LB", "LY", "MA", "TN")):
        objectives = "".join(f"  {n}:\n    status: in_progress\n"
                             f"    summary: {(sentence * (base + k + n)).strip()}\n"
                             for n in range(1, 9))
        (ws / "countries" / f"{code}.yaml").write_text(
            f"country: {code}\nreview: {{cycle: 2020, language: {lang}, status: draft}}\n"
            f"objectives:\n{objectives}", encoding="utf-8")
    stderr = io.StringIO()
    with contextlib.chdir(ws), contextlib.redirect_stderr(stderr):
        code = main(["build", "--region", "--lang", lang, "--format", "pdf", "--out", "out"])
    assert code == 0, stderr.getvalue()
    pages = read_pages(ws / "out" / f"regional.{lang}.pdf")
    assert len(pages) > 8
    assert stranded_attributions(pages) == []


def test_short_lines_before_a_table_go_with_it(tmp_path: Path) -> None:
    """Two short lines before a table (an indicator's "Linked to..." and "Unit: ..."; here
    a narrative's) stick to it and to each other: with only the last one sticky, the first
    stayed at the foot of a page, away from its table (three times in these 23 objectives,
    their summaries growing a sentence each)."""
    sentence = "Le gouvernement a adopté une stratégie nationale. "
    table = ("Première ligne avant le tableau.\n\nSeconde ligne avant le tableau.\n\n"
             "| Année | Valeur |\n|---|---|\n| 2020 | 1 |\n| 2021 | 2 |")
    objectives = "".join(
        f"  {n}:\n    status: in_progress\n"
        f"    summary: {json.dumps((sentence * (2 + n)).strip() + chr(10) * 2 + table)}\n"
        for n in range(1, 24))
    pages = [" ".join(page.extract_text().split())
             for page in pypdf.PdfReader(built_ma_pdf(tmp_path, "fr", objectives)).pages]
    assert len(pages) > 8
    assert [i for i, page in enumerate(pages, 1)
            if page.count("Première ligne avant le tableau.") > page.count("Année Valeur")] == []


def test_a_matrix_in_the_annex_keeps_its_names_on_one_line(
        documents: dict[str, list[Page]]) -> None:
    """A heat map's data as a table (Annex II): its 23 mark columns in smaller text and all
    as wide, so that each State's name stays on one line ("République arabe syrienne"
    took three)."""
    pages = documents["regional.fr"]
    last_page, last = outline(pypdf.PdfReader(pages[0].pdf))[-1]
    assert "Annexe II" in last.title
    annex = pages[last_page:]
    found = [ok for page in annex for ok in same_line(page, "République", "syrienne")]
    assert len(found) >= 2 and all(found), found  # the tables of figures 1 and 2, at least
    # The header row: "État" with the objectives' numbers on its line (the annex may start on
    # the page of the last State's paragraph, with its own "État" and "23").
    page, header = next((p, w) for p in annex for w in p.words if w.text == "État"
                        and any(v.text == "23" and abs(v.y - w.y) < 2 for v in p.words))
    numbers = sorted((w for w in page.words if abs(w.y - header.y) < 2
                      and w.text in {str(n) for n in range(1, 24)}), key=lambda w: w.x_min)
    assert [w.text for w in numbers] == [str(n) for n in range(1, 24)]
    starts = [w.x_min for w in numbers]  # the cells' text starts at their start
    steps = [b - a for a, b in itertools.pairwise(starts)]
    assert max(steps) - min(steps) < 1, steps


def test_a_figures_key_comes_with_its_table_in_the_annex(
        documents: dict[str, list[Page]]) -> None:
    """Annex II: the key of Figure 1's table (its symbols) followed the table and was
    parted from it by a page break; it now comes first, on the table's page."""
    pages = documents["regional.fr"]
    last_page, _last = outline(pypdf.PdfReader(pages[0].pdf))[-1]
    page = next(p for p in pages[last_page:] if any(w.text == "Symbole" for w in p.words))
    key = next(w for w in page.words if w.text == "Symbole")
    header = next(w for w in page.words if w.text == "23"  # the table's last column
                  and any(v.text == "22" and abs(v.y - w.y) < 2 for v in page.words))
    assert key.y > header.y  # y from the bottom: the key above the table
    # Figure 2's table has its key too: its ● is "Renseigné", not Figure 1's "Mis en œuvre".
    words = [w.text for p in pages[last_page:] for w in p.words]
    assert words.count("Symbole") == 2 and "Renseigné" in words


def test_short_headings_keep_their_line_beside_a_long_column(tmp_path: Path) -> None:
    """Lebanon's overview in Arabic: beside a column of long statuses (a partner's words),
    the headings "المائدة المستديرة" and "مبلَّغ عنه" wrapped over columns of numbers and
    "لا", while the statuses had room to spare. A kept column's heading now has its line
    when the table takes no more lines for it; and the header row has room above its
    Arabic marks."""
    ws = copy_workspace(tmp_path / "ws", ("LB",))
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.chdir(ws), contextlib.redirect_stdout(stdout), \
            contextlib.redirect_stderr(stderr):
        code = main(["build", "--country", "LB", "--lang", "ar", "--format", "pdf",
                     "--out", "out"])
    assert code == 0, stderr.getvalue()
    page = next(p for p in read_pages(ws / "out" / "LB.ar.pdf")
                if any(w.text == "#" for w in p.words))
    header = next(w for w in page.words if w.text == "#")
    first = min((w for w in page.words if w.text == "1" and abs(w.x_min - header.x_min) < 8),
                key=lambda w: abs(w.y - header.y))
    between = [w.text for w in page.words if first.y + 2 < w.y < header.y - 2]
    assert between == [], between  # no second line in the header row


def test_a_tables_columns_share_the_room_as_in_html(documents: dict[str, list[Page]]) -> None:
    """Too wide for one line a cell, a table gave every wide column the same share: the
    synthesis's three columns of numbers, under their long headings, took as much room as
    the objectives' names, which ran over two lines. Now the headings wrap and the names
    keep one line; and a name beside a long status (Annex I) keeps its line too."""
    pages = documents["regional.fr"]
    for first, last in (("Perfectionnement", "qualifications"), ("Lutter", "négatifs"),
                        ("Réduire", "vulnérabilité")):
        found = [ok for page in pages for ok in same_line(page, first, last)]
        assert found and all(found), (first, last, found)
    page = next(p for p in pages if any(w.text == "Perfectionnement" for w in p.words))
    (first,) = [w for w in page.words if w.text == "Déclarations"]
    (last,) = [w for w in page.words if w.text == "partenaires"]
    assert abs(last.y - first.y) > 5, "the heading of a column of numbers no longer wraps?"


def test_a_table_of_many_columns_is_set_smaller_when_that_saves_lines(
        tmp_path: Path) -> None:
    """The participation table has seven columns: in English, at the body's size, the
    date ran over two lines in every row of a State that took part, and "State of
    Palestine" too, while the DOCX sets such a table smaller. Now the PDF does too (when
    it saves as many lines as the DOCX asks), and they keep one line."""
    ws = copy_workspace(tmp_path / "ws")
    build(ws, "out", "--lang", "en")
    pdf = ws / "out" / "regional.en.pdf"
    # The table's pages (its header repeats on each): the dates of its rows on one line.
    pages = [p for p in read_pages(pdf) if any(w.text == "Institutions" for w in p.words)]
    dates = [ok for page in pages for ok in same_line(page, "August", "2020")]
    assert len(dates) > 1 and all(dates), dates
    # "Palestine" in the sentence above the table, at the body's size, and in the table,
    # smaller, its row on one line.
    words = sorted(((w, page) for page in read_pages(pdf) for w in page.words
                    if w.text == "Palestine"), key=lambda found: found[0].x_max - found[0].x_min)
    assert len(words) >= 2
    (cell, page), (sentence, _page) = words[0], words[-1]
    assert cell.x_max - cell.x_min < 0.9 * (sentence.x_max - sentence.x_min)
    assert any(w.text == "State" and abs(w.y - cell.y) < 2 for w in page.words)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_no_template_code_is_printed(documents: dict[str, list[Page]], name: str) -> None:
    """A line of report.typ's code that typst reads as text (a `#let` continued on the
    next line outside parentheses is markup there) is printed on the first page."""
    words = [w.text for page in documents[name] for w in page.words]
    code = [w for w in words if re.search(r"calc\.|\.slice\(|=>|#let|measured-", w)]
    assert not code, code


@pytest.mark.parametrize("name", ("MA.fr", "regional.fr"))
def test_a_notes_number_stands_apart_from_its_text(builds: Builds, name: str) -> None:
    """"² Ibid., par. 9.": a space after the raised number, as the DOCX and UN documents
    have it (typst's own note entry sets them together: "²Ibid.")."""
    text = subprocess.run(["pdftotext", str(builds.out / f"{name}.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert re.findall(r"^\d+ Ibid\.", text, re.M)
    assert not re.findall(r"^\d+Ibid\.", text, re.M)


def test_the_states_reporting_line_goes_with_the_first_answer(builds: Builds) -> None:
    """"States reporting: Libya (1)." introduces the answers under an objective: it never
    ends a page with the objective's heading (which sticks to it), the answers on the next
    page (the English report's pp. 7 and 8 did). The first answer's State heading (bold)
    follows it on its page."""
    ws = builds.out.parent
    build(ws, "out-en", "--region", "--lang", "en")
    seen = 0
    for page in read_pages(ws / "out-en" / "regional.en.pdf"):
        lines = page.lines()
        for i, line in enumerate(lines):
            if not re.match(r"States reporting\s?:", "".join(r.text for r in line)):
                continue
            seen += 1
            below = [run for later in lines[i + 1:] for run in later if "Bold" in run.font]
            assert below, f"p. {page.number}: the line ends the page"
    assert seen >= 5


def test_a_french_statements_number_stands_where_the_arabic_ones_do(
        documents: dict[str, list[Page]]) -> None:
    """In the Arabic report the paragraph numbers stand at the right, where Arabic lines
    start; a French statement's number stood at the left, before its words, so the one
    sequence switched sides. It stands at the right too, beside the French lines."""
    seen = 0
    for page in documents["regional.ar"]:
        for word in (w for w in page.words if w.text == "Malgré"):
            line = [w for w in page.words if abs(w.y - word.y) < 2]
            numbers = [w for w in line if w.text.isdigit()]
            assert numbers, f"p. {page.number}: no number beside 'Malgré'"
            assert min(n.x_min for n in numbers) > max(w.x_max for w in line
                                                       if not w.text.isdigit() and w.text != "-")
            seen += 1
    assert seen >= 2
