"""`gcmreview validate`: which files to check, with which workspace rules."""

from __future__ import annotations

from pathlib import Path

from gcmreview.commands.context import Context
from gcmreview.core.errors import UsageError
from gcmreview.validate.checks import Options
from gcmreview.validate.results import ValidationRun
from gcmreview.validate.run import expand_paths, validate_files


def validate(ctx: Context, paths: list[Path], *, strict: bool = False,
             min_coverage: float | None = None) -> ValidationRun:
    """Check the files and folders given, or the workspace's review files."""
    workspace = ctx.workspace
    whole_workspace = not paths
    if not paths:
        if workspace is not None:
            paths = [workspace.countries_dir]
        elif (ctx.cwd / "countries").is_dir():
            paths = [ctx.cwd / "countries"]
        else:
            raise UsageError("no review files given and no workspace found here",
                             hint="run inside a workspace (a folder with gcmreview.yaml) "
                             "or name the files to check")
    options = Options(strict=strict, min_coverage=min_coverage,
                      participants=workspace.participants if workspace else None,
                      cycle=workspace.cycle if workspace else None,
                      report_missing=whole_workspace and workspace is not None)
    return validate_files(expand_paths(paths), ctx.catalogue, options, keep_data=False)
