"""Render report skeletons: Jinja templates to Markdown.

Templates are trusted; the values they receive are not. Every value lands in
the Markdown escaped (`md` filter), and narratives are never pasted in: the
`narrative` filter leaves a placeholder div that the pandoc step fills with the
narrative parsed on its own, so a narrative cannot change the document around
it. Workspace templates override the built-in ones file by file.
"""

from __future__ import annotations

import contextlib
import re
import traceback
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
import jinja2.sandbox

from gcmreview.core.errors import TemplateError
from gcmreview.core.i18n import Formatter, _
from gcmreview.core.languages import direction
from gcmreview.core.markdown import escape as md
from gcmreview.core.markdown import one_line
from gcmreview.core.narrative import key as narrative_key
from gcmreview.model.review import Narrative, Phrase, Text
from gcmreview.model.text import Citation
from gcmreview.render.tables import ISOLATES, DataTables, Table, marked, raw_formats

COLONS = {"fr": "\u00a0:"}
"""French sets a (no-break) space before a colon."""
SEMICOLONS = {"fr": "\u00a0;", "ar": "\u061b"}
"""French sets a (no-break) space before a semicolon; Arabic has a semicolon of its own."""


def builtin_templates_dir() -> Path:
    """Installed wheels carry the templates inside the package; a source tree at its top."""
    packaged = Path(str(resources.files("gcmreview"))) / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


def template_dirs(workspace_templates: Path | None) -> list[Path]:
    dirs = []
    if workspace_templates is not None and workspace_templates.is_dir():
        dirs.append(workspace_templates.resolve())
    builtin = builtin_templates_dir().resolve()
    if builtin not in dirs:
        dirs.append(builtin)
    return dirs


def find_template_file(name: str, dirs: Sequence[Path]) -> Path:
    """A non-Jinja template (pandoc template, reference.docx), first match wins."""
    for folder in dirs:
        if (folder / name).is_file():
            return folder / name
    raise TemplateError(_("the template {name} is not there").format(name=name),
                        hint=_("looked in: {folders}").format(
                            folders=", ".join(str(d) for d in dirs)))


@dataclass
class NarrativeSlots:
    """Narratives met while rendering, by the key their placeholder carries."""

    items: dict[str, str] = field(default_factory=dict)

    def add(self, narrative: Narrative) -> str:
        ref = narrative_key(narrative.markdown)
        self.items[ref] = narrative.markdown
        return ref


@jinja2.pass_context
def _narrative(ctx: jinja2.runtime.Context, value: Narrative | None,
               numbered: bool = True) -> str:
    """A narrative's placeholder. Its paragraphs are numbered where it stands as a block of
    its own, unless `numbered` is false (a summary up front, as the key messages)."""
    if value is None:
        return ""
    ref = ctx["narratives"].add(value)
    # An original shown among translated texts says its language first: “(FR)”.
    label = f'\n\n*[({md(value.label)})]{{lang="{value.lang}" dir="{value.dir}"}}*' \
        if value.label else ""
    kind = ".narrative" if numbered else ".narrative .unnumbered"
    return (f'{label}\n\n::: {{{kind} ref="{ref}" lang="{value.lang}" '
            f'dir="{value.dir}"}}\n:::\n\n')


FOREIGN_SPAN = re.compile("^\\[([\u2066\u2067])(.*)\u2069\\](\\{.*\\})$", re.DOTALL)
"""An item written by `span` in the other direction: `[⁦text⁩]{lang="en" dir="ltr"}`."""
KEPT_WHOLE = 48
"""Characters: an item of the other direction up to this long is never broken across lines
in a list (a broken one ends one line and starts the next, at opposite sides of the page)."""


