"""A documentation page: read within bounds, parsed by markdown-it-py into located blocks.

Dialects read these blocks (headings, tables, nested lists, fenced code, HTML comments, paragraphs),
never the raw page text, so a pattern can only ever match inside one cell, list item or line.
Every block carries the 1-based line it starts at.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

MAX_PAGE_BYTES = 1024 * 1024  # one documentation page; the largest corpus page is about 60 KiB
MAX_PAGES = 2000  # pages in one transcription
MAX_TOTAL_BYTES = 32 * 1024 * 1024
MAX_TABLE_ROWS = 5000
MAX_LIST_DEPTH = 32


class PageError(Exception):
    """A page that cannot be read as text: where, what, and a hint."""

    def __init__(self, line: int, message: str, hint: str) -> None:
        super().__init__(message)
        self.line, self.message, self.hint = line, message, hint


@dataclass(frozen=True)
class Loc:
    """Where a fact was read: a page (as shown to the user) and a 1-based line."""

    page: str
    line: int

    def __str__(self) -> str:
        return f"{self.page}:{self.line}"


@dataclass(frozen=True)
class Cell:
    """One table cell: its markdown source, its text without markup, and the links in it."""

    source: str
    text: str
    links: tuple[tuple[str, str], ...]  # (link text, href)

    @property
    def markdown(self) -> str:
        """The cell as markdown prose (links and code spans kept): ``<br/>`` a newline, entities decoded."""
        text = re.sub(r"<br\s*/?>", "\n", self.source, flags=re.I).replace("\\|", "|")
        return html.unescape(text).strip()


@dataclass(frozen=True)
class Row:
    line: int
    cells: tuple[Cell, ...]
    written: int  # how many cells the source line really has (markdown-it pads short rows)


@dataclass(frozen=True)
class Table:
    line: int
    header: tuple[str, ...]
    rows: tuple[Row, ...]


@dataclass
class Item:
    """One list item: the text of its first paragraph, and the items nested under it."""

    line: int
    cell: Cell
    children: list[Item] = field(default_factory=list)


@dataclass(frozen=True)
class Heading:
    line: int
    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    line: int
    cell: Cell


@dataclass(frozen=True)
class Fence:
    line: int
    info: str
    content: str


@dataclass(frozen=True)
class Comment:
    line: int
    content: str


@dataclass(frozen=True)
class ItemList:
    line: int
    items: tuple[Item, ...]


Block = Heading | Paragraph | Table | ItemList | Fence | Comment


@dataclass
class Page:
    """A page: its path on disk, how it is named in messages and sources, and its blocks."""

    path: Path
    name: str
    blocks: list[Block]

    def loc(self, line: int) -> Loc:
        return Loc(self.name, line)

    def title(self) -> Heading | None:
        return next((b for b in self.blocks if isinstance(b, Heading) and b.level == 1), None)


_MD = MarkdownIt("commonmark", {"maxNesting": 100}).enable("table")  # deeper markup is left as text


def read_text(path: Path) -> str:
    """The page's text; :class:`PageError` for a file too large, binary or not UTF-8."""
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_PAGE_BYTES + 1)
    except OSError as exc:
        raise PageError(1, f"cannot read the page: {exc.strerror or exc}", "check that it exists and is readable") from None
    if len(raw) > MAX_PAGE_BYTES:
        raise PageError(1, f"page is larger than {MAX_PAGE_BYTES // 1024} KiB",
                        "a documentation page is small text: is this the right file?")
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise PageError(raw.count(b"\n", 0, nul) + 1, "page contains a NUL byte (a binary file?)",
                        "pass markdown pages only")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PageError(raw.count(b"\n", 0, exc.start) + 1,
                        f"page is not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded", "save the page as UTF-8") from None
    return text.removeprefix("\ufeff")


def parse(path: Path, name: str, text: str) -> Page:
    """``text`` as located blocks."""
    tokens = _MD.parse(text)
    lines = text.splitlines()
    return Page(path, name, list(_blocks(tokens, lines)))


def _line(token: Token) -> int:
    return token.map[0] + 1 if token.map else 1


