"""[tool.specgen] in a project's pyproject.toml: folders, providers, strictness and package names
from the nearest pyproject.toml that has the table (from any subfolder), command-line options over
them, the options recorded in the manifest, and one located problem (exit 2) for a bad table."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import GENERATED, SPECS
from specgen import manifest, pipeline, spec
from test_cli import run, snapshot, workspace  # noqa: F401 - workspace is a fixture used by name
from test_validation import warn

#: Each spec's file stem (the provider name) → its info (package and client class), from specs/.
INFO = {path.stem: spec.read(path).data["info"] for path in pipeline.spec_files(SPECS)}
FIRST, SECOND = sorted(INFO)[:2]
NAME = manifest.NAME


def line_of(text: str, needle: str) -> int:
    return text[:text.index(needle)].count("\n") + 1


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project that keeps its specs in api-specs/ and vendors two clients under src/myproject/vendor."""
    shutil.copytree(SPECS, tmp_path / "api-specs")
    (tmp_path / "src" / "myproject").mkdir(parents=True)
    # A pyproject.toml without the table on the way up is passed over.
    (tmp_path / "src" / "pyproject.toml").write_text("[tool.black]\nline-length = 100\n")
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "myproject"\n\n'
        "[tool.specgen]\n"
        'specs = "api-specs"\n'
        'out = "src/myproject/vendor"\n'
        f'providers = ["{FIRST}", "{SECOND}"]\n'
        'package-prefix = "acme_"\n\n'
        f"[tool.specgen.provider.{SECOND}]\n"
        'package = "second_client"\n'
    )
    return tmp_path


def vendored(project: Path) -> list[str]:
    out = project / "src" / "myproject" / "vendor"
    return sorted(d.name for d in out.iterdir() if d.is_dir())


def test_the_table_names_folders_providers_and_packages_from_a_subfolder(project: Path) -> None:
    here = project / "src" / "myproject"
    result = run(here, "generate")
    assert result.returncode == 0, result.stderr
    first = "acme_" + INFO[FIRST]["x-specgen-package"]
    assert vendored(project) == sorted([first, "second_client"])
    assert f"generated vendor/{first} from ../../api-specs/{FIRST}.yaml" in result.stdout
    assert not (here / "generated").exists() and not (project / "generated").exists()
    recorded = json.loads((here / "vendor" / NAME).read_text())["packages"]
    assert recorded[first]["options"] == {"package-prefix": "acme_"}
    assert recorded["second_client"]["options"] == {"package": "second_client"}

    script = (f"import {first}, {first}.client as client\n"
              f"assert client.USER_AGENT.startswith('{first}-python/'), client.USER_AGENT\n"
              f"print({first}.{INFO[FIRST]['x-specgen-client']}.__module__)\n")
    env = {**os.environ, "PYTHONPATH": str(here / "vendor")}
    imported = subprocess.run([sys.executable, "-c", script], cwd=project, env=env, capture_output=True, text=True,
                              check=False)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == f"{first}.client"

    for args in (["check"], ["check", "--full"], ["validate", "--strict"]):
        result = run(here, *args)
        assert result.returncode == 0, result.stdout + result.stderr
    assert f"by {NAME}" in run(project, "check").stdout


def test_changed_options_make_check_stale_and_generate_renames(project: Path) -> None:
    assert run(project, "generate").returncode == 0
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('package-prefix = "acme_"', 'package-prefix = "team_"'))
    old, new = "acme_" + INFO[FIRST]["x-specgen-package"], "team_" + INFO[FIRST]["x-specgen-package"]
    result = run(project, "check")
    assert result.returncode == 1
    assert (f"stale: vendor/{old}: options in pyproject.toml changed (package-prefix: 'acme_' -> 'team_')"
            in result.stderr)
    assert f"vendor/{new}/__init__.py: missing" in result.stderr and f"vendor/{old}/__init__.py: extra" in result.stderr
    assert run(project, "check", "--full").returncode == 1
    result = run(project, "generate")
    assert result.returncode == 0 and f"removed src/myproject/vendor/{old}" in result.stdout
    assert vendored(project) == sorted([new, "second_client"])
    assert run(project, "check").returncode == 0

    pyproject.write_text(pyproject.read_text().replace('package = "second_client"', 'package = "second_api"'))
    result = run(project, "check")
    assert result.returncode == 1
    assert ("stale: vendor/second_client: options in pyproject.toml changed (package: 'second_client' -> "
            "'second_api')") in result.stderr


