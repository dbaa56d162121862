"""What changed for one State between two snapshots of its review: one comparison.

`coverage --diff` compares the review files with those at a git ref (a pull
request against its base), `progress` and the reports compare a cycle with an
earlier one, `import` compares the file it writes with the one on file. All of
them ask `compare`, so a change is named the same everywhere and "regression"
means one thing (docs/format.md, "What changed, and regressions"):

    the State reports less than before: its review is gone, an objective or a
    guiding principle it reported is no longer reported, or an objective's stated
    status moved back along not started → planned → in progress → implemented.

An objective is compared where either side reports it (it is covered: declared
with a narrative). A change to or from "not applicable" or "not stated" is a
change of another kind ("changed"): neither is a stage of progress.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from gcmreview.model.matrix import Snapshot, StateCoverage

STAGES = {"not_started": 0, "planned": 1, "in_progress": 2, "implemented": 3}
"""Where a status stands on the way to implementation."""

Kind = Literal["forward", "back", "new", "dropped", "changed", "unchanged"]
KINDS: tuple[Kind, ...] = ("forward", "back", "new", "dropped", "changed", "unchanged")


def change(before: str | None, after: str | None) -> Kind:
    """How an objective's status changed; None means not reported on that side."""
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
    """Status code then; None when that side did not report on it."""
    after: str | None
    kind: Kind
    text_changed: bool = False
    """Reported on both sides, and its narrative is not the same."""


@dataclass(frozen=True)
class StateChange:
    country: str
    before: StateCoverage | None
    """None when the State had no review (no file, or none that can be compared)."""
    after: StateCoverage | None
    objectives: tuple[ObjectiveChange, ...] = ()
    """Every objective reported on either side, in number order."""
    principles_gained: tuple[str, ...] = ()
    principles_lost: tuple[str, ...] = ()
    principle_texts_changed: tuple[str, ...] = ()

    def of_kind(self, *kinds: Kind) -> tuple[int, ...]:
        return tuple(o.number for o in self.objectives if o.kind in kinds)

    @property
    def presence(self) -> Literal["both", "new", "gone"]:
        if self.before is None:
            return "new"
        return "gone" if self.after is None else "both"

    @property
    def status_changes(self) -> tuple[ObjectiveChange, ...]:
        """Objectives reported on both sides whose status is not the same."""
        return tuple(o for o in self.objectives if o.kind in ("forward", "back", "changed"))

    @property
    def texts_changed(self) -> tuple[int, ...]:
        return tuple(o.number for o in self.objectives if o.text_changed)

    @property
    def changed(self) -> bool:
        return self.presence != "both" or bool(
            self.principles_gained or self.principles_lost or self.principle_texts_changed
            or any(o.kind != "unchanged" or o.text_changed for o in self.objectives))

    @property
    def file_change(self) -> Literal["added", "removed", "changed", "unchanged"]:
        """What happened to the review file, as `coverage --diff` says it."""
        if self.presence == "new":
            return "added"
        if self.presence == "gone":
            return "removed"
        return "changed" if self.changed else "unchanged"

    @property
    def regression(self) -> bool:
        """The State reports less than before (the module's docstring says what counts)."""
        return (self.presence == "gone" or bool(self.of_kind("back", "dropped"))
                or bool(self.principles_lost))


def _status(state: StateCoverage | None, number: int) -> str | None:
    if state is None or number not in state.objectives:
        return None
    return state.status(number)


def compare(code: str, before: StateCoverage | None, after: StateCoverage | None,
            principles: Sequence[str]) -> StateChange:
    """One State's changes; `principles` gives the catalogue's (a)–(j) order."""
    numbers = sorted({*(before.objectives if before else ()),
                      *(after.objectives if after else ())})
    objectives = []
    for n in numbers:
        then, now = _status(before, n), _status(after, n)
        both = before is not None and after is not None and \
            n in before.objectives and n in after.objectives
        objectives.append(ObjectiveChange(
            n, then, now, change(then, now),
            text_changed=both and before.objective_texts.get(n)  # type: ignore[union-attr]
            != after.objective_texts.get(n)))  # type: ignore[union-attr]
    old = set(before.principles if before else ())
    new = set(after.principles if after else ())
    return StateChange(
        code, before, after, tuple(objectives),
        principles_gained=tuple(p for p in principles if p in new - old),
        principles_lost=tuple(p for p in principles if p in old - new),
        principle_texts_changed=tuple(
            p for p in principles if p in old & new and before is not None and after is not None
            and before.principle_texts.get(p) != after.principle_texts.get(p)))


@dataclass(frozen=True)
class CoverageDiff:
    """Every State whose review exists at either of two git refs (`coverage --diff`)."""

    base: str
    base_commit: str
    before: Snapshot
    after: Snapshot
    states: tuple[StateChange, ...]

    @property
    def regressions(self) -> list[StateChange]:
        return [s for s in self.states if s.regression]


def _present(snap: Snapshot, code: str) -> StateCoverage | None:
    state = snap.states.get(code)
    return state if state is not None and state.submitted else None


def diff(before: Snapshot, after: Snapshot, base: str, base_commit: str) -> CoverageDiff:
    """Per State, what the current files cover compared with the files at the base. A
    file that cannot be read counts as covering nothing: a pull request that breaks a
    review loses all it covered."""
    codes = sorted({s.country for s in before.submitted} | {s.country for s in after.submitted})
    states = tuple(compare(c, _present(before, c), _present(after, c), after.principles)
                   for c in codes)
    return CoverageDiff(base, base_commit, before, after, states)


# --- field by field: what `import --dry-run` lists ------------------------------------------

FieldKind = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class FieldChange:
    """One value of a review that differs: a text, a code, an entry added or removed, an
    item of a list (a partner, an institution) added or removed."""

    path: tuple[str | int, ...]
    """Where in the review data: ("methodology", "institutions"), ("objectives", 23,
    "status"). For an item of a list of lines, the list's path."""
    kind: FieldKind
    before: object = None
    after: object = None


def _is_lines(value: object) -> bool:
    return isinstance(value, list) and all(not isinstance(v, dict | list) for v in value)


def field_changes(before: object, after: object,
                  path: tuple[str | int, ...] = ()) -> list[FieldChange]:
    """Every value that differs between two readings of a review, in the file's order.

    Lists of lines are compared item by item (a deleted partner is named); lists of
    entries (measures, sources) position by position.
    """
    if before == after:
        return []
    if isinstance(before, dict) and isinstance(after, dict):
        out: list[FieldChange] = []
        for key in [*before, *(k for k in after if k not in before)]:
            here = (*path, key)
            if key not in after:
                out.append(FieldChange(here, "removed", before[key], None))
            elif key not in before:
                out.append(FieldChange(here, "added", None, after[key]))
            else:
                out += field_changes(before[key], after[key], here)
        return out
    if _is_lines(before) and _is_lines(after):
        assert isinstance(before, list) and isinstance(after, list)
        gone = [FieldChange(path, "removed", v, None) for v in before if v not in after]
        new = [FieldChange(path, "added", None, v) for v in after if v not in before]
        return gone + new or [FieldChange(path, "changed", before, after)]  # reordered
    if isinstance(before, list) and isinstance(after, list):
        out = []
        for i in range(max(len(before), len(after))):
            if i >= len(after):
                out.append(FieldChange((*path, i), "removed", before[i], None))
            elif i >= len(before):
                out.append(FieldChange((*path, i), "added", None, after[i]))
            else:
                out += field_changes(before[i], after[i], (*path, i))
        return out
    return [FieldChange(path, "changed", before, after)]
