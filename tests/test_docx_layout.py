"""The DOCX reports as readers see them: real builds, opened by the real LibreOffice.

The four example reports (Morocco and the regional report, in French and in Arabic) are built
once. Their XML is checked for what Word and LibreOffice need to lay them out well: tables
across the text width with columns sized from their texts, header rows repeated, rows kept
on one page, Arabic with its embedded font, right-to-left headers, no letter-spacing. Then
LibreOffice converts the four files to PDF in one call, and the PDF is checked for what a
reader would see go wrong: a word of a table cut between two lines, objective numbers
wrapped in narrow columns, too many pages, the Arabic font missing.
"""

from __future__ import annotations

import contextlib
import html
import io
import os
import random
import re
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from collections import Counter
from itertools import pairwise
from pathlib import Path
from xml.etree import ElementTree as ET

import pypandoc
import pypdf
import pytest

from gcmreview.cli import main
from gcmreview.convert import docx as finishing
from gcmreview.convert.docx import (
    CONTENTS_LINE,
    SMALL_TABLE_ROWS,
    SMALLER_POINTS,
    _overflowing,
    _rtl_paragraphs,
    _Text,
    font_key,
    lay_out_tables,
    obfuscate,
)
from gcmreview.convert.fonts import font_dirs

from .conftest import copy_workspace
from .test_tables import SKELETON_FORMAT

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
BUILDS = {
    "MA.fr": ("-c", "MA"),
    "MA.ar": ("-c", "MA", "--lang", "ar"),
    "regional.fr": ("--region",),
    "regional.ar": ("--region", "--lang", "ar"),
}
REPORTS = tuple(BUILDS)
ARABIC = ("MA.ar", "regional.ar")
MAX_PAGES = {"MA.fr": 12, "MA.ar": 12, "regional.fr": 25, "regional.ar": 25}
"""Measured with LibreOffice 7.4 and DejaVu Sans standing in for Arial: 6, 7, 14 and 17."""
MARGIN_ZONE = 50
"""Points at the top and bottom of a page where the header and footer are, not the body."""


def cli(cwd: Path, *args: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(io.StringIO()), \
            contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, err.getvalue()


def build(ws: Path, out: str, report: str) -> Path:
    code, err = cli(ws, "build", *BUILDS[report], "-f", "docx", "--force", "--out", out)
    assert code == 0, err
    return ws / out / f"{report}.docx"


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_workspace(tmp_path_factory.mktemp("layout") / "ws")


@pytest.fixture(scope="module")
def docx(ws: Path) -> dict[str, Path]:
    return {report: build(ws, "out", report) for report in REPORTS}


@pytest.fixture(scope="module")
def pdf(docx: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The four reports as LibreOffice prints them, in one LibreOffice run."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice is not installed: apt-get install libreoffice-writer-nogui")
    base = tmp_path_factory.mktemp("pdf")
    subprocess.run([soffice, f"-env:UserInstallation=file://{base / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(base),
                    *(str(path) for path in docx.values())],
                   check=True, capture_output=True, timeout=300)
    made = {report: base / f"{report}.pdf" for report in REPORTS}
    for path in made.values():
        assert path.is_file(), path
    return made


# --- reading the files ------------------------------------------------------------------------


def part(path: Path, name: str) -> ET.Element:
    with zipfile.ZipFile(path) as archive:
        return ET.fromstring(archive.read(name))


def text_width(document: ET.Element) -> int:
    """Page width less the left and right margins, in twips."""
    section = document.find(f"{W}body/{W}sectPr")
    assert section is not None
    size, margins = section.find(f"{W}pgSz"), section.find(f"{W}pgMar")
    assert size is not None and margins is not None
    return int(size.get(f"{W}w")) - int(margins.get(f"{W}left")) - int(margins.get(f"{W}right"))


def tables(document: ET.Element) -> list[ET.Element]:
    return list(document.iter(f"{W}tbl"))


def paragraph_text(paragraph: ET.Element) -> str:
    pieces = []
    for node in paragraph.iter():
        if node.tag == f"{W}t":
            pieces.append(node.text or "")
        elif node.tag in (f"{W}tab", f"{W}br"):
            pieces.append(" ")
    return "".join(pieces)


def is_arabic(word: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" or "\ufb50" <= c <= "\ufeff" for c in word)


def words(text: str) -> list[str]:
    """The words a reader would see whole, from their first to their last letter or digit
    (right to left, brackets are mirrored and punctuation moves): no format characters
    (bidi isolates), no Arabic (its extraction from a PDF comes back in visual order, split
    at its vowel marks)."""
    found = []
    for word in text.split():
        word = "".join(c for c in word if unicodedata.category(c) != "Cf")
        core = re.sub(r"^\W+|\W+$", "", word)
        if core and not is_arabic(core):
            found.append(core)
    return found


def table_words(document: ET.Element) -> Counter[str]:
    return Counter(w for table in tables(document) for p in table.iter(f"{W}p")
                   for w in words(paragraph_text(p)))


def body_words(document: ET.Element) -> Counter[str]:
    return Counter(w for p in document.iter(f"{W}p") for w in words(paragraph_text(p)))


def pdf_words(path: Path) -> list[tuple[int, float, str]]:
    """(page, top, word) of every word of the PDF, as pdftotext separates them."""
    result = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True,
                            capture_output=True, text=True, timeout=60)
    found = []
    for page_number, page in enumerate(result.stdout.split("<page ")[1:], start=1):
        height = float(re.search(r'height="([\d.]+)"', page).group(1))
        for top, bottom, word in re.findall(
                r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)'
                r"</word>", page):
            if float(top) >= MARGIN_ZONE and float(bottom) <= height - MARGIN_ZONE:
                found.append((page_number, float(top), html.unescape(word)))
    return found


