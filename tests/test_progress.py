"""Progress across review cycles: `gcmreview progress`, the comparisons in the reports, and
reviews started from an earlier cycle (`new --from`, `form --from`).

The synthetic two-cycle workspace of the docs (docs/examples/two-cycles: 2024 compared
with 2020, kept in a folder) is copied for each test; one test keeps the earlier cycle
in git instead, under a tag.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from gcmreview.model.changes import change
from tests import wordedit

from .conftest import ROOT, unescaped
from .gitrepo import commit_all, git, init_repo

EXAMPLE = ROOT / "docs" / "examples" / "two-cycles"


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return Path(shutil.copytree(EXAMPLE, tmp_path / "ws"))


def progress_json(run_cli, ws: Path, *args: str) -> dict:
    result = run_cli("progress", "--format", "json", *args, cwd=ws)
    assert result.code == 0, result.err
    return json.loads(result.out)


def changes(doc: dict, country: str) -> dict[int, tuple[str | None, str | None, str]]:
    state = next(s for s in doc["states"] if s["country"] == country)
    return {o["objective"]: (o["before"], o["after"], o["change"]) for o in state["objectives"]}


def test_every_kind_of_change(run_cli, ws: Path) -> None:
    doc = progress_json(run_cli, ws)
    assert (doc["since"], doc["now"], doc["history"]) == (2020, 2024, "cycles/2020")
    assert changes(doc, "AQ") == {
        1: ("planned", "implemented", "forward"),
        2: ("in_progress", "planned", "back"),
        5: ("not_stated", "in_progress", "changed"),
        9: (None, "in_progress", "new"),
    }
    assert changes(doc, "BV") == {
        7: ("in_progress", "implemented", "forward"),
        10: ("planned", None, "dropped"),
        12: (None, "not_applicable", "new"),
    }
    states = {s["country"]: s for s in doc["states"]}
    assert states["AQ"]["principles"] == {"gained": ["national-sovereignty"],
                                          "lost": ["international-cooperation"]}
    assert states["AQ"]["coverage"] == {"before": {"objectives": 3, "principles": 2},
                                        "after": {"objectives": 4, "principles": 2}}
    # A State in one cycle only.
    assert states["HM"]["presence"] == "new" and states["HM"]["coverage"]["before"] is None
    assert states["TF"]["presence"] == "gone" and states["TF"]["regression"]
    assert not states["HM"]["regression"]
    assert doc["objectives"]["1"] == {"forward": 1, "back": 0, "new": 0, "dropped": 0,
                                      "changed": 0}


def test_table_csv_markdown_and_regressions(run_cli, ws: Path, monkeypatch) -> None:
    table = run_cli("progress", cwd=ws)
    assert "AQ  objectives 3/23 → 4/23" in table.out
    assert "moved back: 2 (in progress → planned)" in table.out
    assert "HM  new in this cycle" in table.out
    # Guiding principles by their letters and names, as people know them (the JSON keeps
    # the files' slugs); one is one.
    assert "guiding principle now reported: (c) National sovereignty" in table.out
    assert "guiding principle no longer reported: (b) International cooperation" in table.out
    assert "national-sovereignty" not in table.out
    rows = run_cli("progress", "--format", "csv", cwd=ws).out.splitlines()
    assert rows[0] == "country,objective,status_2020,status_2024,change"
    assert "BV,10,planned,,dropped" in rows
    md = unescaped(run_cli("progress", "--format", "markdown", cwd=ws).out)
    assert md.startswith("## Progress since 2020, cycle 2024\n")
    assert "| **AQ Antarctica** | 3/23 | 4/23 | 1 | 2 | 9 | – |" in md
    # Its columns of objectives' numbers say they are objectives, not counts.
    assert ("| State | objectives covered, 2020 | objectives covered, 2024 | objectives moved "
            "forward | objectives moved back | objectives newly reported | objectives no longer "
            "reported |") in md
    failed = run_cli("progress", "--fail-on-regression", cwd=ws)
    assert failed.code == 1
    assert "BV: since 2020, no longer reported: 10 (planned)" in failed.err
    monkeypatch.setenv("GCMREVIEW_LANG", "fr")
    french = run_cli("progress", cwd=ws)
    assert "a progressé" in french.out or "progressé" in french.out
    assert "moved back" not in french.out
    assert "principe directeur désormais renseigné : c) Souveraineté nationale" in " ".join(
        french.out.replace("\u00a0", " ").replace("\u202f", " ").split())


def test_a_missing_cycle_or_ref_is_named(run_cli, ws: Path) -> None:
    unknown = run_cli("progress", "--since", "2016", cwd=ws)
    assert unknown.code == 2 and "gcmreview.yaml names no 2016 cycle" in unknown.err
    config = ws / "gcmreview.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("cycles/2020", "review-2020"),
                      encoding="utf-8")
    missing = run_cli("progress", cwd=ws)
    assert missing.code == 2
    assert ("the 2020 cycle that gcmreview.yaml names under `history:`, “review-2020”, is "
            "neither a folder of this workspace nor a git tag, branch or commit") in missing.err
    assert "Traceback" not in missing.err


@pytest.mark.parametrize(("where", "words"), [
    ("../outside", "is a folder outside the workspace"),
    ("countries", "is this cycle's own folder of review files"),
    ("cycles/empty", "holds no review file"),
])
def test_a_cycle_folder_must_hold_that_cycles_files(run_cli, ws: Path, where: str,
                                                     words: str) -> None:
    """gcmreview.yaml arrives by pull request too: it must not make a build read files
    elsewhere on the computer, nor compare a cycle with itself or with nothing."""
    outside = ws.parent / "outside" / "countries"
    shutil.copytree(ws / "cycles" / "2020" / "countries", outside)
    (ws / "cycles" / "empty").mkdir()
    config = ws / "gcmreview.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("cycles/2020", where),
                      encoding="utf-8")
    for args in (("progress",), ("build", "--country", "AQ", "--format", "md")):
        refused = run_cli(*args, cwd=ws)
        assert refused.code == 2, refused.out
        assert words in refused.err and "Traceback" not in refused.err


def test_a_link_out_of_the_workspace_is_refused(run_cli, ws: Path) -> None:
    outside = ws.parent / "outside"
    shutil.move(ws / "cycles" / "2020", outside)
    (ws / "cycles" / "2020").symlink_to(outside, target_is_directory=True)
    refused = run_cli("progress", cwd=ws)
    assert refused.code == 2 and "is a folder outside the workspace" in refused.err


def test_a_linked_countries_folder_of_a_cycle_is_refused(run_cli, ws: Path) -> None:
    """The cycle's folder inside the workspace, its countries/ folder a link out of it:
    the review files behind the link are not read."""
    outside = ws.parent / "outside-countries"
    shutil.move(ws / "cycles" / "2020" / "countries", outside)
    (ws / "cycles" / "2020" / "countries").symlink_to(outside, target_is_directory=True)
    refused = run_cli("progress", cwd=ws)
    assert refused.code == 2 and "is a folder outside the workspace" in refused.err


def test_an_invalid_earlier_file_is_left_out_visibly(run_cli, ws: Path) -> None:
    broken = ws / "cycles" / "2020" / "countries" / "BV.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("status: planned",
                                                                 "status: done"),
                      encoding="utf-8")
    doc = progress_json(run_cli, ws)
    assert doc["left_out"] == [{"country": "BV",
                                "file": "cycles/2020/countries/BV.yaml"}]
    # BV did submit in 2020: it is left out, not new to the review.
    assert "BV" not in {s["country"] for s in doc["states"]}
    shown = run_cli("progress", cwd=ws)
    assert "Left out, invalid in 2020: BV" in shown.out
    assert "cycles/2020/countries/BV.yaml:9:13: error[invalid-value]:" in shown.err  # why
    built = run_cli("build", "--country", "BV", "--lang", "en", "--format", "md", "--out",
                    "out", cwd=ws)
    assert built.code == 0, built.err
    report = (ws / "out" / "BV.en.md").read_text(encoding="utf-8")
    assert ("**Since the 2020 review**: the review file of that cycle is invalid, so it is not "
            "compared.") in report
    assert "(2020: Invalid file)" in report and "No review" not in report


def test_an_invalid_file_of_this_cycle_is_not_a_review_gone(run_cli, ws: Path) -> None:
    broken = ws / "countries" / "AQ.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("status: implemented",
                                                                 "status: done", 1),
                      encoding="utf-8")
    doc = progress_json(run_cli, ws)
    assert doc["left_out_now"] == [{"country": "AQ", "file": "countries/AQ.yaml"}]
    assert "AQ" not in {s["country"] for s in doc["states"]}
    gate = run_cli("progress", "--fail-on-regression", cwd=ws)
    assert "AQ: since 2020" not in gate.err and "Left out, invalid in 2024: AQ" in gate.out


def test_two_files_for_one_state_in_an_earlier_cycle(run_cli, ws: Path) -> None:
    earlier = ws / "cycles" / "2020" / "countries"
    shutil.copy(earlier / "AQ.yaml", earlier / "AQ.yml")
    doc = progress_json(run_cli, ws)
    assert [e["country"] for e in doc["left_out"]] == ["AQ"]  # both files are invalid
    assert "AQ" not in {s["country"] for s in doc["states"]}


def test_an_earlier_cycle_kept_in_git(run_cli, tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    shutil.copy(EXAMPLE / "gcmreview.yaml", repo / "gcmreview.yaml")
    shutil.copytree(EXAMPLE / "cycles" / "2020" / "countries", repo / "countries")
    commit_all(repo, "The 2020 reviews")
    git(repo, "tag", "review-2020")
    shutil.rmtree(repo / "countries")
    shutil.copytree(EXAMPLE / "countries", repo / "countries")
    config = repo / "gcmreview.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("cycles/2020", "review-2020"),
                      encoding="utf-8")
    commit_all(repo, "The 2024 reviews")
    doc = progress_json(run_cli, repo)
    assert doc["history"] == "review-2020" and re.fullmatch(r"[0-9a-f]{40}", doc["commit"])
    assert changes(doc, "AQ")[1] == ("planned", "implemented", "forward")


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from gcmreview.commands.build import build
    from gcmreview.commands.context import Context

    ws = Path(shutil.copytree(EXAMPLE, tmp_path_factory.mktemp("cycles") / "ws"))
    for lang in ("en", "fr", "ar"):
        outcome = build(Context(ws), codes=["AQ", "BV", "HM"], region=True, lang=lang,
                        formats="md,html,pdf,docx" if lang == "ar" else "md,html",
                        out=ws / "out")
        assert outcome.exit_code == 0, outcome.failed
    return ws / "out"


def test_country_reports_show_each_objective_then_and_now(reports: Path) -> None:
    en = (reports / "AQ.en.md").read_text(encoding="utf-8")
    assert ("**Since the 2020 review** (objectives covered then: 3\u00a0of\u00a023; guiding "
            "principles covered then: 2\u00a0of\u00a010):") in en
    # Objectives by number and title after words that say they are objectives, the move
    # said: never a count running into a number ("Moved forward (1 objective): 1 (Data…").
    assert "- Objective moved forward: 1 (Data), planned → implemented" in en
    assert "- Objective moved back: 2 (Minimize adverse drivers), in progress → planned" in en
    assert "- Other change of status: 5 (Regular pathways), not stated → in progress" in en
    assert "- Objective newly reported: 9 (Counter smuggling)" in en
    # An objective no longer reported says where it stood then.
    bv = (reports / "BV.en.md").read_text(encoding="utf-8")
    assert "- Objective no longer reported: 10 (Eradicate trafficking), planned in 2020" in bv
    # Guiding principles gained and lost are said (2/10 then and now hid them).
    assert "- Guiding principle now reported: (c) National sovereignty" in en
    assert "- Guiding principle no longer reported: (b) International cooperation" in en
    assert "| \\# | Objective | Round table | Status, 2020 | Status, 2024 | Reported |" in en
    assert "**Status**: Implemented (2020: Planned)" in en
    assert "**Status**: In progress (2020: Not reported)" in en
    fr = (reports / "AQ.fr.md").read_text(encoding="utf-8")
    assert "**Depuis l\u2019examen de 2020**" in fr and "(2020\u00a0: prévu)" in fr
    # A semicolon as French sets it (it was "3/23; principes"); the ratio in words.
    assert "couverts alors\u00a0: 3\u00a0sur\u00a023\u00a0; principes directeurs couverts alors" \
        in fr
    assert "- Objectif en progrès\u00a0: 1 (Données), prévu → mis en œuvre" in fr
    ar = (reports / "AQ.ar.md").read_text(encoding="utf-8")
    assert "منذ استعراض عام 2020" in ar and "3\u00a0من\u00a023؛ " in ar
    assert "- الهدف الذي تقدّم: 1 (" in ar  # one objective, in the Arabic plural forms
    assert "Data (EN)\u2069]{lang=\"en\" dir=\"ltr\"})، من " in ar  # the Arabic comma
    # A State new in this cycle: it had no review then (not "no review in this cycle").
    new = (reports / "HM.en.md").read_text(encoding="utf-8")
    # Not "this is its first review": only the cycle compared is known to have none.
    assert "**Since the 2020 review**: the State submitted no review in 2020." in new


def test_regional_quotes_show_each_move(reports: Path) -> None:
    """Each State's response to an objective shows where it stood then, as the country
    report does; the French header of dropped objectives does not read as "more
    reported"."""
    en = (reports / "regional.en.md").read_text(encoding="utf-8")
    assert "#### Antarctica: Implemented (2020: Planned)" in en
    fr = (reports / "regional.fr.md").read_text(encoding="utf-8")
    assert "| Ne sont plus renseignés |" in fr and "| Plus renseignés |" not in fr

