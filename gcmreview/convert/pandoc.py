"""Convert rendered skeletons with pandoc (HTML, DOCX, Markdown, typst) and typst (PDF).

pandoc runs as long-lived `pandoc lua batch.lua` workers, one per core, fed one
JSON job per line: a fresh pandoc process per output costs about four times as
much. The pandoc binary is the one bundled in the pypandoc-binary wheel, never
whatever pandoc the system has, unless GCMREVIEW_PANDOC names one. Narratives
reach the workers through gcmreview.convert.narratives: parsed once per build.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from gcmreview.convert.docx import DocxFinish, Package, Picture, finish_docx
from gcmreview.convert.docx_batch import split_batch
from gcmreview.convert.figures import (
    FIGURE_CACHE,
    RenderedFigure,
    cached_drawing,
    pdf_files,
    place_in_html,
    render_figures,
)
from gcmreview.convert.fonts import font_families
from gcmreview.convert.narratives import NarrativeCache
from gcmreview.convert.pdf import TypstWorker
from gcmreview.convert.pool import Pool, Processes
from gcmreview.convert.process import LineProcess
from gcmreview.core.errors import ConversionError, InputError, os_reason
from gcmreview.core.i18n import Formatter, _
from gcmreview.core.narrative import policy, sanitiser_version
from gcmreview.model.figures import Chart, HeatMap
from gcmreview.render.document import DocumentMeta
from gcmreview.render.tables import written_for
from gcmreview.render.templates import RenderedSkeleton, find_template_file

FORMATS = ("html", "docx", "pdf", "md")
RECYCLE_AFTER_BYTES = 2_000_000
"""A pandoc process keeps the heap its largest document needed; after this much
Markdown parsed a fresh one takes over, so memory stays that of one document (regional
reports of large regions are megabytes of Markdown). Only the Markdown counts: with five
indicators, counting every byte sent (the data tables written by gcmreview, before
Python kept them back) restarted the workers twice as often."""
FIXED_EPOCH = "946684800"  # 2000-01-01: pandoc's own timestamps, overwritten anyway
DOCX_BATCH = 8
"""Reports of one language whose DOCX pandoc writes in one go, cut apart by Python into
the files single writes make (gcmreview.convert.docx_batch): pandoc builds and reads its
default reference document again at every DOCX write (43 MB allocated, about 20 ms)."""
BATCH_MARKDOWN_LIMIT = 256_000
"""A report with more Markdown than this (skeleton and narratives; a regional volume) is
written alone: what a batch saves is nothing beside it, and the reports of a batch are
converted one after the other by one worker."""


def pandoc_path() -> Path:
    forced = os.environ.get("GCMREVIEW_PANDOC")
    if forced:
        return Path(forced)
    spec = importlib.util.find_spec("pypandoc")
    if spec is None or not spec.submodule_search_locations:
        raise InputError(_("pandoc is missing: the pypandoc-binary package is not installed"),
                         hint=_("install gcmreview again, or set GCMREVIEW_PANDOC to a pandoc "
                                "3.1 or newer"))
    folder = Path(next(iter(spec.submodule_search_locations))) / "files"
    for name in ("pandoc", "pandoc.exe"):
        if (folder / name).is_file():
            return folder / name
    raise InputError(_("the pandoc that comes with pypandoc-binary is missing"),
                     hint=_("do not install `pypandoc` beside `pypandoc-binary`; install "
                            "gcmreview again, or set GCMREVIEW_PANDOC"))


def batch_script() -> Path:
    return Path(__file__).with_name("batch.lua")


@cache
def narrative_version() -> str:
    """The sanitiser's version: its policy, its Lua and the pandoc that runs it."""
    pandoc = pandoc_path()
    stat = pandoc.stat()
    return sanitiser_version(batch_script().read_bytes()
                             + batch_script().with_name("sanitize.lua").read_bytes()
                             + f"{pandoc}:{stat.st_size}:{stat.st_mtime_ns}".encode())


def paragraph_number(meta: DocumentMeta) -> str:
    t = Formatter(meta.lang, report=True).gettext
    # Translators: the number of a paragraph, as United Nations documents write
    # it at the paragraph's start: "12." in English and French, "12 -" in Arabic.
    return t("{number}.")


