"""The review format, described once: every section and field of a review file.

Whatever lists the parts of a review reads this module: the JSON Schema's top
level (gcmreview.validate.schema), the scaffold `gcmreview new` writes, the Word
form both ways (gcmreview.model.form), the headings a free-form review is read
by (gcmreview.model.headings and model.legacy), the key order of the files
`import` writes (gcmreview.render.review_file), the report model
(gcmreview.model.review) and the checks (carried-over marks, narratives,
objective numbers).

A review file is a mapping of top-level `SECTIONS`. Each section has a shape:
a code (`country`), the review's metadata (`review`), one narrative section
(`methodology`, `covid19`…), the objectives keyed by number, the guiding
principles keyed by slug, a list of entries (`reservations`) or the list of
sources. Its entries are `Part`s: their members, in the file's key order, are
`Field`s (one value) and `Group`s (a list of entries, each a row of columns).

Adding a section is one entry in `SECTIONS` (docs/format.md, "Adding a
section"): the schema, `new`, the Word form, `import` and the reports take it
from here. Every text here is a message id (English), translated where shown.

`Review` and the TypedDicts after it say the same for type checkers: the shape
of the data a valid review file loads to (tests/test_format.py keeps them equal).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any, Literal, NotRequired, TypedDict

from gcmreview.core.i18n import N_

FieldKind = Literal["narrative", "line", "lines", "year", "code", "choice", "choices",
                    "numbers", "carried"]
"""narrative: Markdown; line: one line of text; lines: a list of lines; year; code: a
code or id typed as is; choice(s): one (several) of an option list; numbers: objective
numbers; carried: the `carried_over` year of a section started from an earlier cycle."""

Shape = Literal["code", "meta", "single", "objectives", "principles", "list", "sources"]

# Each Field, Group, Part and Section is one entry of the format: compared and hashed by
# identity (eq=False), which caches keyed on them need to be fast.


@dataclass(frozen=True, eq=False)
class Field:
    key: str
    kind: FieldKind
    label: str = ""
    """The form's label for it (a message id)."""
    options: str = ""
    """For choices: the option list (gcmreview.model.form.options)."""
    note: str = ""
    """A short guidance line under the label in the form."""
    scaffold: bool = False
    """`new` writes it: a text as "TODO: <prompt>", a list as `[]` (then `# <prompt>`,
    or `# <example>`)."""
    prompt: str = ""
    """The placeholder's words (a message id), or a list's comment."""
    example: str = ""
    """For a list field: an example entry `new` writes as a comment, as it is (YAML)."""
    translate: bool = True
    """Text (narrative, line, lines) a translation gives in another language; False for
    text that stays as written: a date, an address, a cited document's title."""
    later: bool = False
    """A table's column added after forms went out: the last of its table, and a form
    without it is read all the same (its tables are read by column)."""

    @property
    def translatable(self) -> bool:
        """`gcmreview translate` hands it to translators, and reports show its translation."""
        return self.translate and self.kind in ("narrative", "line", "lines")


@dataclass(frozen=True, eq=False)
class Group:
    """A list of entries (measures, sources…): a table with a header row in the form."""

    key: str
    entry: str
    """What one entry is (measure, source…): its TypedDict in ENTRY_TYPES."""
    caption: str
    columns: tuple[Field, ...]
    """The entry's fields, in the file's key order."""
    every_option: str = ""
    """An option list whose every option gets a row with a tick box (stakeholder groups)."""
    scaffold: bool = False
    prompt: str = ""
    example: str = ""
    """As for a Field: what `new` writes (`[]`, and a comment)."""

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)


@dataclass(frozen=True, eq=False)
class Part:
    """The shape of one mapping of a review: a section, an objective, a reservation."""

    kind: str
    members: tuple[Field | Group, ...]
    """In the file's key order; the form asks the fields first, then the groups."""
    schema: str = ""
    """Its definition in the schema's `$defs` (several parts may share one)."""

    @property
    def fields(self) -> tuple[Field, ...]:
        return tuple(m for m in self.members if isinstance(m, Field))

    @property
    def groups(self) -> tuple[Group, ...]:
        return tuple(m for m in self.members if isinstance(m, Group))

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(m.key for m in self.members)

    @property
    def carried(self) -> bool:
        """It takes a `carried_over` mark of its own (`new --from`)."""
        return any(f.kind == "carried" for f in self.fields)

    def member(self, key: str) -> Field | Group | None:
        return self._members.get(key)

    @cached_property
    def _members(self) -> dict[str, Field | Group]:
        return {m.key: m for m in self.members}


