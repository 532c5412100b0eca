"""Dump the imported spec deterministically and write it atomically.

The text is what PyYAML's pure-Python emitter writes with the options of :data:`_OPTIONS`.
libyaml's emitter writes the same bytes three to four times faster, but judges some strings
otherwise, so it is given the document only in a form where the two cannot differ, and the Python
emitter writes the rest (and everything where libyaml is missing). They differ (PyYAML 6.0,
libyaml 0.2.5) on:

* characters libyaml calls unprintable and Python does not, or treats otherwise: C0 controls but
  tab and newline, DEL, C1 controls (NEL, U+0085, among them), U+2028/U+2029, the BOM, U+FFFE/U+FFFF,
  lone surrogates, and any character beyond U+FFFF (an emoji), which libyaml always double-quotes
  and escapes. An emoji in a value Python would not double-quote anyway is handed to libyaml as a
  placeholder, a private-use character the document does not use, which both judge like any
  printable letter, and put back in the text; any other of these characters (or an emoji in a
  key) sends the document to the Python emitter;
* keys: Python writes a key as a simple ``key: value`` when it has 1 to 122 characters (it counts
  the 5 of an unwritten ``!!str`` tag), libyaml when its UTF-8 has at most 128 bytes (the empty key
  included). A key of 123 to 128 characters, which libyaml would write simple, is handed to it
  with letters replaced by placeholders (3 bytes each) until it is longer than 128 bytes; an empty
  key, or one of at most 122 characters but more than 128 bytes, sends the document to the Python
  emitter;
* the document end marker ``...``: libyaml writes it when the last block scalar of the document keeps
  its trailing line breaks (``|+``), Python only when that scalar is the very last thing written;
  the marker is taken off libyaml's text when the document does not end with such a scalar.

``tests/test_import_write.py`` checks the two give the same bytes on every spec, on hostile strings
and on random documents.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path
from typing import Any

import yaml

from ..yamlload import paused_gc
from .errors import ImportProblem


class _Dumper(yaml.SafeDumper):  # type: ignore[misc]
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)

_TAG = "tag:yaml.org,2002:"


def _nodes(dumper: Any, data: Any) -> Any:
    """The node tree the representer of :class:`_Dumper` builds for JSON data, built directly (the
    representer's generic dispatch is most of the time once libyaml emits): a string with a line
    break asks for the literal style (:func:`_str`), mappings and lists the block style (the
    ``default_flow_style=False`` of :data:`_OPTIONS`), and the keys keep their order. Anything but
    a string, mapping or list is left to the representer."""
    ScalarNode, MappingNode, SequenceNode = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode
    STR, MAP, SEQ, BOOL, NULL = _TAG + "str", _TAG + "map", _TAG + "seq", _TAG + "bool", _TAG + "null"
    fallback = dumper.represent_data_generic

    def node(value: Any) -> Any:
        kind = type(value)
        if kind is str:
            return ScalarNode(STR, value, style="|" if "\n" in value else None)
        if kind is dict:
            return MappingNode(MAP, [(node(k), node(v)) for k, v in value.items()], flow_style=False)
        if kind is list:
            return SequenceNode(SEQ, [node(v) for v in value], flow_style=False)
        if kind is bool:
            return ScalarNode(BOOL, "true" if value else "false")
        if value is None:
            return ScalarNode(NULL, "null")
        return fallback(value)

    return node(data)


_CDumper: type[yaml.SafeDumper] | None
try:
    class _LibyamlDumper(yaml.CSafeDumper):  # type: ignore[misc, name-defined, unused-ignore]
        def ignore_aliases(self, data: Any) -> bool:
            return True

        def represent_data(self, data: Any) -> Any:
            return _nodes(self, data)

        def represent_data_generic(self, data: Any) -> Any:
            return super().represent_data(data)

    _LibyamlDumper.add_representer(str, _str)
    _CDumper = _LibyamlDumper
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _CDumper = None

_OPTIONS: dict[str, Any] = {"sort_keys": False, "allow_unicode": True, "width": 2**31 - 1,
                            "default_flow_style": False, "indent": 2}
#: Characters both emitters judge alike everywhere; anything else in a string needs a closer look.
_LOOK = re.compile("[^\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\uf900-\ufefe\uff00-\ufffd]")
_PRIVATE = re.compile("[\ue000-\uf8ff]")  # judged alike too, but they may be taken as placeholders
_ASTRAL = re.compile("[\U00010000-\U0010fffe]")
_END_MARKER = "\n...\n"  # a document end marker on a line of its own


def dump(doc: dict[str, Any], header: str) -> str:
    return header + _body(doc)


def _body(doc: dict[str, Any]) -> str:
    with paused_gc():  # a node for each value, and no cycle among them: GitHub's spec 4.3 -> 1.5 s
        return _emitted(doc)


def _emitted(doc: dict[str, Any]) -> str:
    plan = _for_libyaml(doc) if _CDumper is not None else None
    if plan is not None:
        undo: list[tuple[Any, Any, Any]] = []  # (container, slot, value before), in the order of the changes
        try:
            root = plan.apply(doc, undo)
            text = str(yaml.dump(root, Dumper=_CDumper, **_OPTIONS))
        finally:
            for container, slot, value in reversed(undo):
                container[slot] = value
        if text.endswith(_END_MARKER) and not _python_ends_open(doc):
            text = text[:-len("...\n")]
        for placeholder, character in plan.placeholders.items():
            text = text.replace(placeholder, character)
        return text
    return str(yaml.dump(doc, Dumper=_Dumper, **_OPTIONS))


def _python_ends_open(doc: dict[str, Any]) -> bool:
    """Whether the Python emitter ends ``doc`` with the document end marker: when the last thing
    it writes is a literal block that keeps its trailing line breaks (``|+``); anything written
    after one (an indicator: ``:``, ``-``, a quote) closes it."""
    node: Any = doc
    while type(node) is dict or type(node) is list:
        if not node:
            return False  # `{}` or `[]`
        node = next(reversed(node.values())) if type(node) is dict else node[-1]
    return (type(node) is str and node.endswith("\n") and (len(node) == 1 or node[-2] == "\n")
            and not _python_double_quotes(node))


class _Plan:
    """How libyaml is given a document: which values have emoji and which mappings have keys of
    123 to 128 characters, each then written with placeholders (private-use characters the
    document does not use), and the placeholders to put back in the text."""

    def __init__(self) -> None:
        self.values: list[tuple[Any, Any]] = []  # (container, slot) of each string with emoji to replace
        self.mappings: list[tuple[Any, Any, dict[str, Any]]] = []  # (parent or None, slot, mapping) whose keys change
        self.keys: set[str] = set()  # the keys to lengthen
        self.used: set[str] = set()  # private-use characters of the document
        self.placeholders: dict[str, str] = {}  # placeholder -> the character it stands for
        self._for: dict[str, str] = {}

    def take(self, characters: set[str]) -> bool:
        """Choose a placeholder for each of ``characters``; False when there are not enough."""
        wanted = sorted(characters - set(self._for))
        free = [chr(code) for code in range(0xE000, 0xF900) if chr(code) not in self.used][len(self._for):]
        if len(free) < len(wanted):
            return False
        for character, placeholder in zip(wanted, free):
            self._for[character] = placeholder
            self.placeholders[placeholder] = character
        return True

    def value(self, text: str) -> str:
        return _ASTRAL.sub(lambda match: self._for[match.group()], text)

    def key(self, text: str) -> str:
        """``text`` with as many ASCII letters replaced as make its UTF-8 longer than 128 bytes."""
        extra = (128 - len(text.encode("utf-8"))) // 2 + 1  # each placeholder is 3 bytes for 1
        out = list(text)
        for index, character in enumerate(out):
            if extra and character in _LETTERS:
                out[index], extra = self._for[character], extra - 1
        return "".join(out)

    def apply(self, doc: dict[str, Any], undo: list[tuple[Any, Any, Any]]) -> dict[str, Any]:
        """Make the changes (each recorded in ``undo``); the document to give libyaml."""
        for container, slot in self.values:
            undo.append((container, slot, container[slot]))
            container[slot] = self.value(container[slot])
        root = doc
        for parent, slot, mapping in reversed(self.mappings):  # inner mappings first: outer copies take them
            copy = {self.key(key) if key in self.keys else key: value for key, value in mapping.items()}
            if parent is None:
                root = copy
            else:
                undo.append((parent, slot, parent[slot]))
                parent[slot] = copy
        return root


_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def _for_libyaml(doc: dict[str, Any]) -> _Plan | None:
    """How libyaml's emitter writes ``doc`` the way the Python emitter does (see the module
    docstring); None: the Python emitter must write it."""
    look = _LOOK.search
    plan = _Plan()
    emoji: set[str] = set()
    letters: set[str] = set()
    stack: list[tuple[Any, Any, Any]] = [(None, None, doc)]  # (parent, slot, node)
    while stack:
        parent, slot, node = stack.pop()
        kind = type(node)
        if kind is dict:
            lengthened = False
            for key, value in node.items():
                if type(key) is not str or (look(key) and not _private_only(key, plan.used)):
                    return None
                if not _same_key(key):
                    if not _lengthens(key):
                        return None
                    plan.keys.add(key)
                    letters.update(c for c in key if c in _LETTERS)
                    lengthened = True
                if type(value) is str:
                    if look(value) and not _judged_alike(value, plan, emoji, node, key):
                        return None
                else:
                    stack.append((node, key, value))
            if lengthened:
                plan.mappings.append((parent, slot, node))
        elif kind is list:
            for index, value in enumerate(node):
                if type(value) is str:
                    if look(value) and not _judged_alike(value, plan, emoji, node, index):
                        return None
                else:
                    stack.append((node, index, value))
        elif node is not None and kind not in (bool, int, float):
            return None  # not JSON data (or a string not in a mapping or list): the Python emitter decides
    return plan if plan.take(emoji) and plan.take(letters) else None


def _same_key(key: str) -> bool:
    """Whether both emitters write ``key`` as a simple key, or both as a complex one (``? key``)."""
    if "\n" in key:
        return True  # a multi-line key is complex for both
    characters = len(key)
    size = characters if key.isascii() else len(key.encode("utf-8", "surrogatepass"))
    return (0 < characters <= 122) == (size <= 128)


def _lengthens(key: str) -> bool:
    """Whether a key Python writes as a complex key, and libyaml as a simple one, can be given to
    libyaml with letters replaced by placeholders until it is too long for a simple key there:
    enough ASCII letters, and read back as text either way (``0x...`` would not be)."""
    if not 122 < len(key) <= 128:
        return False
    needed = (128 - len(key.encode("utf-8"))) // 2 + 1
    return (sum(c in _LETTERS for c in key) >= needed
            and _RESOLVER.resolve(yaml.ScalarNode, key, (True, False)) == "tag:yaml.org,2002:str")


_RESOLVER = yaml.resolver.Resolver()


def _private_only(text: str, used: set[str]) -> bool:
    """Whether every character of ``text`` that :data:`_LOOK` finds is a private-use one (they are
    added to ``used``)."""
    used.update(_PRIVATE.findall(text))
    return _LOOK.search(_PRIVATE.sub("", text)) is None


def _judged_alike(value: str, plan: _Plan, emoji: set[str], container: Any, slot: Any) -> bool:
    """Whether the two emitters write ``value`` alike once its emoji (if any) are placeholders; the
    private-use characters it has are added to ``plan.used``, and a value whose emoji need
    placeholders to ``plan.values`` (and its emoji to ``emoji``)."""
    found = _ASTRAL.findall(value)
    if not _private_only(_ASTRAL.sub("", value) if found else value, plan.used):
        return False
    if found and not _python_double_quotes(value):
        plan.values.append((container, slot))  # in double quotes both escape it alike (\U0001F600): left as it is
        emoji.update(found)
    return True


def _python_double_quotes(value: str) -> bool:
    """Whether the Python emitter writes ``value`` in double quotes (as it would anywhere in the
    block style: its choice depends on the text and on being a key, not on where the value is)."""
    return str(yaml.dump([value], Dumper=_Dumper, **_OPTIONS)).startswith('- "')


def write_atomic(path: Path, text: str) -> None:
    """Write ``path`` whole or not at all (a temporary file renamed). A file replaced keeps its
    permissions; a new one gets those of any new file (0666 less the umask), not the temporary
    file's 0600."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                os.fchmod(handle.fileno(), _mode_for(path))
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise ImportProblem(str(path), f"cannot write: {exc.strerror or exc}",
                            "choose another --specs folder or fix its permissions") from None


def _mode_for(path: Path) -> int:
    """The permissions ``path`` keeps (it exists) or gets (it is new)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mask = os.umask(0)  # the only portable way to read it: set it, and put it back at once
        os.umask(mask)
        return 0o666 & ~mask
