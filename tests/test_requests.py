"""Every generated client method sends the request its spec documents, to a real HTTP server.

Two layers, both against pytest-httpserver with the sync and the async client:

- Every operation of every spec in ``specs/`` is called with arguments derived from its schemas
  (``spec_calls.py``), and the request the server logged is compared with what the spec documents
  for them: method, raw path, query pairs, headers, credential, and a JSON body that is exactly
  the one given and valid for the spec's schema. The answer, synthesised from the success schema,
  must come back as the documented type. A spec added to ``specs/`` is covered with no edits here.
- OPERATIONS, a hand-written table for the four providers of this repository, pins realistic calls
  (wire names, values with reserved characters, nested models) and the exact request each must
  produce, written from the spec, not from the generated code.
"""

from __future__ import annotations

import base64
import importlib
import inspect
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import jsonschema
import pytest
import yaml  # type: ignore[import-untyped, unused-ignore]
from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Request

import spec_calls
from servers import recording_client

SPECS = Path(__file__).resolve().parent.parent / "specs"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
MODES = ("sync", "async")
NO_BODY: Any = object()  # the request carries no body
EMPTY: Any = object()  # the server answers 200 with an empty body


# -- the spec documents ---------------------------------------------------------------------------


def load_spec(provider: str) -> dict[str, Any]:
    """The parsed specs/<provider>.yaml."""
    return yaml.safe_load((SPECS / f"{provider}.yaml").read_text())


def spec_operations() -> dict[tuple[str, str, str], dict[str, Any]]:
    """Every operation of every spec, keyed by (provider, HTTP method, path template)."""
    found = {}
    for spec_file in sorted(SPECS.glob("*.yaml")):
        for template, item in load_spec(spec_file.stem)["paths"].items():
            for method in HTTP_METHODS:
                if method in item:
                    found[spec_file.stem, method.upper(), template] = item[method]
    return found


def response_example(provider: str, template: str, method: str, name: str = "seed") -> Any:
    """The named example of an operation's 200 response in the spec."""
    response = load_spec(provider)["paths"][template][method]["responses"]["200"]
    return response["content"]["application/json"]["examples"][name]["value"]


def schema_example(provider: str, schema: str, **overrides: Any) -> dict[str, Any]:
    """An object of a spec schema built from its properties' `examples`, with some fields replaced."""
    properties = load_spec(provider)["components"]["schemas"][schema]["properties"]
    example = {name: prop["examples"][0] for name, prop in properties.items() if "examples" in prop}
    return {**example, **overrides}


# -- providers and the operation table ------------------------------------------------------------


#: Every spec's package, its client class, server base path and test credentials (derived from specs/).
PROVIDERS = spec_calls.providers()


client_class = spec_calls.client_class


def auth_header(provider: str) -> tuple[str, str]:
    """The credential header of the spec's default security requirement, as the spec documents it."""
    api = PROVIDERS[provider].api
    [(location, name, value)] = spec_calls.credentials_sent(PROVIDERS[provider], api.default_security[0][0])
    assert location == "header"
    return name, value


@dataclass
class Op:
    """One spec operation: the call to make, the documented request, and the answer to serve."""

    provider: str
    resource: str
    method: str
    call: dict[str, Any]
    http_method: str
    template: str  # the path as written in the spec (for the coverage meta-test)
    path: str  # the full raw path on the wire, server base path included
    query: dict[str, str] = field(default_factory=dict)
    json: Any = NO_BODY
    body: Callable[[Any], Any] | None = None  # models module -> the `body=` model instance
    response: Any = EMPTY
    returns: str = "None"  # name of the returned model in <package>.models, "dict" or "None"
    check: tuple[str, Any] | None = None  # (dotted attribute path into the result, expected value)
    client_kwargs: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.client_kwargs = self.client_kwargs or dict(PROVIDERS[self.provider].credentials)
        self.headers = self.headers or dict([auth_header(self.provider)])


def op_id(op: Op) -> str:
    """The test id of a row: provider.resource.method."""
    return f"{op.provider}.{op.resource}.{op.method}"


