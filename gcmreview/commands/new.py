"""`gcmreview new XX`: a complete review file to fill in.

Every objective and principle is present with its catalogue title as a comment,
and every text is a `TODO:` placeholder that `validate` reports until replaced.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from gcmreview.commands.context import Context
from gcmreview.core import countries, status
from gcmreview.core.diagnostics import display_path
from gcmreview.core.errors import UsageError
from gcmreview.core.files import write_atomic
from gcmreview.core.i18n import Formatter, _
from gcmreview.load.catalogue import Catalogue, Label
from gcmreview.model.progress import carried_forward
from gcmreview.render.review_file import canonical, catalogue_titles, plain
from gcmreview.validate.history import earlier_review
from gcmreview.validate.schema import review_schema, to_json
from gcmreview.validate.workspace import NEXT_IMRF


def scaffold(country: str, lang: str, cycle: int, catalogue: Catalogue, schema_ref: str) -> str:
    """The file, its comments and placeholders in `lang`: a French focal point reads French."""
    fmt = Formatter(lang)
    _ = fmt.gettext

    def comment(label: Label) -> str:
        if not label.fallback:
            return label.text
        return label.text + " " + _("(the English title: there is no official one in this "
                                    "language yet)")

    def todo(what: str) -> str:
        return json.dumps(f"TODO: {what}", ensure_ascii=False)

    # The codes the file takes, each with its name in the review's language.
    def gloss(code: str) -> str:
        label = _(status.BY_CODE[code].label)
        return f"{code} ({label[:1].lower()}{label[1:]})"

    codes = ", ".join(status.CODES) if lang == "en" else fmt.join(
        [gloss(code) for code in status.CODES])
    lines = [
        f"# yaml-language-server: $schema={schema_ref}",
        "# " + catalogue.compact_name(lang).text,
        "# " + _("Voluntary review: {country} ({code})").format(
            country=fmt.country(country), code=country),
        "# " + _("Replace every TODO text with your own; `gcmreview validate` lists those "
                 "left."),
        "# " + _("Remove an objective or a guiding principle your review does not cover."),
        "# " + _("Keep the indentation (spaces, never tabs), and put text holding a colon "
                 "followed by a space in double quotes."),
        "# " + _("Every key is explained in the format reference: docs/format.md."),
        f"country: {country}",
        "review:",
        f"  cycle: {cycle}",
        f"  language: {lang}",
        "  status: draft  # " + _("draft, submitted or final"),
        '  # date: "2024-05-01"  # ' + _("the date of this version, as YYYY-MM-DD"),
        "  lead_institution: " + todo(_("the institution leading the review")),
        "",
        "methodology:",
        "  summary: " + todo(_("how the review was prepared (whole-of-government and "
                               "whole-of-society approaches)")),
        "  institutions: []  # " + _("the government institutions involved"),
        "  stakeholders: []  # - {group: civil_society, details: ...}",
        "",
        "policy_environment:",
        "  summary: " + todo(_("national policies, laws, strategies and coordination "
                               "mechanisms")),
        "  instruments: []  # - {title: ..., kind: strategy, year: 2020, status: adopted}",
        "",
        "objectives:",
    ]
    for rt, numbers in catalogue.round_tables.items():
        lines.append("  # " + _("IMRF round table {number}: objectives {objectives}").format(
            number=rt, objectives=fmt.join([str(n) for n in numbers])))
    for n, objective in catalogue.objectives.items():
        lines += [
            f"  # {n}. {comment(objective.title(lang))}",
            f"  {n}:",
            # Empty, not `not_started`: a status nobody chose must not read as one.
            "    status:  # " + _("one of {codes}; delete the line if the review states "
                                  "none").format(codes=codes),
            "    summary: " + todo(_("progress on objective {number}").format(number=n)),
            "    measures: []  # - {title: ..., year: 2020, description: ...}",
            "    good_practices: []",
            "    challenges: []",
            "    partners: []",
            "    principles: []  # " + _("the guiding principles this response addresses"),
        ]
    lines += ["", "principles:"]
    for slug, principle in catalogue.principles.items():
        lines += [
            f"  # ({principle.letter}) {comment(principle.name(lang))}",
            f"  {slug}:",
            "    summary: " + todo(_("how the review addresses this principle")),
        ]
    lines += [
        "",
        "covid19:",
        "  summary: " + todo(_("the impact of COVID-19 on migrants and on the implementation "
                               "of the Compact")),
        "",
        "means_of_implementation:",
        "  summary: " + todo(_("resources, partnerships and capacity-building needs")),
        "",
        "next_steps:",
        "  summary: " + todo(_("the actions planned up to the next review")),
        "",
        "reservations: []  # - {summary: ..., objectives: [...]}",
        "",
        'sources: []  # - {id: report-2024, title: ..., date: "2024-05-01"}',
        "",
    ]
    return "\n".join(lines)


def new(ctx: Context, country: str, lang: str, output: Path | None = None,
        force: bool = False, from_cycle: int | None = None) -> Path:
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
    cycle = workspace.cycle if workspace else NEXT_IMRF
    if from_cycle is None:
        write_atomic(target, scaffold(code, lang, cycle, ctx.catalogue, ref).encode())
        return target
    earlier = earlier_review(ctx.require_workspace(), code, from_cycle)
    data = carried_forward(plain(earlier.data), from_cycle, cycle)
    review_lang = data["review"]["language"]
    _l = Formatter(review_lang).gettext
    header = [f"yaml-language-server: $schema={ref}",
              _l("Started from the {year} review. Every objective and guiding principle is "
                 "marked `carried_over: {year}`: check and update each one for this cycle, then "
                 "delete that line. `gcmreview validate` lists those left.").format(
                     year=from_cycle)]
    write_atomic(target, canonical(data, catalogue_titles(ctx.catalogue, review_lang),
                                   header).encode())
    return target
