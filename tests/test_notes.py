"""The apparatus of the reports, as a UN editor reads it (issue 17): numbered paragraphs,
sources as footnotes with locators in the report's language, dates as the United Nations
write them, and the typography of each language, in HTML, DOCX and PDF.

Real builds of the example's Morocco and of three reviews written for these tests (a
French one full of punctuation, an Arabic one typed with Latin punctuation, an English
one shown in French), opened as readers open them: the HTML parsed, the DOCX's XML, the
PDF's text through poppler's pdftotext.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from gcmreview.core.citations import Locator, parse, write
from gcmreview.core.i18n import Formatter, typeset

from .conftest import ROOT, copy_workspace
from .test_build import W, build_ok, docx_parts, html, paragraph_text

NBSP = "\u00a0"
BIDI_MARKS = str.maketrans("", "", "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

TN = """country: TN
review: {cycle: 2020, language: fr, status: draft, date: "2020-08-01"}
objectives:
  1:
    status: planned
    summary: |
      L'examen national : une étape ; est-ce utile ? Oui ! « Migrations » compte.

      Rendez-vous à 12:30, voir https://example.org/a?b=1:2 et `a:b; c'd`.
    sources:
      - {source: atelier, locator: "paragraphe 4"}
      - {source: etude, locator: "pp. 10-12"}
      - {source: atelier, locator: "para. 3"}
      - {source: etude, locator: "annexe II"}
    measures:
      - title: "Plan d'action [faux]{.note} ::: {.notes}"
        description: "Une mesure d'appui, décrite dans une liste."
  2:
    status: planned
    summary: "## Titre d'une partie\\n\\nUn paragraphe d'ici.\\n\\n<span id=\\"para-99\\" \\
      class=\\"para-number\\">99.</span> Faux numéro."
  3:
    status: planned
    summary: "Le \\"plan\\" d'action : oui !"
  4:
    status: planned
    summary: "Une ligne\\n; puis «\\nguillemets ». Fin"
sources:
  - {id: atelier, title: "Rapport de l'atelier (CESAO, OIM)", date: "2020-08-01"}
  - {id: etude, title: "Étude nationale", date: "2019"}
"""

LB = """country: LB
review: {cycle: 2020, language: ar, status: draft, date: "2020-08-13"}
objectives:
  3:
    status: planned
    summary: >-
      تعمل الحكومة, مع الشركاء; على الإصلاح. هل تحقق ذلك? نعم, بالتأكيد. Latin, text? stays.
    sources: [{source: taqrir, locator: "الفقرة 5"}]
sources:
  - {id: taqrir, title: "تقرير الحلقة", date: "2020-08-13"}
"""

KM = """country: KM
review: {cycle: 2020, language: en, status: draft}
objectives:
  4:
    status: planned
    summary: "The Ministry's plan: phase one; is it done? Yes! A 'whole-of-society' aim."
    measures: [{title: "Ministry's plan: phase 1"}]
