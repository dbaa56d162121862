"""Coverage of one review: which objectives and principles it reports on.

An objective is covered when the review declares it with a narrative (or, for
not_applicable, with a justification) in the State's own words: one a partner
spoke to (`stated_by`) is shown and attributed in the reports, but a State
reports on an objective only through its own statements, so it is counted apart
(`objectives_by_partners`), never as covered. A principle is covered when the
`principles` section has a narrative for it; objectives that name a principle
are recorded too, for the matrices.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gcmreview.core.narrative import PLACEHOLDER, has_text
from gcmreview.core.status import of_entry
from gcmreview.load.catalogue import Catalogue

__all__ = ["PLACEHOLDER", "Coverage", "compute", "has_text"]


@dataclass(frozen=True)
class Coverage:
    country: str
    statuses: dict[int, str]
    """Declared objectives and their status (covered or not); not_stated when the
    entry has none."""
    objectives_covered: tuple[int, ...]
    objectives_no_narrative: tuple[int, ...]
    objectives_missing: tuple[int, ...]
    principles_covered: tuple[str, ...]
    principles_no_narrative: tuple[str, ...]
    principles_missing: tuple[str, ...]
    principles_via_objectives: dict[str, tuple[int, ...]] = field(default_factory=dict)
    stated_by: dict[int, str] = field(default_factory=dict)
    """Objectives whose statement comes from a partner, not the State: who made it."""
    objectives_by_partners: tuple[int, ...] = ()
    """Objectives with a narrative that a partner stated, not the State: not covered."""
    objective_total: int = 23
    principle_total: int = 10

    @property
    def objective_ratio(self) -> float:
        return len(self.objectives_covered) / self.objective_total

    def as_dict(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "objectives": {
                "covered": list(self.objectives_covered),
                "total": self.objective_total,
                "declared_without_narrative": list(self.objectives_no_narrative),
                "missing": list(self.objectives_missing),
                "status": {str(n): s for n, s in sorted(self.statuses.items())},
                "stated_by": {str(n): s for n, s in sorted(self.stated_by.items())},
                "by_partners_only": list(self.objectives_by_partners),
            },
            "principles": {
                "covered": list(self.principles_covered),
                "total": self.principle_total,
                "declared_without_narrative": list(self.principles_no_narrative),
                "missing": list(self.principles_missing),
                "via_objectives": {k: list(v) for k, v in self.principles_via_objectives.items()},
            },
        }


def _has_narrative(entry: Any) -> bool:
    if not isinstance(entry, dict):
        return False
    if entry.get("status") == "not_applicable":
        return has_text(entry.get("justification"))
    return has_text(entry.get("summary"))


def compute(country: str, data: dict[str, Any], catalogue: Catalogue) -> Coverage:
    """Coverage from (possibly invalid) review data: wrong shapes count as not covered."""
    found_objectives, found_principles = data.get("objectives"), data.get("principles")
    objectives: dict[Any, Any] = found_objectives if isinstance(found_objectives, dict) else {}
    principles: dict[Any, Any] = found_principles if isinstance(found_principles, dict) else {}
    known = [n for n in catalogue.objectives if n in objectives]
    statuses = {n: of_entry(objectives[n]) for n in known if isinstance(objectives[n], dict)}
    stated_by = {n: objectives[n]["stated_by"] for n in known
                 if isinstance(objectives[n], dict)
                 and isinstance(objectives[n].get("stated_by"), str)
                 and objectives[n]["stated_by"].strip()}
    told = [n for n in known if _has_narrative(objectives[n])]
    covered = tuple(n for n in told if n not in stated_by)
    by_partners = tuple(n for n in told if n in stated_by)
    via: dict[str, list[int]] = {}
    for n in known:
        entry = objectives[n]
        named = entry.get("principles") if isinstance(entry, dict) else None
        for slug in named if isinstance(named, list) else []:
            if isinstance(slug, str) and slug in catalogue.principles:
                via.setdefault(slug, []).append(n)
    slugs = list(catalogue.principles)
    p_covered = tuple(s for s in slugs if isinstance(principles.get(s), dict)
                      and has_text(principles[s].get("summary")))
    return Coverage(
        country=country,
        statuses=statuses,
        objectives_covered=covered,
        objectives_no_narrative=tuple(n for n in known if n not in told),
        objectives_missing=tuple(n for n in catalogue.objectives if n not in objectives),
        principles_covered=p_covered,
        principles_no_narrative=tuple(s for s in slugs if s in principles and s not in p_covered),
        principles_missing=tuple(s for s in slugs if s not in principles),
        principles_via_objectives={s: tuple(v) for s, v in via.items()},
        stated_by=stated_by,
        objectives_by_partners=by_partners,
        objective_total=len(catalogue.objectives),
        principle_total=len(slugs),
    )
