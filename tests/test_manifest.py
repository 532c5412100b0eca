"""generated/specgen-manifest.json and the `check` that reads it: an unchanged tree is answered from
the manifest, and each cause of staleness is named before the full comparison."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path


from conftest import GENERATED, PROVIDERS, SPECS
from specgen import fingerprint, manifest
from test_cli import run, workspace  # noqa: F401 - workspace is a fixture used by name

NAME = manifest.NAME


def test_the_committed_manifest_records_every_package_and_file() -> None:
    recorded = json.loads((GENERATED / NAME).read_text())["packages"]
    assert sorted(recorded) == sorted(PROVIDERS)
    for name, record in recorded.items():
        files = sorted(p.relative_to(GENERATED / name).as_posix() for p in (GENERATED / name).rglob("*")
                       if p.is_file() and "__pycache__" not in p.parts)
        assert sorted(record["files"]) == files
        assert (GENERATED / record["spec"]).resolve().parent == SPECS
        assert record["tools"] == fingerprint.tools()
        assert record["generator_sha256"] == fingerprint.generator()


def test_output_tools_are_exactly_the_pinned_dependencies() -> None:
    """The manifest records the tools pyproject.toml pins with ==, and only those (another version
    of an unpinned one would make the manifest differ between machines)."""
    pyproject = (SPECS.parent / "pyproject.toml").read_text()
    dependencies = pyproject.split("dependencies = [", 1)[1].split("]", 1)[0]
    pinned = sorted(line.strip().strip('",').split("==")[0] for line in dependencies.splitlines()
                    if "==" in line and not line.strip().startswith("#"))
    # markdown-it-py is pinned for `specgen transcribe` (it decides the specs it writes), not for generated/
    assert sorted(fingerprint.OUTPUT_TOOLS) == [name for name in pinned if name != "markdown-it-py"]


def test_an_unchanged_tree_is_answered_from_the_manifest(workspace: Path) -> None:
    result = run(workspace, "check")
    assert result.returncode == 0, result.stderr
    assert f"by {NAME}" in result.stdout
    full = run(workspace, "check", "--full")
    assert full.returncode == 0, full.stderr
    assert f"by {NAME}" not in full.stdout


def test_two_generates_write_the_same_manifest(workspace: Path) -> None:
    assert run(workspace, "generate").returncode == 0
    first = (workspace / "generated" / NAME).read_bytes()
    assert first == (GENERATED / NAME).read_bytes()
    assert run(workspace, "generate").returncode == 0
    assert (workspace / "generated" / NAME).read_bytes() == first


def stale(workspace: Path) -> subprocess.CompletedProcess[str]:
    result = run(workspace, "check")
    assert result.returncode == 1, result.stdout + result.stderr
    return result


def test_each_cause_is_named(workspace: Path) -> None:
    spec = workspace / "specs" / "airplane.yaml"
    spec.write_text(spec.read_text().replace("Airplane API key", "The Airplane API key", 1))
    assert "stale: generated/airplane: spec specs/airplane.yaml changed" in stale(workspace).stderr
    assert run(workspace, "generate").returncode == 0

    client = workspace / "generated" / "kubeflow" / "client.py"
    client.write_text(client.read_text() + "# mine\n")
    (workspace / "generated" / "comfydeploy" / "errors.py").unlink()
    (workspace / "generated" / "northflank" / "notes.py").write_text("x = 1\n")
    result = stale(workspace)
    assert "stale: generated/kubeflow: client.py was edited by hand" in result.stderr
    assert "stale: generated/comfydeploy: errors.py is missing" in result.stderr
    assert "stale: generated/northflank: notes.py is extra" in result.stderr
    assert "+# mine" not in result.stdout and "-# mine" in result.stdout  # then the full diff
    assert run(workspace, "generate").returncode == 0

    recorded = json.loads((workspace / "generated" / NAME).read_text())
    recorded["packages"]["airplane"]["generator_sha256"] = "0" * 64
    recorded["packages"]["airplane"]["templates_sha256"] = "0" * 64
    recorded["packages"]["airplane"]["tools"]["black"] = "1.0"
    (workspace / "generated" / NAME).write_text(json.dumps(recorded))
    result = stale(workspace)
    for why in ("specgen's generator changed", "specgen's templates changed", "black changed (1.0 -> "):
        assert f"stale: generated/airplane: {why}" in result.stderr
    assert f"generated/{NAME}: changed" in result.stderr


def test_a_new_spec_or_a_missing_manifest_falls_back_to_the_full_comparison(workspace: Path) -> None:
    shutil.copy(workspace / "specs" / "airplane.yaml", workspace / "specs" / "airplane2.yaml")
    text = (workspace / "specs" / "airplane2.yaml").read_text()
    (workspace / "specs" / "airplane2.yaml").write_text(
        text.replace("x-specgen-package: airplane", "x-specgen-package: airplane2"))
    result = stale(workspace)
    assert "stale: specs/airplane2.yaml: not generated yet" in result.stderr
    assert "generated/airplane2/__init__.py: missing" in result.stderr
    (workspace / "specs" / "airplane2.yaml").unlink()
    (workspace / "generated" / NAME).unlink()
    result = stale(workspace)
    assert "is missing or unreadable" in result.stderr
    assert f"generated/{NAME}: missing" in result.stderr


def test_generating_some_providers_keeps_the_others_records(workspace: Path) -> None:
    before = json.loads((workspace / "generated" / NAME).read_text())
    assert run(workspace, "generate", "kubeflow").returncode == 0
    assert json.loads((workspace / "generated" / NAME).read_text()) == before


def test_a_spec_outside_the_specs_folder_generates_with_spec_and_out(tmp_path: Path) -> None:
    """`generate --spec PATH --out DIR`: a spec kept anywhere, a package written anywhere, and
    nothing else touched (no pruning: other packages in DIR stay)."""
    elsewhere = tmp_path / "vendor-api" / "openapi.yaml"
    elsewhere.parent.mkdir()
    shutil.copy(SPECS / "kubeflow.yaml", elsewhere)
    out = tmp_path / "src" / "myproject" / "vendor"
    (out / "keep").mkdir(parents=True)
    result = run(tmp_path, "generate", "--spec", str(elsewhere), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert (out / "keep").is_dir() and (out / "kubeflow" / "client.py").is_file()
    record = json.loads((out / NAME).read_text())["packages"]["kubeflow"]
    assert (out / record["spec"]).resolve() == elsewhere.resolve()
    assert run(tmp_path, "generate", "--spec", str(tmp_path / "nope.yaml")).returncode == 2
    assert run(tmp_path, "generate", "kubeflow", "--spec", str(elsewhere)).returncode == 2


def test_a_template_override_changes_the_output_and_is_recorded(workspace: Path) -> None:
    """--templates DIR: a file there replaces the built-in template of the same path; the manifest
    records the folder and its hash, and check names a changed, added or dropped override."""
    from specgen.render import TEMPLATES

    overrides = workspace / "my-templates"
    (overrides / "package" / "resources").mkdir(parents=True)
    template = overrides / "package" / "resources" / "__init__.py.jinja"
    template.write_text((TEMPLATES / "package" / "resources" / "__init__.py.jinja").read_text()
                        + "# House style: resources are imported lazily by the client.\n")
    result = run(workspace, "generate", "--templates", "my-templates")
    assert result.returncode == 0, result.stderr
    assert "# House style" in (workspace / "generated" / "airplane" / "resources" / "__init__.py").read_text()
    assert "# House style" not in (workspace / "generated" / "airplane" / "client.py").read_text()
    record = json.loads((workspace / "generated" / NAME).read_text())["packages"]["airplane"]
    assert record["template_overrides"] == "../my-templates"
    assert run(workspace, "check", "--templates", "my-templates").returncode == 0

    assert "stale: generated/airplane: generated with template overrides (../my-templates), none given now" in stale(
        workspace).stderr
    template.write_text(template.read_text() + "# and one more line\n")
    result = run(workspace, "check", "--templates", "my-templates")
    assert result.returncode == 1
    assert "stale: generated/airplane: template overrides changed" in result.stderr
    assert "+# and one more line" in result.stdout


def test_check_from_the_manifest_imports_no_generator(workspace: Path) -> None:
    """The fast path hashes files and reads JSON: black, the pipeline, the importer and
    datamodel-code-generator are imported only by commands that generate (bench/check.py times it)."""
    import sys

    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "specgen", "check"], cwd=workspace,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0 and f"by {NAME}" in result.stdout, result.stdout + result.stderr
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert "specgen.manifest" in imported  # the log is real
    heavy = {"black", "isort", "jinja2", "specgen.pipeline", "specgen.importer", "datamodel_code_generator",
             "openapi_spec_validator", "pydantic", "yaml"}
    assert not heavy & imported
