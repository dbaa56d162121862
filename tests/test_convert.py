"""The pandoc workers: each narrative parsed once, and only the odd one read alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from gcmreview.convert.narratives import NarrativeCache
from gcmreview.convert.pandoc import (
    Job,
    PandocTemplates,
    PandocWorker,
    convert_job,
    narrative_version,
)
from gcmreview.convert.pdf import TypstWorker
from gcmreview.core.narrative import key
from gcmreview.render.templates import RenderedSkeleton, builtin_templates_dir


@pytest.fixture
def worker(tmp_path: Path):
    cache = NarrativeCache(tmp_path / "out", narrative_version())
    templates = PandocTemplates.find([builtin_templates_dir()])
    started = PandocWorker(templates, cache)
    yield started
    started.close()


def document(tmp_path: Path, name: str, texts: list[str]) -> Job:
    narratives = {key(t): t for t in texts}
    skeleton = "\n\n".join(f'::: {{.narrative ref="{k}" lang="en" dir="ltr"}}\n:::'
                           for k in narratives)
    meta = {"title": name, "subtitle": "test", "facts": []}
    return Job(name, RenderedSkeleton(skeleton, narratives), meta, False,
               {"md": tmp_path / f"{name}.md"})


def converted(worker: PandocWorker, job: Job) -> str:
    convert_job(worker, job, TypstWorker)  # no PDF here: never started
    assert job.error is None, job.error
    return job.outputs["md"].read_text(encoding="utf-8")


def test_a_footnote_in_one_narrative_leaves_the_others_joined(worker, tmp_path: Path) -> None:
    texts = [f"Plain narrative number {i}." for i in range(40)]
    texts.append("With a note[^1].\n\n[^1]: the note of forty")
    job = document(tmp_path, "A", texts)
    md = converted(worker, job)
    assert job.narrative_reads == 2  # the forty together, the one with a note alone
    assert all(md.count(f"narrative number {i}.") == 1 for i in range(40))
    assert "the note of forty" in md


def test_a_swallowing_narrative_is_isolated_not_the_document(worker, tmp_path: Path) -> None:
    texts = [f"Plain narrative number {i}." for i in range(40)]
    texts.append("```\nan unclosed fence")
    job = document(tmp_path, "B", texts)
    md = converted(worker, job)
    # Halving finds the culprit: a few reads, never one per narrative.
    assert 2 < job.narrative_reads <= 14
    assert all(md.count(f"narrative number {i}.") == 1 for i in range(40))
    assert "an unclosed fence" in md


def test_a_narrative_is_parsed_once_then_read_from_the_cache(worker, tmp_path: Path) -> None:
    texts = ["Shared *narrative*.", "Only in the first."]
    first = document(tmp_path, "C1", texts)
    converted(worker, first)
    second = document(tmp_path, "C2", [texts[0], "New in the second."])
    md = converted(worker, second)
    assert second.narrative_reads == 1  # the shared one came from the cache
    assert "Shared *narrative*." in md and "New in the second." in md