def models(provider: str) -> Any:
    """The generated models module of a provider."""
    return importlib.import_module(f"{PROVIDERS[provider].package}.models")


def call_kwargs(provider: str, call: Mapping[str, Any], body: Callable[[Any], Any] | None) -> dict[str, Any]:
    """The keyword arguments of a call, with the `body=` model built now (not at import time)."""
    return {**call, **({} if body is None else {"body": body(models(provider))})}


AIRPLANE_RUN = schema_example("airplane", "GetRunResponse", id="run20220215zv10o6s52qj")
KUBEFLOW_RUN = {
    "run_id": "run-1", "display_name": "nightly", "experiment_id": "exp-1", "pipeline_id": "pipe-1",
    "storage_state": "AVAILABLE", "state": "RUNNING", "created_at": "2023-05-01T10:00:00Z",
}
NF_RUN_PATH = "/v1/projects/{projectId}/jobs/{jobId}/runs/{runId}"
NF_RUNS_PATH = "/v1/projects/{projectId}/jobs/{jobId}/runs"
NF_TEAM_RUN_PATH = "/v1/teams/{teamId}/projects/{projectId}/jobs/{jobId}/runs/{runId}"
NF_IDS = {"project_id": "default-project", "job_id": "example-job"}
NF_RUN_ID = "d34582a4-35bd-4c71-8e7c-e36999b88723"
KF = "/apis/v2beta1"


