"""Write XLIFF: what `translate export` hands to translators, and the translation store.

XLIFF 2.1 (OASIS; the structure of 2.0, which every 2.x reader takes), or 1.2 for
tools that need it. One `<file>` per State; one `<unit>` per text, in the format's
order, named by its path; every code of a narrative a `<pc>` or `<ph>` that may be
neither deleted nor copied, its Markdown in `<originalData>` (in 1.2, inside `<bpt>`,
`<ept>` and `<ph>`). gcmreview's facts about the file (the State, the cycle) go
in the Metadata module (`mda:`), the hash of each unit's original in an attribute of
gcmreview's own namespace (`gcm:sourceHash`; in 1.2, every fact so). The bytes
depend on the input only: same review, same file.
"""

from __future__ import annotations

import re
from functools import lru_cache

from gcmreview.core.languages import direction
from gcmreview.core.segments import Pc, Ph, Piece, Segment, codes
from gcmreview.core.units import Path_, unit_name, xml_id
from gcmreview.load.xliff import GCM, MDA, META_CATEGORY, XLIFF1, XLIFF2
from gcmreview.model.translation import OutDocument, OutUnit

_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
"""Characters XML 1.0 cannot hold as they are (a carriage return would be read as a
line feed): written as `<cp hex="…"/>` (XLIFF 2) or left out (1.2 cannot say them)."""
_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                            "\n": "&#10;", "\t": "&#9;"})


def _code_point(found: re.Match[str]) -> str:
    return f'<cp hex="{ord(found.group()):04X}"/>'


def _escape(text: str, attribute: bool = False, version: int = 2) -> str:
    if attribute:
        return _INVALID.sub("", text).translate(_ATTRIBUTE)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if _INVALID.search(text) is None:
        return text
    return _INVALID.sub(_code_point if version == 2 else "", text)


def _disp(markdown: str) -> str:
    """How a tool may show a code: its Markdown on one line, short."""
    shown = markdown.replace("\n", "↵")
    return shown if len(shown) <= 40 else shown[:39] + "…"


_TYPES = {"emphasis": ("fmt", "xlf:i"), "strong": ("fmt", "xlf:b"), "strike": ("fmt", ""),
          "link": ("link", ""), "image": ("image", ""), "url": ("link", ""),
          "footnote": ("other", ""), "code": ("other", ""), "html": ("fmt", ""),
          "tag": ("other", ""), "block": ("fmt", ""), "other": ("other", "")}


class _Data:
    """A unit's `<originalData>`: each distinct Markdown of its codes once, d1, d2…"""

    def __init__(self, source: Segment, target: Segment | None = None) -> None:
        self.ids: dict[str, str] = {}
        self.shown: dict[str, str] = {}
        """Each Markdown's `disp`, escaped once."""
        for code in (*codes(source), *codes(target or ())):
            for markdown in ((code.start, code.end) if isinstance(code, Pc) else (code.data,)):
                if markdown not in self.ids:
                    self.ids[markdown] = f"d{len(self.ids) + 1}"
                    self.shown[markdown] = _shown(markdown)

    def xml(self, indent: str) -> list[str]:
        if not self.ids:
            return []
        return [f"{indent}<originalData>",
                *(f'{indent}  <data id="{ident}">{_escaped(markdown)}</data>'
                  for markdown, ident in self.ids.items()),
                f"{indent}</originalData>"]


@lru_cache(maxsize=4096)
def _shown(markdown: str) -> str:
    """A code's `disp`, escaped: the same few Markdown codes recur in every review."""
    return _escape(_disp(markdown), True)


@lru_cache(maxsize=4096)
def _escaped(markdown: str) -> str:
    return _escape(markdown)


_TYPE_ATTRIBUTES = {kind: f' type="{main}"' + (f' subType="{sub}"' if sub else "")
                    for kind, (main, sub) in _TYPES.items()}
_LINE_BREAK = ' type="fmt" subType="xlf:lb"'


