"""What pandoc's DOCX writer leaves out, put into the file after it wrote it.

Right-to-left tables and cover paragraphs, complex-script bold and italic, the
header and footer texts of the reference document, and fixed timestamps and
ZIP entry dates so that the same input gives the same bytes. For the Word form:
clickable check boxes around its ☐/☒ characters and shaded label cells.

For the reports, also the table layout pandoc cannot know (it gives every
column the same width, which Word and LibreOffice honour): columns sized from
their texts, tables across the text width, rows kept on one page, narrow equal
columns for the coverage matrices. And for Arabic reports the Arabic font,
Amiri, embedded in the file, since no Word installation can be counted on to
have a good one: see `_arabic_fonts`.
"""

from __future__ import annotations

import bisect
import copy
import html
import math
import os
import re
import struct
import sys
import unicodedata
import uuid
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import accumulate
from pathlib import Path
from typing import NamedTuple
from xml.sax.saxutils import escape

from gcmreview.convert.fonts import font_dirs
from gcmreview.render.tables import ISOLATES

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
FONT_COMPRESS_LEVEL = 1
"""zlib's fastest for the embedded fonts (800 KB in every Arabic report): half the time of
the default level for files 7% larger. The XML parts keep the default, but for:"""
DOCUMENT_COMPRESS_LEVEL = 3
"""word/document.xml, different in every report, is deflated anew each time: at zlib's
level 3 in 0.19 s for the 211 reports of the 193-State bench against 0.45 s at the default
level (6), for DOCX files 2.7 % larger (35.0 MB -> 35.9 MB)."""


@dataclass(frozen=True)
class Package:
    """A DOCX file's parts in memory, in the order of its archive: one report's part of a
    pandoc write of several (gcmreview.convert.docx_batch)."""

    names: list[str]
    parts: dict[str, bytes]


@dataclass(frozen=True)
class DocxFinish:
    rtl: bool
    header: str
    footer: str
    date_iso: str | None
    form: bool = False
    number: str = "{number}."
    """A numbered paragraph's number as the report's language writes it."""


W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_CHECKBOX_RUN = re.compile(
    r'<w:r><w:rPr><w:rStyle w:val="FormCheckbox" />((?:(?!</w:rPr>).)*)</w:rPr>'
    r'<w:t(?: [^>]*)?>([☐☒])</w:t></w:r>')
LABEL_FILL = "EEF3F8"


def _checkbox(match: re.Match[str]) -> str:
    """A Word check-box content control around the character: clicking it toggles
    ☐/☒. Word 2010 and later; others (LibreOffice) keep the character."""
    checked = "1" if match.group(2) == "☒" else "0"
    return ('<w:sdt><w:sdtPr><w14:checkbox>'
            f'<w14:checked w14:val="{checked}" />'
            '<w14:checkedState w14:val="2612" w14:font="Segoe UI Symbol" />'
            '<w14:uncheckedState w14:val="2610" w14:font="Segoe UI Symbol" />'
            '</w14:checkbox></w:sdtPr><w:sdtContent>'
            f'<w:r><w:rPr><w:rStyle w:val="FormCheckbox" />{match.group(1)}</w:rPr>'
            f'<w:t>{match.group(2)}</w:t></w:r></w:sdtContent></w:sdt>')


_NOTE_BEFORE_TABLE = re.compile(
    r'(<w:p><w:pPr><w:pStyle w:val="FormNote" />)(</w:pPr>(?:(?!</w:p>).)*</w:p>\s*<w:tbl>)',
    re.DOTALL)
"""A paragraph of the form's guidance ("Form Note") followed by a table: its caption."""


def _form(text: str) -> str:
    if "xmlns:w14=" not in text:
        text = text.replace("<w:document ", f'<w:document xmlns:w14="{W14}" xmlns:mc="{MC}" '
                            'mc:Ignorable="w14" ', 1)
    text = _CHECKBOX_RUN.sub(_checkbox, text)
    # A note right above a table (what goes in it) stays on the table's page.
    text = _NOTE_BEFORE_TABLE.sub(r"\1<w:keepNext />\2", text)
    # Label cells: shaded, so the answer column is the obvious place to write; their text
    # at the top, in a header row too (the table style's is at the bottom), so that a
    # label with a note under it stands level with the others.
    return re.sub(r'<w:tc><w:tcPr />(?=<w:p><w:pPr><w:pStyle w:val="FormLabel" />)',
                  f'<w:tc><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{LABEL_FILL}" />'
                  '<w:vAlign w:val="top" /></w:tcPr>', text)


# --- WordprocessingML, edited as text -------------------------------------------------------
# pandoc's XML is regular and ElementTree would rewrite its namespace prefixes (and drop the
# ones only mc:Ignorable names), so elements are found and edited as strings, with the child
# order of the schema: Word refuses a file whose children are out of order.

def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


PPR_ORDER = _names(
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers "
    "pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE "
    "autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
    "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle "
    "rPr sectPr pPrChange")
RPR_ORDER = _names(
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint "
    "noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u "
    "effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath")
TBLPR_ORDER = _names(
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption "
    "tblDescription tblPrChange")
TCPR_ORDER = _names(
    "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText "
    "vAlign hideMark headers cellIns cellDel cellMerge tcPrChange")
TRPR_ORDER = _names(  # a choice in the schema, any order goes; this is Word's
    "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader "
    "tblCellSpacing jc hidden ins del trPrChange")

SECTPR_ORDER = _names(
    "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders "
    "lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter "
    "docGrid printerSettings sectPrChange")

_TAG = re.compile(r"<(/?)([A-Za-z0-9]+:[A-Za-z0-9]+)\b[^>]*?(/?)>")


@cache
def _span_pattern(tag: str) -> re.Pattern[str]:
    return re.compile(rf"<w:{tag}(?=[\s/>])[^>]*?(/?)>|</w:{tag}>")


def _spans(xml: str, tag: str) -> list[tuple[int, int]]:
    """(start, end) of each outermost `<w:tag>…</w:tag>` in `xml` (nesting counted)."""
    return _balanced_spans(xml, tag)[0]


def _balanced_spans(xml: str, tag: str) -> tuple[list[tuple[int, int]], bool]:
    """`_spans`, and whether every </w:tag> is in one of them (no more closed than opened,
    at any point, and all closed at the end)."""
    found = []
    depth = start = 0
    balanced = True
    for match in _span_pattern(tag).finditer(xml):
        empty = match.group(1)
        if empty is None:  # </w:tag>
            depth -= 1
            if not depth:
                found.append((start, match.end()))
            elif depth < 0:
                balanced = False
        elif depth:
            if not empty:
                depth += 1
        elif empty:
            found.append(match.span())
        else:
            start, depth = match.start(), 1
    return found, balanced and not depth


def _children(inner: str) -> list[tuple[str, str]]:
    """The child elements of an element's content, as (name, XML): the local name for the
    w: namespace, the qualified one for others; text between them (indentation) is dropped."""
    found: list[tuple[str, str]] = []
    depth, start, name = 0, 0, ""
    for match in _TAG.finditer(inner):
        closing, local, empty = match.group(1), match.group(2), match.group(3)
        local = local.removeprefix("w:")
        if depth == 0 and not closing:
            if empty:
                found.append((local, match.group(0)))
            else:
                depth, start, name = 1, match.start(), local
        elif depth and local == name:
            if closing:
                depth -= 1
                if depth == 0:
                    found.append((name, inner[start:match.end()]))
            elif not empty:
                depth += 1
    return found


def _with(inner: str, order: Sequence[str], new: dict[str, str | None]) -> str:
    """`inner` (an element's content) with the children named in `new` replaced by the
    given XML (or removed, for None), at their schema position."""
    _rank(order)  # known by its identity from now on
    return _with_known(inner, id(order), tuple(new.items()))


@lru_cache(maxsize=4096)
def _with_known(inner: str, order: int, new: tuple[tuple[str, str | None], ...]) -> str:
    """`_with` for the order of identity `order`: the same properties are set in many
    cells and runs (a paragraph kept with the next, a run made smaller...)."""
    names, rank = _RANKS[order]
    replaced = {name for name, _xml in new}
    kept = [(name, xml) for name, xml in _children(inner) if name not in replaced] \
        if inner else []
    kept += [(name, xml) for name, xml in new if xml is not None]
    kept.sort(key=lambda child: rank.get(child[0], len(names)))  # stable: unknown ones last
    return "".join(xml for _key, xml in kept)


_RANKS: dict[int, tuple[Sequence[str], dict[str, int]]] = {}
"""Each order given to `_with`, by its identity, and each name's place in it (an order
is kept here, so that its identity is not another's later)."""


def _rank(order: Sequence[str]) -> dict[str, int]:
    """Each name's place in `order` (kept by the order's identity: hashing a tuple of 40
    names at every edit took longer than the edit)."""
    known = _RANKS.get(id(order))
    if known is None or known[0] is not order:
        known = _RANKS[id(order)] = (order, {name: index for index, name in enumerate(order)})
    return known[1]


@cache
def _properties_pattern(tag: str) -> re.Pattern[str]:
    return re.compile(rf"(<w:[A-Za-z]+\b[^>]*>)(?:<w:{tag}\s*/>|<w:{tag}>(.*?)</w:{tag}>)?",
                      re.DOTALL)


def _edit(xml: str, tag: str, order: Sequence[str], new: dict[str, str | None]) -> str:
    """`xml` (an element that has, or will get, a `w:tag` properties child first) with the
    properties `new` set; the properties element is created if missing."""
    match = _properties_pattern(tag).match(xml)
    assert match is not None
    inner = _with(match.group(2) or "", order, new)
    props = f"<w:{tag}>{inner}</w:{tag}>" if inner else ""
    return match.group(1) + props + xml[match.end():]


def _attr(tag: str, name: str) -> str | None:
    match = re.search(rf'\bw:{name}="([^"]*)"', tag)
    return match.group(1) if match else None


# --- Table layout ---------------------------------------------------------------------------
# Widths are estimated from the cell texts with a fixed table of character widths (in em),
# never from the fonts of the machine that builds, so that every machine writes the same
# bytes. The table follows DejaVu Sans, the widest of the fonts a reader may see (LibreOffice
# falls back to it where neither Arial nor Liberation Sans is installed): with Arial or
# Liberation Sans the text is narrower and fits all the more.

_EM_NARROW = frozenset("iljI.,;:'!|()[]{}’‘`\"")
_EM_SEMI = frozenset("frt-/")
_EM_WIDE = frozenset("mwMW@%")
ARABIC_EM = 0.5
"""An Arabic letter in Amiri, joined (isolated forms are wider, medial ones narrower)."""
BOLD = 1.12
SLACK = (30, 0.05)
"""Added to every width estimated (in twips, and as a share of the width): rounding, borders
and the estimate's own error."""
TABLE_STYLE = "Table"


def _is_arabic(char: str) -> bool:
    return ("\u0600" <= char <= "\u06ff" or "\u0750" <= char <= "\u077f"
            or "\ufb50" <= char <= "\ufeff")


_PARAGRAPH = re.compile(r"(<w:p(?=[\s>])[^>]*(?<!/)>)(?:<w:pPr>(.*?)</w:pPr>|<w:pPr\s*/>)?",
                        re.DOTALL)
"""A paragraph's start tag and its properties; an empty <w:p /> has neither to edit."""
_WORD = re.compile(r"[^ \t\n\r\f\v]+")
"""A run of text a line cannot break: no-break spaces (U+00A0, U+202F, as in dates) are
inside words, as Word and LibreOffice keep them."""


@cache
def _em(char: str) -> float:
    if char.isspace():
        return 0.32
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0.0
    if _is_arabic(char):
        return ARABIC_EM
    if char in _EM_NARROW:
        return 0.34
    if char in _EM_SEMI:
        return 0.42
    if char in _EM_WIDE:
        return 0.95
    if char.isdigit():
        return 0.64
    if char.isupper():
        return 0.75
    if "\u2190" <= char <= "\u2bff":  # arrows, shapes and symbols: ● ◐ ○ ◇ □ …
        return 0.95
    return 0.62


