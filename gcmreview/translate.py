"""`gcmreview translate export` and `translate import`: reviews to translators and back.

export: the review (checked) and its translation store -> model.translation (units,
        notes, the current translations) -> render.xliff or render.bilingual
        -> written atomically, one file per State (and the catalogue's missing texts).
import: an XLIFF or bilingual Word file -> load.xliff / load.bilingual (safe reading)
        -> model.translation (matched with the review as it is now) -> render.xliff
        -> the store `translations/<lang>/<CC>.xlf`, written atomically, only when no
        unit is refused. The review file itself is never written.

The store (gcmreview.validate.translations) keeps, per State and language, every
translated unit with the hash of the original it translates and its state.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from gcmreview.core import countries
from gcmreview.core.diagnostics import Diagnostic, Position, Severity, display_path
from gcmreview.core.errors import (
    GcmReviewError,
    InputError,
    TranslationRefused,
    UsageError,
    cannot_read,
)
from gcmreview.core.files import write_atomic
from gcmreview.core.i18n import Formatter, _, join
from gcmreview.core.languages import LANGUAGES
from gcmreview.core.segments import adopt, problems, rebuild, text_of, tokenize
from gcmreview.core.units import path_of, unit_name, units
from gcmreview.load.loader import LoadedFile, load_bytes, peek, read_file
from gcmreview.load.xliff import XliffDocument, parse_xliff, read_bytes
from gcmreview.model.translation import (
    Exporter,
    Importer,
    ImportPlan,
    carried,
    store_document,
    wrong_script,
)
from gcmreview.render.bilingual import bilingual_docx
from gcmreview.render.xliff import xliff2, xliff12
from gcmreview.validate.checks import Options, check_loaded
from gcmreview.validate.history import earlier_translation
from gcmreview.validate.results import FileResult
from gcmreview.validate.run import _worker_started
from gcmreview.validate.translations import Found, check_store, match, read_store
from gcmreview.validate.workspace import CONFIG_NAME, Workspace, check_catalogue_text

if TYPE_CHECKING:
    import multiprocessing.pool

    from gcmreview.render.catalogue_file import Key
# Read when they are needed: a Word file's reader, the catalogue file's writer (ruamel)
# cost every other translate command a few hundredths of a second to import.

VERSIONS = ("2.1", "1.2")
CATALOGUE_FILE = "catalogue.yaml"
"""The catalogue override file `translate import` starts when the workspace names none."""


def language_code(value: str | None) -> str | None:
    """`fr`, `fr-FR`, `ar_MA` -> fr, ar: the languages gcmreview writes; else None."""
    if not value:
        return None
    code = value.replace("_", "-").split("-")[0].strip().lower()
    return code if code in LANGUAGES else None


def country_name(workspace: Workspace, code: str, lang: str) -> str:
    names = workspace.country_names.get(code)
    if isinstance(names, str):
        return names
    if isinstance(names, dict) and names.get(lang):
        return names[lang]
    return Formatter(lang).country(code)


def review_of(workspace: Workspace, code: str, skip: str | None = None
              ) -> FileResult | None:
    """A State's review file, checked: it must be valid to be translated. None when it is
    written in the language `skip` (not worth checking), which its `review:` lines say
    before the rest of it is read (a third of the reviews, in the benchmark)."""
    path = workspace.review_path(code)
    if not (path.exists() or path.is_symlink()):  # a folder or a link: reported as such below
        raise UsageError(_("there is no review of {code} in this workspace ({path})").format(
            code=code, path=display_path(path)),
            hint=_("check the country code; a review file is countries/XX.yaml"))
    shown = display_path(path)
    try:
        raw = read_file(path, shown)
        if skip is not None and isinstance(raw, bytes) and _language(raw) == skip:
            return None
        loaded = raw if isinstance(raw, LoadedFile) else load_bytes(raw, path, shown)
    except OSError as exc:
        raise cannot_read(shown, exc) from exc
    review = loaded.data.get("review") if isinstance(loaded.data, dict) else None
    if skip is not None and isinstance(review, dict) and review.get("language") == skip:
        return None
    result = check_loaded(loaded, workspace.catalogue,
                          Options(participants=workspace.participants, cycle=workspace.cycle,
                                  warnings=False))
    if not result.valid or result.data is None:
        raise InputError(_("{file} has errors, so it cannot be translated").format(
            file=result.shown_as), hint=_("fix them first (`gcmreview validate {file}` lists "
                                          "them)").format(file=result.shown_as))
    return result


def _language(raw: bytes) -> Any:
    """The language a review file says it is in, from its `review:` lines alone (None when
    they do not say it plainly)."""
    review = peek(raw, "review")
    return review.get("language") if isinstance(review, dict) else None


def _checked(result: FileResult | None) -> FileResult:
    assert result is not None  # None only when asked to skip a language
    return result


def _data(result: FileResult) -> dict[str, Any]:
    assert result.data is not None
    return result.data


# --- export ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Exported:
    path: Path
    code: str
    units: int
    translated: int
    """Units that carry a current translation."""


@dataclass
class ExportResult:
    files: list[Exported] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _stored_or_none(workspace: Workspace, code: str, source_lang: str, lang: str,
                    warnings: list[str]) -> XliffDocument | None:
    path = workspace.translation_path(lang, code)
    if not path.is_file() and not path.is_symlink():
        return None
    try:
        return read_store(path, code, source_lang, lang)
    except TranslationRefused as exc:
        warnings.append(_("{file} is left aside: {reason}").format(file=display_path(path),
                                                                   reason=exc.message))
        return None


def export(workspace: Workspace, codes: list[str], lang: str, *, word: bool = False,
           version: str = "2.1", out_dir: Path | None = None,
           catalogue: bool = False, every: bool = False) -> ExportResult:
    """Write the file to translate of each State (and, with `catalogue`, the official
    texts the catalogue lacks in `lang`); each file atomically. With `every` (no State
    named), a review already in `lang` is passed over, said in a warning."""
    if lang not in LANGUAGES:
        raise UsageError(_("unknown language “{lang}”").format(lang=lang),
                         hint=_("use en, fr or ar"))
    if version not in VERSIONS:
        raise UsageError(_("XLIFF {version} is not written").format(version=version),
                         hint=_("use --xliff 2.1 (the default) or --xliff 1.2"))
    folder = out_dir or workspace.output_dir / "translate"
    result = ExportResult()
    exporter = Exporter(workspace.catalogue, lang)
    planned: list[tuple[Path, bytes, Exported]] = []
    done = in_parallel(_export_one, (workspace, lang, word, version, folder, every, exporter),
                       codes)
    for found in done:
        if isinstance(found, GcmReviewError):
            raise found
        if isinstance(found, str):
            result.warnings.append(found)
        else:
            warnings, path, raw, exported = found
            result.warnings += warnings
            planned.append((path, raw, exported))
    if catalogue:
        note = Formatter(lang).gettext("A/RES/73/195 ({language} version), annex, paragraphs "
                                       "15 and 16").format(
            language=Formatter(lang).language_name(lang))
        listed = exporter.catalogue_document(note)
        if listed is None:
            result.warnings.append(_("the catalogue has every official text in {language} "
                                     "already: no catalogue file to translate").format(
                language=Formatter(lang).language_name(lang)))
        else:
            name = f"catalogue.en-{lang}.{'docx' if word else 'xlf'}"
            raw = bilingual_docx(listed, "GCM") if word else (
                xliff2(listed) if version == "2.1" else xliff12(listed))
            planned.append((folder / name, raw, Exported(folder / name, "catalogue",
                                                         len(listed.units), 0)))
    for path, raw, exported in planned:
        write_atomic(path, raw)
        result.files.append(exported)
    return result


ExportJob = tuple[Workspace, str, bool, str, Path, bool, Exporter]


def _export_one(shared: ExportJob, code: str) -> GcmReviewError | str | tuple[
        list[str], Path, bytes, Exported]:
    """One State's file to translate (its path and bytes), a warning when a review in the
    language asked is passed over, or why it cannot be exported."""
    workspace, lang, word, version, folder, every, exporter = shared
    warnings: list[str] = []
    try:
        review = review_of(workspace, code, skip=lang if every else None)
        if review is None:
            return _("the review of {code} is in {language} already: nothing to "
                     "translate").format(code=code,
                                         language=Formatter(lang).language_name(lang))
        data = _data(review)
        source_lang = data["review"]["language"]
        if source_lang == lang:
            raise UsageError(_("the review of {code} is in {language} already").format(
                code=code, language=Formatter(lang).language_name(lang)),
                hint=_("choose another language with --lang"))
        stored = _stored_or_none(workspace, code, source_lang, lang, warnings)
        doc = exporter.review(
            code, country_name(workspace, code, lang), data, _original(workspace, review.path),
            stored)
    except GcmReviewError as exc:
        return exc
    raw = bilingual_docx(doc, country_name(workspace, code, lang)) if word else (
        xliff2(doc) if version == "2.1" else xliff12(doc))
    name = f"{code}.{source_lang}-{lang}.{'docx' if word else 'xlf'}"
    return warnings, folder / name, raw, Exported(
        folder / name, code, len(doc.units), sum(u.target is not None for u in doc.units))


def _original(workspace: Workspace, path: Path) -> str:
    """A review file as the workspace names it: `countries/MA.yaml`."""
    return path.relative_to(workspace.root).as_posix() \
        if path.is_relative_to(workspace.root) else path.name


S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")
_WORK: list[Any] = []
"""The function and the data shared by every job of the running `in_parallel` (a forked
worker has them from its parent: nothing to send with each job)."""


def _call(job: Any) -> Any:
    function, shared = _WORK
    return _uncollected(function, shared, job)


def _uncollected(function: Callable[[S, T], R], shared: S, job: T) -> R:
    """`function(shared, job)` without the cyclic garbage collector: a job builds tens of
    thousands of objects (YAML nodes, XML elements, segments) and frees them as it ends,
    which the collector would otherwise scan again and again (a sixth of the time); what
    a job leaves in cycles is collected after it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return function(shared, job)
    finally:
        if was_enabled:
            gc.enable()


