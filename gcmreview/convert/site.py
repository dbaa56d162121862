"""The review site's conversions: narratives to HTML fragments, and the search index.

Narratives go through the same pandoc workers as the reports (gcmreview.convert.pandoc,
batch.lua): read with the same reader, sanitised by the same policy, parsed once and
kept in the same narrative cache; only the writing differs (an HTML fragment per
narrative, which the site's Jinja pages place). The search index is Pagefind's, run
from the binary that its PyPI wheel (`pagefind[extended]`) ships: nothing is
downloaded. It indexes each language of the site apart (the pages' `lang`), with
the stemming of that language.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import subprocess
from pathlib import Path

from gcmreview.convert.narratives import NarrativeCache
from gcmreview.convert.pandoc import PandocTemplates, PandocWorker
from gcmreview.convert.pool import Pool, Processes
from gcmreview.core.errors import ConversionError, InputError, os_reason
from gcmreview.core.i18n import _

CHUNK = 400
"""Narratives per pandoc job: enough to write them in one go, small enough to share
out between the workers."""

NOTE_PREFIX = "gcmreview-note-"
"""What batch.lua puts before the ids of a narrative's footnotes."""
_NOTE_IDS = re.compile(r'(id="|href="#)' + NOTE_PREFIX)

SEARCH_FOLDER = "pagefind"
UNUSED_BUNDLE_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js",
                       "pagefind-component-ui.css", "pagefind-modular-ui.js",
                       "pagefind-modular-ui.css", "pagefind-highlight.js")
"""Pagefind's own search interfaces: the site has its own (templates/site/assets)."""


class _FragmentWorker:
    def __init__(self, templates: PandocTemplates, cache: NarrativeCache,
                 processes: Processes) -> None:
        self.pandoc = PandocWorker(templates, cache)
        processes.started(self.pandoc.process)

    def close(self) -> None:
        self.pandoc.close()


def narrative_fragments(narratives: dict[str, str], templates: PandocTemplates,
                        cache: NarrativeCache, workers: int) -> dict[str, str]:
    """Key -> sanitised HTML of every narrative, converted across `workers` pandoc
    processes."""
    keys = sorted(narratives)
    chunks = [{k: narratives[k] for k in keys[i:i + CHUNK]} for i in range(0, len(keys), CHUNK)]
    if not chunks:
        return {}
    pool: Pool[_FragmentWorker, tuple[int, dict[str, str]], dict[str, str]] = Pool(
        min(workers, len(chunks)),
        lambda processes: _FragmentWorker(templates, cache, processes),
        lambda worker, item: worker.pandoc.fragments(f"fragments-{item[0]}", item[1]))
    out: dict[str, str] = {}
    with contextlib.closing(pool.results(enumerate(chunks))) as results:
        for done in results:
            out.update(done.value or {})
    return out


def unique_notes(html: str, occurrence: int) -> str:
    """A narrative's footnote ids made unique on its page (the same narrative may be
    quoted twice, two narratives may each have a first note)."""
    return _NOTE_IDS.sub(lambda m: f"{m.group(1)}n{occurrence}-", html)


# --- search ---------------------------------------------------------------------------


def pagefind_path() -> Path:
    """The Pagefind binary of the `pagefind_bin_extended` wheel (Arabic, French and
    English stemming), unless GCMREVIEW_PAGEFIND names another."""
    forced = os.environ.get("GCMREVIEW_PAGEFIND")
    if forced:
        return Path(forced)
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            continue
        folder = Path(next(iter(spec.submodule_search_locations)))
        for name in ("pagefind_extended", "pagefind_extended.exe", "pagefind", "pagefind.exe"):
            if (folder / name).is_file():
                return folder / name
    raise InputError(_("Pagefind, which makes the site's search index, is not installed"),
                     hint=_("install gcmreview again (it brings `pagefind[extended]`), or set "
                            "GCMREVIEW_PAGEFIND to a Pagefind binary"))


def index_site(site: Path, output: Path, langs: tuple[str, ...]) -> None:
    """Index the pages of `site` (each language folder) into `output` with Pagefind;
    the bundle is made deterministic (Pagefind lists its languages in any order)."""
    glob = "{" + ",".join(langs) + "}/*.html" if len(langs) > 1 else f"{langs[0]}/*.html"
    command = [str(pagefind_path()), "--site", str(site), "--output-path", str(output),
               "--glob", glob, "--keep-index-url", "--silent"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False,
                              env={**os.environ, "LC_ALL": "C.UTF-8"}, timeout=3600)
    except OSError as exc:
        raise ConversionError(_("cannot run Pagefind: {reason}").format(
            reason=os_reason(exc))) from exc
    if done.returncode != 0 or not (output / "pagefind-entry.json").is_file():
        reason = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise ConversionError(_("Pagefind could not index the site: {reason}").format(
            reason=" ".join(reason) or done.returncode))
    entry_path = output / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    entry["languages"] = dict(sorted(entry.get("languages", {}).items()))
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                          encoding="utf-8")
    for name in UNUSED_BUNDLE_FILES:
        with contextlib.suppress(FileNotFoundError):
            (output / name).unlink()

