"""The HTML reports in a real browser: Chromium, driven by Playwright.

The country report (MA) and the regional report, in French, Arabic and English,
are built once; each is opened at a computer's width (1280 px) and a phone's
(390 px), with the fonts of two kinds of computer (DejaVu alone, and Noto beside
it: one Chromium for each, told by FONTCONFIG_FILE which font folders it may see,
whatever this machine has installed), and checked as a reader gets it: the
page never wider than the screen, every table's last column in view or within
reach of its own scroll box, nothing fetched and no error, every run of another
language marked with its language and direction, the matrices' statuses drawn
as the PDF's heat map draws them, the page laid out for A4 paper, and no serious
or critical accessibility problem found by axe-core (its script comes from the
`axe-playwright-python` wheel: nothing is downloaded while testing).

Chromium is the system's (Debian: `apt-get install chromium`), never a browser
downloaded by Playwright. GCMREVIEW_CHROMIUM names another Chromium or Chrome;
without any, the module is skipped, except in CI (CI set), where that fails.
GCMREVIEW_HTML_SHOTS=FOLDER saves a screenshot of each report (1280 px) and its
print version as PDF there, to look at.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pytest

from gcmreview.cli import main
from gcmreview.convert.figures import MIN_TEXT_PT
from gcmreview.convert.fonts import font_dirs
from gcmreview.core.status import BY_CODE

from .conftest import copy_workspace

sync_api = pytest.importorskip("playwright.sync_api")

REPORTS = ("MA.fr", "MA.ar", "MA.en", "regional.fr", "regional.ar", "regional.en")
REGIONAL = tuple(r for r in REPORTS if r.startswith("regional."))
VIEWPORTS = {"desktop": (1280, 900), "mobile": (390, 844)}
VIEWS = [(report, size) for report in REPORTS for size in VIEWPORTS]
A4_TEXT_WIDTH = 643
"""CSS pixels between the margins of an A4 page (21 cm less 2 × 2 cm, the
report's @page rule and the PDF's)."""

FILLS = {**{code: s.fill for code, s in BY_CODE.items()}, "partner": "#ffffff"}
"""The heat map's fills (gcmreview.core.status), which the HTML cells repeat."""
SHAPES = "●◐○◇"


def chromium() -> str | None:
    candidates = (os.environ.get("GCMREVIEW_CHROMIUM"), "/usr/bin/chromium",
                  shutil.which("chromium"), shutil.which("chromium-browser"))
    return next((c for c in candidates if c and Path(c).is_file()), None)


def shots_folder() -> Path | None:
    folder = os.environ.get("GCMREVIEW_HTML_SHOTS")
    if not folder:
        return None
    Path(folder).mkdir(parents=True, exist_ok=True)
    return Path(folder)


# --- building the reports and opening them -----------------------------------------


def build(ws: Path, *args: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(ws), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["build", *args])
    assert code == 0, err.getvalue()


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = copy_workspace(tmp_path_factory.mktemp("html") / "ws")
    for lang in ("fr", "ar", "en"):
        build(ws, "-c", "MA", "--region", "-f", "html", "--lang", lang, "--out", "out")
    built = sorted(p.stem for p in (ws / "out").glob("*.html"))
    assert built == sorted(REPORTS)
    return ws / "out"


@dataclass
class View:
    """A report open in Chromium at one width, and what the page did while loading."""

    report: str
    page: object  # playwright.sync_api.Page
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    @property
    def lang(self) -> str:
        return self.report.split(".")[1]


class Browser:
    def __init__(self, browser: object, folder: Path, font_set: str) -> None:
        self.browser = browser
        self.folder = folder
        self.font_set = font_set
        self.views: dict[tuple[str, str], View] = {}

    def open(self, report: str, width: int, height: int, media: str = "screen") -> View:
        page = self.browser.new_page(viewport={"width": width, "height": height})
        view = View(report, page)
        page.on("console", lambda m: m.type == "error" and view.errors.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: view.errors.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: view.errors.append(f"failed: {r.url[:80]} {r.failure}"))
        page.on("request", lambda r: view.requests.append(r.url))
        page.emulate_media(media=media)
        page.goto((self.folder / f"{report}.html").as_uri(), wait_until="load")
        page.evaluate("document.fonts.ready.then(() => true)")
        # The figures' data tables, folded under each figure, as a reader unfolds them:
        # they are laid out (and checked) as they are then.
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        return view

    def view(self, report: str, size: str) -> View:
        if (report, size) not in self.views:
            self.views[report, size] = self.open(report, *VIEWPORTS[size])
        return self.views[report, size]


FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/conf.d</include>
{dirs}
  <cachedir>{cache}</cachedir>
</fontconfig>
"""
"""The system's rules (aliases, hinting), but only the font folders given: the browser
sees the fonts of one kind of reader's computer, whatever this machine has."""
FONT_SETS = ("dejavu", "noto")
"""DejaVu only (a minimal Linux), and Noto beside it (desktop Linux, Debian's
fonts-noto-core): Noto Sans is the first of the report's Latin fonts such a computer has,
and draws wider than DejaVu in places (the matrix used to scroll at 1280 px with it)."""


def font_folder(file_name: str) -> Path | None:
    """The system folder holding a font file, found wherever the distribution puts it."""
    for root in (Path("/usr/share/fonts"), Path("/usr/local/share/fonts")):
        if root.is_dir():
            found = next(root.rglob(file_name), None)
            if found is not None:
                return found.parent
    return None


def font_set_folders(name: str) -> list[Path] | None:
    """The folders of a font set, or None when this machine lacks its fonts. Every set
    has Amiri too: the reader's computer has an Arabic font (Windows: Traditional Arabic,
    Sakkal Majalla), and this gives the browser the one gcmreview installs for its PDFs
    (only this browser: LibreOffice, in other tests, must not see it installed)."""
    dejavu = font_folder("DejaVuSans.ttf")
    if dejavu is None:
        return None
    folders = [dejavu]
    if name == "noto":
        noto = font_folder("NotoSans-Regular.ttf")
        if noto is None:
            return None
        folders.insert(0, noto)
    return [*folders, Path(font_dirs()[0])]


class Browsers:
    """One Chromium per font set, launched when a test first needs it, kept for the
    module: a browser start costs about a second, and each report is opened once per
    font set and width."""

    def __init__(self, playwright: object, executable: str, folder: Path,
                 config_root: Path) -> None:
        self.playwright = playwright
        self.executable = executable
        self.folder = folder
        self.config_root = config_root
        self.open: dict[str, Browser] = {}

    def get(self, font_set: str) -> Browser:
        if font_set not in self.open:
            folders = font_set_folders(font_set)
            if folders is None:
                pytest.skip(f"no {font_set} fonts on this machine (Debian: apt-get install "
                            f"fonts-{'noto-core' if font_set == 'noto' else 'dejavu-core'})")
            config = self.config_root / font_set
            config.mkdir(parents=True, exist_ok=True)
            dirs = "\n".join(f"  <dir>{folder}</dir>" for folder in folders)
            (config / "fonts.conf").write_text(
                FONTCONFIG.format(dirs=dirs, cache=config / "cache"), encoding="utf-8")
            chrome = self.playwright.chromium.launch(  # type: ignore[attr-defined]
                executable_path=self.executable,
                env={**os.environ, "FONTCONFIG_FILE": str(config / "fonts.conf")})
            self.open[font_set] = Browser(chrome, self.folder, font_set)
        return self.open[font_set]

    def close(self) -> None:
        for browser in self.open.values():
            browser.browser.close()  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def browsers(reports: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browsers]:
    executable = chromium()
    if executable is None:
        message = "no Chromium: apt-get install chromium, or set GCMREVIEW_CHROMIUM"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_api.sync_playwright() as playwright:
        opened = Browsers(playwright, executable, reports, tmp_path_factory.mktemp("fonts"))
        try:
            yield opened
        finally:
            opened.close()


@pytest.fixture(params=FONT_SETS)
def browser(browsers: Browsers, request: pytest.FixtureRequest) -> Browser:
    """The reports in Chromium with each font set: for what fonts can change (widths,
    what fits, what scrolls)."""
    return browsers.get(request.param)


@pytest.fixture
def dejavu(browsers: Browsers) -> Browser:
    """The reports in Chromium with DejaVu alone: for what fonts do not change."""
    return browsers.get("dejavu")


def view_id(view: tuple[str, str]) -> str:
    return f"{view[0]}-{view[1]}"


# --- layout ---------------------------------------------------------------------------


