"""Plain text for the terminal: styled lines and aligned tables, without rich.

`validate` is the command people and CI run most; rich costs 45 ms of start-up,
a third of a one-file run (measured). These lines carry a style name that the
CLI turns into colour on a terminal and drops everywhere else.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import NamedTuple


class Line(NamedTuple):
    text: str
    style: str | None = None
    """"error", "warning", "dim", "bold" or None."""


def width(text: str) -> int:
    """Columns the text takes in a terminal: wide characters count two, marks none."""
    total = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total


def pad(text: str, size: int, right: bool) -> str:
    fill = " " * max(0, size - width(text))
    return fill + text if right else text + fill


def table(headers: Sequence[str], rows: Sequence[Sequence[str]],
          right: Sequence[bool]) -> list[str]:
    """Columns two spaces apart, a rule under the header; `right` aligns numbers."""
    sizes = [max([width(h), *(width(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    def line(cells: Sequence[str]) -> str:
        return "  ".join(pad(c, s, r) for c, s, r in zip(cells, sizes, right, strict=True))
    return [line(headers).rstrip(), "  ".join("─" * s for s in sizes),
            *(line(r).rstrip() for r in rows)]
