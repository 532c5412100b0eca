"""Bad input gets one clear message with file:line, exit code 2, no traceback, and generated/ untouched."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import GENERATED, ROOT, SPECS
from specgen import pipeline

SPECGEN = [sys.executable, "-m", "specgen"]


@dataclass(frozen=True)
class Breakage:
    id: str
    old: str  # text in specs/airplane.yaml, replaced once
    new: str
    message: str  # expected in the error
    line_of: str  # the reported line is the line of this text in the edited spec
    occurrence: int = 1


BREAKAGES = [
    Breakage("yaml-syntax", "  /runs/get:\n", "  /runs/get: [unclosed\n", "YAML syntax error", "[unclosed"),
    Breakage(
        "unresolved-ref",
        '$ref: "#/components/schemas/RunConstraints"',
        '$ref: "#/components/schemas/RunConstraint"',
        "unresolved $ref '#/components/schemas/RunConstraint'",
        'RunConstraint"',
    ),
    Breakage("duplicate-operation-id", "operationId: getOutputs", "operationId: getRun",
             "duplicate operationId 'getRun'", "operationId: getRun", occurrence=2),
    Breakage("unknown-type", "type: boolean", "type: bool", "unknown type 'bool'", "type: bool"),
    Breakage("not-an-identifier", "x-specgen-method: get_outputs", "x-specgen-method: get-outputs",
             "x-specgen-method 'get-outputs' is not a valid Python identifier", "get-outputs"),
    Breakage("resource-shadows-the-client", "      x-specgen-resource: runs\n      x-specgen-method: cancel",
             "      x-specgen-resource: request\n      x-specgen-method: cancel",
             "x-specgen-resource 'request' is taken by the client itself", "x-specgen-resource: request"),
]


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A copy of specs/ and generated/ to break and regenerate."""
    shutil.copytree(SPECS, tmp_path / "specs")
    shutil.copytree(GENERATED, tmp_path / "generated", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def run(workspace: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*SPECGEN, *args], cwd=workspace, capture_output=True, text=True, check=False)


def test_each_breakage_really_edits_the_spec() -> None:
    text = (SPECS / "airplane.yaml").read_text()
    for breakage in BREAKAGES:
        assert breakage.old in text, breakage.id


@pytest.mark.parametrize("breakage", BREAKAGES, ids=lambda b: b.id)
@pytest.mark.parametrize("command", ["generate", "validate", "check"])
def test_bad_spec_is_reported_with_location_and_nothing_is_written(
    workspace: Path, breakage: Breakage, command: str
) -> None:
    spec = workspace / "specs" / "airplane.yaml"
    edited = spec.read_text().replace(breakage.old, breakage.new, 1)
    spec.write_text(edited)
    position = -1
    for _ in range(breakage.occurrence):
        position = edited.index(breakage.line_of, position + 1)
    expected_line = edited[:position].count("\n") + 1
    before = snapshot(workspace / "generated")

    result = run(workspace, command)

    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert f"specs/airplane.yaml:{expected_line}: error: {breakage.message}" in result.stderr, result.stderr
    assert "hint:" in result.stderr
    assert "Traceback" not in output
    assert snapshot(workspace / "generated") == before  # not even the providers whose specs are fine


def test_every_problem_of_a_spec_is_reported_at_once(workspace: Path) -> None:
    spec = workspace / "specs" / "kubeflow.yaml"
    text = spec.read_text().replace("x-specgen-method: archive", "x-specgen-method: class", 1)
    spec.write_text(text.replace("x-specgen-method: terminate", "x-specgen-method: 2terminate", 1))
    result = run(workspace, "validate")
    assert result.returncode == 2
    assert "'class' is not a valid Python identifier" in result.stderr
    assert "'2terminate' is not a valid Python identifier" in result.stderr
    assert "2 problems; nothing was written" in result.stderr


def test_generate_only_named_providers(workspace: Path) -> None:
    shutil.rmtree(workspace / "generated")
    result = run(workspace, "generate", "kubeflow")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (workspace / "generated").iterdir() if p.is_dir()) == ["kubeflow"]


def test_unknown_provider_is_a_clear_error(workspace: Path) -> None:
    result = run(workspace, "generate", "airplan")
    assert result.returncode == 2
    assert "unknown provider airplan" in result.stderr and "airplane" in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_accepts_the_committed_specs_and_writes_nothing(workspace: Path) -> None:
    shutil.rmtree(workspace / "generated")
    result = run(workspace, "validate")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("ok specs/") == len(pipeline.spec_files(SPECS))
    assert not (workspace / "generated").exists()


def test_resource_class_named_like_a_schema_gets_a_suffix(workspace: Path) -> None:
    spec = workspace / "specs" / "kubeflow.yaml"
    spec.write_text(spec.read_text().replace("x-specgen-resource: runs", "x-specgen-resource: api_run", 1))
    result = run(workspace, "generate", "kubeflow")
    assert result.returncode == 0, result.stderr
    module = (workspace / "generated" / "kubeflow" / "resources" / "api_run.py").read_text()
    assert "class ApiRunResource:" in module and "class AsyncApiRunResource:" in module
    assert "ApiRun," in module or "import ApiRun\n" in module  # the model keeps its name


