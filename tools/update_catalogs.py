"""Extract the report's messages and update the French and Arabic catalogs.

Run after changing a template or a translatable string:

    python tools/update_catalogs.py

It rewrites gcmreview/locale/messages.pot and merges it into
gcmreview/locale/{fr,ar}/messages.po (new messages arrive with an empty
translation, which tests/test_i18n.py reports until someone fills it in).
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "gcmreview" / "locale"
KEYWORDS = {"_": None, "t": None, "gettext": None, "N_": None, "ngettext": (1, 2),
            "_plural": (1, 2), "pgettext": ((1, "c"), 2), "NC_": ((1, "c"), 2)}
METHODS = [("gcmreview/**.py", "python"), ("templates/**.j2", "jinja2.ext:babel_extract")]
OPTIONS = {
    "templates/**.j2": {
        "extensions": "jinja2.ext.i18n",
        "newstyle_gettext": "true",
        "trim_blocks": "true",
        "lstrip_blocks": "true",
    }
}


def extract() -> Catalog:
    template = Catalog(project="gcmreview", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        ROOT, METHODS, options_map=OPTIONS, keywords=KEYWORDS
    ):
        if filename.startswith(("tools/", "tests/")):
            continue
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def main() -> None:
    template = extract()
    with (LOCALE / "messages.pot").open("wb") as handle:
        write_po(handle, template, omit_header=True, sort_output=True, width=100)
    for lang in ("fr", "ar"):
        path = LOCALE / lang / "messages.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=lang)
        else:
            catalog = Catalog(locale=lang, project="gcmreview", charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True)
        with path.open("wb") as handle:
            write_po(
                handle,
                catalog,
                omit_header=False,
                sort_output=True,
                width=100,
                ignore_obsolete=True,
                include_previous=False,
            )
        missing = [m.id for m in catalog if m.id and not m.string]
        print(f"{lang}: {len(catalog)} messages, {len(missing)} untranslated")


if __name__ == "__main__":
    main()
