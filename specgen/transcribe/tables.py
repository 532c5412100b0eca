"""The one check every dialect makes of a table before reading it: its columns, and its rows' cells."""

from __future__ import annotations

from .facts import PageFacts, Problem
from .page import Page, Table


def has_columns(page: Page, facts: PageFacts, table: Table, needed: tuple[str, ...], *, dialect: str,
                cells: int | None = None) -> bool:
    """Whether ``table`` has the ``needed`` columns and every row at least ``cells`` cells (by
    default, up to the last needed column: a trailing empty cell may be left out, as markdown
    allows). Each shortfall is a located problem in ``facts``."""
    missing = [c for c in needed if c not in table.header]
    if missing:
        facts.problems.append(Problem(page.loc(table.line), f"table has no {', '.join(missing)} column "
                                      f"(columns: {' | '.join(table.header)})",
                                      f"{dialect} tables have the columns {' | '.join(needed)}"))
        return False
    least = min(len(table.header), cells if cells is not None else max(table.header.index(c) for c in needed) + 1)
    ok = True
    for row in table.rows:
        if row.written < least:
            facts.problems.append(Problem(page.loc(row.line), f"row has {row.written} cells; the table has "
                                          f"{len(table.header)} columns ({' | '.join(table.header)})",
                                          "write every cell of the row, empty ones as `|  |`"))
            ok = False
    return ok
