"""What a narrative may contain: one definition, read by validation and by conversion.

Narratives are Markdown from review files, which arrive by pull request. The
reports keep text, emphasis, lists, tables, quotes, code, footnotes and web or
mail links; everything else is shown as the inert text that was typed, or
reduced to its content. Each row of `CONSTRUCTS` says, for one kind of pandoc
element, what the sanitiser does with it (the pandoc Lua worker receives this
table, see gcmreview/convert/batch.lua) and how `validate` spots it in the
source to warn the author first. tests/test_narratives.py runs every row's
example through both.
"""

from __future__ import annotations

import json
import re
from itertools import product
from typing import Any, NamedTuple

from gcmreview.core.i18n import N_

READER = "commonmark+pipe_tables+footnotes+strikeout+task_lists+autolink_bare_uris"
"""pandoc's reader for narratives: CommonMark with GitHub's tables, footnotes,
strikeout, task lists and bare links (docs/format.md, section 4)."""

PLAIN_READER = "commonmark+pipe_tables+strikeout+task_lists"
"""READER without the two extensions a text can use only through a few characters: it
reads such a text into the same document, and faster (batch.lua reads the narratives
that hold none of PLAIN_UNLESS with it). Bare links: commonmark-extensions' autolink
parser (Commonmark/Extensions/Autolink.hs) starts only at the word `www`, at `http`,
`https` or `ftp` followed by `://`, or at an e-mail address's `@`; yet it is tried at
every word, and an e-mail address is looked for through every run of letters (measured on
the bench's narratives: a quarter of what pandoc allocates to read them). Footnotes
start with `[^`."""
PLAIN_UNLESS = ("@", "://", "[^", *("".join(case) for case in product("wW", repeat=3)))
"""A narrative holding any of these is read with READER (`www` in any case, should a
later reader match it so)."""

SAFE_URL_SCHEMES = ("http", "https", "mailto")
"""Link targets that stay links; any other target (javascript:, file:, a
relative path to a local file) leaves the link's text alone."""


class Construct(NamedTuple):
    elements: tuple[str, ...]
    """pandoc element types this row is about."""
    action: str
    """What the sanitiser does (a function of batch.lua's ACTIONS)."""
    code: str | None = None
    """The `validate` warning (a rule code), or None when nothing is lost."""
    detect: re.Pattern[str] | None = None
    """How validate spots the construct in the source text."""
    trigger: tuple[str, ...] = ()
    """Substrings without which `detect` cannot match: most texts skip the regex."""
    message: str = ""
    hint: str | None = None
    example: str = ""
    """A narrative holding the construct (tests run it through both sides)."""


CONSTRUCTS = (
    Construct(("RawBlock", "RawInline"), "as_text", "raw-markup",
              # not <https://…> autolinks
              re.compile(r"<(?:[a-zA-Z][\w-]*(?=[\s/>])|/[a-zA-Z]|!--)|\{=[a-zA-Z]+\}"),
              ("<", "{="),
              N_("HTML or raw markup in a narrative is shown as plain text"),
              N_("use Markdown: *emphasis*, lists, tables and [links](https://…)"),
              "Text <b onclick=x()>bold</b> here."),
    Construct(("Image", "Figure"), "alt_text", "narrative-image",
              # ![alt](src), ![alt][ref], ![alt][]; ![ref] alone where a definition is
              re.compile(r"!\[[^\]]*\][(\[]|(?s:!\[[^\]]*\].*^ {0,3}\[[^\]^]+\]:)"
                         r"|(?s:^ {0,3}\[[^\]^]+\]:.*!\[[^\]]*\])", re.MULTILINE),
              ("![",),
              N_("images in narratives are not included in reports; their description is "
                 "shown instead"), None, "See ![the map](map.png)."),
    Construct(("Header",), "bold_paragraph", "narrative-heading",
              re.compile(r"(?m)^ {0,3}#{1,6}(?:[ \t]|$)"), ("#",),
              N_("a heading inside a narrative is shown as a bold paragraph: the report makes "
                 "its own headings"),
              N_("write the text as a paragraph, or **bold** it"), "# My heading\n\nText."),
    Construct(("Link",), "safe_link", "unsafe-link",
              re.compile(  # inline links, reference definitions, <scheme:...> autolinks
                  r"(?:(?<!!)\[[^\]]*\]\(\s*<?|(?m:^ {0,3}\[(?!\^)[^\]]+\]:\s*<?)"
                  r"|<(?=[a-zA-Z][a-zA-Z0-9+.-]{1,31}:))"
                  r"(?!(?:" + "|".join(SAFE_URL_SCHEMES) + r"):)[^)\s>]",
                  re.IGNORECASE),
              ("](", "]:", ":"),
              N_("a link that is not a web or e-mail address is shown as its text alone"),
              N_("link to an address starting with https://, http:// or mailto:"),
              "See [the law](javascript:alert(1))."),
    # What the narrative reader cannot produce today, neutralised all the same in
    # case another reader or a workspace template ever lets it through.
    Construct(("Math",), "as_text"),
    Construct(("Cite", "Div", "Span"), "content"),
    Construct(("Code", "CodeBlock"), "plain_code"),
    Construct(("Table",), "no_attributes"),
)


