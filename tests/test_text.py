"""One way to fold text for every comparison, one way to quote it (gcmreview.core.text)."""

from __future__ import annotations

import pytest

from gcmreview.core import countries, status
from gcmreview.core.text import acronyms_in, excerpt, fold, fold_words


@pytest.mark.parametrize(("typed", "expected"), [
    ("In progress:", "in progress"),
    ("in_progress", "in progress"),
    ("IN-PROGRESS", "in progress"),
    ("(a) Priorité à la dimension humaine", "a) priorite a la dimension humaine"),
    ("قيد\u200f التنفيذ", "قيد التنفيذ"),  # a right-to-left mark typed in Word
    ("Mise en œuvre", "mise en oeuvre"),
])
def test_fold_words_reads_a_label_however_it_is_written(typed: str, expected: str) -> None:
    assert fold_words(typed) == expected


def test_fold_and_fold_words_agree_on_what_matters() -> None:
    """A heading, a form label, a status and a country name fold the same way: the
    Arabic letter variants and digits fold for all of them (they did not for labels)."""
    assert fold("الهدف ٧") == fold_words("الهدف 7") == "الهدف 7"
    assert fold_words("منفَّذة") == fold_words("منفذه")
    assert status.suggest("en-cours") == status.suggest("قيد التنفيذ:") == "in_progress"
    assert status.suggest("Mis en œuvre") == status.suggest("Implemented.") == "implemented"
    assert countries.code_for_name("  MAROC ") == "MA"
    assert countries.code_for_name("Algérie") == countries.code_for_name("algerie") == "DZ"


@pytest.mark.parametrize(("text", "expected"), [
    ("short text", "short text"),
    ("line one\n   line two", "line one line two"),
    ("Le Maroc compte la garantie de voies de migration sûres, en particulier pour les "
     "migrants", "Le Maroc compte la garantie de voies de migration sûres, en…"),
    ("x" * 80, "x" * 60 + "…"),
])
def test_excerpt_cuts_between_words_when_it_can(text: str, expected: str) -> None:
    assert excerpt(text) == expected


def test_states_have_the_names_the_united_nations_gives_them() -> None:
    """UNTERM's short names, not CLDR's ("South Korea", "Bosnia & Herzegovina", "ساحل
    العاج"), written as they stand in a sentence or a table: no article in brackets, no
    mark of UNTERM's, typographic apostrophes; a place that is not a State keeps CLDR's
    name, "and" for its "&"."""
    assert [countries.name("KR", lang) for lang in ("en", "fr", "ar")] == \
        ["Republic of Korea", "République de Corée", "جمهورية كوريا"]
    assert countries.name("BA", "en") == "Bosnia and Herzegovina"
    assert countries.name("CI", "ar") == "كوت ديفوار"
    assert countries.name("CI", "en") == "Côte d’Ivoire"
    assert (countries.name("SD", "en"), countries.name("MA", "fr")) == ("Sudan", "Maroc")
    assert countries.name("PS", "fr") == "État de Palestine"
    assert countries.name("TR", "en") == "Türkiye"
    names = countries.united_nations_names()
    assert len(names) >= 195 and all(len(n) == 3 and all(n.values()) for n in names.values())
    assert not [n for found in names.values() for n in found.values()
                if "(the)" in n or "(l" in n or "*" in n or "'" in n]
    english = [countries.name(code, "en") for code in countries.iso_codes()]
    assert not [n for n in english if "&" in n]
    assert countries.code_for_name("République de Corée") == "KR"
    assert countries.code_for_name("ساحل العاج") == "CI"  # CLDR's names still found


@pytest.mark.parametrize(("text", "found"), [
    ("OIM", ["OIM"]),
    ("l’OIM et le HCR", ["OIM", "HCR"]),
    ("COVID-19 et COVID-19-x", ["COVID-19"]),
    ("-OIM, xOIM, ÉOIM, 2OIM, _OIM", []),  # glued to a word or a hyphen: not an acronym
    ("OIM-x, OIMs, O, A1B2", ["A1B2"]),
    ("«ONU» (UE) II XIV ODD5", ["ONU", "UE", "ODD5"]),  # Roman numerals are not acronyms
    ("منظمة IOM، وUNHCR", ["IOM"]),  # an Arabic letter is a word's letter too
])
def test_acronyms_are_found_whole_and_only_whole(text: str, found: list[str]) -> None:
    assert acronyms_in([text]) == found