class _Weights(dict[str, float]):
    """Each character's width in em for one weight and one size of Arabic, filled in as
    characters come: a paragraph is then measured with one lookup per character, in C."""

    def __init__(self, bold: bool, arabic: float) -> None:
        super().__init__()
        self.factor = BOLD if bold else 1.0
        self.arabic = arabic

    def __missing__(self, char: str) -> float:
        width = self[char] = _em(char) * self.factor * (self.arabic if _is_arabic(char)
                                                         else 1.0)
        return width


@cache
def _weights(bold: bool, arabic: float) -> _Weights:
    return _Weights(bold, arabic)


class _Text:
    """A paragraph of a cell: its characters, which of them are bold, and the widths of its
    words in em, measured once: a table is tried at several sizes and column widths, and
    a text is shared by every cell that holds the same XML (`_cell`)."""

    __slots__ = ("_fits", "_lines", "arabic", "bold", "chars", "longest", "whole", "word_ems")

    def __init__(self, chars: str, bold: tuple[bool, ...], arabic: float) -> None:
        self.chars, self.bold, self.arabic = chars, bold, arabic
        advances = self._advances()
        words = [match.span() for match in _WORD.finditer(chars)]
        self.word_ems = [advances[end] - advances[start] for start, end in words]
        """Each word's width in em."""
        self.longest = max(self.word_ems, default=0.0)
        self.whole = advances[words[-1][1]] - advances[words[0][0]] if words else 0.0
        """From the first word's start to the last one's end, in em."""
        self._fits: dict[float, tuple[float, list[float]]] = {}
        self._lines: dict[tuple[float, float], int] = {}

    def _advances(self) -> list[float]:
        """The width in em of chars[:i], for every i, added up character by character (the
        widths of words are differences of these: the same floats whatever is cached)."""
        chars, bold = self.chars, self.bold
        if len(bold) != len(chars):
            raise ValueError("a flag for every character")
        if bold.count(bold[0] if bold else False) == len(bold):  # one weight throughout
            weights = _weights(bool(bold) and bold[0], self.arabic)
            return list(accumulate(map(weights.__getitem__, chars), initial=0.0))
        return list(accumulate((_weights(b, self.arabic)[c]
                                for c, b in zip(chars, bold, strict=True)), initial=0.0))

    def width(self, start: int, end: int, points: float) -> float:
        """Width in twips of chars[start:end] at `points`."""
        advances = self._advances()
        return (advances[end] - advances[start]) * points * 20

    def _fit(self, points: float) -> tuple[float, list[float]]:
        """The words' widths in twips at `points`, with the estimate's margin, and the
        narrowest column in which `lines` finds them on one line: what that loop compares
        with the column's width while it does not break a line."""
        space = _em(" ") * points * 20
        slack = 1 + SLACK[1]
        scaled = [em * points * 20 * slack for em in self.word_ems]
        top, line = -math.inf, 0.0
        for word in scaled:
            if line:
                top = max(top, line + space + word)
                line += space + word
            else:
                top = max(top, word)
                line = word
        return top, scaled

    def lines(self, width: float, points: float) -> int:
        """Lines the paragraph takes in a column `width` twips wide (words filled greedily;
        a word wider than the column counts the lines it is cut into). Most cells take one
        line in most of the layouts tried: that is one comparison (`_fit`)."""
        fit = self._fits.get(points)
        if fit is None:
            fit = self._fits[points] = self._fit(points)
        top, scaled = fit
        if top <= width and width >= 1:
            return 1
        count = self._lines.get((width, points))
        if count is None:
            count = self._lines[width, points] = _filled_lines(scaled, width, points)
        return count

    def text_width(self, start: int, end: int, points: float) -> float:
        """The width, with the estimate's margin of error (`SLACK`)."""
        return self.width(start, end, points) * (1 + SLACK[1])


def _filled_lines(words: list[float], width: float, points: float) -> int:
    """`_Text.lines` of words `words` twips wide."""
    count, line = 1, 0.0
    space = _em(" ") * points * 20
    column = max(width, 1)
    for word in words:
        if line and line + space + word <= width:
            line += space + word
            continue
        if line:
            count += 1
        if word > column:
            count += math.ceil(word / column) - 1
        line = word if word <= width else word % column
    return count


@dataclass(frozen=True)
class _Cell:
    xml: str
    span: int
    texts: tuple[_Text, ...]


@dataclass(frozen=True)
class _Row:
    xml: str
    header: bool
    cells: list[_Cell]
    spans: list[tuple[int, int]]
    """Where each cell is in `xml`."""
    texts: tuple[_Text, ...] | None = None
    """The text of each cell, when every cell has one paragraph and one column."""
    simple: bool = False
    """As pandoc writes a table's rows (`_SIMPLE_ROW`)."""


_RUN = re.compile(r"<w:r(?=[\s>])[^>]*>(.*?)</w:r>", re.DOTALL)
_RUN_PROPERTIES = re.compile(r"<w:rPr>(.*?)</w:rPr>", re.DOTALL)
_BOLD = re.compile(r'<w:b(?: w:val="(?:1|true|on)")?\s*/>')
_RUN_TEXT = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>|<w:(tab|br|cr)\b[^>]*/>")
_GRID_SPAN = re.compile(r'<w:gridSpan w:val="(\d+)"')


def _paragraph_text(paragraph: str, bold: bool, arabic: float) -> _Text:
    chars: list[str] = []
    flags: list[bool] = []
    for run in _RUN.finditer(paragraph):
        body = run.group(1)
        props = _RUN_PROPERTIES.match(body)
        run_bold = bold or bool(props and _BOLD.search(props.group(1)))
        for piece in _RUN_TEXT.finditer(body):
            text = html.unescape(piece.group(1)) if piece.group(1) is not None else " "
            chars.append(text)
            flags.extend([run_bold] * len(text))
    return _Text("".join(chars), tuple(flags), arabic)


CELL_CACHE = 8192
"""Cells kept parsed and measured, by their XML: of the 51,803 table cells of the bench's
211 reports, 2,272 are different (a status, a mark, an objective's title...)."""


@lru_cache(maxsize=CELL_CACHE)
def _cell(xml: str, header: bool, arabic: float) -> _Cell:
    span = _GRID_SPAN.search(xml[:xml.find("<w:p")])
    texts = tuple(_paragraph_text(xml[s:e], header, arabic) for s, e in _spans(xml, "p"))
    return _Cell(xml, int(span.group(1)) if span else 1, texts)


ROW_CACHE = 4096
"""Rows kept parsed, and laid out, by their XML (the same in many reports, even when their
tables are not: 2,669 different ones among the 12,036 rows of the bench's reports)."""


@lru_cache(maxsize=ROW_CACHE)
def _row(xml: str, arabic: float) -> _Row:
    return _simple_row(xml, arabic) or _parsed_row(xml, arabic)


def _parsed_row(xml: str, arabic: float) -> _Row:
    """Any row: its cells and their paragraphs found with nesting counted."""
    header = "<w:tblHeader" in xml[:xml.find("<w:tc")]
    spans = _spans(xml, "tc")
    cells = [_cell(xml[s:e], header, arabic) for s, e in spans]
    simple = all(cell.span == 1 and len(cell.texts) == 1 for cell in cells)
    return _Row(xml, header, cells, spans,
                tuple(cell.texts[0] for cell in cells) if simple else None)


# Rows as pandoc writes a table's rows (and render/tables.py writes the data tables): an
# optional header mark, and cells of one paragraph of text runs in a paragraph style,
# with no properties of their own yet. Nine rows in ten of a report with data are so:
# they are read with one regular expression and finished by putting strings together
# (`_finished_simple_row`), with the same outcome as the general way
# (tests/test_docx_layout.py).
_SIMPLE_RUN = (r'<w:r>(?:<w:rPr>(?:<w:[A-Za-z]+ />|<w:[A-Za-z]+ w:val="[^"<>]*" />)*</w:rPr>)?'
               r'<w:t xml:space="preserve">[^<]*</w:t></w:r>')
_SIMPLE_CELL = (r'<w:tc><w:tcPr /><w:p><w:pPr><w:pStyle w:val="[A-Za-z]+" />'
                r'(?:<w:bidi />)?(?:<w:jc w:val="[a-z]+" />)?</w:pPr>'
                rf'(?:{_SIMPLE_RUN})*</w:p></w:tc>')
_SIMPLE_ROW = re.compile(rf'<w:tr>(<w:trPr><w:tblHeader w:val="on" /></w:trPr>)?'
                         rf'((?:{_SIMPLE_CELL})+)</w:tr>')
_SIMPLE_TEXT = re.compile(r'<w:r>(?:<w:rPr>(.*?)</w:rPr>)?<w:t xml:space="preserve">([^<]*)</w:t>')
_CELL_START = "<w:tc><w:tcPr />"


def _simple_row(xml: str, arabic: float) -> _Row | None:
    """The row if it is a simple one (`_SIMPLE_ROW`), else None."""
    match = _SIMPLE_ROW.fullmatch(xml)
    if match is None:
        return None
    header = match.group(1) is not None
    at = match.start(2)
    cells, spans = [], []
    for piece in match.group(2).split("</w:tc>")[:-1]:
        cell = piece + "</w:tc>"
        cells.append(_simple_cell(cell, header, arabic))
        spans.append((at, at + len(cell)))
        at += len(cell)
    return _Row(xml, header, cells, spans, tuple(cell.texts[0] for cell in cells), simple=True)


@lru_cache(maxsize=CELL_CACHE)
def _simple_cell(xml: str, header: bool, arabic: float) -> _Cell:
    """A cell of a simple row: `_cell`, its runs read with one expression."""
    chars: list[str] = []
    flags: list[bool] = []
    for props, text in _SIMPLE_TEXT.findall(xml):
        if "&" in text:
            text = html.unescape(text)
        chars.append(text)
        flags += [header or bool(props and _BOLD.search(props))] * len(text)
    return _Cell(xml, 1, (_Text("".join(chars), tuple(flags), arabic),))


def _page(document: str) -> tuple[re.Match[str] | None, re.Match[str] | None]:
    """The page size and margins tags of the document's last section."""
    section = document[document.rfind("<w:sectPr"):]
    return re.search(r"<w:pgSz\b[^>]*>", section), re.search(r"<w:pgMar\b[^>]*>", section)


def _twips(tag: re.Match[str] | None, name: str, default: int) -> int:
    """A measure of a page tag (`_page`), in twips; `default` where it has none."""
    value = _attr(tag.group(0), name) if tag else None
    return abs(int(value)) if value and value.lstrip("-").isdigit() else default


@dataclass(frozen=True)
class _Geometry:
    """The page's text area and the reference document's defaults, in twips and points."""

    width: int
    height: int
    points: float  # body text
    margin: int  # the table style's left and right cell margins
    line: float  # line height / font size
    arabic: float  # the size of Arabic (w:szCs) to that of Latin text (w:sz)

    @staticmethod
    def of(document: str, styles: str, rtl: bool) -> _Geometry:
        size, margins = _page(document)
        width = _twips(size, "w", 11906) - _twips(margins, "left", 1440) \
            - _twips(margins, "right", 1440) - _twips(margins, "gutter", 0)
        height = _twips(size, "h", 16838) - _twips(margins, "top", 1440) \
            - _twips(margins, "bottom", 1440)
        defaults = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", styles, re.DOTALL)
        half_points = re.search(r'<w:sz w:val="(\d+)"', defaults.group(0)) if defaults else None
        complex_half_points = re.search(r'<w:szCs w:val="(\d+)"', defaults.group(0)) \
            if defaults else None
        table_style = re.search(rf'<w:style [^>]*w:styleId="{TABLE_STYLE}".*?</w:style>',
                                styles, re.DOTALL)
        cell_left = re.search(r'<w:tblCellMar>.*?<w:(?:left|start)\b[^>]*\bw:w="(\d+)"',
                              table_style.group(0), re.DOTALL) if table_style else None
        latin = int(half_points.group(1)) if half_points else 20
        complex_script = int(complex_half_points.group(1)) if complex_half_points else latin
        return _Geometry(width, height, latin / 2,
                         int(cell_left.group(1)) if cell_left else 108,
                         1.75 if rtl else 1.3,  # Amiri's lines are tall
                         complex_script / latin)


