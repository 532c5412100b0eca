"""The differential oracle: ``models.py`` through datamodel-code-generator (DCG), as specgen built it
before :mod:`specgen.modelgen` (see ``modelgen_oracle.py``). Kept verbatim but for its imports: every
option set explicitly, class names through ``model_name_map``, enum member names through
``x-enum-varnames``, then the post-processing (renaming, unused imports, dependency order, overrides).

DCG is pinned in the ``test`` extra; nothing in ``specgen`` imports it.
"""

from __future__ import annotations

import ast
import copy
import json
import tempfile
import warnings
from pathlib import Path
from typing import Any

from specgen import naming, text
from specgen.diagnostics import Diagnostic, SpecError
from specgen.ir import Api
from specgen.modelgen.nested import nested_names
from specgen.spec import SCHEMA_CHILDREN, SCHEMA_LISTS, SCHEMA_MAPS, Spec

TEMPLATES = Path(__file__).resolve().parent / "dcg_templates"
# DCG only accepts absolute import paths; this placeholder module becomes the package's own.
_PLACEHOLDER = "specgen_placeholder_base"
BASE_MODULE = "._base_model"
#: String formats the models keep as plain ``str`` (the format is left out of what DCG reads). DCG's
#: types for them need a package besides pydantic (``EmailStr``: email-validator, ``ULID``:
#: python-ulid), send a mask instead of the value (``SecretStr`` for ``password``), or check a
#: pattern of DCG's own (``hostname``: the models leave checks to the server, see ``_prepare``);
#: ``byte`` (base64) is text on the wire. A generated package needs only httpx and pydantic.
PLAIN_STRING_FORMATS = ("byte", "email", "idn-email", "ulid", "password", "hostname")
#: String formats DCG types as something else (``AnyUrl``, ``AwareDatetime``, ``UUID``, ...). A
#: ``default`` written as a string cannot be given to such a field type-correctly (GitHub's
#: ``environment_url`` of ``format: uri`` with ``default: ""``), so it is left to the server.
TYPED_STRING_FORMATS = ("date-time", "date", "time", "duration", "uri", "uuid", "uuid1", "uuid2", "uuid3",
                        "uuid4", "uuid5", "ipv4", "ipv6", "ipv4-network", "ipv6-network", "binary", "decimal")
#: The module docstring DCG's models had (modelgen's says what is true now: see MODULE_DOCSTRING there).
MODULE_DOCSTRING = '"""The JSON bodies of the API as pydantic models (built with datamodel-code-generator)."""'


def render_models(spec: Spec, api: Api) -> str:
    """The source of ``models.py`` for ``spec`` (not yet formatted)."""
    from datamodel_code_generator import generate
    from datamodel_code_generator.enums import DataModelType, InputFileType
    from datamodel_code_generator.format import PythonVersion
    from datamodel_code_generator.config import GenerateConfig

    document = dcg_input(spec)
    if not document["components"]["schemas"]:
        return f"from {BASE_MODULE} import Model as Model\n"
    names = model_name_map(api.class_names)
    config = GenerateConfig(
        input_file_type=InputFileType.OpenAPI,
        output_model_type=DataModelType.PydanticV2BaseModel,
        target_python_version=PythonVersion.PY_311,
        base_class=f"{_PLACEHOLDER}.Model",
        additional_imports=[f"{_PLACEHOLDER}.OpenEnum"],
        custom_template_dir=TEMPLATES,
        model_name_map=names,
        snake_case_field=True,
        capitalise_enum_members=True,
        use_subclass_enum=True,
        use_specialized_enum=True,
        set_default_enum_member=True,
        use_single_line_docstring=True,
        strict_nullable=True,
        use_schema_description=True,
        use_field_description=True,
        use_double_quotes=True,
        use_standard_collections=True,
        use_union_operator=True,
        use_annotated=False,
        field_constraints=True,  # constraints go in Field(...): a constr(...) annotation fails mypy
        keep_model_order=True,
        collapse_root_models=False,
        extra_fields=None,  # the base class allows extras once, instead of every model repeating it
        disable_timestamp=True,
        enable_version_header=False,
        custom_file_header=MODULE_DOCSTRING,
        enable_command_header=False,
        formatters=[],
        custom_class_name_generator=_unnamed_class,
    )
    try:
        source, metadata = _generate(generate, document, config)
    except Exception as exc:  # DCG reports schema problems with its own exception types
        raise SpecError([Diagnostic(spec.path, spec.line(("components", "schemas")),
                                    f"datamodel-code-generator cannot build the models: {exc}",
                                    "simplify or fix the schema it names")]) from None
    source = _name_the_unnamed(source, metadata, document["components"]["schemas"], api.class_names)
    source = source.replace(f"from {_PLACEHOLDER} import", f"from {BASE_MODULE} import")
    result = _narrowing_allowed(_dependencies_first(_drop_unused_imports(source)))
    return result


