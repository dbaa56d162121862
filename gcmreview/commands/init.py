"""`gcmreview init DIR`: a review workspace ready for the pull-request workflow.

Writes the workspace configuration, an empty `countries/`, a README for focal
points, a GitHub Actions workflow, a pre-commit configuration and the review
schema for editors. The texts are package data (gcmreview/data/init/) with
`@{name}` placeholders: GitHub's `${{ }}` and Markdown leave that syntax alone.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from gcmreview import __version__
from gcmreview.core import countries
from gcmreview.core.diagnostics import display_path
from gcmreview.core.errors import InputError, UsageError
from gcmreview.core.files import write_atomic
from gcmreview.load import catalogue as cat
from gcmreview.validate.schema import review_schema, to_json

TEMPLATES = {
    # path in the new workspace: template in gcmreview/data/init/
    "gcmreview.yaml": "gcmreview.yaml",
    "README.md": "README.md",
    ".github/workflows/gcmreview.yml": "workflow.yml",
    ".pre-commit-config.yaml": "pre-commit-config.yaml",
    ".gitignore": "gitignore",
}
KEEP_FILE = "countries/.gitkeep"
"""git does not record empty folders: this keeps `countries/` in the first commit."""
SCHEMA_FILE = "review.schema.json"
_PLACEHOLDER = re.compile(r"@\{([a-z_]+)\}")


@dataclass(frozen=True)
class InitOptions:
    region: str
    cycle: int
    participants: tuple[str, ...] = ()
    package: str = "gcmreview"
    """What the CI workflow installs with pip: a name, a pinned version or a git URL."""
    force: bool = False


def check_options(options: InitOptions) -> None:
    if not options.region.strip() or any(c in options.region for c in "\r\n"):
        raise UsageError("the region name must be one line of text",
                         hint='for example --region "Arab region"')
    if not 2018 <= options.cycle <= 2100:
        raise UsageError(f"{options.cycle} is not a review cycle",
                         hint="give the year of the cycle, for example --cycle 2026")
    for code in options.participants:
        if not countries.is_country_code(code):
            raise UsageError(f"{code!r} is not an ISO 3166-1 alpha-2 country code",
                             hint="for example --participants MA,DZ,TN")
    if len(set(options.participants)) != len(options.participants):
        raise UsageError("a participant is listed twice")
    if not re.fullmatch(r"[\w.@+:/=<>!~,\[\]-]+", options.package):
        raise UsageError(f"{options.package!r} is not a pip requirement",
                         hint="for example gcmreview, gcmreview==0.1.0 or "
                         "git+https://github.com/gcmreview/gcmreview@v0.1.0")


def fill(template: str, values: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        return values[match.group(1)]  # a KeyError here is a packaging bug, caught by tests

    return _PLACEHOLDER.sub(value, template)


def _template(name: str) -> str:
    return (resources.files("gcmreview") / "data" / "init" / name).read_text(encoding="utf-8")


def render_files(options: InitOptions) -> dict[str, str]:
    """The new workspace's files: path relative to the workspace -> text."""
    values = {
        "region": options.region.strip(),
        "cycle": str(options.cycle),
        "participants": "[" + ", ".join(options.participants) + "]",
        "package": json.dumps(options.package),
        "rev": f"v{__version__}",
    }
    quoted = {**values, "region": json.dumps(values["region"], ensure_ascii=False)}
    files = {}
    for target, name in TEMPLATES.items():
        # YAML files get the region as a quoted string; Markdown gets it as written.
        files[target] = fill(_template(name), quoted if target.endswith((".yaml", ".yml"))
                             else values)
    files[KEEP_FILE] = ""
    files[SCHEMA_FILE] = to_json(review_schema(cat.builtin()))
    return files


def init_workspace(target: Path, options: InitOptions) -> list[Path]:
    """Write a new workspace into `target`; existing files are only replaced with `force`."""
    check_options(options)
    if target.exists() and not target.is_dir():
        raise InputError(f"{display_path(target)} exists and is not a folder")
    files = render_files(options)
    existing = [name for name in files if (target / name).exists()]
    if existing and not options.force:
        raise UsageError(f"{display_path(target)} already has " + ", ".join(existing),
                         hint="choose an empty folder, or use --force to overwrite these files")
    written = []
    for name, text in files.items():
        path = target / name
        try:
            write_atomic(path, text.encode("utf-8"))
        except OSError as exc:
            raise InputError(f"cannot write {display_path(path)}: {exc.strerror}") from exc
        written.append(path)
    return written
