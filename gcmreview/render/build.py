"""What `gcmreview build` says: the reports built, those up to date, those not built and
why, and what they show in another language than their own."""

from __future__ import annotations

from pathlib import Path

from gcmreview.core.diagnostics import display_path
from gcmreview.core.i18n import _, join, ngettext
from gcmreview.render.terminal import Line

SHOWN_DOCUMENTS = 3


def grouped_warnings(warnings: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(message, documents): a warning shared by 60 documents is one line, not 60."""
    by_message: dict[str, list[str]] = {}
    for name, messages in sorted(warnings.items()):
        for message in messages:
            by_message.setdefault(message, []).append(name)
    out = []
    for message, names in by_message.items():
        shown = join(names[:SHOWN_DOCUMENTS])
        if len(names) > SHOWN_DOCUMENTS:
            more = len(names) - SHOWN_DOCUMENTS
            shown += ngettext(" and {count} other", " and {count} others", more).format(
                count=more)
        out.append((message, shown))
    return out


def warning_lines(warnings: dict[str, list[str]]) -> list[Line]:
    return [Line(_("warning: {document}: {message}").format(document=names, message=message),
                 "warning") for message, names in grouped_warnings(warnings)]


def built_lines(built: dict[str, list[Path]], up_to_date: list[str]) -> list[Line]:
    lines = [Line(_("built {name}: {files}").format(
        name=code, files=join([display_path(p) for p in paths])))
        for code, paths in sorted(built.items())]
    if up_to_date:
        lines.append(Line(_("up to date: {names}").format(names=join(sorted(up_to_date)))))
    return lines


def failed_lines(failed: dict[str, str]) -> list[Line]:
    return [Line(_("not built {name}: {reason}").format(name=code, reason=reason), "error")
            for code, reason in sorted(failed.items())]
