"""specgen's model emitter (specgen/modelgen) against datamodel-code-generator: the same ``models.py``.

The oracle is the formatted ``models.py`` that datamodel-code-generator built before specgen had an
emitter of its own (``tests/modelgen_oracle.py``). Every spec of ``specs/`` and ``tests/fixtures/``
must give byte-identical text; the 60 real specs of the corpus run under the ``corpus`` marker and
GitHub, Stripe and Kubernetes under ``giants`` (``bench/models_diff.py`` runs the same comparisons
from a shell, with the differences).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


def _names_used(made: Any) -> None:
    """Each block's classes and imports are the names its text uses (as Python reads it), so a
    module cut out of the models (specgen/split.py) imports exactly what it needs."""
    import ast
    import builtins

    classes = {block.name for block in made.blocks}
    for block in made.blocks:
        bound = {name.split(" as ")[-1] for _, name in block.imports}
        used = {node.id for node in ast.walk(ast.parse(block.text))
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)} - (set(dir(builtins)) - classes)
        assert set(block.classes) == (used & classes) - {block.name}, block.name
        assert bound == used - classes, block.name


@pytest.mark.parametrize(("name", "path"), _cases("specs") + _cases("fixtures"),
                         ids=[n for n, _ in _cases("specs") + _cases("fixtures")])
def test_each_class_names_the_classes_and_imports_it_uses(name: str, path: Path) -> None:
    from specgen import modelgen

    spec, api = harness.load(path)
    _names_used(modelgen.render_models(spec, api))


#: The specs whose models differ from datamodel-code-generator's on purpose, each for a reason the
#: README lists under "How models.py is built" (a spec that starts or stops differing fails the test).
DIFFERENT_ON_PURPOSE = {
    "c07_box_com": "an allOf one of whose members is a union",
    "c24_linode_com": "a discriminator without a mapping",
    "c46_sinao_app": "a $ref with a type beside it",
    "github": "allOf members that declare one property differently, naming a class",
}


@pytest.mark.corpus
def test_corpus() -> None:
    from specgen import modelgen

    differ = set()
    for name, path in harness.spec_paths("corpus"):
        spec, api = harness.load(path)
        _names_used(modelgen.render_models(spec, api))
        if harness.candidate(spec, api) != harness.oracle(spec, api):
            differ.add(name)
    assert differ == {name for name in DIFFERENT_ON_PURPOSE if name.startswith("c")}


@pytest.mark.giants
@pytest.mark.parametrize("name", list(harness.GIANTS))
def test_giants(name: str) -> None:
    path = dict(harness.spec_paths("giants"))[name]
    if name in DIFFERENT_ON_PURPOSE:
        spec, api = harness.load(path)
        assert harness.candidate(spec, api) != harness.oracle(spec, api)
    else:
        _same(path)


def test_a_reference_into_another_schema_is_typed_as_what_it_names(tmp_path: Path) -> None:
    """``$ref: '#/components/schemas/Host/properties/room'`` is typed as what that property is (the
    class :mod:`specgen.inline` made of its inline object, a list, a string), not ``Any``, and makes no
    class of its own (datamodel-code-generator made a root model per such reference: ``Host2``)."""
    import json

    from specgen import modelgen, pipeline

    schemas = {
        "Host": {"type": "object", "properties": {"room": {"type": "object", "properties": {"n": {"type": "integer"}}},
                                                  "tags": {"type": "array", "items": {"type": "string"}}}},
        "Guest": {"type": "object", "properties": {
            "room": {"$ref": "#/components/schemas/Host/properties/room"},
            "tags": {"$ref": "#/components/schemas/Host/properties/tags"},
            "tag": {"$ref": "#/components/schemas/Host/properties/tags/items"}}},
    }
    document = {"openapi": "3.1.0", "info": {"title": "Refs", "version": "1", "x-specgen-package": "refs",
                                               "x-specgen-client": "RefsClient"},
                "paths": {}, "components": {"schemas": schemas}}
    path = tmp_path / "refs.json"
    path.write_text(json.dumps(document))
    spec, api = pipeline.build_ir(path)
    guest = next(b for b in modelgen.render_models(spec, api).blocks if b.name == "Guest")
    assert "room: HostRoom | None = None" in guest.text
    assert "tags: list[str] | None = None" in guest.text
    assert "tag: str | None = None" in guest.text
    assert guest.classes == ("HostRoom",)
    assert len(modelgen.render_models(spec, api).blocks) == 3  # Host, HostRoom, Guest


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
        source = modelgen.render_models(spec, api).text()
    finally:
        sys.setrecursionlimit(limit)
    tree = ast.parse(source)
    classes = [node.name for node in tree.body if isinstance(node, ast.ClassDef)]
    assert len(classes) == 3 * length
    assert classes.index("Base2999") < classes.index("Base0")  # bases first
    assert "class Base0(Base1):" in source and "class Alias0(RootModel[Alias1]):" in source


def _generated_and_run(tmp_path: Path, schemas: dict[str, Any], code: str) -> str:
    """The package of a spec with ``schemas``, written and imported in a fresh interpreter that runs ``code``."""
    import json
    import subprocess
    import sys

    from specgen import output, pipeline

    document = {"openapi": "3.1.0", "info": {"title": "Shapes", "version": "1", "x-specgen-package": "shapes",
                                               "x-specgen-client": "ShapesClient"},
                "paths": {}, "components": {"schemas": schemas}}
    path = tmp_path / "shapes.json"
    path.write_text(json.dumps(document))
    [package] = pipeline.build_all([path])
    output.write_packages(tmp_path / "out", {package.name: package.files})
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path / "out", capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_field_named_after_a_builtin_another_annotation_uses_is_renamed(tmp_path: Path) -> None:
    """``list: ItemList | None = None`` next to ``people: list[Person]`` made pydantic read
    ``None[Person]`` (found on britbox.co.uk's spec): the field is ``list_``, its wire name ``list``."""
    schemas = {
        "Person": {"type": "object", "properties": {"name": {"type": "string"}}},
        "ItemList": {"type": "object", "properties": {"size": {"type": "integer"}}},
        "Page": {"type": "object", "properties": {
            "list": {"$ref": "#/components/schemas/ItemList"},
            "people": {"type": "array", "items": {"$ref": "#/components/schemas/Person"}},
            "str": {"type": "integer"}, "title": {"type": "string"}}},
    }
    out = _generated_and_run(tmp_path, schemas, (
        "from shapes.models import Page\n"
        "page = Page.model_validate({'list': {'size': 2}, 'people': [{'name': 'a'}], 'str': 3, 'title': 't'})\n"
        "print(page.list_.size, page.people[0].name, page.str_, page.title, sorted(page.model_dump(by_alias=True)))\n"))
    assert out.split() == ["2", "a", "3", "t", "['list',", "'people',", "'str',", "'title']"]


def test_enums_without_a_member_are_root_models(tmp_path: Path) -> None:
    """An enum of ``null`` alone under a type that leaves null out is a root model of ``None``; an
    empty enum, of its type; ``null`` with no type declared is a member (found on gsmtasks.com's spec,
    whose ``NullEnum`` was a class with no body)."""
    schemas = {
        "NullEnum": {"enum": [None]},
        "TypedNull": {"type": "string", "enum": [None]},
        "Empty": {"type": "string", "enum": []},
        "Thing": {"type": "object", "properties": {
            "a": {"$ref": "#/components/schemas/NullEnum"}, "b": {"$ref": "#/components/schemas/TypedNull"},
            "c": {"$ref": "#/components/schemas/Empty"}}},
    }
    out = _generated_and_run(tmp_path, schemas, (
        "from shapes.models import Thing, NullEnum, TypedNull\n"
        "thing = Thing.model_validate({'a': None, 'b': None, 'c': 'x'})\n"
        "print(thing.a, thing.b, thing.c.root, TypedNull.model_validate(None).root, list(NullEnum))\n"))
    assert out.split() == ["None", "None", "x", "None", "[<NullEnum.VALUE_NONE:", "None>]"]


def test_a_root_model_of_itself_names_itself_as_a_string_in_its_base(tmp_path: Path) -> None:
    """``RootModel[str | list[Value]]`` is evaluated before ``Value`` exists (vercel.com's
    ``EdgeConfigItemValue``: a NameError on import): the base says ``list["Value"]``."""
    schemas = {
        "Value": {"oneOf": [{"type": "string"}, {"type": "number"},
                            {"type": "array", "items": {"$ref": "#/components/schemas/Value"}}]},
        "Item": {"type": "object", "required": ["value"], "properties": {"value": {"$ref": "#/components/schemas/Value"}}},
    }
    out = _generated_and_run(tmp_path, schemas, (
        "from shapes.models import Item\n"
        "item = Item.model_validate({'value': ['a', [1.5, ['b']]]})\n"
        "print(item.value.root[1].root[1].root[0].root)\n"))
    assert out.split() == ["b"]
