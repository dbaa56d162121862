"""Translations of a review: where they are kept, which are current, what is missing.

A State's review is translated into another language unit by unit
(gcmreview.core.units), and the translation is kept apart from the original, which
prevails: `translations/<lang>/<CC>.xlf` in the workspace, an XLIFF 2.1 file holding
each translated unit with the hash of the original it translates and its state
(translated, reviewed, final). A stored translation is

- current: it translates the original as it is now, and its codes are the original's;
- stale: the original changed since (its hash differs);
- invalid: the file says something it cannot (its codes are not the original's);

and a unit with none of these is missing. `validate` reports missing and stale units
(`translation-missing`, `translation-stale`) at the original text: as errors for the
languages the workspace requires (`translations: {required: [...]}`), as warnings
for a language that has a translation file of the State; `build` uses the current
ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from gcmreview.core.diagnostics import Diagnostic, DiagnosticSink, Position, Severity, display_path
from gcmreview.core.errors import TranslationRefused
from gcmreview.core.i18n import Formatter, _, language
from gcmreview.core.languages import LANGUAGES
from gcmreview.core.segments import Segment, adopt, codes, problems, rebuild, text_of
from gcmreview.core.units import Path_, Unit, path_of, units
from gcmreview.load.loader import position_of
from gcmreview.load.xliff import XliffDocument, XliffUnit, read_xliff

Status = Literal["current", "stale", "invalid", "missing"]
USED_STATES = ("translated", "reviewed", "final")
"""States of a translation that reports use (initial: a draft, not used)."""


@dataclass(frozen=True)
class Spec:
    """What `validate` checks of translations: where they are, which languages must be."""

    folder: Path
    required: tuple[str, ...] = ()


def store_path(folder: Path, lang: str, code: str) -> Path:
    return folder / lang / f"{code}.xlf"


@dataclass(frozen=True)
class Found:
    """A stored translation of one unit, against the original as it is now."""

    status: Status
    state: str
    stored: XliffUnit
    markdown: str | None = None
    """The translation as review text (current ones only): its codes the original's."""
    target: Segment | None = None
    """The translation with the original's codes (current ones only), which `markdown`
    is made of: an export and an import take it, not adopting it again."""


def same_source(unit: Unit, given: XliffUnit) -> bool:
    """The unit of a file translates the original as it is now: the hash gcmreview
    recorded in it is today's (a bilingual Word file shows its first characters); in a
    file that lost it, its source (as far as the file says its codes) is today's."""
    if given.source_hash is not None:
        # What gcmreview recorded (a bilingual Word file shows the start of it) says it.
        return len(given.source_hash) >= 12 and unit.hash.startswith(given.source_hash)
    if given.data_complete:
        return rebuild(given.source) == unit.text
    return _shape(given.source) == _shape(unit.segment)


def _shape(segment: Segment) -> tuple[str, tuple[str, ...]]:
    """What a source without its codes' Markdown still says: its text and its codes."""
    return text_of(segment), tuple(c.id for c in codes(segment))


def by_path(doc: XliffDocument) -> dict[Path_, XliffUnit]:
    """A file's units by the path they name (their name, else their id)."""
    found: dict[Path_, XliffUnit] = {}
    for unit in doc.units:
        path = path_of(unit.name or "") or path_of(unit.id)
        if path is not None:
            found.setdefault(path, unit)
    return found


def judge(unit: Unit, stored: XliffUnit) -> Found:
    """Whether a stored translation of `unit` can be used."""
    if stored.problem is not None or stored.target is None:
        return Found("invalid", stored.state, stored)
    if not same_source(unit, stored):
        return Found("stale", stored.state, stored)
    if problems(unit.segment, stored.target):
        return Found("invalid", stored.state, stored)
    if stored.state not in USED_STATES and stored.state_given:
        return Found("missing", stored.state, stored)
    state = stored.state if stored.state in USED_STATES else "translated"
    target = adopt(unit.segment, stored.target)
    return Found("current", state, stored, rebuild(target), target)


def match(review_units: Iterable[Unit], doc: XliffDocument | None) -> dict[Path_, Found]:
    """Each unit's stored translation, judged; units without one are left out."""
    if doc is None:
        return {}
    stored = by_path(doc)
    return {u.path: judge(u, stored[u.path]) for u in review_units if u.path in stored}


def check_store(doc: XliffDocument, shown: str, code: str, source_lang: str,
                lang: str) -> str | None:
    """Why a stored file is not the translation of `code` into `lang`, or None."""
    if doc.meta.get("kind", "review") != "review" or doc.meta.get("country", code) != code:
        return _("{file} is not the translation of {code}'s review").format(file=shown,
                                                                             code=code)
    if doc.target_lang != lang or doc.source_lang != source_lang:
        return _("{file} translates from “{source}” into “{target}”, not from {review} into "
                 "{lang}").format(file=shown, source=doc.source_lang,
                                  target=doc.target_lang or "", review=source_lang, lang=lang)
    return None


