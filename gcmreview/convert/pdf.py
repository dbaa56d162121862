"""typst source to PDF, with the fonts installed with gcmreview and nothing else.

typst runs in a process of its own (`python -m gcmreview.convert.pdf`, one per
build worker), fed one document (or figure: gcmreview.convert.figures) per line:
its memory grows with what it typesets (a 500-page regional volume took 514 MB)
and is not given back, so it stays out of the build's own process, and the
process is replaced after a large document, figures, or many small documents.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from gcmreview.convert.process import LineProcess
from gcmreview.core.errors import ConversionError, os_reason
from gcmreview.core.i18n import _

RECYCLE_AFTER_BYTES = 4_000_000
"""typst source compiled by one process before a fresh one takes over."""
LARGE_DOCUMENT_BYTES = 200_000
"""After a document this large, a fresh process takes over at once."""


def compile_pdf(typ_path: Path, pdf_path: Path, root: Path) -> str | None:
    """Compile; return an error message (a typst warning, a missing font, counts as one).

    `root` holds only the figures: typst code can read no other file.
    """
    import typst

    from gcmreview.convert.fonts import font_dirs

    try:
        # typst's stubs want every path of the input's type (bytes); the binding takes
        # paths as str only.
        pdf, warnings = typst.compile_with_warnings(  # type: ignore[misc]
            typ_path.read_bytes(), root=str(root), font_paths=list(font_dirs()),
            ignore_system_fonts=True,
        )
    except typst.TypstError as exc:
        return _("typst failed: {reason}").format(
            reason=exc.message if hasattr(exc, "message") else exc)
    if warnings:
        return _("typst warned: {warnings}").format(
            warnings="; ".join(w.message for w in warnings))
    try:
        pdf_path.write_bytes(pdf)
        typ_path.unlink()
    except OSError as exc:  # a full disk: the document fails, with the reason
        return _("cannot write {path}: {reason}").format(path=pdf_path.name,
                                                         reason=os_reason(exc))
    return None


class TypstWorker:
    """The typst process of one build worker."""

    def __init__(self) -> None:
        self.process = LineProcess("typst", [sys.executable, "-m", "gcmreview.convert.pdf"])
        self.compiled = 0
        """Bytes of typst source compiled so far."""
        self.largest = 0
        self.drew = False

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

    def draw(self, data: bytes, formats: list[str]) -> dict[str, bytes]:
        """A figure (gcmreview.convert.figures) drawn as each format. A drawing is large
        (a 193-State map takes typst 120 MB it keeps): a fresh process typesets next."""
        self.drew = True
        with tempfile.TemporaryDirectory() as root:
            self.process.send({"figure": data.decode(), "formats": formats, "root": root})
            error: str | None = self.process.receive()["error"]
            if error:
                raise ConversionError(error)
            try:
                return {fmt: (Path(root) / f"figure.{fmt}").read_bytes() for fmt in formats}
            except OSError as exc:
                raise ConversionError(os_reason(exc)) from exc

    @property
    def spent(self) -> bool:
        """Time for a fresh process: this one typeset much, or one large document, or
        drew figures."""
        return (self.compiled > RECYCLE_AFTER_BYTES or self.largest > LARGE_DOCUMENT_BYTES
                or self.drew)

    def close(self) -> None:
        self.process.close()


def serve() -> None:
    """The typst process: one JSON request per line on stdin (a PDF to compile, or a
    figure to draw), one answer per line."""
    for line in sys.stdin:
        if line.strip():
            request = json.loads(line)
            if "figure" in request:
                from gcmreview.convert.figures import draw_figure

                error = draw_figure(request["figure"].encode(), request["formats"],
                                    Path(request["root"]))
            else:
                error = compile_pdf(Path(request["typ"]), Path(request["pdf"]),
                                    Path(request["root"]))
            sys.stdout.write(json.dumps({"error": error}) + "\n")
            sys.stdout.flush()


if __name__ == "__main__":
    serve()
