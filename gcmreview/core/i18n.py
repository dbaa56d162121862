"""Languages: which one the person at the terminal reads, message catalogs, CLDR formatting.

English strings are the message ids. French and Arabic catalogs live in
gcmreview/locale/<lang>/messages.po, read when first used by a small reader
here (Babel's takes 40 ms to import, a third of a one-file `validate`), so there
is no build step and no binary .mo file to keep in sync. The same catalogs
serve the reports (in the report's language, `Formatter`) and the interface
(in the user's language: `use`, `_`, `ngettext`).

The interface language is chosen as gettext programs choose it: GCMREVIEW_LANG
first (for CI), then LANGUAGE, LC_ALL, LC_MESSAGES and LANG; on Windows, which
sets none of these, the user's display language. English is the fallback.
Rule codes and the keys of machine formats never change with the language.
"""

from __future__ import annotations

import gettext
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from gcmreview.core.languages import LANGUAGES, RTL_LANGUAGES

if TYPE_CHECKING:
    from babel import Locale


def N_(message: str) -> str:
    """Marks a message for extraction into the catalogs; translated where it is shown."""
    return message


def NC_(context: str, message: str) -> str:
    """Marks a message said in a context (pgettext): a word whose translation depends
    on another (“Adopted” agrees with the kind of instrument in French and Arabic)."""
    return message


CONTEXT_SEPARATOR = "\x04"
"""gettext's: a message in a context is looked up as `context\x04message`."""

def locale_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "locale"


# --- reading a .po catalog ---------------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _unquote(line: str) -> str:
    match = _STRING.search(line)
    body = match.group(1) if match else ""
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body)


def read_po(text: str) -> tuple[dict[object, str], str]:
    """Translations of a .po file (msgid, or (msgid, n) for plurals) and its
    Plural-Forms expression. Fuzzy and untranslated entries are left out."""
    messages: dict[object, str] = {}
    plural = "nplurals=2; plural=(n != 1);"
    for block in text.split("\n\n"):
        fields: dict[str, str] = {}
        current = ""
        fuzzy = False
        for line in block.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            if line.startswith("#") or not line.strip():
                continue
            if line.startswith('"'):
                fields[current] += _unquote(line)
                continue
            current = line.split(" ", 1)[0]
            fields[current] = _unquote(line)
        msgid = fields.get("msgid")
        if msgid is None:
            continue
        if "msgctxt" in fields:
            msgid = fields["msgctxt"] + CONTEXT_SEPARATOR + msgid
        if msgid == "":
            found = re.search(r"Plural-Forms:\s*([^\n]+)", fields.get("msgstr", ""))
            plural = found.group(1) if found else plural
            continue
        if fuzzy:
            continue
        if "msgid_plural" in fields:
            for name, value in fields.items():
                index = re.fullmatch(r"msgstr\[(\d+)\]", name)
                if index and value:
                    messages[(msgid, int(index.group(1)))] = value
        elif fields.get("msgstr"):
            messages[msgid] = fields["msgstr"]
    return messages, plural


class Catalog(gettext.NullTranslations):
    """The translations of one language, with its CLDR plural rule."""

    def __init__(self, messages: dict[object, str], plural_forms: str) -> None:
        super().__init__()
        self.messages = messages
        expression = re.search(r"plural=(.+?);?\s*$", plural_forms)
        self.plural = gettext.c2py(expression.group(1) if expression else "n != 1")

    def gettext(self, message: str) -> str:
        found = self.messages.get(message)
        return found if isinstance(found, str) else message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        found = self.messages.get((singular, self.plural(n)))
        if found:
            return found
        return singular if n == 1 else plural

    def pgettext(self, context: str, message: str) -> str:
        """The message as said in `context`, else as said anywhere."""
        found = self.messages.get(context + CONTEXT_SEPARATOR + message)
        return found if isinstance(found, str) else self.gettext(message)


@cache
def translations(lang: str) -> gettext.NullTranslations:
    if lang not in LANGUAGES or lang == "en":
        return gettext.NullTranslations()
    text = (locale_dir() / lang / "messages.po").read_text(encoding="utf-8")
    return Catalog(*read_po(text))


# --- the interface language ---------------------------------------------------------------

