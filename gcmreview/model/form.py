"""The Word form: which questions it asks, under which labels, in which order.

One table (`PARTS`) drives both directions. `form_model` lays a review (or
nothing) out as the questionnaire that templates/form.md.j2 renders, and
`read_form` turns what pandoc read from a returned form back into review data.

The form is made of what survives both Word and a LibreOffice re-save:
headings, two-column label | answer tables, tables with a header row for
lists (one entry per row), and tick boxes written as the characters ☐ and ☒
(Word also gets a clickable check box around each; LibreOffice may drop the
control, the character stays). Content-control tags and drop-down lists do
not survive (docs/word.md). A label is recognised in any of the three
languages, so a form filled in French can be read by anyone.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from gcmreview.core import countries
from gcmreview.core.i18n import N_, Formatter, _, join, language, translations
from gcmreview.core.languages import LANGUAGES, direction
from gcmreview.core.status import OBJECTIVE_STATUSES, suggest
from gcmreview.load.catalogue import Catalogue
from gcmreview.model.document import Block, Cell, Imported, Placement, Problem, Where, WordDocument
from gcmreview.model.headings import (
    SECTION_HEADINGS,
    objective_numbers,
    principle_slug,
    section_key,
)
from gcmreview.model.review import (
    DOCUMENT_STATUS_LABELS,
    INSTRUMENT_LABELS,
    STAKEHOLDER_LABELS,
    Narrative,
    Text,
)

FORM_VERSION = 1
"""Written on the form; a later layout can still read forms of this one."""

Kind = Literal["narrative", "line", "lines", "year", "code", "choice", "choices", "numbers",
               "carried"]

ONE_PER_LINE = N_("One per line.")


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    """Message id of the label."""
    kind: Kind
    options: str = ""
    """For choices: the name of an option list (see `options`)."""
    note: str = ""
    """Message id of a short guidance line under the label."""


@dataclass(frozen=True)
class Group:
    """A list of entries (measures, sources…): a table with a header row, one entry per row."""

    key: str
    caption: str
    columns: tuple[Field, ...]
    every_option: str = ""
    """An option list whose every option gets a row with a tick box (stakeholder groups)."""


@dataclass(frozen=True)
class Part:
    kind: str
    fields: tuple[Field, ...] = ()
    groups: tuple[Group, ...] = ()


CARRIED = Field("carried_over", N_("Carried over from an earlier review"), "carried",
                note=N_("Untick the box once you have checked or updated this section."))
"""Only on forms started from an earlier cycle's review (`gcmreview form XX --from YEAR`)."""

CITES = Group("sources", N_("Sources of this section, one per row (optional)."), (
    Field("source", N_("Source"), "code", note=N_("Its id in the table of sources.")),
    Field("locator", N_("Where in the source"), "line"),
))

