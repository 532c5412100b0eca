"""The differential harness of :mod:`specgen.modelgen`: its ``models.py`` against datamodel-code-generator's.

datamodel-code-generator (DCG) built ``models.py`` before specgen had an emitter of its own; its
output, post-processed as ``specgen generate`` wrote it (:func:`oracle`), is the reference the new
emitter (:func:`candidate`) is held to, byte for byte after formatting, on every spec of a set:

``specs``     the project's own specs (``specs/``);
``fixtures``  the test fixtures (``tests/fixtures/*.yaml`` and ``tests/fixtures/diff/``);
``corpus``    the 60 real specs of ``tests/corpus/sample.txt``, imported as ``specgen import`` does;
``giants``    GitHub, Stripe and Kubernetes, imported likewise.

DCG takes minutes on the giants, so the oracle's result is kept under
``~/.cache/specgen-tests/modelgen/`` keyed by its input and by the code that shapes it; imported
specs are kept there too. ``tests/test_modelgen.py`` runs the comparison for pytest and
``bench/models_diff.py`` from a shell, with a report and the first differences.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
CACHE = Path.home() / ".cache" / "specgen-tests" / "modelgen"
sys.path.insert(0, str(ROOT / "tests" / "corpus"))

import corpus  # noqa: E402

#: name -> (npm package, file in it), as tests/test_giants.py fetches them.
GIANTS = {
    "kubernetes": (corpus.PACKAGE, "api/kubernetes.io.json"),
    "stripe": (corpus.PACKAGE, "api/stripe.com.json"),
    "github": ("@octokit/openapi@23.0.2", "generated/api.github.com.json"),
}
SETS = ("specs", "fixtures", "corpus", "giants")


def spec_paths(which: str) -> list[tuple[str, Path]]:
    """``(name, spec file)`` of every spec of the set ``which`` (see the module docstring)."""
    if which == "specs":
        return [(p.stem, p) for p in sorted((ROOT / "specs").glob("*.yaml"))]
    if which == "fixtures":
        return [(p.stem, p) for p in sorted([*FIXTURES.glob("*.yaml"), *(FIXTURES / "diff").glob("*.yaml")])]
    if which == "corpus":
        api = corpus.fetch()
        return [(corpus.provider_name(name, index), imported(api / name, corpus.provider_name(name, index)))
                for index, name in enumerate(corpus.sample())]
    if which == "giants":
        return [(name, imported(_giant_document(name), name)) for name in GIANTS]
    raise ValueError(f"unknown set {which!r}; the sets are {', '.join(SETS)}")


def _giant_document(name: str) -> Path:
    package, member = GIANTS[name]
    return corpus.fetch() / Path(member).name if package == corpus.PACKAGE else corpus.fetch_file(package, member)


def _code_hash(*modules: str) -> str:
    digest = hashlib.sha256()
    for module in modules:
        digest.update((ROOT / module).read_bytes())
    return digest.hexdigest()[:16]


def imported(document: Path, provider: str) -> Path:
    """``specs/<provider>.yaml`` as ``specgen import`` writes it from ``document`` (cached by the
    importer's code)."""
    from specgen import importer

    folder = CACHE / "specs" / _code_hash(*sorted(str(p.relative_to(ROOT)) for p in (ROOT / "specgen" / "importer").glob("*.py")))
    target = folder / f"{provider}.yaml"
    if not target.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        importer.import_spec(str(document), provider, folder)
    return target


def load(path: Path) -> tuple[Any, Any]:
    """The spec and IR ``specgen generate`` builds the package from."""
    from specgen import pipeline

    return pipeline.build_ir(path)


#: The modules whose code shapes the oracle's text.
_ORACLE_CODE = ("tests/dcg_models.py", "tests/dcg_templates/Enum.jinja2", "specgen/modelgen/nested.py",
                "specgen/layout.py", "specgen/output.py", "specgen/text.py", "specgen/naming.py")
#: The one line modelgen writes otherwise, on purpose: the module docstring no longer names DCG.
DOCSTRINGS = ('"""The JSON bodies of the API as pydantic models (built with datamodel-code-generator)."""',
              '"""The JSON bodies of the API as pydantic models."""')


def oracle(spec: Any, api: Any) -> str:
    """``models.py`` as datamodel-code-generator built it, formatted as ``specgen generate`` writes it."""
    import dcg_models

    from specgen import output

    key = hashlib.sha256(json.dumps([dcg_models.dcg_input(spec), dict(api.class_names)], sort_keys=True,
                                    ensure_ascii=False, default=repr).encode("utf-8", "surrogatepass"))
    key.update(_code_hash(*_ORACLE_CODE).encode())
    stored = CACHE / "oracle" / f"{key.hexdigest()}.py"
    if stored.is_file():
        return stored.read_text(encoding="utf-8", errors="surrogatepass").replace(*DOCSTRINGS, 1)
    text = output.format_module(dcg_models.render_models(spec, api))
    stored.parent.mkdir(parents=True, exist_ok=True)
    temporary = stored.with_suffix(".tmp")
    temporary.write_text(text, encoding="utf-8", errors="surrogatepass")
    temporary.replace(stored)
    return text.replace(*DOCSTRINGS, 1)


def candidate(spec: Any, api: Any) -> str:
    """``models.py`` as :mod:`specgen.modelgen` builds it (not the cached result), formatted the same way."""
    from specgen import modelgen, output

    return output.format_module(modelgen.render_models(spec, api).text())


def differences(expected: str, got: str, context: int = 3) -> Iterator[str]:
    return difflib.unified_diff(expected.splitlines(keepends=True), got.splitlines(keepends=True),
                                "datamodel-code-generator", "modelgen", n=context)