@pytest.mark.parametrize("view", VIEWS, ids=view_id)
def test_page_no_wider_than_the_screen(browser: Browser, view: tuple[str, str]) -> None:
    page = browser.view(*view).page
    widths = page.evaluate("""() => ({scroll: document.documentElement.scrollWidth,
                                      body: document.body.scrollWidth, inner: innerWidth})""")
    assert widths["scroll"] <= widths["inner"], widths
    assert widths["body"] <= widths["inner"], widths
    # Nothing sticks out of the screen (what overflow: hidden would not show either).
    sticking_out = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => !e.closest('.matrix, table, .figure-box'))
        .map(e => [e, e.getBoundingClientRect()])
        .filter(([e, r]) => r.width && (r.left < -1 || r.right > innerWidth + 1))
        .map(([e, r]) => `${e.tagName}.${e.className} ${r.left | 0}..${r.right | 0}`)
        .slice(0, 5)""")
    assert sticking_out == []


LAST_COLUMN = """
table => {
  const last = [...table.rows[0].cells].at(-1);
  let box = table;
  for (let e = table; e && e !== document.body; e = e.parentElement) {
    if (['auto', 'scroll'].includes(getComputedStyle(e).overflowX)) { box = e; break; }
  }
  const scrolls = box.scrollWidth > box.clientWidth;
  last.scrollIntoView({block: 'center', inline: 'nearest'});
  const r = last.getBoundingClientRect();
  const b = box.getBoundingClientRect();
  const x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;
  const hit = document.elementFromPoint(x, y);
  const result = {
    text: last.textContent.trim(), scrolls, focusable: box.tabIndex >= 0,
    inScreen: r.left >= -1 && r.right <= innerWidth + 1,
    inBox: r.left >= b.left - 1 && r.right <= b.right + 1,
    onTop: hit !== null && last.contains(hit),
  };
  box.scrollLeft = 0;
  return result;
}
"""


@pytest.mark.parametrize("view", VIEWS, ids=view_id)
def test_last_column_of_every_table_in_reach(browser: Browser, view: tuple[str, str]) -> None:
    """The 23rd objective of the regional matrix (and every table's last column) is
    on screen, or scrolled into view within the table's own box, not hidden under
    the States' column that stays in place."""
    page = browser.view(*view).page
    tables = page.locator("main table")
    assert tables.count() > 0
    for i in range(tables.count()):
        seen = tables.nth(i).evaluate(LAST_COLUMN)
        assert seen["inScreen"] and seen["inBox"] and seen["onTop"], (i, seen)
    if view[0].startswith("regional."):
        matrix = page.locator("#coverage table").first
        header = matrix.evaluate("t => [...t.rows[0].cells].map(c => c.textContent.trim())")
        assert header[1:] == [str(n) for n in range(1, 24)]
        seen = matrix.evaluate(LAST_COLUMN)
        assert seen["text"] == "23"
        # At a computer's width the whole matrix shows, without scrolling.
        assert seen["scrolls"] == (view[1] == "mobile"), seen


@pytest.mark.parametrize("view", VIEWS, ids=view_id)
def test_no_error_and_nothing_fetched(dejavu: Browser, view: tuple[str, str]) -> None:
    opened = dejavu.view(*view)
    assert opened.errors == []
    page_url = (dejavu.folder / f"{opened.report}.html").as_uri()
    assert [u[:80] for u in opened.requests if u != page_url and not u.startswith("data:")] == []


# --- languages and directions -----------------------------------------------------


LANGUAGES = """() => ({
  html: [document.documentElement.lang, document.documentElement.dir],
  tagged: [...document.body.querySelectorAll('[lang], .narrative')].map(e => ({
    tag: e.tagName, cls: e.className, lang: e.getAttribute('lang'), dir: e.getAttribute('dir'),
    text: e.textContent.trim().slice(0, 60)})),
})"""


@pytest.mark.parametrize("report", REPORTS)
def test_languages_and_directions(dejavu: Browser, report: str) -> None:
    opened = dejavu.view(report, "desktop")
    found = opened.page.evaluate(LANGUAGES)
    assert found["html"] == [opened.lang, "rtl" if opened.lang == "ar" else "ltr"]
    assert found["tagged"], "no narrative, no text in another language"
    wrong = [t for t in found["tagged"] if not t["lang"]
             or t["dir"] != ("rtl" if t["lang"].split("-")[0] == "ar" else "ltr")]
    assert wrong == []
    if report.startswith("MA."):
        # MA's review is in French: its narratives carry fr whatever the report's language.
        narratives = [t for t in found["tagged"] if "narrative" in t["cls"]]
        assert narratives and {t["lang"] for t in narratives} == {"fr"}


UNTAGGED_LATIN = r"""() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const words = /[A-Za-zÀ-ÿœ'’]{3,}[\s,]+[A-Za-zÀ-ÿœ'’]{2,}/;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const host = n.parentElement.closest('[lang]');
    if (words.test(n.data) && (!host || host.lang === 'ar'))
      found.push(n.data.trim().replace(/\s+/g, ' ').slice(0, 70));
  }
  return found;
}"""


@pytest.mark.parametrize("report", ["MA.ar", "regional.ar"])
def test_latin_text_in_arabic_reports_is_tagged(dejavu: Browser, report: str) -> None:
    """Words in Latin letters (French, English) inside an Arabic report sit in an
    element that says their language (a heuristic: runs of two words or more)."""
    assert dejavu.view(report, "desktop").page.evaluate(UNTAGGED_LATIN) == []


ARABIC_SIZE = """() => {
  const probe = (text, lang) => {
    const s = document.createElement('span');
    s.lang = lang; s.textContent = text;
    document.querySelector('main p').append(s);
    const size = parseFloat(getComputedStyle(s).fontSize);
    s.remove();
    return size;
  };
  return {ar: probe('الاتفاق العالمي', 'ar'), fr: probe('Pacte mondial', 'fr')};
}"""


@pytest.mark.parametrize("report", ["MA.fr", "MA.ar"])
def test_arabic_runs_have_their_own_faces(dejavu: Browser, report: str) -> None:
    """Arabic letters go to the Arabic faces (scaled to the Latin text's size by
    size-adjust), not to a bigger font-size: an Arabic quote and the French words
    around it keep the same font size, so sizes never compound."""
    page = dejavu.view(report, "desktop").page
    sizes = page.evaluate(ARABIC_SIZE)
    assert sizes["ar"] == sizes["fr"]
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert family.startswith('"GCM Arabic Naskh"'), family
    faces = page.evaluate("""() => [...document.fonts].filter(f => f.family.includes('Arabic'))
                                 .map(f => [f.family, f.unicodeRange.includes('U+600-6FF')])""")
    assert faces and all(arabic_only for _, arabic_only in faces), faces
    # The faces find the computer's Arabic font (here Amiri) by its name.
    loaded = page.evaluate("""() => document.fonts.load('16px "GCM Arabic Amiri"', 'عربي')
                                 .then(found => found.map(f => f.status))""")
    assert loaded and set(loaded) == {"loaded"}, loaded


KEPT_ITEMS = """() => [...document.querySelectorAll('main li .keep[dir]')].map(s => ({
  text: s.textContent, dir: s.dir,
  lines: new Set([...s.getClientRects()].map(r => Math.round(r.top))).size,
  before: s.previousSibling?.textContent.slice(-2) ?? '',
}))"""


@pytest.mark.parametrize("view", [("regional.ar", "desktop"), ("regional.ar", "mobile")],
                         ids=view_id)
def test_english_items_of_an_arabic_list_stay_whole(browser: Browser,
                                                    view: tuple[str, str]) -> None:
    """In an Arabic sentence listing English titles ("A و B و C"), each title is isolated in
    its own direction and on one line, the conjunction held to it: both in a box of their
    own, on one line (at 375 px Chromium put a و alone at the end of a line, between its
    no-break space and the title's box)."""
    page = browser.view(*view).page
    items = page.evaluate(KEPT_ITEMS)
    assert len(items) >= 5
    for item in items:
        assert item["dir"] == "ltr" and item["lines"] == 1, item
        assert item["text"].startswith("\u2066") and item["text"].endswith("\u2069"), item
    assert any(item["before"].endswith("\u0648\u00a0") for item in items), items
    held = page.evaluate("""() => [...document.querySelectorAll('main li .keep:not([dir])')]
      .filter(s => s.textContent.startsWith('\\u0648\\u00a0')).map(s =>
        new Set([...s.getClientRects()].map(r => Math.round(r.top))).size)""")
    assert held and set(held) == {1}, held


# --- matrices ---------------------------------------------------------------------------


STATUS_CELLS = """() => [...document.querySelectorAll(':is(.matrix, .legend) .status')].map(s => {
  const style = getComputedStyle(s);
  const range = document.createRange();
  range.selectNodeContents(s);
  const glyph = range.getBoundingClientRect();
  const box = s.getBoundingClientRect();
  return {code: [...s.classList].find(c => c.startsWith('status-')).slice(7),
          text: s.textContent, fill: style.backgroundColor, ink: style.color,
          size: parseFloat(style.fontSize), box: [box.width, box.height],
          glyph: [glyph.width, glyph.height]};
})"""


def rgb(color: str) -> tuple[int, ...]:
    if color.startswith("#"):
        return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))
    return tuple(int(float(v)) for v in color[color.index("(") + 1:-1].split(",")[:3])


