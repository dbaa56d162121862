"""The consolidated regional report and incremental builds, on real outputs."""

from __future__ import annotations

import os
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml

from gcmreview.commands.build import build
from gcmreview.commands.context import Context
from gcmreview.core.status import of_entry, status
from gcmreview.load.catalogue import builtin

from .conftest import ROOT, copy_workspace, unescaped

EXAMPLE = ("DZ", "IQ", "KM", "LB", "LY", "MA", "SY", "TN")
NAMES_FR = {"DZ": "Algérie", "IQ": "Iraq", "KM": "Comores", "LB": "Liban", "LY": "Libye",
            "MA": "Maroc", "SY": "République arabe syrienne", "TN": "Tunisie"}


def review(code: str) -> dict:
    return yaml.safe_load((ROOT / "countries" / f"{code}.yaml").read_text(encoding="utf-8"))


def covered(code: str) -> set[int]:
    """The objectives the State reports on in its own words (not a partner's)."""
    return {n for n, o in (review(code).get("objectives") or {}).items()
            if (o.get("summary") or "").strip() and "stated_by" not in o}


def by_partners(code: str) -> set[int]:
    """The objectives only a partner spoke to (an IOM office at the workshop)."""
    return {n for n, o in (review(code).get("objectives") or {}).items()
            if (o.get("summary") or "").strip() and "stated_by" in o}


def run_build(ws: Path, **options: object):
    return build(Context(ws), codes=[], out=ws / "out", **options)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def regional(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = copy_workspace(tmp_path_factory.mktemp("regional") / "ws")
    outcome = run_build(ws, region=True, formats="html,docx,pdf,md")
    assert outcome.exit_code == 0 and "regional" in outcome.built
    return ws / "out"


def table_rows(md: str, header_start: str) -> list[list[str]]:
    """The rows of the pipe table whose header starts with `header_start`."""
    lines = md.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith(f"| {header_start}"))
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def test_matrix_shows_every_state_with_its_statuses(regional: Path) -> None:
    md = (regional / "regional.fr.md").read_text(encoding="utf-8")
    lines = md.splitlines()
    header = next(ln for ln in lines if ln.startswith("| État | 1 | 2 |"))
    rows = table_rows(md, header[2:].split(" |")[0] + " | 1 |")
    assert [r[0] for r in rows] == [NAMES_FR[c] for c in
                                    ("DZ", "KM", "IQ", "LB", "LY", "MA", "SY", "TN")]
    for row in rows:
        code = next(c for c, n in NAMES_FR.items() if n == row[0])
        objectives = review(code).get("objectives") or {}
        # A partner's statement is marked as such, never shown as the State's status.
        expected = [("†" if "stated_by" in objectives[n] else
                     status(of_entry(objectives[n])).symbol) if n in objectives else ""
                    for n in range(1, 24)]
        assert row[1:] == expected, code


def test_participation_counts_and_non_submitters(regional: Path) -> None:
    md = (regional / "regional.fr.md").read_text(encoding="utf-8")
    assert ("L\u2019examen de 2020 a réuni 15 États. Parmi eux, huit ont présenté un examen "
            "volontaire" in " ".join(md.split()))
    rows = {r[0]: r for r in table_rows(md, "État | Examen")}
    for name in ("Bahreïn", "Égypte", "Mauritanie", "État de Palestine", "Qatar", "Somalie",
                 "Soudan"):
        assert rows[name][1] == "Non soumis"
    for code in EXAMPLE:
        row = rows[NAMES_FR[code]]
        assert row[1] == "Projet"
        assert row[3] == f"{len(covered(code))}/23"


