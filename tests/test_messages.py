"""Messages people can act on, in their language: the mistakes focal points really make,
in English, French and Arabic, each with its rule code, its place and the exact fix.

The broken files are real files under tests/data/mistakes/; each is checked as
`countries/MA.yaml` of an empty workspace, through the CLI, with GCMREVIEW_LANG set
as a CI job or a French or Arabic user's environment would.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest

from gcmreview.core.i18n import (
    Formatter,
    detect_language,
    language,
    letter_ranges,
    number_ranges,
    principle_mark,
    read_po,
    use,
)

from .conftest import DATA, ROOT, copy_workspace

MISTAKES = DATA / "mistakes"

# file -> (code, line, column, {lang: (words of the message, words of the fix)})
CASES = {
    "tab.yaml": ("tab-character", 3, 1, {
        "en": ("line 3 starts with a tab character", "replace the tab with spaces:\n  cycle: 2020"),
        "fr": ("la ligne 3 commence par une tabulation",
               "remplacez la tabulation par des espaces :\n  cycle: 2020"),
        "ar": ("يبدأ السطر 3 بمحرف جدولة", "استبدل محرف الجدولة بمسافات:\n  cycle: 2020"),
    }),
    "colon.yaml": ("colon-in-text", 6, 23, {
        "en": ("holds a colon followed by a space",
               '    summary: "Priorité : renforcer les voies de migration régulière"\n'
               "or write it as a block, on the lines below the key:\n    summary: >-\n"
               "      Priorité : renforcer les voies de migration régulière"),
        "fr": ("contient deux-points suivis d'une espace",
               'mettez le texte entre guillemets droits :\n    summary: "Priorité : renforcer'),
        "ar": ("نقطتان تليهما مسافة", 'ضع النص بين علامتي اقتباس مستقيمتين:\n    summary: "'),
    }),
    "colon-ar.yaml": ("colon-in-text", 6, 22, {
        "en": ("the text after `summary:` holds a colon",
               '    summary: "الأولوية: تعزيز مسارات الهجرة النظامية"'),
        "fr": ("le texte après `summary:` contient deux-points",
               '    summary: "الأولوية: تعزيز مسارات الهجرة النظامية"'),
        "ar": ("في النص الذي يلي `summary:` نقطتان", "    summary: >-\n      الأولوية: تعزيز"),
    }),
    "apostrophe-in-quotes.yaml": ("quote-ends-text", 6, 25, {
        "en": ("the text in single quotes ends at the apostrophe of “d'un”",
               'put the text in double quotes instead:\n'
               '    summary: "Création d\'un observatoire national"'),
        "fr": ("le texte entre apostrophes s'arrête à l'apostrophe de « d'un »",
               'mettez plutôt le texte entre guillemets droits :\n    summary: "Création d'),
        "ar": ("عند الفاصلة العليا في «d'un»", 'بدلًا من ذلك:\n    summary: "Création d'),
    }),
    "quotes-in-quotes.yaml": ("quote-ends-text", 6, 42, {
        "en": ("ends at the quote mark before “national”",
               '    summary: "Création d\'un observatoire \\"national\\" des migrations."'),
        "fr": ("s'arrête au guillemet placé avant « national »", "ou utilisez « » :"),
        "ar": ("التي قبل «national»", "أو استعمل « »:"),
    }),
    "reserved-start.yaml": ("reserved-start", 6, 14, {
        "en": ("a text that starts with “@” must be in quotes",
               'put the text in double quotes:\n    summary: "@OMM observatoire"'),
        "fr": ("un texte qui commence par « @ » doit être entre guillemets",
               'mettez le texte entre guillemets droits :\n    summary: "@OMM observatoire"'),
        "ar": ("النص الذي يبدأ بالعلامة «@» يجب وضعه بين علامتي اقتباس",
               '    summary: "@OMM observatoire"'),
    }),
    "continuation.yaml": ("text-indentation", 7, 5, {
        "en": ("line 7 continues the text of `summary`",
               "    summary: |\n      Première ligne\n      deuxième ligne sans clé"),
        "fr": ("la ligne 7 continue le texte de `summary`",
               "écrivez le texte en bloc, sur les lignes sous la clé :\n    summary: |"),
        "ar": ("السطر 7 تكملة لنص `summary`", "    summary: |\n      Première ligne"),
    }),
    "block-line.yaml": ("text-indentation", 8, 6, {
        "en": ("line 8 belongs to the text of `summary`, but is indented less",
               "indent it like the lines above it:\n      ligne décalée"),
        "fr": ("la ligne 8 fait partie du texte de `summary`",
               "décalez-la comme les lignes au-dessus :\n      ligne décalée"),
        "ar": ("السطر 8 جزء من نص `summary`", "أزِحه كالأسطر التي فوقه:\n      ligne décalée"),
    }),
    "comment.yaml": ("comment-in-text", 6, 41, {
        "en": ("the text stops before `#`", 'put the whole text in double quotes: '
               '"Création d\'un observatoire #1 des migrations"'),
        "fr": ("« # » commence un commentaire, et « #1 des migrations » ne fait pas partie",
               'mettez tout le texte entre guillemets droits : "Création d\'un observatoire #1'),
        "ar": ("فلا يدخل «#1 des migrations» في النص", "ضع النص كله بين علامتي اقتباس"),
    }),
    "indentation.yaml": ("indentation", 6, 4, {
        "en": ("`summary` is indented 3 spaces, which lines up with no key above it",
               "align it with `status`:\n    summary: Texte de l'objectif."),
        "fr": ("`summary` est décalé de 3 espaces", "alignez-le sur `status` :\n    summary:"),
        "ar": ("`summary` مُزاح بـ3 مسافات", "حاذِه مع `status`:\n    summary:"),
    }),
    "no-space.yaml": ("no-space-after-colon", 5, 11, {
        "en": ("`status` and its value need a space after the colon",
               "write it so:\n    status: in_progress"),
        "fr": ("il faut une espace entre `status:` et sa valeur",
               "écrivez-le ainsi :\n    status: in_progress"),
        "ar": ("تلزم مسافة بعد النقطتين بين `status` وقيمته",
               "اكتبه هكذا:\n    status: in_progress"),
    }),
    "smart-quotes.yaml": ("smart-quotes", 6, 9, {
        "en": ("`review.date` is wrapped in typographic quotes",
               'write it with straight quotes: "2026-03-15"'),
        "fr": ("`review.date` est entre guillemets typographiques",
               'écrivez-le avec des guillemets droits : "2026-03-15"'),
        "ar": ("`review.date` بين علامتي اقتباس مطبعيتين",
               'اكتبه بين علامتي اقتباس مستقيمتين: "2026-03-15"'),
    }),
    "no-break-space.yaml": ("no-break-space", 5, 12, {
        "en": ("line 5 has a no-break space (U+00A0 NO-BREAK SPACE)",
               "type an ordinary space instead:\n    status: planned"),
        "fr": ("la ligne 5 contient une espace insécable (U+00A0 NO-BREAK SPACE)",
               "tapez une espace ordinaire à la place :\n    status: planned"),
        "ar": ("في السطر 5 مسافة غير فاصلة (U+00A0 NO-BREAK SPACE)",
               "اكتب مسافة عادية بدلًا منها:\n    status: planned"),
    }),
    "rlm.yaml": ("invisible-character", 5, 5, {
        "en": ("the key `status` in `objectives.5` starts with an invisible character, "
               "U+200F RIGHT-TO-LEFT MARK", "delete it, so that it reads `status`"),
        "fr": ("U+200F RIGHT-TO-LEFT MARK", "supprimez-le, pour lire `status`"),
        "ar": ("U+200F RIGHT-TO-LEFT MARK", "احذفه ليصبح `status`"),
    }),
    "arabic-digits.yaml": ("non-latin-digits", 4, 3, {
        "en": ("the objective number ١٤ is written with Arabic-Indic digits", "write 14:"),
        "fr": ("le numéro d'objectif ١٤ est écrit en chiffres arabes orientaux", "écrivez 14:"),
        "ar": ("رقم الهدف ١٤ مكتوب بالأرقام الهندية", "اكتب 14:"),
    }),
    "status-fr.yaml": ("invalid-value", 5, 13, {
        "en": ("`objectives.5.status` is “en cours”",
               "for “en cours”, write `status: in_progress`"),
        "fr": ("`objectives.5.status` vaut « en cours »",
               "pour « en cours », écrivez `status: in_progress`"),
        "ar": ("قيمة `objectives.5.status` هي «en cours»", "اكتب `status: in_progress`"),
    }),
    "status-ar.yaml": ("invalid-value", 5, 13, {
        "en": ("is “منفذ”", "write `status: implemented`"),
        "fr": ("vaut « منفذ »", "écrivez `status: implemented`"),
        "ar": ("هي «منفذ»", "اكتب `status: implemented`"),
    }),
    "status-es.yaml": ("invalid-value", 5, 13, {
        "en": ("is “en curso”", "write `status: in_progress`"),
        "fr": ("vaut « en curso »", "écrivez `status: in_progress`"),
        "ar": ("هي «en curso»", "اكتب `status: in_progress`"),
    }),
    "name.yaml": ("unknown-country", 1, 10, {
        "en": ("`country` is the name “Maroc”", "write `country: MA`"),
        "fr": ("`country` contient le nom « Maroc »", "écrivez `country: MA`"),
        "ar": ("قيمة `country` هي الاسم «Maroc»", "اكتب `country: MA`"),
    }),
}
LANGS = ("en", "fr", "ar")


def check_as_ma(run_cli, tmp_path: Path, source: Path, lang: str, monkeypatch) -> dict:
    ws = copy_workspace(tmp_path / "ws", ())
    shutil.copy(source, ws / "countries" / "MA.yaml")
    monkeypatch.setenv("GCMREVIEW_LANG", lang)
    result = run_cli("validate", "--format", "json", cwd=ws)
    assert "Traceback" not in result.err
    return json.loads(result.out)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", sorted(CASES))
def test_mistakes_in_plain_words(run_cli, tmp_path: Path, monkeypatch, name: str,
                                 lang: str) -> None:
    code, line, column, words = CASES[name]
    doc = check_as_ma(run_cli, tmp_path, MISTAKES / name, lang, monkeypatch)
    found = [d for d in doc["diagnostics"] if d["code"] == code]
    assert found, f"no {code} for {name}: {[d['code'] for d in doc['diagnostics']]}"
    (d,) = found[:1]
    assert (d["line"], d["column"]) == (line, column)
    message, fix = words[lang]
    assert message in d["message"]
    assert fix in (d["hint"] or "")
    # What a focal point must not be told: a parser's words, a rename, quotes not there.
    text = " ".join(f"{x['message']} {x['hint']}" for x in doc["diagnostics"])
    assert "mapping values" not in text and "could not find expected" not in text
    if name in ("name.yaml", "arabic-digits.yaml"):
        assert "country-mismatch" not in {x["code"] for x in doc["diagnostics"]}
        assert "quote" not in text and "guillemet" not in text


def test_six_mistakes_in_one_run(run_cli, tmp_path, monkeypatch) -> None:
    """A tab, Word's quotes, a status in words, a French colon, a key one space off and the
    country's name: libyaml stops at the first, and it took four runs to see them. One run
    lists them all, each with its place, what is wrong and the corrected line."""
    ws = copy_workspace(tmp_path / "ws", ())
    shutil.copy(MISTAKES / "six.yaml", ws / "countries" / "MA.yaml")
    monkeypatch.setenv("GCMREVIEW_LANG", "en")
    result = run_cli("validate", cwd=ws)
    assert result.code == 1 and "Traceback" not in result.err
    out = result.out
    problems = [line for line in out.splitlines() if ": error[" in line]
    assert [line.split(": ")[0] + ": " + line.split(": ")[1].split("]")[0] + "]"
            for line in problems] == [
        "countries/MA.yaml:1:10: error[unknown-country]",
        "countries/MA.yaml:3:1: error[tab-character]",
        "countries/MA.yaml:6:9: error[smart-quotes]",
        "countries/MA.yaml:9:13: error[invalid-value]",
        "countries/MA.yaml:10:23: error[colon-in-text]",
        "countries/MA.yaml:13:4: error[indentation]",
    ]
    for corrected in ("hint: write `country: MA`",
                      "hint: replace the tab with spaces:\n              cycle: 2020",
                      'hint: write it with straight quotes:\n              date: "2020-08-13"',
                      "hint: for “en cours”, write `status: in_progress`",
                      '        summary: "Priorité : renforcer les voies de migration régulière"',
                      "hint: align it with `status`:\n"
                      "                summary: Texte de l'objectif."):
        assert corrected in out
    assert "1 file checked: 6 errors, 2 warnings" in out
    assert "mapping values" not in out and "could not find expected" not in out
    # The checks that follow count what the file holds, read past its line mistakes.
    assert "countries/MA.yaml  Maroc          2/23        0/10       6         2" in out


def test_line_mistakes_are_not_looked_for_inside_texts(run_cli, tmp_path, monkeypatch) -> None:
    """Blocks, quoted text and lists over several lines may hold colons, tabs and quotes:
    only the lines YAML reads as keys are looked at."""
    ws = copy_workspace(tmp_path / "ws", ())
    (ws / "countries" / "MA.yaml").write_text(
        "country: MA\nreview:\n\tcycle: 2020\n  language: fr\n  status: draft\n"
        "objectives:\n  5:\n    status: planned  # voir : la note\n    summary: |\n"
        "      Priorité : renforcer : les voies\n      \t« Texte » : suite\n"
        "      date: “2020”\n    challenges: [\"a: b\",\n      \"c : d\"]\n"
        "    partners:\n      - \"OIM : bureau\n        de Rabat : suite\"\n",
        encoding="utf-8")
    monkeypatch.setenv("GCMREVIEW_LANG", "en")
    doc = json.loads(run_cli("validate", "--format", "json", cwd=ws).out)
    assert [(d["line"], d["code"]) for d in doc["diagnostics"] if d["severity"] == "error"] \
        == [(3, "tab-character")]
    assert doc["files"][0]["coverage"]["objectives"]["covered"] == [5]


def test_smart_quotes_around_a_text_are_an_error(run_cli, tmp_path, monkeypatch) -> None:
    """Word's quotes used as YAML's end up in the text: an error, with the fix (--fix makes
    it). Inside straight quotes, they are the writer's and stay."""
    doc = check_as_ma(run_cli, tmp_path, MISTAKES / "smart-quotes.yaml", "en", monkeypatch)
    item = next(d for d in doc["diagnostics"] if d["line"] == 12)
    assert item["code"] == "smart-quotes" and item["severity"] == "error"
    assert "which YAML does not read as quotes: they become part of the text" in item["message"]
    assert 'write it with straight quotes: "La traite des êtres humains"' in item["hint"]
    ws = copy_workspace(tmp_path / "other", ())
    (ws / "countries" / "MA.yaml").write_text(
        "country: MA\nreview: {cycle: 2020, language: fr, status: draft}\nobjectives:\n"
        "  5:\n    status: planned\n    summary: Texte.\n    challenges:\n"
        "      - « La traite »\n      - \"“Cité” tel quel\"\n      - “Un” et “deux”\n",
        encoding="utf-8")
    doc = json.loads(run_cli("validate", "--format", "json", cwd=ws).out)
    (guillemets,) = [d for d in doc["diagnostics"] if d["code"] == "smart-quotes"]
    assert (guillemets["line"], guillemets["severity"]) == (8, "error")
    assert guillemets["hint"] == ('write it with straight quotes: "La traite"\n'
                                  "if the « » belong to the text, put the whole value in "
                                  'straight quotes: "« La traite »"')