def model_name_map(class_names: dict[str, str]) -> dict[str, str]:
    """DCG's class name for each component schema, keyed by its location.

    DCG also matches a key of this map against the names it generates itself; keyed by schema
    name, ``dataset`` next to ``Dataset`` (or a nested class DCG names ``Meta`` next to a component
    ``Meta``) would be renamed twice into one name. A location matches one schema only.
    """
    return {"#/components/schemas/" + key.replace("~", "~0").replace("/", "~1"): name
            for key, name in class_names.items()}


#: The start of the name of every class DCG names itself. specgen's class names have no ``_``, so
#: DCG's own cannot take one of them (DCG would refuse the build), and each is renamed afterwards.
_UNNAMED = "Unnamed_"


def _unnamed_class(name: str) -> str:
    """DCG's name for a class the name map does not name (its location decides the final one)."""
    return _UNNAMED + ("".join(c for c in naming.pascal(name) if c.isalnum()) or "Model")


def _generate(generate: Any, document: dict[str, Any], config: Any) -> tuple[str, list[dict[str, Any]]]:
    """DCG's models module and its metadata (each class with the location of its schema)."""
    with tempfile.TemporaryDirectory(prefix="specgen-models-") as folder:
        output, metadata = Path(folder) / "models.py", Path(folder) / "models.json"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            generate(document, config=config.model_copy(update={"output": output, "emit_model_metadata": metadata}))
        models = json.loads(metadata.read_text(encoding="utf-8")).get("models", [])
        return output.read_text(encoding="utf-8"), models if isinstance(models, list) else []


def _name_the_unnamed(source: str, metadata: list[dict[str, Any]], schemas: dict[str, Any],
                      class_names: dict[str, str]) -> str:
    """``source`` with each class DCG named itself renamed by where its schema is (:func:`nested_names`)."""
    unnamed = [(m["class_name"], str(m.get("source_ref", ""))) for m in metadata
               if str(m.get("class_name", "")).startswith(_UNNAMED)]
    defined = _classes(source)
    unnamed = [(name, ref) for name, ref in dict(unnamed).items() if name in defined]
    if not unnamed:
        return source
    by_location = nested_names(schemas, class_names)
    taken = set(naming.RESERVED_CLASSES) | (defined - {name for name, _ in unnamed})
    renames: dict[str, str] = {}
    for name, ref in unnamed:
        location = ref
        while location not in by_location and location.count("/") > 3:
            location = location.rsplit("/", 1)[0]
        wanted = by_location.get(location) or class_names.get(_unescape(ref.split("/")[3]) if ref.count("/") >= 3 else "", "Model")
        renames[name] = naming.free_name(wanted, taken, "")
        taken.add(renames[name])
    return _renamed(source, renames)


def _unescape(part: str) -> str:
    return part.replace("~1", "/").replace("~0", "~")


