"""A narrative as a translator sees it: text to translate, and inline codes to keep.

A review's narratives are Markdown. Handed to a translator as they are, a `*`, a
`](https://…)` or a `[^1]` would be typed over, moved or lost; handed over as plain
text, the emphasis, links, footnotes and lists would be. So a narrative is cut into
text and codes, as CAT tools (XLIFF's `<pc>` and `<ph>`) expect:

- paired codes (`Pc`) around text that stays translatable: emphasis (`*x*`, `**x**`,
  `_x_`, `~~x~~`) and the text of links and images (`[text](https://…)`);
- standalone codes (`Ph`) for what is not translated: footnote references (`[^1]`),
  addresses (`<https://…>`, bare URLs), code spans, raw HTML, and the block
  structure: paragraph breaks, list and quote markers, headings' `#`, table pipes,
  footnote definitions' `[^1]:`, code blocks.

Every code keeps the exact Markdown it stands for, so `rebuild(tokenize(md)) == md`
for any text, Markdown or not: the cut can be coarse where CommonMark is subtle (a
code that is not really markup, an emphasis left as text), never lossy. A
translation comes back as text and code ids only: `adopt` gives each id the
Markdown of the *current* original's code, so a translation file cannot bring
Markdown of its own through a code, and `problems` says what does not match.

Lines (titles, challenges, partners) are plain text: they only get codes for text
that looks like a bilingual Word file's tags (`{1}`), so that it reads back as text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

CodeKind = Literal["block", "footnote", "url", "code", "html", "tag", "emphasis", "strong",
                   "strike", "link", "image", "other"]
"""What a code stands for; "other" for a code read from a file, whose meaning is its
original's (`adopt`)."""


@dataclass(frozen=True)
class Ph:
    """A standalone code: Markdown the translation keeps as it is."""

    id: str
    data: str
    kind: CodeKind


@dataclass(frozen=True)
class Pc:
    """A paired code around translatable text: `start` text `end`."""

    id: str
    start: str
    end: str
    kind: CodeKind
    content: tuple[Piece, ...] = ()


Piece = str | Ph | Pc
Segment = tuple[Piece, ...]

BLOCK: frozenset[CodeKind] = frozenset({"block"})
"""Codes whose order is the text's structure (paragraphs, list items, table cells): a
translation keeps them in the original's order."""

TAG = re.compile(r"\{/?\d+/?\}")
"""What a bilingual Word file shows a code as ({1}…{/1}, {2/}): text that looks like
one is a code of its own, so that it reads back as the text it is."""


# --- blocks ---------------------------------------------------------------------------------

