"""`gcmreview coverage`: the States × objectives matrix now, or what changed against a git ref."""

from __future__ import annotations

from dataclasses import replace

from gcmreview.commands.context import Context
from gcmreview.commands.validate import translation_spec
from gcmreview.core.errors import UsageError
from gcmreview.core.i18n import Formatter, _, language
from gcmreview.core.indicators import sort_key
from gcmreview.model.changes import diff
from gcmreview.model.matrix import snapshot
from gcmreview.render.coverage import CoverageView
from gcmreview.validate.checks import Options
from gcmreview.validate.data import DataOptions, check_data_folder
from gcmreview.validate.run import reviews_at, unread_in, validate_files
from gcmreview.validate.workspace import Workspace, localize


def country_names(workspace: Workspace, codes: list[str]) -> dict[str, str]:
    """Names for the summaries, in the user's language (the pull request's summary is
    read by the workspace's focal points), the workspace's own names first."""
    lang = language()
    fmt = Formatter(lang)
    return {c: localize(workspace.country_names[c], lang) if c in workspace.country_names
            else fmt.country(c) for c in codes}


def coverage(ctx: Context, diff_ref: str | None = None) -> CoverageView:
    workspace = ctx.require_workspace()
    catalogue = workspace.catalogue
    options = Options(participants=workspace.participants, cycle=workspace.cycle,
                      translations=translation_spec(workspace))
    run = validate_files(workspace.review_files(), catalogue, options,
                         keep_data=diff_ref is not None)
    now = snapshot(run.files, catalogue, workspace.participants)
    changes = None
    if diff_ref is not None:
        if not diff_ref.strip():
            raise UsageError(_("--diff needs a git ref"), hint=_("for example --diff origin/main"))
        base = reviews_at(diff_ref, workspace.countries_dir, catalogue,
                          replace(options, translations=None))
        changes = diff(snapshot(base.files, catalogue, workspace.participants), now,
                       diff_ref, base.commit)
    region = localize(workspace.region, language())
    codes = sorted({*now.states, *(d.country for d in changes.states)} if changes
                   else now.states)
    data = check_data_folder(workspace.data_dir, catalogue,
                             DataOptions(workspace.cycle, workspace.participants))
    facts: dict[str, dict[str, tuple[int, ...]]] = {}
    for result in data.results:
        if result.valid and result.country and result.indicator:
            facts.setdefault(result.country, {})[result.indicator] = result.years
    return CoverageView(
        region=region, cycle=workspace.cycle,
        letters={slug: p.letter for slug, p in catalogue.principles.items()},
        principles={slug: p.label(language()) for slug, p in catalogue.principles.items()},
        names=country_names(workspace, codes), now=now, diff=changes,
        data={c: dict(sorted(f.items(), key=lambda item: sort_key(item[0])))
              for c, f in sorted(facts.items())},
        unread=unread_in([workspace.countries_dir]))