@dataclass(frozen=True)
class _Layout:
    widths: list[int]
    points: float
    margin: int


MATRIX_COLUMNS = 8
MATRIX_CELL_CHARS = 4
MATRIX_MARGIN = 28
SMALLER_POINTS = (9.0, 8.0, 7.0)


@dataclass(frozen=True)
class _Extents:
    """Per column, in twips with the cell margins: the longest word (`least`), the longest
    paragraph of the body rows (`body`) and of all rows, header included (`most`). Cells
    spanning several columns do not count."""

    least: list[float]
    body: list[float]
    most: list[float]


@dataclass(frozen=True)
class _Table:
    """A table's rows and, per column, its `_Extents` in em at the size of the text and
    without the margins: measured once, though the table is tried at several sizes."""

    rows: list[_Row]
    columns: int
    least: list[float]
    body: list[float]
    most: list[float]

    @staticmethod
    def of(rows: list[_Row], columns: int) -> _Table:
        least = [0.0] * columns
        body = [0.0] * columns
        most = [0.0] * columns
        for row in rows:
            column = 0
            for cell in row.cells:
                if cell.span == 1 and column < columns:
                    for text in cell.texts:
                        if not text.word_ems:
                            continue
                        least[column] = max(least[column], text.longest)
                        most[column] = max(most[column], text.whole)
                        if not row.header:
                            body[column] = max(body[column], text.whole)
                column += cell.span
        return _Table(rows, columns, least, body, most)


def _extents(table: _Table, points: float, margin: int) -> _Extents:
    """The table's extents at `points`: its widths in em scaled. Scaling keeps the order of
    floats, so the largest width scaled is the largest of the widths scaled, to the bit."""
    def padded(width: float) -> float:
        return width * (1 + SLACK[1]) + SLACK[0] + 2 * margin

    least = [w * points * 20 for w in table.least]
    body = [w * points * 20 for w in table.body]
    return _Extents([padded(w) for w in least],
                    [padded(max(b, w)) for b, w in zip(body, least, strict=True)],
                    [padded(w * points * 20) for w in table.most])


def _is_matrix(rows: list[_Row], columns: int) -> bool:
    """A coverage matrix: many columns, all but the first holding a mark or a number."""
    return columns >= MATRIX_COLUMNS and all(
        len(text.chars.strip()) <= MATRIX_CELL_CHARS
        for row in rows for cell in row.cells[1:] for text in cell.texts)


def _rounded(widths: Sequence[float], total: int) -> list[int]:
    """Whole twips adding up to `total` exactly (the remainder goes to the widest)."""
    scale = total / sum(widths) if sum(widths) else 0
    result = [max(1, math.floor(w * scale)) for w in widths]
    result[result.index(max(result))] += total - sum(result)
    return result


def _matrix_layout(table: _Table, page: _Geometry) -> _Layout:
    """Equal narrow columns for the marks, the rest for the first column (the names)."""
    columns = table.columns
    sizes = [page.points, *(p for p in SMALLER_POINTS if p < page.points)]
    for points in sizes:
        for margin in (page.margin, MATRIX_MARGIN):
            extents = _extents(table, points, margin)
            least, most = extents.least, extents.most
            mark = max(most[1:])
            if least[0] + mark * (columns - 1) <= page.width:
                mark = max(mark, (page.width - most[0]) / (columns - 1))
                first = page.width - mark * (columns - 1)
                return _Layout(_rounded([first, *[mark] * (columns - 1)], page.width),
                               points, margin)
    return _Layout(_rounded([least[0], *[mark] * (columns - 1)], page.width),
                   sizes[-1], MATRIX_MARGIN)


def _distribute(least: list[float], most: list[float], total: int) -> list[float]:
    """Column widths from each column's longest word (`least`) and longest paragraph
    (`most`), when the words fit and the paragraphs do not.

    Columns whose paragraphs fit in a fair share of the space are not wrapped at all,
    narrowest first (a status, a date, a number); the others share what is left as
    browsers do it: their longest word, plus the rest in proportion to the text they would
    still wrap.
    """
    widths: dict[int, float] = {}
    while True:
        open_ = [i for i in range(len(most)) if i not in widths]
        space = total - sum(widths.values())
        fixed = False
        for i in sorted(open_, key=lambda i: most[i]):
            others = sum(least[j] for j in open_ if j != i and j not in widths)
            if most[i] <= space / len(open_) and most[i] + others <= space:
                widths[i] = most[i]
                space -= most[i]
                fixed = True
            else:
                break
        if not fixed or len(widths) == len(most):
            break
    open_ = [i for i in range(len(most)) if i not in widths]
    space = total - sum(widths.values())
    if open_:
        wrap = sum(most[i] - least[i] for i in open_)
        room = (space - sum(least[i] for i in open_)) / wrap if wrap else 0
        for i in open_:
            widths[i] = least[i] + (most[i] - least[i]) * room
    return [widths[i] for i in range(len(most))]


def _fitted(table: _Table, total: int, points: float, margin: int) -> _Layout | None:
    """Every column gets at least its longest word. Then, in this order as far as the width
    allows: no body cell wraps, the header cells do not wrap either, and the space left goes
    in proportion; when body cells have to wrap, see `_distribute`. None when the longest
    words do not fit."""
    extents = _extents(table, points, margin)
    least, body, most = extents.least, extents.body, extents.most
    if sum(least) > total:
        return None
    if sum(most) <= total:
        widths = most
    elif sum(body) <= total:
        room = (total - sum(body)) / sum(m - b for b, m in zip(body, most, strict=True))
        widths = [b + (m - b) * room for b, m in zip(body, most, strict=True)]
    else:
        widths = _distribute(least, body, total)
    return _Layout(_rounded(widths, total), points, margin)


SMALLER_IF_SHORTER = (0.8, 0.5)
"""A smaller font for a table only if it takes this share of the lines (or fewer) and saves
at least this many lines per row: for dense tables, not for a long line or two."""
DENSE_COLUMNS = 5
"""Tables with fewer columns keep the body size unless their longest words do not fit."""


def _table_layout(table: _Table, page: _Geometry) -> _Layout:
    """Column widths that fit the text, across the text width (`_fitted`), in the body text
    size or a smaller one when that saves many lines or the longest words do not fit (and,
    if even the smallest fails, narrower columns in proportion). Coverage matrices have
    their own layout (`_matrix_layout`)."""
    rows, columns = table.rows, table.columns
    if _is_matrix(rows, columns):
        return _matrix_layout(table, page)
    sizes = [page.points, *(p for p in SMALLER_POINTS if p < page.points)]
    chosen: _Layout | None = None
    chosen_lines = 0
    for points in sizes:
        if chosen is not None and columns < DENSE_COLUMNS:
            break  # a smaller size is chosen only for dense tables, once one fits
        layout = _fitted(table, page.width, points, page.margin)
        if layout is None:
            continue
        if chosen is None:
            chosen = layout
            continue
        if columns >= DENSE_COLUMNS and points >= 8:  # the lines are counted only to compare
            chosen_lines = chosen_lines or _lines(rows, chosen)
            lines = _lines(rows, layout)
            if lines <= SMALLER_IF_SHORTER[0] * chosen_lines \
                    and chosen_lines - lines >= SMALLER_IF_SHORTER[1] * len(rows):
                chosen, chosen_lines = layout, lines
    if chosen is not None:
        return chosen
    least = _extents(table, sizes[-1], page.margin).least
    return _Layout(_rounded(_overflowing(least, page.width), page.width), sizes[-1], page.margin)


def _overflowing(least: list[float], total: float) -> list[float]:
    """Widths when the longest words do not all fit (a long link in a narrative's table):
    the columns whose longest word fits keep it whole, from the narrowest up, and the
    others share what is left equally; Word and LibreOffice cut only their words."""
    widths = [0.0] * len(least)
    remaining, left = total, len(least)
    order = sorted(range(len(least)), key=lambda i: least[i])
    for k, i in enumerate(order):
        if least[i] > remaining / left:
            for j in order[k:]:
                widths[j] = remaining / left
            break
        widths[i] = least[i]
        remaining -= least[i]
        left -= 1
    return widths


def _cell_lines(row: _Row, layout: _Layout) -> list[tuple[int, int]]:
    """(lines, paragraphs) of each cell of the row."""
    column, points, margins = 0, layout.points, 2 * layout.margin
    widths = layout.widths
    if row.texts is not None and len(row.texts) <= len(widths):  # most rows: one text a cell
        return [(text.lines(width - margins, points), 1)
                for text, width in zip(row.texts, widths, strict=False)]
    found = []
    for cell in row.cells:
        span = cell.span
        width = (widths[column] if span == 1 and column < len(widths)
                 else sum(widths[column:column + span])) - margins
        column += span
        texts = cell.texts
        if len(texts) == 1:
            found.append((texts[0].lines(width, points), 1))
        else:
            found.append((sum(text.lines(width, points) for text in texts), len(texts)))
    return found


def _lines(rows: list[_Row], layout: _Layout) -> int:
    """Lines the rows take: the most of any cell of each."""
    return sum(max((lines for lines, _width in _cell_lines(row, layout)), default=1)
               for row in rows)


def _row_height(row: _Row, layout: _Layout, page: _Geometry) -> float:
    """Estimated height of the row in twips: lines of each cell, and paragraph spacing."""
    return 2 * 57 + max((lines * layout.points * 20 * page.line + 72 * paragraphs
                         for lines, paragraphs in _cell_lines(row, layout)), default=0)


def _sized_runs(cell: str, points: float, arabic: float) -> str:
    """The cell with its runs and paragraph marks at `points` (Arabic in proportion)."""
    size = {"sz": f'<w:sz w:val="{round(points * 2)}" />',
            "szCs": f'<w:szCs w:val="{round(points * 2 * arabic)}" />'}

    def run(match: re.Match[str]) -> str:
        return _edit(match.group(0), "rPr", RPR_ORDER, dict(size))

    def paragraph_mark(match: re.Match[str]) -> str:
        props = match.group(2) or ""
        mark = re.search(r"<w:rPr>(.*?)</w:rPr>", props, re.DOTALL)
        inner = _with(mark.group(1) if mark else "", RPR_ORDER, dict(size))
        return match.group(1) + "<w:pPr>" + _with(
            props, PPR_ORDER, {"rPr": f"<w:rPr>{inner}</w:rPr>"}) + "</w:pPr>"

    cell = re.sub(r"<w:r(?=[\s>])[^>]*>.*?</w:r>", run, cell, flags=re.DOTALL)
    return _PARAGRAPH.sub(paragraph_mark, cell)


SMALL_TABLE_ROWS = 15
"""Tables of up to this many rows (header included) are not split across pages."""


def _kept_with_next(cell: str) -> str:
    """The cell with every paragraph kept with the next one."""
    def paragraph(match: re.Match[str]) -> str:
        props = _with(match.group(2) or "", PPR_ORDER, {"keepNext": "<w:keepNext />"})
        return match.group(1) + "<w:pPr>" + props + "</w:pPr>"

    return _PARAGRAPH.sub(paragraph, cell)


@lru_cache(maxsize=CELL_CACHE)
def _finished_cell(xml: str, width: int, points: float | None, arabic: float,
                   kept: bool) -> str:
    """The cell `width` twips wide, its text at `points` if given, its paragraphs kept with
    the next ones if `kept`. Cached: most cells are the same in many tables."""
    xml = _edit(xml, "tcPr", TCPR_ORDER, {"tcW": f'<w:tcW w:w="{width}" w:type="dxa" />'})
    if points is not None:
        xml = _sized_runs(xml, points, arabic)
    if kept:
        xml = _kept_with_next(xml)
    return xml