def matrix(document: ET.Element) -> ET.Element:
    """The coverage matrix: the table whose header row holds the objectives 1 to 23."""
    for table in tables(document):
        header = [paragraph_text(cell).strip() for cell in table.find(f"{W}tr").iter(f"{W}tc")]
        if header[1:] == [str(n) for n in range(1, 24)]:
            return table
    raise AssertionError("no coverage matrix")


def grid(table: ET.Element) -> list[int]:
    return [int(col.get(f"{W}w")) for col in table.find(f"{W}tblGrid")]


# --- the XML ----------------------------------------------------------------------------------


@pytest.mark.parametrize("report", REPORTS)
def test_tables_span_the_text_width(docx: dict[str, Path], report: str) -> None:
    document = part(docx[report], "word/document.xml")
    width = text_width(document)
    assert tables(document)
    for table in tables(document):
        props = table.find(f"{W}tblPr")
        size = props.find(f"{W}tblW")
        assert (size.get(f"{W}type"), size.get(f"{W}w")) in (("pct", "5000"), ("dxa", str(width)))
        # Fixed: Word's autofit would otherwise redo the widths, its own way.
        assert props.find(f"{W}tblLayout").get(f"{W}type") == "fixed"
        assert sum(grid(table)) == width
        for row in table.iter(f"{W}tr"):
            cells = [int(cell.find(f"{W}tcPr/{W}tcW").get(f"{W}w"))
                     for cell in row.iter(f"{W}tc")]
            assert cells == grid(table)


@pytest.mark.parametrize("report", REPORTS)
def test_header_rows_repeat_and_rows_stay_on_one_page(docx: dict[str, Path],
                                                      report: str) -> None:
    document = part(docx[report], "word/document.xml")
    for table in tables(document):
        rows = table.findall(f"{W}tr")
        assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
        # No row of the example reports is anywhere near a page tall.
        assert all(row.find(f"{W}trPr/{W}cantSplit") is not None for row in rows)


@pytest.mark.parametrize("report", REPORTS)
def test_no_two_tables_touch(docx: dict[str, Path], report: str) -> None:
    """Word joins two tables with nothing between them into one (the matrix and its legend)."""
    body = part(docx[report], "word/document.xml").find(f"{W}body")
    kinds = [child.tag for child in body]
    assert not any(a == b == f"{W}tbl" for a, b in pairwise(kinds))


def test_columns_are_as_wide_as_their_text(docx: dict[str, Path]) -> None:
    # The overview of objectives: the first table of five columns (the list of acronyms,
    # of two, comes before it).
    overview = next(t for t in tables(part(docx["MA.fr"], "word/document.xml"))
                    if len(grid(t)) == 5)
    number, title, round_table, status, reported = grid(overview)
    assert number < title / 5 and number < min(round_table, status, reported)
    assert title == max(grid(overview))


@pytest.mark.parametrize("report", ["regional.fr", "regional.ar"])
def test_coverage_matrix_has_narrow_equal_columns(docx: dict[str, Path], report: str) -> None:
    table = matrix(part(docx[report], "word/document.xml"))
    first, *marks = grid(table)
    assert len(set(marks)) <= 2 and max(marks) - min(marks) <= 1  # equal, but for rounding
    assert first > 2 * max(marks)
    sizes = {int(size.get(f"{W}val")) for size in table.iter(f"{W}sz")}
    assert sizes and min(sizes) >= 14  # 7 pt at the least


@pytest.mark.parametrize("report", ARABIC)
def test_arabic_headers_and_footers_read_right_to_left(docx: dict[str, Path],
                                                       report: str) -> None:
    for name in ("word/header1.xml", "word/footer1.xml"):
        paragraphs = list(part(docx[report], name).iter(f"{W}p"))
        assert paragraphs
        for paragraph in paragraphs:
            assert paragraph.find(f"{W}pPr/{W}bidi") is not None
    # In a right-to-left paragraph Word and LibreOffice read "left" as the start of the line:
    # the header sits on the right, where an Arabic line starts.
    header = next(part(docx[report], "word/header1.xml").iter(f"{W}p"))
    assert header.find(f"{W}pPr/{W}jc").get(f"{W}val") == "left"


@pytest.mark.parametrize("report", ARABIC)
def test_an_arabic_section_reads_right_to_left(docx: dict[str, Path], report: str) -> None:
    """The section is right to left too (w:bidi): the footnotes' separator line starts at
    the right, as the text does (it stood at the left)."""
    section = part(docx[report], "word/document.xml").find(f"{W}body/{W}sectPr")
    assert section.find(f"{W}bidi") is not None


@pytest.mark.parametrize("report", ARABIC)
def test_arabic_is_never_slanted(docx: dict[str, Path], report: str) -> None:
    """Arabic has no italics: Word slants its letters when a run or a style asks for
    complex-script italics (w:iCs), as pandoc's emphasis does. Latin words keep theirs."""
    italic = 0
    for name in ("word/styles.xml", "word/document.xml", "word/footnotes.xml"):
        root = part(docx[report], name)
        assert not list(root.iter(f"{W}iCs")), name
        italic += len(list(root.iter(f"{W}i")))
    assert italic  # "No State reports…", the attributions: still italic in Latin script