def test_text_output_keeps_the_location_ascii_in_arabic(run_cli, tmp_path, monkeypatch) -> None:
    ws = copy_workspace(tmp_path / "ws", ())
    shutil.copy(MISTAKES / "tab.yaml", ws / "countries" / "MA.yaml")
    monkeypatch.setenv("GCMREVIEW_LANG", "ar")
    out = run_cli("validate", cwd=ws).out
    line = next(ln for ln in out.splitlines() if "[tab-character]" in ln)
    # file:line:col: and [code] stay as editors and CI read them; the words are Arabic.
    assert line.startswith("countries/MA.yaml:3:1: خطأ[tab-character]: يبدأ السطر 3")
    assert "    تلميح: استبدل محرف الجدولة بمسافات:" in out
    # CLDR plurals in Arabic: the checks read on past the tab (two coverage warnings).
    assert "فُحص ملف واحد: خطأ واحد، تحذيران" in out


@pytest.mark.parametrize(("lang", "error", "warning"), [
    ("en", "error", "warning"), ("fr", "erreur", "avertissement"), ("ar", "خطأ", "تحذير")])
def test_severity_words_in_the_users_language_and_english_for_machines(
        run_cli, tmp_path, monkeypatch, lang: str, error: str, warning: str) -> None:
    """People read `erreur[yaml-syntax]`; JSON, GitHub annotations and SARIF keep the English
    values programs key on. Rule codes never change."""
    ws = copy_workspace(tmp_path / "ws", ())
    shutil.copy(MISTAKES / "name.yaml", ws / "countries" / "MA.yaml")
    monkeypatch.setenv("GCMREVIEW_LANG", lang)
    out = run_cli("validate", cwd=ws).out
    assert f"countries/MA.yaml:1:10: {error}[unknown-country]: " in out
    assert f": {warning}[objectives-missing]: " in out
    doc = json.loads(run_cli("validate", "--format", "json", cwd=ws).out)
    assert {d["severity"] for d in doc["diagnostics"]} == {"error", "warning"}
    github = run_cli("validate", "--format", "github", cwd=ws).out
    assert "::error file=countries/MA.yaml,line=1,col=10,title=unknown-country::" in github
    assert "::warning file=countries/MA.yaml,line=3,col=1,title=objectives-missing::" in github
    sarif = json.loads(run_cli("validate", "--format", "sarif", cwd=ws).out)
    assert {r["level"] for r in sarif["runs"][0]["results"]} == {"error", "warning"}


