"""`gcmreview progress` output: text for people, CSV and JSON for programs,
Markdown for a job summary. Words follow the interface language; codes stay English."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from gcmreview.core.i18n import N_, _, join, ngettext
from gcmreview.core.markdown import escape as md
from gcmreview.core.status import BY_CODE
from gcmreview.model.changes import KINDS, StateChange
from gcmreview.model.indicators import ValueChange
from gcmreview.model.progress import KIND_WORDS, Progress
from gcmreview.render.terminal import Line
from gcmreview.validate.coverage import Coverage


def status_words(code: str | None) -> str:
    return _(BY_CODE[code].label).lower() if code in BY_CODE else "–"


def coverage_of(state: StateChange, which: str) -> Coverage | None:
    """The State's coverage in the earlier cycle ("before") or this one ("after")."""
    side = state.before if which == "before" else state.after
    return side.coverage if side is not None else None


def coverage_text(state: StateChange, which: str) -> str:
    cov = coverage_of(state, which)
    return f"{len(cov.objectives_covered)}/{cov.objective_total}" if cov else "–"


def principles_text(state: StateChange, which: str) -> str:
    cov = coverage_of(state, which)
    return f"{len(cov.principles_covered)}/{cov.principle_total}" if cov else "–"


def change_details(state: StateChange, kinds: tuple[str, ...] = (
        "forward", "back", "changed", "new", "dropped", "gained", "lost"),
        principles: dict[str, str] | None = None) -> list[str]:
    """One line per kind of change: the objectives, with their statuses; the guiding
    principles by their letters and names (`principles`: Progress.principle_labels)."""
    lines = []
    named = principles or {}
    for kind in kinds:
        moved = [o for o in state.objectives if o.kind == kind]
        if kind in ("forward", "back", "changed") and moved:
            lines.append(_(KIND_WORDS[kind]) + _(": ") + join([
                f"{o.number} ({status_words(o.before)} → {status_words(o.after)})"
                for o in moved]))
        elif kind in ("new", "dropped") and moved:
            lines.append(_(KIND_WORDS[kind]) + _(": ") + join([
                f"{o.number} ({status_words(o.after if kind == 'new' else o.before)})"
                for o in moved]))
        elif kind == "gained" and state.principles_gained:
            gained = state.principles_gained
            lines.append(ngettext("guiding principle now reported: {names}",
                                  "guiding principles now reported: {names}", len(gained))
                         .format(names=join([named.get(p, p) for p in gained])))
        elif kind == "lost" and state.principles_lost:
            lost = state.principles_lost
            lines.append(ngettext("guiding principle no longer reported: {names}",
                                  "guiding principles no longer reported: {names}", len(lost))
                         .format(names=join([named.get(p, p) for p in lost])))
    return lines


def summary_line(state: StateChange, since: int) -> str:
    if state.presence == "new":
        return _("new in this cycle: objectives {objectives}, guiding principles "
                 "{principles}").format(objectives=coverage_text(state, "after"),
                                        principles=principles_text(state, "after"))
    if state.presence == "gone":
        return _("no review in this cycle (in {cycle}: objectives {objectives})").format(
            cycle=since, objectives=coverage_text(state, "before"))
    return _("objectives {before} → {after}, guiding principles {p_before} → {p_after}").format(
        before=coverage_text(state, "before"), after=coverage_text(state, "after"),
        p_before=principles_text(state, "before"), p_after=principles_text(state, "after"))


def text_lines(report: Progress) -> list[Line]:
    lines = [Line(_("Progress since {since} ({where}), cycle {now}").format(
        since=report.since, where=report.where, now=report.now), "bold")]
    for state in report.states:
        lines.append(Line(f"{state.country}  {summary_line(state, report.since)}",
                          "error" if state.regression else None))
        details = change_details(state, principles=report.principle_labels)
        lines += [Line("    " + detail) for detail in details]
        if state.presence == "both" and not details:
            lines.append(Line("    " + _("no change in coverage or status")))
    lines += [Line(text, "warning") for text in left_out_lines(report)]
    if not report.states:
        lines.append(Line(_("no valid review in either cycle")))
    if report.values:
        lines.append(Line(_("Indicator values, up to {since} and latest").format(
            since=report.since), "bold"))
        lines += [Line(f"{v.country}  {value_line(v, report.since)}") for v in report.values]
    return lines


def value_line(v: ValueChange, since: int) -> str:
    """“10.7.1 (Sex=Female): 12.5 in 2020 → 10.2 in 2024 (−2.3)”."""
    what = v.indicator + (f" ({v.series})" if v.series else "")
    after = _("{value} in {year}").format(value=v.after, year=v.after_year)
    if v.before is None or v.change is None:
        return _("{indicator}: {after} (no value up to {since})").format(
            indicator=what, after=after, since=since)
    before = _("{value} in {year}").format(value=v.before, year=v.before_year)
    sign = "+" if v.change > 0 else ("−" if v.change < 0 else "±")
    return _("{indicator}: {before} → {after} ({change})").format(
        indicator=what, before=before, after=after, change=f"{sign}{abs(v.change)}")


