"""Write the Word files, good and hostile, that tests/test_docx_safety.py opens.

Regenerate (from the repository root; the outputs are committed beside this script):

    python3 -m venv /tmp/msoff && /tmp/msoff/bin/pip install msoffcrypto-tool
    PATH=/tmp/msoff/bin:$PATH .venv/bin/python tests/data/word/hostile/make.py

ok.docx comes from the bundled pandoc; most other files are ok.docx with one part
changed or added. old.doc and review.odt need LibreOffice (`soffice`); a real
password-protected encrypted.docx needs `msoffcrypto-tool` on PATH (install it in
a throwaway virtualenv: it is never a dependency of gcmreview). Without it, the
file is an OLE container whose directory names the EncryptionInfo and
EncryptedPackage streams, which is what gcmreview looks at. Every file stays under
300 KB: the bombs are zeros or spaces, which deflate about 1000 times.
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import tempfile
import warnings
import zipfile
from pathlib import Path

import typst

from gcmreview.convert.pandoc import pandoc_path

HERE = Path(__file__).resolve().parent
DATE = (2024, 1, 1, 0, 0, 0)
MARKDOWN = "# Examen volontaire\n\nObjectif 5 : texte du Maroc.\n"
DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
R = b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
MACRO_TYPE = b"application/vnd.ms-word.document.macroEnabled.main+xml"
DOCX_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def write_zip(path: Path, entries: list[tuple[str, bytes]],
              method: int = zipfile.ZIP_DEFLATED) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, DATE)
            info.compress_type = method
            archive.writestr(info, data, compresslevel=9 if method == zipfile.ZIP_DEFLATED
                             else None)


def ok_entries() -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(HERE / "ok.docx") as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def variant(name: str, changes: dict[str, bytes], *, method: int = zipfile.ZIP_DEFLATED,
            extra: list[tuple[str, bytes]] = ()) -> None:
    """ok.docx with some parts replaced (in place) and others added at the end."""
    entries = [(n, changes.get(n, data)) for n, data in ok_entries()]
    write_zip(HERE / name, entries + list(extra), method)


def part(name: str) -> bytes:
    return dict(ok_entries())[name]


def after_declaration(xml: bytes, insert: bytes) -> bytes:
    end = xml.index(b"?>") + 2
    return xml[:end] + insert + xml[end:]


def after_root_tag(xml: bytes, root: bytes, insert: bytes) -> bytes:
    end = xml.index(b">", xml.index(b"<" + root)) + 1
    return xml[:end] + insert + xml[end:]


def add_relationship(rels: bytes, xml: str) -> bytes:
    return rels.replace(b"</Relationships>", xml.encode() + b"</Relationships>")


def add_default(types: bytes, extension: str, content_type: str) -> bytes:
    return types.replace(b"<Override", f'<Default Extension="{extension}" ContentType='
                         f'"{content_type}" /><Override'.encode(), 1)


def document(body: bytes, prolog: bytes = DECLARATION) -> bytes:
    return (prolog + b"<w:document " + W + b" " + R + b' xmlns:a="http://schemas.openxmlformats.'
            b'org/drawingml/2006/main" xmlns:o="urn:schemas-microsoft-com:office:office" '
            b'xmlns:v="urn:schemas-microsoft-com:vml"><w:body>' + body + b"</w:body></w:document>")


def paragraph(text: str) -> bytes:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>".encode()


def spaces_stream(path: Path, name: str, size: int, before: list[tuple[str, bytes]]) -> None:
    """A ZIP whose entry `name` is `size` bytes of spaces, written in chunks."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for entry, data in before:
            if entry != name:
                archive.writestr(zipfile.ZipInfo(entry, DATE), data, zipfile.ZIP_DEFLATED)
        info = zipfile.ZipInfo(name, DATE)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.file_size = size  # announced, so that zipfile does not switch to zip64
        with archive.open(info, "w") as out:
            block = b" " * 2**20
            for _ in range(size // len(block)):
                out.write(block)


def overlap(path: Path, copies: int) -> None:
    """A quoted-overlap bomb: one 2 MB compressed kernel, listed `copies` times in the
    central directory under different names (each entry's data is the same bytes)."""
    entries = ok_entries()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as writer:
        for name, data in entries:
            writer.writestr(zipfile.ZipInfo(name, DATE), data, zipfile.ZIP_DEFLATED)
        kernel = zipfile.ZipInfo("word/media/kernel.bin", DATE)
        writer.writestr(kernel, b"\0" * 2 * 2**20, zipfile.ZIP_DEFLATED)
    raw = buffer.getvalue()
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        infos = archive.infolist()
    directory_at, = struct.unpack("<I", raw[-6:-2])  # the end record, no comment
    body, directory = raw[:directory_at], raw[directory_at:-22]
    records = []
    for i in range(copies):
        name = f"word/media/kernel{i}.bin".encode()
        k = infos[-1]
        records.append(struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21,
                                   k.CRC, k.compress_size, k.file_size, len(name), 0, 0, 0,
                                   0, 0, k.header_offset) + name)
    central = directory + b"".join(records)
    count = len(infos) + copies
    end = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, count, count, len(central), len(body), 0)
    path.write_bytes(body + central + end)


