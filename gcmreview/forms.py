"""`gcmreview form` and `gcmreview import`: the Word path into a review workspace.

form:   the review on file (or none) -> model.form (the questionnaire as data)
        -> render (templates/form.md.j2) -> convert (pandoc DOCX, check boxes)
        -> write (atomically, never over a file without --force).
import: .docx -> load.docx (checked, rebuilt) -> convert.word (pandoc's docx reader)
        -> model.form or model.legacy (review data, and where each part came from)
        -> render.review_file (the review file on file, edited; or a new one)
        -> validate -> write (atomically, never over a file without --force).

An answer the focal point did not touch keeps the exact text of the review on
file (compared once both are written the same way), so a form sent back
unchanged imports to the same file, byte for byte.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from gcmreview import __version__
from gcmreview.convert.narratives import NarrativeCache
from gcmreview.convert.pandoc import Job, PandocTemplates, convert_all, narrative_version
from gcmreview.convert.pool import Pool, Processes
from gcmreview.convert.word import WordReader
from gcmreview.core import countries, format
from gcmreview.core.diagnostics import (
    Diagnostic,
    DiagnosticSink,
    Severity,
    Where,
    display_path,
    document_problem,
)
from gcmreview.core.errors import (
    ConversionError,
    DocumentRefused,
    GcmReviewError,
    InputError,
    UsageError,
)
from gcmreview.core.files import write_atomic
from gcmreview.core.i18n import Formatter, _
from gcmreview.core.i18n import language as interface_language
from gcmreview.core.indicators import file_stem, sort_key
from gcmreview.core.languages import LANGUAGES
from gcmreview.load.catalogue import Catalogue
from gcmreview.load.data import DataTable, parse_into, read_data
from gcmreview.load.docx import OpenedDocx, open_docx
from gcmreview.load.loader import LoadedFile, load_bytes, load_file, position_of
from gcmreview.model.changes import FieldChange, StateChange, compare, field_changes
from gcmreview.model.document import Imported, ImportedValue, WordDocument
from gcmreview.model.form import FormBuilder, is_form, missing_sections, read_form
from gcmreview.model.legacy import read_free_form
from gcmreview.model.matrix import snapshot
from gcmreview.model.progress import carried_forward
from gcmreview.render.data_file import canonical_csv
from gcmreview.render.document import form_meta
from gcmreview.render.review_file import canonical, catalogue_titles, plain, updated
from gcmreview.render.templates import render, template_dirs
from gcmreview.validate.checks import Options, check_loaded
from gcmreview.validate.coverage import PLACEHOLDER
from gcmreview.validate.data import DataOptions, StateData, Value, check_data_folder, check_table
from gcmreview.validate.history import earlier_review
from gcmreview.validate.results import FileResult
from gcmreview.validate.run import check_file
from gcmreview.validate.workspace import NEXT_IMRF, Workspace
from gcmreview.write.files import publish, staging


@dataclass(frozen=True)
class Place:
    """Where the command runs: the workspace around it, if any."""

    workspace: Workspace | None
    cwd: Path
    catalogue: Catalogue

    @property
    def root(self) -> Path:
        return self.workspace.root if self.workspace else self.cwd

    def review_path(self, code: str) -> Path:
        return (self.workspace.review_path(code) if self.workspace
                else self.cwd / "countries" / f"{code}.yaml")

    @property
    def cycle(self) -> int:
        return self.workspace.cycle if self.workspace else NEXT_IMRF

    @property
    def options(self) -> Options:
        if self.workspace is None:
            return Options()
        return Options(participants=self.workspace.participants, cycle=self.workspace.cycle,
                       acronyms=self.workspace.spelled_acronyms)

    def country_name(self, code: str, lang: str) -> str:
        names = self.workspace.country_names.get(code) if self.workspace else None
        if isinstance(names, dict) and names.get(lang):
            return names[lang]
        if isinstance(names, str):
            return names
        return Formatter(lang).country(code)

    def data_of(self, code: str) -> StateData:
        """The State's indicator data on file (none outside a workspace)."""
        if self.workspace is None:
            return StateData()
        return check_data_folder(self.workspace.data_dir / code, self.catalogue,
                                 DataOptions(self.cycle, self.workspace.participants),
                                 state=code).of(code)

    @property
    def language(self) -> str:
        """The workspace's first working language (`languages:`, else the first its
        region's names are given in), else English."""
        if self.workspace and self.workspace.languages:
            return self.workspace.languages[0]
        region = self.workspace.region if self.workspace else None
        if isinstance(region, dict):
            return next((lang for lang in region if lang in LANGUAGES), "en")
        return "en"


