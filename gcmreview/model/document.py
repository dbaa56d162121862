"""A Word document as gcmreview reads it: plain data, whatever wrote the file.

pandoc's docx reader parses the file (gcmreview.convert.word); what comes back
is a flat list of top-level blocks, each with its plain text (to recognise
headings and labels) and its Markdown (the narrative it becomes). The form
reader (gcmreview.model.form) and the free-form reader
(gcmreview.model.legacy) turn these blocks into review data, and say where
each part of the document went, or that it went nowhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from gcmreview.core.diagnostics import Diagnostic, Where

BlockKind = Literal["heading", "paragraph", "list", "table", "other"]


@dataclass(frozen=True)
class Cell:
    text: str
    """Plain text, paragraphs joined by a line break."""
    markdown: str
    """The cell's content as narrative Markdown (an empty cell: "")."""
    lines: tuple[str, ...] = ()
    """Plain text of each paragraph or list item, empty ones left out."""
    images: int = 0
    """Images the cell held: the review format has no place for them."""


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    index: int
    """1-based position among the document's top-level blocks."""
    text: str = ""
    """Plain text (a table: empty)."""
    markdown: str = ""
    """The block as narrative Markdown (a table: its Markdown table)."""
    level: int = 0
    """Heading level, 1 to 6; 0 for other blocks."""
    bold: bool = False
    """A paragraph whose text is all bold: what people type instead of a heading."""
    rows: tuple[tuple[Cell, ...], ...] = ()
    """A table's rows (header rows first)."""
    header_rows: int = 0
    style: str = ""
    """The paragraph style's name when it is one of the form's own ("Form Note")."""
    images: int = 0


@dataclass(frozen=True)
class WordDocument:
    """What pandoc read in one .docx file."""

    blocks: tuple[Block, ...]
    notes: tuple[str, ...] = ()
    """What the reader had to leave out (an image, an embedded object), in words."""


@dataclass(frozen=True)
class Placement:
    """Something of the document that went into the review: what, and from where."""

    path: tuple[str | int, ...]
    """Where in the review data ("objectives", 7, "summary")."""
    where: Where


class ImportedValue(NamedTuple):
    """A value of an indicator, read from a form's table."""

    year: int
    text: str
    """The number, written as data files write it (12.5)."""
    breakdown: tuple[tuple[str, str], ...] = ()
    series: str = ""
    units: str = ""
    source: str = ""


@dataclass
class Imported:
    """The review data read from a document, and the account of how."""

    data: dict[str, Any]
    placements: list[Placement] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    """Made with gcmreview.core.diagnostics.document_problem."""
    unread: list[Placement] = field(default_factory=list)
    """Answers given but not readable (two boxes ticked, a word that is no choice): the
    review on file keeps its value there, rather than lose it."""
    kind: Literal["form", "free-form"] = "form"
    values: dict[str, list[ImportedValue]] = field(default_factory=dict)
    """Indicator -> the values its table in the form holds (indicators whose table is
    empty are not here: their data files are left as they are)."""
    refused_values: set[str] = field(default_factory=set)
    """Indicators with a row that could not be read: their data files are not written,
    or a value would be lost."""
