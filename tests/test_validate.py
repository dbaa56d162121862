"""validate: exact diagnostics on real files, coverage, strictness and reporters."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from gcmreview.core.diagnostics import Severity
from gcmreview.load import catalogue as cat
from gcmreview.validate.checks import Options
from gcmreview.validate.run import validate_files

from .conftest import DATA, ROOT


def run(path: Path, **options: object):
    return validate_files([path], cat.builtin(), Options(**options))  # type: ignore[arg-type]


def positions(result) -> list[str]:
    return [f"{d.position.line}:{d.position.column} {d.severity.value}[{d.code}]"
            for d in result.diagnostics]


def test_valid_file_has_no_errors() -> None:
    result = run(DATA / "valid" / "MA.yaml")
    assert result.exit_code == 0
    (file,) = result.files
    assert file.valid
    assert file.coverage is not None
    assert file.coverage.objectives_covered == (1, 7, 22)  # 22: not_applicable, justified
    assert file.coverage.principles_covered == ("people-centred", "whole-of-government")
    assert file.coverage.principles_via_objectives == {
        "people-centred": (1,), "whole-of-government": (1,)}
    assert {d.code for d in result.diagnostics} == {"objectives-missing", "principles-missing"}
    assert all(d.severity is Severity.WARNING for d in result.diagnostics)


def test_many_problems_reported_at_once_with_positions() -> None:
    result = run(DATA / "invalid" / "many.yaml")
    expected = (DATA / "invalid" / "many.expected").read_text().splitlines()
    assert positions(result) == expected
    assert result.exit_code == 1


@pytest.mark.parametrize(("name", "expected"), [
    ("latin1.yaml", ["6:28 error[encoding]"]),
    ("duplicate.yaml", ["5:3 error[duplicate-key]"]),
    ("alias.yaml", ["2:9 error[yaml-alias]"]),
    ("syntax.yaml", ["3:11 error[yaml-syntax]"]),
])
def test_files_that_do_not_load(name: str, expected: list[str]) -> None:
    assert positions(run(DATA / "invalid" / name)) == expected


def test_did_you_mean_and_hints() -> None:
    messages = {d.code: d for d in run(DATA / "invalid" / "many.yaml").diagnostics}
    assert "did you mean `people-centred`" in messages["unknown-principle"].message
    assert "did you mean `summary`" in messages["unknown-key"].message
    assert "remove the quotes" in (messages["objective-key-quoted"].hint or "")
    assert "justification" in (messages["missing-justification"].hint or "")


def test_country_code_checks() -> None:
    xx = positions(run(DATA / "invalid" / "XX.yaml"))
    assert "1:10 error[unknown-country]" in xx
    # `country: NO` is Norway (a string), and the file name says DZ
    dz = run(DATA / "invalid" / "DZ.yaml")
    assert "1:10 error[country-mismatch]" in positions(dz)
    assert "review of NO" in next(d.message for d in dz.diagnostics
                                  if d.code == "country-mismatch")


def test_uk_hint() -> None:
    from gcmreview.load.loader import load_text
    from gcmreview.validate.checks import check_loaded

    loaded = load_text("country: UK\nreview: {cycle: 2024, language: en, status: draft}\n"
                       "objectives: {}\n", "UK.yaml")
    result = check_loaded(loaded, cat.builtin(), Options())
    (d,) = [d for d in result.diagnostics if d.code == "unknown-country"]
    assert d.hint == "write GB"


def test_strict_turns_gaps_into_errors() -> None:
    loose = run(DATA / "valid" / "MA.yaml")
    strict = run(DATA / "valid" / "MA.yaml", strict=True)
    assert loose.exit_code == 0 and strict.exit_code == 1
    assert {d.code for d in strict.diagnostics if d.severity is Severity.ERROR} == {
        "objectives-missing", "principles-missing"}


def test_min_coverage() -> None:
    assert run(DATA / "valid" / "MA.yaml", min_coverage=10).exit_code == 0
    low = run(DATA / "valid" / "MA.yaml", min_coverage=50)
    assert low.exit_code == 1
    (d,) = [d for d in low.diagnostics if d.code == "coverage-below-minimum"]
    assert "13%" in d.message and "50%" in d.message


def test_example_workspace_is_valid_and_partial() -> None:
    files = sorted((ROOT / "countries").glob("*.yaml"))
    participants = ("DZ", "BH", "KM", "EG", "IQ", "LB", "LY", "MR", "MA", "PS", "QA", "SO",
                    "SD", "SY", "TN")
    result = validate_files(files, cat.builtin(),
                            Options(participants=participants, report_missing=True, cycle=2020))
    assert [f.country for f in result.files] == ["DZ", "IQ", "KM", "LB", "LY", "MA", "SY", "TN"]
    assert result.count(Severity.ERROR) == 0
    assert result.not_submitted == ("BH", "EG", "MR", "PS", "QA", "SO", "SD")
    for f in result.files:
        assert f.coverage is not None
        assert len(f.coverage.objectives_covered) < 23  # partial, as the report is
    strict = validate_files(files, cat.builtin(), Options(strict=True))
    assert strict.exit_code == 1


def test_hostile_markup_is_flagged_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "MA.yaml"
    path.write_text(
        "country: MA\nreview: {cycle: 2024, language: en, status: draft}\n"
        "objectives:\n  1:\n    status: planned\n    summary: |\n"
        "      <script>alert(1)</script> ![x](/etc/passwd)\n", encoding="utf-8")
    result = run(path)
    codes = {d.code for d in result.diagnostics}
    assert {"raw-markup", "narrative-image"} <= codes
    assert result.exit_code == 0


def test_json_shape_is_stable(run_cli) -> None:
    result = run_cli("validate", "--format", "json", str(DATA / "invalid" / "many.yaml"))
    assert result.code == 1
    doc = json.loads(result.out)
    assert doc["version"] == 1 and doc["valid"] is False
    assert set(doc) == {"version", "valid", "summary", "files", "not_submitted", "data",
                        "diagnostics"}
    assert set(doc["summary"]) == {"files", "data_files", "errors", "warnings"}
    assert set(doc["diagnostics"][0]) == {"path", "line", "column", "severity", "code",
                                         "message", "hint"}
    assert doc["files"][0]["coverage"]["objectives"]["total"] == 23


def test_strict_promotes_every_warning(tmp_path: Path) -> None:
    path = tmp_path / "MA.yaml"
    path.write_text("country: MA\nreview: {cycle: 2024, language: en, status: draft}\n"
                    "objectives: {}\ncovid19: {summary: ''}\n", encoding="utf-8")
    strict = run(path, strict=True)
    assert {d.severity for d in strict.diagnostics} == {Severity.ERROR}
    assert "empty-narrative" in {d.code for d in strict.diagnostics}


def test_impossible_date_and_cycle_mismatch(tmp_path: Path) -> None:
    path = tmp_path / "MA.yaml"
    path.write_text('country: MA\nreview: {cycle: 2024, language: en, status: draft, '
                    'date: "2023-02-29"}\nobjectives: {}\n', encoding="utf-8")
    found = positions(run(path, cycle=2020))
    assert "2:58 error[invalid-value]" in found
    assert "2:17 warning[cycle-mismatch]" in found


def test_autolinks_are_not_raw_markup(tmp_path: Path) -> None:
    path = tmp_path / "MA.yaml"
    path.write_text("country: MA\nreview: {cycle: 2024, language: en, status: draft}\n"
                    "objectives:\n  1: {status: planned, summary: 'See <https://iom.int> or "
                    "<info@iom.int>, and 3 < 4.'}\n", encoding="utf-8")
    assert "raw-markup" not in {d.code for d in run(path).diagnostics}


def test_problems_are_capped(tmp_path: Path) -> None:
    path = tmp_path / "MA.yaml"
    path.write_text("country: MA\nreview: {cycle: 2024, language: en, status: draft}\n"
                    "objectives:\n  7: {status: planned, summary: x, challenges: ["
                    + ", ".join(["1"] * 5000) + "]}\n", encoding="utf-8")
    codes = [d.code for d in run(path).diagnostics]
    assert codes.count("wrong-type") == 200
    assert codes.count("too-many-problems") == 1


def test_two_files_for_one_state_are_both_errors(tmp_path: Path, run_cli) -> None:
    for name in ("MA.yaml", "MA.yml"):
        (tmp_path / name).write_bytes((DATA / "valid" / "MA.yaml").read_bytes())
    result = run_cli("validate", ".", cwd=tmp_path)
    assert result.code == 1
    found = [line for line in result.out.splitlines() if "duplicate-review" in line]
    assert found == [
        "MA.yaml:2:10: error[duplicate-review]: another file is also the review of MA: MA.yml",
        "MA.yml:2:10: error[duplicate-review]: another file is also the review of MA: MA.yaml",
    ]


def test_a_file_checked_alone_is_compared_with_its_twin(tmp_path: Path, run_cli) -> None:
    """pre-commit passes only the files changed: MA.yml alone still meets MA.yaml."""
    for name in ("MA.yaml", "MA.yml"):
        (tmp_path / name).write_bytes((DATA / "valid" / "MA.yaml").read_bytes())
    result = run_cli("validate", "MA.yml", cwd=tmp_path)
    assert result.code == 1
    found = [line for line in result.out.splitlines() if "duplicate-review" in line]
    assert found == [
        "MA.yml:2:10: error[duplicate-review]: another file is also the review of MA: MA.yaml",
    ]
    (tmp_path / "MA.yaml").unlink()
    assert run_cli("validate", "MA.yml", cwd=tmp_path).code == 0


def test_narratives_nested_too_deep_are_refused(tmp_path: Path, run_cli) -> None:
    """Nested brackets make pandoc's reader slow down with the square of the depth (100 KB
    took 69 s); nested quotes and lists stop typst. Refused at validation, so a build never
    meets them; the deepest allowed still makes a PDF."""
    import json

    from gcmreview.core.narrative import MAX_CONTAINERS

    deep = "[" * 2000 + "x" + "]" * 2000
    quoted = "> " * (MAX_CONTAINERS + 1) + "deep"
    listed = "\n".join("  " * i + "- item" for i in range(MAX_CONTAINERS + 1))
    mixed = "- > " * 5 + "deep"
    allowed = "> " * (MAX_CONTAINERS - 4) + "- " * 4 + "deepest allowed"
    lines = ["country: MA", "review: {cycle: 2020, language: fr, status: draft}", "objectives:"]
    for n, text in enumerate((deep, quoted, listed, mixed, allowed), start=5):
        lines.append(f"  {n}: {{status: planned, summary: {json.dumps(text)}}}")
    (tmp_path / "MA.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("validate", "MA.yaml", "--format", "json", cwd=tmp_path)
    found = [(d["line"], d["code"]) for d in json.loads(result.out)["diagnostics"]
             if d["severity"] == "error"]
    assert found == [(line, "narrative-too-deep") for line in (4, 5, 6, 7)]
    assert result.code == 1
    from .conftest import copy_workspace

    ws = copy_workspace(tmp_path / "ws", ())
    shutil.copy(tmp_path / "MA.yaml", ws / "countries" / "MA.yaml")
    built = run_cli("build", "--country", "MA", "--format", "md", "--out", "out", cwd=ws)
    assert built.code == 1 and "not built MA" in built.err
    # The deepest a narrative may go still typesets.
    (ws / "countries" / "MA.yaml").write_text("\n".join([*lines[:3], lines[-1]]) + "\n",
                                              encoding="utf-8")
    built = run_cli("build", "--country", "MA", "--format", "pdf", "--out", "out", cwd=ws)
    assert built.code == 0, built.err


def test_covered_and_not_reported_add_up(tmp_path: Path, run_cli) -> None:
    """An objective listed without a narrative (here its `summary` key starts with an
    invisible mark) is not covered: it is among the numbers not reported."""
    import json

    (tmp_path / "EG.yaml").write_text(
        "country: EG\nreview: {cycle: 2020, language: ar, status: draft}\nobjectives:\n"
        "  14:\n    status: implemented\n    \u200fsummary: نص\n  15:\n    status: planned\n"
        "    summary: نص\n", encoding="utf-8")
    doc = json.loads(run_cli("validate", "EG.yaml", "--format", "json", cwd=tmp_path).out)
    (missing,) = [d for d in doc["diagnostics"] if d["code"] == "objectives-missing"]
    assert missing["message"] == "1/23 objectives covered; not reported: 1–14, 16–23"
    (principles,) = [d for d in doc["diagnostics"] if d["code"] == "principles-missing"]
    # The letters readers know (as ranges, as objectives' numbers); the keys the file
    # uses are the hint's.
    assert principles["message"].endswith("not reported: (a)–(j)")
    assert "`gcmreview catalogue` lists their keys" in principles["hint"]


def test_many_files_validate_in_parallel_without_noise(tmp_path: Path) -> None:
    """The worker pool ends its workers with SIGTERM: they must not take it for the
    interruption the command itself handles (a traceback per worker, seen)."""
    import subprocess
    import sys

    from gcmreview.validate.run import PARALLEL_MIN_FILES

    text = (DATA / "valid" / "MA.yaml").read_text(encoding="utf-8")
    for i in range(PARALLEL_MIN_FILES * 2):
        (tmp_path / f"MA{i}.yaml").write_text(text, encoding="utf-8")
    for _ in range(3):
        done = subprocess.run([sys.executable, "-m", "gcmreview", "validate", "."],
                              cwd=tmp_path, capture_output=True, text=True)
        assert done.returncode == 1  # every file is named after another State
        assert "Traceback" not in done.stderr and "KeyboardInterrupt" not in done.stderr


def test_pool_workers_end_at_sigterm_whatever_they_are_doing() -> None:
    """The command's SIGTERM handler is Python's, run between bytecodes: a worker blocked on
    the pool's queue when SIGTERM came never ran it, and hung (seen). Workers start with
    SIGTERM at its default, so the signal ends them at once."""
    import multiprocessing
    import signal

    from gcmreview.validate.run import _worker_started

    previous = signal.signal(signal.SIGTERM, lambda *_args: None)  # as the CLI sets one
    try:
        pool = multiprocessing.get_context("fork").Pool(1, initializer=_worker_started)
        try:
            assert pool.apply(signal.getsignal, (signal.SIGTERM,)) == signal.SIG_DFL
            pool.close()
        finally:
            pool.join()
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_a_partners_statement_is_not_the_states_report(tmp_path: Path) -> None:
    """The example's Tunisia: what an IOM office said at the workshop is not Tunisia's
    review; validate counts it apart, and says so."""
    import os
    import subprocess
    import sys

    shutil.copy(ROOT / "countries" / "TN.yaml", tmp_path / "TN.yaml")
    done = subprocess.run([sys.executable, "-m", "gcmreview", "validate", "TN.yaml"],
                          cwd=tmp_path, capture_output=True, text=True,
                          env={**os.environ, "GCMREVIEW_LANG": "en"})
    assert ("0/23 objectives covered; not reported: 1–23 (a partner's statement, not the "
            "State's, on 7, 15, 21)") in done.stdout
    machine = subprocess.run([sys.executable, "-m", "gcmreview", "validate", "TN.yaml", "-f",
                              "json"], cwd=tmp_path, capture_output=True, text=True)
    objectives = json.loads(machine.stdout)["files"][0]["coverage"]["objectives"]
    assert objectives["covered"] == [] and objectives["by_partners_only"] == [7, 15, 21]


def test_an_acronym_not_spelled_out_is_named_where_first_used(tmp_path: Path,
                                                             run_cli) -> None:
    """Reports list the acronyms they use: validate names one the workspace does not spell
    out, once per file, at its first use; a workspace without a list is not flooded."""
    from .conftest import copy_workspace

    ws = copy_workspace(tmp_path / "ws", ("MA",))
    config = ws / "gcmreview.yaml"
    text = config.read_text(encoding="utf-8")
    assert "  OIM: " in text
    config.write_text("\n".join(line for line in text.splitlines()
                                if not line.startswith("  OIM: ")) + "\n", encoding="utf-8")
    review = ws / "countries" / "MA.yaml"
    lines = review.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines)
                 if re.search(r"\bOIM\b", line) and not line.startswith("#"))
    result = run_cli("validate", "countries/MA.yaml", cwd=ws)
    warnings = [line for line in result.out.splitlines() if "acronym-undefined" in line]
    assert len(warnings) == 1, result.out
    assert warnings[0].startswith(f"countries/MA.yaml:{first + 1}:")
    assert "uses the acronym OIM, which gcmreview.yaml does not spell out" in warnings[0]
    assert "add it under `acronyms:` in gcmreview.yaml" in result.out
    # Without an `acronyms:` list, no such warning at all.
    config.write_text(text.split("acronyms:")[0], encoding="utf-8")
    result = run_cli("validate", "countries/MA.yaml", cwd=ws)
    assert "acronym-undefined" not in result.out


def test_guiding_principles_are_named_in_the_users_language(tmp_path: Path, run_cli,
                                                            monkeypatch) -> None:
    """Issue 20, point 8: a French reader reads the principles' French names (their keys
    go in the hint), not English slugs; many missing read as letter ranges."""
    principles = {slug: {"summary": "Texte."} for slug in (
        "people-centred", "national-sovereignty", "rule-of-law", "sustainable-development",
        "human-rights", "gender-responsive", "child-sensitive", "whole-of-government")}
    review = {"country": "MA", "review": {"cycle": 2020, "language": "fr", "status": "draft"},
              "principles": principles}
    import yaml

    (tmp_path / "MA.yaml").write_text(yaml.safe_dump(review, allow_unicode=True),
                                      encoding="utf-8")
    monkeypatch.setenv("GCMREVIEW_LANG", "fr")
    out = run_cli("validate", "MA.yaml", cwd=tmp_path).out
    assert ("non renseignés : b) Coopération internationale, j) Approche mobilisant "
            "l’ensemble de la société") in out
    assert "(clés : international-cooperation, whole-of-society)" in out
    assert "(b) international-cooperation" not in out


def test_asking_only_whether_a_file_is_valid_leaves_out_warnings_alone() -> None:
    """`translate` checks a review with warnings=False: the same errors, so the same
    verdict, for every file the tests hold (and with --strict, warnings stay errors)."""
    from gcmreview.load.loader import load_file
    from gcmreview.validate.checks import check_loaded

    files = sorted((DATA).glob("*/**/*.yaml")) + sorted((ROOT / "countries").glob("*.yaml"))
    assert len(files) > 30
    catalogue = cat.builtin()
    for path in files:
        loaded = load_file(path, path.name)
        full = check_loaded(loaded, catalogue, Options())
        lean = check_loaded(loaded, catalogue, Options(warnings=False))
        errors = [d for d in full.diagnostics if d.severity is Severity.ERROR]
        assert [d for d in lean.diagnostics if d.severity is Severity.ERROR] == errors, path
        assert lean.valid == full.valid
        strict = check_loaded(loaded, catalogue, Options(strict=True, warnings=False))
        assert strict.diagnostics == check_loaded(loaded, catalogue,
                                                  Options(strict=True)).diagnostics


def test_a_footnote_that_calls_a_footnote_is_refused(tmp_path: Path, run_cli) -> None:
    """pandoc 3.9 loops for ever on a note whose text calls a note (itself or another),
    in any format: validate refuses it, with its place, so a build never meets it (a
    definition in a block quote or a list item too). A note called twice from the text,
    and a note after the notes, are fine."""
    import json

    cases = ["A[^a].\n\n[^a]: self [^a]",
             "A[^a] B[^b].\n\n[^a]: see [^b]\n[^b]: back [^a]",
             "A[^a].\n\n[^a]: a first line\n    an indented one [^a]",
             "A[^a] and again[^a].\n\n[^a]: a note.\n\nMore text[^b].\n\n[^b]: another.",
             # In a block quote or a list item too (pandoc loops on both):
             "A[^a].\n\n> [^a]: x\n> more[^a]", "A[^a].\n\n- [^a]: x[^a]",
             "A[^a].\n\n[^\u00a0a]: first\n\n> [^a]: x[^a]"]
    lines = ["country: MA", "review: {cycle: 2020, language: fr, status: draft}", "objectives:"]
    for n, text in enumerate(cases, start=1):
        lines.append(f"  {n}: {{status: planned, summary: {json.dumps(text)}}}")
    (tmp_path / "MA.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("validate", "MA.yaml", "--format", "json", cwd=tmp_path)
    found = [(d["line"], d["column"] > 1, d["code"])
             for d in json.loads(result.out)["diagnostics"] if d["severity"] == "error"]
    assert found == [(line, True, "narrative-note-in-note") for line in (4, 5, 6, 8, 9, 10)]
    assert result.code == 1
    text = run_cli("validate", "MA.yaml", cwd=tmp_path)
    assert "MA.yaml:4:" in text.out and "write the note's text without [^…] in it" in text.out
