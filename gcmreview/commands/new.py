"""`gcmreview new XX`: a complete review file to fill in.

Every objective and principle is present with its catalogue title as a comment,
and every text is a `TODO:` placeholder that `validate` reports until replaced.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from gcmreview.commands.context import Context
from gcmreview.core import countries
from gcmreview.core.diagnostics import display_path
from gcmreview.core.errors import UsageError
from gcmreview.core.files import write_atomic
from gcmreview.core.i18n import _
from gcmreview.load.catalogue import Catalogue, Label
from gcmreview.validate.schema import review_schema, to_json

DEFAULT_CYCLE = 2026
"""Outside a workspace: the next IMRF."""


def _comment(label: Label) -> str:
    return f"{label.text} [{label.lang}: no official title in this language yet]" \
        if label.fallback else label.text


def _todo(what: str) -> str:
    return json.dumps(f"TODO: {what}", ensure_ascii=False)


def scaffold(country: str, lang: str, cycle: int, catalogue: Catalogue, schema_ref: str) -> str:
    lines = [
        f"# yaml-language-server: $schema={schema_ref}",
        f"# {catalogue.compact_name(lang).text}: voluntary review of {country}.",
        "# Replace every TODO text; `gcmreview validate` lists the ones left.",
        "# Leave out an objective or principle the review does not cover.",
        "# Format reference: docs/format.md",
        f"country: {country}",
        "review:",
        f"  cycle: {cycle}",
        f"  language: {lang}",
        "  status: draft  # draft, submitted or final",
        '  # date: "2024-05-01"  # the date of this version, as YYYY-MM-DD',
        f"  lead_institution: {_todo('institution leading the review')}",
        "",
        "methodology:",
        "  summary: " + _todo("how the review was prepared (whole-of-government and "
                              "whole-of-society approaches)"),
        "  institutions: []  # government institutions involved",
        "  stakeholders: []  # - {group: civil_society, details: ...}",
        "",
        "policy_environment:",
        f"  summary: {_todo('national policies, laws, strategies and coordination mechanisms')}",
        "  instruments: []  # - {title: ..., kind: strategy, year: 2020, status: adopted}",
        "",
        "objectives:",
    ]
    for rt, numbers in catalogue.round_tables.items():
        lines.append(f"  # IMRF round table {rt}: objectives {', '.join(map(str, numbers))}")
    for n, objective in catalogue.objectives.items():
        lines += [
            f"  # {n}. {_comment(objective.title(lang))}",
            f"  {n}:",
            "    status: not_started  # not_started, planned, in_progress, implemented, "
            "not_applicable",
            f"    summary: {_todo(f'progress on objective {n}')}",
            "    measures: []  # - {title: ..., year: 2020, description: ...}",
            "    good_practices: []",
            "    challenges: []",
            "    partners: []",
            "    principles: []  # guiding principles this response addresses",
        ]
    lines += ["", "principles:"]
    for slug, principle in catalogue.principles.items():
        lines += [
            f"  # ({principle.letter}) {_comment(principle.name(lang))}",
            f"  {slug}:",
            f"    summary: {_todo(f'how the review addresses {slug}')}",
        ]
    lines += [
        "",
        "covid19:",
        f"  summary: {_todo('impact of COVID-19 on migrants and on GCM implementation')}",
        "",
        "means_of_implementation:",
        f"  summary: {_todo('resources, partnerships and capacity-building needs')}",
        "",
        "next_steps:",
        f"  summary: {_todo('planned actions up to the next review')}",
        "",
        "reservations: []  # - {summary: ..., objectives: [...]}",
        "",
        "sources: []  # - {id: report-2024, title: ..., date: \"2024-05-01\"}",
        "",
    ]
    return "\n".join(lines)


def new(ctx: Context, country: str, lang: str, output: Path | None = None,
        force: bool = False) -> Path:
    """Write the scaffold (and the schema it points editors to, if missing); return its path."""
    code = countries.normalise(country)
    if not countries.is_country_code(code):
        named = countries.code_for_name(country)
        raise UsageError(_("“{country}” is not an ISO 3166-1 country code").format(
            country=country),
                         hint=_("write {code}").format(code=named) if named else
                         _("for example MA for Morocco, LB for Lebanon"))
    workspace = ctx.workspace
    target = output or (workspace.review_path(code) if workspace
                        else ctx.cwd / "countries" / f"{code}.yaml")
    if target.exists() and not force:
        raise UsageError(_("{path} already exists").format(path=display_path(target)),
                         hint=_("add --force to replace it"))
    root = workspace.root if workspace else ctx.cwd
    schema_file = root / "review.schema.json"
    if not schema_file.exists():
        write_atomic(schema_file, to_json(review_schema(ctx.catalogue)).encode())
    ref = Path(os.path.relpath(schema_file.resolve(), target.resolve().parent)).as_posix()
    cycle = workspace.cycle if workspace else DEFAULT_CYCLE
    write_atomic(target, scaffold(code, lang, cycle, ctx.catalogue, ref).encode())
    return target