def build_operations() -> list[Op]:
    """The table: one row per operation of every spec."""
    return [
        # -- Airplane: base URL https://api.airplane.dev/v0, key in X-Airplane-API-Key ------------
        Op("airplane", "runs", "cancel", {}, "POST", "/runs/cancel", "/v0/runs/cancel",
           body=lambda m: m.CancelRunRequest(run_id="run20220111zlq2ig4"),
           json={"runID": "run20220111zlq2ig4"}, response=EMPTY, returns="None"),
        Op("airplane", "runs", "get", {"id": "run20220215zv10o6s52qj"},
           "GET", "/runs/get", "/v0/runs/get", query={"id": "run20220215zv10o6s52qj"},
           response=AIRPLANE_RUN, returns="GetRunResponse", check=("task_id", "tsk20210728zxb2vxn")),
        Op("airplane", "runs", "get_outputs", {"id": "run20220215zv10o6s52qj"},
           "GET", "/runs/getOutputs", "/v0/runs/getOutputs", query={"id": "run20220215zv10o6s52qj"},
           response=schema_example("airplane", "GetOutputsResponse"), returns="GetOutputsResponse",
           check=("output.weight", "1.008")),
        Op("airplane", "runs", "list",
           {"limit": 10, "page": 3, "since": "2022-01-01T12:00:00-00:00", "task_id": "tsk20210728zxb2vxn",
            "task_slug": "hello_world", "until": "2022-01-01T13:00:00+01:00"},
           "GET", "/runs/list", "/v0/runs/list",
           query={"limit": "10", "page": "3", "since": "2022-01-01T12:00:00-00:00",
                  "taskID": "tsk20210728zxb2vxn", "taskSlug": "hello_world",
                  "until": "2022-01-01T13:00:00+01:00"},
           response={"runs": [AIRPLANE_RUN]}, returns="ListRunsResponse",
           check=("runs.0.id", "run20220215zv10o6s52qj")),
        # -- Kubeflow: no server (user-supplied base URL), bearer token ------------------------------
        Op("kubeflow", "runs", "create", {"experiment_id": "exp-1"},
           "POST", f"{KF}/experiments/{{run.experiment_id}}/runs", f"{KF}/experiments/exp-1/runs",
           body=lambda m: m.ApiRun(display_name="nightly", pipeline_id="pipe-1",
                                   service_account="pipeline-runner",
                                   runtime_config=m.ApiRuntimeConfig(parameters={"lr": {"number_value": 0.1}},
                                                                     pipeline_root="gs://bucket/root")),
           json={"display_name": "nightly", "pipeline_id": "pipe-1", "service_account": "pipeline-runner",
                 "runtime_config": {"parameters": {"lr": {"number_value": 0.1}},
                                    "pipeline_root": "gs://bucket/root"}},
           response=KUBEFLOW_RUN, returns="ApiRun", check=("state.value", "RUNNING")),
        Op("kubeflow", "runs", "list",
           {"page_token": "tok-1", "page_size": 25, "sort_by": "created_at desc", "namespace": "team-a",
            "filter": '{"predicates": [{"key": "name", "op": "EQUALS", "string_value": "a&b=c"}]}',
            "experiment_id": "exp-1"},
           "GET", f"{KF}/runs", f"{KF}/runs",
           query={"page_token": "tok-1", "page_size": "25", "sort_by": "created_at desc",
                  "namespace": "team-a",
                  "filter": '{"predicates": [{"key": "name", "op": "EQUALS", "string_value": "a&b=c"}]}',
                  "experiment_id": "exp-1"},
           response={"runs": [KUBEFLOW_RUN], "total_size": 1, "next_page_token": "tok-2"},
           returns="ApiListRunsResponse", check=("next_page_token", "tok-2")),
        Op("kubeflow", "runs", "get", {"run_id": "run-1"},
           "GET", f"{KF}/runs/{{run_id}}", f"{KF}/runs/run-1",
           response=KUBEFLOW_RUN, returns="ApiRun", check=("display_name", "nightly")),
        Op("kubeflow", "runs", "delete", {"run_id": "run-1"},
           "DELETE", f"{KF}/runs/{{run_id}}", f"{KF}/runs/run-1",
           response={}, returns="dict", check=("", {})),
        Op("kubeflow", "runs", "read_artifact",
           {"run_id": "run-1", "node_id": "node-7", "artifact_name": "metrics"},
           "GET", f"{KF}/runs/{{run_id}}/nodes/{{node_id}}/artifacts/{{artifact_name}}:read",
           f"{KF}/runs/run-1/nodes/node-7/artifacts/metrics:read",
           response={"data": "aGVsbG8="}, returns="ApiReadArtifactResponse", check=("data", "aGVsbG8=")),
        Op("kubeflow", "runs", "archive", {"run_id": "run-1"},
           "POST", f"{KF}/runs/{{run_id}}:archive", f"{KF}/runs/run-1:archive",
           response={}, returns="dict", check=("", {})),
        Op("kubeflow", "runs", "report_metrics", {"run_id": "run-1"},
           "POST", f"{KF}/runs/{{run_id}}:reportMetrics", f"{KF}/runs/run-1:reportMetrics",
           body=lambda m: m.ApiReportRunMetricsRequest(run_id="run-1", metrics=[
               m.ApiRunMetric(display_name="accuracy", node_id="node-7", number_value=0.93,
                              format=m.RunMetricFormat.PERCENTAGE)]),
           json={"run_id": "run-1", "metrics": [{"display_name": "accuracy", "node_id": "node-7",
                                                 "number_value": 0.93, "format": "PERCENTAGE"}]},
           response={"metric_name": "accuracy", "metric_node_id": "node-7", "status": "OK"},
           returns="ApiReportRunMetricsResponse", check=("status.value", "OK")),
        Op("kubeflow", "runs", "terminate", {"run_id": "run-1"},
           "POST", f"{KF}/runs/{{run_id}}:terminate", f"{KF}/runs/run-1:terminate",
           response={}, returns="dict", check=("", {})),
        Op("kubeflow", "runs", "unarchive", {"run_id": "run-1"},
           "POST", f"{KF}/runs/{{run_id}}:unarchive", f"{KF}/runs/run-1:unarchive",
           response={}, returns="dict", check=("", {})),
        # -- ComfyDeploy: base URL https://www.comfydeploy.com/api, bearer token --------------------
        Op("comfydeploy", "run", "get", {"run_id": "9c7e3b52-1f4a-4d8e-b6a2-3e5f7d9c1a20"},
           "GET", "/run", "/api/run", query={"run_id": "9c7e3b52-1f4a-4d8e-b6a2-3e5f7d9c1a20"},
           response=response_example("comfydeploy", "/run", "get"), returns="GetRunResponseBody",
           check=("outputs.0.data.images.0.filename", "ComfyUI_00001_.png")),
        # -- Northflank: base URL https://api.northflank.com, bearer token (or basic) ---------------
        Op("northflank", "jobs", "get_run", {**NF_IDS, "run_id": NF_RUN_ID},
           "GET", NF_RUN_PATH, f"/v1/projects/default-project/jobs/example-job/runs/{NF_RUN_ID}",
           response=response_example("northflank", NF_RUN_PATH, "get"), returns="GetJobRunResponse",
           check=("data.run_name", "example-job-5fcf67bc56e1913e21d49504")),
        Op("northflank", "jobs", "abort_run", {**NF_IDS, "run_id": NF_RUN_ID},
           "DELETE", NF_RUN_PATH, f"/v1/projects/default-project/jobs/example-job/runs/{NF_RUN_ID}",
           response=response_example("northflank", NF_RUN_PATH, "delete"), returns="AbortJobRunResponse",
           check=("data", {})),
        Op("northflank", "jobs", "get_team_run", {"team_id": "my-team", **NF_IDS, "run_id": NF_RUN_ID},
           "GET", NF_TEAM_RUN_PATH,
           f"/v1/teams/my-team/projects/default-project/jobs/example-job/runs/{NF_RUN_ID}",
           response=response_example("northflank", NF_TEAM_RUN_PATH, "get"), returns="GetJobRunResponse",
           check=("data.started_at", "2020-12-08T11:47:08Z")),
        Op("northflank", "jobs", "list_runs", {**NF_IDS, "per_page": 50, "page": 1, "cursor": "cur-1"},
           "GET", NF_RUNS_PATH, "/v1/projects/default-project/jobs/example-job/runs",
           query={"per_page": "50", "page": "1", "cursor": "cur-1"},
           response=response_example("northflank", NF_RUNS_PATH, "get"), returns="ListJobRunsResponse",
           check=("data.runs.0.status.value", "SUCCESS")),
        Op("northflank", "jobs", "run", NF_IDS,
           "POST", NF_RUNS_PATH, "/v1/projects/default-project/jobs/example-job/runs",
           body=lambda m: m.RunJobRequest(runtime_environment={"VARIABLE_1": "abcdef", "VARIABLE_2": "12345"},
                                          billing={"deploymentPlan": "nf-compute-20"}),
           json={"runtimeEnvironment": {"VARIABLE_1": "abcdef", "VARIABLE_2": "12345"},
                 "billing": {"deploymentPlan": "nf-compute-20"}},
           response=response_example("northflank", NF_RUNS_PATH, "post"), returns="RunJobResponse",
           check=("data.run_name", "example-job-5fcf67bc56e1913e21d49504")),
    ]


