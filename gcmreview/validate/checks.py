"""Validate review files: schema, domain rules and coverage, every problem in one run.

Each check adds positioned diagnostics to a sink; nothing here prints. The rule
codes are stable (docs/format.md lists them) because CI annotations, SARIF and
users' scripts key on them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

from gcmreview.core import countries, format, narrative, status
from gcmreview.core.diagnostics import (
    Diagnostic,
    DiagnosticSink,
    Fix,
    Severity,
    ValueFix,
)
from gcmreview.core.i18n import _, join, language, letter_ranges, number_ranges
from gcmreview.core.text import acronyms_in
from gcmreview.load.catalogue import Catalogue
from gcmreview.load.explain import (
    INVISIBLE,
    NO_BREAK_SPACES,
    char_name,
    straight_quoted,
    unquoted_smart,
    without_invisible,
)
from gcmreview.load.loader import LoadedFile, YamlMap, plain_style, position_of
from gcmreview.validate.coverage import PLACEHOLDER, compute, has_text
from gcmreview.validate.results import FileResult
from gcmreview.validate.schema import (
    MAX_SCHEMA_ERRORS,
    SchemaChecker,
    SchemaProblem,
    describe_error,
    did_you_mean,
    review_schema,
    where,
)

if TYPE_CHECKING:
    from gcmreview.validate.translations import Spec

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ZERO_WIDTH = frozenset("\ufeff\u200b")
"""Invisible characters no text means: a byte-order mark, a zero-width space."""
_UNSEEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff\u200b]")
"""Either: one pass over every text finds both (most texts have neither)."""


def smart_quotes_hint(text: str, inner: str) -> str:
    """Straight quotes instead; « » may belong to the text, then inside straight quotes."""
    hint = _("write it with straight quotes: \"{text}\"").format(text=inner)
    if text.strip().startswith("\u00ab"):
        hint += "\n" + _("if the « » belong to the text, put the whole value in straight "
                         "quotes: {text}").format(text=straight_quoted(text.strip()))
    return hint
LATIN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
"""Arabic-Indic and Eastern Arabic-Indic digits, as the digits 0 to 9."""


@dataclass(frozen=True)
class Options:
    strict: bool = False
    min_coverage: float | None = None
    """Minimum share of objectives covered, in percent; below it is an error."""
    participants: tuple[str, ...] | None = None
    cycle: int | None = None
    """The workspace's review cycle, when validating inside a workspace."""
    report_missing: bool = False
    """List participating States without a file (only when checking the whole workspace)."""
    translations: Spec | None = None
    """Check the review's translations (in a workspace): which are missing or stale."""
    acronyms: frozenset[str] | None = None
    """The acronyms the workspace spells out (`acronyms:` in gcmreview.yaml); None outside
    a workspace, where no acronym is checked."""
    warnings: bool = True
    """False: a check that can only warn may be left out, when only whether the file is
    valid is asked (`translate`, which shows no finding; a third of the time of checking
    a review is its coverage and what its narratives hold that a report will not show)."""

    @property
    def valid_only(self) -> bool:
        """Only whether the file is valid is asked: no warning can make it invalid."""
        return not (self.warnings or self.strict)


