"""`gcmreview build` end to end: real pandoc, real typst, and the files they wrote.

Each configuration is built once (module-scoped fixtures); the tests then open
the HTML, DOCX, PDF and Markdown and assert on what is inside. The hostile
workspace (tests/data/hostile) holds a review whose narratives and data try to
inject markup, read local files and break the report's structure.
"""

from __future__ import annotations

import contextlib
import gc
import io
import re
import secrets
import shutil
import subprocess
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree as ET

import pypdf
import pytest
import yaml

from gcmreview.cli import main
from gcmreview.convert.narratives import CACHE_FOLDER
from gcmreview.core.i18n import Formatter
from gcmreview.load.catalogue import builtin
from gcmreview.render.templates import builtin_templates_dir
from gcmreview.write.manifest import MANIFEST_NAME

from .conftest import DATA, ROOT, copy_workspace, unescaped

FORMATS = ("html", "docx", "pdf", "md")
TOOL_FILES = (MANIFEST_NAME, CACHE_FOLDER)
"""What the build keeps for itself in the output folder."""
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

# A phrase found only in the summary of each objective MA reports (countries/MA.yaml).
MA_PHRASES = {
    5: "la garantie de voies de migration sûres",
    10: "compte la traite des êtres humains parmi",
    21: "compte les questions liées à la réintégration des migrants",
    23: "fait état de progrès concernant l'Observatoire africain",
}


def review_data(code: str) -> dict:
    return yaml.safe_load((ROOT / "countries" / f"{code}.yaml").read_text(encoding="utf-8"))


def reported(code: str) -> list[int]:
    return sorted(review_data(code)["objectives"])


def imrf_order(numbers: list[int]) -> list[int]:
    """Objectives as the IMRF round tables list them (the default report order)."""
    return [n for table in builtin().round_tables.values() for n in table if n in numbers]


ISOLATE_MARKS = str.maketrans("", "", "\u2066\u2067\u2068\u2069")


def norm(text: str) -> str:
    """One space between words, straight apostrophes, no bidi isolates: line breaks and
    smart quotes vary, and isolates are invisible."""
    return " ".join(text.replace("\u2019", "'").translate(ISOLATE_MARKS).split())


# --- running the CLI from module-scoped fixtures ------------------------------------


@dataclass
class Run:
    code: int
    out: str
    err: str


def cli(cwd: Path, *args: str) -> Run:
    """`gcmreview ARGS` in `cwd`, the current folder restored afterwards."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return Run(code, out.getvalue(), err.getvalue())


def build_ok(ws: Path, out: str, *args: str) -> Path:
    result = cli(ws, "build", *args, "--out", out)
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    return ws / out


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every entry of a folder (hidden ones too, but the build manifest) and its bytes."""
    return {p.name: p.read_bytes() if p.is_file() else b"<dir>" for p in folder.iterdir()
            if p.name not in TOOL_FILES}


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name not in TOOL_FILES
            and (p.name.startswith(".") or p.suffix in (".tmp", ".typ"))]


def built_names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in TOOL_FILES)


# --- reading the outputs ------------------------------------------------------------


@dataclass(eq=False)
class Node:
    tag: str
    attrs: list[tuple[str, str]]
    children: list[Node | str] = field(default_factory=list)

    def get(self, name: str) -> str | None:
        return next((v for k, v in self.attrs if k == name), None)

    def iter(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str) -> list[Node]:
        return [n for n in self.iter() if n.tag == tag]

    def by_id(self, ident: str) -> Node:
        found = [n for n in self.iter() if n.get("id") == ident]
        assert len(found) == 1, f"{len(found)} elements with id={ident!r}"
        return found[0]

    def raw_text(self) -> str:
        return "".join(c if isinstance(c, str) else c.raw_text() for c in self.children)

    def text(self) -> str:
        return norm(self.raw_text())


class _TreeBuilder(HTMLParser):
    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
                      "meta", "source", "track", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", [])
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, [(k, v or "") for k, v in attrs])
        self.stack[-1].children.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, [(k, v or "") for k, v in attrs]))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


@cache
def html(path: Path) -> Node:
    builder = _TreeBuilder()
    builder.feed(path.read_text(encoding="utf-8"))
    builder.close()
    return builder.root


def body_text(path: Path) -> str:
    return html(path).find_all("body")[0].text()


def objective_sections(path: Path) -> list[int]:
    """Objective numbers in the order their sections appear."""
    return [int(n.get("id").removeprefix("objective-")) for n in html(path).find_all("section")
            if (n.get("id") or "").startswith("objective-")]


@cache
def docx_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def docx_xml(path: Path, part: str = "word/document.xml") -> ET.Element:
    return ET.fromstring(docx_parts(path)[part])


def paragraph_text(p: ET.Element) -> str:
    return "".join(t.text or "" for t in p.iter(W + "t"))


def docx_text(path: Path, part: str = "word/document.xml") -> str:
    return norm("\n".join(paragraph_text(p) for p in docx_xml(path, part).iter(W + "p")))


def paragraph_props(p: ET.Element) -> tuple[str | None, bool]:
    """A paragraph's style and whether it is right to left (w:bidi)."""
    ppr = p.find(W + "pPr")
    if ppr is None:
        return None, False
    style = ppr.find(W + "pStyle")
    return (style.get(W + "val") if style is not None else None), ppr.find(W + "bidi") is not None


@cache
def pdf_text(path: Path) -> str:
    return norm(" ".join(page.extract_text() for page in pypdf.PdfReader(path).pages))


