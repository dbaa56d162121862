"""Command-line interface: parse arguments, call a command, print what it returns, exit.

Commands (gcmreview.commands) do the work and raise typed errors; this module
is the one place those become messages and exit codes (0 ok, 1 findings, 2
usage or I/O error, 3 a bug in gcmreview). Everything it prints is in the
user's language (gcmreview.core.i18n), help included. Heavy modules are
imported inside the command that needs them: `validate` never loads pandoc,
typst or rich.

No `from __future__ import annotations` here: typer then finds the parameters'
help texts once, in the functions' annotations, where `make_app` translates them.
"""

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, get_args, get_origin

import typer
from typer.models import ParameterInfo

from gcmreview import __version__
from gcmreview.commands.context import Context
from gcmreview.core import i18n
from gcmreview.core.diagnostics import Diagnostic, display_path
from gcmreview.core.errors import GcmReviewError, UsageError, os_reason
from gcmreview.core.i18n import N_, _, join, ngettext

if TYPE_CHECKING:
    from rich.console import Console

    from gcmreview.render.terminal import Line

COMMANDS: dict[str, Callable[..., int]] = {}
"""Every command, by name: typer builds the parameters of each command it is
given (15 ms for all of them), so `main` gives it only the one being run."""
HELP: dict[str, tuple[str, str]] = {}
"""Command name -> (what it does, examples), in English; translated when shown."""


def command(help: str, examples: str, name: str | None = None
            ) -> Callable[[Callable[..., int]], Callable[..., int]]:
    def register(function: Callable[..., int]) -> Callable[..., int]:
        COMMANDS[name or function.__name__] = function
        HELP[name or function.__name__] = (help, examples)
        return function

    return register


def _translate_parameters(function: Callable[..., object]) -> None:
    """Put the help and the placeholder of every option and argument in the user's language."""
    for annotation in function.__annotations__.values():
        if get_origin(annotation) is not Annotated:
            continue
        for info in get_args(annotation)[1:]:
            if isinstance(info, ParameterInfo):
                for name in ("help", "metavar"):
                    english = info.__dict__.setdefault(f"_english_{name}", getattr(info, name))
                    if english:
                        setattr(info, name, _(english))


# What typer's vendored click prints of its own, in English: given to our catalogs.
CLICK_WORDS = (N_("Usage: "), N_("Arguments"), N_("Options"), N_("Commands"),
               N_("Show this message and exit."), N_("[OPTIONS]"), N_("COMMAND"),
               N_("[ARGS]..."), N_("required"))


def _localise_click() -> None:
    from typer import core as typer_core
    from typer._click import decorators, formatting

    typer_core._ = _  # section titles
    if not hasattr(formatting.HelpFormatter, "_english_write_usage"):
        formatting.HelpFormatter._english_write_usage = formatting.HelpFormatter.write_usage  # type: ignore[attr-defined]
        decorators._english_help_option = decorators.help_option  # type: ignore[attr-defined]

    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        for word in ("[OPTIONS]", "COMMAND", "[ARGS]..."):
            args = args.replace(word, _(word))
        self._english_write_usage(prog, args, _("Usage: ") if prefix is None else prefix)

    def help_option(names: list[str]) -> Callable[[Any], Any]:
        add = decorators._english_help_option(names)  # type: ignore[attr-defined]

        def decorate(command: Any) -> Any:
            add(command)
            command.params[-1].help = _("Show this message and exit.")
            return command

        return decorate

    formatting.HelpFormatter.write_usage = write_usage  # type: ignore[method-assign]
    decorators.help_option = help_option  # type: ignore[assignment]


def make_app(names: list[str]) -> typer.Typer:
    app = typer.Typer(
        help=_("Check and compile the voluntary national reviews of the Global Compact for "
               "Migration (GCM): one YAML file per State, reports in HTML, Word and PDF, in "
               "English, French and Arabic."),
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
        rich_markup_mode=None,  # plain help: no boxes cut at 80 columns
        context_settings={"help_option_names": ["--help", "-h"], "max_content_width": 100},
    )
    _localise_click()
    _translate_parameters(_root)
    app.callback()(_root)
    for name in names:
        _translate_parameters(COMMANDS[name])
        help_text, examples = HELP[name]
        app.command(name=name, help=_(help_text),
                    epilog=_("Examples:") + "\n\n\b\n" + examples)(COMMANDS[name])
    return app


# --- printing --------------------------------------------------------------------------

_ANSI = {"error": "31", "warning": "33", "dim": "2", "bold": "1"}


