"""Tests of the Prism harness (tests/prism.py) against a tiny OpenAPI 3.1 document.

They pin the Prism behaviour that client contract tests rely on: static answers come
from the spec's examples, invalid requests are rejected with 422 naming the problem, and
missing credentials get 401.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import jsonschema  # type: ignore[import-untyped, unused-ignore]
import pytest
import yaml  # type: ignore[import-untyped, unused-ignore]

from prism import run_prism

SPEC = """\
openapi: 3.1.0
info: {title: harness, version: "1"}
security: [{bearer: []}]
paths:
  /runs:
    get:
      operationId: list_runs
      parameters:
        - {name: limit, in: query, required: true, schema: {type: integer, minimum: 1}}
      responses:
        "200":
          description: A page of runs.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/RunList"}
  /runs/{run_id}:archive:
    post:
      operationId: archive_run
      security: [{apiKey: []}]
      parameters:
        - {name: run_id, in: path, required: true, schema: {type: string}}
      responses:
        "204": {description: Archived.}
  /experiments:
    get:
      operationId: list_experiments
      parameters:
        - {name: project, in: query, required: true, schema: {type: string}}
      responses:
        "200":
          description: Experiment names.
          content:
            application/json:
              schema: {type: array, items: {type: string}}
              examples:
                two: {value: [exp-1, exp-2]}
        default:
          description: Any error.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
    apiKey: {type: apiKey, in: header, name: X-API-Key}
  schemas:
    Status: {type: string, enum: [queued, running, done]}
    Error:
      type: object
      required: [code, message]
      properties:
        code: {type: string, examples: [invalid]}
        message: {type: string}
    Run:
      type: object
      required: [id, status, note]
      properties:
        id: {type: string, examples: ["run-123"]}
        status: {$ref: "#/components/schemas/Status"}
        note: {type: [string, "null"], examples: [null]}
    RunList:
      type: object
      required: [runs]
      properties:
        runs:
          type: array
          items: {$ref: "#/components/schemas/Run"}
"""

BEARER = {"Authorization": "Bearer test-token"}


@pytest.fixture(scope="module")
def spec_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("prism") / "harness.yaml"
    path.write_text(SPEC)
    return path


@pytest.fixture(scope="module")
def client(spec_file: Path) -> Iterator[httpx.Client]:
    # One Prism for the module: each start costs ~2 s. trust_env=False: no proxies.
    with (
        run_prism(spec_file) as base_url,
        httpx.Client(base_url=base_url, timeout=10, trust_env=False) as http,
    ):
        yield http


def violations(response: httpx.Response) -> list[dict[str, object]]:
    """What Prism found wrong with a request.

    When the spec has no 422/400/default response, Prism writes its own problem+json
    body with a ``validation`` list; otherwise it sends the spec's error example and
    the list only travels in the ``sl-violations`` header.
    """
    if "sl-violations" in response.headers:
        found = json.loads(response.headers["sl-violations"])
    else:
        assert response.headers["content-type"].startswith("application/problem+json")
        found = response.json()["validation"]
    assert isinstance(found, list)
    return found


def test_base_url_is_loopback(client: httpx.Client) -> None:
    url = urlsplit(str(client.base_url))
    assert url.scheme == "http" and url.hostname == "127.0.0.1" and url.port


def test_valid_request_gets_static_example(client: httpx.Client) -> None:
    response = client.get("/runs", params={"limit": 2}, headers=BEARER)

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert "sl-violations" not in response.headers  # Prism found its answer valid
    document = yaml.safe_load(SPEC)
    schema = {
        "$ref": "#/components/schemas/RunList",
        "components": document["components"],
    }
    jsonschema.Draft202012Validator(schema).validate(response.json())
    # Static mode uses property `examples`; an enum without one gets its first value.
    assert response.json() == {
        "runs": [{"id": "run-123", "status": "queued", "note": None}]
    }


def test_missing_required_query_parameter_is_rejected(client: httpx.Client) -> None:
    response = client.get("/runs", headers=BEARER)

    assert response.status_code == 422, response.text
    [problem] = violations(response)
    assert problem["code"] == "required"
    assert problem["message"] == "Request query must have required property 'limit'"
    assert response.json()["title"] == "Invalid request"


def test_mistyped_query_parameter_is_rejected(client: httpx.Client) -> None:
    response = client.get("/runs", params={"limit": "many"}, headers=BEARER)

    assert response.status_code == 422, response.text
    [problem] = violations(response)
    assert problem["code"] == "type"
    assert "limit must be integer" in str(problem["message"])


def test_invalid_request_with_default_response_uses_the_specs_error_body(
    client: httpx.Client,
) -> None:
    # Real specs declare `default` error responses: Prism keeps 422 but sends that
    # response's example (placeholders for required properties without one), so only
    # the sl-violations header names the problem.
    response = client.get("/experiments", headers=BEARER)

    assert response.status_code == 422, response.text
    assert response.json() == {"code": "invalid", "message": "string"}
    [problem] = violations(response)
    assert problem["message"] == "Request query must have required property 'project'"


def test_media_type_example_is_returned_verbatim(client: httpx.Client) -> None:
    response = client.get("/experiments", params={"project": "p"}, headers=BEARER)

    assert response.status_code == 200, response.text
    assert response.json() == ["exp-1", "exp-2"]


def test_missing_bearer_token_is_rejected(client: httpx.Client) -> None:
    response = client.get("/runs", params={"limit": 2})

    assert response.status_code == 401, response.text
    assert response.json()["title"] == "Invalid security scheme used"


def test_missing_api_key_is_rejected(client: httpx.Client) -> None:
    # Also covers a path with a `:verb` suffix after a parameter.
    assert client.post("/runs/run-1:archive").status_code == 401
    assert client.post("/runs/run-1:archive", headers=BEARER).status_code == 401
    response = client.post("/runs/run-1:archive", headers={"X-API-Key": "k"})
    assert response.status_code == 204, response.text


def test_prism_is_stopped_on_exit(spec_file: Path) -> None:
    with run_prism(spec_file) as base_url:
        port = urlsplit(base_url).port
        assert port is not None
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            pass
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


def test_unloadable_spec_fails_with_prisms_output(tmp_path: Path) -> None:
    spec = tmp_path / "broken.yaml"
    spec.write_text(
        SPEC.replace(
            '$ref: "#/components/schemas/RunList"', '$ref: "#/components/schemas/Nope"'
        )
    )

    with pytest.raises(RuntimeError, match=r"(?s)Prism exited.*Nope"), run_prism(spec):
        pytest.fail("Prism should not have started")


def test_dynamic_mode_is_seeded(spec_file: Path) -> None:
    with (
        run_prism(spec_file, dynamic=True) as base_url,
        httpx.Client(base_url=base_url, trust_env=False) as http,
    ):
        first = http.get("/runs", params={"limit": 1}, headers=BEARER)
        second = http.get("/runs", params={"limit": 1}, headers=BEARER)

    assert first.status_code == 200, first.text
    assert "sl-violations" not in first.headers
    assert all(
        run["status"] in {"queued", "running", "done"} for run in first.json()["runs"]
    )
    assert first.json() == second.json()  # --seed: same request, same data
