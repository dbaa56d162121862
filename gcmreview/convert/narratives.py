"""Parsed narratives, kept across documents and builds: each text goes through pandoc once.

A narrative is keyed by the hash of its text (gcmreview.core.narrative.key).
The pandoc worker that first meets it parses and sanitises it; the blocks of
everything a document parsed go, as pandoc JSON, into one pack file in
`<build folder>/.gcmreview-cache/narratives-<sanitiser version>/`, and this
module keeps the index (key -> pack, offset, length). Every later document
quoting the narrative, in this build or the next, reads its blocks back from
there instead of parsing it: three times faster (measured on the regional report
of 193 reviews). A new sanitiser version starts a new folder; older ones are
deleted.

The cache is untrusted like the rest of the folder: an entry this build did not
write itself is sanitised again when read ("verify"), and trusted for the rest of
the build only if that changed nothing (an entry changed on disk is sanitised
wherever it is read). It stays bounded: a build
that converts every document keeps only the entries it used, and no build keeps
more than MAX_ENTRIES (the least recently used go first); packs nothing points
to are deleted.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import stat
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gcmreview.core.errors import GcmReviewError
from gcmreview.core.files import write_atomic

CACHE_FOLDER = ".gcmreview-cache"
INDEX_NAME = "index.json"
MAX_ENTRIES = 100_000
"""About 4 KB each: some 400 MB at most, ten times what 193 full reviews need."""
_PACK = re.compile(r"[0-9a-f]{16}-\d+\.pack")


@dataclass(frozen=True)
class Entry:
    pack: str
    offset: int
    length: int
    used: int
    """The build (a counter) that last used it."""


class NarrativeCache:
    def __init__(self, out_dir: Path, version: str) -> None:
        self.root = out_dir / CACHE_FOLDER
        self.folder = self.root / f"narratives-{version}"
        for folder in (self.root, self.folder):
            # A link would take pruning (which deletes what the index does not name)
            # and reading outside the build folder: the link goes, the cache starts anew.
            if folder.is_symlink():
                with contextlib.suppress(OSError):
                    folder.unlink()
        self.usable = True
        """False once the cache folder cannot be made: every narrative is parsed."""
        self._sizes: dict[str, int] = {}
        """Pack name -> its size, if it is a regular file in the folder (not a link)."""
        self.build, self.index = self._load_index()
        self.build += 1
        self.prefix = os.urandom(8).hex()
        self._packs = 0
        self._trusted: set[str] = set()
        """Keys this build parsed, or already verified."""
        self.used: set[str] = set()
        self._lock = threading.Lock()

    def _load_index(self) -> tuple[int, dict[str, Entry]]:
        try:
            index = self.folder / INDEX_NAME
            if not stat.S_ISREG(os.lstat(index).st_mode):
                return 0, {}  # a link, a FIFO (whose read would never end): start anew
            data = json.loads(index.read_text(encoding="utf-8"))
            entries = {str(k): Entry(str(v[0]), int(v[1]), int(v[2]), int(v[3]))
                       for k, v in data["entries"].items()}
            return int(data["build"]), {k: e for k, e in entries.items()
                                        if _PACK.fullmatch(e.pack)}
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return 0, {}  # none yet, or damaged: parse again

    def request(self, narratives: dict[str, str]) -> tuple[str | None, list[dict[str, Any]]]:
        """A job's pack name and what it sends for its narratives: the text when it
        must be parsed, else where the blocks are (and whether to sanitise them again)."""
        out: list[dict[str, Any]] = []
        with self._lock:
            if self.usable:
                try:
                    self.folder.mkdir(parents=True, exist_ok=True)  # not before a first document
                except OSError:  # a file where the folder goes: convert without a cache
                    self.usable = False
                    self.index.clear()
            self._packs += 1
            pack = f"{self.prefix}-{self._packs}.pack"
            for key in sorted(narratives):
                self.used.add(key)
                entry = self.index.get(key)
                if entry is not None and not self._readable(entry):
                    entry = None
                if entry is None:
                    out.append({"key": key, "text": narratives[key]})
                    continue
                place = {"key": key, "pack": entry.pack, "offset": entry.offset,
                         "length": entry.length}
                out.append(place if key in self._trusted else {**place, "verify": True})
        return (pack if self.usable else None), out

    def _readable(self, entry: Entry) -> bool:
        """The entry lies inside a pack that is a regular file (the index may be damaged)."""
        if entry.pack not in self._sizes:
            try:
                found = os.lstat(self.folder / entry.pack)
                self._sizes[entry.pack] = found.st_size if stat.S_ISREG(found.st_mode) else -1
            except OSError:
                self._sizes[entry.pack] = -1
        return entry.offset >= 0 and entry.length > 0 \
            and entry.offset + entry.length <= self._sizes[entry.pack]

    def forget(self, keys: Iterable[str]) -> None:
        """Entries a worker could not read back: parsed again, from their text."""
        with self._lock:
            for key in keys:
                self.index.pop(str(key), None)
                self._trusted.discard(str(key))

    def learn(self, pack: str | None, parsed: Iterable[dict[str, Any]],
              verified: Iterable[str]) -> None:
        """A worker's answer: where it cached what it parsed; what is safe as it is."""
        with self._lock:
            for item in parsed:
                key = str(item["key"])
                self.index[key] = Entry(str(pack), int(item["offset"]), int(item["length"]),
                                        self.build)
                self._trusted.add(key)
            self._trusted.update(verified)

    def save(self, complete: bool) -> None:
        """Write the index, pruned: after a build that converted every document
        (`complete`), only what it used; never more than MAX_ENTRIES. Delete the packs
        nothing points to, and older sanitiser versions."""
        if not self.folder.is_dir() or self.folder.is_symlink():
            return
        # The cache only saves time: a folder it cannot write costs the next build.
        with contextlib.suppress(OSError, GcmReviewError):
            self._save(complete)

    def _save(self, complete: bool) -> None:
        index = {k: (Entry(e.pack, e.offset, e.length, self.build) if k in self.used else e)
                 for k, e in self.index.items() if not complete or k in self.used}
        if len(index) > MAX_ENTRIES:
            newest = sorted(index.items(), key=lambda item: (-item[1].used, item[0]))
            index = dict(newest[:MAX_ENTRIES])
        data = {"build": self.build,
                "entries": {k: [e.pack, e.offset, e.length, e.used]
                            for k, e in sorted(index.items())}}
        write_atomic(self.folder / INDEX_NAME, json.dumps(data).encode())
        packs = {e.pack for e in index.values()}
        for path in self.folder.iterdir():
            if path.name != INDEX_NAME and path.name not in packs:
                with contextlib.suppress(OSError):
                    path.unlink()
        for other in self.root.iterdir():
            if other.is_dir() and other != self.folder and other.name.startswith("narratives-"):
                shutil.rmtree(other, ignore_errors=True)
