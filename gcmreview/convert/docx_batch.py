"""One pandoc DOCX write holding several reports, cut into the files single writes make.

pandoc builds and reads its default reference document again at every DOCX write (43 MB
allocated, whatever the document), so the reports of one language are written together
(batch.lua `write_docx_batch`) and cut apart here: on the 193-State bench, pandoc's
allocation 84.3 GB -> 77.0 GB and its mutator's CPU 33.7 s -> 28.1 s. What pandoc numbers across
a write is numbered again from where each report's part starts: the one counter of
notes, bookmarks and links, the lists, the links' relationships. The title block its
template writes from the metadata, and the document properties, are written for each
report as pandoc writes them. The parts are the bytes a write of each report alone
gives (tests/test_docx_batch.py holds them to that through the real pandoc).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from gcmreview.convert.docx import CUSTOM_PROPERTIES, Package


class Uncuttable(ValueError):
    """The batch is not laid out as batch.lua lays it out: its reports are written alone
    (never the user's to read)."""


PART = "gcmreview-part-"
"""batch.lua's name for a report's part, the bookmark of the code block before it."""
BASE_LIST = 1000
"""pandoc's first list, its "no marker" list, in every document; its own lists follow."""
FIRST_LIST = BASE_LIST + 1
PANDOC_ABSTRACT = 990
"""pandoc's abstract lists are numbered from here; the reference document's below."""

_MARKER = re.compile(r'<w:bookmarkStart w:id="(\d+)" w:name="' + PART + r'(\d+)" />')
_LIST_ID = '<w:numId w:val="'
_IDS = re.compile(r'(<w:(?:bookmarkStart|bookmarkEnd|footnoteReference|footnote) w:id="'
                  r'|<w:hyperlink r:id="rId|' + _LIST_ID + r')(\d+)(?=")')
"""What pandoc numbers across a write: its counter's ids (bookmarks, notes, links'
relationships), and its lists."""
_NOTE = re.compile(r'<w:footnote w:id="(\d+)">.*?</w:footnote>', re.S)
_RELATIONSHIP = re.compile(r"<Relationship [^>]*/>")
_HYPERLINK = 'relationships/hyperlink"'
# Loose about attributes: Word saves a reference document's lists with more of them.
_ABSTRACT = re.compile(r'<w:abstractNum\b[^>]*\bw:abstractNumId="(\d+)"[^>]*>.*?</w:abstractNum>',
                       re.S)
_NUM = re.compile(r'<w:num\b[^>]*\bw:numId="(\d+)"[^>]*>\s*<w:abstractNumId w:val="(\d+)"'
                  r'.*?</w:num>', re.S)
_DYNAMIC_STYLE = re.compile(
    r'<w:style w:type="(?:paragraph|character)" w:customStyle="1" w:styleId="([^"]*)">'
    r'<w:name w:val="[^"]*" /><w:basedOn w:val="BodyText(?:Char)?" />(?:<w:qFormat />)?'
    r"</w:style>")
"""A style pandoc adds for a custom-style the reference document lacks."""
_SECTION = "    <w:sectPr"
"""The line the template's section properties start (with the reference's attributes)."""
_CORE_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">')


def _escaped(text: str) -> str:
    """Text as pandoc's XML writer escapes it."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def core_properties(part: dict[str, Any], stamp: str) -> str:
    """docProps/core.xml as pandoc writes it from a report's metadata (`part`: batch.lua
    `core_properties`); `stamp` is the time pandoc writes (the build fixes it)."""
    items = [f"<dc:title>{_escaped(part['title'])}</dc:title>", "<dc:creator></dc:creator>"]
    items += [f"<{tag}>{_escaped(value)}</{tag}>" for tag, value in part["properties"]]
    items.append("<cp:keywords></cp:keywords>")
    items += [f'<dcterms:{kind} xsi:type="dcterms:W3CDTF">{stamp}</dcterms:{kind}>'
              for kind in ("created", "modified")]
    return _CORE_HEAD + "".join(items) + "</cp:coreProperties>"


def _title_block(paragraph: str) -> str:
    """The template's paragraph for the title or subtitle, from the paragraph pandoc
    wrote in the body for the same inlines, in the same style."""
    style = re.match(r' *<w:p><w:pPr><w:pStyle w:val="([^"]*)" />', paragraph)
    runs = paragraph[paragraph.index("</w:pPr>") + len("</w:pPr>"):paragraph.rindex("</w:p>")]
    if style is None or "\n" in runs or " w:id=" in runs or " r:id=" in runs:
        raise Uncuttable("pandoc wrote a title the DOCX batch cannot lay out")
    return (f'    <w:p>\n      <w:pPr>\n        <w:pStyle w:val="{style.group(1)}" />\n'
            f"      </w:pPr>\n      {runs}\n    </w:p>\n")


class _Cut:
    """Where each part lies in the batch's document.xml (batch.lua `write_docx_batch`:
    its title paragraphs, a bookmarked code block, then its body), and where its ids
    start."""

    def __init__(self, document: str, parts: list[dict[str, Any]]) -> None:
        markers = list(_MARKER.finditer(document))
        if [int(m.group(2)) for m in markers] != list(range(1, len(parts) + 1)):
            raise Uncuttable("the DOCX batch lost the start of a report")
        body = document.index("<w:body>\n") + len("<w:body>\n")
        self.head = document[:body]
        self.tail = document[document.rindex(_SECTION):]
        self.titles: list[list[str]] = []
        self.first_ids: list[int] = []
        starts = []
        for marker, part in zip(markers, parts, strict=True):
            line = document.rindex("\n", 0, marker.start()) + 1
            after = line
            for _line in range(3):  # the bookmark, the code block, the bookmark's end
                after = document.index("\n", after) + 1
            if f'<w:bookmarkEnd w:id="{marker.group(1)}" />' not in document[line:after]:
                raise Uncuttable("the DOCX batch lost the start of a report")
            titles: list[str] = []
            for _field in part["heading"]:
                before = document.rindex("\n", 0, line - 1) + 1
                titles.insert(0, document[before:line - 1])
                line = before
            starts.append((line, after))
            self.titles.append(titles)
            self.first_ids.append(int(marker.group(1)) + 1)
        if document[body:starts[0][0]].strip():  # the template wrote more than the body
            raise Uncuttable("the DOCX batch has a title block of its own")
        ends = [start for start, _after in starts[1:]] + [len(document) - len(self.tail)]
        self.bodies = [document[after:end]
                       for (_start, after), end in zip(starts, ends, strict=True)]
        self.base = int(markers[0].group(1))
        """Where a document's ids start: the first part's title takes none."""

    def id_range(self, k: int) -> range:
        end = self.first_ids[k + 1] - 1 if k + 1 < len(self.first_ids) else 1 << 62
        return range(self.first_ids[k], end)


def _renumbered(xml: str, shift: int, lists: int) -> str:
    """A part's XML with the ids pandoc's counter gave it (`_IDS`) moved back by `shift`,
    and its lists (`_LIST_ID`) by `lists`: as a write of it alone numbers them."""
    pieces = _IDS.split(xml)
    for i in range(2, len(pieces), 3):
        number = int(pieces[i])
        if pieces[i - 1] == _LIST_ID:
            pieces[i] = str(number - lists) if number >= FIRST_LIST else pieces[i]
        else:
            pieces[i] = str(number - shift)
    return "".join(pieces)


_LIST = re.compile(_LIST_ID + r"(\d+)")


def _lists_of(xml: str) -> set[int]:
    return {int(n) for n in _LIST.findall(xml) if int(n) >= FIRST_LIST}


class _Numbering:
    """The batch's numbering.xml, read once. pandoc writes the reference document's own
    abstract lists and lists first (numbered below PANDOC_ABSTRACT and BASE_LIST), then
    its own: the abstract lists for the markers used, in the order first used, and the
    lists from BASE_LIST (mkNumbering)."""

    def __init__(self, batch: str) -> None:
        abstracts = list(_ABSTRACT.finditer(batch))
        added = [m for m in abstracts if int(m.group(1)) >= PANDOC_ABSTRACT]
        self.head = batch[:added[0].start()] if added else batch[:batch.index("<w:num ")]
        self.abstracts = {m.group(1): m.group(0) for m in added}
        nums = list(_NUM.finditer(batch))
        self.own = "".join(m.group(0) for m in nums if int(m.group(1)) < BASE_LIST)
        self.nums = {int(m.group(1)): (m.group(2), m.group(0)) for m in nums
                     if int(m.group(1)) >= BASE_LIST}

    def of(self, numbers: list[int], lists: int) -> str:
        """numbering.xml for a part whose lists are `numbers` (less `lists` in a write of
        it alone)."""
        kept = [BASE_LIST, *numbers]
        used = list(dict.fromkeys(self.nums[n][0] for n in kept))
        renumbered = [self.nums[n][1] if n < FIRST_LIST else
                      self.nums[n][1].replace(f'w:numId="{n}"', f'w:numId="{n - lists}"', 1)
                      for n in kept]
        return (self.head + "".join(self.abstracts[a] for a in used) + self.own
                + "".join(renumbered) + "</w:numbering>")


def _relationships(batch: str, span: range, shift: int, links_only: bool) -> str:
    """A part's relationships: the reference's (unless `links_only`), and its own links
    (their ids in its `span`) with the ids a write of it alone gives them."""
    kept = []
    for rel in _RELATIONSHIP.findall(batch):
        if _HYPERLINK not in rel:
            if not links_only:
                kept.append(rel)
            continue
        number = re.search(r'Id="rId(\d+)"', rel)
        if number is not None and int(number.group(1)) in span:
            kept.append(rel.replace(number.group(0), f'Id="rId{int(number.group(1)) - shift}"'))
    root = re.match(r"(.*?<Relationships[^>]*?)\s*/?>", batch, re.S)
    if root is None:
        raise Uncuttable("pandoc wrote relationships the DOCX batch cannot read")
    if not kept:
        return root.group(1) + " />"
    return root.group(1) + ">" + "".join(kept) + "</Relationships>"


def _styles(batch: str, used: str) -> str:
    """styles.xml with only the added styles (`_DYNAMIC_STYLE`) the part uses."""
    return _DYNAMIC_STYLE.sub(
        lambda m: m.group(0) if f'Style w:val="{m.group(1)}"' in used else "", batch)


_COUNTED_CAPTIONS = ('w:val="TableCaption"', 'w:val="ImageCaption"', 'w:val="CaptionedFigure"')
"""Captions pandoc numbers across a write (Table 1, Figure 1): the reports have none."""
_LINK_ID = re.compile(r'<w:hyperlink r:id="rId(\d+)"')


def _cut_as_alone(xml: str, span: range, numbers: list[int], lists: int) -> bool:
    """Whether a part (its body and notes) can be cut as a write of it alone: no caption
    numbered after another part's, every link its own relationship (a link to a URL
    another report of the batch linked to first has that report's: gcmreview.convert.
    pandoc.batches keeps such reports apart, by a guess from their text), its lists
    numbered after the other parts' (pandoc numbers a list even if it has no item)."""
    return (not any(caption in xml for caption in _COUNTED_CAPTIONS)
            and all(int(n) in span for n in _LINK_ID.findall(xml))
            and numbers == list(range(FIRST_LIST + lists, FIRST_LIST + lists + len(numbers))))


