"""The JSON Schema for editors: generated from the model, and as strict as the validator."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from kiosk import cli
from kiosk.content.jsonschema import content_schema

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "data" / "schema" / "content.schema.json"
SHIPPED_FILES = sorted((ROOT / "data").rglob("*.yaml"))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = content_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def errors(validator: jsonschema.Draft202012Validator, data: Any) -> list[tuple[str, str]]:
    return sorted((e.json_path, e.message) for e in validator.iter_errors(data))


def test_schema_file_is_the_generated_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["schema"]) == 0
    printed = capsys.readouterr().out
    assert json.loads(printed) == content_schema()
    assert SCHEMA_FILE.read_text(encoding="utf-8") == printed, (
        "data/schema/content.schema.json is stale: run `kiosk schema > data/schema/content.schema.json`"
    )


@pytest.mark.parametrize("name", ["minimal/content.yaml", "minimal/more.yaml", "fallback/content.yaml"])
def test_schema_accepts_the_fixtures(validator: jsonschema.Draft202012Validator, name: str) -> None:
    path = Path(__file__).resolve().parent.parent / "data" / name
    assert errors(validator, yaml.safe_load(path.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("path", SHIPPED_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_schema_accepts_the_shipped_files(validator: jsonschema.Draft202012Validator, path: Path) -> None:
    assert errors(validator, yaml.safe_load(path.read_text(encoding="utf-8"))) == []


def test_there_are_shipped_files() -> None:
    assert ROOT / "data" / "content.yaml" in SHIPPED_FILES


@pytest.fixture
def minimal(minimal_dir: Path) -> dict[str, Any]:
    return yaml.safe_load((minimal_dir / "content.yaml").read_text(encoding="utf-8"))


def broken(data: dict[str, Any], dotted: str, value: Any) -> dict[str, Any]:
    """A copy with one value set (or a key renamed, with value ``RENAME``)."""
    data = copy.deepcopy(data)
    *parents, last = dotted.split(".")
    node: Any = data
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if isinstance(value, tuple) and value[0] == "rename":
        node[value[1]] = node.pop(last)
    else:
        node[last] = value
    return data


@pytest.mark.parametrize(
    ("dotted", "value", "where", "says"),
    [
        ("cities.0.lat", ("rename", "lattitude"), "$.cities[0]", "'lattitude' was unexpected"),
        ("cities.0.lat", "north", "$.cities[0].lat", "'north' is not of type 'number'"),
        ("cities.0.lat", 98.3, "$.cities[0].lat", "98.3 is greater than the maximum of 90"),
        ("cities.0.established", 1980.5, "$.cities[0].established", "is not of type 'integer'"),
        ("cities.0.country", False, "$.cities[0].country", "False is not of type 'string'"),
        ("cities.0.country", "jp", "$.cities[0].country", "does not match"),
        ("cities.0.region", "asai", "$.cities[0].region", "'asai' is not one of"),
        ("cities.0.id", "Sendai City", "$.cities[0].id", "does not match"),
        ("cities.0.ended", 1800, "$.cities[0].ended", "1800 is not valid under any"),
        ("cities.0.kind", ("rename", "knd"), "$.cities[0]", "'kind' is a required property"),
        ("meta.title", ["Changchun"], "$.meta.title", "is not valid under any of the given"),
        ("timeline.events.0.date", "1983-13-01", "$.timeline.events[0].date", "does not match"),
        ("timeline.categories.0.color", "blue", "$.timeline.categories[0].color", "does not match"),
        ("settings", {"idle_timeout_s": "90"}, "$.settings.idle_timeout_s", "is not of type"),
        ("content_version", 0, "$.content_version", "0 is less than the minimum of 1"),
    ],
)
def test_schema_rejects_broken_content(
    validator: jsonschema.Draft202012Validator,
    minimal: dict[str, Any],
    dotted: str,
    value: Any,
    where: str,
    says: str,
) -> None:
    found = errors(validator, broken(minimal, dotted, value))
    assert any(path == where and says in message for path, message in found), found


def test_schema_checks_optional_values_too(
    validator: jsonschema.Draft202012Validator, minimal_dir: Path
) -> None:
    more = yaml.safe_load((minimal_dir / "more.yaml").read_text(encoding="utf-8"))
    step = more["playlists"][0]["steps"][1]
    step["country"] = "jp"  # optional, with the country format
    step["year"] = 3000  # optional, with a range
    found = errors(validator, more)
    assert [path for path, _ in found] == [
        "$.playlists[0].steps[1].country",
        "$.playlists[0].steps[1].year",
    ]
