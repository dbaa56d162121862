"""Pictures of the shipped example's reports for the README (docs/pictures/*.png).

Builds Morocco's report and the regional report in French and in Arabic, in PDF,
HTML and DOCX, and takes one page of each as the reader sees it: the PDF page
rendered by pdftoppm (poppler-utils), the HTML page screenshotted in Chromium
(the Debian package, driven by Playwright), the DOCX page as LibreOffice prints
it. Run from the repository root after `pip install '.[test]'`:

    python tools/make_pictures.py            # all twelve pictures
    python tools/make_pictures.py --out /tmp/look   # somewhere else, to look at

Needs `soffice`, `pdftoppm` and `/usr/bin/chromium` (see .ci/run).
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from gcmreview.cli import main as gcmreview

ROOT = Path(__file__).resolve().parent.parent
REPORTS = {
    # report: the page to show (1 is the cover), or the words that find it: the
    # regional reports' first figure, wherever the layout puts it.
    "MA.fr": 3,
    "MA.ar": 3,
    "regional.fr": "Figure 1.",
    "regional.ar": "الشكل",
}
DPI = 60
"""An A4 page 496 pixels wide: readable on GitHub, small in the repository."""
CHROMIUM = "/usr/bin/chromium"


def build(workspace: Path, out: Path) -> None:
    for lang in ("fr", "ar"):
        with contextlib.chdir(workspace):
            code = gcmreview(["build", "--country", "MA", "--region", "--lang", lang,
                              "--format", "pdf,html,docx", "--out", str(out), "--force"])
        if code != 0:
            sys.exit(f"gcmreview build --lang {lang} failed ({code})")


def pdf_page(pdf: Path, page: int, png: Path) -> None:
    """One page of a PDF as PNG (pdftoppm adds the page number to the name it is given)."""
    stem = png.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", str(page), "-l", str(page),
                    "-singlefile", str(pdf), str(stem)], check=True)


def find_page(pdf: Path, page: int | str) -> int:
    """The page number itself, or the first page whose text holds the words."""
    if isinstance(page, int):
        return page
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    for number, content in enumerate(text.split("\f"), start=1):
        if page in content or page[::-1] in content:  # pdftotext gives Arabic as drawn
            return number
    sys.exit(f"{pdf.name}: no page shows {page!r}")


def docx_page(docx: Path, page: int | str, png: Path, scratch: Path) -> None:
    """The DOCX as LibreOffice prints it, then that page."""
    profile = scratch / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(scratch), str(docx)],
                   check=True, capture_output=True, timeout=300)
    pdf = scratch / f"{docx.stem}.pdf"
    pdf_page(pdf, find_page(pdf, page), png)


def html_pages(pages: dict[Path, Path]) -> None:
    """The top of each HTML report at a laptop's width, as Chromium shows it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page(viewport={"width": 1100, "height": 1400},
                                device_scale_factor=0.5)
        for html, png in pages.items():
            page.goto(html.as_uri())
            page.wait_for_load_state("load")
            # The part with the first figure, or else the first table (the heading of the
            # part before it).
            page.evaluate("document.querySelector('main figure') ? document.querySelector("
                          "'main figure').closest('section').scrollIntoView() : document"
                          ".querySelector('main table, table')?.closest('section, div, main')"
                          "?.scrollIntoView()")
            page.screenshot(path=str(png))
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "pictures")
    args = parser.parse_args()
    missing = [p for p in ("soffice", "pdftoppm") if not shutil.which(p)]
    if missing or not Path(CHROMIUM).exists():
        sys.exit(f"missing: {', '.join(missing + ([] if Path(CHROMIUM).exists() else [CHROMIUM]))}")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        workspace = scratch / "ws"
        shutil.copytree(ROOT / "countries", workspace / "countries")
        shutil.copy(ROOT / "gcmreview.yaml", workspace / "gcmreview.yaml")
        out = scratch / "out"
        build(workspace, out)
        html = {}
        for report, page in REPORTS.items():
            pdf = out / f"{report}.pdf"
            pdf_page(pdf, find_page(pdf, page), args.out / f"{report}.pdf.png")
            docx_page(out / f"{report}.docx", page, args.out / f"{report}.docx.png", scratch)
            html[out / f"{report}.html"] = args.out / f"{report}.html.png"
        html_pages(html)
    for png in sorted(args.out.glob("*.png")):
        print(png.relative_to(ROOT) if png.is_relative_to(ROOT) else png)


if __name__ == "__main__":
    main()
