"""What a heading names: objectives, guiding principles and sections, in the ways
English, French and Arabic reviews write them, and the headings that must name nothing."""

from __future__ import annotations

import re

import pytest

from gcmreview.core import format
from gcmreview.core.i18n import translations
from gcmreview.core.languages import LANGUAGES
from gcmreview.core.text import fold
from gcmreview.load.catalogue import builtin
from gcmreview.model import headings
from gcmreview.model.headings import (
    is_other_part,
    objective_numbers,
    principle_slug,
    section_key,
    strip_numbering,
)

# --- normalising ------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("OBJECTIVE 7", "objective 7"),
    ("Objectif\u00a0n°\u00a07\u00a0:", "objectif n° 7 :"),
    ("Méthodologie", "methodologie"),
    ("Mise en Œuvre", "mise en oeuvre"),
    ("l’ensemble", "l'ensemble"),
    ("Objective 7 – title", "objective 7 - title"),
    ("\u200fالهدف\u200e ٧", "الهدف 7"),
    ("الهدف ۱۲", "الهدف 12"),
    ("الهـــدف", "الهدف"),
    ("الأول إلى آخر", "الاول الي اخر"),
    ("الْهَدَفُ", "الهدف"),
    ("المبادئ التوجيهية", "المبادي التوجيهيه"),
    ("\ufeff  Next\t\tsteps  ", "next steps"),
    ("\u2067Objective 7\u2069", "objective 7"),
])
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("3. methodology", "methodology"),
    ("3.2 objective 7", "objective 7"),
    ("3.2. objective 7", "objective 7"),
    ("iii. next steps", "next steps"),
    ("a) methodology", "methodology"),
    ("(b) sources", "sources"),
    ("ii.3. objective 7", "objective 7"),
    ("اولا: المنهجيه", "المنهجيه"),
    ("ب- المنهجيه", "المنهجيه"),
    ("1-المنهجيه", "المنهجيه"),
    ("2030 agenda", "2030 agenda"),  # a year, not a number
    ("a propos de l'examen", "a propos de l'examen"),  # "À propos", not "a."
])
def test_strip_numbering(text: str, expected: str) -> None:
    assert strip_numbering(text) == expected


def test_arabic_in_the_patterns_is_already_normalised() -> None:
    """Patterns match normalised text: an Arabic word typed with a hamza or a ta marbuta
    in a pattern would never match."""
    sources = [headings._NUMBERS.pattern, headings._ORDINAL_HEAD.pattern,
               headings._NUMBERING.pattern, headings._EXPLICIT_LETTER.pattern,
               headings._PRINCIPLES_WORD.pattern, *(p.pattern for p, _n in headings._ORDINALS),
               *(stem for section in format.sections() for stem in section.stems)]
    for source in sources:
        for word in re.findall(r"[\u0600-\u06ff]+", source):
            assert fold(word) == word, (word, source)


# --- objectives -------------------------------------------------------------------------------

ARABIC_ORDINALS = {
    "الأول": 1, "الثاني": 2, "الثالث": 3, "الرابع": 4, "الخامس": 5, "السادس": 6, "السابع": 7,
    "الثامن": 8, "التاسع": 9, "العاشر": 10, "الحادي عشر": 11, "الثاني عشر": 12,
    "الثالث عشر": 13, "الرابع عشر": 14, "الخامس عشر": 15, "السادس عشر": 16,
    "السابع عشر": 17, "الثامن عشر": 18, "التاسع عشر": 19, "العشرون": 20,
    "الحادي والعشرون": 21, "الثاني والعشرون": 22, "الثالث والعشرون": 23,
}


@pytest.mark.parametrize(("ordinal", "number"), ARABIC_ORDINALS.items())
def test_arabic_ordinals(ordinal: str, number: int) -> None:
    assert objective_numbers(f"الهدف {ordinal}") == (number,)
    bare = " ".join(w.removeprefix("ال") if not w.startswith("وال") else "و" + w[3:]
                    for w in ordinal.split())
    assert objective_numbers(f"الهدف {bare}") == (number,), bare  # without the article
    assert objective_numbers(f"الهدف {ordinal}: نص العنوان") == (number,)


