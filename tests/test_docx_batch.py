"""Several reports' DOCX in one pandoc write, cut apart (gcmreview.convert.docx_batch): the
files are those a write of each report alone gives, byte for byte, through the real
pandoc. The workspace's reviews (tests/data/docx-batch) are in three languages and link
to the same URLs; their narratives have notes (with links), lists of every kind, a
table, code, a mailto link; a State's name has the characters XML escapes; its
reference document has a list of its own, as one saved by Word has."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

import gcmreview.convert.pandoc as pandoc_module
from gcmreview.convert.pandoc import PandocWorker

from .conftest import DATA

WORKSPACE = DATA / "docx-batch"


def _build(run_cli, tmp_path: Path, name: str, size: int, monkeypatch) -> dict[str, bytes]:
    monkeypatch.setattr(pandoc_module, "DOCX_BATCH", size)
    ws = tmp_path / name
    shutil.copytree(WORKSPACE, ws)
    result = run_cli("build", "--all", "--format", "html,docx", "--out", "out", cwd=ws)
    assert result.code == 0, result.err
    out = ws / "out"
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())
            if p.suffix in (".html", ".docx")}


class _Spy:
    """Counts the DOCX pandoc writes in batches and alone (the real ones still run)."""

    def __init__(self, monkeypatch) -> None:
        self.batches: list[int] = []
        self.alone = 0
        batch, alone = PandocWorker.write_docx_batch, PandocWorker.write_docx_alone

        def write_batch(worker: PandocWorker, path: Path):  # type: ignore[no-untyped-def]
            parts = batch(worker, path)
            self.batches.append(len(parts))
            return parts

        def write_alone(worker: PandocWorker, k: int) -> None:
            self.alone += 1
            alone(worker, k)

        monkeypatch.setattr(PandocWorker, "write_docx_batch", write_batch)
        monkeypatch.setattr(PandocWorker, "write_docx_alone", write_alone)


def test_a_batch_gives_the_files_single_writes_give(run_cli, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    alone = _build(run_cli, tmp_path, "alone", 1, monkeypatch)
    spy = _Spy(monkeypatch)
    batched = _build(run_cli, tmp_path, "batched", 8, monkeypatch)
    assert sorted(spy.batches) == [2, 2, 2], spy.batches  # en (CI, NZ), fr, ar
    assert spy.alone == 0
    assert set(batched) == set(alone) and len(alone) == 18
    assert [name for name in alone if batched[name] != alone[name]] == []
    # What the cut had to get right is there: notes, links, lists, escaped properties.
    with zipfile.ZipFile(tmp_path / "batched" / "out" / "CI.en.docx") as docx:
        document = docx.read("word/document.xml").decode()
        rels = docx.read("word/_rels/document.xml.rels").decode()
        notes = docx.read("word/footnotes.xml").decode()
    with zipfile.ZipFile(tmp_path / "batched" / "out" / "NZ.en.docx") as docx:
        core = docx.read("docProps/core.xml").decode()
    assert "<dc:title>New Zealand &amp; Co’s &lt;test&gt; &quot;name&quot;</dc:title>" in core
    assert 'Target="https://example.org/portal"' in rels and "mailto:focal@example.org" in rels
    assert "w:footnoteReference" in document and "example.org/stats" not in document
    assert "Figures from" in notes
    assert '<w:numId w:val="1001" />' in document


def test_a_part_pandoc_would_number_otherwise_is_written_alone(
        run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reports that link to the same URL are kept apart (pandoc gives a URL one
    relationship per write); if the guess from their text misses one, the cut sees it
    and that report is written again, alone."""
    alone = _build(run_cli, tmp_path, "alone", 1, monkeypatch)
    monkeypatch.setattr(pandoc_module, "_urls", lambda job: set())
    spy = _Spy(monkeypatch)
    batched = _build(run_cli, tmp_path, "batched", 8, monkeypatch)
    assert spy.alone >= 2  # GB and US link to what CI links to, in the same batch
    assert [name for name in alone if batched[name] != alone[name]] == []


