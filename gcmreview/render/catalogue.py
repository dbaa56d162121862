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
        "indicators": [{"code": i.code, "title": label(i.title(lang)),
                        "objectives": [{"objective": link.objective,
                                        "source": link.source_in(lang)[0] if link.source
                                        else None,
                                        "detail": link.detail or None,
                                        "by_workspace": link.by_workspace}
                                       for link in i.links],
                        "disaggregation": {name: values if isinstance(values, str)
                                           else list(values)
                                           for name, values in data.breakdowns_of(i.code).items()}}
                       for i in data.indicators.values()],
        "missing": data.missing(lang),
        "source": data.sources.get(lang),
        "indicator_source": data.indicator_sources.get(lang),
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
    indicators = Table(title=_("Indicators, in {language}").format(language=language),
                       title_justify="left")
    for column in (_("Code"), _("Objectives"), _("Title")):
        indicators.add_column(column)
    for i in data.indicators.values():
        links = [str(link.objective) + ("*" if link.by_workspace else "") for link in i.links]
        indicators.add_row(i.code, ", ".join(links) or "–", shown(i.title(lang)))
    if any(link.by_workspace for i in data.indicators.values() for link in i.links):
        indicators.caption = _("* linked by the workspace (gcmreview.yaml), not by a public "
                               "source")
    return [objectives, principles, indicators]


FORMATS: dict[str, Callable[[Catalogue, str], str]] = {
    "json": lambda data, lang: json.dumps(catalogue_json(data, lang), indent=2,
                                          ensure_ascii=False) + "\n",
}
"""`catalogue --format` besides the terminal's tables (the CLI prints those)."""
