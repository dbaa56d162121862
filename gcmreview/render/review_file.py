"""Review data as a review file (YAML text): what `gcmreview import` writes.

Two ways, documented in docs/word.md:

- Over an existing file, `updated` changes only what the data changed. The
  file is edited through ruamel.yaml's round-trip mode, so its comments, key
  order, quoting and line folding stay where the values did not change, and
  the pull request shows the focal point's edits, not a reformatted file.
- A new file is written by `canonical` in the layout `gcmreview new` uses: keys
  in the format's order, a comment with each objective's and principle's
  title, lines in double quotes, narratives as folded (`>-`) or literal (`|-`)
  blocks.

The caller reads the text back with gcmreview's own loader and checks it gives
the data (gcmreview.pipeline-level import), so nothing here can change a value
unnoticed.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
)

from gcmreview.core import format
from gcmreview.load.catalogue import Catalogue

Path_ = tuple[str | int, ...]
Titles = Callable[[str | int, str | int], str]

WIDTH = 88
"""Folded narratives are wrapped to this many columns, as in the examples."""


def _keyed(path: Path_) -> bool:
    """The objectives (by number) or the principles (by slug): keys in their own order,
    each with its title as a comment in a new file."""
    return len(path) == 1 and any(s.key == path[0] and s.shape in ("objectives", "principles")
                                  for s in format.sections())


def _rank(order: tuple[str, ...], key: str | int) -> int:
    return order.index(key) if key in order else len(order)


def _needs_quotes(text: str) -> bool:
    """Plain text YAML 1.1 readers would take for something else (yes, 1e3, 2020-01-01)."""
    resolved = yaml.resolver.Resolver().resolve(yaml.ScalarNode, text, (True, False))
    return resolved != "tag:yaml.org,2002:str"


def _shown_as_is(char: str) -> bool:
    """A character a block or a plain line can hold as it is: printable, or a no-break
    space (French text from Word is full of them). Controls and invisible marks go in
    double quotes, where they show as escapes."""
    return char.isprintable() or unicodedata.category(char) == "Zs"


def _folded(text: str, indent: int) -> FoldedScalarString:
    folded = FoldedScalarString(text)
    positions, start = [], 0
    width = WIDTH - indent
    for i, char in enumerate(text):
        # Fold only at a single space between two visible characters: anything
        # else would change the text when read back.
        if (char == " " and i - start > width and 0 < i < len(text) - 1
                and not text[i - 1].isspace() and not text[i + 1].isspace()):
            positions.append(i)
            start = i
    folded.fold_pos = positions
    return folded


def _foldable(text: str) -> bool:
    """Text a folded block holds as it is: lines with nothing invisible at their ends and
    none starting with a space (a folded block would keep those lines apart)."""
    return bool(text) and text == text.strip() and all(
        line == line.strip() and all(_shown_as_is(c) for c in line)
        for line in text.split("\n"))


def _refolded(old: FoldedScalarString, text: str, indent: int) -> FoldedScalarString:
    """`text` folded as `old` was: each paragraph (line) found unchanged in the old text
    keeps its line breaks, the others are folded anew."""
    old_text = str(old)
    folds = sorted(getattr(old, "fold_pos", []) or [])
    kept: dict[str, list[int]] = {}
    start = 0
    for line in old_text.split("\n"):
        end = start + len(line)
        kept.setdefault(line, [p - start for p in folds if start < p < end])
        start = end + 1
    positions: list[int] = []
    start = 0
    for line in text.split("\n"):
        if line in kept:
            positions += [start + p for p in kept[line]]
        else:
            positions += [start + p for p in getattr(_folded(line, indent), "fold_pos", [])]
        start += len(line) + 1
    folded = FoldedScalarString(text)
    folded.fold_pos = positions
    return folded


def _like(old: Any, value: Any, path: Path_) -> Any:
    """A changed value, in the style the file gave the old one where it can: an edited
    narrative written folded stays folded, its untouched paragraphs line for line."""
    if isinstance(old, FoldedScalarString) and isinstance(value, str) and _foldable(value):
        return _refolded(old, value, 2 * len(path) + 2)
    if isinstance(old, LiteralScalarString) and isinstance(value, str) and "\n" in value \
            and value[0] not in " \t\n" and all(c == "\n" or _shown_as_is(c) for c in value):
        return LiteralScalarString(value)
    return styled(value, path)


def styled(value: Any, path: Path_, titles: Titles | None = None) -> Any:
    """`value` as ruamel nodes in the canonical style for where it stands; `titles`
    gives the comment above each objective and principle of a new file."""
    key = path[-1] if path else None
    if isinstance(value, dict):
        order = format.key_order(path)
        out = CommentedMap()
        items = value.items() if order is None else sorted(
            value.items(), key=lambda item: _rank(order, item[0]))
        for k, v in items:
            out[k] = styled(v, (*path, k), titles)
            if titles is not None and _keyed(path):
                out.yaml_set_comment_before_after_key(k, before=titles(path[0], k), indent=2)
        return out
    if isinstance(value, list):
        seq = CommentedSeq(styled(v, (*path, i), titles) for i, v in enumerate(value))
        if key in format.list_keys() and all(not isinstance(v, (dict, list)) for v in value):
            seq.fa.set_flow_style()
        return seq
    if not isinstance(value, str):
        return value
    if key in format.narrative_keys():
        if value == "":
            return DoubleQuotedScalarString("")
        if "\n" in value:
            # A literal block keeps lines as they are (lists, paragraphs); its
            # chomping keeps a final line break. Text a block cannot hold as is
            # (leading spaces, control characters) goes in double quotes.
            plain_lines = value[0] not in " \t\n" and all(
                c == "\n" or _shown_as_is(c) for c in value)
            return LiteralScalarString(value) if plain_lines else DoubleQuotedScalarString(value)
        if value != value.strip() or not all(_shown_as_is(c) for c in value):
            return DoubleQuotedScalarString(value)
        return _folded(value, 2 * len(path) + 2)
    if key in format.keys_of_kind("code", "choice") or path[-2:-1] == ("principles",):
        # a code, or a principle slug
        return DoubleQuotedScalarString(value) if _needs_quotes(value) else value
    return DoubleQuotedScalarString(value)


def _yaml() -> YAML:
    y = YAML()
    y.preserve_quotes = True
    y.width = 4096  # folding is ours (fold positions): ruamel must not wrap lines
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def _dump(node: Any) -> str:
    out = io.StringIO()
    _yaml().dump(node, out)
    return out.getvalue()


def catalogue_titles(catalogue: Catalogue, lang: str) -> Titles:
    """Comments naming each objective and principle, as `gcmreview new` writes them."""
    def title(section: str | int, key: str | int) -> str:
        if section == "objectives" and key in catalogue.objectives:
            return f"{key}. {catalogue.objective(int(key)).title(lang).text}"
        if section == "principles" and key in catalogue.principles:
            p = catalogue.principle(str(key))
            return f"({p.letter}) {p.name(lang).text}"
        return str(key)
    return title


def canonical(data: dict[str, Any], titles: Titles, header: list[str]) -> str:
    """A new review file in `gcmreview new`'s layout; `header` lines become comments."""
    node = styled(data, (), titles)
    text = _dump(node)
    # A blank line between top-level sections, as in the examples.
    lines: list[str] = []
    for line in text.splitlines():
        if line and not line[0].isspace() and not line.startswith("#") and lines \
                and not lines[-1].startswith("#"):
            lines.append("")
        lines.append(line)
    comments = [f"# {h}" for h in header]
    return "\n".join([*comments, *lines]) + "\n"


