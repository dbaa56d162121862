"""The first week of a new secretariat (issue 20, item 10): files a folder does not read
are named, `new` does not write just anywhere, the documentation the files point to can
be found, and gcmreview.yaml speaks the workspace's language."""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path

import pytest

from gcmreview.validate.workspace import load_workspace

from .conftest import DATA, ROOT, copy_workspace

VALID = (DATA / "valid" / "MA.yaml").read_bytes()


# --- files a folder does not read ---------------------------------------------------------

def test_files_named_almost_right_are_named(run_cli, tmp_path: Path, monkeypatch) -> None:
    """MA.yaml.txt (Notepad) and MA.YAML are not read: said, with the name to give them,
    as a warning with a rule code (an error with --strict), never silently."""
    monkeypatch.setenv("GCMREVIEW_LANG", "en")
    (tmp_path / "MA.yaml.txt").write_bytes(VALID)
    (tmp_path / "TN.YAML").write_bytes(VALID)
    (tmp_path / "notes.txt").write_text("not a review\n")  # not a look-alike: not named
    (tmp_path / "DZ.yml").write_bytes(VALID.replace(b"country: MA", b"country: DZ"))
    result = run_cli("validate", ".", cwd=tmp_path)
    lines = result.out.splitlines()
    for name, fix in (("MA.yaml.txt", "MA.yaml"), ("TN.YAML", "TN.yaml")):
        at = lines.index(f"{name}:1:1: warning[file-not-read]: {name} is not read: review "
                         "files are named after the State's code and end in .yaml")
        assert lines[at + 1] == f"    hint: rename it to {fix}"
    assert "notes.txt" not in result.out and "DZ.yml:1:1" not in result.out  # .yml is read
    assert result.code == 0  # warnings
    doc = json.loads(run_cli("validate", ".", "--format", "json", cwd=tmp_path).out)
    assert sorted(d["path"] for d in doc["diagnostics"] if d["code"] == "file-not-read") \
        == ["MA.yaml.txt", "TN.YAML"]
    assert [f["path"] for f in doc["files"]] == ["DZ.yml"]
    assert run_cli("validate", ".", "--strict", cwd=tmp_path).code == 1
    (tmp_path / "MA.yaml").write_bytes(VALID)
    out = run_cli("validate", ".", cwd=tmp_path).out
    assert ("    hint: MA.yaml exists too: if MA.yaml.txt is a newer version of the review, "
            "copy what it adds into MA.yaml, then delete it") in out


def test_a_workspace_whose_only_review_is_misnamed(run_cli, tmp_path: Path,
                                                   monkeypatch) -> None:
    """Nothing else to check: still an error (a check that checks nothing must not pass),
    now saying which file to rename, in the user's language."""
    ws = copy_workspace(tmp_path / "ws", ())
    (ws / "countries" / "MA.yaml.txt").write_bytes(VALID)
    monkeypatch.setenv("GCMREVIEW_LANG", "fr")
    result = run_cli("validate", cwd=ws)
    assert result.code == 1
    assert "conseil : les fichiers d'examen se terminent par .yaml : renommez " \
        "countries/MA.yaml.txt en MA.yaml" in result.err


def test_build_coverage_and_site_say_which_file_they_did_not_read(run_cli, tmp_path: Path,
                                                                  monkeypatch) -> None:
    """The State of MA.yaml.txt shows as not submitted in the matrix and is left out of
    the regional report: each command says why, and `build --country MA` names the file
    to rename instead of asking for a review that exists."""
    monkeypatch.setenv("GCMREVIEW_LANG", "en")
    ws = copy_workspace(tmp_path / "ws")
    (ws / "countries" / "MA.yaml").rename(ws / "countries" / "MA.yaml.txt")
    warning = ("countries/MA.yaml.txt:1:1: warning[file-not-read]: MA.yaml.txt is not read: "
               "review files are named after the State's code and end in .yaml\n"
               "    hint: rename it to MA.yaml")
    asked = run_cli("build", "--country", "MA", "--format", "md", cwd=ws)
    assert asked.code == 2
    assert ("error: MA's review file countries/MA.yaml.txt is not read: review files are "
            "named after the State's code and end in .yaml\nhint: rename it to MA.yaml"
            ) in asked.err
    built = run_cli("build", "--region", "--format", "md", "--quiet", cwd=ws)
    assert built.code == 0 and warning in built.err
    assert (ws / "build" / "regional.fr.md").is_file()
    matrix = run_cli("coverage", "--format", "json", cwd=ws)
    assert matrix.code == 0 and warning in matrix.err
    assert {s["country"]: s["submitted"] for s in json.loads(matrix.out)["states"]}["MA"] \
        is False
    site = run_cli("site", "--lang", "en", "--quiet", cwd=ws)
    assert site.code == 0 and warning in site.err


# --- new, outside a workspace -------------------------------------------------------------

