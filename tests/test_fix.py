"""validate --fix and --diff: the safe fixes the messages describe, made on real files by the
real CLI, every other byte kept; what is ambiguous or would change other data is left."""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from .conftest import DATA, copy_workspace

MISTAKES = DATA / "mistakes"


def workspace_with(tmp_path: Path, source: Path | bytes) -> tuple[Path, Path]:
    ws = copy_workspace(tmp_path / "ws", ())
    target = ws / "countries" / "MA.yaml"
    if isinstance(source, bytes):
        target.write_bytes(source)
    else:
        shutil.copy(source, target)
    return ws, target


def test_fix_corrects_what_is_safe_and_reports_the_rest(run_cli, tmp_path, monkeypatch) -> None:
    """The six mistakes: the tab, Word's quotes, the status and the country are fixed, line
    by line, said in French; the colon and the key one space off are left (quotes or a
    block? which key?) and reported, and validate's exit status follows."""
    ws, target = workspace_with(tmp_path, MISTAKES / "six.yaml")
    before = target.read_text(encoding="utf-8").split("\n")
    monkeypatch.setenv("GCMREVIEW_LANG", "fr")
    result = run_cli("validate", "--fix", cwd=ws)
    assert result.code == 1 and "Traceback" not in result.err
    assert result.err.splitlines() == [
        "countries/MA.yaml:1:10: corrigé[unknown-country]: « Maroc » remplacé par MA",
        "countries/MA.yaml:3:1: corrigé[tab-character]: tabulation remplacée par 2 espaces",
        "countries/MA.yaml:6:9: corrigé[smart-quotes]: guillemets typographiques remplacés par "
        'des guillemets droits : "2020-08-13"',
        "countries/MA.yaml:9:13: corrigé[invalid-value]: « en cours » remplacé par in_progress",
        "countries/MA.yaml : 4 problèmes corrigés",
    ]
    after = target.read_text(encoding="utf-8").split("\n")
    assert [n + 1 for n, (a, b) in enumerate(zip(before, after, strict=True)) if a != b] \
        == [1, 3, 6, 9]
    assert (after[0], after[2], after[5], after[8]) == (
        "country: MA", "  cycle: 2020", '  date: "2020-08-13"', "    status: in_progress")
    # What is left, said as validate says it, in the same run.
    errors = [line for line in result.out.splitlines() if ": erreur[" in line]
    assert [line.split(": ", 2)[1] for line in errors] == ["erreur[colon-in-text]",
                                                           "erreur[indentation]"]
    assert "1 fichier vérifié : 2 erreurs" in result.out
    again = run_cli("validate", "--fix", cwd=ws)
    assert "rien à corriger" in again.err and target.read_text(encoding="utf-8").split(
        "\n") == after


def test_diff_previews_and_writes_nothing(run_cli, tmp_path, monkeypatch) -> None:
    """--diff prints a unified diff that `git apply` takes, and leaves the file as it was;
    applied, it gives what --fix writes."""
    ws, target = workspace_with(tmp_path, MISTAKES / "six.yaml")
    original = target.read_bytes()
    monkeypatch.setenv("GCMREVIEW_LANG", "en")
    shown = run_cli("validate", "--diff", cwd=ws)
    assert shown.code == 1
    assert target.read_bytes() == original
    assert shown.out.startswith("--- a/countries/MA.yaml\n+++ b/countries/MA.yaml\n@@ ")
    assert "-country: Maroc\n+country: MA\n" in shown.out
    assert "-\tcycle: 2020\n+  cycle: 2020\n" in shown.out
    assert "countries/MA.yaml: 4 problems would be fixed (nothing written)" in shown.err
    assert "countries/MA.yaml:9:13: to fix[invalid-value]: “en cours” replaced with in_progress" \
        in shown.err
    (ws / "changes.diff").write_text(shown.out, encoding="utf-8")
    subprocess.run(["git", "apply", "changes.diff"], cwd=ws, check=True)
    applied = target.read_bytes()
    target.write_bytes(original)
    assert run_cli("validate", "--fix", cwd=ws).code == 1
    assert target.read_bytes() == applied


