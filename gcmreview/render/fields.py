"""Places in a review and the changes to them, in the user's words: “Méthodologie ›
Institutions publiques associées : « Ministère des Finances » retiré”.

`import` lists what it changes in the file with these (its --dry-run must name every
change), and says where each part of a free-form Word review went.
"""

from __future__ import annotations

import re

from gcmreview.core import format
from gcmreview.core.i18n import _
from gcmreview.core.text import excerpt
from gcmreview.model.changes import FieldChange
from gcmreview.render.coverage import status_words

SEPARATOR = " › "


def _member_word(path: tuple[str | int, ...], key: str) -> str:
    """The label of field `key` of the mapping at `path`, as the form asks it."""
    at = format.part_at(path)
    member = at.member(key) if isinstance(at, format.Part) else None
    if member is None and isinstance(at, format.Group):
        member = next((c for c in at.columns if c.key == key), None)
    if isinstance(member, format.Field) and member.label:
        return _(member.label)
    if isinstance(member, format.Group):
        # Its caption up to the first stop: “Measures taken”, “Mesures prises”.
        return re.split(r"[,:.،؛]", _(member.caption), maxsplit=1)[0].strip() or key
    return key


def place_words(path: tuple[str | int, ...], principles: dict[str, str]) -> str:
    """Where in the review, in words: “Objective 7 › Measures taken › 2 › Year”."""
    if not path:
        return ""
    head = str(path[0])
    section = next((s for s in format.sections() if s.key == head), None)
    if section is None:
        return head
    if section.shape == "objectives" and len(path) > 1:
        words, rest, at = [_("objective {number}").format(number=path[1])], path[2:], path[:2]
    elif section.shape == "principles" and len(path) > 1:
        words = [_("guiding principle {name}").format(name=principles.get(str(path[1]),
                                                                           str(path[1])))]
        rest, at = path[2:], path[:2]
    else:
        words, rest, at = [_(section.heading) if section.heading else head], path[1:], path[:1]
    for part in rest:
        words.append(_member_word(at, part) if isinstance(part, str) else str(part + 1))
        at = (*at, part)
    return SEPARATOR.join(words)


def _shown(path: tuple[str | int, ...], value: object) -> str:
    if path[-1:] == ("status",) and path[:1] == ("objectives",) and (
            value is None or isinstance(value, str)):
        return _("“{value}”").format(value=status_words(value))
    if isinstance(value, dict | list):
        return ""
    return _("“{value}”").format(value=excerpt(str(value), 60))


def field_change_line(change: FieldChange, principles: dict[str, str]) -> str:
    place = place_words(change.path, principles)
    if change.kind == "changed":
        if isinstance(change.before, str) and isinstance(change.after, str) \
                and change.path[-1] in format.narrative_keys():
            return _("{place}: text changed").format(place=place)
        before, after = _shown(change.path, change.before), _shown(change.path, change.after)
        if before and after:
            return _("{place}: {before} → {after}").format(place=place, before=before,
                                                          after=after)
        return _("{place}: changed").format(place=place)
    value = _shown(change.path, change.after if change.kind == "added" else change.before)
    if change.kind == "added":
        return (_("{place}: {value} added").format(place=place, value=value) if value
                else _("{place}: added").format(place=place))
    return (_("{place}: {value} removed").format(place=place, value=value) if value
            else _("{place}: removed").format(place=place))
