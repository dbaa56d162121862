"""Report languages: message catalogs (Babel/gettext) and CLDR formatting.

English strings are the message ids; French and Arabic catalogs live in
gcmreview/locale/<lang>/messages.po and are compiled in memory when first used,
so there is no build step and no binary .mo file to keep in sync.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel.support import NullTranslations


def N_(message: str) -> str:
    """Marks a message for extraction into the catalogs; translated where it is shown."""
    return message


def locale_dir() -> Path:
    return Path(str(resources.files("gcmreview") / "locale"))


@cache
def translations(lang: str) -> NullTranslations:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import NullTranslations, Translations

    if lang == "en":
        return NullTranslations()
    po_path = locale_dir() / lang / "messages.po"
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


@dataclass(frozen=True)
class Formatter:
    """Locale-aware formatting for one report language."""

    lang: str

    def gettext(self, message: str) -> str:
        return translations(self.lang).gettext(message)

    def country(self, code: str) -> str:
        from gcmreview.core.countries import name

        return name(code, self.lang)

    def date(self, iso: str | None) -> str:
        if not iso:
            return ""
        from babel.dates import format_date

        return format_date(date.fromisoformat(iso), format="long", locale=self.lang)

    def number(self, value: int) -> str:
        from babel.numbers import format_decimal

        return format_decimal(value, locale=self.lang)

    def ratio(self, part: int, whole: int) -> str:
        return f"{self.number(part)}/{self.number(whole)}"

    def language_name(self, code: str) -> str:
        from babel import Locale

        return Locale.parse(code).get_display_name(self.lang) or code

