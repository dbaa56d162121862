"""Read an XLIFF file (2.0, 2.1, 2.2 or 1.2) safely: what a translation tool gave back.

XLIFF files come back from translators, CAT tools and pull requests: they are
untrusted. `read_xliff` checks, in this order, and refuses with a plain
`TranslationRefused` (the file, where, what is wrong, how to fix it):

1. a regular file (no link, folder or device) of at most MAX_BYTES, checked
   before a byte is read: a 1 GB file is never loaded;
2. XML read by defusedxml's parser, which refuses any document type declaration
   (so no external entity can read a local file, and no entity can expand a
   billion times), any entity declaration and any external reference; an
   element nesting deeper than MAX_DEPTH is refused before it costs a recursion;
3. an XLIFF document of a version this reads: the units, each with its source
   and target as text and inline codes (gcmreview.core.segments).

What the codes stand for comes from the file's `<originalData>` (or, in 1.2, the
native code inside `<bpt>`, `<ept>` and `<ph>`): used only to tell whether the
file's source is still the current original, never put into a review's text
(gcmreview.core.segments.adopt).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from gcmreview.core.errors import TranslationRefused, os_reason
from gcmreview.core.i18n import _
from gcmreview.core.segments import Pc, Ph, Piece, Segment

MAX_BYTES = 20 * 1024 * 1024
"""A State's whole review translated is a few hundred kilobytes of XLIFF."""
MAX_DEPTH = 64
"""No XLIFF needs elements nested deeper (inline codes within codes included)."""

XLIFF2 = "urn:oasis:names:tc:xliff:document:2.0"
XLIFF1 = "urn:oasis:names:tc:xliff:document:1.2"
MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
GCM = "https://gcmreview.invalid/xliff"
"""gcmreview's own attributes in an XLIFF 1.2 file, where the Metadata module is not."""
META_CATEGORY = "gcmreview"
"""The metadata group (XLIFF 2) or property group (1.2) gcmreview writes its facts in."""
STATES = ("initial", "translated", "reviewed", "final")
"""XLIFF 2's segment states, in order."""


class XliffUnit(NamedTuple):
    """One translation unit as the file gives it. (A named tuple, not a frozen dataclass:
    made 23,000 times in an import, in 0.5 µs instead of 1.25.)"""

    id: str
    name: str | None
    source: Segment
    target: Segment | None
    """None: no target (or an empty one)."""
    state: str
    """initial, translated, reviewed or final (1.2 states mapped onto these)."""
    state_given: bool
    """The file says the state; else a target is taken as translated."""
    source_hash: str | None
    """What gcmreview recorded of the original it translates, if the file kept it."""
    data_complete: bool
    """Every code of the source has its original Markdown in the file."""
    line: int
    problem: str | None = None
    """Why the unit cannot be read (unbalanced codes, an element XLIFF has not)."""


@dataclass(frozen=True)
class XliffDocument:
    version: str
    source_lang: str
    target_lang: str | None
    meta: dict[str, str]
    """gcmreview's facts about the file: country, cycle, kind (review or catalogue)."""
    original: str | None
    units: tuple[XliffUnit, ...]


# --- 1. the file ----------------------------------------------------------------------------