@dataclass(frozen=True, eq=False)
class Section:
    key: str
    shape: Shape
    heading: str = ""
    """The report's and the form's heading (a message id)."""
    part: Part | None = None
    """Its mapping; for keyed and list sections, each entry's."""
    description: str = ""
    """The schema's description of the top-level property (English: the schema's)."""
    required: bool = False
    words: tuple[str, ...] = ()
    """Other headings a free-form review gives it, in any language: recognition
    vocabulary, not titles. A heading equal to one, or starting with one followed by a
    space or punctuation, names the section."""
    strict_words: tuple[str, ...] = ()
    """Single generic words ("Sources"): the section only alone or before punctuation."""
    stems: tuple[str, ...] = ()
    """A heading with a word containing one of these names the section, whatever else
    it says ("pandémie", "كوفيد-19")."""
    form_note: str = ""
    """Guidance under the section's heading in the form."""
    entry_heading: str = ""
    """A list section: the heading of each entry in the form ("Reservation {number}")."""
    example: str = ""
    """A list section: the example entry `new` writes as a comment after `[]`."""
    pattern: str = ""
    """A code section: the schema's pattern of the code."""

    @property
    def anchor(self) -> str:
        """Its id in reports and forms: `policy-environment`."""
        return self.key.replace("_", "-")

    @property
    def plain(self) -> bool:
        """A narrative section with nothing but text, lines, sources and who said it
        (STATED_BY): reports show it the same way as every other such section, in the
        format's order."""
        if self.shape != "single" or self.part is None:
            return False
        kinds = [f.kind for f in self.part.fields]
        return all(g is CITES for g in self.part.groups) and kinds.count("lines") <= 1 \
            and all(f.kind in ("carried", "narrative", "lines") or f.key == "stated_by"
                    for f in self.part.fields)


# --- the parts ------------------------------------------------------------------------------

CARRIED = Field("carried_over", "carried", N_("Carried over from an earlier review"),
                note=N_("Untick the box once you have checked or updated this section."))
"""Only on forms started from an earlier cycle's review (`gcmreview form XX --from YEAR`)."""

CITES = Group("sources", "cite", N_("Sources of this section, one per row (optional)."), (
    Field("source", "code", N_("Source"), note=N_("Its id in the table of sources.")),
    Field("locator", "line", N_("Where in the source"), translate=False),
))
ONE_PER_LINE = N_("One per line.")

COUNTRY = Field("country", "code", N_("Country code"),
                note=N_("Two capital letters (ISO 3166-1), for example MA."))
"""The top-level `country`: the form asks it in the table about the review."""

REVIEW = Part("review", (
    Field("cycle", "year", N_("Review cycle"),
          note=N_("The year of the review, for example 2024.")),
    Field("language", "choice", N_("Language of the answers"), "language"),
    Field("status", "choice", N_("Document status"), "document_status"),
    Field("date", "line", N_("Date of this version"),
          note=N_("As year-month-day, for example 2024-05-31."), translate=False),
    Field("lead_institution", "line", N_("Lead institution"), scaffold=True,
          prompt=N_("the institution leading the review")),
    Field("focal_point", "line", N_("Focal point"),
          note=N_("A role or a unit, not a person's contact details.")),
), schema="review")

METHODOLOGY = Part("methodology", (
    CARRIED,
    Field("summary", "narrative", N_("How the review was prepared"),
          note=N_("Whole-of-government and whole-of-society approaches."), scaffold=True,
          prompt=N_("how the review was prepared (whole-of-government and whole-of-society "
                    "approaches)")),
    Field("coordination", "line", N_("Coordination mechanism")),
    Field("institutions", "lines", N_("Government institutions involved"), note=ONE_PER_LINE,
          scaffold=True, prompt=N_("the government institutions involved")),
    Group("stakeholders", "stakeholder", N_("Stakeholders consulted: tick each group consulted "
                                            "and say who."), (
        Field("group", "choice", N_("Stakeholder group"), "stakeholder"),
        Field("details", "line", N_("Who exactly")),
    ), every_option="stakeholder", scaffold=True,
       example="- {group: civil_society, details: ...}"),
    CITES,
), schema="methodology")