def _kind(piece: Ph | Pc) -> str:
    if piece.kind == "block" and isinstance(piece, Ph) and "\n" in piece.data:
        return _LINE_BREAK
    return _TYPE_ATTRIBUTES[piece.kind]


def _inline2(pieces: Segment, data: _Data) -> str:
    out = []
    for piece in pieces:
        if isinstance(piece, str):
            out.append(_escape(piece))
        elif isinstance(piece, Ph):
            out.append(f'<ph id="{piece.id}" dataRef="{data.ids[piece.data]}" canCopy="no" '
                       f'canDelete="no" disp="{data.shown[piece.data]}"{_kind(piece)}/>')
        else:
            out.append(f'<pc id="{piece.id}" dataRefStart="{data.ids[piece.start]}" '
                       f'dataRefEnd="{data.ids[piece.end]}" canCopy="no" canDelete="no" '
                       f'dispStart="{data.shown[piece.start]}" '
                       f'dispEnd="{data.shown[piece.end]}"{_kind(piece)}>'
                       f"{_inline2(piece.content, data)}</pc>")
    return "".join(out)


def _metadata(indent: str, items: tuple[tuple[str, str], ...]) -> list[str]:
    if not items:
        return []
    return [f"{indent}<mda:metadata>",
            f'{indent}  <mda:metaGroup category="{META_CATEGORY}">',
            *(f'{indent}    <mda:meta type="{_escape(kind, True)}">{_escape(value)}</mda:meta>'
              for kind, value in items),
            f"{indent}  </mda:metaGroup>",
            f"{indent}</mda:metadata>"]


def _notes(indent: str, notes: tuple[tuple[str, str], ...]) -> list[str]:
    if not notes:
        return []
    return [f"{indent}<notes>",
            *(f'{indent}  <note category="{_escape(category, True)}">{_escape(text)}</note>'
              for category, text in notes),
            f"{indent}</notes>"]


