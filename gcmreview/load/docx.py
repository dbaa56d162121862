"""Open an untrusted Word document (.docx) safely, before pandoc reads it.

Focal points send .docx files by pull request, so a file may be anything: a PDF
or an old .doc renamed, a zip bomb, XML that asks the parser to read
/etc/passwd, a template fetched from a network share. `open_docx` checks the
file in this order and stops at the first refusal, a `DocumentRefused` in plain
words with what to do:

1. a regular file (no link, folder or device) of at most MAX_FILE_BYTES, checked
   before it is read;
2. what it is, from its first bytes: PDF, old .doc, password-protected Word file,
   other Office file, RTF, .odt, web page, review file, text... each named;
3. a sound ZIP: few entries, no duplicate or unsafe names, no passwords, no zip
   bomb (declared sizes, compression ratio), only stored or deflated entries;
4. a Word document (not Excel or PowerPoint), without macros or ActiveX;
5. no DTD in any XML part (XXE, billion laughs): a DTD can only come before the
   root element, so only that prolog is read, never a whole document.xml;
6. external references (linked images, attached templates...) listed in words,
   never followed;
7. a new ZIP for pandoc: every entry read again through zipfile (so bounded by
   its declared size and CRC-checked), stored, at a fixed date, without the
   parts pandoc never reads and that only carry risk.

Nothing here opens a path or a URL named inside the file.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

from gcmreview.core.errors import DocumentRefused, os_reason
from gcmreview.core.i18n import _

MAX_FILE_BYTES = 20 * 1024 * 1024
"""The .docx itself: a review with its pictures is a few MB."""
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
"""Sum of the declared uncompressed sizes. Entries that overlap (a zip bomb that
reuses one compressed stream many times) count once each, so they add up."""
MAX_ENTRIES = 2000
MAX_RATIO = 200
"""Uncompressed/compressed size, for entries over 1 MiB unpacked: Word's XML
deflates about 10 times, a bomb's zeros about 1000 times."""

_RATIO_FROM_BYTES = 1024 * 1024
_DIRECTORY_BYTES_PER_ENTRY = 512
"""Word's central directory entries are about 100 bytes: a directory larger than
MAX_ENTRIES entries of 512 bytes is refused before zipfile spends time parsing it."""
_MAX_PARSED_BYTES = 10 * 1024 * 1024
"""[Content_Types].xml and .rels parts are parsed whole; they are kilobytes."""
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BROKEN_ZIP = (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError,
               RuntimeError, zlib.error, OverflowError, struct.error)
"""What zipfile and zlib raise on a damaged archive (UnicodeDecodeError is a ValueError)."""

_OFFICE_DOCUMENT = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                    "officeDocument")
_HYPERLINK = "/hyperlink"
_MACRO_PARTS = ("vbaproject.bin", "vbadata.xml")
_DROPPED_FOLDERS = ("word/activex/", "customxml/", "word/embeddings/")


@dataclass(frozen=True)
class OpenedDocx:
    """A .docx that passed every check: the bytes pandoc reads, and, in words, what
    the document points to or holds that pandoc is not given."""

    data: bytes  # a rebuilt ZIP: every entry stored, dated 1980-01-01
    external: tuple[str, ...] = ()  # links out of the document, not followed
    left_out: tuple[str, ...] = ()  # embedded objects not passed on


def open_docx(path: Path, shown_as: str) -> OpenedDocx:
    """Check `path` and return a clean copy for pandoc; raise `DocumentRefused`
    (naming the file as `shown_as`) for anything else."""
    raw = _read(path, shown_as)
    _identify(raw, shown_as)
    try:
        return _open_zip(raw, shown_as)
    except _BROKEN_ZIP as exc:
        raise _damaged(shown_as) from exc


# --- the hints: what to do -----------------------------------------------------------------

def _hint_damaged() -> str:
    return _("open it in Word: if it opens, save it again as “Word Document (.docx)” and send "
             "the new file; if not, ask its author for a new copy")


def _hint_resave() -> str:
    return _("open it in Word, save it again with File > Save As > “Word Document (.docx)”, "
             "and send the new file")


