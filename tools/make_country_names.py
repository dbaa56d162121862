"""Write ``gcmreview/data/country-names.csv``: the names the United Nations gives States.

Reports name a State as United Nations documents do: by its short name in UNTERM, the
United Nations terminology database, as the UN Protocol and Liaison Service lists them
for the Member States and observer States ("Republic of Korea", "Bosnia and
Herzegovina", "Côte d'Ivoire"; in French "République de Corée", in Arabic
"جمهورية كوريا", "كوت ديفوار"). CLDR, which gcmreview uses for every other place, calls
them "South Korea", "Bosnia & Herzegovina" and "ساحل العاج".

The names are read from the Public Domain data package datasets/country-codes
(https://github.com/datasets/country-codes, PDDL), which takes them from the Protocol and
Liaison Service's list (unterm-efsrca.xlsx) and joins them to ISO 3166-1 codes:

    python tools/make_country_names.py COUNTRY_CODES_CSV UNTERM_NAMES_CSV

COUNTRY_CODES_CSV is its ``data/country-codes.csv`` (commit caa72d1, May 2026) and
UNTERM_NAMES_CSV its ``data/unterm_names.csv`` (commit a09b84a, the last that has it).
The first gives the code and the UNTERM columns of 195 States; its join misses two,
taken as noted: Côte d'Ivoire from the second file (the first calls it "Ivory Coast"),
and Türkiye from the first's UN M49 columns (the UNTERM list it was joined with still
said "Turkey", renamed at the United Nations in 2022).

Each short name is written as it stands in running text and tables: without UNTERM's
article ("Sudan (the)" -> "Sudan", "Maroc (le)" -> "Maroc") and its marks for observer
and other States (* and **), with typographic apostrophes. The Arabic names are kept as
UNTERM writes them, inversions included ("بوليفيا (دولة - المتعددة القوميات)").
"""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "gcmreview" / "data" / "country-names.csv"
COLUMNS = {"en": "UNTERM English Short", "fr": "UNTERM French Short",
           "ar": "UNTERM Arabic Short"}
ARTICLE = {"en": re.compile(r" \(the\)$"), "fr": re.compile(r" \((?:le|la|les|l')\)$"),
           "ar": re.compile(r"$^")}


def short(name: str, lang: str) -> str:
    name = re.sub(r"\s*\*+$", "", " ".join(name.split()))
    name = ARTICLE[lang].sub("", name)
    return name.replace("'", "\u2019") if lang != "ar" else name


def main() -> None:
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as codes, open(sys.argv[2], encoding="utf-8") as terms:
        rows = list(csv.DictReader(codes))
        unterm = {r["official_name_en"]: r for r in csv.DictReader(terms)}
    names: dict[str, dict[str, str]] = {}
    for row in rows:
        code = row["ISO3166-1-Alpha-2"]
        if row[COLUMNS["en"]]:
            names[code] = {lang: short(row[column], lang) for lang, column in COLUMNS.items()}
    ivoire = {**unterm["Côte d'Ivoire"], COLUMNS["en"]: "Côte d'Ivoire"}  # its key is the name
    names["CI"] = {lang: short(ivoire[column], lang) for lang, column in COLUMNS.items()}
    turkiye = next(r for r in rows if r["ISO3166-1-Alpha-2"] == "TR")
    names["TR"] = {lang: turkiye[f"official_name_{lang}"] for lang in COLUMNS}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["code", *COLUMNS])
    for code in sorted(names):
        writer.writerow([code, *(names[code][lang] for lang in COLUMNS)])
    OUTPUT.write_text(out.getvalue(), encoding="utf-8")
    print(f"wrote {OUTPUT} ({len(names)} States)")


if __name__ == "__main__":
    main()
