"""`gcmreview init` and the pull-request workflow it sets up: the generated CI workflow
(checked against GitHub's schema and run step by step in a real git repository) and
the pre-commit hook (run through pre-commit itself, offline)."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from gcmreview.load.loader import load_text
from gcmreview.validate.workspace import load_workspace

from .conftest import ROOT, unescaped
from .gitrepo import ISOLATED, commit_all, git, init_repo
from .test_matrix import DZ, MA_BASE, MA_PR, TN, write

WORKFLOW = ".github/workflows/gcmreview.yml"


def init(run_cli, target: Path, *extra: str) -> Path:
    result = run_cli("init", str(target), "--region", "Région arabe", "--cycle", "2026",
                     "--participants", "ma, dz,TN", *extra, cwd=target.parent)
    assert result.code == 0, result.err
    return target


def load_yaml(path: Path) -> Any:
    """With gcmreview's YAML 1.2-like loader: `on:` stays a key, not true."""
    loaded = load_text(path.read_text(encoding="utf-8"), path.name)
    assert loaded.data is not None, loaded.diagnostics
    return loaded.data


def steps(ws: Path) -> dict[str, dict[str, Any]]:
    workflow = load_yaml(ws / WORKFLOW)
    return {s.get("name", s.get("uses")): s for s in workflow["jobs"]["review"]["steps"]}


def tool_path() -> str:
    """PATH with this interpreter's folder first, where `gcmreview` is installed."""
    return os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")


def test_init_writes_a_workspace(run_cli, tmp_path: Path) -> None:
    ws = init(run_cli, tmp_path / "review")
    files = sorted(p.relative_to(ws).as_posix() for p in ws.rglob("*") if p.is_file())
    assert files == [".github/workflows/gcmreview.yml", ".gitignore", ".pre-commit-config.yaml",
                     "README.md", "countries/.gitkeep", "gcmreview.yaml", "review.schema.json",
                     "submissions/.gitkeep"]
    workspace = load_workspace(ws / "gcmreview.yaml")
    assert workspace.region == "Région arabe" and workspace.cycle == 2026
    assert workspace.participants == ("MA", "DZ", "TN")
    assert (ws / "review.schema.json").read_text() == run_cli("schema").out
    readme = (ws / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# Région arabe: voluntary reviews of the Global Compact")
    for step in ("gcmreview new MA", "gcmreview validate countries/MA.yaml", "push it",
                 "pull request", "pre-commit install",
                 # the Word path, first
                 "In Word: nothing to install", "`submissions`", "**Add file > Upload files**",
                 "(`MA.docx`)", "gcmreview form --all", "gcmreview import submissions/MA.docx"):
        assert step in readme
    assert readme.index("In Word") < readme.index("As a review file (YAML)")
    assert "/build/" in (ws / ".gitignore").read_text()
    empty = run_cli("validate", cwd=ws)  # a check that checks nothing must not pass
    assert empty.code == 1 and "there is no review file to check in countries" in empty.err
    validate = run_cli("validate", "--allow-empty", cwd=ws)
    assert validate.code == 0
    assert "Not yet submitted (3 States): MA, DZ, TN" in validate.out
    new = run_cli("new", "MA", cwd=ws)
    assert new.code == 0 and (ws / "countries" / "MA.yaml").is_file()


def test_init_refuses_to_overwrite(run_cli, tmp_path: Path) -> None:
    ws = init(run_cli, tmp_path / "review")
    (ws / "README.md").write_text("ours\n", encoding="utf-8")
    again = run_cli("init", str(ws), "--region", "X", "--cycle", "2026", cwd=tmp_path)
    assert again.code == 2
    assert "already has gcmreview.yaml, README.md" in again.err and "--force" in again.err
    assert (ws / "README.md").read_text() == "ours\n"
    forced = run_cli("init", str(ws), "--region", "X", "--cycle", "2026", "--force",
                     cwd=tmp_path)
    assert forced.code == 0
    assert load_workspace(ws / "gcmreview.yaml").participants == ()


@pytest.mark.parametrize(("args", "message"), [
    (("--cycle", "1999"), "1999 is not the year of a review cycle"),
    (("--cycle", "2026", "--participants", "MA,XX"), "XX is not an ISO 3166-1 country code"),
    (("--cycle", "2026", "--participants", "MA,MA"), "listed twice"),
    (("--cycle", "2026", "--package", "gcmreview; rm -rf /"), "is not something pip can install"),
    (("--cycle", "next"), "--cycle"),
])
def test_init_option_errors(run_cli, tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    result = run_cli("init", str(tmp_path / "ws"), "--region", "R", *args, cwd=tmp_path)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err
    assert not (tmp_path / "ws" / "gcmreview.yaml").exists()


def test_workflow_validates_against_github_schema(run_cli, tmp_path: Path) -> None:
    ws = init(run_cli, tmp_path / "review")
    for schema in ("vendor.github-workflows", "custom.github-workflows-require-timeout"):
        checked = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                                  schema, str(ws / WORKFLOW)], capture_output=True, text=True,
                                 check=False)
        assert checked.returncode == 0, checked.stdout + checked.stderr