"""

LB_SUMMARY = ("تعمل الحكومة, مع الشركاء; على الإصلاح. هل تحقق ذلك? نعم, بالتأكيد. "
              "Latin, text? stays.")


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = copy_workspace(tmp_path_factory.mktemp("apparatus") / "ws", ("MA",))
    for code, text in (("TN", TN), ("LB", LB), ("KM", KM)):
        (ws / "countries" / f"{code}.yaml").write_text(text, encoding="utf-8")
    config = ws / "gcmreview.yaml"  # a title as typed, set as French sets it
    config.write_text(raw(config).replace(
        "fr: Examen régional du Pacte mondial sur les migrations dans la région arabe",
        "fr: \"Examen régional : la région d'essai\""), encoding="utf-8")
    return ws


@pytest.fixture(scope="module")
def fr(ws: Path) -> Path:
    """Every State and the regional report in French, every format."""
    return build_ok(ws, "fr", "-c", "MA", "-c", "TN", "-c", "LB", "-c", "KM", "--region",
                    "--lang", "fr", "-f", "html,docx,pdf,md")


@pytest.fixture(scope="module")
def en(ws: Path) -> Path:
    return build_ok(ws, "en", "-c", "MA", "-c", "TN", "--region", "--lang", "en",
                    "-f", "html,docx,pdf")


@pytest.fixture(scope="module")
def ar(ws: Path) -> Path:
    return build_ok(ws, "ar", "-c", "MA", "-c", "TN", "-c", "LB", "--region", "--lang", "ar",
                    "-f", "html,docx,pdf")


def raw(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def words(text: str) -> str:
    """Whitespace of any kind (no-break spaces too) as one space: for comparing formats."""
    return " ".join(text.split())


def pdftotext(path: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, text=True,
                          check=True, encoding="utf-8").stdout


def docx_paragraphs(path: Path, part: str = "word/document.xml") -> list[str]:
    root = ET.fromstring(docx_parts(path)[part])
    return [paragraph_text(p) for p in root.iter(W + "p")]


def numbered_html(path: Path) -> dict[int, str]:
    """Paragraph number -> the paragraph's text, from the ids of the HTML's paragraphs."""
    found = {}
    for p in html(path).find_all("p"):
        ident = p.get("id") or ""
        if ident.startswith("para-"):
            found[int(ident.removeprefix("para-"))] = words(p.raw_text())
    return found


# --- 1. Numbered paragraphs -------------------------------------------------------------


def test_narrative_paragraphs_are_numbered_in_order(fr: Path) -> None:
    numbered = numbered_html(fr / "MA.fr.html")
    assert list(numbered) == list(range(1, 13))  # MA's twelve narrative paragraphs
    assert numbered[1].startswith("1. Le Maroc suit une approche")
    assert numbered[3].startswith("3. Le Maroc compte la garantie")
    # Headings, tables and list items are not numbered.
    page = html(fr / "MA.fr.html")
    for tag in ("h1", "h2", "h3", "td", "li"):
        assert not [n for n in page.find_all(tag) if re.match(r"\d+\. ", n.text())], tag
    # Nor a heading written in a narrative (a bold line), a narrative inside a list, or
    # a number a narrative types itself.
    tn = numbered_html(fr / "TN.fr.html")  # objective 2 (round table 1) comes first
    assert [text.split(" ", 1)[1][:22] for text in tn.values()] == [
        "Un paragraphe d’ici.", '<span id="para-99" cla', "Une ligne ; puis « gui",
        "L’examen national : un", "Rendez-vous à 12:30, v", "Le \"plan\" d’action : o"]
    assert "Une mesure d’appui" in html(fr / "TN.fr.html").by_id("objective-1").raw_text()
    assert not [n for n in html(fr / "TN.fr.html").iter() if n.get("id") == "para-99"]


def test_numbers_are_the_same_in_every_format(fr: Path, ar: Path) -> None:
    for folder, name, mark in ((fr, "MA.fr", "."), (ar, "MA.ar", " -")):
        numbered = numbered_html(folder / f"{name}.html")
        assert numbered
        docx = [words(p) for p in docx_paragraphs(folder / f"{name}.docx")]
        pdf = words(pdftotext(folder / f"{name}.pdf"))
        at = 0
        for n, text in numbered.items():
            start = " ".join(text.split()[:6])
            assert start.startswith(f"{n}{mark} "), start
            assert any(p.startswith(start) for p in docx), (name, start)
            # In the PDF too, in the same order. A French paragraph of the Arabic report has
            # its number set apart, on the right: pdftotext reads it after the first line.
            if name == "MA.fr":
                at = pdf.index(start, at) + len(start)
                continue
            number, body = f"{n}{mark}", start[len(f"{n}{mark} "):]
            found = pdf.index(body, at)
            around = pdf[max(0, found - len(number) - 1):found + len(text) + 50]
            assert number in around or re.search(rf"- ?{n}(?!\d)", around), (name, start)
            at = found + len(body)


def test_a_narrative_has_its_number_in_each_document(fr: Path) -> None:
    """Numbers are set on each document: the narrative cache, shared by the country and
    the regional report of one build, holds none."""
    summary = "Le Maroc s’est engagé à mettre en œuvre des politiques"  # objective 23
    country = [n for n, t in numbered_html(fr / "MA.fr.html").items() if summary in t]
    regional = [n for n, t in numbered_html(fr / "regional.fr.html").items() if summary in t]
    assert country == [6] and len(regional) == 1 and regional[0] > 6
    # The quotation's attribution is not a numbered paragraph: the State's words are.
    assert not re.search(r'<p id="para-\d+"><span class="para-number">\d+\.</span> <em>—',
                         raw(fr / "regional.fr.html"))


def test_numbered_paragraphs_can_be_linked(fr: Path) -> None:
    source = raw(fr / "MA.fr.html")
    assert source.count('<p id="para-') == 12
    assert '<p id="para-7"><span class="para-number">7.</span> Le Maroc, qui a' in source
    # In the DOCX, a bookmark of the same name.
    assert b'w:name="para-7"' in docx_parts(fr / "MA.fr.docx")["word/document.xml"]


# --- 2. Sources as footnotes ------------------------------------------------------------


NOTES = {"fr": ("Notes", "Ibid., par. 6 et 10."), "en": ("Notes", "Ibid., paras. 6 and 10."),
         "ar": ("الحواشي", "المرجع نفسه، الفقرتان 6 و10.")}
"""The notes' heading, and the note of MA's policy section (para. 6 and para. 10): the
source of the note before it, the methodology's, alone (UN style: "Ibid.")."""
FIRST = {"fr": "Rapport du deuxième atelier de renforcement des capacités sur l’examen "
               "régional du Pacte mondial pour des migrations sûres, ordonnées et régulières "
               "(CESAO, OIM, LEA), 13 août 2020, par. 6.",
         "en": "Rapport du deuxième atelier de renforcement des capacités sur l’examen "
               "régional du Pacte mondial pour des migrations sûres, ordonnées et régulières "
               "(CESAO, OIM, LEA), 13 August 2020, para. 6."}