_THEMATIC = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_SETEXT = re.compile(r" {0,3}(?:=+|-+)[ \t]*$")
_FENCE = re.compile(r"(`{3,}|~{3,})")
_REFERENCE = re.compile(r" {0,3}\[(?!\^)(?:[^\]\\]|\\.)+\]:[ \t]*\S")
_DELIMITER_ROW = re.compile(r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_INDENT = re.compile(r"[ \t]*")
_QUOTE = re.compile(r">[ \t]?")
_BULLET = re.compile(r"[-*+](?:[ \t]+|$)")
_ORDERED = re.compile(r"(\d{1,9})[.)](?:[ \t]+|$)")
_TASK = re.compile(r"\[[ xX]\][ \t]+")
_HEADING = re.compile(r"#{1,6}(?:[ \t]+|$)")
_HEADING_END = re.compile(r"(?:[ \t]+#+)?[ \t]*$")
_FOOTNOTE_DEF = re.compile(r"\[\^[^\]\s]+\]:[ \t]*")
_CELL_SPLIT = re.compile(r"[ \t]*(?<!\\)\|[ \t]*")


def _prefix(line: str, ordered_allowed: bool) -> tuple[int, bool, bool]:
    """How much of a line's start is structure (indentation, quote and list markers, a
    task box, a heading's #, a footnote definition's label); whether it holds a list
    marker, and whether it opens a heading. An ordered marker ("2014. ") counts only
    where a list may start: inside a paragraph it is the text's own."""
    at = _INDENT.match(line).end()  # type: ignore[union-attr]
    listed = heading = False
    while True:
        found = _QUOTE.match(line, at) or _BULLET.match(line, at)
        if found is None and (ordered_allowed or listed):
            found = _ORDERED.match(line, at)
        if found is None or found.end() == at:
            break
        listed = listed or not found.group(0).startswith(">")
        at = _INDENT.match(line, found.end()).end()  # type: ignore[union-attr]
    for pattern in (_TASK, _HEADING, _FOOTNOTE_DEF):
        found = pattern.match(line, at)
        if found is not None:
            heading = pattern is _HEADING
            at = found.end()
            break
    return at, listed, heading


def _blocks(text: str) -> list[tuple[bool, str]]:
    """The text as (is structure, characters), in order; the characters add up to it.
    A line break inside a paragraph is text (a translation reflows it); every other
    one, with the markers and indentation around it, is structure."""
    out: list[tuple[bool, str]] = []

    def code(chars: str) -> None:
        if chars:
            out.append((True, chars))

    def words(chars: str) -> None:
        if chars:
            out.append((False, chars))

    lines = text.split("\n")
    fence: str | None = None
    table = False
    paragraph = False  # the line before continues a paragraph, and ends with no marks
    blank = True
    listed = False
    pending = False  # a line break not yet said to be structure or text

    def newline(soft: bool) -> None:
        nonlocal pending
        if pending:
            (words if soft else code)("\n")
        pending = False

    for number, line in enumerate(lines):
        is_last = number == len(lines) - 1
        if fence is not None:  # inside a code block: all of it is kept
            newline(False)
            code(line)
            stripped = line.strip(" \t>")
            if stripped.startswith(fence) and stripped.strip(fence[0]) == "":
                fence = None
            pending, paragraph, blank = not is_last, False, False
            continue
        if not line.strip():
            newline(False)
            code(line)
            pending, paragraph, blank, table = not is_last, False, True, False
            continue
        following = lines[number + 1] if not is_last else ""
        text_first = line[0].isalpha()  # a letter first: no block marker can start the line
        if not text_first and (
                _THEMATIC.match(line) or (paragraph and _SETEXT.match(line)) or
                _REFERENCE.match(line) or (table and _DELIMITER_ROW.match(line))):
            newline(False)
            code(line)
            pending, paragraph, blank = not is_last, False, False
            continue
        if "|" in line and (table or ("-" in following and _DELIMITER_ROW.match(following)
                                      and "|" in following)):
            newline(False)
            table = True
            _row(line, code, words)
            pending, paragraph, blank = not is_last, False, False
            continue
        table = False
        if text_first:
            at, in_list, heading = 0, False, False
            rest, opening = line, None
        else:
            at, in_list, heading = _prefix(line, blank or listed or not paragraph)
            rest = line[at:]
            opening = _FENCE.match(rest)
        if opening is not None:
            newline(False)
            fence = opening.group(1)
            code(line)
            pending, paragraph, blank, listed = not is_last, False, False, in_list
            continue
        newline(paragraph and at == 0)
        if heading:
            found = _HEADING_END.search(rest)
            end = at + (found.start() if found else len(rest))
        else:
            # not a regex for the trailing blanks: tried at every position of the line, it
            # took half the time of cutting a narrative into blocks (97 ms -> 49 ms)
            end = at + len(rest.rstrip(" \t"))
            body = line[at:end]  # a backslash ending a line is a line break: structure
            if (len(body) - len(body.rstrip("\\"))) % 2:
                end -= 1
        code(line[:at])
        words(line[at:end])
        code(line[end:])
        pending = not is_last
        paragraph = not heading and end == len(line)
        blank, listed = False, in_list or (listed and at > 0)
    return out


def _row(line: str, code: Callable[[str], None], words: Callable[[str], None]) -> None:
    """A table row: its pipes (and the spaces around them) are structure, cells text."""
    at = 0
    for found in _CELL_SPLIT.finditer(line):
        words(line[at:found.start()])
        code(line[found.start():found.end()])
        at = found.end()
    words(line[at:len(line.rstrip(" \t"))])
    code(line[len(line.rstrip(" \t")):])


# --- inlines --------------------------------------------------------------------------------

_ESCAPE = re.compile(r"\\[!-/:-@\[-`{-~]")
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s@<>\\]+@[^\s@<>\\]+)>")
_HTML = re.compile(r"<!--.*?-->|<\?.*?\?>|<![A-Za-z][^>]*>|<!\[CDATA\[.*?\]\]>"
                   r"|</?[A-Za-z][A-Za-z0-9-]*(?:\s+[^<>]*?)?/?>", re.DOTALL)