def pdf_fonts(path: Path) -> set[str]:
    fonts = set()
    for page in pypdf.PdfReader(path).pages:
        for ref in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(ref.get_object()["/BaseFont"]).split("+")[-1])
    return fonts


def positions(text: str, needles: list[str]) -> list[int]:
    found = [text.find(norm(n)) for n in needles]
    assert -1 not in found, [n for n, i in zip(needles, found, strict=True) if i == -1]
    return found


# --- the builds ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def example_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # DZ too: its objectives (7 RT4, 9 10 21 RT2, 15 RT3) come out in a different
    # order by round table than by number, which MA's do not.
    return copy_workspace(tmp_path_factory.mktemp("example") / "ws", ("MA", "DZ"))


@pytest.fixture(scope="module")
def fr(example_ws: Path) -> Path:
    """MA and DZ in their own language (French), every format, two pandoc workers."""
    return build_ok(example_ws, "out-fr", "-c", "MA", "-c", "DZ", "-f", ",".join(FORMATS))


@pytest.fixture(scope="module")
def fr_again(example_ws: Path) -> Path:
    return build_ok(example_ws, "out-fr-again", "-c", "MA", "-f", ",".join(FORMATS))


@pytest.fixture(scope="module")
def numeric(example_ws: Path) -> Path:
    return build_ok(example_ws, "out-numeric", "-c", "MA", "-c", "DZ", "-f", "html,docx,md",
                    "--order", "numeric")


@pytest.fixture(scope="module")
def ar(example_ws: Path) -> Path:
    return build_ok(example_ws, "out-ar", "-c", "MA", "-f", ",".join(FORMATS), "--lang", "ar")


@dataclass
class Hostile:
    ws: Path
    out: Path
    secret: str
    """Content of the secret.txt files the narratives try to include."""

    def path(self, fmt: str) -> Path:
        return self.out / f"MA.fr.{fmt}"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    base = tmp_path_factory.mktemp("hostile")
    ws = base / "ws"
    shutil.copytree(DATA / "hostile", ws)
    # Files the narratives name (secret.txt, ../secret.txt) from every likely base folder.
    token = f"SECRET-{secrets.token_hex(8)}"
    for folder in (base, ws, ws / "countries"):
        (folder / "secret.txt").write_text(token + "\n", encoding="utf-8")
    return Hostile(ws, build_ok(ws, "out", "-c", "MA", "-f", "html,docx,md"), token)


@pytest.fixture(scope="module")
def hostile_pdf(hostile: Hostile) -> Path:
    """The PDF in a build of its own: should typst choke on an injection, the HTML, DOCX
    and Markdown tests still run and report what they find."""
    return build_ok(hostile.ws, "out-pdf", "-c", "MA", "-f", "pdf") / "MA.fr.pdf"


# --- 1. MA in French ----------------------------------------------------------------


def test_built_files_and_no_leftovers(fr: Path) -> None:
    names = built_names(fr)
    assert names == sorted(f"{c}.fr.{f}" for c in ("DZ", "MA") for f in FORMATS)
    assert (fr / "MA.fr.pdf").read_bytes().startswith(b"%PDF-")
    assert zipfile.is_zipfile(fr / "MA.fr.docx")


@pytest.mark.parametrize("n", reported("MA"))
def test_fr_html_objective_title_and_narrative(fr: Path, n: int) -> None:
    section = html(fr / "MA.fr.html").by_id(f"objective-{n}")
    heading = section.find_all("h3")[0].text()
    title = builtin().objective(n).title("fr")
    assert not title.fallback
    assert heading.endswith(norm(title.text))
    assert heading.startswith(f"Objectif {n}.")
    narratives = [d for d in section.find_all("div") if d.get("class") == "narrative"]
    assert len(narratives) == 1
    assert norm(MA_PHRASES[n]) in narratives[0].text()
    assert narratives[0].get("lang") == "fr"


def test_fr_html_imrf_order(fr: Path) -> None:
    assert objective_sections(fr / "MA.fr.html") == imrf_order(reported("MA")) == [5, 10, 21, 23]
    expected = imrf_order(reported("DZ"))
    assert expected != reported("DZ")  # DZ tells the two orders apart
    assert objective_sections(fr / "DZ.fr.html") == expected
    # Each objective sits under its own round table's heading.
    catalogue = builtin()
    page = html(fr / "MA.fr.html")
    for n in reported("MA"):
        rt = catalogue.objective(n).round_table
        ids = [s.get("id") for s in page.by_id(f"round-table-{rt}").find_all("section")]
        assert f"objective-{n}" in ids


def test_fr_html_numeric_order(numeric: Path) -> None:
    for code in ("MA", "DZ"):
        assert objective_sections(numeric / f"{code}.fr.html") == reported(code)
    page = html(numeric / "MA.fr.html")
    assert page.by_id("round-table-all").find_all("h2")[0].text()
    assert not [n for n in page.iter() if (n.get("id") or "").startswith("round-table-") and
                n.get("id") != "round-table-all" and n.tag == "section"]


def test_fr_docx_titles_narratives_in_imrf_order(fr: Path) -> None:
    text = docx_text(fr / "MA.fr.docx")
    order = imrf_order(reported("MA"))
    titles = positions(text, [builtin().objective(n).title("fr").text for n in order])
    assert titles == sorted(titles)
    for i, n in enumerate(order):
        end = titles[i + 1] if i + 1 < len(order) else len(text)
        assert norm(MA_PHRASES[n]) in text[titles[i]:end], n