def read_review(path: Path, place: Place) -> FileResult | None:
    """The review on file, checked; None when there is none."""
    if not path.exists():
        return None
    return check_file(path, place.catalogue, place.options)


# --- gcmreview form -----------------------------------------------------------------------------

def make_forms(place: Place, codes: list[str], *, lang: str | None = None,
               output: Path | None = None, force: bool = False, blank: bool = False,
               from_cycle: int | None = None,
               on_done: Callable[[Path], None] | None = None) -> list[Path]:
    """Write the Word form of each State; returns the files written."""
    if output is not None and len(codes) > 1:
        raise UsageError(_("--output names one file, but several forms were asked for"),
                         hint=_("leave out --output: the forms go into the forms folder"))
    ws = place.workspace
    dirs = template_dirs(ws.templates_dir if ws else None)
    templates = PandocTemplates.find(dirs)
    plans: list[tuple[str, dict[str, Any] | None, str, Path]] = []
    for code in codes:
        data = None
        if from_cycle is not None:  # the earlier cycle's review, each section marked
            if place.workspace is None:
                raise UsageError(_("--from needs a workspace with earlier cycles under "
                                   "`history:`"), hint=_("run it in the review workspace"))
            earlier = earlier_review(place.workspace, code, from_cycle)
            data = carried_forward(plain(earlier.data), from_cycle, place.cycle)
        elif not blank:
            result = read_review(place.review_path(code), place)
            if result is not None and not result.valid and not only_left_to_fill(result):
                raise InputError(
                    _("{file} has errors, so the form cannot start from it").format(
                        file=result.shown_as),
                    hint=_("fix them (`gcmreview validate {file}` lists them), or add --blank "
                           "for an empty form").format(file=result.shown_as))
            data = without_blanks(plain(result.data)) if result is not None else None
        form_lang = lang or (data["review"]["language"] if data else place.language)
        target = output or place.root / "forms" / f"{code}.docx"
        if target.exists() and not force:
            raise UsageError(_("{path} already exists").format(path=display_path(target)),
                             hint=_("add --force to replace it"))
        plans.append((code, data, form_lang, target))
    written = []
    out_dir = (output.parent if output else place.root / "forms")
    with staging(out_dir) as stage:
        jobs = [form_job(place, code, data, form_lang, dirs, stage, target)
                for code, data, form_lang, target in plans]
        narratives = NarrativeCache(stage, narrative_version())
        workers = max(1, min(len(jobs), os.cpu_count() or 1))
        done = convert_all(jobs, templates, narratives, workers)
        failed = [j for j in done if j.error]
        if failed:
            raise ConversionError(_("the form of {country} could not be made: {reason}").format(
                country=failed[0].id, reason=failed[0].error))
        for job in done:
            publish(job.outputs["docx"], job.targets["docx"])
            written.append(job.targets["docx"])
            if on_done:
                on_done(job.targets["docx"])
    return written


def _empty_statuses(data: Any) -> list[tuple[Any, ...]]:
    objectives = data.get("objectives") if isinstance(data, dict) else None
    return [("objectives", n, "status") for n, entry in (objectives or {}).items()
            if isinstance(entry, dict) and "status" in entry and entry["status"] is None]


def only_left_to_fill(result: FileResult) -> bool:
    """The file is as `gcmreview new` wrote it, or on its way: its only errors are TODO
    texts and statuses not chosen yet. A form can start from it (those answers blank)."""
    if result.data is None:
        return False
    empty = {position_of(result.data, path) for path in _empty_statuses(result.data)}
    return all(d.code == "placeholder" or (d.code == "invalid-value" and d.position in empty)
               for d in result.diagnostics if d.severity is Severity.ERROR)


def without_blanks(value: Any) -> Any:
    """The data with TODO texts and empty values left out: blank answers in the form."""
    if isinstance(value, dict):
        return {k: without_blanks(v) for k, v in value.items()
                if v is not None and not (isinstance(v, str) and PLACEHOLDER.match(v))}
    if isinstance(value, list):
        return [without_blanks(v) for v in value
                if not (isinstance(v, str) and PLACEHOLDER.match(v))]
    return value


