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
        self.kinds: dict[str, str] = {}  # class name -> "model", "root", "refroot" or "enum"
        self._shapes: dict[str, tuple[str, Schema]] = {}
        self._nulls: dict[str, bool] = {}
        self._keys = {name: key for key, name in class_names.items()}
        self._enum_members: dict[str, list[EnumMember]] = {}
        self._models: dict[str, ModelClass] = {}
        #: Every field of a model class, inherited ones too, with its property schema, by wire name.
        self._all_fields: dict[str, dict[str, tuple[Field, Schema]]] = {}

    def component(self, key: str) -> Schema | None:
        found = self._components.get(key)
        if found is None and isinstance(self.raw.get(key), dict):
            found = self._components[key] = Schema(self.raw[key], False)
        return found

    def read(self) -> list[ClassDef]:
        for key in self.raw:
            if key in self.class_names and self.component(key) is not None:
                self._shape(key)
        for key in self.raw:
            if key in self.class_names and self.component(key) is not None:
                self._component(key)
        return self.classes

    def _shape(self, key: str) -> tuple[str, Schema]:
        """What the component ``key`` becomes (``enum``, ``model``, ``root``, or ``refroot``: a root model
        of the one class its ``allOf`` names) and the schema read for it (the merge of an ``allOf`` of
        values). The classes an ``allOf`` names are decided first (an explicit stack: chains can be long)."""
        found = self._shapes.get(key)
        if found is not None:
            return found
        pending = [key]
        while pending:
            current = pending[-1]
            schema = self.component(current)
            assert schema is not None
            waiting = [t for t in _allof_targets(schema) if t not in self._shapes and t in self.class_names
                       and self.component(t) is not None and t not in pending]
            if waiting:
                pending.extend(waiting)
                continue
            pending.pop()
            self._shapes[current] = self._decide(current, schema)
            self.kinds[self.class_names[current]] = self._shapes[current][0]
        return self._shapes[key]

    def _decide(self, key: str, schema: Schema) -> tuple[str, Schema]:
        members = schema.members("allOf")
        if not members or schema.get("properties"):
            return _kind(schema), schema
        targets = [ref_key(m.get("$ref")) for m in members]
        if len(members) == 1 and targets[0] is not None:
            target = self._shapes.get(targets[0]) if targets[0] in self.class_names else None
            if target is None or target[0] == "model":
                return "model", schema
            return "refroot", schema
        for member, target in zip(members, targets):
            if target is not None:
                shape = self._shapes.get(target) if target in self.class_names else None
                if shape is None or shape[0] == "model":
                    return "model", schema
            elif _object_like(member):
                return "model", schema
        merged: dict[str, Any] = {}
        for member, target in zip(members, targets):
            if target is not None:
                merged.update(self._shapes[target][1].raw)
            else:
                merged.update(member.raw)
        merged.update({k: v for k, v in schema.raw.items() if k != "allOf"})
        value = Schema(merged, False)
        return _kind(value), value

    # -- classes -----------------------------------------------------------------------------------

    def _component(self, key: str) -> None:
        kind, schema = self._shapes[key]
        name = self.class_names[key]
        if kind == "enum":
            self.classes.append(self._enum(name, schema))
        elif kind == "model":
            self.classes.append(self._model(name, schema))
        elif kind == "refroot":
            field = self._field("root", Schema(schema.members("allOf")[0].raw, False), True, set(), root=True)
            field.doc = _doc(schema)
            self.classes.append(ModelClass(name, ["RootModel"], "", [field], root=True))
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
        built = self._models.get(name)
        if built is not None:
            return built
        # The bases first (an explicit stack: an inheritance chain can be long).
        pending = [name]
        while pending:
            current = pending[-1]
            waiting = [b for b in self._bases(self.component(self._keys[current]))
                       if b not in self._models and self.kinds.get(b) == "model" and b not in pending]
            if waiting:
                pending.extend(waiting)
                continue
            pending.pop()
            if current not in self._models:
                self._models[current] = self._build_model(current, self.component(self._keys[current]))
        return self._models[name]

    def _bases(self, schema: Schema | None) -> list[str]:
        """The classes an ``allOf`` inherits from: its references, in its inline members too."""
        found: list[str] = []

        def walk(node: Schema) -> None:
            for member in node.members("allOf"):
                key = ref_key(member.get("$ref"))
                if key is not None:
                    name = self.class_names.get(key)
                    if name is not None and name not in found and self.kinds.get(name) == "model":
                        found.append(name)
                else:
                    walk(member)
        if schema is not None:
            walk(schema)
        return found

    def _build_model(self, name: str, schema: Schema) -> ModelClass:
        bases = self._bases(schema)
        model = ModelClass(name, bases or ["Model"], _doc(schema))
        inherited: dict[str, tuple[Field, Schema]] = {}
        for base in reversed(bases):
            inherited.update(self._all_fields.get(base, {}))
        inline = _inline_closure(schema)
        declared = {wire for part in (schema, *inline) for wire, _ in part.properties()}
        required_all = [w for part in (*inline, schema) for w in _required_list(part)]
        # A property the class redeclares stays required where a base requires it.
        required = set(required_all) | {w for w, (f, _) in inherited.items() if f.default is REQUIRED}
        taken: set[str] = set()
        own: dict[str, tuple[Field, Schema]] = {}

        def add(wire: str, prop: Schema, field: Field) -> None:
            if field.name in names.BUILTIN_TYPES and _names_builtin(field.type, field.name):
                field.name += "_"  # not `list: list[str]`, which would hide the builtin
                field.keywords = {"alias": wire, **field.keywords}
            model.fields.append(field)
            own[wire] = (field, prop)

        # A property declared by several parts of the allOf: the later declarations update the first.
        merged: dict[str, dict[str, Any]] = {}
        for part in (*inline, schema):
            for wire, prop in part.properties():
                merged[wire] = {**merged[wire], **prop.raw} if wire in merged else prop.raw

        def properties(part: Schema) -> bool:
            found = False
            for wire, _ in part.properties():
                found = True
                if wire in own:
                    continue  # declared by an earlier part of the allOf
                prop = Schema(merged[wire], False)
                parent = inherited.get(wire)
                if parent is not None and self._partial(prop, parent[1]):
                    add(wire, prop, self._override(wire, prop, wire in required, taken, parent[0]))
                else:
                    add(wire, prop, self._field(wire, prop, wire in required, taken))
            return found

        def missing(wires: list[str], skip: set[str]) -> None:
            for wire in wires:
                if wire in own or wire in skip:
                    continue
                parent = inherited.get(wire)
                if parent is not None:
                    add(wire, parent[1], self._field(wire, parent[1], True, taken))
                else:
                    field_name = names.field_name(wire, taken)
                    taken.add(field_name)
                    add(wire, Schema({}, False), Field(field_name, types.ANY, REQUIRED,
                                                       {"alias": wire} if field_name != wire else {}))

        def walk(node: Schema) -> None:
            for member in node.members("allOf"):
                if ref_key(member.get("$ref")) is not None:
                    continue
                found = properties(member)
                if found:
                    missing(_required_list(member), declared)
                walk(member)

        walk(schema)
        properties(schema)
        if bases or inline:
            missing(required_all, set())
        self._all_fields[name] = {**inherited, **own}
        model.config = self._config(schema, model)
        return model

    def _partial(self, prop: Schema, parent: Schema) -> bool:
        """Whether a property of a subclass only describes or constrains the one it inherits (no type of
        its own, or the same JSON type)."""
        shaping = [key for key in TYPE_KEYWORDS if key in prop]
        if not shaping:
            return True
        if shaping != ["type"]:
            return False
        return prop.get("type") == self._json_type(parent)

    def _json_type(self, schema: Schema) -> Any:
        seen = 0
        while seen < 64:
            key = ref_key(schema.get("$ref"))
            if key is None:
                members = schema.members("allOf")
                if len(members) == 1 and not schema.properties():
                    schema = members[0]
                    seen += 1
                    continue
                return schema.get("type")
            target = self.component(key)
            if target is None:
                return None
            schema = target
            seen += 1
        return None

    def _override(self, wire: str, schema: Schema, required: bool, taken: set[str], parent: Field) -> Field:
        """A property that only describes (or constrains) the one its class inherits: the inherited
        field's type and keywords, the property's own keywords over them, its own docstring."""
        own = self._field(wire, schema, required, taken)
        keywords = {k: v for k, v in parent.keywords.items() if k != "alias"}
        own_keywords = dict(own.keywords)
        for key in CONSTRAINT_ARGUMENTS:
            if key in own_keywords and not _takes_constraint(parent.type, key):
                del own_keywords[key]
        keywords.update(own_keywords)
        if "alias" in own.keywords:
            keywords = {"alias": own.keywords["alias"], **{k: v for k, v in keywords.items() if k != "alias"}}
        default = REQUIRED if required else (own.default if "default" in schema else None)
        return Field(own.name, parent.type, default, keywords, own.doc or parent.doc)

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
        if (default is not REQUIRED and default is not None and not isinstance(default, Member)
                and any(n.model and self.kinds.get(n.name) != "enum" for n in type_.walk())):
            keywords["validate_default"] = True
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
            found = types.model(self.class_names[key])
            return types.optional(found) if self._nullable(key) else found
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
        if declared is None and "items" in schema:
            declared = "array"
        if declared is None and "properties" not in schema:
            return types.ANY
        result = self._single(schema, declared)
        return types.optional(result) if schema.get("nullable") is True else result

    def _nullable(self, key: str) -> bool:
        """Whether the component ``key`` admits ``null`` (a reference to it then does too), but for an enum."""
        nullable = self._nulls.get(key)
        if nullable is None:
            schema = self.component(key)
            nullable = self._nulls[key] = schema is not None and self._shape(key)[0] != "enum" and _admits_null(schema)
        return nullable

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


