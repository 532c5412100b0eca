"""A spec that passed its checks is kept in the result cache as loaded (specgen/spec.py ``load``):
read back, it is the same document, with the same line for every part, the same warnings and the
same values left out, as parsing and checking the text again gives; a spec that is not a plain
tree (aliases, merge keys) or an entry that does not fit is parsed again."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import SPECS
from specgen import pipeline, spec, validator, yamlload
from test_validation import WARNED_EMAIL_NEW, WARNED_EMAIL_OLD, WARNED_NEW, WARNED_OLD

SPEC_FILES = pipeline.spec_files(SPECS)
AIRPLANE = SPECS / "airplane.yaml"


def copy_of(source: Path, folder: Path, text: str | None = None) -> Path:
    target = folder / "specs" / source.name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(source.read_text(encoding="utf-8") if text is None else text, encoding="utf-8")
    return target


def as_loaded(loaded: spec.Spec) -> tuple[str, list[tuple[Any, int]], list[str]]:
    """Everything load gives, comparable: the data with its key order, the lines in their order, the warnings."""
    return json.dumps(loaded.data), list(loaded.lines.items()), [str(w) for w in loaded.warnings]


def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    calls: list[Path] = []
    original = yamlload.load_tree

    def counting(path: Path, text: str) -> Any:
        calls.append(path)
        return original(path, text)

    monkeypatch.setattr(yamlload, "load_tree", counting)
    return calls


def entries(folder: Path, kind: str) -> list[Path]:
    return [p for p in folder.glob("*.json") if json.loads(p.read_text(encoding="utf-8"))["kind"] == kind]


@pytest.mark.parametrize("source", SPEC_FILES, ids=lambda p: p.stem)
def test_a_spec_read_back_is_the_spec_parsed_and_checked(cache_dir: Path, tmp_path: Path, source: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    path = copy_of(source, tmp_path)
    calls = parses(monkeypatch)
    cold = as_loaded(spec.load(path))
    assert calls == [path] and len(entries(cache_dir, "loaded")) == 1
    with monkeypatch.context() as warm_run:
        warm_run.setattr(validator, "check", None)  # neither parsed nor validated again
        warm = as_loaded(spec.load(path))
    assert calls == [path] and warm == cold
    monkeypatch.setenv("SPECGEN_CACHE_DIR", "off")
    assert as_loaded(spec.load(path)) == cold


@pytest.mark.parametrize("old, new", [(WARNED_OLD, WARNED_NEW), (WARNED_EMAIL_OLD, WARNED_EMAIL_NEW)], ids=["enum", "format"])
def test_warnings_and_the_values_left_out_are_read_back(cache_dir: Path, tmp_path: Path, old: str, new: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    text = AIRPLANE.read_text(encoding="utf-8")
    path = copy_of(AIRPLANE, tmp_path, text.replace(old, new, 1))
    calls = parses(monkeypatch)
    cold = spec.load(path)
    warm = spec.load(path)
    assert len(calls) == 1 and cold.warnings and as_loaded(warm) == as_loaded(cold)
    assert "default" not in json.dumps(warm.data["components"]["schemas"]["GetRunResponse"]["properties"]
                                       ["sessionID" if old == WARNED_OLD else "teamID"])


def test_a_spec_with_aliases_or_merge_keys_is_parsed_each_time(cache_dir: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    text = AIRPLANE.read_text(encoding="utf-8")
    assert "info:\n" in text and "  title: Airplane API\n" in text
    with_alias = text.replace("info:\n", "x-shared: &shared {a: 1}\nx-again: *shared\ninfo:\n", 1)
    with_merge = text.replace("info:\n", "x-base: &base {a: 1}\nx-merged:\n  <<: *base\n  b: 2\ninfo:\n", 1)
    for edited in (with_alias, with_merge):
        path = copy_of(AIRPLANE, tmp_path, edited)
        calls = parses(monkeypatch)
        first, second = spec.load(path), spec.load(path)
        assert len(calls) == 2 and as_loaded(first) == as_loaded(second)
    assert entries(cache_dir, "loaded") == []


@pytest.mark.parametrize("damage", ["fewer lines", "more lines", "not numbers", "no data", "not json"])
def test_an_entry_that_does_not_fit_is_a_miss(cache_dir: Path, tmp_path: Path, damage: str,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    path = copy_of(AIRPLANE, tmp_path)
    cold = as_loaded(spec.load(path))
    [entry] = entries(cache_dir, "loaded")
    stored = json.loads(entry.read_text(encoding="utf-8"))
    value = stored["value"]
    if damage == "fewer lines":
        value["lines"].pop()
    elif damage == "more lines":
        value["lines"].append(1)
    elif damage == "not numbers":
        value["lines"][3] = "7"
    elif damage == "no data":
        value["data"] = []
    text = json.dumps(stored) if damage != "not json" else '{"kind": "loaded", "value": {"data"'
    entry.write_text(text, encoding="utf-8")
    calls = parses(monkeypatch)
    assert as_loaded(spec.load(path)) == cold and calls == [path]


@pytest.mark.parametrize("source", SPEC_FILES, ids=lambda p: p.stem)
def test_the_lines_of_a_tree_are_one_number_per_value_in_document_order(source: Path) -> None:
    text = yamlload.read_text(source)
    data, lines, tree = yamlload.load_tree(source, text)
    ordered = [line for _, line in lines.items()]
    assert tree and [pointer for pointer, _ in yamlload.ordered_lines(data)] == list(lines)
    assert list(yamlload.lines_of(data, ordered).items()) == list(lines.items())
    with pytest.raises(ValueError):
        yamlload.lines_of(data, ordered[:-1])
    with pytest.raises(ValueError):
        yamlload.lines_of(data, [*ordered, 1])
