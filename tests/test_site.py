"""The review site (`gcmreview site`) as its readers get it: Chromium, driven by
Playwright, against the site served over http on this computer (search needs http).

Two sites are built once for the module: the shipped example (eight States in
French) with one synthetic Arabic review added (HM, whose objective 10 is a partner's
statement), and the two-cycles example kept in git (2020 at a tag, 2024 on the
branch). Readers navigate, switch language, search in French, Arabic and English,
and every page is crawled: no broken link, no console error, no serious axe finding,
no page wider than a phone or a computer screen. Hostile review data must come out as
text. Chromium is the system's (`apt-get install chromium`), never one Playwright
downloads; without it the browser tests are skipped, except in CI.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from gcmreview.cli import main
from gcmreview.core.text import collation_key
from gcmreview.website import preview_server

from .conftest import DATA, ROOT, copy_workspace
from .gitrepo import commit_all, git, init_repo

sync_api = pytest.importorskip("playwright.sync_api")

TWO_CYCLES = ROOT / "docs" / "examples" / "two-cycles"
INDICATORS = ROOT / "docs" / "examples" / "indicators"
"""A synthetic workspace with indicator data: AQ and BV, three indicators, 16.2.2 broken
down by sex for AQ only (BV has none), 16.2.2 linked to objective 10 by the workspace."""
ARABIC_REVIEW = DATA / "word" / "synthetic" / "HM.yaml"
"""A synthetic Arabic review: its objective 10 is stated by a partner, in Arabic."""
KINDS = ("index.html", "states.html", "state-MA.html", "objectives.html", "objective-10.html",
         "principles.html", "principle-whole-of-society.html", "synthesis.html",
         "downloads.html", "search.html")
WIDTHS = (390, 1280)
PHONE_AXE = ("/index.html", "/objective-10.html", "/objective-4.html", "/state-MA.html",
             "/progress.html", "/search.html", "/indicator-16-2-2.html", "/state-AQ.html")
INDICATOR_PAGES = ("indicators.html", "indicator-16-2-2.html", "indicator-10-c-1.html",
                   "state-AQ.html", "objective-10.html", "downloads.html")


def run(ws: Path, *args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(ws), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, err.getvalue()


def files_of(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@contextlib.contextmanager
def served(folder: Path) -> Iterator[str]:
    server = preview_server(folder, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = copy_workspace(tmp_path_factory.mktemp("site") / "ws")
    shutil.copy(ARABIC_REVIEW, ws / "countries" / "HM.yaml")
    code, err = run(ws, "build", "-c", "MA", "--region", "-f", "html,docx", "--lang", "fr")
    assert code == 0, err
    code, err = run(ws, "site")
    assert code == 0, err
    return ws


@pytest.fixture(scope="module")
def two_cycles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = init_repo(tmp_path_factory.mktemp("cycles") / "repo")
    shutil.copy(TWO_CYCLES / "gcmreview.yaml", repo / "gcmreview.yaml")
    shutil.copytree(TWO_CYCLES / "cycles" / "2020" / "countries", repo / "countries")
    commit_all(repo, "The 2020 reviews")
    git(repo, "tag", "review-2020")
    shutil.rmtree(repo / "countries")
    shutil.copytree(TWO_CYCLES / "countries", repo / "countries")
    shutil.copytree(TWO_CYCLES / "translations", repo / "translations")  # BV in English
    config = repo / "gcmreview.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("cycles/2020", "review-2020"),
                      encoding="utf-8")
    commit_all(repo, "The 2024 reviews")
    code, err = run(repo, "site", "--base-url", "https://example.org/review")
    assert code == 0, err
    return repo


@pytest.fixture(scope="module")
def indicators(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = Path(shutil.copytree(INDICATORS, tmp_path_factory.mktemp("indicators") / "ws"))
    code, err = run(ws, "site")
    assert code == 0, err
    return ws


# --- the site as files ---------------------------------------------------------------


def test_every_page_in_every_language(example: Path) -> None:
    site = example / "site"
    for lang in ("en", "fr", "ar"):
        names = {p.name for p in (site / lang).glob("*.html")}
        assert set(KINDS) <= names
        assert {f"state-{c}.html" for c in ("MA", "DZ", "HM", "TN")} <= names
        assert {f"objective-{n}.html" for n in range(1, 24)} <= names
        assert "progress.html" not in names  # no `history:` in the example
        page = (site / lang / "objective-10.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in page
    assert (site / "index.html").is_file() and (site / "pagefind" / "pagefind.js").is_file()


def test_links_are_relative_and_nothing_is_fetched_elsewhere(example: Path) -> None:
    for page in (example / "site").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        targets = re.findall(r'(?:href|src)="([^"]*)"', text)
        own = [t for t in targets if not t.startswith(("https://", "http://", "mailto:"))]
        assert all(not t.startswith("/") for t in own), (page, own)
        # outside links come only from narratives (their own web addresses)
        assert "<script" not in text or re.findall(r"<script[^>]*>", text) in (
            ['<script src="../assets/site.js" defer>'],
            ['<script src="../assets/site.js" defer>',
             '<script type="module" src="../assets/search.js">'])


def test_objective_page_keeps_partners_apart(example: Path) -> None:
    page = (example / "site" / "en" / "objective-10.html").read_text(encoding="utf-8")
    partners = page[page.index('id="partners"'):]
    assert "state-HM.html" in partners  # the partner's statement on HM
    states = page[:page.index('id="partners"')]
    assert "state-HM.html" not in states and "Not reported by" in partners
    assert all(f"state-{c}.html#objective-10" in states for c in ("MA", "DZ", "KM", "LY"))
    # A page comparing what every State said names those that said nothing, as a
    # principle's page does: HM's statement is a partner's, not its own.
    silent = re.search(r"<p>Not reported by: (.*?)\.</p>", page)
    assert silent is not None
    named = re.findall(r'<a href="state-(\w\w)\.html">', silent.group(1))
    assert sorted(named) == ["HM", "IQ", "LB", "SY", "TN"], named
    # the Arabic narrative on an English page: tagged and labelled
    assert re.search(r'<p class="language-note">Text in Arabic</p><div class="narrative" '
                     r'lang="ar" dir="rtl">', partners)


def test_lists_are_punctuated_in_each_language(example: Path) -> None:
    """Counts and citations: `4 ; 2` in French (a no-break space, as before its colons),
    `4؛ 2` in Arabic. A measure's description is labelled with its language once, by the
    response that holds it, not inside the list item in the middle of the line."""
    pages = {lang: (example / "site" / lang / "objective-10.html").read_text(encoding="utf-8")
             for lang in ("en", "fr", "ar")}
    counts = {lang: re.search(r'<p class="counts">(.*?)</p>', page).group(1)
              for lang, page in pages.items()}
    assert counts["en"].count("; ") == 2 and "\u061b" not in counts["en"]
    assert counts["fr"].count("\u00a0; ") == 2
    assert counts["ar"].count("\u061b ") == 2 and ";" not in counts["ar"]
    # One source cited twice in a place: once, its paragraphs merged, in the page's language;
    # named here, where the State's list of sources is not ("[1]" on the State's page).
    merged = "\u060c \u0627\u0644\u0641\u0642\u0631\u062a\u0627\u0646\u00a010 \u064811"
    assert f"2020{merged}" in pages["ar"] and f"[1]{merged}" not in pages["ar"]
    state = (example / "site" / "ar" / "state-MA.html").read_text(encoding="utf-8")
    assert f"[1]{merged}" in state
    comoros = pages["ar"][pages["ar"].index("Projet avec l\u2019OIM"):]
    item = comoros[:comoros.index("</li>")]
    assert '<div class="narrative" lang="fr" dir="ltr">' in item
    assert "language-note" not in item


def visible_text(page: str) -> str:
    """A page's words as a reader sees them: no tags, attributes, scripts or styles."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL)
    return unescape(re.sub(r"<[^>]+>", " ", page))


