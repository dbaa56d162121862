"""The report model: a validated review turned into plain data for templates.

Templates only lay things out. Everything they show (labels in the report
language, the coverage rows, objectives grouped by IMRF round table, formatted
dates and numbers) is computed here, so a workspace template override cannot
get a number wrong and every number comes from the files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, cast

from gcmreview.core import citations, format
from gcmreview.core.format import Review, SourceEntry
from gcmreview.core.i18n import (
    N_,
    NC_,
    Formatter,
    join,
    letter_ranges,
    ngettext,
    number_ranges,
    translations,
)
from gcmreview.core.i18n import language as ui_language
from gcmreview.core.indicators import sort_key
from gcmreview.core.languages import direction
from gcmreview.core.status import OBJECTIVE_STATUSES, of_entry, status
from gcmreview.core.text import acronyms_in, fold
from gcmreview.core.units import Path_
from gcmreview.load.catalogue import Catalogue, Label, Link
from gcmreview.model.apparatus import (
    Acronym,
    Apparatus,
    Masthead,
    acronym_list,
    masthead,
    quoted_only,
    texts_of,
)
from gcmreview.model.changes import compare
from gcmreview.model.figures import Chart
from gcmreview.model.indicators import IndicatorBuilder, IndicatorView, figure_name
from gcmreview.model.matrix import StateCoverage
from gcmreview.model.progress import PRINCIPLE_WORDS, REPORT_WORDS
from gcmreview.model.text import Citation, Phrase, Text
from gcmreview.model.translation import Translation
from gcmreview.validate.coverage import Coverage, has_text
from gcmreview.validate.data import StateData

DOCUMENT_STATUS_LABELS = {"draft": N_("Draft"), "submitted": N_("Submitted"), "final": N_("Final")}
STAKEHOLDER_LABELS = {
    "migrants": N_("Migrants"),
    "diasporas": N_("Diasporas"),
    "local_communities": N_("Local communities"),
    "civil_society": N_("Civil society"),
    "academia": N_("Academia"),
    "private_sector": N_("Private sector"),
    "parliamentarians": N_("Parliamentarians"),
    "trade_unions": N_("Trade unions"),
    "national_human_rights_institutions": N_("National human rights institutions"),
    "media": N_("Media"),
    "international_organizations": N_("International organizations"),
    "other": N_("Other stakeholders"),
}
INSTRUMENT_KIND_LABELS = {
    "strategy": N_("Strategy"),
    "law": N_("Law"),
    "action_plan": N_("Action plan"),
    "mechanism": N_("Mechanism"),
    "agreement": N_("Agreement"),
    "other": N_("Other"),
}
INSTRUMENT_STATUS_LABELS = {
    "adopted": N_("Adopted"),
    "in_preparation": N_("In preparation"),
    "planned": N_("Planned"),
}
# An instrument's status agrees with its kind in French and Arabic (une stratégie
# adoptée, un plan d'action adopté; استراتيجية معتمدة، قانون معتمد): said in the kind's
# context. Listed so that every pair is extracted into the catalogs.
_AGREEING = (
    NC_("strategy", "Adopted"), NC_("strategy", "In preparation"), NC_("strategy", "Planned"),
    NC_("law", "Adopted"), NC_("law", "In preparation"), NC_("law", "Planned"),
    NC_("action_plan", "Adopted"), NC_("action_plan", "In preparation"),
    NC_("action_plan", "Planned"),
    NC_("mechanism", "Adopted"), NC_("mechanism", "In preparation"),
    NC_("mechanism", "Planned"),
    NC_("agreement", "Adopted"), NC_("agreement", "In preparation"),
    NC_("agreement", "Planned"),
    NC_("other", "Adopted"), NC_("other", "In preparation"), NC_("other", "Planned"),
)
LANGUAGE_LABELS = {"en": N_("English"), "fr": N_("French"), "ar": N_("Arabic")}
OPTION_LABELS: dict[str, dict[str, str]] = {
    "status": {s.code: s.label for s in OBJECTIVE_STATUSES},
    "document_status": DOCUMENT_STATUS_LABELS,
    "language": LANGUAGE_LABELS,
    "stakeholder": STAKEHOLDER_LABELS,
    "instrument_kind": INSTRUMENT_KIND_LABELS,
    "instrument_status": INSTRUMENT_STATUS_LABELS,
}
"""Each option list of the format's choice fields (Field.options): code -> label (a
message id), in the order the form offers them. Guiding principles come from the
catalogue."""




@dataclass(frozen=True)
class Narrative:
    """Untrusted Markdown from a review file, in the review's language (or its translation
    into the report's)."""

    markdown: str
    lang: str
    dir: str
    label: str = ""
    """“FR”: shown in its original language in a report that has a translation of other
    texts of the review, so marked."""


