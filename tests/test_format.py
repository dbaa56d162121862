"""The review format is described once (gcmreview.core.format), and everything reads it.

A section added to the format appears in `new`, the schema, `validate`, the Word
form, `import` and the report without another line of code; the TypedDicts and the
schema's definitions say what the description says; and the narrative sections are
named by the description and at most one module that treats one of them specially.
"""

from __future__ import annotations

import ast
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from gcmreview.core import format
from gcmreview.load.catalogue import builtin
from gcmreview.model.headings import section_key
from gcmreview.validate.schema import review_schema

PACKAGE = Path(__file__).resolve().parent.parent / "gcmreview"


# --- the description agrees with the types and the schema -------------------------------------

def _parts() -> list[format.Part | format.Group]:
    found: list[format.Part | format.Group] = []
    for section in format.sections():
        if section.part is None:
            continue
        if section.shape != "sources":
            found.append(section.part)
        found += section.part.groups
    return found


def _kind(item: format.Part | format.Group) -> str:
    return item.kind if isinstance(item, format.Part) else item.entry


@pytest.mark.parametrize("item", _parts(), ids=_kind)
def test_each_typed_dict_has_the_keys_of_its_part(item: format.Part | format.Group) -> None:
    typed = format.ENTRY_TYPES[_kind(item)]
    assert list(typed.__annotations__) == list(item.keys)


def test_the_typed_review_has_every_section() -> None:
    assert list(format.Review.__annotations__) == [s.key for s in format.sections()]


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follow `$ref` and a list's `items` to the object schema of one entry."""
    while True:
        if "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
        elif node.get("type") == "array":
            node = node["items"]
        else:
            return node


def test_the_schema_definitions_have_the_members_of_the_parts() -> None:
    schema = review_schema(builtin())
    for section in format.sections():
        if section.part is None:
            continue
        if section.shape == "sources":
            entry = _resolve(schema, schema["properties"][section.key])
            assert list(entry["properties"]) == list(section.part.groups[0].keys)
            continue
        definition = schema["$defs"][section.part.schema]
        assert list(definition["properties"]) == list(section.part.keys), section.key
        for group in section.part.groups:
            entry = _resolve(schema, definition["properties"][group.key])
            assert list(entry["properties"]) == list(group.keys), (section.key, group.key)


def test_the_schema_top_level_is_the_format() -> None:
    schema = review_schema(builtin())
    assert list(schema["properties"]) == [s.key for s in format.sections()]
    assert schema["required"] == ["country", "review", "objectives"]


# --- each narrative section is named once ------------------------------------------------------

STRUCTURAL = {"country", "review", "objectives", "principles", "sources"}
"""The file's skeleton, exempt: these keys are also the catalogue's parts, the paths of
every diagnostic and the keys of the JSON outputs, and every command addresses them."""


def _strings(path: Path) -> list[str]:
    """The string constants of a module that the code uses: a string standing alone as a
    statement (a docstring, an attribute's docstring) is documentation, left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    documentation = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)
                     and isinstance(node.value, ast.Constant)}
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in documentation]


@pytest.mark.parametrize("key", [s.key for s in format.sections() if s.key not in STRUCTURAL])
def test_a_section_key_is_named_in_at_most_two_modules(key: str) -> None:
    word = re.compile(rf"(?<![\w]){re.escape(key)}(?![\w])")
    naming = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
                    if any(word.search(text) for text in _strings(p)))
    assert "core/format.py" in naming
    assert len(naming) <= 2, f"{key} is named in {naming}: read it from gcmreview.core.format"


# --- adding a section is one entry ------------------------------------------------------------

@pytest.fixture
def data_collection(monkeypatch: pytest.MonkeyPatch) -> format.Section:
    """A section added to the format, after the next steps, as docs/format.md says."""
    added = format.Section(
        "data_collection", "single", "Data collection",
        format.Part("data_collection", (
            format.CARRIED,
            format.Field("summary", "narrative", "How the data were collected", scaffold=True,
                         prompt="how the data were collected"),
            format.CITES,
        ), schema="section"),
        words=("Data collection", "Collecte des données"))
    sections = list(format.SECTIONS)
    sections.insert(sections.index(format.section("next_steps")) + 1, added)
    monkeypatch.setattr(format, "SECTIONS", tuple(sections))
    return added


TEXT = "Le recensement de 2014 a servi de base à l'examen."


def test_an_added_section_is_in_the_scaffold_and_the_schema(
        data_collection: format.Section, run_cli: Any, workspace: Path) -> None:
    result = run_cli("new", "JO", "--lang", "en", cwd=workspace)
    assert result.code == 0, result.err
    text = (workspace / "countries" / "JO.yaml").read_text(encoding="utf-8")
    assert 'next_steps:\n  summary: "TODO: the actions planned up to the next review"\n\n' \
           'data_collection:\n  summary: "TODO: how the data were collected"\n' in text
    schema = run_cli("schema", cwd=workspace)
    assert '"data_collection": {\n      "$ref": "#/$defs/section"\n    }' in schema.out
    assert section_key("3. Collecte des données") == "data_collection"


def test_an_added_section_goes_through_validate_form_import_and_build(
        data_collection: format.Section, run_cli: Any, workspace: Path) -> None:
    review = workspace / "countries" / "MA.yaml"
    with review.open("a", encoding="utf-8") as handle:
        handle.write(f"\ndata_collection:\n  summary: >-\n    {TEXT}\n"
                     "  sources:\n    - {source: atelier-2020-08-13, locator: \"para. 6\"}\n")
    checked = run_cli("validate", "countries/MA.yaml", cwd=workspace)
    assert checked.code == 0, checked.out
    assert "data_collection" not in checked.out

    made = run_cli("form", "MA", cwd=workspace)
    assert made.code == 0, made.err
    with zipfile.ZipFile(workspace / "forms" / "MA.docx") as docx:
        body = docx.read("word/document.xml").decode()
    assert "Data collection" in body and "How the data were collected" in body
    assert "Le recensement de 2014" in body

    out = workspace / "imported.yaml"
    imported = run_cli("import", "forms/MA.docx", "--output", str(out), cwd=workspace)
    assert imported.code in (0, 1), imported.err
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["data_collection"]["summary"] == TEXT
    assert data["data_collection"]["sources"] == [{"source": "atelier-2020-08-13",
                                                   "locator": "para. 6"}]

    built = run_cli("build", "--country", "MA", "--format", "html", cwd=workspace)
    assert built.code == 0, built.err
    html = (workspace / "build" / "MA.fr.html").read_text(encoding="utf-8")
    assert re.search(r'<section id="data-collection"[^>]*>\s*<h1>Data collection</h1>', html)
    assert "Le recensement de 2014 a servi" in " ".join(html.split())  # lines wrap anywhere
