"""The apparatus of a United Nations document, as plain data: its masthead, the acronyms
it uses, and the key messages of a regional report.

The masthead and the acronyms' meanings come from the workspace (`document:`,
`acronyms:` in gcmreview.yaml); which acronyms a report lists, and the key messages,
are counted from the review files, so nothing is shown that the files do not hold.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from gcmreview.core import format
from gcmreview.core.i18n import N_, Formatter
from gcmreview.core.languages import direction
from gcmreview.validate.workspace import Localized, Workspace, localized

DISTRIBUTION = {"general": N_("Distr.: General"), "limited": N_("Distr.: Limited"),
                "restricted": N_("Distr.: Restricted")}


@dataclass(frozen=True)
class Apparatus:
    """What the workspace says of its documents as UN documents."""

    document: dict[str, Any] = field(default_factory=dict)
    key_messages: Localized | None = None
    acronyms: dict[str, Localized] = field(default_factory=dict)

    @classmethod
    def of(cls, workspace: Workspace | None) -> Apparatus:
        if workspace is None:
            return cls()
        return cls(workspace.document, workspace.key_messages, workspace.acronyms)


@dataclass(frozen=True)
class Masthead:
    """The block above a UN document's title: who issues it, its symbol, then its
    distribution, date and original language, each line in the document's language."""

    issuer: tuple[str, str, str] | None
    """(text, lang, dir) of the issuer, when given."""
    symbol: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Acronym:
    """An acronym and what it stands for (`text`, with its language and direction, as the
    templates' `span` filter shows any text)."""

    acronym: str
    text: str
    lang: str
    """The meaning's language: the document's, or another when the workspace has none in
    the document's language."""
    dir: str
    fallback: bool = False
    quoted_in: str = ""
    """The language, named in the document's, of the quotations it is used in when the
    document's own words never use it ("CESAO (French)" in an English report quoting
    French statements); "" otherwise."""


def masthead(apparatus: Apparatus, lang: str, *, country: bool = False,
             original: str | None = None) -> Masthead | None:
    """The masthead in `lang`, or None when the workspace gives none (or, for a State's
    report, does not ask for one). A State's report has no symbol of its own, and its
    original is the language the State wrote its review in (`original`), whatever the
    regional report was drafted in: a report in Arabic of a review in French says
    "Original: French", as its note that the French original prevails does."""
    document = apparatus.document
    if not document or (country and not document.get("country_reports")):
        return None
    fmt = Formatter(lang, report=True)
    lines = []
    if document.get("distribution"):
        lines.append(fmt.gettext(DISTRIBUTION[document["distribution"]]))
    if document.get("date"):
        lines.append(fmt.date(document["date"]))
    drafted = original if country and original else document.get("original")
    if drafted:
        lines.append(fmt.gettext("Original: {language}").format(
            language=fmt.language_name(drafted)))
    issuer = None
    if document.get("issuer"):
        text, used = localized(document["issuer"], lang)
        issuer = (text, used or lang, direction(used or lang))
    symbol = "" if country else str(document.get("symbol") or "")
    if not (issuer or symbol or lines):
        return None
    return Masthead(issuer, symbol, tuple(lines))


def texts_of(review: Any) -> list[str]:
    """Every text of a review a reader reads (narratives, lines, titles), in file order.
    Gathered in a list, not yielded: a value yielded from a nested generator passes
    through every level above it (0.3 s of a 193-State build's Python)."""
    keys = format.keys_of_kind("narrative", "line", "lines")
    found: list[str] = []

    def walk(value: Any, key: object = None) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and key in keys:
            found.append(value)

    walk(review)
    return found


REPORT_ACRONYMS: dict[str, Localized] = {
    "IMRF": {"en": "International Migration Review Forum"},
}
"""Acronyms of the reports' own words ("IMRF round table 1" in English; French and Arabic
spell the Forum out), by its name in A/RES/73/195, annex, para. 49. A workspace's
`acronyms:` may say otherwise."""


def acronym_list(used: Iterable[str], apparatus: Apparatus, lang: str,
                 quoted: Mapping[str, str] | None = None) -> list[Acronym]:
    """The acronyms used that the workspace (or the reports' own words: REPORT_ACRONYMS)
    spells out, alphabetically (as a list of abbreviations is): in the document's language
    when the workspace has it. `quoted`: acronym -> the name of the language of the only
    texts that use it, when those are quotations in another language than the document's."""
    quoted = quoted or {}
    out = []
    for acronym in sorted(set(used)):
        meaning = apparatus.acronyms.get(acronym) or REPORT_ACRONYMS.get(acronym)
        if meaning is None:
            continue
        text, fallback = localized(meaning, lang)
        out.append(Acronym(acronym, text, fallback or lang, direction(fallback or lang),
                           fallback=fallback is not None, quoted_in=quoted.get(acronym, "")))
    return out


def quoted_only(own: Iterable[str], quoted: Iterable[tuple[str, Iterable[str]]],
                name: Callable[[str], str]) -> dict[str, str]:
    """The acronyms found only in quotations in other languages (`quoted`: (language, the
    acronyms its texts use)), never in the document's own words (`own`), each with the
    name (`name`) of the first such language."""
    seen = set(own)
    out: dict[str, str] = {}
    for language, acronyms in quoted:
        for acronym in acronyms:
            if acronym not in seen and acronym not in out:
                out[acronym] = name(language)
    return out
