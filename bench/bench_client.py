"""Benchmark the generated clients against their peer, raw httpx + pydantic, in one run on 127.0.0.1.

Per call: ``AirplaneClient.runs.get`` (sync) and ``AsyncAirplaneClient.runs.get`` against
``httpx.get`` + ``GetRunResponse.model_validate_json`` on the same keep-alive server, alternating
call by call so machine noise hits both alike; medians and their ratio are printed. Cold import: each
generated package imported in fresh interpreters (median of many).

Run from the repository root:  .venv/bin/python bench/bench_client.py [--calls 500] [--rounds 9]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import pydantic

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"
sys.path.insert(0, str(GENERATED))

import airplane  # noqa: E402
from airplane.models import GetRunResponse  # noqa: E402

API_KEY = "tkn_benchmark"
RUN_ID = "run20220111zlq2ig4"
PACKAGES = sorted(p.name for p in GENERATED.iterdir() if (p / "__init__.py").is_file())

# A keep-alive HTTP/1.1 server in its own process (so it does not share the GIL with the clients),
# always answering with the body given on its command line.
SERVER = r"""
import asyncio, sys
body = sys.argv[1].encode()
head = (b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
        + str(len(body)).encode() + b"\r\n\r\n")
async def serve(reader, writer):
    try:
        while True:
            request = await reader.readuntil(b"\r\n\r\n")
            if not request:
                break
            writer.write(head + body)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    writer.close()
async def main():
    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()
asyncio.run(main())
"""


def response_body() -> str:
    """A full GetRunResponse: every field of the seed document, from the spec's examples."""
    import yaml

    spec = yaml.safe_load((ROOT / "specs" / "airplane.yaml").read_text())
    properties = spec["components"]["schemas"]["GetRunResponse"]["properties"]
    run = {name: prop["examples"][0] for name, prop in properties.items() if "examples" in prop}
    run["params"] = [{"name": "user", "slug": "user", "type": "string", "desc": "Who to greet"}]
    run["permissions"] = [{"action": "runs.get", "roleID": "team_admin"}]
    return json.dumps(run)


def time_pair(first: Callable[[], object], second: Callable[[], object], calls: int) -> tuple[list[float], list[float]]:
    """Per-call seconds of two contenders, alternating call by call (A B B A ...) so noise hits both."""
    times: tuple[list[float], list[float]] = ([], [])
    for index in range(calls):
        order = ((0, first), (1, second)) if index % 2 == 0 else ((1, second), (0, first))
        for slot, call in order:
            start = time.perf_counter()
            call()
            times[slot].append(time.perf_counter() - start)
    return times


async def time_pair_async(
    first: Callable[[], Awaitable[object]], second: Callable[[], Awaitable[object]], calls: int
) -> tuple[list[float], list[float]]:
    """The async twin of :func:`time_pair`."""
    times: tuple[list[float], list[float]] = ([], [])
    for index in range(calls):
        order = ((0, first), (1, second)) if index % 2 == 0 else ((1, second), (0, first))
        for slot, call in order:
            start = time.perf_counter()
            await call()
            times[slot].append(time.perf_counter() - start)
    return times


