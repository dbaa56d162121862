"""Untrusted Word documents: what `open_docx` refuses, in words, and what it passes to pandoc.

The files are real, under tests/data/word/hostile/ (written by make.py there):
one good document from pandoc, and documents that are something else, broken,
bombs, XML that reaches for local files, macros, links out of the document.
"""

from __future__ import annotations

import io
import os
import random
import subprocess
import zipfile
from pathlib import Path

import pytest

from gcmreview.convert.pandoc import pandoc_path
from gcmreview.core.errors import DocumentRefused, InputError
from gcmreview.core.i18n import language, translations, use
from gcmreview.load.docx import (
    MAX_ENTRIES,
    MAX_FILE_BYTES,
    MAX_UNPACKED_BYTES,
    OpenedDocx,
    _prolog_problem,
    open_docx,
)

HOSTILE = Path(__file__).resolve().parent / "data" / "word" / "hostile"
FILES = sorted(p.name for p in HOSTILE.iterdir() if p.name != "make.py")

ACCEPTED = ("ok.docx", "comment-ok.docx", "external.docx", "embedded.docx")

SAVE_AS = "save it as “Word Document (.docx)”"
RESAVE = "File > Save As > “Word Document (.docx)”"
DAMAGED = "if not, ask its author for a new copy"
PICTURES = "Compress Pictures"
DTD = "declares a document type, which could be used to read other files"
REFUSED: dict[str, tuple[str, str]] = {
    # What the file is, told from its bytes whatever its name.
    "report.pdf": ("is a PDF document, not a Word document (.docx)",
                   "send the Word document the PDF was made from"),
    "old.doc": ("is an old Word document (.doc), not a Word document (.docx)", SAVE_AS),
    "encrypted.docx": ("is protected with a password, so it cannot be read",
                       "File > Info > Protect Document > Encrypt with Password, delete the "
                       "password"),
    "review.odt": ("is an OpenDocument file (.odt), not a Word document", "Word or LibreOffice"),
    "rtf.docx": ("is an RTF document (.rtf), not a Word document", SAVE_AS),
    "html.docx": ("is a web page (HTML), not a Word document", SAVE_AS),
    "workbook.xlsx": ("is an Excel workbook (.xlsx), not a Word document",
                      "put the review in a Word document"),
    "archive.zip.docx": ("is a ZIP archive, not a Word document", "Extract All"),
    "yaml.docx": ("is a review file (YAML text), not a Word document",
                  "`gcmreview validate uploads/yaml.docx`"),
    "text.docx": ("is a plain text file, not a Word document", SAVE_AS),
    "binary.docx": ("is not a Word document (.docx), and gcmreview cannot tell what it is",
                    SAVE_AS),
    "empty.docx": ("is empty", DAMAGED),
    # Broken or hostile archives.
    "truncated.docx": ("is damaged or is not a Word document: it cannot be opened as one",
                       DAMAGED),
    "bomb.docx": ("would take 150 MB once unpacked; gcmreview reads at most 100 MB", PICTURES),
    "overlap.docx": ("would take 122 MB once unpacked", PICTURES),
    "ratio.docx": ("holds a part (word/media/image1.png) that grows", RESAVE),
    "many.docx": (f"is made of 2017 parts; Word documents have far fewer, and gcmreview reads "
                  f"at most {MAX_ENTRIES}", RESAVE),
    "duplicate.docx": ("is damaged: it holds the part word/document.xml twice", DAMAGED),
    "unsafe-name.docx": ("a part inside has an unsafe name (word/media/../../../evil.png)",
                         DAMAGED),
    "zip-password.docx": ("is protected with a password", RESAVE),
    "bzip2.docx": ("was packed by a program other than Word", RESAVE),
    # Macros and controls.
    "macro.docm": ("contains macros, which gcmreview does not accept",
                   "File > Save As > “Word Document (.docx)” (this leaves the macros out)"),
    "activex.docx": ("contains ActiveX controls", "Developer > Design Mode, delete each control"),
    # XML that would read other files or blow up.
    "xxe.docx": (f"its part word/document.xml {DTD}", RESAVE),
    "xxe-utf16.docx": (f"its part word/document.xml {DTD}", RESAVE),
    "laughs.docx": (f"its part word/styles.xml {DTD}", RESAVE),
    "comment-doctype.docx": (f"its part word/document.xml {DTD}", RESAVE),
    "utf7.docx": ("is damaged: its part word/document.xml cannot be read", DAMAGED),
}


