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

import os
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from gcmreview import __version__
from gcmreview.convert.figures import render_heat_map
from gcmreview.convert.pandoc import FORMATS, Job, PandocTemplates, convert_all, font_families
from gcmreview.core.diagnostics import display_path
from gcmreview.core.errors import InputError, UsageError
from gcmreview.core.i18n import Formatter, direction
from gcmreview.load.catalogue import LANGUAGES
from gcmreview.load.loader import load_file
from gcmreview.model.regional import RegionalBuilder, RegionalModel, StateReview
from gcmreview.model.review import ModelBuilder, ReviewModel, Text
from gcmreview.render.templates import render, template_dirs
from gcmreview.validate.checks import FileResult, Options, ValidationRun, check_loaded
from gcmreview.validate.workspace import Workspace
from gcmreview.write.files import publish, staging
from gcmreview.write.manifest import Manifest, digest, global_fingerprint

REGIONAL_ID = "regional"


@dataclass(frozen=True)
class BuildOptions:
    countries: tuple[str, ...] = ()
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

    @property
    def exit_code(self) -> int:
        invalid = any(not f.valid for f in self.validation.files)
        return 1 if (self.failed or invalid) else 0


def parse_formats(text: str) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UsageError(f"unknown output format(s): {', '.join(unknown) or '(none)'}",
                         hint=f"choose from {', '.join(FORMATS)}, comma-separated")
    return formats


def select_reviews(workspace: Workspace, options: BuildOptions) -> list[Path]:
    """The countries to build; --country accepts only the workspace's own codes."""
    available = {p.stem: p for p in workspace.review_files()}
    if options.all:
        if not available:
            raise UsageError(f"no review files in {display_path(workspace.countries_dir)}")
        return list(available.values())
    if not options.countries and not options.region:
        raise UsageError("nothing to build",
                         hint="give --country XX (or several), --region, or --all")
    chosen = []
    for raw in options.countries:
        code = raw.strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", code) or code not in available:
            raise UsageError(f"{raw!r} is not a country of this workspace",
                             hint="countries with a review file: " + ", ".join(sorted(available)))
        chosen.append(available[code])
    return chosen


def tagged(text: Text, lang: str) -> str | dict[str, str]:
    """Text in another language than the report's keeps its own lang and dir."""
    if text.lang == lang:
        return text.text
    return {"text": text.text, "lang": text.lang, "dir": text.dir}


def base_meta(title: str, subtitle: str, lang: str, fmt: Formatter, compact: str,
              facts: list[tuple[str, str | dict[str, str]]], source: str) -> dict[str, object]:
    _ = fmt.gettext
    rtl = direction(lang) == "rtl"
    return {
        "title": title,
        "subtitle": subtitle,
        "pagetitle": f"{title}: {subtitle}",
        "compact": compact,
        "lang": lang,
        "dir": direction(lang),
        "toc-title": _("Contents"),
        "facts": [{"label": k, "value": v} for k, v in facts
                  if (v["text"] if isinstance(v, dict) else v)],
        "footer-text": _("Generated by gcmreview {version} from {path}").format(
            version=__version__, path=source),
        "header-text": f"{title} · {subtitle}",
        "fonts": font_families(rtl),
    }


def cover_meta(model: ReviewModel, fmt: Formatter, source_path: str) -> dict[str, object]:
    _ = fmt.gettext
    facts: list[tuple[str, str | dict[str, str]]] = [
        (_("Document status"), model.status_label),
        (_("Date"), model.date),
        (_("Lead institution"), tagged(model.lead_institution, model.lang)),
        (_("Focal point"), tagged(model.focal_point, model.lang)),
        (_("Language of the review"), model.source.text),
        (_("Objectives covered"), model.objectives_covered),
        (_("Guiding principles covered"), model.principles_covered),
    ]
    subtitle = _("Voluntary review, cycle {cycle}").format(cycle=model.cycle)
    return base_meta(model.country, subtitle, model.lang, fmt, model.compact.text, facts,
                     source_path)


def regional_meta(report: RegionalModel, fmt: Formatter) -> dict[str, object]:
    _ = fmt.gettext
    facts: list[tuple[str, str | dict[str, str]]] = [
        (_("Region"), report.region),
        (_("Organisers"), ", ".join(report.organisers)),
        (_("States taking part"), fmt.number(report.participants_count)),
        (_("Reviews submitted"), fmt.number(report.submitted_count)),
    ]
    subtitle = _("Regional review, cycle {cycle}").format(cycle=report.cycle)
    return base_meta(report.title, subtitle, report.lang, fmt, report.compact.text, facts,
                     "gcmreview.yaml")