def read_bytes(path: Path, shown: str, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (else TranslationRefused)."""
    def refused(message: str, hint: str | None = None) -> TranslationRefused:
        return TranslationRefused(message, hint=hint)

    try:
        found = path.lstat()
        if stat.S_ISDIR(found.st_mode):
            raise refused(_("{file} is a folder, not a translation file").format(file=shown),
                          _("give the path of the file itself"))
        if not stat.S_ISREG(found.st_mode):
            raise refused(_("{file} is a symbolic link or not a regular file; it is not "
                            "read").format(file=shown),
                          _("give the file itself, not a link to it"))
        if found.st_size > limit:
            raise refused(_("{file} is {size} MB; a translation file is at most {limit} MB")
                          .format(file=shown, size=-(-found.st_size // 2**20),
                                  limit=limit // 2**20),
                          _("export one State per file (`gcmreview translate export`)"))
        flags = (os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
                 | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(os.open(path, flags), "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise refused(_("{file} is a symbolic link or not a regular file; it is not "
                                "read").format(file=shown))
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise refused(_("cannot read {file}: {reason}").format(file=shown,
                                                               reason=os_reason(exc))) from exc
    if len(raw) > limit:
        raise refused(_("{file} is larger than {limit} MB").format(file=shown,
                                                                   limit=limit // 2**20))
    return raw


# --- 2. the XML -----------------------------------------------------------------------------

class Node:
    """An element as read: its name, attributes, children (elements and text), and the
    line it starts on (for units: what messages point to)."""

    __slots__ = ("attrib", "children", "line", "tag")

    def __init__(self, tag: str, attrib: dict[str, str], line: int) -> None:
        self.tag = tag
        self.attrib = attrib
        self.line = line
        self.children: list[Node | str] = []

    def elements(self, tag: str | None = None) -> list[Node]:
        return [c for c in self.children if isinstance(c, Node) and (tag is None or c.tag == tag)]

    def first(self, tag: str) -> Node | None:
        for child in self.children:
            if isinstance(child, Node) and child.tag == tag:
                return child
        return None

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class _TooDeep(Exception):
    pass


_UNITS = (f"{{{XLIFF2}}}unit", f"{{{XLIFF1}}}trans-unit")
_SKIPPED = (f"{{{XLIFF2}}}notes", f"{{{XLIFF1}}}note", f"{{{XLIFF1}}}alt-trans",
            f"{{{XLIFF1}}}context-group")
"""What is for the translator's eyes only: not kept (a returned file's notes may be long)."""


_LAYOUT = frozenset(f"{{{ns}}}{tag}" for ns, tags in (
    (XLIFF2, ("xliff", "file", "group", "unit", "segment", "ignorable", "originalData")),
    (XLIFF1, ("xliff", "file", "header", "body", "group", "trans-unit")),
    (MDA, ("metadata", "metaGroup"))) for tag in tags)
"""Elements whose text is only the indentation between their children."""


_ELEMENT, _UNIT, _NOTES, _ORIGINAL, _SOURCE_OF = range(5)
"""What the reader does with an element, known once per name: keep it (a unit, with its
line), leave it out (notes, always; a returned unit's original data and its segments'
source, when it carries its hash)."""


def _known(tag: str) -> tuple[str, int]:
    kind = (_NOTES if tag in _SKIPPED else _UNIT if tag in _UNITS
            else _SOURCE_OF if tag == _SOURCE else _ORIGINAL if tag in _LEFT_OUT else _ELEMENT)
    return tag, kind


class _Builder:
    """The target of the parser: a tree of `Node`s, with the line each unit starts on."""

    def __init__(self) -> None:
        self.stack: list[Node] = []
        self.root: Node | None = None
        self.expat: Any = None
        self.skipping = 0
        self.names: dict[str, tuple[str, int]] = {}
        """expat's names of elements: the tag as kept, and what is done with it."""
        self.lean = False
        """Leave out what an import does not use of a returned file (codes' Markdown)."""
        self.hashed = False
        """The unit being read carries the hash gcmreview recorded."""
        self.texts = 0
        """Elements open whose text is read (not `_LAYOUT`): with none, expat hands no
        text over at all (the indentation between elements is two fifths of the calls)."""

    def expat_start(self, name: str, attributes: dict[str, str]) -> None:
        """expat's own call, without ElementTree's layer (a third of the reading time of a
        large file): a tag as `{uri}local`; attributes as expat gives them, a namespaced
        one as `uri}local`."""
        known = self.names.get(name)
        if known is None:
            known = self.names[name] = _known("{" + name if "}" in name else name)
        tag, kind = known
        stack = self.stack
        if len(stack) >= MAX_DEPTH:
            raise _TooDeep
        if kind >= _NOTES and stack and (kind == _NOTES or (self.lean and self.hashed and (
                kind == _ORIGINAL or stack[-1].tag == _SEGMENT))):
            # Notes are for the translator. A returned unit with the hash gcmreview recorded
            # needs neither its codes' Markdown (they get the current original's, `adopt`)
            # nor its source (the hash says which original it translates): a node is kept,
            # empty, to say the source was there.
            if kind == _SOURCE_OF:
                stack[-1].children.append(Node(tag, {_LEFT: "1"}, 0))
            self.skip()
            return
        if kind == _UNIT:
            self.hashed = _HASH in attributes
            node = Node(tag, attributes, self.expat.CurrentLineNumber)
        else:
            node = Node(tag, attributes, 0)
        if stack:
            stack[-1].children.append(node)
        else:
            self.root = node
        stack.append(node)
        if tag not in _LAYOUT:
            self.texts += 1
            if self.texts == 1:
                self.expat.CharacterDataHandler = self.data

    def skip(self) -> None:
        """An element left unread, all of it: until it ends, expat calls only to count
        the elements within (its text is not even handed over)."""
        self.skipping = 1
        expat = self.expat
        expat.StartElementHandler = self.skipped_start
        expat.EndElementHandler = self.skipped_end
        expat.CharacterDataHandler = None

    def skipped_start(self, name: str, attributes: dict[str, str]) -> None:
        self.skipping += 1

    def skipped_end(self, name: str) -> None:
        self.skipping -= 1
        if not self.skipping:
            expat = self.expat
            expat.StartElementHandler = self.expat_start
            expat.EndElementHandler = self.end
            expat.CharacterDataHandler = self.data if self.texts else None

    def end(self, tag: str) -> None:
        if self.stack.pop().tag not in _LAYOUT:
            self.texts -= 1
            if not self.texts:
                self.expat.CharacterDataHandler = None

    def data(self, text: str) -> None:
        """Text within an element whose text is read (its indentation left out when it is
        itself one of `_LAYOUT`, inside another: the text of a layout element among layout
        elements alone is read by nothing)."""
        top = self.stack[-1]
        if top.tag in _LAYOUT and text.isspace():
            return  # the indentation between elements
        children = top.children
        if children and isinstance(children[-1], str):
            children[-1] += text
        else:
            children.append(text)

    def close(self) -> Node | None:
        return self.root