def _lay_out_table(table: str, page: _Geometry) -> str:
    if re.search(r"<w:tbl[\s>]", table[1:]):  # a table in a table: left as pandoc wrote it
        return table
    grid = re.search(r"<w:tblGrid>.*?</w:tblGrid>|<w:tblGrid\s*/>", table, re.DOTALL)
    spans = _spans(table, "tr")
    rows = [_row(table[start:end], page.arabic) for start, end in spans]
    columns = len(re.findall(r"<w:gridCol\b", grid.group(0))) if grid else 0
    if grid is None or not rows or not columns:
        return table
    if any(not row.cells for row in rows):
        return table
    layout = _table_layout(_Table.of(rows, columns), page)
    heights = [_row_height(r, layout, page) for r in rows]
    header_height = sum(h for r, h in zip(rows, heights, strict=True) if r.header)
    # A small table stays on one page: every row kept with the next (keepNext on its
    # paragraphs, which Word and LibreOffice read as "keep with the next row"); a long
    # one may break, but never right under its header row.
    whole = len(rows) <= SMALL_TABLE_ROWS and sum(heights) <= page.height - 720
    smaller = layout.points if layout.points != page.points else None
    new_rows: list[str] = []
    for index, row in enumerate(rows):
        kept = index < len(rows) - 1 and (whole or row.header)
        widths, column = [], 0
        for cell in row.cells:
            widths.append(sum(layout.widths[column:column + cell.span]))
            column += cell.span
        # Rows stay whole on a page, unless a row is taller than a page can hold.
        fits = heights[index] <= page.height - header_height - 720
        new_rows.append(_finished_row(row.xml, page.arabic, tuple(widths), smaller, kept, fits))
    margins = None
    if layout.margin != page.margin:
        margins = "".join(f'<w:{side} w:w="{layout.margin}" w:type="dxa" />'
                          for side in ("left", "right"))
        margins = f"<w:tblCellMar>{margins}</w:tblCellMar>"
    head = _edit(table[:grid.start()], "tblPr", TBLPR_ORDER, {
        "tblW": '<w:tblW w:w="5000" w:type="pct" />',
        "tblLayout": '<w:tblLayout w:type="fixed" />',
        "tblCellMar": margins,
    })
    grid_xml = "<w:tblGrid>" + "".join(f'<w:gridCol w:w="{w}" />' for w in layout.widths) \
        + "</w:tblGrid>"
    body = grid.end()
    if table.find("<w:tr", 0, body) >= 0 or table.find("</w:tr>", 0, body) >= 0:
        spans = [(start + body, end + body) for start, end in _spans(table[body:], "tr")]
    return "".join([head, grid_xml, *_pieces(table, body, spans, new_rows)])


@lru_cache(maxsize=ROW_CACHE)
def _finished_row(xml: str, arabic: float, widths: tuple[int, ...], points: float | None,
                  kept: bool, fits: bool) -> str:
    """The row with its cells `widths` wide (`_finished_cell`), kept on one page if it
    `fits`."""
    row = _row(xml, arabic)
    if row.simple and points is None:
        return _finished_simple_row(row, widths, kept, fits)
    return _finished_general_row(row, arabic, widths, points, kept, fits)


def _finished_simple_row(row: _Row, widths: tuple[int, ...], kept: bool, fits: bool) -> str:
    """`_finished_general_row` of a simple row at the body text's size, in strings: each
    cell's width its only property, keepNext after its paragraph style, cantSplit and the
    header mark the row's properties, in their schema order."""
    cells = []
    for cell, width in zip(row.cells, widths, strict=True):
        xml = cell.xml
        if kept:  # after the paragraph style, the first of the paragraph's properties
            style_end = xml.index("/>", len(_CELL_START) + len("<w:p><w:pPr>")) + 2
            body = f"{xml[len(_CELL_START):style_end]}<w:keepNext />{xml[style_end:]}"
        else:
            body = xml[len(_CELL_START):]
        cells.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa" /></w:tcPr>{body}')
    props = ("<w:cantSplit />" if fits else "") \
        + ('<w:tblHeader w:val="on" />' if row.header else "")
    return "".join(["<w:tr>", f"<w:trPr>{props}</w:trPr>" if props else "", *cells,
                    "</w:tr>"])


def _finished_general_row(row: _Row, arabic: float, widths: tuple[int, ...],
                          points: float | None, kept: bool, fits: bool) -> str:
    xml = row.xml
    cells = [_finished_cell(cell.xml, width, points, arabic, kept)
             for cell, width in zip(row.cells, widths, strict=True)]
    new: dict[str, str | None] = {"cantSplit": "<w:cantSplit />" if fits else None}
    match = _properties_pattern("trPr").match(xml)
    if match is None or not row.spans or match.end() > row.spans[0][0]:
        return _edit(_replaced(xml, iter(row.spans), cells), "trPr", TRPR_ORDER, new)
    # As _edit would, on the properties before the first cell (one copy of the row).
    inner = _with(match.group(2) or "", TRPR_ORDER, new)
    props = f"<w:trPr>{inner}</w:trPr>" if inner else ""
    return "".join([match.group(1), props, *_pieces(xml, match.end(), row.spans, cells)])


def _pieces(xml: str, start: int, spans: Sequence[tuple[int, int]], new: Sequence[str]
            ) -> list[str]:
    """xml[start:] in pieces, the spans replaced by `new`, one for one."""
    parts, last = [], start
    for (begin, end), replacement in zip(spans, new, strict=True):
        parts += [xml[last:begin], replacement]
        last = end
    parts.append(xml[last:])
    return parts


def _replaced(xml: str, spans: Iterator[tuple[int, int]], new: Sequence[str]) -> str:
    """`xml` with the spans replaced by `new`, one for one; what lies between them stays."""
    parts, last = [], 0
    for (start, end), replacement in zip(spans, new, strict=True):
        parts += [xml[last:start], replacement]
        last = end
    return "".join(parts) + xml[last:]


SPACER = '<w:p><w:pPr><w:pStyle w:val="Compact" /></w:pPr></w:p>'
"""Between two tables that follow each other, which Word would join into one."""


FIRST_AFTER_TABLE = '<w:p><w:pPr><w:pStyle w:val="FirstParagraph" />'
BODY_AFTER_TABLE = '<w:p><w:pPr><w:pStyle w:val="BodyText" />'
"""A paragraph right after a table is body text, as pandoc writes it after a table of its
own: the tables written by gcmreview (render/tables.py) reach pandoc as raw XML, after
which its writer still takes a paragraph for the first under a heading."""

_SPACED = re.compile(r"</w:tbl>(\s*)(?=<w:tbl>)")
"""Two tables that follow each other: SPACER goes before the second."""
_WHITESPACE = re.compile(r"\s*")


def lay_out_tables(document: str, styles: str, rtl: bool) -> str:
    """word/document.xml with its tables laid out for the page of its last section and the
    styles of styles.xml (see the module docstring)."""
    page = _Geometry.of(document, styles, rtl)
    spans, balanced = _balanced_spans(document, "tbl")
    laid_out = _edited(document, _table_edits(document, spans, page, spaced=balanced))
    return laid_out if balanced else _SPACED.sub(rf"</w:tbl>\1{SPACER}", laid_out)


def _table_edits(document: str, spans: list[tuple[int, int]], page: _Geometry, *,
                 spaced: bool = True) -> list[tuple[int, int, str]]:
    """The edits that lay out the tables of `document` (at `spans`), and (if `spaced`) put
    SPACER between two tables that follow each other, as `_SPACED` over the document laid
    out does when every </w:tbl> is in a table (`_balanced_spans`): then only a table
    left as it is can have one in it."""
    edits: list[tuple[int, int, str]] = []
    for start, end in spans:
        table = document[start:end]
        laid_out = _lay_out_table(table, page)
        if laid_out is table:  # left as it is (a table in a table, say)
            laid_out = _SPACED.sub(rf"</w:tbl>\1{SPACER}", table) if spaced else table
        edits.append((start, end, laid_out))
        after = _match(_WHITESPACE, document, end).end()
        if spaced and document.startswith("</w:tbl>", end - len("</w:tbl>")) \
                and document.startswith("<w:tbl>", after):
            edits.append((after, after, SPACER))
        elif document.startswith(FIRST_AFTER_TABLE, after):
            edits.append((after, after + len(FIRST_AFTER_TABLE), BODY_AFTER_TABLE))
    return edits


# --- Right to left --------------------------------------------------------------------------

_MIRRORED = {"left": "right", "right": "left"}


def _style_jc(styles: str, style_id: str) -> str | None:
    style = re.search(rf'<w:style [^>]*w:styleId="{re.escape(style_id)}".*?</w:style>', styles,
                      re.DOTALL)
    jc = re.search(r'<w:jc w:val="([^"]*)"', style.group(0)) if style else None
    return jc.group(1) if jc else None


def _rtl_paragraphs(part: str, styles: str) -> str:
    """Header and footer paragraphs read right to left, on the side their style puts them.

    In a w:bidi paragraph Word reads w:jc "left" and "right" as the start and the end of the
    line (so does LibreOffice), so a header style's "right" would put an Arabic header on the
    left: the side is mirrored on the paragraph.
    """
    def paragraph(match: re.Match[str]) -> str:
        props = match.group(2) or ""
        style = re.search(r'<w:pStyle w:val="([^"]*)"', props)
        own = re.search(r'<w:jc w:val="([^"]*)"', props)
        jc = own.group(1) if own else _style_jc(styles, style.group(1)) if style else None
        new: dict[str, str | None] = {"bidi": "<w:bidi />"}
        if jc in _MIRRORED:
            new["jc"] = f'<w:jc w:val="{_MIRRORED[jc]}" />'
        return match.group(1) + "<w:pPr>" + _with(props, PPR_ORDER, new) + "</w:pPr>"

    return _PARAGRAPH.sub(paragraph, part)


_NUMBERED = re.compile(
    r'<w:bookmarkStart w:id="(\d+)" w:name="para-(\d+)" />\s*<w:p>(<w:pPr>.*?</w:pPr>)?(.*?)</w:p>'
    r'\s*<w:bookmarkEnd w:id="\1" />', re.DOTALL)
"""A numbered paragraph: what `_numbered_at` finds, most of the time without it."""
_NUMBERED_START = re.compile(r'<w:bookmarkStart w:id="(\d+)" w:name="para-(\d+)" />\s*<w:p>')
_BOOKMARK_END = re.compile(r'\s*<w:bookmarkEnd w:id="(\d+)" />')
_PARA_NAME = 'w:name="para-'
_FIRST_RUN_PROPERTIES = re.compile(r"<w:r>(?:<w:rPr>(.*?)</w:rPr>)?")
_INHERITED = re.compile(r"<w:(?:lang|rtl)\b[^>]*/>")


class _Numbered(NamedTuple):
    start: int
    end: int
    ident: str
    number: str
    properties: str | None
    body: tuple[int, int]
    """Where the paragraph's content after its properties is."""


def _numbered_at(document: str, start: int) -> _Numbered | None:
    """`_NUMBERED.match(document, start)`. Its lazy `.*?` tries every character of the
    paragraph and the bookmark's end, and is tried first at the first `</w:pPr>` and the
    first `</w:p>`, which str.find finds much faster: the regular expression is left the
    cases where these are not the match."""
    head = _NUMBERED_START.match(document, start)
    if head is None:
        return None
    ident, number = head.groups()
    at, properties = head.end(), None
    if document.startswith("<w:pPr>", at):
        close = document.find("</w:pPr>", at + len("<w:pPr>"))
        if close >= 0:
            properties = document[at:close + len("</w:pPr>")]
            at = close + len("</w:pPr>")
    end = document.find("</w:p>", at)
    tail = _BOOKMARK_END.match(document, end + len("</w:p>")) if end >= 0 else None
    if tail is not None and tail.group(1) == ident:
        return _Numbered(start, tail.end(), ident, number, properties, (at, end))
    match = _NUMBERED.match(document, start)
    if match is None:
        return None
    return _Numbered(start, match.end(), ident, number, match.group(3), match.span(4))


