"""The review files of an earlier cycle, as `history:` in gcmreview.yaml names them.

A cycle is a git ref (a tag, a branch, a commit: the files are read with the
same code `coverage --diff` uses, the working tree left alone) or a folder. Its
files are checked with that cycle's rules (its year as the cycle); an invalid
one is kept, marked invalid, so reports can say it was left out.
"""

from __future__ import annotations

from pathlib import Path

from gcmreview.core.diagnostics import Severity, display_path
from gcmreview.core.errors import InputError, UsageError
from gcmreview.core.i18n import _, join
from gcmreview.load import gitref
from gcmreview.load.loader import load_bytes, review_files_in
from gcmreview.validate.checks import Options, check_loaded
from gcmreview.validate.results import FileResult, RefFiles
from gcmreview.validate.run import check_file, one_review_per_state
from gcmreview.validate.workspace import Workspace


def earlier_cycle(workspace: Workspace, year: int) -> RefFiles:
    """The checked review files of the cycle `year` of `history:`."""
    if year not in workspace.history:
        raise InputError(_("gcmreview.yaml names no {year} cycle under `history:`").format(
            year=year),
            hint=_("the earlier cycles it names: {years}").format(
                years=join([str(y) for y in workspace.history]) or "–")
            if workspace.history else
            _("name it in gcmreview.yaml, for example `history: {{{year}: review-{year}}}` "
              "(a git tag) or `history: {{{year}: cycles/{year}}}` (a folder)").format(
                year=year))
    where = workspace.history[year]
    options = Options(cycle=year)
    catalogue = workspace.catalogue
    folder = workspace.root / where
    if folder.is_dir():
        files_dir = _folder_of(workspace, year, where, folder)
        results = [check_file(path, catalogue, options) for path in review_files_in(files_dir)]
        found = RefFiles(where, "", results)
    else:
        try:
            commit, blobs = gitref.blobs_at(where, workspace.countries_dir)
        except InputError as exc:
            raise InputError(
                _("the {year} cycle that gcmreview.yaml names under `history:`, “{where}”, is "
                  "neither a folder of this workspace nor a git tag, branch or commit").format(
                    year=year, where=where),
                hint=_("name an existing tag, branch or commit (in CI, fetch the history with "
                       "fetch-depth: 0), or a folder holding that cycle's review files. "
                       "git says: {reason}").format(reason=exc.message)) from exc
        found = RefFiles(where, commit, [
            check_loaded(load_bytes(raw, Path(shown), shown), catalogue, options)
            for shown, raw in blobs])
    if not found.files:
        raise InputError(_("the {year} cycle (“{where}” under `history:` in gcmreview.yaml) "
                           "holds no review file").format(year=year, where=where),
                         hint=_("name the tag, branch, commit or folder that holds that "
                                "cycle's countries/*.yaml"))
    one_review_per_state(found.files)
    for result in found.files:
        # Here a file of another cycle is not a slip to warn about: compared as this
        # cycle's, it would show changes that are not there. It is left out instead.
        result.diagnostics = [d._replace(severity=Severity.ERROR)
                              if d.code == "cycle-mismatch" else d for d in result.diagnostics]
    return found


def _folder_of(workspace: Workspace, year: int, where: str, folder: Path) -> Path:
    """The folder of an earlier cycle's files: inside the workspace (gcmreview.yaml arrives
    by pull request too, and must not make a build read files from elsewhere on the
    computer), and not this cycle's own."""
    root = workspace.root.resolve()
    resolved = folder.resolve()
    files_dir = resolved / workspace.countries_dir.name
    files_dir = files_dir.resolve() if files_dir.is_dir() else resolved
    if not resolved.is_relative_to(root) or not files_dir.is_relative_to(root):
        raise InputError(_("the {year} cycle that gcmreview.yaml names under `history:`, "
                           "“{where}”, is a folder outside the workspace").format(
                               year=year, where=where),
                         hint=_("copy that cycle's review files into a folder of the "
                                "workspace, such as cycles/{year}, or name a git tag").format(
                                    year=year))
    if files_dir == workspace.countries_dir.resolve():
        raise InputError(_("the {year} cycle that gcmreview.yaml names under `history:`, "
                           "“{where}”, is this cycle's own folder of review files").format(
                               year=year, where=where),
                         hint=_("name the git tag or the folder that holds the {year} "
                                "review files").format(year=year))
    return files_dir


def latest_earlier(workspace: Workspace) -> int:
    """The most recent earlier cycle: what `progress` compares with by default."""
    if not workspace.history:
        raise InputError(_("gcmreview.yaml names no earlier cycle"),
                         hint=_("add `history:` with the year of each earlier cycle and the git "
                                "tag or folder holding its review files, for example "
                                "`history: {2020: review-2020}`"))
    return max(workspace.history)


def earlier_review(workspace: Workspace, code: str, year: int) -> FileResult:
    """A State's valid review file of an earlier cycle, to start this cycle's from."""
    cycle = earlier_cycle(workspace, year)
    found = [r for r in cycle.files if Path(r.shown_as).stem == code]
    if not found:
        raise UsageError(_("there is no review of {code} in the {year} cycle ({where})").format(
            code=code, year=year, where=cycle.ref),
            hint=_("start from scratch without --from"))
    if not found[0].valid or found[0].data is None:
        first = next(d for d in found[0].diagnostics if d.severity is Severity.ERROR)
        raise InputError(_("the {year} review of {code} ({file}) has errors, so it cannot be "
                           "carried over").format(year=year, code=code, file=found[0].shown_as)
                         + f"\n  {first.path}:{first.position.line}:{first.position.column}: "
                           f"{first.message}",
                         hint=_("start from scratch without --from, or fix that file"))
    return found[0]


def earlier_translation(workspace: Workspace, code: str, year: int, lang: str
                        ) -> tuple[str, bytes] | None:
    """A State's translation into `lang` in the cycle `year` (as a git ref or a folder of
    `history:` keeps it: `translations/<lang>/<CC>.xlf` beside its review files), as
    (where, bytes); None when that cycle has none."""
    from gcmreview.load.xliff import MAX_BYTES

    where = workspace.history.get(year)
    if where is None:
        return None
    folder = workspace.root / where
    if folder.is_dir():
        _folder_of(workspace, year, where, folder)  # inside the workspace, or refused
        path = folder.resolve() / workspace.translations_dir.name / lang / f"{code}.xlf"
        # Not through a link, in the file's name or in its folders' (a linked translations
        # folder would read a file from elsewhere on the computer).
        if not path.is_file() or path.is_symlink() \
                or not path.resolve().is_relative_to(workspace.root.resolve()) \
                or path.stat().st_size > MAX_BYTES:
            return None
        return display_path(path), path.read_bytes()
    raw = gitref.file_at(where, workspace.translation_path(lang, code))
    if raw is None or len(raw) > MAX_BYTES:
        return None
    return f"{where}:{workspace.translations_dir.name}/{lang}/{code}.xlf", raw