def policy() -> dict[str, object]:
    """The table the Lua sanitiser applies: element type -> action, safe schemes; the
    readers of narratives."""
    return {"actions": {element: c.action for c in CONSTRUCTS for element in c.elements},
            "safe_schemes": list(SAFE_URL_SCHEMES), "reader": READER,
            "plain_reader": PLAIN_READER, "plain_unless": list(PLAIN_UNLESS)}


def key(text: str) -> str:
    """A narrative's identity: the same text is parsed once, whichever documents quote it."""
    import hashlib  # not for validate: 3 ms of its start-up

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def sanitiser_version(lua_source: bytes) -> str:
    """Changes whenever what a parsed narrative looks like could change: the key of
    cached narratives includes it."""
    import hashlib

    parts = json.dumps(policy(), sort_keys=True).encode() + b"\0" + lua_source
    return hashlib.sha256(parts).hexdigest()[:16]


PLACEHOLDER = re.compile(r"^\s*TODO\b")
"""What `gcmreview new` writes where text is still to come."""


def has_text(value: Any) -> bool:
    """A real text: not empty and not the scaffold's placeholder."""
    return isinstance(value, str) and bool(value.strip()) and not PLACEHOLDER.match(value)


MAX_BRACKETS = 32
"""Brackets nested deeper than this are refused: pandoc's reader slows down with the
square of the depth (a 100 KB file of nested brackets took 69 s)."""
MAX_CONTAINERS = 8
"""Block quotes and lists nested deeper than this are refused: typst stops at a depth
of its own ("maximum show rule depth exceeded": 16 quotes, 31 lists, 11 of each in
turn, measured), and the report adds its own levels. No review needs more than three."""
_MARKERS = re.compile(r"[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))")


MAX_MARKS = 32
"""Combining marks (accents, vowel signs, variation selectors) on one letter beyond this
are refused: pandoc's time grows with the square of such a run (4,000 marks: 2 s a
document; 20,000: a minute), and no language stacks more than a few."""
_LONG_RUN = re.compile(rf"[^\x00-\x7f\s]{{{MAX_MARKS + 1},}}")
"""Where a long run of marks can be: many characters outside ASCII with no space."""


def marks_run(text: str) -> int:
    """The longest run of combining marks in `text` (0 for any text a review writes)."""
    import unicodedata

    longest = 0
    for found in _LONG_RUN.finditer(text):
        run = 0
        for char in found.group():
            run = run + 1 if unicodedata.category(char).startswith("M") else 0
            longest = max(longest, run)
    return longest


MAX_EMPHASIS = 32
"""Emphasis (`*`, `_`, `~~`) nested deeper than this is refused: typst stops at a depth of
its own ("maximum show rule depth exceeded": 64 levels in a report, measured), where the
build failed with no place to point to. No review needs more than three."""
_DELIMITERS = re.compile(r"\*+|_+|~~")


def _emphasis_depth(text: str) -> int:
    """How deep emphasis nests, near enough: a run of delimiters before a word opens (two
    levels for `***`), one after a word closes the last of its kind still open; `_` inside
    a word and escaped ones are none."""
    open_: list[str] = []
    deepest = 0
    for found in _DELIMITERS.finditer(text):
        start, end = found.span()
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        kind = found.group()[0]
        if before == "\\" or (kind == "_" and before.isalnum() and after.isalnum()):
            continue  # escaped, or inside a word (snake_case, an address): no emphasis
        levels = (end - start + 1) // 2 if kind != "~" else 1  # *** is two: em and strong
        if not before.isspace() and kind in open_:
            for _level in range(levels):
                if kind in open_:
                    del open_[len(open_) - 1 - open_[::-1].index(kind):]
        elif not after.isspace():
            open_ += [kind] * levels
            deepest = max(deepest, len(open_))
    return deepest


