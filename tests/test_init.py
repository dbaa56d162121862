"""`gcmreview init` and the pull-request workflow it sets up: the generated CI workflow
(checked against GitHub's schema and run step by step in a real git repository) and
the pre-commit hook (run through pre-commit itself, offline)."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from gcmreview.load.loader import load_text
from gcmreview.validate.workspace import load_workspace

from .conftest import ROOT, spaced, unescaped
from .gitrepo import ISOLATED, commit_all, git, init_repo
from .test_matrix import DZ, MA_BASE, MA_PR, TN, write

WORKFLOW = ".github/workflows/gcmreview.yml"


def init(run_cli, target: Path, *extra: str) -> Path:
    region = () if "--region" in extra else ("--region", "Région arabe")
    result = run_cli("init", str(target), *region, "--cycle", "2026",
                     "--participants", "ma, dz,TN", *extra, cwd=target.parent)
    assert result.code == 0, result.err
    return target


def load_yaml(path: Path) -> Any:
    """With gcmreview's YAML 1.2-like loader: `on:` stays a key, not true."""
    loaded = load_text(path.read_text(encoding="utf-8"), path.name)
    assert loaded.data is not None, loaded.diagnostics
    return loaded.data


def steps(ws: Path) -> dict[str, dict[str, Any]]:
    """The review job's steps by id (their names are in the workspace's language)."""
    workflow = load_yaml(ws / WORKFLOW)
    return {s["id"]: s for s in workflow["jobs"]["review"]["steps"]}


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
    assert "/site/" in (ws / ".gitignore").read_text()
    # How to publish the site: the command, and where the workflow says how to turn it on.
    site = readme[readme.index("`gcmreview site`"):]
    assert "GitHub Pages" in site[:400] and ".github/workflows/gcmreview.yml" in site[:400]
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
    # what focal points and the workflow install must be one version
    (("--cycle", "2026", "--package", "git+https://github.com/gcmreview/gcmreview"),
     "“git+https://github.com/gcmreview/gcmreview” names no version"),
    (("--cycle", "2026", "--package", "git+ssh://git@github.com/gcmreview/gcmreview"),
     "names no version"),
    (("--cycle", "2026", "--package", "gcmreview"), "“gcmreview” names no version"),
    (("--cycle", "2026", "--package", "gcmreview>=0.1"), "names no version"),
    (("--cycle", "next"), "--cycle"),
])
def test_init_option_errors(run_cli, tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    result = run_cli("init", str(tmp_path / "ws"), "--region", "R", *args, cwd=tmp_path)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err
    assert not (tmp_path / "ws" / "gcmreview.yaml").exists()


PACKAGE = "git+https://github.com/gcmreview/gcmreview@v0.1.0"
FR_AR = ("--region", "fr:Région arabe", "--region", "ar:المنطقة العربية")
VARIANTS = {
    # installed from a folder, as in these tests: GCMREVIEW_PACKAGE is left empty
    "from-a-folder": (),
    "package": ("--package", PACKAGE),
    # the workflow in French, then in Arabic
    "fr-ar": (*FR_AR,),
    "ar-package": ("--lang", "ar", "--package", PACKAGE),
}
"""Every kind of workflow `init` writes (the region is "Région arabe" unless named)."""


def zizmor(*args: str) -> list[dict[str, Any]]:
    """zizmor's findings (JSON), offline, with its strictest persona and no way for a
    configuration file or an inline comment to silence one."""
    program = shutil.which("zizmor", path=os.path.dirname(sys.executable)) \
        or shutil.which("zizmor")
    if program is None:
        pytest.fail("zizmor is not installed: pip install '.[test]'")
    done = subprocess.run([program, "--offline", "--no-config", "--no-ignores", "--persona",
                           "auditor", "--format", "json", "--no-progress", *args],
                          capture_output=True, text=True, check=False)
    assert done.returncode in (0, 10, 11, 12, 13, 14), done.stderr  # 1, 2: zizmor failed
    return json.loads(done.stdout)


def workflows(ws: Path) -> list[Path]:
    found = sorted((ws / ".github" / "workflows").glob("*.y*ml"))
    assert found == [ws / WORKFLOW]
    return found


@pytest.mark.parametrize("variant", VARIANTS)
def test_workflows_pass_zizmor_and_githubs_schema(run_cli, tmp_path: Path, variant: str) -> None:
    """What reviewers run on a GitHub Actions workflow, on every kind `init` writes."""
    ws = init(run_cli, tmp_path / "review", *VARIANTS[variant])
    for workflow in workflows(ws):
        findings = zizmor(str(workflow), str(ws / ".pre-commit-config.yaml"))
        assert findings == [], [(f["ident"], f["desc"]) for f in findings]
        for schema in ("vendor.github-workflows", "custom.github-workflows-require-timeout"):
            checked = subprocess.run([sys.executable, "-m", "check_jsonschema",
                                      "--builtin-schema", schema, str(workflow)],
                                     capture_output=True, text=True, check=False)
            assert checked.returncode == 0, checked.stdout + checked.stderr
            assert "ok -- validation done" in checked.stdout


def test_zizmor_finds_what_the_old_workflow_had(run_cli, tmp_path: Path) -> None:
    """The check above can fail: the workflow as it was (actions on tags, the token
    kept in .git/config) gives zizmor's five findings."""
    ws = init(run_cli, tmp_path / "review", "--package", PACKAGE)
    text = (ws / WORKFLOW).read_text(encoding="utf-8")
    text = re.sub(r"@[0-9a-f]{40} # (v\d+)\S*", r"@\1", text)
    text = text.replace("          persist-credentials: false\n", "")
    (ws / WORKFLOW).write_text(text, encoding="utf-8")
    findings = zizmor(str(ws / WORKFLOW))
    assert sorted(f["ident"] for f in findings) == ["artipacked"] * 2 + ["unpinned-uses"] * 8


@pytest.mark.parametrize("variant", VARIANTS)
def test_workflow_trusts_nothing_from_the_pull_request(run_cli, tmp_path: Path,
                                                        variant: str) -> None:
    ws = init(run_cli, tmp_path / "review", *VARIANTS[variant])
    text = (ws / WORKFLOW).read_text(encoding="utf-8")
    workflow = load_yaml(ws / WORKFLOW)
    # pull_request runs a fork's changes with a read-only token and no secrets;
    # pull_request_target would give them the base repository's. A push runs only the
    # site's jobs (opt-in, the default branch only).
    assert set(workflow["on"]) == {"pull_request", "push", "workflow_dispatch"}
    assert workflow["permissions"] == {}
    jobs = workflow["jobs"]
    assert jobs["review"]["if"] == "${{ github.event_name != 'push' }}"
    assert jobs["review"]["permissions"] == jobs["site"]["permissions"] == {"contents": "read"}
    assert "github.event_name != 'pull_request'" in jobs["site"]["if"]
    assert "vars.GCMREVIEW_SITE == 'pages'" in jobs["site"]["if"]
    assert "github.ref_name == github.event.repository.default_branch" in jobs["site"]["if"]
    # Only the job that publishes may write, and only to Pages; it runs no command.
    assert jobs["deploy"]["needs"] == "site"
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert all("run" not in step for step in jobs["deploy"]["steps"])
    assert "secrets." not in text
    # Every action at the commit of a release, the release named beside it.
    uses = re.findall(r"^\s+(?:- )?uses: (\S+)(.*)$", text, flags=re.MULTILINE)
    assert len(uses) == 8
    for action, comment in uses:
        assert re.fullmatch(r"actions/[a-z-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r" # v\d+\.\d+\.\d+", comment), comment
    checkout = steps(ws)["checkout"]
    assert checkout["with"]["persist-credentials"] is False
    # No GitHub expression inside a script: values reach the shell as variables.
    for step in steps(ws).values():
        assert "${{" not in step.get("run", "")


def test_workflow_steps(run_cli, tmp_path: Path) -> None:
    ws = init(run_cli, tmp_path / "review")
    workflow = load_yaml(ws / WORKFLOW)
    assert set(workflow["on"]) == {"pull_request", "push", "workflow_dispatch"}
    # Installed from a folder (as in these tests): nothing a runner can install, so the
    # workflow's first step stops and says what to set.
    assert workflow["env"]["GCMREVIEW_PACKAGE"] == ""
    by_id = steps(ws)
    checkout = by_id["checkout"]
    assert checkout["uses"].startswith("actions/checkout@")
    assert checkout["with"]["fetch-depth"] == 0
    python = by_id["python"]
    assert python["uses"].startswith("actions/setup-python@")
    assert python["with"]["python-version"] == "3.11"
    install = by_id["install"]
    assert 'pip install "$GCMREVIEW_PACKAGE"' in install["run"]
    stopped = run_step(ws, install, os.environ["PATH"], GCMREVIEW_PACKAGE="")
    assert stopped.returncode == 1  # never a silent `pip install gcmreview` that fails
    assert "::error title=GCMREVIEW_PACKAGE is not set::Set GCMREVIEW_PACKAGE" in stopped.stdout
    assert by_id["validate"]["run"] == "gcmreview validate --format github"
    summary = by_id["coverage"]
    assert 'gcmreview coverage --diff "origin/$BASE_REF" --format markdown >> ' \
        '"$GITHUB_STEP_SUMMARY"' in summary["run"]
    assert summary["if"] == "${{ !cancelled() && steps.install.outcome == 'success' }}"
    assert workflow["jobs"]["review"]["env"]["BASE_REF"] == "${{ github.base_ref }}"
    upload = by_id["upload-reports"]
    assert upload["uses"].startswith("actions/upload-artifact@")
    assert upload["with"]["path"] == "${{ runner.temp }}/gcmreview-reports/"
    imported = by_id["upload-imported"]
    assert imported["uses"].startswith("actions/upload-artifact@")
    assert imported["with"]["path"] == "${{ runner.temp }}/gcmreview-imported/"
    assert list(by_id) == ["checkout", "python", "install", "import", "upload-imported",
                           "validate", "coverage", "build", "upload-reports"]


def test_workflow_pins_the_package(run_cli, tmp_path: Path) -> None:
    ws = init(run_cli, tmp_path / "review", "--package", PACKAGE)
    assert load_yaml(ws / WORKFLOW)["env"]["GCMREVIEW_PACKAGE"] == PACKAGE


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


def run_step(repo: Path, step: dict[str, Any], path: str,
             **env: str) -> subprocess.CompletedProcess[str]:
    """A step's `run:` block as GitHub's default bash shell runs it, with the step's own
    `env:`; `env` here stands for the workflow's and the job's (GitHub expressions in
    them are the caller's to give)."""
    (repo.parent / "step.sh").write_text(step["run"], encoding="utf-8")
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail",
                           str(repo.parent / "step.sh")], cwd=repo, capture_output=True,
                          text=True, check=False,
                          env={**os.environ, **ISOLATED, **step.get("env", {}), "PATH": path,
                               **env})


