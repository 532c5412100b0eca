"""Validation that fits real documents: quirks the client never uses are located warnings (fatal only
with --strict), structural errors point at the offending line, and a missing x-specgen-* key says so."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from test_cli import run, snapshot, workspace  # noqa: F401 - workspace is a fixture used by name


@dataclass(frozen=True)
class Breakage:
    id: str
    old: str  # text in specs/airplane.yaml, replaced once
    new: str
    message: str  # expected after "file:line: error: "
    line_of: str  # the reported line is the line of this text in the edited spec
    occurrence: int = 1


GET_RUN = "      operationId: getRun\n"
API_KEY_IN = "      in: header\n      name: X-Airplane-API-Key\n"
GET_RUN_RESPONSES = """      responses:
        "200":
          description: OK
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/GetRunResponse"
        default:
"""

# Structural errors stay errors, each at the line of the node it is about (not line 1).
STRUCTURAL = [
    Breakage("responses-not-a-mapping", GET_RUN_RESPONSES,
             "      responses: 5\n      x-was:\n        default:\n",
             "invalid OpenAPI: 5 is not of type 'object'", "responses: 5"),
    Breakage("parameter-without-in", "        - name: id\n          in: query\n", "        - name: id\n",
             "invalid OpenAPI: 'in' is a required property", "- name: id"),
    Breakage("schema-type-7", "type: boolean", "type: 7", "unknown type 7", "type: 7"),
    Breakage("info-without-title", "  title: Airplane API\n", "", "invalid OpenAPI: 'title' is a required property",
             "info:"),
    Breakage("bad-ref-in-operation", '$ref: "#/components/schemas/GetRunResponse"',
             '$ref: "#/components/schemas/GetRunRespons"',
             "unresolved $ref '#/components/schemas/GetRunRespons'", "GetRunRespons\""),
    # found by the validator's own walk: through a $ref, at the schema as written
    Breakage("schema-keyword-out-of-range", "type: boolean", "type: string\n          minLength: -1",
             "invalid OpenAPI: -1 is less than the minimum of 0", "minLength: -1"),
    Breakage("path-parameter-not-declared", "  /runs/get:\n", "  /runs/get/{run}:\n",
             "invalid OpenAPI: Path parameter 'run' for 'get' operation in '/runs/get/{run}' was not resolved",
             "    get:\n" + GET_RUN),  # the operation
    Breakage("operation-field-of-the-wrong-type", GET_RUN, GET_RUN + "      deprecated: maybe\n",
             "invalid OpenAPI: 'maybe' is not of type 'boolean'", "deprecated: maybe"),
    Breakage("example-object-not-a-mapping", GET_RUN_RESPONSES,
             GET_RUN_RESPONSES.replace('                $ref: "#/components/schemas/GetRunResponse"\n',
                                       '                $ref: "#/components/schemas/GetRunResponse"\n'
                                       "              examples:\n                one: 5\n"),
             "invalid OpenAPI: 5 is not of type 'object'", "one: 5"),
    # an API key goes in a header, the query or a cookie, under a name that can carry it there
    Breakage("cookie-name-not-a-token", API_KEY_IN, API_KEY_IN.replace("header", "cookie").replace(
        "X-Airplane-API-Key", '"session;admin"'), "'session;admin' is not a cookie name an API key can be sent in",
        'name: "session;admin"'),
    Breakage("query-name-empty", API_KEY_IN, API_KEY_IN.replace("header", "query").replace(
        "X-Airplane-API-Key", '""'), "'' is not a query parameter name an API key can be sent in", 'name: ""'),
    Breakage("query-name-not-printable", API_KEY_IN, API_KEY_IN.replace("header", "query").replace(
        "X-Airplane-API-Key", '"api\\nkey"'), "'api\\nkey' is not a query parameter name an API key can be sent in",
        'name: "api'),
    Breakage("header-name-http-owns", API_KEY_IN, API_KEY_IN.replace("X-Airplane-API-Key", "Content-Type"),
             "'Content-Type' is not a header name an API key can be sent in", "name: Content-Type"),
    # a cookie parameter needs a cookie name (an RFC 9110 token) and one value
    Breakage("cookie-parameter-name-not-a-token", "        - name: id\n          in: query\n",
             "        - name: 'session id'\n          in: cookie\n",
             "'session id' is not a cookie name", "name: 'session id'"),
    Breakage("cookie-array", "          in: query\n          required: true\n          description: ID of the run to "
             "retrieve.\n          example: run20220215zv10o6s52qj\n          schema:\n            type: string\n",
             "          in: cookie\n          required: true\n          schema:\n            type: array\n"
             "            items: {type: string}\n",
             "cookie parameter 'id' is an array; specgen sends a cookie parameter as one value",
             "schema:\n            type: array"),
    # a missing x-specgen-* key says that it is missing, and what to write
    Breakage("no-package", "  x-specgen-package: airplane\n", "", "info has no x-specgen-package", "info:"),
    Breakage("no-client", "  x-specgen-client: AirplaneClient\n", "", "info has no x-specgen-client", "info:"),
]

# A default outside its enum: the client would get a field default of the wrong type, so the
# default is left out; and an example that does not fit its format. Neither stops generation.
WARNED_OLD = """        sessionID:
          type: string