def _colour(stream: Any) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _printable(text: str) -> str:
    """A file name that is not UTF-8 (Git allows one) holds surrogates that no stream can
    write: shown escaped (M\\udcffA.yaml)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def echo(lines: list["Line"], stream: Any = None) -> None:
    stream = stream or sys.stdout
    colour = _colour(stream)
    for line in lines:
        code = _ANSI.get(line.style or "") if colour else None
        text = _printable(line.text)
        stream.write(f"\x1b[{code}m{text}\x1b[0m\n" if code else text + "\n")


def say(text: str) -> None:
    """A message for the person at the terminal: on stderr, so stdout stays data."""
    sys.stderr.write(_printable(text) + "\n")


def diagnostics_lines(items: list[Diagnostic]) -> list["Line"]:
    from gcmreview.render.validation import diagnostic_lines

    return [line for d in items for line in diagnostic_lines(d)]


def rich_console(width: int | None = None) -> "Console":
    from rich.console import Console

    return Console(file=sys.stdout, highlight=False, soft_wrap=True, width=width)


def choice(value: str, allowed: tuple[str, ...], option: str) -> str:
    """An option's value among fixed words, with our own message (click's is English)."""
    if value not in allowed:
        raise UsageError(_("{option} cannot be “{value}”").format(option=option, value=value),
                         hint=_("choose among {values}").format(values=join(allowed)))
    return value


LANGS = ("en", "fr", "ar")


def _version(value: bool) -> None:
    if value:
        print(f"gcmreview {__version__}")
        raise typer.Exit(0)


def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help=N_("Print the version and exit."))] = False,
) -> None:
    """gcmreview"""


# --- commands --------------------------------------------------------------------------

@command(N_("Check review files: their format, the GCM rules and their coverage of the 23 "
            "objectives and 10 guiding principles. Exit status 1 when a problem is an "
            "error."),
         "  gcmreview validate\n"
         "  gcmreview validate countries/MA.yaml\n"
         "  gcmreview validate --strict --min-coverage 50\n"
         "  gcmreview validate --format github\n"
         "  gcmreview validate --fix countries/MA.yaml")
def validate(
    paths: Annotated[list[Path] | None, typer.Argument(
        metavar=N_("[FILE OR FOLDER]..."), show_default=False,
        help=N_("Review files or folders to check (default: the workspace's countries "
                "folder)."))] = None,
    output_format: Annotated[str, typer.Option(
        "--format", "-f", metavar=N_("FORMAT"), show_default=False,
        help=N_("text (the default: a table, then the problems), json, github (annotations "
                "on a pull request) or sarif."))] = "text",
    strict: Annotated[bool, typer.Option(
        "--strict", help=N_("Count coverage gaps and other warnings as errors."))] = False,
    min_coverage: Annotated[float | None, typer.Option(
        "--min-coverage", metavar=N_("PERCENT"), show_default=False,
        help=N_("An error when a review covers less than this share of the objectives, "
                "0 to 100."))] = None,
    allow_empty: Annotated[bool, typer.Option(
        "--allow-empty", help=N_("Succeed when there is no review file to check (by "
                                 "default, that is an error)."))] = False,
    fix: Annotated[bool, typer.Option(
        "--fix", help=N_("First correct what can be corrected safely (tabs, Word's quotes, a "
                         "status or a country written in words, Arabic-Indic digits, "
                         "invisible characters), saying what changed; then check."))] = False,
    diff: Annotated[bool, typer.Option(
        "--diff", help=N_("Show what --fix would change, as a unified diff, and write "
                          "nothing."))] = False,
) -> int:
    from gcmreview.commands.validate import validate as run_validate
    from gcmreview.render.validation import MACHINE_FORMATS, report_lines

    choice(output_format, ("text", *MACHINE_FORMATS), "--format")
    if min_coverage is not None and not 0 <= min_coverage <= 100:
        raise UsageError(_("--min-coverage is a percentage, from 0 to 100"),
                         hint=_("for example --min-coverage 50"))
    if fix or diff:
        from gcmreview.commands.validate import fix as run_fix
        from gcmreview.render.fixes import change_lines, unified_diff

        fixed = run_fix(Context(), paths or [], write=not diff, allow_empty=allow_empty)
        echo(change_lines(fixed, preview=diff), sys.stderr)
        if diff:  # the diff alone on stdout: it can go to `git apply`
            sys.stdout.write(unified_diff(fixed))
            run = run_validate(Context(), paths or [], strict=strict,
                               min_coverage=min_coverage, allow_empty=allow_empty)
            return 1 if fixed else run.exit_code
    run = run_validate(Context(), paths or [], strict=strict, min_coverage=min_coverage,
                       allow_empty=allow_empty)
    if output_format == "text":
        echo(report_lines(run))
    else:
        sys.stdout.write(MACHINE_FORMATS[output_format](run))
    return run.exit_code


@command(N_("Print the GCM objectives, guiding principles and IMRF round tables, with their "
            "official titles."),
         "  gcmreview catalogue\n"
         "  gcmreview catalogue --lang fr\n"
         "  gcmreview catalogue --format json")
def catalogue(
    lang: Annotated[str, typer.Option(
        "--lang", metavar=N_("LANGUAGE"), show_default=False,
        help=N_("Language of the titles: en, fr or ar (by default, the language of "
                "these messages)."))] = "",
    output_format: Annotated[str, typer.Option(
        "--format", "-f", metavar=N_("FORMAT"), show_default=False,
        help=N_("table (the default) or json."))] = "table",
) -> int:
    from gcmreview.render.catalogue import FORMATS, catalogue_tables

    lang = lang or i18n.language()
    choice(lang, LANGS, "--lang")
    choice(output_format, ("table", *FORMATS), "--format")
    data = Context().catalogue
    if output_format in FORMATS:
        sys.stdout.write(FORMATS[output_format](data, lang))
        return 0
    console = rich_console()
    for table in catalogue_tables(data, lang):
        console.print(table)
    console.print(_("Source ({lang}): {source}").format(
        lang=lang, source=data.sources.get(lang, "–")), markup=False)
    console.print(_("Indicator titles ({lang}): {source}").format(
        lang=lang, source=data.indicator_sources.get(lang) or _(
            "no official text sourced in this language yet: the English titles are shown")),
        markup=False)
    return 0


@command(N_("Print the JSON Schema of review files, for editors that check and complete "
            "YAML as you type."),
         "  gcmreview schema\n"
         "  gcmreview schema --output review.schema.json")
def schema(
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar=N_("FILE"), show_default=False,
        help=N_("Write the schema to this file instead of printing it."))] = None,
) -> int:
    from gcmreview.commands.schema import schema_text, write_schema

    if output:
        write_schema(Context(), output)
    else:
        sys.stdout.write(schema_text(Context()))
    return 0


@command(N_("Write a review file to fill in for a State: every objective and guiding "
            "principle, with their titles and instructions in the language chosen."),
         "  gcmreview new MA\n"
         "  gcmreview new MA --lang fr\n"
         "  gcmreview new LB --lang ar --output countries/LB.yaml\n"
         "  gcmreview new MA --from 2020")
def new(
    country: Annotated[str, typer.Argument(
        metavar=N_("COUNTRY"), show_default=False,
        help=N_("The State's two-letter ISO code, such as MA."))],
    lang: Annotated[str, typer.Option(
        "--lang", metavar=N_("LANGUAGE"), show_default=False,
        help=N_("Language of the review and of the instructions: en (the default), fr or "
                "ar."))] = "en",
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar=N_("FILE"), show_default=False,
        help=N_("Where to write it (default: countries/XX.yaml in the workspace)."))] = None,
    force: Annotated[bool, typer.Option(
        "--force", help=N_("Replace the file if it exists."))] = False,
    from_cycle: Annotated[int | None, typer.Option(
        "--from", metavar=N_("YEAR"), show_default=False,
        help=N_("Start from the State's review of this earlier cycle (named under `history:` "
                "in gcmreview.yaml): every entry is carried over, marked for checking."))]
    = None,
) -> int:
    from gcmreview.commands.new import new as run_new

    target, carried = run_new(Context(), country, choice(lang, LANGS, "--lang"), output, force,
                              from_cycle)
    for path in carried:
        say(_("wrote {path}: the earlier translations of the texts carried over").format(
            path=display_path(path)))
    if from_cycle is None:
        say(_("wrote {path}; fill in the TODO texts, then run `gcmreview validate {path}`")
            .format(path=display_path(target)))
    else:
        say(_("wrote {path}; check each entry marked carried_over and delete the mark, then "
              "run `gcmreview validate {path}`").format(path=display_path(target)))
    return 0


@command(N_("Print where the documentation installed with gcmreview is: the review file "
            "format (every key, rule code and output), or the Word form and import; with "
            "--open, open it."),
         "  gcmreview docs\n"
         "  gcmreview docs format --open\n"
         "  gcmreview docs word\n"
         "  gcmreview docs site")
def docs(
    topic: Annotated[str, typer.Argument(
        metavar=N_("[TOPIC]"), show_default=False,
        help=N_("format (the default): the review file format; word: the Word form and "
                "`gcmreview import`; site: the review site and its publication."))]
    = "format",
    open_it: Annotated[bool, typer.Option(
        "--open", help=N_("Open it with the program the system uses for such files."))]
    = False,
) -> int:
    from gcmreview.commands.docs import doc_path, open_doc

    path = doc_path(topic)
    print(path)
    if open_it:
        open_doc(path)
    return 0


@command(N_("Write the Word form of a State: a questionnaire to fill in with Word or "
            "LibreOffice instead of a YAML file, filled in with the review on file if there "
            "is one. `gcmreview import` reads it back."),
         "  gcmreview form MA\n"
         "  gcmreview form MA --lang ar --output MA-formulaire.docx\n"
         "  gcmreview form --all\n"
         "  gcmreview form MA --from 2020")
def form(
    countries: Annotated[list[str] | None, typer.Argument(
        metavar=N_("[COUNTRY]..."), show_default=False,
        help=N_("Two-letter ISO codes of the States, such as MA."))] = None,
    all_countries: Annotated[bool, typer.Option(
        "--all", help=N_("A form for every State of the workspace."))] = False,
    lang: Annotated[str | None, typer.Option(
        "--lang", metavar=N_("LANGUAGE"), show_default=False,
        help=N_("Language of the form: en, fr or ar (default: the review's language, else "
                "the workspace's first language)."))] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar=N_("FILE"), show_default=False,
        help=N_("Where to write it (default: forms/XX.docx in the workspace)."))] = None,
    blank: Annotated[bool, typer.Option(
        "--blank", help=N_("An empty form, even if the State has a review file."))] = False,
    from_cycle: Annotated[int | None, typer.Option(
        "--from", metavar=N_("YEAR"), show_default=False,
        help=N_("Fill it in with the State's review of this earlier cycle (named under "
                "`history:` in gcmreview.yaml), each section marked as carried over."))]
    = None,
    force: Annotated[bool, typer.Option(
        "--force", help=N_("Replace the file if it exists."))] = False,
) -> int:
    from gcmreview.commands.form import form as run_form

    written = run_form(Context(), countries or [], every=all_countries,
                       lang=choice(lang, LANGS, "--lang") if lang else None, output=output,
                       force=force, blank=blank, from_cycle=from_cycle)
    for path in written:
        say(_("wrote {path}").format(path=display_path(path)))
    say(ngettext("next: send the form to the focal point; when it comes back, run "
                 "`gcmreview import FILE.docx`",
                 "next: send each form to its focal point; when they come back, run "
                 "`gcmreview import FILE.docx`", len(written)))
    return 0


@command(N_("Turn Word documents into review files: forms made by `gcmreview form`, or "
            "reviews written freely in Word (headings such as “Objective 7”). Says where "
            "each part went and what could not be placed."),
         "  gcmreview import submissions/MA.docx\n"
         "  gcmreview import submissions/MA.docx --dry-run\n"
         "  gcmreview import revue-maroc-2024.docx --country MA --force\n"
         "  gcmreview import submissions/*.docx --output imported/",
         name="import")
def import_(
    files: Annotated[list[Path], typer.Argument(
        metavar=N_("FILE.docx..."), show_default=False,
        help=N_("The Word documents (.docx) to import."))],
    country: Annotated[str | None, typer.Option(
        "--country", "-c", metavar=N_("COUNTRY"), show_default=False,
        help=N_("The State the document is about (default: the form's country code, or the "
                "file name, such as MA.docx)."))] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar=N_("FILE OR FOLDER"), show_default=False,
        help=N_("Where to write (default: countries/XX.yaml in the workspace)."))] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help=N_("Show what would change, and write nothing."))] = False,
    force: Annotated[bool, typer.Option(
        "--force", help=N_("Replace a review file that exists."))] = False,
    lang: Annotated[str | None, typer.Option(
        "--lang", "--language", metavar=N_("LANGUAGE"), show_default=False,
        help=N_("Language a free-form review is written in: en, fr or ar (default: "
                "guessed from its text)."))] = None,
) -> int:
    from gcmreview.commands.imports import exit_code, import_files, report_lines

    results = import_files(Context(), files, country=country, output=output, dry_run=dry_run,
                           force=force, lang=choice(lang, LANGS, "--lang") if lang else None)
    echo(report_lines(results, dry_run=dry_run))
    return exit_code(results)


@command(N_("Translate reviews: `export` writes the file a translator works on (XLIFF for "
            "translation tools, or a bilingual Word table) for each State, into one "
            "language; `import` reads the translation back into the workspace's "
            "translations/ folder. The review files are never changed."),
         "  gcmreview translate export --lang ar MA\n"
         "  gcmreview translate export --lang ar --format docx MA DZ\n"
         "  gcmreview translate export --lang en --xliff 1.2\n"
         "  gcmreview translate export --lang ar --catalogue\n"
         "  gcmreview translate import MA.fr-ar.xlf\n"
         "  gcmreview translate import MA.fr-ar.docx --dry-run")
def translate(
    action: Annotated[str, typer.Argument(
        metavar=N_("export|import"), show_default=False,
        help=N_("export: files to translate; import: translations back."))],
    items: Annotated[list[str] | None, typer.Argument(
        metavar=N_("[COUNTRY OR FILE]..."), show_default=False,
        help=N_("export: the States (default: every review of the workspace); import: the "
                "translated files (.xlf or .docx)."))] = None,
    lang: Annotated[str | None, typer.Option(
        "--lang", metavar=N_("LANGUAGE"), show_default=False,
        help=N_("export: the language to translate into: en, fr or ar."))] = None,
    output_format: Annotated[str, typer.Option(
        "--format", "-f", metavar=N_("FORMAT"), show_default=False,
        help=N_("export: xliff (the default, for translation tools) or docx (a bilingual "
                "Word table)."))] = "xliff",
    xliff: Annotated[str, typer.Option(
        "--xliff", metavar=N_("VERSION"), show_default=False,
        help=N_("export: the XLIFF version, 2.1 (the default) or 1.2."))] = "2.1",
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar=N_("FOLDER"), show_default=False,
        help=N_("export: where to write the files (default: the build folder's translate/ "
                "folder)."))] = None,
    catalogue: Annotated[bool, typer.Option(
        "--catalogue", help=N_("export: also the catalogue's titles that have no official "
                               "text in the language, to copy from the official text."))]
    = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help=N_("import: show what would be imported, and write nothing."))]
    = False,
) -> int:
    from gcmreview.commands import translate as run

    choice(action, ("export", "import"), _("the action"))
    if action == "export":
        if lang is None:
            raise UsageError(_("--lang is missing: into which language?"),
                             hint=_("for example --lang ar"))
        choice(output_format, ("xliff", "docx"), "--format")
        result = run.export_files(Context(), items or [], lang=choice(lang, LANGS, "--lang"),
                                  word=output_format == "docx", version=xliff, output=output,
                                  catalogue=catalogue)
        echo(run.export_lines(result), sys.stderr)
        return 0
    outcomes = run.import_files(Context(), [Path(i) for i in items or []], dry_run=dry_run)
    echo(run.import_lines(outcomes, dry_run=dry_run))
    return run.exit_code(outcomes)


@command(N_("Build the reports of a workspace, as HTML, Word (DOCX) and PDF: one per State, "
            "and the regional report. Only what changed since the last build is built "
            "again."),
         "  gcmreview build --country MA\n"
         "  gcmreview build --country MA --lang ar --format pdf\n"
         "  gcmreview build --region\n"
         "  gcmreview build --all")
def build(
    country: Annotated[list[str] | None, typer.Option(
        "--country", "-c", metavar=N_("COUNTRY"), show_default=False,
        help=N_("A State of the workspace to build (repeat the option for several)."))] = None,
    all_countries: Annotated[bool, typer.Option(
        "--all", help=N_("Build every State and the regional report."))] = False,
    region: Annotated[bool, typer.Option(
        "--region", help=N_("Build the consolidated regional report."))] = False,
    output_format: Annotated[str, typer.Option(
        "--format", "-f", metavar=N_("FORMATS"), show_default=False,
        help=N_("Formats, separated by commas: html, docx, pdf, md (default: "
                "html,docx,pdf)."))] = "html,docx,pdf",
    lang: Annotated[str | None, typer.Option(
        "--lang", metavar=N_("LANGUAGE"), show_default=False,
        help=N_("Language of the reports: en, fr or ar (default: each review's own)."))]
    = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", metavar=N_("FOLDER"), show_default=False,
        help=N_("Where to write the reports (default: the workspace's build folder)."))]
    = None,
    order: Annotated[str, typer.Option(
        "--order", metavar=N_("ORDER"), show_default=False,
        help=N_("imrf (the default): objectives grouped by IMRF round table; numeric: 1 to "
                "23."))] = "imrf",
    force: Annotated[bool, typer.Option(
        "--force", help=N_("Build everything again, even reports that are up to date."))]
    = False,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help=N_("Print nothing but problems."))] = False,
) -> int:
    from gcmreview.commands.build import build as run_build
    from gcmreview.render import build as show

    options: dict[str, Any] = {
        "codes": country or [], "every": all_countries, "region": region,
        "formats": output_format,
        "lang": choice(lang, LANGS, "--lang") if lang is not None else None, "out": out,
        "order": choice(order, ("imrf", "numeric"), "--order"), "force": force}
    if sys.stderr.isatty() and not quiet:
        from rich.console import Console
        from rich.progress import Progress

        with Progress(console=Console(file=sys.stderr), transient=True) as progress:
            task = progress.add_task(_("Building"), total=None)
            outcome = run_build(Context(), **options,
                                on_done=lambda code, ok: progress.advance(task))
    else:
        outcome = run_build(Context(), **options)
    echo(diagnostics_lines(outcome.validation.left_out), sys.stderr)
    echo(show.warning_lines(outcome.warnings), sys.stderr)
    if not quiet:
        echo(show.built_lines(outcome.built, outcome.up_to_date), sys.stderr)
    echo(show.failed_lines(outcome.failed), sys.stderr)
    return outcome.exit_code


@command(N_("Build the review site of the workspace: a static, searchable site with a page "
            "per State, per objective and per guiding principle, in each language, from the "
            "same reviews as the reports. Only what changed is written again."),
         "  gcmreview site\n"
         "  gcmreview site --serve\n"
         "  gcmreview site --lang fr,ar --out public\n"
         "  gcmreview site --base-url https://example.org/review/")
def site(
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", metavar=N_("FOLDER"), show_default=False,
        help=N_("Where to write the site (default: the workspace's site folder)."))] = None,
    lang: Annotated[str, typer.Option(
        "--lang", metavar=N_("LANGUAGES"), show_default=False,
        help=N_("Languages of the site, separated by commas (default: en,fr,ar)."))]
    = "en,fr,ar",
    base_url: Annotated[str | None, typer.Option(
        "--base-url", metavar=N_("URL"), show_default=False,
        help=N_("The address the site is published at, for search engines (canonical "
                "links and a sitemap); links between pages work from any address without "
                "it."))] = None,
    force: Annotated[bool, typer.Option(
        "--force", help=N_("Write every file and the search index again."))] = False,
    serve: Annotated[bool, typer.Option(
        "--serve", help=N_("Then show the site on this computer, at http://127.0.0.1:PORT/ "
                           "(search needs a web server), until Ctrl-C."))] = False,
    port: Annotated[int, typer.Option(
        "--port", metavar=N_("PORT"), show_default=False,
        help=N_("The port of --serve (default: 8000)."))] = 8000,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help=N_("Print nothing but problems."))] = False,
) -> int:
    from gcmreview.commands.site import site as run_site
    from gcmreview.render.build import warning_lines
    from gcmreview.render.site import outcome_lines

    if not 0 < port < 65536:
        raise UsageError(_("--port must be a number from 1 to 65535"),
                         hint=_("for example --port 8000"))
    outcome = run_site(Context(), out=out, langs=lang, base_url=base_url, force=force)
    echo(diagnostics_lines(outcome.validation.left_out), sys.stderr)
    echo(warning_lines(outcome.warnings), sys.stderr)
    if not quiet:
        echo(outcome_lines(outcome.pages, display_path(outcome.out_dir), len(outcome.written),
                           len(outcome.removed), outcome.up_to_date, outcome.indexed),
             sys.stderr)
    if serve:
        from gcmreview.website import preview_server

        try:
            server = preview_server(outcome.out_dir, port)
        except OSError as exc:
            raise UsageError(_("cannot serve the site on port {port}: {reason}").format(
                port=port, reason=os_reason(exc)), hint=_("choose another with --port")) from exc
        say(_("the site is at http://127.0.0.1:{port}/ (Ctrl-C to stop)").format(
            port=server.server_address[1]))
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
    return outcome.exit_code


@command(N_("Create a review workspace for a region: its configuration, the countries "
            "folder, a README for focal points in the region's languages, a GitHub "
            "workflow that checks every pull request, and a pre-commit configuration."),
         '  gcmreview init arab-review --region "Arab region" --cycle 2026\n'
         '  gcmreview init arab-review --region "en:Arab region" --region "fr:Région arabe" '
         '\\\n      --region "ar:المنطقة العربية" --cycle 2026 --participants MA,DZ,TN \\\n'
         "      --package git+https://github.com/gcmreview/gcmreview@v0.1.0\n"
         '  gcmreview init arab-review --region "Arab region" --lang fr,ar --cycle 2026')
def init(
    directory: Annotated[Path, typer.Argument(
        metavar=N_("FOLDER"), show_default=False,
        help=N_("Folder of the new workspace (created if needed)."))],
    region: Annotated[list[str], typer.Option(
        "--region", metavar=N_("NAME"), show_default=False,
        help=N_('Name of the region, such as "Arab region"; or its name in each language, '
                'once per language: "en:Arab region", "fr:Région arabe", "ar:…"; the '
                "languages given are then the workspace's, unless --lang says otherwise."))],
    cycle: Annotated[int, typer.Option(
        "--cycle", metavar=N_("YEAR"), show_default=False,
        help=N_("Year of the review cycle, such as 2026."))],
    participants: Annotated[str, typer.Option(
        "--participants", metavar=N_("CODES"), show_default=False,
        help=N_("Two-letter codes of the States taking part, separated by commas (can be "
                "added later)."))] = "",
    package: Annotated[str, typer.Option(
        "--package", metavar=N_("REQUIREMENT"), show_default=False,
        help=N_("What the workflow installs with pip: a git URL pinned to a tag, or a "
                "release such as gcmreview==0.1.0 (default: this gcmreview's own "
                "source, when known)."))] = "",
    lang: Annotated[list[str] | None, typer.Option(
        "--lang", metavar=N_("LANGUAGES"), show_default=False,
        help=N_("Working languages of the workspace, the main one first, such as fr,ar: "
                "the README is written in each, the pull-request workflow and the Word "
                "forms speak the first (default: the languages --region names the region "
                "in, else en)."))] = None,
    force: Annotated[bool, typer.Option(
        "--force", help=N_("Replace files that already exist."))] = False,
) -> int:
    from gcmreview.commands.init import (
        InitOptions,
        init_workspace,
        language_codes,
        region_names,
    )
    from gcmreview.render.terminal import Line
    from gcmreview.render.validation import hint_lines

    codes = tuple(c.strip().upper() for c in participants.split(",") if c.strip())
    options = InitOptions(region_names(region), cycle, codes, package, force,
                          language_codes(lang or []))
    result = init_workspace(directory, options)
    for path in result.written:
        say(_("wrote {path}").format(path=display_path(path)))
    for notice in result.notices:
        echo([Line(_("warning: {document}: {message}").format(
            document=notice.about, message=notice.message), "warning"),
              *hint_lines(notice.hint, indent="")], sys.stderr)
    say(_("next: put the folder in a git repository on GitHub (cd {folder} && git init && "
          "git add . && git commit -m \"Review workspace\"), push it, and send focal points "
          "its README").format(folder=display_path(directory)))
    return 0


@command(N_("Show which States cover which objectives and guiding principles; with --diff, "
            "what changed against a git ref (a branch, a tag)."),
         "  gcmreview coverage\n"
         "  gcmreview coverage --format csv > coverage.csv\n"
         "  gcmreview coverage --diff origin/main --format markdown\n"
         "  gcmreview coverage --diff origin/main --fail-on-regression")
def coverage(
    output_format: Annotated[str, typer.Option(
        "--format", "-f", metavar=N_("FORMAT"), show_default=False,
        help=N_("table (the default, for the terminal), csv, json or markdown (for a job "
                "summary)."))] = "table",
    diff_ref: Annotated[str | None, typer.Option(
        "--diff", metavar=N_("REF"), show_default=False,
        help=N_("Compare with the review files at this git ref."))] = None,
    fail_on_regression: Annotated[bool, typer.Option(
        "--fail-on-regression",
        help=N_("With --diff: exit status 1 when a State no longer covers an objective or "
                "guiding principle it covered."))] = False,
) -> int:
    from gcmreview.commands.coverage import coverage as run_coverage
    from gcmreview.render import coverage as show

    choice(output_format, ("table", *show.MATRIX_FORMATS), "--format")
    if fail_on_regression and diff_ref is None:
        raise UsageError(_("--fail-on-regression needs --diff REF"),
                         hint=_("for example --diff origin/main --fail-on-regression"))
    if diff_ref is not None and output_format not in ("table", *show.DIFF_FORMATS):
        raise UsageError(_("--diff has no {format} output").format(format=output_format),
                         hint=_("use --format {formats}").format(
                             formats=join(["table", *show.DIFF_FORMATS])))
    report = run_coverage(Context(), diff_ref)
    echo(diagnostics_lines(report.unread), sys.stderr)
    formats = show.DIFF_FORMATS if report.diff else show.MATRIX_FORMATS
    if output_format in formats:
        sys.stdout.write(formats[output_format](report))
    elif report.diff is None:
        _print_matrix(report.now, report.letters, report.principles)
    else:
        rich_console().print(show.diff_table(report.diff, report.principles))
    if fail_on_regression and report.regressions:
        from gcmreview.render.terminal import Line

        echo([Line(show.regression_line(d, report.principles), "error")
              for d in report.regressions], sys.stderr)
        return 1
    return 0


@command(N_("Show what moved since an earlier review cycle (named under `history:` in "
            "gcmreview.yaml): per State and objective, the status then and now, guiding "
            "principles gained and lost, coverage then and now."),
         "  gcmreview progress\n"
         "  gcmreview progress --since 2020 --format markdown >> summary.md\n"
         "  gcmreview progress --format csv > progress.csv\n"
         "  gcmreview progress --fail-on-regression")
def progress(
    since: Annotated[int | None, typer.Option(
        "--since", metavar=N_("YEAR"), show_default=False,
        help=N_("The earlier cycle to compare with (default: the latest one under "
                "`history:`)."))] = None,
    output_format: Annotated[str, typer.Option(
        "--format", "-f", metavar=N_("FORMAT"), show_default=False,
        help=N_("table (the default), csv, json or markdown (for a job summary)."))] = "table",
    fail_on_regression: Annotated[bool, typer.Option(
        "--fail-on-regression",
        help=N_("Exit status 1 when a State moved an objective back, no longer reports an "
                "objective or guiding principle it reported, or has no review any more."))]
    = False,
) -> int:
    from gcmreview.commands.progress import compare
    from gcmreview.render import progress as show

    choice(output_format, ("table", *show.FORMATS), "--format")
    report, names, left_out = compare(Context(), since)
    echo(diagnostics_lines(left_out), sys.stderr)  # why files were left out
    if output_format in show.FORMATS:
        sys.stdout.write(show.FORMATS[output_format](report, names))
    else:
        echo(show.text_lines(report))
    if fail_on_regression and report.regressions:
        echo(show.regression_lines(report), sys.stderr)
        return 1
    return 0


def _print_matrix(now: Any, letters: dict[str, str], principles: dict[str, str]) -> None:
    from rich.measure import Measurement

    from gcmreview.render import coverage as show

    console = rich_console()
    tables = show.matrix_tables(now, letters)
    wide = max(Measurement.get(console, console.options.update(width=1000), t).maximum
               for t in tables)
    if wide > console.width:  # wrap lines rather than squeeze the cells unreadable
        console = rich_console(width=wide)
    for table in tables:
        console.print(table)
    for line in show.legend_text(now, principles):
        console.print(line, markup=False)


# --- the error boundary ----------------------------------------------------------------

def _print_error(exc: GcmReviewError) -> None:
    from gcmreview.render.terminal import Line
    from gcmreview.render.validation import hint_lines
    from gcmreview.validate.workspace import WorkspaceError

    if isinstance(exc, WorkspaceError):
        echo(diagnostics_lines(exc.diagnostics), sys.stderr)
    lines = [Line(_("error: {message}").format(message=exc.message), "error")]
    if exc.hint:
        lines += hint_lines(exc.hint, indent="")
    echo(lines, sys.stderr)


def _usage_message(exc: Any, args: list[str]) -> tuple[str, str | None]:
    """click's usage errors, in our words and the user's language."""
    from typer._click import exceptions as click

    named = next((a for a in args if not a.startswith("-")), None)
    again = _("see `gcmreview {command} --help`").format(command=named) \
        if named in COMMANDS else _("see `gcmreview --help`")
    if isinstance(exc, click.NoSuchOption):
        close = [p for p in (exc.possibilities or ())]
        return (_("unknown option {option}").format(option=exc.option_name)
                + (_(" (did you mean {option}?)").format(option=close[0]) if close else ""),
                again)
    if isinstance(exc, click.MissingParameter):
        param = exc.param
        name = (param.opts[0] if param is not None and param.opts and
                param.param_type_name == "option" else (param.metavar if param else "?"))
        return _("{name} is missing").format(name=name), again
    if isinstance(exc, click.BadParameter):
        param = exc.param
        name = param.opts[0] if param is not None and param.opts else "?"
        return _("the value given to {name} is not valid").format(name=name), again
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    if message.startswith("No such command"):
        return (_("unknown command “{name}”").format(name=named),
                _("the commands: {names}").format(names=join(list(COMMANDS))))
    if "extra argument" in message:
        extra = message.rsplit("(", 1)[-1].rstrip(")")  # "argument(s) (AQ)"
        return _("unexpected argument: {extra}").format(extra=extra), again
    if "requires an argument" in message:
        option = message.split()[0]
        return _("{option} needs a value").format(option=option), again
    return message, again


_TERMINATED = [False]
"""Set when SIGTERM, not Ctrl-C, stopped the command: it exits 143, as CI expects."""


GC_THRESHOLDS = (100_000, 50, 100)
"""Python's cyclic garbage collector, run less often than its default (700, 10, 10).
A build holds every review it loaded, and the collector went through all of them again
and again: 1.3-1.8 s of the 7.1-7.7 s of Python CPU in build --all of the bench's 193
States (measured: 5.85 s with these thresholds, 5.8 s with no collection at all; the
process's peak memory 225 -> 226 MB). Reference counting frees nearly everything a
build makes; the rare cycles are still collected."""


def _terminate_as_interrupt() -> None:
    """SIGTERM (CI cancelling a job, `kill`) stops a build as Ctrl-C does: workers
    stopped, the staging folder removed, earlier reports left as they were."""
    import os
    import signal
    import threading

    owner = os.getpid()

    def interrupt(_signum: int, _frame: object) -> None:
        if os.getpid() != owner:  # a forked child (validate's pool): end as SIGTERM asks
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        _TERMINATED[0] = True
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, interrupt)


def _interrupted() -> int:
    say(_("interrupted"))
    return 143 if _TERMINATED[0] else 130


def main(argv: list[str] | None = None) -> int:
    """Entry point: the one place exceptions become messages and exit codes."""
    import gc

    from typer._click import exceptions as click

    i18n.use(i18n.detect_language())
    args = sys.argv[1:] if argv is None else argv
    gc.set_threshold(*GC_THRESHOLDS)
    _terminate_as_interrupt()
    try:
        named = next((a for a in args if not a.startswith("-")), None)
        app = make_app([named] if named in COMMANDS else list(COMMANDS))
        result = app(args=args, standalone_mode=False, prog_name="gcmreview")
        if result == 130:  # typer's answer to Ctrl-C (and to SIGTERM, made one above)
            return _interrupted()
    except typer.Exit as exc:
        return exc.exit_code
    except click.NoArgsIsHelpError as exc:
        print(exc.ctx.get_help() if exc.ctx else "", file=sys.stderr)
        return 2
    except click.UsageError as exc:
        message, hint = _usage_message(exc, args)
        _print_error(UsageError(message, hint=hint))
        return 2
    except typer.Abort:  # click's name for Ctrl-C at a prompt
        return _interrupted()
    except GcmReviewError as exc:
        _print_error(exc)
        return exc.exit_code
    except OSError as exc:  # a file or folder the command could not read or write
        where = display_path(Path(exc.filename)) if exc.filename else _("a file")
        _print_error(UsageError(
            _("cannot use {path}: {reason}").format(path=where, reason=os_reason(exc)),
            hint=_("check the path and its permissions (is it a folder where a file is "
                   "expected, or the other way round?)")))
        return 2
    except KeyboardInterrupt:
        return _interrupted()
    except Exception:
        import traceback

        say(_("internal error: this is a bug in gcmreview; please report it with the "
              "traceback below"))
        traceback.print_exc()
        return 3
    return result if isinstance(result, int) else 0