@cache
def _quiet_pool() -> type[multiprocessing.pool.Pool]:
    """multiprocessing's pool, but for its thread that keeps the workers going: that one
    wakes whenever a result waits to be read, and spins for as long as the reading of a
    large one takes (a file of 165 KB, for each State of an export). No worker of ours
    ends early (no maxtasksperchild), so the thread need only wake when a worker exits
    or the pool changes. Of the command's own CPU time while its two workers run, this
    was 0.03-0.06 s for the benchmark's 129 States (measured per thread); on two cores,
    taken from them."""
    import multiprocessing.pool

    class QuietPool(multiprocessing.pool.Pool):
        def _get_sentinels(self) -> list[Any]:  # not the results' queue
            return [self._change_notifier._reader]  # type: ignore[attr-defined]

    return QuietPool


def in_parallel(function: Callable[[S, T], R], shared: S, jobs: list[T]) -> list[R]:
    """`function(shared, job)` for each job, in order: on every core when there are enough
    jobs to pay for the processes (forked, as `validate`'s; where there is no fork, one by
    one)."""
    import multiprocessing
    import os

    workers = min(os.cpu_count() or 1, len(jobs) // 8)
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [_uncollected(function, shared, job) for job in jobs]
    _WORK[:] = [function, shared]
    gc.freeze()  # what the workers inherit is never theirs to collect (nor to copy, scanning)
    pool = _quiet_pool()(workers, initializer=_worker_started,
                         context=multiprocessing.get_context("fork"))
    try:
        # chunks of a few jobs: the workers end together (States differ in size)
        found = pool.map(_call, jobs, chunksize=max(1, len(jobs) // (workers * 12)))
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
        gc.unfreeze()
        _WORK.clear()
    return found


# --- import ---------------------------------------------------------------------------------

@dataclass
class ImportOutcome:
    """What importing one file gave, for the command to print."""

    source: str
    kind: str = "review"
    code: str | None = None
    lang: str | None = None
    target: Path | None = None
    """The store (or the catalogue file) written, or that would be."""
    plan: ImportPlan | None = None
    refused: GcmReviewError | None = None
    written: bool = False
    notes: list[str] = field(default_factory=list)
    pending: bytes | None = None
    """The store to write, once the file is matched (written by `import_files`)."""

    @property
    def problems(self) -> list[Diagnostic]:
        return self.plan.problems if self.plan else []

    @property
    def exit_code(self) -> int:
        if self.refused is not None:
            return self.refused.exit_code
        plan = self.plan
        if plan is not None and (plan.refused or plan.stale or any(
                p.code in ("draft", "placeholder") for p in plan.problems)):
            return 1
        return 0


def _read(path: Path, shown: str) -> XliffDocument:
    from gcmreview.load.bilingual import read_bilingual

    if path.suffix.lower() == ".docx":
        return read_bilingual(path, shown)
    raw = read_bytes(path, shown)
    if raw.startswith(b"PK\x03\x04"):
        return read_bilingual(path, shown)
    return parse_xliff(raw, shown, returned=True)


def _country(doc: XliffDocument, path: Path, shown: str) -> str:
    """The State a file translates, as it says; refused when it says none or two."""
    given = [doc.meta.get("country"), Path(doc.original).stem if doc.original else None]
    said = {countries.normalise(c) for c in given if c}
    if len(said) != 1:
        raise TranslationRefused(
            _("{file} does not say which State's review it translates").format(file=shown)
            if not said else _("{file} names several States: {codes}").format(
                file=shown, codes=join(sorted(said))),
            hint=_("import the file `gcmreview translate export` wrote, as the translation "
                   "tool saved it"))
    code = said.pop()
    named = countries.normalise(path.name.split(".")[0])
    if countries.is_country_code(named) and named != code:
        raise TranslationRefused(
            _("{file} is named for {named}, but it translates the review of {code}").format(
                file=shown, named=named, code=code),
            hint=_("check that this is the file meant; rename it after the State it "
                   "translates"))
    return code


def import_files(workspace: Workspace, paths: list[Path], *, dry_run: bool = False
                 ) -> list[ImportOutcome]:
    """Import each file: read and matched on every core, then each State's store written
    in turn (a catalogue file's texts, one after the other)."""
    outcomes = in_parallel(_planned, (workspace, dry_run, False), paths)
    written: set[Path] = set()
    for index, outcome in enumerate(outcomes):
        if outcome.kind == "catalogue" or (outcome.target in written and outcome.pending):
            # a catalogue file writes the workspace's catalogue; a second file for the same
            # store is matched against what the first one wrote
            outcome = outcomes[index] = _planned((workspace, dry_run, True), paths[index])
        if outcome.pending is not None and outcome.target is not None:
            write_atomic(outcome.target, outcome.pending)
            outcome.pending, outcome.written = None, True
            written.add(outcome.target)
    return outcomes


def _planned(shared: tuple[Workspace, bool, bool], path: Path) -> ImportOutcome:
    """What importing one file would do (and, with `catalogue`, a catalogue file done)."""
    workspace, dry_run, catalogue = shared
    shown = display_path(path)
    outcome = ImportOutcome(shown)
    try:
        doc = _read(path, shown)
        lang = language_code(doc.target_lang)
        if lang is None:
            raise TranslationRefused(
                _("{file} does not say into which language it translates (target language "
                  "“{lang}”)").format(file=shown, lang=doc.target_lang or ""),
                hint=_("set the target language (en, fr or ar) in the translation tool"))
        outcome.lang = lang
        if doc.meta.get("kind") == "catalogue":
            outcome.kind = "catalogue"
            if catalogue:
                _import_catalogue(workspace, doc, lang, shown, outcome, dry_run)
        else:
            _import_review(workspace, doc, path, lang, shown, outcome, dry_run)
    except (TranslationRefused, UsageError, InputError) as exc:
        outcome.refused = exc
    return outcome


def _import_review(workspace: Workspace, doc: XliffDocument, path: Path, lang: str,
                   shown: str, outcome: ImportOutcome, dry_run: bool) -> None:
    code = _country(doc, path, shown)
    outcome.code = code
    review = _checked(review_of(workspace, code))
    data = _data(review)
    source_lang = data["review"]["language"]
    if language_code(doc.source_lang) != source_lang:
        raise TranslationRefused(
            _("{file} translates from “{given}”, but the review of {code} is in {language}")
            .format(file=shown, given=doc.source_lang, code=code,
                    language=Formatter(source_lang).language_name(source_lang)),
            hint=_("export the review again and translate that file"))
    if lang == source_lang:
        raise TranslationRefused(_("{file} translates into {lang}, the review's own "
                                   "language").format(file=shown, lang=lang))
    store = workspace.translation_path(lang, code)
    stored = None
    if store.is_file() or store.is_symlink():
        try:
            stored = read_store(store, code, source_lang, lang)
        except TranslationRefused as exc:
            raise TranslationRefused(
                _("the translations kept for {code} cannot be read: {reason}").format(
                    code=code, reason=exc.message),
                hint=_("restore {file} from git, or delete it to start anew").format(
                    file=display_path(store))) from exc
    importer = Importer(data, lang, shown, stored, word=doc.version == "docx")
    plan = importer.run(doc.units)
    outcome.plan = plan
    outcome.target = store
    if not (plan.refused or not plan.imported or dry_run):
        outcome.pending = xliff2(store_document(plan, data, code,
                                                _original(workspace, review.path),
                                                importer.units.values()))
    plan.store = {}  # in `pending` now: not to be sent back from a worker


_CATALOGUE_PATHS = {("catalogue", "compact"): ("compact",)}


def _catalogue_key(path: tuple[str | int, ...]) -> Key | None:
    """Where a catalogue unit goes in the override file."""
    if path in _CATALOGUE_PATHS:
        return _CATALOGUE_PATHS[path]
    if len(path) == 4 and path[:2] == ("catalogue", "objectives") and \
            isinstance(path[2], int) and path[3] in ("title", "short"):
        return ("objectives", path[2], path[3])
    if len(path) == 4 and path[:2] == ("catalogue", "principles") and path[3] == "name":
        return ("principles", str(path[2]), "name")
    return None


def _official(workspace: Workspace, key: Key | None, lang: str
              ) -> tuple[str | None, str | None]:
    """(the English text, the text in `lang`) the workspace's catalogue has for `key`."""
    catalogue = workspace.catalogue
    if key is None:
        return None, None
    if key == ("compact",):
        return catalogue.compact.get("en"), catalogue.compact.get(lang)
    if key[0] == "objectives" and isinstance(key[1], int) and key[1] in catalogue.objectives:
        texts = catalogue.objectives[key[1]].titles if key[2] == "title" else \
            catalogue.objectives[key[1]].shorts
        return texts.get("en"), texts.get(lang)
    if key[0] == "principles" and str(key[1]) in catalogue.principles:
        names = catalogue.principles[str(key[1])].names
        return names.get("en"), names.get(lang)
    return None, None


def _import_catalogue(workspace: Workspace, doc: XliffDocument, lang: str, shown: str,
                      outcome: ImportOutcome, dry_run: bool) -> None:
    """Official texts copied by a translator into the workspace's catalogue file."""
    plan = ImportPlan(lang)
    outcome.plan = plan
    texts: dict[Key, str] = {}
    source_note: str | None = None

    def problem(line: int, severity: Severity, code: str, name: str, message: str,
                hint: str | None = None) -> None:
        plan.problems.append(Diagnostic(shown, Position(line, 1), severity, code,
                                        f"{name}: {message}", hint))

    for unit in doc.units:
        path = path_of(unit.name or "") or path_of(unit.id)
        name = unit_name(path) if path else unit.id
        if unit.problem is not None:
            problem(unit.line, Severity.ERROR, "unreadable-unit", name, unit.problem)
            continue
        if unit.target is None:
            plan.untranslated.append(name)
            continue
        if path == ("catalogue", "sources"):
            source_note = rebuild(unit.target).strip()
            continue
        key = _catalogue_key(path) if path else None
        english, current = _official(workspace, key, lang)
        if key is None or english is None:
            problem(unit.line, Severity.ERROR, "unknown-unit", name,
                    _("the catalogue has no such text"),
                    _("import only catalogue files exported with `gcmreview translate export "
                      "--catalogue`"))
            continue
        source = tokenize(english, narrative=False)
        wrong = problems(source, unit.target)
        if wrong:
            problem(unit.line, Severity.ERROR, "codes-mismatch", name,
                    _("the text holds tags the English text has not"))
            continue
        text = " ".join(rebuild(adopt(source, unit.target)).split())
        if any(ord(c) < 0x20 for c in text):
            problem(unit.line, Severity.ERROR, "control-character", name,
                    _("the text holds a control character"))
            continue
        if wrong_script(text_of(unit.target), lang):
            problem(unit.line, Severity.WARNING, "wrong-script", name,
                    _("the text holds no letter of the {language} script").format(
                        language=Formatter(lang).language_name(lang)) if lang == "ar" else
                    _("the text is written in Arabic letters"),
                    _("copy the official text of this language version"))
        if current == text:
            plan.unchanged.append(name)
            continue
        if current is not None:
            problem(unit.line, Severity.WARNING, "official-text-kept", name,
                    _("the catalogue has an official text for it already (“{text}”): it is "
                      "kept").format(text=current),
                    _("if that text is wrong, correct it by hand in the catalogue file, with "
                      "its source"))
            continue
        texts[key] = text
        plan.imported.append(name)
    over = workspace.catalogue_path
    existing = over.read_text(encoding="utf-8") if over is not None and over.is_file() else None
    has_source = existing is not None and _source_given(existing, lang)
    if texts and not source_note and not has_source:
        plan.problems.append(Diagnostic(
            shown, Position(1, 1), Severity.ERROR, "catalogue-source",
            _("catalogue/sources: the file does not say where the official texts come from"),
            _("write in the unit catalogue/sources the document they are copied from, for "
              "example “A/RES/73/195 (Arabic version), annex, paragraphs 15 and 16”")))
    if plan.refused or not texts:
        return
    target = over or workspace.root / CATALOGUE_FILE
    outcome.target = target
    if over is None and target.exists():
        raise TranslationRefused(
            _("{file} exists, but gcmreview.yaml names no catalogue file").format(
                file=display_path(target)),
            hint=_("add `catalogue: {name}` to gcmreview.yaml, then import again").format(
                name=CATALOGUE_FILE))
    header = Formatter(lang).gettext(
        "Official titles added to the catalogue for this workspace (docs/format.md, "
        "section 9). Copied from the official texts, never translated.")
    from gcmreview.render.catalogue_file import with_texts

    text = with_texts(existing, lang, texts, source_note, header)
    check_catalogue_text(text.encode("utf-8"), target)
    if dry_run:
        return
    write_atomic(target, text.encode("utf-8"))
    if over is None:
        config = workspace.config_path or workspace.root / CONFIG_NAME
        before = config.read_text(encoding="utf-8")
        write_atomic(config, (before.rstrip("\n") + f"\ncatalogue: {CATALOGUE_FILE}\n")
                     .encode("utf-8"))
        outcome.notes.append(_("added `catalogue: {name}` to {file}").format(
            name=CATALOGUE_FILE, file=display_path(config)))
    outcome.written = True


def _source_given(text: str, lang: str) -> bool:
    from gcmreview.load.loader import load_bytes

    loaded = load_bytes(text.encode("utf-8"), Path("catalogue.yaml"), "catalogue.yaml")
    data = loaded.data if isinstance(loaded.data, dict) else {}
    sources = data.get("sources")
    return isinstance(sources, dict) and bool(sources.get(lang))


# --- a new cycle ----------------------------------------------------------------------------

def carry_translations(workspace: Workspace, code: str, year: int, data: dict[str, Any]
                       ) -> list[Path]:
    """`new XX --from YEAR`: the earlier cycle's translations of the texts carried over
    unchanged, into this cycle's store (units the store has already are kept)."""
    source_lang = data["review"]["language"]
    written = []
    for lang in LANGUAGES:
        if lang == source_lang:
            continue
        found = earlier_translation(workspace, code, year, lang)
        if found is None:
            continue
        where, raw = found
        try:
            doc = parse_xliff(raw, where)
        except TranslationRefused:
            continue
        if check_store(doc, where, code, source_lang, lang) is not None:
            continue
        kept = carried(doc, data)
        if not kept:
            continue
        store = workspace.translation_path(lang, code)
        plan = ImportPlan(lang)
        current: dict[Any, Found] = {}
        if store.is_file():
            try:
                on_file = read_store(store, code, source_lang, lang)
            except TranslationRefused:
                continue
            plan = Importer(data, lang, display_path(store), on_file).plan
            current = match(units(data), on_file)
        for unit in kept:  # a current translation on file stays; a stale one gives way
            verdict = current.get(unit.path)
            if verdict is None or verdict.status != "current":
                plan.store[unit.path] = unit
        write_atomic(store, xliff2(store_document(plan, data, code,
                                                   _original(workspace,
                                                             workspace.review_path(code)))))
        written.append(store)
    return written