@dataclass(frozen=True)
class ObjectiveRow:
    number: int
    short: Text
    round_table: int
    status: str
    status_label: Text | Phrase
    reported: bool
    earlier: list[tuple[int, Text | Phrase]] = field(default_factory=list)
    """(cycle, status in words) in each earlier cycle, oldest first."""
    by_partner: bool = False
    """Only a partner spoke to it (`stated_by`): not the State's report, not counted."""


@dataclass(frozen=True)
class PrincipleRow:
    slug: str
    letter: str
    mark: str
    """The letter as the name's language writes it: "(a)", "a)", "(أ)" (`Principle.mark`)."""
    name: Text
    reported: bool
    via_objectives: tuple[int, ...]

    @property
    def label(self) -> Text:
        """“(a) People-centred”: the letter kept with its name, in the name's direction."""
        return self.name._replace(text=f"{self.mark} {self.name.text}")


@dataclass(frozen=True)
class Item:
    """A titled entry (measure, good practice, instrument) with optional details."""

    title: Text
    details: Text | str = ""
    description: Narrative | None = None


@dataclass(frozen=True)
class ObjectiveView:
    number: int
    title: Text
    short: Text
    status: str
    status_label: Text | Phrase
    status_named: Text | Phrase
    """The status as said after the State's name, in the regional report (Status.named)."""
    summary: Narrative | None
    justification: Narrative | None
    measures: list[Item]
    good_practices: list[Item]
    challenges: list[Text]
    partners: list[Text]
    principles: list[Text]
    sources: list[Citation]
    earlier: list[tuple[int, Text | Phrase]] = field(default_factory=list)
    """(cycle, status in words) in each earlier cycle, oldest first."""
    indicators: list[IndicatorView] = field(default_factory=list)
    """The indicators linked to it: the State's values, or a note that it has none."""


@dataclass(frozen=True)
class Moved:
    """One objective in a line of what moved: its number and short title, and its status
    then and now when both cycles report on it (then only, when it is no longer reported)."""

    number: int
    short: Text
    before: Text | Phrase | None = None
    after: Text | Phrase | None = None


@dataclass(frozen=True)
class SinceCycle:
    """What moved since an earlier cycle, for the top of a country report."""

    cycle: int
    reviewed: bool
    """The State had a valid review in that cycle."""
    objectives_before: str
    """“4 of 23” (running text), or "" without a review then."""
    changes: list[tuple[str, list[Moved]]] = field(default_factory=list)
    """(“Objectives moved forward”, the objectives) for each kind of change there was:
    objectives by number and title, never a bare number list."""
    principles_before: str = ""
    principles: list[tuple[str, list[Text]]] = field(default_factory=list)
    """(“Guiding principle now reported”, their names), then those no longer reported."""
    invalid: bool = False
    """The State's file of that cycle is invalid: it is not compared."""


@dataclass(frozen=True)
class Section:
    """A narrative section of a review (or a reservation), as any section of the format
    (gcmreview.core.format) is shown."""

    summary: Narrative | None
    """None when the section has no text: reports say it is not reported."""
    sources: list[Citation] = field(default_factory=list)
    items: list[Text] = field(default_factory=list)
    """Its list of lines, if its part has one (support needed, planned actions,
    institutions involved)."""
    lines: dict[str, Text] = field(default_factory=dict)
    """Its one-line fields that are filled in (coordination), by key."""
    entries: dict[str, list[Item]] = field(default_factory=dict)
    """Its tables (stakeholders, instruments), by key."""
    stated_by: Text | None = None
    """Who spoke, when a partner did and not the State (format.STATED_BY)."""
    attribution: Phrase | None = None
    """"Stated by …, not by the State.", when a partner spoke."""


@dataclass(frozen=True)
class PlainSection:
    """A section reports show like every other plain one (Section.plain in the format),
    in the format's order: its heading and anchor, and what the review says."""

    key: str
    heading: str
    """Message id: templates translate it."""
    anchor: str
    section: Section | None


@dataclass(frozen=True)
class RoundTable:
    number: int | None
    label: str
    objectives: list[ObjectiveView]


