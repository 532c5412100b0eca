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

import functools
import json
from typing import Any

from .. import naming, text
from ..spec import ref_pointer
from . import names, types
from .ir import REQUIRED, ClassDef, EnumClass, EnumMember, Field, Member, ModelClass
from .types import Type

#: String formats the models keep as plain ``str``: the types pydantic has for them need a package besides
#: pydantic (``EmailStr``: email-validator, ``ULID``: python-ulid), send a mask instead of the value
#: (``SecretStr`` for ``password``), or check a pattern (``hostname``: the models leave checks to the
#: server); ``byte`` (base64) is text on the wire. A generated package needs only httpx and pydantic.
PLAIN_STRING_FORMATS = frozenset({"byte", "email", "idn-email", "ulid", "password", "hostname"})
#: String formats typed as something else (``AnyUrl``, ``AwareDatetime``, ``UUID``...): a ``default``
#: written as a string cannot be given to such a field type-correctly, so it is left to the server.
TYPED_STRING_FORMATS = frozenset({"date-time", "date", "time", "duration", "uri", "uuid", "uuid1", "uuid2", "uuid3",
                                  "uuid4", "uuid5", "ipv4", "ipv6", "ipv4-network", "ipv6-network", "binary",
                                  "decimal"})
#: Constraints left to the server on a schema inside a union, an array or a map (a field's own stay).
NESTED_CONSTRAINTS = frozenset({"maxLength", "minLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
                                "multipleOf", "minItems", "maxItems", "uniqueItems"})
#: Schema keywords whose values a field writes in ``json_schema_extra`` (besides ``example`` next
#: to ``examples``), in the order met.
#: (``discriminator`` is not written: a plain union validates the same values, see the README.)
EXTRA_FIELD_KEYS = frozenset({"example", "examples", "title", "deprecated", "contentEncoding",
                              "contentMediaType", "contentSchema", "externalDocs", "xml"})
FIELD_KEYWORDS = frozenset({"examples", "title", "deprecated"})
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


_MISSING = object()


class Schema:
    """A schema as the models read it, with where it sits: ``nested`` inside a union, an array or a map
    (its own constraints are then the server's). Reading it applies :func:`prepared`'s rules key by
    key, so the spec's dicts are never copied."""

    __slots__ = ("nested", "raw")

    def __init__(self, raw: dict[str, Any], nested: bool) -> None:
        self.raw = raw
        self.nested = nested

    def get(self, key: str, default: Any = None) -> Any:
        value = self.raw.get(key, _MISSING)
        if value is _MISSING:
            return default
        if key in _ADJUSTED:
            value = _adjusted(self, key, value)
            if value is _MISSING:
                return default
        return value

    def __contains__(self, key: str) -> bool:
        return self.get(key, _MISSING) is not _MISSING

    def keys(self) -> list[str]:
        """The keywords the schema has, as the models read it."""
        return [key for key in self.raw if key not in _ADJUSTED or key in self]

    def child(self, key: str) -> Schema | None:
        value = _schema(self.raw.get(key))
        return Schema(value, True) if value is not None else None

    def members(self, key: str) -> list[Schema]:
        value = self.raw.get(key)
        if not isinstance(value, list):
            return []
        nested = self.nested or key != "allOf"
        return [Schema(v, nested) for v in map(_schema, value) if v is not None]

    def properties(self) -> list[tuple[str, Schema]]:
        value = self.raw.get("properties")
        return [(str(k), Schema(v, False)) for k, v in ((k, _schema(v)) for k, v in value.items()) if v is not None] \
            if isinstance(value, dict) else []


_EMPTY: dict[str, Any] = {}


def _schema(value: Any) -> dict[str, Any] | None:
    """A schema as a dict: ``true`` and ``false`` (a boolean schema) read as the empty schema."""
    if isinstance(value, dict):
        return value
    return _EMPTY if isinstance(value, bool) else None


#: Keywords whose value the models read otherwise than written (see :func:`prepared`).
_ADJUSTED = frozenset({"description", "title", "pattern", "patternProperties", "enum", "format", "default",
                       *NESTED_CONSTRAINTS})


def _adjusted(schema: Schema, key: str, value: Any) -> Any:
    if key in ("description", "title"):
        return _cleaned(value) if isinstance(value, str) else value
    if key in ("pattern", "patternProperties"):
        return _MISSING
    if key in NESTED_CONSTRAINTS:
        return _MISSING if schema.nested else value
    if key == "enum":
        return _MISSING if isinstance(value, list) and any(isinstance(v, (list, dict)) for v in value) else value
    if key == "format":
        return _MISSING if value in PLAIN_STRING_FORMATS else value
    if key == "default":
        written = schema.raw.get("format")
        return _MISSING if written in TYPED_STRING_FORMATS and isinstance(value, str) else value
    return value


