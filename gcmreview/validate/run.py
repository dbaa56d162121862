"""Validate many review files: from folders, in parallel, or as they were at a git ref."""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterator
from pathlib import Path

from gcmreview.core.diagnostics import Diagnostic, Position, Severity, display_path
from gcmreview.core.errors import InputError, cannot_read
from gcmreview.core.i18n import _, join
from gcmreview.load import gitref
from gcmreview.load.catalogue import Catalogue
from gcmreview.load.loader import (
    REVIEW_SUFFIXES,
    load_bytes,
    load_file,
    review_files_in,
    review_name,
    unread_files_in,
)
from gcmreview.validate.checks import Options, check_loaded
from gcmreview.validate.results import FileResult, RefFiles, ValidationRun


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given; folders give their .yaml/.yml files. A missing path is an input error."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += review_files_in(path)
        elif path.is_file() or path.is_symlink():
            files.append(path)
        else:
            raise InputError(_("{path}: there is no such file or folder").format(path=path),
                             hint=_("give review files, or folders holding them"))
    return list(dict.fromkeys(files))


def unread_in(paths: list[Path], strict: bool = False) -> list[Diagnostic]:
    """A warning (an error with `strict`) for each file of the folders given that looks
    like a review file but is not read, saying why and how to name it."""
    found = []
    for path in paths:
        if not path.is_dir():
            continue
        for unread in unread_files_in(path):
            name = review_name(unread)
            twin = unread.with_name(name)  # on Windows or macOS, MA.yaml may be MA.YAML
            found.append(Diagnostic(
                display_path(unread), Position(), Severity.ERROR if strict else Severity.WARNING,
                "file-not-read",
                _("{file} is not read: review files are named after the State's code and end "
                  "in .yaml").format(file=unread.name),
                _("{name} exists too: if {file} is a newer version of the review, copy what it "
                  "adds into {name}, then delete it").format(name=name, file=unread.name)
                if twin.exists() and not twin.samefile(unread) else
                _("rename it to {name}").format(name=name)))
    return found


PARALLEL_MIN_FILES = 24
"""Below this, starting worker processes costs more than it saves."""


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Loading keeps every file's YAML nodes (for positions) alive; without this,
    the cyclic garbage collector rescans them again and again and loading 200
    files takes twice as long. Nothing loaded here forms reference cycles, so
    what was loaded is frozen out of later collections rather than rescanned."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def check_file(path: Path, catalogue: Catalogue, options: Options) -> FileResult:
    """Load and check one review file; a file that cannot be read stops the command."""
    shown = display_path(path)
    try:
        loaded = load_file(path, shown)
    except OSError as exc:
        raise cannot_read(shown, exc) from exc
    return check_loaded(loaded, catalogue, options)


def _check_files(files: list[Path], catalogue: Catalogue, options: Options,
                 keep_data: bool) -> list[FileResult]:
    results = []
    with _gc_paused():
        for path in files:
            result = check_file(path, catalogue, options)
            if not keep_data:
                result.data = None  # YAML nodes need not cross process boundaries
            results.append(result)
    return results


def _worker_started() -> None:
    """In each forked worker, first: SIGTERM back to its default. The command's own handler
    (gcmreview.cli) is a Python one, which runs only between bytecodes: a SIGTERM arriving
    just before a worker blocks on the pool's queue was then never acted on, and the
    worker, and the command waiting for it, hung for ever (seen in CI-like runs)."""
    import signal

    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _check_chunk(job: tuple[list[Path], Catalogue, Options]) -> list[FileResult]:
    files, catalogue, options = job
    return _check_files(files, catalogue, options, keep_data=False)


def _workers_for(count: int, keep_data: bool) -> int:
    if keep_data or count < PARALLEL_MIN_FILES:
        return 1
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1  # spawn would re-import everything per worker: not worth it
    return min(os.cpu_count() or 1, count // (PARALLEL_MIN_FILES // 2))


def validate_files(files: list[Path], catalogue: Catalogue, options: Options,
                   keep_data: bool = True, unread: list[Diagnostic] | None = None
                   ) -> ValidationRun:
    """Check files in order; without `keep_data`, large sets are spread over the cores."""
    workers = _workers_for(len(files), keep_data)
    if workers > 1:
        size = -(-len(files) // workers)
        chunks = [(files[i:i + size], catalogue, options) for i in range(0, len(files), size)]
        import multiprocessing

        pool = multiprocessing.get_context("fork").Pool(workers, initializer=_worker_started)
        try:
            results = [r for part in pool.map(_check_chunk, chunks) for r in part]
            pool.close()  # the workers end when the queue is done: nothing to terminate
        except BaseException:
            pool.terminate()
            raise
        finally:
            pool.join()
    else:
        results = _check_files(files, catalogue, options, keep_data)
    one_review_per_state(results, look_beside=True)
    not_submitted: tuple[str, ...] = ()
    if options.participants is not None and options.report_missing:
        present = {r.country for r in results}
        not_submitted = tuple(c for c in options.participants if c not in present)
    return ValidationRun(results, not_submitted, unread or [])


def one_review_per_state(results: list[FileResult], look_beside: bool = False) -> None:
    """Two files for one State (MA.yaml beside MA.yml): no report may pick one silently,
    so both are errors until one of them goes. Keyed by file name, as `build` picks files;
    a copy under another name that says `country: MA` is already a country-mismatch.
    With `look_beside`, a file checked alone (pre-commit passes only the files changed)
    is compared with its twin on disk too."""
    by_state: dict[str, list[str]] = {}
    named: dict[str, list[FileResult]] = {}
    for result in results:
        if result.country and Path(result.shown_as).stem == result.country:
            by_state.setdefault(result.country, []).append(result.shown_as)
            named.setdefault(result.country, []).append(result)
    if look_beside:
        given = {r.path for r in results}
        for code, files in named.items():
            for result in files:
                for suffix in REVIEW_SUFFIXES:
                    twin = result.path.with_suffix(suffix)
                    if twin != result.path and twin not in given and twin.is_file():
                        by_state[code].append(display_path(twin))
    for code, files in named.items():
        if len(by_state[code]) < 2:
            continue
        for result in files:
            others = [shown for shown in by_state[code] if shown != result.shown_as]
            result.diagnostics.append(Diagnostic(
                result.shown_as, result.country_at, Severity.ERROR, "duplicate-review",
                _("another file is also the review of {code}: {files}").format(
                    code=code, files=join(others)),
                _("keep one review file per State: merge them, or delete the one not "
                  "in use")))


def reviews_at(ref: str, countries_dir: Path, catalogue: Catalogue,
               options: Options) -> RefFiles:
    """Load and check the review files of `countries_dir` as they were at `ref`
    (read with git, the working tree left alone)."""
    commit, blobs = gitref.blobs_at(ref, countries_dir)
    files = [check_loaded(load_bytes(raw, Path(shown), shown), catalogue, options)
             for shown, raw in blobs]
    return RefFiles(ref, commit, files)