def test_synthesis_counts_match_the_files(regional: Path) -> None:
    md = (regional / "regional.fr.md").read_text(encoding="utf-8")
    rows = table_rows(md, "\\# | Objectif | États qui en rendent compte")
    assert len(rows) == 23
    for number, _short, reporting, progress, partners in rows:
        n = int(number)
        states = [c for c in EXAMPLE if n in covered(c)]
        assert int(reporting) == len(states), n
        in_progress = [c for c in states
                       if of_entry(review(c)["objectives"][n]) in ("in_progress", "implemented")]
        assert int(progress) == len(in_progress), n
        said = [c for c in EXAMPLE if n in by_partners(c)]
        assert partners == str(len(said)), n  # 0, not "–" (the key's "not applicable")
    # Objective 7: Algeria's own statement; Lebanon's and Tunisia's were IOM offices'.
    seven = next(r for r in rows if r[0] == "7")
    assert seven[2:] == ["1", "1", "2"]
    # Figures right-aligned, as in UN tables: the pipe table's rule says so.
    assert "|----|----|---:|---:|---:|" in md  # as pandoc writes it again


def test_quotes_are_attributed_and_tagged(regional: Path) -> None:
    html = (regional / "regional.fr.html").read_text(encoding="utf-8")
    summary = review("LY")["objectives"][8]["summary"].split(".")[0]
    assert " ".join(summary.split())[:40] in " ".join(html.split())
    # Cited by number in one list of sources shared by every State, once.
    # Its sources in a footnote on the attribution (tests/test_apparatus.py).
    assert re.search(r'— Libye</em><a href="#fn(\d+)" class="footnote-ref"', html)
    assert "([1]" not in html
    sources = html[html.index('id="sources"'):]
    sources = sources[:sources.index("</section>")]
    assert sources.count("Rapport du deuxième atelier") == 1
    assert "13\u00a0août\u00a02020" in sources
    assert '<div class="narrative" lang="fr" dir="ltr">' in html


def test_heat_maps_in_every_format(regional: Path) -> None:
    html = (regional / "regional.fr.html").read_text(encoding="utf-8")
    assert html.count('src="data:image/svg+xml;base64,') == 2
    assert 'alt="Carte thermique' in html
    assert "<script" not in html
    with zipfile.ZipFile(regional / "regional.fr.docx") as docx:
        media = sorted(n for n in docx.namelist() if n.startswith("word/media/"))
        assert len(media) == 2 and all(n.endswith(".png") for n in media)
    assert (regional / "regional.fr.pdf").read_bytes().startswith(b"%PDF")