def test_summary_step_writes_the_job_summary(pull_request: Path) -> None:
    script = steps(pull_request)["coverage"]
    summary = pull_request.parent / "summary.md"
    summary.write_text("", encoding="utf-8")
    done = run_step(pull_request, script, tool_path(), BASE_REF="main",
                    GITHUB_STEP_SUMMARY=str(summary))
    assert done.returncode == 0, done.stderr
    md = unescaped(summary.read_text(encoding="utf-8"))
    assert md.startswith("## GCM review coverage: Région arabe, cycle 2026\n")
    assert "**Regressions against origin/main:**" in md
    assert "- DZ: its review file was removed" in md
    assert ("- MA: no longer covers objective 10 and the guiding principle (j) Whole-of-society "
            "approach (it now covers objective 15 and the guiding principle (d) Rule of law and "
            "due process)") in md
    assert "| DZ | Algeria | – | – | **regression**, file removed |" in md
    assert "| MA | Morocco | 4/23 | 2/10 | **regression**, changed |" in md
    assert "| TN | Tunisia | 1/23 (+1) | 0/10 | new file |" in md
    assert "### Changes against origin/main (" in md
    assert "  - no longer covers objective 10\n  - now covers objective 15 (implemented)\n" in md
    manual = run_step(pull_request, script, tool_path(), BASE_REF="",
                      GITHUB_STEP_SUMMARY=str(summary))
    assert manual.returncode == 0, manual.stderr
    assert "### Objectives" in summary.read_text(encoding="utf-8")  # the matrix, appended


