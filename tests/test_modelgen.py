"""specgen's model emitter (specgen/modelgen) against datamodel-code-generator: the same ``models.py``.

The oracle is the formatted ``models.py`` that datamodel-code-generator built before specgen had an
emitter of its own (``tests/modelgen_oracle.py``). Every spec of ``specs/`` and ``tests/fixtures/``
must give byte-identical text; the 60 real specs of the corpus run under the ``corpus`` marker and
GitHub, Stripe and Kubernetes under ``giants`` (``bench/models_diff.py`` runs the same comparisons
from a shell, with the differences).
"""

from __future__ import annotations

from pathlib import Path

import modelgen_oracle as harness
import pytest


def _cases(which: str) -> list[tuple[str, Path]]:
    return harness.spec_paths(which) if which in ("specs", "fixtures") else []


def _same(path: Path) -> None:
    spec, api = harness.load(path)
    expected = harness.oracle(spec, api)
    got = harness.candidate(spec, api)
    assert got == expected, "".join(list(harness.differences(expected, got))[:80])


@pytest.mark.parametrize(("name", "path"), _cases("specs"), ids=[n for n, _ in _cases("specs")])
def test_specs(name: str, path: Path) -> None:
    _same(path)


@pytest.mark.parametrize(("name", "path"), _cases("fixtures"), ids=[n for n, _ in _cases("fixtures")])
def test_fixtures(name: str, path: Path) -> None:
    _same(path)


@pytest.mark.corpus
def test_corpus() -> None:
    differ = []
    for name, path in harness.spec_paths("corpus"):
        spec, api = harness.load(path)
        if harness.candidate(spec, api) != harness.oracle(spec, api):
            differ.append(name)
    assert not differ, differ


@pytest.mark.giants
@pytest.mark.parametrize("name", list(harness.GIANTS))
def test_giants(name: str) -> None:
    path = dict(harness.spec_paths("giants"))[name]
    _same(path)


def test_long_chains_of_schemas_need_no_deep_recursion(tmp_path: Path) -> None:
    """Inheritance, ``allOf`` of one reference and property references 3,000 schemas long: the emitter
    walks them with explicit stacks, well within Python's recursion limit, and writes valid code."""
    import ast
    import json
    import sys

    from specgen import modelgen, pipeline

    length = 3000
    schemas: dict[str, object] = {}
    for i in range(length):
        last = i == length - 1
        schemas[f"Base{i}"] = ({"type": "object", "properties": {"b": {"type": "string"}}} if last else
                               {"allOf": [{"$ref": f"#/components/schemas/Base{i + 1}"},
                                          {"type": "object", "properties": {f"f{i}": {"type": "integer"}}}]})
        schemas[f"Alias{i}"] = ({"type": "string", "enum": ["a", "b"]} if last else
                                {"allOf": [{"$ref": f"#/components/schemas/Alias{i + 1}"}]})
        schemas[f"Node{i}"] = {"type": "object", "properties": {
            "next": {"type": "string"} if last else {"$ref": f"#/components/schemas/Node{i + 1}"}}}
    document = {"openapi": "3.1.0", "info": {"title": "Chains", "version": "1", "x-specgen-package": "chains",
                                               "x-specgen-client": "ChainsClient"},
                "paths": {}, "components": {"schemas": schemas}}
    path = tmp_path / "chains.json"
    path.write_text(json.dumps(document))
    spec, api = pipeline.build_ir(path)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(200)  # far below the chains' length: nothing may recurse along them
    try:
        source = modelgen.render_models(spec, api)
    finally:
        sys.setrecursionlimit(limit)
    tree = ast.parse(source)
    classes = [node.name for node in tree.body if isinstance(node, ast.ClassDef)]
    assert len(classes) == 3 * length
    assert classes.index("Base2999") < classes.index("Base0")  # bases first
    assert "class Base0(Base1):" in source and "class Alias0(RootModel[Alias1]):" in source
