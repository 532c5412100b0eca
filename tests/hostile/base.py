"""The base spec every hostile case edits: small, valid, and touching every construct specgen renders.

It is a Python dict (so cases can patch it by pointer) and is written out as YAML with
:func:`dump`, which escapes every non-printable or non-ASCII character, so any Python string a case
puts in reaches the generator exactly.
"""

from __future__ import annotations

import copy
from typing import Any

import yaml

PACKAGE = "hostileapi"
CLIENT = "HostileClient"
ENV = "HOSTILE_API_KEY"

_ERROR_RESPONSE = {
    "description": "Error.",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}

BASE: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Hostile API",
        "version": "1.0.0",
        "description": "A small API for hostile-input tests.",
        "x-specgen-package": PACKAGE,
        "x-specgen-client": CLIENT,
    },
    "servers": [{"url": "https://api.example.com/v1"}],
    "security": [{"ApiKeyAuth": []}],
    "tags": [{"name": "Runs", "description": "Runs of a task."}],
    "paths": {
        "/runs/{run_id}": {
            "get": {
                "operationId": "getRun",
                "summary": "Get a run",
                "description": "Get one run by its ID.",
                "tags": ["Runs"],
                "parameters": [
                    {
                        "name": "run_id",
                        "in": "path",
                        "required": True,
                        "description": "ID of the run.",
                        "example": "run123",
                        "schema": {"type": "string"},
                    },
                    {
                        "name": "verbose",
                        "in": "query",
                        "description": "Include details.",
                        "example": True,
                        "schema": {"type": "boolean"},
                    },
                    {
                        "name": "X-Trace-Id",
                        "in": "header",
                        "description": "Trace header.",
                        "example": "trace-1",
                        "schema": {"type": "string"},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "The run.",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Run"}}},
                    },
                    "default": copy.deepcopy(_ERROR_RESPONSE),
                },
            },
            "delete": {
                "operationId": "deleteRun",
                "summary": "Delete a run",
                "tags": ["Runs"],
                "parameters": [
                    {"name": "run_id", "in": "path", "required": True, "schema": {"type": "string"}},
                ],
                "responses": {"204": {"description": "Deleted."}},
            },
        },
        "/runs": {
            "get": {
                "operationId": "listRuns",
                "summary": "List runs",
                "description": "List runs, newest first.",
                "tags": ["Runs"],
                "x-specgen-pagination": {
                    "style": "cursor",
                    "cursor_param": "cursor",
                    "next_cursor": "next_cursor",
                    "items": "runs",
                },
                "parameters": [
                    {
                        "name": "cursor",
                        "in": "query",
                        "description": "Where the page starts.",
                        "schema": {"type": "string"},
                    },
                    {
                        "name": "order",
                        "in": "query",
                        "description": "Sort order.",
                        "example": "asc",
                        "schema": {"type": "string", "enum": ["asc", "desc"]},
                    },
                    {
                        "name": "ids",
                        "in": "query",
                        "description": "Only these runs.",
                        "schema": {"type": "array", "items": {"type": "string"}},
                    },
                    {
                        "name": "labels",
                        "in": "query",
                        "description": "Only runs with these labels.",
                        "schema": {"type": "object", "additionalProperties": {"type": "string"}},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "A page of runs.",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RunList"}}},
                    },
                    "default": copy.deepcopy(_ERROR_RESPONSE),
                },
            },
            "post": {
                "operationId": "createRun",
                "summary": "Create a run",
                "description": "Start a new run.",
                "tags": ["Runs"],
                "requestBody": {
                    "required": True,
                    "description": "The run to create.",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/CreateRunRequest"}}
                    },
                },
                "responses": {
                    "200": {
                        "description": "The new run.",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Run"}}},
                    },
                    "4XX": copy.deepcopy(_ERROR_RESPONSE),
                },
            },
        },
    },
    "components": {
        "securitySchemes": {
            "ApiKeyAuth": {
                "type": "apiKey",
                "in": "header",
                "name": "X-API-Key",
                "description": "The API key.",
                "x-specgen-env": ENV,
            },
        },
        "schemas": {
            "Status": {
                "type": "string",
                "title": "Status",
                "description": "Where a run is.",
                "enum": ["queued", "running", "done"],
            },
            "Run": {
                "type": "object",
                "title": "Run",
                "description": "A run of a task.",
                "required": ["id", "status"],
                "properties": {
                    "id": {
                        "type": "string",
                        "title": "Run ID",
                        "description": "Unique ID of the run.",
                        "examples": ["run123"],
                    },
                    "status": {"$ref": "#/components/schemas/Status"},
                    "note": {
                        "type": ["string", "null"],
                        "description": "A note, or null.",
                        "default": "none",
                    },
                    "createdAt": {
                        "type": "string",
                        "format": "date-time",
                        "description": "When the run was created.",
                    },
                    "priority": {
                        "type": "integer",
                        "description": "Priority of the run.",
                        "default": 5,
                        "examples": [1],
                    },
                },
            },
            "RunList": {
                "type": "object",
                "description": "A page of runs.",
                "properties": {
                    "runs": {"type": "array", "items": {"$ref": "#/components/schemas/Run"}},
                    "next_cursor": {"type": ["string", "null"], "description": "Cursor of the next page."},
                },
            },
            "CreateRunRequest": {
                "type": "object",
                "description": "What a new run needs.",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "description": "Name of the run.", "examples": ["nightly"]},
                    "status": {"$ref": "#/components/schemas/Status"},
                },
            },
            "Error": {
                "type": "object",
                "description": "Error body.",
                "required": ["message"],
                "properties": {
                    "message": {"type": "string", "description": "What went wrong."},
                    "code": {"type": "integer", "description": "Error code."},
                },
            },
        },
    },
}


def base() -> dict[str, Any]:
    """A fresh deep copy of the base spec."""
    return copy.deepcopy(BASE)


def dump(spec: Any) -> str:
    """YAML text for ``spec``: ASCII only, every other character escaped, keys in insertion order."""
    return yaml.dump(spec, Dumper=_Dumper, sort_keys=False, allow_unicode=False, width=10_000,
                     default_flow_style=False)


class _Dumper(yaml.SafeDumper):
    """A safe dumper that can write strings PyYAML would refuse (lone surrogates) as escapes."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if any(0xD800 <= ord(c) <= 0xDFFF for c in value) or any(ord(c) < 0x20 and c not in "\n" for c in value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_str(value)


_Dumper.add_representer(str, _represent_str)