@pytest.mark.parametrize(("lang", "words"), [
    ("en", ("there is no review workspace here", "gcmreview init FOLDER", "--output FILE")),
    ("fr", ("il n'y a pas d'espace de travail d'examen ici", "gcmreview init DOSSIER",
            "--output FICHIER")),
    ("ar", ("لا توجد هنا مساحة عمل للاستعراض", "gcmreview init FOLDER", "--output FILE")),
])
def test_new_outside_a_workspace_says_where_to_go(run_cli, tmp_path: Path, monkeypatch,
                                                  lang: str, words: tuple[str, ...]) -> None:
    monkeypatch.setenv("GCMREVIEW_LANG", lang)
    result = run_cli("new", "MA", cwd=tmp_path)
    assert result.code == 2 and "Traceback" not in result.err
    for word in words:
        assert word in result.err
    assert list(tmp_path.iterdir()) == []  # nothing written
    given = run_cli("new", "MA", "--output", "drafts/MA.yaml", cwd=tmp_path)
    assert given.code == 0
    text = (tmp_path / "drafts" / "MA.yaml").read_text(encoding="utf-8")
    # The schema the modeline names sits beside the file, not in the current folder.
    assert text.startswith("# yaml-language-server: $schema=review.schema.json\n")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["MA.yaml", "drafts",
                                                           "review.schema.json"]


# --- gcmreview docs -------------------------------------------------------------------------

def test_docs_says_where_the_documentation_is(run_cli, tmp_path: Path) -> None:
    """The files gcmreview writes point to `gcmreview docs format`: it prints the path of
    the copy installed with gcmreview (inside the wheel, see pyproject.toml)."""
    shown = run_cli("docs", cwd=tmp_path)
    assert shown.code == 0
    path = Path(shown.out.strip())
    assert path.read_text(encoding="utf-8").startswith("# gcmreview: the review file format")
    assert run_cli("docs", "format", cwd=tmp_path).out == shown.out
    word = Path(run_cli("docs", "word", cwd=tmp_path).out.strip())
    assert word.read_text(encoding="utf-8").startswith("# The Word path")
    unknown = run_cli("docs", "yaml", cwd=tmp_path)
    assert unknown.code == 2 and "the topics: format, word" in unknown.err
    included = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    for name in ("format.md", "word.md"):
        assert included[f"docs/{name}"] == f"gcmreview/docs/{name}"


def test_docs_open(run_cli, tmp_path: Path, monkeypatch) -> None:
    """--open hands the file to the system's opener (xdg-open here); when none can open it,
    a plain error, exit 2."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    opener = bin_dir / "xdg-open"
    opener.write_text(f'#!/bin/sh\nprintf "%s" "$1" > "{tmp_path}/opened"\n')
    opener.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    result = run_cli("docs", "word", "--open", cwd=tmp_path)
    assert result.code == 0
    assert (tmp_path / "opened").read_text() == result.out.strip()
    opener.write_text("#!/bin/sh\nexit 3\n")
    failed = run_cli("docs", "--open", cwd=tmp_path)
    assert failed.code == 2 and "no program could open" in failed.err


# --- the files gcmreview writes point to `gcmreview docs`, in the workspace's language ----

def test_scaffold_points_to_gcmreview_docs(run_cli, tmp_path: Path) -> None:
    ws = copy_workspace(tmp_path / "ws", ())
    assert run_cli("new", "MA", "--lang", "fr", cwd=ws).code == 0
    text = (ws / "countries" / "MA.yaml").read_text(encoding="utf-8")
    assert "# Chaque clé est expliquée dans la référence du format : `gcmreview docs format` " \
        "indique où elle se trouve.\n" in text
    assert "docs/format.md" not in text


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ("# Review workspace written by `gcmreview init`: one regional review, one cycle.",
            "`gcmreview docs format`",
            "# title: Regional review of the Global Compact for Migration\n")),
    ("fr", ("# Espace de travail d'examen créé par `gcmreview init` : un examen régional, un",
            "# Les langues de travail (en, fr, ar), la principale d'abord",
            "# Codes ISO 3166-1 alpha-2 des États participants",
            "`gcmreview docs format`",
            "# title: Examen régional du Pacte mondial sur les migrations\n")),
    ("ar", ("# مساحة عمل استعراض أنشأها `gcmreview init`", "# لغات العمل (en وfr وar)",
            "`gcmreview docs format`",
            "# title: الاستعراض الإقليمي للاتفاق العالمي من أجل الهجرة\n")),
])
def test_workspace_configuration_speaks_its_first_language(run_cli, tmp_path: Path,
                                                           lang: str,
                                                           words: tuple[str, ...]) -> None:
    ws = tmp_path / "ws"
    result = run_cli("init", str(ws), "--region", "Région", "--cycle", "2026", "--lang",
                     f"{lang},en" if lang != "en" else "en", "--package", "gcmreview==0.1.0",
                     cwd=tmp_path)
    assert result.code == 0, result.err
    text = (ws / "gcmreview.yaml").read_text(encoding="utf-8")
    for word in words:
        assert word in text, text
    assert "docs/format.md" not in text
    assert all(len(line) <= 90 for line in text.splitlines())
    assert load_workspace(ws / "gcmreview.yaml").languages[0] == lang  # still valid
