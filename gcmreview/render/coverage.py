"""Coverage matrices and diffs for people and programs: terminal tables, CSV, JSON
(shape documented in docs/format.md, `"version": 1`) and Markdown for a GitHub job
summary. The data comes from gcmreview.model.matrix.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

from gcmreview.core.diagnostics import Diagnostic
from gcmreview.core.i18n import _, join, ngettext
from gcmreview.core.markdown import escape as md_escape
from gcmreview.core.status import (
    BY_CODE,
    INVALID_STATUS,
    NO_NARRATIVE,
    NOT_STATED,
    OBJECTIVE_STATUSES,
    PARTNER,
    REPORTED,
)
from gcmreview.model.changes import CoverageDiff, StateChange
from gcmreview.model.matrix import Snapshot, StateCoverage
from gcmreview.render.data_file import spreadsheet_text

JSON_VERSION = 1


@dataclass(frozen=True)
class CoverageView:
    """What `gcmreview coverage` shows: the workspace now, and what changed if asked."""

    region: str
    cycle: int
    letters: dict[str, str]
    """Guiding-principle slug -> its letter in A/RES/73/195 para. 15."""
    principles: dict[str, str]
    """Guiding-principle slug -> “(a) its name”, in the user's language."""
    names: dict[str, str]
    """Country code -> English name, for summaries."""
    now: Snapshot
    diff: CoverageDiff | None = None
    data: dict[str, dict[str, tuple[int, ...]]] = field(default_factory=dict)
    """Country -> indicator -> the years its valid data file has values for."""
    unread: list[Diagnostic] = field(default_factory=list)
    """Files of the countries folder that look like review files but are not read: the
    matrix shows their State as not submitted, and says why on the side."""

    @property
    def regressions(self) -> list[StateChange]:
        return self.diff.regressions if self.diff else []


def legend() -> list[tuple[str, str]]:
    """(symbol, meaning) of every matrix cell, in the user's language."""
    return [*((s.symbol, _(s.label).lower()) for s in OBJECTIVE_STATUSES),
            (NOT_STATED.symbol, _(NOT_STATED.key_label).lower()),
            (PARTNER.symbol, _("a partner's statement, not the State's (not covered)")),
            (NO_NARRATIVE.symbol, _("listed without a narrative (not covered)")),
            (INVALID_STATUS.symbol, _("covered, but the status is missing or invalid")),
            (_("blank"), _("not reported"))]


def state_note(state: StateCoverage) -> str:
    if not state.submitted:
        return _("not submitted")
    parts = []
    if state.coverage is None:
        parts.append(_("unreadable"))
    elif not state.valid:
        parts.append(_("invalid"))
    if not state.participant:
        parts.append(_("not a participant"))
    return join(parts)


def symbol(code: str | None) -> str:
    return BY_CODE[code].symbol if code else ""


def principle_mark(state: StateCoverage, slug: str) -> str:
    return REPORTED.symbol if slug in state.principles else ""


def _count(items: tuple[Any, ...], total: int, state: StateCoverage) -> str:
    return f"{len(items)}/{total}" if state.coverage else "–"


def matrix_tables(snap: Snapshot, letters: dict[str, str]) -> list[Table]:
    """Two rich tables: States × objectives, States × guiding principles."""
    compact = {"title_justify": "left", "box": box.SIMPLE_HEAD, "padding": (0, 0),
               "collapse_padding": True, "show_edge": False}
    objectives = Table(title=_("Objectives"), **compact)  # type: ignore[arg-type]
    objectives.add_column(_("State"), no_wrap=True)
    for n in snap.objectives:
        objectives.add_column(str(n), justify="center", no_wrap=True)
    objectives.add_column(_("Covered"), justify="right", no_wrap=True)
    objectives.add_column(_("Note"), no_wrap=True)
    principles = Table(title=_("Guiding principles"), **compact)  # type: ignore[arg-type]
    principles.add_column(_("State"), no_wrap=True)
    for slug in snap.principles:
        principles.add_column(letters.get(slug, slug), justify="center", no_wrap=True)
    principles.add_column(_("Covered"), justify="right", no_wrap=True)
    for state in snap.states.values():
        cells = [state.cell(n) for n in snap.objectives]
        objectives.add_row(Text(state.country), *(symbol(c) for c in cells),
                           _count(state.objectives, len(snap.objectives), state),
                           state_note(state))
        principles.add_row(Text(state.country),
                           *(principle_mark(state, p) for p in snap.principles),
                           _count(state.principles, len(snap.principles), state))
    return [objectives, principles]


