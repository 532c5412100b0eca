"""YAML text → JSON-compatible Python data with the line of every JSON pointer, safe on hostile input.

The data is built from parser events in one loop with an explicit stack (no Python recursion), so
nesting depth, alias expansion and scalar sizes can be bounded and every refusal can say where it
happened:

* Only JSON values come out: str, int, float, bool, None, dict (str keys), list. Explicit tags other
  than ``!!str !!int !!float !!bool !!null !!map !!seq`` (and the non-specific ``!``) are refused;
  so are ``.inf``/``.nan``, integers longer than :data:`MAX_INT_DIGITS` digits and floats that
  overflow. Plain scalars that YAML 1.1 would read as timestamps (``2024-01-01``) or as the ``=``
  value stay the strings written: OpenAPI is JSON. For the same reason a JSON number with an
  exponent and no fraction (``1e+20``), which YAML 1.1 reads as text, is a number.
* Keys are the text written (``200:`` → ``"200"``, ``true:`` → ``"true"``); a mapping or list used
  as a key is refused, a key written twice is reported (and loading goes on to find more).
* Merge keys (``<<: *base`` or ``<<: [*a, *b]``, YAML 1.1) are implemented: keys written in the
  mapping win over merged ones, earlier sources win over later ones, merged keys take the place of
  ``<<`` in the key order.
* An alias shares the anchored object instead of copying it, but the size it would have expanded
  to is counted: the whole document may expand to at most ``max(MIN_EXPANSION, EXPANSION_FACTOR ×
  nodes written so far)`` nodes, checked at every alias, so a "billion laughs" file is refused at
  the alias that crosses the budget, long before anything downstream walks it. Later stages (the
  structure checks, the validator, the models) walk the expanded document: a million nodes take
  them about a second, and the budget keeps their work within a constant factor of what the text
  itself asks for. Honest anchors (a shared response, a common set of fields) expand a document by
  a small factor; a bomb's expansion grows exponentially and crosses the budget within a few lines.
* More than :data:`MAX_NODES` values, nesting deeper than :data:`MAX_DEPTH` collections, an alias
  inside its own anchor, an undefined or redefined anchor and a second document are refused.
  MAX_DEPTH leaves room for :data:`spec.MAX_SCHEMA_DEPTH` schema levels (two YAML levels each
  through ``properties``) and stays well below what the recursive later stages survive (a deep copy
  takes two Python frames a level, of a limit of 1,000).
* :func:`read_text` refuses files over :data:`MAX_FILE_BYTES` before reading them, NUL bytes,
  UTF-16/32 and text that is not UTF-8 (at the line of the first bad byte), and a U+FEFF anywhere
  but at the start (where YAML allows it and Windows editors put it).

Lines: every mapping value is recorded at the line of its key, every list item at its own line.
Data reached through an alias or a merge key is not recorded again: :meth:`Spec.line` finds the
closest recorded ancestor, i.e. the place that uses the alias.
"""

from __future__ import annotations

import contextlib
import gc
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic, SpecError

Pointer = tuple[str, ...]

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 256
MAX_INT_DIGITS = 4300  # Python's own limit for int <-> str conversion
MAX_NODES = 4_000_000  # written; about 70 MiB of an honest spec, about 1 GiB in memory
MIN_EXPANSION = 1_000_000
EXPANSION_FACTOR = 20

try:  # libyaml is much faster on large specs; the pure-Python parser gives the same events.
    _Parser: type[yaml.SafeLoader] = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Parser = yaml.SafeLoader

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_TAG + t for t in ("str", "int", "float", "bool", "null"))
_MERGE, _MAP, _SEQ = _TAG + "merge", _TAG + "map", _TAG + "seq"
_SCALAR_TAGS = {_STR, _INT, _FLOAT, _BOOL, _NULL}
_RESOLVERS: dict[Any, list[tuple[str, re.Pattern[str]]]] = yaml.resolver.Resolver.yaml_implicit_resolvers
_BOOLS = {"yes": True, "no": False, "true": True, "false": False, "on": True, "off": False}
_INT_LIMIT = 10**MAX_INT_DIGITS
#: A JSON number with an exponent and no fraction (``1e+20``, ``2E5``): YAML 1.1's float needs a
#: dot, so it would read these as strings; JSON (and YAML 1.2) reads them as numbers.
_JSON_EXPONENT = re.compile(r"-?(?:0|[1-9][0-9]*)[eE][+-]?[0-9]+")