@pytest.mark.parametrize(("text", "expected"), [
    ("Objective 7", (7,)),
    ("GCM Objective 7:", (7,)),
    ("Objective 7 – Address and reduce vulnerabilities in migration", (7,)),
    ("Objective 7 - 2020 update", (7,)),
    ("Objective 7 and the 2030 Agenda", (7,)),
    ("OBJECTIVE 7", (7,)),
    ("objective 23", (23,)),
    ("Objective7", (7,)),
    ("Objectif 7", (7,)),
    ("Objectif n° 7", (7,)),
    ("Objectif n°\u00a07\u00a0:", (7,)),
    ("Objectif N°7", (7,)),
    ("Objectif nº 7", (7,)),
    ("Objectif no 7 :", (7,)),
    ("Objectif numéro 7", (7,)),
    ("PMM Objectif 7 : réduire", (7,)),
    ("Objetivo 7", (7,)),
    ("الهدف 7", (7,)),
    ("الهدف ٧", (7,)),
    ("الهدف ۷", (7,)),
    ("\u200fالهدف ١٤:", (14,)),
    ("الهدف رقم 7", (7,)),
    ("الهدف رقم ١٥ من الاتفاق العالمي", (15,)),
    ("الاتفاق العالمي - الهدف 7", (7,)),
    ("هدف 3", (3,)),
    ("الهدف الأول", (1,)),
    ("الهدف الاول", (1,)),
    ("الهدف الحادى عشر", (11,)),  # alef maqsura
    ("الهدف الثانى والعشرين", (22,)),
    ("الهدف الأوّل", (1,)),  # shadda
    ("الهـدف السابع", (7,)),  # tatweel
    ("3. Objective 7", (7,)),
    ("3.2 Objective 7", (7,)),
    ("III. Objective 7", (7,)),
    ("a) Objective 7", (7,)),
    ("(c) Objective 7", (7,)),
    ("أولاً: الهدف الثالث", (3,)),
    ("١- الهدف ٧", (7,)),
    # several: the caller reports them as ambiguous
    ("Objectives 1 and 2", (1, 2)),
    ("Objectives 1 & 2", (1, 2)),
    ("Objectifs 1 à 3", (1, 2, 3)),
    ("Objectifs 1 et 2", (1, 2)),
    ("Objectives 4, 5 and 6", (4, 5, 6)),
    ("Objectives 4, 5, and 6", (4, 5, 6)),
    ("Objectives 1-3", (1, 2, 3)),
    ("Objectives 1 to 3", (1, 2, 3)),
    ("Objetivos 1 y 2", (1, 2)),
    ("الهدفان 1 و2", (1, 2)),
    ("الهدفين ١ و ٢", (1, 2)),
    ("الأهداف 1-3", (1, 2, 3)),
    ("الأهداف من 1 إلى 3", (1, 2, 3)),
    ("الأهداف ٤، ٥ و٦", (4, 5, 6)),
    ("الهدفان الأول والثاني", (1, 2)),
    ("الهدف الثالث عشر والرابع عشر", (13, 14)),
    # nothing
    ("7 things about objectives", ()),
    ("Objective 24", ()),
    ("Objective 0", ()),
    ("Objectives 22 to 24", ()),
    ("Objective 123", ()),
    ("Objective 7.1", ()),
    ("Objective 7a", ()),
    ("Objective 7 or 8", ()),
    ("Objective 7 / 8", ()),
    ("Objectives 3-1", ()),
    ("Objectives of the review", ()),
    ("Objective", ()),
    ("Our objective is 7 days", ()),
    ("The review covers Objective 7", ()),
    ("Objectively 7", ()),
    ("الهدف من هذا التقرير", ()),
    ("الهدف", ()),
    ("الهدف الأولي", ()),
    ("أهداف الاستعراض", ()),
    ("Introduction", ()),
    ("Executive summary", ()),
    ("", ()),
])
def test_objective_numbers(text: str, expected: tuple[int, ...]) -> None:
    assert objective_numbers(text) == expected
    assert objective_numbers(text, builtin()) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Address and reduce vulnerabilities in migration", (7,)),
    ("ADDRESS AND REDUCE VULNERABILITIES IN MIGRATION.", (7,)),
    ("7. Address and reduce vulnerabilities in migration", (7,)),
    ("S’attaquer aux facteurs de vulnérabilité liés aux migrations et les réduire", (7,)),
    ("S'attaquer aux facteurs de vulnerabilite lies aux migrations et les reduire", (7,)),
    ("Remittances", (20,)),
    ("Envois de fonds", (20,)),
    ("Data", (1,)),
    # objective 23's short label is also principle (b)'s name: the principle reads it
    ("International cooperation", ()),
    ("Coopération internationale", ()),
    # a title must be the whole heading
    ("Address and reduce vulnerabilities in migration in the south", ()),
    ("Data collection", ()),
])
def test_objective_titles_need_the_catalogue(text: str, expected: tuple[int, ...]) -> None:
    assert objective_numbers(text, builtin()) == expected
    assert objective_numbers(text) == ()