"""MA's first note: its source named, in the review's language, dated in the report's."""


@pytest.mark.parametrize("lang", ["fr", "en", "ar"])
def test_notes_in_html_have_back_links(fr: Path, en: Path, ar: Path, lang: str) -> None:
    path = {"fr": fr, "en": en, "ar": ar}[lang] / f"MA.{lang}.html"
    page = html(path)
    notes = page.by_id("footnotes")
    assert notes.find_all("h1")[0].text() == NOTES[lang][0]
    items = notes.find_all("li")
    assert len(items) == 12  # one per place citing a source
    texts = [words(li.raw_text()).removesuffix("↩︎").strip() for li in items]
    assert NOTES[lang][1] in texts
    if lang in FIRST:
        assert words(texts[0]) == words(FIRST[lang])
    assert not [t for t in texts if t.startswith("[")]  # no "[1], para. 6": UN style
    for li in items:  # each note links back to where it is called, and is called
        back = [a for a in li.find_all("a") if a.get("class") == "footnote-back"]
        assert len(back) == 1
        ref = page.by_id(back[0].get("href").removeprefix("#"))
        assert ref.get("href") == f"#{li.get('id')}"
    # The call ends a numbered paragraph of the narrative it documents.
    policy = page.by_id("policy-environment")
    assert [a.get("class") for p in policy.find_all("p") if (p.get("id") or "").startswith(
        "para-") for a in p.find_all("a")] == ["footnote-ref"]


@pytest.mark.parametrize("lang", ["fr", "en", "ar"])
def test_notes_in_docx_are_word_footnotes(fr: Path, en: Path, ar: Path, lang: str) -> None:
    path = {"fr": fr, "en": en, "ar": ar}[lang] / f"MA.{lang}.docx"
    parts = docx_parts(path)
    notes = ET.fromstring(parts["word/footnotes.xml"])
    texts = {n.get(W + "id"): words("".join(paragraph_text(p) for p in n.iter(W + "p")))
             for n in notes.iter(W + "footnote") if n.get(W + "type") is None}
    assert len(texts) == 12 and NOTES[lang][1] in texts.values()
    body = ET.fromstring(parts["word/document.xml"])
    called = [r.get(W + "id") for r in body.iter(W + "footnoteReference")]
    assert sorted(called) == sorted(texts)
    # Numbered 1 to 12 through the document, in every reader (not again at each heading).
    assert b'<w:numRestart w:val="continuous" />' in parts["word/document.xml"]
    # An Arabic note is set right to left, though it hangs on a French paragraph.
    bidi = [n.find(f"{W}p/{W}pPr/{W}bidi") is not None for n in notes.iter(W + "footnote")
            if n.get(W + "type") is None]
    assert all(bidi) if lang == "ar" else not any(bidi)


