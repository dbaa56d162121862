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
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from gcmreview.core import countries, format
from gcmreview.core.diagnostics import Diagnostic, Where, document_problem
from gcmreview.core.format import Field, Group, Part
from gcmreview.core.i18n import N_, Formatter, _, join, language, principle_mark, translations
from gcmreview.core.indicators import (
    AGE_BAND,
    AGE_PATTERN,
    FIRST_YEAR,
    LABELS,
    UNIT_LABELS,
    file_stem,
    sort_key,
)
from gcmreview.core.languages import LANGUAGES, direction
from gcmreview.core.status import suggest
from gcmreview.core.text import excerpt, fold_words
from gcmreview.load.catalogue import Catalogue
from gcmreview.model.document import (
    Block,
    Cell,
    Imported,
    ImportedValue,
    Placement,
    WordDocument,
)
from gcmreview.model.headings import objective_numbers, principle_slug, section_key
from gcmreview.model.indicators import isolated
from gcmreview.model.review import OPTION_LABELS, Narrative, Text
from gcmreview.validate.data import StateData

FORM_VERSION = 1
"""Written on the form; a later layout can still read forms of this one."""


def review_part() -> Part:
    """The form's table about the review: the country code, then the `review:` fields."""
    meta = format.of_shape("meta")[0].part
    assert meta is not None
    return _with_country(meta)


@cache
def _with_country(meta: Part) -> Part:
    return Part(meta.kind, (format.COUNTRY, *meta.members), meta.schema)


def _part(section: format.Section) -> Part:
    """What the form asks in a section (each entry's, for keyed and list sections)."""
    if section.shape == "meta":
        return review_part()
    assert section.part is not None
    return section.part


ROUND_TABLE_HEADING = N_("IMRF round table {number}")
INDICATOR_HEADING = N_("Indicator {code}")
SERIES_LABEL = N_("Series")
DATA_COLUMNS = (N_("Year"), N_("Breakdown"), N_("Value"), N_("Unit"), N_("Source"))
"""The columns of an indicator's table in the form, in order."""

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
    if name == "principle":
        return [Option(p.slug, p.label(fmt.lang))
                for p in catalogue.principles.values()]
    return [Option(code, fmt.gettext(msgid)) for code, msgid in OPTION_LABELS[name].items()]


@cache
def _accepted(name: str, catalogue: Catalogue) -> dict[str, str]:
    """Folded text -> option code, for every way a returned form may spell an option."""
    found: dict[str, str] = {}
    for lang in LANGUAGES:
        for option in options(name, catalogue, Formatter(lang)):
            found.setdefault(fold_words(option.label), option.code)
            found.setdefault(fold_words(option.code), option.code)
    if name == "principle":
        for p in catalogue.principles.values():
            marks = (principle_mark(p.letter, lang) for lang in LANGUAGES)
            for text in (*p.names.values(), *marks, p.letter):
                found.setdefault(fold_words(text), p.slug)
    return found


