"""Generate the JSON Schema of content files from the model, for editors and for checks."""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from dataclasses import is_dataclass
from typing import Any, Literal, get_args, get_origin

from kiosk.content.convert import yaml_fields
from kiosk.content.model import Content, LocalText, PartialDate

SCHEMA_ID = "https://changchun-showcase.invalid/content.schema.json"

_LANG_KEY = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
_FORMATS = {
    "id": {"pattern": r"^[a-z0-9][a-z0-9_-]*$"},
    "color": {"pattern": r"^#[0-9A-Fa-f]{6}$"},
    "country": {"pattern": r"^[A-Z]{2}$"},
    "language": {"pattern": _LANG_KEY},
}


def content_schema() -> dict[str, Any]:
    """The schema of a content file; every section is optional because sections may be split
    across included files (the validator checks that each is present once)."""
    defs: dict[str, Any] = {
        "LocalText": {
            "description": "Text in every language, or a map of language code to text",
            "oneOf": [
                {"type": "string", "minLength": 1},
                {
                    "type": "object",
                    "minProperties": 1,
                    "propertyNames": {"pattern": _LANG_KEY},
                    "additionalProperties": {"type": "string", "minLength": 1},
                },
            ],
        },
        "PartialDate": {
            "description": '"YYYY", "YYYY-MM" or "YYYY-MM-DD"',
            "type": ["string", "integer"],
            "pattern": r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$",
            "minimum": 1000,
            "maximum": 2100,
        },
    }
    root = _record(Content, defs)
    root.pop("required", None)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Changchun Showcase content",
        **root,
        "$defs": defs,
    }


def _record(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    props = {}
    required = []
    for name, (tp, meta, is_required) in yaml_fields(cls).items():
        prop = _type(tp, defs, name)
        # An optional field is anyOf [its type, null]: the format and range apply to its type.
        value = prop["anyOf"][0] if "anyOf" in prop and "type" not in prop else prop
        fmt = meta.get("format")
        if fmt in _FORMATS and value.get("type") == "string":
            value.update(_FORMATS[fmt])
        if meta.get("min") is not None and value.get("type") in ("integer", "number"):
            value["minimum"] = meta["min"]
        if meta.get("max") is not None and value.get("type") in ("integer", "number"):
            value["maximum"] = meta["max"]
        if meta.get("doc"):
            prop = {"description": meta["doc"], **prop}
        props[name] = prop
        if is_required:
            required.append(name)
    out: dict[str, Any] = {
        "type": "object",
        "properties": props,
        "additionalProperties": False,
    }
    if required:
        out["required"] = required
    return out


def _type(tp: Any, defs: dict[str, Any], name: str) -> dict[str, Any]:
    origin = get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        args = [a for a in get_args(tp) if a is not type(None)]
        inner = _type(args[0], defs, name)
        return {"anyOf": [inner, {"type": "null"}]}
    if tp is LocalText:
        return {"$ref": "#/$defs/LocalText"}
    if tp is PartialDate:
        return {"$ref": "#/$defs/PartialDate"}
    if tp is str:
        return {"type": "string", "minLength": 1}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if tp is float:
        return {"type": "number"}
    if origin is Literal:
        return {"type": "string", "enum": list(get_args(tp))}
    if origin is tuple:
        item = get_args(tp)[0]
        array = {"type": "array", "items": _type(item, defs, name)}
        if item is str and name == "source":
            return {"anyOf": [{"type": "string", "minLength": 1}, array]}
        return array
    if origin in (Mapping, dict):
        return {"type": "object", "additionalProperties": _type(get_args(tp)[1], defs, name)}
    if is_dataclass(tp):
        key = tp.__name__
        if key not in defs:
            defs[key] = {}  # placeholder against recursion
            defs[key] = _record(tp, defs)
        return {"$ref": f"#/$defs/{key}"}
    raise TypeError(f"no schema for {tp!r}")