def _first_strong(text: str) -> str | None:
    """The direction of the first letter that has one (Unicode's bidi classes)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return None


def _joined(items: Sequence[object], lang: str) -> list[str]:
    """Items about to be joined in running text (a list, an enumeration, citations): each
    of the other direction isolated (LRI or RLI … PDI), so that the separators and
    conjunctions of the report's language stay between the items and in their order; a
    short one also kept whole on its line (class `keep`: a box in typst, no wrapping in
    HTML; Word and LibreOffice have no such thing, and LibreOffice cut words of an item
    made of no-break spaces)."""
    out = []
    for item in items:
        text = str(item)
        span = FOREIGN_SPAN.match(text)
        if span is None:
            own = _first_strong(text)
            if own is not None and own != direction(lang):
                start, end = ISOLATES[own]
                text = f"{start}{text}{end}"
        elif len(span.group(2)) <= KEPT_WHOLE:
            text = f"[{span.group(1)}{span.group(2)}\u2069]{{.keep {span.group(3)[1:]}"
        out.append(text)
    return out


GLUED = re.compile("(\\w)(\\[?[\u2066\u2067])")
"""A conjunction written onto the isolated item after it (Arabic `و` before an English
title): a no-break space between them, so that the و does not stand glued to a Latin
letter ("وInformation provision") and no line ends with it alone."""


KEPT_GLUED = re.compile("(\\w)\u00a0(\\[[\u2066\u2067](?:\\\\.|[^\\]\\\\])*\u2069\\]"
                        "\\{\\.keep [^}]*\\})")
"""The conjunction before an item kept whole (`_joined`): kept with it, in a box of their
own (Chromium broke a line between the no-break space and a box that never breaks)."""


def _list(fmt: Formatter, items: Sequence[object], lang: str) -> str:
    glued = GLUED.sub("\\1\u00a0\\2", fmt.list(_joined(items, lang)))
    return KEPT_GLUED.sub("[\\1\u00a0\\2]{.keep}", glued)


@jinja2.pass_context
def _span(ctx: jinja2.runtime.Context, value: Text | Phrase | str) -> str:
    """Text in the report, marked with its own language when it differs, and isolated
    when its direction differs; a fallback's "(EN)" marker stays inside with it."""
    return marked(value, ctx["lang"])


@jinja2.pass_context
def _ltr(ctx: jinja2.runtime.Context, code: str) -> str:
    """A code read left to right (10.c.1) inside a right-to-left report: isolated, or the
    bidirectional algorithm turns it into “c.1.10”."""
    if direction(ctx["lang"]) == "rtl":
        start, end = ISOLATES["ltr"]
        return f"{start}{md(code)}{end}"
    return md(code)


@dataclass
class FigureNumbers:
    """Figures are numbered in the order the skeleton places them; tables (`_table_title`)
    apart, in theirs."""

    count: int = 0
    tables: int = 0
    texts: dict[str, dict[str, str]] = field(default_factory=dict)
    """Number -> the figure's texts that are plain text (`_figure`): the converter gives
    them to every format as they are. A chart's text alternative names every value: as
    Markdown in the skeleton, it was read, walked and put together again for each
    figure and format."""


@dataclass
class SourceNotes:
    """Source notes are written in the order the skeleton places them, which is the
    document's: a note citing alone the source the note before it cited alone is
    "Ibid.", as United Nations documents write it."""

    last: int | None = None
    """The source the previous note cited alone."""
    named: set[int] = field(default_factory=set)
    """The sources a note has named in full: a later one cites them by short title."""


@jinja2.pass_context
def _note(ctx: jinja2.runtime.Context, sources: Sequence[object]) -> str:
    """The text of a footnote citing `sources` (Citation), as Markdown: each source named
    with where in it ("Rapport…, 13 août 2020, par. 6"; by its short title once named, if
    it has one), or "Ibid., par. 10" after a note citing that source alone. Anything else
    is written as the `span` filter writes it."""
    lang = ctx["lang"]
    fmt = Formatter(lang, report=True)
    items = list(sources)
    cited = [item for item in items if isinstance(item, Citation)]
    if not cited or len(cited) < len(items):
        return fmt.semicolons(_joined([marked(item, lang) if isinstance(
            item, (str, Text, Phrase, Citation)) else str(item) for item in items], lang))
    # A skeleton rendered without the sequence (none of gcmreview's): no "Ibid.".
    notes: SourceNotes = ctx.get("source_notes") or SourceNotes()
    alone = cited[0].number if len(cited) == 1 else None
    texts = [cited[0].ibid] if alone is not None and alone == notes.last \
        else [c.again if c.number in notes.named else c.full for c in cited]
    notes.last = alone
    notes.named.update(c.number for c in cited)
    # Each text is in the report's language, a title in another marked and isolated
    # inside it: not isolated as a whole (`_joined`), which would set an Arabic note
    # that starts with a French title left to right.
    text = fmt.semicolons([marked(text, lang) for text in texts])
    # The template ends the note with a full stop: not a second one after "Ibid.", nor
    # after a title in another language that ends with one (it goes: the note's stop is
    # the report's, where the report's punctuation goes).
    text = _FOREIGN_END_STOP.sub(r"\1\2", text)
    return text[:-2] if text.endswith("\\.") else text[:-1] if text.endswith(".") else text