"""
WARNED_NEW = """        sessionID:
          type: string
          enum: [a, b]
          default: c
"""
WARNED_EMAIL_OLD = """        teamID:
          type: string
"""
WARNED_EMAIL_NEW = """        teamID:
          type: string
          format: date-time
          default: yesterday
"""


def edit(workspace: Path, old: str, new: str) -> str:
    spec = workspace / "specs" / "airplane.yaml"
    text = spec.read_text()
    assert old in text
    edited = text.replace(old, new, 1)
    spec.write_text(edited)
    return edited


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    position = -1
    for _ in range(occurrence):
        position = text.index(needle, position + 1)
    return text[:position].count("\n") + 1


@pytest.mark.parametrize("breakage", STRUCTURAL, ids=lambda b: b.id)
def test_structural_errors_are_located(workspace: Path, breakage: Breakage) -> None:
    edited = edit(workspace, breakage.old, breakage.new)
    result = run(workspace, "validate", "specs/airplane.yaml")
    assert result.returncode == 2, result.stderr
    expected = f"specs/airplane.yaml:{line_of(edited, breakage.line_of, breakage.occurrence)}: error: {breakage.message}"
    assert expected in result.stderr, result.stderr
    assert "hint:" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("key, example", [("x-specgen-package", "<python_package_name>"),
                                          ("x-specgen-client", "<ClientClassName>")])
def test_a_missing_specgen_key_says_what_to_write(workspace: Path, key: str, example: str) -> None:
    edited = edit(workspace, next(line for line in (workspace / "specs" / "airplane.yaml").read_text().splitlines(True)
                                  if line.startswith(f"  {key}:")), "")
    result = run(workspace, "validate", "specs/airplane.yaml")
    assert result.returncode == 2
    assert (f"specs/airplane.yaml:{line_of(edited, 'info:')}: error: info has no {key}\n"
            f"    hint: add info.{key}: {example}\n") in result.stderr
    assert "None" not in result.stderr


def warn(workspace: Path) -> tuple[int, int]:
    """Two warnings in airplane.yaml; their lines."""
    edit(workspace, WARNED_OLD, WARNED_NEW)
    edited = edit(workspace, WARNED_EMAIL_OLD, WARNED_EMAIL_NEW)
    return line_of(edited, "default: c"), line_of(edited, "default: yesterday")


@pytest.mark.parametrize("command", ["validate", "generate", "check"])
def test_warnings_are_printed_with_their_line_and_do_not_stop(workspace: Path, command: str) -> None:
    enum_line, format_line = warn(workspace)
    result = run(workspace, command)
    assert f"specs/airplane.yaml:{enum_line}: warning: `default` does not match its schema ('c' is not one of " \
           "['a', 'b']); it is left out of the client\n    hint: make this `default` match its schema" in result.stderr
    assert f"specs/airplane.yaml:{format_line}: warning: `default` does not match its schema ('yesterday' is not " \
           "a 'date-time')" in result.stderr
    assert "error:" not in result.stderr and "Traceback" not in result.stderr
    if command == "check":
        assert result.returncode == 1  # the generated code changed (two more fields may be enums, ...)
        return
    assert result.returncode == 0, result.stderr
    if command == "generate":
        models = (workspace / "generated" / "airplane" / "models.py").read_text()
        assert 'Field(None, alias="sessionID")' in models  # the default is left out
        assert '"c"' not in models and "yesterday" not in models
        typed = subprocess.run([sys.executable, "-m", "mypy", "--strict", "airplane"], cwd=workspace / "generated",
                               capture_output=True, text=True, check=False)
        assert typed.returncode == 0, typed.stdout
        assert run(workspace, "check").returncode == 0


@pytest.mark.parametrize("command", ["validate", "generate"])
def test_strict_makes_warnings_fatal_and_writes_nothing(workspace: Path, command: str) -> None:
    enum_line, _ = warn(workspace)
    before = snapshot(workspace / "generated")
    result = run(workspace, command, "--strict")
    assert result.returncode == 2, result.stdout
    assert f"specs/airplane.yaml:{enum_line}: warning: `default` does not match its schema" in result.stderr
    assert "specgen: 2 problems (2 warnings, --strict); nothing was written" in result.stderr
    assert snapshot(workspace / "generated") == before
    assert "ok specs/" not in result.stdout and "generated " not in result.stdout


def test_strict_passes_without_warnings(workspace: Path) -> None:
    result = run(workspace, "validate", "--strict")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_warnings_are_printed_with_the_errors_of_a_bad_spec(workspace: Path) -> None:
    enum_line, _ = warn(workspace)
    edited = edit(workspace, "type: boolean", "type: bool")
    result = run(workspace, "validate")
    assert result.returncode == 2
    assert f"specs/airplane.yaml:{line_of(edited, 'type: bool')}: error: unknown type 'bool'" in result.stderr
    # the structure check stops the load before the validator runs, so no warning yet
    assert "specgen: 1 problem; nothing was written" in result.stderr
    edit(workspace, "type: bool", "type: boolean")
    edited = edit(workspace, "x-specgen-method: get_outputs", "x-specgen-method: get-outputs")
    result = run(workspace, "validate")
    assert result.returncode == 2
    assert f"specs/airplane.yaml:{enum_line}: warning: " in result.stderr  # an IR error: the warnings come with it
    assert "specgen: 1 problem and 2 warnings; nothing was written" in result.stderr


def test_a_default_next_to_a_ref_outside_its_enum_is_a_warning(workspace: Path) -> None:
    """openapi-spec-validator never sees this default; the client would get a `Status` field whose
    default is a str, which mypy refuses."""
    edited = edit(workspace, '          $ref: "#/components/schemas/Status"\n',
                  '          $ref: "#/components/schemas/Status"\n          default: Bogus\n')
    result = run(workspace, "generate", "airplane")
    assert result.returncode == 0, result.stderr
    assert (f"specs/airplane.yaml:{line_of(edited, 'default: Bogus')}: warning: `default` does not match its schema "
            "('Bogus' is not one of the values of #/components/schemas/Status)") in result.stderr
    assert "Bogus" not in (workspace / "generated" / "airplane" / "models.py").read_text()
    typed = subprocess.run([sys.executable, "-m", "mypy", "--strict", "airplane"], cwd=workspace / "generated",
                           capture_output=True, text=True, check=False)
    assert typed.returncode == 0, typed.stdout


def test_a_parameter_name_with_no_identifier_is_named_after_its_location_with_a_warning(workspace: Path) -> None:
    edited = edit(workspace, "        - name: id\n          in: query\n", "        - name: '...'\n          in: query\n")
    result = run(workspace, "generate", "airplane")
    assert result.returncode == 0, result.stderr
    line = line_of(edited, "name: '...'")
    assert (f"specs/airplane.yaml:{line}: warning: parameter name '...' cannot become a "
            "Python identifier; it is called 'query_param'\n    hint: set `x-specgen-name` to the Python name to use"
            ) in result.stderr
    resource = (workspace / "generated" / "airplane" / "resources" / "runs.py").read_text()
    assert "query_param: str" in resource and '"...": query_param' in resource


@pytest.mark.parametrize(("style", "message"), [
    ("deepObject", "style deepObject is defined for objects (and arrays, as a[]=x) only; this parameter is sent as "
                   "style form, exploded"),
    ("pipeDelimited", "style pipeDelimited is defined for arrays and objects only; this parameter is sent as style "
                      "form, exploded"),
])
def test_a_query_style_that_does_not_fit_the_type_is_a_warning(workspace: Path, style: str, message: str) -> None:
    edited = edit(workspace, "        - name: id\n          in: query\n",
                  f"        - name: id\n          in: query\n          style: {style}\n")
    result = run(workspace, "generate", "airplane")
    assert result.returncode == 0, result.stderr
    assert f"specs/airplane.yaml:{line_of(edited, 'style: ' + style)}: warning: {message}" in result.stderr
    assert "query_styles" not in (workspace / "generated" / "airplane" / "resources" / "runs.py").read_text()


def test_a_parameter_that_duplicates_an_api_key_is_left_to_the_client_with_a_warning(workspace: Path) -> None:
    """currencytick.com declares its query API key both as a security scheme and as a required
    parameter: the method leaves it out (the client sends the credential) and says so at its line."""
    edited = edit(workspace, "        - name: id\n          in: query\n", "        - name: x-airplane-api-key\n          in: header\n")
    result = run(workspace, "generate", "airplane")
    assert result.returncode == 0, result.stderr
    line = line_of(edited, "name: x-airplane-api-key")
    assert (f"specs/airplane.yaml:{line}: warning: header parameter 'x-airplane-api-key' is the credential of security "
            "scheme 'ApiKeyAuth': the client sends it, so the method does not take it") in result.stderr
    resource = (workspace / "generated" / "airplane" / "resources" / "runs.py").read_text()
    assert "x_airplane_api_key" not in resource
    assert run(workspace, "generate", "--strict", "airplane").returncode == 2