def test_regional_reports_compare_the_cycles(reports: Path) -> None:
    en = (reports / "regional.en.md").read_text(encoding="utf-8")
    section = en[en.index("# Progress since the 2020 review"):en.index("# Progress and trends")]
    assert "| Antarctica | 3/23 | 4/23 | 2/10 | 2/10 |  |" in section
    assert "New in this cycle" in section and "No review in this cycle" in section
    assert "States new to the review: Heard Island and McDonald Islands." in section
    assert "| 1 | Data | 1 | 0 | 0 | 0 |" in section
    # The key message counts what the table of objectives counts, and says over whom: the
    # heat map beside it also shows the new State's objectives as new.
    assert ("Since the 2020 review, among the States with a review in both cycles (2), "
            "objectives: moved forward 2, moved back 1, newly reported 2, no longer reported 1."
            "\n- States new to the review: 1.\n") in en
    # Each objective reported on by one State at most: none is "most reported on".
    assert "No objective is reported on by more than one State." in en
    assert "most reported on" not in en and "Most covered objective" not in en
    assert "General Assembly resolution 73/195, annex." in en
    # An objective a State no longer reports on does not vanish: said under it.
    ten = en[en.index("### Objective 10."):en.index("### Objective 11.")] \
        if "### Objective 11." in en else en[en.index("### Objective 10."):]
    assert "No longer reported by: Bouvet Island (2020: Planned)." in ten
    html = (reports / "regional.en.html").read_text(encoding="utf-8")
    assert html.count('src="data:image/svg+xml;base64,') == 3  # the changes' heat map too
    for lang, words in (("fr", "Progrès depuis l\u2019examen de 2020"),
                        ("ar", "التقدم منذ استعراض عام 2020")):
        text = (reports / f"regional.{lang}.md").read_text(encoding="utf-8")
        assert words in text