_FOOTNOTE_REF = re.compile(r"\[\^[^\]\s]+\](?!:)")
_BARE_URL = re.compile(r"(?<![\w/@.])(?:(?:https?|ftp)://|mailto:)[^\s<>\"]*[^\s<>\"'.,;:!?)\]}»”]")
_DESTINATION = re.compile(r"\(\s*(?:<[^<>\n]*>|(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))*)"
                          r"(?:\s+(?:\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\)))?"
                          r"\s*\)")
_LABEL = re.compile(r"\[(?:[^\[\]\\]|\\.){0,999}\]")


_SPECIAL = re.compile(r"[\\`<{\[*_~!]")
"""Where something other than plain text may start: the scan jumps from one to the next
(a `!` starts something only before a `[`; one character class is a fast scan)."""
_URL_START = re.compile(r"(?<![\w/@.])(?:https?://|ftp://|mailto:)", re.IGNORECASE)
"""Where a bare address may start."""
_RUNS = {char: re.compile(re.escape(char) + "+") for char in "`*_~"}


def _run(text: str, at: int) -> int:
    """How many times the character at `at` repeats from there."""
    found = _RUNS[text[at]].match(text, at)
    return found.end() - at if found else 1


def _closing_run(text: str, start: int, run: int) -> int:
    """Where a code span opened by `run` backticks closes (a run of exactly as many), or -1."""
    at = text.find("`" * run, start)
    while at >= 0:
        if _run(text, at) == run:
            return at
        at = text.find("`", at + _run(text, at))
    return -1


_PUNCTUATION: dict[str, bool] = {}


def _punctuation(char: str) -> bool:
    """Punctuation or a symbol, as CommonMark's flanking rules mean it (looked up once)."""
    found = _PUNCTUATION.get(char)
    if found is None:
        found = _PUNCTUATION[char] = unicodedata.category(char)[0] in "PS"
    return found


class _Delimiter:
    """A run of `*`, `_` or `~` that may open or close emphasis."""

    __slots__ = ("char", "closed_by", "closes", "count", "opened_by", "opens", "original")

    def __init__(self, char: str, count: int, opens: bool, closes: bool) -> None:
        self.char = char
        self.count = count
        self.original = count
        self.opens = opens
        self.closes = closes
        self.closed_by: list[tuple[int, int]] = []
        """(match number, characters used) where this run closes, innermost first."""
        self.opened_by: list[tuple[int, int]] = []
        """(match number, characters used) where this run opens, innermost first."""


_Atom = str | Ph | Pc | _Delimiter


def _closing_bracket(text: str, start: int) -> int:
    """The index of the `]` closing the `[` at `start` (nested brackets, escapes and code
    spans skipped), or -1."""
    depth, at = 0, start
    while at < len(text):
        char = text[at]
        if char == "\\":
            at += 2
            continue
        if char == "`":
            run = _run(text, at)
            close = _closing_run(text, at + run, run)
            at = close + run if close >= 0 else at + run
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return at
        at += 1
    return -1


