"""Render the review site's pages: Jinja templates to HTML.

Templates (`templates/site/*.html.j2`, overridable file by file from a workspace's
templates/site/ folder, like the reports') are trusted; the values they receive are
not. Autoescaping puts every value in the page as text, and narratives are never
pasted in: the `narrative` filter leaves a placeholder that the converted, sanitised
fragment replaces (gcmreview.convert.site), so a narrative cannot change the page
around it. A workspace's own templates are run sandboxed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import jinja2
from markupsafe import Markup, escape

from gcmreview.core.i18n import Formatter, _, ngettext, typeset
from gcmreview.core.languages import LANGUAGES
from gcmreview.core.narrative import key as narrative_key
from gcmreview.core.status import BY_CODE
from gcmreview.model.figures import PROGRESS_PALETTE
from gcmreview.model.review import Narrative, Phrase, Text
from gcmreview.model.site import (
    LANGUAGE_NOTES,
    Page,
    SiteModel,
    indicator_page,
    principle_page,
    state_page,
)
from gcmreview.model.text import Citation
from gcmreview.render.tables import PLACEHOLDER
from gcmreview.render.templates import (
    COLONS,
    SEMICOLONS,
    after_colon,
    builtin_templates_dir,
    in_a_sentence,
    new_environment,
    template_errors,
)
from gcmreview.render.terminal import Line

SITE_FOLDER = "site"
"""The site's templates and assets, inside each templates folder."""
ASSETS = "assets"
_NARRATIVE = re.compile(r"<!--gcmreview-narrative ([0-9a-f]{32})-->")


@dataclass(frozen=True)
class RenderedPage:
    path: str
    """Relative to the site's root: `fr/objective-10.html`."""
    html: str
    narratives: dict[str, str] = field(default_factory=dict)
    """Key -> text of every narrative it has a placeholder for."""
    languages: dict[str, str] = field(default_factory=dict)
    """Key -> the language of each (its typography)."""


class _Slots:
    def __init__(self) -> None:
        self.items: dict[str, str] = {}
        self.languages: dict[str, str] = {}


@jinja2.pass_context
def _narrative(ctx: jinja2.runtime.Context, value: Narrative | None, note: bool = True
               ) -> Markup:
    """A narrative's place on the page, in its own language, labelled with it when it is
    not the page's (unless `note` is false: a measure's description, whose title is in the
    same language, under a response already labelled)."""
    if value is None:
        return Markup("")
    ref = narrative_key(value.markdown)
    ctx["narratives"].items[ref] = value.markdown
    ctx["narratives"].languages.setdefault(ref, value.lang)
    lang = ctx["lang"]
    if value.lang == lang:
        return Markup(f'<div class="narrative"><!--gcmreview-narrative {ref}--></div>')
    label = escape(Formatter(lang, report=True).gettext(LANGUAGE_NOTES.get(value.lang, "")))
    label_html = f'<p class="language-note">{label}</p>' if note else ""
    return Markup(f'{label_html}<div class="narrative" '
                  f'lang="{escape(value.lang)}" dir="{escape(value.dir)}">'
                  f'<!--gcmreview-narrative {ref}--></div>')


_ADDRESS = re.compile(r"://|@|\bwww\.")
"""A web or e-mail address in a text: its apostrophes are left as typed."""


@jinja2.pass_context
def _span(ctx: jinja2.runtime.Context, value: Text | Phrase | Citation | str | None
          ) -> Markup:
    """Text on the page, marked with its own language and direction when they are not
    the page's; a title with no official text in this language says so: (EN)."""
    if value is None:
        return Markup("")
    if isinstance(value, Citation):  # beside the State's list of sources: "[1], para. 6"
        return _span(ctx, value.short)
    if isinstance(value, Phrase):
        pieces = PLACEHOLDER.split(value.text)
        return Markup("").join(_span(ctx, value.parts[piece]) if i % 2 else escape(piece)
                               for i, piece in enumerate(pieces))
    if not isinstance(value, Text):
        return escape(value)
    # Set by the typography of its own language, as in the reports; an address as typed.
    words = value.text if _ADDRESS.search(value.text) else typeset(value.text, value.lang)
    if value.lang == ctx["lang"] and not value.fallback:
        return escape(words)
    text = escape(words) + (f" ({escape(value.lang.upper())})" if value.fallback else "")
    return Markup(f'<span lang="{escape(value.lang)}" dir="{escape(value.dir)}">{text}</span>')