def luminance(color: tuple[int, ...]) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in color)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("report", REGIONAL)
def test_matrix_statuses_drawn_like_the_heat_map(browser: Browser, report: str) -> None:
    """Each status is a cell filled as in the PDF's heat map, its symbol inside at
    full size and readable on its fill (for colour-blind readers, and on paper)."""
    cells = browser.view(report, "desktop").page.evaluate(STATUS_CELLS)
    codes = {c["code"] for c in cells}
    assert {"in_progress", "not_stated", "reported", "not_reported", "implemented"} <= codes
    for cell in cells:
        assert rgb(cell["fill"]) == rgb(FILLS[cell["code"]]), cell
        width, height = cell["box"]
        assert width >= 20 and height >= 20, cell
        if cell["text"].strip():
            assert contrast(rgb(cell["ink"]), rgb(cell["fill"])) >= 4.5, cell
            # The shapes are drawn whole, at the text's size, not as a tiny fallback
            # (· – * are small by nature).
            if set(cell["text"]) & set(SHAPES):
                assert cell["glyph"][0] >= 0.6 * cell["size"], cell
            assert cell["glyph"][1] >= 0.9 * cell["size"], cell


FIGURES = """() => [...document.querySelectorAll('figure.heat-map')].map(f => {
  const img = f.querySelector('img'), r = img.getBoundingClientRect();
  const box = f.querySelector('.figure-box'), b = box.getBoundingClientRect();
  const details = f.querySelector('details.figure-data');
  return {first: f.firstElementChild.tagName,
          caption: f.querySelector('figcaption').textContent.trim(),
          alt: img.alt, width: +img.getAttribute('width'), height: +img.getAttribute('height'),
          shown: [r.left, r.right, r.width, r.height], box: [b.left, b.right],
          scrolls: box.scrollWidth > box.clientWidth + 1,
          cue: getComputedStyle(box, '::after').content,
          source: f.querySelector('.figure-source')?.textContent.trim() ?? '',
          after: (img.compareDocumentPosition(f.querySelector('.figure-source')) & 4) === 4,
          data: details ? details.querySelectorAll('.matrix table').length : -1};
})"""