_FOREIGN_END_STOP = re.compile(r'\\?\.(\u2069?)(\]\{lang="[^"]*" dir="[^"]*"\})$')
"""A span of another language (render/tables.py `marked`) at the end of a note, its text
ending with a full stop (escaped or not), isolated or not."""


NUMBER = "\ue000"
"""Where the figure's number goes in its translated label."""


@jinja2.pass_context
def _figure(ctx: jinja2.runtime.Context, name: str, title: str, alt: str | None = None,
            source: str | None = None) -> str:
    """A figure placeholder. The texts every format shows around the picture go beside the
    skeleton, as plain text (`FigureNumbers.texts`): its label and title, above it
    ("Figure 1." cut at the number: `before`, `after`), its text alternative (`alt`), the
    words that introduce its data as a table (`table`: the table that follows the
    placeholder, in a `.figure-data` div) and the annex's title (`annex`). Its source,
    below it, is Markdown (an indicator's sources are marked with their language): the
    placeholder holds it. `source`: Markdown the skeleton made, instead of the States'
    reviews. The converter lays them out for each format (batch.lua). A workspace
    template written for the older `figure(alt)` gets a figure numbered, with no title."""
    if alt is None:
        title, alt = "", title
    numbers: FigureNumbers = ctx["figure_numbers"]
    numbers.count += 1
    t = Formatter(ctx["lang"], report=True).gettext
    before, _number, after = one_line(t("Figure %(number)s.") % {"number": NUMBER}).partition(
        NUMBER)
    numbers.texts[str(numbers.count)] = {
        "before": before.lstrip(" "),
        "after": one_line(f"{after} {title}").rstrip(" "),
        "alt": one_line(alt).strip(" "),
        "table": one_line(t("Figure %(number)s as a table") % {"number": numbers.count}),
        "annex": one_line(t("Annex: data underlying the figures")),
        # A document with an annex of its own (a top-level heading with the id `annex`: the
        # regional report's summary by State) has two, numbered as United Nations documents
        # number them; in HTML the second links to the data under each figure.
        "annex_i": one_line(t("Annex I: summary by State")),
        "annex_ii": one_line(t("Annex II: data underlying the figures")),
        # HTML's annex, which links to the data under each figure.
        "data_under": one_line(t("In this edition, each figure's data are given under it, "
                                 "as a table:")),
    }
    if source is None:
        source = md(t("Source: the States' voluntary reviews."))
    return (f'\n\n:::: {{.figure name="{name}" number="{numbers.count}"}}\n\n'
            f"::: source\n{source}\n:::\n\n::::\n\n")


@jinja2.pass_context
def _table_title(ctx: jinja2.runtime.Context, title: Text | Phrase | str) -> str:
    """`{{ title|table_title }}`: the number and title of the table that follows ("Table 1.
    Participation in the review"), above it, as United Nations documents title their
    tables; numbered apart from the figures. Its label goes beside the skeleton as
    `table-<n>` ("Table " and "." around the number: a SEQ field in DOCX); the title, in
    the placeholder, is marked as the `span` filter marks it. The converter sets it for
    each format (batch.lua `place_table_title`)."""
    numbers: FigureNumbers = ctx["figure_numbers"]
    numbers.tables += 1
    lang = ctx["lang"]
    t = Formatter(lang, report=True).gettext
    before, _number, after = one_line(t("Table %(number)s.") % {"number": NUMBER}).partition(
        NUMBER)
    numbers.texts[f"table-{numbers.tables}"] = {"before": before.lstrip(" "),
                                                "after": after.rstrip(" ")}
    return (f'\n\n::: {{.table-title number="{numbers.tables}"}}\n'
            f"{marked(title, lang)}\n:::\n\n")


@jinja2.pass_context
def _table(ctx: jinja2.runtime.Context, table: Table) -> str:
    """A table of data (indicator values): a pipe table, or a placeholder for the table
    written for HTML and DOCX (render/tables.py)."""
    tables: DataTables = ctx["data_tables"]
    return tables.place(table.header, table.rows, table.numeric, ctx["lang"])


def _overridden(dirs: tuple[Path, ...]) -> bool:
    """A workspace folder in the search path holds a Jinja template of its own."""
    builtin = builtin_templates_dir().resolve()
    return any(d != builtin and any(d.glob("*.j2")) for d in dirs)


