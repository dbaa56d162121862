"""Progress across review cycles: per State and objective, then and now.

Plain data counted from two snapshots (gcmreview.model.matrix): the current
cycle's review files and an earlier cycle's (gcmreview.validate.history).
`gcmreview progress` prints it; the country and regional reports show it.

Each State is compared by gcmreview.model.changes, as `coverage --diff` compares
two git refs: the same kinds of change, the same meaning of "regression".
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from gcmreview.core import format
from gcmreview.core.i18n import N_
from gcmreview.model.changes import Kind, StateChange, compare
from gcmreview.model.indicators import ValueChange
from gcmreview.model.matrix import Snapshot, StateCoverage

KIND_WORDS: dict[str, str] = {
    "forward": N_("moved forward"),
    "back": N_("moved back"),
    "new": N_("newly reported"),
    "dropped": N_("no longer reported"),
    "changed": N_("status changed to or from not applicable or not stated"),
    "unchanged": N_("unchanged"),
}
"""The same words in every output and language (`progress`, the reports)."""


def _plural(singular: str, plural: str) -> tuple[str, str]:
    """Marks a plural pair for extraction (ngettext's keyword), translated where shown."""
    return singular, plural


REPORT_WORDS: dict[str, tuple[str, str]] = {
    "forward": _plural("Objective moved forward", "Objectives moved forward"),
    "back": _plural("Objective moved back", "Objectives moved back"),
    "changed": _plural("Other change of status", "Other changes of status"),
    "new": _plural("Objective newly reported", "Objectives newly reported"),
    "dropped": _plural("Objective no longer reported", "Objectives no longer reported"),
}
"""The kinds as a State's report lists them, one line each, the objectives' numbers after
the words that say they are objectives ("Objectives moved forward: 1 (Data), …"): a count
before them ran into the first number ("Moved forward (1 objective): 1 (Data…)")."""

PRINCIPLE_WORDS: dict[str, tuple[str, str]] = {
    "gained": _plural("Guiding principle now reported", "Guiding principles now reported"),
    "lost": _plural("Guiding principle no longer reported",
                    "Guiding principles no longer reported"),
}
"""The guiding principles a State's report says it gained or lost, one line each."""


@dataclass(frozen=True)
class Progress:
    since: int
    """The earlier cycle's year."""
    now: int
    where: str
    """What `history:` names for it (a git ref or a folder)."""
    commit: str
    """The commit the ref named; "" for a folder."""
    states: tuple[StateChange, ...]
    left_out: tuple[tuple[str, str], ...] = ()
    """(country, file) of invalid earlier files, left out of the comparison."""
    objectives_moved: dict[int, dict[Kind, int]] = field(default_factory=dict)
    """Objective -> how many States moved it each way."""
    left_out_now: tuple[tuple[str, str], ...] = ()
    """(country, file) of invalid files of this cycle, left out of the comparison."""
    values: tuple[ValueChange, ...] = ()
    """Each State's indicator values: up to the earlier cycle's year, and the latest."""
    principle_labels: dict[str, str] = field(default_factory=dict)
    """Slug -> “(c) National sovereignty” in the reader's language, for the lines people
    read (the JSON and CSV keep the slugs, the files' own words)."""

    @property
    def regressions(self) -> list[StateChange]:
        return [s for s in self.states if s.regression]


def _valid(state: StateCoverage | None) -> StateCoverage | None:
    return state if state is not None and state.comparable else None


def _invalid(state: StateCoverage | None) -> bool:
    return state is not None and state.invalid


def progress(before: Snapshot, after: Snapshot, *, since: int, now: int, where: str,
             commit: str, principles: Iterable[str]) -> Progress:
    """What changed for every State with a valid review in either cycle."""
    ranked = list(principles)
    # A State whose file is invalid in either cycle is left out, and said to be: it did
    # submit, so it is neither new to the review nor gone from it.
    codes = sorted(c for c in ({c for c, s in before.states.items() if _valid(s)}
                               | {c for c, s in after.states.items() if _valid(s)})
                   if not _invalid(before.states.get(c)) and not _invalid(after.states.get(c)))
    states = [compare(code, _valid(before.states.get(code)),
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