def nesting(text: str) -> tuple[int, int, int]:
    """(block quotes and lists, brackets, emphasis): how deep each nests at most."""
    brackets = 0
    if text.count("[") > MAX_BRACKETS:
        depth = 0
        for bracket in re.sub(r"[^\[\]]", "", text):
            depth = depth + 1 if bracket == "[" else max(0, depth - 1)
            brackets = max(brackets, depth)
    containers = 0
    for line in text.splitlines():
        at, markers = 0, 0
        while (found := _MARKERS.match(line, at)) is not None:
            at, markers = found.end(), markers + 1
        if markers:  # a list item's indentation stands for the items around it
            indent = len(line) - len(line.lstrip(" \t"))
            containers = max(containers, markers + indent // 2)
    delimiters = text.count("*") + text.count("_") + text.count("~")
    emphasis = _emphasis_depth(text) if delimiters > MAX_EMPHASIS else 0
    return containers, brackets, emphasis


_NOTE_DEFINITION = re.compile(r" {0,3}\[\^[^\]\n]+\]:")
_NOTE_CALL = re.compile(r"\[\^[^\]\n]+\]")
_CONTAINER_MARKS = re.compile(r"(?:[ \t]*(?:>|[-+*]|[0-9]{1,9}[.)])(?=[ \t]|$)[ \t]?)+")
"""Block quote and list item marks at a line's start (`> `, `- `, `1. `, nested)."""


def note_in_note(text: str) -> bool:
    """Whether a footnote's own text calls a note (itself or another): pandoc 3.9 then
    loops for ever. A definition runs on over its indented lines, and over the lines
    that follow it without a blank line (a paragraph's lazy continuation). A definition
    in a block quote or a list item counts as one (`> [^1]: …`): the marks before it are
    set aside."""
    if text.count("[^") < 2:
        return False
    lines = [line[marks.end():] if (marks := _CONTAINER_MARKS.match(line)) else line
             for line in text.splitlines()]
    i = 0
    while i < len(lines):
        found = _NOTE_DEFINITION.match(lines[i])
        if found is None:
            i += 1
            continue
        body = [lines[i][found.end():]]
        i += 1
        while i < len(lines):
            line = lines[i]
            if _NOTE_DEFINITION.match(line):
                break
            if line.strip() and (line.startswith(("    ", "\t")) or lines[i - 1].strip()):
                body.append(line)
            elif line.strip():
                break
            i += 1
        if _NOTE_CALL.search("\n".join(body)):
            return True
    return False


class Excess(NamedTuple):
    """A limit a narrative goes past: no report can be built from it (`excess`)."""

    code: str
    """The rule: narrative-combining-marks, narrative-too-deep, narrative-note-in-note."""
    kind: str
    """What goes past it: marks, emphasis, containers, brackets, note."""
    found: int
    most: int


def excess(text: str) -> Excess | None:
    """The first limit `text` goes past, in this order: marks stacked on a letter, then
    emphasis, quotes and lists, brackets nested too deep, then a note calling a note. One
    definition for validate and the translation import, which word it each their way."""
    marks = marks_run(text)
    if marks > MAX_MARKS:
        return Excess("narrative-combining-marks", "marks", marks, MAX_MARKS)
    containers, brackets, emphasis = nesting(text)
    for kind, found, most in (("emphasis", emphasis, MAX_EMPHASIS),
                              ("containers", containers, MAX_CONTAINERS),
                              ("brackets", brackets, MAX_BRACKETS)):
        if found > most:
            return Excess("narrative-too-deep", kind, found, most)
    if note_in_note(text):
        return Excess("narrative-note-in-note", "note", 1, 0)
    return None


_DETECTED = tuple((c, c.trigger, c.detect) for c in CONSTRUCTS if c.detect is not None)


def findings(text: str) -> list[Construct]:
    """The constructs of `text` a report will not show as written. (Loops, not a
    comprehension over `any`: every narrative goes through here, once when its review is
    checked and once more when its translation is imported; 44 ms -> 35 ms for the 7,869
    of the benchmark.)"""
    found = []
    for construct, trigger, detect in _DETECTED:
        for needed in trigger:
            if needed in text:
                if detect.search(text):
                    found.append(construct)
                break
    return found
