"""``specgen import``: a vendor's OpenAPI 3.0/3.1 or Swagger 2.0 document → ``specs/NAME.yaml``.

Data flows one way, one module per concern: :mod:`.source` reads the document (file or URL) and
inlines relative multi-file ``$ref``s, :mod:`.swagger2` and :mod:`.oas30` convert older versions to
OpenAPI 3.1, :mod:`.refs` inlines references into the middle of objects, :mod:`.select` keeps the chosen operations and what they reach, :mod:`.defaults` fills
the ``x-specgen-*`` keys, :mod:`.merge` keeps the user's edits of an earlier import, and
:mod:`.write` dumps the result deterministically and atomically.
"""

from __future__ import annotations

from .errors import ImportProblem
from .run import ImportResult, import_spec

__all__ = ["ImportProblem", "ImportResult", "import_spec"]