def read_store(path: Path, code: str, source_lang: str, lang: str) -> XliffDocument:
    """A stored translation file, checked to be `code`'s from `source_lang` into `lang`."""
    shown = display_path(path)
    doc = read_xliff(path, shown)
    wrong = check_store(doc, shown, code, source_lang, lang)
    if wrong:
        raise TranslationRefused(wrong, hint=_("each file of translations/<lang>/ holds the "
                                               "translation of the State it is named after"))
    return doc


def languages_of(folder: Path, code: str) -> list[str]:
    """The languages the State has a translation file in."""
    return [lang for lang in LANGUAGES if store_path(folder, lang, code).is_file()]


@dataclass(frozen=True)
class Completeness:
    """How far one review is translated into one language."""

    lang: str
    units: int
    current: int
    stale: int
    missing: int
    required: bool
    file: str | None
    """The translation file as shown, None when there is none."""
    invalid: bool = False
    """The file cannot be read: nothing of it counts."""

    @property
    def complete(self) -> bool:
        return self.current == self.units

    def as_dict(self) -> dict[str, Any]:
        return {"units": self.units, "translated": self.current, "stale": self.stale,
                "missing": self.missing, "required": self.required,
                "complete": self.complete, "file": self.file, "readable": not self.invalid}


@dataclass
class _Words:
    """Messages' words, made once per file."""

    language: dict[str, str] = field(default_factory=dict)

    def of(self, lang: str) -> str:
        if lang not in self.language:
            self.language[lang] = Formatter(language()).language_name(lang)
        return self.language[lang]


def check(data: Any, code: str, spec: Spec, sink: DiagnosticSink) -> list[Completeness]:
    """The translations of one loaded review: a diagnostic for each unit missing or stale
    in a required language (errors) or in a language it has a file in (warnings)."""
    review = data.get("review") if isinstance(data, dict) else None
    source_lang = review.get("language") if isinstance(review, dict) else None
    if source_lang not in LANGUAGES:
        return []
    langs = [lang for lang in LANGUAGES
             if lang != source_lang and (lang in spec.required
                                         or store_path(spec.folder, lang, code).is_file())]
    if not langs:
        return []
    review_units = units(data)
    words = _Words()
    found: list[Completeness] = []
    for lang in langs:
        path = store_path(spec.folder, lang, code)
        shown = display_path(path) if path.is_file() else None
        required = lang in spec.required
        doc = None
        if shown is not None:
            try:
                doc = read_store(path, code, source_lang, lang)
            except TranslationRefused as exc:
                sink.items.append(Diagnostic(shown, Position(), Severity.ERROR,
                                             "translation-invalid", exc.message, exc.hint))
                found.append(Completeness(lang, len(review_units), 0, 0, len(review_units),
                                          required, shown, invalid=True))
                continue
        judged = match(review_units, doc)
        severity = Severity.ERROR if required else Severity.WARNING
        counts = {"current": 0, "stale": 0, "missing": 0}
        name = words.of(lang)
        for unit in review_units:
            verdict = judged.get(unit.path)
            status: Status = verdict.status if verdict is not None else "missing"
            if status == "invalid":
                assert verdict is not None and shown is not None
                sink.items.append(Diagnostic(
                    shown, Position(verdict.stored.line, 1), Severity.ERROR,
                    "translation-invalid",
                    _("{unit}: the {language} translation's codes are not those of the "
                      "original, so it is not used").format(unit=unit.name, language=name),
                    _("import the translation again with `gcmreview translate import`, which "
                      "says what is wrong with it")))
                status = "missing"
            counts[status] += 1
            if status == "current" or (not required and doc is None):
                continue
            at = position_of(data, unit.path)
            if status == "stale":
                sink.items.append(Diagnostic(
                    sink.path, at, severity, "translation-stale",
                    _("{unit}: the {language} translation ({file}) is of an earlier version "
                      "of this text").format(unit=unit.name, language=name, file=shown),
                    _("export it again (`gcmreview translate export --lang {lang} {code}`) "
                      "for the translator to update, then import the file").format(
                        lang=lang, code=code)))
            else:
                sink.items.append(Diagnostic(
                    sink.path, at, severity, "translation-missing",
                    _("{unit}: no {language} translation").format(unit=unit.name,
                                                                  language=name),
                    _("have it translated: `gcmreview translate export --lang {lang} {code}`, "
                      "then `gcmreview translate import` the file the translator "
                      "returns").format(lang=lang, code=code)))
        found.append(Completeness(lang, len(review_units), counts["current"], counts["stale"],
                                  counts["missing"], required, shown))
    return found