def test_a_batch_laid_out_otherwise_is_written_report_by_report(
        run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gcmreview.convert.docx_batch import Uncuttable

    alone = _build(run_cli, tmp_path, "alone", 1, monkeypatch)

    def uncuttable(path: Path, parts: list[dict[str, object]]) -> None:
        raise Uncuttable("not as batch.lua lays it out")

    monkeypatch.setattr(pandoc_module, "split_batch", uncuttable)
    spy = _Spy(monkeypatch)
    batched = _build(run_cli, tmp_path, "batched", 8, monkeypatch)
    assert spy.alone == sum(spy.batches) == 6  # the first of each batch too
    assert [name for name in alone if batched[name] != alone[name]] == []
    assert not list((tmp_path / "batched" / "out").glob(".batch-*"))


def test_reports_are_batched_by_language_apart_from_shared_links() -> None:
    from gcmreview.convert.pandoc import batches

    class Job:
        def __init__(self, lang: str, text: str, outputs: tuple[str, ...] = ("html", "docx"),
                     form: bool = False) -> None:
            self.outputs = dict.fromkeys(outputs, Path("x"))
            self.meta = type("Meta", (), {"lang": lang, "form": form})()
            self.skeleton = type("Skeleton", (), {"markdown": text, "narratives": {}})()

    jobs = [Job("en", "<https://a.example>"), Job("fr", ""), Job("en", "[x](https://a.example)"),
            Job("en", "plain"), Job("en", "", ("html", "docx", "pdf")), Job("fr", "", form=True),
            Job("en", "", ("html",))]
    got = [[index for index, _job in batch] for batch in batches(jobs, 8)]  # type: ignore[arg-type]
    assert got == [[0, 3], [4], [5], [6], [2], [1]]  # a language's first batch goes at two
    more = [*jobs[:4], *(Job("en", "") for _n in range(10))]
    got = [[index for index, _job in batch] for batch in batches(more, 8)]  # type: ignore[arg-type]
    assert got == [[0, 3], [2, 4, 5, 6, 7, 8, 9, 10], [11, 12, 13], [1]]


def test_the_document_properties_are_written_as_pandoc_writes_them(tmp_path: Path) -> None:
    import subprocess

    from gcmreview.convert.docx_batch import core_properties
    from gcmreview.convert.pandoc import pandoc_path

    script = tmp_path / "core.lua"
    script.write_text(
        'local meta = {title = pandoc.MetaString("a\'b\\"c&d<e>f"),\n'
        '  description = pandoc.MetaString("x\'y"), lang = pandoc.MetaString("fr")}\n'
        'io.stdout:write(pandoc.write(pandoc.Pandoc({pandoc.Para("x")}, meta), "docx"))\n',
        encoding="utf-8")
    (tmp_path / "out.docx").write_bytes(subprocess.run(
        [str(pandoc_path()), "lua", str(script)], check=True, capture_output=True,
        env={"SOURCE_DATE_EPOCH": "946684800"}).stdout)
    with zipfile.ZipFile(tmp_path / "out.docx") as docx:
        written = docx.read("docProps/core.xml").decode()
    part = {"title": "a'b\"c&d<e>f",
            "properties": [["dc:description", "x'y"], ["dc:language", "fr"]]}
    assert core_properties(part, "2000-01-01T00:00:00Z") == written


def test_a_reference_document_with_pictures_is_not_batched(tmp_path: Path) -> None:
    from gcmreview.convert.pandoc import DOCX_BATCH, batch_size

    plain = DATA / "docx-batch" / "templates" / "reference.docx"
    assert batch_size(plain) == DOCX_BATCH
    with zipfile.ZipFile(plain) as source, \
            zipfile.ZipFile(tmp_path / "logo.docx", "w") as target:
        for name in source.namelist():
            target.writestr(name, source.read(name))
        target.writestr("word/media/logo.png", b"\x89PNG\r\n")
    assert batch_size(tmp_path / "logo.docx") == 1
    assert batch_size(tmp_path / "missing.docx") == 1
