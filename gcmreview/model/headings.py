"""What a heading names: an objective, a guiding principle or a section of the review.

States wrote their reviews as ordinary Word documents, in English, French or
Arabic, with headings such as "Objective 7", "Objectif n° 7 :", "الهدف السابع"
or "3.2 Méthodologie". These pure functions read one heading's text; the
readers (gcmreview.model.legacy, gcmreview.model.form) decide which blocks are
headings and what to do with what they name.

Every comparison goes through `gcmreview.core.text.fold` (Unicode compatibility forms, case,
accents and Arabic diacritics and letter variants, invisible marks,
Arabic-Indic digits), so a heading typed on any keyboard reads the same.

The recognition vocabulary below is *not* a list of titles: it is wording
people commonly use for a part of the review. Official titles come only from
the catalogue (and from the message catalogs for the report's own headings),
never from this module.

The rule throughout is to recognise less rather than misplace: a heading that
could mean two things names nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from gcmreview.core import format
from gcmreview.core.i18n import ARABIC_LETTERING, translations
from gcmreview.core.languages import LANGUAGES
from gcmreview.core.text import fold
from gcmreview.load.catalogue import Catalogue

_WORD = re.compile(r"[^\W_]+")


def _words(norm: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(norm))


# Numbering in front of a heading: "3.", "3.2", "3.2.", "III.", "a)", "(b)", "A -",
# "أولاً:", "ب-". Applied to normalised text, a few times ("II.3. Objective 7").
_AR_LETTER = "".join(fold(letter) for letter in ARABIC_LETTERING[:10])
"""The Arabic letters of paragraphs (a) to (j), as headings are compared (folded: أ -> ا)."""
_AR_ORDINAL_ADVERBS = ("اولا|ثانيا|ثالثا|رابعا|خامسا|سادسا|سابعا|ثامنا|تاسعا|عاشرا")
_ENDS = r"(?:\s*[-.):]|(?=\s|$))"  # punctuation, or a space before the heading's words
_NUMBERING = re.compile(
    r"^(?:"
    rf"\d{{1,2}}(?:\.\d{{1,2}})*{_ENDS}"  # 3 / 3. / 3.2 / 3) / 3 -
    r"|[ivxlc]{1,6}\s*[-.):]"  # III. / iv)
    r"|[a-z]\s*[.)]|[a-z]\s+-"  # a) / A. / A -
    r"|\(\s*(?:\d{1,2}|[ivxlc]{1,6}|[a-z])\s*\)"  # (3) / (iv) / (b)
    rf"|\(\s*[{_AR_LETTER}]\s*\)|[{_AR_LETTER}]\s*[-)]"  # (ب) / ب-
    rf"|(?:{_AR_ORDINAL_ADVERBS}){_ENDS}"  # أولاً:
    r")\s*"
)


def strip_numbering(norm: str) -> str:
    """A normalised heading without its numbering ("3.2 ", "III. ", "a) ", "أولاً: ")."""
    for _round in range(3):
        stripped = _NUMBERING.sub("", norm, count=1)
        if stripped == norm:
            break
        norm = stripped
    return norm


# --- objectives ---------------------------------------------------------------------------

OBJECTIVES = range(1, 24)
"""The GCM's objective numbers (A/RES/73/195, para. 16): a heading naming another names
nothing, without a catalogue at hand."""

_COMPACT = r"(?:gcm|pmm|global compact|pacte mondial|الاتفاق العالمي)\s*[-:]?\s*"
_OBJECTIVE_WORD = r"(?:objectives?|objectifs?|objetivos?|(?:ال)?(?:هدف|هدفان|هدفين|اهداف))"
_NUMBER_SIGN = r"(?:n\s*°|no\.?|n\.|numero|number|num\.|#|رقم)?"
_LIST_SEPARATOR = (r"(?:\s*(?:,|،|&|;)\s*(?:and\s+|et\s+|y\s+|و\s*)?"
                   r"|\s+(?:and|et|y)\s+|\s*و\s*)")
_RANGE_SEPARATOR = r"(?:\s*-\s*|\s+(?:to|through|a|al|au|الي)\s+)"
_NUMBER = r"\d{1,2}(?!\d)"
_NUMBERS = re.compile(
    rf"^(?:{_COMPACT})?{_OBJECTIVE_WORD}\s*{_NUMBER_SIGN}\s*(?:من\s+)?"
    rf"(?P<list>{_NUMBER}(?:(?:{_LIST_SEPARATOR}|{_RANGE_SEPARATOR}){_NUMBER})*)"
    r"(?!\w)(?!\.\d)"
)
_ORDINAL_HEAD = re.compile(rf"^(?:{_COMPACT})?{_OBJECTIVE_WORD}\s+")

# Arabic ordinals of objectives 1 to 23 (masculine: الهدف), normalised.
_UNITS = {1: "اول", 2: "ثاني", 3: "ثالث", 4: "رابع", 5: "خامس", 6: "سادس", 7: "سابع",
          8: "ثامن", 9: "تاسع"}


def _ordinal_patterns() -> list[tuple[re.Pattern[str], int]]:
    """(pattern, number), longest wording first, each word with or without ال."""
    def art(word: str) -> str:
        return f"(?:ال)?{word}"

    found: dict[int, str] = {n: art(w) for n, w in _UNITS.items()}
    found[10] = art("عاشر")
    found[11] = rf"{art('حادي')}\s+عشر"
    for n in range(2, 10):
        found[10 + n] = rf"{art(_UNITS[n])}\s+عشر"
    found[20] = art("عشر(?:ون|ين)")
    found[21] = rf"{art('حادي')}\s*و\s*{art('عشر(?:ون|ين)')}"
    found[22] = rf"{art('ثاني')}\s*و\s*{art('عشر(?:ون|ين)')}"
    found[23] = rf"{art('ثالث')}\s*و\s*{art('عشر(?:ون|ين)')}"
    return [(re.compile(rf"{pattern}(?!\w)"), n)
            for n, pattern in sorted(found.items(), key=lambda item: -len(item[1]))]


_ORDINALS = _ordinal_patterns()
_ORDINAL_SEPARATOR = re.compile(r"\s*(?:,|،)?\s*و\s*|\s*(?:,|،)\s*")


def _arabic_ordinals(rest: str) -> tuple[int, ...]:
    """Objective numbers as Arabic ordinals: "السابع", "الحادي والعشرون", "الأول والثاني"."""
    numbers: list[int] = []
    position = 0
    while True:
        for pattern, number in _ORDINALS:
            match = pattern.match(rest, position)
            if match:
                numbers.append(number)
                position = match.end()
                break
        else:
            return tuple(numbers)  # no (further) ordinal here
        separator = _ORDINAL_SEPARATOR.match(rest, position)
        if not separator or not any(p.match(rest, separator.end()) for p, _n in _ORDINALS):
            return tuple(numbers)
        position = separator.end()


def _number_list(text: str) -> tuple[int, ...]:
    """"1, 2 and 3" -> (1, 2, 3); "1-3", "1 à 3", "1 إلى 3" -> (1, 2, 3)."""
    numbers: list[int] = []
    parts = re.split(rf"({_RANGE_SEPARATOR}|{_LIST_SEPARATOR})", text)
    values = [int(p) for p in parts[0::2]]
    separators = parts[1::2]
    numbers.append(values[0])
    for separator, value in zip(separators, values[1:], strict=True):
        if re.fullmatch(_RANGE_SEPARATOR, separator):
            if value <= numbers[-1]:
                return ()
            numbers.extend(range(numbers[-1] + 1, value + 1))
        else:
            numbers.append(value)
    return tuple(numbers)


# After the numbers, another number a short word away: "Objective 7 or 8", "Objective
# 7 / 8", "Objectives 1 und 3". The heading is unclear: it names nothing.
_ANOTHER_NUMBER = re.compile(r"^\s*(?:[^\W\d_]{1,5}|[,;/&+])\s*\d{1,2}(?!\d)")


def _explicit_objectives(norm: str) -> tuple[int, ...]:
    text = strip_numbering(norm)
    match = _NUMBERS.match(text)
    if match:
        if _ANOTHER_NUMBER.match(text[match.end():]):
            return ()
        numbers = _number_list(match.group("list"))
    else:
        head = _ORDINAL_HEAD.match(text)
        numbers = _arabic_ordinals(text[head.end():]) if head else ()
    if not numbers or any(n not in OBJECTIVES for n in numbers):
        return ()
    return tuple(sorted(set(numbers)))


@cache
def _objective_titles(catalogue: Catalogue) -> dict[tuple[str, ...], int]:
    """Words of every objective title and short label -> its number.

    A wording two objectives share, or that is also the name of a guiding
    principle ("International cooperation" is objective 23's short label and
    principle (b)), names no objective: `principle_slug` reads the latter.
    """
    principle_names = {_words(fold(name)) for p in catalogue.principles.values()
                       for name in p.names.values()}
    found: dict[tuple[str, ...], set[int]] = {}
    for objective in catalogue.objectives.values():
        for text in (*objective.titles.values(), *objective.shorts.values()):
            words = _words(fold(text))
            if words and words not in principle_names:
                found.setdefault(words, set()).add(objective.number)
    return {words: next(iter(ns)) for words, ns in found.items() if len(ns) == 1}


def objective_numbers(text: str, catalogue: Catalogue | None = None) -> tuple[int, ...]:
    """The objectives a heading names, in increasing order; () if none.

    The objective word must open the heading (after numbering such as "3.2" or
    "III." and "GCM", "PMM" or "الاتفاق العالمي"), followed by the number(s):
    "Objective 7", "Objectif n° 7 :", "الهدف رقم ٧", "الهدف السابع",
    "Objectives 1 and 2" -> (1, 2), "الأهداف 1-3" -> (1, 2, 3). A number outside
    1-23 anywhere makes the whole heading name nothing.

    With a catalogue, a heading that *is* an objective's official title or short
    label, in any language the catalogue has, names it too. Without one, only
    the explicit forms count (the form reader relies on that).
    """
    norm = fold(text)
    numbers = _explicit_objectives(norm)
    if numbers or catalogue is None:
        return numbers
    words = _words(strip_numbering(norm))
    number = _objective_titles(catalogue).get(words)
    return (number,) if number else ()


# --- vocabulary matching ------------------------------------------------------------------

@dataclass(frozen=True)
class _Entry:
    words: tuple[str, ...]
    value: str
    strict: bool
    """Only alone or followed by punctuation: "Sources:" names the sources, "Sources of
    funding" does not."""


