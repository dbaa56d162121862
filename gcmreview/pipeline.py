"""`gcmreview build`: validated reviews to HTML, DOCX, PDF and Markdown reports.

load + validate -> model -> render (Jinja) -> convert (pandoc, typst) -> write.

- Outputs are produced in a staging folder inside the output folder and moved
  into place only when a document's every format succeeded: a failed build
  leaves the previous outputs untouched.
- Builds are incremental by content hash (gcmreview.write.manifest): an unchanged
  country is neither reloaded nor rebuilt; the regional report is rebuilt when
  any review, or anything every document depends on, changed.
- Reviews are loaded and rendered while the pandoc workers convert the ones
  before, so validation overlaps conversion.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

from gcmreview.convert.narratives import NarrativeCache, seal_key
from gcmreview.convert.pandoc import Job, PandocTemplates, convert_all, narrative_version
from gcmreview.core import countries
from gcmreview.core.diagnostics import display_path, resolved_folder
from gcmreview.core.errors import InputError, TranslationRefused, cannot_read
from gcmreview.core.format import Review
from gcmreview.core.i18n import _
from gcmreview.load.loader import LoadedFile, load_bytes, read_file
from gcmreview.load.xliff import read_bytes
from gcmreview.model.apparatus import Apparatus
from gcmreview.model.matrix import Snapshot, StateCoverage, snapshot
from gcmreview.model.regional import RegionalBuilder, StateReview, Volume
from gcmreview.model.review import ModelBuilder
from gcmreview.model.translation import Translation, translation
from gcmreview.render.document import regional_meta, report_meta, volume_meta
from gcmreview.render.templates import render, template_dirs
from gcmreview.validate.checks import Options, check_loaded
from gcmreview.validate.data import DataChecker, DataOptions, DataSet, StateData
from gcmreview.validate.history import earlier_cycle
from gcmreview.validate.results import FileResult, ValidationRun
from gcmreview.validate.run import unread_in
from gcmreview.validate.translations import read_store
from gcmreview.validate.workspace import Workspace
from gcmreview.write.files import publish, staging
from gcmreview.write.manifest import KnownReview, Manifest, digest, global_fingerprint

REGIONAL_ID = "regional"


@dataclass(frozen=True)
class BuildOptions:
    all: bool = False
    """Every country and the regional report."""
    region: bool = False
    """The regional report."""
    formats: tuple[str, ...] = ("html", "docx", "pdf")
    lang: str | None = None
    """Report language; None means each review's own language (the regional report:
    the language most reviews are written in)."""
    out_dir: Path | None = None
    order: str = "imrf"
    force: bool = False
    workers: int | None = None


@dataclass
class BuildOutcome:
    validation: ValidationRun
    built: dict[str, list[Path]] = field(default_factory=dict)
    up_to_date: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, list[str]] = field(default_factory=dict)
    """Document -> what it shows in another language than its own (no official text)."""

    @property
    def exit_code(self) -> int:
        invalid = any(not f.valid for f in self.validation.files) or any(
            not r.valid for r in self.validation.data)
        return 1 if (self.failed or invalid) else 0


def workspace_relative(path: Path, workspace: Workspace) -> str:
    """A path as the workspace knows it: outputs must not depend on the current folder."""
    try:  # the folder resolved once (review files are never links: the loader refuses them)
        real = resolved_folder(path.parent) / path.name
        return real.relative_to(resolved_folder(workspace.root)).as_posix()
    except ValueError:
        return path.name


def output_path(folder: Path, name: str, lang: str, fmt: str) -> Path:
    return folder / f"{name}.{lang}.{fmt}"


@dataclass(frozen=True)
class Planned:
    """A document to build: which, in what language, from what, into which files."""

    id: str
    lang: str
    key: str
    """The fingerprint of what it is made from: its outputs are fresh while it holds."""
    targets: dict[str, Path]
    """Format -> output file, the stale ones only."""
    review: Path | None = None
    """A State's review file; None for the regional report (made from every file)."""


@dataclass(frozen=True)
class BuildPlan:
    """What a build will do, decided before anything converts."""

    documents: tuple[Planned, ...]
    up_to_date: tuple[str, ...]
    """Documents whose outputs are fresh: not rebuilt."""
    files: tuple[Path, ...]
    """The review files the regional report is made from."""


