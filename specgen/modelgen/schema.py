"""Component schemas → the model IR (:mod:`.ir`): which classes, with which fields and types.

Every component schema becomes one class, named by specgen (``api.class_names``): an object a
model, an ``enum`` an enum, anything else a root model. The rules are those datamodel-code-generator
followed when it built ``models.py`` (the differential test holds this module to its output), so a
package regenerated with this module has the classes, fields, aliases, types and defaults it had.

The schemas are read as :func:`prepared` views, never copied or changed: spec text reaches the IR
cleaned (:func:`text.clean`), and what the models leave to the server (patterns, the constraints of
a schema inside a union, an array or a map, formats that need another package) is left out here.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from .. import naming, text
from . import names, types
from .ir import REQUIRED, ClassDef, Code, EnumClass, EnumMember, Field, Member, ModelClass
from .types import Type

#: String formats the models keep as plain ``str`` (see ``specgen.models.PLAIN_STRING_FORMATS``).
PLAIN_STRING_FORMATS = frozenset({"byte", "email", "idn-email", "ulid", "password", "hostname"})
#: String formats typed as something a written string default cannot be (the default is dropped).
TYPED_STRING_FORMATS = frozenset({"date-time", "date", "time", "duration", "uri", "uuid", "uuid1", "uuid2", "uuid3",
                                  "uuid4", "uuid5", "ipv4", "ipv6", "ipv4-network", "ipv6-network", "binary",
                                  "decimal"})
#: Constraints left to the server on a schema inside a union, an array or a map.
NESTED_CONSTRAINTS = frozenset({"maxLength", "minLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
                                "multipleOf", "minItems", "maxItems", "uniqueItems"})
#: Schema keywords whose values a field writes in ``json_schema_extra`` (besides ``example`` next
#: to ``examples``), in the order met.
EXTRA_FIELD_KEYS = frozenset({"example", "examples", "title", "deprecated", "discriminator", "contentEncoding",
                              "contentMediaType", "contentSchema", "externalDocs", "xml"})
FIELD_KEYWORDS = frozenset({"examples", "title", "deprecated", "discriminator"})
MODEL_EXTRA_KEYS = ("contentEncoding", "contentMediaType", "contentSchema", "externalDocs", "xml")
SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
SCHEMA_CHILDREN = ("items", "additionalProperties", "not", "contains", "if", "then", "else", "propertyNames",
                   "unevaluatedItems", "unevaluatedProperties", "contentSchema")
COMPONENTS = "#/components/schemas/"

_DATE_TIME = ("AwareDatetime", "pydantic")
#: (type, format) → (name, module); a format not listed is the type's default.
FORMATS: dict[str, dict[str, tuple[str, str]]] = {
    "integer": {"default": ("int", ""), "date-time": _DATE_TIME},
    "number": {"default": ("float", ""), "decimal": ("Decimal", "decimal"), "date-time": _DATE_TIME,
               "time": ("time", "datetime"), "time-delta": ("timedelta", "datetime"), "unixtime": ("int", "")},
    "string": {
        "default": ("str", ""), "date": ("date", "datetime"), "date-time": _DATE_TIME,
        "timestamp with time zone": _DATE_TIME, "date-time-local": ("NaiveDatetime", "pydantic"),
        "duration": ("timedelta", "datetime"), "time": ("time", "datetime"), "time-local": ("time", "datetime"),
        "path": ("Path", "pathlib"), "uuid": ("UUID", "uuid"), "uuid1": ("UUID1", "pydantic"),
        "uuid2": ("UUID", "uuid"), "uuid3": ("UUID3", "pydantic"), "uuid4": ("UUID4", "pydantic"),
        "uuid5": ("UUID5", "pydantic"), "uri": ("AnyUrl", "pydantic"), "ipv4": ("IPv4Address", "ipaddress"),
        "ipv4-network": ("IPv4Network", "ipaddress"), "ipv6": ("IPv6Address", "ipaddress"),
        "ipv6-network": ("IPv6Network", "ipaddress"), "decimal": ("Decimal", "decimal"), "integer": ("int", ""),
        "unixtime": ("int", ""), "binary": ("bytes", ""),
    },
    "boolean": {"default": ("bool", "")},
}


class Schema:
    """A schema as the models read it (see :func:`prepared`), with where it sits: ``nested`` inside a
    union, an array or a map (its own constraints are then the server's)."""

    __slots__ = ("data", "nested", "raw")

    def __init__(self, raw: dict[str, Any], nested: bool) -> None:
        self.raw = raw
        self.nested = nested
        self.data = prepared(raw, nested)

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def __contains__(self, key: str) -> bool:
        return key in self.data

    def child(self, key: str) -> Schema | None:
        value = self.data.get(key)
        return Schema(value, True) if isinstance(value, dict) else None

    def members(self, key: str) -> list[Schema]:
        value = self.data.get(key)
        nested = self.nested or key != "allOf"
        return [Schema(v, nested) for v in value if isinstance(v, dict)] if isinstance(value, list) else []

    def properties(self) -> list[tuple[str, Schema]]:
        value = self.data.get("properties")
        return [(str(k), Schema(v, False)) for k, v in value.items() if isinstance(v, dict)] \
            if isinstance(value, dict) else []


def prepared(raw: dict[str, Any], nested: bool) -> dict[str, Any]:
    """``raw`` as the models read it: descriptions and titles cleaned, patterns and (``nested``) the
    :data:`NESTED_CONSTRAINTS` left out, formats that need another package dropped, enum member names."""
    data = dict(raw)
    if nested:
        for key in NESTED_CONSTRAINTS.intersection(data):
            del data[key]
    enum = data.get("enum")
    if isinstance(enum, list) and any(isinstance(v, (list, dict)) for v in enum):
        del data["enum"]
    for key in ("description", "title"):
        if isinstance(data.get(key), str):
            data[key] = text.clean(data[key]).strip()
    data.pop("pattern", None)
    data.pop("patternProperties", None)
    if data.get("format") in PLAIN_STRING_FORMATS:
        del data["format"]
    if data.get("format") in TYPED_STRING_FORMATS and isinstance(data.get("default"), str):
        del data["default"]
    return data


def ref_key(ref: Any) -> str | None:
    """The component key a ``$ref`` names, or None."""
    if isinstance(ref, str) and ref.startswith(COMPONENTS):
        key = ref[len(COMPONENTS):]
        if "/" not in key:
            return key.replace("~1", "/").replace("~0", "~")
    return None


class Reader:
    """Reads every component schema into classes, in the order of the document."""

    def __init__(self, schemas: dict[str, Any], class_names: dict[str, str]) -> None:
        self.raw = schemas
        self.class_names = class_names
        self.classes: list[ClassDef] = []
        self._components: dict[str, Schema] = {}
        self.kinds: dict[str, str] = {}  # class name -> "model", "root" or "enum"
        self._keys = {name: key for key, name in class_names.items()}
        self._enum_members: dict[str, list[EnumMember]] = {}

    def component(self, key: str) -> Schema | None:
        found = self._components.get(key)
        if found is None and isinstance(self.raw.get(key), dict):
            found = self._components[key] = Schema(self.raw[key], False)
        return found

    def read(self) -> list[ClassDef]:
        for key in self.raw:
            schema = self.component(key)
            if key in self.class_names and schema is not None:
                self.kinds[self.class_names[key]] = _kind(schema)
        for key in self.raw:
            schema = self.component(key)
            if key in self.class_names and schema is not None:
                self._component(self.class_names[key], schema)
        return self.classes

    # -- classes -----------------------------------------------------------------------------------

    def _component(self, name: str, schema: Schema) -> None:
        kind = self.kinds[name]
        if kind == "enum":
            self.classes.append(self._enum(name, schema))
        elif kind == "model":
            self.classes.append(self._model(name, schema))
        else:
            self.classes.append(self._root(name, schema))

    def _enum(self, name: str, schema: Schema) -> EnumClass:
        values = schema.get("enum")
        declared = schema.get("type")
        kind = {"string": "str", "integer": "int"}.get(declared, "") if isinstance(declared, str) else ""
        varnames = naming.enum_members(values)
        descriptions = schema.get("x-enum-descriptions")
        members, taken = [], set()
        for index, (value, varname) in enumerate(zip(values, varnames)):
            if value is None:
                continue
            member = names.member_name(varname, taken)
            taken.add(member)
            doc = ""
            if isinstance(descriptions, list) and index < len(descriptions) and isinstance(descriptions[index], str):
                doc = text.clean(descriptions[index]).strip()
            members.append(EnumMember(member, value, doc))
        return EnumClass(name, kind, _doc(schema), members)

    def _model(self, name: str, schema: Schema) -> ModelClass:
        bases: list[str] = []
        parts = [schema]
        for member in schema.members("allOf"):
            key = ref_key(member.get("$ref"))
            if key is not None and key in self.class_names:
                bases.append(self.class_names[key])
            else:
                parts.append(member)
        model = ModelClass(name, bases or ["Model"], _doc(schema))
        taken: set[str] = set()
        for part in parts:
            required = _required(part)
            for wire, prop in part.properties():
                field = self._field(wire, prop, wire in required, taken)
                if field.name in names.BUILTIN_TYPES and _names_builtin(field.type, field.name):
                    field.name += "_"  # not `list: list[str]`, which would hide the builtin
                    field.keywords = {"alias": wire, **field.keywords}
                model.fields.append(field)
        model.config = self._config(schema, model)
        return model

    def _config(self, schema: Schema, model: ModelClass) -> list[tuple[str, Any]]:
        config: list[tuple[str, Any]] = []
        extra = schema.get("additionalProperties")
        if extra is False:
            config.append(("extra", "forbid"))
        elif extra is True or isinstance(extra, dict):
            config.append(("extra", "allow"))
            value = schema.child("additionalProperties")
            if value is not None and value.data:
                model.extra = self.type_of(value)
        extras = {key: schema.get(key) for key in MODEL_EXTRA_KEYS if key in schema}
        if extras:
            config.append(("json_schema_extra", extras))
        return config

    def _root(self, name: str, schema: Schema) -> ModelClass:
        """A root model. Its docstring is the root field's, but for an array (the class's too) and a
        map (the class's only: a map's root takes no default, title or examples, only its size)."""
        shape = _root_shape(schema)
        if shape == "map":
            field = Field("root", self.type_of(schema), REQUIRED, _size(schema))
            return ModelClass(name, ["RootModel"], _doc(schema), [field], root=True)
        field = self._field("root", schema, shape != "array" or "default" not in schema, set(), root=True)
        if shape == "array" and "default" in schema:
            field.type = types.optional(field.type)
        return ModelClass(name, ["RootModel"], _doc(schema) if shape == "array" else "", [field], root=True)

    # -- fields ------------------------------------------------------------------------------------

    def _field(self, wire: str, schema: Schema, required: bool, taken: set[str], root: bool = False) -> Field:
        name = "root" if root else names.field_name(wire, taken)
        taken.add(name)
        type_ = self.type_of(schema)
        keywords: dict[str, Any] = {}
        if name != wire and not root:
            keywords["alias"] = wire
        extras = {key: schema.get(key) for key in schema.data if key in EXTRA_FIELD_KEYS}
        if "examples" not in extras and "example" in extras:
            extras["examples"] = [extras.pop("example")]
        json_extra = {key: value for key, value in extras.items() if key not in FIELD_KEYWORDS}
        for key, value in extras.items():
            if key in FIELD_KEYWORDS and value is not None:
                keywords[key] = value
        if json_extra:
            keywords["json_schema_extra"] = json_extra
        keywords.update(_constraints(schema, type_))
        has_default = "default" in schema
        default: Any = REQUIRED
        if required and not (root and has_default):
            pass
        elif has_default:
            default = self._default(schema.get("default"), type_)
            if default is None:
                type_ = types.optional(type_)
        else:
            inherited = self._referenced_default(schema)
            type_ = types.optional(type_)
            default = None if inherited is REQUIRED else self._default(inherited, type_)
        return Field(name, type_, default, keywords, _doc(schema))

    def _referenced_default(self, schema: Schema) -> Any:
        key = ref_key(schema.get("$ref"))
        target = self.component(key) if key is not None else None
        if target is not None and "default" in target:
            return target.get("default")
        return REQUIRED

    def _default(self, value: Any, type_: Type) -> Any:
        for node in type_.walk():
            if node.model and self.kinds.get(node.name) == "enum":
                member = self._member(node.name, value)
                if member is not None:
                    return member
        return value

    def _member(self, enum: str, value: Any) -> Member | None:
        members = self._enum_members.get(enum)
        if members is None:
            schema = self.component(self._keys[enum])
            members = self._enum_members[enum] = self._enum(enum, schema).members if schema is not None else []
        for member in members:
            if member.value == value and type(member.value) is type(value):
                return Member(enum, member.name)
        return None

    # -- types -------------------------------------------------------------------------------------

    def type_of(self, schema: Schema) -> Type:
        """The annotation of a field whose schema is ``schema``."""
        key = ref_key(schema.get("$ref"))
        if key is not None and key in self.class_names:
            return types.model(self.class_names[key])
        all_of = schema.members("allOf")
        if len(all_of) == 1:
            return self.type_of(all_of[0])
        for combination in ("anyOf", "oneOf"):
            members = schema.members(combination)
            if members:
                return types.union([self.type_of(m) for m in members])
        if "const" in schema:
            return types.literal((_literal(schema.get("const")),))
        declared = schema.get("type")
        if isinstance(declared, list):
            found = [self._single(schema, t, listed=True) for t in declared if t != "null"]
            result = types.union(found) if found else types.NONE_TYPE
            return types.optional(result) if "null" in declared and found else result
        if declared is None and "properties" not in schema:
            return types.ANY
        result = self._single(schema, declared)
        return types.optional(result) if schema.get("nullable") is True else result

    def _single(self, schema: Schema, declared: Any, listed: bool = False) -> Type:
        if declared == "array":
            items = schema.child("items")
            return types.list_of(self.type_of(items) if items is not None else types.ANY)
        if declared == "object" or declared is None:
            value = None if listed else schema.child("additionalProperties")
            if value is not None and value.data:
                return types.dict_of(self.type_of(value))
            return types.dict_of(types.ANY)
        if declared == "null":
            return types.NONE_TYPE
        formats = FORMATS.get(declared)
        if formats is None:
            return types.ANY
        found = formats.get(schema.get("format") or "default") or formats["default"]
        return types.name(*found)


def _kind(schema: Schema) -> str:
    if isinstance(schema.get("enum"), list) and not schema.get("properties") and not schema.get("allOf"):
        return "enum"
    if schema.get("properties") or schema.get("allOf"):
        return "model"
    if schema.get("type") == "object" and not isinstance(schema.get("additionalProperties"), dict):
        return "model"
    return "root"


def _root_shape(schema: Schema) -> str:
    """``array``, ``map`` (an object of ``additionalProperties`` only) or ``other``."""
    declared = schema.get("type")
    if declared == "array" or (isinstance(declared, list) and "array" in declared):
        return "array"
    if declared == "object" and isinstance(schema.get("additionalProperties"), dict):
        return "map"
    return "other"


def _size(schema: Schema) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, argument in (("maxProperties", "max_length"), ("minProperties", "min_length")):
        value = schema.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            found[argument] = value
    return found


def _names_builtin(type_: Type, name: str) -> bool:
    for node in type_.walk():
        if node.kind == types.NAME and not node.module and not node.model and node.name == name:
            return True
        if (node.kind == types.LIST and name == "list") or (node.kind == types.DICT and name == "dict"):
            return True
    return False


def _required(schema: Schema) -> set[str]:
    value = schema.get("required")
    return {str(v) for v in value} if isinstance(value, list) else set()


def _doc(schema: Schema) -> str:
    value = schema.get("description")
    return value if isinstance(value, str) else ""


def _constraints(schema: Schema, type_: Type) -> dict[str, Any]:
    found: dict[str, Any] = {}
    numeric_float = any(n.kind == types.NAME and n.name == "float" for n in type_.walk())
    for key, argument in (("maxLength", "max_length"), ("minLength", "min_length"), ("maxItems", "max_length"),
                          ("minItems", "min_length"), ("minimum", "ge"), ("maximum", "le"),
                          ("exclusiveMinimum", "gt"), ("exclusiveMaximum", "lt"), ("multipleOf", "multiple_of")):
        value = schema.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if argument in ("ge", "le", "gt", "lt", "multiple_of") and numeric_float:
                value = float(value)
            found[argument] = value
    return found


def _literal(value: Any) -> str:
    from .values import literal

    return literal(value)


def walk_schemas(schema: Schema) -> Iterator[Schema]:
    """Not used yet."""
    yield schema


_ = (math, Code)