@cache
def _checker(catalogue: Catalogue, sections: tuple[format.Section, ...]) -> SchemaChecker:
    """One per catalogue and format (the schema's top level comes from the format)."""
    return SchemaChecker(review_schema(catalogue))


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every scalar of a loaded file with its path, in the file's order (a walk with a
    stack of its own: nested generators would pass each value up through every level)."""
    if not isinstance(node, dict | list):
        yield path, node
        return
    stack: list[tuple[tuple[Any, ...], Iterator[tuple[Any, Any]]]] = [
        (path, iter(node.items()) if isinstance(node, dict) else enumerate(node))]
    while stack:
        base, items = stack[-1]
        for key, value in items:
            if isinstance(value, dict):
                stack.append(((*base, key), iter(value.items())))
                break
            if isinstance(value, list):
                stack.append(((*base, key), enumerate(value)))
                break
            yield (*base, key), value
        else:
            stack.pop()


def _strings(node: Any) -> Iterator[tuple[tuple[Any, ...], str]]:
    return ((path, value) for path, value in _leaves(node) if isinstance(value, str))


class ReviewChecker:
    """Runs every rule on one loaded file and fills its diagnostics."""

    def __init__(self, loaded: LoadedFile, catalogue: Catalogue, options: Options,
                 data: YamlMap | None = None) -> None:
        self.data: YamlMap = data if data is not None else loaded.data  # type: ignore[assignment]
        self.path = loaded.path
        self.catalogue = catalogue
        self.options = options
        self.sink = DiagnosticSink(loaded.shown_as)

    def at(self, *path: Any, key: bool = False) -> Any:
        return position_of(self.data, path, key=key)

    def run(self) -> list[Diagnostic]:
        self.check_schema()
        self.check_date()
        self.check_whole_numbers()
        self.check_cycle()
        self.check_country()
        self.check_objective_keys()
        self.check_principle_keys()
        self.check_objectives()
        self.check_carried_sections()
        self.check_strings()
        return self.sink.items

    def check_schema(self) -> None:
        errors = _checker(self.catalogue, format.sections()).errors(self.data)
        if len(errors) >= MAX_SCHEMA_ERRORS:
            self.sink.error(self.data.pos, "too-many-problems",
                            _("more than {count} problems with the format; the first {count} "
                              "are listed").format(count=MAX_SCHEMA_ERRORS),
                            _("fix these and run validate again"))
        problems = [(p, err.instance) for err in errors if "propertyNames" not in err.schema_path
                    for p in describe_error(err)]
        # A key typed with an invisible character (`\u200fstatus`) is also a key missing:
        # one message, about the invisible character, says it all.
        hidden = {(tuple(p.path[:-1]), without_invisible(str(p.path[-1])))
                  for p, _value in problems if p.at_key and p.path
                  and any(ch in INVISIBLE for ch in str(p.path[-1]))}
        for problem, value in problems:
            if (tuple(problem.path), problem.missing) in hidden:
                continue
            found = self.plain_words(problem, value)
            self.sink.error(self.at(*problem.path, key=problem.at_key), *found)

    def plain_words(self, problem: SchemaProblem, value: Any
                    ) -> tuple[str, str, str | None, Fix | None]:
        """What people really got wrong, when a format problem is one of the usual
        ones: text pasted from Word, a status or a country typed in words; with the
        change `validate --fix` may make, when there is one."""
        text = problem.path[-1] if problem.at_key and problem.path else value
        place = where(problem.path)
        path = tuple(problem.path)
        if isinstance(text, str):
            hidden = next((ch for ch in text if ch in INVISIBLE), None)
            marks = "".join(sorted({ch for ch in text if ch in INVISIBLE}))
            if hidden and problem.at_key:
                return ("invisible-character",
                        _("the key `{key}` in {place} starts with an invisible character, "
                          "{name}, which Word or an Arabic keyboard adds").format(
                              key=without_invisible(text), place=where(problem.path[:-1]),
                              name=char_name(hidden)),
                        _("delete it, so that it reads `{text}`").format(
                            text=without_invisible(text)),
                        ValueFix(path, without_invisible(text), key=True, edit="drop",
                                 drop=marks))
            if hidden:  # a code, or the format would not have refused it: nothing to keep
                return ("invisible-character",
                        _("{place} holds an invisible character, {name}, which Word or an "
                          "Arabic keyboard adds").format(place=place, name=char_name(hidden)),
                        _("delete it, so that it reads `{text}`").format(
                            text=without_invisible(text)),
                        ValueFix(path, without_invisible(text), edit="drop", drop=marks))
            space = next((ch for ch in text if ch in NO_BREAK_SPACES), None)
            if space and (problem.at_key or problem.code == "invalid-value"):
                return ("no-break-space",
                        _("{place} holds a no-break space ({name}), which Word puts before "
                          "colons; YAML needs an ordinary space").format(
                              place=place, name=char_name(space)),
                        _("type an ordinary space instead"), None)
            inner = unquoted_smart(text)
            if inner is not None and not problem.at_key:
                return ("smart-quotes",
                        _("{place} is wrapped in typographic quotes “…” (from Word); YAML "
                          "only understands straight quotes").format(place=place),
                        _("write it with straight quotes: \"{text}\"").format(text=inner),
                        ValueFix(path, inner, edit="quotes")
                        if plain_style(self.data, path) else None)
            if problem.path[-1:] == ["status"] and problem.path[:1] == ["objectives"]:
                meant = status.suggest(text)
                if meant:
                    return ("invalid-value",
                            _("{place} is “{text}”: a status is written as one of the codes "
                              "of the format, in English").format(place=place, text=text),
                            _("for “{text}”, write `status: {code}`").format(text=text,
                                                                              code=meant),
                            ValueFix(path, meant))
            if problem.path == ["country"]:
                code = countries.code_for_name(text)
                if code:
                    return ("unknown-country",
                            _("`country` is the name “{text}”; the format asks for the "
                              "State's two-letter code").format(text=text),
                            _("write `country: {code}`").format(code=code),
                            ValueFix(path, code))
        return problem.code, problem.message, problem.hint, None

    def check_whole_numbers(self) -> None:
        """JSON Schema counts 2020.0 as an integer; a year written so is still a typo."""
        review = self.data.get("review")
        if isinstance(review, dict) and isinstance(review.get("cycle"), float):
            self.sink.error(self.at("review", "cycle"), "wrong-type",
                            _("`review.cycle` must be a whole number, not {value}").format(
                                value=review["cycle"]),
                            _("write {value}").format(value=int(review["cycle"])))
        for path, value in _leaves(self.data):
            if isinstance(value, float) and path and path[-1] == "year":
                self.sink.error(self.at(*path), "wrong-type",
                                _("{place} must be a whole number, not {value}").format(
                                    place=where(path), value=value),
                                _("write {value}").format(value=int(value)))

    def check_cycle(self) -> None:
        review = self.data.get("review")
        cycle = review.get("cycle") if isinstance(review, dict) else None
        expected = self.options.cycle
        if isinstance(cycle, int) and expected is not None and cycle != expected:
            self.sink.warning(self.at("review", "cycle"), "cycle-mismatch",
                              _("the review is for the {cycle} cycle, but the workspace is "
                                "for {expected}").format(cycle=cycle, expected=expected),
                              _("check `review.cycle`, or the file belongs to another "
                                "workspace"))

    def check_date(self) -> None:
        review = self.data.get("review")
        value = review.get("date") if isinstance(review, dict) else None
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            try:
                date.fromisoformat(value)
            except ValueError:
                self.sink.error(self.at("review", "date"), "invalid-value",
                                _("`review.date` is {value}, which is not a day of the "
                                  "calendar").format(value=value),
                                _("write a real date as YYYY-MM-DD, for example 2024-02-29"))

    def check_country(self) -> None:
        code = self.data.get("country")
        if not isinstance(code, str) or not re.fullmatch(r"[A-Z]{2}", code):
            return  # the format check, which suggests the code for a name, says it
        place = self.at("country")
        if not countries.is_country_code(code):
            fix = countries.COMMON_MISTAKES.get(code)
            self.sink.error(place, "unknown-country",
                            _("{code} is not an ISO 3166-1 country code").format(code=code),
                            _("write {fix}").format(fix=fix) if fix else
                            _("look the code up in ISO 3166-1 (Morocco is MA, Lebanon is LB)"))
        if self.path.stem != code:
            self.sink.error(place, "country-mismatch",
                            _("the file is named {name}, but it says it is the review of "
                              "{code}").format(name=self.path.name, code=code),
                            _("name the file {code}.yaml, or correct `country`").format(
                                code=code))
        participants = self.options.participants
        if participants is not None and code not in participants:
            self.sink.warning(place, "not-a-participant",
                              _("{code} is not among the States taking part in this review "
                                "(gcmreview.yaml)").format(code=code),
                              _("if it takes part, ask the secretariat to add it to "
                                "`participants` in gcmreview.yaml"))

    def check_objective_keys(self) -> None:
        objectives = self.data.get("objectives")
        if not isinstance(objectives, dict):
            return
        numbers = self.catalogue.objectives
        for key in objectives:
            if isinstance(key, int) and not isinstance(key, bool) and key in numbers:
                continue
            place = self.at("objectives", key, key=True)
            if isinstance(key, str) and key.strip().isdigit() and not key.strip().isascii():
                latin = key.strip().translate(LATIN_DIGITS)
                self.sink.error(place, "non-latin-digits",
                                _("the objective number {key} is written with Arabic-Indic "
                                  "digits; objective numbers use the digits 0 to 9").format(
                                      key=key),
                                _("write {number}:").format(number=latin),
                                ValueFix(("objectives", key), int(latin), key=True))
                continue
            if isinstance(key, str) and key.strip().isdigit() and int(key) in numbers:
                self.sink.error(place, "objective-key-quoted",
                                _("the objective number {key} is written in quotes, as text; "
                                  "objective keys are plain numbers").format(key=key),
                                _("remove the quotes: {number}:").format(number=int(key)))
                continue
            self.sink.error(place, "unknown-objective",
                            _("{key} is not a GCM objective; objectives are numbered {first} to "
                              "{last}").format(key=key, first=min(numbers), last=max(numbers)),
                            _("use the objective's number as the key, for example 7:"))

    def check_principle_keys(self) -> None:
        principles = self.data.get("principles")
        if not isinstance(principles, dict):
            return
        slugs = list(self.catalogue.principles)
        for key in principles:
            if isinstance(principles[key], dict) and key in self.catalogue.principles:
                self.check_carried_over(("principles", key), principles[key],
                                        _("the guiding principle {slug}").format(slug=key))
            if key not in self.catalogue.principles:
                self.sink.error(self.at("principles", key, key=True), "unknown-principle",
                                _("`{key}` is not a guiding principle").format(key=key)
                                + did_you_mean(key, slugs),
                                _("the guiding principles: {slugs}").format(slugs=join(slugs)))

    def check_objectives(self) -> None:
        objectives = self.data.get("objectives")
        if not isinstance(objectives, dict):
            return
        for key, entry in objectives.items():
            if not isinstance(entry, dict):
                continue
            self.check_carried_over(("objectives", key), entry,
                                    _("objective {number}").format(number=key))
            if "status" not in entry and has_text(entry.get("summary")):
                self.sink.warning(self.at("objectives", key), "status-not-stated",
                                  _("objective {number} has no status: reports show it as "
                                    "“not stated”").format(number=key),
                                  _("if the review states one, add `status:` with one of "
                                    "{codes}").format(codes=join(list(status.CODES))))
            if entry.get("status") == "not_applicable" and not has_text(entry.get("justification")):
                self.sink.error(self.at("objectives", key, "status"), "missing-justification",
                                _("objective {number} is marked not_applicable without saying "
                                  "why").format(number=key),
                                _("add `justification:` saying why the objective does not "
                                  "apply"))
        for section in format.of_shape("list"):
            numbered = [f.key for f in section.part.fields if f.kind == "numbers"] \
                if section.part else []
            entries = self.data.get(section.key)
            for i, entry in enumerate(entries if isinstance(entries, list) else []):
                for key in numbered:
                    numbers = entry.get(key) if isinstance(entry, dict) else None
                    for j, number in enumerate(numbers if isinstance(numbers, list) else []):
                        if isinstance(number, int) and number not in self.catalogue.objectives:
                            self.sink.error(self.at(section.key, i, key, j),
                                            "unknown-objective",
                                            _("{number} is not a GCM objective").format(
                                                number=number))

    def check_carried_sections(self) -> None:
        for section in format.carried_sections():
            if section.shape == "single" and isinstance(self.data.get(section.key), dict):
                self.check_carried_over((section.key,), self.data[section.key],
                                        _("the section `{key}`").format(key=section.key))

    def check_carried_over(self, path: tuple[str | int, ...], entry: dict[str, Any],
                           what: str) -> None:
        year = entry.get("carried_over")
        if not isinstance(year, int) or isinstance(year, bool):
            return  # the format check says what a year looks like
        cycle = (self.data.get("review") or {}).get("cycle")
        if isinstance(cycle, int) and not isinstance(cycle, bool) and year >= cycle:
            self.sink.error(self.at(*path, "carried_over"), "invalid-value",
                            _("{what} is marked as carried over from the {year} review, but "
                              "this review is of the {cycle} cycle").format(
                                  what=what, year=year, cycle=cycle),
                            _("write the year of the earlier review it comes from, or delete "
                              "`carried_over`"))
        else:
            self.sink.warning(self.at(*path, "carried_over"), "carried-over",
                              _("{what} is carried over from the {year} review and not checked "
                                "yet").format(what=what, year=year),
                              _("check it and update it for this cycle, then delete "
                                "`carried_over: {year}`").format(year=year))

    def check_strings(self) -> None:
        """One walk over every text: placeholders, narratives, citations, Word's quotes.

        Positions are looked up only for problems: most files have none.
        """
        ids = self.source_ids()
        narratives = format.narrative_keys()
        read = format.keys_of_kind("narrative", "line", "lines")
        spelled = self.options.acronyms
        seen: set[str] = set()
        for path, text in _strings(self.data):
            if spelled is not None and (path[-1] in read or (
                    isinstance(path[-1], int) and len(path) > 1 and path[-2] in read)):
                self.check_acronyms(path, text, spelled, seen)
            last = path[-1]
            unseen = _UNSEEN.search(text) is not None
            if unseen and _CONTROL.search(text):
                self.sink.error(self.at(*path), "control-character",
                                _("the text holds a control character (such as an escaped "
                                  "\\x00 or \\e), which reports cannot show"),
                                _("remove it; line breaks and tabs are fine"))
            if PLACEHOLDER.match(text):
                self.sink.error(self.at(*path), "placeholder",
                                _("this is still the placeholder text of the file gcmreview "
                                  "wrote for you"),
                                _("replace the TODO text with the review's own text, or "
                                  "remove the entry"))
                continue
            inner = unquoted_smart(text)
            if inner is not None and plain_style(self.data, path) and not any(
                    d.position == self.at(*path) and d.code == "smart-quotes"
                    for d in self.sink.items):
                self.sink.error(self.at(*path), "smart-quotes",
                                _("{place} is wrapped in typographic quotes “…” (from Word), "
                                  "which YAML does not read as quotes: they become part of "
                                  "the text").format(place=where(path)),
                                smart_quotes_hint(text, inner),
                                ValueFix(path, inner, edit="quotes"))
            if unseen and ("\ufeff" in text or "\u200b" in text):
                self.check_zero_width(path, text)
            if last in narratives:
                self.check_narrative(path, text)
            elif last == "source" and len(path) >= 3 and path[-3] == "sources" \
                    and path[0] != "sources" and text not in ids:
                self.sink.error(self.at(*path), "unknown-source",
                                _("the source `{id}` is not defined").format(id=text)
                                + did_you_mean(text, ids),
                                _("add it to the `sources:` list at the end of the file, or "
                                  "correct the id"))

    def check_acronyms(self, path: tuple[Any, ...], text: str, spelled: frozenset[str],
                       seen: set[str]) -> None:
        """Every acronym a text uses is spelled out in the workspace (reports list them):
        said once per file, where it is first used."""
        for acronym in acronyms_in([text]):
            if acronym in spelled or acronym in seen:
                continue
            seen.add(acronym)
            self.sink.warning(self.at(*path), "acronym-undefined",
                              _("{place} uses the acronym {acronym}, which gcmreview.yaml does "
                                "not spell out").format(place=where(path), acronym=acronym),
                              _("add it under `acronyms:` in gcmreview.yaml with what it stands "
                                "for in each language, for example {acronym}: {{fr: …}}").format(
                                    acronym=acronym))

    def check_zero_width(self, path: tuple[Any, ...], text: str) -> None:
        """A byte-order mark or a zero-width space inside a text: pasted with it, shown as
        nothing, never meant (the direction marks of Arabic text may be, and stay)."""
        if any(d.position == self.at(*path) and d.code == "invisible-character"
               for d in self.sink.items):
            return  # the format check said it already
        marks = "".join(sorted({ch for ch in text if ch in ZERO_WIDTH}))
        self.sink.warning(self.at(*path), "invisible-character",
                          _("{place} holds an invisible character, {name}, which shows as "
                            "nothing and was pasted with the text").format(
                              place=where(path), name=char_name(marks[0])),
                          _("delete it"),
                          ValueFix(path, "".join(ch for ch in text if ch not in ZERO_WIDTH),
                                   edit="drop", drop=marks))

    def check_narrative(self, path: tuple[Any, ...], text: str) -> None:
        if not text.strip():
            if not (path[-1] == "summary" and path[0] in ("objectives", "principles")
                    and len(path) == 3):
                self.sink.warning(self.at(*path), "empty-narrative",
                                  _("{place} is empty").format(place=where(path)),
                                  _("write the text, or remove the entry"))
            return
        limit = narrative.excess(text)
        if limit is not None:
            place = where(path)
            message, hint = {
                "marks": (_("{place} stacks {count} combining marks (accents, vowel signs) "
                            "on one letter; a report allows {most}"),
                          _("remove the repeated marks")),
                "emphasis": (_("{place} nests emphasis (* and _) {depth} levels deep; a "
                               "report allows {most}"), _("write it with fewer nested * and _")),
                "containers": (_("{place} nests quotes and lists {depth} levels deep; a report "
                                 "allows {most}"),
                               _("write it with fewer nested > quote marks and lists")),
                "brackets": (_("{place} nests brackets {depth} levels deep; a report allows "
                               "{most}"), _("write it with fewer nested [ ]")),
                "note": (_("{place} has a footnote whose text calls a footnote: a report "
                           "cannot be built from it"),
                         _("write the note's text without [^…] in it")),
            }[limit.kind]
            self.sink.error(self.at(*path), limit.code, message.format(
                place=place, count=limit.found, depth=limit.found, most=limit.most), hint)
            return
        if self.options.valid_only:
            return
        for construct in narrative.findings(text):
            self.sink.warning(self.at(*path), construct.code or "", _(construct.message),
                              _(construct.hint) if construct.hint else None)

    def source_ids(self) -> list[str]:
        sources = self.data.get("sources")
        ids: list[str] = []
        for i, source in enumerate(sources if isinstance(sources, list) else []):
            sid = source.get("id") if isinstance(source, dict) else None
            if isinstance(sid, str):
                if sid in ids:
                    self.sink.error(self.at("sources", i, "id"), "duplicate-source",
                                    _("the source id `{id}` is used twice").format(id=sid),
                                    _("give each source its own id"))
                ids.append(sid)
        return ids


FEW_PRINCIPLES = 3
"""Up to this many guiding principles missing, a message names them; more, it gives their
letters, as ranges (`(a)–(j)`), as it gives objectives' numbers."""