def parse(raw: bytes, shown: str, *, lean: bool = False) -> Node:
    """The XML tree, read by defusedxml's parser: no DTD, no entity, nothing external."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser, ParseError

    builder = _Builder()
    builder.lean = lean
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True,
                              forbid_external=True)
    builder.expat = expat = parser.parser
    # defusedxml's handlers against document types, entities and external references stay;
    # elements go to the builder straight from expat, their attributes as expat's dict.
    expat.ordered_attributes = False
    expat.StartElementHandler = builder.expat_start
    expat.EndElementHandler = builder.end
    expat.CharacterDataHandler = None  # until an element whose text is read opens
    # ElementTree's default handler receives what no handler takes: the text left unread
    # too. It only serves entities a document type declares, and defusedxml refuses any
    # document type before its content is read: without it, that text never leaves expat.
    expat.DefaultHandlerExpand = None
    try:
        parser.feed(raw)
        parser.close()
    except DefusedXmlException as exc:
        raise TranslationRefused(
            _("{file}:{line}: the file declares a document type or entities, which "
              "translation tools never write and which could read other files or fill the "
              "memory; it is not read, for safety").format(
                file=shown, line=parser.parser.CurrentLineNumber),
            hint=_("export the file again from the translation tool as XLIFF")) from exc
    except _TooDeep as exc:
        raise TranslationRefused(
            _("{file}:{line}: elements are nested more than {depth} deep, which no XLIFF "
              "needs; it is not read").format(file=shown, line=builder.expat.CurrentLineNumber,
                                               depth=MAX_DEPTH),
            hint=_("export the file again from the translation tool as XLIFF")) from exc
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise TranslationRefused(
            _("{file}:{line}:{column}: this is not well-formed XML ({reason})").format(
                file=shown, line=line, column=column + 1,
                reason=str(exc).split(":")[0]),
            hint=_("the file was damaged, or is not an XLIFF file: export it again from the "
                   "translation tool")) from exc
    except (ValueError, LookupError) as exc:  # an encoding expat does not know
        raise TranslationRefused(
            _("{file}: this is not well-formed XML ({reason})").format(file=shown, reason=exc),
            hint=_("save it as UTF-8")) from exc
    root, builder.root, builder.expat = builder.root, None, None
    # expat's handlers are the builder's methods: the tree is not left in their cycle (it
    # would wait for the garbage collector, as every object of the file)
    if root is None:
        raise TranslationRefused(_("{file} is empty").format(file=shown))
    return root


# --- 3. XLIFF -------------------------------------------------------------------------------

class UnitRefused(Exception):
    """A unit that cannot be read: said for that unit, the others still read."""


_X2 = {tag: f"{{{XLIFF2}}}{tag}" for tag in (
    "cp", "data", "ec", "em", "file", "group", "ignorable", "mrk", "originalData", "pc", "ph",
    "sc", "segment", "sm", "source", "target", "unit", "xliff")}
_X1 = {tag: f"{{{XLIFF1}}}{tag}" for tag in (
    "body", "file", "group", "source", "target", "trans-unit", "xliff")}
_XM = {tag: f"{{{MDA}}}{tag}" for tag in ("meta", "metaGroup", "metadata")}
"""The names of XLIFF's elements as the reader keeps them, looked up, not formatted, for
each element read."""


def _code_char(node: Node) -> str:
    """A `<cp hex="…"/>`: the character it stands for."""
    try:
        return chr(int(node.attrib.get("hex", ""), 16))
    except (ValueError, OverflowError) as exc:
        raise UnitRefused(_("a <cp> element holds no character code")) from exc


class _Inline2:
    """XLIFF 2 inline content: text, <ph>, <pc>, <sc>/<ec> pairs, <cp>, annotations."""

    def __init__(self, data: dict[str, str]) -> None:
        self.data = data
        self.complete = True

    def datum(self, ref: str | None) -> str:
        if ref is None or ref not in self.data:
            self.complete = False
            return ""
        return self.data[ref]

    def flat(self, node: Node, out: list[Any]) -> None:
        for child in node.children:
            if isinstance(child, str):
                out.append(child)
                continue
            tag = child.tag
            if tag == _X2["cp"]:
                out.append(_code_char(child))
            elif tag == _X2["ph"]:
                out.append(Ph(self.ident(child), self.datum(child.attrib.get("dataRef")),
                              "other"))
            elif tag == _X2["pc"]:
                inner: list[Any] = []
                self.flat(child, inner)
                out.append(Pc(self.ident(child), self.datum(child.attrib.get("dataRefStart")),
                              self.datum(child.attrib.get("dataRefEnd")), "other",
                              pair_codes(inner)))
            elif tag == _X2["sc"]:
                out.append(("sc", self.ident(child), self.datum(child.attrib.get("dataRef"))))
            elif tag == _X2["ec"]:
                ref = child.attrib.get("startRef") or child.attrib.get("id")
                if ref is None:
                    raise UnitRefused(_("an <ec> element names no code it ends"))
                out.append(("ec", ref, self.datum(child.attrib.get("dataRef"))))
            elif tag == _X2["mrk"]:
                self.flat(child, out)  # an annotation (a term, a comment): its text counts
            elif tag in (_X2["sm"], _X2["em"]):
                continue
            else:
                raise UnitRefused(_("the element <{name}> has no place in a translation's "
                                 "text").format(name=_local(tag)))

    def ident(self, node: Node) -> str:
        found = node.attrib.get("id")
        if not found:
            raise UnitRefused(_("a code has no id"))
        return found

    def segment(self, node: Node) -> Segment:
        out: list[Any] = []
        self.flat(node, out)
        return pair_codes(out)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def pair_codes(flat: list[Any]) -> Segment:
    """Text and codes, start and end codes (sc/ec, bpt/ept) paired into paired codes;
    refused when they do not nest."""
    if all(isinstance(item, str) for item in flat):  # text alone: most units
        text = "".join(flat)
        return (text,) if text else ()
    root: list[Piece] = []
    stack: list[tuple[str, str, list[Piece]]] = []

    def here() -> list[Piece]:
        return stack[-1][2] if stack else root

    for item in flat:
        if isinstance(item, tuple):
            kind, ident, datum = item
            if kind == "sc":
                stack.append((ident, datum, []))
            else:
                if not stack or stack[-1][0] != ident:
                    raise UnitRefused(_("the code {id} ends where it was not started, or codes "
                                     "overlap").format(id=ident))
                opened, start, content = stack.pop()
                here().append(Pc(opened, start, datum, "other", _join(content)))
        elif isinstance(item, str):
            if item:
                target = here()
                if target and isinstance(target[-1], str):
                    target[-1] += item
                else:
                    target.append(item)
        else:
            here().append(item)
    if stack:
        raise UnitRefused(_("the code {id} is started and never ended").format(id=stack[-1][0]))
    return _join(root)


def _join(pieces: list[Piece]) -> Segment:
    out: list[Piece] = []
    for piece in pieces:
        if isinstance(piece, str):  # (a code is never compared with "": its __eq__ is slow)
            if not piece:
                continue
            if out and isinstance(out[-1], str):
                out[-1] += piece
                continue
        out.append(piece)
    return tuple(out)


def _meta2(node: Node) -> dict[str, str]:
    """gcmreview's facts in an XLIFF 2 metadata module element, if any."""
    metadata = node.first(_XM["metadata"])
    return {} if metadata is None else _meta_in(metadata)


