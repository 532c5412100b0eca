"""``models.py``: the pydantic models of a spec's component schemas, built by :mod:`specgen.modelgen`.

The IR decides names: class names are ``api.class_names`` (and, for a class made per member of a
union, :func:`nested_names`), so the client code and the models agree by construction. The result
depends only on the spec and on specgen, so it is kept in the result cache (:mod:`.cache`): the
``generate`` after an ``import`` (whose check builds the models too) reads it instead of building it
again.
"""

from __future__ import annotations

import json

from . import cache, modelgen
from .ir import Api
from .modelgen import Module
from .modelgen.nested import nested_names
from .modelgen.schema import NESTED_CONSTRAINTS, PLAIN_STRING_FORMATS, TYPED_STRING_FORMATS
from .spec import Spec

__all__ = ["Module", "NESTED_CONSTRAINTS", "PLAIN_STRING_FORMATS", "TYPED_STRING_FORMATS", "build", "nested_names", "render_models", "store"]


def render_models(spec: Spec, api: Api) -> Module:
    """``models.py`` for ``spec`` in parts (its source: :meth:`Module.text`, laid out as black writes
    it but for the imports), through the result cache."""
    try:
        return Module.from_data(cache.get("models", _cache_key(spec, api)))
    except ValueError:
        pass
    made = build(spec, api)
    store(spec, api, made)
    return made


def build(spec: Spec, api: Api) -> Module:
    """:func:`render_models` without the result cache."""
    return modelgen.render_models(spec, api)


def store(spec: Spec, api: Api, made: Module) -> None:
    """Keep ``made``, the models of ``spec``, in the result cache."""
    cache.put("models", _cache_key(spec, api), made.to_data())


def _cache_key(spec: Spec, api: Api) -> str:
    """What the models depend on: the spec's text (the document specgen read it from; its inline
    schemas are named deterministically from it) and the class names, else the schemas themselves."""
    names = json.dumps(api.class_names, sort_keys=True, ensure_ascii=False)
    if spec.text:
        return f"text\0{names}\0{spec.text}"
    components = spec.data.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    return f"data\0{names}\0" + json.dumps(schemas, sort_keys=True, ensure_ascii=False, default=repr)