@pytest.mark.parametrize("view", [v for v in VIEWS if v[0] in REGIONAL], ids=view_id)
def test_figures_numbered_scaled_and_legible(browser: Browser, view: tuple[str, str]) -> None:
    """Each heat map is a figure: "Figure 1." and its title first, the picture, the source
    under it, and its data as a table folded under it (one picture per matrix). At a
    computer's width the picture is at its own size, its smallest text at least 11 px; on
    a phone too (scaled to the screen, its names were 5 px high): there its box scrolls
    sideways, with the cue a wide table's box has, the page no wider than the screen."""
    opened = browser.view(*view)
    figures = opened.page.evaluate(FIGURES)
    label = {"fr": "Figure", "en": "Figure", "ar": "الشكل"}[opened.lang]
    assert [f["caption"].split(".")[0] for f in figures] == [f"{label} 1", f"{label} 2"]
    width = opened.page.evaluate("innerWidth")
    for figure in figures:
        assert figure["first"] == "FIGCAPTION" and figure["alt"] and figure["source"]
        assert figure["after"] and figure["data"] == 1, figure
        _left, _right, shown_width, shown_height = figure["shown"]
        box_left, box_right = figure["box"]
        assert box_left >= 0 and box_right <= width
        scale = shown_width / figure["width"]
        assert abs(shown_height / figure["height"] - scale) < 0.02
        assert scale == pytest.approx(1, abs=0.01)
        assert MIN_TEXT_PT * 4 / 3 * scale >= 11
        assert figure["cue"] == '""'
        assert figure["scrolls"] == (figure["width"] > box_right - box_left + 1), figure
        if view[1] == "desktop":
            assert not figure["scrolls"]
    html = (browser.folder / f"{opened.report}.html").read_text(encoding="utf-8")
    assert html.count('<details class="figure-data">') == 2  # folded until opened