def test_build_step_builds_changed_states_and_the_region(pull_request: Path) -> None:
    script = steps(pull_request)["build"]
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
                    "language": "python", "files": r"^(countries/.*\.ya?ml|data/.*\.csv)$",
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
    # A data file committed alone is checked too.
    shutil.copy(ROOT / "tests" / "data" / "valid" / "MA.yaml", review)
    (repo / "data" / "MA").mkdir(parents=True)
    (repo / "data" / "MA" / "10-7-1.csv").write_text("Year,Value\n2019,12,5\n",
                                                    encoding="utf-8")
    data = pre_commit()
    assert data.returncode == 1
    assert "data/MA/10-7-1.csv:2:" in data.stdout and "[data-syntax]" in data.stdout


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
    return upload_pull_request(run_cli, tmp_path)


def upload_pull_request(run_cli, tmp_path: Path, *init_args: str) -> Path:
    """A pull request made on GitHub's page: a focal point uploaded submissions/MA.docx,
    the Word form of the review on file, with a status changed in Word."""
    from tests import wordedit

    repo = init_repo(init(run_cli, tmp_path / "review", *init_args))
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
    script = steps(repo)["import"]
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
    build = steps(repo)["build"]
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
    script = steps(repo)["import"]
    summary = repo.parent / "summary.md"
    done = run_step(repo, script, tool_path(), BASE_REF="main", RUNNER_TEMP=str(repo.parent),
                    IMPORTED=str(repo.parent / "imported"), GITHUB_STEP_SUMMARY=str(summary))
    assert done.returncode == 2
    md = summary.read_text(encoding="utf-8")
    assert "    submissions/DZ.docx: error: submissions/DZ.docx contains macros" in md
    assert "    submissions/MA.docx (Word form) → countries/MA.yaml: written" in md


