"""The fonts of the PDF and of the figures: installed with the package, never the system's.

typst is given only these folders (and its own embedded Libertinus Serif and
DejaVu Sans Mono), so the same input gives the same PDF on every machine, and a
missing glyph is a typst warning, which gcmreview treats as an error.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def font_dirs() -> tuple[str, ...]:
    return (str(resources.files("fontpkg_amiri") / "files"),)


def font_families(rtl: bool) -> list[str]:
    """typst's fallback order: the script's own font first; DejaVu for the symbols."""
    scripts = ["Amiri", "Libertinus Serif"] if rtl else ["Libertinus Serif", "Amiri"]
    return [*scripts, "DejaVu Sans Mono"]