def office_files(folder: Path) -> dict[str, Path]:
    """A real Word document, OpenDocument text and PDF, made by pandoc and typst."""
    import subprocess

    import typst

    from gcmreview.convert.pandoc import pandoc_path

    source = folder / "review.md"
    source.write_text("# Examen volontaire\n\nObjectif 5 : texte.\n", encoding="utf-8")
    made = {}
    for ext in ("docx", "odt"):
        made[ext] = folder / f"review.{ext}"
        subprocess.run([str(pandoc_path()), str(source), "-o", str(made[ext])], check=True)
    made["pdf"] = folder / "review.pdf"
    made["pdf"].write_bytes(typst.compile(b"Examen volontaire"))
    return made


@pytest.mark.parametrize(("lang", "words"), [
    ("en", {"docx": "this is a Word document (.docx), not a review file",
            "odt": "this is an OpenDocument file (.odt)", "pdf": "this is a PDF document",
            "fix": "run `gcmreview import FILE`"}),
    ("fr", {"docx": "c'est un document Word (.docx), pas un fichier d'examen",
            "odt": "c'est un fichier OpenDocument (.odt)", "pdf": "c'est un document PDF",
            "fix": "lancez `gcmreview import FICHIER`"}),
    ("ar", {"docx": "هذا مستند Word", "odt": "هذا ملف OpenDocument", "pdf": "هذا مستند PDF",
            "fix": "شغّل `gcmreview import FILE`"}),
])
def test_office_documents_given_to_validate(run_cli, tmp_path: Path, monkeypatch, lang: str,
                                            words: dict[str, str]) -> None:
    monkeypatch.setenv("GCMREVIEW_LANG", lang)
    for ext, path in office_files(tmp_path).items():
        result = run_cli("validate", "--format", "json", str(path), cwd=tmp_path)
        assert result.code == 1
        (d,) = json.loads(result.out)["diagnostics"]
        assert d["code"] == "not-a-review-file" and words[ext] in d["message"]
        assert words["fix"] in d["hint"]
        assert "UTF" not in d["message"]  # not an encoding problem


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "there is no review file to check in"),
    ("fr", "il n'y a aucun fichier d'examen à vérifier dans"),
    ("ar", "لا يوجد ملف استعراض للتحقق منه في"),
])
def test_an_empty_folder_is_not_a_pass(run_cli, tmp_path: Path, monkeypatch, lang: str,
                                       message: str) -> None:
    monkeypatch.setenv("GCMREVIEW_LANG", lang)
    (tmp_path / "countreis").mkdir()  # mistyped, and empty
    result = run_cli("validate", "countreis", cwd=tmp_path)
    assert result.code == 1 and message in result.err and "--allow-empty" in result.err
    assert run_cli("validate", "countreis", "--allow-empty", cwd=tmp_path).code == 0


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "no workspace here"), ("fr", "pas d'espace de travail ici"),
    ("ar", "ولا مساحة عمل هنا")])
