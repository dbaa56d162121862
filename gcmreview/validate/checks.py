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
from typing import Any

from gcmreview.core import countries, narrative
from gcmreview.core.diagnostics import (
    Diagnostic,
    DiagnosticSink,
    Severity,
)
from gcmreview.load.catalogue import Catalogue
from gcmreview.load.loader import LoadedFile, YamlMap, position_of
from gcmreview.validate.coverage import NARRATIVE_KEYS, PLACEHOLDER, compute, has_text
from gcmreview.validate.results import FileResult
from gcmreview.validate.schema import (
    MAX_SCHEMA_ERRORS,
    SchemaChecker,
    describe_error,
    did_you_mean,
    review_schema,
)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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


@cache
def _checker(catalogue: Catalogue) -> SchemaChecker:
    return SchemaChecker(review_schema(catalogue))


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every scalar of a loaded file with its path."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _leaves(value, (*path, i))
    else:
        yield path, node


def _strings(node: Any) -> Iterator[tuple[tuple[Any, ...], str]]:
    return ((path, value) for path, value in _leaves(node) if isinstance(value, str))


class ReviewChecker:
    """Runs every rule on one loaded file and fills its diagnostics."""

    def __init__(self, loaded: LoadedFile, catalogue: Catalogue, options: Options) -> None:
        self.data: YamlMap = loaded.data  # type: ignore[assignment]
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
        self.check_strings()
        return self.sink.items

    def check_schema(self) -> None:
        errors = _checker(self.catalogue).errors(self.data)
        if len(errors) >= MAX_SCHEMA_ERRORS:
            self.sink.error(self.data.pos, "too-many-problems",
                            f"more than {MAX_SCHEMA_ERRORS} format problems; the first "
                            f"{MAX_SCHEMA_ERRORS} are listed",
                            "fix these and run validate again")
        for err in errors:
            if "propertyNames" in err.schema_path:
                continue  # objective and principle keys get their own, clearer rules below
            for problem in describe_error(err):
                self.sink.error(self.at(*problem.path, key=problem.at_key), problem.code,
                                problem.message, problem.hint)

    def check_whole_numbers(self) -> None:
        """JSON Schema counts 2020.0 as an integer; a year written so is still a typo."""
        review = self.data.get("review")
        if isinstance(review, dict) and isinstance(review.get("cycle"), float):
            self.sink.error(self.at("review", "cycle"), "wrong-type",
                            f"`review.cycle` must be a whole number, not {review['cycle']}",
                            f"write {int(review['cycle'])}")
        for path, value in _leaves(self.data):
            if isinstance(value, float) and path and path[-1] == "year":
                self.sink.error(self.at(*path), "wrong-type",
                                f"{_dotted(path)} must be a whole number, not {value}",
                                f"write {int(value)}")

    def check_cycle(self) -> None:
        review = self.data.get("review")
        cycle = review.get("cycle") if isinstance(review, dict) else None
        expected = self.options.cycle
        if isinstance(cycle, int) and expected is not None and cycle != expected:
            self.sink.warning(self.at("review", "cycle"), "cycle-mismatch",
                              f"the review is for cycle {cycle} but the workspace is cycle "
                              f"{expected}", "check `review.cycle`, or the file belongs to "
                              "another workspace")

    def check_date(self) -> None:
        review = self.data.get("review")
        value = review.get("date") if isinstance(review, dict) else None
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            try:
                date.fromisoformat(value)
            except ValueError:
                self.sink.error(self.at("review", "date"), "invalid-value",
                                f"`review.date` is {value!r}, which is not a calendar date",
                                "write a real date as YYYY-MM-DD, for example 2024-02-29")

    def check_country(self) -> None:
        code = self.data.get("country")
        if not isinstance(code, str):
            return
        where = self.at("country")
        if re.fullmatch(r"[A-Z]{2}", code) and not countries.is_country_code(code):
            fix = countries.COMMON_MISTAKES.get(code)
            self.sink.error(where, "unknown-country",
                            f"{code!r} is not an ISO 3166-1 alpha-2 country code",
                            f"use {fix!r}" if fix else "look the code up in ISO 3166-1 "
                            "(Morocco is MA, Lebanon is LB)")
        if self.path.stem != code:
            self.sink.error(where, "country-mismatch",
                            f"the file is named {self.path.name} but declares country {code!r}",
                            f"rename the file to {code}.yaml, or correct `country`")
        participants = self.options.participants
        if participants is not None and code not in participants:
            self.sink.warning(where, "not-a-participant",
                              f"{code!r} is not among the workspace's participating States",
                              "add it to `participants` in gcmreview.yaml")

    def check_objective_keys(self) -> None:
        objectives = self.data.get("objectives")
        if not isinstance(objectives, dict):
            return
        numbers = self.catalogue.objectives
        for key in objectives:
            if isinstance(key, int) and not isinstance(key, bool) and key in numbers:
                continue
            where = self.at("objectives", key, key=True)
            if isinstance(key, str) and key.strip().isdigit() and int(key) in numbers:
                self.sink.error(where, "objective-key-quoted",
                                f"objective key {key!r} is text; objective keys are numbers",
                                f"write {int(key)}: without quotes")
                continue
            self.sink.error(where, "unknown-objective",
                            f"{key!r} is not a GCM objective; objectives are numbered "
                            f"{min(numbers)} to {max(numbers)}",
                            "use the objective's number as the key, for example `7:`")

    def check_principle_keys(self) -> None:
        principles = self.data.get("principles")
        if not isinstance(principles, dict):
            return
        slugs = list(self.catalogue.principles)
        for key in principles:
            if key not in self.catalogue.principles:
                self.sink.error(self.at("principles", key, key=True), "unknown-principle",
                                f"{key!r} is not a guiding principle{did_you_mean(key, slugs)}",
                                f"guiding principles: {', '.join(slugs)}")

    def check_objectives(self) -> None:
        objectives = self.data.get("objectives")
        if not isinstance(objectives, dict):
            return
        for key, entry in objectives.items():
            if not isinstance(entry, dict):
                continue
            if entry.get("status") == "not_applicable" and not has_text(entry.get("justification")):
                self.sink.error(self.at("objectives", key, "status"), "missing-justification",
                                f"objective {key} is not_applicable without a justification",
                                "add `justification:` saying why the objective does not apply")
        for i, reservation in enumerate(self.data.get("reservations") or []):
            numbers = reservation.get("objectives") if isinstance(reservation, dict) else None
            for j, number in enumerate(numbers if isinstance(numbers, list) else []):
                if isinstance(number, int) and number not in self.catalogue.objectives:
                    self.sink.error(self.at("reservations", i, "objectives", j),
                                    "unknown-objective", f"{number} is not a GCM objective")

    def check_strings(self) -> None:
        """One walk over every text: placeholders, narratives, citations.

        Positions are looked up only for problems: most files have none.
        """
        ids = self.source_ids()
        for path, text in _strings(self.data):
            last = path[-1]
            if _CONTROL.search(text):
                self.sink.error(self.at(*path), "control-character",
                                "the text holds a control character (such as an escaped \\x00 "
                                "or \\e), which reports cannot show",
                                "remove it; line breaks and tabs are fine")
            if PLACEHOLDER.match(text):
                self.sink.error(self.at(*path), "placeholder",
                                "this is still the scaffold's placeholder text",
                                "replace the TODO text with the review's own text, or remove "
                                "the entry")
            elif last in NARRATIVE_KEYS:
                self.check_narrative(path, text)
            elif last == "source" and len(path) >= 3 and path[-3] == "sources" \
                    and path[0] != "sources" and text not in ids:
                self.sink.error(self.at(*path), "unknown-source",
                                f"source {text!r} is not defined{did_you_mean(text, ids)}",
                                "add it to the top-level `sources:` list, or fix the id")

    def check_narrative(self, path: tuple[Any, ...], text: str) -> None:
        if not text.strip():
            if not (path[-1] == "summary" and path[0] in ("objectives", "principles")
                    and len(path) == 3):
                self.sink.warning(self.at(*path), "empty-narrative", f"{_dotted(path)} is empty",
                                  "write the narrative, or remove the entry")
            return
        for construct in narrative.findings(text):
            self.sink.warning(self.at(*path), construct.code or "", construct.message,
                              construct.hint)

    def source_ids(self) -> list[str]:
        sources = self.data.get("sources")
        ids: list[str] = []
        for i, source in enumerate(sources if isinstance(sources, list) else []):
            sid = source.get("id") if isinstance(source, dict) else None
            if isinstance(sid, str):
                if sid in ids:
                    self.sink.error(self.at("sources", i, "id"), "duplicate-source",
                                    f"source id {sid!r} is defined twice")
                ids.append(sid)
        return ids


