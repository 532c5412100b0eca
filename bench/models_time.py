"""Time and memory of building one giant's models.py, with specgen's emitter or with datamodel-code-generator.

Run each variant in its own process under ``/usr/bin/time`` (peak memory is the process's), e.g.:

    /usr/bin/time -f '%e s %M KB' .venv/bin/python bench/models_time.py github modelgen
    /usr/bin/time -f '%e s %M KB' .venv/bin/python bench/models_time.py github dcg
    /usr/bin/time -f '%e s %M KB' .venv/bin/python bench/models_time.py github none   # loading only

Every variant loads the spec and builds the IR first (as ``generate`` does; the validation is read
from the result cache when warm); ``modelgen`` and ``dcg`` then build the models (neither reads the
models cache) and lay them out as ``generate`` writes them (``output.format_module``). The script
prints the seconds of the models step alone (wall and CPU) and how many statements went to black.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import modelgen_oracle as harness  # noqa: E402


def main() -> None:
    name, emitter = sys.argv[1], sys.argv[2]
    spec, api = harness.load(dict(harness.spec_paths("giants"))[name])
    if emitter == "none":
        print(f"{name}: loaded")
        return
    from specgen import layout, output

    calls: list[str] = []

    def counting(text: str) -> str:
        calls.append(text)
        return output.format_source(text)

    wall, cpu = time.perf_counter(), time.process_time()
    if emitter == "modelgen":
        from specgen import modelgen

        source = modelgen.render_models(spec, api).text()
    else:
        import dcg_models

        source = dcg_models.render_models(spec, api)
    built = time.perf_counter() - wall, time.process_time() - cpu
    layout.formatted(source, counting)
    done = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{name} {emitter}: build {built[0]:.2f} s (cpu {built[1]:.2f}), build + layout {done[0]:.2f} s "
          f"(cpu {done[1]:.2f}); black ran on {len(calls)} pieces ({sum(map(len, calls))} characters) "
          f"of {len(source)}")


if __name__ == "__main__":
    main()
