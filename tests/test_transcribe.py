"""`specgen transcribe`: the seed pages transcribe to the committed specs, the corpus scores above the bar,
--check reports in client terms, re-transcription is byte-identical and keeps the user's edits.

The seed fields are not re-typed here: tests/test_seed_documents.py parses the five pages (one small
parser per format, independent of specgen's) and every field it finds is compared, in the spec the
transcriber writes, with the committed spec.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

import test_seed_documents as seeds
from conftest import ROOT, SPECS
from specgen.cli import main

CORPUS = ROOT / "tests" / "fixtures" / "docs-corpus"

#: The one place the seeds' wire-name rules are stated: (provider, --wire-case, the model of the page).
#: ComfyDeploy's TypeScript SDK shows camelCase names for snake_case wire names (providers.md §3);
#: every other page uses its dialect's default (README: Transcribing documentation pages).
SEED_RULES: dict[str, tuple[str, str | None, str | None]] = {
    "000": ("airplane", None, "GetRunResponse"),
    "001": ("airplane", None, None),
    "002": ("kubeflow", None, "apiRun"),
    "003": ("comfydeploy", "snake", "GetRunResponseBody"),
    "004": ("northflank", None, "JobRun"),
}
_PROVIDER_SEEDS = {"airplane": "000", "kubeflow": "002", "comfydeploy": "003", "northflank": "004"}


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def transcribe(*args: str) -> Result:
    return cli("transcribe", *args)


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text())
    assert isinstance(data, dict)
    return data


# -- the seeds ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_transcriptions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Each seed page transcribed into a copy of its committed spec whose seed model was emptied
    (``type: object``, no fields): every field of the model in the result comes from the page."""
    out = {}
    for prefix, (provider, case, model) in SEED_RULES.items():
        specs = tmp_path_factory.mktemp(f"seed{prefix}")
        committed = load(SPECS / f"{provider}.yaml")
        if model is not None:
            committed["components"]["schemas"][model] = {"type": "object"}
        (specs / f"{provider}.yaml").write_text(yaml.safe_dump(committed, sort_keys=False))
        args = [str(seeds.seed(prefix)), "--provider", provider, "--specs", str(specs)]
        if case:
            args += ["--wire-case", case]
        result = transcribe(*args)
        assert result.exit_code == 0, result.output
        out[prefix] = load(specs / f"{provider}.yaml")
    return out


def test_the_seed_parsers_find_77_fields() -> None:
    assert len(seeds.ALL_FIELDS) == 77


def _strip_null(schema: dict[str, Any]) -> dict[str, Any]:
    options = schema.get("anyOf")
    if isinstance(options, list):
        rest = [o for o in options if o.get("type") != "null"]
        if len(rest) == 1:
            schema = {**{k: v for k, v in schema.items() if k != "anyOf"}, **rest[0]}
    kind = schema.get("type")
    if isinstance(kind, list) and "null" in kind:
        kinds = [k for k in kind if k != "null"]
        schema = {**schema, "type": kinds[0] if len(kinds) == 1 else kinds}
    return schema


def shape(schema: dict[str, Any], doc: dict[str, Any]) -> Any:
    """A type as the pages can show it: nullability (never on the pages) left out; a ``$ref`` to an
    enum is its values; a ``$ref`` to a model is its name (ignoring case)."""
    schema = _strip_null(schema)
    ref = schema.get("$ref")
    if isinstance(ref, str):
        name = ref.rsplit("/", 1)[-1]
        target = doc["components"]["schemas"][name]
        if "enum" in target:
            return ("enum", target.get("type"), sorted(map(str, target["enum"])))
        return ("ref", name.lower())
    if "enum" in schema:
        return ("enum", schema.get("type"), sorted(map(str, schema["enum"])))
    kind = schema.get("type")
    if kind == "array":
        return ("array", shape(schema.get("items", {}), doc))
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return ("map", shape(schema["additionalProperties"], doc))
    return (kind, schema.get("format"))


