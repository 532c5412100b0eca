"""A large API's models are a package of small modules, each imported on first use (specgen/split.py).

The packages of ``specs/`` have fewer models than :data:`split.SPLIT_FROM` and keep one ``models.py``;
here every spec of ``specs/`` (and the hostile-names fixture) is also generated with its models split
(``SPLIT_FROM = 1``), and the split package must hold the same classes, import only what is asked for,
type-check under ``mypy --strict`` as the single module does, and make calls.
"""

from __future__ import annotations

import ast
import json
import keyword
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from conftest import ROOT, SPECS
from specgen import layout, naming, output, pipeline, split
from test_vendoring import CALLS, example_body

SPEC_FILES = sorted(SPECS.glob("*.yaml")) + [ROOT / "tests" / "fixtures" / "hostile_names.yaml"]


def _split(spec_file: Path, *, formatted: bool = True) -> pipeline.Package:
    """The package of ``spec_file`` with its models split, whatever their number."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(split, "SPLIT_FROM", 1)
        (package,) = pipeline.build_all([spec_file], formatted=formatted)
    return package


@pytest.fixture(scope="module")
def packages() -> dict[str, pipeline.Package]:
    """Every spec's package, formatted, with its models split."""
    return {package.name: package for package in map(_split, SPEC_FILES)}