def legend_text(snap: Snapshot, principles: dict[str, str]) -> list[str]:
    return [_("Objectives: {legend}").format(
                legend=join([f"{sym} {what}" for sym, what in legend()])),
            _("Guiding principles: {letters}; {symbol} covered").format(
                letters=join([principles.get(s, s) for s in snap.principles]),
                symbol=REPORTED.symbol), *translation_text(snap)]


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def matrix_csv(snap: Snapshot, data: dict[str, dict[str, tuple[int, ...]]] | None = None
               ) -> str:
    """One row per State; o1..o23 hold status codes, p:<slug> yes or no; `indicators`: how
    many indicators the State has values for."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["country", "participant", "submitted", "valid", "objectives_covered",
                     "principles_covered", *(f"o{n}" for n in snap.objectives),
                     *(f"p:{s}" for s in snap.principles), "indicators"])
    for state in snap.states.values():
        has = state.coverage is not None
        writer.writerow([
            spreadsheet_text(state.country), _yes_no(state.participant), _yes_no(state.submitted),
            _yes_no(state.valid), len(state.objectives) if has else "",
            len(state.principles) if has else "",
            *(state.cell(n) or "" for n in snap.objectives),
            *((_yes_no(s in state.principles) if has else "") for s in snap.principles),
            len((data or {}).get(state.country, {})),
        ])
    return buffer.getvalue()


def matrix_json(snap: Snapshot, region: str, cycle: int,
                data: dict[str, dict[str, tuple[int, ...]]] | None = None) -> dict[str, Any]:
    return {
        "version": JSON_VERSION,
        "region": region,
        "cycle": cycle,
        "objectives": list(snap.objectives),
        "principles": list(snap.principles),
        "states": [{
            "country": s.country,
            "participant": s.participant,
            "submitted": s.submitted,
            "path": s.path,
            "readable": s.coverage is not None,
            "valid": s.valid,
            "objectives": {
                "covered": len(s.objectives),
                "total": len(snap.objectives),
                "cells": {str(n): s.cell(n) for n in snap.objectives},
            },
            "principles": {
                "covered": len(s.principles),
                "total": len(snap.principles),
                "cells": {slug: slug in s.principles for slug in snap.principles},
            },
            "translations": {c.lang: c.as_dict() for c in s.translations},
            "indicators": {code: {"first": years[0], "last": years[-1], "years": len(years)}
                           for code, years in (data or {}).get(s.country, {}).items()
                           if years},
        } for s in snap.states.values()],
    }


def translation_text(snap: Snapshot) -> list[str]:
    """Per State, how far its review is translated into each language (when any is)."""
    lines = []
    for state in snap.states.values():
        said = [_("{lang} {translated}/{units}").format(lang=c.lang, translated=c.current,
                                                       units=c.units)
                + (" " + _("({stale} stale)").format(stale=c.stale) if c.stale else "")
                for c in state.translations]
        if said:
            lines.append(f"{state.country}: {join(said)}")
    return [_("Translations:"), *("  " + line for line in lines)] if lines else []


def _md_table(header: list[str], rows: list[list[str]], align: list[str]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _name(code: str, names: dict[str, str]) -> str:
    return md_escape(names.get(code, ""))


def heading(region: str, cycle: int) -> str:
    """The summary's title: the region's name is data, escaped."""
    return "## " + _("GCM review coverage: {region}, cycle {cycle}").format(
        region=md_escape(region), cycle=cycle)


def matrix_markdown(snap: Snapshot, region: str, cycle: int, letters: dict[str, str],
                    names: dict[str, str], principles: dict[str, str]) -> str:
    obj_rows = [[md_escape(s.country), _name(s.country, names),
                 *(symbol(s.cell(n)) for n in snap.objectives),
                 _count(s.objectives, len(snap.objectives), s), state_note(s)]
                for s in snap.states.values()]
    pr_rows = [[md_escape(s.country), *(principle_mark(s, p) for p in snap.principles),
                _count(s.principles, len(snap.principles), s)] for s in snap.states.values()]
    lines = [heading(region, cycle), "", "### " + _("Objectives"), ""]
    lines += _md_table([_("State"), _("Name"), *map(str, snap.objectives), _("Covered"),
                        _("Note")], obj_rows,
                       ["---", "---", *([":-:"] * len(snap.objectives)), "--:", "---"])
    lines += ["", _("Legend: {legend}.").format(
        legend=join([f"{sym} {what}" for sym, what in legend()])), "",
              "### " + _("Guiding principles"), ""]
    lines += _md_table([_("State"), *(letters.get(p, p) for p in snap.principles),
                        _("Covered")],
                       pr_rows, ["---", *([":-:"] * len(snap.principles)), "--:"])
    lines += ["", _("Principles: {letters}.").format(
        letters=join([md_escape(principles.get(p, p)) for p in snap.principles])), ""]
    return "\n".join(lines)


def status_words(status: str | None) -> str:
    """Our words for a status: a value the format does not know is not echoed."""
    if status is None:
        return _("no status")
    return _(BY_CODE[status].label).lower() if status in BY_CODE else _("an invalid status")


def _numbers(items: Iterable[int]) -> str:
    return join([str(n) for n in items])


def _principle_words(slugs: tuple[str, ...] | list[str], principles: dict[str, str]) -> str:
    return join([principles.get(s, s) for s in slugs])


def change_lines(d: StateChange, principles: dict[str, str]) -> list[str]:
    """What changed for one State, one plain-text line per kind of change."""
    if d.after is None:
        before = d.before
        return [_("file removed: it covered {objectives} objectives and {principles} guiding "
                  "principles").format(objectives=len(before.objectives) if before else 0,
                                       principles=len(before.principles) if before else 0)]
    lines = [_("new review file")] if d.before is None else []
    if d.after.coverage is None:
        lines.append(_("the file cannot be read (run `gcmreview validate`)"))
    dropped, new = d.of_kind("dropped"), d.of_kind("new")
    if dropped:
        lines.append(ngettext("no longer covers objective {numbers}",
                              "no longer covers objectives {numbers}", len(dropped)).format(
                                  numbers=_numbers(dropped)))
    if new:
        lines.append(ngettext("now covers objective {objectives}",
                              "now covers objectives {objectives}", len(new)).format(
                                  objectives=join([f"{n} ({status_words(d.after.status(n))})"
                                                   for n in new])))
    if d.status_changes:
        lines.append(_("status changed: {changes}").format(changes=join([
            f"{o.number}: {status_words(o.before)} → {status_words(o.after)}"
            for o in d.status_changes])))
    if d.texts_changed:
        lines.append(ngettext("text changed for objective {numbers}",
                              "text changed for objectives {numbers}",
                              len(d.texts_changed)).format(numbers=_numbers(d.texts_changed)))
    if d.principles_lost:
        lines.append(_("no longer covers the guiding principles: {slugs}").format(
            slugs=_principle_words(d.principles_lost, principles)))
    if d.principles_gained:
        lines.append(_("now covers the guiding principles: {slugs}").format(
            slugs=_principle_words(d.principles_gained, principles)))
    if d.principle_texts_changed:
        lines.append(_("text changed for the guiding principles: {slugs}").format(
            slugs=_principle_words(d.principle_texts_changed, principles)))
    return lines


def regression_line(d: StateChange, principles: dict[str, str]) -> str:
    """Why a State counts as a regression: what it lost or moved back, and what it gained
    meanwhile."""
    if d.after is None:
        return _("{state}: its review file was removed").format(state=d.country)
    lost = []
    if d.of_kind("dropped") or d.principles_lost:
        lost.append(_("no longer covers {what}").format(
            what=_coverage_words(d.of_kind("dropped"), d.principles_lost, principles)))
    back = [o for o in d.objectives if o.kind == "back"]
    if back:
        lost.append(ngettext("objective {changes} moved back", "objectives {changes} moved back",
                             len(back)).format(changes=join([
                                 f"{o.number} ({status_words(o.before)} → "
                                 f"{status_words(o.after)})" for o in back])))
    line = _("{state}: {what}").format(state=d.country, what=_("; ").join(lost))
    if d.of_kind("new") or d.principles_gained:
        line += _(" (it now covers {what})").format(
            what=_coverage_words(d.of_kind("new"), d.principles_gained, principles))
    return line


def _coverage_words(objectives: tuple[int, ...], slugs: tuple[str, ...],
                    principles: dict[str, str]) -> str:
    parts = []
    if objectives:
        parts.append(ngettext("objective {numbers}", "objectives {numbers}",
                              len(objectives)).format(numbers=_numbers(objectives)))
    if slugs:
        parts.append(ngettext("the guiding principle {slugs}", "the guiding principles {slugs}",
                              len(slugs)).format(slugs=_principle_words(slugs, principles)))
    return _(" and ").join(parts)


def _delta(old: int, new: int) -> str:
    return f" ({new - old:+d})" if new != old else ""


def _counts(d: StateChange, total_o: int, total_p: int) -> tuple[str, str]:
    if d.after is None or d.after.coverage is None:
        return "–", "–"
    old_o = len(d.before.objectives) if d.before else 0
    old_p = len(d.before.principles) if d.before else 0
    new_o, new_p = len(d.after.objectives), len(d.after.principles)
    return (f"{new_o}/{total_o}{_delta(old_o, new_o)}", f"{new_p}/{total_p}{_delta(old_p, new_p)}")


def diff_table(cd: CoverageDiff, principles: dict[str, str]) -> Table:
    table = Table(title=_("Coverage against {ref} ({commit})").format(
        ref=cd.base, commit=cd.base_commit[:12]), title_justify="left")
    for column, justify in ((_("State"), "left"), (_("Objectives"), "right"),
                            (_("Principles"), "right"), (_("Changes"), "left")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    total_o, total_p = len(cd.after.objectives), len(cd.after.principles)
    for d in cd.states:
        objectives, principle_count = _counts(d, total_o, total_p)
        lines = change_lines(d, principles) or [_("no change in coverage")]
        style = "red" if d.regression else ("green" if d.file_change != "unchanged" else "")
        table.add_row(Text(d.country), objectives, principle_count, Text("\n".join(lines)),
                      style=style)
    return table


def diff_json(cd: CoverageDiff) -> dict[str, Any]:
    def counts(state: StateCoverage | None) -> dict[str, int] | None:
        if state is None:
            return None
        return {"objectives": len(state.objectives), "principles": len(state.principles)}

    return {
        "version": JSON_VERSION,
        "base": cd.base,
        "base_commit": cd.base_commit,
        "regression": bool(cd.regressions),
        "objective_total": len(cd.after.objectives),
        "principle_total": len(cd.after.principles),
        "states": [{
            "country": d.country,
            "change": d.file_change,
            "regression": d.regression,
            "before": counts(d.before),
            "after": counts(d.after),
            "objectives": {
                "newly_covered": list(d.of_kind("new")),
                "regressed": list(d.of_kind("dropped")),
                "moved_back": list(d.of_kind("back")),
                "status_changed": [{"objective": o.number, "before": o.before,
                                    "after": o.after} for o in d.status_changes],
                "narratives_changed": list(d.texts_changed),
            },
            "principles": {
                "newly_covered": list(d.principles_gained),
                "regressed": list(d.principles_lost),
                "narratives_changed": list(d.principle_texts_changed),
            },
        } for d in cd.states],
        "not_submitted": [s.country for s in cd.after.states.values() if not s.submitted],
    }


def diff_markdown(cd: CoverageDiff, region: str, cycle: int, names: dict[str, str],
                  principles: dict[str, str]) -> str:
    """The job summary: coverage per State now, then what changed against the base."""
    base = md_escape(cd.base)
    total_o, total_p = len(cd.after.objectives), len(cd.after.principles)
    by_code = {d.country: d for d in cd.states}
    rows = []
    for code in sorted({*cd.after.states, *by_code}):
        d, state = by_code.get(code), cd.after.states.get(code)
        if d is None:
            rows.append([md_escape(code), _name(code, names), "–", "–", _("not submitted")])
            continue
        objectives, principle_count = _counts(d, total_o, total_p)
        notes = ["**" + _("regression") + "**"] if d.regression else []
        notes.append({"added": _("new file"), "removed": _("file removed"),
                      "changed": _("changed"), "unchanged": ""}[d.file_change])
        if state is not None and state.submitted:
            notes.append(state_note(state))
        rows.append([md_escape(code), _name(code, names), objectives, principle_count,
                     join([n for n in notes if n])])
    lines = [heading(region, cycle), ""]
    if cd.regressions:
        lines += ["**" + _("Regressions against {ref}:").format(ref=base) + "**", ""]
        lines += [f"- {md_escape(regression_line(d, principles))}"
                  for d in cd.regressions] + [""]
    lines += _md_table([_("State"), _("Name"), _("Objectives"), _("Principles"),
                        _("Against {ref}").format(ref=base)], rows,
                       ["---", "---", "--:", "--:", "---"])
    lines += ["", "### " + _("Changes against {ref} ({commit})").format(
        ref=base, commit=cd.base_commit[:12]), ""]
    changed = [d for d in cd.states if d.file_change != "unchanged"]
    if not changed:
        lines.append(_("No change in coverage or text."))
    for d in changed:
        name = names.get(d.country)
        head = f"**{md_escape(d.country)}**" + (f" ({md_escape(name)})" if name else "")
        lines.append(f"- {head}")
        lines += [f"  - {md_escape(line)}" for line in change_lines(d, principles)]
    lines.append("")
    return "\n".join(lines)


def _json(value: dict[str, Any]) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


MATRIX_FORMATS: dict[str, Callable[[CoverageView], str]] = {
    "csv": lambda view: matrix_csv(view.now, view.data),
    "json": lambda view: _json(matrix_json(view.now, view.region, view.cycle, view.data)),
    "markdown": lambda view: matrix_markdown(view.now, view.region, view.cycle, view.letters,
                                             view.names, view.principles),
}
"""`coverage --format` besides the terminal's table (the CLI prints that one)."""

DIFF_FORMATS: dict[str, Callable[[CoverageView], str]] = {
    "json": lambda view: _json(diff_json(view.diff)) if view.diff else "",
    "markdown": lambda view: diff_markdown(view.diff, view.region, view.cycle, view.names,
                                           view.principles)
    if view.diff else "",
}
"""`coverage --diff --format` besides the terminal's table."""