ANNEX_II = """() => {
  const annex = document.getElementById('annex'), data = document.getElementById('figure-data');
  return {after: (annex.compareDocumentPosition(data) & 4) === 4,
          titles: [annex, data].map(s => s.querySelector('h1').textContent.trim()),
          links: [...data.querySelectorAll('a')].map(a => a.getAttribute('href'))};
}"""


@pytest.mark.parametrize("report", REGIONAL)
def test_annex_ii_leads_to_the_data_under_each_figure(browser: Browser, report: str) -> None:
    """The PDF and DOCX give the figures' data in Annex II, after Annex I (the summary by
    State); the HTML has both annexes too, its second leading to the data folded under each
    figure, which the link unfolds: "Annex II" is the same place in every format."""
    opened = browser.open(report, *VIEWPORTS["desktop"])
    try:
        page = opened.page
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = false; })")
        annexes = page.evaluate(ANNEX_II)
        assert annexes["after"] and annexes["links"] == ["#figure-1-data", "#figure-2-data"]
        numerals = {"ar": ("الأول", "الثاني")}.get(report.split(".")[1], (" I", " II"))
        for title, numeral in zip(annexes["titles"], numerals, strict=True):
            assert re.search(f"{numeral}\\s?:", title), title
        for href in annexes["links"]:
            page.click(f"#figure-data a[href='{href}']")
            shown = page.evaluate(f"""() => {{
              const data = document.getElementById('{href[1:]}');
              const summary = data.closest('details').querySelector('summary');
              const top = summary.getBoundingClientRect().top;  // "Figure 1 as a table"
              return data.closest('details').open && top >= -1 && top < innerHeight / 2;
            }}""")
            assert shown, href
        assert opened.errors == []
    finally:
        opened.page.close()


TABLE_TITLES = """() => [...document.querySelectorAll('.table-title')].map(title => {
  const table = document.querySelector(`table[aria-labelledby="${title.id}"]`);
  if (!table) return {id: title.id, table: false};
  const t = title.getBoundingClientRect(), r = table.getBoundingClientRect();
  const rtl = getComputedStyle(title).direction === 'rtl';
  return {id: title.id, table: true, text: title.textContent.trim(), above: t.bottom <= r.top,
          gap: r.top - t.bottom, startOffset: rtl ? t.right - r.right : r.left - t.left};
})"""
TABLE_LABELS = {"en": "Table", "fr": "Tableau", "ar": "الجدول"}


@pytest.mark.parametrize("view", [("MA.fr", "desktop"), ("regional.ar", "desktop"),
                                  ("regional.en", "mobile")], ids=view_id)
def test_tables_are_labelled_by_their_number_and_title(dejavu: Browser,
                                                       view: tuple[str, str]) -> None:
    """Each table's number and title stand right above it, where the table starts, and
    name it (aria-labelledby): a screen reader announces "Table 1. …" on entering it."""
    page = dejavu.view(*view).page
    titles = page.evaluate(TABLE_TITLES)
    label = TABLE_LABELS[view[0].split(".")[1]]
    assert len(titles) >= 2
    for number, title in enumerate(titles, start=1):
        assert title["table"], title["id"]
        assert title["text"].startswith(f"{label} {number}. "), title["text"]
        assert title["above"] and title["gap"] < 24, title
        assert abs(title["startOffset"]) < 2, title
    first = page.get_by_role("table", name=re.compile(f"^{label} 1\\. "))
    assert first.count() == 1


NUMBERS_ASIDE = """() => [...document.querySelectorAll('p > .para-number')].map(n => {
  const p = n.parentElement.getBoundingClientRect(), r = n.getBoundingClientRect();
  return {number: n.textContent, ltr: n.parentElement.closest('[dir]').dir === 'ltr',
          fromRight: p.right - r.right, fromLeft: r.left - p.left, width: p.width};
})"""


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_paragraph_numbers_stand_on_the_documents_side(browser: Browser, size: str) -> None:
    """In the Arabic report the numbers stand at the right, where Arabic lines start; a
    French statement's number stood at the left, before its words, so the one sequence
    switched sides. Every number stands at the right, the French lines beside it."""
    numbers = browser.view("regional.ar", size).page.evaluate(NUMBERS_ASIDE)
    assert any(n["ltr"] for n in numbers) and any(not n["ltr"] for n in numbers)
    for number in numbers:
        assert number["fromRight"] <= 1 and number["fromLeft"] > number["width"] / 2, number