def test_fr_docx_numeric_order_differs_for_dz(fr: Path, numeric: Path) -> None:
    titles = [builtin().objective(n).title("fr").text for n in reported("DZ")]
    numeric_pos = positions(docx_text(numeric / "DZ.fr.docx"), titles)
    assert numeric_pos == sorted(numeric_pos)
    imrf_pos = positions(docx_text(fr / "DZ.fr.docx"), titles)
    assert imrf_pos != sorted(imrf_pos)


def test_fr_markdown_has_titles_and_narratives(fr: Path) -> None:
    md = (fr / "MA.fr.md").read_text(encoding="utf-8")
    headings = [norm(line) for line in md.splitlines() if line.startswith("### ")]
    for n in reported("MA"):
        title = norm(builtin().objective(n).title("fr").text)
        assert any(title in h and f"{{#objective-{n}}}" in h for h in headings), n
        assert norm(MA_PHRASES[n]) in norm(md)


def test_fr_pdf_text(fr: Path) -> None:
    text = pdf_text(fr / "MA.fr.pdf")
    assert "Maroc" in text
    order = imrf_order(reported("MA"))
    found = positions(text, [builtin().objective(n).title("fr").text for n in order])
    assert found == sorted(found)
    assert norm(MA_PHRASES[23]) in text
    assert pypdf.PdfReader(fr / "MA.fr.pdf").metadata.title.startswith("Maroc")
    assert any(f.startswith("LibertinusSerif") for f in pdf_fonts(fr / "MA.fr.pdf"))


def test_fr_html_document_shell(fr: Path) -> None:
    source = (fr / "MA.fr.html").read_text(encoding="utf-8")
    page = html(fr / "MA.fr.html")
    root = page.find_all("html")[0]
    assert (root.get("lang"), root.get("dir")) == ("fr", "ltr")
    toc = page.by_id("TOC")
    assert toc.tag == "nav"
    toc_links = [a.get("href") for a in toc.find_all("a")]
    assert {"#objectives", "#covid19", "#round-table-1"} <= set(toc_links)
    # Self-contained: nothing fetched, nothing run.
    assert not page.find_all("script")
    assert not page.find_all("link")
    assert not [n for n in page.iter() if n.get("src") is not None]
    assert 'src="http' not in source and "<link" not in source
    style = page.find_all("style")[0].raw_text()
    assert "url(" not in style and "@import" not in style
    assert page.find_all("h1")[0].text() == "Maroc"
    assert page.find_all("title")[0].text().startswith("Maroc")


def test_fr_html_coverage_table(fr: Path) -> None:
    catalogue = builtin()
    page = html(fr / "MA.fr.html")
    covered = f"{len(reported('MA'))}/{len(catalogue.objectives)}"
    assert covered == "4/23"
    glance = page.by_id("at-a-glance")
    assert f"{len(reported('MA'))} sur {len(catalogue.objectives)}" in glance.text()
    assert covered in page.find_all("header")[0].text()  # the cover's facts
    rows = glance.find_all("table")[0].find_all("tbody")[0].find_all("tr")
    assert len(rows) == len(catalogue.objectives)
    linked = [a.get("href") for row in rows for a in row.find_all("a")]
    assert linked == [f"#objective-{n}" for n in reported("MA")]


def test_fr_docx_header_footer_properties(fr: Path) -> None:
    path = fr / "MA.fr.docx"
    header = docx_text(path, "word/header1.xml")
    assert "Maroc" in header and "2020" in header
    footer = docx_text(path, "word/footer1.xml")
    assert norm(Formatter("fr").date(review_data("MA")["review"]["date"])) in footer
    for part in ("word/header1.xml", "word/footer1.xml"):
        assert b"GCMREVIEW_" not in docx_parts(path)[part]
    core = docx_xml(path, "docProps/core.xml")
    dc, dcterms = "{http://purl.org/dc/elements/1.1/}", "{http://purl.org/dc/terms/}"
    assert core.find(dc + "title").text == "Maroc"
    assert core.find(dc + "language").text == "fr"
    stamp = f"{review_data('MA')['review']['date']}T00:00:00Z"
    assert core.find(dcterms + "created").text == stamp
    assert core.find(dcterms + "modified").text == stamp
    # French is left to right: no RTL markers anywhere.
    document = docx_parts(path)["word/document.xml"]
    assert b"<w:bidi" not in document and b"<w:bidiVisual" not in document


# --- 2. MA in Arabic ----------------------------------------------------------------


def test_ar_html_direction_and_narrative_language(ar: Path) -> None:
    page = html(ar / "MA.ar.html")
    root = page.find_all("html")[0]
    assert (root.get("lang"), root.get("dir")) == ("ar", "rtl")
    narratives = [d for d in page.find_all("div") if d.get("class") == "narrative"]
    assert len(narratives) >= len(reported("MA"))
    assert all((d.get("lang"), d.get("dir")) == ("fr", "ltr") for d in narratives)
    assert any(norm(MA_PHRASES[10]) in d.text() for d in narratives)
    assert page.find_all("h1")[0].text() == "المغرب"


@pytest.mark.parametrize("n", reported("MA"))
def test_ar_objective_title_or_english_fallback(ar: Path, n: int) -> None:
    label = builtin().objective(n).title("ar")
    heading = html(ar / "MA.ar.html").by_id(f"objective-{n}").find_all("h3")[0]
    docx = docx_text(ar / "MA.ar.docx")
    if label.fallback:
        assert f"{norm(label.text)} (EN)" in heading.text()
        # The English title and its marker, isolated together in the Arabic heading.
        spans = [s for s in heading.find_all("span")
                 if norm(s.text()) == f"{norm(label.text)} (EN)"]
        assert [(s.get("lang"), s.get("dir")) for s in spans] == [("en", "ltr")]
        raw = "".join(c for c in spans[0].children if isinstance(c, str))
        assert raw.startswith("\u2066") and raw.endswith("\u2069")  # LRI … PDI
        assert f"{norm(label.text)} (EN)" in docx
    else:
        assert norm(label.text) in heading.text() and "(EN)" not in heading.text()
        assert norm(label.text) in docx


