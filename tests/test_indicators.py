"""Indicators and their data: the catalogue and its sources, the data files and every
bad case, the reports (HTML, DOCX, PDF) with their tables and charts, the regional
comparison, `progress`, and the Word form both ways.

Most tests run on the synthetic workspace of docs/examples/indicators (two
territories, three indicators over three years, one broken down by sex).
"""

from __future__ import annotations

import base64
import html
import json
import random
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pypdf
import pytest

from gcmreview.convert.figures import render_charts
from gcmreview.convert.pdf import TypstWorker
from gcmreview.core.i18n import Formatter
from gcmreview.load import catalogue as cat
from gcmreview.model.indicators import (
    IndicatorBuilder,
    PublishedValue,
    breakdown_columns,
    published_values,
    show,
)
from gcmreview.render.data_file import values_csv
from gcmreview.validate.data import DataChecker, DataOptions, Value, check_data_folder
from gcmreview.validate.workspace import WorkspaceError, load_workspace
from tests import wordedit

from .conftest import ROOT

EXAMPLE = ROOT / "docs" / "examples" / "indicators"


def example(tmp: Path) -> Path:
    ws = tmp / "ws"
    shutil.copytree(EXAMPLE, ws)
    return ws


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


# --- the catalogue ------------------------------------------------------------------------

def test_indicator_titles_come_with_their_source_per_language() -> None:
    c = cat.builtin()
    assert list(c.indicators)[:3] == ["8.8.1", "8.8.2", "10.7.1"]
    assert c.indicator("10.c.1").title("en").text == \
        "Remittance costs as a proportion of the amount remitted"
    assert c.indicator("10.c.1").title("fr").text == \
        "Coûts des envois de fonds en proportion du montant transféré"
    # Recomposed: no combining accent left from the import's decomposition.
    assert "\u0301" not in c.indicator("10.7.1").title("fr").text
    # No Arabic title is shipped: the English one, flagged.
    label = c.indicator("10.7.1").title("ar")
    assert label.fallback and label.lang == "en"
    assert set(c.indicator_sources) == {"en", "fr"}
    assert "A/RES/71/313" in c.indicator_sources["en"]
    assert c.missing("ar")["indicator titles"] == list(c.indicators)


def test_only_sourced_links_are_shipped() -> None:
    c = cat.builtin()
    links = {(i.code, link.objective): link for i in c.indicators.values() for link in i.links}
    assert set(links) == {("10.7.1", 6), ("10.c.1", 20)}
    assert "Migration Network Hub" in links["10.7.1", 6].source
    assert "migrationnetwork.un.org" in links["10.7.1", 6].detail
    assert links["10.c.1", 20].source == "A/RES/73/195, annex, paragraph 36 (a)"
    assert not any(link.by_workspace for link in links.values())
    # Cited as a French report cites it; in English where the catalogue has no other.
    assert links["10.c.1", 20].source_in("fr") == ("A/RES/73/195, annexe, par. 36 a)", "fr")
    assert links["10.7.1", 6].source_in("fr")[0].startswith(
        "Réseau des Nations Unies sur les migrations")
    assert links["10.c.1", 20].source_in("ar") == (links["10.c.1", 20].source, "en")


def test_the_workspace_links_and_adds_indicators(tmp_path: Path) -> None:
    ws = example(tmp_path)
    workspace = load_workspace(ws / "gcmreview.yaml")
    [(indicator, link)] = workspace.catalogue.indicators_of(10)
    assert indicator.code == "16.2.2" and link.by_workspace
    (ws / "titles.yaml").write_text(
        "sources:\n  ar: Test source (synthetic)\n"
        "indicators:\n"
        "  \"10.7.1\":\n    title: {ar: عنوان تجريبي}\n"
        "  \"AQ.1\":\n    title: {ar: مؤشر وطني تجريبي}\n"
        "    objectives: [{objective: 5, source: Test plan (synthetic)},\n"
        "                 {objective: 6, source: {en: Test plan, ar: خطة تجريبية}}]\n"
        "    disaggregation: {Region: [North, South]}\n", encoding="utf-8")
    config = ws / "gcmreview.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "catalogue: titles.yaml\n",
                      encoding="utf-8")
    c = load_workspace(config).catalogue
    assert c.indicator("10.7.1").title("ar").text == "عنوان تجريبي"
    assert c.indicator("AQ.1").title("en").text == "مؤشر وطني تجريبي"  # its only title
    assert c.indicator("AQ.1").title("en").fallback
    assert [(i.code, link.source) for i, link in c.indicators_of(5)] == \
        [("AQ.1", "Test plan (synthetic)")]
    [link6] = [link for i, link in c.indicators_of(6) if i.code == "AQ.1"]
    assert link6.source_in("ar") == ("خطة تجريبية", "ar") and link6.source == "Test plan"
    assert c.breakdowns_of("AQ.1")["Region"] == ("North", "South")
    assert "titles.yaml" in c.indicator_sources["ar"]


@pytest.mark.parametrize(("config", "code", "where"), [
    ("indicators:\n  10: [\"16.2.9\"]\n", "unknown-indicator", 8),
    ("indicators:\n  24: [\"16.2.2\"]\n", "unknown-key", 8),
    ("data_dir: ../elsewhere\n", "invalid-value", 7),
])
def test_workspace_links_are_checked(tmp_path: Path, config: str, code: str,
                                     where: int) -> None:
    path = tmp_path / "gcmreview.yaml"
    path.write_text("region: R\ncycle: 2024\nparticipants: [AQ]\n# a comment\n#\n#\n"
                    + config, encoding="utf-8")
    with pytest.raises(WorkspaceError) as raised:
        load_workspace(path)
    [found] = raised.value.diagnostics
    assert (found.code, found.position.line) == (code, where)