HOSTILE = [
    "MA report.docx",                  # a space
    "it's \"ours\".docx",              # quotes
    "$(touch pwned-dollar).docx",      # command substitution
    "`touch pwned-backtick`.docx",     # the old form of it
    "; touch pwned-semicolon.docx",    # a second command
    "$HOME and ${IFS}.docx",           # parameter expansion
    "*.docx",                          # a glob
    "-rf --force.docx",                # a leading dash
    "Région المغرب ✓.docx",            # non-ASCII (git quotes it unless told not to)
    "two\nlines.docx",                 # a newline
    "x\n::error::forged.docx",         # a workflow command after a newline
    "cr\rreturn.docx",                 # a carriage return (a line break in Markdown)
]
"""Names a pull request can give the files it uploads to submissions/ (git stores them)."""


@pytest.fixture
def hostile_pull_request(run_cli, tmp_path: Path) -> Path:
    """A pull request uploading Word forms (MA's, made by `gcmreview form`) under the
    names above, as GitHub's web page would accept them."""
    repo = init_repo(init(run_cli, tmp_path / "review"))
    commit_all(repo, "Review workspace")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    git(repo, "switch", "-q", "-c", "upload")
    assert run_cli("form", "MA", "--blank", cwd=repo).code == 0
    form = (repo / "forms" / "MA.docx").read_bytes()
    shutil.rmtree(repo / "forms")
    for name in HOSTILE:
        (repo / "submissions" / name).write_bytes(form)
    commit_all(repo, "Add files via upload")
    listed = subprocess.run(["git", "ls-files", "-z", "--", "submissions/"], cwd=repo,
                            capture_output=True, check=True).stdout.decode().split("\0")
    assert {f"submissions/{n}" for n in HOSTILE} <= set(listed)  # stored as they are
    return repo


def evaluated(root: Path) -> list[Path]:
    """Files the names above would create if a shell evaluated them."""
    return sorted(root.rglob("pwned*"))