class _Refused(Exception):
    def __init__(self, line: int, message: str, hint: str) -> None:
        super().__init__(message)
        self.line, self.message, self.hint = line, message, hint


class _Frame:
    """A mapping or list being built."""

    __slots__ = ("container", "is_map", "pointer", "line", "anchor", "size", "key", "key_line", "is_merge", "merged")

    def __init__(self, container: dict[str, Any] | list[Any], pointer: Pointer, line: int, anchor: str | None) -> None:
        self.container = container
        self.is_map = type(container) is dict
        self.pointer = pointer
        self.line = line
        self.anchor = anchor
        self.size = 1
        self.key: str | None = None  # mapping: the key whose value comes next (None: a key comes next)
        self.key_line = 0
        self.is_merge = False  # the pending key is `<<`
        #: Keys that came from `<<`, which written keys may override (None: none came).
        self.merged: set[str] | None = None


def read_text(path: Path) -> str:
    """The text of the spec at ``path``; a located :class:`SpecError` when it cannot be a spec."""
    try:
        with path.open("rb") as stream:
            size = stream.seek(0, 2)
            if size > MAX_FILE_BYTES:
                raise SpecError([Diagnostic(path, 1, f"spec is too large ({size / 2**20:.0f} MiB)",
                                            f"specgen reads specs up to {MAX_FILE_BYTES // 2**20} MiB: split it")])
            stream.seek(0)
            raw = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise SpecError([Diagnostic(path, 1, f"cannot read spec: {exc.strerror or exc}",
                                    "check that the file exists and is readable")]) from None
    if len(raw) > MAX_FILE_BYTES:  # grew while we looked
        raise SpecError([Diagnostic(path, 1, "spec is too large", f"specgen reads specs up to "
                                    f"{MAX_FILE_BYTES // 2**20} MiB: split it")])
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SpecError([Diagnostic(path, 1, "spec is UTF-16 or UTF-32 text, not UTF-8",
                                    "save the file as UTF-8")])
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise SpecError([Diagnostic(path, raw.count(b"\n", 0, nul) + 1, "spec contains a NUL byte",
                                    "a spec is UTF-8 text: remove the NUL byte (is this a binary file?)")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SpecError([Diagnostic(path, raw.count(b"\n", 0, exc.start) + 1,
                                    f"spec is not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded",
                                    "save the file as UTF-8")]) from None
    if text.startswith("\ufeff"):  # allowed by YAML and harmless: editors on Windows write it
        text = text[1:]
    if "\ufeff" in text:
        raise SpecError([Diagnostic(path, text.count("\n", 0, text.index("\ufeff")) + 1,
                                    "byte order mark (U+FEFF) inside the spec",
                                    "remove it: it is invisible and only allowed at the very start")])
    if not text.strip():
        raise SpecError([Diagnostic(path, 1, "spec is empty", "write an OpenAPI 3.1 document (`openapi: 3.1.0`, ...)")])
    return text


def load_yaml(path: Path, text: str) -> tuple[dict[str, Any], dict[Pointer, int]]:
    """The single YAML document in ``text`` as JSON data, and the line of every pointer in it.

    Raises :class:`SpecError` on the first problem that stops reading (with its line), or after
    reading with every duplicate key.
    """
    root, lines, _ = load_tree(path, text)
    return root, lines


def load_tree(path: Path, text: str) -> tuple[dict[str, Any], dict[Pointer, int], bool]:
    """:func:`load_yaml`, and whether the document is a tree: no alias and no merge key, so every
    value is written once and ``lines`` has the line of each, in document order, and of nothing
    else (:func:`ordered_lines` and :func:`lines_of` then turn ``lines`` into a list and back)."""
    lines: dict[Pointer, int] = {}
    duplicates: list[Diagnostic] = []
    builder = _Builder(path, lines, duplicates)
    try:
        root = _build(builder, text)
    except _Refused as exc:
        raise SpecError([Diagnostic(path, exc.line, exc.message, exc.hint)]) from None
    except yaml.MarkedYAMLError as exc:
        raise SpecError([_syntax_error(path, exc)]) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise SpecError([Diagnostic(path, line, f"YAML error: {exc.reason} (character {exc.character!r})",
                                    "remove the control character at this line")]) from None
    except yaml.YAMLError as exc:
        raise SpecError([Diagnostic(path, 1, f"YAML error: {exc}", "fix the YAML")]) from None
    if duplicates:
        raise SpecError(duplicates)
    if not isinstance(root, dict):
        kind = "list" if isinstance(root, list) else "single value"
        raise SpecError([Diagnostic(path, lines.get((), 1), f"a spec must be a YAML mapping (an OpenAPI document), not a {kind}",
                                    "start the file with `openapi: 3.1.0` and the other top-level keys")])
    return root, lines, not builder.shared


def ordered_lines(data: Any) -> Iterator[tuple[Pointer, Any]]:
    """Every value of ``data`` with its pointer, in document order (the order in which
    :func:`load_tree` records the line of each value of a tree)."""
    stack: list[tuple[Pointer, Any]] = [((), data)]
    pop, push = stack.pop, stack.extend
    while stack:
        item = pop()
        yield item
        pointer, node = item
        kind = type(node)
        if kind is dict:
            push(reversed([((*pointer, key), value) for key, value in node.items()]))
        elif kind is list:
            push(reversed([((*pointer, str(index)), value) for index, value in enumerate(node)]))


def lines_of(data: Any, ordered: list[int]) -> dict[Pointer, int]:
    """The ``lines`` of :func:`load_tree` for a tree ``data``, from the line of each of its values
    in document order; ValueError when ``ordered`` has not one line for each value. (Recursive,
    as that is fastest: a tree :func:`load_tree` read is at most :data:`MAX_DEPTH` deep.)"""
    lines: dict[Pointer, int] = {}
    number = iter(ordered).__next__

    def walk(pointer: Pointer, node: Any) -> None:
        lines[pointer] = number()
        if type(node) is dict:
            for key, value in node.items():
                walk((*pointer, key), value)
        elif type(node) is list:
            for index, value in enumerate(node):
                walk((*pointer, str(index)), value)

    with paused_gc():
        try:
            walk((), data)
        except StopIteration:
            raise ValueError("fewer lines than values") from None
        except RecursionError:
            raise ValueError("nested too deeply") from None
    if len(lines) != len(ordered):
        raise ValueError("more lines than values")
    return lines


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection inside: while JSON data (a tree: no cycles to collect) of a
    large spec is built, it would walk the growing heap again and again for nothing."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


@contextlib.contextmanager
def frozen_gc() -> Iterator[None]:
    """The objects alive on entry left out of cyclic garbage collection inside (``gc.freeze``): a
    large spec's loaded document and IR are millions of objects, which every full collection while
    the package is rendered would walk again (GitHub's: 1 to 2 s), in this process and in forked
    workers, where walking them also copies their pages. Collection of what is made inside goes on."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _syntax_error(path: Path, exc: yaml.MarkedYAMLError) -> Diagnostic:
    # Point at the construct that is broken (an unclosed bracket or quote starts at the context
    # mark); say where the parser noticed when that is elsewhere.
    mark = exc.context_mark or exc.problem_mark
    line = mark.line + 1 if mark else 1
    problem = exc.problem or "invalid YAML"
    if exc.context:
        problem = f"{problem} ({exc.context} started here)"
    if exc.context_mark and exc.problem_mark and exc.problem_mark.line != exc.context_mark.line:
        problem += f", noticed at line {exc.problem_mark.line + 1}"
    return Diagnostic(path, line, f"YAML syntax error: {problem}", "fix the YAML at this line")


def _build(builder: _Builder, text: str) -> Any:
    parser = _Parser(text)
    try:
        with paused_gc():
            return builder.run(parser)
    finally:
        parser.dispose()


class _Builder:
    def __init__(self, path: Path, lines: dict[Pointer, int], duplicates: list[Diagnostic]) -> None:
        self.path = path
        self.lines = lines
        self.duplicates = duplicates
        self.stack: list[_Frame] = []
        # anchor → (value, expanded size, text if a scalar); None while the anchored collection is open
        self.anchors: dict[str, tuple[Any, int, str | None] | None] = {}
        self.written = 0  # nodes in the text
        self.expanded = 0  # nodes once every alias is expanded
        self.root: Any = None
        self.documents = 0
        self.shared = False  # an alias or a merge key was read: some values are not written where they are

    def run(self, parser: Any) -> Any:
        """Build the document from the parser's events. The common events (a plain key, a scalar
        without tag or anchor, a collection starting or ending) are handled here, in one loop
        with local variables, as they are most of the time of a large spec; anything else goes to
        the methods below. ``top`` is the innermost collection being built (None: at the root)."""
        get_event = parser.get_event
        ScalarEvent, MappingStartEvent, SequenceStartEvent = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
        MappingEndEvent, SequenceEndEvent, AliasEvent = yaml.MappingEndEvent, yaml.SequenceEndEvent, yaml.AliasEvent
        DocumentStartEvent, StreamEndEvent = yaml.DocumentStartEvent, yaml.StreamEndEvent
        stack, lines, resolvers = self.stack, self.lines, _RESOLVERS
        top: _Frame | None = None
        while True:
            event = get_event()
            kind = type(event)
            if kind is ScalarEvent:
                self.written += 1
                self.expanded += 1
                if self.written > MAX_NODES:
                    self._too_many(event)
                if top is not None and top.is_map and top.key is None:
                    key = event.value
                    if event.tag is not None or event.anchor is not None or key == "<<" or key in top.container:
                        self._key(top, event)
                    else:
                        top.size += 1
                        top.key, top.key_line, top.is_merge = key, event.start_mark.line + 1, False
                    continue
                value = event.value
                if event.tag is not None or event.anchor is not None or (event.implicit[0] and value[:1] in resolvers):
                    value = _scalar(event)
                    if event.anchor is not None:
                        self._define(event, (value, 1, event.value))
                if top is None:
                    self.root = value
                    lines[()] = event.start_mark.line + 1
                elif top.is_map:
                    if top.is_merge:
                        self._add(value, 1, event.start_mark.line + 1)
                        continue
                    key = top.key
                    lines[(*top.pointer, key)] = top.key_line  # type: ignore[arg-type]
                    if top.merged is not None:
                        top.merged.discard(key)
                    top.container[key] = value  # type: ignore[call-overload, index]
                    top.key = None
                    top.size += 1
                else:
                    container = top.container
                    lines[(*top.pointer, str(len(container)))] = event.start_mark.line + 1
                    container.append(value)  # type: ignore[union-attr]
                    top.size += 1
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                self.written += 1
                self.expanded += 1
                if self.written > MAX_NODES:
                    self._too_many(event)
                line = event.start_mark.line + 1
                if top is not None and top.is_map and top.key is None:
                    raise _Refused(line, "a mapping or list used as a mapping key",
                                   "keys of a spec are plain text: write the key as a string")
                if len(stack) >= MAX_DEPTH:
                    raise _Refused(line, f"nesting deeper than {MAX_DEPTH} levels",
                                   "specgen reads documents nested at most this deep: flatten it (use $ref)")
                is_map = kind is MappingStartEvent
                if event.tag is not None and event.tag not in ("!", _MAP if is_map else _SEQ):
                    raise _Refused(line, f"YAML tag {_short(event.tag)} is not allowed here",
                                   f"OpenAPI is JSON: remove the tag (only {'!!map' if is_map else '!!seq'} fits a "
                                   f"{'mapping' if is_map else 'list'})")
                if event.anchor is not None:
                    self._define(event, None)
                # The pointer of the value that starts now, and its line (a mapping value's is its key's).
                if top is None:
                    pointer: Pointer = ()
                    lines[pointer] = line
                elif top.is_map:
                    pointer = (*top.pointer, top.key)  # type: ignore[arg-type]
                    lines[pointer] = top.key_line
                else:
                    pointer = (*top.pointer, str(len(top.container)))
                    lines[pointer] = line
                top = _Frame({} if is_map else [], pointer, line, event.anchor)
                stack.append(top)
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                frame = stack.pop()
                top = stack[-1] if stack else None
                if frame.anchor is not None:
                    self.anchors[frame.anchor] = (frame.container, frame.size, None)
                if top is None or top.is_merge or not top.is_map:
                    self._add(frame.container, frame.size, frame.line, placed=True)
                    continue
                key = top.key
                if top.merged is not None:
                    top.merged.discard(key)
                top.container[key] = frame.container  # type: ignore[call-overload, index]
                top.key = None
                top.size += frame.size
            elif kind is AliasEvent:
                self._alias(event)
            elif kind is DocumentStartEvent:
                self.documents += 1
                if self.documents > 1:
                    raise _Refused(event.start_mark.line + 1, "a second YAML document in the spec",
                                   "a spec is one YAML document: remove the `---` and what follows, or merge them")
            elif kind is StreamEndEvent:
                if self.documents == 0:
                    raise _Refused(1, "spec is empty", "write an OpenAPI 3.1 document (`openapi: 3.1.0`, ...)")
                return self.root

    def _too_many(self, event: Any) -> None:
        raise _Refused(event.start_mark.line + 1, f"more than {MAX_NODES:,} values in the spec",
                       "specgen reads specs of at most this many keys, items and values: split it")

    def _key(self, frame: _Frame, event: Any) -> None:
        line = event.start_mark.line + 1
        tag = event.tag
        if tag is not None and tag != "!" and tag not in _SCALAR_TAGS:
            raise _Refused(line, f"YAML tag {_short(tag)} is not allowed on a key",
                           "OpenAPI is JSON: keys are plain text; remove the tag")
        if event.anchor is not None:
            self._define(event, (event.value, 1, event.value))
        frame.size += 1
        key = event.value
        is_merge = key == "<<" and tag is None and event.implicit[0]
        container = frame.container
        assert isinstance(container, dict)
        if key in container and not is_merge:
            if frame.merged is not None and key in frame.merged:
                frame.merged.discard(key)  # written keys override merged ones
            else:
                self.duplicates.append(Diagnostic(self.path, line, f"duplicate key {key!r}",
                                                  "each key may appear once in a mapping; remove or rename one"))
        frame.key, frame.key_line, frame.is_merge = key, line, is_merge

    def _add(self, value: Any, size: int, line: int, placed: bool = False) -> None:
        """Put a finished value into the collection being built (``placed``: its pointer and line are recorded)."""
        stack = self.stack
        if not stack:
            self.root = value
            if not placed:
                self.lines[()] = line
            return
        frame = stack[-1]
        frame.size += size
        container = frame.container
        if isinstance(container, list):
            if not placed:
                self.lines[(*frame.pointer, str(len(container)))] = line
            container.append(value)
            return
        key = frame.key
        assert key is not None
        if frame.is_merge:
            self._merge(frame, value)
        else:
            if not placed:
                self.lines[(*frame.pointer, key)] = frame.key_line
            if frame.merged is not None:
                frame.merged.discard(key)
            container[key] = value
        frame.key = None

    def _merge(self, frame: _Frame, value: Any) -> None:
        self.shared = True
        sources = value if isinstance(value, list) else [value]
        if not sources or not all(isinstance(s, dict) for s in sources):
            raise _Refused(frame.key_line, "the merge key `<<` takes a mapping or a list of mappings",
                           "write `<<: *anchor` or `<<: [*a, *b]` with anchors of mappings, or quote '<<' for a literal key")
        container = frame.container
        assert isinstance(container, dict)
        if frame.merged is None:
            frame.merged = set()
        for source in sources:
            for key, item in source.items():
                if key not in container:  # written keys and earlier sources win
                    container[key] = item
                    frame.merged.add(key)
                    self.lines.setdefault((*frame.pointer, key), frame.key_line)

    def _alias(self, event: Any) -> None:
        self.shared = True
        line = event.start_mark.line + 1
        name = event.anchor
        if name not in self.anchors:
            raise _Refused(line, f"undefined alias *{name}", f"define the anchor &{name} before this line")
        anchored = self.anchors[name]
        if anchored is None:
            raise _Refused(line, f"alias *{name} is inside its own anchor &{name} (a recursive structure)",
                           "JSON data cannot contain itself: use a $ref for recursive schemas")
        value, size, text = anchored
        self.written += 1
        if self.written > MAX_NODES:
            self._too_many(event)
        self.expanded += size
        budget = max(MIN_EXPANSION, EXPANSION_FACTOR * self.written)
        if self.expanded > budget:
            raise _Refused(line, f"aliases expand the document beyond {budget:,} nodes (alias *{name})",
                           "this looks like an alias bomb; write the data out or use $ref instead of YAML aliases")
        stack = self.stack
        if stack and isinstance(stack[-1].container, dict) and stack[-1].key is None:
            if text is None:
                raise _Refused(line, "a mapping or list used as a mapping key",
                               "keys of a spec are plain text: write the key as a string")
            frame = stack[-1]
            frame.size += 1
            frame.key, frame.key_line, frame.is_merge = text, line, False
            if text in frame.container and (frame.merged is None or text not in frame.merged):
                self.duplicates.append(Diagnostic(self.path, line, f"duplicate key {text!r}",
                                                  "each key may appear once in a mapping; remove or rename one"))
            if frame.merged is not None:
                frame.merged.discard(text)
            return
        self._add(value, size, line)

    def _define(self, event: Any, value: tuple[Any, int, str | None] | None) -> None:
        if event.anchor in self.anchors:
            raise _Refused(event.start_mark.line + 1, f"anchor &{event.anchor} is defined twice",
                           "give each anchor its own name")
        self.anchors[event.anchor] = value


def _short(tag: str | None) -> str:
    return "!!" + tag[len(_TAG):] if tag and tag.startswith(_TAG) else str(tag)


def _scalar(event: Any) -> Any:
    """The JSON value of a scalar (not a key)."""
    value: str = event.value
    tag = event.tag
    known = ""
    if tag is None:
        if not event.implicit[0]:  # quoted
            return value
        resolvers = _RESOLVERS.get(value[:1])
        if not resolvers:
            return value
        for tag, regexp in resolvers:
            if regexp.match(value):
                break
        else:
            if _JSON_EXPONENT.fullmatch(value):  # `1e+20`: a JSON number that YAML 1.1 reads as text
                return _float(value, event.start_mark.line + 1)
            return value
    elif tag == "!" or tag == _STR:
        return value
    elif tag in _SCALAR_TAGS:
        for known, regexp in _RESOLVERS.get(value[:1], []):
            if (known == tag or (known, tag) == (_INT, _FLOAT)) and regexp.match(value):
                break
        else:
            raise _Refused(event.start_mark.line + 1, f"{value[:40]!r} is not a valid {_short(tag)}",
                           "remove the tag or fix the value")
    else:
        raise _Refused(event.start_mark.line + 1, f"YAML tag {_short(tag)} is not allowed",
                       "OpenAPI is JSON: remove the tag (quote the value if it is text)")
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return _BOOLS[value.lower()]
    if tag == _INT:
        return _int(value, event.start_mark.line + 1)
    if tag == _FLOAT:
        if known == _INT:  # `!!float 1`
            return _float(str(_int(value, event.start_mark.line + 1)), event.start_mark.line + 1)
        return _float(value, event.start_mark.line + 1)
    return value  # timestamps, `=`, `<<` as a value: the text written (OpenAPI is JSON)


def _int(text: str, line: int) -> int:
    digits = text.replace("_", "")
    if len(digits) > MAX_INT_DIGITS + 2:
        raise _Refused(line, f"integer with more than {MAX_INT_DIGITS} digits",
                       "write it as a string (quote it) if it really is this long")
    sign = -1 if digits[0] == "-" else 1
    digits = digits.lstrip("+-")
    try:
        if digits.startswith("0b"):
            number = int(digits[2:], 2)
        elif digits.startswith("0x"):
            number = int(digits[2:], 16)
        elif digits.startswith("0") and digits != "0":
            number = int(digits, 8)
        elif ":" in digits:
            number = 0
            for part in digits.split(":"):
                number = number * 60 + int(part)
        else:
            number = int(digits)
    except ValueError:  # `0x_`: YAML 1.1 calls it an integer, but it has no digits
        raise _Refused(line, f"{text[:40]!r} is not a valid integer", "quote it if it is text") from None
    if number >= _INT_LIMIT:
        raise _Refused(line, f"integer with more than {MAX_INT_DIGITS} digits",
                       "write it as a string (quote it) if it really is this long")
    return sign * number


def _float(text: str, line: int) -> float:
    digits = text.replace("_", "").lower()
    sign = -1.0 if digits[0] == "-" else 1.0
    digits = digits.lstrip("+-")
    if digits in (".inf", ".nan"):
        number = math.nan
    elif ":" in digits:
        number = 0.0
        for part in digits.split(":"):
            number = number * 60 + float(part)
    else:
        try:
            number = float(digits)
        except OverflowError:
            number = math.inf
    if not math.isfinite(number):
        raise _Refused(line, f"{text[:40]!r} is not a finite number (JSON has no infinity or NaN)",
                       "use a finite number, or quote it if it is text")
    return sign * number
