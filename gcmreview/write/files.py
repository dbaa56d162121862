"""Publishing outputs: produced in a staging folder, moved into place when all succeeded."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

STAGING_PREFIX = ".gcmreview-staging-"
STALE_AFTER_SECONDS = 24 * 3600
DEAD_AFTER_SECONDS = 10 * 60


def _running(pid: int) -> bool:
    if os.name == "nt":  # os.kill(pid, 0) would end the process there: go by age only
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's: alive
    return True


def remove_stale_staging(out_dir: Path) -> None:
    """Staging folders of builds that were killed (SIGKILL, a power cut): of a process
    no longer running (and untouched for a while: a build in another container sharing
    the folder has pids of its own), or older than a day. A build running beside this
    one keeps its."""
    now = time.time()
    for folder in out_dir.glob(STAGING_PREFIX + "*"):
        if folder.is_symlink() or not folder.is_dir():
            continue
        pid = folder.name[len(STAGING_PREFIX):].split("-")[0]
        try:
            age = now - folder.stat().st_mtime
            stale = age > STALE_AFTER_SECONDS or (
                age > DEAD_AFTER_SECONDS and re.fullmatch("[0-9]{1,9}", pid) is not None
                and not _running(int(pid)))
        except (OSError, OverflowError, ValueError):
            continue
        if stale:
            shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def staging(out_dir: Path) -> Iterator[Path]:
    """A scratch folder inside `out_dir` (same file system, so renames are atomic).

    It is removed whatever happens; files are moved out of it with `publish` only
    once every output of a build has been produced.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(out_dir)
    folder = Path(tempfile.mkdtemp(dir=out_dir, prefix=f"{STAGING_PREFIX}{os.getpid()}-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def publish(staged: Path, final: Path) -> None:
    final.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(staged, 0o644)
    os.replace(staged, final)