def test_titles_a_workspace_adds_count_in_their_language() -> None:
    # Test text standing for a title a workspace would add: not an official title.
    catalogue = builtin().with_overrides(
        {"objectives": {7: {"title": {"ar": "نص تجريبي بدل عنوان الهدف"}}},
         "sources": {"ar": "test"}}, "test")
    assert objective_numbers("نص تجريبي بدل عنوان الهدف", catalogue) == (7,)
    assert objective_numbers("نص تجريبي بدل عنوان الهدف", builtin()) == ()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_reports_and_forms_own_objective_headings(lang: str) -> None:
    catalog = translations(lang)
    for number in (1, 7, 23):
        report = catalog.gettext("Objective %(number)s") % {"number": number}
        form = catalog.gettext("Objective {number}").format(number=number)
        title = builtin().objective(number).title(lang).text
        assert objective_numbers(f"{report}. {title}") == (number,)
        assert objective_numbers(f"{form}: {title}") == (number,)


# --- guiding principles -----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    # by letter
    ("(a)", "people-centred"),
    ("(J)", "whole-of-society"),
    ("a)", "people-centred"),
    ("Principle (a)", "people-centred"),
    ("Principle a", "people-centred"),
    ("Guiding principle (a):", "people-centred"),
    ("Guiding principle (d): Rule of law and due process", "rule-of-law"),
    ("Guiding principle (b) – working with others", "international-cooperation"),
    ("Principe directeur a)", "people-centred"),
    ("Principe directeur i) :", "whole-of-government"),
    ("Principio rector (f)", "human-rights"),
    ("(f) Human rights", "human-rights"),
    ("(i) Whole-of-government approach", "whole-of-government"),
    ("المبدأ (أ)", "people-centred"),
    ("المبدأ (ب)", "international-cooperation"),
    ("المبدأ (ج)", "national-sovereignty"),
    ("المبدأ (د)", "rule-of-law"),
    ("المبدأ (هـ)", "sustainable-development"),
    ("المبدأ (و)", "human-rights"),
    ("المبدأ (ز)", "gender-responsive"),
    ("المبدأ (ح)", "child-sensitive"),
    ("المبدأ (ط)", "whole-of-government"),
    ("المبدأ (ي)", "whole-of-society"),
    ("المبدأ التوجيهي (ج)", "national-sovereignty"),
    ("مبدأ (إ)", "people-centred"),  # hamza variant of أ
    ("(أ) محوره الإنسان", "people-centred"),
    # by name, in any catalogue language, and the recognition vocabulary
    ("People-centred", "people-centred"),
    ("People-centered approach", "people-centred"),
    ("Priorité à la dimension humaine", "people-centred"),
    ("International cooperation", "international-cooperation"),
    ("Coopération internationale", "international-cooperation"),
    ("National sovereignty", "national-sovereignty"),
    ("Rule of law", "rule-of-law"),
    ("Rule of law and due process", "rule-of-law"),
    ("Primauté du droit et garanties d’une procédure régulière", "rule-of-law"),
    ("État de droit", "rule-of-law"),
    ("Sustainable development", "sustainable-development"),
    ("Human rights", "human-rights"),
    ("Human rights:", "human-rights"),
    ("Droits de l’homme", "human-rights"),
    ("Droits de l'homme", "human-rights"),
    ("حقوق الإنسان", "human-rights"),
    ("Gender-responsive", "gender-responsive"),
    ("Gender responsive approach", "gender-responsive"),
    ("Prise en compte de la problématique femmes-hommes", "gender-responsive"),
    ("مراعاة المنظور الجنساني", "gender-responsive"),
    ("Child-sensitive", "child-sensitive"),
    ("Adaptation aux besoins de l’enfant", "child-sensitive"),
    ("whole-of-government", "whole-of-government"),
    ("Whole of government approach", "whole-of-government"),
    ("Whole-of-government approach", "whole-of-government"),
    ("approche mobilisant l'ensemble des pouvoirs publics", "whole-of-government"),
    ("Approche pangouvernementale", "whole-of-government"),
    ("نهج يشمل الحكومة بأسرها", "whole-of-government"),
    ("Whole-of-society approach", "whole-of-society"),
    ("Approche mobilisant l’ensemble de la société", "whole-of-society"),
    ("نهج يشمل المجتمع بأسره", "whole-of-society"),
    ("2. Whole-of-society approach", "whole-of-society"),
    ("Guiding principle: Human rights", "human-rights"),
    ("Principe directeur : Développement durable", "sustainable-development"),
    # nothing
    ("(k)", None),
    ("Principle (k)", None),
    ("(b) Human rights", None),  # the letter and the name disagree
    ("a) Methodology", None),
    ("Principe d'égalité", None),
    ("Principle of non-refoulement", None),
    ("Guiding principles", None),
    ("Principles (a) and (b)", None),
    ("المبادئ التوجيهية", None),
    ("Human rights of migrants in detention", None),
    ("Human rights training for border officials", None),
    ("Sustainable development goals", None),
    ("Objective 7", None),
    ("Introduction", None),
    ("", None),
])
def test_principle_slug(text: str, expected: str | None) -> None:
    assert principle_slug(text, builtin()) == expected