@pytest.mark.parametrize("lang", ["fr", "en", "ar"])
def test_notes_in_pdf_are_at_the_foot_of_the_page(fr: Path, en: Path, ar: Path,
                                                  lang: str) -> None:
    path = {"fr": fr, "en": en, "ar": ar}[lang] / f"MA.{lang}.pdf"
    pages = pdftotext(path).split("\f")
    policy = "La situation géographique du Maroc"
    (page,) = [p for p in pages if policy in p]
    note = NOTES[lang][1]
    if lang == "ar":  # pdftotext gives the right-to-left note with its marks: its words
        lines = [words(line.translate(str.maketrans("", "", "\u202a\u202b\u202c\u202e")))
                 for line in page.splitlines()]
        # (pdftotext joins "و" to the 10 or to the 6, as the glyphs fall: both read it.)
        assert any("الفقرتان" in line and any("10" in word for word in line.split())
                   for line in lines[-6:]), lines[-6:]
        return
    lines = [words(line) for line in page.splitlines() if line.strip()]
    # Below the paragraph, among the last lines of the page (before its running footer).
    assert any(line.endswith(note) for line in lines[-6:]), lines[-6:]
    assert max(i for i, line in enumerate(lines) if line.endswith(note)) > \
        max(i for i, line in enumerate(lines) if policy in line)


def test_one_note_per_place_each_source_once(fr: Path, en: Path, ar: Path) -> None:
    """TN's objective 1 cites two sources twice each: one note, the sources in their
    order, the paragraph locators merged, the pages re-expressed, the rest as written."""
    expected = {  # a note citing two sources names both (no "Ibid." for two)
        (fr, "fr"): "Rapport de l’atelier (CESAO, OIM), 1er août 2020, par. 3 et 4 ; Étude "
                    "nationale, 2019, p. 10 à 12, annexe II.",  # a French ;
        (en, "en"): "Rapport de l’atelier (CESAO, OIM), 1 August 2020, paras. 3 and 4; Étude "
                    "nationale, 2019, pp. 10–12, annexe II.",
        (ar, "ar"): "\u2066Rapport de l’atelier (CESAO, OIM)\u2069، 1 آب/\u2060أغسطس 2020، "
                    "الفقرتان 3 و4؛ \u2066Étude nationale\u2069، 2019، الصفحات من 10 إلى 12، "
                    "\u2066annexe II\u2069.",
    }
    for (folder, lang), note in expected.items():
        page = html(folder / f"TN.{lang}.html")
        texts = [words(li.raw_text()).removesuffix("↩︎").strip()
                 for li in page.by_id("footnotes").find_all("li")]
        assert note in texts, texts
    # Data cannot make a note: the measure's title shows its brackets.
    assert "Plan d’action [faux]{.note} ::: {.notes}" in words(
        html(fr / "TN.fr.html").by_id("objective-1").raw_text())


def test_regional_quotes_cite_in_footnotes(fr: Path) -> None:
    md = raw(fr / "regional.fr.md")
    assert "([1]" not in md.replace("\\", "") and "(\\[1\\]" not in md
    calls = re.findall(r"\*— Maroc\*\[\^(\d+)\]", md)  # MA's objectives 5, 10...
    notes = [re.search(rf"^\[\^{n}\]: (.*)$", md, re.M).group(1) for n in calls]
    # The first note names the source; the next ones, of the same source, say "Ibid.".
    assert notes[0].startswith("Rapport du deuxième atelier")
    assert "13\u00a0août\u00a02020" in notes[0]
    assert "Ibid., par.\u00a010 et 11." in notes  # "par." and its number on one line
    cited = "Ibid., par. 10 et 11."  # raw_docx_text splits at every space, no-break ones too
    assert cited in raw_docx_text(fr / "regional.fr.docx", "word/footnotes.xml")
    assert cited in words(pdftotext(fr / "regional.fr.pdf"))


def raw_docx_text(path: Path, part: str) -> str:
    return words(" ".join(docx_paragraphs(path, part)))


def test_source_list_stays_at_the_end(fr: Path) -> None:
    section = html(fr / "TN.fr.html").by_id("sources")
    items = [words(li.raw_text()) for li in section.find_all("li")]
    # No doubled parentheses: the date follows the title after a comma.
    assert items == ["Rapport de l’atelier (CESAO, OIM), 1er août 2020",
                     "Étude nationale, 2019"]


