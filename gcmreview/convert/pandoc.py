"""Convert rendered skeletons with pandoc (HTML, DOCX, Markdown, typst) and typst (PDF).

pandoc runs as long-lived `pandoc lua batch.lua` workers, one per core, fed one
JSON job per line: a fresh pandoc process per output costs about four times as
much. The pandoc binary is the one bundled in the pypandoc-binary wheel, never
whatever pandoc the system has, unless GCMREVIEW_PANDOC names one.
"""

from __future__ import annotations

import base64
import contextlib
import importlib.util
import json
import os
import queue
import re
import subprocess
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape

import typst

from gcmreview.convert.figures import RenderedFigure
from gcmreview.convert.fonts import font_dirs
from gcmreview.core.errors import ConversionError, InputError
from gcmreview.render.templates import RenderedSkeleton, find_template_file

FORMATS = ("html", "docx", "pdf", "md")
RECYCLE_AFTER_BYTES = 2_000_000
"""A pandoc process keeps the heap its largest document needed; after this much
input a fresh one takes over, so memory stays that of one document (regional
reports of large regions are megabytes of Markdown)."""
FIXED_EPOCH = "946684800"  # 2000-01-01: pandoc's own timestamps, overwritten anyway
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def pandoc_path() -> Path:
    forced = os.environ.get("GCMREVIEW_PANDOC")
    if forced:
        return Path(forced)
    spec = importlib.util.find_spec("pypandoc")
    if spec is None or not spec.submodule_search_locations:
        raise InputError("pandoc is missing: the pypandoc-binary package is not installed",
                         hint="reinstall gcmreview (pip install gcmreview) or set "
                         "GCMREVIEW_PANDOC to a pandoc 3.1+ binary")
    folder = Path(next(iter(spec.submodule_search_locations))) / "files"
    for name in ("pandoc", "pandoc.exe"):
        if (folder / name).is_file():
            return folder / name
    raise InputError("the bundled pandoc binary is missing from pypandoc-binary",
                     hint="do not install `pypandoc` beside `pypandoc-binary`; reinstall "
                     "gcmreview, or set GCMREVIEW_PANDOC")


def batch_script() -> Path:
    return Path(__file__).with_name("batch.lua")


@dataclass
class Job:
    """One document to convert into one or more formats."""

    id: str
    skeleton: RenderedSkeleton
    meta: dict[str, Any]
    rtl: bool
    outputs: dict[str, Path]
    """Format -> path in the staging folder."""
    header: str = ""
    footer: str = ""
    date_iso: str | None = None
    figures: dict[str, RenderedFigure] = field(default_factory=dict)
    error: str | None = field(default=None)


@dataclass(frozen=True)
class PandocTemplates:
    html: Path
    typst: Path
    reference_doc: Path

    @classmethod
    def find(cls, dirs: list[Path]) -> PandocTemplates:
        return cls(find_template_file("report.html", dirs), find_template_file("report.typ", dirs),
                   find_template_file("reference.docx", dirs))


class PandocWorker:
    """A `pandoc lua` process converting jobs sent on its stdin."""

    def __init__(self, templates: PandocTemplates) -> None:
        self.templates = templates
        self.converted = 0
        """Bytes of input converted so far."""
        # A file, not a pipe: a chatty pandoc must never block on a full stderr pipe.
        self.stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH, "LC_ALL": "C.UTF-8"}
        # -c: compacting collection of the old generation: a third less memory on
        # large documents (a 4 MB regional report: 2.4 GB -> 1.5 GB), same speed.
        try:
            self.process = subprocess.Popen(
                [str(pandoc_path()), "+RTS", "-A64m", "-c", "-RTS", "lua", str(batch_script())],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr, env=env,
            )
        except OSError as exc:
            raise InputError(f"cannot start pandoc ({pandoc_path()}): {exc.strerror}") from exc

    def convert(self, job: Job) -> None:
        outputs = {k: str(v) for k, v in job.outputs.items() if k != "pdf"}
        figures = {}
        for name, figure in job.figures.items():
            png = next(iter(job.outputs.values())).with_name(f"{job.id}.{name}.png")
            if figure.png:
                png.write_bytes(figure.png)
            figures[name] = {"png": str(png), "width": figure.width}
        if "pdf" in job.outputs:
            outputs["typst"] = str(job.outputs["pdf"].with_suffix(".typ"))
        request = {
            "id": job.id,
            "markdown": job.skeleton.markdown,
            "narratives": job.skeleton.narratives,
            "meta": job.meta,
            "outputs": outputs,
            "templates": {"html": str(self.templates.html), "typst": str(self.templates.typst)},
            "reference_doc": str(self.templates.reference_doc),
            "figures": figures,
        }
        assert self.process.stdin is not None and self.process.stdout is not None
        payload = json.dumps(request).encode() + b"\n"
        self.converted += len(payload)
        try:
            self.process.stdin.write(payload)
            self.process.stdin.flush()
            line = self.process.stdout.readline()
        except BrokenPipeError:
            line = b""
        if not line:
            raise ConversionError(f"pandoc stopped unexpectedly: {self.error_output()}")
        answer = json.loads(line)
        if answer.get("id") != job.id:
            raise ConversionError(f"pandoc answered for {answer.get('id')!r} instead of "
                                  f"{job.id!r}: {self.error_output()}")
        if not answer["ok"]:
            job.error = f"pandoc failed: {answer.get('error')}"

    def error_output(self) -> str:
        self.stderr.seek(0)
        return self.stderr.read().decode(errors="replace").strip()[-2000:]

    def close(self) -> None:
        with contextlib.suppress(OSError):
            if self.process.stdin:
                self.process.stdin.close()
        self.process.wait(timeout=60)
        if self.process.stdout:
            self.process.stdout.close()
        self.stderr.close()


