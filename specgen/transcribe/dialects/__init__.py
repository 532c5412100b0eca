"""The dialects: one module each, one interface, page → located facts.

A dialect module defines ``NAME``, ``detect(page) -> str | None`` (the flavour it recognises the page
as, e.g. ``speakeasy-go``, or None) and ``read(page, flavour, wire_case) -> PageFacts``. A dialect is
added by adding a module and listing it in :data:`DIALECTS`; nothing else knows about dialects.
"""

from __future__ import annotations

from types import ModuleType

from ..facts import PageFacts
from ..page import Page
from . import openapi_generator, rest_reference, speakeasy

#: Tried in this order; the first that recognises a page reads it.
DIALECTS: tuple[ModuleType, ...] = (speakeasy, openapi_generator, rest_reference)


def detect(page: Page) -> tuple[ModuleType, str] | None:
    for module in DIALECTS:
        flavour = module.detect(page)
        if flavour is not None:
            return module, str(flavour)
    return None


def read(page: Page, wire_case: str | None) -> PageFacts | None:
    """The facts of ``page``, or None when no dialect recognises it."""
    found = detect(page)
    if found is None:
        return None
    module, flavour = found
    facts = module.read(page, flavour, wire_case)
    assert isinstance(facts, PageFacts)
    return facts


