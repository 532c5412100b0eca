"""Several servers with variables: defaults substituted (and checked against their enum), every
server listed in the client's docstring and in ``SERVERS``, and any of them chosen by ``base_url=``.

The package is generated from ``tests/fixtures/servers.yaml`` for this test.
"""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "servers.yaml"
URLS = ("https://eu.servers.example.com/v2", "https://sandbox.servers.example.com/v2", "http://localhost:8080")


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    work = tmp_path_factory.mktemp("servers")
    (work / "specs").mkdir()
    shutil.copy(FIXTURE, work / "specs" / FIXTURE.name)
    subprocess.run([sys.executable, "-m", "specgen", "generate"], cwd=work, check=True, capture_output=True)
    sys.path.insert(0, str(work / "generated"))
    try:
        yield importlib.import_module("servers_api")
    finally:
        sys.path.remove(str(work / "generated"))


def test_every_server_is_listed_with_its_variables_at_their_defaults(api: Any) -> None:
    client_module = importlib.import_module("servers_api.client")
    assert client_module.SERVERS == URLS
    assert client_module.BASE_URL == URLS[0]
    assert api.ServersClient().base_url == URLS[0]
    doc = api.ServersClient.__doc__ or ""
    assert f"- ``{URLS[0]}``: Production, in the region of your account." in doc
    assert f"- ``{URLS[1]}``: The sandbox; nothing here is billed." in doc
    assert f"- ``{URLS[2]}``\n" in doc


def test_another_server_is_chosen_by_base_url(api: Any, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v2/ping", method="GET").respond_with_data("", status=204)
    with api.ServersClient(base_url=httpserver.url_for("/v2")) as client:
        assert client.health.ping() is None
    assert [r.path for r, _ in httpserver.log] == ["/v2/ping"]


def test_a_default_outside_its_enum_is_a_located_error(tmp_path: Path) -> None:
    text = FIXTURE.read_text().replace("{default: eu, enum: [eu, us]}", "{default: mars, enum: [eu, us]}")
    (tmp_path / "servers.yaml").write_text(text)
    done = subprocess.run([sys.executable, "-m", "specgen", "validate", str(tmp_path / "servers.yaml")],
                          capture_output=True, text=True, check=False)
    line = text[:text.index("default: mars")].count("\n") + 1
    assert done.returncode == 2
    assert (f"servers.yaml:{line}: error: server variable 'region' has the default 'mars', which is not one of its "
            "enum values\n    hint: make the default one of the `enum` values") in done.stderr