def form_job(place: Place, code: str, data: dict[str, Any] | None, lang: str,
             dirs: list[Path], stage: Path, target: Path) -> Job:
    builder = FormBuilder(place.catalogue, lang)
    model = builder.build(code, data, place.cycle, place.country_name(code, lang),
                          values=place.data_of(code))
    skeleton = render("form.md.j2", dirs, lang, form=model, version=__version__)
    return Job(id=code, skeleton=skeleton, meta=form_meta(model, __version__),
               outputs={"docx": stage / f"{code}.docx"}, targets={"docx": target})


# --- gcmreview import ---------------------------------------------------------------------------

@dataclass
class DataWrite:
    """An indicator's values read from a form: the data file they go to, and whether it
    changes."""

    indicator: str
    target: Path
    text: str
    existed: bool
    changed: bool
    written: bool = False
    diagnostics: list[Diagnostic] = field(default_factory=list)
    refused: bool = False
    """A row of the table could not be read: the file is left as it is."""


@dataclass
class ImportResult:
    """What importing one document gave, for the command to print."""

    source: str
    kind: str = ""
    target: Path | None = None
    refused: GcmReviewError | None = None
    imported: Imported | None = None
    text: str | None = None
    existed: bool = False
    forced: bool = False
    """--force was given: an existing file may be replaced."""
    changed: bool = False
    written: bool = False
    diff: StateChange | None = None
    fields: list[FieldChange] = field(default_factory=list)
    """Every value that differs from the review on file (empty for a new file)."""
    principles: dict[str, str] = field(default_factory=dict)
    """Guiding-principle slug -> “(a) its name” in the user's language, for messages."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    data: list[DataWrite] = field(default_factory=list)
    """The State's indicator data the form held, one data file each."""

    @property
    def problems(self) -> list[Diagnostic]:
        return self.imported.problems if self.imported else []

    @property
    def exit_code(self) -> int:
        if self.refused is not None:
            return self.refused.exit_code
        if any(p.error for p in self.problems) or any(
                d.severity is Severity.ERROR
                for d in (*self.diagnostics, *(d for w in self.data for d in w.diagnostics))):
            return 1
        return 0


def import_documents(place: Place, files: list[Path], *, country: str | None = None,
                     output: Path | None = None, dry_run: bool = False, force: bool = False,
                     language: str | None = None) -> list[ImportResult]:
    """Import each document; a refused document does not stop the others."""
    if country is not None and len(files) > 1:
        raise UsageError(_("--country names the State of one document, but several were "
                           "given"), hint=_("name each file XX.docx after its country code"))
    if output is not None and len(files) > 1 and not output.is_dir():
        raise UsageError(_("--output names one file, but several documents were given"),
                         hint=_("give a folder, or leave out --output"))
    results = [ImportResult(display_path(path)) for path in files]
    narratives = _Canonical()
    try:
        for index, read in read_documents(files, [r.source for r in results]):
            result = results[index]
            try:
                if isinstance(read, GcmReviewError):
                    raise read
                import_one(place, narratives, files[index], *read, result, country=country,
                           output=output, dry_run=dry_run, force=force, language=language)
            except (DocumentRefused, UsageError, ConversionError) as exc:
                result.refused = exc
    finally:
        narratives.close()
    return results


Read = tuple[OpenedDocx, WordDocument] | GcmReviewError


class _DocumentReader:
    """One worker of the import's pool: a pandoc reading .docx files one after the other."""

    def __init__(self, processes: Processes) -> None:
        self.reader = WordReader()
        processes.started(self.reader.process)

    def read(self, document: tuple[Path, str]) -> tuple[OpenedDocx, WordDocument]:
        path, shown = document
        opened = open_docx(path, shown)
        return opened, self.reader.read(opened.data, shown)

    def close(self) -> None:
        self.reader.close()


