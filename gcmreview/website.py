"""`gcmreview site`: the review site, every review published, searchable, in three languages.

load + validate -> model -> render (Jinja) -> convert (pandoc, Pagefind) -> write.

- The reviews are read, fingerprinted and validated as `build` does it (the same
  gcmreview.pipeline.Builder): the site counts nothing the reports do not.
- Narratives are parsed and sanitised by the reports' pandoc workers, through the
  build folder's narrative cache: those a `build` already parsed are not parsed again.
- Indicator data files are checked as `build` checks them (gcmreview.validate.data): one
  with errors is left out of the pages and downloads, said on them, and its problems
  make the exit status 1, even when the site is up to date.
- The indicators' charts are the regional report's, drawn by the same typst drawing
  (gcmreview.convert.figures) as SVG files, and kept in the build folder's figure cache.
- Everything is made in memory before the first file is written: a failure (a drawing,
  a template) leaves the site as it was.
- Incremental: when nothing the site is made from changed (reviews, data files,
  templates, configuration, the tool, the reports built), nothing is done; otherwise
  only the files whose bytes changed are replaced, and the search index is made again
  only when a page changed.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import stat
import sys
from dataclasses import dataclass, field, replace
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from gcmreview.convert.narratives import NarrativeCache
from gcmreview.convert.pandoc import narrative_version
from gcmreview.convert.site import SEARCH_FOLDER, index_site, narrative_fragments, unique_notes
from gcmreview.core.diagnostics import display_path
from gcmreview.core.i18n import _
from gcmreview.core.indicators import sort_key
from gcmreview.core.languages import LANGUAGES
from gcmreview.model.indicators import breakdown_columns, published_values
from gcmreview.model.matrix import snapshot
from gcmreview.model.regional import StateReview
from gcmreview.model.site import (
    INDICATORS_DOWNLOAD,
    DownloadFile,
    IndicatorPage,
    SiteBuilder,
    SiteModel,
    indicator_document,
    indicator_download,
    state_page,
)
from gcmreview.pipeline import Builder, BuildOptions, workspace_relative
from gcmreview.render.coverage import matrix_csv, matrix_json
from gcmreview.render.data_file import values_csv
from gcmreview.render.site import assets, narratives_of, render_site, splice
from gcmreview.validate.data import DataSet
from gcmreview.validate.results import ValidationRun
from gcmreview.validate.run import unread_in
from gcmreview.validate.workspace import Workspace, localize
from gcmreview.write.files import staging
from gcmreview.write.manifest import MANIFEST_NAME, digest
from gcmreview.write.site import SiteManifest, Written, read_regular, replace_folder, write_site

REPORT_FORMATS = ("pdf", "docx", "html")
REPORTS_FOLDER = "downloads/reports/"
"""The reports a site offers for download, when the build folder holds them fresh."""
_REPORT_NAME = re.compile(r"([A-Za-z0-9_-]+)\.([a-z]{2})\.([a-z]+)")


@dataclass(frozen=True)
class SiteOptions:
    out_dir: Path | None = None
    """Default: `site/` in the workspace."""
    langs: tuple[str, ...] = LANGUAGES
    base_url: str | None = None
    """The address the site is published at: canonical links and a sitemap."""
    force: bool = False
    workers: int | None = None


@dataclass
class SiteOutcome:
    validation: ValidationRun
    out_dir: Path
    pages: int = 0
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    up_to_date: bool = False
    indexed: bool = False
    warnings: dict[str, list[str]] = field(default_factory=dict)
    """Why a translation file was not used, by language (`site.fr`)."""

    @property
    def exit_code(self) -> int:
        invalid = any(not f.valid for f in self.validation.files) or any(
            not r.valid for r in self.validation.data)
        return 1 if invalid else 0


def site_folder(workspace: Workspace, options: SiteOptions) -> Path:
    return options.out_dir or workspace.root / "site"


def run_site(workspace: Workspace, options: SiteOptions, files: list[Path]) -> SiteOutcome:
    """Build (or bring up to date) the site of the workspace's review `files`."""
    out = site_folder(workspace, options)
    builder = Builder(workspace, BuildOptions(all=True, region=True, formats=REPORT_FORMATS))
    builder.read(files)
    key = digest([builder.common, "site", ",".join(options.langs), options.base_url or "",
                  _build_manifest(workspace),
                  *(part for p in sorted(files, key=lambda p: p.name)
                    for part in (p.name, builder.sources[p].key,
                                 *(builder.translation_key(p.stem, lang)
                                   for lang in options.langs))),
                  *(f"{c}:{k}" for c, k in builder.data_keys.items())])
    manifest = SiteManifest(out)
    # Data files are checked even when the site is up to date: one with errors fails every
    # run until it is corrected, as with `build`.
    data = builder.data if builder.data_keys else DataSet()
    if (not options.force and manifest.key == key and manifest.complete()
            and (out / SEARCH_FOLDER / "pagefind-entry.json").is_file()):
        # Nothing changed: only the files known invalid are checked, to say why again.
        validation = ValidationRun([builder.result(p) for p in files
                                    if p.name in manifest.invalid], data=data.results,
                                   unread=unread_in([workspace.countries_dir]))
        return SiteOutcome(validation, out, up_to_date=True)
    reviews: dict[str, list[StateReview]] = {}
    warnings: dict[str, list[str]] = {}
    invalid: list[str] = []
    for lang in options.langs:
        reviews[lang], invalid, refused = builder.state_reviews(files, lang)
        if refused:
            warnings[f"site.{lang}"] = list(refused)
    validation = ValidationRun([builder.result(p) for p in files], data=data.results,
                               unread=unread_in([workspace.countries_dir]))
    downloads, contents = _downloads(workspace, builder, files, data)
    if not any(d.path.startswith(REPORTS_FOLDER) for d in downloads):
        # The readers see no report offered, and nothing of why: the maintainer is told.
        warnings["site"] = [_("no report is offered for download: the build folder "
                              "({folder}) has no report made from the current review files; "
                              "run `gcmreview build --all`, then build the site again").format(
                                  folder=display_path(workspace.output_dir))]
    model = SiteBuilder(workspace, options.langs, builder.history, downloads,
                        options.base_url, data if builder.data_keys else None
                        ).build(reviews, invalid)
    pages = render_site(model, builder.dirs)
    cache = NarrativeCache(workspace.output_dir, narrative_version())
    charts = _charts(model, cache.root)
    workers = options.workers or os.cpu_count() or 1
    texts, languages = narratives_of(pages)
    fragments = narrative_fragments(texts, languages, builder.templates, cache, workers)
    cache.save(complete=False)
    outputs: dict[str, bytes | Path] = {p.path: splice(p.html, fragments, unique_notes).encode()
                                        for p in pages}
    outputs.update(assets(builder.dirs))
    outputs.update(contents)
    outputs.update(charts)
    written: Written = write_site(out, outputs, manifest)
    pages_key = digest([f"{rel}\0{h}" for rel, h in sorted(manifest.files.items())
                        if rel.endswith(".html")] + [",".join(options.langs)])
    indexed = False
    if options.force or pages_key != manifest.index \
            or not (out / SEARCH_FOLDER / "pagefind-entry.json").is_file():
        with staging(out) as stage:
            index_site(out, stage / SEARCH_FOLDER, options.langs)
            replace_folder(stage / SEARCH_FOLDER, out / SEARCH_FOLDER, stage / "old-index")
        manifest.index = pages_key
        indexed = True
    manifest.key = key
    manifest.invalid = [f.path.name for f in validation.files if not f.valid]
    manifest.save()
    return SiteOutcome(validation, out, len(pages), written.written, written.removed,
                       indexed=indexed, warnings=warnings)


