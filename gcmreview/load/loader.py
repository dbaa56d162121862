"""Load review YAML strictly, safely and with positions.

libyaml's C parser does the parsing (the hot path: ~10 ms for a 50 KB file); the
constructors below are small Python hooks that:

* keep YAML 1.1 traps out: only true/false are booleans, `NO` and `on` stay
  strings, `12:30` stays a string, dates stay strings;
* record where every key and value starts, so a schema error found later on a
  plain path can still be reported as `file:line:col`;
* refuse duplicate keys (naming both lines), aliases (an alias bomb fails at the
  first alias instead of exploding later in a template) and non-core tags.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

import yaml

from gcmreview.core.diagnostics import Diagnostic, DiagnosticSink, Position, TextFix
from gcmreview.core.i18n import _
from gcmreview.load.explain import (
    TAB_WIDTHS,
    Explanation,
    explain,
    line_problems,
    moved_column,
)

MAX_FILE_BYTES = 2 * 1024 * 1024
"""Reviews are tens of kilobytes; anything this large is a mistake or an attack."""

_CORE = "tag:yaml.org,2002:"


class YamlMap(dict[Any, Any]):
    """A mapping that can say where it, its keys and its values start.

    It keeps its YAML node and looks positions up only when a diagnostic needs
    one: recording them all while loading would cost more than parsing.
    """

    __slots__ = ("node",)

    def __init__(self, node: yaml.MappingNode) -> None:
        super().__init__()
        self.node = node

    @property
    def pos(self) -> Position:
        return _pos(self.node.start_mark)

    def _pair(self, key: Any) -> tuple[yaml.Node, yaml.Node]:
        for key_node, value_node in self.node.value:
            if isinstance(key_node, yaml.ScalarNode) and _scalar(key_node) == key \
                    and type(_scalar(key_node)) is type(key):
                return key_node, value_node
        raise KeyError(key)

    def key_position(self, key: Any) -> Position:
        return _pos(self._pair(key)[0].start_mark)

    def value_position(self, key: Any) -> Position:
        return _pos(self._pair(key)[1].start_mark)


class YamlList(list[Any]):
    """A sequence that can say where it and its items start."""

    __slots__ = ("node",)

    def __init__(self, node: yaml.SequenceNode) -> None:
        super().__init__()
        self.node = node

    @property
    def pos(self) -> Position:
        return _pos(self.node.start_mark)

    def item_position(self, index: int) -> Position:
        return _pos(self.node.value[index].start_mark)


class _Refused(yaml.MarkedYAMLError):
    """Raised while building values; carries the diagnostic code to report."""

    def __init__(self, code: str, problem: str, mark: yaml.Mark, hint: str | None = None) -> None:
        super().__init__(problem=problem, problem_mark=mark)
        self.code = code
        self.hint = hint


def _pos(mark: yaml.Mark) -> Position:
    return Position(mark.line + 1, mark.column + 1)


class ReviewLoader(yaml.CSafeLoader):
    """CSafeLoader's parser and composer with a YAML 1.2-like core schema.

    Only composing (text to nodes) is used from PyYAML; `_build` turns nodes into
    values, which is faster than PyYAML's general constructor and lets us refuse
    aliases and tags as we go.
    """

    # A fresh table: none of PyYAML's YAML 1.1 resolvers are inherited.
    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, re.Pattern[str]]]]] = {}  # type: ignore[misc]

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        """PyYAML's, called for every scalar, without building its lists each time: a plain
        scalar whose first character starts no value of the schema is text."""
        if kind is yaml.ScalarNode and implicit[0] and not self.yaml_path_resolvers:
            first = value[:1]
            if first not in _STARTS:
                return _STR
            if first in _WORDS_FIRST and "\n" not in value:  # a word: no regex needed
                return _WORDS.get(value, _STR)
        return super().resolve(kind, value, implicit)


def _resolver(tag: str, pattern: str, first: str) -> None:
    ReviewLoader.add_implicit_resolver(_CORE + tag, re.compile(pattern, re.X), list(first))


_resolver("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF")
_resolver("int", r"^[-+]?[0-9]+$", "-+0123456789")
_resolver("float", r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$", "-+0123456789.")
_resolver("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""])  # type: ignore[arg-type]

_STR, _INT, _FLOAT = _CORE + "str", _CORE + "int", _CORE + "float"
_BOOL, _NULL, _MAP, _SEQ = _CORE + "bool", _CORE + "null", _CORE + "map", _CORE + "seq"
_STARTS = frozenset(ReviewLoader.yaml_implicit_resolvers)
"""The first characters of the values the core schema reads as other than text."""
_WORDS = {**dict.fromkeys(("true", "True", "TRUE", "false", "False", "FALSE"), _BOOL),
          **dict.fromkeys(("~", "null", "Null", "NULL"), _NULL)}
_WORDS_FIRST = frozenset("tTfFnN~")
"""Plain scalars starting so are a boolean or null when they are one of these words (the
resolvers' patterns), else text."""


def _refuse_tag(node: yaml.Node) -> _Refused:
    return _Refused("yaml-tag", _("the YAML tag {tag} is not allowed in review files").format(
                        tag=node.tag),
                    node.start_mark,
                    _("if this is text, put the whole value in double quotes (\"{tag} …\"); "
                      "review files hold no YAML tags").format(tag=node.tag))


def _scalar(node: yaml.ScalarNode) -> Any:
    tag, value = node.tag, node.value
    try:
        if tag == _STR:
            return value
        if tag == _INT:
            return int(value)  # decimal only: YAML 1.1 would read 0123 as octal 83
        if tag == _FLOAT:
            return float(value)
        if tag == _BOOL:
            return value in ("true", "True", "TRUE")
        if tag == _NULL:
            return None
    except ValueError:
        raise _Refused("yaml-syntax", _("{value} is not a valid number").format(value=value),
                       node.start_mark) from None
    raise _refuse_tag(node)


MAX_DEPTH = 64
"""Reviews nest six levels deep; this keeps every walker far from Python's recursion limit."""


class _Cut(NamedTuple):
    """Unquoted text that a `#` after a space cut short: the rest became a comment."""

    where: yaml.Mark
    """The `#`."""
    value: str
    rest: str


def _cut_by_comment(node: yaml.ScalarNode, text: str) -> _Cut | None:
    # Only unquoted text of several words: `status: planned  # …` is a comment by intent.
    if node.style or " " not in node.value:  # plain: None, or "" from libyaml
        return None
    end = node.end_mark.index
    line_end = text.find("\n", end)
    after = text[end:line_end if line_end >= 0 else len(text)]
    if not after.lstrip(" \t").startswith("#"):
        return None
    at = end + len(after) - len(after.lstrip(" \t"))
    mark = yaml.Mark("", at, node.end_mark.line, node.end_mark.column + (at - end),
                     None, None)  # type: ignore[arg-type]  # no buffer: PyYAML allows None
    return _Cut(mark, node.value, text[at:end + len(after)].rstrip())


def _build(node: yaml.Node, seen: set[int], text: str, depth: int = 0,
           cuts: list[_Cut] | None = None) -> Any:
    # A node met a second time is an alias: refuse it before it can fan out. A node
    # whose text starts with "&" has an anchor (a plain value cannot start with "&").
    index = node.start_mark.index
    if id(node) in seen or text[index:index + 1] == "&":
        raise _alias(node)
    seen.add(id(node))
    if depth > MAX_DEPTH:
        raise _too_deep(node)
    if isinstance(node, yaml.ScalarNode):
        # (a quoted text, or one of a single word, is never cut: most are not looked at)
        if cuts is not None and not node.style and " " in node.value and (
                cut := _cut_by_comment(node, text)) is not None:
            cuts.append(cut)
        return _scalar(node)
    if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
        data = YamlMap(node)
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Refused("yaml-syntax", _("a key must be a plain word or number, not a "
                                                "list or a mapping"), key_node.start_mark)
            # The key read here as `_build` would (keys are not cut): half the nodes of a
            # review are keys, and a call each was a fifth of the time of building.
            at = key_node.start_mark.index
            if id(key_node) in seen or text[at:at + 1] == "&":
                raise _alias(key_node)
            seen.add(id(key_node))
            if depth + 1 > MAX_DEPTH:
                raise _too_deep(key_node)
            key = key_node.value if key_node.tag == _STR else _scalar(key_node)
            if key in data:
                # The first key equal to this one (1, 1.0 and true are the same key).
                first = next(k for k, _v in node.value if isinstance(k, yaml.ScalarNode)
                             and _scalar(k) == key).start_mark.line + 1
                raise _Refused(
                    "duplicate-key",
                    _("the key `{key}` appears twice: first on line {first}, again on line "
                      "{again}").format(key=key, first=first, again=key_node.start_mark.line + 1),
                    key_node.start_mark,
                    _("merge the two entries into one"),
                )
            data[key] = _build(value_node, seen, text, depth + 1, cuts)
        return data
    if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
        items = YamlList(node)
        for item in node.value:
            items.append(_build(item, seen, text, depth + 1, cuts))
        return items
    raise _refuse_tag(node)


def _alias(node: yaml.Node) -> _Refused:
    return _Refused("yaml-alias",
                    _("anchors and aliases (&name, *name) are not allowed in review files"),
                    node.start_mark, _("write the value out in full where it is needed"))


def _too_deep(node: yaml.Node) -> _Refused:
    return _Refused("yaml-syntax", _("values are nested more than {depth} levels deep").format(
                        depth=MAX_DEPTH),
                    node.start_mark, _("review files need only a few levels of nesting"))


class Repaired(NamedTuple):
    """A file YAML refused, read once the mistakes of its lines are corrected as their
    hints say: so that one run reports the rest of its problems too. Never a review to
    build from: the file itself stays in error. (A named tuple: every `validate` defines
    it, and a dataclass costs half a millisecond to define.)"""

    data: YamlMap
    text: str
    """The corrected text the data was read from: the file's lines, some corrected."""
    changed: dict[int, tuple[str, str]]
    """Line number -> (the line in the file, the line as corrected)."""

    def position(self, pos: Position) -> Position:
        """A position in the corrected text as a position in the file."""
        lines = self.changed.get(pos.line)
        if lines is None:
            return pos
        return Position(pos.line, moved_column(lines[0], lines[1], pos.column))


@dataclass
class LoadedFile:
    """What loading one file gives: the data (None if unusable) and the problems."""

    path: Path
    shown_as: str
    data: YamlMap | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    repaired: Repaired | None = None
    """When YAML refused the file but its line mistakes could be read past: the data read
    so (`data` stays None)."""


def document_kind(raw: bytes) -> str | None:
    """What a file is, when it is an office document or a PDF rather than text."""
    if raw.startswith(b"%PDF"):
        return _("a PDF document")
    if raw.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _("an old Word document (.doc)")
    if raw.startswith(b"PK\x03\x04"):
        head = raw[:2048]
        if b"application/vnd.oasis.opendocument" in head:
            return _("an OpenDocument file (.odt)")
        if b"word/" in raw or b"[Content_Types].xml" in head:
            return _("a Word document (.docx)")
        return _("a ZIP archive")
    return None


def undecodable_at(raw: bytes, exc: UnicodeDecodeError) -> Position:
    """Where in the file the first byte that is not UTF-8 stands (line, column)."""
    line_start = raw.rfind(b"\n", 0, exc.start) + 1
    line = raw.count(b"\n", 0, exc.start) + 1
    return Position(line, len(raw[line_start:exc.start].decode("utf-8", errors="replace")) + 1)


def decode(raw: bytes, sink: DiagnosticSink) -> str | None:
    """UTF-8 with or without BOM; anything else is a positioned error."""
    document = document_kind(raw)
    if document:
        sink.error(Position(1, 1), "not-a-review-file",
                   _("this is {kind}, not a review file (review files are YAML text)").format(
                       kind=document),
                   _("to turn a filled-in Word form or a Word review into a review file, run "
                     "`gcmreview import FILE`"))
        return None
    hint = _("save the file as UTF-8 (in most editors: Save as > Encoding > UTF-8)")
    return utf8_text(raw, sink, Position(1, 1),
                     _("the file is saved as UTF-16; review files must be UTF-8"), hint)


def utf8_text(raw: bytes, sink: DiagnosticSink, start: Position, utf16: str, hint: str
              ) -> str | None:
    """UTF-8 with or without a byte-order mark; UTF-16 (`utf16`, said at `start`) or any
    other encoding is an error, with `hint` on how to save the file (review files and
    data files alike)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        sink.error(start, "encoding", utf16, hint)
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        sink.error(
            undecodable_at(raw, exc),
            "encoding",
            _("the file is not saved as UTF-8: byte 0x{byte:02X} here is not UTF-8 (the file "
              "was probably saved as Latin-1 or Windows-1252)").format(byte=raw[exc.start]),
            hint,
        )
        return None


def _compose(text: str) -> tuple[Any, list[_Cut]]:
    """The values of a YAML text, and the texts a comment cut short; raises YAML's errors
    and `_Refused`."""
    loader = ReviewLoader(text)
    try:
        root = loader.get_single_node()
        cuts: list[_Cut] = []
        data = _build(root, set(), text, 0, cuts) if root is not None else None
        return data, cuts
    finally:
        loader.dispose()


def parse(text: str, sink: DiagnosticSink) -> YamlMap | None:
    """Parse decoded text; syntax problems become diagnostics, not exceptions."""
    return read(text, sink)[0]


def read(text: str, sink: DiagnosticSink) -> tuple[YamlMap | None, Repaired | None]:
    """The data of a decoded text, problems as diagnostics. When YAML refuses it, every
    line mistake gcmreview recognises is reported, and the data read past them comes
    second (the data itself is then None)."""
    try:
        data, cuts = _compose(text)
    except _Refused as exc:
        assert exc.problem_mark is not None
        sink.error(_pos(exc.problem_mark), exc.code, str(exc.problem), exc.hint)
        return None, None
    except yaml.MarkedYAMLError:
        return None, _read_past(text, sink)
    except yaml.reader.ReaderError as exc:
        sink.error(_reader_position(text, exc.position), *_reader_problem(exc))
        return None, None
    if not _a_mapping(data, sink):
        return None, None
    _report_cuts(cuts, sink)
    return data, None


def _reader_position(text: str, at: int) -> Position:
    before = text[:at]
    return Position(before.count("\n") + 1, len(before) - before.rfind("\n"))


def _reader_problem(exc: yaml.reader.ReaderError) -> tuple[str, str, str]:
    return ("yaml-syntax",
            _("the character U+{code:04X} is not allowed in a YAML file").format(
                code=exc.character),
            _("remove it"))


def _a_mapping(data: Any, sink: DiagnosticSink) -> bool:
    if data is None:
        sink.error(Position(), "empty-file", _("the file is empty"),
                   _("start from `gcmreview new XX` (XX: the country code), which writes a "
                     "complete file to fill in"))
        return False
    if not isinstance(data, YamlMap):
        sink.error(Position(), "not-a-mapping",
                   _("the file must be made of `key: value` lines, starting with `country:`, "
                     "`review:` and `objectives:`"))
        return False
    return True


def _report_cuts(cuts: list[_Cut], sink: DiagnosticSink,
                 where: Callable[[Position], Position] = lambda pos: pos) -> None:
    for cut in cuts:
        full = f"{cut.value} {cut.rest}".replace("\\", "\\\\").replace('"', '\\"')
        sink.warning(where(_pos(cut.where)), "comment-in-text",
                     _("the text stops before `#`: after a space, `#` starts a comment, so "
                       "“{rest}” is not part of the text").format(rest=cut.rest),
                     _("to keep it, put the whole text in double quotes: \"{text}\"").format(
                         text=full))


MAX_REPAIRS = 200
"""Line mistakes read past in one file before giving up: beyond, the file is not YAML."""


class _Attempt:
    """Reading a refused file past its line mistakes, a tab standing for some spaces."""

    def __init__(self, found: list[tuple[Explanation, str]], lines: list[str]) -> None:
        self.found = found
        """Each mistake, with the line as it read (corrected so far) when it was found."""
        self.lines = lines
        """The lines, corrected."""
        self.data: Any = None
        self.cuts: list[_Cut] = []
        self.stop: Exception | None = None
        """What stopped the reading, when nothing more could be corrected."""


def _attempt(lines: list[str], tab_width: int) -> _Attempt:
    found, fixed = line_problems(lines, tab_width)
    attempt = _Attempt(found, fixed)
    for _round in range(MAX_REPAIRS):
        text = "\n".join(fixed)
        try:
            attempt.data, attempt.cuts = _compose(text)
            return attempt
        except (_Refused, yaml.reader.ReaderError) as exc:
            attempt.stop = exc
            return attempt
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            explained = explain(text, mark.line, mark.column, tab_width) if mark else None
            if explained is None or explained.repair is None \
                    or fixed[explained.line - 1] == explained.repair:
                attempt.stop = exc
                return attempt
            found.append((explained, fixed[explained.line - 1]))
            fixed[explained.line - 1] = explained.repair
    return attempt


def _read_past(text: str, sink: DiagnosticSink) -> Repaired | None:
    """Report every line mistake of a file YAML refused; the data read past them, if any.

    A tab may stand for 2, 4 or 8 spaces: each is tried, and the reading needing the
    fewest corrections wins. When two such readings give different data, the tab is
    ambiguous and `validate --fix` leaves it to the person who wrote it."""
    lines = text.split("\n")
    tabs = any("\t" in line[:len(line) - len(line.lstrip(" \t"))] for line in lines)
    attempts = [_attempt(lines, width) for width in (TAB_WIDTHS if tabs else TAB_WIDTHS[:1])]
    best = min(attempts, key=lambda a: (a.data is None, len(a.found)))
    rivals = [a for a in attempts if a is not best and a.data is not None
              and len(a.found) == len(best.found) and a.data != best.data]
    readable = best.data is not None
    for explained, seen in best.found:
        original = lines[explained.line - 1]
        fix = None
        if explained.fix is not None and readable and not (
                rivals and explained.code == "tab-character"):
            column, old, new = explained.fix
            column = moved_column(original, seen, column)
            if original[column - 1:column - 1 + len(old)] == old:
                fix = TextFix(explained.line, column, old, new)
        hint = explained.hint
        if rivals and explained.code == "tab-character" and hint:
            hint += "\n" + _("(the lines around it read differently with the tab as {one} "
                             "and as {other} spaces: only you can tell which is meant)").format(
                one=TAB_WIDTHS[attempts.index(best)], other=TAB_WIDTHS[attempts.index(rivals[0])])
        sink.error(Position(explained.line, moved_column(original, seen, explained.column)),
                   explained.code, explained.message, hint, fix)
    changed = {n + 1: (line, best.lines[n]) for n, line in enumerate(lines)
               if best.lines[n] != line}
    repaired = Repaired(best.data, "\n".join(best.lines), changed) if readable else None

    def where(pos: Position) -> Position:
        found = changed.get(pos.line)
        return pos if found is None else Position(pos.line,
                                                   moved_column(found[0], found[1], pos.column))

    stop = best.stop
    if isinstance(stop, _Refused) and stop.problem_mark is not None:
        if stop.problem_mark.line + 1 not in changed:  # not a consequence of a correction
            sink.error(_pos(stop.problem_mark), stop.code, str(stop.problem), stop.hint)
    elif isinstance(stop, yaml.reader.ReaderError):
        sink.error(where(_reader_position(repaired.text if repaired else "\n".join(best.lines),
                                          stop.position)), *_reader_problem(stop))
    elif isinstance(stop, yaml.MarkedYAMLError):
        mark = stop.problem_mark or stop.context_mark
        sink.error(where(_pos(mark)) if mark else Position(), "yaml-syntax",
                   _("YAML cannot read the file from here on (the parser says: "
                     "{problem})").format(problem=stop.problem or stop.context or "?"),
                   _("check the indentation and the quotes on this line and the one "
                     "before it"))
    if repaired is None or not isinstance(repaired.data, YamlMap):
        return None
    _report_cuts(best.cuts, sink, where)
    return repaired


REVIEW_SUFFIXES = (".yaml", ".yml")


def review_files_in(folder: Path) -> list[Path]:
    """The review files of a folder. Whatever else bears a review file's name (a symbolic
    link, a folder, a pipe) is listed too, to be reported (`read_file`), never read: the
    State's review is never left out without a word."""
    return sorted(p for p in folder.iterdir() if p.suffix in REVIEW_SUFFIXES)


