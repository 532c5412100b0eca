"""Query parameters go on the wire as their ``style`` and ``explode`` say (OpenAPI 3.1 §4.8.12.4,
RFC 6570), through a generated client against a real local server.

The package is generated from ``tests/fixtures/query_styles.yaml`` for this test. Each case sends
one parameter and compares the raw query string the server received.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped, unused-ignore]
from pytest_httpserver import HTTPServer

from conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "query_styles.yaml"
MODES = ("sync", "async")


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    work = tmp_path_factory.mktemp("query_styles")
    (work / "specs").mkdir()
    (work / "specs" / FIXTURE.name).write_text(FIXTURE.read_text())
    subprocess.run([sys.executable, "-m", "specgen", "generate"], cwd=work, check=True, capture_output=True)
    sys.path.insert(0, str(work / "generated"))
    try:
        package = importlib.import_module("query_styles_api")
        importlib.import_module("query_styles_api.models")
        yield package
    finally:
        sys.path.remove(str(work / "generated"))


CASES = [
    # form, exploded (the default): one pair per item or property
    ("form-explode-array", lambda m: {"tag": ["a b", "c,d"]}, "tag=a%20b&tag=c%2Cd"),
    ("form-explode-object", lambda m: {"filter": m.Filter(color="red", min_size=3)}, "color=red&minSize=3"),
    # form, not exploded: items (and keys with values) joined by a literal comma
    ("form-array", lambda m: {"ids": [1, 2, 3]}, "ids=1,2,3"),
    ("form-object", lambda m: {"point": {"x": 1, "y": 2}}, "point=x,1,y,2"),
    ("space-delimited-array", lambda m: {"words": ["big", "red"]}, "words=big%20red"),
    ("pipe-delimited-array", lambda m: {"codes": ["a|b", "c"]}, "codes=a%7Cb|c"),
    ("pipe-delimited-object", lambda m: {"pairs": {"R": "100", "G": "200"}}, "pairs=R|100|G|200"),
    ("deep-object", lambda m: {"sort": {"name": "asc", "age": "desc"}}, "sort[name]=asc&sort[age]=desc"),
    # deepObject of an array: the bracket convention (Stripe's `expand`)
    ("deep-object-array", lambda m: {"expand": ["customer", "a b"]}, "expand[]=customer&expand[]=a%20b"),
    ("empty-array-sends-nothing", lambda m: {"ids": [], "tag": []}, ""),
    ("scalar", lambda m: {"q": "x&y=z"}, "q=x%26y%3Dz"),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("arguments", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
async def test_query_styles_on_the_wire(api: Any, httpserver: HTTPServer, mode: str, arguments: Any,
                                        expected: str) -> None:
    httpserver.expect_request("/search", method="GET").respond_with_data("", status=204)
    base_url = httpserver.url_for("/").rstrip("/")
    if mode == "sync":
        with api.QueryStylesClient(base_url=base_url) as client:
            client.search.search(**arguments(api.models))
    else:
        async with api.AsyncQueryStylesClient(base_url=base_url) as client:
            await client.search.search(**arguments(api.models))
    (request, _), = httpserver.log
    assert request.query_string.decode() == expected


def test_only_styles_other_than_form_exploded_are_passed(api: Any) -> None:
    source = (Path(api.__file__).parent / "resources" / "search.py").read_text()
    assert '"tag": ("form", True)' not in source and '"filter": (' not in source
    assert '"ids": ("form", False)' in source and '"sort": ("deepObject", True)' in source