def pandoc_text(data: bytes) -> str:
    """What pandoc reads in a .docx given on its standard input."""
    done = subprocess.run([str(pandoc_path()), "-f", "docx", "-t", "plain"], input=data,
                          capture_output=True, check=True, timeout=60)
    return done.stdout.decode("utf-8")


def test_every_file_here_has_an_expectation() -> None:
    assert sorted([*ACCEPTED, *REFUSED]) == FILES


@pytest.mark.parametrize("name", FILES)
def test_nothing_but_a_refusal_escapes(name: str) -> None:
    try:
        opened = open_docx(HOSTILE / name, f"uploads/{name}")
    except DocumentRefused as refusal:
        assert isinstance(refusal, InputError) and refusal.exit_code == 2
        assert f"uploads/{name}" in refusal.message and refusal.hint
        for word in ("Error", "zipfile", "zlib", "Traceback", "xml.etree"):
            assert word not in refusal.message + refusal.hint
    else:
        assert isinstance(opened, OpenedDocx) and name in ACCEPTED


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refusals_say_what_the_file_is_and_what_to_do(name: str) -> None:
    message, hint = REFUSED[name]
    with pytest.raises(DocumentRefused) as refused:
        open_docx(HOSTILE / name, f"uploads/{name}")
    assert refused.value.message.startswith(f"uploads/{name} ")
    assert message in refused.value.message
    assert hint in (refused.value.hint or "")


def test_a_good_document_is_rebuilt_for_pandoc() -> None:
    opened = open_docx(HOSTILE / "ok.docx", "ok.docx")
    assert opened.external == () and opened.left_out == ()
    with zipfile.ZipFile(HOSTILE / "ok.docx") as original, \
            zipfile.ZipFile(io.BytesIO(opened.data)) as rebuilt:
        assert rebuilt.testzip() is None
        assert rebuilt.namelist() == original.namelist()
        for info in rebuilt.infolist():
            assert info.compress_type == zipfile.ZIP_STORED
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert rebuilt.read(info) == original.read(info.filename)
    assert open_docx(HOSTILE / "ok.docx", "ok.docx").data == opened.data  # reproducible
    assert pandoc_text(opened.data) == "Examen volontaire\n\nObjectif 5 : texte du Maroc.\n"


def test_a_long_comment_before_the_root_element_is_fine() -> None:
    opened = open_docx(HOSTILE / "comment-ok.docx", "comment-ok.docx")
    assert "Objectif 5 : texte du Maroc." in pandoc_text(opened.data)


def test_links_out_of_the_document_are_listed_and_never_followed() -> None:
    opened = open_docx(HOSTILE / "external.docx", "external.docx")
    assert opened.external == (
        "an image linked from file:///etc/passwd",
        "an image linked from http://127.0.0.1:9/x.png",
        "a template linked from \\\\server\\share\\t.dotm",
    )  # the hyperlink to iom.int is the text's own link: not listed
    text = pandoc_text(opened.data)
    assert "Objectif 5 : texte du Maroc." in text and "OIM" in text
    assert "root:" not in text


def test_embedded_objects_are_left_out_and_noted() -> None:
    opened = open_docx(HOSTILE / "embedded.docx", "embedded.docx")
    assert opened.left_out == ("an embedded object (oleObject1.bin)",)
    assert opened.external == ()
    with zipfile.ZipFile(io.BytesIO(opened.data)) as rebuilt:
        names = rebuilt.namelist()
        # [Content_Types].xml and the relationship still name the object: pandoc does not mind.
        assert b"oleObject" in rebuilt.read("[Content_Types].xml")
    assert not [n for n in names if n.startswith(("word/embeddings/", "customXml/"))]
    assert "Objectif 5 : texte du Maroc." in pandoc_text(opened.data)


# --- the file on disk -------------------------------------------------------------------------

