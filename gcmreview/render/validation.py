"""Reporters: turn a ValidationRun into text, JSON, GitHub annotations or SARIF.

Nothing here prints: the CLI writes what these functions return. The JSON shape is documented
in docs/format.md and versioned (`"version": 1`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from gcmreview import __version__
from gcmreview.core.diagnostics import Diagnostic, Severity, Where
from gcmreview.core.i18n import N_, _, join, ngettext
from gcmreview.core.rules import RULES
from gcmreview.core.text import excerpt
from gcmreview.render.terminal import Line, table
from gcmreview.validate.results import ValidationRun

SEVERITY_WORDS = {Severity.ERROR: N_("error"), Severity.WARNING: N_("warning")}
"""The severity as people read it: `erreur[yaml-syntax]` in French. JSON, GitHub
annotations and SARIF keep the English value, for programs."""


def format_line(d: Diagnostic) -> str:
    """`file:line:col: severity[code]: message`. The position and the rule code stay the
    same in every language; the severity word and the message are the user's (in English,
    the default, editors that read `file:line:col: error[...]` still do). In a Word
    document, which has no lines: `file: section “…”, row 3: …`."""
    first = d.message.split("\n", 1)[0]
    severity = _(SEVERITY_WORDS[d.severity])
    if d.where is not None:
        place = where_text(d.where)
        return f"{d.path}: " + (f"{place}: " if place else "") + \
            f"{severity}[{d.code}]: {first}"
    return f"{d.path}:{d.position.line}:{d.position.column}: {severity}[{d.code}]: {first}"


def where_text(where: Where) -> str:
    """A place in a Word document in words: “section “Objective 7”, row 3 “Status””."""
    parts = []
    if where.section:
        parts.append(_("section “{heading}”").format(heading=excerpt(where.section, 50)))
    if where.block and not where.row:  # Word shows no paragraph numbers: a row says more
        parts.append(_("paragraph {number}").format(number=where.block))
    if where.row and where.label:
        parts.append(_("row {number} “{label}”").format(number=where.row,
                                                       label=excerpt(where.label, 50)))
    elif where.row:
        parts.append(_("row {number}").format(number=where.row))
    return join(parts)


def hint_lines(hint: str, indent: str = "    ") -> list[Line]:
    """A hint, and the corrected lines it shows (kept as they are, indentation and all)."""
    first, *rest = hint.split("\n")
    label = _("hint: {text}").format(text=first)
    return [Line(f"{indent}{label}", "dim"),
            *(Line(f"{indent}        {line}", "dim") for line in rest)]


def diagnostic_lines(d: Diagnostic) -> list[Line]:
    lines = [Line(format_line(d), "error" if d.severity is Severity.ERROR else "warning")]
    return lines + (hint_lines(d.hint) if d.hint else [])


def report_lines(run: ValidationRun) -> list[Line]:
    """The text report: a coverage table per file, every problem, then a summary."""
    lines: list[Line] = []
    if run.files:
        rows = []
        for f in run.files:
            cov = f.coverage
            errors = sum(d.severity is Severity.ERROR for d in f.diagnostics)
            rows.append([
                f.shown_as, f.country or "?",
                f"{len(cov.objectives_covered)}/{cov.objective_total}" if cov else "-",
                f"{len(cov.principles_covered)}/{cov.principle_total}" if cov else "-",
                str(errors), str(len(f.diagnostics) - errors)])
        lines.append(Line(_("Coverage"), "bold"))
        lines += [Line(t) for t in table(
            [_("File"), _("Country"), _("Objectives"), _("Principles"), _("Errors"),
             _("Warnings")], rows, [False, False, True, True, True, True])]
        lines += translation_lines(run)
    if run.data:
        rows = []
        for r in run.data:
            errors = sum(d.severity is Severity.ERROR for d in r.diagnostics)
            years = r.years
            rows.append([r.shown_as, r.country or "?", r.indicator or "?",
                         f"{years[0]}–{years[-1]}" if years else "-", str(len(r.values)),
                         str(errors), str(len(r.diagnostics) - errors)])
        lines.append(Line(_("Indicator data"), "bold"))
        lines += [Line(t) for t in table(
            [_("File"), _("Country"), _("Indicator"), _("Years"), _("Values"), _("Errors"),
             _("Warnings")], rows, [False, False, False, False, True, True, True])]
    for d in run.diagnostics:
        lines += diagnostic_lines(d)
    errors, warnings = run.count(Severity.ERROR), run.count(Severity.WARNING)
    data_files = ngettext(" and {count} data file", " and {count} data files",
                          len(run.data)).format(count=len(run.data)) if run.data else ""
    lines.append(Line(
        ngettext("{count} file checked", "{count} files checked", len(run.files)).format(
            count=len(run.files)) + data_files + _(": ")
        + ngettext("{count} error", "{count} errors", errors).format(count=errors) + _(", ")
        + ngettext("{count} warning", "{count} warnings", warnings).format(count=warnings)))
    if run.not_submitted:
        lines.append(Line(ngettext("Not yet submitted ({count} State): {codes}",
                                   "Not yet submitted ({count} States): {codes}",
                                   len(run.not_submitted)).format(
                                       count=len(run.not_submitted),
                                       codes=join(run.not_submitted))))
    return lines


def translation_lines(run: ValidationRun) -> list[Line]:
    """How far each review is translated, per language: a table, when there is any."""
    rows = [[f.shown_as, c.lang + (" *" if c.required else ""), f"{c.current}/{c.units}",
             str(c.stale), str(c.missing)]
            for f in run.files for c in f.translations]
    if not rows:
        return []
    lines = [Line(_("Translations"), "bold")]
    lines += [Line(t) for t in table(
        [_("File"), _("Language"), _("Translated"), _("Stale"), _("Missing")], rows,
        [False, False, True, True, True])]
    if any(c.required for f in run.files for c in f.translations):
        lines.append(Line(_("* a language the workspace requires (gcmreview.yaml, "
                            "`translations: required`)"), "dim"))
    return lines


def as_json(run: ValidationRun) -> dict[str, Any]:
    return {
        "version": 1,
        "valid": run.exit_code == 0,
        "summary": {
            "files": len(run.files),
            "data_files": len(run.data),
            "errors": run.count(Severity.ERROR),
            "warnings": run.count(Severity.WARNING),
        },
        "files": [
            {
                "path": f.shown_as,
                "country": f.country,
                "valid": f.valid,
                "coverage": f.coverage.as_dict() if f.coverage else None,
                "translations": {c.lang: c.as_dict() for c in f.translations},
            }
            for f in run.files
        ],
        "not_submitted": list(run.not_submitted),
        "data": [
            {
                "path": r.shown_as,
                "country": r.country,
                "indicator": r.indicator,
                "valid": r.valid,
                "years": list(r.years),
                "values": len(r.values),
                "breakdowns": list(r.breakdowns),
            }
            for r in run.data
        ],
        "diagnostics": [d.as_dict() for d in run.diagnostics],
    }


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(command: str, message: str, **properties: object) -> str:
    """One GitHub Actions workflow command (`::error title=...::message`), escaped so that
    its text cannot end it or start another."""
    given = ",".join(f"{name}={_escape_property(str(value))}"
                     for name, value in properties.items())
    return f"::{command}{' ' + given if given else ''}::{_escape_data(message)}"


def github_lines(run: ValidationRun) -> list[str]:
    """GitHub Actions workflow commands: annotations on the lines of the pull request."""
    lines = []
    for d in run.diagnostics:
        message = d.message + ("\n" + _("hint: {text}").format(text=d.hint) if d.hint else "")
        lines.append(workflow_command(d.severity.value, message, file=d.path,
                                      line=d.position.line, col=d.position.column,
                                      title=d.code))
    return lines


def as_sarif(run: ValidationRun) -> dict[str, Any]:
    """SARIF 2.1.0, for code-scanning views (github/codeql-action/upload-sarif)."""
    used = sorted({d.code for d in run.diagnostics})
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "gcmreview",
                "version": __version__,
                "informationUri": "https://github.com/gcmreview/gcmreview",
                "rules": [{"id": code, "shortDescription": {"text": RULES.get(code, code)}}
                          for code in used],
            }},
            "results": [{
                "ruleId": d.code,
                "level": "error" if d.severity is Severity.ERROR else "warning",
                "message": {"text": d.message + ("\n" + _("hint: {text}").format(text=d.hint)
                                                 if d.hint else "")},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": d.path},
                    "region": {"startLine": d.position.line, "startColumn": d.position.column},
                }}],
            } for d in run.diagnostics],
        }],
    }


def render_json(run: ValidationRun) -> str:
    return json.dumps(as_json(run), indent=2, ensure_ascii=False) + "\n"


def render_github(run: ValidationRun) -> str:
    return "".join(line + "\n" for line in github_lines(run))


def render_sarif(run: ValidationRun) -> str:
    return json.dumps(as_sarif(run), indent=2, ensure_ascii=False) + "\n"


MACHINE_FORMATS: dict[str, Callable[[ValidationRun], str]] = {
    "json": render_json,
    "github": render_github,
    "sarif": render_sarif,
}
