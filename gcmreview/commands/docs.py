"""`gcmreview docs [TOPIC]`: where the documentation installed with gcmreview is.

A workspace holds review files, not gcmreview's documentation; the review files and
gcmreview.yaml that gcmreview writes point here instead of to a `docs/` folder the
person may not have. Wheels carry docs/format.md and docs/word.md inside the package
(pyproject.toml); a source tree has them at its top.
"""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

from gcmreview.core.errors import InputError, UsageError
from gcmreview.core.i18n import _, join

TOPICS = {"format": "format.md", "word": "word.md", "site": "site.md"}
"""Topic -> file: the review file format (every key, rule code and output); the Word
form and `gcmreview import`; the review site (`gcmreview site`)."""


def docs_folder() -> Path:
    """Installed wheels carry the documentation inside the package; a source tree at its
    top (as the templates)."""
    packaged = Path(str(resources.files("gcmreview"))) / "docs"
    if (packaged / TOPICS["format"]).is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "docs"


def doc_path(topic: str) -> Path:
    """The installed file of a topic."""
    if topic not in TOPICS:
        raise UsageError(_("there is no documentation on “{topic}”").format(topic=topic),
                         hint=_("the topics: {topics}").format(topics=join(list(TOPICS))))
    path = docs_folder() / TOPICS[topic]
    if not path.is_file():
        raise InputError(_("the documentation is missing from this installation of gcmreview "
                           "({path})").format(path=path),
                         hint=_("install gcmreview again, or read it online: "
                                "https://github.com/gcmreview/gcmreview/blob/main/docs/{file}"
                                ).format(file=TOPICS[topic]))
    return path


def open_doc(path: Path) -> None:
    """Open a file with the program the system uses for it."""
    try:
        if sys.platform == "win32":
            os.startfile(path)  # type: ignore[attr-defined]  # Windows only
            return
        opener = "open" if sys.platform == "darwin" else "xdg-open"
        done = subprocess.run([opener, str(path)], stdin=subprocess.DEVNULL,
                              capture_output=True, check=False)
        failed = done.returncode != 0
    except OSError:
        failed = True
    if failed:
        raise InputError(_("no program could open {path}").format(path=path),
                         hint=_("open it yourself: it is a Markdown text file"))
