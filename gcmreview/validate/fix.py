"""`gcmreview validate --fix`: make the changes the diagnostics' hints describe, when they
are safe and leave no choice, and nothing else.

What may be fixed is decided where the problem is found: a diagnostic carries a fix
(gcmreview.core.diagnostics) only when the change is unambiguous (a tab in the
indentation, Word's quotes used as YAML's, a status or a country written in words,
Arabic-Indic digits in an objective number, an invisible mark nobody means). Here each
fix becomes an edit of the few characters concerned; every other byte of the file stays
as it was (comments, line endings, layout). Before anything is kept, the edited text is
read again with gcmreview's own loader: it must read (if the file did) and give the same
data but for the values fixed; a fix that fails this is left out.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from gcmreview.core.diagnostics import Diagnostic, DiagnosticSink, TextFix, ValueFix
from gcmreview.load.catalogue import Catalogue
from gcmreview.load.explain import GUILLEMET_PADDING, straight_quoted
from gcmreview.load.loader import (
    LoadedFile,
    Repaired,
    YamlMap,
    decode,
    node_at,
    read,
    read_file,
)
from gcmreview.validate.checks import Options, check_loaded

BOM = b"\xef\xbb\xbf"
MAX_ROUNDS = 4
"""A fix can make another possible (the tab gone, the status on that line can be read):
the file is checked again after each round."""


@dataclass(frozen=True)
class Change:
    """One change made to a file (or, with --diff, that would be)."""

    line: int
    column: int
    code: str
    """The rule code of the problem it fixes."""
    before: str
    """The text replaced."""
    after: str
    """What replaces it."""


@dataclass
class FileFix:
    """A file and what --fix does to it."""

    path: Path
    shown_as: str
    before: bytes
    after: bytes
    changes: list[Change] = field(default_factory=list)


@dataclass(frozen=True)
class _Edit:
    start: int
    end: int
    new: str
    change: Change
    fix: TextFix | ValueFix


@dataclass(frozen=True)
class _Reading:
    """What gcmreview reads in a text: its data, and whether YAML read it as it is."""

    data: Any
    as_written: bool


def _line_starts(text: str) -> list[int]:
    starts = [0]
    at = text.find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return starts


def _reading(text: str, shown: str) -> tuple[YamlMap | None, Repaired | None]:
    return read(text, DiagnosticSink(shown))


def _plain(value: Any) -> Any:
    """The data without its YAML nodes, to change and compare."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _outcome(text: str, shown: str) -> _Reading | None:
    data, repaired = _reading(text, shown)
    if data is not None:
        return _Reading(_plain(data), True)
    if repaired is not None:
        return _Reading(_plain(repaired.data), False)
    return None


def _expected(base: Any, fixes: Iterable[TextFix | ValueFix]) -> Any:
    """The data as the fixes should leave it: each value (or key) fixed, nothing else.
    Values first, then keys from the deepest: a path names the keys as they were."""
    data = copy.deepcopy(base)
    # A line's fix changes nothing here: the reading already had the line corrected.
    values = [f for f in fixes if isinstance(f, ValueFix) and f.path]
    for fix in sorted(values, key=lambda f: (f.key, -len(f.path))):
        parent = data
        for part in fix.path[:-1]:
            parent = parent[part]
        last = fix.path[-1]
        if fix.key and isinstance(parent, dict):
            items = [(fix.value if k == last else k, v) for k, v in parent.items()]
            parent.clear()
            parent.update(items)
        else:
            parent[last] = fix.value
    return data