@dataclass(frozen=True)
class ReviewModel:
    code: str
    country: str
    lang: str
    dir: str
    source: Text
    """The review's own language (its narratives)."""
    cycle: int
    status: str
    status_label: str
    date: str
    date_iso: str | None
    lead_institution: Text
    focal_point: Text
    compact: Text
    objectives_covered: str
    """`4/23`, for tables and the cover's facts; in running text, `objectives_out_of`."""
    principles_covered: str
    objectives_out_of: str
    """`4 of 23`, `4 sur 23`: the same in running text."""
    principles_out_of: str
    objective_rows: list[ObjectiveRow]
    principle_rows: list[PrincipleRow]
    sections: dict[str, Section | None]
    """Every narrative section of the format by key, as templates name them:
    `review.sections.methodology` (None: not reported)."""
    lists: dict[str, list[Section]]
    """Every list section of the format by key: `review.lists.reservations`."""
    plain_sections: list[PlainSection]
    round_tables: list[RoundTable]
    principles: list[tuple[Text, Narrative | None, list[Citation]]]
    sources: list[Item]
    catalogue_note: str
    """Says where titles fall back to English, or is empty."""
    fallbacks: tuple[str, ...] = ()
    """What the report shows in another language than its own, in words for the
    person building it (in the interface's language): `build` warns with these."""
    since: list[SinceCycle] = field(default_factory=list)
    """Progress since each earlier cycle (gcmreview.yaml `history:`), latest first."""
    translation: str = ""
    """In the report's language, what language its texts are in when it is not the
    review's own: “Translated from French; the French original prevails.” (the title
    page says it once), or that there is no translation yet. Empty otherwise."""
    text_language: str = ""
    """The same, short, for the regional report's list of States: “Arabic, translated
    from French”, “French”."""
    masthead: Masthead | None = None
    """When the workspace gives the States' reports one (`document: country_reports`)."""
    acronyms: list[Acronym] = field(default_factory=list)
    """The acronyms the review uses that the workspace spells out (`acronyms:`)."""
    other_indicators: list[IndicatorView] = field(default_factory=list)
    """Indicators with values that no objective of the review shows."""
    figures: dict[str, Chart] = field(default_factory=dict)
    """The charts the report places, by name."""
    indicator_source: str = ""
    """Where the indicator titles shown come from, when any is shown."""
    data_sources: list[Text] = field(default_factory=list)
    """The sources the State's data files name, each once, in the order the report cites
    them under its tables: listed with the review's own sources."""


class SourceList:
    """Sources numbered in the order they are first cited: [1], [2]… The regional
    report shares one list across every State, a source cited by several once."""

    def __init__(self) -> None:
        self.numbers: dict[tuple[str, str, str], int] = {}
        self.items: list[tuple[SourceEntry, str]] = []
        """(the source entry, the language of the review citing it)"""

    def number(self, source: SourceEntry, lang: str) -> int:
        key = (str(source.get("title")), str(source.get("date") or ""),
               str(source.get("url") or ""))
        if key not in self.numbers:
            self.items.append((source, lang))
            self.numbers[key] = len(self.items)
        return self.numbers[key]


