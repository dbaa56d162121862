"""`gcmreview form` and `gcmreview import`: the Word round trip, on real files.

Forms are written by the real pandoc, saved again by the real LibreOffice,
edited with python-docx as a focal point edits them in Word, and read back by
pandoc's docx reader. Every example State and three synthetic reviews that use
every field of the format (tests/data/word/synthetic: English, French, Arabic)
must come back as the same review file, byte for byte.
"""

from __future__ import annotations

import difflib
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest

from gcmreview.core.i18n import translations
from gcmreview.load.loader import load_file
from gcmreview.render.review_file import plain
from tests import wordedit
from tests.conftest import DATA, copy_workspace

EXAMPLE = ("DZ", "IQ", "KM", "LB", "LY", "MA", "SY", "TN")
SYNTHETIC = ("AQ", "BV", "HM")
"""Full synthetic reviews, in English (AQ), French (BV) and Arabic (HM)."""


def review_data(path: Path) -> object:
    loaded = load_file(path, path.name)
    assert loaded.data is not None, loaded.diagnostics
    return plain(loaded.data)


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = copy_workspace(tmp_path / "ws")
    for path in (DATA / "word" / "synthetic").glob("*.yaml"):
        shutil.copy(path, root / "countries" / path.name)
    return root


def resave_with_libreoffice(files: list[Path], out: Path, profile: Path) -> list[Path]:
    """Open and save each file again in LibreOffice Writer, as a focal point without Word does."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice is not installed: apt-get install libreoffice-writer-nogui "
                    "(.ci/run does it)")
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out),
                    *map(str, files)], check=True, capture_output=True, timeout=300)
    saved = [out / f.name for f in files]
    for path in saved:
        assert path.is_file(), path
    return saved


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_untouched_forms_import_to_the_same_files(run_cli, ws: Path, lang: str) -> None:
    codes = (*EXAMPLE, *SYNTHETIC)
    made = run_cli("form", *codes, "--lang", lang, cwd=ws)
    assert made.code == 0, made.err
    assert sorted(p.name for p in (ws / "forms").iterdir()) == sorted(f"{c}.docx" for c in codes)
    (ws / "imported").mkdir()
    result = run_cli("import", *(f"forms/{c}.docx" for c in codes), "--output", "imported",
                     cwd=ws)
    assert "error[" not in result.out, result.out
    for code in codes:
        original = (ws / "countries" / f"{code}.yaml").read_bytes()
        imported = (ws / "imported" / f"{code}.yaml").read_bytes()
        assert imported == original, code
        assert f"forms/{code}.docx (Word form) → imported/{code}.yaml: written" in result.out


def test_forms_saved_again_by_libreoffice_import_to_the_same_data(run_cli, ws: Path,
                                                                   tmp_path: Path) -> None:
    run_cli("form", "MA", "LB", *SYNTHETIC, cwd=ws)  # each in its review's language
    run_cli("form", "TN", "--lang", "ar", cwd=ws)
    forms = sorted((ws / "forms").glob("*.docx"))
    saved = resave_with_libreoffice(forms, tmp_path / "saved", tmp_path / "profile")
    for original, again in zip(forms, saved, strict=True):
        assert original.read_bytes() != again.read_bytes()  # really rewritten
    (ws / "imported").mkdir()
    result = run_cli("import", *map(str, saved), "--output", "imported", cwd=ws)
    assert result.code == 0, result.out
    for path in saved:
        code = path.stem
        assert review_data(ws / "imported" / f"{code}.yaml") == \
            review_data(ws / "countries" / f"{code}.yaml"), code
        # The review on file's own text is kept where the answers did not change.
        assert (ws / "imported" / f"{code}.yaml").read_bytes() == \
            (ws / "countries" / f"{code}.yaml").read_bytes(), code


def test_the_form_holds_every_section_with_tick_boxes(run_cli, ws: Path) -> None:
    assert run_cli("form", "MA", "--lang", "en", cwd=ws).code == 0
    document = wordedit.open_form(ws / "forms" / "MA.docx")
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for expected in ("How to fill in this form", "About the review", "Methodology",
                     "Policy and enabling environment", "Progress on the objectives",
                     "Guiding principles", "COVID-19", "Means of implementation", "Next steps",
                     "Reservations", "Reservation 1", "Sources"):
        assert expected in headings
    objectives = [h for h in headings if h.startswith("Objective ")]
    assert len(objectives) == 23
    # Grouped by IMRF round table, with the official title.
    assert headings.index("IMRF round table 1: objectives 2, 5, 6, 12, 18") < headings.index(
        "Objective 2: Minimize the adverse drivers and structural factors that compel people "
        "to leave their country of origin")
    assert sum(h.startswith("(") for h in headings) == 10  # the guiding principles
    xml = zipfile.ZipFile(ws / "forms" / "MA.docx").read("word/document.xml").decode()
    # Every ☐/☒ is a Word check box; the review's statuses are ticked.
    assert xml.count("<w14:checkbox>") == xml.count(">☐<") + xml.count(">☒<")
    status = wordedit.answer(document, "Objective 23", "Status")
    assert [wordedit.text_of(p) for p in status.paragraphs] == [
        "☐ Implemented", "☒ In progress", "☐ Planned", "☐ Not started", "☐ Not applicable"]
    not_stated = wordedit.answer(document, "Objective 5", "Status")
    assert not any("☒" in wordedit.text_of(p) for p in not_stated.paragraphs)
    summary = wordedit.answer(document, "Objective 23", "Progress on this objective")
    assert summary.text.startswith("Le Maroc s'est engagé à mettre en œuvre")
    assert 'w:fill="EEF3F8"' in xml  # shaded label cells


def test_an_arabic_form_reads_right_to_left(run_cli, ws: Path) -> None:
    assert run_cli("form", "HM", cwd=ws).code == 0
    xml = zipfile.ZipFile(ws / "forms" / "HM.docx").read("word/document.xml").decode()
    assert "<w:bidiVisual />" in xml and "<w:bidi />" in xml
    document = wordedit.open_form(ws / "forms" / "HM.docx")
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "المنهجية" in headings
    assert any(h.startswith("الهدف 1:") for h in headings)


def test_forms_are_deterministic(run_cli, ws: Path) -> None:
    run_cli("form", "BV", cwd=ws)
    first = (ws / "forms" / "BV.docx").read_bytes()
    again = run_cli("form", "BV", "--force", cwd=ws)
    assert again.code == 0
    assert (ws / "forms" / "BV.docx").read_bytes() == first


FR = translations("fr").gettext


def objective_fr(number: int) -> str:
    """The start of an objective's heading in a French form: “Objectif 7 :”."""
    return FR("{objective}: {title}").format(
        objective=FR("Objective {number}").format(number=number), title="").rstrip()


