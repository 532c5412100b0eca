"""Names are checked facts: the lists in ``naming`` are exactly what the generated modules bind."""

from __future__ import annotations

import ast
import importlib
import keyword
import pkgutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, SPECS
from specgen import naming, pipeline, runtime_facts, split

#: Specs whose packages exercise the templates: the providers, plus the hostile-names fixture.
TEMPLATE_SPECS = sorted(SPECS.glob("*.yaml")) + sorted((ROOT / "tests" / "fixtures").glob("*.yaml"))


def _bound(tree: ast.Module) -> set[str]:
    """Names a module binds at its top level (imports, also under ``if TYPE_CHECKING``; defs; assignments)."""
    names: set[str] = set()
    nodes = list(tree.body)
    while nodes:
        node = nodes.pop()
        if isinstance(node, ast.If):
            nodes.extend(node.body + node.orelse)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


@pytest.fixture(scope="module")
def packages() -> list[pipeline.Package]:
    built = []
    for path in TEMPLATE_SPECS:
        built.extend(pipeline.build_all([path]))
    return built


def test_resource_modules_bind_only_known_names(packages: list[pipeline.Package]) -> None:
    for package in packages:
        for resource in package.api.resources:
            tree = ast.parse(package.files[f"resources/{resource.module}.py"])
            own = {resource.class_name, resource.async_class_name}
            own |= {op.pages_constant for op in resource.operations if op.pagination}
            unknown = _bound(tree) - naming.RESOURCE_MODULE_NAMES - own - set(resource.model_imports)
            assert not unknown, f"{package.name}/resources/{resource.module}.py binds {unknown}: add them to naming"


def test_client_and_init_modules_bind_only_known_names(packages: list[pipeline.Package]) -> None:
    for package in packages:
        api = package.api
        clients = {api.client_class, api.async_client_class}
        resources = {n for r in api.resources for n in (r.class_name, r.async_class_name)}
        unknown = _bound(ast.parse(package.files["client.py"])) - naming.CLIENT_MODULE_NAMES - clients - resources
        assert not unknown, f"{package.name}/client.py binds {unknown}: add them to naming.CLIENT_MODULE_NAMES"
        unknown = _bound(ast.parse(package.files["__init__.py"])) - naming.INIT_MODULE_NAMES - clients
        assert not unknown, f"{package.name}/__init__.py binds {unknown}: add them to naming.INIT_MODULE_NAMES"


def test_model_module_imports_are_known(packages: list[pipeline.Package]) -> None:
    for package in packages:
        tree = ast.parse(package.files["models.py"])
        imported = {(a.asname or a.name) for n in tree.body if isinstance(n, ast.ImportFrom) for a in n.names}
        assert imported <= naming.MODEL_MODULE_NAMES, imported - naming.MODEL_MODULE_NAMES