def coverage_diagnostics(result: FileResult, options: Options, sink: DiagnosticSink) -> None:
    cov, data = result.coverage, result.data
    assert cov is not None and data is not None
    report = sink.warning  # --strict turns every warning into an error afterwards
    total = cov.objective_total
    if cov.objectives_missing:
        report(position_of(data, ["objectives"], key=True), "objectives-missing",
               f"{len(cov.objectives_covered)}/{total} objectives covered; not reported: "
               f"{', '.join(map(str, cov.objectives_missing))}",
               "report on every objective, or mark it not_applicable with a justification")
    for n in cov.objectives_no_narrative:
        entry = data["objectives"][n]
        if isinstance(entry, dict) and any(isinstance(v, str) and PLACEHOLDER.match(v)
                                           for v in entry.values()):
            continue  # the placeholder error already says what to do
        report(position_of(data, ["objectives", n], key=True), "objective-no-narrative",
               f"objective {n} is declared but has no narrative",
               "write its `summary` (or `justification` for not_applicable)")
    if cov.principles_missing:
        where = (position_of(data, ["principles"], key=True) if "principles" in data
                 else data.pos)
        report(where, "principles-missing",
               f"{len(cov.principles_covered)}/{cov.principle_total} guiding principles covered; "
               f"not reported: {', '.join(cov.principles_missing)}",
               "say under `principles:` how the review addresses each guiding principle")
    for slug in cov.principles_no_narrative:
        summary = data["principles"][slug].get("summary") \
            if isinstance(data["principles"][slug], dict) else None
        if isinstance(summary, str) and PLACEHOLDER.match(summary):
            continue  # the placeholder error already says what to do
        report(position_of(data, ["principles", slug], key=True), "principle-no-narrative",
               f"guiding principle {slug} is declared but has no narrative")
    if options.min_coverage is not None and cov.objective_ratio * 100 < options.min_coverage:
        sink.error(position_of(data, ["objectives"], key=True), "coverage-below-minimum",
                   f"{cov.objective_ratio:.0%} of objectives covered, below the minimum of "
                   f"{options.min_coverage:g}%")


def _dotted(path: tuple[Any, ...]) -> str:
    return "`" + ".".join(str(p) for p in path) + "`"


def check_loaded(loaded: LoadedFile, catalogue: Catalogue, options: Options) -> FileResult:
    result = FileResult(loaded.path, loaded.shown_as, None, loaded.data, None,
                        list(loaded.diagnostics))
    if loaded.data is None:
        return result
    sink = DiagnosticSink(loaded.shown_as)
    sink.items.extend(ReviewChecker(loaded, catalogue, options).run())
    country = loaded.data.get("country")
    result.country = country if isinstance(country, str) else None
    result.coverage = compute(result.country or loaded.path.stem, loaded.data, catalogue)
    coverage_diagnostics(result, options, sink)
    result.diagnostics.extend(sink.items)
    if options.strict:
        result.diagnostics = [d._replace(severity=Severity.ERROR) for d in result.diagnostics]
    return result