PARTS: dict[str, Part] = {p.kind: p for p in (
    Part("review", (
        Field("country", N_("Country code"), "code",
              note=N_("Two capital letters (ISO 3166-1), for example MA.")),
        Field("cycle", N_("Review cycle"), "year",
              note=N_("The year of the review, for example 2024.")),
        Field("language", N_("Language of the answers"), "choice", "language"),
        Field("status", N_("Document status"), "choice", "document_status"),
        Field("date", N_("Date of this version"), "line",
              note=N_("As year-month-day, for example 2024-05-31.")),
        Field("lead_institution", N_("Lead institution"), "line"),
        Field("focal_point", N_("Focal point"), "line",
              note=N_("A role or a unit, not a person's contact details.")),
    )),
    Part("methodology", (
        CARRIED,
        Field("summary", N_("How the review was prepared"), "narrative",
              note=N_("Whole-of-government and whole-of-society approaches.")),
        Field("coordination", N_("Coordination mechanism"), "line"),
        Field("institutions", N_("Government institutions involved"), "lines",
              note=ONE_PER_LINE),
    ), (
        Group("stakeholders", N_("Stakeholders consulted: tick each group consulted and say "
                                 "who."), (
            Field("group", N_("Stakeholder group"), "choice", "stakeholder"),
            Field("details", N_("Who exactly"), "line"),
        ), every_option="stakeholder"),
        CITES,
    )),
    Part("policy_environment", (
        CARRIED,
        Field("summary", N_("National policies, laws, strategies and institutional "
                            "arrangements"), "narrative"),
    ), (
        Group("instruments", N_("Policy instruments, one per row."), (
            Field("title", N_("Title"), "line"),
            Field("kind", N_("Kind"), "choice", "instrument_kind"),
            Field("year", N_("Year"), "year"),
            Field("status", N_("Status"), "choice", "instrument_status"),
        )),
        CITES,
    )),
    Part("objective", (
        CARRIED,
        Field("status", N_("Status"), "choice", "status",
              note=N_("Tick one box; tick none if the review states no status.")),
        Field("stated_by", N_("Statement made by"), "line",
              note=N_("Only when the statement is not the State's own, for example a UN "
                      "agency's.")),
        Field("summary", N_("Progress on this objective"), "narrative"),
        Field("justification", N_("Why the objective does not apply"), "narrative",
              note=N_("Only when the status is “Not applicable”.")),
        Field("challenges", N_("Challenges and gaps"), "lines", note=ONE_PER_LINE),
        Field("partners", N_("Partners in implementation"), "lines", note=ONE_PER_LINE),
        Field("principles", N_("Guiding principles applied"), "choices", "principle",
              note=N_("Tick every one that applies.")),
    ), (
        Group("measures", N_("Measures taken, one per row."), (
            Field("title", N_("Measure"), "line"),
            Field("year", N_("Year"), "year"),
            Field("description", N_("Description"), "narrative"),
        )),
        Group("good_practices", N_("Good practices, one per row."), (
            Field("title", N_("Good practice"), "line"),
            Field("description", N_("Description"), "narrative"),
        )),
        CITES,
    )),
    Part("principle", (
        CARRIED,
        Field("summary", N_("How the review addresses this principle"), "narrative"),
    ), (CITES,)),
    Part("covid19", (
        CARRIED,
        Field("summary", N_("Impact on migrants and on implementation, and the response"),
              "narrative"),
    ), (CITES,)),
    Part("means_of_implementation", (
        CARRIED,
        Field("summary", N_("Resources, partnerships and capacity building"), "narrative"),
        Field("support_needed", N_("Support needed"), "lines", note=ONE_PER_LINE),
    ), (CITES,)),
    Part("next_steps", (
        CARRIED,
        Field("summary", N_("What comes next, up to the next review"), "narrative"),
        Field("actions", N_("Planned actions"), "lines", note=ONE_PER_LINE),
    ), (CITES,)),
    Part("reservation", (
        Field("summary", N_("The reservation"), "narrative"),
        Field("objectives", N_("Objectives concerned"), "numbers",
              note=N_("Their numbers, for example 12, 14.")),
    ), (CITES,)),
    Part("sources", (), (
        Group("sources", N_("Documents the review cites, one per row. Other sections cite "
                            "them by their id."), (
            Field("id", N_("ID"), "code", note=N_("Short: lower-case letters, digits and "
                                                  "hyphens, for example report-2024.")),
            Field("title", N_("Title"), "line"),
            Field("date", N_("Date"), "line"),
            Field("url", N_("Web address"), "line"),
        )),
    )),
)}


RESERVATION_HEADING = N_("Reservation {number}")
ROUND_TABLE_HEADING = N_("IMRF round table {number}")
LANGUAGE_LABELS = {"en": N_("English"), "fr": N_("French"), "ar": N_("Arabic")}

CHECKED, UNCHECKED = "☒", "☐"
_TICKED = "☒☑✓✔✗✘■⊠▣xX"
_BOX = re.compile(r"^\s*(\[[ xX✓]?\]|[☐☒☑✓✔✗✘■□▢⊠▣])\s*")


# --- option lists ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Option:
    code: str
    label: str
    """In the form's language."""


def options(name: str, catalogue: Catalogue, fmt: Formatter) -> list[Option]:
    """An option list in the form's language, in the order the form shows it."""
    _ = fmt.gettext
    labelled: dict[str, dict[str, str]] = {
        "status": {s.code: s.label for s in OBJECTIVE_STATUSES},
        "document_status": DOCUMENT_STATUS_LABELS,
        "language": LANGUAGE_LABELS,
        "stakeholder": STAKEHOLDER_LABELS,
        "instrument_kind": {k: INSTRUMENT_LABELS[k] for k in
                            ("strategy", "law", "action_plan", "mechanism", "agreement", "other")},
        "instrument_status": {k: INSTRUMENT_LABELS[k] for k in
                              ("adopted", "in_preparation", "planned")},
    }
    if name == "principle":
        return [Option(p.slug, f"({p.letter}) {p.name(fmt.lang).text}")
                for p in catalogue.principles.values()]
    return [Option(code, _(msgid)) for code, msgid in labelled[name].items()]


