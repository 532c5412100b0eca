"""Time ``spec.load`` on a synthetic, honest, large spec (N paths, a few schemas each).

Run from the repository root:  .venv/bin/python bench/bench_loader.py [--paths 1000] [--rounds 3]
Prints the file size and the median of the rounds for the parse stage, the structure checks, the
OpenAPI validator and the whole load.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from specgen import spec  # noqa: E402


def synthetic_spec(paths: int) -> str:
    out = ["openapi: 3.1.0", "info:", "  title: Big", "  version: '1'", "paths:"]
    for i in range(paths):
        out += [
            f"  /things{i}/{{id}}:",
            "    parameters:",
            "      - $ref: '#/components/parameters/Id'",
            "    get:",
            f"      operationId: getThing{i}",
            f"      summary: Get thing {i}",
            "      description: A long description of the operation that says what it does in words.",
            "      parameters:",
            "        - name: expand",
            "          in: query",
            "          schema: {type: array, items: {type: string, enum: [a, b, c]}}",
            "      responses:",
            "        '200':",
            "          description: OK",
            "          content:",
            "            application/json:",
            f"              schema: {{$ref: '#/components/schemas/Thing{i}'}}",
            "        default:",
            "          $ref: '#/components/responses/Error'",
            "    post:",
            f"      operationId: postThing{i}",
            "      requestBody:",
            "        required: true",
            "        content:",
            "          application/json:",
            f"            schema: {{$ref: '#/components/schemas/NewThing{i}'}}",
            "      responses:",
            "        '201': {description: Created}",
        ]
    out += [
        "components:",
        "  parameters:",
        "    Id: {name: id, in: path, required: true, schema: {type: string}}",
        "  responses:",
        "    Error:",
        "      description: Error",
        "      content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}",
        "  schemas:",
        "    Error:",
        "      type: object",
        "      properties: {message: {type: string}, code: {type: integer}}",
    ]
    for i in range(paths):
        out += [
            f"    Thing{i}:",
            "      type: object",
            "      required: [id, name]",
            "      properties:",
            "        id: {type: string, format: uuid, example: 3fa85f64-5717-4562-b3fc-2c963f66afa6}",
            "        name: {type: string, maxLength: 100, pattern: '^[a-z]+$', default: abc}",
            "        created: {type: string, format: date-time, example: 2024-01-01T00:00:00Z}",
            "        tags: {type: array, items: {type: string}}",
            f"        parent: {{$ref: '#/components/schemas/Thing{i}'}}",
            f"        spec: {{$ref: '#/components/schemas/NewThing{i}'}}",
            "        status: {type: string, enum: [active, inactive, deleted], default: active}",
            "        size: {anyOf: [{type: integer}, {type: 'null'}]}",
            f"    NewThing{i}:",
            "      type: object",
            "      properties:",
            "        name: {type: string}",
            "        labels: {type: object, additionalProperties: {type: string}}",
            "        count: {type: integer, minimum: 0, maximum: 1000}",
        ]
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--paths", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--parse-only", action="store_true", help="time reading the YAML only (for big sizes)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.yaml"
        path.write_text(synthetic_spec(args.paths))
        print(f"{path.stat().st_size / 1e6:.1f} MB, {args.paths} paths")
        stages: dict[str, list[float]] = {"parse": [], "structure": [], "openapi": [], "load": [], "load (CPU)": []}
        for _ in range(args.rounds):
            start = time.perf_counter()
            if hasattr(spec, "yamlload"):
                loaded = spec.Spec(path, *spec.yamlload.load_yaml(path, spec.yamlload.read_text(path)))
            else:  # the loader before issue 6, for comparison
                loaded = spec._parse(path, path.read_text())  # type: ignore[attr-defined]
            stages["parse"].append(time.perf_counter() - start)
            if args.parse_only:
                continue
            start = time.perf_counter()
            risky: list[spec.Pointer] = []
            new = hasattr(spec, "validator")
            assert not list(spec._check_structure(loaded, risky) if new else spec._check_structure(loaded))
            stages["structure"].append(time.perf_counter() - start)
            start = time.perf_counter()
            problems = list(spec.validator.check(loaded, risky) if new else spec._check_openapi(loaded))
            assert not problems, problems[:3]
            stages["openapi"].append(time.perf_counter() - start)
            start, cpu = time.perf_counter(), time.process_time()
            spec.load(path)
            stages["load"].append(time.perf_counter() - start)
            stages["load (CPU)"].append(time.process_time() - cpu)
        for stage, times in stages.items():
            if not times:
                continue
            print(f"{stage:>10}: {statistics.median(times):6.2f} s  (median of {args.rounds})")


if __name__ == "__main__":
    main()
