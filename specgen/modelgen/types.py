"""Type expressions of the models: a small immutable tree, written as Python annotation text.

A :class:`Type` is a name (``str``, ``AwareDatetime``, a model class), ``list[...]``, ``dict[str, ...]``,
a union, ``Literal[...]`` or ``None``. Each name knows the module it is imported from, so the module's
imports are read off the types it uses; model classes are marked, so the dependency order can follow
them. Types are built bottom-up by :mod:`.schema` and only read afterwards.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass

#: How a ``Literal`` value is written (the caller passes the literal text, see :mod:`.values`).
NAME, LIST, DICT, UNION, LITERAL, NONE = "name", "list", "dict", "union", "literal", "none"


@dataclass(frozen=True, slots=True)
class Type:
    """One type expression. ``name``: the name written (a :data:`NAME`); ``module``: where it is imported
    from ("" for a builtin or a model class); ``model``: a class of the module; ``args``: the item type of
    a list or map, or the members of a union; ``literals``: the literal texts of a ``Literal``."""

    kind: str
    name: str = ""
    module: str = ""
    model: bool = False
    args: tuple[Type, ...] = ()
    literals: tuple[str, ...] = ()

    def text(self, aliases: dict[str, str] | None = None, quoted: frozenset[str] = frozenset()) -> str:
        """The annotation as written; ``aliases``: imported names bound under another name;
        ``quoted``: model classes written as strings (not defined yet where the expression is
        evaluated: a root model's own name in its base), then a union with one of them as a member is
        ``Union[...]`` (``str | "Tree"`` would fail)."""
        kind = self.kind
        if kind == NAME:
            if self.model and self.name in quoted:
                return f'"{self.name}"'
            return aliases.get(self.name, self.name) if aliases and self.module else self.name
        if kind == LIST:
            return f"list[{self.args[0].text(aliases, quoted)}]"
        if kind == DICT:
            return f"dict[str, {self.args[0].text(aliases, quoted)}]"
        if kind == UNION:
            if self.quotes_a_member(quoted):
                return f"Union[{', '.join(arg.text(aliases, quoted) for arg in self.args)}]"
            return " | ".join(arg.text(aliases, quoted) for arg in self.args)
        if kind == LITERAL:
            return f"Literal[{', '.join(self.literals)}]"
        return "None"

    def quotes_a_member(self, quoted: frozenset[str]) -> bool:
        """Whether this is a union of which a member is a model class in ``quoted``."""
        return self.kind == UNION and any(arg.model and arg.name in quoted for arg in self.args)

    def needs_union(self, quoted: frozenset[str]) -> bool:
        """Whether :meth:`text` with ``quoted`` writes ``Union[...]`` somewhere (``typing.Union``)."""
        return bool(quoted) and any(node.quotes_a_member(quoted) for node in self.walk())

    def walk(self) -> Iterator[Type]:
        """This type and every type inside it (an explicit stack: types can be deep)."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.args))

    def models(self) -> Iterator[str]:
        """The model classes the annotation names, in the order written."""
        return (node.name for node in self.walk() if node.model)

    @property
    def is_optional(self) -> bool:
        return self.kind == NONE or (self.kind == UNION and any(a.kind == NONE for a in self.args))

    @property
    def is_any(self) -> bool:
        return self.kind == NAME and self.name == "Any"


@functools.lru_cache(maxsize=None)
def name(text: str, module: str = "") -> Type:
    return Type(NAME, text, module)


@functools.lru_cache(maxsize=None)
def model(class_name: str) -> Type:
    return Type(NAME, class_name, model=True)


@functools.lru_cache(maxsize=65536)
def list_of(item: Type) -> Type:
    return Type(LIST, args=(item,))


@functools.lru_cache(maxsize=65536)
def dict_of(value: Type) -> Type:
    return Type(DICT, args=(value,))


def literal(texts: tuple[str, ...]) -> Type:
    return Type(LITERAL, "Literal", "typing", literals=texts)


NONE_TYPE = Type(NONE)
ANY = name("Any", "typing")
STR, INT, FLOAT, BOOL, BYTES = name("str"), name("int"), name("float"), name("bool"), name("bytes")


def union(members: list[Type]) -> Type:
    """The union of ``members``: nested unions flattened, repeats dropped, ``None`` last; one member is itself."""
    flat: list[Type] = []
    none = False
    for member in members:
        for part in member.args if member.kind == UNION else (member,):
            if part.kind == NONE:
                none = True
            elif part not in flat:
                flat.append(part)
    if none:
        flat.append(NONE_TYPE)
    if len(flat) == 1:
        return flat[0]
    return Type(UNION, args=tuple(flat)) if flat else NONE_TYPE


@functools.lru_cache(maxsize=65536)
def optional(member: Type) -> Type:
    if member.kind == NONE or (member.kind == UNION and member.args[-1].kind == NONE):
        return member
    return union([member, NONE_TYPE])


def imports(types: list[Type]) -> dict[str, set[str]]:
    """The names to import, by module, for ``types``."""
    found: dict[str, set[str]] = {}
    for type_ in types:
        for node in type_.walk():
            if node.module:
                found.setdefault(node.module, set()).add(node.name)
    return found