def _build_manifest(workspace: Workspace) -> bytes:
    """The build folder's manifest: a new build there may bring new reports to offer."""
    path = workspace.output_dir / MANIFEST_NAME
    try:
        return read_regular(path) if stat.S_ISREG(os.lstat(path).st_mode) else b""
    except OSError:
        return b""


def _charts(model: SiteModel, cache: Path) -> dict[str, bytes]:
    """Each language's indicator charts as SVG files (site path -> bytes): the regional
    report's charts, drawn as its HTML has them, by the worker typst process `build` uses,
    started only when a chart is not in the build folder's figure cache."""
    from gcmreview.convert.figures import FIGURE_CACHE, cached_drawing, render_charts
    from gcmreview.convert.narratives import seal_key
    from gcmreview.convert.pdf import TypstWorker

    wanted = {site.lang: {page.content.digest.figure: page.content.chart
                          for page in site.pages if isinstance(page.content, IndicatorPage)
                          and page.content.chart and page.content.digest.figure}
              for site in model.languages}
    if not any(wanted.values()):
        return {}
    worker: TypstWorker | None = None

    def draw(*request: Any) -> dict[str, list[bytes]]:
        nonlocal worker
        if worker is None:
            worker = TypstWorker()
        return worker.draw(*request)

    drawing = cached_drawing(draw, cache / FIGURE_CACHE, seal_key())
    out: dict[str, bytes] = {}
    try:
        for site in model.languages:
            charts = {name: site.report.charts[name] for name in wanted[site.lang]}
            for name, drawn in render_charts(charts, drawing, svg=True, png=False).items():
                out[f"{site.lang}/{wanted[site.lang][name]}"] = drawn.svg
    finally:
        if worker is not None:
            worker.close()
    return out


