"""Coverage across a workspace as data: the States × objectives and × principles
snapshot (`gcmreview coverage`); what changed between two is gcmreview.model.changes.

Plain data built from validation results (`FileResult`), so the coverage rules
stay in gcmreview.validate.coverage; gcmreview.render.coverage turns it into a
terminal table, CSV, JSON or Markdown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from gcmreview.core.status import INVALID_STATUS, NO_NARRATIVE, PARTNER, SHOWN
from gcmreview.load.catalogue import Catalogue
from gcmreview.validate.coverage import Coverage
from gcmreview.validate.results import FileResult
from gcmreview.validate.translations import Completeness


@dataclass(frozen=True)
class StateCoverage:
    """One State of a snapshot: its file (if any) and what the file covers."""

    country: str
    participant: bool
    path: str | None = None
    """The file as shown to users; None when the State has not submitted."""
    valid: bool | None = None
    coverage: Coverage | None = None
    """None when there is no file or it could not be read as YAML."""
    objective_texts: dict[int, str] = field(default_factory=dict)
    principle_texts: dict[str, str] = field(default_factory=dict)
    translations: tuple[Completeness, ...] = ()
    """How far its review is translated into each language it has (or needs) one in."""

    @property
    def submitted(self) -> bool:
        return self.path is not None

    @property
    def comparable(self) -> bool:
        """A review that can be compared with another cycle's: submitted, read, valid."""
        return self.submitted and bool(self.valid) and self.coverage is not None

    @property
    def invalid(self) -> bool:
        """Submitted, but the file cannot be counted: a review, though not one to compare."""
        return self.submitted and not self.comparable

    @property
    def objectives(self) -> tuple[int, ...]:
        return self.coverage.objectives_covered if self.coverage else ()

    @property
    def principles(self) -> tuple[str, ...]:
        return self.coverage.principles_covered if self.coverage else ()

    def status(self, number: int) -> str | None:
        """The declared status of an objective (None when not declared or absent)."""
        return self.coverage.statuses.get(number) if self.coverage else None

    def cell(self, number: int) -> str | None:
        """The matrix code of an objective: a status, no_narrative, partner (a partner's
        statement only), invalid_status or None."""
        cov = self.coverage
        if cov is None or (number not in cov.statuses
                           and number not in cov.objectives_no_narrative):
            return None
        if number in cov.objectives_by_partners:
            return PARTNER.code
        if number not in cov.objectives_covered:
            return NO_NARRATIVE.code
        status = self.status(number)
        return status if status in SHOWN else INVALID_STATUS.code


@dataclass(frozen=True)
class Snapshot:
    """Every State of a workspace at one point: the working tree or a git ref."""

    objectives: tuple[int, ...]
    principles: tuple[str, ...]
    states: dict[str, StateCoverage]
    """Keyed by country code (the file name), sorted."""

    @property
    def submitted(self) -> list[StateCoverage]:
        return [s for s in self.states.values() if s.submitted]


def _narratives(result: FileResult) -> tuple[dict[int, str], dict[str, str]]:
    """The narrative texts of objectives and principles, to tell which ones changed."""
    data: dict[str, Any] = result.data if isinstance(result.data, dict) else {}
    found_objectives, found_principles = data.get("objectives"), data.get("principles")
    objectives: dict[Any, Any] = found_objectives if isinstance(found_objectives, dict) else {}
    principles: dict[Any, Any] = found_principles if isinstance(found_principles, dict) else {}

    def text(entry: Any, keys: tuple[str, ...]) -> str:
        if not isinstance(entry, dict):
            return ""
        return "\n".join(entry[k].strip() for k in keys if isinstance(entry.get(k), str))

    return ({k: text(v, ("summary", "justification")) for k, v in objectives.items()
             if isinstance(k, int)},
            {k: text(v, ("summary",)) for k, v in principles.items() if isinstance(k, str)})


def snapshot(results: Iterable[FileResult], catalogue: Catalogue,
             participants: Iterable[str] = ()) -> Snapshot:
    """States from checked files (kept with their data), plus participants without a file."""
    members = set(participants)
    states: dict[str, StateCoverage] = {}
    for result in results:
        code = result.path.stem  # what `build --country` selects by, stable across refs
        objective_texts, principle_texts = _narratives(result)
        states[code] = StateCoverage(code, code in members, result.shown_as, result.valid,
                                     result.coverage, objective_texts, principle_texts,
                                     tuple(result.translations))
    for code in members - states.keys():
        states[code] = StateCoverage(code, participant=True)
    return Snapshot(tuple(catalogue.objectives), tuple(catalogue.principles),
                    dict(sorted(states.items())))
