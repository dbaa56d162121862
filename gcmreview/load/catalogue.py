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

from gcmreview.core.i18n import principle_mark
from gcmreview.core.indicators import AGE_BAND, sort_key
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
        name = self.name(lang)
        return f"{principle_mark(self.letter, name.lang)} {name.text}"

    def mark(self, lang: str) -> str:
        """Its letter as written beside its name in `lang` (`principle_mark`): in the
        language the name is shown in, so that "(a) People-centred (EN)" stays one English
        unit in an Arabic report that has no Arabic name for it."""
        return principle_mark(self.letter, self.name(lang).lang)


class Link(NamedTuple):
    """An indicator linked to an objective, and who says so."""

    objective: int
    source: str
    """The public source that links them, in English, or "" for the workspace's own
    link."""
    detail: str = ""
    """Where in the source, and what it says."""
    cited: tuple[tuple[str, str], ...] = ()
    """(language, the source as a report in that language cites it), where the catalogue
    gives it ("A/RES/73/195, annexe, par. 36 a)")."""

    @property
    def by_workspace(self) -> bool:
        return not self.source

    def source_in(self, lang: str) -> tuple[str, str]:
        """(the source as a `lang` report cites it, its language): English when the
        catalogue gives it in no other."""
        return next(((text, code) for code, text in self.cited if code == lang),
                    (self.source, "en"))


def _link(link: dict[str, Any], origin: str | None = None) -> Link:
    """A link as a catalogue file gives it: its source a text, or a text per language.
    From a workspace's file (`origin`), its detail names the file (the source, without
    one)."""
    source = link["source"]
    texts = {str(k): str(v) for k, v in source.items()} if isinstance(source, dict) \
        else {"en": str(source)}
    english = texts.get("en") or next(iter(texts.values()))
    detail = " ".join(str(link.get("detail") or "").split())
    if origin is not None:
        detail = f"{origin}: {link.get('detail') or english}"
    return Link(int(link["objective"]), english, detail,
                tuple(sorted((k, v) for k, v in texts.items() if k != "en")))


Breakdowns = dict[str, tuple[str, ...] | str]
"""Breakdown (a data file's column: Sex) -> its values (Female, Male), or AGE_BAND."""


@dataclass(frozen=True)
class Indicator:
    code: str
    titles: dict[str, str]
    links: tuple[Link, ...] = ()
    breakdowns: Breakdowns = field(default_factory=dict)
    """Its own breakdowns, besides the catalogue's (a catalogue file adds them)."""

    def title(self, lang: str) -> Label:
        return _pick(self.titles, lang)

    @property
    def objectives(self) -> tuple[int, ...]:
        return tuple(sorted({link.objective for link in self.links}))


@dataclass(frozen=True, eq=False)  # hashed by identity: checkers are cached per catalogue
class Catalogue:
    compact: dict[str, str]
    objectives: dict[int, Objective]
    principles: dict[str, Principle]
    round_tables: dict[int, tuple[int, ...]]
    sources: dict[str, str]
    overrides_from: tuple[str, ...] = field(default=())
    indicators: dict[str, Indicator] = field(default_factory=dict)
    """By code, in the framework's order."""
    indicator_sources: dict[str, str] = field(default_factory=dict)
    """For each language, where the indicators' titles come from."""
    breakdowns: Breakdowns = field(default_factory=dict)
    """The breakdowns every indicator's data may have (sex, age, migratory status)."""

    def objective(self, number: int) -> Objective:
        return self.objectives[number]

    def principle(self, slug: str) -> Principle:
        return self.principles[slug]

    def compact_name(self, lang: str) -> Label:
        return _pick(self.compact, lang)

    def indicator(self, code: str) -> Indicator:
        return self.indicators[code]

    def indicators_of(self, objective: int) -> list[tuple[Indicator, Link]]:
        """The indicators linked to an objective, each with its link, in code order."""
        return [(i, link) for i in self.indicators.values() for link in i.links
                if link.objective == objective]

    def breakdowns_of(self, code: str) -> Breakdowns:
        """The breakdowns an indicator's data may have: the catalogue's and its own."""
        return {**self.breakdowns, **self.indicators[code].breakdowns}

    def with_links(self, links: dict[int, list[str]]) -> Catalogue:
        """The workspace's own links (`indicators:` in gcmreview.yaml): objective ->
        indicator codes, each known to the catalogue."""
        indicators = dict(self.indicators)
        for objective, codes in sorted(links.items()):
            for code in codes:
                old = indicators[code]
                if any(link.objective == objective for link in old.links):
                    continue  # a public source links them already: that says more
                indicators[code] = replace(old, links=(*old.links, Link(objective, "")))
        return replace(self, indicators=indicators)

    def missing(self, lang: str) -> dict[str, list[str]]:
        """What has no official text in `lang`: shown by `catalogue` and in report notes."""
        return {
            "objective titles": [str(o.number) for o in self.objectives.values()
                                 if lang not in o.titles],
            "objective short labels": [str(o.number) for o in self.objectives.values()
                                       if lang not in o.shorts],
            "guiding principles": [p.slug for p in self.principles.values() if lang not in p.names],
            "indicator titles": [i.code for i in self.indicators.values() if lang not in i.titles],
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
        indicators = dict(self.indicators)
        titled: set[str] = set()
        for code, entry in (data.get("indicators") or {}).items():
            old_i = indicators.get(code) or Indicator(code, {})
            titles = dict(entry.get("title") or {})
            titled |= set(titles)
            links = [*old_i.links, *(_link(link, origin=origin)
                                     for link in entry.get("objectives") or ())]
            indicators[code] = replace(old_i, titles={**old_i.titles, **titles},
                                       links=tuple(dict.fromkeys(links)),
                                       breakdowns={**old_i.breakdowns,
                                                   **_breakdowns(entry.get("disaggregation"))})
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
            indicators=dict(sorted(indicators.items(), key=lambda item: sort_key(item[0]))),
            indicator_sources={**self.indicator_sources, **{
                lang: f"{self.indicator_sources[lang]} Completed by {origin}: {text}"
                if lang in self.indicator_sources else f"{origin}: {text}"
                for lang, text in data["sources"].items() if lang in titled}},
        )


def _pick(texts: dict[str, str], lang: str) -> Label:
    if lang in texts:
        return Label(texts[lang], lang, fallback=False)
    # A workspace's own indicator may have no English title: then the one it has.
    other = FALLBACK_LANGUAGE if FALLBACK_LANGUAGE in texts else next(iter(texts))
    return Label(texts[other], other, fallback=True)


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
    indicators = {
        code: Indicator(code, dict(entry["title"]),
                        tuple(_link(link) for link in entry.get("objectives") or ()),
                        _breakdowns(entry.get("disaggregation")))
        for code, entry in sorted((data.get("indicators") or {}).items(),
                                  key=lambda item: sort_key(item[0]))
    }
    return Catalogue(dict(data["compact"]), objectives, principles, round_tables,
                     dict(data["sources"]), indicators=indicators,
                     indicator_sources=dict(data.get("indicator_sources") or {}),
                     breakdowns=_breakdowns(data.get("disaggregation")))


def _breakdowns(value: Any) -> Breakdowns:
    """A `disaggregation:` mapping: breakdown -> list of values, or `age-band`."""
    return {str(name): values if values == AGE_BAND else tuple(str(v) for v in values)
            for name, values in (value or {}).items()}
