"""Score `specgen transcribe` on the documentation corpus: each docs folder against the spec it was made from.

Run from the repository root:  .venv/bin/python bench/transcribe.py [--corpus DIR] [--misses]

Each pair's docs folder is transcribed fresh (no existing spec, each dialect's default wire-name
rule) and compared with its reference spec, counting only what the pages show:

* properties: every field of every model page (and every field of a REST response tree) is one item,
  correct when the reference has a field of that wire name, of the same type (a ``$ref`` to the
  schema the page's model stands for; ``number`` on a TypeScript page accepts ``integer``; formats
  and nullability are not shown and not compared) and the same required flag; every enum page is
  one item, correct when its values are the reference's;
* operations: per operation, its HTTP method and path when the page shows them, and each parameter
  it shows (wire name, type, required), the request body and the success response when shown.

Schemas are paired by name (ignoring case), then through the pairs: a field that is a ``$ref`` on
one side and a ``$ref`` or an object in place on the other pairs the two, as do bodies and responses
of paired operations. The Northflank folder has no published spec: its reference is
``specs/northflank.yaml``, and only the operations both cover are scored. Misses are listed with their
cause (``--misses`` prints every one).
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from specgen import naming  # noqa: E402
from specgen.importer import oas30, source, swagger2  # noqa: E402
from specgen.transcribe import run  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures" / "docs-corpus"  # a copy of ../shared/reference/docs-corpus (see its MANIFEST.md)
SCHEMAS = "#/components/schemas/"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class Pair:
    name: str  # the folder in the corpus
    provider: str
    spec: str  # the reference, relative to the pair's folder (or to the repository for Northflank)
    reference_in_repo: bool = False


PAIRS = (
    Pair("speakeasy-sdks__airplane-go-sdk@fdd5ada", "airplane_fdd5ada", "spec/openapi.yaml"),
    Pair("speakeasy-sdks__airplane-go-sdk@e95c04e", "airplane_e95c04e", "spec/openapi.yaml"),
    Pair("gkcalat__pipelines@99090d4", "kubeflow_99090d4", "spec/kfp_api_single_file.swagger.json"),
    Pair("2ynn__speakeasy-bar-typescript@64b7627", "speakeasy_bar", "spec/openapi.yaml"),
    Pair("northflank__skills@c0da377", "northflank_skills", "specs/northflank.yaml", reference_in_repo=True),
)


@dataclass
class Score:
    pair: str
    properties: int = 0
    properties_ok: int = 0
    operations: int = 0  # items of operations (route, parameters, body, response)
    operations_ok: int = 0
    misses: list[str] = field(default_factory=list)
    lenient: int = 0  # number on the page for an integer in the spec

    @property
    def total(self) -> int:
        return self.properties + self.operations

    @property
    def ok(self) -> int:
        return self.properties_ok + self.operations_ok

    @property
    def percent(self) -> float:
        return 100.0 * self.ok / self.total if self.total else 100.0


class _Scorer:
    def __init__(self, got: dict[str, Any], ref: dict[str, Any], score: Score) -> None:
        self.got, self.ref, self.score = got, ref, score
        self.visited: set[tuple[int, int]] = set()
        self.paired: set[str] = set()

    # -- schema helpers -------------------------------------------------------------------------
    def deref(self, doc: dict[str, Any], schema: Any) -> tuple[str | None, dict[str, Any]]:
        name = None
        for _ in range(16):
            if not isinstance(schema, dict):
                return name, {}
            options = schema.get("anyOf") or schema.get("oneOf")
            if isinstance(options, list):
                rest = [o for o in options if not (isinstance(o, dict) and o.get("type") == "null")]
                if len(rest) == 1:
                    schema = rest[0]
                    continue
            all_of = schema.get("allOf")
            if isinstance(all_of, list) and len(all_of) == 1:
                schema = all_of[0]
                continue
            ref = schema.get("$ref")
            if isinstance(ref, str) and ref.startswith(SCHEMAS):
                name = ref[len(SCHEMAS):]
                schema = ((doc.get("components") or {}).get("schemas") or {}).get(name, {})
                continue
            return name, schema
        return name, {}

    def kind(self, schema: dict[str, Any]) -> str:
        kind = schema.get("type")
        if isinstance(kind, list):
            kinds = [k for k in kind if k != "null"]
            kind = kinds[0] if len(kinds) == 1 else "any"
        if kind is None:
            if "properties" in schema or "additionalProperties" in schema:
                return "object"
            return "enum" if "enum" in schema else "any"
        if kind == "object" and isinstance(schema.get("additionalProperties"), dict) and "properties" not in schema:
            return "map"
        return str(kind)

    def same_type(self, got: Any, ref: Any, label: str) -> str | None:
        """None when the types agree, else the cause."""
        got_name, g = self.deref(self.got, got)
        ref_name, r = self.deref(self.ref, ref)
        gk, rk = self.kind(g), self.kind(r)
        if gk == "any" and not got_name:
            return None if rk in ("any", "object") or not r else f"any on the page, {rk} in the spec"
        if gk in ("array", "map"):
            if rk != gk:
                return f"{gk} on the page, {rk} in the spec"
            inner = "items" if gk == "array" else "additionalProperties"
            return self.same_type(g.get(inner, {}), r.get(inner, {}), label + "[]")
        if got_name is not None or "properties" in g:
            if g.get("enum") is not None and r.get("enum") is None:
                return f"enum {got_name} on the page, {rk} without values in the spec"
            if g.get("enum") is None and rk not in ("object", "map", "any"):
                return f"model {got_name or '(object)'} on the page, {rk} in the spec"
            self.pair(got, ref, label)
            return None
        if gk == "object":
            return None if rk in ("object", "map", "any") else f"object on the page, {rk} in the spec"
        if gk == rk:
            return None
        if gk == "number" and rk == "integer":
            self.score.lenient += 1
            return None
        return f"{gk} on the page, {rk} in the spec"

    def pair(self, got: Any, ref: Any, label: str) -> None:
        got_name, g = self.deref(self.got, got)
        _, r = self.deref(self.ref, ref)
        key = (id(g), id(r))
        if key in self.visited or not g:
            return
        self.visited.add(key)
        if got_name:
            self.paired.add(got_name)
        label = got_name or label
        if g.get("enum") is not None and "properties" not in g:
            self.score.properties += 1
            values, expected = [str(v) for v in g["enum"]], [str(v) for v in r.get("enum") or []]
            if sorted(values) == sorted(expected):
                self.score.properties_ok += 1
            else:
                self.score.misses.append(f"enum {label}: values {values} on the page, {expected} in the spec")
            return
        props = g.get("properties") or {}
        ref_props = r.get("properties") or {}
        ref_required = set(r.get("required") or [])
        for wire, prop in props.items():
            self.score.properties += 1
            where = f"{label}.{wire} ({prop.get('x-specgen-source', '?')})"
            if wire not in ref_props:
                close = [n for n in ref_props if n.lower().replace("_", "") == wire.lower().replace("_", "")]
                cause = f"wire name: the spec calls it {close[0]}" if close else "no such field in the spec"
                self.score.misses.append(f"{where}: {cause}")
                continue
            cause = self.same_type(prop, ref_props[wire], f"{label}.{wire}")
            if cause is None and (wire in (g.get("required") or [])) != (wire in ref_required):
                page_required = wire in (g.get("required") or [])
                cause = f"required {page_required} on the page, {not page_required} in the spec"
                if any(str(n).startswith("required: not shown") for n in prop.get("x-specgen-inferred", [])):
                    cause = None  # the page does not show this flag: nothing to compare
            enum = prop.get("enum")
            if cause is None and enum is not None:
                _, target = self.deref(self.ref, ref_props[wire])
                if sorted(map(str, enum)) != sorted(map(str, target.get("enum") or [])):
                    cause = f"enum {enum} on the page, {target.get('enum')} in the spec"
            if cause is None:
                self.score.properties_ok += 1
            else:
                self.score.misses.append(f"{where}: {cause}")

    # -- operations -----------------------------------------------------------------------------
    def operations(self, pair: Pair) -> None:
        ref_ops = _operations(self.ref)
        for path, method, op in _operations(self.got):
            inferred = " ".join(op.get("x-specgen-inferred", []))
            route_shown = "path:" not in inferred
            match = _find(ref_ops, path, method, op, route_shown, self.ref)
            label = f"{method.upper()} {path} ({op.get('x-specgen-source')})"
            if match is None:
                if pair.reference_in_repo:
                    continue  # the reference spec does not cover this operation: not scored
                items = (1 if route_shown else 0) + len(op.get("parameters") or []) + ("requestBody" in op) \
                    + bool(op["responses"]["200"].get("content"))
                self.score.operations += items
                self.score.misses.append(f"{label}: no such operation in the spec ({items} items)")
                continue
            ref_path, ref_method, ref_op = match
            if route_shown:
                self.score.operations += 1
                if (ref_path, ref_method) == (path, method):
                    self.score.operations_ok += 1
                else:
                    self.score.misses.append(f"{label}: route, the spec has {ref_method.upper()} {ref_path}")
            ref_params = {p.get("name"): p for p in _params(self.ref, ref_path, ref_method, ref_op)}
            for param in op.get("parameters") or []:
                self.score.operations += 1
                name = param["name"]
                where = f"{label} parameter {name}"
                if name not in ref_params:
                    close = [n for n in ref_params if str(n).lower().replace("_", "") == name.lower().replace("_", "")]
                    cause = f"wire name: the spec calls it {close[0]}" if close else "no such parameter in the spec"
                    self.score.misses.append(f"{where}: {cause}")
                    continue
                expected = ref_params[name]
                cause = self.same_type(param.get("schema", {}), expected.get("schema", {}), where)
                if cause is None and bool(param.get("required")) != bool(expected.get("required")):
                    cause = f"required {bool(param.get('required'))} on the page, {bool(expected.get('required'))} in the spec"
                if cause is None:
                    self.score.operations_ok += 1
                else:
                    self.score.misses.append(f"{where}: {cause}")
            if "requestBody" in op:
                self.score.operations += 1
                ref_body = _json_schema(ref_op.get("requestBody"))
                if ref_body is None:
                    self.score.misses.append(f"{label}: body on the page, none in the spec")
                else:
                    cause = self.same_type(_json_schema(op["requestBody"]), ref_body, f"{label} body")
                    if cause is None:
                        self.score.operations_ok += 1
                    else:
                        self.score.misses.append(f"{label} body: {cause}")
            response = _json_schema(op["responses"]["200"])
            if response is not None:
                self.score.operations += 1
                ref_response = _success(ref_op)
                if ref_response is None:
                    self.score.misses.append(f"{label}: response on the page, none in the spec")
                else:
                    cause = self.same_type(response, ref_response, f"{label} response")
                    if cause is None:
                        self.score.operations_ok += 1
                    else:
                        self.score.misses.append(f"{label} response: {cause}")


def _operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, item in (doc.get("paths") or {}).items() if isinstance(item, dict)
            for method, op in item.items() if method in METHODS and isinstance(op, dict)]


def _params(doc: dict[str, Any], path: str, method: str, op: dict[str, Any]) -> list[dict[str, Any]]:
    item = (doc.get("paths") or {}).get(path) or {}
    out = []
    for param in list(item.get("parameters") or []) + list(op.get("parameters") or []):
        if isinstance(param, dict) and "$ref" in param:
            param = ((doc.get("components") or {}).get("parameters") or {}).get(param["$ref"].rsplit("/", 1)[-1], {})
        if isinstance(param, dict):
            out.append(param)
    return out


def _json_schema(holder: Any) -> Any:
    if not isinstance(holder, dict):
        return None
    content = holder.get("content") or {}
    for media, value in content.items():
        if "json" in media and isinstance(value, dict) and "schema" in value:
            return value["schema"]
    return None


def _success(op: dict[str, Any]) -> Any:
    for code, response in (op.get("responses") or {}).items():
        if str(code).startswith("2"):
            return _json_schema(response) or {}
    return None


def _sdk_method(doc: dict[str, Any], op: dict[str, Any]) -> str:
    """The SDK method name Speakeasy gives an operation (x-speakeasy-name-override, by pattern too)."""
    own = op.get("x-speakeasy-name-override")
    if isinstance(own, str):
        return own
    op_id = str(op.get("operationId", ""))
    for rule in doc.get("x-speakeasy-name-override") or []:
        if isinstance(rule, dict) and fnmatch.fnmatchcase(op_id, str(rule.get("operationId", ""))):
            return str(rule.get("methodNameOverride", op_id))
    return op_id


def _find(ops: list[tuple[str, str, dict[str, Any]]], path: str, method: str, op: dict[str, Any], route_shown: bool,
          ref: dict[str, Any]) -> tuple[str, str, dict[str, Any]] | None:
    if route_shown:
        for candidate in ops:
            if candidate[0] == path and candidate[1] == method:
                return candidate
    op_id = op.get("operationId")
    if op_id:
        for candidate in ops:
            if str(candidate[2].get("operationId", "")).lower() == str(op_id).lower():
                return candidate
    resource, sdk = op.get("x-specgen-resource"), op.get("x-specgen-method")
    for candidate in ops:
        tags = candidate[2].get("tags") or []
        if tags and naming.snake(str(tags[0])) == resource and naming.snake(_sdk_method(ref, candidate[2])) == sdk:
            return candidate
    return None


def _reference(path: Path) -> dict[str, Any]:
    """The reference spec as OpenAPI 3.1, every schema kept (not only those operations reach)."""
    data, version = source.read_source(str(path))
    if version == "2.0":
        data = swagger2.convert(data)
    return dict(oas30.convert(data, "3.1" if version == "3.1" else "3.0"))


def score_pair(pair: Pair, corpus: Path = CORPUS) -> Score:
    folder = corpus / pair.name
    reference_path = (ROOT / pair.spec) if pair.reference_in_repo else folder / pair.spec
    ref = _reference(reference_path)
    with tempfile.TemporaryDirectory(prefix="specgen-bench-") as specs:
        docs = folder / "docs"
        shown = Path(os.path.relpath(docs))  # pages named relative to the current folder, when it is near
        result = run.transcribe([shown if not str(shown).startswith("../..") else docs], pair.provider, Path(specs))
    got = yaml.safe_load(result.text)
    score = Score(pair.name)
    scorer = _Scorer(got, ref, score)
    scorer.operations(pair)  # pairs bodies and responses first
    ref_names = {name.lower(): name for name in (ref.get("components") or {}).get("schemas") or {}}
    for name, schema in ((got.get("components") or {}).get("schemas") or {}).items():
        # by name, ignoring case; Speakeasy TypeScript renames a schema called like a builtin (Error → ErrorT)
        match = ref_names.get(name.lower()) or (ref_names.get(name[:-1].lower()) if name.endswith("T") else None)
        if match is not None:
            scorer.pair({"$ref": SCHEMAS + name}, {"$ref": SCHEMAS + match}, name)
    for name, schema in ((got.get("components") or {}).get("schemas") or {}).items():
        if name in scorer.paired:
            continue
        count = len(schema.get("properties") or {}) or (1 if "enum" in schema else 0)
        if pair.reference_in_repo or not count:
            continue
        score.properties += count
        score.misses.append(f"{name} ({schema.get('x-specgen-source')}): no schema in the spec stands for it "
                            f"({count} items)")
    return score


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--misses", action="store_true", help="print every miss with its cause")
    parser.add_argument("--json", type=Path, help="also write the scores to this file")
    args = parser.parse_args()
    scores = [score_pair(pair, args.corpus) for pair in PAIRS]
    print(f"| {'pair':<42} | properties | operations |  score |")
    print(f"|{'-' * 44}|------------|------------|--------|")
    for s in scores:
        print(f"| {s.pair:<42} | {s.properties_ok:>4} / {s.properties:<4}| {s.operations_ok:>4} / {s.operations:<4}| "
              f"{s.percent:5.1f}% |")
    for s in scores:
        if s.misses:
            print(f"\n{s.pair}: {len(s.misses)} misses" + ("" if args.misses else " (--misses lists them)"))
            for miss in s.misses if args.misses else s.misses[:5]:
                print(f"  {miss}")
    if args.json:
        args.json.write_text(json.dumps([{"pair": s.pair, "properties": [s.properties_ok, s.properties],
                                          "operations": [s.operations_ok, s.operations], "percent": round(s.percent, 1),
                                          "misses": s.misses} for s in scores], indent=2) + "\n")
    return 0 if all(s.percent >= 95.0 for s in scores) else 1


if __name__ == "__main__":
    sys.exit(main())
