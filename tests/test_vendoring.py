"""Each generated package stands alone: copied under another name, it imports and makes a call."""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from conftest import GENERATED, PROVIDERS

# provider → (client class, client kwargs, the call, the path it requests, the JSON the server returns):
# one real call through a vendored copy, for the providers listed (every package is imported and its
# clients built by the test above, with no table).
CALLS = {
    "airplane": ("AirplaneClient", "api_key='k', base_url=BASE + '/v0'", "client.runs.get(id='run1')",
                 "/v0/runs/get", {"id": "run1"}),
    "comfydeploy": ("ComfyDeployClient", "token='k', base_url=BASE + '/api'", "client.run.get(run_id='run1')",
                    "/api/run", None),
    "kubeflow": ("KubeflowClient", "token='k', base_url=BASE", "client.runs.get(run_id='run1')",
                 "/apis/v2beta1/runs/run1", {"run_id": "run1"}),
    "northflank": ("NorthflankClient", "token='k', base_url=BASE",
                   "client.jobs.get_run(project_id='p', job_id='j', run_id='run1')",
                   "/v1/projects/p/jobs/j/runs/run1", None),
}


def example_body(provider: str) -> object:
    """A valid response body: the spec's own seed example where the schema has many required fields."""
    import yaml

    spec = yaml.safe_load((GENERATED.parent / "specs" / f"{provider}.yaml").read_text())
    path = {"comfydeploy": "/run", "northflank": "/v1/projects/{projectId}/jobs/{jobId}/runs/{runId}"}[provider]
    media = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    return media["examples"]["seed"]["value"]


def vendor(provider: str, tmp_path: Path) -> Path:
    """Copy the package to ``myproject/third_party/vendored_<provider>`` under ``tmp_path``."""
    vendored = tmp_path / "myproject" / "third_party"
    shutil.copytree(GENERATED / provider, vendored / f"vendored_{provider}",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for parent in (vendored.parent, vendored):
        (parent / "__init__.py").write_text("")
    return vendored / f"vendored_{provider}"


@pytest.mark.parametrize("provider", PROVIDERS)
def test_every_package_imports_and_builds_its_clients_under_another_name(provider: str, tmp_path: Path) -> None:
    """Every package of specs/, with no table to fill in: all modules import, both clients build."""
    vendor(provider, tmp_path)
    name = f"myproject.third_party.vendored_{provider}"
    script = (
        "import importlib, inspect, pkgutil\n"
        f"package = importlib.import_module({name!r})\n"
        "for module in pkgutil.walk_packages(package.__path__, prefix=package.__name__ + '.'):\n"
        "    importlib.import_module(module.name)\n"
        "own = {'base_url', 'timeout', 'max_retries', 'headers', 'http_client'}\n"
        "clients = [getattr(package, n) for n in package.__all__ if n.endswith('Client') and n != 'AsyncClient'\n"
        "           and inspect.isclass(getattr(package, n)) and hasattr(getattr(package, n), 'request')]\n"
        "assert len(clients) == 2, clients\n"
        "for cls in clients:\n"
        "    parameters = inspect.signature(cls.__init__).parameters\n"
        "    arguments = {n: 'x' for n in parameters if n not in own and n != 'self'}\n"
        "    client = cls(base_url='http://127.0.0.1:9', **arguments)\n"
        "    assert type(client).__module__ == package.__name__ + '.client', type(client).__module__\n"
        "print(len(clients))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["2"]


@pytest.mark.parametrize("provider", sorted(CALLS))
def test_package_works_when_copied_under_another_name(provider: str, tmp_path: Path, httpserver: HTTPServer) -> None:
    client_class, client_kwargs, call, path, body = CALLS[provider]
    body = body if body is not None else example_body(provider)
    httpserver.expect_request(path).respond_with_json(body)
    vendor(provider, tmp_path)
    script = (
        f"import json\n"
        f"from myproject.third_party.vendored_{provider} import {client_class}\n"
        f"BASE = {httpserver.url_for('').rstrip('/')!r}\n"
        f"with {client_class}({client_kwargs}) as client:\n"
        f"    result = {call}\n"
        f"print(type(result).__module__, type(result).__name__)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    module, name = result.stdout.split()
    assert module == f"myproject.third_party.vendored_{provider}.models"
    assert name[0].isupper()
    httpserver.check_assertions()
    assert len(httpserver.log) == 1


@pytest.mark.parametrize("provider", PROVIDERS)
def test_every_module_imports(provider: str) -> None:
    package = importlib.import_module(provider)
    names = [m.name for m in pkgutil.walk_packages(package.__path__, prefix=f"{provider}.")]
    assert f"{provider}.models" in names and f"{provider}.client" in names
    for name in names:
        importlib.import_module(name)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_importing_the_package_does_not_load_models_or_resources(provider: str) -> None:
    """Large APIs have hundreds of models: importing the package must stay cheap."""
    script = (
        f"import sys, {provider}\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.startswith('{provider}.'))))"
    )
    result = subprocess.run([sys.executable, "-c", "import json\n" + script], cwd=GENERATED,
                            capture_output=True, text=True, check=True)
    loaded = json.loads(result.stdout)
    assert f"{provider}.client" in loaded
    assert f"{provider}.models" not in loaded
    assert not [m for m in loaded if m.startswith(f"{provider}.resources.")]
