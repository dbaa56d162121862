"""Progress across review cycles: per State and objective, then and now.

Plain data counted from two snapshots (gcmreview.model.matrix): the current
cycle's review files and an earlier cycle's (gcmreview.validate.history).
`gcmreview progress` prints it; the country and regional reports show it.

An objective moves forward or back along not started → planned → in progress →
implemented. A change to or from "not applicable" or "not stated" is a change
of another kind ("changed"): neither is a stage of progress.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from gcmreview.core import format
from gcmreview.core.i18n import N_
from gcmreview.model.matrix import Snapshot, StateCoverage

STAGES = {"not_started": 0, "planned": 1, "in_progress": 2, "implemented": 3}
"""Where a status stands on the way to implementation."""

Kind = Literal["forward", "back", "new", "dropped", "changed", "unchanged"]
KINDS: tuple[Kind, ...] = ("forward", "back", "new", "dropped", "changed", "unchanged")
KIND_WORDS: dict[str, str] = {
    "forward": N_("moved forward"),
    "back": N_("moved back"),
    "new": N_("newly reported"),
    "dropped": N_("no longer reported"),
    "changed": N_("changed"),
    "unchanged": N_("unchanged"),
}
"""The same words in every output and language (`progress`, the reports)."""
REPORT_WORDS: dict[str, str] = {
    "forward": N_("Objectives that moved forward"),
    "back": N_("Objectives that moved back"),
    "changed": N_("Objectives with another kind of status"),
    "new": N_("Objectives newly reported"),
    "dropped": N_("Objectives no longer reported"),
}
"""The kinds as the reports list them, one line each."""


def change(before: str | None, after: str | None) -> Kind:
    """How an objective's status changed; None means not reported in that cycle."""
    if before is None:
        return "new"
    if after is None:
        return "dropped"
    if before == after:
        return "unchanged"
    if before in STAGES and after in STAGES:
        return "forward" if STAGES[after] > STAGES[before] else "back"
    return "changed"


@dataclass(frozen=True)
class ObjectiveChange:
    number: int
    before: str | None
    """Status code then; None when the earlier review did not report on it."""
    after: str | None
    kind: Kind


@dataclass(frozen=True)
class StateProgress:
    country: str
    before: StateCoverage | None
    """None when the State had no valid review in the earlier cycle."""
    after: StateCoverage | None
    objectives: tuple[ObjectiveChange, ...] = ()
    """Every objective reported in either cycle, in number order."""
    principles_gained: tuple[str, ...] = ()
    principles_lost: tuple[str, ...] = ()

    def of_kind(self, kind: Kind) -> tuple[int, ...]:
        return tuple(o.number for o in self.objectives if o.kind == kind)

    @property
    def presence(self) -> Literal["both", "new", "gone"]:
        if self.before is None:
            return "new"
        return "gone" if self.after is None else "both"

    @property
    def regression(self) -> bool:
        """Something is worse than in the earlier cycle: an objective moved back or is
        no longer reported, a principle is no longer reported, or the review is gone."""
        return (self.presence == "gone" or bool(self.of_kind("back"))
                or bool(self.of_kind("dropped")) or bool(self.principles_lost))


@dataclass(frozen=True)
class Progress:
    since: int
    """The earlier cycle's year."""
    now: int
    where: str
    """What `history:` names for it (a git ref or a folder)."""
    commit: str
    """The commit the ref named; "" for a folder."""
    states: tuple[StateProgress, ...]
    left_out: tuple[tuple[str, str], ...] = ()
    """(country, file) of invalid earlier files, left out of the comparison."""
    objectives_moved: dict[int, dict[Kind, int]] = field(default_factory=dict)
    """Objective -> how many States moved it each way."""
    left_out_now: tuple[tuple[str, str], ...] = ()
    """(country, file) of invalid files of this cycle, left out of the comparison."""

    @property
    def regressions(self) -> list[StateProgress]:
        return [s for s in self.states if s.regression]


def _valid(state: StateCoverage | None) -> StateCoverage | None:
    return state if state is not None and state.comparable else None


def _invalid(state: StateCoverage | None) -> bool:
    return state is not None and state.invalid


def _status(state: StateCoverage | None, number: int) -> str | None:
    if state is None or number not in state.objectives:
        return None
    return state.status(number)


def state_progress(code: str, before: StateCoverage | None, after: StateCoverage | None,
                   principles: list[str]) -> StateProgress:
    """One State's changes; `principles` gives the catalogue's (a)–(j) order."""
    numbers = sorted({*(before.objectives if before else ()), *(after.objectives if after else ())})
    objectives = tuple(ObjectiveChange(n, _status(before, n), _status(after, n),
                                       change(_status(before, n), _status(after, n)))
                       for n in numbers)
    old = set(before.principles if before else ())
    new = set(after.principles if after else ())
    return StateProgress(code, before, after, objectives,
                         principles_gained=tuple(p for p in principles if p in new - old),
                         principles_lost=tuple(p for p in principles if p in old - new))


def progress(before: Snapshot, after: Snapshot, *, since: int, now: int, where: str,
             commit: str, principles: Iterable[str]) -> Progress:
    """What changed for every State with a valid review in either cycle."""
    ranked = list(principles)
    # A State whose file is invalid in either cycle is left out, and said to be: it did
    # submit, so it is neither new to the review nor gone from it.
    codes = sorted(c for c in ({c for c, s in before.states.items() if _valid(s)}
                               | {c for c, s in after.states.items() if _valid(s)})
                   if not _invalid(before.states.get(c)) and not _invalid(after.states.get(c)))
    states = [state_progress(code, _valid(before.states.get(code)),
                             _valid(after.states.get(code)), ranked) for code in codes]
    moved: dict[int, dict[Kind, int]] = {}
    for state in states:
        if state.presence != "both":
            continue
        for o in state.objectives:
            if o.kind != "unchanged":
                moved.setdefault(o.number, {}).setdefault(o.kind, 0)
                moved[o.number][o.kind] += 1
    left_out = tuple((code, s.path or "") for code, s in before.states.items() if s.invalid)
    left_out_now = tuple((code, s.path or "") for code, s in after.states.items() if s.invalid)
    return Progress(since, now, where, commit, tuple(states), left_out,
                    dict(sorted(moved.items())), left_out_now)


def carried_forward(data: dict[str, Any], year: int, cycle: int) -> dict[str, Any]:
    """An earlier cycle's review as the start of this cycle's: the same objectives,
    statuses, measures and texts, each objective, guiding principle and section marked
    `carried_over: year` until the focal point checks it; a new draft."""
    out = copy.deepcopy(data)
    review = {k: v for k, v in (out.get("review") or {}).items() if k != "date"}
    out["review"] = {**review, "cycle": cycle, "status": "draft"}
    def marked(entry: dict[str, Any]) -> dict[str, Any]:
        return {"carried_over": year, **{k: v for k, v in entry.items() if k != "carried_over"}}

    for section in format.carried_sections():
        value = out.get(section.key)
        if section.shape == "single" and isinstance(value, dict):
            out[section.key] = marked(value)
        elif section.shape in ("objectives", "principles") and isinstance(value, dict):
            out[section.key] = {key: marked(entry) if isinstance(entry, dict) else entry
                                for key, entry in value.items()}
    return out

