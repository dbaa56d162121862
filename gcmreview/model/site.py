"""The review site as plain data: every page of every language, nothing drawn yet.

Made from the model of the reports: one regional model per language
(gcmreview.model.regional, each State's review numbering its own sources as its
country report does) gives the participation, the matrices, the key messages, every
State's response to each objective (the States' own statements, partners' apart)
and the synthesis; each State's page is its country report's model. Nothing is
counted here that the reports count otherwise: this module only sorts what they
counted into pages, links them and says what search filters each page carries.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gcmreview.core.countries import is_country_code
from gcmreview.core.i18n import N_, Formatter
from gcmreview.core.indicators import file_stem, sort_key
from gcmreview.core.languages import direction
from gcmreview.core.status import NOT_STATED, OBJECTIVE_STATUSES, status
from gcmreview.core.text import collation_key
from gcmreview.model.indicators import (
    IndicatorBuilder,
    IndicatorDigest,
    IndicatorView,
    Latest,
    figure_name,
    isolated,
    latest_values,
)
from gcmreview.model.matrix import Snapshot
from gcmreview.model.regional import RegionalBuilder, RegionalModel, StateEntry, StateReview
from gcmreview.model.review import Citation, Narrative, ObjectiveView, Phrase, ReviewModel, Text
from gcmreview.validate.data import DataSet, StateData
from gcmreview.validate.workspace import Workspace

LANGUAGE_NOTES = {"en": N_("Text in English"), "fr": N_("Text in French"),
                  "ar": N_("Text in Arabic")}
"""The label of a narrative shown on a page of another language."""

FORMAT_LABELS = {"pdf": "PDF", "docx": "Word (DOCX)", "html": "HTML", "csv": "CSV",
                 "json": "JSON", "yaml": "YAML"}
_SAFE_CODE = re.compile(r"[A-Za-z0-9_-]{1,64}")


def state_page(code: str) -> str:
    """The file name of a State's page: its code, or a hash of an unusual file name."""
    if _SAFE_CODE.fullmatch(code):
        return f"state-{code}.html"
    return f"state-{hashlib.sha256(code.encode()).hexdigest()[:12]}.html"


def objective_page(number: int) -> str:
    return f"objective-{number}.html"


def principle_page(slug: str) -> str:
    safe = slug if _SAFE_CODE.fullmatch(slug) else hashlib.sha256(slug.encode()).hexdigest()[:12]
    return f"principle-{safe}.html"


def indicator_page(code: str) -> str:
    """`indicator-10-7-1.html`: the code as its data files name it (codes are letters,
    digits and dots: the catalogue's schema says so)."""
    return f"indicator-{file_stem(code)}.html"


INDICATORS_DOWNLOAD = "downloads/indicators.csv"
"""Every indicator's values in one file, relative to the site's root."""


def indicator_download(code: str) -> str:
    """An indicator's values, relative to the site's root."""
    return f"downloads/indicators/{file_stem(code)}.csv"


def indicator_document(code: str) -> str:
    """What a download of one indicator's values is of (DownloadFile.document)."""
    return f"indicator-{code}"


def chart_file(code: str) -> str:
    """An indicator's chart of the region, relative to its language's folder: each
    language draws its own (its words, its numbers, its direction)."""
    return f"figures/{figure_name(code)}.svg"


@dataclass(frozen=True)
class Link:
    href: str
    """Relative to the language's folder (`objective-10.html`), or to the site's root
    when it starts with `../`."""
    label: Text | str


@dataclass(frozen=True)
class DownloadFile:
    """A file of the site's downloads: a report the build folder holds (fresh), a review
    file, the coverage matrix."""

    path: str
    """Relative to the site's root: `downloads/reports/MA.fr.pdf`."""
    document: str
    """A State's code, `regional` (and its volumes), or `data`."""
    fmt: str
    lang: str | None
    size: int


@dataclass(frozen=True)
class Download:
    """A download as a page shows it, in the page's language."""

    href: str
    """Relative to the language's folder."""
    label: str
    """The format: PDF, Word (DOCX)…"""
    lang: str | None
    language: str
    """The report's language, in words ("" for data)."""
    size: str
    document: str


