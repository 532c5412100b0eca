"""How `specgen import` writes a spec (specgen/importer/write.py): libyaml's emitter gives the bytes
of PyYAML's pure-Python emitter, whatever the document holds, and the file gets the permissions of
any file the user writes."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped, unused-ignore]
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SPECS
from specgen import pipeline, spec
from specgen.importer import write
from specgen.importer import run as import_run
from specgen.importer.run import import_spec

SPEC_FILES = pipeline.spec_files(SPECS)
LONG = "abcdefghij" * 13  # 130 characters

#: Strings the two emitters could judge differently: line breaks of every kind, spaces at the ends
#: of lines, quotes, indicators, control and invisible characters, emoji, private-use characters,
#: YAML's other scalars, and lengths around the simple-key limits (122 characters, 128 bytes).
HOSTILE = [
    "", " ", "\n", "\n\n", "a\n", "a\n\n", "a\n\n\n", "\na", "a\nb", "a \nb", "a\n b", "a\t\nb", " a", "a ", "a\n ",
    "trailing spaces   \nand more  ", "\r\n", "a\r\nb", "a\rb", "\x85", "a\x85b", "\u2028", "a\u2028b", "a\u2029",
    "\ufeff", "a\ufeffb", "\ufffe", "\uffff", "\x00", "\x07", "\x1b", "\x7f", "\x9f", "\xa0", "\u200b", "\u202e", "\u3000",
    "'", "''", '"', '""', "'quoted'", '"quoted"', "'a", "a'", '"a', 'a"', "it's", 'say "hi"', "a: b", "a:b", ":", ": ",
    "- a", "-", "--- a", "---", "...", "? a", "?", "#", "# a", "a #b", "a#b", "&a", "*a", "!a", "|", ">", "%a", "@a",
    "`a", "{a}", "[a]", "a, b", "=", "<<", "~", "null", "Null", "true", "yes", "No", "on", "1", "-1", "0o7", "0x1F",
    "1_000", "1e3", "1.5", ".inf", ".nan", "2024-01-01", "2024-01-01T00:00:00Z", "1:30", "é", "中文", "👍", "a👍b",
    "👍\nb", "x\t👍", "👍 ", "\U0001fab2\n\n", "\U0010fffe", "\U0010ffff", "\ue000", "\ue000👍", "\uf8ff", "\\", "\\n",
    "tab\there", "a" * 1000, "a " * 600, ("line\n" * 50), "x" * 121, "x" * 122, "x" * 123, "x" * 127, "x" * 128,
    "x" * 129, "é" * 60, "é" * 64, "é" * 65, "é" * 122, "é" * 123, "👍" * 32, "👍" * 33, LONG, LONG + "\n",
    "0x" + "a" * 121, "1" * 125,
]


def python_emitter(doc: dict[str, Any]) -> str:
    return str(yaml.dump(doc, Dumper=write._Dumper, **write._OPTIONS))


def documents() -> Iterator[tuple[str, dict[str, Any]]]:
    """Each hostile string as a key and as a value, in a mapping and a list, nested and last."""
    for index, text in enumerate(HOSTILE):
        yield f"{index}-value", {"k": text, "after": 1}
        yield f"{index}-last", {"a": {"b": [1, text]}}
        yield f"{index}-key", {text: {"x": text}, "z": [text, {text: None}]}


def test_the_emitters_agree_on_every_spec() -> None:
    for path in SPEC_FILES:
        doc = spec.read(path).data
        assert write._for_libyaml(doc) is not None, path  # libyaml writes them: this is not the fallback
        assert write.dump(doc, "# h\n") == "# h\n" + python_emitter(doc), path


@pytest.mark.parametrize("name, doc", list(documents()), ids=lambda value: value if isinstance(value, str) else "")
def test_the_emitters_agree_on_hostile_strings(name: str, doc: dict[str, Any]) -> None:
    before = repr(doc)
    assert write.dump(doc, "") == python_emitter(doc)
    assert repr(doc) == before  # the placeholders were put back


def test_libyaml_writes_most_hostile_strings() -> None:
    """The fallback is for what libyaml judges differently, not for anything unusual."""
    used = [name for name, doc in documents() if write._for_libyaml(doc) is not None]
    assert len(used) > len(HOSTILE) * 2
    assert {"0-value", f"{HOSTILE.index('a👍b')}-value", f"{HOSTILE.index(LONG)}-key"} <= set(used)


def test_a_document_of_all_the_hostile_strings_at_once() -> None:
    doc = {"strings": HOSTILE, "keys": {text: text for text in HOSTILE}, "nested": [{"a": text} for text in HOSTILE]}
    assert write.dump(doc, "") == python_emitter(doc)
    safe = [text for text in HOSTILE if write._for_libyaml({"k": text, text or "k": 1}) is not None]
    together = {"strings": safe, "keys": {text: text for text in safe if text}}
    assert write._for_libyaml(together) is not None and write.dump(together, "") == python_emitter(together)


ALPHABET = st.sampled_from(list("ab :#-'\"\t\n\\|>?!&*{}[],%@`") + ["\xa0", "é", "中", "\u200b", "\ue000", "👍", "\U0001fab2",
                                                                    "\x85", "\u2028", "\r", "\x00", "\ufeff"])
TEXT = st.one_of(st.text(ALPHABET, max_size=12), st.builds(lambda c, n: c * n, ALPHABET, st.integers(118, 131)),
                 st.sampled_from(HOSTILE))
JSON = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), TEXT),
                    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)),
                    max_leaves=20)


@settings(derandomize=True, max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(TEXT, JSON, min_size=1, max_size=4))
def test_the_emitters_agree_on_random_documents(doc: dict[str, Any]) -> None:
    assert write.dump(doc, "") == python_emitter(doc)


# -- permissions -----------------------------------------------------------------------------------


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_spec_gets_the_permissions_of_a_new_file(tmp_path: Path, umask: None) -> None:
    result = import_spec(str(SPEC_FILES[0]), "airplane", tmp_path / "specs")
    assert result.changed and mode(result.path) == 0o640  # 0666 less the umask, not mkstemp's 0600
    assert not [p for p in result.path.parent.iterdir() if p != result.path]  # no temporary file left


def test_a_replaced_spec_keeps_its_permissions(tmp_path: Path, umask: None) -> None:
    target = tmp_path / "specs" / "airplane.yaml"
    target.parent.mkdir()
    target.write_text("openapi: 3.1.0\n", encoding="utf-8")
    target.chmod(0o664)
    result = import_spec(str(SPEC_FILES[0]), "airplane", tmp_path / "specs")
    assert result.changed and mode(target) == 0o664
    target.chmod(0o600)
    write.write_atomic(target, target.read_text(encoding="utf-8") + "# edited\n")
    assert mode(target) == 0o600


# -- reading the spec an import replaces -------------------------------------------------------------


def test_the_replaced_spec_is_read_as_safe_load_reads_it() -> None:
    """Its x-specgen-* keys are kept: libyaml's parser under safe_load's constructor gives the same data."""
    texts = [path.read_text(encoding="utf-8") for path in SPEC_FILES]
    texts += [python_emitter(doc) for _, doc in documents()]
    texts += ["a: 2024-01-01\nb: !!binary aGk=\nc: &x [1, 2]\nd: *x\ne: {<<: {f: 1}}\n200: yes\n", "- 0x1F\n- 1_000\n- .inf\n"]
    for text in texts:
        assert yaml.load(text, Loader=import_run._SafeLoader) == yaml.safe_load(text)
    assert import_run._SafeLoader is getattr(yaml, "CSafeLoader", yaml.SafeLoader)
