"""specgen installs as a tool: the wheel carries everything it needs, and works with no checkout around.

The wheel is built from this checkout, installed into a fresh virtual environment (so every
dependency must be declared), and used in a temporary project that holds only a ``specs/`` folder.
Its output must be byte-identical to what the checkout generates.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import GENERATED, ROOT, SPECS
from specgen import output, pipeline, spec


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bin/`` folder of a fresh virtual environment with the specgen wheel installed."""
    work = tmp_path_factory.mktemp("install")
    wheels = work / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels),
                    str(ROOT)], check=True, capture_output=True, timeout=300)
    (wheel,) = wheels.glob("specgen-*.whl")
    environment = work / "venv"
    venv.create(environment, with_pip=True)
    bin_dir = environment / ("Scripts" if sys.platform == "win32" else "bin")
    result = subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
                            capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return bin_dir


def test_the_installed_tool_generates_in_a_project_of_its_own(installed: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(SPECS, project / "specs")
    specgen = str(installed / "specgen")
    result = subprocess.run([specgen, "generate"], cwd=project, capture_output=True, text=True, timeout=300,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    packages = sorted(d.name for d in (project / "generated").iterdir() if d.is_dir())
    assert packages == sorted(d.name for d in GENERATED.iterdir() if (d / "__init__.py").is_file())
    for package in packages:
        assert output.read_package(project / "generated" / package) == output.read_package(GENERATED / package)
    result = subprocess.run([specgen, "check"], cwd=project, capture_output=True, text=True, timeout=300,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_installed_tool_does_not_import_from_the_checkout(installed: Path, tmp_path: Path) -> None:
    code = "import specgen, specgen.render; print(specgen.__file__); print(specgen.render.TEMPLATES.is_dir())"
    result = subprocess.run([str(installed / "python"), "-c", code], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60, check=True)
    location, templates_found = result.stdout.split()
    assert not Path(location).is_relative_to(ROOT) and templates_found == "True"


def test_a_fresh_project_from_init_to_check(installed: Path, tmp_path: Path) -> None:
    """What a new user does with the wheel: init an empty folder, import a spec from a file (a copy of
    the first spec of specs/), generate and check; then rename the package from pyproject.toml."""
    source = pipeline.spec_files(SPECS)[0]
    provider = source.stem
    downloaded = tmp_path / "downloads" / f"vendor-{source.name}"
    downloaded.parent.mkdir()
    shutil.copy(source, downloaded)
    project = tmp_path / "fresh"
    project.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PYTHONPATH")}

    def specgen(*args: str, expect: int = 0) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([str(installed / "specgen"), *args], cwd=project, env=env, capture_output=True,
                                text=True, timeout=300, check=False)
        assert result.returncode == expect, f"specgen {' '.join(args)}:\n{result.stdout}{result.stderr}"
        return result

    specgen("init")
    specgen("import", str(downloaded), "--provider", provider)
    package = spec.read(project / "specs" / f"{provider}.yaml").data["info"]["x-specgen-package"]
    specgen("generate")
    assert (project / "generated" / package / "client.py").is_file()
    assert "by specgen-manifest.json" in specgen("check").stdout

    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + f'\n[tool.specgen.provider.{provider}]\npackage = "vendored_api"\n')
    stale = specgen("check", expect=1)
    assert f"stale: generated/{package}: options in pyproject.toml changed (package: none -> 'vendored_api')" \
        in stale.stderr
    specgen("generate")
    assert sorted(d.name for d in (project / "generated").iterdir() if d.is_dir()) == ["vendored_api"]
    specgen("check")
    specgen("check", "--full")

    pyproject.write_text(pyproject.read_text().replace('package = "vendored_api"', 'package-prefix = "acme_"'))
    specgen("generate")
    assert sorted(d.name for d in (project / "generated").iterdir() if d.is_dir()) == [f"acme_{package}"]
    specgen("check")
