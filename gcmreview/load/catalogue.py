"""The GCM catalogue: objectives, guiding principles and IMRF round tables.

Loaded from the data file shipped in the package, optionally completed by a
workspace file (a secretariat adding official Arabic titles, say). Lookups never
fail silently: a title missing in a language comes back as the English title
flagged as a fallback, and every output shows that flag.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

from gcmreview.core.languages import FALLBACK_LANGUAGE
from gcmreview.load.loader import load_file


class Label(NamedTuple):
    """A catalogue text in the language asked for, or the English one flagged.

    A named tuple: reports ask for tens of thousands of these.
    """

    text: str
    lang: str
    fallback: bool

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Objective:
    number: int
    titles: dict[str, str]
    shorts: dict[str, str]
    round_table: int

    def title(self, lang: str) -> Label:
        return _pick(self.titles, lang)

    def short(self, lang: str) -> Label:
        return _pick(self.shorts, lang)


@dataclass(frozen=True)
class Principle:
    slug: str
    letter: str
    names: dict[str, str]

    def name(self, lang: str) -> Label:
        return _pick(self.names, lang)

    def label(self, lang: str) -> str:
        """“(a) Priorité à la dimension humaine”: how messages name it (its slug is the
        file's word, not the reader's)."""
        return f"({self.letter}) {self.name(lang).text}"


@dataclass(frozen=True, eq=False)  # hashed by identity: checkers are cached per catalogue
class Catalogue:
    compact: dict[str, str]
    objectives: dict[int, Objective]
    principles: dict[str, Principle]
    round_tables: dict[int, tuple[int, ...]]
    sources: dict[str, str]
    overrides_from: tuple[str, ...] = field(default=())

    def objective(self, number: int) -> Objective:
        return self.objectives[number]

    def principle(self, slug: str) -> Principle:
        return self.principles[slug]

    def compact_name(self, lang: str) -> Label:
        return _pick(self.compact, lang)

    def missing(self, lang: str) -> dict[str, list[str]]:
        """What has no official text in `lang`: shown by `catalogue` and in report notes."""
        return {
            "objective titles": [str(o.number) for o in self.objectives.values()
                                 if lang not in o.titles],
            "objective short labels": [str(o.number) for o in self.objectives.values()
                                       if lang not in o.shorts],
            "guiding principles": [p.slug for p in self.principles.values() if lang not in p.names],
        }

    def with_overrides(self, data: dict[str, Any], origin: str) -> Catalogue:
        """A new catalogue with a validated workspace override file applied."""
        objectives = dict(self.objectives)
        for number, entry in (data.get("objectives") or {}).items():
            old = objectives[number]
            objectives[number] = replace(
                old,
                titles={**old.titles, **(entry.get("title") or {})},
                shorts={**old.shorts, **(entry.get("short") or {})},
            )
        principles = dict(self.principles)
        for slug, entry in (data.get("principles") or {}).items():
            old_p = principles[slug]
            principles[slug] = replace(old_p, names={**old_p.names, **(entry.get("name") or {})})
        return replace(
            self,
            compact={**self.compact, **(data.get("compact") or {})},
            objectives=objectives,
            principles=principles,
            sources={**self.sources, **{
                lang: f"{self.sources[lang]} Completed by {origin}: {text}"
                if lang in self.sources else f"{origin}: {text}"
                for lang, text in data["sources"].items()}},
            overrides_from=(*self.overrides_from, origin),
        )


def _pick(texts: dict[str, str], lang: str) -> Label:
    if lang in texts:
        return Label(texts[lang], lang, fallback=False)
    return Label(texts[FALLBACK_LANGUAGE], FALLBACK_LANGUAGE, fallback=True)


def builtin_data_path() -> Path:
    return Path(str(resources.files("gcmreview") / "data" / "catalogue.yaml"))


@cache
def builtin() -> Catalogue:
    """The catalogue shipped with the package (parsed once per process)."""
    loaded = load_file(builtin_data_path(), "catalogue.yaml")
    if loaded.data is None:  # a packaging bug, not a user error
        raise RuntimeError(f"built-in catalogue is broken: {loaded.diagnostics}")
    return from_data(loaded.data)


def from_data(data: dict[str, Any]) -> Catalogue:
    round_of = {n: rt for rt, numbers in data["round_tables"].items() for n in numbers}
    objectives = {
        n: Objective(n, dict(e["title"]), dict(e.get("short") or {}), round_of[n])
        for n, e in sorted(data["objectives"].items())
    }
    principles = {
        slug: Principle(slug, entry["letter"], dict(entry["name"]))
        for slug, entry in data["principles"].items()
    }
    round_tables = {rt: tuple(numbers) for rt, numbers in sorted(data["round_tables"].items())}
    return Catalogue(dict(data["compact"]), objectives, principles, round_tables,
                     dict(data["sources"]))