@pytest.mark.parametrize("report", ARABIC)
def test_the_line_over_arabic_notes_starts_at_the_right(docx: dict[str, Path],
                                                         report: str) -> None:
    notes = part(docx[report], "word/footnotes.xml")
    separators = [n for n in notes.iter(f"{W}footnote")
                  if n.get(f"{W}type") in ("separator", "continuationSeparator")]
    assert len(separators) == 2
    for separator in separators:
        assert separator.find(f"{W}p/{W}pPr/{W}bidi") is not None


@pytest.mark.parametrize("report", REPORTS)
def test_no_letter_spacing(docx: dict[str, Path], report: str) -> None:
    """Spaced-out letters break the joining of Arabic script: no style or run has any."""
    for name in ("word/styles.xml", "word/document.xml"):
        root = part(docx[report], name)
        spaced = [rpr for rpr in root.iter(f"{W}rPr")
                  if (s := rpr.find(f"{W}spacing")) is not None and s.get(f"{W}val")]
        assert not spaced, name


@pytest.mark.parametrize("report", REPORTS)
def test_fonts_are_there_where_readers_open_the_file(docx: dict[str, Path], report: str) -> None:
    styles = part(docx[report], "word/styles.xml")
    fonts = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert fonts.get(f"{W}ascii") == fonts.get(f"{W}hAnsi") == "Arial"
    themed = [f for f in styles.iter(f"{W}rFonts")
              if f.get(f"{W}asciiTheme") or f.get(f"{W}hAnsiTheme") or f.get(f"{W}cstheme")]
    assert not themed  # a theme font would win over Arial and Amiri
    with zipfile.ZipFile(docx[report]) as archive:
        embedded = [n for n in archive.namelist() if n.startswith("word/fonts/")]
    if report not in ARABIC:
        assert fonts.get(f"{W}cs") == "Arial" and not embedded
        return
    assert fonts.get(f"{W}cs") == "Amiri"
    assert sorted(embedded) == ["word/fonts/Amiri-Bold.odttf", "word/fonts/Amiri-Regular.odttf"]
    entry = next(f for f in part(docx[report], "word/fontTable.xml").iter(f"{W}font")
                 if f.get(f"{W}name") == "Amiri")
    rels = {rel.get("Id"): rel.get("Target") for rel in part(docx[report],
                                                              "word/_rels/fontTable.xml.rels")}
    folder = Path(font_dirs()[0])
    with zipfile.ZipFile(docx[report]) as archive:
        for tag, file_name in (("embedRegular", "Amiri-Regular.ttf"),
                               ("embedBold", "Amiri-Bold.ttf")):
            embed = entry.find(f"{W}{tag}")
            key = embed.get(f"{W}fontKey")
            assert key == font_key(file_name)  # a fixed key: the same bytes on every build
            data = archive.read("word/" + rels[embed.get(f"{R}id")])
            assert data != (folder / file_name).read_bytes()  # obfuscated, as ECMA-376 wants
            assert obfuscate(data, key) == (folder / file_name).read_bytes()
    settings = part(docx[report], "word/settings.xml")
    assert settings.find(f"{W}embedTrueTypeFonts") is not None


@pytest.mark.parametrize("report", ["MA.ar", "regional.fr"])
def test_a_second_build_gives_the_same_bytes(ws: Path, docx: dict[str, Path],
                                             report: str) -> None:
    assert build(ws, "again", report).read_bytes() == docx[report].read_bytes()


def test_another_process_gives_the_same_bytes(ws: Path, docx: dict[str, Path]) -> None:
    """Another Python process, with another hash seed: no set or dict order leaks out."""
    subprocess.run([sys.executable, "-m", "gcmreview", "build", *BUILDS["MA.ar"], "-f", "docx",
                    "--force", "--out", "seeded", "--quiet"], cwd=ws, check=True,
                   env={**os.environ, "PYTHONHASHSEED": "12345"}, timeout=300)
    assert (ws / "seeded" / "MA.ar.docx").read_bytes() == docx["MA.ar"].read_bytes()


def headings(document: ET.Element, deepest: int) -> list[tuple[int, str, str]]:
    """(level, bookmark, text) of the headings down to `deepest`, in order."""
    found = []
    bookmark = ""
    for node in document.find(f"{W}body"):
        if node.tag == f"{W}bookmarkStart":
            bookmark = node.get(f"{W}name")
            continue
        style = node.find(f"{W}pPr/{W}pStyle") if node.tag == f"{W}p" else None
        level = style.get(f"{W}val").removeprefix("Heading") if style is not None else ""
        if level.isdigit() and int(level) <= deepest:
            found.append((int(level), bookmark, paragraph_text(node)))
        if node.tag != f"{W}bookmarkEnd":
            bookmark = ""
    return found


@pytest.mark.parametrize("report", REPORTS)
def test_table_of_contents_after_the_cover(docx: dict[str, Path], report: str) -> None:
    """A TOC field over headings 1 and 2, on its own page after the cover, its result
    already written (one entry per heading, linked to it) so that it shows before any
    update; Word updates it on opening (dirty)."""
    document = part(docx[report], "word/document.xml")
    body = list(document.find(f"{W}body"))
    toc = [i for i, node in enumerate(body) if node.tag == f"{W}sdt"]
    assert len(toc) == 1
    gallery = body[toc[0]].find(f"{W}sdtPr/{W}docPartObj/{W}docPartGallery")
    assert gallery.get(f"{W}val") == "Table of Contents"
    breaks = [i for i, node in enumerate(body) if node.find(f"{W}r/{W}br") is not None
              and node.find(f"{W}r/{W}br").get(f"{W}type") == "page"]
    assert breaks[:2] == [toc[0] - 1, toc[0] + 1]
    instructions = "".join(t.text or "" for t in body[toc[0]].iter(f"{W}instrText"))
    assert instructions.split() == ["TOC", "\\o", '"1-2"', "\\h", "\\z", "\\u"]
    assert body[toc[0]].find(f".//{W}fldChar").get(f"{W}dirty") == "true"
    entries = [(p.find(f"{W}pPr/{W}pStyle").get(f"{W}val"), p.find(f"{W}hyperlink"),
                paragraph_text(p)) for p in body[toc[0]].iter(f"{W}p")][1:]
    expected = headings(document, 2)
    assert [(style, link.get(f"{W}anchor") if link is not None else "", text)
            for style, link, text in entries] \
        == [(f"TOC{level}", bookmark, text) for level, bookmark, text in expected]
    assert any(bookmark for _level, bookmark, _text in expected)