OPERATIONS = build_operations()


# -- helpers: serving, calling, checking ----------------------------------------------------------


def expect(httpserver: HTTPServer, http_method: str, path: str, query: Mapping[str, str],
           headers: Mapping[str, str], body: Any, response: Any) -> None:
    """Register one expected request (path given raw, as on the wire) and the answer to it."""
    handler = httpserver.expect_oneshot_request(
        unquote(path), method=http_method, query_string=dict(query), headers=dict(headers),
        **({} if body is NO_BODY else {"json": body}))
    if response is EMPTY:
        handler.respond_with_data("", status=200)
    else:
        handler.respond_with_json(response)


def drain(result: Any) -> Any:
    """A sync iterator as a list; anything else unchanged."""
    return list(result) if isinstance(result, Iterator) else result


async def invoke(httpserver: HTTPServer, provider: str, mode: str, call: Callable[[Any], Any],
                 client_kwargs: Mapping[str, Any] | None = None) -> Any:
    """Build the provider's sync or async client against the test server and return call(client)."""
    info = PROVIDERS[provider]
    kwargs = {**(client_kwargs or info.credentials), "max_retries": 0,
              "base_url": httpserver.url_for(info.base_path or "/")}
    if mode == "sync":
        with client_class(provider, "sync")(**kwargs) as client:
            result = call(client)
            assert not inspect.isawaitable(result) and not hasattr(result, "__aiter__")
            return drain(result)
    async with client_class(provider, "async")(**kwargs) as client:
        result = call(client)
        if hasattr(result, "__aiter__"):
            return [item async for item in result]
        assert inspect.isawaitable(result), "an async client method must return an awaitable"
        return await result