def test_outside_a_workspace_names_init(run_cli, tmp_path, monkeypatch, lang, message) -> None:
    monkeypatch.setenv("GCMREVIEW_LANG", lang)
    result = run_cli("validate", cwd=tmp_path)
    assert result.code == 2 and message in result.err and "gcmreview init" in result.err


# --- the language, and the catalogs --------------------------------------------------------

def test_language_as_gettext_programs_choose_it() -> None:
    assert detect_language({"LANG": "fr_FR.UTF-8"}) == "fr"
    assert detect_language({"LC_ALL": "ar_MA.UTF-8", "LANG": "fr_FR.UTF-8"}) == "ar"
    assert detect_language({"LC_MESSAGES": "fr_CA", "LANG": "en_US"}) == "fr"
    assert detect_language({"LANGUAGE": "de:fr", "LANG": "en_US"}) == "fr"
    assert detect_language({"GCMREVIEW_LANG": "ar", "LANG": "fr_FR.UTF-8"}) == "ar"
    assert detect_language({"LANG": "de_DE.UTF-8"}) == "en"  # not ours: English
    assert detect_language({"LANG": "C.UTF-8"}) == "en"
    assert detect_language({}) == "en"


def msgids_in_code() -> set[str]:
    """Every message the code and the templates mark for translation (as the catalogs'
    extractor finds them: tools/update_catalogs.py)."""
    from babel.messages.extract import extract_from_dir

    import tools.update_catalogs as update

    return {message if isinstance(message, str) else message[0]
            for filename, _l, message, _c, _x in extract_from_dir(
                ROOT, update.METHODS, options_map=update.OPTIONS, keywords=update.KEYWORDS)
            if not filename.startswith(("tools/", "tests/"))}


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_every_message_has_a_translation(lang: str) -> None:
    text = (ROOT / "gcmreview" / "locale" / lang / "messages.po").read_text(encoding="utf-8")
    translated, _plural = read_po(text)
    singular = {k for k in translated if isinstance(k, str)}
    plurals = {k[0] for k in translated if isinstance(k, tuple)}
    missing = sorted(m for m in msgids_in_code() if m not in singular | plurals)
    assert not missing, f"{len(missing)} messages without a {lang} translation: {missing[:5]}"
    placeholders = re.compile(r"\{[a-z_]*(?::[^}]*)?\}")
    for msgid, msgstr in translated.items():
        source = msgid if isinstance(msgid, str) else msgid[0]
        if isinstance(msgid, str):  # a plural form may leave its count unsaid
            assert set(placeholders.findall(msgstr)) == set(placeholders.findall(source)), \
                (lang, source, msgstr)
    # Every plural form of the language filled in (French has three in CLDR: one, many,
    # other), or a count in that form would print the English.
    from babel.messages.pofile import read_po as babel_read_po

    catalog = babel_read_po(io.BytesIO(text.encode("utf-8")), locale=lang)
    short = [m.id[0] for m in catalog if isinstance(m.id, tuple)
             and (len(m.string) != catalog.num_plurals or not all(m.string))]
    assert not short, f"{lang} plurals with a form missing: {short[:5]}"


