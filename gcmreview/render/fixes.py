"""What `gcmreview validate --fix` changed, as people read it, and as a unified diff.

One line per change, `file:line:col: fixed[code]: what`, in the user's language (the
rule code stays as it is), then a line per file; `--diff` shows the same changes as a
unified diff that `git apply` takes, and writes nothing.
"""

from __future__ import annotations

import difflib

from gcmreview.core.i18n import _, join, ngettext
from gcmreview.load.explain import char_name
from gcmreview.render.terminal import Line
from gcmreview.validate.fix import Change, FileFix


def _first_line(text: str) -> str:
    first = text.replace("\r", "").split("\n", 1)[0]
    return first + ("…" if "\n" in text else "")


def what_changed(change: Change) -> str:
    """A change in words: which characters went, or what replaced what."""
    if change.code == "tab-character":
        count = len(change.after)
        if change.before.count("\t") > 1:
            return ngettext("tabs replaced with {count} space", "tabs replaced with {count} "
                            "spaces", count).format(count=count)
        return ngettext("tab replaced with {count} space", "tab replaced with {count} spaces",
                        count).format(count=count)
    if change.code == "smart-quotes":
        return _("typographic quotes replaced with straight quotes: {text}").format(
            text=_first_line(change.after))
    if change.code == "invisible-character":
        gone = sorted(set(change.before) - set(change.after))
        return ngettext("invisible character removed: {names}",
                        "invisible characters removed: {names}", len(gone)).format(
            names=join([char_name(ch) for ch in gone]))
    return _("“{before}” replaced with {after}").format(before=_first_line(change.before),
                                                       after=_first_line(change.after))


def change_lines(fixes: list[FileFix], preview: bool = False) -> list[Line]:
    """Every change, then a line per file; with `preview`, as changes --fix would make."""
    word = _("to fix") if preview else _("fixed")
    lines: list[Line] = []
    for fixed in fixes:
        for change in fixed.changes:
            lines.append(Line(f"{fixed.shown_as}:{change.line}:{change.column}: "
                              f"{word}[{change.code}]: {what_changed(change)}"))
    for fixed in fixes:
        count = len(fixed.changes)
        text = (ngettext("{file}: {count} problem would be fixed (nothing written)",
                         "{file}: {count} problems would be fixed (nothing written)", count)
                if preview else
                ngettext("{file}: {count} problem fixed", "{file}: {count} problems fixed",
                         count))
        lines.append(Line(text.format(file=fixed.shown_as, count=count), "bold"))
    if not fixes:
        lines.append(Line(_("nothing to fix: no problem here has a fix that gcmreview can "
                            "make safely")))
    return lines


def unified_diff(fixes: list[FileFix]) -> str:
    """The changes as a unified diff (`a/` and `b/` paths, as `git apply` expects)."""
    out: list[str] = []
    for fixed in fixes:
        before = fixed.before.decode("utf-8-sig").splitlines(keepends=True)
        after = fixed.after.decode("utf-8-sig").splitlines(keepends=True)
        for line in difflib.unified_diff(before, after, f"a/{fixed.shown_as}",
                                         f"b/{fixed.shown_as}"):
            out.append(line if line.endswith("\n") else
                       line + "\n\\ No newline at end of file\n")
    return "".join(out)