def apparatus(meta: DocumentMeta) -> dict[str, object] | None:
    """What batch.lua's apparatus (numbered paragraphs, source notes) needs in the
    document's language; None for a form, which has none of them."""
    if meta.form:
        return None
    t = Formatter(meta.lang, report=True).gettext
    return {"lang": meta.lang, "dir": meta.dir, "number": paragraph_number(meta),
            # Translators: the heading over the footnotes, at the end of an HTML report.
            "notes_title": t("Notes")}


@dataclass
class Job:
    """One document to convert into one or more formats."""

    id: str
    skeleton: RenderedSkeleton
    meta: DocumentMeta
    outputs: dict[str, Path]
    """Format -> path in the staging folder."""
    key: str = ""
    """The fingerprint of what it is made from (gcmreview.write.manifest)."""
    targets: dict[str, Path] = field(default_factory=dict)
    """Format -> where it is published once every format succeeded."""
    warnings: tuple[str, ...] = ()
    """What it shows in another language than its own, for the person building it."""
    figures: dict[str, HeatMap | Chart] = field(default_factory=dict)
    """Figures the skeleton places, drawn when the job is converted."""
    error: str | None = field(default=None)
    narrative_reads: int = 0
    """How many times pandoc parsed Markdown for this job's narratives."""
    narrative_walks: int = 0
    """How many of those reads the sanitiser walked (batch.lua spares it the reads with
    nothing to sanitise)."""


@dataclass(frozen=True)
class PandocTemplates:
    html: Path
    typst: Path
    reference_doc: Path

    @classmethod
    def find(cls, dirs: list[Path]) -> PandocTemplates:
        return cls(find_template_file("report.html", dirs), find_template_file("report.typ", dirs),
                   find_template_file("reference.docx", dirs))


RTS_OPTIONS = ("-A2m", "-O64m")
"""The garbage collector of our long-running pandoc processes (GHC runtime options).

-A2m: a 2 MB allocation area, which stays in the processor's cache (the binary's
default, -H64m, lets it grow to 64 MB); -O64m: the old generation is not collected
before it holds 64 MB (a document's live data is a few MB: by default it is
collected after every few documents). Measured on build --all --format html,docx of
193 States (two workers, two cores): pandoc's CPU 50 s -> 37-38 s, the build 31 s ->
24-25 s, largest pandoc process 218 -> 233 MB; on the regional report alone 24.4 s ->
14.9 s of CPU, same peak. The -c (compacting) collection used before cost a quarter
of that gain for a tenth less memory. pandoc reading Word files gains as much."""