class _Inline:
    """Cuts one run of inline text (a paragraph, a cell) into text, codes and emphasis."""

    def __init__(self, counter: list[int]) -> None:
        self.counter = counter

    def next_id(self) -> str:
        self.counter[0] += 1
        return str(self.counter[0])

    def atoms(self, text: str) -> list[_Atom]:
        atoms: list[_Atom] = []
        plain: list[str] = []
        at = 0

        def flush() -> None:
            if plain:
                atoms.append("".join(plain))
                plain.clear()

        def add(atom: _Atom) -> None:
            flush()
            atoms.append(atom)

        # Bare addresses are found once; the other constructs start at a sign of their own.
        urls = [m.start() for m in _URL_START.finditer(text)] if ":" in text else []
        next_url = 0
        while True:
            found = _SPECIAL.search(text, at)
            while next_url < len(urls) and urls[next_url] < at:
                next_url += 1
            start = found.start() if found is not None else len(text)
            if next_url < len(urls) and urls[next_url] < start:
                start = urls[next_url]
            if start >= len(text):
                plain.append(text[at:])
                break
            if start > at:
                plain.append(text[at:start])
            at = start
            char = text[at]
            if char == "!" and not text.startswith("[", at + 1):
                plain.append(char)
                at += 1
                continue
            if char == "\\":
                escape = _ESCAPE.match(text, at)
                step = escape.end() - at if escape else 1
                plain.append(text[at:at + step])
                at += step
                continue
            if char == "`":
                run = _run(text, at)
                close = _closing_run(text, at + run, run)
                if close < 0:
                    plain.append(text[at:at + run])
                    at += run
                    continue
                add(Ph(self.next_id(), text[at:close + run], "code"))
                at = close + run
                continue
            if char == "<":
                matched = _AUTOLINK.match(text, at)
                kind: CodeKind = "url"
                if matched is None:
                    matched, kind = _HTML.match(text, at), "html"
                if matched is not None:
                    add(Ph(self.next_id(), matched.group(0), kind))
                    at = matched.end()
                    continue
            elif char == "{":
                matched = TAG.match(text, at)
                if matched is not None:
                    add(Ph(self.next_id(), matched.group(0), "tag"))
                    at = matched.end()
                    continue
            elif char in "[!":
                matched = _FOOTNOTE_REF.match(text, at)
                if matched is not None:
                    add(Ph(self.next_id(), matched.group(0), "footnote"))
                    at = matched.end()
                    continue
                link = self.link(text, at)
                if link is not None:
                    pc, at = link
                    add(pc)
                    continue
            elif char in "*_~":
                run = _run(text, at)
                if char == "~" and run != 2:
                    plain.append(text[at:at + run])
                    at += run
                    continue
                before = text[at - 1] if at > 0 else " "
                after = text[at + run] if at + run < len(text) else " "
                left = not after.isspace() and (not _punctuation(after) or before.isspace()
                                                or _punctuation(before))
                right = not before.isspace() and (not _punctuation(before) or after.isspace()
                                                  or _punctuation(after))
                if char == "_":
                    opens = left and (not right or _punctuation(before))
                    closes = right and (not left or _punctuation(after))
                else:
                    opens, closes = left, right
                if opens or closes:
                    add(_Delimiter(char, run, opens, closes))
                else:
                    plain.append(text[at:at + run])
                at += run
                continue
            else:  # the start of a bare address
                matched = _BARE_URL.match(text, at)
                if matched is not None:
                    add(Ph(self.next_id(), matched.group(0), "url"))
                    at = matched.end()
                    continue
            plain.append(char)
            at += 1
        flush()
        return atoms

    def link(self, text: str, at: int) -> tuple[Pc, int] | None:
        """`[text](destination)`, `[text][label]` or an image `![alt](source)` at `at`."""
        image = text[at] == "!"
        opening = at + 1 if image else at
        close = _closing_bracket(text, opening)
        if close < 0:
            return None
        after = close + 1
        found = _DESTINATION.match(text, after) or _LABEL.match(text, after)
        if found is None:
            return None
        start = "![" if image else "["
        ident = self.next_id()
        content = self.pieces(text[opening + 1:close])
        return Pc(ident, start, text[close:found.end()], "image" if image else "link",
                  content), found.end()

    def pieces(self, text: str) -> tuple[Piece, ...]:
        atoms = self.atoms(text)
        matched = self.emphasis(atoms)
        return self.tree(atoms, matched)

    def emphasis(self, atoms: list[_Atom]) -> dict[int, tuple[str, int]]:
        """CommonMark's "process emphasis": pairs openers with closers (the rule of 3
        included). Returns match number -> (delimiter character, characters used)."""
        matches: dict[int, tuple[str, int]] = {}
        stack: list[int] = []
        for index, atom in enumerate(atoms):
            if not isinstance(atom, _Delimiter):
                continue
            if atom.closes:
                look = len(stack) - 1
                while atom.count and look >= 0:
                    opener = atoms[stack[look]]
                    assert isinstance(opener, _Delimiter)
                    odd = (atom.opens or opener.closes) and \
                        (atom.original + opener.original) % 3 == 0 and \
                        not (atom.original % 3 == 0 and opener.original % 3 == 0)
                    if opener.char != atom.char or not opener.count or (
                            atom.char in "*_" and odd):
                        look -= 1
                        continue
                    if atom.char == "~":
                        if opener.count != 2 or atom.count != 2:
                            look -= 1
                            continue
                        use = 2
                    else:
                        use = 2 if opener.count >= 2 and atom.count >= 2 else 1
                    number = len(matches) + 1
                    matches[number] = (atom.char, use)
                    opener.count -= use
                    atom.count -= use
                    opener.opened_by.append((number, use))
                    atom.closed_by.append((number, use))
                    del stack[look + 1:]  # delimiters in between are text now
                    if not opener.count:
                        del stack[look]
                    look = len(stack) - 1
            if atom.opens and atom.count:
                stack.append(index)
        return matches

    def tree(self, atoms: list[_Atom], matches: dict[int, tuple[str, int]]
             ) -> tuple[Piece, ...]:
        """Nest the pieces: each match becomes a paired code around what it encloses."""
        root: list[Piece] = []
        stack: list[tuple[int, str, list[Piece]]] = []  # (match, its characters, content)
        ids: dict[int, str] = {}

        def here() -> list[Piece]:
            return stack[-1][2] if stack else root

        def text(chars: str) -> None:
            if not chars:
                return
            target = here()
            if target and isinstance(target[-1], str):
                target[-1] += chars
            else:
                target.append(chars)

        for atom in atoms:
            if isinstance(atom, str):
                text(atom)
            elif isinstance(atom, Ph | Pc):
                here().append(atom)
            else:
                for number, use in atom.closed_by:
                    if not stack or stack[-1][0] != number:
                        raise _Unnested
                    _number, start, content = stack.pop()
                    char, _use = matches[number]
                    kind: CodeKind = "strike" if char == "~" else (
                        "strong" if use == 2 else "emphasis")
                    here().append(Pc(ids[number], start, atom.char * use, kind, tuple(content)))
                text(atom.char * atom.count)
                for number, use in reversed(atom.opened_by):
                    ids[number] = self.next_id()
                    stack.append((number, atom.char * use, []))
        if stack:
            raise _Unnested
        return tuple(root)


