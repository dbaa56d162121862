"""What validating review files gives: per file, its data, coverage and problems.

Plain data shared by the checker that fills it and everything that reads it
(reporters, the coverage matrix, the build), so none of them imports the checker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast

from gcmreview.core.diagnostics import Diagnostic, Position, Severity, sort_diagnostics
from gcmreview.core.format import Review
from gcmreview.load.loader import YamlMap
from gcmreview.validate.coverage import Coverage
from gcmreview.validate.data import DataResult

if TYPE_CHECKING:
    from gcmreview.validate.translations import Completeness


@dataclass
class FileResult:
    path: Path
    shown_as: str
    country: str | None
    data: YamlMap | None
    coverage: Coverage | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    country_at: Position = field(default_factory=Position)
    """Where the file says which State it is (for messages about the State, not a field)."""
    translations: list[Completeness] = field(default_factory=list)
    """How far it is translated into each language that has (or must have) a translation."""

    @property
    def valid(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def review(self) -> Review:
        """The data of a valid file, typed as the format describes it."""
        if self.data is None or not self.valid:
            raise ValueError(f"{self.shown_as} is not a valid review")
        return cast(Review, self.data)


@dataclass
class ValidationRun:
    files: list[FileResult]
    not_submitted: tuple[str, ...] = ()
    unread: list[Diagnostic] = field(default_factory=list)
    """Files of the folders checked that look like review files but were not read."""
    data: list[DataResult] = field(default_factory=list)
    """The indicator data files checked (the workspace's, or those named)."""

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return sort_diagnostics([*(d for f in self.files for d in f.diagnostics), *self.unread,
                                 *(d for r in self.data for d in r.diagnostics)])

    @property
    def left_out(self) -> list[Diagnostic]:
        """What a build or the site says of its inputs: the problems of each file it left
        out (a review or data file with errors), and the files it did not read."""
        return [*(d for f in self.files if not f.valid for d in f.diagnostics),
                *(d for r in self.data if not r.valid for d in r.diagnostics), *self.unread]

    def count(self, severity: Severity) -> int:
        return sum(d.severity is severity for d in self.diagnostics)

    @property
    def exit_code(self) -> int:
        return 1 if self.count(Severity.ERROR) else 0


@dataclass(frozen=True)
class RefFiles:
    """The review files of one folder at one git ref, checked."""

    ref: str
    commit: str
    files: list[FileResult]