def _meta_in(metadata: Node) -> dict[str, str]:
    found: dict[str, str] = {}
    for group in metadata.elements(_XM["metaGroup"]):
        if group.attrib.get("category") != META_CATEGORY:
            continue
        for meta in group.elements(_XM["meta"]):
            kind = meta.attrib.get("type")
            if kind:
                found[kind] = meta.text()
    return found


def _units2(node: Node) -> list[Node]:
    out = []
    for child in node.elements():
        if child.tag == _X2["unit"]:
            out.append(child)
        elif child.tag == _X2["group"]:
            out += _units2(child)
    return out


def _firsts(node: Node, *tags: str) -> list[Node | None]:
    """The first child element of each tag, in one pass over the children."""
    found: list[Node | None] = [None] * len(tags)
    for child in node.children:
        if isinstance(child, Node) and child.tag in tags:
            at = tags.index(child.tag)
            if found[at] is None:
                found[at] = child
    return found


_PARTS = (f"{{{XLIFF2}}}segment", f"{{{XLIFF2}}}ignorable")


def _unit2(node: Node) -> XliffUnit:
    attrib = node.attrib
    ident = attrib.get("id") or ""
    metadata, original = _firsts(node, _XM["metadata"], _X2["originalData"])
    meta = _meta_in(metadata) if metadata is not None else {}
    data: dict[str, str] = {}
    inline = _Inline2(data)
    try:
        if original is not None:
            for datum in original.elements(_X2["data"]):
                text: list[str] = []
                for child in datum.children:
                    text.append(child if isinstance(child, str) else _code_char(child))
                data[datum.attrib.get("id", "")] = "".join(text)
        sources: list[Any] = []
        targets: list[Any] = []
        states: list[str] = []
        given = False
        missing_target = False
        for part in node.children:
            if isinstance(part, str) or part.tag not in _PARTS:
                continue
            source, target = _firsts(part, _SOURCE, _TARGET)
            if source is None:
                raise UnitRefused(_("a segment has no source"))
            if _LEFT not in source.attrib:
                inline.flat(source, sources)
            if part.tag == _X2["ignorable"]:  # not translated: the source stands
                inline.flat(target if target is not None else source, targets)
                continue
            if target is None:
                missing_target = True
            else:
                inline.flat(target, targets)
            state = part.attrib.get("state")
            given = given or state is not None
            states.append(state if state in STATES else "initial")
        source_segment = pair_codes(sources)
        target_segment = None if missing_target else pair_codes(targets)
        if target_segment is not None and not any(
                not isinstance(p, str) or p.strip() for p in target_segment):
            target_segment = None
        state = (states[0] if len(states) == 1 else min(states, key=STATES.index)) \
            if states else "initial"
        return XliffUnit(ident, attrib.get("name"), source_segment, target_segment,
                         state, given, attrib.get(_HASH, meta.get("source-hash")),
                         inline.complete, node.line)
    except UnitRefused as exc:
        return XliffUnit(ident, attrib.get("name"), (), None, "initial", False,
                         attrib.get(_HASH, meta.get("source-hash")), False, node.line,
                         problem=str(exc))