def test_workflow_steps(run_cli, tmp_path: Path) -> None:
    ws = init(run_cli, tmp_path / "review")
    workflow = load_yaml(ws / WORKFLOW)
    assert set(workflow["on"]) == {"pull_request", "workflow_dispatch"}
    # Installed from a folder (as in these tests): nothing a runner can install, so the
    # workflow's first step stops and says what to set.
    assert workflow["env"]["GCMREVIEW_PACKAGE"] == ""
    by_name = steps(ws)
    checkout = next(s for s in by_name.values() if s.get("uses") == "actions/checkout@v4")
    assert checkout["with"]["fetch-depth"] == 0
    python = next(s for s in by_name.values() if s.get("uses") == "actions/setup-python@v5")
    assert python["with"]["python-version"] == "3.11"
    install = by_name["Install gcmreview"]["run"]
    assert 'pip install "$GCMREVIEW_PACKAGE"' in install
    stopped = run_step(ws, install, os.environ["PATH"], GCMREVIEW_PACKAGE="")
    assert stopped.returncode == 1  # never a silent `pip install gcmreview` that fails
    assert "::error title=GCMREVIEW_PACKAGE is not set::Set GCMREVIEW_PACKAGE" in stopped.stdout
    assert by_name["Validate the review files"]["run"] == "gcmreview validate --format github"
    summary = by_name["Coverage summary"]
    assert 'gcmreview coverage --diff "origin/$BASE_REF" --format markdown >> ' \
        '"$GITHUB_STEP_SUMMARY"' in summary["run"]
    assert summary["if"] == "${{ !cancelled() && steps.install.outcome == 'success' }}"
    assert workflow["jobs"]["review"]["env"]["BASE_REF"] == "${{ github.base_ref }}"
    upload = by_name["Upload the reports for reviewers"]
    assert upload["uses"] == "actions/upload-artifact@v4"
    assert upload["with"]["path"] == "${{ runner.temp }}/gcmreview-reports/"
    imported = by_name["Upload the imported review files"]
    assert imported["with"]["path"] == "${{ runner.temp }}/gcmreview-imported/"
    names = list(by_name)
    assert names.index("Install gcmreview") \
        < names.index("Import the Word files uploaded to submissions/") \
        < names.index("Validate the review files") < names.index("Coverage summary") \
        < names.index("Build the changed States and the regional report") \
        < names.index("Upload the reports for reviewers")


def test_workflow_pins_the_package(run_cli, tmp_path: Path) -> None:
    spec = "git+https://github.com/gcmreview/gcmreview@v0.1.0"
    ws = init(run_cli, tmp_path / "review", "--package", spec)
    assert load_yaml(ws / WORKFLOW)["env"]["GCMREVIEW_PACKAGE"] == spec


@pytest.fixture
def pull_request(run_cli, tmp_path: Path) -> Path:
    """An initialised review repository as CI sees a pull request: `origin/main` has MA
    and DZ; the checked-out commit revises MA, adds TN and deletes DZ."""
    repo = init_repo(init(run_cli, tmp_path / "review"))
    write(repo, "MA", MA_BASE)
    write(repo, "DZ", DZ)
    commit_all(repo, "MA and DZ")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    git(repo, "switch", "-q", "-c", "review-ma")
    write(repo, "MA", MA_PR)
    write(repo, "TN", TN)
    (repo / "countries" / "DZ.yaml").unlink()
    commit_all(repo, "Review of MA revised, TN added, DZ withdrawn")
    return repo


