"""Atomic writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import tempfile
from pathlib import Path

from gcmreview.core.errors import InputError
from gcmreview.core.i18n import _


def seal(key: bytes, name: str, data: bytes) -> bytes:
    """An HMAC of `data` as the thing called `name`, under the user's key: the build
    cache's seals (narratives, drawings; gcmreview.convert.narratives.seal_key). Bytes
    sealed as one thing gain nothing as another."""
    return hmac.new(key, name.encode() + b"\0" + data, hashlib.sha256).digest()


def write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write `data` to `path` through a temporary file in the same folder, renamed over
    it; `mode` is the new file's permissions (a rewritten file keeps its own)."""
    if path.is_dir():
        raise InputError(_("cannot write {path}: it is a folder").format(path=path),
                         hint=_("give the name of a file"))
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise InputError(_("cannot write {path}: it is a link or a special file, which is "
                           "left as it is").format(path=path),
                         hint=_("give the path of an ordinary file"))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