def _code(value: str) -> str | None:
    """`fr_FR.UTF-8`, `ar-MA`, `French_France.1252` -> fr; C and POSIX -> en."""
    head = re.split(r"[_.@:-]", value.strip(), maxsplit=1)[0].lower()
    if head in ("c", "posix"):
        return "en"
    if head in LANGUAGES:
        return head
    return {"english": "en", "french": "fr", "arabic": "ar"}.get(head)


def _windows_language() -> str | None:
    try:
        import ctypes

        lcid = ctypes.windll.kernel32.GetUserDefaultUILanguage()  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return None
    return {0x09: "en", 0x0C: "fr", 0x01: "ar"}.get(lcid & 0x3FF)


def detect_language(environ: dict[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    forced = env.get("GCMREVIEW_LANG", "").strip()
    if forced:
        return _code(forced) or "en"
    for part in env.get("LANGUAGE", "").split(":"):  # GNU: a list, in order of preference
        code = _code(part) if part else None
        if code:
            return code
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if env.get(name):
            return _code(env[name]) or "en"
    if sys.platform == "win32" and environ is None:
        return _windows_language() or "en"
    return "en"


_current: list[str] = ["en"]


def use(lang: str) -> None:
    """Speak `lang` from now on (the CLI calls this once, from the environment)."""
    _current[0] = lang if lang in LANGUAGES else "en"


def language() -> str:
    return _current[0]


_FRENCH_SPACE = re.compile(r" (?=[:;!?»])|(?<=«) ")
_OPENING_QUOTE = re.compile(r"(?<![\w'’])'(?=\w)")
"""English: a straight quote at a word's start opens a quotation ('whole-of-society')."""
APOSTROPHE_LANGUAGES = ("en", "fr")


@lru_cache(maxsize=1 << 16)  # 164,000 calls in a 193-State build, 15,000 different
def typeset(text: str, lang: str, apostrophes: bool = True) -> str:
    """Text set by the typography of its language. French puts a space before : ; ! ?
    and inside « »: a no-break one (U+00A0), so that no line starts with a colon, in a
    terminal (--help) or a report. In a report, English and French print the
    typographic apostrophe (’) for the straight one, as United Nations documents do;
    English opens a quotation with ‘ ('whole-of-society' is ‘whole-of-society’). Arabic
    is left as it is written (the Arabic catalog writes its own punctuation: ، ؛ ؟)."""
    if lang == "fr":
        text = _FRENCH_SPACE.sub("\u00a0", text)
    if lang not in APOSTROPHE_LANGUAGES or not apostrophes or "'" not in text:
        return text
    parts = text.split("`")  # code (`status: planned`) is shown as typed
    return "`".join(part if i % 2 else _apostrophes(part, lang)
                    for i, part in enumerate(parts))


def _apostrophes(text: str, lang: str) -> str:
    if lang == "en":
        text = _OPENING_QUOTE.sub("\u2018", text)
    return text.replace("'", "\u2019")


def _typeset(text: str) -> str:
    """The interface's messages: the spaces, not the apostrophes (a terminal's font may
    lack ’, and what a user types to answer uses the straight one)."""
    return typeset(text, _current[0], apostrophes=False)


def _(message: str) -> str:
    return _typeset(translations(_current[0]).gettext(message))


def ngettext(singular: str, plural: str, n: int) -> str:
    return _typeset(translations(_current[0]).ngettext(singular, plural, n))


_LIST_LOCALES = {"en": "en_001"}
"""CLDR locales whose list patterns a language's reports use."""
_LIST_SEPARATORS = {"ar": "، "}


def join(items: list[str] | tuple[str, ...]) -> str:
    """Items of an enumeration in the interface language: `1, 2, 3` (`1، 2، 3` in Arabic)."""
    return _LIST_SEPARATORS.get(_current[0], ", ").join(str(i) for i in items)


def _ranges(values: list[int], show: Callable[[int], str]) -> str:
    runs: list[list[int]] = []
    for value in sorted(set(values)):
        if runs and value == runs[-1][-1] + 1:
            runs[-1].append(value)
        else:
            runs.append([value])
    items: list[str] = []
    for run in runs:
        items += ([f"{show(run[0])}–{show(run[-1])}"] if len(run) >= 3
                  else [show(v) for v in run])
    return join(items)


def number_ranges(values: list[int] | tuple[int, ...]) -> str:
    """Objective numbers in the interface language, runs of three or more as ranges:
    `1–6, 8, 11–14, 22, 23` reads at a glance where `1, 2, 3, 4, 5, 6, 8, …` does not."""
    return _ranges(list(values), str)


def letter_ranges(letters: list[str] | tuple[str, ...]) -> str:
    """Guiding principles' letters the same way: `(a)–(j)`, `(a), (c)` (`a)–j)` in French,
    `(أ)–(ي)` in Arabic: `principle_mark`)."""
    return _ranges([ord(letter) for letter in letters],
                   lambda code: principle_mark(chr(code), _current[0]))


_COUNT_WORDS = {
    "en": ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
    "fr": ("un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"),
}
"""UN Editorial Manual, numbers: one to nine are spelled out in running text."""

ARABIC_LETTERING = ("أ", "ب", "ج", "د", "هـ", "و", "ز", "ح", "ط", "ي", "ك", "ل", "م",
                    "ن", "س", "ع", "ف", "ص", "ق", "ر", "ش", "ت", "ث", "خ", "ذ", "ض")
"""The letters of lettered paragraphs in United Nations Arabic texts, in their order (the
abjad order: "(أ)" where English has "(a)", "(هـ)" for "(e)"), for a to z."""


def principle_mark(letter: str, lang: str) -> str:
    """A guiding principle's letter as each language's United Nations texts letter a
    paragraph (A/RES/73/195, para. 15): "(a)" in English, "a)" in French (as in "l'alinéa
    b) de l'article 13"), "(أ)" in Arabic."""
    if lang == "fr":
        return f"{letter})"
    if lang == "ar" and "a" <= letter <= "z":
        return f"({ARABIC_LETTERING[ord(letter) - ord('a')]})"
    return f"({letter})"


def rtl() -> bool:
    return _current[0] in RTL_LANGUAGES


# --- reports --------------------------------------------------------------------------------

UN_ARABIC_MONTHS = (
    "كانون الثاني/يناير", "شباط/فبراير", "آذار/مارس", "نيسان/أبريل", "أيار/مايو",
    "حزيران/يونيه", "تموز/يوليه", "آب/أغسطس", "أيلول/سبتمبر", "تشرين الأول/أكتوبر",
    "تشرين الثاني/نوفمبر", "كانون الأول/ديسمبر",
)
"""Month names as United Nations documents in Arabic write them ("19 كانون الأول/ديسمبر
2018"): the Levantine and the Egyptian name together, so that every Arab region reads
its own. CLDR's Arabic has the Egyptian names alone (أغسطس), which Maghreb and Levant
readers know less well."""


@cache
def _babel_locale(code: str) -> Locale:
    """Babel's locale, parsed once: given a code, Babel parses it at every call (a build
    lists things 9,000 times)."""
    from babel import Locale

    return Locale.parse(code)


@dataclass(frozen=True)
class Formatter:
    """Locale-aware formatting for one report language."""

    lang: str
    report: bool = False
    """Words of a report: its messages set by the typography of the language (typeset)."""

    def _set(self, text: str) -> str:
        return typeset(text, self.lang) if self.report else text

    def gettext(self, message: str) -> str:
        return self._set(translations(self.lang).gettext(message))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._set(translations(self.lang).ngettext(singular, plural, n))

    def pgettext(self, context: str, message: str) -> str:
        """`message` as said in `context` (NC_), or as said anywhere when the catalog
        has no such entry (English)."""
        return self._set(translations(self.lang).pgettext(context, message))

    def country(self, code: str) -> str:
        from gcmreview.core.countries import name

        return name(code, self.lang)

    def date(self, iso: str | None) -> str:
        """A date as the United Nations write it in the language: day, month, year in
        every language (`13 August 2020`, not CLDR's English `August 13, 2020`;
        `1er août 2020`, `13 آب/أغسطس 2020`); a year-month (`août 2020`) or a year
        alone as given in a source's date. Its spaces do not break (U+00A0),
        nor does the slash of an Arabic month (U+2060): a date
        stays on one line, in a narrow table column too."""
        if not iso:
            return ""
        from babel.dates import format_date

        parts = iso.split("-")
        if len(parts) == 1:
            return iso
        year, month = int(parts[0]), int(parts[1])
        day = int(parts[2]) if len(parts) == 3 else None
        if self.lang == "ar":  # the United Nations' Arabic: both month names, one order
            # "آب/أغسطس": a word joiner after the slash, where lines could break too.
            name = UN_ARABIC_MONTHS[month - 1].replace("/", "/\u2060")
        else:  # CLDR's month name as it stands in a date (the genitive, where it differs)
            name = format_date(date(year, month, 1), "MMMM", locale=self.lang)
        words = [str(year)] if day is None else [str(day), str(year)]
        if day == 1 and self.lang == "fr":
            words[0] = "1er"  # French writes the first of the month as an ordinal
        words.insert(len(words) - 1, name)
        return "\u00a0".join(words).replace(" ", "\u00a0")

    def number(self, value: int) -> str:
        from babel.numbers import format_decimal

        return format_decimal(value, locale=self.lang)

    def counted(self, value: int) -> str:
        """A count in running text: one to nine in words, as the United Nations writes
        them in English and French ("Of them, eight sent..."); figures from 10, in tables
        and in Arabic. The French words are those of a masculine noun (un État, un
        examen): every noun counted this way is one."""
        words = _COUNT_WORDS.get(self.lang)
        return words[value - 1] if words and 0 < value < 10 else self.number(value)

    @property
    def comma(self) -> str:
        """What separates the items of an enumeration: `, `, and `، ` in Arabic."""
        return _LIST_SEPARATORS.get(self.lang, ", ")

    def join(self, items: list[str] | tuple[str, ...]) -> str:
        """An enumeration: `1, 2, 3`, and `1، 2، 3` in Arabic."""
        return self.comma.join(str(i) for i in items)

    def list(self, items: list[str] | tuple[str, ...]) -> str:
        """Items joined as the language lists them, by CLDR's list pattern:
        `A, B and C`, `A, B et C`, `A وB وC`. English is CLDR's international English
        (en_001), as the United Nations writes it: no comma before "and" (CLDR's en, the
        United States', has one)."""
        from babel.lists import format_list

        texts = [str(i) for i in items]
        locale = _babel_locale(_LIST_LOCALES.get(self.lang, self.lang))
        if len(texts) > 2 and self.lang != "ar" and any("," in t for t in texts):
            # Items that hold commas are set apart by semicolons (UN Editorial Manual:
            # "Contrôle, évaluation et orientation ; Identité légale et papiers et …"),
            # the last one by the language's own "and" (Arabic joins with و, no comma).
            end = locale.list_patterns["standard"]["end"]
            return end.replace("{0}", self.semicolons(texts[:-1])).replace("{1}", texts[-1])
        return format_list(texts, style="standard", locale=locale) if texts else ""

    def semicolons(self, items: Sequence[str]) -> str:
        """Items that hold commas themselves (citations): `A; B`, `A\u00a0; B` in French,
        `A؛ B` in Arabic."""
        return {"ar": "؛ ", "fr": "\u00a0; "}.get(self.lang, "; ").join(str(i) for i in items)

    def decimal(self, value: float) -> str:
        """A number with one decimal, as the language writes it: 2.5, 2,5."""
        from babel.numbers import format_decimal

        return format_decimal(round(value, 1), format="#,##0.#", locale=self.lang)

    def ratio(self, part: int, whole: int) -> str:
        """`4/23`: for a table's cells."""
        return f"{self.number(part)}/{self.number(whole)}"

    def out_of(self, part: int, whole: int) -> str:
        """`4 of 23`, `4 sur 23`: a ratio in running text, where UN documents do not
        write a slash; on one line (no-break spaces), as "4/23" was."""
        words = self.gettext("%(part)s of %(whole)s") % {"part": self.number(part),
                                                          "whole": self.number(whole)}
        return words.replace(" ", "\u00a0")

    def language_name(self, code: str) -> str:
        return _babel_locale(code).get_display_name(self.lang) or code

    def quotations_in(self, code: str) -> str:
        """After the meaning of an acronym only quotations in language `code` use: "in
        French quotations", "dans les citations en anglais"."""
        return self.gettext("in %(language)s quotations") % {
            "language": self.language_name(code)}