@pytest.fixture(scope="module")
def written(packages: dict[str, pipeline.Package], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The split packages written to a folder of their own."""
    out = tmp_path_factory.mktemp("split")
    output.write_packages(out, {name: package.files for name, package in packages.items()})
    return out


def _model_files(package: pipeline.Package) -> dict[str, str]:
    return {path: text for path, text in package.files.items() if path.startswith("models/")}


def _classes(source: str) -> dict[str, str]:
    return {node.name: ast.dump(node) for node in ast.parse(source).body if isinstance(node, ast.ClassDef)}


def _sibling_imports(source: str) -> dict[str, list[str]]:
    """``from ._x import A, B`` of a module of the models package: module → names."""
    return {node.module or "": [a.name for a in node.names] for node in ast.parse(source).body
            if isinstance(node, ast.ImportFrom) and node.level == 1}


def _run(code: str, cwd: Path) -> str:
    done = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


# -- the rule: one module below SPLIT_FROM classes ------------------------------------------------------


@pytest.mark.parametrize("spec_file", sorted(SPECS.glob("*.yaml")), ids=lambda p: p.stem)
def test_a_spec_with_few_models_keeps_one_models_module(spec_file: Path) -> None:
    (package,) = pipeline.build_all([spec_file], formatted=False)
    assert "models.py" in package.files and not _model_files(package)
    assert len(_classes(package.files["models.py"])) < split.SPLIT_FROM


def _spec(tmp_path: Path, schemas: dict[str, Any], name: str = "splitting") -> Path:
    """A spec with ``schemas`` and one operation returning the first of them."""
    first = next(iter(schemas))
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Splitting", "version": "1", "x-specgen-package": name,
                 "x-specgen-client": "SplittingClient"},
        "servers": [{"url": "https://example.com"}],
        "paths": {"/things/{id}": {"get": {
            "operationId": "getThing",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "A thing.", "content": {"application/json": {
                "schema": {"type": "object", "properties": {"thing": {"$ref": f"#/components/schemas/{first}"}}}}}}},
        }}},
        "components": {"schemas": schemas},
    }
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@pytest.mark.parametrize("count", [split.SPLIT_FROM - 2, split.SPLIT_FROM - 1])
def test_models_are_split_from_split_from_classes(tmp_path: Path, count: int) -> None:
    """``count`` component schemas, plus the operation's response: SPLIT_FROM - 1 or SPLIT_FROM classes."""
    schemas = {f"Thing{i}": {"type": "object", "properties": {"name": {"type": "string"}}} for i in range(count)}
    (package,) = pipeline.build_all([_spec(tmp_path, schemas)], formatted=False)
    classes = count + 1
    assert (classes >= split.SPLIT_FROM) == bool(_model_files(package))
    assert ("models.py" in package.files) == (classes < split.SPLIT_FROM)


# -- the groups ----------------------------------------------------------------------------------------


GROUPS = {
    # a schema written inside another one lives with it
    "Outer": {"type": "object", "properties": {"inner": {"type": "object", "properties": {"x": {"type": "string"}}},
                                               "shared": {"$ref": "#/components/schemas/Shared"}}},
    # used by two groups: a module of its own, which both import
    "Shared": {"type": "object", "properties": {"name": {"type": "string"}}},
    "Other": {"type": "object", "properties": {"shared": {"$ref": "#/components/schemas/Shared"}}},
    # a cycle: one module
    "Left": {"type": "object", "properties": {"right": {"$ref": "#/components/schemas/Right"}}},
    "Right": {"type": "object", "properties": {"left": {"$ref": "#/components/schemas/Left"}}},
    # names whose modules would be the same: numbered in the order of the class names
    "HTTPServer": {"type": "object", "properties": {"url": {"type": "string"}}},
    "HttpServer": {"type": "object", "properties": {"url": {"type": "string"}}},
    # a group that uses a class nested in another group that uses it: one module (no import cycle)
    "Host": {"type": "object", "properties": {"guest": {"$ref": "#/components/schemas/Guest"},
                                              "room": {"type": "object", "properties": {"n": {"type": "integer"}}}}},
    "Guest": {"type": "object", "properties": {"room": {"$ref": "#/components/schemas/Host/properties/room"}}},
    # a name that snake_case makes the name of something models/__init__.py binds
    "Modules": {"type": "object", "properties": {"x": {"type": "string"}}},
    # names longer than a line: module names are cut to 100 characters (then numbered)
    **{"Long" + "Name" * 40 + suffix: {"type": "object", "properties": {"x": {"type": "string"}}} for suffix in "AB"},
}


@pytest.fixture(scope="module")
def grouped(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The class → module map of the GROUPS spec, split."""
    package = _split(_spec(tmp_path_factory.mktemp("groups"), GROUPS), formatted=False)
    return {name: path.removeprefix("models/").removesuffix(".py") for path, text in _model_files(package).items()
            if path != split.PACKAGE_INIT for name in _classes(text)}


def test_a_schema_written_inside_another_lives_in_its_module(grouped: dict[str, str]) -> None:
    assert grouped["Outer"] == grouped["OuterInner"] == "_outer"
    assert grouped["GetThingResponse"] == "_get_thing_response"


def test_a_schema_two_groups_use_has_a_module_of_its_own(grouped: dict[str, str]) -> None:
    assert grouped["Shared"] == "_shared" and grouped["Other"] == "_other"


def test_classes_that_refer_to_each_other_share_a_module(grouped: dict[str, str]) -> None:
    assert grouped["Left"] == grouped["Right"] == "_left"
    assert grouped["Host"] == grouped["Guest"] == grouped["HostRoom"] == "_guest"


def test_module_names_that_would_clash_are_numbered(grouped: dict[str, str]) -> None:
    assert (grouped["HTTPServer"], grouped["HttpServer"]) == ("_http_server", "_http_server_2")
    assert grouped["Modules"] == "_modules"  # "_MODULES", which models/__init__.py binds, differs in case
    long = "_long" + "_name" * 40
    assert (grouped["Long" + "Name" * 40 + "A"], grouped["Long" + "Name" * 40 + "B"]) == (long[:101], long[:101] + "_2")


def test_modules_with_long_names_are_blacks_output(tmp_path: Path) -> None:
    for path, source in _model_files(_split(_spec(tmp_path, GROUPS), formatted=False)).items():
        assert layout.formatted(source, output.format_source) == output.format_source(source), path
        if path == split.PACKAGE_INIT:
            assert output.format_source(source) == source


def test_a_long_chain_of_schemas_is_imported_in_chains_python_can_follow(tmp_path: Path) -> None:
    """200 schemas, each needing the next: the modules' chains of imports stay within MAX_DEPTH
    (each import is a few frames deeper; about 140 would pass Python's recursion limit)."""
    schemas = {f"A{i}": {"type": "object", "properties": {"next": {"$ref": f"#/components/schemas/A{i + 1}"}}}
               for i in range(199)}
    schemas["A199"] = {"type": "object", "properties": {"last": {"type": "string"}}}
    package = _split(_spec(tmp_path, schemas, name="chain"), formatted=False)
    files = _model_files(package)
    needs = {path: {f"models/{module}.py" for module in _sibling_imports(text)} for path, text in files.items()}
    height: dict[str, int] = {}

    def depth(path: str) -> int:
        if path not in height:
            height[path] = 1 + max((depth(other) for other in needs[path]), default=0)
        return height[path]

    assert 1 < max(map(depth, files)) <= split.MAX_DEPTH
    output.write_packages(tmp_path / "out", {"chain": package.files})
    assert _run("from chain.models import A0\nprint(A0.__module__)", tmp_path / "out").startswith("chain.models._")


# -- every spec, split ---------------------------------------------------------------------------------


@pytest.mark.parametrize("spec_file", SPEC_FILES, ids=lambda p: p.stem)
def test_split_models_are_the_classes_of_the_single_module(spec_file: Path) -> None:
    """Each class, as the single module has it, in exactly one module, with its rebuild call."""
    package = _split(spec_file, formatted=False)
    (single,) = pipeline.build_all([spec_file], formatted=False)
    expected = _classes(single.files["models.py"])
    found: dict[str, str] = {}
    rebuilt = []
    for path, text in _model_files(package).items():
        if path == split.PACKAGE_INIT:
            continue
        classes = _classes(text)
        assert not classes.keys() & found.keys(), path
        found.update(classes)
        rebuilt += [ast.unparse(node) for node in ast.parse(text).body[1:] if isinstance(node, ast.Expr)]
    assert found == expected
    assert sorted(rebuilt) == sorted(ast.unparse(node) for node in ast.parse(single.files["models.py"]).body[1:]
                                     if isinstance(node, ast.Expr))


def test_module_names_are_private_identifiers_clear_of_what_the_package_binds(
        packages: dict[str, pipeline.Package]) -> None:
    for package in packages.values():
        modules = [path.removeprefix("models/").removesuffix(".py") for path in _model_files(package)]
        assert len(modules) == len(set(modules))
        for module in modules:
            if module == "__init__":
                continue
            assert module.startswith("_") and module.isidentifier() and not keyword.iskeyword(module), module
            assert module not in naming.MODELS_PACKAGE_NAMES
            assert len(module) <= naming.MAX_MODULE_NAME + 1 + len("_99")


def test_modules_import_each_other_without_a_cycle(packages: dict[str, pipeline.Package]) -> None:
    for package in packages.values():
        files = _model_files(package)
        defined = {path: set(_classes(text)) for path, text in files.items()}
        graph: dict[str, set[str]] = {}
        for path, text in files.items():
            if path == split.PACKAGE_INIT:
                continue
            graph[path] = set()
            for module, names in _sibling_imports(text).items():
                assert set(names) <= defined[f"models/{module}.py"], (path, module)
                graph[path].add(f"models/{module}.py")
        done: set[str] = set()
        for start in graph:  # depth first; a module met again on the current path is a cycle
            stack, path_ = [(start, iter(sorted(graph[start])))], {start}
            while stack:
                node, pending = stack[-1]
                following = next(pending, None)
                if following is None:
                    stack.pop()
                    path_.discard(node)
                    done.add(node)
                elif following not in done:
                    assert following not in path_, f"{package.name}: import cycle through {following}"
                    path_.add(following)
                    stack.append((following, iter(sorted(graph[following]))))


def test_the_package_init_lists_every_model_once(packages: dict[str, pipeline.Package]) -> None:
    for package in packages.values():
        files = _model_files(package)
        init = ast.parse(files[split.PACKAGE_INIT])
        values = {node.targets[0].id: ast.literal_eval(node.value) for node in init.body  # type: ignore[attr-defined]
                  if isinstance(node, ast.Assign)}
        modules = {name: path.removeprefix("models/").removesuffix(".py") for path, text in files.items()
                   for name in _classes(text)}
        assert values["__all__"] == sorted(modules)
        assert values["_MODULES"] == modules


@pytest.mark.parametrize("spec_file", SPEC_FILES, ids=lambda p: p.stem)
def test_split_modules_are_blacks_output(spec_file: Path) -> None:
    """Each module of the models package is what isort and black make of it, through the fast
    layout, without isort and black seeing its imports (specgen writes them in their form); the
    package's ``__init__.py`` is written in that form, and kept as it is."""
    for path, source in _model_files(_split(spec_file, formatted=False)).items():
        if path == split.PACKAGE_INIT:
            assert output.format_source(source) == source
            continue
        calls: list[str] = []

        def counting(text: str) -> str:
            calls.append(text)
            return output.format_source(text)

        assert layout.formatted(source, counting) == output.format_source(source), path
        assert not [call for call in calls if "import " in call], path


def test_importing_a_model_loads_its_module_and_what_that_imports(packages: dict[str, pipeline.Package],
                                                                  written: Path) -> None:
    for name, package in packages.items():
        files = _model_files(package)
        needs = {path.removeprefix("models/").removesuffix(".py"): set(_sibling_imports(text))
                 for path, text in files.items() if path != split.PACKAGE_INIT}
        home = {cls: module for module in needs for cls in _classes(files[f"models/{module}.py"])}
        chosen = max(home, key=lambda cls: (len(needs[home[cls]]), cls))  # the one that imports most
        expected = {home[chosen]}
        pending = [home[chosen]]
        while pending:
            for module in needs[pending.pop()] - expected:
                expected.add(module)
                pending.append(module)
        code = (
            "import json, sys\n"
            f"import {name}.models\n"
            f"before = sorted(m for m in sys.modules if m.startswith('{name}.models.'))\n"
            f"from {name}.models import {chosen}\n"
            f"after = sorted(m.rsplit('.', 1)[1] for m in sys.modules if m.startswith('{name}.models.'))\n"
            f"print(json.dumps([before, after, {chosen}.__module__]))\n"
        )
        before, after, module = json.loads(_run(code, written))
        assert before == [], name
        assert set(after) == expected, name
        assert module == f"{name}.models.{home[chosen]}"


def test_every_name_resolves_and_every_model_builds(packages: dict[str, pipeline.Package], written: Path) -> None:
    """Through the lazy ``__getattr__``, in a fresh interpreter: each name is its module's class, every
    model's schema is complete (no name it refers to is missing from its module), ``dir`` lists
    every name, ``import *`` works, and a name that does not exist is an AttributeError."""
    for name in packages:
        code = (
            "import importlib, pydantic\n"
            f"import {name}.models as models\n"
            "for name in models.__all__:\n"
            "    value = getattr(models, name)\n"
            "    assert value is getattr(importlib.import_module(value.__module__), name), name\n"
            "    if isinstance(value, type) and issubclass(value, pydantic.BaseModel):\n"
            "        value.model_rebuild(force=True)  # raises when a name it refers to is missing\n"
            "assert set(models.__all__) <= set(dir(models))\n"
            "try:\n"
            "    models.NoSuchModel\n"
            "except AttributeError as error:\n"
            "    assert 'NoSuchModel' in str(error)\n"
            "else:\n"
            "    raise AssertionError('no AttributeError')\n"
            f"namespace = {{}}\nexec('from {name}.models import *', namespace)\n"
            "assert set(models.__all__) <= set(namespace)\n"
            "print(len(models.__all__))\n"
        )
        assert int(_run(code, written)) == len(ast.literal_eval(next(
            node.value for node in ast.parse(packages[name].files[split.PACKAGE_INIT]).body
            if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "__all__")))


def test_split_packages_pass_mypy_strict_and_their_names_are_checked(packages: dict[str, pipeline.Package],
                                                                     written: Path) -> None:
    """``from <package>.models import X``, ``<package>.models.X`` and ``from <package> import models``
    type-check as with one module, and a name that does not exist is still an error."""
    user = []
    for name, package in packages.items():
        first = next(n for n in _classes(next(t for p, t in _model_files(package).items() if p != split.PACKAGE_INIT)))
        user += [f"from {name}.models import {first}", f"import {name}.models", f"from {name} import models as {name}_models",
                 f"a_{name}: type[{first}] = {name}.models.{first}", f"b_{name}: type[{first}] = {name}_models.{first}"]
    (written / "user_code.py").write_text("\n".join(sorted(user, key=lambda line: not line.startswith(("from", "import"))))
                                          + "\n")
    (written / "user_mistake.py").write_text(f"from {next(iter(packages))}.models import NoSuchModel\n")
    done = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", *packages, "user_code.py"],
                          cwd=written, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-2000:]
    mistake = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "user_mistake.py"],
                             cwd=written, capture_output=True, text=True, timeout=900, check=False)
    assert mistake.returncode == 1 and "NoSuchModel" in mistake.stdout, mistake.stdout