_SOURCE = f"{{{XLIFF2}}}source"
_TARGET = f"{{{XLIFF2}}}target"
_SEGMENT = f"{{{XLIFF2}}}segment"
_LEFT_OUT = (f"{{{XLIFF2}}}originalData", _SOURCE)
_LEFT = "gcmreview-left-out"
"""Marks a returned unit's source left unread (its unit carries the hash)."""
_HASH = f"{GCM}}}sourceHash"
"""The hash of the original a unit translates, as gcmreview writes it in XLIFF 2 (an
attribute's name as the reader keeps it: `uri}local`)."""

STATES_1_2 = {
    "new": "initial", "needs-translation": "initial", "needs-adaptation": "initial",
    "needs-l10n": "initial", "needs-review-adaptation": "translated",
    "needs-review-l10n": "translated", "needs-review-translation": "translated",
    "translated": "translated", "signed-off": "reviewed", "final": "final",
}
"""XLIFF 1.2's target states as XLIFF 2's."""


class _Inline1:
    """XLIFF 1.2 inline content: <g>, <x/>, <bx/>/<ex/>, <bpt>/<ept>, <ph>, <it>, <mrk>."""

    def __init__(self) -> None:
        self.complete = True

    def native(self, node: Node) -> str:
        """The native code inside <bpt>, <ept>, <ph>, <it> (a <sub>'s text left out)."""
        return "".join(c for c in node.children if isinstance(c, str))

    def flat(self, node: Node, out: list[Any]) -> None:
        for child in node.children:
            if isinstance(child, str):
                out.append(child)
                continue
            tag = _local(child.tag) if child.tag.startswith(f"{{{XLIFF1}}}") else ""
            ident = child.attrib.get("id") or child.attrib.get("rid") or ""
            if tag == "g":
                inner: list[Any] = []
                self.flat(child, inner)
                self.complete = False
                out.append(Pc(self.need(ident), "", "", "other", pair_codes(inner)))
            elif tag == "x":
                self.complete = False
                out.append(Ph(self.need(ident), "", "other"))
            elif tag == "ph":
                out.append(Ph(self.need(ident), self.native(child), "other"))
            elif tag in ("bpt", "bx"):
                self.complete = self.complete and tag == "bpt"
                rid = child.attrib.get("rid") or ident
                out.append(("sc", self.need(rid), self.native(child)))
            elif tag in ("ept", "ex"):
                self.complete = self.complete and tag == "ept"
                rid = child.attrib.get("rid") or ident
                out.append(("ec", self.need(rid), self.native(child)))
            elif tag == "it":
                raise UnitRefused(_("an isolated code <it> has no partner in this unit"))
            elif tag == "mrk":
                self.flat(child, out)
            else:
                raise UnitRefused(_("the element <{name}> has no place in a translation's "
                                 "text").format(name=_local(child.tag)))

    def need(self, ident: str) -> str:
        if not ident:
            raise UnitRefused(_("a code has no id"))
        return ident


