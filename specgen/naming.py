"""Every identifier rule in one place.

Names are derived from the spec alone (never from the order things were met in), so two equivalent
specs give the same code, and a name that cannot be made valid is an error rather than a guess.

The generated code binds names of its own next to the ones taken from the spec: imports, runtime
helpers, per-call options. Each module kind's names are listed here once (``tests/test_naming.py``
renders every template and checks that these lists are exactly what the modules bind), and the IR
keeps spec-derived names out of them: a derived name gets a deterministic suffix, a name the spec
author chose explicitly is refused with a located error.
"""

from __future__ import annotations

import keyword
import re
import sys

from . import runtime_facts

_WORD_BOUNDARY = re.compile(
    r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z]+[0-9]*|[A-Z]+[0-9]+[A-Z]*(?![a-z])|[A-Z]+[0-9]*|[0-9]+"
)
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

#: Longest package or resource name: it becomes a file or folder name (with a staging prefix).
MAX_MODULE_NAME = 100

# -- what each generated module binds -------------------------------------------------------------

#: Names every resource module (``resources/<name>.py``) may import or define besides the model
#: classes it imports, its two resource classes and its ``<METHOD>_PAGES`` constants.
RESOURCE_MODULE_NAMES = frozenset({
    "annotations", "builtins", "AsyncIterator", "Iterator", "Mapping", "Any", "Literal",
    "NOT_GIVEN", "AsyncClient", "NotGiven", "Pages", "SyncClient", "TimeoutTypes", "aiterate", "iterate",
    "FormBody", "MultipartBody", "RawBody", "TypeForm",
})
#: Names ``client.py`` binds besides the client and resource classes.
CLIENT_MODULE_NAMES = frozenset({
    "annotations", "Mapping", "cached_property", "TYPE_CHECKING", "httpx", "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT", "AsyncClient", "SyncClient", "TimeoutTypes", "basic_auth", "key_auth",
    "require_auth", "__version__", "USER_AGENT", "BASE_URL", "SERVERS",
})
#: Names the package's ``__init__.py`` binds besides the two client classes.
INIT_MODULE_NAMES = frozenset({
    "NOT_GIVEN", "APIResponse", "NotGiven", "with_raw_response", "__version__", "__all__",
    "AsyncStreamedResponse", "StreamedResponse", "with_streaming_response",
    "APIConnectionError", "APIError", "APIResponseDecodingError", "APIResponseValidationError",
    "APIStatusError", "APITimeoutError", "AuthenticationError", "BadRequestError", "ConflictError",
    "InternalServerError", "InvalidCredentialsError", "MissingCredentialsError", "NotFoundError",
    "PaginationError", "PermissionDeniedError", "RateLimitError", "UnprocessableEntityError",
})
#: Names ``models.py`` may import, plus the model bases: the names datamodel-code-generator 0.89.0
#: could import when it built the models, kept as they were so that no class is renamed; a superset
#: of what :mod:`specgen.modelgen` imports (``tests/test_naming.py`` holds it to that).
MODEL_MODULE_NAMES = frozenset({
    "AliasChoices", "Annotated", "Any", "AnyUrl", "AwareDatetime", "Base64Bytes", "Base64Encoder",
    "Base64Str", "BaseModel", "ClassVar", "ConfigDict", "Date", "DateTime", "Decimal", "Dict",
    "Duration", "EmailStr", "EncodedBytes", "Enum", "Field", "FrozenSet", "FutureDate",
    "FutureDatetime", "IPv4Address", "IPv4Network", "IPv6Address", "IPv6Network", "IntEnum",
    "Iterator", "List", "Literal", "MISSING", "Mapping", "Meta", "MultipleOf", "NaiveDatetime",
    "NegativeFloat", "NegativeInt", "NonNegativeFloat", "NonNegativeInt", "NonPositiveFloat",
    "NonPositiveInt", "NotRequired", "Optional", "PastDate", "PastDatetime", "Path", "PositiveFloat",
    "PositiveInt", "ReadOnly", "Required", "RootModel", "SecretStr", "Sequence", "SerializeAsAny",
    "Set", "StrEnum", "StrictBool", "StrictBytes", "StrictFloat", "StrictInt", "StrictStr",
    "StringConstraints", "Struct", "SupportsIndex", "Time", "Tuple", "TypeAdapter", "TypeAlias",
    "TypeAliasType", "TypedDict", "ULID", "UNSET", "UUID", "UUID1", "UUID3", "UUID4", "UUID5",
    "Union", "UnsetType", "ValidationInfo", "ValidatorFunctionWrapHandler", "annotations", "compile",
    "conbytes", "condecimal", "confloat", "conint", "constr", "convert", "dataclass", "date",
    "datetime", "datetime_module", "field", "field_validator", "model_validator", "overload", "time",
    "timedelta", "to_camel", "to_pascal", "to_snake",
    "Model", "OpenEnum",
})
#: Names ``models/__init__.py`` binds besides the model classes (a large API's models are a package
#: of modules, see :mod:`specgen.split`). Importing a module of the package binds its name there too,
#: so no module of it takes one of these names.
MODELS_PACKAGE_NAMES = frozenset({
    "annotations", "import_module", "TYPE_CHECKING", "Any", "__all__", "_MODULES", "__getattr__", "__dir__",
})
#: A schema's class is imported into resource modules and defined in ``models.py`` (or a module of
#: ``models/``, whose ``__init__.py`` imports it).
RESERVED_CLASSES = MODEL_MODULE_NAMES | RESOURCE_MODULE_NAMES | MODELS_PACKAGE_NAMES
#: The sync and async resource classes live in resource modules and are imported into ``client.py``.
RESERVED_RESOURCE_CLASSES = RESOURCE_MODULE_NAMES | CLIENT_MODULE_NAMES
#: The client classes are defined in ``client.py`` and imported into ``__init__.py``.
RESERVED_CLIENT_CLASSES = CLIENT_MODULE_NAMES | INIT_MODULE_NAMES