def _edit_ma_form(run_cli, ws: Path) -> Path:
    """The French form of Morocco, changed as a focal point would in Word."""
    assert run_cli("form", "MA", cwd=ws).code == 0
    path = ws / "forms" / "MA.docx"
    document = wordedit.open_form(path)
    status, summary_label = FR("Status"), FR("Progress on this objective")
    wordedit.tick(wordedit.answer(document, objective_fr(23), status), FR("Implemented"))
    summary = wordedit.answer(document, objective_fr(23), summary_label)
    wordedit.set_paragraphs(summary, ["Observatoire africain des migrations ouvert à Rabat."],
                            bold_first_word=True)
    wordedit.add_bullets(document, summary, ["premier accord signé", "second accord en vue"])
    wordedit.tick(wordedit.answer(document, objective_fr(7), status), FR("In progress"))
    wordedit.set_paragraphs(wordedit.answer(document, objective_fr(7), summary_label),
                            ["Des centres d'accueil ont ouvert.", "Un second paragraphe."])
    measures = wordedit.tables_after(document, objective_fr(7))[1]
    wordedit.set_paragraphs(measures.rows[1].cells[0], ["Centre d'accueil de test"])
    wordedit.set_paragraphs(measures.rows[1].cells[1], ["2021"])
    wordedit.add_row(measures, ["Second centre de test", "", "Ouvert *plus tard*."])
    wordedit.tick(wordedit.answer(document, objective_fr(7), FR("Guiding principles applied")),
                  "a)", only=False)  # French UN lettering
    document.save(str(path))
    return path