def fold(text: str) -> str:
    """Text as labels are compared: case, accents, punctuation and spacing set aside."""
    text = unicodedata.normalize("NFKD", text.casefold().replace("œ", "oe"))
    text = "".join(c for c in text if not unicodedata.combining(c) and c not in "\u0640")
    text = re.sub(r"[\u200b-\u200f\u2066-\u2069\u061c\ufeff]", "", text)
    text = re.sub(r"[\s_\-–—'’.:：*]+", " ", text)
    return text.strip(" ()")


@cache
def _accepted(name: str, catalogue: Catalogue) -> dict[str, str]:
    """Folded text -> option code, for every way a returned form may spell an option."""
    found: dict[str, str] = {}
    for lang in LANGUAGES:
        for option in options(name, catalogue, Formatter(lang)):
            found.setdefault(fold(option.label), option.code)
            found.setdefault(fold(option.code), option.code)
    if name == "principle":
        for p in catalogue.principles.values():
            for text in (*p.names.values(), f"({p.letter})", p.letter):
                found.setdefault(fold(text), p.slug)
    return found


def option_code(name: str, text: str, catalogue: Catalogue) -> str | None:
    code = _accepted(name, catalogue).get(fold(text))
    if code is None and name == "status":
        code = suggest(text)
    return code


# --- the questionnaire as plain data for the template ----------------------------------------

@dataclass(frozen=True)
class Answer:
    kind: Literal["text", "lines", "narrative", "choices"]
    text: str = ""
    lines: tuple[str, ...] = ()
    narrative: Narrative | None = None
    choices: tuple[tuple[bool, str], ...] = ()
    """(ticked, label) per option."""


@dataclass(frozen=True)
class Row:
    label: str
    note: str
    answer: Answer


@dataclass(frozen=True)
class Table:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[Answer, ...], ...]
    widths: tuple[int, ...]


@dataclass(frozen=True)
class FormSection:
    level: int
    heading: Text
    anchor: str
    rows: tuple[Row, ...] = ()
    tables: tuple[Table, ...] = ()
    note: str = ""
    prefix: str = ""
    """Words before the heading's text, in the form's language (“Objective 7: ”): an
    English title in an Arabic form is then isolated on its own."""


@dataclass(frozen=True)
class FormModel:
    lang: str
    dir: str
    country: str
    code: str
    title: str
    subtitle: str
    instructions: tuple[str, ...]
    sections: tuple[FormSection, ...]
    version: int = FORM_VERSION


