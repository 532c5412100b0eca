"""The order of the classes in ``models.py``, which of them end with ``model_rebuild()``, and which
fields mypy needs told about.

Classes are defined so that each comes after what its definition evaluates (its bases, the root type
of a root model, enum members used as defaults) and, where there is no cycle, after every class its
annotations name: pydantic then builds each class complete, instead of resolving a chain of forward
references recursively on first use (a chain of a few hundred schemas exceeds Python's recursion
limit). The order is computed in two steps, as the models were always ordered:

1. :func:`schema_order`: classes by name, each moved after its bases and the classes its root type
   names (strongly connected groups kept together, ties broken by name);
2. :func:`dependencies_first`: a stable depth-first order over every class a class body names,
   then each class held back until what its definition evaluates is placed.

Everything here walks with explicit stacks: a long chain of schemas cannot exhaust Python's stack.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from typing import TypeVar

from .ir import ClassDef, EnumClass, Field, Member, ModelClass


def referenced(cls: ClassDef) -> list[str]:
    """Every class the body of ``cls`` names (bases, annotations, defaults), in the order written."""
    if isinstance(cls, EnumClass):
        return []
    found: list[str] = [b for b in cls.bases if b not in ("Model", "RootModel")]
    for field in cls.fields:
        found.extend(field.type.models())
        found.extend(_members(field.default))
        for value in field.keywords.values():
            found.extend(_members(value))
    if cls.extra is not None:
        found.extend(cls.extra.models())
    return found


def _members(value: object) -> list[str]:
    if isinstance(value, Member):
        return [value.enum]
    if isinstance(value, list):
        return [name for item in value for name in _members(item)]
    if isinstance(value, dict):
        return [name for item in value.values() for name in _members(item)]
    return []


def at_definition(cls: ClassDef) -> set[str]:
    """The classes the ``class`` statement of ``cls`` evaluates: bases, a root type, default values
    and the type of the extra values (annotations are postponed)."""
    if isinstance(cls, EnumClass):
        return set()
    found = {b for b in cls.bases if b not in ("Model", "RootModel")}
    if cls.root:
        found.update(cls.fields[0].type.models())
    for field in cls.fields:
        found.update(_members(field.default))
        for value in field.keywords.values():
            found.update(_members(value))
    if cls.extra is not None:
        found.update(cls.extra.models())
    return found - {cls.name}


def _bases(cls: ClassDef) -> list[str]:
    return [b for b in cls.bases if b not in ("Model", "RootModel")] if isinstance(cls, ModelClass) else []


def schema_order(classes: list[ClassDef], sort_names: dict[str, str]) -> list[ClassDef]:
    """Classes by name (``sort_names``: the name each sorts by), each moved after its bases and, for a
    root model, the classes its type names; a strongly connected group stays together, its members
    ordered by their bases."""
    ordered = sorted(classes, key=lambda c: sort_names.get(c.name, c.name))
    index = {c.name: i for i, c in enumerate(ordered)}
    strong = {c.name: {b for b in _bases(c) if b in index and b != c.name} for c in ordered}
    deps = {name: set(found) for name, found in strong.items()}
    for c in ordered:
        if isinstance(c, ModelClass) and c.root:
            deps[c.name].update(m for m in c.fields[0].type.models() if m in index and m != c.name)
    components = [sorted(group, key=index.__getitem__) for group in _components(list(index), deps)]
    components.sort(key=lambda members: index[members[0]])
    component_of = {name: i for i, members in enumerate(components) for name in members}
    quotient = {i: {component_of[d] for name in members for d in deps[name]} - {i}
                for i, members in enumerate(components)}
    names: list[str] = []
    for i in _toposort(list(quotient), quotient, lambda i: index[components[i][0]]):
        members = components[i]
        if len(members) > 1:
            among = set(members)
            members = _toposort(members, {m: strong[m] & among for m in members}, index.__getitem__)
        names.extend(members)
    by_name = {c.name: c for c in ordered}
    return [by_name[name] for name in names]


Node = TypeVar("Node", str, int)


def _toposort(nodes: list[Node], needs: dict[Node, set[Node]], key: Callable[[Node], int]) -> list[Node]:
    """``nodes`` with what each needs first; ready nodes by ``key`` (smallest first); nodes on a cycle
    last, by ``key``."""
    waiting = {node: len(needs[node]) for node in nodes}
    needed_by: dict[Node, list[Node]] = {node: [] for node in nodes}
    for node in nodes:
        for need in needs[node]:
            needed_by[need].append(node)
    ready = [(key(node), node) for node in nodes if not waiting[node]]
    heapq.heapify(ready)
    result: list[Node] = []
    while ready:
        _, node = heapq.heappop(ready)
        result.append(node)
        for dependent in needed_by[node]:
            waiting[dependent] -= 1
            if not waiting[dependent]:
                heapq.heappush(ready, (key(dependent), dependent))
    if len(result) != len(nodes):
        placed = set(result)
        result.extend(sorted((n for n in nodes if n not in placed), key=key))
    return result


def _components(nodes: list[str], edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of the graph (Tarjan's algorithm, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result: list[list[str]] = []
    counter = 0
    for start in nodes:
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, neighbours = work[-1]
            advanced = False
            for neighbour in neighbours:
                if neighbour not in index:
                    index[neighbour] = low[neighbour] = counter
                    counter += 1
                    stack.append(neighbour)
                    on_stack.add(neighbour)
                    work.append((neighbour, iter(sorted(edges[neighbour]))))
                    advanced = True
                    break
                if neighbour in on_stack:
                    low[node] = min(low[node], index[neighbour])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                result.append(group)
    return result


def dependencies_first(classes: list[ClassDef], refs: dict[str, list[str]]) -> list[ClassDef]:
    """``classes`` reordered so each comes after the classes its body names (a stable depth-first
    order: a class moves only when something it needs comes after it; cycles keep their order), then
    each held back until what its definition evaluates is placed. ``refs``: :func:`referenced` of
    each class, by name."""
    position: dict[str, int] = {}
    for i, cls in enumerate(classes):
        position.setdefault(cls.name, i)
    names = set(position)
    needs = {c.name: sorted((set(refs[c.name]) & names) - {c.name}, key=position.__getitem__) for c in classes}
    order: list[str] = []
    state: dict[str, str] = {}
    for cls in classes:
        if state.get(cls.name):
            continue
        state[cls.name] = "open"
        stack = [(cls.name, iter(needs[cls.name]))]
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
    by_name = {c.name: c for c in classes}
    definition = {c.name: at_definition(c) & names for c in classes}
    return [by_name[name] for name in _definitions_first(order, definition)]


def _definitions_first(order: list[str], needs: dict[str, set[str]]) -> list[str]:
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


def rebuilt(created: list[ClassDef], final: list[ClassDef], references: dict[str, list[str]]) -> list[str]:
    """The classes that end the module with ``<Class>.model_rebuild()``, in the order of ``final``.

    A class needs it when its fields name a class defined after it (or itself) and it is part of a
    cycle of references (or names a class that is), or when it inherits from such a class.
    ``references``: :func:`referenced` of each class, by name.
    """
    names = {c.name for c in created}
    refs = {c.name: set(references[c.name]) & names for c in created}
    bases = {c.name: [b for b in _bases(c) if b in names] for c in created}
    required: list[str] = []
    required_set: set[str] = set()
    settled: set[str] = set()
    unresolved = [c.name for c in created]
    while True:
        left = []
        for name in unresolved:
            if refs[name] - {name} - settled:
                left.append(name)
                continue
            settled.add(name)
            if name in refs[name] and name not in required_set:
                required.append(name)
                required_set.add(name)
        if not left or len(left) == len(unresolved):
            unresolved = left
            break
        unresolved = left
    if unresolved:
        by_name = {c.name: c for c in created}
        seen: set[tuple[str, ...]] = set()
        while True:
            where = {name: i for i, name in enumerate(unresolved)}
            ranked = []
            for name in unresolved:
                cls = by_name[name]
                read = (list(cls.fields[0].type.models()) if isinstance(cls, ModelClass) and cls.root
                        else bases[name])
                ranked.append((max((where[r] for r in read if r in where), default=-1), name))
            again = [name for _, name in sorted(ranked, key=lambda pair: pair[0])]
            if again == unresolved:
                break
            if tuple(again) in seen:
                break
            seen.add(tuple(again))
            unresolved = again
        left_set = set(unresolved)
        for name in unresolved:
            missing = refs[name] - {name} - settled
            parent = required_set.intersection(bases[name])
            if not missing - left_set:
                settled.add(name)
                if (missing or parent) and name not in required_set:
                    required.append(name)
                    required_set.add(name)
    position = {c.name: i for i, c in enumerate(final)}
    final_by_name = {c.name: c for c in final}
    forward = set()
    for name in required_set:
        cls = final_by_name[name]
        field_refs = {m for f in cls.fields for m in f.type.models()} if isinstance(cls, ModelClass) else set()
        if isinstance(cls, ModelClass) and cls.extra is not None:
            field_refs.update(cls.extra.models())
        if name in field_refs or any(position.get(r, -1) > position[name] for r in field_refs):
            forward.add(name)
    reaching = set(forward)
    sources: dict[str, list[str]] = {}
    for name, targets in bases.items():
        for target in targets:
            sources.setdefault(target, []).append(name)
    stack = list(forward)
    while stack:
        for source in sources.get(stack.pop(), ()):
            if source not in reaching:
                reaching.add(source)
                stack.append(source)
    return [c.name for c in final if c.name in reaching]


def narrowed(classes: Iterable[ClassDef]) -> dict[str, frozenset[str]]:
    """The fields each class redeclares with a type mypy rejects as an override of its base's (not a
    subtype): they get ``# type: ignore[assignment]``; pydantic validates the subclass's type."""
    fields: dict[str, dict[str, Field]] = {}
    bases: dict[str, list[str]] = {}
    marked: dict[str, frozenset[str]] = {}
    for cls in classes:
        if isinstance(cls, EnumClass):
            fields[cls.name] = {}
            continue
        bases[cls.name] = [] if cls.root else list(cls.bases)
        inherited: dict[str, Field] = {}
        for base in reversed(bases[cls.name]):
            inherited.update(fields.get(base, {}))
        own = {f.name: f for f in cls.fields}
        fields[cls.name] = {**inherited, **own}
        found = {name for name, field in own.items()  # the types' texts only where a field is redeclared
                 if name in inherited and not _is_subtype(_members_text(field), _members_text(inherited[name]), bases)}
        if found:
            marked[cls.name] = frozenset(found)
    return marked


def _members_text(field: Field) -> list[str]:
    type_ = field.type
    return [arg.text() for arg in type_.args] if type_.kind == "union" else [type_.text()]


def _is_subtype(new: list[str], old: list[str], bases: dict[str, list[str]]) -> bool:
    allowed = set(old)
    if "Any" in allowed:
        return True

    def covered(name: str) -> bool:
        seen: set[str] = set()
        stack = [name]
        while stack:
            current = stack.pop()
            if current in allowed:
                return True
            seen.add(current)
            stack.extend(b for b in bases.get(current, []) if b not in seen)
        return False

    return all(covered(member) for member in new)