def test_arabic_pdf_and_docx_compare_the_cycles(reports: Path) -> None:
    """The comparison reaches the formats readers circulate, in the right-to-left one."""
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext) is not installed")
    text = subprocess.run(["pdftotext", str(reports / "regional.ar.pdf"), "-"], check=True,
                          capture_output=True, text=True, encoding="utf-8").stdout
    assert "التقدم منذ استعراض عام" in text and "3/23" in text and "4/23" in text
    with zipfile.ZipFile(reports / "AQ.ar.docx") as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    words = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", body))
    assert "منذ استعراض عام 2020" in words
    assert "<w:bidi" in body


def test_a_review_started_from_the_earlier_cycle(run_cli, ws: Path) -> None:
    (ws / "countries" / "AQ.yaml").unlink()
    made = run_cli("new", "AQ", "--from", "2020", cwd=ws)
    assert made.code == 0, made.err
    path = ws / "countries" / "AQ.yaml"
    text = path.read_text(encoding="utf-8")
    marks = re.findall(r"(?m)^ +carried_over: 2020$", text)
    assert len(marks) == 5  # 3 objectives, 2 principles
    assert "cycle: 2024" in text and "status: draft" in text
    checked = run_cli("validate", "countries/AQ.yaml", cwd=ws)
    assert checked.out.count("warning[carried-over]") == 5
    assert "objective 1 is carried over from the 2020 review and not checked yet" in checked.out
    # The focal point checks objective 1 and confirms it: the mark goes, the warning too.
    lines = text.splitlines()
    first = next(i for i, ln in enumerate(lines) if ln.strip() == "carried_over: 2020")
    path.write_text("\n".join(lines[:first] + lines[first + 1:]) + "\n", encoding="utf-8")
    again = run_cli("validate", "countries/AQ.yaml", cwd=ws)
    assert again.out.count("warning[carried-over]") == 4
    assert "objective 1 is carried over" not in again.out


