"""Translations as data: what an export hands over, what an import may take, what a
report shows.

- `Exporter` lays a review out as translation units (gcmreview.core.units) with the
  context a translator needs in notes (the State, the section, the objective and its
  official title, its status), each already translated unit that is still current
  with its target and state; and, for the catalogue, the official titles a workspace
  lacks in a language, marked as texts to copy, never to translate.
- `plan_import` matches the units of a returned file (XLIFF, or a bilingual Word file)
  with the review as it is now: by path; a unit whose original changed is stale, not
  taken; a translation's codes must be the original's; its text is checked like a
  narrative (what a report would show as plain text, control characters, a wrong
  script). Nothing here writes: the import writes the store only when no unit is
  refused.
- `Translation` is what a report in another language takes: the current translation
  of each unit, by path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from gcmreview.core import format
from gcmreview.core.diagnostics import Diagnostic, Position, Severity, Where
from gcmreview.core.i18n import Formatter, _, join, principle_mark
from gcmreview.core.narrative import PLACEHOLDER, excess, findings, has_text
from gcmreview.core.segments import (
    CodeProblem,
    Ph,
    Segment,
    adopt,
    codes,
    problems,
    rebuild,
    text_of,
    tokenize,
)
from gcmreview.core.status import status
from gcmreview.core.text import excerpt
from gcmreview.core.units import Path_, Unit, path_of, source_hash, unit_name, units, xml_id
from gcmreview.load.catalogue import Catalogue
from gcmreview.load.xliff import XliffDocument, XliffUnit
from gcmreview.validate.translations import USED_STATES, by_path, judge, match, same_source

FORMAT_VERSION = "1"
"""Written into every file gcmreview exports (`format`): a later layout can still read
the files of this one."""


class OutUnit(NamedTuple):
    """One unit of a file gcmreview writes. (A named tuple: made for each unit exported
    or stored, twice as fast as a frozen dataclass.)"""

    path: Path_
    source: Segment
    target: Segment | None
    state: str | None
    source_hash: str
    notes: tuple[tuple[str, str], ...] = ()
    """(category, text) for the translator."""

    @property
    def name(self) -> str:
        return unit_name(self.path)

    @property
    def xml_id(self) -> str:
        return xml_id(self.path)


@dataclass(frozen=True)
class OutDocument:
    file_id: str
    original: str
    """The file translated, as the workspace names it: `countries/MA.yaml`."""
    source_lang: str
    target_lang: str | None
    meta: tuple[tuple[str, str], ...]
    notes: tuple[tuple[str, str], ...]
    units: tuple[OutUnit, ...]


# --- export ---------------------------------------------------------------------------------

class Exporter:
    """Lays reviews out as files to translate into `lang`, notes in that language (the
    translator's own)."""

    def __init__(self, catalogue: Catalogue, lang: str) -> None:
        self.catalogue = catalogue
        self.lang = lang
        self.fmt = Formatter(lang)
        self.t = self.fmt.gettext
        """The translator's language (`_` is the interface's)."""
        self.language = self.fmt.language_name(lang)
        self._locations: dict[tuple[str, Path_], str] = {}
        """Each unit path's location, said once (the same paths recur in every review)."""
        self._said: dict[tuple[str, type, str | int, str | None],
                         tuple[tuple[str, str], ...]] = {}
        """An entry's notes by section, key and status, made once for every review."""

    def review(self, code: str, country: str, data: dict[str, Any], original: str,
               stored: XliffDocument | None) -> OutDocument:
        t = self.t
        self._entries: dict[tuple[str, str | int], tuple[tuple[str, str], ...]] = {}
        source_lang = data["review"]["language"]
        review_units = units(data, self.catalogue.principles)
        judged = match(review_units, stored)
        out = []
        for unit in review_units:
            notes = self.notes(unit, data)
            found = judged.get(unit.path) if judged else None
            target, state = None, None
            if found is not None and found.status == "current" and found.stored.target:
                target, state = found.target, found.state  # adopted when judged
            elif found is not None and found.status == "stale" and found.stored.target:
                notes += (("previous", t("An earlier version of this text was translated "
                                         "as: {text}").format(
                    text=rebuild(found.stored.target))),)
            out.append(OutUnit(unit.path, unit.segment, target, state, unit.hash, notes))
        language = self.fmt.language_name(source_lang)
        instructions = t(
            "The voluntary review of {country} ({code}), cycle {cycle}, to translate from "
            "{source} into {target}. The {source} original prevails. Each tag stands for "
            "something of the original's layout (emphasis, a link, a footnote, a list item, "
            "a new paragraph, a table cell): keep every tag, where the translation needs it; "
            "translate the text of a link, not its address. Official titles of the "
            "Compact's objectives and principles are not to be translated: use the official "
            "text.").format(country=country, code=code, cycle=data["review"]["cycle"],
                            source=language, target=self.fmt.language_name(self.lang))
        return OutDocument(
            code, original, source_lang, self.lang,
            (("kind", "review"), ("country", code), ("cycle", str(data["review"]["cycle"])),
             ("format", FORMAT_VERSION)),
            (("instructions", instructions),), tuple(out))

    def notes(self, unit: Unit, data: dict[str, Any]) -> tuple[tuple[str, str], ...]:
        """Where the text stands in the review, in the translator's words."""
        path = unit.path
        return (("location", self.location(unit)),
                *self.entry_notes(unit.section, path[1] if len(path) > 1 else "", data))

    def entry_notes(self, section: format.Section, key: str | int, data: dict[str, Any]
                    ) -> tuple[tuple[str, str], ...]:
        """An objective's status and official title, a principle's name: the same for
        every text of the entry, said once per entry (and made once per entry and status,
        for every review: 5,160 entries in the benchmark's export, 40 made)."""
        cached = self._entries.get((section.key, key))
        if cached is not None:
            return cached
        code = None
        if section.shape == "objectives" and isinstance(key, int):
            entry = (data.get(section.key) or {}).get(key) or {}
            code = entry.get("status") or "not_stated"
        said = (section.key, type(key), key, code)  # objective True is not objective 1
        found = self._said.get(said)
        if found is None:
            found = self._said[said] = self._entry_notes(section, key, code)
        self._entries[(section.key, key)] = found
        return found

    def _entry_notes(self, section: format.Section, key: str | int, code: str | None
                     ) -> tuple[tuple[str, str], ...]:
        t = self.t
        if section.shape == "objectives" and isinstance(key, int):
            label = t(status(code or "not_stated").label)
            title = self.catalogue.objective(key).title(self.lang)
            return (("status", t("Status: {status}").format(status=label)),
                    ("title", self.official(t("Objective {number}").format(number=key),
                                            title.text, title.fallback)))
        if section.shape == "principles":
            principle = self.catalogue.principles.get(str(key))
            if principle is not None:
                name = principle.name(self.lang)
                return (("title", self.official(principle.mark(self.lang),
                                                name.text,
                                                name.fallback)),)
        return ()

    def official(self, what: str, text: str, fallback: bool) -> str:
        if fallback:
            return self.t("{what}: official title “{title}” (in English: the catalogue has no "
                          "official {language} text; do not translate it)").format(
                what=what, title=text, language=self.language)
        return self.t("{what}: official title “{title}”").format(what=what, title=text)

    def location(self, unit: Unit) -> str:
        """“Progress on the objectives › Objective 7 › Measures, 1 › Description”."""
        key = (unit.section.key, unit.path)
        found = self._locations.get(key)
        if found is None:
            found = self._locations[key] = self._location(unit)
        return found

    def _location(self, unit: Unit) -> str:
        t = self.t
        section, path = unit.section, unit.path
        parts = [t(section.heading)] if section.heading else []
        rest = list(path[1:])
        if section.shape == "objectives":
            parts.append(t("Objective {number}").format(number=rest.pop(0)))
        elif section.shape == "principles":
            slug = str(rest.pop(0))
            principle = self.catalogue.principles.get(slug)
            parts.append(f"({principle.letter})" if principle else slug)
        elif section.shape == "list":
            parts.append(t(section.entry_heading).format(number=int(rest.pop(0)) + 1))
        part = section.part
        while rest and part is not None:
            member = part.member(str(rest.pop(0)))
            if isinstance(member, format.Group):
                index = int(rest.pop(0)) if rest else 0
                parts.append(f"{t(member.caption).split(',')[0].rstrip('.:')} {index + 1}")
                column = next((c for c in member.columns if rest and c.key == rest[0]), None)
                if column is not None:
                    rest.pop(0)
                    parts.append(t(column.label))
                break
            if isinstance(member, format.Field):
                parts.append(t(member.label))
                if rest:
                    parts.append(str(int(rest.pop(0)) + 1))
            break
        return " › ".join(parts)

    def catalogue_document(self, sources_note: str) -> OutDocument | None:
        """The official texts the catalogue lacks in `lang`: to copy, never to translate.
        None when nothing is missing."""
        t = self.t
        lang, catalogue = self.lang, self.catalogue
        copy = t("Official text: copy it from A/RES/73/195 in {language}, do not "
                 "translate it.").format(language=self.fmt.language_name(lang))
        found: list[OutUnit] = []

        def add(path: Path_, text: str, where: str) -> None:
            found.append(OutUnit(path, tokenize(text, narrative=False), None, None,
                                 source_hash(text),
                                 (("official", copy), ("location", where))))

        if lang not in catalogue.compact:
            add(("catalogue", "compact"), catalogue.compact["en"], t("The name of the Compact"))
        for number, objective in catalogue.objectives.items():
            if lang not in objective.titles:
                add(("catalogue", "objectives", number, "title"), objective.titles["en"],
                    t("Objective {number}: its title (paragraph 16)").format(number=number))
            if lang not in objective.shorts and "en" in objective.shorts:
                add(("catalogue", "objectives", number, "short"), objective.shorts["en"],
                    t("Objective {number}: its short label").format(number=number))
        for slug, principle in catalogue.principles.items():
            if lang not in principle.names:
                add(("catalogue", "principles", slug, "name"), principle.names["en"],
                    t("Guiding principle {letter} (paragraph 15)").format(
                        letter=principle_mark(principle.letter, lang)))
        if not found:
            return None
        found.append(OutUnit(("catalogue", "sources"), tokenize(sources_note, narrative=False),
                             None, None,
                             source_hash(sources_note),
                             (("official", t("Say where the texts above come from: the "
                                             "document, its language version and its "
                                             "paragraphs. This text is written, not "
                                             "copied.")),)))
        return OutDocument("catalogue", "catalogue", "en", lang,
                           (("kind", "catalogue"), ("format", FORMAT_VERSION)),
                           (("instructions", copy),), tuple(found))


# --- import ---------------------------------------------------------------------------------

class Stored(NamedTuple):
    """One unit of the translation store."""

    path: Path_
    source: Segment
    target: Segment
    state: str
    source_hash: str


@dataclass
class ImportPlan:
    """What importing one file would do; nothing is written by making it."""

    lang: str
    store: dict[Path_, Stored] = field(default_factory=dict)
    """The store as it will be written (every unit, the ones kept and the new ones)."""
    imported: list[str] = field(default_factory=list)
    """Units whose translation is new or changed."""
    unchanged: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    untranslated: list[str] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        """A unit is refused: nothing of the file is written."""
        return any(p.severity is Severity.ERROR for p in self.problems)


_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_LETTER = re.compile(r"[^\W\d_]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def wrong_script(text: str, lang: str) -> bool:
    """A translation into Arabic without an Arabic letter, or into French or English
    with Arabic letters and no Latin one: most likely the wrong text."""
    if _LETTER.search(text) is None:
        return False
    arabic = _ARABIC.search(text) is not None
    if lang == "ar":
        return not arabic
    return arabic and _LATIN.search(text) is None


def _control(text: str) -> str | None:
    found = _CONTROL.search(text)
    return found.group() if found else None


def _code_words(found: list[CodeProblem]) -> str:
    said = []
    for problem in found:
        said.append({
            "unknown": _("{{{id}}} is not a code of the original"),
            "missing": _("{{{id}}} is missing"),
            "repeated": _("{{{id}}} is there twice"),
            "kind": _("{{{id}}} is not the kind of code it is in the original"),
            "order": _("the codes from {{{id}}} on are not in the original's order"),
            "unbalanced": _("{{{id}}} is not closed"),
        }[problem.what].format(id=problem.code))
    return join(said)


class Importer:
    """Matches a returned file's units with the review as it is now."""

    def __init__(self, data: dict[str, Any], lang: str, shown: str,
                 stored: XliffDocument | None, *, word: bool = False) -> None:
        self.units = {u.path: u for u in units(data)}
        self.lang = lang
        self.shown = shown
        self.word = word
        """A bilingual Word file: rows, not lines; no state (a filled row is translated)."""
        self.plan = ImportPlan(lang)
        self.previous: dict[Path_, Stored] = {}
        for path, given in (by_path(stored).items() if stored is not None else ()):
            if given.target is None or given.problem is not None:
                continue
            unit = self.units.get(path)
            verdict = judge(unit, given) if unit is not None else None
            if unit is not None and verdict is not None and verdict.status == "current" \
                    and verdict.target is not None:  # today's codes, adopted when judged
                self.previous[path] = Stored(path, unit.segment, verdict.target, given.state,
                                             unit.hash)
            else:  # kept as it is, for the note that gives an earlier translation
                self.previous[path] = Stored(path, given.source, given.target, given.state,
                                             given.source_hash or "")
        self.plan.store = dict(self.previous)

    def problem(self, given: XliffUnit, severity: Severity, code: str, message: str,
                hint: str | None = None) -> None:
        name = unit_name(path_of(given.name or "") or path_of(given.id) or (given.id,))
        text = f"{name}: {message}"
        if self.word:
            self.plan.problems.append(Diagnostic(self.shown, Position(0, 0), severity, code,
                                                 text, hint, Where("", 0, given.line)))
        else:
            self.plan.problems.append(Diagnostic(self.shown, Position(given.line, 1), severity,
                                                 code, text, hint))

    def run(self, given_units: Iterable[XliffUnit]) -> ImportPlan:
        seen: set[Path_] = set()
        for given in given_units:
            path = path_of(given.name or "") or path_of(given.id)
            unit = self.units.get(path) if path is not None else None
            if unit is None or path is None:
                self.problem(given, Severity.ERROR, "unknown-unit",
                             _("the review has no such text to translate"),
                             _("import only files exported for this State with `gcmreview "
                               "translate export`; a text deleted from the review since then "
                               "has nothing to translate"))
                continue
            if path in seen:
                self.problem(given, Severity.ERROR, "duplicate-unit",
                             _("this text is given twice in the file"),
                             _("keep one translation of it"))
                continue
            seen.add(path)
            self.unit(unit, given)
        return self.plan

    def unit(self, unit: Unit, given: XliffUnit) -> None:
        plan = self.plan
        if given.problem is not None:
            self.problem(given, Severity.ERROR, "unreadable-unit", given.problem,
                         _("open the file in the translation tool, fix the unit's tags, and "
                           "save it again"))
            return
        if given.target is None:
            plan.untranslated.append(unit.name)
            return
        if not same_source(unit, given):
            plan.stale.append(unit.name)
            self.problem(given, Severity.WARNING, "translation-stale",
                         _("the original changed since this file was exported: the "
                           "translation was not imported"),
                         _("export the file again (`gcmreview translate export`) and have "
                           "the translation updated"))
            return
        if given.state_given and given.state not in USED_STATES:
            plan.untranslated.append(unit.name)
            self.problem(given, Severity.WARNING, "draft",
                         _("the translation is marked as a draft (state “initial”): it was "
                           "not imported"),
                         _("mark it translated in the translation tool once it is done"))
            return
        wrong = problems(unit.segment, given.target)
        if wrong:
            self.problem(given, Severity.ERROR, "codes-mismatch",
                         _("the translation's tags are not the original's: {problems}").format(
                             problems=_code_words(wrong)),
                         _("keep each tag of the original once, in the translation, and the "
                           "tags of lists, paragraphs and tables in their order"))
            return
        target = adopt(unit.segment, _tidy(unit.segment, given.target) if self.word
                       else given.target)
        text = text_of(target)  # the codes are the original's, which holds no control
        control = _control(text)
        if control is not None:
            self.problem(given, Severity.ERROR, "control-character",
                         _("the translation holds a control character (U+{code:04X}), which "
                           "no report can show").format(code=ord(control)),
                         _("remove it from the translation"))
            return
        if not text.strip():  # blank: as a unit with no target
            plan.untranslated.append(unit.name)
            return
        if PLACEHOLDER.match(text) and has_text(unit.text):
            plan.untranslated.append(unit.name)
            self.problem(given, Severity.WARNING, "placeholder",
                         _("the translation is still a placeholder (“{text}”): it was not "
                           "imported").format(text=excerpt(text)),
                         _("write the translation in its place"))
            return
        if not unit.narrative and "\n" in text:
            joined = " ".join(part.strip() for part in text.split("\n") if part.strip())
            self.problem(given, Severity.WARNING, "line-break",
                         _("a line's translation holds line breaks: they were replaced with "
                           "spaces"), _("write it on one line"))
            target = _single_line(target, joined)
        markdown = rebuild(target)
        if unit.narrative:
            limit = excess(markdown)
            if limit is not None:
                message, hint = {
                    "marks": (_("the translation stacks too many combining marks on one "
                                "letter to build"), _("remove the repeated marks")),
                    "note": (_("the translation has a footnote whose text calls a footnote: "
                               "a report cannot be built from it"),
                             _("write the note's text without [^…] in it")),
                }.get(limit.kind, (_("the translation nests quotes, lists, brackets or "
                                     "emphasis too deep to build"),
                                   _("write it with fewer nested levels")))
                self.problem(given, Severity.ERROR, limit.code, message, hint)
                return
            found = findings(markdown)
            before = {c.code for c in findings(unit.text)} if found else set()
            for construct in found:
                if construct.code and construct.code not in before:
                    self.problem(given, Severity.WARNING, construct.code,
                                 _(construct.message),
                                 _(construct.hint) if construct.hint else None)
        if wrong_script(text, self.lang):
            self.problem(given, Severity.WARNING, "wrong-script",
                         _("the translation holds no letter of the {language} script").format(
                             language=Formatter(self.lang).language_name(self.lang))
                         if self.lang == "ar" else
                         _("the translation is written in Arabic letters"),
                         _("check that the translation, not the original, is in this unit"))
        state = given.state if given.state in USED_STATES else "translated"
        earlier = self.previous.get(unit.path)
        # The same translation again (a Word file says no state: the stored one is kept).
        if earlier is not None and earlier.source_hash == unit.hash and \
                rebuild(adopt(unit.segment, earlier.target)) == markdown and \
                (self.word or state == earlier.state):
            plan.unchanged.append(unit.name)
            return
        plan.store[unit.path] = Stored(unit.path, unit.segment, target, state, unit.hash)
        plan.imported.append(unit.name)


def _tidy(source: Segment, target: Segment) -> Segment:
    """A Word translation without the line breaks and spaces typed beside the tags of
    new paragraphs and list items (the bilingual file shows the original's lines so): in
    the original, those tags hold every break and indentation themselves."""
    breaks = {c.id for c in codes(source) if isinstance(c, Ph) and c.kind == "block"}
    out = list(target)
    for i, piece in enumerate(out):
        if isinstance(piece, Ph) and piece.id in breaks:
            before, after = out[i - 1] if i else None, out[i + 1] if i + 1 < len(out) else None
            if isinstance(before, str):
                out[i - 1] = before.rstrip(" \t\n")
            if isinstance(after, str):
                out[i + 1] = after.lstrip(" \t\n")
    return tuple(p for p in out if p != "")


def _single_line(target: Segment, joined: str) -> Segment:
    """A line's translation on one line (lines have no codes but their text's own)."""
    if all(isinstance(p, str) for p in target):
        return (joined,)
    return tuple(" ".join(p.split()) if isinstance(p, str) else p for p in target)


def store_document(plan: ImportPlan, data: dict[str, Any], code: str, original: str,
                   review_units: Iterable[Unit] | None = None) -> OutDocument:
    """The store as it will be written: every unit the review still has, in its order
    (`review_units`, when the caller has them: laying the review out again took 0.10 s
    for the benchmark's 129 files, a quarter of matching them)."""
    order = {u.path: i for i, u in enumerate(units(data) if review_units is None
                                              else review_units)}
    kept = sorted((s for s in plan.store.values() if s.path in order),
                  key=lambda s: order[s.path])
    return OutDocument(
        code, original, data["review"]["language"], plan.lang,
        (("kind", "review"), ("country", code), ("cycle", str(data["review"]["cycle"])),
         ("format", FORMAT_VERSION)), (),
        tuple(OutUnit(s.path, s.source, s.target, s.state, s.source_hash) for s in kept))


def carried(earlier: XliffDocument, data: dict[str, Any]) -> list[Stored]:
    """The units of an earlier cycle's translation that still translate this review's
    texts as they are (a carried-over text unchanged): `new --from` keeps them."""
    found = []
    given_units = by_path(earlier)  # once, not once per unit
    for unit in units(data):
        given = given_units.get(unit.path)
        if given is None:
            continue
        verdict = judge(unit, given)
        if verdict.status == "current" and verdict.target is not None:
            found.append(Stored(unit.path, unit.segment, verdict.target, verdict.state,
                                unit.hash))
    return found


# --- reports --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Translation:
    """What a report in `lang` takes of a review's translation into it."""

    lang: str
    texts: dict[Path_, str]
    """The current translation of each unit that has one, as review text."""
    total: int
    """How many units the review has."""

    @property
    def complete(self) -> bool:
        return len(self.texts) == self.total


def translation(data: dict[str, Any], lang: str, stored: XliffDocument | None
                ) -> Translation | None:
    """The current translation of a review into `lang`; None without any."""
    if stored is None:
        return None
    review_units = units(data)
    texts = {path: found.markdown for path, found in match(review_units, stored).items()
             if found.status == "current" and found.markdown is not None}
    return Translation(lang, texts, len(review_units)) if texts else None
