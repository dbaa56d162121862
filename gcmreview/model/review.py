"""The report model: a validated review turned into plain data for templates.

Templates only lay things out. Everything they show (labels in the report
language, the coverage rows, objectives grouped by IMRF round table, formatted
dates and numbers) is computed here, so a workspace template override cannot
get a number wrong and every number comes from the files.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from gcmreview.core.i18n import N_, Formatter, letter_ranges, ngettext, number_ranges
from gcmreview.core.i18n import language as ui_language
from gcmreview.core.languages import direction
from gcmreview.core.status import of_entry, status
from gcmreview.load.catalogue import Catalogue, Label
from gcmreview.model.matrix import StateCoverage
from gcmreview.model.progress import REPORT_WORDS, state_progress
from gcmreview.validate.coverage import Coverage, has_text

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
INSTRUMENT_LABELS = {
    "strategy": N_("Strategy"),
    "law": N_("Law"),
    "action_plan": N_("Action plan"),
    "mechanism": N_("Mechanism"),
    "agreement": N_("Agreement"),
    "other": N_("Other"),
    "adopted": N_("Adopted"),
    "in_preparation": N_("In preparation"),
    "planned": N_("Planned"),
}


class Text(NamedTuple):
    """Text with its language and direction, for spans inside another language.

    A named tuple: a regional report makes a hundred thousand of these.
    """

    text: str
    lang: str
    dir: str
    fallback: bool = False


class Phrase(NamedTuple):
    """A sentence in the report's language with pieces in another (a partner's name in
    French inside an Arabic status line): `{name}` in `text` stands for `parts[name]`."""

    text: str
    parts: dict[str, Text]


@dataclass(frozen=True)
class Narrative:
    """Untrusted Markdown from a review file, in the review's language."""

    markdown: str
    lang: str
    dir: str


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


@dataclass(frozen=True)
class PrincipleRow:
    slug: str
    letter: str
    name: Text
    reported: bool
    via_objectives: tuple[int, ...]

    @property
    def label(self) -> Text:
        """“(a) People-centred”: the letter kept with its name, in the name's direction."""
        return self.name._replace(text=f"({self.letter}) {self.name.text}")


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
    summary: Narrative | None
    justification: Narrative | None
    measures: list[Item]
    good_practices: list[Item]
    challenges: list[Text]
    partners: list[Text]
    principles: list[Text]
    sources: list[Text]
    earlier: list[tuple[int, Text | Phrase]] = field(default_factory=list)
    """(cycle, status in words) in each earlier cycle, oldest first."""


@dataclass(frozen=True)
class SinceCycle:
    """What moved since an earlier cycle, for the top of a country report."""

    cycle: int
    reviewed: bool
    """The State had a valid review in that cycle."""
    objectives_before: str
    """“4/23”, or "" without a review then."""
    changes: list[tuple[str, str]]
    invalid: bool = False
    """The State's file of that cycle is invalid: it is not compared."""
    """(kind in words, the objectives concerned) for each kind that happened."""


@dataclass(frozen=True)
class Section:
    summary: Narrative | None
    sources: list[Text] = field(default_factory=list)
    items: list[Text] = field(default_factory=list)


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
    principles_covered: str
    objective_rows: list[ObjectiveRow]
    principle_rows: list[PrincipleRow]
    methodology: Section | None
    institutions: list[Text]
    stakeholders: list[Item]
    coordination: Text
    policy_environment: Section | None
    instruments: list[Item]
    round_tables: list[RoundTable]
    principles: list[tuple[Text, Narrative, list[Text]]]
    covid19: Section | None
    means_of_implementation: Section | None
    next_steps: Section | None
    reservations: list[Section]
    sources: list[Item]
    catalogue_note: str
    """Says where titles fall back to English, or is empty."""
    fallbacks: tuple[str, ...] = ()
    """What the report shows in another language than its own, in words for the
    person building it (in the interface's language): `build` warns with these."""
    since: list[SinceCycle] = field(default_factory=list)
    """Progress since each earlier cycle (gcmreview.yaml `history:`), latest first."""