def test_regional_report_in_english_and_arabic(tmp_path: Path) -> None:
    ws = copy_workspace(tmp_path / "ws", ("MA", "DZ"))
    run_build(ws, region=True, formats="html", lang="en")
    run_build(ws, region=True, formats="html", lang="ar")
    en = (ws / "out" / "regional.en.html").read_text(encoding="utf-8")
    assert '<html lang="en" dir="ltr">' in en
    assert "Morocco" in en and "Not submitted" in en
    # Lists as the United Nations writes English: no comma before "and".
    assert "ESCWA, IOM and the League of Arab States" in " ".join(en.split())
    # UN English spells -ize (United Nations Editorial Manual, "Spelling").
    assert "Organizers:" in en and "Organisers" not in en
    # The report's own headings say "IMRF round table 1": the acronym is spelled out.
    assert "IMRF round table 1" in en and "International Migration Review Forum" in en
    ar = (ws / "out" / "regional.ar.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in ar
    assert "المغرب" in ar
    assert '<div class="narrative" lang="fr" dir="ltr">' in ar


def test_one_most_reported_objective_is_named_in_the_singular(regional: Path,
                                                              tmp_path: Path) -> None:
    """"Most reported objectives: 10 (4 States)" named one objective in the plural (in the
    example, objective 10 alone has the most States)."""
    counts: dict[int, int] = {}
    for code in EXAMPLE:
        for n in covered(code):
            counts[n] = counts.get(n, 0) + 1
    assert [n for n, c in counts.items() if c == max(counts.values())] == [10]
    md = (regional / "regional.fr.md").read_text(encoding="utf-8")
    assert "L’objectif le plus souvent traité est l’objectif 10 (4 États)." in md
    ws = copy_workspace(tmp_path / "ws", EXAMPLE)
    run_build(ws, region=True, formats="md", lang="en")
    en = (ws / "out" / "regional.en.md").read_text(encoding="utf-8")
    assert "The objective most reported on is objective 10 (4 States)." in en
    assert "the same data are given as a table" in en
    # The synthesis's list too: one objective leads, several share the last place.
    assert "- Most covered objective: Eradicate trafficking (4 States)" in en
    assert "- Least covered objectives: " in en
    assert "- Objectif le plus couvert\u00a0: " in md


def test_states_are_listed_in_the_alphabetical_order_of_the_reports_language(
        regional: Path, tmp_path: Path) -> None:
    """As UN documents list Member States in each language: in French "État de Palestine"
    with the E and "Maroc" before "Mauritanie" (English order put them the other way);
    in Arabic the article aside, "الجزائر" with the ج."""
    md = (regional / "regional.fr.md").read_text(encoding="utf-8")
    rows = [r[0] for r in table_rows(md, "État")]
    assert rows[:5] == ["Algérie", "Bahreïn", "Comores", "Égypte", "État de Palestine"]
    assert rows.index("Maroc") < rows.index("Mauritanie")
    assert "Les États suivants n’ont pas encore présenté d’examen\u00a0: Bahreïn, Égypte, " \
           "État de Palestine, Mauritanie, Qatar, Somalie et Soudan." in md
    ws = copy_workspace(tmp_path / "ws", ("DZ", "KM", "LY", "MA"))
    run_build(ws, region=True, formats="md", lang="ar")
    arabic = (ws / "out" / "regional.ar.md").read_text(encoding="utf-8")
    assert "الجزائر وجزر القمر وليبيا والمغرب" in arabic


NUMBERED = re.compile(r"^(\d+)(?:\\\.|\u00a0-) (.*)$", re.MULTILINE)
"""A numbered paragraph in a report's Markdown: "23\\. Text" ("23 - Text" in Arabic)."""


def numbered(md: str) -> list[tuple[str, str]]:
    return NUMBERED.findall(md)


def test_every_language_version_numbers_the_same_paragraphs(tmp_path: Path) -> None:
    """"Para. 23" must be the same paragraph in every language version of a UN document:
    the Arabic report quoted the States in Arabic alphabetical order, so its paragraph 23
    was Tunisia's where the English and French had Algeria's. The statements follow the
    order of the language the report was drafted in (English unless the workspace says);
    lists and tables keep the order of the report's own language."""
    ws = copy_workspace(tmp_path / "ws", EXAMPLE)
    for lang in ("en", "fr", "ar"):
        run_build(ws, region=True, formats="md", lang=lang)
    md = {lang: (ws / "out" / f"regional.{lang}.md").read_text(encoding="utf-8")
          for lang in ("en", "fr", "ar")}
    paragraphs = numbered(md["en"])
    assert [int(n) for n, _text in paragraphs] == list(range(1, len(paragraphs) + 1))
    assert len(paragraphs) > 20
    # The report's own paragraphs are numbered too, in each language (UN documents number
    # their body); the States' words are quoted in French in every version.
    assert paragraphs[0][1].startswith("The 2020 review brought together 15 States.")
    covid = next(i for i, (_n, text) in enumerate(paragraphs)
                 if text.startswith("La pandémie de COVID-19 en cours"))  # Algeria's
    for lang in ("fr", "ar"):
        theirs = numbered(md[lang])
        assert [n for n, _text in theirs] == [n for n, _text in paragraphs]
        assert theirs[covid][1] == paragraphs[covid][1]
        own = len(paragraphs) - len(quoted(theirs, paragraphs))
        assert 4 <= own <= 8, own
    # A list of the States: the Arabic alphabet's order (Tunisia first, the article aside).
    states = [row[0] for row in table_rows(md["ar"], "الدولة | الاستعراض")]
    assert states.index("تونس") < states.index("الجزائر") < states.index("جزر القمر")
    # Drafted in Arabic: every version in the Arabic version's order.
    config = ws / "gcmreview.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "document:\n  original: ar\n",
                      encoding="utf-8")
    for lang in ("en", "ar"):
        run_build(ws, region=True, formats="md", lang=lang)
    en, ar = (numbered((ws / "out" / f"regional.{lang}.md").read_text(encoding="utf-8"))
              for lang in ("en", "ar"))
    assert [n for n, _text in en] == [n for n, _text in ar]
    assert quoted(en, ar) != quoted(paragraphs, numbered(md["ar"]))


