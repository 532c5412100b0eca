"""Every inference the transcriber makes, declared once; the README's table is this module.

Documentation loses what a spec has. Where a page does not show something, one of these rules
decides, and the choice is written into the spec under ``x-specgen-inferred`` (as the sentence
the rule returns), so nothing is guessed silently and everything can be overridden:

* wire names: the SDK docs show SDK field names. ``WIRE_CASE`` is the default per dialect,
  ``--wire-case`` overrides it for every page;
* types: SDK types map to JSON Schema by ``SDK_TYPES`` (and a format from the SDK type, e.g. Go
  ``int64`` → ``format: int64``, is marked inferred);
* parameters whose location the page does not show are query parameters, and path template
  variables the page does not list are required strings;
* an operation whose HTTP method and path the page does not show (Speakeasy Go docs) is matched to
  an operation of the existing spec by its client names (``x-specgen-resource`` +
  ``x-specgen-method``); without one it becomes ``GET`` (``POST`` with a body) ``/<group>/<method>``;
* an example is read as JSON when the field is not a string (``3600``, ``true``, ``{"a":"b"}``),
  else as the text written; ``N/A`` is no description.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .. import naming

WIRE_CASES = ("camel", "snake", "as-is")

#: The wire-name rule of each dialect when ``--wire-case`` is not given.
WIRE_CASE = {
    "speakeasy-go": "camel",  # Go exports fields capitalised: ActiveAt → activeAt, SessionID → sessionID, ID → id
    "speakeasy-ts": "as-is",  # TypeScript shows the name the SDK uses (camelCase of the wire name)
    "openapi-generator": "as-is",  # python client docs show the wire name
    "rest-reference": "as-is",  # REST reference pages show the wire name
}


def wire_name(shown: str, case: str, sdk_name: bool = False) -> tuple[str, str | None]:
    """The wire name of a field shown as ``shown``, and the inference note: None when the page shows
    the wire name itself and it is kept; always one for an SDK name (``sdk_name``), which is never the
    wire name for sure. Merging into a spec, an SDK name that matches a field of the spec ignoring case
    and ``_`` takes the spec's wire name (see :mod:`.merge`)."""
    if case == "camel":
        wire = _lower_leading_capitals(shown)
    elif case == "snake":
        wire = naming.snake(shown) if re.search(r"[A-Z]", shown) else shown
    else:
        wire = shown
    if wire == shown and not sdk_name:
        return wire, None
    return wire, f"{WIRE_NOTE}{wire} from the SDK name {shown} (--wire-case {case})"


WIRE_NOTE = "wire-name: "


def loose(name: str) -> str:
    """A name compared ignoring case and ``_`` / ``-`` (``workflowVersionId`` ~ ``workflow_version_id``)."""
    return re.sub(r"[_\-]", "", name).lower()


def _lower_leading_capitals(name: str) -> str:
    """``ActiveAt`` → ``activeAt``; ``ID`` → ``id``; ``SessionID`` → ``sessionID``; ``APIKeyAuth`` → ``apiKeyAuth``."""
    run = len(name) - len(name.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    if run == 0:
        return name
    if run == len(name) or run == 1 or not name[run].isalpha():
        return name[:run].lower() + name[run:]
    return name[:run - 1].lower() + name[run - 1:]


#: SDK scalar type → (JSON type, format, whether the format is inferred rather than shown).
SDK_TYPES: dict[str, tuple[str, str]] = {
    # Go and TypeScript (Speakeasy)
    "string": ("string", ""), "int": ("integer", ""), "int64": ("integer", "int64"), "int32": ("integer", "int32"),
    "integer": ("integer", ""), "float64": ("number", "double"), "float32": ("number", "float"), "number": ("number", ""),
    "bool": ("boolean", ""), "boolean": ("boolean", ""), "time.Time": ("string", "date-time"), "Date": ("string", "date-time"),
    "types.Date": ("string", "date"), "RFCDate": ("string", "date"), "bigint": ("integer", ""), "big.Int": ("integer", ""),
    # Python (openapi-generator)
    "str": ("string", ""), "float": ("number", ""), "datetime": ("string", "date-time"), "date": ("string", "date"),
    "file": ("string", "binary"), "bytearray": ("string", "byte"),
}
#: TypeScript (and the REST pages' ``(number)``) cannot tell an integer from a number: ``number``
#: is written, and a spec that says ``integer`` keeps it.
TS_NUMBER = "type: number (the SDK's number does not tell integer from number; a spec's integer is kept)"
ANY_TYPES = frozenset({"interface{}", "any", "object", "unknown", "Any"})


def scalar(name: str) -> tuple[str, str] | None:
    return SDK_TYPES.get(name)


def format_note(sdk: str, fmt: str) -> str:
    return f"format: {fmt} from the SDK type {sdk}"


def description(text: str) -> str | None:
    """A description cell: ``N/A`` and empty cells are no description."""
    text = text.strip()
    return None if text in ("", "N/A") else text


def example(text: str | None, schema: dict[str, Any]) -> tuple[bool, Any]:
    """(True, value) for an example written for ``schema``; (False, None) when there is none.

    A string schema takes the text as written; any other schema takes it as JSON when it parses
    (``3600``, ``true``, ``{"a": "b"}``), else as text.
    """
    if text is None or not text.strip():
        return False, None
    text = text.strip()
    if _json_type(schema) == "string":
        return True, text
    try:
        return True, json.loads(text)
    except ValueError:
        return True, text


def _json_type(schema: dict[str, Any]) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        kind = kinds[0] if len(kinds) == 1 else None
    return kind if isinstance(kind, str) else None


def placeholder_route(resource: str, method_name: str, has_body: bool) -> tuple[str, str]:
    """HTTP method and path for an operation whose page shows neither: ``GET /runs/getOutputs``."""
    first = method_name[:1].lower() + method_name[1:]
    return ("post" if has_body else "get"), f"/{naming.snake(resource) or 'api'}/{first}"