def live_workflow_commands(stdout: str) -> list[str]:
    """Lines of a step's log the runner would act on: `::command::` at the start of a
    line (the runner breaks lines at \\r too), outside a ::stop-commands:: stretch."""
    live, stopped = [], None
    for line in re.split(r"\r\n|\r|\n", stdout):
        if stopped is not None:
            stopped = None if line == f"::{stopped}::" else stopped
        elif line.startswith("::stop-commands::"):
            stopped = line.removeprefix("::stop-commands::")
            assert len(stopped) >= 32  # a token the log's text cannot guess
        elif line.lstrip().startswith("::"):
            live.append(line)
    assert stopped is None, "workflow commands are left stopped"
    return live


def summary_breakouts(md: str) -> list[str]:
    """Lines of the import summary that left its indented code blocks: Markdown ends a
    line at \\n, \\r\\n and \\r alike."""
    ours = ("## ", "### ")
    return [line for line in re.split(r"\r\n|\r|\n", md)
            if line.strip() and not line.startswith("    ") and not line.startswith(ours)]


@pytest.mark.parametrize("base_ref", ["main", ""])
def test_import_step_passes_hostile_file_names_as_they_are(hostile_pull_request: Path,
                                                           base_ref: str) -> None:
    """The import step's own script, run by bash, with a stub `gcmreview` that records
    the arguments it is given: every name arrives whole, and none is evaluated."""
    repo = hostile_pull_request
    stub_dir = repo.parent / "stub"
    stub_dir.mkdir()
    calls = repo.parent / "argv"
    # Records its arguments, NUL-separated, and prints each (as import's report would),
    # the last line without its line break.
    (stub_dir / "gcmreview").write_text(
        '#!/bin/sh\nprintf \'%s\\0\' "$@" >> "$CALLS"\nprintf \'%s: written\\n\' "$@"\n'
        "printf 'done'\n", encoding="utf-8")
    (stub_dir / "gcmreview").chmod(0o755)
    summary = repo.parent / "summary.md"
    summary.write_text("", encoding="utf-8")
    done = run_step(repo, steps(repo)["import"], f"{stub_dir}{os.pathsep}{os.environ['PATH']}",
                    BASE_REF=base_ref, CALLS=str(calls), RUNNER_TEMP=str(repo.parent),
                    IMPORTED=str(repo.parent / "imported"), GITHUB_STEP_SUMMARY=str(summary))
    assert done.returncode == 0, done.stdout + done.stderr
    assert evaluated(repo.parent) == []
    argv = calls.read_bytes().decode("utf-8").split("\0")[:-1]
    assert argv[:3] == ["import", "--force", "--"]
    assert sorted(argv[3:]) == sorted(f"submissions/{n}" for n in HOSTILE)
    assert live_workflow_commands(done.stdout) == []
    assert "x\n::error::forged.docx: written" in done.stdout  # shown, not obeyed
    md = summary.read_text(encoding="utf-8")
    assert summary_breakouts(md) == []
    assert "    submissions/Région المغرب ✓.docx: written" in md


def test_import_step_imports_hostile_file_names(hostile_pull_request: Path) -> None:
    """The same with the real gcmreview: each form is imported, under its own name."""
    repo = hostile_pull_request
    summary = repo.parent / "summary.md"
    summary.write_text("", encoding="utf-8")
    done = run_step(repo, steps(repo)["import"], tool_path(), BASE_REF="main",
                    RUNNER_TEMP=str(repo.parent), IMPORTED=str(repo.parent / "imported"),
                    GITHUB_STEP_SUMMARY=str(summary))
    assert evaluated(repo.parent) == []
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stdout
    for name in HOSTILE:  # (text=True reads a \r as a line break)
        shown = f"submissions/{name} (Word form) → countries/MA.yaml".replace("\r", "\n")
        assert shown in done.stdout, name
    assert live_workflow_commands(done.stdout) == []
    assert (repo.parent / "imported" / "MA.yaml").is_file()
    md = summary.read_text(encoding="utf-8")
    assert summary_breakouts(md) == []
    assert "    submissions/Région المغرب ✓.docx (Word form) → countries/MA.yaml" in md


def workflow_env(ws: Path) -> dict[str, str]:
    """The workflow's own `env:` (GCMREVIEW_PACKAGE, GCMREVIEW_LANG), as the runner sets it."""
    return load_yaml(ws / WORKFLOW)["env"]


