"""Shared fixtures: run the real CLI in a real folder, copy the example workspace."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from gcmreview.cli import main
from gcmreview.convert.pdf import TypstWorker

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@dataclass
class CliResult:
    code: int
    out: str
    """Standard output as a reader sees it: French no-break spaces (before a colon, inside
    « ») read as spaces, so tests compare words, not typography."""
    err: str
    raw_out: str = ""
    """Standard output byte for byte."""


def spaced(text: str) -> str:
    return text.replace("\u00a0", " ")


@pytest.fixture(autouse=True, scope="session")
def _own_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The key that seals cached narratives (gcmreview.convert.narratives.seal_key) is
    made in the user's cache folder: the tests make theirs in a folder of their own."""
    import os

    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))
    yield
    if before is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = before


@pytest.fixture(autouse=True)
def _interface_language():
    """`main` sets the interface language from the environment and it stays set: each test
    gives back the one it found, so that a test run in Arabic leaves English behind."""
    from gcmreview.core import i18n

    before = i18n.language()
    yield
    i18n.use(before)


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run `gcmreview ARGS` in a folder; returns exit code, stdout and stderr."""

    def run(*args: str, cwd: Path = ROOT) -> CliResult:
        monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return CliResult(code, spaced(captured.out), spaced(captured.err), captured.out)

    return run


def copy_workspace(target: Path, countries: tuple[str, ...] | None = None) -> Path:
    """The shipped example workspace (config and review files) in `target`."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "gcmreview.yaml", target / "gcmreview.yaml")
    (target / "countries").mkdir(exist_ok=True)
    for path in sorted((ROOT / "countries").glob("*.yaml")):
        if countries is None or path.stem in countries:
            shutil.copy(path, target / "countries" / path.name)
    return target


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return copy_workspace(tmp_path / "ws")


def unescaped(md: str) -> str:
    """Markdown as it reads once rendered: CommonMark's backslash escapes removed."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", md)


@pytest.fixture(scope="module")
def typst_process() -> Iterator[TypstWorker]:
    """The typst process a build worker draws its figures in (gcmreview.convert.pdf)."""
    worker = TypstWorker()
    yield worker
    worker.close()
