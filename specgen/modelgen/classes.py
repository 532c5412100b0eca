"""The model IR → the text of each class, as black writes it.

Each class is one block of lines (no blank line before or after it). Literals come from
:mod:`.values` (black's quotes and numbers), docstrings are escaped by the rule the models always
used (backslashes doubled, a closing quote escaped) and laid out by black's own docstring rule
(:func:`layout.docstring`). A line longer than black's limit is wrapped the way black wraps it when
this module knows how (:func:`_wrapped`); otherwise it is left long for :func:`layout.formatted`,
which hands such a statement to black.
"""

from __future__ import annotations

from .. import layout
from . import wrap
from .ir import REQUIRED, ClassDef, EnumClass, Field, ModelClass
from .values import literal

INDENT = "    "


def class_text(cls: ClassDef, aliases: dict[str, str], ignored: frozenset[str] = frozenset()) -> str:
    """The block of ``cls``; ``aliases``: imported names bound under another name; ``ignored``: the
    fields whose line ends with ``# type: ignore[assignment]`` (see :mod:`.order`)."""
    if isinstance(cls, EnumClass):
        return _enum(cls)
    return _model(cls, aliases, ignored)


def _enum(cls: EnumClass) -> str:
    bases = {"str": "str, OpenEnum", "int": "int, OpenEnum"}.get(cls.kind, "OpenEnum")
    lines = [wrap.class_statement(cls.name, bases)]
    if cls.doc:
        lines.append(class_docstring(cls.doc))
        if cls.members:
            lines.append("")
    for member in cls.members:
        lines.append(wrap.member(member.name, literal(member.value)))
        if member.doc:
            lines.append(INDENT + attribute_docstring(member.doc))
    return "\n".join(lines) + "\n"


def _model(cls: ModelClass, aliases: dict[str, str], ignored: frozenset[str]) -> str:
    if cls.root:  # the base is evaluated before the class exists: its own name is a string there
        bases = f"RootModel[{cls.fields[0].type.text(aliases, frozenset({cls.name}))}]"
    else:
        bases = ", ".join(cls.bases)
    lines = [wrap.class_statement(cls.name, bases)]
    body: list[str] = []
    if cls.config:
        body.append(f"{INDENT}model_config = ConfigDict(")
        for key, value in cls.config:
            body.extend(wrap.value_lines(INDENT * 2, f"{key}=", literal(value), value, ","))
        body.append(f"{INDENT})")
    if cls.extra is not None:
        body.append(f"{INDENT}__annotations__ = {{")
        body.append(f'{INDENT * 2}"__pydantic_extra__": Dict[str, {cls.extra.text(aliases)}],')
        body.append(f"{INDENT}}}")
    for field in cls.fields:
        body.append(_field_line(field, aliases, "  # type: ignore[assignment]" if field.name in ignored else ""))
        if field.doc:
            body.append(INDENT + attribute_docstring(field.doc))
    if cls.doc:
        lines.append(class_docstring(cls.doc))
        if body:
            lines.append("")
    elif not body:
        body.append(f"{INDENT}pass")
    lines.extend(body)
    return "\n".join(lines) + "\n"


def _field_line(field: Field, aliases: dict[str, str], suffix: str = "") -> str:
    """The statement of a field (wrapped as black wraps it when long, see :mod:`.wrap`)."""
    annotation = field.type.text(aliases)
    if field.keywords or field.call:
        arguments: list[wrap.Argument] = sorted(((f"{k}=", literal(v), v) for k, v in field.keywords.items()),
                                                key=lambda a: a[0] + a[1])
        if field.default is REQUIRED:
            if not field.keywords.get("validate_default"):
                arguments.insert(0, ("", "...", None))
        else:
            arguments.insert(0, ("", literal(field.default), field.default))
        call = f"Field({', '.join(prefix + text for prefix, text, _ in arguments)})"
        return wrap.field(field.name, annotation, call, arguments, suffix)
    if field.default is REQUIRED:
        return wrap.field(field.name, annotation, None, None, suffix)
    return wrap.field(field.name, annotation, literal(field.default), None, suffix)


def _escaped(value: str) -> str:
    """Docstring text escaped as the models always escaped it (backslashes doubled, ``\"\"\"`` broken)."""
    return value.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').replace("\0", "\\x00")


def _written(value: str, indent: str) -> str:
    """The docstring as datamodel-code-generator wrote it (one line when the text is one line)."""
    escaped = _escaped(value)
    if "\n" not in value:
        if escaped.endswith('"'):  # a closing quote next to the docstring's own: escaped, unless it is
            trailing = len(escaped[:-1]) - len(escaped[:-1].rstrip("\\"))  # already (an odd run of \\)
            if trailing % 2 == 0:
                escaped = escaped[:-1] + '\\"'
        return f'"""{escaped}"""'
    body = "\n".join(f"{indent}{line}" if line else "" for line in escaped.split("\n"))
    return f'"""\n{body}\n{indent}"""'


def class_docstring(value: str) -> str:
    """A class docstring line(s), indented, as black writes it."""
    written = _written(value, INDENT)
    return INDENT + layout.docstring(written[3:-3], INDENT)


def attribute_docstring(value: str) -> str:
    """An attribute docstring as written (black leaves those as they are)."""
    return _written(value, INDENT)