def test_every_catalogue_name_and_letter_is_recognised() -> None:
    catalogue = builtin()
    for principle in catalogue.principles.values():
        for name in principle.names.values():
            assert principle_slug(name, catalogue) == principle.slug, name
        assert principle_slug(f"({principle.letter})", catalogue) == principle.slug
        for lang in LANGUAGES:  # the form's own heading: "(a) People-centred"
            heading = f"({principle.letter}) {principle.name(lang).text}"
            assert principle_slug(heading, catalogue) == principle.slug, heading


# --- sections ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Methodology", "methodology"),
    ("Methodology for the review", "methodology"),
    ("Methodology of the report", "methodology"),
    ("2. Methodology", "methodology"),
    ("II. Méthodologie", "methodology"),
    ("Méthodologie", "methodology"),
    ("Méthodologie de l'examen", "methodology"),
    ("Metodología", "methodology"),
    ("المنهجية", "methodology"),
    ("منهجية إعداد الاستعراض", "methodology"),
    ("ثانياً: المنهجية", "methodology"),
    ("Policy and enabling environment", "policy_environment"),
    ("Policy environment", "policy_environment"),
    ("Environnement politique et favorable", "policy_environment"),
    ("Cadre politique", "policy_environment"),
    ("Cadre politique et environnement favorable", "policy_environment"),
    ("البيئة السياساتية والتمكينية", "policy_environment"),
    ("السياسات والبيئة التمكينية", "policy_environment"),
    ("Progress on the objectives", "objectives"),
    ("Progrès réalisés", "objectives"),
    ("Progrès réalisés dans la mise en œuvre des objectifs", "objectives"),
    ("Progrès accomplis sur les objectifs", "objectives"),
    ("التقدم المحرز في تنفيذ الأهداف", "objectives"),
    ("التقدم المحرز في تحقيق الأهداف", "objectives"),
    ("Objectives", "objectives"),
    ("Objectifs :", "objectives"),
    ("Guiding principles", "principles"),
    ("Guiding principles of the Global Compact", "principles"),
    ("Principes directeurs", "principles"),
    ("المبادئ التوجيهية", "principles"),
    ("Principles", "principles"),
    ("COVID-19", "covid19"),
    ("Impact of the COVID-19 pandemic", "covid19"),
    ("Covid 19 response", "covid19"),
    ("The coronavirus crisis", "covid19"),
    ("Lessons from the pandemic", "covid19"),
    ("Pandémie de COVID-19", "covid19"),
    ("La pandémie", "covid19"),
    ("كوفيد-19", "covid19"),
    ("أثر جائحة كوفيد-١٩", "covid19"),
    ("الاستجابة لكورونا", "covid19"),
    ("الجائحة", "covid19"),
    ("Means of implementation", "means_of_implementation"),
    ("Moyens de mise en œuvre", "means_of_implementation"),
    ("Moyens de mise en oeuvre", "means_of_implementation"),
    ("وسائل التنفيذ", "means_of_implementation"),
    ("Next steps", "next_steps"),
    ("A. Next steps", "next_steps"),
    ("Prochaines étapes", "next_steps"),
    ("Étapes suivantes", "next_steps"),
    ("الخطوات التالية", "next_steps"),
    ("الخطوات المقبلة", "next_steps"),
    ("Reservations", "reservations"),
    ("Réserves", "reservations"),
    ("التحفظات", "reservations"),
    ("Sources", "sources"),
    ("Sources:", "sources"),
    ("Sources (2020-2024)", "sources"),
    ("References", "sources"),
    ("Références", "sources"),
    ("المصادر", "sources"),
    ("المراجع", "sources"),
    ("About the review", "review"),
    ("À propos de l'examen", "review"),
    ("A propos de l’examen", "review"),
    ("عن الاستعراض", "review"),
    # nothing
    ("Objectives of the review", None),
    ("Our objective is 7 days", None),
    ("الهدف من هذا التقرير", None),
    ("Introduction", None),
    ("Executive summary", None),
    ("Sources of funding", None),
    ("Sources-of-funding", None),
    ("Principles of good governance", None),
    ("Methodologies", None),
    ("Review", None),
    ("At a glance", None),
    ("Objective 7", None),
    ("", None),
    ("3.", None),
])
def test_section_key(text: str, expected: str | None) -> None:
    assert section_key(text) == expected


SECTION_MSGIDS = {
    "methodology": "Methodology", "policy_environment": "Policy and enabling environment",
    "objectives": "Progress on the objectives", "principles": "Guiding principles",
    "covid19": "COVID-19", "means_of_implementation": "Means of implementation",
    "next_steps": "Next steps", "reservations": "Reservations", "sources": "Sources",
}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("key", "msgid"), SECTION_MSGIDS.items())
def test_the_reports_own_headings_in_every_language(lang: str, key: str, msgid: str) -> None:
    heading = translations(lang).gettext(msgid)
    assert section_key(heading) == key
    assert section_key(f"3. {heading}") == key


@pytest.mark.parametrize(("text", "expected"), [
    ("Introduction", True), ("1. Introduction", True), ("Executive summary", True),
    ("Conclusion", True), ("Conclusions and recommendations", True), ("Annex 2: laws", True),
    ("Table des matières", True), ("Sigles et acronymes", True), ("المقدمة", True),
    ("الخاتمة", True), ("الملاحق", True),
    ("Challenges", False), ("Background", False), ("Summary", False), ("Objective 7", False),
    ("Methodology", False), ("", False),
])
def test_other_parts(text: str, expected: bool) -> None:
    assert is_other_part(text) is expected
