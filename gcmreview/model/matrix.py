"""Coverage across a workspace as data: the States × objectives and × principles
snapshot, and what changed between two snapshots (`gcmreview coverage [--diff REF]`).

Plain data built from validation results (`FileResult`), so the coverage rules
stay in gcmreview.validate.coverage; gcmreview.render.coverage turns it into a
terminal table, CSV, JSON or Markdown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from gcmreview.core.status import INVALID_STATUS, NO_NARRATIVE, SHOWN
from gcmreview.load.catalogue import Catalogue
from gcmreview.validate.coverage import Coverage
from gcmreview.validate.results import FileResult


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
        """The matrix code of an objective: a status, no_narrative, invalid_status or None."""
        cov = self.coverage
        if cov is None or (number not in cov.statuses
                           and number not in cov.objectives_no_narrative):
            return None
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
                                     result.coverage, objective_texts, principle_texts)
    for code in members - states.keys():
        states[code] = StateCoverage(code, participant=True)
    return Snapshot(tuple(catalogue.objectives), tuple(catalogue.principles),
                    dict(sorted(states.items())))


# --- the difference between two snapshots -----------------------------------------------

@dataclass(frozen=True)
class StateDiff:
    country: str
    before: StateCoverage | None
    """None when the State had no file at the base."""
    after: StateCoverage | None
    """None when the State has no file now."""
    newly_covered: tuple[int, ...] = ()
    regressed: tuple[int, ...] = ()
    status_changed: tuple[tuple[int, str | None, str | None], ...] = ()
    narratives_changed: tuple[int, ...] = ()
    principles_newly_covered: tuple[str, ...] = ()
    principles_regressed: tuple[str, ...] = ()
    principle_narratives_changed: tuple[str, ...] = ()

    @property
    def change(self) -> str:
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        changed = (self.newly_covered or self.regressed or self.status_changed
                   or self.narratives_changed or self.principles_newly_covered
                   or self.principles_regressed or self.principle_narratives_changed)
        return "changed" if changed else "unchanged"

    @property
    def regression(self) -> bool:
        """Coverage dropped: an objective or principle is no longer covered (a removed
        or unreadable file drops everything it covered)."""
        return bool(self.regressed or self.principles_regressed)


@dataclass(frozen=True)
class CoverageDiff:
    base: str
    base_commit: str
    before: Snapshot
    after: Snapshot
    states: tuple[StateDiff, ...]

    @property
    def regressions(self) -> list[StateDiff]:
        return [s for s in self.states if s.regression]


def _present(snap: Snapshot, code: str) -> StateCoverage | None:
    state = snap.states.get(code)
    return state if state is not None and state.submitted else None


def diff_state(code: str, before: StateCoverage | None, after: StateCoverage | None) -> StateDiff:
    empty = StateCoverage(code, participant=False)
    old, new = before or empty, after or empty
    common = [n for n in old.objectives if n in new.objectives]
    declared = [n for n in (old.coverage.statuses if old.coverage else {})
                if new.coverage and n in new.coverage.statuses]
    p_common = [p for p in old.principles if p in new.principles]
    return StateDiff(
        code, before, after,
        newly_covered=tuple(n for n in new.objectives if n not in old.objectives),
        regressed=tuple(n for n in old.objectives if n not in new.objectives),
        status_changed=tuple((n, old.status(n), new.status(n)) for n in sorted(declared)
                             if old.status(n) != new.status(n)),
        narratives_changed=tuple(n for n in common
                                 if old.objective_texts.get(n) != new.objective_texts.get(n)),
        principles_newly_covered=tuple(p for p in new.principles if p not in old.principles),
        principles_regressed=tuple(p for p in old.principles if p not in new.principles),
        principle_narratives_changed=tuple(
            p for p in p_common if old.principle_texts.get(p) != new.principle_texts.get(p)),
    )


def diff(before: Snapshot, after: Snapshot, base: str, base_commit: str) -> CoverageDiff:
    """Per State, what the current files cover compared with the files at the base."""
    codes = sorted({s.country for s in before.submitted} | {s.country for s in after.submitted})
    states = tuple(diff_state(c, _present(before, c), _present(after, c)) for c in codes)
    return CoverageDiff(base, base_commit, before, after, states)
