"""The build pipeline's bookkeeping: what is rebuilt, and what the manifest keeps.

"Every number is counted from the files": a regional report is never called up
to date when the set of files, the State each file is, or which files are
invalid changed, even if every file's content is the same.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from gcmreview.commands.build import build
from gcmreview.commands.context import Context
from gcmreview.core.errors import DuplicateReview
from gcmreview.write.manifest import MANIFEST_NAME

from .conftest import copy_workspace


def run(ws: Path, **options: object):
    return build(Context(ws), codes=[], out=ws / "out", **options)  # type: ignore[arg-type]


def participation(ws: Path) -> str:
    html = (ws / "out" / "regional.fr.html").read_text(encoding="utf-8")
    return html[html.index('id="participation"'):html.index('id="coverage"')]


def test_renaming_a_file_rebuilds_the_regional_report(tmp_path: Path) -> None:
    ws = copy_workspace(tmp_path / "ws", ("MA", "TN"))
    first = run(ws, region=True, formats="html")
    assert first.exit_code == 0 and "regional" in first.built
    assert "Maroc" in participation(ws) and "Fichier non valide" not in participation(ws)

    (ws / "countries" / "MA.yaml").rename(ws / "countries" / "ma.yaml")
    renamed = run(ws, region=True, formats="html")
    assert "regional" in renamed.built and "regional" not in renamed.up_to_date
    assert renamed.exit_code == 1  # ma.yaml declares MA: an invalid file, left out
    assert "ma" in renamed.failed
    assert "Fichier non valide" in participation(ws)

    (ws / "countries" / "ma.yaml").rename(ws / "countries" / "MA.yaml")
    back = run(ws, region=True, formats="html")
    assert back.exit_code == 0 and "regional" in back.built
    assert "Fichier non valide" not in participation(ws)
    assert "Maroc" in participation(ws)


def test_manifest_is_pruned(tmp_path: Path) -> None:
    ws = copy_workspace(tmp_path / "ws", ("MA", "TN", "DZ"))
    assert run(ws, every=True, formats="html").exit_code == 0
    manifest = json.loads((ws / "out" / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert sorted(r["name"] for r in manifest["reviews"].values()) == \
        ["DZ.yaml", "MA.yaml", "TN.yaml"]

    tn = ws / "countries" / "TN.yaml"
    tn.write_text(tn.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    (ws / "countries" / "DZ.yaml").unlink()
    (ws / "out" / "MA.fr.html").unlink()
    assert run(ws, every=True, formats="html").exit_code == 0
    manifest = json.loads((ws / "out" / MANIFEST_NAME).read_text(encoding="utf-8"))
    # One entry per file still there (TN's old content is gone), none for DZ.
    assert sorted(r["name"] for r in manifest["reviews"].values()) == ["MA.yaml", "TN.yaml"]
    assert all((ws / "out" / name).is_file() for name in manifest["outputs"])


def test_unchanged_reviews_are_not_reloaded(tmp_path: Path, monkeypatch) -> None:
    ws = copy_workspace(tmp_path / "ws", ("MA", "TN"))
    assert run(ws, every=True, formats="md").exit_code == 0
    import gcmreview.pipeline as pipeline

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("an unchanged review was loaded again")

    monkeypatch.setattr(pipeline, "load_bytes", fail)
    again = run(ws, every=True, formats="md")
    assert again.built == {} and sorted(again.up_to_date) == ["MA", "TN", "regional"]


def test_two_files_for_one_state_stop_the_build(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """MA.yaml beside MA.yml: no report may pick one of them silently."""
    ws = copy_workspace(tmp_path / "ws", ("MA", "TN"))
    monkeypatch.chdir(ws)
    shutil.copy(ws / "countries" / "MA.yaml", ws / "countries" / "MA.yml")
    with pytest.raises(DuplicateReview) as raised:
        run(ws, region=True, formats="html")
    assert raised.value.message == ("countries/MA.yaml and countries/MA.yml are both the review "
                                    "of MA")
    assert raised.value.exit_code == 1
    assert not (ws / "out" / "regional.fr.html").exists()


def test_a_stray_copy_does_not_hide_a_states_valid_review(tmp_path: Path) -> None:
    """MA-old.yaml saying `country: MA` is an error of its own (country-mismatch); Morocco's
    valid MA.yaml is still its review in the regional report."""
    ws = copy_workspace(tmp_path / "ws", ("MA", "TN"))
    shutil.copy(ws / "countries" / "MA.yaml", ws / "countries" / "MA-old.yaml")
    outcome = run(ws, region=True, formats="html")
    assert outcome.exit_code == 1 and "MA-old" in outcome.failed
    assert "regional" in outcome.built
    assert "Maroc" in participation(ws) and "Fichier non valide" not in participation(ws)


def test_the_plan_is_decided_before_anything_converts(tmp_path: Path) -> None:
    """The build plan is a value: which documents, in which language, from which files,
    into which outputs, and what is up to date; planning writes nothing."""
    from gcmreview.pipeline import REGIONAL_ID, Builder, BuildOptions
    from gcmreview.validate.workspace import load_workspace

    ws = copy_workspace(tmp_path / "ws", ("MA", "TN", "DZ"))
    assert run(ws, every=True, formats="html,md").exit_code == 0
    tn = ws / "countries" / "TN.yaml"
    tn.write_text(tn.read_text(encoding="utf-8").replace("status: draft", "status: submitted"),
                  encoding="utf-8")
    before = {p.name: p.stat().st_mtime_ns for p in (ws / "out").iterdir()}

    workspace = load_workspace(ws / "gcmreview.yaml")
    builder = Builder(workspace, BuildOptions(all=True, formats=("html", "md"),
                                              out_dir=ws / "out"))
    files = workspace.review_files()
    builder.read(files)
    plan = builder.plan(files, files)
    assert [(d.id, d.lang) for d in plan.documents] == [("TN", "fr"), (REGIONAL_ID, "fr")]
    assert sorted(plan.up_to_date) == ["DZ", "MA"]
    tn_plan = plan.documents[0]
    assert tn_plan.review == tn
    assert tn_plan.targets == {"html": ws / "out" / "TN.fr.html", "md": ws / "out" / "TN.fr.md"}
    assert {p.name: p.stat().st_mtime_ns for p in (ws / "out").iterdir()} == before