# --- 3. Dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "iso", "expected"), [
    ("en", "2020-08-13", "13 August 2020"), ("en", "2020-08-01", "1 August 2020"),
    ("en", "2020-08", "August 2020"), ("fr", "2020-08-13", "13 août 2020"),
    ("fr", "2020-08-01", "1er août 2020"), ("fr", "2021-12", "décembre 2021"),
    ("ar", "2020-08-13", "13 آب/أغسطس 2020"), ("ar", "2020-12-31", "31 كانون الأول/ديسمبر 2020"),
    ("en", "2019", "2019"),
])
def test_dates_as_the_un_writes_them(lang: str, iso: str, expected: str) -> None:
    written = Formatter(lang).date(iso)
    # On one line: no-break spaces, and a word joiner after an Arabic month's slash.
    assert written == expected.replace(" ", NBSP).replace("/", "/\u2060")


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_every_date_shown_is_written_so(fr: Path, en: Path, ar: Path, lang: str) -> None:
    folder = {"fr": fr, "en": en, "ar": ar}[lang]
    date = Formatter(lang).date("2020-08-13")
    assert date == {"en": "13 August 2020", "fr": "13 août 2020",
                    "ar": "13 آب/\u2060أغسطس 2020"}[lang].replace(" ", NBSP)
    # The cover's facts, the running footer, the list of sources, the participation table.
    cover = html(folder / f"MA.{lang}.html").find_all("header")[0]
    assert any(dd.raw_text() == date for dd in cover.find_all("dd"))
    footer = raw_docx_text(folder / f"MA.{lang}.docx", "word/footer1.xml")
    assert words(date) in footer
    sources = html(folder / f"MA.{lang}.html").by_id("sources").raw_text()
    assert date in sources
    participation = html(folder / f"regional.{lang}.html").by_id("participation")
    assert date in [td.raw_text() for td in participation.find_all("td")]
    assert "August 13" not in raw(folder / f"MA.{lang}.html")


# --- 4. Typography ----------------------------------------------------------------------


FRENCH = (f"L’examen national{NBSP}: une étape{NBSP}; est-ce utile{NBSP}? Oui{NBSP}! "
          f"«{NBSP}Migrations{NBSP}» compte.")


def test_french_typography_in_every_format(fr: Path) -> None:
    text = raw(fr / "TN.fr.html")
    assert FRENCH in words_keeping_nbsp(text)
    # Not in addresses, code or times.
    assert "https://example.org/a?b=1:2" in text and "<code>a:b; c'd</code>" in text
    assert "à 12:30," in text
    docx = "".join(docx_paragraphs(fr / "TN.fr.docx"))
    assert FRENCH in docx and "a:b; c'd" in docx
    pdf = pdftotext(fr / "TN.fr.pdf")
    assert "L’examen national" in pdf and "l'" not in pdf.replace("c'd", "")
    # The report's own words too: the catalogs' French and the template's punctuation.
    assert "Vue d’ensemble" in text and "Vue d'ensemble" not in text
    assert f"État d’avancement{NBSP}:" in words_keeping_nbsp(re.sub(r"<[^>]+>", "", text))
    # And the words of the review that are not narratives: a measure's title.
    assert "Plan d’action" in text and "Plan d'action" not in text


def test_french_typography_whatever_a_narrative_holds(fr: Path) -> None:
    """batch.lua sets a French narrative's typography on its pandoc JSON, or walks its
    blocks when a word holds a character JSON escapes (here a straight double quote): the
    same rule either way, and across line breaks too."""
    text = words_keeping_nbsp(raw(fr / "TN.fr.html"))
    assert f"Le &quot;plan&quot; d’action{NBSP}: oui{NBSP}!" in text \
        or f'Le "plan" d’action{NBSP}: oui{NBSP}!' in text
    assert f"Une ligne{NBSP}; puis «{NBSP}guillemets{NBSP}». Fin" in text
    docx = "".join(docx_paragraphs(fr / "TN.fr.docx"))
    assert f'Le "plan" d’action{NBSP}: oui{NBSP}!' in docx
    assert f"Une ligne{NBSP}; puis «{NBSP}guillemets{NBSP}». Fin" in docx