def test_edits_made_in_word_are_imported(run_cli, ws: Path) -> None:
    _edit_ma_form(run_cli, ws)
    before = (ws / "countries" / "MA.yaml").read_text(encoding="utf-8")
    dry = run_cli("import", "forms/MA.docx", "--dry-run", cwd=ws)
    assert dry.code == 0, dry.out
    assert "would replace the file, with --force (dry run: nothing written)" in dry.out
    assert "now covers objective 7 (in progress)" in dry.out
    assert "status changed: 23: in progress → implemented" in dry.out
    assert "text changed for objective 23" in dry.out
    assert (ws / "countries" / "MA.yaml").read_text(encoding="utf-8") == before
    refused = run_cli("import", "forms/MA.docx", cwd=ws)
    assert refused.code == 2 and "countries/MA.yaml already exists" in refused.out
    assert (ws / "countries" / "MA.yaml").read_text(encoding="utf-8") == before
    done = run_cli("import", "forms/MA.docx", "--force", cwd=ws)
    assert done.code == 0, done.out
    after = (ws / "countries" / "MA.yaml").read_text(encoding="utf-8")
    data = review_data(ws / "countries" / "MA.yaml")
    assert data["objectives"][23]["status"] == "implemented"
    assert data["objectives"][23]["summary"] == (
        "**Observatoire** africain des migrations ouvert à Rabat.\n\n"
        "- premier accord signé\n- second accord en vue")
    assert data["objectives"][7] == {
        "status": "in_progress",
        "summary": "Des centres d'accueil ont ouvert.\n\nUn second paragraphe.",
        "measures": [{"title": "Centre d'accueil de test", "year": 2021},
                     # Asterisks typed in Word are text, not Markdown emphasis.
                     {"title": "Second centre de test",
                      "description": "Ouvert \\*plus tard\\*."}],
        "principles": ["people-centred"],
    }
    # Only what changed: the comments and the other objectives keep their lines.
    assert "# Objectifs 5, 10 et 21 : le rapport les cite parmi les défis" in after
    changed = [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(),
                                                     n=0, lineterm="")
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert all("Le Maroc compte" not in line for line in changed)
    assert len(changed) < 30


def test_a_form_handed_out_with_a_former_label_is_still_read(run_cli, ws: Path) -> None:
    """French forms said "Statut" until December 2026 ("État d'avancement" since, as
    "statut" in that sense is an anglicism): one filled in then and returned now is read
    as before (model/form.py FORMER_LABELS)."""
    path = _edit_ma_form(run_cli, ws)
    document = wordedit.open_form(path)
    renamed = 0
    for table in document.tables:
        for row in table.rows:
            label = row.cells[0].paragraphs[0]
            if label.text.strip() == FR("Status"):
                label.runs[0].text = "Statut"
                for run in label.runs[1:]:
                    run.text = ""
                renamed += 1
    assert renamed >= 23  # one for each objective
    document.save(str(path))
    result = run_cli("import", "forms/MA.docx", "--dry-run", cwd=ws)
    assert result.code == 0, result.out
    assert "status changed: 23: in progress → implemented" in result.out
    assert "now covers objective 7 (in progress)" in result.out
    assert "is not a question of this section" not in result.out


def test_what_cannot_be_placed_is_reported_where_it_was(run_cli, ws: Path) -> None:
    assert run_cli("form", "MA", cwd=ws).code == 0
    path = ws / "forms" / "MA.docx"
    document = wordedit.open_form(path)
    tables = wordedit.tables_after(document, objective_fr(23))
    wordedit.paragraph_after(document, tables[0], "Un texte écrit hors des tableaux.")
    wordedit.tick(wordedit.answer(document, objective_fr(5), FR("Status")), FR("Planned"))
    wordedit.tick(wordedit.answer(document, objective_fr(5), FR("Status")), FR("In progress"),
                  only=False)
    wordedit.set_paragraphs(wordedit.answer(document, objective_fr(10), FR("Status")),
                            ["en cours de finalisation"])
    wordedit.delete(wordedit.heading(document, objective_fr(21)))
    document.save(str(path))
    before = (ws / "countries" / "MA.yaml").read_bytes()
    result = run_cli("import", "forms/MA.docx", "--dry-run", cwd=ws)
    assert result.code == 1, result.out
    out = result.out
    assert "not-placed" in out and "Un texte écrit hors des tableaux." in out
    assert f"section “{objective_fr(23)}" in out
    assert "several-ticked" in out and "several boxes are ticked" in out
    assert "unknown-choice" in out and "“en cours de finalisation” is not one of the choices" in out
    assert "row-repeated" in out  # objective 21's tables fell under objective 20's heading
    assert "section-missing" in out and "objective 21" in out
    assert (ws / "countries" / "MA.yaml").read_bytes() == before


