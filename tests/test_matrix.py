"""`gcmreview coverage`: the matrix on real workspaces, and --diff against real git refs."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from gcmreview.core.errors import InputError
from gcmreview.load import catalogue as cat
from gcmreview.load.loader import load_bytes
from gcmreview.validate.checks import Options
from gcmreview.validate.run import reviews_at

from .conftest import unescaped
from .gitrepo import commit_all, git, init_repo

CONFIG = "region: Test region\ncycle: 2020\nparticipants: [MA, DZ, TN, LB]\n"


def review(code: str, objectives: dict[int, tuple[str | None, str]],
           principles: dict[str, str] | None = None) -> str:
    """A review file: objectives as number -> (status, narrative), principles as slug -> text."""
    lines = [f"country: {code}", "review:", "  cycle: 2020", "  language: en", "  status: draft"]
    lines.append("objectives:" if objectives else "objectives: {}")
    for n, (status, text) in objectives.items():
        lines.append(f"  {n}:")
        if status is not None:
            lines.append(f"    status: {status}")
        if status == "not_applicable":
            lines += ['    summary: ""', f"    justification: {json.dumps(text)}"]
        else:
            lines.append(f"    summary: {json.dumps(text)}")
    if principles:
        lines.append("principles:")
        for slug, text in principles.items():
            lines += [f"  {slug}:", f"    summary: {json.dumps(text)}"]
    return "\n".join(lines) + "\n"


def write(ws: Path, code: str, text: str) -> None:
    (ws / "countries").mkdir(parents=True, exist_ok=True)
    (ws / "countries" / f"{code}.yaml").write_text(text, encoding="utf-8")


MA_BASE = review("MA", {
    5: ("planned", "A strategy is being drafted."),
    7: ("in_progress", "Reception centres opened in three regions."),
    10: ("planned", "A law on trafficking is planned."),
    12: ("not_started", "Screening procedures will follow the strategy."),
}, {"human-rights": "Rights-based.", "whole-of-society": "Civil society consulted."})

MA_PR = review("MA", {
    5: ("in_progress", "A strategy is being drafted."),
    7: ("in_progress", "Reception centres opened in five regions."),
    12: ("not_started", "Screening procedures will follow the strategy."),
    15: ("implemented", "Basic services are open to all migrants."),
}, {"human-rights": "Rights-based.", "rule-of-law": "Courts review every detention."})

DZ = review("DZ", {1: ("in_progress", "A migration data unit was set up.")})
TN = review("TN", {7: ("planned", "Two centres are planned.")})


@pytest.fixture
def pr_repo(tmp_path: Path) -> Path:
    """A review repository: MA and DZ on main, then a branch changing MA and adding TN."""
    repo = init_repo(tmp_path / "repo")
    (repo / "gcmreview.yaml").write_text(CONFIG, encoding="utf-8")
    write(repo, "MA", MA_BASE)
    write(repo, "DZ", DZ)
    commit_all(repo, "MA and DZ")
    git(repo, "switch", "-q", "-c", "review-ma")
    write(repo, "MA", MA_PR)
    write(repo, "TN", TN)
    commit_all(repo, "MA revised, TN added")
    return repo


def test_diff_json_per_state(run_cli, pr_repo: Path) -> None:
    result = run_cli("coverage", "--diff", "main", "--format", "json", cwd=pr_repo)
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert doc["version"] == 1
    assert doc["base"] == "main"
    assert doc["base_commit"] == git(pr_repo, "rev-parse", "main").strip()
    assert doc["regression"] is True
    states = {s["country"]: s for s in doc["states"]}
    assert list(states) == ["DZ", "MA", "TN"]
    ma = states["MA"]
    assert ma["change"] == "changed" and ma["regression"] is True
    assert ma["before"] == {"objectives": 4, "principles": 2}
    assert ma["after"] == {"objectives": 4, "principles": 2}
    assert ma["objectives"] == {
        "newly_covered": [15],
        "regressed": [10],
        "moved_back": [],
        "status_changed": [{"objective": 5, "before": "planned", "after": "in_progress"}],
        "narratives_changed": [7],
    }
    assert ma["principles"] == {"newly_covered": ["rule-of-law"],
                                "regressed": ["whole-of-society"], "narratives_changed": []}
    assert states["DZ"]["change"] == "unchanged" and not states["DZ"]["regression"]
    assert states["TN"]["change"] == "added" and states["TN"]["before"] is None
    assert states["TN"]["objectives"]["newly_covered"] == [7]
    assert doc["not_submitted"] == ["LB"]


def test_fail_on_regression(run_cli, pr_repo: Path) -> None:
    failed = run_cli("coverage", "--diff", "main", "--fail-on-regression", cwd=pr_repo)
    assert failed.code == 1
    assert ("MA: no longer covers objective 10 and the guiding principle (j) Whole-of-society "
            "approach (it now covers objective 15 and the guiding principle (d) Rule of law and "
            "due process)") in failed.err
    assert "no longer covers objective 10" in failed.out
    same = run_cli("coverage", "--diff", "HEAD", "--fail-on-regression", cwd=pr_repo)
    assert same.code == 0, same.err
    assert "no change in coverage" in same.out


def test_additions_only_are_not_a_regression(run_cli, pr_repo: Path) -> None:
    write(pr_repo, "MA", MA_BASE.replace("objectives:\n", "objectives:\n  3:\n    status: planned"
                                         "\n    summary: Pre-departure courses.\n", 1))
    result = run_cli("coverage", "--diff", "main", "--fail-on-regression", "-f", "json",
                     cwd=pr_repo)
    assert result.code == 0
    ma = next(s for s in json.loads(result.out)["states"] if s["country"] == "MA")
    assert ma["objectives"]["newly_covered"] == [3]
    assert ma["after"]["objectives"] == 5


def test_a_status_moved_back_is_a_regression_as_in_progress(run_cli, pr_repo: Path) -> None:
    """One meaning of "regression" for `coverage --diff` and `progress` (one comparison,
    gcmreview.model.changes): a status moved back counts, as a lost objective does."""
    write(pr_repo, "MA", MA_BASE.replace("7:\n    status: in_progress", "7:\n    status: planned"))
    result = run_cli("coverage", "--diff", "main", "--fail-on-regression", "-f", "json",
                     cwd=pr_repo)
    assert result.code == 1
    ma = next(s for s in json.loads(result.out)["states"] if s["country"] == "MA")
    assert ma["regression"] is True and ma["objectives"]["moved_back"] == [7]
    assert ma["objectives"]["regressed"] == []
    assert "MA: objective 7 (in progress → planned) moved back" in result.err

    from gcmreview.model.changes import compare
    from gcmreview.model.matrix import snapshot
    catalogue = cat.builtin()
    loaded = {name: load_bytes(text.encode(), Path(f"{name}.yaml"), f"{name}.yaml")
              for name, text in (("then", MA_BASE), ("now", MA_BASE.replace(
                  "7:\n    status: in_progress", "7:\n    status: planned")))}
    from gcmreview.validate.checks import check_loaded
    states = {name: snapshot([check_loaded(f, catalogue, Options())], catalogue)
              .states[f"{name}"] for name, f in loaded.items()}
    change = compare("MA", states["then"], states["now"], list(catalogue.principles))
    assert change.regression and change.of_kind("back") == (7,)


def test_removed_state_is_a_regression(run_cli, pr_repo: Path) -> None:
    (pr_repo / "countries" / "DZ.yaml").unlink()
    result = run_cli("coverage", "--diff", "main", "-f", "json", "--fail-on-regression",
                     cwd=pr_repo)
    assert result.code == 1
    dz = next(s for s in json.loads(result.out)["states"] if s["country"] == "DZ")
    assert dz["change"] == "removed" and dz["after"] is None
    assert dz["objectives"]["regressed"] == [1]


def test_diff_markdown_summary(run_cli, pr_repo: Path) -> None:
    result = run_cli("coverage", "--diff", "main", "--format", "markdown", cwd=pr_repo)
    assert result.code == 0
    md = unescaped(result.out)
    assert md.startswith("## GCM review coverage: Test region, cycle 2020\n")
    assert "**Regressions against main:**" in md
    assert "| State | Name | Objectives | Principles | Against main |" in md
    assert "| MA | Morocco | 4/23 | 2/10 | **regression**, changed |" in md
    assert "| TN | Tunisia | 1/23 (+1) | 0/10 | new file |" in md
    assert "| DZ | Algeria | 1/23 | 0/10 |  |" in md
    assert "| LB | Lebanon | – | – | not submitted |" in md
    changes = md.split("### Changes against main (", 1)[1]
    assert "- **MA** (Morocco)\n" in changes
    for line in ("now covers objective 15 (implemented)", "no longer covers objective 10",
                 "status changed: 5: planned → in progress", "text changed for objective 7",
                 "now covers the guiding principles: (d) Rule of law and due process",
                 "no longer covers the guiding principles: (j) Whole-of-society approach"):
        assert f"  - {line}\n" in changes
    assert "- **TN** (Tunisia)\n  - new review file\n" in changes
    assert "**DZ**" not in changes  # unchanged States are only in the table


def test_diff_against_ref_without_countries_folder(run_cli, tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    (repo / "gcmreview.yaml").write_text(CONFIG, encoding="utf-8")
    commit_all(repo, "empty workspace")
    write(repo, "MA", MA_BASE)
    result = run_cli("coverage", "--diff", "HEAD", "-f", "json", cwd=repo)
    assert result.code == 0, result.err
    (ma,) = json.loads(result.out)["states"]
    assert ma["change"] == "added"


def test_workspace_in_a_subfolder_of_the_repository(run_cli, tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    ws = repo / "reviews" / "arab-2020"
    ws.mkdir(parents=True)
    (ws / "gcmreview.yaml").write_text(CONFIG, encoding="utf-8")
    write(ws, "MA", MA_BASE)
    commit_all(repo, "base")
    write(ws, "MA", MA_PR)
    result = run_cli("coverage", "--diff", "HEAD", "-f", "json", cwd=ws / "countries")
    assert result.code == 0, result.err
    (ma,) = json.loads(result.out)["states"]
    assert ma["objectives"]["regressed"] == [10]


def test_unreadable_file_at_the_ref_and_now(run_cli, pr_repo: Path) -> None:
    write(pr_repo, "DZ", "country: DZ\nreview: [unclosed\n")
    commit_all(pr_repo, "broken DZ")
    write(pr_repo, "DZ", DZ)
    result = run_cli("coverage", "--diff", "HEAD", "-f", "json", cwd=pr_repo)
    assert result.code == 0, result.err
    dz = next(s for s in json.loads(result.out)["states"] if s["country"] == "DZ")
    assert dz["objectives"]["newly_covered"] == [1]
    write(pr_repo, "DZ", "\xff not yaml: [")
    table = run_cli("coverage", "--diff", "main", cwd=pr_repo)
    assert table.code == 0
    assert "the file cannot be read" in table.out
    matrix = run_cli("coverage", "-f", "csv", cwd=pr_repo)
    assert "DZ,yes,yes,no,,," in matrix.out


@pytest.mark.parametrize(("args", "message"), [
    (("--diff", "no-such-branch"), "git knows no ref “no-such-branch”"),
    (("--diff", "--fail-on-regression"), "is not a git ref"),
    (("--fail-on-regression",), "--fail-on-regression needs --diff REF"),
    (("--diff", "main", "--format", "csv"), "--diff has no csv output"),
])
def test_usage_errors(run_cli, pr_repo: Path, args: tuple[str, ...], message: str) -> None:
    result = run_cli("coverage", *args, cwd=pr_repo)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err


def test_not_a_git_repository(run_cli, tmp_path: Path) -> None:
    (tmp_path / "gcmreview.yaml").write_text(CONFIG, encoding="utf-8")
    write(tmp_path, "MA", MA_BASE)
    result = run_cli("coverage", "--diff", "main", cwd=tmp_path)
    assert result.code == 2
    assert "countries is not inside a git repository" in result.err
    assert "Traceback" not in result.err
    assert run_cli("coverage", cwd=tmp_path / "countries").code == 0  # the matrix needs no git


def test_no_workspace(run_cli, tmp_path: Path) -> None:
    result = run_cli("coverage", cwd=tmp_path)
    assert result.code == 2 and "no workspace found" in result.err


def test_reviews_at_reads_blobs_not_the_working_tree(pr_repo: Path) -> None:
    (pr_repo / "countries" / "MA.yaml").unlink()
    files = reviews_at("main", pr_repo / "countries", cat.builtin(), Options())
    assert [f.shown_as for f in files.files] == ["main:countries/DZ.yaml",
                                                 "main:countries/MA.yaml"]
    ma = files.files[1]
    assert ma.country == "MA" and ma.valid
    assert ma.coverage is not None and ma.coverage.objectives_covered == (5, 7, 10, 12)
    with pytest.raises(InputError, match="is not a git ref"):
        reviews_at("-p", pr_repo / "countries", cat.builtin(), Options())


def test_load_blob_checks_encoding() -> None:
    shown = "main:countries/MA.yaml"
    loaded = load_bytes("country: MA\nnote: caf\xe9\n".encode("latin-1"), Path(shown), shown)
    assert loaded.data is None
    assert [d.code for d in loaded.diagnostics] == ["encoding"]


# --- the matrix -------------------------------------------------------------------------

def test_matrix_json_on_the_example(run_cli) -> None:
    result = run_cli("coverage", "--format", "json")
    assert result.code == 0
    doc = json.loads(result.out)
    assert doc["version"] == 1 and doc["region"] == "Arab region" and doc["cycle"] == 2020
    assert doc["objectives"] == list(range(1, 24)) and len(doc["principles"]) == 10
    states = {s["country"]: s for s in doc["states"]}
    assert len(states) == 15  # every participant, with or without a file
    ma = states["MA"]
    assert ma["submitted"] and ma["valid"] and ma["path"] == "countries/MA.yaml"
    assert {k: v for k, v in ma["objectives"]["cells"].items() if v} == {
        "5": "not_stated", "10": "not_stated", "21": "not_stated", "23": "in_progress"}
    assert ma["objectives"]["covered"] == 4 and ma["principles"]["covered"] == 4
    assert ma["principles"]["cells"]["whole-of-society"] is True
    bh = states["BH"]
    assert bh == {**bh, "submitted": False, "path": None, "valid": None, "readable": False}


def test_the_legend_names_principles_in_the_users_language(run_cli, tmp_path: Path,
                                                           monkeypatch) -> None:
    (tmp_path / "gcmreview.yaml").write_text(CONFIG, encoding="utf-8")
    write(tmp_path, "MA", review("MA", {1: ("implemented", "Done.")}, {"rule-of-law": "C."}))
    monkeypatch.setenv("GCMREVIEW_LANG", "fr")
    table = run_cli("coverage", cwd=tmp_path).out
    assert "◇ renseigné, état d'avancement non indiqué" in table
    assert "d) Primauté du droit et garanties d’une procédure régulière" in table
    assert "rule-of-law" not in table
    md = unescaped(run_cli("coverage", "--format", "markdown", cwd=tmp_path).out)
    assert "| MA | Maroc |" in md  # the summary names the States in French too


def test_matrix_cells_and_csv(run_cli, tmp_path: Path) -> None:
    (tmp_path / "gcmreview.yaml").write_text(CONFIG, encoding="utf-8")
    write(tmp_path, "MA", review("MA", {
        1: ("implemented", "Done."), 2: ("in_progress", "Under way."), 3: ("planned", "Soon."),
        4: ("not_started", "Later."), 5: ("not_applicable", "No land borders."),
        6: ("in_progress", "TODO: write this"), 7: ("done", "A status the format lacks."),
        8: (None, "No status given."),
    }, {"rule-of-law": "Courts."}))
    write(tmp_path, "FR", review("FR", {}))  # a file from outside the participants
    result = run_cli("coverage", "--format", "csv", cwd=tmp_path)
    assert result.code == 0
    rows = {r["country"]: r for r in csv.DictReader(io.StringIO(result.out))}
    assert list(rows) == ["DZ", "FR", "LB", "MA", "TN"]
    ma = rows["MA"]
    assert [ma[f"o{n}"] for n in range(1, 10)] == [
        "implemented", "in_progress", "planned", "not_started", "not_applicable",
        "no_narrative", "invalid_status", "not_stated", ""]
    assert ma["objectives_covered"] == "7" and ma["valid"] == "no"
    assert ma["p:rule-of-law"] == "yes" and ma["p:human-rights"] == "no"
    assert rows["FR"]["participant"] == "no" and rows["FR"]["submitted"] == "yes"
    assert rows["DZ"] == {**rows["DZ"], "submitted": "no", "valid": "", "o1": "",
                          "p:rule-of-law": ""}
    table = run_cli("coverage", cwd=tmp_path)
    line = next(ln for ln in table.out.splitlines() if ln.startswith("MA "))
    assert line.split()[1:10] == ["●", "◐", "○", "·", "–", "?", "!", "◇", "7/23"]
    assert "not a participant" in table.out and "not submitted" in table.out
    assert "Objectives: ● implemented, ◐ in progress, ○ planned, · not started" in table.out
    assert "(d) Rule of law and due process" in table.out
    md = unescaped(run_cli("coverage", "--format", "markdown", cwd=tmp_path).out)
    assert "| MA | Morocco | ● | ◐ | ○ | · | – | ? | ! | ◇ |" in md
    assert "| DZ | Algeria |" + "  |" * 23 + " – | not submitted |" in md
    assert "Legend: ● implemented" in md and "(d) Rule of law and due process" in md