def _principles_words(slugs: tuple[str, ...], catalogue: Catalogue | None) -> str:
    """Guiding principles as readers know them, in the user's language: “(b) Coopération
    internationale” (their keys are the file's words, given in the hint)."""
    if catalogue is None or not all(s in catalogue.principles for s in slugs):
        return join(list(slugs))
    if len(slugs) <= FEW_PRINCIPLES:
        return join([catalogue.principle(s).label(language()) for s in slugs])
    return letter_ranges([catalogue.principle(s).letter for s in slugs])


def coverage_diagnostics(result: FileResult, options: Options, sink: DiagnosticSink,
                         catalogue: Catalogue | None = None) -> None:
    cov, data = result.coverage, result.data
    assert cov is not None and data is not None
    report = sink.warning  # --strict turns every warning into an error afterwards
    total = cov.objective_total
    if cov.objectives_missing or cov.objectives_by_partners:
        # Listed without a narrative, or stated by a partner only, is not covered either:
        # the numbers add up to the total.
        uncovered = sorted(set(cov.objectives_missing) | set(cov.objectives_no_narrative)
                           | set(cov.objectives_by_partners))
        message = _("{covered}/{total} objectives covered; not reported: {numbers}").format(
            covered=len(cov.objectives_covered), total=total, numbers=number_ranges(uncovered))
        if cov.objectives_by_partners:
            message += _(" (a partner's statement, not the State's, on {numbers})").format(
                numbers=number_ranges(list(cov.objectives_by_partners)))
        report(position_of(data, ["objectives"], key=True), "objectives-missing", message,
               _("report on every objective, or mark it not_applicable and say why"))
    for n in cov.objectives_no_narrative:
        entry = data["objectives"][n]
        if isinstance(entry, dict) and any(isinstance(v, str) and PLACEHOLDER.match(v)
                                           for v in entry.values()):
            continue  # the placeholder error already says what to do
        report(position_of(data, ["objectives", n], key=True), "objective-no-narrative",
               _("objective {number} is listed, but says nothing").format(number=n),
               _("write its `summary` (or its `justification`, for not_applicable)"))
    if cov.principles_missing:
        place = (position_of(data, ["principles"], key=True) if "principles" in data
                 else data.pos)
        report(place, "principles-missing",
               _("{covered}/{total} guiding principles covered; not reported: {slugs}").format(
                   covered=len(cov.principles_covered), total=cov.principle_total,
                   slugs=_principles_words(cov.principles_missing, catalogue)),
               _("say under `principles:` how the review addresses each guiding principle "
                 "(keys: {keys})").format(keys=join(list(cov.principles_missing)))
               if len(cov.principles_missing) <= FEW_PRINCIPLES else
               _("say under `principles:` how the review addresses each guiding principle "
                 "(`gcmreview catalogue` lists their keys)"))
    for slug in cov.principles_no_narrative:
        summary = data["principles"][slug].get("summary") \
            if isinstance(data["principles"][slug], dict) else None
        if isinstance(summary, str) and PLACEHOLDER.match(summary):
            continue  # the placeholder error already says what to do
        report(position_of(data, ["principles", slug], key=True), "principle-no-narrative",
               _("the guiding principle {slug} is listed, but says nothing").format(
                   slug=_principles_words((slug,), catalogue)),
               _("write its `summary`"))
    if options.min_coverage is not None and cov.objective_ratio * 100 < options.min_coverage:
        sink.error(position_of(data, ["objectives"], key=True), "coverage-below-minimum",
                   _("{share}% of the objectives covered, below the minimum of {minimum}%").format(
                       share=round(cov.objective_ratio * 100), minimum=f"{options.min_coverage:g}"),
                   _("report on more objectives"))