def test_a_catalogue_file_needs_a_source_for_indicator_titles(tmp_path: Path) -> None:
    (tmp_path / "titles.yaml").write_text(
        "sources:\n  fr: Source\nindicators:\n  \"10.7.1\":\n    title: {ar: عنوان}\n",
        encoding="utf-8")
    (tmp_path / "gcmreview.yaml").write_text(
        "region: R\ncycle: 2024\nparticipants: [AQ]\ncatalogue: titles.yaml\n",
        encoding="utf-8")
    with pytest.raises(WorkspaceError) as raised:
        load_workspace(tmp_path / "gcmreview.yaml")
    [found] = raised.value.diagnostics
    assert found.code == "catalogue-source" and found.position.line == 5


# --- data files: every bad case, with its place --------------------------------------------

BAD_CASES = [
    # (file, content, expected (line, column, code))
    ("AQ/10-7-9.csv", "Year,Value\n2021,3\n", (1, 1, "unknown-indicator")),
    ("AQ/10-7-1.csv", "Year,Value\n2021,about 3\n", (2, 6, "data-not-a-number")),
    # More digits than a report can format (the build stopped on a traceback).
    ("AQ/10-7-1.csv", "Year,Value\n2021,1.0000000000000000000000000001\n",
     (2, 6, "data-not-a-number")),
    ("AQ/10-7-1.csv", "Year,Value\n2021,1e28\n", (2, 6, "data-not-a-number")),
    ("AQ/10-7-1.csv", "Year,Value\n2021,\"12,5\"\n", (2, 6, "data-not-a-number")),
    ("AQ/10-7-1.csv", "Year,Value\n21,3\n", (2, 1, "data-not-a-number")),
    ("AQ/10-7-1.csv", "Year,Value\n2014,3\n", (2, 1, "data-year-out-of-range")),
    ("AQ/10-7-1.csv", "Year,Value\n2025,3\n", (2, 1, "data-year-out-of-range")),
    ("AQ/10-7-1.csv", "Year,Value\n2021,3\n2022,4\n2021,5\n", (4, 1, "data-duplicate-row")),
    ("AQ/10-7-1.csv", "Year,Units,Value\n2021,Percent,3\n2022,Number,4\n",
     (3, 6, "data-unit-changed")),
    ("AQ/16-2-2.csv", "Year,Sex,Value\n2021,Femmes,3\n", (2, 6, "data-disaggregation")),
    ("AQ/16-2-2.csv", "Year,Gender,Value\n2021,Female,3\n", (1, 6, "data-disaggregation")),
    ("AQ/16-2-2.csv", "Year,Age,Value\n2021,young,3\n", (2, 6, "data-disaggregation")),
    ("AQ/10-7-1.csv", "Year,Value,Source\n2021,3,=HYPERLINK(\"x\")\n", (2, 8, "data-formula")),
    ("AQ/10-7-1.csv", "Year,Value\n2021,=1+2\n", (2, 6, "data-formula")),
    ("AQ/10-7-1.csv", "Year;Value\n2021;3\n", (1, 1, "data-syntax")),
    ("AQ/10-7-1.csv", "Year,Value\n2021,\"3\n", (2, 6, "data-syntax")),
    ("AQ/10-7-1.csv", "Year,Value\n2021,3,4\n", (2, 8, "data-syntax")),
    ("AQ/10-7-1.csv", "Year,Total\n2021,3\n", (1, 6, "data-disaggregation")),
    ("AQ/10-7-1.csv", "Year\n2021\n", (1, 1, "data-column")),
    ("AQ/10-7-1.csv", "Year,Value\n", (1, 1, "data-empty")),
    ("AQ/10-7-1.csv", "Year,Value\n2021,3\x07\n", (2, 6, "control-character")),
    ("AQ/10-7-1.csv", "Year,Value\n2021,3\n".encode("utf-16"), (1, 1, "encoding")),
    ("AQ/10-7-1.csv", "Year,Value,Source\n2021,3,Société\n".encode("latin-1"),
     (2, 12, "encoding")),
    ("XX/10-7-1.csv", "Year,Value\n2021,3\n", (1, 1, "unknown-country")),
    ("ZA/10-7-1.csv", "Year,Value\n2021,3\n", (1, 1, "not-a-participant")),
    ("AQ/10.7.1.csv", "Year,Value\n2021,3\n", (1, 1, "file-not-read")),
]


@pytest.mark.parametrize(("name", "content", "expected"), BAD_CASES,
                         ids=[f"{c[2][2]}-{i}" for i, c in enumerate(BAD_CASES)])
def test_each_bad_case_is_named_where_it_is(run_cli, tmp_path: Path, name: str,
                                            content: str | bytes,
                                            expected: tuple[int, int, str]) -> None:
    ws = example(tmp_path)
    shutil.rmtree(ws / "data")
    write(ws / "data" / name, content)
    result = run_cli("validate", "--format", "json", cwd=ws)
    doc = json.loads(result.out)
    found = [(d["line"], d["column"], d["code"]) for d in doc["diagnostics"]
             if d["path"].startswith("data/")]
    assert expected in found, found
    severity = next(d["severity"] for d in doc["diagnostics"]
                    if (d["line"], d["column"], d["code"]) == expected)
    if severity == "error":
        assert result.code == 1
    text = run_cli("validate", cwd=ws).out
    line, column, code = expected
    assert f"data/{name}:{line}:{column}: " in text and f"[{code}]" in text
    assert "Traceback" not in text