def method_of(resource: str, method: str, **kwargs: Any) -> Callable[[Any], Any]:
    """A call of client.<resource>.<method>(**kwargs)."""
    return lambda client: getattr(getattr(client, resource), method)(**kwargs)


def raw_path(request: Request) -> str:
    """The request target's path exactly as sent, before the server decoded it."""
    target = request.environ.get("RAW_URI") or request.environ["REQUEST_URI"]
    return target.split("?", 1)[0]


def query_pairs(request: Request) -> list[tuple[str, str]]:
    """Every query parameter the request carried, repeats included, sorted."""
    return sorted(parse_qsl(request.query_string.decode(), keep_blank_values=True, strict_parsing=False))


def logged_requests(httpserver: HTTPServer) -> list[Request]:
    """The requests the server received, after checking none of them went unmatched."""
    httpserver.check_assertions()
    return [request for request, _ in httpserver.log]


def assert_auth(request: Request, provider: str) -> None:
    """The documented auth header has exactly the documented value, and no other credential is sent."""
    name, value = auth_header(provider)
    assert request.headers.get(name) == value
    other = "Authorization" if name != "Authorization" else "X-Airplane-API-Key"
    assert other not in request.headers


def assert_body(request: Request, body: Any) -> None:
    """The request's JSON body is exactly `body` (or the request has no body at all)."""
    if body is NO_BODY:
        assert request.get_data() == b""
        return
    assert request.mimetype == "application/json"
    assert json.loads(request.get_data()) == body


def attribute(value: Any, dotted: str) -> Any:
    """Follow a dotted path of attributes, dict keys and list indexes ("" is the value itself)."""
    for part in filter(None, dotted.split(".")):
        if part.isdigit():
            value = value[int(part)]
        elif isinstance(value, Mapping):
            value = value[part]
        else:
            value = getattr(value, part)
    return value


def return_type(op: Op) -> type[Any]:
    """The type the spec says the operation returns, as a generated class."""
    if op.returns == "None":
        return type(None)
    if op.returns == "dict":
        return dict
    return getattr(models(op.provider), op.returns)


# -- every operation, sync and async --------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("op", OPERATIONS, ids=op_id)
async def test_operation_sends_the_documented_request(httpserver: HTTPServer, op: Op, mode: str) -> None:
    """The client sends exactly the spec's request and returns the parsed answer."""
    expect(httpserver, op.http_method, op.path, op.query, op.headers, op.json, op.response)
    kwargs = call_kwargs(op.provider, op.call, op.body)
    result = await invoke(httpserver, op.provider, mode, method_of(op.resource, op.method, **kwargs),
                          op.client_kwargs)
    [request] = logged_requests(httpserver)
    assert request.method == op.http_method
    assert raw_path(request) == op.path
    assert query_pairs(request) == sorted(op.query.items())
    assert {name: request.headers.get(name) for name in op.headers} == op.headers
    assert_auth(request, op.provider)
    assert_body(request, op.json)
    assert type(result) is return_type(op)
    if op.check is not None:
        assert attribute(result, op.check[0]) == op.check[1]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("call", spec_calls.calls(), ids=lambda c: c.id)
