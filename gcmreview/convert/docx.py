"""What pandoc's DOCX writer leaves out, put into the file after it wrote it.

Right-to-left tables and cover paragraphs, complex-script bold and italic, the
header and footer texts of the reference document, and fixed timestamps and
ZIP entry dates so that the same input gives the same bytes. For the Word form:
clickable check boxes around its ☐/☒ characters and shaded label cells.
"""

from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class DocxFinish:
    rtl: bool
    header: str
    footer: str
    date_iso: str | None
    form: bool = False


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


def _form(text: str) -> str:
    if "xmlns:w14=" not in text:
        text = text.replace("<w:document ", f'<w:document xmlns:w14="{W14}" xmlns:mc="{MC}" '
                            'mc:Ignorable="w14" ', 1)
    text = _CHECKBOX_RUN.sub(_checkbox, text)
    # Label cells: shaded, so the answer column is the obvious place to write.
    return re.sub(r'<w:tc><w:tcPr />(?=<w:p><w:pPr><w:pStyle w:val="FormLabel" />)',
                  f'<w:tc><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{LABEL_FILL}" />'
                  '</w:tcPr>', text)


def finish_docx(path: Path, job: DocxFinish) -> None:
    """What pandoc leaves out: RTL tables, complex-script bold, header text, stable bytes."""
    with zipfile.ZipFile(path) as archive:
        entries = [(info.filename, archive.read(info)) for info in archive.infolist()]
    fixed = []
    for name, data in entries:
        text: str | None = None
        if name == "word/document.xml" and job.form:
            text = _form(data.decode())
        if name == "word/document.xml" and job.rtl:
            text = text or data.decode()
            # Tables read right to left (pandoc never sets w:bidiVisual, jgm/pandoc#7695).
            text = re.sub(r"(<w:tblPr>(?:<w:tblStyle [^>]*/>)?)", r"\1<w:bidiVisual />", text)
            # The cover paragraphs pandoc makes from metadata are not marked RTL.
            text = re.sub(r'(<w:pStyle w:val="(?:Title|Subtitle|Author|Date)" />)(?!<w:bidi)',
                          r"\1<w:bidi />", text)
            # Bold and italic must be set for complex scripts too (jgm/pandoc#6911);
            # pandoc 3.9 already does it in most runs, so only fill the gaps.
            text = re.sub(r"<w:b />(?!<w:bCs)", "<w:b /><w:bCs />", text)
            text = re.sub(r"<w:i />(?!<w:iCs)", "<w:i /><w:iCs />", text)
        elif re.fullmatch(r"word/(header|footer)\d*\.xml", name):
            text = data.decode()
            text = text.replace("GCMREVIEW_HEADER_TEXT", escape(job.header))
            text = text.replace("GCMREVIEW_FOOTER_TEXT", escape(job.footer))
            if job.rtl:
                # w:bidi goes after w:pStyle (schema order).
                text = re.sub(r"(<w:pPr>(?:<w:pStyle [^>]*/>)?)", r"\1<w:bidi />", text)
        elif name == "docProps/core.xml":
            stamp = f"{job.date_iso or '2000-01-01'}T00:00:00Z"
            text = re.sub(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rf"\g<1>{stamp}",
                          data.decode())
        fixed.append((name, text.encode() if text is not None else data))
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w") as archive:
        for name, data in fixed:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    os.replace(tmp, path)
