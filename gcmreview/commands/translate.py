"""`gcmreview translate export|import`: reviews to translators (XLIFF, bilingual Word
files) and their translations back into the workspace's store."""

from __future__ import annotations

from pathlib import Path

from gcmreview.commands.context import Context
from gcmreview.commands.form import country_code
from gcmreview.core.diagnostics import display_path
from gcmreview.core.errors import UsageError
from gcmreview.core.i18n import _, join, ngettext
from gcmreview.render.terminal import Line
from gcmreview.render.validation import diagnostic_lines, hint_lines
from gcmreview.translate import ExportResult, ImportOutcome, export
from gcmreview.translate import import_files as import_all


def export_files(ctx: Context, codes: list[str], *, lang: str, word: bool = False,
                 version: str = "2.1", output: Path | None = None,
                 catalogue: bool = False) -> ExportResult:
    workspace = ctx.require_workspace()
    chosen = list(dict.fromkeys(country_code(c) for c in codes))
    every = not chosen and not catalogue
    if every:
        chosen = sorted(p.stem for p in workspace.review_files())
        if not chosen:
            raise UsageError(_("there is no review to translate in this workspace"),
                             hint=_("reviews are countries/XX.yaml; `gcmreview new XX` starts "
                                    "one"))
    return export(workspace, chosen, lang, word=word, version=version, out_dir=output,
                  catalogue=catalogue, every=every)


def import_files(ctx: Context, files: list[Path], *, dry_run: bool = False
                 ) -> list[ImportOutcome]:
    workspace = ctx.require_workspace()
    if not files:
        raise UsageError(_("no translation file given"),
                         hint=_("for example: gcmreview translate import MA.fr-ar.xlf"))
    return import_all(workspace, files, dry_run=dry_run)


def export_lines(result: ExportResult) -> list[Line]:
    lines = [Line(_("warning: {message}").format(message=w), "warning") for w in result.warnings]
    for done in result.files:
        lines.append(Line(_("wrote {path}: {units}, {translated} already translated").format(
            path=display_path(done.path),
            units=ngettext("{count} text", "{count} texts", done.units).format(count=done.units),
            translated=done.translated)))
    return lines


def import_lines(outcomes: list[ImportOutcome], *, dry_run: bool) -> list[Line]:
    lines: list[Line] = []
    for outcome in outcomes:
        if outcome.refused is not None:  # the message names the file
            message = outcome.refused.message
            if outcome.source not in message:
                message = f"{outcome.source}: {message}"
            lines.append(Line(_("error: {message}").format(message=message), "error"))
            if outcome.refused.hint:
                lines += hint_lines(outcome.refused.hint)
            continue
        plan = outcome.plan
        assert plan is not None
        target = display_path(outcome.target) if outcome.target else "–"
        if plan.refused:
            state = _("refused: nothing written (see the errors below)")
        elif not plan.imported:
            state = _("nothing new")
        elif dry_run:
            state = _("would be written (dry run: nothing written)")
        elif outcome.written:
            state = _("written")
        else:
            state = _("not written")
        what = _("catalogue") if outcome.kind == "catalogue" else outcome.code or "?"
        lines.append(Line(_("{file} ({what}, into {lang}) → {target}: {state}").format(
            file=outcome.source, what=what, lang=outcome.lang, target=target, state=state),
            "bold"))
        counts = [
            ngettext("{count} translation imported", "{count} translations imported",
                     len(plan.imported)).format(count=len(plan.imported)),
            ngettext("{count} unchanged", "{count} unchanged",
                     len(plan.unchanged)).format(count=len(plan.unchanged)),
            ngettext("{count} stale, not imported", "{count} stale, not imported",
                     len(plan.stale)).format(count=len(plan.stale)),
            ngettext("{count} not translated", "{count} not translated",
                     len(plan.untranslated)).format(count=len(plan.untranslated)),
        ]
        lines.append(Line("  " + join(counts)))
        lines += [Line("  " + note) for note in outcome.notes]
        for problem in plan.problems:
            lines += diagnostic_lines(problem)
    return lines


def exit_code(outcomes: list[ImportOutcome]) -> int:
    return max((o.exit_code for o in outcomes), default=0)
