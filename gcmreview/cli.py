"""Command-line interface: parse arguments, call a command, print what it returns, exit.

Commands (gcmreview.commands) do the work and raise typed errors; this module
is the one place those become messages and exit codes (0 ok, 1 findings, 2
usage or I/O error, 3 a bug in gcmreview). Heavy modules are imported inside
the command that needs them: `validate` never loads pandoc, typst or rich.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from gcmreview import __version__
from gcmreview.commands.context import Context
from gcmreview.core.diagnostics import Diagnostic, display_path
from gcmreview.core.errors import GcmReviewError, UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from gcmreview.render.terminal import Line

COMMANDS: dict[str, Callable[..., int]] = {}
"""Every command, by name: typer builds the parameters of each command it is
given (15 ms for all of them), so `main` gives it only the one being run."""


def command(function: Callable[..., int]) -> Callable[..., int]:
    COMMANDS[function.__name__] = function
    return function


def make_app(names: list[str]) -> typer.Typer:
    app = typer.Typer(
        help="Validate and compile voluntary national reviews of the Global Compact for "
        "Migration.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
    )
    app.callback()(_root)
    for name in names:
        app.command(name=name)(COMMANDS[name])
    return app


class Lang(StrEnum):
    en = "en"
    fr = "fr"
    ar = "ar"


class ValidateFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


class CatalogueFormat(StrEnum):
    table = "table"
    json = "json"


class CoverageFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


class Order(StrEnum):
    imrf = "imrf"
    numeric = "numeric"


# --- printing --------------------------------------------------------------------------

_ANSI = {"error": "31", "warning": "33", "dim": "2", "bold": "1"}


def _colour(stream: Any) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def echo(lines: list[Line], stream: Any = None) -> None:
    stream = stream or sys.stdout
    colour = _colour(stream)
    for line in lines:
        code = _ANSI.get(line.style or "") if colour else None
        stream.write(f"\x1b[{code}m{line.text}\x1b[0m\n" if code else line.text + "\n")


def say(text: str) -> None:
    """A message for the person at the terminal: on stderr, so stdout stays data."""
    sys.stderr.write(text + "\n")


def diagnostics_lines(items: list[Diagnostic]) -> list[Line]:
    from gcmreview.render.terminal import Line
    from gcmreview.render.validation import format_line

    lines = []
    for d in items:
        lines.append(Line(format_line(d), "error"))
        if d.hint:
            lines.append(Line(f"    hint: {d.hint}", "dim"))
    return lines


def rich_console(width: int | None = None) -> Console:
    from rich.console import Console

    return Console(file=sys.stdout, highlight=False, soft_wrap=True, width=width)


def _version(value: bool) -> None:
    if value:
        print(f"gcmreview {__version__}")
        raise typer.Exit(0)


def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """gcmreview: GCM voluntary review compiler."""


# --- commands --------------------------------------------------------------------------

@command
def validate(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Review files or folders (default: the workspace's countries/ folder).")] = None,
    output_format: Annotated[ValidateFormat, typer.Option(
        "--format", "-f", help="text (summary table, then diagnostics), json, github or sarif.",
    )] = ValidateFormat.text,
    strict: Annotated[bool, typer.Option(help="Treat coverage gaps and other warnings as errors.")]
    = False,
    min_coverage: Annotated[float | None, typer.Option(
        min=0, max=100, help="Fail when a review covers fewer than this % of the objectives.")]
    = None,
) -> int:
    """Check review files: format, GCM rules and coverage. Exit 1 if any problem is an error."""
    from gcmreview.commands.validate import validate as run_validate
    from gcmreview.render.validation import MACHINE_FORMATS, report_lines

    run = run_validate(Context(), paths or [], strict=strict, min_coverage=min_coverage)
    if output_format is ValidateFormat.text:
        echo(report_lines(run))
    else:
        sys.stdout.write(MACHINE_FORMATS[output_format.value](run))
    return run.exit_code


@command
def catalogue(
    lang: Annotated[Lang, typer.Option(help="Language of the titles.")] = Lang.en,
    output_format: Annotated[CatalogueFormat, typer.Option("--format", "-f")] =
    CatalogueFormat.table,
) -> int:
    """Print the GCM objectives, guiding principles and IMRF round tables."""
    import json

    from gcmreview.render.catalogue import catalogue_json, catalogue_tables

    data = Context().catalogue
    if output_format is CatalogueFormat.json:
        sys.stdout.write(json.dumps(catalogue_json(data, lang.value), indent=2,
                                    ensure_ascii=False) + "\n")
        return 0
    console = rich_console()
    for table in catalogue_tables(data, lang.value):
        console.print(table)
    console.print(f"Source ({lang.value}): {data.sources.get(lang.value, '-')}", markup=False)
    return 0


@command
def schema(
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write to this file instead of printing.")] = None,
) -> int:
    """Print the JSON Schema of review files (for yaml-language-server and other editors)."""
    from gcmreview.commands.schema import schema_text, write_schema

    if output:
        write_schema(Context(), output)
    else:
        sys.stdout.write(schema_text(Context()))
    return 0


@command
def new(
    country: Annotated[str, typer.Argument(help="ISO 3166-1 alpha-2 code, e.g. MA.")],
    lang: Annotated[Lang, typer.Option(help="Language of the review and of the title comments.")]
    = Lang.en,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Where to write (default: countries/XX.yaml in the workspace).")]
    = None,
    force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False,
) -> int:
    """Write a review scaffold for a country: all objectives and principles, to fill in."""
    from gcmreview.commands.new import new as run_new

    target = run_new(Context(), country, lang.value, output, force)
    say(f"wrote {display_path(target)}; fill in the TODO texts, then run "
        f"`gcmreview validate {display_path(target)}`")
    return 0


@command
def build(
    country: Annotated[list[str] | None, typer.Option(
        "--country", "-c", help="Country code(s) of the workspace to build.")] = None,
    all_countries: Annotated[bool, typer.Option(
        "--all", help="Build every country and the regional report.")] = False,
    region: Annotated[bool, typer.Option(
        "--region", help="Build the consolidated regional report.")] = False,
    output_format: Annotated[str, typer.Option(
        "--format", "-f", help="Comma-separated: html, docx, pdf, md.")] = "html,docx,pdf",
    lang: Annotated[Lang | None, typer.Option(
        help="Report language (default: each review's own language).")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Output folder (default: the workspace's build/).")] = None,
    order: Annotated[Order, typer.Option(
        help="imrf: objectives grouped by IMRF round table; numeric: 1 to 23.")] = Order.imrf,
    force: Annotated[bool, typer.Option(
        help="Rebuild everything, even outputs that are up to date.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> int:
    """Build country and regional reports in HTML, DOCX and PDF (and Markdown).

    Builds are incremental: outputs whose inputs did not change are kept.
    """
    from gcmreview.commands.build import build as run_build

    options: dict[str, Any] = {
        "codes": country or [], "every": all_countries, "region": region,
        "formats": output_format, "lang": lang.value if lang else None, "out": out,
        "order": order.value, "force": force}
    if sys.stderr.isatty() and not quiet:
        from rich.console import Console
        from rich.progress import Progress

        with Progress(console=Console(file=sys.stderr), transient=True) as progress:
            task = progress.add_task("Building", total=None)
            outcome = run_build(Context(), **options,
                                on_done=lambda code, ok: progress.advance(task))
    else:
        outcome = run_build(Context(), **options)
    echo(diagnostics_lines([d for f in outcome.validation.files if not f.valid
                            for d in f.diagnostics]), sys.stderr)
    if not quiet:
        for code, paths in sorted(outcome.built.items()):
            say(f"built {code}: " + ", ".join(display_path(p) for p in paths))
        if outcome.up_to_date:
            say("up to date: " + ", ".join(sorted(outcome.up_to_date)))
    from gcmreview.render.terminal import Line

    echo([Line(f"not built {code}: {reason}", "error")
          for code, reason in sorted(outcome.failed.items())], sys.stderr)
    return outcome.exit_code


@command
def init(
    directory: Annotated[Path, typer.Argument(help="Folder of the new workspace (created if "
                                              "needed).")],
    region: Annotated[str, typer.Option(help="Name of the region, e.g. \"Arab region\".")],
    cycle: Annotated[int, typer.Option(help="Year of the review cycle, e.g. 2026.")],
    participants: Annotated[str, typer.Option(
        help="Comma-separated ISO codes of the participating States (can be added later).")]
    = "",
    package: Annotated[str, typer.Option(
        help="What the CI workflow pip-installs: gcmreview, gcmreview==X.Y or a git URL.")]
    = "gcmreview",
    force: Annotated[bool, typer.Option(help="Overwrite files that already exist.")] = False,
) -> int:
    """Create a review workspace for pull requests: config, countries/, README, CI, pre-commit."""
    from gcmreview.commands.init import InitOptions, init_workspace

    codes = tuple(c.strip().upper() for c in participants.split(",") if c.strip())
    for path in init_workspace(directory, InitOptions(region, cycle, codes, package, force)):
        say(f"wrote {display_path(path)}")
    say(f"next: cd {display_path(directory)} && git init && git add . && "
        "git commit -m 'Review workspace', push it, then ask each State for a pull "
        "request adding countries/XX.yaml (gcmreview new XX)")
    return 0


@command
def coverage(
    output_format: Annotated[CoverageFormat, typer.Option(
        "--format", "-f", help="table (terminal), csv, json or markdown (for a job summary).")]
    = CoverageFormat.table,
    diff_ref: Annotated[str | None, typer.Option(
        "--diff", metavar="REF", help="Compare with the review files at this git ref.")] = None,
    fail_on_regression: Annotated[bool, typer.Option(
        help="With --diff: exit 1 when a State's coverage drops.")] = False,
) -> int:
    """States × objectives and × principles; with --diff, what changed against a git ref."""
    import json

    from gcmreview.commands.coverage import coverage as run_coverage
    from gcmreview.render import coverage as show

    if fail_on_regression and diff_ref is None:
        raise UsageError("--fail-on-regression needs --diff REF",
                         hint="for example --diff origin/main --fail-on-regression")
    if diff_ref is not None and output_format is CoverageFormat.csv:
        raise UsageError("--diff has no csv output", hint="use --format table, json or markdown")
    report = run_coverage(Context(), diff_ref)
    changes = report.diff
    if changes is None:
        if output_format is CoverageFormat.csv:
            sys.stdout.write(show.matrix_csv(report.now))
        elif output_format is CoverageFormat.json:
            sys.stdout.write(json.dumps(show.matrix_json(report.now, report.region, report.cycle),
                                        indent=2, ensure_ascii=False) + "\n")
        elif output_format is CoverageFormat.markdown:
            sys.stdout.write(show.matrix_markdown(report.now, report.region, report.cycle,
                                                  report.letters,
                                                  report.names))
        else:
            _print_matrix(report.now, report.letters)
        return 0
    if output_format is CoverageFormat.json:
        sys.stdout.write(json.dumps(show.diff_json(changes), indent=2, ensure_ascii=False) + "\n")
    elif output_format is CoverageFormat.markdown:
        sys.stdout.write(show.diff_markdown(changes, report.region, report.cycle,
                                                report.names))
    else:
        rich_console().print(show.diff_table(changes))
    if fail_on_regression and report.regressions:
        say(f"coverage dropped against {diff_ref} for " + ", ".join(report.regressions))
        return 1
    return 0


def _print_matrix(now: Any, letters: dict[str, str]) -> None:
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
    for line in show.legend_text(now, letters):
        console.print(line, markup=False)


# --- the error boundary ----------------------------------------------------------------

def _print_error(exc: GcmReviewError) -> None:
    from gcmreview.render.terminal import Line
    from gcmreview.validate.workspace import WorkspaceError

    if isinstance(exc, WorkspaceError):
        echo(diagnostics_lines(exc.diagnostics), sys.stderr)
    lines = [Line(f"error: {exc.message}", "error")]
    if exc.hint:
        lines.append(Line(f"hint: {exc.hint}", "dim"))
    echo(lines, sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Entry point: the one place exceptions become messages and exit codes."""
    try:
        args = sys.argv[1:] if argv is None else argv
        named = next((a for a in args if not a.startswith("-")), None)
        app = make_app([named] if named in COMMANDS else list(COMMANDS))
        result = app(args=args, standalone_mode=False, prog_name="gcmreview")
    except typer.Exit as exc:
        return exc.exit_code
    except typer.TyperException as exc:  # typer's (vendored click) usage errors
        show = getattr(exc, "show", None)
        if show:
            show()
        else:
            print(f"Error: {exc.format_message()}", file=sys.stderr)
        return 2 if exc.exit_code == 2 else exc.exit_code
    except typer.Abort:
        return 130
    except GcmReviewError as exc:
        _print_error(exc)
        return exc.exit_code
    except OSError as exc:  # a file or folder the command could not read or write
        where = display_path(Path(exc.filename)) if exc.filename else "a file"
        print(f"error: cannot use {where}: {exc.strerror or exc}", file=sys.stderr)
        print("hint: check the path and its permissions (is it a folder where a file is "
              "expected, or the other way round?)", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception:
        import traceback

        print("internal error: this is a bug in gcmreview, please report it with the "
              "traceback below", file=sys.stderr)
        traceback.print_exc()
        return 3
    return result if isinstance(result, int) else 0
