"""What every command needs to know once: the workspace around it and its catalogue.

Commands find the workspace (a folder with gcmreview.yaml) in the current
folder or its parents, as git finds its repository. Outside one, the built-in
catalogue serves the commands that work on files alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from gcmreview.core.errors import UsageError
from gcmreview.core.i18n import _
from gcmreview.load import catalogue as cat
from gcmreview.validate.workspace import Workspace, discover


@dataclass
class Context:
    cwd: Path = field(default_factory=Path.cwd)

    @cached_property
    def workspace(self) -> Workspace | None:
        return discover(self.cwd)

    @property
    def catalogue(self) -> cat.Catalogue:
        """The workspace's catalogue (with its official titles), else the built-in one."""
        return self.workspace.catalogue if self.workspace else cat.builtin()

    def require_workspace(self) -> Workspace:
        if self.workspace is None:
            raise UsageError(_("no workspace found: no gcmreview.yaml in this folder or above "
                               "it"),
                             hint=_("go to the folder of the review workspace, or create one "
                                    "with `gcmreview init FOLDER --region NAME --cycle YEAR`"))
        return self.workspace
