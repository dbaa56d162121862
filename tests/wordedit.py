"""Edit a Word form as a focal point would, with python-docx: type into answers,
tick another box, add a list or a table row, write outside the tables, delete a heading.

Only what the tests need; every edit goes through the real .docx XML.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import docx
from docx.document import Document
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph


def open_form(path: Path) -> Document:
    return docx.Document(str(path))


def body_items(document: Document) -> Iterator[Paragraph | Table]:
    """Paragraphs and tables in document order."""
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            yield Paragraph(element, document)
        elif element.tag == qn("w:tbl"):
            yield Table(element, document)


def text_of(paragraph: Paragraph) -> str:
    """All the paragraph's text, check boxes (content controls) included."""
    return "".join(t.text or "" for t in paragraph._element.iter(qn("w:t")))


def heading(document: Document, starts: str) -> Paragraph:
    for item in body_items(document):
        if isinstance(item, Paragraph) and item.style.name.startswith("Heading") \
                and item.text.startswith(starts):
            return item
    raise LookupError(starts)


def tables_after(document: Document, starts: str) -> list[Table]:
    """The tables between the heading that starts with `starts` and the next heading."""
    found: list[Table] = []
    inside = False
    for item in body_items(document):
        if isinstance(item, Paragraph) and item.style.name.startswith("Heading"):
            if inside:
                break
            inside = item.text.startswith(starts)
        elif inside and isinstance(item, Table):
            found.append(item)
    if not found:
        raise LookupError(starts)
    return found


def answer(document: Document, section: str, label: str) -> _Cell:
    """The answer cell of the row labelled `label` in the section `section`."""
    for table in tables_after(document, section):
        for row in table.rows:
            if row.cells[0].paragraphs[0].text.strip() == label:
                return row.cells[1]
    raise LookupError(f"{section} / {label}")


def set_paragraphs(cell: _Cell, texts: list[str], *, bold_first_word: bool = False) -> None:
    """Replace the cell's content with these paragraphs."""
    for paragraph in list(cell.paragraphs)[1:]:
        paragraph._element.getparent().remove(paragraph._element)
    first = cell.paragraphs[0]
    for child in list(first._element):  # runs, links, check boxes: all that was typed
        if child.tag != qn("w:pPr"):
            first._element.remove(child)
    for i, text in enumerate(texts):
        paragraph = first if i == 0 else cell.add_paragraph()
        if bold_first_word and " " in text:
            head, tail = text.split(" ", 1)
            paragraph.add_run(head).bold = True
            paragraph.add_run(" " + tail)
        else:
            paragraph.add_run(text)


def _bullet_num_id(document: Document) -> str:
    """A bullet list definition in numbering.xml (added once)."""
    numbering = document.part.numbering_part.element
    for num in numbering.findall(qn("w:num")):
        if num.get(qn("w:numId")) == "9001":
            return "9001"
    abstract = numbering.makeelement(qn("w:abstractNum"), {qn("w:abstractNumId"): "9001"})
    level = abstract.makeelement(qn("w:lvl"), {qn("w:ilvl"): "0"})
    for tag, value in (("w:start", "1"), ("w:numFmt", "bullet"), ("w:lvlText", "•")):
        level.append(level.makeelement(qn(tag), {qn("w:val"): value}))
    abstract.append(level)
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num = numbering.makeelement(qn("w:num"), {qn("w:numId"): "9001"})
    num.append(num.makeelement(qn("w:abstractNumId"), {qn("w:val"): "9001"}))
    numbering.append(num)
    return "9001"


def add_bullets(document: Document, cell: _Cell, items: list[str]) -> None:
    num_id = _bullet_num_id(document)
    for text in items:
        paragraph = cell.add_paragraph()
        ppr = paragraph._element.get_or_add_pPr()
        numpr = ppr.makeelement(qn("w:numPr"), {})
        numpr.append(numpr.makeelement(qn("w:ilvl"), {qn("w:val"): "0"}))
        numpr.append(numpr.makeelement(qn("w:numId"), {qn("w:val"): num_id}))
        ppr.append(numpr)
        paragraph.add_run(text)


def tick(cell: _Cell, label: str, *, only: bool = True) -> None:
    """Tick the option `label` (☐ → ☒), and untick the others when `only`."""
    found = False
    for paragraph in cell.paragraphs:
        ticked = label in paragraph.text
        found |= ticked
        if not ticked and not only:
            continue
        for t in paragraph._element.iter(qn("w:t")):
            if t.text in ("☐", "☒"):
                t.text = "☒" if ticked else "☐"
        for checked in paragraph._element.iter(qn("w14:checked")):
            checked.set(qn("w14:val"), "1" if ticked else "0")
    if not found:
        raise LookupError(label)


def add_row(table: Table, texts: list[str]) -> None:
    """A new last row, as Tab in the last cell makes one, then typed into."""
    last = table.rows[-1]._tr
    new = copy.deepcopy(last)
    last.addnext(new)
    row = table.rows[-1]
    for cell, text in zip(row.cells, texts, strict=False):
        set_paragraphs(cell, [text])


def paragraph_after(document: Document, item: Paragraph | Table, text: str) -> None:
    """A paragraph typed between two tables, outside any answer."""
    new = copy.deepcopy(document.paragraphs[-1]._element)
    for child in list(new):
        if child.tag != qn("w:pPr"):
            new.remove(child)
    for ppr in new.findall(qn("w:pPr")):
        new.remove(ppr)
    item._element.addnext(new)
    Paragraph(new, document).add_run(text)


def delete(item: Paragraph) -> None:
    item._element.getparent().remove(item._element)
