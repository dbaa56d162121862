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
from gcmreview.core.errors import InputError, UsageError, os_reason
from gcmreview.core.files import write_atomic
from gcmreview.core.i18n import N_, Formatter, _, join
from gcmreview.core.languages import LANGUAGES
from gcmreview.load import catalogue as cat
from gcmreview.render.validation import workflow_command
from gcmreview.validate.schema import review_schema, to_json
from gcmreview.validate.workspace import localize

TEMPLATES = {
    # path in the new workspace: template in gcmreview/data/init/
    "gcmreview.yaml": "gcmreview.yaml",
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
    region: str | dict[str, str]
    """The region's name, or its name in each language (en, fr, ar): the README is
    written in those languages, in that order."""
    cycle: int
    participants: tuple[str, ...] = ()
    package: str = ""
    """What the CI workflow installs with pip: a git URL pinned to a tag or commit, or a
    release. Empty: the gcmreview running now, if it can be installed elsewhere."""
    force: bool = False
    languages: tuple[str, ...] = ()
    """The working languages (--lang), the main one first. Empty: the languages the
    region's names are given in, else English."""


def region_names(values: list[str]) -> str | dict[str, str]:
    """--region NAME, or --region LANG:NAME once per language (en:, fr:, ar:)."""
    names: dict[str, str] = {}
    for value in values:
        lang, _sep, name = value.partition(":")
        if _sep and lang.strip().lower() in LANGUAGES:
            key = lang.strip().lower()
        else:
            key, name = "", value
        if key in names:
            raise UsageError(_("--region names the region twice in the same language"),
                             hint=_('for example --region "en:Arab region" --region '
                                    '"fr:Région arabe"'))
        names[key] = name
    if list(names) == [""]:
        return names[""]
    if "" in names:
        raise UsageError(_("give every --region with its language, or one --region alone"),
                         hint=_('for example --region "en:Arab region" --region '
                                '"ar:المنطقة العربية"'))
    return names


def language_codes(values: list[str]) -> tuple[str, ...]:
    """--lang fr,ar or --lang fr --lang ar: the working languages, in that order."""
    return tuple(code for value in values
                 for code in (c.strip().lower() for c in value.split(",")) if code)


def working_languages(options: InitOptions) -> list[str]:
    """The workspace's languages, the main one first: --lang, else the languages the
    region is named in (`--region fr:… --region ar:…` gives fr, ar), else English."""
    if options.languages:
        return list(options.languages)
    return list(options.region) if isinstance(options.region, dict) else ["en"]


def check_options(options: InitOptions) -> None:
    names = options.region.values() if isinstance(options.region, dict) else [options.region]
    if not names or any(not n.strip() or any(c in n for c in "\r\n") for n in names):
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
    for lang in options.languages:
        if lang not in LANGUAGES:
            raise UsageError(_("{option} cannot be “{value}”").format(option="--lang",
                                                                      value=lang),
                             hint=_("choose among {values}, for example --lang fr,ar").format(
                                 values=join(LANGUAGES)))
    if len(set(options.languages)) != len(options.languages):
        raise UsageError(_("a language is named twice in --lang"))
    if options.package and not re.fullmatch(r"[\w.@+:/=<>!~,\[\]-]+", options.package):
        raise UsageError(_("“{package}” is not something pip can install").format(
            package=options.package),
                         hint=_("for example git+https://github.com/gcmreview/gcmreview@v0.1.0 "
                                "or gcmreview==0.1.0"))
    if options.package and not pinned(options.package):
        raise UsageError(_("“{package}” names no version: the workflow and the focal points "
                           "would each install whatever it gives on the day").format(
            package=options.package),
                         hint=_("pin a tag or a commit, for example git+https://github.com/"
                                "gcmreview/gcmreview@v0.1.0, or a release, for example "
                                "gcmreview==0.1.0"))


def pinned(package: str) -> bool:
    """Does a pip requirement name one version? A VCS URL must end in @tag or @commit, a
    requirement must say ==version; a URL of an archive is one file."""
    scheme, sep, rest = package.partition("://")
    if sep and "+" in scheme:  # git+https://host/path@ref
        path = rest.split("#", 1)[0].partition("/")[2]
        return "@" in path and bool(path.rsplit("@", 1)[1])
    if sep:
        return True
    return re.fullmatch(r"[A-Za-z0-9._-]+(\[[^\]]*\])?===?[^,<>=!~]+", package) is not None


def installed_from() -> str:
    """A pip requirement for the gcmreview running now that a CI runner can install too:
    the git URL and commit it was installed from, or the release of a package index.
    Empty when there is none (installed from a folder or a file on this computer): the
    workflow then stops at once, asking for GCMREVIEW_PACKAGE to be set, and `init`
    says so."""
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


def _yaml_region(region: str | dict[str, str]) -> str:
    if isinstance(region, str):
        return json.dumps(region.strip(), ensure_ascii=False)
    return "{" + ", ".join(f"{lang}: {json.dumps(name.strip(), ensure_ascii=False)}"
                           for lang, name in region.items()) + "}"


LANGUAGE_NAMES = {"en": "English", "fr": "Français", "ar": "العربية"}


UNKNOWN_PACKAGE = "<GCMREVIEW_PACKAGE>"
"""What the README says to install when `init` knows nothing a focal point can install:
pip refuses it as it is (no package of an index can be installed by mistake)."""


def install_command(package: str, lang: str) -> str:
    """The README's install command: the package the workflow installs, never an unpinned
    one; when there is none yet, a placeholder with a comment saying where to find it."""
    if package:
        return f'python3 -m pip install "{package}"'
    comment = Formatter(lang).gettext(N_(
        "replace <GCMREVIEW_PACKAGE> with the value of GCMREVIEW_PACKAGE in "
        ".github/workflows/gcmreview.yml"))
    return f'# {comment}\npython3 -m pip install "{UNKNOWN_PACKAGE}"'


def readme(options: InitOptions, package: str) -> str:
    """The focal points' README, in each working language (Arabic right to left)."""
    parts = []
    for lang in working_languages(options):
        name = localize(options.region, lang)
        text = fill(_template(f"README.{lang}.md"), {
            "region": name.strip(), "cycle": str(options.cycle),
            "install": install_command(package, lang)})
        if lang == "ar":  # GitHub keeps dir and lang on a div
            text = f'<div dir="rtl" lang="ar">\n\n{text}\n</div>\n'
        parts.append((lang, text))
    if len(parts) == 1:
        return parts[0][1]
    switch = " · ".join(f'<a href="#{lang}">{LANGUAGE_NAMES[lang]}</a>' for lang, _t in parts)
    return switch + "\n\n" + "\n---\n\n".join(
        f'<a id="{lang}"></a>\n\n{text}' for lang, text in parts)


WORKFLOW_TEXTS = {
    # placeholder in workflow.yml: what it says, in the workspace's main language
    "workflow": N_("GCM review"),
    "job": N_("Validate, summarize and build"),
    "step_checkout": N_("Check out the review files with their history"),
    "step_python": N_("Set up Python"),
    "step_install": N_("Install gcmreview"),
    "step_import": N_("Import the Word files uploaded to submissions/"),
    "step_upload_imported": N_("Upload the imported review files"),
    "step_validate": N_("Validate the review files"),
    "step_coverage": N_("Coverage summary"),
    "step_build": N_("Build the changed States and the regional report"),
    "step_upload_reports": N_("Upload the reports for reviewers"),
    "no_word_file": N_("No Word file submitted."),
    "imported": N_("Word files imported"),
    "imported_files": N_("The review files they give (download: Artifacts, "
                         "gcmreview-imported)"),
    "no_review_changed": N_("No review file changed: no country report to build."),
    "job_site": N_("Build the review site"),
    "step_site": N_("Build the reports and the review site"),
    "step_upload_site": N_("Upload the site for GitHub Pages"),
    "job_deploy": N_("Publish the review site on GitHub Pages"),
    "step_deploy": N_("Publish on GitHub Pages"),
}
"""What the workflow shows people (step names, its own lines in the log and the job
summary), written at init time in the workspace's main language: focal points read
the pull request's checks in that language, and GCMREVIEW_LANG makes gcmreview's
own output follow it."""


def workflow_texts(lang: str) -> dict[str, str]:
    """The workflow's texts in `lang`, as YAML double-quoted strings (JSON's are)."""
    say = Formatter(lang).gettext
    texts = {key: say(message) for key, message in WORKFLOW_TEXTS.items()}
    texts["package_missing"] = workflow_command(
        "error", say(N_("Set GCMREVIEW_PACKAGE at the top of .github/workflows/gcmreview.yml "
                        "to what pip should install, for example "
                        "git+https://github.com/gcmreview/gcmreview@v0.1.0")),
        title=say(N_("GCMREVIEW_PACKAGE is not set")))
    return {key: json.dumps(text, ensure_ascii=False) for key, text in texts.items()}


CONFIG_COMMENTS = {
    # placeholder in gcmreview.yaml: the comment there, in the workspace's main language
    "comment_intro": N_("Review workspace written by `gcmreview init`: one regional review, "
                        "one cycle. Every key is described in section 8 of the format "
                        "reference: `gcmreview docs format` says where it is."),
    "comment_languages": N_("The working languages (en, fr, ar), the main one first: the "
                            "README is written in each; the pull-request workflow and the "
                            "Word forms speak the first."),
    "comment_participants": N_("ISO 3166-1 alpha-2 codes of the States taking part, for "
                               "example [MA, DZ, TN]. `gcmreview validate` lists the ones "
                               "that have not submitted yet."),
    "comment_document": N_("When the regional report is circulated as a UN document: its "
                           "masthead (the symbol as the issuing body assigns it: never make "
                           "one up), and the acronyms the reviews use, spelled out per "
                           "language. Remove the # and fill in."),
}
"""The comments of gcmreview.yaml: the secretariat reads them in its working language."""
COMMENT_WIDTH = 88
EXAMPLE_ACRONYMS = {
    "en": "IOM: {en: International Organization for Migration}",
    "fr": "OIM: {fr: Organisation internationale pour les migrations}",
    "ar": "IOM: {ar: المنظمة الدولية للهجرة, en: International Organization for Migration}",
}
"""An acronym spelled out, as the workspace's main language writes it."""


def config_comments(lang: str) -> dict[str, str]:
    """gcmreview.yaml's comments in `lang`, as `# ` lines, and its example title."""
    import textwrap

    say = Formatter(lang).gettext

    def comment(text: str) -> str:
        # A command in backticks stays on one line: its spaces do not break, for a while.
        kept = re.sub(r"`[^`]*`", lambda m: m.group(0).replace(" ", "\u00a0"), text)
        return "\n".join("# " + line.replace("\u00a0", " ")
                         for line in textwrap.wrap(kept, COMMENT_WIDTH))

    texts = {key: comment(say(message)) for key, message in CONFIG_COMMENTS.items()}
    # The title reports show when gcmreview.yaml names none (gcmreview.model.regional).
    texts["example_title"] = say(N_("Regional review of the Global Compact for Migration"))
    texts["example_acronym"] = EXAMPLE_ACRONYMS.get(lang, EXAMPLE_ACRONYMS["en"])
    return texts


def render_files(options: InitOptions, package: str) -> dict[str, str]:
    """The new workspace's files (path relative to the workspace -> text), for a workflow
    and a README that install `package` (empty: not known yet)."""
    languages = working_languages(options)
    values = {
        "region": _yaml_region(options.region),
        "cycle": str(options.cycle),
        "participants": "[" + ", ".join(options.participants) + "]",
        "languages": "[" + ", ".join(languages) + "]",
        "lang": languages[0],
        "package": json.dumps(package),
        "rev": f"v{__version__}",
        **workflow_texts(languages[0]),
        **config_comments(languages[0]),
    }
    files = {target: fill(_template(name), values) for target, name in TEMPLATES.items()}
    files = {"gcmreview.yaml": files.pop("gcmreview.yaml"), "README.md": readme(options, package),
             **files}
    files[KEEP_FILE] = ""
    files["submissions/.gitkeep"] = ""
    files[SCHEMA_FILE] = to_json(review_schema(cat.builtin()))
    return files


@dataclass(frozen=True)
class Notice:
    """Something left for the person running `init` to do: shown as a warning."""

    about: str
    """The file concerned, as shown."""
    message: str
    hint: str


@dataclass(frozen=True)
class InitResult:
    written: list[Path]
    notices: list[Notice]


def package_notices(target: Path, package: str) -> list[Notice]:
    """Say so when the workflow cannot install gcmreview: it would stop at its first step on
    the first pull request, long after `init` ran."""
    if package:
        return []
    workflow = display_path(target / ".github" / "workflows" / "gcmreview.yml")
    return [Notice(
        workflow,
        _("GCMREVIEW_PACKAGE is empty: this gcmreview was installed from a folder or a file "
          "on this computer, which GitHub cannot install, so the workflow will stop at its "
          "first step"),
        _("set GCMREVIEW_PACKAGE at the top of {workflow}, and the install command in "
          "{readme}, to what pip should install, for example "
          "git+https://github.com/gcmreview/gcmreview@v0.1.0; or run init again with "
          "--package and --force").format(
            workflow=workflow, readme=display_path(target / "README.md")))]


def init_workspace(target: Path, options: InitOptions) -> InitResult:
    """Write a new workspace into `target`; existing files are only replaced with `force`."""
    check_options(options)
    if target.exists() and not target.is_dir():
        raise InputError(_("{path} exists and is not a folder").format(
            path=display_path(target)))
    package = options.package or installed_from()
    files = render_files(options, package)
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
                path=display_path(path), reason=os_reason(exc))) from exc
        written.append(path)
    return InitResult(written, package_notices(target, package))