def cell_of(token: Token | None) -> Cell:
    """An ``inline`` token as a :class:`Cell` (text with markup removed, links listed)."""
    if token is None:
        return Cell("", "", ())
    parts: list[str] = []
    links: list[tuple[str, str]] = []
    href: str | None = None
    link_text: list[str] = []
    for child in token.children or []:
        if child.type == "link_open":
            href, link_text = str(child.attrs.get("href", "")), []
        elif child.type == "link_close":
            links.append(("".join(link_text), href or ""))
            href = None
        elif child.type in ("text", "code_inline"):
            parts.append(child.content)
            if href is not None:
                link_text.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "html_inline":
            if child.content.lower().replace(" ", "") in ("<br/>", "<br>"):
                parts.append("\n")
    return Cell(token.content, html.unescape("".join(parts)).strip(), tuple(links))


def _blocks(tokens: list[Token], lines: list[str]) -> list[Block]:
    out: list[Block] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open":
            out.append(Heading(_line(token), int(token.tag[1:]), cell_of(tokens[i + 1]).text))
            i += 3
        elif token.type == "paragraph_open" and token.level == 0:
            out.append(Paragraph(_line(token), cell_of(tokens[i + 1])))
            i += 3
        elif token.type == "table_open":
            i = _table(tokens, i, lines, out)
        elif token.type == "bullet_list_open" and token.level == 0:
            i = _list(tokens, i, out)
        elif token.type == "fence" or token.type == "code_block":
            out.append(Fence(_line(token), token.info.strip(), token.content))
            i += 1
        elif token.type == "html_block":
            out.append(Comment(_line(token), token.content))
            i += 1
        else:
            i += 1
    return out


def _table(tokens: list[Token], i: int, lines: list[str], out: list[Block]) -> int:
    start = _line(tokens[i])
    header: list[str] = []
    rows: list[Row] = []
    cells: list[Cell] = []
    row_line = start
    in_head = False
    while tokens[i].type != "table_close":
        token = tokens[i]
        if token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open":
            cells, row_line = [], _line(token)
        elif token.type == "inline":
            cells.append(cell_of(token))
        elif token.type == "tr_close":
            if in_head:
                header = [c.text for c in cells]
            else:
                if len(rows) >= MAX_TABLE_ROWS:
                    raise PageError(row_line, f"table has more than {MAX_TABLE_ROWS} rows", "split the page")
                source = lines[row_line - 1] if 0 < row_line <= len(lines) else ""
                rows.append(Row(row_line, tuple(cells), _written_cells(source)))
        i += 1
    out.append(Table(start, tuple(header), tuple(rows)))
    return i + 1


def _written_cells(line: str) -> int:
    """How many cells a table row's source line holds (unescaped pipes outside code spans)."""
    text = line.strip()
    count, in_code, escaped = 1, False, False
    for index, char in enumerate(text):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "`":
            in_code = not in_code
        elif char == "|" and not in_code and 0 < index < len(text) - 1:
            count += 1
    return count


def _list(tokens: list[Token], i: int, out: list[Block]) -> int:
    start = _line(tokens[i])
    roots: list[Item] = []
    stack: list[list[Item]] = [roots]
    current: list[Item | None] = [None]
    depth = 0
    level0 = tokens[i].level
    i += 1
    while i < len(tokens):
        token = tokens[i]
        if token.type == "bullet_list_close" and token.level == level0:
            break
        if token.type == "bullet_list_open" or token.type == "ordered_list_open":
            depth += 1
            if depth >= MAX_LIST_DEPTH:
                raise PageError(_line(token), f"lists nested more than {MAX_LIST_DEPTH} levels deep",
                                "no documentation nests fields that deep: is this the right page?")
            parent = current[-1]
            children: list[Item] = parent.children if parent is not None else []
            stack.append(children)
            current.append(None)
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
            stack.pop()
            current.pop()
        elif token.type == "list_item_open":
            item = Item(_line(token), Cell("", "", ()))
            stack[-1].append(item)
            current[-1] = item
        elif token.type == "inline" and current[-1] is not None and not current[-1].cell.source:
            current[-1].cell = cell_of(token)
        i += 1
    out.append(ItemList(start, tuple(roots)))
    return i + 1