def test_a_huge_file_and_a_link_are_not_read(run_cli, tmp_path: Path) -> None:
    ws = example(tmp_path)
    write(ws / "data" / "AQ" / "10-7-3.csv", b"Year,Value\n" + b"2021,1\n" * 200_000)
    secret = write(tmp_path / "secret.csv", "Year,Value\n2021,42\n")
    (ws / "data" / "BV" / "10-7-3.csv").symlink_to(secret)
    (ws / "data" / "BV" / "10-7-4.csv").symlink_to(secret)
    result = run_cli("validate", "--format", "json", cwd=ws)
    codes = {(d["path"], d["code"]) for d in json.loads(result.out)["diagnostics"]}
    assert ("data/AQ/10-7-3.csv", "file-too-large") in codes
    assert ("data/BV/10-7-3.csv", "not-a-regular-file") in codes
    assert result.code == 1


def test_a_byte_order_mark_and_quotes_are_fine(tmp_path: Path) -> None:
    ws = example(tmp_path)
    write(ws / "data" / "BV" / "16-2-2.csv", "\ufeffYear,Sex,Units,Value,Source\r\n"
          "2022,Female,\"Per 100,000 population\",1.5,\"Registre \"\"test\"\", synthétique\"\r\n")
    workspace = load_workspace(ws / "gcmreview.yaml")
    found = check_data_folder(workspace.data_dir, workspace.catalogue, DataOptions(2024))
    result = found.of("BV").values["16.2.2"]
    [value] = result.values
    assert value.breakdown == (("Sex", "Female"),)
    assert value.units == "Per 100,000 population"
    assert value.source == 'Registre "test", synthétique'


def test_a_states_data_are_checked_without_the_others(tmp_path: Path) -> None:
    """A build's first report waits for its own State's files only; the whole folder,
    checked later, is what check_data_folder finds, each file read once."""
    ws = example(tmp_path)
    write(ws / "data" / "BV" / "10-7-3.csv", "Year,Value\n2021,many\n")
    write(ws / "data" / "10-7-1.csv", "Year,Value\n2021,1\n")
    workspace = load_workspace(ws / "gcmreview.yaml")
    checker = DataChecker(workspace.data_dir, workspace.catalogue, DataOptions(2024))
    aq = checker.state("AQ")
    assert set(aq.values) == {"10.7.1", "10.c.1", "16.2.2"} and not aq.invalid
    assert all(p.parent.name == "AQ" for p in checker._results)
    assert set(checker.state("BV").invalid) == {"10.7.3"}
    everything = checker.everything()
    whole = check_data_folder(workspace.data_dir, workspace.catalogue, DataOptions(2024))
    assert [r.shown_as for r in everything.results] == [r.shown_as for r in whole.results]
    assert everything.diagnostics == whole.diagnostics
    assert [d.code for d in everything.unread] == ["file-not-read"]
    assert checker.state("AQ").values["10.7.1"] is aq.values["10.7.1"]


def test_validate_json_gains_the_data_facts(run_cli) -> None:
    result = run_cli("validate", "--format", "json", cwd=EXAMPLE)
    assert result.code == 0, result.out
    doc = json.loads(result.out)
    assert doc["summary"]["data_files"] == 5
    entry = next(d for d in doc["data"] if d["path"] == "data/AQ/16-2-2.csv")
    assert entry == {"path": "data/AQ/16-2-2.csv", "country": "AQ", "indicator": "16.2.2",
                     "valid": True, "years": [2021, 2022, 2023], "values": 9,
                     "breakdowns": ["Sex"]}
    named = run_cli("validate", "data/AQ/10-7-1.csv", cwd=EXAMPLE)
    assert named.code == 0 and "0 files checked and 1 data file" in named.out


def test_coverage_json_and_csv_say_which_indicators_have_values(run_cli) -> None:
    doc = json.loads(run_cli("coverage", "--format", "json", cwd=EXAMPLE).out)
    aq = next(s for s in doc["states"] if s["country"] == "AQ")
    assert aq["indicators"]["16.2.2"] == {"first": 2021, "last": 2023, "years": 3}
    csv = run_cli("coverage", "--format", "csv", cwd=EXAMPLE).out.splitlines()
    assert csv[0].endswith(",indicators")
    assert next(r for r in csv if r.startswith("BV,")).endswith(",2")


# --- the reports -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from gcmreview.cli import main

    ws = example(tmp_path_factory.mktemp("indicators"))
    import os

    cwd = os.getcwd()
    os.chdir(ws)
    try:
        assert main(["build", "--all", "--format", "html,docx,pdf,md", "--out", "out",
                     "--quiet"]) == 0
        assert main(["build", "--region", "--lang", "fr", "--format", "html,docx,pdf",
                     "--out", "out", "--quiet"]) == 0
        assert main(["build", "-c", "AQ", "--lang", "ar", "--format", "html,docx,pdf",
                     "--out", "out", "--quiet"]) == 0
    finally:
        os.chdir(cwd)
    return ws / "out"