def run_step(repo: Path, script: str, path: str, **env: str) -> subprocess.CompletedProcess[str]:
    """A `run:` block as GitHub's default bash shell runs it."""
    (repo.parent / "step.sh").write_text(script, encoding="utf-8")
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail",
                           str(repo.parent / "step.sh")], cwd=repo, capture_output=True,
                          text=True, check=False,
                          env={**os.environ, **ISOLATED, "PATH": path, **env})


def test_summary_step_writes_the_job_summary(pull_request: Path) -> None:
    script = steps(pull_request)["Coverage summary"]["run"]
    summary = pull_request.parent / "summary.md"
    summary.write_text("", encoding="utf-8")
    done = run_step(pull_request, script, tool_path(), BASE_REF="main",
                    GITHUB_STEP_SUMMARY=str(summary))
    assert done.returncode == 0, done.stderr
    md = unescaped(summary.read_text(encoding="utf-8"))
    assert md.startswith("## GCM review coverage: Région arabe, cycle 2026\n")
    assert "**Lost coverage against origin/main:**" in md
    assert "- DZ: its review file was removed" in md
    assert ("- MA: no longer covers objective 10 and the guiding principle whole-of-society "
            "(it now covers objective 15 and the guiding principle rule-of-law)") in md
    assert "| DZ | Algeria | – | – | **lost coverage**, file removed |" in md
    assert "| MA | Morocco | 4/23 | 2/10 | **lost coverage**, changed |" in md
    assert "| TN | Tunisia | 1/23 (+1) | 0/10 | new file |" in md
    assert "### Changes against origin/main (" in md
    assert "  - no longer covers objective 10\n  - now covers objective 15 (implemented)\n" in md
    manual = run_step(pull_request, script, tool_path(), BASE_REF="",
                      GITHUB_STEP_SUMMARY=str(summary))
    assert manual.returncode == 0, manual.stderr
    assert "### Objectives" in summary.read_text(encoding="utf-8")  # the matrix, appended


def test_build_step_builds_changed_states_and_the_region(pull_request: Path) -> None:
    script = steps(pull_request)["Build the changed States and the regional report"]["run"]
    stub_dir = pull_request.parent / "stub"
    stub_dir.mkdir()
    log = pull_request.parent / "calls.txt"
    stub = stub_dir / "gcmreview"  # records the build commands instead of building
    stub.write_text('#!/bin/sh\necho "$*" >> "$CALLS"\n', encoding="utf-8")
    stub.chmod(0o755)
    path = f"{stub_dir}{os.pathsep}{os.environ['PATH']}"

    def calls(base: str) -> list[str]:
        log.write_text("", encoding="utf-8")
        done = run_step(pull_request, script, path, BASE_REF=base, CALLS=str(log),
                        REPORTS="/tmp/reports")
        assert done.returncode == 0, done.stderr
        return log.read_text(encoding="utf-8").splitlines()

    countries = "build --country MA --country TN --out /tmp/reports --quiet"
    region = "build --region --out /tmp/reports --quiet"
    assert calls("main") == [countries, region]
    assert calls("") == [countries, region]
    git(pull_request, "update-ref", "refs/remotes/origin/main", "HEAD")
    assert calls("main") == [region]  # no review file changed


def test_generated_pre_commit_config(run_cli, tmp_path: Path) -> None:
    ws = init(run_cli, tmp_path / "review")
    config = load_yaml(ws / ".pre-commit-config.yaml")
    (repo,) = config["repos"]
    assert repo["repo"] == "https://github.com/gcmreview/gcmreview"
    assert repo["rev"].startswith("v")
    assert repo["hooks"] == [{"id": "gcmreview-validate"}]