POLICY_ENVIRONMENT = Part("policy_environment", (
    CARRIED,
    Field("summary", "narrative", N_("National policies, laws, strategies and institutional "
                                     "arrangements"),
          scaffold=True,
          prompt=N_("national policies, laws, strategies and coordination mechanisms")),
    Group("instruments", "instrument", N_("Policy instruments, one per row."), (
        Field("title", "line", N_("Title")),
        Field("kind", "choice", N_("Kind"), "instrument_kind"),
        Field("year", "year", N_("Year")),
        Field("status", "choice", N_("Status"), "instrument_status"),
    ), scaffold=True, example="- {title: ..., kind: strategy, year: 2020, status: adopted}"),
    CITES,
), schema="policy_environment")

STATED_BY = Field("stated_by", "line", N_("Statement made by"),
                  note=N_("Only when the statement is not the State's own, for example a UN "
                          "agency's."))
"""Who spoke, when a partner did and not the State (an IOM office at a workshop): the
response is quoted as the partner's and not counted as the State's."""

OBJECTIVE = Part("objective", (
    CARRIED,
    Field("status", "choice", N_("Status"), "status",
          note=N_("Tick one box; tick none if the review states no status."), scaffold=True),
    STATED_BY,
    Field("summary", "narrative", N_("Progress on this objective"),
          scaffold=True, prompt=N_("progress on objective {number}")),
    Field("justification", "narrative", N_("Why the objective does not apply"),
          note=N_("Only when the status is “Not applicable”.")),
    Group("measures", "measure", N_("Measures taken, one per row."), (
        Field("title", "line", N_("Measure")),
        Field("year", "year", N_("Year")),
        Field("description", "narrative", N_("Description")),
    ), scaffold=True, example="- {title: ..., year: 2020, description: ...}"),
    Group("good_practices", "practice", N_("Good practices, one per row."), (
        Field("title", "line", N_("Good practice")),
        Field("description", "narrative", N_("Description")),
    ), scaffold=True),
    Field("challenges", "lines", N_("Challenges and gaps"), note=ONE_PER_LINE, scaffold=True),
    Field("partners", "lines", N_("Partners in implementation"), note=ONE_PER_LINE,
          scaffold=True),
    Field("principles", "choices", N_("Guiding principles applied"), "principle",
          note=N_("Tick every one that applies."), scaffold=True,
          prompt=N_("the guiding principles this response addresses")),
    CITES,
), schema="objective")

PRINCIPLE = Part("principle", (
    CARRIED,
    Field("summary", "narrative", N_("How the review addresses this principle"),
          scaffold=True, prompt=N_("how the review addresses this principle")),
    CITES,
), schema="principle")

COVID19 = Part("covid19", (
    CARRIED,
    STATED_BY,
    Field("summary", "narrative", N_("Impact on migrants and on implementation, and the "
                                     "response"),
          scaffold=True, prompt=N_("the impact of COVID-19 on migrants and on the implementation "
                                   "of the Compact")),
    CITES,
), schema="section")

MEANS_OF_IMPLEMENTATION = Part("means_of_implementation", (
    CARRIED,
    STATED_BY,
    Field("summary", "narrative", N_("Resources, partnerships and capacity building"),
          scaffold=True, prompt=N_("resources, partnerships and capacity-building needs")),
    Field("support_needed", "lines", N_("Support needed"), note=ONE_PER_LINE),
    CITES,
), schema="means_of_implementation")

NEXT_STEPS = Part("next_steps", (
    CARRIED,
    STATED_BY,
    Field("summary", "narrative", N_("What comes next, up to the next review"),
          scaffold=True, prompt=N_("the actions planned up to the next review")),
    Field("actions", "lines", N_("Planned actions"), note=ONE_PER_LINE),
    CITES,
), schema="next_steps")

RESERVATION = Part("reservation", (
    Field("summary", "narrative", N_("The reservation")),
    Field("objectives", "numbers", N_("Objectives concerned"),
          note=N_("Their numbers, for example 12, 14.")),
    CITES,
), schema="reservation")