_LOOKALIKE = re.compile(r"[^.]+\.ya?ml(?:\.[^.]+)+|[^.]+\.ya?ml", re.IGNORECASE)


def unread_files_in(folder: Path) -> list[Path]:
    """Files of a folder that look like review files but are not read: `MA.YAML` (review
    files end in .yaml, in small letters), `MA.yaml.txt` (Windows hides the last ending,
    and Notepad adds .txt). A folder's review is never left out without a word."""
    return sorted(p for p in folder.iterdir()
                  if p.suffix not in REVIEW_SUFFIXES and _LOOKALIKE.fullmatch(p.name)
                  and (p.is_file() or p.is_symlink()))


def review_name(path: Path) -> str:
    """The name a file that looks like a review file should have: `MA.yaml.txt` -> `MA.yaml`."""
    return path.name.split(".", 1)[0] + ".yaml"


def read_file(path: Path, shown_as: str, max_bytes: int = MAX_FILE_BYTES) -> bytes | LoadedFile:
    """A review file's bytes, or a LoadedFile saying why it is not read. I/O failures
    raise `OSError`."""
    if path.is_symlink() or not path.is_file():
        # Files arrive by pull request: a link could make us read any local file, and a
        # device or pipe could be read for ever.
        sink = DiagnosticSink(shown_as)
        if not path.is_symlink() and path.is_dir():
            sink.error(Position(), "not-a-regular-file",
                       _("this is a folder, not a review file; it is not read"),
                       _("move the review file out of it, named after the State's code"))
        else:
            sink.error(Position(), "not-a-regular-file",
                       _("the file is a symbolic link or not a regular file; it is not read"),
                       _("commit the file itself, not a link to it"))
        return LoadedFile(path, shown_as, None, sink.items)
    if path.stat().st_size > max_bytes:  # checked before reading a huge file into memory
        return _too_large(path, shown_as, path.stat().st_size, max_bytes)
    return path.read_bytes()