SCROLL_CUES = """async () => {
  const frame = () => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const found = [];
  for (const box of document.querySelectorAll('.matrix, .wide')) {
    const cue = () => +getComputedStyle(box, '::after').opacity;
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    const sticky = getComputedStyle(box.querySelector('tr > :first-child')).position;
    await frame();
    const atStart = cue();
    box.scrollLeft = (getComputedStyle(box).direction === 'rtl' ? -1 : 1) * box.scrollWidth;
    await frame();
    const atEnd = cue();
    box.scrollLeft = 0;
    found.push({label: box.getAttribute('aria-label'), scrolls, sticky, atStart, atEnd});
  }
  return found;
}"""


@pytest.mark.parametrize("view", [v for v in VIEWS if v[0] in REGIONAL], ids=view_id)
def test_a_box_that_scrolls_says_so(browser: Browser, view: tuple[str, str]) -> None:
    """A table wider than the screen scrolls in its box, its first column (the States)
    kept in view, and a shadow at the box's end edge says there is more that way, until
    the reader gets there; a box that does not scroll has no shadow."""
    boxes = browser.view(*view).page.evaluate(SCROLL_CUES)
    assert boxes
    for box in boxes:
        if box["scrolls"]:
            assert box["sticky"] == "sticky", box
            assert box["atStart"] > 0.9 and box["atEnd"] < 0.1, box
        else:
            assert box["atStart"] == 0 and box["atEnd"] == 0, box
    if view[1] == "mobile":
        assert all(box["scrolls"] for box in boxes), boxes


# --- print ------------------------------------------------------------------------------


PRINT_CUTS = """() => [...document.querySelectorAll('table')].flatMap(t => {
  const box = t.closest('.matrix, .wide') || t;
  const r = t.getBoundingClientRect();
  const cuts = [];
  if (box.scrollWidth > box.clientWidth + 1) cuts.push('scrolls');
  if (r.left < -1 || r.right > innerWidth + 1) cuts.push(`${r.left | 0}..${r.right | 0}`);
  if (getComputedStyle(t.rows[0].cells[0]).position === 'sticky') cuts.push('sticky');
  return cuts.map(c => `${t.rows[0].cells[0].textContent.trim()}: ${c}`);
})"""


PRINTED = """() => ({
  scrolling: [...document.querySelectorAll('body *')]
    .filter(e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
    .map(e => e.tagName + '.' + e.className).slice(0, 5),
  small_tables_split: [...document.querySelectorAll('table')]
    .filter(t => t.rows.length < 15 && getComputedStyle(t).breakInside !== 'avoid')
    .map(t => t.rows[0].textContent.trim().slice(0, 30)),
  headings_left: [...document.querySelectorAll('main :is(h1, h2, h3, h4)')]
    .filter(h => getComputedStyle(h).breakAfter !== 'avoid').map(h => h.textContent.slice(0, 30)),
  links: [...document.querySelectorAll('main a[href]')].map(a => {
    const after = getComputedStyle(a, '::after').content;
    const external = /^https?:/.test(a.getAttribute('href'));
    return {href: a.getAttribute('href').slice(0, 40),
            shown: external ? after.includes(a.getAttribute('href')) : after === 'none'};
  }),
})"""
"""On paper: nothing scrolls, small tables and headings are not split from what follows,
a link to the web prints its address (a link within the report does not)."""


@pytest.mark.parametrize("report", REPORTS)
def test_print_layout_fits_a4(browser: Browser, report: str) -> None:
    """On paper every table is whole within the margins: no scroll box, no sticky
    column, no column past the edge."""
    opened = browser.open(report, A4_TEXT_WIDTH, 1000, media="print")
    try:
        page = opened.page
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        assert page.evaluate(PRINT_CUTS) == []
        rules = page.evaluate("""() => [...document.styleSheets[0].cssRules]
            .filter(r => r.media && r.media.mediaText === 'print').map(r => r.cssText).join(' ')""")
        assert "@page" in rules and "break-inside: avoid" in rules
        assert "size: a4" in rules.lower()
        printed = page.evaluate(PRINTED)
        assert printed["scrolling"] == [], printed
        assert printed["small_tables_split"] == [] and printed["headings_left"] == []
        assert all(link["shown"] for link in printed["links"]), printed
        # A narrative's link to the web (the example has none in every report): its address.
        shown = page.evaluate("""() => {
          const a = document.createElement('a');
          a.href = 'https://example.org/report.pdf'; a.textContent = 'the report';
          document.querySelector('main p').append(a);
          const after = getComputedStyle(a, '::after').content;
          a.remove();
          return after;
        }""")
        assert "https://example.org/report.pdf" in shown
        folder = shots_folder()
        if folder:
            page.pdf(path=str(folder / f"{report}.pdf"), prefer_css_page_size=True,
                     print_background=True)
        assert opened.errors == []
    finally:
        opened.page.close()


