"""`gcmreview progress`: what moved since an earlier review cycle, per State and objective."""

from __future__ import annotations

from dataclasses import replace

from gcmreview.commands.context import Context
from gcmreview.commands.coverage import country_names
from gcmreview.core.diagnostics import Diagnostic, Severity
from gcmreview.core.i18n import language
from gcmreview.model.indicators import changes_since
from gcmreview.model.matrix import snapshot
from gcmreview.model.progress import Progress, progress
from gcmreview.validate.checks import Options
from gcmreview.validate.data import DataOptions, check_data_folder
from gcmreview.validate.history import earlier_cycle, latest_earlier
from gcmreview.validate.run import validate_files


def compare(ctx: Context, since: int | None = None
            ) -> tuple[Progress, dict[str, str], list[Diagnostic]]:
    """The progress report, English names of its States (for summaries), and the errors
    that left files out of the comparison (so the user need not run validate to see why)."""
    workspace = ctx.require_workspace()
    catalogue = workspace.catalogue
    year = since if since is not None else latest_earlier(workspace)
    before = earlier_cycle(workspace, year)
    now = validate_files(workspace.review_files(), catalogue,
                         Options(participants=workspace.participants, cycle=workspace.cycle))
    report = progress(snapshot(before.files, catalogue), snapshot(now.files, catalogue),
                      since=year, now=workspace.cycle, where=before.ref, commit=before.commit,
                      principles=catalogue.principles)
    data = check_data_folder(workspace.data_dir, catalogue,
                             DataOptions(workspace.cycle, workspace.participants))
    report = replace(report, values=tuple(changes_since(data, year)), principle_labels={
        slug: principle.label(language()) for slug, principle in catalogue.principles.items()})
    left_out = [d for result in (*before.files, *now.files) if not result.valid
                for d in result.diagnostics if d.severity is Severity.ERROR]
    left_out += [d for result in data.results if not result.valid
                 for d in result.diagnostics if d.severity is Severity.ERROR]
    return report, country_names(workspace, [s.country for s in report.states]), left_out