def test_ar_docx_right_to_left(ar: Path) -> None:
    path = ar / "MA.ar.docx"
    paragraphs = list(docx_xml(path).iter(W + "p"))
    props = [paragraph_props(p) for p in paragraphs]
    headings = [bidi for style, bidi in props if style and style.startswith("Heading")]
    assert headings and all(headings)
    assert sum(bidi for _, bidi in props) > len(props) / 2
    tables = list(docx_xml(path).iter(W + "tblPr"))
    assert tables and all(t.find(W + "bidiVisual") is not None for t in tables)
    # The French narratives stay left to right, marked as French.
    french = [p for p in paragraphs if norm(MA_PHRASES[21]) in norm(paragraph_text(p))]
    assert len(french) == 1
    assert paragraph_props(french[0])[1] is False
    langs = {e.get(W + "val") for e in french[0].iter(W + "lang")}
    assert langs == {"fr"}


def test_ar_docx_header(ar: Path) -> None:
    header = docx_xml(ar / "MA.ar.docx", "word/header1.xml")
    paragraphs = list(header.iter(W + "p"))
    assert paragraphs and all(paragraph_props(p)[1] for p in paragraphs)
    text = norm(" ".join(paragraph_text(p) for p in paragraphs))
    assert "المغرب" in text and "2020" in text
    assert b"GCMREVIEW_" not in docx_parts(ar / "MA.ar.docx")["word/header1.xml"]


def test_ar_pdf(ar: Path) -> None:
    path = ar / "MA.ar.pdf"
    reader = pypdf.PdfReader(path)
    # The document title is metadata, independent of text extraction.
    assert reader.metadata.title.startswith("المغرب")
    # pypdf gives Arabic words back whole (typst writes ToUnicode maps), but the words of
    # a line come out in visual order and sometimes run together, so only a single word
    # is looked for: the country name, the cover's title, alone on its line.
    text = pdf_text(path)
    assert "المغرب" in text
    # Left-to-right French narratives extract reliably.
    assert norm(MA_PHRASES[5]) in text
    assert {f.split("-")[0] for f in pdf_fonts(path)} == {"Amiri"}


def test_ar_markdown(ar: Path) -> None:
    md = (ar / "MA.ar.md").read_text(encoding="utf-8")
    assert norm(MA_PHRASES[23]) in norm(md)
    label = builtin().objective(23).title("ar")
    assert norm(label.text) in norm(md)


# --- 3. Hostile narratives ----------------------------------------------------------


def hostile_views(h: Hostile, pdf: Path) -> dict[str, str]:
    """What a reader of each output sees, plus the raw text of every file."""
    docx = "\n".join(data.decode("utf-8", "replace")
                     for data in docx_parts(h.path("docx")).values())
    return {
        "html": h.path("html").read_text(encoding="utf-8"),
        "html text": body_text(h.path("html")),
        "md": h.path("md").read_text(encoding="utf-8"),
        "docx parts": docx,
        "docx text": docx_text(h.path("docx")),
        "pdf text": pdf_text(pdf),
        "pdf bytes": pdf.read_bytes().decode("latin-1"),
    }


def review_data_at(h: Hostile, *keys: str | int) -> str:
    node = yaml.safe_load((h.ws / "countries" / "MA.yaml").read_text(encoding="utf-8"))
    for key in keys:
        node = node[key]
    return node


def test_hostile_built(hostile: Hostile) -> None:
    assert built_names(hostile.out) == ["MA.fr.docx", "MA.fr.html",
                                                              "MA.fr.md"]


def test_hostile_pdf_shows_the_text(hostile: Hostile, hostile_pdf: Path) -> None:
    assert hostile_pdf.read_bytes().startswith(b"%PDF-")
    # typst did not stumble on @citation, $x$ or #read: the PDF has the text.
    text = pdf_text(hostile_pdf)
    assert "HOSTILE-CITE voir @citation" in text
    assert "$x$" in text and "$$y = 2$$" in text


def test_hostile_html_no_active_content(hostile: Hostile) -> None:
    source = hostile.path("html").read_text(encoding="utf-8")
    page = html(hostile.path("html"))
    assert "<script" not in source.lower()
    assert not page.find_all("script")
    for tag in ("img", "iframe", "object", "embed", "svg", "math", "form", "base"):
        assert not page.find_all(tag), tag
    handlers = [(n.tag, k) for n in page.iter() for k, _ in n.attrs if k.lower().startswith("on")]
    assert handlers == []
    hrefs = [a.get("href") or "" for a in page.find_all("a")]
    assert not [h for h in hrefs if "javascript" in h.lower()]
    assert all(h.startswith("#") or h == "https://example.org/ok" for h in hrefs), hrefs
    assert not [n for n in page.iter() if n.get("src") is not None]


