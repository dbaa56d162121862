"""The GCM catalogue: complete, consistent and honest about missing translations."""

from __future__ import annotations

from pathlib import Path

import pytest

from gcmreview.load import catalogue as cat
from gcmreview.validate.workspace import WorkspaceError, load_workspace

from .conftest import copy_workspace


def test_objectives_principles_round_tables() -> None:
    c = cat.builtin()
    assert list(c.objectives) == list(range(1, 24))
    assert list(c.principles) == [
        "people-centred", "international-cooperation", "national-sovereignty", "rule-of-law",
        "sustainable-development", "human-rights", "gender-responsive", "child-sensitive",
        "whole-of-government", "whole-of-society"]
    assert [p.letter for p in c.principles.values()] == list("abcdefghij")
    assert c.round_tables == {1: (2, 5, 6, 12, 18), 2: (4, 8, 9, 10, 11, 13, 21),
                              3: (14, 15, 16, 19, 20, 22), 4: (1, 3, 7, 17, 23)}
    assert sorted(n for numbers in c.round_tables.values() for n in numbers) == list(range(1, 24))
    for o in c.objectives.values():
        assert o.titles["en"] and o.shorts["en"]
    assert set(c.sources) == {"en", "fr", "ar"}


def test_official_titles_spot_check() -> None:
    c = cat.builtin()
    assert c.objective(12).title("en").text == (
        "Strengthen certainty and predictability in migration procedures for appropriate "
        "screening, assessment and referral")
    assert c.objective(23).title("fr").text == (
        "Renforcer la coopération internationale et les partenariats mondiaux pour des "
        "migrations sûres, ordonnées et régulières")


def test_missing_language_falls_back_visibly() -> None:
    c = cat.builtin()
    label = c.objective(18).title("fr")
    assert label.fallback and label.lang == "en"
    assert not c.objective(17).title("fr").fallback
    assert c.principle("human-rights").name("ar").fallback
    assert c.missing("fr") == {"objective titles": ["18"], "objective short labels": [],
                               "guiding principles": [], "indicator titles": []}


def write_overrides(ws: Path, text: str) -> None:
    (ws / "titles.yaml").write_text(text, encoding="utf-8")
    config = ws / "gcmreview.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "catalogue: titles.yaml\n",
                      encoding="utf-8")


def test_workspace_overrides_complete_the_catalogue(tmp_path: Path) -> None:
    ws = copy_workspace(tmp_path / "ws", countries=())
    write_overrides(ws, "sources:\n  fr: A/RES/73/195 (FR), para. 16\n"
                        "objectives:\n  18:\n    title:\n      fr: Titre officiel 18\n")
    workspace = load_workspace(ws / "gcmreview.yaml")
    label = workspace.catalogue.objective(18).title("fr")
    assert (label.text, label.fallback) == ("Titre officiel 18", False)
    assert cat.builtin().objective(18).title("fr").fallback  # the built-in one is untouched


@pytest.mark.parametrize(("text", "expected"), [
    ("sources:\n  fr: x\nobjectives:\n  18:\n    title:\n      ar: عنوان\n",
     "titles.yaml:6:7: catalogue-source"),
    ("sources:\n  fr: x\nobjectives:\n  24:\n    title:\n      fr: x\n",
     "titles.yaml:4:3: unknown-key"),
    ("sources:\n  fr: x\nprinciples:\n  human-right:\n    name: {fr: x}\n",
     "titles.yaml:4:3: unknown-key"),
    ("objectives: {}\n", "titles.yaml:1:1: missing-key"),
])
def test_invalid_overrides_are_positioned(tmp_path: Path, text: str, expected: str) -> None:
    ws = copy_workspace(tmp_path / "ws", countries=())
    write_overrides(ws, text)
    with pytest.raises(WorkspaceError) as info:
        load_workspace(ws / "gcmreview.yaml")
    found = [f"{Path(d.path).name}:{d.position.line}:{d.position.column}: {d.code}"
             for d in info.value.diagnostics]
    assert expected in found