def flat(text: str) -> str:
    return " ".join(re.sub(r"[\u2066-\u2069\u200e\u200f]", "", html.unescape(text)).split())


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    return flat(" ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml)))


def docx_images(path: Path) -> list[str]:
    """The text alternative of every image of the document."""
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    return re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', xml)


def pdf_alts(path: Path) -> list[str]:
    """The text alternatives of the PDF's tagged figures."""
    found: list[str] = []

    def walk(item: object, seen: set[int]) -> None:
        item = item.get_object() if hasattr(item, "get_object") else item
        if id(item) in seen:
            return
        seen.add(id(item))
        if isinstance(item, dict):
            if "/Alt" in item:
                found.append(str(item["/Alt"]))
            for key, value in item.items():
                if key != "/P":  # the parent: walked already
                    walk(value, seen)
        elif isinstance(item, list):
            for value in item:
                walk(value, seen)

    walk(pypdf.PdfReader(path).trailer["/Root"]["/StructTreeRoot"], set())
    return found


def pdf_text(path: Path) -> str:
    return flat(" ".join(page.extract_text() for page in pypdf.PdfReader(path).pages))


def test_values_appear_under_their_objective_in_every_format(built: Path) -> None:
    page = flat((built / "AQ.en.html").read_text(encoding="utf-8"))
    objective6 = page[page.index('id="objective-6"'):page.index('id="round-table-2"')]
    assert "Indicator 10.7.1: Recruitment cost borne by employee" in objective6
    for value in ("14.2", "12.8", "11.5"):
        assert f"<td style=\"text-align: right;\">{value}</td>" in objective6
    assert "Source: Synthetic test data (labour force survey), 2021–2023" in objective6
    assert ("Linked to this objective by: United Nations Network on Migration, Migration "
            "Network Hub") in objective6
    objective10 = page[page.index('id="objective-10"'):page.index('id="round-table-3"')]
    assert "Linked to this objective for this review, not by a public source." in objective10
    for word in ("Female", "Male", "4.4", "1.2"):
        assert word in objective10
    docx = docx_text(built / "AQ.en.docx")
    pdf = pdf_text(built / "AQ.en.pdf")
    for text in (docx, pdf):
        assert "Indicator 10.7.1" in text and "Indicator 16.2.2" in text
        for value in ("14.2", "12.8", "11.5", "7.4", "6.1", "4.4", "3.2", "1.8"):
            assert value in text, value
    french = flat((built / "BV.fr.html").read_text(encoding="utf-8"))
    assert "Indicateur 10.c.1 : Coûts des envois de fonds" in french
    assert ">4,75<" in french and ">9,6<" in french  # decimals as French writes them
    assert "Unité : Pourcentage" in french
    # The link's source as French cites it (it was in English).
    assert "Lié à cet objectif par : A/RES/73/195, annexe, par. 36 a)." in french
    # BV has no data for 16.2.2, linked to its objective 10.
    assert "Aucune donnée communiquée pour cet indicateur." in french


def test_charts_have_a_text_alternative_naming_the_values(built: Path) -> None:
    page = (built / "AQ.en.html").read_text(encoding="utf-8")
    images = re.findall(r'<img src="data:image/svg\+xml;base64,([^"]+)"[^>]*alt="([^"]*)"', page)
    assert len(images) == 3
    alts = [alt for _svg, alt in images]
    assert ("Line chart of indicator 10.7.1, 2021 to 2023: Total: 2021 14.2, 2022 12.8, "
            "2023 11.5. Unit: Per cent.") in alts
    sexes = next(a for a in alts if "16.2.2" in a)
    assert "Female: 2021 4.4, 2022 3.9, 2023 3.2" in sexes
    svg = base64.b64decode(images[0][0])
    assert svg.startswith(b"<svg") and b"<script" not in svg
    docx_alts = docx_images(built / "AQ.en.docx")
    assert any("Total: 2021 14.2" in a for a in docx_alts)
    with zipfile.ZipFile(built / "AQ.en.docx") as z:
        assert len([n for n in z.namelist() if n.endswith(".png")]) == 3
    # In the PDF the chart is vector graphics (its labels drawn as outlines), tagged with
    # the same text alternative.
    assert ("Line chart of indicator 10.7.1, 2021 to 2023: Total: 2021 14.2, 2022 12.8, "
            "2023 11.5. Unit: Per cent.") in pdf_alts(built / "AQ.en.pdf")


def test_charts_are_numbered_titled_and_sourced_like_every_figure(built: Path) -> None:
    page = flat((built / "AQ.en.html").read_text(encoding="utf-8"))
    figure = page[page.index('<figure class="chart" id="figure-1"'):]
    figure = figure[:figure.index("</figure>")]
    caption = figure[figure.index("<figcaption"):figure.index("</figcaption>")]
    assert "Figure 1. Indicator 10.7.1, Antarctica" in caption
    source = figure[figure.index('class="figure-source"'):]
    assert "Source: Synthetic test data (labour force survey), 2021–2023" in source
    assert 'id="figure-3"' in page and 'id="figure-4"' not in page
    regional = flat((built / "regional.en.html").read_text(encoding="utf-8"))
    assert "Indicator 10.7.1: latest value by State" in regional
    assert "Unit: Per cent. Source: the States’ data files, as in the table above." in regional
    docx = docx_text(built / "AQ.en.docx")  # its runs joined by spaces: "Figure 1 ."
    assert re.search(r"Figure 1 ?\. ?Indicator 10\.7\.1, Antarctica", docx)
    with zipfile.ZipFile(built / "AQ.en.docx") as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert xml.count("SEQ Figure") == 3
    # The PDF draws the chart itself: its scale and years are text.
    pdf = pdf_text(built / "AQ.en.pdf")
    assert "Figure 1. Indicator 10.7.1, Antarctica" in pdf
    assert "Source: Synthetic test data (labour force survey), 2021–2023" in pdf


def test_the_sources_section_names_the_datas_sources(built: Path) -> None:
    """A review that cites no document but gives data: its Sources section said "Not
    reported in this review." above a report that cites three data sources. It says the
    review cites no document, and lists the data's sources, each once (in the PDF too)."""
    md = (built / "AQ.en.md").read_text(encoding="utf-8")
    sources = md[md.index("\n# Sources"):]
    assert "*The review cites no source document.*" in sources
    assert "Not reported in this review" not in sources
    assert ("Sources of the indicator data: Synthetic test data (labour force survey), "
            "2021–2023; Synthetic test data (police records), 2021–2023; Synthetic test data "
            "(central bank), 2021–2023.") in sources
    pdf = pdf_text(built / "AQ.en.pdf")
    assert "Sources of the indicator data: Synthetic test data (labour force survey)" in pdf


def test_a_chart_says_its_unit_and_a_comparison_has_no_empty_column(built: Path) -> None:
    """An editor's review: the charts gave no unit (it was above the table only, so a
    chart copied on its own was ambiguous), and the comparison of cycles had a "Note"
    column empty in every row. The unit is drawn over the plot (the PDF's text, the
    same drawing as the HTML's SVG and the DOCX's picture), and the column is there only
    when a row has a note."""
    pdf = subprocess.run(["pdftotext", str(built / "AQ.en.pdf"), "-"], capture_output=True,
                         text=True, check=True).stdout
    assert "Figure 1. Indicator 10.7.1, Antarctica\nUnit: Per cent\n" in pdf
    assert "Figure 2. Indicator 16.2.2, Antarctica\nUnit: Per 100,000 population\n" in pdf
    regional = (built / "regional.en.md").read_text(encoding="utf-8")
    header = next(line for line in regional.splitlines()
                  if line.startswith("| State | Objectives covered, 2022"))
    assert "Note" not in header


def test_chart_scales_read_right(built: Path) -> None:
    """BV's 10.7.1 (9.6, 9.9, 8.7) is drawn from 0 to 10 in steps of 2.5: the scale
    printed 0, 2, 5, 8, 10 (decimals were kept only for steps under 1)."""
    pdf = pdf_text(built / "BV.fr.pdf")
    assert re.search(r"0,0 .*2,5 .*5,0 .*7,5 .*10,0|10,0 .*7,5 .*5,0 .*2,5 .*0,0", pdf)


def test_bar_values_stand_beside_their_bars(built: Path) -> None:
    """Each value beside its bar's tip, not in a column at the edge of the chart: in the
    regional PDF, 8,7 (the shorter bar) stands well left of 11,5. In the table above the
    chart the two are right-aligned in their column."""
    result = subprocess.run(["pdftotext", "-bbox", str(built / "regional.fr.pdf"), "-"],
                            check=True, capture_output=True, text=True, timeout=60)
    for page in result.stdout.split("<page ")[1:]:
        boxes = {word: [float(x) for x in re.findall(
            rf'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="[\d.]+" yMax="[\d.]+">{word}</word>',
            page)] for word in ("11,5", "8,7")}
        if boxes["11,5"] and boxes["8,7"]:
            break
    gaps = [long - short for long in boxes["11,5"] for short in boxes["8,7"]]
    # 11,5 and 8,7 on an axis from 0 to 12.5 (11.5 cm): about 78 pt apart.
    assert any(60 < gap < 100 for gap in gaps), boxes


def test_bar_values_follow_the_reading_direction() -> None:
    """Where each bar's value goes (figures.chart_data, `tip`): after a positive bar's end
    in the direction of reading, beside the zero line for a negative one."""
    from gcmreview.convert.figures import chart_data
    from gcmreview.model.figures import Chart

    for rtl in (False, True):
        chart = Chart("t", "bars", ["A", "B"], [("x", [8.0, -2.0])], [["8", "−2"]], "",
                      "", "ar" if rtl else "en", rtl)
        rows = chart_data(chart)["rows"]
        zero = chart_data(chart)["zero"]
        positive, negative = rows  # type: ignore[misc]
        assert negative["tip"] == zero
        assert positive["tip"] == (positive["start"] if rtl else positive["end"])
        assert positive["tip"] != zero


def test_arabic_report_and_charts_read_right_to_left(built: Path) -> None:
    page = (built / "AQ.ar.html").read_text(encoding="utf-8")
    # Codes are isolated left to right: else 10.c.1 shows as “c.1.10”.
    assert "المؤشر \u206610.c.1\u2069" in page
    assert "(EN)" in page  # the indicator's English title, marked
    assert "رسم بياني خطي للمؤشر \u206610.7.1\u2069" in page
    assert "الإناث" in page
    text = pdf_text(built / "AQ.ar.pdf")
    assert "14.2" in text
    # A column of numbers is on the right of its cells in the Arabic DOCX too, as in the
    # PDF and the HTML: in a right-to-left paragraph Word's "left" is the right.
    with zipfile.ZipFile(built / "AQ.ar.docx") as z:
        xml = z.read("word/document.xml").decode("utf-8")
    cell = re.search(r'<w:p><w:pPr>(?:(?!</w:pPr>).)*</w:pPr><w:r>(?:(?!</w:r>).)*'
                     r'<w:t xml:space="preserve">14.2</w:t>', xml)
    assert cell is not None and '<w:jc w:val="left" />' in cell.group(0)


def test_the_regional_report_lists_both_states_per_indicator(built: Path) -> None:
    page = flat((built / "regional.fr.html").read_text(encoding="utf-8"))
    part = page[page.index('id="indicators"'):page.index('id="objectives"')]
    section = part[part.index('id="indicator-10-7-1"'):part.index('id="indicator-10-c-1"')]
    assert "Antarctique" in section and "Île Bouvet" in section
    assert ">11,5<" in section and ">8,7<" in section and ">2023<" in section
    assert "Graphique à barres de l’indicateur 10.7.1, dernière valeur de chaque État : " \
        "Antarctique, 2023 : 11,5 ; Île Bouvet, 2023 : 8,7." in section
    trafficking = part[part.index('id="indicator-16-2-2"'):]
    assert "Aucune valeur communiquée par : Île Bouvet." in trafficking
    assert "lié pour le présent examen" in trafficking
    pdf = pdf_text(built / "regional.fr.pdf")
    docx = docx_text(built / "regional.fr.docx")
    for text in (pdf, docx):
        assert "Antarctique" in text and "Île Bouvet" in text and "8,7" in text


def test_annexes_are_numbered_where_a_document_has_two(built: Path) -> None:
    """UN documents number their annexes when they have more than one: the regional
    report has the summary by State and the figures' data (Annex I, II), in HTML too,
    where the second links to the data under each figure."""
    for text in (docx_text(built / "regional.fr.docx"), pdf_text(built / "regional.fr.pdf")):
        flat_text = " ".join(text.replace("\u00a0", " ").split())
        # The contents list and the headings.
        assert flat_text.count("Annexe I : synthèse par État") == 2, flat_text
        assert flat_text.count("Annexe II : données des figures") == 2
        assert "Annexe : " not in flat_text
    page = flat((built / "regional.fr.html").read_text(encoding="utf-8"))
    assert "Annexe I : synthèse par État" in page and "Annexe : " not in page
    assert "Annexe II : données des figures" in page
    for text in (docx_text(built / "AQ.en.docx"), pdf_text(built / "AQ.en.pdf")):
        assert "Annex I" not in text  # its charts' values are in the table above each


def test_key_messages_say_one_count_once(built: Path) -> None:
    """Both reviews cover one guiding principle: "1 sur 10", not "de 1 à 1 sur 10"."""
    page = flat((built / "regional.fr.html").read_text(encoding="utf-8"))
    assert "Chaque examen couvre 1 des 10 principes directeurs." in page
    assert "Chaque examen couvre entre 3 et 4 des 23 objectifs" in page
    # Every participant sent one: not "Sur les 2 États participants, 2 ont présenté…".
    assert "Les deux États participants ont présenté un examen volontaire." in page
    assert "L’examen de 2024 a réuni deux États. Les deux ont présenté un examen " \
        "volontaire." in page


def test_charts_are_drawn_the_same_every_time(typst_process: TypstWorker) -> None:
    c = cat.builtin()
    workspace = load_workspace(EXAMPLE / "gcmreview.yaml")
    data = check_data_folder(workspace.data_dir, workspace.catalogue, DataOptions(2024))
    builder = IndicatorBuilder(c, Formatter("fr"))
    chart = builder.chart("16.2.2", data.of("AQ").values["16.2.2"], "Antarctique")
    assert chart is not None and chart.kind == "line" and len(chart.series) == 3
    first = render_charts({"a": chart}, typst_process.draw)["a"]
    again = render_charts({"a": chart}, typst_process.draw)["a"]
    assert first.svg == again.svg and first.png == again.png
    assert first.png.startswith(b"\x89PNG")


def test_changing_a_data_file_rebuilds_that_state(run_cli, tmp_path: Path) -> None:
    ws = example(tmp_path)
    assert run_cli("build", "--all", "-f", "md", "--quiet", cwd=ws).code == 0
    csv = ws / "data" / "BV" / "10-7-1.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("8.7", "8.1"), encoding="utf-8")
    again = run_cli("build", "--all", "-f", "md", cwd=ws)
    assert again.code == 0
    assert "built BV" in again.err and "built regional" in again.err
    assert "built AQ" not in again.err
    assert "8.1" in (ws / "build" / "BV.fr.md").read_text(encoding="utf-8").replace(",", ".")


def test_an_invalid_data_file_is_left_out_with_a_note(run_cli, tmp_path: Path) -> None:
    ws = example(tmp_path)
    write(ws / "data" / "AQ" / "10-7-1.csv", "Year,Value\n2021,n/a\n")
    result = run_cli("build", "-c", "AQ", "-f", "md", cwd=ws)
    assert result.code == 1
    assert "data/AQ/10-7-1.csv:2:6: error[data-not-a-number]" in result.err
    md = (ws / "build" / "AQ.en.md").read_text(encoding="utf-8")
    assert "has errors, so its values are left out" in md
    again = run_cli("build", "-c", "AQ", "-f", "md", cwd=ws)  # up to date, still failing
    assert again.code == 1 and "[data-not-a-number]" in again.err


# --- progress -----------------------------------------------------------------------------

def test_progress_shows_the_values_since_the_earlier_cycle(run_cli) -> None:
    text = run_cli("progress", cwd=EXAMPLE).out
    assert "AQ  10.7.1: 12.8 in 2022 → 11.5 in 2023 (−1.3)" in text
    assert "AQ  16.2.2 (Sex=Female): 3.9 in 2022 → 3.2 in 2023 (−0.7)" in text
    doc = json.loads(run_cli("progress", "--format", "json", cwd=EXAMPLE).out)
    bv = next(v for v in doc["values"] if v["country"] == "BV" and v["indicator"] == "10.c.1")
    assert bv == {"country": "BV", "indicator": "10.c.1", "series": "",
                  "before": {"year": 2022, "value": "5.2"},
                  "after": {"year": 2023, "value": "4.75"}, "change": "-0.45"}
    markdown = run_cli("progress", "--format", "markdown", cwd=EXAMPLE).out
    assert "### Indicator values" in markdown and "10\\.7\\.1\\: 12\\.8 in 2022" in markdown


# --- the Word form --------------------------------------------------------------------------

def test_untouched_and_resaved_forms_keep_the_data(run_cli, tmp_path: Path) -> None:
    from tests.test_forms import resave_with_libreoffice

    ws = example(tmp_path)
    assert run_cli("form", "AQ", cwd=ws).code == 0
    assert run_cli("form", "BV", "--lang", "ar", cwd=ws).code == 0
    before = {p: p.read_bytes() for p in (ws / "data").rglob("*.csv")}
    saved = resave_with_libreoffice([ws / "forms" / "AQ.docx", ws / "forms" / "BV.docx"],
                                    tmp_path / "saved", tmp_path / "profile")
    for forms in ([ws / "forms" / "AQ.docx", ws / "forms" / "BV.docx"], saved):
        result = run_cli("import", *map(str, forms), cwd=ws)
        assert result.code == 0, result.out
        assert "values of indicator 16.2.2 → data/AQ/16-2-2.csv: unchanged" in result.out
        assert "values of indicator 10.c.1 → data/BV/10-c-1.csv: unchanged" in result.out
        assert {p: p.read_bytes() for p in (ws / "data").rglob("*.csv")} == before


def test_the_form_asks_for_the_values_in_a_table_per_indicator(run_cli,
                                                                tmp_path: Path) -> None:
    ws = example(tmp_path)
    run_cli("form", "AQ", cwd=ws)
    document = wordedit.open_form(ws / "forms" / "AQ.docx")
    [table] = wordedit.tables_after(document, "Indicator 16.2.2")
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["Year", "Breakdown", "Value", "Unit", "Source"]
    assert ["2021", "Sex: Female", "4.4", "Per 100,000 population",
            "Synthetic test data (police records)"] in rows
    assert rows[-1] == ["", "", "", "", ""]
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    # Under objective 6, the indicator the Migration Network Hub links to it.
    six = next(i for i, h in enumerate(headings) if h.startswith("Objective 6:"))
    assert headings[six + 1].startswith("Indicator 10.7.1: Recruitment cost")


def test_imported_values_refuse_text_where_a_number_is_due(run_cli, tmp_path: Path) -> None:
    ws = example(tmp_path)
    run_cli("form", "AQ", cwd=ws)
    path = ws / "forms" / "AQ.docx"
    document = wordedit.open_form(path)
    [recruitment] = wordedit.tables_after(document, "Indicator 10.7.1")
    recruitment.rows[2].cells[2].text = "about 13"
    [remittances] = wordedit.tables_after(document, "Indicator 10.c.1")
    for cell, text in zip(remittances.rows[-1].cells,
                          ["2024", "", "5,8", "Percent", "Synthetic test data (central bank)"],
                          strict=True):
        cell.text = text
    document.save(str(path))
    before = (ws / "data" / "AQ" / "10-7-1.csv").read_bytes()
    result = run_cli("import", "forms/AQ.docx", "--force", cwd=ws)
    assert result.code == 1
    assert ("forms/AQ.docx: section “Indicator 10.7.1: Recruitment cost borne by…”, row 3 "
            "“2022”: error[not-a-number]: “about 13” is not a number; the row was not "
            "imported") in result.out
    assert "values of indicator 10.7.1 → data/AQ/10-7-1.csv: not written" in result.out
    assert (ws / "data" / "AQ" / "10-7-1.csv").read_bytes() == before  # nothing lost
    assert "values of indicator 10.c.1 → data/AQ/10-c-1.csv: written" in result.out
    written = (ws / "data" / "AQ" / "10-c-1.csv").read_text(encoding="utf-8")
    assert written.endswith("2024,Percent,5.8,Synthetic test data (central bank)\n")
    assert run_cli("validate", "data/AQ/10-c-1.csv", cwd=ws).code == 0


def test_arabic_digits_and_words_are_read_back(run_cli, tmp_path: Path) -> None:
    ws = example(tmp_path)
    run_cli("form", "AQ", "--lang", "ar", cwd=ws)
    path = ws / "forms" / "AQ.docx"
    document = wordedit.open_form(path)
    [table] = wordedit.tables_after(document, "المؤشر \u206616.2.2")
    assert table.rows[4].cells[1].text == "الجنس: الإناث"
    for cell, text in zip(table.rows[-1].cells,
                          ["٢٠٢٤", "الجنس: الذكور", "١٫١", "لكل 100,000 نسمة", "سجلات"],
                          strict=True):
        cell.text = text
    document.save(str(path))
    result = run_cli("import", "forms/AQ.docx", "--force", cwd=ws)
    assert result.code == 0, result.out
    written = (ws / "data" / "AQ" / "16-2-2.csv").read_text(encoding="utf-8")
    assert written.splitlines()[-1] == '2024,Male,"Per 100,000 population",1.1,سجلات'


def test_values_are_not_replaced_without_force(run_cli, tmp_path: Path) -> None:
    ws = example(tmp_path)
    run_cli("form", "BV", cwd=ws)
    path = ws / "forms" / "BV.docx"
    document = wordedit.open_form(path)
    [table] = wordedit.tables_after(document, "Indicateur 10.7.1")
    table.rows[1].cells[2].text = "9,5"
    document.save(str(path))
    dry = run_cli("import", "forms/BV.docx", "--dry-run", cwd=ws)
    assert "data/BV/10-7-1.csv: would replace the file, with --force" in dry.out
    refused = run_cli("import", "forms/BV.docx", cwd=ws)
    assert refused.code == 2 and "data/BV/10-7-1.csv already exists" in refused.out
    assert run_cli("import", "forms/BV.docx", "--force", cwd=ws).code == 0
    assert "2021,Percent,9.5," in (ws / "data" / "BV" / "10-7-1.csv").read_text(
        encoding="utf-8")


# --- what the review site publishes --------------------------------------------------------

def test_published_values_are_every_valid_value_in_one_order() -> None:
    workspace = load_workspace(EXAMPLE / "gcmreview.yaml")
    data = check_data_folder(workspace.data_dir, workspace.catalogue, DataOptions(2024))
    values = published_values(data)
    assert [v.indicator for v in values] == ["10.7.1"] * 6 + ["10.c.1"] * 6 + ["16.2.2"] * 9
    trafficking = [v for v in values if v.indicator == "16.2.2"]
    # AQ's total first, then each sex, each by year; BV has no 16.2.2 file
    assert [(v.breakdown, v.year) for v in trafficking[:4]] == [
        ((), 2021), ((), 2022), ((), 2023), ((("Sex", "Female"),), 2021)]
    assert breakdown_columns(workspace.catalogue, values) == ["Sex"]
    assert breakdown_columns(workspace.catalogue, values[:6]) == []
    table = values_csv(trafficking, ["Sex"]).splitlines()
    assert table[0] == "Indicator,Country,Year,Series,Sex,Units,Value,Source"
    assert '16.2.2,AQ,2021,,Female,"Per 100,000 population",4.4,' \
        "Synthetic test data (police records)" in table


def test_downloaded_values_never_start_a_spreadsheet_formula() -> None:
    """The data files are checked (data-formula); the download checks again, for any
    caller: a text cell a spreadsheet would run is written as text, the number as it is."""
    risky = PublishedValue("10.7.1", "AQ", 2021, (("Sex", "@Female"),), "-1.5",
                           "=HYPERLINK(1)", "+x", "-cmd")
    row = values_csv([risky], ["Sex"]).splitlines()[1]
    assert row == "10.7.1,AQ,2021,'+x,'@Female,'=HYPERLINK(1),-1.5,'-cmd"


@pytest.mark.parametrize("seed", range(40))
def test_data_files_without_quotes_are_cut_as_the_full_reader_cuts_them(seed: int) -> None:
    """The fast path for files without quotes gives the cells, lines and columns the
    character-by-character reader gives (blank lines, line ends, trailing commas)."""
    from gcmreview.core.diagnostics import DiagnosticSink
    from gcmreview.load import data as data_file

    rng = random.Random(seed)
    pieces = ["2021", "12.5", "", " ", "Female", "Per 100,000", "é", "۱۲", ",", ",,",
              "\n", "\r\n", "\r", "\n\n", "\t"]
    text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
    assert '"' not in text
    sink = DiagnosticSink(Path("x.csv"))
    assert data_file._plain_records(text) == data_file._quoted_records(text, sink)
    assert data_file._records(text, sink) == data_file._quoted_records(text, sink)
    assert not sink.items


@pytest.mark.parametrize(("text", "cells", "problem"), [
    ('Year,Source\n2021,"Line one\r\nline ""two"""\n2022,x\n',
     [[("Year", 1, 1), ("Source", 1, 6)],
      [("2021", 2, 1), ('Line one\nline "two"', 2, 6)], [("2022", 4, 1), ("x", 4, 6)]], None),
    ('Year,Value\n"2021\r",\'1\'\n', [[("Year", 1, 1), ("Value", 1, 6)],
                                    [("2021\n", 2, 1), ("'1'", 3, 3)]], None),
    ('a,"b""\n', None, ("data-syntax", 1, 3, "never closed")),
    ('a,"b"c\n', None, ("data-syntax", 1, 6, "text follows")),
    ('a,"b\nc"d', None, ("data-syntax", 2, 3, "text follows")),
    ('a,b\x01,c', None, ("control-character", 1, 3, "U+0001")),
    ('a,"x\x1f"', None, ("control-character", 1, 3, "U+001F")),
])
def test_quoted_values_are_cut_and_placed_as_written(
        text: str, cells: list[list[tuple[str, int, int]]] | None,
        problem: tuple[str, int, int, str] | None) -> None:
    """Quotes, quotes written twice and line ends in a quoted value; each cell at the line
    and column it starts at, and each problem where it is."""
    from gcmreview.core.diagnostics import DiagnosticSink
    from gcmreview.load import data as data_file

    sink = DiagnosticSink(Path("x.csv"))
    found = data_file._records(text, sink)
    if cells is not None:
        assert [[(c.text, c.line, c.column) for c in record] for record in found or []] == cells
        assert not sink.items
    else:
        assert found is None and problem is not None
        [item] = sink.items
        assert (item.code, item.position.line, item.position.column) == problem[:3]
        assert problem[3] in item.message


def test_an_indicators_heading_lines_and_table_share_a_page(built: Path) -> None:
    """"Indicator 16.2.2: …", "Linked to this objective …" and "Unit: …" go with their table:
    the heading and the first line stood at the foot of a page, the unit and the table on
    the next (the short lines before a table now stick to it, up to three)."""
    pages = [flat(page.extract_text()) for page in pypdf.PdfReader(built / "AQ.en.pdf").pages]
    (page,) = [p for p in pages if "Indicator 16.2.2:" in p]
    assert "Linked to this objective for this review" in page
    assert "Unit: Per 100,000 population" in page and "Year Total Female Male" in page


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_values_are_written_as_babel_writes_them(lang: str) -> None:
    """The values are formatted from the language's symbols (model/indicators.py `_shown`):
    the same text as babel's format_decimal, with the file's decimals, whatever the sign,
    exponent or size."""
    from decimal import Decimal

    from babel.numbers import format_decimal

    rng = random.Random(22)
    texts = ["0", "-0.5", "12.50", "1E+3", "1000000", "0.001", "-1234567.891", "-0.0", "+3.25",
             ".5", "5.", "1.5E3", "2e-3", "-7E+2", "1e25", "123456789012345678901234.5"]
    texts += [f"{rng.uniform(-1e7, 1e7):.{rng.randint(0, 4)}f}" for _ in range(300)]
    fmt = Formatter(lang)
    for text in texts:
        places = max(0, -int(Decimal(text).as_tuple().exponent))
        pattern = "#,##0." + "0" * places if places else "#,##0"
        expected = format_decimal(Decimal(text), format=pattern, locale=lang)
        assert show(fmt, Value(2020, Decimal(text), text)) == expected, text