#: Builtins a resource class body names in annotations. A method with one of these names would
#: shadow it for the annotations after it, so there the annotation says ``builtins.<name>``.
ANNOTATION_BUILTINS = frozenset({"list", "dict", "str", "int", "float", "bool", "bytes", "object", "type"})

#: Builtins the fixed part of every method signature names (``max_retries: int``,
#: ``Mapping[str, str]``): a method may not take these names at all.
SIGNATURE_BUILTINS = frozenset({"str", "int"})

#: Names a generated method body refers to (besides model classes): a parameter with one of these
#: names would shadow it. ``position`` is the paginator's lambda argument.
METHOD_BODY_NAMES = frozenset({
    "self", "timeout", "max_retries", "extra_headers", "iterate", "aiterate", "position", "type",
    "NOT_GIVEN", "NotGiven", "builtins", "Any", "Literal", "FormBody", "MultipartBody", "RawBody", "TypeForm",
}) | ANNOTATION_BUILTINS
#: Names the client constructor binds or refers to: an auth argument may not take them.
CLIENT_INIT_NAMES = frozenset({
    "self", "base_url", "timeout", "max_retries", "headers", "http_client", "super", "require_auth",
    "key_auth", "basic_auth", "BASE_URL", "USER_AGENT", "DEFAULT_TIMEOUT", "DEFAULT_MAX_RETRIES",
})

#: Modules a generated package must not be named after: it would shadow them for its users (and
#: for itself: every package imports ``httpx``, ``pydantic`` and the standard library).
DEPENDENCY_MODULES = frozenset({
    "httpx", "httpcore", "h11", "h2", "anyio", "sniffio", "idna", "certifi", "pydantic",
    "pydantic_core", "typing_extensions", "typing_inspection", "annotated_types", "generator",
    "specgen",
})
RESERVED_PACKAGES = frozenset(sys.stdlib_module_names) | DEPENDENCY_MODULES


def client_attributes() -> frozenset[str]:
    """Attributes of the generated clients: what the runtime's client classes define, and ``object``'s.

    A resource attribute (``client.<resource>``) may not shadow one of them.
    """
    return runtime_facts.client_attributes() | frozenset(dir(object))


def reserved_resources() -> frozenset[str]:
    """The names a resource may not take: the client's own attributes, and what its class body
    names (decorators, annotations, defaults)."""
    return client_attributes() | CLIENT_MODULE_NAMES | ANNOTATION_BUILTINS


def words(name: str) -> list[str]:
    """Split ``taskID``, ``run.experiment_id``, ``get_/run`` or ``HTTPServer`` into words."""
    return _WORD_BOUNDARY.findall(name)


def snake(name: str) -> str:
    """``sessionID`` → ``session_id``; empty when the name has no letters or digits."""
    return "_".join(w.lower() for w in words(name))


def pascal(name: str) -> str:
    """``apiRun`` → ``ApiRun``; ``get_run_response`` → ``GetRunResponse``."""
    return "".join(w[:1].upper() + w[1:] for w in words(name))


def upper_snake(name: str) -> str:
    """``NotStarted`` → ``NOT_STARTED``."""
    return snake(name).upper()


def is_identifier(name: object) -> bool:
    """A usable Python identifier: ASCII letters, digits and ``_``, not a keyword or soft keyword."""
    return (
        isinstance(name, str) and bool(_IDENTIFIER.match(name))
        and not keyword.iskeyword(name) and not keyword.issoftkeyword(name)
    )


def python_name(wire: str) -> str | None:
    """A snake_case identifier for a derived name, or None when none can be made.

    Keywords get a trailing underscore (``from`` → ``from_``), as PEP 8 suggests.
    """
    name = snake(wire)
    if not name or name[0].isdigit():
        return None
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        name += "_"
    return name


def resource_from_tag(tag: str) -> str | None:
    """The resource of a tag: its snake_case, ``tag_`` in front when that starts with a digit
    (``2FA`` → ``tag_2fa``, ``1-Click Applications`` → ``tag_1_click_applications``), or None
    when the tag has no letter or digit."""
    name = python_name(tag)
    if name is None and snake(tag):
        name = f"tag_{snake(tag)}"
    return name


