"""The pandoc workers: each narrative parsed once, only the odd one read alone, and every
process reaped whatever fails."""

from __future__ import annotations

import contextlib
import re
import subprocess
from pathlib import Path

import pytest

from gcmreview.convert import pandoc as pandoc_module
from gcmreview.convert import process as process_module
from gcmreview.convert.narratives import NarrativeCache
from gcmreview.convert.pandoc import (
    Job,
    PandocTemplates,
    PandocWorker,
    convert_all,
    convert_job,
    narrative_version,
    pandoc_path,
)
from gcmreview.convert.pdf import TypstWorker
from gcmreview.core.errors import ConversionError
from gcmreview.core.narrative import key
from gcmreview.render.document import DocumentMeta
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
    meta = DocumentMeta(title=name, subtitle="test", pagetitle=name, lang="en",
                        toc_title="Contents")
    return Job(name, RenderedSkeleton(skeleton, narratives), meta,
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


NOTED = [
    "Alpha[^1] text.\n\n[^1]: the note of alpha",
    "Beta[^1] and again[^2].\n\n[^1]: first of beta\n\n[^2]: second of beta",
    "Gamma[^note] text.\n\n[^note]: a named note of gamma",
    "Epsilon[^Note] cased.\n\n[^note]: found whatever the case",
    "Zeta[^1][^1] twice.\n\n[^1]: of zeta",
    "Eta[^1] in a list:\n\n- item[^2]\n\n[^1]: of eta\n\n[^2]: of the item",
]
NOTES_TO_SANITISE = [
    "Delta[^1].\n\n[^1]: a note with a [link](https://un.org) and `code`",
    "Pi[^1] and [a link](javascript:alert(1)).\n\n[^1]: of pi",
    # Found in the read's JSON, not in the characters of the text:
    "Rho[^1].\n\n[^1]: a note with a heading in it:\n\n    Heading\n    =======",
]
NOT_ONLY_NOTES = [
    # A `[^` that is no note: left as typed, in code, a link, text with no definition...
    "Theta `[^1]` in code, a note[^1].\n\n[^1]: of theta",
    "Iota[^1] with no definition (alpha's is not its own).",
    "Kappa[^1] [see](https://un.org/[^1]).\n\n[^1]: of kappa",
    "Lambda[^1].\n\n    [^1]: indented: code, not a definition",
    "Mu [^ spaced], [^] empty, and a note[^1].\n\n[^1]: of mu",
    "Nu[^1].\n\n[^1]: of nu\n\n[x]: https://un.org/a-link-definition",
    "Xi[^GCMREVIEWNOTE1Z] spoofs a label.\n\n[^GCMREVIEWNOTE1Z]: of xi",
    "Omicron[^2].\n\n[^1]: defines another label than it uses",
    # Labels pandoc trims (Unicode spaces): two definitions of one label alone, of two
    # with the prefix.
    "Sigma[^1].\n\n[^\u00a01]: the first, shown\n\n[^1]: the second, dropped",
    "Tau[^x] y.\n\n[^\u2003x]: the first, shown\n\n[^X]: the second, dropped",
    "Upsilon[^é] has a label of a letter beyond ASCII.\n\n[^é]: of upsilon",
]
"""Read alone: the first five after a read with the others shows their `[^` left as typed;
the last six without it."""


def cached_json(cache: NarrativeCache, text: str) -> str:
    entry = cache.index[key(text)]
    with (cache.folder / entry.pack).open("rb") as pack:
        pack.seek(entry.offset)
        return pack.read(entry.length).decode()


def test_narratives_with_notes_are_read_together_each_as_read_alone(tmp_path: Path) -> None:
    """Nearly every text numbers its notes from [^1]: read together, each text's labels are
    made its own (batch.lua `with_own_labels`), and a `[^` that is no note's (in code, in a
    link, with no definition) sends its text to be read alone. Each text comes out exactly
    as read alone (its cached pandoc JSON)."""
    templates = PandocTemplates.find([builtin_templates_dir()])
    worker = PandocWorker(templates, NarrativeCache(tmp_path / "notes", narrative_version()))
    try:
        job = document(tmp_path, "N", NOTED)
        md = converted(worker, job)
        # In one read; words and notes only: not walked by the sanitiser (its JSON shows
        # nothing it acts on).
        assert (job.narrative_reads, job.narrative_walks) == (1, 0)
    finally:
        worker.close()
    together = NarrativeCache(tmp_path / "together", narrative_version())
    worker = PandocWorker(templates, together)
    try:
        job = document(tmp_path, "T", [*NOTED, *NOTES_TO_SANITISE, *NOT_ONLY_NOTES])
        converted(worker, job)
        # One read, then one of each text that showed a `[^` of its own, one of the
        # others again (walked: a link, code, a heading), and the last six alone.
        assert (job.narrative_reads, job.narrative_walks) == (1 + 5 + 1 + 6, 5 + 1 + 6)
    finally:
        worker.close()
    for i, text in enumerate([*NOTED, *NOTES_TO_SANITISE, *NOT_ONLY_NOTES]):
        alone = NarrativeCache(tmp_path / f"alone-{i}", narrative_version())
        worker = PandocWorker(templates, alone)
        try:
            one = document(tmp_path, f"one-{i}", [text])
            converted(worker, one)
        finally:
            worker.close()
        assert one.narrative_reads == 1
        assert cached_json(together, text) == cached_json(alone, text), text
    assert "GCMREVIEWNOTE" not in md
    notes = dict(re.findall(r"^\[\^(\d+)\]: (.*)$", md, re.MULTILINE))
    for word in ("alpha", "gamma", "zeta"):  # each text keeps its own note
        line = next(ln for ln in md.splitlines() if word.capitalize() in ln)
        assert notes[re.search(r"\[\^(\d+)\]", line).group(1)].endswith(word), (line, notes)


def test_narratives_with_a_bare_link_are_read_apart_with_the_full_reader(
        worker, tmp_path: Path) -> None:
    """Texts that may hold a bare link (an address, `www`, `://`) are read together with
    READER, the others together with PLAIN_READER (core/narrative.py): two reads, and the
    bare links are links in the document, the rest as it was."""
    texts = [f"Plain narrative number {i}." for i in range(40)]
    texts += ["Write to focal.point@gov.ma.", "See www.iom.int or https://un.org/gcm."]
    job = document(tmp_path, "L", texts)
    md = converted(worker, job)
    assert job.narrative_reads == 2  # the forty together, the two with links together
    assert all(md.count(f"narrative number {i}.") == 1 for i in range(40))
    assert "<focal.point@gov.ma>" in md or "(mailto:focal.point@gov.ma)" in md
    assert "http://www.iom.int" in md and "https://un.org/gcm" in md


@pytest.mark.parametrize("swallowing", ["```\nan unclosed fence", "<!-- an unclosed comment",
                                        "<script>\nan unclosed script"],
                         ids=["fence", "comment", "script"])
def test_a_swallowing_narrative_is_isolated_not_the_document(worker, tmp_path: Path,
                                                             swallowing: str) -> None:
    # With `code`, they are read with the swallowing one (batch.lua may_need_sanitising).
    texts = [f"Plain narrative number {i}. `code`" for i in range(40)]
    texts.append(swallowing)
    job = document(tmp_path, "B", texts)
    md = converted(worker, job)
    # Halving finds the culprit: a few reads, never one per narrative.
    assert 2 < job.narrative_reads <= 14
    assert all(md.count(f"narrative number {i}.") == 1 for i in range(40))
    assert swallowing.split()[-1] in md


def test_narratives_with_nothing_to_sanitise_are_not_walked_and_the_others_are(
        worker, tmp_path: Path) -> None:
    """Texts without the characters of links, raw HTML, code, headings or tables are read
    together, and not walked by the sanitiser when their JSON shows nothing it acts on
    (batch.lua); their cache entries are cut at the raw markers. A heading underlined,
    which those characters do not show, is in the JSON: its group is walked, and the
    heading is a bold paragraph as ever."""
    plain = [f"Plain narrative number {i}, *emphasis*.\n\n- a list" for i in range(20)]
    job = document(tmp_path, "P", plain)
    md = converted(worker, job)
    assert (job.narrative_reads, job.narrative_walks) == (1, 0)
    assert all(md.count(f"narrative number {i}, *emphasis*.") == 1 for i in range(20))
    # Read back from the cache by another document: each entry holds its own narrative.
    again = document(tmp_path, "P2", list(reversed(plain)))
    back = converted(worker, again)
    assert again.narrative_reads == 0
    found = [back.index(f"narrative number {i}, *emphasis*.") for i in range(20)]
    assert found == sorted(found, reverse=True) and back.count("- a list") == 20

    underlined = ["A heading\n=========\n\nIts text.", "Code, indented:\n\n    x = 1"]
    job = document(tmp_path, "S", [*plain, *underlined])
    md = converted(worker, job)
    assert (job.narrative_reads, job.narrative_walks) == (1, 1)  # all in one group, walked
    assert "**A heading**" in md and "# A heading" not in md and "====" not in md
    assert "    x = 1" in md or "```\nx = 1" in md
    again = document(tmp_path, "S2", [*plain, *underlined])
    assert converted(worker, again).split("\n", 1)[1] == md.split("\n", 1)[1]  # but "# S2"
    assert again.narrative_reads == 0


def test_a_narrative_is_parsed_once_then_read_from_the_cache(worker, tmp_path: Path) -> None:
    texts = ["Shared *narrative*.", "Only in the first."]
    first = document(tmp_path, "C1", texts)
    converted(worker, first)
    second = document(tmp_path, "C2", [texts[0], "New in the second."])
    md = converted(worker, second)
    assert second.narrative_reads == 1  # the shared one came from the cache
    assert "Shared *narrative*." in md and "New in the second." in md


# --- Processes are always reaped ------------------------------------------------------


@pytest.fixture
def spawned(monkeypatch) -> list[subprocess.Popen]:
    """Every process the converters start; a worker's handshake waits until they have
    run, so that a pandoc that exits at once is seen to have exited when it is spoken to."""
    started: list[subprocess.Popen] = []

    class Recorded(subprocess.Popen):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            started.append(self)

    def settled_policy() -> dict:
        for process in started:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=2)
        return real_policy()

    real_policy = pandoc_module.policy
    monkeypatch.setattr(process_module.subprocess, "Popen", Recorded)
    monkeypatch.setattr(pandoc_module, "policy", settled_policy)
    return started


