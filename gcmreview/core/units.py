"""What of a review a translator translates: its translation units, read from the format.

Every narrative, every line and every item of a list of lines that the format marks
translatable (gcmreview.core.format, `Field.translatable`) is one unit, in the
format's order: the review's own facts, the narrative sections, the objectives by
number, the guiding principles, the reservations. A unit is named by its path in
the review file, `objectives/7/summary` or `objectives/7/measures/0/title`: the same
in every run, in XLIFF (as `objectives.7.summary`: XLIFF ids take no slash), in the
bilingual Word file and in every message.

A unit is tied to the text it translates by that text's hash (`source_hash`): when
the original changes, its translation is stale.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Generic, TypeVar, overload

from gcmreview.core import format
from gcmreview.core.narrative import has_text
from gcmreview.core.narrative import key as text_key
from gcmreview.core.segments import Segment, tokenize

Path_ = tuple[str | int, ...]
V = TypeVar("V")


class lazy(Generic[V]):
    """`functools.cached_property` without its lock, which Python 3.11 takes at each first
    read: a unit's segment and hash are read once each, 47,000 times in an export of 129
    reviews (0.55 µs a read with the lock, 0.2 µs without, measured)."""

    def __init__(self, function: Callable[[Any], V]) -> None:
        self.function = function
        self.name = function.__name__

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> lazy[V]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> V: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> lazy[V] | V:
        if instance is None:
            return self
        # kept in the instance, where the next read finds it before this descriptor
        value = instance.__dict__[self.name] = self.function(instance)
        return value


@dataclass(frozen=True)
class Unit:
    """One text of a review to translate."""

    path: Path_
    text: str
    narrative: bool
    """Markdown (a narrative), or a plain line."""
    section: format.Section
    field: format.Field

    @lazy
    def name(self) -> str:
        """`objectives/7/summary`: how people and messages name it."""
        return unit_name(self.path)

    @lazy
    def xml_id(self) -> str:
        """`objectives.7.summary`: an XML name token, as XLIFF ids must be."""
        return xml_id(self.path)

    @lazy
    def hash(self) -> str:
        return source_hash(self.text)

    @lazy
    def segment(self) -> Segment:
        return _segment(self.text, self.narrative)


@lru_cache(maxsize=16384)
def _segment(text: str, narrative: bool) -> Segment:
    """A text cut once however often it recurs (the same sentence in several reviews, an
    export and the store read in one run): segments are immutable."""
    return tokenize(text, narrative=narrative)


def source_hash(text: str) -> str:
    """What ties a translation to the original it translates (sha-256, 128 bits)."""
    return text_key(text)


def unit_name(path: Path_) -> str:
    return "/".join(str(p) for p in path)


def xml_id(path: Path_) -> str:
    return ".".join(str(p) for p in path)


@lru_cache(maxsize=8192)
def path_of(name: str) -> Path_ | None:
    """A unit's path from its name or XML id (keys never hold a dot or a slash); the
    objectives' numbers and list indices as numbers. None for what is no path. (The same
    names recur in every file read: each is cut once.)"""
    parts = name.split("/") if "/" in name else name.split(".")
    if not all(parts) or len(parts) > 8:
        return None
    return tuple(int(p) if p.isdigit() and p == str(int(p)) else p for p in parts)


def _part(path: Path_, part: format.Part, entry: Any, section: format.Section
          ) -> Iterator[Unit]:
    if not isinstance(entry, dict):
        return
    for member in part.members:
        value = entry.get(member.key)
        if isinstance(member, format.Field):
            if not member.translatable:
                continue
            if member.kind == "lines":
                for i, item in enumerate(value if isinstance(value, list) else ()):
                    if isinstance(item, str) and has_text(item):
                        yield Unit((*path, member.key, i), item, False, section, member)
            elif isinstance(value, str) and has_text(value):
                yield Unit((*path, member.key), value, member.kind == "narrative", section,
                           member)
            continue
        columns = [c for c in member.columns if c.translatable]
        if not columns:
            continue
        for i, row in enumerate(value if isinstance(value, list) else ()):
            for column in columns:
                text = row.get(column.key) if isinstance(row, dict) else None
                if isinstance(text, str) and has_text(text):
                    yield Unit((*path, member.key, i, column.key), text,
                               column.kind == "narrative", section, column)


def units(data: Any, principle_order: Iterable[str] = ()) -> list[Unit]:
    """Every translatable text of a review (loaded data, valid or not), in the format's
    order; the guiding principles in `principle_order` (the catalogue's), then any other."""
    if not isinstance(data, dict):
        return []
    found: list[Unit] = []
    for section in format.sections():
        value = data.get(section.key)
        part = section.part
        if part is None or value is None:
            continue
        if section.shape in ("meta", "single"):
            found += _part((section.key,), part, value, section)
        elif section.shape == "objectives" and isinstance(value, dict):
            for number in sorted(k for k in value if isinstance(k, int)):
                found += _part((section.key, number), part, value[number], section)
        elif section.shape == "principles" and isinstance(value, dict):
            order = [s for s in principle_order if s in value]
            order += [s for s in value if isinstance(s, str) and s not in order]
            for slug in order:
                found += _part((section.key, slug), part, value[slug], section)
        elif section.shape == "list" and isinstance(value, list):
            for i, entry in enumerate(value):
                found += _part((section.key, i), part, entry, section)
        elif section.shape == "sources" and isinstance(value, list):
            found += _part((), part, {part.groups[0].key: value}, section)
    return found
