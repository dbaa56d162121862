"""Publishing outputs: produced in a staging folder, moved into place when all succeeded."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


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
