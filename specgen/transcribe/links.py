"""Links between pages: resolved against the linking page, recorded for link following."""

from __future__ import annotations

import os
import re
from pathlib import Path

from .facts import PageFacts
from .page import Loc, Page

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def link_target(page: Page, href: str) -> Path | None:
    """The file a relative link of ``page`` points to (fragment dropped); None for external or
    in-page links."""
    href = href.split("#", 1)[0].split("?", 1)[0]
    if not href or _SCHEME.match(href) or href.startswith("/"):
        return None
    return Path(_normalise(page.path.parent / href))


def _normalise(path: Path) -> str:
    return os.path.normpath(str(path))


def record_link(facts: PageFacts, page: Page, href: str, line: int) -> str:
    """Resolve ``href`` and remember it for link following; the resolved path ('' if external)."""
    target = link_target(page, href)
    if target is None:
        return ""
    facts.links.append((str(target), Loc(page.name, line)))
    return str(target)
