"""``models.py`` without datamodel-code-generator: component schemas → pydantic models.

Data flows one way: :mod:`.schema` reads the component schemas into the model IR (:mod:`.ir`, with
types from :mod:`.types`), :mod:`.order` decides the order of the classes, :mod:`.classes` writes
each class and :mod:`.emit` the module.
"""

from __future__ import annotations

from ..ir import Api
from ..spec import Spec
from . import emit, schema
from .emit import Block, Module

__all__ = ["Block", "Module", "render_models"]


def render_models(spec: Spec, api: Api) -> Module:
    """``models.py`` for ``spec`` in parts (:meth:`Module.text` is the source, laid out as black
    writes it but for the imports)."""
    components = spec.data.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    if not schemas:
        return emit.EMPTY
    reader = schema.Reader(schemas, api.class_names)
    created = reader.read()
    return emit.module(created, reader.sort_names)