def _context(notes: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """A unit's notes for its translator: where it stands, its status, its official title,
    on the lines of one note (a tool shows one note better than five); an earlier
    translation apart."""
    lines = tuple(text for category, text in notes if category != "previous")
    joined = (("context", "\n".join(lines)),) if lines else ()
    return joined + tuple(n for n in notes if n[0] == "previous")


@lru_cache(maxsize=4096)
def _unit_notes(notes: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """A unit's notes as written: where it stands, its status and title repeat from one
    review to the next, so each distinct set is written once."""
    return tuple(_notes("      ", _context(notes)))


def _unit_start(path: Path_) -> str:
    """A unit's start tag up to its hash: its id and name follow from its path, and the
    same paths recur from review to review (181 paths for the benchmark's 23,349 units):
    made once per path, 0.6 µs a unit instead of 3.7. The key holds the parts' types, as
    `objectives/True` is not `objectives/1`, though the two paths are equal."""
    return _start_of(path, tuple(map(type, path)))


@lru_cache(maxsize=8192)
def _start_of(path: Path_, _types: tuple[type, ...]) -> str:
    return f'    <unit id="{xml_id(path)}" name="{_escape(unit_name(path), True)}" gcm:sourceHash="'


def _text_alone(segment: Segment) -> str | None:
    """A segment's text when it holds no code ("" when empty), else None: two thirds of
    the units (every line, most short narratives) are text alone."""
    if not segment:
        return ""
    first = segment[0]
    return first if len(segment) == 1 and isinstance(first, str) else None


def _unit2(unit: OutUnit, lines: list[str]) -> None:
    source, target = unit.source, unit.target
    state = f' state="{unit.state}"' if target is not None and unit.state else ""
    lines.append(f'{_unit_start(unit.path)}{unit.source_hash}">')
    if unit.notes:
        lines += _unit_notes(unit.notes)
    text = _text_alone(source)
    translated = _text_alone(target) if target is not None else ""
    if text is not None and translated is not None:  # no <originalData>, the text escaped
        lines.append(f"      <segment{state}>")
        lines.append(f'        <source xml:space="preserve">{_escape(text)}</source>')
        if target is not None:
            lines.append(f'        <target xml:space="preserve">{_escape(translated)}</target>')
    else:
        data = _Data(source, target)
        lines += data.xml("      ")
        lines.append(f"      <segment{state}>")
        lines.append(f'        <source xml:space="preserve">{_inline2(source, data)}</source>')
        if target is not None:
            lines.append(f'        <target xml:space="preserve">{_inline2(target, data)}'
                         "</target>")
    lines += ("      </segment>", "    </unit>")


def xliff2(doc: OutDocument) -> bytes:
    """The document as XLIFF 2.1."""
    target = f' trgLang="{doc.target_lang}"' if doc.target_lang else ""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<xliff xmlns="{XLIFF2}" xmlns:mda="{MDA}" xmlns:gcm="{GCM}" version="2.1" '
             f'srcLang="{doc.source_lang}"{target}>',
             f'  <file id="{doc.file_id}" original="{_escape(doc.original, True)}" '
             f'canResegment="no" srcDir="{direction(doc.source_lang)}"'
             + (f' trgDir="{direction(doc.target_lang)}"' if doc.target_lang else "") + ">",
             *_metadata("    ", doc.meta),
             *_notes("    ", doc.notes)]
    for unit in doc.units:
        _unit2(unit, lines)
    lines += ["  </file>", "</xliff>", ""]
    return "\n".join(lines).encode("utf-8")


# --- XLIFF 1.2 ------------------------------------------------------------------------------

def _inline1(pieces: Segment) -> str:
    out = []
    for piece in pieces:
        out.append(_piece1(piece))
    return "".join(out)


def _piece1(piece: Piece) -> str:
    if isinstance(piece, str):
        return _escape(piece, version=1)
    if isinstance(piece, Ph):
        return f'<ph id="{piece.id}">{_escape(piece.data, version=1)}</ph>'
    return (f'<bpt id="{piece.id}">{_escape(piece.start, version=1)}</bpt>'
            f"{_inline1(piece.content)}"
            f'<ept id="{piece.id}">{_escape(piece.end, version=1)}</ept>')


_STATES_1_2 = {"translated": "translated", "reviewed": "signed-off", "final": "final"}


def xliff12(doc: OutDocument) -> bytes:
    """The document as XLIFF 1.2, for tools that read no later version."""
    target = f' target-language="{doc.target_lang}"' if doc.target_lang else ""
    facts = "".join(f' gcm:{kind}="{_escape(value, True)}"' for kind, value in doc.meta)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<xliff xmlns="{XLIFF1}" xmlns:gcm="{GCM}" version="1.2">',
             f'  <file original="{_escape(doc.original, True)}" '
             f'source-language="{doc.source_lang}"{target} datatype="x-gcmreview-markdown"'
             f"{facts}>",
             "    <header>",
             *(f'      <note from="gcmreview">{_escape(text, version=1)}</note>'
               for _category, text in doc.notes),
             "    </header>",
             "    <body>"]
    for unit in doc.units:
        lines.append(f'      <trans-unit id="{_escape(unit.name, True)}" '
                     f'resname="{_escape(unit.name, True)}" xml:space="preserve" '
                     f'gcm:source-hash="{unit.source_hash}">')
        lines.append(f"        <source>{_inline1(unit.source)}</source>")
        if unit.target is not None:
            state = _STATES_1_2.get(unit.state or "", "translated")
            lines.append(f'        <target state="{state}">{_inline1(unit.target)}</target>')
        lines += [f'        <note from="gcmreview">{_escape(text, version=1)}</note>'
                  for _category, text in unit.notes]
        lines.append("      </trans-unit>")
    lines += ["    </body>", "  </file>", "</xliff>", ""]
    return "\n".join(lines).encode("utf-8")