def test_the_sites_words_are_set_as_the_reports_are(example: Path) -> None:
    """An editor's review found the French site with straight apostrophes, sometimes two
    kinds in one sentence ("d’un partenaire, Bureau de l'OIM"), and ordinary spaces
    before colons, where the reports print ’ and no-break spaces: the site's own words,
    the review's titles and its narratives are now set by the typography of their
    language, as in the reports."""
    for lang in ("fr", "en"):
        for name in ("objective-21.html", "state-TN.html", "index.html", "downloads.html"):
            text = visible_text((example / "site" / lang / name).read_text(encoding="utf-8"))
            assert not re.findall(r"\w'\w", text), (lang, name, re.findall(r".{20}'.{20}", text))
    french = visible_text((example / "site" / "fr" / "objective-21.html").read_text(
        encoding="utf-8"))
    assert "l\u2019OIM" in french and not re.search(r"\w [:;?!]", french)
    # A State's status after its colon in lower case, as the reports write it ("État
    # d'avancement : En cours" was the site's alone); a heading keeps its capital.
    french = visible_text((example / "site" / "fr" / "objective-10.html").read_text(
        encoding="utf-8"))
    assert re.search("État d\u2019avancement\\s*:\\s+◐\\s+en cours", french)
    assert not re.search("État d\u2019avancement\\s*:\\s+◐\\s+En cours", french)
    assert re.search("◐\\s+En cours \\(2\\)", french)


def test_the_sites_lists_and_search_read_right_in_each_language(example: Path) -> None:
    """An editor's review: the language chooser wrote the Arabic title's year after a
    Latin comma; the review files to download came in the order of the States' codes
    (Algeria, Iraq, Comoros…); search excerpts ran a label into its value ("دورة
    الاستعراض2020"), and the synthesis's tables of counts into strings of numbers; the
    Arabic search's States were sorted with their article ("المغرب" before "تونس")."""
    root = (example / "site" / "index.html").read_text(encoding="utf-8")
    arabic = root[root.index('<section lang="ar"'):]
    assert re.search(r"\u060c 2020</p>", arabic) and ", 2020</p>" not in arabic
    downloads = (example / "site" / "en" / "downloads.html").read_text(encoding="utf-8")
    reviews = downloads[downloads.index('id="review-files"'):]
    names = re.findall(r"<tr><td>([^<]+)</td><td>", reviews)
    assert names and names == sorted(names), names
    home = (example / "site" / "ar" / "index.html").read_text(encoding="utf-8")
    assert "</dt><dd>" not in home
    synthesis = (example / "site" / "en" / "synthesis.html").read_text(encoding="utf-8")
    assert synthesis.count("data-pagefind-ignore>\n<table>") >= 2


def test_an_objectives_page_lists_the_states_in_its_languages_order(example: Path) -> None:
    """The regional report quotes the States in the order of the language it was drafted
    in (its paragraphs numbered alike in every version); a page of the site, unnumbered,
    lists them as every list of States in its language: in Arabic Tunisia (تونس) before
    Lebanon (لبنان), the article aside."""
    page = (example / "site" / "ar" / "objective-7.html").read_text(encoding="utf-8")
    partners = page[page.index('<section class="partners"'):]
    names = re.findall(r'<h3 id="[^"]+"><a href="[^"]+">([^<]+)</a></h3>', partners)
    assert names[:2] == ["تونس", "لبنان"], names
    english = (example / "site" / "en" / "objective-7.html").read_text(encoding="utf-8")
    partners = english[english.index('<section class="partners"'):]
    names = re.findall(r'<h3 id="[^"]+"><a href="[^"]+">([^<]+)</a></h3>', partners)
    assert names[:2] == ["Lebanon", "Tunisia"], names


def test_states_whose_status_is_not_stated_are_not_said_to_have_said_nothing(
        example: Path) -> None:
    """An objective's page groups the States by status: a group headed "Not stated (2)"
    over Algeria's and Morocco's own words read as if they had said nothing."""
    for lang, heading in (("en", "Status not stated (2)"),
                          ("fr", "État d’avancement non indiqué (2)"),
                          ("ar", "الحالة غير مذكورة (2)")):
        page = (example / "site" / lang / "objective-10.html").read_text(encoding="utf-8")
        group = page[page.index('<section class="status-group" data-status="not_stated"'):]
        assert heading in visible_text(group[:group.index("</h2>")]), lang
    # The search's status filter names it the same way on a State's page.
    state = (example / "site" / "en" / "state-MA.html").read_text(encoding="utf-8")
    assert 'data-pagefind-filter="status">Status not stated' in state


def test_a_site_without_reports_says_so_to_its_maintainer_not_its_readers(
        indicators: Path, tmp_path: Path) -> None:
    """Before, the readers of a site made before any report was read "No report has been
    built yet: once `gcmreview build --all` has made them…" on its home and downloads
    pages: a command for the maintainer. Now the reports' sections are left out, and
    `gcmreview site` warns."""
    code, err = run(indicators, "site", "--out", str(tmp_path / "site"))
    assert code == 0
    assert "warning: site: no report is offered for download" in err
    assert "gcmreview build --all" in err
    for name in ("index.html", "downloads.html"):
        page = (tmp_path / "site" / "en" / name).read_text(encoding="utf-8")
        assert "gcmreview" not in visible_text(page), name
        assert "Reports by State" not in page
    # With reports built, they are offered, and nothing is said.
    code, err = run(indicators, "build", "--all", "-f", "html")
    assert code == 0, err
    code, err = run(indicators, "site", "--out", str(tmp_path / "site"))
    assert code == 0 and "no report is offered" not in err, err
    page = (tmp_path / "site" / "en" / "downloads.html").read_text(encoding="utf-8")
    assert "Reports by State" in page and "downloads/reports/AQ.en.html" in page


