"""Command-line interface: parse arguments, call the library, print, exit.

All work happens in the library; its typed errors become messages and exit
codes here (0 ok, 1 findings, 2 usage or I/O error, 3 a bug in gcmreview).
"""

from __future__ import annotations

import json
import sys
import traceback
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from gcmreview import __version__
from gcmreview.commands.new import scaffold
from gcmreview.core.diagnostics import display_path
from gcmreview.core.errors import GcmReviewError, UsageError
from gcmreview.load import catalogue as cat
from gcmreview.render.validation import MACHINE_FORMATS, format_line, report_text
from gcmreview.validate.checks import Options, expand_paths, validate_files
from gcmreview.validate.schema import review_schema, to_json
from gcmreview.validate.workspace import Workspace, WorkspaceError, discover
from gcmreview.write.files import write_atomic

app = typer.Typer(
    help="Validate and compile voluntary national reviews of the Global Compact for Migration.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


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


def stdout() -> Console:
    return Console(file=sys.stdout, highlight=False, soft_wrap=True)


def stderr() -> Console:
    return Console(file=sys.stderr, highlight=False, soft_wrap=True)


def _workspace() -> Workspace | None:
    return discover(Path.cwd())


def _version(value: bool) -> None:
    if value:
        print(f"gcmreview {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """gcmreview: GCM voluntary review compiler."""


@app.command()
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
    workspace = _workspace()
    whole_workspace = not paths
    if not paths:
        if workspace is None:
            default = Path("countries")
            if not default.is_dir():
                raise UsageError("no review files given and no workspace found here",
                                 hint="run inside a workspace (a folder with gcmreview.yaml) "
                                 "or name the files to check")
            paths = [default]
        else:
            paths = [workspace.countries_dir]
    catalogue = workspace.catalogue if workspace else cat.builtin()
    options = Options(strict=strict, min_coverage=min_coverage,
                      participants=workspace.participants if workspace else None,
                      cycle=workspace.cycle if workspace else None,
                      report_missing=whole_workspace and workspace is not None)
    run = validate_files(expand_paths(paths), catalogue, options, keep_data=False)
    if output_format is ValidateFormat.text:
        report_text(run, stdout())
    else:
        sys.stdout.write(MACHINE_FORMATS[output_format.value](run))
    return run.exit_code


@app.command()
def catalogue(
    lang: Annotated[Lang, typer.Option(help="Language of the titles.")] = Lang.en,
    output_format: Annotated[CatalogueFormat, typer.Option("--format", "-f")] =
    CatalogueFormat.table,
) -> int:
    """Print the GCM objectives, guiding principles and IMRF round tables."""
    workspace = _workspace()
    data = workspace.catalogue if workspace else cat.builtin()
    code = lang.value
    if output_format is CatalogueFormat.json:
        sys.stdout.write(json.dumps(catalogue_json(data, code), indent=2, ensure_ascii=False)
                         + "\n")
        return 0
    console = stdout()
    marker = f" [fallback: no official {code} text]"
    objectives = Table(title=f"GCM objectives ({code})", title_justify="left")
    for column in ("#", "Round table", "Short label", "Title"):
        objectives.add_column(column)
    for o in data.objectives.values():
        title, short = o.title(code), o.short(code)
        objectives.add_row(str(o.number), f"RT{o.round_table}",
                           Text(short.text + (marker if short.fallback else "")),
                           Text(title.text + (marker if title.fallback else "")))
    principles = Table(title=f"Guiding principles ({code})", title_justify="left")
    for column in ("Letter", "Slug", "Name"):
        principles.add_column(column)
    for p in data.principles.values():
        name = p.name(code)
        principles.add_row(f"({p.letter})", p.slug,
                           Text(name.text + (marker if name.fallback else "")))
    console.print(objectives)
    console.print(principles)
    console.print(f"Source ({code}): {data.sources.get(code, '-')}", markup=False)
    return 0


def catalogue_json(data: cat.Catalogue, lang: str) -> dict[str, object]:
    def label(item: cat.Label) -> dict[str, object]:
        return {"text": item.text, "lang": item.lang, "fallback": item.fallback}

    return {
        "language": lang,
        "compact": label(data.compact_name(lang)),
        "objectives": [{"number": o.number, "round_table": o.round_table,
                        "title": label(o.title(lang)), "short": label(o.short(lang))}
                       for o in data.objectives.values()],
        "principles": [{"slug": p.slug, "letter": p.letter, "name": label(p.name(lang))}
                       for p in data.principles.values()],
        "round_tables": {str(k): list(v) for k, v in data.round_tables.items()},
        "missing": data.missing(lang),
        "source": data.sources.get(lang),
    }


@app.command()
def schema(
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write to this file instead of printing.")] = None,
) -> int:
    """Print the JSON Schema of review files (for yaml-language-server and other editors)."""
    workspace = _workspace()
    text = to_json(review_schema(workspace.catalogue if workspace else cat.builtin()))
    if output:
        write_atomic(output, text.encode())
    else:
        sys.stdout.write(text)
    return 0


@app.command()
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
    import pycountry

    code = country.strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise UsageError(f"{country!r} is not an ISO 3166-1 alpha-2 country code",
                         hint="for example MA for Morocco, LB for Lebanon")
    workspace = _workspace()
    target = output or (workspace.review_path(code) if workspace
                        else Path("countries") / f"{code}.yaml")
    if target.exists() and not force:
        raise UsageError(f"{display_path(target)} already exists",
                         hint="use --force to overwrite it")
    root = workspace.root if workspace else Path.cwd()
    schema_file = root / "review.schema.json"
    catalogue = workspace.catalogue if workspace else cat.builtin()
    if not schema_file.exists():
        write_atomic(schema_file, to_json(review_schema(catalogue)).encode())
    import os

    ref = Path(os.path.relpath(schema_file.resolve(), target.resolve().parent)).as_posix()
    cycle = workspace.cycle if workspace else 2026
    write_atomic(target, scaffold(code, lang.value, cycle, catalogue, ref).encode())
    stderr().print(f"wrote {display_path(target)}; fill in the TODO texts, then run "
                   f"`gcmreview validate {display_path(target)}`", markup=False)
    return 0


class Order(StrEnum):
    imrf = "imrf"
    numeric = "numeric"


@app.command()
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
    from gcmreview.pipeline import BuildOptions, parse_formats
    from gcmreview.pipeline import build as run_build

    workspace = _workspace()
    if workspace is None:
        raise UsageError("no workspace found (no gcmreview.yaml here or above)",
                         hint="run inside a review workspace, or create one")
    options = BuildOptions(countries=tuple(country or ()), all=all_countries, region=region,
                           force=force,
                           formats=parse_formats(output_format),
                           lang=lang.value if lang else None, out_dir=out, order=order.value)
    console = stderr()
    interactive = console.is_terminal and not quiet
    if interactive:
        from rich.progress import Progress

        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("Building", total=None)
            outcome = run_build(workspace, options,
                                on_done=lambda code, ok: progress.advance(task))
    else:
        outcome = run_build(workspace, options)
    problems = [d for f in outcome.validation.files if not f.valid for d in f.diagnostics]
    for d in problems:
        console.print(format_line(d), markup=False, style="red")
        if d.hint:
            console.print(f"    hint: {d.hint}", markup=False, style="dim")
    if not quiet:
        for code, paths in sorted(outcome.built.items()):
            console.print(f"built {code}: " + ", ".join(display_path(p) for p in paths),
                          markup=False)
        if outcome.up_to_date:
            console.print("up to date: " + ", ".join(sorted(outcome.up_to_date)), markup=False)
    for code, reason in sorted(outcome.failed.items()):
        console.print(f"not built {code}: {reason}", markup=False, style="red")
    return outcome.exit_code


@app.command()
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
    written = init_workspace(directory, InitOptions(region, cycle, codes, package, force))
    console = stderr()
    for path in written:
        console.print(f"wrote {display_path(path)}", markup=False)
    console.print(f"next: cd {display_path(directory)} && git init && git add . && "
                  "git commit -m 'Review workspace', push it, then ask each State for a pull "
                  "request adding countries/XX.yaml (gcmreview new XX)", markup=False)
    return 0


class CoverageFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


def _country_names(workspace: Workspace, codes: list[str]) -> dict[str, str]:
    """English names for the summaries, the workspace's own names first."""
    from gcmreview.core.i18n import Formatter
    from gcmreview.validate.workspace import localize

    fmt = Formatter("en")
    return {c: localize(workspace.country_names[c], "en") if c in workspace.country_names
            else fmt.country(c) for c in codes}


@app.command()
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
    from gcmreview.load import gitref
    from gcmreview.model import matrix
    from gcmreview.validate.workspace import localize

    workspace = _workspace()
    if workspace is None:
        raise UsageError("no workspace found (no gcmreview.yaml here or above)",
                         hint="run inside a review workspace, or create one with gcmreview init")
    if fail_on_regression and diff_ref is None:
        raise UsageError("--fail-on-regression needs --diff REF",
                         hint="for example --diff origin/main --fail-on-regression")
    if diff_ref is not None and output_format is CoverageFormat.csv:
        raise UsageError("--diff has no csv output", hint="use --format table, json or markdown")
    catalogue = workspace.catalogue
    options = Options(participants=workspace.participants, cycle=workspace.cycle)
    run = validate_files(workspace.review_files(), catalogue, options,
                         keep_data=diff_ref is not None)
    now = matrix.snapshot(run.files, catalogue, workspace.participants)
    letters = {slug: p.letter for slug, p in catalogue.principles.items()}
    region = localize(workspace.region, "en")
    title = f"GCM review coverage: {region}, cycle {workspace.cycle}"
    if diff_ref is None:
        if output_format is CoverageFormat.csv:
            sys.stdout.write(matrix.matrix_csv(now))
        elif output_format is CoverageFormat.json:
            sys.stdout.write(json.dumps(matrix.matrix_json(now, region, workspace.cycle),
                                        indent=2, ensure_ascii=False) + "\n")
        elif output_format is CoverageFormat.markdown:
            sys.stdout.write(matrix.matrix_markdown(
                now, title, letters, _country_names(workspace, list(now.states))))
        else:
            from rich.measure import Measurement

            console = stdout()
            tables = matrix.matrix_tables(now, letters)
            wide = max(Measurement.get(console, console.options.update(width=1000), t).maximum
                       for t in tables)
            if wide > console.width:  # wrap lines rather than squeeze the cells unreadable
                console = Console(file=sys.stdout, highlight=False, soft_wrap=True, width=wide)
            for table in tables:
                console.print(table)
            for line in matrix.legend_text(now, letters):
                console.print(line, markup=False)
        return 0
    base = gitref.reviews_at(diff_ref, workspace.countries_dir, catalogue, options)
    before = matrix.snapshot(base.files, catalogue, workspace.participants)
    result = matrix.diff(before, now, diff_ref, base.commit)
    if output_format is CoverageFormat.json:
        sys.stdout.write(json.dumps(matrix.diff_json(result), indent=2, ensure_ascii=False)
                         + "\n")
    elif output_format is CoverageFormat.markdown:
        codes = sorted({*now.states, *(d.country for d in result.states)})
        sys.stdout.write(matrix.diff_markdown(result, title, _country_names(workspace, codes)))
    else:
        stdout().print(matrix.diff_table(result))
    if fail_on_regression and result.regressions:
        stderr().print("coverage dropped against " + diff_ref + " for "
                       + ", ".join(d.country for d in result.regressions), markup=False)
        return 1
    return 0


def _print_error(exc: GcmReviewError) -> None:
    console = stderr()
    if isinstance(exc, WorkspaceError):
        for d in exc.diagnostics:
            console.print(format_line(d), markup=False)
            if d.hint:
                console.print(f"    hint: {d.hint}", markup=False)
    console.print(f"error: {exc.message}", markup=False)
    if exc.hint:
        console.print(f"hint: {exc.hint}", markup=False)


def main(argv: list[str] | None = None) -> int:
    """Entry point: the one place exceptions become messages and exit codes."""
    try:
        result = app(args=argv, standalone_mode=False, prog_name="gcmreview")
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
        print("internal error: this is a bug in gcmreview, please report it with the "
              "traceback below", file=sys.stderr)
        traceback.print_exc()
        return 3
    return result if isinstance(result, int) else 0