@dataclass(frozen=True)
class Response:
    """One State's words on an objective, with the link to its page."""

    code: str
    state: str
    page: str
    view: ObjectiveView
    translated: str = ""
    """“Arabic, translated from French”: the State's words shown in a translation."""


@dataclass(frozen=True)
class StatusGroup:
    code: str
    label: str
    symbol: str
    responses: list[Response]


@dataclass(frozen=True)
class ObjectivePage:
    number: int
    title: Text
    short: Text
    round_table: int
    round_table_label: str
    groups: list[StatusGroup]
    """The States' own statements by status, in the order of the statuses."""
    partners: list[Response]
    """What partners said of States that did not themselves report: apart, not counted."""
    reporting: int
    progress: int
    previous: Link | None
    next: Link | None
    indicators: list[tuple[IndicatorCard, LinkedObjective]] = field(default_factory=list)
    """The indicators linked to it, each with who links them."""
    not_reporting: list[Link] = field(default_factory=list)
    """The States whose review does not report on it, as a principle's page names them:
    a page that compares what every State said says who said nothing."""
    dropped: list[tuple[str, Text | Phrase, int]] = field(default_factory=list)
    """(State, its status then, the cycle): those that no longer report on it."""


@dataclass(frozen=True)
class ObjectiveCard:
    number: int
    title: Text
    short: Text
    round_table: int
    counts: list[tuple[str, str, str, int]]
    """(status code, label, symbol, States) for each status some State gave it."""
    reporting: int
    partners: int


@dataclass(frozen=True)
class RoundTableGroup:
    number: int
    label: str
    objectives: list[ObjectiveCard]


@dataclass(frozen=True)
class PrincipleResponse:
    code: str
    state: str
    page: str
    narrative: Narrative | None
    sources: list[Citation]
    objectives: list[Link]
    """The objectives under which the State says it applies the principle."""


@dataclass(frozen=True)
class PrinciplePage:
    slug: str
    letter: str
    label: Text
    responses: list[PrincipleResponse]
    """The States that report on it (its coverage), in the region's order."""
    not_reporting: list[Link]


@dataclass(frozen=True)
class LinkedObjective:
    """An objective an indicator is linked to, and who links them (the reports' words)."""

    number: int
    page: str
    short: Text
    """Its short title."""
    by_workspace: bool
    note: Text | Phrase
    """“Linked to this objective by: …”, or by the workspace, not by a public source."""


@dataclass(frozen=True)
class IndicatorCard:
    """An indicator on the indicators' page and under the objectives it is linked to."""

    code: str
    page: str
    title: Text
    objectives: list[LinkedObjective]
    reporting: int
    """How many States have values for it."""


@dataclass(frozen=True)
class StateValues:
    """One State's values of an indicator, as its country report's table has them: a row
    per year, a column per breakdown."""

    code: str
    state: Link | str
    """Its page, or its name when it has none (no valid review)."""
    view: IndicatorView


@dataclass(frozen=True)
class IndicatorPage:
    """An indicator: the region's latest values (the regional report's table and chart),
    then each State's values with their breakdowns, and the download of them all."""

    card: IndicatorCard
    digest: IndicatorDigest
    """The regional report's: each State's latest value, its chart, who has none."""
    states: dict[str, Link | str]
    """Each State's name (a link to its page when it has one), by name as the digest has
    it: the table links the States."""
    chart: str | None
    """The chart's file, relative to the language's folder."""
    values: list[StateValues]
    downloads: list[Download]
    source: str
    """Where the indicators' titles come from."""
    catalogue_note: str = ""
    """Said when its title has no official text in the page's language."""


@dataclass(frozen=True)
class StateIndicator:
    """An indicator a State has values for, on its page: the latest, as the regional report
    takes them (the total, or each series when there is no total)."""

    code: str
    page: str
    title: Text
    latest: list[Latest]


