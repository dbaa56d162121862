"""Data tables written for HTML and DOCX by gcmreview (render/tables.py) are the tables
pandoc writes from the same pipe table: random cells (every ASCII punctuation mark,
runs of spaces, no-break spaces, Arabic, isolates, text in another language and
direction, fallbacks, phrases) in English, French and Arabic reports, through the real
pandoc. And a build places them wherever a template puts them."""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pypandoc
import pytest

from gcmreview.model.text import Phrase, Text
from gcmreview.render import tables
from gcmreview.render.tables import Cell, DataTables, raw_formats

from .conftest import ROOT

SKELETON_FORMAT = "commonmark+pipe_tables+fenced_divs+bracketed_spans+attributes"
"""As batch.lua reads a skeleton."""
ALPHABET = (list("abcXYZ019 ") + list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
            + ["  ", "\t", "\n", "\u00a0", "\u202f", "ب", "سلام", "\u2066", "\u2069", "\u200f",
               "\u2028", "&amp;", "<b>", "–", "é", "😀", "--", "..."])


def random_text(rng: random.Random) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 12)))


def random_cell(rng: random.Random) -> Cell:
    kind = rng.random()
    if kind < 0.5:
        return random_text(rng)
    lang, dir_ = rng.choice([("en", "ltr"), ("fr", "ltr"), ("ar", "rtl")])
    text = Text(random_text(rng), lang, dir_, rng.random() < 0.2)
    if kind < 0.85:
        return text
    return Phrase(random_text(rng).replace("{", "(") + " {x} " + random_text(rng)
                  .replace("{", "("), {"x": text})


def random_table(rng: random.Random) -> tuple[list[Cell], list[list[Cell]], list[bool]]:
    columns = rng.randint(1, 4)
    header = [random_cell(rng) for _ in range(columns)]
    rows = [[random_cell(rng) for _ in range(columns)] for _ in range(rng.randint(0, 3))]
    numeric = [rng.random() < 0.5 for _ in range(columns)]
    return header, rows, numeric


def pandoc(markdown: str, to: str, lang: str) -> str:
    """HTML unwrapped: pandoc's line wrapping can lose a space next to an isolate."""
    rtl = ["-M", "dir=rtl"] if lang == "ar" else []
    return str(pypandoc.convert_text(markdown, to, format=SKELETON_FORMAT,
                                     extra_args=[*rtl, "--wrap=none"]))


def docx_tables(markdown: str, lang: str, tmp: Path) -> list[str]:
    target = tmp / f"{lang}.docx"
    rtl = ["-M", "dir=rtl"] if lang == "ar" else []
    pypandoc.convert_text(markdown, "docx", format=SKELETON_FORMAT, outputfile=str(target),
                          extra_args=rtl)
    with zipfile.ZipFile(target) as z:
        xml = z.read("word/document.xml").decode()
    return re.findall(r"<w:tbl>.*?</w:tbl>", xml, re.DOTALL)


def write(table: tuple[list[Cell], list[list[Cell]], list[bool]], lang: str) -> dict[str, str]:
    found = tables.written(*table, lang)
    assert found is not None, table
    return found


def html_tables(html: str) -> list[str]:
    return [t.replace(">\n<", "><") for t in re.findall(r"<table>.*?</table>", html, re.DOTALL)]


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_tables_written_here_are_the_tables_pandoc_writes(lang: str, tmp_path: Path) -> None:
    rng = random.Random(f"tables-{lang}")
    found = [random_table(rng) for _ in range(600)]
    found = [t for t in found if tables.written(*t, lang) is not None]
    assert len(found) > 60
    markdown = "\n\nA paragraph between tables.\n\n".join(
        tables.markdown(*t, lang) for t in found)
    by_pandoc = html_tables(pandoc(markdown, "html5", lang))
    assert len(by_pandoc) == len(found)
    for table, expected in zip(found, by_pandoc, strict=True):
        assert html_tables(write(table, lang)["html"]) == [expected], table
    for table, expected in zip(found, docx_tables(markdown, lang, tmp_path), strict=True):
        assert write(table, lang)["docx"] == expected, table


def test_text_is_escaped_for_the_format_it_lands_in() -> None:
    header: list[Cell] = ["<script>alert(1)</script>"]
    rows: list[list[Cell]] = [[Text('"><img src=x onerror=alert(1)>', "fr", "ltr")],
                              ["</w:t></w:r><w:r><w:t>&"]]
    html = write((header, rows, [False]), "en")["html"]
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    xml = write((header, rows, [False]), "en")["docx"]
    assert "</w:t></w:r><w:r><w:t>&" not in xml
    assert "&lt;/w:t&gt;&lt;/w:r&gt;&lt;w:r&gt;&lt;w:t&gt;&amp;" in xml


