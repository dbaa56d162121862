"""Where in a source a statement is: the locators of citations, read from the free text
review files give them ("para. 11", "paragraphe 11", "§ 11", "الفقرة 11") and written
again in the report's language, as United Nations documents write them: "paras. 10 and
11" in English, "par. 10 et 11" in French, "الفقرتان 10 و11" in Arabic.

Only paragraph and page locators are recognised, whole: anything else ("annex II",
"para. 6 (b)", "chapter 3") is kept as the review wrote it, in the review's language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal, NamedTuple

from gcmreview.core.i18n import Formatter

Kind = Literal["paragraph", "page"]
KINDS: tuple[Kind, ...] = ("paragraph", "page")

_LABELS: dict[Kind, str] = {
    "paragraph": (r"paras?\.?|paragraphs?|paragraphes?|pars?\.|§§?|¶"
                  r"|الفقرات|الفقرتان|الفقرتين|الفقرة|فقرات|فقرتان|فقرتين|فقرة"),
    "page": r"pp?\.|pages?|الصفحات|الصفحتان|الصفحتين|الصفحة|صفحات|صفحة|ص\.?",
}
_NUMBER = r"\d{1,4}"
_RANGE = r"\s*(?:-|–|—|to|à|au|إلى)\s*"
_ITEM = rf"(?:(?:from|de|du|من)\s+)?{_NUMBER}(?:{_RANGE}{_NUMBER})?"
_SEPARATOR = r"\s*(?:,|،|;|؛|and|et|&)\s*(?:و\s*)?|\s*و\s*"
_LOCATOR = {kind: re.compile(rf"(?:{label})\s*({_ITEM}(?:(?:{_SEPARATOR}){_ITEM})*)\s*\.?",
                             re.IGNORECASE)
            for kind, label in _LABELS.items()}
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
MAX_SPAN = 500
"""A range wider than this (para. 1-9999) is more likely a typing slip than a locator:
it is kept as written."""


class Locator(NamedTuple):
    kind: Kind
    numbers: tuple[int, ...]
    """Sorted, each once."""


def parse(text: str) -> Locator | None:
    """The locator `text` says, if it is a paragraph or page locator and nothing else."""
    plain = " ".join(text.translate(_DIGITS).split())
    for kind, pattern in _LOCATOR.items():
        found = pattern.fullmatch(plain)
        if found is None:
            continue
        numbers: set[int] = set()
        for item in re.finditer(rf"({_NUMBER})(?:{_RANGE}({_NUMBER}))?", found.group(1)):
            first = int(item.group(1))
            last = int(item.group(2)) if item.group(2) else first
            if last < first or last - first > MAX_SPAN:
                return None
            numbers.update(range(first, last + 1))
        return Locator(kind, tuple(sorted(numbers)))
    return None


def merge(locators: Iterable[Locator]) -> list[Locator]:
    """Locators of one kind made one (para. 11 and para. 10: paras. 10 and 11), in the
    order of KINDS."""
    numbers: dict[Kind, set[int]] = {}
    for locator in locators:
        numbers.setdefault(locator.kind, set()).update(locator.numbers)
    return [Locator(kind, tuple(sorted(numbers[kind]))) for kind in KINDS if kind in numbers]


def write(locator: Locator, fmt: Formatter) -> str:
    """The locator in the report's language: runs of three or more numbers as a range
    (paras. 10–12, par. 10 à 12), the last two joined by "and" (paras. 6 and 9)."""
    runs: list[list[int]] = []
    for n in locator.numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    items: list[str] = []
    for run in runs:
        if len(run) >= 3:
            # Translators: a range of paragraphs or pages, as in "paras. 10–12".
            items.append(fmt.gettext("{first}–{last}").format(first=run[0], last=run[-1]))
        else:
            items += [str(n) for n in run]
    numbers = items[0] if len(items) == 1 else \
        fmt.gettext("{items} and {last}").format(items=fmt.join(items[:-1]), last=items[-1])
    count = len(locator.numbers)
    if locator.kind == "paragraph":
        words = fmt.ngettext("para. {numbers}", "paras. {numbers}", count)
    else:
        words = fmt.ngettext("p. {numbers}", "pp. {numbers}", count)
    # "para." and its number on one line: a no-break space between them.
    return words.replace(" {numbers}", "\u00a0{numbers}").format(numbers=numbers)