def test_toc_entries_show_in_libreoffice(pdf: dict[str, Path]) -> None:
    page_two = [word for page, _top, word in pdf_words(pdf["MA.fr"]) if page == 2]
    assert page_two[:6] == ["Table", "des", "matières", "Sigles", "et", "abréviations"], \
        page_two[:10]
    assert "Vue" in page_two and "d’ensemble" in page_two
    assert "Méthodologie" in page_two


def test_arabic_contents_fit_their_page_in_libreoffice(docx: dict[str, Path],
                                                      pdf: dict[str, Path]) -> None:
    """Amiri's lines are tall: the 36 entries of the Arabic regional report's contents
    ran four lines onto page 3 (the page break after them left it otherwise empty). Its
    contents' styles set their lines closer (docx.CONTENTS_LINE); the French ones keep
    the reference document's."""
    for report, line in (("regional.ar", str(CONTENTS_LINE)), ("regional.fr", None)):
        styles = {s.get(f"{W}styleId"): s for s in part(docx[report], "word/styles.xml")
                  .iter(f"{W}style")}
        for level in (1, 2):
            spacing = styles[f"TOC{level}"].find(f"{W}pPr/{W}spacing")
            assert spacing is not None and spacing.get(f"{W}line") == line, (report, level)
    words = pdf_words(pdf["regional.ar"])
    # pdftotext gives Arabic words in visual order: reversed.
    assert next(word[::-1] for page, _top, word in words if page == 2) == "المحتويات"
    assert next(word[::-1] for page, _top, word in words if page == 3) == "المختصرات"


@pytest.mark.parametrize("report", REPORTS)
def test_headings_stay_with_the_text_after_them(docx: dict[str, Path], report: str) -> None:
    styles = {s.get(f"{W}styleId"): s for s in part(docx[report], "word/styles.xml")
              .iter(f"{W}style")}
    for level in range(1, 7):
        props = styles[f"Heading{level}"].find(f"{W}pPr")
        assert props.find(f"{W}keepNext") is not None, level
        assert props.find(f"{W}keepLines") is not None, level


@pytest.mark.parametrize("report", REPORTS)
def test_small_tables_are_not_split(docx: dict[str, Path], report: str) -> None:
    """Up to SMALL_TABLE_ROWS rows, every row is kept with the next (keepNext on its
    paragraphs); a longer table is kept at least with its first row under the header.
    (LibreOffice printed the header row of Morocco's principles table alone at the foot
    of a page, and then lost the rest of the table.)"""
    document = part(docx[report], "word/document.xml")
    small = 0
    for table in tables(document):
        rows = table.findall(f"{W}tr")
        kept = [all(p.find(f"{W}pPr/{W}keepNext") is not None for p in row.iter(f"{W}p"))
                for row in rows]
        assert kept[0] and not kept[-1]
        if len(rows) <= SMALL_TABLE_ROWS:
            small += 1
            assert all(kept[:-1]), kept
    assert small


@pytest.mark.parametrize("report", REPORTS)
def test_labels_and_table_leads_stay_with_what_follows(docx: dict[str, Path],
                                                       report: str) -> None:
    """A paragraph of bold text alone ("Mesures" over its list) and a short paragraph
    right before a table or its title ("Institutions associées") are kept with the next
    paragraph, as in the PDF: neither ends a page. A table's title is kept by its style."""
    body = part(docx[report], "word/document.xml").find(f"{W}body")
    children = [c for c in body if c.tag not in (f"{W}bookmarkStart", f"{W}bookmarkEnd")]
    labels = leads = 0
    for paragraph, following in pairwise(children):
        if style_of(paragraph) == "TableTitle":
            leads += 1
            continue
        if paragraph.tag != f"{W}p" or style_of(paragraph) not in (
                "BodyText", "FirstParagraph", "Compact", ""):
            continue
        runs = paragraph.findall(f"{W}r")
        kept = paragraph.find(f"{W}pPr/{W}keepNext") is not None
        if runs and all(r.find(f"{W}rPr/{W}b") is not None for r in runs):
            labels += 1
            assert kept, paragraph_text(paragraph)
        elif (following.tag == f"{W}tbl" or style_of(following) == "TableTitle") \
                and paragraph_text(paragraph).strip() and len(paragraph_text(paragraph)) <= 300:
            leads += 1
            assert kept, paragraph_text(paragraph)
    assert leads and (labels or report.startswith("regional"))


@pytest.mark.parametrize("report", REPORTS)
def test_the_cover_has_no_header_or_page_number(docx: dict[str, Path], pdf: dict[str, Path],
                                                report: str) -> None:
    section = part(docx[report], "word/document.xml").find(f"{W}body/{W}sectPr")
    assert section.find(f"{W}titlePg") is not None
    height = float(pypdf.PdfReader(pdf[report]).pages[0].mediabox.height)
    result = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "2", str(pdf[report]), "-"],
                            check=True, capture_output=True, text=True, timeout=60)
    pages = result.stdout.split("<page ")[1:]
    margins = [[w for w in re.findall(r'yMin="([\d.]+)"', page)
                if float(w) < MARGIN_ZONE or float(w) > height - MARGIN_ZONE] for page in pages]
    assert margins[0] == [] and margins[1], margins