PEEK_BYTES = 8192
"""How far into a file `peek` looks: the `review:` header is in its first lines."""
_COLUMN_0 = re.compile(rb"^[^\s#]", re.MULTILINE)
"""A line starting at the left margin: where a top-level key's lines end."""


def peek(raw: bytes, key: str) -> Any:
    """The value of the top-level `key`, read from the first lines of a file only, up to
    the next top-level key (`translate export` passes over the reviews already in the
    language asked: 64 of 193 in the benchmark, 0.19 s to load them in full). None when
    that cannot tell: no such key near the start, or the lines up to it not YAML alone;
    the caller then loads the file, as it would have."""
    found = re.search(rb"^" + re.escape(key.encode()) + rb":", raw[:PEEK_BYTES], re.MULTILINE)
    if found is None:
        return None
    end = _COLUMN_0.search(raw, found.end(), PEEK_BYTES)
    if end is None:
        return None
    try:
        data, _cuts = _compose(raw[:end.start()].decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError):  # _Refused is a YAMLError
        return None
    return data.get(key) if isinstance(data, YamlMap) else None


def load_file(path: Path, shown_as: str, max_bytes: int = MAX_FILE_BYTES) -> LoadedFile:
    """Read, decode and parse one review file. I/O failures raise `OSError`."""
    raw = read_file(path, shown_as, max_bytes)
    return raw if isinstance(raw, LoadedFile) else load_bytes(raw, path, shown_as, max_bytes)