def _hint_convert() -> str:
    return _("open it in Word or LibreOffice and save it as “Word Document (.docx)”, then send "
             "that file")


def _hint_only_word() -> str:
    return _("gcmreview reads only Word documents: put the review in a Word document and save "
             "it as “Word Document (.docx)”")


def _hint_pictures() -> str:
    return _("pictures are usually what makes a document large: in Word, select one, choose "
             "Picture Format > Compress Pictures, untick “Apply only to this picture”, and save")


def _damaged(shown_as: str) -> DocumentRefused:
    return DocumentRefused(
        _("{file} is damaged or is not a Word document: it cannot be opened as one").format(
            file=shown_as), hint=_hint_damaged())


def _not_word(shown_as: str, kind: str, hint: str) -> DocumentRefused:
    return DocumentRefused(_("{file} is {kind}, not a Word document (.docx)").format(
        file=shown_as, kind=kind), hint=hint)


def _unreadable_part(shown_as: str, name: str) -> DocumentRefused:
    return DocumentRefused(_("{file} is damaged: its part {name} cannot be read").format(
        file=shown_as, name=_shown(name)), hint=_hint_damaged())


def _shown(value: str, limit: int = 160) -> str:
    """Text from inside the file, safe to print: no control or bidi characters, short."""
    cleaned = "".join(c if c.isprintable() else "\N{REPLACEMENT CHARACTER}" for c in value)
    return cleaned if len(cleaned) <= limit else cleaned[:limit - 1] + "…"


# --- 1. the file on disk --------------------------------------------------------------------

