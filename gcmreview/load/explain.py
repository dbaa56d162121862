"""What people really get wrong in YAML, said in plain words with the exact fix.

libyaml reports where it gave up, in a parser's words ("mapping values are not
allowed here"), often on the line after the mistake. Focal points write in Word
first: tabs, a colon after a space in French text (« Priorité : … »), a key
pushed one space too far, no space after a colon, no-break spaces and invisible
direction marks pasted from Word, an apostrophe inside single quotes (« 'Création
d'un …' »), text starting with a sign YAML reserves (@, *, &, -), the second line
of a text not indented under its key. Each function here looks at the lines around
the place libyaml names and, when it recognises the mistake, says so, where it
is, and shows the corrected line.

libyaml stops at its first mistake. `line_problems` reads every line of a file
libyaml refused for the mistakes a line shows by itself (a tab in the
indentation, Word's quotes used as YAML's, a colon in unquoted text), so that
the loader can report them all at once and read on past them
(gcmreview.load.loader).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import partial
from typing import NamedTuple

from gcmreview.core.i18n import _, ngettext

INVISIBLE = {
    "\u200e": "LEFT-TO-RIGHT MARK",
    "\u200f": "RIGHT-TO-LEFT MARK",
    "\u061c": "ARABIC LETTER MARK",
    "\u200b": "ZERO WIDTH SPACE",
    "\ufeff": "ZERO WIDTH NO-BREAK SPACE",
    "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE",
    "\u2068": "FIRST STRONG ISOLATE",
    "\u2069": "POP DIRECTIONAL ISOLATE",
    "\u202a": "LEFT-TO-RIGHT EMBEDDING",
    "\u202b": "RIGHT-TO-LEFT EMBEDDING",
    "\u202c": "POP DIRECTIONAL FORMATTING",
    "\u202d": "LEFT-TO-RIGHT OVERRIDE",
    "\u202e": "RIGHT-TO-LEFT OVERRIDE",
}
"""Characters that show as nothing, which an Arabic keyboard or Word adds."""
NO_BREAK_SPACES = {"\u00a0": "NO-BREAK SPACE", "\u202f": "NARROW NO-BREAK SPACE"}
SMART_QUOTES = (("\u201c", "\u201d"), ("\u201e", "\u201c"), ("\u201e", "\u201d"),
                ("\u2018", "\u2019"), ("\u201d", "\u201d"), ("\u00ab", "\u00bb"))
"""Typographic quotes Word puts around text, as (opening, closing): “…”, „…“, ‘…’, «…»."""
_OPENERS = frozenset(opening for opening, _closing in SMART_QUOTES)
GUILLEMET_PADDING = " \u00a0\u202f"
"""French puts a (no-break) space inside « »: not part of the text either."""
TAB_WIDTHS = (2, 4, 8)
"""How many spaces a tab in the indentation may stand for, most likely first."""

_KEY = re.compile(r"^(?P<indent>[ ]*)(?P<dash>-[ ]+)?"
                  r"(?P<key>[^\s#'\"\[{][^:#]*?|'[^']*'|\"[^\"]*\")[ ]*:(?P<after>[ \t]|$)")
_VALUE = re.compile(r"^(?P<head>[ ]*(?:-[ ]+)?[^\s#'\"\-][^:#]*?:[ ]+)(?P<value>\S.*)$")
"""`key: value` on one line (the key unquoted)."""
_BLOCK = re.compile(r"^(?P<indent>[ ]*)(?:-[ ]+)?(?P<key>[^\s#'\"][^:#]*?):[ ]+[|>][+-]?[ ]*"
                    r"(?:#.*)?$")
"""A key whose text follows as a block (`summary: |`)."""
RESERVED_STARTS = "@`*&!%"
"""Characters YAML gives a meaning of their own at the start of a value."""
_COLON_IN_VALUE = re.compile(r"^(?P<head>[ ]*(?:-[ ]+)?[^\s#'\"][^:#]*?:[ ]+)"
                             r"(?P<value>[^\s'\"|>#&*!%@`\[{].*)$")
_COMMENT = r"[ \t]#"
"""The patterns below are compiled when first used (by re's cache): only a file YAML
refused needs them, and compiling costs every start."""
_SMART_VALUE = (r"^(?P<head>[ ]*(?:-[ ]+)?(?:[^\s#'\"\[{\-][^:#]*?:[ ]+)?)"
                r"(?P<value>[\u201c\u201d\u201e\u2018\u00ab].*?)"
                r"(?P<rest>[ \t]+#.*)?$")
"""A key's value, or a list item, that starts with an opening typographic quote."""
_BLOCK_START = (r"^(?P<indent>[ ]*)(?P<dashes>(?:-[ ]+)*)"
                r"(?:(?P<key>[^\s#'\"\-][^:#]*?|'[^']*'|\"[^\"]*\")[ ]*:[ ]+)?"
                r"[|>][0-9+-]*[ ]*(?:#.*)?$")
"""A line whose value is a block of text (`summary: |`, `- >-`): the lines below are text."""
_VALUE_START = (r"^[ ]*(?:-[ ]+)*(?:(?:[^\s#'\"\[{\-][^:#]*?|'[^']*'|\"[^\"]*\")"
                r"[ ]*:[ ]+)?(?P<value>\S.*)$")


class Explanation(NamedTuple):
    """A mistake recognised: where, what, the fix shown. (A named tuple: cheaper to
    define than a dataclass, at every start.)"""

    line: int
    """1-based."""
    column: int
    code: str
    message: str
    hint: str | None = None
    repair: str | None = None
    """The line as the hint corrects it, on one line: what the loader reads in its place
    to go on past the mistake."""
    fix: tuple[int, str, str] | None = None
    """(column, old, new): the change `validate --fix` may make on the line, when it
    is safe: YAML reads nothing else differently (a tab in the indentation, Word's
    quotes used as YAML's, an invisible mark before a key)."""


def _ending(line: str) -> str:
    """The carriage return of a Windows line (lines are split at \\n), kept as it was."""
    return "\r" if line.endswith("\r") else ""


def char_name(ch: str) -> str:
    return f"U+{ord(ch):04X} " + (INVISIBLE.get(ch) or NO_BREAK_SPACES.get(ch)
                                  or unicodedata.name(ch, "?") or "?")


def unquoted_smart(value: str) -> str | None:
    """The text inside typographic quotes wrapping a whole value, if it is so wrapped
    (and only so: “a” and “b” is two quotations, not a wrapped value)."""
    head = value[:1]
    if head not in _OPENERS and not head.isspace():
        return None  # most values: one look at the first character, no copy
    text = value.strip()
    for opening, closing in SMART_QUOTES:
        if len(text) >= 2 and text.startswith(opening) and text.endswith(closing):
            inner = text[1:-1]
            if opening in inner or closing in inner:
                continue
            return inner.strip(GUILLEMET_PADDING) if opening == "\u00ab" else inner
    return None


def straight_quoted(text: str) -> str:
    """`text` as a YAML double-quoted string, written as a person would: only \\ and "
    escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def without_invisible(text: str) -> str:
    return "".join(ch for ch in text if ch not in INVISIBLE)


def indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content(lines: list[str], index: int) -> bool:
    stripped = lines[index].strip()
    return bool(stripped) and not stripped.startswith("#")


def explain(text: str, line: int, column: int, tab_width: int = 2) -> Explanation | None:
    """The mistake around `line` (0-based, where libyaml gave up), if it is a common one."""
    lines = text.split("\n")
    if not 0 <= line < len(lines):
        return None
    candidates = [i for i in range(line, max(-1, line - 3), -1) if _content(lines, i)]
    checks: tuple[Callable[[list[str], int], Explanation | None], ...] = (
        partial(_tab, width=tab_width), _invisible, _no_break_space, _no_space_after_colon,
        _smart_quotes, _colon_in_text, _quote_ends_text, _reserved_start, _block_line,
        _continuation)
    for check in checks:
        for index in candidates:
            found = check(lines, index)
            if found:
                return found
    for index in candidates[:2]:
        found = _indentation(lines, index)
        if found:
            return found
    return None


def _tab(lines: list[str], i: int, width: int = 2) -> Explanation | None:
    """A tab in the indentation (a tab inside the text is text, and stays)."""
    line = lines[i]
    at = line.find("\t")
    if at < 0 or line[:at].strip():
        return None
    indent = line[:len(line) - len(line.lstrip(" \t"))]
    spaces = indent.replace("\t", " " * width)
    fixed = spaces + line[len(indent):]
    return Explanation(i + 1, at + 1, "tab-character",
                       _("line {line} starts with a tab character; YAML indents with spaces "
                         "only").format(line=i + 1),
                       _("replace the tab with spaces:\n{fixed}").format(fixed=fixed.rstrip()),
                       repair=fixed, fix=(1, indent, spaces))


def _invisible(lines: list[str], i: int) -> Explanation | None:
    line = lines[i]
    for at, ch in enumerate(line):
        if ch in INVISIBLE:
            fixed = without_invisible(line)
            # Before the first visible character, a mark is in the indentation: nothing
            # to keep. Further on it may belong to the text (Arabic and Latin mixed).
            lead = len(line) - len(line.lstrip(" \t" + "".join(INVISIBLE)))
            safe = not any(c in INVISIBLE for c in line[lead:])
            return Explanation(i + 1, at + 1, "invisible-character",
                               _("line {line} holds an invisible character, {name}, which "
                                 "Word or an Arabic keyboard adds").format(
                                     line=i + 1, name=char_name(ch)),
                               _("remove it:\n{fixed}").format(fixed=fixed.rstrip()),
                               repair=fixed,
                               fix=(1, line[:lead], without_invisible(line[:lead])) if safe
                               else None)
    return None


def _no_break_space(lines: list[str], i: int) -> Explanation | None:
    """A no-break space where YAML needs a space: in the indentation, or after a colon."""
    line = lines[i]
    for at, ch in enumerate(line):
        if ch not in NO_BREAK_SPACES:
            continue
        before = line[:at]
        if before.strip() and not before.rstrip(" \u00a0\u202f").endswith(":"):
            continue  # a no-break space inside text is fine (French typography)
        fixed = re.sub("[\u00a0\u202f]", " ", line).rstrip()
        return Explanation(i + 1, at + 1, "no-break-space",
                           _("line {line} has a no-break space ({name}) where YAML needs an "
                             "ordinary space; Word puts them before and after colons").format(
                               line=i + 1, name=char_name(ch)),
                           _("type an ordinary space instead:\n{fixed}").format(fixed=fixed),
                           repair=fixed + _ending(line))
    return None


def _no_space_after_colon(lines: list[str], i: int) -> Explanation | None:
    """`status:in_progress`: a key and its value need a space between them."""
    match = re.match(r"^([ ]*(?:-[ ]+)?)([A-Za-z_][\w-]*):(?![ /\\]|$)(\S.*)$", lines[i])
    if not match or re.match(r"^[a-z]+://", match.group(3)) or match.group(2) in ("http",
                                                                                  "https"):
        return None
    fixed = f"{match.group(1)}{match.group(2)}: {match.group(3)}"
    return Explanation(i + 1, len(match.group(1)) + len(match.group(2)) + 1, "no-space-after-colon",
                       _("`{key}` and its value need a space after the colon").format(
                           key=match.group(2)),
                       _("write it so:\n{fixed}").format(fixed=fixed.rstrip()), repair=fixed)


def _colon_in_text(lines: list[str], i: int) -> Explanation | None:
    """Unquoted text holding a colon followed by a space (« Priorité : … », "الأولوية: …")."""
    match = _COLON_IN_VALUE.match(lines[i])
    if not match:
        return None
    head, value = match.group("head"), match.group("value").rstrip()
    text = re.split(_COMMENT, value, maxsplit=1)[0].rstrip()  # ` # …` is a comment: not text
    if not text.endswith(":") and ": " not in text:
        return None
    comment = value[len(text):]
    quoted = f"{head.rstrip()} {_quoted(text)}{comment}"
    key = head.rstrip().rstrip(":").strip().removeprefix("- ")
    indent = " " * (len(head) - len(head.lstrip()))
    return Explanation(
        i + 1, len(head) + value.index(":") + 1, "colon-in-text",
        _("the text after `{key}:` holds a colon followed by a space, which YAML reads as the "
          "start of another key").format(key=key),
        _("put the text in double quotes:\n{quoted}\nor write it as a block, on the lines "
          "below the key:\n{block}").format(
            quoted=quoted, block=f"{head.rstrip()} >-\n{indent}  {text}"),
        repair=quoted + _ending(lines[i]))


def _smart_quotes(lines: list[str], i: int) -> Explanation | None:
    """`date: “2026-03-15”`: Word's quotes, where YAML's straight ones were meant. YAML
    reads them as part of the text (and then a colon inside stops it)."""
    line = lines[i]
    match = re.match(_SMART_VALUE, line.removesuffix("\r"))
    if not match or not match.group("head").strip():
        return None
    head, value = match.group("head"), match.group("value")
    inner = unquoted_smart(value)
    if inner is None:
        return None
    new = straight_quoted(inner)
    fixed = head + new + (match.group("rest") or "")
    key = head.strip().removeprefix("-").strip().rstrip(":").strip()
    message = (_("the text after `{key}:` is wrapped in typographic quotes (“…” or « »), "
                 "which YAML does not read as quotes: they would become part of the "
                 "text").format(key=key) if key else
               _("the list item is wrapped in typographic quotes (“…” or « »), which YAML "
                 "does not read as quotes: they would become part of the text"))
    return Explanation(i + 1, len(head) + 1, "smart-quotes", message,
                       _("write it with straight quotes:\n{fixed}").format(fixed=fixed),
                       repair=fixed + _ending(line), fix=(len(head) + 1, value, new))


def _quoted(value: str) -> str:
    """`value` as a double-quoted YAML string."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _closing_quote(rest: str, quote: str) -> int:
    """Where a quoted text that started just before `rest` ends, or -1."""
    at = 0
    while at < len(rest):
        ch = rest[at]
        if quote == "'" and ch == "'" and rest[at + 1:at + 2] == "'":
            at += 2  # '' is an apostrophe
            continue
        if quote == '"' and ch == "\\":
            at += 2
            continue
        if ch == quote:
            return at
        at += 1
    return -1


def _quote_ends_text(lines: list[str], i: int) -> Explanation | None:
    """'Création d'un observatoire': the apostrophe of d'un ends the quoted text."""
    match = _VALUE.match(lines[i])
    if not match or match.group("value")[0] not in "'\"":
        return None
    head, value = match.group("head"), match.group("value").rstrip()
    quote, rest = value[0], value[1:]
    end = _closing_quote(rest, quote)
    after = rest[end + 1:].strip() if end >= 0 else ""
    if end < 0 or not after or after.startswith("#"):
        return None
    inner = rest[:-1] if rest.endswith(quote) else rest
    if quote == "'":
        inner = inner.replace("''", "'")
    word = (rest[:end].split() or [""])[-1] + quote + (rest[end + 1:].split() or [""])[0]
    fixed = head.rstrip() + " " + _quoted(inner.replace('\\"', '"') if quote == '"' else inner)
    column = len(head) + 1 + end + 1
    if quote == "'":
        return Explanation(i + 1, column, "quote-ends-text",
                           _("the text in single quotes ends at the apostrophe of “{word}”: "
                             "inside single quotes, an apostrophe is written twice ('')").format(
                               word=word),
                           _("put the text in double quotes instead:\n{fixed}").format(
                               fixed=fixed), repair=fixed + _ending(lines[i]))
    return Explanation(i + 1, column, "quote-ends-text",
                       _("the text in double quotes ends at the quote mark before “{word}”: "
                         "inside double quotes, a quote mark is written \\\"").format(
                           word=(rest[end + 1:].split() or [""])[0].strip('"')),
                       _("write the inner quote marks as \\\", or use « »:\n{fixed}").format(
                           fixed=fixed), repair=fixed + _ending(lines[i]))


def _reserved_start(lines: list[str], i: int) -> Explanation | None:
    """`summary: @OMM …`, `summary: - point un`: YAML reads the first sign as its own."""
    match = _VALUE.match(lines[i])
    if not match:
        return None
    head, value = match.group("head"), match.group("value").rstrip()
    if not (value[0] in RESERVED_STARTS or value.startswith("- ")):
        return None
    sign = "- " if value.startswith("- ") else value[0]
    fixed = head.rstrip() + " " + _quoted(value)
    return Explanation(i + 1, len(head) + 1, "reserved-start",
                       _("a text that starts with “{sign}” must be in quotes: at the start of a "
                         "value, YAML gives “{sign}” a meaning of its own").format(
                           sign=sign.strip()),
                       _("put the text in double quotes:\n{fixed}").format(fixed=fixed),
                       repair=fixed + _ending(lines[i]))


def _block_line(lines: list[str], i: int) -> Explanation | None:
    """A line of a `|` block indented less than the block's first line."""
    mine = indent_of(lines[i])
    for j in range(i - 1, -1, -1):
        if not lines[j].strip():
            continue
        block = _BLOCK.match(lines[j])
        if block:
            first = next((k for k in range(j + 1, i) if lines[k].strip()), None)
            if first is None:
                return None
            inner = indent_of(lines[first])
            if not len(block.group("indent")) < mine < inner:
                return None
            fixed = " " * inner + lines[i].lstrip(" ")
            return Explanation(
                i + 1, mine + 1, "text-indentation",
                _("line {line} belongs to the text of `{key}`, but is indented less than the "
                  "text's first line").format(line=i + 1, key=block.group("key").strip()),
                _("indent it like the lines above it:\n{fixed}").format(fixed=fixed.rstrip()),
                repair=fixed)
        if indent_of(lines[j]) < mine and _key(lines[j]) is not None:
            return None  # a mapping encloses the line: not a block's
    return None


def _continuation(lines: list[str], i: int) -> Explanation | None:
    """A second line of text under `summary: …`, not indented more than `summary`."""
    line = lines[i]
    if _key(line) is not None or line.lstrip().startswith(("-", "#")):
        return None
    previous = next((j for j in range(i - 1, -1, -1) if _content(lines, j)), None)
    if previous is None:
        return None
    match = _VALUE.match(lines[previous])
    found = _key(lines[previous])
    if not match or found is None or indent_of(line) > found[1]:
        return None
    value = match.group("value").rstrip()
    if value[0] in "'\"|>[{" or value[0] in RESERVED_STARTS:
        return None
    key, column = found
    pad = " " * (column + 2)
    block = f"{match.group('head').rstrip()} |\n{pad}{value}\n{pad}{line.strip()}"
    return Explanation(i + 1, indent_of(line) + 1, "text-indentation",
                       _("line {line} continues the text of `{key}`, but the next lines of a "
                         "text must be indented more than its key").format(line=i + 1, key=key),
                       _("write the text as a block, on the lines below the key:\n{block}").format(
                           block=block),
                       repair=pad + line.strip() + _ending(line))


def _key(line: str) -> tuple[str, int] | None:
    """The key a line starts, and the column it starts in (after a list item's dash)."""
    match = _KEY.match(line)
    return (match.group("key").strip("'\""), match.start("key")) if match else None


def _indentation(lines: list[str], i: int) -> Explanation | None:
    """A key whose indentation lines up with no mapping open above it."""
    found = _key(lines[i])
    previous = [j for j in range(i - 1, -1, -1) if _content(lines, j)]
    if found is None or not previous:
        return None
    name, mine = found
    above = _key(lines[previous[0]])
    if above is not None and lines[previous[0]].rstrip().endswith(":") and mine > above[1]:
        return None  # the first key of a new mapping sets its column
    levels: list[tuple[int, str]] = []  # the nearest key at each column, moving up
    floor = mine + 10_000
    for j in previous:
        key = _key(lines[j])
        if key is not None and key[1] < floor:
            levels.append((key[1], key[0]))
            floor = key[1]
        if floor == 0:
            break
    if not levels or any(column == mine for column, _key in levels):
        return None
    column, other = min(levels, key=lambda lv: (abs(lv[0] - mine), -lv[0]))
    fixed = " " * (column - (mine - indent_of(lines[i]))) + lines[i].lstrip(" ")
    count = indent_of(lines[i])
    return Explanation(
        i + 1, count + 1, "indentation",
        ngettext("`{key}` is indented {count} space, which lines up with no key above it; "
                 "keys of the same mapping start in the same column",
                 "`{key}` is indented {count} spaces, which lines up with no key above it; "
                 "keys of the same mapping start in the same column", count).format(
                     key=name, count=count),
        _("align it with `{other}`:\n{fixed}").format(other=other, fixed=fixed.rstrip()),
        repair=fixed)


# --- every line at once ------------------------------------------------------------------

def _flow_depth(text: str, depth: int = 0) -> int:
    """Brackets of a flow list or mapping still open at the end of `text` (quotes and
    comments skipped)."""
    quote = ""
    previous = " "
    for ch in text:
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "#" and previous in " \t":
            break
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        previous = ch
    return depth


def _opens(line: str) -> tuple[str, int | str] | None:
    """What a line starts that the lines below belong to: a block of text (and the column
    its lines must be indented past), quoted text not closed yet, or a flow list or
    mapping not closed yet."""
    body = line.removesuffix("\r")
    block = re.match(_BLOCK_START, body)
    if block:
        if block.group("key") is not None:
            return "block", block.start("key")
        dashes = block.group("dashes").rstrip(" ")
        return "block", len(block.group("indent")) + dashes.rfind("-") if dashes else -1
    value = re.match(_VALUE_START, body)
    if not value:
        return None
    text = value.group("value")
    if text[0] in "\"'" and _closing_quote(text[1:], text[0]) < 0:
        return "quote", text[0]
    if text[0] in "[{" and _flow_depth(text) > 0:
        return "flow", _flow_depth(text)
    return None


def line_problems(lines: list[str], tab_width: int = 2
                  ) -> tuple[list[tuple[Explanation, str]], list[str]]:
    """The mistakes each line shows by itself, outside blocks of text, quoted text and
    flow lists running over several lines: a tab in the indentation, Word's quotes used as
    YAML's, a colon followed by a space in unquoted text. Returns each with the line as it
    read when it was found (a line can hold two), and the lines with every mistake
    corrected as the hints say (a tab standing for `tab_width` spaces)."""
    fixed = list(lines)
    found: list[tuple[Explanation, str]] = []
    inside: tuple[str, int | str] | None = None
    for i, line in enumerate(lines):
        body = line.removesuffix("\r")
        if inside is not None:
            kind, value = inside
            if kind == "block":
                if not body.strip() or indent_of(body) > int(value):
                    continue
                inside = None
            elif kind == "quote":
                if _closing_quote(body, str(value)) >= 0:
                    inside = None
                continue
            else:
                depth = _flow_depth(body, int(value))
                inside = ("flow", depth) if depth > 0 else None
                continue
        stripped = body.strip(" \t")
        if not stripped or stripped.startswith("#") or stripped in ("---", "..."):
            continue
        for check in (partial(_tab, width=tab_width), _smart_quotes, _colon_in_text):
            seen = fixed[i]
            explained = check(fixed, i)
            if explained is not None and explained.repair is not None:
                found.append((explained, seen))
                fixed[i] = explained.repair
        inside = _opens(fixed[i])
    return found, fixed


def moved_column(original: str, seen: str, column: int) -> int:
    """A column of `seen` (a line as corrected so far) as a column of the line the file
    has: corrections change the indentation or wrap a value in quotes, so what lies before
    or after the change keeps its place."""
    prefix = 0
    while prefix < min(len(original), len(seen)) and original[prefix] == seen[prefix]:
        prefix += 1
    if column - 1 <= prefix:
        return column
    suffix = 0
    while suffix < min(len(original), len(seen)) - prefix \
            and original[-1 - suffix] == seen[-1 - suffix]:
        suffix += 1
    if column - 1 >= len(seen) - suffix:
        return max(1, column - (len(seen) - len(original)))
    return prefix + 1