def plain(value: Any) -> Any:
    """ruamel (or loader) nodes as plain Python data, to compare with the import's."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def _merge(node: CommentedMap, new: dict[str, Any], path: Path_) -> None:
    for key in [k for k in node if k not in new]:
        del node[key]
    order = format.key_order(path)
    for key, value in new.items():
        here = (*path, key)
        if key in node:
            old = node[key]
            if plain(old) == value:
                continue
            # An emptied mapping is written anew: ruamel would keep the comments of its
            # old keys and write `{}` after them, which no longer reads back.
            if isinstance(old, CommentedMap) and isinstance(value, dict) and value:
                _merge(old, value, here)
                continue
            if isinstance(old, list) and isinstance(value, list) and len(old) == len(value) \
                    and all(isinstance(a, dict) and isinstance(b, dict)
                            for a, b in zip(old, value, strict=True)):
                for i, (a, b) in enumerate(zip(old, value, strict=True)):
                    _merge(a, b, (*here, i))
                continue
            if isinstance(value, dict | list) and not value:
                node.ca.items.pop(key, None)  # emptied: the comments on its entries go too
            node[key] = _like(old, value, here)
            continue
        rank = _rank(order, key) if order is not None else None
        keys = list(node)
        if order is None or rank is None:  # objectives and principles: by number
            position = len(keys)
            if isinstance(key, int):
                position = next((i for i, k in enumerate(keys) if isinstance(k, int) and k > key),
                                len(keys))
        else:
            position = next((i for i, k in enumerate(keys) if _rank(order, k) > rank), len(keys))
        node.insert(position, key, styled(value, here))


def updated(original: str, data: dict[str, Any]) -> str:
    """The existing file's text with only what changed in `data` changed."""
    node = _yaml().load(original)
    if not isinstance(node, CommentedMap):
        raise ValueError("not a mapping")
    _merge(node, data, ())
    return _dump(node)