def fake_encrypted() -> bytes:
    """An OLE container (512-byte sectors) whose directory holds the two streams of an
    encrypted Office document; its content is not a real encryption."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHH", header, 24, 0x3E, 3, 0xFFFE)
    struct.pack_into("<H", header, 30, 9)
    directory = bytearray(512)
    for i, name in enumerate(("Root Entry", "EncryptionInfo", "EncryptedPackage")):
        encoded = name.encode("utf-16-le") + b"\0\0"
        directory[i * 128:i * 128 + len(encoded)] = encoded
        struct.pack_into("<HB", directory, i * 128 + 64, len(encoded), 5 if i == 0 else 2)
    return bytes(header) + bytes(directory) + bytes(1024)


def soffice(source: Path, target: str, out: Path) -> None:
    office = shutil.which("soffice")
    if office is None:
        print(f"soffice not found: {out.name} kept as it is")
        return
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([office, "--headless", "--convert-to", target, "--outdir", folder,
                        str(source)], check=True, capture_output=True)
        shutil.copy(Path(folder) / f"{source.stem}.{target}", out)


def main() -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1704067200"}
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "ok.md"
        source.write_text(MARKDOWN, encoding="utf-8")
        subprocess.run([str(pandoc_path()), str(source), "-o", str(HERE / "ok.docx")],
                       check=True, env=env)
    ok = HERE / "ok.docx"
    types = part("[Content_Types].xml")
    doc_rels = part("word/_rels/document.xml.rels")
    text = paragraph("Objectif 5 : texte du Maroc.")

    # Macros and ActiveX.
    variant("macro.docm", {
        "[Content_Types].xml": add_default(types.replace(DOCX_TYPE, MACRO_TYPE), "bin",
                                           "application/vnd.ms-office.vbaProject"),
        "word/_rels/document.xml.rels": add_relationship(
            doc_rels, '<Relationship Id="rId99" Type="http://schemas.microsoft.com/office/2006/'
            'relationships/vbaProject" Target="vbaProject.bin" />'),
    }, extra=[("word/vbaProject.bin", fake_encrypted()[:512] + b"Attribute VB_Name")])
    variant("activex.docx", {}, extra=[
        ("word/activeX/activeX1.xml", DECLARATION + b'<ax:ocx xmlns:ax="http://schemas.'
         b'microsoft.com/office/2006/activeX" ax:classid="{8BD21D40-EC42-11CE-9E0D-00AA006002F3}"'
         b"/>")])

    # Zip bombs and broken archives.
    spaces_stream(HERE / "bomb.docx", "word/document.xml", 150 * 2**20, ok_entries())
    spaces_stream(HERE / "ratio.docx", "word/media/image1.png", 60 * 2**20, ok_entries())
    overlap(HERE / "overlap.docx", 60)
    write_zip(HERE / "many.docx", ok_entries() + [(f"word/media/{i}.png", b"")
                                                  for i in range(2001)], zipfile.ZIP_STORED)
    with zipfile.ZipFile(HERE / "duplicate.docx", "w") as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name
        for name, data in [*ok_entries(), ("word/document.xml", document(paragraph("Autre")))]:
            archive.writestr(zipfile.ZipInfo(name, DATE), data, zipfile.ZIP_DEFLATED)
    variant("unsafe-name.docx", {}, extra=[("word/media/../../../evil.png", b"x")])
    variant("bzip2.docx", {}, method=zipfile.ZIP_BZIP2)
    locked = bytearray(ok.read_bytes())
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = locked.find(signature)
        while at >= 0:
            locked[at + flag_at] |= 1
            at = locked.find(signature, at + 4)
    (HERE / "zip-password.docx").write_bytes(bytes(locked))
    (HERE / "truncated.docx").write_bytes(ok.read_bytes()[: ok.stat().st_size // 2])
    (HERE / "empty.docx").write_bytes(b"")

    # XML that asks for more than its text.
    xxe = b'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
    variant("xxe.docx", {"word/document.xml": document(paragraph("&x;"), DECLARATION + xxe)})
    laughs = b"<!DOCTYPE w:styles [\n<!ENTITY lol \"lol\">\n" + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'.encode()
        for i in range(1, 10)) + b"]>\n"
    styles = part("word/styles.xml")
    variant("laughs.docx", {"word/styles.xml": after_declaration(styles, laughs)})
    # "-->" straddles the first 4096-byte read, and the comment runs past the next ones.
    head = DECLARATION + b"<!--"
    filler = b"x-" * ((4095 - len(head)) // 2) + b"x" * ((4095 - len(head)) % 2)
    long_comment = head + filler + b"-->" + b"<!-- " + b"- -> " * 30000 + b"-->\n"
    variant("comment-doctype.docx", {"word/document.xml": document(
        text, long_comment + b'<!DOCTYPE w:document SYSTEM "http://127.0.0.1:9/w.dtd">\n')})
    variant("comment-ok.docx", {"word/document.xml": document(
        text, DECLARATION + b"<!-- " + b"a comment that says <!DOCTYPE x> " * 5000 + b"-->\n")})
    utf16 = document(paragraph("&x;"), DECLARATION.replace(b"UTF-8", b"UTF-16") + xxe)
    variant("xxe-utf16.docx", {"word/document.xml": b"\xff\xfe" + utf16.decode().encode(
        "utf-16-le")})
    variant("utf7.docx", {"word/document.xml": document(
        paragraph("x"), b'<?xml version="1.0" encoding="UTF-7"?>+ADw-!DOCTYPE w:document +AFs-'
        b'+ADw-!ENTITY x SYSTEM +ACI-file:///etc/passwd+ACI-+AD4-+AF0-+AD4-\n')})

    # Links out of the document, and embedded objects.
    settings = part("word/settings.xml")
    variant("external.docx", {
        "word/document.xml": document(
            text + b'<w:p><w:r><w:drawing><a:blip r:link="rId101"/></w:drawing></w:r></w:p>'
            + b'<w:p><w:hyperlink r:id="rId103"><w:r><w:t>OIM</w:t></w:r></w:hyperlink></w:p>'),
        "word/_rels/document.xml.rels": add_relationship(
            doc_rels, f'<Relationship Id="rId101" Type="{RELS}image" Target="file:///etc/passwd" '
            f'TargetMode="External" /><Relationship Id="rId102" Type="{RELS}image" '
            f'Target="http://127.0.0.1:9/x.png" TargetMode="External" />'
            f'<Relationship Id="rId103" Type="{RELS}hyperlink" Target="https://www.iom.int/" '
            f'TargetMode="External" />'),
        "word/settings.xml": after_root_tag(settings, b"w:settings",
                                           b'<w:attachedTemplate r:id="rId1"/>'),
    }, extra=[("word/_rels/settings.xml.rels", DECLARATION + (
        f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{RELS}attachedTemplate" Target="\\\\server\\share\\t.dotm"'
        f' TargetMode="External"/></Relationships>').encode())])
    variant("embedded.docx", {
        "[Content_Types].xml": add_default(
            types, "bin", "application/vnd.openxmlformats-officedocument.oleObject"),
        "word/document.xml": document(text + b'<w:p><w:r><w:object><o:OLEObject Type="Embed" '
                                      b'ProgID="Package" r:id="rId110"/></w:object></w:r></w:p>'),
        "word/_rels/document.xml.rels": add_relationship(
            doc_rels, f'<Relationship Id="rId110" Type="{RELS}oleObject" '
            f'Target="embeddings/oleObject1.bin" />'),
    }, extra=[("word/embeddings/oleObject1.bin", fake_encrypted()[:512] + b"\1Ole10Native"),
              ("customXml/item1.xml", DECLARATION + b"<b:Sources xmlns:b=\"http://schemas."
               b"openxmlformats.org/officeDocument/2006/bibliography\"/>")])

    # Other kinds of file.
    (HERE / "report.pdf").write_bytes(typst.compile(b"Examen volontaire"))
    soffice(ok, "doc", HERE / "old.doc")
    soffice(ok, "odt", HERE / "review.odt")
    encrypted = HERE / "encrypted.docx"
    tool = shutil.which("msoffcrypto-tool")
    if tool:
        subprocess.run([tool, "-e", "-p", "secret", str(ok), str(encrypted)], check=True)
    else:
        encrypted.write_bytes(fake_encrypted())
    (HERE / "rtf.docx").write_bytes(b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Arial;}}\n"
                                    b"\\f0 Examen volontaire\\par\n}\n")
    (HERE / "html.docx").write_bytes(
        b'<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-'
        b'microsoft-com:office:word">\n<head><meta charset="utf-8"><title>Examen</title></head>\n'
        b"<body><h1>Examen volontaire</h1></body></html>\n")
    (HERE / "yaml.docx").write_bytes(
        "country: MA\nreview:\n  date: \"2026-03-15\"\n  language: fr\nobjectives:\n  5:\n"
        "    status: in_progress\n    summary: Texte de l'objectif, réécrit.\n".encode())
    (HERE / "text.docx").write_bytes("Examen volontaire du Maroc — objectif 5.\n".encode())
    (HERE / "binary.docx").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with zipfile.ZipFile(HERE / "workbook.xlsx", "w", zipfile.ZIP_DEFLATED) as archive:
        sheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
        for name, data in [
            ("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
             'content-types"><Default Extension="rels" ContentType="application/vnd.'
             'openxmlformats-package.relationships+xml"/><Override PartName="/xl/workbook.xml" '
             f'ContentType="{sheet}"/></Types>'),
            ("_rels/.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
             f'relationships"><Relationship Id="rId1" Type="{RELS}officeDocument" '
             'Target="xl/workbook.xml"/></Relationships>'),
            ("xl/workbook.xml", '<workbook xmlns="http://schemas.openxmlformats.org/'
             'spreadsheetml/2006/main"/>')]:
            archive.writestr(zipfile.ZipInfo(name, DATE), data)
    with zipfile.ZipFile(HERE / "archive.zip.docx", "w") as archive:
        archive.writestr(zipfile.ZipInfo("review.docx", DATE), ok.read_bytes())
    for path in sorted(HERE.iterdir()):
        assert path.stat().st_size < 300_000, path
    print("written:", ", ".join(p.name for p in sorted(HERE.iterdir()) if p.name != "make.py"))


if __name__ == "__main__":
    main()