COMMANDS = ["validate", "build", "catalogue", "schema", "new", "init", "coverage", "form", "docs",
            "import", "progress"]


@pytest.mark.parametrize("lang", LANGS)
def test_help_reads_like_a_tool_for_people(run_cli, monkeypatch, lang: str) -> None:
    monkeypatch.setenv("GCMREVIEW_LANG", lang)
    monkeypatch.setenv("COLUMNS", "80")
    pages = {name: run_cli(name, "--help") for name in COMMANDS}
    pages["main"] = run_cli("--help")
    examples = {"en": "Examples:", "fr": "Exemples :", "ar": "أمثلة:"}[lang]
    for name, page in pages.items():
        assert page.code == 0, (name, page.err)
        for type_name in ("<bool>", "<str>", "<path>", "<float", "<int", "list[", "BOOLEAN",
                          "TEXT", "FLOAT", "INTEGER", "RANGE", "[default: no-", "╭"):
            assert type_name not in page.out, (name, type_name)
        for line in page.out.splitlines():
            assert len(line) <= 100, (name, line)
        # French typography: no line starts with the colon of the line before.
        for line in page.raw_out.splitlines():
            assert not line.strip().startswith((":", ";", "!", "?", "»")), (name, line)
        if name != "main":
            assert examples in page.out and f"gcmreview {name}" in page.out
    assert {"fr": "Vérifier les fichiers d'examen", "en": "Check review files",
            "ar": "التحقق من ملفات الاستعراض"}[lang] in pages["validate"].out