def _model(doc: dict[str, Any], name: str) -> dict[str, Any]:
    schemas = doc["components"]["schemas"]
    (key,) = [k for k in schemas if k.lower() == name.lower()]
    model = schemas[key]
    assert isinstance(model, dict)
    return model


def _field_id(field: seeds.DocField) -> str:
    return f"{field.provider}-{field.wire}"


@pytest.mark.parametrize("field", seeds.ALL_FIELDS, ids=_field_id)
def test_seed_field_transcribes_as_committed(field: seeds.DocField, seed_transcriptions: dict[str, dict[str, Any]]) -> None:
    prefix = _PROVIDER_SEEDS[field.provider]
    _, _, model = SEED_RULES[prefix]
    assert model is not None
    got_doc = seed_transcriptions[prefix]
    want_doc = load(SPECS / f"{field.provider}.yaml")
    got_model, want_model = _model(got_doc, model), _model(want_doc, model)
    assert field.wire in got_model["properties"], f"wire name {field.wire!r} not transcribed"
    got, want = got_model["properties"][field.wire], want_model["properties"][field.wire]
    assert got["x-specgen-source"].startswith(str(seeds.seed(prefix)))
    assert shape(got, got_doc) == shape(want, want_doc)
    assert (field.wire in got_model.get("required", [])) == (field.wire in want_model.get("required", [])) == field.required
    if page_shows_description(field):
        assert " ".join(str(got.get("description")).split()) == " ".join(str(want.get("description")).split())
    else:
        assert "description" not in got  # nothing invented; the committed spec may say more
    assert got.get("examples") == want.get("examples")


def page_shows_description(field: seeds.DocField) -> bool:
    """Whether the seed page has a description for the field (read with the seed parsers' table reader)."""
    text = seeds.seed(_PROVIDER_SEEDS[field.provider]).read_text()
    if field.provider == "northflank":
        (line,) = [line for line in text.splitlines() if line.strip().startswith(f"- `{field.doc_name}`:")][:1]
        return bool(line.split(")", 2)[-1].strip())
    for row in seeds.markdown_rows(text):
        if row[0].strip("`*") == field.doc_name:
            cell = row[2] if field.provider == "kubeflow" else row[3]
            return cell.strip() not in ("", "N/A")
    raise AssertionError(f"{field.doc_name} is not on its page")