def test_json_specs_are_read_like_yaml(workspace: Path) -> None:
    """A spec in JSON (tab-indented, with JSON's escaped slash) generates the same package as in YAML."""
    import json

    import yaml

    source = workspace / "specs" / "kubeflow.yaml"
    data = yaml.safe_load(source.read_text())
    source.unlink()
    text = json.dumps(data, indent="\t", ensure_ascii=False).replace('"/apis', '"\\/apis', 1)
    (workspace / "specs" / "kubeflow.json").write_text(text)
    result = run(workspace, "generate", "kubeflow")
    assert result.returncode == 0, result.stderr
    generated = (workspace / "generated" / "kubeflow" / "resources" / "runs.py").read_text()
    assert generated.replace("specs/kubeflow.json", "specs/kubeflow.yaml") == (
        GENERATED / "kubeflow" / "resources" / "runs.py").read_text()


def test_a_client_needs_no_credential_for_operations_that_declare_none(workspace: Path, tmp_path: Path) -> None:
    """With `security: []` on one operation, the client builds without a key and calls it; an
    operation that needs the key still fails, before sending."""
    spec = workspace / "specs" / "airplane.yaml"
    spec.write_text(spec.read_text().replace("      operationId: getRun\n",
                                             "      operationId: getRun\n      security: []\n", 1))
    assert run(workspace, "generate", "airplane").returncode == 0
    from pytest_httpserver import HTTPServer

    with HTTPServer(host="127.0.0.1") as server:
        server.expect_request("/runs/get").respond_with_json({"id": "run1"})
        script = (
            "import airplane\n"
            f"client = airplane.AirplaneClient(base_url={server.url_for('').rstrip('/')!r})\n"
            "print(client.runs.get(id='run1').id)\n"
            "try:\n"
            "    client.runs.list()\n"
            "except airplane.MissingCredentialsError:\n"
            "    print('refused')\n"
        )
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "AIRPLANE_API_KEY")}
        result = subprocess.run([sys.executable, "-c", script], cwd=workspace / "generated", env=env,
                                capture_output=True, text=True, timeout=60, check=False)
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == ["run1", "refused"]
        assert len(server.log) == 1
        request = server.log[0][0]
        assert "X-Airplane-API-Key" not in request.headers


def test_an_operation_without_operation_id_or_tag_is_named_from_its_path(tmp_path: Path) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "plain.yaml").write_text(
        "openapi: 3.1.0\n"
        "info: {title: Plain, version: '1', x-specgen-package: plain, x-specgen-client: PlainClient}\n"
        "paths:\n"
        "  /v1/runs/{run_id}:archive:\n"
        "    post:\n"
        "      parameters: [{name: run_id, in: path, required: true, schema: {type: string}}]\n"
        "      responses: {'204': {description: Archived.}}\n"
    )
    result = run(tmp_path, "generate")
    assert result.returncode == 0, result.stderr
    module = (tmp_path / "generated" / "plain" / "resources" / "runs.py").read_text()
    assert "def post_runs_by_run_id_archive(" in module


def test_two_operation_ids_with_the_same_python_name_are_told_apart(tmp_path: Path) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "twins.yaml").write_text(
        "openapi: 3.1.0\n"
        "info: {title: Twins, version: '1', x-specgen-package: twins, x-specgen-client: TwinsClient}\n"
        "paths:\n"
        "  /a: {get: {operationId: getItems, tags: [items], responses: {'204': {description: A.}}}}\n"
        "  /b: {get: {operationId: get_items, tags: [items], responses: {'204': {description: B.}}}}\n"
    )
    result = run(tmp_path, "generate")
    assert result.returncode == 0, result.stderr
    module = (tmp_path / "generated" / "twins" / "resources" / "items.py").read_text()
    first, second = module.index("def get_items("), module.index("def get_items_(")
    assert first < second and '"/a"' in module[first:second] and '"/b"' in module[second:]


def test_the_pre_commit_hooks_run_commands_the_cli_has() -> None:
    """.pre-commit-hooks.yaml lets a project run `specgen check` from pre-commit: each hook's entry
    is a specgen command with options that command takes."""
    import yaml  # type: ignore[import-untyped, unused-ignore]

    from specgen.cli import main

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert {hook["id"] for hook in hooks} == {"specgen-check", "specgen-validate"}
    for hook in hooks:
        program, command, *options = hook["entry"].split()
        assert program == "specgen" and command in main.commands  # type: ignore[attr-defined]
        known = {name for param in main.commands[command].params for name in param.opts}  # type: ignore[attr-defined]
        assert set(options) <= known
        assert hook["language"] == "python" and hook["pass_filenames"] is False