def per_call(base_url: str, calls: int, rounds: int) -> dict[str, list[list[float]]]:
    """Per-call seconds for each contender, one list per round."""
    url = f"{base_url}/runs/get"
    results: dict[str, list[list[float]]] = {"raw httpx (sync)": [], "generated (sync)": [],
                                             "raw httpx (async)": [], "generated (async)": []}
    with httpx.Client() as http, airplane.AirplaneClient(api_key=API_KEY, base_url=base_url) as client:

        def raw() -> GetRunResponse:
            response = http.get(url, params={"id": RUN_ID}, headers={"X-Airplane-API-Key": API_KEY})
            response.raise_for_status()
            return GetRunResponse.model_validate_json(response.content)

        def generated() -> GetRunResponse:
            return client.runs.get(id=RUN_ID)

        assert raw() == generated()
        time_pair(raw, generated, calls // 5)  # warm up connections and caches
        for _ in range(rounds):
            raw_times, generated_times = time_pair(raw, generated, calls)
            results["raw httpx (sync)"].append(raw_times)
            results["generated (sync)"].append(generated_times)

    async def run_async() -> None:
        async with httpx.AsyncClient() as http, airplane.AsyncAirplaneClient(
            api_key=API_KEY, base_url=base_url
        ) as client:

            async def raw() -> GetRunResponse:
                response = await http.get(url, params={"id": RUN_ID}, headers={"X-Airplane-API-Key": API_KEY})
                response.raise_for_status()
                return GetRunResponse.model_validate_json(response.content)

            async def generated() -> GetRunResponse:
                return await client.runs.get(id=RUN_ID)

            assert await raw() == await generated()
            await time_pair_async(raw, generated, calls // 5)
            for _ in range(rounds):
                raw_times, generated_times = await time_pair_async(raw, generated, calls)
                results["raw httpx (async)"].append(raw_times)
                results["generated (async)"].append(generated_times)

    asyncio.run(run_async())
    return results


def import_times(package: str, runs: int) -> tuple[float, float]:
    """Median ms of ``import package`` and of import + client + models, each in a fresh interpreter."""
    exported = importlib.import_module(package).__all__
    client_class = next(name for name in exported if name.endswith("Client") and not name.startswith("Async"))
    probes = (
        f"import {package}",
        f"import {package}; {package}.{client_class}(base_url='http://127.0.0.1', "
        f"**{{a: 'x' for a in __import__('inspect').signature({package}.{client_class}).parameters "
        f"if a in ('api_key', 'token')}}); import {package}.models",
    )
    medians = []
    for probe in probes:
        code = f"import time; t = time.perf_counter(); {probe}; print((time.perf_counter() - t) * 1000)"
        samples = [
            float(subprocess.run([sys.executable, "-c", code], cwd=GENERATED, capture_output=True,
                                 text=True, check=True).stdout)
            for _ in range(runs)
        ]
        medians.append(statistics.median(samples))
    return medians[0], medians[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=500, help="calls per contender per round")
    parser.add_argument("--rounds", type=int, default=9, help="interleaved rounds")
    parser.add_argument("--imports", type=int, default=15, help="fresh interpreters per import figure")
    args = parser.parse_args()

    server = subprocess.Popen([sys.executable, "-c", SERVER, response_body()], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        base_url = f"http://127.0.0.1:{server.stdout.readline().strip()}"
        results = per_call(base_url, args.calls, args.rounds)
    finally:
        server.terminate()
        server.wait()

    print(f"specgen client benchmark — Python {platform.python_version()}, httpx {httpx.__version__}, "
          f"pydantic {pydantic.VERSION}, {platform.machine()}, 127.0.0.1")
    print(f"\nPer call: airplane runs.get vs httpx.get + GetRunResponse.model_validate_json "
          f"({args.rounds} rounds x {args.calls} calls each, alternating call by call)")
    print(f"  {'contender':22s} {'median µs':>10s} {'p90 µs':>10s}")
    for name, rounds_ in results.items():
        ordered = sorted(t for times in rounds_ for t in times)
        print(f"  {name:22s} {statistics.median(ordered) * 1e6:10.1f} {ordered[int(len(ordered) * 0.9)] * 1e6:10.1f}")
    print("  ratio generated/raw: of the overall medians | median of the per-round ratios (target <= 1.10)")
    for mode in ("sync", "async"):
        generated, raw = results[f"generated ({mode})"], results[f"raw httpx ({mode})"]
        overall = statistics.median(t for r in generated for t in r) / statistics.median(t for r in raw for t in r)
        per_round = statistics.median(statistics.median(g) / statistics.median(r) for g, r in zip(generated, raw))
        print(f"    {mode:5s} {overall:.3f} | {per_round:.3f}")

    print(f"\nCold import, median of {args.imports} fresh interpreters (target <= 150 ms for `import <package>`)")
    print(f"  {'package':14s} {'import ms':>10s} {'+ client + models ms':>22s}")
    for package in PACKAGES:
        bare, ready = import_times(package, args.imports)
        print(f"  {package:14s} {bare:10.1f} {ready:22.1f}")


if __name__ == "__main__":
    main()