def test_hostile_markup_is_shown_as_text(hostile: Hostile) -> None:
    source = hostile.path("html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in source
    methodology = html(hostile.path("html")).by_id("methodology").text()
    assert "HOSTILE-SCRIPT début <script>alert(1)</script> fin." in methodology
    assert "<script>alert('raw')</script>" in methodology
    assert "HOSTILE-IMG <img src=x onerror=alert(1)> après l'image." in methodology
    links = html(hostile.path("html")).by_id("policy-environment").text()
    assert "HOSTILE-LINK voir click et ok" in links  # link text kept, target dropped
    # Images: the description is shown, the file is not.
    assert "HOSTILE-IMAGES [secret] puis [p] puis [s] puis [s2]." in links
    cover = html(hostile.path("html")).find_all("header")[0].text()
    lead = review_data_at(hostile, "review", "lead_institution")
    assert norm(lead) in cover
    docx = docx_text(hostile.path("docx"))
    assert "HOSTILE-SCRIPT début <script>alert(1)</script> fin." in docx


def test_hostile_jinja_syntax_is_literal(hostile: Hostile) -> None:
    section = html(hostile.path("html")).by_id("objective-5").text()
    assert "{{ 7*7 }}" in section
    assert "{% raw %} texte brut {% endraw %}" in section
    assert "{# commentaire #}" in section
    assert "49" not in section
    docx = docx_text(hostile.path("docx"))
    assert "Calcul {{ 7*7 }} puis {% raw %}" in docx and "49" not in docx
    assert "{{ 7*7 }} défi" in docx
    md = norm(hostile.path("md").read_text(encoding="utf-8"))
    assert re.search(r"Calcul \{\{ 7\\?\*7 \}\} puis \{% raw %\}", md)


def test_hostile_heading_in_narrative_is_not_a_section(hostile: Hostile) -> None:
    page = html(hostile.path("html"))
    injected = "Titre injecté dans un récit"
    for level in ("h1", "h2", "h3", "h4", "h5", "h6"):
        assert not [h for h in page.find_all(level) if injected in h.text()]
    assert injected not in page.by_id("TOC").text()
    narrative = next(d for d in page.by_id("methodology").find_all("div")
                     if d.get("class") == "narrative")
    assert [s.text() for s in narrative.find_all("strong")] == [injected]
    styles = [paragraph_props(p)[0] for p in docx_xml(hostile.path("docx")).iter(W + "p")
              if injected in paragraph_text(p)]
    assert styles and not [s for s in styles if s and s.startswith("Heading")]
    assert not [line for line in hostile.path("md").read_text(encoding="utf-8").splitlines()
                if line.startswith("#") and injected in line]


def test_hostile_unclosed_fence_does_not_swallow_sections(hostile: Hostile) -> None:
    page = html(hostile.path("html"))
    covid = page.by_id("covid19")
    assert covid.tag == "section"
    assert covid.find_all("h1")[0].text() == "COVID-19"
    assert "HOSTILE-COVID" in covid.text()
    assert "tout ce qui suit" not in covid.text()
    assert "tout ce qui suit" in page.by_id("principles").text()
    assert "HOSTILE-NEXT" in page.by_id("next-steps").text()
    # The fence opened in objective 23's measure did not swallow the principles either.
    assert len(page.by_id("principles").find_all("h2")) == len(
        review_data_at(hostile, "principles"))
    toc = [a.get("href") for a in page.by_id("TOC").find_all("a")]
    assert toc.index("#principles") < toc.index("#covid19") < toc.index("#next-steps")
    docx = docx_xml(hostile.path("docx"))
    heading1 = [norm(paragraph_text(p)) for p in docx.iter(W + "p")
                if paragraph_props(p)[0] == "Heading1"]
    assert "COVID-19" in heading1
    md = hostile.path("md").read_text(encoding="utf-8").splitlines()
    assert any(line.startswith("# COVID-19") for line in md)


def test_hostile_raw_typst_is_not_run(hostile: Hostile, hostile_pdf: Path) -> None:
    text = pdf_text(hostile_pdf)
    assert '#read("/etc/hostname")' in text  # shown as code, not evaluated
    assert "Calcul {{ 7*7 }} puis" in text
    assert norm(review_data_at(hostile, "review", "lead_institution")) in text
    section = html(hostile.path("html")).by_id("objective-10")
    assert '#read("/etc/hostname")' in " ".join(c.text() for c in section.find_all("code"))


def test_hostile_no_file_contents_in_outputs(hostile: Hostile, hostile_pdf: Path) -> None:
    hostname = Path("/etc/hostname").read_text(encoding="utf-8").strip()
    passwd_root = "root:x:0:0"
    for name, view in hostile_views(hostile, hostile_pdf).items():
        assert hostile.secret not in view, name
        assert passwd_root not in view, name
        if hostname and name in ("html text", "md", "docx text", "pdf text"):
            # In what a reader sees, as a word of its own: a short host name ("vm")
            # could occur inside other words, markup or compressed bytes.
            assert not re.search(rf"(?<![\w-]){re.escape(hostname)}(?![\w-])", view), name


def test_hostile_docx_has_no_media_or_unsafe_links(hostile: Hostile) -> None:
    parts = docx_parts(hostile.path("docx"))
    assert not [name for name in parts if name.startswith("word/media/")]
    rels = ET.fromstring(parts["word/_rels/document.xml.rels"])
    external = [r.get("Target") for r in rels.iter(REL + "Relationship")
                if r.get("TargetMode") == "External"]
    assert external == ["https://example.org/ok"]
    assert b"javascript" not in parts["word/_rels/document.xml.rels"].lower()


def test_hostile_markdown_has_no_raw_html(hostile: Hostile) -> None:
    md = hostile.path("md").read_text(encoding="utf-8")
    # Code (inline, fenced or indented) shows what was typed, verbatim and inert.
    outside_code = re.sub(r"`[^`\n]*`", "", md)
    outside_code = re.sub(r"(?m)^(?: {4}|\t).*$", "", outside_code)
    assert not re.search(r"(?<!\\)<(script|img|div|b)\b", outside_code, re.IGNORECASE)
    # Data may show the text of a link (escaped: \[x\](javascript:...)), never a link.
    assert not re.search(r"(?<!\\)\]\(javascript", md, re.IGNORECASE)
    assert not re.search(r"(?<!\\)!\[", md)


# --- 4. Determinism -----------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_input_same_bytes(fr: Path, fr_again: Path, fmt: str) -> None:
    first, second = fr / f"MA.fr.{fmt}", fr_again / f"MA.fr.{fmt}"
    assert first.read_bytes() == second.read_bytes()
    assert first.stat().st_size > 1000


# --- 5. Atomicity -------------------------------------------------------------------


@pytest.fixture
def collect_garbage() -> Iterator[None]:
    """After a failed build: exception tracebacks keep the pandoc workers in reference
    cycles; collect them while this test's warning filters still apply."""
    yield
    gc.collect()


@pytest.fixture
def previous_outputs(fr: Path, tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """A workspace whose out folder holds the reports of an earlier successful build."""
    ws = copy_workspace(tmp_path / "ws", ("MA",))
    out = ws / "out"
    out.mkdir()
    for fmt in FORMATS:
        shutil.copy(fr / f"MA.fr.{fmt}", out)
    return ws, out, snapshot(out)


@pytest.mark.usefixtures("collect_garbage")
def test_pandoc_failure_keeps_previous_outputs(previous_outputs, run_cli, monkeypatch,
                                               tmp_path: Path) -> None:
    ws, out, before = previous_outputs
    fake = tmp_path / "fake-pandoc"
    fake.write_text("#!/bin/sh\necho 'fake pandoc: cannot convert' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("GCMREVIEW_PANDOC", str(fake))
    result = run_cli("build", "-c", "MA", "-f", ",".join(FORMATS), "--out", "out", cwd=ws)
    assert result.code in (1, 2)
    assert "pandoc" in result.err
    assert "Traceback" not in result.err
    assert snapshot(out) == before
    assert leftovers(out) == []


@pytest.mark.usefixtures("collect_garbage")
def test_typst_failure_keeps_previous_outputs(previous_outputs, run_cli) -> None:
    ws, out, before = previous_outputs
    (ws / "templates").mkdir()
    typ = (builtin_templates_dir() / "report.typ").read_text(encoding="utf-8")
    (ws / "templates" / "report.typ").write_text(typ + "\n#let broken = (\n", encoding="utf-8")
    result = run_cli("build", "-c", "MA", "-f", ",".join(FORMATS), "--out", "out", cwd=ws)
    # pandoc wrote html, docx and md in the staging folder; typst then failed.
    assert result.code == 1
    assert "not built MA" in result.err and "typst" in result.err
    assert "Traceback" not in result.err
    assert snapshot(out) == before
    assert leftovers(out) == []


def _processes_marked(mark: str) -> list[int]:
    """Processes whose environment holds `mark` (Linux): a build's pandoc and typst."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        with contextlib.suppress(OSError):
            if mark.encode() in environ.read_bytes():
                found.append(int(environ.parent.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux /proc")
def test_sigterm_stops_a_build_cleanly(previous_outputs, tmp_path: Path) -> None:
    """CI cancelling a job sends SIGTERM: like Ctrl-C, the workers stop, the staging folder
    goes, the earlier reports stay, and no pandoc or typst is left running."""
    import os
    import signal
    import subprocess
    import sys
    import time

    ws, out, before = previous_outputs
    for code in ("DZ", "LY", "TN", "LB"):
        shutil.copy(ROOT / "countries" / f"{code}.yaml", ws / "countries")
    mark = f"GCMREVIEW_TEST_{secrets.token_hex(8)}"
    build = subprocess.Popen(
        [sys.executable, "-m", "gcmreview", "build", "--all", "-f", "html,docx,pdf,md",
         "--out", "out", "--force"], cwd=ws, env={**os.environ, mark: "1"},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not list(out.glob(".gcmreview-staging-*/*")) and time.monotonic() < deadline:
        time.sleep(0.02)
    build.send_signal(signal.SIGTERM)
    _out, err = build.communicate(timeout=120)
    assert build.returncode == 143, err  # 128 + SIGTERM, as CI expects
    assert "interrupted" in err and "Traceback" not in err
    assert leftovers(out) == []
    assert not list(out.glob(".gcmreview-staging-*"))
    assert all(snapshot(out)[name] == data for name, data in before.items())
    deadline = time.monotonic() + 5
    while _processes_marked(mark) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _processes_marked(mark) == []


def test_a_manifest_naming_an_unknown_language_is_not_trusted(tmp_path: Path,
                                                              run_cli) -> None:
    ws = copy_workspace(tmp_path / "ws", ("MA",))
    assert run_cli("build", "-c", "MA", "-f", "md", "--out", "out", cwd=ws).code == 0
    manifest = ws / "out" / MANIFEST_NAME
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('"lang": "fr"',
                                                                     '"lang": "zz"'),
                        encoding="utf-8")
    (ws / "out" / "MA.fr.md").unlink()
    result = run_cli("build", "-c", "MA", "-f", "md", "--out", "out", cwd=ws)
    assert result.code == 0, result.err
    assert "Traceback" not in result.err and (ws / "out" / "MA.fr.md").is_file()


def test_staging_folders_of_killed_builds_are_removed(tmp_path: Path, run_cli) -> None:
    import os
    import time

    ws = copy_workspace(tmp_path / "ws", ("MA",))
    out = ws / "out"
    dead = out / ".gcmreview-staging-999999999-abc"  # no such process
    old = out / ".gcmreview-staging-oldname"
    mine = out / f".gcmreview-staging-{os.getpid()}-xyz"  # a build running beside
    recent_dead = out / ".gcmreview-staging-999999998-new"  # maybe another container's
    odd = [out / ".gcmreview-staging-99999999999999999999-x", out / ".gcmreview-staging-²-x"]
    for folder in (dead, old, mine, recent_dead, *odd):
        folder.mkdir(parents=True)
        (folder / "MA.fr.docx").write_bytes(b"partial")
    day_ago, hour_ago = time.time() - 2 * 24 * 3600, time.time() - 3600
    os.utime(old, (day_ago, day_ago))
    for folder in (dead, *odd):
        os.utime(folder, (hour_ago, hour_ago))
    assert run_cli("build", "-c", "MA", "-f", "md", "--out", "out", cwd=ws).code == 0
    assert not dead.exists() and not old.exists()
    assert (mine / "MA.fr.docx").exists() and (recent_dead / "MA.fr.docx").exists()
    assert all((folder / "MA.fr.docx").exists() for folder in odd)  # no crash on odd names


# --- 6. Template overrides ----------------------------------------------------------


def test_workspace_template_override(tmp_path: Path, run_cli) -> None:
    ws = copy_workspace(tmp_path / "ws", ("MA",))
    (ws / "templates").mkdir()
    builtin_md = (builtin_templates_dir() / "report.md.j2").read_text(encoding="utf-8")
    marker = "WORKSPACE-TEMPLATE-MARKER for {{ review.code|md }}"
    (ws / "templates" / "report.md.j2").write_text(f"{builtin_md}\n{marker}\n",
                                                    encoding="utf-8")
    result = run_cli("build", "-c", "MA", "-f", "html,md", "--out", "out", cwd=ws)
    assert result.code == 0, result.err
    assert "WORKSPACE-TEMPLATE-MARKER for MA" in body_text(ws / "out" / "MA.fr.html")
    assert "WORKSPACE-TEMPLATE-MARKER for MA" in (ws / "out" / "MA.fr.md").read_text("utf-8")
    # The rest of the built-in template still renders.
    assert objective_sections(ws / "out" / "MA.fr.html") == imrf_order(reported("MA"))


@pytest.mark.parametrize("bad_line", ["{% for x in %}", "{{ review.no_such_field }}"],
                         ids=["syntax", "undefined"])
@pytest.mark.usefixtures("collect_garbage")
def test_broken_workspace_template(tmp_path: Path, run_cli, bad_line: str) -> None:
    ws = copy_workspace(tmp_path / "ws", ("MA",))
    (ws / "templates").mkdir()
    (ws / "templates" / "report.md.j2").write_text(
        f"# {{{{ review.country|md }}}}\n\n{bad_line}\n", encoding="utf-8")
    result = run_cli("build", "-c", "MA", "-f", "html,md", "--out", "out", cwd=ws)
    assert result.code == 2
    assert "templates/report.md.j2:3" in result.err
    assert "Traceback" not in result.err
    assert not (ws / "out").exists() or not list((ws / "out").iterdir())


# --- 7. --country outside the workspace ---------------------------------------------


@pytest.mark.parametrize("code", ["ZZ", "../MA", "FR", "MA/../DZ"])
def test_unknown_country(tmp_path: Path, run_cli, code: str) -> None:
    ws = copy_workspace(tmp_path / "ws", ("MA", "DZ"))
    result = run_cli("build", "-c", code, "--out", "out", cwd=ws)
    assert result.code == 2
    assert code in result.err
    assert "DZ, MA" in result.err  # the codes that can be built
    assert "Traceback" not in result.err
    assert not (ws / "out").exists() and not (ws / "build").exists()


# --- 8. An invalid review among valid ones ------------------------------------------


def test_all_with_an_invalid_review(tmp_path: Path, run_cli) -> None:
    ws = copy_workspace(tmp_path / "ws", ("MA", "TN", "LB"))
    review = ws / "countries" / "LB.yaml"
    lines = review.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines) if text.strip() == "status: draft")
    lines[line] = lines[line].replace("draft", "finished")
    review.write_text("\n".join(lines) + "\n", encoding="utf-8")
    column = lines[line].index("finished") + 1
    result = run_cli("build", "--all", "-f", "html", "--out", "out", cwd=ws)
    assert result.code == 1
    assert "Traceback" not in result.err
    assert re.search(rf"^countries/LB\.yaml:{line + 1}:{column}: error\[", result.err, re.M), \
        result.err
    assert "not built LB" in result.err
    out = ws / "out"
    assert built_names(out) == ["MA.fr.html", "TN.fr.html", "regional.fr.html"]
    regional = body_text(out / "regional.fr.html")
    assert "Exclus du présent rapport car leur fichier d'examen n'est pas valide" in regional
    assert "Liban" in regional
    assert html(out / "MA.fr.html").find_all("h1")[0].text() == "Maroc"
    assert html(out / "TN.fr.html").find_all("h1")[0].text() == "Tunisie"


# --- Regressions: bugs found and fixed ----------------------------------------------


@pytest.mark.usefixtures("collect_garbage")
def test_impossible_date_is_a_finding_not_a_crash(tmp_path: Path, run_cli) -> None:
    ws = copy_workspace(tmp_path / "ws", ("MA",))
    review = ws / "countries" / "MA.yaml"
    review.write_text(review.read_text("utf-8").replace('date: "2020-08-13"\n  lead',
                                                        'date: "2020-02-31"\n  lead'), "utf-8")
    result = run_cli("build", "-c", "MA", "-f", "html", "--out", "out", cwd=ws)
    assert result.code in (1, 2)
    assert "Traceback" not in result.err
    assert "countries/MA.yaml:" in result.err


def test_output_does_not_depend_on_current_folder(example_ws: Path, fr: Path) -> None:
    result = cli(example_ws / "countries", "build", "-c", "MA", "-f", "html",
                 "--out", "../out-from-countries")
    assert result.code == 0, result.err
    built = example_ws / "out-from-countries" / "MA.fr.html"
    assert built.read_bytes() == (fr / "MA.fr.html").read_bytes()


def test_ar_language_name_is_not_tagged_french(ar: Path) -> None:
    arabic = re.compile(r"^[\u0600-\u06ff\s]+$")
    mislabelled = [n.text() for n in html(ar / "MA.ar.html").iter()
                   if n.get("lang") == "fr" and arabic.match(n.text())]
    assert mislabelled == []


def test_ar_html_tables_are_not_forced_left(ar: Path) -> None:
    cells = [n for n in html(ar / "MA.ar.html").iter() if n.tag in ("td", "th")]
    assert not [c for c in cells if "text-align: left" in (c.get("style") or "")]


def test_build_closes_pandoc_pipes(example_ws: Path) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        result = cli(example_ws, "build", "-c", "MA", "-f", "md", "--out", "out-pipes")
        gc.collect()
    assert result.code == 0, result.err
    assert [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)] == []


def test_a_section_in_a_partners_words_says_whose_they_are(tmp_path: Path) -> None:
    """Tunisia's COVID-19 and means of implementation are what the IOM office in Tunis
    said (`stated_by`): its report says so over each, in every format and language."""
    ws = copy_workspace(tmp_path / "ws", ("TN",))
    out = build_ok(ws, "out", "-c", "TN", "-f", "html,docx,pdf")
    said = "Déclaration d’un partenaire, Bureau de l’OIM à Tunis, et non de l’État."
    page = " ".join(html(out / "TN.fr.html").by_id("covid19").raw_text().split())
    assert said in page
    with zipfile.ZipFile(out / "TN.fr.docx") as docx:
        body = ET.fromstring(docx.read("word/document.xml"))
    texts = [paragraph_text(p) for p in body.iter(f"{W}p")]
    assert texts.count(said) == 2  # COVID-19, means of implementation
    pdf = subprocess.run(["pdftotext", str(out / "TN.fr.pdf"), "-"], capture_output=True,
                         text=True, check=True).stdout
    assert " ".join(pdf.split()).count(said) == 2
    english = build_ok(ws, "out-en", "-c", "TN", "-f", "html", "--lang", "en")
    page = " ".join(html(english / "TN.en.html").by_id("means-of-implementation")
                    .raw_text().split())
    assert "Stated by Bureau de l’OIM à Tunis, not by the State." in page


def test_a_state_is_named_as_the_united_nations_name_it(tmp_path: Path) -> None:
    """The cover and the text of a State's report give its UNTERM name, which CLDR does
    not: "Côte d'Ivoire" (CLDR's Arabic: "ساحل العاج"), in HTML and in the DOCX."""
    ws = copy_workspace(tmp_path / "ws", ("MA",))
    review = (ws / "countries" / "MA.yaml").read_text(encoding="utf-8")
    (ws / "countries" / "MA.yaml").unlink()
    (ws / "countries" / "CI.yaml").write_text(review.replace("country: MA", "country: CI"),
                                              encoding="utf-8")
    config = (ws / "gcmreview.yaml").read_text(encoding="utf-8")
    config = config.replace("participants: [DZ,", "participants: [CI, DZ,")
    (ws / "gcmreview.yaml").write_text(config, encoding="utf-8")
    out = build_ok(ws, "out", "--country", "CI", "-f", "html,docx", "--lang", "en")
    html = (out / "CI.en.html").read_text(encoding="utf-8")
    assert re.search(r"<title>[^<]*Côte d’Ivoire", html) and "Ivory Coast" not in html
    out = build_ok(ws, "out", "--country", "CI", "-f", "docx", "--lang", "ar")
    with zipfile.ZipFile(out / "CI.ar.docx") as docx:
        document = docx.read("word/document.xml").decode("utf-8")
    assert "كوت ديفوار" in document and "ساحل العاج" not in document


def test_a_principle_named_under_an_objective_is_told_apart(tmp_path: Path) -> None:
    """Algeria names international cooperation under objective 21 without reporting on it
    in its own right: "Reported: No" beside "21" read as "not addressed". The column says
    what it counts, and a note under the table says why the principle is not covered."""
    ws = copy_workspace(tmp_path / "ws", ("DZ",))
    out = build_ok(ws, "out", "--country", "DZ", "-f", "md", "--lang", "en")
    md = unescaped((out / "DZ.en.md").read_text(encoding="utf-8"))
    assert "| Guiding principle | Reported on in its own right | Addressed under objectives |" \
        in re.sub(r" +\|", " |", re.sub(r"\| +", "| ", md))
    row = next(line for line in md.splitlines() if "(b) International cooperation" in line)
    assert re.sub(r"\s+", " ", row).endswith("| No | 21 |"), row
    assert "A guiding principle counts as covered when the review reports on it in its own " \
        "right; naming it under an objective does not cover it." in md
