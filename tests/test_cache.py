"""specgen's result cache (specgen/cache.py): a hit gives what the step computes, and the cache
never changes the output, whether cold, warm, corrupt, unwritable or off."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import black
import pytest

from conftest import SPECS
from specgen import cache, fingerprint, output, pipeline, validator


@pytest.fixture
def spec_copy(tmp_path: Path) -> Path:
    source = sorted(SPECS.glob("*.yaml"))[0]
    target = tmp_path / "specs" / source.name
    target.parent.mkdir()
    target.write_text(source.read_text())
    return target


def files_of(spec: Path) -> dict[str, str]:
    [package] = pipeline.build_all([spec])
    return package.files


def count_validations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    original = validator.check

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(validator, "check", counting)
    return calls


def test_a_second_run_reads_the_checks_and_models_and_gives_the_same_files(
        cache_dir: Path, spec_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = count_validations(monkeypatch)
    output.format_source.cache_clear()
    cold = files_of(spec_copy)
    kinds = Counter(json.loads(p.read_text())["kind"] for p in cache_dir.glob("*.json"))
    python_files = {text for path, text in cold.items() if path.endswith(".py")}
    assert kinds["validate"] == 1 and kinds["models"] == 1 and calls == [1]  # one validation, one set of models
    assert 0 < kinds["format"] <= len(python_files)  # each distinct module formatted once
    formatted: list[str] = []
    monkeypatch.setattr(black, "format_str", lambda *a, **k: formatted.append("x") or "")
    output.format_source.cache_clear()  # a new process: only the cache on disk remembers
    warm = files_of(spec_copy)
    assert calls == [1] and formatted == []
    assert warm == cold


def test_a_changed_spec_is_checked_again(cache_dir: Path, spec_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = count_validations(monkeypatch)
    files_of(spec_copy)
    spec_copy.write_text(spec_copy.read_text() + "\n# a comment changes the text, so the lines could move\n")
    files_of(spec_copy)
    assert calls == [1, 1]


def test_output_is_the_same_with_the_cache_off_and_with_corrupt_entries(
        cache_dir: Path, spec_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    warm_source = files_of(spec_copy)
    for entry in cache_dir.glob("*.json"):
        entry.write_text('{"kind": "validate", "value": ')  # cut short
    assert files_of(spec_copy) == warm_source
    monkeypatch.setenv("SPECGEN_CACHE_DIR", "off")
    assert cache.directory() is None
    assert files_of(spec_copy) == warm_source


def test_an_unwritable_cache_is_ignored(tmp_path: Path, spec_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("SPECGEN_CACHE_DIR", str(blocker / "cache"))
    assert files_of(spec_copy)["models.py"].startswith(output.HEADER_MARK)


def test_an_entry_of_another_kind_is_a_miss(cache_dir: Path) -> None:
    cache.put("validate", "text", {"found": [], "ignored": []})
    assert cache.get("validate", "text") == {"found": [], "ignored": []}
    assert cache.get("models", "text") is None
    assert cache.get("validate", "text ") is None


def test_the_fingerprint_covers_specgen_and_its_pinned_tools() -> None:
    assert len(fingerprint.everything()) == 64
    assert "black" in fingerprint.TOOLS and "openapi-spec-validator" in fingerprint.TOOLS
    # specgen builds the models itself: the tool that did is a test dependency, and shapes nothing.
    assert "datamodel-code-generator" not in fingerprint.TOOLS
    assert fingerprint.generator() != fingerprint.templates()