def _named(value: Citation | Text | Phrase | str) -> Text | Phrase | str:
    """A citation with its source named (a page without the State's list of sources)."""
    return value.full if isinstance(value, Citation) else value


def _code(value: str) -> Markup:
    """A code read left to right whatever the page's direction (10.c.1, not “c.1.10” in
    Arabic), isolated from the words around it."""
    return Markup(f'<bdi dir="ltr">{escape(value)}</bdi>')


def _plain(value: Text | Phrase | str | None) -> str:
    """The words alone (a page's <title>, an attribute)."""
    if value is None:
        return ""
    if isinstance(value, Phrase):
        pieces = PLACEHOLDER.split(value.text)
        return "".join(_plain(value.parts[p]) if i % 2 else p for i, p in enumerate(pieces))
    return value.text if isinstance(value, Text) else str(value)


@jinja2.pass_context
def _links(ctx: jinja2.runtime.Context, items: Sequence[Any]) -> list[Markup]:
    """Links (`href`, `label`) as anchors, for a list the language writes (`and_list`):
    "Iraq, Lebanon and Tunisia", each a link."""
    return [Markup('<a href="{}">{}</a>').format(item.href, _span(ctx, item.label))
            for item in items]


def _overridden(dirs: tuple[Path, ...]) -> bool:
    builtin = builtin_templates_dir().resolve()
    return any(d != builtin and any((d / SITE_FOLDER).rglob("*.j2")) for d in dirs)


@cache
def environment(dirs: tuple[Path, ...], lang: str) -> jinja2.Environment:
    env = new_environment(dirs, _overridden(dirs), autoescape=True)
    # The site's words, set by the typography of its language as the reports' are
    # (French no-break spaces, ’).
    words = Formatter(lang, report=True)
    env.install_gettext_callables(  # type: ignore[attr-defined]
        words.gettext, words.ngettext, newstyle=True, pgettext=words.pgettext)
    fmt = Formatter(lang)

    def listed(join: Any) -> Any:
        return lambda items: Markup(join([str(escape(i)) for i in items]))

    env.filters.update(span=_span, narrative=_narrative, plain=_plain, code=_code,
                       named=_named, links=_links,
                       and_list=listed(fmt.list), enum=listed(fmt.join),
                       semicolons=listed((SEMICOLONS.get(lang, ";") + " ").join), number=fmt.number,
                       counted=fmt.counted, ratio=fmt.ratio, after_colon=after_colon,
                       in_a_sentence=in_a_sentence)
    env.globals.update(symbol=lambda code: BY_CODE[code].symbol if code in BY_CODE else "",
                       change_symbol=lambda code: PROGRESS_PALETTE.get(code, ("", "", ""))[2],
                       state_page=state_page, principle_page=principle_page,
                       indicator_page=indicator_page)
    return env


def _render(env: jinja2.Environment, name: str, dirs: Sequence[Path], **context: Any
            ) -> tuple[str, _Slots]:
    slots = _Slots()
    with template_errors(name, dirs):
        html = env.get_template(name).render(narratives=slots, **context)
    return html, slots


class Once:
    """A piece of a page rendered once per language and reused: a State's response to an
    objective is on its page and on the objective's (`once(view, macro, **options)` in
    templates; the options are the macro's, rendered once for each)."""

    def __init__(self) -> None:
        self.done: dict[tuple[int, tuple[tuple[str, Any], ...]], tuple[object, str]] = {}

    def __call__(self, value: object, macro: Any, **options: Any) -> Markup:
        key = (id(value), tuple(sorted(options.items())))
        found = self.done.get(key)
        if found is None or found[0] is not value:
            found = self.done[key] = (value, str(macro(value, **options)))
        return Markup(found[1])


