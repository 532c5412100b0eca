"""specgen installs as a tool: the wheel carries everything it needs, and works with no checkout around.

The wheel is built from this checkout, installed into a fresh virtual environment (so every
dependency must be declared), and used in a temporary project that holds only a ``specs/`` folder.
Its output must be byte-identical to what the checkout generates.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import GENERATED, ROOT, SPECS
from specgen import output


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