class FormBuilder:
    """Lays one review (or a blank one) out as the form, in one language."""

    def __init__(self, catalogue: Catalogue, lang: str) -> None:
        self.catalogue = catalogue
        self.lang = lang
        self.fmt = Formatter(lang)
        self._ = self.fmt.gettext

    def build(self, code: str, data: dict[str, Any] | None, cycle: int,
              country_name: str) -> FormModel:
        _ = self._
        data = data or {}
        source_lang = (data.get("review") or {}).get("language") or self.lang
        self.source = (source_lang, direction(source_lang))
        review = {"country": code, **(data.get("review") or {"cycle": cycle, "status": "draft",
                                                              "language": self.lang})}
        sections = [
            self.section(1, _(SECTION_HEADINGS["review"]), "review", PARTS["review"], review),
            self.section(1, _(SECTION_HEADINGS["methodology"]), "methodology",
                         PARTS["methodology"], data.get("methodology")),
            self.section(1, _(SECTION_HEADINGS["policy_environment"]), "policy-environment",
                         PARTS["policy_environment"], data.get("policy_environment")),
            FormSection(1, self.ui(_(SECTION_HEADINGS["objectives"])), "objectives"),
        ]
        objectives = data.get("objectives") or {}
        for rt, numbers in self.catalogue.round_tables.items():
            sections.append(FormSection(2, self.ui(
                _("IMRF round table {number}: objectives {objectives}").format(
                    number=rt, objectives=self.fmt.join([str(n) for n in numbers]))),
                f"round-table-{rt}"))
            for n in numbers:
                title = self.catalogue.objective(n).title(self.lang)
                before = _("{objective}: {title}").split("{title}")[0]
                sections.append(self.section(
                    3, Text(title.text, title.lang, direction(title.lang), title.fallback),
                    f"objective-{n}", PARTS["objective"], objectives.get(n),
                    prefix=before.format(objective=_("Objective {number}").format(number=n))))
        sections.append(FormSection(1, self.ui(_(SECTION_HEADINGS["principles"])), "principles"))
        principles = data.get("principles") or {}
        for slug, principle in self.catalogue.principles.items():
            name = principle.name(self.lang)
            heading = Text(f"({principle.letter}) {name.text}", name.lang, direction(name.lang),
                           name.fallback)
            sections.append(self.section(2, heading, f"principle-{slug}", PARTS["principle"],
                                         principles.get(slug)))
        for key in ("covid19", "means_of_implementation", "next_steps"):
            sections.append(self.section(1, _(SECTION_HEADINGS[key]), key.replace("_", "-"),
                                         PARTS[key], data.get(key)))
        sections.append(FormSection(1, self.ui(_(SECTION_HEADINGS["reservations"])),
                                    "reservations",
                                    note=_("Only if the State holds reservations on the Compact. "
                                           "To add one, copy the last reservation (its heading "
                                           "and tables) and number it.")))
        reservations = list(data.get("reservations") or [])
        for i, entry in enumerate([*reservations, None], start=1):
            sections.append(self.section(2, _(RESERVATION_HEADING).format(number=i),
                                         f"reservation-{i}", PARTS["reservation"], entry))
        sections.append(self.section(1, _(SECTION_HEADINGS["sources"]), "sources",
                                     PARTS["sources"], {"sources": data.get("sources") or []}))
        return FormModel(
            lang=self.lang, dir=direction(self.lang), country=country_name, code=code,
            title=_("Voluntary review of the Global Compact for Migration: form"),
            subtitle=f"{country_name} ({code})",
            instructions=self.instructions(), sections=tuple(sections))

    def instructions(self) -> tuple[str, ...]:
        _ = self._
        return (
            _("Write your answers in the right-hand column of each table, or in the empty rows "
              "of the tables with a header row. Keep the headings and the left-hand column as "
              "they are: they tell gcmreview where each answer goes."),
            _("Status and other choices: tick one box. In Word, click the box; in other word "
              "processors, replace ☐ with ☒ (or with X)."),
            _("To add a row to a table, put the cursor in its last cell and press Tab."),
            _("Bold, italics, lists, tables, links and footnotes are kept. Leave a question "
              "empty when the review says nothing about it; delete nothing."),
            _("Save the file as a Word document (.docx) and send it back, or upload it as the "
              "secretariat explained."),
        )

    def ui(self, text: str) -> Text:
        return Text(text, self.lang, direction(self.lang))

    def section(self, level: int, heading: Text | str, anchor: str, part: Part,
                entry: dict[str, Any] | None, *, prefix: str = "") -> FormSection:
        entry = entry or {}
        rows = tuple(Row(self._(f.label), self._(f.note) if f.note else "",
                         self.answer(f, entry.get(f.key))) for f in part.fields
                     if f.kind != "carried" or entry.get(f.key))
        tables = tuple(self.table(g, entry.get(g.key) or []) for g in part.groups)
        title = heading if isinstance(heading, Text) else self.ui(heading)
        return FormSection(level, title, anchor, rows, tables, prefix=prefix)

    def answer(self, f: Field, value: Any) -> Answer:
        if f.kind == "narrative":
            text = value if isinstance(value, str) and value.strip() else None
            return Answer("narrative", narrative=Narrative(text, *self.source) if text else None)
        if f.kind == "lines":
            return Answer("lines", lines=tuple(str(v) for v in value or ()))
        if f.kind == "numbers":
            return Answer("text", text=self.fmt.join([str(v) for v in value or ()]))
        if f.kind == "carried":
            return Answer("choices", choices=((True, self._("From the {year} review").format(
                year=value)),))
        if f.kind in ("choice", "choices"):
            chosen = [value] if f.kind == "choice" and value is not None else list(value or ())
            listed = options(f.options, self.catalogue, self.fmt)
            by_code = {o.code: o for o in listed}
            first = [by_code[c] for c in chosen if c in by_code]
            rest = [o for o in listed if o.code not in chosen]
            # A multiple choice keeps its ticked options first, in the file's order:
            # reading them back in table order gives the same list.
            ordered = [*first, *rest] if f.kind == "choices" else listed
            return Answer("choices", choices=tuple((o.code in chosen, o.label) for o in ordered))
        return Answer("text", text="" if value is None else str(value))

    def table(self, group: Group, entries: list[dict[str, Any]]) -> Table:
        header = tuple(self._(c.label) for c in group.columns)
        if not group.every_option:
            rows = [tuple(self.answer(c, e.get(c.key)) for c in group.columns) for e in entries]
            rows.append(tuple(self.answer(c, None) for c in group.columns))
        else:
            # A row per option: the entries on file first (ticked, in their order),
            # then every other option, unticked.
            listed = {o.code: o for o in options(group.every_option, self.catalogue, self.fmt)}
            first, rest = group.columns[0], group.columns[1:]
            rows = [(Answer("choices", choices=((True, listed[e[first.key]].label),)),
                     *(self.answer(c, e.get(c.key)) for c in rest))
                    for e in entries if e.get(first.key) in listed]
            shown = {e.get(first.key) for e in entries}
            rows += [(Answer("choices", choices=((False, o.label),)),
                      *(self.answer(c, None) for c in rest))
                     for code, o in listed.items() if code not in shown]
        widths = {2: (35, 65), 3: (35, 12, 53), 4: (40, 22, 12, 26)}[len(group.columns)]
        return Table(self._(group.caption), header, tuple(rows), widths)