def _renamed(source: str, renames: dict[str, str]) -> str:
    """``source`` with the identifiers in ``renames`` renamed (names in code only, not in text)."""
    lines = [line.encode("utf-8") for line in _lines(source)]
    spots: list[tuple[int, int, int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name) and node.id in renames:
            spots.append((node.lineno - 1, node.col_offset, node.end_col_offset or 0, renames[node.id]))
        elif isinstance(node, ast.ClassDef) and node.name in renames:
            line = lines[node.lineno - 1]
            start = line.index(b"class ") + len("class ")
            spots.append((node.lineno - 1, start, start + len(node.name.encode()), renames[node.name]))
    for row, start, end, new in sorted(spots, reverse=True):
        lines[row] = lines[row][:start] + new.encode() + lines[row][end:]
    return "\n".join(line.decode("utf-8") for line in lines)


def _classes(source: str) -> set[str]:
    """The names of the classes a module defines at its top level."""
    return {node.name for node in ast.parse(source).body if isinstance(node, ast.ClassDef)}


def dcg_input(spec: Spec) -> dict[str, Any]:
    """Only the component schemas, with enum member names and docstring-safe descriptions."""
    schemas = copy.deepcopy(spec.data.get("components", {}).get("schemas") or {})
    for schema in schemas.values():
        _prepare(schema)
    return {
        "openapi": "3.1.0",
        "info": {"title": str(spec.data.get("info", {}).get("title", "")), "version": "0"},
        "paths": {},
        "components": {"schemas": schemas},
    }


#: Constraints DCG can write only in a field's ``Field(...)``: on a schema inside a union, an array
#: or a map it makes a wrapper class of it instead (``Account1(RootModel[str])`` for a string of at
#: most 5,000 characters in ``str | Account``), which every caller would have to unwrap.
NESTED_CONSTRAINTS = ("maxLength", "minLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
                      "multipleOf", "minItems", "maxItems", "uniqueItems")


def _prepare(schema: Any, nested: bool = False) -> None:
    """Adjust one schema (and the schemas inside it) in place for DCG. ``nested``: the schema is
    inside a union, an array or a map rather than a field's own, so its :data:`NESTED_CONSTRAINTS`
    are left to the server (the type stays ``str``, not a wrapper class)."""
    if not isinstance(schema, dict):
        return
    if nested:
        for key in NESTED_CONSTRAINTS:
            schema.pop(key, None)
    if isinstance(schema.get("enum"), list) and any(isinstance(v, (list, dict)) for v in schema["enum"]):
        schema.pop("enum")  # an enum of arrays or objects is no Python enum: the field keeps its type
    if isinstance(schema.get("enum"), list):
        schema["x-enum-varnames"] = naming.enum_members(schema["enum"])
    for key in ("description", "title"):
        if isinstance(schema.get(key), str):
            # DCG escapes docstrings itself; what it cannot see to (line separators, controls) is cleaned here.
            schema[key] = text.clean(schema[key]).strip()
    # Patterns are ECMA-262 regular expressions: Python engines either reject some of them (pydantic's
    # Rust engine has no lookaround, so the models would not import) or can backtrack for minutes on
    # a hostile response (``re``). The models stay lenient readers and leave patterns to the server.
    schema.pop("pattern", None)
    schema.pop("patternProperties", None)
    if schema.get("format") in PLAIN_STRING_FORMATS:
        schema.pop("format")
    if schema.get("format") in TYPED_STRING_FORMATS and isinstance(schema.get("default"), str):
        schema.pop("default")  # DCG would write `AnyUrl = Field("")`, which mypy rejects
    for key in SCHEMA_MAPS:
        if isinstance(subs := schema.get(key), dict):
            for sub in subs.values():
                _prepare(sub, nested=key != "properties")
    for key in SCHEMA_LISTS:
        if isinstance(subs := schema.get(key), list):
            for sub in subs:
                _prepare(sub, nested=nested or key != "allOf")
    for key in SCHEMA_CHILDREN:
        _prepare(schema.get(key), nested=True)


def _lines(source: str) -> list[str]:
    """Lines as ``ast`` counts them: split at ``\n`` only (``str.splitlines`` also splits inside
    string literals at U+2028, form feeds and other characters, and would cut a class in two)."""
    return source.split("\n")


def _dependencies_first(source: str) -> str:
    """Reorder the classes so each comes after the classes its body names.

    DCG orders classes by name. A field whose type or default names a later class is resolved by
    pydantic on first use, recursively; a chain of a few hundred such schemas then exceeds Python's
    recursion limit. Defined in dependency order, every class is complete when the next one is built.
    The sort is stable: a class moves only when something it needs comes after it. Cycles (recursive
    schemas) keep their order and are resolved by pydantic, which handles those, except for what a
    class needs when it is defined: its bases and the values of its defaults come first always
    (``Quote(SalesDocument)`` where ``SalesDocument`` has lines whose document may be a ``Quote``).
    """
    tree = ast.parse(source)
    classes = [n for n in tree.body if isinstance(n, ast.ClassDef)]
    if not classes:
        return source
    lines = _lines(source)
    position: dict[str, int] = {}  # where each class is first defined: the order of its needs
    for index, cls in enumerate(classes):
        position.setdefault(cls.name, index)
    names = set(position)
    needs = {
        c.name: sorted({n.id for n in ast.walk(c) if isinstance(n, ast.Name) and n.id in names} - {c.name},
                       key=position.__getitem__)
        for c in classes
    }
    order: list[str] = []
    state: dict[str, str] = {}
    for cls in classes:  # iterative depth-first search: no recursion on long chains
        stack = [(cls.name, iter(needs[cls.name]))]
        if state.get(cls.name):
            continue
        state[cls.name] = "open"
        while stack:
            name, pending = stack[-1]
            dependency = next((d for d in pending if not state.get(d)), None)
            if dependency is None:
                stack.pop()
                state[name] = "done"
                order.append(name)
            else:
                state[dependency] = "open"
                stack.append((dependency, iter(needs[dependency])))
    order = _definitions_first(order, {c.name: _needed_at_definition(c) & names for c in classes})
    first, last = _start(classes[0]) - 1, classes[-1].end_lineno or classes[-1].lineno
    # Statements among the classes (DCG's ``model_rebuild()`` calls) need them all: they go after.
    between = [n for n in tree.body if not isinstance(n, ast.ClassDef) and first < n.lineno <= last]
    blocks = [_source(lines, c, _start(c)) for c in (*(by_name[n] for n in order),)] if (
        by_name := {c.name: c for c in classes}) else []
    blocks += [_source(lines, n, n.lineno) for n in between]
    return "\n".join([*lines[:first], "\n\n".join(blocks), *lines[last:]])


def _needed_at_definition(cls: ast.ClassDef) -> set[str]:
    """The names a class statement evaluates: its bases and its fields' defaults (annotations are
    postponed by ``from __future__ import annotations``)."""
    values = [*cls.bases, *(i.value for i in cls.body if isinstance(i, (ast.AnnAssign, ast.Assign)) and i.value)]
    return {n.id for value in values for n in ast.walk(value) if isinstance(n, ast.Name)} - {cls.name}


def _definitions_first(order: list[str], needs: dict[str, set[str]]) -> list[str]:
    """``order``, with each class held back until what its definition needs is placed (these needs
    have no cycles: a class cannot inherit from itself)."""
    placed: list[str] = []
    done: set[str] = set()
    waiting: list[str] = []
    for name in order:
        waiting.append(name)
        ready = next((w for w in waiting if needs[w] <= done), None)
        while ready is not None:
            waiting.remove(ready)
            placed.append(ready)
            done.add(ready)
            ready = next((w for w in waiting if needs[w] <= done), None)
    return placed + waiting


def _source(lines: list[str], node: ast.stmt, start: int) -> str:
    return "\n".join(lines[start - 1 : node.end_lineno]) + "\n"


def _narrowing_allowed(source: str) -> str:
    """Mark the fields an ``allOf`` subclass redeclares with a type mypy rejects as an override
    (``links: Links`` over the base's ``dict``).

    Pydantic validates the subclass's type, which is what the spec says; mypy accepts an override
    by a subtype (``str`` over ``str | None``, a subclass over its base) and reports any other as an
    incompatible override of a mutable attribute. Only those get the marker (the one pydantic's
    documentation gives): on a subtype, ``mypy --strict`` would report the marker as unused.
    """
    tree = ast.parse(source)
    fields: dict[str, dict[str, ast.expr]] = {}  # class -> every field it has, inherited ones included
    bases: dict[str, list[str]] = {}
    lines = _lines(source)
    for node in tree.body:  # bases come first (see _dependencies_first)
        if not isinstance(node, ast.ClassDef):
            continue
        bases[node.name] = [base.id for base in node.bases if isinstance(base, ast.Name)]
        inherited: dict[str, ast.expr] = {}
        for base in reversed(bases[node.name]):
            inherited.update(fields.get(base, {}))
        fields[node.name] = dict(inherited)
        for item in node.body:
            if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                fields[node.name][item.target.id] = item.annotation
        for item in node.body:
            if (isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)
                    and item.target.id in inherited
                    and not _is_subtype(item.annotation, inherited[item.target.id], bases)):
                end = (item.end_lineno or item.lineno) - 1
                lines[end] += "  # type: ignore[assignment]"
    return "\n".join(lines)


