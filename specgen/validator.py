"""The OpenAPI 3.1 schema, checked by openapi-spec-validator in bounded time.

The validator checks each ``default`` against its schema with Python's ``re`` and format checkers:
a backtracking ``pattern`` such as ``(a+)+$`` hangs it, ECMA-only syntax (``\\p{L}``) is reported as
invalid although it is not, and a large default (``uniqueItems`` is quadratic) takes long. So it gets
a view of the document (:func:`view`); the structure checks of :mod:`.spec` have already bounded
nesting and refused ``$ref`` cycles, so what remains for it is finite.

Where a finding is. Every finding is reported at the line of the node it is about: the validator's
own walk (schemas, defaults, operations) reports errors relative to the object it was walking, so
each of its keyword validators is wrapped (:func:`_located`) to prefix the path of that object; a
path that goes through a ``$ref`` is followed to the object actually written (:func:`_written`);
what is not written (a missing key) is reported at its closest written ancestor.

Warnings and errors. A finding is a *warning* when the node it points at is inside a value the
client never uses: a schema's ``default``, ``example`` or ``examples``, the ``example`` of a
parameter, header or media type, or the ``value`` of an Example Object (``examples: {name: {value:
...}}`` or ``components/examples``). A ``default`` that is not in its ``enum`` or does not match its
``format`` (an empty string for ``format: email``), or a schema's ``examples`` that is not a list,
is such a finding, and so is a ``default`` next to a ``$ref`` to an enum that is not one of its
values (checked here: the validator reads the ``default`` of the schema referred to). The value
is then left out of the document the client is generated from, as if it had not been written (a
``default`` outside its ``enum`` would otherwise become a model field default of the wrong type).
Everything else is an *error*: wrong types of OpenAPI objects (``responses: 5``, an Example
Object that is not a mapping), missing required keys (``info.title``, a parameter's
``in``), bad ``$ref`` targets, path parameters that are not declared, the ``default`` of a server
variable (it is part of the base URL), ``enum`` and ``const`` (they become code). Pattern syntax
that only ECMA-262 knows (``\\p{L}``) and unknown ``format`` values are not findings at all: the
client enforces neither.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .diagnostics import WARNING, Diagnostic
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


def _located(cls: Any) -> Any:
    """``cls``, a keyword validator of openapi-spec-validator, with each error it yields located:
    the path of the object it was called on (the first argument that is a path) is put in front
    of the error's own path, once, by the innermost validator that saw it. A value validator (it
    checks a ``default``) also adds ``default``."""
    from openapi_spec_validator.validation.keywords import ValueValidator

    suffix = ["default"] if issubclass(cls, ValueValidator) else []

    class Located(cls):  # type: ignore[misc]
        def __call__(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
            where = next((list(arg.parts) for arg in args if hasattr(arg, "parts")), None)
            for error in super().__call__(*args, **kwargs):
                if where is not None and not getattr(error, "specgen_located", False):
                    error.relative_path.extendleft(reversed([*where, *suffix]))
                    error.specgen_located = True
                yield error

    Located.__name__ = f"Located{cls.__name__}"
    return Located


@functools.cache
def _compiled() -> tuple[Any, Any] | None:
    """jsonschema-rs validators for the OpenAPI 3.1 document schema and for its Schema Object dialect
    (the two schemas openapi-spec-validator checks with the pure-Python jsonschema), or None
    without jsonschema-rs.

    They answer only *whether* a document or a schema is valid, a thousand times faster (on
    Stripe's spec: 0.02 s against 15 s for the document, 0.01 s against 5 s for its 775 schemas);
    when one says no, the Python validator runs and its findings are what is reported, so the
    messages are the same either way. They check formats, which the Python one does only in
    part: where they disagree they say no, and the Python validator decides.
    """
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - a dependency; a platform without its wheel is slower
        return None
    from openapi_schema_validator._dialects import OAS31_BASE_DIALECT_ID, OAS31_BASE_DIALECT_METASCHEMA
    from openapi_schema_validator._specifications import REGISTRY
    from openapi_spec_validator.schemas.utils import get_schema_content

    vocabularies = jsonschema_rs.Registry([(uri, REGISTRY[uri].contents) for uri in
                                           ("https://spec.openapis.org/oas/3.1/meta/base", OAS31_BASE_DIALECT_ID)])
    document = jsonschema_rs.validator_for(dict(get_schema_content("3.1")), validate_formats=True)
    schema = jsonschema_rs.validator_for(OAS31_BASE_DIALECT_METASCHEMA, registry=vocabularies, validate_formats=True)
    return document, schema


class _IdList(list[int]):
    """A list that answers ``in`` from a set."""

    def __init__(self) -> None:
        super().__init__()
        self._members: set[int] = set()

    def append(self, item: int) -> None:
        super().append(item)
        self._members.add(item)

    def __contains__(self, item: object) -> bool:
        return item in self._members


def _fast_schema_check(cls: Any) -> Any:
    """``cls``, the Schema Object validator, with the check of each schema against the OpenAPI
    dialect answered by :func:`_compiled` when it finds nothing, and its seen-lists made sets."""
    from openapi_schema_validator._dialects import OAS31_BASE_DIALECT_ID

    class FastSchemaCheck(cls):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            # It records the schemas it has seen in lists, and asks each one `in` them: quadratic.
            self.visited_schema_ids = _IdList()
            self.meta_checked_schema_ids = _IdList()

        def _validate_schema_meta(self, schema: Any, schema_value: Any) -> Any:
            compiled = _compiled()
            try:
                dialect = self._get_schema_dialect_id(schema, schema_value)
            except ValueError:
                dialect = None
            if compiled is not None and dialect == OAS31_BASE_DIALECT_ID and compiled[1].is_valid(schema_value):
                return None
            return super()._validate_schema_meta(schema, schema_value)

    return FastSchemaCheck


@functools.cache
def _quick_steps() -> Any:
    """Each step of the validator's walk (pathable's ``SubscriptableAccessor._get_subnode``) asks
    ``isinstance(node, Subscriptable)``, a runtime-checkable Protocol, which Python 3.11 answers
    slowly: a third of the walk's time. A dict or a list is Subscriptable, so for them the step is
    taken at once, with the same result and the same KeyError; any other node goes the usual way.
    Returns the usual step (None, and nothing changed, if pathable's accessor is not as expected)."""
    try:
        from pathable.accessors import SubscriptableAccessor
        usual = SubscriptableAccessor.__dict__["_get_subnode"].__func__
    except (ImportError, KeyError, AttributeError):  # pragma: no cover - another pathable
        return None

    def _get_subnode(cls: Any, node: Any, part: Any) -> Any:
        if type(node) is dict or type(node) is list:
            try:
                return node[part]
            except (KeyError, IndexError, TypeError) as exc:
                raise KeyError(part) from exc
        return usual(cls, node, part)

    setattr(SubscriptableAccessor, "_get_subnode", classmethod(_get_subnode))
    return usual


def _validator_class() -> Any:
    """openapi-spec-validator's OpenAPI 3.1 validator, with the errors of its walk located."""
    from openapi_spec_validator import OpenAPIV31SpecValidator

    _quick_steps()

    keywords = dict(OpenAPIV31SpecValidator.keyword_validators)
    keywords["schema"] = _fast_schema_check(keywords["schema"])

    class Validator(OpenAPIV31SpecValidator):
        keyword_validators = {key: _located(cls) for key, cls in keywords.items()}

    return Validator


def _document_errors(document: dict[str, Any]) -> list[Any]:
    """What the OpenAPI 3.1 document schema finds in ``document``, by the pure-Python validator
    (whose messages the tests and users know), asked only when :func:`_compiled` finds something."""
    compiled = _compiled()
    if compiled is not None and compiled[0].is_valid(document):
        return []
    from jsonschema.validators import validator_for
    from openapi_spec_validator.schemas.utils import get_schema_content

    schema = dict(get_schema_content("3.1"))
    return list(validator_for(schema)(schema).iter_errors(document))


def _written(spec: Spec, parts: Any) -> Pointer:
    """The pointer of the node ``parts`` leads to, following each ``$ref`` on the way to where the
    object is written; the parts past what exists are kept as they are (:meth:`Spec.line` then
    finds the closest written ancestor)."""
    pointer: list[str] = []
    node: Any = spec.data
    parts = [str(part) for part in parts]
    for index, part in enumerate(parts):
        for _ in range(64):  # $ref chains end (cycles were refused): this only bounds the loop
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str) and part not in node):
                break
            try:
                target, node = spec.resolve(node["$ref"])
            except (KeyError, IndexError, ValueError, TypeError):
                return (*pointer, *parts[index:])
            pointer = list(target)
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return (*pointer, *parts[index:])
        pointer.append(part)
    return tuple(pointer)