def test_every_other_byte_is_kept(run_cli, tmp_path, monkeypatch) -> None:
    """Windows line endings, a byte-order mark, comments, blank lines and odd spacing stay;
    a direction mark inside Arabic text stays (it may be meant), a byte-order mark pasted
    inside a text goes, and the file keeps its permissions."""
    source = ("\ufeff# Revue du Maroc\r\ncountry: MA   # le code\r\n"
              "review: {cycle: 2020, language: ar, status: draft}\r\n\r\nobjectives:\r\n"
              "  ١٤:  # الهدف\r\n    \u200fstatus: منفذ\r\n"
              "    summary: \ufeffنص\u200f آخر  # تعليق\r\n"
              "    challenges:\r\n      - « La traite »\r\n      - “sur deux\r\n"
              "        lignes”\r\n      - \"“déjà entre guillemets droits”\"\r\n")
    ws, target = workspace_with(tmp_path, source.encode("utf-8"))
    target.chmod(0o600)
    monkeypatch.setenv("GCMREVIEW_LANG", "en")
    result = run_cli("validate", "--fix", "--format", "json", cwd=ws)
    json.loads(result.out)  # stdout stays JSON: the changes are said on stderr
    expected = ("\ufeff# Revue du Maroc\r\ncountry: MA   # le code\r\n"
                "review: {cycle: 2020, language: ar, status: draft}\r\n\r\nobjectives:\r\n"
                "  14:  # الهدف\r\n    status: implemented\r\n"
                "    summary: نص\u200f آخر  # تعليق\r\n"
                "    challenges:\r\n      - \"La traite\"\r\n      - \"sur deux\r\n"
                "        lignes\"\r\n      - \"“déjà entre guillemets droits”\"\r\n")
    assert target.read_bytes() == expected.encode("utf-8")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert "countries/MA.yaml:7:5: fixed[invisible-character]: invisible character removed: " \
        "U+200F RIGHT-TO-LEFT MARK" in result.err
    assert "countries/MA.yaml:8:14: fixed[invisible-character]: invisible character removed: " \
        "U+FEFF ZERO WIDTH NO-BREAK SPACE" in result.err
    assert "countries/MA.yaml:6:3: fixed[non-latin-digits]: “١٤” replaced with 14" in result.err


@pytest.mark.parametrize(("text", "left"), [
    # `١٤` is 14: a second 14 would be a duplicate key; the file would no longer read.
    ("  ١٤: {status: planned, summary: a}\n  14: {status: planned, summary: b}\n",
     "non-latin-digits"),
    # The tab lines `challenges` up with `5` (2 spaces) or with `status` (4): two readings.
    ("  5:\n    status: planned\n    summary: x\n\tchallenges: []\n", "tab-character"),
    # A colon in French text: quotes or a block, the writer chooses.
    ("  5:\n    status: planned\n    summary: Priorité : x\n", "colon-in-text"),
    # A status word that is no status.
    ("  5:\n    status: bientôt\n    summary: x\n", "invalid-value"),
])
def test_what_is_ambiguous_or_unsafe_is_left(run_cli, tmp_path, monkeypatch, text: str,
                                             left: str) -> None:
    source = "country: MA\nreview: {cycle: 2020, language: fr, status: draft}\nobjectives:\n" \
        + text
    ws, target = workspace_with(tmp_path, source.encode("utf-8"))
    monkeypatch.setenv("GCMREVIEW_LANG", "en")
    result = run_cli("validate", "--fix", "--format", "json", cwd=ws)
    assert target.read_text(encoding="utf-8") == source
    assert "nothing to fix" in result.err and result.code == 1
    assert left in {d["code"] for d in json.loads(result.out)["diagnostics"]}


def test_fix_in_arabic_and_on_a_valid_file(run_cli, tmp_path, monkeypatch) -> None:
    ws, target = workspace_with(tmp_path, MISTAKES / "status-ar.yaml")
    monkeypatch.setenv("GCMREVIEW_LANG", "ar")
    result = run_cli("validate", "--fix", cwd=ws)
    assert "countries/MA.yaml:5:13: صُحِّح[invalid-value]: حلّ implemented محلّ «منفذ»" \
        in result.err
    assert "countries/MA.yaml: صُحِّحت مشكلة واحدة" in result.err
    assert result.code == 0 and "    status: implemented\n" in target.read_text(encoding="utf-8")
    valid = copy_workspace(tmp_path / "valid")
    before = {p.name: p.read_bytes() for p in (valid / "countries").iterdir()}
    result = run_cli("validate", "--fix", cwd=valid)
    assert result.code == 0 and "لا شيء للتصحيح" in result.err
    assert {p.name: p.read_bytes() for p in (valid / "countries").iterdir()} == before