@pytest.mark.parametrize("report", ["regional.fr", "regional.ar"])
def test_an_attribution_never_starts_a_page(docx: dict[str, Path], pdf: dict[str, Path],
                                            report: str) -> None:
    """The paragraph before "— Maroc" (a quotation's end) is kept with it: Word has no
    "keep with the previous". LibreOffice started pages with a bare attribution."""
    body = list(part(docx[report], "word/document.xml").find(f"{W}body"))
    paragraphs = [p for p in body if p.tag == f"{W}p"]
    attributed = 0
    for before, after in pairwise(paragraphs):
        if paragraph_text(after).startswith("\u2014 "):
            attributed += 1
            assert before.find(f"{W}pPr/{W}keepNext") is not None, paragraph_text(after)
    assert attributed > 5
    words = pdf_words(pdf[report])
    for page in sorted({w[0] for w in words}):
        top = min(w[1] for w in words if w[0] == page)
        line = [w[2] for w in words if w[0] == page and w[1] < top + 2]
        assert not ("\u2014" in line and len(line) <= 5), (page, line)  # "— Maroc¹"


COMPACT = {"fr": "Pacte mondial pour des migrations sûres, ordonnées et régulières",
           "ar": "الاتفاق العالمي من أجل الهجرة الآمنة والمنظمة والنظامية"}


@pytest.mark.parametrize("report", REPORTS)
def test_the_cover_names_the_compact_above_the_title(docx: dict[str, Path], pdf: dict[str, Path],
                                                     report: str) -> None:
    """As the PDF and HTML covers do: the Compact's name, then the title (after the
    masthead, when there is one); LibreOffice prints it first on the page."""
    body = list(part(docx[report], "word/document.xml").find(f"{W}body"))
    styles = [style_of(p) for p in body if p.tag == f"{W}p"]
    start = styles.index("CoverCompact")
    assert set(styles[:start]) <= {"Masthead"} and styles[start + 1] == "Title"
    compact = COMPACT[report.split(".")[1]]
    assert paragraph_text(body[start]) == compact
    first = pypdf.PdfReader(pdf[report]).pages[0].extract_text()
    assert " ".join(compact.split()[:3]) in " ".join(first.split())


WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
EMU_PER_POINT = 12700


def style_of(paragraph: ET.Element) -> str:
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    return style.get(f"{W}val") if style is not None else ""


@pytest.mark.parametrize("report", ["regional.fr", "regional.ar"])
def test_figures_numbered_with_title_picture_and_source(docx: dict[str, Path],
                                                        report: str) -> None:
    """Each heat map: its title above it (number in a SEQ field, as Word numbers
    figures), the picture at its own size (the drawing's text at its size: at least 8.5
    pt), its text alternative, the source below it; its data are tables in the annex at
    the end, not a second picture of it beside the figure."""
    document = part(docx[report], "word/document.xml")
    body = list(document.find(f"{W}body"))
    titles = [i for i, node in enumerate(body) if style_of(node) == "FigureTitle"]
    figures = [i for i in titles if body[i].find(f"{W}fldSimple") is not None]
    assert len(figures) == 2
    with zipfile.ZipFile(docx[report]) as archive:
        rels = {rel.get("Id"): rel.get("Target") for rel in ET.fromstring(
            archive.read("word/_rels/document.xml.rels"))}
        for number, at in enumerate(figures, start=1):
            field = body[at].find(f"{W}fldSimple")
            assert field.get(f"{W}instr").split() == ["SEQ", "Figure", "\\*", "ARABIC"]
            assert paragraph_text(field) == str(number)
            picture, source = body[at + 1], body[at + 2]
            assert style_of(picture) == "Figure" and style_of(source) == "FigureSource"
            assert paragraph_text(source).strip()
            assert picture.find(f".//{WP}docPr").get("descr")
            extent = picture.find(f".//{WP}extent")
            blip = picture.find(".//{http://schemas.openxmlformats.org/drawingml/2006/main}blip")
            png = archive.read("word/" + rels[blip.get(f"{R}embed")])
            width_px = int.from_bytes(png[16:20], "big")  # the PNG's IHDR, drawn at 150 ppi
            points = int(extent.get("cx")) / EMU_PER_POINT
            assert abs(points - width_px * 72 / 150) < 1.5, (points, width_px)
            assert points <= text_width(document) / 20
    annex = max(i for i, node in enumerate(body) if style_of(node) == "Heading1")
    assert body[annex - 1].tag == f"{W}bookmarkStart"
    assert body[annex - 1].get(f"{W}name") == "figure-data"
    assert body.index(matrix(document)) > annex
    assert not [i for i, node in enumerate(body) if node.tag == f"{W}tbl"
                and figures[0] < i < figures[1]]


TABLE_LABEL = {"fr": "Tableau", "ar": "الجدول"}
TITLED_TABLES = {"MA.fr": 2, "MA.ar": 2, "regional.fr": 4, "regional.ar": 4}
"""The example's numbered tables: a State's objectives and principles; the regional
report's participation, reporting by objective, principles ranked and challenges."""


