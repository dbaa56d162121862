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
import gzip
import hashlib
import importlib.util
import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

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


def narrative_fragments(narratives: dict[str, str], languages: dict[str, str],
                        templates: PandocTemplates, cache: NarrativeCache, workers: int
                        ) -> dict[str, str]:
    """Key -> sanitised HTML of every narrative, set by the typography of its language
    (`languages`, key -> language; as in the reports), converted across `workers` pandoc
    processes."""
    keys = sorted(narratives)
    chunks = [{k: narratives[k] for k in keys[i:i + CHUNK]} for i in range(0, len(keys), CHUNK)]
    if not chunks:
        return {}
    pool: Pool[_FragmentWorker, tuple[int, dict[str, str]], dict[str, str]] = Pool(
        min(workers, len(chunks)),
        lambda processes: _FragmentWorker(templates, cache, processes),
        lambda worker, item: worker.pandoc.fragments(
            f"fragments-{item[0]}", item[1], {k: languages[k] for k in item[1] if k in languages}))
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
    for language in entry["languages"].values():
        language["hash"] = _canonical_filters(output, str(language["hash"]))
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                          encoding="utf-8")
    for name in UNUSED_BUNDLE_FILES:
        with contextlib.suppress(FileNotFoundError):
            (output / name).unlink()



# --- a deterministic bundle ---------------------------------------------------------------
# Pagefind writes each filter's values in the order of a hash map, different at every
# run, and names the files after their content. The filter files are rewritten with
# their values sorted, and the language's meta file (which names them) after them.
# Both are gzipped CBOR behind a signature: a small reader and writer suffice.

_SIGNATURE = b"pagefind_dcd"


def _cbor_read(data: bytes, at: int = 0) -> tuple[Any, int]:
    head = data[at]
    major, info = head >> 5, head & 31
    at += 1
    if info < 24:
        value = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        value = int.from_bytes(data[at:at + size], "big")
        at += size
    else:
        raise ValueError("indefinite CBOR lengths are not expected here")
    if major == 0:
        return value, at
    if major == 1:
        return -1 - value, at
    if major in (2, 3):
        raw = data[at:at + value]
        return (raw if major == 2 else raw.decode("utf-8")), at + value
    if major == 4:
        items = []
        for _item in range(value):
            item, at = _cbor_read(data, at)
            items.append(item)
        return items, at
    if major == 5:
        pairs = []
        for _pair in range(value):
            key, at = _cbor_read(data, at)
            item, at = _cbor_read(data, at)
            pairs.append((key, item))
        return _Map(pairs), at
    if major == 7 and info in (20, 21, 22):
        return {20: False, 21: True, 22: None}[info], at
    raise ValueError(f"unexpected CBOR item {head:#x}")


class _Map(list[Any]):
    """A CBOR map, its pairs kept in order."""


def _cbor_head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * size):
            return bytes([major << 5 | info]) + value.to_bytes(size, "big")
    raise ValueError("integer too large for CBOR")


def _cbor_write(value: Any) -> bytes:
    if isinstance(value, bool) or value is None:
        return bytes([0xF4 if value is False else 0xF5 if value is True else 0xF6])
    if isinstance(value, int):
        return _cbor_head(0, value) if value >= 0 else _cbor_head(1, -1 - value)
    if isinstance(value, bytes):
        return _cbor_head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _cbor_head(3, len(raw)) + raw
    if isinstance(value, _Map):
        return _cbor_head(5, len(value)) + b"".join(_cbor_write(k) + _cbor_write(v)
                                                   for k, v in value)
    if isinstance(value, list):
        return _cbor_head(4, len(value)) + b"".join(_cbor_write(v) for v in value)
    raise TypeError(type(value))


def _read_bundle_file(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise ValueError(f"{path.name}: not a Pagefind file")
    value, _end = _cbor_read(data, len(_SIGNATURE))
    return value


def _write_bundle_file(folder: Path, prefix: str, suffix: str, value: Any, digits: int) -> str:
    data = _SIGNATURE + _cbor_write(value)
    name = f"{prefix}_{hashlib.sha256(data).hexdigest()[:digits]}"
    (folder / f"{name}{suffix}").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    return name


def _canonical_filters(output: Path, meta_hash: str) -> str:
    """Rewrite a language's filter files with sorted values, and its meta file naming
    them; returns the meta file's new hash."""
    lang = meta_hash.split("_", 1)[0]
    meta_path = output / f"pagefind.{meta_hash}.pf_meta"
    meta = _read_bundle_file(meta_path)
    folder = output / "filter"
    # The field that lists [filter name, file hash] pairs (the fourth, in Pagefind 1.x).
    field = next((i for i, f in enumerate(meta) if isinstance(f, list) and f and all(
        isinstance(x, list) and len(x) == 2 and isinstance(x[1], str)
        and (folder / f"{x[1]}.pf_filter").is_file() for x in f)), None)
    if field is None:
        return meta_hash  # no filter: nothing in a hash map's order
    filters = meta[field]
    for item in filters:
        old = folder / f"{item[1]}.pf_filter"
        content = _read_bundle_file(old)
        name, values = content
        content = [name, sorted(values, key=lambda v: (str(v[0]), v[1:] and repr(v[1:])))]
        old.unlink()
        item[1] = _write_bundle_file(folder, lang, ".pf_filter", content, 7)
    meta[field] = sorted(filters, key=lambda f: str(f[0]))
    meta_path.unlink()
    return _write_bundle_file(output, f"pagefind.{lang}", ".pf_meta", meta, 10)[
        len("pagefind."):]