def _entries(table: dict[str, tuple[str, ...]], strict: bool) -> list[_Entry]:
    return [_Entry(_words(fold(text)), value, strict)
            for value, texts in table.items() for text in texts if _words(fold(text))]


def _lookup(norm: str, entries: list[_Entry]) -> str | None:
    """The value of the longest entry `norm` starts with; None when none or two disagree."""
    positions = list(_WORD.finditer(norm))
    words = tuple(m.group() for m in positions)
    best: list[_Entry] = []
    for entry in entries:
        size = len(entry.words)
        if words[:size] != entry.words:
            continue
        rest = norm[positions[size - 1].end():].strip()
        if entry.strict and rest and (rest[0].isalnum() or rest[0] == "'"
                                      or (rest[0] == "-" and rest[1:2].isalnum())):
            continue  # "Sources of funding", "Sources-of-funding": another heading
        if best and size > len(best[0].words):
            best = []
        if not best or size == len(best[0].words):
            best.append(entry)
    values = {e.value for e in best}
    return values.pop() if len(values) == 1 else None


# --- guiding principles -------------------------------------------------------------------

# Recognition vocabulary, NOT official names: wordings reviews commonly use for
# each principle (A/RES/73/195 para. 15), besides the catalogue names (any
# language the catalogue has) and the slug's own words, which are added in code.
PRINCIPLE_WORDS: dict[str, tuple[str, ...]] = {
    "people-centred": (
        "People-centred approach", "People-centered", "People-centered approach",
        "Human-centred approach", "Approche centrée sur la personne",
        "Approche centrée sur l'être humain", "Centrée sur la personne",
        "محوره الإنسان", "التركيز على الإنسان", "النهج المتمحور حول الإنسان", "محوره الناس",
    ),
    "international-cooperation": ("التعاون الدولي", "Cooperación internacional"),
    "national-sovereignty": ("السيادة الوطنية", "Soberanía nacional"),
    "rule-of-law": (
        "Rule of law", "Rule of law and due process", "État de droit", "Primauté du droit",
        "État de droit et garanties d'une procédure régulière", "سيادة القانون",
        "سيادة القانون وضمانات مراعاة الأصول القانونية",
        "سيادة القانون والإجراءات القانونية الواجبة", "Estado de derecho",
    ),
    "sustainable-development": ("التنمية المستدامة", "Desarrollo sostenible"),
    "human-rights": (
        "Human rights-based approach", "Droits humains", "Droits de la personne",
        "Approche fondée sur les droits de l'homme", "حقوق الإنسان", "Derechos humanos",
    ),
    "gender-responsive": (
        "Gender-responsive approach", "Gender responsiveness",
        "Prise en compte des questions de genre", "Approche sensible au genre",
        "Approche tenant compte des questions de genre", "Perspective de genre",
        "مراعاة المنظور الجنساني", "مراعاة الاعتبارات الجنسانية",
        "مراعاة الفوارق بين الجنسين", "المنظور الجنساني", "Perspectiva de género",
    ),
    "child-sensitive": (
        "Child-sensitive approach", "Child sensitivity", "Prise en compte de l'intérêt de l'enfant",
        "Approche adaptée aux besoins de l'enfant", "Approche sensible aux enfants",
        "مراعاة مصالح الطفل", "مراعاة احتياجات الطفل", "مراعاة حقوق الطفل",
    ),
    "whole-of-government": (
        "Whole of government", "Approche pangouvernementale",
        "Approche gouvernementale globale",
        "Approche mobilisant l'ensemble des pouvoirs publics",
        "نهج يشمل الحكومة بأسرها", "النهج الحكومي الشامل", "نهج الحكومة بأكملها",
        "نهج شامل للحكومة بأسرها", "Enfoque pangubernamental",
    ),
    "whole-of-society": (
        "Whole of society", "Approche pansociétale",
        "Approche mobilisant l'ensemble de la société",
        "Approche associant l'ensemble de la société",
        "نهج يشمل المجتمع بأسره", "النهج المجتمعي الشامل", "نهج المجتمع بأكمله",
        "نهج شامل للمجتمع بأسره", "Enfoque pansocial",
    ),
}