def test_the_reports_own_paragraphs_are_numbered_in_every_format(tmp_path: Path) -> None:
    """A UN document numbers every paragraph of its body, its own words as well as the
    States' (only those were); the key messages, a summary up front, are not numbered.
    The same numbers in HTML (an id to link to), DOCX (a bookmark) and PDF."""
    ws = copy_workspace(tmp_path / "ws", EXAMPLE)
    run_build(ws, region=True, formats="html,docx,pdf", lang="en")
    out = ws / "out"
    first = "The 2020 review brought together 15 States."
    html = (out / "regional.en.html").read_text(encoding="utf-8")
    assert re.search(r'<p id="para-1"><span class="para-number">1\.</span> ' + re.escape(first),
                     html)
    assert re.search(r'<p id="para-2"><span class="para-number">2\.</span> The following States',
                     html)
    with zipfile.ZipFile(out / "regional.en.docx") as docx:
        document = docx.read("word/document.xml").decode()
    words = re.sub(r"<[^>]+>", "", re.sub(r'<w:bookmarkStart w:id="\d+" w:name="(para-\d+)" />',
                                          r"[\1]", document))
    assert f"[para-1]1. {first}" in words and "[para-4]4. This section gives" in words
    pdf = subprocess.run(["pdftotext", str(out / "regional.en.pdf"), "-"], check=True,
                         capture_output=True, text=True).stdout
    assert f"1. {first}" in pdf and "4. This section gives each State’s latest value" in pdf
    for text in (html, words, pdf):
        assert re.search(r"(?<![\d.] )All figures are drawn from the States’ review files", text)
        assert "Progress means a status" in text
    assert re.search(r"\d+\. Progress means a status", pdf)