def in_value(spec: Spec, pointer: Pointer) -> Pointer | None:
    """The pointer of the value (a ``default``, ``example``, ...) that ``pointer`` is inside, or
    None when it is not inside one (see the module docstring)."""
    from .spec import SCHEMA, SPEC, _step

    node: Any = spec.data
    role, depth = SPEC, 0
    for index, key in enumerate(pointer):
        if role == SCHEMA and key in ("default", "example", "examples"):
            return pointer[:index + 1]
        if role == SPEC and isinstance(node, dict):
            if key == "example" and ("schema" in node or "content" in node):
                return pointer[:index + 1]  # of a parameter, header or media type
            if key == "value" and index >= 2 and pointer[index - 2] == "examples":
                return pointer[:index + 1]  # an Example Object's value
        if isinstance(node, dict) and key in node:
            child = node[key]
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            child = node[int(key)]
        else:
            return None
        step = _step(pointer[:index], role, depth, key, child)
        role, depth = step if step is not None else (SPEC, 0)  # `responses: {default: ...}` and the like
        node = child
    return None


def check(spec: Spec, risky: list[Pointer], ignored: list[Pointer] | None = None) -> Iterator[Diagnostic]:
    """Everything the OpenAPI 3.1 schema says, via openapi-spec-validator on :func:`view`;
    ``risky``: the objects :func:`is_risky` picked out. Findings inside values are warnings, and
    the pointers of those values are added to ``ignored`` (the caller leaves them out)."""
    errors: list[Any] = []
    try:
        document = view(spec.data, risky)
        validator = _validator_class()(document)
        # The schema of OpenAPI documents first: the validator's own walk assumes a document that fits it.
        errors.extend(_document_errors(document))
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
        pointer = _written(spec, getattr(error, "absolute_path", ()))
        message = str(getattr(error, "message", error)).splitlines()[0]
        if len(message) > 300:
            message = message[:297] + "..."
        value = in_value(spec, pointer)
        if value is not None:
            if ignored is not None:
                ignored.append(value)
            yield spec.at(pointer, f"`{value[-1]}` does not match its schema ({message}); it is left out of "
                          "the client", f"make this `{value[-1]}` match its schema, or remove it", WARNING)
        else:
            yield spec.at(pointer, f"invalid OpenAPI: {message}",
                          "see https://spec.openapis.org/oas/v3.1.0 for what belongs here")
    yield from _defaults_next_to_refs(spec, ignored)