class ModelBuilder:
    """Builds the model of one review in one report language."""

    def __init__(self, catalogue: Catalogue, lang: str,
                 country_names: dict[str, str | dict[str, str]] | None = None,
                 *, shared_sources: SourceList | None = None,
                 apparatus: Apparatus | None = None) -> None:
        self.catalogue = catalogue
        self.apparatus = apparatus or Apparatus()
        """The workspace's masthead and acronyms."""
        self.shared_sources = shared_sources
        """The regional report's one list of sources; None: each review numbers its own."""
        self.lang = lang
        self.fmt = Formatter(lang, report=True)
        self.t = self.fmt.gettext
        """The report's language (`_` is the interface's)."""
        self.country_names = country_names or {}
        self._principle_labels: dict[str, Text] = {}

    def country(self, code: str, lang: str | None = None) -> str:
        """The State's name in the report's language (or in `lang`): the workspace's, else
        CLDR's."""
        lang = lang or self.lang
        names = self.country_names.get(code) or {}
        if isinstance(names, str):
            return names
        return names.get(lang) or (self.fmt if lang == self.lang
                                   else Formatter(lang, report=True)).country(code)

    def ui(self, text: str) -> Text:
        """Text already in the report language (labels from the message catalogs)."""
        return Text(text, self.lang, direction(self.lang))

    def text(self, label: Label) -> Text:
        return Text(label.text, label.lang, direction(label.lang), label.fallback)

    def build(self, data: Review, coverage: Coverage, *, order: str = "imrf",
              earlier: dict[int, StateCoverage | None] | None = None,
              values: StateData | None = None, charts: bool = True,
              translation: Translation | None = None) -> ReviewModel:
        """`earlier`: the State in each earlier cycle (None: no review file then);
        `values`: its indicator data; `charts`: whether the report draws them;
        `translation`: the review's current translation into the report's language."""
        return ReviewReading(self, data, earlier or {}, values or StateData(), charts,
                             translation).model(coverage, order)

    def source_item(self, source: SourceEntry, lang: str) -> Item:
        """A numbered source: its title in its review's language; date and address."""
        details = [x for x in (self.fmt.date(source.get("date")), source.get("url")) if x]
        return Item(Text(str(source["title"]), lang, direction(lang)), self.fmt.join(details))

    def citation(self, number: int, locators: list[str], src: Callable[[str], Text],
                 title: Text, date: str | None = None, short_title: Text | None = None
                 ) -> Citation:
        """Source `number` (`title`, `date`, `short_title`) with its locators: paragraphs
        and pages in the report's language (gcmreview.core.citations); any other locator as
        the review wrote it (`src`: text in the review's language)."""
        found = [(text, citations.parse(text)) for text in locators]
        written = [citations.write(loc, self.fmt)
                   for loc in citations.merge(loc for _text, loc in found if loc)]
        others = {f"locator{i}": src(text)
                  for i, (text, loc) in enumerate(found) if loc is None}

        def phrase(text: str) -> Text | Phrase:
            return Phrase(text, others) if others else self.ui(text)

        label = f"[{number}]"
        # Written locators hold no braces: `{locator0}` can only be a placeholder.
        places = self.fmt.join([*written, *(f"{{{name}}}" for name in others)])
        if places:
            # Translators: a source's number in the list of sources, and where in it.
            short = phrase(self.t("{source}, {locator}").format(source=label, locator=places))
            # Translators: a footnote citing the source of the note just before it, and
            # where in it (UN Editorial Manual: "Ibid., para. 10.").
            ibid = phrase(self.t("Ibid., {locator}").format(locator=places))
        else:
            short = self.ui(label)
            # Translators: a footnote citing the source of the note just before it.
            ibid = self.ui(self.t("Ibid."))
        named = self.fmt.join(["{title}", *([self.fmt.date(date)] if date else []),
                               *([places] if places else [])])
        full = Phrase(named, {**others, "title": title})
        again = Phrase(self.fmt.join(["{title}", *([places] if places else [])]),
                       {**others, "title": short_title}) if short_title else full
        return Citation(number, short, full, ibid, again)

    def principle_label(self, slug: str) -> Text:
        """“(a) People-centred”: asked for every principle an objective names."""
        label = self._principle_labels.get(slug)
        if label is None:
            principle = self.catalogue.principle(slug)
            name = self.text(principle.name(self.lang))
            label = self._principle_labels[slug] = name._replace(
                text=f"{principle.mark(self.lang)} {name.text}")
        return label

    def fallbacks(self, model: ReviewModel) -> tuple[str, ...]:
        """In the interface's language: `build` warns with these."""
        language = Formatter(ui_language()).language_name(self.lang)
        objectives = sorted({r.number for r in model.objective_rows if r.short.fallback}
                            | {o.number for g in model.round_tables for o in g.objectives
                               if o.title.fallback})
        principles = [r.letter for r in model.principle_rows if r.name.fallback]
        indicators = sorted({i.code for g in model.round_tables for o in g.objectives
                             for i in o.indicators if i.title.fallback}
                            | {i.code for i in model.other_indicators if i.title.fallback},
                            key=sort_key)
        found = []
        if objectives:
            found.append(ngettext(
                "the title of objective {numbers} has no official {language} text in the "
                "catalogue: it is shown in English, marked (EN)",
                "the titles of objectives {numbers} have no official {language} text in the "
                "catalogue: they are shown in English, marked (EN)", len(objectives))
                .format(numbers=number_ranges(objectives), language=language))
        if principles:
            found.append(ngettext(
                "the name of guiding principle {letters} has no official {language} text in "
                "the catalogue: it is shown in English, marked (EN)",
                "the names of guiding principles {letters} have no official {language} text "
                "in the catalogue: they are shown in English, marked (EN)", len(principles))
                .format(letters=letter_ranges(principles), language=language))
        if indicators:
            found.append(ngettext(
                "the title of indicator {codes} has no official {language} text in the "
                "catalogue: it is shown in English, marked (EN)",
                "the titles of indicators {codes} have no official {language} text in the "
                "catalogue: they are shown in English, marked (EN)", len(indicators))
                .format(codes=join(indicators), language=language))
        return tuple(found)

    def catalogue_note(self) -> str:
        return self.t(
            "Titles marked (EN) are shown in English: their official text in this language is "
            "not yet available."
        )


