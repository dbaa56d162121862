"""typst source to PDF, with the fonts installed with gcmreview and nothing else."""

from __future__ import annotations

import tempfile
from pathlib import Path

import typst

from gcmreview.convert.fonts import font_dirs


def compile_pdf(typ_path: Path, pdf_path: Path, figures: dict[str, bytes]) -> str | None:
    """Compile; return an error message (a typst warning, a missing font, counts as one).

    The compile root holds only the figures (SVG, by name): typst code can read
    no other file.
    """
    with tempfile.TemporaryDirectory() as root:
        for name, svg in figures.items():
            (Path(root) / f"{name}.svg").write_bytes(svg)
        source = typ_path.read_bytes()
        try:
            pdf, warnings = typst.compile_with_warnings(
                source, root=root, font_paths=list(font_dirs()), ignore_system_fonts=True,
            )
        except typst.TypstError as exc:
            return f"typst failed: {exc.message if hasattr(exc, 'message') else exc}"
    if warnings:
        return "typst warned: " + "; ".join(w.message for w in warnings)
    pdf_path.write_bytes(pdf)
    typ_path.unlink()
    return None