WORDS = {
    # what the workflow itself says, and what gcmreview says under its GCMREVIEW_LANG
    "fr": {"job": "Valider, résumer et produire les rapports",
           "site": "Construire le site de l'examen",
           "deploy": "Publier le site de l'examen sur GitHub Pages",
           "package": "::error title=GCMREVIEW_PACKAGE n'est pas renseigné::Indiquez dans "
                      "GCMREVIEW_PACKAGE, en haut de .github/workflows/gcmreview.yml",
           "imported": "## Fichiers Word importés\n",
           "files": "### Les fichiers d'examen obtenus (à télécharger : Artifacts, "
                    "gcmreview-imported)\n",
           "report": "submissions/MA.docx (formulaire Word) → countries/MA.yaml : écrit",
           "none": "Aucun fichier Word déposé.\n"},
    "ar": {"job": "التحقق والتلخيص وإعداد التقارير",
           "site": "إنشاء موقع الاستعراض",
           "deploy": "نشر موقع الاستعراض على GitHub Pages",
           "package": "::error title=لم يُحدَّد GCMREVIEW_PACKAGE::حدّد في GCMREVIEW_PACKAGE",
           "imported": "## ملفات Word المستوردة\n",
           "files": "### ملفات الاستعراض الناتجة عنها (للتنزيل: Artifacts",
           "report": "submissions/MA.docx (استمارة Word) إلى countries/MA.yaml: كُتب",
           "none": "لم يُرفع أي ملف Word.\n"},
}


@pytest.mark.parametrize(("args", "languages"), [
    (FR_AR, ("fr", "ar")),                               # the languages of the region's names
    (("--region", "Arab region", "--lang", "ar"), ("ar",)),
    (("--region", "ar:المنطقة العربية", "--region", "en:Arab region", "--lang", "fr,en",
      "--lang", "ar"), ("fr", "en", "ar")),              # --lang first, whatever the names
    (("--region", "Arab region"), ("en",)),
])
def test_init_names_the_working_languages(run_cli, tmp_path: Path, args: tuple[str, ...],
                                          languages: tuple[str, ...]) -> None:
    ws = init(run_cli, tmp_path / "review", *args)
    assert load_workspace(ws / "gcmreview.yaml").languages == languages
    assert f"\nlanguages: [{', '.join(languages)}]\n" in (ws / "gcmreview.yaml").read_text()
    assert workflow_env(ws)["GCMREVIEW_LANG"] == languages[0]
    readme = (ws / "README.md").read_text(encoding="utf-8")
    titles = {"en": "voluntary reviews of the Global Compact", "fr": "examens volontaires",
              "ar": "الاستعراضات الطوعية"}
    positions = [readme.find(titles[lang]) for lang in languages]
    assert -1 not in positions and positions == sorted(positions)
    assert all(titles[lang] not in readme for lang in set(titles) - set(languages))
    # The Word forms of the workspace follow its main language too.
    assert run_cli("form", "MA", "--blank", cwd=ws).code == 0
    from tests import wordedit

    headings = {p.text for p in wordedit.open_form(ws / "forms" / "MA.docx").paragraphs
                if p.style.name.startswith("Heading")}
    assert {"en": "Methodology", "fr": "Méthodologie", "ar": "المنهجية"}[languages[0]] \
        in headings


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_workflow_speaks_the_workspace_language(run_cli, tmp_path: Path, lang: str) -> None:
    """The workflow's own lines are in the main language, and gcmreview's under it too: the
    README tells focal points to read that summary."""
    words = WORDS[lang]
    repo = upload_pull_request(run_cli, tmp_path, "--region", "Arab region", "--lang",
                               f"{lang},en")
    env = workflow_env(repo)
    assert env["GCMREVIEW_LANG"] == lang
    jobs = load_yaml(repo / WORKFLOW)["jobs"]
    assert jobs["review"]["name"] == words["job"]
    assert (jobs["site"]["name"], jobs["deploy"]["name"]) == (words["site"], words["deploy"])
    by_id = steps(repo)
    stopped = run_step(repo, by_id["install"], os.environ["PATH"], **env)
    assert stopped.returncode == 1 and spaced(stopped.stdout).startswith(words["package"])
    summary = repo.parent / "summary.md"
    summary.write_text("", encoding="utf-8")
    ours = {"RUNNER_TEMP": str(repo.parent), "IMPORTED": str(repo.parent / "imported"),
            "GITHUB_STEP_SUMMARY": str(summary)}
    done = run_step(repo, by_id["import"], tool_path(), BASE_REF="main", **env, **ours)
    assert done.returncode == 0, done.stdout + done.stderr
    assert words["report"] in spaced(done.stdout)
    md = spaced(summary.read_text(encoding="utf-8"))
    assert md.startswith(words["imported"]) and words["files"] in md
    assert f"    {words['report']}" in md
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")  # nothing uploaded
    none = run_step(repo, by_id["import"], tool_path(), BASE_REF="main", **env, **ours)
    assert none.returncode == 0 and spaced(none.stdout) == words["none"]