def test_states_not_reporting_are_listed_as_the_language_lists_them(
        example: Path) -> None:
    """As the language lists them (CLDR, as the reports do): "Iraq, Lebanon and Tunisia",
    "Iraq, Liban et Tunisie", and in Arabic و before each State after the first."""
    from gcmreview.core.i18n import translations

    separators = {}
    for lang, comma, last in (("en", ", ", " and "), ("fr", ", ", " et "), ("ar", " و", " و")):
        label = translations(lang).gettext("Not reported by")
        for page in sorted((example / "site" / lang).glob("principle-*.html")) + sorted(
                (example / "site" / lang).glob("objective-*.html")):
            found = re.search(rf"<p>{re.escape(label)}\W*(<a .*?)\.</p>",
                              page.read_text(encoding="utf-8"))
            if found is None:
                continue
            between = re.findall(r"</a>(.*?)<a ", found.group(1))
            if between:  # two States or more
                assert between == [comma] * (len(between) - 1) + [last], (page, between)
                separators.setdefault(lang, set()).update(between)
        assert lang in separators, lang  # some page names two States or more
    assert separators["ar"] != separators["en"]


def test_downloads_are_the_coverage_command_and_the_built_reports(example: Path,
                                                                  run_cli) -> None:
    site = example / "site"
    coverage = run_cli("coverage", "--format", "csv", cwd=example)
    assert (site / "downloads" / "coverage.csv").read_text(encoding="utf-8") == coverage.out
    coverage = run_cli("coverage", "--format", "json", cwd=example)
    assert (site / "downloads" / "coverage.json").read_text(encoding="utf-8") == coverage.out
    assert (site / "downloads" / "reviews" / "MA.yaml").read_bytes() == \
        (example / "countries" / "MA.yaml").read_bytes()
    reports = sorted(p.name for p in (site / "downloads" / "reports").iterdir())
    assert reports == ["MA.fr.docx", "MA.fr.html", "regional.fr.docx", "regional.fr.html"]
    home = (site / "fr" / "index.html").read_text(encoding="utf-8")
    assert 'href="../downloads/reports/regional.fr.docx"' in home


def test_deterministic_and_incremental(example: Path, tmp_path: Path) -> None:
    ws = copy_workspace(tmp_path / "ws", countries=("MA", "DZ"))
    code, err = run(ws, "site", "--out", "one", "--lang", "fr,ar")
    assert code == 0, err
    code, err = run(ws, "site", "--out", "two", "--lang", "fr,ar")
    assert code == 0, err
    one, two = files_of(ws / "one"), files_of(ws / "two")
    assert one == two  # the same bytes, the search index included
    # Nothing changed: nothing written, the index kept.
    code, err = run(ws, "site", "--out", "one", "--lang", "fr,ar")
    assert code == 0 and "up to date" in err, err
    assert files_of(ws / "one") == one
    # One review changed: the pages it is on, and the index, nothing else.
    review = ws / "countries" / "DZ.yaml"
    review.write_text(review.read_text(encoding="utf-8").replace(
        "La lutte contre la traite", "La lutte résolue contre la traite"), encoding="utf-8")
    code, err = run(ws, "site", "--out", "one", "--lang", "fr,ar")
    assert code == 0 and "search index made again" in err, err
    after = files_of(ws / "one")
    changed = {k for k in after if after[k] != one.get(k)}
    assert {"fr/state-DZ.html", "fr/objective-10.html", "ar/state-DZ.html",
            "downloads/reviews/DZ.yaml"} <= changed
    assert "fr/state-MA.html" not in changed and "assets/site.css" not in changed
    assert any(k.startswith("pagefind/") for k in changed)


def test_hostile_reviews_give_no_markup(tmp_path: Path) -> None:
    ws = Path(shutil.copytree(DATA / "hostile", tmp_path / "ws"))
    code, err = run(ws, "site", "--lang", "fr")
    assert code == 0, err
    for path, html, found in pages_without_scripts(ws / "site"):
        assert not found.images, path
        bad = [h for h in found.links if h != "data:,"  # the empty icon of every page
               and urlsplit(h).scheme not in ("", "http", "https", "mailto")]
        assert not bad, (path, bad)
        assert "49 défi" not in html  # template syntax shown as typed, never evaluated
    page = (ws / "site" / "fr" / "state-MA.html").read_text(encoding="utf-8")
    assert "HOSTILE-SCRIPT début &lt;script&gt;alert(1)&lt;/script&gt; fin." in page
    assert "HOSTILE-LINK" in page and "https://example.org/ok" in page
    assert "{{ 7*7 }} défi" in page


def test_the_site_writes_only_inside_its_folder(tmp_path: Path) -> None:
    """A link where a language folder goes is replaced, not written through; a file the
    site did not write (a CNAME for GitHub Pages, say) is kept."""
    ws = copy_workspace(tmp_path / "ws", countries=("MA",))
    outside = tmp_path / "outside"
    outside.mkdir()
    (ws / "site").mkdir()
    (ws / "site" / "fr").symlink_to(outside, target_is_directory=True)
    (ws / "site" / "CNAME").write_text("review.example.org\n", encoding="utf-8")
    code, err = run(ws, "site", "--lang", "fr")
    assert code == 0, err
    assert list(outside.iterdir()) == []
    assert (ws / "site" / "fr").is_dir() and not (ws / "site" / "fr").is_symlink()
    assert (ws / "site" / "fr" / "state-MA.html").is_file()
    # Fewer languages: the pages of the others go; what the site never wrote stays.
    code, err = run(ws, "site", "--lang", "en")
    assert code == 0, err
    assert not list((ws / "site" / "fr").glob("*.html"))
    assert (ws / "site" / "CNAME").read_text(encoding="utf-8") == "review.example.org\n"


def test_options_are_checked(tmp_path: Path) -> None:
    ws = copy_workspace(tmp_path / "ws", countries=("MA",))
    code, err = run(ws, "site", "--base-url", "javascript:alert(1)")
    assert code == 2 and "--base-url" in err and "Traceback" not in err
    code, err = run(ws, "site", "--lang", "de")
    assert code == 2 and "de" in err
    code, err = run(tmp_path, "site")
    assert code == 2 and "gcmreview.yaml" in err