@pytest.mark.parametrize(("args", "words"), [
    (("validate", "--strct"), ("unknown option --strct", "did you mean --strict?")),
    (("build", "--lang", "de"), ("--lang cannot be “de”", "en, fr, ar")),
    (("validate", "--min-coverage", "150"), ("percentage, from 0 to 100",)),
    (("new",), ("COUNTRY is missing",)),
    (("frobnicate",), ("unknown command “frobnicate”",)),
])
def test_usage_errors_in_our_words(run_cli, args: tuple[str, ...], words: tuple[str, ...]):
    result = run_cli(*args)
    assert result.code == 2
    for word in words:
        assert word in result.err
    assert "Value error" not in result.err and "is not one of" not in result.err


@pytest.mark.parametrize(("lang", "words"), [
    ("ar", ("# الاستعراض الطوعي: المغرب (MA)", "حافظ على إزاحة الأسطر",
            '    summary: "TODO: التقدم المحرز في الهدف 5"',
            "  # المائدة المستديرة 1 للمنتدى: الأهداف 2، 5، 6، 12، 18",
            "in_progress (قيد التنفيذ)، planned (مخطط له)")),
    ("fr", ("# Examen volontaire : Maroc (MA)", "Gardez le décalage des lignes",
            '    summary: "TODO: progrès relatifs à l\'objectif 5"',
            "  # Table ronde 1 du Forum : objectifs 2, 5, 6, 12, 18",
            "in_progress (en cours), planned (prévu)")),
])
def test_new_writes_instructions_in_the_review_language(run_cli, tmp_path: Path, lang: str,
                                                         words: tuple[str, ...]) -> None:
    ws = copy_workspace(tmp_path / "ws", ())
    assert run_cli("new", "MA", "--lang", lang, cwd=ws).code == 0
    text = (ws / "countries" / "MA.yaml").read_text(encoding="utf-8")
    for word in words:
        assert word in text
    doc = json.loads(run_cli("validate", "--format", "json", cwd=ws).out)
    errors = {d["code"] for d in doc["diagnostics"] if d["severity"] == "error"}
    assert errors == {"placeholder", "invalid-value"}  # TODO texts, statuses not chosen


