"""Read a bilingual Word file back (gcmreview.render.bilingual), safely.

The .docx is checked and rebuilt by gcmreview.load.docx like any Word file that
arrives (no macros, no DTD, no zip bomb…); its document part is then read with the
same hardened XML parser as XLIFF files. Each table row whose first cell holds a
unit's id and the hash mark is a unit: its third cell is the translation, its tags
(`{1}`, `{/1}`, `{2/}`) read back as codes. Rows are found by their visible text,
as LibreOffice drops content controls. Text deleted with tracked changes is left
out; text inserted with them counts.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

from gcmreview.core.errors import TranslationRefused
from gcmreview.core.i18n import _
from gcmreview.core.segments import Ph
from gcmreview.core.units import path_of, unit_name
from gcmreview.load.docx import open_docx
from gcmreview.load.xliff import (
    Node,
    UnitRefused,
    XliffDocument,
    XliffUnit,
    pair_codes,
    parse,
)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
_META = re.compile(r"gcmreview-translation ([A-Z]{2}|catalogue) ([a-z]{2}) ([a-z]{2}) (\d+)")
_HASH = re.compile(r"#([0-9a-f]{12})")
_TAG = re.compile(r"\{(/?)(\d{1,4})(/?)\}")
_SKIPPED = {f"{_W}{tag}" for tag in ("del", "delText", "instrText", "rPr", "pPr", "tcPr",
                                      "trPr", "tblPr", "sdtPr", "moveFrom")}


def _text(node: Node, out: list[str]) -> None:
    """A cell's text: runs' text, tabs and breaks; a paragraph ends a line."""
    for child in node.children:
        if isinstance(child, str):
            continue
        tag = child.tag
        if tag in _SKIPPED:
            continue
        if tag == f"{_W}t":
            out.append(child.text())
        elif tag == f"{_W}tab":
            out.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            out.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            out.append("-")
        elif tag == f"{_W}p":
            if out and not out[-1].endswith("\n"):
                out.append("\n")
            _text(child, out)
            out.append("\n")
        else:
            _text(child, out)


def cell_text(node: Node) -> str:
    out: list[str] = []
    _text(node, out)
    return "".join(out).strip("\n")


def _rows(node: Node) -> list[list[Node]]:
    """Every table row of the document (in tables anywhere), as its cells."""
    rows: list[list[Node]] = []
    for child in node.elements():
        if child.tag == f"{_W}tr":
            rows.append(_cells(child))
        else:
            rows += _rows(child)
    return rows


def _cells(row: Node) -> list[Node]:
    cells: list[Node] = []
    for child in row.elements():
        if child.tag == f"{_W}tc":
            cells.append(child)
        elif child.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"):
            cells += _cells(child)
    return cells


def tagged(text: str) -> Any:
    """A translation's text with its tags as codes (a tag-like text out of place is
    refused by the code check, against the original's codes)."""
    flat: list[Any] = []
    at = 0
    for found in _TAG.finditer(text):
        flat.append(text[at:found.start()])
        closing, ident, alone = found.groups()
        if alone and not closing:
            flat.append(Ph(ident, "", "other"))
        elif closing and not alone:
            flat.append(("ec", ident, ""))
        elif not closing:
            flat.append(("sc", ident, ""))
        else:
            flat.append(text[found.start():found.end()])
        at = found.end()
    flat.append(text[at:])
    return pair_codes(flat)


def read_bilingual(path: Path, shown: str) -> XliffDocument:
    """The units of a bilingual Word file; TranslationRefused for anything else."""
    opened = open_docx(path, shown)
    with zipfile.ZipFile(io.BytesIO(opened.data)) as archive:
        try:
            info = archive.getinfo("word/document.xml")
        except KeyError as exc:
            raise TranslationRefused(_("{file} is not a bilingual file made by gcmreview: it "
                                       "has no document part").format(file=shown)) from exc
        if info.file_size > MAX_DOCUMENT_BYTES:
            raise TranslationRefused(_("{file}: its text is larger than {limit} MB").format(
                file=shown, limit=MAX_DOCUMENT_BYTES // 2**20))
        raw = archive.read(info)
    root = parse(raw, shown)
    said = None
    for paragraph in _paragraphs(root):
        said = _META.search(cell_text(paragraph))
        if said:
            break
    if said is None:
        raise TranslationRefused(
            _("{file} is not a bilingual file made by gcmreview: the line "
              "“gcmreview-translation …” under its title is missing").format(file=shown),
            hint=_("export the file again with `gcmreview translate export --format docx`, "
                   "and keep that line"))
    code, source, target, _version = said.groups()
    units: list[XliffUnit] = []
    for number, cells in enumerate(_rows(root), start=1):
        if len(cells) < 3:
            continue
        first = cell_text(cells[0]).split("\n")
        mark = next((_HASH.fullmatch(line.strip()) for line in first
                     if _HASH.fullmatch(line.strip())), None)
        if mark is None:
            continue  # the header row, or a row added by hand
        name = first[0].strip()
        text = cell_text(cells[2])
        problem = None
        try:
            segment = tagged(text) if text.strip() else None
        except UnitRefused as exc:  # unbalanced tags: said for this row
            segment, problem = None, str(exc)
        at = path_of(name)
        units.append(XliffUnit(unit_name(at) if at else name, None, (), segment,
                               "translated", False, mark.group(1), False, number,
                               problem=problem))
    facts = {"kind": "catalogue"} if code == "catalogue" else {"kind": "review", "country": code}
    return XliffDocument("docx", source, target, facts, None, tuple(units))


def _paragraphs(node: Node) -> list[Node]:
    found = []
    for child in node.elements():
        if child.tag == f"{_W}p":
            found.append(child)
        elif child.tag != f"{_W}tbl":
            found += _paragraphs(child)
    return found