def new_environment(dirs: Sequence[Path], sandboxed: bool, **options: Any
                    ) -> jinja2.Environment:
    """The Jinja environment of the reports and of the site: templates searched in
    `dirs`, undefined names an error. Sandboxed when a workspace template takes part:
    those arrive by pull request too; they may lay data out but not reach Python
    internals (``{{ x.__class__.__mro__ }}``). The built-in templates are the package's
    own code: the sandbox's checks on every attribute would double their rendering time."""
    kind = jinja2.sandbox.SandboxedEnvironment if sandboxed else jinja2.Environment
    return kind(loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
                undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                extensions=["jinja2.ext.i18n"], **options)


def report_words(fmt: Formatter) -> dict[str, Callable[..., str]]:
    """A report's words for its templates, as jinja2.ext.i18n's "newstyle" callables give
    them (`%(name)s` filled from keyword arguments; `num` for ngettext, `context` for
    pgettext; `%%` for a percent sign), but plain functions, and each message looked up
    once: Jinja's pass every call through the template's context three times (49,000
    calls in a 193-State build). Their arguments are positional only, as Jinja's are: a
    template may give a value named `num` or `context`. Not for autoescaped text (Jinja's
    then escape the values): the reports' built-in templates are Markdown, never
    escaped."""
    found: dict[str, str] = {}

    def gettext(message: str, /, **variables: Any) -> str:
        words = found.get(message)
        if words is None:
            words = found[message] = fmt.gettext(message)
        return words % variables

    def ngettext(singular: str, plural: str, num: int, /, **variables: Any) -> str:
        variables.setdefault("num", num)
        return fmt.ngettext(singular, plural, num) % variables

    def pgettext(context: str, message: str, /, **variables: Any) -> str:
        variables.setdefault("context", context)
        return fmt.pgettext(context, message) % variables

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext, "pgettext": pgettext}


class _CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once per build: the reports' environments (one per language)
    differ only in the words they are given, not in how a template compiles (measured:
    0.2 s of a 193-State build in three languages). Kept in memory only."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key + bucket.checksum)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key + bucket.checksum] = bucket.bytecode_to_string()


@cache
def _compiled(dirs: tuple[Path, ...]) -> _CompiledTemplates:
    """One per search path, so per kind of environment (sandboxed or not)."""
    return _CompiledTemplates()


@cache
def environment(dirs: tuple[Path, ...], lang: str) -> jinja2.Environment:
    env = new_environment(dirs, _overridden(dirs), autoescape=False,
                          keep_trailing_newline=True, bytecode_cache=_compiled(dirs))
    # The report's words, set by the typography of its language (French ’ and no-break
    # spaces), as the interface's messages are.
    fmt = Formatter(lang, report=True)
    env.install_gettext_callables(  # type: ignore[attr-defined]
        fmt.gettext, fmt.ngettext, newstyle=True, pgettext=fmt.pgettext)
    if not isinstance(env, jinja2.sandbox.SandboxedEnvironment):
        # The built-in templates only: a workspace's may turn autoescape on for a block,
        # where Jinja's callables escape the values and `report_words` would not.
        env.globals.update(report_words(fmt))
    env.filters.update(md=md, narrative=_narrative, span=_span, figure=_figure, ltr=_ltr,
                       table=_table, table_title=_table_title,
                       # Lists as the language writes them (CLDR): `A, B and C`, `A وB وC`;
                       # enumerations `1, 2` / `1، 2`; citations `A; B` / `A؛ B`.
                       and_list=lambda items: _list(fmt, list(items), lang),
                       enum=lambda items: fmt.join(_joined(list(items), lang)),
                       semicolons=lambda items: fmt.semicolons(_joined(list(items), lang)),
                       number=fmt.number, counted=fmt.counted,
                       after_colon=lambda value, langs=("fr",): after_colon(value, langs, lang),
                       in_a_sentence=in_a_sentence,
                       note=_note, numbered=_numbered,
                       quoted=lambda markdown, values: _quoted(markdown, values, lang))
    return env


def _numbered(markdown: str) -> str:
    """`{% filter numbered %}`: one paragraph of the report's own words, numbered with the
    narratives' paragraphs (batch.lua), as a United Nations document numbers every paragraph
    of its body, not only those it quotes."""
    return f"\n::: paragraph\n{markdown.strip()}\n:::\n\n"


