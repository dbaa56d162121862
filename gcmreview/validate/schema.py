"""The published JSON Schemas (review file, workspace config, catalogue overrides).

The schemas are YAML data files in the package; the parts that list catalogue
entries (objective numbers, principle slugs) are filled in here so the catalogue
stays the single source of truth, and so is the review's top level, from the
format's sections (gcmreview.core.format).
"""

from __future__ import annotations

import copy
import difflib
import itertools
import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import jsonschema_rs

from gcmreview.core import format
from gcmreview.core.i18n import _, join
from gcmreview.core.status import CODES
from gcmreview.load.catalogue import Catalogue
from gcmreview.load.loader import load_file

Schema = dict[str, Any]


def _data_file(name: str) -> Schema:
    path = Path(str(resources.files("gcmreview") / "data" / name))
    loaded = load_file(path, name)
    if loaded.data is None:  # a packaging bug, not a user error
        raise RuntimeError(f"built-in schema {name} is broken: {loaded.diagnostics}")
    return _plain(loaded.data)


def _plain(value: Any) -> Any:
    """Positions are not wanted in a published schema: turn YamlMap/YamlList into dict/list."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def objective_pattern(catalogue: Catalogue) -> str:
    return "^(" + "|".join(str(n) for n in sorted(catalogue.objectives)) + ")$"


def section_schema(section: format.Section) -> Schema:
    """The schema of one top-level section, by its shape."""
    described = {"description": section.description} if section.description else {}
    ref = {"$ref": f"#/$defs/{section.part.schema}"} if section.part else {}
    if section.shape == "code":
        return {**described, "type": "string", "pattern": section.pattern}
    if section.shape in ("meta", "single"):
        return {**ref, **described}
    if section.shape in ("list", "sources"):
        return {**described, "type": "array", "items": ref}
    names = "objective_number" if section.shape == "objectives" else "principle_slug"
    return {**described, "type": "object", "propertyNames": {"$ref": f"#/$defs/{names}"},
            "additionalProperties": ref}


def review_schema(catalogue: Catalogue) -> Schema:
    template = _cached("review.schema.yaml")
    top = {key: template[key] for key in template if key != "$defs"}
    sections = format.sections()
    schema = {**copy.deepcopy(top),
              "required": [s.key for s in sections if s.required],
              "properties": {s.key: section_schema(s) for s in sections},
              "$defs": copy.deepcopy(template["$defs"])}
    defs = schema["$defs"]
    defs["objective_number"]["pattern"] = objective_pattern(catalogue)
    defs["principle_slug"]["enum"] = list(catalogue.principles)
    defs["objective"]["properties"]["status"]["enum"] = list(CODES)
    return schema


def config_schema() -> Schema:
    return copy.deepcopy(_cached("config.schema.yaml"))


def overrides_schema(catalogue: Catalogue) -> Schema:
    schema = copy.deepcopy(_cached("overrides.schema.yaml"))
    schema["properties"]["objectives"]["propertyNames"]["pattern"] = objective_pattern(catalogue)
    schema["properties"]["principles"]["propertyNames"]["enum"] = list(catalogue.principles)
    return schema


@cache
def _cached(name: str) -> Schema:
    return _data_file(name)


def to_json(schema: Schema) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


MAX_SCHEMA_ERRORS = 200


def _string_keys(data: Any) -> Any:
    """jsonschema-rs wants string keys; YAML gives objective numbers as integers."""
    objectives = data.get("objectives") if isinstance(data, dict) else None
    if isinstance(objectives, dict):
        return {**data, "objectives": {str(k): v for k, v in objectives.items()}}
    return data


class SchemaChecker:
    """Checks data against a schema: a compiled fast path, the full error list when it fails.

    jsonschema-rs (Rust) answers "valid?" in ~0.1 ms for a 50 KB review, twenty
    times faster than pure-Python validators; valid files, the common case, stop
    there. For an invalid file, jsonschema lists every error with the schema
    details our messages are worded from.
    """

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self._fast = jsonschema_rs.validator_for(schema)

    def errors(self, data: Any, limit: int = MAX_SCHEMA_ERRORS) -> list[Any]:
        """At most `limit` errors (a million-item list of wrong values is not a
        million useful messages, and would take gigabytes to list)."""
        try:
            if self._fast.is_valid(_string_keys(data)):
                return []
        except ValueError:
            pass  # keys jsonschema-rs cannot take (numbers outside `objectives`)
        import jsonschema

        errors = itertools.islice(jsonschema.Draft7Validator(self.schema).iter_errors(data),
                                  limit)
        return sorted(errors, key=lambda e: list(map(str, e.absolute_path)))


INT_KEYED = ("objectives", "history", "indicators")
"""Mappings whose keys are numbers (objective numbers, years), not lists."""


def where(path: list[Any] | tuple[Any, ...]) -> str:
    """A place in a review file as its author sees it: `objectives.5.status`, and
    `sources[1].id` for the first item of a list (counted from 1, as people count)."""
    out = ""
    for i, part in enumerate(path):
        in_list = isinstance(part, int) and (i == 0 or path[i - 1] not in INT_KEYED)
        out += f"[{part + 1}]" if in_list else (f".{part}" if out else str(part))
    return f"`{out}`" if out else _("the file")


def _type_word(name: str) -> str:
    return {
        "string": _("text"),
        "integer": _("a whole number"),
        "number": _("a number"),
        "object": _("a list of `key: value` lines"),
        "array": _("a list (lines starting with `- `)"),
        "boolean": _("true or false"),
    }.get(name, name)


def describe(value: Any) -> str:
    """A value, named as its author would recognise it."""
    if value is None:
        return _("nothing (an empty value)")
    if isinstance(value, bool):
        return _("the word {word} (true or false)").format(word=str(value).lower())
    if isinstance(value, int | float):
        return _("the number {number}").format(number=value)
    if isinstance(value, str):
        return _("the text “{text}”").format(text=value)
    if isinstance(value, list):
        return _("a list")
    return _("a list of `key: value` lines")


def did_you_mean(word: object, choices: list[str]) -> str:
    close = difflib.get_close_matches(str(word), choices, n=1, cutoff=0.6)
    return _(" (did you mean `{word}`?)").format(word=close[0]) if close else ""


def _expected_form(path: list[Any]) -> str:
    last = str(path[-1]) if path else ""
    return {
        "country": _("the State's two-letter ISO 3166-1 code, in capitals, such as MA"),
        "date": _("a date written YYYY-MM-DD, such as 2026-03-15"),
    }.get(last, _("the form the format asks for (see the format reference: "
                  "`gcmreview docs format` says where it is)"))


class SchemaProblem(NamedTuple):
    path: list[Any]
    at_key: bool
    code: str
    message: str
    hint: str | None = None
    missing: str | None = None
    """The key a missing-key problem is about."""


def describe_error(err: Any) -> list[SchemaProblem]:
    """Turn one jsonschema error into problems worded for the people filling in files."""
    path = list(err.absolute_path)
    place = where(path)
    schema = err.schema if isinstance(err.schema, dict) else {}
    kind = err.validator
    if "propertyNames" in err.schema_path:  # the error is about a key, not a value
        allowed = [str(v) for v in err.validator_value] if kind == "enum" else []
        return [SchemaProblem([*path, err.instance], True, "unknown-key",
                              _("unknown key `{key}` in {place}").format(
                                  key=err.instance, place=place)
                              + did_you_mean(err.instance, allowed),
                              _("the keys allowed here: {keys}").format(keys=join(allowed))
                              if allowed else None)]
    if kind == "additionalProperties":
        known = list(schema.get("properties", {}))
        extras = [k for k in err.instance if k not in known]
        return [
            SchemaProblem([*path, key], True, "unknown-key",
                          _("unknown key `{key}` in {place}").format(key=key, place=place)
                          + did_you_mean(key, known),
                          _("the keys allowed here: {keys}").format(keys=join(known))
                          if known else None)
            for key in extras
        ]
    if kind == "required":
        missing = err.message.split("'")[1]
        return [SchemaProblem(path, True, "missing-key",
                              _("{place} lacks the key `{key}`, which it needs").format(
                                  place=place, key=missing),
                              _("add `{key}:` under {place}").format(key=missing, place=place),
                              missing)]
    if kind == "type":
        wanted = err.validator_value
        words = _(" or ").join(_type_word(w) for w in
                               (wanted if isinstance(wanted, list) else [wanted]))
        hint = (_("put quotes around text that looks like a number, a date or true/false")
                if wanted == "string" else None)
        return [SchemaProblem(path, False, "wrong-type",
                              _("{place} must be {expected}, not {value}").format(
                                  place=place, expected=words, value=describe(err.instance)),
                              hint)]
    if kind == "enum":
        allowed = [str(v) for v in err.validator_value]
        if err.instance is None:  # `status:` left empty, as `gcmreview new` writes it
            optional = len(path) == 3 and path[0] == "objectives" and path[2] == "status"
            return [SchemaProblem(path, False, "invalid-value",
                                  _("{place} is empty").format(place=place),
                                  (_("write one of {values}, or delete the line if the review "
                                     "states no status") if optional
                                   else _("write one of {values}")).format(
                                      values=join(allowed)))]
        return [SchemaProblem(path, False, "invalid-value",
                              _("{place} is {value}, which is not one of the allowed "
                                "values").format(place=place, value=describe(err.instance))
                              + did_you_mean(err.instance, allowed),
                              _("the allowed values: {values}").format(values=join(allowed)))]
    if kind == "pattern":
        return [SchemaProblem(path, False, "invalid-value",
                              _("{place} is {value}; it must be {expected}").format(
                                  place=place, value=describe(err.instance),
                                  expected=_expected_form(path)))]
    if kind in ("minimum", "maximum"):
        return [SchemaProblem(path, False, "invalid-value",
                              _("{place} is {value}, outside {low} to {high}").format(
                                  place=place, value=err.instance, low=schema.get("minimum"),
                                  high=schema.get("maximum")))]
    if kind == "minLength":
        return [SchemaProblem(path, False, "invalid-value", _("{place} is empty").format(
                                  place=place), _("fill it in or remove the key"))]
    if kind == "uniqueItems":
        return [SchemaProblem(path, False, "invalid-value",
                              _("{place} lists the same entry twice").format(place=place),
                              _("remove the repeated entry"))]
    if kind == "oneOf":
        return [SchemaProblem(path, False, "wrong-type",
                              _("{place} must be text, or one text per language (en, fr, "
                                "ar)").format(place=place))]
    if kind in ("minProperties", "minItems"):
        return [SchemaProblem(path, False, "invalid-value",
                              _("{place} must not be empty").format(place=place))]
    return [SchemaProblem(path, False, "invalid-value",
                          _("{place} is not in the form the format asks for").format(
                              place=place),
                          _("see the format reference: `gcmreview docs format` says where it "
                            "is"))]