@pytest.fixture(scope="module")
def fresh_seed_transcriptions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Each seed page transcribed on its own, with no spec to merge into."""
    out = {}
    for prefix, (provider, case, _) in SEED_RULES.items():
        if prefix in _LINKS_INTO_ITS_OWN_FOLDER:
            continue
        specs = tmp_path_factory.mktemp(f"fresh{prefix}")
        args = [str(seeds.seed(prefix)), "--provider", provider, "--specs", str(specs)]
        result = transcribe(*args, *(["--wire-case", case] if case else []))
        assert result.exit_code == 0, result.output
        out[prefix] = load(specs / f"{provider}.yaml")
    return out


#: Seed 002 links its models in its own folder (ApiStorageState.md), where they are not: broken links
#: when it is transcribed alone (the other seeds link into SDK folders that are not here: placeholders).
_LINKS_INTO_ITS_OWN_FOLDER = ("002",)


def test_seed_002_alone_reports_its_broken_links(tmp_path: Path) -> None:
    result = transcribe(str(seeds.seed("002")), "--provider", "kubeflow", "--specs", str(tmp_path))
    assert result.exit_code == 2
    assert f"{seeds.seed('002')}:8: error: broken link: ApiStorageState links to" in result.output
    assert not list(tmp_path.iterdir())


def _fresh_model(doc: dict[str, Any], provider: str, model: str) -> dict[str, Any]:
    if provider != "northflank":
        return _model(doc, {"apiRun": "ApiRun"}.get(model, model))
    op = doc["paths"]["/v1/projects/{projectId}/jobs/{jobId}/runs/{runId}"]["get"]
    data = op["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["data"]
    assert isinstance(data, dict)
    return data


def _fresh_shape(schema: dict[str, Any], doc: dict[str, Any]) -> Any:
    """A placeholder (a model on a page not given) compares by name only."""
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return ("ref", ref.rsplit("/", 1)[-1].lower())
    if schema.get("type") == "array":
        return ("array", _fresh_shape(schema["items"], doc))
    return shape(schema, doc)


@pytest.mark.parametrize("field", seeds.ALL_FIELDS, ids=_field_id)
def test_seed_field_transcribes_alone_as_committed(field: seeds.DocField,
                                                   fresh_seed_transcriptions: dict[str, dict[str, Any]]) -> None:
    """With no spec to lean on, a seed page alone gives the committed wire name, type (a model another
    page defines: by name), required flag, description and example."""
    prefix = _PROVIDER_SEEDS[field.provider]
    _, _, model = SEED_RULES[prefix]
    assert model is not None
    if prefix in _LINKS_INTO_ITS_OWN_FOLDER:
        pytest.skip("links into its own folder: see test_seed_002_alone_reports_its_broken_links")
    got_doc, want_doc = fresh_seed_transcriptions[prefix], load(SPECS / f"{field.provider}.yaml")
    got_model, want_model = _fresh_model(got_doc, field.provider, model), _model(want_doc, model)
    got, want = got_model["properties"][field.wire], want_model["properties"][field.wire]
    want_shape = shape(want, want_doc) if "enum" in got else _fresh_shape(_strip_null(want), want_doc)
    assert _fresh_shape(got, got_doc) == want_shape
    assert (field.wire in got_model.get("required", [])) == field.required == (field.wire in want_model.get("required", []))
    if page_shows_description(field):
        assert " ".join(str(got.get("description")).split()) == " ".join(str(want.get("description")).split())
    assert got.get("examples") == want.get("examples")


@pytest.mark.parametrize("param", seeds.AIRPLANE_PARAMS, ids=lambda p: p.id)
def test_seed_001_parameters_transcribe_as_committed(param: seeds.DocParam,
                                                     seed_transcriptions: dict[str, dict[str, Any]]) -> None:
    doc = seed_transcriptions["001"]
    (op,) = [op for item in doc["paths"].values() for op in item.values()
             if isinstance(op, dict) and op.get("x-specgen-method") == seeds.snake(param.operation)]
    (got,) = [p for p in op["parameters"] if p["name"] == param.name]
    want_doc = load(SPECS / "airplane.yaml")
    (want,) = [p for item in want_doc["paths"].values() for o in item.values() if isinstance(o, dict)
               and o.get("x-specgen-method") == seeds.snake(param.operation) for p in o["parameters"] if p["name"] == param.name]
    assert got["schema"] == want["schema"] and bool(got.get("required")) == bool(want.get("required")) == param.required
    assert got["x-specgen-source"].startswith(str(seeds.seed("001")))


@pytest.mark.parametrize("prefix", sorted(SEED_RULES))
def test_each_seed_page_agrees_with_its_committed_spec(prefix: str, tmp_path: Path) -> None:
    """Transcribed into the committed spec itself, `--check` finds nothing to report."""
    provider, case, _ = SEED_RULES[prefix]
    shutil.copy(SPECS / f"{provider}.yaml", tmp_path)
    args = [str(seeds.seed(prefix)), "--provider", provider, "--specs", str(tmp_path), "--check"]
    result = transcribe(*args, *(["--wire-case", case] if case else []))
    assert result.exit_code == 0, result.output
    assert "no changes to the client" in result.output


# -- --check -------------------------------------------------------------------------------------


def _edited_seed_000(folder: Path) -> Path:
    """Seed 000 with a field added (Priority), one removed (SessionID) and one type changed (Timeout)."""
    lines = []
    for line in seeds.seed("000").read_text().splitlines(keepends=True):
        if line.startswith("| `SessionID`"):
            continue
        if line.startswith("| `Timeout`"):
            line = line.replace("**int64*", "**string*")
        lines.append(line)
        if line.startswith("| `Status`"):
            lines.append("| `Priority` | **int64* | :heavy_minus_sign: | Priority of this run. | 3 |\n")
    page = folder / "getrunresponse.md"
    page.write_text("".join(lines))
    return page


def test_check_reports_an_added_a_removed_and_a_changed_field(tmp_path: Path) -> None:
    shutil.copy(SPECS / "airplane.yaml", tmp_path)
    before = (tmp_path / "airplane.yaml").read_bytes()
    page = _edited_seed_000(tmp_path)
    result = CliRunner().invoke(main, ["transcribe", str(page), "--provider", "airplane", "--specs", str(tmp_path), "--check"])
    assert result.exit_code == 1, result.output
    assert "GetRunResponse.priority: new optional field" in result.output
    assert "GetRunResponse.session_id removed" in result.output
    assert "GetRunResponse.timeout: int -> str" in result.output
    assert f"from {page}:" in result.output  # each change names the page it comes from
    assert (tmp_path / "airplane.yaml").read_bytes() == before  # --check writes nothing


def _edit_002(text: str) -> str:
    text = text.replace("**namespace** | **str** | Namespace this run belongs to. | [optional] \n", "")
    text = text.replace("**pipeline_id** | **str**", "**pipeline_id** | **int**")
    return text.replace("**description** | **str** |", "**priority** | **int** | Priority. | [optional] \n**description** | **str** |")


def _edit_003(text: str) -> str:
    lines = []
    for line in text.splitlines(keepends=True):
        if line.startswith("| `webhook` "):
            continue
        lines.append(line.replace("*number*", "*string*") if line.startswith("| `progress`") else line)
        if line.startswith("| `orgId`"):
            lines.append("| `priority` | *number* | :heavy_minus_sign: | N/A | |\n")
    return "".join(lines)


def _edit_004(text: str) -> str:
    text = text.replace("  - `runName`: (string) (required) The name of the job run\n", "")
    text = text.replace("`completions`: (integer)", "`completions`: (string)")
    return text.replace("  - `concluded`:", "  - `priority`: (integer) Priority\n  - `concluded`:")


@pytest.mark.parametrize(("prefix", "edit", "expected"), [
    ("002", _edit_002, ["ApiRun.namespace removed", "ApiRun.pipeline_id: str -> int", "ApiRun.priority: new optional field"]),
    ("003", _edit_003, ["GetRunResponseBody.webhook removed", "GetRunResponseBody.progress: float -> str",
                        "GetRunResponseBody.priority: new optional field"]),
    ("004", _edit_004, ["JobRun.run_name removed", "JobRun.completions: int -> str", "JobRun.priority: new optional field"]),
], ids=["openapi-generator", "speakeasy-ts", "rest-reference"])
def test_check_reports_the_three_changes_in_every_dialect(prefix: str, edit: Any, expected: list[str], tmp_path: Path) -> None:
    provider = SEED_RULES[prefix][0]
    shutil.copy(SPECS / f"{provider}.yaml", tmp_path)
    page = tmp_path / "page.md"
    page.write_text(edit(seeds.seed(prefix).read_text()))
    result = CliRunner().invoke(main, ["transcribe", str(page), "--provider", provider, "--specs", str(tmp_path), "--check"])
    assert result.exit_code == 1, result.output
    for line in expected:
        assert line in result.stdout
    assert "2 breaking, 1 compatible" in result.stdout


def test_check_on_the_unchanged_page_exits_0(tmp_path: Path) -> None:
    shutil.copy(SPECS / "airplane.yaml", tmp_path)
    result = transcribe(str(seeds.seed("000")), "--provider", "airplane", "--specs", str(tmp_path), "--check")
    assert result.exit_code == 0, result.output


def test_check_json_is_the_diff_report(tmp_path: Path) -> None:
    shutil.copy(SPECS / "airplane.yaml", tmp_path)
    page = _edited_seed_000(tmp_path)
    result = CliRunner().invoke(main, ["transcribe", str(page), "--provider", "airplane", "--specs", str(tmp_path),
                                       "--check", "--format", "json"])
    assert result.exit_code == 1
    import json

    report = json.loads(result.stdout)
    kinds = sorted(change["kind"] for package in report["packages"] for change in package["changes"])
    assert len(kinds) == 3


def test_check_without_a_spec_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["transcribe", str(seeds.seed("000")), "--provider", "airplane",
                                       "--specs", str(tmp_path), "--check"])
    assert result.exit_code == 2


# -- the corpus ------------------------------------------------------------------------------------


def _bench() -> Any:
    spec = importlib.util.spec_from_file_location("bench_transcribe", ROOT / "bench" / "transcribe.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_transcribe"] = module
    spec.loader.exec_module(module)
    return module


BENCH = _bench()


@pytest.mark.parametrize("pair", BENCH.PAIRS, ids=lambda p: p.name)
def test_corpus_pair_scores_at_least_95_percent(pair: Any) -> None:
    score = BENCH.score_pair(pair, CORPUS)
    assert score.total > 20, "the pages showed almost nothing: the dialect did not read them"
    assert score.percent >= 95.0, "\n".join(score.misses)
    assert all(": " in miss for miss in score.misses)  # every miss says its cause


# -- determinism and the user's edits ----------------------------------------------------------------


def test_transcribing_again_is_byte_identical(tmp_path: Path) -> None:
    folder = CORPUS / "gkcalat__pipelines@99090d4" / "docs"
    first = transcribe(str(folder), "--provider", "kfp", "--specs", str(tmp_path / "a"))
    assert first.exit_code == 0, first.output
    text = (tmp_path / "a" / "kfp.yaml").read_bytes()
    again = transcribe(str(folder), "--provider", "kfp", "--specs", str(tmp_path / "a"))
    assert again.exit_code == 0 and "unchanged" in again.output
    assert (tmp_path / "a" / "kfp.yaml").read_bytes() == text
    elsewhere = transcribe(str(folder), "--provider", "kfp", "--specs", str(tmp_path / "b"))
    assert elsewhere.exit_code == 0
    assert (tmp_path / "b" / "kfp.yaml").read_bytes() == text


def test_seed_merge_is_byte_identical_when_repeated(tmp_path: Path) -> None:
    shutil.copy(SPECS / "comfydeploy.yaml", tmp_path)
    args = [str(seeds.seed("003")), "--provider", "comfydeploy", "--specs", str(tmp_path), "--wire-case", "snake"]
    assert transcribe(*args).exit_code == 0
    text = (tmp_path / "comfydeploy.yaml").read_bytes()
    assert transcribe(*args).exit_code == 0
    assert (tmp_path / "comfydeploy.yaml").read_bytes() == text


def test_user_edits_are_kept(tmp_path: Path) -> None:
    folder = CORPUS / "gkcalat__pipelines@99090d4" / "docs"
    assert transcribe(str(folder), "--provider", "kfp", "--specs", str(tmp_path)).exit_code == 0
    path = tmp_path / "kfp.yaml"
    doc = load(path)
    doc["servers"] = [{"url": "https://kfp.example.com"}]
    doc["components"]["securitySchemes"] = {"Bearer": {"type": "http", "scheme": "bearer", "x-specgen-env": "KFP_TOKEN"}}
    doc["security"] = [{"Bearer": []}]
    doc["info"]["title"] = "My Kubeflow"
    op = doc["paths"]["/apis/v2beta1/runs"]["get"]
    op["x-specgen-method"] = "list_all"
    op["x-specgen-pagination"] = {"style": "cursor", "cursor_param": "page_token", "next_cursor": "next_page_token",
                                  "items": "runs"}
    run = doc["components"]["schemas"]["ApiRun"]["properties"]
    run["display_name"]["description"] = "My own words."
    run["finished_at"]["type"] = ["string", "null"]  # nullability the pages cannot show
    run["mine"] = {"type": "string", "x-specgen-pinned": True}
    run["state"]["x-specgen-name"] = "run_state"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    result = transcribe(str(folder), "--provider", "kfp", "--specs", str(tmp_path))
    assert result.exit_code == 0, result.output
    kept = load(path)
    assert kept["servers"] == doc["servers"] and kept["security"] == doc["security"]
    assert kept["components"]["securitySchemes"] == doc["components"]["securitySchemes"]
    assert kept["info"]["title"] == "My Kubeflow"
    op = kept["paths"]["/apis/v2beta1/runs"]["get"]
    assert op["x-specgen-method"] == "list_all" and op["x-specgen-pagination"]["items"] == "runs"
    run = kept["components"]["schemas"]["ApiRun"]["properties"]
    assert run["display_name"]["description"] == "My own words."
    assert run["finished_at"]["type"] == ["string", "null"]
    assert run["mine"] == {"type": "string", "x-specgen-pinned": True}
    assert run["state"]["x-specgen-name"] == "run_state"
    assert "description differs" in result.output  # the page's other wording is reported, with both places
    again = transcribe(str(folder), "--provider", "kfp", "--specs", str(tmp_path))
    assert "unchanged" in again.output


def test_a_field_gone_from_the_page_is_removed_with_both_places(tmp_path: Path) -> None:
    shutil.copy(SPECS / "airplane.yaml", tmp_path)
    page = _edited_seed_000(tmp_path)
    result = transcribe(str(page), "--provider", "airplane", "--specs", str(tmp_path))
    assert result.exit_code == 0, result.output
    doc = load(tmp_path / "airplane.yaml")
    props = doc["components"]["schemas"]["GetRunResponse"]["properties"]
    assert "sessionID" not in props and props["timeout"]["type"] == "string" and "priority" in props
    assert props["priority"]["x-specgen-inferred"] == ["format: int64 from the SDK type int64",
                                                       "wire-name: priority from the SDK name Priority (--wire-case camel)"]
    assert f"{tmp_path / 'airplane.yaml'}:" in result.output and f"{page}:" in result.output


# -- inference is declared ---------------------------------------------------------------------------


def test_fresh_spec_marks_what_the_pages_do_not_show(tmp_path: Path) -> None:
    folder = CORPUS / "speakeasy-sdks__airplane-go-sdk@e95c04e" / "docs"
    result = transcribe(str(folder), "--provider", "air", "--specs", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "no server URL and no authentication" in result.output
    assert "Security page lists the credentials APIKeyAuth" in result.output
    doc = load(tmp_path / "air.yaml")
    assert doc["info"]["x-specgen-package"] == "air" and doc["info"]["x-specgen-client"] == "AirClient"
    assert any(n.startswith("servers:") for n in doc["info"]["x-specgen-inferred"])
    op = doc["paths"]["/runs/get"]["get"]
    assert any(n.startswith("path: GET /runs/get") for n in op["x-specgen-inferred"])
    assert op["parameters"][0]["x-specgen-inferred"] == ["in: query (the page does not show where the parameter is sent)",
                                                         "wire-name: id from the SDK name id (--wire-case as-is)"]
    prop = doc["components"]["schemas"]["GetRunResponse"]["properties"]["sessionID"]
    assert prop["x-specgen-inferred"] == ["wire-name: sessionID from the SDK name SessionID (--wire-case camel)"]
    for schema in doc["components"]["schemas"].values():
        assert ".md:" in schema["x-specgen-source"]
        for field in (schema.get("properties") or {}).values():
            assert ".md:" in field["x-specgen-source"]
    assert cli("validate", str(tmp_path / "air.yaml")).exit_code == 0


@pytest.mark.parametrize(("case", "wire"), [(None, "workflowVersionId"), ("snake", "workflow_version_id"),
                                            ("as-is", "workflowVersionId"), ("camel", "workflowVersionId")])
def test_wire_case_overrides_the_dialect_rule(case: str | None, wire: str, tmp_path: Path) -> None:
    args = [str(seeds.seed("003")), "--provider", "comfydeploy", "--specs", str(tmp_path)]
    result = transcribe(*args, *(["--wire-case", case] if case else []))
    assert result.exit_code == 0, result.output
    props = load(tmp_path / "comfydeploy.yaml")["components"]["schemas"]["GetRunResponseBody"]["properties"]
    assert wire in props
    assert props[wire]["x-specgen-inferred"][-1].startswith(f"wire-name: {wire} from the SDK name workflowVersionId")


def test_an_sdk_name_takes_the_wire_name_the_spec_has(tmp_path: Path) -> None:
    """Merging, a field the page shows by its SDK name (workflowVersionId) is the spec's field of the same
    name ignoring case and `_` (workflow_version_id), whatever --wire-case says; the note says so."""
    shutil.copy(SPECS / "comfydeploy.yaml", tmp_path)
    result = transcribe(str(seeds.seed("003")), "--provider", "comfydeploy", "--specs", str(tmp_path), "--check")
    assert result.exit_code == 0, result.output
    assert transcribe(str(seeds.seed("003")), "--provider", "comfydeploy", "--specs", str(tmp_path)).exit_code == 0
    props = load(tmp_path / "comfydeploy.yaml")["components"]["schemas"]["GetRunResponseBody"]["properties"]
    assert "workflowVersionId" not in props
    assert props["workflow_version_id"]["x-specgen-inferred"] == [
        "wire-name: workflow_version_id from the spec (the page shows the SDK name workflowVersionId)"]


def test_the_transcribed_corpus_generates(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    for pair in BENCH.PAIRS:
        assert transcribe(str(CORPUS / pair.name / "docs"), "--provider", pair.provider, "--specs", str(specs)).exit_code == 0
    result = cli("generate", "--specs", str(specs), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if p.is_dir()) == sorted(p.provider for p in BENCH.PAIRS)



@pytest.mark.parametrize(("shown", "case", "wire"), [
    ("ActiveAt", "camel", "activeAt"), ("ID", "camel", "id"), ("SessionID", "camel", "sessionID"),
    ("APIKeyAuth", "camel", "apiKeyAuth"), ("URLPath", "camel", "urlPath"), ("taskID", "camel", "taskID"),
    ("workflowVersionId", "snake", "workflow_version_id"), ("id", "snake", "id"), ("isRealtime", "snake", "is_realtime"),
    ("workflowVersionId", "as-is", "workflowVersionId"), ("run.experiment_id", "as-is", "run.experiment_id"),
])
def test_wire_name_rules(shown: str, case: str, wire: str) -> None:
    from specgen.transcribe import rules

    assert rules.wire_name(shown, case)[0] == wire
    assert rules.wire_name(shown, case, sdk_name=True)[1] == f"wire-name: {wire} from the SDK name {shown} (--wire-case {case})"


def test_a_schema_renamed_in_the_spec_keeps_its_identity(tmp_path: Path) -> None:
    """The user renames a transcribed schema (and its references); transcribing again updates the renamed
    schema, found by the page it was read from, instead of adding the old name back."""
    folder = CORPUS / "speakeasy-sdks__airplane-go-sdk@e95c04e" / "docs"
    assert transcribe(str(folder), "--provider", "air", "--specs", str(tmp_path)).exit_code == 0
    path = tmp_path / "air.yaml"
    text = path.read_text()
    path.write_text(text.replace("schemas/GetRunResponse'", "schemas/Run'").replace("  GetRunResponse:\n", "  Run:\n"))
    result = transcribe(str(folder), "--provider", "air", "--specs", str(tmp_path))
    assert result.exit_code == 0, result.output
    schemas = load(path)["components"]["schemas"]
    assert "Run" in schemas and "GetRunResponse" not in schemas
    assert "activeAt" in schemas["Run"]["properties"]


def test_a_route_the_page_changed_is_written_with_both_places(tmp_path: Path) -> None:
    """An operation the page shows at another route (same operationId) moves there, with a warning."""
    folder = CORPUS / "2ynn__speakeasy-bar-typescript@64b7627" / "docs"
    assert transcribe(str(folder), "--provider", "bar", "--specs", str(tmp_path)).exit_code == 0
    path = tmp_path / "bar.yaml"
    path.write_text(path.read_text().replace("  /drink/{name}:", "  /drinks/{name}:"))
    result = transcribe(str(folder), "--provider", "bar", "--specs", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "GET /drinks/{name} (at " in result.output and "is GET /drink/{name} on the page" in result.output
    paths = load(path)["paths"]
    assert "/drink/{name}" in paths and "/drinks/{name}" not in paths
