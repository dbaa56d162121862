"""The free-form reader: ordinary Word reviews into review data, with an account of
what went where and what was left out.

Unit cases build `WordDocument` values directly; the real-file cases read the
synthetic reviews under tests/data/word/legacy/ (Markdown sources, made into .docx
by make.py there) through pandoc, with a small stand-in for the docx reader.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from gcmreview.convert.pandoc import pandoc_path
from gcmreview.core.diagnostics import Diagnostic, Where
from gcmreview.load.catalogue import builtin
from gcmreview.model.document import Block, Cell, Imported, Placement, WordDocument
from gcmreview.model.legacy import guess_language, read_free_form

from .conftest import DATA

LEGACY = DATA / "word" / "legacy"


# --- building documents ---------------------------------------------------------------------

def h(level: int, text: str, markdown: str | None = None) -> Block:
    return Block("heading", 0, text, markdown or f"{'#' * level} {text}", level=level)


def p(text: str, bold: bool = False) -> Block:
    return Block("paragraph", 0, text, f"**{text}**" if bold and text else text, bold=bold)


def items(*texts: str) -> Block:
    return Block("list", 0, "\n".join(texts), "\n".join(f"- {t}" for t in texts))


def doc(*blocks: Block) -> WordDocument:
    """Blocks numbered 1, 2, 3… as the docx reader numbers them."""
    return WordDocument(tuple(replace(b, index=i) for i, b in enumerate(blocks, start=1)))


def read(document: WordDocument, language: str | None = "en") -> Imported:
    return read_free_form(document, builtin(), country="MA", cycle=2024, language=language)


def codes(result: Imported) -> list[str]:
    return [problem.code for problem in result.problems]


def only(result: Imported, code: str) -> list[Diagnostic]:
    return [problem for problem in result.problems if problem.code == code]


def summaries(result: Imported) -> dict[int, str]:
    return {n: entry["summary"] for n, entry in result.data["objectives"].items()}


# --- headings, levels and section boundaries -------------------------------------------------

def test_objectives_under_a_group_heading_with_deeper_sub_headings() -> None:
    result = read(doc(
        h(1, "Progress on the objectives"),   # 1
        p("This chapter covers six objectives."),  # 2
        h(2, "Objective 1"),                  # 3
        p("Data are published every year."),  # 4
        h(3, "Challenges"),                   # 5
        p("Registers are not linked."),       # 6
        h(2, "Objective 2 – drivers"),        # 7
        items("Rural jobs", "Climate adaptation"),  # 8
        h(1, "Guiding principles"),           # 9
        h(2, "Human rights"),                 # 10
        p("The NHRI reviewed the draft."),    # 11
    ))
    assert summaries(result) == {
        1: "Data are published every year.\n\n**Challenges**\n\nRegisters are not linked.",
        2: "- Rural jobs\n- Climate adaptation",
    }
    assert result.data["principles"] == {
        "human-rights": {"summary": "The NHRI reviewed the draft."}}
    assert result.placements == [
        Placement(("objectives", 1, "summary"), Where("Objective 1", 3)),
        Placement(("objectives", 2, "summary"), Where("Objective 2 – drivers", 7)),
        Placement(("principles", "human-rights", "summary"), Where("Human rights", 10)),
    ]
    (group_text,) = only(result, "not-placed")
    assert group_text.where == Where("Progress on the objectives", 2) and group_text.error
    assert "This chapter covers six objectives." in group_text.message
    assert codes(result) == ["not-placed", "status-not-stated", "status-not-stated"]
    assert all("status" not in entry for entry in result.data["objectives"].values())


def test_status_is_never_invented_and_each_objective_gets_a_warning() -> None:
    result = read(doc(h(1, "Objective 7"), p("Shelters opened."),
                      h(1, "Objective 15"), p("Clinics are open to all.")))
    warnings = only(result, "status-not-stated")
    assert [w.where for w in warnings] == [Where("Objective 7", 1), Where("Objective 15", 3)]
    assert not any(w.error for w in warnings)
    assert "objective 7" in warnings[0].message and "status:" in (warnings[0].hint or "")
    assert "in_progress" in (warnings[0].hint or "")
    assert result.data["objectives"] == {7: {"summary": "Shelters opened."},
                                         15: {"summary": "Clinics are open to all."}}


def test_unrecognised_heading_at_the_same_level_ends_the_section() -> None:
    result = read(doc(
        h(2, "Objective 1"), p("Data."),         # 1 2
        h(2, "Case study: the border region"),  # 3
        p("A long story about one region."),     # 4
        h(3, "Lessons"), p("Three lessons."),    # 5 6
        h(2, "Objective 2"), p("Drivers."),      # 7 8
    ))
    assert summaries(result) == {1: "Data.", 2: "Drivers."}
    (left_out,) = only(result, "not-placed")
    # One problem for the run, under its heading, at its first paragraph.
    assert left_out.where == Where("Case study: the border region", 4)
    assert "A long story about one region." in left_out.message


def test_a_higher_unrecognised_heading_ends_the_section_too() -> None:
    result = read(doc(h(2, "Objective 1"), p("Data."), h(1, "Annexes"), p("List of laws.")))
    assert summaries(result) == {1: "Data."}
    assert only(result, "not-placed")[0].where == Where("Annexes", 4)


def test_recognised_headings_deeper_than_a_section_stay_inside_it() -> None:
    result = read(doc(
        h(1, "Methodology"), p("A committee prepared the review."),
        h(2, "Whole-of-society approach"), p("Unions were consulted."),
        h(2, "Data"), p("Surveys were used."),  # objective 1's short label: still inside
    ))
    assert result.data["methodology"]["summary"] == (
        "A committee prepared the review.\n\n**Whole-of-society approach**\n\n"
        "Unions were consulted.\n\n**Data**\n\nSurveys were used.")
    assert "principles" not in result.data and result.data["objectives"] == {}


def test_an_objective_heading_always_opens_its_own_section() -> None:
    result = read(doc(h(1, "Methodology"), p("How."), h(2, "Objective 3"), p("Information.")))
    assert result.data["methodology"] == {"summary": "How."}
    assert summaries(result) == {3: "Information."}


def test_sub_heading_markdown_keeps_its_inline_formatting() -> None:
    result = read(doc(h(1, "Objective 4"), p("Identity cards."),
                      h(2, "Key measures", "## Key *measures*"), p("Mobile offices.")))
    assert summaries(result)[4] == "Identity cards.\n\n**Key *measures***\n\nMobile offices."


def test_a_table_given_as_cells_only_still_reaches_the_summary() -> None:
    table = Block("table", 0, rows=((Cell("Measure", "Measure"), Cell("Year", "Year")),
                                    (Cell("Hotline", "Hotline"), Cell("2023", "2023")),
                                    (Cell("A | B", ""),)), header_rows=1)
    result = read(doc(h(1, "Objective 7"), table))
    assert summaries(result)[7] == (
        "| Measure | Year |\n|---|---|\n| Hotline | 2023 |\n| A \\| B |  |")


# --- bold paragraphs typed as headings --------------------------------------------------------

def test_bold_paragraphs_are_headings_in_a_document_without_headings() -> None:
    result = read(doc(
        p("Voluntary review of Examplia", bold=True),  # 1: a title, not recognised
        p("Synthetic."),                              # 2
        p("Objective 3", bold=True), p("Information centres."),   # 3 4
        p("Challenges", bold=True), p("Too few staff."),          # 5 6: stays inside
        p("Objective 4:", bold=True), p("Identity cards."),       # 7 8
        p("Conclusion", bold=True), p("Examplia remains committed."),  # 9 10
    ))
    assert summaries(result) == {
        3: "Information centres.\n\n**Challenges**\n\nToo few staff.",
        4: "Identity cards.",
    }
    assert [(x.code, x.where) for x in result.problems if x.error] == [
        ("not-placed", Where("", 1)), ("not-placed", Where("Conclusion", 10))]
    assert result.placements[0] == Placement(("objectives", 3, "summary"), Where("Objective 3", 3))


def test_bold_paragraphs_sit_below_real_headings() -> None:
    result = read(doc(
        h(1, "Progress on the objectives"),
        p("Objective 5", bold=True), p("Labour agreements."),   # 2 3
        p("Objective 6", bold=True), p("Recruitment fees banned."),  # 4 5
        h(2, "Objective 7"), p("Shelters."),                     # 6 7
        p("Human rights", bold=True), p("Shelters are inspected."),  # 8 9: deeper, inside
        h(1, "Next steps"), p("Meet twice a year."),            # 10 11
    ))
    assert summaries(result) == {
        5: "Labour agreements.", 6: "Recruitment fees banned.",
        7: "Shelters.\n\n**Human rights**\n\nShelters are inspected.",
    }
    assert result.data["next_steps"] == {"summary": "Meet twice a year."}
    assert "principles" not in result.data
    assert not [x for x in result.problems if x.error]


def test_long_bold_paragraphs_are_text() -> None:
    long = "Objective 7 " + "and a long bold sentence about shelters " * 4
    result = read(doc(h(1, "Objective 1"), p("Data."), p(long.strip(), bold=True)))
    assert list(result.data["objectives"]) == [1]
    assert summaries(result)[1].endswith("shelters**")


# --- what cannot be placed -------------------------------------------------------------------

def test_text_before_the_first_heading_is_not_placed_and_empty_paragraphs_never_count() -> None:
    result = read(doc(p(""), p("   "), p("Ministry of Foreign Affairs, Examplia, 2024"),
                      p("Foreword by the Minister."), p(""),
                      h(1, "Introduction"), p(""),
                      h(1, "Objective 1"), p(""), p("Data."), p("")))
    problems = only(result, "not-placed")
    assert [x.where for x in problems] == [Where("", 3)]  # "Introduction" holds no text
    assert "“Ministry of Foreign Affairs, Examplia, 2024”" in problems[0].message
    assert summaries(result) == {1: "Data."}


def test_quotes_are_cut_at_sixty_characters() -> None:
    text = "This report was prepared by the committee with the support of many partners."
    (problem,) = only(read(doc(p(text), h(1, "Objective 1"), p("Data."))), "not-placed")
    # 60 characters end inside "of": the quote stops at the word before.
    assert "“This report was prepared by the committee with the support…”" in problem.message


def test_several_objectives_under_one_heading() -> None:
    result = read(doc(
        h(2, "Objectives 9 and 10"), p("A joint task force."),   # 1 2
        h(2, "Objectifs 1 à 3"),                                 # 3: no text of its own
        h(3, "Objectif 2"), p("Emplois ruraux."),                # 4 5
    ))
    (several,) = only(result, "several-objectives")
    assert several.error and several.where == Where("Objectives 9 and 10", 1)
    assert "9, 10" in several.message and "Objective 9" in (several.hint or "")
    assert summaries(result) == {2: "Emplois ruraux."}
    assert "not-placed" not in codes(result)


def test_the_same_objective_twice_is_joined() -> None:
    result = read(doc(h(1, "Objective 7"), p("Shelters."), h(1, "Objective 8"), p("Rescue."),
                      h(1, "OBJECTIVE 7 (continued)"), p("A hotline.")))
    assert summaries(result)[7] == "Shelters.\n\nA hotline."
    (repeated,) = only(result, "objective-repeated")
    assert not repeated.error and repeated.where == Where("OBJECTIVE 7 (continued)", 5)
    assert Placement(("objectives", 7, "summary"), Where("OBJECTIVE 7 (continued)", 5)) \
        in result.placements
    assert len(only(result, "status-not-stated")) == 2  # once per objective


def test_empty_section_places_nothing() -> None:
    result = read(doc(h(1, "Objective 21"), p(""), h(1, "Next steps"), p("Follow-up.")))
    assert result.data["objectives"] == {}
    (empty,) = only(result, "empty-section")
    assert not empty.error and empty.where == Where("Objective 21", 1)
    assert "status-not-stated" not in codes(result)


def test_a_section_with_only_sub_headings_is_empty() -> None:
    result = read(doc(h(2, "Objective 21"), h(3, "Challenges"), h(3, "Measures"),
                      h(2, "Objective 22"), p("Portability.")))
    assert summaries(result) == {22: "Portability."}
    assert [x.where for x in only(result, "empty-section")] == [Where("Objective 21", 1)]


def test_sources_and_about_the_review_are_not_placed() -> None:
    result = read(doc(
        h(1, "About the review"), p("Submitted on 1 May 2024 by the Ministry."),  # 1 2
        h(1, "Methodology"), p("A committee."),                                  # 3 4
        h(1, "References"), items("National Migration Strategy, 2019."),        # 5 6
    ))
    assert "sources" not in result.data
    (sources,) = only(result, "sources-not-placed")
    assert not sources.error and sources.where == Where("References", 5)
    assert "`sources:`" in (sources.hint or "")
    (about,) = only(result, "not-placed")
    assert about.where == Where("About the review", 2) and "`review:`" in (about.hint or "")


def test_group_heading_without_text_of_its_own_is_fine() -> None:
    result = read(doc(h(1, "Guiding principles"), p(""),
                      h(2, "(a)"), p("People first."),
                      h(2, "Principe directeur i) :"), p("Onze ministères."),
                      h(2, "Whole of government"), p("And a committee.")))
    assert result.data["principles"] == {
        "people-centred": {"summary": "People first."},
        "whole-of-government": {"summary": "Onze ministères.\n\nAnd a committee."},
    }
    assert codes(result) == ["section-repeated"]


def test_sections_and_reservations() -> None:
    result = read(doc(
        h(1, "1. Methodology"), p("How."),
        h(1, "2. Policy environment"), p("A strategy."),
        h(1, "COVID-19 and migrants"), p("Permits extended."),
        h(1, "Means of implementation"), p("Funds."),
        h(1, "Next steps"), p("Follow-up."),
        h(1, "Reservations"), p("On paragraph 27."),
        h(1, "Reservations"), p("On objective 13."),
    ))
    data = result.data
    assert [k for k in data if k not in ("country", "review", "objectives")] == [
        "methodology", "policy_environment", "covid19", "means_of_implementation",
        "next_steps", "reservations"]
    assert data["policy_environment"] == {"summary": "A strategy."}
    assert data["reservations"] == [{"summary": "On paragraph 27."},
                                    {"summary": "On objective 13."}]
    assert Placement(("reservations", 1, "summary"), Where("Reservations", 13)) \
        in result.placements
    assert Placement(("covid19", "summary"), Where("COVID-19 and migrants", 5)) \
        in result.placements
    assert not result.problems


def test_review_metadata_and_key_order() -> None:
    result = read_free_form(doc(h(1, "Objective 1"), p("Data.")), builtin(), country="TN",
                            cycle=2020, language="fr")
    assert list(result.data) == ["country", "review", "objectives"]
    assert result.data["review"] == {"cycle": 2020, "language": "fr", "status": "draft"}
    assert result.data["country"] == "TN" and result.kind == "free-form"


# --- languages -------------------------------------------------------------------------------

def test_arabic_document_with_ordinals_and_arabic_indic_digits() -> None:
    result = read(doc(
        p("وثيقة اختبار اصطناعية لا تصف استعراضًا حقيقيًا."),  # 1
        h(1, "٢- التقدم المحرز في تنفيذ الأهداف"),             # 2
        h(2, "الهدف السابع"), p("افتُتحت ثلاثة مراكز للإيواء."),       # 3 4
        h(2, "\u200fالهدف ١٢"), p("دليل موحد للإحالة."),                 # 5 6
        h(2, "الهدف الحادي والعشرون"), p("برنامج للعودة الطوعية."),      # 7 8
        h(2, "الهدف الثانى والعشرين"), p("اتفاقات للضمان الاجتماعي."),  # 9 10
        h(1, "المبادئ التوجيهية"), h(2, "المبدأ (هـ)"), p("التنمية."),  # 11 12 13
        h(1, "الخطوات المقبلة"), p("اجتماع كل ستة أشهر."),             # 14 15
    ), language=None)
    assert sorted(result.data["objectives"]) == [7, 12, 21, 22]
    assert result.data["review"]["language"] == "ar"
    assert result.data["principles"] == {"sustainable-development": {"summary": "التنمية."}}
    assert result.data["next_steps"] == {"summary": "اجتماع كل ستة أشهر."}
    assert Placement(("objectives", 12, "summary"), Where("\u200fالهدف ١٢", 5)) \
        in result.placements
    (guessed,) = only(result, "language-guessed")
    assert not guessed.error and "ar" in guessed.message and "--lang" in (guessed.hint or "")
    assert [x.where for x in only(result, "not-placed")] == [Where("", 1)]


def test_french_document() -> None:
    result = read(doc(
        h(1, "Méthodologie de l'examen"), p("Le comité et la société civile."),
        h(1, "Progrès réalisés dans la mise en œuvre des objectifs"),
        h(2, "Objectif n°\u00a07\u00a0:"), p("Trois centres d'accueil et des places."),
        h(2, "Objectif no 16 : intégration"), p("Des cours de langue."),
        h(1, "Pandémie de COVID-19"), p("Les titres de séjour ont été prolongés."),
    ), language=None)
    assert sorted(result.data["objectives"]) == [7, 16]
    assert result.data["review"]["language"] == "fr"
    assert set(result.data) >= {"methodology", "covid19"}
    assert codes(result)[0] == "language-guessed"


@pytest.mark.parametrize(("texts", "expected"), [
    (("The committee and the ministries of the State met.",), "en"),
    (("Le comité et les ministères de l'État se sont réunis.",), "fr"),
    (("اجتمعت اللجنة والوزارات.", "Annex: GCM, IOM, UNHCR"), "ar"),
    (("Objective 7", "Objectif 7"), "en"),  # too little to say: English
])
def test_language_guess(texts: tuple[str, ...], expected: str) -> None:
    assert guess_language(doc(*(p(t) for t in texts))) == expected


def test_a_given_language_is_not_guessed() -> None:
    result = read(doc(h(1, "Objectif 7"), p("Le comité et les ministères.")), language="fr")
    assert "language-guessed" not in codes(result)


# --- real Word documents ----------------------------------------------------------------------
# A stand-in for the pandoc-based docx reader: top-level blocks of pandoc's JSON.

SEPARATOR = "QQBLOCKSEPARATORQQ"
MARKDOWN = "commonmark+pipe_tables+footnotes+strikeout+task_lists"


def pandoc(args: list[str], stdin: str | None = None) -> str:
    return subprocess.run([str(pandoc_path()), *args], input=stdin, capture_output=True,
                          text=True, encoding="utf-8", check=True).stdout


def plain(inlines: list[dict[str, Any]]) -> str:
    out = []
    for inline in inlines:
        kind, content = inline["t"], inline.get("c")
        if kind == "Str":
            out.append(content)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif kind in ("Emph", "Strong", "Underline", "Strikeout", "SmallCaps", "Superscript",
                      "Subscript"):
            out.append(plain(content))
        elif kind in ("Span", "Link", "Quoted"):
            out.append(plain(content[1]))
        elif kind == "Code":
            out.append(content[1])
    return "".join(out)


def block_text(block: dict[str, Any]) -> str:
    kind, content = block["t"], block.get("c")
    if kind in ("Para", "Plain"):
        return plain(content)
    if kind == "Header":
        return plain(content[2])
    if kind in ("BulletList", "OrderedList"):
        entries = content if kind == "BulletList" else content[1]
        return "\n".join(" ".join(block_text(b) for b in entry) for entry in entries)
    return ""


def table_rows(block: dict[str, Any]) -> tuple[tuple[Cell, ...], ...]:
    _attr, _caption, _specs, head, bodies, _foot = block["c"]
    rows = [*head[1], *(row for body in bodies for row in (*body[2], *body[3]))]
    return tuple(tuple(Cell(" ".join(block_text(b) for b in cell[4]), "") for cell in row[1])
                 for row in rows)


def unwrap_spans(node: Any) -> Any:
    """The AST without Span wrappers (Word's right-to-left runs come back as spans)."""
    if isinstance(node, dict):
        return {key: unwrap_spans(value) for key, value in node.items()}
    if isinstance(node, list):
        out: list[Any] = []
        for item in node:
            if isinstance(item, dict) and item.get("t") == "Span":
                out.extend(unwrap_spans(item["c"][1]))
            else:
                out.append(unwrap_spans(item))
        return out
    return node


def is_bold(inlines: list[dict[str, Any]]) -> bool:
    kinds = {i["t"] for i in inlines}
    return "Strong" in kinds and kinds <= {"Strong", "Space", "SoftBreak", "LineBreak"}


@cache
def read_docx(path: Path) -> WordDocument:
    ast = unwrap_spans(json.loads(pandoc(["-f", "docx", "-t", "json", str(path)])))
    marker = {"t": "Para", "c": [{"t": "Str", "c": SEPARATOR}]}
    joined = [part for block in ast["blocks"] for part in (block, marker)]
    markdown = pandoc(["-f", "json", "-t", MARKDOWN, "--wrap=none"],
                      json.dumps({**ast, "blocks": joined}))
    pieces = [m.strip() for m in markdown.split(SEPARATOR)][:len(ast["blocks"])]
    blocks = []
    for index, (block, md) in enumerate(zip(ast["blocks"], pieces, strict=True), start=1):
        kind = block["t"]
        if kind == "Header":
            blocks.append(Block("heading", index, block_text(block), md, level=block["c"][0]))
        elif kind in ("Para", "Plain"):
            blocks.append(Block("paragraph", index, block_text(block), md,
                                bold=is_bold(block["c"])))
        elif kind in ("BulletList", "OrderedList"):
            blocks.append(Block("list", index, block_text(block), md))
        elif kind == "Table":
            rows = table_rows(block)
            blocks.append(Block("table", index, "", md, rows=rows, header_rows=1))
        else:
            blocks.append(Block("other", index, "", md))
    return WordDocument(tuple(blocks))


def index_of(document: WordDocument, text: str) -> int:
    return next(b.index for b in document.blocks if b.text.strip() == text)


def test_english_word_review() -> None:
    document = read_docx(LEGACY / "review.en.docx")
    result = read_free_form(document, builtin(), country="MA", cycle=2024)
    data = result.data
    assert data["review"] == {"cycle": 2024, "language": "en", "status": "draft"}
    assert sorted(data["objectives"]) == [1, 7, 15]
    assert data["objectives"][1]["summary"] == (
        "The national statistics office publishes migration data disaggregated by sex, age "
        "and nationality every year.\n\n**Challenges**\n\nAdministrative registers are not yet "
        "linked to each other.")
    seven = data["objectives"][7]["summary"]
    assert seven.startswith("- Three reception centres opened in border regions in 2022.\n")
    assert "| Reception centres | 2022 |" in seven
    assert seven.endswith("A second phase of the reception programme is planned for 2025.")
    assert data["methodology"]["summary"].count("\n\n") == 1
    assert set(data["principles"]) == {"whole-of-government", "human-rights"}
    assert data["covid19"]["summary"].startswith("Residence permits")
    assert data["next_steps"]["summary"].startswith("The committee will meet")
    assert "sources" not in data and "reservations" not in data

    located = {(x.code, x.where.section, x.where.block) for x in result.problems}
    assert located == {
        ("language-guessed", "", 0),
        ("not-placed", "", 1),  # the bold title and the "synthetic" paragraph
        ("not-placed", "Introduction", index_of(document, "Introduction") + 1),
        ("not-placed", "Progress on the objectives",
         index_of(document, "Progress on the objectives") + 1),
        ("status-not-stated", "Objective 1", index_of(document, "Objective 1")),
        ("status-not-stated", "Objective 7", index_of(document, "Objective 7")),
        ("several-objectives", "Objectives 9 and 10", index_of(document, "Objectives 9 and 10")),
        ("status-not-stated", "Objective 15", index_of(document, "Objective 15")),
        ("objective-repeated", "Objective 7",
         max(b.index for b in document.blocks if b.text == "Objective 7")),
        ("empty-section", "Objective 21", index_of(document, "Objective 21")),
        ("sources-not-placed", "References", index_of(document, "References")),
        ("not-placed", "Annex: members of the committee",
         index_of(document, "Annex: members of the committee") + 1),
    }
    assert len(result.problems) == len(located)
    errors = {x.code for x in result.problems if x.error}
    assert errors == {"not-placed", "several-objectives"}
    assert Placement(("principles", "whole-of-government", "summary"),
                     Where("Whole-of-government approach",
                           index_of(document, "Whole-of-government approach"))) \
        in result.placements


def test_french_word_review_typed_with_bold_paragraphs() -> None:
    document = read_docx(LEGACY / "review.fr.docx")
    assert not any(b.kind == "heading" for b in document.blocks)
    result = read_free_form(document, builtin(), country="MA", cycle=2024)
    data = result.data
    assert data["review"]["language"] == "fr"
    assert sorted(data["objectives"]) == [7, 16, 20]
    assert data["objectives"][7]["summary"].endswith(
        "**Défis**\n\nLes places d’hébergement restent insuffisantes pendant l’été.")
    assert list(data["principles"]) == ["whole-of-society"]
    assert data["methodology"]["summary"].startswith("L’examen a été préparé")
    assert data["covid19"]["summary"].startswith("Les titres de séjour")
    assert data["next_steps"]["summary"] == (
        "Le comité se réunira tous les six mois pour suivre la mise en œuvre des "
        "recommandations.")
    heading = next(b.text for b in document.blocks if b.text.startswith("Objectif n°"))
    assert Placement(("objectives", 7, "summary"), Where(heading, index_of(document, heading))) \
        in result.placements
    left_out = [(x.where.section, x.where.block) for x in only(result, "not-placed")]
    assert left_out == [("", 1), ("Conclusion", index_of(document, "Conclusion") + 1)]
    assert len(only(result, "status-not-stated")) == 3


def test_arabic_word_review() -> None:
    document = read_docx(LEGACY / "review.ar.docx")
    result = read_free_form(document, builtin(), country="MA", cycle=2024)
    data = result.data
    assert data["review"]["language"] == "ar"
    assert sorted(data["objectives"]) == [1, 12, 15, 21, 23]
    assert data["objectives"][15]["summary"].endswith(
        "**التحديات**\n\nلا يزال عدد المترجمين في المراكز الصحية غير كافٍ.")
    assert list(data["principles"]) == ["whole-of-society"]
    assert set(data) >= {"methodology", "covid19", "next_steps"}
    assert "policy_environment" not in data
    assert Placement(("objectives", 12, "summary"),
                     Where("الهدف الثانى عشر", index_of(document, "الهدف الثانى عشر"))) \
        in result.placements
    assert [(x.where.section, x.where.block) for x in only(result, "not-placed")] == [
        ("", 1), ("مقدمة", index_of(document, "مقدمة") + 1)]
    assert [x.where.section for x in only(result, "sources-not-placed")] == ["المراجع"]
    assert len(only(result, "status-not-stated")) == 5