def _quoted(markdown: str, values: Iterable[Text | Phrase | str], lang: str) -> str:
    """`{% filter quoted(values) %}`: the Markdown inside (a list of the review's), in a
    `.quoted` div of its language and direction when all `values` (its items' texts) are
    in one language other than the report's (`lang`). A French review's measures in an
    Arabic report are then set as a French quotation is, bullets and lines on the left,
    not item by item inside the report's direction (batch.lua gives typst the block)."""
    found = list(values)
    first = found[0] if found and isinstance(found[0], Text) else None
    if first is None or first.lang == lang or any(
            not isinstance(v, Text) or v.lang != first.lang or v.fallback for v in found):
        return markdown
    return f'::: {{.quoted lang="{first.lang}" dir="{first.dir}"}}\n\n{markdown}\n:::\n\n'


def in_a_sentence(value: Text | Phrase | str) -> Text | Phrase | str:
    """A label inside a sentence, after a comma ("1 (Data), planned → implemented"): in
    lower case in English and French, as `after_colon` sets it."""
    return after_colon(value, ("en", "fr"))


def after_colon(value: Text | Phrase | str, langs: tuple[str, ...] = ("fr",),
                report_lang: str = "") -> Text | Phrase | str:
    """A label after a colon, as French writes it: in lower case ("État d'avancement : en
    cours"), unless it starts with an acronym or a name in capitals ("COVID-19", "ONU"). A phrase
    that starts with a part ("{status} (déclaration d'un partenaire…)"): that part.
    `langs`: the languages it lowers; `report_lang`: the language of a plain string (the
    report's own words)."""
    if isinstance(value, Phrase):
        first = re.match(r"\{(\w+)\}", value.text)
        if first is None or first.group(1) not in value.parts:
            return value
        part = value.parts[first.group(1)]
        lowered = after_colon(part, langs, report_lang)
        assert isinstance(lowered, Text)  # a part is a Text: so is what it becomes
        return value._replace(parts={**value.parts, first.group(1): lowered})
    text = value.text if isinstance(value, Text) else value
    lang = value.lang if isinstance(value, Text) else report_lang
    if lang not in langs or len(text) < 2 or not text[0].isupper() or not text[1].islower():
        return value
    lowered = text[0].lower() + text[1:]
    return value._replace(text=lowered) if isinstance(value, Text) else lowered


@dataclass(frozen=True)
class RenderedSkeleton:
    markdown: str
    narratives: dict[str, str]
    """Key -> text of every narrative the skeleton has a placeholder for."""
    tables: dict[str, dict[str, str]] = field(default_factory=dict)
    """Name -> format -> the data table written for that format (render/tables.py)."""
    figure_texts: dict[str, dict[str, str]] = field(default_factory=dict)
    """Figure number -> its texts that are plain text (`FigureNumbers.texts`)."""


def _template_location(exc: BaseException) -> str:
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".j2"):
            return f"{frame.filename}:{frame.lineno}"
    return "template"


@contextlib.contextmanager
def template_errors(name: str, dirs: Sequence[Path]) -> Iterator[None]:
    """A template that is missing, not valid Jinja or failing becomes a TemplateError
    naming its file and line (the reports' templates and the site's alike)."""
    try:
        yield
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(_("the template {name} is not there").format(name=exc.name),
                            hint=_("looked in: {folders}").format(
                                folders=", ".join(str(d) for d in dirs))) from exc
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(_("{place}: the template is not valid Jinja: {reason}").format(
            place=f"{exc.filename or name}:{exc.lineno}", reason=exc.message)) from exc
    except Exception as exc:
        raise TemplateError(_("{place}: the template failed: {reason}").format(
            place=_template_location(exc), reason=f"{type(exc).__name__}: {exc}")) from exc


def render(name: str, dirs: Sequence[Path], lang: str, formats: Sequence[str] = (),
           **context: Any) -> RenderedSkeleton:
    """The skeleton of a document to be made in `formats` (its data tables are written
    here for those that can take them)."""
    env = environment(tuple(dirs), lang)
    slots = NarrativeSlots()
    tables = raw_formats(formats)
    figures = FigureNumbers()
    with template_errors(name, dirs):
        template = env.get_template(name)
        markdown = template.render(lang=lang, narratives=slots, colon=COLONS.get(lang, ":"),
                                   semicolon=SEMICOLONS.get(lang, ";"),
                                   comma=Formatter(lang).comma,
                                   figure_numbers=figures, data_tables=tables,
                                   source_notes=SourceNotes(), **context)
    return RenderedSkeleton(markdown, slots.items, tables.items, figures.texts)