def test_template_overrides_leave_the_models_package_as_it_is(packages: dict[str, pipeline.Package],
                                                               tmp_path: Path) -> None:
    """The models are specgen's own output, not the templates': ``--templates`` changes no module of them."""
    override = tmp_path / "templates" / "package" / "resources"
    override.mkdir(parents=True)
    (override / "__init__.py.jinja").write_text('"""House style: one module per resource."""\n')
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(split, "SPLIT_FROM", 1)
        (package,) = pipeline.build_all([SPECS / "airplane.yaml"], templates=tmp_path / "templates")
    assert package.files["resources/__init__.py"].endswith('"""House style: one module per resource."""\n')
    assert _model_files(package) == _model_files(packages["airplane"])


@pytest.mark.parametrize("provider", sorted(CALLS))
def test_a_split_package_copied_under_another_name_makes_a_call(provider: str, written: Path, tmp_path: Path,
                                                                 httpserver: HTTPServer) -> None:
    """Vendored as ``myproject.third_party.vendored_<provider>``, the lazy imports of the models
    package still find their modules, and the call returns a model of one of them."""
    client_class, client_kwargs, call, path, body = CALLS[provider]
    httpserver.expect_request(path).respond_with_json(body if body is not None else example_body(provider))
    vendored = tmp_path / "myproject" / "third_party"
    shutil.copytree(written / provider, vendored / f"vendored_{provider}", ignore=shutil.ignore_patterns("__pycache__"))
    for parent in (vendored.parent, vendored):
        (parent / "__init__.py").write_text("")
    script = (
        f"from myproject.third_party.vendored_{provider} import {client_class}\n"
        f"BASE = {httpserver.url_for('').rstrip('/')!r}\n"
        f"with {client_class}({client_kwargs}) as client:\n"
        f"    result = {call}\n"
        "print(type(result).__module__)\n"
    )
    assert _run(script, tmp_path).strip().startswith(f"myproject.third_party.vendored_{provider}.models._")
    assert len(httpserver.log) == 1