def free_name(name: str, taken: frozenset[str] | set[str], suffix: str = "_") -> str:
    """``name``, or ``name`` plus ``suffix`` (then a number) until it is not in ``taken``.

    The one collision rule for derived names: deterministic, and the original stays recognisable.
    """
    if name not in taken:
        return name
    candidate = name + suffix
    number = 2
    while candidate in taken:
        candidate = f"{name}{suffix}{number}"
        number += 1
    return candidate


def fallback_name(stem: str, taken: frozenset[str] | set[str]) -> str:
    """``stem``, else ``stem_2``, ``stem_3`` ...: the name of something whose own name gives no
    identifier (a parameter called ``...`` is ``query_param``), chosen from where it is."""
    name, number = stem, 2
    while name in taken:
        name = f"{stem}_{number}"
        number += 1
    return name


_VERSION_SEGMENT = re.compile(r"^(v\d+([a-z]+\d*)?|api|apis)$", re.IGNORECASE)


def resource_from_path(path: str) -> str:
    """The resource of an operation with no tag: its first path segment that is not a version or
    a parameter (``/apis/v2beta1/runs/{id}`` → ``runs``), else ``default``."""
    for segment in path.split("/"):
        segment = segment.split(":")[0]
        if not segment or segment.startswith("{") or _VERSION_SEGMENT.match(segment):
            continue
        name = snake(segment)
        if name and not name[0].isdigit():
            return name
    return "default"


def method_from_path(method: str, path: str, *, versions: bool = False) -> str:
    """The method of an operation with no operationId, from its HTTP method and path:
    ``GET /runs/{run_id}:archive`` → ``get_runs_by_run_id_archive``. Version segments (``v2``,
    ``api``) are left out unless ``versions`` (``GET /v3/logs`` → ``get_v3_logs``)."""
    parts = [method.lower()]
    for segment in path.split("/"):
        if not segment:
            continue
        action = ""
        if ":" in segment and not segment.startswith("{") or ("}:" in segment):
            segment, _, action = segment.rpartition(":")
        if segment.startswith("{") and segment.endswith("}"):
            parts += ["by", snake(segment[1:-1])]
        elif segment and (versions or not _VERSION_SEGMENT.match(segment)):
            parts.append(snake(segment))
        if action:
            parts.append(snake(action))
    return "_".join(p for p in parts if p)


def methods_from_paths(routes: list[tuple[str, str]], taken: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """Method names for the operations of one resource that have no operationId, from their
    ``(method, path)`` in spec order: :func:`method_from_path`, or where two would be the same (or
    the name is ``taken``) the name with the version segments kept, numbered ``_2``, ``_3`` ...
    if that is still not enough (``/logs`` and ``/v3/logs`` give ``get_logs`` and ``get_v3_logs``)."""
    plain = [method_from_path(method, path) for method, path in routes]
    clashing = {name for name in plain if plain.count(name) > 1 or name in taken}
    used, names = set(taken), []
    for (method, path), name in zip(routes, plain):
        if name in clashing:
            name = method_from_path(method, path, versions=True)
        name = fallback_name(name, used)
        used.add(name)
        names.append(name)
    return names


def class_name(schema_key: str) -> str | None:
    """The PascalCase class name for a component schema (``Schema`` in front when it would start
    with a digit: ``400`` → ``Schema400``; after a keyword: ``NoneSchema``), or None when none can
    be made (no letter or digit).

    Collisions with reserved names or other schemas are resolved by the IR with :func:`free_name`.
    """
    name = pascal(schema_key)
    if name and name[0].isdigit():
        name = "Schema" + name
    elif keyword.iskeyword(name):  # None, True, False
        name += "Schema"
    if not name or not is_identifier(name):
        return None
    return name


def enum_member(value: object) -> str:
    """The member name for an enum value: ``NotStarted`` → ``NOT_STARTED``, ``""`` → ``EMPTY``, ``0`` → ``VALUE_0``."""
    if not isinstance(value, str):
        name = upper_snake(str(value).replace("-", " MINUS ").replace(".", "_"))
        return "VALUE_" + (name or "OTHER")
    name = upper_snake(value)
    if not name:
        return "EMPTY"
    if name[0].isdigit():
        name = "VALUE_" + name
    return name


def enum_members(values: list[object]) -> list[str]:
    """Member names for all values of one enum; clashes (``a-b`` vs ``a_b``) get the value's index."""
    names = [enum_member(v)[:MAX_MODULE_NAME] for v in values]
    seen: dict[str, int] = {}
    for name in names:
        seen[name] = seen.get(name, 0) + 1
    members: list[str] = []
    for index, name in enumerate(names):
        members.append(free_name(f"{name}_{index}" if seen[name] > 1 else name, set(members) | set(names) - {name}))
    return members


def is_token(text: str) -> bool:
    """An RFC 9110 token: what a header name is, and a cookie name (RFC 6265 section 4.1.1)."""
    return bool(text) and all(c.isascii() and (c.isalnum() or c in "!#$%&'*+-.^_`|~") for c in text)
