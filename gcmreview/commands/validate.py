"""`gcmreview validate`: which files to check, with which workspace rules."""

from __future__ import annotations

from pathlib import Path

from gcmreview.commands.context import Context
from gcmreview.core.diagnostics import display_path
from gcmreview.core.errors import NothingToCheck, UsageError
from gcmreview.core.i18n import _, join
from gcmreview.validate.checks import Options
from gcmreview.validate.results import ValidationRun
from gcmreview.validate.run import expand_paths, validate_files


def validate(ctx: Context, paths: list[Path], *, strict: bool = False,
             min_coverage: float | None = None, allow_empty: bool = False) -> ValidationRun:
    """Check the files and folders given, or the workspace's review files."""
    workspace = ctx.workspace
    whole_workspace = not paths
    if not paths:
        if workspace is not None:
            paths = [workspace.countries_dir]
        elif (ctx.cwd / "countries").is_dir():
            paths = [ctx.cwd / "countries"]
        else:
            raise UsageError(_("no review file named, and no workspace here (no gcmreview.yaml "
                               "in this folder or above it)"),
                             hint=_("name the files to check, go to the folder of the review "
                                    "workspace, or create one with `gcmreview init`"))
    options = Options(strict=strict, min_coverage=min_coverage,
                      participants=workspace.participants if workspace else None,
                      cycle=workspace.cycle if workspace else None,
                      report_missing=whole_workspace and workspace is not None)
    files = expand_paths(paths)
    if not files and not allow_empty:
        raise NothingToCheck(
            _("there is no review file to check in {paths}").format(
                paths=join([display_path(p) for p in paths])),
            hint=_("review files end in .yaml; check the folder's name, or add --allow-empty "
                   "if an empty folder is expected"))
    return validate_files(files, ctx.catalogue, options, keep_data=False)
