"""`gcmreview import FILE.docx…`: Word documents into review files, with a report of
what went where and what could not be placed."""

from __future__ import annotations

from pathlib import Path

from gcmreview.commands.context import Context
from gcmreview.commands.form import place
from gcmreview.core.diagnostics import Diagnostic, display_path
from gcmreview.core.errors import UsageError
from gcmreview.core.i18n import _
from gcmreview.core.languages import LANGUAGES
from gcmreview.forms import ImportResult, import_documents
from gcmreview.render.coverage import change_lines
from gcmreview.render.fields import field_change_line, place_words
from gcmreview.render.terminal import Line
from gcmreview.render.validation import diagnostic_lines, hint_lines, where_text


def import_files(ctx: Context, files: list[Path], *, country: str | None = None,
                 output: Path | None = None, dry_run: bool = False, force: bool = False,
                 lang: str | None = None) -> list[ImportResult]:
    if not files:
        raise UsageError(_("no document given"), hint=_("for example: gcmreview import "
                                                        "submissions/MA.docx"))
    if lang is not None and lang not in LANGUAGES:
        raise UsageError(_("unknown language “{lang}”").format(lang=lang),
                         hint=_("use en, fr or ar"))
    return import_documents(place(ctx), files, country=country, output=output,
                            dry_run=dry_run, force=force, language=lang)


def _for_word(diagnostic: Diagnostic) -> Diagnostic:
    """The file's findings, with the fix said in the form's words: whoever answers them
    works in Word, not in the review file."""
    from gcmreview.core.status import NOT_APPLICABLE

    hints = {
        "objectives-missing": _("in the form, answer every objective, or tick “{na}” and "
                                "say why").format(na=_(NOT_APPLICABLE.label)),
        "objective-no-narrative": _("in the form, write the progress on this objective"),
        "principles-missing": _("in the form, fill in the part “{part}”").format(
            part=_("Guiding principles")),
        "principle-no-narrative": _("in the form, say how the review addresses this "
                                    "principle"),
        "status-not-stated": _("in the form, tick the status the review states; leave "
                               "every box empty if it states none"),
    }
    hint = hints.get(diagnostic.code)
    return diagnostic._replace(hint=hint) if hint else diagnostic


def report_lines(results: list[ImportResult], *, dry_run: bool) -> list[Line]:
    lines: list[Line] = []
    for result in results:
        if result.refused is not None:
            lines.append(Line(_("{file}: error: {message}").format(
                file=result.source, message=result.refused.message), "error"))
            if result.refused.hint:
                lines += hint_lines(result.refused.hint)
            continue
        target = display_path(result.target) if result.target else "?"
        kind = _("Word form") if result.kind == "form" else _("free-form Word review")
        if not result.changed:
            state = _("unchanged")
        elif dry_run and result.existed and not result.forced:
            state = _("would replace the file, with --force (dry run: nothing written)")
        elif dry_run:
            state = _("would be written (dry run: nothing written)")
        elif result.written:
            state = _("written")
        else:
            state = _("not written")
        lines.append(Line(_("{file} ({kind}) → {target}: {state}").format(
            file=result.source, kind=kind, target=target, state=state), "bold"))
        if result.diff is not None:
            for change in change_lines(result.diff, result.principles):
                lines.append(Line("  " + change))
        if result.fields and result.changed:
            lines.append(Line("  " + _("every change to the file:")))
            for field_change in result.fields:
                lines.append(Line("    " + field_change_line(field_change, result.principles)))
        if result.kind == "free-form" and result.imported is not None:
            lines.append(Line("  " + _("what went where:")))
            for placement in result.imported.placements:
                lines.append(Line("    " + _("{part} ← {place}").format(
                    part=place_words(placement.path, result.principles),
                    place=where_text(placement.where))))
        for write in result.data:
            if write.refused:
                done = _("not written: a row of its table could not be read (see below)")
            elif not write.changed:
                done = _("unchanged")
            elif dry_run and write.existed and not result.forced:
                done = _("would replace the file, with --force (dry run: nothing written)")
            elif dry_run:
                done = _("would be written (dry run: nothing written)")
            else:
                done = _("written") if write.written else _("not written")
            lines.append(Line("  " + _("values of indicator {code} → {target}: {state}").format(
                code=write.indicator, target=display_path(write.target), state=done)))
        for problem in result.problems:
            lines += diagnostic_lines(problem._replace(path=result.source))
        said = {p.code for p in result.problems}
        for diagnostic in [*result.diagnostics, *(d for w in result.data for d in w.diagnostics)]:
            if diagnostic.code in said:
                continue  # the import said it already, where it is in the document
            lines += diagnostic_lines(_for_word(diagnostic) if result.kind == "form"
                                      else diagnostic)
    return lines


def exit_code(results: list[ImportResult]) -> int:
    return max((r.exit_code for r in results), default=0)