@dataclass(frozen=True)
class Source:
    """A review file as this build read it (once): its bytes, or why it is not read."""

    path: Path
    key: str
    """Its identity for fingerprints: tool and configuration, file name, content."""
    raw: bytes | LoadedFile


class Builder:
    """One build: decides what is stale, yields conversion jobs, publishes results."""

    def __init__(self, workspace: Workspace, options: BuildOptions) -> None:
        self.workspace = workspace
        self.options = options
        self.out_dir = options.out_dir or workspace.output_dir
        self.dirs = template_dirs(workspace.templates_dir)
        self.templates = PandocTemplates.find(self.dirs)
        self.manifest = Manifest(self.out_dir, seal_key())
        extra = [p for p in (workspace.config_path,) if p is not None]
        over = workspace.catalogue.overrides_from
        extra += [workspace.root / o for o in over if (workspace.root / o).is_file()]
        self.history = {year: snapshot(earlier_cycle(workspace, year).files,
                                       workspace.catalogue)
                        for year in workspace.history}
        """Each earlier cycle's States (gcmreview.yaml `history:`), read once per build."""
        self.common = global_fingerprint(self.dirs, extra, [options.order,
                                                            history_key(self.history)])
        self.sources: dict[Path, Source] = {}
        self.results: dict[Path, FileResult] = {}
        """Each review loaded and validated, once per build."""
        self.validation_options = Options(participants=workspace.participants,
                                          cycle=workspace.cycle,
                                          acronyms=workspace.spelled_acronyms)
        self.apparatus = Apparatus.of(workspace)
        self.data_checks = DataChecker(workspace.data_dir, workspace.catalogue,
                                       DataOptions(workspace.cycle, workspace.participants))
        """The data files, each checked once a report needs it."""
        self.data_keys = self.read_data()
        """Each State's data files (names and contents), as a fingerprint part."""

    def read_data(self) -> dict[str, str]:
        """The fingerprint of each State's data files: reports change when they do."""
        parts: dict[str, list[bytes | str]] = {}
        for path in self.data_checks.files:
            try:
                raw = b"" if path.is_symlink() or not path.is_file() else path.read_bytes()
            except OSError as exc:
                raise cannot_read(display_path(path), exc) from exc
            parts.setdefault(path.parent.name, []).extend([path.name, raw])
        return {country: digest(found) for country, found in sorted(parts.items())}

    @property
    def data(self) -> DataSet:
        """Every data file, checked once per build."""
        return self.data_checks.everything()

    def read(self, files: list[Path]) -> None:
        for path in files:
            shown = display_path(path)
            try:
                raw = read_file(path, shown)
            except OSError as exc:
                raise cannot_read(shown, exc) from exc
            content = raw if isinstance(raw, bytes) else repr(raw.diagnostics)
            self.sources[path] = Source(path, digest([self.common, path.name, content]), raw)

    def result(self, path: Path) -> FileResult:
        """Load and validate a review once per build."""
        if path not in self.results:
            source = self.sources[path]
            loaded = (source.raw if isinstance(source.raw, LoadedFile)
                      else load_bytes(source.raw, path, display_path(path)))
            result = check_loaded(loaded, self.workspace.catalogue, self.validation_options)
            self.results[path] = result
            if result.valid:
                self.manifest.reviews[source.key] = KnownReview(
                    path.name, result.review["review"]["language"])
        return self.results[path]

    def review_lang(self, path: Path) -> str | None:
        """The review's language (None if invalid), without reloading a known valid file."""
        known = self.manifest.reviews.get(self.sources[path].key)
        if known is not None:
            return known.lang
        result = self.result(path)
        return result.review["review"]["language"] if result.valid else None

    def targets(self, name: str, lang: str) -> dict[str, Path]:
        return {f: output_path(self.out_dir, name, lang, f) for f in self.options.formats}

    def stale(self, targets: dict[str, Path], key: str) -> dict[str, Path]:
        if self.options.force:
            return targets
        return {f: p for f, p in targets.items() if not self.manifest.fresh(p, key)}

    # -- the plan: what to build, decided before anything converts

    def plan(self, countries: list[Path], all_files: list[Path]) -> BuildPlan:
        documents: list[Planned] = []
        up_to_date: list[str] = []
        for path in countries:
            review_lang = self.review_lang(path)
            if review_lang is None:
                continue  # invalid: reported with its diagnostics
            lang = self.options.lang or review_lang
            key = digest(["country", lang, self.sources[path].key,
                          self.translation_key(path.stem, lang),
                          self.data_keys.get(path.stem, "")])
            todo = self.stale(self.targets(path.stem, lang), key)
            if todo:
                documents.append(Planned(path.stem, lang, key, todo, path))
            else:
                up_to_date.append(path.stem)
        if self.options.region or self.options.all:
            regional = self.regional_plan(all_files)
            if regional is None:
                up_to_date.append(REGIONAL_ID)
            else:
                documents.append(regional)
        return BuildPlan(tuple(documents), tuple(up_to_date), tuple(all_files))

    def regional_plan(self, files: list[Path]) -> Planned | None:
        """The regional report, unless it is up to date (None). Unchanged files known to
        be valid need not be loaded to tell; the language does need the reviews."""
        langs = {p: self.review_lang(p) for p in files}
        lang = self.options.lang
        if lang is None:
            counts = Counter(v for v in langs.values() if v is not None)
            lang = sorted(counts, key=lambda k: (-counts[k], k))[0] if counts else "en"
        # Which file is which State, and which files are left out as invalid, shape the
        # report as much as their contents: all of it is in the fingerprint.
        key = digest(["regional", lang, *(part for p in sorted(files, key=lambda p: p.name)
                                           for part in (self.sources[p].key,
                                                        "valid" if langs[p] else "invalid",
                                                        self.translation_key(p.stem, lang))),
                      *(f"{c}:{k}" for c, k in self.data_keys.items())])
        targets = self.targets(REGIONAL_ID, lang)
        todo = self.stale(targets, key)
        if not todo and self.manifest.all_present(key):
            return None
        return Planned(REGIONAL_ID, lang, key, todo or targets)

    # -- the jobs: each planned document rendered, while the ones before convert

    def jobs(self, plan: BuildPlan, stage: Path) -> Iterator[Job]:
        for document in plan.documents:
            if document.review is not None:
                yield self.country_job(document, stage)
            else:
                yield from self.regional_jobs(document, plan.files, stage)

    def country_job(self, document: Planned, stage: Path) -> Job:
        assert document.review is not None
        result = self.result(document.review)
        assert result.coverage is not None
        ws = self.workspace
        code = document.review.stem
        translation, refused = self.translation(code, document.lang, result.review)
        values = self.data_checks.state(code) if code in self.data_keys else StateData()
        model = ModelBuilder(ws.catalogue, document.lang, ws.country_names,
                             apparatus=self.apparatus).build(
            result.review, result.coverage, order=self.options.order,
            earlier=self.earlier(code), values=values, translation=translation)
        skeleton = render("report.md.j2", self.dirs, document.lang, tuple(document.targets),
                          review=model)
        return Job(id=document.id, skeleton=skeleton,
                   meta=report_meta(model, workspace_relative(document.review, ws)),
                   outputs={f: stage / p.name for f, p in document.targets.items()},
                   key=document.key, targets=document.targets,
                   warnings=(*refused, *model.fallbacks), figures=dict(model.figures))

    # -- translations: kept apart from the reviews (gcmreview.validate.translations)

    def translation_key(self, code: str, lang: str) -> str:
        """The fingerprint part of a State's translation into `lang`: its file's bytes."""
        path = self.workspace.translation_path(lang, code)
        if not path.is_file() and not path.is_symlink():
            return ""
        try:
            return digest(["translation", read_bytes(path, display_path(path))])
        except TranslationRefused as exc:
            return digest(["refused", exc.message])

    def translation(self, code: str, lang: str, data: Review
                    ) -> tuple[Translation | None, tuple[str, ...]]:
        """A State's current translation into `lang`, and why a file was not used."""
        review_lang = data["review"]["language"]
        path = self.workspace.translation_path(lang, code)
        if lang == review_lang or not (path.is_file() or path.is_symlink()):
            return None, ()
        try:
            stored = read_store(path, code, review_lang, lang)
        except TranslationRefused as exc:
            return None, (_("{file} is not used: {reason}").format(
                file=display_path(path), reason=exc.message),)
        return translation(cast(dict[str, Any], data), lang, stored), ()

    def state_reviews(self, files: list[Path] | tuple[Path, ...], lang: str
                      ) -> tuple[list[StateReview], list[str], tuple[str, ...]]:
        """The valid reviews among `files`, each with its current translation into `lang`;
        the States whose file is invalid (left out of a regional document, with a note);
        why a translation file was not used."""
        reviews, invalid = [], []
        warned: tuple[str, ...] = ()
        for path in files:
            result = self.result(path)
            if result.valid:
                assert result.coverage is not None
                translated, refused = self.translation(path.stem, lang, result.review)
                warned += refused
                reviews.append(StateReview(path.stem, result.review, result.coverage,
                                           translated))
            else:  # named as the State it says it is: a renamed file is still that State's
                claimed = result.country if countries.is_country_code(result.country) else None
                invalid.append(claimed or path.stem)
        # A stray copy that says it is a State with a valid file of its own (MA-old.yaml
        # saying MA) is an error of its own; it does not make MA's review invalid.
        valid = {r.code for r in reviews}
        return reviews, sorted({code for code in invalid if code not in valid}), warned

    def fresh_outputs(self, files: list[Path], langs: tuple[str, ...]) -> list[Path]:
        """The reports in the build folder that a build now would not make again (the
        review site offers those for download, never a stale one)."""
        fresh: list[Path] = []
        options = self.options
        try:
            for lang in langs:
                self.options = replace(options, lang=lang, all=True, region=True, force=False)
                plan = self.plan(files, files)
                stale = {d.id: set(d.targets.values()) for d in plan.documents}
                for name in [*plan.up_to_date, *stale]:
                    for path in self.targets(name, lang).values():
                        if path not in stale.get(name, ()) and path.is_file() \
                                and not path.is_symlink():
                            fresh.append(path)
                if REGIONAL_ID not in {d.id for d in plan.documents}:
                    regional = self.manifest.outputs.get(f"{REGIONAL_ID}.{lang}.html") or \
                        next((self.manifest.outputs[n] for n in self.manifest.outputs
                              if n.startswith(f"{REGIONAL_ID}.{lang}.")), None)
                    volume = re.compile(rf"regional-(?:rt\d+(?:-\d+)?|annex-\d+)"
                                        rf"\.{re.escape(lang)}\.[a-z]+")
                    for name, key in sorted(self.manifest.outputs.items()):
                        path = self.out_dir / name
                        if (regional is not None and key == regional and volume.fullmatch(name)
                                and path.suffix[1:] in self.options.formats
                                and path.is_file() and not path.is_symlink()):
                            fresh.append(path)
        finally:
            self.options = options
        return sorted(set(fresh))

    def earlier(self, code: str) -> dict[int, StateCoverage | None]:
        """The State in each earlier cycle: None when it had no review file then."""
        return {year: snap.states.get(code) for year, snap in self.history.items()}

    def regional_jobs(self, document: Planned, files: list[Path] | tuple[Path, ...],
                      stage: Path) -> Iterator[Job]:
        lang = document.lang
        reviews, invalid, warned = self.state_reviews(files, lang)
        report = RegionalBuilder(self.workspace, lang).build(reviews, invalid, self.history,
                                                            self.data)
        meta = regional_meta(report)

        def volume_job(volume: Volume) -> Job:
            # Rebuilt with the report: same inputs, same fingerprint.
            targets = self.targets(volume.id, lang)
            skeleton = render(volume.template, self.dirs, lang, tuple(targets), report=report,
                              round_tables=volume.round_tables, annex=volume.annex)
            return Job(id=volume.id, skeleton=skeleton,
                       meta=volume_meta(meta, report.title, volume),
                       outputs={f: stage / p.name for f, p in targets.items()},
                       key=document.key, targets=targets)

        # Largest first, so that the workers finish together: the volumes of responses
        # by their number of State entries, the report itself third (rendered while the
        # first two convert), the annexes last (no narratives: a tenth of the time).
        volumes = sorted(report.volumes, key=lambda v: -sum(len(d.entries)
                                                            for _label, ds in v.round_tables
                                                            for d in ds))
        for volume in volumes[:2]:
            yield volume_job(volume)
        skeleton = render("regional.md.j2", self.dirs, lang, tuple(document.targets),
                          report=report)
        yield Job(id=REGIONAL_ID, skeleton=skeleton, meta=meta,
                  outputs={f: stage / p.name for f, p in document.targets.items()},
                  key=document.key, targets=document.targets,
                  warnings=(*warned, *report.fallbacks),
                  figures={**report.heat_maps, **report.charts})
        for volume in volumes[2:]:
            yield volume_job(volume)

    def remove_old_volumes(self, lang: str, current: set[str]) -> None:
        """Volumes of an earlier regional report in this language that this one has not."""
        pattern = re.compile(rf"(regional-(?:rt\d+(?:-\d+)?|annex-\d+))\.{re.escape(lang)}\.[a-z]+")
        for name in list(self.manifest.outputs):
            match = pattern.fullmatch(name)
            if match and match.group(1) not in current:
                with contextlib.suppress(OSError):
                    (self.out_dir / name).unlink()
                del self.manifest.outputs[name]

    def save(self) -> None:
        existing = {p.name for p in self.workspace.review_files()}
        self.manifest.save({p.name: s.key for p, s in self.sources.items()}, existing)