def _numbered_matches(document: str) -> Iterator[_Numbered]:
    """What `_NUMBERED.finditer` finds, found from the bookmarks' names: every match has one
    right after its start, and most of the document has none (a lazy regular expression
    over the whole document.xml was 0.27 s of the 211 bench reports' 4.1 s)."""
    done = 0
    at = document.find(_PARA_NAME)
    while at >= 0:
        start = document.rfind("<w:bookmarkStart", done, at)
        found = _numbered_at(document, start) if start >= 0 else None
        if found is None:
            at = document.find(_PARA_NAME, at + len(_PARA_NAME))
            continue
        yield found
        done = found.end
        at = document.find(_PARA_NAME, done)


def _numbered_paragraphs(document: str, number: str) -> str:
    """Each numbered paragraph starting with its number, bookmarked `para-12`: batch.lua
    puts the paragraph in a div of that id and leaves its words alone (it is much
    cheaper), which pandoc writes as a bookmark around the paragraph. The number takes
    the language and direction of the paragraph's first run, as a span there would."""
    edits: list[tuple[int, int, str]] = []
    for found in _numbered_matches(document):
        edits += _numbered_edit(document, found, number) or []
    return _edited(document, edits)


_ATTRIBUTION_DASH = "\u2014"
"""A quotation's attribution starts with it: "— Maroc" (regional-macros.md.j2 `quote`)."""


def attribution_at(document: str, at: int) -> bool:
    """Whether the paragraph at `at` (after white space) is a quotation's attribution: its
    first text "— " in italics."""
    while document.startswith((" ", "\n", "\r", "\t"), at):
        at += 1
    if not document.startswith("<w:p>", at):
        return False
    end = document.find("</w:p>", at)
    text = document.find("<w:t", at, end)
    if text < 0:
        return False
    run = document.rfind("<w:r>", at, text)
    return run >= 0 and "<w:i />" in document[run:text] \
        and document.startswith(_ATTRIBUTION_DASH, document.find(">", text) + 1)


def _numbered_edit(document: str, found: _Numbered, number: str
                   ) -> tuple[tuple[int, int, str], tuple[int, int, str]] | None:
    """The paragraph's start, number and bookmark in place of the bookmark's start and the
    paragraph's start, and nothing in place of the bookmark's end; None if the bookmark
    holds more than one paragraph: not ours. A quotation's last paragraph is kept with its
    attribution (Word has no "keep with the previous"), and a short one right before a
    table with the table, as `_introduction_edits` keeps the others."""
    start, end = found.body
    if document.find("</w:p>", start, end) >= 0:
        return None
    first = _FIRST_RUN_PROPERTIES.search(document, start, end)
    inherited = "".join(_INHERITED.findall(first.group(1) or "")) if first else ""
    rpr = f"<w:rPr>{inherited}</w:rPr>" if inherited else ""
    label = escape(number.replace("{number}", found.number))
    ident, n = found.ident, found.number
    properties = found.properties or ""
    if attribution_at(document, found.end) or _leads_a_table(document, found) \
            or _between_headings(document, found.start, found.end, found.body):
        inner = properties[len("<w:pPr>"):-len("</w:pPr>")] if properties else ""
        properties = "<w:pPr>" + _with(inner, PPR_ORDER, {"keepNext": "<w:keepNext />"}) \
            + "</w:pPr>"
    head = (f'<w:p>{properties}<w:bookmarkStart w:id="{ident}" w:name="para-{n}" />'
            f'<w:r>{rpr}<w:t xml:space="preserve">{label}</w:t></w:r>'
            f'<w:bookmarkEnd w:id="{ident}" />'
            f'<w:r>{rpr}<w:t xml:space="preserve"> </w:t></w:r>')
    return (found.start, start, head), (end + len("</w:p>"), found.end, "")


_TABLE_TITLE = '<w:p><w:pPr><w:pStyle w:val="TableTitle" />'
"""A table's number and title (batch.lua `place_table_title`), kept with it by its style."""


def _leads_a_table(document: str, found: _Numbered) -> bool:
    """Whether the numbered paragraph is short and right before a table, or its title."""
    return document.startswith(("<w:tbl>", _TABLE_TITLE), _past_bookmarks(document, found.end)) \
        and _is_short(document, *found.body)


def _continuous_notes(document: str) -> str:
    """Footnotes numbered 1 to n through the document. pandoc's reference document restarts
    them at each section (w:numRestart eachSect): the same in Word for a document of one
    section, but LibreOffice restarts them at every level-1 heading."""
    return re.sub(r'(<w:footnotePr>\s*)<w:numRestart w:val="eachSect"\s*/>',
                  r'\1<w:numRestart w:val="continuous" />', document)


ISOLATE_OPENERS = tuple(start for start, _end in ISOLATES.values())
POP_ISOLATE = ISOLATES["ltr"][1]


def _note_directions(notes: str) -> str:
    """word/footnotes.xml with each note's paragraphs set right to left when their text
    is (its first run with text is marked w:rtl): pandoc sets a note's paragraphs in the
    direction of the paragraph that calls it, and a source note in Arabic hangs on the
    end of a French narrative's paragraph in an Arabic report."""
    def paragraph(xml: str) -> str:
        depth = 0  # inside an isolate (LRI, RLI ... PDI): a piece of the other direction
        for run in _RUN.finditer(xml):
            body = run.group(1)
            if "<w:footnoteRef" in body or not re.search(r"<w:t(?:\s[^>]*)?>\s*[^\s<]", body):
                continue
            text = "".join(_TEXT.findall(body)).lstrip()
            if depth or text[:1] in ISOLATE_OPENERS:
                # A source's title in another language may open the note ("Rapport…، 13
                # آب/أغسطس 2020، الفقرة 6"): the note's own words that follow say.
                depth = max(0, depth + sum(text.count(c) for c in ISOLATE_OPENERS)
                            - text.count(POP_ISOLATE))
                continue
            if "<w:rtl />" in body and "<w:bidi" not in xml[:xml.find("<w:r")]:
                return _edit(xml, "pPr", PPR_ORDER, {"bidi": "<w:bidi />"})
            return xml
        return xml

    spans = _spans(notes, "p")
    return _replaced(notes, iter(spans), [paragraph(notes[a:b]) for a, b in spans])


_SEPARATOR = re.compile(r"<w:p>(?=<w:r><w:(?:continuationS|s)eparator\s*/>)")
"""The paragraphs of the footnotes' separator lines, as pandoc writes them."""

_LETTER_SPACING = re.compile(r'<w:spacing w:val="-?\d+"\s*/>')
"""Character spacing (w:spacing in run properties; paragraph spacing has no w:val)."""


# --- Embedded fonts -------------------------------------------------------------------------
# Word (2010 and later on Windows, 2019 and later on a Mac) and LibreOffice read TrueType fonts
# embedded in a DOCX (ECMA-376 Part 1, §17.8.1, font embedding): word/fonts/*.odttf is the
# font file with its first 32 bytes XORed with a key, the GUID of the w:fontKey attribute of
# w:embedRegular/w:embedBold in word/fontTable.xml, read as 16 bytes in reverse order of its
# hex digits (as LibreOffice's writerfilter FontTable.cxx, EmbeddedFontHandler, undoes it).
# The key is derived from the file name, so the file is the same on every run. Amiri is under
# the SIL Open Font License, which allows this, and its OS/2 fsType is 0 (installable).
# Where a reader has no support for embedded fonts (Word 2016 for Mac), Word substitutes an
# Arabic font from the w:sig and PANOSE of the entry.

EMBEDDED_FONT = "Amiri"
EMBEDDED_FILES = (("Regular", "Amiri-Regular.ttf"), ("Bold", "Amiri-Bold.ttf"))
FONT_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
FONT_TYPE = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def font_key(file_name: str) -> str:
    return "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"gcmreview:font:{file_name}")).upper() + "}"


def obfuscate(font: bytes, key: str) -> bytes:
    """ECMA-376 Part 1 §17.8.3.3; the same function turns an .odttf back into the font."""
    secret = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    head = bytes(b ^ secret[i % 16] for i, b in enumerate(font[:32]))
    return head + font[32:]


def _font_entry(font: bytes) -> str:
    """The w:font children Word reads to choose a substitute, from the font's OS/2 table:
    PANOSE, and the Unicode and code page ranges it covers (w:sig)."""
    tables = struct.unpack(">H", font[4:6])[0]
    for index in range(tables):
        record = font[12 + 16 * index:28 + 16 * index]
        tag, _checksum, offset, _length = struct.unpack(">4sIII", record)
        if tag == b"OS/2":
            os2 = font[offset:]
            usb = struct.unpack(">4I", os2[42:58])
            csb = struct.unpack(">2I", os2[78:86])
            return (f'<w:panose1 w:val="{os2[32:42].hex().upper()}" /><w:charset w:val="00" />'
                    '<w:family w:val="roman" /><w:pitch w:val="variable" />'
                    f'<w:sig w:usb0="{usb[0]:08X}" w:usb1="{usb[1]:08X}" w:usb2="{usb[2]:08X}" '
                    f'w:usb3="{usb[3]:08X}" w:csb0="{csb[0]:08X}" w:csb1="{csb[1]:08X}" />')
    return '<w:charset w:val="00" /><w:family w:val="roman" /><w:pitch w:val="variable" />'


ARABIC_SIZE = 1.2
"""Amiri is small for its size next to Arial (its letters are about as high as Arial's
lowercase at 1.2 times the size): Arabic reports set Arabic 20% larger (w:szCs)."""


@cache
def _font_file(path: Path) -> bytes:
    return path.read_bytes()


@cache
def _obfuscated(path: Path, key: str) -> bytes:
    """The font as embedded: read and obfuscated once per build, not once per report."""
    return obfuscate(_font_file(path), key)


def _arabic_fonts(parts: dict[str, bytes]) -> None:
    """Embed Amiri (regular and bold), name it as the complex-script font, and size it
    (ARABIC_SIZE)."""
    parts.update(_arabic_parts(parts["word/fontTable.xml"], parts["[Content_Types].xml"],
                               parts["word/settings.xml"], parts["word/styles.xml"]))


