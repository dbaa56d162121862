"""`gcmreview translate`: reviews out to translators and back, with the tools they use.

translate-toolkit (a CAT tool's side) reads the XLIFF gcmreview exports, fills in its
targets and writes it back; the bilingual Word file is filled in and saved again by
LibreOffice, which drops content controls. Every translation text in these tests is
synthetic, made by the test ("ترجمة اختبارية": "test translation"): no State's words,
no real translation.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from gcmreview.core.i18n import translations
from gcmreview.core.segments import Pc, Ph, codes, problems, rebuild, tokenize
from gcmreview.core.units import units
from gcmreview.load.loader import load_file
from tests.conftest import DATA, ROOT, copy_workspace
from tests.test_forms import resave_with_libreoffice
from tests.test_report_language import logical_pdf_text

XLIFF2 = "urn:oasis:names:tc:xliff:document:2.0"
XLIFF1 = "urn:oasis:names:tc:xliff:document:1.2"
SYNTHETIC = "ترجمة اختبارية"
"""What the tests' "translator" writes before each text: "test translation"."""


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """The example workspace, with BV: a synthetic French review using every field and
    the Markdown narratives may hold (emphasis, links, footnotes, lists, a table)."""
    root = copy_workspace(tmp_path / "ws", ("MA", "DZ"))
    shutil.copy(DATA / "word" / "synthetic" / "BV.yaml", root / "countries" / "BV.yaml")
    return root


def arabic(text: str) -> str:
    return f"{SYNTHETIC} {text}" if text.strip() else text


def fill_xliff2(path: Path, translate: Callable[[str], str], *, approve: bool = False) -> int:
    """What a CAT tool does: every segment gets a target made of its source, tags kept in
    place, text translated; the segment is marked translated (reviewed with `approve`).
    Opened with translate-toolkit's XLIFF 2 class (its factory takes .xlf for 1.2)."""
    from translate.storage.xliff2 import Xliff2File

    store = Xliff2File.parsefile(str(path))
    for unit in store.units:
        _fill(unit.xmlelement, XLIFF2, translate)
        if approve:
            unit.markapproved()
        else:
            unit.marktranslated()
    path.write_bytes(bytes(store))
    return len(store.units)


def _fill(segment: etree._Element, ns: str, translate: Callable[[str], str]) -> None:
    source = segment.find(f"{{{ns}}}source")
    target = copy.deepcopy(source)
    target.tag = f"{{{ns}}}target"
    native = {f"{{{ns}}}{tag}" for tag in ("bpt", "ept", "ph")} if ns == XLIFF1 else set()
    for element in target.iter():
        if element.text and element.tag not in native:
            element.text = translate(element.text)
        if element is not target and element.tail:
            element.tail = translate(element.tail)
    old = segment.find(f"{{{ns}}}target")
    if old is not None:
        segment.remove(old)
    source.addnext(target)


def export(run_cli, ws: Path, *args: str) -> Path:
    done = run_cli("translate", "export", *args, cwd=ws)
    assert done.code == 0, done.err
    found = re.findall(r"wrote (\S+):", done.err)
    assert found, done.err
    return ws / found[-1]


# --- the Markdown of a narrative, cut into text and codes --------------------------------

