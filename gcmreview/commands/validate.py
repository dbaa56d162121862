"""`gcmreview validate`: which files to check, with which workspace rules; `--fix`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from gcmreview.commands.context import Context
from gcmreview.core.diagnostics import Diagnostic, display_path
from gcmreview.core.errors import InputError, NothingToCheck, UsageError, cannot_read, os_reason
from gcmreview.core.i18n import _, join
from gcmreview.load.loader import review_name
from gcmreview.validate.checks import Options
from gcmreview.validate.data import DataOptions, check_data_files, check_data_folder
from gcmreview.validate.results import ValidationRun
from gcmreview.validate.run import expand_paths, unread_in, validate_files
from gcmreview.validate.workspace import NEXT_IMRF

if TYPE_CHECKING:
    from gcmreview.validate.fix import FileFix
    from gcmreview.validate.translations import Spec
    from gcmreview.validate.workspace import Workspace


def _targets(ctx: Context, paths: list[Path], strict: bool, min_coverage: float | None,
             allow_empty: bool) -> tuple[list[Path], Options, list[Diagnostic]]:
    """The files to check, the rules to check them by, and the files of the folders that
    look like review files but are not read."""
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
                      report_missing=whole_workspace and workspace is not None,
                      translations=translation_spec(workspace),
                      acronyms=workspace.spelled_acronyms if workspace else None)
    files = expand_paths(paths)
    unread = unread_in(paths, strict)
    if not files and not allow_empty:
        raise NothingToCheck(
            _("there is no review file to check in {paths}").format(
                paths=join([display_path(p) for p in paths])),
            hint=_("review files end in .yaml; check the folder's name, or add --allow-empty "
                   "if an empty folder is expected") if not unread else
            _("review files end in .yaml: rename {files}").format(files=join([
                _("{file} to {name}").format(file=d.path, name=review_name(Path(d.path)))
                for d in unread])))
    return files, options, unread


def translation_spec(workspace: Workspace | None) -> Spec | None:
    """What of the reviews' translations to check: in a workspace, always (a review with no
    translation file and no language required costs one look at a folder)."""
    if workspace is None:
        return None
    from gcmreview.validate.translations import Spec

    return Spec(workspace.translations_dir, workspace.translations_required)


def validate(ctx: Context, paths: list[Path], *, strict: bool = False,
             min_coverage: float | None = None, allow_empty: bool = False) -> ValidationRun:
    """Check the files and folders given, or the workspace's review files and data."""
    data_paths = [p for p in paths if _is_data(ctx, p)]
    paths = [p for p in paths if p not in data_paths]
    if data_paths and not paths:  # only data named: no review file is missing
        allow_empty = True
    files, options, unread = ([], Options(), []) if data_paths and not paths else \
        _targets(ctx, paths, strict, min_coverage, allow_empty)
    run = validate_files(files, ctx.catalogue, options, keep_data=False, unread=unread)
    workspace = ctx.workspace
    data_options = DataOptions(workspace.cycle if workspace else NEXT_IMRF,
                               workspace.participants if workspace else None)
    if not paths and not data_paths and workspace is not None:
        found = check_data_folder(workspace.data_dir, ctx.catalogue, data_options)
        run.data, run.unread = found.results, [*run.unread, *found.unread]
    for path in data_paths:
        found = check_data_folder(path, ctx.catalogue, data_options) if path.is_dir() else \
            check_data_files([path], ctx.catalogue, data_options)
        run.data += found.results
        run.unread += found.unread
    return run


def _is_data(ctx: Context, path: Path) -> bool:
    """A data file (`.csv`), or the workspace's data folder, named on the command line."""
    if path.suffix.lower() == ".csv":
        return True
    workspace = ctx.workspace
    return workspace is not None and path.is_dir() and \
        path.resolve() == workspace.data_dir.resolve()


def fix(ctx: Context, paths: list[Path], *, write: bool = True,
        allow_empty: bool = False) -> list[FileFix]:
    """Make the safe fixes in the files `validate` would check (or, without `write`, only
    say what they would be); returns the files that change."""
    import stat  # here: a plain `validate` needs none of it

    from gcmreview.core.files import write_atomic
    from gcmreview.validate.fix import fix_file

    review_paths = [p for p in paths if not _is_data(ctx, p)]
    if paths and not review_paths:  # data files only: nothing --fix corrects
        return []
    files, options, _unread = _targets(ctx, review_paths, False, None, allow_empty)
    changed = []
    for path in files:
        shown = display_path(path)
        try:
            planned = fix_file(path, shown, ctx.catalogue, options)
        except OSError as exc:
            raise cannot_read(shown, exc) from exc
        if planned is None or not planned.changes:
            continue
        if write:
            try:
                mode = stat.S_IMODE(path.stat().st_mode)
                write_atomic(path, planned.after, mode)
            except OSError as exc:
                raise InputError(_("cannot write {path}: {reason}").format(
                    path=shown, reason=os_reason(exc))) from exc
        changed.append(planned)
    return changed
