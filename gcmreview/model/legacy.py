"""Free-form reviews: an ordinary Word document with headings, read into review data.

States wrote their 2020-21 and 2024 reviews as Word documents of their own
design. This reader finds the headings that name a part of the review
(gcmreview.model.headings) and puts the text under each into that part's
`summary`. It invents nothing: no status, no source id, no title; what it
cannot place it reports, block by block, so the focal point can finish the
review file by hand.

Which blocks are headings
    A Word heading (levels 1-6), or a bold paragraph of at most 150 characters,
    which is what people type instead. A bold paragraph counts as a heading only
    when it is recognised (it names an objective, a principle or a section, or
    a known other part such as "Introduction" or "Annex"); then its level is 7
    when the document has real headings (below every real heading), else 1.
    An unrecognised bold paragraph ("Challenges", "Key measures:") is emphasis
    inside the text, never the end of a section: typed reviews use it for
    sub-headings, and ending the section there would leave most of them unplaced.

Where a section ends
    A recognised heading opens a section. Its text is every block that follows,
    up to the next heading of the same or a higher level (a smaller number),
    recognised or not. A deeper heading stays inside the section as a bold line
    (`**text**`), even a recognised one ("Human rights" under "Objective 7" is
    about objective 7), with one exception: a heading naming an objective by
    its number ("Objective 8") always opens a new section, since one objective
    is never a sub-part of another part.

    Group headings ("Progress on the objectives", "Guiding principles") and a
    heading naming several objectives hold no text of their own: the headings
    under them open their own sections, and text directly under them is not
    placed. Text under an unrecognised heading of the same or a higher level
    (and under its deeper headings) is not placed either, up to the next
    recognised heading; so is the text before the first recognised heading.

What each part becomes
    objective -> objectives[n].summary (a "status-not-stated" warning: the
    status is for the focal point to set); principle -> principles[slug].summary;
    methodology, policy_environment, covid19, means_of_implementation,
    next_steps -> their summary; each reservations section -> one entry of
    reservations. Sources are not placed (a warning): a source in a review file
    needs an id and a title, and a reference list in prose has neither in a form
    that can be read without guessing. "About the review" is not placed (an
    error, like any text left out): its facts belong in `review:`, by hand.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from gcmreview.core import format
from gcmreview.core.diagnostics import Diagnostic, Where, document_problem
from gcmreview.core.i18n import _, join
from gcmreview.core.markdown import escape
from gcmreview.core.status import CODES
from gcmreview.core.text import excerpt
from gcmreview.load.catalogue import Catalogue
from gcmreview.model.document import Block, Cell, Imported, Placement, WordDocument
from gcmreview.model.headings import (
    is_other_part,
    objective_numbers,
    principle_slug,
    section_key,
)

BOLD_HEADING_MAX = 150
"""Longer bold paragraphs are emphasised text, not headings."""
BOLD_LEVEL_UNDER_HEADINGS = 7
"""A recognised bold paragraph's level in a document that has real headings."""
PLAIN_HEADING_MAX = 80
"""A paragraph in plain text this short that opens with an objective's number
("الهدف الثاني عشر", "Objectif 12 : …") and is no sentence is a heading someone forgot to
style (or made bold on its Latin words only): it is read as one, and said."""


@dataclass(frozen=True)
class _Names:
    """What a heading names."""

    kind: Literal["objective", "several", "principle", "section", "group", "other"]
    key: Any = None
    """An objective number, the numbers, a principle slug or a section key."""
    explicit: bool = False
    """An objective named by its number ("Objective 7"), not by its title."""


@dataclass
class _Region:
    """A run of blocks under one heading (or before the first)."""

    kind: Literal["preamble", "unplaced", "group", "several", "section"]
    level: int
    heading: Block | None
    names: _Names | None = None
    blocks: list[Block] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.heading.text.strip() if self.heading else ""

    def where(self) -> Where:
        return Where(self.title, self.heading.index if self.heading else 0)


