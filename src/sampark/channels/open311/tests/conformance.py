"""Checks an Open311 response against the schemas in ../schemas (written from the GeoReport v2
spec): JSON with `jsonschema`, XML with `xmlschema`. Also the spec's encoding rules."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import xmlschema
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"


@cache
def _registry() -> Registry:
    resources = []
    for path in SCHEMAS.glob("*.schema.json"):
        document = json.loads(path.read_text())
        resources.append((document["$id"], Resource.from_contents(document)))
    return Registry().with_resources(resources)


@cache
def _json_validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, registry=_registry())


@cache
def _xsd(name: str) -> xmlschema.XMLSchema10:
    return xmlschema.XMLSchema10(str(SCHEMAS / f"{name}.xsd"))


def valid_json(response: Any, schema: str) -> Any:
    """The decoded body, after checking its content type and its shape."""
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = json.loads(response.content.decode("utf-8"))
    errors = sorted(_json_validator(schema).iter_errors(body), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
    return body


def valid_xml(response: Any, schema: str) -> dict[str, Any]:
    """The document as a dict (xmlschema's decoding), after checking declaration and shape."""
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    xsd = _xsd(schema)
    problems = list(xsd.iter_errors(text))
    assert not problems, "\n".join(str(p.reason) + " at " + str(p.path) for p in problems)
    return xsd.to_dict(text)  # type: ignore[return-value]
