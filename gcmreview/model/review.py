"""The report model: a validated review turned into plain data for templates.

Templates only lay things out. Everything they show (labels in the report
language, the coverage rows, objectives grouped by IMRF round table, formatted
dates and numbers) is computed here, so a workspace template override cannot
get a number wrong and every number comes from the files.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from gcmreview.core.i18n import N_, Formatter
from gcmreview.core.languages import direction
from gcmreview.core.status import of_entry, status
from gcmreview.load.catalogue import Catalogue, Label
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
    status_label: str
    reported: bool


@dataclass(frozen=True)
class PrincipleRow:
    slug: str
    letter: str
    name: Text
    reported: bool
    via_objectives: tuple[int, ...]


@dataclass(frozen=True)
class Item:
    """A titled entry (measure, good practice, instrument) with optional details."""

    title: Text
    details: str = ""
    description: Narrative | None = None


@dataclass(frozen=True)
class ObjectiveView:
    number: int
    title: Text
    short: Text
    status: str
    status_label: str
    summary: Narrative | None
    justification: Narrative | None
    measures: list[Item]
    good_practices: list[Item]
    challenges: list[Text]
    partners: list[Text]
    principles: list[Text]
    sources: list[str]


@dataclass(frozen=True)
class Section:
    summary: Narrative | None
    sources: list[str] = field(default_factory=list)
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
    principles: list[tuple[Text, Narrative, list[str]]]
    covid19: Section | None
    means_of_implementation: Section | None
    next_steps: Section | None
    reservations: list[Section]
    sources: list[Item]
    catalogue_note: str
    """Says where titles fall back to English, or is empty."""


class ModelBuilder:
    """Builds the model of one review in one report language."""

    def __init__(self, catalogue: Catalogue, lang: str,
                 country_names: dict[str, str | dict[str, str]] | None = None,
                 *, cite_titles: bool = False) -> None:
        self.catalogue = catalogue
        self.cite_titles = cite_titles
        """Cite sources by title (regional report) rather than by number in the review."""
        self.lang = lang
        self.fmt = Formatter(lang)
        self._ = self.fmt.gettext
        self.country_names = country_names or {}

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

    def status_label(self, code: str, stated_by: str | None = None) -> str:
        """The status in words; with who said it when a partner did, not the State."""
        label = self._(status(code).label)
        if stated_by:
            return self._("{status} (stated by {who}, not by the State)").format(
                status=label, who=stated_by)
        return label

    def build(self, data: dict[str, Any], coverage: Coverage, *, order: str = "imrf"
              ) -> ReviewModel:
        review = data["review"]
        source_lang = review["language"]
        narrative_dir = direction(source_lang)
        self._sources = {s["id"]: s for s in data.get("sources") or []}

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
            principles=[
                (self.text(self.catalogue.principle(slug).name(self.lang)),
                 narrative(entry["summary"]), self.cites(entry))
                for slug, entry in (data.get("principles") or {}).items()
                if has_text(entry.get("summary"))
            ],
            covid19=self.section(data.get("covid19")),
            means_of_implementation=self.section(means, "support_needed"),
            next_steps=self.section(steps, "actions"),
            reservations=[s for s in (self.section(r) for r in data.get("reservations") or [])
                          if s is not None],
            sources=[Item(src(s["title"]),
                          ", ".join(x for x in (s.get("date"), s.get("url")) if x))
                     for s in data.get("sources") or []],
            catalogue_note="",
        )
        shown: list[Text] = [r.short for r in model.objective_rows]
        shown += [r.name for r in model.principle_rows]
        shown += [o.title for group in groups for o in group.objectives]
        if any(t.fallback for t in shown):
            model = replace(model, catalogue_note=self.catalogue_note())
        return model

    def cites(self, entry: dict[str, Any]) -> list[str]:
        out = []
        for cite in entry.get("sources") or []:
            locator = cite.get("locator")
            if self.cite_titles:
                label = self._sources[cite["source"]]["title"]
            else:
                label = f"[{self.fmt.number(list(self._sources).index(cite['source']) + 1)}]"
            out.append(label + (f", {locator}" if locator else ""))
        return out

    def section(self, entry: dict[str, Any] | None, items_key: str | None = None
                ) -> Section | None:
        if not entry or not has_text(entry.get("summary")):
            return None
        items = [self.src(i) for i in entry.get(items_key) or []] if items_key else []
        return Section(self.narrative(entry["summary"]), self.cites(entry), items)

    def stakeholder(self, entry: dict[str, Any]) -> Item:
        return Item(self.ui(self._(STAKEHOLDER_LABELS[entry["group"]])), entry.get("details", ""))

    def instrument(self, entry: dict[str, Any]) -> Item:
        details = [self._(INSTRUMENT_LABELS[k]) for k in (entry.get("kind"), entry.get("status"))
                   if k]
        if entry.get("year"):
            details.append(str(entry["year"]))
        return Item(self.src(entry["title"]), ", ".join(details))

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
            principles=[self.text(self.catalogue.principle(s).name(self.lang))
                        for s in entry.get("principles") or []],
            sources=self.cites(entry),
        )

    def objective_rows(self, coverage: Coverage) -> list[ObjectiveRow]:
        rows = []
        for n, obj in self.catalogue.objectives.items():
            status = coverage.statuses.get(n, "not_reported")
            rows.append(ObjectiveRow(n, self.text(obj.short(self.lang)), obj.round_table, status,
                                     self.status_label(status, coverage.stated_by.get(n)),
                                     n in coverage.objectives_covered))
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
