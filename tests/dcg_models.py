"""The oracle's builder: ``models.py`` through datamodel-code-generator, as specgen built it before
:mod:`specgen.modelgen` (see :mod:`modelgen_oracle`)."""

from __future__ import annotations

from specgen.models import _dcg_input as dcg_input
from specgen.models import render_models

__all__ = ["dcg_input", "render_models"]