def _unit1(node: Node) -> XliffUnit:
    ident = node.attrib.get("id") or ""
    meta = _meta1(node)
    inline = _Inline1()
    try:
        source = node.first(_X1["source"])
        if source is None:
            raise UnitRefused(_("the unit has no source"))
        source_segment = _read1(inline, source)
        target = node.first(_X1["target"])
        target_segment = _read1(inline, target) if target is not None else None
        if target_segment is not None and not any(
                not isinstance(p, str) or p.strip() for p in target_segment):
            target_segment = None
        given = target is not None and "state" in target.attrib
        state = STATES_1_2.get(target.attrib.get("state", ""), "translated") \
            if target is not None and given else "translated"
        if node.attrib.get("approved") == "yes" and STATES.index(state) < 2:
            state, given = "reviewed", True
        return XliffUnit(ident, node.attrib.get("resname"), source_segment, target_segment,
                         state, given, meta.get("source-hash"), inline.complete, node.line)
    except UnitRefused as exc:
        return XliffUnit(ident, node.attrib.get("resname"), (), None, "initial", False,
                         meta.get("source-hash"), False, node.line, problem=str(exc))


def _meta1(node: Node) -> dict[str, str]:
    """gcmreview's facts in an XLIFF 1.2 element: attributes of its own namespace."""
    prefix = f"{GCM}}}"
    return {k[len(prefix):]: v for k, v in node.attrib.items() if k.startswith(prefix)}


