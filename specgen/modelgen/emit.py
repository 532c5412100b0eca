"""The text of ``models.py``: the module docstring, the imports the classes use, the classes in
dependency order, then the ``model_rebuild()`` calls."""

from __future__ import annotations

from . import order, types
from .classes import class_text
from .ir import ClassDef, EnumClass, ModelClass

MODULE_DOCSTRING = '"""The JSON bodies of the API as pydantic models."""'
BASE_MODULE = "._base_model"
#: Imported names a field of the same name makes the module bind under another name.
ALIASED = frozenset({"date", "time"})


def module(created: list[ClassDef], sort_names: dict[str, str]) -> str:
    """``models.py`` (formatted as black writes it, but for the imports) from the classes as read."""
    by_schema = order.schema_order(created, sort_names)
    final = order.dependencies_first(by_schema)
    rebuilt = order.rebuilt(created, by_schema)
    marked = order.narrowed(final)
    used = [f.type for c in final if isinstance(c, ModelClass) for f in c.fields]
    used += [c.extra for c in final if isinstance(c, ModelClass) and c.extra is not None]
    found = types.imports(used)
    field_names = {f.name for c in final if isinstance(c, ModelClass) for f in c.fields}
    aliases = {name: f"{name}_aliased" for name in ALIASED & field_names if name in found.get("datetime", set())}
    pydantic = found.setdefault("pydantic", set())
    models = any(isinstance(c, ModelClass) for c in final)
    if any(isinstance(c, ModelClass) and c.root for c in final):
        pydantic.add("RootModel")
    if any(isinstance(c, ModelClass) and c.config for c in final):
        pydantic.add("ConfigDict")
    if any(isinstance(c, ModelClass) and (f.keywords or f.call) for c in final if isinstance(c, ModelClass)
           for f in c.fields):
        pydantic.add("Field")
    if any(isinstance(c, ModelClass) and c.extra is not None for c in final):
        found.setdefault("typing", set()).add("Dict")
    base = [n for n, used_ in (("Model", any(isinstance(c, ModelClass) and "Model" in c.bases for c in final)),
                               ("OpenEnum", any(isinstance(c, EnumClass) for c in final))) if used_]
    del models
    lines = [MODULE_DOCSTRING, "", "from __future__ import annotations", ""]
    for module_name in sorted(found):
        for name in sorted(found[module_name]):
            if name in aliases:
                lines.append(f"from {module_name} import {name} as {aliases[name]}")
            elif found[module_name]:
                pass
        plain = sorted(n for n in found[module_name] if n not in aliases)
        if plain:
            lines.append(f"from {module_name} import {', '.join(plain)}")
    if base:
        lines.append(f"from {BASE_MODULE} import {', '.join(base)}")
    head = "\n".join(lines) + "\n"
    blocks = [class_text(c, aliases, marked.get(c.name, frozenset())) for c in final]
    text = head + "\n\n" + "\n\n".join(blocks)
    if rebuilt:
        text += "\n\n" + "".join(f"{name}.model_rebuild()\n" for name in rebuilt)
    return text