@pytest.mark.parametrize(("args", "message"), [
    (("--lang", "de"), "--lang cannot be “de”"),
    (("--lang", "fr,ar,fr"), "a language is named twice in --lang"),
    (("--lang", "fr", "--lang", "FR"), "a language is named twice in --lang"),
])
def test_init_language_errors(run_cli, tmp_path: Path, args: tuple[str, ...],
                              message: str) -> None:
    result = run_cli("init", str(tmp_path / "ws"), "--region", "R", "--cycle", "2026", *args,
                     cwd=tmp_path)
    assert result.code == 2 and message in result.err, result.err
    assert "Traceback" not in result.err
    assert not (tmp_path / "ws").exists()


@pytest.mark.parametrize(("value", "problem"), [
    ("[de]", "8:13: error[invalid-value]: `languages[1]` is the text “de”, which is not one "
             "of the allowed values"),
    ("[]", "8:12: error[invalid-value]: `languages` must not be empty"),
    ("[fr, fr]", "8:12: error[invalid-value]: `languages` lists the same entry twice"),
    ("fr", "8:12: error[wrong-type]: `languages` must be a list"),
])
def test_workspace_languages_are_checked(run_cli, tmp_path: Path, value: str,
                                         problem: str) -> None:
    """gcmreview.yaml's `languages:` against config.schema.yaml, as every command reads it."""
    ws = init(run_cli, tmp_path / "review")
    config = ws / "gcmreview.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "languages: [en]", f"languages: {value}"), encoding="utf-8")
    result = run_cli("validate", "--allow-empty", cwd=ws)
    assert result.code == 2, result.err
    assert result.err.startswith(f"gcmreview.yaml:{problem}"), result.err
    assert "error: the workspace configuration gcmreview.yaml has problems" in result.err
    assert "Traceback" not in result.err