def test_a_symbolic_link_is_not_followed(tmp_path: Path) -> None:
    for target in (HOSTILE / "ok.docx", Path("/etc/passwd")):
        link = tmp_path / f"link-{target.name}.docx"
        link.symlink_to(target)
        with pytest.raises(DocumentRefused) as refused:
            open_docx(link, "link.docx")
        assert refused.value.message == \
            "link.docx is a symbolic link or not a regular file; it is not read"
        assert refused.value.hint == "commit the file itself, not a link to it"


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DocumentRefused) as refused:
        open_docx(tmp_path, "countries")
    assert refused.value.message == "countries is a folder, not a Word document"
    assert "(.docx) itself" in (refused.value.hint or "")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_is_not_read(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.docx"
    os.mkfifo(pipe)
    with pytest.raises(DocumentRefused, match="not a regular file"):
        open_docx(pipe, "pipe.docx")  # returns at once: a pipe would be read for ever


def test_a_missing_file_says_why(tmp_path: Path) -> None:
    with pytest.raises(DocumentRefused) as refused:
        open_docx(tmp_path / "absent.docx", "absent.docx")
    assert refused.value.message == "cannot read absent.docx: there is no such file or folder"


def test_a_file_too_large_is_refused_before_it_is_read(tmp_path: Path) -> None:
    large = tmp_path / "large.docx"
    with large.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is written
    with pytest.raises(DocumentRefused) as refused:
        open_docx(large, "large.docx")
    assert refused.value.message == \
        "large.docx is 21 MB; gcmreview reads Word documents of at most 20 MB"
    assert "Compress Pictures" in (refused.value.hint or "")


# --- the XML prolog ---------------------------------------------------------------------------

class OneByteAtATime(io.RawIOBase):
    """A stream that returns one byte per read: every chunk boundary gets crossed."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        if self.at >= len(self.data) or not len(buffer):
            return 0
        buffer[0] = self.data[self.at]
        self.at += 1
        return 1


DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'


@pytest.mark.parametrize(("prolog", "problem"), [
    (DECLARATION + "<w:document/>", None),
    ("\ufeff" + DECLARATION + "<!-- <!DOCTYPE x> -- -> --><?pi <!DOCTYPE ?><w:document>", None),
    ("<!---->\n<_root/>", None),
    ("", None),
    (DECLARATION + "<!-- a -->  <!DOCTYPE w [<!ENTITY x 'y'>]><w:document/>", "dtd"),
    (DECLARATION + "<!ENTITY x 'y'><w:document/>", "dtd"),
    ("<!doctype w><w:document/>", "dtd"),
    (DECLARATION + "text before the root<w:document/>", "not-xml"),
    ('<?xml version="1.0" encoding="UTF-7"?>+ADw-!DOCTYPE', "not-xml"),
    ('<?xml version="1.0" encoding="UTF-16"?><w:document/>', "not-xml"),  # 8-bit bytes
    (DECLARATION + "<!-- never closed", "not-xml"),
    (DECLARATION + "< w:document/>", "not-xml"),
])
def test_the_prolog_is_read_up_to_the_root_element(prolog: str, problem: str | None) -> None:
    # Bytes that are not even UTF-8 after the root element: they are never looked at.
    raw = prolog.encode("utf-8") + (b"\xff" * 100 if problem is None and prolog else b"")
    assert _prolog_problem(io.BytesIO(raw)) == problem
    assert _prolog_problem(OneByteAtATime(raw)) == problem  # type: ignore[arg-type]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_the_prolog_is_read_in_utf16_too(codec: str) -> None:
    declaration = '<?xml version="1.0" encoding="UTF-16"?>'
    for body, problem in (("<w:document/>", None), ("<!DOCTYPE w><w:document/>", "dtd")):
        raw = (declaration + body).encode(codec)
        assert _prolog_problem(OneByteAtATime(raw)) == problem  # type: ignore[arg-type]
    utf32 = (declaration + "<!DOCTYPE w><w:document/>").encode("utf-32")
    assert _prolog_problem(io.BytesIO(utf32)) == "not-xml"


# --- anything else ----------------------------------------------------------------------------

def test_damaged_copies_of_a_good_document_are_refused_in_words(tmp_path: Path) -> None:
    good = (HOSTILE / "ok.docx").read_bytes()
    chance = random.Random(20260315)
    path = tmp_path / "copy.docx"
    for _ in range(300):
        damaged = bytearray(good)
        for _ in range(chance.randint(1, 8)):
            damaged[chance.randrange(len(damaged))] = chance.randrange(256)
        path.write_bytes(damaged[: chance.choice([len(damaged), chance.randrange(len(damaged))])])
        try:
            open_docx(path, "copy.docx")
        except DocumentRefused as refusal:
            assert refusal.message.startswith("copy.docx ") and refusal.hint


def test_the_limits_are_those_documented() -> None:
    assert (MAX_FILE_BYTES, MAX_UNPACKED_BYTES, MAX_ENTRIES) == (20 * 2**20, 100 * 2**20, 2000)


def test_refusals_in_french() -> None:
    message = "{file} contains macros, which gcmreview does not accept"
    if translations("fr").gettext(message) == message:
        pytest.skip("the French catalog does not translate the Word import messages yet")
    before = language()
    use("fr")
    try:
        with pytest.raises(DocumentRefused) as refused:
            open_docx(HOSTILE / "macro.docm", "macro.docm")
    finally:
        use(before)
    assert refused.value.message == translations("fr").gettext(message).format(file="macro.docm")