def test_narratives_and_the_reports_words_follow_one_rule(fr: Path) -> None:
    """The converter sets a French or English narrative (Markdown, in Lua) by the rule
    gcmreview.core.i18n.typeset sets the report's words and the interface's by."""
    typed = "L'examen national : une étape ; est-ce utile ? Oui ! « Migrations » compte."
    assert typeset(typed, "fr") == FRENCH
    assert typeset(typed, "ar") == typed
    english = "The Ministry's plan: phase one; is it done? Yes! A 'whole-of-society' aim."
    assert typeset(english, "en") == ENGLISH  # the narrative's, in Lua: KM above
    assert typeset("voir `c'd` et l'autre", "fr") == "voir `c'd` et l’autre"  # code as typed
    # The interface: the spaces, not the apostrophes (a terminal's font may lack ’).
    assert typeset(typed, "fr", apostrophes=False) == FRENCH.replace("’", "'")


def test_titles_and_running_heads_are_set_too(fr: Path) -> None:
    """Text that reaches the outputs outside the body: the page's title, the cover, the
    DOCX running header (written by Python), the PDF's header."""
    title = f"Examen régional{NBSP}: la région d’essai"
    page = html(fr / "regional.fr.html")
    assert page.find_all("title")[0].raw_text().startswith(title)
    assert page.find_all("h1")[0].raw_text() == title
    header = "".join(docx_paragraphs(fr / "regional.fr.docx", "word/header1.xml"))
    assert header.startswith(title)
    assert "région d’essai" in pdftotext(fr / "regional.fr.pdf")


def words_keeping_nbsp(text: str) -> str:
    return re.sub(r"[ \t\n]+", " ", text)


ENGLISH = "The Ministry’s plan: phase one; is it done? Yes! A ‘whole-of-society’ aim."


def test_other_languages_keep_their_own_rules(fr: Path, en: Path, ar: Path) -> None:
    # English text in a French report: English rules (the apostrophe, quotes opened with
    # ‘, no space before a colon), in the narrative (Lua) and in a measure's title (Python).
    km = raw(fr / "KM.fr.html")
    assert ENGLISH in words_keeping_nbsp(km)
    assert "Ministry’s plan: phase 1" in km and "Ministry's" not in km
    docx = "".join(docx_paragraphs(fr / "KM.fr.docx"))
    assert ENGLISH in docx
    assert ENGLISH in words_keeping_nbsp(pdftotext(fr / "KM.fr.pdf"))
    # A French narrative in an English or an Arabic report: French rules.
    for folder, lang in ((en, "en"), (ar, "ar")):
        tn = words_keeping_nbsp(raw(folder / f"TN.{lang}.html"))
        assert FRENCH in tn, lang
    regional = words_keeping_nbsp(raw(fr / "regional.fr.html"))
    assert "The Ministry’s plan: phase one;" in regional


def test_an_english_reports_own_words_have_typographic_apostrophes(en: Path) -> None:
    # As United Nations documents print them: "the States’ own", never "States'".
    for name in ("regional.en.html", "TN.en.html"):
        page = re.sub(r"<(style|script|code)\b.*?</\1>", "", raw(en / name), flags=re.S)
        text = re.sub(r"<[^>]+>", "", page)
        assert "States’" in text or name != "regional.en.html"
        assert not re.search(r"\w'\w|s' ", text), name
    pdf = pdftotext(en / "regional.en.pdf")
    assert "the States’" in pdf and "States'" not in pdf


def test_arabic_reports_write_arabic_punctuation(ar: Path) -> None:
    """The Arabic catalog writes the Arabic comma, semicolon and question mark (، ؛ ؟)
    between Arabic words, never a Latin one; a review's Arabic is shown as typed."""
    from babel.messages.pofile import read_po

    with open(Path(__file__).parents[1] / "gcmreview/locale/ar/messages.po", "rb") as f:
        catalog = read_po(f)
    latin = re.compile(r"[\u0600-\u06ff]\s*[,;?]|[,;?]\s*[\u0600-\u06ff]")
    for message in catalog:
        for string in message.string if isinstance(message.string, tuple) else [message.string]:
            assert not latin.search(string or ""), string
    page = words(html(ar / "regional.ar.html").raw_text())
    assert "،" in page and "؛" in page
    lb = words(html(ar / "LB.ar.html").by_id("objective-3").raw_text())
    assert LB_SUMMARY in lb


