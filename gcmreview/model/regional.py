"""The consolidated regional report's model: every State's review in one document.

Built from the per-country models (gcmreview.model.review) and the workspace, for the
regional secretariat: participation, coverage matrices, each objective's
measures quoted with attribution, a synthesis and an annex. Every number is
counted here from the files; templates only lay it out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from gcmreview.core.format import Review
from gcmreview.core.i18n import Formatter, _
from gcmreview.core.i18n import language as ui_language
from gcmreview.core.languages import direction
from gcmreview.core.status import (
    NOT_REPORTED,
    NOT_STATED,
    OBJECTIVE_STATUSES,
    PARTNER,
    PROGRESS,
    REPORTED,
    status,
)
from gcmreview.core.text import acronyms_in, collation_key
from gcmreview.load.catalogue import Catalogue
from gcmreview.model.apparatus import (
    Acronym,
    Apparatus,
    Masthead,
    acronym_list,
    masthead,
    quoted_only,
    texts_of,
)
from gcmreview.model.figures import PROGRESS_PALETTE, Chart, HeatMap
from gcmreview.model.indicators import (
    MAX_BARS,
    IndicatorBuilder,
    IndicatorDigest,
    figure_name,
    latest_caption,
    latest_table,
    latest_values,
    regional_chart,
    shown_indicators,
)
from gcmreview.model.matrix import Snapshot, StateCoverage
from gcmreview.model.progress import KIND_WORDS, Progress, progress
from gcmreview.model.review import (
    Citation,
    Item,
    ModelBuilder,
    Narrative,
    ObjectiveView,
    ReviewModel,
    Section,
    SourceList,
    Text,
)
from gcmreview.model.text import Phrase
from gcmreview.model.translation import Translation
from gcmreview.validate.coverage import Coverage
from gcmreview.validate.data import DataSet
from gcmreview.validate.workspace import Workspace, localized

T = TypeVar("T")
VOLUME_CHARS = 1_000_000
"""Above this much quoted text, the responses by objective go into volumes, by
IMRF round table: a single document of that size (hundreds of pages) is hard
to read and takes pandoc gigabytes of memory to convert."""
VOLUME_RESPONSES = 400
"""At most this many State responses in one volume (whole objectives): typst's
memory grows with the document (a round table of 193 States, 1,351 responses,
took 514 MB to typeset; 400 take about 200 MB)."""
ANNEX_STATES = 50
"""In a region in volumes, the annex goes into volumes of this many States: its
tables are what typst spends most memory on (193 States: 400 MB)."""


@dataclass(frozen=True)
class StateReview:
    """One valid review: what the regional report needs of it."""

    code: str
    data: Review
    coverage: Coverage
    translation: Translation | None = None
    """Its current translation into the report's language, if any."""


@dataclass(frozen=True)
class Participant:
    code: str
    name: str
    submitted: bool
    left_out: bool
    """Submitted but invalid: left out of the report, with a note."""
    status: str
    date: str
    language: str
    institutions: int
    stakeholders: list[str]
    objectives_covered: str
    principles_covered: str


@dataclass(frozen=True)
class MatrixRow:
    name: str
    cells: list[tuple[str, str]]
    """(status code, symbol) per column."""
    code: str = ""
    """The State's code (its file name): the review site links each row to its page."""


@dataclass(frozen=True)
class StateEntry:
    """One State's response to one objective, quoted in its own language."""

    state: str
    view: ObjectiveView
    code: str = ""
    """The State's code (its file name)."""


@dataclass(frozen=True)
class ObjectiveDigest:
    number: int
    title: Text
    states: list[str]
    """The States that report on it, in their own words: what is counted."""
    progress: int
    """How many of them report progress (in progress, implemented)."""
    entries: list[StateEntry]
    partners: list[StateEntry] = field(default_factory=list)
    """What a partner (an IOM office…) said of a State that did not itself report on the
    objective: quoted, attributed, counted apart."""
    dropped: list[tuple[str, Text | Phrase, int]] = field(default_factory=list)
    """(State, its status then, the cycle) for each State that reported on it in the
    latest earlier cycle and no longer does: an objective a State dropped does not
    vanish from the report."""


@dataclass(frozen=True)
class Quote:
    state: str
    narrative: Narrative
    sources: list[Citation]
    code: str = ""
    """The State's code (its file name)."""
    partner: Phrase | None = None
    """"stated by …, not by the State", when a partner spoke and not the State."""


@dataclass(frozen=True)
class Ranked:
    label: Text
    count: int


@dataclass(frozen=True)
class Volume:
    """A separate document of a large region's report: responses to some objectives
    (`round_tables`), or the annex of some States (`annex`)."""

    id: str
    label: str
    file: str
    round_tables: list[tuple[str, list[ObjectiveDigest]]] = field(default_factory=list)
    annex: list[ReviewModel] = field(default_factory=list)

    @property
    def template(self) -> str:
        return "regional-annex.md.j2" if self.annex else "regional-volume.md.j2"


