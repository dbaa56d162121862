"""The GCM catalogue for people (rich tables) and programs (JSON)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from gcmreview.load.catalogue import Catalogue, Label

if TYPE_CHECKING:
    from rich.table import Table


def catalogue_json(data: Catalogue, lang: str) -> dict[str, Any]:
    def label(item: Label) -> dict[str, object]:
        return {"text": item.text, "lang": item.lang, "fallback": item.fallback}

    return {
        "language": lang,
        "compact": label(data.compact_name(lang)),
        "objectives": [{"number": o.number, "round_table": o.round_table,
                        "title": label(o.title(lang)), "short": label(o.short(lang))}
                       for o in data.objectives.values()],
        "principles": [{"slug": p.slug, "letter": p.letter, "name": label(p.name(lang))}
                       for p in data.principles.values()],
        "round_tables": {str(k): list(v) for k, v in data.round_tables.items()},
        "missing": data.missing(lang),
        "source": data.sources.get(lang),
    }


def catalogue_tables(data: Catalogue, lang: str) -> list[Table]:
    """In the interface language; the titles in `lang`."""
    from rich.table import Table
    from rich.text import Text

    from gcmreview.core.i18n import Formatter, _
    from gcmreview.core.i18n import language as ui_language

    language = Formatter(ui_language()).language_name(lang)
    marker = " " + _("[no official text in {language} yet: the English one]").format(
        language=language)

    def shown(item: Label) -> Text:  # Text: workspace wording is never console markup
        return Text(item.text + (marker if item.fallback else ""))

    objectives = Table(title=_("GCM objectives, in {language}").format(language=language),
                       title_justify="left")
    for column in ("#", _("Round table"), _("Short label"), _("Title")):
        objectives.add_column(column)
    for o in data.objectives.values():
        objectives.add_row(str(o.number), f"RT{o.round_table}", shown(o.short(lang)),
                           shown(o.title(lang)))
    principles = Table(title=_("Guiding principles, in {language}").format(language=language),
                       title_justify="left")
    for column in (_("Letter"), _("Key in review files"), _("Name")):
        principles.add_column(column)
    for p in data.principles.values():
        principles.add_row(f"({p.letter})", p.slug, shown(p.name(lang)))
    return [objectives, principles]


FORMATS: dict[str, Callable[[Catalogue, str], str]] = {
    "json": lambda data, lang: json.dumps(catalogue_json(data, lang), indent=2,
                                          ensure_ascii=False) + "\n",
}
"""`catalogue --format` besides the terminal's tables (the CLI prints those)."""
