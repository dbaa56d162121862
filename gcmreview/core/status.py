"""The implementation status of an objective: one vocabulary for every output.

A status has a code (review files, CSV, JSON), a symbol (terminal matrix,
report tables), a label (a message id, translated where it is shown) and the
colours of its heat-map cell. The review schema's enum, the matrices, the
heat maps and their legends all read this table.
"""

from __future__ import annotations

from typing import NamedTuple

from gcmreview.core.i18n import N_


class Status(NamedTuple):
    code: str
    symbol: str
    label: str
    """Message id of the label, in English."""
    fill: str
    """Heat-map cell colour."""
    ink: str = "#000000"
    """Colour of the symbol on that cell."""
    key: str = ""
    """Message id of its entry in a figure's or a table's key, where it stands beside the
    others without its context ("" for `label`)."""
    named: str = ""
    """Message id of the label right after a State's name ("Morocco: status not stated"),
    where the label alone would read as if the State had said nothing ("" for `label`)."""

    @property
    def key_label(self) -> str:
        return self.key or self.label

    @property
    def named_label(self) -> str:
        return self.named or self.label


# From done to not begun (the legend's order), then not applicable. Blues from dark to
# light (ColorBrewer "Blues"), a mid grey and a warm tint: every fill has a lightness of
# its own, so that the statuses stay apart printed in black and white and for readers who
# do not tell hues apart (tests/test_figures.py checks both), and "not started" is a
# visible blue, not the near-white it was. The symbol on each keeps a contrast of 4.5:1.
IMPLEMENTED = Status("implemented", "●", N_("Implemented"), "#08306b", "#ffffff")
IN_PROGRESS = Status("in_progress", "◐", N_("In progress"), "#2171b5", "#ffffff")
PLANNED = Status("planned", "○", N_("Planned"), "#6baed6")
NOT_STARTED = Status("not_started", "·", N_("Not started"), "#cddff1")
NOT_APPLICABLE = Status("not_applicable", "–", N_("Not applicable"), "#858585")
OBJECTIVE_STATUSES = (IMPLEMENTED, IN_PROGRESS, PLANNED, NOT_STARTED, NOT_APPLICABLE)
"""What a review may declare for an objective, in legend order."""

NOT_STATED = Status("not_stated", "◇", N_("Not stated"), "#fdae6b",
                    key=N_("Reported, status not stated"), named=N_("Status not stated"))
"""An objective the review reports on without stating a status (the file has no
`status`): counted as reported, shown as such. A warm tint, apart from the blues
of the stated stages, so it never reads as a stage of progress."""

NOT_REPORTED = Status("not_reported", "", N_("Not reported"), "#ffffff")
REPORTED = Status("reported", "●", N_("Reported"), "#2171b5", "#ffffff")
"""A guiding principle the review reports on (principles have no status)."""
NO_NARRATIVE = Status("no_narrative", "?", N_("Listed without a narrative"), "#ffffff")
PARTNER = Status("partner", "†", N_("Statement by a partner, not by the State"), "#ffffff",
                 "#404040")
"""An objective only a partner spoke to (`stated_by`): shown, attributed, and never
counted as the State's own report or status. Marked with a dagger, the sign of a figure
qualified by a note: the dotted circle (◌) it was drew a few faint dots in the PDF's
tables, close to the circle of "Planned" (○). The heat maps draw a dotted ring instead."""
PARTNER_MARK = PARTNER.symbol
"""What the heat maps' legend shows for a partner's statement."""
INVALID_STATUS = Status("invalid_status", "!", N_("Status missing or invalid"), "#ffffff")
"""Marks only a checker shows: an objective listed but not covered, or covered
with a status the format does not know."""

PROGRESS = frozenset({IN_PROGRESS.code, IMPLEMENTED.code})
"""Statuses the regional synthesis counts as progress."""

BY_CODE = {s.code: s for s in (*OBJECTIVE_STATUSES, NOT_STATED, NOT_REPORTED, REPORTED,
                               NO_NARRATIVE, INVALID_STATUS, PARTNER)}
CODES = tuple(s.code for s in OBJECTIVE_STATUSES)
"""What a review file may write as `status`."""
SHOWN = (*CODES, NOT_STATED.code)
"""What an objective a review reports on can show: a stated status or none."""

def status(code: str | None) -> Status:
    """The status of a code; an unknown or missing one reads as not reported."""
    return BY_CODE.get(code or NOT_REPORTED.code, NOT_REPORTED)


def of_entry(entry: object) -> str:
    """The status an objective entry shows: its code, or not_stated when it has none."""
    if isinstance(entry, dict) and "status" in entry:
        return str(entry["status"])
    return NOT_STATED.code


# Words people type for a status in their own language: never accepted (the
# codes are the format), only suggested. The labels of the message catalogs
# count too (status_words adds them).
TYPED = {
    "implemented": ("implemented", "done", "completed", "achieved", "mis en oeuvre",
                    "mise en oeuvre", "realise", "realisee", "acheve", "termine", "applique",
                    "منفذ", "تم التنفيذ", "نفذ", "مكتمل", "implementado", "ejecutado",
                    "completado"),
    "in_progress": ("in progress", "ongoing", "underway", "en cours",
                    "en cours de mise en oeuvre", "en cours de realisation", "قيد التنفيذ",
                    "جار التنفيذ", "جاري التنفيذ", "en curso", "en progreso", "en marcha"),
    "planned": ("planned", "scheduled", "foreseen", "prevu", "prevue", "planifie", "programme",
                "envisage", "مخطط", "مخطط له", "مزمع", "مقرر", "planificado", "previsto",
                "programado"),
    "not_started": ("not started", "not yet started", "non commence", "pas commence",
                    "pas encore commence", "non entame", "لم يبدأ", "لم يبدأ بعد",
                    "no iniciado", "sin iniciar"),
    "not_applicable": ("not applicable", "n/a", "na", "non applicable", "sans objet",
                       "ne s applique pas", "لا ينطبق", "غير منطبق", "غير قابل للتطبيق",
                       "no aplicable", "no aplica"),
}


def suggest(text: str) -> str | None:
    """The status code someone meant by a word in English, French, Arabic or Spanish."""
    from gcmreview.core.i18n import translations
    from gcmreview.core.text import fold_words

    typed = fold_words(text)
    for code, words in TYPED.items():
        labels = [translations(lang).gettext(BY_CODE[code].label) for lang in ("en", "fr", "ar")]
        if typed in {fold_words(w) for w in (*words, *labels, code)}:
            return code
    return None