def test_pre_commit_hook_definition() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook == {**hook, "id": "gcmreview-validate", "entry": "gcmreview validate",
                    "language": "python", "files": r"^countries/.*\.ya?ml$",
                    "pass_filenames": True}


pre_commit_installed = pytest.mark.skipif(importlib.util.find_spec("pre_commit") is None,
                                          reason="pre-commit is not installed")


@pre_commit_installed
def test_pre_commit_accepts_the_manifest_and_config(run_cli, tmp_path: Path) -> None:
    ws = init(run_cli, tmp_path / "review")
    for command, path in (("validate-manifest", ROOT / ".pre-commit-hooks.yaml"),
                          ("validate-config", ws / ".pre-commit-config.yaml")):
        done = subprocess.run([sys.executable, "-m", "pre_commit", command, str(path)],
                              capture_output=True, text=True, check=False,
                              env={**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")})
        assert done.returncode == 0, done.stdout + done.stderr


@pre_commit_installed
def test_hook_runs_through_pre_commit(tmp_path: Path) -> None:
    """The hook as defined in .pre-commit-hooks.yaml, as a local system hook (no network)."""
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    repo = init_repo(tmp_path / "repo")
    (repo / "gcmreview.yaml").write_text("region: R\ncycle: 2020\nparticipants: [MA]\n",
                                         encoding="utf-8")
    (repo / "countries").mkdir()
    shutil.copy(ROOT / "tests" / "data" / "valid" / "MA.yaml", repo / "countries" / "MA.yaml")
    local = {"id": hook["id"], "name": hook["name"], "entry": hook["entry"],
             "files": hook["files"], "language": "system"}
    (repo / ".pre-commit-config.yaml").write_text(
        json.dumps({"repos": [{"repo": "local", "hooks": [local]}]}), encoding="utf-8")

    def pre_commit() -> subprocess.CompletedProcess[str]:
        git(repo, "add", "-A")
        return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files",
                               "--color", "never"], cwd=repo, capture_output=True, text=True,
                              check=False, env={**os.environ, **ISOLATED, "PATH": tool_path(),
                                                "PRE_COMMIT_HOME": str(tmp_path / "cache")})

    passed = pre_commit()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "gcmreview validate" in passed.stdout and "Passed" in passed.stdout
    review = repo / "countries" / "MA.yaml"
    review.write_text(review.read_text(encoding="utf-8").replace("\n  7:\n", '\n  "7":\n', 1),
                      encoding="utf-8")
    failed = pre_commit()
    assert failed.returncode == 1
    assert "Failed" in failed.stdout
    assert "countries/MA.yaml:" in failed.stdout
    line = next(ln for ln in failed.stdout.splitlines() if "[objective-key-quoted]" in ln)
    file, row, col, _ = line.split(":", 3)
    assert file == "countries/MA.yaml" and row.isdigit() and col == "3"


def test_readme_in_the_languages_of_the_region(run_cli, tmp_path: Path) -> None:
    result = run_cli("init", str(tmp_path / "review"), "--region", "fr:Région arabe",
                     "--region", "ar:المنطقة العربية", "--region", "en:Arab region",
                     "--cycle", "2026", cwd=tmp_path)
    assert result.code == 0, result.err
    ws = tmp_path / "review"
    workspace = load_workspace(ws / "gcmreview.yaml")
    assert workspace.region == {"fr": "Région arabe", "ar": "المنطقة العربية",
                                "en": "Arab region"}
    readme = (ws / "README.md").read_text(encoding="utf-8")
    # French first (named first), each language whole, Arabic right to left.
    assert readme.index("# Région arabe : examens volontaires") \
        < readme.index('<div dir="rtl" lang="ar">') \
        < readme.index("# المنطقة العربية: الاستعراضات الطوعية") \
        < readme.index("# Arab region: voluntary reviews")
    assert readme.startswith('<a href="#fr">Français</a> · <a href="#ar">العربية</a> · '
                             '<a href="#en">English</a>')
    for words in ("Dans Word : rien à installer", "في Word: دون تثبيت أي برنامج",
                  "In Word: nothing to install"):
        assert words in readme
    # The forms of this workspace default to its first language.
    assert run_cli("form", "MA", cwd=ws).code == 0
    from tests import wordedit

    headings = [p.text for p in wordedit.open_form(ws / "forms" / "MA.docx").paragraphs
                if p.style.name.startswith("Heading")]
    assert "Méthodologie" in headings
    mixed = run_cli("init", str(tmp_path / "other"), "--region", "Arab region", "--region",
                    "fr:Région arabe", "--cycle", "2026", cwd=tmp_path)
    assert mixed.code == 2 and "give every --region with its language" in mixed.err