def option_code(name: str, text: str, catalogue: Catalogue) -> str | None:
    code = _accepted(name, catalogue).get(fold_words(text))
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
    notes: tuple[str, ...] = ()
    """Under each column's label, what to write in it ("" for none): `import` reads a
    header cell's first line only."""


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
        self.t = self.fmt.gettext
        """The form's language (`_` is the interface's)."""

    def build(self, code: str, data: dict[str, Any] | None, cycle: int,
              country_name: str, values: StateData | None = None) -> FormModel:
        """`values`: the State's indicator data on file, which the form's tables start
        from."""
        t = self.t
        data = data or {}
        self.values = values or StateData()
        meta = data.get("review") or {}
        source_lang = meta.get("language") or self.lang
        self.source = (source_lang, direction(source_lang))
        review = {format.COUNTRY.key: code,
                  **(meta or {"cycle": cycle, "status": "draft", "language": self.lang})}
        sections: list[FormSection] = []
        for section in format.sections():
            heading = t(section.heading)
            value = data.get(section.key)
            if section.shape == "meta":
                sections.append(self.section(1, heading, section.anchor, _part(section), review))
            elif section.shape in ("single", "sources"):
                entry = value if section.shape == "single" else \
                    {_part(section).groups[0].key: value or []}
                sections.append(self.section(1, heading, section.anchor, _part(section), entry))
            elif section.shape == "objectives":
                sections.append(FormSection(1, self.ui(heading), section.anchor))
                sections += self.objectives(section, value or {})
            elif section.shape == "principles":
                sections.append(FormSection(1, self.ui(heading), section.anchor))
                sections += self.principles(section, value or {})
            elif section.shape == "list":
                sections.append(FormSection(1, self.ui(heading), section.anchor,
                                            note=t(section.form_note)))
                part = _part(section)
                for i, entry in enumerate([*(value or []), None], start=1):
                    sections.append(self.section(2, t(section.entry_heading).format(number=i),
                                                 f"{part.kind}-{i}", part, entry))
        return FormModel(
            lang=self.lang, dir=direction(self.lang), country=country_name, code=code,
            title=t("Voluntary review of the Global Compact for Migration: form"),
            subtitle=f"{country_name} ({code})",
            instructions=self.instructions(), sections=tuple(sections))

    def objectives(self, section: format.Section, entries: dict[int, Any]) -> list[FormSection]:
        """Every objective, by IMRF round table: the numbers the form is read back by."""
        t, part = self.t, _part(section)
        out = []
        for rt, numbers in self.catalogue.round_tables.items():
            out.append(FormSection(2, self.ui(
                t("IMRF round table {number}: objectives {objectives}").format(
                    number=rt, objectives=self.fmt.join([str(n) for n in numbers]))),
                f"round-table-{rt}"))
            for n in numbers:
                title = self.catalogue.objective(n).title(self.lang)
                before = t("{objective}: {title}").split("{title}")[0]
                out.append(self.section(
                    3, Text(title.text, title.lang, direction(title.lang), title.fallback),
                    f"{part.kind}-{n}", part, entries.get(n),
                    prefix=before.format(objective=t("Objective {number}").format(number=n))))
                out += [self.indicator(4, indicator.code)
                        for indicator, _link in self.catalogue.indicators_of(n)
                        if indicator.objectives[0] == n]
        others = [code for code in sorted({*self.values.values, *self.values.invalid},
                                          key=sort_key)
                  if not self.catalogue.indicator(code).objectives]
        if others:
            out.append(FormSection(2, self.ui(t("Other indicators")), "other-indicators",
                                   note=t("Values the State has on file for indicators "
                                          "that no objective shows.")))
            out += [self.indicator(3, code) for code in others]
        return out

    def indicator(self, level: int, code: str) -> FormSection:
        """An indicator's values: a row per year and breakdown, then empty rows."""
        t = self.t
        title = self.catalogue.indicator(code).title(self.lang)
        result = self.values.values.get(code)
        rows = [tuple(Answer("text", text=text) for text in (
                    str(v.year), self.breakdown_words(v.series, v.breakdown), v.text,
                    t(UNIT_LABELS[v.units]) if v.units in UNIT_LABELS else v.units, v.source))
                for v in sorted(result.values if result else (),
                                key=lambda v: (v.series, v.breakdown, v.year))]
        rows += [tuple(Answer("text") for _i in range(5))] * (1 if rows else 3)
        example = self.breakdown_words("", (("Sex", "Female"),))
        table = Table(t("One row per year, and per breakdown if there is one: write the "
                        "numbers in digits; leave Breakdown empty for the total, or write "
                        "for instance “{example}”. Leave the table empty if there is no "
                        "value.").format(example=example),
                      tuple(t(h) for h in DATA_COLUMNS), tuple(rows), (12, 26, 14, 20, 28))
        before = t("{objective}: {title}").split("{title}")[0]
        return FormSection(level, Text(title.text, title.lang, direction(title.lang),
                                       title.fallback),
                           f"indicator-{file_stem(code)}", tables=(table,),
                           prefix=before.format(objective=t("Indicator {code}").format(
                               code=isolated(code, self.lang))))

    def breakdown_words(self, series: str, breakdown: tuple[tuple[str, str], ...]) -> str:
        """“Sex: Female”, in the form's language; "" for the total."""
        colon = "\u00a0: " if self.lang == "fr" else ": "
        parts = [f"{self.t(SERIES_LABEL)}{colon}{series}"] if series else []
        parts += [f"{self.t(LABELS.get(name, name))}{colon}{self.t(LABELS.get(v, v))}"
                  for name, v in breakdown]
        return "; ".join(parts)

    def principles(self, section: format.Section, entries: dict[str, Any]) -> list[FormSection]:
        part = _part(section)
        out = []
        for slug, principle in self.catalogue.principles.items():
            name = principle.name(self.lang)
            heading = Text(f"{principle.mark(self.lang)} {name.text}",
                           name.lang, direction(name.lang), name.fallback)
            out.append(self.section(2, heading, f"{part.kind}-{slug}", part, entries.get(slug)))
        return out

    def instructions(self) -> tuple[str, ...]:
        t = self.t
        return (
            t("Write your answers in the right-hand column of each table, or in the empty rows "
              "of the tables with a header row. Keep the headings and the left-hand column as "
              "they are: they tell gcmreview where each answer goes."),
            t("Status and other choices: tick one box. In Word, click the box; in other word "
              "processors, replace ☐ with ☒ (or with X)."),
            t("To add a row to a table, put the cursor in its last cell and press Tab."),
            t("Bold, italics, lists, tables, links and footnotes are kept. Leave a question "
              "empty when the review says nothing about it; delete nothing."),
            t("Save the file as a Word document (.docx) and send it back, or upload it as the "
              "secretariat explained."),
        )

    def ui(self, text: str) -> Text:
        return Text(text, self.lang, direction(self.lang))

    def section(self, level: int, heading: Text | str, anchor: str, part: Part,
                entry: dict[str, Any] | None, *, prefix: str = "") -> FormSection:
        entry = entry or {}
        rows = tuple(Row(self.t(f.label), self.t(f.note) if f.note else "",
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
            return Answer("choices", choices=((True, self.t("From the {year} review").format(
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
        header = tuple(self.t(c.label) for c in group.columns)
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
        widths = {2: (35, 65), 3: (35, 12, 53), 4: (40, 22, 12, 26),
                  5: (14, 34, 12, 20, 20)}[len(group.columns)]  # 5: the sources
        return Table(self.t(group.caption), header, tuple(rows), widths,
                     tuple(self.t(c.note) if c.note else "" for c in group.columns))


# --- reading a returned form --------------------------------------------------------------------

FORMER_LABELS: dict[str, tuple[str, ...]] = {
    # French forms handed out before December 2026 said "Statut", an anglicism in this
    # sense (since "État d'avancement"): the forms States fill in and return are still read.
    "Status": ("Statut",),
}
"""Labels a form once printed for a msgid, still recognised when a form comes back."""


def _all_languages(msgid: str) -> set[str]:
    return {fold_words(translations(lang).gettext(msgid)) for lang in LANGUAGES} \
        | {fold_words(text) for text in FORMER_LABELS.get(msgid, ())}


@cache
def _labels(part: Part) -> dict[str, Field]:
    """A part's fields by their folded label, in any language."""
    return {text: f for f in part.fields for text in _all_languages(f.label)}


@cache
def _headings(sections: tuple[format.Section, ...]) -> dict[str, format.Section]:
    """The sections by their folded heading, in any language."""
    return {text: s for s in sections if s.heading for text in _all_languages(s.heading)}


def _pattern(msgid: str) -> re.Pattern[str]:
    """A numbered heading ("Reservation {number}") in any language."""
    alternatives = sorted({re.escape(fold_words(translations(lang).gettext(msgid))).replace(
        re.escape("{number}"), r"(\d+)") for lang in LANGUAGES}, key=len, reverse=True)
    return re.compile("^(?:" + "|".join(alternatives) + ")")


@cache
def _entry_headings(sections: tuple[format.Section, ...]
                    ) -> tuple[tuple[format.Section, re.Pattern[str]], ...]:
    """The headings of the entries of list sections ("Reservation 2"), in any language."""
    return tuple((s, _pattern(s.entry_heading)) for s in sections if s.shape == "list")


@cache
def _round_table_heading() -> re.Pattern[str]:
    return _pattern(ROUND_TABLE_HEADING)


def _digits(text: str) -> str:
    return text.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789"))


def is_form(document: WordDocument) -> bool:
    """A document made by `gcmreview form`: it has the form's label | answer tables."""
    labels = _labels(review_part())
    for block in document.blocks:
        if block.kind == "table" and any(
                row and fold_words(_first_line(row[0])) in labels and
                labels[fold_words(_first_line(row[0]))] is format.COUNTRY for row in block.rows):
            return True
    return False


def _first_line(cell: Cell) -> str:
    return cell.lines[0] if cell.lines else cell.text


@dataclass
class _Section:
    """Where the reader is: the part being read and where its data goes."""

    section: format.Section
    part: Part
    path: tuple[str | int, ...]
    heading: str
    block: int
    entry: dict[str, Any] = field(default_factory=dict)
    seen_rows: set[str] = field(default_factory=set)
    seen_groups: set[str] = field(default_factory=set)


@cache
def _indicator_heading() -> re.Pattern[str]:
    """“Indicator 10.7.1: …” in any language; the code is the group."""
    prefixes = {translations(lang).gettext(INDICATOR_HEADING).split("{code}")[0].strip()
                for lang in LANGUAGES}
    words = "|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True))
    return re.compile(rf"^\s*(?:{words})\s*([0-9A-Za-z]{{1,12}}(?:\.[0-9A-Za-z]{{1,12}}){{1,4}})",
                      re.IGNORECASE)


@cache
def _data_columns() -> tuple[frozenset[str], ...]:
    return tuple(frozenset(_all_languages(c)) for c in DATA_COLUMNS)


@cache
def _words_to_codes(extra: tuple[str, ...]) -> dict[str, str]:
    """A breakdown's name or value, a unit, or “Total”, as a form may write them in any
    language -> its code in data files ("" for the total)."""
    found: dict[str, str] = {}
    for code, msgid in (*LABELS.items(), *UNIT_LABELS.items(), ("", N_("Total")),
                        ("Series", SERIES_LABEL)):
        for text in (*_all_languages(msgid), fold_words(code)):
            found.setdefault(text, code)
    for code in extra:
        found.setdefault(fold_words(code), code)
    return found


@cache
def _unit_codes() -> dict[str, str]:
    """A unit as the form writes it, in any language -> its code in data files."""
    return {text: code for code, msgid in UNIT_LABELS.items()
            for text in (*_all_languages(msgid), fold_words(code))}


@dataclass
class _Values:
    """An indicator's table being read."""

    code: str
    heading: str
    block: int
    seen: bool = False


class FormReader:
    """Turns the blocks of a returned form into review data, saying where each part came from."""

    def __init__(self, catalogue: Catalogue, cycle: int | None = None) -> None:
        self.catalogue = catalogue
        self.cycle = cycle
        self.result = Imported(data={}, kind="form")
        self.sections: list[_Section] = []
        self.current: _Section | None = None
        self.values: _Values | None = None
        self.heading = ""

    def problem(self, code: str, where: Where, message: str, hint: str | None = None,
                *, error: bool = True) -> None:
        self.result.problems.append(document_problem(code, where, message, hint,
                                                     error=error))

    def read(self, document: WordDocument) -> Imported:
        for block in document.blocks:
            if block.kind == "heading":
                self.on_heading(block)
            elif block.style == "Form Note" or not (block.text.strip() or block.rows):
                continue
            elif block.kind == "table" and self.values is not None:
                self.on_values(block, self.values)
            elif block.kind == "table" and self.current is not None:
                self.on_table(block, self.current)
            else:
                where = Where(self.heading, block.index)
                self.problem("not-placed", where,
                             _("text outside the answer tables was not imported: “{text}”")
                             .format(text=excerpt(block.text or block.markdown)),
                             _("write it in the answer column of a table of the right section"))
        self.assemble()
        return self.result

    # -- headings

    def on_heading(self, block: Block) -> None:
        self.heading = block.text
        self.current = None
        self.values = None
        indicator = _indicator_heading().match(
            re.sub(r"[\u2066-\u2069\u200e\u200f]", "", _digits(block.text)))
        if indicator and indicator.group(1) in self.catalogue.indicators:
            self.values = _Values(indicator.group(1), block.text, block.index)
            return
        text = fold_words(block.text)
        sections = format.sections()
        named = _headings(sections).get(text)
        key = named.key if named else section_key(block.text)
        if _round_table_heading().match(text):
            return
        section = next((s for s in sections if s.key == key), None)
        if section is not None and section.shape in ("objectives", "principles", "list"):
            return  # a group's heading: each of its entries has a heading of its own
        for listed, pattern in _entry_headings(sections):
            match = pattern.match(text)
            if match:  # one group per language's pattern: the one that matched
                number = next(g for g in match.groups() if g)
                self.open(listed, (listed.key, int(number)), block)
                return
        numbers = objective_numbers(block.text)
        if len(numbers) == 1:
            objectives = format.of_shape("objectives")[0]
            self.open(objectives, (objectives.key, numbers[0]), block)
            return
        slug = principle_slug(block.text, self.catalogue)
        if slug:
            principles = format.of_shape("principles")[0]
            self.open(principles, (principles.key, slug), block)
            return
        if section is not None and section.shape in ("meta", "single", "sources"):
            self.open(section, (section.key,), block)

    def open(self, section: format.Section, path: tuple[str | int, ...], block: Block) -> None:
        for earlier in self.sections:
            if earlier.path == path:
                self.problem("section-repeated", Where(block.text, block.index),
                             _("this section appears twice in the document; the second one "
                               "was read into the same place"),
                             _("keep one copy of each section"), error=False)
                self.current = earlier
                return
        self.current = _Section(section, _part(section), path, block.text, block.index)
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
        labels = _labels(section.part)
        if not any(fold_words(_first_line(r[0])) in labels for r in rows):
            where = Where(section.heading, block.index)
            self.problem("not-placed", where,
                         _("a table gcmreview does not know was not imported: “{text}”").format(
                             text=excerpt(" ".join(c.text for c in rows[0]))),
                         _("write the answers in the form's own tables"))
            return
        for number, row in enumerate(block.rows, start=1):
            self.read_row(row, number, block, section, labels)

    def group_of(self, row: tuple[Cell, ...], part: Part) -> Group | None:
        for group in part.groups:
            names = [_all_languages(c.label) for c in group.columns]
            # A form made before a column was added (`later`) has its table without it.
            least = sum(1 for c in group.columns if not c.later)
            if len(row) >= least and all(fold_words(_first_line(cell)) in accepted
                                         for cell, accepted in zip(row, names, strict=False)):
                return group
        return None

    def read_row(self, row: tuple[Cell, ...], number: int, block: Block, section: _Section,
                 labels: dict[str, Field]) -> None:
        if not row:
            return
        label = _first_line(row[0])
        f = labels.get(fold_words(label))
        answer = row[1] if len(row) > 1 else Cell("", "")
        where = Where(section.heading, block.index, number, label)
        extra = " ".join(c.text for c in row[2:]).strip()
        if f is None:
            if answer.text.strip() or extra:
                self.problem("not-placed", where,
                             _("the row “{label}” is not a question of this section; its "
                               "answer was not imported").format(label=excerpt(label)),
                             _("keep the labels of the first column as they are"))
            return
        if extra:
            self.problem("not-placed", where,
                         _("text beside the answer column was not imported: “{text}”").format(
                             text=excerpt(extra)),
                         _("write the whole answer in the answer column"))
        if f.key in section.seen_rows:
            self.problem("row-repeated", where,
                         _("“{label}” appears twice in this section: a heading above it may "
                           "have been deleted; the second answer was not imported").format(
                             label=label),
                         _("put the deleted heading back, or remove the repeated rows"))
            return
        section.seen_rows.add(f.key)
        errors = sum(1 for p in self.result.problems if p.error)
        value = self.value(f, answer, where)
        if value is not None:
            section.entry[f.key] = value
            self.result.placements.append(Placement((*section.path, f.key), where))
        elif sum(1 for p in self.result.problems if p.error) > errors:
            self.result.unread.append(Placement((*section.path, f.key), where))

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
                                                "imported: “{text}”").format(text=excerpt(extra)))
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

    # -- an indicator's values

    def on_values(self, block: Block, values: _Values) -> None:
        rows = [r for r in block.rows if any(c.text.strip() for c in r)]
        if not rows:
            return
        columns = _data_columns()
        header = [fold_words(_first_line(c)) for c in rows[0]]
        if len(header) < len(columns) or not all(
                h in accepted for h, accepted in zip(header, columns, strict=False)):
            self.problem("not-placed", Where(values.heading, block.index),
                         _("a table gcmreview does not know was not imported: “{text}”").format(
                             text=excerpt(" ".join(c.text for c in rows[0]))),
                         _("write the values in the form's own table"))
            return
        if values.seen:
            self.problem("row-repeated", Where(values.heading, block.index),
                         _("the values of indicator {code} appear twice: the second table was "
                           "not imported").format(code=values.code),
                         _("put the deleted heading back, or remove the repeated table"))
            return
        values.seen = True
        found: list[ImportedValue] = []
        first: dict[tuple[object, ...], int] = {}
        for number, row in enumerate(block.rows[1:], start=2):
            cells = [c.text.strip() for c in row]
            if not any(cells):
                continue
            cells += [""] * (len(columns) - len(cells))
            where = Where(values.heading, block.index, number, cells[0])
            read = self.value_row(values.code, cells, where)
            if read is None:
                self.result.refused_values.add(values.code)
                continue
            key = (read.year, read.series, read.breakdown)
            if key in first:
                self.problem("row-repeated", where,
                             _("row {number} repeats the year and breakdown of row {first}; "
                               "it was not imported").format(number=number, first=first[key]),
                             _("keep one row per year and breakdown"))
                self.result.refused_values.add(values.code)
                continue
            first[key] = number
            found.append(read)
            self.result.placements.append(
                Placement(("values", values.code, len(found) - 1), where))
        if found:
            self.result.values[values.code] = found

    def value_row(self, code: str, cells: list[str], where: Where) -> ImportedValue | None:
        """One row of an indicator's table; None (and a problem) when it cannot be placed."""
        year_text, breakdown_text, value_text, unit_text, source = cells[:5]
        ok = True
        year = _digits(year_text).strip()
        if not re.fullmatch(r"\d{4}", year):
            self.problem("not-a-number", where,
                         _("“{text}” is not a year; the row was not imported").format(
                             text=excerpt(year_text)) if year_text else
                         _("the row has no year; it was not imported"),
                         _("write one year in four digits, such as 2021"))
            ok = False
        elif self.cycle is not None and not FIRST_YEAR <= int(year) <= self.cycle:
            self.problem("year-out-of-range", where,
                         _("{year} is outside this cycle's range, {first} to {last}; the row "
                           "was not imported").format(year=year, first=FIRST_YEAR,
                                                      last=self.cycle),
                         _("check the year"))
            ok = False
        number = word_number(value_text)
        if number is None:
            self.problem("not-a-number", where,
                         _("“{text}” is not a number; the row was not imported").format(
                             text=excerpt(value_text)) if value_text else
                         _("the row has no value; it was not imported"),
                         _("write the number alone, in digits (12.5 or 12,5); the unit goes in "
                           "its own column"))
            ok = False
        parsed = self.breakdown(code, breakdown_text, where)
        if parsed is None:
            ok = False
        for text in (unit_text, source):
            if text.startswith(("=", "+", "-", "@")):
                self.problem("not-placed", where,
                             _("“{text}” starts with “{sign}”, which spreadsheet programs run "
                               "as a formula; the row was not imported").format(
                                 text=excerpt(text), sign=text[0]),
                             _("remove the sign"))
                ok = False
        if not ok or parsed is None or number is None:
            return None
        series, breakdown = parsed
        units = _unit_codes().get(fold_words(unit_text), unit_text) if unit_text else ""
        return ImportedValue(int(year), number, breakdown, series,
                             " ".join(units.split()), " ".join(source.split()))

    def breakdown(self, code: str, text: str, where: Where
                  ) -> tuple[str, tuple[tuple[str, str], ...]] | None:
        """“Sex: Female; Age: 15-24” (in any language) -> (series, breakdown pairs)."""
        allowed = self.catalogue.breakdowns_of(code)
        extra = tuple(allowed) + tuple(v for values in allowed.values()
                                       if isinstance(values, tuple) for v in values)
        codes = _words_to_codes(extra)
        series = ""
        pairs: dict[str, str] = {}
        for part in re.split(r"[;؛\n]", text):
            if not part.strip():
                continue
            name_text, _sep, value = part.partition(":")
            name = codes.get(fold_words(name_text))
            value = value.strip()
            if not value and name == "":  # “Total”
                continue
            if name == "Series" and value:
                series = value
                continue
            listed = allowed.get(name or "")
            known = codes.get(fold_words(value), value)
            if name is None or listed is None or not value or not (
                    AGE_PATTERN.fullmatch(value) if listed == AGE_BAND else known in listed):
                names = join([self.t_ui(n) for n in allowed])
                self.problem("unknown-breakdown", where,
                             _("“{text}” is not a breakdown of indicator {code}; the row was "
                               "not imported").format(text=excerpt(part.strip()), code=code),
                             _("write it as “breakdown: value” with a breakdown among {names}, "
                               "or leave it empty for the total").format(names=names))
                return None
            pairs[name] = value if listed == AGE_BAND else known
        order = list(allowed)
        return series, tuple(sorted(pairs.items(), key=lambda item: order.index(item[0])))

    def t_ui(self, name: str) -> str:
        return _(LABELS[name]) if name in LABELS else name

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
                           "without it").format(text=excerpt(text)),
                         _("write one year in digits, for example 2020; a period such as "
                           "2019-2021 belongs in the description"))
            return None
        if f.kind == "numbers":
            found = [int(n) for n in re.findall(r"\d+", _digits(text))]
            if not found:
                self.problem("not-a-number", where,
                             _("“{text}” holds no objective number; it was not imported")
                             .format(text=excerpt(text)),
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
                             text=excerpt(" / ".join(candidates))),
                         self.choices_hint(f))
            return False, None
        code = option_code(f.options, candidates[0], self.catalogue)
        if code is None:
            self.problem("unknown-choice", where,
                         _("“{text}” is not one of the choices; it was not imported").format(
                             text=excerpt(candidates[0])), self.choices_hint(f))
        return True, code  # ticked, or typed: writing an option is choosing it

    def foreign_unticked(self, f: Field, marks: list[tuple[bool | None, str]],
                         where: Where) -> None:
        """Text written beside an empty box that is none of the choices: said, not dropped."""
        for state, label in marks:
            if state is False and label and option_code(f.options, label,
                                                        self.catalogue) is None:
                self.problem("unknown-choice", where,
                             _("“{text}” is not one of the choices; it was not imported").format(
                                 text=excerpt(label)), self.choices_hint(f))

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
                             .format(text=excerpt(label)), self.choices_hint(f))
            elif code not in chosen:
                chosen.append(code)
        return chosen

    def choices_hint(self, f: Field) -> str:
        listed = options(f.options, self.catalogue, Formatter(language()))
        return _("tick one of: {choices}").format(choices=join([o.label for o in listed]))

    # -- the review data

    def assemble(self) -> None:
        data = self.result.data
        lists: dict[str, dict[int, dict[str, Any]]] = {}
        for read in self.sections:
            entry = read.entry
            if not entry:
                continue
            section = read.section
            if section.shape == "meta":
                country = entry.pop(format.COUNTRY.key, None)
                if country is not None:
                    data[format.COUNTRY.key] = country
                if entry:
                    data[section.key] = entry
            elif section.shape == "sources":
                data[section.key] = entry.get(read.part.groups[0].key, [])
            elif section.shape == "list":
                lists.setdefault(section.key, {})[int(read.path[1])] = _with_summary(entry)
            elif section.shape in ("objectives", "principles"):
                data.setdefault(section.key, {})[read.path[1]] = _with_summary(entry)
            else:
                data[section.key] = _with_summary(entry)
        for key, entries in lists.items():
            data[key] = [entries[n] for n in sorted(entries)]
        # Required by the format, even when no objective is answered.
        objectives = format.of_shape("objectives")[0].key
        data[objectives] = dict(sorted(data.get(objectives, {}).items()))
        principles = format.of_shape("principles")[0].key
        if principles in data:
            order = list(self.catalogue.principles)
            data[principles] = dict(sorted(data[principles].items(),
                                           key=lambda item: order.index(item[0])))