# UN Arabic documents letter paragraph 15 (a)-(j) with أ ب ج د هـ و ز ح ط ي
# (normalised: أ -> ا, هـ -> ه).
_ARABIC_LETTERS = dict(zip(_AR_LETTER, "abcdefghij", strict=True))
_PRINCIPLE_WORD = (r"(?:guiding\s+principle|principle|principe\s+directeur|principe"
                   r"|principio\s+rector|principio|(?:ال)?مبدا(?:\s+(?:ال)?توجيهي)?)")
_PRINCIPLES_WORD = re.compile(
    r"^(?:guiding\s+principles|principles|principes|principios|(?:ال)?مبادي)(?!\w)")
_LETTERS = f"a-j{_AR_LETTER}"
# A letter in parentheses, before a parenthesis, or before punctuation or the end.
_LETTER = (rf"(?:\(\s*(?P<l1>[{_LETTERS}])\s*\)|(?P<l2>[{_LETTERS}])\s*\)"
           rf"|(?P<l3>[{_LETTERS}])\s*(?=[-:.]|$))")
_EXPLICIT_LETTER = re.compile(rf"^{_PRINCIPLE_WORD}\s*{_LETTER}\s*[-:.]?\s*")
_BARE_LETTER = re.compile(
    rf"^(?:\(\s*(?P<l1>[{_LETTERS}])\s*\)|(?P<l2>[{_LETTERS}])\s*\))\s*[-:.]?\s*")