def titled_tables(document: ET.Element) -> list[tuple[ET.Element, ET.Element]]:
    """Each "Table Title" paragraph and the table it titles: the next table, past at most
    a short line (an indicator's unit) and bookmarks."""
    body = list(document.find(f"{W}body"))
    found = []
    for at, node in enumerate(body):
        if style_of(node) != "TableTitle":
            continue
        following = [n for n in body[at + 1:at + 5] if n.tag != f"{W}bookmarkStart"]
        table = next(n for n in following[:2] if n.tag == f"{W}tbl")
        found.append((node, table))
    return found


@pytest.mark.parametrize("report", REPORTS)
def test_tables_have_a_number_and_title_above_them(docx: dict[str, Path], report: str) -> None:
    """As a UN document titles its tables: "Tableau 1. …" above each table of the body (not
    the list of abbreviations, a figure's key or the annex's short tables), its number a
    SEQ field as Word numbers tables (a list of tables can be made from them), numbered
    apart from the figures, and kept with the table (keepNext, from its style)."""
    document = part(docx[report], "word/document.xml")
    titled = titled_tables(document)
    assert len(titled) == TITLED_TABLES[report]
    label = TABLE_LABEL[report.split(".")[1]]
    for number, (title, _table) in enumerate(titled, start=1):
        field = title.find(f"{W}fldSimple")
        assert field.get(f"{W}instr").split() == ["SEQ", "Table", "\\*", "ARABIC"]
        assert paragraph_text(field) == str(number)
        text = paragraph_text(title)
        assert text.startswith(f"{label} {number}. ") and len(text) > len(label) + 6, text
    styles = part(docx[report], "word/styles.xml")
    style = next(s for s in styles.iter(f"{W}style") if s.get(f"{W}styleId") == "TableTitle")
    assert style.find(f"{W}pPr/{W}keepNext") is not None
    assert style.find(f"{W}rPr/{W}b") is not None


@pytest.mark.parametrize("report", ["MA.fr", "regional.fr"])
def test_a_tables_title_is_printed_on_its_tables_page(docx: dict[str, Path],
                                                      pdf: dict[str, Path],
                                                      report: str) -> None:
    """LibreOffice never leaves a table's title at the foot of a page, its table on the
    next: the title and the table's first header cell are printed on the same page."""
    document = part(docx[report], "word/document.xml")
    printed = pdf_words(pdf[report])
    plain = [re.sub(r"^\W+|\W+$", "", word) for _page, _top, word in printed]
    for number, (_title, table) in enumerate(titled_tables(document), start=1):
        header = next(found[0] for cell in table.find(f"{W}tr").iter(f"{W}tc")
                      if (found := words(paragraph_text(cell))))
        at = next(i for i in range(len(plain) - 1)
                  if plain[i] == "Tableau" and plain[i + 1] == str(number))
        first_cell = next(i for i in range(at + 2, len(plain)) if plain[i] == header)
        assert printed[at][0] == printed[first_cell][0], (number, header)


# --- what LibreOffice prints ------------------------------------------------------------------


@pytest.mark.parametrize("report", REPORTS)
def test_no_word_of_a_table_is_cut(docx: dict[str, Path], pdf: dict[str, Path],
                                   report: str) -> None:
    """Every word of a table cell is printed whole: a word cut at the end of a line
    ("Perfectionne/ment") is missing from the PDF as many times as it was cut. Words are
    counted over the whole body, which LibreOffice never hyphenates."""
    document = part(docx[report], "word/document.xml")
    printed = Counter(w for _, _, word in pdf_words(pdf[report]) for w in words(word))
    written = body_words(document)
    cut = {word: (written[word], printed[word]) for word in table_words(document)
           if printed[word] < written[word]}
    assert not cut, cut


@pytest.mark.parametrize("report", ["regional.fr", "regional.ar"])
def test_objective_numbers_are_printed_on_one_line(pdf: dict[str, Path], report: str) -> None:
    """The header row of the coverage matrix: 1 to 23 side by side, none wrapped."""
    lines: dict[tuple[int, float], list[str]] = {}
    for page, top, word in pdf_words(pdf[report]):
        lines.setdefault((page, round(top)), []).append(word)
    numbers = [str(n) for n in range(1, 24)]
    assert any(all(n in line for n in numbers) for line in lines.values())


def test_english_items_of_an_arabic_list_are_isolated(docx: dict[str, Path],
                                                      pdf: dict[str, Path]) -> None:
    """In an Arabic sentence listing English titles ("A وB وC"), each title is isolated
    in its own direction (LRI … PDI), the conjunction held to it (a no-break space), and
    LibreOffice prints its words whole (no-break spaces made it cut them mid-word)."""
    text = "".join(paragraph_text(p) for p in part(docx["regional.ar"], "word/document.xml")
                   .iter(f"{W}p"))
    printed = Counter(word for _page, _top, word in pdf_words(pdf["regional.ar"]))
    for item in ("Legal identity and documentation (EN)", "Skills development and recognition (EN)",
                 "Migrant and diaspora contributions (EN)"):
        assert f"\u0648\u00a0\u2066{item}\u2069" in text, item
        for word in item.split()[:-1]:
            assert printed[word], (item, word)


@pytest.mark.parametrize("report", REPORTS)
def test_page_count(pdf: dict[str, Path], report: str) -> None:
    assert 2 <= len(pypdf.PdfReader(pdf[report]).pages) <= MAX_PAGES[report]


@pytest.mark.parametrize("report", ARABIC)
def test_arabic_is_printed_in_the_embedded_amiri(pdf: dict[str, Path], report: str) -> None:
    """Where Amiri is not installed (gcmreview's package has it, the system need not), it can
    only come from the file; test_fonts_are_there_where_readers_open_the_file checks the
    embedding itself."""
    fonts = set()
    for page in pypdf.PdfReader(pdf[report]).pages:
        for ref in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(ref.get_object()["/BaseFont"]).split("+")[-1])
    assert {"Amiri-Regular", "Amiri-Bold"} <= fonts