def _defaults_next_to_refs(spec: Spec, ignored: list[Pointer] | None) -> Iterator[Diagnostic]:
    """A ``default`` next to a ``$ref`` to an enum, but not one of its values: openapi-spec-validator
    reads the ``default`` of the schema referred to, so it never sees this one, and the client would
    get a field default of the wrong type. A warning, and the default is left out, like the others."""
    from .spec import SCHEMA, SPEC, _walk

    for pointer, node, role, _ in _walk([((), spec.data, SPEC)]):
        if role != SCHEMA or not isinstance(node, dict) or "default" not in node or not isinstance(node.get("$ref"), str):
            continue
        target: Any = node
        seen: set[str] = set()
        while isinstance(target, dict) and isinstance(target.get("$ref"), str) and target["$ref"] not in seen:
            seen.add(target["$ref"])
            try:
                target = spec.resolve(target["$ref"])[1]
            except (KeyError, IndexError, ValueError, TypeError):
                break
        enum = target.get("enum") if isinstance(target, dict) else None
        default = node["default"]
        if not isinstance(enum, list) or any(type(v) is type(default) and v == default for v in enum):
            continue
        if ignored is not None:
            ignored.append((*pointer, "default"))
        shown = repr(default) if _small(default) and len(repr(default)) <= 80 else "it"
        yield spec.at((*pointer, "default"), f"`default` does not match its schema ({shown} is not one of the "
                      f"values of {node['$ref']}); it is left out of the client",
                      "make this `default` match its schema, or remove it", WARNING)

