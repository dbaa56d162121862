"""`gcmreview form XX`: the Word form a focal point fills in instead of a YAML file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from gcmreview.commands.context import Context
from gcmreview.core import countries
from gcmreview.core.errors import UsageError
from gcmreview.core.i18n import _
from gcmreview.core.languages import LANGUAGES

if TYPE_CHECKING:
    from gcmreview.forms import Place


def place(ctx: Context) -> Place:
    # gcmreview.forms is imported when a form is made, not for `country_code` (translate):
    # it brings Word's and pandoc's modules, a tenth of a second
    from gcmreview import forms

    return forms.Place(ctx.workspace, ctx.cwd, ctx.catalogue)


def country_code(text: str) -> str:
    """An ISO code from what was typed; a country's name gets the code suggested."""
    code = countries.normalise(text)
    if countries.is_country_code(code):
        return code
    named = countries.code_for_name(text)
    raise UsageError(_("“{country}” is not an ISO 3166-1 country code").format(country=text),
                     hint=_("write {code}").format(code=named) if named else
                     _("for example MA for Morocco, LB for Lebanon"))


def form(ctx: Context, codes: list[str], *, every: bool = False, lang: str | None = None,
         output: Path | None = None, force: bool = False, blank: bool = False,
         from_cycle: int | None = None,
         on_done: Callable[[Path], None] | None = None) -> list[Path]:
    if lang is not None and lang not in LANGUAGES:
        raise UsageError(_("unknown language “{lang}”").format(lang=lang),
                         hint=_("use en, fr or ar"))
    if every and codes:
        raise UsageError(_("--all makes a form for every State: a country code cannot choose "
                           "among them"), hint=_("give --all, or one or more country codes"))
    if every:
        workspace = ctx.require_workspace()
        chosen = sorted(set(workspace.participants)
                        | {p.stem for p in workspace.review_files()})
    else:
        chosen = list(dict.fromkeys(country_code(c) for c in codes))
    if not chosen:
        raise UsageError(_("no State given"), hint=_("give a country code such as MA, or --all"))
    from gcmreview import forms

    return forms.make_forms(place(ctx), chosen, lang=lang, output=output, force=force, blank=blank,
                      from_cycle=from_cycle, on_done=on_done)
