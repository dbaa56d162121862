"""The review files of an earlier cycle, as `history:` in gcmreview.yaml names them.

A cycle is a git ref (a tag, a branch, a commit: the files are read with the
same code `coverage --diff` uses, the working tree left alone) or a folder. Its
files are checked with that cycle's rules (its year as the cycle); an invalid
one is kept, marked invalid, so reports can say it was left out.
"""

from __future__ import annotations

from pathlib import Path

from gcmreview.core.errors import InputError, UsageError
from gcmreview.core.i18n import _, join
from gcmreview.load import gitref
from gcmreview.load.loader import load_bytes, review_files_in
from gcmreview.validate.checks import Options, check_loaded
from gcmreview.validate.results import FileResult, RefFiles
from gcmreview.validate.run import check_file
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
        files_dir = folder / workspace.countries_dir.name
        files_dir = files_dir if files_dir.is_dir() else folder
        results = [check_file(path, catalogue, options) for path in review_files_in(files_dir)]
        return RefFiles(where, "", results)
    try:
        commit, blobs = gitref.blobs_at(where, workspace.countries_dir)
    except InputError as exc:
        raise InputError(
            _("history: the {year} cycle is “{where}”, which is neither a folder of this "
              "workspace nor a git ref ({reason})").format(year=year, where=where,
                                                          reason=exc.message),
            hint=_("name an existing tag, branch or commit (in CI, fetch the history with "
                   "fetch-depth: 0), or a folder holding that cycle's review files")) from exc
    return RefFiles(where, commit, [check_loaded(load_bytes(raw, Path(shown), shown), catalogue,
                                                 options) for shown, raw in blobs])


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
        raise InputError(_("the {year} review of {code} ({file}) has errors, so it cannot be "
                           "carried over").format(year=year, code=code, file=found[0].shown_as),
                         hint=_("start from scratch without --from, or fix that file"))
    return found[0]