_PRINCIPLE_PREFIX = re.compile(rf"^{_PRINCIPLE_WORD}\s*[-:.]\s*")


@cache
def _principle_entries(catalogue: Catalogue) -> list[_Entry]:
    table: dict[str, tuple[str, ...]] = {
        p.slug: (*p.names.values(), p.slug.replace("-", " "),
                 *PRINCIPLE_WORDS.get(p.slug, ()))
        for p in catalogue.principles.values()
    }
    return _entries(table, strict=True)


def _principle_by_name(norm: str, catalogue: Catalogue) -> str | None:
    return _lookup(norm, _principle_entries(catalogue))


def principle_slug(text: str, catalogue: Catalogue) -> str | None:
    """The guiding principle a heading names, by slug; None if none (or if unclear).

    By letter: "(a)", "Principle (a)", "Guiding principle (a):", "Principe directeur a)",
    "المبدأ (أ)"; a name after the letter must be that letter's principle. By
    name: a catalogue name in any language, the slug's words ("whole of
    government") or the recognition vocabulary, alone or followed by
    punctuation ("Human rights of migrants" is not a principle heading).
    """
    norm = fold(text)
    letters = {p.letter: p.slug for p in catalogue.principles.values()}
    if _PRINCIPLES_WORD.match(norm):
        return None  # "Principles (a) and (b)", "Guiding principles": not one principle
    for pattern in (_EXPLICIT_LETTER, _BARE_LETTER):
        match = pattern.match(norm)
        if not match:
            continue
        found = next(v for k, v in match.groupdict().items() if k.startswith("l") and v)
        slug = letters.get(_ARABIC_LETTERS.get(found, found))
        rest = norm[match.end():]
        if not slug:
            return None
        if not rest:
            return slug
        named = _principle_by_name(rest, catalogue)
        if named == slug or (named is None and pattern is _EXPLICIT_LETTER):
            return slug
        return None  # "(b) Human rights": the letter and the name disagree; "a) Methodology"
    prefix = _PRINCIPLE_PREFIX.match(norm)
    if prefix:
        norm = norm[prefix.end():]
    return _principle_by_name(strip_numbering(norm), catalogue)