def read_free_form(document: WordDocument, catalogue: Catalogue, *, country: str, cycle: int,
                   language: str | None = None) -> Imported:
    """The review data a free-form document holds, where each part came from, and what
    could not be placed (see the module's docstring for the rules)."""
    reader = _Reader(document, catalogue)
    if language is None:
        language = guess_language(document)
        reader.problems.insert(0, document_problem(
            "language-guessed", Where("", 0),
            _("the language of the review was not given: the import assumed “{language}”")
            .format(language=language),
            _("if that is wrong, give --lang en|fr|ar"), error=False))
    reader.read()
    data: dict[str, Any] = {
        "country": country,
        "review": {"cycle": cycle, "language": language, "status": "draft"},
        "objectives": dict(sorted(reader.objectives.items())),
        **reader.sections,
    }
    if reader.principles:
        order = list(catalogue.principles)
        data["principles"] = dict(sorted(reader.principles.items(),
                                         key=lambda item: order.index(item[0])))
    data.update(reader.lists)
    data = {key: data[key] for key in format.key_order(()) or () if key in data}
    return Imported(data, reader.placements, reader.problems, kind="free-form")


class _Reader:
    """One pass over the blocks: the region being read, and what is placed so far."""

    def __init__(self, document: WordDocument, catalogue: Catalogue) -> None:
        self.document = document
        self.catalogue = catalogue
        has_headings = any(b.kind == "heading" and b.text.strip() for b in document.blocks)
        self.bold_level = BOLD_LEVEL_UNDER_HEADINGS if has_headings else 1
        self.current = _Region("preamble", 0, None)
        self.objectives: dict[int, dict[str, Any]] = {}
        self.principles: dict[str, dict[str, Any]] = {}
        self.sections: dict[str, dict[str, Any]] = {}
        self.lists: dict[str, list[dict[str, Any]]] = {}
        """The entries of list sections (reservations), one per heading."""
        self.placements: list[Placement] = []
        self.problems: list[Diagnostic] = []

    # -- walking the blocks

    def read(self) -> None:
        for block in self.document.blocks:
            if _is_empty(block):
                continue
            heading = self.heading(block)
            if heading is None:
                self.current.blocks.append(block)
                continue
            level, names = heading
            if self.inside(level, names):
                self.current.blocks.append(block)
                continue
            self.close(self.current)
            self.current = self.open(block, level, names)
        self.close(self.current)

    def heading(self, block: Block) -> tuple[int, _Names | None] | None:
        """(level, what it names) for a block that can end a section; None for text."""
        if block.kind == "heading" and block.text.strip():
            return block.level, self.names(block.text)
        text = block.text.strip()
        if block.kind == "paragraph" and block.bold and 0 < len(text) <= BOLD_HEADING_MAX:
            names = self.names(block.text)
            return (self.bold_level, names) if names else None
        if block.kind == "paragraph" and 0 < len(text) <= PLAIN_HEADING_MAX \
                and not text.endswith((".", "。", "؟", "?", "!")) \
                and len(objective_numbers(text)) == 1:
            names = self.names(block.text)
            assert names is not None
            self.problems.append(document_problem(
                "heading-unstyled", Where(text, block.index),
                _("“{text}” reads like an objective's heading but is written as plain text: "
                  "it was read as the heading of objective {number}").format(
                      text=excerpt(text), number=names.key),
                _("give it a heading style in Word (Heading 1 or 2) so that nobody has to "
                  "guess"), error=False))
            return self.bold_level, names
        return None

    def names(self, text: str) -> _Names | None:
        numbers = objective_numbers(text)
        if numbers:
            return _Names("objective" if len(numbers) == 1 else "several",
                          numbers[0] if len(numbers) == 1 else numbers, explicit=True)
        key = section_key(text)
        if key and format.section(key).shape in ("objectives", "principles"):
            return _Names("group", key)
        if key:
            return _Names("section", key)
        slug = principle_slug(text, self.catalogue)
        if slug:
            return _Names("principle", slug)
        numbers = objective_numbers(text, self.catalogue)  # an official title
        if len(numbers) == 1:
            return _Names("objective", numbers[0])
        return _Names("other") if is_other_part(text) else None

    def inside(self, level: int, names: _Names | None) -> bool:
        """Whether a heading belongs to the region above it rather than ending it."""
        region = self.current
        if level <= region.level:
            return False
        if region.kind == "section":
            return not (names and names.kind in ("objective", "several") and names.explicit)
        return region.kind == "unplaced" and (names is None or names.kind == "other")

    def open(self, block: Block, level: int, names: _Names | None) -> _Region:
        if names is None or names.kind == "other":
            return _Region("unplaced", level, block, names)
        if names.kind in ("group", "several"):
            return _Region(names.kind, level, block, names)
        return _Region("section", level, block, names)

    # -- what a region becomes

    def close(self, region: _Region) -> None:
        text_blocks = [b for b in region.blocks if b.kind != "heading"]
        if region.kind in ("preamble", "unplaced", "group"):
            if text_blocks:
                self.not_placed(region, text_blocks)
            return
        if region.kind == "several":
            if text_blocks:
                numbers = region.names.key if region.names else ()
                self.problems.append(document_problem(
                    "several-objectives", region.where(),
                    _("the heading “{heading}” names several objectives ({numbers}), so its "
                      "text was not placed").format(heading=region.title,
                                                    numbers=join([str(n) for n in numbers])),
                    _("give each objective its own heading, such as “Objective {number}”, "
                      "and import again").format(number=numbers[0] if numbers else 1)))
            return
        names = region.names
        assert names is not None
        summary = "\n\n".join(_narrative(b) for b in region.blocks).strip()
        shape = format.section(names.key).shape if names.kind == "section" else None
        if shape == "sources":
            if summary:
                self.problems.append(document_problem(
                    "sources-not-placed", region.where(),
                    _("the sources under “{heading}” were not placed: each source in a review "
                      "file needs a short id and a title").format(heading=region.title),
                    _("add them under `sources:` in the review file, one entry each with `id` "
                      "and `title`"), error=False))
            return
        if shape == "meta":
            if text_blocks:
                self.not_placed(region, text_blocks, hint=_(
                    "the import does not read this part: copy the date, the lead institution "
                    "or the focal point into `review:` in the review file by hand"))
            return
        if not text_blocks:  # nothing, or only sub-headings
            self.problems.append(document_problem(
                "empty-section", region.where(),
                _("there is no text under the heading “{heading}”: nothing was placed for it")
                .format(heading=region.title), error=False))
            return
        self.place(region, names, summary)

    def place(self, region: _Region, names: _Names, summary: str) -> None:
        where = region.where()
        if names.kind == "objective":
            number = names.key
            path: tuple[str | int, ...] = ("objectives", number, "summary")
            if number in self.objectives:
                self.append(self.objectives[number], summary)
                self.problems.append(document_problem(
                    "objective-repeated", where,
                    _("objective {number} has a second heading, “{heading}”: its text was added "
                      "after the first one's").format(number=number, heading=region.title),
                    _("check that this text is about objective {number}").format(number=number),
                    error=False))
            else:
                self.objectives[number] = {"summary": summary}
                self.problems.append(document_problem(
                    "status-not-stated", where,
                    _("objective {number}: the document does not say where it stands, so the "
                      "review file has no status for it").format(number=number),
                    _("if the review states it, add `status:` to objective {number} ({codes}); "
                      "otherwise leave it out and reports show it as not stated").format(
                          number=number, codes=join(list(CODES))),
                    error=False))
        elif names.kind == "principle":
            path = ("principles", names.key, "summary")
            self.summary_into(self.principles, names.key, summary, region)
        elif format.section(names.key).shape == "list":
            entries = self.lists.setdefault(names.key, [])
            path = (names.key, len(entries), "summary")
            entries.append({"summary": summary})
        else:
            path = (names.key, "summary")
            self.summary_into(self.sections, names.key, summary, region)
        self.placements.append(Placement(path, where))

    def summary_into(self, parts: dict[str, dict[str, Any]], key: str, summary: str,
                     region: _Region) -> None:
        if key not in parts:
            parts[key] = {"summary": summary}
            return
        self.append(parts[key], summary)
        self.problems.append(document_problem(
            "section-repeated", region.where(),
            _("“{heading}” repeats a part the document already has: its text was added after "
              "the first one's").format(heading=region.title),
            _("check that the two parts belong together"), error=False))

    @staticmethod
    def append(entry: dict[str, Any], summary: str) -> None:
        entry["summary"] = f"{entry['summary']}\n\n{summary}"

    def not_placed(self, region: _Region, text_blocks: list[Block],
                   hint: str | None = None) -> None:
        first = text_blocks[0]
        self.problems.append(document_problem(
            "not-placed", Where(region.title, first.index),
            _("this text was not placed in the review: “{text}”").format(
                text=excerpt(_plain(first))),
            hint or _("give it a heading that names its part of the review, such as "
                      "“Objective 7” or “Methodology”, and import again, or copy it into the "
                      "review file by hand")))


