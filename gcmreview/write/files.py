"""Atomic writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from gcmreview.core.errors import InputError


def write_atomic(path: Path, data: bytes) -> None:
    if path.is_dir():
        raise InputError(f"cannot write {path}: it is a folder", hint="give a file name")
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise InputError(f"cannot write {path}: it is a link or a special file, not replaced",
                         hint="give the path of a regular file")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def staging(out_dir: Path) -> Iterator[Path]:
    """A scratch folder inside `out_dir` (same file system, so renames are atomic).

    It is removed whatever happens; files are moved out of it with `publish` only
    once every output of a build has been produced.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=out_dir, prefix=".gcmreview-staging-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def publish(staged: Path, final: Path) -> None:
    final.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(staged, 0o644)
    os.replace(staged, final)
