"""A large API's models as a package of small modules, each imported when one of its models is first used.

:func:`.models.render_models` writes one module with every class, each after the classes it needs.
Importing it builds every class: GitHub's 7,027 take seconds, before the first call of any
operation. So when there are many (:data:`SPLIT_FROM` classes or more), :func:`split` cuts that
module into a package, ``models/``, from its parts (:class:`.modelgen.Module`: each class's text
with the classes and imports it uses, so nothing is parsed back):

- one private module per **group**: a schema of the document (a component, or a schema an
  operation describes in place, such as ``GetRunResponse``) with the schemas written inside it,
  which :mod:`.inline` makes classes of (``spec.origins`` says where each stood: :func:`nesting`),
  and the classes the model generator makes below them on its own (a class only one group uses
  joins it). The module is named after the schema's class: ``FullRepository`` →
  ``models/_full_repository.py``. Classes that refer to each other in a cycle (a strongly connected
  component of the references: bases, annotations, defaults) share a module, and so do groups that
  would otherwise import each other, so a module imports only modules that never import it back
  (``from ._simple_user import SimpleUser``); where a chain of such imports would be longer than
  :data:`MAX_DEPTH`, a module takes in every module it reaches (:func:`_bound_depth`). A
  ``model_rebuild()`` call stays with its class.
- ``models/__init__.py``: ``__all__``, the module of every model, and a module ``__getattr__``
  that imports the one module a name is asked for (``from github.models import FullRepository``
  loads ``_full_repository`` and the modules it imports, nothing else). Type checkers and IDEs read
  the ``if TYPE_CHECKING:`` imports of every model instead and never see ``__getattr__``, so a name
  that does not exist is still an error to them. It is written in black's form (a test holds it
  there) and kept as it is.

Below :data:`SPLIT_FROM` classes, ``models.py`` stays one module, which reads better than a folder
of tiny ones and costs little. Measured on 50 schemas of five fields with a nested object each (101
classes, in fresh interpreters on the development machine): importing the one module took 89 ms,
the module of one model of the package 65 ms, and every model of the package 99 ms; with 200
schemas, 174, 64 and 197 ms. Module names are ``_`` + the snake_case
of the group's class, cut to 100 characters, so they clash with no class (PascalCase, no ``_``), no
keyword and nothing ``__init__.py`` binds (:data:`naming.MODELS_PACKAGE_NAMES`: importing a module
binds its name there); groups whose names would be the same (``HTTPServer`` and ``HttpServer``)
are numbered in the order of their class names (``_http_server``, ``_http_server_2``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import imports, naming, text
from .ir import Api
from .modelgen import Block, Module
from .spec import Spec

#: The number of classes from which the models are a package of modules (see the module docstring).
SPLIT_FROM = 100
#: The longest chain of modules importing each other (see :func:`_bound_depth`); GitHub's is 6,
#: Kubernetes' 14, and a chain of about 140 passes Python's recursion limit.
MAX_DEPTH = 32
MODELS_MODULE = "models.py"
PACKAGE_INIT = "models/__init__.py"


@dataclass
class _Group:
    """The classes of one module, in the order of the single module (what a class needs comes first)."""

    key: str  # the class the module is named after
    roots: list[str]  # the classes of the document's schemas in it (several when they refer to each other)
    blocks: list[Block] = field(default_factory=list)
    module: str = ""


def split(made: Module, spec: Spec, api: Api) -> dict[str, str]:
    """The models' files by path in the package: ``models.py`` (``made.text()``) for fewer than
    :data:`SPLIT_FROM` classes, else ``models/__init__.py`` and one module per group (unformatted).

    ``made``: the single module :func:`.models.render_models` made of ``spec`` in parts (``spec`` and
    ``api`` say which classes are component schemas, and which schema each was written in)."""
    if len(made.blocks) < SPLIT_FROM:
        return {MODELS_MODULE: made.text()}
    groups = _groups(made, set(api.class_names.values()), nesting(spec, api))
    _name_modules(groups)
    home = {block.name: group for group in groups for block in group.blocks}
    files = {PACKAGE_INIT: _init(made, groups, api.package)}
    rebuilt = set(made.rebuilt)
    for group in groups:
        files[f"models/{group.module}.py"] = _module(group, home, rebuilt)
    return files


def nesting(spec: Spec, api: Api) -> dict[str, str]:
    """The class each class moved out of another schema is nested in (its parent's class).

    :mod:`.inline` gives every object schema written inside another one a component of its own
    (``Account.settings`` → ``AccountSettings``) and records where it stood (``spec.origins``); the
    parent is the schema standing closest above that place, moved or a component of the document.
    A schema moved out of an operation (``GetRunResponse``) has no parent.
    """
    moved_from = {pointer: key for key, pointer in spec.origins.items()}
    parents: dict[str, str] = {}
    for key, pointer in spec.origins.items():
        for end in range(len(pointer) - 1, 2, -1):
            above = pointer[:end]
            parent = moved_from.get(above) or (above[2] if end == 3 and above[:2] == ("components", "schemas")
                                                  and above[2] not in spec.origins else None)
            if parent is not None:
                if key in api.class_names and parent in api.class_names:
                    parents[api.class_names[key]] = api.class_names[parent]
                break
    return parents


def _groups(made: Module, components: set[str], parents: dict[str, str]) -> list[_Group]:
    """The classes in groups (see the module docstring), in the order of their first class."""
    order = {block.name: index for index, block in enumerate(made.blocks)}
    needs = {block.name: sorted(block.classes, key=order.__getitem__) for block in made.blocks}
    group = _UnionFind(order)
    for child, parent in parents.items():  # a schema written inside another one
        if child in order and parent in order:
            group.union(child, parent)
    cycles = _strongly_connected(list(order), needs)  # each after the cycles it needs
    for cycle in cycles:  # classes that refer to each other
        for name in cycle[1:]:
            group.union(cycle[0], name)
    users: dict[str, set[str]] = {name: set() for name in order}
    for name, needed in needs.items():
        for other in needed:
            users[other].add(name)
    for cycle in reversed(cycles):  # users before what they use: a class no schema stands for (made
        if components & set(cycle):  # by the model generator) joins the one group that uses it
            continue
        owners = {group.find(user) for name in cycle for user in users[name]} - {group.find(cycle[0])}
        if len(owners) == 1:
            group.union(owners.pop(), cycle[0])
    # Groups that need each other (a class nested in one group used by another that the first
    # one uses) are one group: the modules import each other without a cycle.
    group_needs: dict[str, set[str]] = {group.find(name): set() for name in order}
    for name, needed in needs.items():
        group_needs[group.find(name)] |= {group.find(other) for other in needed} - {group.find(name)}
    keys = sorted(group_needs, key=order.__getitem__)
    group_cycles = _strongly_connected(keys, {k: sorted(v, key=order.__getitem__) for k, v in group_needs.items()})
    for cycle in group_cycles:
        for key in cycle[1:]:
            group.union(cycle[0], key)
    _bound_depth(group, group_cycles, group_needs)
    members: dict[str, list[str]] = {}
    for name in order:
        members.setdefault(group.find(name), []).append(name)
    by_name = {block.name: block for block in made.blocks}
    groups = []
    for names in sorted(members.values(), key=lambda names: order[names[0]]):
        roots = sorted(name for name in names if name in components and name not in parents)
        groups.append(_Group((roots or sorted(names))[0], roots, [by_name[name] for name in names]))
    return groups


def _bound_depth(group: _UnionFind, cycles: list[list[str]], needs: dict[str, set[str]]) -> None:
    """Merge the modules a module reaches into it wherever its chain of imports is longer than
    :data:`MAX_DEPTH`.

    A module imports the modules it needs before it defines its classes, each import a few frames
    deeper in the interpreter's stack: 200 schemas each needing the next (a hostile spec) would pass
    Python's recursion limit. The modules a module reaches are loaded with it anyway, and a set of
    modules that reaches nothing outside itself can be one module without an import cycle.
    ``cycles``: the groups' cycles, each after those it reaches; ``needs``: group → groups it needs.
    """
    out: dict[str, set[str]] = {}  # group -> the groups it needs, by their current names
    for key, needed in needs.items():
        out.setdefault(group.find(key), set()).update(group.find(other) for other in needed)
    height: dict[str, int] = {}
    for cycle in cycles:
        root = group.find(cycle[0])
        reached = {group.find(other) for other in out[root]} - {root}
        depth = 1 + max((height[other] for other in reached), default=0)
        if depth > MAX_DEPTH:
            seen: set[str] = set()
            pending = list(reached)
            while pending:
                other = group.find(pending.pop())
                if other not in seen:
                    seen.add(other)
                    pending.extend(out[other])
            for other in seen:
                group.union(root, other)
            root = group.find(root)
            out[root] = set()
            depth = 1
        height[root] = depth


class _UnionFind:
    """Disjoint sets of names; a set is known by the name of its first member in ``order``."""

    def __init__(self, order: dict[str, int]) -> None:
        self.order = order
        self.parent = {name: name for name in order}

    def find(self, name: str) -> str:
        root = name
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[name] != root:
            self.parent[name], name = root, self.parent[name]
        return root

    def union(self, a: str, b: str) -> None:
        a, b = self.find(a), self.find(b)
        if a != b:
            first, second = sorted((a, b), key=self.order.__getitem__)
            self.parent[second] = first


def _strongly_connected(names: list[str], needs: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components of the graph ``needs``, without recursion (a chain of
    thousands of classes is deeper than Python's stack): each component comes after every
    component it reaches."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in names:
        if root in index:
            continue
        work = [(root, iter(needs[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            name, pending = work[-1]
            step = next(pending, None)
            if step is not None:
                if step not in index:
                    index[step] = low[step] = len(index)
                    stack.append(step)
                    on_stack.add(step)
                    work.append((step, iter(needs[step])))
                elif step in on_stack:
                    low[name] = min(low[name], index[step])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[name])
            if low[name] == index[name]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == name:
                        break
                found.append(component)
    return found


def _name_modules(groups: list[_Group]) -> None:
    """Give each group its module name: ``_`` + snake_case of its class, numbered on a clash."""
    taken = set(naming.MODELS_PACKAGE_NAMES)
    for group in sorted(groups, key=lambda g: g.key):
        stem = "_" + (naming.snake(group.key) or "model")[: naming.MAX_MODULE_NAME]
        group.module = naming.fallback_name(stem, taken)
        taken.add(group.module)


def _module(group: _Group, home: dict[str, _Group], rebuilt: set[str]) -> str:
    """One group's module: a docstring, its imports, its classes and their ``model_rebuild()`` calls
    (``rebuilt``: the classes that have one)."""
    wanted: dict[str, list[str]] = {"__future__": ["annotations"]}
    for block in group.blocks:
        for name in block.classes:
            if home[name] is not group:
                wanted.setdefault(f".{home[name].module}", []).append(name)
        for module, name in block.imports:
            wanted.setdefault(f".{module}" if module.startswith(".") else module, []).append(name)
    try:
        head = imports.block(wanted)
    except ValueError:  # a shape specgen does not write itself: isort and black will order it
        head = "".join(f"from {module} import {', '.join(sorted(set(names)))}\n" for module, names in wanted.items())
    calls = "".join(f"{block.name}.model_rebuild()\n" for block in group.blocks if block.name in rebuilt)
    return (f'"""{_docstring(group)}"""\n\n{head}\n\n' + "\n\n".join(block.text for block in group.blocks)
            + (f"\n\n{calls}" if calls else ""))


def _docstring(group: _Group) -> str:
    """What the module holds: a schema's class, with the classes nested in it; or the classes of
    schemas that refer to each other, with theirs."""
    nested = len(group.blocks) > max(1, len(group.roots))
    if len(group.roots) <= 1:
        return f"{group.key} and the models nested in it." if nested else f"The {group.key} model."
    shown = group.roots[:3]
    listed = ", ".join(shown[:-1]) + " and " + shown[-1] if len(group.roots) <= 3 else \
        f"{', '.join(shown)} and {len(group.roots) - 3} more models"
    return f"{listed}, which refer to each other" + (", with the models nested in them." if nested else ".")


def _init(made: Module, groups: list[_Group], package: str) -> str:
    """``models/__init__.py``: every name, where it lives, and the ``__getattr__`` that imports it."""
    summary = text.escape_docstring((made.docstring.strip().splitlines() or ["The models of the API."])[0])
    names = sorted(block.name for group in groups for block in group.blocks)
    module_of = {block.name: group.module for group in groups for block in group.blocks}
    typed = imports.block({f".{g.module}": [block.name for block in g.blocks] for g in groups}, indent=4)
    return (
        f'"""{summary}\n\n'
        "They are defined in one module per schema (with the schemas written inside it), imported the\n"
        f"first time one of its models is: ``from {package}.models import X`` loads the module of ``X``\n"
        "and the modules that one imports, not every model of the API.\n"
        '"""\n\n'
        "from __future__ import annotations\n\n"
        "from importlib import import_module\n"
        "from typing import TYPE_CHECKING, Any\n\n"
        f"if TYPE_CHECKING:\n{typed}\n"
        "__all__ = [\n" + "".join(f'    "{name}",\n' for name in names) + "]\n\n"
        "#: The module of each model, imported on first use.\n"
        "_MODULES = {\n" + "".join(f'    "{name}": "{module_of[name]}",\n' for name in names) + "}\n\n"
        "if not TYPE_CHECKING:  # type checkers read the imports above\n\n"
        "    def __getattr__(name: str) -> Any:\n"
        '        """Import the model ``name`` from its module on first use (then it is bound here)."""\n'
        "        if name not in _MODULES:\n"
        '            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")\n'
        '        value = getattr(import_module(f".{_MODULES[name]}", __name__), name)\n'
        "        globals()[name] = value\n"
        "        return value\n\n"
        "    def __dir__() -> list[str]:\n"
        "        return sorted({*globals(), *__all__})\n"
    )