def test_command_line_options_override_the_table(project: Path) -> None:
    result = run(project, "generate", FIRST, "--out", "elsewhere")
    assert result.returncode == 0, result.stderr
    assert sorted(d.name for d in (project / "elsewhere").iterdir() if d.is_dir()) == [
        "acme_" + INFO[FIRST]["x-specgen-package"]]
    assert not (project / "src" / "myproject" / "vendor").exists()
    result = run(project, "validate", "--specs", str(SPECS))
    assert result.returncode == 0 and result.stdout.count("ok ") == 2, result.stderr  # the table's providers


def test_strict_from_the_table_and_no_strict_from_the_command_line(workspace: Path) -> None:
    warn(workspace)  # warnings in specs/airplane.yaml
    (workspace / "pyproject.toml").write_text("[tool.specgen]\nstrict = true\n")
    before = snapshot(workspace / "generated")
    result = run(workspace, "generate")
    assert result.returncode == 2 and "(2 warnings, --strict); nothing was written" in result.stderr
    assert snapshot(workspace / "generated") == before
    assert run(workspace, "validate").returncode == 2
    assert run(workspace, "validate", "--no-strict").returncode == 0
    assert run(workspace, "generate", "--no-strict").returncode == 0


def test_a_pyproject_without_the_table_changes_nothing(workspace: Path) -> None:
    (workspace / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.black]\nline-length = 100\n')
    shutil.rmtree(workspace / "generated")
    assert run(workspace, "generate").returncode == 0
    assert (workspace / "generated" / NAME).read_bytes() == (GENERATED / NAME).read_bytes()


@dataclass(frozen=True)
class BadTable:
    id: str
    table: str  # the [tool.specgen] part of pyproject.toml
    message: str
    at: str  # the reported line is the line of this text
    hint: str


BAD_TABLES = [
    BadTable("unknown-key", 'spec = "specs"\n', "unknown key 'spec' in [tool.specgen]", "spec =",
             "did you mean 'specs'?"),
    BadTable("wrong-type", "strict = \"yes\"\n", "[tool.specgen] strict must be true or false, not a string ('yes')",
             "strict", "write strict = true"),
    BadTable("path-not-a-string", "out = 3\n", "[tool.specgen] out must be a folder name, not a number (3)", "out",
             'out = "generated"'),
    BadTable("providers-not-a-list", f'providers = "{FIRST}"\n', "[tool.specgen] providers must be a list", "providers",
             "providers = ["),
    BadTable("unknown-provider", f'providers = ["{FIRST}", "nope"]\n', "provider 'nope' has no spec", "providers",
             f"specs: {', '.join(sorted(INFO))}"),
    BadTable("provider-table-without-spec", '[tool.specgen.provider.nope]\npackage = "x"\n',
             "[tool.specgen.provider.nope] names no spec", "[tool.specgen.provider.nope]", "file stem"),
    BadTable("unknown-provider-key", f'[tool.specgen.provider.{FIRST}]\npkg = "x"\n',
             f"unknown key 'pkg' in [tool.specgen.provider.{FIRST}]", "pkg =", "package, package-prefix"),
    BadTable("dotted-provider-key", f'provider.{FIRST}.package = 7\n',
             f"[tool.specgen.provider.{FIRST}] package must be a string, not a number (7)", "provider.", "package ="),
    BadTable("package-and-prefix", f'[tool.specgen.provider.{FIRST}]\npackage = "x"\npackage-prefix = "y_"\n',
             f"[tool.specgen.provider.{FIRST}] sets both package and package-prefix", "package-prefix",
             "keep one of them"),
    BadTable("package-not-an-identifier", f'[tool.specgen.provider.{FIRST}]\npackage = "my-client"\n',
             "package 'my-client' is not a valid Python identifier", "package =", "not a keyword"),
    BadTable("package-is-a-keyword", f'[tool.specgen.provider.{FIRST}]\npackage = "class"\n',
             "package 'class' is not a valid Python identifier", "package =", "not a keyword"),
    BadTable("package-shadows-a-module", f'[tool.specgen.provider.{FIRST}]\npackage = "json"\n',
             "package name 'json' would shadow the module", "package =", "distinctive package name"),
    BadTable("package-private", f'[tool.specgen.provider.{FIRST}]\npackage = "_x"\n',
             "package '_x' starts with an underscore", "package =", "choose another name"),
    BadTable("prefix-not-a-name-start", 'package-prefix = "1"\n',
             "[tool.specgen] package-prefix must be a string that starts with a letter", "package-prefix",
             'package-prefix = "acme_"'),
    BadTable("provider-prefix-not-a-string", f'[tool.specgen.provider.{FIRST}]\npackage-prefix = false\n',
             f"[tool.specgen.provider.{FIRST}] package-prefix must be a string that starts with a letter and holds "
             "only ASCII letters, digits and underscores, not a boolean (False)", "package-prefix", "acme_"),
    BadTable("two-providers-one-package",
             f'[tool.specgen.provider.{FIRST}]\npackage = "shared"\n[tool.specgen.provider.{SECOND}]\npackage = "shared"\n',
             f"package 'shared' of specs/{SECOND}.yaml is also generated from specs/{FIRST}.yaml",
             f'[tool.specgen.provider.{SECOND}]\npackage = "shared"', "give each provider its own package"),
    BadTable("not-toml", "out = [\n", "not valid TOML", "out = [", "fix the syntax"),
]