def _too_large(path: Path, shown_as: str, size: int, max_bytes: int) -> LoadedFile:
    sink = DiagnosticSink(shown_as)
    sink.error(Position(), "file-too-large",
               _("the file is {size} bytes; review files may be at most {limit} bytes").format(
                   size=size, limit=max_bytes),
               _("keep attachments out of the review; a review's text rarely needs more than "
                 "100 KB"))
    return LoadedFile(path, shown_as, None, sink.items)


def load_bytes(raw: bytes, path: Path, shown_as: str,
               max_bytes: int = MAX_FILE_BYTES) -> LoadedFile:
    """Size, encoding, then YAML: for files on disk and for blobs read from git."""
    if len(raw) > max_bytes:
        return _too_large(path, shown_as, len(raw), max_bytes)
    sink = DiagnosticSink(shown_as)
    text = decode(raw, sink)
    data, repaired = read(text, sink) if text is not None else (None, None)
    return LoadedFile(path, shown_as, data, sink.items, repaired)


def load_text(text: str, shown_as: str = "<string>") -> LoadedFile:
    """Parse YAML given as text (tests, configuration snippets)."""
    sink = DiagnosticSink(shown_as)
    data, repaired = read(text, sink)
    return LoadedFile(Path(shown_as), shown_as, data, sink.items, repaired)


