"""The published JSON Schema: valid, and accepting the files validate accepts."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from gcmreview.load import catalogue as cat
from gcmreview.load.loader import load_file
from gcmreview.validate.schema import config_schema, review_schema

from .conftest import DATA, ROOT


def as_json_document(data: object) -> object:
    """What an editor sees: JSON keys are strings."""
    return json.loads(json.dumps(data))


def test_schemas_are_valid_draft7() -> None:
    jsonschema.Draft7Validator.check_schema(review_schema(cat.builtin()))
    jsonschema.Draft7Validator.check_schema(config_schema())


def test_editor_schema_accepts_examples_and_rejects_bad_keys() -> None:
    validator = jsonschema.Draft7Validator(json.loads((ROOT / "review.schema.json").read_text()))
    for path in [*sorted((ROOT / "countries").glob("*.yaml")), DATA / "valid" / "MA.yaml"]:
        data = load_file(path, path.name).data
        assert list(validator.iter_errors(as_json_document(data))) == [], path
    bad = as_json_document(load_file(DATA / "invalid" / "many.yaml", "many.yaml").data)
    messages = [e.message for e in validator.iter_errors(bad)]
    assert any("'7a'" in m for m in messages)
    assert any("'24'" in m for m in messages)


def test_workspace_config_matches_its_schema() -> None:
    data = load_file(ROOT / "gcmreview.yaml", "gcmreview.yaml").data
    assert list(jsonschema.Draft7Validator(config_schema()).iter_errors(data)) == []


def test_every_rule_code_is_documented() -> None:
    from gcmreview.core.rules import RULES

    source = "".join(p.read_text() for p in Path(ROOT / "gcmreview").rglob("*.py"))
    docs = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    for code in RULES:
        assert f'"{code}"' in source, f"{code} is never emitted"
        assert f"`{code}`" in docs, f"{code} is not in docs/format.md"