def read_documents(files: list[Path], shown: list[str]) -> Iterator[tuple[int, Read]]:
    """Check and read the documents with one pandoc process per core (the pool of
    gcmreview.convert.pool); yields each as it is read, so the import of one overlaps
    the reading of the next ones. A document refused is its result, not the end."""
    pool: Pool[_DocumentReader, tuple[Path, str], tuple[OpenedDocx, WordDocument]] = Pool(
        min(len(files), os.cpu_count() or 1), _DocumentReader, _DocumentReader.read,
        item_errors=(GcmReviewError,))
    with contextlib.closing(pool.results(list(zip(files, shown, strict=True)))) as results:
        for done in results:
            if done.error is not None:
                yield done.index, done.error
            else:
                assert done.value is not None
                yield done.index, done.value


class _Canonical:
    """A pandoc process for the narratives of reviews on file, started when first needed."""

    def __init__(self) -> None:
        self.reader: WordReader | None = None

    def canonical(self, texts: list[str]) -> list[str]:
        if self.reader is None:
            self.reader = WordReader()
        return self.reader.canonical(texts)

    def close(self) -> None:
        if self.reader is not None:
            self.reader.close()


def _code_from_name(path: Path) -> str | None:
    code = countries.normalise(path.stem.split(".")[0])
    return code if countries.is_country_code(code) else None


def import_one(place: Place, reader: _Canonical, path: Path, opened: OpenedDocx,
               document: WordDocument, result: ImportResult, *, country: str | None,
               output: Path | None, dry_run: bool, force: bool, language: str | None) -> None:
    chosen = countries.normalise(country) if country else None
    if chosen is not None and not countries.is_country_code(chosen):
        raise UsageError(_("“{country}” is not an ISO 3166-1 country code").format(
            country=country), hint=_("for example MA for Morocco, LB for Lebanon"))
    if is_form(document):
        imported = read_form(document, place.catalogue, place.cycle)
        stated = imported.data.get("country")
        if isinstance(stated, str) and not chosen \
                and not countries.is_country_code(countries.normalise(stated)):
            # The code names the review file: anything else could write outside countries/.
            raise UsageError(_("{file}: the form's country code “{code}” is not an ISO 3166-1 "
                               "country code").format(file=result.source, code=stated[:40]),
                             hint=_("correct it in the form (two letters, such as MA), or add "
                                    "--country XX"))
        code = chosen or (countries.normalise(stated) if isinstance(stated, str) else None) \
            or _code_from_name(path)
        if chosen and isinstance(stated, str) and stated != chosen:
            imported.problems.append(document_problem(
                "country-differs", Where("", 0),
                _("the form is for {stated}; it was imported as {code}, as --country says")
                .format(stated=stated, code=chosen), error=False))
        if code is not None:
            imported.data = {"country": code, **{k: v for k, v in imported.data.items()
                                                 if k != "country"}}
    else:
        code = chosen or _code_from_name(path)
        if code is None:
            raise UsageError(_("{file} does not say which State it is about").format(
                file=result.source),
                hint=_("add --country XX, or name the file XX.docx after the country code"))
        cycle = place.cycle
        imported = read_free_form(document, place.catalogue, country=code, cycle=cycle,
                                  language=language)
    if code is None:
        raise UsageError(_("{file} does not say which State it is about").format(
            file=result.source),
            hint=_("fill in the country code in the form, or add --country XX"))
    result.kind = imported.kind
    result.imported = imported
    _note_document(imported, document, opened.external, opened.left_out)
    target = _target(place, output, code)
    result.target = target
    result.existed = target.exists()
    result.forced = force
    on_file = _on_file(place, target, code)
    base = plain(on_file.data) if on_file is not None and on_file.data is not None else None
    if imported.kind == "form":
        imported.problems.extend(missing_sections(base, document, place.catalogue))
    if base is not None:
        _keep_untouched_narratives(imported.data, base, reader)
        _keep_unread_answers(imported, base)
    # A form starts from the review on file, so the file written starts from it too
    # (comments and layout kept); a free-form review is a new text: a new file,
    # unless it replaces the target itself.
    layout = on_file if imported.kind == "form" or (
        on_file is not None and on_file.path == target) else None
    if layout is not None and layout.data is not None:
        original = layout.path.read_text(encoding="utf-8")
        # Nothing changed: the file as it is (ruamel would write escapes such as
        # \u00e9 as the characters they stand for).
        text = original if plain(layout.data) == imported.data else updated(
            original, imported.data)
    else:
        lang = (imported.data.get("review") or {}).get("language") or "en"
        text = canonical(imported.data, catalogue_titles(place.catalogue, lang), [
            _("Imported by gcmreview {version} from {file}.").format(
                version=__version__, file=path.name)])
    _check_same_data(text, imported.data, target)
    result.text = text
    shown = display_path(target)
    checked = check_loaded(load_bytes(text.encode("utf-8"), target, shown), place.catalogue,
                           place.options)
    result.diagnostics = checked.diagnostics
    result.diff = _diff(code, on_file, checked, place.catalogue)
    result.fields = field_changes(base, imported.data) if base is not None else []
    result.principles = {slug: p.label(interface_language())
                         for slug, p in place.catalogue.principles.items()}
    previous = target.read_bytes() if result.existed else None
    result.changed = previous != text.encode("utf-8")
    result.data = _data_writes(place, code, imported)
    if dry_run:
        return
    if result.existed and result.changed and not force:
        raise UsageError(_("{path} already exists").format(path=shown),
                         hint=_("add --force to replace it (see what would change with "
                                "--dry-run)"))
    refused = [w for w in result.data if w.existed and w.changed and not force]
    if refused:
        raise UsageError(_("{path} already exists").format(path=display_path(refused[0].target)),
                         hint=_("add --force to replace it (see what would change with "
                                "--dry-run)"))
    if result.changed:
        write_atomic(target, text.encode("utf-8"))
        result.written = True
    for write in result.data:
        if write.changed:
            write_atomic(write.target, write.text.encode("utf-8"))
            write.written = True