def _admits_null(schema: Schema) -> bool:
    declared = schema.get("type")
    if isinstance(declared, list) and "null" in declared or schema.get("nullable") is True:
        return True
    for key in ("anyOf", "oneOf"):
        for member in schema.members(key):
            member_type = member.get("type")
            if member_type == "null" or (isinstance(member_type, list) and member_type == ["null"]):
                return True
    return False


def _allof_targets(schema: Schema) -> list[str]:
    return [key for m in schema.members("allOf") if (key := ref_key(m.get("$ref"))) is not None]


def _object_like(member: Schema) -> bool:
    """An inline ``allOf`` member that makes its class a model: properties, an object, or an ``allOf``
    (or union) of its own."""
    return bool(member.get("properties") or member.get("type") == "object" or member.get("allOf"))


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


#: Keywords that give a property a type of its own (without them, a property of an allOf subclass
#: only describes or constrains the property it inherits).
TYPE_KEYWORDS = frozenset({"type", "$ref", "allOf", "anyOf", "oneOf", "enum", "const", "items", "properties",
                           "additionalProperties", "prefixItems", "not"})
CONSTRAINT_ARGUMENTS = ("max_length", "min_length", "ge", "le", "gt", "lt", "multiple_of")


def _inline_closure(schema: Schema) -> list[Schema]:
    """The inline (not ``$ref``) members of ``schema``'s ``allOf``, and theirs, depth first."""
    found: list[Schema] = []
    stack = [iter(schema.members("allOf"))]
    while stack:
        member = next(stack[-1], None)
        if member is None:
            stack.pop()
        elif ref_key(member.get("$ref")) is None:
            found.append(member)
            stack.append(iter(member.members("allOf")))
    return found