def _read(path: Path, shown_as: str) -> bytes:
    """The file's bytes, if it is a regular file of at most MAX_FILE_BYTES. It arrives
    by pull request: a link could make us read any local file, a device for ever."""
    def too_large(size: int) -> DocumentRefused:
        return DocumentRefused(
            _("{file} is {size} MB; gcmreview reads Word documents of at most {limit} MB").format(
                file=shown_as, size=-(-size // 2**20), limit=MAX_FILE_BYTES // 2**20),
            hint=_hint_pictures())

    def not_regular() -> DocumentRefused:
        return DocumentRefused(
            _("{file} is a symbolic link or not a regular file; it is not read").format(
                file=shown_as), hint=_("commit the file itself, not a link to it"))

    try:
        found = path.lstat()
        if stat.S_ISDIR(found.st_mode):
            raise DocumentRefused(_("{file} is a folder, not a Word document").format(
                file=shown_as), hint=_("give the path of the Word document (.docx) itself"))
        if not stat.S_ISREG(found.st_mode):
            raise not_regular()
        if found.st_size > MAX_FILE_BYTES:
            raise too_large(found.st_size)
        # O_NOFOLLOW and fstat: the path cannot be swapped for a link or a pipe in between.
        flags = (os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
                 | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(os.open(path, flags), "rb") as handle:
            opened = os.fstat(handle.fileno())
            if not stat.S_ISREG(opened.st_mode):
                raise not_regular()
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise DocumentRefused(_("cannot read {file}: {reason}").format(
            file=shown_as, reason=os_reason(exc))) from exc
    if len(raw) > MAX_FILE_BYTES:  # it grew after lstat
        raise too_large(len(raw))
    return raw


# --- 2. what the file is ----------------------------------------------------------------------

_REVIEW_KEYS = re.compile(r"^\s*(?:country|review|objectives)\s*:", re.MULTILINE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def _identify(raw: bytes, shown_as: str) -> None:
    """Refuse, naming what it is, a file that is not a ZIP archive (or is an .odt)."""
    if not raw:
        raise DocumentRefused(_("{file} is empty").format(file=shown_as), hint=_hint_damaged())
    zipped = raw.startswith((b"PK\x03\x04", b"PK\x05\x06"))
    if not zipped and b"%PDF-" in raw[:1024]:
        raise _not_word(shown_as, _("a PDF document"), _(
            "send the Word document the PDF was made from; if there is none, open the PDF in "
            "Word and save it as “Word Document (.docx)”"))
    if raw.startswith(_OLE):
        if _ole_has(raw, "EncryptedPackage") or _ole_has(raw, "EncryptionInfo"):
            raise DocumentRefused(
                _("{file} is protected with a password, so it cannot be read").format(
                    file=shown_as),
                hint=_("remove the password: in Word, choose File > Info > Protect Document > "
                       "Encrypt with Password, delete the password, click OK, and save"))
        if _ole_has(raw, "WordDocument"):
            raise _not_word(shown_as, _("an old Word document (.doc)"), _hint_convert())
        raise _not_word(shown_as, _("an older Office file"), _hint_only_word())
    if raw.lstrip()[:5] == b"{\\rtf":
        raise _not_word(shown_as, _("an RTF document (.rtf)"), _hint_convert())
    if zipped:
        # OpenDocument puts an uncompressed `mimetype` entry first.
        if raw[30:38] == b"mimetype" and b"application/vnd.oasis.opendocument.text" in raw[:200]:
            raise _not_word(shown_as, _("an OpenDocument file (.odt)"), _hint_convert())
        return
    text = _as_text(raw[:65536])
    if text is None:
        raise DocumentRefused(
            _("{file} is not a Word document (.docx), and gcmreview cannot tell what it "
              "is").format(file=shown_as), hint=_hint_only_word())
    head = text[:4096].lstrip().lower()
    if head.startswith(("mime-version:", "<!doctype html")) or "<html" in head:
        raise _not_word(shown_as, _("a web page (HTML)"), _hint_convert())
    if head.startswith("<?xml") and ("worddocument" in head or "<pkg:package" in head):
        raise _not_word(shown_as, _("a Word XML file"), _hint_convert())
    if _REVIEW_KEYS.search(text):
        raise DocumentRefused(
            _("{file} is a review file (YAML text), not a Word document").format(file=shown_as),
            hint=_("`gcmreview import` reads Word documents; check a review file with "
                   "`gcmreview validate {file}`").format(file=shown_as))
    raise _not_word(shown_as, _("a plain text file"), _hint_convert())


def _ole_has(raw: bytes, stream: str) -> bool:
    """Whether an OLE (Compound File) directory names `stream`. Directory entries are
    128-byte records on 128-byte boundaries: the UTF-16LE name, then its byte length."""
    needle = stream.encode("utf-16-le") + b"\0\0"
    length = len(needle).to_bytes(2, "little")
    at = raw.find(needle)
    while at >= 0:
        if at % 128 == 0 and raw[at + 64:at + 66] == length:
            return True
        at = raw.find(needle, at + 1)
    return False


def _as_text(head: bytes) -> str | None:
    """The start of a text file (UTF-8, or UTF-16 with a BOM), or None if it is binary."""
    codec = "utf-16" if head.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        text = codecs.getincrementaldecoder(codec)().decode(head, final=False)
    except UnicodeDecodeError:
        return None
    return None if _CONTROL.search(text) else text


# --- 3. the ZIP archive -----------------------------------------------------------------------

def _open_zip(raw: bytes, shown_as: str) -> OpenedDocx:
    _check_directory_size(raw, shown_as)
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        _check_entries(archive.infolist(), shown_as)
        entries = _Entries(archive)
        infos = [i for i in archive.infolist() if not i.filename.endswith("/")]
        names = {info.filename: info for info in infos}
        main, types = _check_word(entries, names, shown_as)
        _check_xml(entries, infos, main, types, shown_as)
        external = _external_references(entries, infos, shown_as)
        data, left_out = _rebuild(entries, infos)
    return OpenedDocx(data, external, left_out)


class _Entries:
    """Reads entries through zipfile, so bounded by their declared size and CRC-checked.
    Small ones are kept: each part is decompressed once for the checks and the copy."""

    KEEP_BYTES = 256 * 1024

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.kept: dict[str, bytes] = {}

    def read(self, info: zipfile.ZipInfo) -> bytes:
        data = self.kept.get(info.filename)
        if data is None:
            data = self.archive.read(info)
            if len(data) != info.file_size:  # shorter than declared, yet with a matching CRC
                raise zipfile.BadZipFile(info.filename)
            if len(data) <= self.KEEP_BYTES:
                self.kept[info.filename] = data
        return data

    def stream(self, info: zipfile.ZipInfo) -> IO[bytes]:
        """A small part from memory; a large one (document.xml) read as it goes."""
        if info.file_size <= self.KEEP_BYTES:
            return io.BytesIO(self.read(info))
        return self.archive.open(info)


def _check_directory_size(raw: bytes, shown_as: str) -> None:
    """Refuse a huge central directory from its end record, before zipfile reads it all
    (200,000 tiny entries fit in 20 MB and take zipfile a second). Zip64 archives,
    whose end record holds placeholders, are left to the count after parsing."""
    end = len(raw) - 22 if raw[-22:-18] == b"PK\x05\x06" else raw.rfind(
        b"PK\x05\x06", max(0, len(raw) - 22 - 65535))
    if end < 0 or len(raw) < end + 22:
        return  # zipfile will say it is not a ZIP
    entries, size = struct.unpack("<HI", raw[end + 10:end + 16])
    if entries == 0xFFFF or size == 0xFFFFFFFF:
        return
    if entries > MAX_ENTRIES:
        raise _too_many(shown_as, entries)
    if size > MAX_ENTRIES * _DIRECTORY_BYTES_PER_ENTRY:  # the count above is not the truth
        raise _damaged(shown_as)


def _too_many(shown_as: str, count: int) -> DocumentRefused:
    return DocumentRefused(
        _("{file} is made of {count} parts; Word documents have far fewer, and gcmreview reads "
          "at most {limit}").format(file=shown_as, count=count, limit=MAX_ENTRIES),
        hint=_hint_resave())


def _unsafe_name(name: str) -> bool:
    """A name no Word document has, that could point outside a folder if extracted."""
    return (name.startswith("/") or "\\" in name or ".." in name.split("/")
            or re.match(r"[A-Za-z]:", name) is not None or not name.isprintable())


def _check_entries(infos: list[zipfile.ZipInfo], shown_as: str) -> None:
    if len(infos) > MAX_ENTRIES:
        raise _too_many(shown_as, len(infos))
    seen: set[str] = set()
    for info in infos:
        if info.filename in seen:
            raise DocumentRefused(_("{file} is damaged: it holds the part {name} twice").format(
                file=shown_as, name=_shown(info.filename)), hint=_hint_damaged())
        seen.add(info.filename)
        if _unsafe_name(info.filename):
            raise DocumentRefused(
                _("{file} is damaged: a part inside has an unsafe name ({name})").format(
                    file=shown_as, name=_shown(info.filename)), hint=_hint_damaged())
    if any(info.flag_bits & 0x1 for info in infos):
        raise DocumentRefused(
            _("{file} is protected with a password, so it cannot be read").format(file=shown_as),
            hint=_hint_resave())
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNPACKED_BYTES:
        raise DocumentRefused(
            _("{file} would take {size} MB once unpacked; gcmreview reads at most {limit} "
              "MB").format(file=shown_as, size=unpacked // 2**20,
                           limit=MAX_UNPACKED_BYTES // 2**20), hint=_hint_pictures())
    for info in infos:
        if info.file_size > _RATIO_FROM_BYTES and info.file_size > MAX_RATIO * info.compress_size:
            raise DocumentRefused(
                _("{file} holds a part ({name}) that grows {ratio} times when unpacked, which "
                  "real documents never do; it is not read, for safety").format(
                    file=shown_as, name=_shown(info.filename),
                    ratio=info.file_size // max(info.compress_size, 1)), hint=_hint_resave())
    if any(info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
           for info in infos):
        raise DocumentRefused(
            _("{file} was packed by a program other than Word, in a way gcmreview cannot "
              "read").format(file=shown_as), hint=_hint_resave())


# --- 4. a Word document, without macros -------------------------------------------------------

@dataclass(frozen=True)
class _ContentTypes:
    """[Content_Types].xml: a content type per file extension, and per part."""

    defaults: dict[str, str]
    overrides: dict[str, str]

    def of(self, name: str) -> str:
        found = self.overrides.get(name.lower())
        if found is None:
            found = self.defaults.get(name.rsplit(".", 1)[-1].lower() if "." in name else "", "")
        return found.lower()

    def all(self) -> list[str]:
        return [t.lower() for t in (*self.defaults.values(), *self.overrides.values())]


def _check_word(entries: _Entries, names: dict[str, zipfile.ZipInfo],
                shown_as: str) -> tuple[str, _ContentTypes]:
    """The main part pandoc will read (as pandoc finds it) and the content types, once
    the package is known to be a Word document without macros or ActiveX controls."""
    if "[Content_Types].xml" not in names:
        if "word/document.xml" in names:
            raise _damaged(shown_as)
        raise _not_word(shown_as, _("a ZIP archive"), _(
            "if the Word document is inside this archive, take it out (right-click > Extract "
            "All) and send the .docx file itself"))
    types = _content_types(_parse(entries, names["[Content_Types].xml"], shown_as))
    main = _main_part(entries, names, shown_as)
    if main not in names:
        raise _damaged(shown_as)
    main_type = types.of(main)
    if "spreadsheetml" in main_type or "ms-excel" in main_type:
        raise _not_word(shown_as, _("an Excel workbook (.xlsx)"), _hint_only_word())
    if "presentationml" in main_type or "ms-powerpoint" in main_type:
        raise _not_word(shown_as, _("a PowerPoint presentation (.pptx)"), _hint_only_word())
    every = types.all()
    if ("macroenabled" in main_type or any("vba" in t for t in every)
            or any(n.rsplit("/", 1)[-1].lower() in _MACRO_PARTS for n in names)):
        raise DocumentRefused(
            _("{file} contains macros, which gcmreview does not accept").format(file=shown_as),
            hint=_("in Word, choose File > Save As > “Word Document (.docx)” (this leaves the "
                   "macros out) and send the new file"))
    if any(n.lower().startswith("word/activex/") for n in names) or any(
            "activex" in t for t in every):
        raise DocumentRefused(
            _("{file} contains ActiveX controls (buttons or boxes that run programs), which "
              "gcmreview does not accept").format(file=shown_as),
            hint=_("in Word, turn on Developer > Design Mode, delete each control, save, and "
                   "send the file again"))
    return main, types


def _content_types(root: ElementTree.Element) -> _ContentTypes:
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}
    for item in root:
        tag = item.tag.rsplit("}", 1)[-1]
        if tag == "Default":
            defaults[item.get("Extension", "").lower()] = item.get("ContentType", "")
        elif tag == "Override":
            overrides[item.get("PartName", "").lstrip("/").lower()] = item.get("ContentType", "")
    return _ContentTypes(defaults, overrides)


def _main_part(entries: _Entries, names: dict[str, zipfile.ZipInfo],
               shown_as: str) -> str:
    """Where pandoc finds the document: the first officeDocument relationship of
    _rels/.rels, one leading slash removed, else word/document.xml."""
    if "_rels/.rels" in names:
        for rel in _parse(entries, names["_rels/.rels"], shown_as):
            if rel.tag.endswith("Relationship") and rel.get("Type") == _OFFICE_DOCUMENT:
                target = rel.get("Target", "")
                return target[1:] if target.startswith("/") else target
    return "word/document.xml"


# --- 5. XML without a DTD ---------------------------------------------------------------------

_DTD, _NOT_XML = "dtd", "not-xml"
_FIRST_READ, _NEXT_READ = 4096, 65536
_DECLARATION = re.compile(r"<\?xml\s")
_ENCODING = re.compile(r"""\sencoding\s*=\s*["']([^"']*)["']""")
_EIGHT_BIT = re.compile(r"(?:utf-?8|(?:us-)?ascii|iso[-_]?8859[-_]?\d{1,2}|latin-?1"
                        r"|(?:windows|cp)-?125\d)", re.IGNORECASE)
_SIXTEEN_BIT = re.compile(r"utf-?16(?:[lb]e)?", re.IGNORECASE)


def _is_xml(name: str, main: str, types: _ContentTypes) -> bool:
    """Whether pandoc or an XML parser could read the part as XML: by its name, or
    by its content type (SVG pictures excepted: pandoc passes them on unparsed)."""
    kind = types.of(name).split(";")[0].strip()
    return (name.lower().endswith((".xml", ".rels")) or name == main
            or (kind.endswith("xml") and not kind.startswith("image/")))


def _check_xml(entries: _Entries, infos: list[zipfile.ZipInfo], main: str,
               types: _ContentTypes, shown_as: str) -> None:
    for info in infos:
        if _is_xml(info.filename, main, types):
            _check_prolog(entries, info, shown_as)


def _check_prolog(entries: _Entries, info: zipfile.ZipInfo, shown_as: str) -> None:
    with entries.stream(info) as stream:
        problem = _prolog_problem(stream)
    if problem == _DTD:
        raise DocumentRefused(
            _("{file} contains something Word never writes: its part {name} declares a "
              "document type, which could be used to read other files; it is not read, for "
              "safety").format(file=shown_as, name=_shown(info.filename)), hint=_hint_resave())
    if problem == _NOT_XML:
        raise _unreadable_part(shown_as, info.filename)


def _decoder(head: bytes) -> codecs.IncrementalDecoder | None:
    """A decoder for the part's encoding family, from its first bytes (XML 1.0,
    appendix F); None for UTF-32, which no Office program writes."""
    if head.startswith((b"\xff\xfe\0\0", b"\0\0\xfe\xff", b"<\0\0\0", b"\0\0\0<")):
        return None
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16"
    elif head.startswith(b"<\0"):
        codec = "utf-16-le"
    elif head.startswith(b"\0<"):
        codec = "utf-16-be"
    else:
        codec = "utf-8-sig"  # markup is ASCII in every 8-bit encoding allowed below
    return codecs.getincrementaldecoder(codec)(errors="replace")


def _prolog_problem(stream: IO[bytes]) -> str | None:
    """_DTD if a DOCTYPE (or any `<!` but a comment) comes before the root element,
    _NOT_XML if something that is not markup does, or an encoding we cannot scan is
    declared; None once the root element starts (or the part ends cleanly).

    Reads in bounded chunks and stops at the root element. Comments and processing
    instructions may be long and cross chunks: only the few characters that could
    start their closing mark are kept between reads."""
    chunk = stream.read(_FIRST_READ)
    while 0 < len(chunk) < 4:  # the encoding is told by the first four bytes
        more = stream.read(_FIRST_READ)
        if not more:
            break
        chunk += more
    decoder = _decoder(chunk)
    if decoder is None:
        return _NOT_XML
    sixteen = chunk.startswith((b"\xff\xfe", b"\xfe\xff", b"<\0", b"\0<"))
    eof = not chunk
    text = decoder.decode(chunk, final=eof)
    closing = ""  # inside a comment or processing instruction: the mark that ends it
    while True:
        if closing:
            end = text.find(closing)
            if end >= 0:
                text, closing = text[end + len(closing):], ""
                continue
            text = text[-(len(closing) - 1):]  # what could begin the closing mark
        else:
            text = text.lstrip(" \t\r\n")
            if text and (len(text) >= 6 or eof):
                if text[0] != "<":
                    return _NOT_XML
                if _DECLARATION.match(text):
                    end = text.find("?>")
                    if end < 0 and (len(text) > 1024 or eof):
                        return _NOT_XML
                    if end >= 0:
                        declared = _ENCODING.search(text, 0, end)
                        allowed = _SIXTEEN_BIT if sixteen else _EIGHT_BIT
                        if declared and not allowed.fullmatch(declared.group(1)):
                            return _NOT_XML
                        text = text[end + 2:]
                        continue
                elif text.startswith("<?"):
                    text, closing = text[2:], "?>"
                    continue
                elif text.startswith("<!--"):
                    text, closing = text[4:], "-->"
                    continue
                elif text.startswith("<!"):
                    return _DTD
                else:
                    second = text[1:2]
                    return None if second.isalpha() or second in ("_", ":") else _NOT_XML
        if eof:
            return _NOT_XML if closing or text else None
        chunk = stream.read(_NEXT_READ)
        eof = not chunk
        text += decoder.decode(chunk, final=eof)


# --- 6. external references -------------------------------------------------------------------

def _parse(entries: _Entries, info: zipfile.ZipInfo, shown_as: str) -> ElementTree.Element:
    """A small XML part, parsed once its prolog is known to hold no DTD."""
    _check_prolog(entries, info, shown_as)
    if info.file_size > _MAX_PARSED_BYTES:
        raise _unreadable_part(shown_as, info.filename)
    try:
        return ElementTree.fromstring(entries.read(info))
    except ElementTree.ParseError as exc:
        raise _unreadable_part(shown_as, info.filename) from exc


def _external_references(entries: _Entries, infos: list[zipfile.ZipInfo],
                         shown_as: str) -> tuple[str, ...]:
    """What the document links to outside itself, in words; hyperlinks excepted, as
    they are the text's own links. Nothing is opened."""
    found: list[str] = []
    for info in infos:
        if not info.filename.lower().endswith(".rels"):
            continue
        for rel in _parse(entries, info, shown_as):
            if not rel.tag.endswith("Relationship") or \
                    rel.get("TargetMode", "").lower() != "external":
                continue
            kind = rel.get("Type", "")
            if kind.endswith(_HYPERLINK):
                continue
            found.append(_describe(kind.rsplit("/", 1)[-1], _shown(rel.get("Target", ""))))
    return tuple(dict.fromkeys(found))


def _describe(kind: str, target: str) -> str:
    if kind == "image":
        return _("an image linked from {target}").format(target=target)
    if kind == "attachedTemplate":
        return _("a template linked from {target}").format(target=target)
    return _("a linked object ({kind}) at {target}").format(kind=_shown(kind or "?", 40),
                                                           target=target)


# --- 7. the copy pandoc reads -----------------------------------------------------------------

def _dropped(name: str) -> bool:
    """Parts pandoc never reads and that only carry risk: macros, ActiveX controls,
    custom XML (SharePoint data) and embedded OLE objects."""
    lower = name.lower()
    return lower.rsplit("/", 1)[-1] in _MACRO_PARTS or lower.startswith(_DROPPED_FOLDERS)


def _rebuild(entries: _Entries,
             infos: list[zipfile.ZipInfo]) -> tuple[bytes, tuple[str, ...]]:
    """Every part but the dropped ones, read through zipfile and stored uncompressed at
    a fixed date: pandoc sees only checked bytes, in a plain ZIP."""
    left_out: list[str] = []
    kept: list[tuple[str, bytes, int]] = []
    for info in infos:
        if _dropped(info.filename):
            if info.filename.lower().startswith("word/embeddings/"):
                left_out.append(_("an embedded object ({name})").format(
                    name=_shown(info.filename.rsplit("/", 1)[-1])))
            continue
        kept.append((info.filename, entries.read(info), info.CRC))
    return _stored_zip(kept), tuple(left_out)


_DOS_TIME, _DOS_DATE = 0, (0 << 9) | (1 << 5) | 1  # 1980-01-01 00:00


def _stored_zip(entries: list[tuple[str, bytes, int]]) -> bytes:
    """A ZIP of stored entries dated 1980-01-01, written directly: the CRCs are the
    ones zipfile has just verified, not computed a second time (a quarter of the cost
    of a text-heavy document)."""
    parts: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for name, data, crc in entries:
        encoded, flags = (name.encode("ascii"), 0) if name.isascii() else (
            name.encode("utf-8"), 0x800)
        size = len(data)
        header = struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, flags, 0, _DOS_TIME, _DOS_DATE,
                             crc, size, size, len(encoded), 0)
        directory.append(struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, flags, 0, _DOS_TIME,
                                     _DOS_DATE, crc, size, size, len(encoded), 0, 0, 0, 0, 0,
                                     offset) + encoded)
        parts += (header, encoded, data)
        offset += len(header) + len(encoded) + size
    central = b"".join(directory)
    end = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, len(directory), len(directory),
                      len(central), offset, 0)
    return b"".join((*parts, central, end))