@pytest.mark.parametrize("bad", BAD_TABLES, ids=lambda b: b.id)
@pytest.mark.parametrize("command", ["generate", "check", "validate"])
def test_a_bad_table_is_one_located_problem_and_nothing_is_written(workspace: Path, bad: BadTable,
                                                                   command: str) -> None:
    text = '[project]\nname = "x"\n\n[tool.specgen]\n' + bad.table
    (workspace / "pyproject.toml").write_text(text)
    line = line_of(text, bad.at) + (1 if bad.id == "two-providers-one-package" else 0)
    before = snapshot(workspace / "generated")
    result = run(workspace, command)
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"pyproject.toml:{line}: error: {bad.message}" in result.stderr, result.stderr
    assert "hint: " in result.stderr and bad.hint in result.stderr
    assert result.stderr.count("error:") == 1 and "Traceback" not in result.stderr
    assert snapshot(workspace / "generated") == before


def test_problems_are_located_in_the_pyproject_found_from_a_subfolder(workspace: Path) -> None:
    (workspace / "pyproject.toml").write_text("[tool.specgen]\nout = 3\n")
    (workspace / "deep" / "er").mkdir(parents=True)
    result = run(workspace / "deep" / "er", "check")
    assert result.returncode == 2
    assert result.stderr.startswith("../../pyproject.toml:2: error: [tool.specgen] out must be a folder name")


def test_templates_from_the_table_are_found_from_a_subfolder(workspace: Path) -> None:
    from specgen.render import TEMPLATES

    template = workspace / "my-templates" / "package" / "resources" / "__init__.py.jinja"
    template.parent.mkdir(parents=True)
    template.write_text((TEMPLATES / "package" / "resources" / "__init__.py.jinja").read_text() + "# House style\n")
    (workspace / "pyproject.toml").write_text('[tool.specgen]\ntemplates = "my-templates"\n')
    (workspace / "sub").mkdir()
    assert run(workspace / "sub", "generate").returncode == 0
    assert "# House style" in (workspace / "generated" / FIRST / "resources" / "__init__.py").read_text()
    assert run(workspace / "sub", "check").returncode == 0
    (workspace / "pyproject.toml").write_text('[tool.specgen]\ntemplates = "nowhere"\n')
    result = run(workspace / "sub", "check")
    assert result.returncode == 2
    assert result.stderr.startswith("../pyproject.toml:2: error: templates folder ../nowhere does not exist")