@dataclass(frozen=True)
class RegionalModel:
    lang: str
    dir: str
    title: Text
    region: Text
    cycle: int
    organisers: list[Text]
    compact: Text
    participants: list[Participant]
    participants_count: int
    submitted_count: int
    """The States that sent a review file, valid or not."""
    received: str
    """What the States sent, in a sentence: how many reviews, how many of them drafts (a
    draft counted as a review "submitted" would misstate where the States stand)."""
    not_submitted: list[str]
    left_out: list[str]
    legend: list[tuple[str, str, str]]
    """(status code, symbol, label)"""
    principle_legend: list[tuple[str, str, str]]
    """The same for the guiding principles' matrix: reported or not."""
    objective_columns: list[int]
    objective_matrix: list[MatrixRow]
    principle_columns: list[tuple[str, Text]]
    principle_matrix: list[MatrixRow]
    round_tables: list[tuple[str, list[ObjectiveDigest]]]
    progress_by_objective: list[tuple[int, Text, int, int, int]]
    """(objective, short label, States reporting, States reporting progress, partners'
    statements): the States' own statements only, partners' counted apart."""
    most_covered: list[Ranked]
    least_covered: list[Ranked]
    principles_ranked: list[Ranked]
    challenges: list[tuple[int, Text, list[str]]]
    """(objective, title, States reporting challenges on it)"""
    covid19: list[Quote]
    reservations: list[Quote]
    annex: list[ReviewModel]
    heat_maps: dict[str, HeatMap]
    volumes: list[Volume]
    """Empty when the responses by objective fit in the report itself."""
    sources: list[Item] = field(default_factory=list)
    """Every source any State cites, numbered as the quotes cite them ([1], para. 7)."""
    fallbacks: tuple[str, ...] = ()
    """What the report shows in another language than its own (see ReviewModel)."""
    comparisons: list[CycleComparison] = field(default_factory=list)
    """The region since each earlier cycle (gcmreview.yaml `history:`), latest first."""
    text_languages: list[tuple[str, list[str]]] = field(default_factory=list)
    """The languages the States' texts are shown in (“Arabic, translated from French”),
    each with its States, for every State whose review is quoted: a language once, not
    once a State."""
    masthead: Masthead | None = None
    """The UN document's masthead (gcmreview.yaml `document:`), when given."""
    acronyms: list[Acronym] = field(default_factory=list)
    """The acronyms the report quotes that the workspace spells out."""
    key_messages: list[str] = field(default_factory=list)
    """Counted from the files, in the report's language, each a sentence."""
    key_messages_written: Narrative | None = None
    """The secretariat's own (gcmreview.yaml `key_messages:`), put first."""
    indicators: list[IndicatorDigest] = field(default_factory=list)
    """Per indicator, each State's latest value (gcmreview.model.indicators)."""
    charts: dict[str, Chart] = field(default_factory=dict)
    """The indicators' charts, by name."""
    indicator_source: str = ""


@dataclass(frozen=True)
class ComparisonRow:
    name: str
    objectives_before: str
    objectives_after: str
    principles_before: str
    principles_after: str
    note: str
    """“New in this cycle”, “No review in this cycle”, or ""."""


@dataclass(frozen=True)
class CycleComparison:
    """The region then and now: counted from both cycles' review files."""

    cycle: int
    now: int
    rows: list[ComparisonRow]
    moved: list[tuple[int, Text, int, int, int, int]]
    """(objective, short title, States that moved it forward, back, newly reported it,
    no longer report it), most moved first."""
    new_states: list[str]
    gone_states: list[str]
    left_out: list[str]
    """States whose earlier file is invalid: not compared."""
    figure: str
    """The name of its heat map in `heat_maps`."""


Dropped = dict[int, list[tuple[str, str, int]]]
"""Objective -> (State's code, its status code then, the cycle) for each State that no
longer reports on it."""

DRAFTED_IN = "en"
"""The language a regional report is drafted in when the workspace does not say
(`document.original`): the United Nations' most used working language."""


def alphabetical(names: dict[str, str], lang: str, order: str,
                 country: Callable[[str, str], str]) -> list[str]:
    """The States (`names`: code -> name in `lang`) in the alphabetical order of their
    names in `order`, a language (from `country(code, language)` when not `lang`)."""
    keys = names if order == lang else {c: country(c, order) for c in names}
    return sorted(keys, key=lambda c: (collation_key(keys[c], order), c))


def in_a_list(labels: list[str]) -> list[str]:
    """The stakeholder groups' names (the format's own words, never a name of the review's)
    as an enumeration writes them: "Civil society, international organizations", not
    "Civil society, International organizations" (an acronym first stays as it is)."""
    return [label if i == 0 or len(label) < 2 or not label[1].islower()
            else label[0].lower() + label[1:] for i, label in enumerate(labels)]