def pip_installs(readme: str) -> list[str]:
    return re.findall(r'pip install "([^"]*)"', readme)


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_init_says_when_the_workflow_cannot_install_gcmreview(run_cli, tmp_path: Path,
                                                              monkeypatch, lang: str) -> None:
    """Installed from a folder (as the README's own set-up does, and these tests): nothing a
    runner can install. init says so, in the user's language, and what to set where; the
    README names no unpinned package for focal points to install."""
    monkeypatch.setenv("GCMREVIEW_LANG", lang)
    result = run_cli("init", str(tmp_path / "review"), "--region", "R", "--cycle", "2026",
                     "--lang", "en,fr,ar", cwd=tmp_path)
    assert result.code == 0, result.err
    ws = tmp_path / "review"
    assert load_yaml(ws / WORKFLOW)["env"]["GCMREVIEW_PACKAGE"] == ""
    warning, hint = {
        "en": ("warning: review/.github/workflows/gcmreview.yml: GCMREVIEW_PACKAGE is empty: "
               "this gcmreview was installed from a folder or a file on this computer",
               "hint: set GCMREVIEW_PACKAGE at the top of review/.github/workflows/"
               "gcmreview.yml, and the install command in review/README.md, to what pip "
               "should install"),
        "fr": ("avertissement : review/.github/workflows/gcmreview.yml : GCMREVIEW_PACKAGE "
               "est vide : ce gcmreview a été installé depuis un dossier",
               "conseil : indiquez dans GCMREVIEW_PACKAGE, en haut de review/.github/"
               "workflows/gcmreview.yml, et dans la commande d'installation de "
               "review/README.md"),
        "ar": ("تحذير: review/.github/workflows/gcmreview.yml: المتغير GCMREVIEW_PACKAGE فارغ",
               "تلميح: حدّد ما يثبّته pip في GCMREVIEW_PACKAGE أعلى الملف "
               "review/.github/workflows/gcmreview.yml، وفي أمر التثبيت في review/README.md"),
    }[lang]
    lines = result.err.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(warning))
    assert lines[at + 1].startswith(hint)
    readme = (ws / "README.md").read_text(encoding="utf-8")
    assert "git+https://github.com/gcmreview/gcmreview\"" not in readme
    assert pip_installs(readme) == ["<GCMREVIEW_PACKAGE>"] * 3  # one per language
    for comment in ("# replace <GCMREVIEW_PACKAGE> with the value of GCMREVIEW_PACKAGE in "
                    ".github/workflows/gcmreview.yml\n",
                    "# remplacez <GCMREVIEW_PACKAGE> par la valeur de GCMREVIEW_PACKAGE dans "
                    ".github/workflows/gcmreview.yml\n",
                    "# ضعوا مكان <GCMREVIEW_PACKAGE> قيمةَ GCMREVIEW_PACKAGE في الملف "
                    ".github/workflows/gcmreview.yml\n"):
        assert comment + 'python3 -m pip install "<GCMREVIEW_PACKAGE>"\n' in readme
    # Run as it stands, the README's command installs nothing: pip refuses it.
    tried = subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--no-index",
                            "<GCMREVIEW_PACKAGE>"], capture_output=True, text=True, check=False)
    assert tried.returncode != 0 and "Invalid requirement" in tried.stderr


@pytest.mark.parametrize("package", [
    PACKAGE, "gcmreview==0.1.0", "gcmreview[docs]==0.1.0",
    "git+https://github.com/gcmreview/gcmreview@2550b2d1f0c6a7e8b9d0e1f2a3b4c5d6e7f80912",
    "git+ssh://git@github.com/gcmreview/gcmreview@v0.1.0",
    "https://example.org/gcmreview-0.1.0-py3-none-any.whl",
])
def test_init_with_a_package_installs_that_everywhere(run_cli, tmp_path: Path,
                                                      package: str) -> None:
    result = run_cli("init", str(tmp_path / "review"), "--region", "R", "--cycle", "2026",
                     "--lang", "fr,ar", "--package", package, cwd=tmp_path)
    assert result.code == 0, result.err
    assert "warning" not in result.err and "GCMREVIEW_PACKAGE" not in result.err
    ws = tmp_path / "review"
    assert load_yaml(ws / WORKFLOW)["env"]["GCMREVIEW_PACKAGE"] == package
    assert pip_installs((ws / "README.md").read_text(encoding="utf-8")) == [package] * 2


def test_the_site_job_builds_the_site(run_cli, tmp_path: Path) -> None:
    """The opt-in job that publishes the review site: its step, as the runner runs it."""
    ws = init(run_cli, tmp_path / "review", "--package", PACKAGE)
    shutil.copy(ROOT / "countries" / "MA.yaml", ws / "countries" / "MA.yaml")
    workflow = load_yaml(ws / WORKFLOW)
    site_steps = {s["id"]: s for s in workflow["jobs"]["site"]["steps"]}
    assert list(site_steps) == ["checkout", "python", "install", "build-site", "upload-site"]
    assert site_steps["upload-site"]["with"]["path"] == "${{ runner.temp }}/gcmreview-site/"
    assert workflow["jobs"]["site"]["env"]["SITE"] == "${{ runner.temp }}/gcmreview-site"
    done = run_step(ws, site_steps["build-site"], tool_path(), SITE=str(tmp_path / "site"),
                    SITE_URL="https://example.org/review/")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "site" / "fr" / "state-MA.html").is_file()
    assert "https://example.org/review/fr/index.html" in \
        (tmp_path / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert (ws / "build" / "MA.fr.pdf").is_file()  # the reports, offered for download
