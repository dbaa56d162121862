"""finish_docx's edits of document.xml, found with str.find and made in one copy, give what
the regular expressions they replace gave, to the byte: on pieces of WordprocessingML put
together at random (well-formed or not) and on the cases written out here.

The regular expressions are kept here as the definition (gcmreview 0.x, fd7eee6).
"""

from __future__ import annotations

import random
import re
from xml.sax.saxutils import escape

import pytest

from gcmreview.convert import docx

# --- The definitions -------------------------------------------------------------------------

NUMBERED = re.compile(
    r'<w:bookmarkStart w:id="(\d+)" w:name="para-(\d+)" />\s*<w:p>(<w:pPr>.*?</w:pPr>)?(.*?)</w:p>'
    r'\s*<w:bookmarkEnd w:id="\1" />', re.DOTALL)
FIRST_RUN_PROPERTIES = re.compile(r"<w:r>(?:<w:rPr>(.*?)</w:rPr>)?")
INHERITED = re.compile(r"<w:(?:lang|rtl)\b[^>]*/>")


def numbered_paragraphs(document: str, number: str) -> str:
    def paragraph(match: re.Match[str]) -> str:
        ident, n, properties, body = match.groups()
        if "</w:p>" in body:
            return match.group(0)
        first = FIRST_RUN_PROPERTIES.search(body)
        inherited = "".join(INHERITED.findall(first.group(1) or "")) if first else ""
        rpr = f"<w:rPr>{inherited}</w:rPr>" if inherited else ""
        label = escape(number.replace("{number}", n))
        leads = re.match(r"\s*<w:tbl>", document[match.end():]) and len("".join(
            re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", body))) <= docx.TABLE_LEAD_CHARS
        # Kept with the attribution after it, the table it leads, or the heading after it.
        body_at = (match.start(4), match.end(4))
        if docx.attribution_at(document, match.end()) or leads or docx._between_headings(
                document, match.start(), match.end(), body_at):
            inner = properties[len("<w:pPr>"):-len("</w:pPr>")] if properties else ""
            properties = "<w:pPr>" + docx._with(inner, docx.PPR_ORDER,
                                                {"keepNext": "<w:keepNext />"}) + "</w:pPr>"
        return (f'<w:p>{properties or ""}<w:bookmarkStart w:id="{ident}" w:name="para-{n}" />'
                f'<w:r>{rpr}<w:t xml:space="preserve">{label}</w:t></w:r>'
                f'<w:bookmarkEnd w:id="{ident}" />'
                f'<w:r>{rpr}<w:t xml:space="preserve"> </w:t></w:r>{body}</w:p>')

    return NUMBERED.sub(paragraph, document)


TABLE = re.compile(r"<w:tbl>.*?</w:tbl>", re.DOTALL)
CELL_JC = re.compile(r'<w:jc w:val="(left|right)" />')
MIRRORED = {"left": "right", "right": "left"}
LETTER_SPACING = re.compile(r'<w:spacing w:val="-?\d+"\s*/>')


def rtl_document(text: str) -> str:
    text = re.sub(r"(<w:tblPr>(?:<w:tblStyle [^>]*/>)?)", r"\1<w:bidiVisual />", text)
    text = TABLE.sub(lambda table: CELL_JC.sub(
        lambda jc: f'<w:jc w:val="{MIRRORED[jc.group(1)]}" />', table.group(0)), text)
    text = re.sub(r'(<w:pStyle w:val="(?:Title|Subtitle|Author|Date)" />)(?!<w:bidi)',
                  r"\1<w:bidi />", text)
    text = re.sub(r"<w:b />(?!<w:bCs)", "<w:b /><w:bCs />", text)
    text = re.sub(r"<w:iCs\s*/>", "", text)
    text = LETTER_SPACING.sub("", text)
    last = text.rfind("<w:sectPr")  # the section right to left (w:bidi in its order)
    section = re.compile(r"<w:sectPr\b[^>]*>(.*?)</w:sectPr>", re.DOTALL).search(
        text, max(last, 0))
    if section is not None:
        inner = docx._with(section.group(1), docx.SECTPR_ORDER, {"bidi": "<w:bidi />"})
        text = text[:section.start(1)] + inner + text[section.end(1):]
    return latin_runs(text)


RTL_RUN = re.compile(r"<w:r>(<w:rPr>(?:(?!</w:rPr>).)*?)<w:rtl />((?:(?!</w:r>).)*?)</w:r>",
                     re.DOTALL)
RTL_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f]")


def latin_runs(text: str) -> str:
    def run(match: re.Match[str]) -> str:
        words = "".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", match.group(2)))
        if RTL_LETTER.search(words) or not LATIN_LETTER.search(words):
            return match.group(0)
        props = match.group(1)
        props = "" if props == "<w:rPr>" and match.group(2).startswith("</w:rPr>") else props
        rest = match.group(2)[len("</w:rPr>"):] if not props else match.group(2)
        return f"<w:r>{props}{rest}</w:r>"

    return RTL_RUN.sub(run, text)


# --- Documents -------------------------------------------------------------------------------

PIECES = (
    "<w:r>", "<w:r><w:rPr>", "<w:rPr>", "</w:rPr>", "<w:rtl />", "</w:r>", "<w:t>", "</w:t>",
    '<w:t xml:space="preserve">', "CESAO", "abc", "عربي", "12", " ", "\n  ", "<w:b />",
    "<w:bCs />", "<w:i />", "<w:iCs />", '<w:spacing w:val="-5" />', '<w:spacing w:val="10"/>',
    '<w:spacing w:before="120" />', "<w:tbl>", "</w:tbl>", "<w:tblPr>", "</w:tblPr>",
    '<w:tblStyle w:val="Table" />', '<w:jc w:val="left" />', '<w:jc w:val="right" />',
    '<w:jc w:val="center" />', '<w:pStyle w:val="Title" />', '<w:pStyle w:val="Date" />',
    '<w:pStyle w:val="Compact" />', "<w:bidi />", "<w:p>", "</w:p>", "<w:pPr>", "</w:pPr>",
    '<w:bookmarkStart w:id="1" w:name="para-3" />', '<w:bookmarkEnd w:id="1" />',
    '<w:bookmarkStart w:id="2" w:name="para-4" />', '<w:bookmarkEnd w:id="2" />',
    '<w:bookmarkStart w:id="3" w:name="objective-1" />', '<w:bookmarkEnd w:id="3" />',
    '<w:lang w:val="ar-SA" />', "<w:tab />", "<w:tc>", "</w:tc>", "<w:tr>", "</w:tr>",
    '<w:rStyle w:val="Hyperlink" />', "&amp;", "É", "<w:br />",
)


def run(rng: random.Random) -> str:
    props = rng.sample(["<w:b />", "<w:i />", '<w:spacing w:val="-5" />', "<w:rtl />",
                        '<w:lang w:bidi="ar-SA" />', "<w:bCs />", '<w:rStyle w:val="X" />'],
                       rng.randint(0, 4))
    text = rng.choice(["CESAO", "عربي", "12", " ", "ONU عربي", "É", "", "a&amp;b"])
    rpr = f"<w:rPr>{''.join(props)}</w:rPr>" if props or rng.random() < 0.2 else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'


def paragraph(rng: random.Random, ident: int) -> str:
    style = rng.choice(["Title", "Compact", "BodyText", "Date"])
    ppr = f'<w:pPr><w:pStyle w:val="{style}" />{rng.choice(["", "<w:bidi />"])}</w:pPr>' \
        if rng.random() < 0.8 else ""
    body = f"<w:p>{ppr}{''.join(run(rng) for _ in range(rng.randint(0, 4)))}</w:p>"
    if rng.random() < 0.5:
        space = rng.choice(["", "\n", "  "])
        return (f'<w:bookmarkStart w:id="{ident}" w:name="para-{ident + 1}" />{space}{body}'
                f'{space}<w:bookmarkEnd w:id="{ident}" />')
    return body


def table(rng: random.Random) -> str:
    rows = "".join(
        "<w:tr>" + "".join(
            f'<w:tc><w:tcPr /><w:p><w:pPr><w:jc w:val="{rng.choice(["left", "right"])}" />'
            f"</w:pPr>{run(rng)}</w:p></w:tc>" for _ in range(2)) + "</w:tr>"
        for _ in range(rng.randint(1, 3)))
    return f'<w:tbl><w:tblPr><w:tblStyle w:val="Table" /></w:tblPr>{rows}</w:tbl>'


def documents(count: int) -> list[str]:
    """Half well-formed, half pieces in any order (which the regular expressions still
    read in their way)."""
    rng = random.Random(16)
    found = []
    for n in range(count):
        if n % 2:
            found.append("".join(rng.choice(PIECES) for _ in range(rng.randint(0, 80))))
        else:
            found.append("<w:body>" + "".join(
                table(rng) if rng.random() < 0.2 else paragraph(rng, k)
                for k in range(rng.randint(0, 12))) + "</w:body>")
    return found


DOCUMENTS = documents(3000)


# --- Tests -----------------------------------------------------------------------------------

def test_latin_runs() -> None:
    for document in DOCUMENTS:
        assert docx._latin_runs(document) == latin_runs(document), document


def test_rtl_document() -> None:
    for document in DOCUMENTS:
        assert docx._rtl_document(document) == rtl_document(document), document


@pytest.mark.parametrize("number", ["{number}.", "{number}.\u00a0", "<{number}>"])
def test_numbered_paragraphs(number: str) -> None:
    for document in DOCUMENTS:
        assert docx._numbered_paragraphs(document, number) == \
            numbered_paragraphs(document, number), document


@pytest.mark.parametrize("document", [
    # the direction was the run's only property: its properties go
    '<w:r><w:rPr><w:rtl /></w:rPr><w:t>CESAO</w:t></w:r>',
    # a run in a run's properties (not WordprocessingML): the outer one is matched
    '<w:r><w:rPr><w:r><w:rPr><w:rtl /></w:rPr><w:t>A</w:t></w:r>',
    # a direction after the properties: not a right-to-left run
    '<w:r><w:rPr><w:b /></w:rPr><w:t>x</w:t><w:rtl /></w:r><w:r><w:rPr><w:rtl /></w:rPr>'
    '<w:t>B</w:t></w:r>',
    # no end: nothing changes
    '<w:r><w:rPr><w:rtl /></w:rPr><w:t>CESAO</w:t>',
    '<w:r><w:rPr><w:rtl /><w:rtl /></w:rPr><w:t>CESAO</w:t></w:r><w:r><w:rPr><w:rtl />'
    '</w:rPr><w:t>عربي CESAO</w:t></w:r>',
])
def test_latin_runs_cases(document: str) -> None:
    assert docx._latin_runs(document) == latin_runs(document)


PARAGRAPH = '<w:p><w:pPr><w:pStyle w:val="X" /></w:pPr><w:r><w:rPr><w:lang w:val="ar" /><w:rtl />' \
    '</w:rPr><w:t>c</w:t></w:r></w:p>'


@pytest.mark.parametrize("document", [
    # two paragraphs in the bookmark: not a numbered paragraph, and the next one after it is
    f'<w:bookmarkStart w:id="1" w:name="para-1" /><w:p /><w:p><w:r><w:t>b</w:t></w:r></w:p>'
    f'{PARAGRAPH}<w:bookmarkEnd w:id="1" /><w:bookmarkStart w:id="2" w:name="para-2" />'
    f'{PARAGRAPH}\n<w:bookmarkEnd w:id="2" />',
    # the end of another bookmark first
    f'<w:bookmarkStart w:id="1" w:name="para-1" />{PARAGRAPH}<w:bookmarkEnd w:id="9" />'
    f'{PARAGRAPH}<w:bookmarkEnd w:id="1" />',
    # properties never closed
    '<w:bookmarkStart w:id="1" w:name="para-1" /><w:p><w:pPr><w:r><w:t>x</w:t></w:r></w:p>'
    '<w:bookmarkEnd w:id="1" />',
    # a name that is not a bookmark's
    '<w:t>w:name="para-1" /></w:t><w:bookmarkStart w:id="1" w:name="para-1" />'
    f'{PARAGRAPH}<w:bookmarkEnd w:id="1" />',
])
def test_numbered_paragraphs_cases(document: str) -> None:
    assert docx._numbered_paragraphs(document, "{number}.") == \
        numbered_paragraphs(document, "{number}.")


# --- The document in one copy ----------------------------------------------------------------

def old_lay_out_tables(document: str, styles: str, rtl: bool) -> str:
    page = docx._Geometry.of(document, styles, rtl)
    spans = list(docx._spans(document, "tbl"))
    laid_out = docx._replaced(document, iter(spans),
                              [docx._lay_out_table(document[a:b], page) for a, b in spans])
    return re.sub(r"</w:tbl>(\s*)(?=<w:tbl>)", rf"</w:tbl>\1{docx.SPACER}", laid_out)


def in_turn(document: str, styles: str, job: docx.DocxFinish) -> str:
    text = numbered_paragraphs(docx._continuous_notes(docx._introductions_kept(document)),
                               job.number)
    return docx._masthead_first(docx._title_page(old_lay_out_tables(text, styles, job.rtl)))


SECTION = ('<w:sectPr><w:footnotePr>\n  <w:numRestart w:val="eachSect" />\n</w:footnotePr>'
           '<w:pgSz w:h="16838" w:w="11906" /><w:pgMar w:bottom="1134" w:left="1134" '
           'w:right="1134" w:top="1134" /></w:sectPr>')


def report_table(rng: random.Random, ident: int) -> str:
    columns = rng.randint(1, 9)
    words = ["Yes", "In progress", "Data", "●", "Minimize adverse drivers of migration",
             "12", "عربي", " ".join(["word"] * rng.randint(1, 60))]

    def cell(inner: str = "") -> str:
        text = inner or f'<w:r><w:t xml:space="preserve">{rng.choice(words)}</w:t></w:r>'
        return (f'<w:tc><w:tcPr /><w:p><w:pPr><w:pStyle w:val="Compact" /></w:pPr>{text}'
                "</w:p></w:tc>")

    rows = []
    for n in range(rng.randint(1, 20)):
        header = "<w:trPr><w:tblHeader /></w:trPr>" if n == 0 and rng.random() < 0.7 else ""
        cells = [cell() for _ in range(columns)]
        if rng.random() < 0.03:  # a numbered paragraph in a cell
            cells[0] = (f'<w:tc><w:tcPr /><w:bookmarkStart w:id="{ident}" w:name="para-9" />'
                        f'<w:p><w:r><w:t>x</w:t></w:r></w:p><w:bookmarkEnd w:id="{ident}" />'
                        "</w:tc>")
        if rng.random() < 0.02:  # a table in a table
            cells[-1] = cell("") .replace("</w:tc>", report_table(rng, ident + 1) + "</w:tc>")
        rows.append(f"<w:tr>{header}{''.join(cells)}</w:tr>")
    grid = '<w:gridCol w:w="1584" />' * columns
    return (f'<w:tbl><w:tblPr><w:tblStyle w:val="Table" /><w:tblW w:type="auto" w:w="0" />'
            f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>")


def report(rng: random.Random) -> str:
    parts = []
    for k in range(rng.randint(0, 14)):
        choice = rng.random()
        if choice < 0.3:
            parts.append(report_table(rng, 100 + k))
        elif choice < 0.35:
            parts.append(rng.choice(["\n", "", "  "]))
        elif choice < 0.4:
            parts.append('<w:p><w:pPr><w:pStyle w:val="Masthead" /></w:pPr><w:r><w:t>A/1'
                         "</w:t></w:r></w:p>")
        elif choice < 0.43:
            parts.append(f"<w:p><w:pPr>{SECTION}</w:pPr></w:p>")  # a section break
        elif choice < 0.45:
            parts.append(rng.choice(["</w:tbl>", "<w:tbl>", "<w:sectPr>"]))  # not well-formed
        else:
            parts.append(paragraph(rng, k))
    return ('<w:document><w:body><w:p><w:pPr><w:pStyle w:val="Title" /></w:pPr></w:p>'
            + "".join(parts) + (SECTION if rng.random() < 0.95 else "") + "</w:body></w:document>")


REPORTS = [report(random.Random(n)) for n in range(600)]


@pytest.mark.parametrize("rtl", [False, True])
def test_report_document(rtl: bool) -> None:
    job = docx.DocxFinish(rtl, "", "", None, number="{number}.")
    for document in REPORTS:
        assert docx._report_document(document, "", job) == in_turn(document, "", job), document


def test_lay_out_tables() -> None:
    for document in REPORTS:
        assert docx.lay_out_tables(document, "", False) == old_lay_out_tables(document, "", False)