SOURCES = Part("sources", (
    Group("sources", "source", N_("Documents the review cites, one per row. Other sections "
                                  "cite them by their id."), (
        Field("id", "code", N_("ID"), note=N_("Short: lower-case letters, digits and hyphens, "
                                              "for example report-2024.")),
        Field("title", "line", N_("Title"), translate=False),
        Field("date", "line", N_("Date"), translate=False),
        Field("url", "line", N_("Web address"), translate=False),
        Field("short_title", "line", N_("Short title"), translate=False, later=True,
              note=N_("For the notes that cite it again, for example Workshop report "
                      "(2020).")),
    )),
), schema="source")
"""The top-level list of sources, as the form asks it: one table."""


# --- the sections, in the file's order ------------------------------------------------------

SECTIONS: tuple[Section, ...] = (
    Section("country", "code", required=True, pattern="^[A-Z]{2}$",
            description="ISO 3166-1 alpha-2 code of the reviewing State, in capitals; it "
                        "matches the file name (MA for countries/MA.yaml)."),
    Section("review", "meta", N_("About the review"), REVIEW, required=True, words=(
        "About the review", "About this review", "À propos de l'examen",
        "À propos du présent examen", "Acerca del examen", "عن الاستعراض", "حول الاستعراض",
    )),
    Section("methodology", "single", N_("Methodology"), METHODOLOGY, words=(
        "Methodology", "Methodology for the review", "Review methodology",
        "Méthodologie", "Méthodologie de l'examen", "Metodología",
        "المنهجية", "منهجية", "منهجية إعداد الاستعراض",
    )),
    Section("policy_environment", "single", N_("Policy and enabling environment"),
            POLICY_ENVIRONMENT, words=(
                "Policy and enabling environment", "Policy environment", "Enabling environment",
                "Environnement politique et favorable", "Environnement politique",
                "Cadre politique", "Environnement favorable", "Marco normativo",
                "البيئة السياساتية والتمكينية", "البيئة السياساتية", "السياسات والبيئة التمكينية",
                "البيئة التمكينية",
            )),
    Section("objectives", "objectives", N_("Progress on the objectives"), OBJECTIVE,
            required=True,
            description="Progress per GCM objective, keyed by the objective number (1 to 23). "
                        "Leave out an objective the review does not cover.",
            words=(
                "Progress on the objectives", "Progress on objectives",
                "Progress towards the objectives", "Progress in implementing the objectives",
                "Implementation of the objectives", "Progrès réalisés", "Progrès accomplis",
                "Mise en œuvre des objectifs", "Progresos en los objetivos", "التقدم المحرز",
                "التقدم المحرز في تنفيذ الأهداف", "تنفيذ الأهداف",
            ),
            strict_words=("Objectives", "GCM objectives", "Objectifs", "Objectifs du PMM",
                          "Objetivos", "الأهداف", "أهداف الاتفاق العالمي")),
    Section("principles", "principles", N_("Guiding principles"), PRINCIPLE,
            description="How the review addresses each guiding principle (A/RES/73/195, "
                        "paragraph 15), keyed by its slug.",
            words=("Guiding principles", "Principes directeurs", "Principios rectores",
                   "المبادئ التوجيهية"),
            strict_words=("Principles", "Principes", "Principios", "المبادئ")),
    Section("covid19", "single", N_("COVID-19"), COVID19,
            description="Impact of the COVID-19 pandemic on migrants and on the implementation "
                        "of the GCM, and the response.",
            # "pandemic", "pandémie", "COVID-19", "كوفيد-19", "بالجائحة" (as normalised)
            stems=("covid", "coronavirus", "pandemi", "كوفيد", "كورونا", "جايحه")),
    Section("means_of_implementation", "single", N_("Means of implementation"),
            MEANS_OF_IMPLEMENTATION, words=(
                "Means of implementation", "Moyens de mise en œuvre", "Medios de implementación",
                "وسائل التنفيذ",
            )),
    Section("next_steps", "single", N_("Next steps"), NEXT_STEPS, words=(
        "Next steps", "Way forward", "The way forward", "Prochaines étapes", "Étapes suivantes",
        "Próximos pasos", "الخطوات التالية", "الخطوات المقبلة",
    )),
    Section("reservations", "list", N_("Reservations"), RESERVATION,
            description="Reservations the State holds on the GCM, as it reports them.",
            words=("Reservations", "Réserves", "Reservas", "التحفظات"),
            form_note=N_("Only if the State holds reservations on the Compact. To add one, "
                         "copy the last reservation (its heading and tables) and number it."),
            entry_heading=N_("Reservation {number}"),
            example="- {summary: ..., objectives: [...]}"),
    Section("sources", "sources", N_("Sources"), SOURCES,
            description="Documents the review's statements come from; other entries cite "
                        "them by id.",
            strict_words=("Sources", "References", "Références", "Bibliography",
                          "Bibliographie", "Fuentes", "Referencias", "المصادر", "المراجع",
                          "Sources and references", "Sources et références",
                          "المصادر والمراجع"),
            example='- {id: report-2024, title: ..., date: "2024-05-01"}'),
)


