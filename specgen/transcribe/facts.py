"""What a dialect reads from a page: located facts in neutral terms, nothing about YAML or specs.

A type is a :class:`TypeExpr` (a scalar, free-form object, ``any``, a link to a model page, an array,
a map, or an object written in place); every field, parameter, model and operation carries the
:class:`~.page.Loc` it was read at and the inference rules (:mod:`.rules`) used to read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .page import Loc

SCALARS = ("string", "integer", "number", "boolean")


@dataclass(frozen=True)
class TypeExpr:
    """``kind``: string | integer | number | boolean | any | object | ref | array | map | inline.

    ``ref``: ``name`` is the model named on the page (``shared.Runtime`` → ``Runtime``), ``link`` the
    page it links to (resolved against the linking page), empty when there is no link.
    ``inline``: an object written in place (REST reference pages), with its ``fields``.
    """

    kind: str
    name: str = ""
    link: str = ""
    item: TypeExpr | None = None
    format: str = ""
    fields: tuple[FieldFact, ...] = ()
    inferred: tuple[str, ...] = ()  # rules used (e.g. "format: int64 from the SDK type int64")


@dataclass(frozen=True)
class FieldFact:
    shown: str  # the name as the page shows it (ActiveAt)
    wire: str  # the wire name after the wire-case rule (activeAt)
    type: TypeExpr
    required: bool
    loc: Loc
    description: str | None = None
    example: str | None = None  # as written (``<br/>`` already a newline)
    enum: tuple[Any, ...] = ()
    inferred: tuple[str, ...] = ()


@dataclass(frozen=True)
class ModelFact:
    """A model page (kind ``object``) or enum page (kind ``enum``).

    ``role`` says what an SDK page stands for: ``model`` (a schema), ``response-wrapper`` /
    ``request-wrapper`` (Speakeasy operation pages of an SDK's own making, no schema of their own).
    """

    name: str
    kind: str
    loc: Loc
    description: str | None = None
    fields: tuple[FieldFact, ...] = ()
    values: tuple[Any, ...] = ()
    value_type: str = "string"
    role: str = "model"
    page: str = ""  # the page's path on disk (what links resolve to)


@dataclass(frozen=True)
class ParamFact:
    shown: str
    wire: str
    type: TypeExpr
    required: bool
    loc: Loc
    location: str | None = None  # path | query | header | cookie, None when the page does not say
    description: str | None = None
    example: str | None = None
    inferred: tuple[str, ...] = ()


@dataclass(frozen=True)
class OperationFact:
    """One operation. ``method``/``path`` are None when the page does not show them."""

    resource: str  # SDK group or tag as shown (Runs, RunServiceApi, Jobs)
    name: str  # SDK method as shown (GetOutputs, archive_run), or the page title
    loc: Loc
    method: str | None = None
    path: str | None = None
    operation_id: str | None = None
    summary: str | None = None
    description: str | None = None
    params: tuple[ParamFact, ...] = ()
    body: TypeExpr | None = None
    body_required: bool = True
    body_loc: Loc | None = None
    response: TypeExpr | None = None
    response_description: str | None = None
    response_loc: Loc | None = None
    inferred: tuple[str, ...] = ()


@dataclass(frozen=True)
class Problem:
    loc: Loc
    message: str
    hint: str = ""
    severity: str = "error"  # error | warning | note

    def __str__(self) -> str:
        text = f"{self.loc}: {self.severity}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


@dataclass
class PageFacts:
    """Everything one page says, and what was wrong with it."""

    dialect: str
    models: list[ModelFact] = field(default_factory=list)
    operations: list[OperationFact] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    links: list[tuple[str, Loc]] = field(default_factory=list)  # pages this one links to (on disk)