def test_an_invalid_review_is_left_out_and_said(tmp_path: Path) -> None:
    ws = copy_workspace(tmp_path / "ws", countries=("MA", "TN"))
    review = ws / "countries" / "TN.yaml"
    review.write_text(review.read_text(encoding="utf-8").replace("status: draft",
                                                                 "status: drafted", 1),
                      encoding="utf-8")
    code, err = run(ws, "site", "--lang", "en")
    assert code == 1 and "TN.yaml" in err
    assert not (ws / "site" / "en" / "state-TN.html").exists()
    home = (ws / "site" / "en" / "index.html").read_text(encoding="utf-8")
    assert "Left out of this report because their review file is invalid" in home
    # The report's words and spelling: "Organizers", reviews "received" (all drafts here).
    assert "<dt>Organizers</dt>" in home and "Organisers" not in home
    assert "<dt>Reviews received</dt>" in home
    # Up to date, the problem is said again, and the exit status stays 1.
    code, err = run(ws, "site", "--lang", "en")
    assert code == 1 and "TN.yaml" in err and "up to date" in err


# --- indicators ----------------------------------------------------------------------


def page_text(path: Path) -> str:
    """A page's words as a reader sees them: tags out, entities read, spaces folded."""
    import html as entities

    raw = path.read_text(encoding="utf-8")
    main = raw[raw.index("<main"):raw.index("</main>")]
    return " ".join(entities.unescape(re.sub(r"<[^>]+>", " ", main)).split())


def data_rows(ws: Path) -> set[tuple[str, ...]]:
    """Every value of the workspace's data files, read with the csv module: (indicator,
    State, year, sex, units, value, source)."""
    import csv

    rows = set()
    for path in sorted((ws / "data").glob("*/*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                rows.add((path.stem.replace("-", "."), path.parent.name, row["Year"],
                          row.get("Sex", ""), row["Units"], row["Value"], row["Source"]))
    return rows


def download_rows(path: Path) -> tuple[list[str], set[tuple[str, ...]]]:
    import csv

    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = [(r["Indicator"], r["Country"], r["Year"], r.get("Sex", ""), r["Units"],
                 r["Value"], r["Source"]) for r in reader]
        header = list(reader.fieldnames or [])
    assert len(rows) == len(set(rows))
    return header, set(rows)


def test_indicators_page_lists_each_indicator_with_its_official_title(indicators: Path) -> None:
    site = indicators / "site"
    en = page_text(site / "en" / "indicators.html")
    assert "Indicator 10.7.1 Recruitment cost borne by employee as a proportion of monthly " \
        "income earned in country of destination" in en
    assert "Indicator 10.c.1 Remittance costs as a proportion of the amount remitted" in en
    # who links each to which objective: the catalogue's sources, the workspace's own link
    assert "Linked objective: 6. Recruitment and decent work States with data: 2" in en
    assert "Linked objective: 10. Eradicate trafficking (linked for this review, not by a " \
        "public source) States with data: 1" in en
    fr = page_text(site / "fr" / "indicators.html")
    assert "Coûts des envois de fonds en proportion du montant transféré" in fr
    assert "États ayant des données : 2" in fr.replace("\u00a0", " ")
    # No Arabic title in the catalogue: the English one, marked and tagged as English.
    ar = (site / "ar" / "indicators.html").read_text(encoding="utf-8")
    assert '<span lang="en" dir="ltr">Remittance costs as a proportion of the amount ' \
        'remitted (EN)</span>' in ar
    for lang in ("en", "fr", "ar"):
        home = (site / lang / "index.html").read_text(encoding="utf-8")
        nav = home[home.index('class="site-nav"'):home.index("</nav>", home.index("site-nav"))]
        assert 'href="indicators.html"' in nav


def test_the_home_page_says_indicator_values_can_be_downloaded_when_there_are_some(
        indicators: Path, example: Path) -> None:
    def link(site: Path, lang: str) -> str:
        home = (site / "site" / lang / "index.html").read_text(encoding="utf-8")
        return re.search(r'<p><a href="downloads.html">(.*?)</a></p>', home).group(1)

    assert link(indicators, "en").endswith("and the indicator values as CSV")
    assert "قيم المؤشرات" in link(indicators, "ar")
    assert "indicator" not in link(example, "en")


def test_an_indicator_page_shows_each_states_latest_value(indicators: Path) -> None:
    site = indicators / "site"
    remittances = page_text(site / "en" / "indicator-10-c-1.html")
    latest = remittances[remittances.index("Latest value by State"):]
    assert "Antarctica 2023 6.1 Per cent Synthetic test data (central bank)" in latest
    assert "Bouvet Island 2023 4.75 Per cent Données d\u2019essai synthétiques (banque centrale)" \
        in latest
    assert "Linked to this objective by: A/RES/73/195, annex, paragraph 36 (a)." in remittances
    # BV has no value of 16.2.2: said, with a link to its page; AQ's breakdown by sex.
    trafficking = (site / "en" / "indicator-16-2-2.html").read_text(encoding="utf-8")
    words = page_text(site / "en" / "indicator-16-2-2.html")
    assert 'No values from: <a href="state-BV.html">Bouvet Island</a>.' in trafficking
    assert "Year Total Female Male 2021 3.1 4.4 1.8 2022 2.7 3.9 1.5 2023 2.2 3.2 1.2" in words
    assert "Linked to this objective for this review, not by a public source." in words
    # The regional report's chart, drawn as an SVG picture, its values in its text.
    chart = re.search(r'<img src="(figures/indicator-16-2-2\.svg)" alt="([^"]*)"', trafficking)
    assert chart and "Antarctica, 2023: 2.2" in chart.group(2)
    assert (site / "en" / chart.group(1)).read_bytes().startswith(b"<svg")
    assert 'href="../downloads/indicators/16-2-2.csv"' in trafficking
    assert 'href="../downloads/indicators.csv"' in trafficking
    # French numbers in French pages.
    fr = page_text(site / "fr" / "indicator-10-c-1.html")
    assert "Île Bouvet 2023 4,75" in fr


def test_objective_and_state_pages_link_to_their_indicators(indicators: Path) -> None:
    site = indicators / "site" / "en"
    for number, slug in ((6, "10-7-1"), (10, "16-2-2"), (20, "10-c-1")):
        page = (site / f"objective-{number}.html").read_text(encoding="utf-8")
        assert f'<a href="indicator-{slug}.html">Indicator <bdi dir="ltr">' in page
    objective = page_text(site / "objective-10.html")
    assert "Linked to this objective for this review, not by a public source." in objective
    aq = (site / "state-AQ.html").read_text(encoding="utf-8")
    assert all(f'href="indicator-{slug}.html"' in aq for slug in ("10-7-1", "10-c-1", "16-2-2"))
    bv = page_text(site / "state-BV.html")
    assert "Values for two indicators" in bv and "2023 8.7 Per cent" in bv
    assert 'href="indicator-16-2-2.html"' not in (site / "state-BV.html").read_text(
        encoding="utf-8")