# --- reading a returned form --------------------------------------------------------------------

def _all_languages(msgid: str) -> set[str]:
    return {fold(translations(lang).gettext(msgid)) for lang in LANGUAGES}


@cache
def _labels() -> dict[str, dict[str, Field]]:
    """Per part: folded label (any language) -> field."""
    return {kind: {text: f for f in part.fields for text in _all_languages(f.label)}
            for kind, part in PARTS.items()}


@cache
def _sections() -> dict[str, str]:
    return {text: key for key, msgid in SECTION_HEADINGS.items()
            for text in _all_languages(msgid)}


@cache
def _heading_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Reservation headings and round-table headings, in any language."""
    def pattern(msgid: str) -> re.Pattern[str]:
        alternatives = sorted({re.escape(fold(translations(lang).gettext(msgid))).replace(
            re.escape("{number}"), r"(\d+)") for lang in LANGUAGES}, key=len, reverse=True)
        return re.compile("^(?:" + "|".join(alternatives) + ")")
    return pattern(RESERVATION_HEADING), pattern(ROUND_TABLE_HEADING)


def _digits(text: str) -> str:
    return text.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789"))


def is_form(document: WordDocument) -> bool:
    """A document made by `gcmreview form`: it has the form's label | answer tables."""
    labels = _labels()["review"]
    for block in document.blocks:
        if block.kind == "table" and any(
                row and fold(_first_line(row[0])) in labels and
                labels[fold(_first_line(row[0]))].key == "country" for row in block.rows):
            return True
    return False


def _first_line(cell: Cell) -> str:
    return cell.lines[0] if cell.lines else cell.text


@dataclass
class _Section:
    """Where the reader is: the part being read and where its data goes."""

    part: Part
    path: tuple[str | int, ...]
    heading: str
    block: int
    entry: dict[str, Any] = field(default_factory=dict)
    seen_rows: set[str] = field(default_factory=set)
    seen_groups: set[str] = field(default_factory=set)