# --- accessibility ------------------------------------------------------------------------


def axe_script() -> str:
    """axe-core as the axe-playwright-python wheel ships it (read, not imported: the
    package reads it at import in the locale's encoding)."""
    return (resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


@pytest.mark.parametrize("view", VIEWS, ids=view_id)
def test_axe_no_serious_violation(dejavu: Browser, view: tuple[str, str]) -> None:
    page = dejavu.view(*view).page
    page.evaluate(axe_script())
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = {v["id"]: [n["target"] for n in v["nodes"]][:5] for v in results["violations"]
               if v["impact"] in ("serious", "critical")}
    # A table wider than a phone scrolls in its box: a box that scrolls, with no
    # link inside, takes the keyboard's focus (tabindex) and says what it holds.
    unfocusable = page.evaluate("""() => [...document.querySelectorAll('.matrix, .wide, table')]
        .filter(b => getComputedStyle(b).overflowX === 'auto' && b.scrollWidth > b.clientWidth
                     && (b.tabIndex < 0 || !b.getAttribute('aria-label'))
                     && !b.querySelector('a[href], [tabindex]')).length""")
    assert unfocusable == 0
    assert serious == {}
    if view[1] == "desktop" and (folder := shots_folder()):
        page.screenshot(path=str(folder / f"{view[0]}.png"), full_page=True)


NO_LETTER_SPACING = r"""() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const spacing = getComputedStyle(n.parentElement).letterSpacing;
    if (/[\u0600-\u06FF]/.test(n.data) && spacing !== 'normal' && parseFloat(spacing) !== 0)
      found.push([n.parentElement.tagName, spacing, n.data.trim().slice(0, 30)]);
  }
  return found;
}"""


@pytest.mark.parametrize("report", ["MA.ar", "regional.ar"])
def test_arabic_is_never_letter_spaced(dejavu: Browser, report: str) -> None:
    """Letter-spacing pulls joined Arabic letters apart (the contents heading had it)."""
    assert dejavu.view(report, "desktop").page.evaluate(NO_LETTER_SPACING) == []


ACRONYM_LINES = """() => [...document.querySelectorAll('#acronyms td:first-child')].map(td => {
    const range = document.createRange(); range.selectNodeContents(td);
    // Lines, not boxes: "CESAO (بالفرنسية)" is two boxes (two directions) on one line.
    const centres = [...range.getClientRects()].map(r => (r.top + r.bottom) / 2)
      .sort((a, b) => a - b);
    const lines = centres.filter((c, i) => i === 0 || c - centres[i - 1] > 8).length;
    return [td.textContent.trim(), lines]; })"""
NOTE_LINES = """() => { const p = document.querySelector('p:has(a.footnote-ref)');
    const lines = [...p.getClientRects()];
    const range = document.createRange(); range.selectNodeContents(p);
    const tops = [...new Set([...range.getClientRects()].map(r => Math.round(r.top)))];
    tops.sort((a, b) => a - b);
    const gaps = tops.slice(1).map((t, i) => t - tops[i]).filter(g => g > 4);
    return {gaps: gaps, height: parseFloat(getComputedStyle(p).lineHeight)}; }"""


@pytest.mark.parametrize("view", [("MA.fr", "mobile"), ("regional.ar", "mobile")],
                         ids=view_id)
def test_acronyms_stay_whole_and_notes_keep_the_line_spacing(browser: Browser,
                                                            view: tuple[str, str]) -> None:
    """On a telephone "COVID-19" broke at its hyphen in the list of acronyms; a note's
    number (a superscript) pushed its line further from the one above."""
    page = browser.view(*view).page
    acronyms = page.evaluate(ACRONYM_LINES)
    assert acronyms and all(lines == 1 for _text, lines in acronyms), acronyms
    if view[0] == "MA.fr":
        found = page.evaluate(NOTE_LINES)
        assert found["gaps"], found
        assert max(found["gaps"]) <= found["height"] + 1, found
