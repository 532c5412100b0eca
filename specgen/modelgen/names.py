"""Python names of fields and enum members, from the names a spec writes.

The rule is datamodel-code-generator's (with ``snake_case_field`` and ``capitalise_enum_members``),
kept so the models keep the attribute names they always had: non-word characters become ``_``, a
leading digit or ``_`` gets the prefix ``field``, camelCase becomes snake_case, a keyword or an
attribute of pydantic's ``BaseModel`` gets a trailing ``_``, and a name taken by an earlier field of
the class gets ``_1``, ``_2``... Every name returned is a Python identifier and no keyword.
"""

from __future__ import annotations

import functools
import keyword
import re

#: Attributes of ``pydantic.BaseModel`` a field may not shadow (datamodel-code-generator's list).
BASE_MODEL_ATTRIBUTES = frozenset({
    "__abstractmethods__", "__annotations__", "__base__", "__bases__", "__basicsize__", "__call__",
    "__class__", "__class_getitem__", "__copy__", "__dataclass_transform__", "__deepcopy__", "__delattr__",
    "__dict__", "__dictoffset__", "__dir__", "__doc__", "__eq__", "__fields__", "__fields_set__", "__flags__",
    "__format__", "__ge__", "__get_pydantic_core_schema__", "__get_pydantic_json_schema__", "__getattr__",
    "__getattribute__", "__getstate__", "__gt__", "__hash__", "__init__", "__init_subclass__",
    "__instancecheck__", "__itemsize__", "__iter__", "__le__", "__lt__", "__module__", "__mro__", "__name__",
    "__ne__", "__new__", "__or__", "__prepare__", "__pretty__", "__pydantic_complete__",
    "__pydantic_core_schema__", "__pydantic_decorators__", "__pydantic_extra__", "__pydantic_fields_complete__",
    "__pydantic_fields_set__", "__pydantic_init_subclass__", "__pydantic_on_complete__",
    "__pydantic_parent_namespace__", "__pydantic_private__", "__pydantic_root_model__",
    "__pydantic_serializer__", "__pydantic_validator__", "__qualname__", "__reduce__", "__reduce_ex__",
    "__replace__", "__repr__", "__repr_args__", "__repr_name__", "__repr_recursion__", "__repr_str__",
    "__rich_repr__", "__ror__", "__setattr__", "__setstate__", "__sizeof__", "__slots__", "__str__",
    "__subclasscheck__", "__subclasses__", "__subclasshook__", "__text_signature__", "__weakrefoffset__",
    "_abc_caches_clear", "_abc_impl", "_abc_registry_clear", "_calculate_keys", "_collect_bases_data",
    "_copy_and_set_values", "_dump_registry", "_get_value", "_iter", "_setattr_handler", "construct", "copy",
    "dict", "from_orm", "json", "model_computed_fields", "model_config", "model_construct", "model_copy",
    "model_dump", "model_dump_json", "model_extra", "model_fields", "model_fields_set", "model_json_schema",
    "model_parametrized_name", "model_post_init", "model_rebuild", "model_validate", "model_validate_json",
    "model_validate_strings", "mro", "parse_file", "parse_obj", "parse_raw", "register", "schema",
    "schema_json", "update_forward_refs", "validate",
})
#: Builtin classes a field of that type may not be named after (``list_: list[str]``).
BUILTIN_TYPES = frozenset({"list", "dict", "str", "int", "float", "bool", "bytes", "set", "frozenset", "tuple",
                           "type", "object", "complex", "bytearray", "memoryview", "range", "slice"})
_PREFIX = "field"
_SUPERSCRIPT_DIGITS = "¹²³⁴⁵⁶⁷⁸⁹"
_NON_WORD = re.compile(f"[{_SUPERSCRIPT_DIGITS}]|\\W")
_ASCII_NON_WORD = re.compile(r"\W")
_UNDER_SCORE_1 = re.compile(r"([^_])([A-Z][a-z]+)")
_UNDER_SCORE_2 = re.compile(r"([a-z0-9])([A-Z])")


def camel_to_snake(text: str) -> str:
    return _UNDER_SCORE_2.sub(r"\1_\2", _UNDER_SCORE_1.sub(r"\1_\2", text)).lower()


def _replace_non_word(text: str) -> str:
    return (_ASCII_NON_WORD if text.isascii() else _NON_WORD).sub("_", text)


def is_python_name(text: str) -> bool:
    return text.isidentifier() and not keyword.iskeyword(text)


def _ascii_fallback(text: str) -> str:
    fallback = "".join(c if c == "_" or (c.isascii() and c.isalnum()) else f"_u{ord(c):x}_" for c in text)
    if fallback.startswith("_"):
        return _PREFIX + fallback
    if not fallback or fallback[0].isnumeric():
        return f"{_PREFIX}_{fallback}"
    return fallback


@functools.lru_cache(maxsize=8192)
def _prepared(name: str) -> str:
    if not name:
        name = "_"
    if name[0] == "#":
        name = name[1:] or "_"
    name = _replace_non_word(name)
    if name[0].isnumeric():
        name = f"{_PREFIX}_{name}"
    if name.startswith("_"):
        name = _PREFIX + name
    if name[0].isnumeric() and name.isascii():
        name = f"{_PREFIX}_{name}"
    return camel_to_snake(name)


def field_name(wire: str, taken: set[str]) -> str:
    """The Python name of the property ``wire`` in a class whose fields so far are ``taken``."""
    name = _prepared(wire)
    if keyword.iskeyword(name) or name in BASE_MODEL_ATTRIBUTES:
        name += "_"
    candidate, count = name, 1
    while not is_python_name(candidate) or candidate in taken or candidate in BASE_MODEL_ATTRIBUTES:
        if not candidate.isascii() and not candidate.isidentifier():
            name = candidate = _ascii_fallback(name)
            count = 1
            continue
        candidate = f"{name}_{count}"
        count += 1
    return candidate


def member_name(varname: str, taken: set[str]) -> str:
    """The Python name of an enum member named ``varname`` (specgen's :func:`naming.enum_members`)."""
    name = _prepared("mro_" if varname == "mro" else varname)
    if keyword.iskeyword(name.upper()):
        name += "_"
    candidate, count = name.upper(), 1
    while not is_python_name(candidate) or candidate in taken or candidate == "mro":
        if not candidate.isascii() and not candidate.isidentifier():
            name = _ascii_fallback(name)
            candidate, count = name.upper(), 1
            continue
        candidate = f"{name}_{count}"
        count += 1
    return candidate