class PandocWorker:
    """A `pandoc lua` process converting jobs sent on its stdin."""

    def __init__(self, templates: PandocTemplates, narratives: NarrativeCache) -> None:
        self.templates = templates
        self.narratives = narratives
        env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH, "LC_ALL": "C.UTF-8"}
        self.process = LineProcess("pandoc", [
            str(pandoc_path()), "+RTS", *RTS_OPTIONS, "-RTS", "lua", str(batch_script())], env)
        try:
            self.process.send({"policy": policy(), "cache_dir": str(narratives.folder)})
        except BaseException:
            self.process.close()
            raise
        self.parsed = 0
        """Bytes of Markdown sent to be parsed so far: skeletons and narratives."""
        self.waiting: list[Job] = []
        """Jobs whose DOCX waits to be written with others' (`write_docx_batch`)."""

    @property
    def converted(self) -> int:
        """Bytes of Markdown converted so far (`RECYCLE_AFTER_BYTES`)."""
        return self.parsed

    def _parsing(self, markdown: str, narratives: list[dict[str, Any]]) -> None:
        self.parsed += len(markdown.encode()) + sum(len(n["text"].encode())
                                                   for n in narratives if "text" in n)

    def _answered(self, ask: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """pandoc's answer to a request (`ask` sends it), asked again once if a cached
        narrative is gone (it is parsed then); the cache learns what was parsed."""
        answer = ask()
        if answer.get("missing"):
            self.narratives.forget(answer["missing"])
            answer = ask()
            self.narratives.forget(answer.get("missing") or ())
        self.narratives.learn(answer.get("pack"), answer.get("parsed") or (),
                              answer.get("verified") or ())
        return answer

    def convert(self, job: Job, figures: dict[str, RenderedFigure],
                later_docx: bool = False) -> None:
        """`later_docx`: its DOCX is written with others' (`write_docx_batch`)."""
        answer = self._answered(lambda: self._convert(job, figures, later_docx))
        job.narrative_reads = int(answer.get("reads") or 0)
        job.narrative_walks = int(answer.get("walks") or 0)
        if not answer["ok"]:
            job.error = _("pandoc failed: {reason}").format(reason=answer.get("error"))
        elif answer.get("docx_later"):
            self.waiting.append(job)

    def write_docx_batch(self, path: Path) -> list[dict[str, Any]]:
        """Writes the DOCX of the `waiting` jobs in one file; their titles and properties,
        in that order (batch.lua `write_docx_batch`)."""
        return list(self._ask({"id": str(path), "write_docx_batch": str(path),
                               "reference_doc": str(self.templates.reference_doc)})["parts"])

    def write_docx_alone(self, k: int) -> None:
        """Writes the `k`th report of the batch last written (from 1) to its own file."""
        self._ask({"id": f"alone-{k}", "write_docx_alone": k,
                   "reference_doc": str(self.templates.reference_doc)})

    def _exchange(self, request: dict[str, Any]) -> dict[str, Any]:
        """pandoc's answer to `request`, which must be for it."""
        self.process.send(request)
        answer = self.process.receive()
        if answer.get("id") != request["id"]:
            raise ConversionError(_("pandoc answered for {other} instead of {job}: "
                                    "{output}").format(other=answer.get("id"), job=request["id"],
                                                       output=self.process.stopped().message))
        return answer

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        """`_exchange`, and pandoc's failure raised."""
        answer = self._exchange(request)
        if not answer["ok"]:
            raise ConversionError(_("pandoc failed: {reason}").format(reason=answer.get("error")))
        return answer

    def _convert(self, job: Job, figures: dict[str, RenderedFigure],
                 later_docx: bool) -> dict[str, Any]:
        pack, narratives = self.narratives.request(job.skeleton.narratives)
        outputs = {k: str(v) for k, v in job.outputs.items() if k != "pdf"}
        if "pdf" in job.outputs:
            outputs["typst"] = str(job.outputs["pdf"].with_suffix(".typ"))
        placed = {name: {"width": figure.width, "height": figure.height,
                         "drawing": figure.drawing} for name, figure in figures.items()}
        self._parsing(job.skeleton.markdown, narratives)
        return self._exchange({
            "id": job.id,
            "markdown": job.skeleton.markdown,
            "narratives": narratives,
            "pack": pack,
            "meta": {**job.meta.as_pandoc(), "fonts": font_families(job.meta.rtl)},
            "outputs": outputs,
            "templates": {"html": str(self.templates.html), "typst": str(self.templates.typst)},
            "reference_doc": str(self.templates.reference_doc),
            "figures": placed,
            # Which formats each data table is written for; Python keeps the tables and puts
            # them in place of pandoc's markers (batch.lua `data_table`).
            "tables": {name: dict.fromkeys(written, True)
                       for name, written in job.skeleton.tables.items()},
            "figure_texts": job.skeleton.figure_texts,
            "apparatus": apparatus(job.meta),
            "docx_batch": later_docx,
        })

    def fragments(self, id: str, narratives: dict[str, str],
                  languages: dict[str, str] | None = None) -> dict[str, str]:
        """Each narrative as an HTML fragment (key -> HTML), parsed and sanitised as in the
        reports, and set by the typography of its language (`languages`, key -> language)
        as they are: the review site lays its pages out itself."""
        answer = self._answered(lambda: self._fragments(id, narratives, languages or {}))
        if not answer["ok"]:
            raise ConversionError(_("pandoc failed: {reason}").format(reason=answer.get("error")))
        html = answer.get("html") or {}
        return {key: str(html[key]) for key in narratives}

    def _fragments(self, id: str, narratives: dict[str, str], languages: dict[str, str]
                   ) -> dict[str, Any]:
        pack, items = self.narratives.request(narratives)
        self._parsing("", items)
        # A footnote needs `[^` in the text: those narratives are written on their own.
        return self._exchange({
            "id": id, "fragments": True, "narratives": items, "pack": pack,
            "notes": sorted(k for k, text in narratives.items() if "[^" in text),
            "languages": languages})

    def close(self) -> None:
        self.process.close()


class ConversionWorker:
    """One worker of a build's pool: its pandoc, and its typst once a PDF is wanted.
    Each is replaced by a fresh process after much work: memory stays that of one
    document, or of one batch of small ones (DOCX_BATCH)."""

    def __init__(self, templates: PandocTemplates, narratives: NarrativeCache,
                 processes: Processes) -> None:
        self.templates = templates
        self.narratives = narratives
        self.processes = processes
        self.pandoc = PandocWorker(templates, narratives)
        processes.started(self.pandoc.process)
        self.typst: TypstWorker | None = None

    def typesetter(self) -> TypstWorker:
        if self.typst is not None and self.typst.spent:
            self.typst.close()
            self.typst = None
        if self.typst is None:
            self.typst = TypstWorker()
            self.processes.started(self.typst.process)
        return self.typst

    def convert(self, batch: list[Job]) -> Converted:
        if self.pandoc.converted > RECYCLE_AFTER_BYTES:
            self.pandoc.close()
            self.pandoc = PandocWorker(self.templates, self.narratives)
            self.processes.started(self.pandoc.process)
        together = len(batch) > 1
        converted = Converted([typeset_job(self.pandoc, job, self.typesetter, together)
                               for job in batch])
        later, self.pandoc.waiting = self.pandoc.waiting, []
        if later:
            converted.packages = self.docx_batch(later)
        return converted

    def docx_batch(self, jobs: list[Job]) -> dict[str, Package]:
        """The DOCX of `jobs`, written in one go and cut apart (by job id); a job whose
        part cannot be cut as its own write would be is written alone, to its file."""
        path = jobs[0].outputs["docx"].with_name(f".batch-{jobs[0].id}.docx")
        cut: list[Package | None] = [None for _job in jobs]
        try:
            parts = self.pandoc.write_docx_batch(path)
            # A file pandoc laid out otherwise than docx_batch expects: each written alone.
            with contextlib.suppress(ValueError, LookupError, OSError,
                                     zipfile.BadZipFile):
                cut = split_batch(path, parts)
        except ConversionError:
            if self.pandoc.process.process.poll() is not None:
                raise  # pandoc stopped (or was stopped): the build says why, as for any job
            # pandoc could not write the batch (an error in one document): each alone.
        finally:
            path.unlink(missing_ok=True)
        for k, (job, package) in enumerate(zip(jobs, cut, strict=True)):
            if package is None:
                try:
                    self.pandoc.write_docx_alone(k + 1)
                except ConversionError as exc:
                    job.error = exc.message
        return {job.id: package for job, package in zip(jobs, cut, strict=True)
                if package is not None}

    def close(self) -> None:
        self.pandoc.close()
        if self.typst is not None:
            self.typst.close()


def convert_job(worker: PandocWorker, job: Job, typesetter: Callable[[], TypstWorker]) -> None:
    """Draw the job's figures, convert it with pandoc, then finish each format."""
    finish_job(job, typeset_job(worker, job, typesetter))


def typeset_job(worker: PandocWorker, job: Job, typesetter: Callable[[], TypstWorker],
                later_docx: bool = False) -> dict[str, RenderedFigure]:
    """What needs the job's pandoc and typst processes: the conversion, and the PDF;
    `later_docx`: its DOCX is written with others' (`PandocWorker.write_docx_batch`)."""
    def draw(*request: Any) -> dict[str, list[bytes]]:  # typst started only when needed
        return typesetter().draw(*request)

    drawing = cached_drawing(draw, worker.narratives.root / FIGURE_CACHE, worker.narratives.key)
    figures = render_figures(job.figures, drawing, svg="html" in job.outputs,
                             png="docx" in job.outputs)
    worker.convert(job, figures, later_docx and "docx" in job.outputs)
    if job.error is None and "pdf" in job.outputs:
        job.error = typesetter().compile(job.outputs["pdf"].with_suffix(".typ"),
                                         job.outputs["pdf"], pdf_files(figures))
    return figures


def finish_job(job: Job, figures: dict[str, RenderedFigure],
               package: Package | None = None) -> None:
    """What pandoc's HTML and DOCX leave to do, in Python: no process is needed. The
    DOCX is `package` when pandoc wrote it with others'."""
    if job.error:
        return
    try:
        tables = job.skeleton.tables
        if "html" in job.outputs and (figures or tables):
            place_in_html(job.outputs["html"], figures, written_for("html", tables))
        if "docx" in job.outputs:
            meta = job.meta
            finish_docx(job.outputs["docx"], DocxFinish(meta.rtl, meta.header, meta.footer,
                                                        meta.date_iso, form=meta.form,
                                                        number=paragraph_number(meta)),
                        {name: Picture(f.png, f.width, f.height) for name, f in figures.items()
                         if f.png},
                        written_for("docx", tables),
                        {number: texts.get("alt", "")
                         for number, texts in job.skeleton.figure_texts.items()},
                        package)
    except OSError as exc:  # a full disk: the document fails, with the reason
        job.error = _("cannot finish {document}: {reason}").format(document=job.id,
                                                                  reason=os_reason(exc))


@dataclass
class Converted:
    """What a worker made of a batch: each job's figures, and the DOCX of the jobs written
    together, by job id (`ConversionWorker.docx_batch`)."""

    figures: list[dict[str, RenderedFigure]]
    packages: dict[str, Package] = field(default_factory=dict)


OPEN_BATCHES = 4
"""Batches of one language filled at once: a report goes to the first that links to
none of its URLs."""
_URL = re.compile(r"""(?:https?|mailto):[^\s<>()\[\]"'`]+""")


def _urls(job: Job) -> set[str]:
    """The URLs a job's Markdown holds, as written: pandoc's DOCX writer gives a URL one
    relationship per write, so reports that share one are not written together (a guess
    from the text; gcmreview.convert.docx_batch checks what pandoc wrote)."""
    return {url for text in (job.skeleton.markdown, *job.skeleton.narratives.values())
            if "http" in text or "mailto" in text for url in _URL.findall(text)}


def batches(jobs: Iterable[Job], size: int) -> Iterator[list[tuple[int, Job]]]:
    """The jobs (with their place in `jobs`) in batches: up to `size` reports of one
    language, made as HTML and DOCX only, not large (BATCH_MARKDOWN_LIMIT), that link to
    no same URL, whose DOCX pandoc writes in one go; any other job alone."""
    filling: dict[str, list[tuple[list[tuple[int, Job]], set[str]]]] = {}
    started: set[str] = set()
    for index, job in enumerate(jobs):
        if size < 2 or "docx" not in job.outputs or job.meta.form \
                or not set(job.outputs) <= {"html", "docx"} \
                or len(job.skeleton.markdown) + sum(map(len, job.skeleton.narratives.values())
                                                   ) > BATCH_MARKDOWN_LIMIT:
            yield [(index, job)]
            continue
        urls = _urls(job)
        open_batches = filling.setdefault(job.meta.lang, [])
        batch = next((b for b in open_batches if not b[1] & urls), None)
        if batch is None:
            if len(open_batches) >= OPEN_BATCHES:
                yield [(index, job)]
                continue
            batch = ([], set())
            open_batches.append(batch)
        batch[0].append((index, job))
        batch[1].update(urls)
        # A language's first batch goes at two: the workers start on the build's first
        # reports, not on the eighth of a language.
        if len(batch[0]) >= (size if job.meta.lang in started else min(size, 2)):
            started.add(job.meta.lang)
            open_batches.remove(batch)
            yield batch[0]
    for open_batches in filling.values():
        for members, _linked in open_batches:
            yield members


def batch_size(reference_doc: Path) -> int:
    """DOCX_BATCH, or 1 if the reference document has pictures (a logo in its header):
    the cut takes any picture for one pandoc placed, and each report would be written
    twice."""
    try:
        with zipfile.ZipFile(reference_doc) as reference:
            if any(name.startswith("word/media/") for name in reference.namelist()):
                return 1
    except (OSError, zipfile.BadZipFile):
        return 1  # pandoc says what is wrong with it
    return DOCX_BATCH


def convert_all(jobs: Iterable[Job], templates: PandocTemplates, narratives: NarrativeCache,
                workers: int, on_done: Callable[[Job], None] | None = None) -> list[Job]:
    """Convert jobs across `workers` pandoc processes (gcmreview.convert.pool); jobs may
    still be rendering. The Python half of each (finishing its DOCX and HTML) is done
    here, while the workers convert the next ones.

    Returns the jobs in the order given, each with `error` set if it failed.
    """
    pool: Pool[ConversionWorker, list[tuple[int, Job]], Converted] = Pool(
        workers, lambda processes: ConversionWorker(templates, narratives, processes),
        lambda worker, batch: worker.convert([job for _index, job in batch]))
    finished: dict[int, Job] = {}
    with contextlib.closing(pool.results(batches(jobs, batch_size(templates.reference_doc)))
                            ) as results:
        for done in results:
            converted = done.value or Converted([{} for _item in done.item])
            for (index, job), figures in zip(done.item, converted.figures, strict=True):
                finish_job(job, figures, converted.packages.get(job.id))
                if on_done:
                    on_done(job)
                finished[index] = job
    return [finished[i] for i in sorted(finished)]