@functools.lru_cache(maxsize=4096)
def _cleaned(value: str) -> str:
    return text.clean(value).strip()


def prepared(raw: dict[str, Any], nested: bool) -> dict[str, Any]:
    """``raw`` as the models read it: descriptions and titles cleaned, patterns and (``nested``) the
    :data:`NESTED_CONSTRAINTS` left out, formats that need another package dropped."""
    schema = Schema(raw, nested)
    return {key: schema.get(key) for key in schema.keys()}


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
        self._ref_types: dict[str, Type] = {}
        #: The names the classes sort by in the first ordering step (see :mod:`.order`), where it is
        #: not their own: a class made for a member of a union sorts as one made up for it would.
        self.sort_names: dict[str, str] = {}
        self._nested: dict[str, str] | None = None
        self._reserved: set[str] = set()
        self._keys = {name: key for key, name in class_names.items()}
        self._enum_members: dict[str, list[EnumMember]] = {}
        self._models: dict[str, ModelClass] = {}
        #: Every field of a model class, inherited ones too, with its property schema, by wire name.
        self._all_fields: dict[str, dict[str, tuple[Field, Schema]]] = {}

    def component(self, key: str) -> Schema | None:
        found = self._components.get(key)
        if found is None:
            raw = _schema(self.raw.get(key))
            if raw is not None:
                found = self._components[key] = Schema(raw, False)
        return found

    def _raw(self, key: str) -> dict[str, Any] | None:
        found = self.component(key)
        return found.raw if found is not None else None

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
            targets = _allof_targets(schema)
            if schema.get("properties"):
                targets += [k for c in ("anyOf", "oneOf") for m in schema.members(c)
                            if (k := ref_key(m.get("$ref"))) is not None]
            waiting = [t for t in targets if t not in self._shapes and t in self.class_names
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
        if schema.get("properties") and not members and (schema.get("anyOf") or schema.get("oneOf")):
            return self._variants_kind(schema), schema
        if not members or schema.get("properties"):
            return _kind(schema), schema
        targets = [ref_key(m.get("$ref")) for m in members]
        if len(members) == 1 and targets[0] is not None:
            single = self._shapes.get(targets[0]) if targets[0] in self.class_names else None
            if single is None or single[0] == "model":
                return "model", schema
            return "refroot", schema
        objects = False
        for member, target in zip(members, targets):
            if target is not None:
                found = self._shapes.get(target) if target in self.class_names else None
                if found is None or found[0] == "model":
                    objects = True
            elif _object_like(member):
                objects = True
        if not objects:
            merged: dict[str, Any] = {}
            for member, target in zip(members, targets):
                merged.update(self._shapes[target][1].raw if target is not None else member.raw)
            merged.update({k: v for k, v in schema.raw.items() if k != "allOf"})
            value = Schema(merged, False)
            return _kind(value), value
        if sum(1 for t in targets if t is not None) != 1:
            resolved = [self._raw(t) or m.raw if t is not None else m.raw for m, t in zip(members, targets)]
            if _conflicting(resolved):
                row = {k: v for k, v in schema.raw.items() if k != "allOf"}
                for item in resolved:
                    row = _member_row(row, item)
                if isinstance(row.get("required"), list):
                    row["required"] = list(dict.fromkeys(row["required"]))
                row.pop("allOf", None)
                return "model", Schema(row, False)
        return "model", schema

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
        elif kind in ("required-variants", "ref-variants"):
            self._variants(key, name, schema, kind)
        else:
            self.classes.append(self._root(name, schema))

    # -- an object with properties and a union: one class per member -----------------------------

    def _variants_kind(self, schema: Schema) -> str:
        """``required-variants``: each member of the union only lists required properties;
        ``ref-variants``: each member names a model class; else the union is left out (``model``)."""
        combination = "anyOf" if schema.get("anyOf") else "oneOf"
        members = schema.members(combination)
        if members and all(ref_key(m.get("$ref")) is None and not m.get("properties") and not m.get("allOf")
                           and not m.get("anyOf") and not m.get("oneOf") for m in members):
            return "required-variants"
        keys = [ref_key(m.get("$ref")) for m in members]
        if members and all(k is not None and k in self.class_names and self._shape(k)[0] == "model" for k in keys):
            return "ref-variants"
        return "model"

    def _variants(self, key: str, name: str, schema: Schema, kind: str) -> None:
        """``X(RootModel[XOption1 | XOption2])``: for ``required-variants`` each option is the object
        with the member's required properties too (named by where the member stands); for
        ``ref-variants`` each is a subclass of the member's class with the object's properties
        (``X2``, ``X3``...). The options come before the root, as they are made while reading it."""
        combination = "anyOf" if schema.get("anyOf") else "oneOf"
        members = schema.members(combination)
        own = {k: v for k, v in schema.raw.items() if k not in ("anyOf", "oneOf")}
        options: list[str] = []
        for index, member in enumerate(members):
            if kind == "required-variants":
                option = self._nested_name(f"{COMPONENTS}{_escape(key)}/{combination}/{index}")
                required = [*(own.get("required") or []), *(member.raw.get("required") or [])]
                raw = {**own, "required": required}
            else:
                option = naming.free_name(name, self._taken(), "")
                raw = {**own, "allOf": [{"$ref": member.raw["$ref"]}]}
            self._reserved.add(option)
            self.sort_names[option] = f"{_UNNAMED}{name}{index or ''}"
            variant = Schema(raw, False)
            for base in self._bases(variant):
                self._model(base, self._shapes[self._keys[base]][1])
            model = self._build_model(option, variant)
            self._models[option] = model
            self.classes.append(model)
            options.append(option)
        described = Schema({k: v for k, v in own.items() if k in EXTRA_FIELD_KEYS or k == "description"}, False)
        field = self._field("root", described, True, set(), root=True)
        field.type = types.union([types.model(option) for option in options])
        self.classes.append(ModelClass(name, ["RootModel"], "", [field], root=True))

    def _nested_name(self, location: str) -> str:
        if self._nested is None:
            from .nested import nested_names

            self._nested = nested_names(self.raw, self.class_names)
        return self._nested[location]

    def _taken(self) -> set[str]:
        if self._nested is None:
            from .nested import nested_names

            self._nested = nested_names(self.raw, self.class_names)
        return set(naming.RESERVED_CLASSES) | set(self.class_names.values()) | set(self._nested.values()) \
            | self._reserved

    def _enum(self, name: str, schema: Schema) -> EnumClass:
        values = schema.get("enum")
        declared = schema.get("type")
        kind = {"string": "str", "integer": "int"}.get(declared, "") if isinstance(declared, str) else ""
        if kind == "int" and not all(type(v) is int for v in values if v is not None):
            kind = ""  # `type: integer` with other values (probely.com): `int("created")` would fail
        varnames = naming.enum_members(values)
        descriptions = schema.get("x-enum-descriptions")
        members: list[EnumMember] = []
        taken: set[str] = set()
        for index, (value, varname) in enumerate(zip(values, varnames)):
            if value is None and not _null_member(schema):
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
            waiting = [b for b in self._bases(self._shapes[self._keys[current]][1])
                       if b not in self._models and self.kinds.get(b) == "model" and b not in pending]
            if waiting:
                pending.extend(waiting)
                continue
            pending.pop()
            if current not in self._models:
                self._models[current] = self._build_model(current, self._shapes[self._keys[current]][1])
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

    def _in_mro_order(self, bases: list[str]) -> list[str]:
        """``bases`` with each after the bases that inherit from it, else in their order: Python
        cannot order ``class C(Base, Sub)`` when ``Sub`` inherits from ``Base`` (sendgrid.com's
        ``allOf: [design-duplicate-input, design-common-fields]``)."""
        ancestors: dict[str, set[str]] = {}
        for base in bases:
            found: set[str] = set()
            pending = list(self._models[base].bases) if base in self._models else []
            while pending:
                current = pending.pop()
                if current not in found:
                    found.add(current)
                    pending.extend(self._models[current].bases if current in self._models else ())
            ancestors[base] = found
        ordered: list[str] = []
        remaining = list(bases)
        while remaining:
            first = next((b for b in remaining if not any(b in ancestors[o] for o in remaining if o != b)), remaining[0])
            ordered.append(first)
            remaining.remove(first)
        return ordered

    def _build_model(self, name: str, schema: Schema) -> ModelClass:
        bases = self._in_mro_order(self._bases(schema))
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
                    if "type" in prop:  # the same type: the inherited schema with the property's keywords
                        narrowed = Schema({**parent[1].raw, **prop.raw}, False)
                        add(wire, narrowed, self._field(wire, narrowed, wire in required, taken))
                    else:
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
        model.config = self._config(schema, model)
        _unshadow(model)
        self._all_fields[name] = {**inherited, **own}
        return model

    def _partial(self, prop: Schema, parent: Schema) -> bool:
        """Whether a property of a subclass only describes or constrains the one it inherits (no type of
        its own, or the same JSON type)."""
        shaping = [key for key in TYPE_KEYWORDS if key in prop]
        if not shaping:
            return True
        if shaping != ["type"]:
            return False
        return bool(prop.get("type") == self._json_type(parent))

    def _json_type(self, schema: Schema) -> Any:
        """The ``type`` a schema declares, through ``$ref`` and one-member ``allOf`` chains (a loop of
        them, which the loader refuses anyway, gives None)."""
        seen: set[int] = set()
        while id(schema.raw) not in seen:
            seen.add(id(schema.raw))
            key = ref_key(schema.get("$ref"))
            if key is not None:
                target = self.component(key)
                if target is None:
                    return None
                schema = target
                continue
            members = schema.members("allOf")
            if len(members) == 1 and not schema.properties():
                schema = members[0]
                continue
            return schema.get("type")
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
            if value is not None and value.raw:
                model.extra = self.type_of(value)
        extras = {key: schema.get(key) for key in MODEL_EXTRA_KEYS if key in schema}
        if extras:
            config.append(("json_schema_extra", extras))
        return config

    def _root(self, name: str, schema: Schema) -> ModelClass:
        """A root model. Its docstring is the root field's, but for an array (the class's too) and a
        map (the class's only: a map's root takes no default, title or examples, only its size)."""
        if _only_null(schema):
            return ModelClass(name, ["RootModel"], "", [Field("root", types.NONE_TYPE, None, call=True)], root=True)
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
        extras = {key: schema.get(key) for key in schema.keys() if key in EXTRA_FIELD_KEYS}
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

    def _deep(self, ref: str) -> dict[str, Any] | None:
        """The schema a ``$ref`` to a place inside a component schema names
        (``#/components/schemas/Host/properties/room``), through a chain of such references; None
        when there is none there (or the chain loops)."""
        seen: set[str] = set()
        while ref.startswith(COMPONENTS) and ref_key(ref) is None and ref not in seen:
            seen.add(ref)
            node: Any = self.raw
            for part in ref_pointer(ref)[2:]:
                if isinstance(node, dict) and part in node:
                    node = node[part]
                elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                    node = node[int(part)]
                else:
                    return None
            target = _schema(node)
            if target is None:
                return None
            if not isinstance(target.get("$ref"), str):
                return target
            ref = target["$ref"]
            if ref_key(ref) is not None:
                return target
        return None

    # -- types -------------------------------------------------------------------------------------

    def type_of(self, schema: Schema) -> Type:
        """The annotation of a field whose schema is ``schema``."""
        raw = schema.raw
        if "$ref" in raw:
            key = ref_key(raw["$ref"])
            if key is not None and key in self.class_names:
                found = self._ref_types.get(key)
                if found is None:
                    found = types.model(self.class_names[key])
                    found = self._ref_types[key] = types.optional(found) if self._nullable(key) else found
                return found
            if key is None and (target := self._deep(raw["$ref"])) is not None:
                return self.type_of(Schema(target, schema.nested))
        if "allOf" in raw:
            all_of = schema.members("allOf")
            if len(all_of) == 1:
                return self.type_of(all_of[0])
        if "anyOf" in raw or "oneOf" in raw:
            for combination in ("anyOf", "oneOf"):
                members = schema.members(combination)
                if members:
                    return types.union([self.type_of(m) for m in members])
        if "const" in raw:
            return types.literal((_literal(raw["const"]),))
        declared = raw.get("type")
        if isinstance(declared, list):
            found_types = [self._single(schema, t, listed=True) for t in declared if t != "null"]
            result = types.union(found_types) if found_types else types.NONE_TYPE
            return types.optional(result) if "null" in declared and found_types else result
        if declared is None and "items" in raw:
            declared = "array"
        if declared is None and "properties" not in raw:
            return types.ANY
        result = self._single(schema, declared)
        return types.optional(result) if raw.get("nullable") is True else result

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
            if value is not None and value.raw:
                return types.dict_of(self.type_of(value))
            return types.dict_of(types.ANY)
        if declared == "null":
            return types.NONE_TYPE
        formats = FORMATS.get(declared)
        if formats is None:
            return types.ANY
        found = formats.get(schema.get("format") or "default") or formats["default"]
        return types.name(*found)


def _null_member(schema: Schema) -> bool:
    """Whether a ``null`` in the schema's ``enum`` is a member: when its type lists ``null``, or it
    declares none (elsewhere the type says what a value is, and ``null`` is not one)."""
    declared = schema.get("type")
    return declared is None or (isinstance(declared, list) and "null" in declared)


def _only_null(schema: Schema) -> bool:
    """An ``enum`` of ``null`` alone under a type that leaves it out: a root model of ``None``."""
    values = schema.get("enum")
    return isinstance(values, list) and bool(values) and all(v is None for v in values) and not _null_member(schema)


def _kind(schema: Schema) -> str:
    values = schema.get("enum")
    if isinstance(values, list) and values and not _only_null(schema) and not schema.get("properties") \
            and not schema.get("allOf"):  # an empty enum, or one of only a null it leaves out, is a root
        return "enum"
    if schema.get("properties") or schema.get("allOf"):
        return "model"
    if schema.get("anyOf") or schema.get("oneOf"):
        return "root"
    if schema.get("type") == "object" and not isinstance(schema.get("additionalProperties"), dict):
        return "model"
    return "root"


#: Keywords whose values are schemas (or maps of them): members of an ``allOf`` merge them key by key.
SUBSCHEMA_KEYWORDS = frozenset({"additionalItems", "additionalProperties", "items", "patternProperties",
                                "prefixItems", "properties", "propertyNames", "unevaluatedItems",
                                "unevaluatedProperties"})
LOWER_BOUNDS = frozenset({"minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"})
UPPER_BOUNDS = frozenset({"maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"})


def _conflicting(items: list[dict[str, Any]]) -> bool:
    """Whether two members of an ``allOf`` declare one property differently."""
    seen: dict[str, str] = {}
    for item in items:
        properties = item.get("properties")
        for key, value in (properties.items() if isinstance(properties, dict) else ()):
            signature = json.dumps(value, sort_keys=True, default=repr)
            if seen.setdefault(str(key), signature) != signature:
                return True
    return False


def _concatenating(first: dict[str, Any], last: dict[str, Any]) -> dict[str, Any]:
    result = dict(first)
    for key, value in last.items():
        previous = result.get(key)
        if isinstance(previous, dict) and isinstance(value, dict):
            result[key] = _concatenating(previous, value)
        elif isinstance(previous, list) and isinstance(value, list):
            result[key] = previous + value
        else:
            result[key] = value
    return result


def _member_row(parent: dict[str, Any], child: dict[str, Any], schema_map: bool = False) -> dict[str, Any]:
    """Two members of an ``allOf`` as one schema: ``parent``'s keywords, then ``child``'s (subschemas
    merged, bounds the tighter, lists concatenated, an ``enum`` the values both list)."""
    result = dict(parent)
    for key, value in child.items():
        if key not in result:
            result[key] = value
            continue
        previous = result[key]
        if isinstance(previous, dict) and isinstance(value, dict):
            result[key] = (_member_row(previous, value, not schema_map and key in ("properties", "patternProperties"))
                           if schema_map or key in SUBSCHEMA_KEYWORDS else _concatenating(previous, value))
        elif not schema_map and key in LOWER_BOUNDS | UPPER_BOUNDS and previous is not None and value is not None \
                and _is_number(previous) and _is_number(value):
            result[key] = max(value, previous) if key in LOWER_BOUNDS else min(value, previous)
        elif isinstance(previous, list) and isinstance(value, list):
            if not schema_map and key == "enum":
                both = [v for v in previous if v in value]
                result[key] = both if both and previous != value else previous + value
            else:
                result[key] = previous + value
        else:
            result[key] = value
    return result


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_UNNAMED = "Unnamed_"


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


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


def _unshadow(model: ModelClass) -> None:
    """A field named after a builtin that another annotation of its class uses gets ``_`` (and its
    wire name as alias): its default would be an attribute of that name in the class's namespace, in
    which pydantic reads the annotations, so ``people: list[Person]`` would read ``None[Person]``.
    (A field whose own type uses the builtin got its ``_`` as it was added.)"""
    used = [f.type for f in model.fields] + ([model.extra] if model.extra is not None else [])
    taken = {f.name for f in model.fields}
    for field in model.fields:
        if field.name in names.BUILTIN_TYPES and any(_names_builtin(t, field.name) for t in used):
            wire = field.keywords.get("alias", field.name)
            renamed = field.name + "_"
            while renamed in taken:
                renamed += "_"
            taken.add(renamed)
            field.name = renamed
            field.keywords = {"alias": wire, **{k: v for k, v in field.keywords.items() if k != "alias"}}


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
                         or schema.get("properties") or isinstance(schema.get("enum"), list)):
        return {}
    if declared == "object":
        return _size(schema) if type_.kind == types.DICT or any(
            n.kind == types.DICT for n in _outside_containers(type_)) else {}
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
    if is_array and schema.raw.get("items") is False:
        found["max_length"] = 0
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


