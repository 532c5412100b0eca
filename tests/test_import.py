"""`specgen import`: vendor documents (Swagger 2.0, OpenAPI 3.0 and 3.1) → specs/NAME.yaml.

The two upstream documents in /work/shared/reference/upstream are imported into a temporary
project, validated, generated, and one call of each client goes to a real local server. The
conversions, selection, multi-file references, URL sources, re-import and bad input have their own
tests, and the documents of the npm package @readme/oas-examples are imported too (npm must work:
that test fails rather than skips when it does not).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped, unused-ignore]
from click.testing import CliRunner, Result
from pytest_httpserver import HTTPServer

from specgen import pipeline, spec
from specgen.cli import main
from specgen.importer import run as import_run

UPSTREAM = Path("/work/shared/reference/upstream")
KUBEFLOW = UPSTREAM / "kubeflow_run.swagger.json"
AIRPLANE = UPSTREAM / "airplane_openapi.yaml"
OAS_EXAMPLES = "@readme/oas-examples@8.2.2"
EXAMPLE_DOCUMENTS = ("3.0/json/petstore.json", "3.1/json/petstore.json", "3.1/json/train-travel.json")


def specgen(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=True)


def imported(tmp_path: Path, source: str | Path, provider: str, *extra: str) -> dict[str, Any]:
    result = specgen("import", source, "--provider", provider, "--specs", tmp_path / "specs", *extra)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = yaml.safe_load((tmp_path / "specs" / f"{provider}.yaml").read_text())
    return data


def write(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data) if path.suffix == ".json" else yaml.safe_dump(data, sort_keys=False))
    return path


def ops(data: dict[str, Any]) -> list[str]:
    return [f"{m.upper()} {p}" for p, item in data["paths"].items() for m in item if m in ("get", "post", "put", "delete", "patch")]


def call_client(tmp_path: Path, code: str) -> str:
    """Run ``code`` in a fresh interpreter that sees tmp_path/generated (the packages are new)."""
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "generated")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


# -- the upstream documents -----------------------------------------------------------------------


def test_kubeflow_swagger2_imports_validates_generates_and_calls(tmp_path: Path, httpserver: HTTPServer) -> None:
    data = imported(tmp_path, KUBEFLOW, "kfp_import")
    assert data["openapi"] == "3.1.0"
    assert data["info"]["x-specgen-package"] == "kfp_import"
    assert data["info"]["x-specgen-client"] == "KfpImportClient"
    assert data["components"]["securitySchemes"]["Bearer"]["x-specgen-env"] == "KFP_IMPORT_API_KEY"
    assert "/apis/v2beta1/runs/{run_id}:archive" in data["paths"]
    assert len(ops(data)) == 8
    body = data["paths"]["/apis/v2beta1/runs"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/v2beta1Run"}
    source = json.loads(KUBEFLOW.read_text())
    assert set(data["components"]["schemas"]) == set(source["definitions"])  # a full import keeps every schema
    specs = tmp_path / "specs"
    assert specgen("validate", specs / "kfp_import.yaml").exit_code == 0
    result = specgen("generate", "--specs", specs, "--out", tmp_path / "generated")
    assert result.exit_code == 0, result.output
    httpserver.expect_request("/apis/v2beta1/runs/r-1", method="GET", headers={"authorization": "k"}).respond_with_json(
        {"run_id": "r-1", "display_name": "nightly", "state": "SUCCEEDED"})
    out = call_client(tmp_path, (
        "from kfp_import import KfpImportClient\n"
        f"with KfpImportClient(api_key='k', base_url={httpserver.url_for('')!r}) as c:\n"
        "    run = c.run_service.run_service_get_run(run_id='r-1')\n"
        "    print(run.run_id, run.display_name, run.state.value)\n"))
    assert out.split() == ["r-1", "nightly", "SUCCEEDED"]
    httpserver.check_assertions()


def test_airplane_oas30_imports_validates_generates_and_calls(tmp_path: Path, httpserver: HTTPServer) -> None:
    data = imported(tmp_path, AIRPLANE, "airplane_import")
    assert data["openapi"] == "3.1.0"
    assert data["servers"][0]["url"] == "https://api.airplane.dev/v0"
    assert data["components"]["securitySchemes"]["ApiKeyAuth"]["x-specgen-env"] == "AIRPLANE_IMPORT_API_KEY"
    assert len(ops(data)) == 11
    schemas = json.dumps(data["components"]["schemas"])
    assert '"nullable"' not in schemas and '"example"' not in schemas  # 3.1 forms: type lists, examples
    specs = tmp_path / "specs"
    assert specgen("validate", specs / "airplane_import.yaml").exit_code == 0
    result = specgen("generate", "--specs", specs, "--out", tmp_path / "generated")
    assert result.exit_code == 0, result.output
    httpserver.expect_request("/v0/runs/get", method="GET", query_string="id=run1",
                              headers={"X-Airplane-API-Key": "key"}).respond_with_json({"id": "run1", "status": "Succeeded"})
    out = call_client(tmp_path, (
        "from airplane_import import AirplaneImportClient\n"
        f"with AirplaneImportClient(api_key='key', base_url={httpserver.url_for('/v0')!r}) as c:\n"
        "    run = c.runs.get_run(id='run1')\n"
        "    print(run.id, run.status.value)\n"))
    assert out.split() == ["run1", "Succeeded"]
    httpserver.check_assertions()


# -- re-import ------------------------------------------------------------------------------------


def test_reimport_is_byte_identical_and_keeps_the_users_edits(tmp_path: Path) -> None:
    source = tmp_path / "src" / "kubeflow.json"
    document = json.loads(KUBEFLOW.read_text())
    write(source, document)
    imported(tmp_path, source, "kfp")
    target = tmp_path / "specs" / "kfp.yaml"
    first = target.read_bytes()
    result = specgen("import", source, "--provider", "kfp", "--specs", tmp_path / "specs")
    assert result.exit_code == 0 and "unchanged" in result.output
    assert target.read_bytes() == first

    data = yaml.safe_load(first)
    get = data["paths"]["/apis/v2beta1/runs/{run_id}"]["get"]
    get["x-specgen-method"] = "get"
    get["x-specgen-resource"] = "runs"
    listing = data["paths"]["/apis/v2beta1/runs"]["get"]
    listing["x-specgen-pagination"] = {"style": "cursor", "cursor_param": "page_token",
                                       "next_cursor": "next_page_token", "items": "runs"}
    retry = data["paths"]["/apis/v2beta1/runs/{run_id}:retry"]["post"]
    retry["x-specgen-method"] = "retry"
    data["components"]["securitySchemes"]["Bearer"]["x-specgen-env"] = "KFP_TOKEN"
    data["info"]["x-specgen-client"] = "Pipelines"
    target.write_text(yaml.safe_dump(data, sort_keys=False))

    # The source changes: one operation is gone, a description is new.
    del document["paths"]["/apis/v2beta1/runs/{run_id}:retry"]
    document["paths"]["/apis/v2beta1/runs/{run_id}"]["get"]["description"] = "Now documented."
    write(source, document)
    result = specgen("import", source, "--provider", "kfp", "--specs", tmp_path / "specs")
    assert result.exit_code == 0, result.output
    assert "kept GET /apis/v2beta1/runs/{run_id}: x-specgen-method, x-specgen-resource" in result.output
    assert "dropped POST /apis/v2beta1/runs/{run_id}:retry (gone from the source)" in result.output
    again = yaml.safe_load(target.read_text())
    get = again["paths"]["/apis/v2beta1/runs/{run_id}"]["get"]
    assert (get["x-specgen-method"], get["x-specgen-resource"], get["description"]) == ("get", "runs", "Now documented.")
    assert again["paths"]["/apis/v2beta1/runs"]["get"]["x-specgen-pagination"]["items"] == "runs"
    assert again["components"]["securitySchemes"]["Bearer"]["x-specgen-env"] == "KFP_TOKEN"
    assert again["info"]["x-specgen-client"] == "Pipelines"
    assert "/apis/v2beta1/runs/{run_id}:retry" not in again["paths"]
    assert specgen("validate", target).exit_code == 0
    edited = target.read_bytes()
    assert specgen("import", source, "--provider", "kfp", "--specs", tmp_path / "specs").exit_code == 0
    assert target.read_bytes() == edited


# -- Swagger 2.0 and OpenAPI 3.0 conversion --------------------------------------------------------


SWAGGER: dict[str, Any] = {
    "swagger": "2.0",
    "info": {"title": "Pets", "version": "1"},
    "host": "api.example.com",
    "basePath": "/v2",
    "schemes": ["https", "http"],
    "consumes": ["application/json"],
    "produces": ["application/json"],
    "securityDefinitions": {
        "basic": {"type": "basic"},
        "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
        "oauth": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a/auth",
                  "tokenUrl": "https://a/token", "scopes": {"read": "read pets"}},
    },
    "security": [{"key": []}],
    "paths": {
        "/pets": {
            "post": {
                "operationId": "addPet", "tags": ["pets"],
                "parameters": [{"name": "pet", "in": "body", "required": True, "description": "The pet.",
                                "schema": {"$ref": "#/definitions/Pet"}}],
                "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Pet"},
                                      "examples": {"application/json": {"name": "Rex"}}}},
                "security": [{"basic": []}, {"oauth": ["read"]}],
            },
        },
        "/pets/{id}/photo": {
            "post": {
                "consumes": ["multipart/form-data"],
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "type": "integer", "format": "int64"},
                    {"name": "file", "in": "formData", "type": "file", "required": True},
                    {"name": "caption", "in": "formData", "type": "string", "description": "Caption."},
                    {"name": "tags", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"},
                ],
                "responses": {"204": {"description": "stored"}},
            },
        },
        "/pets/{id}:feed": {
            "post": {
                "consumes": ["application/x-www-form-urlencoded"],
                "parameters": [{"name": "id", "in": "path", "required": True, "type": "string"},
                               {"name": "food", "in": "formData", "type": "string", "required": True}],
                "responses": {"200": {"description": "fed"}},
            },
        },
    },
    "definitions": {
        "Pet": {"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string", "example": "Rex"},
            "nickname": {"type": "string", "x-nullable": True},
            "owner": {"$ref": "#/definitions/Owner", "x-nullable": True},
        }},
        "Owner": {"type": "object", "properties": {"id": {"type": "integer"}}},
        "Unused": {"type": "object", "properties": {"x": {"type": "string"}}},
    },
}


def test_swagger2_conversion(tmp_path: Path) -> None:
    source = write(tmp_path / "swagger.json", SWAGGER)
    data = imported(tmp_path, source, "pets")
    assert data["openapi"] == "3.1.0"
    assert data["servers"] == [{"url": "https://api.example.com/v2"}, {"url": "http://api.example.com/v2"}]
    add = data["paths"]["/pets"]["post"]
    assert add["requestBody"] == {"description": "The pet.", "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}, "required": True}
    assert "parameters" not in add
    assert add["responses"]["200"]["content"]["application/json"] == {
        "schema": {"$ref": "#/components/schemas/Pet"}, "example": {"name": "Rex"}}
    photo = data["paths"]["/pets/{id}/photo"]["post"]
    assert [p["name"] for p in photo["parameters"]] == ["id", "tags"]
    assert photo["parameters"][0]["schema"] == {"type": "integer", "format": "int64"}
    assert photo["parameters"][1]["style"] == "form" and photo["parameters"][1]["explode"] is True
    form = photo["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert form["properties"]["file"] == {"type": "string", "format": "binary"}
    assert form["properties"]["caption"] == {"description": "Caption.", "type": "string"}
    assert form["required"] == ["file"]
    assert photo["x-specgen-resource"] == "pets" and photo["x-specgen-method"] == "post_pets_by_id_photo"
    feed = data["paths"]["/pets/{id}:feed"]["post"]
    assert feed["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]["required"] == ["food"]
    assert feed["x-specgen-method"] == "post_pets_by_id_feed"
    assert "x-specgen-resource" not in add  # the tag already names the resource
    pet = data["components"]["schemas"]["Pet"]["properties"]
    assert pet["name"] == {"type": "string", "examples": ["Rex"]}
    assert pet["nickname"] == {"type": ["string", "null"]}
    assert pet["owner"] == {"anyOf": [{"$ref": "#/components/schemas/Owner"}, {"type": "null"}]}
    assert list(data["components"]["schemas"]) == ["Pet", "Owner", "Unused"]  # a full import keeps every schema
    schemes = data["components"]["securitySchemes"]
    assert schemes["basic"] == {"type": "http", "scheme": "basic", "x-specgen-env": "PETS_BASIC_AUTH"}
    assert schemes["key"] == {"type": "apiKey", "name": "X-Key", "in": "header", "x-specgen-env": "PETS_API_KEY"}
    assert schemes["oauth"] == {"type": "oauth2", "flows": {"authorizationCode": {
        "authorizationUrl": "https://a/auth", "tokenUrl": "https://a/token", "scopes": {"read": "read pets"}}},
        "x-specgen-env": "PETS_TOKEN"}
    spec.load(tmp_path / "specs" / "pets.yaml")  # structure and openapi-spec-validator


def test_oas30_nullable_example_and_exclusive_bounds(tmp_path: Path) -> None:
    document = {
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "paths": {"/things/{id}": {"get": {"parameters": [
            {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Thing"}}}}}}}},
        "components": {"schemas": {"Thing": {"type": "object", "properties": {
            "size": {"type": "number", "minimum": 0, "exclusiveMinimum": True, "maximum": 9, "exclusiveMaximum": False},
            "color": {"type": "string", "enum": ["red", "blue"], "nullable": True, "example": "red"},
            "parent": {"allOf": [{"$ref": "#/components/schemas/Thing"}], "nullable": True, "description": "Up."},
        }}}},
    }
    data = imported(tmp_path, write(tmp_path / "thing.yaml", document), "things")
    props = data["components"]["schemas"]["Thing"]["properties"]
    assert props["size"] == {"type": "number", "exclusiveMinimum": 0, "maximum": 9}
    assert props["color"] == {"type": ["string", "null"], "enum": ["red", "blue", None], "examples": ["red"]}
    assert props["parent"] == {"anyOf": [{"$ref": "#/components/schemas/Thing"}, {"type": "null"}], "description": "Up."}
    get = data["paths"]["/things/{id}"]["get"]
    assert (get["x-specgen-resource"], get["x-specgen-method"]) == ("things", "get_things_by_id")
    spec.load(tmp_path / "specs" / "things.yaml")


def test_swagger2_collection_formats_become_styles(tmp_path: Path) -> None:
    formats = {"none": None, "csv": "csv", "ssv": "ssv", "tsv": "tsv", "pipes": "pipes", "multi": "multi"}
    params = [{"name": name, "in": "query", "type": "array", "items": {"type": "string"},
               **({"collectionFormat": fmt} if fmt else {})} for name, fmt in formats.items()]
    params.append({"name": "ids", "in": "path", "required": True, "type": "array", "items": {"type": "integer"}})
    source = write(tmp_path / "formats.json", {"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {
        "/things/{ids}": {"get": {"operationId": "find", "parameters": params, "responses": {"200": {"description": "ok"}}}}}})
    data = imported(tmp_path, source, "formats")
    styles = {p["name"]: (p["style"], p["explode"]) for p in data["paths"]["/things/{ids}"]["get"]["parameters"]}
    assert styles == {"none": ("form", False), "csv": ("form", False), "ssv": ("spaceDelimited", False),
                      "tsv": ("form", False), "pipes": ("pipeDelimited", False), "multi": ("form", True),
                      "ids": ("simple", False)}
    assert specgen("validate", tmp_path / "specs" / "formats.yaml").exit_code == 0


# -- multi-file documents, URL sources -------------------------------------------------------------


def multi_file(folder: Path) -> Path:
    write(folder / "schemas" / "owner.json", {"type": "object", "properties": {"name": {"type": "string"}}})
    write(folder / "common.yaml", {"components": {"schemas": {
        "Pet": {"type": "object", "properties": {"owner": {"$ref": "./schemas/owner.json"},
                                                 "kind": {"$ref": "#/components/schemas/Kind"}}},
        "Kind": {"type": "string", "enum": ["cat", "dog"]}}}})
    return write(folder / "api.yaml", {
        "openapi": "3.1.0", "info": {"title": "m", "version": "1"},
        "paths": {"/pets": {"get": {"operationId": "listPets", "tags": ["pets"], "responses": {"200": {
            "description": "ok", "content": {"application/json": {"schema": {
                "type": "array", "items": {"$ref": "common.yaml#/components/schemas/Pet"}}}}}}}}},
    })


def test_multi_file_relative_refs_are_inlined_as_components(tmp_path: Path) -> None:
    data = imported(tmp_path, multi_file(tmp_path / "src"), "multi")
    schemas = data["components"]["schemas"]
    assert list(schemas) == ["Pet", "Kind", "owner"]
    assert schemas["Pet"]["properties"] == {"owner": {"$ref": "#/components/schemas/owner"},
                                            "kind": {"$ref": "#/components/schemas/Kind"}}
    items = data["paths"]["/pets"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["items"]
    assert items == {"$ref": "#/components/schemas/Pet"}
    assert specgen("validate", tmp_path / "specs" / "multi.yaml").exit_code == 0


def test_swagger2_multi_file_with_shared_parameters_responses_and_path_items(tmp_path: Path) -> None:
    folder = tmp_path / "src"
    write(folder / "defs.yaml", {"definitions": {
        "Item": {"type": "object", "properties": {"id": {"type": "string"}, "sub": {"$ref": "#/definitions/Sub"}}},
        "Sub": {"type": "object", "properties": {"x": {"type": "integer", "x-nullable": True}}}}})
    write(folder / "items.yaml", {"get": {"operationId": "listItems", "parameters": [{"$ref": "api.yaml#/parameters/limit"}],
                                          "responses": {"200": {"description": "ok", "schema": {
                                              "type": "array", "items": {"$ref": "defs.yaml#/definitions/Item"}}}}}})
    source = write(folder / "api.yaml", {
        "swagger": "2.0", "info": {"title": "t", "version": "1"}, "basePath": "/api",
        "parameters": {"limit": {"name": "limit", "in": "query", "type": "integer"},
                       "itemBody": {"name": "item", "in": "body", "required": True,
                                    "schema": {"$ref": "defs.yaml#/definitions/Item"}}},
        "responses": {"NotFound": {"description": "nf", "schema": {"$ref": "#/definitions/Err"}}},
        "definitions": {"Err": {"type": "object", "properties": {"message": {"type": "string"}}}},
        "paths": {"/items": {"$ref": "items.yaml"},
                  "/items/new": {"post": {"parameters": [{"$ref": "#/parameters/itemBody"}], "responses": {
                      "200": {"description": "ok"}, "404": {"$ref": "#/responses/NotFound"}}}}},
    })
    data = imported(tmp_path, source, "sw")
    assert data["servers"] == [{"url": "/api"}]
    listing = data["paths"]["/items"]["get"]
    assert listing["parameters"] == [{"$ref": "#/components/parameters/limit"}]
    assert listing["x-specgen-resource"] == "items" and "x-specgen-method" not in listing
    new = data["paths"]["/items/new"]["post"]
    assert new["requestBody"] == {"$ref": "#/components/requestBodies/itemBody"}
    assert new["responses"]["404"] == {"$ref": "#/components/responses/NotFound"}
    components = data["components"]
    assert list(components["schemas"]) == ["Err", "Item", "Sub"]
    assert components["schemas"]["Sub"]["properties"]["x"] == {"type": ["integer", "null"]}
    assert components["parameters"]["limit"] == {"name": "limit", "in": "query", "schema": {"type": "integer"}}
    assert components["requestBodies"]["itemBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Item"}
    assert specgen("validate", tmp_path / "specs" / "sw.yaml").exit_code == 0


def test_refs_outside_the_source_folder_are_refused(tmp_path: Path) -> None:
    write(tmp_path / "secret.yaml", {"type": "string"})
    for ref in ("../secret.yaml", str(tmp_path / "secret.yaml"), f"file://{tmp_path}/secret.yaml"):
        source = write(tmp_path / "src" / "api.yaml", {
            "openapi": "3.1.0", "info": {"title": "m", "version": "1"},
            "paths": {"/x": {"get": {"operationId": "x", "tags": ["x"], "responses": {"200": {
                "description": "ok", "content": {"application/json": {"schema": {"$ref": ref}}}}}}}}})
        result = specgen("import", source, "--provider", "leak", "--specs", tmp_path / "specs")
        assert result.exit_code == 2 and "Traceback" not in result.output, result.output
        assert not (tmp_path / "specs" / "leak.yaml").exists()


def test_url_source_with_same_origin_relative_refs(tmp_path: Path, httpserver: HTTPServer) -> None:
    folder = tmp_path / "served"
    multi_file(folder)
    for path in sorted(folder.rglob("*.*")):
        httpserver.expect_request("/specs/" + path.relative_to(folder).as_posix()).respond_with_data(path.read_bytes())
    data = imported(tmp_path, httpserver.url_for("/specs/api.yaml"), "remote")
    assert list(data["components"]["schemas"]) == ["Pet", "Kind", "owner"]
    local = imported(tmp_path / "local", multi_file(tmp_path / "src"), "remote")
    assert {k: v for k, v in data.items()} == local


def test_url_source_refuses_refs_to_another_origin(tmp_path: Path, httpserver: HTTPServer) -> None:
    other = httpserver.url_for("/x.json").replace("localhost", "127.0.0.1").replace("127.0.0.1", "127.0.0.2", 1)
    document = {"openapi": "3.1.0", "info": {"title": "m", "version": "1"},
                "paths": {"/x": {"get": {"operationId": "x", "tags": ["x"], "responses": {"200": {
                    "description": "ok", "content": {"application/json": {"schema": {"$ref": other}}}}}}}}}
    httpserver.expect_request("/api.json").respond_with_json(document)
    result = specgen("import", httpserver.url_for("/api.json"), "--provider", "remote", "--specs", tmp_path / "specs")
    assert result.exit_code == 2 and "leads to another origin" in result.output, result.output
    assert not (tmp_path / "specs").exists()


# -- selection -------------------------------------------------------------------------------------


def test_tag_and_operation_selection_keep_exactly_the_reachable_components(tmp_path: Path) -> None:
    source = write(tmp_path / "swagger.json", SWAGGER)
    data = imported(tmp_path, source, "pets", "--tag", "pets")
    assert ops(data) == ["POST /pets"]
    assert list(data["components"]["schemas"]) == ["Pet", "Owner"]  # Owner only through Pet
    assert set(data["components"]["securitySchemes"]) == {"basic", "key", "oauth"}
    data = imported(tmp_path, AIRPLANE, "air", "--operation", "getRun", "--operation", "POST /tasks/execute")
    assert ops(data) == ["GET /runs/get", "POST /tasks/execute"]
    schemas = set(data["components"]["schemas"])
    source_schemas = set(yaml.safe_load(AIRPLANE.read_text())["components"]["schemas"])
    assert "GetRunResponse" in schemas and "ListRunsResponse" not in schemas and schemas < source_schemas
    assert [t["name"] for t in data.get("tags", [])] == ["Runs", "Tasks"]
    assert specgen("validate", tmp_path / "specs" / "air.yaml").exit_code == 0


# -- references into the middle of objects ------------------------------------------------------

DEEP_REFS = {
    "openapi": "3.0.1", "info": {"title": "t", "version": "1"},
    "paths": {
        "/jobs/{id}": {"get": {"operationId": "getJob", "parameters": [
            {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}], "responses": {
            "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Job"}}}},
            "401": {"description": "Not authorized", "content": {"application/json": {"schema": {
                "$ref": "#/components/schemas/Problem"}}}}}}},
        "/answers": {"post": {"operationId": "answer", "requestBody": {"content": {"application/json": {"schema": {
            "type": "object", "properties": {
                "response": {"$ref": "#/components/schemas/Question/properties/response",
                             "description": "Your answer."},
                "owner": {"$ref": "#/components/schemas/Question/properties/owner"}}}}}},
            "responses": {"401": {"$ref": "#/paths/~1jobs~1%7Bid%7D/get/responses/401"}}}},
    },
    "components": {"schemas": {
        "Job": {"type": "object", "properties": {"id": {"type": "string"}}},
        "Problem": {"type": "object", "properties": {"title": {"type": "string"}}},
        "Owner": {"type": "object", "properties": {"name": {"type": "string"}}},
        "Question": {"type": "object", "properties": {
            "response": {"type": "string", "description": "The answer.", "maxLength": 17, "nullable": True},
            "owner": {"$ref": "#/components/schemas/Owner"}}},
    }},
}


def test_refs_into_schemas_and_paths_are_inlined_and_every_ref_resolves(tmp_path: Path) -> None:
    source = write(tmp_path / "deep.json", DEEP_REFS)
    data = imported(tmp_path, source, "deep", "--operation", "answer")
    post = data["paths"]["/answers"]["post"]
    properties = post["requestBody"]["content"]["application/json"]["schema"]["properties"]
    # The copy is converted to 3.1 like its original, and the description next to the $ref wins.
    assert properties["response"] == {"type": ["string", "null"], "description": "Your answer.", "maxLength": 17}
    assert properties["owner"] == {"$ref": "#/components/schemas/Owner"}
    # `%7B`/`%7D` are percent-decoded before `~1` is unescaped: the path /jobs/{id} (RFC 6901 §6).
    assert post["responses"]["401"] == {"description": "Not authorized", "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Problem"}}}}
    assert list(data["components"]["schemas"]) == ["Problem", "Owner"]  # reached through the copies
    assert "/jobs/{id}" not in data["paths"]
    assert specgen("validate", tmp_path / "specs" / "deep.yaml").exit_code == 0


def test_a_cycle_of_references_into_objects_is_refused(tmp_path: Path) -> None:
    document = json.loads(json.dumps(DEEP_REFS))
    document["components"]["schemas"]["Question"]["properties"]["response"] = {
        "type": "array", "items": {"$ref": "#/components/schemas/Question/properties/response"}}
    result = specgen("import", write(tmp_path / "loop.json", document), "--provider", "loop", "--specs", tmp_path / "specs")
    assert result.exit_code == 2 and "leads back to itself" in result.output, result.output


def test_ref_pointers_are_percent_decoded_before_unescaping() -> None:
    assert spec.ref_pointer("#/paths/~1jobs~1%7Bid%7D/get") == ("paths", "/jobs/{id}", "get")
    assert spec.ref_pointer("#/components/schemas/A~01%25") == ("components", "schemas", "A~1%")


# -- method names derived from paths ---------------------------------------------------------------


def test_methods_derived_from_paths_that_would_clash_keep_the_version(tmp_path: Path) -> None:
    ok = {"200": {"description": "ok"}}
    logs = {"get": {"tags": ["logs"], "responses": ok}, "delete": {"tags": ["logs"], "responses": ok}}
    source = write(tmp_path / "logs.json", {
        "openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {
            "/logs": logs, "/v3/logs": logs, "/v4/logs": {"get": {"tags": ["logs"], "operationId": "getV4Logs",
                                                                   "responses": ok}},
            "/v4/logs/": {"get": {"tags": ["logs"], "responses": ok}}}})
    data = imported(tmp_path, source, "logs")
    methods = {f"{m} {p}": op.get("x-specgen-method") for p, item in data["paths"].items() for m, op in item.items()}
    assert methods == {"get /logs": "get_logs", "delete /logs": "delete_logs", "get /v3/logs": "get_v3_logs",
                       "delete /v3/logs": "delete_v3_logs", "get /v4/logs": None, "get /v4/logs/": "get_v4_logs_2"}
    # The generator names a spec without x-specgen-method the same way.
    path = tmp_path / "specs" / "logs.yaml"
    path.write_text(path.read_text().replace("x-specgen-method:", "x-was:"))
    (package,) = pipeline.build_all([path])
    names = [op.name for resource in package.api.resources for op in resource.operations]
    assert names == ["get_logs", "delete_logs", "get_v3_logs", "delete_v3_logs", "get_v4_logs", "get_v4_logs_2"]


# -- bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["missing", "not-a-spec", "unknown-operation", "bad-name", "bad-yaml", "reserved-name", "alias-bomb"])
def test_bad_input_exits_2_with_a_message_and_writes_nothing(tmp_path: Path, case: str) -> None:
    source, provider, extra = str(KUBEFLOW), "kfp", []
    if case == "missing":
        source, expected = str(tmp_path / "nope.json"), "no such file"
    elif case == "not-a-spec":
        source, expected = str(write(tmp_path / "x.yaml", {"hello": "world"})), "not an OpenAPI 3.0/3.1 or Swagger 2.0 document"
    elif case == "unknown-operation":
        extra, expected = ["--operation", "RunService_Nope"], "unknown --operation RunService_Nope"
    elif case == "bad-name":
        provider, expected = "my-api", "'my-api' is not a valid provider name"
    elif case == "reserved-name":
        provider, expected = "json", "'json' is the name of a standard-library module or a dependency"
    elif case == "alias-bomb":
        lines = ["openapi: 3.0.0", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
        (tmp_path / "bomb.yaml").write_text("\n".join(lines) + "\n")
        source, expected = str(tmp_path / "bomb.yaml"), "not a JSON or YAML document"
    else:
        (tmp_path / "bad.yaml").write_text("openapi: 3.0.0\npaths: [\n")
        source, expected = str(tmp_path / "bad.yaml"), "bad.yaml:3: error: not a JSON or YAML document"
    # A real process: the message, exit 2 and no traceback are what a user sees.
    done = subprocess.run([sys.executable, "-m", "specgen", "import", source, "--provider", provider,
                           "--specs", str(tmp_path / "specs"), *extra], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert expected in done.stderr and "hint:" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert not (tmp_path / "specs").exists() or not any((tmp_path / "specs").iterdir())


# -- the @readme/oas-examples documents -------------------------------------------------------------


@pytest.fixture(scope="session")
def oas_examples() -> Path:
    """The unpacked npm package, cached under ~/.cache/specgen-tests (or the temp dir); npm must work."""
    cache = Path.home() / ".cache" / "specgen-tests"
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError:
        cache = Path(tempfile.gettempdir()) / "specgen-tests"
        cache.mkdir(parents=True, exist_ok=True)
    folder = cache / "oas-examples-8.2.2"
    if not (folder / "package" / EXAMPLE_DOCUMENTS[-1]).is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail(f"npm is not installed: it is needed to fetch {OAS_EXAMPLES}")
        staging = Path(tempfile.mkdtemp(dir=cache))
        done = subprocess.run([npm, "pack", OAS_EXAMPLES, "--pack-destination", str(staging)],
                              capture_output=True, text=True, timeout=180)
        if done.returncode != 0:
            pytest.fail(f"npm pack {OAS_EXAMPLES} failed:\n{done.stderr}")
        with tarfile.open(next(staging.glob("*.tgz"))) as archive:
            archive.extractall(staging, filter="data")
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        (staging / "package").rename(folder / "package")
        shutil.rmtree(staging, ignore_errors=True)
    return folder / "package"


#: Operations of each document: every one becomes a typed method.
EXPECTED = {
    "3.0/json/petstore.json": 20,
    "3.1/json/petstore.json": 20,
    "3.1/json/train-travel.json": 7,
}


@pytest.mark.parametrize("document", EXAMPLE_DOCUMENTS)
def test_oas_examples_import_and_generate_typed_clients(oas_examples: Path, tmp_path: Path, document: str) -> None:
    """Import + generate with no hand edits: every operation a method, every response with a schema
    typed (never ``Any``), and the package passes ``mypy --strict``."""
    source = oas_examples / document
    result = import_run.import_spec(str(source), "example", tmp_path / "specs")
    assert result.operations == EXPECTED[document] and result.refused == [], result.refused
    spec.load(result.path)
    generated = subprocess.run([sys.executable, "-m", "specgen", "generate"], cwd=tmp_path,
                               capture_output=True, text=True, timeout=300, check=False)
    assert generated.returncode == 0, generated.stderr
    package = tmp_path / "generated" / "example"
    methods = _methods(package)
    assert len(methods) == EXPECTED[document], methods
    for method, returns in methods.items():
        assert "Any" not in returns, f"{document}: {method} returns {returns}"
    typed = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "example"],
                           cwd=package.parent, capture_output=True, text=True, timeout=600, check=False)
    assert typed.returncode == 0, typed.stdout + typed.stderr
    print(f"{document}: {EXPECTED[document]} operations imported, generated, typed and mypy --strict clean")


def _methods(package: Path) -> dict[str, str]:
    """Every public method of the sync resource classes, with its return annotation."""
    import ast

    methods: dict[str, str] = {}
    for module in sorted((package / "resources").glob("*.py")):
        tree = ast.parse(module.read_text())
        classes = [n for n in tree.body if isinstance(n, ast.ClassDef) and not n.name.startswith("Async")]
        for cls in classes:
            for item in cls.body:
                if (isinstance(item, ast.FunctionDef) and not item.name.startswith(("_", "iter_"))
                        and item.returns is not None):
                    methods[f"{module.stem}.{item.name}"] = ast.unparse(item.returns)
    return methods


def test_an_untagged_operation_gets_a_resource_the_client_does_not_own(tmp_path: Path) -> None:
    """``/request`` (betfair.com) and ``/close`` (telegram.org) would name resources after the
    client's own ``request`` and ``close``: the import writes ``request_`` and ``close_``, which
    generate, instead of a name the generator then refuses."""
    ok = {"200": {"description": "ok"}}
    source = tmp_path / "source.json"
    source.write_text(json.dumps({"openapi": "3.0.3", "info": {"title": "T", "version": "1"},
                                  "paths": {"/request": {"post": {"operationId": "postRequest", "responses": ok}},
                                            "/close": {"post": {"operationId": "close", "responses": ok}}}}))
    data = imported(tmp_path, source, "odd")
    assert data["paths"]["/request"]["post"]["x-specgen-resource"] == "request_"
    assert data["paths"]["/close"]["post"]["x-specgen-resource"] == "close_"
