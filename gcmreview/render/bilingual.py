"""The bilingual Word file: a review to translate, for translators without a CAT tool.

One table, one row per translation unit: its id (with the first characters of the
hash of the original it translates, and where it stands in the review), the
original, and the translation to write. The id and the original are in content
controls locked against editing, where Word honours them; LibreOffice drops the
controls when it saves, so rows are read back by their visible id, never by a
control's tag (docs/word.md). Codes show as tags the translator keeps: `{1}` and
`{/1}` around text (emphasis, a link's text), `{2/}` for what stands alone (a
footnote, an address, a list item, a new paragraph).

Written directly as WordprocessingML (no pandoc: the table, its locks and its
right-to-left cells are the whole document), deflated at a fixed date: the same
review gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile

from gcmreview.core.i18n import Formatter
from gcmreview.core.languages import direction
from gcmreview.core.segments import Pc, Ph, Segment
from gcmreview.model.translation import OutDocument, OutUnit

META_LINE = "gcmreview-translation {code} {source} {target} {version}"
"""The line that says, visibly, whose review this is and between which languages."""
HASH_CHARS = 12
"""The characters of an original's hash a row shows: enough to tell it changed."""

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.settings+xml"/></Types>')
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
_DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/settings" Target="settings.xml"/></Relationships>')
_SETTINGS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:settings xmlns:w="{_W}"><w:defaultTabStop w:val="720"/>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" '
    'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>')


def _styles() -> str:
    def style(kind: str, ident: str, name: str, props: str, run: str = "") -> str:
        return (f'<w:style w:type="{kind}" w:styleId="{ident}"><w:name w:val="{name}"/>'
                f"{props}<w:rPr>{run}</w:rPr></w:style>")

    fonts = '<w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial" w:eastAsia="Arial"/>'
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:styles xmlns:w="{_W}"><w:docDefaults><w:rPrDefault><w:rPr>{fonts}'
        '<w:sz w:val="20"/><w:szCs w:val="22"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>'
        '<w:spacing w:after="60"/></w:pPr></w:pPrDefault></w:docDefaults>'
        + style("paragraph", "Normal", "Normal", "")
        + style("paragraph", "Title", "Title", '<w:basedOn w:val="Normal"/>'
                '<w:pPr><w:spacing w:after="200"/></w:pPr>', '<w:b/><w:bCs/><w:sz w:val="32"/>'
                '<w:szCs w:val="32"/>')
        + style("paragraph", "TranslationNote", "Translation Note", '<w:basedOn w:val="Normal"/>',
                '<w:color w:val="595959"/><w:sz w:val="16"/><w:szCs w:val="18"/>')
        + style("character", "TranslationTag", "Translation Tag", "",
                '<w:color w:val="2F5496"/><w:shd w:val="clear" w:color="auto" w:fill="DEEAF6"/>')
        + style("table", "TranslationTable", "Translation Table",
                '<w:tblPr><w:tblBorders>'
                + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>'
                          for side in ("top", "left", "bottom", "right", "insideH",
                                       "insideV"))
                + '</w:tblBorders><w:tblCellMar><w:left w:w="80" w:type="dxa"/>'
                '<w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr>')
        + "</w:styles>")


def _escape(text: str) -> str:
    clean = "".join(c for c in text if c in "\t\n" or (ord(c) >= 0x20 and c not in "\ufffe\uffff"
                                                      and not 0xD800 <= ord(c) <= 0xDFFF))
    return clean.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _Paragraph:
    """Runs of one paragraph in one direction."""

    def __init__(self, lang: str, style: str = "") -> None:
        self.rtl = direction(lang) == "rtl"
        self.lang = lang
        self.style = style
        self.runs: list[str] = []

    def run(self, text: str, props: str = "") -> None:
        if not text:
            return
        rtl = "<w:rtl/>" if self.rtl else ""
        lang = f'<w:lang w:bidi="{self.lang}"/>' if self.rtl else f'<w:lang w:val="{self.lang}"/>'
        pieces = text.split("\n")
        body = []
        for i, piece in enumerate(pieces):
            if i:
                body.append("<w:br/>")
            if piece:
                body.append(f'<w:t xml:space="preserve">{_escape(piece)}</w:t>')
        self.runs.append(f"<w:r><w:rPr>{props}{rtl}{lang}</w:rPr>{''.join(body)}</w:r>")

    def tag(self, text: str) -> None:
        self.run(text, '<w:rStyle w:val="TranslationTag"/>')

    def xml(self) -> str:
        props = (f'<w:pStyle w:val="{self.style}"/>' if self.style else "") + \
            ("<w:bidi/>" if self.rtl else "")
        return f"<w:p><w:pPr>{props}</w:pPr>{''.join(self.runs)}</w:p>"


