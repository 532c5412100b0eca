"""Import time and "import + first call" time of a giant's package: specgen's against OPC's (issue 9).

The issue's bar: a generated package for a giant imports in at most 0.1 s, and import plus the first
call of an operation costs no more than with openapi-python-client's (OPC's) package for the same
spec. ``bench/giants.py`` runs this on the packages it generated; this module knows how to find the
operation in each package, serve it, and time it.

Only the operation's method and path are written here (:data:`OPERATIONS`). Everything else is read
from the generated code, the way a user would find it: specgen's method is the one of a resource
class whose ``self._client.request(...)`` names that method and path, and its client attribute the
client property returning that class; OPC's is the endpoint module under ``api/`` whose
``_get_kwargs`` builds that path. Required arguments get values from the vendor's document (the
parameter's example, else a simple value of its schema), matched by name.

The response is the document's own example for the 200 response when it has one (GitHub's
``full-repository``), else a minimal body built from its schema (required properties only), served
with status 200 by a stdlib HTTP server on 127.0.0.1 that answers only that path.

Each run is a fresh interpreter of the package's own environment (specgen's package: this venv, with
httpx and pydantic; OPC's: OPC's venv, with httpx, attrs and dateutil) that executes the lines a user
writes, timing each step with ``time.perf_counter``: ``import`` (the top-level package, which exports
the client class), ``client`` (building it), ``operation`` (reaching the operation: specgen's resource
attribute, OPC's endpoint module; each loads the models it needs), ``call`` (the request, its
response parsed into the model). Each package is byte-compiled first, as pip does on install, and
one untimed run of each warms the caches. The runs alternate between the two packages, so the noise
of a shared machine hits both alike.
"""

from __future__ import annotations