def _written(value: object) -> str | None:
    """A value as a plain YAML word: the codes and numbers fixes write."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.replace("_", "").isalnum() and value.isascii():
        return value
    return None


def _value_edit(fix: ValueFix, d: Diagnostic, text: str, starts: list[int],
                data: YamlMap, source: str, changed: dict[int, tuple[str, str]]
                ) -> _Edit | None:
    """The edit of a value's text. `data` was read from `source`, which is `text` or, for
    a file YAML refused, `text` with some lines corrected (`changed`): a value on such a
    line is left for the next round, once the line itself is fixed."""
    node = node_at(data, fix.path, key=fix.key)
    if not isinstance(node, yaml.ScalarNode):
        return None
    first, last = node.start_mark, node.end_mark
    if any(n + 1 in changed for n in range(first.line, last.line + 1)):
        return None
    old = source[first.index:last.index]
    # libyaml's marks count characters of the text it read; lines are counted as the
    # loader split them when it corrected some.
    start = first.index if source is text else starts[first.line] + first.column
    if text[start:start + len(old)] != old or not old:
        return None
    if fix.edit == "quotes":  # the quote marks only: a text over several lines keeps them
        inner = old[1:-1].strip(GUILLEMET_PADDING) if old.startswith("\u00ab") else old[1:-1]
        new = straight_quoted(inner) if len(old) >= 2 else None
    elif fix.edit == "drop":
        new = "".join(ch for ch in old if ch not in fix.drop)
    else:
        new = _written(fix.value)
    if new is None or new == old:
        return None
    return _Edit(start, start + len(old), new,
                 Change(first.line + 1, first.column + 1, d.code, old, new), fix)


def _text_edit(fix: TextFix, d: Diagnostic, text: str, starts: list[int]) -> _Edit | None:
    if not 1 <= fix.line <= len(starts):
        return None
    start = starts[fix.line - 1] + fix.column - 1
    if text[start:start + len(fix.old)] != fix.old:
        return None
    return _Edit(start, start + len(fix.old), fix.new,
                 Change(fix.line, fix.column, d.code, fix.old, fix.new), fix)


def _edits(diagnostics: list[Diagnostic], text: str, loaded: LoadedFile) -> list[_Edit]:
    starts = _line_starts(text)
    if loaded.data is not None:
        data, source, changed = loaded.data, text, {}
    elif loaded.repaired is not None:
        data, source, changed = (loaded.repaired.data, loaded.repaired.text,
                                 loaded.repaired.changed)
    else:
        return []
    edits: list[_Edit] = []
    for d in diagnostics:
        if isinstance(d.fix, TextFix):
            edit = _text_edit(d.fix, d, text, starts)
        elif isinstance(d.fix, ValueFix):
            edit = _value_edit(d.fix, d, text, starts, data, source, changed)
        else:
            continue
        if edit is not None:
            edits.append(edit)
    edits.sort(key=lambda e: (e.start, e.end))
    kept: list[_Edit] = []
    for edit in edits:  # two fixes of the same characters: the first only
        if not kept or edit.start >= kept[-1].end:
            kept.append(edit)
    return kept


def _applied(text: str, edits: list[_Edit]) -> str:
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[:edit.start] + edit.new + text[edit.end:]
    return text


def _verified(text: str, edits: list[_Edit], shown: str) -> list[_Edit]:
    """The edits whose result reads as it should: all of them if together they do, else
    those that do one by one (a fix that breaks the file or changes other data is left)."""
    base = _outcome(text, shown)
    if base is None:
        return []

    def good(chosen: list[_Edit]) -> bool:
        after = _outcome(_applied(text, chosen), shown)
        if after is None or not (after.as_written or not base.as_written):
            return False  # never a file YAML read turned into one it refuses
        try:
            return bool(after.data == _expected(base.data, (e.fix for e in chosen)))
        except (KeyError, IndexError, TypeError):
            return False

    if good(edits):
        return edits
    kept: list[_Edit] = []
    for edit in edits:
        if good([*kept, edit]):
            kept.append(edit)
    return kept


def fix_file(path: Path, shown: str, catalogue: Catalogue, options: Options) -> FileFix | None:
    """What --fix does to one file (nothing written here); None when it cannot be read
    as text. I/O failures raise `OSError`."""
    raw = read_file(path, shown)
    if isinstance(raw, LoadedFile):
        return None
    text = decode(raw, DiagnosticSink(shown))
    if text is None:
        return None
    result = FileFix(path, shown, raw, raw)
    for _round in range(MAX_ROUNDS):
        sink = DiagnosticSink(shown)  # the reading's own diagnostics fix its lines
        data, repaired = read(text, sink)
        loaded = LoadedFile(path, shown, data, sink.items, repaired)
        checked = check_loaded(loaded, catalogue, options)
        edits = _edits([d for d in checked.diagnostics if d.fix is not None], text, loaded)
        kept = _verified(text, edits, shown) if edits else []
        if not kept:
            break
        text = _applied(text, kept)
        result.changes += [e.change for e in kept]
    if result.changes:
        result.after = (BOM if raw.startswith(BOM) else b"") + text.encode("utf-8")
    return result
