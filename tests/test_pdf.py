"""typst to PDF (gcmreview.convert.pdf): a footnote that typst 0.15 puts on the page
before its call (typst/typst#5314) or after it (typst/typst#5603) is brought beside it,
by report.typ's own rule, or the document stays as typst laid it out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typst

from gcmreview.convert.fonts import font_dirs
from gcmreview.convert.pdf import compile_pdf
from gcmreview.render.templates import builtin_templates_dir

from .test_pdf_layout import footnote_pages

DATA = Path(__file__).parent / "data" / "pdf"


def with_the_rule(tmp_path: Path, name: str, *, height: str = "",
                  container: bool = False) -> Path:
    """tests/data/pdf/`name` under the built-in template's rule; SECTION_HEIGHT set to
    `height`; its headings in a block if `container`."""
    template = (builtin_templates_dir() / "report.typ").read_text(encoding="utf-8")
    rule = re.search(r"^#let gcm-section-move.*?^#show footnote\.entry:.*?^}$", template,
                     re.M | re.S)
    assert rule, "report.typ has no footnote.entry rule"
    body = (DATA / name).read_text(encoding="utf-8").replace("SECTION_HEIGHT", height)
    if container:  # a page break cannot go inside a block: typst refuses it
        start = body.index("= a")
        body = body[:start] + "#block[\n" + body[start:] + "]\n"
    path = tmp_path / "document.typ"
    path.write_text("#let page-margin = (x: 0.8cm, y: 0.8cm)\n" + rule[0] + "\n" + body,
                    encoding="utf-8")
    return path


def as_typst_lays_it_out(typ: Path, tmp_path: Path) -> list[tuple[int, int]]:
    pdf = tmp_path / "typst.pdf"
    pdf.write_bytes(typst.compile(str(typ), root=str(typ.parent), font_paths=list(font_dirs()),
                                  ignore_system_fonts=True))
    return footnote_pages(pdf)


def compiled(typ: Path, tmp_path: Path) -> list[tuple[int, int]]:
    root = tmp_path / "root"
    root.mkdir()
    pdf = tmp_path / "document.pdf"
    assert compile_pdf(typ, pdf, root) is None
    assert not typ.exists()
    return footnote_pages(pdf)


def test_notes_left_before_their_calls_are_brought_back(tmp_path: Path) -> None:
    typ = with_the_rule(tmp_path, "stranded-note.typ", height="1.5cm")
    if as_typst_lays_it_out(typ, tmp_path) != [(2, 1), (2, 1)]:
        pytest.skip("this typst keeps notes beside their calls: report.typ's rule can go")
    assert compiled(typ, tmp_path) == [(2, 2), (2, 2)]


def test_a_section_too_tall_for_a_page_with_its_notes_stays_as_typst_laid_it_out(
        tmp_path: Path) -> None:
    # With the page break, typst would move the section on again and leave its notes
    # on an empty page: that layout is not taken.
    typ = with_the_rule(tmp_path, "stranded-note.typ", height="2cm")
    before = as_typst_lays_it_out(typ, tmp_path)
    assert before == [(2, 1), (2, 1)]
    assert compiled(typ, tmp_path) == before


def test_a_heading_in_a_container_stays_as_typst_laid_it_out(tmp_path: Path) -> None:
    typ = with_the_rule(tmp_path, "stranded-note.typ", height="1.5cm",
                        container=True)
    before = as_typst_lays_it_out(typ, tmp_path)
    assert compiled(typ, tmp_path) == before


def test_a_note_put_after_its_call_is_brought_back(tmp_path: Path) -> None:
    # The call's section (its heading a few lines above) starts the next page instead.
    typ = with_the_rule(tmp_path, "note-after-call.typ")
    if as_typst_lays_it_out(typ, tmp_path) != [(1, 2)]:
        pytest.skip("this typst keeps notes beside their calls: report.typ's rule can go")
    assert compiled(typ, tmp_path) == [(2, 2)]


def test_a_note_with_no_heading_to_break_before_stays_as_typst_laid_it_out(
        tmp_path: Path) -> None:
    typ = with_the_rule(tmp_path, "stranded-note-without-heading.typ")
    before = as_typst_lays_it_out(typ, tmp_path)
    assert before == [(2, 1)]
    assert compiled(typ, tmp_path) == before
