"""A JSON Schema of the task-file format, generated from the spec tables (`zjtrack schema`)."""

from __future__ import annotations

from typing import Any

from .spec import SPECS, Field

SCHEMA_ID = "https://zjtrack.invalid/schema/v1/zjtrack.schema.json"


def _type(f: Field) -> dict[str, Any]:  # noqa: C901 - one branch per field type of the format spec
    t = f.type
    s: dict[str, Any]
    if t == "version":
        s = {"const": 1}
    elif t == "text":
        s = {"type": "string", "minLength": 1}
    elif t == "id":
        s = {"type": "string", "pattern": "^[a-z0-9][a-z0-9.\\-]*$"}
    elif t == "date":
        s = {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"}
    elif t == "stamp":
        s = {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2})?)?$"}
    elif t == "when":
        s = {"type": "string", "minLength": 1}
    elif t == "number":
        s = {"type": "number"}
    elif t == "bool":
        s = {"type": "boolean"}
    elif t == "enum":
        s = {"enum": list(f.choices)}
    elif t in ("names", "texts"):
        s = {"type": "array", "items": {"type": "string", "minLength": 1}}
    elif t == "object":
        s = {"$ref": f"#/$defs/{f.item}"}
    elif t == "list":
        s = {"type": "array", "items": {"$ref": f"#/$defs/{f.item}"}}
    else:  # pragma: no cover - spec bug
        raise AssertionError(t)
    if f.nullable:
        s = {"anyOf": [s, {"type": "null"}]}
    return {"description": f.doc, **s}


def _object(spec: str) -> dict[str, Any]:
    fields = SPECS[spec]
    return {
        "type": "object",
        "properties": {f.key: _type(f) for f in fields},
        "required": [f.key for f in fields if f.required],
        "additionalProperties": False,
    }


def json_schema() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "zjtrack task file, format version 1",
        "oneOf": [{"$ref": "#/$defs/document_file"}, {"$ref": "#/$defs/units_file"}],
        "$defs": {name: _object(name) for name in SPECS},
    }
