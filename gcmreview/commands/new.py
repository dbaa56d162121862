"""`gcmreview new XX`: a complete review file to fill in.

Every objective and principle is present with its catalogue title as a comment,
and every text is a `TODO:` placeholder that `validate` reports until replaced.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from gcmreview.commands.context import Context
from gcmreview.core import countries, format, status
from gcmreview.core.diagnostics import display_path
from gcmreview.core.errors import UsageError
from gcmreview.core.files import write_atomic
from gcmreview.core.i18n import Formatter, _
from gcmreview.load.catalogue import Catalogue, Label
from gcmreview.model.progress import carried_forward
from gcmreview.render.review_file import canonical, catalogue_titles, plain
from gcmreview.translate import carry_translations
from gcmreview.validate.history import earlier_review
from gcmreview.validate.schema import review_schema, to_json
from gcmreview.validate.workspace import NEXT_IMRF


def scaffold(country: str, lang: str, cycle: int, catalogue: Catalogue, schema_ref: str) -> str:
    """The file, its comments and placeholders in `lang`: a French focal point reads French.
    Every section of the format (gcmreview.core.format) is there, with the fields its
    description says `new` writes."""
    fmt = Formatter(lang)
    t = fmt.gettext

    def comment(label: Label) -> str:
        if not label.fallback:
            return label.text
        return label.text + " " + t("(the English title: there is no official one in this "
                                    "language yet)")

    # The codes the file takes, each with its name in the review's language.
    def gloss(code: str) -> str:
        label = t(status.BY_CODE[code].label)
        return f"{code} ({label[:1].lower()}{label[1:]})"

    codes = ", ".join(status.CODES) if lang == "en" else fmt.join(
        [gloss(code) for code in status.CODES])

    def members(part: format.Part, indent: int, number: int | None = None) -> list[str]:
        pad = " " * indent
        out = []
        for m in part.members:
            if not m.scaffold:
                continue
            if isinstance(m, format.Field) and m.kind == "choice" and m.options == "status":
                # Empty, not `not_started`: a status nobody chose must not read as one.
                out.append(f"{pad}{m.key}:  # " + t("one of {codes}; delete the line if the "
                                                    "review states none").format(codes=codes))
            elif isinstance(m, format.Field) and m.kind in ("narrative", "line"):
                prompt = t(m.prompt).format(number=number) if number else t(m.prompt)
                out.append(f"{pad}{m.key}: " + json.dumps(f"TODO: {prompt}", ensure_ascii=False))
            else:  # a list, or a table
                note = t(m.prompt) if m.prompt else m.example
                out.append(f"{pad}{m.key}: []" + (f"  # {note}" if note else ""))
        return out

    lines = [
        f"# yaml-language-server: $schema={schema_ref}",
        "# " + catalogue.compact_name(lang).text,
        "# " + t("Voluntary review: {country} ({code})").format(
            country=fmt.country(country), code=country),
        "# " + t("Replace every TODO text with your own; `gcmreview validate` lists those "
                 "left."),
        "# " + t("Remove an objective or a guiding principle your review does not cover."),
        "# " + t("Keep the indentation (spaces, never tabs), and put text holding a colon "
                 "followed by a space in double quotes."),
        "# " + t("Every key is explained in the format reference: `gcmreview docs format` "
                 "says where it is."),
        f"{format.COUNTRY.key}: {country}",
    ]
    for section in format.sections():
        if section.shape == "code":
            continue
        if section.shape != "meta":
            lines.append("")
        part = section.part
        assert part is not None
        if section.shape in ("list", "sources"):
            lines.append(f"{section.key}: []" + (f"  # {section.example}"
                                                  if section.example else ""))
        elif section.shape == "meta":
            lines += [
                f"{section.key}:",
                f"  cycle: {cycle}",
                f"  language: {lang}",
                "  status: draft  # " + t("draft, submitted or final"),
                '  # date: "2024-05-01"  # ' + t("the date of this version, as YYYY-MM-DD"),
                *members(part, 2),
            ]
        elif section.shape == "single":
            lines += [f"{section.key}:", *members(part, 2)]
        elif section.shape == "objectives":
            lines.append(f"{section.key}:")
            for rt, numbers in catalogue.round_tables.items():
                lines.append("  # " + t("IMRF round table {number}: objectives {objectives}")
                             .format(number=rt, objectives=fmt.join([str(n) for n in numbers])))
            for n, objective in catalogue.objectives.items():
                lines += [f"  # {n}. {comment(objective.title(lang))}", f"  {n}:",
                          *members(part, 4, n)]
        elif section.shape == "principles":
            lines.append(f"{section.key}:")
            for slug, principle in catalogue.principles.items():
                lines += [f"  # ({principle.letter}) {comment(principle.name(lang))}",
                          f"  {slug}:", *members(part, 4)]
    lines.append("")
    return "\n".join(lines)


def new(ctx: Context, country: str, lang: str, output: Path | None = None,
        force: bool = False, from_cycle: int | None = None) -> tuple[Path, list[Path]]:
    """Write the scaffold (and the schema it points editors to, if missing); return its
    path, and the translation files that carry the earlier cycle's translations (`--from`)."""
    code = countries.normalise(country)
    if not countries.is_country_code(code):
        named = countries.code_for_name(country)
        raise UsageError(_("“{country}” is not an ISO 3166-1 country code").format(
            country=country),
                         hint=_("write {code}").format(code=named) if named else
                         _("for example MA for Morocco, LB for Lebanon"))
    workspace = ctx.workspace
    if output is not None:
        target = output
    elif workspace is not None:
        target = workspace.review_path(code)
    else:
        # Not the current folder, silently: a review belongs in a workspace's countries
        # folder, where validate, build and the pull-request check find it.
        raise UsageError(_("there is no review workspace here (no gcmreview.yaml in this "
                           "folder or above it), so gcmreview does not know where {code}.yaml "
                           "belongs").format(code=code),
                         hint=_("create a workspace with `gcmreview init FOLDER --region NAME "
                                "--cycle YEAR` and run `gcmreview new` in it, or say where to "
                                "write the file with --output FILE"))
    if target.exists() and not force:
        raise UsageError(_("{path} already exists").format(path=display_path(target)),
                         hint=_("add --force to replace it"))
    # Outside a workspace, the schema editors check the file with goes beside it.
    root = workspace.root if workspace else target.parent
    schema_file = root / "review.schema.json"
    if not schema_file.exists():
        write_atomic(schema_file, to_json(review_schema(ctx.catalogue)).encode())
    ref = Path(os.path.relpath(schema_file.resolve(), target.resolve().parent)).as_posix()
    cycle = workspace.cycle if workspace else NEXT_IMRF
    if from_cycle is None:
        write_atomic(target, scaffold(code, lang, cycle, ctx.catalogue, ref).encode())
        return target, []
    workspace = ctx.require_workspace()
    earlier = earlier_review(workspace, code, from_cycle)
    data = carried_forward(plain(earlier.data), from_cycle, cycle)
    review_lang = data["review"]["language"]
    t = Formatter(review_lang).gettext
    header = [f"yaml-language-server: $schema={ref}",
              t("Started from the {year} review. Every objective and guiding principle is "
                 "marked `carried_over: {year}`: check and update each one for this cycle, then "
                 "delete that line. `gcmreview validate` lists those left.").format(
                     year=from_cycle)]
    write_atomic(target, canonical(data, catalogue_titles(ctx.catalogue, review_lang),
                                   header).encode())
    # The texts carried over unchanged keep their translations (a review written
    # elsewhere with --output is no review of this workspace: none to carry).
    carried = carry_translations(workspace, code, from_cycle, data) \
        if target.resolve() == workspace.review_path(code).resolve() else []
    return target, carried