@lru_cache(maxsize=8)
def _arabic_parts(font_table: bytes, content_types: bytes, settings_xml: bytes,
                  styles_xml: bytes) -> dict[str, bytes]:
    """The parts `_arabic_fonts` adds or changes, from those it reads: the same in every
    Arabic report of a build (0.5 ms of regular expressions over the styles each)."""
    parts = {"word/fontTable.xml": font_table, "[Content_Types].xml": content_types,
             "word/settings.xml": settings_xml, "word/styles.xml": styles_xml}
    folder = Path(font_dirs()[0])
    entries, rels = [], []
    described = ""
    for style, file_name in EMBEDDED_FILES:
        font = _font_file(folder / file_name)
        described = described or _font_entry(font)
        key = font_key(file_name)
        target = f"fonts/{file_name.removesuffix('.ttf')}.odttf"
        parts[f"word/{target}"] = _obfuscated(folder / file_name, key)
        rel_id = f"rIdFont{EMBEDDED_FONT}{style}"
        rels.append(f'<Relationship Id="{rel_id}" Type="{FONT_REL}" Target="{target}"/>')
        entries.append(f'<w:embed{style} r:id="{rel_id}" w:fontKey="{key}" />')
    font_xml = f'<w:font w:name="{EMBEDDED_FONT}">{described}{"".join(entries)}</w:font>'
    table = parts["word/fontTable.xml"].decode()
    table = re.sub(rf'<w:font w:name="{EMBEDDED_FONT}">.*?</w:font>', "", table, flags=re.DOTALL)
    if "xmlns:r=" not in table[:table.find(">", table.find("<w:fonts"))]:
        table = table.replace("<w:fonts ", '<w:fonts xmlns:r="http://schemas.openxmlformats.org/'
                              'officeDocument/2006/relationships" ', 1)
    parts["word/fontTable.xml"] = table.replace("</w:fonts>", font_xml + "</w:fonts>").encode()
    parts["word/_rels/fontTable.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{RELS_NS}">' + "".join(rels) + "</Relationships>").encode()
    types = parts["[Content_Types].xml"].decode()
    if 'Extension="odttf"' not in types:
        types = types.replace("</Types>", f'<Default Extension="odttf" ContentType="{FONT_TYPE}"'
                              " /></Types>", 1)
    parts["[Content_Types].xml"] = types.encode()
    # Word keeps embedded fonts when it saves the file again, and only those not on every
    # system (w:embedSystemFonts would add Arial and the like).
    settings = parts["word/settings.xml"].decode()
    settings = re.sub(r"<w:embed(?:TrueType|System)Fonts\s*/>", "", settings)
    settings = re.sub(r"(<w:settings\b[^>]*>(?:<w:(?:writeProtection|view|zoom)\b[^>]*/>)*)",
                      r"\1<w:embedTrueTypeFonts />", settings, count=1)
    parts["word/settings.xml"] = settings.encode()
    # The complex-script font of the document defaults, and of the styles that repeat it.
    styles = parts["word/styles.xml"].decode()
    defaults = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", styles, re.DOTALL)
    old = re.search(r'<w:rFonts\b[^>]*\bw:cs="([^"]*)"', defaults.group(0)) if defaults else None
    if defaults and old is None:  # a reference document of one's own, without one
        named = defaults.group(0)
        if "<w:rFonts" in named:
            named = named.replace("<w:rFonts", f'<w:rFonts w:cs="{EMBEDDED_FONT}"', 1)
        else:
            named = re.sub(r"(<w:rPr>)", rf'\1<w:rFonts w:cs="{EMBEDDED_FONT}" />', named, count=1)
        styles = styles.replace(defaults.group(0), named, 1)

    def fonts(match: re.Match[str]) -> str:
        tag = re.sub(r'\s+w:cstheme="[^"]*"', "", match.group(0))  # a theme font would win
        if old is not None and f'w:cs="{old.group(1)}"' in tag:
            return tag.replace(f'w:cs="{old.group(1)}"', f'w:cs="{EMBEDDED_FONT}"')
        return tag

    styles = re.sub(r"<w:rFonts\b[^>]*>", fonts, styles)
    styles = re.sub(r'(<w:szCs w:val=")(\d+)"',
                    lambda m: f'{m.group(1)}{round(int(m.group(2)) * ARABIC_SIZE)}"', styles)
    parts["word/styles.xml"] = _contents_lines(styles).encode()
    return parts


CONTENTS_LINE = 204
"""The contents' entries in an Arabic report, at 0.85 of a line (240ths): Amiri's lines
are tall, and the 36 entries of the example's regional report ran four lines past the
contents' page in LibreOffice (the PDF, laid out by typst, fits them on one)."""


def _contents_lines(styles: str) -> str:
    """The contents' styles (TOC1, TOC2) with their lines at CONTENTS_LINE, where their
    paragraph spacing says nothing of lines (a reference document of one's own may)."""
    def spaced(match: re.Match[str]) -> str:
        style = match.group(0)
        return re.sub(r"<w:spacing\b(?![^>]*\bw:line=)", f'<w:spacing w:line="{CONTENTS_LINE}" '
                      'w:lineRule="auto"', style, count=1)

    return re.sub(r'<w:style\b[^>]*\bw:styleId="TOC[12]".*?</w:style>', spaced, styles,
                  flags=re.DOTALL)


# --- The file -------------------------------------------------------------------------------

TABLE_LEAD_CHARS = 300
"""A paragraph right before a table, this short or shorter, introduces it (about three
lines): as batch.lua's TABLE_LEAD_CHARS for the PDF."""
_KEPT_STYLES = tuple(f'<w:pStyle w:val="{name}" />'
                     for name in ("BodyText", "FirstParagraph", "Compact"))
"""The styles pandoc gives a paragraph of the body (none, in a right-to-left div): a
cover's or a masthead's are not looked at."""
_BOLD_MARK = "<w:b />"
_BOLD_RUN = "<w:r><w:rPr><w:b />"
"""A run pandoc writes bold (Strong): its properties start with <w:b />."""
_RUNS = re.compile(r"<w:r>(?:<w:rPr>(.*?)</w:rPr>)?", re.DOTALL)
"""Each run of a paragraph, and its properties."""


def _introduction_edits(document: str, limit: int, tables: list[tuple[int, int]],
                        numbered: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """keepNext on the paragraphs that introduce what follows them, as the PDF keeps them
    (batch.lua `typst_directions`): a paragraph of bold text alone, a label ("Measures" over
    its list, a narrative's heading the sanitiser made bold), and a short paragraph right
    before a table. Neither ends a page in Word or LibreOffice. And a quotation's last
    paragraph (numbered ones: `_numbered_edit`), so that its attribution never starts a
    page. Only paragraphs of the body before `limit` (the last section's properties),
    outside the `tables` and the `numbered` paragraphs (spans, each list sorted)."""
    starts: list[int] = []
    begin = 0
    table_starts = {start for start, _end in tables}
    for span_start, span_end in [*sorted([*tables, *numbered]), (limit, limit)]:
        stop = min(span_start, limit)
        at = document.find(_BOLD_MARK, begin, stop)  # labels, between the spans
        while at >= 0:
            start, end = document.rfind("<w:p>", begin, at), document.find("</w:p>", at, stop)
            if start < 0 or end < 0:
                break
            if _is_label(document, start, end):
                starts.append(start)
            at = document.find(_BOLD_MARK, end, stop)
        at = document.find(_ATTRIBUTION_DASH, begin, stop)  # a quotation's last paragraph
        while at >= 0:
            start = document.rfind("<w:p>", begin, at)
            before = document.rfind("</w:p>", begin, start) if start >= 0 else -1
            if before >= 0 and attribution_at(document, start) \
                    and not document[before + len("</w:p>"):start].strip():
                previous = document.rfind("<w:p>", begin, before)
                if previous >= 0 and document.find("</w:p>", previous, before) < 0:
                    starts.append(previous)
            at = document.find(_ATTRIBUTION_DASH, at + 1, stop)
        begin = max(begin, span_end)
        if span_start in table_starts and span_start < limit:
            lead = _lead_of(document, span_start)
            if lead is not None and document.startswith(_TABLE_TITLE, lead):
                lead = _lead_of(document, lead)  # the short paragraph over the title
            if lead is not None and _outside(lead, tables, numbered):
                starts.append(lead)
    starts += [at for at in _under_headings(document, limit) if _outside(at, tables, numbered)]
    edits = []
    for start in sorted(set(starts)):
        match = _PARAGRAPH.match(document, start)
        props = (match.group(2) or "") if match else ""
        if match is None or ("<w:pStyle " in props and not props.startswith(_KEPT_STYLES)):
            continue
        edits.append((start, match.end(), match.group(1) + "<w:pPr>" + _with(
            props, PPR_ORDER, {"keepNext": "<w:keepNext />"}) + "</w:pPr>"))
    return edits


_HEADING_STYLE = '<w:p><w:pPr><w:pStyle w:val="Heading'


def _heading_level(document: str, at: int) -> int:
    """The level of the heading paragraph that starts at `at`; 0 if none does."""
    digit = document[at + len(_HEADING_STYLE):at + len(_HEADING_STYLE) + 1]
    return int(digit) if document.startswith(_HEADING_STYLE, at) and digit.isdigit() else 0


def _is_short(document: str, start: int, end: int) -> bool:
    """Whether the words between `start` and `end` make a short paragraph (a lead)."""
    return len("".join(_TEXT.findall(document, start, end))) <= TABLE_LEAD_CHARS


def _under_headings(document: str, limit: int) -> list[int]:
    """The starts of the short paragraphs between a heading and a deeper one ("States
    reporting: …" between an objective and the first State's answer), kept with what
    follows as the PDF keeps them (batch.lua `typst_directions`): the heading, kept with
    them, was left at the foot of a page with them."""
    found = []
    at = document.find(_HEADING_STYLE, 0, limit)
    while at >= 0:
        end = document.find("</w:p>", at, limit)
        if end < 0:
            break
        middle = end + len("</w:p>")
        while document[middle:middle + 1].isspace():
            middle += 1
        close = document.find("</w:p>", middle, limit) if document.startswith(
            "<w:p>", middle) and not _heading_level(document, middle) else -1
        if close >= 0 and "<w:p>" not in document[middle + 1:close] \
                and 0 < _heading_level(document, at) < _heading_level(
                    document, _past_bookmarks(document, close + len("</w:p>"))) \
                and _is_short(document, middle, close):
            found.append(middle)
        at = document.find(_HEADING_STYLE, end, limit)
    return found


def _past_bookmarks(document: str, at: int) -> int:
    """Where the next paragraph starts after `at`: past spaces and the bookmarks pandoc
    puts between paragraphs (a section's id before its heading)."""
    while True:
        while document[at:at + 1].isspace():
            at += 1
        if not document.startswith(("<w:bookmarkStart ", "<w:bookmarkEnd "), at):
            return at
        close = document.find("/>", at)
        if close < 0:
            return at
        at = close + len("/>")


def _between_headings(document: str, start: int, end: int, body: tuple[int, int]) -> bool:
    """Whether the numbered paragraph from `start` to `end` (its bookmark's ends; `body`:
    its words) is a short one between a heading and a deeper one, as `_under_headings`
    finds the others ("4. This section gives…" between "Indicators" and its first)."""
    before = start
    while document[before - 1:before].isspace():
        before -= 1
    if not document.endswith("</w:p>", 0, before):
        return False
    level = _heading_level(document, document.rfind("<w:p>", 0, before))
    return 0 < level < _heading_level(document, _past_bookmarks(document, end)) \
        and _is_short(document, *body)


def _is_label(document: str, start: int, end: int) -> bool:
    """Whether the paragraph from `start` to `end` (its </w:p>) is bold text alone."""
    first = document.find("<w:r>", start, end)
    if first < 0 or not document.startswith(_BOLD_RUN, first):  # most: a bold word inside
        return False
    body = document[start:end]
    runs = body.count("<w:r>")
    return body.count(_BOLD_MARK) == runs and body.count("<w:p>") == 1 \
        and all(_BOLD_MARK in (r or "") for r in _RUNS.findall(body))


def _lead_of(document: str, table: int) -> int | None:
    """The start of the short paragraph right before the table at `table`, if one is."""
    end = document.rfind("</w:p>", 0, table)
    if end < 0 or document[end + len("</w:p>"):table].strip():
        return None  # a table first in its cell, or after something else than a paragraph
    start = document.rfind("<w:p>", 0, end)
    body = document[start:end]
    text = "".join(_TEXT.findall(body))
    if start < 0 or "</w:p>" in body or not text.strip() or len(text) > TABLE_LEAD_CHARS:
        return None
    return start


def _outside(start: int, *spans: list[tuple[int, int]]) -> bool:
    """Whether `start` is in none of the `spans` (each list sorted, its spans apart)."""
    for found in spans:
        at = bisect.bisect_right(found, (start, sys.maxsize)) - 1
        if at >= 0 and found[at][1] > start:
            return False
    return True


def _introductions_kept(document: str) -> str:
    """`_introduction_edits` made, on a document as pandoc wrote it."""
    last = document.rfind("<w:sectPr")
    limit = last if last >= 0 else len(document)
    numbered = [(found.start, found.end) for found in _numbered_matches(document)]
    return _edited(document, _introduction_edits(document, limit, _spans(document, "tbl"),
                                              numbered))


def _in_turn(document: str, styles: str, job: DocxFinish) -> str:
    """A report's document.xml finished (but for right to left), one edit after the other."""
    text = _numbered_paragraphs(_continuous_notes(_introductions_kept(document)),
                                job.number)
    return _masthead_first(_title_page(lay_out_tables(text, styles, job.rtl)))


def _report_document(document: str, styles: str, job: DocxFinish) -> str:
    """`_in_turn`, in one copy of the document instead of five: the edits of each step are
    found in the document as pandoc wrote it, which they do not change for one another
    where they keep apart, as in every document pandoc writes: numbered paragraphs
    outside the tables, footnote numbering and the title page in the last section, after
    everything else. Where they do not, `_in_turn`. (A copy of the 200,000 characters of
    a report's document.xml takes about 0.5 ms, 0.1 s for the 211 of the bench.)"""
    last = document.rfind("<w:sectPr")
    if last < 0 or document.find("<w:footnotePr>", 0, last) >= 0:
        return _in_turn(document, styles, job)
    edits: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for found in _numbered_matches(document):
        edit = _numbered_edit(document, found, job.number)
        if edit is not None:
            edits += edit
            taken.append((found.start, found.end))
    spans, balanced = _balanced_spans(document, "tbl")
    if not balanced or _overlap(taken, spans) \
            or any(end > last for _start, end in [*taken, *spans]):
        return _in_turn(document, styles, job)
    edits += _table_edits(document, spans, _Geometry.of(document, styles, job.rtl))
    edits += _introduction_edits(document, last, spans, taken)
    edits.append((last, len(document), _title_page(_continuous_notes(document[last:]))))
    return _masthead_first(_edited(document, edits))


def _overlap(first: list[tuple[int, int]], second: list[tuple[int, int]]) -> bool:
    """Whether a span of `first` meets one of `second` (each sorted, and apart)."""
    i = j = 0
    while i < len(first) and j < len(second):
        if first[i][1] <= second[j][0]:
            i += 1
        elif second[j][1] <= first[i][0]:
            j += 1
        else:
            return True
    return False


class Picture(NamedTuple):
    """A figure drawn as PNG for the DOCX, and the width it is shown at (points: its SVG's)."""

    png: bytes
    width: float
    height: float = 0.0
    """Points, as its SVG: the proportions kept where the PNG cannot tell its own."""


EMU_PER_POINT = 12700
_PICTURE_MARKER = re.compile(r"<w:r><w:t>gcmreview-figure:([\w-]+) (\d+)</w:t></w:r>")
"""Where pandoc was to place a figure's picture (batch.lua `place_figure`): its name and its
number, by which its text alternative is known."""
_DRAWING_ID = re.compile(r'<(?:wp:docPr|pic:cNvPr) [^>]*?\bid="(\d+)"')
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
IMAGE_RELATIONSHIP = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                      "image")


def _attribute(text: str) -> str:
    return escape(_NOT_XML.sub("", text), {'"': "&quot;"})


def _png_points(png: bytes) -> tuple[float, float]:
    """A PNG's size in points, as pandoc reads it: pixels at the resolution of its pHYs
    chunk in whole dots per inch, 72 without one."""
    if len(png) < 24 or not png.startswith(b"\x89PNG"):  # not one: no size of its own
        return 0.0, 0.0
    width, height = struct.unpack(">II", png[16:24])
    dpi_x = dpi_y = 72
    at = png.find(b"pHYs", 8)
    if 0 <= at <= len(png) - 13 and png[at + 12] == 1:  # per metre
        per_x, per_y = struct.unpack(">II", png[at + 4:at + 12])
        dpi_x, dpi_y = math.floor(per_x * 0.0254), math.floor(per_y * 0.0254)
    return width * 72 / (dpi_x or 72), height * 72 / (dpi_y or 72)


def _drawing(picture: Picture, name: str, alt: str, rel_id: str, ident: int,
             page_points: int = 10**6) -> str:
    """The run that shows `picture` inline, as pandoc's DOCX writer writes one for an image
    given a width in inches (to the hundredth, as batch.lua gave it): its height in
    proportion, no wider than the text (`page_points`), in whole EMU."""
    png_width, png_height = _png_points(picture.png)
    if not (png_width and png_height):
        png_width, png_height = picture.width, picture.height
    x = float(f"{picture.width / 72:.2f}") * 72
    y = x / (png_width / png_height) if png_width and png_height else 0.0
    x, y, page = x * EMU_PER_POINT, y * EMU_PER_POINT, page_points * EMU_PER_POINT
    cx, cy = (page, math.floor(page / x * y)) if x > page else (math.floor(x), math.floor(y))
    return (f'<w:r><w:drawing><wp:inline><wp:extent cx="{cx}" cy="{cy}" />'
            '<wp:effectExtent b="0" l="0" r="0" t="0" />'
            f'<wp:docPr descr="{_attribute(alt)}" title="" id="{ident}" name="Picture" />'
            '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/'
            'picture"><pic:pic><pic:nvPicPr>'
            f'<pic:cNvPr descr="{name}.png" id="{ident + 1}" name="Picture" /><pic:cNvPicPr>'
            '<a:picLocks noChangeArrowheads="1" noChangeAspect="1" /></pic:cNvPicPr>'
            f'</pic:nvPicPr><pic:blipFill><a:blip r:embed="{rel_id}" /><a:stretch>'
            '<a:fillRect /></a:stretch></pic:blipFill><pic:spPr bwMode="auto"><a:xfrm>'
            f'<a:off x="0" y="0" /><a:ext cx="{cx}" cy="{cy}" /></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst /></a:prstGeom><a:noFill /><a:ln w="9525">'
            '<a:noFill /><a:headEnd /><a:tailEnd /></a:ln></pic:spPr></pic:pic>'
            "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>")


def _text_points(document: str) -> int:
    """The text's width in whole points, as pandoc reads it from the last section (its
    pictures are no wider)."""
    size, margins = _page(document)
    width = _twips(size, "w", 0) - _twips(margins, "left", 0) - _twips(margins, "right", 0)
    return width // 20 if width > 0 else 420


def placed_pictures(parts: dict[str, bytes], document: str, pictures: dict[str, Picture],
                    alts: dict[str, str]) -> tuple[str, dict[str, bytes]]:
    """word/document.xml with each figure's picture in place of its marker, and the
    pictures as parts of their own (their relationships and content types added to
    `parts`). Pandoc placing 965 charts (from stand-ins of a few bytes) had cost it a
    tenth of what the data cost it."""
    found = [m for m in _PICTURE_MARKER.finditer(document) if m.group(1) in pictures]
    if not found:
        return document, {}
    media: dict[str, bytes] = {}
    ident = max((int(i) for i in _DRAWING_ID.findall(document)), default=0) + 1
    page = _text_points(document)
    relationships, types, runs = [], [], []
    for number, match in enumerate(found, 1):
        name = match.group(1)
        rel_id, target = f"rIdFigure{number}", f"media/figure-{number}-{name}.png"
        media[f"word/{target}"] = pictures[name].png
        relationships.append(f'<Relationship Type="{IMAGE_RELATIONSHIP}" Id="{rel_id}" '
                             f'Target="{target}" />')
        types.append(f'<Override PartName="/word/{target}" ContentType="image/png" />')
        runs.append(_drawing(pictures[name], name, alts.get(match.group(2), ""), rel_id,
                             ident, page))
        ident += 2
    rels = parts["word/_rels/document.xml.rels"].decode()
    parts["word/_rels/document.xml.rels"] = rels.replace(
        "</Relationships>", "".join(relationships) + "</Relationships>", 1).encode()
    content_types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = content_types.replace(
        "</Types>", "".join(types) + "</Types>", 1).encode()
    return _edited(document, [(m.start(), m.end(), run)
                              for m, run in zip(found, runs, strict=True)]), media


_TABLE_MARKER = re.compile(r"<w:p><w:r><w:t>gcmreview-table:([\w-]+)</w:t></w:r></w:p>")
"""Where pandoc was to write a data table (batch.lua `data_table`): text never becomes a
run without xml:space="preserve", and only the document's own tables are put in."""


def placed_tables(document: str, tables: dict[str, str]) -> str:
    """word/document.xml with each data table written by gcmreview (render/tables.py) in
    place of its marker, as pandoc would have written it: the layout comes next."""
    return _TABLE_MARKER.sub(lambda m: tables.get(m.group(1), m.group(0)), document)


CUSTOM_PROPERTIES = "docProps/custom.xml"
"""pandoc keeps there every metadata key it has no property for: the templates' settings
(colon, compact, dir, header-text...), which Word lists under File > Properties >
Custom. Dropped, with its relationship and content type."""
_CUSTOM_RELATIONSHIP = re.compile(r'<Relationship [^>]*Target="/?docProps/custom\.xml"[^>]*/>')
_CUSTOM_OVERRIDE = re.compile(r'<Override PartName="/docProps/custom\.xml"[^>]*/>')


def finish_docx(path: Path, job: DocxFinish, pictures: dict[str, Picture] | None = None,
                tables: dict[str, str] | None = None, alts: dict[str, str] | None = None,
                package: Package | None = None) -> None:
    """What pandoc leaves out: table layout, RTL tables, header and footer, complex-script
    bold and fonts, stable bytes, no custom properties; the figures' `pictures` (by name;
    their text alternatives in `alts`, by figure number) and the data `tables` (name ->
    XML) where it left their markers (`placed_pictures`, `placed_tables`). The file pandoc
    wrote is read from `path`, unless `package` holds it (its part of a batch)."""
    media: dict[str, _RawEntry | bytes] = {}
    if package is not None:
        names = [name for name in package.names if name != CUSTOM_PROPERTIES]
        parts = dict(package.parts)
    else:
        with zipfile.ZipFile(path) as archive:
            names = [name for name in archive.namelist() if name != CUSTOM_PROPERTIES]
            # Pandoc's own pictures are copied as it deflated them.
            media = {info.filename: _RawEntry.of(archive, info) for info in archive.infolist()
                     if info.filename.startswith("word/media/")
                     and info.compress_type == zipfile.ZIP_DEFLATED}
            parts = {name: archive.read(name) for name in names if name not in media}
    styles = parts.get("word/styles.xml", b"").decode()
    if job.rtl and not job.form:
        _arabic_fonts(parts)
        styles = parts["word/styles.xml"].decode()
    for name in names:
        if name in media:
            continue
        data = parts[name]
        text: str | None = None
        if name == "word/document.xml":
            text = placed_tables(data.decode(), tables) if tables else data.decode()
            if pictures:  # stored as they are: a PNG is deflated already
                text, placed = placed_pictures(parts, text, pictures, alts or {})
                media.update(placed)
            # The form keeps the widths its template gives (and rows that grow as one types).
            text = _masthead_first(_form(_continuous_notes(text))) if job.form \
                else _report_document(text, styles, job)
            if job.rtl:
                text = _rtl_document(text, upright=not job.form)
        elif name == "word/footnotes.xml":
            text = _note_directions(data.decode())
            if job.rtl:  # the line over the notes starts at the right, as they do
                text = _SEPARATOR.sub(r"\g<0><w:pPr><w:bidi /></w:pPr>", text)
        elif name == "word/styles.xml" and job.rtl:
            text = _LETTER_SPACING.sub("", styles)
            if not job.form:
                text = _ITALIC_COMPLEX.sub("", text)
        elif re.fullmatch(r"word/(header|footer)\d*\.xml", name):
            text = data.decode()
            text = text.replace("GCMREVIEW_HEADER_TEXT", escape(job.header))
            text = text.replace("GCMREVIEW_FOOTER_TEXT", escape(job.footer))
            if job.rtl:
                text = _rtl_paragraphs(text, styles)
        elif name == "_rels/.rels":
            text = _CUSTOM_RELATIONSHIP.sub("", data.decode())
        elif name == "[Content_Types].xml":
            text = _CUSTOM_OVERRIDE.sub("", data.decode())
        elif name == "docProps/core.xml":
            stamp = f"{job.date_iso or '2000-01-01'}T00:00:00Z"
            text = re.sub(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rf"\g<1>{stamp}",
                          data.decode())
        if text is not None:
            parts[name] = text.encode()
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w") as archive:
        for name in [*names, *sorted((set(parts) | set(media)) - set(names))]:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever system builds: the same bytes on all
            info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
            picture = media.get(name)
            if isinstance(picture, bytes):
                info.compress_type = zipfile.ZIP_STORED
                archive.writestr(info, picture)
                continue
            if picture is not None:
                _write_deflated(archive, info, picture.size, picture.deflated, picture.crc)
                continue
            data = parts[name]
            if name == "word/document.xml":
                archive.writestr(info, data, compresslevel=DOCUMENT_COMPRESS_LEVEL)
            elif name.startswith("word/media/"):
                archive.writestr(info, data)  # different in every report
            else:
                level = FONT_COMPRESS_LEVEL if name.startswith("word/fonts/") \
                    else zlib.Z_DEFAULT_COMPRESSION  # zipfile's
                _write_deflated(archive, info, len(data), *_deflated(data, level))
    os.replace(tmp, path)


PART_CACHE = 64
"""Parts kept deflated, by their bytes: of the 20 or so parts of a report, the styles, the
theme, the numbering, the settings... are the same in many reports (and the embedded
fonts in all the Arabic ones)."""


@lru_cache(maxsize=PART_CACHE)
def _deflated(data: bytes, level: int) -> tuple[bytes, int]:
    """A part deflated as zipfile does at `level`, and its CRC, once per build for the parts
    that many reports share: the same 800 KB of fonts in every Arabic report (deflating
    them was a tenth of a build's Python time), 30 KB of styles in every report..."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)  # as zipfile does
    return compressor.compress(data) + compressor.flush(), zlib.crc32(data)


class _RawEntry(NamedTuple):
    """An entry of a ZIP archive as it is stored: its deflated bytes, their CRC and size."""

    deflated: bytes
    crc: int
    size: int

    @staticmethod
    def of(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> _RawEntry:
        assert archive.fp is not None
        archive.fp.seek(info.header_offset)
        header = archive.fp.read(30)
        if header[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile(f"no local header for {info.filename}")
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        archive.fp.seek(info.header_offset + 30 + name_length + extra_length)
        deflated = archive.fp.read(info.compress_size)
        if len(deflated) != info.compress_size:
            raise zipfile.BadZipFile(f"{info.filename} is cut short")
        return _RawEntry(deflated, info.CRC, info.file_size)


def _write_deflated(archive: zipfile.ZipFile, info: zipfile.ZipInfo, size: int,
                    deflated: bytes, crc: int) -> None:
    """Write an entry whose deflated bytes are known: zipfile has no way to take them, so
    they are written as stored, and the entry's header is then set to what they are. The
    archive is the same, byte for byte, as zipfile deflating the `size` bytes itself would
    write."""
    stored = copy.copy(info)
    stored.compress_type = zipfile.ZIP_STORED
    archive.writestr(stored, deflated)
    stored.compress_type = zipfile.ZIP_DEFLATED
    stored.file_size = size
    stored.CRC = crc
    assert archive.fp is not None
    end = archive.fp.tell()
    archive.fp.seek(stored.header_offset)
    archive.fp.write(stored.FileHeader(False))
    archive.fp.seek(end)


def _masthead_first(text: str) -> str:
    """The masthead's paragraphs (style "Masthead") and the Compact's name ("Cover Compact")
    above the title: pandoc writes the title from the document's metadata before anything of
    the body."""
    markers = ('<w:pStyle w:val="Masthead" />', '<w:pStyle w:val="CoverCompact" />')
    if not any(marker in text for marker in markers):
        return text
    body = text.index("<w:body>") + len("<w:body>")
    found: list[str] = []
    parts: list[str] = []
    last = body

    def next_at(start: int) -> int:
        places = [at for at in (text.find(marker, start) for marker in markers) if at >= 0]
        return min(places, default=-1)

    at = next_at(body)
    while at >= 0:  # a paragraph of the masthead: from its <w:p> to its </w:p>
        start = text.rfind("<w:p>", last, at)
        end = text.index("</w:p>", at) + len("</w:p>")
        if start < 0 or text.find("</w:p>", start, at) >= 0:  # not a paragraph's own style
            at = next_at(end)
            continue
        parts.append(text[last:start])
        found.append(text[start:end])
        last = end
        at = next_at(end)
    return text[:body] + "".join(found) + "".join(parts) + text[last:]


def _title_page(document: str) -> str:
    """The report's cover is a title page: no running header, no page number on it
    (w:titlePg: its first page takes the first-page header and footer, which are empty)."""
    start = document.rfind("<w:sectPr")
    match = re.compile(r"<w:sectPr\b[^>]*?(?:/>|>(.*?)</w:sectPr>)", re.DOTALL).match(
        document, start) if start >= 0 else None
    if match is None:
        return document
    tag = re.match(r"<w:sectPr\b[^>]*?(?=/?>)", match.group(0))
    assert tag is not None
    inner = _with(match.group(1) or "", SECTPR_ORDER, {"titlePg": "<w:titlePg />"})
    return (document[:start] + tag.group(0) + ">" + inner + "</w:sectPr>"
            + document[match.end():])


_TABLE_PROPERTIES = re.compile(r"<w:tblPr>(?:<w:tblStyle [^>]*/>)?")
_CELL_JC = re.compile(r'<w:jc w:val="(left|right)" />')
_COVER_STYLE = re.compile(
    r'<w:pStyle w:val="(?:Title|Subtitle|Author|Date|CoverCompact)" />(?!<w:bidi)')
_BOLD = re.compile(r"<w:b />(?!<w:bCs)")
_ITALIC_COMPLEX = re.compile(r"<w:iCs\s*/>")
"""Italics of complex-script text: Arabic has none (Word slants its letters), as the HTML
(font-synthesis-style: none) and the PDF (no italic face) have none either."""


def _rtl_document(text: str, upright: bool = True) -> str:
    """The body of a right-to-left document: what pandoc does not mark as such. `upright`:
    no italics for complex scripts (a report; a Word form keeps them, as `import` reads
    the emphasis a State typed from them).

    Its edits are found in `text` as it is and made in one copy of it: none of them makes
    or unmakes another's (each looked at its predecessor's result when they were one
    re.sub each, the document copied five times: 0.7 s of the 6 s of the 211 Arabic
    reports)."""
    edits: list[tuple[int, int, str]] = []  # (start, end, new text), in no particular order
    # Tables read right to left (pandoc never sets w:bidiVisual, jgm/pandoc#7695).
    at = text.find("<w:tblPr>")
    while at >= 0:
        end = _match(_TABLE_PROPERTIES, text, at).end()
        edits.append((end, end, "<w:bidiVisual />"))
        at = text.find("<w:tblPr>", end)
    # A column of numbers is aligned to the right, as in the PDF, whatever the direction (the
    # units under each other): Word reads a w:bidi paragraph's "right" as the end of the
    # line, its left, so the table cells' sides are mirrored (as _rtl_paragraphs does). A
    # table is from <w:tbl> to the first </w:tbl> (a table in a table ends there).
    at = text.find("<w:tbl>")
    while at >= 0:
        end = text.find("</w:tbl>", at + len("<w:tbl>"))
        if end < 0:
            break
        end += len("</w:tbl>")
        edits += [(jc.start(), jc.end(), f'<w:jc w:val="{_MIRRORED[jc.group(1)]}" />')
                  for jc in _CELL_JC.finditer(text, at, end)]
        at = text.find("<w:tbl>", end)
    # The cover paragraphs pandoc makes from metadata are not marked RTL.
    edits += [(m.end(), m.end(), "<w:bidi />") for m in _COVER_STYLE.finditer(text)]
    # Bold must be set for complex scripts too (jgm/pandoc#6911); pandoc 3.9 already does
    # it in most runs, so only fill the gaps. Italics are left to Latin text: pandoc's
    # complex-script ones would slant the Arabic.
    edits += [(m.end(), m.end(), "<w:bCs />") for m in _BOLD.finditer(text)]
    if upright:
        edits += [(m.start(), m.end(), "") for m in _ITALIC_COMPLEX.finditer(text)]
    # Letter-spacing breaks Arabic joining.
    if '<w:spacing w:val="' in text:
        edits += [(m.start(), m.end(), "") for m in _LETTER_SPACING.finditer(text)]
    # The section right to left too: its footnotes' separator line starts at the right.
    section = _SECTION.search(text, max(text.rfind("<w:sectPr"), 0))
    if section is not None and section.group(1) is not None:
        edits.append((section.start(1), section.end(1),
                      _with(section.group(1), SECTPR_ORDER, {"bidi": "<w:bidi />"})))
    return _latin_runs(_edited(text, edits))


_SECTION = re.compile(r"<w:sectPr\b[^>]*>(.*?)</w:sectPr>", re.DOTALL)
"""The last section's properties, where `_rtl_document` looks for them."""