import ast
import http.server
import json
import re
import statistics
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: name → the operations timed (method and path as the vendor's document writes them). GitHub's
#: second: OPC leaves out the 200 response of ``repos/get`` (it cannot parse ``full-repository``, so
#: its call returns None), and ``users/get-by-username`` is a GET whose response both parse.
OPERATIONS = {
    "github": (("get", "/repos/{owner}/{repo}"), ("get", "/users/{username}")),
    "stripe": (("get", "/v1/customers/{customer}"),),
    "kubernetes": (("get", "/api/v1/namespaces/{namespace}/pods/{name}"),),
}
#: The steps each child times, in order; each includes what it imports.
STEPS = ("import", "client", "operation", "call")

#: Runs the steps given as JSON (name, source) pairs in one namespace holding ``URL`` (the server's),
#: each timed, and prints the seconds since the start after each step and the type of ``result``.
#: Compiling comes first, so only running counts.
_CHILD = """
import json, sys, time
steps = [(name, compile(source, name, "exec")) for name, source in json.loads(sys.argv[1])]
namespace = {"URL": sys.argv[2]}
marks = []
start = time.perf_counter()
for name, code in steps:
    exec(code, namespace)
    marks.append(time.perf_counter() - start)
print(json.dumps({"marks": marks, "result": type(namespace.get("result")).__name__}))
"""


@dataclass
class Plan:
    """How to run the operation with one tool's package: where, with which Python, which lines."""

    tool: str
    package: Path
    python: str
    steps: list[tuple[str, str]]  # (step, source), as named in STEPS; URL is the server's base URL

    @property
    def folder(self) -> Path:
        """Where the child runs, so the package imports (``sys.path[0]`` of ``python -c``)."""
        return self.package.parent


@dataclass
class Timing:
    """The seconds of every run of one plan, step by step (cumulative from the start)."""

    tool: str
    runs: list[list[float]] = field(default_factory=list)
    result: str = "?"

    def median(self, step: str) -> float:
        """Median seconds from the start to the end of ``step``."""
        return statistics.median(run[STEPS.index(step)] for run in self.runs)


@dataclass
class Measured:
    """One operation of one giant: its response and each tool's timings (and import profiles)."""

    method: str
    path: str
    origin: str  # where the response body comes from
    size: int  # its bytes
    timings: list[Timing]
    profiles: list[str]


def follow(document: dict[str, Any], node: Any) -> Any:
    """``node`` with its chain of local ``$ref`` (``#/a/b``) followed."""
    for _ in range(64):
        if not (isinstance(node, dict) and "$ref" in node):
            break
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


#: Values for string formats a model may check (pydantic types ``date-time`` as ``datetime``, ...).
FORMATS = {"date-time": "2024-01-02T03:04:05Z", "date": "2024-01-02", "time": "03:04:05", "uri": "https://example.com/",
           "url": "https://example.com/", "uuid": "00000000-0000-4000-8000-000000000000", "email": "a@example.com",
           "byte": "", "ipv4": "127.0.0.1", "ipv6": "::1"}


def sample(document: dict[str, Any], schema: Any, depth: int = 0) -> Any:
    """A small valid value of ``schema``: required properties only, the first branch of a union,
    the first value of an enum, the smallest array, number or string its bounds allow."""
    schema = follow(document, schema)
    if not isinstance(schema, dict) or depth > 32:
        return None
    if "enum" in schema:
        return next((value for value in schema["enum"] if value is not None), None)
    if "const" in schema:
        return schema["const"]
    for union in ("anyOf", "oneOf"):
        if schema.get(union):
            return sample(document, schema[union][0], depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object" or "properties" in schema or "allOf" in schema:
        value: dict[str, Any] = {}
        for part in schema.get("allOf", []):
            part_value = sample(document, part, depth + 1)
            if isinstance(part_value, dict):
                value.update(part_value)
        properties = schema.get("properties") or {}
        for name in schema.get("required", []):
            if name in properties or name not in value:
                value[name] = sample(document, properties.get(name, {}), depth + 1)
        return value
    if kind == "array":
        return [sample(document, schema.get("items", {}), depth + 1) for _ in range(schema.get("minItems", 0))]
    if kind == "string":
        return FORMATS.get(schema.get("format", ""), "x" * max(1, schema.get("minLength", 1)))
    if kind in ("integer", "number"):
        low = schema.get("minimum", 0)
        return int(low) if kind == "integer" else float(low)
    if kind == "boolean":
        return False
    return None


def complete(document: dict[str, Any], schema: Any, value: Any, depth: int = 0) -> int:
    """Add to ``value``, in place, each required property its schema names and it lacks (a
    :func:`sample`), at every depth; returns how many. Vendors' examples lack some (GitHub's
    ``full-repository`` example has no ``language``, which its schema requires)."""
    schema = follow(document, schema)
    if not isinstance(schema, dict) or depth > 32:
        return 0
    if isinstance(value, list):
        return sum(complete(document, schema.get("items"), item, depth + 1) for item in value)
    if not isinstance(value, dict):
        return 0
    added = sum(complete(document, part, value, depth + 1) for part in schema.get("allOf", []))
    properties = schema.get("properties") or {}
    for name in schema.get("required", []):
        if name not in value:
            value[name] = sample(document, properties.get(name, {}), depth + 1)
            added += 1
    for name, child in value.items():
        if name in properties:
            added += complete(document, properties[name], child, depth + 1)
    return added


def response_body(document: dict[str, Any], method: str, path: str) -> tuple[bytes, str]:
    """The JSON body of the operation's 200 response, and where it comes from: the document's
    example for it when there is one (:func:`complete`), else :func:`sample` of its schema."""
    response = follow(document, document["paths"][path][method]["responses"]["200"])
    media = follow(document, response["content"]["application/json"])
    schema = media.get("schema", {})
    examples = [("", media["example"])] if "example" in media else []
    examples += [(f" {name!r}", follow(document, example).get("value"))
                 for name, example in (media.get("examples") or {}).items()]
    for name, value in examples:
        if value is not None:
            added = complete(document, schema, value)
            origin = f"the document's example{name}" + (f", plus {added} required properties it lacks" if added else "")
            return json.dumps(value).encode(), origin
    return json.dumps(sample(document, schema)).encode(), "required properties of its schema"


def _key(name: str) -> str:
    """A name as both tools spell it in Python and the document on the wire compare alike."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def arguments(document: dict[str, Any], method: str, path: str, names: list[str]) -> dict[str, Any]:
    """A value for each required argument ``names`` of a generated function, from the document's
    parameter of the same name: its example, else :func:`sample` of its schema."""
    item = document["paths"][path]
    known = {}
    for parameter in [*item.get("parameters", []), *item[method].get("parameters", [])]:  # the operation's win
        parameter = follow(document, parameter)
        known[_key(parameter["name"])] = parameter
    values = {}
    for name in names:
        parameter = known.get(_key(name.rstrip("_")))
        if parameter is None:
            raise LookupError(f"{path}: the required argument {name!r} matches no parameter of the document")
        values[name] = parameter["example"] if "example" in parameter else sample(document, parameter.get("schema"))
    return values


def _required(function: ast.FunctionDef, skip: tuple[str, ...] = ()) -> list[str]:
    """The arguments of ``function`` a caller must give (positional ones, keyword ones without default)."""
    keywords = [a.arg for a, default in zip(function.args.kwonlyargs, function.args.kw_defaults) if default is None]
    return [name for name in [*(a.arg for a in function.args.args), *keywords] if name not in skip]


def _call_text(values: dict[str, Any], *written: str) -> str:
    """The arguments of a call: ``written`` as they are, then ``values`` as keyword literals."""
    return ", ".join([*written, *(f"{name}={value!r}" for name, value in values.items())])


def _constant(node: ast.expr | None) -> Any:
    """The value of a literal node, else None."""
    return node.value if isinstance(node, ast.Constant) else None


def _requests(function: ast.FunctionDef) -> set[tuple[Any, Any]]:
    """(method, path) of each ``self._client.request("GET", "/path", ...)`` in a specgen method."""
    return {(_constant(node.args[0]), _constant(node.args[1])) for node in ast.walk(function)
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "self._client.request" and len(node.args) >= 2}


def _builds(function: ast.FunctionDef) -> set[tuple[Any, Any]]:
    """(method, path) of each ``{"method": "get", "url": "/path".format(...)}`` in OPC's ``_get_kwargs``."""
    found = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Dict):
            entries = {_constant(key): value for key, value in zip(node.keys, node.values)}
            url = entries.get("url")
            if isinstance(url, ast.Call) and isinstance(url.func, ast.Attribute) and url.func.attr == "format":
                url = url.func.value
            found.add((_constant(entries.get("method")), _constant(url)))
    return found


def _modules(folder: Path, path: str) -> Iterator[tuple[Path, ast.Module]]:
    """The parsed Python files under ``folder`` that hold ``path`` as a literal."""
    for module in sorted(folder.rglob("*.py")):
        text = module.read_text(encoding="utf-8")
        if json.dumps(path) in text or repr(path) in text:
            yield module, ast.parse(text)


def specgen_plan(package: Path, document: dict[str, Any], method: str, path: str, python: str) -> Plan:
    """The steps with specgen's package: the method whose ``self._client.request`` names ``method``
    and ``path``, reached through the sync client's property returning its resource class."""
    found = [(resource.name, function) for _, tree in _modules(package / "resources", path) for resource in tree.body
             if isinstance(resource, ast.ClassDef) and not resource.name.startswith("Async")
             for function in resource.body
             if isinstance(function, ast.FunctionDef) and (method.upper(), path) in _requests(function)]
    if not found:
        raise LookupError(f"specgen's {package.name}: no method requests {method.upper()} {path}")
    resource_name, function = found[0]
    client = next(node for node in ast.parse((package / "client.py").read_text(encoding="utf-8")).body
                  if isinstance(node, ast.ClassDef) and "SyncClient" in map(ast.unparse, node.bases))
    attribute = next(node.name for node in client.body if isinstance(node, ast.FunctionDef)
                     and node.returns is not None and ast.unparse(node.returns) == resource_name)
    init = next(node for node in client.body if isinstance(node, ast.FunctionDef) and node.name == "__init__")
    # every credential the client takes, so a call needing any of them has it
    credentials = {a.arg: "bench" for a in init.args.kwonlyargs
                   if a.annotation is not None and ast.unparse(a.annotation) == "str | None"}
    values = arguments(document, method, path, _required(function, skip=("self",)))
    name = package.name
    return Plan("specgen", package, python, [
        ("import", f"import {name}"),
        ("client", f"client = {name}.{client.name}({_call_text(credentials, 'base_url=URL')})"),
        ("operation", f"operation = client.{attribute}.{function.name}"),
        ("call", f"result = operation({_call_text(values)})"),
    ])


def opc_plan(package: Path, document: dict[str, Any], method: str, path: str, python: str) -> Plan:
    """The steps with OPC's package: the endpoint module under ``api/`` whose ``_get_kwargs``
    builds ``method`` and ``path``, called with its ``sync`` function."""
    found = [(module, tree) for module, tree in _modules(package / "api", path)
             if any(isinstance(f, ast.FunctionDef) and f.name == "_get_kwargs" and (method.lower(), path) in _builds(f)
                    for f in tree.body)]
    if not found:
        raise LookupError(f"OPC's {package.name}: no endpoint module builds {method.upper()} {path}")
    module, tree = found[0]
    sync = next(f for f in tree.body if isinstance(f, ast.FunctionDef) and f.name == "sync")
    values = arguments(document, method, path, _required(sync, skip=("client",)))
    dotted = ".".join(module.relative_to(package.parent).with_suffix("").parts)
    parent, leaf = dotted.rsplit(".", 1)
    name = package.name
    return Plan("OPC 0.29.1", package, python, [
        ("import", f"import {name}"),
        ("client", f"client = {name}.AuthenticatedClient(base_url=URL, token='bench')"),
        ("operation", f"from {parent} import {leaf} as operation"),
        ("call", f"result = operation.sync({_call_text(values, 'client=client')})"),
    ])


@contextmanager
def serving(method: str, path: str, body: bytes) -> Iterator[str]:
    """A local HTTP server (in a thread) answering ``method`` on ``path`` (any parameter values)
    with 200 and ``body``, anything else with 404; yields its base URL."""
    pattern = re.compile("[^/]+".join(re.escape(part) for part in re.split(r"\{[^}/]*\}", path)) + r"(\?.*)?")

    class Handler(http.server.BaseHTTPRequestHandler):
        def respond(self) -> None:
            found = pattern.fullmatch(self.path) is not None
            payload = body if found else b'{"message": "not the operation benchmarked"}'
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    setattr(Handler, f"do_{method.upper()}", Handler.respond)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def run_child(plan: Plan, url: str, *flags: str) -> tuple[dict[str, Any], str]:
    """One fresh interpreter running the plan: its marks and result type, and its stderr."""
    done = subprocess.run([plan.python, *flags, "-c", _CHILD, json.dumps(plan.steps), url], cwd=plan.folder,
                          capture_output=True, text=True, timeout=900, check=False)
    if done.returncode:
        raise RuntimeError(f"{plan.tool} in {plan.folder}: {done.stderr[-3000:]}")
    return json.loads(done.stdout.splitlines()[-1]), done.stderr


def time_plans(plans: list[Plan], url: str, runs: int) -> list[Timing]:
    """``runs`` timed runs of each plan after one untimed run each, alternating plan by plan
    (A B, B A, ...). Each package is byte-compiled first, as pip does on install: no run may pay
    for compiling source (and ``PYTHONDONTWRITEBYTECODE`` may be set, so no run would save it)."""
    timings = [Timing(plan.tool) for plan in plans]
    for plan, timing in zip(plans, timings):
        subprocess.run([plan.python, "-m", "compileall", "-q", str(plan.package)], check=True, timeout=900)
        timing.result = run_child(plan, url)[0]["result"]
    for run in range(runs):
        order = list(zip(plans, timings))
        for plan, timing in order if run % 2 == 0 else reversed(order):
            timing.runs.append(run_child(plan, url)[0]["marks"])
    return timings


def import_profile(plan: Plan, url: str, top: int = 6) -> str:
    """Where the import and first call spend their import time (``python -X importtime``, one run):
    self time summed by top-level package, then the slowest modules by self time."""
    stderr = run_child(plan, url, "-X", "importtime")[1]
    modules = []
    for line in stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if match:
            modules.append((int(match[1]) / 1e6, match[4]))
    by_package: dict[str, float] = {}
    for seconds, module in modules:
        by_package[module.split(".")[0]] = by_package.get(module.split(".")[0], 0.0) + seconds
    packages = sorted(by_package.items(), key=lambda item: -item[1])[:top]
    slowest = sorted(modules, reverse=True)[:top]
    return (f"{plan.tool}: -X importtime self time {sum(s for s, _ in modules):.3f} s; by package: "
            + ", ".join(f"{name} {seconds:.3f}" for name, seconds in packages)
            + "; slowest modules: " + ", ".join(f"{name} {seconds:.3f}" for seconds, name in slowest))


def bench(name: str, source: Path, specgen_package: Path, opc_package: Path, opc_python: str, runs: int,
          profile: bool = False) -> list[Measured]:
    """Time each operation of :data:`OPERATIONS` for ``name`` with both packages, each served its
    response by a local server; with ``profile``, one ``-X importtime`` run of each as well."""
    document = json.loads(source.read_text(encoding="utf-8"))
    measured = []
    for method, path in OPERATIONS[name]:
        body, origin = response_body(document, method, path)
        plans = [specgen_plan(specgen_package, document, method, path, sys.executable),
                 opc_plan(opc_package, document, method, path, opc_python)]
        with serving(method, path, body) as url:
            timings = time_plans(plans, url, runs)
            profiles = [import_profile(plan, url) for plan in plans] if profile else []
        measured.append(Measured(method, path, origin, len(body), timings, profiles))
    return measured