def position_of(data: Any, path: Sequence[Any], *, key: bool = False) -> Position:
    """Where the value at `path` starts (or its key, with key=True).

    Falls back to the nearest ancestor that exists, so a schema error on a
    missing child still points somewhere useful.
    """
    node = data
    found = getattr(data, "pos", Position())
    for i, part in enumerate(path):
        last = i == len(path) - 1
        if isinstance(node, YamlMap) and part in node:
            found = node.key_position(part) if key and last else node.value_position(part)
            node = node[part]
        elif isinstance(node, YamlList) and isinstance(part, int) and 0 <= part < len(node):
            found = node.item_position(part)
            node = node[part]
        else:
            break
    return found


def node_at(data: Any, path: Sequence[Any], *, key: bool = False) -> yaml.Node | None:
    """The YAML node of the value at `path` (of its key, with key=True), which knows where
    its text starts and ends in the file; None when there is no such value."""
    node: Any = data
    found: yaml.Node | None = None
    for i, part in enumerate(path):
        if isinstance(node, YamlMap) and part in node:
            key_node, value_node = node._pair(part)
            found = key_node if key and i == len(path) - 1 else value_node
            node = node[part]
        elif isinstance(node, YamlList) and isinstance(part, int) and 0 <= part < len(node):
            found = node.node.value[part]
            node = node[part]
        else:
            return None
    return found


def plain_style(data: Any, path: Sequence[Any]) -> bool:
    """Is the value at `path` written without quotes (nor as a block)? Then quote marks
    around it are the writer's attempt at YAML quotes, not part of the text."""
    node = node_at(data, path)
    return isinstance(node, yaml.ScalarNode) and not node.style
