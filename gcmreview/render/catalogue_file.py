"""A workspace's catalogue override file with official texts added: what `translate import`
writes from a catalogue file a translator filled with the official wording.

Edited through ruamel.yaml's round trip, like the review files `import` writes: the
file's comments and order stay, each text is added under its objective or principle
in double quotes, and the language's source is said under `sources:` (the format
refuses wording whose source is not named: docs/format.md, section 9).
"""

from __future__ import annotations

import io

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

Key = tuple[str | int, ...]
"""Where a text goes: ("objectives", 7, "title"), ("principles", "human-rights", "name"),
("compact",)."""


def _yaml() -> YAML:
    y = YAML()
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def _child(node: CommentedMap, key: str | int) -> CommentedMap:
    found = node.get(key)
    if not isinstance(found, CommentedMap):
        found = CommentedMap()
        node[key] = found
    return found


def with_texts(original: str | None, lang: str, texts: dict[Key, str], source: str | None,
               header: str) -> str:
    """The override file (`original`, or a new one headed by `header`) with `texts` in
    `lang` added, and `source` as where that language's wording comes from."""
    y = _yaml()
    loaded = y.load(original) if original and original.strip() else None
    node = loaded if isinstance(loaded, CommentedMap) else CommentedMap()
    if loaded is None:
        node.yaml_set_start_comment(header)
    sources = _child(node, "sources")
    if source is not None:
        sources[lang] = DoubleQuotedScalarString(source)
    for key, text in texts.items():
        at = node
        for part in key:
            at = _child(at, part)
        at[lang] = DoubleQuotedScalarString(text)
    out = io.StringIO()
    y.dump(node, out)
    return out.getvalue()
