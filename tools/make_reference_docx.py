"""Build ``templates/reference.docx``, the pandoc reference document for gcmreview's DOCX output.

Why this exists: pandoc takes the look of a DOCX from its ``--reference-doc``. From that file it
copies the styles (fonts, sizes, colours, spacing, the "Table" table style), the page setup (a
``<w:sectPr>`` of ``word/document.xml``: page size and margins) and the header and footer parts
that sectPr references. The reference document is therefore generated from pandoc's own default,
with a few reviewable edits, instead of being a binary hand-edited in Word.

Rerun it (from the repository root, with the dev environment) after changing anything below::

    python tools/make_reference_docx.py

What it does:

1. Asks the pandoc bundled with pypandoc-binary for its default ``reference.docx``.
2. Edits the XML with ``xml.etree`` and, for the two package files, the font table and the
   theme, plain string edits (stdlib only):

   * ``word/styles.xml``: body text 10 pt in Arial, Arabic (complex script) in Arial too;
     Heading 1/2 in UN blue with explicit spacing, Heading 3/4 black and bold (12 and 10.5 pt);
     Title 28 pt UN blue; Subtitle 16 pt grey,
     without the letter-spacing pandoc gives it (spaced-out letters break Arabic joining);
     Author and Date grey; ``<w:bCs/>``/``<w:iCs/>`` next to every ``<w:b/>``/``<w:i/>`` so
     bold and italic also apply to Arabic; "Header" and "Footer" paragraph styles; the "Table"
     style gets thin grey borders, cell margins and a shaded bold first row; code in Courier
     New instead of Consolas.
   * ``word/fontTable.xml`` declares Arial and Courier New (with their PANOSE numbers, which
     Word uses to choose a substitute) and ``word/theme/theme1.xml`` names Arial as the
     theme's heading and body font, so Word's "+Body"/"+Headings" are Arial too.
   * ``word/header1.xml`` (text ``GCMREVIEW_HEADER_TEXT``) and ``word/footer1.xml`` (text
     ``GCMREVIEW_FOOTER_TEXT``, " · ", PAGE field), registered in ``[Content_Types].xml`` and
     ``word/_rels/document.xml.rels`` and referenced from the body's sectPr, which also gets A4
     paper and 2 cm margins. Pandoc copies both parts verbatim into every DOCX, so the
     placeholders have to be replaced in pandoc's output.

3. Writes the zip deterministically (fixed timestamps, permissions, compression and entry
   order), so rerunning it with the same pandoc (and zlib) gives a byte-identical file.

Why Arial: the reports are opened in Word on Windows, Word on a Mac and LibreOffice. Arial is a
system font of Windows and macOS (Calibri comes to a Mac only with Office), and LibreOffice
replaces it with Liberation Sans, which has the same metrics and which LibreOffice installs with
itself on Windows and macOS (Linux distributions ship it as fonts-liberation): lines and pages
break at the same places everywhere. Arial also has Arabic letters on Windows and macOS, hence
its use as the complex-script font. Arabic reports do better: gcmreview/convert/docx.py embeds
Amiri in them and names it as their complex-script font (``finish_docx``).

Keep exactly one sectPr in ``word/document.xml`` (the script checks): pandoc 3.9 uses the
*first* sectPr it finds, so a section break added to the sample content would silently replace
this page setup, header and footer in every output.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import quoteattr

from gcmreview.convert.docx import (
    PPR_ORDER,
    RPR_ORDER,
    SECTPR_ORDER,
    TBLPR_ORDER,
    TCPR_ORDER,
    _names,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO_ROOT / "templates" / "reference.docx"

# --- Look and feel -------------------------------------------------------------------------
LATIN_FONT = "Arial"  # why: see the module docstring
COMPLEX_SCRIPT_FONT = "Arial"  # w:cs, used for Arabic; Arabic reports get Amiri (docx.py)
CODE_FONT = "Courier New"  # Liberation Mono in LibreOffice
BODY_HALF_POINTS = 20  # 10 pt; OOXML font sizes are in half-points
UN_BLUE = "009EDB"
UN_DARK_BLUE = "1F4E79"
GREY = "595959"
BORDER_GREY = "BFBFBF"
HEADER_ROW_FILL = "E8F4FB"

HEADER_PLACEHOLDER = "GCMREVIEW_HEADER_TEXT"
FOOTER_PLACEHOLDER = "GCMREVIEW_FOOTER_TEXT"

# A4 and 2 cm margins, in twentieths of a point (1 cm = 567 twips).
PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838
MARGIN = 1134
HEADER_FOOTER_DISTANCE = 567

# --- Package plumbing ----------------------------------------------------------------------
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_NS = "http://www.w3.org/XML/1998/namespace"
REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
CT_PREFIX = "application/vnd.openxmlformats-officedocument.wordprocessingml."

HEADER_PART = "word/header1.xml"
FOOTER_PART = "word/footer1.xml"
FONT_TABLE_PART = "word/fontTable.xml"
THEME_PART = "word/theme/theme1.xml"

# w:font entries of word/fontTable.xml: PANOSE, character set, family and pitch, and the
# Unicode ranges (w:sig) as Word writes them for the Windows fonts.
FONT_ENTRIES = {
    LATIN_FONT: ("020B0604020202020204", "00", "swiss", "variable",
                 ("E0002EFF", "C000785B", "00000009", "00000000", "000001FF", "00000000")),
    CODE_FONT: ("02070309020205020404", "00", "modern", "fixed",
                ("E0002EFF", "C0007843", "00000009", "00000000", "000001FF", "00000000")),
}
THEME_FONT_PANOSE = "020B0604020202020204"  # Arial

XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)
ZIP_EXTERNAL_ATTR = 0o100644 << 16  # regular file, rw-r--r--
ZIP_CREATE_SYSTEM = 3  # Unix; the default depends on the OS the script runs on
ZIP_COMPRESS_LEVEL = 9

for _prefix, _uri in {
    "w": W_NS,
    "r": R_NS,
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "o": "urn:schemas-microsoft-com:office:office",
    "v": "urn:schemas-microsoft-com:vml",
    "w10": "urn:schemas-microsoft-com:office:word",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
}.items():
    ET.register_namespace(_prefix, _uri)


def w(tag: str) -> str:
    """Clark name of a WordprocessingML element or attribute."""
    return f"{{{W_NS}}}{tag}"


# Child order from the WordprocessingML schema; Word rejects files whose children are out of
# order, so new elements are inserted at their schema position rather than appended. The
# orders gcmreview's own DOCX finishing uses come from there; the others are the styles'.
STYLE_ORDER = _names(
    "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed "
    "qFormat locked personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr "
    "tblStylePr"
)
TBLSTYLEPR_ORDER = _names("pPr rPr tblPr trPr tcPr")
BORDERS_ORDER = _names("top left start bottom right end insideH insideV")
CELL_MARGIN_ORDER = _names("top left start bottom right end")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def child(
    parent: ET.Element,
    tag: str,
    order: Sequence[str],
    attrs: dict[str, str] | None = None,
    *,
    replace: bool = False,
) -> ET.Element:
    """Return ``parent``'s ``w:tag`` child, creating it at its schema position if missing.

    ``attrs`` (local names in the w namespace) are set on it; ``replace`` drops the old
    attributes and children first.
    """
    found = parent.find(w(tag))
    if found is None:
        found = ET.Element(w(tag))
        rank = order.index(tag)
        position = len(parent)
        for index, sibling in enumerate(parent):
            name = _local(sibling.tag)
            if name in order and order.index(name) > rank:
                position = index
                break
        parent.insert(position, found)
    elif replace:
        found.attrib.clear()
        for old in list(found):
            found.remove(old)
    for key, value in (attrs or {}).items():
        found.set(w(key), value)
    return found


# --- styles.xml ----------------------------------------------------------------------------


def find_style(styles: ET.Element, style_id: str) -> ET.Element:
    for style in styles.iter(w("style")):
        if style.get(w("styleId")) == style_id:
            return style
    raise SystemExit(f"pandoc's reference.docx has no style {style_id!r}; update this script")


def set_run_props(
    style: ET.Element,
    *,
    color: str | None = None,
    half_points: int | None = None,
) -> None:
    rpr = child(style, "rPr", STYLE_ORDER)
    if color is not None:
        # Theme colour attributes win over w:val, so they must go.
        child(rpr, "color", RPR_ORDER, {"val": color}, replace=True)
    if half_points is not None:
        child(rpr, "sz", RPR_ORDER, {"val": str(half_points)})
        child(rpr, "szCs", RPR_ORDER, {"val": str(half_points)})


def set_spacing(style: ET.Element, before: int, after: int) -> None:
    ppr = child(style, "pPr", STYLE_ORDER)
    child(ppr, "spacing", PPR_ORDER, {"before": str(before), "after": str(after)})


def use_explicit_fonts(styles: ET.Element) -> None:
    """Body fonts in docDefaults; no style may fall back to the theme's fonts.

    Theme font attributes (w:asciiTheme, w:cstheme, ...) take precedence over explicit ones, and
    pandoc's headings use the theme's major fonts (Aptos Display, and Times New Roman for
    Arabic), so they are removed everywhere and every style inherits the fonts below.
    """
    defaults = styles.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")
    if defaults is None:
        raise SystemExit("pandoc's styles.xml has no docDefaults run properties")
    child(
        defaults,
        "rFonts",
        RPR_ORDER,
        {"ascii": LATIN_FONT, "hAnsi": LATIN_FONT, "cs": COMPLEX_SCRIPT_FONT},
    )
    child(defaults, "sz", RPR_ORDER, {"val": str(BODY_HALF_POINTS)})
    child(defaults, "szCs", RPR_ORDER, {"val": str(BODY_HALF_POINTS)})
    for fonts in styles.iter(w("rFonts")):
        for theme_attr in ("asciiTheme", "hAnsiTheme", "cstheme"):
            fonts.attrib.pop(w(theme_attr), None)


def no_letter_spacing(styles: ET.Element) -> None:
    """Drop character spacing (``w:spacing`` in run properties; pandoc's Subtitle has 0.75 pt).

    Spaced-out letters break the joining of Arabic script, and a report can be in Arabic.
    """
    for rpr in styles.iter(w("rPr")):
        for spacing in rpr.findall(w("spacing")):
            rpr.remove(spacing)


def code_font(styles: ET.Element) -> None:
    """pandoc's code style asks for Consolas, which only Windows and Office have."""
    for fonts in find_style(styles, "VerbatimChar").iter(w("rFonts")):
        for attr in ("ascii", "hAnsi"):
            fonts.set(w(attr), CODE_FONT)


def complex_script_emphasis(styles: ET.Element) -> None:
    """Pair every w:b with w:bCs and every w:i with w:iCs, so Arabic is bold/italic too."""
    for rpr in styles.iter(w("rPr")):
        for latin, complex_script in (("b", "bCs"), ("i", "iCs")):
            toggle = rpr.find(w(latin))
            if toggle is not None and rpr.find(w(complex_script)) is None:
                paired = child(rpr, complex_script, RPR_ORDER)
                if toggle.get(w("val")) is not None:
                    paired.set(w("val"), toggle.get(w("val"), ""))


def add_header_footer_styles(styles: ET.Element) -> None:
    for style_id, name, justification in (
        ("Header", "header", "right"),
        ("Footer", "footer", "center"),
    ):
        if any(s.get(w("styleId")) == style_id for s in styles.iter(w("style"))):
            style = find_style(styles, style_id)
        else:
            style = ET.SubElement(
                styles, w("style"), {w("type"): "paragraph", w("styleId"): style_id}
            )
            child(style, "name", STYLE_ORDER, {"val": name})
            child(style, "basedOn", STYLE_ORDER, {"val": "Normal"})
            child(style, "uiPriority", STYLE_ORDER, {"val": "99"})
            child(style, "unhideWhenUsed", STYLE_ORDER)
        ppr = child(style, "pPr", STYLE_ORDER)
        child(ppr, "spacing", PPR_ORDER, {"before": "0", "after": "0"})
        child(ppr, "jc", PPR_ORDER, {"val": justification})
        set_run_props(style, color=GREY, half_points=18)  # 9 pt


def style_table(styles: ET.Element) -> None:
    table = find_style(styles, "Table")
    tblpr = child(table, "tblPr", STYLE_ORDER)
    borders = child(tblpr, "tblBorders", TBLPR_ORDER, replace=True)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        child(
            borders,
            edge,
            BORDERS_ORDER,
            {"val": "single", "sz": "4", "space": "0", "color": BORDER_GREY},
        )
    margins = child(tblpr, "tblCellMar", TBLPR_ORDER, replace=True)
    for edge, width in (("top", 57), ("left", 85), ("bottom", 57), ("right", 85)):  # 1 / 1.5 mm
        child(margins, edge, CELL_MARGIN_ORDER, {"w": str(width), "type": "dxa"})

    first_row = next(
        (p for p in table.iter(w("tblStylePr")) if p.get(w("type")) == "firstRow"), None
    )
    if first_row is None:
        first_row = child(table, "tblStylePr", STYLE_ORDER, {"type": "firstRow"})
    rpr = child(first_row, "rPr", TBLSTYLEPR_ORDER)
    child(rpr, "b", RPR_ORDER)
    child(rpr, "bCs", RPR_ORDER)
    tcpr = child(first_row, "tcPr", TBLSTYLEPR_ORDER)
    # pandoc's default draws a black ("auto") rule under the header row; the grey grid replaces it.
    old_borders = tcpr.find(w("tcBorders"))
    if old_borders is not None:
        tcpr.remove(old_borders)
    child(tcpr, "shd", TCPR_ORDER, {"val": "clear", "color": "auto", "fill": HEADER_ROW_FILL})


def add_style(styles: ET.Element, style_id: str, name: str, kind: str) -> ET.Element:
    style = ET.SubElement(styles, w("style"),
                          {w("type"): kind, w("customStyle"): "1", w("styleId"): style_id})
    child(style, "name", STYLE_ORDER, {"val": name})
    if kind == "paragraph":
        child(style, "basedOn", STYLE_ORDER, {"val": "Normal"})
    child(style, "qFormat", STYLE_ORDER)
    return style


def add_form_styles(styles: ET.Element) -> None:
    """The Word form's styles (gcmreview form): pandoc applies them by name.

    "Form Note" marks the form's own guidance paragraphs, which `import` skips;
    "Form Label" the left-hand cells, which say which answer is which;
    "Form Checkbox" the tick boxes (☐/☒), in a font that has them.
    """
    note = add_style(styles, "FormNote", "Form Note", "paragraph")
    set_spacing(note, before=0, after=120)
    set_run_props(note, color=GREY, half_points=18)  # 9 pt
    child(child(note, "rPr", STYLE_ORDER), "i", RPR_ORDER)
    label = add_style(styles, "FormLabel", "Form Label", "paragraph")
    set_spacing(label, before=0, after=60)
    child(child(label, "pPr", STYLE_ORDER), "keepLines", PPR_ORDER)
    box = add_style(styles, "FormCheckbox", "Form Checkbox", "character")
    child(child(box, "rPr", STYLE_ORDER), "rFonts", RPR_ORDER,
          {"ascii": "Segoe UI Symbol", "hAnsi": "Segoe UI Symbol", "cs": "Segoe UI Symbol"})
    set_run_props(box, half_points=24)  # 12 pt: easy to click


def add_masthead_style(styles: ET.Element) -> None:
    """"Masthead": the lines above a UN document's title (issuer, symbol, distribution,
    date, original), small and set to the end of the line, as UN documents set them."""
    masthead = add_style(styles, "Masthead", "Masthead", "paragraph")
    set_spacing(masthead, before=0, after=0)
    child(child(masthead, "pPr", STYLE_ORDER), "jc", PPR_ORDER, {"val": "right"})
    set_run_props(masthead, half_points=18)  # 9 pt


def add_cover_compact_style(styles: ET.Element) -> None:
    """"Cover Compact": the Compact's name above the report's title, bold and centred as
    the title is, as the PDF and HTML covers show it; in the darker UN blue the HTML gives
    it (#0072BC: 5:1 on white, where #009EDB is 2.9:1, too faint for text this size)."""
    compact = add_style(styles, "CoverCompact", "Cover Compact", "paragraph")
    set_spacing(compact, before=240, after=120)
    ppr = child(compact, "pPr", STYLE_ORDER)
    child(ppr, "keepNext", PPR_ORDER)
    child(ppr, "jc", PPR_ORDER, {"val": "center"})
    set_run_props(compact, color="0072BC", half_points=22)  # 11 pt
    child(child(compact, "rPr", STYLE_ORDER), "b", RPR_ORDER)


def keep_headings_with_text(styles: ET.Element) -> None:
    """Every heading level stays on the page of the paragraph after it, its lines together
    (pandoc's styles have it for some levels only)."""
    for level in range(1, 10):
        ppr = child(find_style(styles, f"Heading{level}"), "pPr", STYLE_ORDER)
        child(ppr, "keepNext", PPR_ORDER)
        child(ppr, "keepLines", PPR_ORDER)


def add_toc_styles(styles: ET.Element) -> None:
    """"toc 1" and "toc 2", the styles of the table of contents' entries (docx.py writes
    the TOC field); the heading of the contents in the colour of the other headings."""
    for level, indent, before in ((1, 0, 120), (2, 284, 0)):  # level 2 indented 0.5 cm
        style = ET.SubElement(styles, w("style"), {w("type"): "paragraph",
                                                   w("styleId"): f"TOC{level}"})
        child(style, "name", STYLE_ORDER, {"val": f"toc {level}"})
        child(style, "basedOn", STYLE_ORDER, {"val": "Normal"})
        child(style, "next", STYLE_ORDER, {"val": "Normal"})
        child(style, "uiPriority", STYLE_ORDER, {"val": "39"})
        child(style, "unhideWhenUsed", STYLE_ORDER)
        ppr = child(style, "pPr", STYLE_ORDER)
        tabs = child(ppr, "tabs", PPR_ORDER)
        ET.SubElement(tabs, w("tab"), {w("val"): "right", w("leader"): "dot",
                                       w("pos"): str(PAGE_WIDTH - 2 * MARGIN)})
        child(ppr, "spacing", PPR_ORDER, {"before": str(before), "after": "60"})
        child(ppr, "ind", PPR_ORDER, {"start": str(indent)})
        if level == 1:
            child(child(style, "rPr", STYLE_ORDER), "b", RPR_ORDER)
    set_run_props(find_style(styles, "TOCHeading"), color=UN_BLUE)


def add_figure_styles(styles: ET.Element) -> None:
    """A figure as UN documents set it: its number and title above it ("Figure Title",
    bold, kept with the picture), the picture ("Figure", kept with what follows), and
    the source below it ("Figure Source", smaller); a table's number and title ("Table
    Title"), as gcmreview/convert/batch.lua applies them."""
    add_title_style(styles, "FigureTitle", "Figure Title")
    figure = find_style(styles, "Figure")
    ppr = child(figure, "pPr", STYLE_ORDER)
    child(ppr, "keepNext", PPR_ORDER)
    set_spacing(figure, before=0, after=60)
    source = add_style(styles, "FigureSource", "Figure Source", "paragraph")
    set_spacing(source, before=0, after=240)
    set_run_props(source, color=GREY, half_points=17)  # 8.5 pt
    # A table's number and title, above it, as a figure's ("Table Title"): kept with
    # the table (or the line giving its unit) that follows.
    add_title_style(styles, "TableTitle", "Table Title")


def add_title_style(styles: ET.Element, style_id: str, name: str) -> None:
    """A figure's or a table's number and title: bold, kept whole and with what follows."""
    title = add_style(styles, style_id, name, "paragraph")
    ppr = child(title, "pPr", STYLE_ORDER)
    child(ppr, "keepNext", PPR_ORDER)
    child(ppr, "keepLines", PPR_ORDER)
    set_spacing(title, before=240, after=80)
    child(child(title, "rPr", STYLE_ORDER), "b", RPR_ORDER)


def edit_styles(data: bytes) -> bytes:
    styles = ET.fromstring(data)
    use_explicit_fonts(styles)

    for para_id, char_id, color, half_points in (
        ("Title", "TitleChar", UN_BLUE, 56),  # 28 pt
        ("Subtitle", "SubtitleChar", GREY, 32),  # 16 pt
        ("Heading1", "Heading1Char", UN_BLUE, None),
        ("Heading2", "Heading2Char", UN_DARK_BLUE, None),
    ):
        # The linked character style mirrors the paragraph style, as Word expects.
        for style_id in (para_id, char_id):
            set_run_props(find_style(styles, style_id), color=color, half_points=half_points)
    for style_id in ("Author", "Date"):  # based on Title, so they would be UN blue otherwise
        set_run_props(find_style(styles, style_id), color=GREY)
    # Heading 3 and 4 in the text's colour and bold, as the PDF's: in pandoc's dark
    # theme blue, 14 pt, Heading 3 (an objective) looked like Heading 2 (a round table).
    for para_id, char_id, half_points in (("Heading3", "Heading3Char", 24),  # 12 pt
                                          ("Heading4", "Heading4Char", 21)):  # 10.5 pt
        for style_id in (para_id, char_id):
            style = find_style(styles, style_id)
            set_run_props(style, color="000000", half_points=half_points)
            child(child(style, "rPr", STYLE_ORDER), "b", RPR_ORDER, {})
    set_spacing(find_style(styles, "Heading1"), before=360, after=120)  # 18 pt / 6 pt
    set_spacing(find_style(styles, "Heading2"), before=240, after=80)  # 12 pt / 4 pt

    add_header_footer_styles(styles)
    keep_headings_with_text(styles)
    add_toc_styles(styles)
    add_figure_styles(styles)
    add_form_styles(styles)
    add_masthead_style(styles)
    add_cover_compact_style(styles)
    style_table(styles)
    no_letter_spacing(styles)
    code_font(styles)
    complex_script_emphasis(styles)
    ET.indent(styles)  # pandoc's file is indented; keep the edited one reviewable too
    return serialize(styles)


# --- header, footer, page setup -------------------------------------------------------------


def paragraph(parent: ET.Element, style_id: str) -> ET.Element:
    para = ET.SubElement(parent, w("p"))
    ppr = ET.SubElement(para, w("pPr"))
    ET.SubElement(ppr, w("pStyle"), {w("val"): style_id})
    return para


def text_run(parent: ET.Element, text: str, *, no_proof: bool = False) -> None:
    run = ET.SubElement(parent, w("r"))
    if no_proof:
        ET.SubElement(ET.SubElement(run, w("rPr")), w("noProof"))
    t = ET.SubElement(run, w("t"))
    t.text = text
    if text != text.strip():
        t.set(f"{{{XML_NS}}}space", "preserve")


def header_part() -> bytes:
    root = ET.Element(w("hdr"))
    text_run(paragraph(root, "Header"), HEADER_PLACEHOLDER)
    return serialize(root)


def footer_part() -> bytes:
    root = ET.Element(w("ftr"))
    para = paragraph(root, "Footer")
    text_run(para, FOOTER_PLACEHOLDER)
    text_run(para, " · ")
    field = ET.SubElement(para, w("fldSimple"), {w("instr"): " PAGE "})
    text_run(field, "1", no_proof=True)  # cached result, shown until the field is updated
    return serialize(root)


def append_before_close(data: bytes, closing_tag: bytes, elements: list[ET.Element]) -> bytes:
    """Insert ``elements`` before the root's closing tag, leaving the rest byte-for-byte.

    The package files use an unprefixed default namespace with unqualified attributes, which
    ElementTree cannot write back faithfully, so they get a plain string edit instead.
    """
    if data.count(closing_tag) != 1:
        raise SystemExit(f"expected one {closing_tag.decode()} in pandoc's reference.docx")
    new = "".join(
        f"<{_local(e.tag)}" + "".join(f" {k}={quoteattr(v)}" for k, v in e.items()) + " />"
        for e in elements
    )
    return data.replace(closing_tag, new.encode("utf-8") + closing_tag)


def edit_relationships(data: bytes) -> tuple[bytes, str, str]:
    rels = ET.fromstring(data)
    numbers = [
        int(m.group(1)) for rel in rels if (m := re.fullmatch(r"rId(\d+)", rel.get("Id", "")))
    ]
    next_number = max(numbers, default=0) + 1
    new: list[ET.Element] = []
    for kind, part in (("header", HEADER_PART), ("footer", FOOTER_PART)):
        target = part.removeprefix("word/")
        if any(rel.get("Target") == target for rel in rels):
            raise SystemExit(f"pandoc's reference.docx already has {part}; update this script")
        rel_id = f"rId{next_number}"
        next_number += 1
        new.append(
            ET.Element("Relationship", {"Type": REL_TYPE + kind, "Id": rel_id, "Target": target})
        )
    edited = append_before_close(data, b"</Relationships>", new)
    return edited, new[0].attrib["Id"], new[1].attrib["Id"]


def edit_content_types(data: bytes) -> bytes:
    new = [
        ET.Element("Override", {"PartName": "/" + part, "ContentType": f"{CT_PREFIX}{kind}+xml"})
        for kind, part in (("header", HEADER_PART), ("footer", FOOTER_PART))
    ]
    return append_before_close(data, b"</Types>", new)


def edit_document(data: bytes, header_id: str, footer_id: str) -> bytes:
    document = ET.fromstring(data)
    body = document.find(w("body"))
    if body is None or len(body) == 0 or body[-1].tag != w("sectPr"):
        raise SystemExit("pandoc's document.xml does not end with a sectPr; update this script")
    if sum(1 for _ in document.iter(w("sectPr"))) != 1:
        raise SystemExit("pandoc's document.xml has section breaks; pandoc would use the first")
    sectpr = body[-1]
    for old in sectpr.findall(w("headerReference")) + sectpr.findall(w("footerReference")):
        sectpr.remove(old)
    for index, (kind, rel_id) in enumerate((("header", header_id), ("footer", footer_id))):
        ref = ET.Element(w(f"{kind}Reference"), {w("type"): "default", f"{{{R_NS}}}id": rel_id})
        sectpr.insert(index, ref)
    child(sectpr, "pgSz", SECTPR_ORDER, {"w": str(PAGE_WIDTH), "h": str(PAGE_HEIGHT)}, replace=True)
    margins = {side: str(MARGIN) for side in ("top", "right", "bottom", "left")}
    margins |= {"header": str(HEADER_FOOTER_DISTANCE), "footer": str(HEADER_FOOTER_DISTANCE)}
    child(sectpr, "pgMar", SECTPR_ORDER, margins | {"gutter": "0"}, replace=True)
    ET.indent(document)  # only whitespace between elements; w:t text is left alone
    return serialize(document)


# --- fonts -----------------------------------------------------------------------------------


def edit_font_table(data: bytes) -> bytes:
    """Declare the fonts the styles name, first; pandoc's own entries (Aptos, Calibri, ...) stay.

    The entries are hints: a reader without the font gets the substitute Word picks from them.
    """
    text = data.decode("utf-8")
    match = re.search(r"<w:fonts\b[^>]*>", text)
    if match is None or "</w:fonts>" not in text:
        raise SystemExit("pandoc's fontTable.xml has no w:fonts element; update this script")
    entries = []
    for name, (panose, charset, family, pitch, sig) in FONT_ENTRIES.items():
        text = re.sub(rf'\s*<w:font w:name="{re.escape(name)}">.*?</w:font>', "", text,
                      flags=re.DOTALL)
        usb0, usb1, usb2, usb3, csb0, csb1 = sig
        entries.append(
            f'\n  <w:font w:name="{name}">\n'
            f'    <w:panose1 w:val="{panose}"/>\n'
            f'    <w:charset w:val="{charset}"/>\n'
            f'    <w:family w:val="{family}"/>\n'
            f'    <w:pitch w:val="{pitch}"/>\n'
            f'    <w:sig w:usb0="{usb0}" w:usb1="{usb1}" w:usb2="{usb2}" w:usb3="{usb3}" '
            f'w:csb0="{csb0}" w:csb1="{csb1}"/>\n'
            "  </w:font>"
        )
    match = re.search(r"<w:fonts\b[^>]*>", text)
    assert match is not None
    return (text[: match.end()] + "".join(entries) + text[match.end():]).encode("utf-8")


def edit_theme(data: bytes) -> bytes:
    """The theme's Latin heading and body fonts (Aptos in pandoc's file) become Arial."""
    text = data.decode("utf-8")
    edited, count = re.subn(
        r"(<a:(?:major|minor)Font>\s*)<a:latin [^>]*/>",
        rf'\1<a:latin typeface="{LATIN_FONT}" panose="{THEME_FONT_PANOSE}"/>',
        text,
    )
    if count != 2:
        raise SystemExit("pandoc's theme has no major and minor Latin font; update this script")
    return edited.encode("utf-8")


# --- I/O -------------------------------------------------------------------------------------


def serialize(root: ET.Element) -> bytes:
    text = ET.tostring(root, encoding="unicode")
    return XML_DECLARATION + text.encode("utf-8")


def pandoc_default_reference() -> bytes:
    import pypandoc  # the project's pypandoc-binary, which bundles pandoc

    # Not `-o -`: with --print-default-data-file pandoc 3.9 takes "-" as a file name.
    result = subprocess.run(
        [pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"],
        check=True,
        capture_output=True,
    )
    if not result.stdout.startswith(b"PK"):
        raise SystemExit("pandoc did not print a zip file for reference.docx")
    return result.stdout


def build(original: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(original)) as source:
        names = source.namelist()
        parts = {name: source.read(name) for name in names}

    parts["word/styles.xml"] = edit_styles(parts["word/styles.xml"])
    parts[FONT_TABLE_PART] = edit_font_table(parts[FONT_TABLE_PART])
    parts[THEME_PART] = edit_theme(parts[THEME_PART])
    rels, header_id, footer_id = edit_relationships(parts["word/_rels/document.xml.rels"])
    parts["word/_rels/document.xml.rels"] = rels
    parts["[Content_Types].xml"] = edit_content_types(parts["[Content_Types].xml"])
    parts["word/document.xml"] = edit_document(parts["word/document.xml"], header_id, footer_id)
    parts[HEADER_PART] = header_part()
    parts[FOOTER_PART] = footer_part()

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in [*names, HEADER_PART, FOOTER_PART]:  # original order, new parts last
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = ZIP_CREATE_SYSTEM
            info.external_attr = ZIP_EXTERNAL_ATTR
            target.writestr(info, parts[name], compresslevel=ZIP_COMPRESS_LEVEL)
    return out.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "-o", "--output", type=Path, default=DEFAULT_OUTPUT, help="default: %(default)s"
    )
    args = parser.parse_args(argv)
    data = build(pandoc_default_reference())
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(data)
    print(f"wrote {args.output} (sha256 {hashlib.sha256(data).hexdigest()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