def test_a_blank_form_for_a_state_without_a_review(run_cli, ws: Path) -> None:
    assert run_cli("form", "BH", cwd=ws).code == 0
    document = wordedit.open_form(ws / "forms" / "BH.docx")
    status = wordedit.answer(document, "About the review", "Document status")
    assert wordedit.text_of(status.paragraphs[0]) == "☒ Draft"
    result = run_cli("import", "forms/BH.docx", cwd=ws)
    assert review_data(ws / "countries" / "BH.yaml") == {
        "country": "BH", "review": {"cycle": 2020, "language": "en", "status": "draft"},
        "objectives": {}}
    assert "written" in result.out


@pytest.mark.parametrize("name", sorted(p.name for p in (DATA / "word" / "hostile").iterdir()
                                        if p.name != "make.py" and p.name != "ok.docx"))
def test_hostile_documents_are_refused_and_touch_nothing(run_cli, ws: Path, name: str) -> None:
    shutil.copy(DATA / "word" / "hostile" / name, ws / name)
    before = (ws / "countries" / "MA.yaml").read_bytes()
    result = run_cli("import", name, "--country", "MA", "--force", cwd=ws)
    assert "Traceback" not in result.out + result.err
    if name in ("external.docx", "embedded.docx", "comment-ok.docx"):
        # Readable: what it links to is named and not opened.
        assert result.code in (0, 1), result.out
        return
    assert result.code == 2, result.out
    assert f"{name}: error: " in result.out
    assert "hint: " in result.out
    assert (ws / "countries" / "MA.yaml").read_bytes() == before


def test_external_references_are_named_not_followed(run_cli, ws: Path) -> None:
    shutil.copy(DATA / "word" / "hostile" / "external.docx", ws / "external.docx")
    result = run_cli("import", "external.docx", "--country", "MA", "--output", "out.yaml",
                     cwd=ws)
    assert "external-reference" in result.out
    assert "file:///etc/passwd" in result.out
    text = (ws / "out.yaml").read_text(encoding="utf-8")
    assert "root:" not in text


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_a_free_form_review_is_imported_with_what_went_where(run_cli, ws: Path,
                                                             lang: str) -> None:
    source = DATA / "word" / "legacy" / f"review.{lang}.docx"
    result = run_cli("import", str(source), "--country", "MA", "--output", "out.yaml",
                     cwd=ws)
    assert "(free-form Word review) → out.yaml: written" in result.out
    assert "what went where:" in result.out
    data = review_data(ws / "out.yaml")
    assert data["review"]["status"] == "draft" and data["review"]["language"] == lang
    assert data["objectives"]
    for number in data["objectives"]:
        assert re.search(rf"objective {number} › Progress on this objective ← section “[^”]+”, "
                         r"paragraph \d+",
                         result.out)
    assert all("status" not in o for o in data["objectives"].values())
    # Said once per objective, where it is in the document (not again for the file).
    said = [line for line in result.out.splitlines() if "status-not-stated" in line]
    assert len(said) == len(data["objectives"]) and "section “" in said[0]


def test_form_refuses_a_review_with_errors_and_an_existing_file(run_cli, ws: Path) -> None:
    broken = ws / "countries" / "MA.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("status: in_progress",
                                                                 "status: done"),
                      encoding="utf-8")
    result = run_cli("form", "MA", cwd=ws)
    assert result.code == 2
    assert "countries/MA.yaml has errors, so the form cannot start from it" in result.err
    assert "--blank" in result.err
    assert run_cli("form", "MA", "--blank", cwd=ws).code == 0
    again = run_cli("form", "MA", "--blank", cwd=ws)
    assert again.code == 2 and "forms/MA.docx already exists" in again.err
    unknown = run_cli("form", "Maroc", cwd=ws)
    assert unknown.code == 2 and "write MA" in unknown.err