async def test_every_operation_sends_what_its_spec_documents(
        httpserver: HTTPServer, call: spec_calls.Call, mode: str) -> None:
    """The derived call of the operation produces the spec's request and the documented return type."""
    handler = httpserver.expect_oneshot_request(unquote(call.path), method=call.http_method)
    if call.response_json is spec_calls.NO_BODY:
        handler.respond_with_data("", status=call.response_status)
    else:
        handler.respond_with_json(call.response_json, status=call.response_status)
    kwargs = dict(call.kwargs)
    if call.body_arg is not None:
        kwargs[call.body_arg] = spec_calls.typed_argument(call, call.body_json)
    http_client, sent = recording_client(mode)
    options = {**call.provider.credentials, "http_client": http_client}
    result = await invoke(httpserver, call.provider.package, mode, method_of(call.resource, call.method, **kwargs),
                          options)
    [request] = logged_requests(httpserver)
    assert request.method == call.http_method
    assert raw_path(request) == call.path
    assert query_pairs(request) == call.query
    expected = {**call.headers, **call.auth}
    assert {name: request.headers.get(name) for name in expected if "_" not in name} == {
        name: value for name, value in expected.items() if "_" not in name}
    [wire] = sent
    assert {name: wire.headers.get(name) for name in expected} == expected
    if call.body_schema is None:
        assert request.get_data() == b""
    elif request.mimetype == "application/json":
        sent = json.loads(request.get_data())
        assert sent == call.body_json
        jsonschema.validate(sent, spec_calls.json_schema(call.provider.spec, call.body_schema))
    assert spec_calls.returns_documented_type(call, result)


# -- path parameters: reserved characters stay inside one segment ---------------------------------


@dataclass(frozen=True)
class Encoded:
    """A call whose path parameters hold reserved characters, and the raw path they must produce."""

    provider: str
    resource: str
    method: str
    call: dict[str, Any]
    http_method: str
    path: str
    response: Any
    json: Any = NO_BODY
    body: Callable[[Any], Any] | None = None