def aq_2020_with_next_steps(ws: Path) -> None:
    """AQ's 2020 review with a next-steps section, and no 2024 review yet."""
    earlier = ws / "cycles" / "2020" / "countries" / "AQ.yaml"
    earlier.write_text(earlier.read_text(encoding="utf-8") + "next_steps:\n  summary: >-\n"
                       "    By 2022 the synthetic State of this example adopts a plan.\n",
                       encoding="utf-8")
    (ws / "countries" / "AQ.yaml").unlink()


def test_sections_carried_over_are_marked_too(run_cli, ws: Path) -> None:
    aq_2020_with_next_steps(ws)
    assert run_cli("new", "AQ", "--from", "2020", cwd=ws).code == 0
    checked = run_cli("validate", "countries/AQ.yaml", cwd=ws)
    assert checked.out.count("warning[carried-over]") == 6
    assert "the section `next_steps` is carried over from the 2020 review" in checked.out


def test_section_marks_go_through_the_word_form(run_cli, ws: Path) -> None:
    aq_2020_with_next_steps(ws)
    assert run_cli("form", "AQ", "--from", "2020", cwd=ws).code == 0
    document = wordedit.open_form(ws / "forms" / "AQ.docx")
    carried = wordedit.answer(document, "Next steps", "Carried over from an earlier review")
    assert wordedit.text_of(carried.paragraphs[0]) == "☒ From the 2020 review"
    imported = run_cli("import", "forms/AQ.docx", cwd=ws)
    assert imported.code == 0, imported.err
    checked = run_cli("validate", "countries/AQ.yaml", cwd=ws)
    assert "the section `next_steps` is carried over from the 2020 review" in checked.out