def quoted(one: list[tuple[str, str]], other: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The numbered paragraphs two versions word for word the same: the States' own."""
    return [mine for mine, theirs in zip(one, other, strict=True) if mine == theirs]


def test_the_principles_synthesis_is_introduced_and_lettered(regional: Path) -> None:
    """The table of guiding principles by States reporting had no words before it, and its
    names no letters, unlike everywhere else in the report: it has its number and title."""
    md = (regional / "regional.fr.md").read_text(encoding="utf-8")
    assert re.search(r"\nTableau \d+\. Principes directeurs, selon le nombre d’États qui en "
                     r"rendent compte\n", md)
    rows = table_rows(md, "Principe directeur |")
    assert rows and all(re.match(r"[a-j]\\\) ", row[0]) for row in rows), rows


def test_regional_build_is_deterministic(tmp_path: Path) -> None:
    outputs = []
    for name in ("a", "b"):
        ws = copy_workspace(tmp_path / name, ("MA", "LY"))
        run_build(ws, region=True, formats="html,docx,pdf")
        outputs.append({p.name: p.read_bytes() for p in (ws / "out").glob("regional.*")})
    assert outputs[0] == outputs[1] and len(outputs[0]) == 3


def mtimes(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir() if not p.name.startswith(".")}


def test_incremental_builds_rebuild_exactly_what_changed(tmp_path: Path) -> None:
    ws = copy_workspace(tmp_path / "ws", ("MA", "TN", "DZ"))
    first = run_build(ws, every=True, formats="html")
    assert sorted(first.built) == ["DZ", "MA", "TN", "regional"]
    before = mtimes(ws / "out")

    again = run_build(ws, every=True, formats="html")
    assert again.built == {} and sorted(again.up_to_date) == ["DZ", "MA", "TN", "regional"]
    assert mtimes(ws / "out") == before

    os.utime(ws / "countries" / "MA.yaml")  # a newer time, the same content
    assert run_build(ws, every=True, formats="html").built == {}

    tn = ws / "countries" / "TN.yaml"
    tn.write_text(tn.read_text(encoding="utf-8").replace("status: draft", "status: submitted"),
                  encoding="utf-8")
    changed = run_build(ws, every=True, formats="html")
    assert sorted(changed.built) == ["TN", "regional"]
    assert "Soumis" in (ws / "out" / "TN.fr.html").read_text(encoding="utf-8")

    (ws / "templates").mkdir()
    (ws / "templates" / "report.html").write_text(
        (ROOT / "templates" / "report.html").read_text(encoding="utf-8").replace(
            "<footer>", "<footer>EDITED "), encoding="utf-8")
    template = run_build(ws, every=True, formats="html")
    assert sorted(template.built) == ["DZ", "MA", "TN", "regional"]

    forced = run_build(ws, every=True, formats="html", force=True)
    assert sorted(forced.built) == ["DZ", "MA", "TN", "regional"]

    docx = run_build(ws, every=True, formats="html,docx")
    assert sorted(docx.built) == ["DZ", "MA", "TN", "regional"]  # docx was never built
    assert all(paths[0].suffix == ".docx" for paths in docx.built.values())


def test_catalogue_change_rebuilds_everything(tmp_path: Path) -> None:
    ws = copy_workspace(tmp_path / "ws", ("MA",))
    run_build(ws, every=True, formats="md")
    (ws / "titles.yaml").write_text("sources:\n  fr: A/RES/73/195 (FR)\nobjectives:\n"
                                    "  18:\n    title: {fr: Titre 18}\n", encoding="utf-8")
    config = ws / "gcmreview.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "catalogue: titles.yaml\n",
                      encoding="utf-8")
    assert sorted(run_build(ws, every=True, formats="md").built) == ["MA", "regional"]
    assert builtin().objective(18).title("fr").fallback