class ReviewReading:
    """One review being read into its model: the review's own language (its narratives
    and data), its sources and the numbers they are cited by, its earlier cycles."""

    def __init__(self, builder: ModelBuilder, data: Review,
                 earlier: dict[int, StateCoverage | None], values: StateData,
                 charts: bool = True, translation: Translation | None = None) -> None:
        self.builder = builder
        self.values = values
        self.charts = charts
        self.figures: dict[str, Chart] = {}
        self.indicators = IndicatorBuilder(builder.catalogue, builder.fmt)
        self.catalogue = builder.catalogue
        self.fmt = builder.fmt
        self.t = builder.t
        self.data = data
        self.lang = data["review"]["language"]
        """The review's language: its narratives' and its data's."""
        self.dir = direction(self.lang)
        self.translation = translation if translation is not None and \
            translation.lang == builder.lang != self.lang else None
        """The review's translation into the report's language, when it has one."""
        self.earlier = dict(sorted(earlier.items()))
        self.sources = {s["id"]: s for s in data.get("sources") or []}
        self.numbers = builder.shared_sources or SourceList()
        if builder.shared_sources is None:  # a review's own list: in the file's order
            for source in data.get("sources") or []:
                self.numbers.number(source, self.lang)

    def narrative(self, value: Any, at: Path_ = ()) -> Narrative | None:
        """The narrative at path `at`: its translation into the report's language if there
        is a current one, else the original (marked with its language when other texts of
        the review are shown translated)."""
        if not has_text(value):
            return None
        if self.translation is not None and at:
            found = self.translation.texts.get(at)
            if found is not None:
                lang = self.translation.lang
                return Narrative(found, lang, direction(lang))
            return Narrative(value, self.lang, self.dir, self.lang.upper())
        return Narrative(value, self.lang, self.dir)

    def src(self, value: Any, at: Path_ = ()) -> Text:
        """A data value in the review's own language, or its translation (as `narrative`);
        an original shown among translations is marked with its language, “(FR)”."""
        if self.translation is not None and at and has_text(value):
            found = self.translation.texts.get(at)
            if found is not None:
                lang = self.translation.lang
                return Text(found, lang, direction(lang))
            return Text(str(value), self.lang, self.dir, fallback=True)
        return Text(str(value or ""), self.lang, self.dir)

    def status_label(self, code: str, stated_by: str | None = None,
                     at: Path_ = (), *, named: bool = False) -> Text | Phrase:
        """The status in words; with who said it when a partner did, not the State.
        `named`: as said right after the State's name (Status.named)."""
        found = status(code)
        label = self.builder.ui(self.t(found.named_label if named else found.label))
        if stated_by:
            return Phrase(self.t("{status} (stated by {who}, not by the State)"),
                          {"status": label, "who": self.src(stated_by, at)})
        return label

    def languages(self) -> tuple[str, str]:
        """What language the report shows the review's texts in: (a sentence for the
        title page, a few words for the regional report's list of States)."""
        fmt, t = self.fmt, self.t
        original = fmt.language_name(self.lang)
        if self.builder.lang == self.lang:
            return "", original
        found = self.translation
        if found is None:
            return (t("None yet; the texts are reproduced in the original {language}.").format(
                language=original), original)
        target = fmt.language_name(found.lang)
        if found.complete:
            return (t("Translated from {language}; the {language} original prevails.").format(
                language=original),
                t("{target}, translated from {language}").format(target=target,
                                                                 language=original))
        counts = {"done": fmt.number(len(found.texts)), "total": fmt.number(found.total)}
        return (t("Translated from {language} ({done} of {total} texts; the others are shown "
                  "in {language}, marked ({code})); the {language} original "
                  "prevails.").format(language=original, code=self.lang.upper(), **counts),
                t("{language}, {done} of {total} texts translated into {target}").format(
                    language=original, target=target, **counts))

    def model(self, coverage: Coverage, order: str) -> ReviewModel:
        t, builder, data = self.t, self.builder, self.data
        review = data["review"]
        objectives = data.get("objectives") or {}
        views = {n: self.objective(n, e) for n, e in sorted(objectives.items())}
        if order == "numeric":
            groups = [RoundTable(None, t("Objectives 1 to 23"), list(views.values()))]
        else:
            groups = [
                RoundTable(rt, t("IMRF round table {number}").format(number=rt),
                           [views[n] for n in numbers if n in views])
                for rt, numbers in self.catalogue.round_tables.items()
            ]
        principles: dict[str, Any] = dict(data.get("principles") or {})
        loaded = cast(dict[str, Any], data)  # any section of the format, by its key
        sections = {s.key: self.section(loaded.get(s.key), s.part, (s.key,))
                    for s in format.of_shape("single") if s.part is not None}
        meta = format.of_shape("meta")[0].key
        model = ReviewModel(
            code=data["country"],
            country=builder.country(data["country"]),
            lang=builder.lang,
            dir=direction(builder.lang),
            source=builder.ui(self.fmt.language_name(self.lang)),
            cycle=review["cycle"],
            status=review["status"],
            status_label=t(DOCUMENT_STATUS_LABELS[review["status"]]),
            date=self.fmt.date(review.get("date")),
            date_iso=review.get("date"),
            lead_institution=self.src(review.get("lead_institution"),
                                      (meta, "lead_institution")),
            focal_point=self.src(review.get("focal_point"), (meta, "focal_point")),
            compact=builder.text(self.catalogue.compact_name(builder.lang)),
            objectives_covered=self.fmt.ratio(len(coverage.objectives_covered),
                                              coverage.objective_total),
            principles_covered=self.fmt.ratio(len(coverage.principles_covered),
                                              coverage.principle_total),
            objectives_out_of=self.fmt.out_of(len(coverage.objectives_covered),
                                              coverage.objective_total),
            principles_out_of=self.fmt.out_of(len(coverage.principles_covered),
                                              coverage.principle_total),
            objective_rows=self.objective_rows(coverage),
            principle_rows=self.principle_rows(coverage),
            sections=sections,
            lists={s.key: [found for found in (self.section(e, s.part, (s.key, i))
                                               for i, e in enumerate(self.entries(s.key)))
                           if found is not None]
                   for s in format.of_shape("list") if s.part is not None},
            plain_sections=[PlainSection(s.key, s.heading, s.anchor, sections.get(s.key))
                            for s in format.sections() if s.plain],
            round_tables=groups,
            principles=[  # (a) to (j), whatever the file's order
                (builder.principle_label(slug),
                 self.narrative(principles[slug]["summary"], ("principles", slug, "summary")),
                 self.cites(principles[slug]))
                for slug in self.catalogue.principles
                if slug in principles and has_text(principles[slug].get("summary"))
            ],
            sources=[builder.source_item(s, self.lang) for s, _lang in self.numbers.items]
            if builder.shared_sources is None else [],
            catalogue_note="",
            masthead=masthead(builder.apparatus, builder.lang, country=True, original=self.lang),
            acronyms=self.acronyms(data, [*(g.label for g in groups), builder.t("COVID-19")],
                                   builder),
        )
        shown_codes = {i.code for group in groups for o in group.objectives
                       for i in o.indicators}
        others = [self.indicator(code) for code in sorted(self.values.values, key=sort_key)
                  if code not in shown_codes and self.values.values[code].values]
        others += [self.indicator(code) for code in sorted(self.values.invalid, key=sort_key)
                   if code not in shown_codes]
        shown_views = [i for group in groups for o in group.objectives
                       for i in o.indicators] + others
        titles = [i.title for i in shown_views]
        data_sources = list(dict.fromkeys(s for i in shown_views for s in i.sources))
        model = replace(model, other_indicators=others, figures=dict(self.figures),
                        data_sources=data_sources,
                        indicator_source=self.t(
                            "Indicator titles: global indicator framework for the Sustainable "
                            "Development Goals, General Assembly resolution 71/313 (annex), "
                            "as refined.") if titles else "")
        shown: list[Text] = [r.short for r in model.objective_rows]
        shown += [r.name for r in model.principle_rows]
        shown += [o.title for group in groups for o in group.objectives]
        shown += titles
        if self.earlier:
            now = StateCoverage(coverage.country, True, "", True, coverage)
            model = replace(model, since=self.since(now))
        note, short = self.languages()
        model = replace(model, translation=note, text_language=short)
        if any(text.fallback for text in shown):
            model = replace(model, catalogue_note=builder.catalogue_note(),
                            fallbacks=builder.fallbacks(model))
        return model

    def acronyms(self, data: Any, own: list[str], builder: ModelBuilder) -> list[Acronym]:
        """The list of abbreviations: those of the report's own words (`own`), of the review
        and of its translation; those of a review in another language than the report's
        marked with it ("CESAO (French)")."""
        review = acronyms_in(texts_of(data))
        if self.translation:
            own = [*own, *self.translation.texts.values()]
        used = acronyms_in(own)
        quoted = [(self.lang, review)]
        if self.lang == builder.lang:
            used, quoted = [*used, *review], []
        return acronym_list([*used, *review], builder.apparatus, builder.lang,
                            quoted_only(used, quoted, builder.fmt.quotations_in))

    def entries(self, key: str) -> list[Any]:
        """The entries of a list section (any of the format's, so not a TypedDict key)."""
        value = cast(dict[str, Any], self.data).get(key)
        return value if isinstance(value, list) else []

    def cites(self, entry: Any) -> list[Citation]:
        """The sources of one place, each once and in the order of their numbers, with
        every locator given for it: “[1], par. 10 et 11”."""
        cited: dict[int, list[str]] = {}
        named: dict[int, SourceEntry] = {}
        for cite in entry.get("sources") or []:
            source = self.sources[cite["source"]]
            number = self.numbers.number(source, self.lang)
            named[number] = source
            locators = cited.setdefault(number, [])
            if cite.get("locator") and cite["locator"] not in locators:
                locators.append(str(cite["locator"]))
        def text(value: str | None) -> Text | None:
            return Text(value, self.lang, direction(self.lang)) if value else None

        return [self.builder.citation(
            number, locators, self.src, Text(str(named[number]["title"]), self.lang,
                                             direction(self.lang)),
            named[number].get("date"), text(named[number].get("short_title")))
            for number, locators in sorted(cited.items())]

    def section(self, entry: Any, part: format.Part, at: Path_) -> Section | None:
        """A narrative section (or a list section's entry) at path `at`."""
        if not entry or not has_text(entry.get("summary")):
            return None
        lines = [f.key for f in part.fields if f.kind == "lines"]
        who = self.src(entry["stated_by"], (*at, "stated_by")) if entry.get("stated_by") \
            else None
        return Section(
            self.narrative(entry["summary"], (*at, "summary")), self.cites(entry),
            [self.src(item, (*at, lines[0], i)) for i, item in enumerate(
                entry.get(lines[0]) or [])] if lines else [],
            {f.key: self.src(entry[f.key], (*at, f.key)) for f in part.fields
             if f.kind == "line" and entry.get(f.key) and f is not format.STATED_BY},
            {g.key: [self.entry(g, e, (*at, g.key, i))
                     for i, e in enumerate(entry.get(g.key) or [])]
             for g in part.groups if g is not format.CITES},
            who, Phrase(self.t("Stated by {who}, not by the State."), {"who": who})
            if who else None)

    def entry(self, group: format.Group, entry: Any, at: Path_) -> Item:
        """One row of a section's table (a stakeholder group, a policy instrument): its
        first column as the title; then the review's own words for it, or else its
        choices and years in words ("Strategy, Adopted, 2014")."""
        first, *rest = group.columns
        title = (self.builder.ui(self.t(OPTION_LABELS[first.options][entry[first.key]]))
                 if first.kind == "choice" else self.src(entry[first.key], (*at, first.key)))
        lines = [f.key for f in rest if f.kind == "line" and entry.get(f.key)]
        if lines:
            details = entry[lines[0]]
            if first.kind == "choice" and fold(str(details)) == fold(translations(
                    self.lang).gettext(OPTION_LABELS[first.options][entry[first.key]])):
                return Item(title)  # the group's name again ("Secteur privé": Private sector)
            return Item(title, self.src(details, (*at, lines[0])))
        # The choices after the first agree with it and follow it in lower case
        # ("Strategy, adopted"; "Stratégie, adoptée"; "استراتيجية، معتمدة").
        words: list[str] = []
        context = ""
        for f in rest:
            code = entry.get(f.key)
            if f.kind != "choice" or not code:
                continue
            label = OPTION_LABELS[f.options][code]
            if not words:
                words.append(self.t(label))
                context = code
            else:
                said = self.fmt.pgettext(context, label)
                words.append(said[:1].lower() + said[1:])
        words += [str(entry[f.key]) for f in rest if f.kind == "year" and entry.get(f.key)]
        return Item(title, self.fmt.join(words))

    def objective(self, number: int, entry: Any) -> ObjectiveView:
        obj = self.catalogue.objective(number)
        builder = self.builder
        at = (format.of_shape("objectives")[0].key, number)
        return ObjectiveView(
            number=number,
            title=builder.text(obj.title(builder.lang)),
            short=builder.text(obj.short(builder.lang)),
            status=of_entry(entry),
            status_label=self.status_label(of_entry(entry), entry.get("stated_by"),
                                           (*at, "stated_by")),
            status_named=self.status_label(of_entry(entry), entry.get("stated_by"),
                                           (*at, "stated_by"), named=True),
            summary=self.narrative(entry.get("summary"), (*at, "summary")),
            justification=self.narrative(entry.get("justification"), (*at, "justification")),
            measures=[Item(self.src(m["title"], (*at, "measures", i, "title")),
                           str(m["year"]) if m.get("year") else "",
                           self.narrative(m.get("description"),
                                          (*at, "measures", i, "description")))
                      for i, m in enumerate(entry.get("measures") or [])],
            good_practices=[Item(self.src(p["title"], (*at, "good_practices", i, "title")), "",
                                 self.narrative(p.get("description"),
                                                (*at, "good_practices", i, "description")))
                            for i, p in enumerate(entry.get("good_practices") or [])],
            challenges=[self.src(c, (*at, "challenges", i))
                        for i, c in enumerate(entry.get("challenges") or [])],
            partners=[self.src(p, (*at, "partners", i))
                      for i, p in enumerate(entry.get("partners") or [])],
            principles=[builder.principle_label(s) for s in self.catalogue.principles
                        if s in (entry.get("principles") or [])],
            sources=self.cites(entry),
            earlier=[(year, self.earlier_status(state, number))
                     for year, state in self.earlier.items()],
            indicators=[self.indicator(indicator.code, link)
                        for indicator, link in self.catalogue.indicators_of(number)],
        )

    def indicator(self, code: str, link: Link | None = None) -> IndicatorView:
        """One indicator of this State: its values as a table and a chart, or a note."""
        name = figure_name(code)
        view = self.indicators.view(
            code, self.values.values.get(code), link=link,
            invalid=self.values.invalid.get(code),
            figure=name if self.charts else None, source_lang=self.lang,
            state=self.builder.country(self.data["country"]))
        if view.figure and view.chart is not None:
            self.figures[name] = view.chart
        return view

    def earlier_status(self, state: StateCoverage | None, number: int) -> Text | Phrase:
        ui = self.builder.ui
        if state is None or not state.submitted:
            return ui(self.t("No review"))
        if not state.comparable:
            return ui(self.t("Invalid file"))
        if number not in state.objectives:
            return self.status_label("not_reported")
        return self.status_label(state.status(number) or "")

    def since(self, now: StateCoverage) -> list[SinceCycle]:
        out = []
        builder, fmt = self.builder, self.fmt
        for year, state in sorted(self.earlier.items(), reverse=True):
            if state is None or not state.comparable or state.coverage is None:
                out.append(SinceCycle(year, False, "",
                                      invalid=state is not None and state.invalid))
                continue
            moved = compare(now.country, state, now, list(self.catalogue.principles))
            changes = []
            for kind in ("forward", "back", "changed", "new", "dropped"):
                objectives = [o for o in moved.objectives if o.kind == kind]
                if not objectives:
                    continue
                singular, plural = REPORT_WORDS[kind]
                changes.append((fmt.ngettext(singular, plural, len(objectives)), [
                    Moved(o.number, builder.text(self.catalogue.objective(o.number).short(
                        builder.lang)),
                        self.status_label(o.before) if o.before and (
                            o.after or kind == "dropped") else None,
                        self.status_label(o.after) if o.before and o.after else None)
                    for o in objectives]))
            principles = [(fmt.ngettext(*PRINCIPLE_WORDS[kind], len(slugs)),
                           [builder.principle_label(p) for p in slugs])
                          for kind, slugs in (("gained", moved.principles_gained),
                                              ("lost", moved.principles_lost)) if slugs]
            cov = state.coverage
            out.append(SinceCycle(year, True, fmt.out_of(len(cov.objectives_covered),
                                                         cov.objective_total),
                                  changes, fmt.out_of(len(cov.principles_covered),
                                                      cov.principle_total), principles))
        return out

    def objective_rows(self, coverage: Coverage) -> list[ObjectiveRow]:
        rows = []
        for n, obj in self.catalogue.objectives.items():
            code = coverage.statuses.get(n, "not_reported")
            rows.append(ObjectiveRow(n, self.builder.text(obj.short(self.builder.lang)),
                                     obj.round_table, code,
                                     self.status_label(code, coverage.stated_by.get(n),
                                                       ("objectives", n, "stated_by")),
                                     n in coverage.objectives_covered,
                                     [(year, self.earlier_status(state, n))
                                      for year, state in self.earlier.items()],
                                     n in coverage.objectives_by_partners))
        return rows

    def principle_rows(self, coverage: Coverage) -> list[PrincipleRow]:
        builder = self.builder
        return [
            PrincipleRow(p.slug, p.letter, p.mark(builder.lang),
                         builder.text(p.name(builder.lang)),
                         p.slug in coverage.principles_covered,
                         coverage.principles_via_objectives.get(p.slug, ()))
            for p in self.catalogue.principles.values()
        ]