def drafts_among(reviews: list[StateReview]) -> int:
    """The reviews whose file says they are drafts (review.status)."""
    return sum(r.data["review"]["status"] == "draft" for r in reviews)


def most_reported(counts: dict[int, int]) -> list[int]:
    """The objectives reported on by the most States (`counts`: objective -> States), none
    when no State reports on any, or when the most is one State each for several of them:
    a tie of single States singles nothing out ("the objectives most reported on are 1, 2,
    3, 4, 5, 7, 9 and 12")."""
    top = max(counts.values(), default=0)
    most = [n for n, c in counts.items() if c == top]
    return [] if top == 0 or (top == 1 and len(most) > 1) else most


def by_language(states: list[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    """(State, language) pairs as each language with its States, in the order the
    languages first come and the States' order kept."""
    grouped: dict[str, list[str]] = {}
    for state, language in states:
        grouped.setdefault(language, []).append(state)
    return list(grouped.items())


class RegionalBuilder:
    def __init__(self, workspace: Workspace, lang: str, *, own_sources: bool = False) -> None:
        """`own_sources`: each State's review numbers its own sources, as its country
        report does (the review site's pages), instead of one list for the region."""
        self.workspace = workspace
        self.catalogue: Catalogue = workspace.catalogue
        self.lang = lang
        self.sources = SourceList()
        self.apparatus = Apparatus.of(workspace)
        self.models = ModelBuilder(self.catalogue, lang, workspace.country_names,
                                   shared_sources=None if own_sources else self.sources,
                                   apparatus=self.apparatus)
        self.t = self.models.t
        self.fmt = self.models.fmt
        self.review_lang: dict[str, str] = {}
        """Each State's review language: its data's words (units, sources) are in it."""

    def status(self, code: str) -> str:
        return self.t(status(code).label)

    def partner(self, section: Section) -> Phrase | None:
        """Who spoke, when a partner did: the quote says so, and is not the State's."""
        if section.stated_by is None:
            return None
        return Phrase(self.t("stated by {who}, not by the State"), {"who": section.stated_by})

    def build(self, reviews: list[StateReview], left_out: list[str],
              history: dict[int, Snapshot] | None = None,
              data: DataSet | None = None) -> RegionalModel:
        ws, t = self.workspace, self.t
        history = history or {}
        by_code = {r.code: r for r in reviews}
        self.review_lang = {r.code: r.data["review"]["language"] for r in reviews}
        models = {r.code: self.models.build(r.data, r.coverage, earlier={
            year: snap.states.get(r.code) for year, snap in history.items()},
            translation=r.translation, charts=False)
            for r in reviews}
        # Lists and tables: in the alphabetical order of the report's language, as UN
        # documents list States. What is numbered (the States' statements, paragraph by
        # paragraph, and the annex's sections) is in the same order in every language
        # version, so that "para. 23" is the same paragraph in all: the order of the
        # language the report was drafted in (DRAFTED_IN unless the workspace says).
        names = {c: self.models.country(c) for c in {*ws.participants, *by_code}}
        order = alphabetical(names, self.lang, self.lang, self.models.country)
        drafted = alphabetical(names, self.lang,
                               self.apparatus.document.get("original") or DRAFTED_IN,
                               self.models.country)
        rank = {c: i for i, c in enumerate(order)}
        reviews = sorted(reviews, key=lambda r: rank[r.code])
        legend = [(s.code, s.symbol, self.t(s.key_label))
                  for s in (*OBJECTIVE_STATUSES, NOT_STATED, NOT_REPORTED)]
        objective_matrix = [
            MatrixRow(models[c].country, [self.objective_cell(by_code[c].coverage, n)
                                          for n in self.catalogue.objectives], c)
            for c in order if c in by_code
        ]
        if any(r.coverage.objectives_by_partners for r in reviews):
            legend.append((PARTNER.code, PARTNER.symbol, t(PARTNER.label)))
        principle_matrix = [
            MatrixRow(models[c].country, [
                self.cell(REPORTED.code if slug in by_code[c].coverage.principles_covered
                          else None)
                for slug in self.catalogue.principles], c)
            for c in order if c in by_code
        ]
        comparisons, comparison_maps, dropped = self.comparisons(reviews, history)
        digests = self.digests(reviews, models, drafted, dropped)
        round_tables = [
            (t("IMRF round table {number}").format(number=rt), [digests[n] for n in numbers])
            for rt, numbers in self.catalogue.round_tables.items()
        ]
        text, used = localized(ws.key_messages, self.lang)
        written = Narrative(text, used or self.lang, direction(used or self.lang)) \
            if text.strip() else None
        heat_maps = {**self.heat_maps(objective_matrix, principle_matrix, legend),
                     **comparison_maps}
        covid19 = [Quote(models[c].country, s.summary, s.sources, c, self.partner(s))
                   for c in drafted if c in models
                   if (s := models[c].sections["covid19"]) and s.summary]
        submitted = sum(c in by_code or c in left_out for c in ws.participants)
        return RegionalModel(
            lang=self.lang,
            dir=direction(self.lang),
            title=self.local_text(ws.title,
                                  t("Regional review of the Global Compact for Migration")),
            fallbacks=self.fallbacks(models),
            region=self.local_text(ws.region, ""),
            cycle=ws.cycle,
            organisers=[self.local_text(o, "") for o in ws.organisers],
            compact=self.models.text(self.catalogue.compact_name(self.lang)),
            participants=[self.participant(c, by_code.get(c), models.get(c), c in left_out)
                          for c in order],
            participants_count=len(ws.participants),
            submitted_count=submitted,
            received=self.received(reviews, submitted, len(ws.participants)),
            not_submitted=[names[c] for c in order
                           if c in ws.participants and c not in by_code and c not in left_out],
            left_out=[self.models.country(c) for c in left_out],
            legend=legend,
            principle_legend=[(s.code, s.symbol, self.t(s.label))
                              for s in (REPORTED, NOT_REPORTED)],
            objective_columns=list(self.catalogue.objectives),
            objective_matrix=objective_matrix,
            principle_columns=[(p.mark(self.lang),
                                self.models.principle_label(p.slug))
                               for p in self.catalogue.principles.values()],
            principle_matrix=principle_matrix,
            round_tables=round_tables,
            progress_by_objective=[
                (d.number, self.models.text(self.catalogue.objective(d.number).short(self.lang)),
                 len(d.states), d.progress, len(d.partners)) for d in digests.values()
            ],
            most_covered=self.ranked(digests, reverse=True),
            least_covered=self.ranked(digests, reverse=False),
            principles_ranked=self.principles_ranked(reviews),
            challenges=[
                (d.number, d.title, [models[c].country for c in order if c in said])
                for d in digests.values()
                if (said := {e.code for e in d.entries if e.view.challenges})
            ],
            covid19=covid19,
            reservations=[Quote(models[c].country, r.summary, r.sources, c)
                          for c in drafted if c in models
                          for r in models[c].lists["reservations"] if r.summary],
            annex=[models[c] for c in drafted if c in models],
            heat_maps=heat_maps,
            volumes=self.volumes(round_tables, reviews,
                                 [models[c] for c in drafted if c in models]),
            sources=[self.models.source_item(s, lang) for s, lang in self.sources.items],
            comparisons=comparisons,
            text_languages=by_language([(models[c].country, models[c].text_language)
                                        for c in order if c in models]),
            masthead=masthead(self.apparatus, self.lang),
            acronyms=self.acronyms(reviews, [
                *([written.markdown] if written else []),
                *(title for title, _digests in round_tables),
                # The report's own words: "Organizers: ESCWA, IOM and…", its headings.
                *(self.local_text(v, "").text for v in (ws.title, ws.region, *ws.organisers)),
                self.t("COVID-19")]),
            key_messages=self.key_messages(reviews, digests, len(ws.participants),
                                           comparisons, covid19),
            key_messages_written=written,
            **self.indicators(order, data or DataSet()),
        )

    def indicators(self, order: list[str], data: DataSet) -> dict[str, Any]:
        """Per indicator linked to an objective or with values: each State's latest value,
        a chart of them, and the States without any."""
        builder = IndicatorBuilder(self.catalogue, self.fmt)
        states = list(dict.fromkeys([*order, *data.countries]))
        by_state = {code: data.of(code) for code in states}
        digests, charts = [], {}
        for code in shown_indicators(self.catalogue, data.results):
            indicator = self.catalogue.indicator(code)
            rows = []
            for state in states:
                result = by_state[state].values.get(code)
                if result is not None and result.values:
                    lang = self.review_lang.get(state, self.lang)
                    rows += latest_values(builder, result, self.models.country(state), lang,
                                          state)
            left = [self.models.country(s) for s in states if code in by_state[s].invalid]
            have = {r.state for r in rows}
            without = [self.models.country(s) for s in order
                       if self.models.country(s) not in have
                       and self.models.country(s) not in left]
            chart = regional_chart(builder, code, rows)
            name = figure_name(code)
            if chart is not None:
                charts[name] = chart
            digests.append(IndicatorDigest(
                code, builder.title(indicator),
                [(link.objective, self.models.text(
                    self.catalogue.objective(link.objective).short(self.lang)),
                  link.by_workspace) for link in indicator.links],
                rows, without, left, name if chart is not None else None,
                chart.alt if chart is not None else "",
                "" if chart is not None or not rows else
                self.t("With {count} States, the values are given in the table only.").format(
                    count=self.fmt.number(len(rows))) if len(rows) > MAX_BARS else
                self.t("The States give their values in different units or by breakdown "
                       "only, so they are not drawn together."),
                latest_caption(builder, code),
                chart.note if chart is not None else "", latest_table(self.t, rows)))
        titles = [d.title for d in digests]
        return {"indicators": digests, "charts": charts,
                "indicator_source": self.t(
                    "Indicator titles: global indicator framework for the Sustainable "
                    "Development Goals, General Assembly resolution 71/313 (annex), as "
                    "refined.") if titles else ""}

    def acronyms(self, reviews: list[StateReview], own: list[str]) -> list[Acronym]:
        """The list of abbreviations: those of the report's own words (`own`), of the
        reviews and of their translations; those only the quotations in another language
        use marked with it ("CESAO (French)")."""
        quoted: list[tuple[str, list[str]]] = []
        texts = list(own)
        for r in reviews:
            language = r.data["review"]["language"]
            if language == self.lang:
                texts.extend(texts_of(r.data))
            else:
                quoted.append((language, acronyms_in(texts_of(r.data))))
            if r.translation:
                texts.extend(r.translation.texts.values())
        used = acronyms_in(texts)
        return acronym_list([*used, *(a for _lang, found in quoted for a in found)],
                            self.apparatus, self.lang,
                            quoted_only(used, quoted, self.fmt.quotations_in))

    def key_messages(self, reviews: list[StateReview], digests: dict[int, ObjectiveDigest],
                     participants: int, comparisons: list[CycleComparison],
                     covid19: list[Quote]) -> list[str]:
        """What the files say at a glance, counted, in sentences: none starts with a numeral,
        and each has one count its words agree with (another is a phrase of its own: "the
        15 participating States")."""
        t, fmt = self.t, self.fmt
        states = fmt.ngettext("%(num)s participating State", "%(num)s participating States",
                              participants) % {"num": fmt.number(participants)}
        # Figures, not words: the sentence compares its count with one of 10 or more.
        figures = {"states": states, "participants": fmt.number(participants),
                   "num": fmt.number(len(reviews))}
        if not reviews:
            return [t("None of the %(states)s has sent a voluntary review yet.") % figures]
        if len(reviews) == participants == 2:  # not "Of the 2 participating States, 2 sent"
            first = t("Both participating States sent a voluntary review.")
        elif len(reviews) == participants:
            first = fmt.ngettext("The participating State sent a voluntary review.",
                                 "All %(num)s participating States sent a voluntary review.",
                                 participants) % figures
        else:
            first = fmt.ngettext("Of the %(states)s, %(num)s sent a voluntary review.",
                                 "Of the %(states)s, %(num)s sent a voluntary review.",
                                 len(reviews)) % figures
        out = [" ".join(filter(None, (first, self.drafts_said(reviews, len(reviews)))))]
        objectives = [len(r.coverage.objectives_covered) for r in reviews]
        principles = [len(r.coverage.principles_covered) for r in reviews]
        total = fmt.number(len(self.catalogue.objectives))
        if min(objectives) == max(objectives):  # not "between 4 and 4 (4.0 on average)"
            out.append(t("Each review covers %(count)s of the %(total)s objectives.") % {
                "count": fmt.number(objectives[0]), "total": total})
        else:
            out.append(t("Each review covers between %(least)s and %(most)s of the %(total)s "
                         "objectives, %(mean)s on average.") % {
                "least": fmt.number(min(objectives)), "most": fmt.number(max(objectives)),
                "total": total, "mean": fmt.decimal(sum(objectives) / len(objectives))})
        total = fmt.number(len(self.catalogue.principles))
        if min(principles) == max(principles):
            out.append(t("Each review covers %(count)s of the %(total)s guiding principles.")
                       % {"count": fmt.number(principles[0]), "total": total})
        else:
            out.append(t("Each review covers between %(least)s and %(most)s of the %(total)s "
                         "guiding principles.") % {"least": fmt.number(min(principles)),
                                                   "most": fmt.number(max(principles)),
                                                   "total": total})
        counts = {n: len(d.states) for n, d in digests.items()}
        top = max(counts.values())
        most = most_reported(counts)
        if top and not most:
            out.append(t("No objective is reported on by more than one State."))
        elif most:
            out.append(fmt.ngettext(
                "The objective most reported on is objective %(objectives)s (%(states)s).",
                "The objectives most reported on are objectives %(objectives)s (%(states)s "
                "each).", len(most)) % {
                "objectives": fmt.list([fmt.number(n) for n in most]),
                "states": fmt.ngettext("%(num)s State", "%(num)s States", top) % {
                    "num": fmt.number(top)}})
        none = sum(1 for c in counts.values() if c == 0)
        if none:  # not "No State reports on 11 of them", read as each State leaving out 11
            out.append(fmt.ngettext(
                "Of the %(total)s objectives, %(count)s is not reported on by any State.",
                "Of the %(total)s objectives, %(count)s are not reported on by any State.",
                none) % {"count": fmt.number(none), "total": fmt.number(len(counts))})
        responses = sum(len(d.entries) for d in digests.values())
        progress = sum(d.progress for d in digests.values())
        out.append(fmt.ngettext(
            "Of the States' %(responses)s responses on objectives, %(progress)s reports "
            "progress (in progress or implemented).",
            "Of the States' %(responses)s responses on objectives, %(progress)s report "
            "progress (in progress or implemented).", progress) % {
            "progress": fmt.number(progress), "responses": fmt.number(responses)})
        partners = sum(len(d.partners) for d in digests.values()) + sum(
            q.partner is not None for q in covid19)
        if partners:
            out.append(fmt.ngettext(
                "The report also quotes %(num)s statement by a partner, which is not "
                "counted as a statement by a State.",
                "The report also quotes %(num)s statements by partners, which are not "
                "counted as statements by States.", partners) % {"num": fmt.counted(partners)})
        for c in comparisons[:1]:
            moved = [sum(row[2] for row in c.moved), sum(row[3] for row in c.moved),
                     sum(row[4] for row in c.moved), sum(row[5] for row in c.moved)]
            # Counted over the States with a review in both cycles, as the table of
            # objectives that moved says: the heat map beside it shows a new State's
            # objectives as new too, and the counts seemed not to add up.
            both = sum(1 for row in c.rows if not row.note)
            out.append(t("Since the %(cycle)s review, among the States with a review in both "
                         "cycles (%(compared)s), objectives: moved forward %(forward)s, "
                         "moved back %(back)s, newly reported %(new)s, no longer reported "
                         "%(dropped)s.") % {
                "cycle": c.cycle, "compared": fmt.number(both), "forward": fmt.number(moved[0]),
                "back": fmt.number(moved[1]), "new": fmt.number(moved[2]),
                "dropped": fmt.number(moved[3])})
            # Apart: a State new to the review is not among those in both cycles.
            if c.new_states:
                out.append(t("States new to the review: %(states)s.") % {
                    "states": fmt.number(len(c.new_states))})
        return out

    def comparisons(self, reviews: list[StateReview], history: dict[int, Snapshot]
                    ) -> tuple[list[CycleComparison], dict[str, HeatMap], Dropped]:
        """The region since each earlier cycle, a heat map of the changes for each, and the
        objectives each State no longer reports on since the latest of them."""
        if not history:
            return [], {}, {}
        ws = self.workspace
        current = Snapshot(tuple(self.catalogue.objectives), tuple(self.catalogue.principles),
                           {r.code: StateCoverage(r.code, r.code in ws.participants, r.code,
                                                  True, r.coverage) for r in reviews})
        comparisons, maps, dropped = [], {}, dict[int, list[tuple[str, str, int]]]()
        for year, before in sorted(history.items(), reverse=True):
            moved = progress(before, current, since=year, now=ws.cycle, where="", commit="",
                             principles=self.catalogue.principles)
            name = f"progress-{year}"
            comparisons.append(self.comparison(year, moved, name))
            maps[name] = self.progress_map(year, moved)
            if len(comparisons) == 1:  # since the latest, over the States in both cycles
                for state in (s for s in moved.states if s.presence == "both"):
                    for change in state.objectives:
                        if change.kind == "dropped" and change.before:
                            dropped.setdefault(change.number, []).append(
                                (state.country, change.before, year))
        return comparisons, maps, dropped

    def comparison(self, year: int, moved: Progress, figure: str) -> CycleComparison:
        t = self.t
        fmt = self.fmt

        def ratio(state: StateCoverage | None, what: str) -> str:
            if state is None or state.coverage is None:
                return "–"
            cov = state.coverage
            if what == "objectives":
                return fmt.ratio(len(cov.objectives_covered), cov.objective_total)
            return fmt.ratio(len(cov.principles_covered), cov.principle_total)

        notes = {"new": t("New in this cycle"), "gone": t("No review in this cycle"), "both": ""}
        rows = [ComparisonRow(self.models.country(s.country), ratio(s.before, "objectives"),
                              ratio(s.after, "objectives"), ratio(s.before, "principles"),
                              ratio(s.after, "principles"), notes[s.presence])
                for s in moved.states]
        counts = []
        for n, kinds in moved.objectives_moved.items():
            total = sum(kinds.get(k, 0) for k in ("forward", "back", "new", "dropped"))
            if total:
                counts.append((n, self.models.text(self.catalogue.objective(n).short(self.lang)),
                               kinds.get("forward", 0), kinds.get("back", 0),
                               kinds.get("new", 0), kinds.get("dropped", 0)))
        counts.sort(key=lambda row: (-(row[2] + row[3] + row[4] + row[5]), row[0]))
        return CycleComparison(
            year, self.workspace.cycle, rows, counts,
            new_states=[self.models.country(s.country) for s in moved.states
                        if s.presence == "new"],
            gone_states=[self.models.country(s.country) for s in moved.states
                         if s.presence == "gone"],
            left_out=[self.models.country(code) for code, _path in moved.left_out],
            figure=figure)

    def progress_map(self, year: int, moved: Progress) -> HeatMap:
        """States × objectives, each cell how the objective changed since `year`."""
        t = self.t
        rows = []
        for state in moved.states:
            kinds = {o.number: o.kind for o in state.objectives}
            rows.append((self.models.country(state.country),
                         [(kinds.get(n, "none"), False) for n in self.catalogue.objectives]))
        legend = [(k, t(KIND_WORDS[k])) for k in ("forward", "back", "changed", "new",
                                                   "dropped", "unchanged")]
        return HeatMap(t("Changes since the %(cycle)s review") % {"cycle": year},
                       [self.fmt.number(n) for n in self.catalogue.objectives], rows, legend,
                       self.lang, direction(self.lang) == "rtl", palette=PROGRESS_PALETTE)

    def local_text(self, value: Any, default: str) -> Text:
        """A workspace text with the language it is shown in (not always the report's)."""
        text, used = localized(value, self.lang)
        if not text:
            return self.models.ui(default)
        lang = used or self.lang
        return Text(text, lang, direction(lang))

    def fallbacks(self, models: dict[str, ReviewModel]) -> tuple[str, ...]:
        """The workspace's texts this report shows in another language, and the catalogue's."""
        ws = self.workspace
        language = Formatter(ui_language()).language_name(self.lang)
        found = []
        for what, value in ((_("the title of the regional report"), ws.title),
                            (_("the name of the region"), ws.region),
                            *((_("the name of an organizer"), o) for o in ws.organisers)):
            text, used = localized(value, self.lang)
            if used is not None:
                found.append(_("{what} has no {language} version in gcmreview.yaml: it is "
                                 "shown as “{text}”").format(what=what, language=language,
                                                               text=text))
        for model in models.values():
            found += [f for f in model.fallbacks if f not in found]
        return tuple(found)

    def volumes(self, round_tables: list[tuple[str, list[ObjectiveDigest]]],
                reviews: list[StateReview], annex: list[ReviewModel]) -> list[Volume]:
        quoted = sum(len(e.view.summary.markdown) if e.view.summary else 0
                     for _label, digests in round_tables for d in digests for e in d.entries)
        quoted += sum(len(str(v)) for r in reviews
                      for o in (r.data.get("objectives") or {}).values()
                      for k, v in o.items() if k in ("measures", "good_practices", "challenges"))
        if quoted <= VOLUME_CHARS:
            return []
        volumes = []
        for rt, (label, digests) in enumerate(round_tables, start=1):
            parts = _parts(digests, lambda d: len(d.entries), VOLUME_RESPONSES)
            for k, part in enumerate(parts, start=1):
                ident = f"regional-rt{rt}" + (f"-{k}" if len(parts) > 1 else "")
                name = label if len(parts) == 1 else self.t(
                    "%(volume)s, part %(part)s of %(parts)s") % {
                        "volume": label, "part": self.fmt.number(k),
                        "parts": self.fmt.number(len(parts))}
                volumes.append(Volume(ident, name, f"{ident}.{self.lang}", [(name, part)]))
        if len(annex) > ANNEX_STATES:
            states = _parts(annex, lambda _m: 1, ANNEX_STATES)
            for k, group in enumerate(states, start=1):
                ident = f"regional-annex-{k}"
                name = self.t("Annex: summary by State, part %(part)s of %(parts)s") % {
                    "part": self.fmt.number(k), "parts": self.fmt.number(len(states))}
                volumes.append(Volume(ident, name, f"{ident}.{self.lang}", annex=group))
        return volumes

    def cell(self, code: str | None) -> tuple[str, str]:
        found = status(code)
        return found.code, found.symbol

    def objective_cell(self, coverage: Coverage, number: int) -> tuple[str, str]:
        """The State's own status; a partner's statement is marked as such, not counted
        as the State's (its status is quoted with the statement)."""
        if number in coverage.objectives_covered:
            return self.cell(coverage.statuses.get(number))
        if number in coverage.objectives_by_partners:
            return self.cell(PARTNER.code)
        return self.cell(None)

    def received(self, reviews: list[StateReview], count: int, participants: int = 0) -> str:
        """`count`: the participants that sent a review file (`submitted_count`), of
        `participants`."""
        t, fmt = self.t, self.fmt
        if not count:
            return t("None of them has submitted a voluntary review yet.")
        if count == participants == 2:
            out = t("Both sent a voluntary review.")
        elif count == participants and count > 1:
            out = t("All of them sent a voluntary review.")
        else:
            out = fmt.ngettext("Of them, %(num)s sent a voluntary review.",
                               "Of them, %(num)s sent a voluntary review.", count) % {
                "num": fmt.counted(count)}
        return " ".join(filter(None, (out, self.drafts_said(reviews, count))))

    def drafts_said(self, reviews: list[StateReview], count: int) -> str:
        """How many of the `count` reviews received are drafts, after the sentence that
        counts them ("these reviews", not "them": that sentence counts States too); "" if
        none is."""
        fmt = self.fmt
        drafts = drafts_among(reviews)
        if drafts and drafts == count:
            return fmt.ngettext("The review is a draft.", "All these reviews are drafts.", count)
        if drafts:
            return fmt.ngettext("Of these reviews, %(num)s is a draft.",
                                "Of these reviews, %(num)s are drafts.", drafts) % {
                "num": fmt.counted(drafts)}
        return ""

    def participant(self, code: str, review: StateReview | None, model: ReviewModel | None,
                    left_out: bool) -> Participant:
        name = self.models.country(code)
        if review is None or model is None:
            return Participant(code, name, left_out, left_out, "", "", "", 0, [], "", "")
        methodology = model.sections["methodology"]
        return Participant(
            code=code, name=name, submitted=True, left_out=False,
            status=model.status_label, date=model.date, language=model.source.text,
            institutions=len(methodology.items) if methodology else 0,
            stakeholders=in_a_list([s.title.text
                                    for s in methodology.entries.get("stakeholders", [])])
            if methodology else [],
            objectives_covered=model.objectives_covered,
            principles_covered=model.principles_covered,
        )

    def digests(self, reviews: list[StateReview], models: dict[str, ReviewModel],
                drafted: list[str], dropped: Dropped | None = None
                ) -> dict[int, ObjectiveDigest]:
        """Per objective, the States' own statements (what is counted) and, apart, what
        partners said of a State (shown and attributed, never counted as the State's): the
        statements in the `drafted` order, the list of the States in `reviews`' order."""
        views = {r.code: {o.number: o for rt in models[r.code].round_tables
                          for o in rt.objectives} for r in reviews}
        rank = {c: i for i, c in enumerate(drafted)}
        statements = sorted(reviews, key=lambda r: rank[r.code])
        out = {}
        for n, objective in self.catalogue.objectives.items():
            entries = [StateEntry(models[r.code].country, views[r.code][n], r.code)
                       for r in statements if n in r.coverage.objectives_covered]
            partners = [StateEntry(models[r.code].country, views[r.code][n], r.code)
                        for r in statements if n in r.coverage.objectives_by_partners]
            out[n] = ObjectiveDigest(
                number=n,
                title=self.models.text(objective.title(self.lang)),
                states=[models[r.code].country for r in reviews
                        if n in r.coverage.objectives_covered],
                progress=sum(e.view.status in PROGRESS for e in entries),
                entries=entries,
                partners=partners,
                dropped=[(models[code].country if code in models else self.models.country(code),
                          self.models.ui(self.t(status(before).label)), year)
                         for code, before, year in (dropped or {}).get(n, [])],
            )
        return out

    def ranked(self, digests: dict[int, ObjectiveDigest], *, reverse: bool) -> list[Ranked]:
        """The most (or least) covered objectives, ties kept together, in number order."""
        counts = {n: len(d.states) for n, d in digests.items()}
        if not counts:
            return []
        least = min(counts.values())
        picked = most_reported(counts) if reverse else [
            n for n, c in counts.items() if c == least]
        return [Ranked(self.models.text(self.catalogue.objective(n).short(self.lang)),
                       counts[n]) for n in picked]

    def principles_ranked(self, reviews: list[StateReview]) -> list[Ranked]:
        counts = Counter(s for r in reviews for s in r.coverage.principles_covered)
        return [Ranked(self.models.principle_label(slug), counts.get(slug, 0))
                for slug, p in sorted(self.catalogue.principles.items(),
                                      key=lambda item: (-counts.get(item[0], 0),
                                                        item[1].letter))]

    def heat_maps(self, objectives: list[MatrixRow], principles: list[MatrixRow],
                  legend: list[tuple[str, str, str]]) -> dict[str, HeatMap]:
        t = self.t
        rtl = direction(self.lang) == "rtl"
        return {
            "objectives": HeatMap(
                t("Implementation status by objective"),
                [self.fmt.number(n) for n in self.catalogue.objectives],
                [(row.name, [(code, False) for code, _symbol in row.cells])
                 for row in objectives],
                [(code, label) for code, _symbol, label in legend], self.lang, rtl),
            "principles": HeatMap(
                t("Guiding principles reported"),
                [p.mark(self.lang) for p in self.catalogue.principles.values()],
                [(row.name, [(code, False) for code, _symbol in row.cells])
                 for row in principles],
                [(REPORTED.code, t(REPORTED.label)), (NOT_REPORTED.code, t(NOT_REPORTED.label))],
                self.lang, rtl),
        }


def _parts(items: Sequence[T], size: Callable[[T], int], limit: int) -> list[list[T]]:
    """Consecutive items in groups whose sizes add up to at most `limit` (an item
    larger than the limit is a group of its own)."""
    groups: list[list[T]] = [[]]
    filled = 0
    for item in items:
        if groups[-1] and filled + size(item) > limit:
            groups.append([])
            filled = 0
        groups[-1].append(item)
        filled += size(item)
    return groups