class _Unnested(Exception):
    """Emphasis that does not nest as paired codes: left as text."""


def _inline(text: str, counter: list[int]) -> tuple[Piece, ...]:
    if _SPECIAL.search(text) is None and (":" not in text or _URL_START.search(text) is None):
        return (text,) if text else ()  # nothing but text: half the paragraphs and cells
    saved = counter[0]
    try:
        return _Inline(counter).pieces(text)
    except _Unnested:
        counter[0] = saved
        inline = _Inline(counter)
        plain: list[_Atom] = [a if not isinstance(a, _Delimiter) else a.char * a.original
                              for a in inline.atoms(text)]
        return inline.tree(plain, {})


# --- the whole ------------------------------------------------------------------------------

_PLAIN = re.compile(r"[\\`<>{}\[\]*_~|#\n\r\t]|^[\s\d+=-]|\s$")
_URLISH = re.compile(r"(?:https?|ftp|mailto):", re.IGNORECASE)
"""What may make a text more than text: without any of it, a narrative is one piece."""


def tokenize(text: str, *, narrative: bool = True) -> Segment:
    """`text` as translatable text and codes; `rebuild` gives it back exactly."""
    counter = [0]
    if not narrative:
        if "{" not in text:
            return (text,) if text else ()
        return _numbered(_merge(_tags_only(text, counter)))
    if _PLAIN.search(text) is None and (":" not in text or _URLISH.search(text) is None):
        return (text,) if text else ()  # most short narratives: text alone
    pieces: list[Piece] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            pieces.extend(_inline("".join(run), counter))
            run.clear()

    for structure, chars in _blocks(text):
        if structure:
            flush()
            if pieces and isinstance(pieces[-1], Ph) and pieces[-1].kind == "block":
                last = pieces[-1]
                pieces[-1] = Ph(last.id, last.data + chars, last.kind)
            else:
                counter[0] += 1
                pieces.append(Ph(str(counter[0]), chars, "block"))
        else:
            run.append(chars)
    flush()
    return _numbered(_merge(pieces))