def _takes_constraint(type_: Type, argument: str) -> bool:
    """Whether a field of ``type_`` can take the constraint ``argument`` (lengths: strings, lists and
    maps; bounds: numbers)."""
    names_ = {n.name if n.kind == types.NAME else n.kind for n in type_.walk() if n.kind != types.UNION}
    if argument in ("max_length", "min_length"):
        return bool(names_ & {"str", types.LIST, types.DICT, "bytes"})
    return bool(names_ & {"int", "float", "Decimal"})


def _required_list(schema: Schema) -> list[str]:
    value = schema.get("required")
    return list(dict.fromkeys(str(v) for v in value)) if isinstance(value, list) else []


def _required(schema: Schema) -> set[str]:
    value = schema.get("required")
    return {str(v) for v in value} if isinstance(value, list) else set()


def _doc(schema: Schema) -> str:
    value = schema.get("description")
    return value if isinstance(value, str) else ""


def _outside_containers(type_: Type) -> list[Type]:
    return list(type_.args) if type_.kind == types.UNION else [type_]


#: Constraint keywords by the JSON type that takes them, with the ``Field`` argument each becomes.
STRING_KEYWORDS = (("maxLength", "max_length"), ("minLength", "min_length"))
NUMBER_KEYWORDS = (("minimum", "ge"), ("maximum", "le"), ("exclusiveMinimum", "gt"), ("exclusiveMaximum", "lt"),
                   ("multipleOf", "multiple_of"))