# --- what the other modules ask of it -------------------------------------------------------
# Read at call time, not import time, so that a test can add a section; what is derived
# is cached per tuple of sections (hashed by identity: cheap).

def sections() -> tuple[Section, ...]:
    return SECTIONS


def section(key: str) -> Section:
    return _by_key(SECTIONS)[key]


@cache
def _by_key(sections: tuple[Section, ...]) -> dict[str, Section]:
    return {s.key: s for s in sections}


def of_shape(*shapes: Shape) -> tuple[Section, ...]:
    return _of_shape(SECTIONS, shapes)


@cache
def _of_shape(sections: tuple[Section, ...], shapes: tuple[Shape, ...]) -> tuple[Section, ...]:
    return tuple(s for s in sections if s.shape in shapes)


def every_field() -> tuple[Field, ...]:
    """Every field of the format, group columns included (repeats as the format does)."""
    return _every_field(SECTIONS)


@cache
def _every_field(sections: tuple[Section, ...]) -> tuple[Field, ...]:
    found: list[Field] = [COUNTRY]
    for s in sections:
        for member in s.part.members if s.part else ():
            found += member.columns if isinstance(member, Group) else (member,)
    return tuple(found)


def keys_of_kind(*kinds: FieldKind) -> frozenset[str]:
    return _keys_of_kind(SECTIONS, kinds)


@cache
def _keys_of_kind(sections: tuple[Section, ...], kinds: tuple[FieldKind, ...]) -> frozenset[str]:
    return frozenset(f.key for f in _every_field(sections) if f.kind in kinds)


def narrative_keys() -> frozenset[str]:
    """The keys whose values are narratives (Markdown), wherever they stand."""
    return keys_of_kind("narrative")


def list_keys() -> frozenset[str]:
    """Keys holding a short list of codes or numbers, written on one line: `[2, 5]`."""
    return keys_of_kind("choices", "numbers")


def part_at(path: tuple[str | int, ...]) -> Part | Group | None:
    """What describes the mapping at `path` in review data: a part, or the group whose
    entry it is (`("objectives", 7, "measures", 0)`: the measures). None for the top
    level and for the mappings keyed by objective number or principle slug."""
    if not path:
        return None
    found = _by_key(SECTIONS).get(str(path[0]))
    if found is None or found.part is None:
        return None
    keyed = found.shape in ("objectives", "principles", "list", "sources")
    if keyed and len(path) == 1:
        return None
    if found.shape == "sources":
        return found.part.groups[0] if len(path) == 2 else None
    rest = path[2:] if keyed else path[1:]
    at: Part | Group = found.part
    while rest:
        member = at.member(str(rest[0])) if isinstance(at, Part) else None
        if not isinstance(member, Group) or len(rest) < 2:
            return None
        at, rest = member, rest[2:]
    return at


def key_order(path: tuple[str | int, ...]) -> tuple[str, ...] | None:
    """The order of the keys of the mapping at `path` (the file's, the schema's and
    `new`'s); None where keys are objective numbers or principle slugs."""
    if not path:
        return tuple(s.key for s in SECTIONS)
    at = part_at(path)
    return at.keys if at is not None else None