@pytest.mark.parametrize(("lang", "expected", "every", "some"), [
    ("en", "1–6, 8, 11–14, 22, 23", "(a)–(j)", "(a), (c), (d)"),
    ("fr", "1–6, 8, 11–14, 22, 23", "a)–j)", "a), c), d)"),
    # United Nations Arabic letters paragraphs in the abjad order: (أ) (ب) (ج) (د) (هـ)…
    ("ar", "1–6، 8، 11–14، 22، 23", "(أ)–(ي)", "(أ)، (ج)، (د)"),
])
def test_objective_numbers_and_principle_letters_read_as_ranges(lang: str, expected: str,
                                                               every: str, some: str) -> None:
    before = language()
    use(lang)
    try:
        assert number_ranges([1, 2, 3, 4, 5, 6, 8, 11, 12, 13, 14, 22, 23]) == expected
        assert number_ranges([9]) == "9"
        assert letter_ranges(list("abcdefghij")) == every
        assert letter_ranges(["a", "c", "d"]) == some
    finally:
        use(before)


def test_principle_marks_as_each_language_letters_a_paragraph() -> None:
    """A/RES/73/195 para. 15 letters the principles (a) to (j); French UN texts write the
    letter a), Arabic ones (أ), and (هـ) for (e)."""
    assert [principle_mark(letter, "en") for letter in "aej"] == ["(a)", "(e)", "(j)"]
    assert [principle_mark(letter, "fr") for letter in "aej"] == ["a)", "e)", "j)"]
    assert [principle_mark(letter, "ar") for letter in "abcdefghij"] == [
        "(أ)", "(ب)", "(ج)", "(د)", "(هـ)", "(و)", "(ز)", "(ح)", "(ط)", "(ي)"]