def history_key(history: dict[int, Snapshot]) -> str:
    """What the reports show of the earlier cycles: their fingerprint part."""
    import json

    return json.dumps({str(year): {code: [s.valid, s.coverage.as_dict() if s.coverage else None]
                                   for code, s in snap.states.items()}
                       for year, snap in history.items()}, sort_keys=True)


def run_build(workspace: Workspace, options: BuildOptions, countries: list[Path],
              on_done: Callable[[str, bool], None] | None = None) -> BuildOutcome:
    """Build the reports of `countries` (review files), and the regional report if asked."""
    builder = Builder(workspace, options)
    if builder.out_dir.is_symlink():  # a pull request could commit one pointing anywhere
        raise InputError(_("{folder} is a symbolic link: the reports are not written "
                           "through it").format(folder=display_path(builder.out_dir)),
                         hint=_("give --out a real folder"))
    regional = options.region or options.all
    all_files = workspace.review_files() if regional else countries
    builder.read(sorted(set(all_files) | set(countries)))
    outcome = BuildOutcome(ValidationRun([]))
    cores = os.cpu_count() or 1
    # The regional report may come in several volumes: one worker per core then.
    workers = options.workers or max(1, min(len(countries) + (cores if regional else 0), cores))
    narratives = NarrativeCache(builder.out_dir, narrative_version())
    plan = builder.plan(countries, all_files)
    outcome.up_to_date = list(plan.up_to_date)
    with staging(builder.out_dir) as stage:
        jobs = convert_all(builder.jobs(plan, stage), builder.templates, narratives, workers,
                           on_done=(lambda job: on_done(job.id, job.error is None))
                           if on_done else None)
        for job in jobs:
            if job.warnings:
                outcome.warnings[f"{job.id}.{job.meta.lang}"] = list(job.warnings)
            if job.error:
                outcome.failed[job.id] = job.error
                continue
            for fmt, final in job.targets.items():
                publish(job.outputs[fmt], final)
                builder.manifest.record(final, job.key)
            outcome.built[job.id] = list(job.targets.values())
    built_regional = next((d for d in plan.documents if d.review is None), None)
    if built_regional is not None:
        builder.remove_old_volumes(built_regional.lang, {j.id for j in jobs
                                                         if j.id.startswith(REGIONAL_ID)})
    # Checked even when every report is up to date: a data file with errors fails every
    # build until it is corrected, as a review file with errors does.
    shown = {p.stem for p in (all_files if regional else countries)}
    data = [r for r in builder.data.results if r.country in shown] \
        if builder.data_keys else []
    outcome.validation = ValidationRun(list(builder.results.values()), data=data,
                                       unread=unread_in([workspace.countries_dir]))
    for result in outcome.validation.files:
        if not result.valid:
            outcome.failed[result.path.stem] = _("the review file has errors (see above)")
    builder.save()
    narratives.save(complete=options.all and not outcome.up_to_date)
    return outcome
