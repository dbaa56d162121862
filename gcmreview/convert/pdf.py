"""typst source to PDF, with the fonts installed with gcmreview and nothing else.

typst runs in a process of its own (`python -m gcmreview.convert.pdf`, one per
build worker), fed one document (or figure: gcmreview.convert.figures) per line:
its memory grows with what it typesets (a 500-page regional volume took 514 MB)
and is not given back, so it stays out of the build's own process, and the
process is replaced after a large document, figures, or many small documents.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gcmreview.convert.process import LineProcess
from gcmreview.core.errors import ConversionError, os_reason
from gcmreview.core.i18n import _

if TYPE_CHECKING:
    import typst

RECYCLE_AFTER_BYTES = 4_000_000
"""typst source compiled by one process before a fresh one takes over."""
LARGE_DOCUMENT_BYTES = 200_000
"""After a document this large, a fresh process takes over at once."""
LARGE_FIGURE_BYTES = 20_000
"""After a figure with this much data (a heat map of 30 States), the same."""


MAIN = "gcmreview-document.typ"
"""The document's name in its compile folder (the figures' names are never this)."""
MAX_REFLOWS = 3
"""Layouts again to bring footnotes back beside their calls (report.typ, typst/typst#5314)."""
PAGE_BREAK = "#pagebreak(weak: true)\n"
QUOTATION = "gcm-quote-"
"""The names batch.lua gives a quotation and its attribution."""


def compile_pdf(typ_path: Path, pdf_path: Path, root: Path) -> str | None:
    """Compile; return an error message (a typst warning, a missing font, counts as one).

    `root` holds only the figures: typst code can read no other file.
    """
    import typst

    from gcmreview.convert.fonts import font_dirs

    # In the root, beside the figures: typst queries only a document read from a file.
    main = root / MAIN
    try:
        source = typ_path.read_text(encoding="utf-8")  # pandoc wrote it
        main.write_text(source, encoding="utf-8")
    except OSError as exc:
        return _("cannot read {file}: {reason}").format(file=typ_path.name,
                                                        reason=os_reason(exc))
    try:
        compiler = typst.Compiler(str(main), root=str(root), font_paths=list(font_dirs()),
                                  ignore_system_fonts=True)
        pdf, warnings = compiler.compile_with_warnings()
    except typst.TypstError as exc:
        return _("typst failed: {reason}").format(
            reason=exc.message if hasattr(exc, "message") else exc)
    if warnings:
        return _("typst warned: {warnings}").format(
            warnings="; ".join(w.message for w in warnings))
    assert isinstance(pdf, bytes)  # a PDF is one file
    try:
        pdf_path.write_bytes(_notes_beside_calls(compiler, main, source, pdf))
        typ_path.unlink()
    except OSError as exc:  # a full disk: the document fails, with the reason
        return _("cannot write {path}: {reason}").format(path=pdf_path.name,
                                                         reason=os_reason(exc))
    return None


def _notes_beside_calls(compiler: typst.Compiler, main: Path, source: str, pdf: bytes) -> bytes:
    """The PDF again, with no footnote on a page before its call where a page break helps.

    The template reports each such note with the label of the heading at the top of its
    call's page (`<gcm-stranded-note>`, report.typ); a page break goes before that
    heading in the source, where typst had already moved it, and the compiler lays out
    again what changed. The query reads what is laid out: most documents need no more.
    A layout that strands as many notes (the heading's section does not fit on a page
    with its notes), or that fails (a heading inside a container), is not taken."""
    import typst

    def stranded() -> list[str | None]:
        found = json.loads(compiler.query("<gcm-stranded-note>", field="value"))
        return [label if isinstance(label, str) else None for label in found]

    notes = stranded()
    for _attempt in range(MAX_REFLOWS):
        edited = source
        for label in sorted({label for label in notes if label}):
            edited = _break_before(edited, label)
        if edited == source:
            break
        try:
            main.write_text(edited, encoding="utf-8")
            out, warnings = compiler.compile_with_warnings()
            after = stranded()
        except typst.TypstError:
            break
        if warnings or not isinstance(out, bytes) or len(after) >= len(notes):
            break
        source, pdf, notes = edited, out, after
    return pdf


_HEADING_ABOVE = re.compile(r"\n(=+ [^\n]*\n<[^>\n]+>\n)\s*$")
"""A heading, its label on the next line, right before a place in pandoc's typst."""
HEADING_CHARS = 4000
"""How far above a place a heading right above it can start (its line, its label)."""


def _chain_start(source: str, start: int) -> int:
    """Where the headings right above `start` begin: they stick to what follows them, so
    a page break goes before them, not between them and it."""
    while found := _HEADING_ABOVE.search(source, max(start - HEADING_CHARS, 0), start):
        start = found.start(1)
    return start


def _break_before(source: str, label: str) -> str:
    """`source` with a page break before the heading labelled `label` (pandoc writes a
    heading's label on the line after it) or before the quotation so named (batch.lua
    marks it where its block opens, and the headings right above it with it), or as it
    is."""
    if label.startswith(QUOTATION):
        at = source.find(f'[#metadata("{label}") <gcm-quote>\n')
        start = _chain_start(source, source.rfind("\n", 0, at) + 1) if at >= 0 else -1
    else:
        at = source.find(f"\n<{label}>\n")
        start = source.rfind("\n", 0, at) + 1 if at >= 0 else -1
        if start >= 0 and not source.startswith("=", start):
            start = -1  # not a heading of pandoc's: left alone
    if start < 0 or source.endswith(PAGE_BREAK, 0, start):
        return source
    return source[:start] + PAGE_BREAK + source[start:]


class TypstWorker:
    """The typst process of one build worker."""

    def __init__(self) -> None:
        self.process = LineProcess("typst", [sys.executable, "-m", "gcmreview.convert.pdf"])
        self.compiled = 0
        """Bytes of typst source compiled so far."""
        self.largest = 0
        self.drawn = 0
        """Bytes of data of the largest figure drawn."""

    def compile(self, typ_path: Path, pdf_path: Path, files: dict[str, bytes]) -> str | None:
        """`files`: what the document may read (its figures), by name in its folder."""
        size = typ_path.stat().st_size
        self.compiled += size
        self.largest = max(self.largest, size)
        with tempfile.TemporaryDirectory() as root:
            for name, data in files.items():
                (Path(root) / name).write_bytes(data)
            try:
                self.process.send({"typ": str(typ_path), "pdf": str(pdf_path), "root": root})
                error: str | None = self.process.receive()["error"]
            except ConversionError as exc:  # the process died: this document fails
                return exc.message
        return error

    def draw(self, modules: dict[str, str], main: str, data: str, formats: list[str]
             ) -> dict[str, list[bytes]]:
        """Figures (gcmreview.convert.figures): `main`, importing `modules`, drawn with
        `data` as each format, a file per page. A drawing is large (a 193-State map takes
        typst 120 MB it keeps, for 110 KB of data): after a large one, a fresh process
        typesets next."""
        self.compiled += len(data)
        self.drawn = max(self.drawn, len(data))
        with tempfile.TemporaryDirectory() as root:
            self.process.send({"draw": main, "modules": modules, "data": data,
                               "formats": formats, "root": root})
            answer = self.process.receive()
            if answer["error"]:
                raise ConversionError(answer["error"])
            try:
                return {fmt: [(Path(root) / f"page-{i}.{fmt}").read_bytes()
                              for i in range(answer["pages"])] for fmt in formats}
            except OSError as exc:
                raise ConversionError(os_reason(exc)) from exc

    @property
    def spent(self) -> bool:
        """Time for a fresh process: this one typeset much, or one large document or
        figure."""
        return (self.compiled > RECYCLE_AFTER_BYTES or self.largest > LARGE_DOCUMENT_BYTES
                or self.drawn > LARGE_FIGURE_BYTES)

    def close(self) -> None:
        self.process.close()


def draw_pages(request: dict[str, Any]) -> dict[str, Any]:
    """In the typst process: a drawing's pages, in each format, as files in its folder.
    One compiler lays the pages out once for every format (the PNG after the SVG: 0.6 s,
    not 1.8 s, and no more memory)."""
    import typst

    from gcmreview.convert.fonts import font_dirs

    root = Path(request["root"])
    for name, text in request["modules"].items():
        (root / name).write_text(text, encoding="utf-8")
    main = root / "main.typ"
    main.write_text(request["draw"], encoding="utf-8")
    compiler = typst.Compiler(str(main), root=str(root), font_paths=list(font_dirs()),
                              ignore_system_fonts=True, sys_inputs={"data": request["data"]})
    pages = 0
    for fmt in request["formats"]:
        try:
            out, warnings = compiler.compile_with_warnings(format=fmt, ppi=150.0)
        except typst.TypstError as exc:
            return {"error": str(exc.message if hasattr(exc, "message") else exc)}
        if warnings:
            return {"error": "; ".join(w.message for w in warnings)}
        assert out is not None
        drawn = [out] if isinstance(out, bytes) else out
        for i, page in enumerate(drawn):
            (root / f"page-{i}.{fmt}").write_bytes(page)
        pages = len(drawn)
    return {"error": None, "pages": pages}


def serve() -> None:
    """The typst process: one JSON request per line on stdin (a PDF to compile, or
    figures to draw), one answer per line."""
    for line in sys.stdin.buffer:  # UTF-8 JSON, whatever the system's own encoding
        if line.strip():
            request = json.loads(line)
            if "draw" in request:
                answer = draw_pages(request)
            else:
                answer = {"error": compile_pdf(Path(request["typ"]), Path(request["pdf"]),
                                               Path(request["root"]))}
            sys.stdout.write(json.dumps(answer) + "\n")
            sys.stdout.flush()


if __name__ == "__main__":
    serve()