ENCODED = [
    Encoded("kubeflow", "runs", "get", {"run_id": "a/b?c#d"}, "GET", f"{KF}/runs/a%2Fb%3Fc%23d", KUBEFLOW_RUN),
    Encoded("kubeflow", "runs", "archive", {"run_id": "a/b?c#d"}, "POST",
            f"{KF}/runs/a%2Fb%3Fc%23d:archive", {}),
    Encoded("kubeflow", "runs", "create",
            {"experiment_id": "exp/1?x"}, "POST", f"{KF}/experiments/exp%2F1%3Fx/runs", KUBEFLOW_RUN,
            json={"display_name": "n"}, body=lambda m: m.ApiRun(display_name="n")),
    Encoded("northflank", "jobs", "get_team_run",
            {"team_id": "t/1", "project_id": "p?x=1", "job_id": "j#y", "run_id": "50% off & more"},
            "GET", "/v1/teams/t%2F1/projects/p%3Fx%3D1/jobs/j%23y/runs/50%25%20off%20%26%20more",
            response_example("northflank", NF_TEAM_RUN_PATH, "get")),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", ENCODED, ids=lambda c: f"{c.provider}.{c.method}:{c.path.rsplit('/', 1)[-1]}")
async def test_path_parameter_is_percent_encoded_as_one_segment(
        httpserver: HTTPServer, case: Encoded, mode: str) -> None:
    """`/`, `?`, `#`, `%`, `&`, `=` and spaces in a path parameter are escaped, never interpreted."""
    headers = dict([auth_header(case.provider)])
    expect(httpserver, case.http_method, case.path, {}, headers, case.json, case.response)
    kwargs = call_kwargs(case.provider, case.call, case.body)
    await invoke(httpserver, case.provider, mode, method_of(case.resource, case.method, **kwargs))
    [request] = logged_requests(httpserver)
    assert raw_path(request) == case.path
    assert request.query_string == b""
    assert_body(request, case.json)


# -- other request details ------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
async def test_northflank_basic_auth_sends_the_basic_credentials(httpserver: HTTPServer, mode: str) -> None:
    """The spec's alternative basicAuth scheme sends `Authorization: Basic base64(user:password)`."""
    expected = "Basic " + base64.b64encode(b"ops@example.com:s3cr:t").decode()
    path = f"/v1/projects/default-project/jobs/example-job/runs/{NF_RUN_ID}"
    expect(httpserver, "GET", path, {}, {"Authorization": expected}, NO_BODY,
           response_example("northflank", NF_RUN_PATH, "get"))
    await invoke(httpserver, "northflank", mode, method_of("jobs", "get_run", **NF_IDS, run_id=NF_RUN_ID),
                 {"username": "ops@example.com", "password": "s3cr:t"})
    [request] = logged_requests(httpserver)
    assert request.headers["Authorization"] == expected


@pytest.mark.parametrize("mode", MODES)
async def test_northflank_run_without_the_optional_body_sends_no_body(httpserver: HTTPServer, mode: str) -> None:
    """RunJob's requestBody is optional: leaving it out sends an empty request, not `null`."""
    path = "/v1/projects/default-project/jobs/example-job/runs"
    expect(httpserver, "POST", path, {}, dict([auth_header("northflank")]), NO_BODY,
           response_example("northflank", NF_RUNS_PATH, "post"))
    result = await invoke(httpserver, "northflank", mode, method_of("jobs", "run", **NF_IDS))
    [request] = logged_requests(httpserver)
    assert_body(request, NO_BODY)
    assert result.data.id == NF_RUN_ID


# -- paginators -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Walk:
    """An iter_<method> call, the pages the server answers in order, and the items it must yield."""

    provider: str
    resource: str
    method: str
    call: dict[str, Any]
    path: str
    pages: list[tuple[dict[str, str], Any]]  # (exact query of the request, response body)
    item_id: str  # attribute naming an item
    ids: list[str]


def airplane_run(run_id: str) -> dict[str, Any]:
    """An Airplane run (from the spec's examples) with its own id."""
    return {**AIRPLANE_RUN, "id": run_id}


def kubeflow_run(run_id: str) -> dict[str, Any]:
    """A Kubeflow run with its own id."""
    return {**KUBEFLOW_RUN, "run_id": run_id}


def northflank_run(run_id: str) -> dict[str, Any]:
    """A Northflank job run (the spec's seed example) with its own id."""
    return {**response_example("northflank", NF_RUN_PATH, "get")["data"], "id": run_id}


WALKS = [
    # page numbers from 0, one up per page, until a page comes back empty
    Walk("airplane", "runs", "iter_list", {"task_slug": "hello_world", "limit": 2}, "/v0/runs/list", [
        ({"taskSlug": "hello_world", "limit": "2", "page": "0"}, {"runs": [airplane_run("r1"), airplane_run("r2")]}),
        ({"taskSlug": "hello_world", "limit": "2", "page": "1"}, {"runs": [airplane_run("r3")]}),
        ({"taskSlug": "hello_world", "limit": "2", "page": "2"}, {"runs": []}),
    ], "id", ["r1", "r2", "r3"]),
    # page_token <- next_page_token until it is empty (proto3 JSON omits an empty string)
    Walk("kubeflow", "runs", "iter_list", {"page_size": 2, "namespace": "team-a"}, f"{KF}/runs", [
        ({"page_size": "2", "namespace": "team-a"},
         {"runs": [kubeflow_run("k1"), kubeflow_run("k2")], "next_page_token": "tok-2"}),
        ({"page_size": "2", "namespace": "team-a", "page_token": "tok-2"},
         {"runs": [kubeflow_run("k3"), kubeflow_run("k4")], "next_page_token": "tok-3"}),
        ({"page_size": "2", "namespace": "team-a", "page_token": "tok-3"}, {"runs": [kubeflow_run("k5")]}),
    ], "run_id", ["k1", "k2", "k3", "k4", "k5"]),
    # cursor <- pagination.cursor while pagination.hasNextPage
    Walk("northflank", "jobs", "iter_list_runs", {**NF_IDS, "per_page": 2},
         "/v1/projects/default-project/jobs/example-job/runs", [
        ({"per_page": "2"}, {"data": {"runs": [northflank_run("n1"), northflank_run("n2")]},
                             "pagination": {"hasNextPage": True, "cursor": "cur-2", "count": 2}}),
        ({"per_page": "2", "cursor": "cur-2"}, {"data": {"runs": [northflank_run("n3"), northflank_run("n4")]},
                                                "pagination": {"hasNextPage": True, "cursor": "cur-3", "count": 2}}),
        ({"per_page": "2", "cursor": "cur-3"}, {"data": {"runs": [northflank_run("n5")]},
                                                "pagination": {"hasNextPage": False, "cursor": "cur-4", "count": 1}}),
    ], "id", ["n1", "n2", "n3", "n4", "n5"]),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("walk", WALKS, ids=lambda w: f"{w.provider}.{w.resource}.{w.method}")
async def test_paginator_walks_every_page_in_order(httpserver: HTTPServer, walk: Walk, mode: str) -> None:
    """iter_<method> requests exactly the documented sequence of pages and yields every item once."""
    headers = dict([auth_header(walk.provider)])
    for query, body in walk.pages:
        expect(httpserver, "GET", walk.path, query, headers, NO_BODY, body)
    items = await invoke(httpserver, walk.provider, mode, method_of(walk.resource, walk.method, **walk.call))
    requests = logged_requests(httpserver)
    assert [(raw_path(r), query_pairs(r)) for r in requests] == [
        (walk.path, sorted(query.items())) for query, _ in walk.pages]
    for request in requests:
        assert_auth(request, walk.provider)
    assert [getattr(item, walk.item_id) for item in items] == walk.ids


# -- meta-tests: the tables follow the specs ------------------------------------------------------


def test_every_spec_operation_is_called() -> None:
    """The derived calls cover every (package, method, path) of specs/, once."""
    assert not spec_calls.unsynthesisable()
    rows = [(c.provider.package, c.http_method, c.template) for c in spec_calls.calls()]
    assert len(rows) == len(set(rows))
    assert set(rows) == spec_calls.spec_operations()


def test_table_rows_are_spec_operations() -> None:
    """Each hand-written row names an operation of the specs, once."""
    rows = [(op.provider, op.http_method, op.template) for op in OPERATIONS]
    assert len(rows) == len(set(rows)), "an operation has two rows"
    assert set(rows) <= spec_calls.spec_operations()


def test_paginators_cover_every_paginated_operation() -> None:
    """Every operation with x-specgen-pagination has a Walk over its iter_<method>."""
    paginated = {(provider, op["x-specgen-resource"], "iter_" + op["x-specgen-method"])
                 for (provider, _, _), op in spec_operations().items() if "x-specgen-pagination" in op}
    assert paginated == {(w.provider, w.resource, w.method) for w in WALKS}


def template_pattern(base_path: str, template: str) -> re.Pattern[str]:
    """A regex for raw paths of a spec path template: each {parameter} is one non-empty segment part."""
    parts = re.split(r"{[^}]+}", template)
    return re.compile(re.escape(base_path) + "[^/?#]+".join(re.escape(p) for p in parts) + r"\Z")


@pytest.mark.parametrize("op", OPERATIONS, ids=op_id)
def test_row_agrees_with_its_spec_operation(op: Op) -> None:
    """A row's names, path, query keys and body presence are those of its spec operation."""
    spec_op = spec_operations()[op.provider, op.http_method, op.template]
    assert (op.resource, op.method) == (spec_op["x-specgen-resource"], spec_op["x-specgen-method"])
    assert template_pattern(PROVIDERS[op.provider].base_path, op.template).match(op.path)
    query_names = {p["name"] for p in spec_op.get("parameters", []) if p["in"] == "query"}
    assert set(op.query) <= query_names
    required = {p["name"] for p in spec_op.get("parameters", []) if p["in"] == "query" and p.get("required")}
    assert required <= set(op.query)
    assert (op.json is not NO_BODY) == (op.body is not None) == ("requestBody" in spec_op)
