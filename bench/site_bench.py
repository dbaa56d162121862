"""Benchmark `gcmreview site` for 193 synthetic reviews against the reports' own build.

The floor (issue 19): `build --all --format html` in one language, from an empty
build folder, once for each of the site's three languages (the sum). The site is
built in the three languages from an empty folder, its narrative cache emptied too,
so that it parses every narrative as the first build does. Then:

- a rebuild with nothing changed, against the full site build (target < 5 %);
- the search index of each language (its index chunks, filters, meta and language
  code; the page fragments that results show are counted apart), target < 5 MB;
- what one query transfers in Chromium (every request under pagefind/: its script,
  the language's code, the index chunks and the fragments of the first results),
  target < 300 KB.

    python bench/site_bench.py [--skip-floor]

Run it when the machine is quiet (`uptime`): both sides are timed in the same run.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import threading
import time
from pathlib import Path

from common import HERE, ensure_workspace, measure

LANGS = ("en", "fr", "ar")
QUERIES = {"en": "protection", "fr": "coopération", "ar": "الحماية"}
"""A word of each language's synthetic text: it is on every page, the largest answer."""


def build_floor(ws: Path, out: Path) -> float:
    total = 0.0
    for lang in LANGS:
        folder = out / f"floor-{lang}"
        shutil.rmtree(folder, ignore_errors=True)
        result = measure([sys.executable, "-m", "gcmreview", "build", "--all", "--format",
                          "html", "--lang", lang, "--out", str(folder), "--quiet"], ws, repeat=1)
        print(f"  build --all --format html --lang {lang}, empty folder: "
              f"{result['seconds']:6.2f} s, largest process {result['peak_mb']:.0f} MB")
        total += result["seconds"]
    return total


def site_build(ws: Path, site: Path) -> tuple[dict[str, float], dict[str, float]]:
    shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(ws / "build" / ".gcmreview-cache", ignore_errors=True)
    command = [sys.executable, "-m", "gcmreview", "site", "--out", str(site), "--quiet"]
    full = measure(command, ws, repeat=1)
    unchanged = measure(command, ws, repeat=3)
    return full, unchanged


def index_sizes(site: Path) -> dict[str, tuple[int, int]]:
    """Language -> (index bytes, fragment bytes)."""
    bundle = site / "pagefind"
    out = {}
    for lang in LANGS:
        index = sum(p.stat().st_size for p in (
            *bundle.glob(f"index/{lang}_*"), *bundle.glob(f"filter/{lang}_*"),
            *bundle.glob(f"pagefind.{lang}_*.pf_meta"), bundle / f"wasm.{lang}.pagefind"))
        fragments = sum(p.stat().st_size for p in bundle.glob(f"fragment/{lang}_*"))
        out[lang] = (index, fragments)
    return out


def query_transfer(site: Path) -> dict[str, tuple[int, int]]:
    """Language -> (bytes transferred under pagefind/ for one query, results)."""
    from playwright.sync_api import sync_playwright

    from gcmreview.website import preview_server

    server = preview_server(site, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    out = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=["--no-sandbox"])
            for lang, query in QUERIES.items():
                page = browser.new_page()
                sizes: list[int] = []
                page.on("requestfinished", lambda r, sizes=sizes: sizes.append(
                    r.sizes()["responseBodySize"]) if "/pagefind/" in r.url else None)
                page.goto(f"{base}{lang}/search.html?q={query}", wait_until="networkidle")
                page.wait_for_selector(".search-results > li")
                page.wait_for_load_state("networkidle")
                found = page.locator(".search-results > li").count()
                out[lang] = (sum(sizes), found)
                page.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-floor", action="store_true")
    args = parser.parse_args()
    ws = ensure_workspace()
    out = HERE / "out"
    site = out / "site"
    print(f"gcmreview site: {len(list((ws / 'countries').glob('*.yaml')))} reviews, "
          f"languages {', '.join(LANGS)}")
    floor = None
    if not args.skip_floor:
        floor = build_floor(ws, out)
        print(f"  floor, build --all --format html x3 languages:  {floor:6.2f} s")
    start = time.perf_counter()
    full, unchanged = site_build(ws, site)
    del start
    pages = sum(1 for _ in site.glob("*/*.html"))
    print(f"  gcmreview site, empty folder and cache:         {full['seconds']:6.2f} s "
          f"({pages} pages), largest process {full['peak_mb']:.0f} MB")
    if floor:
        print(f"  ratio: {full['seconds'] / floor:.2f}x the floor (target <= 1x)")
    print(f"  nothing changed: {unchanged['seconds']:.2f} s = "
          f"{unchanged['seconds'] / full['seconds']:.1%} of the full site build (target < 5%)")
    for lang, (index, fragments) in index_sizes(site).items():
        print(f"  search index, {lang}: {index / 1e6:.2f} MB (target < 5 MB); "
              f"page fragments {fragments / 1e6:.2f} MB, loaded a few at a time")
    for lang, (sent, found) in query_transfer(site).items():
        print(f"  one query, {lang} ({QUERIES[lang]!r}, {found} results shown): "
              f"{sent / 1e3:.0f} KB transferred (target < 300 KB)")


if __name__ == "__main__":
    main()