def carried_sections() -> tuple[Section, ...]:
    """The sections whose mapping (or every entry) takes a `carried_over` mark."""
    return _carried(SECTIONS)


@cache
def _carried(sections: tuple[Section, ...]) -> tuple[Section, ...]:
    return tuple(s for s in sections if s.part is not None and s.part.carried)


# --- the same shape, for type checkers --------------------------------------------------------

class Cite(TypedDict):
    source: str
    locator: NotRequired[str]


class SourceEntry(TypedDict):
    id: str
    title: str
    date: NotRequired[str]
    url: NotRequired[str]
    short_title: NotRequired[str]


class ReviewMeta(TypedDict):
    cycle: int
    language: str
    status: str
    date: NotRequired[str]
    lead_institution: NotRequired[str]
    focal_point: NotRequired[str]


class Stakeholder(TypedDict):
    group: str
    details: NotRequired[str]


class Instrument(TypedDict):
    title: str
    kind: NotRequired[str]
    year: NotRequired[int]
    status: NotRequired[str]


class Measure(TypedDict):
    title: str
    year: NotRequired[int]
    description: NotRequired[str]


class Practice(TypedDict):
    title: str
    description: NotRequired[str]


class Methodology(TypedDict):
    carried_over: NotRequired[int]
    summary: str
    coordination: NotRequired[str]
    institutions: NotRequired[list[str]]
    stakeholders: NotRequired[list[Stakeholder]]
    sources: NotRequired[list[Cite]]


class PolicyEnvironment(TypedDict):
    carried_over: NotRequired[int]
    summary: str
    instruments: NotRequired[list[Instrument]]
    sources: NotRequired[list[Cite]]


class ObjectiveEntry(TypedDict):
    carried_over: NotRequired[int]
    status: NotRequired[str]
    stated_by: NotRequired[str]
    summary: str
    justification: NotRequired[str]
    measures: NotRequired[list[Measure]]
    good_practices: NotRequired[list[Practice]]
    challenges: NotRequired[list[str]]
    partners: NotRequired[list[str]]
    principles: NotRequired[list[str]]
    sources: NotRequired[list[Cite]]


class PrincipleEntry(TypedDict):
    carried_over: NotRequired[int]
    summary: str
    sources: NotRequired[list[Cite]]


class Covid19(TypedDict):
    carried_over: NotRequired[int]
    stated_by: NotRequired[str]
    summary: str
    sources: NotRequired[list[Cite]]


class MeansOfImplementation(TypedDict):
    carried_over: NotRequired[int]
    stated_by: NotRequired[str]
    summary: str
    support_needed: NotRequired[list[str]]
    sources: NotRequired[list[Cite]]


class NextSteps(TypedDict):
    carried_over: NotRequired[int]
    stated_by: NotRequired[str]
    summary: str
    actions: NotRequired[list[str]]
    sources: NotRequired[list[Cite]]


class Reservation(TypedDict):
    summary: str
    objectives: NotRequired[list[int]]
    sources: NotRequired[list[Cite]]


class Review(TypedDict):
    country: str
    review: ReviewMeta
    methodology: NotRequired[Methodology]
    policy_environment: NotRequired[PolicyEnvironment]
    objectives: dict[int, ObjectiveEntry]
    principles: NotRequired[dict[str, PrincipleEntry]]
    covid19: NotRequired[Covid19]
    means_of_implementation: NotRequired[MeansOfImplementation]
    next_steps: NotRequired[NextSteps]
    reservations: NotRequired[list[Reservation]]
    sources: NotRequired[list[SourceEntry]]
"""A valid review file, as loaded. Data not yet validated is `dict[str, Any]`."""

ENTRY_TYPES: dict[str, Any] = {
    "review": ReviewMeta, "methodology": Methodology, "policy_environment": PolicyEnvironment,
    "objective": ObjectiveEntry, "principle": PrincipleEntry, "covid19": Covid19,
    "means_of_implementation": MeansOfImplementation, "next_steps": NextSteps,
    "reservation": Reservation, "cite": Cite, "source": SourceEntry, "stakeholder": Stakeholder,
    "instrument": Instrument, "measure": Measure, "practice": Practice,
}
"""Part (or group entry) -> its TypedDict: tests/test_format.py checks they agree."""