def test_downloads_hold_exactly_the_data_files_values(indicators: Path, run_cli) -> None:
    site = indicators / "site"
    header, every = download_rows(site / "downloads" / "indicators.csv")
    assert header == ["Indicator", "Country", "Year", "Series", "Sex", "Units", "Value", "Source"]
    assert every == data_rows(indicators)
    for code in ("10.7.1", "10.c.1", "16.2.2"):
        _header, one = download_rows(site / "downloads" / "indicators" /
                                     f"{code.replace('.', '-')}.csv")
        assert one == {row for row in every if row[0] == code}
    raw = (site / "downloads" / "indicators.csv").read_bytes()
    assert b"\r" not in raw and raw.endswith(b"\n")
    raw.decode("utf-8")
    downloads = (site / "fr" / "downloads.html").read_text(encoding="utf-8")
    assert all(f'href="../downloads/{name}"' in downloads
               for name in ("indicators.csv", "indicators/10-7-1.csv", "indicators/16-2-2.csv"))
    # The coverage matrix counts each State's indicators, as `gcmreview coverage` does.
    for fmt in ("csv", "json"):
        coverage = run_cli("coverage", "--format", fmt, cwd=indicators)
        assert (site / "downloads" / f"coverage.{fmt}").read_text(encoding="utf-8") \
            == coverage.out
    assert '"indicators": {' in coverage.out


def test_indicator_downloads_and_charts_are_the_same_bytes_each_time(tmp_path: Path) -> None:
    ws = Path(shutil.copytree(INDICATORS, tmp_path / "ws"))
    for out in ("one", "two"):
        code, err = run(ws, "site", "--out", out, "--lang", "en,ar")
        assert code == 0, err
    one, two = files_of(ws / "one"), files_of(ws / "two")
    assert one == two
    assert {"downloads/indicators.csv", "downloads/indicators/10-c-1.csv",
            "en/figures/indicator-10-c-1.svg", "ar/figures/indicator-10-c-1.svg"} <= set(one)
    # A value changed: its pages, chart and downloads are written again, not the others.
    data = ws / "data" / "BV" / "10-c-1.csv"
    data.write_text(data.read_text(encoding="utf-8").replace(",4.75,", ",4.5,"),
                    encoding="utf-8")
    code, err = run(ws, "site", "--out", "one", "--lang", "en,ar")
    assert code == 0 and "up to date" not in err, err
    after = files_of(ws / "one")
    changed = {k for k in after if after[k] != one.get(k)}
    assert {"downloads/indicators.csv", "downloads/indicators/10-c-1.csv",
            "en/indicator-10-c-1.html", "en/figures/indicator-10-c-1.svg"} <= changed
    assert not changed & {"downloads/indicators/10-7-1.csv", "en/indicator-10-7-1.html",
                          "en/figures/indicator-10-7-1.svg"}