def test_a_carried_over_year_must_be_earlier(run_cli, ws: Path) -> None:
    path = ws / "countries" / "AQ.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("objectives:\n  1:\n", "objectives:\n  1:\n"
                                 "    carried_over: 2030\n", 1), encoding="utf-8")
    assert "carried_over: 2030" in path.read_text(encoding="utf-8")
    checked = run_cli("validate", "countries/AQ.yaml", cwd=ws)
    assert checked.code == 1
    assert ("error[invalid-value]: objective 1 is marked as carried over from the 2030 review, "
            "but this review is of the 2024 cycle") in checked.out


def test_a_form_started_from_the_earlier_cycle(run_cli, ws: Path) -> None:
    made = run_cli("form", "AQ", "--from", "2020", cwd=ws)
    assert made.code == 0, made.err
    form = ws / "forms" / "AQ.docx"
    document = wordedit.open_form(form)
    carried = wordedit.answer(document, "Objective 1:", "Carried over from an earlier review")
    assert wordedit.text_of(carried.paragraphs[0]) == "☒ From the 2020 review"
    wordedit.tick(carried, "From the 2020 review", only=False)  # confirm objective 1 …
    for t in carried._element.iter("{http://schemas.openxmlformats.org/wordprocessingml/"
                                   "2006/main}t"):
        if t.text == "☒":
            t.text = "☐"  # … by unticking it
    document.save(str(form))
    result = run_cli("import", "forms/AQ.docx", "--output", "AQ-2024.yaml", cwd=ws)
    data = (ws / "AQ-2024.yaml").read_text(encoding="utf-8")
    assert len(re.findall(r"(?m)^ +carried_over: 2020$", data)) == 4
    assert "warning[carried-over]" in result.out