@pytest.fixture
def word_pull_request(run_cli, tmp_path: Path) -> Path:
    """A pull request made on GitHub's page: a focal point uploaded submissions/MA.docx,
    the Word form of the review on file, with a status changed in Word."""
    from tests import wordedit

    repo = init_repo(init(run_cli, tmp_path / "review"))
    write(repo, "MA", MA_BASE)
    commit_all(repo, "MA")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    git(repo, "switch", "-q", "-c", "upload")
    assert run_cli("form", "MA", cwd=repo).code == 0
    form = repo / "forms" / "MA.docx"
    document = wordedit.open_form(form)
    wordedit.tick(wordedit.answer(document, "Objective 10", "Status"), "In progress")
    (repo / "submissions").mkdir(exist_ok=True)
    document.save(str(repo / "submissions" / "MA.docx"))
    form.unlink()
    commit_all(repo, "Add files via upload")
    return repo


def test_workflow_imports_word_files_uploaded_to_submissions(word_pull_request: Path) -> None:
    repo = word_pull_request
    script = steps(repo)["Import the Word files uploaded to submissions/"]["run"]
    summary = repo.parent / "summary.md"
    summary.write_text("", encoding="utf-8")
    imported = repo.parent / "imported"
    done = run_step(repo, script, tool_path(), BASE_REF="main", RUNNER_TEMP=str(repo.parent),
                    IMPORTED=str(imported), GITHUB_STEP_SUMMARY=str(summary))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "submissions/MA.docx (Word form) → countries/MA.yaml: written" in done.stdout
    md = summary.read_text(encoding="utf-8")
    assert md.startswith("## Word files imported\n")
    assert "    submissions/MA.docx (Word form) → countries/MA.yaml: written" in md
    assert "    -    status: planned\n    +    status: in_progress" in md
    assert (imported / "MA.yaml").read_text(encoding="utf-8") == \
        (repo / "countries" / "MA.yaml").read_text(encoding="utf-8")
    # The steps after it see the imported review: the build step builds MA.
    build = steps(repo)["Build the changed States and the regional report"]["run"]
    stub_dir = repo.parent / "stub"
    stub_dir.mkdir()
    (stub_dir / "gcmreview").write_text('#!/bin/sh\necho "$*" >> "$CALLS"\n', encoding="utf-8")
    (stub_dir / "gcmreview").chmod(0o755)
    calls = repo.parent / "calls.txt"
    built = run_step(repo, build, f"{stub_dir}{os.pathsep}{os.environ['PATH']}",
                     BASE_REF="main", CALLS=str(calls), REPORTS="/tmp/reports")
    assert built.returncode == 0, built.stderr
    assert calls.read_text().splitlines()[0] == "build --country MA --out /tmp/reports --quiet"


def test_workflow_import_step_fails_on_what_it_cannot_place(word_pull_request: Path) -> None:
    repo = word_pull_request
    shutil.copy(ROOT / "tests" / "data" / "word" / "hostile" / "macro.docm",
                repo / "submissions" / "DZ.docx")
    commit_all(repo, "A second upload")
    script = steps(repo)["Import the Word files uploaded to submissions/"]["run"]
    summary = repo.parent / "summary.md"
    done = run_step(repo, script, tool_path(), BASE_REF="main", RUNNER_TEMP=str(repo.parent),
                    IMPORTED=str(repo.parent / "imported"), GITHUB_STEP_SUMMARY=str(summary))
    assert done.returncode == 2
    md = summary.read_text(encoding="utf-8")
    assert "    submissions/DZ.docx: error: submissions/DZ.docx contains macros" in md
    assert "    submissions/MA.docx (Word form) → countries/MA.yaml: written" in md