def test_a_form_starts_from_a_file_fresh_from_new(run_cli, tmp_path: Path) -> None:
    """`new TN` then `form TN`: the TODO texts and the statuses not chosen yet are blank
    answers, not errors; the untouched form imports back to a file that reads."""
    ws = copy_workspace(tmp_path / "ws", ())
    assert run_cli("new", "TN", "--lang", "fr", cwd=ws).code == 0
    made = run_cli("form", "TN", cwd=ws)
    assert made.code == 0, made.err
    text = "\n".join(p.text for p in docx.Document(str(ws / "forms" / "TN.docx")).paragraphs)
    assert "TODO" not in text
    dry = run_cli("import", "forms/TN.docx", "--dry-run", cwd=ws)
    assert dry.code == 0, dry.out
    assert "would replace the file, with --force" in dry.out
    # The fixes are said in the form's words: the focal point works in Word.
    assert "in the form, answer every objective, or tick “Not applicable”" in dry.out
    assert "in the form, fill in the part “Guiding principles”" in dry.out
    assert "mark it not_applicable" not in dry.out and "under `principles:`" not in dry.out
    done = run_cli("import", "forms/TN.docx", "--force", cwd=ws)
    assert done.code == 0, done.out
    checked = run_cli("validate", "countries/TN.yaml", "--format", "json", cwd=ws)
    assert json.loads(checked.out)["valid"] is True
    assert "objectives: {}" in (ws / "countries" / "TN.yaml").read_text(encoding="utf-8")
    # A real error still stops the form.
    path = ws / "countries" / "TN.yaml"
    path.write_text(re.sub(r"cycle: \d+", "cycle: soon", path.read_text(encoding="utf-8")),
                    encoding="utf-8")
    refused = run_cli("form", "TN", "--force", cwd=ws)
    assert refused.code == 2 and "has errors" in refused.err


def test_an_import_changes_only_what_changed_and_names_every_change(run_cli,
                                                                    ws: Path) -> None:
    """Issue 20, points 5 and 6: an edited narrative keeps the folded lines of its untouched
    paragraph; --dry-run names every change (a deleted institution too); two ticked boxes
    leave the status on file as it was, and say so."""
    assert run_cli("form", "MA", cwd=ws).code == 0
    path = ws / "forms" / "MA.docx"
    document = wordedit.open_form(path)
    original = review_data(ws / "countries" / "MA.yaml")
    first = original["objectives"][5]["summary"]
    added = ("Un second paragraphe, ajouté par le point focal dans le formulaire Word, assez "
             "long pour être replié sur deux lignes au moins dans le fichier.")
    wordedit.set_paragraphs(wordedit.answer(document, objective_fr(5),
                                            FR("Progress on this objective")), [first, added])
    institutions = original["methodology"]["institutions"]
    wordedit.set_paragraphs(wordedit.answer(document, FR("Methodology"),
                                            FR("Government institutions involved")),
                            [i for i in institutions if i != "Ministère des Finances"])
    status = wordedit.answer(document, objective_fr(23), FR("Status"))
    wordedit.tick(status, FR("Planned"), only=False)  # “In progress” stays ticked too
    document.save(str(path))
    before = (ws / "countries" / "MA.yaml").read_text(encoding="utf-8")

    dry = run_cli("import", "forms/MA.docx", "--dry-run", cwd=ws)
    assert "every change to the file:" in dry.out
    assert ("Methodology › Government institutions involved: “Ministère des Finances” "
            "removed") in dry.out
    assert "objective 5 › Progress on this objective: text changed" in dry.out
    assert "several-ticked" in dry.out
    assert "answer-kept" in dry.out and \
        "the review on file keeps its answer here: in progress" in dry.out
    assert "objective 23 › Status" not in dry.out  # nothing changes there
    assert (ws / "countries" / "MA.yaml").read_text(encoding="utf-8") == before

    done = run_cli("import", "forms/MA.docx", "--force", cwd=ws)
    assert done.code == 1, done.out  # the two ticks are an error: said, not lost
    data = review_data(ws / "countries" / "MA.yaml")
    assert data["objectives"][23]["status"] == "in_progress"
    assert data["objectives"][5]["summary"] == f"{first}\n\n{added}"
    assert "Ministère des Finances" not in data["methodology"]["institutions"]
    after = (ws / "countries" / "MA.yaml").read_text(encoding="utf-8")
    changed = [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(),
                                                     n=0, lineterm="")
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    # The untouched paragraph keeps its folded lines: only the new one and the deleted
    # institution are in the diff.
    assert changed[0] == '-    - "Ministère des Finances"'
    assert [line for line in changed if line.strip("+ ")] == [
        '-    - "Ministère des Finances"',
        "+      Un second paragraphe, ajouté par le point focal dans le formulaire Word, "
        "assez long",
        "+      pour être replié sur deux lignes au moins dans le fichier."]
    assert re.search(r"  5:\n    summary: >-\n      Le Maroc compte", after)


