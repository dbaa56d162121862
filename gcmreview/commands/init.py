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
from gcmreview.core.i18n import _, join
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
    package: str = ""
    """What the CI workflow installs with pip: a git URL pinned to a tag or commit, or a
    release. Empty: the gcmreview running now, if it can be installed elsewhere."""
    force: bool = False


def check_options(options: InitOptions) -> None:
    if not options.region.strip() or any(c in options.region for c in "\r\n"):
        raise UsageError(_("the region's name must be one line of text"),
                         hint=_('for example --region "Arab region"'))
    if not 2018 <= options.cycle <= 2100:
        raise UsageError(_("{cycle} is not the year of a review cycle").format(
            cycle=options.cycle), hint=_("for example --cycle 2026"))
    for code in options.participants:
        if not countries.is_country_code(code):
            raise UsageError(_("{code} is not an ISO 3166-1 country code").format(code=code),
                             hint=_("for example --participants MA,DZ,TN"))
    if len(set(options.participants)) != len(options.participants):
        raise UsageError(_("a State is listed twice in --participants"))
    if options.package and not re.fullmatch(r"[\w.@+:/=<>!~,\[\]-]+", options.package):
        raise UsageError(_("“{package}” is not something pip can install").format(
            package=options.package),
                         hint=_("for example git+https://github.com/gcmreview/gcmreview@v0.1.0 "
                                "or gcmreview==0.1.0"))


def installed_from() -> str:
    """A pip requirement for the gcmreview running now that a CI runner can install too:
    the git URL and commit it was installed from, or the release of a package index.
    Empty when there is none (installed from a folder on this computer): the workflow
    then stops at once, asking for GCMREVIEW_PACKAGE to be set."""
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        found = distribution("gcmreview")
        origin = json.loads(found.read_text("direct_url.json") or "null")
    except (PackageNotFoundError, ValueError, OSError):
        return ""
    if origin is None:
        return f"gcmreview=={found.version}"
    vcs, url = origin.get("vcs_info") or {}, str(origin.get("url", ""))
    revision = vcs.get("commit_id") or vcs.get("requested_revision")
    if vcs.get("vcs") == "git" and revision and not url.startswith("file:"):
        return f"git+{url}@{revision}"
    return ""


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
        "package": json.dumps(options.package or installed_from()),
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
        raise InputError(_("{path} exists and is not a folder").format(
            path=display_path(target)))
    files = render_files(options)
    existing = [name for name in files if (target / name).exists()]
    if existing and not options.force:
        raise UsageError(_("{folder} already has {files}").format(
            folder=display_path(target), files=join(existing)),
                         hint=_("choose an empty folder, or add --force to replace these files"))
    written = []
    for name, text in files.items():
        path = target / name
        try:
            write_atomic(path, text.encode("utf-8"))
        except OSError as exc:
            raise InputError(_("cannot write {path}: {reason}").format(
                path=display_path(path), reason=exc.strerror)) from exc
        written.append(path)
    return written
