"""The CLI as users run it: exit codes, output formats, messages without tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import DATA, ROOT, copy_workspace


def test_validate_text_report_on_example(run_cli) -> None:
    result = run_cli("validate")
    assert result.code == 0
    assert "Coverage" in result.out
    assert "countries/MA.yaml" in result.out
    assert "warning[objectives-missing]" in result.out
    assert "Not yet submitted (7 States): BH, EG, MR, PS, QA, SO, SD" in result.out
    # 16 coverage warnings, and 6 objectives the seed gives no status for (MA 5, 10, 21;
    # DZ 9, 10; LY 23).
    assert "8 files checked: 0 errors, 22 warnings" in result.out


def test_validate_strict_fails_on_gaps(run_cli) -> None:
    result = run_cli("validate", "--strict")
    assert result.code == 1
    assert "error[objectives-missing]" in result.out


def test_text_lines_are_file_line_col(run_cli) -> None:
    result = run_cli("validate", str(DATA / "invalid" / "many.yaml"))
    assert result.code == 1
    line = next(ln for ln in result.out.splitlines() if "[unknown-objective]" in ln)
    assert line.startswith("tests/data/invalid/many.yaml:7:3: error[unknown-objective]: ")
    assert "    hint: use the objective's number" in result.out


def test_github_annotations(run_cli) -> None:
    result = run_cli("validate", "--format", "github", str(DATA / "invalid" / "many.yaml"))
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0].startswith(
        "::error file=tests/data/invalid/many.yaml,line=1,col=10,title=country-mismatch::")
    assert any(ln.startswith("::warning ") for ln in lines)
    assert all("\n" not in ln for ln in lines)


def test_sarif_output(run_cli) -> None:
    result = run_cli("validate", "--format", "sarif", str(DATA / "invalid" / "many.yaml"))
    sarif = json.loads(result.out)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    rule_ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
    assert {r["ruleId"] for r in run["results"]} == rule_ids
    first = run["results"][0]["locations"][0]["physicalLocation"]
    assert first["region"] == {"startLine": 1, "startColumn": 10}


def test_missing_path_is_usage_error(run_cli) -> None:
    result = run_cli("validate", "does/not/exist.yaml")
    assert result.code == 2
    assert "does/not/exist.yaml: there is no such file or folder" in result.err
    assert "Traceback" not in result.err


def test_bad_option_is_usage_error(run_cli) -> None:
    result = run_cli("validate", "--format", "xml")
    assert result.code == 2
    assert "xml" in result.err


def test_an_unexpected_argument_is_named(run_cli) -> None:
    result = run_cli("build", "MA")  # a State is given with --country
    assert result.code == 2
    assert "error: unexpected argument: MA\n" in result.err


def test_all_with_a_country_is_refused(run_cli, tmp_path: Path) -> None:
    """--all builds (or makes forms for) every State: a State named beside it would be
    silently ignored."""
    built = run_cli("build", "--all", "--country", "MA", "--out", str(tmp_path / "out"))
    assert built.code == 2 and not (tmp_path / "out").exists()
    assert "error: --all builds every State: --country cannot choose among them" in built.err
    forms = run_cli("form", "MA", "--all", "--output", str(tmp_path / "forms"))
    assert forms.code == 2 and not (tmp_path / "forms").exists()
    assert "--all makes a form for every State" in forms.err


def test_no_workspace_no_paths(run_cli, tmp_path: Path) -> None:
    result = run_cli("validate", cwd=tmp_path)
    assert result.code == 2
    assert "no workspace here" in result.err and "`gcmreview init`" in result.err


def test_invalid_workspace_config_is_positioned(run_cli, tmp_path: Path) -> None:
    (tmp_path / "gcmreview.yaml").write_text("region: X\ncycle: 2020\nparticipants: [MA]\n"
                                              "participant: [DZ]\n", encoding="utf-8")
    result = run_cli("validate", cwd=tmp_path)
    assert result.code == 2
    assert ("gcmreview.yaml:4:1: error[unknown-key]: unknown key `participant` in the file "
            "(did you mean `participants`?)") in result.err
    assert "did you mean `participants`" in result.err


def test_catalogue_table_and_json(run_cli) -> None:
    table = run_cli("catalogue", "--lang", "fr")
    assert table.code == 0
    assert "Données" in table.out and "RT4" in table.out
    # Objective 18 has no sourced French title (the interface is English here).
    assert "[no official" in table.out
    assert "GCM objectives, in French" in table.out
    doc = json.loads(run_cli("catalogue", "--lang", "ar", "--format", "json").out)
    assert len(doc["objectives"]) == 23 and len(doc["principles"]) == 10
    first = doc["objectives"][0]
    assert first["title"] == {"text": "Collect and utilize accurate and disaggregated data as a "
                              "basis for evidence-based policies", "lang": "en", "fallback": True}
    assert doc["compact"]["fallback"] is False  # the Arabic name of the Compact is sourced
    assert doc["missing"]["objective titles"] == [str(n) for n in range(1, 24)]


def test_schema_command_matches_committed_file(run_cli) -> None:
    result = run_cli("schema")
    assert result.code == 0
    assert result.out == (ROOT / "review.schema.json").read_text(encoding="utf-8")


def test_new_writes_scaffold_that_validate_flags(run_cli, tmp_path: Path) -> None:
    from .conftest import copy_workspace

    ws = copy_workspace(tmp_path / "ws", countries=())
    created = run_cli("new", "bh", "--lang", "fr", cwd=ws)
    assert created.code == 0
    path = ws / "countries" / "BH.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../review.schema.json\n")
    assert (ws / "review.schema.json").is_file()
    assert "  # 2. Lutter contre les facteurs négatifs" in text
    assert "(titre anglais : il n'y a pas encore de titre officiel en français)" in text  # 18
    assert "# Examen volontaire : Bahreïn (BH)" in text
    assert '    summary: "TODO: progrès relatifs à l\'objectif 5"' in text  # French instructions
    for n in range(1, 24):
        assert f"\n  {n}:\n" in text
    result = run_cli("validate", "--format", "json", cwd=ws)
    doc = json.loads(result.out)
    errors = {d["code"] for d in doc["diagnostics"] if d["severity"] == "error"}
    assert errors == {"placeholder", "invalid-value"}
    # No status is chosen for the focal point: an empty one asks for a choice.
    statuses = [d for d in doc["diagnostics"] if d["code"] == "invalid-value"]
    assert len(statuses) == 23
    assert all(d["message"] == f"`objectives.{n}.status` is empty"
               and "or delete the line if the review states no status" in d["hint"]
               for n, d in zip(range(1, 24), statuses, strict=True))
    assert "not_started  #" not in text
    assert result.code == 1
    again = run_cli("new", "BH", cwd=ws)
    assert again.code == 2 and "already exists" in again.err


def test_new_refuses_non_iso_code(run_cli, tmp_path: Path) -> None:
    result = run_cli("new", "XX", cwd=tmp_path)
    assert result.code == 2
    assert "“XX” is not an ISO 3166-1 country code" in result.err
    named = run_cli("new", "Maroc", cwd=tmp_path)
    assert named.code == 2 and "write MA" in named.err


def test_version(run_cli) -> None:
    result = run_cli("--version")
    assert result.code == 0 and result.out.startswith("gcmreview ")


def test_a_warning_shared_by_many_documents_is_one_line(run_cli, tmp_path: Path) -> None:
    """The example has no Arabic objective titles: nine documents, one line about it."""
    ws = copy_workspace(tmp_path / "ws")
    result = run_cli("build", "--all", "--lang", "ar", "--format", "md", "--out", "out", cwd=ws)
    assert result.code == 0, result.err
    titles = [line for line in result.err.splitlines() if "objectives 1–23" in line]
    assert titles == [
        "warning: DZ.ar, IQ.ar, KM.ar and 6 others: the titles of objectives 1–23 have no "
        "official Arabic text in the catalogue: they are shown in English, marked (EN)"]


def test_build_a_state_without_a_review_file_says_so(run_cli, tmp_path: Path) -> None:
    from .conftest import copy_workspace

    ws = copy_workspace(tmp_path / "ws", countries=("MA",))
    result = run_cli("build", "--country", "DZ", "--format", "md", cwd=ws)
    assert result.code == 2
    assert "DZ has no review file yet (countries/DZ.yaml)" in result.err
    assert "gcmreview new DZ" in result.err
    unknown = run_cli("build", "--country", "XX", "--format", "md", cwd=ws)
    assert unknown.code == 2 and "is not a country of this workspace" in unknown.err


def test_the_garbage_collector_runs_less_often_than_pythons_default(run_cli) -> None:
    """A build holds every review it loaded: collecting at Python's default pace went
    through them again and again (gcmreview.cli.GC_THRESHOLDS)."""
    import gc

    from gcmreview.cli import GC_THRESHOLDS

    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        assert run_cli("--version").code == 0
        assert gc.get_threshold() == GC_THRESHOLDS
    finally:
        gc.set_threshold(*before)
