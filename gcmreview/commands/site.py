"""`gcmreview site`: the review site of the workspace, and its preview on this computer."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from gcmreview.commands.build import select_reviews
from gcmreview.commands.context import Context
from gcmreview.core.errors import UsageError
from gcmreview.core.i18n import _, join
from gcmreview.core.languages import LANGUAGES
from gcmreview.website import SiteOptions, SiteOutcome, run_site


def parse_languages(text: str) -> tuple[str, ...]:
    langs = tuple(dict.fromkeys(part.strip().lower() for part in text.split(",")
                                if part.strip()))
    unknown = [lang for lang in langs if lang not in LANGUAGES]
    if unknown or not langs:
        raise UsageError(_("unknown language “{lang}”").format(lang=join(unknown) or "–"),
                         hint=_("choose among {languages}, separated by commas").format(
                             languages=join(LANGUAGES)))
    return langs


def parse_base_url(text: str | None) -> str | None:
    """The published address: http(s), ending with a slash (pages are below it)."""
    if text is None:
        return None
    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query \
            or parts.fragment:
        raise UsageError(_("--base-url must be the site's web address, such as "
                           "https://example.org/review/"),
                         hint=_("the address where the site's folder is published"))
    url = text.strip()
    return url if url.endswith("/") else url + "/"


def site(ctx: Context, *, out: Path | None = None, langs: str = ",".join(LANGUAGES),
         base_url: str | None = None, force: bool = False) -> SiteOutcome:
    workspace = ctx.require_workspace()
    files = select_reviews(workspace, [], every=True, region=False) \
        if workspace.review_files() else []
    options = SiteOptions(out_dir=out, langs=parse_languages(langs),
                          base_url=parse_base_url(base_url), force=force)
    return run_site(workspace, options, files)