def _match(pattern: re.Pattern[str], text: str, at: int) -> re.Match[str]:
    match = pattern.match(text, at)
    assert match is not None
    return match


def _edited(text: str, edits: list[tuple[int, int, str]]) -> str:
    """`text` with the spans replaced, in one copy; an insertion and a deletion at the same
    place are made in that order (as a re.sub that inserts before one that deletes)."""
    if not edits:
        return text
    edits.sort(key=lambda edit: (edit[0], edit[1]))
    parts, last = [], 0
    for start, end, new in edits:
        parts += [text[last:start], new]
        last = end
    parts.append(text[last:])
    return "".join(parts)


_RTL_RUN = re.compile(r"<w:r>(<w:rPr>(?:(?!</w:rPr>).)*?)<w:rtl />((?:(?!</w:r>).)*?)</w:r>",
                      re.DOTALL)
"""A run set right to left: what `_rtl_runs` finds."""
_RTL_MARK = "<w:rtl />"
_RUN_START = "<w:r><w:rPr>"
_RTL_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f]")
_TEXT = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")


def _rtl_runs(text: str) -> Iterator[tuple[int, int, int]]:
    """(start, w:rtl, end) of each match of `_RTL_RUN` in `text`, as finditer gives them,
    found from each <w:rtl /> with str.find: the regular expression's tempered tokens try
    every character of every run of an Arabic document (1.3 s of the 6 s of the 211
    Arabic reports). A match starts at the first <w:r><w:rPr> after the last </w:rPr>
    (and after any earlier <w:rtl />) before its <w:rtl />, and ends at the first </w:r>
    after it."""
    find, rfind = text.find, text.rfind  # a thousand runs a report: lengths written out
    done = after = 0  # the end of the last match; a start must come after the last w:rtl
    mark = find(_RTL_MARK)
    while mark >= 0:
        closed = rfind("</w:rPr>", done, mark)
        low = done if done > after else after
        if closed >= 0 and closed + 8 > low:  # len("</w:rPr>")
            low = closed + 8
        start = find(_RUN_START, low, mark)
        if start < 0:
            after = mark - 11  # len(_RUN_START) - 1: its <w:rPr> after this <w:rtl />
            mark = find(_RTL_MARK, mark + 9)  # len(_RTL_MARK)
            continue
        end = find("</w:r>", mark + 9)
        if end < 0:
            return
        done = end + 6  # len("</w:r>")
        yield start, mark, done
        mark = find(_RTL_MARK, done)


def _latin_runs(text: str) -> str:
    """Latin words pandoc writes as right-to-left runs in an Arabic document (an acronym in
    a table cell, a word in an Arabic sentence) unmarked: Word sets a w:rtl run in the
    complex-script font at the complex-script size (Amiri, ARABIC_SIZE), so "CESAO" stood
    a size larger, in another face, than the Latin text beside it. Unmarked, the run takes
    the Latin font and size, as LibreOffice shows it anyway; its place in the line stays
    the paragraph's (a run of Latin letters is left to right whatever w:rtl says)."""
    edits: list[tuple[int, int, str]] = []
    for start, mark, end in _rtl_runs(text):
        after = mark + len(_RTL_MARK)  # the rest of the run
        words = "".join(_TEXT.findall(text, after, end - len("</w:r>")))
        if _RTL_LETTER.search(words) or not _LATIN_LETTER.search(words):
            continue
        if mark == start + len(_RUN_START) and text.startswith("</w:rPr>", after,
                                                                end - len("</w:r>")):
            edits.append((start + len("<w:r>"), after + len("</w:rPr>"), ""))  # all it had
        else:
            edits.append((mark, after, ""))
    return _edited(text, edits)
