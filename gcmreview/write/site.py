"""Writing the review site: each file atomically, only what changed, nothing outside.

Every page, asset and download is produced in a staging folder inside the site's
folder (gcmreview.write.files) and moved into place. The site's manifest
(`.gcmreview-site.json`, a dot file: GitHub Pages does not publish it) keeps the
hash of every file it wrote and the fingerprint of everything the site is made
from: a rebuild with nothing changed writes nothing, and a rebuild only replaces
the files whose bytes changed. Files the manifest does not name are never deleted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import stat
from dataclasses import dataclass, field
from pathlib import Path

from gcmreview.core.errors import InputError
from gcmreview.core.files import write_atomic
from gcmreview.core.i18n import _
from gcmreview.write.files import publish, staging

SITE_MANIFEST = ".gcmreview-site.json"
FORMAT_VERSION = 1
_PART = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


def _safe(rel: str) -> bool:
    """A path inside the site, made of plain names (never `..`, never absolute)."""
    parts = rel.split("/")
    return all(_PART.fullmatch(p) and p not in (".", "..") for p in parts)


def read_regular(path: Path) -> bytes:
    """A regular file's bytes, never through a symbolic link."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path} is not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read()
    finally:
        os.close(fd)


class SiteManifest:
    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / SITE_MANIFEST
        self.key = ""
        """The fingerprint of everything the site was made from."""
        self.index = ""
        """The fingerprint of the pages the search index was made from."""
        self.files: dict[str, str] = {}
        """Site path -> sha256 of the bytes written there."""
        self.invalid: list[str] = []
        """The review files that were invalid (left out), by name."""
        with contextlib.suppress(OSError, ValueError, AttributeError, TypeError, KeyError):
            if stat.S_ISREG(os.lstat(self.path).st_mode):
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if data.get("format") == FORMAT_VERSION:
                    self.key = str(data["key"])
                    self.index = str(data["index"])
                    self.files = {str(k): str(v) for k, v in data["files"].items()
                                  if _safe(str(k))}
                    self.invalid = [str(name) for name in data["invalid"]]

    def complete(self) -> bool:
        """Every file it names is still there (someone may have deleted one)."""
        folder = self.path.parent
        return bool(self.files) and all(_regular(folder / rel) for rel in self.files)

    def save(self) -> None:
        data = {"format": FORMAT_VERSION, "key": self.key, "index": self.index,
                "invalid": sorted(self.invalid), "files": dict(sorted(self.files.items()))}
        write_atomic(self.path, (json.dumps(data, indent=1) + "\n").encode())


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _folders(out_dir: Path, rel: str) -> None:
    """The folders of `rel` inside the site, made real: a link where a folder goes
    (the site's own folder, not data, but a link would write elsewhere) is removed."""
    current = out_dir
    for part in rel.split("/")[:-1]:
        current = current / part
        if current.is_symlink() or (current.exists() and not current.is_dir()):
            current.unlink()
        current.mkdir(exist_ok=True)


@dataclass
class Written:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


def write_site(out_dir: Path, outputs: dict[str, bytes | Path], manifest: SiteManifest
               ) -> Written:
    """Write the site's files (site path -> bytes, or a file to copy): only those whose
    bytes changed; then delete the files an earlier build wrote that this one has not."""
    result = Written()
    if out_dir.is_symlink():
        raise InputError(_("{folder} is a symbolic link: the site is not written through it")
                         .format(folder=out_dir), hint=_("give --out a real folder"))
    hashes: dict[str, str] = {}
    with staging(out_dir) as stage:
        for number, (rel, content) in enumerate(sorted(outputs.items())):
            if not _safe(rel):
                continue
            data = content if isinstance(content, bytes) else read_regular(content)
            digest = hashlib.sha256(data).hexdigest()
            hashes[rel] = digest
            final = out_dir / rel
            if manifest.files.get(rel) == digest and _regular(final):
                result.unchanged += 1
                continue
            staged = stage / f"{number}.part"
            staged.write_bytes(data)
            _folders(out_dir, rel)
            if final.is_symlink() or final.is_dir():
                raise InputError(_("{path} is not a file: the site cannot be written there")
                                 .format(path=final), hint=_("remove it, or give --out another "
                                                             "folder"))
            publish(staged, final)
            result.written.append(rel)
        for rel in sorted(set(manifest.files) - set(hashes)):
            if _regular(out_dir / rel):
                with contextlib.suppress(OSError):
                    (out_dir / rel).unlink()
                    result.removed.append(rel)
    manifest.files = hashes
    return result


def replace_folder(new: Path, final: Path, trash: Path) -> None:
    """Put a folder in place of another (the search index): the old one is moved aside,
    then deleted."""
    if final.is_symlink() or final.is_file():
        final.unlink()
    elif final.exists():
        os.replace(final, trash)
    os.replace(new, final)
    shutil.rmtree(trash, ignore_errors=True)