def test_latin_text_is_sized_to_the_arabic_in_an_arabic_docx(fr: Path, ar: Path) -> None:
    """Amiri is set 20% larger than the Latin text, which keeps the French report's size:
    an alef then stands as high as a Latin ascender. No run of Latin words is marked right
    to left, which would set it in Amiri at Amiri's size in Word."""
    def defaults(path: Path) -> tuple[int, int]:
        styles = docx_parts(path)["word/styles.xml"].decode()
        block = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", styles, re.DOTALL).group(0)
        return (int(re.search(r'<w:sz w:val="(\d+)"', block).group(1)),
                int(re.search(r'<w:szCs w:val="(\d+)"', block).group(1)))

    latin, arabic = defaults(ar / "regional.ar.docx")
    assert defaults(fr / "regional.fr.docx")[0] == latin == 20 and arabic == 24
    body = ET.fromstring(docx_parts(ar / "regional.ar.docx")["word/document.xml"])
    marked = []
    for run in body.iter(W + "r"):
        text = "".join(t.text or "" for t in run.iter(W + "t"))
        if run.find(f"{W}rPr/{W}rtl") is not None and re.search("[A-Za-z]", text) \
                and not re.search("[\u0600-\u06ff]", text):
            marked.append(text)
    assert not marked
    # The acronyms of the table (CESAO, OIM...) are Latin runs in Arabic cells.
    assert "CESAO" in "".join(docx_paragraphs(ar / "regional.ar.docx"))


# --- Locators ---------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "found"), [
    ("para. 11", Locator("paragraph", (11,))), ("paragraph 6", Locator("paragraph", (6,))),
    ("paras. 10-12", Locator("paragraph", (10, 11, 12))),
    ("paragraphes 6 et 9", Locator("paragraph", (6, 9))), ("§ 11", Locator("paragraph", (11,))),
    ("§§ 4–5", Locator("paragraph", (4, 5))), ("par. 10, 11 and 14",
                                                Locator("paragraph", (10, 11, 14))),
    ("الفقرة ١١", Locator("paragraph", (11,))),
    ("الفقرتان 10 و 11", Locator("paragraph", (10, 11))),
    ("p. 4", Locator("page", (4,))), ("pp. 4-5", Locator("page", (4, 5))),
    ("page 3", Locator("page", (3,))), ("para. 6 (b)", None), ("annex II", None),
    ("chapter 3", None), ("para. 1-9999", None), ("", None),
])
def test_locators_are_read(typed: str, found: Locator | None) -> None:
    assert parse(typed) == found


@pytest.mark.parametrize(("locator", "en", "fr", "ar"), [
    (Locator("paragraph", (11,)), "para. 11", "par. 11", "الفقرة 11"),
    (Locator("paragraph", (10, 11)), "paras. 10 and 11", "par. 10 et 11", "الفقرتان 10 و11"),
    (Locator("paragraph", (6, 10, 11)), "paras. 6, 10 and 11", "par. 6, 10 et 11",
     "الفقرات 6، 10 و11"),
    (Locator("paragraph", (4, 5, 6, 9)), "paras. 4–6 and 9", "par. 4 à 6 et 9",
     "الفقرات من 4 إلى 6 و9"),
    (Locator("page", (4,)), "p. 4", "p. 4", "الصفحة 4"),
    (Locator("page", (4, 5, 6)), "pp. 4–6", "p. 4 à 6", "الصفحات من 4 إلى 6"),
])
def test_locators_are_written_in_the_report_language(locator: Locator, en: str, fr: str,
                                                      ar: str) -> None:
    for lang, expected in (("en", en), ("fr", fr), ("ar", ar)):
        # The abbreviation and the number after it on one line (a no-break space).
        assert write(locator, Formatter(lang)) == expected.replace(" ", "\u00a0", 1)


def test_outputs_are_zip_and_stable(fr: Path, ws: Path) -> None:
    """Same input, same bytes, numbers and notes included."""
    again = build_ok(ws, "fr-again", "-c", "TN", "--lang", "fr", "-f", "html,docx,md")
    for fmt in ("html", "docx", "md"):
        assert (again / f"TN.fr.{fmt}").read_bytes() == (fr / f"TN.fr.{fmt}").read_bytes()
    assert zipfile.is_zipfile(again / "TN.fr.docx")


