"""The review workspace: its configuration file and where things live in it.

A workspace is a folder holding `gcmreview.yaml` (region, cycle, participating
States) and a `countries/` folder with one review file per State. Commands find
it by walking up from the current folder, as git finds its repository.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gcmreview.core.diagnostics import Diagnostic, DiagnosticSink, Severity, display_path
from gcmreview.core.errors import InputError, cannot_read
from gcmreview.core.i18n import _
from gcmreview.core.indicators import ATTRIBUTES, REQUIRED
from gcmreview.load import catalogue as cat
from gcmreview.load.loader import load_bytes, load_file, position_of, review_files_in
from gcmreview.validate.schema import (
    SchemaChecker,
    config_schema,
    describe_error,
    did_you_mean,
    overrides_schema,
)

CONFIG_NAME = "gcmreview.yaml"
TRANSLATIONS_FOLDER = "translations"
"""The workspace's folder of translations (gcmreview.validate.translations)."""


class WorkspaceError(InputError):
    """The workspace configuration (or its catalogue file) is invalid; diagnostics say where."""

    def __init__(self, message: str, diagnostics: list[Diagnostic]) -> None:
        super().__init__(message, hint=_("fix the problems listed above"))
        self.diagnostics = diagnostics


Localized = str | dict[str, str]


def localize(value: Localized | None, lang: str) -> str:
    """Pick a workspace text in `lang`; a plain string serves every language."""
    return localized(value, lang)[0]


def localized(value: Localized | None, lang: str) -> tuple[str, str | None]:
    """A workspace text in `lang`, and the language it fell back to (None: no fallback)."""
    if value is None:
        return "", None
    if isinstance(value, str):
        return value, None
    if value.get(lang):
        return value[lang], None
    fallback = "en" if value.get("en") else next(iter(value))
    return value[fallback], fallback


NEXT_IMRF = 2026
"""The cycle of a review made outside any workspace: the next International Migration
Review Forum."""


@dataclass(frozen=True)
class Workspace:
    root: Path
    region: Localized
    cycle: int
    participants: tuple[str, ...]
    organisers: tuple[Localized, ...] = ()
    title: Localized | None = None
    countries_dir: Path = Path("countries")
    templates_dir: Path = Path("templates")
    output_dir: Path = Path("build")
    country_names: dict[str, Localized] = field(default_factory=dict)
    catalogue: cat.Catalogue = field(default_factory=cat.builtin)
    config_path: Path | None = None
    history: dict[int, str] = field(default_factory=dict)
    """Earlier cycles: year -> a git ref or a folder (relative to the workspace)."""
    languages: tuple[str, ...] = ()
    """The working languages, the main one first (`languages:`); empty when not given."""
    translations_required: tuple[str, ...] = ()
    """The languages every review must be translated into (`translations: {required:}`)."""
    catalogue_path: Path | None = None
    """The workspace's catalogue override file (`catalogue:`), if it names one."""
    document: dict[str, Any] = field(default_factory=dict)
    """The regional report's masthead (`document:`): symbol, distribution, date, original
    language, issuer, and whether the States' reports have it too."""
    key_messages: Localized | None = None
    """The secretariat's own key messages (Markdown), at the head of the regional report."""
    acronyms: dict[str, Localized] = field(default_factory=dict)
    """Acronym -> what it stands for, per language (`acronyms:`)."""
    data_dir: Path = Path("data")
    """The States' indicator data: `data/MA/10-7-1.csv` (`data_dir:`)."""

    @property
    def translations_dir(self) -> Path:
        """Where the reviews' translations are kept: `translations/<lang>/<CC>.xlf`."""
        return self.root / TRANSLATIONS_FOLDER

    def translation_path(self, lang: str, country: str) -> Path:
        return self.translations_dir / lang / f"{country}.xlf"

    @property
    def spelled_acronyms(self) -> frozenset[str] | None:
        """The acronyms to check texts against: None (no check) until the workspace
        starts its list, so a workspace without one is not flooded with warnings."""
        return frozenset(self.acronyms) if self.acronyms else None

    def review_path(self, country: str) -> Path:
        return self.countries_dir / f"{country}.yaml"

    def review_files(self) -> list[Path]:
        if not self.countries_dir.is_dir():
            return []
        return review_files_in(self.countries_dir)


