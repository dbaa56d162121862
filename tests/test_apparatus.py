"""The apparatus of a UN document: masthead, key messages, acronyms, provenance kept off the
pages. Built for real from the example workspace, with a `document:` block that only the
tests give it (the example has no document symbol of its own to show)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pypdf
import pytest
import yaml

from gcmreview.commands.build import build
from gcmreview.commands.context import Context
from gcmreview.model.apparatus import Apparatus, acronym_list, masthead
from gcmreview.render.document import safe_path

from .conftest import ROOT, copy_workspace

SYMBOL = "E/ESCWA/TEST/2020/1"
DOCUMENT = f"""
document:
  symbol: {SYMBOL}
  distribution: limited
  date: "2020-09-21"
  original: fr
  issuer: {{fr: Secrétariat de test, en: Test secretariat}}
  country_reports: true
key_messages:
  fr: "La pandémie a **retardé** les consultations nationales."
  en: "The pandemic **delayed** national consultations."
"""
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
EXAMPLE = ("DZ", "IQ", "KM", "LB", "LY", "MA", "SY", "TN")


def with_document(ws: Path) -> Path:
    config = ws / "gcmreview.yaml"
    config.write_text(config.read_text(encoding="utf-8") + DOCUMENT, encoding="utf-8")
    return ws


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = with_document(copy_workspace(tmp_path_factory.mktemp("apparatus") / "ws"))
    for lang in ("fr", "ar"):
        outcome = build(Context(ws), codes=["MA"] if lang == "fr" else [], region=True,
                        formats="html,docx,pdf,md", lang=lang, out=ws / "out")
        assert outcome.exit_code == 0, outcome
    return ws / "out"


def spaced(text: str) -> str:
    """Text with its spaces as a reader sees them (no-break ones and line ends too)."""
    return " ".join(re.sub(r"[\u00a0\u202f]", " ", text).replace("\u2060", "").split())


def page_text(pdf: Path, page: int = 0) -> str:
    return " ".join(pypdf.PdfReader(pdf).pages[page].extract_text().split())


def docx_paragraphs(path: Path) -> list[tuple[str | None, str]]:
    """(style, text) of each paragraph of the body, in order."""
    from xml.etree import ElementTree as ET

    root = ET.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    out = []
    for p in root.iter(W + "p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        out.append((style.get(W + "val") if style is not None else None,
                    "".join(t.text or "" for t in p.iter(W + "t"))))
    return out


# -- the masthead, as data ----------------------------------------------------------------

def test_no_masthead_without_a_document_block() -> None:
    assert masthead(Apparatus(), "fr") is None
    # A State's report gets one only when the workspace asks for it.
    assert masthead(Apparatus(document={"symbol": SYMBOL}), "fr", country=True) is None


@pytest.mark.parametrize(("lang", "lines"), [
    ("en", ("Distr.: Limited", "21 September 2020", "Original: French")),
    ("fr", ("Distr. limitée", "21 septembre 2020", "Original : français")),
    ("ar", ("التوزيع: محدود", "21 أيلول/سبتمبر 2020", "الأصل: بالفرنسية")),
])
def test_masthead_lines_in_the_documents_language(lang: str, lines: tuple[str, ...]) -> None:
    document = yaml.safe_load(DOCUMENT)["document"]
    head = masthead(Apparatus(document=document), lang)
    assert head is not None and head.symbol == SYMBOL
    assert [spaced(line) for line in head.lines] == list(lines)
    # The issuer in the report's language, or marked as in another one.
    assert head.issuer is not None
    assert head.issuer[1] == ("fr" if lang == "fr" else "en")
    # A State's report has no symbol of its own.
    country = masthead(Apparatus(document=document), lang, country=True)
    assert country is not None and country.symbol == "" and country.lines == head.lines
    # Its original is the language the State wrote in, not the regional report's.
    arabic = masthead(Apparatus(document=document), lang, country=True, original="ar")
    assert arabic is not None and arabic.lines[:2] == head.lines[:2]
    assert spaced(arabic.lines[2]) == {"en": "Original: Arabic", "fr": "Original : arabe",
                                       "ar": "الأصل: بالعربية"}[lang]


def test_acronyms_are_those_used_and_spelled_out_alphabetically() -> None:
    apparatus = Apparatus(acronyms={"OIM": {"fr": "Organisation internationale pour les "
                                            "migrations"},
                                    "CESAO": {"fr": "Commission économique", "en": "ESCWA"},
                                    "PMM": {"fr": "Pacte mondial"}})
    listed = acronym_list(["PMM", "OIM", "ONU", "OIM"], apparatus, "en")
    assert [a.acronym for a in listed] == ["OIM", "PMM"]  # ONU is not spelled out
    assert all(a.fallback and a.lang == "fr" for a in listed)
    assert acronym_list(["CESAO"], apparatus, "en")[0].fallback is False


# -- the masthead in the documents ----------------------------------------------------------

def test_masthead_heads_the_pdf(out: Path) -> None:
    first = page_text(out / "regional.fr.pdf")
    assert first.index("Secrétariat de test") < first.index("Examen régional du Pacte")
    assert first.index(SYMBOL) < first.index("Examen régional du Pacte")
    assert "Distr. limitée" in first and "21 septembre 2020" in first
    state = page_text(out / "MA.fr.pdf")
    assert "Distr. limitée" in state and SYMBOL not in state


def test_masthead_heads_the_docx_above_the_title(out: Path) -> None:
    paragraphs = docx_paragraphs(out / "regional.fr.docx")
    styles = [s for s, _ in paragraphs]
    title = styles.index("Title")
    # The masthead, then the Compact's name over the title, as on the PDF's cover.
    assert styles[:title] == ["Masthead"] * (title - 1) + ["CoverCompact"]
    assert [spaced(text) for _, text in paragraphs[:title]] == [
        "Secrétariat de test", SYMBOL, "Distr. limitée", "21 septembre 2020",
        "Original : français", "Pacte mondial pour des migrations sûres, ordonnées et régulières"]
    styles_xml = zipfile.ZipFile(out / "regional.fr.docx").read("word/styles.xml").decode()
    assert 'w:styleId="Masthead"' in styles_xml


def test_masthead_heads_the_html_page(out: Path) -> None:
    page = (out / "regional.ar.html").read_text(encoding="utf-8")
    head = re.search(r'<div class="masthead">(.*?)</div>', page, re.S)
    assert head is not None
    assert SYMBOL in head.group(1) and "التوزيع: محدود" in spaced(head.group(1))
    # The issuer has no Arabic text: shown in English, marked as English.
    assert 'lang="en"' in head.group(1) and "Test secretariat" in head.group(1)
    assert page.index('class="masthead"') < page.index('<header class="cover">')


# -- provenance: in the properties, not on the pages --------------------------------------

def test_provenance_is_a_property_not_a_line_on_the_page(out: Path) -> None:
    reader = pypdf.PdfReader(out / "MA.fr.pdf")
    assert reader.metadata is not None
    assert reader.metadata.subject == "Produit par gcmreview " + \
        reader.metadata.subject.split()[3] + " à partir de countries/MA.yaml"
    assert all("gcmreview" not in page.extract_text() for page in reader.pages)
    page = (out / "MA.fr.html").read_text(encoding="utf-8")
    assert re.search(r'<meta name="generator" content="Produit par gcmreview [^"]+ à partir '
                     r'de countries/MA.yaml">', spaced(page))
    body = page.split("<body>", 1)[1]
    assert "gcmreview" not in re.sub(r"<[^>]+>", "", body)
    document = zipfile.ZipFile(out / "MA.fr.docx").read("word/document.xml").decode()
    assert "gcmreview" not in document


def test_a_file_name_cannot_break_out_of_an_attribute() -> None:
    assert safe_path('countries/"><script>x.yaml') == "countries/___script_x.yaml"
    assert safe_path("pays/Maroc 2020/MA.yaml") == "pays/Maroc 2020/MA.yaml"


# -- key messages and acronyms in the regional report ----------------------------------------

def covered(code: str) -> int:
    data = yaml.safe_load((ROOT / "countries" / f"{code}.yaml").read_text(encoding="utf-8"))
    return sum(1 for o in (data.get("objectives") or {}).values()
               if (o.get("summary") or "").strip() and "stated_by" not in o)


def section(md: str, title: str) -> str:
    start = md.index(f"# {title}")
    end = md.index("\n# ", start + 1)
    return md[start:end]


def test_key_messages_are_counted_from_the_files(out: Path) -> None:
    md = (out / "regional.fr.md").read_text(encoding="utf-8")
    messages = section(md, "Messages clés")
    # The secretariat's own message comes first, then the counted ones.
    assert messages.index("La pandémie a **retardé**") < messages.index("Sur les 15 États")
    # Every example review is a draft: not "submitted", which is a status of its own.
    assert "Sur les 15 États participants, 8 ont présenté un examen volontaire. Tous ces " \
        "examens sont à l’état de projet." in messages.replace("\u00a0", " ")
    counts = [covered(c) for c in EXAMPLE]
    expected = f"Chaque examen couvre entre {min(counts)} et {max(counts)} des 23 objectifs"
    assert expected in messages.replace("\u00a0", " ").replace("\u202f", " ")
    # No line of the key messages starts with a numeral, and each is a sentence, not a
    # label and its figure ("Objectifs couverts par chaque examen : de 0 à 6 sur 23").
    for line in messages.splitlines():
        assert not re.match(r"^(- )?\d", line), line
        assert not re.match(r"^- [^:]*\s:\s(de )?\d", line.replace("\u00a0", " ")), line


@pytest.mark.parametrize(("final", "message", "participation"), [
    (("MA",), "- Sur les 15 États participants, 8 ont présenté un examen volontaire. Parmi "
     "ces examens, sept sont à l’état de projet.", "Parmi eux, huit ont présenté un examen "
     "volontaire. Parmi ces examens, sept sont à l’état de projet."),
    (EXAMPLE, "- Sur les 15 États participants, 8 ont présenté un examen volontaire. - Chaque",
     "Parmi eux, huit ont présenté un examen volontaire. Organisateurs"),
])
def test_drafts_are_told_apart_from_reviews_submitted(
        tmp_path: Path, final: tuple[str, ...], message: str, participation: str) -> None:
    ws = copy_workspace(tmp_path / "ws")
    for code in final:
        path = ws / "countries" / f"{code}.yaml"
        text = path.read_text(encoding="utf-8")
        assert "status: draft" in text
        path.write_text(text.replace("status: draft", "status: submitted", 1), encoding="utf-8")
    outcome = build(Context(ws), codes=[], region=True, formats="md", lang="fr",
                    out=ws / "out")
    assert outcome.exit_code == 0, outcome
    md = spaced((ws / "out" / "regional.fr.md").read_text(encoding="utf-8"))
    assert message in md
    assert participation in md
    assert "soumis : 8" not in md and "Examens reçus" in md


def test_acronyms_listed_are_the_ones_the_report_uses(out: Path) -> None:
    md = (out / "regional.fr.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| ([A-Z][A-Z0-9-]+) +\|", section(md, "Sigles et abréviations"),
                        re.M)
    assert listed == sorted(listed) and "OIM" in listed
    config = yaml.safe_load((ROOT / "gcmreview.yaml").read_text(encoding="utf-8"))
    assert set(listed) <= set(config["acronyms"])
    # The Arabic report lists them too, in the language they are spelled out in.
    ar = (out / "regional.ar.md").read_text(encoding="utf-8")
    assert "المختصرات" in ar and "OIM" in ar


def test_the_acronyms_of_the_reports_own_words_are_listed_too(tmp_path: Path) -> None:
    """The English regional report says "Organizers: ESCWA, IOM and the League of Arab
    States" but listed only the French statements' CESAO and OIM: the organisers' (and
    the title's) acronyms are listed too, when the workspace spells them out."""
    ws = copy_workspace(tmp_path / "ws", ("MA",))
    outcome = build(Context(ws), codes=[], region=True, formats="md", lang="en",
                    out=ws / "out")
    assert outcome.exit_code == 0, outcome
    md = (ws / "out" / "regional.en.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| ([A-Z][A-Z0-9-]+) +\| [^|]*?(; in French quotations)? +\|",
                        section(md, "Abbreviations and acronyms"), re.M)
    # Those only the French statements use are marked so: CESAO is ESCWA, in French.
    quoted = "; in French quotations"
    assert {("ESCWA", ""), ("IOM", ""), ("OIM", quoted), ("CESAO", quoted),
            ("COVID-19", "")} <= set(listed)


def test_acronyms_come_before_key_messages_and_the_body(out: Path) -> None:
    md = (out / "regional.fr.md").read_text(encoding="utf-8")
    assert md.index("# Sigles et abréviations") < md.index("# Messages clés") < \
        md.index("# Participation et processus")