def test_a_note_says_ibid_only_after_a_note_citing_the_same_source_alone() -> None:
    """The `note` filter, in the order a template writes the notes: a source named in
    full, then "Ibid." for the same source alone right after, its short title later; two
    sources are both named; "Ibid." with no locator takes no second full stop (the
    template adds one)."""
    from gcmreview.model.text import Citation, Text
    from gcmreview.render.templates import SourceNotes, environment

    def cite(number: int, where: str) -> Citation:
        full = Text(f"Title {number}, 2020{', ' + where if where else ''}", "en", "ltr")
        ibid = Text(f"Ibid., {where}" if where else "Ibid.", "en", "ltr")
        again = Text(f"T{number}{', ' + where if where else ''}", "en", "ltr")
        return Citation(number, Text(f"[{number}]", "en", "ltr"), full, ibid, again)

    env = environment((ROOT / "templates",), "en")
    template = env.from_string(
        "{% for s in notes %}[{{ s|note }}.]{.note}\n{% endfor %}")
    out = template.render(lang="en", source_notes=SourceNotes(), notes=[
        [cite(1, "para. 6")], [cite(1, "para. 10")], [cite(1, "")],
        [cite(1, "para. 2"), cite(2, "p. 4")], [cite(2, "p. 5")], [cite(2, "p. 5")],
        [cite(1, "para. 3")]]).replace("\\", "").splitlines()  # Markdown's escapes
    # Once named, a source is cited by its short title (T1), unless "Ibid." says it.
    assert out == ["[Title 1, 2020, para. 6.]{.note}", "[Ibid., para. 10.]{.note}",
                   "[Ibid.]{.note}", "[T1, para. 2; Title 2, 2020, p. 4.]{.note}",
                   "[T2, p. 5.]{.note}", "[Ibid., p. 5.]{.note}", "[T1, para. 3.]{.note}"]


SHORT = """country: TN
review: {cycle: 2020, language: fr, status: draft}
objectives:
  # In the report's order (by IMRF round table): 2, then 1 and 3.
  2: {status: planned, summary: "Deuxième.", sources: [{source: atelier, locator: "par. 4"}]}
  1: {status: planned, summary: "Premier.", sources: [{source: etude, locator: "p. 3"}]}
  3: {status: planned, summary: "Troisième.", sources: [{source: atelier, locator: "par. 5"}]}
sources:
  - {id: atelier, title: "Rapport de l'atelier (CESAO, OIM)", short_title: "Rapport de
      l'atelier", date: "2020-08-01"}
  - {id: etude, title: "Étude nationale", date: "2019"}
"""


def test_a_source_named_before_is_cited_by_its_short_title(tmp_path: Path) -> None:
    """A source cited again after another's note: by the short title the review gives it
    (`short_title`), or named in full again when it gives none."""
    ws = copy_workspace(tmp_path / "ws", ())
    (ws / "countries" / "TN.yaml").write_text(SHORT, encoding="utf-8")
    out = build_ok(ws, "out", "-c", "TN", "-f", "md,docx")
    md = raw(out / "TN.fr.md").replace("\\", "").replace(NBSP, " ")
    notes = re.findall(r"^\[\^\d+\]: (.*)$", md, re.M)
    assert notes == ["Rapport de l’atelier (CESAO, OIM), 1er août 2020, par. 4.",
                     "Étude nationale, 2019, p. 3.", "Rapport de l’atelier, par. 5."]
    assert "Rapport de l’atelier, par. 5." in " ".join(
        raw_docx_text(out / "TN.fr.docx", "word/footnotes.xml").replace(NBSP, " ").split())


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_title_ending_with_a_stop_takes_no_second_one(lang: str) -> None:
    """A French title that ends with a full stop, last in an English or Arabic note: one
    stop, the note's, outside the title's span (and its isolate, in Arabic)."""
    from gcmreview.model.text import Citation, Text
    from gcmreview.render.templates import SourceNotes, environment

    title = Text("Rapport final de l'atelier.", "fr", "ltr")
    cited = Citation(1, title, title, title, title)
    env = environment((ROOT / "templates",), lang)
    out = env.from_string("[{{ s|note }}.]{.note}").render(
        lang=lang, source_notes=SourceNotes(), s=[cited])
    start, end = ("\u2066", "\u2069") if lang == "ar" else ("", "")
    assert out == (f'[[{start}Rapport final de l\u2019atelier{end}]'
                   '{lang="fr" dir="ltr"}.]{.note}')