def workspace_relative(path: Path, workspace: Workspace) -> str:
    """A path as the workspace knows it: outputs must not depend on the current folder."""
    try:
        return path.resolve().relative_to(workspace.root.resolve()).as_posix()
    except ValueError:
        return path.name


def output_path(folder: Path, name: str, lang: str, fmt: str) -> Path:
    return folder / f"{name}.{lang}.{fmt}"


class Builder:
    """One build: decides what is stale, yields conversion jobs, publishes results."""

    def __init__(self, workspace: Workspace, options: BuildOptions) -> None:
        if options.lang is not None and options.lang not in LANGUAGES:
            raise UsageError(f"unknown language {options.lang!r}", hint="use en, fr or ar")
        self.workspace = workspace
        self.options = options
        self.out_dir = options.out_dir or workspace.output_dir
        self.dirs = template_dirs(workspace.templates_dir)
        self.templates = PandocTemplates.find(self.dirs)
        self.manifest = Manifest(self.out_dir)
        extra = [p for p in (workspace.config_path,) if p is not None]
        over = workspace.catalogue.overrides_from
        extra += [workspace.root / o for o in over if (workspace.root / o).is_file()]
        self.common = global_fingerprint(self.dirs, extra, [options.order])
        self.results: dict[Path, FileResult] = {}
        self.keys: dict[str, tuple[str, dict[str, Path]]] = {}
        """Job id -> (fingerprint, outputs it writes), for publishing."""
        self.file_hashes: dict[Path, str] = {}
        self.validation_options = Options(participants=workspace.participants,
                                          cycle=workspace.cycle)

    def read_hashes(self, files: list[Path]) -> None:
        for path in files:
            try:
                self.file_hashes[path] = digest([path.read_bytes()])
            except OSError as exc:
                raise InputError(f"cannot read {display_path(path)}: {exc.strerror}") from exc

    def result(self, path: Path) -> FileResult:
        """Load and validate a review once per build."""
        if path not in self.results:
            loaded = load_file(path, display_path(path))
            self.results[path] = check_loaded(loaded, self.workspace.catalogue,
                                              self.validation_options)
            result = self.results[path]
            if result.valid:
                assert result.data is not None
                self.manifest.valid[self.valid_key(path)] = result.data["review"]["language"]
        return self.results[path]

    def stale(self, name: str, lang: str, key: str) -> dict[str, Path]:
        wanted = {f: output_path(self.out_dir, name, lang, f) for f in self.options.formats}
        if self.options.force:
            return wanted
        return {f: p for f, p in wanted.items() if not self.manifest.fresh(p, key)}

    def valid_key(self, path: Path) -> str:
        """Valid under this tool, catalogue and configuration: all part of `common`."""
        return digest([self.common, self.file_hashes[path]])

    def review_lang(self, path: Path) -> str | None:
        """The review's language (None if invalid), without reloading a known valid file."""
        known = self.manifest.valid.get(self.valid_key(path))
        if known is not None:
            return known
        result = self.result(path)
        return result.data["review"]["language"] if result.valid else None  # type: ignore[index]

    def jobs(self, countries: list[Path], all_files: list[Path], stage: Path,
             outcome: BuildOutcome) -> Iterator[Job]:
        for path in countries:
            review_lang = self.review_lang(path)
            if review_lang is None:
                continue  # invalid: reported with its diagnostics
            lang = self.options.lang or review_lang
            key = digest([self.common, "country", lang, self.file_hashes[path]])
            todo = self.stale(path.stem, lang, key)
            if not todo:
                outcome.up_to_date.append(path.stem)
                continue
            result = self.result(path)
            if result.valid:
                self.keys[path.stem] = (key, todo)
                yield self.country_job(result, lang, todo, stage)
        if self.options.region or self.options.all:
            yield from self.regional_jobs(all_files, stage, outcome)

    def country_job(self, result: FileResult, lang: str, todo: dict[str, Path],
                    stage: Path) -> Job:
        assert result.data is not None and result.coverage is not None
        ws = self.workspace
        builder = ModelBuilder(ws.catalogue, lang, ws.country_names)
        model = builder.build(result.data, result.coverage, order=self.options.order)
        skeleton = render("report.md.j2", self.dirs, lang, review=model)
        meta = cover_meta(model, builder.fmt, workspace_relative(result.path, ws))
        return Job(
            id=model.code,
            skeleton=skeleton,
            meta=meta,
            rtl=direction(lang) == "rtl",
            outputs={f: stage / p.name for f, p in todo.items()},
            header=str(meta["header-text"]),
            footer=f"{model.status_label} · {model.date}" if model.date else model.status_label,
            date_iso=model.date_iso,
        )

    def regional_jobs(self, files: list[Path], stage: Path,
                      outcome: BuildOutcome) -> Iterator[Job]:
        # Unchanged files known to be valid need not be loaded to tell whether the
        # regional report is up to date; the language does need the reviews.
        langs = {p: self.review_lang(p) for p in files}
        invalid = [p.stem for p, review_lang in langs.items() if review_lang is None]
        lang = self.options.lang
        if lang is None:
            counts = Counter(v for v in langs.values() if v is not None)
            lang = sorted(counts, key=lambda k: (-counts[k], k))[0] if counts else "en"
        states = sorted(self.file_hashes[p] for p in files)
        key = digest([self.common, "regional", lang, *states, *invalid])
        todo = self.stale(REGIONAL_ID, lang, key)
        if not todo and self.manifest.all_present(key):
            outcome.up_to_date.append(REGIONAL_ID)
            return
        todo = todo or {f: output_path(self.out_dir, REGIONAL_ID, lang, f)
                        for f in self.options.formats}
        reviews = []
        for path in files:
            result = self.result(path)
            if result.valid:
                assert result.data is not None and result.coverage is not None
                reviews.append(StateReview(path.stem, result.data, result.coverage))
        builder = RegionalBuilder(self.workspace, lang)
        report = builder.build(reviews, sorted(invalid))
        meta = regional_meta(report, builder.fmt)
        # The volumes first: they are the largest documents, and the pandoc workers
        # convert them while the report's heat maps are drawn here.
        for volume in report.volumes:
            # Rebuilt with the report: same inputs, same fingerprint.
            outputs = {f: output_path(self.out_dir, volume.id, lang, f)
                       for f in self.options.formats}
            skeleton = render("regional-volume.md.j2", self.dirs, lang, report=report,
                              round_tables=volume.round_tables)
            volume_meta = {**meta, "title": f"{report.title}: {volume.label}",
                           "pagetitle": f"{report.title}: {volume.label}", "facts": []}
            self.keys[volume.id] = (key, outputs)
            yield Job(
                id=volume.id, skeleton=skeleton, meta=volume_meta, rtl=direction(lang) == "rtl",
                outputs={f: stage / p.name for f, p in outputs.items()},
                header=f"{report.title} · {volume.label}", footer=str(meta["subtitle"]),
            )
        skeleton = render("regional.md.j2", self.dirs, lang, report=report)
        self.keys[REGIONAL_ID] = (key, todo)
        yield Job(
            id=REGIONAL_ID,
            skeleton=skeleton,
            meta=meta,
            rtl=direction(lang) == "rtl",
            outputs={f: stage / p.name for f, p in todo.items()},
            header=str(meta["header-text"]),
            footer=str(meta["subtitle"]),
            date_iso=None,
            figures={name: render_heat_map(fig, png="docx" in todo)
                     for name, fig in report.heat_maps.items()},
        )