def assert_reaped(started: list[subprocess.Popen]) -> None:
    assert started
    for process in started:
        assert process.returncode is not None, "a process was left running"
        assert process.stdin is not None and process.stdin.closed
        assert process.stdout is not None and process.stdout.closed


def fake_pandoc(tmp_path: Path, monkeypatch, body: str) -> None:
    fake = tmp_path / "fake-pandoc"
    fake.write_text(f"#!/bin/sh\n{body}\n")
    fake.chmod(0o755)
    monkeypatch.setenv("GCMREVIEW_PANDOC", str(fake))


def test_a_pandoc_that_exits_at_once_is_reaped(spawned, monkeypatch, tmp_path: Path) -> None:
    fake_pandoc(tmp_path, monkeypatch, "echo 'fake pandoc: cannot start' >&2\nexit 1")
    cache = NarrativeCache(tmp_path / "out", narrative_version())
    with pytest.raises(ConversionError, match="fake pandoc: cannot start"):
        PandocWorker(PandocTemplates.find([builtin_templates_dir()]), cache)
    assert_reaped(spawned)


def test_workers_already_started_are_reaped_when_one_fails(spawned, monkeypatch,
                                                           tmp_path: Path) -> None:
    marker = tmp_path / "first-started"
    fake_pandoc(tmp_path, monkeypatch,
                f'[ -e "{marker}" ] && exit 1\n: > "{marker}"\nexec "{pandoc_path()}" "$@"')
    cache = NarrativeCache(tmp_path / "out", narrative_version())
    job = document(tmp_path, "D", ["Never converted."])
    with pytest.raises(ConversionError):
        convert_all([job], PandocTemplates.find([builtin_templates_dir()]), cache, workers=2)
    assert len(spawned) == 2
    assert_reaped(spawned)
    assert not job.outputs["md"].exists()


def test_a_narrative_read_alone_keeps_its_last_table_row(worker, tmp_path: Path) -> None:
    """A narrative from YAML has no final newline; pandoc's pipe tables need one for their
    last row. Read alone or with others, the table is the same."""
    table = "Intro\n\n| a | b |\n|---|---|\n| c | d |"
    alone = converted(worker, document(tmp_path, "T1", [table]))
    joined = converted(worker, document(tmp_path, "T2", [table, "Another narrative."]))
    assert "\\|" not in alone
    assert alone.split("Intro")[1].split(":::")[0] == joined.split("Intro")[1].split(":::")[0]