@dataclass(frozen=True)
class StatePage:
    code: str
    review: ReviewModel
    downloads: list[Download]
    indicators: list[StateIndicator] = field(default_factory=list)
    invalid_data: list[str] = field(default_factory=list)
    """The indicators whose data file has errors: left out, and said."""
    data: bool = False
    """Whether any State gives values: the page then says which this State gives."""


@dataclass(frozen=True)
class Page:
    name: str
    """Its file name in the language's folder."""
    kind: str
    """Its template: `site/<kind>.html.j2`."""
    title: Text | str
    content: Any
    crumbs: tuple[Link, ...] = ()
    """The pages above it, from the home page."""
    filters: dict[str, list[str]] = field(default_factory=dict)
    """Search filters (State, objective, principle, status) and their values here."""
    indexed: bool = True
    """Whether search indexes it."""


@dataclass(frozen=True)
class SiteLanguage:
    lang: str
    dir: str
    name: str
    """The language's name in itself, for the language switcher."""
    report: RegionalModel
    title: Text
    pages: list[Page]
    nav: list[Link]
    downloads: list[Download]
    """Every download, in this language's words."""
    filter_labels: dict[str, str]
    """Search filter -> its name in this language."""
    names: dict[str, str] = field(default_factory=dict)
    """What each download is of (a State's code, `regional`, a volume, `data`), in words."""
    regional_documents: list[str] = field(default_factory=list)
    """The regional report and its volumes."""
    indicator_documents: list[str] = field(default_factory=list)
    """The downloads of indicator values: every indicator's, then each one's."""


@dataclass(frozen=True)
class SiteModel:
    langs: tuple[str, ...]
    languages: list[SiteLanguage]
    base_url: str | None = None
    """Where the site is published (canonical links, sitemap); None: not said."""
    files: list[DownloadFile] = field(default_factory=list)


def own_name(lang: str) -> str:
    name = Formatter(lang).language_name(lang)
    return name[:1].upper() + name[1:]


class SiteBuilder:
    """Builds the site's pages in each language from the valid reviews."""

    def __init__(self, workspace: Workspace, langs: tuple[str, ...],
                 history: dict[int, Snapshot], files: list[DownloadFile],
                 base_url: str | None = None, data: DataSet | None = None) -> None:
        self.workspace = workspace
        self.data = data
        """The States' indicator data, as the reports have it."""
        self.langs = langs
        self.history = history
        self.files = files
        self.base_url = base_url

    def build(self, reviews: Mapping[str, list[StateReview]], invalid: list[str]
              ) -> SiteModel:
        """`reviews`: the valid reviews for each language, each with its current
        translation into that language."""
        return SiteModel(self.langs, [self.language(lang, reviews[lang], invalid)
                                      for lang in self.langs], self.base_url, self.files)

    def language(self, lang: str, reviews: list[StateReview], invalid: list[str]
                 ) -> SiteLanguage:
        regional = RegionalBuilder(self.workspace, lang, own_sources=True)
        report = regional.build(reviews, invalid, self.history, self.data)
        # A State's files in the alphabetical order of its name in the page's language, as
        # every list of States (they came in the order of their codes: DZ, IQ, KM...).
        def order(item: tuple[int, DownloadFile]) -> tuple[bool, str, int]:
            index, file = item
            state = is_country_code(file.document)
            name = regional.models.country(file.document) if state else ""
            return state, collation_key(name, lang) if state else "", index

        files = [f for _i, f in sorted(enumerate(self.files), key=order)]
        pages = _Pages(self.workspace, regional, report,
                       [self.download(f, regional.fmt) for f in files],
                       {r.code for r in reviews
                        if r.translation is not None and r.translation.lang == lang},
                       self.data or DataSet())
        return pages.language(self.files)

    def download(self, file: DownloadFile, fmt: Formatter) -> Download:
        return Download("../" + file.path, FORMAT_LABELS.get(file.fmt, file.fmt.upper()),
                        file.lang, fmt.language_name(file.lang) if file.lang else "",
                        size(file.size, fmt), file.document)