def test_arabic_indicator_pages_are_right_to_left_in_arabic_words(indicators: Path) -> None:
    site = indicators / "site" / "ar"
    page = (site / "indicator-10-c-1.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in page
    words = page_text(site / "indicator-10-c-1.html")
    for arabic in ("المؤشر", "الهدف المرتبط", "آخر قيمة لكل دولة", "القيم حسب الدولة",
                   "التنزيلات", "الدول التي قدّمت بيانات"):
        assert arabic in words, arabic
    # the code reads left to right inside the Arabic heading
    assert 'المؤشر <bdi dir="ltr">10.c.1</bdi>' in page
    index = page_text(site / "indicators.html")
    assert "المؤشرات" in index and "الدول التي قدّمت بيانات" in index


def test_hostile_data_values_come_out_as_text(tmp_path: Path) -> None:
    ws = Path(shutil.copytree(INDICATORS, tmp_path / "ws"))
    data = ws / "data" / "AQ" / "10-7-1.csv"
    data.write_text("Year,Units,Value,Source\n"
                    '2021,<b>pc</b>,14.2,"<script>alert(1)</script> survey"\n'
                    '2022,<b>pc</b>,12.8,<img src=x onerror=alert(2)>\n', encoding="utf-8")
    code, err = run(ws, "site", "--lang", "en")
    assert code == 0, err
    for path, _html, found in pages_without_scripts(ws / "site"):
        assert all(src.startswith("figures/indicator-") for src in found.sources), path
    page = (ws / "site" / "en" / "indicator-10-7-1.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(2)&gt;" in page and "&lt;b&gt;pc&lt;/b&gt;" in page
    _header, rows = download_rows(ws / "site" / "downloads" / "indicators.csv")
    assert ("10.7.1", "AQ", "2021", "", "<b>pc</b>", "14.2",
            "<script>alert(1)</script> survey") in rows


def test_a_data_file_with_errors_is_reported_and_left_out(tmp_path: Path) -> None:
    ws = Path(shutil.copytree(INDICATORS, tmp_path / "ws"))
    code, err = run(ws, "site", "--lang", "en")
    assert code == 0, err
    before = files_of(ws / "site")
    data = ws / "data" / "BV" / "10-c-1.csv"
    data.write_text(data.read_text(encoding="utf-8").replace("2023,", "2031,")
                    .replace(",5.2,", ",=5.2,"), encoding="utf-8")
    code, err = run(ws, "site", "--lang", "en")
    assert code == 1, err
    assert "data/BV/10-c-1.csv:3:14: error[data-formula]" in err, err
    assert "data/BV/10-c-1.csv:4:1: error[data-year-out-of-range]" in err, err
    # The site is whole: every page there, the file's values out of pages and downloads,
    # and said; nothing left half-written (no staging file, nothing the manifest lacks).
    after = files_of(ws / "site")
    written = {k: h for k, h in after.items() if not k.startswith("pagefind/")}
    manifest = json.loads((ws / "site" / ".gcmreview-site.json").read_text(encoding="utf-8"))
    assert written == {**manifest["files"], ".gcmreview-site.json": written[".gcmreview-site.json"]}
    assert {k for k in before if not k.startswith("pagefind/")} == set(written)
    page = (ws / "site" / "en" / "indicator-10-c-1.html").read_text(encoding="utf-8")
    assert "Left out, as their data file has errors: " \
        '<a href="state-BV.html">Bouvet Island</a>.' in page
    state = page_text(ws / "site" / "en" / "state-BV.html")
    assert "The data file of indicator 10.c.1 has errors" in state
    _header, rows = download_rows(ws / "site" / "downloads" / "indicators.csv")
    assert not [r for r in rows if r[:2] == ("10.c.1", "BV")]
    assert [r for r in rows if r[:2] == ("10.7.1", "BV")]
    # Up to date, the problem is said again and the exit status stays 1, as with `build`.
    code, err = run(ws, "site", "--lang", "en")
    assert code == 1 and "up to date" in err and "data/BV/10-c-1.csv:3:" in err
    code, built = run(ws, "build", "--region", "-f", "html", "--lang", "en")
    assert code == 1 and "data/BV/10-c-1.csv:3:" in built


class Elements(HTMLParser):
    """Scripts, event handlers, images and link targets of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: set[str] = set()
        self.handlers: list[tuple[str, str]] = []
        self.images: list[str] = []
        self.sources: list[str] = []
        """The addresses of the images, frames and objects."""
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            self.scripts.add(values.get("src") or "inline")
        if tag in ("img", "iframe", "object", "embed"):
            self.images.append(tag)
            self.sources.append(str(values.get("src") or values.get("data") or ""))
        self.handlers += [(tag, name) for name, _v in attrs if name.startswith("on")]
        for name in ("href", "src", "action", "formaction"):
            if values.get(name):
                self.links.append(str(values[name]))


def pages_without_scripts(site: Path) -> Iterator[tuple[Path, str, Elements]]:
    """Every page of the site, each checked to run no script but the site's own and no
    event handler: its path, its HTML and what it holds, for the caller's own checks."""
    for path in sorted(site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        found = Elements()
        found.feed(html)
        assert found.scripts <= {"../assets/site.js", "../assets/search.js"}, path
        assert not found.handlers, (path, found.handlers[:3])
        yield path, html, found


# --- crawling: every link of every page ---------------------------------------------


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        for name in ("href", "src"):
            value = values.get(name)
            if value and not (tag == "link" and values.get("rel") == "canonical"):
                self.targets.append(value)


def crawl(base: str) -> tuple[int, list[str]]:
    """Every page and file the site links to from its front page: (pages, broken)."""
    seen: dict[str, Links] = {}
    todo, broken, wanted = [base], [], []
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        try:
            with urllib.request.urlopen(url, timeout=30) as answer:
                body = answer.read()
                kind = answer.headers.get("Content-Type", "")
        except urllib.error.URLError as exc:
            broken.append(f"{url}: {exc}")
            seen[url] = Links()
            continue
        links = Links()
        if "html" in kind:
            links.feed(body.decode("utf-8"))
        seen[url] = links
        for target in links.targets:
            absolute = urljoin(url, target)
            if not absolute.startswith(base) or target.startswith("data:"):
                continue
            page, fragment = urldefrag(absolute)
            if fragment:
                wanted.append((url, page, fragment))
            if page not in seen:
                todo.append(page)
    for source, page, fragment in wanted:
        if fragment not in seen[page].ids:
            broken.append(f"{source} -> {page}#{fragment}")
    return len(seen), broken


@pytest.mark.parametrize("which", ["example", "two_cycles", "indicators"])
def test_no_broken_link_anywhere(request: pytest.FixtureRequest, which: str) -> None:
    ws = request.getfixturevalue(which)
    with served(ws / "site") as base:
        pages, broken = crawl(base)
    assert broken == []
    assert pages > 100


def test_the_server_serves_nothing_outside_the_site(example: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    site = Path(shutil.copytree(example / "site", tmp_path / "site"))
    (site / "en" / "leak.txt").symlink_to(secret)
    with served(site) as base:
        for path in ("en/leak.txt", "../secret.txt", "%2e%2e/secret.txt"):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(base + path, timeout=10)
            assert refused.value.code == 404
            refused.value.close()


def test_translations_are_shown_and_said(two_cycles: Path, tmp_path: Path) -> None:
    """BV wrote in French and has an English translation (translations/en/BV.xlf): the
    English pages show it and say so; the French and Arabic pages do not claim one."""
    site = two_cycles / "site"
    state = (site / "en" / "state-BV.html").read_text(encoding="utf-8")
    assert "<dt>Translation</dt> <dd>Translated from French; the French original " \
           "prevails.</dd>" in state
    objective = (site / "en" / "objective-7.html").read_text(encoding="utf-8")
    assert '<p class="language-note">English, translated from French</p>' in objective
    assert "reception centres are open" in objective  # the translated words
    for lang in ("fr", "ar"):
        page = (site / lang / "objective-7.html").read_text(encoding="utf-8")
        assert "translated" not in page and "traduit" not in page and "مترجم" not in page
    # A new translation is a change: the site is built again, not said up to date.
    copy = Path(shutil.copytree(two_cycles, tmp_path / "repo", symlinks=True))
    xlf = copy / "translations" / "en" / "BV.xlf"
    xlf.write_text(xlf.read_text(encoding="utf-8").replace(
        "the reception centres are open", "the reception centres are open all year"),
        encoding="utf-8")
    code, err = run(copy, "site", "--lang", "en", "--out", str(tmp_path / "out"))
    assert code == 0, err
    code, err = run(copy, "site", "--lang", "en", "--out", str(tmp_path / "out"))
    assert "up to date" in err
    xlf.write_text(xlf.read_text(encoding="utf-8").replace(" all year", " in winter"),
                   encoding="utf-8")
    code, err = run(copy, "site", "--lang", "en", "--out", str(tmp_path / "out"))
    assert code == 0 and "up to date" not in err, err
    assert "open in winter" in (tmp_path / "out" / "en" / "objective-7.html").read_text(
        encoding="utf-8")


def test_sitemap_and_canonical_links_with_a_base_url(two_cycles: Path) -> None:
    site = two_cycles / "site"
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.org/review/ar/progress.html</loc>" in sitemap
    page = (site / "fr" / "progress.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.org/review/fr/progress.html">' in page


# --- in the browser -------------------------------------------------------------------


def chromium() -> str | None:
    candidates = (os.environ.get("GCMREVIEW_CHROMIUM"), "/usr/bin/chromium",
                  shutil.which("chromium"), shutil.which("chromium-browser"))
    return next((c for c in candidates if c and Path(c).is_file()), None)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    executable = chromium()
    if executable is None:
        message = "no Chromium: apt-get install chromium, or set GCMREVIEW_CHROMIUM"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_api.sync_playwright() as playwright:
        chrome = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            yield chrome
        finally:
            chrome.close()


@pytest.fixture(scope="module")
def example_url(example: Path) -> Iterator[str]:
    with served(example / "site") as base:
        yield base


@pytest.fixture(scope="module")
def two_cycles_url(two_cycles: Path) -> Iterator[str]:
    with served(two_cycles / "site") as base:
        yield base


@pytest.fixture(scope="module")
def indicators_url(indicators: Path) -> Iterator[str]:
    with served(indicators / "site") as base:
        yield base


class Reader:
    """A page open in Chromium, with the errors it logged."""

    def __init__(self, browser: object, width: int = 1280) -> None:
        self.page = browser.new_page(viewport={"width": width, "height": 900})
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, url: str) -> object:
        self.page.goto(url, wait_until="load")
        return self.page

    def close(self) -> None:
        self.page.close()


@pytest.fixture
def reader(browser: object) -> Iterator[Reader]:
    opened = Reader(browser)
    yield opened
    opened.close()
    assert opened.errors == []


def test_home_to_objective_10_to_morocco_and_back(reader: Reader, example_url: str) -> None:
    page = reader.open(example_url + "fr/index.html")
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Objectifs").click()
    page.wait_for_url("**/fr/objectives.html")
    page.get_by_role("link", name="Objectif 10", exact=True).click()
    page.wait_for_url("**/fr/objective-10.html")
    assert page.locator("h1").inner_text().startswith("Objectif 10. Prévenir, combattre")
    page.locator(".response h3").get_by_role("link", name="Maroc").click()
    page.wait_for_url("**/fr/state-MA.html#objective-10")
    assert page.locator("h1").inner_text() == "Maroc"
    assert page.locator("#objective-10").is_visible()
    page.go_back()
    page.wait_for_url("**/fr/objective-10.html")
    page.go_back()
    page.go_back()
    page.wait_for_url("**/fr/index.html")


def test_language_switch_keeps_the_page(reader: Reader, example_url: str) -> None:
    page = reader.open(example_url + "fr/objective-10.html")
    page.get_by_role("navigation", name="Langues").get_by_role("link", name="العربية").click()
    page.wait_for_url("**/ar/objective-10.html")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") \
        == ["ar", "rtl"]
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # French narratives keep their language and direction inside the Arabic page.
    narratives = page.evaluate("""[...document.querySelectorAll('.response .narrative')]
        .map(n => [n.lang, n.dir, getComputedStyle(n).direction])""")
    assert ["fr", "ltr", "ltr"] in narratives
    page.get_by_role("navigation", name="اللغات").get_by_role("link", name="English").click()
    page.wait_for_url("**/en/objective-10.html")


SEARCHES = [
    # French stemming: "traites" finds "traite"; the objective's French title, the States'
    # French words on trafficking.
    ("fr", "traite", {"objective-10.html", "state-MA.html", "state-DZ.html"}),
    ("fr", "traites", {"objective-10.html", "state-MA.html"}),
    # Arabic: the partner's statement on HM's objective 10, with and without the article
    # (indexed on HM's page, whose result leads to its objective 10).
    ("ar", "الاتجار", {"state-HM.html"}),
    ("ar", "اتجار", {"state-HM.html"}),
    ("ar", "المغرب", {"state-MA.html"}),
    # English: the official title of objective 10.
    ("en", "trafficking", {"objective-10.html", "objectives.html"}),
]


@pytest.mark.parametrize(("lang", "query", "expected"), SEARCHES,
                         ids=[f"{lang}-{query}" for lang, query, _e in SEARCHES])
def test_search_finds_the_pages_that_hold_the_words(reader: Reader, example_url: str,
                                                    lang: str, query: str,
                                                    expected: set[str]) -> None:
    page = reader.open(example_url + f"{lang}/search.html?q={query}")
    page.wait_for_selector(".search-results > li")
    links = page.evaluate("""[...document.querySelectorAll('.search-results > li > h2 a')]
        .map(a => a.getAttribute('href'))""")
    found = {urlsplit(link).path.rsplit("/", 1)[-1] for link in links}
    assert expected <= found, found
    assert all(urlsplit(link).path.startswith(f"/{lang}/") for link in links)
    marks = page.locator(".search-results mark")
    assert marks.count() > 0
    if "state-HM.html" in expected:  # the section that holds the words, one click away
        sections = page.evaluate("""[...document.querySelectorAll('.search-results ul a')]
            .map(a => a.getAttribute('href'))""")
        assert any(s.endswith("/ar/state-HM.html#objective-10") for s in sections), sections


def test_search_filters_by_state(reader: Reader, example_url: str) -> None:
    page = reader.open(example_url + "fr/search.html?q=traite&state=Maroc")
    page.wait_for_selector(".search-results > li")
    assert page.locator("#filter-state").input_value() == "Maroc"
    links = page.evaluate("""[...document.querySelectorAll('.search-results > li > h2 a')]
        .map(a => a.getAttribute('href'))""")
    assert links and all("state-DZ" not in link for link in links)


def test_the_arabic_state_filter_sets_the_article_aside(reader: Reader,
                                                       example_url: str) -> None:
    """The search's States, sorted in the browser: in Arabic with the article aside, as
    every list of States ("تونس" before "المغرب"; with it, المغرب came before تونس)."""
    page = reader.open(example_url + "ar/search.html?q=الهجرة")
    page.wait_for_selector("#filter-state option:nth-child(3)", state="attached")
    names = page.evaluate("""[...document.querySelectorAll('#filter-state option')]
        .map(o => o.value).filter(v => v)""")
    assert len(names) > 5 and names == sorted(names, key=lambda n: collation_key(n, "ar"))
    assert names.index("تونس") < names.index("المغرب")


def test_a_query_loads_little(browser: object, example_url: str) -> None:
    """Pagefind loads only the index chunks and fragments a query needs."""
    opened = Reader(browser)
    sizes: list[int] = []
    opened.page.on("requestfinished", lambda r: sizes.append(r.sizes()["responseBodySize"])
                   if "/pagefind/" in r.url else None)
    page = opened.open(example_url + "fr/search.html?q=traite")
    page.wait_for_selector(".search-results > li")
    opened.close()
    assert opened.errors == []
    assert 0 < sum(sizes) < 300_000


def test_status_filter_without_and_with_javascript(browser: object, example_url: str) -> None:
    page = browser.new_page(java_script_enabled=False)
    page.goto(example_url + "en/objective-10.html")
    assert page.locator("form.filters").is_hidden()  # no control that does nothing
    assert page.locator(".response").count() == 5  # everything is shown
    page.close()
    opened = Reader(browser)
    page = opened.open(example_url + "en/objective-10.html")
    page.get_by_role("checkbox", name=re.compile("In progress")).uncheck()
    assert page.locator('[data-status="in_progress"]').is_hidden()
    assert page.locator('[data-status="not_stated"]').is_visible()
    page.goto(example_url + "en/objectives.html")
    page.get_by_role("checkbox", name="IMRF round table 1").uncheck()
    assert page.locator('[data-round-table="1"]').is_hidden()
    opened.close()
    assert opened.errors == []


def test_print_leaves_the_navigation_out(reader: Reader, example_url: str) -> None:
    page = reader.open(example_url + "en/objective-10.html")
    page.emulate_media(media="print")
    assert page.locator(".site-nav").is_hidden() and page.locator(".pager").is_hidden()
    assert page.locator(".response").first.is_visible()


def axe_script() -> str:
    return (resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def pages_to_check(which: str) -> list[str]:
    kinds = {"example_url": KINDS, "indicators_url": INDICATOR_PAGES}.get(
        which, ("index.html", "progress.html", "state-AQ.html", "objective-4.html"))
    return [f"{lang}/{kind}" for lang in ("en", "ar") for kind in kinds] + ["index.html"]


@pytest.mark.parametrize("which", ["example_url", "two_cycles_url", "indicators_url"])
@pytest.mark.parametrize("width", WIDTHS)
def test_axe_and_no_page_wider_than_the_screen(request: pytest.FixtureRequest, browser: object,
                                               which: str, width: int) -> None:
    base = request.getfixturevalue(which)
    opened = Reader(browser, width)
    serious: dict[str, object] = {}
    too_wide = []
    for path in pages_to_check(which):
        page = opened.open(base + path)
        widths = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        if widths[0] > widths[1]:
            too_wide.append((path, widths))
        if width < 1280 and not path.endswith(PHONE_AXE):
            continue  # axe at a phone's width on the pages whose layout changes most
        page.evaluate(axe_script())
        results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        for v in results["violations"]:
            if v["impact"] in ("serious", "critical"):
                serious[f"{path}: {v['id']}"] = [n["target"] for n in v["nodes"]][:3]
    opened.close()
    assert too_wide == []
    assert serious == {}
    assert opened.errors == []


def test_progress_page_shows_the_cycles(reader: Reader, two_cycles_url: str) -> None:
    page = reader.open(two_cycles_url + "en/progress.html")
    assert "Progress since the 2020 review" in page.locator("main h2").first.inner_text()
    cell = page.locator(".changes tbody tr").first
    assert cell.locator(".change").count() == 23
    page = reader.open(two_cycles_url + "ar/state-HM.html")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    page = reader.open(two_cycles_url + "ar/search.html?q=الهوية")
    page.wait_for_selector(".search-results > li")
    links = page.evaluate("""[...document.querySelectorAll('.search-results > li > h2 a')]
        .map(a => a.getAttribute('href'))""")
    assert any(link.endswith("/ar/state-HM.html") for link in links)


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("width", WIDTHS)
def test_an_indicator_page_in_the_browser(browser: object, indicators_url: str, lang: str,
                                          width: int) -> None:
    """The chart is drawn (the picture loads), at its own size: on a phone its box scrolls
    sideways, the page does not; Arabic pages read from the right."""
    opened = Reader(browser, width)
    page = opened.open(indicators_url + f"{lang}/indicator-10-c-1.html")
    chart = page.locator("figure.chart img")
    assert chart.evaluate("img => img.complete && img.naturalWidth > 300")
    box = page.locator(".chart-box")
    sizes = box.evaluate("b => [b.scrollWidth, b.clientWidth]")
    assert (sizes[0] > sizes[1]) == (width < 600), sizes
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert page.evaluate("getComputedStyle(document.body).direction") == (
        "rtl" if lang == "ar" else "ltr")
    rows = page.locator("section[aria-labelledby=latest] tbody tr")
    assert rows.count() == 2
    page.get_by_role("link", name="Bouvet Island" if lang == "en" else "جزيرة بوفيه").first.click()
    page.wait_for_url(f"**/{lang}/state-BV.html")
    assert page.locator("#indicators").is_visible()
    opened.close()
    assert opened.errors == []


def test_search_filters_by_indicator(reader: Reader, indicators_url: str) -> None:
    page = reader.open(indicators_url + "en/search.html?q=remittance&indicator=10.c.1")
    page.wait_for_selector(".search-results > li")
    assert page.locator("#filter-indicator").input_value() == "10.c.1"
    links = page.evaluate("""[...document.querySelectorAll('.search-results > li > h2 a')]
        .map(a => a.getAttribute('href'))""")
    found = {urlsplit(link).path.rsplit("/", 1)[-1] for link in links}
    assert "indicator-10-c-1.html" in found and "indicator-10-7-1.html" not in found


def test_the_site_draws_with_the_reports_fonts_and_colours() -> None:
    """templates/site/assets/site.css starts from the HTML report's style: its font faces
    (Arabic faces scaled to the Latin text) and its colours must stay those of
    templates/report.html, or a State's page stops reading as its report."""
    from gcmreview.render.templates import builtin_templates_dir

    def shared(css: str) -> str:
        start = css.index("/* Fonts:")
        root = css.index(":root {", start)
        return css[start:css.index("\n}\n", root) + 3]

    templates = builtin_templates_dir()
    report = shared((templates / "report.html").read_text(encoding="utf-8"))
    site = shared((templates / "site" / "assets" / "site.css").read_text(encoding="utf-8"))
    assert report.count("@font-face") == 10 and "--un-blue:" in report
    assert site == report


def test_the_preview_is_quiet_when_a_browser_hangs_up(example: Path,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    """A browser leaving a page closes its connections mid-answer: the preview printed
    socketserver's traceback for each ("Exception occurred during processing of request")."""
    import socket
    import struct

    big = max((p for p in (example / "site").rglob("*") if p.is_file()),
              key=lambda p: p.stat().st_size)
    path = big.relative_to(example / "site").as_posix()
    with served(example / "site") as url:
        port = int(url.rstrip("/").rsplit(":", 1)[1])
        for _ in range(5):
            client = socket.create_connection(("127.0.0.1", port))
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            client.sendall(f"GET /{path} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
            client.recv(10)
            client.close()  # a reset: the server is still sending
        assert urllib.request.urlopen(url).status == 200  # still serving
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "Exception occurred" not in captured.err


def test_an_objective_a_state_dropped_is_said(two_cycles: Path) -> None:
    """Bouvet Island reported on objective 10 in 2020 and no longer does: the page says so
    where it said only that no State reports on it; a State with no review this cycle is
    not among them (it dropped nothing: it sent nothing)."""
    page = (two_cycles / "site" / "en" / "objective-10.html").read_text(encoding="utf-8")
    assert "No State reports on this objective." in page
    assert "<p>No longer reported by: Bouvet Island (2020: Planned).</p>" in page
    french = (two_cycles / "site" / "fr" / "objective-10.html").read_text(encoding="utf-8")
    assert "N’est plus traité par\u00a0: Île Bouvet (2020\u00a0: prévu)." in french
    assert "No longer reported by" not in (
        two_cycles / "site" / "en" / "objective-23.html").read_text(encoding="utf-8")