def _numbered(pieces: Segment) -> Segment:
    """Codes numbered 1, 2, 3… in the order they appear (a paired code before what it
    encloses): the ids a translator sees, the same in every run."""
    if _sequential(pieces, [0]):
        return pieces  # most texts: numbered so already, nothing to make again
    return _renumbered(pieces, [0])


def _sequential(items: Segment, counter: list[int]) -> bool:
    """The codes are numbered 1, 2, 3… in the order they appear already."""
    for piece in items:
        if isinstance(piece, str):
            continue
        counter[0] += 1
        if piece.id != str(counter[0]) or (
                isinstance(piece, Pc) and not _sequential(piece.content, counter)):
            return False
    return True


def _renumbered(items: Segment, counter: list[int]) -> Segment:
    out: list[Piece] = []
    for piece in items:
        if isinstance(piece, str):
            out.append(piece)
            continue
        counter[0] += 1
        ident = str(counter[0])
        if isinstance(piece, Pc):
            out.append(Pc(ident, piece.start, piece.end, piece.kind,
                          _renumbered(piece.content, counter)))
        else:
            out.append(Ph(ident, piece.data, piece.kind))
    return tuple(out)


def _tags_only(text: str, counter: list[int]) -> list[Piece]:
    pieces: list[Piece] = []
    at = 0
    for found in TAG.finditer(text):
        if found.start() > at:
            pieces.append(text[at:found.start()])
        counter[0] += 1
        pieces.append(Ph(str(counter[0]), found.group(0), "tag"))
        at = found.end()
    if at < len(text):
        pieces.append(text[at:])
    return pieces


def _merge(pieces: list[Piece] | tuple[Piece, ...]) -> Segment:
    """Adjacent texts joined into one (ids stay as numbered)."""
    out: list[Piece] = []
    for piece in pieces:
        if isinstance(piece, str):
            if not piece:
                continue
            if out and isinstance(out[-1], str):
                out[-1] += piece
                continue
        elif isinstance(piece, Pc):
            content = _merge(piece.content)
            if content != piece.content:  # else the code as it is (most are)
                piece = Pc(piece.id, piece.start, piece.end, piece.kind, content)
        out.append(piece)
    return tuple(out)