def _is_subtype(new: ast.expr, old: ast.expr, bases: dict[str, list[str]]) -> bool:
    """Whether every member of the union ``new`` is a member of ``old``, ``Any``, or a subclass of
    a member of ``old`` (the cases mypy accepts as an attribute override; generics are compared
    as written, since ``list`` and ``dict`` are invariant)."""
    allowed = {ast.unparse(member) for member in _union_members(old)}
    if "Any" in allowed:
        return True

    def covered(name: str, seen: frozenset[str] = frozenset()) -> bool:
        return name in allowed or any(covered(b, seen | {name}) for b in bases.get(name, []) if b not in seen)

    return all(covered(ast.unparse(member)) for member in _union_members(new))


def _union_members(annotation: ast.expr) -> list[ast.expr]:
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return [*_union_members(annotation.left), *_union_members(annotation.right)]
    return [annotation]


def _start(node: ast.ClassDef) -> int:
    return min([node.lineno, *(d.lineno for d in node.decorator_list)])


def _drop_unused_imports(source: str) -> str:
    """DCG imports names its templates may use (``IntEnum``, ``StrEnum``); keep only the used ones."""
    tree = ast.parse(source)
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    used |= {n.value.id for n in ast.walk(tree) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)}
    lines = [line + "\n" for line in _lines(source)]
    lines[-1] = lines[-1][:-1]
    for node in reversed(tree.body):
        if not isinstance(node, ast.ImportFrom) or node.module == "__future__":
            continue
        kept = [a for a in node.names if (a.asname or a.name) in used]
        start, end = node.lineno - 1, node.end_lineno or node.lineno
        if not kept:
            del lines[start:end]
        elif len(kept) != len(node.names):
            names = ", ".join(a.name if not a.asname else f"{a.name} as {a.asname}" for a in kept)
            lines[start:end] = [f"from {'.' * node.level}{node.module or ''} import {names}\n"]
    return "".join(lines)