def _segment(paragraph: _Paragraph, pieces: Segment, *, source: bool) -> None:
    """Text and tags; in the original, a tag that starts a line is followed by a break, so
    the original reads as its paragraphs and list items."""
    for piece in pieces:
        if isinstance(piece, str):
            paragraph.run(piece)
        elif isinstance(piece, Ph):
            paragraph.tag(f"{{{piece.id}/}}")
            if source and piece.kind == "block" and "\n" in piece.data:
                paragraph.run("\n")
        elif isinstance(piece, Pc):
            paragraph.tag(f"{{{piece.id}}}")
            _segment(paragraph, piece.content, source=source)
            paragraph.tag(f"{{/{piece.id}}}")


def _locked(tag: str, paragraphs: list[_Paragraph]) -> str:
    """Paragraphs in a content control that cannot be edited nor deleted in Word."""
    return (f'<w:sdt><w:sdtPr><w:tag w:val="{tag}"/><w:lock w:val="sdtContentLocked"/>'
            f"</w:sdtPr><w:sdtContent>{''.join(p.xml() for p in paragraphs)}</w:sdtContent>"
            "</w:sdt>")


def _cell(width: int, content: str, shade: str = "") -> str:
    fill = f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>' if shade else ""
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{fill}</w:tcPr>{content}</w:tc>'


WIDTHS = (2400, 6050, 6050)
"""The id, the original and the translation, in twentieths of a point (landscape A4)."""


def _row(unit: OutUnit, source_lang: str, target_lang: str) -> str:
    ident = _Paragraph("en")
    ident.run(unit.name)
    mark = _Paragraph("en", "TranslationNote")
    mark.run(f"#{unit.source_hash[:HASH_CHARS]}")
    where = _Paragraph(target_lang, "TranslationNote")
    where.run(next((text for category, text in unit.notes if category == "location"), ""))
    original = _Paragraph(source_lang)
    _segment(original, unit.source, source=True)
    translation = _Paragraph(target_lang)
    if unit.target is not None:
        _segment(translation, unit.target, source=False)
    return ("<w:tr>"
            + _cell(WIDTHS[0], _locked("gcm-id", [ident, mark, where]), "F2F2F2")
            + _cell(WIDTHS[1], _locked("gcm-source", [original]), "F2F2F2")
            + _cell(WIDTHS[2], translation.xml())
            + "</w:tr>")


def bilingual_docx(doc: OutDocument, country: str) -> bytes:
    """The review as a bilingual table to fill in, a .docx."""
    assert doc.target_lang is not None
    source, target = doc.source_lang, doc.target_lang
    fmt = Formatter(target)
    t = fmt.gettext
    title = _Paragraph(target, "Title")
    title.run(t("{country}: translation of the voluntary review from {source} into "
                "{target}").format(country=country, source=fmt.language_name(source),
                                   target=fmt.language_name(target)))
    meta = _Paragraph("en", "TranslationNote")
    version = dict(doc.meta).get("format", "1")
    meta.run(META_LINE.format(code=doc.file_id, source=source, target=target, version=version))
    help_lines = [
        t("Write the translation of each row in the right-hand column. Keep the first two "
          "columns as they are: the first tells gcmreview which text each row translates."),
        t("Tags such as {1}, {/1} and {2/} stand for the original's layout (emphasis, links, "
          "footnotes, list items, new paragraphs): copy each one into the translation, where "
          "it belongs. Leave a row empty if you do not translate it."),
        t("Save the file as a Word document (.docx) and send it back."),
    ]
    notes = []
    for line in help_lines:
        paragraph = _Paragraph(target)
        paragraph.run(line)
        notes.append(paragraph.xml())
    header = "".join(
        _cell(width, _locked("gcm-header", [_head(text, lang)]), "D9D9D9")
        for width, (text, lang) in zip(WIDTHS, (
            ("ID", "en"),
            (t("Original ({language})").format(language=fmt.language_name(source)), target),
            (t("Translation ({language})").format(language=fmt.language_name(target)),
             target)), strict=True))
    rows = "".join(_row(unit, source, target) for unit in doc.units)
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in WIDTHS)
    body = (
        title.xml() + meta.xml() + "".join(notes)
        + '<w:tbl><w:tblPr><w:tblStyle w:val="TranslationTable"/>'
        f'<w:tblW w:w="{sum(WIDTHS)}" w:type="dxa"/><w:tblLayout w:type="fixed"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>"
        f'<w:tr><w:trPr><w:tblHeader/></w:trPr>{header}</w:tr>{rows}</w:tbl>'
        "<w:p/>"
        '<w:sectPr><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>'
        '<w:pgMar w:top="1000" w:right="1000" w:bottom="1000" w:left="1000" w:header="600" '
        'w:footer="600" w:gutter="0"/></w:sectPr>')
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<w:document xmlns:w="{_W}" xmlns:r="{_R}"><w:body>{body}</w:body>'
                "</w:document>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _RELS),
                           ("word/_rels/document.xml.rels", _DOCUMENT_RELS),
                           ("word/document.xml", document), ("word/styles.xml", _styles()),
                           ("word/settings.xml", _SETTINGS)):
            info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8"))
    return out.getvalue()


def _head(text: str, lang: str) -> _Paragraph:
    paragraph = _Paragraph(lang)
    paragraph.run(text, "<w:b/><w:bCs/>")
    return paragraph