ARRAY_KEYWORDS = (("maxItems", "max_length"), ("minItems", "min_length"))
MAP_KEYWORDS = (("maxProperties", "max_length"), ("minProperties", "min_length"))
#: Python types a string length applies to (a string typed ``date`` or ``UUID`` takes none).
LENGTH_TYPES = frozenset({"str", "bytes"})
NUMBER_TYPES = frozenset({"int", "float", "Decimal"})


def _constraints(schema: Schema, type_: Type) -> dict[str, Any]:
    """The ``Field`` arguments of the constraints a field writes: those of its declared JSON type that
    its Python type takes; none beside a ``$ref``, a union, an ``allOf``, an object or an enum (their
    classes hold them), but for an array."""
    declared = schema.get("type")
    declared_list = declared if isinstance(declared, list) else [declared] if declared is not None else []
    non_null = [t for t in declared_list if t != "null"] or (["array"] if "items" in schema else [])
    is_array = "array" in non_null
    if not is_array and ("$ref" in schema or schema.get("anyOf") or schema.get("oneOf") or schema.get("allOf")
                         or declared == "object" or schema.get("properties") or isinstance(schema.get("enum"), list)):
        return {}
    if len(non_null) > 1:
        return {}
    if any(n.kind == types.NAME and n.name == "AnyUrl" for n in _outside_containers(type_)):
        return {}
    leaves = {n.name for n in _outside_containers(type_) if n.kind == types.NAME}
    kinds = _outside_containers(type_)
    found: dict[str, Any] = {}
    table: list[tuple[str, str]] = []
    kind = non_null[0] if non_null else None
    if kind == "string" or (kind is None and leaves & LENGTH_TYPES):
        if leaves & LENGTH_TYPES:
            table += STRING_KEYWORDS
    if kind in ("integer", "number") or (kind is None and leaves & NUMBER_TYPES):
        if leaves & NUMBER_TYPES:
            table += NUMBER_KEYWORDS
    if kind == "array" or (kind is None and any(n.kind == types.LIST for n in kinds)):
        table += STRING_KEYWORDS + ARRAY_KEYWORDS
    if any(n.kind == types.DICT for n in kinds):
        table += MAP_KEYWORDS
    is_float = "float" in leaves
    for key, argument in table:
        value = schema.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if argument in ("ge", "le", "gt", "lt", "multiple_of") and is_float:
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
