"""`gcmreview build`: which reports to build, from the options given."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from gcmreview.commands.context import Context
from gcmreview.convert.pandoc import FORMATS
from gcmreview.core import countries
from gcmreview.core.diagnostics import display_path
from gcmreview.core.errors import DuplicateReview, UsageError
from gcmreview.core.i18n import _, join
from gcmreview.core.languages import LANGUAGES
from gcmreview.load.loader import review_name, unread_files_in
from gcmreview.pipeline import BuildOptions, BuildOutcome, run_build
from gcmreview.validate.workspace import Workspace


def parse_formats(text: str) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UsageError(_("unknown output format: {formats}").format(
            formats=join(unknown) or "–"),
                         hint=_("choose among {formats}, separated by commas").format(
                             formats=join(FORMATS)))
    return formats


def select_reviews(workspace: Workspace, codes: list[str], *, every: bool,
                   region: bool) -> list[Path]:
    """The review files to build; --country accepts only the workspace's own codes."""
    available: dict[str, Path] = {}
    for path in workspace.review_files():
        if path.stem in available:
            raise DuplicateReview(
                _("{first} and {second} are both the review of {code}").format(
                    first=display_path(available[path.stem]), second=display_path(path),
                    code=path.stem),
                hint=_("keep one review file per State: merge them, or delete the one not "
                       "in use"))
        available[path.stem] = path
    if every and codes:
        raise UsageError(_("--all builds every State: --country cannot choose among them"),
                         hint=_("give --all, or --country XX (one or more) with --region "
                                "for the regional report too"))
    if every:
        if not available:
            raise UsageError(_("there is no review file in {folder}").format(
                folder=display_path(workspace.countries_dir)),
                             hint=_("add one with `gcmreview new XX` or `gcmreview import "
                                    "FILE.docx`"))
        return list(available.values())
    if not codes and not region:
        raise UsageError(_("nothing to build"),
                         hint=_("give --country XX (one or more), --region, or --all"))
    chosen = []
    for raw in codes:
        code = countries.normalise(raw)
        expected = workspace.participants is None or code in workspace.participants
        if code not in available and countries.is_country_code(code) and expected:
            shown = display_path(workspace.countries_dir / f"{code}.yaml")
            lookalike = next((p for p in _unread(workspace)
                              if review_name(p).upper() == f"{code}.YAML"), None)
            if lookalike is not None:  # MA.yaml.txt: Notepad's ending, hidden by Windows
                raise UsageError(_("{code}'s review file {file} is not read: review files "
                                   "are named after the State's code and end in .yaml").format(
                                       code=code, file=display_path(lookalike)),
                                 hint=_("rename it to {name}").format(name=f"{code}.yaml"))
            raise UsageError(_("{code} has no review file yet ({path})").format(
                code=code, path=shown),
                hint=_("write it with `gcmreview new {code}`, or import the State's Word "
                       "form with `gcmreview import FILE.docx`").format(code=code))
        if code not in available:
            raise UsageError(_("“{code}” is not a country of this workspace").format(code=raw),
                             hint=_("countries with a review file: {codes}").format(
                                 codes=join(sorted(available))))
        chosen.append(available[code])
    return list(dict.fromkeys(chosen))


def _unread(workspace: Workspace) -> list[Path]:
    folder = workspace.countries_dir
    return unread_files_in(folder) if folder.is_dir() else []


def build(ctx: Context, *, codes: list[str], every: bool = False, region: bool = False,
          formats: str = "html,docx,pdf", lang: str | None = None, out: Path | None = None,
          order: str = "imrf", force: bool = False,
          on_done: Callable[[str, bool], None] | None = None) -> BuildOutcome:
    workspace = ctx.require_workspace()
    if lang is not None and lang not in LANGUAGES:
        raise UsageError(_("unknown language “{lang}”").format(lang=lang),
                         hint=_("use en, fr or ar"))
    options = BuildOptions(all=every, region=region or every, formats=parse_formats(formats),
                           lang=lang, out_dir=out, order=order, force=force)
    chosen = select_reviews(workspace, codes, every=every, region=region)
    return run_build(workspace, options, chosen, on_done=on_done)