SAMPLES = [
    "Le Maroc *suit* une **approche** [mobilisant](https://x.org/a_(b)) l'ensemble[^1].\n\n"
    "[^1]: Note *ici*.",
    "Trois mesures :\n\n- un observatoire ;\n- un portail\n  suite\n1. un\n2. deux\n",
    "| A | B |\n|---|:-:|\n| x *y* | `code` |\n\nAprès.",
    "# Titre #\n\nTexte <b onclick=x()>gras</b>, <https://example.org> et https://un.org/x.\n",
    "```python\nprint('*x*')\n```\n\n> citation *a\n> b*\n",
    "snake_case, 2*3*4, ***les deux***, *ouvert et **a *b* c**",
    "Une ligne\ncoupée\nici  \npuis\\\nfin",
    "2014. une année\n\nTexte {1} avec {/2} des accolades",
    "~~barré~~, ~un~, ![carte](m.png), [réf][lbl]\n\n[lbl]: https://x.org",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_a_narrative_is_rebuilt_exactly_from_its_text_and_codes(text: str) -> None:
    pieces = tokenize(text)
    assert rebuild(pieces) == text
    assert problems(pieces, pieces) == []


def test_every_example_narrative_is_rebuilt_exactly() -> None:
    for path in [*ROOT.glob("countries/*.yaml"), *(DATA / "word" / "synthetic").glob("*.yaml")]:
        loaded = load_file(path, path.name)
        for unit in units(loaded.data):
            assert rebuild(unit.segment) == unit.text, (path.name, unit.name)


def test_markdown_becomes_codes_and_text_stays_text() -> None:
    pieces = tokenize("Le *Maroc* a [une loi](https://x.org)[^1] :\n\n- un\n- deux")
    found = codes(pieces)
    assert [type(c).__name__ for c in found] == ["Pc", "Pc", "Ph", "Ph", "Ph"]
    emphasis, link, note, item, _next = found
    assert isinstance(emphasis, Pc) and (emphasis.start, emphasis.end) == ("*", "*")
    assert isinstance(link, Pc) and link.end == "](https://x.org)" and link.content == ("une loi",)
    assert isinstance(note, Ph) and note.data == "[^1]"
    assert isinstance(item, Ph) and item.data == "\n\n- " and item.kind == "block"
    assert [c.id for c in found] == ["1", "2", "3", "4", "5"]


# --- export ------------------------------------------------------------------------------

def test_export_is_xliff_2_1_in_the_format_order_with_context(run_cli, ws: Path) -> None:
    path = export(run_cli, ws, "--lang", "ar", "BV")
    assert path.name == "BV.fr-ar.xlf"
    first = path.read_bytes()
    again = export(run_cli, ws, "--lang", "ar", "BV")
    assert again.read_bytes() == first  # deterministic
    root = etree.fromstring(first)
    assert root.get("version") == "2.1" and root.get("srcLang") == "fr" \
        and root.get("trgLang") == "ar"
    names = [u.get("name") for u in root.iter(f"{{{XLIFF2}}}unit")]
    assert names[:4] == ["review/lead_institution", "review/focal_point",
                         "methodology/summary", "methodology/coordination"]
    assert names.index("objectives/1/summary") < names.index("objectives/1/measures/0/title") \
        < names.index("objectives/1/challenges/0") < names.index("objectives/7/stated_by") \
        < names.index("principles/human-rights/summary") \
        < names.index("principles/gender-responsive/summary") \
        < names.index("reservations/0/summary")
    assert not [n for n in names if "/sources/" in n or n.endswith("/date")]
    ids = [u.get("id") for u in root.iter(f"{{{XLIFF2}}}unit")]
    assert ids == [n.replace("/", ".") for n in names]
    unit = next(u for u in root.iter(f"{{{XLIFF2}}}unit")
                if u.get("name") == "objectives/1/summary")
    notes = " ".join(n.text for n in unit.iter(f"{{{XLIFF2}}}note"))
    t = translations("ar").gettext
    assert t("Status: {status}").format(status=t("Implemented")) in notes
    assert "(BV)" in root.find(f".//{{{XLIFF2}}}file/{{{XLIFF2}}}notes/{{{XLIFF2}}}note").text
    assert "Collect and utilize accurate and disaggregated data" in notes  # official, in EN
    source = unit.find(f".//{{{XLIFF2}}}source")
    assert source.find(f"{{{XLIFF2}}}pc") is not None  # *ventilées*
    data = {d.get("id"): d.text for d in unit.iter(f"{{{XLIFF2}}}data")}
    footnote = next(p for p in source.iter(f"{{{XLIFF2}}}ph") if data[p.get("dataRef")] == "[^1]")
    assert footnote.get("canDelete") == "no"
    assert re.fullmatch("[0-9a-f]{32}", unit.get("{https://gcmreview.invalid/xliff}sourceHash"))


def test_a_review_in_the_language_asked_is_not_exported(run_cli, ws: Path) -> None:
    done = run_cli("translate", "export", "--lang", "fr", "MA", cwd=ws)
    assert done.code == 2 and "already" in done.err and "Traceback" not in done.err


def test_every_review_already_in_the_language_is_passed_over(run_cli, ws: Path) -> None:
    """Said by the `review:` lines alone: the rest of the file is not even read (here, a
    last line YAML refuses, which an export into another language does stop at)."""
    review = ws / "countries" / "MA.yaml"
    review.write_text(review.read_text(encoding="utf-8") + "broken: [\n", encoding="utf-8")
    done = run_cli("translate", "export", "--lang", "fr", "--output", "out", cwd=ws)
    assert done.code == 0, done.err
    for code in ("BV", "DZ", "MA"):
        assert f"the review of {code} is in français already: nothing to translate" in done.err
    assert not (ws / "out").exists()
    other = run_cli("translate", "export", "--lang", "ar", "--output", "out", cwd=ws)
    assert other.code == 2 and "MA.yaml has errors, so it cannot be translated" in other.err


# --- the round trip through a CAT tool ------------------------------------------------------

def test_translated_with_a_cat_tool_then_built_in_arabic(run_cli, ws: Path) -> None:
    before = run_cli("build", "--country", "BV", "--lang", "ar", "--format", "md", cwd=ws)
    assert before.code == 0, before.err
    exported = export(run_cli, ws, "--lang", "ar", "BV")
    count = fill_xliff2(exported, arabic)
    imported = run_cli("translate", "import", str(exported), cwd=ws)
    assert imported.code == 0, imported.out
    assert f"{count} translations imported" in imported.out
    store = ws / "translations" / "ar" / "BV.xlf"
    assert store.is_file()
    assert (ws / "countries" / "BV.yaml").read_bytes() == \
        (DATA / "word" / "synthetic" / "BV.yaml").read_bytes()  # the original untouched

    checked = run_cli("validate", "countries/BV.yaml", "-f", "json", cwd=ws)
    done = json.loads(checked.out)["files"][0]["translations"]["ar"]
    assert done == {"units": count, "translated": count, "stale": 0, "missing": 0,
                    "required": False, "complete": True, "file": "translations/ar/BV.xlf",
                    "readable": True}

    built = run_cli("build", "--country", "BV", "--lang", "ar", "--format", "md,html,docx,pdf",
                    cwd=ws)
    assert built.code == 0, built.err
    # The translation is part of what the report is made from: the Markdown built before
    # the import is not up to date any more.
    assert SYNTHETIC in (ws / "build" / "BV.ar.md").read_text(encoding="utf-8")
    t = translations("ar").gettext
    marker = t("Translated from {language}; the {language} original prevails.").format(
        language="الفرنسية")
    assert marker == "مترجم من الفرنسية؛ والأصل باللغة الفرنسية هو المعتمد."
    html = " ".join((ws / "build" / "BV.ar.html").read_text(encoding="utf-8").split())
    assert f"{SYNTHETIC} L'examen a été préparé par un comité interministériel" in html
    assert f'<strong><span>{SYNTHETIC} de test</span></strong>' in html or \
        f"<strong>{SYNTHETIC} de test</strong>" in html
    assert 'href="https://example.org/test/portail"' in html  # the link kept, its text translated
    assert f">{SYNTHETIC} portail de test</a>" in html
    assert html.count(marker) == 1
    with zipfile.ZipFile(ws / "build" / "BV.ar.docx") as archive:
        body = archive.read("word/document.xml").decode()
    assert SYNTHETIC in body and marker in body
    # pdftotext may cut an Arabic word where the font joins two glyphs: compared unspaced.
    pdf = "".join(logical_pdf_text(ws / "build" / "BV.ar.pdf").split())
    assert "".join(SYNTHETIC.split()) in pdf and "".join(marker.split()) in pdf

    # Once more: nothing changed, nothing written.
    again = run_cli("translate", "import", str(exported), cwd=ws)
    assert again.code == 0 and f"{count} unchanged" in again.out


def test_a_partly_translated_report_marks_the_originals(run_cli, ws: Path) -> None:
    exported = export(run_cli, ws, "--lang", "ar", "MA")
    tree = etree.parse(str(exported))
    units_ = list(tree.iter(f"{{{XLIFF2}}}unit"))
    for unit in units_:  # only the objectives are translated
        if unit.get("name").startswith("objectives/"):
            _fill(unit.find(f"{{{XLIFF2}}}segment"), XLIFF2, arabic)
            unit.find(f"{{{XLIFF2}}}segment").set("state", "reviewed")
    tree.write(str(exported), xml_declaration=True, encoding="UTF-8")
    assert run_cli("translate", "import", str(exported), cwd=ws).code == 0
    built = run_cli("build", "--country", "MA", "--lang", "ar", "--format", "html", cwd=ws)
    assert built.code == 0, built.err
    html = " ".join((ws / "build" / "MA.ar.html").read_text(encoding="utf-8").split())
    assert f"{SYNTHETIC} Le Maroc compte la garantie de voies de migration sûres" in html
    assert '<span lang="fr" dir="ltr">(FR)</span>' in html  # the originals, marked
    assert "Le Maroc suit une approche mobilisant" in html  # methodology: the original
    # The regional report says which language each State's texts are in.
    region = run_cli("build", "--region", "--lang", "ar", "--format", "md", cwd=ws)
    assert region.code in (0, 1), region.err
    md = (ws / "build" / "regional.ar.md").read_text(encoding="utf-8")
    t = translations("ar").gettext
    line = next(x for x in md.splitlines()  # a paragraph of the report's own: numbered
                if re.sub("^\\d+\u00a0- ", "", x).startswith(
                    t("The States' texts are given in these languages")))
    assert "الفرنسية" in line and t("{language}, {done} of {total} texts translated into "
                                    "{target}").split("{")[0] in line
    assert ";" not in line and "\u061b" in line  # the Arabic semicolon between States


def test_xliff_1_2_for_tools_that_need_it(run_cli, ws: Path) -> None:
    exported = export(run_cli, ws, "--lang", "ar", "--xliff", "1.2", "BV")
    from translate.storage.xliff import xlifffile

    store = xlifffile.parsefile(str(exported))
    assert store.getsourcelanguage() == "fr" and len(store.units) > 20
    for unit in store.units:
        _fill(unit.xmlelement, XLIFF1, arabic)
        unit.markfuzzy(False)
    exported.write_bytes(bytes(store))
    done = run_cli("translate", "import", str(exported), cwd=ws)
    assert done.code == 0, done.out
    assert f"{len(store.units)} translations imported" in done.out


# --- the bilingual Word file, through LibreOffice -------------------------------------------

def row_id(row: object) -> str:
    """The id a row shows (its first paragraph, inside the locked content control)."""
    first = next(row.cells[0]._tc.iter(qn("w:p")))  # type: ignore[attr-defined]
    return "".join(t.text or "" for t in first.iter(qn("w:t")))


def test_bilingual_word_file_edited_and_saved_by_libreoffice(run_cli, ws: Path,
                                                             tmp_path: Path) -> None:
    exported = export(run_cli, ws, "--lang", "ar", "--format", "docx", "BV")
    with zipfile.ZipFile(exported) as archive:
        xml = archive.read("word/document.xml").decode()
    assert xml.count('<w:lock w:val="sdtContentLocked"/>') > 40  # ids and originals locked
    assert "gcmreview-translation BV fr ar" in xml
    document = docx.Document(str(exported))
    table = document.tables[0]
    filled = 0
    for row in table.rows[1:]:
        name = row_id(row)
        if name == "methodology/summary":
            row.cells[2].paragraphs[0].add_run(
                f"{SYNTHETIC} {{1}}اللجنة{{/1}} و{{2}}المجتمع المدني{{/2}}.")
            filled += 1
        elif name == "objectives/1/challenges/0":
            row.cells[2].paragraphs[0].add_run(f"{SYNTHETIC} بيانات قليلة")
            filled += 1
        elif name == "policy_environment/summary":  # a tag lost: refused
            row.cells[2].paragraphs[0].add_run(f"{SYNTHETIC} {{1/}} {{2/}}")
    edited = tmp_path / "edited" / exported.name
    edited.parent.mkdir()
    document.save(str(edited))
    saved = resave_with_libreoffice([edited], tmp_path / "saved", tmp_path / "profile")[0]
    with zipfile.ZipFile(saved) as archive:
        assert "w:sdt>" not in archive.read("word/document.xml").decode()  # controls gone

    refused = run_cli("translate", "import", str(saved), cwd=ws)
    assert refused.code == 1
    assert "policy_environment/summary" in refused.out and "codes-mismatch" in refused.out
    assert not (ws / "translations").exists()  # nothing written

    document = docx.Document(str(edited))
    for row in document.tables[0].rows[1:]:
        if row_id(row) == "policy_environment/summary":
            for run in row.cells[2].paragraphs[0].runs:
                run.text = ""
    document.save(str(edited))
    saved = resave_with_libreoffice([edited], tmp_path / "saved2", tmp_path / "profile")[0]
    done = run_cli("translate", "import", str(saved), cwd=ws)
    assert done.code == 0, done.out
    assert f"{filled} translations imported" in done.out
    store = (ws / "translations" / "ar" / "BV.xlf").read_text(encoding="utf-8")
    assert f"{SYNTHETIC} <pc" in store and "المجتمع المدني</pc>" in store
    again = run_cli("translate", "import", str(saved), cwd=ws)
    assert f"{filled} unchanged" in again.out


# --- stale translations, required languages -------------------------------------------------

def test_a_changed_original_makes_its_translation_stale(run_cli, ws: Path) -> None:
    exported = export(run_cli, ws, "--lang", "ar", "BV")
    fill_xliff2(exported, arabic)
    assert run_cli("translate", "import", str(exported), cwd=ws).code == 0
    review = ws / "countries" / "BV.yaml"
    text = review.read_text(encoding="utf-8")
    review.write_text(text.replace("Selon l'agence de test", "Selon la même agence de test"),
                      encoding="utf-8")
    checked = run_cli("validate", "countries/BV.yaml", cwd=ws)
    line = next(n for n, x in enumerate(text.splitlines(), 1) if "Selon l'agence" in x)
    assert re.search(rf"countries/BV\.yaml:{line}:\d+: warning\[translation-stale\]: "
                     r"objectives/7/summary: the Arabic translation \(translations/ar/BV\.xlf\)"
                     r" is of an earlier version of this text", checked.out), checked.out
    assert checked.out.count("translation-stale") == 1
    # The file translated before the change is stale for that unit: not imported.
    fill_xliff2(exported, lambda s: arabic(arabic(s)))
    done = run_cli("translate", "import", str(exported), cwd=ws)
    assert done.code == 1
    assert "objectives/7/summary: the original changed since this file was exported" in done.out


def test_required_languages_make_errors_and_coverage_counts(run_cli, ws: Path) -> None:
    config = ws / "gcmreview.yaml"
    config.write_text(config.read_text(encoding="utf-8")
                      + "translations: {required: [ar]}\n", encoding="utf-8")
    checked = run_cli("validate", "countries/MA.yaml", cwd=ws)
    assert checked.code == 1
    assert re.search(r"countries/MA\.yaml:\d+:\d+: error\[translation-missing\]: "
                     r"methodology/summary: no Arabic translation", checked.out)
    coverage = json.loads(run_cli("coverage", "--format", "json", cwd=ws).out)
    ma = next(s for s in coverage["states"] if s["country"] == "MA")
    assert ma["translations"]["ar"]["required"] is True
    assert ma["translations"]["ar"]["translated"] == 0
    assert ma["translations"]["ar"]["missing"] == ma["translations"]["ar"]["units"] > 20
    dz = next(s for s in coverage["states"] if s["country"] == "DZ")
    assert dz["translations"]["ar"]["units"] > 0


# --- hostile files --------------------------------------------------------------------------

def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


HOSTILE = {
    "xxe": ('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
            f'<xliff xmlns="{XLIFF2}" version="2.1" srcLang="fr" trgLang="ar">&e;</xliff>',
            "declares a document type or entities"),
    "laughs": ('<?xml version="1.0"?>\n<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
               + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'
                         for i in range(9))
               + f']>\n<xliff xmlns="{XLIFF2}" version="2.1" srcLang="fr">&j;</xliff>',
               "declares a document type or entities"),
    "not-xml": ("this is not XML <", "not well-formed XML"),
    "not-xliff": ('<?xml version="1.0"?><html><body>x</body></html>', "is not an XLIFF file"),
    "deep": (f'<xliff xmlns="{XLIFF2}" version="2.1" srcLang="fr">' + "<a>" * 200
             + "</a>" * 200 + "</xliff>", "nested more than"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_xliff_is_refused_and_writes_nothing(run_cli, ws: Path, tmp_path: Path,
                                                     name: str) -> None:
    text, said = HOSTILE[name]
    path = _write(tmp_path / "BV.fr-ar.xlf", text)
    done = run_cli("translate", "import", str(path), cwd=ws)
    assert done.code == 2, done.out
    assert said in done.out and "Traceback" not in done.err + done.out
    assert "hint:" in done.out
    assert not (ws / "translations").exists()


def test_a_huge_file_is_refused_before_it_is_read(run_cli, ws: Path, tmp_path: Path) -> None:
    path = tmp_path / "BV.fr-ar.xlf"
    with path.open("wb") as handle:  # sparse: a gigabyte that takes no room
        handle.truncate(1024 ** 3)
    done = run_cli("translate", "import", str(path), cwd=ws)
    assert done.code == 2 and "1024 MB" in done.out and "Traceback" not in done.err


def _exported_with(run_cli, ws: Path, edit: Callable[[etree._Element], None]) -> Path:
    exported = export(run_cli, ws, "--lang", "ar", "BV")
    fill_xliff2(exported, arabic)
    tree = etree.parse(str(exported))
    edit(tree.getroot())
    tree.write(str(exported), xml_declaration=True, encoding="UTF-8")
    return exported


def _unit(root: etree._Element, name: str) -> etree._Element:
    return next(u for u in root.iter(f"{{{XLIFF2}}}unit") if u.get("name") == name)


def _target(root: etree._Element, name: str) -> etree._Element:
    return _unit(root, name).find(f".//{{{XLIFF2}}}target")


def _drop_code(root: etree._Element) -> None:
    target = _target(root, "objectives/1/summary")
    code = target.find(f"{{{XLIFF2}}}ph")
    code.getparent().remove(code)


def _foreign_code(root: etree._Element) -> None:
    target = _target(root, "methodology/summary")
    target.append(etree.Element(f"{{{XLIFF2}}}ph", id="99", dataRef="d1"))


def _unknown_id(root: etree._Element) -> None:
    _unit(root, "covid19/summary").set("name", "objectives/24/summary")
    _unit(root, "objectives/24/summary").set("id", "objectives.24.summary")


def _unbalanced(root: etree._Element) -> None:
    target = _target(root, "methodology/summary")
    for element in list(target):
        target.remove(element)
    target.text = "نص"
    target.append(etree.Element(f"{{{XLIFF2}}}sc", id="1"))


@pytest.mark.parametrize("edit,code", [(_drop_code, "codes-mismatch"),
                                       (_foreign_code, "codes-mismatch"),
                                       (_unknown_id, "unknown-unit"),
                                       (_unbalanced, "unreadable-unit")])
def test_bad_units_refuse_the_whole_file(run_cli, ws: Path, edit: Callable[..., None],
                                         code: str) -> None:
    exported = _exported_with(run_cli, ws, edit)
    done = run_cli("translate", "import", str(exported), cwd=ws)
    assert done.code == 1, done.out
    assert f"error[{code}]" in done.out and "hint:" in done.out
    assert "refused: nothing written" in done.out and "Traceback" not in done.out + done.err
    assert not (ws / "translations").exists()


def test_raw_html_typst_and_tex_in_a_translation_are_inert(run_cli, ws: Path) -> None:
    def edit(root: etree._Element) -> None:
        target = _target(root, "covid19/summary")
        target.text = ("نص <script>alert(1)</script> <img src=x onerror=alert(2)> "
                       "#set page(fill: red) \\input{/etc/passwd} ``` {=typst}")
    exported = _exported_with(run_cli, ws, edit)
    done = run_cli("translate", "import", str(exported), cwd=ws)
    assert done.code == 0, done.out
    assert "warning[raw-markup]: covid19/summary" in done.out
    built = run_cli("build", "--country", "BV", "--lang", "ar", "--format", "html,md", cwd=ws)
    assert built.code == 0, built.err
    html = (ws / "build" / "BV.ar.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "<img src=x" not in html
    assert "#set page(fill: red)" in html and "\\input{/etc/passwd}" in html


def test_a_file_for_another_state_is_refused(run_cli, ws: Path, tmp_path: Path) -> None:
    exported = export(run_cli, ws, "--lang", "ar", "BV")
    renamed = tmp_path / "MA.fr-ar.xlf"
    shutil.copy(exported, renamed)
    done = run_cli("translate", "import", str(renamed), cwd=ws)
    assert done.code == 2
    assert "is named for MA, but it translates the review of BV" in done.out
    other = copy_workspace(tmp_path / "other", ("MA",))
    done = run_cli("translate", "import", str(exported), cwd=other)
    assert done.code == 2 and "there is no review of BV in this workspace" in done.out


def test_a_wrong_script_is_a_warning(run_cli, ws: Path) -> None:
    exported = export(run_cli, ws, "--lang", "ar", "MA")
    fill_xliff2(exported, lambda s: s)  # the original copied as the "translation"
    done = run_cli("translate", "import", str(exported), "--dry-run", cwd=ws)
    assert "warning[wrong-script]" in done.out and "dry run" in done.out
    assert not (ws / "translations").exists()


def test_a_placeholder_left_in_a_translation_is_not_imported(run_cli, ws: Path) -> None:
    """"TODO" (what `gcmreview new` writes where text is to come) is no translation: a
    report would show the narrative as not reported."""
    exported = export(run_cli, ws, "--lang", "ar", "MA")
    fill_xliff2(exported, lambda s: "TODO" if s.strip() else s)
    done = run_cli("translate", "import", str(exported), cwd=ws)
    assert done.code == 1  # as a draft left in the file
    assert "warning[placeholder]" in done.out and "still a placeholder (“TODO”)" in done.out
    assert not (ws / "translations").exists()


# --- the catalogue --------------------------------------------------------------------------

def test_missing_official_titles_are_listed_to_copy_and_imported(run_cli, ws: Path) -> None:
    exported = export(run_cli, ws, "--lang", "ar", "--catalogue")
    assert exported.name == "catalogue.en-ar.xlf"
    text = exported.read_text(encoding="utf-8")
    t = translations("ar").gettext
    assert t("Official text: copy it from A/RES/73/195 in {language}, do not "
             "translate it.").format(language="العربية") in text
    assert 'name="catalogue/objectives/7/title"' in text
    assert 'name="catalogue/compact"' not in text  # the Arabic name is in the catalogue

    def edit(root: etree._Element) -> None:  # a synthetic text, marked as such
        for unit in root.iter(f"{{{XLIFF2}}}unit"):
            given = {"catalogue/objectives/7/title": "عنوان اختباري مُصطنع",
                     "catalogue/sources": "مصدر اختباري"}.get(unit.get("name"))
            if given is not None:
                segment = unit.find(f"{{{XLIFF2}}}segment")
                _fill(segment, XLIFF2, lambda _text, given=given: given)
                segment.set("state", "final")

    tree = etree.parse(str(exported))
    edit(tree.getroot())
    tree.write(str(exported), xml_declaration=True, encoding="UTF-8")
    done = run_cli("translate", "import", str(exported), cwd=ws)
    assert done.code == 0, done.out + done.err
    assert "catalogue: catalogue.yaml" in (ws / "gcmreview.yaml").read_text(encoding="utf-8")
    shown = json.loads(run_cli("catalogue", "--lang", "ar", "--format", "json", cwd=ws).out)
    seven = next(o for o in shown["objectives"] if o["number"] == 7)
    assert seven["title"]["text"] == "عنوان اختباري مُصطنع"
    assert "مصدر اختباري" in shown["source"]


# --- a new cycle ----------------------------------------------------------------------------

def test_new_from_an_earlier_cycle_carries_its_translations(run_cli, tmp_path: Path) -> None:
    ws = tmp_path / "two-cycles"
    shutil.copytree(ROOT / "docs" / "examples" / "two-cycles", ws)
    assert (ws / "cycles" / "2020" / "translations" / "en" / "BV.xlf").is_file()
    (ws / "countries" / "BV.yaml").unlink()
    made = run_cli("new", "BV", "--from", "2020", cwd=ws)
    assert made.code == 0, made.err
    assert "translations/en/BV.xlf" in made.err
    checked = run_cli("validate", "countries/BV.yaml", "-f", "json", cwd=ws)
    english = json.loads(checked.out)["files"][0]["translations"]["en"]
    assert english["translated"] == english["units"] > 0


def test_an_earlier_cycles_translations_are_not_read_through_a_link(run_cli,
                                                                   tmp_path: Path) -> None:
    """gcmreview.yaml and the cycles' folders arrive by pull request: a translations folder
    linked elsewhere on the computer is not read (the file itself was checked, not the
    folders on its way)."""
    ws = tmp_path / "two-cycles"
    shutil.copytree(ROOT / "docs" / "examples" / "two-cycles", ws)
    kept = ws / "cycles" / "2020" / "translations"
    elsewhere = tmp_path / "elsewhere"
    kept.rename(elsewhere)
    kept.symlink_to(elsewhere, target_is_directory=True)
    (ws / "countries" / "BV.yaml").unlink()
    (ws / "translations" / "en" / "BV.xlf").unlink()
    made = run_cli("new", "BV", "--from", "2020", cwd=ws)
    assert made.code == 0, made.err
    assert "translations/en/BV.xlf" not in made.err
    assert not (ws / "translations" / "en" / "BV.xlf").exists()


def test_the_shipped_synthetic_translations_are_current_and_used(run_cli,
                                                                tmp_path: Path) -> None:
    """docs/examples/two-cycles ships a synthetic English translation of BV in each cycle:
    marked synthetic, read as the store is read, current against its cycle's review, and
    used by an English report."""
    example = ROOT / "docs" / "examples" / "two-cycles"
    stores = sorted(example.rglob("translations/*/*.xlf"))
    assert [s.relative_to(example).as_posix() for s in stores] == [
        "cycles/2020/translations/en/BV.xlf", "translations/en/BV.xlf"]
    for store in stores:
        assert "Synthetic" in store.read_text(encoding="utf-8")
    ws = Path(shutil.copytree(example, tmp_path / "ws"))
    checked = run_cli("validate", "countries/BV.yaml", "-f", "json", cwd=ws)
    assert checked.code == 0, checked.out
    english = json.loads(checked.out)["files"][0]["translations"]["en"]
    assert english["complete"] and english["stale"] == english["missing"] == 0
    # The 2020 cycle's store against the 2020 review: that cycle as a workspace of its own.
    earlier = tmp_path / "ws2020"
    shutil.copytree(example / "cycles" / "2020", earlier)
    config = (example / "gcmreview.yaml").read_text(encoding="utf-8")
    config = re.sub(r"(?ms)^history:.*", "", config.replace("cycle: 2024", "cycle: 2020"))
    (earlier / "gcmreview.yaml").write_text(config, encoding="utf-8")
    old = run_cli("validate", "countries/BV.yaml", "-f", "json", cwd=earlier)
    assert old.code == 0, old.out
    english = json.loads(old.out)["files"][0]["translations"]["en"]
    assert english["complete"] and english["units"] > 0
    built = run_cli("build", "--country", "BV", "--lang", "en", "--format", "md", cwd=ws)
    assert built.code == 0, built.err
    md = (ws / "build" / "BV.en.md").read_text(encoding="utf-8")
    assert "Synthetic test text: the reception centres are open." in md
    assert "Texte de test synthétique : les centres" not in md
    marker = "Translated from French; the French original prevails."
    assert md.count(marker) == 1


def test_a_stale_translation_keeps_its_markdown_when_the_store_is_written_again(
        run_cli, ws: Path) -> None:
    exported = export(run_cli, ws, "--lang", "ar", "BV")
    fill_xliff2(exported, arabic)
    assert run_cli("translate", "import", str(exported), cwd=ws).code == 0
    review = ws / "countries" / "BV.yaml"
    review.write_text(review.read_text(encoding="utf-8").replace(
        "Un observatoire de test publie", "Un observatoire de test national publie"),
        encoding="utf-8")
    again = export(run_cli, ws, "--lang", "ar", "BV")
    tree = etree.parse(str(again))
    stale = _unit(tree.getroot(), "objectives/1/summary")
    previous = [n.text for n in stale.iter(f"{{{XLIFF2}}}note") if n.get("category") == "previous"]
    assert previous and f"{SYNTHETIC} ventilées*[^1]" in previous[0]  # its Markdown whole
    segment = _unit(tree.getroot(), "objectives/7/summary").find(f"{{{XLIFF2}}}segment")
    _fill(segment, XLIFF2, lambda text: f"{SYNTHETIC} — {text}")
    segment.set("state", "reviewed")
    tree.write(str(again), xml_declaration=True, encoding="UTF-8")
    assert run_cli("translate", "import", str(again), cwd=ws).code == 0
    kept = etree.parse(str(ws / "translations" / "ar" / "BV.xlf")).getroot()
    data = [d.text for d in _unit(kept, "objectives/1/summary").iter(f"{{{XLIFF2}}}data")]
    assert "[^1]" in data and "*" in data


def test_official_titles_from_a_bilingual_word_file(run_cli, ws: Path) -> None:
    exported = export(run_cli, ws, "--lang", "ar", "--catalogue", "--format", "docx")
    assert exported.name == "catalogue.en-ar.docx"
    document = docx.Document(str(exported))
    for row in document.tables[0].rows[1:]:
        given = {"catalogue/objectives/3/title": "عنوان اختباري مُصطنع",
                 "catalogue/sources": "مصدر اختباري"}.get(row_id(row))
        if given is not None:
            row.cells[2].paragraphs[0].add_run(given)
    document.save(str(exported))
    done = run_cli("translate", "import", str(exported), cwd=ws)
    assert done.code == 0, done.out
    text = (ws / "catalogue.yaml").read_text(encoding="utf-8")
    assert 'ar: "عنوان اختباري مُصطنع"' in text and 'ar: "مصدر اختباري"' in text


def test_a_damaged_store_is_an_error_and_reports_show_the_originals(run_cli, ws: Path) -> None:
    store = ws / "translations" / "ar" / "MA.xlf"
    store.parent.mkdir(parents=True)
    store.write_text(HOSTILE["xxe"][0], encoding="utf-8")
    checked = run_cli("validate", "countries/MA.yaml", cwd=ws)
    assert checked.code == 1 and "translations/ar/MA.xlf:1:1: error[translation-invalid]" \
        in checked.out
    built = run_cli("build", "--country", "MA", "--lang", "ar", "--format", "md", cwd=ws)
    assert built.code == 0 and "translations/ar/MA.xlf is not used" in built.err
    assert "Traceback" not in checked.out + checked.err + built.err


def test_start_tags_made_once_per_path_tell_equal_paths_apart() -> None:
    from gcmreview.render.xliff import _unit_start

    assert 'name="objectives/1/summary"' in _unit_start(("objectives", 1, "summary"))
    assert 'name="objectives/True/summary"' in _unit_start(("objectives", True, "summary"))