def _data_writes(place: Place, code: str, imported: Imported) -> list[DataWrite]:
    """Each indicator table of the form as its data file: unchanged when it holds the same
    values as the file on file (written the same or not), else written anew, and checked."""
    folder = (place.workspace.data_dir if place.workspace else place.root / "data") / code
    catalogue = place.catalogue
    options = DataOptions(place.cycle, place.workspace.participants if place.workspace
                          else None)
    writes = []
    for indicator, values in sorted(imported.values.items(), key=lambda item: sort_key(item[0])):
        target = folder / f"{file_stem(indicator)}.csv"
        shown = display_path(target)
        existed = target.exists() or target.is_symlink()
        if existed and (target.is_symlink() or not target.is_file()):
            raise UsageError(_("{path} is a symbolic link or not a regular file; it is not "
                               "replaced").format(path=shown),
                             hint=_("replace the link with the file itself"))
        same = False
        if existed:
            on_file = check_table(read_data(target, shown), catalogue, options)
            same = on_file.valid and _same_values(on_file.values, values)
        text = canonical_csv(values, list(catalogue.breakdowns_of(indicator)))
        table = DataTable(target, shown, code, file_stem(indicator))
        sink = DiagnosticSink(shown)
        parse_into(table, text.encode("utf-8"), sink)
        table.diagnostics, table.readable = sink.items, not sink.items and bool(table.header)
        checked = check_table(table, catalogue, options)
        refused = indicator in imported.refused_values
        writes.append(DataWrite(indicator, target, text, existed, not same and not refused,
                                diagnostics=[] if refused else checked.diagnostics,
                                refused=refused))
    for indicator in sorted(imported.refused_values - set(imported.values), key=sort_key):
        target = folder / f"{file_stem(indicator)}.csv"
        writes.append(DataWrite(indicator, target, "", target.exists(), False, refused=True))
    return writes


def _same_values(on_file: tuple[Value, ...], read: list[ImportedValue]) -> bool:
    """The same values, whatever their order and however their numbers are written."""
    def key(year: int, series: str, breakdown: tuple[tuple[str, str], ...], number: Decimal,
            units: str, source: str) -> tuple[object, ...]:
        return (year, series, breakdown, number.normalize(), units, source)

    return sorted(key(v.year, v.series, v.breakdown, v.value, v.units, v.source)
                  for v in on_file) == sorted(
        key(v.year, v.series, v.breakdown, Decimal(v.text), v.units, v.source) for v in read)


def _target(place: Place, output: Path | None, code: str) -> Path:
    if output is None:
        return place.review_path(code)
    return output / f"{code}.yaml" if output.is_dir() else output


