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
wherever it is read). Sanitising every narrative again costs a build as much as
reading them (2 s of CPU on the bench's 193 States), so the index also holds a seal
per entry: an HMAC of the narrative's key and its bytes, under a key kept outside
the build folder, in the user's cache folder (`seal_key`). An entry whose seal
matches was written, or verified unchanged, by a build of this user: it is trusted as
it is. An entry from anywhere else (a build folder restored from a pull request, a CI
artifact, another user's) has no seal this key makes, and is verified; once clean, it
is sealed. A seal covers exactly the bytes that were checked, for the narrative they
were checked as: bytes elsewhere in a pack, or another narrative's, gain nothing from
it. It stays bounded: a build
that converts every document keeps only the entries it used, and no build keeps
more than MAX_ENTRIES (the least recently used go first); packs nothing points
to are deleted.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import os
import re
import secrets
import shutil
import stat
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gcmreview.convert.figures import FIGURE_CACHE
from gcmreview.core.errors import GcmReviewError
from gcmreview.core.files import seal, write_atomic

CACHE_FOLDER = ".gcmreview-cache"
INDEX_NAME = "index.json"
MAX_ENTRIES = 100_000
"""About 4 KB each: some 400 MB at most, ten times what 193 full reviews need."""
_PACK = re.compile(r"[0-9a-f]{16}-\d+\.pack")
_SEAL = re.compile(r"[0-9a-f]{64}")
KEY_BYTES = 32
_FLAGS = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
"""Never through a link, where the system can say so; bytes as they are (Windows). On
Windows a key's permissions cannot be told: no key is used, and the cache is verified as
before seals."""


def seal_key() -> bytes | None:
    """The key that seals this user's packs: made once, in $XDG_CACHE_HOME/gcmreview (or
    ~/.cache/gcmreview), readable by the user alone. None when it cannot be read or
    made: every entry from an earlier build is then verified, as before seals."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):  # "~" unknown, or a relative setting: no key
        return None
    path = os.path.join(base, "gcmreview", "cache-seal.key")
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _FLAGS, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_bytes(KEY_BYTES))
        fd = os.open(path, os.O_RDONLY | _FLAGS)
        with os.fdopen(fd, "rb") as handle:
            found = os.fstat(handle.fileno())
            key = handle.read(KEY_BYTES + 1)
    except OSError:
        return None
    # Another build writing it this instant (short), or a file others may read: no key.
    if len(key) != KEY_BYTES or not stat.S_ISREG(found.st_mode) or found.st_mode & 0o077:
        return None
    return key


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
        self.key = seal_key()
        self.seals: dict[str, str] = {}
        """Narrative key -> its entry's seal, as the index says (unchecked)."""
        self._checked: set[str] = set()
        """Packs whose entries' seals have been checked."""
        self._sealed: set[str] = set()
        """Narrative keys whose seal matched their entry's bytes."""
        self.build, self.index = self._load_index()
        self.build += 1
        self._sealed_in: dict[str, list[str]] = {}
        """Pack name -> the narratives with a seal that the index places in it."""
        for key in self.seals:
            if key in self.index:
                self._sealed_in.setdefault(self.index[key].pack, []).append(key)
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
            seals = data.get("seals") or {}
            self.seals = {str(k): str(v) for k, v in seals.items()
                          if isinstance(v, str) and _SEAL.fullmatch(v)} \
                if isinstance(seals, dict) else {}
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
                trusted = key in self._trusted or self._sealed_entry(key, entry)
                out.append(place if trusted else {**place, "verify": True})
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

    def _pack_bytes(self, pack: str) -> bytes | None:
        """A pack's bytes, if it is a regular file of the folder (None without a key)."""
        if self.key is None:
            return None
        try:
            fd = os.open(self.folder / pack, os.O_RDONLY | _FLAGS)
            with os.fdopen(fd, "rb") as handle:
                if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                    return None
                return handle.read()
        except OSError:
            return None

    def _seal(self, key: str, entry: Entry, data: bytes) -> str:
        """The seal of narrative `key`'s entry in its pack's bytes `data`."""
        blob = data[entry.offset:entry.offset + entry.length]
        return seal(self.key or b"", key, blob).hex()

    def _sealed_entry(self, key: str, entry: Entry) -> bool:
        """Whether the entry's bytes are those a build of this user wrote or checked, as
        this narrative's. A pack is read once, for the seals of all its entries."""
        if key not in self.seals:
            return False
        if entry.pack not in self._checked:
            self._checked.add(entry.pack)
            data = self._pack_bytes(entry.pack)
            if data is not None:
                self._sealed.update(
                    k for k in self._sealed_in.get(entry.pack, ())
                    if k in self.index and self.index[k].pack == entry.pack
                    and hmac.compare_digest(self._seal(k, self.index[k], data), self.seals[k]))
        return key in self._sealed

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

    def _seals(self, index: dict[str, Entry]) -> dict[str, str]:
        """The seals the index keeps: an entry whose seal matched keeps it; an entry this
        build wrote, or verified unchanged, is sealed now (its pack read once); an entry
        in a pack not read keeps its seal, to be checked when read."""
        if self.key is None:
            return {}
        seals: dict[str, str] = {}
        to_seal: dict[str, list[str]] = {}
        for key, entry in index.items():
            if key in self._sealed:
                seals[key] = self.seals[key]
            elif key in self._trusted:
                to_seal.setdefault(entry.pack, []).append(key)
            elif key in self.seals and entry.pack not in self._checked:
                seals[key] = self.seals[key]
        for pack, keys in to_seal.items():
            data = self._pack_bytes(pack)
            if data is not None:
                seals.update((k, self._seal(k, index[k], data)) for k in keys)
        return dict(sorted(seals.items()))

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
        packs = {e.pack for e in index.values()}
        data = {"build": self.build,
                "entries": {k: [e.pack, e.offset, e.length, e.used]
                            for k, e in sorted(index.items())},
                "seals": self._seals(index)}
        write_atomic(self.folder / INDEX_NAME, json.dumps(data).encode())
        for path in self.folder.iterdir():
            if path.name != INDEX_NAME and path.name not in packs:
                with contextlib.suppress(OSError):
                    path.unlink()
        for other in self.root.iterdir():
            older = (other.name.startswith("narratives-") and other != self.folder) or (
                other.name.startswith("figures-") and other.name != FIGURE_CACHE)
            if older and other.is_dir() and not other.is_symlink():
                shutil.rmtree(other, ignore_errors=True)