def find_config(start: Path) -> Path | None:
    for folder in (start.resolve(), *start.resolve().parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def _checked(path: Path, schema: dict[str, Any], invalid: str) -> Any:
    """The file's data, checked; `invalid` says what is wrong when it is not."""
    shown = display_path(path)
    try:
        loaded = load_file(path, shown)
    except OSError as exc:
        raise cannot_read(shown, exc) from exc
    sink = DiagnosticSink(shown)
    sink.items.extend(loaded.diagnostics)
    if loaded.data is not None:
        for err in SchemaChecker(schema).errors(loaded.data):
            for problem in describe_error(err):
                sink.error(position_of(loaded.data, problem.path, key=problem.at_key),
                           problem.code, problem.message, problem.hint)
    if sink.items:
        raise WorkspaceError(invalid.format(file=shown), sink.items)
    return loaded.data


def _check_overrides(data: Any, shown: str, catalogue: cat.Catalogue) -> None:
    """Keys name real objectives; every language added says where its wording is from."""
    sink = DiagnosticSink(shown)
    for key in data.get("objectives") or {}:
        if type(key) is not int or key not in catalogue.objectives:
            sink.error(position_of(data, ["objectives", key], key=True), "unknown-key",
                       _("{key} is not a GCM objective number (1 to 23)").format(key=key))
    sources = data["sources"]
    entries: list[tuple[tuple[Any, ...], Any]] = [(("compact",), data.get("compact") or {})]
    for code, entry in (data.get("indicators") or {}).items():
        if "title" in entry:
            entries.append((("indicators", code, "title"), entry["title"]))
        elif code not in catalogue.indicators:
            sink.error(position_of(data, ["indicators", code], key=True), "missing-key",
                       _("indicator {code} is not in the built-in catalogue: it needs a "
                         "`title`").format(code=code),
                       _("give its title in each language the file has sources for"))
        for name in entry.get("disaggregation") or {}:
            if name in RESERVED_COLUMNS or name in catalogue.breakdowns:
                sink.error(position_of(data, ["indicators", code, "disaggregation", name],
                                       key=True), "invalid-value",
                           _("“{name}” is already a column of every data file").format(
                               name=name),
                           _("name the breakdown otherwise"))
    for group, field_names in (("objectives", ("title", "short")), ("principles", ("name",))):
        for key, entry in (data.get(group) or {}).items():
            if key not in catalogue.objectives and key not in catalogue.principles:
                continue
            entries += [((group, key, f), entry[f]) for f in field_names if f in entry]
    for path, texts in entries:
        for lang in texts:
            if lang not in sources:
                sink.error(position_of(data, [*path, lang], key=True), "catalogue-source",
                           _("wording in {lang} is given, but `sources` does not say where "
                             "it comes from").format(lang=lang),
                           _("add `{lang}:` under `sources:`, naming the official document "
                             "the wording comes from").format(lang=lang))
    if sink.items:
        raise WorkspaceError(_("the catalogue file {file} has problems").format(file=shown),
                             sink.items)


def check_catalogue_text(raw: bytes, path: Path) -> None:
    """A catalogue override file about to be written reads as the workspace will read it:
    WorkspaceError with the diagnostics otherwise."""
    shown = display_path(path)
    loaded = load_bytes(raw, path, shown)
    sink = DiagnosticSink(shown)
    sink.items.extend(loaded.diagnostics)
    catalogue = cat.builtin()
    if loaded.data is not None:
        for err in SchemaChecker(overrides_schema(catalogue)).errors(loaded.data):
            for problem in describe_error(err):
                sink.error(position_of(loaded.data, problem.path, key=problem.at_key),
                           problem.code, problem.message, problem.hint)
    if sink.items:
        raise WorkspaceError(_("the catalogue file {file} has problems").format(file=shown),
                             sink.items)
    _check_overrides(loaded.data, shown, catalogue)
RESERVED_COLUMNS = frozenset((*REQUIRED, *ATTRIBUTES))


def _links(data: Any, config_path: Path, catalogue: cat.Catalogue) -> dict[int, list[str]]:
    """`indicators:` checked: objective numbers, and indicators the catalogue has."""
    shown = display_path(config_path)
    sink = DiagnosticSink(shown)
    links: dict[int, list[str]] = {}
    for key, codes in (data.get("indicators") or {}).items():
        if type(key) is not int or key not in catalogue.objectives:
            sink.error(position_of(data, ["indicators", key], key=True), "unknown-key",
                       _("{key} is not a GCM objective number (1 to 23)").format(key=key),
                       _("list under `indicators:` the objectives by number, each with the "
                         "indicators the workspace links to it"))
            continue
        for i, code in enumerate(codes):
            if code not in catalogue.indicators:
                sink.error(position_of(data, ["indicators", key, i]), "unknown-indicator",
                           _("indicator {code} is not in the catalogue").format(code=code)
                           + did_you_mean(code, list(catalogue.indicators)),
                           _("add it to the workspace's catalogue file, with its title and "
                             "its source (see `gcmreview docs format`)"))
        links[key] = [c for c in codes if c in catalogue.indicators]
    if sink.items:
        raise WorkspaceError(_("the workspace configuration {file} has problems").format(
            file=shown), sink.items)
    return links


def load_workspace(config_path: Path) -> Workspace:
    data = _checked(config_path, config_schema(),
                    _("the workspace configuration {file} has problems"))
    if isinstance(data["cycle"], float):  # JSON Schema counts 2020.0 as an integer
        raise WorkspaceError(_("the workspace configuration {file} has problems").format(
            file=display_path(config_path)), [Diagnostic(
                display_path(config_path), position_of(data, ["cycle"]), Severity.ERROR,
                "wrong-type", _("`cycle` must be a whole number, not {value}").format(
                    value=data["cycle"]), _("write {value}").format(value=int(data["cycle"])))])
    root = config_path.parent
    # The configuration may come with a pull request: what it names, it names inside the
    # workspace (a review or catalogue file read elsewhere would show its text in the
    # messages; reports written elsewhere would leave the workspace).
    for key, default in (("catalogue", None), ("countries_dir", "countries"),
                         ("templates_dir", "templates"), ("output_dir", "build")):
        given = data.get(key) or default
        if given and not (root / given).resolve().is_relative_to(root.resolve()):
            shown = display_path(config_path)
            where = position_of(data, [key]) if key in data else position_of(data, [])
            raise WorkspaceError(
                _("the workspace configuration {file} has problems").format(file=shown),
                [Diagnostic(shown, where, Severity.ERROR, "invalid-value",
                            _("`{key}` is outside the workspace").format(key=key)
                            if key in data else
                            _("{folder} leads outside the workspace").format(folder=given),
                            _("give a path inside the workspace"))])
    catalogue = cat.builtin()
    over_path = None
    if data.get("catalogue"):
        over_path = root / data["catalogue"]
        overrides = _checked(over_path, overrides_schema(catalogue),
                             _("the catalogue file {file} has problems"))
        _check_overrides(overrides, display_path(over_path), catalogue)
        catalogue = catalogue.with_overrides(overrides, display_path(over_path))
    catalogue = catalogue.with_links(_links(data, config_path, catalogue))
    data_dir = root / data.get("data_dir", "data")
    if not data_dir.resolve().is_relative_to(root.resolve()):
        shown = display_path(config_path)
        raise WorkspaceError(
            _("the workspace configuration {file} has problems").format(file=shown),
            [Diagnostic(shown, position_of(data, ["data_dir"]), Severity.ERROR, "invalid-value",
                        _("`data_dir` is outside the workspace"),
                        _("give a folder inside the workspace, such as data"))])
    return Workspace(
        root=root,
        region=data["region"],
        cycle=data["cycle"],
        participants=tuple(data["participants"]),
        organisers=tuple(data.get("organisers") or ()),
        title=data.get("title"),
        countries_dir=root / data.get("countries_dir", "countries"),
        templates_dir=root / data.get("templates_dir", "templates"),
        output_dir=root / data.get("output_dir", "build"),
        country_names=dict(data.get("country_names") or {}),
        catalogue=catalogue,
        config_path=config_path,
        history=_history(data, config_path),
        languages=tuple(data.get("languages") or ()),
        translations_required=tuple((data.get("translations") or {}).get("required") or ()),
        catalogue_path=over_path,
        document=dict(data.get("document") or {}),
        key_messages=data.get("key_messages"),
        acronyms=dict(data.get("acronyms") or {}),
        data_dir=data_dir,
    )


def _history(data: Any, config_path: Path) -> dict[int, str]:
    """`history:` with its years checked: earlier than the workspace's own cycle."""
    history = {int(year): str(where) for year, where in (data.get("history") or {}).items()}
    for year in history:
        if year >= data["cycle"]:
            problem = _("history: {year} is not earlier than this cycle, {cycle}").format(
                year=year, cycle=data["cycle"])
        elif year < FIRST_CYCLE:
            problem = _("history: {year} is earlier than the Compact itself, adopted in "
                        "December 2018").format(year=year)
        else:
            continue
        shown = display_path(config_path)
        raise WorkspaceError(
            _("the workspace configuration {file} has problems").format(file=shown),
            [Diagnostic(shown, position_of(data, ["history", year], key=True),
                        Severity.ERROR, "invalid-value", problem,
                        _("list under `history:` the years of earlier review cycles"))])
    return dict(sorted(history.items()))


FIRST_CYCLE = 2019
"""The Compact was adopted in December 2018 (A/RES/73/195): no review cycle is earlier."""


def discover(start: Path | None = None) -> Workspace | None:
    """The workspace around `start` (default: the current folder), if there is one."""
    config = find_config(start or Path.cwd())
    return load_workspace(config) if config else None