def _read1(inline: _Inline1, node: Node) -> Segment:
    out: list[Any] = []
    inline.flat(node, out)
    return pair_codes(out)


def _units1(node: Node) -> list[Node]:
    out = []
    for child in node.elements():
        if child.tag == _X1["trans-unit"]:
            out.append(child)
        elif child.tag in (_X1["group"], _X1["body"]):
            out += _units1(child)
    return out


def document(root: Node, shown: str) -> XliffDocument:
    """The units of a parsed XLIFF file; TranslationRefused for anything else."""
    if root.tag == _X2["xliff"]:
        version = root.attrib.get("version", "")
        if not version.startswith("2."):
            raise TranslationRefused(
                _("{file}: an XLIFF file of version “{version}”, which gcmreview does not "
                  "read").format(file=shown, version=version),
                hint=_("save it as XLIFF 2.1, 2.0 or 1.2"))
        files = root.elements(_X2["file"])
        meta: dict[str, str] = {}
        units: list[XliffUnit] = []
        for file in files:
            meta = {**_meta2(file), **meta}
            units += [_unit2(u) for u in _units2(file)]
        original = files[0].attrib.get("original") if files else None
        return XliffDocument(version, root.attrib.get("srcLang", ""),
                             root.attrib.get("trgLang"), meta, original, tuple(units))
    if root.tag == _X1["xliff"]:
        files = root.elements(_X1["file"])
        if not files:
            raise TranslationRefused(_("{file}: the XLIFF file holds no <file>").format(
                file=shown), hint=_("export it again from the translation tool"))
        meta = {}
        units = []
        for file in files:
            meta = {**_meta1(file), **meta}
            units += [_unit1(u) for u in _units1(file)]
        first = files[0].attrib
        return XliffDocument("1.2", first.get("source-language", ""),
                             first.get("target-language"), meta, first.get("original"),
                             tuple(units))
    raise TranslationRefused(
        _("{file} is not an XLIFF file (its first element is <{name}>)").format(
            file=shown, name=_local(root.tag)[:40]),
        hint=_("give the XLIFF file (.xlf) the translation tool saved, or the bilingual Word "
               "file (.docx)"))


def read_xliff(path: Path, shown: str) -> XliffDocument:
    """A file gcmreview keeps (the store): every part of it read."""
    return document(parse(read_bytes(path, shown), shown), shown)


def parse_xliff(raw: bytes, shown: str, *, returned: bool = False) -> XliffDocument:
    """`returned`: a file back from a translator, whose codes' Markdown is not used when
    it kept the hashes gcmreview recorded (`adopt` gives the original's)."""
    return document(parse(raw, shown, lean=returned), shown)