@pytest.mark.parametrize(("entry", "message"), [
    ("2020: 2020", "gcmreview.yaml:9:9: error[wrong-type]: `history.2020` must be text"),
    ("1800: cycles/2020", "gcmreview.yaml:9:3: error[invalid-value]: history: 1800 is earlier "
                          "than the Compact itself, adopted in December 2018"),
])
def test_history_entries_are_checked_where_they_are(run_cli, ws: Path, entry: str,
                                                    message: str) -> None:
    config = ws / "gcmreview.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("2020: cycles/2020", entry),
                      encoding="utf-8")
    result = run_cli("progress", cwd=ws)
    assert result.code == 2 and message in result.err


def test_a_file_of_another_cycle_in_the_history_is_left_out(run_cli, ws: Path) -> None:
    """A 2024 review put in the 2020 folder by mistake would show changes that are not
    there: it is left out, and said to be."""
    shutil.copy(ws / "countries" / "AQ.yaml", ws / "cycles" / "2020" / "countries" / "AQ.yaml")
    doc = progress_json(run_cli, ws)
    assert [e["country"] for e in doc["left_out"]] == ["AQ"]


@pytest.mark.parametrize(("before", "after", "kind"), [
    ("not_started", "planned", "forward"), ("planned", "in_progress", "forward"),
    ("in_progress", "implemented", "forward"), ("planned", "not_started", "back"),
    ("implemented", "in_progress", "back"), ("not_applicable", "planned", "changed"),
    ("not_stated", "implemented", "changed"), (None, "planned", "new"),
    ("planned", None, "dropped"), ("planned", "planned", "unchanged"),
])
def test_each_kind_of_change(before: str | None, after: str | None, kind: str) -> None:
    """The steps run not started, planned, in progress, implemented; other statuses
    (not applicable, not stated) have no place on that scale: their changes are "changed"."""
    assert change(before, after) == kind


def test_what_counts_as_a_regression_and_what_moved(run_cli, ws: Path) -> None:
    doc = progress_json(run_cli, ws)
    states = {s["country"]: s for s in doc["states"]}
    assert states["BV"]["regression"] is True  # objective 10 no longer reported
    path = ws / "countries" / "BV.yaml"
    earlier = ws / "cycles" / "2020" / "countries" / "BV.yaml"
    path.write_text(earlier.read_text(encoding="utf-8").replace("cycle: 2020", "cycle: 2024")
                    + "\n", encoding="utf-8")
    same = progress_json(run_cli, ws)
    bv = next(s for s in same["states"] if s["country"] == "BV")
    assert bv["regression"] is False and bv["principles"] == {"gained": [], "lost": []}
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index("principles:")], encoding="utf-8")
    lost = progress_json(run_cli, ws)
    bv = next(s for s in lost["states"] if s["country"] == "BV")
    assert bv["principles"]["lost"] == ["sustainable-development"]
    assert bv["regression"] is True  # a principle no longer reported, and nothing else
    assert {o["change"] for o in bv["objectives"]} == {"unchanged"}
    # Only States with a review in both cycles count in what moved across the region:
    # HM (new: objectives 3 and 4) and TF (gone: objective 23) do not.
    assert not {"3", "4", "23"} & set(doc["objectives"])