class SourceList:
    """Sources numbered in the order they are first cited: [1], [2]… The regional
    report shares one list across every State, a source cited by several once."""

    def __init__(self) -> None:
        self.numbers: dict[tuple[str, str, str], int] = {}
        self.items: list[tuple[dict[str, Any], str]] = []
        """(the source entry, the language of the review citing it)"""

    def number(self, source: dict[str, Any], lang: str) -> int:
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
                 *, shared_sources: SourceList | None = None) -> None:
        self.catalogue = catalogue
        self.shared_sources = shared_sources
        """The regional report's one list of sources; None: each review numbers its own."""
        self.lang = lang
        self.fmt = Formatter(lang)
        self._ = self.fmt.gettext
        self.country_names = country_names or {}
        self._earlier: dict[int, StateCoverage | None] = {}

    def country(self, code: str) -> str:
        names = self.country_names.get(code) or {}
        if isinstance(names, str):
            return names
        return names.get(self.lang) or self.fmt.country(code)

    def ui(self, text: str) -> Text:
        """Text already in the report language (labels from the message catalogs)."""
        return Text(text, self.lang, direction(self.lang))

    def text(self, label: Label) -> Text:
        return Text(label.text, label.lang, direction(label.lang), label.fallback)

    def status_label(self, code: str, stated_by: str | None = None) -> Text | Phrase:
        """The status in words; with who said it when a partner did, not the State."""
        label = self.ui(self._(status(code).label))
        if stated_by:
            return Phrase(self._("{status} (stated by {who}, not by the State)"),
                          {"status": label, "who": self.src(stated_by)})
        return label

    def build(self, data: dict[str, Any], coverage: Coverage, *, order: str = "imrf",
              earlier: dict[int, StateCoverage | None] | None = None) -> ReviewModel:
        """`earlier`: the State in each earlier cycle (None: no review file then)."""
        review = data["review"]
        self._earlier = dict(sorted((earlier or {}).items()))
        source_lang = review["language"]
        narrative_dir = direction(source_lang)
        self._sources = {s["id"]: s for s in data.get("sources") or []}
        self._numbers = self.shared_sources or SourceList()
        if self.shared_sources is None:  # a review's own list: in the file's order
            for source in data.get("sources") or []:
                self._numbers.number(source, source_lang)
        self._source_lang = source_lang

        def narrative(value: Any) -> Narrative | None:
            return Narrative(value, source_lang, narrative_dir) if has_text(value) else None

        self.narrative = narrative

        def src(value: Any) -> Text:
            """A data value in the review's own language."""
            return Text(str(value or ""), source_lang, narrative_dir)

        self.src = src
        objectives = data.get("objectives") or {}
        views = {n: self.objective(n, e) for n, e in sorted(objectives.items())}
        if order == "numeric":
            groups = [RoundTable(None, self._("Objectives 1 to 23"), list(views.values()))]
        else:
            groups = [
                RoundTable(rt, self._("IMRF round table {number}").format(number=rt),
                           [views[n] for n in numbers if n in views])
                for rt, numbers in self.catalogue.round_tables.items()
            ]
        methodology = data.get("methodology") or {}
        policy = data.get("policy_environment") or {}
        principles = data.get("principles") or {}
        means = data.get("means_of_implementation")
        steps = data.get("next_steps")
        model = ReviewModel(
            code=data["country"],
            country=self.country(data["country"]),
            lang=self.lang,
            dir=direction(self.lang),
            source=self.ui(self.fmt.language_name(source_lang)),
            cycle=review["cycle"],
            status=review["status"],
            status_label=self._(DOCUMENT_STATUS_LABELS[review["status"]]),
            date=self.fmt.date(review.get("date")),
            date_iso=review.get("date"),
            lead_institution=src(review.get("lead_institution")),
            focal_point=src(review.get("focal_point")),
            compact=self.text(self.catalogue.compact_name(self.lang)),
            objectives_covered=self.fmt.ratio(len(coverage.objectives_covered),
                                              coverage.objective_total),
            principles_covered=self.fmt.ratio(len(coverage.principles_covered),
                                              coverage.principle_total),
            objective_rows=self.objective_rows(coverage),
            principle_rows=self.principle_rows(coverage),
            methodology=self.section(data.get("methodology")),
            institutions=[src(i) for i in methodology.get("institutions") or []],
            stakeholders=[self.stakeholder(s) for s in methodology.get("stakeholders") or []],
            coordination=src(methodology.get("coordination")),
            policy_environment=self.section(data.get("policy_environment")),
            instruments=[self.instrument(i) for i in policy.get("instruments") or []],
            round_tables=groups,
            principles=[  # (a) to (j), whatever the file's order
                (self.principle_label(slug), narrative(principles[slug]["summary"]),
                 self.cites(principles[slug]))
                for slug in self.catalogue.principles
                if slug in principles and has_text(principles[slug].get("summary"))
            ],
            covid19=self.section(data.get("covid19")),
            means_of_implementation=self.section(means, "support_needed"),
            next_steps=self.section(steps, "actions"),
            reservations=[s for s in (self.section(r) for r in data.get("reservations") or [])
                          if s is not None],
            sources=[self.source_item(s, source_lang)
                     for s, _lang in self._numbers.items] if self.shared_sources is None else [],
            catalogue_note="",
        )
        shown: list[Text] = [r.short for r in model.objective_rows]
        shown += [r.name for r in model.principle_rows]
        shown += [o.title for group in groups for o in group.objectives]
        if self._earlier:
            now = StateCoverage(coverage.country, True, "", True, coverage)
            model = replace(model, since=self.since(coverage, now))
        if any(t.fallback for t in shown):
            model = replace(model, catalogue_note=self.catalogue_note(),
                            fallbacks=self.fallbacks(model))
        return model

    def fallbacks(self, model: ReviewModel) -> tuple[str, ...]:
        language = Formatter(ui_language()).language_name(self.lang)
        objectives = sorted({r.number for r in model.objective_rows if r.short.fallback}
                            | {o.number for g in model.round_tables for o in g.objectives
                               if o.title.fallback})
        principles = [r.letter for r in model.principle_rows if r.name.fallback]
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
        return tuple(found)

    def cites(self, entry: dict[str, Any]) -> list[Text]:
        """“[1], para. 6”, in the review's language (the locator is its words)."""
        out = []
        for cite in entry.get("sources") or []:
            source = self._sources[cite["source"]]
            label = f"[{self._numbers.number(source, self._source_lang)}]"
            locator = cite.get("locator")
            out.append(Text(label + (f", {locator}" if locator else ""), self._source_lang,
                            direction(self._source_lang)))
        return out

    def source_item(self, source: dict[str, Any], lang: str) -> Item:
        """A numbered source: its title in its review's language; date and address."""
        details = [x for x in (self.fmt.date(source.get("date")), source.get("url")) if x]
        return Item(Text(str(source["title"]), lang, direction(lang)), self.fmt.join(details))

    def principle_label(self, slug: str) -> Text:
        principle = self.catalogue.principle(slug)
        name = self.text(principle.name(self.lang))
        return name._replace(text=f"({principle.letter}) {name.text}")

    def section(self, entry: dict[str, Any] | None, items_key: str | None = None
                ) -> Section | None:
        if not entry or not has_text(entry.get("summary")):
            return None
        items = [self.src(i) for i in entry.get(items_key) or []] if items_key else []
        return Section(self.narrative(entry["summary"]), self.cites(entry), items)

    def stakeholder(self, entry: dict[str, Any]) -> Item:
        details = entry.get("details")
        return Item(self.ui(self._(STAKEHOLDER_LABELS[entry["group"]])),
                    self.src(details) if details else "")

    def instrument(self, entry: dict[str, Any]) -> Item:
        details = [self._(INSTRUMENT_LABELS[k]) for k in (entry.get("kind"), entry.get("status"))
                   if k]
        if entry.get("year"):
            details.append(str(entry["year"]))
        return Item(self.src(entry["title"]), self.fmt.join(details))

    def objective(self, number: int, entry: dict[str, Any]) -> ObjectiveView:
        obj = self.catalogue.objective(number)
        return ObjectiveView(
            number=number,
            title=self.text(obj.title(self.lang)),
            short=self.text(obj.short(self.lang)),
            status=of_entry(entry),
            status_label=self.status_label(of_entry(entry), entry.get("stated_by")),
            summary=self.narrative(entry.get("summary")),
            justification=self.narrative(entry.get("justification")),
            measures=[Item(self.src(m["title"]), str(m["year"]) if m.get("year") else "",
                           self.narrative(m.get("description")))
                      for m in entry.get("measures") or []],
            good_practices=[Item(self.src(p["title"]), "", self.narrative(p.get("description")))
                            for p in entry.get("good_practices") or []],
            challenges=[self.src(c) for c in entry.get("challenges") or []],
            partners=[self.src(p) for p in entry.get("partners") or []],
            principles=[self.principle_label(s) for s in self.catalogue.principles
                        if s in (entry.get("principles") or [])],
            sources=self.cites(entry),
            earlier=[(year, self.earlier_status(state, number))
                     for year, state in self._earlier.items()],
        )

    def earlier_status(self, state: StateCoverage | None, number: int) -> Text | Phrase:
        if state is None or not state.submitted:
            return self.ui(self._("No review"))
        if not state.comparable:
            return self.ui(self._("Invalid file"))
        if number not in state.objectives:
            return self.status_label("not_reported")
        return self.status_label(state.status(number) or "")

    def since(self, coverage: Coverage, now: StateCoverage) -> list[SinceCycle]:
        out = []
        for year, state in sorted(self._earlier.items(), reverse=True):
            if state is None or not state.comparable or state.coverage is None:
                out.append(SinceCycle(year, False, "", [],
                                      invalid=state is not None and state.invalid))
                continue
            moved = state_progress(now.country, state, now, list(self.catalogue.principles))
            changes = [(self._(REPORT_WORDS[kind]), self.fmt.join([str(n) for n in numbers]))
                       for kind in ("forward", "back", "changed", "new", "dropped")
                       if (numbers := moved.of_kind(kind))]  # type: ignore[arg-type]
            out.append(SinceCycle(year, True, self.fmt.ratio(
                len(state.coverage.objectives_covered), state.coverage.objective_total),
                changes))
        return out

    def objective_rows(self, coverage: Coverage) -> list[ObjectiveRow]:
        rows = []
        for n, obj in self.catalogue.objectives.items():
            status = coverage.statuses.get(n, "not_reported")
            rows.append(ObjectiveRow(n, self.text(obj.short(self.lang)), obj.round_table, status,
                                     self.status_label(status, coverage.stated_by.get(n)),
                                     n in coverage.objectives_covered,
                                     [(year, self.earlier_status(state, n))
                                      for year, state in self._earlier.items()]))
        return rows

    def principle_rows(self, coverage: Coverage) -> list[PrincipleRow]:
        return [
            PrincipleRow(p.slug, p.letter, self.text(p.name(self.lang)),
                         p.slug in coverage.principles_covered,
                         coverage.principles_via_objectives.get(p.slug, ()))
            for p in self.catalogue.principles.values()
        ]

    def catalogue_note(self) -> str:
        return self._(
            "Titles marked (EN) have no official text in this language in the catalogue yet "
            "and are shown in English."
        )
