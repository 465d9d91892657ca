"""A JSON Schema of the task-file format, generated from the spec tables (`zjtrack schema`)."""

from __future__ import annotations

from typing import Any

from .spec import COMPARATOR_SIGNS, SPECS, Field

SCHEMA_ID = "https://zjtrack.invalid/schema/v1/zjtrack.schema.json"


_SCALARS: dict[str, dict[str, Any]] = {
    "version": {"const": 1},
    "text": {"type": "string", "minLength": 1},
    "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9.\\-]*$"},
    "date": {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"},
    "stamp": {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2})?)?$"},
    "when": {"type": "string", "minLength": 1},
    "week": {"type": "string", "pattern": "^\\s*\\d{4}-?[Ww]\\d{1,2}\\s*$"},
    "number": {"type": "number"},
    "count": {"type": "integer"},
    "bool": {"type": "boolean"},
    "names": {"type": "array", "items": {"type": "string", "minLength": 1}},
    "texts": {"type": "array", "items": {"type": "string", "minLength": 1}},
}


def _type(f: Field) -> dict[str, Any]:
    t = f.type
    s: dict[str, Any]
    if t == "enum":
        signs = list(COMPARATOR_SIGNS) if f.key == "comparator" else []  # ≥ reads as >=
        s = {"enum": list(f.choices) + signs}
    elif t == "object":
        s = {"$ref": f"#/$defs/{f.item}"}
    elif t == "list":
        s = {"type": "array", "items": {"$ref": f"#/$defs/{f.item}"}}
    else:
        s = dict(_SCALARS[t])
    if f.bounds is not None:
        s["minimum"], s["maximum"] = f.bounds
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
        "title": "zjtrack task files, format version 1",
        # A document, the units registry, the config, or one YAML document of a progress file
        # (its header, or a record).
        "oneOf": [
            {"$ref": f"#/$defs/{name}"}
            for name in ("document_file", "units_file", "config_file", "progress_header", "record")
        ],
        "$defs": {name: _object(name) for name in SPECS},
    }