def split_batch(path: Path, parts: list[dict[str, Any]]) -> list[Package | None]:
    """The reports of a batch written by batch.lua (`parts`: its answer), each as the
    package a write of it alone gives, but for docProps/custom.xml (left out); None for a
    report that cannot be cut so (`_cut_as_alone`), to be written alone."""
    with zipfile.ZipFile(path) as archive:
        names = [n for n in archive.namelist() if n != CUSTOM_PROPERTIES]
        shared = {name: archive.read(name) for name in names}
    if any(name.startswith("word/media/") for name in names):
        raise Uncuttable("the DOCX batch holds pictures pandoc placed")
    document = shared["word/document.xml"].decode()
    created = re.search(r"<dcterms:created [^>]*>([^<]*)<", shared["docProps/core.xml"].decode())
    stamp = created.group(1) if created else ""
    notes = shared["word/footnotes.xml"].decode()
    numbering = _Numbering(shared["word/numbering.xml"].decode())
    rels = shared["word/_rels/document.xml.rels"].decode()
    note_rels = shared["word/_rels/footnotes.xml.rels"].decode()
    styles = shared["word/styles.xml"].decode()
    added_styles = _DYNAMIC_STYLE.search(styles) is not None
    cut = _Cut(document, parts)
    all_notes = [(int(m.group(1)), m.group(0)) for m in _NOTE.finditer(notes)]
    notes_head = notes[:notes.index(all_notes[0][1])] if all_notes \
        else notes[:notes.rindex("</w:footnotes>")]
    packages: list[Package | None] = []
    lists_before = 0
    for k, part in enumerate(parts):
        shift = cut.first_ids[k] - cut.base
        span = cut.id_range(k)
        own_notes = [text for number, text in all_notes if number in span]
        body = cut.bodies[k]
        numbers = sorted(_lists_of(body) | _lists_of("".join(own_notes)))
        lists = lists_before
        lists_before += len(numbers)
        if not _cut_as_alone(body + "".join(own_notes), span, numbers, lists):
            packages.append(None)
            continue
        titles = "".join(_title_block(paragraph) for paragraph in cut.titles[k])
        own = dict(shared)
        own["word/document.xml"] = (cut.head + titles + _renumbered(body, shift, lists)
                                    + cut.tail).encode()
        own["word/footnotes.xml"] = (notes_head + "".join(
            _renumbered(text, shift, lists) for text in own_notes)
            + "</w:footnotes>").encode()
        own["word/numbering.xml"] = numbering.of(numbers, lists).encode()
        if added_styles:
            own["word/styles.xml"] = _styles(styles, body + "".join(own_notes)).encode()
        own["word/_rels/document.xml.rels"] = _relationships(rels, span, shift,
                                                             False).encode()
        own["word/_rels/footnotes.xml.rels"] = _relationships(note_rels, span, shift,
                                                              True).encode()
        own["docProps/core.xml"] = core_properties(part, stamp).encode()
        packages.append(Package(names, own))
    return packages