def test_control_characters_leave_the_table_to_pandoc() -> None:
    placed = raw_formats(("html", "docx"))
    header: list[Cell] = ["Year", "Value"]
    assert "data-table" in placed.place(header, [["2020", "1.5"]], [False, True], "en")
    kept = placed.place(header, [["2021", "a\x01b"]], [False, True], "en")
    assert "data-table" not in kept and "| 2021 |" in kept
    assert list(placed.items) == ["table-1"]


def test_the_placeholder_holds_the_pipe_table_only_for_the_formats_that_read_it() -> None:
    header: list[Cell] = ["Year"]
    alone = raw_formats(("html", "docx")).place(header, [["2020"]], [False], "en")
    assert "| 2020 |" not in alone and 'name="table-1"' in alone
    with_pdf = raw_formats(("html", "docx", "pdf")).place(header, [["2020"]], [False], "en")
    assert "| 2020 |" in with_pdf and 'name="table-1"' in with_pdf
    pdf_only = raw_formats(("pdf",))
    assert "data-table" not in pdf_only.place(header, [["2020"]], [False], "en")
    assert not pdf_only.items
    with pytest.raises(ValueError):
        DataTables(frozenset({"html"})).place(header, [["2020", "extra"]], [False], "en")


def test_a_table_inside_a_div_of_a_workspace_template_is_placed(run_cli, tmp_path: Path
                                                                ) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(ROOT / "docs" / "examples" / "indicators", ws)
    report = (ROOT / "templates" / "report.md.j2").read_text(encoding="utf-8")
    assert "{{ i.table|table }}" in report
    (ws / "templates").mkdir(exist_ok=True)
    (ws / "templates" / "report.md.j2").write_text(
        report.replace("{{ i.table|table }}", "::: {.values}\n{{ i.table|table }}\n:::"),
        encoding="utf-8")
    result = run_cli("build", "-c", "AQ", "--format", "html,docx", "--out", "out", cwd=ws)
    assert result.code == 0, result.err
    page = (ws / "out" / "AQ.en.html").read_text(encoding="utf-8")
    assert re.search(r'<div class="values">\s*<table>', page)
    assert "data-table" not in page
    assert '<td style="text-align: right;">14.2</td>' in page
    with zipfile.ZipFile(ws / "out" / "AQ.en.docx") as z:
        xml = z.read("word/document.xml").decode()
    assert xml.count("<w:tbl>") >= 2 and ">14.2<" in xml


def test_pandoc_is_the_one_the_build_runs() -> None:
    """The comparison above is only worth the pandoc the build uses."""
    version = subprocess.run([pypandoc.get_pandoc_path(), "--version"], capture_output=True,
                             text=True, check=True).stdout
    assert version.startswith("pandoc 3.")


def test_a_review_cannot_place_a_table(run_cli, tmp_path: Path) -> None:
    """Pandoc leaves a marker where each data table goes, which Python replaces with the
    table (batch.lua `data_table`): a review's words that spell a marker stay words, in
    both formats, and every table is where the template put it, labelled by its title."""
    ws = tmp_path / "ws"
    shutil.copytree(ROOT / "docs" / "examples" / "indicators", ws)
    review = ws / "countries" / "AQ.yaml"
    spelled = "<!--gcmreview-table:table-1 table-1--> gcmreview-table:table-1"
    review.write_text(review.read_text(encoding="utf-8").replace(
        '"Synthetic test text: a data strategy is being written."',
        f"'Synthetic test text: {spelled}'"), encoding="utf-8")
    result = run_cli("build", "-c", "AQ", "--format", "html,docx", "--out", "out", cwd=ws)
    assert result.code == 0, result.err
    page = (ws / "out" / "AQ.en.html").read_text(encoding="utf-8")
    assert re.search(r"&lt;!--gcmreview-table:table-1 table-1--&gt;\sgcmreview-table:table-1",
                     page)
    tables = re.findall(r"<table[^>]*>", page)
    labelled = re.findall(r'<table aria-labelledby="(table-\d+)">', page)
    assert len(tables) >= 3 and len(labelled) == len(tables) - 1  # the acronyms' table
    assert all(f'id="{label}"' in page for label in labelled)
    assert "<!--gcmreview" not in page
    with zipfile.ZipFile(ws / "out" / "AQ.en.docx") as z:
        xml = z.read("word/document.xml").decode()
    assert "gcmreview-table:table-1</w:t>" in xml  # the review's words, as a run of text
    assert "<w:t>gcmreview-table:" not in xml  # no marker left
    assert xml.count("<w:tbl>") == len(tables)