def _with_summary(entry: dict[str, Any]) -> dict[str, Any]:
    """Every section the format knows needs a summary, if only an empty one."""
    return entry if "summary" in entry else {"summary": "", **entry}



def read_form(document: WordDocument, catalogue: Catalogue, cycle: int | None = None
              ) -> Imported:
    return FormReader(catalogue, cycle).read(document)


def word_number(text: str) -> str | None:
    """A number as a focal point types it in Word (12,5; 1 234; ١٢٫٥), as data files write
    it (12.5); None for text, or a number a reader could take two ways (1,234)."""
    text = _digits(text).replace("\u066b", ".").replace("\u066c", "").replace("\u2212", "-")
    text = re.sub(r"[\s\u00a0\u202f\u2009]", "", text)
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+", text):
        return None  # 1,234: a thousand or one and a fraction?
    if re.fullmatch(r"[+-]?\d+([.,]\d+)?", text):
        return text.replace(",", ".").lstrip("+")
    return None


def missing_sections(base: dict[str, Any] | None, document: WordDocument,
                     catalogue: Catalogue) -> list[Diagnostic]:
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
            found.append(document_problem("section-missing", Where("", 0),
                                 _("the section of objective {number} is not in the document: "
                                   "the objective was left out").format(number=n),
                                 _("make a new form with `gcmreview form`, or put the section "
                                   "back")))
    for slug in base.get("principles") or {}:
        if ("principles", slug) not in seen:
            found.append(document_problem("section-missing", Where("", 0),
                                 _("the section of the guiding principle {slug} is not in the "
                                   "document: it was left out").format(slug=slug),
                                 _("make a new form with `gcmreview form`, or put the section "
                                   "back")))
    return found