def base64_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def finish_docx(path: Path, job: Job) -> None:
    """What pandoc leaves out: RTL tables, complex-script bold, header text, stable bytes."""
    with zipfile.ZipFile(path) as archive:
        entries = [(info.filename, archive.read(info)) for info in archive.infolist()]
    fixed = []
    for name, data in entries:
        text: str | None = None
        if name == "word/document.xml" and job.rtl:
            text = data.decode()
            # Tables read right to left (pandoc never sets w:bidiVisual, jgm/pandoc#7695).
            text = re.sub(r"(<w:tblPr>(?:<w:tblStyle [^>]*/>)?)", r"\1<w:bidiVisual />", text)
            # The cover paragraphs pandoc makes from metadata are not marked RTL.
            text = re.sub(r'(<w:pStyle w:val="(?:Title|Subtitle|Author|Date)" />)(?!<w:bidi)',
                          r"\1<w:bidi />", text)
            # Bold and italic must be set for complex scripts too (jgm/pandoc#6911);
            # pandoc 3.9 already does it in most runs, so only fill the gaps.
            text = re.sub(r"<w:b />(?!<w:bCs)", "<w:b /><w:bCs />", text)
            text = re.sub(r"<w:i />(?!<w:iCs)", "<w:i /><w:iCs />", text)
        elif re.fullmatch(r"word/(header|footer)\d*\.xml", name):
            text = data.decode()
            text = text.replace("GCMREVIEW_HEADER_TEXT", escape(job.header))
            text = text.replace("GCMREVIEW_FOOTER_TEXT", escape(job.footer))
            if job.rtl:
                # w:bidi goes after w:pStyle (schema order).
                text = re.sub(r"(<w:pPr>(?:<w:pStyle [^>]*/>)?)", r"\1<w:bidi />", text)
        elif name == "docProps/core.xml":
            stamp = f"{job.date_iso or '2000-01-01'}T00:00:00Z"
            text = re.sub(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rf"\g<1>{stamp}",
                          data.decode())
        fixed.append((name, text.encode() if text is not None else data))
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w") as archive:
        for name, data in fixed:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    os.replace(tmp, path)


def compile_pdf(job: Job) -> None:
    """typst source -> PDF with pinned fonts; a typst warning (missing font...) is an error."""
    pdf_path = job.outputs["pdf"]
    typ_path = pdf_path.with_suffix(".typ")
    with tempfile.TemporaryDirectory() as root:
        # The compile root holds only our figures: typst code can read no other file.
        for name, figure in job.figures.items():
            (Path(root) / f"{name}.svg").write_bytes(figure.svg)
        source = typ_path.read_bytes()
        try:
            pdf, warnings = typst.compile_with_warnings(
                source, root=root, font_paths=list(font_dirs()), ignore_system_fonts=True,
            )
        except typst.TypstError as exc:
            job.error = f"typst failed: {exc.message if hasattr(exc, 'message') else exc}"
            return
    if warnings:
        job.error = "typst warned: " + "; ".join(w.message for w in warnings)
        return
    pdf_path.write_bytes(pdf)
    typ_path.unlink()


def finish_html(path: Path, job: Job) -> None:
    """Put each figure's SVG in place of its marker, as a data URI: self-contained HTML."""
    html = path.read_text(encoding="utf-8")
    for name, figure in job.figures.items():
        html = html.replace(f'src="gcmreview-figure:{name}"', f'src="{base64_uri(figure.svg)}"')
    path.write_text(html, encoding="utf-8")


def _finish(job: Job) -> None:
    if job.error:
        return
    if "html" in job.outputs and job.figures:
        finish_html(job.outputs["html"], job)
    if "docx" in job.outputs:
        finish_docx(job.outputs["docx"], job)
    if "pdf" in job.outputs:
        compile_pdf(job)


def convert_all(jobs: Iterable[Job], templates: PandocTemplates, workers: int,
                on_done: Callable[[Job], None] | None = None) -> list[Job]:
    """Convert jobs across `workers` pandoc processes; jobs may still be rendering.

    Returns the jobs in the order given, each with `error` set if it failed.
    """
    pending: queue.Queue[Job | None] = queue.Queue(maxsize=max(2, workers * 2))
    done: list[Job] = []
    failures: list[BaseException] = []

    def work(worker: PandocWorker) -> None:
        try:
            while (job := pending.get()) is not None:
                try:
                    if worker.converted > RECYCLE_AFTER_BYTES:
                        worker.close()
                        worker = PandocWorker(templates)
                    worker.convert(job)
                    _finish(job)
                    if on_done:
                        on_done(job)
                except BaseException as exc:
                    failures.append(exc)
        finally:
            worker.close()

    # Started here, not in the threads: a pandoc that cannot start fails the build at once.
    started = [PandocWorker(templates) for _ in range(workers)]
    threads = [threading.Thread(target=work, args=(w,), daemon=True) for w in started]
    for thread in threads:
        thread.start()
    try:
        for job in jobs:
            done.append(job)
            pending.put(job)
    finally:
        for _ in threads:
            pending.put(None)
        for thread in threads:
            thread.join()
    if failures:
        raise failures[0]
    return done