@pytest.fixture(scope="module")
def split_packages() -> list[pipeline.Package]:
    """The same packages with their models split into modules (as a large API's are; see specgen/split.py)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(split, "SPLIT_FROM", 1)
        return [package for path in TEMPLATE_SPECS for package in pipeline.build_all([path], formatted=False)]


def test_models_package_modules_bind_only_known_names(split_packages: list[pipeline.Package]) -> None:
    """``models/__init__.py`` binds its own names and the model classes; each module of the package
    binds what a models module may import, its classes, and the classes it imports from the others;
    and no module is named after something ``__init__.py`` binds (importing it would rebind that)."""
    for package in split_packages:
        if "models.py" in package.files:  # a spec without models keeps its one (empty) module
            assert not [n for n in ast.parse(package.files["models.py"]).body if isinstance(n, ast.ClassDef)]
            continue
        files = {path: ast.parse(text) for path, text in package.files.items() if path.startswith("models/")}
        classes = {n.name for tree in files.values() for n in tree.body if isinstance(n, ast.ClassDef)}
        for path, tree in files.items():
            if path == "models/__init__.py":
                unknown = _bound(tree) - naming.MODELS_PACKAGE_NAMES - classes
            else:
                own = {n.name for n in tree.body if isinstance(n, ast.ClassDef)}
                siblings = {a.asname or a.name for n in tree.body if isinstance(n, ast.ImportFrom) and n.level == 1
                            for a in n.names}
                assert siblings <= classes - own, path
                unknown = _bound(tree) - naming.MODEL_MODULE_NAMES - own - siblings
                module = path.removeprefix("models/").removesuffix(".py")
                assert naming.is_identifier(module) and module.startswith("_"), module
                assert module not in naming.MODELS_PACKAGE_NAMES, module
            assert not unknown, f"{package.name}/{path} binds {unknown}: add them to naming"


def test_method_bodies_name_only_known_names(packages: list[pipeline.Package]) -> None:
    """A parameter can shadow only what a method body refers to; every such name is in METHOD_BODY_NAMES."""
    for package in packages:
        for resource in package.api.resources:
            tree = ast.parse(package.files[f"resources/{resource.module}.py"])
            for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
                for method in (n for n in cls.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
                    if method.name == "__init__":
                        continue
                    arguments = {a.arg for a in method.args.args + method.args.kwonlyargs}
                    used = {n.id for stmt in method.body for n in ast.walk(stmt) if isinstance(n, ast.Name)}
                    arguments |= {a.arg for n in ast.walk(method) if isinstance(n, ast.Lambda) for a in n.args.args}
                    unknown = (used - arguments - set(resource.model_imports) - naming.METHOD_BODY_NAMES
                               - {op.pages_constant for op in resource.operations})
                    assert not unknown, f"{resource.module}.{method.name} refers to {unknown}"


def test_client_constructor_names_are_known(packages: list[pipeline.Package]) -> None:
    for package in packages:
        tree = ast.parse(package.files["client.py"])
        for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
            init = next(n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == "__init__")
            auth_args = set(package.api.auth_args)
            names = {a.arg for a in init.args.args + init.args.kwonlyargs} - auth_args
            names |= {n.id for n in ast.walk(init) if isinstance(n, ast.Name)} - auth_args
            assert names <= naming.CLIENT_INIT_NAMES | {"TimeoutTypes", "Mapping", "httpx", "str", "int"}, names


def test_model_module_names_cover_what_the_emitter_can_import() -> None:
    """The names reserved for models.py are the ones datamodel-code-generator 0.89.0 could import
    (which built the models before specgen/modelgen; kept, so that no class is renamed): every name
    the emitter can import is among them (the aliases ``date_aliased``, ``time_aliased`` are no class
    name, which is PascalCase)."""
    from specgen.modelgen import emit, schema

    importable = {name for formats in schema.FORMATS.values() for name, module in formats.values() if module}
    importable |= {"Any", "Literal", "Dict", "Field", "RootModel", "ConfigDict", "annotations"}
    importable |= {name for name in emit.ALIASED}
    assert importable <= naming.MODEL_MODULE_NAMES, importable - naming.MODEL_MODULE_NAMES
    assert {"Model", "OpenEnum"} <= naming.MODEL_MODULE_NAMES


def test_client_attributes_come_from_the_runtime() -> None:
    attributes = naming.client_attributes()
    assert {"request", "close", "aclose", "base_url", "timeout", "max_retries", "__init__"} <= attributes
    assert runtime_facts.client_attributes() <= attributes


def test_idempotent_methods_come_from_the_runtime() -> None:
    assert runtime_facts.idempotent_methods() == {"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"}


@pytest.mark.parametrize(("wire", "expected"), [
    ("taskID", "task_id"), ("run.experiment_id", "run_experiment_id"), ("from", "from_"), ("match", "match_"),
    ("HTTPServer", "http_server"), ("2fa", None), ("", None), ("---", None),
])
def test_python_name(wire: str, expected: str | None) -> None:
    assert naming.python_name(wire) == expected


def test_fallback_name_numbers_from_two() -> None:
    assert naming.fallback_name("query_param", frozenset()) == "query_param"
    assert naming.fallback_name("query_param", {"query_param", "query_param_2"}) == "query_param_3"


def test_free_name_is_deterministic() -> None:
    assert naming.free_name("type", frozenset({"type"})) == "type_"
    assert naming.free_name("type", {"type", "type_"}) == "type_2"
    assert naming.free_name("Pages", {"Pages"}, "Schema") == "PagesSchema"
    assert naming.free_name("ok", frozenset()) == "ok"


def test_class_names_of_keywords_and_leading_digits_are_marked_schemas() -> None:
    assert naming.class_name("none") == "NoneSchema"  # PascalCase "None" is a keyword
    assert naming.class_name("2fa") == "Schema2Fa"
    assert naming.class_name("401Response") == "Schema401Response"
    assert naming.class_name("api_run") == "ApiRun"
    assert naming.class_name("---") is None


@pytest.mark.parametrize(("tag", "expected"), [
    ("Runs", "runs"), ("2FA", "tag_2_fa"), ("1-Click Applications", "tag_1_click_applications"),
    ("16 day / daily Forecast", "tag_16_day_daily_forecast"), ("class", "class_"), ("", None), ("---", None),
])
def test_a_tag_names_its_resource(tag: str, expected: str | None) -> None:
    assert naming.resource_from_tag(tag) == expected


def test_names_a_spec_cannot_give_as_written_are_made_and_said(tmp_path: Path) -> None:
    """Tags, operationIds and schema names real specs use that snake_case or PascalCase cannot make
    Python names of (DigitalOcean's ``1-Click Applications``, transavia.com's operationIds, ibanapi.com's
    schema ``400``) give names by a rule, each with a warning, instead of refusing the spec."""
    import json

    from specgen import pipeline

    ok = {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/400"}}}}}
    document = {
        "openapi": "3.1.0", "info": {"title": "T", "version": "1", "x-specgen-package": "odd", "x-specgen-client": "OddClient"},
        "servers": [{"url": "https://example.com"}],
        "paths": {
            "/v2/1-clicks": {"get": {"tags": ["1-Click Applications"], "operationId": "58d8bcb7a9e6", "responses": ok}},
            "/2fa/codes": {"post": {"tags": ["2FA"], "operationId": "", "responses": ok}},
            "/request": {"get": {"tags": [""], "operationId": "getRequest", "responses": ok}},
        },
        "components": {"schemas": {"400": {"type": "object", "properties": {"error": {"type": "string"}}},
                                   "none": {"type": "string"}}},
    }
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(document))
    checked, api = pipeline.build_ir(path)
    methods = {resource.attribute: [op.name for op in resource.operations] for resource in api.resources}
    assert methods == {"tag_1_click_applications": ["get_1_clicks"], "tag_2_fa": ["post_2_fa_codes"],
                       "request_": ["get_request"]}
    assert api.class_names == {"400": "Schema400", "none": "NoneSchema"}
    warned = "\n".join(str(w) for w in checked.warnings)
    for said in ("tag '1-Click Applications' cannot become a Python identifier; it is called 'tag_1_click_applications'",
                 "operationId '58d8bcb7a9e6' cannot become a Python identifier; it is called 'get_1_clicks'",
                 "operationId '' cannot become a Python identifier; it is called 'post_2_fa_codes'",
                 "tag '' cannot become a Python identifier; it is called 'request_'"):
        assert said in warned, warned
    [package] = pipeline.build_all([path])
    assert "class Schema400(Model):" in package.files["models.py"]


@settings(derandomize=True, max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=12), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False)),
                min_size=1, max_size=8))
def test_enum_members_are_unique_identifiers(values: list[object]) -> None:
    members = naming.enum_members(values)
    assert len(set(members)) == len(members)
    for member in members:
        assert member.isidentifier() and not keyword.iskeyword(member) and not member.startswith("_"), member


def test_packages_may_not_shadow_modules() -> None:
    for name in ("os", "json", "enum", "typing", "pydantic", "httpx", "generator", "specgen"):
        assert name in naming.RESERVED_PACKAGES


def test_template_specs_are_present() -> None:
    assert any(Path(p).parent == SPECS for p in TEMPLATE_SPECS)


def test_path_parameters_are_read_as_the_runtime_fills_them() -> None:
    pattern = runtime_facts.path_parameter()
    assert pattern.findall("/runs/{run_id}/items/{item.id}:archive") == ["run_id", "item.id"]
    assert pattern.findall("/a/{b/c}/{}") == []


@pytest.mark.parametrize(("method", "path", "resource", "name"), [
    ("get", "/apis/v2beta1/runs/{run_id}:archive", "runs", "get_runs_by_run_id_archive"),
    ("post", "/v1/pets", "pets", "post_pets"),
    ("delete", "/{id}", "default", "delete_by_id"),
])
def test_names_of_operations_without_operation_id_or_tag(method: str, path: str, resource: str, name: str) -> None:
    assert naming.resource_from_path(path) == resource
    assert naming.method_from_path(method, path) == name


def test_methods_from_paths_keep_the_version_where_names_would_clash() -> None:
    routes = [("get", "/logs/{appId}"), ("get", "/v3/logs/{appId}"), ("get", "/v2/items"), ("delete", "/v3/logs/{appId}")]
    assert naming.methods_from_paths(routes) == ["get_logs_by_app_id", "get_v3_logs_by_app_id", "get_items",
                                                 "delete_logs_by_app_id"]
    # Taken by an operationId of the resource; still the same with the version kept: numbered.
    assert naming.methods_from_paths([("get", "/v1/items"), ("get", "/v1/items/")], {"get_v1_items"}) == [
        "get_v1_items_2", "get_v1_items_3"]


@pytest.mark.parametrize(("text", "token"), [
    ("X-API-Key", True), ("api_key", True), ("a!#$%&'*+-.^_`|~z", True),
    ("", False), ("session id", False), ("a;b", False), ("a:b", False), ("é", False), ("a\nb", False),
])
def test_a_token_is_what_a_header_or_cookie_name_may_be(text: str, token: bool) -> None:
    assert naming.is_token(text) is token