def test_large_regions_get_one_volume_per_round_table(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("gcmreview.model.regional.VOLUME_CHARS", 100)
    ws = copy_workspace(tmp_path / "ws", ("MA", "LY", "DZ"))
    outcome = run_build(ws, region=True, formats="md,html")
    assert sorted(outcome.built) == ["regional", "regional-rt1", "regional-rt2",
                                     "regional-rt3", "regional-rt4"]
    main = (ws / "out" / "regional.fr.md").read_text(encoding="utf-8")
    assert "publiées dans des volumes séparés" in main
    assert "regional-rt2.fr" in main
    assert "Objectif 8" not in main  # the responses are in the volumes
    rt2 = (ws / "out" / "regional-rt2.fr.md").read_text(encoding="utf-8")
    assert rt2.count("\n# Table ronde 2") + rt2.startswith("# Table ronde 2") >= 1
    assert "Sauver des vies" in rt2 and "Libye" in rt2
    assert "Table ronde 1 " not in rt2
    again = run_build(ws, region=True, formats="md,html")
    assert again.built == {}  # volumes are up to date with their report
    (ws / "out" / "regional-rt3.fr.html").unlink()
    assert "regional-rt3" in run_build(ws, region=True, formats="md,html").built


def test_volumes_stay_small_and_old_ones_go(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Each volume holds a bounded number of responses or States (typst's memory
    grows with the document); volumes a later report no longer has are deleted."""
    monkeypatch.setattr("gcmreview.model.regional.VOLUME_CHARS", 100)
    monkeypatch.setattr("gcmreview.model.regional.VOLUME_RESPONSES", 2)
    monkeypatch.setattr("gcmreview.model.regional.ANNEX_STATES", 2)
    ws = copy_workspace(tmp_path / "ws", ("MA", "LY", "DZ"))
    outcome = run_build(ws, region=True, formats="md")
    assert outcome.exit_code == 0
    annexes = sorted(b for b in outcome.built if b.startswith("regional-annex"))
    assert annexes == ["regional-annex-1", "regional-annex-2"]
    parts = [b for b in outcome.built if b.startswith("regional-rt") and "-" in b[11:]]
    assert parts, "a round table with more than two responses is split into parts"
    for part in parts:
        md = (ws / "out" / f"{part}.fr.md").read_text(encoding="utf-8")
        # At most two State responses in a part, unless one objective has more.
        assert md.count("\n### ") <= 2 or md.count("\n## ") == 1
        assert "partie" in md
    main = (ws / "out" / "regional.fr.md").read_text(encoding="utf-8")
    assert "regional-annex-2.fr" in main and "\n## Maroc" not in main
    annex = "".join((ws / "out" / f"{a}.fr.md").read_text(encoding="utf-8") for a in annexes)
    assert all(f"# {name}" in annex for name in ("Maroc", "Libye", "Algérie"))

    monkeypatch.setattr("gcmreview.model.regional.VOLUME_CHARS", 10_000_000)
    again = run_build(ws, region=True, formats="md", force=True)  # as after an upgrade
    assert sorted(again.built) == ["regional"]
    assert sorted(p.name for p in (ws / "out").iterdir() if not p.name.startswith(".")) \
        == ["regional.fr.md"]


def test_partner_statements_are_quoted_and_counted_apart(regional: Path) -> None:
    """A State reports on an objective only in its own words: what an IOM office said of
    Lebanon and Tunisia is quoted, attributed, and not counted as theirs."""
    md = (regional / "regional.fr.md").read_text(encoding="utf-8")
    section = md[md.index("{#objective-7}"):md.index("{#objective-17}")]
    flat = " ".join(section.split())
    assert "États qui en rendent compte : Algérie (1)." in flat
    assert ("Les déclarations de partenaires sur deux autres États sont citées ci-dessous ; elles "
            "ne sont pas comptées comme celles de ces États.") in flat
    assert ("#### Liban : en cours (déclaration d\u2019un partenaire, Chef du bureau de "
            "l\u2019OIM au Liban") in flat
    assert ("#### Tunisie : en cours (déclaration d\u2019un partenaire, Bureau de l\u2019OIM "
            "à Tunis") in flat
    # The legend of the matrix says what the mark of a partner's statement means.
    assert re.search(r"\|\s*†\s*\|\s*Déclaration d’un partenaire, et non de l’État\s*\|", md)


def test_a_partners_words_on_covid19_are_signed_and_counted_as_theirs(regional: Path) -> None:
    """Tunisia's COVID-19 section is what the IOM office in Tunis said (`stated_by`): the
    regional report signs the quotation with it in every format, and counts it with the
    partners' statements (five on objectives, and this one), not as the State's."""
    md = " ".join((regional / "regional.fr.md").read_text(encoding="utf-8").split())
    covid = md[md.index("## COVID-19"):md.index("## Réserves")]
    assert ("— Tunisie (déclaration d’un partenaire, Bureau de l’OIM à Tunis, et non de "
            "l’État)") in covid
    assert "— Maroc*" in covid  # the States' own: signed with the State alone
    assert ("Le rapport cite en outre six déclarations de partenaires, qui ne sont pas "
            "comptabilisées parmi celles des États.") in md
    pdf = " ".join(subprocess.run(["pdftotext", str(regional / "regional.fr.pdf"), "-"],
                                  capture_output=True, text=True, check=True).stdout.split())
    assert "— Tunisie (déclaration d’un partenaire, Bureau de l’OIM à Tunis, et non de l’État)" \
        in pdf



def test_sources_come_before_the_annex_and_no_state_is_listed_twice_as_silent(
        regional: Path) -> None:
    """A UN editor's order: the text, its sources, then the annex. An indicator no State
    gives values for says so once, without then naming all fifteen States."""
    md = (regional / "regional.fr.md").read_text(encoding="utf-8")
    assert md.index("\n# Sources") < md.index("{#annex}")
    indicators = md[md.index("{#indicators}"):md.index("{#objectives}")]
    assert indicators.count("Aucun État ne communique de valeur pour cet indicateur.") == 2
    assert "Aucune valeur communiquée par" not in indicators


def test_the_annex_says_what_partners_stated_beside_the_count(regional: Path) -> None:
    """Lebanon's own review covers no objective; an IOM office spoke to two: "0/23" stood
    alone over a table of two objectives "in progress (stated by …)"."""
    md = (regional / "regional.fr.md").read_text(encoding="utf-8").replace("\u00a0", " ")
    lebanon = md[md.index("## Liban\n"):]
    assert lebanon.split("\n")[2].startswith(
        "Objectifs couverts : **0 sur 23** (et 2 renseignés par des partenaires, non comptés). ")
    morocco = md[md.index("## Maroc\n"):]
    assert morocco.split("\n")[2].startswith("Objectifs couverts : **4 sur 23**. ")


def test_stakeholder_groups_are_enumerated_in_lower_case(regional: Path) -> None:
    """The groups after the first are common nouns in the middle of an enumeration:
    "Société civile, milieux universitaires, secteur privé", not "…, Milieux
    universitaires, Secteur privé" (an editor's note on the participation table)."""
    rows = table_rows((regional / "regional.fr.md").read_text(encoding="utf-8"), "État")
    morocco = next(row for row in rows if row[0] == "Maroc")
    assert morocco[-1] == "Société civile, milieux universitaires, secteur privé"


def test_the_languages_of_the_states_texts_are_each_said_once(regional: Path,
                                                               tmp_path: Path) -> None:
    # Every State wrote in French: one sentence, not "Algérie (français) ; Comores
    # (français) ; …" eight times over.
    md = unescaped((regional / "regional.fr.md").read_text(encoding="utf-8"))
    assert "Tous les textes des États sont donnés en français." in md
    assert "(français)" not in md
    # Two languages: each with its States, in the report's order.
    ws = copy_workspace(tmp_path / "ws", ("DZ", "KM", "MA"))
    path = ws / "countries" / "DZ.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("language: fr", "language: en", 1),
                    encoding="utf-8")
    run_build(ws, region=True, formats="md", lang="en")
    md = unescaped((ws / "out" / "regional.en.md").read_text(encoding="utf-8"))
    assert ("The States’ texts are given in these languages: English (Algeria); French "
            "(Comoros and Morocco).") in " ".join(md.split())


def test_a_state_whose_review_states_no_status_is_not_said_to_have_said_nothing(
        tmp_path: Path) -> None:
    # "Morocco: Not stated" over Morocco's own words read as if Morocco had said nothing.
    assert review("MA")["objectives"][5].get("status") is None
    ws = copy_workspace(tmp_path / "ws", ("MA",))
    for lang, heading in (("en", "#### Morocco: Status not stated"),
                          ("fr", "#### Maroc : état d’avancement non indiqué"),
                          ("ar", "#### المغرب: الحالة غير مذكورة")):
        run_build(ws, region=True, formats="md", lang=lang)
        md = unescaped((ws / "out" / f"regional.{lang}.md").read_text(encoding="utf-8"))
        assert heading in md.replace("\u00a0", " ")