@pytest.mark.parametrize(("lang", "words"), [
    ("en", "there is no such file or folder"),
    ("fr", "ce fichier ou ce dossier n'existe pas"),
    ("ar", "لا يوجد ملف أو مجلد بهذا الاسم"),
])
def test_system_errors_in_the_users_language(run_cli, tmp_path: Path, monkeypatch, lang: str,
                                             words: str) -> None:
    """The system's own words (No such file or directory) are English whatever the
    user's language: the common reasons are said in it."""
    monkeypatch.setenv("GCMREVIEW_LANG", lang)
    result = run_cli("import", "nope.docx", cwd=tmp_path)
    assert result.code == 2
    assert words in result.out + result.err
    assert "No such file" not in result.out + result.err


def test_items_that_hold_commas_are_listed_with_semicolons() -> None:
    """"Contrôle, évaluation et orientation, Identité légale et Retour" read as four items:
    UN style sets such items apart with semicolons, the last with the language's "and"."""
    items = ["Contrôle, évaluation et orientation", "Identité légale", "Retour"]
    assert Formatter("fr", report=True).list(items) == \
        "Contrôle, évaluation et orientation\u00a0; Identité légale et Retour"
    assert Formatter("en", report=True).list(items) == \
        "Contrôle, évaluation et orientation; Identité légale and Retour"
    assert Formatter("fr", report=True).list(["A", "B", "C"]) == "A, B et C"
    assert Formatter("en", report=True).list(["A, b", "C"]) == "A, b and C"  # two: no doubt


@pytest.mark.parametrize(("lang", "counts"), [
    ("en", {1: "one", 8: "eight", 9: "nine", 10: "10", 0: "0", 1500: "1,500"}),
    ("fr", {1: "un", 7: "sept", 10: "10", 1500: "1\u202f500"}),
    ("ar", {1: "1", 8: "8", 12: "12"}),
])
def test_counts_in_running_text_are_words_up_to_nine(lang: str, counts: dict[int, str]
                                                     ) -> None:
    """UN style: "Of them, eight sent a voluntary review"; figures from 10, and in Arabic."""
    fmt = Formatter(lang, report=True)
    for value, written in counts.items():
        assert fmt.counted(value) == written