def alone(pieces: Segment) -> bool:
    """Text alone, or nothing: no code. Two thirds of the units of a review (every line,
    most short narratives), whose translations need no code matched nor adopted."""
    return len(pieces) < 2 and (not pieces or isinstance(pieces[0], str))


def _text_alone(pieces: Segment) -> str | None:
    if not pieces:
        return ""
    first = pieces[0]
    return first if len(pieces) == 1 and isinstance(first, str) else None


def rebuild(pieces: Segment) -> str:
    """The Markdown the pieces stand for."""
    text = _text_alone(pieces)
    if text is not None:
        return text
    out: list[str] = []
    for piece in pieces:
        if isinstance(piece, str):
            out.append(piece)
        elif isinstance(piece, Ph):
            out.append(piece.data)
        else:
            out += (piece.start, rebuild(piece.content), piece.end)
    return "".join(out)


def text_of(pieces: Segment) -> str:
    """The translatable text alone (codes left out): what a script check reads."""
    text = _text_alone(pieces)
    if text is not None:
        return text
    return "".join(p if isinstance(p, str) else text_of(p.content) if isinstance(p, Pc) else ""
                   for p in pieces)


def codes(pieces: Segment) -> list[Ph | Pc]:
    """Every code, in document order (a paired code before what it encloses)."""
    found: list[Ph | Pc] = []
    for piece in pieces:
        if isinstance(piece, Ph):
            found.append(piece)
        elif isinstance(piece, Pc):
            found.append(piece)
            found += codes(piece.content)
    return found


def has_codes(pieces: Segment) -> bool:
    return any(not isinstance(p, str) for p in pieces)


# --- a translation's codes against the original's --------------------------------------------

@dataclass(frozen=True)
class CodeProblem:
    what: Literal["unknown", "missing", "repeated", "kind", "order", "unbalanced"]
    code: str
    """The code's id, as the file gives it."""


def problems(source: Segment, target: Segment) -> list[CodeProblem]:
    """What is wrong with a translation's codes: each of the original's once, none of its
    own, a paired code paired, and the structure's codes in the original's order."""
    if alone(source) and alone(target):
        return []
    listed = codes(source)
    expected = {c.id: c for c in listed}
    found: list[CodeProblem] = []
    seen: set[str] = set()
    given_codes = codes(target)
    for code in given_codes:
        original = expected.get(code.id)
        if original is None:
            found.append(CodeProblem("unknown", code.id))
        elif code.id in seen:
            found.append(CodeProblem("repeated", code.id))
        elif isinstance(code, Pc) != isinstance(original, Pc):
            found.append(CodeProblem("kind", code.id))
        seen.add(code.id)
    found += [CodeProblem("missing", ident) for ident in expected if ident not in seen]
    order = [c.id for c in listed if isinstance(c, Ph) and c.kind in BLOCK]
    given = [c.id for c in given_codes if c.id in order]
    if not found and given != order:
        first = next(a for a, b in zip(given, order, strict=True) if a != b)
        found.append(CodeProblem("order", first))
    return found


def adopt(source: Segment, target: Segment) -> Segment:
    """The translation with each code's Markdown taken from the original (by id): what a
    file says a code stands for is never used. Call once `problems` finds none."""
    if alone(target):
        return target  # no code to take
    return _adopted(target, {c.id: c for c in codes(source)})


def _adopted(pieces: Segment, expected: dict[str, Ph | Pc]) -> Segment:
    # a function of its own, not a closure calling itself: that would be a reference cycle
    # at every call, left to the garbage collector
    out: list[Piece] = []
    for piece in pieces:
        if isinstance(piece, str):
            out.append(piece)
            continue
        original = expected[piece.id]
        if isinstance(piece, Pc):
            assert isinstance(original, Pc)
            out.append(Pc(original.id, original.start, original.end, original.kind,
                          _adopted(piece.content, expected)))
        else:
            out.append(original)
    return tuple(out)