def test_only_a_row_taller_than_a_page_may_split() -> None:
    """A row that cannot fit on a page has to break; the others stay whole."""
    def cell(text: str) -> str:
        return f"<w:tc><w:tcPr /><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"

    rows = [("#", "Text"), ("1", " ".join(["word"] * 5000)), ("2", "short")]
    table = ('<w:tbl><w:tblPr><w:tblStyle w:val="Table" /><w:tblW w:type="auto" w:w="0" />'
             '</w:tblPr><w:tblGrid><w:gridCol w:w="1" /><w:gridCol w:w="1" /></w:tblGrid>'
             + "".join(f"<w:tr>{'<w:trPr><w:tblHeader /></w:trPr>' if n == 0 else ''}"
                       f"{cell(a)}{cell(b)}</w:tr>" for n, (a, b) in enumerate(rows))
             + "</w:tbl>")
    document = (f'<w:document xmlns:w="{W[1:-1]}"><w:body>{table}<w:sectPr>'
                '<w:pgSz w:w="11906" w:h="16838" />'
                '<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" />'
                "</w:sectPr></w:body></w:document>")
    laid_out = ET.fromstring(lay_out_tables(document, "", rtl=False))
    header, tall, short = laid_out.iter(f"{W}tr")
    assert header.find(f"{W}trPr/{W}cantSplit") is not None
    assert tall.find(f"{W}trPr/{W}cantSplit") is None
    assert short.find(f"{W}trPr/{W}cantSplit") is not None
    assert grid(next(laid_out.iter(f"{W}tbl")))[0] < 1000  # "#" and "1": a narrow column


def table_document(rows: list[tuple[str, ...]]) -> str:
    def cell(text: str) -> str:
        return f"<w:tc><w:tcPr /><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"

    columns = '<w:gridCol w:w="1" />' * len(rows[0])
    table = ('<w:tbl><w:tblPr><w:tblStyle w:val="Table" /><w:tblW w:type="auto" w:w="0" />'
             f'</w:tblPr><w:tblGrid>{columns}</w:tblGrid>'
             + "".join(f"<w:tr>{''.join(cell(c) for c in row)}</w:tr>" for row in rows)
             + "</w:tbl>")
    return (f'<w:document xmlns:w="{W[1:-1]}"><w:body>{table}<w:sectPr>'
            '<w:pgSz w:w="11906" w:h="16838" />'
            '<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" />'
            "</w:sectPr></w:body></w:document>")


def first_column(document: str) -> int:
    laid_out = ET.fromstring(lay_out_tables(document, "", rtl=False))
    return grid(next(laid_out.iter(f"{W}tbl")))[0]


def test_a_date_is_one_word() -> None:
    """Dates hold no-break spaces (13 septembre 2020): Word and LibreOffice never break
    them, so their column is sized for the whole date."""
    text = " ".join(["a long description of what the State did"] * 12)
    breakable = first_column(table_document([("13 septembre 2020", *[text] * 5)] * 3))
    whole = first_column(table_document([("13\u00a0septembre\u00a02020", *[text] * 5)] * 3))
    assert whole > 1.5 * breakable  # "13 septembre 2020" against "septembre"


def test_a_word_too_long_for_any_column_leaves_the_others_whole() -> None:
    """A long link in a narrative's table: only its column is cut, the others keep their
    longest word."""
    link = "https://example.org/" + "a" * 400
    document = table_document([("Measure", link), ("Plan", "see the link")])
    measure = _Text("Measure", (False,) * 7, 1.0).width(0, 7, SMALLER_POINTS[-1])
    assert first_column(document) >= measure + 2 * 108  # 108: Word's default cell margin
    assert _overflowing([100, 200, 5000, 300], 3000) == [100, 200, 2400, 300]


def test_an_empty_paragraph_stays_valid_right_to_left() -> None:
    header = f'<w:hdr xmlns:w="{W[1:-1]}"><w:p /><w:p><w:r><w:t>x</w:t></w:r></w:p></w:hdr>'
    marked = ET.fromstring(_rtl_paragraphs(header, ""))
    empty, text = marked.iter(f"{W}p")
    assert list(empty) == [] and text.find(f"{W}pPr/{W}bidi") is not None


@pytest.mark.parametrize("report", ["MA.ar", "regional.fr"])
def test_zip_entries_are_the_same_on_every_system(docx: dict[str, Path], report: str) -> None:
    with zipfile.ZipFile(docx[report]) as archive:
        infos = archive.infolist()
    assert {(i.create_system, i.external_attr, i.date_time) for i in infos} == {
        (3, 0o100644 << 16, (1980, 1, 1, 0, 0, 0))}


DC = "{http://purl.org/dc/elements/1.1/}"
SUBJECTS = {"MA": {"fr": "Examen volontaire, cycle 2020"},
            "regional": {"fr": "Examen régional, cycle 2020"}}


