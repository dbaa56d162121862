"""Diagnostics: the values loaders, validators, coverage checks and Word readers produce.

One shape for every problem, parse errors and what a Word document held that could
not be placed included, so one reporter sorts and prints them all the same way
(`file:line:col: severity[code]: message`; in a Word document, which has no lines,
`file: section “…”, paragraph n: severity[code]: message`). Named tuples, not
dataclasses: every command makes some, and a dataclass costs half a millisecond of
start-up to define.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Position(NamedTuple):
    """1-based line and column in a file."""

    line: int = 1
    column: int = 1


class Where(NamedTuple):
    """A place in a Word document, as a focal point finds it again: the section heading
    above it and the paragraph or table row."""

    section: str
    """The nearest heading above, as written ("" before the first heading)."""
    block: int
    """1-based position among the top-level blocks."""
    row: int = 0
    """1-based table row, 0 outside a table."""
    label: str = ""
    """The row's label (left-hand cell) in a form table."""


class TextFix(NamedTuple):
    """A change to a line YAML cannot read: `old`, at `line`:`column` (1-based, as the file
    has them), becomes `new`."""

    line: int
    column: int
    old: str
    new: str


class ValueFix(NamedTuple):
    """A change to a value the file holds: the scalar at `path` (its key, with `key`)
    becomes `value`. `edit` says how its text changes: "write" (written anew, as a plain
    word or number), "quotes" (the typographic quotes around it become straight ones),
    "drop" (the characters of `drop` are removed from it)."""

    path: tuple[object, ...]
    value: object
    key: bool = False
    edit: str = "write"
    drop: str = ""


Fix = TextFix | ValueFix
"""What `gcmreview validate --fix` may do about a diagnostic: what its hint says, when
that is safe and leaves no choice (gcmreview.validate.fix checks it before writing)."""


class Diagnostic(NamedTuple):
    path: str
    position: Position
    severity: Severity
    code: str
    message: str
    hint: str | None = None
    where: Where | None = None
    """In a Word document: where, since it has no lines and columns."""
    fix: Fix | None = None
    """Not in the JSON output: `validate --fix` makes it."""

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.position.line, self.position.column, self.code)

    @property
    def error(self) -> bool:
        return self.severity is Severity.ERROR

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.position.line,
            "column": self.position.column,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }


def document_problem(code: str, where: Where, message: str, hint: str | None = None, *,
                     error: bool = True) -> Diagnostic:
    """Something of a Word document that could not be placed (an error: left out), or was
    placed with a doubt (a warning: for the focal point to check). The path is the
    document's, set by whoever reads it (`with_path`). Codes are listed in docs/word.md."""
    return Diagnostic("", Position(0, 0), Severity.ERROR if error else Severity.WARNING, code,
                      message, hint, where)


@dataclass
class DiagnosticSink:
    """Collects diagnostics for one file; checks call `error` and `warning`."""

    path: str
    items: list[Diagnostic] = field(default_factory=list)

    def error(self, pos: Position, code: str, message: str, hint: str | None = None,
              fix: Fix | None = None) -> None:
        self.items.append(Diagnostic(self.path, pos, Severity.ERROR, code, message, hint,
                                     fix=fix))

    def warning(self, pos: Position, code: str, message: str, hint: str | None = None,
                fix: Fix | None = None) -> None:
        self.items.append(Diagnostic(self.path, pos, Severity.WARNING, code, message, hint,
                                     fix=fix))


@lru_cache(maxsize=16)
def resolved_folder(folder: Path) -> Path:
    """A folder's real path, once: messages and reports name hundreds of files in the
    same few folders, and resolving costs a system call per path component."""
    return folder.resolve()


def display_path(path: Path, base: Path | None = None) -> str:
    """Path as users see it in messages: relative to the current folder when possible."""
    try:
        return path.resolve().relative_to(resolved_folder(base or Path.cwd())).as_posix()
    except ValueError:
        return path.as_posix()


def sort_diagnostics(items: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(items, key=lambda d: d.sort_key)