def render_site(model: SiteModel, dirs: Sequence[Path]) -> list[RenderedPage]:
    """Every page of every language, the language chooser at the root, and the sitemap
    when the site's address is known."""
    out: list[RenderedPage] = []
    languages = [(s.lang, s.name) for s in model.languages]
    for site in model.languages:
        env = environment(tuple(dirs), site.lang)
        once = Once()
        punctuation = {"colon": COLONS.get(site.lang, ":"),
                       "semicolon": SEMICOLONS.get(site.lang, ";"),
                       "comma": Formatter(site.lang).comma}
        for page in site.pages:
            html, narratives = _render(
                env, f"{SITE_FOLDER}/{page.kind}.html.j2", dirs, lang=site.lang, dir=site.dir,
                site=site, page=page, model=model, languages=languages, once=once,
                canonical=canonical(model, site.lang, page), **punctuation)
            out.append(RenderedPage(f"{site.lang}/{page.name}", html, narratives.items,
                                    narratives.languages))
    first = model.languages[0]
    html, _unused = _render(environment(tuple(dirs), first.lang), f"{SITE_FOLDER}/root.html.j2",
                            dirs, lang=first.lang, dir=first.dir, model=model,
                            languages=languages, sites=model.languages,
                            commas={lang: Formatter(lang).comma for lang in LANGUAGES})
    out.append(RenderedPage("index.html", html))
    if model.base_url:
        out.append(RenderedPage("sitemap.xml", sitemap(model)))
    return out


def canonical(model: SiteModel, lang: str, page: Page) -> str | None:
    return f"{model.base_url}{lang}/{page.name}" if model.base_url else None


def sitemap(model: SiteModel) -> str:
    """Every page's address, with its versions in the other languages."""
    assert model.base_url
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
             'xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for site in model.languages:
        for page in site.pages:
            lines.append(f"<url><loc>{xml_escape(f'{model.base_url}{site.lang}/{page.name}')}"
                         "</loc>")
            lines += [f'<xhtml:link rel="alternate" hreflang="{other}" href='
                      f"{quoteattr(f'{model.base_url}{other}/{page.name}')}/>"
                      for other in model.langs]
            lines.append("</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def splice(html: str, fragments: dict[str, str], unique: Any) -> str:
    """The page with each narrative's sanitised HTML in its place; `unique(html, n)`
    makes the ids of the n-th narrative's footnotes unique on the page."""
    count = 0

    def fill(match: re.Match[str]) -> str:
        nonlocal count
        fragment = fragments.get(match.group(1), "")
        if "gcmreview-note-" in fragment:
            count += 1
            return str(unique(fragment, count))
        return fragment

    return _NARRATIVE.sub(fill, html)


def assets(dirs: Sequence[Path]) -> dict[str, Path]:
    """The site's style sheet and scripts (site path -> file), a workspace's own first."""
    found: dict[str, Path] = {}
    for folder in reversed(list(dirs)):
        base = folder / SITE_FOLDER / ASSETS
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.is_file() and not path.is_symlink():
                found[f"{ASSETS}/{path.relative_to(base).as_posix()}"] = path
    return dict(sorted(found.items()))


def narratives_of(pages: Iterable[RenderedPage]) -> tuple[dict[str, str], dict[str, str]]:
    """Key -> text of every narrative of the pages, and key -> its language."""
    texts: dict[str, str] = {}
    languages: dict[str, str] = {}
    for page in pages:
        texts.update(page.narratives)
        for key, lang in page.languages.items():
            languages.setdefault(key, lang)
    return texts, languages




def outcome_lines(pages: int, folder: str, written: int, removed: int, up_to_date: bool,
                  indexed: bool) -> list[Line]:
    """What `gcmreview site` says it did, in the user's language."""
    if up_to_date:
        return [Line(_("the site in {folder} is up to date").format(folder=folder))]
    lines = [Line(ngettext("{count} page in {folder}: {written} file written, {removed} "
                           "removed", "{count} pages in {folder}: {written} files written, "
                           "{removed} removed", pages).format(
        count=pages, folder=folder, written=written, removed=removed))]
    if indexed:
        lines.append(Line(_("search index made again")))
    return lines