class _Pages:
    """The pages of one language, from its regional model."""

    def __init__(self, workspace: Workspace, regional: RegionalBuilder, report: RegionalModel,
                 downloads: list[Download], translated: set[str], data: DataSet) -> None:
        self.catalogue = workspace.catalogue
        self.regional = regional
        self.report = report
        self.downloads = downloads
        self.data = {code: data.of(code) for code in data.countries}
        """Each State's data files, checked."""
        self.lang = regional.lang
        self.t = t = regional.t
        self.models = {m.code: m for m in report.annex}
        self.translated = {code: self.models[code].text_language for code in translated
                           if code in self.models}
        """The States whose words this language shows translated, in a few words."""
        self.short = {n: regional.models.text(o.short(self.lang))
                      for n, o in self.catalogue.objectives.items()}
        self.home = Link("index.html", t("Home"))
        self.states = Link("states.html", t("States"))
        self.objectives = Link("objectives.html", t("Objectives"))
        self.principles = Link("principles.html", t("Guiding principles"))
        self.indicators = Link("indicators.html", t("Indicators"))
        self.measures = IndicatorBuilder(self.catalogue, regional.fmt)
        self.cards = {d.code: self.indicator_card(d) for d in report.indicators}
        """The indicators the regional report shows: linked to an objective, or with
        values from a State."""

    def objective_label(self, number: int) -> str:
        """How a search filter names an objective: “10. Eradicate trafficking”."""
        return f"{number}. {self.short[number].text}"

    def language(self, files: list[DownloadFile]) -> SiteLanguage:
        t, report, home = self.t, self.report, self.home
        nav = [home, self.states, self.objectives, self.principles,
               *([self.indicators] if self.cards else []),
               Link("synthesis.html", t("Synthesis"))]
        if report.comparisons:
            nav.append(Link("progress.html", t("Progress")))
        nav += [Link("downloads.html", t("Downloads")), Link("search.html", t("Search"))]
        objective_pages, round_tables = self.objective_pages()
        principle_pages = self.principle_pages()
        pages = [Page("index.html", "home", report.title, None),
                 Page("states.html", "states", t("States"), None, (home,)),
                 *self.state_pages(),
                 Page("objectives.html", "objectives", t("Objectives"), round_tables, (home,)),
                 *objective_pages,
                 Page("principles.html", "principles", t("Guiding principles"),
                      [(p.content.label, p.name, len(p.content.responses))
                       for p in principle_pages], (home,)),
                 *principle_pages]
        if self.cards:
            pages += [Page("indicators.html", "indicators", t("Indicators"),
                           list(self.cards.values()), (home,),
                           {"indicator": list(self.cards)}),
                      *self.indicator_pages()]
        pages.append(Page("synthesis.html", "synthesis", t("Synthesis"), None, (home,)))
        if report.comparisons:
            pages.append(Page("progress.html", "progress", t("Progress"), None, (home,)))
        pages += [Page("downloads.html", "downloads", t("Downloads"), None, (home,)),
                  Page("search.html", "search", t("Search"), None, (home,), indexed=False)]
        names = {code: model.country for code, model in self.models.items()}
        names.update({p.code: p.name for p in report.participants})
        regional_documents = ["regional", *(v.id for v in report.volumes)]
        names.update({"regional": report.title.text, "data": t("Coverage matrix"),
                      "indicators": t("Every indicator")})
        indicator_documents = ["indicators"]
        for code in self.cards:
            names[indicator_document(code)] = t("Indicator %(code)s") % {
                "code": isolated(code, self.lang)}
            indicator_documents.append(indicator_document(code))
        names.update({v.id: v.label for v in report.volumes})
        for file in files:  # volumes of a report built before this one's volumes
            if file.document.startswith("regional-") and file.document not in names:
                names[file.document] = f"{report.title.text} ({file.document[9:]})"
                regional_documents.append(file.document)
        return SiteLanguage(
            self.lang, direction(self.lang), own_name(self.lang), report, report.title, pages,
            nav, self.downloads,
            {"state": t("State"), "objective": t("Objective"),
             "principle": t("Guiding principle"), "status": t("Status"),
             **({"indicator": t("Indicator")} if self.cards else {})},
            names, regional_documents, indicator_documents)

    def state_pages(self) -> list[Page]:
        t, pages = self.t, []
        for code, model in self.models.items():
            covered = [r for r in model.objective_rows if r.reported]
            values = self.data.get(code, StateData())
            shown = [StateIndicator(
                c, indicator_page(c), self.cards[c].title,
                latest_values(self.measures, values.values[c], model.country,
                              self.regional.review_lang.get(code, self.lang), code))
                for c in self.cards if c in values.values and values.values[c].values]
            pages.append(Page(
                state_page(code), "state", model.country,
                StatePage(code, model, [d for d in self.downloads if d.document == code],
                          shown, sorted(values.invalid, key=sort_key),
                          bool(self.data and self.cards)),
                (self.home, self.states),
                {"state": [model.country],
                 "objective": [self.objective_label(r.number) for r in covered],
                 "principle": [r.label.text for r in model.principle_rows if r.reported],
                 "status": sorted({t(status(r.status).named_label) for r in covered}),
                 **({"indicator": [i.code for i in shown]} if shown else {})}))
        return pages

    # --- indicators ---------------------------------------------------------------------

    def indicator_card(self, digest: IndicatorDigest) -> IndicatorCard:
        indicator = self.catalogue.indicator(digest.code)
        objectives = [LinkedObjective(
            link.objective, objective_page(link.objective), self.short[link.objective],
            link.by_workspace, self.measures.link_note(link))
            for link in sorted(indicator.links, key=lambda link: link.objective)]
        return IndicatorCard(digest.code, indicator_page(digest.code), digest.title,
                             objectives, len({r.code for r in digest.rows}))

    def indicator_pages(self) -> list[Page]:
        """A page per indicator: the region's latest values and chart, as the regional
        report has them, then each State's values, and their download."""
        t, lang, pages = self.t, self.lang, []
        codes = {self.regional.models.country(c): c
                 for c in [*self.models, *self.data, *(p.code for p in self.report.participants)]}
        states = {name: self.state_link(code, name) for name, code in codes.items()}
        for digest in self.report.indicators:
            card = self.cards[digest.code]
            values = []
            for code, found in self.data.items():
                result = found.values.get(digest.code)
                if result is None or not result.values:
                    continue
                name = self.regional.models.country(code)
                values.append(StateValues(code, states[name], self.measures.view(
                    digest.code, result,
                    source_lang=self.regional.review_lang.get(code, lang), state=name)))
            pages.append(Page(
                indicator_page(digest.code), "indicator",
                Text(t("Indicator %(code)s") % {"code": isolated(digest.code, lang)}, lang,
                     direction(lang)),
                IndicatorPage(
                    card, digest, states,
                    chart_file(digest.code) if digest.figure else None, values,
                    sorted((d for d in self.downloads
                            if d.document in (indicator_document(digest.code), "indicators")),
                           key=lambda d: d.document == "indicators"),
                    self.report.indicator_source,
                    self.regional.models.catalogue_note() if card.title.fallback else ""),
                (self.home, self.indicators),
                {"indicator": [digest.code],
                 "objective": [self.objective_label(o.number) for o in card.objectives],
                 "state": sorted({r.state for r in digest.rows})}))
        return pages

    def state_link(self, code: str, name: str) -> Link | str:
        return Link(state_page(code), name) if code in self.models else name

    def objective_pages(self) -> tuple[list[Page], list[RoundTableGroup]]:
        """A page per objective, and the cards of the objectives' index."""
        t, lang = self.t, self.lang
        digests = {d.number: d for _label, ds in self.report.round_tables for d in ds}
        numbers = list(self.catalogue.objectives)

        def link(i: int) -> Link | None:
            if not 0 <= i < len(numbers):
                return None
            return Link(objective_page(numbers[i]),
                        t("Objective %(number)s") % {"number": numbers[i]})

        # The regional report quotes the States in the order of the language it was drafted
        # in, its paragraphs numbered alike in every version; a page lists them in its own
        # language's order, as every list of States.
        def listed(entries: list[StateEntry]) -> list[StateEntry]:
            return sorted(entries, key=lambda entry: (collation_key(entry.state, lang),
                                                      entry.code))

        pages, cards = [], {}
        for i, number in enumerate(numbers):
            digest = digests[number]
            round_table = self.catalogue.objective(number).round_table
            groups = []
            for s in (*OBJECTIVE_STATUSES, NOT_STATED):
                found = [self.response(e) for e in listed(digest.entries)
                         if e.view.status == s.code]
                if found:
                    # "Status not stated (2)" over two States' words, not "Not stated".
                    groups.append(StatusGroup(s.code, t(s.named_label), s.symbol, found))
            partners = [self.response(e) for e in listed(digest.partners)]
            linked = [(card, next(o for o in card.objectives if o.number == number))
                      for card in self.cards.values()
                      if any(o.number == number for o in card.objectives)]
            reporting = {e.code for e in digest.entries}
            page = ObjectivePage(
                number, digest.title, self.short[number], round_table,
                t("IMRF round table {number}").format(number=round_table), groups, partners,
                len(digest.states), digest.progress, link(i - 1), link(i + 1), linked,
                [Link(state_page(code), model.country) for code, model in self.models.items()
                 if code not in reporting], digest.dropped)
            cards[number] = ObjectiveCard(
                number, digest.title, self.short[number], round_table,
                [(g.code, g.label, g.symbol, len(g.responses)) for g in groups],
                len(digest.states), len(partners))
            pages.append(Page(
                objective_page(number), "objective",
                Text(t("Objective %(number)s") % {"number": number}, lang, direction(lang)),
                page, (self.home, self.objectives),
                {"objective": [self.objective_label(number)],
                 "state": [r.state for g in groups for r in g.responses]
                 + [r.state for r in partners],
                 "status": [g.label for g in groups],
                 "principle": sorted({p.text for g in groups for r in g.responses
                                      for p in r.view.principles}),
                 **({"indicator": [card.code for card, _link in linked]} if linked else {})}))
        round_tables = [RoundTableGroup(rt, t("IMRF round table {number}").format(number=rt),
                                        [cards[n] for n in ns])
                        for rt, ns in self.catalogue.round_tables.items()]
        return pages, round_tables

    def response(self, entry: StateEntry) -> Response:
        return Response(entry.code, entry.state, state_page(entry.code), entry.view,
                        self.translated.get(entry.code, ""))

    def principle_pages(self) -> list[Page]:
        pages = []
        for principle in self.catalogue.principles.values():
            label = self.regional.models.principle_label(principle.slug)
            responses, missing = [], []
            for code, model in self.models.items():
                row = next(r for r in model.principle_rows if r.slug == principle.slug)
                if not row.reported:
                    missing.append(Link(state_page(code), model.country))
                    continue
                said = next(((n, s) for name, n, s in model.principles if name == label),
                            (None, []))
                responses.append(PrincipleResponse(
                    code, model.country, state_page(code), said[0], said[1],
                    [Link(objective_page(n), self.short[n]._replace(
                        text=f"{n}. {self.short[n].text}")) for n in row.via_objectives]))
            pages.append(Page(
                principle_page(principle.slug), "principle", label,
                PrinciplePage(principle.slug, principle.letter, label, responses, missing),
                (self.home, self.principles),
                {"principle": [label.text], "state": [r.state for r in responses]}))
        return pages


def size(count: int, fmt: Formatter) -> str:
    """A file's size as people read it: 12 KB, 1.4 MB."""
    if count < 1000 * 1000:
        return fmt.gettext("%(size)s KB") % {"size": fmt.number(max(1, round(count / 1000)))}
    return fmt.gettext("%(size)s MB") % {"size": fmt.decimal(count / 1000 / 1000)}