def test_a_plain_paragraph_that_reads_like_a_heading_is_not_merged(run_cli, ws: Path,
                                                                  tmp_path: Path) -> None:
    """Issue 20, point 7: “الهدف الثاني عشر” typed as plain text (bold on its Latin words
    only) opens objective 12, with a warning; its text does not go into objective 7."""
    document = docx.Document()
    document.add_heading("الهدف السابع", level=1)
    document.add_paragraph("نص الهدف السابع.")
    plain = document.add_paragraph()
    plain.add_run("الهدف الثاني عشر ")
    plain.add_run("(GCM)").bold = True
    document.add_paragraph("نص الهدف الثاني عشر.")
    source = tmp_path / "EG.docx"
    document.save(str(source))
    result = run_cli("import", str(source), "--lang", "ar", "--output", "EG.yaml", cwd=ws)
    assert "heading-unstyled" in result.out
    assert "it was read as the heading of objective 12" in result.out
    data = review_data(ws / "EG.yaml")
    assert data["objectives"][7]["summary"] == "نص الهدف السابع."
    assert data["objectives"][12]["summary"] == "نص الهدف الثاني عشر."
    # A sentence that opens with an objective is text, not a heading.
    document = docx.Document()
    document.add_heading("Objective 7", level=1)
    document.add_paragraph("Objective 12 is where the ministry works next.")
    document.save(str(source))
    result = run_cli("import", str(source), "--lang", "en", "--output", "EG2.yaml", cwd=ws)
    assert "heading-unstyled" not in result.out
    assert "Objective 12 is where" in review_data(ws / "EG2.yaml")["objectives"][7]["summary"]


