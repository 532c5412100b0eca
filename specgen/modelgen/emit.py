"""The text of ``models.py``: the module docstring, the imports the classes use, the classes in
dependency order, then the ``model_rebuild()`` calls.

The module is kept in parts (:class:`Module`): each class's block with the classes and the imports it
uses, so that :mod:`specgen.split` can cut a large module into a package of small ones without
reading the text back. The imports of the module are the union of its blocks' imports: one rule for
both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import order, types
from .classes import class_text
from .ir import ClassDef, EnumClass, ModelClass

MODULE_DOCSTRING = "The JSON bodies of the API as pydantic models."
BASE_MODULE = "._base_model"
#: Imported names a field of the same name makes the module bind under another name.
ALIASED = frozenset({"date", "time", "timedelta"})

#: One import: (module, the name as written in its ``from`` statement: ``"date as date_aliased"``).
Import = tuple[str, str]


@dataclass(frozen=True)
class Block:
    """One class as written, with the names its statement uses (``tests/test_modelgen.py`` holds
    them to the names the text uses)."""

    name: str
    text: str  # the class statement, ending with a newline
    classes: tuple[str, ...]  # the other classes of the module it names (bases, annotations, defaults)
    imports: tuple[Import, ...]  # the imported names it uses


@dataclass(frozen=True)
class Module:
    """``models.py`` in parts: its docstring, the blocks of its classes in order, and the classes
    whose ``model_rebuild()`` ends the module, in the order of the calls."""

    docstring: str
    blocks: tuple[Block, ...]
    rebuilt: tuple[str, ...] = ()

    def text(self) -> str:
        """The module (formatted as black writes it, but for the imports)."""
        if not self.blocks:
            return f"from {BASE_MODULE} import Model as Model\n"
        lines = [f'"""{self.docstring}"""', "", "from __future__ import annotations", ""]
        by_module: dict[str, set[str]] = {}
        for block in self.blocks:
            for module, name in block.imports:
                by_module.setdefault(module, set()).add(name)
        for module in sorted(by_module, key=lambda m: (m.startswith("."), m)):
            aliased = sorted(name for name in by_module[module] if " as " in name)
            plain = sorted(name for name in by_module[module] if " as " not in name)
            lines.extend(f"from {module} import {name}" for name in aliased)
            if plain:
                lines.append(f"from {module} import {', '.join(plain)}")
        text = "\n".join(lines) + "\n\n\n" + "\n\n".join(block.text for block in self.blocks)
        calls = "".join(f"{name}.model_rebuild()\n" for name in self.rebuilt)
        return text + ("\n\n" + calls if calls else "")

    def to_data(self) -> dict[str, Any]:
        """JSON data (for the result cache); :meth:`from_data` reads it back."""
        return {"docstring": self.docstring, "rebuilt": list(self.rebuilt),
                "blocks": [[b.name, b.text, list(b.classes), [list(i) for i in b.imports]] for b in self.blocks]}

    @classmethod
    def from_data(cls, data: Any) -> Module:
        """The module :meth:`to_data` wrote; ``ValueError`` for anything else."""
        try:
            blocks = tuple(Block(name, text, tuple(classes), tuple((m, n) for m, n in found))
                           for name, text, classes, found in data["blocks"])
            module = cls(data["docstring"], blocks, tuple(data["rebuilt"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"not a models module: {exc}") from None
        if not isinstance(module.docstring, str) or not all(
                isinstance(b.name, str) and isinstance(b.text, str)
                and all(isinstance(c, str) for c in b.classes)
                and all(isinstance(m, str) and isinstance(n, str) for m, n in b.imports) for b in blocks) \
                or not all(isinstance(name, str) for name in module.rebuilt):
            raise ValueError("not a models module")
        return module


EMPTY = Module(MODULE_DOCSTRING, ())


def module(created: list[ClassDef], sort_names: dict[str, str]) -> Module:
    """``models.py`` in parts, from the classes as read."""
    by_schema = order.schema_order(created, sort_names)
    refs = {c.name: order.referenced(c) for c in created}
    final = order.dependencies_first(by_schema, refs)
    rebuilt = order.rebuilt(created, by_schema, refs)
    marked = order.narrowed(final)
    imported = {c.name: _type_imports(c) for c in final if isinstance(c, ModelClass)}
    field_names = {f.name for c in final if isinstance(c, ModelClass) for f in c.fields}
    aliases = {name: f"{name}_aliased" for name in sorted(ALIASED & field_names)
               if any(name in found.get("datetime", ()) for found in imported.values())}
    known = {c.name for c in final}
    blocks = tuple(Block(c.name, class_text(c, aliases, marked.get(c.name, frozenset())),
                         tuple(dict.fromkeys(n for n in refs[c.name] if n in known and n != c.name)),
                         _imports(c, imported.get(c.name, {}), aliases))
                   for c in final)
    return Module(MODULE_DOCSTRING, blocks, tuple(rebuilt))


def _type_imports(cls: ModelClass) -> dict[str, set[str]]:
    used = [f.type for f in cls.fields] + ([cls.extra] if cls.extra is not None else [])
    return types.imports(used)


def _imports(cls: ClassDef, typed: dict[str, set[str]], aliases: dict[str, str]) -> tuple[Import, ...]:
    """The names the block of ``cls`` uses from other modules, sorted; ``typed``: those its types
    use (:func:`_type_imports`)."""
    if isinstance(cls, EnumClass):
        return ((BASE_MODULE, "OpenEnum"),)
    found: set[Import] = set()
    for module_name, names in typed.items():
        found.update((module_name, f"{name} as {aliases[name]}" if name in aliases else name) for name in names)
    if cls.root:
        found.add(("pydantic", "RootModel"))
        if cls.fields[0].type.needs_union(frozenset({cls.name})):
            found.add(("typing", "Union"))
    elif "Model" in cls.bases:
        found.add((BASE_MODULE, "Model"))
    if cls.config:
        found.add(("pydantic", "ConfigDict"))
    if any(f.keywords or f.call for f in cls.fields):
        found.add(("pydantic", "Field"))
    if cls.extra is not None:
        found.add(("typing", "Dict"))
    return tuple(sorted(found))