@pytest.mark.parametrize("report", REPORTS)
def test_document_properties(docx: dict[str, Path], pdf: dict[str, Path], report: str
                             ) -> None:
    """Title, Subject (the subtitle) and Comments (which tool and file made it) are the
    document's properties. The templates' settings pandoc kept as custom properties
    (colon, dir, header-text, toc-title...: Word lists them under File > Properties >
    Custom) are gone, with their relationship and content type, and nothing else is
    missing. LibreOffice reads the title and subject (into the PDF it prints)."""
    path = docx[report]
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        rels = archive.read("_rels/.rels").decode()
        types = archive.read("[Content_Types].xml").decode()
    assert "docProps/custom.xml" not in names
    assert "custom" not in rels and "custom" not in types
    assert {t.lstrip("/") for t in re.findall(r'Target="([^"]+)"', rels)} <= names
    assert {p.lstrip("/") for p in re.findall(r'PartName="([^"]+)"', types)} <= names
    core = part(path, "docProps/core.xml")
    title, subject = core.findtext(f"{DC}title"), core.findtext(f"{DC}subject")
    state, lang = report.split(".")
    if lang == "fr":
        assert subject == SUBJECTS[state][lang]
    assert subject and "2020" in subject
    source = "countries/MA.yaml" if state == "MA" else "gcmreview.yaml"
    assert "gcmreview" in core.findtext(f"{DC}description", "")
    assert source in core.findtext(f"{DC}description", "")
    info = pypdf.PdfReader(pdf[report]).metadata
    assert info is not None and info.title == title and info.subject == subject


def test_heading_levels_look_apart_in_the_reference_document() -> None:
    """An editor's review: Heading 3 (an objective) was pandoc's dark theme blue at 14 pt,
    beside Heading 2 (a round table) in dark blue at 16 pt, and the two looked alike.
    Heading 3 and 4 are now black and bold, as in the PDF."""
    from gcmreview.render.templates import builtin_templates_dir

    with zipfile.ZipFile(builtin_templates_dir() / "reference.docx") as z:
        styles = z.read("word/styles.xml").decode("utf-8")

    def props(style_id: str) -> str:
        found = re.search(rf'<w:style [^>]*w:styleId="{style_id}".*?</w:style>', styles,
                          re.DOTALL)
        assert found, style_id
        return found.group(0)

    two, three = props("Heading2"), props("Heading3")
    assert '<w:color w:val="1F4E79" />' in two and "<w:b />" not in two
    assert '<w:color w:val="000000" />' in three and "<w:b />" in three
    assert '<w:sz w:val="24" />' in three and '<w:sz w:val="32" />' in two


@pytest.mark.parametrize("report", ["regional.fr", "regional.ar"])
def test_the_states_reporting_line_is_kept_with_the_first_answer(docx: dict[str, Path],
                                                                 report: str) -> None:
    """"États qui en rendent compte : Libye (1)." between an objective's heading and the
    first State's answer is kept with what follows, as in the PDF: the heading, kept with
    it, was left with it at the foot of a page (LibreOffice, pp. 7 and 11)."""
    body = [p for p in part(docx[report], "word/document.xml").find(f"{W}body")
            if p.tag == f"{W}p"]  # not the bookmarks between them
    kept = []
    for before, paragraph, after in zip(body, body[1:], body[2:], strict=False):
        if style_of(before).startswith("Heading") and style_of(after).startswith("Heading") \
                and style_of(after) > style_of(before) \
                and not style_of(paragraph).startswith("Heading"):
            kept.append(paragraph.find(f"{W}pPr/{W}keepNext") is not None)
    assert len(kept) >= 5 and all(kept), kept


def random_markdown_table(rng: random.Random) -> str:
    """A pipe table with cells as the reports' tables have them: words, numbers, marks,
    emphasis, strong text, text in another language, escaped characters, empty cells."""
    words = ["Objective", "12,5", "2024", "●", "◐", "Maroc", "المغرب", "&", "<b>", "a\u00a0b",
             "*en cours*", "**Total**", '[Morocco]{lang="en"}', '[المغرب]{lang="ar" dir="rtl"}',
             "word " * 30, "https://example.org/" + "a" * 80, ""]
    columns = rng.randint(1, 9)

    def row() -> str:
        return "|" + "".join(f" {' '.join(rng.choices(words, k=rng.randint(0, 3)))} |"
                             for _ in range(columns))

    rows = [row() for _ in range(rng.choice([0, 1, 3, 14, 15, 16, 40]))]
    rule = "|" + "".join(rng.choice(["---|", "--:|", ":-:|"]) for _ in range(columns))
    return "\n".join([row(), rule, *rows]) + "\n"


@pytest.mark.parametrize("rtl", [False, True])
def test_simple_rows_are_finished_as_any_row_is(rtl: bool, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows as pandoc writes them (and render/tables.py) are read and finished by a quicker
    way than other rows (`_simple_row`): the two give the same document, byte for byte,
    for tables of every size and shape through the real pandoc, in both directions."""
    rng = random.Random(f"simple-rows-{rtl}")
    markdown = "\n\nBetween two tables.\n\n".join(random_markdown_table(rng) for _ in range(150))
    target = tmp_path / "tables.docx"
    pypandoc.convert_text(markdown, "docx", format=SKELETON_FORMAT, outputfile=str(target),
                          extra_args=["-M", "dir=rtl"] if rtl else [])
    with zipfile.ZipFile(target) as z:
        document, styles = z.read("word/document.xml").decode(), z.read("word/styles.xml").decode()

    def laid_out() -> str:
        for cached in (finishing._row, finishing._cell, finishing._simple_cell,
                       finishing._finished_row, finishing._finished_cell):
            cached.cache_clear()
        return lay_out_tables(document, styles, rtl)

    quick = laid_out()
    rows = [finishing._row(xml, 1.0) for xml in re.findall(r"<w:tr>.*?</w:tr>", document)]
    assert sum(r.simple for r in rows) > 0.8 * len(rows) > 400
    monkeypatch.setattr(finishing, "_SIMPLE_ROW", re.compile(r"(?!)"))  # matches nothing
    assert laid_out() == quick