def check_loaded(loaded: LoadedFile, catalogue: Catalogue, options: Options) -> FileResult:
    """Every check on a loaded file. A file YAML refused is checked as read past its line
    mistakes (which are errors already), so one run reports all its problems."""
    repaired = loaded.repaired
    data = loaded.data if loaded.data is not None else repaired.data if repaired else None
    result = FileResult(loaded.path, loaded.shown_as, None, data, None,
                        list(loaded.diagnostics))
    if data is None:
        return result
    sink = DiagnosticSink(loaded.shown_as)
    sink.items.extend(ReviewChecker(loaded, catalogue, options, data).run())
    country = data.get("country")
    result.country = country if isinstance(country, str) else None
    result.country_at = position_of(data, ("country",))
    if not (options.valid_only and options.min_coverage is None):  # else warnings alone
        result.coverage = compute(result.country or loaded.path.stem, data, catalogue)
        coverage_diagnostics(result, options, sink, catalogue)
    if repaired is not None and loaded.data is None:  # positions in the file, not the reading
        sink.items = [d._replace(position=repaired.position(d.position)) for d in sink.items]
        result.country_at = repaired.position(result.country_at)
    if options.translations is not None and loaded.data is not None:
        from gcmreview.validate import translations  # only in a workspace with translations

        code = result.country if result.country == loaded.path.stem else loaded.path.stem
        result.translations = translations.check(loaded.data, code, options.translations, sink)
    result.diagnostics.extend(sink.items)
    if options.strict:
        result.diagnostics = [d._replace(severity=Severity.ERROR) for d in result.diagnostics]
    return result

