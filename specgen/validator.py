"""The OpenAPI 3.1 schema, checked by openapi-spec-validator in bounded time.

The validator checks each ``default`` against its schema with Python's ``re`` and format checkers:
a backtracking ``pattern`` such as ``(a+)+$`` hangs it, ECMA-only syntax (``\\p{L}``) is reported as
invalid although it is not, and a large default (``uniqueItems`` is quadratic) takes long. So it gets
a view of the document (:func:`view`); the structure checks of :mod:`.spec` have already bounded
nesting and refused ``$ref`` cycles, so what remains for it is finite.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .diagnostics import Diagnostic
from .yamlload import Pointer

if TYPE_CHECKING:
    from .spec import Spec

# Defaults are validated against their schema by openapi-spec-validator; bigger ones are left out.
_DEFAULT_NODES, _DEFAULT_DEPTH, _DEFAULT_TEXT = 1_000, 16, 10_000


def is_risky(node: dict[str, Any]) -> bool:
    """Whether :func:`view` changes this object."""
    return (isinstance(node.get("pattern"), str) or isinstance(node.get("patternProperties"), dict)
            or ("default" in node and not _small(node["default"])))


def _small(value: Any) -> bool:
    """At most _DEFAULT_NODES values, _DEFAULT_DEPTH levels and _DEFAULT_TEXT characters in a string."""
    stack, count = [(value, 0)], 0
    while stack:
        value, depth = stack.pop()
        count += 1
        if count > _DEFAULT_NODES or depth > _DEFAULT_DEPTH:
            return False
        if isinstance(value, str) and len(value) > _DEFAULT_TEXT:
            return False
        if isinstance(value, dict):
            stack += [(k, depth + 1) for k in value] + [(v, depth + 1) for v in value.values()]
        elif isinstance(value, list):
            stack += [(v, depth + 1) for v in value]
    return True


def view(data: dict[str, Any], risky: list[Pointer]) -> dict[str, Any]:
    """The document as the validator gets it: every ``pattern`` emptied, the keys of
    ``patternProperties`` replaced by patterns that match nothing (and ``additionalProperties``
    dropped next to them, so no default is refused for what is left), large defaults removed.
    (Pattern syntax is checked by :mod:`.spec`.) Only the objects on the way to a change are copied;
    the rest is shared with ``data``.
    """
    result = dict(data)
    copies: dict[Pointer, Any] = {(): result}
    for pointer in sorted(set(risky), key=len, reverse=True):  # deepest first: a change renames keys on the way to children
        node: Any = result
        for depth in range(1, len(pointer) + 1):
            here = pointer[:depth]
            if here not in copies:
                part = pointer[depth - 1]
                index: Any = int(part) if isinstance(node, list) else part
                copies[here] = node[index] = dict(node[index]) if isinstance(node[index], dict) else list(node[index])
            node = copies[here]
        if isinstance(node.get("pattern"), str):
            node["pattern"] = ""
        if isinstance(node.get("patternProperties"), dict):
            node["patternProperties"] = {f"(?!){i}": v for i, v in enumerate(node["patternProperties"].values())}
            node.pop("additionalProperties", None)
            node.pop("unevaluatedProperties", None)
        if "default" in node and not _small(node["default"]):
            del node["default"]
    return result


def _validator_class() -> Any:
    """openapi-spec-validator's OpenAPI 3.1 validator, with errors in a `default` located at it
    (it reports them at the path inside the default value, which is line 1 of the spec)."""
    from openapi_spec_validator import OpenAPIV31SpecValidator
    from openapi_spec_validator.validation.keywords import OpenAPIV31ValueValidator

    class LocatedDefaults(OpenAPIV31ValueValidator):
        def __call__(self, schema: Any, value: Any) -> Iterator[Any]:
            where = [str(part) for part in schema.parts] + ["default"]
            for error in super().__call__(schema, value):
                error.relative_path.extendleft(reversed(where))
                yield error

    class Validator(OpenAPIV31SpecValidator):
        keyword_validators = {**OpenAPIV31SpecValidator.keyword_validators, "default": LocatedDefaults}

    return Validator


def check(spec: Spec, risky: list[Pointer]) -> Iterator[Diagnostic]:
    """Everything the OpenAPI 3.1 schema says, via openapi-spec-validator on :func:`view`;
    ``risky``: the objects :func:`is_risky` picked out."""
    errors: list[Any] = []
    try:
        validator = _validator_class()(view(spec.data, risky))
        # The schema of OpenAPI documents first: the validator's own walk assumes a document that fits it.
        errors.extend(validator.schema_validator.iter_errors(validator.schema))
        if not errors:
            errors.extend(validator.root_validator(validator.schema_path))
    except RecursionError:
        # Its walk follows $refs without end on recursion it does not expect (`A: {allOf: [{items: A}]}`
        # is a list of lists). Cycles with no base case and deep nesting were refused before it ran, so
        # what is left is legitimate recursion: keep what it found so far and trust the structure checks.
        pass
    except Exception as exc:  # noqa: BLE001 - a bug of the validator must still end in a located error
        yield spec.at((), f"the OpenAPI validator failed on this spec ({type(exc).__name__}: {str(exc)[:200]})",
                      "check the spec's structure against https://spec.openapis.org/oas/v3.1.0")
        return
    for error in errors:
        pointer = tuple(str(p) for p in getattr(error, "absolute_path", ()))
        message = str(getattr(error, "message", error)).splitlines()[0]
        if len(message) > 300:
            message = message[:297] + "..."
        yield spec.at(pointer, f"invalid OpenAPI: {message}",
                      "see https://spec.openapis.org/oas/v3.1.0 for what belongs here")