class FormReader:
    """Turns the blocks of a returned form into review data, saying where each part came from."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.result = Imported(data={}, kind="form")
        self.sections: list[_Section] = []
        self.current: _Section | None = None
        self.heading = ""
        self.group_heading: str | None = None

    def problem(self, code: str, where: Where, message: str, hint: str | None = None,
                *, error: bool = True) -> None:
        self.result.problems.append(Problem(code, where, message, hint, error))

    def read(self, document: WordDocument) -> Imported:
        for block in document.blocks:
            if block.kind == "heading":
                self.on_heading(block)
            elif block.style == "Form Note" or not (block.text.strip() or block.rows):
                continue
            elif block.kind == "table" and self.current is not None:
                self.on_table(block, self.current)
            else:
                where = Where(self.heading, block.index)
                self.problem("not-placed", where,
                             _("text outside the answer tables was not imported: “{text}”")
                             .format(text=_excerpt(block.text or block.markdown)),
                             _("write it in the answer column of a table of the right section"))
        self.assemble()
        return self.result

    # -- headings

    def on_heading(self, block: Block) -> None:
        self.heading = block.text
        self.current = None
        text = fold(block.text)
        reservation, round_table = _heading_patterns()
        key = _sections().get(text) or section_key(block.text)
        if round_table.match(text):
            return
        if key in ("objectives", "principles", "reservations"):
            self.group_heading = key
            return
        match = reservation.match(text)
        if match:  # one group per language's pattern: the one that matched
            number = next(g for g in match.groups() if g)
            self.open(PARTS["reservation"], ("reservations", int(number)), block)
            return
        numbers = objective_numbers(block.text)
        if len(numbers) == 1:
            self.open(PARTS["objective"], ("objectives", numbers[0]), block)
            return
        slug = principle_slug(block.text, self.catalogue)
        if slug:
            self.open(PARTS["principle"], ("principles", slug), block)
            return
        if key in PARTS or key in ("review", "sources"):
            self.open(PARTS[key], (key,), block)

    def open(self, part: Part, path: tuple[str | int, ...], block: Block) -> None:
        for earlier in self.sections:
            if earlier.path == path:
                self.problem("section-repeated", Where(block.text, block.index),
                             _("this section appears twice in the document; the second one "
                               "was read into the same place"),
                             _("keep one copy of each section"), error=False)
                self.current = earlier
                return
        self.current = _Section(part, path, block.text, block.index)
        self.sections.append(self.current)

    # -- tables

    def on_table(self, block: Block, section: _Section) -> None:
        rows = [r for r in block.rows if any(c.text.strip() for c in r)]
        if not rows:
            return
        group = self.group_of(rows[0], section.part)
        if group is not None:
            self.read_group(group, rows[1:], block, section)
            return
        labels = _labels()[section.part.kind]
        if not any(fold(_first_line(r[0])) in labels for r in rows):
            where = Where(section.heading, block.index)
            self.problem("not-placed", where,
                         _("a table gcmreview does not know was not imported: “{text}”").format(
                             text=_excerpt(" ".join(c.text for c in rows[0]))),
                         _("write the answers in the form's own tables"))
            return
        for number, row in enumerate(block.rows, start=1):
            self.read_row(row, number, block, section, labels)

    def group_of(self, row: tuple[Cell, ...], part: Part) -> Group | None:
        for group in part.groups:
            names = [_all_languages(c.label) for c in group.columns]
            if len(row) >= len(names) and all(fold(_first_line(cell)) in accepted
                                               for cell, accepted in zip(row, names, strict=False)):
                return group
        return None

    def read_row(self, row: tuple[Cell, ...], number: int, block: Block, section: _Section,
                 labels: dict[str, Field]) -> None:
        if not row:
            return
        label = _first_line(row[0])
        f = labels.get(fold(label))
        answer = row[1] if len(row) > 1 else Cell("", "")
        where = Where(section.heading, block.index, number, label)
        extra = " ".join(c.text for c in row[2:]).strip()
        if f is None:
            if answer.text.strip() or extra:
                self.problem("not-placed", where,
                             _("the row “{label}” is not a question of this section; its "
                               "answer was not imported").format(label=_excerpt(label)),
                             _("keep the labels of the first column as they are"))
            return
        if extra:
            self.problem("not-placed", where,
                         _("text beside the answer column was not imported: “{text}”").format(
                             text=_excerpt(extra)),
                         _("write the whole answer in the answer column"))
        if f.key in section.seen_rows:
            self.problem("row-repeated", where,
                         _("“{label}” appears twice in this section: a heading above it may "
                           "have been deleted; the second answer was not imported").format(
                             label=label),
                         _("put the deleted heading back, or remove the repeated rows"))
            return
        section.seen_rows.add(f.key)
        value = self.value(f, answer, where)
        if value is not None:
            section.entry[f.key] = value
            self.result.placements.append(Placement((*section.path, f.key), where))

    def read_group(self, group: Group, rows: list[tuple[Cell, ...]], block: Block,
                   section: _Section) -> None:
        if group.key in section.seen_groups:
            self.problem("row-repeated", Where(section.heading, block.index),
                         _("the table “{caption}” appears twice in this section: a heading "
                           "above it may have been deleted; the second one was not imported")
                         .format(caption=_(group.caption)),
                         _("put the deleted heading back, or remove the repeated table"))
            return
        section.seen_groups.add(group.key)
        entries = []
        for number, row in enumerate(rows, start=2):
            where = Where(section.heading, block.index, number, _first_line(row[0]))
            entry = self.group_entry(group, row, where)
            if entry:
                entries.append(entry)
                self.result.placements.append(
                    Placement((*section.path, group.key, len(entries) - 1), where))
        if entries:
            section.entry[group.key] = entries

    def group_entry(self, group: Group, row: tuple[Cell, ...], where: Where) -> dict[str, Any]:
        cells = list(row) + [Cell("", "")] * (len(group.columns) - len(row))
        extra = " ".join(c.text for c in cells[len(group.columns):]).strip()
        if extra:
            self.problem("not-placed", where, _("text beside the table's columns was not "
                                                "imported: “{text}”").format(text=_excerpt(extra)))
        if not any(c.text.strip() for c in cells[:len(group.columns)]):
            return {}
        entry: dict[str, Any] = {}
        if group.every_option:
            first = group.columns[0]
            ticked, chosen = self.single_choice(first, cells[0], where, ticked_only=False)
            rest = any(c.text.strip() for c in cells[1:len(group.columns)])
            if not ticked and not rest:
                return {}
            if chosen is None:
                return {}
            if not ticked:
                self.problem("not-ticked", where,
                             _("“{option}” is not ticked but has an answer: it was imported as "
                               "ticked").format(option=_first_line(cells[0])),
                             _("tick the box, or clear the answer"), error=False)
            entry[first.key] = chosen
            columns = list(zip(group.columns[1:], cells[1:], strict=False))
        else:
            columns = list(zip(group.columns, cells, strict=False))
        for f, cell in columns:
            value = self.value(f, cell, where)
            if value is not None:
                entry[f.key] = value
        return entry

    # -- values

    def value(self, f: Field, cell: Cell, where: Where) -> Any:
        text = cell.text.strip()
        if f.kind == "narrative":
            return cell.markdown.strip() or None
        if f.kind == "lines":
            return [line.strip() for line in cell.lines if line.strip()] or None
        if f.kind == "choice":
            return self.single_choice(f, cell, where)[1]
        if f.kind == "choices":
            return self.multiple_choice(f, cell, where) or None
        if f.kind == "carried":  # ticked: still to check; the year is in its label
            ticked = [label for state, label in self.marks(cell) if state]
            years = re.findall(r"\d{4}", _digits(" ".join(ticked)))
            return int(years[0]) if years else None
        if not text:
            return None
        if f.kind == "line":
            return " ".join(line.strip() for line in (cell.lines or (text,)) if line.strip())
        if f.kind == "year":
            digits = _digits(text).strip()
            if digits.isdigit():
                return int(digits)
            self.problem("not-a-number", where,
                         _("“{text}” is not a year; the rest of the answer was imported "
                           "without it").format(text=_excerpt(text)),
                         _("write one year in digits, for example 2020; a period such as "
                           "2019-2021 belongs in the description"))
            return None
        if f.kind == "numbers":
            found = [int(n) for n in re.findall(r"\d+", _digits(text))]
            if not found:
                self.problem("not-a-number", where,
                             _("“{text}” holds no objective number; it was not imported")
                             .format(text=_excerpt(text)),
                             _("write the numbers, for example 12, 14"))
            return found or None
        if f.key == "country":
            code = countries.normalise(text)
            if countries.is_country_code(code):
                return code
            named = countries.code_for_name(text)
            if named:
                self.problem("country-name", where,
                             _("“{text}” is a country name; the code {code} was used").format(
                                 text=text, code=named), error=False)
                return named
            return text
        return text

    def marks(self, cell: Cell) -> list[tuple[bool | None, str]]:
        """Each line of a choice cell: ticked (True), unticked (False) or no box (None)."""
        out: list[tuple[bool | None, str]] = []
        for line in cell.lines:
            match = _BOX.match(line)
            if match:
                box = match.group(1)
                out.append((any(c in box for c in _TICKED), line[match.end():].strip()))
                continue
            word = re.match(r"^\s*[xX]\s+(.+)$", line)
            if word:
                out.append((True, word.group(1).strip()))
            elif line.strip():
                out.append((None, line.strip()))
        return out

    def single_choice(self, f: Field, cell: Cell, where: Where, *, ticked_only: bool = True
                      ) -> tuple[bool, str | None]:
        """(ticked, code): the ticked option, or a label typed without a box."""
        marks = self.marks(cell)
        self.foreign_unticked(f, marks, where)
        ticked = [label for state, label in marks if state]
        typed = [label for state, label in marks if state is None]
        if len(ticked) > 1:
            self.problem("several-ticked", where,
                         _("several boxes are ticked ({labels}): this answer takes one; it was "
                           "not imported").format(labels=join(ticked)),
                         _("leave one box ticked"))
            return True, None
        candidates = ticked or typed
        if not candidates:
            if not ticked_only and marks:  # an unticked row of a list of every option
                return False, option_code(f.options, marks[0][1], self.catalogue)
            return False, None
        if len(candidates) > 1:
            self.problem("unknown-choice", where,
                         _("“{text}” is not one of the choices; it was not imported").format(
                             text=_excerpt(" / ".join(candidates))),
                         self.choices_hint(f))
            return False, None
        code = option_code(f.options, candidates[0], self.catalogue)
        if code is None:
            self.problem("unknown-choice", where,
                         _("“{text}” is not one of the choices; it was not imported").format(
                             text=_excerpt(candidates[0])), self.choices_hint(f))
        return True, code  # ticked, or typed: writing an option is choosing it

    def foreign_unticked(self, f: Field, marks: list[tuple[bool | None, str]],
                         where: Where) -> None:
        """Text written beside an empty box that is none of the choices: said, not dropped."""
        for state, label in marks:
            if state is False and label and option_code(f.options, label,
                                                        self.catalogue) is None:
                self.problem("unknown-choice", where,
                             _("“{text}” is not one of the choices; it was not imported").format(
                                 text=_excerpt(label)), self.choices_hint(f))

    def multiple_choice(self, f: Field, cell: Cell, where: Where) -> list[str]:
        chosen: list[str] = []
        marks = self.marks(cell)
        self.foreign_unticked(f, marks, where)
        for state, label in marks:
            if state is False:
                continue
            code = option_code(f.options, label, self.catalogue)
            if code is None:
                if state is None and not label:
                    continue
                self.problem("unknown-choice", where,
                             _("“{text}” is not one of the choices; it was not imported")
                             .format(text=_excerpt(label)), self.choices_hint(f))
            elif code not in chosen:
                chosen.append(code)
        return chosen

    def choices_hint(self, f: Field) -> str:
        listed = options(f.options, self.catalogue, Formatter(language()))
        return _("tick one of: {choices}").format(choices=join([o.label for o in listed]))

    # -- the review data

    def assemble(self) -> None:
        data = self.result.data
        reservations: dict[int, dict[str, Any]] = {}
        for section in self.sections:
            entry = section.entry
            if not entry:
                continue
            kind = section.part.kind
            if kind == "review":
                country = entry.pop("country", None)
                if country is not None:
                    data["country"] = country
                if entry:
                    data["review"] = entry
            elif kind == "sources":
                data["sources"] = entry.get("sources", [])
            elif kind == "reservation":
                reservations[int(section.path[1])] = _with_summary(entry)
            elif kind in ("objective", "principle"):
                data.setdefault(str(section.path[0]), {})[section.path[1]] = _with_summary(entry)
            else:
                data[kind] = _with_summary(entry)
        if reservations:
            data["reservations"] = [reservations[n] for n in sorted(reservations)]
        # Required by the format, even when no objective is answered.
        data["objectives"] = dict(sorted(data.get("objectives", {}).items()))
        if "principles" in data:
            order = list(self.catalogue.principles)
            data["principles"] = dict(sorted(data["principles"].items(),
                                             key=lambda item: order.index(item[0])))


def _with_summary(entry: dict[str, Any]) -> dict[str, Any]:
    """Every section the format knows needs a summary, if only an empty one."""
    return entry if "summary" in entry else {"summary": "", **entry}


def _excerpt(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[:width - 1].rstrip() + "…"


def read_form(document: WordDocument, catalogue: Catalogue) -> Imported:
    return FormReader(catalogue).read(document)


def missing_sections(base: dict[str, Any] | None, document: WordDocument,
                     catalogue: Catalogue) -> list[Problem]:
    """Objectives and principles of the review on file whose heading the form lost:
    their answers cannot be told apart from the section above."""
    if not base:
        return []
    seen: set[tuple[str | int, ...]] = set()
    for block in document.blocks:
        if block.kind != "heading":
            continue
        numbers = objective_numbers(block.text)
        if len(numbers) == 1:
            seen.add(("objectives", numbers[0]))
        slug = principle_slug(block.text, catalogue)
        if slug:
            seen.add(("principles", slug))
    found = []
    for n in base.get("objectives") or {}:
        if ("objectives", n) not in seen:
            found.append(Problem("section-missing", Where("", 0),
                                 _("the section of objective {number} is not in the document: "
                                   "the objective was left out").format(number=n),
                                 _("make a new form with `gcmreview form`, or put the section "
                                   "back")))
    for slug in base.get("principles") or {}:
        if ("principles", slug) not in seen:
            found.append(Problem("section-missing", Where("", 0),
                                 _("the section of the guiding principle {slug} is not in the "
                                   "document: it was left out").format(slug=slug),
                                 _("make a new form with `gcmreview form`, or put the section "
                                   "back")))
    return found

