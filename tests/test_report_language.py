"""Reports in each language, as a reader of that language expects them: CLDR lists and
plurals, one date style, text in the other direction isolated in every format, (a)–(j)
order, a legend that matches the cells, and a warning for every English fallback.

Real builds of the shipped example; outputs opened as files (HTML text, DOCX XML,
PDF text through pypdf).
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from gcmreview.commands.build import build
from gcmreview.commands.context import Context
from gcmreview.core.i18n import Formatter
from gcmreview.render.templates import builtin_templates_dir, environment

from .conftest import copy_workspace

LRI, RLI, PDI = "\u2066", "\u2067", "\u2069"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = copy_workspace(tmp_path_factory.mktemp("language") / "ws")
    config = ws / "gcmreview.yaml"  # the regional title without its Arabic, to be warned of
    config.write_text("\n".join(line for line in config.read_text(encoding="utf-8").splitlines()
                                if not line.startswith("  ar: الاستعراض")) + "\n",
                      encoding="utf-8")
    for lang in ("fr", "ar"):
        outcome = build(Context(ws), codes=["MA"], region=True, lang=lang,
                        formats="md,html,docx,pdf", out=ws / "out")
        assert outcome.exit_code == 0, outcome.failed
        if lang == "ar":
            warnings = outcome.warnings["regional.ar"]
            assert any("the title of the regional report has no Arabic version" in w
                       for w in warnings)
            assert any("the titles of objectives 1–23 have" in w for w in warnings)
        else:
            assert "regional.fr" not in outcome.warnings
    return ws / "out"


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


BIDI_CONTROLS = str.maketrans("", "", "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def logical_pdf_text(path: Path) -> str:
    """The PDF's text in reading order, as poppler's pdftotext gives Arabic (pypdf gives
    it in visual order), without the direction marks pdftotext adds."""
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True)
    return done.stdout.translate(BIDI_CONTROLS)


def test_lists_follow_the_language(out: Path) -> None:
    # "A, B and C" lists: CLDR's pattern for each language.
    assert "Organisateurs\u00a0: CESAO, OIM et Ligue des États arabes." in text(
        out / "regional.fr.md")
    ar = text(out / "regional.ar.md")
    assert "الإسكوا والمنظمة الدولية للهجرة وجامعة الدول العربية" in ar
    # Enumerations inside a table cell: the Arabic comma.
    assert "المجتمع المدني، المنظمات الدولية" in ar
    assert ", " not in "".join(re.findall(r"المجتمع المدني[^|]*", ar))
    pdf = logical_pdf_text(out / "regional.ar.pdf")
    # pdftotext may give the comma's space before it ("المدني ،المنظمات") when the list
    # stands on one line of its cell: its reordering of a comma between two runs.
    assert re.search(r"المدني ?،", pdf) and not re.search(r"المدني ?,", pdf)


def test_counted_phrases_agree_with_their_number(out: Path, tmp_path: Path) -> None:
    # A sentence never starts with a numeral.
    assert "L\u2019examen de 2020 a réuni 15 États. Parmi eux, huit ont présenté un examen " \
        "volontaire. Tous ces examens sont à l\u2019état de projet." in text(out / "regional.fr.md")
    assert "شاركت 15 دولة في استعراض عام 2020." in text(out / "regional.ar.md")
    # One State: the singular in French, the dual-free "one" form in Arabic.
    ws = copy_workspace(tmp_path / "one", ("MA",))
    config = ws / "gcmreview.yaml"
    config.write_text(re.sub(r"participants: \[.*\]", "participants: [MA]", text(config)),
                      encoding="utf-8")
    for lang, sentence in (("fr", "L\u2019examen de 2020 a réuni un État. Parmi eux, un a "
                                  "présenté un examen volontaire. Cet examen est à "
                                  "l\u2019état de projet."),
                           ("ar", "شاركت دولة واحدة في استعراض عام 2020. وقدّمت دولة واحدة "
                                  "منها استعراضًا طوعيًا. وهذا الاستعراض في صيغة مسودة.")):
        done = build(Context(ws), codes=[], region=True, lang=lang, formats="md",
                     out=ws / "out")
        assert done.exit_code == 0
        assert sentence in text(ws / "out" / f"regional.{lang}.md")


def test_one_date_style_per_language(out: Path) -> None:
    fr = text(out / "MA.fr.md")
    assert "13\u00a0août\u00a02020" in fr and "2020-08-13" not in fr
    regional = text(out / "regional.fr.md")
    assert "LEA), 13\u00a0août\u00a02020" in regional and "2020-08-13" not in regional
    assert Formatter("ar").date("2020-08-13") in text(out / "MA.ar.md")
    # United Nations Arabic: both month names, Levantine and Egyptian.
    # A word joiner after the slash: a line never breaks between the two names.
    assert "13\u00a0آب/\u2060أغسطس\u00a02020" in text(out / "MA.ar.md")
    assert "أغسطس\u00a02020" not in text(out / "MA.ar.md").replace("آب/\u2060أغسطس", "")


def test_sources_are_named_once_then_ibid(out: Path) -> None:
    fr = text(out / "regional.fr.md")
    # In the first note and the list of sources; the notes after it say "Ibid.".
    assert fr.count("Rapport du deuxième atelier de renforcement") == 2
    # The quotation's sources are a footnote on its attribution.
    note = re.search(r"\*— Libye\*\[\^(\d+)\]", fr)
    assert note and f"[^{note.group(1)}]: Ibid., par.\u00a09." in fr
    # In Arabic, the locator the French review wrote is written in Arabic.
    html = text(out / "regional.ar.html")
    assert "المرجع نفسه، الفقرة\u00a09." in html and "para. 9" not in html


def test_other_direction_is_isolated_in_every_format(out: Path) -> None:
    html = text(out / "MA.ar.html")
    # The English fallback title and its marker, in one isolated, tagged run.
    assert re.search(f'<span lang="en" dir="ltr">{LRI}[^<]+ \\(EN\\){PDI}</span>', html)
    docx = zipfile.ZipFile(out / "MA.ar.docx").read("word/document.xml").decode()
    assert f"{LRI}" in docx and PDI in docx
    pdf = pdf_text(out / "MA.ar.pdf")
    assert "(EN)" in pdf
    # French narratives in the Arabic PDF are set left to right (see the typst source
    # made by the converter: a block of their own direction).
    assert "Le Maroc compte" in pdf


def test_a_list_in_the_reviews_language_is_set_in_its_direction(out: Path) -> None:
    """An editor's review found a French review's measures in the Arabic report set right
    to left, item by item (bullets on the right, wrapped lines hanging from the right),
    while its quotations were set left to right. A list whose items are all in one other
    language is now a block of that language and direction in every format, as a
    quotation is; the label over it stays in the report's."""
    measure = f"{LRI}Observatoire africain des migrations installé au Maroc"  # an item
    for name in ("MA.ar", "regional.ar"):
        html = " ".join(text(out / f"{name}.html").split())  # lines as pandoc wraps them
        block = html[html.rindex('<div class="quoted" lang="fr" dir="ltr">', 0,
                                 html.index(measure)):html.index(measure)]
        assert "<ul>" in block and "</div>" not in block
        docx = zipfile.ZipFile(out / f"{name}.docx").read("word/document.xml").decode()
        paragraph = docx[docx.rindex("<w:p>", 0, docx.index(measure)):docx.index(measure)]
        assert "<w:numPr>" in paragraph and "<w:bidi" not in paragraph
    # The institutions involved and the next steps too (the review's words); not the
    # policy instruments, whose details are the report's words ("استراتيجية، معتمدة").
    html = " ".join(text(out / "MA.ar.html").split())
    for item in ("Ministère des Finances", "Préparation d’une stratégie nationale"):
        at = html.index(f"{LRI}{item}")
        block = html[html.rindex('<div class="quoted" lang="fr" dir="ltr">', 0, at):at]
        assert "<ul>" in block and "</div>" not in block, item
    at = html.index(f"{LRI}Plan d’action post-pandémie")
    assert "</ul>" in html[html.rindex('<div class="quoted"', 0, at):at]
    # In the PDF, its bullet is on the left of its words.
    words = subprocess.run(["pdftotext", "-bbox", str(out / "MA.ar.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout
    boxes = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', words)
    start = next(i for i, (_x, _y, w) in enumerate(boxes) if w == "Observatoire")
    x, y = float(boxes[start][0]), float(boxes[start][1])
    bullets = [float(bx) for bx, by, w in boxes if w == "•" and abs(float(by) - y) < 3]
    assert bullets and all(b < x for b in bullets), (x, bullets)


def test_guiding_principles_in_a_to_j_order(out: Path) -> None:
    md = text(out / "MA.fr.md")
    section = md[md.index("# Principes directeurs {#principles}"):]
    letters = re.findall(r"^## (\w)\) ", section, re.M)  # "b) Coopération…": UN French
    assert letters == sorted(letters) and letters[0] == "b"  # MA's file lists (i) first


def test_legend_matches_the_cells(out: Path) -> None:
    md = text(out / "regional.fr.md")
    lines = md[md.index("| Symbole | Signification"):].splitlines()[2:]
    rows = [ln.strip().strip("|").split("|") for ln in lines[:lines.index("")]]
    symbols = {cell[0].strip(): cell[1].strip() for cell in rows}
    assert symbols[""] == "Non renseigné"  # blank, as the cells are
    # "Non indiqué" read like "Non renseigné" beside it: the key says what it is.
    assert symbols["◇"] == "Renseigné, état d’avancement non indiqué"
    assert symbols["·"] == "Non commencé"
    assert "□" not in "".join(lines[:10])


def test_an_empty_annex_table_is_a_sentence(out: Path) -> None:
    md = text(out / "regional.fr.md")
    iraq = md[md.index("## Iraq"):]
    iraq = iraq[:iraq.index("\n## ", 3)]
    assert "Aucun objectif n\u2019est renseigné dans cet examen." in iraq
    assert "| \\# |" not in iraq


def test_a_source_is_cited_once_per_place(out: Path) -> None:
    """MA's policy section cites [1] at para. 6 and para. 10, its objective 5 at para. 11
    and para. 10: one note each, the locators merged and in order, in the report's words;
    Arabic has its dual."""
    fr = text(out / "MA.fr.md")
    assert "Ibid., par.\u00a06 et 10." in fr and "Ibid., par.\u00a010 et 11." in fr
    assert "Sources\u00a0:" not in fr and "para. 6" not in fr
    ar = text(out / "MA.ar.md")
    assert "الفقرتان\u00a06 و10." in ar and "الفقرة\u00a06." in ar


def test_french_colons_have_their_space_on_the_cover_and_in_the_title(out: Path) -> None:
    """French puts a no-break space before a colon: the DOCX and Markdown cover facts
    and the HTML page title too, not only the body."""
    with zipfile.ZipFile(out / "MA.fr.docx") as archive:
        document = archive.read("word/document.xml").decode()
    assert "Statut du document" in document
    cover = re.sub(r"<[^>]+>", "", document[:document.index("Statut du document") + 200])
    assert "Statut du document\u00a0:" in cover
    md = text(out / "MA.fr.md")
    assert re.search(r"\*\*Statut du document\*\*(\\ |\u00a0):", md)
    html = text(out / "MA.fr.html")
    title = re.search(r"<title>([^<]*)</title>", html)
    assert title and "Maroc\u00a0: " in title.group(1).replace("&nbsp;", "\u00a0")


def test_words_agree_with_what_they_qualify_and_zero_is_said(out: Path) -> None:
    """A policy instrument's status agrees with its kind (une stratégie adoptée, un plan
    d'action adopté; استراتيجية معتمدة), after it in lower case; no count reads "0 État"."""
    fr = text(out / "MA.fr.md")
    assert "(Stratégie, adoptée, 2014)" in fr and "(Stratégie, en préparation)" in fr
    assert "(Plan d\u2019action, adopté)" in fr and "Adopté" not in fr
    assert "(استراتيجية، معتمدة، 2014)" in text(out / "MA.ar.md")
    regional = " ".join(text(out / "regional.fr.md").split())
    assert "(aucun État)" in regional and "(0 État)" not in regional


def test_items_of_the_other_direction_are_isolated_when_joined() -> None:
    """and_list, enum and semicolons isolate each item of the other direction (a plain
    French or English name in an Arabic list, an Arabic one in a French list), keep the
    short spans of `span` whole (class keep), and hold an Arabic conjunction to the
    isolated item after it (a no-break space)."""
    def joined(lang: str, text: str, **values: object) -> str:
        env = environment((builtin_templates_dir().resolve(),), lang)
        return env.from_string(text).render(lang=lang, **values)

    ar = joined("ar", "{{ items|and_list }}|{{ items|enum }}|{{ items|semicolons }}",
                items=["Maroc", "الجزائر", "Tunisie"])
    listed, enumerated, cited = ar.split("|")
    assert listed == f"{LRI}Maroc{PDI} والجزائر و\u00a0{LRI}Tunisie{PDI}"
    assert enumerated == f"{LRI}Maroc{PDI}، الجزائر، {LRI}Tunisie{PDI}"
    assert cited == f"{LRI}Maroc{PDI}؛ الجزائر؛ {LRI}Tunisie{PDI}"
    fr = joined("fr", "{{ items|and_list }}", items=["Maroc", "الجزائر"])
    assert fr == "Maroc et \u2067الجزائر\u2069"
    spanned = joined("ar", "{{ items|and_list }}", items=[
        f'[{LRI}Save lives (EN){PDI}]{{lang="en" dir="ltr"}}', f'[{LRI}{"x" * 60}{PDI}]'
        '{lang="en" dir="ltr"}'])
    assert spanned.startswith(f'[{LRI}Save lives (EN){PDI}]{{.keep lang="en" dir="ltr"}} و')
    assert spanned.endswith('{lang="en" dir="ltr"}')  # too long to keep whole


PRINCIPLES = ("people-centred", "international-cooperation", "national-sovereignty",
              "rule-of-law", "sustainable-development", "human-rights", "gender-responsive",
              "child-sensitive", "whole-of-government", "whole-of-society")


def test_principle_letters_follow_the_language_of_their_names(tmp_path: Path) -> None:
    """An Arabic name gets the Arabic letter, (أ) to (ي) as United Nations Arabic texts
    letter paragraphs; a name shown in English in an Arabic report keeps "(a)" with it, one
    English unit. The heat map's columns and the table's headings follow the names."""
    ws = copy_workspace(tmp_path / "ws", ("MA", "DZ"))
    # Synthetic names standing for the official ones, in a test only: the first five.
    names = "".join(f"  {slug}:\n    name: {{ar: مبدأ تجريبي {n}}}\n"
                    for n, slug in enumerate(PRINCIPLES[:5], 1))
    (ws / "titles.yaml").write_text("sources:\n  ar: synthetic test names\nprinciples:\n"
                                    + names, encoding="utf-8")
    config = ws / "gcmreview.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "catalogue: titles.yaml\n",
                      encoding="utf-8")
    for args in ({"codes": ["MA"]}, {"codes": [], "region": True}):
        outcome = build(Context(ws), out=ws / "out", formats="md", lang="ar", **args)
        assert outcome.exit_code == 0
    report = (ws / "out" / "MA.ar.md").read_text(encoding="utf-8")
    assert "| (أ) مبدأ تجريبي 1 |" in report and "| (هـ) مبدأ تجريبي 5 |" in report
    assert "(j) Whole-of-society approach (EN)" in report
    regional = (ws / "out" / "regional.ar.md").read_text(encoding="utf-8")
    header = next(line for line in regional.splitlines() if "| (أ) |" in line).replace("\\", "")
    assert "| (هـ) |" in header and "| (f) |" in header and "| (j) |" in header


def test_editorial_details_from_the_review(tmp_path: Path) -> None:
    """What an editor's review of the three languages found: objective numbers listed
    without their conjunction ("objectifs 7, 15, 21"); a stakeholder group's details that
    repeat its name ("Secteur privé : Secteur privé"); the notes on the titles' sources
    without a heading in a regional report that cites no document (they read as part of
    "Reservations")."""
    ws = copy_workspace(tmp_path / "ws", ("MA", "TN"))
    for lang in ("en", "fr", "ar"):
        outcome = build(Context(ws), codes=["MA", "TN"], lang=lang, formats="md",
                        out=ws / "out")
        assert outcome.exit_code == 0, outcome.failed
    tn = {lang: " ".join(text(ws / "out" / f"TN.{lang}.md").split()) for lang in ("en", "fr", "ar")}
    assert "objectives 7, 15 and 21:" in tn["en"]
    assert "objectifs 7, 15 et 21," in tn["fr"]
    assert "7 و15 و21" in tn["ar"]
    ma = text(ws / "out" / "MA.fr.md")
    assert "Secteur privé" in ma and "Secteur privé\u00a0: Secteur privé" not in ma
    assert re.search(r"^- Secteur privé$", ma, re.MULTILINE)
    # A regional report citing no source document: its notes under a heading of their own.
    for code in ("MA", "TN"):
        review = ws / "countries" / f"{code}.yaml"
        review.write_text(re.sub(r"(?m)^( *- )?source: .*\n( *locator: .*\n)?", "",
                                 review.read_text(encoding="utf-8")), encoding="utf-8")
    outcome = build(Context(ws), codes=[], region=True, lang="en", formats="md",
                    out=ws / "out")
    assert outcome.exit_code in (0, 1), outcome.failed
    regional = text(ws / "out" / "regional.en.md")
    assert "Rapport du deuxième atelier" not in regional  # no source document cited
    notes = regional.index("Objective titles and guiding principles:")
    assert regional.rindex("# Sources", 0, notes) > regional.rindex("# Reservations", 0, notes)


def test_a_french_label_after_a_colon_is_in_lower_case(out: Path) -> None:
    """"État d’avancement : Non indiqué" took a capital after the colon, which French does
    not."""
    md = text(out / "MA.fr.md")
    assert "**État d’avancement**\u00a0: non indiqué" in md \
        and "**État d’avancement**\u00a0: Non" not in md
    # The document's status in the regional report's paragraph on each State, too.
    regional = text(out / "regional.fr.md")
    assert "Statut du document\u00a0: projet, 13\u00a0août\u00a02020" in regional
    assert "Statut du document\u00a0: Projet" not in regional


def test_a_ratio_in_running_text_is_in_words(out: Path) -> None:
    """"Objectifs couverts : 4/23." is a dashboard's shorthand, not a sentence of a UN
    document: in running text a ratio is "4 sur 23", "4 من 23"; a table's cells and the
    cover's facts keep "4/23". Either stays on one line."""
    for lang, words in (("fr", "**4\u00a0sur\u00a023**"), ("ar", "**4\u00a0من\u00a023**")):
        md = text(out / f"MA.{lang}.md")
        assert words in md and "**4/23**" not in md, lang
        assert re.search(r"\*\*[^*]+\*\*\u00a0?: 4/23", md), lang  # the cover's facts
        regional = text(out / f"regional.{lang}.md")
        assert words in regional and "**4/23**" not in regional, lang
        assert "| 4/23 |" in regional, lang  # the table of participation
    html = text(out / "MA.fr.html")
    assert re.search(r"Objectifs couverts\s*:\s*<strong>4\u00a0sur\u00a023</strong>", html)



def test_templates_compile_once_for_every_language(tmp_path: Path) -> None:
    """The languages' environments share the compiled templates (render/templates.py
    `_CompiledTemplates`), and each still speaks its own language; a workspace template
    of the same name is compiled from its own source."""
    dirs = (builtin_templates_dir().resolve(),)
    source = "{{ _('Contents') }}"
    (tmp_path / "t.j2").write_text(source, encoding="utf-8")
    words = {}
    for lang in ("en", "fr", "ar"):
        env = environment((tmp_path, *dirs), lang)
        words[lang] = env.get_template("t.j2").render()
    assert len(set(words.values())) == 3  # compiled once, rendered in three languages
    compiled = environment((tmp_path, *dirs), "en").bytecode_cache
    assert compiled is environment((tmp_path, *dirs), "fr").bytecode_cache
    assert len(compiled._code) == 1  # type: ignore[union-attr]
    (tmp_path / "t.j2").write_text("{{ 1 + 1 }}", encoding="utf-8")
    env = environment((tmp_path, *dirs), "es")  # a new environment, the changed source
    assert env.get_template("t.j2").render() == "2"


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_the_templates_words_are_jinjas_newstyle_gettext(lang: str, tmp_path: Path) -> None:
    """The reports' templates get their words from plain functions (render/templates.py
    `report_words`, a lookup each instead of three passes through Jinja's context): the
    same words as jinja2.ext.i18n's own newstyle callables, keyword values and `%%`
    included, and a template may name a value `num` or `context`."""
    import jinja2

    fmt = Formatter(lang, report=True)
    jinjas = jinja2.Environment(extensions=["jinja2.ext.i18n"], keep_trailing_newline=True)
    jinjas.install_gettext_callables(  # type: ignore[attr-defined]
        fmt.gettext, fmt.ngettext, newstyle=True, pgettext=fmt.pgettext)
    ours = environment((builtin_templates_dir(),), lang)
    assert all(ours.globals[name].__qualname__.startswith("report_words.")
               for name in ("_", "gettext", "ngettext", "pgettext"))  # not Jinja's
    source = (
        '{{ _("Status") }}|{{ _("Objective") }}|{{ gettext("Reported") }}|'
        '{{ _("%(part)s of %(whole)s", part=4, whole=23) }}|{{ _("100%% of it") }}|'
        '{{ ngettext("%(num)s State", "%(num)s States", 1) }}|'
        '{{ ngettext("%(num)s State", "%(num)s States", 3) }}|'
        '{{ ngettext("%(num)s State", "%(num)s States", 3, num="three") }}|'
        '{{ pgettext("status", "Planned") }}|{{ pgettext("x", "%(context)s said") }}|'
        '{% trans n=2 %}{{ n }} review{% pluralize %}{{ n }} reviews{% endtrans %}|'
        '{% trans %}Round table{% endtrans %}')
    expected = jinjas.from_string(source).render()
    assert ours.from_string(source).render() == expected
    assert "100% of it" in expected and "three" in expected and "x said" in expected
    if lang == "fr":
        assert "4 sur 23" in expected.replace("\u00a0", " ")
    # A workspace's templates (sandboxed) keep Jinja's, which escape the values where a
    # template turns autoescape on.
    (tmp_path / "own.md.j2").write_text("", encoding="utf-8")
    workspace = environment((tmp_path, builtin_templates_dir()), lang)
    escaped = '{% autoescape true %}{{ _("<b>%(x)s</b>", x="<i>") }}{% endautoescape %}'
    assert workspace.from_string(escaped).render() == "<b>&lt;i&gt;</b>"