# --- blocks as text ---------------------------------------------------------------------------

def _plain(block: Block) -> str:
    if block.text.strip():
        return block.text
    return " ".join(cell.text for row in block.rows for cell in row if cell.text.strip())


def _is_empty(block: Block) -> bool:
    """Empty paragraphs (and headings) never count: Word documents are full of them."""
    if block.kind == "table":
        return not _plain(block).strip()
    return not _plain(block).strip() and not block.markdown.strip()


_ATX = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$")


def _narrative(block: Block) -> str:
    """A block as narrative Markdown; a heading inside a section becomes a bold line."""
    if block.kind == "table" and not block.markdown.strip():
        return _pipe_table(block)
    if block.kind != "heading":
        return block.markdown.strip() or escape(block.text.strip())
    match = _ATX.match(block.markdown.strip()) if "\n" not in block.markdown.strip() else None
    inline = match.group(1).strip() if match else escape(block.text.strip())
    if inline.startswith("**") and inline.endswith("**") and len(inline) > 4:
        return inline
    return f"**{inline}**"


def _pipe_table(block: Block) -> str:
    """A table the reader gave as cells only, as a Markdown pipe table (the first row
    as its header): a table must never drop out of a summary unseen."""
    def cell(c: Cell) -> str:
        text = c.markdown.strip() or escape(c.text.strip())
        return re.sub(r"(?<!\\)\|", r"\\|", " ".join(text.split()))

    rows = [[cell(c) for c in row] for row in block.rows if row]
    if not rows:
        return ""
    width = max(len(r) for r in rows)
    lines = ["| " + " | ".join([*r, *[""] * (width - len(r))]) + " |" for r in rows]
    lines.insert(1, "|" + "---|" * width)
    return "\n".join(lines)


# --- the document's language ----------------------------------------------------------------

_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_FRENCH = ("le", "la", "les", "des", "et", "du")
_ENGLISH = ("the", "and", "of")


def guess_language(document: WordDocument) -> str:
    """"ar", "fr" or "en", from the document's own words.

    Arabic when more than 30 % of its letters are in Arabic script; French when
    French function words (and é) clearly outnumber English ones (twice as many,
    and at least 3); English otherwise.
    """
    text = " ".join(_plain(b) for b in document.blocks).casefold()
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return "en"
    arabic = sum(1 for c in letters if _ARABIC_SCRIPT.match(c))
    if arabic / len(letters) > 0.3:
        return "ar"
    words = Counter(re.findall(r"[^\W\d_]+", text))
    french = sum(words[w] for w in _FRENCH) + text.count("é")
    english = sum(words[w] for w in _ENGLISH)
    return "fr" if french >= 3 and french >= 2 * english else "en"