# --- sections -----------------------------------------------------------------------------

# Parts a review may have that the review format has no place for. Not placed,
# but known: a bold paragraph with one of these ends the section above it. Words
# that also serve as labels inside a section ("Summary", "Background", "Context")
# are left out, so that a bold "Background" stays in its objective.
OTHER_PARTS: tuple[str, ...] = (
    "Introduction", "Executive summary", "Foreword", "Preface", "Acknowledgements",
    "Acknowledgments", "Acronyms", "Abbreviations", "List of acronyms", "Table of contents",
    "Contents", "Conclusion", "Conclusions", "Annex", "Annexes", "Appendix",
    "Résumé exécutif", "Avant-propos", "Préface", "Remerciements", "Sigles", "Acronymes",
    "Liste des sigles", "Table des matières", "Sommaire", "Annexe", "Introducción",
    "Conclusión", "Anexo", "مقدمة", "المقدمة", "الملخص التنفيذي", "تمهيد", "توطئة",
    "شكر وتقدير", "المختصرات", "قائمة المختصرات", "المحتويات", "جدول المحتويات", "خاتمة",
    "الخاتمة", "الاستنتاجات", "ملحق", "الملحق", "الملاحق",
)


@cache
def _section_entries(sections: tuple[format.Section, ...]) -> list[_Entry]:
    """The sections' recognition vocabulary (gcmreview.core.format), and their headings
    as the report and the form write them, in every language."""
    entries = _entries({s.key: s.words for s in sections}, strict=False) + \
        _entries({s.key: s.strict_words for s in sections}, strict=True)
    for section in sections:
        if not section.heading or section.stems:  # stems: any heading with such a word
            continue
        for lang in LANGUAGES:
            words = _words(fold(translations(lang).gettext(section.heading)))
            strict = len(words) == 1 and bool(section.strict_words)
            if words:
                entries.append(_Entry(words, section.key, strict))
    return entries


@cache
def _other_entries() -> list[_Entry]:
    return _entries({"other": OTHER_PARTS}, strict=False)


def _named_by_stem(norm: str, sections: tuple[format.Section, ...]) -> str | None:
    found = {s.key for s in sections for stem in s.stems
             if any(stem in word for word in _words(norm))}
    return found.pop() if len(found) == 1 else None


def section_key(text: str) -> str | None:
    """The section of the review a heading opens (a key of gcmreview.core.format's
    SECTIONS: "methodology", "objectives", "covid19"…), or None.

    "objectives" and "principles" are the group headings above the objectives and
    principles. A heading with a word containing one of a section's stems names that
    section, whatever else it says: any heading mentioning COVID-19, the coronavirus or
    the pandemic is about COVID-19 (the reader asks `objective_numbers` first).
    """
    norm = strip_numbering(fold(text))
    if not norm:
        return None
    sections = format.sections()
    return _named_by_stem(norm, sections) or _lookup(norm, _section_entries(sections))


def is_other_part(text: str) -> bool:
    """A heading of a part the review format has no place for (introduction, executive
    summary, conclusion, annex...): recognised so that it ends the section above it."""
    norm = strip_numbering(fold(text))
    return bool(norm) and _lookup(norm, _other_entries()) is not None
