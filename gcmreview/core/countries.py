"""Country codes (ISO 3166-1 alpha-2) and names, checked in one place.

A State is named as United Nations documents name it: its short name in UNTERM
(data/country-names.csv, from the UN Protocol and Liaison Service's list of Member and
observer States: tools/make_country_names.py says where it comes from), "Republic of
Korea" and not CLDR's "South Korea". Any other place has CLDR's name, in English with
"and" where CLDR writes "&" (the United Nations never does). A workspace can name a
State otherwise (`country_names` in gcmreview.yaml).

The code list is pycountry's ISO 3166-1 database, read as data: importing
pycountry itself costs 50 ms (it imports importlib.metadata for its version),
a third of a one-file `validate`.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import re
from functools import cache
from importlib import resources
from pathlib import Path

from gcmreview.core.text import fold

COMMON_MISTAKES = {"UK": "GB", "EL": "GR", "KS": "XK"}
"""Codes people use that ISO 3166-1 does not (EU usage, NATO usage)."""
USER_ASSIGNED = frozenset({"XK"})
"""Kosovo: user-assigned (X*) but used by the UN system and CLDR."""


@cache
def iso_codes() -> frozenset[str]:
    spec = importlib.util.find_spec("pycountry")
    folder = next(iter(spec.submodule_search_locations or ())) if spec else None
    database = Path(folder) / "databases" / "iso3166-1.json" if folder else None
    if database is not None and database.is_file():
        entries = json.loads(database.read_text(encoding="utf-8"))["3166-1"]
        return frozenset(e["alpha_2"] for e in entries) | USER_ASSIGNED
    import pycountry  # a future layout: the public API, slower

    return frozenset(c.alpha_2 for c in pycountry.countries) | USER_ASSIGNED


def is_country_code(code: object) -> bool:
    return isinstance(code, str) and bool(re.fullmatch(r"[A-Z]{2}", code)) \
        and code in iso_codes()


def normalise(text: str) -> str:
    """Upper-case code from what someone typed (` ma `, `Ma`)."""
    return text.strip().upper()


@cache
def united_nations_names() -> dict[str, dict[str, str]]:
    """Code -> language -> the State's UNTERM short name (en, fr, ar)."""
    text = (resources.files("gcmreview") / "data" / "country-names.csv").read_text(
        encoding="utf-8")
    return {row["code"]: {lang: row[lang] for lang in ("en", "fr", "ar")}
            for row in csv.DictReader(text.splitlines())}


@cache
def name(code: str, lang: str) -> str:
    """The country's name in `lang`: the United Nations' for a State, else CLDR's, else
    the code (kept: a build asks for each State's name in every table and chart that
    shows it)."""
    found = united_nations_names().get(code, {}).get(lang)
    if found:
        return found
    from babel import Locale

    label = Locale.parse(lang).territories.get(code, code)
    return label.replace(" & ", " and ") if lang == "en" else label


@cache
def _names() -> dict[str, str]:
    from babel import Locale

    codes = iso_codes()
    found: dict[str, str] = {}
    for code, names in united_nations_names().items():
        for label in names.values():
            found.setdefault(fold(label), code)
    for lang in ("en", "fr", "ar"):
        for code, label in Locale.parse(lang).territories.items():
            if code in codes:
                found.setdefault(fold(label), code)
    return found


def code_for_name(text: str) -> str | None:
    """The code of a country written by name in English, French or Arabic
    ("Maroc", "Morocco", "المغرب"), for suggestions; None when unknown."""
    return _names().get(fold(text))