def left_out_lines(report: Progress) -> list[str]:
    """The States not compared because a file of theirs is invalid, cycle by cycle."""
    return [_("Left out, invalid in {cycle}: {files}").format(
                cycle=cycle, files=join([f"{code} ({path})" for code, path in files]))
            for cycle, files in ((report.since, report.left_out),
                                 (report.now, report.left_out_now)) if files]


def regression_lines(report: Progress) -> list[Line]:
    out = []
    for state in report.regressions:
        what = ([summary_line(state, report.since)] if state.presence == "gone"
                else change_details(state, ("back", "dropped", "lost"),
                                    report.principle_labels))
        out.append(Line(_("{state}: since {cycle}, {what}").format(
            state=state.country, cycle=report.since, what="; ".join(what)), "error"))
    return out


def as_json(report: Progress) -> dict[str, Any]:
    def side(state: StateChange, which: str) -> dict[str, int] | None:
        cov = coverage_of(state, which)
        return {"objectives": len(cov.objectives_covered),
                "principles": len(cov.principles_covered)} if cov else None

    return {
        "version": 1,
        "since": report.since,
        "now": report.now,
        "history": report.where,
        "commit": report.commit or None,
        "left_out": [{"country": c, "file": p} for c, p in report.left_out],
        "left_out_now": [{"country": c, "file": p} for c, p in report.left_out_now],
        "states": [{
            "country": s.country,
            "presence": s.presence,
            "coverage": {"before": side(s, "before"), "after": side(s, "after")},
            "objectives": [{"objective": o.number, "before": o.before, "after": o.after,
                            "change": o.kind} for o in s.objectives],
            "principles": {"gained": list(s.principles_gained),
                           "lost": list(s.principles_lost)},
            "regression": s.regression,
        } for s in report.states],
        "objectives": {str(n): {k: counts.get(k, 0) for k in KINDS if k != "unchanged"}
                       for n, counts in report.objectives_moved.items()},
        "values": [{"country": v.country, "indicator": v.indicator, "series": v.series,
                    "before": None if v.before is None else
                    {"year": v.before_year, "value": str(v.before)},
                    "after": {"year": v.after_year, "value": str(v.after)},
                    "change": None if v.change is None else str(v.change)}
                   for v in report.values],
    }


def as_json_text(report: Progress) -> str:
    return json.dumps(as_json(report), indent=2, ensure_ascii=False) + "\n"


def as_csv(report: Progress) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["country", "objective", f"status_{report.since}", f"status_{report.now}",
                     "change"])
    for state in report.states:
        for o in state.objectives:
            writer.writerow([state.country, o.number, o.before or "", o.after or "", o.kind])
    return out.getvalue()


COLUMNS = {"forward": N_("objectives moved forward"), "back": N_("objectives moved back"),
           "new": N_("objectives newly reported"), "dropped": N_("objectives no longer reported")}
"""The summary table's columns hold objectives' numbers: the header says so ("moved forward"
over "1" read as a count)."""


def as_markdown(report: Progress, names: dict[str, str]) -> str:
    title = _("Progress since {since}, cycle {now}").format(since=report.since, now=report.now)
    lines = [f"## {md(title)}", ""]
    header = [_("State"), _("objectives covered, {cycle}").format(cycle=report.since),
              _("objectives covered, {cycle}").format(cycle=report.now),
              *(_(COLUMNS[k]) for k in ("forward", "back", "new", "dropped"))]
    lines.append("| " + " | ".join(md(h) for h in header) + " |")
    lines.append("|" + "---|" * len(header))
    for s in report.states:
        cells = [f"{s.country} {names.get(s.country, '')}".strip(), coverage_text(s, "before"),
                 coverage_text(s, "after"),
                 *(join([str(n) for n in s.of_kind(k)]) or "–"
                   for k in ("forward", "back", "new", "dropped"))]
        mark = "**" if s.regression else ""
        lines.append("| " + " | ".join(f"{mark}{md(c)}{mark}" if i == 0 else md(c)
                                       for i, c in enumerate(cells)) + " |")
    lines.append("")
    for s in report.states:
        details = change_details(s, principles=report.principle_labels)
        if details:
            lines.append(f"- **{md(s.country)}**")
            lines += [f"  - {md(d)}" for d in details]
    left_out = left_out_lines(report)
    if left_out:
        lines += ["", *(md(text) + "  " for text in left_out)]
    if report.values:
        title = _("Indicator values, up to {since} and latest").format(since=report.since)
        lines += ["", f"### {md(title)}", ""]
        lines += [f"- **{md(v.country)}** {md(value_line(v, report.since))}" for v in report.values]
    return "\n".join(lines) + "\n"


FORMATS: dict[str, Callable[[Progress, dict[str, str]], str]] = {
    "json": lambda report, _names: as_json_text(report),
    "csv": lambda report, _names: as_csv(report),
    "markdown": as_markdown,
}
"""`progress --format` besides the terminal's table (the CLI prints that one); `names`:
English country names for summaries."""