@pytest.mark.parametrize("code", ["/tmp/elsewhere", "../../gcmreview", "XX", "M A"])
def test_a_forms_country_code_cannot_name_a_file_elsewhere(run_cli, ws: Path, tmp_path: Path,
                                                          code: str) -> None:
    """The form's country code names the review file: a form arrives from outside (a
    focal point's e-mail, a pull request), and one whose code was "/tmp/x" or
    "../gcmreview" wrote a .yaml file there (or overwrote the workspace's own). A code
    that is not an ISO 3166-1 one is refused; --country still decides for a form that
    names no State or another."""
    assert run_cli("form", "MA", cwd=ws).code == 0
    form = ws / "forms" / "MA.docx"
    hostile = ws / "hostile.docx"
    with zipfile.ZipFile(form) as source, zipfile.ZipFile(hostile, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                assert data.count(b">MA<") >= 1
                data = data.replace(b">MA<", f">{code}<".encode(), 1)
            target.writestr(info, data)
    before = {p: p.read_bytes() for p in ws.rglob("*") if p.is_file()}
    result = run_cli("import", "hostile.docx", "--force", cwd=ws)
    assert result.code == 2, result.out
    assert "is not an ISO 3166-1 country code" in result.out
    assert "correct it in the form" in result.out
    after = {p: p.read_bytes() for p in ws.rglob("*") if p.is_file()}
    assert after == before
    assert not Path("/tmp/elsewhere.yaml").exists()
    chosen = run_cli("import", "hostile.docx", "--country", "MA", "--dry-run", cwd=ws)
    assert chosen.code in (0, 1), chosen.out


def test_a_form_made_before_a_column_was_added_is_read_all_the_same(
        run_cli, tmp_path: Path) -> None:
    """The sources' `short_title` column came after forms went out: a returned form whose
    sources table has only ID, Title, Date and Web address keeps its sources (a table is
    read by column, so an added column is always the last: tested here too)."""
    from gcmreview.core import format as fmt

    for section in fmt.SECTIONS:
        for part in [section.part] if section.part else []:
            for group in part.groups:
                later = [c.later for c in group.columns]
                assert later == sorted(later), group.key  # `later` columns come last
    ws = copy_workspace(tmp_path / "ws", ("MA",))
    assert run_cli("form", "MA", cwd=ws).code == 0
    path = ws / "forms" / "MA.docx"
    document = wordedit.open_form(path)
    (table,) = [t for t in document.tables  # a header cell: its label, then its note
                if t.rows[0].cells[-1].paragraphs[0].text == "Titre abrégé"]
    for row in table.rows:  # the form as it was: four columns
        cell = row.cells[-1]._tc
        cell.getparent().remove(cell)
    grid = table._tbl.tblGrid
    grid.remove(grid.gridCol_lst[-1])
    document.save(str(path))
    (ws / "imported").mkdir()
    done = run_cli("import", "forms/MA.docx", "--output", "imported", cwd=ws)
    assert "error[" not in done.out, done.out
    imported = review_data(ws / "imported" / "MA.yaml")
    # All the form held: the short title it had no column for is not there.
    assert imported["sources"] == [
        {k: v for k, v in source.items() if k != "short_title"}
        for source in review_data(ws / "countries" / "MA.yaml")["sources"]]


def test_a_columns_note_is_under_its_label(run_cli, tmp_path: Path) -> None:
    """A table with a header row says under a column's label what goes in it, as the
    two-column tables do under a question (the sources' ID and short title), in the
    form's style for guidance, which `import` skips; the form still reads back whole."""
    ws = copy_workspace(tmp_path / "ws", ("MA",))
    assert run_cli("form", "MA", cwd=ws).code == 0
    document = wordedit.open_form(ws / "forms" / "MA.docx")
    (table,) = [t for t in document.tables
                if t.rows[0].cells[-1].paragraphs[0].text == "Titre abrégé"]
    header = {cell.paragraphs[0].text: [(p.style.name, p.text) for p in cell.paragraphs[1:]]
              for cell in table.rows[0].cells}
    assert header["Titre abrégé"] == [
        ("Form Note", "Pour les notes qui le citent à nouveau, par exemple Rapport de "
                      "l'atelier (2020).")]
    assert header["Identifiant"][0][0] == "Form Note"
    assert header["Titre"] == header["Date"] == []
    # Every label at the top of its cell, so that one with a note under it stands level.
    assert all(cell.vertical_alignment == docx.enum.table.WD_CELL_VERTICAL_ALIGNMENT.TOP
               for cell in table.rows[0].cells)
    (ws / "imported").mkdir()
    done = run_cli("import", "forms/MA.docx", "--output", "imported", cwd=ws)
    assert "error[" not in done.out, done.out
    imported = review_data(ws / "imported" / "MA.yaml")
    assert imported["sources"] == review_data(ws / "countries" / "MA.yaml")["sources"]


def test_a_tables_caption_stays_on_its_page(run_cli, tmp_path: Path) -> None:
    """The note above a table (what goes in it) is kept with it: in Word's XML every such
    paragraph keeps with the next, and LibreOffice prints the sources' caption on the
    page of their table (it was left alone at the foot of the page before)."""
    import pypdf

    ws = copy_workspace(tmp_path / "ws", ("MA",))
    assert run_cli("form", "MA", cwd=ws).code == 0
    form = ws / "forms" / "MA.docx"
    with zipfile.ZipFile(form) as archive:
        xml = archive.read("word/document.xml").decode()
    captions = re.findall(r'<w:p><w:pPr><w:pStyle w:val="FormNote" />(<w:keepNext />)?'
                          r'</w:pPr>(?:(?!</w:p>).)*</w:p>\s*<w:tbl>', xml, re.DOTALL)
    assert captions and all(captions), "a caption not kept with its table"
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice is not installed: apt-get install libreoffice-writer-nogui "
                    "(.ci/run does it)")
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(form)], check=True, capture_output=True, timeout=300)
    pages = [" ".join(page.extract_text().split())
             for page in pypdf.PdfReader(tmp_path / "MA.pdf").pages]
    (page,) = [p for p in pages if "Documents cités par l" in p]
    assert "Titre abrégé" in page and "Rapport du deuxième atelier" in page