def _downloads(workspace: Workspace, builder: Builder, files: list[Path], data: DataSet
               ) -> tuple[list[DownloadFile], dict[str, bytes | Path]]:
    """What the site offers for download: the coverage matrix, each valid review file,
    the values of the indicators (all in one file, and one file per indicator), and the
    reports the build folder holds up to date."""
    described: list[DownloadFile] = []
    contents: dict[str, bytes | Path] = {}

    def add(rel: str, content: bytes | Path, document: str, fmt: str, lang: str | None,
            size: int) -> None:
        described.append(DownloadFile(rel, document, fmt, lang, size))
        contents[rel] = content

    catalogue = workspace.catalogue
    results = [builder.result(p) for p in files]
    snap = snapshot(results, catalogue, workspace.participants)
    shown = {r.path.stem: workspace_relative(r.path, workspace) for r in results}
    snap = replace(snap, states={code: replace(s, path=shown.get(code, s.path) if s.path
                                                 else None)
                                 for code, s in snap.states.items()})
    facts: dict[str, dict[str, tuple[int, ...]]] = {}  # as `gcmreview coverage` counts them
    for found in sorted(data.results, key=lambda r: sort_key(r.indicator or "")):
        if found.valid and found.country and found.indicator:
            facts.setdefault(found.country, {})[found.indicator] = found.years
    csv = matrix_csv(snap, facts).encode()
    matrix = (json.dumps(matrix_json(snap, localize(workspace.region, "en"), workspace.cycle,
                                     dict(sorted(facts.items()))),
                         indent=2, ensure_ascii=False) + "\n").encode()
    add("downloads/coverage.csv", csv, "data", "csv", None, len(csv))
    add("downloads/coverage.json", matrix, "data", "json", None, len(matrix))
    values = published_values(data)
    if values:
        table = values_csv(values, breakdown_columns(catalogue, values)).encode()
        add(INDICATORS_DOWNLOAD, table, "indicators", "csv", None, len(table))
    for code in dict.fromkeys(v.indicator for v in values):
        mine = [v for v in values if v.indicator == code]
        table = values_csv(mine, breakdown_columns(catalogue, mine)).encode()
        add(indicator_download(code), table, indicator_document(code), "csv", None, len(table))
    for path, result in zip(files, results, strict=True):
        raw = builder.sources[path].raw
        if result.valid and isinstance(raw, bytes):
            name = state_page(path.stem)[len("state-"):-len(".html")]
            add(f"downloads/reviews/{name}.yaml", raw, path.stem, "yaml",
                result.review["review"]["language"], len(raw))
    for path in builder.fresh_outputs(files, LANGUAGES):
        match = _REPORT_NAME.fullmatch(path.name)
        if match is None:
            continue
        document, lang, fmt = match.groups()
        with contextlib.suppress(OSError):
            size = os.lstat(path).st_size
            add(f"{REPORTS_FOLDER}{path.name}", path, document, fmt, lang, size)
    return described, contents


# --- the preview server ------------------------------------------------------------------


class _Handler(SimpleHTTPRequestHandler):
    """The site's folder over http, and nothing outside it."""

    extensions_map: dict[str, str] = {  # noqa: RUF012 (the stdlib's class attribute)
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript", ".json": "application/json", ".wasm": "application/wasm",
        ".pagefind": "application/octet-stream", ".pf_meta": "application/octet-stream",
        ".pf_index": "application/octet-stream", ".pf_fragment": "application/octet-stream",
        ".pf_filter": "application/octet-stream", ".yaml": "text/yaml; charset=utf-8",
        ".csv": "text/csv; charset=utf-8",
    }

    def translate_path(self, path: str) -> str:
        found = super().translate_path(path)
        root = Path(self.directory).resolve()
        try:
            Path(found).resolve().relative_to(root)
        except ValueError:
            return str(root / ".gcmreview-not-found")  # a link out of the site: 404
        return found

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the preview is quiet; errors reach the browser


class _PreviewServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that leaves a page before it has loaded closes its connections: not
        an error to print a traceback for in the terminal (socketserver's default)."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def preview_server(folder: Path, port: int = 8000, host: str = "127.0.0.1"
                   ) -> ThreadingHTTPServer:
    """An http server for the site's folder on this computer only (search needs http:
    browsers do not let a page opened from a file load the index)."""
    handler = functools.partial(_Handler, directory=str(folder))
    return _PreviewServer((host, port), handler)