def _on_file(place: Place, target: Path, code: str) -> LoadedFile | None:
    """The review the import starts from: the target file, else the workspace's own."""
    for path in (target, place.review_path(code)):
        if path.is_file():
            try:
                loaded = load_file(path, display_path(path))
            except OSError:
                continue
            if loaded.data is not None:
                return loaded
    return None


def _note_document(imported: Imported, document: WordDocument, external: tuple[str, ...],
                   left_out: tuple[str, ...]) -> None:
    """What the document held that a review file cannot: said, never dropped silently."""
    for what in external:
        imported.problems.append(document_problem(
            "external-reference", Where("", 0),
            _("the document refers to {what}; gcmreview did not open it").format(what=what),
            error=False))
    for what in left_out:
        imported.problems.append(document_problem(
            "left-out", Where("", 0),
            _("the document holds {what}, which a review file cannot hold; it was left "
              "out").format(what=what), error=False))
    heading = ""
    for block in document.blocks:
        if block.kind == "heading":
            heading = block.text
        images = block.images + sum(c.images for row in block.rows for c in row)
        if images:
            imported.problems.append(document_problem(
                "image-left-out", Where(heading, block.index),
                _("an image here was left out: review files hold text only"),
                _("describe what the image shows in the text, or cite the document it comes "
                  "from"), error=False))


def _narratives(value: Any, path: tuple[Any, ...] = ()) -> dict[tuple[Any, ...], str]:
    found: dict[tuple[Any, ...], str] = {}
    if isinstance(value, dict):
        for k, v in value.items():
            found.update(_narratives(v, (*path, k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found.update(_narratives(v, (*path, i)))
    elif isinstance(value, str) and path and path[-1] in format.narrative_keys():
        found[path] = value
    return found


def _set(data: Any, path: tuple[Any, ...], value: str) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def _keep_untouched_narratives(data: dict[str, Any], base: dict[str, Any],
                               reader: _Canonical) -> None:
    """Answers written exactly as the review on file would be keep its text (and folding)."""
    new, old = _narratives(data), _narratives(base)
    shared = [p for p in new if p in old and new[p] != old[p]]
    if not shared:
        return
    canonical_old = reader.canonical([old[p] for p in shared])
    for path, text in zip(shared, canonical_old, strict=True):
        if text.strip() == new[path].strip():
            _set(data, path, old[path])


def _keep_unread_answers(imported: Imported, base: dict[str, Any]) -> None:
    """An answer the form gives but that cannot be read (two boxes ticked) leaves the
    review on file as it was there: a focal point's slip must not erase an answer."""
    for placement in imported.unread:
        found, value = _get(base, placement.path)
        if not found:
            continue
        _put(imported.data, placement.path, value)
        imported.problems.append(document_problem(
            "answer-kept", placement.where,
            _("the review on file keeps its answer here: {value}").format(
                value=_kept_words(placement.path, value)),
            _("correct the answer in the form and import it again to change it"),
            error=False))


def _kept_words(path: tuple[Any, ...], value: Any) -> str:
    from gcmreview.render.coverage import status_words

    if path[:1] == ("objectives",) and path[-1:] == ("status",) and isinstance(value, str):
        return status_words(value)
    return _("“{value}”").format(value=value)


def _get(data: Any, path: tuple[Any, ...]) -> tuple[bool, Any]:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return False, None
        data = data[key]
    return True, data


def _put(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    """Set a value, making the mappings on the way (their keys in the format's order
    are put right by the file writer)."""
    for key in path[:-1]:
        data = data.setdefault(key, {})
    data[path[-1]] = value


def _check_same_data(text: str, data: dict[str, Any], target: Path) -> None:
    loaded = load_bytes(text.encode("utf-8"), target, target.name)
    if loaded.data is None or plain(loaded.data) != data:
        raise ConversionError(_("internal error: the review file written for {file} does not "
                                "read back as the data imported").format(file=target.name),
                              hint=_("please report this, with the document"))


def _diff(code: str, before: LoadedFile | None, after: FileResult,
          catalogue: Catalogue) -> StateChange:
    old = None
    if before is not None:
        old_result = check_loaded(before, catalogue, Options())
        old = snapshot([old_result], catalogue).states.get(before.path.stem)
    new = snapshot([after], catalogue).states.get(after.path.stem)
    return compare(code, old, new, list(catalogue.principles))