def build(workspace: Workspace, options: BuildOptions,
          on_done: Callable[[str, bool], None] | None = None) -> BuildOutcome:
    builder = Builder(workspace, options)
    countries = select_reviews(workspace, options)
    all_files = workspace.review_files() if (options.region or options.all) else countries
    builder.read_hashes(sorted(set(all_files) | set(countries)))
    outcome = BuildOutcome(ValidationRun([]))
    workers = options.workers or max(1, min(len(countries) + 1, os.cpu_count() or 1))
    with staging(builder.out_dir) as stage:
        jobs = convert_all(builder.jobs(countries, all_files, stage, outcome),
                           builder.templates, workers,
                           on_done=(lambda job: on_done(job.id, job.error is None))
                           if on_done else None)
        for job in jobs:
            if job.error:
                outcome.failed[job.id] = job.error
                continue
            key, todo = builder.keys[job.id]
            for fmt, final in todo.items():
                publish(job.outputs[fmt], final)
                builder.manifest.record(final, key)
            outcome.built[job.id] = list(todo.values())
    outcome.validation = ValidationRun(list(builder.results.values()))
    for result in outcome.validation.files:
        if not result.valid:
            outcome.failed[result.path.stem] = "the review file is invalid (see the problems above)"
    builder.manifest.save()
    return outcome
